//! The binary as an office installs it: copied alone to a directory of its
//! own, with an empty data directory, and (as root) from a checkout in a
//! home directory that the `postgres` system user cannot enter.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use reqwest::StatusCode;
use reqwest::header;

use crate::support::{Browser, DataDir, Server, binary_at, binary_path, bounded};

/// The `href`/`src` of every `/static/` file a page links.
fn static_links(html: &str) -> Vec<String> {
    html.split(['"', '\''])
        .filter(|piece| piece.starts_with("/static/") && !piece.contains(' '))
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn the_binary_alone_in_an_empty_directory_serves_pages_with_their_css_and_scripts() {
    bounded("binary alone", async {
        let dir = DataDir::empty("alone");
        let install = dir.path.join("opt");
        fs::create_dir_all(&install).unwrap();
        let binary = install.join("cppcc-perf");
        fs::copy(binary_path(), &binary).unwrap();
        let data = DataDir { path: dir.path.join("data") };
        fs::create_dir_all(&data.path).unwrap();
        let server = Server::start_binary(&binary, Some(&install), &data, &[]).await;
        let mut browser = Browser::new(&server);
        let login = browser.get("/login").await;
        assert_eq!(login.status, StatusCode::OK);
        let links = static_links(&login.body);
        assert!(links.iter().any(|l| l.ends_with(".css")), "no stylesheet linked: {links:?}");
        assert!(links.iter().any(|l| l.ends_with(".js")), "no script linked: {links:?}");
        for link in &links {
            let file = browser.get(link).await;
            assert_eq!(file.status, StatusCode::OK, "{link}");
            assert!(!file.body.is_empty(), "{link} is empty");
            let kind = file.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
            let expected = if link.ends_with(".css") { "text/css" } else { "javascript" };
            assert!(kind.contains(expected), "{link}: {kind}");
            let cache = file.headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()).unwrap_or("");
            assert!(cache.contains("immutable"), "{link}: {cache}");
        }
        let unknown = browser.get(&links[0].replace(".css", ".missing.css")).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        drop(server);
        drop(data);
    })
    .await;
}

#[tokio::test]
async fn as_root_a_checkout_the_postgres_user_cannot_enter_still_gets_its_database() {
    if !nix::unistd::Uid::effective().is_root() {
        eprintln!("skipped: only a root-run server hands its cluster to the postgres user");
        return;
    }
    bounded("root home", async {
        // Like /root: a directory only its owner may enter, with the checkout inside.
        let dir = DataDir::empty("home");
        let home = dir.path.join("root-home");
        fs::create_dir_all(home.join("checkout")).unwrap();
        fs::set_permissions(&home, fs::Permissions::from_mode(0o700)).unwrap();
        let data = home.join("checkout").join("data");
        let out = binary_at(binary_path()).arg("--data-dir").arg(&data).arg("migrate").output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "migrate failed:\n{stderr}");
        assert!(stderr.contains("cannot enter"), "the first start says where the cluster went:\n{stderr}");
        let cluster = fs::read_link(data.join("postgres")).expect("data/postgres links to the cluster");
        assert!(cluster.starts_with("/var/lib/cppcc-perf"), "{}", cluster.display());
        assert!(cluster.join("PG_VERSION").exists());
        // A second command finds the same cluster, and the server serves from it.
        let data_dir = DataDir { path: data.clone() };
        let server = Server::start(&data_dir, &[]).await;
        let mut browser = Browser::new(&server);
        assert_eq!(browser.get("/login").await.status, StatusCode::OK);
        drop(server);
        drop(data_dir);
        let _ = fs::remove_dir_all(cluster.parent().unwrap_or(Path::new("/nonexistent")));
    })
    .await;
}

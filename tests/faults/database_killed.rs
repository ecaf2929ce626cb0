//! The embedded PostgreSQL's postmaster killed with SIGKILL, as the OOM
//! killer would, under a running server: the server notices, restarts the
//! cluster (crash recovery), and serves again with the same sessions and
//! every acknowledged write, without a restart of its own. A cluster that
//! cannot come back makes the server exit with a failure, for the service
//! manager to restart it.

use std::fs;
use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::support::{Browser, DataDir, Server, bounded, eventually};

/// Kills the cluster's postmaster (the first line of its pid file) with SIGKILL.
fn kill_postmaster(dir: &DataDir) {
    let pid_file = dir.path.join("postgres").join("postmaster.pid");
    let text = fs::read_to_string(&pid_file).expect("the cluster runs");
    let pid = text.lines().next().unwrap().trim().to_string();
    let status = Command::new("kill").args(["-KILL", &pid]).status().expect("kill");
    assert!(status.success(), "kill -9 {pid}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_embedded_database_is_restarted_and_nothing_is_lost() {
    bounded("database_killed", async {
        let dir = DataDir::demo("pgkill").await;
        let server = Server::start(&dir, &[("DB_ACQUIRE_TIMEOUT_SECS", "2")]).await;
        let mut staff = Browser::new(&server);
        staff.sign_in("staff").await;
        // A write acknowledged before the kill.
        let page = staff.post("/locale", &[("lang", "en"), ("next", "/")]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

        kill_postmaster(&dir);
        let killed = Instant::now();
        // Backends outlive a killed postmaster for a moment and may still
        // answer, so a 200 only counts once the server has seen the death.
        eventually("the server notices the dead cluster", Duration::from_secs(30), async || {
            server.log_tail(400).contains("died without being stopped")
        })
        .await;
        eventually(
            "a signed-in page answers 200 again",
            Duration::from_secs(30),
            async || matches!(staff.try_send("/", None).await, Ok(page) if page.status == StatusCode::OK),
        )
        .await;
        eprintln!("database_killed: the first 200 came {} ms after the kill", killed.elapsed().as_millis());
        assert!(killed.elapsed() < Duration::from_secs(60));
        let home = staff.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains("<html lang=\"en\">"), "the same session, its language kept");
        assert_eq!(staff.get("/readyz").await.status, StatusCode::OK);

        let mut db = dir.superuser().await;
        let locale: Option<String> =
            sqlx::query_scalar("select locale from person where username = 'staff'").fetch_one(&mut db).await.unwrap();
        assert_eq!(locale.as_deref(), Some("en"), "the write acknowledged before the kill is kept");
        let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'person.locale_changed'")
            .fetch_one(&mut db)
            .await
            .unwrap();
        assert_eq!(audited, 1, "with its audit row");
        // And the server writes again.
        let page = staff.post("/locale", &[("lang", "zh-CN"), ("next", "/")]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        eventually("the restart is logged", Duration::from_secs(10), async || {
            server.log_tail(400).contains("restarted after crash recovery")
        })
        .await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_cannot_come_back_stops_the_server_with_a_failure() {
    bounded("database_lost", async {
        let dir = DataDir::empty("pglost");
        let mut server = Server::start(&dir, &[]).await;
        // A configuration the server refuses: every restart fails.
        let conf = dir.path.join("postgres").join("postgresql.auto.conf");
        let mut text = fs::read_to_string(&conf).unwrap_or_default();
        text.push_str("\nshared_buffers = 'not a size'\n");
        fs::write(&conf, text).unwrap();
        kill_postmaster(&dir);
        let status = server.wait_for_exit(Duration::from_secs(70)).await.expect("the server gives up and exits");
        assert!(!status.success(), "it exits with a failure: {status:?}");
        assert!(server.log_tail(200).contains("giving up"), "{}", server.log_tail(40));
    })
    .await;
}

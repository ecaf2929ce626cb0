//! `cppcc-perf backup` and `restore`: a dump of one test database restored into
//! another on the same server, through the library functions the subcommands wrap.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use cppcc_perf::backup::{self, OnExisting, Target};
use cppcc_perf::db::attachments::{self, NewAttachment};
use cppcc_perf::domain::roles::Role;
use sha2::{Digest, Sha256};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Executor, PgPool};

use crate::support::TestApp;

/// An office with a department made through the pages, a person, and a 300 KiB
/// evidence file; answers its app and the file's bytes.
async fn office_with_evidence() -> (TestApp, Vec<u8>) {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let created = admin.post("/org/departments", &[("name", "研究室"), ("kind", "general"), ("active", "on")]).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let staff = app.person("zhang.wei", "张伟", &[(Role::Staff, None)]).await;
    // Bytes of every value, not valid UTF-8, so a lossy copy would show.
    let bytes: Vec<u8> = (0..300 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let file = NewAttachment {
        file_name: "会议纪要.pdf".into(),
        content_type: "application/pdf".into(),
        sha256: format!("{:x}", Sha256::digest(&bytes)),
        bytes: bytes.clone(),
    };
    let mut conn = app.pool.acquire().await.unwrap();
    attachments::insert(&mut conn, "progress_report", 1, &file, staff).await.unwrap();
    (app, bytes)
}

fn options_of(app: &TestApp) -> PgConnectOptions {
    (*app.pool.connect_options()).clone()
}

fn target(options: &PgConnectOptions) -> Target {
    Target { options: options.clone(), bin_dir: backup::client_bin_dir().unwrap() }
}

/// A new database with nothing in it, on the test server.
async fn empty_database(like: &PgConnectOptions) -> PgConnectOptions {
    let name = format!("restored_{}", uuid::Uuid::new_v4().simple());
    let admin = connect(&like.clone().database("postgres")).await;
    admin.execute(format!("create database {name}").as_str()).await.unwrap();
    admin.close().await;
    like.clone().database(&name)
}

async fn connect(options: &PgConnectOptions) -> PgPool {
    PgPoolOptions::new().max_connections(1).connect_with(options.clone()).await.unwrap()
}

/// A private directory for dump files, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!("cppcc-backup-test-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The row count of every table in the `public` schema.
async fn row_counts(options: &PgConnectOptions) -> BTreeMap<String, i64> {
    let pool = connect(options).await;
    let tables: Vec<String> =
        sqlx::query_scalar("select tablename::text from pg_tables where schemaname = 'public' order by 1")
            .fetch_all(&pool)
            .await
            .unwrap();
    let mut counts = BTreeMap::new();
    for table in tables {
        let count: i64 =
            sqlx::query_scalar(&format!("select count(*) from public.\"{table}\"")).fetch_one(&pool).await.unwrap();
        counts.insert(table, count);
    }
    pool.close().await;
    counts
}

/// The stored sha256 and the bytes of every evidence file, in upload order.
async fn evidence(options: &PgConnectOptions) -> Vec<(String, Vec<u8>)> {
    let pool = connect(options).await;
    let files = sqlx::query_as("select sha256, bytes from attachment order by id").fetch_all(&pool).await.unwrap();
    pool.close().await;
    files
}

async fn usernames(options: &PgConnectOptions) -> Vec<String> {
    let pool = connect(options).await;
    let names = sqlx::query_scalar("select username from person order by username").fetch_all(&pool).await.unwrap();
    pool.close().await;
    names
}

async fn back_up(app: &TestApp, scratch: &Scratch) -> PathBuf {
    let file = scratch.file("office.dump");
    let size = backup::backup(&target(&options_of(app)), &file).await.unwrap();
    assert_eq!(size, std::fs::metadata(&file).unwrap().len());
    assert!(size > 0);
    file
}

/// A backed-up office, its dump, and a second office with one person (李娜)
/// to restore over.
async fn backed_up_office_and_another(scratch: &Scratch) -> (TestApp, PathBuf, TestApp) {
    let (office, _) = office_with_evidence().await;
    let file = back_up(&office, scratch).await;
    let other = TestApp::new().await;
    other.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    (office, file, other)
}

#[tokio::test]
async fn a_backup_restored_into_an_empty_database_has_every_row_and_evidence_file() {
    let (app, bytes) = office_with_evidence().await;
    let scratch = Scratch::new();
    let file = back_up(&app, &scratch).await;
    assert_eq!(std::fs::read_dir(&scratch.0).unwrap().count(), 1, "only the finished dump is left");

    let restored = empty_database(&options_of(&app)).await;
    backup::restore(&target(&restored), &file, OnExisting::Refuse, None).await.unwrap();

    let counts = row_counts(&options_of(&app)).await;
    assert!(counts["person"] >= 2 && counts["department"] >= 1 && counts["audit_log"] >= 1, "{counts:?}");
    assert_eq!(row_counts(&restored).await, counts);
    let files = evidence(&restored).await;
    assert_eq!(files, evidence(&options_of(&app)).await);
    assert_eq!(files[0].1, bytes);
    assert_eq!(files[0].0, format!("{:x}", Sha256::digest(&files[0].1)));

    // The restored office keeps working: identities continue after the restored rows.
    let pool = connect(&restored).await;
    sqlx::query("insert into department (name, kind, sort_order, active) values ('新处室', 'general', 9, true)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

#[tokio::test]
async fn a_failed_backup_leaves_no_file_behind() {
    let app = TestApp::new().await;
    let scratch = Scratch::new();
    let file = scratch.file("office.dump");
    let missing = options_of(&app).database("no_such_database");
    let err = backup::backup(&target(&missing), &file).await.unwrap_err();
    let message = format!("{err:#}");
    assert!(message.contains("office.dump") && message.contains("no_such_database"), "{message}");
    assert_eq!(std::fs::read_dir(&scratch.0).unwrap().count(), 0, "no dump and no partial file");
}

#[tokio::test]
async fn restore_refuses_a_database_that_holds_the_application_and_changes_nothing() {
    let scratch = Scratch::new();
    let (_office, file, other) = backed_up_office_and_another(&scratch).await;
    let before = row_counts(&options_of(&other)).await;

    let err = backup::restore(&target(&options_of(&other)), &file, OnExisting::Refuse, None).await.unwrap_err();
    assert!(format!("{err:#}").contains("--replace"), "{err:#}");
    assert_eq!(row_counts(&options_of(&other)).await, before);
    assert_eq!(usernames(&options_of(&other)).await, ["li.na"]);
}

#[tokio::test]
async fn replace_swaps_the_backup_in_for_the_current_database() {
    let scratch = Scratch::new();
    let (office, file, other) = backed_up_office_and_another(&scratch).await;
    let options = options_of(&other);

    backup::restore(&target(&options), &file, OnExisting::Recreate, None).await.unwrap();
    assert_eq!(row_counts(&options).await, row_counts(&options_of(&office)).await);
    assert_eq!(evidence(&options).await, evidence(&options_of(&office)).await);
    assert!(!usernames(&options).await.contains(&"li.na".to_string()));
    let admin = connect(&options.clone().database("postgres")).await;
    let staging = format!("{}_restoring", options.get_database().unwrap());
    let left: bool = sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
        .bind(&staging)
        .fetch_one(&admin)
        .await
        .unwrap();
    assert!(!left, "the staging database is gone");
}

#[tokio::test]
async fn replace_on_an_external_server_restores_in_place() {
    let scratch = Scratch::new();
    let (office, file, other) = backed_up_office_and_another(&scratch).await;
    let options = options_of(&other);

    backup::restore(&target(&options), &file, OnExisting::Clean, None).await.unwrap();
    assert_eq!(row_counts(&options).await, row_counts(&options_of(&office)).await);
    assert_eq!(evidence(&options).await, evidence(&options_of(&office)).await);
    assert!(!usernames(&options).await.contains(&"li.na".to_string()));
}

#[tokio::test]
async fn replace_in_place_refuses_a_database_with_newer_migrations() {
    let (office, _) = office_with_evidence().await;
    let scratch = Scratch::new();
    let file = back_up(&office, &scratch).await;
    let other = TestApp::new().await;
    sqlx::query(
        "insert into _sqlx_migrations (version, description, success, checksum, execution_time)
         values (99990101000000, 'from the future', true, '\\x00', 0)",
    )
    .execute(&other.pool)
    .await
    .unwrap();
    let before = row_counts(&options_of(&other)).await;

    let err = backup::restore(&target(&options_of(&other)), &file, OnExisting::Clean, None).await.unwrap_err();
    assert!(format!("{err:#}").contains("newer than the backup"), "{err:#}");
    assert_eq!(row_counts(&options_of(&other)).await, before);
}

/// Dump files are not for everybody: they hold personal data and password hashes.
#[tokio::test]
async fn a_backup_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let app = TestApp::new().await;
    let scratch = Scratch::new();
    let file = back_up(&app, &scratch).await;
    assert_eq!(std::fs::metadata(Path::new(&file)).unwrap().permissions().mode() & 0o777, 0o600);
}

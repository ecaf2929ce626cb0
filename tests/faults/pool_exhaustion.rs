//! Every pooled connection busy (held by statements waiting on a lock taken
//! outside the application): further requests answer 503 once the acquire
//! timeout passes, not after the statement timeout or never, and when the
//! lock goes the waiting requests complete and new ones are served.

use std::time::Duration;

use reqwest::StatusCode;

use crate::support::{Browser, DataDir, HeldRequests, Server, bounded, eventually, spread};

const POOL: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_get_503_after_the_acquire_timeout_while_the_pool_is_exhausted() {
    bounded("pool_exhaustion", async {
        let dir = DataDir::demo("pool").await;
        dir.cluster("start").await;
        let _task = dir.pause_background_task().await;
        let mut db = dir.superuser().await;
        let pool = POOL.to_string();
        let server = Server::start(
            &dir,
            &[
                ("DB_POOL_SIZE", pool.as_str()),
                ("DB_ACQUIRE_TIMEOUT_SECS", "1"),
                // Well above how long the lock is held, so no statement is cancelled.
                ("DB_STATEMENT_TIMEOUT_SECS", "20"),
                ("REQUEST_TIMEOUT_SECS", "20"),
            ],
        )
        .await;
        let mut staff = Browser::new(&server);
        staff.sign_in("staff").await;

        let blocked = HeldRequests::start(&dir, &mut db, &staff, POOL).await;

        // Signed-in pages, readiness, and a visitor whose new session cannot be saved.
        let visitor = Browser::new(&server);
        let requests: Vec<_> =
            [(&staff, "/"), (&staff, "/plan/my"), (&staff, "/"), (&staff, "/readyz"), (&visitor, "/login")]
                .into_iter()
                .map(|(who, path)| {
                    let tab = who.clone();
                    tokio::spawn(async move { (path, tab.send(path, None).await) })
                })
                .collect();
        let mut refused = Vec::new();
        for request in requests {
            let (path, page) = request.await.unwrap();
            assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{path} with the pool exhausted: {}", page.body);
            if path != "/readyz" {
                assert!(page.has_retry_after(), "{path}: a 503 tells when to retry");
            }
            assert!(page.elapsed < Duration::from_millis(2500), "{path} answered after {:?}", page.elapsed);
            refused.push(page.elapsed);
        }
        eprintln!("pool_exhaustion: requests with all {POOL} connections busy answered 503: {}", spread(&refused));

        let waited = blocked.release().await;
        let recovery = eventually("a page answers 200 after the lock", Duration::from_secs(10), async || {
            staff.send("/", None).await.status == StatusCode::OK
        })
        .await;
        assert_eq!(staff.send("/readyz", None).await.status, StatusCode::OK);
        eprintln!(
            "pool_exhaustion: the {POOL} requests holding connections completed ({}); next 200 after {} ms",
            spread(&waited),
            recovery.as_millis()
        );
    })
    .await;
}

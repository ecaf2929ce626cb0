//! The database goes away under a running server: pages answer 503 (with
//! Retry-After) quickly instead of hanging or failing with 500, readiness says
//! so, liveness does not, and once the database is back the same server, with
//! the same sessions, serves again.

use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::support::{Browser, DataDir, Server, bounded, eventually, spread};

const OUTAGE: Duration = Duration::from_secs(10);
const ANSWER_WITHIN: Duration = Duration::from_secs(3);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_answer_503_while_the_database_is_down_and_200_once_it_is_back() {
    bounded("database_down", async {
        let dir = DataDir::demo("dbdown").await;
        let server = Server::start(&dir, &[("DB_ACQUIRE_TIMEOUT_SECS", "2")]).await;
        let mut staff = Browser::new(&server);
        staff.sign_in("staff").await;
        assert_eq!(staff.get("/readyz").await.status, StatusCode::OK);

        let stopped_in = dir.cluster("stop").await;
        eprintln!("database_down: cluster stopped in {} ms", stopped_in.as_millis());
        let down = Instant::now();
        let (mut pages, mut ready) = (Vec::new(), Vec::new());
        while down.elapsed() < OUTAGE {
            // A signed-in page (the session cannot be read), another one, and a
            // visitor's sign-in page (the new session cannot be saved).
            let visitor = Browser::new(&server);
            for (who, path) in [(&staff, "/"), (&staff, "/plan/my"), (&visitor, "/login")] {
                let page = who.send(path, None).await;
                assert_eq!(
                    page.status,
                    StatusCode::SERVICE_UNAVAILABLE,
                    "{path} with the database down: {}",
                    page.body
                );
                assert!(page.has_retry_after(), "{path}: a 503 tells when to retry");
                assert!(page.elapsed < ANSWER_WITHIN, "{path} answered after {:?}", page.elapsed);
                pages.push(page.elapsed);
            }
            let readyz = staff.send("/readyz", None).await;
            assert_eq!(readyz.status, StatusCode::SERVICE_UNAVAILABLE, "/readyz with the database down");
            assert!(readyz.elapsed < ANSWER_WITHIN, "/readyz answered after {:?}", readyz.elapsed);
            ready.push(readyz.elapsed);
            assert_eq!(staff.send("/healthz", None).await.status, StatusCode::OK, "the process itself is alive");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        eprintln!("database_down: pages while down answered 503: {}", spread(&pages));
        eprintln!("database_down: /readyz while down answered 503: {}", spread(&ready));

        let restart = Instant::now();
        let started_in = dir.cluster("start").await;
        let back = eventually("a signed-in page answers 200 again", Duration::from_secs(15), async || {
            staff.send("/", None).await.status == StatusCode::OK
        })
        .await;
        eprintln!(
            "database_down: cluster started in {} ms; the first 200 came {} ms after the start command returned \
             ({} ms after it was issued)",
            started_in.as_millis(),
            back.as_millis(),
            restart.elapsed().as_millis()
        );
        assert_eq!(staff.get("/readyz").await.status, StatusCode::OK);
        assert_eq!(staff.get("/plan/my").await.status, StatusCode::OK);
        let mut head = Browser::new(&server);
        head.sign_in("head").await;
    })
    .await;
}

//! MAX_CONCURRENT_REQUESTS: requests beyond the limit are refused at once
//! with 503 rather than queued, whichever page they ask for, and the server
//! serves normally as soon as the load has passed.

use std::time::Duration;

use reqwest::StatusCode;

use crate::support::{Browser, DataDir, HeldRequests, Server, bounded, eventually, spread};

const LIMIT: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_over_the_limit_are_refused_at_once_and_service_resumes() {
    bounded("overload", async {
        let dir = DataDir::demo("overload").await;
        dir.cluster("start").await;
        let _task = dir.pause_background_task().await;
        let mut db = dir.superuser().await;
        let limit = LIMIT.to_string();
        let server = Server::start(
            &dir,
            &[
                ("MAX_CONCURRENT_REQUESTS", limit.as_str()),
                ("DB_STATEMENT_TIMEOUT_SECS", "20"),
                ("REQUEST_TIMEOUT_SECS", "20"),
            ],
        )
        .await;
        let mut staff = Browser::new(&server);
        staff.sign_in("staff").await;

        // A slow page: with the person table locked, every signed-in page
        // waits. LIMIT such requests hold every slot.
        let held = HeldRequests::start(&dir, &mut db, &staff, LIMIT).await;

        // Twice as many more, on this and other pages, the sign-in page included.
        let paths = ["/", "/plan/my", "/monitor/reports", "/login"];
        let excess: Vec<_> = (0..2 * LIMIT)
            .map(|i| {
                let tab = staff.clone();
                tokio::spawn(async move { tab.send(paths[i % paths.len()], None).await })
            })
            .collect();
        let mut refused = Vec::new();
        for request in excess {
            let page = request.await.unwrap();
            assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "a request over the limit: {}", page.body);
            assert!(page.has_retry_after(), "a 503 tells when to retry");
            assert!(page.elapsed < Duration::from_secs(1), "refused at once, not queued: {:?}", page.elapsed);
            refused.push(page.elapsed);
        }
        eprintln!(
            "overload: {} requests over a limit of {LIMIT} refused with 503: {}",
            refused.len(),
            spread(&refused)
        );

        let waited = held.release().await;
        let recovery = eventually("a page answers 200 after the load", Duration::from_secs(10), async || {
            staff.send("/", None).await.status == StatusCode::OK
        })
        .await;
        eprintln!(
            "overload: the {LIMIT} slow requests completed ({}); next 200 after {} ms",
            spread(&waited),
            recovery.as_millis()
        );

        // An unsynchronised burst of four times the limit on the home page:
        // each answer is the page or a quick 503, and service resumes.
        let burst: Vec<_> = (0..4 * LIMIT)
            .map(|_| {
                let tab = staff.clone();
                tokio::spawn(async move { tab.send("/", None).await })
            })
            .collect();
        let (mut served, mut shed) = (Vec::new(), Vec::new());
        for request in burst {
            let page = request.await.unwrap();
            match page.status {
                StatusCode::OK => served.push(page.elapsed),
                StatusCode::SERVICE_UNAVAILABLE => {
                    assert!(page.elapsed < Duration::from_secs(1), "a 503 is quick: {:?}", page.elapsed);
                    shed.push(page.elapsed);
                }
                other => panic!("a burst answers 200 or 503, not {other}: {}", page.body),
            }
        }
        let recovery = eventually("a page answers 200 after the burst", Duration::from_secs(10), async || {
            staff.send("/", None).await.status == StatusCode::OK
        })
        .await;
        eprintln!(
            "overload: burst of {}: 200 {{{}}}, 503 {{{}}}; next 200 after {} ms",
            4 * LIMIT,
            spread(&served),
            spread(&shed),
            recovery.as_millis()
        );
    })
    .await;
}

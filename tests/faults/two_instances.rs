//! Two servers on one database, as behind a load balancer: a session started
//! on one works on the other, and when the same plan is approved on both at
//! the same moment (the same version read by both), exactly one approval
//! takes effect and is audited, and the other is told of the conflict.

use reqwest::StatusCode;
use tokio::sync::Barrier;

use std::sync::Arc;

use crate::support::{Browser, DataDir, Page, Server, bounded, count, locale_texts};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_sessions_and_exactly_one_of_two_simultaneous_approvals_wins() {
    bounded("two_instances", async {
        let dir_a = DataDir::demo("inst-a").await;
        let a = Server::start(&dir_a, &[]).await;
        // B uses A's cluster as the restricted application role, as the
        // deployment guide says: A (the owner) has migrated, so B starts as is.
        let dir_b = DataDir::empty("inst-b");
        let url = dir_a.superuser_url().replacen("cppcc_admin@", "cppcc_app@", 1);
        let b = Server::start(&dir_b, &[("DATABASE_URL", url.as_str())]).await;
        let mut db = dir_a.superuser().await;

        let mut staff = Browser::new(&a);
        staff.sign_in("staff").await;
        let mut staff_on_b = staff.on(&b);
        let page = staff_on_b.get("/").await;
        assert_eq!(page.status, StatusCode::OK, "A's session is signed in on B: {}", page.location());
        assert_eq!(
            Browser::new(&b).send("/", None).await.status,
            StatusCode::SEE_OTHER,
            "without it, B asks to sign in"
        );

        // A plan awaiting the head's decision (the head's own plan is the leader's).
        let set: i64 = sqlx::query_scalar(
            "select ts.id from target_set ts join person head on head.username = 'head'
             where ts.status::text = 'submitted' and ts.level::text = 'person'
               and ts.department_id = head.department_id and ts.person_id <> head.id
             order by ts.id limit 1",
        )
        .fetch_one(&mut db)
        .await
        .expect("the demo head has a plan to decide");
        let set_page = format!("/plan/sets/{set}");
        let approve = format!("/plan/sets/{set}/approve");

        let mut head_a = Browser::new(&a);
        head_a.sign_in("head").await;
        let mut head_b = Browser::new(&b);
        head_b.sign_in("head").await;
        let version_a = head_a.get(&set_page).await.form_value(&approve, "version").expect("an approve form on A");
        let version_b = head_b.get(&set_page).await.form_value(&approve, "version").expect("an approve form on B");
        assert_eq!(version_a, version_b, "both read the same version");
        let audit =
            format!("select count(*) from audit_log where action = 'target_set.approved' and object_id = '{set}'");
        assert_eq!(count(&mut db, &audit).await, 0);

        let start = Arc::new(Barrier::new(2));
        let sends: Vec<_> = [head_a.clone(), head_b.clone()]
            .into_iter()
            .map(|tab| {
                let (start, approve, version) = (start.clone(), approve.clone(), version_a.clone());
                tokio::spawn(async move {
                    let fields = tab.with_token(&[("version", version.as_str())]);
                    start.wait().await;
                    tab.send(&approve, Some(&fields)).await
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        for (send, browser) in sends.into_iter().zip([&mut head_a, &mut head_b]) {
            let answer = send.await.unwrap();
            outcomes.push(outcome(browser, answer).await);
        }
        let won = outcomes.iter().filter(|o| **o == Outcome::Approved).count();
        let conflicts = outcomes.iter().filter(|o| matches!(o, Outcome::Conflict(_))).count();
        assert_eq!((won, conflicts), (1, 1), "one approval wins, the other is told of the conflict: {outcomes:?}");
        assert_eq!(count(&mut db, &audit).await, 1, "exactly one audit row for the approval");
        let (status, version): (String, i32) =
            sqlx::query_as("select status::text, version from target_set where id = $1")
                .bind(set)
                .fetch_one(&mut db)
                .await
                .unwrap();
        assert_eq!(status, "approved");
        assert_eq!(version, version_a.parse::<i32>().unwrap() + 1, "the version moved once");
        eprintln!("two_instances: session from A accepted by B; simultaneous approvals of plan {set}: {outcomes:?}");
    })
    .await;
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Approved,
    /// How the conflict was told: "409 page" or "303 + flash".
    Conflict(&'static str),
    Other(String),
}

/// What the user sees after posting the approval: a 409 page, or the set
/// page the 303 leads to with its flash message.
async fn outcome(browser: &mut Browser, answer: Page) -> Outcome {
    let stale = locale_texts("error-stale-edit");
    let conflict = locale_texts("error-conflict-text");
    let mentions = |body: &str, texts: &[String]| texts.iter().any(|t| body.contains(t.as_str()));
    match answer.status {
        StatusCode::CONFLICT if mentions(&answer.body, &conflict) || mentions(&answer.body, &stale) => {
            Outcome::Conflict("409 page")
        }
        StatusCode::SEE_OTHER => {
            let next = browser.get(answer.location()).await;
            if next.body.contains("flash-ok") {
                Outcome::Approved
            } else if next.body.contains("flash-error") && mentions(&next.body, &stale) {
                Outcome::Conflict("303 + flash")
            } else {
                Outcome::Other(format!("303 to a page without a clear message: {}", next.body))
            }
        }
        other => Outcome::Other(format!("{other}: {}", answer.body)),
    }
}

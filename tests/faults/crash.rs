//! `kill -9` of the server in the middle of a burst of writes. A write is one
//! transaction with its audit row, so after a restart on the same data
//! directory (the cluster the killed server started still running) every
//! acknowledged write is there exactly once, every written row has its audit
//! row and every audit row its row, nothing half-written is left, sessions
//! survive, and the server serves and writes again.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::support::{Browser, DataDir, Server, bounded, count, eventually};

/// Writers per person, each sending one write after another.
const TABS: usize = 2;
/// The most writes one tab sends (the kill comes long before).
const WRITES_PER_TAB: usize = 60;
/// Acknowledged writes to wait for before the kill.
const KILL_AFTER: usize = 40;
const TITLE_PREFIX: &str = "崩溃测试";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_during_writes_leaves_every_write_whole() {
    bounded("crash", async {
        let dir = DataDir::demo("crash").await;
        let mut server = Server::start(&dir, &[]).await;
        let mut db = dir.superuser().await;

        // People with a plan they may still edit, in the cycle being planned.
        let sets: Vec<(i64, String)> = sqlx::query_as(
            "select ts.id, p.username from target_set ts
             join person p on p.id = ts.person_id
             join cycle c on c.id = ts.cycle_id
             where c.stage::text = 'planning' and ts.level::text = 'person'
               and ts.status::text in ('draft', 'returned') and p.active and not p.must_change_password
             order by ts.id limit 6",
        )
        .fetch_all(&mut db)
        .await
        .unwrap();
        assert!(sets.len() >= 3, "the demo has plans being drafted: {sets:?}");
        let mut people = Vec::new();
        for (set, username) in &sets {
            let mut browser = Browser::new(&server);
            browser.sign_in(username).await;
            assert_eq!(browser.get(&format!("/plan/sets/{set}")).await.status, StatusCode::OK);
            people.push((*set, username.clone(), browser));
        }
        let last_target = count(&mut db, "select coalesce(max(id), 0) from target").await;
        let last_audit = count(&mut db, "select coalesce(max(id), 0) from audit_log").await;

        let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
        let mut writers = Vec::new();
        for (set, username, browser) in &people {
            for tab in 0..TABS {
                let (browser, acknowledged, set) = (browser.clone(), acknowledged.clone(), *set);
                let username = username.clone();
                writers.push(tokio::spawn(async move {
                    let path = format!("/plan/sets/{set}/targets");
                    for n in 0..WRITES_PER_TAB {
                        let title = format!("{TITLE_PREFIX} {username} {tab}-{n}");
                        let fields = [
                            ("title", title.as_str()),
                            ("category", "routine"),
                            ("measure", "按时办结占比"),
                            ("unit", "%"),
                            ("target_value", "95"),
                            ("weight", "5"),
                            ("assessment_method", "台账核查"),
                            ("sort_order", "1"),
                        ];
                        match browser.try_send(&path, Some(&browser.with_token(&fields))).await {
                            Ok(page) if page.status == StatusCode::SEE_OTHER => {
                                acknowledged.lock().unwrap().push(title);
                            }
                            Ok(page) => panic!("a write before the kill answered {}: {}", page.status, page.body),
                            // The server is gone.
                            Err(_) => return,
                        }
                    }
                }));
            }
        }
        eventually("writes are acknowledged", Duration::from_secs(30), async || {
            acknowledged.lock().unwrap().len() >= KILL_AFTER
        })
        .await;
        server.kill();
        let acknowledged_before_kill = acknowledged.lock().unwrap().len();
        for writer in writers {
            writer.await.expect("a writer failed");
        }
        let acknowledged: Vec<String> = acknowledged.lock().unwrap().clone();

        let restart = Instant::now();
        let server = Server::start(&dir, &[]).await;
        let restarted_in = restart.elapsed();

        // Every acknowledged write is there exactly once.
        let written: Vec<(i64, String)> = sqlx::query_as("select id, title from target where id > $1 order by id")
            .bind(last_target)
            .fetch_all(&mut db)
            .await
            .unwrap();
        let titles: Vec<&str> = written.iter().map(|(_, t)| t.as_str()).collect();
        for title in &acknowledged {
            assert_eq!(titles.iter().filter(|t| *t == title).count(), 1, "acknowledged write {title:?} is kept once");
        }
        assert!(titles.iter().all(|t| t.starts_with(TITLE_PREFIX)), "only the burst wrote targets: {titles:?}");

        // Every written target has its audit row, by its set's owner, and
        // every audit row of a created target names a target that exists.
        let audited: Vec<String> =
            sqlx::query_scalar("select object_id from audit_log where id > $1 and action = 'target.created'")
                .bind(last_audit)
                .fetch_all(&mut db)
                .await
                .unwrap();
        let rows: BTreeSet<String> = written.iter().map(|(id, _)| id.to_string()).collect();
        let audit_rows: BTreeSet<String> = audited.iter().cloned().collect();
        assert_eq!(audited.len(), audit_rows.len(), "one audit row per target");
        assert_eq!(rows, audit_rows, "targets and their audit rows match");
        let wrong_actor = count(
            &mut db,
            &format!(
                "select count(*) from audit_log a
                 join target t on t.id::text = a.object_id
                 join target_set ts on ts.id = t.set_id
                 where a.id > {last_audit} and a.action = 'target.created' and a.actor_id is distinct from ts.person_id"
            ),
        )
        .await;
        assert_eq!(wrong_actor, 0, "each audit row names the person who wrote");

        // The workflow objects are in known states and nothing dangles.
        let checks = [
            (
                "target sets in a known state",
                "select count(*) from target_set where status::text not in ('draft', 'submitted', 'returned', 'approved')",
            ),
            (
                "progress reports in a known state",
                "select count(*) from progress_report where status::text not in ('submitted', 'returned', 'verified')",
            ),
            (
                "attachments whose owner is missing",
                "select count(*) from attachment a where not exists (
                     select 1 from progress_report r where a.owner_type = 'progress_report' and r.id = a.owner_id
                     union all
                     select 1 from ledger_record l where a.owner_type = 'ledger_record' and l.id = a.owner_id
                     union all
                     select 1 from event e where a.owner_type = 'event' and e.id = a.owner_id
                     union all
                     select 1 from result_appeal r where a.owner_type = 'result_appeal' and r.id = a.owner_id
                     union all
                     select 1 from rectification_step r where a.owner_type = 'rectification_step' and r.id = a.owner_id)",
            ),
            ("audit rows of targets that do not exist",
             "select count(*) from audit_log a where a.action = 'target.created'
                 and not exists (select 1 from target t where t.id::text = a.object_id)"),
        ];
        for (what, sql) in checks {
            assert_eq!(count(&mut db, sql).await, 0, "{what}");
        }
        let set_ids: Vec<String> = sets.iter().map(|(id, _)| id.to_string()).collect();
        let still_editable = count(
            &mut db,
            &format!(
                "select count(*) from target_set where id in ({}) and status::text in ('draft', 'returned')",
                set_ids.join(", ")
            ),
        )
        .await;
        assert_eq!(still_editable as usize, sets.len(), "the written plans are still drafts");
        eprintln!(
            "crash: {} writers; SIGKILL after {acknowledged_before_kill} acknowledged writes; \
             {} acknowledged in all, {} committed (the rest were cut before their answer); \
             {} audit rows; restart took {} ms",
            people.len() * TABS,
            acknowledged.len(),
            written.len(),
            audited.len(),
            restarted_in.as_millis()
        );

        // Sessions survive the crash, and the restarted server writes again.
        let (set, username, browser) = &people[0];
        let mut browser = browser.on(&server);
        assert_eq!(browser.get("/").await.status, StatusCode::OK, "{username}'s session survives");
        let page = browser
            .post(&format!("/plan/sets/{set}/targets"), &[("title", "重启后的目标"), ("category", "routine"), ("weight", "5")])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "a write after the restart: {}", page.body);
        let audit = count(
            &mut db,
            "select count(*) from audit_log a join target t on t.id::text = a.object_id
             where a.action = 'target.created' and t.title = '重启后的目标'",
        )
        .await;
        assert_eq!(audit, 1, "the write after the restart has its audit row");
    })
    .await;
}

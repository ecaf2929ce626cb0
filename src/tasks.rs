//! The background task: raises what is due with time (late reports, slips,
//! vacant posts, broken commitments) as notifications and ledger proposals,
//! and the written notices of results that became final; fails export jobs
//! whose instance has gone and removes old export files.
//! Notices of events (a plan or report returned) are raised with the event,
//! in its transaction (`workflow::notices`, docs/DOMAIN.md §12).
//! Everything it does is derived from the database and keyed, so running it
//! again, on any instance or after a restart, adds nothing twice.

use std::time::Duration;

use chrono::NaiveDate;
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use crate::clock::Clock;
use crate::db::absences;
use crate::db::audit::AuditContext;
use crate::db::calendar;
use crate::db::notifications::{self, NewNotification};
use crate::db::reports::{self, ReportingScope};
use crate::domain::throttle::ThrottleRules;

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskRun {
    /// Another instance held the lock; nothing was done.
    pub skipped: bool,
    pub notifications: usize,
    /// Three-colour slips issued.
    pub slips: usize,
    /// Ledger penalties proposed for broken commitments.
    pub ledger_proposals: usize,
    /// Written notices of final results issued (docs/DOMAIN.md §19.1).
    pub result_notices: usize,
    /// Sign-in throttle keys forgotten: quiet for longer than the throttle remembers.
    pub throttle_forgotten: u64,
}

/// Runs the task every `every` until the process ends; the first run comes soon after start.
pub fn spawn(pool: PgPool, clock: Clock, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        tokio::time::sleep(Duration::from_secs(5)).await;
        loop {
            interval.tick().await;
            match run_once(&pool, clock.today()).await {
                Ok(run) => tracing::debug!(?run, "background task ran"),
                Err(err) => tracing::warn!(error = %err, "background task failed; it runs again later"),
            }
        }
    })
}

/// One run for `today`, in one transaction, by one instance at a time.
pub async fn run_once(pool: &PgPool, today: NaiveDate) -> anyhow::Result<TaskRun> {
    let mut tx = pool.begin().await?;
    if !crate::db::tasks::try_lock(&mut tx).await? {
        return Ok(TaskRun { skipped: true, ..TaskRun::default() });
    }
    let mut run = TaskRun::default();
    let system = AuditContext { actor_name: "system".into(), ..AuditContext::default() };
    let calendar =
        calendar::load(&mut tx, today - chrono::Duration::days(400), today + chrono::Duration::days(400)).await?;
    run.slips = crate::workflow::slips::issue_due_slips(&mut tx, today, &system).await?;
    run.ledger_proposals = crate::db::commitment_cases::propose_for_overdue_cases(&mut tx, today, &calendar).await?;
    run.notifications += notify_vacant_posts(&mut tx, today).await?;
    run.notifications += notify_slips(&mut tx, today).await?;
    run.notifications += notify_reports(&mut tx, today).await?;
    run.result_notices = crate::workflow::results::issue_notices(&mut tx, today).await?;
    // The use of results: proposals for every final annual cycle's people (docs/DOMAIN.md §19.6).
    crate::workflow::result_use::refresh_final_cycles(&mut tx, today).await?;
    // Export jobs whose instance has gone fail; files kept their days are removed (docs/DOMAIN.md §20.3).
    let (failed, removed) = crate::workflow::export_jobs::upkeep(&mut tx).await?;
    if failed + removed > 0 {
        tracing::info!(failed, removed, "export jobs kept up");
    }
    // Sign-in throttling runs on real time, not the application's clock (auth/signin.rs).
    let before = chrono::Utc::now() - ThrottleRules::default().memory();
    run.throttle_forgotten = crate::db::throttle::forget_before(&mut tx, before).await?;
    tx.commit().await?;
    Ok(run)
}

/// Tells whoever must answer a slip (once per slip).
async fn notify_slips(conn: &mut PgConnection, today: NaiveDate) -> anyhow::Result<usize> {
    let mut all = Vec::new();
    for slip in notifications::slips_to_announce(conn, today).await? {
        all.push(NewNotification {
            person_id: slip.person_id,
            message: "notify-slip-issued",
            args: json!({ "title": slip.title, "name_key": slip.colour.label_key(), "date": slip.answer_due.to_string() }),
            link: format!("/supervision/{}", slip.item_id),
            dedupe_key: Some(format!("slip:{}:{}", slip.slip_id, slip.person_id)),
        });
    }
    raise_all(conn, &all).await
}

/// Tells the heads of a post's department and the performance office that
/// both A and B of the post are away today (空岗): once a day per post and
/// person (the dedupe key is unique over all notifications, so it names the person).
async fn notify_vacant_posts(conn: &mut PgConnection, today: NaiveDate) -> anyhow::Result<usize> {
    let vacant: Vec<_> =
        absences::current_cover(conn, None, today).await?.into_iter().filter(|p| p.is_vacant()).collect();
    if vacant.is_empty() {
        return Ok(0);
    }
    let departments: Vec<i64> = vacant.iter().map(|p| p.department_id).collect();
    let recipients = absences::vacancy_recipients(conn, &departments).await?;
    let mut all = Vec::new();
    for post in &vacant {
        let mut people: Vec<i64> =
            recipients.iter().filter(|(_, d)| d.is_none_or(|d| d == post.department_id)).map(|(p, _)| *p).collect();
        people.dedup();
        for person_id in people {
            all.push(NewNotification {
                person_id,
                message: "notify-post-vacant",
                args: json!({ "title": format!("{} · {}", post.department_name, post.title) }),
                link: "/absences/cover".into(),
                dedupe_key: Some(format!("post_vacant:{}:{today}:{person_id}", post.post_id)),
            });
        }
    }
    raise_all(conn, &all).await
}

/// Tells owners of late progress reports, and the B who covered on the
/// deadline day or covers now (once per period and person). Returned reports
/// are told when they are returned (`workflow::notices`).
async fn notify_reports(conn: &mut PgConnection, today: NaiveDate) -> anyhow::Result<usize> {
    let mut all = Vec::new();
    let everything = ReportingScope { watch: notifications::all_departments(conn).await?, ..ReportingScope::default() };
    for target in reports::reporting(conn, &everything, today).await? {
        let Some(owner) = target.owner_id else { continue };
        for period in target.late_periods() {
            let link = format!("/monitor/targets/{}/report?period={}", target.target_id, period.start);
            all.push(NewNotification {
                person_id: owner,
                message: "notify-report-late",
                args: json!({ "title": target.title, "date": period.due.to_string() }),
                link: link.clone(),
                dedupe_key: Some(format!("report_late:{}:{}", target.target_id, period.start)),
            });
            // The B charged with the lateness (who covered on the deadline day)
            // and the B who covers now are told as acting for the owner.
            let charged = target.late_by_backup(&period.start).map(|c| c.person_id);
            let mut acting: Vec<i64> = charged.into_iter().chain(target.covering.as_ref().map(|c| c.0)).collect();
            acting.dedup();
            for person_id in acting.into_iter().filter(|p| *p != owner) {
                all.push(NewNotification {
                    person_id,
                    message: "notify-report-late-acting",
                    args: json!({
                        "title": target.title,
                        "date": period.due.to_string(),
                        "name": target.owner_name.clone().unwrap_or_default(),
                    }),
                    link: link.clone(),
                    dedupe_key: Some(format!("report_late_acting:{}:{}:{person_id}", target.target_id, period.start)),
                });
            }
        }
    }
    raise_all(conn, &all).await
}

/// Raises a run's notifications of one kind in one statement; how many were new.
async fn raise_all(conn: &mut PgConnection, all: &[NewNotification<'_>]) -> anyhow::Result<usize> {
    Ok(usize::try_from(notifications::raise_all(conn, all).await?)?)
}

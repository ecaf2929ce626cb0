//! Notifications raised by the background task, and the notifications page.
//! Event notices (returned plans and reports) are tested with their events in
//! plan.rs and reports.rs.

use axum::http::StatusCode;
use chrono::NaiveDate;
use cppcc_perf::domain::roles::Role;
use cppcc_perf::tasks;

use crate::support::{PASSWORD, TestApp};

/// 李娜 assigned an item of 办公室 that is overdue today: the task issues it
/// a red slip and tells her. Her id and the item.
async fn overdue_item(app: &TestApp) -> (i64, i64) {
    let department = app.department("办公室").await;
    let assignee = app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let officer = app.person("du.ban", "督查员", &[(Role::SupervisionOfficer, None)]).await;
    let item: i64 = sqlx::query_scalar(
        "insert into supervision_item (title, source, department_id, assignee_id, opened_by, due_date, status)
         values ('政协大会提案交办', 'meeting_decision', $1, $2, $3, '2026-11-20', 'in_progress') returning id",
    )
    .bind(department)
    .bind(assignee)
    .bind(officer)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    (assignee, item)
}

fn today() -> NaiveDate {
    crate::support::test_day()
}

#[tokio::test]
async fn the_task_raises_a_notification_once_however_often_it_runs() {
    let app = TestApp::new().await;
    overdue_item(&app).await;
    let first = tasks::run_once(&app.pool, today()).await.unwrap();
    assert_eq!(first.notifications, 1);
    let again = tasks::run_once(&app.pool, today()).await.unwrap();
    assert_eq!(again.notifications, 0);
    assert_eq!(app.count("select count(*) from notification").await, 1);
}

#[tokio::test]
async fn only_one_instance_runs_the_task_at_a_time() {
    let app = TestApp::new().await;
    overdue_item(&app).await;
    let mut holder = app.pool.begin().await.unwrap();
    sqlx::query("select pg_advisory_xact_lock(735001)").execute(&mut *holder).await.unwrap();
    let run = tasks::run_once(&app.pool, today()).await.unwrap();
    assert!(run.skipped);
    holder.rollback().await.unwrap();
    assert_eq!(app.count("select count(*) from notification").await, 0);
}

#[tokio::test]
async fn a_person_reads_their_notifications_and_follows_the_link() {
    let app = TestApp::new().await;
    let (_, item) = overdue_item(&app).await;
    tasks::run_once(&app.pool, today()).await.unwrap();
    let mut client = app.client();
    client.login("li.na", PASSWORD).await;
    let home = client.get("/").await;
    home.assert_contains("id=\"unread-count\">1<");
    let page = client.get("/notifications").await;
    page.assert_contains("督办事项“政协大会提案交办”收到红色督办单");
    let id: i64 = sqlx::query_scalar("select id from notification").fetch_one(&app.pool).await.unwrap();
    let open = client.post(&format!("/notifications/{id}/open"), &[]).await;
    assert_eq!(open.location(), format!("/supervision/{item}"));
    assert!(!client.get("/").await.body.contains("unread-count"));
    let mut other = app.signed_in(Role::Staff).await;
    assert_eq!(other.post(&format!("/notifications/{id}/open"), &[]).await.status, StatusCode::NOT_FOUND);
    client.post("/notifications/read-all", &[]).await;
    client.get("/notifications").await.assert_contains("已全部标为已读");
}

#[tokio::test]
async fn the_task_raises_no_event_notices() {
    // Returned plans and reports are told when they are returned (plan.rs,
    // reports.rs); the task, which once raised them late, leaves them alone.
    let app = TestApp::new().await;
    let person = app.person("zhang.wei", "张伟", &[(Role::Staff, None)]).await;
    let cycle: i64 = sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until, assessment_until, feedback_until)
         values ('2027年度考核', 'annual', '2027-01-01', '2027-12-31', '2027-01-31', '2027-12-31', '2027-12-31', '2027-12-31') returning id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query("insert into target_set (cycle_id, level, person_id, status, return_reason) values ($1, 'person', $2, 'returned', '请补充')")
        .bind(cycle)
        .bind(person)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(tasks::run_once(&app.pool, today()).await.unwrap().notifications, 0);
}

#[tokio::test]
async fn slips_reach_the_people_who_must_act() {
    let app = TestApp::new().await;
    let (_, item) = overdue_item(&app).await;
    let run = tasks::run_once(&app.pool, today()).await.unwrap();
    assert_eq!(run.slips, 1, "an overdue item gets a red slip");
    assert_eq!(tasks::run_once(&app.pool, today()).await.unwrap().slips, 0);
    let mut client = app.client();
    client.login("li.na", PASSWORD).await;
    let page = client.get("/notifications").await;
    page.assert_contains("督办事项“政协大会提案交办”收到红色督办单");
    let link: String = sqlx::query_scalar("select link from notification").fetch_one(&app.pool).await.unwrap();
    assert_eq!(link, format!("/supervision/{item}"));
}

#[tokio::test]
async fn a_batch_of_notifications_raises_each_dedupe_key_once() {
    use cppcc_perf::db::notifications::{NewNotification, raise, raise_all};
    let app = TestApp::new().await;
    let person = app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let note = |key: &str| NewNotification {
        person_id: person,
        message: "notify-report-late",
        args: serde_json::json!({ "title": "季度报告", "date": "2026-11-20" }),
        link: "/monitor/reports".into(),
        dedupe_key: Some(key.to_string()),
    };
    let mut conn = app.pool.acquire().await.unwrap();
    assert!(raise(&mut conn, &note("a")).await.unwrap());
    // "a" exists already and "b" comes twice: two are new.
    let raised = raise_all(&mut conn, &[note("a"), note("b"), note("b"), note("c")]).await.unwrap();
    assert_eq!(raised, 2);
    assert_eq!(raise_all(&mut conn, &[]).await.unwrap(), 0);
    assert_eq!(app.count("select count(*) from notification").await, 3);
}

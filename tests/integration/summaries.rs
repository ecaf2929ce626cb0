//! Self-summaries (个人总结) and duty reports (述职报告): a participant writes
//! and submits, the head returns with a reason or accepts, a head's own duty
//! report goes to the supervising leader, the scheme's length limit, the
//! assessment stage, lateness on the to-dos, stale forms.

use axum::http::StatusCode;
use cppcc_perf::domain::roles::Role;

use crate::support::{Client, TestApp, day};

/// A department with a staff member, its head (also staff, so a participant)
/// and its supervising leader, and a 2026 Q3 cycle in `stage`. Summaries of
/// the cycle are due on 14 October (ten work days after 30 September, no
/// calendar overrides loaded).
struct Office {
    cycle: i64,
    staff: i64,
    head: i64,
}

async fn office(app: &TestApp, stage: &str) -> Office {
    let department = app.department("研究室").await;
    let staff = app.person("wang.a", "王甲", &[(Role::Staff, None)]).await;
    let head = app.person("li.chu", "李处长", &[(Role::Staff, None), (Role::DepartmentHead, Some(department))]).await;
    app.person("zhao.ld", "赵领导", &[(Role::SupervisingLeader, Some(department))]).await;
    sqlx::query("update person set department_id = $1 where id = any($2)")
        .bind(department)
        .bind(vec![staff, head])
        .execute(&app.pool)
        .await
        .unwrap();
    let cycle: i64 = sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until,
                            assessment_until, feedback_until, stage)
         values ('2026年第三季度平时考核', 'quarterly', '2026-07-01', '2026-09-30', '2026-07-10', '2026-09-30',
                 '2026-10-31', '2026-11-30', $1::cycle_stage) returning id",
    )
    .bind(stage)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    Office { cycle, staff, head }
}

async fn write(client: &mut Client, cycle: i64, body: &str, version: i32, action: &str) -> crate::support::Page {
    let version = version.to_string();
    client
        .post(&format!("/assess/cycles/{cycle}/summary"), &[("body", body), ("version", &version), ("action", action)])
        .await
}

async fn summary_of(app: &TestApp, person: i64) -> (i64, String, i32) {
    sqlx::query_as("select id, status::text, version from self_summary where person_id = $1")
        .bind(person)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn staff_saves_submits_is_returned_with_a_reason_resubmits_and_the_head_accepts() {
    let app = TestApp::on(day(10, 12)).await;
    let o = office(&app, "assessment").await;
    let mut staff = app.login_as("wang.a").await;
    let mine = staff.get("/assess/my").await;
    mine.assert_contains("2026年第三季度平时考核");
    mine.assert_contains("2026-10-14");
    let form = staff.get(&format!("/assess/cycles/{}/summary", o.cycle)).await;
    assert_eq!(form.status, StatusCode::OK);
    form.assert_contains("个人总结");

    let saved = write(&mut staff, o.cycle, "三季度草稿", 0, "save").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let (id, status, version) = summary_of(&app, o.staff).await;
    assert_eq!(status, "draft");
    let submitted = write(&mut staff, o.cycle, "三季度完成了调研报告三篇。", version, "submit").await;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER, "{}", submitted.body);
    let (_, status, version) = summary_of(&app, o.staff).await;
    assert_eq!(status, "submitted");

    let mut head = app.login_as("li.chu").await;
    let overview = head.get("/assess/summaries").await;
    overview.assert_contains("王甲");
    overview.assert_contains(&format!("/assess/summaries/{id}"));
    let page = head.get(&format!("/assess/summaries/{id}")).await;
    page.assert_contains("三季度完成了调研报告三篇。");
    page.assert_contains("return-summary");

    let v = version.to_string();
    let refused = head
        .post(&format!("/assess/summaries/{id}/decide"), &[("action", "return"), ("reason", " "), ("version", &v)])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("退回必须填写理由");
    assert_eq!(summary_of(&app, o.staff).await.1, "submitted");
    let returned = head
        .post(
            &format!("/assess/summaries/{id}/decide"),
            &[("action", "return"), ("reason", "请补充目标完成情况"), ("version", &v)],
        )
        .await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER, "{}", returned.body);
    let (_, status, version) = summary_of(&app, o.staff).await;
    assert_eq!(status, "returned");

    let form = staff.get(&format!("/assess/cycles/{}/summary", o.cycle)).await;
    form.assert_contains("请补充目标完成情况");
    let home = staff.get("/").await;
    home.assert_contains("被退回");
    staff.get("/notifications").await.assert_contains("个人总结被退回");
    let again = write(&mut staff, o.cycle, "三季度完成调研报告三篇，目标完成率 100%。", version, "submit").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let (_, status, version) = summary_of(&app, o.staff).await;
    assert_eq!(status, "submitted");
    let unsettled = app
        .count("select count(*) from notification where dedupe_key like 'summary_returned:%' and read_at is null")
        .await;
    assert_eq!(unsettled, 0, "the return's notice is settled by the resubmission");

    let v = version.to_string();
    let accepted = head.post(&format!("/assess/summaries/{id}/decide"), &[("action", "accept"), ("version", &v)]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    assert_eq!(summary_of(&app, o.staff).await.1, "accepted");
    // A handed-in summary is not written again.
    let closed = write(&mut staff, o.cycle, "改写", version + 1, "save").await;
    assert_eq!(closed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let audited = app.count("select count(*) from audit_log where action like 'summary.%'").await;
    assert_eq!(audited, 5, "every step is audited: save, submit, return, resubmit, accept");
}

#[tokio::test]
async fn the_head_cannot_decide_their_own_duty_report_the_supervising_leader_does() {
    let app = TestApp::on(day(10, 12)).await;
    let o = office(&app, "assessment").await;
    let mut head = app.login_as("li.chu").await;
    let form = head.get(&format!("/assess/cycles/{}/summary", o.cycle)).await;
    form.assert_contains("述职报告");
    let sent = write(&mut head, o.cycle, "本处室三季度工作述职。", 0, "submit").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let kind: String = sqlx::query_scalar("select kind::text from self_summary where person_id = $1")
        .bind(o.head)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(kind, "duty_report");
    let (id, _, version) = summary_of(&app, o.head).await;
    let v = version.to_string();
    let own = head.post(&format!("/assess/summaries/{id}/decide"), &[("action", "accept"), ("version", &v)]).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);

    let mut leader = app.login_as("zhao.ld").await;
    leader.get("/").await.assert_contains("等待您审阅");
    leader.get("/assess/summaries").await.assert_contains("李处长");
    let accepted =
        leader.post(&format!("/assess/summaries/{id}/decide"), &[("action", "accept"), ("version", &v)]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    assert_eq!(summary_of(&app, o.head).await.1, "accepted");

    // Staff summaries go to the head, not to the leader.
    let mut staff = app.login_as("wang.a").await;
    write(&mut staff, o.cycle, "个人总结。", 0, "submit").await;
    let (staff_id, _, version) = summary_of(&app, o.staff).await;
    let v = version.to_string();
    let not_leader =
        leader.post(&format!("/assess/summaries/{staff_id}/decide"), &[("action", "accept"), ("version", &v)]).await;
    assert_eq!(not_leader.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_summary_over_the_schemes_length_limit_is_refused_with_the_text_kept() {
    let app = TestApp::on(day(10, 12)).await;
    let o = office(&app, "assessment").await;
    let mut staff = app.login_as("wang.a").await;
    let long = "字".repeat(3001);
    let page = write(&mut staff, o.cycle, &long, 0, "save").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("超出字数上限");
    page.assert_contains(&long);
    assert_eq!(app.count("select count(*) from self_summary").await, 0);
    let empty = write(&mut staff, o.cycle, "  ", 0, "submit").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    empty.assert_contains("提交的总结不能为空");
}

#[tokio::test]
async fn summaries_are_written_only_in_the_assessment_stage_and_only_by_participants() {
    let app = TestApp::on(day(9, 20)).await;
    let o = office(&app, "implementation").await;
    let mut staff = app.login_as("wang.a").await;
    let page = write(&mut staff, o.cycle, "提前写的总结", 0, "save").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("提前写的总结");
    page.assert_contains("评估阶段");
    assert_eq!(app.count("select count(*) from self_summary").await, 0);
    assert!(!staff.get("/assess/my").await.body.contains("2026年第三季度平时考核"));

    // The leader holds no staff role, so takes no part and writes nothing.
    let mut leader = app.login_as("zhao.ld").await;
    assert_eq!(write(&mut leader, o.cycle, "x", 0, "save").await.status, StatusCode::FORBIDDEN);
    assert_eq!(leader.get(&format!("/assess/cycles/{}/summary", o.cycle)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(staff.get("/assess/cycles/999999/summary").await.status, StatusCode::NOT_FOUND);
    assert_eq!(staff.get("/assess/summaries/999999").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_late_summary_appears_on_the_to_dos_of_the_author_and_the_head() {
    let app = TestApp::on(day(10, 20)).await;
    let o = office(&app, "assessment").await;
    let mut staff = app.login_as("wang.a").await;
    let home = staff.get("/").await;
    home.assert_contains("已超过截止日期仍未提交");
    home.assert_contains("/assess/my");
    staff.get("/assess/my").await.assert_contains("逾期");
    let mut head = app.login_as("li.chu").await;
    head.get("/").await.assert_contains("逾期未提交");

    // Submitted late, it stays marked late for the head but leaves the to-dos.
    write(&mut staff, o.cycle, "迟交的总结", 0, "submit").await;
    assert!(!staff.get("/").await.body.contains("已超过截止日期仍未提交"));
    let (id, _, _) = summary_of(&app, o.staff).await;
    head.get(&format!("/assess/summaries/{id}")).await.assert_contains("summary-late");
    head.get("/").await.assert_contains("等待您审阅");
}

#[tokio::test]
async fn a_stale_form_is_refused_with_409_and_the_input_kept() {
    let app = TestApp::on(day(10, 12)).await;
    let o = office(&app, "assessment").await;
    let mut staff = app.login_as("wang.a").await;
    assert_eq!(write(&mut staff, o.cycle, "第一个标签页", 0, "save").await.status, StatusCode::SEE_OTHER);
    let stale = write(&mut staff, o.cycle, "第二个标签页", 0, "save").await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    stale.assert_contains("第二个标签页");
    let body: String = sqlx::query_scalar("select body from self_summary where person_id = $1")
        .bind(o.staff)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(body, "第一个标签页");
}

//! Stage 4: written notices of final results, result versions and feedback
//! interviews (docs/DOMAIN.md §19.1–§19.3).

use axum::http::StatusCode;
use calamine::Data;
use chrono::NaiveDate;
use cppcc_perf::domain::roles::Role;
use cppcc_perf::tasks::run_once;

use crate::support::{TestApp, sheet_row, sheet_row_of};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// An office of one department with its head and two staff, and the 2025
/// annual cycle decided on 2026-01-20 with publicity until 2026-01-27.
struct Decided {
    department: i64,
    head: i64,
    wang: i64,
    zhao: i64,
    cycle: i64,
}

async fn decided(app: &TestApp) -> Decided {
    let department = app.department("研究室").await;
    let head = app.member("li.head", "李主任", department, &[(Role::DepartmentHead, Some(department))]).await;
    let wang = app.member("wang.a", "王甲", department, &[(Role::Staff, None)]).await;
    let zhao = app.member("zhao.b", "赵乙", department, &[(Role::Staff, None)]).await;
    let committee = app.person("zhou.committee", "周委员", &[(Role::AssessmentCommittee, None)]).await;
    let cycle = app.decided_2025(committee).await;
    for (person, score, grade) in [(wang, "93.5", "excellent"), (zhao, "82", "competent"), (head, "88", "competent")] {
        app.annual_result(cycle, person, department, score, grade).await;
    }
    Decided { department, head, wang, zhao, cycle }
}

#[tokio::test]
async fn notices_are_issued_once_the_result_is_final_and_due_in_work_days() {
    let app = TestApp::on(d(2026, 1, 27)).await;
    app.seed_2026_calendar().await;
    let o = decided(&app).await;
    assert_eq!(app.count("select count(*) from assessment_result_version where version = 1").await, 3);
    // Still in publicity on its last day: nothing to tell yet.
    assert_eq!(run_once(&app.pool, d(2026, 1, 27)).await.unwrap().result_notices, 0);
    // Final from 28 January: five work days later is 4 February.
    let run = run_once(&app.pool, d(2026, 1, 28)).await.unwrap();
    assert_eq!(run.result_notices, 3);
    assert_eq!(run_once(&app.pool, d(2026, 1, 29)).await.unwrap().result_notices, 0, "issued once");
    let due: NaiveDate = sqlx::query_scalar("select due_on from result_notice where person_id = $1")
        .bind(o.wang)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(due, d(2026, 2, 4));
    let _ = (o.department, o.zhao, o.cycle);
}

#[tokio::test]
async fn a_person_acknowledges_their_notice_with_an_opinion_and_the_office_sees_who_waits() {
    let app = TestApp::on(d(2026, 2, 10)).await;
    let o = decided(&app).await;
    run_once(&app.pool, d(2026, 1, 28)).await.unwrap();
    let notice: i64 = sqlx::query_scalar("select id from result_notice where person_id = $1")
        .bind(o.wang)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let mut wang = app.login_as("wang.a").await;
    let home = wang.get("/").await;
    home.assert_contains("考核结果通知待签收");
    let page = wang.get(&format!("/feedback/notices/{notice}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("优秀");
    page.assert_contains("id=\"acknowledge-form\"");
    let print = wang.get(&format!("/feedback/notices/{notice}/print")).await;
    print.assert_contains("id=\"notice-letter\"");
    assert!(!print.body.contains("id=\"acknowledge-form\""));
    // Someone else's notice is neither readable nor signable.
    let mut zhao = app.login_as("zhao.b").await;
    assert_eq!(zhao.get(&format!("/feedback/notices/{notice}")).await.status, StatusCode::FORBIDDEN);
    let path = format!("/feedback/notices/{notice}/acknowledge");
    assert_eq!(zhao.post(&path, &[("opinion", "x")]).await.status, StatusCode::FORBIDDEN);
    // Too long an opinion comes back with the text kept.
    let long = "意".repeat(2001);
    let page = wang.post(&path, &[("opinion", &long)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"opinion-error\"");
    assert_eq!(wang.post(&path, &[("opinion", "对结果无异议，将继续努力。")]).await.status, StatusCode::SEE_OTHER);
    let page = wang.get(&format!("/feedback/notices/{notice}")).await;
    page.assert_contains("对结果无异议，将继续努力。");
    assert!(!page.body.contains("id=\"acknowledge-form\""));
    // A second signature changes nothing.
    wang.post(&path, &[("opinion", "改主意了")]).await;
    assert_eq!(app.count("select count(*) from audit_log where action = 'notice.acknowledged'").await, 1);
    // The performance office lists the two still waiting, with their days.
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    let page = perf.get("/feedback/notices?waiting=1").await;
    page.assert_contains("待签收 13 天");
    assert!(!page.body.contains(&format!("id=\"notice-{notice}\"")));
    perf.get("/").await.assert_contains("有 2 份考核结果通知尚未签收");
    // The feedback board measures the notices of 2025's results: all three in time, two waiting.
    let board = perf.get("/feedback/board?year=2025").await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.body);
    board.assert_contains("100%");
    board.assert_contains("2 份待签收");
    assert_eq!(zhao.get("/feedback/board").await.status, StatusCode::FORBIDDEN);
    // The head follows the department's notices; a colleague does not.
    let mut head = app.login_as("li.head").await;
    head.get("/feedback/notices").await.assert_contains("王甲");
    assert!(!zhao.get("/feedback/notices").await.body.contains("王甲"));
    let _ = o.head;
}

#[tokio::test]
async fn a_corrected_result_is_a_new_version_told_again() {
    let app = TestApp::on(d(2026, 2, 10)).await;
    let o = decided(&app).await;
    run_once(&app.pool, d(2026, 1, 28)).await.unwrap();
    let mut conn = app.pool.acquire().await.unwrap();
    let audit = cppcc_perf::db::audit::AuditContext { actor_name: "test".into(), ..Default::default() };
    let correction = cppcc_perf::workflow::results::Correction {
        cycle_id: o.cycle,
        person_id: o.zhao,
        grade: cppcc_perf::domain::assessment::DecidedGrade::parse("annual:excellent").unwrap(),
        score: None,
        reason: "复核认定承办重点课题成绩漏计",
        source: cppcc_perf::workflow::results::ResultSource::Review,
        source_id: 1,
        by: o.head,
        at: app.clock.now(),
    };
    let version = cppcc_perf::workflow::results::correct(&mut conn, &audit, &correction, app.today()).await.unwrap();
    drop(conn);
    assert_eq!(version, 2);
    assert_eq!(app.count("select count(*) from result_notice where result_version = 2").await, 1);
    // The use of results follows at once: 优秀 now proposes a commendation (嘉奖) for 2025.
    let proposals: i64 = sqlx::query_scalar(
        "select count(*) from result_use_proposal where person_id = $1 and year = 2025 and kind = 'commendation' and status = 'proposed'",
    )
    .bind(o.zhao)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(proposals, 1);
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.get("/").await.assert_contains("项结果运用建议待确认");
    assert_eq!(app.count("select count(*) from audit_log where action = 'result.corrected'").await, 1);
    let mut zhao = app.login_as("zhao.b").await;
    let list = zhao.get("/feedback/notices").await;
    list.assert_contains("已被新版本取代");
    list.assert_contains("第 2 版");
    let v2: i64 =
        sqlx::query_scalar("select id from result_notice where result_version = 2").fetch_one(&app.pool).await.unwrap();
    let page = zhao.get(&format!("/feedback/notices/{v2}")).await;
    page.assert_contains("复核认定承办重点课题成绩漏计");
    page.assert_contains("id=\"result-versions\"");
}

#[tokio::test]
async fn the_interview_note_stays_with_the_interviewer() {
    let app = TestApp::on(d(2026, 2, 10)).await;
    let o = decided(&app).await;
    let mut head = app.login_as("li.head").await;
    let page = head.get("/feedback/interviews").await;
    page.assert_contains(&format!("id=\"line-{}\"", o.wang));
    assert!(!page.body.contains(&format!("id=\"line-{}\"", o.head)), "nobody interviews themselves");
    // A person the head may not choose is refused with 422, the input kept.
    let cycle = o.cycle.to_string();
    let own = o.head.to_string();
    let form = |person: &str| {
        vec![
            ("cycle_id", cycle.clone()),
            ("person_id", person.to_string()),
            ("day", "2026-02-12".into()),
            ("time", "09:30".into()),
            ("place", "三楼会议室".into()),
        ]
    };
    let fields = form(&own);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = head.post("/feedback/interviews", &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("三楼会议室");
    let wang_id = o.wang.to_string();
    let fields = form(&wang_id);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = head.post("/feedback/interviews", &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let id: i64 = sqlx::query_scalar("select id from feedback_interview").fetch_one(&app.pool).await.unwrap();
    let record = format!("/feedback/interviews/{id}/record");
    let missing = head
        .post(
            &record,
            &[("held_on", "2026-02-10"), ("strengths", "文稿质量高"), ("gaps", ""), ("goals", "x"), ("version", "1")],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    missing.assert_contains("文稿质量高");
    let secret = "家中老人住院，近期情绪受影响";
    let fields = [
        ("held_on", "2026-02-10"),
        ("strengths", "文稿质量高"),
        ("gaps", "督办件偶有延误"),
        ("goals", "全年督办件按时办结"),
        ("actions", "每月自查督办台账"),
        ("private_note", secret),
        ("version", "1"),
    ];
    assert_eq!(head.post(&record, &fields).await.status, StatusCode::SEE_OTHER);
    assert_eq!(head.post(&record, &fields).await.status, StatusCode::CONFLICT, "a stale form");
    head.get(&format!("/feedback/interviews/{id}")).await.assert_contains(secret);
    // The person sees the record, never the note: not on the page, the list, the home page or the notices.
    let mut wang = app.login_as("wang.a").await;
    for path in
        [format!("/feedback/interviews/{id}"), "/feedback/interviews".into(), "/".into(), "/feedback/notices".into()]
    {
        let page = wang.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.body.contains(secret), "{path} shows the private note");
    }
    let page = wang.get(&format!("/feedback/interviews/{id}")).await;
    page.assert_contains("督办件偶有延误");
    let confirm = format!("/feedback/interviews/{id}/confirm");
    assert_eq!(wang.post(&confirm, &[("comment", "同意")]).await.status, StatusCode::CONFLICT, "no version");
    assert_eq!(
        wang.post(&confirm, &[("comment", "同意，会按计划改进"), ("version", "2")]).await.status,
        StatusCode::SEE_OTHER
    );
    let page = wang.get(&format!("/feedback/interviews/{id}")).await;
    page.assert_contains("同意，会按计划改进");
    assert!(!page.body.contains(secret));
    // The performance office reads the record, not the note; the audit rows carry no note either.
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    let page = perf.get(&format!("/feedback/interviews/{id}")).await;
    page.assert_contains("全年督办件按时办结");
    assert!(!page.body.contains(secret));
    assert_eq!(app.count(&format!("select count(*) from audit_log where summary::text like '%{secret}%'")).await, 0);
    let mut zhao = app.login_as("zhao.b").await;
    assert_eq!(zhao.get(&format!("/feedback/interviews/{id}")).await.status, StatusCode::FORBIDDEN);
    let _ = o.department;
}

#[tokio::test]
async fn the_notices_a_person_follows_export_with_the_days_each_has_waited() {
    let app = TestApp::on(d(2026, 2, 10)).await;
    let o = decided(&app).await;
    run_once(&app.pool, d(2026, 1, 28)).await.unwrap();
    let notice: i64 = sqlx::query_scalar("select id from result_notice where person_id = $1")
        .bind(o.wang)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let mut wang = app.login_as("wang.a").await;
    wang.post(&format!("/feedback/notices/{notice}/acknowledge"), &[("opinion", "")]).await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    let page = perf.get("/feedback/notices?waiting=1").await;
    page.assert_contains("href=\"/feedback/notices.xlsx?waiting=1\"");
    let download = perf.get("/feedback/notices.xlsx?waiting=1").await;
    assert!(!download.xlsx_protected(), "a list to follow up, not a record");
    let sheet = download.xlsx();
    assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("结果通知签收情况".into())));
    assert_eq!(
        sheet_row(&sheet, 2),
        ["被考核人", "处室", "考核周期", "考核等次", "通知日期", "通知期限", "状态", "已等待天数", "签收日期"]
    );
    // The two still waiting, as on the page: 13 days since 28 January.
    assert_eq!(sheet.height(), 3 + page.body.matches("<tr id=\"notice-").count());
    assert_eq!(sheet.height(), 5);
    let zhao = sheet_row_of(&sheet, 0, "赵乙");
    assert_eq!(sheet.get_value((zhao, 6)), Some(&Data::String("待签收".into())));
    assert_eq!(sheet.get_value((zhao, 7)), Some(&Data::Float(13.0)));
    assert!(matches!(sheet.get_value((zhao, 4)), Some(Data::DateTime(_))), "the issue day stays a date");
    // Every notice: 王甲's signed one with the day it was signed.
    let all = perf.get("/feedback/notices.xlsx").await.xlsx();
    let signed = sheet_row_of(&all, 0, "王甲");
    assert_eq!(all.get_value((signed, 6)), Some(&Data::String("已签收".into())));
    assert!(matches!(all.get_value((signed, 8)), Some(Data::DateTime(_))));
    assert_eq!(all.get_value((signed, 7)).unwrap_or(&Data::Empty), &Data::Empty);
    // The head follows the department; staff follow nobody's notices.
    let mut head = app.login_as("li.head").await;
    assert_eq!(head.get("/feedback/notices.xlsx").await.xlsx().height(), 6);
    let mut zhao = app.login_as("zhao.b").await;
    assert!(!zhao.get("/feedback/notices").await.body.contains("notices.xlsx"));
    assert_eq!(zhao.get("/feedback/notices.xlsx").await.status, StatusCode::FORBIDDEN);
}

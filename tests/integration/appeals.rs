//! Reviews (复核) and appeals (申诉) of final annual results on their
//! statutory clocks: filing within and after the windows, one open request at
//! a time, only one's own result, the committee's decision (upheld or
//! corrected, never about oneself), the one extension of an appeal, the
//! overdue flags on the to-dos, and the audit rows of every step.

use axum::http::{Method, StatusCode};
use calamine::Data;
use chrono::NaiveDate;
use cppcc_perf::domain::roles::Role;

use crate::support::{Client, Page, TestApp, day, sheet_row, sheet_row_of};

fn at(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    cppcc_perf::clock::office_instant(day, 10)
}

struct Office {
    app: TestApp,
    cycle: i64,
    staff: i64,
    committee: i64,
}

/// 研究室 with 王甲 (称职) and the committee member 周委员 (优秀), the 2025
/// annual cycle decided on 13 January 2026 with publicity until 20 January.
async fn office(today: NaiveDate) -> Office {
    let app = TestApp::on(today).await;
    app.seed_2026_calendar().await;
    let d = app.department("研究室").await;
    let staff = app.member("wang.a", "王甲", d, &[(Role::Staff, None)]).await;
    let committee =
        app.member("zhou.committee", "周委员", d, &[(Role::Staff, None), (Role::AssessmentCommittee, None)]).await;
    let cycle: i64 = sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until,
                            assessment_until, feedback_until, stage)
         values ('2025年度考核', 'annual', '2025-01-01', '2025-12-31', '2025-01-31', '2025-12-31', '2026-01-31',
                 '2026-03-01', 'feedback') returning id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into assessment_decision (cycle_id, decided_by, decided_at, publicity_from, publicity_until)
         values ($1, $2, '2026-01-13T02:00:00Z', '2026-01-13', '2026-01-20')",
    )
    .bind(cycle)
    .bind(committee)
    .execute(&app.pool)
    .await
    .unwrap();
    for (person, grade, score) in [(staff, "competent", "82.5"), (committee, "excellent", "93")] {
        sqlx::query(
            "insert into assessment_result (cycle_id, person_id, department_id, score, computed, grade)
             values ($1, $2, $3, $4::numeric, $5::jsonb, $5::jsonb)",
        )
        .bind(cycle)
        .bind(person)
        .bind(d)
        .bind(score)
        .bind(format!(r#"{{"cycle": "annual", "grade": "{grade}"}}"#))
        .execute(&app.pool)
        .await
        .unwrap();
    }
    Office { app, cycle, staff, committee }
}

/// Files a request through the multipart form, with one PDF attached.
async fn file(client: &mut Client, cycle: i64, kind: &str, reasons: &str) -> Page {
    client.get("/feedback/appeals/my").await;
    let token = client.csrf.clone().unwrap();
    let cycle = cycle.to_string();
    let (content_type, body) = crate::support::multipart(&[
        ("_csrf", None, token.as_bytes()),
        ("cycle_id", None, cycle.as_bytes()),
        ("kind", None, kind.as_bytes()),
        ("reasons", None, reasons.as_bytes()),
        ("evidence", Some("材料.pdf"), b"%PDF-1.4\n%appeal\n"),
    ]);
    client.request(Method::POST, "/feedback/appeals", Some(&content_type), body, &[]).await
}

fn id_of(page: &Page) -> i64 {
    page.location().rsplit('/').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_review_is_filed_about_ones_own_final_result_one_request_at_a_time() {
    // 20 January is the last day of publicity: the result is not final yet.
    let o = office(day(1, 20)).await;
    let mut staff = o.app.login_as("wang.a").await;
    let page = file(&mut staff, o.cycle, "review", "民主测评票数统计有误").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("考核结果尚在公示期内");
    page.assert_contains("民主测评票数统计有误");

    o.app.clock.set(at(day(1, 21)));
    let my = staff.get("/feedback/appeals/my").await;
    assert_eq!(my.status, StatusCode::OK);
    my.assert_contains("称职");
    my.assert_contains("知道考核结果（收到书面通知）的当日不计入");
    // Empty reasons: 422, the form kept.
    let page = file(&mut staff, o.cycle, "review", "  ").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"reasons-error\"");
    // Someone else's result, or a cycle without one: refused with the input kept.
    let page = file(&mut staff, 999_999, "review", "不是我的结果").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("只能对本人已作出决定的年度考核结果提出");
    let page = file(&mut staff, o.cycle, "review", "民主测评票数统计有误").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let review = id_of(&page);
    let shown = staff.get(&format!("/feedback/appeals/{review}")).await;
    shown.assert_contains("民主测评票数统计有误");
    shown.assert_contains("材料.pdf");
    // Filed on 21 January: 30 days to 20 February, in the Spring Festival holiday: 24 February.
    shown.assert_contains("2026-02-24");
    shown.assert_contains("还剩 34 天");
    // A second request while the first is open: refused, the reasons kept.
    let page = file(&mut staff, o.cycle, "appeal", "直接申诉").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("已有一项复核或申诉正在办理");
    page.assert_contains("直接申诉");
    // Another person reads neither the request nor its file.
    let mut other = o.app.signed_in_as("li.other", &[(Role::Staff, None)]).await;
    assert_eq!(other.get(&format!("/feedback/appeals/{review}")).await.status, StatusCode::FORBIDDEN);
    let file_id: i64 = sqlx::query_scalar("select id from attachment where owner_type = 'result_appeal'")
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    assert_eq!(other.get(&format!("/feedback/appeals/files/{file_id}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(staff.get(&format!("/feedback/appeals/files/{file_id}")).await.status, StatusCode::OK);
    assert_eq!(o.app.count("select count(*) from audit_log where action = 'appeal.filed'").await, 1);
    assert_eq!(
        o.app.count("select count(*) from audit_log where action = 'attachment.uploaded' and summary->>'owner_type' = 'result_appeal'").await,
        1
    );
}

#[tokio::test]
async fn the_committee_upholds_a_review_then_corrects_the_appeal_never_deciding_its_own() {
    let o = office(day(2, 2)).await;
    // 王甲 was told the result by the written notice of 28 January.
    sqlx::query(
        "insert into result_notice (cycle_id, person_id, result_version, issued_on, due_on)
         values ($1, $2, 1, '2026-01-28', '2026-02-04')",
    )
    .bind(o.cycle)
    .bind(o.staff)
    .execute(&o.app.pool)
    .await
    .unwrap();
    let mut staff = o.app.login_as("wang.a").await;
    let my = staff.get("/feedback/appeals/my").await;
    my.assert_contains("2026-01-28");
    // 30 days from 28 January: 27 February.
    my.assert_contains("2026-02-27");
    let review = id_of(&file(&mut staff, o.cycle, "review", "测评有误").await);
    let mut committee = o.app.login_as("zhou.committee").await;
    let decide = format!("/feedback/appeals/{review}/decide");
    // A correction needs a grade; the form comes back with the input kept.
    let page = committee.post(&decide, &[("outcome", "corrected"), ("reason", "核查属实"), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("核查属实");
    // The person never decides their own request, committee member or not.
    let own = id_of(&file(&mut committee, o.cycle, "review", "本人申请复核").await);
    let page = committee
        .post(&format!("/feedback/appeals/{own}/decide"), &[("outcome", "upheld"), ("reason", "x"), ("version", "1")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // Nor does the database let it happen.
    let refused = sqlx::query(
        "update result_appeal set outcome = 'upheld', decision_reason = 'x', decided_by = person_id,
                decided_at = now(), decided_on = '2026-02-02' where id = $1",
    )
    .bind(own)
    .execute(&o.app.pool)
    .await;
    assert!(refused.is_err());
    // Staff may not decide at all.
    assert_eq!(staff.post(&decide, &[("outcome", "upheld"), ("reason", "x")]).await.status, StatusCode::FORBIDDEN);

    let page =
        committee.post(&decide, &[("outcome", "upheld"), ("reason", "经核查，测评统计无误"), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // A stale form is refused.
    let page = committee.post(&decide, &[("outcome", "upheld"), ("reason", "再次"), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    let shown = staff.get(&format!("/feedback/appeals/{review}")).await;
    shown.assert_contains("维持原结果");
    shown.assert_contains("经核查，测评统计无误");
    assert_eq!(o.app.count("select count(*) from notification where message = 'notify-appeal-decided'").await, 1);
    // The person is told on the home page that they may still appeal.
    staff.get("/").await.assert_contains("项复核已作出决定");

    // The appeal follows the review: decided with a correction to 优秀.
    let appeal = id_of(&file(&mut staff, o.cycle, "appeal", "对复核决定不服").await);
    let row: Option<i64> = sqlx::query_scalar("select review_id from result_appeal where id = $1")
        .bind(appeal)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    assert_eq!(row, Some(review));
    let page = committee
        .post(
            &format!("/feedback/appeals/{appeal}/decide"),
            &[
                ("outcome", "corrected"),
                ("grade", "annual:excellent"),
                ("reason", "重新计分后应为优秀"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let grade: String = sqlx::query_scalar("select grade->>'grade' from assessment_result where person_id = $1")
        .bind(o.staff)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    assert_eq!(grade, "excellent");
    let version: Option<i32> = sqlx::query_scalar("select result_version from result_appeal where id = $1")
        .bind(appeal)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    assert_eq!(version, Some(2));
    let in_force: i32 = sqlx::query_scalar("select version from assessment_result where person_id = $1")
        .bind(o.staff)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    assert_eq!(in_force, 2);
    // The person is told the corrected result by a new written notice.
    let notices: i64 = sqlx::query_scalar("select count(*) from result_notice where person_id = $1")
        .bind(o.staff)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    assert_eq!(notices, 2);
    staff.get(&format!("/feedback/appeals/{appeal}")).await.assert_contains("考核结果第 2 版");
    assert_eq!(o.app.count("select count(*) from audit_log where action = 'appeal.decided'").await, 2);
    let audited: String = sqlx::query_scalar(
        "select summary->'grade'->>'after' from audit_log where action = 'appeal.decided' order by id desc limit 1",
    )
    .fetch_one(&o.app.pool)
    .await
    .unwrap();
    assert_eq!(audited, "annual:excellent");
    // Nothing more can be filed about the result.
    let page = file(&mut staff, o.cycle, "appeal", "再次申诉").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let _ = o.committee;
}

#[tokio::test]
async fn an_appeal_after_a_review_is_refused_once_its_fifteen_days_passed() {
    let o = office(day(3, 2)).await;
    let mut staff = o.app.login_as("wang.a").await;
    let review = id_of(&file(&mut staff, o.cycle, "review", "测评有误").await);
    // Decided on 20 March: 15 days to 4 April, in the Qingming holiday (4–6 April): 7 April.
    o.app.clock.set(at(day(3, 20)));
    let mut committee = o.app.login_as("zhou.committee").await;
    let page = committee
        .post(
            &format!("/feedback/appeals/{review}/decide"),
            &[("outcome", "upheld"), ("reason", "无误"), ("version", "1")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    o.app.clock.set(at(day(4, 7)));
    let my = staff.get("/feedback/appeals/my").await;
    my.assert_contains("2026-04-07");
    my.assert_contains("今天是最后一天");
    my.assert_contains("复核决定作出的当日不计入");
    o.app.clock.set(at(day(4, 8)));
    let page = file(&mut staff, o.cycle, "appeal", "逾期申诉").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("期限已于 2026-04-07 届满");
    page.assert_contains("逾期申诉");
    assert_eq!(o.app.count("select count(*) from result_appeal where kind = 'appeal'").await, 0);
}

#[tokio::test]
async fn an_appeals_deadline_is_extended_once_with_a_reason_and_overdue_ones_flag_the_todos() {
    let o = office(day(3, 2)).await;
    let mut staff = o.app.login_as("wang.a").await;
    let appeal = id_of(&file(&mut staff, o.cycle, "appeal", "直接申诉").await);
    let extend = format!("/feedback/appeals/{appeal}/extend");
    let mut committee = o.app.login_as("zhou.committee").await;
    // Filed 2 March: 60 days to 1 May, in the Labour Day holiday: 6 May.
    committee.get(&format!("/feedback/appeals/{appeal}")).await.assert_contains("2026-05-06");
    let page = committee.post(&extend, &[("days", "31"), ("extension_reason", "案情复杂"), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("延长天数须在允许范围内");
    let page = committee.post(&extend, &[("days", "30"), ("extension_reason", ""), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = committee
        .post(&extend, &[("days", "30"), ("extension_reason", "案情复杂，需调取材料"), ("version", "1")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // 90 days: 31 May, a Sunday: 1 June.
    let shown = committee.get(&format!("/feedback/appeals/{appeal}")).await;
    shown.assert_contains("2026-06-01");
    shown.assert_contains("案情复杂，需调取材料");
    let page = committee.post(&extend, &[("days", "5"), ("extension_reason", "再延"), ("version", "2")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("办理期限只能延长一次");
    assert_eq!(o.app.count("select count(*) from audit_log where action = 'appeal.extended'").await, 1);

    // Open and before its deadline: on the committee's to-dos, not overdue.
    let home = committee.get("/").await;
    home.assert_contains("1 项复核或申诉等待办理");
    assert!(!home.body.contains("已超过答复期限"));
    // After 1 June: overdue, flagged on the to-dos and in red on the list.
    o.app.clock.set(at(day(6, 2)));
    committee.get("/").await.assert_contains("1 项复核或申诉已超过答复期限");
    let list = committee.get("/feedback/appeals").await;
    list.assert_contains("已逾期 1 天");
    list.assert_contains("badge badge-danger countdown");
    // The feedback board's figures for the 2025 results.
    let mut conn = o.app.pool.acquire().await.unwrap();
    let timeliness = cppcc_perf::db::appeals::timeliness(&mut conn, 2025, day(6, 2)).await.unwrap();
    assert_eq!((timeliness.open_overdue, timeliness.decided_in_time, timeliness.decided_late), (1, 0, 0));
    // The person's own request is not on their to-dos as the committee's work.
    assert!(!staff.get("/").await.body.contains("等待办理"));
    let _ = o.staff;
}

#[tokio::test]
async fn the_list_of_reviews_and_appeals_exports_open_ones_with_their_countdown_then_the_decided() {
    let o = office(day(1, 21)).await;
    let mut staff = o.app.login_as("wang.a").await;
    let review = id_of(&file(&mut staff, o.cycle, "review", "民主测评票数统计有误").await);
    let mut committee = o.app.login_as("zhou.committee").await;
    file(&mut committee, o.cycle, "review", "本人申请复核").await;
    let decided = committee
        .post(
            &format!("/feedback/appeals/{review}/decide"),
            &[("outcome", "upheld"), ("reason", "经核查，测评统计无误"), ("version", "1")],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    let page = committee.get("/feedback/appeals").await;
    page.assert_contains("href=\"/feedback/appeals.xlsx\"");
    let download = committee.get("/feedback/appeals.xlsx").await;
    assert!(!download.xlsx_protected(), "a working list");
    let sheet = download.xlsx();
    assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("复核与申诉办理".into())));
    assert_eq!(
        sheet_row(&sheet, 2),
        ["申请人", "处室", "申请类型", "考核周期", "提出时间", "答复期限", "状态", "决定日期"]
    );
    assert_eq!(sheet.height(), 3 + page.body.matches("<tr id=\"appeal-").count());
    // The open one first, with its countdown; then the decided one with its outcome and day.
    assert_eq!(sheet.get_value((3, 0)), Some(&Data::String("周委员".into())));
    assert_eq!(sheet.get_value((3, 6)), Some(&Data::String("办理中 · 还剩 34 天".into())));
    assert!(matches!(sheet.get_value((3, 5)), Some(Data::DateTime(_))), "the deadline stays a date");
    let row = sheet_row_of(&sheet, 0, "王甲");
    assert_eq!(sheet.get_value((row, 6)), Some(&Data::String("维持原结果".into())));
    assert!(matches!(sheet.get_value((row, 7)), Some(Data::DateTime(_))));
    // The office reads it too; the person filing does not.
    let mut perf = o.app.signed_in(Role::PerformanceOffice).await;
    assert_eq!(perf.get("/feedback/appeals.xlsx").await.xlsx().height(), sheet.height());
    assert_eq!(staff.get("/feedback/appeals.xlsx").await.status, StatusCode::FORBIDDEN);
}

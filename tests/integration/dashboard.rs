//! The four-stage dashboard (docs/DOMAIN.md §20.6): per department and for
//! the office, each stage's measures, on the page and in its Excel file.

use axum::http::StatusCode;
use calamine::Data;
use chrono::NaiveDate;
use cppcc_perf::domain::roles::Role;
use cppcc_perf::tasks::run_once;

use crate::support::TestApp;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Two departments; the 2025 results of three people in 研究室, told in
/// time, one of the notices signed.
async fn office(app: &TestApp) -> i64 {
    app.seed_2026_calendar().await;
    let research = app.department("研究室").await;
    app.department("办公室").await;
    let head = app.member("li.head", "李主任", research, &[(Role::DepartmentHead, Some(research))]).await;
    let wang = app.member("wang.a", "王甲", research, &[(Role::Staff, None)]).await;
    let zhao = app.member("zhao.b", "赵乙", research, &[(Role::Staff, None)]).await;
    let committee = app.person("zhou.committee", "周委员", &[(Role::AssessmentCommittee, None)]).await;
    let cycle = app.decided_2025(committee).await;
    for (person, score, grade) in [(wang, "93.5", "excellent"), (zhao, "82", "competent"), (head, "88", "competent")] {
        app.annual_result(cycle, person, research, score, grade).await;
    }
    assert_eq!(run_once(&app.pool, d(2026, 1, 28)).await.unwrap().result_notices, 3);
    sqlx::query("update result_notice set acknowledged_at = '2026-01-30 09:00+08' where person_id = $1")
        .bind(wang)
        .execute(&app.pool)
        .await
        .unwrap();
    cycle
}

#[tokio::test]
async fn the_dashboard_shows_each_stage_per_department_and_for_the_office() {
    let app = TestApp::on(d(2026, 2, 10)).await;
    let cycle = office(&app).await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    let page = perf.get(&format!("/dashboard?assess={cycle}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("2025年度考核");
    page.assert_contains("研究室");
    page.assert_contains("办公室");
    page.assert_contains("快速：书面通知按期率");
    // All three notices went out within their work days; one is signed; no result was corrected.
    page.assert_contains(r#"id="total-fast">100%"#);
    page.assert_contains(r#"id="total-signed">1 / 3"#);
    page.assert_contains(r#"id="total-accurate">100%"#);
    page.assert_contains(r#"id="total-results">3"#);
    // Each figure leads to the list behind it.
    page.assert_contains(&format!("/assess/cycles/{cycle}/scores"));
    page.assert_contains("/feedback/notices?waiting=1");
}

#[tokio::test]
async fn the_dashboard_exports_what_it_shows_with_shares_as_percentages() {
    let app = TestApp::on(d(2026, 2, 10)).await;
    let cycle = office(&app).await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    let sheet = perf.get(&format!("/dashboard.xlsx?assess={cycle}")).await.xlsx();
    assert!(matches!(sheet.get_value((0, 0)), Some(Data::String(title)) if title.contains("2025年度考核")));
    let header: Vec<String> = (0..20).map(|col| sheet.get_value((2, col)).unwrap().to_string()).collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap() as u32;
    assert_eq!(sheet.height(), 3 + 2 + 1, "title, export line, header, two departments and the total");
    let total = 5;
    assert_eq!(sheet.get_value((total, 0)), Some(&Data::String("全机关合计".into())));
    assert_eq!(sheet.get_value((total, column("通知已签收"))), Some(&Data::Float(1.0)));
    assert_eq!(sheet.get_value((total, column("快速：书面通知按期率"))), Some(&Data::Float(1.0)));
    let names: Vec<String> = (3..5).map(|row| sheet.get_value((row, 0)).unwrap().to_string()).collect();
    assert!(names.contains(&"研究室".to_string()) && names.contains(&"办公室".to_string()), "{names:?}");
    let research = 3 + names.iter().position(|n| n == "研究室").unwrap() as u32;
    assert_eq!(
        sheet.get_value((research, column("管用：考核结果已决定"))),
        sheet.get_value((total, column("管用：考核结果已决定")))
    );
}

#[tokio::test]
async fn staff_and_heads_do_not_see_the_dashboard() {
    let app = TestApp::on(d(2026, 2, 10)).await;
    office(&app).await;
    for role in [Role::Staff, Role::DepartmentHead] {
        let mut client = app.signed_in(role).await;
        assert_eq!(client.get("/dashboard").await.status, StatusCode::FORBIDDEN);
        assert_eq!(client.get("/dashboard.xlsx").await.status, StatusCode::FORBIDDEN);
    }
}

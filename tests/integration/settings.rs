//! The numbers of the office's rules, per year, as the performance office sets them.

use axum::http::StatusCode;
use chrono::NaiveDate;
use cppcc_perf::db::audit::AuditContext;
use cppcc_perf::domain::roles::Role;
use cppcc_perf::domain::settings::FIELDS;
use cppcc_perf::workflow::slips::issue_due_slips;

use crate::support::{Client, TestApp};

/// Every setting at its shipped value, with `changes` applied, and the form's version.
fn settings_fields<'a>(version: &'a str, changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, String)> {
    let mut fields: Vec<(&str, String)> = FIELDS.iter().map(|f| (f.name, f.default.to_string())).collect();
    for (name, value) in changes {
        fields.iter_mut().find(|(n, _)| n == name).expect("a known setting").1 = value.to_string();
    }
    fields.push(("version", version.to_string()));
    fields
}

async fn save(office: &mut Client, year: i32, version: &str, changes: &[(&str, &str)]) -> crate::support::Page {
    let fields = settings_fields(version, changes);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    office.post(&format!("/settings?year={year}"), &fields).await
}

#[tokio::test]
async fn the_performance_office_sets_a_years_numbers_and_later_years_inherit_them() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    office.get("/").await.assert_contains("href=\"/settings\"");
    let page = office.get("/settings?year=2026").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("以下为系统默认值");
    page.assert_contains("id=\"report_due_workdays\" name=\"report_due_workdays\" value=\"5\"");

    let page = save(&mut office, 2026, "0", &[("planning_days", "40"), ("report_due_workdays", "7")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), "/settings?year=2026");
    let page = office.get("/settings?year=2026").await;
    page.assert_contains("2026 年度的规则参数已保存");
    page.assert_contains("本年度已单独设置");
    page.assert_contains("value=\"7\"");
    let (before, after): (i64, i64) = sqlx::query_as(
        "select (summary->'before'->>'report_due_workdays')::bigint, (summary->'after'->>'report_due_workdays')::bigint
         from audit_log where action = 'settings.saved' and object_id = '2026'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((before, after), (5, 7));

    // 2027 has no values of its own: it uses 2026's; 2025 the shipped ones.
    let page = office.get("/settings?year=2027").await;
    page.assert_contains("沿用 2026 年度的设置");
    page.assert_contains("id=\"planning_days\" name=\"planning_days\" value=\"40\"");
    office.get("/settings?year=2025").await.assert_contains("id=\"planning_days\" name=\"planning_days\" value=\"30\"");
    // A new cycle of 2026 (today's year) is offered planning until 40 days after 1 January.
    office.get("/cycles/new").await.assert_contains("value=\"2026-02-10\"");
}

#[tokio::test]
async fn a_value_out_of_range_is_refused_with_the_input_kept_and_a_stale_form_with_409() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let page = save(&mut office, 2026, "0", &[("report_due_workdays", "31"), ("slip_answer_workdays", "十")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"report_due_workdays\" name=\"report_due_workdays\" value=\"31\"");
    page.assert_contains("id=\"report_due_workdays-error\"");
    page.assert_contains("value=\"十\"");
    assert_eq!(app.count("select count(*) from office_setting").await, 0);

    assert_eq!(save(&mut office, 2026, "0", &[("slip_blue_workdays", "4")]).await.status, StatusCode::SEE_OTHER);
    // A second form opened before that save still says version 0.
    let page = save(&mut office, 2026, "0", &[("slip_blue_workdays", "6")]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("id=\"conflict\"");
    page.assert_contains("id=\"slip_blue_workdays\" name=\"slip_blue_workdays\" value=\"6\"");
    let page = save(&mut office, 2026, "1", &[("slip_blue_workdays", "6")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select (settings->>'slip_blue_workdays')::bigint from office_setting").await, 6);
    assert_eq!(app.count("select count(*) from audit_log where action = 'settings.saved'").await, 2);
}

#[tokio::test]
async fn only_the_performance_office_opens_the_settings() {
    let app = TestApp::new().await;
    let mut head = app.signed_in(Role::DepartmentHead).await;
    assert!(!head.get("/").await.body.contains("href=\"/settings\""));
    assert_eq!(head.get("/settings").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn slips_follow_the_blue_lead_and_the_answer_time_of_the_year() {
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let app = TestApp::on(day(11, 16)).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let department = app.department("研究室").await;
    let person = app.person("zhou.min", "周敏", &[(Role::Staff, None)]).await;
    // Due Friday 27 November: 9 work days after Monday 16 November, beyond the shipped lead of 3.
    sqlx::query(
        "insert into supervision_item (title, source, department_id, assignee_id, opened_by, due_date, status)
         values ('月底到期事项', 'annual_key_task', $1, $2, $2, '2026-11-27', 'in_progress')",
    )
    .bind(department)
    .bind(person)
    .execute(&app.pool)
    .await
    .unwrap();
    let actor = AuditContext { actor_name: "后台任务".into(), ..Default::default() };
    let mut tx = app.pool.begin().await.unwrap();
    assert_eq!(issue_due_slips(&mut tx, app.today(), &actor).await.unwrap(), 0);
    tx.commit().await.unwrap();

    let changes = [("slip_blue_workdays", "10"), ("slip_answer_workdays", "2")];
    assert_eq!(save(&mut office, 2026, "0", &changes).await.status, StatusCode::SEE_OTHER);
    let mut tx = app.pool.begin().await.unwrap();
    assert_eq!(issue_due_slips(&mut tx, app.today(), &actor).await.unwrap(), 1);
    tx.commit().await.unwrap();
    let (colour, answer_due): (String, NaiveDate) =
        sqlx::query_as("select colour::text, answer_due from supervision_slip").fetch_one(&app.pool).await.unwrap();
    assert_eq!((colour.as_str(), answer_due), ("blue", day(11, 18)));
}

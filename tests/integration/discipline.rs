//! Discipline inspection's records: entering one with its statutory period,
//! correcting it, withdrawing it with a reason, who may read them, and what
//! the audit log keeps of them (the act, never the person or the measure).

use axum::http::StatusCode;
use cppcc_perf::domain::roles::Role;

use crate::support::TestApp;

async fn staff_member(app: &TestApp) -> i64 {
    let department = app.department("研究室").await;
    let person = app.person("wang.a", "王甲", &[(Role::Staff, None)]).await;
    sqlx::query("update person set department_id = $2 where id = $1")
        .bind(person)
        .bind(department)
        .execute(&app.pool)
        .await
        .unwrap();
    person
}

#[tokio::test]
async fn discipline_inspection_records_a_warning_that_runs_for_six_months_and_the_audit_names_no_one() {
    let app = TestApp::new().await;
    let person = staff_member(&app).await;
    let mut inspector = app.signed_in(Role::DisciplineInspection).await;
    let form = inspector.get("/discipline/new").await;
    form.assert_contains("王甲");
    let id = person.to_string();
    let page = inspector
        .post(
            "/discipline",
            &[
                ("person_id", &id),
                ("measure", "warning"),
                ("decided_on", "2026-03-15"),
                ("reference", "纪发〔2026〕3号"),
                ("from_date", "2026-03-15"),
                ("to_date", ""),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let to: chrono::NaiveDate = sqlx::query_scalar("select to_date from discipline_record where person_id = $1")
        .bind(person)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(to.to_string(), "2026-09-14", "six months, from the year's settings");
    let list = inspector.get("/discipline").await;
    list.assert_contains("纪发〔2026〕3号");
    list.assert_contains("警告");
    // The audit row says that a record was entered, not about whom or what.
    let summary: serde_json::Value =
        sqlx::query_scalar("select summary from audit_log where action = 'discipline.recorded'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(summary, serde_json::json!({}));
}

#[tokio::test]
async fn a_bad_record_comes_back_with_its_input_and_an_unknown_person_is_refused_not_a_failure() {
    let app = TestApp::new().await;
    let person = staff_member(&app).await;
    let mut inspector = app.signed_in(Role::DisciplineInspection).await;
    inspector.get("/discipline/new").await;
    let id = person.to_string();
    let page = inspector
        .post(
            "/discipline",
            &[
                ("person_id", &id),
                ("measure", "demerit"),
                ("decided_on", "2026-04-01"),
                ("reference", "纪发〔2026〕9号"),
                ("from_date", "2026-04-01"),
                ("to_date", "2026-03-01"),
                ("note", "留用察看"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("纪发〔2026〕9号");
    page.assert_contains("留用察看");
    page.assert_contains("id=\"to_date-error\"");
    let page = inspector
        .post(
            "/discipline",
            &[
                ("person_id", "999999"),
                ("measure", "warning"),
                ("decided_on", "2026-04-01"),
                ("from_date", "2026-04-01"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"person_id-error\"");
    // A decision cannot lie in the future of the office's clock.
    let tomorrow = (app.today() + chrono::Duration::days(1)).to_string();
    let page = inspector
        .post(
            "/discipline",
            &[("person_id", &id), ("measure", "warning"), ("decided_on", &tomorrow), ("from_date", &tomorrow)],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"decided_on-error\"");
    assert_eq!(app.count("select count(*) from discipline_record").await, 0);
}

#[tokio::test]
async fn an_investigation_is_closed_by_a_correction_and_a_wrong_record_is_withdrawn_with_a_reason() {
    let app = TestApp::new().await;
    let person = staff_member(&app).await;
    let inspector_id = app.person("ji.wei", "纪委干部", &[(Role::DisciplineInspection, None)]).await;
    let record: i64 = sqlx::query_scalar(
        "insert into discipline_record (person_id, measure, decided_on, from_date, recorded_by)
         values ($1, 'investigation', '2026-02-01', '2026-02-01', $2) returning id",
    )
    .bind(person)
    .bind(inspector_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let mut inspector = app.login_as("ji.wei").await;
    let list = inspector.get("/discipline?show=in_force").await;
    list.assert_contains(&format!("id=\"discipline-{record}\""));
    let form = inspector.get(&format!("/discipline/{record}")).await;
    form.assert_contains("name=\"version\" value=\"1\"");
    let fields = [
        ("measure", "investigation"),
        ("decided_on", "2026-02-01"),
        ("from_date", "2026-02-01"),
        ("to_date", "2026-06-30"),
        ("version", "1"),
    ];
    let page = inspector.post(&format!("/discipline/{record}"), &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // The same form again, at the old version: someone changed it meanwhile.
    let page = inspector.post(&format!("/discipline/{record}"), &fields).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("id=\"conflict\"");
    let list = inspector.get("/discipline?show=in_force").await;
    assert!(!list.body.contains(&format!("id=\"discipline-{record}\"")), "ended on 30 June");

    let page = inspector.post(&format!("/discipline/{record}/withdraw"), &[("reason", ""), ("version", "2")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "a reason is required");
    page.assert_contains("id=\"reason-error\"");
    let page =
        inspector.post(&format!("/discipline/{record}/withdraw"), &[("reason", "登记错误"), ("version", "2")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let withdrawn = inspector.get("/discipline?show=withdrawn").await;
    withdrawn.assert_contains(&format!("id=\"discipline-{record}\""));
    assert_eq!(app.count("select count(*) from discipline_record where withdrawn").await, 1);
    assert_eq!(app.count("select count(*) from audit_log where action like 'discipline.%'").await, 2);
}

#[tokio::test]
async fn the_performance_office_reads_the_records_and_nobody_else_sees_them() {
    let app = TestApp::new().await;
    let person = staff_member(&app).await;
    let inspector_id = app.person("ji.wei", "纪委干部", &[(Role::DisciplineInspection, None)]).await;
    sqlx::query(
        "insert into discipline_record (person_id, measure, decided_on, from_date, to_date, reference, recorded_by)
         values ($1, 'admonition', '2026-05-01', '2026-05-01', '2026-12-31', '诫勉〔2026〕1号', $2)",
    )
    .bind(person)
    .bind(inspector_id)
    .execute(&app.pool)
    .await
    .unwrap();
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let list = office.get("/discipline").await;
    list.assert_contains("诫勉〔2026〕1号");
    assert!(!list.body.contains("id=\"new-discipline-record\""), "the office reads, discipline inspection keeps");
    assert_eq!(office.get("/discipline/new").await.status, StatusCode::FORBIDDEN);
    for role in [Role::Staff, Role::DepartmentHead, Role::AssessmentCommittee, Role::SystemAdmin, Role::Auditor] {
        let mut client = app.signed_in(role).await;
        let page = client.get("/discipline").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{role:?}");
        let home = client.get("/").await;
        assert!(!home.body.contains("href=\"/discipline\""), "{role:?} has no link to the records");
    }
}

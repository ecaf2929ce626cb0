//! Service commitments and post target templates as heads, the performance
//! office and everyone else use them.

use axum::http::StatusCode;
use calamine::Data;
use cppcc_perf::domain::roles::Role;

use crate::support::{TestApp, sheet_rows, table_rows};

async fn commitment(app: &TestApp, department: i64, service: &str) -> i64 {
    sqlx::query_scalar(
        "insert into service_commitment (department_id, service, standard, time_limit_days) values ($1, $2, '当日答复', 3) returning id",
    )
    .bind(department)
    .bind(service)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn post(app: &TestApp, department: i64, title: &str) -> i64 {
    sqlx::query_scalar("insert into post (department_id, title) values ($1, $2) returning id")
        .bind(department)
        .bind(title)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_head_adds_a_commitment_that_everyone_sees() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    app.department("办公室").await;
    let mut head = app.signed_in_as("head.yan", &[(Role::DepartmentHead, Some(research))]).await;
    let form = head.get("/commitments/new").await;
    assert_eq!(form.status, StatusCode::OK);
    form.assert_contains("研究室");
    assert!(!form.body.contains("办公室"), "a head chooses only their departments:\n{}", form.body);
    let research_text = research.to_string();
    let page = head
        .post(
            "/commitments",
            &[
                ("department_id", &research_text),
                ("post_id", ""),
                ("service", "委员来信答复"),
                ("standard", "登记、转办、答复全程留痕"),
                ("time_limit_days", "5"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), "/commitments");
    head.get("/commitments").await.assert_contains("已保存服务承诺“委员来信答复”");
    assert_eq!(app.count("select count(*) from audit_log where action = 'commitment.created'").await, 1);

    let mut staff = app.signed_in(Role::Staff).await;
    let list = staff.get("/commitments").await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains("id=\"commitments-table\"");
    list.assert_contains("委员来信答复");
    list.assert_contains("5 个工作日");
    assert!(!list.body.contains("id=\"new-commitment\""));
    assert!(!list.body.contains("/edit\""));
    let filtered = staff.get(&format!("/commitments?department={}", research + 1)).await;
    assert!(!filtered.body.contains("委员来信答复"), "the department filter applies");
}

#[tokio::test]
async fn a_head_cannot_edit_another_departments_commitment() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    let office = app.department("办公室").await;
    let theirs = commitment(&app, office, "会议室预订").await;
    let mine = commitment(&app, research, "调研材料报送").await;
    let mut head = app.signed_in_as("head.yan", &[(Role::DepartmentHead, Some(research))]).await;
    let list = head.get("/commitments").await;
    list.assert_contains(&format!("/commitments/{mine}/edit"));
    assert!(!list.body.contains(&format!("/commitments/{theirs}/edit")));
    assert_eq!(head.get(&format!("/commitments/{theirs}/edit")).await.status, StatusCode::FORBIDDEN);
    let office_text = office.to_string();
    let fields = [
        ("department_id", office_text.as_str()),
        ("service", "改掉"),
        ("standard", "x"),
        ("time_limit_days", "1"),
        ("version", "1"),
    ];
    assert_eq!(head.post(&format!("/commitments/{theirs}"), &fields).await.status, StatusCode::FORBIDDEN);
    assert_eq!(head.post("/commitments", &fields).await.status, StatusCode::FORBIDDEN);
    // Nor move their own into another department.
    assert_eq!(head.post(&format!("/commitments/{mine}"), &fields).await.status, StatusCode::FORBIDDEN);
    let service: String = sqlx::query_scalar("select service from service_commitment where id = $1")
        .bind(theirs)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(service, "会议室预订");
}

#[tokio::test]
async fn the_performance_office_edits_any_departments_commitment() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    let id = commitment(&app, research, "调研材料报送").await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    office.get("/commitments").await.assert_contains("id=\"new-commitment\"");
    office.get(&format!("/commitments/{id}/edit")).await.assert_contains("调研材料报送");
    let research_text = research.to_string();
    let page = office
        .post(
            &format!("/commitments/{id}"),
            &[
                ("department_id", &research_text),
                ("service", "调研报告报送"),
                ("standard", "按期报送"),
                ("time_limit_days", "10"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let summary: serde_json::Value =
        sqlx::query_scalar("select summary from audit_log where action = 'commitment.updated'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(summary["before"]["service"], "调研材料报送");
    assert_eq!(summary["after"]["time_limit_days"], 10);
    assert_eq!(summary["after"]["active"], false);
    let list = office.get("/commitments").await;
    list.assert_contains("调研报告报送");
    list.assert_contains("已停用");
}

#[tokio::test]
async fn a_commitment_with_errors_comes_back_with_the_input_kept() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    let office = app.department("办公室").await;
    let other_post = post(&app, office, "文秘岗").await;
    let mut head = app.signed_in_as("head.yan", &[(Role::DepartmentHead, Some(research))]).await;
    let research_text = research.to_string();
    let page = head
        .post(
            "/commitments",
            &[
                ("department_id", &research_text),
                ("service", "委员来信答复"),
                ("standard", "按时答复"),
                ("time_limit_days", "0"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("办理时限须为 1–365 之间的整数");
    page.assert_contains("value=\"委员来信答复\"");
    page.assert_contains("value=\"0\"");
    page.assert_contains("aria-describedby=\"time_limit_days-hint time_limit_days-error\"");
    let post_text = other_post.to_string();
    let page = head
        .post(
            "/commitments",
            &[
                ("department_id", &research_text),
                ("post_id", &post_text),
                ("service", "委员来信答复"),
                ("standard", "按时答复"),
                ("time_limit_days", "5"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("所选岗位不属于所选处室");
    page.assert_contains("按时答复");
    assert_eq!(app.count("select count(*) from service_commitment").await, 0);
}

#[tokio::test]
async fn a_commitment_names_a_post_of_its_own_department() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    let own_post = post(&app, research, "综合调研岗").await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    office.get("/commitments/new").await.assert_contains("研究室 · 综合调研岗");
    let (research_text, post_text) = (research.to_string(), own_post.to_string());
    let page = office
        .post(
            "/commitments",
            &[
                ("department_id", &research_text),
                ("post_id", &post_text),
                ("service", "调研选题征集"),
                ("standard", "每季度征集一次"),
                ("time_limit_days", "20"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let list = office.get("/commitments").await;
    list.assert_contains("综合调研岗");
    list.assert_contains("20 个工作日");
}

#[tokio::test]
async fn a_stale_commitment_edit_is_refused_with_the_input_kept() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    let id = commitment(&app, research, "调研材料报送").await;
    let mut first = app.signed_in(Role::PerformanceOffice).await;
    let mut second = app.signed_in_as("head.yan", &[(Role::DepartmentHead, Some(research))]).await;
    let research_text = research.to_string();
    let fields = |service: &'static str| {
        let research: &str = &research_text;
        vec![
            ("department_id", research),
            ("service", service),
            ("standard", "按期"),
            ("time_limit_days", "3"),
            ("version", "1"),
            ("active", "on"),
        ]
    };
    assert_eq!(first.post(&format!("/commitments/{id}"), &fields("报送（一）")).await.status, StatusCode::SEE_OTHER);
    let two = fields("报送（二）");
    let page = second.post(&format!("/commitments/{id}"), &two).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("已被他人修改");
    page.assert_contains("报送（二）");
    let service: String = sqlx::query_scalar("select service from service_commitment where id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(service, "报送（一）");
}

fn template_fields<'a>(title: &'a str, weight: &'a str, order: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("category", "key_work"),
        ("measure", "完成率"),
        ("unit", "%"),
        ("target_value", "98.5"),
        ("direction", "higher_better"),
        ("weight", weight),
        ("quality_requirement", "按时保质"),
        ("assessment_method", "查阅台账"),
        ("evidence_required", "会议纪要"),
        ("sort_order", order),
    ]
}

#[tokio::test]
async fn templates_are_added_edited_and_deleted_with_audit_rows() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    let post_id = post(&app, research, "综合调研岗").await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let path = format!("/org/posts/{post_id}/templates");
    office.get(&path).await.assert_contains("该岗位尚无目标模板");
    let page = office.post(&path, &template_fields("重点课题调研", "60", "2")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), path);
    assert_eq!(office.post(&path, &template_fields("委员服务", "30", "1")).await.status, StatusCode::SEE_OTHER);
    let list = office.get(&path).await;
    list.assert_contains("重点工作");
    list.assert_contains("98.5 %");
    list.assert_contains("<td class=\"num\" id=\"template-weight-total\">90</td>");
    list.assert_contains("权重合计应为 100");

    let rows = cppcc_perf::db::post_templates::for_post(&mut app.pool.acquire().await.unwrap(), post_id).await.unwrap();
    let titles: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["委员服务", "重点课题调研"], "templates come in their sort order");
    let id = rows[1].id;

    office.get(&format!("/org/post-templates/{id}/edit")).await.assert_contains("value=\"98.5\"");
    let mut edit = template_fields("重点课题调研", "70", "2");
    edit.push(("version", "1"));
    let page = office.post(&format!("/org/post-templates/{id}"), &edit).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // The same form sent again is stale now: refused with the input kept.
    let mut stale = template_fields("重点课题调研（改）", "65", "2");
    stale.push(("version", "1"));
    let page = office.post(&format!("/org/post-templates/{id}"), &stale).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("value=\"重点课题调研（改）\"");
    let list = office.get(&path).await;
    list.assert_contains("<td class=\"num\" id=\"template-weight-total\">100</td>");
    list.assert_contains("合计 100");
    let summary: serde_json::Value =
        sqlx::query_scalar("select summary from audit_log where action = 'post_template.updated'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(summary["before"]["weight"], "60");
    assert_eq!(summary["after"]["weight"], "70");

    let page = office.post(&format!("/org/post-templates/{id}/delete"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    office.get(&path).await.assert_contains("已删除目标模板“重点课题调研”");
    assert_eq!(app.count("select count(*) from post_target_template").await, 1);
    assert_eq!(app.count("select count(*) from audit_log where action = 'post_template.created'").await, 2);
    let summary: serde_json::Value =
        sqlx::query_scalar("select summary from audit_log where action = 'post_template.deleted'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(summary["before"]["title"], "重点课题调研");
}

#[tokio::test]
async fn a_template_with_bad_numbers_comes_back_with_the_input_kept() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    let post_id = post(&app, research, "综合调研岗").await;
    let mut head = app.signed_in_as("head.yan", &[(Role::DepartmentHead, Some(research))]).await;
    let mut fields = template_fields("重点课题调研", "120", "1");
    fields[4] = ("target_value", "九十八");
    let page = head.post(&format!("/org/posts/{post_id}/templates"), &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("请填写数字，最多两位小数");
    page.assert_contains("权重须为 0–100 之间的数字");
    page.assert_contains("value=\"九十八\"");
    page.assert_contains("value=\"重点课题调研\"");
    assert_eq!(app.count("select count(*) from post_target_template").await, 0);
}

#[tokio::test]
async fn a_head_keeps_the_templates_of_their_own_departments_posts_only() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    let office = app.department("办公室").await;
    let own = post(&app, research, "综合调研岗").await;
    let other = post(&app, office, "文秘岗").await;
    let mut head = app.signed_in_as("head.yan", &[(Role::DepartmentHead, Some(research))]).await;
    let page = head.post(&format!("/org/posts/{own}/templates"), &template_fields("重点课题调研", "50", "1")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(head.get(&format!("/org/posts/{other}/templates")).await.status, StatusCode::FORBIDDEN);
    let page = head.post(&format!("/org/posts/{other}/templates"), &template_fields("文稿起草", "50", "1")).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let foreign: i64 = sqlx::query_scalar(
        "insert into post_target_template (post_id, title, category) values ($1, '文稿起草', 'routine') returning id",
    )
    .bind(other)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(head.get(&format!("/org/post-templates/{foreign}/edit")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(head.post(&format!("/org/post-templates/{foreign}/delete"), &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from post_target_template").await, 2);
}

#[tokio::test]
async fn staff_cannot_add_templates_and_auditors_only_read_them() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    let post_id = post(&app, research, "综合调研岗").await;
    sqlx::query("insert into post_target_template (post_id, title, category, weight) values ($1, '委员服务', 'service_commitment', 40)")
        .bind(post_id)
        .execute(&app.pool)
        .await
        .unwrap();
    let path = format!("/org/posts/{post_id}/templates");
    let mut staff = app.signed_in(Role::Staff).await;
    assert_eq!(staff.post(&path, &template_fields("自拟目标", "10", "1")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(staff.get(&path).await.status, StatusCode::FORBIDDEN);
    let mut auditor = app.signed_in(Role::Auditor).await;
    let page = auditor.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("委员服务");
    page.assert_contains("服务承诺");
    assert!(!page.body.contains("id=\"add-template\""));
    assert!(!page.body.contains("/delete"));
    assert_eq!(auditor.post(&path, &template_fields("自拟目标", "10", "1")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from post_target_template").await, 1);
}

#[tokio::test]
async fn the_commitments_and_their_cases_export_as_everyone_sees_them() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    let office = app.department("办公室").await;
    let letters = commitment(&app, research, "委员来信答复").await;
    commitment(&app, office, "会议室预约").await;
    let clerk = app.person("clerk", "登记员", &[(Role::Staff, None)]).await;
    for (subject, received, done) in
        [("委员张某来信", "2026-11-02", Some("2026-11-03")), ("委员李某来信", "2026-11-26", None)]
    {
        sqlx::query(
            "insert into commitment_case (commitment_id, subject, received_on, done_on, recorded_by)
             values ($1, $2, $3::date, $4::date, $5)",
        )
        .bind(letters)
        .bind(subject)
        .bind(received)
        .bind(done)
        .bind(clerk)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let mut staff = app.signed_in(Role::Staff).await;

    let page = staff.get("/commitments").await;
    page.assert_contains("href=\"/commitments.xlsx\"");
    let sheet = staff.get("/commitments.xlsx").await.xlsx();
    assert!(matches!(sheet.get_value((0, 0)), Some(Data::String(title)) if title.starts_with("服务承诺")));
    assert_eq!(sheet.get_value((2, 4)), Some(&Data::String("办理时限（工作日）".into())));
    assert_eq!(sheet_rows(&sheet).len(), table_rows(&page, "commitment-"));
    assert_eq!(sheet_rows(&sheet).len(), 2);
    assert_eq!(sheet.get_value((3, 4)), Some(&Data::Float(3.0)), "the time limit stays a number");
    let page = staff.get(&format!("/commitments?department={research}")).await;
    page.assert_contains(&format!("href=\"/commitments.xlsx?department={research}\""));
    let rows = sheet_rows(&staff.get(&format!("/commitments.xlsx?department={research}")).await.xlsx());
    assert_eq!(rows.len(), table_rows(&page, "commitment-"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][2], "委员来信答复");

    let cases = format!("/commitments/{letters}/cases");
    let page = staff.get(&cases).await;
    page.assert_contains(&format!("href=\"{cases}.xlsx\""));
    let sheet = staff.get(&format!("{cases}.xlsx")).await.xlsx();
    assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("服务承诺兑现情况 · 委员来信答复".into())));
    assert_eq!(sheet.get_value((2, 2)), Some(&Data::String("办结期限".into())));
    let rows = sheet_rows(&sheet);
    assert_eq!(rows.len(), table_rows(&page, "case-"));
    let kept = rows.iter().position(|r| r[0] == "委员张某来信").unwrap() as u32 + 3;
    let open = rows.iter().position(|r| r[0] == "委员李某来信").unwrap() as u32 + 3;
    for col in 1..=3 {
        assert!(matches!(sheet.get_value((kept, col)), Some(Data::DateTime(_))), "column {col} stays a date");
    }
    assert_eq!(sheet.get_value((kept, 4)), Some(&Data::String("已兑现".into())));
    assert_eq!(sheet.get_value((open, 3)).unwrap_or(&Data::Empty), &Data::Empty, "not done yet");
    assert_eq!(sheet.get_value((open, 4)), Some(&Data::String("办理中".into())));
    assert_eq!(sheet.get_value((kept, 5)), Some(&Data::String("登记员".into())));

    // An unknown commitment has no cases to export; a visitor is sent to sign in.
    assert_eq!(staff.get("/commitments/999999/cases.xlsx").await.status, StatusCode::NOT_FOUND);
    let refused = app.client().get("/commitments.xlsx").await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert!(refused.location().starts_with("/login"));
}

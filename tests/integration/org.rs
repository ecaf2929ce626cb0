//! Departments, people and posts as the administrator and the performance office use them.

use axum::http::StatusCode;
use cppcc_perf::domain::roles::Role;

use crate::support::TestApp;

#[tokio::test]
async fn an_administrator_adds_and_renames_a_department() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    admin.get("/org/departments/new").await.assert_contains("新增处室");
    let page = admin
        .post("/org/departments", &[("name", "研究室"), ("kind", "general"), ("sort_order", "2"), ("active", "on")])
        .await;
    assert_eq!(page.location(), "/org/departments");
    let list = admin.get("/org/departments").await;
    list.assert_contains("研究室");
    list.assert_contains("已保存处室“研究室”");
    let id: i64 =
        sqlx::query_scalar("select id from department where name = '研究室'").fetch_one(&app.pool).await.unwrap();
    admin.get(&format!("/org/departments/{id}/edit")).await;
    let page = admin
        .post(
            &format!("/org/departments/{id}"),
            &[("name", "研究室（政策研究）"), ("kind", "general"), ("version", "1"), ("active", "on")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let summary: serde_json::Value =
        sqlx::query_scalar("select summary from audit_log where action = 'department.updated'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(summary["before"]["name"], "研究室");
    assert_eq!(summary["after"]["name"], "研究室（政策研究）");
}

#[tokio::test]
async fn a_department_form_with_errors_comes_back_with_the_input_kept() {
    let app = TestApp::new().await;
    app.department("办公室").await;
    let mut admin = app.signed_in(Role::PerformanceOffice).await;
    let page = admin.post("/org/departments", &[("name", "  "), ("kind", ""), ("sort_order", "abc")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("此项必填");
    page.assert_contains("value=\"abc\"");
    let page = admin.post("/org/departments", &[("name", "办公室"), ("kind", "general")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("已被使用");
}

#[tokio::test]
async fn a_stale_edit_is_refused_with_the_input_kept() {
    let app = TestApp::new().await;
    let id = app.department("信息中心").await;
    let mut first = app.signed_in(Role::SystemAdmin).await;
    let mut second = app.signed_in(Role::PerformanceOffice).await;
    let fields = |name: &'static str| vec![("name", name), ("kind", "support"), ("version", "1"), ("active", "on")];
    assert_eq!(
        first.post(&format!("/org/departments/{id}"), &fields("信息中心（一）")).await.status,
        StatusCode::SEE_OTHER
    );
    let page = second.post(&format!("/org/departments/{id}"), &fields("信息中心（二）")).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("已被他人修改");
    page.assert_contains("信息中心（二）");
    let name: String =
        sqlx::query_scalar("select name from department where id = $1").bind(id).fetch_one(&app.pool).await.unwrap();
    assert_eq!(name, "信息中心（一）");
}

#[tokio::test]
async fn an_administrator_adds_a_person_with_roles_and_an_initial_password() {
    let app = TestApp::new().await;
    let office = app.department("办公室").await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let office_text = office.to_string();
    let page = admin
        .post(
            "/org/people",
            &[
                ("username", "Chen.Jing"),
                ("full_name", "陈静"),
                ("identity_type", "managed_civil_servant"),
                ("rank", "一级主任科员"),
                ("department_id", &office_text),
                ("active", "on"),
                ("roles", "staff"),
                ("roles", "auditor"),
                ("head_of", &office_text),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let edit = admin.get(page.location()).await;
    edit.assert_contains("chen.jing / ");
    let roles: Vec<String> = sqlx::query_scalar(
        "select g.role::text || coalesce('@' || g.department_id, '') from role_grant g join person p on p.id = g.person_id
         where p.username = 'chen.jing' order by 1",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(roles, vec!["auditor".to_string(), format!("department_head@{office}"), "staff".to_string()]);
    let list = admin.get("/org/people?q=陈").await;
    list.assert_contains("陈静");
    list.assert_contains("参照公务员法管理人员");
    assert_eq!(app.count("select count(*) from audit_log where action = 'person.created'").await, 1);
}

#[tokio::test]
async fn a_person_form_with_errors_keeps_what_was_typed() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let page = admin
        .post(
            "/org/people",
            &[("username", "li.qiang"), ("full_name", ""), ("identity_type", "institution"), ("phone", "0571-8800")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("value=\"li.qiang\"");
    page.assert_contains("value=\"0571-8800\"");
    page.assert_contains("id=\"full_name-error\"");
    let page = admin
        .post("/org/people", &[("username", "李强"), ("full_name", "李强"), ("identity_type", "institution")])
        .await;
    page.assert_contains("用户名须为");
    assert_eq!(app.count("select count(*) from person where full_name = '李强'").await, 0);
}

#[tokio::test]
async fn the_performance_office_edits_people_but_cannot_grant_roles() {
    let app = TestApp::new().await;
    let person = app.person("sun.li", "孙丽", &[(Role::Staff, None)]).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let form = office.get(&format!("/org/people/{person}/edit")).await;
    assert!(!form.body.contains("name=\"roles\""));
    let page = office
        .post(
            &format!("/org/people/{person}"),
            &[
                ("username", "sun.li"),
                ("full_name", "孙丽"),
                ("identity_type", "civil_servant"),
                ("version", "1"),
                ("active", "on"),
                ("roles", "system_admin"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from role_grant where role = 'system_admin' and person_id = (select id from person where username = 'sun.li')").await, 0);
    assert_eq!(office.post(&format!("/org/people/{person}/reset-password"), &[]).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_performance_office_keeps_organisational_fields_but_not_the_account() {
    let app = TestApp::new().await;
    let department = app.department("研究室").await.to_string();
    let person = app.person("sun.li", "孙丽", &[(Role::Staff, None)]).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let form = office.get(&format!("/org/people/{person}/edit")).await;
    form.assert_contains("readonly");
    // Neither deactivated (no `active`) nor renamed, though the form says so.
    let page = office
        .post(
            &format!("/org/people/{person}"),
            &[
                ("username", "renamed"),
                ("full_name", "孙丽丽"),
                ("identity_type", "institution"),
                ("department_id", &department),
                ("phone", "0571-1234"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (username, full_name, active): (String, String, bool) =
        sqlx::query_as("select username, full_name, active from person where id = $1")
            .bind(person)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((username.as_str(), full_name.as_str(), active), ("sun.li", "孙丽丽", true));
    assert_eq!(app.count("select count(*) from audit_log where action = 'person.deactivated'").await, 0);
    let mut again = app.client();
    again.login("sun.li", crate::support::PASSWORD).await;
}

#[tokio::test]
async fn only_a_system_administrator_changes_an_administrators_account() {
    let app = TestApp::new().await;
    let root = app.person("root.admin", "管理员", &[(Role::SystemAdmin, None)]).await;
    let fields = [
        ("username", "root.admin"),
        ("full_name", "改名"),
        ("identity_type", "civil_servant"),
        ("version", "1"),
        ("roles", "system_admin"),
    ];
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    assert_eq!(office.get(&format!("/org/people/{root}/edit")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(office.post(&format!("/org/people/{root}"), &fields).await.status, StatusCode::FORBIDDEN);
    let (full_name, active): (String, bool) = sqlx::query_as("select full_name, active from person where id = $1")
        .bind(root)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!((full_name.as_str(), active), ("管理员", true));
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let page = admin.post(&format!("/org/people/{root}"), &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let active: bool =
        sqlx::query_scalar("select active from person where id = $1").bind(root).fetch_one(&app.pool).await.unwrap();
    assert!(!active, "an administrator deactivates another administrator");
}

#[tokio::test]
async fn role_changes_are_audited_with_before_and_after() {
    let app = TestApp::new().await;
    let person = app.person("sun.li", "孙丽", &[(Role::Staff, None)]).await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    admin
        .post(
            &format!("/org/people/{person}"),
            &[
                ("username", "sun.li"),
                ("full_name", "孙丽"),
                ("identity_type", "civil_servant"),
                ("version", "1"),
                ("active", "on"),
                ("roles", "staff"),
                ("roles", "supervision_officer"),
            ],
        )
        .await;
    let summary: serde_json::Value =
        sqlx::query_scalar("select summary from audit_log where action = 'person.roles_changed'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(summary["before"], serde_json::json!(["staff"]));
    assert_eq!(summary["after"], serde_json::json!(["staff", "supervision_officer"]));
}

#[tokio::test]
async fn an_administrator_cannot_deactivate_themselves() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let me: i64 =
        sqlx::query_scalar("select id from person where username = 'system-admin'").fetch_one(&app.pool).await.unwrap();
    let page = admin
        .post(
            &format!("/org/people/{me}"),
            &[
                ("username", "system-admin"),
                ("full_name", "x"),
                ("identity_type", "civil_servant"),
                ("version", "1"),
                ("roles", "system_admin"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn posts_without_b_or_with_the_same_a_and_b_are_flagged() {
    let app = TestApp::new().await;
    let office = app.department("办公室").await;
    let a = app.person("a.holder", "甲", &[(Role::Staff, None)]).await;
    let b = app.person("b.holder", "乙", &[(Role::Staff, None)]).await;
    for (title, a_holder, b_holder) in
        [("文秘岗", Some(a), Some(b)), ("会务岗", Some(a), None), ("督办岗", Some(b), Some(b))]
    {
        sqlx::query("insert into post (department_id, title, a_holder_id, b_holder_id) values ($1, $2, $3, $4)")
            .bind(office)
            .bind(title)
            .bind(a_holder)
            .bind(b_holder)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let posts = admin.get("/org/posts").await;
    posts.assert_contains("2 个岗位需要调整 A/B 角");
    posts.assert_contains("无 B 角");
    posts.assert_contains("A、B 角为同一人");
    let flagged = admin.get("/org/posts?flagged=1").await;
    assert!(!flagged.body.contains("文秘岗"));
    admin.get("/").await.assert_contains("2 个岗位缺少 B 角");
}

#[tokio::test]
async fn a_head_sees_the_posts_of_their_department_only() {
    let app = TestApp::new().await;
    let mut head = app.signed_in(Role::DepartmentHead).await;
    let own: i64 = sqlx::query_scalar("select department_id from role_grant where role = 'department_head'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let other = app.department("研究室").await;
    for (department, title) in [(own, "本处岗位"), (other, "他处岗位")] {
        sqlx::query("insert into post (department_id, title) values ($1, $2)")
            .bind(department)
            .bind(title)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let page = head.get("/org/posts").await;
    page.assert_contains("本处岗位");
    assert!(!page.body.contains("他处岗位"));
    assert!(!page.body.contains("id=\"new-post\""));
    head.get("/").await.assert_contains("1 个岗位缺少 B 角");
}

#[tokio::test]
async fn a_post_is_created_with_duties_and_a_and_b() {
    let app = TestApp::new().await;
    let office = app.department("办公室").await.to_string();
    let a = app.person("a.holder", "甲", &[(Role::Staff, None)]).await.to_string();
    let b = app.person("b.holder", "乙", &[(Role::Staff, None)]).await.to_string();
    sqlx::query("update person set department_id = $1::text::bigint").bind(&office).execute(&app.pool).await.unwrap();
    let mut office_staff = app.signed_in(Role::PerformanceOffice).await;
    let same = office_staff
        .post(
            "/org/posts",
            &[("department_id", &office), ("title", "文秘岗"), ("a_holder_id", &a), ("b_holder_id", &a)],
        )
        .await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    same.assert_contains("B 角不能与 A 角为同一人");
    let page = office_staff
        .post(
            "/org/posts",
            &[
                ("department_id", &office),
                ("title", "文秘岗"),
                ("duties", "公文处理\n\n信息报送\n"),
                ("a_holder_id", &a),
                ("b_holder_id", &b),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let duties: Vec<String> = sqlx::query_scalar("select unnest(duties) from post where title = '文秘岗'")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(duties, vec!["公文处理", "信息报送"]);
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    admin.get("/org/people").await.assert_contains("文秘岗");
}

#[tokio::test]
async fn the_office_records_rank_tier_and_probation_for_assessment_and_a_half_probation_is_refused() {
    let app = TestApp::new().await;
    let person = app.person("xin.ren", "辛仁", &[(Role::Staff, None)]).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let form = office.get(&format!("/org/people/{person}/edit")).await;
    form.assert_contains("id=\"career-fields\"");
    let mut fields = vec![
        ("username", "xin.ren"),
        ("full_name", "辛仁"),
        ("identity_type", "civil_servant"),
        ("rank", "一级科员"),
        ("rank_track", "rank_level"),
        ("rank_tier", "clerk"),
        ("rank_since", "2026-08-01"),
        ("probation_from", "2026-08-01"),
        ("probation_to", ""),
        ("version", "1"),
    ];
    let page = office.post(&format!("/org/people/{person}"), &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"probation_to-error\"");
    page.assert_contains("value=\"2026-08-01\"");
    fields[8] = ("probation_to", "2027-07-31");
    let page = office.post(&format!("/org/people/{person}"), &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (tier, to): (String, chrono::NaiveDate) =
        sqlx::query_as("select rank_tier::text, probation_to from person where id = $1")
            .bind(person)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((tier.as_str(), to.to_string().as_str()), ("clerk", "2027-07-31"));
    let summary: serde_json::Value =
        sqlx::query_scalar("select summary from audit_log where action = 'person.updated'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(summary["before"]["rank_tier"], serde_json::Value::Null);
    assert_eq!(summary["after"]["rank_tier"], "clerk");
    let form = office.get(&format!("/org/people/{person}/edit")).await;
    form.assert_contains("value=\"2027-07-31\"");
}

#[tokio::test]
async fn a_posts_a_and_b_are_chosen_from_its_departments_people() {
    let app = TestApp::new().await;
    let office = app.department("办公室").await;
    let research = app.department("研究室").await;
    let a = app.person("a.holder", "甲", &[(Role::Staff, None)]).await;
    let b = app.person("b.holder", "乙", &[(Role::Staff, None)]).await;
    let outsider = app.person("c.other", "丙", &[(Role::Staff, None)]).await;
    for (person, department) in [(a, office), (b, office), (outsider, research)] {
        sqlx::query("update person set department_id = $2 where id = $1")
            .bind(person)
            .bind(department)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let mut keeper = app.signed_in(Role::PerformanceOffice).await;
    let (office_text, a_text, b_text, outsider_text) =
        (office.to_string(), a.to_string(), b.to_string(), outsider.to_string());
    let fields = |b_holder: &'static str| {
        vec![
            ("department_id", office_text.clone()),
            ("title", "文秘岗".to_string()),
            ("a_holder_id", a_text.clone()),
            ("b_holder_id", if b_holder == "outsider" { outsider_text.clone() } else { b_text.clone() }),
        ]
    };
    let refused: Vec<(String, String)> = fields("outsider").into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let refused: Vec<(&str, &str)> = refused.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page = keeper.post("/org/posts", &refused).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    page.assert_contains("id=\"b_holder_id-error\"");
    page.assert_contains("不是可选的选项");
    page.assert_contains("value=\"文秘岗\"");
    // The department chosen, only its people are offered as A and B.
    page.assert_contains(&format!("<option value=\"{outsider}\" data-department=\"{research}\" hidden disabled"));
    page.assert_contains(&format!("<option value=\"{b}\" data-department=\"{office}\">"));
    // An unknown id is refused the same way, never a server error.
    let unknown = [("department_id", office_text.as_str()), ("title", "文秘岗"), ("a_holder_id", "987654")];
    assert_eq!(keeper.post("/org/posts", &unknown).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("select count(*) from post").await, 0);
    let accepted: Vec<(String, String)> = fields("b").into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let accepted: Vec<(&str, &str)> = accepted.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page = keeper.post("/org/posts", &accepted).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // A holder who later moved to another department stays a choice of the post they hold.
    sqlx::query("update person set department_id = $2 where id = $1")
        .bind(b)
        .bind(research)
        .execute(&app.pool)
        .await
        .unwrap();
    let post: i64 = sqlx::query_scalar("select id from post").fetch_one(&app.pool).await.unwrap();
    let form = keeper.get(&format!("/org/posts/{post}/edit")).await;
    form.assert_contains(&format!("<option value=\"{b}\" data-department=\"{research}\" data-kept selected>"));
    let mut edit = accepted.clone();
    edit.push(("version", "1"));
    let page = keeper.post(&format!("/org/posts/{post}"), &edit).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
}

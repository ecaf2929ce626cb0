//! Absences and A/B cover (AB角工作制): recording and withdrawing absences,
//! today's cover of every post, and the vacant-post (空岗) alerts.

use axum::http::StatusCode;
use calamine::Data;
use chrono::Duration;
use cppcc_perf::domain::roles::Role;
use cppcc_perf::tasks;

use crate::support::{TestApp, sheet_rows, table_rows};

/// A department with its head, two staff (A and B of one post) and a second
/// department with one person.
struct Office {
    other_department: i64,
    post: i64,
    a: i64,
    b: i64,
    outsider: i64,
}

async fn in_department(app: &TestApp, person: i64, department: i64) {
    sqlx::query("update person set department_id = $2 where id = $1")
        .bind(person)
        .bind(department)
        .execute(&app.pool)
        .await
        .unwrap();
}

async fn office(app: &TestApp) -> Office {
    let department = app.department("研究室").await;
    let other_department = app.department("信息中心").await;
    let head = app.person("li.head", "李处长", &[(Role::DepartmentHead, Some(department))]).await;
    in_department(app, head, department).await;
    let a = app.person("wang.a", "王甲", &[(Role::Staff, None)]).await;
    let b = app.person("zhao.b", "赵乙", &[(Role::Staff, None)]).await;
    let outsider = app.person("sun.x", "孙丙", &[(Role::Staff, None)]).await;
    in_department(app, a, department).await;
    in_department(app, b, department).await;
    in_department(app, outsider, other_department).await;
    let post: i64 = sqlx::query_scalar(
        "insert into post (department_id, title, a_holder_id, b_holder_id) values ($1, '综合调研岗', $2, $3) returning id",
    )
    .bind(department)
    .bind(a)
    .bind(b)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    Office { other_department, post, a, b, outsider }
}

/// An active absence of `person` covering today (recorded by the person themself).
async fn away_today(app: &TestApp, person: i64) -> i64 {
    let today = app.today();
    sqlx::query_scalar(
        "insert into absence (person_id, from_date, to_date, kind, leave_kind, recorded_by) values ($1, $2, $3, 'leave', 'annual', $1) returning id",
    )
    .bind(person)
    .bind(today - Duration::days(1))
    .bind(today + Duration::days(2))
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_head_records_an_absence_for_their_staff_and_not_for_another_department() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let mut head = app.login_as("li.head").await;
    let list = head.get("/absences").await;
    list.assert_contains("id=\"new-absence\"");
    let form = head.get("/absences/new").await;
    form.assert_contains("王甲");
    assert!(!form.body.contains("孙丙"), "the person select offers only the head's departments");
    let a = o.a.to_string();
    let page = head
        .post(
            "/absences",
            &[
                ("person_id", &a),
                ("kind", "travel"),
                ("from_date", "2026-06-01"),
                ("to_date", "2026-06-05"),
                ("note", "赴省调研"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), "/absences");
    let list = head.get("/absences").await;
    list.assert_contains("已登记 王甲 的请假/外出");
    list.assert_contains("赴省调研");
    let summary: serde_json::Value =
        sqlx::query_scalar("select summary from audit_log where action = 'absence.created'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(summary["person_id"], o.a);
    assert_eq!(summary["kind"], "travel");

    let outsider = o.outsider.to_string();
    let page = head
        .post(
            "/absences",
            &[
                ("person_id", &outsider),
                ("kind", "leave"),
                ("leave_kind", "annual"),
                ("from_date", "2026-06-01"),
                ("to_date", "2026-06-02"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from absence").await, 1);
}

#[tokio::test]
async fn an_overlapping_absence_is_refused_beside_its_dates_with_the_input_kept() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let mut office_member = app.signed_in(Role::PerformanceOffice).await;
    let a = o.a.to_string();
    let first = office_member
        .post(
            "/absences",
            &[
                ("person_id", &a),
                ("kind", "leave"),
                ("leave_kind", "annual"),
                ("from_date", "2026-07-01"),
                ("to_date", "2026-07-10"),
            ],
        )
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let page = office_member
        .post(
            "/absences",
            &[
                ("person_id", &a),
                ("kind", "travel"),
                ("from_date", "2026-07-10"),
                ("to_date", "2026-07-12"),
                ("note", "出差"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"from_date-error\"");
    page.assert_contains("时间重叠");
    page.assert_contains("2026-07-01 – 2026-07-10");
    page.assert_contains("value=\"2026-07-12\"");
    page.assert_contains(">出差</textarea>");
    // Dates that do not parse or run backwards.
    let page = office_member
        .post(
            "/absences",
            &[
                ("person_id", &a),
                ("kind", "leave"),
                ("leave_kind", "annual"),
                ("from_date", "2026-08-05"),
                ("to_date", "2026-08-01"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("结束日期不能早于开始日期");
    let page = office_member
        .post(
            "/absences",
            &[("person_id", &a), ("kind", "leave"), ("leave_kind", "annual"), ("from_date", "八月"), ("to_date", "")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("value=\"八月\"");
    assert_eq!(app.count("select count(*) from absence").await, 1);
}

#[tokio::test]
async fn a_withdrawn_absence_is_audited_and_may_be_entered_again() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let id = away_today(&app, o.a).await;
    let mut head = app.login_as("li.head").await;
    head.get("/absences").await.assert_contains(&format!("id=\"withdraw-absence-{id}\""));
    let page = head.post(&format!("/absences/{id}/withdraw"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    head.get("/absences").await.assert_contains("已撤销 王甲 的登记");
    assert_eq!(app.count("select count(*) from absence where active").await, 0);
    assert_eq!(app.count("select count(*) from audit_log where action = 'absence.withdrawn'").await, 1);
    head.get("/absences?when=withdrawn").await.assert_contains(&format!("id=\"absence-{id}\""));
    // Withdrawing twice changes nothing.
    head.post(&format!("/absences/{id}/withdraw"), &[]).await;
    assert_eq!(app.count("select count(*) from audit_log where action = 'absence.withdrawn'").await, 1);
    // The same period may now be entered again.
    let today = app.today().to_string();
    let a = o.a.to_string();
    let page = head
        .post(
            "/absences",
            &[
                ("person_id", &a),
                ("kind", "leave"),
                ("leave_kind", "annual"),
                ("from_date", &today),
                ("to_date", &today),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn staff_see_only_their_own_absences_and_record_none() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    away_today(&app, o.a).await;
    away_today(&app, o.b).await;
    let mut a = app.login_as("wang.a").await;
    let list = a.get("/absences").await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains("王甲");
    assert!(!list.body.contains("赵乙"), "staff see only their own absences");
    assert!(!list.body.contains("new-absence"));
    assert_eq!(a.get("/absences/new").await.status, StatusCode::FORBIDDEN);
    assert_eq!(a.get("/absences/cover").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_cover_page_shows_b_covering_while_a_is_away_and_vacant_when_both_are() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let mut head = app.login_as("li.head").await;
    head.get("/absences/cover").await.assert_contains(&format!("id=\"cover-post-{}\" data-cover=\"holder\"", o.post));
    away_today(&app, o.a).await;
    let page = head.get("/absences/cover").await;
    page.assert_contains(&format!("id=\"cover-post-{}\" data-cover=\"backup\"", o.post));
    page.assert_contains("B 角顶岗");
    away_today(&app, o.b).await;
    let page = head.get("/absences/cover").await;
    page.assert_contains(&format!("id=\"cover-post-{}\" data-cover=\"vacant\"", o.post));
    page.assert_contains("badge badge-danger\">空岗");
    page.assert_contains(&format!("id=\"away-{}\"", o.b));
    // A head sees only the posts of their departments.
    let other_post: i64 =
        sqlx::query_scalar("insert into post (department_id, title) values ($1, '网络运维岗') returning id")
            .bind(o.other_department)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(!head.get("/absences/cover").await.body.contains(&format!("cover-post-{other_post}")));
    let mut office_member = app.signed_in(Role::PerformanceOffice).await;
    let page = office_member.get("/absences/cover").await;
    page.assert_contains(&format!("id=\"cover-post-{other_post}\" data-cover=\"unstaffed\""));
}

#[tokio::test]
async fn heads_and_the_performance_office_find_vacant_posts_among_their_todos() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    away_today(&app, o.a).await;
    let mut head = app.login_as("li.head").await;
    assert!(!head.get("/").await.body.contains("空岗"), "B covers: no alert");
    away_today(&app, o.b).await;
    let home = head.get("/").await;
    home.assert_contains("1 个岗位 A、B 角均不在岗（空岗）");
    home.assert_contains("href=\"/absences/cover\"");
    let mut office_member = app.signed_in(Role::PerformanceOffice).await;
    office_member.get("/").await.assert_contains("1 个岗位 A、B 角均不在岗（空岗）");
    // A head of another department is not told.
    app.person("zhou.head", "周处长", &[(Role::DepartmentHead, Some(o.other_department))]).await;
    let mut other_head = app.login_as("zhou.head").await;
    assert!(!other_head.get("/").await.body.contains("空岗"));
}

#[tokio::test]
async fn the_task_tells_each_head_and_office_member_of_a_vacant_post_once_a_day() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let office_member = app.person("qian.office", "钱绩效", &[(Role::PerformanceOffice, None)]).await;
    app.person("zhou.head", "周处长", &[(Role::DepartmentHead, Some(o.other_department))]).await;
    let today = app.today();
    assert_eq!(tasks::run_once(&app.pool, today).await.unwrap().notifications, 0);
    away_today(&app, o.a).await;
    away_today(&app, o.b).await;
    let run = tasks::run_once(&app.pool, today).await.unwrap();
    assert_eq!(run.notifications, 2, "the head and the office member");
    assert_eq!(tasks::run_once(&app.pool, today).await.unwrap().notifications, 0);
    assert_eq!(app.count("select count(*) from notification where message = 'notify-post-vacant'").await, 2);
    let args: serde_json::Value = sqlx::query_scalar("select args from notification where person_id = $1")
        .bind(office_member)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(args["title"], "研究室 · 综合调研岗");
    let mut head = app.login_as("li.head").await;
    head.get("/notifications").await.assert_contains("岗位“研究室 · 综合调研岗”A、B 角均不在岗（空岗）");
    // The next day it is raised again while the post stays vacant.
    assert_eq!(tasks::run_once(&app.pool, today + Duration::days(1)).await.unwrap().notifications, 2);
}

#[tokio::test]
async fn auditors_read_every_absence_and_change_none() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let id = away_today(&app, o.a).await;
    let mut auditor = app.signed_in(Role::Auditor).await;
    let list = auditor.get("/absences").await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains("王甲");
    assert!(!list.body.contains(&format!("id=\"withdraw-absence-{id}\"")));
    assert!(!list.body.contains("id=\"new-absence\""));
    assert_eq!(auditor.post(&format!("/absences/{id}/withdraw"), &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(auditor.get("/absences/new").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_leave_names_its_kind_and_the_year_totals_flag_sick_and_personal_leave_over_half_the_year() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let mut head = app.login_as("li.head").await;
    head.get("/absences/new").await;
    let a = o.a.to_string();
    // A leave without its kind comes back with the input kept.
    let leave = |kind: &'static str, from: &'static str, to: &'static str| {
        vec![
            ("person_id", a.clone()),
            ("kind", "leave".to_string()),
            ("leave_kind", kind.to_string()),
            ("from_date", from.to_string()),
            ("to_date", to.to_string()),
            ("note", "术后休养".to_string()),
        ]
    };
    let fields = leave("", "2026-03-02", "2026-06-30");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = head.post("/absences", &refs).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"leave_kind-error\"");
    page.assert_contains("术后休养");
    for (kind, from, to) in [("sick", "2026-03-02", "2026-06-30"), ("personal", "2026-07-01", "2026-09-01")] {
        let fields = leave(kind, from, to);
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = head.post("/absences", &refs).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    let list = head.get("/absences?when=past").await;
    list.assert_contains("病假");
    // 121 days of sick leave and 63 of personal leave: 184 > 182.5, half of 2026.
    let year = head.get("/absences/year?year=2026").await;
    year.assert_contains(&format!("id=\"no-grade-{}\"", o.a));
    year.assert_contains(">121<");
    year.assert_contains(">63<");
    // The other department's person is not the head's to see.
    assert!(!year.body.contains(&format!("absence-year-{}", o.outsider)));
    // A year with another share in its settings: 60 % is 219 days, not reached.
    sqlx::query(
        "insert into office_setting (year, settings, updated_by) values (2026, '{\"leave_no_grade_percent\": 60}', $1)",
    )
    .bind(o.b)
    .execute(&app.pool)
    .await
    .unwrap();
    let year = head.get("/absences/year?year=2026").await;
    assert!(!year.body.contains(&format!("id=\"no-grade-{}\"", o.a)));
    let next = head.get("/absences/year?year=2027").await;
    next.assert_contains("该年度没有登记");
}

#[tokio::test]
async fn the_absences_the_cover_and_the_year_export_as_the_head_sees_them() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    away_today(&app, o.a).await;
    away_today(&app, o.outsider).await;
    sqlx::query(
        "insert into absence (person_id, from_date, to_date, kind, leave_kind, recorded_by)
         values ($1, '2026-03-02', '2026-03-06', 'leave', 'sick', $1)",
    )
    .bind(o.b)
    .execute(&app.pool)
    .await
    .unwrap();
    let mut head = app.login_as("li.head").await;

    let page = head.get("/absences").await;
    page.assert_contains("href=\"/absences.xlsx\"");
    let sheet = head.get("/absences.xlsx").await.xlsx();
    assert!(matches!(sheet.get_value((0, 0)), Some(Data::String(title)) if title.starts_with("请假与外出登记")));
    assert_eq!(sheet.get_value((2, 3)), Some(&Data::String("开始日期".into())));
    let rows = sheet_rows(&sheet);
    assert_eq!(rows.len(), table_rows(&page, "absence-"));
    assert_eq!(rows.len(), 2, "the department's two, not the other department's");
    let sick = rows.iter().position(|r| r[0] == "赵乙").unwrap() as u32 + 3;
    assert_eq!(sheet.get_value((sick, 2)), Some(&Data::String("请假 · 病假".into())));
    assert!(matches!(sheet.get_value((sick, 3)), Some(Data::DateTime(_))), "the first day stays a date");
    assert!(matches!(sheet.get_value((sick, 4)), Some(Data::DateTime(_))), "the last day stays a date");
    assert_eq!(sheet.get_value((sick, 5)), Some(&Data::String("已结束".into())));
    let page = head.get("/absences?when=current").await;
    page.assert_contains("href=\"/absences.xlsx?when=current\"");
    let rows = sheet_rows(&head.get("/absences.xlsx?when=current").await.xlsx());
    assert_eq!(rows.len(), table_rows(&page, "absence-"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "王甲");

    let page = head.get("/absences/cover").await;
    page.assert_contains("href=\"/absences/cover.xlsx\"");
    let sheet = head.get("/absences/cover.xlsx").await.xlsx();
    assert_eq!(sheet_rows(&sheet).len(), table_rows(&page, "cover-post-"));
    assert_eq!(sheet.get_value((2, 4)), Some(&Data::String("A 角不在岗至".into())));
    assert_eq!(sheet.get_value((3, 1)), Some(&Data::String("综合调研岗".into())));
    assert_eq!(sheet.get_value((3, 2)), Some(&Data::String("王甲".into())));
    assert_eq!(sheet.get_value((3, 3)), Some(&Data::String("请假".into())));
    assert!(matches!(sheet.get_value((3, 4)), Some(Data::DateTime(_))), "A's last day away stays a date");
    assert_eq!(sheet.get_value((3, 5)), Some(&Data::String("赵乙".into())));
    assert_eq!(sheet.get_value((3, 8)), Some(&Data::String("B 角顶岗".into())));

    let page = head.get("/absences/year?year=2026").await;
    page.assert_contains("href=\"/absences/year.xlsx?year=2026\"");
    let sheet = head.get("/absences/year.xlsx?year=2026").await.xlsx();
    assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("全年请假和离岗天数 · 2026".into())));
    assert_eq!(sheet.get_value((2, 3)), Some(&Data::String("病假".into())));
    let rows = sheet_rows(&sheet);
    assert_eq!(rows.len(), table_rows(&page, "absence-year-"));
    let b = rows.iter().position(|r| r[0] == "赵乙").unwrap() as u32 + 3;
    assert_eq!(sheet.get_value((b, 3)), Some(&Data::Float(5.0)), "five days of sick leave, as a number");

    // Staff watch no cover: the export is refused as the page is.
    let mut staff = app.login_as("wang.a").await;
    assert_eq!(staff.get("/absences/cover.xlsx").await.status, StatusCode::FORBIDDEN);
    let rows = sheet_rows(&staff.get("/absences.xlsx").await.xlsx());
    assert!(rows.iter().all(|r| r[0] == "王甲"), "staff export only their own absences");
}

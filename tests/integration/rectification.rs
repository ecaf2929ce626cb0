//! Rectification (docs/DOMAIN.md §19.5): raising items from a source the
//! user may choose, progress with evidence, submission, verification by
//! someone other than the owner (checked by the application and the
//! database), close-out and reopening, overdue to-dos and counts, carrying
//! open items into the next cycle's targets once, and stale edits.

use axum::http::{Method, StatusCode};
use calamine::Data;
use cppcc_perf::db::rectification as db;
use cppcc_perf::domain::roles::Role;

use crate::support::{Client, TestApp, sheet_row, sheet_row_of};

struct Office {
    app: TestApp,
    department: i64,
    other: i64,
    head: i64,
    staff: i64,
    supervision: i64,
    other_supervision: i64,
}

async fn office() -> Office {
    let app = TestApp::new().await;
    let department = app.department("研究室").await;
    let other = app.department("联络处").await;
    let head = app.member("head", "处长", department, &[(Role::DepartmentHead, Some(department))]).await;
    let staff = app.member("staff", "干事", department, &[(Role::Staff, None)]).await;
    app.member("outsider", "外处干事", other, &[(Role::Staff, None)]).await;
    app.person("perf", "绩效办", &[(Role::PerformanceOffice, None)]).await;
    let item = |department: i64, title: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "insert into supervision_item (title, source, department_id, opened_by, due_date, status)
                 values ($1, 'meeting_decision', $2, $3, '2026-12-31', 'in_progress') returning id",
            )
            .bind(title)
            .bind(department)
            .bind(head)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let supervision = item(department, "督办：调研报告报送").await;
    let other_supervision = item(other, "督办：联络工作").await;
    Office { app, department, other, head, staff, supervision, other_supervision }
}

/// Raises an item as `client` from `source`, owned by `owner`, due on `due`; the response.
async fn raise(client: &mut Client, o: &Office, source: &str, owner: i64, due: &str) -> crate::support::Page {
    let (department, owner) = (o.department.to_string(), owner.to_string());
    client
        .post(
            "/feedback/rectification",
            &[
                ("source", source),
                ("title", "督办事项办理迟缓整改"),
                ("problem", "调研报告两次逾期报送"),
                ("department_id", &department),
                ("owner_id", &owner),
                ("plan", "建立报送台账，每周调度"),
                ("due_on", due),
            ],
        )
        .await
}

/// Raises an item from the office's supervision item as the head; its id.
async fn raised(o: &Office, owner: i64, due: &str) -> i64 {
    let mut head = o.app.login_as("head").await;
    let page = raise(&mut head, o, &format!("supervision_item:{}", o.supervision), owner, due).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location().trim_start_matches("/feedback/rectification/").parse().unwrap()
}

async fn status_of(o: &Office, id: i64) -> String {
    sqlx::query_scalar("select status::text from rectification_item where id = $1")
        .bind(id)
        .fetch_one(&o.app.pool)
        .await
        .unwrap()
}

async fn version_of(o: &Office, id: i64) -> String {
    let v: i32 = sqlx::query_scalar("select version from rectification_item where id = $1")
        .bind(id)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    v.to_string()
}

/// Posts a step form (`submit`, `verify`, `reopen`) at the item's current version.
async fn step(o: &Office, client: &mut Client, id: i64, action: &str, fields: &[(&str, &str)]) -> crate::support::Page {
    let version = version_of(o, id).await;
    // Each form names its text after its step, as the page does.
    let text = match action {
        "submit" => "submit_note",
        "verify" => "verify_note",
        _ => "reopen_reason",
    };
    let mut all = vec![("version", version.as_str())];
    all.extend(fields.iter().map(|&(name, value)| (if name == "note" { text } else { name }, value)));
    client.post(&format!("/feedback/rectification/{id}/{action}"), &all).await
}

#[tokio::test]
async fn a_head_raises_an_item_from_a_source_offered_and_any_other_source_is_refused() {
    let o = office().await;
    let mut head = o.app.login_as("head").await;
    let form = head.get(&format!("/feedback/rectification/new?source=supervision_item:{}", o.supervision)).await;
    assert_eq!(form.status, StatusCode::OK);
    form.assert_contains(&format!("value=\"supervision_item:{}\" selected", o.supervision));
    form.assert_contains("督办：调研报告报送");
    assert!(!form.body.contains("督办：联络工作"), "another department's item is not offered");
    // An unknown source and another department's item: 422, the input kept.
    for source in ["supervision_item:999999".to_string(), format!("supervision_item:{}", o.other_supervision)] {
        let page = raise(&mut head, &o, &source, o.staff, "2026-12-31").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{source}");
        page.assert_contains("调研报告两次逾期报送");
    }
    // An owner outside the department is refused too.
    let outsider: i64 = o.app.count("select id from person where username = 'outsider'").await;
    let page = raise(&mut head, &o, &format!("supervision_item:{}", o.supervision), outsider, "2026-12-31").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A due date before today is refused.
    let page = raise(&mut head, &o, &format!("supervision_item:{}", o.supervision), o.staff, "2026-11-26").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let id = raised(&o, o.staff, "2026-12-31").await;
    assert_eq!(status_of(&o, id).await, "open");
    let audit = o.app.count("select count(*) from audit_log where action = 'rectification.raised'").await;
    assert_eq!(audit, 1);
    // The self-assessment needs its reference in words.
    let page = raise(&mut head, &o, "self_assessment", o.staff, "2026-12-31").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Staff raise nothing.
    let mut staff = o.app.login_as("staff").await;
    assert_eq!(staff.get("/feedback/rectification/new").await.status, StatusCode::FORBIDDEN);
    let _ = o.other;
}

#[tokio::test]
async fn the_owner_reports_progress_with_evidence_submits_and_the_head_closes_it_out() {
    let o = office().await;
    let id = raised(&o, o.staff, "2026-12-31").await;
    let mut staff = o.app.login_as("staff").await;
    let page = staff.get(&format!("/feedback/rectification/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let token = staff.csrf.clone().unwrap();
    let version = version_of(&o, id).await;
    let (content_type, body) = crate::support::multipart(&[
        ("_csrf", None, token.as_bytes()),
        ("version", None, version.as_bytes()),
        ("progress_note", None, "已建立报送台账".as_bytes()),
        ("evidence", Some("ledger.pdf"), b"%PDF-1.4\n%demo\n"),
    ]);
    let path = format!("/feedback/rectification/{id}/progress");
    let page = staff.request(Method::POST, &path, Some(&content_type), body, &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(status_of(&o, id).await, "in_progress");
    let files = o.app.count("select count(*) from attachment where owner_type = 'rectification_step'").await;
    assert_eq!(files, 1);
    let page = staff.get(&format!("/feedback/rectification/{id}")).await;
    page.assert_contains("已建立报送台账");
    page.assert_contains("ledger.pdf");
    // A progress update without text is refused with 422.
    let (content_type, body) = crate::support::multipart(&[
        ("_csrf", None, token.as_bytes()),
        ("version", None, version_of(&o, id).await.as_bytes()),
        ("progress_note", None, b"  "),
    ]);
    let page = staff.request(Method::POST, &path, Some(&content_type), body, &[]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The head is not the owner: no progress from them.
    let mut head = o.app.login_as("head").await;
    assert_eq!(step(&o, &mut head, id, "submit", &[]).await.status, StatusCode::FORBIDDEN);
    let page = step(&o, &mut staff, id, "submit", &[("note", "台账已运行一个月")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&o, id).await, "submitted");
    // The owner does not verify; a return needs a note.
    assert_eq!(step(&o, &mut staff, id, "verify", &[("decision", "close")]).await.status, StatusCode::FORBIDDEN);
    let page = step(&o, &mut head, id, "verify", &[("decision", "return")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = step(&o, &mut head, id, "verify", &[("decision", "close"), ("note", "核实无误")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&o, id).await, "closed");
    let closed_by: i64 = sqlx::query_scalar("select closed_by from rectification_item where id = $1")
        .bind(id)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    assert_eq!(closed_by, o.head);
    for action in ["rectification.progress", "rectification.submitted", "rectification.closed"] {
        let n: i64 = sqlx::query_scalar("select count(*) from audit_log where action = $1 and object_id = $2")
            .bind(action)
            .bind(id.to_string())
            .fetch_one(&o.app.pool)
            .await
            .unwrap();
        assert_eq!(n, 1, "{action}");
    }
    // Once closed, the owner's forms are gone and a second close does nothing but refuse.
    let page = step(&o, &mut head, id, "verify", &[("decision", "close")]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_owner_never_closes_their_own_item_neither_in_the_application_nor_in_the_database() {
    let o = office().await;
    // The head owns the item: they may not verify it, the performance office may.
    let id = raised(&o, o.head, "2026-12-31").await;
    let mut head = o.app.login_as("head").await;
    assert_eq!(step(&o, &mut head, id, "submit", &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(step(&o, &mut head, id, "verify", &[("decision", "close")]).await.status, StatusCode::FORBIDDEN);
    let refused = sqlx::query(
        "update rectification_item set status = 'closed', closed_by = owner_id, closed_on = '2026-11-27', closed_at = now()
         where id = $1",
    )
    .bind(id)
    .execute(&o.app.pool)
    .await;
    assert!(refused.is_err(), "the database refuses the owner's close-out");
    let refused = sqlx::query(
        "insert into rectification_step (item_id, kind, actor_id, on_day) values ($1, 'closed', $2, '2026-11-27')",
    )
    .bind(id)
    .bind(o.head)
    .execute(&o.app.pool)
    .await;
    assert!(refused.is_err(), "the database refuses the owner's verification step");
    let mut perf = o.app.login_as("perf").await;
    assert_eq!(step(&o, &mut perf, id, "verify", &[("decision", "close")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&o, id).await, "closed");
}

#[tokio::test]
async fn a_closed_item_is_reopened_only_with_a_reason_and_worked_on_again() {
    let o = office().await;
    let id = raised(&o, o.staff, "2026-12-31").await;
    let (mut staff, mut head) = (o.app.login_as("staff").await, o.app.login_as("head").await);
    step(&o, &mut staff, id, "submit", &[]).await;
    step(&o, &mut head, id, "verify", &[("decision", "close")]).await;
    assert_eq!(step(&o, &mut staff, id, "reopen", &[("note", "x")]).await.status, StatusCode::FORBIDDEN);
    let page = step(&o, &mut head, id, "reopen", &[("note", " ")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = step(&o, &mut head, id, "reopen", &[("note", "复查发现台账未持续更新")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&o, id).await, "reopened");
    let closed: Option<i64> = sqlx::query_scalar("select closed_by from rectification_item where id = $1")
        .bind(id)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    assert_eq!(closed, None, "a reopening clears the close-out");
    let page = staff.get(&format!("/feedback/rectification/{id}")).await;
    page.assert_contains("复查发现台账未持续更新");
    assert_eq!(step(&o, &mut staff, id, "submit", &[]).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_overdue_item_is_on_its_owners_to_dos_and_counted_on_the_list() {
    let o = office().await;
    let id = raised(&o, o.staff, "2026-11-27").await;
    let later = raised(&o, o.staff, "2026-12-31").await;
    // Due yesterday: overdue today, by one calendar day.
    sqlx::query("update rectification_item set due_on = '2026-11-26' where id = $1")
        .bind(id)
        .execute(&o.app.pool)
        .await
        .unwrap();
    let mut staff = o.app.login_as("staff").await;
    let home = staff.get("/").await;
    home.assert_contains("1 项整改事项已逾期");
    home.assert_contains("1 项整改事项待整改");
    let list = staff.get("/feedback/rectification").await;
    list.assert_contains(&format!("id=\"count-{}\"", o.department));
    list.assert_contains("data-overdue=\"1\"");
    list.assert_contains("逾期 1 天");
    let overdue = staff.get("/feedback/rectification?overdue=1").await;
    overdue.assert_contains(&format!("href=\"/feedback/rectification/{id}\""));
    assert!(!overdue.body.contains(&format!("href=\"/feedback/rectification/{later}\"")), "not yet due");
    // The head has the submitted item to verify once it is submitted.
    step(&o, &mut staff, id, "submit", &[]).await;
    let mut head = o.app.login_as("head").await;
    head.get("/").await.assert_contains("1 项整改事项待验收");
    // Someone of another department sees neither the items nor the counts.
    let mut outsider = o.app.login_as("outsider").await;
    outsider.get("/feedback/rectification").await.assert_contains("id=\"rectification-none\"");
    assert_eq!(outsider.get(&format!("/feedback/rectification/{id}")).await.status, StatusCode::FORBIDDEN);
    let mut conn = o.app.pool.acquire().await.unwrap();
    let figures = db::timeliness(&mut conn, 2026, o.app.today()).await.unwrap();
    assert_eq!((figures.open_overdue, figures.open_not_due, figures.closed_in_time), (1, 1, 0));
}

#[tokio::test]
async fn open_items_are_carried_into_the_next_cycles_targets_once() {
    let o = office().await;
    let id = raised(&o, o.staff, "2026-12-31").await;
    let closed = raised(&o, o.staff, "2026-12-31").await;
    let (mut staff, mut head) = (o.app.login_as("staff").await, o.app.login_as("head").await);
    step(&o, &mut staff, closed, "submit", &[]).await;
    step(&o, &mut head, closed, "verify", &[("decision", "close")]).await;
    let cycle: i64 = sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until, assessment_until, feedback_until)
         values ('2027年度考核', 'annual', '2027-01-01', '2027-12-31', '2027-01-31', '2027-12-31', '2028-01-31', '2028-02-29') returning id",
    )
    .fetch_one(&o.app.pool)
    .await
    .unwrap();
    let cycle = cycle.to_string();
    let fields = [
        ("cycle_id", cycle.as_str()),
        ("department_id", ""),
        ("measure", "按期销号"),
        ("assessment_method", "验收销号"),
    ];
    // A cycle not offered is refused.
    let page = head
        .post("/feedback/rectification/carry", &[("cycle_id", "999999"), ("measure", "m"), ("assessment_method", "a")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for _ in 0..2 {
        let page = head.post("/feedback/rectification/carry", &fields).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    let targets = o
        .app
        .count("select count(*) from target t join target_set s on s.id = t.set_id where s.level = 'person' and t.kind = 'qualitative'")
        .await;
    assert_eq!(targets, 1, "the open item only, and only once");
    let carried: Option<i64> = sqlx::query_scalar("select carried_target_id from rectification_item where id = $1")
        .bind(id)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    let target = carried.expect("the item names its target");
    let owner: i64 = sqlx::query_scalar("select owner_id from target where id = $1")
        .bind(target)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    assert_eq!(owner, o.staff);
    let audit = o.app.count("select count(*) from audit_log where action = 'rectification.carried'").await;
    assert_eq!(audit, 1);
    staff.get(&format!("/feedback/rectification/{id}")).await.assert_contains("id=\"rectification-target\"");
    // Staff carry nothing.
    assert_eq!(staff.get("/feedback/rectification/carry").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_stale_edit_is_refused_with_409_and_the_input_kept() {
    let o = office().await;
    let id = raised(&o, o.staff, "2026-12-31").await;
    let mut head = o.app.login_as("head").await;
    assert_eq!(head.get(&format!("/feedback/rectification/{id}/edit")).await.status, StatusCode::OK);
    let (department, staff) = (o.department.to_string(), o.staff.to_string());
    let edit = |title: &'static str| {
        [
            ("version", "1"),
            ("title", title),
            ("problem", "调研报告两次逾期报送"),
            ("department_id", department.as_str()),
            ("owner_id", staff.as_str()),
            ("plan", "每周调度"),
            ("due_on", "2027-01-15"),
        ]
    };
    let page = head.post(&format!("/feedback/rectification/{id}"), &edit("报送迟缓整改")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = head.post(&format!("/feedback/rectification/{id}"), &edit("另一个标题")).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("另一个标题");
    let audit = o.app.count("select count(*) from audit_log where action = 'rectification.edited'").await;
    assert_eq!(audit, 1);
    // Staff do not edit.
    let mut staff_client = o.app.login_as("staff").await;
    assert_eq!(staff_client.get(&format!("/feedback/rectification/{id}/edit")).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_persons_history_lists_the_items_they_own() {
    let o = office().await;
    let id = raised(&o, o.staff, "2026-12-31").await;
    let mut conn = o.app.pool.acquire().await.unwrap();
    let items = db::of_person(&mut conn, o.staff).await.unwrap();
    assert_eq!(items.iter().map(|i| i.id).collect::<Vec<_>>(), vec![id]);
    assert!(db::of_person(&mut conn, o.head).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_list_exports_with_its_filters_and_the_days_overdue() {
    let o = office().await;
    let id = raised(&o, o.staff, "2026-11-27").await;
    raised(&o, o.staff, "2026-12-31").await;
    sqlx::query("update rectification_item set due_on = '2026-11-24' where id = $1")
        .bind(id)
        .execute(&o.app.pool)
        .await
        .unwrap();
    let mut staff = o.app.login_as("staff").await;
    let filtered = format!("/feedback/rectification?department={}&overdue=1", o.department);
    let page = staff.get(&filtered).await;
    let href = format!("/feedback/rectification.xlsx?department={}&#38;overdue=1", o.department);
    page.assert_contains(&format!("href=\"{href}\""));
    let download = staff.get(&format!("/feedback/rectification.xlsx?department={}&overdue=1", o.department)).await;
    assert!(!download.xlsx_protected(), "a working list");
    let sheet = download.xlsx();
    assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("整改事项".into())));
    assert_eq!(
        sheet_row(&sheet, 2),
        ["事项名称", "来源类别", "问题来源", "责任处室", "责任人", "整改时限", "逾期天数", "状态", "销号日期"]
    );
    // Only the overdue one, as on the page: three days past 24 November.
    assert_eq!(sheet.height(), 3 + page.body.matches("<tr id=\"rectification-").count());
    assert_eq!(sheet.height(), 4);
    let row = sheet_row_of(&sheet, 4, "干事");
    assert!(matches!(sheet.get_value((row, 5)), Some(Data::DateTime(_))), "the due day stays a date");
    assert_eq!(sheet.get_value((row, 6)), Some(&Data::Float(3.0)));
    // Unfiltered, both; someone of another department reads none.
    assert_eq!(staff.get("/feedback/rectification.xlsx").await.xlsx().height(), 5);
    let mut outsider = o.app.login_as("outsider").await;
    assert_eq!(outsider.get("/feedback/rectification.xlsx").await.xlsx().height(), 3);
}

//! Work systems (docs/DOMAIN.md §18.2): planning events, preparation tasks on
//! work-day clocks and the timeliness figures, to-dos, members, the output
//! and its progress report on a linked target, and who may do what.

use axum::http::StatusCode;
use calamine::Data;
use cppcc_perf::db::events;
use cppcc_perf::domain::roles::Role;

use crate::support::{TestApp, sheet_rows, table_rows};

struct Office {
    app: TestApp,
    department: i64,
    other: i64,
    head: i64,
    staff: i64,
}

async fn office() -> Office {
    let app = TestApp::new().await;
    let department = app.department("研究室").await;
    let other = app.department("联络处").await;
    let head = app.member("head", "处长", department, &[(Role::DepartmentHead, Some(department))]).await;
    let staff = app.member("staff", "干事", department, &[(Role::Staff, None)]).await;
    app.member("outsider", "外处干事", other, &[(Role::Staff, None)]).await;
    Office { app, department, other, head, staff }
}

async fn create_event(o: &Office, title: &str) -> i64 {
    let mut head = o.app.login_as("head").await;
    let dept = o.department.to_string();
    let page = head
        .post(
            "/events",
            &[
                ("kind", "research"),
                ("title", title),
                ("starts_on", "2026-12-08"),
                ("ends_on", "2026-12-09"),
                ("place", "市区"),
                ("department_id", &dept),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location().trim_start_matches("/events/").parse().unwrap()
}

#[tokio::test]
async fn a_head_plans_an_event_and_a_refused_form_keeps_its_input() {
    let o = office().await;
    let mut head = o.app.login_as("head").await;
    let (dept, other) = (o.department.to_string(), o.other.to_string());
    let page = head
        .post(
            "/events",
            &[
                ("kind", "meeting"),
                ("title", "专题协商会"),
                ("starts_on", "2026-12-10"),
                ("ends_on", "2026-12-09"),
                ("department_id", &dept),
                ("co_department_ids", &dept),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("专题协商会");
    page.assert_contains("结束日期不能早于开始日期");
    page.assert_contains("牵头处室不能同时作为协办处室");
    // A department the head does not head is not offered.
    let page = head
        .post(
            "/events",
            &[
                ("kind", "meeting"),
                ("title", "x"),
                ("starts_on", "2026-12-10"),
                ("ends_on", "2026-12-10"),
                ("department_id", &other),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let id = create_event(&o, "营商环境调研").await;
    assert_eq!(
        o.app
            .count(&format!("select count(*) from audit_log where action = 'event.created' and object_id = '{id}'"))
            .await,
        1
    );
    let page = head.get(&format!("/events/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("营商环境调研");
}

#[tokio::test]
async fn a_stale_edit_is_refused_with_a_conflict() {
    let o = office().await;
    let id = create_event(&o, "视察活动").await;
    let mut head = o.app.login_as("head").await;
    let dept = o.department.to_string();
    let fields = |title: &'static str, version: &'static str| {
        vec![
            ("kind", "inspection"),
            ("title", title),
            ("starts_on", "2026-12-08"),
            ("ends_on", "2026-12-08"),
            ("department_id", dept.clone().leak() as &str),
            ("version", version),
        ]
    };
    let page = head.post(&format!("/events/{id}"), &fields("视察（改）", "1")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = head.post(&format!("/events/{id}"), &fields("视察（旧）", "1")).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("视察（旧）");
    assert_eq!(o.app.count("select count(*) from event where title = '视察（改）'").await, 1);
}

#[tokio::test]
async fn unknown_and_unreadable_events_are_refused() {
    let o = office().await;
    let id = create_event(&o, "委员活动").await;
    let mut outsider = o.app.login_as("outsider").await;
    assert_eq!(outsider.get("/events/999999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(outsider.get(&format!("/events/{id}")).await.status, StatusCode::FORBIDDEN);
    let mut staff = o.app.login_as("staff").await;
    assert_eq!(staff.get(&format!("/events/{id}")).await.status, StatusCode::OK);
    assert_eq!(staff.post(&format!("/events/{id}/tasks"), &[("title", "x")]).await.status, StatusCode::FORBIDDEN);
    // An owner who is not a person of the office is refused beside the field.
    let mut head = o.app.login_as("head").await;
    let page = head
        .post(&format!("/events/{id}/tasks"), &[("title", "会场"), ("owner_id", "999999"), ("due_on", "2026-12-01")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("会场");
}

#[tokio::test]
async fn tasks_run_on_work_day_clocks_reach_the_owners_to_dos_and_count_for_timeliness() {
    let o = office().await;
    o.app.seed_2026_calendar().await;
    let id = create_event(&o, "调研").await;
    let mut head = o.app.login_as("head").await;
    let staff = o.staff.to_string();
    for (title, due) in [("方案", "2026-11-20"), ("联络", "2026-11-30"), ("材料", "2026-12-01")] {
        let page =
            head.post(&format!("/events/{id}/tasks"), &[("title", title), ("owner_id", &staff), ("due_on", due)]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    let mut staff_client = o.app.login_as("staff").await;
    let page = staff_client.get(&format!("/events/{id}")).await;
    page.assert_contains("已逾期 5 个工作日");
    page.assert_contains("剩余 1 个工作日");
    let home = staff_client.get("/").await;
    home.assert_contains("1 项活动筹备任务已逾期");
    home.assert_contains("2 项活动筹备任务即将到期");
    // The owner marks one done today (before its due date): on time; the late one stays late.
    let task: i64 =
        sqlx::query_scalar("select id from event_task where title = '联络'").fetch_one(&o.app.pool).await.unwrap();
    let page = staff_client.post(&format!("/events/tasks/{task}/done"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let late: i64 =
        sqlx::query_scalar("select id from event_task where title = '方案'").fetch_one(&o.app.pool).await.unwrap();
    staff_client.post(&format!("/events/tasks/{late}/done"), &[]).await;
    let mut conn = o.app.pool.acquire().await.unwrap();
    // 方案 fell due and was done late, 联络 was done on time, 材料 is not due yet and counts neither way.
    let today = o.app.today();
    let figures = events::task_timeliness(&mut conn, 2026, today).await.unwrap();
    assert_eq!(figures, vec![events::TaskTimeliness { department_id: o.department, due: 2, on_time: 1 }]);
    let rows = events::events_of_department(&mut conn, o.department, 2026, today).await.unwrap();
    assert_eq!((rows.len(), rows[0].tasks_due, rows[0].tasks_on_time, rows[0].owns), (1, 2, 1, true));
    // Someone else's task cannot be marked done by another staff member.
    let open: i64 =
        sqlx::query_scalar("select id from event_task where title = '材料'").fetch_one(&o.app.pool).await.unwrap();
    let mut outsider = o.app.login_as("outsider").await;
    assert_eq!(outsider.post(&format!("/events/tasks/{open}/done"), &[]).await.status, StatusCode::FORBIDDEN);
    // A cancelled event's tasks no longer count.
    head.post(&format!("/events/{id}/status"), &[("to", "cancelled"), ("version", "1")]).await;
    assert!(events::task_timeliness(&mut conn, 2026, today).await.unwrap().is_empty());
}

#[tokio::test]
async fn invited_members_are_marked_attending_once_the_event_was_held() {
    let o = office().await;
    let id = create_event(&o, "委员视察").await;
    let mut ids = Vec::new();
    for name in ["甲委员", "乙委员"] {
        let member: i64 = sqlx::query_scalar(
            "insert into member (full_name, sector, term) values ($1, '经济界', '第十五届') returning id",
        )
        .bind(name)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
        ids.push(member.to_string());
    }
    let mut head = o.app.login_as("head").await;
    let page = head.post(&format!("/events/{id}/invite"), &[("member_ids", &ids[0]), ("member_ids", &ids[1])]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        head.post(&format!("/events/{id}/invite"), &[("member_ids", "999999")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Attendance waits for the event to be held.
    assert_eq!(
        head.post(&format!("/events/{id}/attendance"), &[("member_ids", &ids[0])]).await.status,
        StatusCode::NOT_FOUND
    );
    let page = head.post(&format!("/events/{id}/output"), &[("summary", ""), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = head
        .post(
            &format!("/events/{id}/output"),
            &[("summary", "形成报告"), ("suggestions_adopted", "3"), ("version", "1")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = head.post(&format!("/events/{id}/attendance"), &[("member_ids", &ids[0])]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(o.app.count("select count(*) from event_member where attended").await, 1);
    let page = head.get(&format!("/events/{id}")).await;
    page.assert_contains("出席 1 人");
}

#[tokio::test]
async fn a_held_event_linked_to_a_target_raises_a_progress_report_on_it() {
    let o = office().await;
    let cycle: i64 = sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until, assessment_until, feedback_until, stage)
         values ('2026年度', 'annual', '2026-01-01', '2026-12-31', '2026-01-31', '2026-12-31', '2027-01-31', '2027-02-28', 'implementation') returning id",
    )
    .fetch_one(&o.app.pool)
    .await
    .unwrap();
    let set: i64 = sqlx::query_scalar(
        "insert into target_set (cycle_id, level, department_id, status) values ($1, 'department', $2, 'approved') returning id",
    )
    .bind(cycle)
    .bind(o.department)
    .fetch_one(&o.app.pool)
    .await
    .unwrap();
    let target: i64 = sqlx::query_scalar("insert into target (set_id, title, category, owner_id) values ($1, '完成专题调研', 'key_work', $2) returning id")
        .bind(set)
        .bind(o.staff)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    let mut head = o.app.login_as("head").await;
    let (dept, target_text) = (o.department.to_string(), target.to_string());
    let page = head
        .post(
            "/events",
            &[
                ("kind", "research"),
                ("title", "专题调研"),
                ("starts_on", "2026-11-25"),
                ("ends_on", "2026-11-26"),
                ("department_id", &dept),
                ("target_id", &target_text),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let id = page.location().trim_start_matches("/events/").to_string();
    let page = head.post(&format!("/events/{id}/output"), &[("summary", "调研报告已报送"), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let (period_start, status, narrative): (chrono::NaiveDate, String, String) =
        sqlx::query_as("select period_start, status::text, narrative from progress_report where target_id = $1")
            .bind(target)
            .fetch_one(&o.app.pool)
            .await
            .unwrap();
    assert_eq!(period_start, chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    assert_eq!(status, "submitted");
    assert!(narrative.contains("专题调研") && narrative.contains("调研报告已报送"));
    assert_eq!(o.app.count("select count(*) from event where progress_report_id is not null").await, 1);
    let _ = o.head;
}

#[tokio::test]
async fn documents_are_type_checked_and_served_as_attachments_to_readers_only() {
    let o = office().await;
    let id = create_event(&o, "视察材料").await;
    let mut head = o.app.login_as("head").await;
    head.get(&format!("/events/{id}")).await;
    let token = head.csrf.clone().unwrap();
    let upload = |name: &'static str, bytes: &'static [u8]| {
        crate::support::multipart(&[("_csrf", None, token.as_bytes()), ("evidence", Some(name), bytes)])
    };
    let (content_type, body) = upload("page.html", b"<html><script>alert(1)</script></html>");
    let page =
        head.request(axum::http::Method::POST, &format!("/events/{id}/files"), Some(&content_type), body, &[]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (content_type, body) = upload("report.pdf", b"%PDF-1.4\n%demo\n");
    let page =
        head.request(axum::http::Method::POST, &format!("/events/{id}/files"), Some(&content_type), body, &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let file: i64 = sqlx::query_scalar("select id from attachment where owner_type = 'event'")
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    let page = head.get(&format!("/events/files/{file}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("content-disposition").starts_with("attachment"));
    let mut outsider = o.app.login_as("outsider").await;
    assert_eq!(outsider.get(&format!("/events/files/{file}")).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_follow_up_is_marked_done_by_its_owner_once_and_audited_once() {
    let o = office().await;
    let id = create_event(&o, "视察").await;
    sqlx::query("update event set status = 'held', held_on = '2026-11-27' where id = $1")
        .bind(id)
        .execute(&o.app.pool)
        .await
        .unwrap();
    let mut head = o.app.login_as("head").await;
    let staff = o.staff.to_string();
    let page = head
        .post(
            &format!("/events/{id}/follow-ups"),
            &[("body", "整理视察建议"), ("owner_id", &staff), ("due_on", "2026-12-20")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let item: i64 = sqlx::query_scalar("select id from event_follow_up").fetch_one(&o.app.pool).await.unwrap();
    let mut outsider = o.app.login_as("outsider").await;
    assert_eq!(outsider.post(&format!("/events/follow-ups/{item}/done"), &[]).await.status, StatusCode::FORBIDDEN);
    let mut staff_client = o.app.login_as("staff").await;
    for _ in 0..2 {
        let page = staff_client.post(&format!("/events/follow-ups/{item}/done"), &[]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(page.location(), format!("/events/{id}"));
    }
    assert_eq!(o.app.count("select count(*) from event_follow_up where done_on is not null").await, 1);
    assert_eq!(o.app.count("select count(*) from audit_log where action = 'event_follow_up.done'").await, 1);
}

#[tokio::test]
async fn the_list_exports_the_events_each_reader_may_read_with_its_filters() {
    let o = office().await;
    create_event(&o, "营商环境调研").await;
    let mut head = o.app.login_as("head").await;
    let dept = o.department.to_string();
    let page = head
        .post(
            "/events",
            &[
                ("kind", "meeting"),
                ("title", "专题协商会"),
                ("starts_on", "2026-12-10"),
                ("ends_on", "2026-12-10"),
                ("department_id", &dept),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    let page = head.get("/events").await;
    page.assert_contains("href=\"/events.xlsx\"");
    let sheet = head.get("/events.xlsx").await.xlsx();
    assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("会议活动 · 2026".into())));
    assert_eq!(sheet.get_value((2, 2)), Some(&Data::String("开始日期".into())));
    let rows = sheet_rows(&sheet);
    assert_eq!(rows.len(), table_rows(&page, "event-"));
    assert_eq!(rows.len(), 2);
    let research = rows.iter().position(|r| r[0] == "营商环境调研").unwrap() as u32 + 3;
    assert!(matches!(sheet.get_value((research, 2)), Some(Data::DateTime(_))), "the first day stays a date");
    assert!(matches!(sheet.get_value((research, 3)), Some(Data::DateTime(_))), "the last day stays a date");
    assert_eq!(sheet.get_value((research, 4)), Some(&Data::String("研究室".into())));
    assert_eq!(sheet.get_value((research, 7)), Some(&Data::Float(0.0)), "open tasks stay a number");

    let page = head.get("/events?year=2026&kind=meeting").await;
    page.assert_contains("href=\"/events.xlsx?year=2026&#38;kind=meeting\"");
    let rows = sheet_rows(&head.get("/events.xlsx?year=2026&kind=meeting").await.xlsx());
    assert_eq!(rows.len(), table_rows(&page, "event-"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "专题协商会");

    // Someone of another department reads neither; a visitor is sent to sign in.
    let mut outsider = o.app.login_as("outsider").await;
    assert!(sheet_rows(&outsider.get("/events.xlsx").await.xlsx()).is_empty());
    let refused = o.app.client().get("/events.xlsx").await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert!(refused.location().starts_with("/login"));
}

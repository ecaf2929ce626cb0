//! Stage 1, plan targets: target sets, checks, approval, change requests, boards.

use axum::http::StatusCode;
use calamine::Data;
use cppcc_perf::domain::roles::Role;

use crate::support::{Client, PASSWORD, TestApp};

/// An office with one department (办公室), its head, two staff, a supervising
/// leader, and a cycle in planning for 2026.
struct Office {
    app: TestApp,
    department: i64,
    other_department: i64,
    cycle: i64,
    staff: i64,
    colleague: i64,
    head: i64,
}

async fn office() -> Office {
    let app = TestApp::new().await;
    let department = app.department("办公室").await;
    let other_department = app.department("研究室").await;
    let staff = app.person("zhang.wei", "张伟", &[(Role::Staff, None)]).await;
    let colleague = app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let head =
        app.person("wang.head", "王处长", &[(Role::Staff, None), (Role::DepartmentHead, Some(department))]).await;
    app.person("zhao.leader", "赵秘书长", &[(Role::SupervisingLeader, Some(department))]).await;
    app.person("other.head", "钱处长", &[(Role::Staff, None), (Role::DepartmentHead, Some(other_department))]).await;
    for person in [staff, colleague, head] {
        sqlx::query("update person set department_id = $1 where id = $2")
            .bind(department)
            .bind(person)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let cycle = cycle(&app, "2026年度考核", "2026", "planning").await;
    Office { app, department, other_department, cycle, staff, colleague, head }
}

async fn cycle(app: &TestApp, name: &str, year: &str, stage: &str) -> i64 {
    sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until, assessment_until,
                            feedback_until, stage)
         values ($1, 'annual', ($2 || '-01-01')::date, ($2 || '-12-31')::date, ($2 || '-01-31')::date,
                 ($2 || '-12-31')::date, ($2 || '-12-31')::date, ($2 || '-12-31')::date, $3::cycle_stage) returning id",
    )
    .bind(name)
    .bind(year)
    .bind(stage)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

impl Office {
    async fn client(&self, username: &str) -> Client {
        let mut client = self.app.client();
        client.login(username, PASSWORD).await;
        client
    }

    /// Opens the person's own set in the cycle; its id.
    async fn open_own_set(&self, client: &mut Client) -> i64 {
        client.get("/plan/my").await;
        let page = client.post("/plan/sets", &[("cycle_id", &self.cycle.to_string()), ("level", "person")]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        page.location().rsplit('/').next().unwrap().parse().unwrap()
    }

    async fn status(&self, set: i64) -> String {
        sqlx::query_scalar("select status::text from target_set where id = $1")
            .bind(set)
            .fetch_one(&self.app.pool)
            .await
            .unwrap()
    }

    async fn version(&self, set: i64) -> String {
        let v: i32 = sqlx::query_scalar("select version from target_set where id = $1")
            .bind(set)
            .fetch_one(&self.app.pool)
            .await
            .unwrap();
        v.to_string()
    }
}

async fn add_target(client: &mut Client, set: i64, title: &str, weight: &str) -> crate::support::Page {
    client.get(&format!("/plan/sets/{set}/targets/new")).await;
    client
        .post(
            &format!("/plan/sets/{set}/targets"),
            &[
                ("title", title),
                ("category", "key_work"),
                ("measure", "完成率"),
                ("target_value", "100"),
                ("unit", "%"),
                ("direction", "higher_better"),
                ("weight", weight),
                ("deadline", "2026-11-30"),
                ("assessment_method", "查阅台账"),
            ],
        )
        .await
}

/// Staff with an approved-ready plan of three targets summing to 100; the set id.
async fn submitted_plan(office: &Office, client: &mut Client) -> i64 {
    let set = office.open_own_set(client).await;
    for (title, weight) in [("公文处理", "40"), ("会务保障", "35"), ("信息报送", "25")] {
        assert_eq!(add_target(client, set, title, weight).await.status, StatusCode::SEE_OTHER);
    }
    let version = office.version(set).await;
    client.post(&format!("/plan/sets/{set}/submit"), &[("version", &version)]).await;
    assert_eq!(office.status(set).await, "submitted");
    set
}

#[tokio::test]
async fn staff_enter_targets_see_the_weight_error_fix_it_and_submit() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    staff.get("/").await.assert_contains("1 个考核周期的目标尚未提交");
    let set = office.open_own_set(&mut staff).await;
    add_target(&mut staff, set, "公文处理", "40").await;
    add_target(&mut staff, set, "会务保障", "40").await;
    add_target(&mut staff, set, "信息报送", "40").await;
    // A weight out of range says the range.
    let bad = add_target(&mut staff, set, "督查督办", "120").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains("权重应为 0 至 100 之间的数");
    let page = staff.get(&format!("/plan/sets/{set}")).await;
    page.assert_contains("权重合计须为 100");
    page.assert_contains("id=\"weight-total\">120<");
    let version = office.version(set).await;
    let refused = staff.post(&format!("/plan/sets/{set}/submit"), &[("version", &version)]).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    staff.get(&format!("/plan/sets/{set}")).await.assert_contains("目标检查未通过");
    assert_eq!(office.status(set).await, "draft");

    let target: i64 =
        sqlx::query_scalar("select id from target where title = '信息报送'").fetch_one(&office.app.pool).await.unwrap();
    staff.get(&format!("/plan/targets/{target}/edit")).await;
    let page = staff
        .post(
            &format!("/plan/targets/{target}"),
            &[
                ("title", "信息报送"),
                ("category", "routine"),
                ("measure", "篇数"),
                ("target_value", "24"),
                ("weight", "20"),
                ("deadline", "2026-12-20"),
                ("assessment_method", "查阅台账"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    staff.get(&format!("/plan/sets/{set}")).await.assert_contains("全部检查通过");
    let version = office.version(set).await;
    staff.post(&format!("/plan/sets/{set}/submit"), &[("version", &version)]).await;
    assert_eq!(office.status(set).await, "submitted");
    assert!(!staff.get("/").await.body.contains("尚未提交"));
    assert_eq!(office.app.count("select count(*) from audit_log where action = 'target_set.submitted'").await, 1);
}

#[tokio::test]
async fn hard_checks_block_and_the_advanced_check_only_warns() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let set = office.open_own_set(&mut staff).await;
    staff
        .post(
            &format!("/plan/sets/{set}/targets"),
            &[
                ("title", "调研报告"),
                ("category", "key_work"),
                ("measure", "篇数"),
                ("target_value", "3"),
                ("baseline", "5"),
                ("weight", "100"),
                ("deadline", "2027-01-15"),
                ("assessment_method", ""),
            ],
        )
        .await;
    let page = staff.get(&format!("/plan/sets/{set}")).await;
    page.assert_contains("完成时限不在考核周期内");
    page.assert_contains("缺少考核方法");
    page.assert_contains("目标值低于上年实际");
    let target: i64 =
        sqlx::query_scalar("select id from target where title = '调研报告'").fetch_one(&office.app.pool).await.unwrap();
    staff
        .post(
            &format!("/plan/targets/{target}"),
            &[
                ("title", "调研报告"),
                ("category", "key_work"),
                ("measure", "篇数"),
                ("target_value", "3"),
                ("baseline", "5"),
                ("weight", "100"),
                ("deadline", "2026-10-15"),
                ("assessment_method", "查阅成果"),
                ("version", "1"),
            ],
        )
        .await;
    let version = office.version(set).await;
    staff.post(&format!("/plan/sets/{set}/submit"), &[("version", &version)]).await;
    assert_eq!(office.status(set).await, "submitted", "a warning does not block");
}

#[tokio::test]
async fn a_target_form_with_errors_keeps_the_input() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let set = office.open_own_set(&mut staff).await;
    let page = staff
        .post(
            &format!("/plan/sets/{set}/targets"),
            &[("title", ""), ("category", "routine"), ("weight", "abc"), ("measure", "件数")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("value=\"abc\"");
    page.assert_contains("value=\"件数\"");
    page.assert_contains("id=\"title-error\"");
}

#[tokio::test]
async fn the_head_returns_with_a_reason_and_the_staff_resubmits() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let set = submitted_plan(&office, &mut staff).await;
    let mut head = office.client("wang.head").await;
    head.get("/").await.assert_contains("1 份目标等待您审核");
    // The reason box comes before the two buttons, not between them.
    let decide = head.get(&format!("/plan/sets/{set}")).await;
    let at = |needle: &str| decide.body.find(needle).unwrap_or_else(|| panic!("{needle}: {}", decide.body));
    assert!(at("id=\"reason\"") < at("id=\"approve-set\"") && at("id=\"approve-set\"") < at("id=\"return-set\""));
    let version = office.version(set).await;
    let page = head.post(&format!("/plan/sets/{set}/return"), &[("version", &version), ("reason", "")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(office.status(set).await, "submitted", "a return needs a reason");
    head.post(&format!("/plan/sets/{set}/return"), &[("version", &version), ("reason", "会务保障目标值偏低")]).await;
    assert_eq!(office.status(set).await, "returned");
    // Editing and submitting are the owner's steps: the head who returned it does not see them.
    let returned = head.get(&format!("/plan/sets/{set}")).await;
    assert!(!returned.body.contains("id=\"submit-set\"") && !returned.body.contains("id=\"add-target\""));
    staff.get("/").await.assert_contains("您的目标被退回");
    let own = staff.get(&format!("/plan/sets/{set}")).await;
    own.assert_contains("会务保障目标值偏低");
    own.assert_contains("id=\"submit-set\"");
    let version = office.version(set).await;
    staff.post(&format!("/plan/sets/{set}/submit"), &[("version", &version)]).await;
    assert_eq!(office.status(set).await, "submitted");
    let version = office.version(set).await;
    head.post(&format!("/plan/sets/{set}/approve"), &[("version", &version)]).await;
    assert_eq!(office.status(set).await, "approved");
    assert_eq!(office.app.count("select count(*) from target_revision").await, 3);
    assert!(!staff.get("/").await.body.contains("退回"));
}

#[tokio::test]
async fn staff_cannot_approve_their_own_targets() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let set = submitted_plan(&office, &mut staff).await;
    let version = office.version(set).await;
    let page = staff.post(&format!("/plan/sets/{set}/approve"), &[("version", &version)]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(office.status(set).await, "submitted");
}

#[tokio::test]
async fn a_head_of_another_department_cannot_decide() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let set = submitted_plan(&office, &mut staff).await;
    let mut other = office.client("other.head").await;
    let version = office.version(set).await;
    assert_eq!(
        other.post(&format!("/plan/sets/{set}/approve"), &[("version", &version)]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(other.get(&format!("/plan/sets/{set}")).await.status, StatusCode::FORBIDDEN);
    assert!(!other.get("/plan/queue").await.body.contains("张伟"));
    assert_eq!(office.status(set).await, "submitted");
}

#[tokio::test]
async fn a_heads_own_plan_goes_to_the_supervising_leader() {
    let office = office().await;
    let mut head = office.client("wang.head").await;
    let set = submitted_plan(&office, &mut head).await;
    let version = office.version(set).await;
    assert_eq!(
        head.post(&format!("/plan/sets/{set}/approve"), &[("version", &version)]).await.status,
        StatusCode::FORBIDDEN
    );
    let mut leader = office.client("zhao.leader").await;
    leader.get("/plan/queue").await.assert_contains("王处长");
    leader.post(&format!("/plan/sets/{set}/approve"), &[("version", &version)]).await;
    assert_eq!(office.status(set).await, "approved");
}

#[tokio::test]
async fn plans_are_not_submitted_outside_the_planning_stage() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let set = office.open_own_set(&mut staff).await;
    add_target(&mut staff, set, "公文处理", "100").await;
    sqlx::query("update cycle set stage = 'implementation'").execute(&office.app.pool).await.unwrap();
    let version = office.version(set).await;
    staff.post(&format!("/plan/sets/{set}/submit"), &[("version", &version)]).await;
    assert_eq!(office.status(set).await, "draft");
    staff.get(&format!("/plan/sets/{set}")).await.assert_contains("考核周期当前阶段不允许此操作");
    let refused = add_target(&mut staff, set, "会务保障", "10").await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert_eq!(office.app.count("select count(*) from target where title = '会务保障'").await, 0);
}

#[tokio::test]
async fn a_decision_on_a_stale_page_changes_nothing() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let set = submitted_plan(&office, &mut staff).await;
    let mut head = office.client("wang.head").await;
    let stale = office.version(set).await;
    head.post(&format!("/plan/sets/{set}/return"), &[("version", &stale), ("reason", "请补充")]).await;
    let version = office.version(set).await;
    staff.post(&format!("/plan/sets/{set}/submit"), &[("version", &version)]).await;
    head.post(&format!("/plan/sets/{set}/approve"), &[("version", &stale)]).await;
    assert_eq!(office.status(set).await, "submitted");
    head.get(&format!("/plan/sets/{set}")).await.assert_contains("已被他人修改");
}

#[tokio::test]
async fn editing_a_target_from_a_stale_page_is_refused_with_the_input_kept() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let set = office.open_own_set(&mut staff).await;
    add_target(&mut staff, set, "公文处理", "100").await;
    let target: i64 = sqlx::query_scalar("select id from target").fetch_one(&office.app.pool).await.unwrap();
    let fields = |title: &'static str| {
        vec![
            ("title", title),
            ("category", "routine"),
            ("measure", "件"),
            ("target_value", "1"),
            ("weight", "100"),
            ("version", "1"),
        ]
    };
    staff.post(&format!("/plan/targets/{target}"), &fields("第一次修改")).await;
    let page = staff.post(&format!("/plan/targets/{target}"), &fields("第二次修改")).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("value=\"第二次修改\"");
    let title: String = sqlx::query_scalar("select title from target").fetch_one(&office.app.pool).await.unwrap();
    assert_eq!(title, "第一次修改");
}

#[tokio::test]
async fn an_approved_target_changes_through_a_request_and_keeps_its_history() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let set = submitted_plan(&office, &mut staff).await;
    let mut head = office.client("wang.head").await;
    let version = office.version(set).await;
    head.post(&format!("/plan/sets/{set}/approve"), &[("version", &version)]).await;
    sqlx::query("update cycle set stage = 'implementation'").execute(&office.app.pool).await.unwrap();
    let target: i64 =
        sqlx::query_scalar("select id from target where title = '会务保障'").fetch_one(&office.app.pool).await.unwrap();
    staff.get(&format!("/plan/targets/{target}/change")).await.assert_contains("调整原因");
    let proposal = [
        ("title", "会务保障"),
        ("category", "key_work"),
        ("measure", "完成率"),
        ("target_value", "90"),
        ("unit", "%"),
        ("weight", "35"),
        ("deadline", "2026-11-30"),
        ("assessment_method", "查阅台账"),
    ];
    let mut without_reason = proposal.to_vec();
    without_reason.push(("kind", "other"));
    without_reason.push(("reason", ""));
    assert_eq!(
        staff.post(&format!("/plan/targets/{target}/changes"), &without_reason).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut with_reason = proposal.to_vec();
    with_reason.push(("kind", "reorganisation"));
    with_reason.push(("reason", "机构调整，会务职能部分划出"));
    assert_eq!(
        staff.post(&format!("/plan/targets/{target}/changes"), &with_reason).await.status,
        StatusCode::SEE_OTHER
    );
    head.get("/").await.assert_contains("1 项目标调整申请等待您审批");
    let page = head.get(&format!("/plan/targets/{target}")).await;
    page.assert_contains("机构调整，会务职能部分划出");
    let change: i64 = sqlx::query_scalar("select id from target_change").fetch_one(&office.app.pool).await.unwrap();
    head.post(&format!("/plan/changes/{change}/decide"), &[("decision", "approve"), ("version", "1")]).await;
    let value: String = sqlx::query_scalar("select target_value::text from target where id = $1")
        .bind(target)
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    assert_eq!(value, "90.00");
    let history = staff.get(&format!("/plan/targets/{target}")).await;
    history.assert_contains("机构调整，会务职能部分划出");
    history.assert_contains("100.00 → 90");
    assert_eq!(office.app.count("select count(*) from audit_log where action = 'target_change.approved'").await, 1);
}

#[tokio::test]
async fn a_rejection_needs_a_note_and_leaves_the_target_as_it_was() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let set = submitted_plan(&office, &mut staff).await;
    let mut head = office.client("wang.head").await;
    let version = office.version(set).await;
    head.post(&format!("/plan/sets/{set}/approve"), &[("version", &version)]).await;
    let target: i64 =
        sqlx::query_scalar("select id from target where title = '公文处理'").fetch_one(&office.app.pool).await.unwrap();
    staff
        .post(
            &format!("/plan/targets/{target}/changes"),
            &[
                ("title", "公文处理"),
                ("category", "key_work"),
                ("measure", "完成率"),
                ("target_value", "80"),
                ("weight", "40"),
                ("deadline", "2026-11-30"),
                ("assessment_method", "查阅台账"),
                ("kind", "other"),
                ("reason", "工作量增加"),
            ],
        )
        .await;
    let change: i64 = sqlx::query_scalar("select id from target_change").fetch_one(&office.app.pool).await.unwrap();
    head.post(&format!("/plan/changes/{change}/decide"), &[("decision", "reject"), ("version", "1"), ("note", "")])
        .await;
    let status: String =
        sqlx::query_scalar("select status::text from target_change").fetch_one(&office.app.pool).await.unwrap();
    assert_eq!(status, "pending");
    head.post(
        &format!("/plan/changes/{change}/decide"),
        &[("decision", "reject"), ("version", "1"), ("note", "理由不充分")],
    )
    .await;
    let status: String =
        sqlx::query_scalar("select status::text from target_change").fetch_one(&office.app.pool).await.unwrap();
    assert_eq!(status, "rejected");
    let value: String = sqlx::query_scalar("select target_value::text from target where id = $1")
        .bind(target)
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    assert_eq!(value, "100.00");
}

#[tokio::test]
async fn the_queue_approves_several_plans_at_once() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let first = submitted_plan(&office, &mut staff).await;
    let mut colleague = office.client("li.na").await;
    let second = submitted_plan(&office, &mut colleague).await;
    let mut head = office.client("wang.head").await;
    let queue = head.get("/plan/queue").await;
    queue.assert_contains("张伟");
    queue.assert_contains("李娜");
    let picks =
        [format!("{first}:{}", office.version(first).await), format!("{second}:{}", office.version(second).await)];
    let page = head.post("/plan/queue/approve", &[("sets", &picks[0]), ("sets", &picks[1])]).await;
    assert_eq!(page.location(), "/plan/queue");
    assert_eq!(office.status(first).await, "approved");
    assert_eq!(office.status(second).await, "approved");
    head.get("/plan/queue").await.assert_contains("已确认 2 份目标");
}

#[tokio::test]
async fn the_queue_exports_the_plans_the_head_sees() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    submitted_plan(&office, &mut staff).await;
    let mut head = office.client("wang.head").await;
    head.get("/plan/queue").await.assert_contains("/plan/queue.xlsx");
    let sheet = head.get("/plan/queue.xlsx").await.xlsx();
    assert!(matches!(sheet.get_value((0, 0)), Some(Data::String(title)) if title.starts_with("待我审核")));
    assert_eq!(sheet.get_value((2, 0)), Some(&Data::String("填报人（处室）".into())));
    assert_eq!(sheet.get_value((3, 0)), Some(&Data::String("张伟".into())));
    assert!(matches!(sheet.get_value((3, 4)), Some(Data::Float(_))), "the number of targets stays a number");
    assert!(matches!(sheet.get_value((3, 6)), Some(Data::DateTime(_))), "the submission time stays a date");
    assert_eq!(sheet.height(), 4, "title, export line, header and the one plan");
    // A workbook is compressed already: it goes out as it is, whatever the browser accepts.
    let download = head
        .request(axum::http::Method::GET, "/plan/queue.xlsx", None, Vec::new(), &[("accept-encoding", "gzip")])
        .await;
    assert_eq!(download.header("content-encoding"), "");
    download.xlsx();
    let page =
        head.request(axum::http::Method::GET, "/plan/queue", None, Vec::new(), &[("accept-encoding", "gzip")]).await;
    assert_eq!(page.header("content-encoding"), "gzip", "pages are still compressed");
    let mut other = office.client("li.na").await;
    assert_eq!(other.get("/plan/queue.xlsx").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_department_plan_is_written_by_the_head_and_approved_by_the_leader() {
    let office = office().await;
    let mut head = office.client("wang.head").await;
    let page = head
        .post(
            "/plan/sets",
            &[
                ("cycle_id", &office.cycle.to_string()),
                ("level", "department"),
                ("department_id", &office.department.to_string()),
            ],
        )
        .await;
    let set: i64 = page.location().rsplit('/').next().unwrap().parse().unwrap();
    add_target(&mut head, set, "全年会务零差错", "100").await;
    let version = office.version(set).await;
    head.post(&format!("/plan/sets/{set}/submit"), &[("version", &version)]).await;
    assert_eq!(office.status(set).await, "submitted");
    let mut leader = office.client("zhao.leader").await;
    let version = office.version(set).await;
    leader.post(&format!("/plan/sets/{set}/approve"), &[("version", &version)]).await;
    assert_eq!(office.status(set).await, "approved");
    // Staff targets can now align to it.
    let mut staff = office.client("zhang.wei").await;
    let own = office.open_own_set(&mut staff).await;
    staff.get(&format!("/plan/sets/{own}/targets/new")).await.assert_contains("全年会务零差错");
    let other = head
        .post(
            "/plan/sets",
            &[
                ("cycle_id", &office.cycle.to_string()),
                ("level", "department"),
                ("department_id", &office.other_department.to_string()),
            ],
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn last_cycles_targets_are_copied_with_deadlines_moved_a_year() {
    let office = office().await;
    let last = cycle(&office.app, "2025年度考核", "2025", "closed").await;
    let old_set: i64 = sqlx::query_scalar(
        "insert into target_set (cycle_id, level, department_id, person_id, status) values ($1, 'person', $2, $3, 'approved') returning id",
    )
    .bind(last)
    .bind(office.department)
    .bind(office.staff)
    .fetch_one(&office.app.pool)
    .await
    .unwrap();
    sqlx::query("insert into target (set_id, title, category, weight, deadline) values ($1, '去年的目标', 'routine', 100, '2025-06-30')")
        .bind(old_set)
        .execute(&office.app.pool)
        .await
        .unwrap();
    let mut staff = office.client("zhang.wei").await;
    let set = office.open_own_set(&mut staff).await;
    let version = office.version(set).await;
    staff.post(&format!("/plan/sets/{set}/copy-last"), &[("version", &version)]).await;
    let deadline: String = sqlx::query_scalar("select deadline::text from target where set_id = $1")
        .bind(set)
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    assert_eq!(deadline, "2026-06-30");
    staff.get(&format!("/plan/sets/{set}")).await.assert_contains("已复制 1 个目标为草稿");
}

#[tokio::test]
async fn a_new_plan_is_prefilled_from_the_post_templates() {
    let office = office().await;
    let post: i64 = sqlx::query_scalar(
        "insert into post (department_id, title, a_holder_id, b_holder_id) values ($1, '文秘岗', $2, $3) returning id",
    )
    .bind(office.department)
    .bind(office.staff)
    .bind(office.colleague)
    .fetch_one(&office.app.pool)
    .await
    .unwrap();
    sqlx::query("insert into post_target_template (post_id, title, category, weight) values ($1, '公文运转及时率', 'routine', 60)")
        .bind(post)
        .execute(&office.app.pool)
        .await
        .unwrap();
    let mut staff = office.client("zhang.wei").await;
    let set = office.open_own_set(&mut staff).await;
    let (owner, backup): (i64, i64) = sqlx::query_as("select owner_id, backup_id from target where set_id = $1")
        .bind(set)
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    assert_eq!((owner, backup), (office.staff, office.colleague));
    staff.get(&format!("/plan/sets/{set}")).await.assert_contains("公文运转及时率");
}

#[tokio::test]
async fn a_head_assigns_one_target_to_several_staff() {
    let office = office().await;
    let mut head = office.client("wang.head").await;
    let path = format!("/plan/assign?cycle={}&department={}", office.cycle, office.department);
    head.get(&path).await.assert_contains("张伟");
    let (staff, colleague) = (office.staff.to_string(), office.colleague.to_string());
    let page = head
        .post(
            &path,
            &[
                ("people", &staff),
                ("people", &colleague),
                ("title", "保密工作零事故"),
                ("category", "routine"),
                ("measure", "事故数"),
                ("target_value", "0"),
                ("direction", "lower_better"),
                ("weight", "10"),
                ("deadline", "2026-12-31"),
                ("assessment_method", "检查记录"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(office.app.count("select count(*) from target where title = '保密工作零事故'").await, 2);
    let owners: Vec<i64> =
        sqlx::query_scalar("select owner_id from target where title = '保密工作零事故' order by owner_id")
            .fetch_all(&office.app.pool)
            .await
            .unwrap();
    let mut expected = vec![office.staff, office.colleague];
    expected.sort();
    assert_eq!(owners, expected);
    let none = head.post(&path, &[("title", "x"), ("category", "routine"), ("weight", "1")]).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut other = office.client("other.head").await;
    assert_eq!(other.get(&path).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_completeness_board_counts_missing_and_unapproved_plans() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    submitted_plan(&office, &mut staff).await;
    let mut perf = office.app.signed_in(Role::PerformanceOffice).await;
    let board = perf.get(&format!("/plan/board?cycle={}", office.cycle)).await;
    assert_eq!(board.status, StatusCode::OK);
    // Participants: 张伟, 李娜, 王处长 in 办公室, 钱处长 without a department; the signed-in office staff too.
    board.assert_contains("id=\"total-unapproved\">1<");
    board.assert_contains("id=\"total-approved\">0<");
    let mut leader = office.client("zhao.leader").await;
    let overseen = leader.get("/plan/overseen").await;
    overseen.assert_contains("办公室");
    assert!(!overseen.body.contains("研究室"));
    let mut head = office.client("wang.head").await;
    let department = head.get("/plan/department").await;
    department.assert_contains("李娜");
    department.assert_contains("未填报");
    let _ = office.head;
}

#[tokio::test]
async fn the_tree_shows_the_cascade_within_the_viewers_scope() {
    let office = office().await;
    let app = &office.app;
    let points: i64 = sqlx::query_scalar(
        "insert into target_set (cycle_id, level, status) values ($1, 'office', 'approved') returning id",
    )
    .bind(office.cycle)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let point: i64 = sqlx::query_scalar(
        "insert into target (set_id, title, category) values ($1, '服务委员履职', 'key_work') returning id",
    )
    .bind(points)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let dept_set: i64 = sqlx::query_scalar(
        "insert into target_set (cycle_id, level, department_id) values ($1, 'department', $2) returning id",
    )
    .bind(office.cycle)
    .bind(office.department)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query("insert into target (set_id, parent_id, title, category, weight) values ($1, $2, '办公室会务保障', 'routine', 50)")
        .bind(dept_set).bind(point).execute(&app.pool).await.unwrap();
    let other_set: i64 = sqlx::query_scalar(
        "insert into target_set (cycle_id, level, department_id) values ($1, 'department', $2) returning id",
    )
    .bind(office.cycle)
    .bind(office.other_department)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query("insert into target (set_id, parent_id, title, category, weight) values ($1, $2, '研究室调研课题', 'routine', 50)")
        .bind(other_set).bind(point).execute(&app.pool).await.unwrap();
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    let tree = perf.get(&format!("/plan/tree?cycle={}", office.cycle)).await;
    let (point_at, child_at) = (tree.body.find("服务委员履职").unwrap(), tree.body.find("办公室会务保障").unwrap());
    assert!(point_at < child_at);
    tree.assert_contains("tree-depth-1");
    let mut head = office.client("wang.head").await;
    let scoped = head.get("/plan/tree").await;
    scoped.assert_contains("办公室会务保障");
    assert!(!scoped.body.contains("研究室调研课题"));
    let mut staff = office.client("zhang.wei").await;
    assert_eq!(staff.get("/plan/tree").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_tree_rolls_weighted_completion_up_from_verified_progress() {
    let office = office().await;
    let app = &office.app;
    let points: i64 = sqlx::query_scalar(
        "insert into target_set (cycle_id, level, status) values ($1, 'office', 'approved') returning id",
    )
    .bind(office.cycle)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let point: i64 = sqlx::query_scalar(
        "insert into target (set_id, title, category) values ($1, '提高提案办理质量', 'key_work') returning id",
    )
    .bind(points)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let set: i64 = sqlx::query_scalar(
        "insert into target_set (cycle_id, level, department_id, status) values ($1, 'department', $2, 'approved') returning id",
    )
    .bind(office.cycle)
    .bind(office.department)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    for (title, weight, audited) in [("提案办复率", 60, 80), ("重点提案督办", 40, 100)] {
        let target: i64 = sqlx::query_scalar(
            "insert into target (set_id, parent_id, title, category, weight, target_value) values ($1, $2, $3, 'key_work', $4, 100) returning id",
        )
        .bind(set)
        .bind(point)
        .bind(title)
        .bind(weight)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        sqlx::query(
            "insert into progress_report (target_id, period_start, period_end, reported_value, state, status, submitted_by, audited_value)
             values ($1, '2026-01-01', '2026-01-31', $2, 'on_track', 'verified', $3, $2)",
        )
        .bind(target)
        .bind(rust_decimal::Decimal::from(audited))
        .bind(office.staff)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    let tree = perf.get(&format!("/plan/tree?cycle={}", office.cycle)).await;
    let row = |title: &str| tree.body.split(title).nth(1).unwrap().split("</tr>").next().unwrap().to_string();
    assert!(row("提高提案办理质量").contains(">88<"), "{}", row("提高提案办理质量"));
    assert!(row("提案办复率").contains(">80<"));
    assert!(row("重点提案督办").contains(">100<"));
}

/// A target of the other department (研究室) in the office's cycle; its id.
async fn foreign_target(office: &Office) -> i64 {
    let set: i64 = sqlx::query_scalar(
        "insert into target_set (cycle_id, level, department_id) values ($1, 'department', $2) returning id",
    )
    .bind(office.cycle)
    .bind(office.other_department)
    .fetch_one(&office.app.pool)
    .await
    .unwrap();
    sqlx::query_scalar(
        "insert into target (set_id, title, category) values ($1, '研究室内部课题', 'key_work') returning id",
    )
    .bind(set)
    .fetch_one(&office.app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn ids_the_target_form_does_not_offer_are_field_errors_with_the_input_kept() {
    let office = office().await;
    let foreign = foreign_target(&office).await.to_string();
    let mut staff = office.client("zhang.wei").await;
    let set = office.open_own_set(&mut staff).await;
    let form = staff.get(&format!("/plan/sets/{set}/targets/new")).await;
    assert!(!form.body.contains("研究室内部课题"), "another department's target is not offered");
    for (field, value) in
        [("parent_id", foreign.as_str()), ("owner_id", "999999"), ("backup_id", "999999"), ("post_id", "999999")]
    {
        let page = staff
            .post(
                &format!("/plan/sets/{set}/targets"),
                &[("title", "借题发挥"), ("category", "routine"), ("weight", "10"), (field, value)],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", page.body);
        page.assert_contains(&format!("id=\"{field}-error\""));
        page.assert_contains("不是可选的选项");
        page.assert_contains("value=\"借题发挥\"");
    }
    assert_eq!(office.app.count("select count(*) from target where title = '借题发挥'").await, 0);
    // The set page never shows the other department's title.
    staff.get(&format!("/plan/sets/{set}")).await;
    let target: i64 = {
        add_target(&mut staff, set, "公文处理", "100").await;
        sqlx::query_scalar("select id from target where title = '公文处理'").fetch_one(&office.app.pool).await.unwrap()
    };
    let page = staff
        .post(
            &format!("/plan/targets/{target}"),
            &[
                ("title", "公文处理"),
                ("category", "key_work"),
                ("weight", "100"),
                ("parent_id", &foreign),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let parent: Option<i64> = sqlx::query_scalar("select parent_id from target where id = $1")
        .bind(target)
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    assert_eq!(parent, None);
}

/// The fields of a change request for 会务保障 aligned to `parent`.
fn change_fields(parent: &str) -> Vec<(&str, &str)> {
    vec![
        ("title", "会务保障"),
        ("category", "key_work"),
        ("measure", "完成率"),
        ("target_value", "100"),
        ("unit", "%"),
        ("weight", "35"),
        ("deadline", "2026-11-30"),
        ("assessment_method", "查阅台账"),
        ("kind", "other"),
        ("reason", "增设B角"),
        ("parent_id", parent),
    ]
}

#[tokio::test]
async fn a_change_request_accepts_only_offered_ids_and_shows_names_not_ids() {
    let office = office().await;
    let foreign = foreign_target(&office).await.to_string();
    let mut staff = office.client("zhang.wei").await;
    let set = submitted_plan(&office, &mut staff).await;
    let mut head = office.client("wang.head").await;
    let version = office.version(set).await;
    head.post(&format!("/plan/sets/{set}/approve"), &[("version", &version)]).await;
    let target: i64 =
        sqlx::query_scalar("select id from target where title = '会务保障'").fetch_one(&office.app.pool).await.unwrap();
    let (owner, backup) = (office.staff.to_string(), office.colleague.to_string());
    let mut forged = change_fields(&foreign);
    forged.push(("owner_id", &owner));
    let page = staff.post(&format!("/plan/targets/{target}/changes"), &forged).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    page.assert_contains("id=\"parent_id-error\"");
    let mut unknown = change_fields("");
    unknown.push(("backup_id", "999999"));
    let page = staff.post(&format!("/plan/targets/{target}/changes"), &unknown).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(office.app.count("select count(*) from target_change").await, 0);

    let mut fair = change_fields("");
    fair.push(("owner_id", &owner));
    fair.push(("backup_id", &backup));
    let page = staff.post(&format!("/plan/targets/{target}/changes"), &fair).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = head.get(&format!("/plan/targets/{target}")).await;
    page.assert_contains("<td>李娜</td>");
    page.assert_contains("<td>张伟</td>");
}

#[tokio::test]
async fn an_assignment_cannot_align_to_another_departments_target() {
    let office = office().await;
    let foreign = foreign_target(&office).await.to_string();
    let mut head = office.client("wang.head").await;
    let path = format!("/plan/assign?cycle={}&department={}", office.cycle, office.department);
    head.get(&path).await;
    let staff = office.staff.to_string();
    let fields = |parent: &str| {
        vec![
            ("people".to_string(), staff.clone()),
            ("title".to_string(), "保密工作零事故".to_string()),
            ("category".to_string(), "routine".to_string()),
            ("weight".to_string(), "10".to_string()),
            ("parent_id".to_string(), parent.to_string()),
        ]
    };
    for parent in [foreign.as_str(), "999999"] {
        let owned = fields(parent);
        let borrowed: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let page = head.post(&path, &borrowed).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{parent}: {}", page.body);
        page.assert_contains("id=\"parent_id-error\"");
    }
    let page = head.post(&path, &[("people", "abc"), ("title", "x"), ("category", "routine"), ("weight", "1")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(office.app.count("select count(*) from target where title = '保密工作零事故'").await, 0);
}

/// Staff's plan approved by the head, with a pending request (by `requester`)
/// to lower 会务保障 to 90; the target and the change.
async fn pending_change(office: &Office, requester: &mut Client) -> (i64, i64) {
    let target: i64 =
        sqlx::query_scalar("select id from target where title = '会务保障'").fetch_one(&office.app.pool).await.unwrap();
    let mut fields = change_fields("");
    fields.retain(|(name, _)| *name != "target_value");
    fields.push(("target_value", "90"));
    let page = requester.post(&format!("/plan/targets/{target}/changes"), &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let change: i64 = sqlx::query_scalar("select id from target_change").fetch_one(&office.app.pool).await.unwrap();
    (target, change)
}

async fn approved_plan(office: &Office) -> (Client, Client) {
    let mut staff = office.client("zhang.wei").await;
    let set = submitted_plan(office, &mut staff).await;
    let mut head = office.client("wang.head").await;
    let version = office.version(set).await;
    head.post(&format!("/plan/sets/{set}/approve"), &[("version", &version)]).await;
    assert_eq!(office.status(set).await, "approved");
    (staff, head)
}

async fn target_value(office: &Office, target: i64) -> String {
    sqlx::query_scalar("select target_value::text from target where id = $1")
        .bind(target)
        .fetch_one(&office.app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_change_is_not_decided_once_the_cycle_has_moved_past_implementation() {
    let office = office().await;
    let (mut staff, mut head) = approved_plan(&office).await;
    let (target, change) = pending_change(&office, &mut staff).await;
    sqlx::query("update cycle set stage = 'closed'").execute(&office.app.pool).await.unwrap();
    let page = head.get(&format!("/plan/targets/{target}")).await;
    assert!(!page.body.contains("id=\"approve-change\""), "no decision in a closed cycle");
    let page = head.post(&format!("/plan/changes/{change}/decide"), &[("decision", "approve"), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    head.get(&format!("/plan/targets/{target}")).await.assert_contains("考核周期当前阶段不允许此操作");
    assert_eq!(target_value(&office, target).await, "100.00");
    let status: String =
        sqlx::query_scalar("select status::text from target_change").fetch_one(&office.app.pool).await.unwrap();
    assert_eq!(status, "pending");
}

#[tokio::test]
async fn a_head_never_decides_a_change_they_requested_themselves() {
    let office = office().await;
    let (_staff, mut head) = approved_plan(&office).await;
    let (target, change) = pending_change(&office, &mut head).await;
    let page = head.get(&format!("/plan/targets/{target}")).await;
    page.assert_contains("id=\"own-request\"");
    assert!(!page.body.contains("id=\"approve-change\""));
    assert!(!head.get("/plan/queue").await.body.contains("增设B角"));
    let page = head.post(&format!("/plan/changes/{change}/decide"), &[("decision", "approve"), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(target_value(&office, target).await, "100.00");
    // Another head of the department decides it.
    let second = office
        .app
        .person("second.head", "孙副处长", &[(Role::Staff, None), (Role::DepartmentHead, Some(office.department))])
        .await;
    assert!(second > 0);
    let mut other = office.client("second.head").await;
    let page =
        other.post(&format!("/plan/changes/{change}/decide"), &[("decision", "approve"), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(target_value(&office, target).await, "90.00");
}

#[tokio::test]
async fn sets_are_opened_only_by_participants_while_the_cycle_is_in_planning() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    staff.get("/plan/my").await;
    let (closed, narrow) = (
        cycle(&office.app, "2025年度考核", "2025", "closed").await.to_string(),
        cycle(&office.app, "2026年专项考核", "2026", "planning").await,
    );
    // A closed cycle: refused with the reason, no set.
    let page = staff.post("/plan/sets", &[("cycle_id", &closed), ("level", "person")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    page.assert_contains("考核周期当前阶段不允许此操作");
    // An unknown cycle: refused, not a server error.
    let page = staff.post("/plan/sets", &[("cycle_id", "999999"), ("level", "person")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("没有该考核周期");
    // A cycle in planning for one chosen person only: others take no part.
    sqlx::query("update cycle set all_participants = false where id = $1")
        .bind(narrow)
        .execute(&office.app.pool)
        .await
        .unwrap();
    sqlx::query("insert into cycle_person (cycle_id, person_id) values ($1, $2)")
        .bind(narrow)
        .bind(office.colleague)
        .execute(&office.app.pool)
        .await
        .unwrap();
    let narrow = narrow.to_string();
    let page = staff.post("/plan/sets", &[("cycle_id", &narrow), ("level", "person")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let mut other_head = office.client("other.head").await;
    let other_department = office.other_department.to_string();
    let department = [("cycle_id", narrow.as_str()), ("level", "department"), ("department_id", &other_department)];
    let page = other_head.post("/plan/sets", &department).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "the department takes no part");
    assert_eq!(office.app.count("select count(*) from target_set").await, 0);
    // The participant opens theirs; opening it again leads to the same set, whatever the stage.
    let mut colleague = office.client("li.na").await;
    colleague.get("/plan/my").await;
    let page = colleague.post("/plan/sets", &[("cycle_id", &narrow), ("level", "person")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    sqlx::query("update cycle set stage = 'implementation' where id = $1::bigint")
        .bind(narrow.parse::<i64>().unwrap())
        .execute(&office.app.pool)
        .await
        .unwrap();
    let again = colleague.post("/plan/sets", &[("cycle_id", &narrow), ("level", "person")]).await;
    assert_eq!(again.location(), page.location());
    assert_eq!(office.app.count("select count(*) from target_set").await, 1);
}

#[tokio::test]
async fn a_change_request_rests_on_a_statutory_ground_and_other_is_explained() {
    let office = office().await;
    let (mut staff, mut head) = approved_plan(&office).await;
    let target: i64 =
        sqlx::query_scalar("select id from target where title = '会务保障'").fetch_one(&office.app.pool).await.unwrap();
    let form = staff.get(&format!("/plan/targets/{target}/change")).await;
    form.assert_contains("<select id=\"kind\" name=\"kind\"");
    form.assert_contains("机构职能调整");
    form.assert_contains("不可抗力");
    let mut fields = change_fields("");
    fields.retain(|(name, _)| !matches!(*name, "kind" | "reason" | "target_value"));
    fields.push(("target_value", "90"));
    let path = format!("/plan/targets/{target}/changes");
    // A ground the statute does not know, and a missing one, are refused with the input kept.
    for kind in ["workload", ""] {
        let mut sent = fields.clone();
        sent.extend([("kind", kind), ("reason", "工作太多")]);
        let page = staff.post(&path, &sent).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{kind}");
        page.assert_contains("id=\"kind-error\"");
        page.assert_contains("工作太多");
    }
    // "Other" needs the reason in words.
    let mut other = fields.clone();
    other.extend([("kind", "other"), ("reason", " ")]);
    let page = staff.post(&path, &other).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"reason-error\"");
    assert_eq!(office.app.count("select count(*) from target_change").await, 0);
    // A statutory ground stands on its own.
    let mut policy = fields.clone();
    policy.extend([("kind", "policy_change"), ("reason", "")]);
    assert_eq!(staff.post(&path, &policy).await.status, StatusCode::SEE_OTHER);
    let kind: String =
        sqlx::query_scalar("select kind::text from target_change").fetch_one(&office.app.pool).await.unwrap();
    assert_eq!(kind, "policy_change");
    head.get(&format!("/plan/targets/{target}")).await.assert_contains("政策调整");
    let change: i64 = sqlx::query_scalar("select id from target_change").fetch_one(&office.app.pool).await.unwrap();
    head.post(&format!("/plan/changes/{change}/decide"), &[("decision", "approve"), ("version", "1")]).await;
    let why: String =
        sqlx::query_scalar("select reason from target_revision where target_id = $1 order by id desc limit 1")
            .bind(target)
            .fetch_one(&office.app.pool)
            .await
            .unwrap();
    assert_eq!(why, "政策调整", "the history names the ground");
}

#[tokio::test]
async fn copying_last_cycle_takes_last_years_verified_value_as_the_baseline() {
    let office = office().await;
    let last = cycle(&office.app, "2025年度考核", "2025", "closed").await;
    let old_set: i64 = sqlx::query_scalar(
        "insert into target_set (cycle_id, level, department_id, person_id, status) values ($1, 'person', $2, $3, 'approved') returning id",
    )
    .bind(last)
    .bind(office.department)
    .bind(office.staff)
    .fetch_one(&office.app.pool)
    .await
    .unwrap();
    let mut old_targets = Vec::new();
    for title in ["提案办复率", "信息报送"] {
        let id: i64 = sqlx::query_scalar(
            "insert into target (set_id, title, category, measure, target_value, baseline, weight, deadline)
             values ($1, $2, 'routine', '办复率', 95, 90, 50, '2025-11-30') returning id",
        )
        .bind(old_set)
        .bind(title)
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
        old_targets.push(id);
    }
    // 提案办复率 reached 97 (verified); 信息报送 was never verified.
    sqlx::query(
        "insert into progress_report (target_id, period_start, period_end, reported_value, audited_value, state,
                                      status, submitted_by, decided_by, decided_at)
         values ($1, '2025-10-01', '2025-12-31', 98, 97, 'done', 'verified', $2, $3, now())",
    )
    .bind(old_targets[0])
    .bind(office.staff)
    .bind(office.head)
    .execute(&office.app.pool)
    .await
    .unwrap();
    let mut staff = office.client("zhang.wei").await;
    let set = office.open_own_set(&mut staff).await;
    let version = office.version(set).await;
    staff.post(&format!("/plan/sets/{set}/copy-last"), &[("version", &version)]).await;
    let baselines: Vec<(String, Option<String>)> =
        sqlx::query_as("select title, baseline::text from target where set_id = $1 order by title")
            .bind(set)
            .fetch_all(&office.app.pool)
            .await
            .unwrap();
    assert_eq!(
        baselines,
        vec![("信息报送".to_string(), None), ("提案办复率".to_string(), Some("97.00".to_string()))],
        "last year's verified value, not last year's baseline (90)"
    );
}

#[tokio::test]
async fn a_returned_plan_is_told_at_once_stamped_with_the_return_and_settled_by_resubmitting() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let set = submitted_plan(&office, &mut staff).await;
    let mut head = office.client("wang.head").await;
    let version = office.version(set).await;
    head.post(&format!("/plan/sets/{set}/return"), &[("version", &version), ("reason", "会务保障目标值偏低")]).await;
    assert_eq!(office.status(set).await, "returned");
    // No background task has run: the notice came with the return, at its time.
    let stamped: bool = sqlx::query_scalar(
        "select n.created_at = s.decided_at from notification n join target_set s on s.id = $1
         where n.person_id = $2 and n.message = 'notify-plan-returned'",
    )
    .bind(set)
    .bind(office.staff)
    .fetch_one(&office.app.pool)
    .await
    .unwrap();
    assert!(stamped, "stamped with the time of the return");
    staff.get("/notifications").await.assert_contains("您在“2026年度考核”中的目标被退回");
    staff.get("/").await.assert_contains("id=\"unread-count\">1<");
    let version = office.version(set).await;
    staff.post(&format!("/plan/sets/{set}/submit"), &[("version", &version)]).await;
    assert_eq!(office.status(set).await, "submitted");
    assert_eq!(office.app.count("select count(*) from notification where read_at is null").await, 0, "settled");
    // Returned again: a new notice; the first stays settled.
    let version = office.version(set).await;
    head.post(&format!("/plan/sets/{set}/return"), &[("version", &version), ("reason", "仍需调整")]).await;
    assert_eq!(office.app.count("select count(*) from notification").await, 2);
    assert_eq!(office.app.count("select count(*) from notification where read_at is null").await, 1);
    assert_eq!(cppcc_perf::tasks::run_once(&office.app.pool, office.app.today()).await.unwrap().notifications, 0);
}

#[tokio::test]
async fn a_qualitative_target_needs_no_number_and_refuses_one() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let set = office.open_own_set(&mut staff).await;
    for (title, weight) in [("公文处理", "40"), ("会务保障", "35")] {
        assert_eq!(add_target(&mut staff, set, title, weight).await.status, StatusCode::SEE_OTHER);
    }
    let path = format!("/plan/sets/{set}/targets");
    let form = staff.get(&format!("/plan/sets/{set}/targets/new")).await;
    form.assert_contains("<select id=\"target_kind\" name=\"target_kind\"");
    form.assert_contains("定性");
    let qualitative = |value: &'static str| {
        vec![
            ("title", "机关作风建设"),
            ("category", "routine"),
            ("target_kind", "qualitative"),
            ("measure", "作风建设成效"),
            ("target_value", value),
            ("weight", "25"),
            ("deadline", "2026-11-30"),
            ("assessment_method", "领导评议"),
        ]
    };
    let refused = staff.post(&path, &qualitative("100")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("定性目标不设目标值");
    refused.assert_contains("机关作风建设");
    assert_eq!(staff.post(&path, &qualitative("")).await.status, StatusCode::SEE_OTHER);
    let kind: String = sqlx::query_scalar("select kind::text from target where title = '机关作风建设'")
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    assert_eq!(kind, "qualitative");
    // The plan checks do not ask for a number: the set goes to the head.
    staff.get(&format!("/plan/sets/{set}")).await;
    let version = office.version(set).await;
    staff.post(&format!("/plan/sets/{set}/submit"), &[("version", &version)]).await;
    assert_eq!(office.status(set).await, "submitted");
}

#[tokio::test]
async fn the_a_and_b_choices_are_the_departments_people_and_only_they_are_accepted() {
    let office = office().await;
    let outsider: i64 =
        sqlx::query_scalar("update person set department_id = $1 where username = 'other.head' returning id")
            .bind(office.other_department)
            .fetch_one(&office.app.pool)
            .await
            .unwrap();
    let mut staff = office.client("zhang.wei").await;
    let set = office.open_own_set(&mut staff).await;
    let form = staff.get(&format!("/plan/sets/{set}/targets/new")).await;
    form.assert_contains(&format!("<option value=\"{}\"", office.colleague));
    assert!(!form.body.contains(&format!("<option value=\"{outsider}\"")), "{}", form.body);
    // The fields come in fieldsets.
    form.assert_contains("id=\"target-measure\"");
    form.assert_contains("id=\"target-who\"");
    let outsider = outsider.to_string();
    let page = staff
        .post(
            &format!("/plan/sets/{set}/targets"),
            &[("title", "借题发挥"), ("category", "routine"), ("weight", "10"), ("backup_id", outsider.as_str())],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert!(page.body.contains("id=\"backup_id-error\""), "{}", page.body);
}

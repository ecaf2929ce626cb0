//! The monitoring boards: a head's department board and the office board,
//! against an office whose first half of 2025 is fully past its deadlines.

use axum::http::StatusCode;
use calamine::Data;
use cppcc_perf::domain::roles::Role;
use sqlx::PgPool;

use crate::support::{Page, TestApp, sheet_rows, table_rows};

const EVIL_TITLE: &str = "</script><script>alert(1)</script>";

/// The office of the tests: two departments with their heads and staff, a
/// cycle (2025-01-01 to 2025-06-30, quarterly reports, due 5 work days after
/// each quarter: 2025-04-07 and 2025-07-07) and everything the boards count.
struct Office {
    app: TestApp,
    general: i64,
    research: i64,
    t_verified: i64,
    t_behind: i64,
    t_missing: i64,
    t_evil: i64,
    t_other: i64,
}

async fn exec(pool: &PgPool, sql: &str) {
    sqlx::raw_sql(sql).execute(pool).await.unwrap();
}

async fn id(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

async fn staff(app: &TestApp, username: &str, name: &str, department: i64) -> i64 {
    let person = app.person(username, name, &[(Role::Staff, None)]).await;
    exec(&app.pool, &format!("update person set department_id = {department} where id = {person}")).await;
    person
}

/// An approved plan of `person` with the given targets (title, weight, target value, direction).
async fn approved_set(
    pool: &PgPool,
    cycle: i64,
    department: i64,
    person: i64,
    targets: &[(&str, i32, i32, &str)],
) -> Vec<i64> {
    let set = id(
        pool,
        &format!("insert into target_set (cycle_id, level, department_id, person_id, status) values ({cycle}, 'person', {department}, {person}, 'approved') returning id"),
    )
    .await;
    let mut ids = Vec::new();
    for (i, (title, weight, value, direction)) in targets.iter().enumerate() {
        let target: i64 = sqlx::query_scalar(
            "insert into target (set_id, title, category, weight, target_value, direction, owner_id, sort_order)
             values ($1, $2, 'routine', $3, $4, $5::target_direction, $6, $7) returning id",
        )
        .bind(set)
        .bind(*title)
        .bind(rust_decimal::Decimal::from(*weight))
        .bind(rust_decimal::Decimal::from(*value))
        .bind(*direction)
        .bind(person)
        .bind(i as i32)
        .fetch_one(pool)
        .await
        .unwrap();
        ids.push(target);
    }
    ids
}

/// A report of a quarter of 2025 sent at `sent` (office time), with its
/// `[state, status, reported value, audited value]`.
async fn report(pool: &PgPool, target: i64, by: i64, quarter: u8, sent: &str, outcome: [&str; 4]) {
    let [state, status, reported, audited] = outcome;
    let (start, end) = if quarter == 1 { ("2025-01-01", "2025-03-31") } else { ("2025-04-01", "2025-06-30") };
    exec(
        pool,
        &format!(
            "insert into progress_report (target_id, period_start, period_end, reported_value, audited_value, state, status, submitted_by, submitted_at)
             values ({target}, '{start}', '{end}', {reported}, {audited}, '{state}', '{status}', {by}, '{sent} 10:00:00+08')"
        ),
    )
    .await;
}

async fn office() -> Office {
    let app = TestApp::new().await;
    let pool = app.pool.clone();
    let general = app.department("综合处").await;
    let research = app.department("研究室</script><script>alert(2)</script>").await;
    exec(&pool, &format!("update department set sort_order = 1 where id = {general}; update department set sort_order = 2 where id = {research}")).await;
    app.person("head-general", "综合处处长", &[(Role::DepartmentHead, Some(general)), (Role::Staff, None)]).await;
    app.person("head-research", "研究室主任", &[(Role::DepartmentHead, Some(research)), (Role::Staff, None)]).await;
    let zhang = staff(&app, "zhang", "张三", general).await;
    let li = staff(&app, "li", "李四", general).await;
    let wang = staff(&app, "wang", "王五", general).await;
    let zhao = staff(&app, "zhao", "赵六", research).await;
    let qian = staff(&app, "qian", "钱七", general).await;
    let cycle = id(
        &pool,
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until, assessment_until, feedback_until, report_frequency, stage)
         values ('2025年上半年', 'special', '2025-01-01', '2025-06-30', '2025-01-15', '2025-06-30', '2025-07-31', '2025-08-31', 'quarterly', 'implementation') returning id",
    )
    .await;
    // An older closed cycle, so the picker has a choice and the default must be found.
    exec(
        &pool,
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until, assessment_until, feedback_until, stage)
         values ('2024年度', 'annual', '2024-01-01', '2024-12-31', '2024-01-31', '2024-12-31', '2025-01-31', '2025-02-28', 'closed')",
    )
    .await;
    let zhang_targets = approved_set(
        &pool,
        cycle,
        general,
        zhang,
        &[("提案办复率", 60, 100, "higher_better"), ("调研报告篇数", 40, 10, "higher_better")],
    )
    .await;
    let (t_verified, t_behind) = (zhang_targets[0], zhang_targets[1]);
    // A withdrawn target does not count.
    exec(&pool, &format!("insert into target (set_id, title, category, weight, active) select set_id, '已撤回目标', 'routine', 10, false from target where id = {t_verified}")).await;
    let t_missing = approved_set(&pool, cycle, general, li, &[("会议服务满意度", 100, 95, "higher_better")]).await[0];
    let t_evil = approved_set(&pool, cycle, general, wang, &[(EVIL_TITLE, 100, 10, "lower_better")]).await[0];
    let t_other = approved_set(&pool, cycle, research, zhao, &[("信息报送", 100, 20, "higher_better")]).await[0];
    // A plan not yet approved stays off the boards.
    exec(&pool, &format!("insert into target_set (cycle_id, level, department_id, person_id, status) values ({cycle}, 'person', {general}, {qian}, 'submitted')")).await;
    exec(&pool, &format!("insert into target (set_id, title, category, weight) select id, '未批准目标', 'routine', 100 from target_set where person_id = {qian}")).await;

    // 提案办复率: both quarters on time and verified (Q2 audited 98 of 100 → 98%, green).
    report(&pool, t_verified, zhang, 1, "2025-04-03", ["on_track", "verified", "92", "90"]).await;
    report(&pool, t_verified, zhang, 2, "2025-07-01", ["on_track", "verified", "99", "98"]).await;
    // 调研报告篇数: Q1 late and verified (5 of 10 → 50%), Q2 behind and awaiting verification (yellow).
    report(&pool, t_behind, zhang, 1, "2025-04-20", ["behind", "verified", "5", "5"]).await;
    report(&pool, t_behind, zhang, 2, "2025-07-02", ["behind", "submitted", "6", "null"]).await;
    // 会议服务满意度: Q1 on time (95 of 95 → 100%), Q2 missing (red).
    report(&pool, t_missing, li, 1, "2025-04-02", ["on_track", "verified", "95", "95"]).await;
    // The evil title: never reported (red, no completion).
    // 信息报送 (research): Q1 verified (10 of 20 → 50%), Q2 returned (yellow).
    report(&pool, t_other, zhao, 1, "2025-04-01", ["on_track", "verified", "10", "10"]).await;
    report(&pool, t_other, zhao, 2, "2025-07-03", ["on_track", "returned", "18", "null"]).await;

    // Supervision: open items by their latest slip (综合处: one red, one blue; 研究室: one yellow).
    let officer = app.person("officer", "督查员", &[(Role::SupervisionOfficer, None)]).await;
    let item = |title: &str, department: i64, status: &str| {
        format!(
            "insert into supervision_item (title, source, department_id, opened_by, due_date, status)
             values ('{title}', 'leader_instruction', {department}, {officer}, '2025-06-15', '{status}') returning id"
        )
    };
    let i1 = id(&pool, &item("督办一", general, "in_progress")).await;
    let i2 = id(&pool, &item("督办二", general, "assigned")).await;
    let i3 = id(&pool, &item("督办三", general, "closed")).await;
    let i4 = id(&pool, &item("督办四", research, "in_progress")).await;
    let slip = |item: i64, colour: &str, issued: &str, due: &str, answered: &str, week: &str| {
        format!(
            "insert into supervision_slip (item_id, colour, issued_on, answer_due, answered_at, issue_week)
             values ({item}, '{colour}', '{issued}', '{due}', {answered}, '{week}');"
        )
    };
    exec(
        &pool,
        &[
            // Answered in time, answered late, unanswered past its date: i1 escalated blue → yellow → red.
            slip(i1, "blue", "2025-05-05", "2025-05-19", "'2025-05-08 09:00+08'", "2025-W19"),
            slip(i1, "yellow", "2025-05-12", "2025-05-26", "'2025-06-01 09:00+08'", "2025-W20"),
            slip(i1, "red", "2025-06-20", "2025-07-04", "null", "2025-W25"),
            // Before the cycle: not counted in the measures.
            slip(i2, "blue", "2024-12-20", "2025-01-06", "null", "2024-W51"),
            slip(i2, "blue", "2025-06-25", "2025-07-09", "null", "2025-W26"),
            slip(i3, "blue", "2025-03-03", "2025-03-17", "'2025-03-05 09:00+08'", "2025-W10"),
            slip(i4, "yellow", "2025-06-02", "2025-06-16", "'2025-06-05 09:00+08'", "2025-W23"),
        ]
        .concat(),
    )
    .await;

    // Ledger: 张三's commendations are capped at 5; pending and earlier records do not count.
    let commend = id(
        &pool,
        "insert into ledger_item (code, text, points, cap) values ('T-COMMEND', '上级表彰', 2, 5) returning id",
    )
    .await;
    let red_slip =
        id(&pool, "insert into ledger_item (code, text, points) values ('T-RED', '红色督办单', -1) returning id").await;
    let record = |item: i64, person: Option<i64>, department: Option<i64>, day: &str, status: &str| {
        let person = person.map_or("null".to_string(), |p| p.to_string());
        let department = department.map_or("null".to_string(), |d| d.to_string());
        format!(
            "insert into ledger_record (item_id, person_id, department_id, occurred_on, reason, status)
             values ({item}, {person}, {department}, '{day}', '测试', '{status}');"
        )
    };
    exec(
        &pool,
        &[
            record(commend, Some(zhang), None, "2025-02-01", "accepted"),
            record(commend, Some(zhang), None, "2025-03-01", "accepted"),
            record(commend, Some(zhang), None, "2025-04-01", "accepted"),
            record(commend, Some(zhang), None, "2025-05-01", "pending"),
            record(commend, Some(li), None, "2025-05-01", "accepted"),
            record(commend, Some(li), None, "2024-12-01", "accepted"),
            record(red_slip, None, Some(general), "2025-06-21", "accepted"),
            record(red_slip, Some(zhao), None, "2025-06-01", "accepted"),
        ]
        .concat(),
    )
    .await;

    // Commitment cases of 综合处 (3 work days): three kept, one still open long after its limit.
    let commitment = id(
        &pool,
        &format!("insert into service_commitment (department_id, service, standard, time_limit_days) values ({general}, '来文办理', '3个工作日内办结', 3) returning id"),
    )
    .await;
    let case = |received: &str, done: &str| {
        format!(
            "insert into commitment_case (commitment_id, subject, received_on, done_on, recorded_by)
             values ({commitment}, '来文', '{received}', {done}, {officer});"
        )
    };
    exec(
        &pool,
        &[
            case("2025-03-03", "'2025-03-05'"),
            case("2025-04-01", "'2025-04-02'"),
            case("2025-05-06", "'2025-05-08'"),
            case("2025-04-01", "null"),
            // Before the cycle: not counted.
            case("2024-12-02", "'2024-12-31'"),
        ]
        .concat(),
    )
    .await;

    Office { app, general, research, t_verified, t_behind, t_missing, t_evil, t_other }
}

/// The HTML of the element whose id is `id`, up to the end of its row.
#[track_caller]
fn row<'a>(page: &'a Page, id: &str) -> &'a str {
    let start = page.body.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} in:\n{}", page.body));
    let rest = &page.body[start..];
    &rest[..rest.find("</tr>").unwrap_or(rest.len())]
}

#[track_caller]
fn assert_row(page: &Page, id: &str, parts: &[&str]) {
    let html = row(page, id);
    for part in parts {
        assert!(html.contains(part), "expected {part:?} in #{id}: {html}");
    }
}

/// Whether the page lists the target.
fn shows(page: &Page, target: i64) -> bool {
    page.body.contains(&format!("id=\"board-target-{target}\""))
}

/// The chart data block, checked to be unable to close its element, parsed.
#[track_caller]
fn chart_data(page: &Page) -> serde_json::Value {
    let marker = "<script type=\"application/json\" id=\"chart-data\">";
    let start = page.body.find(marker).expect("chart data block") + marker.len();
    let json = &page.body[start..start + page.body[start..].find("</script>").unwrap()];
    assert!(!json.contains('<'), "a raw < in the chart data: {json}");
    serde_json::from_str(json).unwrap()
}

fn chart<'a>(data: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    data["charts"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no chart {id}"))
}

#[tokio::test]
async fn a_head_sees_every_target_of_the_department_with_completion_and_colour() {
    let o = office().await;
    let mut head = o.app.login_as("head-general").await;
    let page = head.get("/monitor/department").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("2025年上半年");
    page.assert_contains("<span id=\"targets-shown\">4</span> / 4");
    assert_row(
        &page,
        &format!("board-target-{}", o.t_verified),
        &[
            "张三",
            "提案办复率",
            "2025-04-01</span> – <span class=\"nowrap\">2025-06-30",
            "99",
            "98",
            "class=\"num completion\">98%",
            "data-colour=\"green\"",
        ],
    );
    assert_row(
        &page,
        &format!("board-target-{}", o.t_behind),
        &["调研报告篇数", "class=\"num completion\">50%", "data-colour=\"yellow\"", "滞后"],
    );
    assert_row(
        &page,
        &format!("board-target-{}", o.t_missing),
        &["李四", "class=\"num completion\">100%", "data-colour=\"red\""],
    );
    // A completion from an older period says which period it is from.
    assert_row(&page, &format!("board-target-{}", o.t_missing), &["figure-period\">2025-01-01 – 2025-03-31</span>"]);
    // The legend says what each colour means and where the figures come from.
    page.assert_contains("id=\"board-legend\"");
    page.assert_contains("完成率落后于考核周期已过时间比例 30 个百分点以上");
    assert_row(
        &page,
        &format!("board-target-{}", o.t_evil),
        &["王五", "class=\"num completion\">—", "data-colour=\"red\"", "尚未填报"],
    );
    // Another department's target, an unapproved plan and a withdrawn target stay off.
    assert!(!shows(&page, o.t_other));
    assert!(!page.body.contains("未批准目标") && !page.body.contains("已撤回目标"));
    // Completion by person (60·98 + 40·50) / 100 = 78.8, and report timeliness per quarter.
    assert!(
        page.body.contains("<th scope=\"row\">张三</th><td class=\"num\">2</td><td class=\"num\">78.8%</td>"),
        "{}",
        page.body
    );
    page.assert_contains("<th scope=\"row\">2025-01-01 – 2025-03-31</th><td class=\"nowrap\">2025-04-07</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">1</td>");
    page.assert_contains("<th scope=\"row\">2025-04-01 – 2025-06-30</th><td class=\"nowrap\">2025-07-07</td><td class=\"num\">2</td><td class=\"num\">0</td><td class=\"num\">2</td>");
    let data = chart_data(&page);
    let completion = chart(&data, "chart-completion");
    assert_eq!(completion["categories"], serde_json::json!(["张三", "李四", "王五"]));
    assert_eq!(completion["series"][0]["data"], serde_json::json!([78.8, 100.0, null]));
    let timeliness = chart(&data, "chart-timeliness");
    assert_eq!(timeliness["categories"], serde_json::json!(["2025-01", "2025-04"]));
    let series: Vec<&serde_json::Value> = timeliness["series"].as_array().unwrap().iter().map(|s| &s["data"]).collect();
    assert_eq!(
        series,
        [&serde_json::json!([2.0, 2.0]), &serde_json::json!([1.0, 0.0]), &serde_json::json!([1.0, 2.0])]
    );
    // The evil title is shown as text and never closes a script element.
    page.assert_contains("&#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62;");
    assert!(!page.body.contains("<script>alert("), "{}", page.body);
    page.assert_contains("/vendor/echarts/echarts.min.js\" defer></script>");
    page.assert_contains("/charts.js\" defer></script>");
}

#[tokio::test]
async fn the_department_board_filters_by_owner_state_and_colour() {
    let o = office().await;
    let mut head = o.app.login_as("head-general").await;
    let zhang: i64 = o.app.count("select id from person where username = 'zhang'").await;
    let page = head.get("/monitor/department?colour=red").await;
    page.assert_contains("<span id=\"targets-shown\">2</span> / 4");
    assert!(shows(&page, o.t_missing) && shows(&page, o.t_evil));
    assert!(!shows(&page, o.t_verified));
    let page = head.get(&format!("/monitor/department?owner={zhang}&state=&colour=")).await;
    page.assert_contains("<span id=\"targets-shown\">2</span> / 4");
    assert!(shows(&page, o.t_verified) && shows(&page, o.t_behind));
    let page = head.get("/monitor/department?state=behind").await;
    page.assert_contains("<span id=\"targets-shown\">1</span> / 4");
    assert!(shows(&page, o.t_behind));
    // The charts still count the whole department.
    assert_eq!(
        chart(&chart_data(&page), "chart-completion")["series"][0]["data"],
        serde_json::json!([78.8, 100.0, null])
    );
    // Asking for a department one does not head shows nothing of it.
    let page = head.get(&format!("/monitor/department?department={}", o.research)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!shows(&page, o.t_other));
    page.assert_contains("<span id=\"targets-shown\">0</span> / 0");
}

#[tokio::test]
async fn a_head_sees_only_their_departments_and_staff_are_refused() {
    let o = office().await;
    let mut head = o.app.login_as("head-research").await;
    let page = head.get("/monitor/department").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_row(
        &page,
        &format!("board-target-{}", o.t_other),
        &["赵六", "信息报送", "class=\"num completion\">50%", "data-colour=\"yellow\"", "已退回"],
    );
    for other in [o.t_verified, o.t_behind, o.t_missing, o.t_evil] {
        assert!(!shows(&page, other));
    }
    let mut zhang = o.app.login_as("zhang").await;
    assert_eq!(zhang.get("/monitor/department").await.status, StatusCode::FORBIDDEN);
    assert_eq!(zhang.get("/monitor/office").await.status, StatusCode::FORBIDDEN);
    assert_eq!(head.get("/monitor/office").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_office_board_shows_every_department_and_the_three_measures() {
    let o = office().await;
    let mut office = o.app.signed_in(Role::PerformanceOffice).await;
    let page = office.get("/monitor/office").await;
    assert_eq!(page.status, StatusCode::OK);
    // 综合处: (60·98 + 40·50 + 100·100) / 200 = 89.4; missing reports: Q1 one, Q2 two.
    assert_row(
        &page,
        &format!("office-department-{}", o.general),
        &[
            "class=\"num targets\">4<",
            "class=\"num completion\">89.4%",
            "class=\"num current\">2<",
            "<span class=\"badge badge-danger\">3</span>",
            "class=\"num open-blue\">1<",
            "class=\"num open-yellow\">0<",
            "class=\"num open-red\">1<",
            // 张三 6 capped at 5, 李四 2, the department −1.
            "class=\"num ledger-records\">5<",
            "class=\"num ledger-total\">6<",
            "class=\"num kept\">3<",
            "class=\"num broken\">1<",
            "class=\"num kept-rate\">75%",
        ],
    );
    assert_row(
        &page,
        &format!("office-department-{}", o.research),
        &[
            "class=\"num targets\">1<",
            "class=\"num completion\">50%",
            "class=\"num current\">1<",
            "class=\"num overdue\">0<",
            "class=\"num open-yellow\">1<",
            "class=\"num open-red\">0<",
            "class=\"num ledger-records\">1<",
            "class=\"num ledger-total\">-1<",
            "class=\"num kept-rate\">—",
        ],
    );
    // 全面 3 of 5 targets reported for the second quarter; 有力 slips of the cycle
    // blue 3 → yellow 2 → red 1; 有效 3 of 6 slips answered in time.
    assert_row(&page, "measure-comprehensive", &["60%", "(3 / 5)"]);
    assert_row(
        &page,
        "measure-strong",
        &["class=\"issued-blue\">3<", "class=\"issued-yellow\">2<", "class=\"issued-red\">1<"],
    );
    assert_row(&page, "measure-effective", &["50%", "(3 / 6)"]);
    let data = chart_data(&page);
    let completion = chart(&data, "chart-department-completion");
    assert_eq!(completion["categories"][1], "研究室</script><script>alert(2)</script>");
    assert_eq!(completion["series"][0]["data"], serde_json::json!([89.4, 50.0]));
    let slips = chart(&data, "chart-slips");
    let series: Vec<&serde_json::Value> = slips["series"].as_array().unwrap().iter().map(|s| &s["data"]).collect();
    assert_eq!(
        series,
        [&serde_json::json!([1.0, 0.0]), &serde_json::json!([0.0, 1.0]), &serde_json::json!([1.0, 0.0])]
    );
    assert!(!page.body.contains("<script>alert("), "{}", page.body);
    // Leaders, the committee and auditors read it too.
    for role in [Role::SupervisingLeader, Role::AssessmentCommittee, Role::Auditor] {
        assert_eq!(o.app.signed_in(role).await.get("/monitor/office").await.status, StatusCode::OK, "{role:?}");
    }
}

#[tokio::test]
async fn the_office_boards_figures_are_kept_until_the_next_audited_write() {
    let o = office().await;
    let mut office = o.app.signed_in(Role::PerformanceOffice).await;
    office.get("/monitor/office").await.assert_contains("综合处");
    // A change that bypasses the application (no audit row) is not seen yet...
    exec(&o.app.pool, &format!("update department set name = '综合一处' where id = {}", o.general)).await;
    let page = office.get("/monitor/office").await;
    page.assert_contains("综合处");
    assert!(!page.body.contains("综合一处"));
    // ...every write of the application leaves an audit row, which makes the figures stale.
    exec(&o.app.pool, "insert into audit_log (action, object_type, object_id) values ('test.write', 'test', '1')")
        .await;
    office.get("/monitor/office").await.assert_contains("综合一处");
    let cached = id(&o.app.pool, "select count(*) from board_figures").await;
    assert_eq!(cached, 1, "one entry per cycle and day");
}

#[tokio::test]
async fn the_boards_say_so_when_there_is_no_cycle() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let page = office.get("/monitor/office").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("暂无考核周期");
    let mut head = app.signed_in(Role::DepartmentHead).await;
    head.get("/monitor/department").await.assert_contains("暂无考核周期");
}

#[tokio::test]
async fn the_office_board_drills_down_to_departments_people_and_targets() {
    let o = office().await;
    let mut office = o.app.signed_in(Role::PerformanceOffice).await;
    let page = office.get("/monitor/office").await;
    let link = format!("department={}\" class=\"department-link\"", o.research);
    assert!(row(&page, &format!("office-department-{}", o.research)).contains(&link), "{}", page.body);
    page.assert_contains("id=\"office-legend\"");
    // The department board of any department, for whoever reads the office board.
    let page = office.get(&format!("/monitor/department?department={}", o.research)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(shows(&page, o.t_other));
    assert!(!shows(&page, o.t_verified));
    let target_row = row(&page, &format!("board-target-{}", o.t_other));
    assert!(target_row.contains(&format!("href=\"/plan/targets/{}\"", o.t_other)), "{target_row}");
    assert!(target_row.contains("class=\"owner-link\""), "{target_row}");
    // Staff still may not open it.
    let mut zhang = o.app.login_as("zhang").await;
    assert_eq!(zhang.get("/monitor/department").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_supervising_leader_reads_the_boards_of_the_departments_they_oversee() {
    let o = office().await;
    o.app.person("leader-research", "分管副秘书长", &[(Role::SupervisingLeader, Some(o.research))]).await;
    let mut leader = o.app.login_as("leader-research").await;
    let page = leader.get("/monitor/department").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(shows(&page, o.t_other));
    for other in [o.t_verified, o.t_behind, o.t_missing, o.t_evil] {
        assert!(!shows(&page, other));
    }
    // The department filter narrows within what the leader oversees, never beyond it.
    let page = leader.get(&format!("/monitor/department?department={}", o.general)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!shows(&page, o.t_verified) && !shows(&page, o.t_other));
    // The assessment committee reads every department's board.
    let mut committee = o.app.signed_in(Role::AssessmentCommittee).await;
    let page = committee.get("/monitor/department").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(shows(&page, o.t_other) && shows(&page, o.t_verified));
}

/// The number in an exported cell (numbers, percentages), if it holds one.
fn number(sheet: &calamine::Range<Data>, cell: (u32, u32)) -> Option<f64> {
    match sheet.get_value(cell) {
        Some(Data::Float(value)) => Some(*value),
        _ => None,
    }
}

#[track_caller]
fn assert_near(actual: Option<f64>, expected: f64) {
    let actual = actual.expect("a number");
    assert!((actual - expected).abs() < 1e-9, "{actual} is not {expected}");
}

#[tokio::test]
async fn the_department_board_exports_completion_by_person() {
    let o = office().await;
    let mut head = o.app.login_as("head-general").await;
    let page = head.get("/monitor/department").await;
    page.assert_contains("href=\"/monitor/department.xlsx\"");
    let sheet = head.get("/monitor/department.xlsx").await.xlsx();
    assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("各责任人加权完成率 · 2025年上半年".into())));
    assert_eq!(sheet.get_value((2, 2)), Some(&Data::String("加权完成率".into())));
    let rows = sheet_rows(&sheet);
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, ["张三", "李四", "王五"], "the people of the page's table, in its order");
    assert_eq!(page.body.matches("<tr><th scope=\"row\">").count(), rows.len() + 2, "and the two periods");
    assert_near(number(&sheet, (3, 1)), 2.0);
    assert_near(number(&sheet, (3, 2)), 0.788);
    assert_eq!(sheet.get_value((5, 2)).unwrap_or(&Data::Empty), &Data::Empty, "nothing to divide");

    // The office narrows the board to one department, and the file with it.
    let mut office = o.app.signed_in(Role::PerformanceOffice).await;
    let filter = format!("department={}", o.research);
    office
        .get(&format!("/monitor/department?{filter}"))
        .await
        .assert_contains(&format!("/monitor/department.xlsx?{filter}"));
    let sheet = office.get(&format!("/monitor/department.xlsx?{filter}")).await.xlsx();
    assert!(
        matches!(sheet.get_value((0, 0)), Some(Data::String(title)) if title.ends_with("研究室</script><script>alert(2)</script>"))
    );
    assert_eq!(sheet_rows(&sheet).len(), 1);
    assert_eq!(sheet.get_value((3, 0)), Some(&Data::String("赵六".into())));
    assert_near(number(&sheet, (3, 2)), 0.5);
    let mut zhang = o.app.login_as("zhang").await;
    assert_eq!(zhang.get("/monitor/department.xlsx").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_office_board_exports_one_row_per_department_with_its_figures() {
    let o = office().await;
    let mut office = o.app.signed_in(Role::PerformanceOffice).await;
    let page = office.get("/monitor/office").await;
    page.assert_contains("href=\"/monitor/office.xlsx\"");
    let sheet = office.get("/monitor/office.xlsx").await.xlsx();
    assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("机关看板 · 2025年上半年".into())));
    assert_eq!(sheet.get_value((2, 5)), Some(&Data::String("蓝色督办单".into())));
    assert_eq!(sheet_rows(&sheet).len(), table_rows(&page, "office-department-"));
    let general = sheet_rows(&sheet).iter().position(|r| r[0] == "综合处").unwrap() as u32 + 3;
    let figures: Vec<Option<f64>> = (1..13).map(|col| number(&sheet, (general, col))).collect();
    for (col, expected) in
        [(0, 4.0), (2, 2.0), (3, 3.0), (4, 1.0), (5, 0.0), (6, 1.0), (7, 5.0), (8, 6.0), (9, 3.0), (10, 1.0)]
    {
        assert_near(figures[col], expected);
    }
    assert_near(figures[1], 0.894);
    assert_near(figures[11], 0.75);
    let research = if general == 3 { 4 } else { 3 };
    assert_eq!(sheet.get_value((research, 12)).unwrap_or(&Data::Empty), &Data::Empty, "no kept-rate without cases");

    // Another cycle chosen on the page is the cycle of the file.
    let old: i64 = o.app.count("select id from cycle where name = '2024年度'").await;
    let page = office.get(&format!("/monitor/office?cycle={old}")).await;
    page.assert_contains(&format!("href=\"/monitor/office.xlsx?cycle={old}\""));
    let sheet = office.get(&format!("/monitor/office.xlsx?cycle={old}")).await.xlsx();
    assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("机关看板 · 2024年度".into())));
    assert_eq!(sheet_rows(&sheet).len(), table_rows(&page, "office-department-"));
    let mut head = o.app.login_as("head-general").await;
    assert_eq!(head.get("/monitor/office.xlsx").await.status, StatusCode::FORBIDDEN);
}

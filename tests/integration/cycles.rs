//! Assessment cycles and the work-day calendar, as the performance office keeps them.

use axum::http::StatusCode;
use cppcc_perf::db;
use cppcc_perf::domain::roles::Role;

use crate::support::{Client, TestApp};

/// An active staff member of a department.
async fn staff_in(app: &TestApp, username: &str, name: &str, department: i64) -> i64 {
    let id = app.person(username, name, &[(Role::Staff, None)]).await;
    sqlx::query("update person set department_id = $1 where id = $2")
        .bind(department)
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    id
}

/// The fields of a valid annual cycle for everyone, with `changes` applied.
fn cycle_fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", "2026年度考核"),
        ("kind", "annual"),
        ("period_start", "2026-01-01"),
        ("period_end", "2026-12-31"),
        ("planning_until", "2026-01-31"),
        ("implementation_until", "2026-12-31"),
        ("assessment_until", "2027-01-31"),
        ("feedback_until", "2027-03-01"),
        ("report_frequency", "monthly"),
        ("participants", "all"),
        ("version", "1"),
    ];
    for (key, value) in changes {
        match fields.iter_mut().find(|(k, _)| k == key) {
            Some(field) => field.1 = value,
            None => fields.push((key, value)),
        }
    }
    fields
}

/// Creates a cycle through the form and returns its id.
async fn create_cycle(app: &TestApp, office: &mut Client, changes: &[(&str, &str)]) -> i64 {
    let page = office.post("/cycles", &cycle_fields(changes)).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let id: i64 = sqlx::query_scalar("select max(id) from cycle").fetch_one(&app.pool).await.unwrap();
    assert_eq!(page.location(), format!("/cycles/{id}"));
    id
}

async fn stage_of(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("select stage::text from cycle where id = $1").bind(id).fetch_one(&app.pool).await.unwrap()
}

#[tokio::test]
async fn the_performance_office_creates_an_annual_cycle_with_chosen_departments() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    let proposals = app.department("提案委员会办公室").await;
    staff_in(&app, "wang.fang", "王芳", research).await;
    staff_in(&app, "li.qiang", "李强", research).await;
    let left = staff_in(&app, "zhao.min", "赵敏", research).await;
    sqlx::query("update person set active = false where id = $1").bind(left).execute(&app.pool).await.unwrap();
    let auditor = app.person("qian.yu", "钱宇", &[(Role::Auditor, None)]).await;
    sqlx::query("update person set department_id = $1 where id = $2")
        .bind(research)
        .bind(auditor)
        .execute(&app.pool)
        .await
        .unwrap();
    let chosen = staff_in(&app, "sun.li", "孙丽", proposals).await.to_string();
    staff_in(&app, "zhou.jie", "周杰", proposals).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;

    let form = office.get("/cycles/new").await;
    form.assert_contains("value=\"2026年度考核\"");
    form.assert_contains("研究室");
    let research_text = research.to_string();
    let id = create_cycle(
        &app,
        &mut office,
        &[("participants", "chosen"), ("departments", &research_text), ("people", &chosen)],
    )
    .await;

    let page = office.get(&format!("/cycles/{id}")).await;
    page.assert_contains("已保存考核周期“2026年度考核”");
    page.assert_contains("共 3 人");
    for name in ["王芳", "李强", "孙丽"] {
        page.assert_contains(name);
    }
    for name in ["赵敏", "钱宇", "周杰"] {
        assert!(!page.body.contains(name), "{name} should not take part");
    }
    let list = office.get("/cycles").await;
    list.assert_contains("2026年度考核");
    list.assert_contains("<td class=\"num\">3</td>");
    let participants = db::cycles::participants(&mut app.pool.acquire().await.unwrap(), id).await.unwrap();
    assert_eq!(participants.len(), 3);
    assert_eq!(app.count("select count(*) from audit_log where action = 'cycle.created'").await, 1);
}

#[tokio::test]
async fn a_cycle_form_with_errors_comes_back_with_the_input_kept() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let fields = cycle_fields(&[
        ("name", " "),
        ("period_end", "2025-06-30"),
        ("feedback_until", "2027-01-15"),
        ("participants", "chosen"),
    ]);
    let page = office.post("/cycles", &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"name-error\"");
    page.assert_contains("截止日期不能早于起始日期");
    page.assert_contains("追踪反馈截止不能早于评估考核截止");
    page.assert_contains("请至少选择一个处室或一名人员");
    page.assert_contains("value=\"2027-01-15\"");
    assert_eq!(app.count("select count(*) from cycle").await, 0);

    create_cycle(&app, &mut office, &[]).await;
    let page = office.post("/cycles", &cycle_fields(&[])).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("已被使用");
}

#[tokio::test]
async fn a_stale_cycle_edit_is_refused_with_the_input_kept() {
    let app = TestApp::new().await;
    let mut first = app.signed_in(Role::PerformanceOffice).await;
    let id = create_cycle(&app, &mut first, &[]).await;
    let mut second = app.client();
    app.person("office.two", "绩效办二", &[(Role::PerformanceOffice, None)]).await;
    second.login("office.two", crate::support::PASSWORD).await;
    second.get(&format!("/cycles/{id}/edit")).await.assert_contains("value=\"2026年度考核\"");

    let page = first.post(&format!("/cycles/{id}"), &cycle_fields(&[("name", "2026年度考核（一）")])).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = second.post(&format!("/cycles/{id}"), &cycle_fields(&[("name", "2026年度考核（二）")])).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("id=\"conflict\"");
    page.assert_contains("2026年度考核（二）");
    let name: String =
        sqlx::query_scalar("select name from cycle where id = $1").bind(id).fetch_one(&app.pool).await.unwrap();
    assert_eq!(name, "2026年度考核（一）");
}

#[tokio::test]
async fn moving_from_planning_to_implementation_shows_the_checklist_and_is_audited() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    let wang = staff_in(&app, "wang.fang", "王芳", research).await;
    staff_in(&app, "li.qiang", "李强", research).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let id = create_cycle(&app, &mut office, &[]).await;

    let page = office.get(&format!("/cycles/{id}")).await;
    page.assert_contains("2 人尚未建立个人目标");
    page.assert_contains("1 个处室的处室目标尚未确认");
    page.assert_contains("id=\"advance-stage\"");
    assert!(!page.body.contains("id=\"revert-stage\""), "planning has no stage before it");

    sqlx::query("insert into target_set (cycle_id, level, department_id, person_id, status) values ($1, 'person', $2, $3, 'draft')")
        .bind(id)
        .bind(research)
        .bind(wang)
        .execute(&app.pool)
        .await
        .unwrap();
    let page = office.get(&format!("/cycles/{id}")).await;
    page.assert_contains("1 人尚未建立个人目标");
    page.assert_contains("1 人的个人目标尚未确认");

    let page = office.post(&format!("/cycles/{id}/stage"), &[("to", "implementation"), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(stage_of(&app, id).await, "implementation");
    let page = office.get(&format!("/cycles/{id}")).await;
    page.assert_contains("考核周期已进入“实施监督”环节");
    page.assert_contains("aria-current=\"step\"");
    page.assert_contains("已确认的目标 0 份");
    let summary: serde_json::Value =
        sqlx::query_scalar("select summary from audit_log where action = 'cycle.stage_changed'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(summary["from"], "planning");
    assert_eq!(summary["to"], "implementation");
}

#[tokio::test]
async fn moving_back_needs_a_reason_and_skipping_a_stage_is_refused() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let id = create_cycle(&app, &mut office, &[]).await;
    let path = format!("/cycles/{id}/stage");

    let page = office.post(&path, &[("to", "assessment"), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    office.get(page.location()).await.assert_contains("只能前进一个环节");
    assert_eq!(stage_of(&app, id).await, "planning");

    assert_eq!(office.post(&path, &[("to", "implementation"), ("version", "1")]).await.status, StatusCode::SEE_OTHER);
    let page = office.post(&path, &[("to", "planning"), ("reason", "  "), ("version", "2")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    office.get(page.location()).await.assert_contains("退回上一环节须填写理由");
    assert_eq!(stage_of(&app, id).await, "implementation");

    // A form from before the move is stale: the input is kept.
    let page = office.post(&path, &[("to", "planning"), ("reason", "补录目标"), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("补录目标");

    let page = office.post(&path, &[("to", "planning"), ("reason", "两个处室需补录目标"), ("version", "2")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(stage_of(&app, id).await, "planning");
    let history = office.get(&format!("/cycles/{id}")).await;
    history.assert_contains("两个处室需补录目标");
    history.assert_contains("实施监督 → 绩效计划");
    assert_eq!(app.count("select count(*) from audit_log where action = 'cycle.stage_changed'").await, 2);
}

#[tokio::test]
async fn participants_are_fixed_once_the_cycle_leaves_planning() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    let other = app.department("信息中心").await;
    staff_in(&app, "wang.fang", "王芳", research).await;
    staff_in(&app, "li.qiang", "李强", other).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let research_text = research.to_string();
    let id = create_cycle(&app, &mut office, &[("participants", "chosen"), ("departments", &research_text)]).await;
    office.post(&format!("/cycles/{id}/stage"), &[("to", "implementation"), ("version", "1")]).await;

    office.get(&format!("/cycles/{id}/edit")).await.assert_contains("参加人员不能再修改");
    let page =
        office.post(&format!("/cycles/{id}"), &cycle_fields(&[("name", "2026年度考核（改）"), ("version", "2")])).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let participants = db::cycles::participants(&mut app.pool.acquire().await.unwrap(), id).await.unwrap();
    assert_eq!(participants.iter().map(|p| p.full_name.as_str()).collect::<Vec<_>>(), vec!["王芳"]);
}

#[tokio::test]
async fn staff_cannot_reach_cycles_or_the_calendar() {
    let app = TestApp::new().await;
    let mut staff = app.signed_in(Role::Staff).await;
    assert_eq!(staff.get("/cycles").await.status, StatusCode::FORBIDDEN);
    assert_eq!(staff.post("/cycles", &cycle_fields(&[])).await.status, StatusCode::FORBIDDEN);
    assert_eq!(staff.get("/calendar").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        staff.post("/calendar", &[("date", "2026-11-11"), ("kind", "holiday")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.count("select count(*) from cycle").await + app.count("select count(*) from work_calendar").await,
        0
    );
}

#[tokio::test]
async fn the_office_adds_a_holiday_refuses_a_weekday_swap_and_removes_a_day() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let page = office.post("/calendar", &[("date", "2026-11-11"), ("kind", "holiday"), ("name", "机关调休")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/calendar?year=2026");
    let calendar = office.get(page.location()).await;
    calendar.assert_contains("id=\"day-2026-11-11\"");
    calendar.assert_contains("机关调休");
    calendar.assert_contains("全年工作日 260 天");

    let page = office.post("/calendar", &[("date", "2026-11-12"), ("kind", "workday"), ("name", "误填")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("调休上班日须为周六或周日");
    page.assert_contains("value=\"误填\"");
    // A holiday on a Saturday is accepted (docs/DOMAIN.md §4.1) and changes no count.
    let page = office.post("/calendar", &[("date", "2026-11-14"), ("kind", "holiday")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);

    let page = office.post("/calendar/2026-11-11/delete", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let calendar = office.get(page.location()).await;
    assert!(!calendar.body.contains("id=\"day-2026-11-11\""));
    calendar.assert_contains("全年工作日 261 天");
    assert_eq!(app.count("select count(*) from audit_log where action = 'calendar.day_saved'").await, 2);
    let removed: serde_json::Value =
        sqlx::query_scalar("select summary from audit_log where action = 'calendar.day_removed'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(removed["before"]["name"], "机关调休");
}

#[tokio::test]
async fn the_helper_adds_work_days_across_the_national_day_holidays() {
    let app = TestApp::new().await;
    let mut conn = app.pool.acquire().await.unwrap();
    assert_eq!(db::calendar::seed_official_2026(&mut conn).await.unwrap(), 39);
    assert_eq!(db::calendar::seed_official_2026(&mut conn).await.unwrap(), 0);
    drop(conn);
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let page = office.get("/calendar?year=2026&from=2026-09-30&days=1").await;
    page.assert_contains("2026-09-30 之后第 1 个工作日是 2026-10-08 周四");
    let page = office.get("/calendar?year=2026&from=2026-09-30&days=3").await;
    page.assert_contains("是 2026-10-10 周六");
    page.assert_contains("国庆节调休上班");
    let page = office.get("/calendar?year=2026&from=2026-09-30&days=abc").await;
    page.assert_contains("id=\"days-error\"");
}

#[tokio::test]
async fn official_weekend_holidays_can_be_entered_again_and_years_without_a_calendar_are_flagged() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    db::calendar::seed_official_2026(&mut app.pool.acquire().await.unwrap()).await.unwrap();
    let cycle: i64 = sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until, assessment_until, feedback_until)
         values ('2026年度考核', 'annual', '2026-01-01', '2026-12-31', '2026-01-31', '2026-12-31', '2027-01-31', '2027-03-01') returning id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    // The December report and the last stages fall in 2027, which has no calendar yet.
    let page = office.get(&format!("/cycles/{cycle}")).await;
    page.assert_contains("id=\"calendar-gaps\"");
    page.assert_contains("href=\"/calendar?year=2027\"");
    office.get("/calendar?year=2026").await.assert_contains("href=\"/calendar?year=2027\">2027</a>");

    // Saturday 3 January 2026 is part of the New Year holidays as published: removed, it can be entered again.
    let page = office.post("/calendar/2026-01-03/delete", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = office.post("/calendar", &[("date", "2026-01-03"), ("kind", "holiday"), ("name", "元旦")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(app.count("select count(*) from work_calendar where day = '2026-01-03' and kind = 'holiday'").await, 1);

    db::calendar::seed_official_years(&mut app.pool.acquire().await.unwrap()).await.unwrap();
    assert_eq!(app.count("select count(*) from work_calendar where day = '2027-01-01' and kind = 'holiday'").await, 1);
    assert!(!office.get(&format!("/cycles/{cycle}")).await.body.contains("id=\"calendar-gaps\""));
    assert!(!office.get("/calendar?year=2026").await.body.contains("id=\"calendar-gaps\""));
}

async fn names_in(app: &TestApp, id: i64) -> Vec<String> {
    let participants = db::cycles::participants(&mut app.pool.acquire().await.unwrap(), id).await.unwrap();
    participants.into_iter().map(|p| p.full_name).collect()
}

#[tokio::test]
async fn people_who_arrive_or_leave_after_planning_do_not_change_the_cycle() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    staff_in(&app, "wang.fang", "王芳", research).await;
    let leaver = staff_in(&app, "li.qiang", "李强", research).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let id = create_cycle(&app, &mut office, &[]).await;
    let page = office.post(&format!("/cycles/{id}/stage"), &[("to", "implementation"), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    staff_in(&app, "zhao.min", "赵敏", research).await;
    sqlx::query("update person set active = false where id = $1").bind(leaver).execute(&app.pool).await.unwrap();

    assert_eq!(names_in(&app, id).await, vec!["李强", "王芳"]);
    let mut newcomer = app.login_as("zhao.min").await;
    let page = newcomer.post("/plan/sets", &[("cycle_id", &id.to_string()), ("level", "person")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "a newcomer does not take part in a cycle under way");
    assert_eq!(app.count("select count(*) from target_set").await, 0);
}

#[tokio::test]
async fn the_office_adds_and_removes_a_participant_of_a_cycle_under_way() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    let stays = staff_in(&app, "wang.fang", "王芳", research).await;
    let leaver = staff_in(&app, "li.qiang", "李强", research).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let id = create_cycle(&app, &mut office, &[]).await;
    office.post(&format!("/cycles/{id}/stage"), &[("to", "implementation"), ("version", "1")]).await;
    let arrival = staff_in(&app, "zhao.min", "赵敏", research).await;

    let page = office.get(&format!("/cycles/{id}")).await;
    page.assert_contains("id=\"add-member-form\"");
    page.assert_contains(&format!("<option value=\"{arrival}\">赵敏"));

    let members = format!("/cycles/{id}/members");
    let page = office.post(&members, &[("person", &stays.to_string())]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "already taking part: not offered");
    page.assert_contains("请从列出的人员中选择");
    let page = office.post(&members, &[("person", "999999")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);

    let page = office.post(&members, &[("person", &arrival.to_string())]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = office.post(&format!("{members}/remove"), &[("person", &leaver.to_string())]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = office.post(&format!("{members}/remove"), &[("person", &leaver.to_string())]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "no longer taking part: not offered");

    assert_eq!(names_in(&app, id).await, vec!["王芳", "赵敏"]);
    assert_eq!(app.count("select count(*) from audit_log where action = 'cycle.member_added'").await, 1);
    assert_eq!(app.count("select count(*) from audit_log where action = 'cycle.member_removed'").await, 1);
    let page = office.get(&format!("/cycles/{id}")).await;
    page.assert_contains("增加参加人员");
    page.assert_contains("移出参加人员");
}

#[tokio::test]
async fn a_cycle_in_planning_offers_no_participant_changes() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    let person = staff_in(&app, "wang.fang", "王芳", research).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let id = create_cycle(&app, &mut office, &[]).await;
    assert!(!office.get(&format!("/cycles/{id}")).await.body.contains("add-member-form"));
    let page = office.post(&format!("/cycles/{id}/members/remove"), &[("person", &person.to_string())]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_quarterly_cycle_belongs_to_its_years_annual_cycle_and_each_page_links_the_other() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    office.get("/cycles/new").await;
    let annual = create_cycle(&app, &mut office, &[]).await;
    let annual_text = annual.to_string();
    let quarter = [
        ("name", "2026年第三季度平时考核"),
        ("kind", "quarterly"),
        ("period_start", "2026-07-01"),
        ("period_end", "2026-09-30"),
        ("planning_until", "2026-07-10"),
        ("implementation_until", "2026-09-30"),
        ("assessment_until", "2026-10-20"),
        ("feedback_until", "2026-10-31"),
        ("report_frequency", "quarterly"),
    ];
    // A quarter reaching past its year is refused beside the choice, the input kept.
    let late = [quarter.as_slice(), &[("period_end", "2027-01-31"), ("annual_cycle_id", &annual_text)]].concat();
    let page = office.post("/cycles", &cycle_fields(&late)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("季度考核期须在所属年度周期的考核期内");
    page.assert_contains("2026年第三季度平时考核");
    let id =
        create_cycle(&app, &mut office, &[quarter.as_slice(), &[("annual_cycle_id", &annual_text)]].concat()).await;
    let page = office.get(&format!("/cycles/{id}")).await;
    page.assert_contains(&format!("href=\"/cycles/{annual}\" id=\"annual-cycle-link\""));
    let page = office.get(&format!("/cycles/{annual}")).await;
    page.assert_contains("id=\"cycle-quarters\"");
    page.assert_contains("2026年第三季度平时考核");
    // An unknown annual cycle is a field error, not a failure.
    let page = office
        .post(
            "/cycles",
            &cycle_fields(&[quarter.as_slice(), &[("name", "另一季度"), ("annual_cycle_id", "999999")]].concat()),
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"annual_cycle_id-error\"");
}

//! Supervision items (督办事项) from opening to close-out, and the three-colour
//! slips the calendar raises for them.

use axum::http::StatusCode;
use calamine::Data;
use chrono::{Duration, NaiveDate};
use cppcc_perf::db::audit::AuditContext;
use cppcc_perf::domain::roles::Role;
use cppcc_perf::workflow::slips::issue_due_slips;

use crate::support::{Client, PASSWORD, TestApp, day, sheet_rows, table_rows};

/// An office with a department, the supervision officer and an assignee, both signed in.
struct Office {
    app: TestApp,
    department: i64,
    assignee: i64,
    officer: Client,
    staff: Client,
}

async fn office() -> Office {
    office_on(crate::support::test_day()).await
}

async fn office_on(today: NaiveDate) -> Office {
    let app = TestApp::on(today).await;
    let department = app.department("研究室").await;
    let assignee = app.person("zhou.min", "周敏", &[(Role::Staff, None)]).await;
    in_department(&app, assignee, department).await;
    let officer = app.signed_in(Role::SupervisionOfficer).await;
    let mut staff = app.client();
    staff.login("zhou.min", PASSWORD).await;
    Office { app, department, assignee, officer, staff }
}

/// Moves a person into a department.
async fn in_department(app: &TestApp, person: i64, department: i64) {
    sqlx::query("update person set department_id = $2 where id = $1")
        .bind(person)
        .bind(department)
        .execute(&app.pool)
        .await
        .unwrap();
}

impl Office {
    /// Opens an item through the form; its id.
    async fn open(&mut self, title: &str, due: NaiveDate) -> i64 {
        let department = self.department.to_string();
        let assignee = self.assignee.to_string();
        let due = due.to_string();
        let page = self
            .officer
            .post(
                "/supervision",
                &[
                    ("title", title),
                    ("content", "按会议要求形成调研报告"),
                    ("source", "meeting_decision"),
                    ("department_id", &department),
                    ("assignee_id", &assignee),
                    ("due_date", &due),
                    ("report_frequency", "monthly"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        page.location().trim_start_matches("/supervision/").parse().unwrap()
    }

    async fn status(&self, id: i64) -> String {
        sqlx::query_scalar("select status::text from supervision_item where id = $1")
            .bind(id)
            .fetch_one(&self.app.pool)
            .await
            .unwrap()
    }
}

/// Takes a step as `client` with the item's current version; the page after the redirect.
async fn step(app: &TestApp, client: &mut Client, id: i64, to: &str, note: &str) -> crate::support::Page {
    let version: i32 = sqlx::query_scalar("select version from supervision_item where id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let page = client
        .post(&format!("/supervision/{id}/step"), &[("to", to), ("note", note), ("version", &version.to_string())])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), format!("/supervision/{id}"));
    client.get(&format!("/supervision/{id}")).await
}

async fn issue(app: &TestApp, today: NaiveDate) -> usize {
    let mut tx = app.pool.begin().await.unwrap();
    let actor = AuditContext { actor_name: "后台任务".into(), ..Default::default() };
    let issued = issue_due_slips(&mut tx, today, &actor).await.unwrap();
    tx.commit().await.unwrap();
    issued
}

#[tokio::test]
async fn an_item_goes_from_registration_to_close_out_with_every_step_audited() {
    let mut o = office().await;
    o.officer.get("/supervision").await.assert_contains("id=\"new-supervision\"");
    o.officer.get("/supervision/new").await.assert_contains("id=\"supervision-form\"");
    let id = o.open("全会决定事项落实", o.app.today() + Duration::days(60)).await;
    let page = o.officer.get(&format!("/supervision/{id}")).await;
    page.assert_contains("已立项督办事项“全会决定事项落实”");
    page.assert_contains("id=\"step-assigned\"");
    assert_eq!(o.status(id).await, "registered");

    step(&o.app, &mut o.officer, id, "assigned", "请按期办理").await.assert_contains("已交办。");
    o.staff.get("/").await.assert_contains("1 项督办事项待签收");
    let page = step(&o.app, &mut o.staff, id, "acknowledged", "").await;
    page.assert_contains("已签收。");
    step(&o.app, &mut o.staff, id, "in_progress", "").await;
    step(&o.app, &mut o.staff, id, "done_reported", "报告已定稿").await.assert_contains("已报送办结报告。");
    o.officer.get("/").await.assert_contains("1 份督办事项办结报告待审核");
    step(&o.app, &mut o.officer, id, "verified", "").await;
    let page = step(&o.app, &mut o.officer, id, "closed", "同意销号").await;
    page.assert_contains("已销号。");
    page.assert_contains("同意销号");
    assert_eq!(o.status(id).await, "closed");

    let closed: bool = sqlx::query_scalar("select closed_at is not null from supervision_item where id = $1")
        .bind(id)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    assert!(closed);
    let steps: Vec<String> = sqlx::query_scalar(
        "select coalesce(from_status::text, '-') || '>' || to_status::text from supervision_event where item_id = $1 order by at, id",
    )
    .bind(id)
    .fetch_all(&o.app.pool)
    .await
    .unwrap();
    assert_eq!(
        steps,
        [
            "->registered",
            "registered>assigned",
            "assigned>acknowledged",
            "acknowledged>in_progress",
            "in_progress>done_reported",
            "done_reported>verified",
            "verified>closed"
        ]
    );
    let actions: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where object_type = 'supervision_item' and object_id = $1 order by id",
    )
    .bind(id.to_string())
    .fetch_all(&o.app.pool)
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "supervision_item.created",
            "supervision_item.assigned",
            "supervision_item.acknowledged",
            "supervision_item.in_progress",
            "supervision_item.done_reported",
            "supervision_item.verified",
            "supervision_item.closed"
        ]
    );
    // A closed item takes no more steps and shows no colour.
    let page = o.officer.get(&format!("/supervision/{id}")).await;
    assert!(!page.body.contains("id=\"step-form\""));
    page.assert_contains("data-colour=\"none\"");
}

#[tokio::test]
async fn a_rejected_done_report_returns_to_in_progress_and_twice_makes_the_item_yellow() {
    let mut o = office().await;
    let id = o.open("委员意见办理", o.app.today() + Duration::days(60)).await;
    step(&o.app, &mut o.officer, id, "assigned", "").await;
    for to in ["acknowledged", "in_progress", "done_reported"] {
        step(&o.app, &mut o.staff, id, to, "").await;
    }
    let page = step(&o.app, &mut o.officer, id, "in_progress", "  ").await;
    page.assert_contains("退回办结报告必须填写理由");
    assert_eq!(o.status(id).await, "done_reported");
    let page = step(&o.app, &mut o.officer, id, "in_progress", "缺少佐证材料").await;
    page.assert_contains("办结报告已退回");
    assert_eq!(o.status(id).await, "in_progress");
    o.officer.get("/supervision").await.assert_contains("data-colour=\"none\"");

    step(&o.app, &mut o.staff, id, "done_reported", "已补充").await;
    step(&o.app, &mut o.officer, id, "in_progress", "仍不完整").await;
    let returns: i32 = sqlx::query_scalar("select return_count from supervision_item where id = $1")
        .bind(id)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    assert_eq!(returns, 2);
    assert_eq!(o.app.count("select count(*) from audit_log where action = 'supervision_item.rejected'").await, 2);
    let list = o.officer.get("/supervision?colour=yellow").await;
    list.assert_contains(&format!("id=\"supervision-{id}\""));
    list.assert_contains("data-colour=\"yellow\"");
    o.staff.get(&format!("/supervision/{id}")).await.assert_contains("data-colour=\"yellow\"");
    assert_eq!(issue(&o.app, o.app.today()).await, 1);
    assert_eq!(o.app.count("select count(*) from supervision_slip where colour = 'yellow'").await, 1);
}

#[tokio::test]
async fn each_side_takes_only_its_own_steps_and_outsiders_are_refused() {
    let mut o = office().await;
    let id = o.open("上级交办事项", o.app.today() + Duration::days(30)).await;
    // The assignee cannot assign; the officer cannot acknowledge.
    let page = step(&o.app, &mut o.staff, id, "assigned", "").await;
    page.assert_contains("当前状态下您不能进行这一步");
    assert_eq!(o.status(id).await, "registered");
    step(&o.app, &mut o.officer, id, "assigned", "").await;
    step(&o.app, &mut o.officer, id, "acknowledged", "").await.assert_contains("当前状态下您不能进行这一步");
    assert_eq!(o.status(id).await, "assigned");
    // A stale form is refused with a message.
    let page = o.staff.post(&format!("/supervision/{id}/step"), &[("to", "acknowledged"), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    o.staff.get(&format!("/supervision/{id}")).await.assert_contains("已被他人修改");
    // The head of the department acts for the assignee side.
    o.app.person("head.yan", "严处长", &[(Role::DepartmentHead, Some(o.department))]).await;
    let mut head = o.app.client();
    head.login("head.yan", PASSWORD).await;
    step(&o.app, &mut head, id, "acknowledged", "").await.assert_contains("已签收。");
    // A staff member with no part in the item, and an auditor, cannot take steps.
    o.app.person("wu.lei", "吴磊", &[(Role::Staff, None)]).await;
    let mut outsider = o.app.client();
    outsider.login("wu.lei", PASSWORD).await;
    assert_eq!(outsider.get(&format!("/supervision/{id}")).await.status, StatusCode::FORBIDDEN);
    let page = outsider.post(&format!("/supervision/{id}/step"), &[("to", "in_progress"), ("version", "3")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(!outsider.get("/supervision").await.body.contains("上级交办事项"));
    let mut auditor = o.app.signed_in(Role::Auditor).await;
    auditor.get(&format!("/supervision/{id}")).await.assert_contains("上级交办事项");
    let page = auditor.post(&format!("/supervision/{id}/step"), &[("to", "in_progress"), ("version", "3")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(o.status(id).await, "acknowledged");
}

#[tokio::test]
async fn the_form_keeps_the_input_and_leaders_open_items_only_for_their_departments() {
    let mut o = office().await;
    let page = o
        .officer
        .post("/supervision", &[("title", "领导批示件"), ("source", "leader_instruction"), ("due_date", "2026-13-01")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("value=\"领导批示件\"");
    page.assert_contains("id=\"department_id-error\"");
    page.assert_contains("id=\"due_date-error\"");
    assert_eq!(o.app.count("select count(*) from supervision_item").await, 0);

    let other = o.app.department("信息中心").await;
    o.app.person("leader.he", "何副秘书长", &[(Role::SupervisingLeader, Some(o.department))]).await;
    let mut leader = o.app.client();
    leader.login("leader.he", PASSWORD).await;
    let form = leader.get("/supervision/new").await;
    // The lead department is one the leader oversees; any department may co-operate.
    let lead_choices = form.body.split("id=\"department_id\"").nth(1).unwrap().split("</select>").next().unwrap();
    assert!(lead_choices.contains("研究室"));
    assert!(!lead_choices.contains("信息中心"));
    form.assert_contains(&format!("name=\"co_department_ids\" value=\"{other}\""));
    let fields = |department: String| {
        vec![
            ("title", "分管领导交办".to_string()),
            ("source", "leader_instruction".into()),
            ("department_id", department),
            ("due_date", "2026-12-01".into()),
        ]
    };
    let refused = fields(other.to_string());
    let refused: Vec<(&str, &str)> = refused.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(leader.post("/supervision", &refused).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let own = fields(o.department.to_string());
    let own: Vec<(&str, &str)> = own.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = leader.post("/supervision", &own).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let id: i64 = page.location().trim_start_matches("/supervision/").parse().unwrap();
    // The leader supervises the item of the department it oversees.
    step(&o.app, &mut leader, id, "assigned", "").await.assert_contains("已交办。");
    // A head opens nothing.
    let mut head = o.app.signed_in(Role::DepartmentHead).await;
    assert_eq!(head.get("/supervision/new").await.status, StatusCode::FORBIDDEN);
}

/// An open item straight in the database, due on `due`.
async fn item_due(o: &Office, title: &str, due: NaiveDate) -> i64 {
    sqlx::query_scalar(
        "insert into supervision_item (title, source, department_id, assignee_id, opened_by, due_date, status)
         values ($1, 'annual_key_task', $2, $3, $3, $4, 'in_progress') returning id",
    )
    .bind(title)
    .bind(o.department)
    .bind(o.assignee)
    .bind(due)
    .fetch_one(&o.app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn slips_follow_the_calendar_across_the_national_day_holidays() {
    let o = office().await;
    o.app.seed_2026_calendar().await;
    sqlx::query("insert into ledger_item (code, text, points) values ('red_slip', '红色督办单', -1)")
        .execute(&o.app.pool)
        .await
        .unwrap();
    // On Wednesday 30 September, Friday 9 October is 2 work days away (8 and 9 October):
    // blue, although seven weekdays lie in between.
    let near = item_due(&o, "国庆后到期事项", day(10, 9)).await;
    let overdue = item_due(&o, "已逾期事项", day(9, 29)).await;
    let far = item_due(&o, "年底到期事项", day(12, 31)).await;
    assert_eq!(issue(&o.app, day(9, 30)).await, 2);
    let colour = |item: i64| {
        let pool = o.app.pool.clone();
        async move {
            sqlx::query_scalar::<_, Option<String>>(
                "select string_agg(colour::text, ',' order by id) from supervision_slip where item_id = $1",
            )
            .bind(item)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(colour(near).await.as_deref(), Some("blue"));
    assert_eq!(colour(overdue).await.as_deref(), Some("red"));
    assert_eq!(colour(far).await, None);
    // Ten work days to answer: 8, 9, 10 (swapped Saturday), 12–16, 19, 20 October.
    let answer_due: NaiveDate = sqlx::query_scalar("select answer_due from supervision_slip where item_id = $1")
        .bind(near)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    assert_eq!(answer_due, day(10, 20));
    let record: (String, i64, String, String) = sqlx::query_as(
        "select r.status::text, r.department_id, r.reason, r.source_key from ledger_record r join ledger_item l on l.id = r.item_id where l.code = 'red_slip'",
    )
    .fetch_one(&o.app.pool)
    .await
    .unwrap();
    assert_eq!(record.0, "pending");
    assert_eq!(record.1, o.department);
    assert_eq!(record.2, "红色督办单：已逾期事项");
    assert_eq!(record.3, format!("supervision_item_red:{overdue}"));
    assert_eq!(o.app.count("select count(*) from audit_log where action = 'supervision_slip.issued'").await, 2);

    // Running again the same day, or later the same week, adds nothing.
    assert_eq!(issue(&o.app, day(9, 30)).await, 0);
    assert_eq!(issue(&o.app, day(10, 2)).await, 0);
    assert_eq!(o.app.count("select count(*) from supervision_slip").await, 2);
    assert_eq!(o.app.count("select count(*) from ledger_record").await, 1);

    // The next week (Saturday 10 October is a working day): the near item is overdue now,
    // and the overdue one is reissued.
    assert_eq!(issue(&o.app, day(10, 10)).await, 2);
    assert_eq!(colour(near).await.as_deref(), Some("blue,red"));
    assert_eq!(colour(overdue).await.as_deref(), Some("red,red"));
    assert_eq!(colour(far).await, None);
    // One penalty per red item, not per reissued red slip: the near item's first, none more for the overdue one.
    assert_eq!(o.app.count("select count(*) from ledger_record").await, 2);
    // A closed item gets no more slips.
    sqlx::query("update supervision_item set status = 'closed' where id = $1")
        .bind(overdue)
        .execute(&o.app.pool)
        .await
        .unwrap();
    assert_eq!(issue(&o.app, day(10, 19)).await, 1);
}

#[tokio::test]
async fn a_red_item_is_penalised_once_and_again_only_after_the_weeks_the_year_sets() {
    let o = office().await;
    sqlx::query("insert into ledger_item (code, text, points) values ('red_slip', '红色督办单', -1)")
        .execute(&o.app.pool)
        .await
        .unwrap();
    let item = item_due(&o, "长期逾期事项", day(11, 2)).await;
    let penalties = || o.app.count("select count(*) from ledger_record where source_key like 'supervision_item_red:%'");
    // Red for four weeks (weeks 46 to 49), a red slip each week: one penalty.
    for today in [day(11, 9), day(11, 16), day(11, 23), day(11, 30)] {
        assert_eq!(issue(&o.app, today).await, 1);
    }
    assert_eq!(o.app.count("select count(*) from supervision_slip where colour = 'red'").await, 4);
    assert_eq!(penalties().await, 1);
    // The year says: again after every 2 further weeks red. Week 49 is 3 weeks after week 46: level 1
    // (the week's slip is issued again for the test).
    sqlx::query("insert into office_setting (year, settings) values (2026, '{\"red_slip_repeat_weeks\": 2}')")
        .execute(&o.app.pool)
        .await
        .unwrap();
    sqlx::query("delete from supervision_slip where issued_on = '2026-11-30'").execute(&o.app.pool).await.unwrap();
    assert_eq!(issue(&o.app, day(11, 30)).await, 1);
    assert_eq!(penalties().await, 2);
    // Weeks 50 and 51 are level 2: one more penalty, not two.
    assert_eq!(issue(&o.app, day(12, 7)).await, 1);
    assert_eq!(issue(&o.app, day(12, 14)).await, 1);
    assert_eq!(penalties().await, 3);
    let keys: Vec<String> =
        sqlx::query_scalar("select source_key from ledger_record order by id").fetch_all(&o.app.pool).await.unwrap();
    assert_eq!(
        keys,
        [
            format!("supervision_item_red:{item}"),
            format!("supervision_item_red:{item}:1"),
            format!("supervision_item_red:{item}:2")
        ]
    );
}

#[tokio::test]
async fn an_item_behind_its_time_line_turns_yellow() {
    let mut o = office().await;
    // Opened on 1 September, due at the end of the year: by 27 November more than half its time has
    // passed, and it has not been started.
    let unstarted: i64 = sqlx::query_scalar(
        "insert into supervision_item (title, source, department_id, assignee_id, opened_by, due_date, status, created_at)
         values ('迟迟未启动事项', 'annual_key_task', $1, $2, $2, '2026-12-31', 'acknowledged', '2026-09-01 10:00+08') returning id",
    )
    .bind(o.department)
    .bind(o.assignee)
    .fetch_one(&o.app.pool)
    .await
    .unwrap();
    // Started long ago and not heard of since September.
    let silent: i64 = sqlx::query_scalar(
        "insert into supervision_item (title, source, department_id, assignee_id, opened_by, due_date, status, created_at)
         values ('久未报进展事项', 'annual_key_task', $1, $2, $2, '2026-12-31', 'in_progress', '2026-03-02 10:00+08') returning id",
    )
    .bind(o.department)
    .bind(o.assignee)
    .fetch_one(&o.app.pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into supervision_event (item_id, at, to_status) values ($1, '2026-09-15 10:00+08', 'in_progress')",
    )
    .bind(silent)
    .execute(&o.app.pool)
    .await
    .unwrap();
    let page = o.officer.get(&format!("/supervision/{unstarted}")).await;
    page.assert_contains("data-colour=\"yellow\"");
    assert_eq!(issue(&o.app, o.app.today()).await, 1);
    let colour: String = sqlx::query_scalar("select colour::text from supervision_slip where item_id = $1")
        .bind(unstarted)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    assert_eq!(colour, "yellow");

    // The year asks for an update every reporting period (monthly): the silent item is behind too.
    sqlx::query("insert into office_setting (year, settings) values (2026, '{\"behind_missed_updates\": 1}')")
        .execute(&o.app.pool)
        .await
        .unwrap();
    assert_eq!(issue(&o.app, o.app.today()).await, 1);
    o.officer.get(&format!("/supervision/{silent}")).await.assert_contains("data-colour=\"yellow\"");
}

#[tokio::test]
async fn the_assignee_answers_a_slip_once_and_the_officer_issues_on_demand() {
    let mut o = office().await;
    let id = item_due(&o, "逾期未办结事项", o.app.today() - Duration::days(3)).await;
    let page = o.officer.post("/supervision/slips/issue", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    o.officer.get("/supervision").await.assert_contains("本次签发督办单 1 份");
    let page = o.officer.post("/supervision/slips/issue", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    o.officer.get("/supervision").await.assert_contains("本次签发督办单 0 份");
    // No red_slip item in the standard list: no penalty is proposed.
    assert_eq!(o.app.count("select count(*) from ledger_record").await, 0);

    let slip: i64 = sqlx::query_scalar("select id from supervision_slip where item_id = $1")
        .bind(id)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    o.staff.get("/").await.assert_contains("1 份督办单待答复");
    let page = o.staff.get(&format!("/supervision/{id}")).await;
    page.assert_contains(&format!("id=\"answer-slip-{slip}\""));
    page.assert_contains("badge slip-red");
    let answer = format!("/supervision/slips/{slip}/answer");
    assert_eq!(o.officer.post(&answer, &[("answer", "已督促")]).await.status, StatusCode::FORBIDDEN);
    o.staff.post(&answer, &[("answer", "  ")]).await;
    o.staff.get(&format!("/supervision/{id}")).await.assert_contains("请填写答复内容");
    let page = o.staff.post(&answer, &[("answer", "已排出时间表，月底前办结")]).await;
    assert_eq!(page.location(), format!("/supervision/{id}"));
    let page = o.staff.get(&format!("/supervision/{id}")).await;
    page.assert_contains("已答复督办单");
    page.assert_contains("已排出时间表，月底前办结");
    o.staff.post(&answer, &[("answer", "再次答复")]).await;
    o.staff.get(&format!("/supervision/{id}")).await.assert_contains("该督办单已答复");
    assert_eq!(o.app.count("select count(*) from audit_log where action = 'supervision_slip.answered'").await, 1);
    assert!(!o.staff.get("/").await.body.contains("督办单待答复"));
}

#[tokio::test]
async fn while_the_assignee_is_away_the_b_of_their_post_acts_for_them() {
    let mut office = office().await;
    let backup = office.app.person("wu.b", "吴备岗", &[(Role::Staff, None)]).await;
    sqlx::query("insert into post (department_id, title, a_holder_id, b_holder_id) values ($1, '调研岗', $2, $3)")
        .bind(office.department)
        .bind(office.assignee)
        .bind(backup)
        .execute(&office.app.pool)
        .await
        .unwrap();
    let today = office.app.today();
    let id = office.open("专题调研报告", today + Duration::days(30)).await;
    step(&office.app, &mut office.officer, id, "assigned", "").await;
    let mut b = office.app.client();
    b.login("wu.b", PASSWORD).await;
    // A is present: B has no part in the item.
    assert!(!b.get("/supervision").await.body.contains("专题调研报告"));
    assert!(!b.get("/").await.body.contains("督办事项待签收"));
    sqlx::query(
        "insert into absence (person_id, from_date, to_date, kind, recorded_by) values ($1, $2, $3, 'travel', $1)",
    )
    .bind(office.assignee)
    .bind(today - Duration::days(1))
    .bind(today + Duration::days(3))
    .execute(&office.app.pool)
    .await
    .unwrap();
    b.get("/supervision").await.assert_contains("专题调研报告");
    b.get("/").await.assert_contains("1 项督办事项待签收");
    let page = step(&office.app, &mut b, id, "acknowledged", "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(office.status(id).await, "acknowledged");
}

#[tokio::test]
async fn a_due_date_before_today_by_the_office_clock_is_refused_at_registration() {
    let app = TestApp::on(day(12, 7)).await;
    let department = app.department("研究室").await.to_string();
    let mut officer = app.signed_in(Role::SupervisionOfficer).await;
    let fields = |due: &'static str| {
        [
            ("title", "过期事项"),
            ("source", "meeting_decision"),
            ("department_id", department.as_str()),
            ("due_date", due),
            ("report_frequency", "monthly"),
        ]
    };
    let page = officer.post("/supervision", &fields("2026-12-04")).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("截止日期不能早于今天。");
    page.assert_contains("value=\"过期事项\"");
    page.assert_contains("value=\"2026-12-04\"");
    assert_eq!(app.count("select count(*) from supervision_item").await, 0);
    // Today itself is still a due date one can meet.
    assert_eq!(officer.post("/supervision", &fields("2026-12-07")).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_item_keeps_the_leaders_instruction_with_its_document_number() {
    let mut o = office().await;
    let department = o.department.to_string();
    let fields = [
        ("title", "关于加强委员履职服务的批示"),
        ("source", "leader_instruction"),
        ("department_id", department.as_str()),
        ("due_date", "2026-12-31"),
        ("report_frequency", "monthly"),
        ("instruction_doc_no", "市政协办〔2026〕12号"),
        ("instructed_by", "王主席"),
        ("instructed_on", "2026-11-20"),
    ];
    let page = o.officer.post("/supervision", &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = o.officer.get(page.location()).await;
    page.assert_contains("市政协办〔2026〕12号");
    page.assert_contains("王主席");
    page.assert_contains("2026-11-20");
    // A malformed instruction date is refused beside its field, the number kept.
    let mut bad = fields;
    bad[7] = ("instructed_on", "2026-11-31");
    let page = o.officer.post("/supervision", &bad).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"instructed_on-error\"");
    page.assert_contains("value=\"市政协办〔2026〕12号\"");
}

#[tokio::test]
async fn the_assignee_posts_progress_reports_and_a_missing_one_shows_on_the_list() {
    let mut o = office_on(day(10, 12)).await;
    let id = o.open("年度重点课题调研", day(12, 31)).await;
    step(&o.app, &mut o.officer, id, "assigned", "").await;
    let path = format!("/supervision/{id}/progress");
    // The supervisor side does not report progress; the assignee does.
    assert_eq!(o.officer.post(&path, &[("body", "代为报告"), ("percent", "")]).await.status, StatusCode::FORBIDDEN);
    let page = o.staff.post(&path, &[("body", "已完成调研提纲，走访三个区县"), ("percent", "30")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = o.staff.get(&format!("/supervision/{id}")).await;
    page.assert_contains("进展报告已提交。");
    page.assert_contains("已完成调研提纲，走访三个区县");
    page.assert_contains("30%");
    let page = o.staff.post(&path, &[("body", "超范围"), ("percent", "130")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    o.staff.get(&format!("/supervision/{id}")).await.assert_contains("完成进度应为 0 到 100 之间的整数。");
    assert_eq!(o.app.count("select count(*) from supervision_progress").await, 1);

    // October had its report: nothing is missing in November.
    o.app.clock.set_day(day(11, 2), 10);
    let list = o.officer.get("/supervision").await;
    assert!(!list.body.contains("进展报告缺报"), "{}", list.body);
    // November passed without one: the list and the item say so.
    o.app.clock.set_day(day(12, 1), 10);
    o.officer.get("/supervision").await.assert_contains("进展报告缺报");
    o.officer.get(&format!("/supervision/{id}")).await.assert_contains("上一报告周期的进展报告未按时提交。");
    o.staff.post(&path, &[("body", "形成报告初稿"), ("percent", "")]).await;
    assert!(!o.officer.get("/supervision").await.body.contains("进展报告缺报"));
}

#[tokio::test]
async fn an_extension_is_asked_by_the_assignee_side_and_decided_by_someone_else_on_the_supervisor_side() {
    let mut o = office().await;
    let due = o.app.today() + Duration::days(30);
    let later = (due + Duration::days(31)).to_string();
    let id = o.open("重点提案督办", due).await;
    step(&o.app, &mut o.officer, id, "assigned", "").await;
    let path = format!("/supervision/{id}/extensions");
    // Not later than the current due date, or without a reason: refused, nothing recorded.
    o.staff.post(&path, &[("requested_due", &due.to_string()), ("reason", "需要时间")]).await;
    o.staff.post(&path, &[("requested_due", &later), ("reason", " ")]).await;
    assert_eq!(o.app.count("select count(*) from supervision_extension").await, 0);
    // The officer is not on the assignee side.
    let page = o.officer.post(&path, &[("requested_due", &later), ("reason", "代为申请")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = o.staff.post(&path, &[("requested_due", &later), ("reason", "需补充赴区县调研")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    o.staff.get(&format!("/supervision/{id}")).await.assert_contains("延期申请已提交，待督办方审批。");
    o.staff.post(&path, &[("requested_due", &later), ("reason", "再次申请")]).await;
    assert_eq!(o.app.count("select count(*) from supervision_extension").await, 1);
    let request: i64 = sqlx::query_scalar("select id from supervision_extension").fetch_one(&o.app.pool).await.unwrap();
    let decide = format!("/supervision/extensions/{request}/decide");
    // The assignee cannot decide it.
    assert_eq!(o.staff.post(&decide, &[("decision", "approve")]).await.status, StatusCode::FORBIDDEN);
    // A rejection needs a reason.
    o.officer.post(&decide, &[("decision", "reject"), ("note", "")]).await;
    assert_eq!(o.app.count("select count(*) from supervision_extension where status = 'pending'").await, 1);
    let page = o.officer.post(&decide, &[("decision", "approve"), ("note", "同意")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = o.officer.get(&format!("/supervision/{id}")).await;
    page.assert_contains("已批准延期，办结时限已调整。");
    page.assert_contains(&format!("<dd id=\"item-due\">{later}</dd>"));
    page.assert_contains(&format!("延期 {due} → {later}"));
    assert_eq!(o.app.count("select count(*) from audit_log where action = 'supervision_extension.approved'").await, 1);
}

#[tokio::test]
async fn a_person_on_both_sides_never_decides_their_own_extension_request() {
    let mut o = office().await;
    let due = o.app.today() + Duration::days(30);
    let id = o.open("分管处室事项", due).await;
    step(&o.app, &mut o.officer, id, "assigned", "").await;
    let department = o.department;
    o.app
        .person(
            "he.both",
            "何处长",
            &[(Role::DepartmentHead, Some(department)), (Role::SupervisingLeader, Some(department))],
        )
        .await;
    let mut both = o.app.login_as("he.both").await;
    let later = (due + Duration::days(10)).to_string();
    let page =
        both.post(&format!("/supervision/{id}/extensions"), &[("requested_due", &later), ("reason", "人手不足")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let request: i64 = sqlx::query_scalar("select id from supervision_extension").fetch_one(&o.app.pool).await.unwrap();
    let decide = format!("/supervision/extensions/{request}/decide");
    assert!(!both.get(&format!("/supervision/{id}")).await.body.contains(&format!("approve-extension-{request}")));
    assert_eq!(both.post(&decide, &[("decision", "approve")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(o.app.count("select count(*) from supervision_extension where status = 'pending'").await, 1);
    o.officer.get(&format!("/supervision/{id}")).await.assert_contains(&format!("approve-extension-{request}"));
}

/// An approved department target of an open cycle; its id.
async fn approved_target(app: &TestApp, department: i64, title: &str) -> i64 {
    sqlx::query_scalar(
        "with c as (insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until, assessment_until, feedback_until, stage)
                    values ($3, 'annual', '2026-01-01', '2026-12-31', '2026-01-31', '2026-12-31', '2027-01-31', '2027-02-28', 'implementation') returning id),
              s as (insert into target_set (cycle_id, level, department_id, status) select id, 'department', $1, 'approved' from c returning id)
         insert into target (set_id, title, category, weight) select id, $2, 'routine', 100 from s returning id",
    )
    .bind(department)
    .bind(title)
    .bind(format!("{title}所在周期"))
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn an_item_serves_one_of_its_departments_approved_targets_and_no_other() {
    let mut o = office().await;
    let own = approved_target(&o.app, o.department, "提案办理质量提升").await;
    let other_department = o.app.department("信息中心").await;
    let foreign = approved_target(&o.app, other_department, "信息系统建设").await;
    let department = o.department.to_string();
    let fields = |target: String| {
        vec![
            ("title", "提案督办".to_string()),
            ("source", "annual_key_task".into()),
            ("department_id", department.clone()),
            ("due_date", "2026-12-31".into()),
            ("target_id", target),
        ]
    };
    o.officer.get("/supervision/new").await.assert_contains("提案办理质量提升");
    let refused = fields(foreign.to_string());
    let refused: Vec<(&str, &str)> = refused.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = o.officer.post("/supervision", &refused).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"target_id-error\"");
    page.assert_contains("value=\"提案督办\"");
    assert_eq!(o.app.count("select count(*) from supervision_item").await, 0);
    let accepted = fields(own.to_string());
    let accepted: Vec<(&str, &str)> = accepted.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = o.officer.post("/supervision", &accepted).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    o.officer.get(page.location()).await.assert_contains("id=\"item-target\">提案办理质量提升");
}

/// The fields of an item of `department` with `extra` fields.
fn item_fields<'a>(department: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("title", "全会提案督查"),
        ("source", "meeting_decision"),
        ("department_id", department),
        ("due_date", "2026-12-31"),
        ("report_frequency", "monthly"),
    ];
    fields.extend_from_slice(extra);
    fields
}

#[tokio::test]
async fn a_co_operating_department_reads_the_item_but_only_the_lead_department_carries_it_out() {
    let mut o = office_on(day(12, 1)).await;
    let co = o.app.department("信息中心").await;
    let elsewhere = o.app.department("办公室").await;
    let lead = o.department.to_string();
    let (co_text, assignee) = (co.to_string(), o.assignee.to_string());
    let fields = item_fields(&lead, &[("co_department_ids", &co_text), ("assignee_id", &assignee)]);
    let page = o.officer.post("/supervision", &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let id: i64 = page.location().trim_start_matches("/supervision/").parse().unwrap();
    let stored: Vec<i64> = sqlx::query_scalar("select department_id from supervision_co_department where item_id = $1")
        .bind(id)
        .fetch_all(&o.app.pool)
        .await
        .unwrap();
    assert_eq!(stored, vec![co]);
    let page = o.officer.get(&format!("/supervision/{id}")).await;
    page.assert_contains("牵头处室");
    page.assert_contains("<dd id=\"item-co-departments\">信息中心</dd>");
    o.officer.get("/supervision").await.assert_contains("协办：信息中心");
    step(&o.app, &mut o.officer, id, "assigned", "").await;

    // The co-operating head reads the item on the department's list, and takes no step.
    let mut co_head = o.app.signed_in_as("co.head", &[(Role::DepartmentHead, Some(co))]).await;
    co_head.get("/supervision").await.assert_contains("全会提案督查");
    co_head.get(&format!("/supervision?department={co}")).await.assert_contains("全会提案督查");
    let page = co_head.get(&format!("/supervision/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("id=\"step-form\""));
    assert!(!page.body.contains("id=\"progress-form\""));
    let refused = co_head.post(&format!("/supervision/{id}/step"), &[("to", "acknowledged"), ("version", "2")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = co_head.post(&format!("/supervision/{id}/progress"), &[("body", "协办进展")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(o.status(id).await, "assigned");
    // A head of a department with no part in it reads nothing.
    let mut other = o.app.signed_in_as("other.head", &[(Role::DepartmentHead, Some(elsewhere))]).await;
    assert_eq!(other.get(&format!("/supervision/{id}")).await.status, StatusCode::FORBIDDEN);
    assert!(!other.get("/supervision").await.body.contains("全会提案督查"));
    // The lead department's assignee carries it out.
    step(&o.app, &mut o.staff, id, "acknowledged", "").await;
    assert_eq!(o.status(id).await, "acknowledged");
}

#[tokio::test]
async fn co_operating_departments_are_checked_against_the_choices_and_never_the_lead() {
    let mut o = office_on(day(12, 1)).await;
    let lead = o.department.to_string();
    for (value, message) in
        [(lead.as_str(), "牵头处室不能同时作为协办处室。"), ("999999", "不是可选的选项"), ("abc", "取值无效")]
    {
        let page = o.officer.post("/supervision", &item_fields(&lead, &[("co_department_ids", value)])).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{value}: {}", page.body);
        page.assert_contains("id=\"co_department_ids-error\"");
        page.assert_contains(message);
        page.assert_contains("value=\"全会提案督查\"");
    }
    assert_eq!(o.app.count("select count(*) from supervision_item").await, 0);
}

#[tokio::test]
async fn the_assignee_is_chosen_from_the_lead_departments_people() {
    let mut o = office_on(day(12, 1)).await;
    let elsewhere = o.app.department("信息中心").await;
    let outsider = o.app.person("chen.xin", "陈信", &[(Role::Staff, None)]).await;
    in_department(&o.app, outsider, elsewhere).await;
    let lead = o.department.to_string();
    let outsider_text = outsider.to_string();
    let page = o.officer.post("/supervision", &item_fields(&lead, &[("assignee_id", &outsider_text)])).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    page.assert_contains("id=\"assignee_id-error\"");
    page.assert_contains("value=\"全会提案督查\"");
    // With the lead department chosen, only its people are offered.
    page.assert_contains(&format!("<option value=\"{outsider}\" data-department=\"{elsewhere}\" hidden disabled"));
    page.assert_contains(&format!("<option value=\"{}\" data-department=\"{}\">", o.assignee, o.department));
    assert_eq!(o.app.count("select count(*) from supervision_item").await, 0);
    // A leader sees only the people of the departments they oversee.
    o.app.person("leader.he", "何副秘书长", &[(Role::SupervisingLeader, Some(o.department))]).await;
    let mut leader = o.app.login_as("leader.he").await;
    let form = leader.get("/supervision/new").await;
    form.assert_contains("周敏");
    assert!(!form.body.contains("陈信"));
}

#[tokio::test]
async fn a_slip_for_a_due_date_missed_while_b_covered_is_charged_to_that_b() {
    let o = office_on(day(12, 7)).await;
    let backup = o.app.person("wu.b", "吴备岗", &[(Role::Staff, None)]).await;
    in_department(&o.app, backup, o.department).await;
    sqlx::query("insert into post (department_id, title, a_holder_id, b_holder_id) values ($1, '调研岗', $2, $3)")
        .bind(o.department)
        .bind(o.assignee)
        .bind(backup)
        .execute(&o.app.pool)
        .await
        .unwrap();
    // 周敏 was away over 30 November, the due date; 吴备岗 covered. 周敏 is back now.
    sqlx::query(
        "insert into absence (person_id, from_date, to_date, kind, recorded_by) values ($1, $2, $3, 'travel', $1)",
    )
    .bind(o.assignee)
    .bind(day(11, 26))
    .bind(day(12, 2))
    .execute(&o.app.pool)
    .await
    .unwrap();
    let missed = item_due(&o, "缺勤期间到期事项", day(11, 30)).await;
    // An item due while 周敏 was there stays 周敏's.
    let own = item_due(&o, "本人在岗时到期事项", day(12, 4)).await;
    cppcc_perf::tasks::run_once(&o.app.pool, day(12, 7)).await.unwrap();
    let pool = &o.app.pool;
    let charged = |item: i64| async move {
        sqlx::query_scalar::<_, Option<i64>>("select charged_to from supervision_slip where item_id = $1")
            .bind(item)
            .fetch_one(pool)
            .await
            .unwrap()
    };
    assert_eq!(charged(missed).await, Some(backup));
    assert_eq!(charged(own).await, Some(o.assignee));
    // The B is told, reads the item on the list and its page, and answers the slip charged to them.
    let notices = o
        .app
        .count(&format!(
            "select count(*) from notification where person_id = {backup} and message = 'notify-slip-issued'"
        ))
        .await;
    assert_eq!(notices, 1);
    let mut b = o.app.login_as("wu.b").await;
    let list = b.get("/supervision").await;
    list.assert_contains("缺勤期间到期事项");
    assert!(!list.body.contains("本人在岗时到期事项"));
    let page = b.get(&format!("/supervision/{missed}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("责任人：吴备岗");
    page.assert_contains("A 角请假期间由 B 角负责");
    let slip: i64 = sqlx::query_scalar("select id from supervision_slip where item_id = $1")
        .bind(missed)
        .fetch_one(&o.app.pool)
        .await
        .unwrap();
    let page =
        b.post(&format!("/supervision/slips/{slip}/answer"), &[("answer", "代岗期间未按时办结，已说明情况")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(b.get(&format!("/supervision/{own}")).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_list_exports_the_items_the_viewer_sees_with_their_colours() {
    let mut o = office().await;
    let calm = o.open("全年重点工作督查", o.app.today() + Duration::days(90)).await;
    let behind = o.open("委员提案办理督查", o.app.today() + Duration::days(90)).await;
    // Two rejected done reports make an item yellow (docs/DOMAIN.md §8.4).
    sqlx::query("update supervision_item set return_count = 2 where id = $1")
        .bind(behind)
        .execute(&o.app.pool)
        .await
        .unwrap();
    let page = o.officer.get("/supervision").await;
    page.assert_contains("href=\"/supervision.xlsx\"");
    let sheet = o.officer.get("/supervision.xlsx").await.xlsx();
    assert!(matches!(sheet.get_value((0, 0)), Some(Data::String(title)) if title.starts_with("督办事项")));
    assert_eq!(sheet.get_value((2, 0)), Some(&Data::String("督办颜色".into())));
    assert_eq!(sheet.get_value((2, 6)), Some(&Data::String("办结时限".into())));
    let rows = sheet_rows(&sheet);
    assert_eq!(rows.len(), table_rows(&page, "supervision-"), "the rows the page shows");
    assert_eq!(rows.len(), 2);
    let row = |title: &str| rows.iter().position(|r| r[1] == title).unwrap() as u32 + 3;
    assert_eq!(sheet.get_value((row("委员提案办理督查"), 0)), Some(&Data::String("黄色督办单".into())));
    assert_eq!(sheet.get_value((row("全年重点工作督查"), 0)), Some(&Data::String("无".into())));
    assert_eq!(sheet.get_value((row("全年重点工作督查"), 3)), Some(&Data::String("研究室".into())));
    assert_eq!(sheet.get_value((row("全年重点工作督查"), 5)), Some(&Data::String("周敏".into())));
    assert!(matches!(sheet.get_value((3, 6)), Some(Data::DateTime(_))), "the due date stays a date");
    assert!(matches!(sheet.get_value((3, 8)), Some(Data::Float(_))), "the unanswered slips stay a number");

    // The colour filter narrows the file as it narrows the page.
    let page = o.officer.get("/supervision?colour=yellow").await;
    page.assert_contains("href=\"/supervision.xlsx?colour=yellow\"");
    let sheet = o.officer.get("/supervision.xlsx?colour=yellow").await.xlsx();
    assert_eq!(sheet_rows(&sheet).len(), table_rows(&page, "supervision-"));
    assert_eq!(sheet_rows(&sheet).len(), 1);
    assert_eq!(sheet.get_value((3, 1)), Some(&Data::String("委员提案办理督查".into())));
    assert!(!page.body.contains(&format!("id=\"supervision-{calm}\"")));

    // Someone outside the items' departments exports none of them; a visitor is sent to sign in.
    let elsewhere = o.app.department("办公室").await;
    let mut other = o.app.signed_in_as("other.head", &[(Role::DepartmentHead, Some(elsewhere))]).await;
    assert!(sheet_rows(&other.get("/supervision.xlsx").await.xlsx()).is_empty());
    let refused = o.app.client().get("/supervision.xlsx").await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert!(refused.location().starts_with("/login"));
}

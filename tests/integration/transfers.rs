//! Transfers between departments (docs/DOMAIN.md §2.7): the dated department
//! history written on every move, the assessing department fixed as a cycle
//! enters assessment, the former head's rating, and the notes on the pages.

use axum::http::StatusCode;
use cppcc_perf::domain::roles::Role;
use serde_json::Value;

use crate::support::{Page, TestApp, day};

/// Records that `person` has been in `to` since `on` (before: `from`), as
/// the person form would have on that day.
async fn moved(app: &TestApp, person: i64, from: i64, to: i64, on: &str) {
    sqlx::query(
        "insert into department_history (person_id, from_day, department_id)
         values ($1, '-infinity', $2), ($1, $4::date, $3)",
    )
    .bind(person)
    .bind(from)
    .bind(to)
    .bind(on)
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("update person set department_id = $2 where id = $1")
        .bind(person)
        .bind(to)
        .execute(&app.pool)
        .await
        .unwrap();
}

struct Office {
    research: i64,
    general: i64,
    cycle: i64,
    /// Moved from 研究室 to 办公室 on 20 August: 50 of the quarter's 92 days in 研究室.
    long: i64,
    /// Moved on 10 August: 40 of 92 days in 研究室.
    short: i64,
    research_head: i64,
    general_head: i64,
}

/// 研究室 and 办公室, each with a head and a staff member who stayed; two
/// people moved from 研究室 to 办公室 in August; the third quarter of 2026 in
/// implementation, its participants frozen for the departments they had on 1 July.
async fn office(app: &TestApp) -> Office {
    let research = app.department("研究室").await;
    let general = app.department("办公室").await;
    let staff = [(Role::Staff, None)];
    let research_head =
        app.member("li.head", "李处长", research, &[(Role::Staff, None), (Role::DepartmentHead, Some(research))]).await;
    let general_head =
        app.member("zhou.head", "周主任", general, &[(Role::Staff, None), (Role::DepartmentHead, Some(general))]).await;
    app.member("sun.c", "孙丙", research, &staff).await;
    app.member("qian.d", "钱丁", general, &staff).await;
    let long = app.member("wang.a", "王甲", research, &staff).await;
    let short = app.member("zhao.b", "赵乙", research, &staff).await;
    let cycle: i64 = sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until,
                            assessment_until, feedback_until, stage, participants_frozen)
         values ('2026年第三季度平时考核', 'quarterly', '2026-07-01', '2026-09-30', '2026-07-10', '2026-09-30',
                 '2026-10-31', '2026-11-30', 'implementation', true) returning id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into cycle_member (cycle_id, person_id, department_id)
         select $1, id, department_id from person where department_id is not null",
    )
    .bind(cycle)
    .execute(&app.pool)
    .await
    .unwrap();
    moved(app, long, research, general, "2026-08-20").await;
    moved(app, short, research, general, "2026-08-10").await;
    Office { research, general, cycle, long, short, research_head, general_head }
}

/// The part of a scores page under the unit heading `name`.
fn unit<'a>(page: &'a Page, name: &str) -> &'a str {
    let heading = format!("\">{name}</h2>");
    let start = page.body.find(&heading).unwrap_or_else(|| panic!("no unit {name}"));
    let rest = &page.body[start..];
    let end = rest[heading.len()..].find("<h2").map(|i| i + heading.len()).unwrap_or(rest.len());
    &rest[..end]
}

#[tokio::test]
async fn moving_a_person_between_departments_writes_history_rows_dated_by_the_app_clock() {
    let app = TestApp::on(day(7, 1)).await;
    let research = app.department("研究室").await;
    let general = app.department("办公室").await;
    let person = app.member("sun.li", "孙丽", research, &[(Role::Staff, None)]).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let post = async |office: &mut crate::support::Client, department: i64, version: &str| {
        let department = department.to_string();
        let fields = [
            ("username", "sun.li"),
            ("full_name", "孙丽"),
            ("identity_type", "civil_servant"),
            ("department_id", department.as_str()),
            ("version", version),
        ];
        office.post(&format!("/org/people/{person}"), &fields).await
    };
    // Saving without a change of department records nothing.
    assert_eq!(post(&mut office, research, "1").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from department_history where from_day <> '-infinity'").await, 0);
    // Moved to 办公室 on 1 July: the department before is kept for the earlier days.
    assert_eq!(post(&mut office, general, "2").await.status, StatusCode::SEE_OTHER);
    app.clock.set_day(day(9, 15), 10);
    // Back to 研究室 on 15 September.
    assert_eq!(post(&mut office, research, "3").await.status, StatusCode::SEE_OTHER);
    let rows: Vec<(String, Option<i64>)> = sqlx::query_as(
        "select from_day::text, department_id from department_history where person_id = $1 order by from_day",
    )
    .bind(person)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![
            ("-infinity".to_string(), Some(research)),
            ("2026-07-01".to_string(), Some(general)),
            ("2026-09-15".to_string(), Some(research)),
        ]
    );
    let on = |d: &'static str| {
        sqlx::query_scalar::<_, Option<i64>>("select department_on($1, $2::date)").bind(person).bind(d)
    };
    assert_eq!(on("2026-06-30").fetch_one(&app.pool).await.unwrap(), Some(research));
    assert_eq!(on("2026-08-01").fetch_one(&app.pool).await.unwrap(), Some(general));
    assert_eq!(on("2026-09-15").fetch_one(&app.pool).await.unwrap(), Some(research));
    // The person's page shows each spell from its first to its last day.
    let page = office.get(&format!("/org/people/{person}/edit")).await;
    page.assert_contains("处室变动记录");
    let history = &page.body[page.body.find("id=\"department-history\"").unwrap()..];
    let spells: Vec<&str> = ["2026-09-15", "至今", "2026-07-01", "2026-09-14", "办公室", "2026-06-30", "研究室"]
        .into_iter()
        .filter(|text| history.contains(text))
        .collect();
    assert_eq!(spells.len(), 7, "{history}");
    assert!(history.find("2026-09-15").unwrap() < history.find("2026-07-01").unwrap(), "newest first");
}

#[tokio::test]
async fn a_person_created_on_the_form_starts_their_history_on_the_day() {
    let app = TestApp::on(day(3, 2)).await;
    let research = app.department("研究室").await.to_string();
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let page = admin
        .post(
            "/org/people",
            &[
                ("username", "new.one"),
                ("full_name", "新人"),
                ("identity_type", "civil_servant"),
                ("department_id", &research),
                ("active", "on"),
                ("roles", "staff"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let recorded = app
        .count(
            "select count(*) from department_history h join person p on p.id = h.person_id
             where p.username = 'new.one' and h.from_day = '2026-03-02' and h.department_id = p.department_id",
        )
        .await;
    assert_eq!(recorded, 1);
}

#[tokio::test]
async fn a_participant_transferred_mid_period_is_ranked_with_the_new_department_once_the_cycle_is_assessed() {
    let app = TestApp::on(day(10, 8)).await;
    app.seed_2026_calendar().await;
    let o = office(&app).await;
    let department_of = async |person: i64| -> Option<i64> {
        sqlx::query_scalar("select department_id from cycle_member where cycle_id = $1 and person_id = $2")
            .bind(o.cycle)
            .bind(person)
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    assert_eq!(department_of(o.long).await, Some(o.research));
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    let page = perf.post(&format!("/cycles/{}/stage", o.cycle), &[("to", "assessment"), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(department_of(o.long).await, Some(o.general));
    assert_eq!(department_of(o.short).await, Some(o.general));
    assert_eq!(department_of(o.research_head).await, Some(o.research));
    // The move is audited, with the stage move.
    let summary: Value = sqlx::query_scalar(
        "select summary from audit_log where action = 'cycle.members_transferred' and object_id = $1::text",
    )
    .bind(o.cycle)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(summary["on"], "2026-09-30");
    let moved: Vec<i64> =
        summary["moved"].as_array().unwrap().iter().map(|m| m["person_id"].as_i64().unwrap()).collect();
    assert_eq!(moved.len(), 2);
    assert!(moved.contains(&o.long) && moved.contains(&o.short));
    assert!(summary["moved"].as_array().unwrap().iter().all(|m| m["from"] == o.research && m["to"] == o.general));
    perf.get(&format!("/cycles/{}", o.cycle)).await.assert_contains("期内调动人员按期末所在处室考核");
    // The ranking lists them under 办公室 with a note of where they came from.
    let scores = perf.get(&format!("/assess/cycles/{}/scores", o.cycle)).await;
    assert_eq!(scores.status, StatusCode::OK, "{}", scores.body);
    let general = unit(&scores, "办公室");
    assert!(general.contains(&format!("id=\"score-{}\"", o.long)), "{general}");
    assert!(general.contains("调入 (原单位 研究室, 2026-08-20)"), "{general}");
    assert!(general.contains("调入 (原单位 研究室, 2026-08-10)"), "{general}");
    let research = unit(&scores, "研究室");
    assert!(!research.contains(&format!("id=\"score-{}\"", o.long)));
    assert!(!research.contains("调入"));
    // And the person's quarterly breakdown.
    let breakdown = perf.get(&format!("/assess/cycles/{}/people/{}", o.cycle, o.long)).await;
    breakdown.assert_contains("调入 (原单位 研究室, 2026-08-20)");
    let stayed = perf.get(&format!("/assess/cycles/{}/people/{}", o.cycle, o.research_head)).await;
    assert!(!stayed.body.contains("调入"));
}

#[tokio::test]
async fn the_former_head_rates_a_person_who_spent_more_than_half_the_period_in_their_department() {
    let app = TestApp::on(day(10, 8)).await;
    let o = office(&app).await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.post(&format!("/cycles/{}/stage", o.cycle), &[("to", "assessment"), ("version", "1")]).await;
    let page = perf.post(&format!("/cycles/{}/rating-tasks", o.cycle), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let head_raters = async |ratee: i64| -> Vec<i64> {
        sqlx::query_scalar(
            "select rater_id from rating_task where cycle_id = $1 and ratee_id = $2 and rater_kind = 'head'
             order by rater_id",
        )
        .bind(o.cycle)
        .bind(ratee)
        .fetch_all(&app.pool)
        .await
        .unwrap()
    };
    // 50 of 92 days in 研究室: its head is asked too.
    let mut both = vec![o.research_head, o.general_head];
    both.sort();
    assert_eq!(head_raters(o.long).await, both);
    // 40 of 92 days: only the head of 办公室.
    assert_eq!(head_raters(o.short).await, vec![o.general_head]);
    // The former head sees the task among their own.
    let mut head = app.login_as("li.head").await;
    head.get("/assess/ballots").await.assert_contains("王甲");
}

#[tokio::test]
async fn the_share_that_brings_in_the_former_head_is_the_years_setting() {
    let app = TestApp::on(day(10, 8)).await;
    let o = office(&app).await;
    // 40 of 92 days is 43 %: more than a share of 40 %.
    sqlx::query("insert into office_setting (year, settings) values (2026, '{\"transfer_consult_percent\": 40}')")
        .execute(&app.pool)
        .await
        .unwrap();
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.post(&format!("/cycles/{}/stage", o.cycle), &[("to", "assessment"), ("version", "1")]).await;
    perf.post(&format!("/cycles/{}/rating-tasks", o.cycle), &[]).await;
    let raters: Vec<i64> = sqlx::query_scalar(
        "select rater_id from rating_task where cycle_id = $1 and ratee_id = $2 and rater_kind = 'head'
         order by rater_id",
    )
    .bind(o.cycle)
    .bind(o.short)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let mut both = vec![o.research_head, o.general_head];
    both.sort();
    assert_eq!(raters, both);
}

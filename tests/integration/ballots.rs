//! Rater tasks and ballots: generating who rates whom from the organisation,
//! casting a ballot (every criterion, frozen once cast), and the anonymity of
//! democratic ballots in the database and the audit log.

use axum::http::StatusCode;
use cppcc_perf::domain::assessment::Scheme;
use cppcc_perf::domain::roles::Role;

use crate::support::{Client, TestApp};

struct Office {
    cycle: i64,
    head: i64,
    a: i64,
    b: i64,
}

async fn member(app: &TestApp, username: &str, name: &str, department: i64, grants: &[(Role, Option<i64>)]) -> i64 {
    let id = app.person(username, name, grants).await;
    sqlx::query("update person set department_id = $2 where id = $1")
        .bind(id)
        .bind(department)
        .execute(&app.pool)
        .await
        .unwrap();
    id
}

/// 研究室: its head and three staff, a supervising leader, the principal
/// leader, and a quarterly cycle in the assessment stage.
async fn office(app: &TestApp) -> Office {
    let d = app.department("研究室").await;
    let head = member(app, "li.head", "李处长", d, &[(Role::Staff, None), (Role::DepartmentHead, Some(d))]).await;
    let a = member(app, "wang.a", "王甲", d, &[(Role::Staff, None)]).await;
    let b = member(app, "zhao.b", "赵乙", d, &[(Role::Staff, None)]).await;
    member(app, "sun.c", "孙丙", d, &[(Role::Staff, None)]).await;
    app.person("liu.leader", "刘副秘书长", &[(Role::SupervisingLeader, Some(d))]).await;
    app.person("chen.principal", "陈秘书长", &[(Role::PrincipalLeader, None)]).await;
    let cycle: i64 = sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until,
                            assessment_until, feedback_until, stage)
         values ('2026年第三季度平时考核', 'quarterly', '2026-07-01', '2026-09-30', '2026-07-10', '2026-09-30',
                 '2026-12-20', '2026-12-31', 'assessment') returning id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    Office { cycle, head, a, b }
}

/// Every ballot criterion of the staff scheme at one level.
fn ballot(level: &'static str) -> Vec<(String, String)> {
    Scheme::default_staff(2026).ballot_criteria().map(|c| (c.key.clone(), level.to_string())).collect()
}

async fn cast(client: &mut Client, path: &str, fields: &[(String, String)]) -> crate::support::Page {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    client.post(path, &refs).await
}

#[tokio::test]
async fn the_office_generates_who_rates_whom_and_each_rater_sees_exactly_their_people() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.get(&format!("/cycles/{}", o.cycle)).await.assert_contains("id=\"generate-rating-tasks\"");
    let page = perf.post(&format!("/cycles/{}/rating-tasks", o.cycle), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // Each of three staff: the head, three colleagues (democratic), the leader = 5;
    // the head: three colleagues, the leader, the principal leader = 5.
    assert_eq!(app.count("select count(*) from rating_task").await, 20);
    // Generating again adds nothing.
    perf.post(&format!("/cycles/{}/rating-tasks", o.cycle), &[]).await;
    assert_eq!(app.count("select count(*) from rating_task").await, 20);
    let mut a = app.login_as("wang.a").await;
    let list = a.get("/assess/ballots").await;
    list.assert_contains("李处长");
    list.assert_contains("赵乙");
    list.assert_contains("孙丙");
    list.assert_contains("已完成 0 / 3");
    let mut principal = app.login_as("chen.principal").await;
    let list = principal.get("/assess/ballots").await;
    list.assert_contains("李处长");
    assert!(!list.body.contains("王甲"), "the principal leader rates the heads only");
    let _ = o.head;
}

#[tokio::test]
async fn a_democratic_ballot_needs_every_criterion_is_frozen_once_cast_and_names_no_rater() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.post(&format!("/cycles/{}/rating-tasks", o.cycle), &[]).await;
    let mut a = app.login_as("wang.a").await;
    let path = format!("/assess/ballots/{}/{}/democratic", o.cycle, o.b);
    let form = a.get(&path).await;
    form.assert_contains("id=\"ballot-anonymous\"");
    // One criterion left out: refused, the other choices kept.
    let mut partial = ballot("good");
    let left_out = partial.remove(0).0;
    let page = cast(&mut a, &path, &partial).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains(&format!("id=\"{left_out}-error\""));
    page.assert_contains("value=\"good\" checked");
    assert_eq!(app.count("select count(*) from ballot").await, 0);
    let page = cast(&mut a, &path, &ballot("excellent")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // Frozen: the ballot is not offered again, a second one is refused and nothing changes.
    let again = a.get(&path).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    assert_eq!(again.location(), "/assess/ballots");
    a.get("/assess/ballots").await.assert_contains("这项测评已经提交过");
    cast(&mut a, &path, &ballot("poor")).await;
    assert_eq!(app.count("select count(*) from ballot").await, 1);
    assert_eq!(app.count("select count(*) from ballot where rater_id is not null").await, 0);
    assert_eq!(app.count("select count(*) from ballot where levels::text like '%poor%'").await, 0);
    // Neither the audit log nor the task list ties the ballot to whom it rated.
    let audited: Vec<String> =
        sqlx::query_scalar("select summary::text || object_id from audit_log where action = 'ballot.cast'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(audited.len(), 1);
    assert!(!audited[0].contains(&o.b.to_string()), "{audited:?}");
    assert!(!audited[0].contains("excellent"));
    let list = a.get("/assess/ballots").await;
    list.assert_contains("已完成 1 / 3");
    // Nobody else opens a's task, and a opens no task of theirs.
    let mut b = app.login_as("zhao.b").await;
    assert_eq!(b.get(&path).await.status, StatusCode::NOT_FOUND);
    let other = format!("/assess/ballots/{}/{}/head", o.cycle, o.a);
    assert_eq!(a.get(&other).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_heads_ballot_is_named_and_ballots_close_with_the_assessment_stage() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.post(&format!("/cycles/{}/rating-tasks", o.cycle), &[]).await;
    let mut head = app.login_as("li.head").await;
    let path = format!("/assess/ballots/{}/{}/head", o.cycle, o.a);
    let page = cast(&mut head, &path, &ballot("good")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let rater: Option<i64> =
        sqlx::query_scalar("select rater_id from ballot where rater_kind = 'head'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(rater, Some(o.head));
    sqlx::query("update cycle set stage = 'feedback' where id = $1").bind(o.cycle).execute(&app.pool).await.unwrap();
    let path = format!("/assess/ballots/{}/{}/head", o.cycle, o.b);
    assert_eq!(head.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(cast(&mut head, &path, &ballot("good")).await.status, StatusCode::NOT_FOUND);
    // Tasks are generated only in the assessment stage.
    let page = perf.post(&format!("/cycles/{}/rating-tasks", o.cycle), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from audit_log where action = 'rating_tasks.generated'").await, 1);
}

#[tokio::test]
async fn scores_rank_each_department_and_a_breakdown_withholds_a_democratic_group_below_three_ballots() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.post(&format!("/cycles/{}/rating-tasks", o.cycle), &[]).await;
    let mut head = app.login_as("li.head").await;
    let page = cast(&mut head, &format!("/assess/ballots/{}/{}/head", o.cycle, o.a), &ballot("excellent")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let mut b = app.login_as("zhao.b").await;
    cast(&mut b, &format!("/assess/ballots/{}/{}/democratic", o.cycle, o.a), &ballot("good")).await;

    let scores = perf.get(&format!("/assess/cycles/{}/scores", o.cycle)).await;
    assert_eq!(scores.status, StatusCode::OK, "{}", scores.body);
    scores.assert_contains("研究室");
    scores.assert_contains(&format!("/assess/cycles/{}/people/{}", o.cycle, o.a));
    scores.assert_contains("“好”等次名额已用");
    // a's breakdown: the head's ballot counts (优秀 = 100 on every ballot criterion);
    // one democratic ballot is below the minimum of three: withheld, weights rescaled.
    let path = format!("/assess/cycles/{}/people/{}", o.cycle, o.a);
    let own = app.login_as("wang.a").await.get(&path).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    own.assert_contains("票数不足，不公开、不计入");
    own.assert_contains("id=\"score-renormalised\"");
    own.assert_contains("id=\"completion-source\"");
    // A colleague does not read a's breakdown; the head does.
    assert_eq!(b.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(head.get(&path).await.status, StatusCode::OK);
    assert_eq!(b.get(&format!("/assess/cycles/{}/scores", o.cycle)).await.status, StatusCode::FORBIDDEN);
    // Before the assessment stage there are no scores to show.
    sqlx::query("update cycle set stage = 'implementation' where id = $1")
        .bind(o.cycle)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(perf.get(&format!("/assess/cycles/{}/scores", o.cycle)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_disciplinary_action_in_force_in_the_period_scores_integrity_at_the_poor_level() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    sqlx::query(
        "insert into discipline_record (person_id, measure, decided_on, from_date, to_date, recorded_by)
         values ($1, 'warning', '2026-08-03', '2026-08-03', '2027-02-02', $1)",
    )
    .bind(o.a)
    .execute(&app.pool)
    .await
    .unwrap();
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    let page = perf.get(&format!("/assess/cycles/{}/people/{}", o.cycle, o.a)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // 廉 10 points × 55 % (较差) = 5.5; a colleague without a record gets all 10.
    page.assert_contains(">55<");
    page.assert_contains(">5.5<");
    let page = perf.get(&format!("/assess/cycles/{}/people/{}", o.cycle, o.b)).await;
    page.assert_contains(">100<");
}

#[tokio::test]
async fn an_annual_ranking_applies_the_gates_before_the_excellent_quota() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let annual: i64 = sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until,
                            assessment_until, feedback_until, stage)
         values ('2026年度考核', 'annual', '2026-01-01', '2026-12-31', '2026-01-31', '2026-12-31',
                 '2027-01-31', '2027-03-01', 'assessment') returning id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query("update cycle set annual_cycle_id = $1 where id = $2")
        .bind(annual)
        .bind(o.cycle)
        .execute(&app.pool)
        .await
        .unwrap();
    // 赵乙 has a 记过 in force in 2026: no grade, out of the quota base.
    sqlx::query(
        "insert into discipline_record (person_id, measure, decided_on, from_date, to_date, recorded_by)
         values ($1, 'demerit', '2026-05-01', '2026-05-01', '2027-04-30', $1)",
    )
    .bind(o.b)
    .execute(&app.pool)
    .await
    .unwrap();
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    let page = perf.get(&format!("/assess/cycles/{annual}/scores")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("“优秀”等次名额已用");
    page.assert_contains("年度内处于记过及以上处分期");
    page.assert_contains("不定等次");
    // The head is ranked among the office's leading cadres; 研究室's three staff, one
    // without a grade: a base of 2, and 20 % of 2 rounds down to 0.
    page.assert_contains("处级干部（全机关）");
    page.assert_contains("名额基数 2 人");
    page.assert_contains("“优秀”等次名额已用: 0 / 0");
}

#[tokio::test]
async fn the_committee_decides_freezes_the_grades_publishes_them_and_answers_an_objection() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.post(&format!("/cycles/{}/rating-tasks", o.cycle), &[]).await;
    let mut head = app.login_as("li.head").await;
    cast(&mut head, &format!("/assess/ballots/{}/{}/head", o.cycle, o.a), &ballot("excellent")).await;
    app.person("zhou.committee", "周委员", &[(Role::AssessmentCommittee, None)]).await;
    let mut committee = app.login_as("zhou.committee").await;
    let scores = committee.get(&format!("/assess/cycles/{}/scores", o.cycle)).await;
    scores.assert_contains("id=\"decide\"");
    // Calibration before the decision: a reason is required (422, the choice kept).
    let a_id = o.a.to_string();
    let calibrate = format!("/assess/cycles/{}/calibrate", o.cycle);
    let page = committee.post(&calibrate, &[("person_id", &a_id), ("grade", "quarter:good"), ("reason", "")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"reason-error\"");
    page.assert_contains("value=\"quarter:good\" selected");
    let unknown =
        committee.post(&calibrate, &[("person_id", "999999"), ("grade", "quarter:good"), ("reason", "x")]).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = committee
        .post(&calibrate, &[("person_id", &a_id), ("grade", "quarter:good"), ("reason", "牵头完成重点提案督办")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    committee.get(&format!("/assess/cycles/{}/scores", o.cycle)).await.assert_contains("牵头完成重点提案督办");
    // Only the committee decides.
    assert_eq!(perf.post(&format!("/assess/cycles/{}/decide", o.cycle), &[]).await.status, StatusCode::FORBIDDEN);
    let page = committee.post(&format!("/assess/cycles/{}/decide", o.cycle), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(app.count("select count(*) from assessment_decision").await, 1);
    assert_eq!(app.count("select count(*) from assessment_result").await, 4, "every participant with a score");
    // Deciding again changes nothing; the page now shows the frozen results.
    committee.post(&format!("/assess/cycles/{}/decide", o.cycle), &[]).await;
    assert_eq!(app.count("select count(*) from audit_log where action = 'assessment.decided'").await, 1);
    let frozen = committee.get(&format!("/assess/cycles/{}/scores", o.cycle)).await;
    frozen.assert_contains("id=\"decision-notice\"");
    assert!(!frozen.body.contains("id=\"decide\""));
    // 王甲's calibrated 好 is the decided grade, the computed one kept beside it; so 王甲 is published.
    let (computed, grade): (String, String) =
        sqlx::query_as("select computed->>'grade', grade->>'grade' from assessment_result where person_id = $1")
            .bind(o.a)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((computed.as_str(), grade.as_str()), ("average", "good"));
    // No calibration after the decision.
    let late = committee.post(&calibrate, &[("person_id", &a_id), ("grade", "quarter:poor"), ("reason", "x")]).await;
    assert_eq!(late.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from audit_log where action = 'assessment.calibrated'").await, 1);
    let mut b = app.login_as("zhao.b").await;
    let publicity = b.get("/assess/publicity").await;
    publicity.assert_contains(&format!("id=\"published-{}-{}\"", o.cycle, o.a));
    let cycle = o.cycle.to_string();
    let page = b.post("/assess/publicity", &[("cycle_id", &cycle), ("person_id", &a_id), ("body", " ")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let b_id = o.b.to_string();
    let page =
        b.post("/assess/publicity", &[("cycle_id", &cycle), ("person_id", &b_id), ("body", "不在公示名单")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "only a published person may be objected to");
    page.assert_contains("不在公示名单");
    let page = b
        .post("/assess/publicity", &[("cycle_id", &cycle), ("person_id", &a_id), ("body", "本季度两次督办逾期")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let objection: i64 = sqlx::query_scalar("select id from publicity_objection").fetch_one(&app.pool).await.unwrap();
    // Upholding needs the new grade; then the result changes, audited with before and after.
    let path = format!("/assess/objections/{objection}/answer");
    committee.post(&path, &[("outcome", "uphold"), ("answer", "经核实属实"), ("grade", "")]).await;
    assert_eq!(app.count("select count(*) from publicity_objection where upheld is not null").await, 0);
    assert_eq!(b.post(&path, &[("outcome", "dismiss"), ("answer", "x")]).await.status, StatusCode::FORBIDDEN);
    let page = committee
        .post(&path, &[("outcome", "uphold"), ("answer", "经核实属实"), ("grade", "quarter:fairly_good")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let grade: String = sqlx::query_scalar("select grade->>'grade' from assessment_result where person_id = $1")
        .bind(o.a)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(grade, "fairly_good");
    let summary: serde_json::Value =
        sqlx::query_scalar("select summary from audit_log where action = 'publicity.objection_answered'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(summary["grade"]["before"], "quarter:good");
    committee.get(&format!("/assess/cycles/{}/scores", o.cycle)).await.assert_contains("经核实属实");
    // The breakdown names the frozen result beside today's computation.
    let breakdown = committee.get(&format!("/assess/cycles/{}/people/{}", o.cycle, o.a)).await;
    breakdown.assert_contains("id=\"score-decided\"");
    breakdown.assert_contains("较好");
}

//! Rater tasks and ballots: generating who rates whom from the organisation,
//! casting a ballot (every criterion, frozen once cast), and the anonymity of
//! democratic ballots in the database and the audit log.

use axum::http::StatusCode;
use calamine::Data;
use cppcc_perf::domain::assessment::Scheme;
use cppcc_perf::domain::roles::Role;

use crate::support::{Client, TestApp, sheet_row, sheet_row_of};

struct Office {
    cycle: i64,
    head: i64,
    a: i64,
    b: i64,
}

/// 研究室: its head and three staff, a supervising leader, the principal
/// leader, and a quarterly cycle in the assessment stage.
async fn office(app: &TestApp) -> Office {
    let d = app.department("研究室").await;
    let head = app.member("li.head", "李处长", d, &[(Role::Staff, None), (Role::DepartmentHead, Some(d))]).await;
    let a = app.member("wang.a", "王甲", d, &[(Role::Staff, None)]).await;
    let b = app.member("zhao.b", "赵乙", d, &[(Role::Staff, None)]).await;
    app.member("sun.c", "孙丙", d, &[(Role::Staff, None)]).await;
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
    let annual = app.cycle_in_assessment("2026年度考核", "annual", "2026-01-01", "2026-12-31").await;
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

async fn department_id(app: &TestApp) -> i64 {
    sqlx::query_scalar("select id from department where name = '研究室'").fetch_one(&app.pool).await.unwrap()
}

async fn person_id(app: &TestApp, username: &str) -> i64 {
    sqlx::query_scalar("select id from person where username = $1").bind(username).fetch_one(&app.pool).await.unwrap()
}

/// A paper batch's fields: the department, the attendees and (person, level, count) entries.
fn paper(department: i64, attendees: &[i64], counts: &[(i64, &str, &str)]) -> Vec<(String, String)> {
    let mut fields = vec![("department_id".to_string(), department.to_string())];
    fields.extend(attendees.iter().map(|a| (format!("attend-{a}"), "on".to_string())));
    fields.extend(counts.iter().map(|(p, l, n)| (format!("count-{p}-{l}"), n.to_string())));
    fields
}

async fn democratic_ballots_for(app: &TestApp, cycle: i64, ratee: i64) -> usize {
    let mut conn = app.pool.acquire().await.unwrap();
    let ballots = cppcc_perf::db::ballots::ballots_for(&mut conn, cycle, ratee).await.unwrap();
    ballots.iter().filter(|(kind, _)| kind == "democratic").count()
}

#[tokio::test]
async fn a_paper_batch_counts_in_the_democratic_group_and_closes_the_attendees_online_ballots() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let d = department_id(&app).await;
    let c = person_id(&app, "sun.c").await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.post(&format!("/cycles/{}/rating-tasks", o.cycle), &[]).await;
    let cycle_page = perf.get(&format!("/cycles/{}", o.cycle)).await;
    cycle_page.assert_contains(&format!("href=\"/assess/cycles/{}/paper\"", o.cycle));
    let path = format!("/assess/cycles/{}/paper", o.cycle);
    let form = perf.get(&format!("{path}?department={d}")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    form.assert_contains(&format!("name=\"attend-{}\"", o.a));
    form.assert_contains(&format!("name=\"count-{}-good\"", o.b));
    // 赵乙's democratic raters are 李处长, 王甲 and 孙丙: all three attend, three ballots for 赵乙.
    let fields = paper(d, &[o.head, o.a, c], &[(o.b, "excellent", "2"), (o.b, "good", "1"), (o.a, "fair", "1")]);
    let page = cast(&mut perf, &path, &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(app.count("select count(*) from ballot where paper and rater_id is null").await, 4);
    assert_eq!(democratic_ballots_for(&app, o.cycle, o.b).await, 3);
    // Three ballots reach the minimum: the democratic group counts in the breakdown.
    let breakdown = perf.get(&format!("/assess/cycles/{}/people/{}", o.cycle, o.b)).await;
    assert_eq!(breakdown.status, StatusCode::OK, "{}", breakdown.body);
    assert!(!breakdown.body.contains("票数不足，不公开"), "{}", breakdown.body);
    // Two 优秀 (100) and one 良好 (85): a mean of 95 on the democratic row.
    breakdown.assert_contains("data-label=\"票数\">3<");
    breakdown.assert_contains("data-label=\"平均\">95<");
    // The attendees' democratic tasks are done; they cannot vote online as well.
    assert_eq!(
        app.count(&format!(
            "select count(*) from rating_task where rater_kind = 'democratic' and rater_id in ({}, {}, {}) and not done",
            o.head, o.a, c
        ))
        .await,
        0
    );
    let mut a = app.login_as("wang.a").await;
    let online = format!("/assess/ballots/{}/{}/democratic", o.cycle, o.b);
    assert_eq!(a.get(&online).await.status, StatusCode::SEE_OTHER);
    cast(&mut a, &online, &ballot("poor")).await;
    assert_eq!(democratic_ballots_for(&app, o.cycle, o.b).await, 3);
    // The office sees how many ballots came on paper.
    let overview = perf.get(&format!("/assess/cycles/{}/ballots", o.cycle)).await;
    overview.assert_contains("其中纸质票 4 张");
    perf.get(&format!("/cycles/{}", o.cycle)).await.assert_contains("其中纸质票 4 张");
    // One audit row: the cycle, the department and the number of ballots only.
    let summary: serde_json::Value =
        sqlx::query_scalar("select summary from audit_log where action = 'ballot.paper_entered'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(summary, serde_json::json!({ "department_id": d, "ballots": 4 }));
}

#[tokio::test]
async fn a_paper_batch_over_the_attendees_or_with_a_foreign_id_is_refused_with_the_input_kept() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let d = department_id(&app).await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.post(&format!("/cycles/{}/rating-tasks", o.cycle), &[]).await;
    let path = format!("/assess/cycles/{}/paper", o.cycle);
    // One attendee, two ballots for 赵乙: refused, the counts and the ticks kept.
    let page = cast(&mut perf, &path, &paper(d, &[o.a], &[(o.b, "good", "2")])).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains(&format!("id=\"count-{}-error\"", o.b));
    page.assert_contains(&format!("id=\"count-{}-good\" value=\"2\"", o.b));
    page.assert_contains(&format!("id=\"attend-{}\" checked", o.a));
    for fields in [
        paper(d, &[o.a], &[(o.b, "good", "-1")]),
        paper(d, &[], &[(o.b, "good", "1")]),
        paper(d, &[999_999], &[(o.b, "good", "1")]),
        paper(d, &[o.a], &[(999_999, "good", "1")]),
        paper(999_999, &[o.a], &[(o.b, "good", "1")]),
    ] {
        let page = cast(&mut perf, &path, &fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}: {}", page.body);
    }
    assert_eq!(app.count("select count(*) from ballot").await, 0);
    assert_eq!(app.count("select count(*) from rating_task where done").await, 0);
    // Outside the assessment stage nothing is entered.
    sqlx::query("update cycle set stage = 'feedback' where id = $1").bind(o.cycle).execute(&app.pool).await.unwrap();
    let page = cast(&mut perf, &path, &paper(d, &[o.a], &[(o.b, "good", "1")])).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("select count(*) from ballot").await, 0);
    // Only the performance office enters paper ballots.
    let mut head = app.login_as("li.head").await;
    assert_eq!(head.get(&path).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn paper_ballots_and_corrections_of_democratic_ballots_name_no_rater() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let d = department_id(&app).await;
    let c = person_id(&app, "sun.c").await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.post(&format!("/cycles/{}/rating-tasks", o.cycle), &[]).await;
    // 赵乙 votes online about 王甲; 李处长 and 孙丙 vote on paper.
    let mut b = app.login_as("zhao.b").await;
    cast(&mut b, &format!("/assess/ballots/{}/{}/democratic", o.cycle, o.a), &ballot("fair")).await;
    let path = format!("/assess/cycles/{}/paper", o.cycle);
    let page = cast(&mut perf, &path, &paper(d, &[o.head, c], &[(o.a, "good", "1"), (o.a, "excellent", "1")])).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // The attendees are no longer offered, and nothing names who voted how.
    let form = perf.get(&format!("{path}?department={d}")).await;
    assert!(!form.body.contains(&format!("attend-{c}")));
    let online: String =
        sqlx::query_scalar("select id::text from ballot where not paper").fetch_one(&app.pool).await.unwrap();
    let list = perf.get(&format!("/assess/cycles/{}/people/{}/ballots", o.cycle, o.a)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    list.assert_contains(&format!("id=\"correct-{online}\""));
    let correction = format!("/assess/corrections/{online}");
    let form = perf.get(&correction).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let mut fields = ballot("good");
    fields.push(("reason".to_string(), "纸票录入时勾错等次".to_string()));
    let page = cast(&mut perf, &correction, &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let list = perf.get(&format!("/assess/cycles/{}/people/{}/ballots", o.cycle, o.a)).await;
    list.assert_contains("纸票录入时勾错等次");
    perf.get(&format!("/cycles/{}", o.cycle)).await.assert_contains("更正测评票");
    for body in [&list.body, &form.body] {
        for name in ["赵乙", "李处长", "孙丙"] {
            assert!(!body.contains(name), "{name} named on a ballot page");
        }
    }
    assert_eq!(app.count("select count(*) from ballot where rater_id is not null").await, 0);
    let summaries: Vec<serde_json::Value> = sqlx::query_scalar(
        "select summary from audit_log where action in ('ballot.paper_entered', 'ballot.corrected') order by id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(summaries.len(), 2);
    let keys = |s: &serde_json::Value| -> Vec<String> { s.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&summaries[0]), ["ballots", "department_id"]);
    assert_eq!(
        keys(&summaries[1]),
        ["after", "ballot_id", "before", "correction_id", "group", "ratee_id", "reason"],
        "a democratic ballot's correction names no rater"
    );
    assert_eq!(summaries[1]["ratee_id"], serde_json::json!(o.a));
}

#[tokio::test]
async fn a_correction_needs_a_reason_never_concerns_the_corrector_and_stops_at_the_decision() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let d = department_id(&app).await;
    // 钱丁 keeps assessment in the performance office and takes part in 研究室.
    app.member("qian.d", "钱丁", d, &[(Role::Staff, None), (Role::PerformanceOffice, None)]).await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.post(&format!("/cycles/{}/rating-tasks", o.cycle), &[]).await;
    let mut head = app.login_as("li.head").await;
    let qian = person_id(&app, "qian.d").await;
    cast(&mut head, &format!("/assess/ballots/{}/{}/head", o.cycle, o.a), &ballot("excellent")).await;
    cast(&mut head, &format!("/assess/ballots/{}/{}/head", o.cycle, qian), &ballot("excellent")).await;
    let about_a: String = sqlx::query_scalar("select id::text from ballot where ratee_id = $1")
        .bind(o.a)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let about_qian: String = sqlx::query_scalar("select id::text from ballot where ratee_id = $1")
        .bind(qian)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    // Without a reason: refused, the levels chosen kept.
    let path = format!("/assess/corrections/{about_a}");
    let mut fields = ballot("good");
    fields.push(("reason".to_string(), "  ".to_string()));
    let page = cast(&mut perf, &path, &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"reason-error\"");
    page.assert_contains("value=\"good\" checked");
    // Nobody corrects a ballot about themself.
    let mut qian_client = app.login_as("qian.d").await;
    assert_eq!(qian_client.get(&format!("/assess/corrections/{about_qian}")).await.status, StatusCode::FORBIDDEN);
    let mut own = ballot("poor");
    own.push(("reason".to_string(), "自评".to_string()));
    let page = cast(&mut qian_client, &format!("/assess/corrections/{about_qian}"), &own).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // The head is not the performance office.
    assert_eq!(cast(&mut head, &path, &own).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from ballot_correction").await, 0);
    // A named ballot's correction keeps before and after, names the corrector and audits the rater.
    fields.pop();
    fields.push(("reason".to_string(), "处长误选等次，经本人书面确认".to_string()));
    let page = cast(&mut perf, &path, &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (before, after): (serde_json::Value, serde_json::Value) =
        sqlx::query_as("select before, after from ballot_correction").fetch_one(&app.pool).await.unwrap();
    assert!(before.to_string().contains("excellent") && !after.to_string().contains("excellent"));
    let summary: serde_json::Value =
        sqlx::query_scalar("select summary from audit_log where action = 'ballot.corrected'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(summary["rater_id"], serde_json::json!(o.head));
    // Once the committee decides, nothing is corrected.
    sqlx::query(
        "insert into assessment_decision (cycle_id, decided_by, decided_at, publicity_from, publicity_until)
         values ($1, $2, now(), '2026-10-08', '2026-10-14')",
    )
    .bind(o.cycle)
    .bind(o.head)
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(perf.get(&path).await.status, StatusCode::SEE_OTHER);
    let mut late = ballot("poor");
    late.push(("reason".to_string(), "决定后".to_string()));
    assert_eq!(cast(&mut perf, &path, &late).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from ballot_correction").await, 1);
}

#[tokio::test]
async fn a_breakdown_says_how_many_democratic_ballots_came_on_paper_only_when_the_group_is_shown() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let d = department_id(&app).await;
    let c = person_id(&app, "sun.c").await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.post(&format!("/cycles/{}/rating-tasks", o.cycle), &[]).await;
    let path = format!("/assess/cycles/{}/paper", o.cycle);
    let breakdown = format!("/assess/cycles/{}/people/{}", o.cycle, o.b);
    // One paper ballot for 赵乙: below the minimum of three, nothing tells how it was cast.
    let page = cast(&mut perf, &path, &paper(d, &[o.head], &[(o.b, "good", "1")])).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let withheld = perf.get(&breakdown).await;
    assert_eq!(withheld.status, StatusCode::OK, "{}", withheld.body);
    withheld.assert_contains("票数不足，不公开、不计入");
    assert!(!withheld.body.contains("id=\"score-paper\""), "{}", withheld.body);
    assert!(!withheld.body.contains("其中纸质"), "{}", withheld.body);
    // 王甲 votes online, 孙丙 on paper: three ballots, two of them on paper.
    let mut a = app.login_as("wang.a").await;
    cast(&mut a, &format!("/assess/ballots/{}/{}/democratic", o.cycle, o.b), &ballot("excellent")).await;
    let page = cast(&mut perf, &path, &paper(d, &[c], &[(o.b, "excellent", "1")])).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let shown = perf.get(&breakdown).await;
    assert!(!shown.body.contains("票数不足，不公开"), "{}", shown.body);
    shown.assert_contains("data-label=\"票数\">3<");
    shown.assert_contains("（其中纸质 2 张）");
    // The person reads it on their own breakdown too, in English as well.
    let mut b = app.login_as("zhao.b").await;
    b.post("/locale", &[("lang", "en"), ("next", "/")]).await;
    b.get(&breakdown).await.assert_contains("(2 on paper)");
}

#[tokio::test]
async fn paper_ballots_are_refused_once_the_cycle_is_decided() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let d = department_id(&app).await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.post(&format!("/cycles/{}/rating-tasks", o.cycle), &[]).await;
    sqlx::query(
        "insert into assessment_decision (cycle_id, decided_by, decided_at, publicity_from, publicity_until)
         values ($1, $2, now(), '2026-10-08', '2026-10-14')",
    )
    .bind(o.cycle)
    .bind(o.head)
    .execute(&app.pool)
    .await
    .unwrap();
    let path = format!("/assess/cycles/{}/paper", o.cycle);
    // The ballots overview no longer offers the entry, and the form says why.
    let overview = perf.get(&format!("/assess/cycles/{}/ballots", o.cycle)).await;
    assert!(!overview.body.contains("id=\"paper-entry-link\""), "{}", overview.body);
    let form = perf.get(&format!("{path}?department={d}")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    form.assert_contains("已作出考核决定，不能录入纸质票");
    form.assert_contains("id=\"enter-paper\" disabled");
    // A batch sent anyway is refused with the input kept, and nothing is stored.
    let page = cast(&mut perf, &path, &paper(d, &[o.a], &[(o.b, "good", "1")])).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    page.assert_contains(&format!("id=\"count-{}-good\" value=\"1\"", o.b));
    assert_eq!(app.count("select count(*) from ballot").await, 0);
    assert_eq!(app.count("select count(*) from rating_task where done").await, 0);
}

#[tokio::test]
async fn the_democratic_summary_exports_aggregates_per_person_and_never_a_rater() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.post(&format!("/cycles/{}/rating-tasks", o.cycle), &[]).await;
    // A rater who is rated by nobody: the principal leader, given a democratic task about 王甲.
    let outsider = person_id(&app, "chen.principal").await;
    sqlx::query("insert into rating_task (cycle_id, rater_id, ratee_id, rater_kind) values ($1, $2, $3, 'democratic')")
        .bind(o.cycle)
        .bind(outsider)
        .bind(o.a)
        .execute(&app.pool)
        .await
        .unwrap();
    // 王甲: three democratic ballots (one 优秀, two 良好); 赵乙: one, below the minimum.
    let about_a = format!("/assess/ballots/{}/{}/democratic", o.cycle, o.a);
    for (username, level) in [("chen.principal", "excellent"), ("zhao.b", "good"), ("sun.c", "good")] {
        let mut rater = app.login_as(username).await;
        assert_eq!(cast(&mut rater, &about_a, &ballot(level)).await.status, StatusCode::SEE_OTHER);
    }
    let mut a = app.login_as("wang.a").await;
    let about_b = format!("/assess/ballots/{}/{}/democratic", o.cycle, o.b);
    assert_eq!(cast(&mut a, &about_b, &ballot("fair")).await.status, StatusCode::SEE_OTHER);

    let page = perf.get(&format!("/assess/cycles/{}/ballots", o.cycle)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("id=\"democratic-summary\"");
    page.assert_contains(&format!("href=\"/assess/cycles/{}/ballots.xlsx\"", o.cycle));
    let download = perf.get(&format!("/assess/cycles/{}/ballots.xlsx", o.cycle)).await;
    assert!(download.xlsx_protected(), "the summary is a record");
    let sheet = download.xlsx();
    assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("民主测评汇总表 · 2026年第三季度平时考核".into())));
    assert_eq!(
        sheet_row(&sheet, 2),
        ["被评价人", "处室", "票数", "纸质票", "已更正", "民主测评票数", "优秀", "良好", "一般", "较差", "平均分"]
    );
    assert_eq!(sheet.height(), 3 + page.body.matches("<tr id=\"ratee-").count());
    let criteria = Scheme::default_staff(2026).ballot_criteria().count() as f64;
    let row = sheet_row_of(&sheet, 0, "王甲");
    assert_eq!(sheet.get_value((row, 5)), Some(&Data::Float(3.0)));
    assert_eq!(sheet.get_value((row, 6)), Some(&Data::Float(criteria)));
    assert_eq!(sheet.get_value((row, 7)), Some(&Data::Float(2.0 * criteria)));
    assert_eq!(sheet.get_value((row, 8)), Some(&Data::Float(0.0)));
    assert!(matches!(sheet.get_value((row, 10)), Some(Data::Float(mean)) if *mean > 0.0 && *mean <= 100.0));
    // One ballot about 赵乙 tells nothing but that it exists.
    let row = sheet_row_of(&sheet, 0, "赵乙");
    assert_eq!(sheet.get_value((row, 5)), Some(&Data::Float(1.0)));
    assert_eq!(sheet.get_value((row, 6)), Some(&Data::String("票数不足，不公开、不计入".into())));
    assert_eq!(sheet_row(&sheet, row)[7..], ["", "", "", ""]);
    // No rater is named anywhere in the file: not in a cell, not in any part of the workbook.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(download.bytes.clone())).unwrap();
    for i in 0..archive.len() {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_index(i).unwrap(), &mut text).unwrap_or_default();
        assert!(!text.contains("陈秘书长") && !text.contains("chen.principal"), "a rater named in the workbook");
    }
    // The office's page only: a head is refused.
    let mut head = app.login_as("li.head").await;
    assert_eq!(head.get(&format!("/assess/cycles/{}/ballots.xlsx", o.cycle)).await.status, StatusCode::FORBIDDEN);
}

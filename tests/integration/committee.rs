//! The assessment committee's records on an annual ranking before deciding:
//! the leading cadres as their own allocation unit, the approval of the
//! higher 优秀 rate, and hard vetoes — each audited, none about oneself, none
//! after the decision.

use axum::http::StatusCode;
use cppcc_perf::domain::roles::Role;

use crate::support::TestApp;

struct Office {
    annual: i64,
    head: i64,
    staff: Vec<i64>,
}

/// 研究室: its head and four staff, and an annual cycle in assessment.
async fn office(app: &TestApp) -> Office {
    let d = app.department("研究室").await;
    let member = |username: &'static str, name: &'static str, head: bool| async move {
        let mut grants = vec![(Role::Staff, None)];
        if head {
            grants.push((Role::DepartmentHead, Some(d)));
        }
        app.member(username, name, d, &grants).await
    };
    let head = member("li.head", "李处长", true).await;
    let mut staff = Vec::new();
    for (username, name) in [("wang.a", "王甲"), ("zhao.b", "赵乙"), ("sun.c", "孙丙"), ("qian.d", "钱丁")] {
        staff.push(member(username, name, false).await);
    }
    let annual = app.cycle_in_assessment("2026年度考核", "annual", "2026-01-01", "2026-12-31").await;
    Office { annual, head, staff }
}

#[tokio::test]
async fn department_heads_form_their_own_unit_and_an_approval_raises_the_excellent_quota() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    app.person("zhou.committee", "周委员", &[(Role::AssessmentCommittee, None)]).await;
    let mut committee = app.login_as("zhou.committee").await;
    let scores = format!("/assess/cycles/{}/scores", o.annual);
    let page = committee.get(&scores).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // The head is ranked among the office's leading cadres, the four staff in 研究室:
    // 20 % of 4 rounds down to 0.
    page.assert_contains("处级干部（全机关）");
    page.assert_contains("名额基数 4 人");
    page.assert_contains("“优秀”等次名额已用: 0 / 0");
    // A reference is required, the form kept.
    let approve = format!("/assess/cycles/{}/quota-approval", o.annual);
    let refused = committee.post(&approve, &[("reference", "  ")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("id=\"reference-error\"");
    let page = committee.post(&approve, &[("reference", "市公务员局〔2026〕12号")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // With the approval, 25 % of 4 is 1.
    let page = committee.get(&scores).await;
    page.assert_contains("市公务员局〔2026〕12号");
    page.assert_contains("“优秀”等次名额已用<span class=\"quota-approved\">（按批准比例）</span>: 0 / 1");
    let withdraw = format!("/assess/cycles/{}/quota-approval/withdraw", o.annual);
    assert_eq!(committee.post(&withdraw, &[]).await.status, StatusCode::SEE_OTHER);
    committee.get(&scores).await.assert_contains("“优秀”等次名额已用: 0 / 0");
    assert_eq!(app.count("select count(*) from audit_log where action = 'assessment.quota_approved'").await, 1);
    assert_eq!(
        app.count("select count(*) from audit_log where action = 'assessment.quota_approval_withdrawn'").await,
        1
    );
    // Only the committee records it; a head of the office reads the ranking but may not.
    let mut head = app.login_as("li.head").await;
    assert_eq!(head.post(&approve, &[("reference", "x")]).await.status, StatusCode::FORBIDDEN);
    head.get(&scores).await.assert_contains("处级干部（全机关）");
}

#[tokio::test]
async fn a_hard_veto_grades_incompetent_needs_a_reason_is_never_about_oneself_and_ends_with_the_decision() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    // The committee member is also one of the staff assessed.
    sqlx::query("insert into role_grant (person_id, role) values ($1, 'assessment_committee')")
        .bind(o.staff[3])
        .execute(&app.pool)
        .await
        .unwrap();
    let mut committee = app.login_as("qian.d").await;
    let vetoes = format!("/assess/cycles/{}/vetoes", o.annual);
    let target = o.staff[0].to_string();
    let page = committee.post(&vetoes, &[("veto_person_id", &target), ("veto_reason", "")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"veto_reason-error\"");
    page.assert_contains(&format!("value=\"{target}\" selected"));
    let own = o.staff[3].to_string();
    let page = committee.post(&vetoes, &[("veto_person_id", &own), ("veto_reason", "自我否决")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("不能对本人作出决定");
    page.assert_contains("自我否决");
    let page = committee.post(&vetoes, &[("veto_person_id", "999999"), ("veto_reason", "x")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The calibration of one's own grade is refused the same way.
    let calibrate = format!("/assess/cycles/{}/calibrate", o.annual);
    let page = committee.post(&calibrate, &[("person_id", &own), ("grade", "annual:excellent"), ("reason", "x")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("不能对本人作出决定");

    let page = committee.post(&vetoes, &[("veto_person_id", &target), ("veto_reason", "发生重大责任事故")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = committee.get(&format!("/assess/cycles/{}/scores", o.annual)).await;
    page.assert_contains("发生重大责任事故");
    page.assert_contains("一票否决");
    let row = page.body.split(&format!("id=\"score-{}\"", o.staff[0])).nth(1).unwrap();
    let row = row.split("</tr>").next().unwrap();
    assert!(row.contains("不称职"), "{row}");
    let breakdown = committee.get(&format!("/assess/cycles/{}/people/{}", o.annual, o.staff[0])).await;
    breakdown.assert_contains("id=\"veto\"");
    breakdown.assert_contains("发生重大责任事故");
    // Withdrawn, then recorded again and decided: the decided grade is 不称职, and no more vetoes.
    let withdraw = format!("/assess/cycles/{}/vetoes/{}/withdraw", o.annual, o.staff[0]);
    assert_eq!(committee.post(&withdraw, &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from hard_veto").await, 0);
    assert_eq!(committee.post(&withdraw, &[]).await.status, StatusCode::NOT_FOUND);
    committee.post(&vetoes, &[("veto_person_id", &target), ("veto_reason", "发生重大责任事故")]).await;
    let page = committee.post(&format!("/assess/cycles/{}/decide", o.annual), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let grade: String =
        sqlx::query_scalar("select grade->>'grade' from assessment_result where cycle_id = $1 and person_id = $2")
            .bind(o.annual)
            .bind(o.staff[0])
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(grade, "incompetent");
    let head = o.head.to_string();
    let late = committee.post(&vetoes, &[("veto_person_id", &head), ("veto_reason", "x")]).await;
    assert_eq!(late.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from hard_veto").await, 1);
    assert_eq!(app.count("select count(*) from audit_log where action = 'assessment.hard_veto'").await, 2);
    assert_eq!(app.count("select count(*) from audit_log where action = 'assessment.hard_veto_withdrawn'").await, 1);
    // The database refuses a veto about oneself whatever the application does.
    let direct = sqlx::query(
        "insert into hard_veto (cycle_id, person_id, reason, recorded_by, recorded_at) values ($1, $2, 'x', $2, now())",
    )
    .bind(o.annual)
    .bind(o.head)
    .execute(&app.pool)
    .await;
    assert!(direct.is_err());
}

#[tokio::test]
async fn the_home_page_lists_ballots_to_cast_cycles_to_decide_and_objections_to_answer() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    app.person("zhou.committee", "周委员", &[(Role::AssessmentCommittee, None)]).await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    let page = perf.post(&format!("/cycles/{}/rating-tasks", o.annual), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let open: i64 = sqlx::query_scalar("select count(*) from rating_task where rater_id = $1 and not done")
        .bind(o.staff[0])
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(open > 0);
    let mut a = app.login_as("wang.a").await;
    a.get("/").await.assert_contains(&format!("{open} 份测评票待填写"));
    // The head's overview counts the ballots about each person, none cast yet, and links the ranking.
    let about: i64 = sqlx::query_scalar("select count(*) from rating_task where ratee_id = $1")
        .bind(o.staff[0])
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let overview = app.login_as("li.head").await.get("/assess/summaries").await;
    overview.assert_contains(&format!("id=\"ballots-{}-{}\">0 / {about}</td>", o.annual, o.staff[0]));
    overview.assert_contains(&format!("href=\"/assess/cycles/{}/scores\"", o.annual));
    let mut committee = app.login_as("zhou.committee").await;
    committee.get("/").await.assert_contains("1 个考核周期等待考核委员会决定");
    committee.post(&format!("/assess/cycles/{}/decide", o.annual), &[]).await;
    let home = committee.get("/").await;
    assert!(!home.body.contains("等待考核委员会决定"), "a decided cycle waits for nothing");
    // Decided, the cycle's open ballots are no longer asked for, listed or taken.
    assert!(!a.get("/").await.body.contains("测评票待填写"));
    assert!(!a.get("/assess/ballots").await.body.contains("2026年度考核"));
    let (ratee, kind): (i64, String) =
        sqlx::query_as("select ratee_id, rater_kind from rating_task where rater_id = $1 and not done limit 1")
            .bind(o.staff[0])
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let ballot = format!("/assess/ballots/{}/{ratee}/{kind}", o.annual);
    assert_eq!(a.get(&ballot).await.status, StatusCode::NOT_FOUND);
    // An objection raised in publicity waits for the committee, not for the one who raised it.
    sqlx::query(
        "insert into publicity_objection (cycle_id, person_id, raised_by, raised_at, body)
         values ($1, $2, $3, now(), '请核实')",
    )
    .bind(o.annual)
    .bind(o.staff[1])
    .bind(o.staff[0])
    .execute(&app.pool)
    .await
    .unwrap();
    committee.get("/").await.assert_contains("1 条公示异议等待答复");
    assert!(!a.get("/").await.body.contains("公示异议等待答复"));
}

//! The excellence self-assessment (docs/DOMAIN.md §21): opening a year,
//! independent scores within the bands, consensus and the agreed total,
//! findings into rectification, and the results figures equal to their
//! source pages.

use axum::http::StatusCode;
use chrono::NaiveDate;
use cppcc_perf::domain::roles::Role;
use cppcc_perf::tasks::run_once;

use crate::support::{Client, TestApp};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn item(app: &TestApp, year: i32, code: &str) -> i64 {
    sqlx::query_scalar(
        "select i.id from excellence_item i join excellence_category c on c.id = i.category_id
         where c.year = $1 and i.code = $2",
    )
    .bind(year)
    .bind(code)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

/// The performance office and a principal leader signed in, and `year` opened by the office.
async fn opened(app: &TestApp, year: i32) -> (Client, Client) {
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    let leader = app.signed_in(Role::PrincipalLeader).await;
    let page = perf.post("/excellence", &[("year", &year.to_string())]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), format!("/excellence/{year}"));
    (perf, leader)
}

#[tokio::test]
async fn opening_a_year_ships_the_standard_of_a_thousand_points_with_its_assessors() {
    let app = TestApp::new().await;
    let (mut perf, _) = opened(&app, 2026).await;
    let points: i64 = app
        .count(
            "select sum(i.points)::bigint from excellence_item i join excellence_category c on c.id = i.category_id
             where c.year = 2026",
        )
        .await;
    assert_eq!(points, 1000);
    assert_eq!(app.count("select count(*) from excellence_category where year = 2026").await, 7);
    assert_eq!(app.count("select count(*) from excellence_assessor").await, 2);
    let page = perf.get("/excellence/2026").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("4.7.3 顾客与市场结果");
    page.assert_contains(r#"<span id="agreed-total">0</span> / 1000"#);
    // One self-assessment a year; a year far from today is not offered.
    let again = perf.post("/excellence", &[("year", "2026")]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    again.assert_contains("该年度已有自评");
    let far = perf.post("/excellence", &[("year", "2019")]).await;
    assert_eq!(far.status, StatusCode::UNPROCESSABLE_ENTITY);
    far.assert_contains(r#"value="2019""#);
    // The next year's standard is a copy of this year's, edits included.
    sqlx::query("update excellence_item set name = '高层领导的作用（本机关）' where code = '4.1.2'")
        .execute(&app.pool)
        .await
        .unwrap();
    let mut conn = app.pool.acquire().await.unwrap();
    cppcc_perf::workflow::excellence::ensure_standard(&mut conn, 2027).await.unwrap();
    let copied: i64 = app.count("select count(*) from excellence_item where name = '高层领导的作用（本机关）'").await;
    assert_eq!(copied, 2);
}

#[tokio::test]
async fn a_score_outside_the_band_of_its_level_is_refused_with_the_input_kept() {
    let app = TestApp::new().await;
    let (mut perf, _) = opened(&app, 2026).await;
    let id = item(&app, 2026, "4.1.2").await;
    let path = format!("/excellence/2026/items/{id}/score");
    let outside = perf.post(&path, &[("band", "3"), ("percent", "50"), ("note", "方法系统")]).await;
    assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
    outside.assert_contains("百分比不在所选档次的范围内");
    outside.assert_contains("方法系统");
    let off_step = perf.post(&path, &[("band", "3"), ("percent", "42"), ("note", "")]).await;
    assert_eq!(off_step.status, StatusCode::UNPROCESSABLE_ENTITY);
    off_step.assert_contains("步长");
    let no_band = perf.post(&path, &[("band", "9"), ("percent", "40")]).await;
    assert_eq!(no_band.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("select count(*) from excellence_score").await, 0);
    let saved = perf.post(&path, &[("band", "3"), ("percent", "40"), ("note", "方法系统")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    // A second submission of the same new score is stale, not a silent overwrite.
    let stale = perf.post(&path, &[("band", "4"), ("percent", "55"), ("version", "")]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let score: i16 = sqlx::query_scalar("select percent from excellence_score").fetch_one(&app.pool).await.unwrap();
    assert_eq!(score, 40);
    // With the version it was read at, the assessor changes their score.
    let changed = perf.post(&path, &[("band", "4"), ("percent", "55"), ("version", "1")]).await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn assessors_score_alone_until_consensus_then_the_office_agrees_and_completes() {
    let app = TestApp::new().await;
    let (mut perf, mut leader) = opened(&app, 2026).await;
    let first = item(&app, 2026, "4.1.2").await;
    for (client, percent, note) in [(&mut perf, "40", "绩效办的观察"), (&mut leader, "50", "领导的观察")] {
        let band = if percent == "40" { "3" } else { "4" };
        let path = format!("/excellence/2026/items/{first}/score");
        let page = client.post(&path, &[("band", band), ("percent", percent), ("note", note)]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
    }
    // While scoring, neither sees the other's score.
    let page = leader.get(&format!("/excellence/2026/items/{first}")).await;
    page.assert_contains("领导的观察");
    assert!(!page.body.contains("绩效办的观察"));
    let overview = perf.get("/excellence/2026/consensus").await;
    assert!(overview.body.contains(r#"id="consensus-hidden""#));
    // A consensus is refused before the consensus stage; a staff member may not move the stage.
    let early = perf
        .post(
            &format!("/excellence/2026/items/{first}/consensus"),
            &[("band", "3"), ("percent", "45"), ("note", "一致")],
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    let mut staff = app.signed_in(Role::Staff).await;
    let version: i32 =
        sqlx::query_scalar("select version from excellence_assessment").fetch_one(&app.pool).await.unwrap();
    let refused = staff.post("/excellence/2026/stage", &[("to", "consensus"), ("version", &version.to_string())]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let moved = perf.post("/excellence/2026/stage", &[("to", "consensus"), ("version", &version.to_string())]).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    // Now everyone's scores show, with the suggestion (the mean 45 % to the nearest step).
    let page = leader.get(&format!("/excellence/2026/items/{first}")).await;
    page.assert_contains("绩效办的观察");
    page.assert_contains(r#"id="suggestion""#);
    page.assert_contains("· 45%");
    let late = leader.post(&format!("/excellence/2026/items/{first}/score"), &[("band", "4"), ("percent", "60")]).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    // A consensus needs its reason.
    let path = format!("/excellence/2026/items/{first}/consensus");
    let bare = perf.post(&path, &[("band", "3"), ("percent", "45"), ("note", " ")]).await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        perf.post(&path, &[("band", "3"), ("percent", "45"), ("note", "方法系统但展开不足")]).await.status,
        StatusCode::SEE_OTHER
    );
    // Completing needs every item agreed.
    let version: i32 =
        sqlx::query_scalar("select version from excellence_assessment").fetch_one(&app.pool).await.unwrap();
    perf.post("/excellence/2026/stage", &[("to", "completed"), ("version", &version.to_string())]).await;
    assert_eq!(app.count("select count(*) from excellence_assessment where stage = 'completed'").await, 0);
    let items: Vec<(i64, i32)> = sqlx::query_as(
        "select i.id, i.points from excellence_item i join excellence_category c on c.id = i.category_id
         where c.year = 2026 and i.id <> $1",
    )
    .bind(first)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    for (id, _) in &items {
        let path = format!("/excellence/2026/items/{id}/consensus");
        let page = perf.post(&path, &[("band", "4"), ("percent", "60"), ("note", "一致意见")]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    // The total is every item's points times its agreed percentage: 50 × 45 % + 950 × 60 %.
    let page = perf.get("/excellence/2026").await;
    page.assert_contains(r#"<span id="agreed-total">592.5</span> / 1000"#);
    let version: i32 =
        sqlx::query_scalar("select version from excellence_assessment").fetch_one(&app.pool).await.unwrap();
    let done = perf.post("/excellence/2026/stage", &[("to", "completed"), ("version", &version.to_string())]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from excellence_assessment where stage = 'completed'").await, 1);
    let audited = app.count("select count(*) from audit_log where action like 'excellence.%'").await;
    assert!(audited >= 25, "{audited}");
}

#[tokio::test]
async fn an_improvement_becomes_a_rectification_item_once_and_next_year_shows_what_became_of_it() {
    let app = TestApp::new().await;
    let research = app.department("研究室").await;
    let owner = app.member("li.owner", "李整改", research, &[(Role::Staff, None)]).await;
    let (mut perf, _) = opened(&app, 2025).await;
    let id = item(&app, 2025, "4.6.3").await;
    let findings = format!("/excellence/2025/items/{id}/findings");
    let bare = perf.post(&findings, &[("kind", "improvement"), ("body", "")]).await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = perf
        .post(
            &findings,
            &[("kind", "improvement"), ("body", "整改跟踪缺少闭环"), ("evidence", "/feedback/rectification")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let finding: i64 = sqlx::query_scalar("select id from excellence_finding").fetch_one(&app.pool).await.unwrap();
    let page = perf.get(&format!("/excellence/2025/items/{id}")).await;
    page.assert_contains(r#"<a href="/feedback/rectification">/feedback/rectification</a>"#);
    let form = perf.get(&format!("/excellence/findings/{finding}/rectify")).await;
    assert_eq!(form.status, StatusCode::OK);
    form.assert_contains("整改跟踪缺少闭环");
    let path = format!("/excellence/findings/{finding}/rectify");
    let (research, owner) = (research.to_string(), owner.to_string());
    // An owner outside the chosen department is not among the choices.
    let wrong = perf
        .post(
            &path,
            &[
                ("title", "建立整改闭环"),
                ("problem", "整改跟踪缺少闭环"),
                ("department_id", &research),
                ("owner_id", "999999"),
                ("plan", "每月通报"),
                ("due_on", "2026-12-31"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains("建立整改闭环");
    let fields = [
        ("title", "建立整改闭环"),
        ("problem", "整改跟踪缺少闭环"),
        ("department_id", research.as_str()),
        ("owner_id", owner.as_str()),
        ("plan", "每月通报"),
        ("due_on", "2026-12-31"),
    ];
    let done = perf.post(&path, &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(done.location().starts_with("/feedback/rectification/"));
    let again = perf.post(&path, &fields).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(app.count("select count(*) from rectification_item where source_kind = 'self_assessment'").await, 1);
    let reference: String =
        sqlx::query_scalar("select source_reference from rectification_item").fetch_one(&app.pool).await.unwrap();
    assert!(reference.contains("2025") && reference.contains("4.6.3"), "{reference}");
    // The next year's workspace shows the improvement and its item's status.
    perf.post("/excellence", &[("year", "2026")]).await;
    let page = perf.get("/excellence/2026").await;
    page.assert_contains("上一年度改进机会的落实情况");
    page.assert_contains("整改跟踪缺少闭环");
    page.assert_contains("待整改");
}

#[tokio::test]
async fn results_figures_equal_the_figures_on_their_source_pages() {
    let app = TestApp::on(d(2026, 2, 10)).await;
    app.seed_2026_calendar().await;
    let research = app.department("研究室").await;
    app.department("办公室").await;
    let wang = app.member("wang.a", "王甲", research, &[(Role::Staff, None)]).await;
    let zhao = app.member("zhao.b", "赵乙", research, &[(Role::Staff, None)]).await;
    let committee = app.person("zhou.committee", "周委员", &[(Role::AssessmentCommittee, None)]).await;
    let cycle = app.decided_2025(committee).await;
    for (person, score, grade) in [(wang, "93.5", "excellent"), (zhao, "82", "competent")] {
        app.annual_result(cycle, person, research, score, grade).await;
    }
    run_once(&app.pool, d(2026, 1, 28)).await.unwrap();
    // One notice late: issued after its due day.
    sqlx::query("update result_notice set issued_on = due_on + 3 where person_id = $1")
        .bind(zhao)
        .execute(&app.pool)
        .await
        .unwrap();
    let (mut perf, _) = opened(&app, 2025).await;
    let id = item(&app, 2025, "4.7.6").await;
    let page = perf.get(&format!("/excellence/2025/items/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let dashboard = perf.get(&format!("/dashboard?assess={cycle}")).await;
    dashboard.assert_contains(r#"id="total-fast">50%"#);
    // The office's figure of 2025 equals the dashboard's, with its counts and its source.
    page.assert_contains(&format!(r#"<a href="/dashboard?assess={cycle}">50% (1/2)</a>"#));
    // A benchmark of 90 leaves the office 40 points behind.
    let saved =
        perf.post("/excellence/2025/benchmarks", &[("benchmark_name", "省政协机关"), ("notices_on_time", "90")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let bad =
        perf.post("/excellence/2025/benchmarks", &[("benchmark_name", "省政协机关"), ("notices_on_time", "190")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains(r#"value="190""#);
    let page = perf.get(&format!("/excellence/2025/items/{id}")).await;
    page.assert_contains(r#"<span class="gap">-40</span>"#);
    page.assert_contains("省政协机关");
    // Taking the figures again after a correction follows the source.
    sqlx::query("update result_notice set issued_on = due_on").execute(&app.pool).await.unwrap();
    assert_eq!(perf.post("/excellence/2025/figures", &[]).await.status, StatusCode::SEE_OTHER);
    let page = perf.get(&format!("/excellence/2025/items/{id}")).await;
    page.assert_contains(&format!(r#"<a href="/dashboard?assess={cycle}">100% (2/2)</a>"#));
}

#[tokio::test]
async fn a_department_head_reads_only_the_years_they_are_invited_to() {
    let app = TestApp::new().await;
    let (mut perf, _) = opened(&app, 2026).await;
    let mut head = app.signed_in(Role::DepartmentHead).await;
    assert_eq!(head.get("/excellence/2026").await.status, StatusCode::FORBIDDEN);
    assert!(!head.get("/excellence").await.body.contains(r#"id="year-2026""#));
    let head_id: i64 = sqlx::query_scalar("select id from person where username = 'department-head'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    // Someone who is not a head is not among the choices.
    let staff = app.person("staff.x", "职员", &[(Role::Staff, None)]).await;
    let refused = perf.post("/excellence/2026/assessors", &[("person_id", &staff.to_string())]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let invited = perf.post("/excellence/2026/assessors", &[("person_id", &head_id.to_string())]).await;
    assert_eq!(invited.status, StatusCode::SEE_OTHER);
    assert_eq!(head.get("/excellence/2026").await.status, StatusCode::OK);
    assert!(head.get("/excellence").await.body.contains(r#"id="year-2026""#));
    let id = item(&app, 2026, "4.2.2").await;
    let scored = head.post(&format!("/excellence/2026/items/{id}/score"), &[("band", "2"), ("percent", "20")]).await;
    assert_eq!(scored.status, StatusCode::SEE_OTHER);
    // The workspace counts who scored, not what.
    let page = perf.get("/excellence/2026").await;
    page.assert_contains("1 / 23");
}

/// The `(link, text)` pairs of every link to `prefix…` in a page.
fn links_to<'a>(body: &'a str, prefix: &str) -> Vec<(&'a str, &'a str)> {
    let needle = format!(r#"<a href="{prefix}"#);
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find(&needle) {
        let tail = &rest[start + 9..];
        let (href, after) = tail.split_once('"').unwrap();
        let text = after.split_once('>').unwrap().1.split_once("</a>").unwrap().0;
        out.push((href, text));
        rest = &tail[href.len()..];
    }
    out
}

#[tokio::test]
async fn the_demo_offices_satisfaction_figures_equal_each_departments_scorecard() {
    let app = TestApp::new().await;
    cppcc_perf::demo::load(&app.pool, &cppcc_perf::auth::password::Passwords::new(2)).await.unwrap();
    let mut perf = app.client();
    perf.login("perf", "Demo@2026pass").await;
    // 2025's figures were taken when the demo completed it; its surveys are closed since.
    let id = item(&app, 2025, "4.7.3").await;
    let page = perf.get(&format!("/excellence/2025/items/{id}")).await;
    let figures = links_to(&page.body, "/assess/departments/2025/");
    assert!(figures.len() >= 3, "the departments' satisfaction figures: {figures:?}");
    assert!(figures.iter().any(|(_, f)| *f != "—"), "some departments have an index: {figures:?}");
    for (href, figure) in figures {
        let card = perf.get(href).await;
        assert_eq!(card.status, StatusCode::OK, "{href}");
        if figure == "—" {
            assert!(!card.body.contains(r#"id="dept-satisfaction-index""#), "{href} shows an index the item lacks");
        } else {
            card.assert_contains(&format!("<strong>{figure}</strong>"));
        }
    }
}

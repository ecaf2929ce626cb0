//! The excellence self-assessment's scorecard (page, Excel file, year on
//! year) and each year's standard, read by its readers and edited by the
//! performance office while the year is still scoring.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use cppcc_perf::db::audit::AuditContext;
use cppcc_perf::db::excellence::{self as db, ItemRow};
use cppcc_perf::domain::excellence::{Bands, FindingKind, Stage, item_score};
use cppcc_perf::domain::roles::Role;
use cppcc_perf::domain::settings::Settings;
use cppcc_perf::workflow::excellence as flow;
use rust_decimal::Decimal;

use crate::support::{TestApp, sheet_rows};

/// The performance officer who opens the years and records their consensus.
async fn officer(app: &TestApp) -> i64 {
    app.person("perf.office", "绩效办", &[(Role::PerformanceOffice, None)]).await
}

/// Opens `year` and, unless `scoring`, moves it to consensus and agrees the
/// first items at the given percentages; `completed` completes it.
async fn year(app: &TestApp, actor: i64, year: i32, percents: &[i16], stage: Stage) -> Vec<ItemRow> {
    let ctx = AuditContext { actor_id: Some(actor), actor_name: "绩效办".into(), ..Default::default() };
    let bands = Bands::from_settings(&Settings::default());
    let mut tx = app.pool.begin().await.unwrap();
    let id = flow::open_year(&mut tx, &ctx, year, app.today()).await.unwrap().unwrap();
    let items = db::items(&mut tx, year).await.unwrap();
    if stage != Stage::Scoring {
        flow::move_to(&mut tx, &ctx, id, Stage::Consensus, app.today()).await.unwrap();
        for (item, percent) in items.iter().zip(percents) {
            let band = bands.band_of(i32::from(*percent)).unwrap();
            let reason = format!("理由{}", item.code);
            assert!(flow::agree(&mut tx, &ctx, id, item.id, (band, *percent), &reason, None).await.unwrap());
        }
        flow::add_finding(&mut tx, &ctx, (id, items[0].id), FindingKind::Strength, &format!("{year}年优势"), "")
            .await
            .unwrap();
        flow::add_finding(&mut tx, &ctx, (id, items[1].id), FindingKind::Improvement, &format!("{year}年改进"), "")
            .await
            .unwrap();
    }
    if stage == Stage::Completed {
        flow::move_to(&mut tx, &ctx, id, Stage::Completed, app.today()).await.unwrap();
    }
    tx.commit().await.unwrap();
    items
}

/// The agreed score of the first items at `percents`: per category and in total.
fn expected(items: &[ItemRow], percents: &[i16]) -> (BTreeMap<String, Decimal>, Decimal) {
    let mut per: BTreeMap<String, Decimal> = items.iter().map(|i| (i.category_code.clone(), Decimal::ZERO)).collect();
    for (item, percent) in items.iter().zip(percents) {
        *per.get_mut(&item.category_code).unwrap() += item_score(item.points, i32::from(*percent));
    }
    let total = per.values().sum();
    (per, total)
}

const PERCENTS_2026: [i16; 9] = [40, 50, 60, 70, 35, 90, 55, 45, 80];

#[tokio::test]
async fn the_scorecard_totals_points_times_agreed_percent_and_compares_the_years() {
    let app = TestApp::new().await;
    let actor = officer(&app).await;
    year(&app, actor, 2025, &[50; 40], Stage::Completed).await;
    let items = year(&app, actor, 2026, &PERCENTS_2026, Stage::Consensus).await;
    let (per, total) = expected(&items, &PERCENTS_2026);
    let mut leader = app.signed_in(Role::SupervisingLeader).await;

    let page = leader.get("/excellence/2026/scorecard").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains(&format!(r#"id="scorecard-total"><strong>{}</strong> / 1000"#, total.normalize()));
    page.assert_contains(&format!(r#"id="scorecard-agreed">{} / {}"#, PERCENTS_2026.len(), items.len()));
    page.assert_contains(r#"id="scorecard-provisional""#);
    page.assert_contains("2026年度卓越绩效自评报告");
    page.assert_contains("data-print");
    for (code, score) in &per {
        let row = page.body.split(&format!(r#"<tr id="category-{code}">"#)).nth(1).expect("a category row");
        let row = row.split("</tr>").next().unwrap();
        assert!(row.contains(&format!(r#"data-label="得分">{}</td>"#, score.normalize())), "{code}: {row}");
    }
    // The items with their reasons, the findings, and both years side by side (table and radar).
    page.assert_contains(&format!("理由{}", items[0].code));
    page.assert_contains("2026年优势");
    page.assert_contains("2026年改进");
    page.assert_contains(r#"id="year-2025""#);
    page.assert_contains(r#"id="year-2026""#);
    page.assert_contains(r#""id":"chart-years""#);
    page.assert_contains(r#""name":"2025""#);

    // A completed year is not provisional.
    let page = leader.get("/excellence/2025/scorecard").await;
    assert!(!page.body.contains("scorecard-provisional"), "{}", page.body);
    assert!(!page.body.contains(r#"id="year-2026""#), "later years stay out of an earlier year's comparison");
}

#[tokio::test]
async fn the_scorecard_file_holds_the_item_lines_and_the_totals() {
    let app = TestApp::new().await;
    let actor = officer(&app).await;
    let items = year(&app, actor, 2026, &PERCENTS_2026, Stage::Consensus).await;
    let (per, total) = expected(&items, &PERCENTS_2026);
    let mut auditor = app.signed_in(Role::Auditor).await;
    let sheet = auditor.get("/excellence/2026/scorecard.xlsx").await.xlsx();
    let rows = sheet_rows(&sheet);
    assert_eq!(rows.len(), items.len() + per.len() + 1);
    let first = &rows[0];
    assert_eq!((first[0].as_str(), first[1].as_str()), (items[0].category_code.as_str(), items[0].code.as_str()));
    assert_eq!(first[4], items[0].points.to_string());
    assert_eq!(first[5], "40");
    assert_eq!(first[7], format!("理由{}", items[0].code));
    let unagreed = &rows[PERCENTS_2026.len()];
    assert_eq!((unagreed[5].as_str(), unagreed[6].as_str()), ("", ""));
    let number = |text: &str| text.parse::<f64>().unwrap();
    for (row, (code, score)) in rows[items.len()..].iter().zip(&per) {
        assert_eq!(&row[0], code);
        assert_eq!(number(&row[6]), score.to_string().parse::<f64>().unwrap(), "{code}");
    }
    let last = rows.last().unwrap();
    assert_eq!((last[2].as_str(), last[4].as_str()), ("总分", "1000"));
    assert_eq!(number(&last[6]), total.to_string().parse::<f64>().unwrap());
}

#[tokio::test]
async fn staff_read_no_scorecard_and_a_year_without_one_is_not_found() {
    let app = TestApp::new().await;
    let actor = officer(&app).await;
    year(&app, actor, 2026, &[], Stage::Scoring).await;
    let mut staff = app.signed_in(Role::Staff).await;
    assert_eq!(staff.get("/excellence/2026/scorecard").await.status, StatusCode::FORBIDDEN);
    assert_eq!(staff.get("/excellence/2026/standard").await.status, StatusCode::FORBIDDEN);
    let mut perf = app.login_as("perf.office").await;
    assert_eq!(perf.get("/excellence/2024/scorecard").await.status, StatusCode::NOT_FOUND);
}

/// The form fields of an item with the given points and version.
fn fields<'a>(name: &'a str, points: &'a str, version: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("name_en", "Leadership renamed"),
        ("points", points),
        ("questions", "要点一\n要点二"),
        ("questions_en", ""),
        ("version", version),
    ]
}

#[tokio::test]
async fn the_office_edits_an_item_of_a_scoring_year_at_its_version() {
    let app = TestApp::new().await;
    let actor = officer(&app).await;
    let consensus = year(&app, actor, 2026, &[50], Stage::Consensus).await;
    let items = year(&app, actor, 2027, &[], Stage::Scoring).await;
    let item = &items[0];
    let path = format!("/excellence/2027/standard/items/{}", item.id);
    let mut perf = app.login_as("perf.office").await;

    let page = perf.get("/excellence/2027/standard").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains(r#"id="standard-total""#);
    page.assert_contains("<strong>1000</strong>");
    page.assert_contains(&format!(r#"href="{path}""#));
    assert_eq!(perf.get(&path).await.status, StatusCode::OK);

    // Points out of range: 422, the input kept, the error beside the field.
    let page = perf.post(&path, &fields("新的名称", "0", &item.version.to_string())).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains(r#"value="新的名称""#);
    page.assert_contains(r#"id="points-error""#);

    // A stale version: 409, the input kept.
    let page = perf.post(&path, &fields("新的名称", "120", "999")).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains(r#"id="item-refusal""#);
    page.assert_contains(r#"value="新的名称""#);

    // Saved: the points move the category and the total, with a warning off 1000.
    let page = perf.post(&path, &fields("新的名称", &(item.points + 5).to_string(), &item.version.to_string())).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let saved = db::item(&mut app.pool.acquire().await.unwrap(), 2027, item.id).await.unwrap().unwrap();
    assert_eq!((saved.name.as_str(), saved.points, saved.version), ("新的名称", item.points + 5, item.version + 1));
    assert_eq!(app.count("select count(*) from audit_log where action = 'excellence.item_edited'").await, 1);
    let page = perf.get("/excellence/2027/standard").await;
    page.assert_contains("<strong>1005</strong>");
    page.assert_contains("总分不是 1000 分");

    // An item of another year is not found; a year past scoring refuses edits.
    let other = format!("/excellence/2027/standard/items/{}", consensus[0].id);
    assert_eq!(perf.post(&other, &fields("x", "10", "1")).await.status, StatusCode::NOT_FOUND);
    let locked = format!("/excellence/2026/standard/items/{}", consensus[0].id);
    let page = perf.post(&locked, &fields("改不了", "10", &consensus[0].version.to_string())).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("标准不能再修改");
    let kept = db::item(&mut app.pool.acquire().await.unwrap(), 2026, consensus[0].id).await.unwrap().unwrap();
    assert_eq!(kept.name, consensus[0].name);

    // Staff may not edit.
    let mut staff = app.signed_in(Role::Staff).await;
    assert_eq!(staff.post(&path, &fields("x", "10", "2")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(staff.get(&path).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_office_creates_the_standard_of_a_year_without_one() {
    let app = TestApp::new().await;
    officer(&app).await;
    let mut auditor = app.signed_in(Role::Auditor).await;
    assert_eq!(auditor.get("/excellence/2030/standard").await.status, StatusCode::NOT_FOUND);
    assert_eq!(auditor.post("/excellence/2030/standard", &[]).await.status, StatusCode::FORBIDDEN);

    let mut perf = app.login_as("perf.office").await;
    let page = perf.get("/excellence/2030/standard").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains(r#"id="create-standard""#);
    let page = perf.post("/excellence/2030/standard", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/excellence/2030/standard");
    assert_eq!(app.count("select count(*) from audit_log where action = 'excellence.standard'").await, 1);
    let page = auditor.get("/excellence/2030/standard").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("<strong>1000</strong>");
    assert!(!page.body.contains("standard/items/"), "readers do not edit");
}

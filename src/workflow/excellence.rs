//! The excellence self-assessment's steps shared by the pages and the demo
//! (docs/DOMAIN.md §21): opening a year (its standard copied from the year
//! before, else the shipped edition; its first assessors; its figures),
//! taking the measured figures from the system, scores, consensus, findings,
//! stage moves and turning an improvement into a rectification item. Each
//! writes inside the caller's transaction with its audit row; the caller has
//! checked who acts.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::PgConnection;

use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::boards;
use crate::db::dashboard;
use crate::db::excellence::{self as db, FigureRow, ItemData, ScoreData};
use crate::db::rectification::ItemData as RectificationData;
use crate::db::settings;
use crate::db::surveys;
use crate::domain::excellence::{
    Edition, FIRST_ASSESSORS, Figure, FindingKind, ItemKind, Measure, SHIPPED_EDITION, Stage, office_completion,
};
use crate::domain::rectification::SourceRef;
use crate::domain::satisfaction::Tally;
use crate::error::{AppError, AppResult};
use crate::workflow::boards::office_figures;
use crate::workflow::rectification;

fn actor(ctx: &AuditContext) -> i64 {
    ctx.actor_id.unwrap_or_default()
}

/// Gives `year` a standard unless it has one: a copy of the latest earlier
/// year's, else the shipped edition. Answers where it came from (`None`: it had one).
pub async fn ensure_standard(conn: &mut PgConnection, year: i32) -> AppResult<Option<String>> {
    if db::standard_exists(conn, year).await? {
        return Ok(None);
    }
    if let Some(from) = db::standard_year_before(conn, year).await? {
        db::copy_standard(conn, from, year).await?;
        return Ok(Some(from.to_string()));
    }
    let edition = Edition::parse(SHIPPED_EDITION).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    for (c_order, category) in edition.categories.iter().enumerate() {
        let c_order = i32::try_from(c_order).unwrap_or_default();
        let id = db::insert_category(conn, year, &category.code, &category.name, &category.name_en, c_order).await?;
        for (i_order, item) in category.items.iter().enumerate() {
            let data = ItemData {
                code: &item.code,
                name: &item.name,
                name_en: &item.name_en,
                points: item.points,
                kind: ItemKind::parse(&item.kind).unwrap_or(ItemKind::Process),
                questions: item.questions.trim(),
                questions_en: item.questions_en.trim(),
                measures: &item.measures,
            };
            db::insert_item(conn, id, &data, i32::try_from(i_order).unwrap_or_default()).await?;
        }
    }
    Ok(Some(edition.edition))
}

/// Opens `year`'s self-assessment: its standard, the performance office and
/// the leaders as assessors, and the measured figures. `None` when the year
/// has one already.
pub async fn open_year(
    conn: &mut PgConnection,
    ctx: &AuditContext,
    year: i32,
    today: NaiveDate,
) -> AppResult<Option<i64>> {
    let standard_from = ensure_standard(conn, year).await?;
    let Some(id) = db::create(conn, year, actor(ctx), today).await? else { return Ok(None) };
    let assessors = db::add_role_assessors(conn, id, &FIRST_ASSESSORS, actor(ctx)).await?;
    let summary = json!({ "year": year, "standard_from": standard_from, "assessors": assessors });
    audit::record(conn, ctx, AuditEvent::new("excellence.opened", "excellence_assessment", id, summary)).await?;
    take_figures(conn, ctx, id, year, today).await?;
    Ok(Some(id))
}

/// Takes the measured figures of every year up to `year` the system holds
/// (its annual cycles) from the same queries as their source pages, per
/// department and for the office, and stores them in place of the old ones
/// (docs/DOMAIN.md §21.3).
pub async fn take_figures(
    conn: &mut PgConnection,
    ctx: &AuditContext,
    assessment_id: i64,
    year: i32,
    today: NaiveDate,
) -> AppResult<usize> {
    let mut rows = Vec::new();
    for (y, cycle_id) in db::annual_cycles_until(conn, year).await? {
        rows.extend(year_figures(conn, y, cycle_id, today).await?);
    }
    db::replace_figures(conn, assessment_id, &rows, today).await?;
    let summary = json!({ "year": year, "figures": rows.len() });
    audit::record(conn, ctx, AuditEvent::new("excellence.figures", "excellence_assessment", assessment_id, summary))
        .await?;
    Ok(rows.len())
}

/// One year's figures: per department and the office (`None`).
async fn year_figures(
    conn: &mut PgConnection,
    year: i32,
    cycle_id: i64,
    today: NaiveDate,
) -> AppResult<Vec<FigureRow>> {
    let mut out: Vec<(Measure, Option<i64>, Figure, String)> = Vec::new();
    let office_board = format!("/monitor/office?cycle={cycle_id}");
    let dashboard_plan = format!("/dashboard?plan={cycle_id}");
    let dashboard_assess = format!("/dashboard?assess={cycle_id}");
    // Plan and monitor: the office board's lines of the year's cycle.
    let cycles = boards::cycles(conn, today, Some(cycle_id)).await?;
    if let Some(cycle) = cycles.iter().find(|c| c.id == cycle_id) {
        let figures = office_figures(conn, cycle, today).await?;
        let mut totals = [(0, 0); 3];
        for line in &figures.lines {
            let d = Some(line.department_id);
            let parts = [
                (line.current, line.targets as i64),
                (line.kept, line.kept + line.broken),
                (line.answered_in_time, line.answer_decided),
            ];
            for (total, part) in totals.iter_mut().zip(parts) {
                total.0 += part.0;
                total.1 += part.1;
            }
            out.push((Measure::TargetCompletion, d, Figure::value(line.completion), office_board.clone()));
            out.push((Measure::ReportsOnTime, d, Figure::share(parts[0].0, parts[0].1), dashboard_plan.clone()));
            out.push((Measure::CommitmentsKept, d, Figure::share(parts[1].0, parts[1].1), office_board.clone()));
            out.push((Measure::SlipsAnsweredOnTime, d, Figure::share(parts[2].0, parts[2].1), dashboard_plan.clone()));
        }
        let completions: Vec<Option<Decimal>> = figures.lines.iter().map(|l| l.completion).collect();
        out.push((
            Measure::TargetCompletion,
            None,
            Figure::value(office_completion(&completions)),
            office_board.clone(),
        ));
        out.push((Measure::ReportsOnTime, None, Figure::share(totals[0].0, totals[0].1), dashboard_plan.clone()));
        out.push((Measure::CommitmentsKept, None, Figure::share(totals[1].0, totals[1].1), office_board.clone()));
        out.push((Measure::SlipsAnsweredOnTime, None, Figure::share(totals[2].0, totals[2].1), dashboard_plan.clone()));
    }
    // Supervision items falling due in the year.
    let supervision = db::supervision_timeliness(conn, year, today).await?;
    for s in &supervision {
        out.push((
            Measure::SupervisionOnTime,
            Some(s.department_id),
            Figure::share(s.on_time, s.decided),
            "/supervision".into(),
        ));
    }
    let (on_time, decided) = supervision.iter().fold((0, 0), |(a, b), s| (a + s.on_time, b + s.decided));
    out.push((Measure::SupervisionOnTime, None, Figure::share(on_time, decided), "/supervision".into()));
    // Members' satisfaction, shown from the year's minimum of answers on, as the scorecards show it.
    let minimum = u32::try_from(settings::for_year(conn, year).await?.survey_min_answers).unwrap_or(0);
    let tallies = surveys::department_tallies(conn, year).await?;
    let mut office = Tally::default();
    for (department_id, tally) in &tallies {
        office = office.merged(*tally);
        let index = tally.shown(minimum).then(|| tally.index()).flatten();
        let source = format!("/assess/departments/{year}/{department_id}");
        out.push((Measure::SatisfactionIndex, Some(*department_id), Figure::value(index), source));
    }
    let index = office.shown(minimum).then(|| office.index()).flatten();
    out.push((Measure::SatisfactionIndex, None, Figure::value(index), format!("/assess/departments?year={year}")));
    // Feedback: the year's notices and appeals, and rectification items falling due in the year.
    let later = dashboard::later_stages(conn, cycle_id, year, today).await?;
    let mut sums = [(0, 0); 3];
    for l in &later {
        let parts = [
            (l.notices_in_time, l.notices_in_time + l.notices_late),
            (l.appeals_in_time, l.appeals_in_time + l.appeals_late),
            (l.rectification_in_time, l.rectification_in_time + l.rectification_late),
        ];
        for (sum, part) in sums.iter_mut().zip(parts) {
            sum.0 += part.0;
            sum.1 += part.1;
        }
        let d = Some(l.department_id);
        out.push((Measure::NoticesOnTime, d, Figure::share(parts[0].0, parts[0].1), dashboard_assess.clone()));
        out.push((Measure::AppealsOnTime, d, Figure::share(parts[1].0, parts[1].1), dashboard_assess.clone()));
        out.push((
            Measure::RectificationOnTime,
            d,
            Figure::share(parts[2].0, parts[2].1),
            "/feedback/rectification".into(),
        ));
    }
    out.push((Measure::NoticesOnTime, None, Figure::share(sums[0].0, sums[0].1), dashboard_assess.clone()));
    out.push((Measure::AppealsOnTime, None, Figure::share(sums[1].0, sums[1].1), dashboard_assess));
    out.push((
        Measure::RectificationOnTime,
        None,
        Figure::share(sums[2].0, sums[2].1),
        "/feedback/rectification".into(),
    ));
    Ok(out
        .into_iter()
        .map(|(measure, department_id, f, source)| FigureRow {
            measure: measure.code().to_string(),
            year,
            department_id,
            department_name: None,
            part: f.part,
            whole: f.whole,
            value: f.value,
            source,
        })
        .collect())
}

/// Writes an assessor's score of an item; false when it changed meanwhile.
pub async fn score(
    conn: &mut PgConnection,
    ctx: &AuditContext,
    assessment_id: i64,
    item_id: i64,
    score: &ScoreData<'_>,
) -> Result<bool, sqlx::Error> {
    if !db::save_score(conn, assessment_id, item_id, actor(ctx), score).await? {
        return Ok(false);
    }
    // The value stays out of the log: assessors score independently until consensus.
    let summary = json!({ "item_id": item_id });
    audit::record(conn, ctx, AuditEvent::new("excellence.scored", "excellence_assessment", assessment_id, summary))
        .await?;
    Ok(true)
}

/// Records an item's agreed score; false when it changed meanwhile.
pub async fn agree(
    conn: &mut PgConnection,
    ctx: &AuditContext,
    assessment_id: i64,
    item_id: i64,
    (band, percent): (i16, i16),
    reason: &str,
    version: Option<i32>,
) -> Result<bool, sqlx::Error> {
    if !db::save_consensus(conn, assessment_id, item_id, actor(ctx), band, percent, reason, version).await? {
        return Ok(false);
    }
    let summary = json!({ "item_id": item_id, "band": band, "percent": percent, "reason": reason });
    audit::record(conn, ctx, AuditEvent::new("excellence.agreed", "excellence_assessment", assessment_id, summary))
        .await?;
    Ok(true)
}

/// Writes a strength or an improvement of an item; its id.
pub async fn add_finding(
    conn: &mut PgConnection,
    ctx: &AuditContext,
    (assessment_id, item_id): (i64, i64),
    kind: FindingKind,
    body: &str,
    evidence: &str,
) -> Result<i64, sqlx::Error> {
    let id = db::add_finding(conn, assessment_id, item_id, kind, body, evidence, actor(ctx)).await?;
    let summary = json!({ "assessment_id": assessment_id, "item_id": item_id, "kind": kind.code(), "body": body });
    audit::record(conn, ctx, AuditEvent::new("excellence.finding", "excellence_finding", id, summary)).await?;
    Ok(id)
}

/// Moves a self-assessment to its next stage (the caller checked the move).
pub async fn move_to(
    conn: &mut PgConnection,
    ctx: &AuditContext,
    assessment_id: i64,
    stage: Stage,
    today: NaiveDate,
) -> Result<(), sqlx::Error> {
    let completed = (stage == Stage::Completed).then_some((actor(ctx), today));
    db::set_stage(conn, assessment_id, stage, completed).await?;
    let summary = json!({ "stage": stage.code(), "on": today });
    audit::record(conn, ctx, AuditEvent::new("excellence.stage", "excellence_assessment", assessment_id, summary))
        .await?;
    Ok(())
}

/// Turns an improvement into a rectification item, once: `None` when the
/// finding is not an improvement or was rectified already.
pub async fn rectify(
    conn: &mut PgConnection,
    ctx: &AuditContext,
    finding_id: i64,
    data: &RectificationData,
    reference: &str,
    today: NaiveDate,
) -> Result<Option<i64>, sqlx::Error> {
    if db::lock_finding(conn, finding_id).await? != Some(true) {
        return Ok(None);
    }
    let item = rectification::raise(conn, ctx, data, SourceRef::SelfAssessment, reference, today).await?;
    db::set_finding_rectification(conn, finding_id, item).await?;
    let summary = json!({ "rectification_id": item });
    audit::record(conn, ctx, AuditEvent::new("excellence.rectified", "excellence_finding", finding_id, summary))
        .await?;
    Ok(Some(item))
}

/// The figures of a self-assessment by measure, then by department (`None`:
/// the office), each a series of (year, figure) oldest first.
pub type FigureBook = HashMap<String, HashMap<Option<i64>, Vec<FigureRow>>>;

pub fn figure_book(rows: Vec<FigureRow>) -> FigureBook {
    let mut book: FigureBook = HashMap::new();
    for row in rows {
        book.entry(row.measure.clone()).or_default().entry(row.department_id).or_default().push(row);
    }
    book
}

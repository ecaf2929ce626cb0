//! The Excel exports of a cycle's score page (docs/DOMAIN.md §20.4): the
//! results summary (考核结果汇总表) — the frozen results once the cycle is
//! decided, else the ranking by allocation unit — and the quota allocation
//! table (名额分配表) of the ranking. Both load with the page's own
//! `scores::load`, so a reader gets exactly the rows the page shows them.

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, Utc};

use super::scores::{Standing, load};
use crate::auth::session::CurrentUser;
use crate::db::committee;
use crate::db::decisions::{self, Calibration, ResultRow};
use crate::domain::assessment::{
    AnnualGrade, Distribution, GradeNames, QuarterGrade, ScoreBreakdown, UnitKind, distribution,
};
use crate::error::{AppError, AppResult};
use crate::http::export::xlsx_download;
use crate::http::pages::PageContext;
use crate::state::AppState;
use crate::workflow::assessment::{AnnualLine, Ranked, Unit};
use crate::xlsx::{Cell, Sheet};

/// `GET /assess/cycles/{id}/scores.xlsx`: the results as the page shows them
/// to the reader; a record (protected) once the cycle is decided.
pub async fn cycle_scores_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (cycle, standing) = load(&state, &user, id).await?;
    let now = state.clock.now();
    let sheet = match standing {
        Standing::Decided { results, .. } => results_sheet(&ctx, &cycle.name, &results, now),
        Standing::Quarter(units) => {
            let calibrations = decisions::calibrations(&mut *state.pool.acquire().await?, id).await?;
            quarter_sheet(&ctx, &cycle.name, &units, &calibrations, now)
        }
        Standing::Annual(units) => {
            let mut conn = state.pool.acquire().await?;
            let calibrations = decisions::calibrations(&mut conn, id).await?;
            let vetoes: Vec<i64> =
                committee::hard_vetoes(&mut conn, id).await?.into_iter().map(|v| v.person_id).collect();
            annual_sheet(&ctx, &cycle.name, &units, (&calibrations, &vetoes), now)
        }
    };
    xlsx_download(sheet, "assessment-results", now).await
}

/// A quarterly ranking, unit by unit, as the page lists it: a working list.
fn quarter_sheet(
    ctx: &PageContext,
    cycle: &str,
    units: &[Unit<Option<ScoreBreakdown>, QuarterGrade>],
    calibrations: &[Calibration],
    now: DateTime<Utc>,
) -> Sheet {
    let headers = [
        "export-unit",
        "scores-rank",
        "scores-person",
        "scores-total",
        "scores-band",
        "scores-grade",
        "export-calibration",
    ];
    let mut sheet = Sheet::new(ctx.sheet_head("export-results-title", Some(cycle), &headers, false, now));
    let grade_key = |g: Option<QuarterGrade>| g.map_or("assess-score-missing", QuarterGrade::label_key);
    for unit in units {
        let label = unit_label(ctx, unit);
        for line in &unit.lines {
            sheet.push(vec![
                label.clone().into(),
                rank(line),
                line.person.full_name.clone().into(),
                line.value.as_ref().map(|s| s.total).into(),
                ctx.t(grade_key(line.band)).into(),
                graded(ctx, ctx.t(grade_key(line.grade)), line.over_quota),
                calibrated(ctx, calibrations, line),
            ]);
        }
    }
    sheet
}

/// An annual ranking, unit by unit, with the quarters' grades and the gates
/// (a hard veto first) as the page lists them: a working list.
fn annual_sheet(
    ctx: &PageContext,
    cycle: &str,
    units: &[Unit<AnnualLine, AnnualGrade>],
    (calibrations, vetoes): (&[Calibration], &[i64]),
    now: DateTime<Utc>,
) -> Sheet {
    let headers = [
        "export-unit",
        "scores-rank",
        "scores-person",
        "scores-total",
        "annual-scores-quarters",
        "annual-scores-gates",
        "scores-band",
        "scores-grade",
        "export-calibration",
    ];
    let mut sheet = Sheet::new(ctx.sheet_head("export-results-title", Some(cycle), &headers, false, now));
    for unit in units {
        let label = unit_label(ctx, unit);
        for line in &unit.lines {
            let names = GradeNames::of(line.person.identity_type);
            let grade_key = |g: Option<AnnualGrade>| g.map_or("assess-score-missing", |g| g.label_key(names));
            let quarters = line.value.quarter_grades.iter().map(|g| ctx.t(g.label_key())).collect();
            let veto = vetoes.contains(&line.person.person_id).then(|| ctx.t("veto-badge"));
            let gates = veto.into_iter().chain(line.value.gates.reasons.iter().map(|r| ctx.t(r.label_key()))).collect();
            sheet.push(vec![
                label.clone().into(),
                rank(line),
                line.person.full_name.clone().into(),
                line.value.score.as_ref().map(|s| s.total).into(),
                joined(quarters, " "),
                joined(gates, "、"),
                ctx.t(grade_key(line.band)).into(),
                graded(ctx, ctx.t(grade_key(line.grade)), line.over_quota),
                calibrated(ctx, calibrations, line),
            ]);
        }
    }
    sheet
}

/// The frozen results, department by department: an official record.
fn results_sheet(ctx: &PageContext, cycle: &str, results: &[ResultRow], now: DateTime<Utc>) -> Sheet {
    let headers = ["field-department", "scores-person", "scores-total", "decision-computed", "scores-grade"];
    let mut sheet = Sheet::new(ctx.sheet_head("export-results-title", Some(cycle), &headers, true, now));
    for row in results {
        sheet.push(vec![
            row.department_name.clone().into(),
            row.full_name.clone().into(),
            row.score.into(),
            Cell::text(ctx.t(row.computed.label_key(row.identity_type))),
            Cell::text(ctx.t(row.grade.label_key(row.identity_type))),
        ]);
    }
    sheet
}

/// One allocation unit of the quota table.
struct QuotaRow {
    unit: String,
    people: usize,
    base: usize,
    used: usize,
    /// The computed grades by locale key, with the top grade's quota.
    grades: Distribution<&'static str>,
}

impl QuotaRow {
    fn new<T, G: Copy + PartialEq>(
        ctx: &PageContext,
        unit: &Unit<T, G>,
        grades: &[G],
        key: impl Fn(G) -> &'static str,
    ) -> QuotaRow {
        let counts = distribution(grades, unit.lines.iter().map(|l| l.grade), unit.quota);
        QuotaRow {
            unit: unit_label(ctx, unit),
            people: unit.lines.len(),
            base: unit.base,
            used: unit.used,
            grades: Distribution {
                counts: counts.counts.into_iter().map(|(g, n)| (key(g), n)).collect(),
                without_grade: counts.without_grade,
                quota: counts.quota,
            },
        }
    }
}

/// `GET /assess/cycles/{id}/quotas.xlsx`: each allocation unit of the
/// ranking with its people, its quota base, the top grade's quota and how
/// many hold it, and how the computed grades fall. Only while the page shows
/// the ranking: a decided cycle shows its frozen results instead (404).
pub async fn cycle_quotas_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (cycle, standing) = load(&state, &user, id).await?;
    let now = state.clock.now();
    let (rows, grade_keys): (Vec<QuotaRow>, Vec<&str>) = match standing {
        Standing::Decided { .. } => return Err(AppError::NotFound),
        Standing::Quarter(units) => (
            units.iter().map(|u| QuotaRow::new(&ctx, u, &QuarterGrade::ALL, QuarterGrade::label_key)).collect(),
            QuarterGrade::ALL.into_iter().map(QuarterGrade::label_key).collect(),
        ),
        Standing::Annual(units) => {
            let key = |g: AnnualGrade| g.label_key(GradeNames::CivilServant);
            (
                units.iter().map(|u| QuotaRow::new(&ctx, u, &AnnualGrade::ALL, key)).collect(),
                AnnualGrade::ALL.into_iter().map(key).collect(),
            )
        }
    };
    let mut headers =
        vec!["export-unit", "export-participants", "export-quota-base", "distribution-quota", "export-quota-used"];
    headers.extend(grade_keys);
    headers.push("distribution-without-grade");
    let mut sheet = Sheet::new(ctx.sheet_head("export-quotas-title", Some(&cycle.name), &headers, false, now));
    for row in rows {
        let mut cells =
            vec![row.unit.into(), count(row.people), count(row.base), count(row.grades.quota), count(row.used)];
        cells.extend(row.grades.counts.iter().map(|(_, n)| count(*n)));
        cells.push(count(row.grades.without_grade));
        sheet.push(cells);
    }
    xlsx_download(sheet, "quota-allocation", now).await
}

fn count(n: usize) -> Cell {
    Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// An allocation unit's name as its heading on the page (`assess/unit_name.html`).
fn unit_label<T, G>(ctx: &PageContext, unit: &Unit<T, G>) -> String {
    match (unit.kind, unit.name.as_deref()) {
        (UnitKind::Leaders, _) => ctx.t("scores-unit-leaders"),
        (UnitKind::Pooled, Some(name)) => format!("{}: {name}", ctx.t("scores-unit-pooled")),
        (UnitKind::Pooled, None) => ctx.t("scores-unit-pooled"),
        (UnitKind::Department, Some(name)) => name.to_string(),
        (UnitKind::Department, None) => ctx.t("scores-no-department"),
    }
}

/// The rank, empty for an unranked line.
fn rank<T, G>(line: &Ranked<T, G>) -> Cell {
    if line.rank == usize::MAX { Cell::Empty } else { count(line.rank) }
}

/// The grade after the quota, with the page's mark when it is over the quota.
fn graded(ctx: &PageContext, grade: String, over_quota: bool) -> Cell {
    if over_quota { format!("{grade} · {}", ctx.t("scores-over-quota")).into() } else { grade.into() }
}

/// The committee's calibration of the line's person: the grade and the reason.
fn calibrated<T, G>(ctx: &PageContext, calibrations: &[Calibration], line: &Ranked<T, G>) -> Cell {
    calibrations.iter().find(|c| c.person_id == line.person.person_id).map_or(Cell::Empty, |c| {
        format!("{}（{}）", ctx.t(c.grade.label_key(line.person.identity_type)), c.reason).into()
    })
}

fn joined(parts: Vec<String>, separator: &str) -> Cell {
    if parts.is_empty() { Cell::Empty } else { parts.join(separator).into() }
}

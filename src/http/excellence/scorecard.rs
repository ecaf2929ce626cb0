//! A year's scorecard (docs/DOMAIN.md §21): the agreed total, each
//! category's score and share with a radar chart, the year-on-year
//! comparison, the items' agreed scores with their reasons, and the
//! strengths and improvements with what became of them. The same page
//! prints as the office's annual self-assessment report on A4; its Excel
//! file holds the item lines and the totals.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use super::readable_year;
use crate::auth::session::CurrentUser;
use crate::db::excellence::{self as db, AssessmentRow, ConsensusRow, FindingRow, ItemRow};
use crate::domain::excellence::{
    COMPARED_YEARS, CategoryTotal, FindingKind, ScoredItem, Stage, YearScores, item_score, totals, year_comparison,
};
use crate::domain::policy::Permission;
use crate::error::AppResult;
use crate::http::export::xlsx_download;
use crate::http::monitor::boards::{Series, chart_json};
use crate::http::pages::{PageContext, render};
use crate::state::AppState;
use crate::xlsx::{Cell, Sheet};

/// A category's line: its code and names with its totals.
#[derive(Debug, Clone)]
pub struct CategoryLine {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub total: CategoryTotal,
}

/// An item with its agreed score, if any.
#[derive(Debug, Clone)]
pub struct ItemLine {
    pub item: ItemRow,
    pub agreed: Option<ConsensusRow>,
    pub score: Option<Decimal>,
}

/// What the page and its file show.
pub struct Scorecard {
    pub assessment: AssessmentRow,
    pub categories: Vec<CategoryLine>,
    pub total: CategoryTotal,
    pub items: Vec<ItemLine>,
    pub findings: Vec<FindingRow>,
    /// Every year up to this one, oldest first.
    pub years: Vec<YearScores>,
}

/// The scorecard of `year` for a reader of it.
///
/// Queries: the assessment (and the assessor check), the items, the
/// consensus, the findings and every year's category scores.
async fn load(state: &AppState, user: &CurrentUser, year: i32) -> AppResult<Scorecard> {
    let mut conn = state.pool.acquire().await?;
    let assessment = readable_year(&mut conn, user, year).await?;
    let items = db::items(&mut conn, year).await?;
    let mut agreed: HashMap<i64, ConsensusRow> =
        db::consensus(&mut conn, assessment.id).await?.into_iter().map(|c| (c.item_id, c)).collect();
    let findings = db::findings(&mut conn, assessment.id).await?;
    let by_year = db::scores_by_year(&mut conn).await?;
    let scored: Vec<ScoredItem> = items
        .iter()
        .map(|i| ScoredItem {
            category: i.category_code.clone(),
            points: i.points,
            percent: agreed.get(&i.id).map(|c| i32::from(c.percent)),
        })
        .collect();
    let (lines, total) = totals(&scored);
    let categories = lines
        .into_iter()
        .map(|total| {
            let first = items.iter().find(|i| i.category_code == total.category);
            let (name, name_en) =
                first.map(|i| (i.category_name.clone(), i.category_name_en.clone())).unwrap_or_default();
            CategoryLine { code: total.category.clone(), name, name_en, total }
        })
        .collect::<Vec<_>>();
    let codes: Vec<&str> = categories.iter().map(|c| c.code.as_str()).collect();
    let rows: Vec<(i32, &str, i64, Decimal)> =
        by_year.iter().map(|r| (r.year, r.category_code.as_str(), r.points, r.score)).collect();
    let years = year_comparison(&rows, &codes, year);
    let items = items
        .into_iter()
        .map(|item| {
            let agreed = agreed.remove(&item.id);
            let score = agreed.as_ref().map(|c| item_score(item.points, i32::from(c.percent)));
            ItemLine { item, agreed, score }
        })
        .collect();
    Ok(Scorecard { assessment, categories, total, items, findings, years })
}

/// A radar chart: one axis per category (0–100 %), a series per year.
#[derive(Debug, Serialize)]
struct Radar {
    id: &'static str,
    radar: Vec<Axis>,
    series: Vec<Series>,
}

#[derive(Debug, Serialize)]
struct Axis {
    name: String,
    max: f64,
}

const YEAR_COLOURS: [&str; COMPARED_YEARS] = ["#94a3b8", "#b45309", "#1d4ed8"];

fn radar_json(ctx: &PageContext, card: &Scorecard) -> String {
    let axes = || card.categories.iter().map(|c| Axis { name: category_name(ctx, c), max: 100.0 }).collect();
    let f = |share: &Option<Decimal>| share.and_then(|s| s.to_f64());
    let shares = Radar {
        id: "chart-shares",
        radar: axes(),
        series: vec![Series {
            name: card.assessment.year.to_string(),
            data: card.categories.iter().map(|c| f(&c.total.share())).collect(),
            color: YEAR_COLOURS[COMPARED_YEARS - 1],
        }],
    };
    let recent = &card.years[card.years.len().saturating_sub(COMPARED_YEARS)..];
    let offset = COMPARED_YEARS - recent.len();
    let years = Radar {
        id: "chart-years",
        radar: axes(),
        series: recent
            .iter()
            .enumerate()
            .map(|(i, y)| Series {
                name: y.year.to_string(),
                data: y.shares.iter().map(f).collect(),
                color: YEAR_COLOURS[offset + i],
            })
            .collect(),
    };
    chart_json(&[shares, years])
}

/// A category's name in the page's language (the Chinese one when it has no English name).
fn category_name(ctx: &PageContext, c: &CategoryLine) -> String {
    ctx.in_lang(&c.name, &c.name_en).to_string()
}

#[derive(Template)]
#[template(path = "excellence/scorecard.html")]
pub struct ScorecardPage {
    pub ctx: PageContext,
    pub card: Scorecard,
    pub chart_json: String,
    /// The performance office turns an improvement into a rectification item from here.
    pub may_manage: bool,
}

impl ScorecardPage {
    pub fn category_name(&self, c: &CategoryLine) -> String {
        category_name(&self.ctx, c)
    }

    pub fn provisional(&self) -> bool {
        self.card.assessment.stage != Stage::Completed
    }

    pub fn strengths(&self) -> Vec<&FindingRow> {
        self.card.findings.iter().filter(|f| f.kind == FindingKind::Strength).collect()
    }

    pub fn improvements(&self) -> Vec<&FindingRow> {
        self.card.findings.iter().filter(|f| f.kind == FindingKind::Improvement).collect()
    }

    pub fn report_title(&self) -> String {
        let year = fluent_templates::fluent_bundle::FluentValue::from(self.card.assessment.year.to_string());
        self.ctx.lang.t_args("excellence-report-title", &[("year", year)])
    }

    pub fn share(&self, total: &CategoryTotal) -> String {
        total.share().map_or_else(|| "—".to_string(), |s| format!("{}%", s.normalize()))
    }
}

/// `GET /excellence/{year}/scorecard`: readers of every year and the year's assessors.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(year): Path<i32>,
) -> AppResult<Response> {
    let card = load(&state, &user, year).await?;
    let chart_json = radar_json(&ctx, &card);
    render(&ScorecardPage { ctx, card, chart_json, may_manage: user.may(Permission::ManageExcellence) })
}

/// `GET /excellence/{year}/scorecard.xlsx`: the item lines, each category's total and the total.
pub async fn show_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(year): Path<i32>,
) -> AppResult<Response> {
    let card = load(&state, &user, year).await?;
    let now = state.clock.now();
    let mut sheet =
        Sheet::new(ctx.sheet_head("excellence-scorecard-title", Some(&year.to_string()), &HEADERS, true, now));
    for line in &card.items {
        let i = &line.item;
        let name = ctx.in_lang(&i.name, &i.name_en);
        sheet.push(vec![
            i.category_code.as_str().into(),
            i.code.as_str().into(),
            name.into(),
            ctx.t(&i.kind.label_key()).into(),
            i.points.into(),
            line.agreed.as_ref().map_or(Cell::Empty, |c| i32::from(c.percent).into()),
            line.score.map_or(Cell::Empty, Cell::decimal),
            line.agreed.as_ref().map_or(Cell::Empty, |c| c.reason.as_str().into()),
        ]);
    }
    let total_label = ctx.t("excellence-report-total");
    for (code, name, t) in card
        .categories
        .iter()
        .map(|c| (c.code.as_str(), category_name(&ctx, c), &c.total))
        .chain([("", total_label, &card.total)])
    {
        sheet.push(vec![
            code.into(),
            Cell::Empty,
            name.into(),
            Cell::Empty,
            t.points.into(),
            Cell::Empty,
            Cell::decimal(t.score),
        ]);
    }
    xlsx_download(sheet, &format!("excellence-scorecard-{year}"), now).await
}

const HEADERS: [&str; 8] = [
    "excellence-report-category",
    "excellence-report-code",
    "excellence-report-name",
    "excellence-report-kind",
    "excellence-report-points",
    "excellence-report-percent",
    "excellence-report-score",
    "excellence-report-reason",
];

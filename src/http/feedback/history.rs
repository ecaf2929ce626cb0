//! A person's multi-year record (docs/DOMAIN.md §19.7): grades and scores by
//! year with a trend chart drawn on the server, the counters of the use of
//! results explained year by year (§19.6), and the records proposed and
//! decided; and the department trends.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::auth::session::CurrentUser;
use crate::db::result_use::{self as db, PersonHead, ProposalFilter, ProposalRow};
use crate::domain::assessment::{AnnualGrade, GradeNames};
use crate::domain::result_use::{self, Chart, GradeSource, Rules, YearRow};
use crate::error::{AppError, AppResult};
use crate::http::export::xlsx_download;
use crate::http::pages::{PageContext, render};
use crate::state::AppState;
use crate::xlsx::{Cell, Sheet};

/// One year of the record: the counters' row and the score, when decided here.
pub struct HistoryYear {
    pub row: YearRow,
    pub score: Option<Decimal>,
}

#[derive(Template)]
#[template(path = "feedback/history.html")]
pub struct HistoryPage {
    pub ctx: PageContext,
    pub person: PersonHead,
    pub names: GradeNames,
    /// Newest first.
    pub years: Vec<HistoryYear>,
    pub chart: Option<Chart>,
    pub rules: Rules,
    pub records: Vec<ProposalRow>,
    /// Rectification items they own or that were raised from their results (§19.5).
    pub rectifications: Vec<crate::db::rectification::PersonItemRow>,
    /// Their reviews and appeals (§19.4): `None` for a reader who may not see them (a head).
    pub appeals: Option<Vec<crate::db::appeals::AppealRow>>,
    pub today: chrono::NaiveDate,
}

impl HistoryPage {
    pub fn xlsx_href(&self) -> String {
        format!("/feedback/people/{}/record.xlsx", self.person.id)
    }

    pub fn grade_key(&self, grade: &AnnualGrade) -> &'static str {
        grade.label_key(self.names)
    }

    pub fn imported(&self, source: &GradeSource) -> bool {
        *source == GradeSource::Imported
    }

    pub fn count(&self, value: &Option<u32>, of: &u32) -> String {
        value.map_or_else(|| "—".to_string(), |v| format!("{v}/{of}"))
    }
}

/// `GET /feedback/my`: the signed-in person's own record.
pub async fn mine(user: CurrentUser) -> AppResult<Response> {
    Ok(Redirect::to(&format!("/feedback/people/{}", user.id())).into_response())
}

/// `GET /feedback/people/{id}`: their own, or one the office, the committee
/// or the person's head reads; anyone else gets 403.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    render(&history_page(&state, &user, ctx, id).await?)
}

/// `GET /feedback/my.xlsx`: any signed-in person's own grades by year.
pub async fn mine_xlsx(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let id = user.id();
    history_xlsx(&state, &user, ctx, id).await
}

/// `GET /feedback/people/{id}/record.xlsx`: a person's grades by year with
/// the counters, for those who read the record; a protected record.
pub async fn show_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    history_xlsx(&state, &user, ctx, id).await
}

/// The record's table of years as a sheet: year, grade (imported ones
/// marked), score, whether it counts, the counters and the proposals due.
async fn history_xlsx(state: &AppState, user: &CurrentUser, ctx: PageContext, id: i64) -> AppResult<Response> {
    let page = history_page(state, user, ctx, id).await?;
    let now = state.clock.now();
    let headers = [
        "result-use-field-year",
        "history-grade",
        "history-score",
        "history-counted",
        "history-excellent-run",
        "history-step-count",
        "history-level-count",
        "history-incompetent-run",
        "history-due",
    ];
    let ctx = &page.ctx;
    let mut sheet = Sheet::new(ctx.sheet_head("record-title", Some(&page.person.full_name), &headers, true, now));
    let count = |n: u32| Cell::Int(n.into());
    for y in &page.years {
        let row = &y.row;
        let mut grade = ctx.t(page.grade_key(&row.grade));
        if page.imported(&row.source) {
            grade = format!("{grade} · {}", ctx.t("history-imported"));
        }
        let counted = ctx.t(if row.counted { "history-counts" } else { "history-does-not-count" });
        let due: Vec<String> = row.due.iter().map(|k| ctx.t(k.label_key().as_str())).collect();
        sheet.push(vec![
            row.year.into(),
            grade.into(),
            y.score.into(),
            counted.into(),
            count(row.excellent_run),
            row.step_count.map_or(Cell::Empty, count),
            row.level_count.map_or(Cell::Empty, count),
            count(row.incompetent_run),
            if due.is_empty() { Cell::Empty } else { due.join("、").into() },
        ]);
    }
    xlsx_download(sheet, "assessment-record", now).await
}

/// A person's record as `user` may read it; the page and its exports share it.
async fn history_page(state: &AppState, user: &CurrentUser, ctx: PageContext, id: i64) -> AppResult<HistoryPage> {
    let mut conn = state.pool.acquire().await?;
    let person = db::person_head(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    result_use::require_read_history(user.id(), user.grants(), id, person.department_id)?;
    let today = state.clock.today();
    let (counters, rules) = crate::workflow::result_use::person_counters(&mut conn, id, today).await?;
    let scores: BTreeMap<i32, Decimal> = db::final_results(&mut conn, Some(id), today)
        .await?
        .into_iter()
        .filter_map(|r| r.score.map(|s| (r.year, s)))
        .collect();
    let chart = result_use::chart(&scores.iter().filter_map(|(y, s)| Some((*y, s.to_f64()?))).collect::<Vec<_>>());
    let records = db::proposals(&mut conn, &ProposalFilter { person: Some(id), ..ProposalFilter::default() }).await?;
    let years =
        counters.rows.into_iter().rev().map(|row| HistoryYear { score: scores.get(&row.year).copied(), row }).collect();
    let names = GradeNames::of(person.identity_type);
    let rectifications = crate::db::rectification::of_person(&mut conn, id).await?;
    let appeals = match crate::domain::policy::require_read_appeal(user.id(), user.grants(), id) {
        Ok(()) => {
            let filter = crate::db::appeals::Filter { person_id: Some(id), ..Default::default() };
            Some(crate::db::appeals::select(&mut conn, filter).await?)
        }
        Err(_) => None,
    };
    Ok(HistoryPage { ctx, person, names, years, chart, rules, records, rectifications, appeals, today })
}

/// A department's year: its own result and its staff's grades.
pub struct TrendRow {
    pub year: i32,
    pub department_name: String,
    pub score: Option<Decimal>,
    /// The locale key of the department's grade.
    pub grade_key: Option<String>,
    /// Staff per annual grade, in `AnnualGrade::ALL` order.
    pub staff: [i64; 5],
}

#[derive(Template)]
#[template(path = "feedback/trends.html")]
pub struct TrendsPage {
    pub ctx: PageContext,
    /// Newest year first.
    pub rows: Vec<TrendRow>,
    /// The annual grades' names, in `AnnualGrade::ALL` order.
    pub grade_keys: Vec<&'static str>,
}

impl TrendsPage {
    pub fn grade_label(&self, index: &usize) -> String {
        self.grade_keys.get(*index).map(|k| self.ctx.t(k)).unwrap_or_default()
    }
}

/// `GET /feedback/trends`: per department and final year, the department's
/// own grade and score and its staff's grades (heads: their departments).
pub async fn trends(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    render(&trends_page(&state, &user, ctx).await?)
}

/// `GET /feedback/trends.xlsx`: the page's rows, newest year first; a protected record.
pub async fn trends_xlsx(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let page = trends_page(&state, &user, ctx).await?;
    let now = state.clock.now();
    let mut headers =
        vec!["result-use-field-year", "field-department", "trends-department-grade", "trends-department-score"];
    headers.extend(page.grade_keys.iter().copied());
    let ctx = &page.ctx;
    let mut sheet = Sheet::new(ctx.sheet_head("trends-title", None, &headers, true, now));
    for r in &page.rows {
        let mut cells: Vec<Cell> = vec![
            r.year.into(),
            r.department_name.clone().into(),
            r.grade_key.as_deref().map(|k| ctx.t(k)).into(),
            r.score.into(),
        ];
        cells.extend(r.staff.map(Cell::Int));
        sheet.push(cells);
    }
    xlsx_download(sheet, "department-trends", now).await
}

/// The trends as `user` reads them; the page and its export share it.
async fn trends_page(state: &AppState, user: &CurrentUser, ctx: PageContext) -> AppResult<TrendsPage> {
    let scope = result_use::require_trends_reader(user.grants())?;
    let mut conn = state.pool.acquire().await?;
    let today = state.clock.today();
    let mut rows: BTreeMap<(i32, String), TrendRow> = BTreeMap::new();
    let blank = |year, name: &str| TrendRow {
        year,
        department_name: name.to_string(),
        score: None,
        grade_key: None,
        staff: [0; 5],
    };
    for d in db::department_results(&mut conn, scope.as_deref(), today).await? {
        let row = rows.entry((d.year, d.department_name.clone())).or_insert_with(|| blank(d.year, &d.department_name));
        row.score = d.score;
        row.grade_key = d.grade.map(|g| format!("assess-level-{g}"));
    }
    for s in db::staff_grades(&mut conn, scope.as_deref(), today).await? {
        let row = rows.entry((s.year, s.department_name.clone())).or_insert_with(|| blank(s.year, &s.department_name));
        if let Some(i) = AnnualGrade::ALL.iter().position(|g| *g == s.grade) {
            row.staff[i] += s.count;
        }
    }
    let mut rows: Vec<TrendRow> = rows.into_values().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.year));
    let grade_keys = AnnualGrade::ALL.iter().map(|g| g.label_key(GradeNames::CivilServant)).collect();
    Ok(TrendsPage { ctx, rows, grade_keys })
}

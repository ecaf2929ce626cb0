//! The assessment of departments (docs/DOMAIN.md §18.4): the year's ranking
//! with the committee's calibration and decision, and each department's
//! scorecard with every part traced to its sources.

use std::borrow::Borrow;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::{CsrfChecked, CsrfForm};
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::department_assessment::{self as store, parse_level};
use crate::db::{cycles, departments, ledger};
use crate::domain::assessment::Level;
use crate::domain::assessment::department::{Part, PartScore};
use crate::domain::policy::{self, Permission};
use crate::domain::satisfaction::Tally;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::export::xlsx_download;
use crate::http::forms::{FormErrors, optional_id};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::workflow::department_assessment::{self as workflow, DepartmentTrace, RankedDepartment, Ranking};
use crate::xlsx::{Cell, Sheet};

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    pub year: Option<i32>,
}

/// The year a page shows when none is asked: the newest annual cycle that
/// has begun, else this year.
pub async fn default_year(state: &AppState) -> AppResult<i32> {
    let today = state.clock.today();
    let mut conn = state.pool.acquire().await?;
    let begun = cycles::annual_choices(&mut conn).await?.into_iter().find(|c| c.period_start <= today);
    Ok(begun.map_or_else(|| today.year(), |c| c.period_start.year()))
}

fn format_decimal(value: Option<Decimal>) -> String {
    value.map(|v| v.round_dp(2).normalize().to_string()).unwrap_or_else(|| "—".into())
}

/// Calibration as typed, with its errors, for the department it concerns.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CalibrationForm {
    #[serde(default)]
    pub department_id: String,
    #[serde(default)]
    pub grade: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Template)]
#[template(path = "assess/departments.html")]
pub struct RankingPage {
    pub ctx: PageContext,
    pub ranking: Ranking,
    pub years: Vec<i32>,
    pub may_decide: bool,
    /// The departments the reader sees (`None`: all).
    pub scope: Option<Vec<i64>>,
    pub today: NaiveDate,
    pub typed: CalibrationForm,
    pub errors: FormErrors,
}

impl RankingPage {
    pub fn xlsx_href(&self) -> String {
        format!("/assess/departments.xlsx?year={}", self.ranking.year)
    }

    pub fn shown(&self) -> Vec<&RankedDepartment> {
        self.ranking
            .rows
            .iter()
            .filter(|r| self.scope.as_ref().is_none_or(|s| s.contains(&r.trace.department_id)))
            .collect()
    }

    pub fn num(&self, value: &Option<Decimal>) -> String {
        format_decimal(*value)
    }

    pub fn grade_key(&self, grade: impl Borrow<Option<Level>>) -> &'static str {
        grade.borrow().map_or("dept-no-grade", Level::label_key)
    }

    pub fn part_score(&self, row: &RankedDepartment, part: &Part) -> String {
        format_decimal(row.trace.card.parts.iter().find(|p| p.part == *part).and_then(|p| p.score))
    }

    pub fn parts(&self) -> [Part; 5] {
        Part::ALL
    }

    pub fn levels(&self) -> [Level; 4] {
        Level::ALL
    }

    /// The departments the committee may calibrate: every ranked one.
    pub fn calibratable(&self) -> Vec<(i64, &str)> {
        self.ranking.rows.iter().map(|r| (r.trace.department_id, r.trace.name.as_str())).collect()
    }

    pub fn level_code(&self, level: &Level) -> &'static str {
        store::level_code(*level)
    }

    pub fn running(&self) -> bool {
        self.ranking.decision.as_ref().is_some_and(|d| self.today <= d.publicity_until)
    }
}

async fn ranking_page(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    year: i32,
    typed: CalibrationForm,
    errors: FormErrors,
) -> AppResult<RankingPage> {
    let scope = policy::require_score_reader(user.grants())?;
    let today = state.clock.today();
    let mut conn = state.pool.acquire().await?;
    let ranking = workflow::ranking(&mut conn, year, today).await?;
    let mut years: Vec<i32> =
        cycles::annual_choices(&mut conn).await?.into_iter().map(|c| c.period_start.year()).collect();
    years.dedup();
    Ok(RankingPage {
        ctx,
        ranking,
        years,
        may_decide: user.may(Permission::DecideAssessment),
        scope,
        today,
        typed,
        errors,
    })
}

/// The year the query asks for (404 outside 2000–2100), else the default.
async fn chosen_year(state: &AppState, query: &YearQuery) -> AppResult<i32> {
    match query.year {
        Some(y) if (2000..=2100).contains(&y) => Ok(y),
        Some(_) => Err(AppError::NotFound),
        None => default_year(state).await,
    }
}

/// The year's department ranking: everyone who reads scores (heads and
/// leaders their own departments' rows).
pub async fn ranking(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<YearQuery>,
) -> AppResult<Response> {
    policy::require_score_reader(user.grants())?;
    let year = chosen_year(&state, &query).await?;
    render(&ranking_page(&state, &user, ctx, year, CalibrationForm::default(), FormErrors::default()).await?)
}

/// `GET /assess/departments.xlsx?year=`: the ranking's rows the reader sees,
/// each part's score, the bonus, penalties, total and grade; a protected
/// record once the year is decided.
pub async fn ranking_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<YearQuery>,
) -> AppResult<Response> {
    policy::require_score_reader(user.grants())?;
    let year = chosen_year(&state, &query).await?;
    let page = ranking_page(&state, &user, ctx, year, CalibrationForm::default(), FormErrors::default()).await?;
    let now = state.clock.now();
    let mut headers = vec!["scores-rank", "dept-department"];
    headers.extend(Part::ALL.map(Part::label_key));
    headers.extend(["dept-bonus", "dept-penalties", "scores-total", "scores-grade", "export-calibration"]);
    let decided = page.ranking.decision.is_some();
    let mut sheet = Sheet::new(page.ctx.sheet_head("dept-title", Some(&year.to_string()), &headers, decided, now));
    for row in page.shown() {
        let card = &row.trace.card;
        let mut cells: Vec<Cell> =
            vec![row.placement.rank.map(|r| Cell::Int(r as i64)).unwrap_or(Cell::Empty), row.trace.name.clone().into()];
        cells.extend(Part::ALL.map(|p| Cell::from(card.parts.iter().find(|s| s.part == p).and_then(|s| s.score))));
        cells.extend([card.bonus_counted.into(), card.penalties.into(), card.total.into()]);
        let grade = page.ctx.t(page.grade_key(row.grade()));
        let over = row.placement.over_quota.then(|| page.ctx.t("dept-over-quota"));
        cells.push(over.map_or_else(|| grade.clone(), |o| format!("{grade} · {o}")).into());
        cells.push(row.calibration.as_ref().map_or(Cell::Empty, |c| {
            let from = page.ctx.t(page.grade_key(row.placement.grade));
            format!("{} {from}（{}）", page.ctx.t("dept-calibrated-from"), c.reason).into()
        }));
        sheet.push(cells);
    }
    xlsx_download(sheet, "department-ranking", now).await
}

#[derive(Template)]
#[template(path = "assess/department_card.html")]
pub struct CardPage {
    pub ctx: PageContext,
    pub year: i32,
    pub row: RankedDepartment,
    pub decided: bool,
}

impl CardPage {
    pub fn xlsx_href(&self) -> String {
        format!("/assess/departments/{}/{}/card.xlsx", self.year, self.row.trace.department_id)
    }

    pub fn t(&self) -> &DepartmentTrace {
        &self.row.trace
    }

    pub fn num(&self, value: &Option<Decimal>) -> String {
        format_decimal(*value)
    }

    pub fn dec(&self, value: &Decimal) -> String {
        format_decimal(Some(*value))
    }

    pub fn parts(&self) -> &[PartScore] {
        &self.row.trace.card.parts
    }

    pub fn levels(&self) -> [Level; 4] {
        Level::ALL
    }

    pub fn grade_key(&self, grade: impl Borrow<Option<Level>>) -> &'static str {
        grade.borrow().map_or("dept-no-grade", Level::label_key)
    }

    /// A survey's index about the department, when it has enough answers to show.
    pub fn survey_index(&self, tally: &Tally) -> Option<String> {
        tally.shown(self.t().satisfaction_min).then(|| format_decimal(tally.index()))
    }

    /// The penalties as subtracted ("0" when none).
    pub fn penalties(&self) -> String {
        let penalties = self.t().card.penalties;
        if penalties.is_zero() { "0".into() } else { format!("−{}", format_decimal(Some(penalties))) }
    }

    pub fn index(&self) -> String {
        format_decimal(self.t().satisfaction.index())
    }

    pub fn rate(&self) -> String {
        format_decimal(self.t().satisfaction.rate())
    }
}

/// One department's scorecard, every part traced: the readers of the ranking,
/// each for the rows they see.
pub async fn card(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path((year, department_id)): Path<(i32, i64)>,
) -> AppResult<Response> {
    render(&card_page(&state, &user, ctx, year, department_id).await?)
}

/// `GET /assess/departments/{year}/{department}/card.xlsx`: the scorecard's
/// parts, the bonus and penalties, then each ledger entry with its date and
/// reason; a protected record once the year is decided.
pub async fn card_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path((year, department_id)): Path<(i32, i64)>,
) -> AppResult<Response> {
    let page = card_page(&state, &user, ctx, year, department_id).await?;
    let now = state.clock.now();
    let (ctx, trace) = (&page.ctx, page.t());
    let headers = [
        "dept-part",
        "dept-points",
        "dept-weight",
        "dept-measure",
        "dept-score",
        "ledger-field-occurred-on",
        "ledger-field-reason",
    ];
    let detail = format!("{} · {year}", trace.name);
    let mut sheet = Sheet::new(ctx.sheet_head("dept-card-title", Some(&detail), &headers, page.decided, now));
    for p in page.parts() {
        let measure = p.measure.map_or_else(|| ctx.t("dept-not-measured").into(), Cell::decimal);
        sheet.push(vec![ctx.t(p.part.label_key()).into(), p.points.into(), p.weight.into(), measure, p.score.into()]);
    }
    let card = &trace.card;
    let ledger = ctx.t("dept-ledger");
    sheet.push(vec![
        ctx.t("dept-bonus").into(),
        Cell::Empty,
        Cell::Empty,
        card.bonus.into(),
        card.bonus_counted.into(),
    ]);
    sheet.push(vec![ctx.t("dept-penalties").into(), Cell::Empty, Cell::Empty, Cell::Empty, (-card.penalties).into()]);
    for l in &trace.ledger {
        let item = format!("{ledger} · {}", l.item);
        let (empty, points) = (Cell::Empty, Cell::from(l.points));
        sheet.push(vec![
            item.into(),
            empty.clone(),
            empty.clone(),
            empty,
            points,
            l.occurred_on.into(),
            l.reason.clone().into(),
        ]);
    }
    xlsx_download(sheet, "department-scorecard", now).await
}

/// A department's scorecard page for a reader of its ranking row; the page and its export share it.
async fn card_page(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    year: i32,
    department_id: i64,
) -> AppResult<CardPage> {
    let scope = policy::require_score_reader(user.grants())?;
    if scope.as_ref().is_some_and(|s| !s.contains(&department_id)) {
        return Err(AppError::Forbidden);
    }
    if !(2000..=2100).contains(&year) {
        return Err(AppError::NotFound);
    }
    let mut conn = state.pool.acquire().await?;
    let ranking = workflow::ranking(&mut conn, year, state.clock.today()).await?;
    let decided = ranking.decision.is_some();
    let row = ranking.rows.into_iter().find(|r| r.trace.department_id == department_id).ok_or(AppError::NotFound)?;
    Ok(CardPage { ctx, year, row, decided })
}

fn back(year: i32) -> Response {
    Redirect::to(&format!("/assess/departments?year={year}")).into_response()
}

/// Locks the year against a concurrent decision; false (and a flash saying
/// so) once the year is decided.
async fn undecided(conn: &mut PgConnection, session: &Session, year: i32) -> AppResult<bool> {
    store::lock_year(conn, year).await?;
    if store::decision(conn, year).await?.is_some() {
        Flash::error("decision-already").set(session).await?;
        return Ok(false);
    }
    Ok(true)
}

/// Decides the year's department grades (the committee, once): freezes the
/// ranking with its calibrations and opens publicity.
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(year): Path<i32>,
    _: CsrfChecked,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::DecideAssessment)?;
    if !(2000..=2100).contains(&year) {
        return Err(AppError::NotFound);
    }
    let mut tx = state.pool.begin().await?;
    let decided = workflow::decide(&mut tx, year, user.id(), state.clock.now(), state.clock.today()).await?;
    let Some((id, until)) = decided else {
        Flash::error("decision-already").set(&session).await?;
        return Ok(back(year));
    };
    let summary = json!({ "year": year, "publicity_until": until });
    audit::record(
        &mut tx,
        &user.audit,
        AuditEvent::new("department_assessment.decided", "department_decision", id, summary),
    )
    .await?;
    tx.commit().await?;
    Flash::success("dept-decided").set(&session).await?;
    Ok(back(year))
}

/// Gives a department a grade other than the computed one, with a reason
/// (the committee, before the decision; never for their own department).
pub async fn calibrate(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(year): Path<i32>,
    CsrfForm(form): CsrfForm<CalibrationForm>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::DecideAssessment)?;
    let mut tx = state.pool.begin().await?;
    if !undecided(&mut tx, &session, year).await? {
        return Ok(back(year));
    }
    // Every active department is ranked (and offered) while the year is undecided.
    let ranked: Vec<i64> = departments::list(&mut tx).await?.into_iter().filter(|d| d.active).map(|d| d.id).collect();
    let mut errors = FormErrors::default();
    let department_id = errors.check(
        "department_id",
        optional_id(&form.department_id)
            .and_then(|d| d.ok_or(FieldError::Required))
            .and_then(|d| ranked.contains(&d).then_some(d).ok_or(FieldError::Invalid)),
    );
    let grade = errors.check("grade", parse_level(&form.grade).ok_or(FieldError::Invalid).map(Some));
    let reason = errors.check("reason", validate::required_text(&form.reason, 1000));
    if errors.is_empty() && ledger::person_department(&mut tx, user.id()).await?.flatten() == Some(department_id) {
        errors.add_message("department_id", "dept-calibrate-own");
    }
    let Some(grade) = grade.filter(|_| errors.is_empty()) else {
        drop(tx);
        let page = ranking_page(&state, &user, ctx, year, form, errors).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    store::calibrate(&mut tx, year, department_id, grade, &reason, user.id(), state.clock.now()).await?;
    let summary = json!({ "year": year, "grade": store::level_code(grade), "reason": reason });
    audit::record(
        &mut tx,
        &user.audit,
        AuditEvent::new("department_assessment.calibrated", "department", department_id, summary),
    )
    .await?;
    tx.commit().await?;
    Flash::success("dept-calibrated").set(&session).await?;
    Ok(back(year))
}

/// Withdraws a calibration before the decision (the committee).
pub async fn withdraw_calibration(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path((year, department_id)): Path<(i32, i64)>,
    _: CsrfChecked,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::DecideAssessment)?;
    let mut tx = state.pool.begin().await?;
    if !undecided(&mut tx, &session, year).await? {
        return Ok(back(year));
    }
    if !store::withdraw_calibration(&mut tx, year, department_id).await? {
        return Err(AppError::NotFound);
    }
    let summary = json!({ "year": year });
    let event = AuditEvent::new("department_assessment.calibration_withdrawn", "department", department_id, summary);
    audit::record(&mut tx, &user.audit, event).await?;
    tx.commit().await?;
    Flash::success("dept-calibration-withdrawn").set(&session).await?;
    Ok(back(year))
}

//! An item of a year's self-assessment (docs/DOMAIN.md §21.2–§21.3): its
//! questions and the scoring bands, the assessor's own score, the item's
//! strengths and improvements, for a results item the measured figures with
//! their trend and the benchmark, and once scoring has ended every
//! assessor's score and the consensus.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::PgConnection;
use tower_sessions::Session;

use super::readable_year;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::excellence::{
    self as db, AssessmentRow, ConsensusRow, FigureRow, FindingRow, ItemRow, ScoreData, ScoreRow,
};
use crate::db::settings;
use crate::domain::excellence::{
    Bands, FindingKind, ItemKind, Measure, ScoreError, Stage, Step, Trend, allowed, gap, item_score, trend,
};
use crate::domain::policy::Permission;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render_with};
use crate::state::AppState;
use crate::workflow::excellence as flow;

/// A score or a consensus as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScoreForm {
    #[serde(default)]
    pub band: String,
    #[serde(default)]
    pub percent: String,
    /// The assessor's note, or the consensus's reason.
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub version: String,
}

/// A strength or an improvement as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FindingForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub evidence: String,
}

/// One measure of a results item: the office's figure year by year, its
/// trend, the benchmark, and the departments' figures of the assessed year.
#[derive(Debug, Clone)]
pub struct MeasureBlock {
    pub measure: Measure,
    pub office: Vec<FigureRow>,
    pub trend: Option<Trend>,
    pub benchmark: Option<Decimal>,
    pub gap: Option<Decimal>,
    pub departments: Vec<FigureRow>,
}

#[derive(Template)]
#[template(path = "excellence/item.html")]
pub struct ItemPage {
    pub ctx: PageContext,
    pub assessment: AssessmentRow,
    pub item: ItemRow,
    pub bands: Vec<(i16, i32, i32)>,
    pub step: i32,
    /// The assessor's own score, when they have one.
    pub mine: Option<ScoreRow>,
    pub is_assessor: bool,
    pub may_manage: bool,
    /// Every assessor's score: only once scoring has ended.
    pub scores: Vec<ScoreRow>,
    pub suggestion: Option<(i16, i32)>,
    pub consensus: Option<ConsensusRow>,
    pub findings: Vec<FindingRow>,
    pub measures: Vec<MeasureBlock>,
    pub score_form: ScoreForm,
    pub score_errors: FormErrors,
    pub consensus_form: ScoreForm,
    pub consensus_errors: FormErrors,
    pub finding_form: FindingForm,
    pub finding_errors: FormErrors,
    /// A refusal to show at the top (a stale form).
    pub refusal: Option<&'static str>,
}

impl ItemPage {
    pub fn may_score(&self) -> bool {
        self.is_assessor && allowed(self.assessment.stage, Step::Score)
    }

    pub fn may_agree(&self) -> bool {
        self.may_manage && allowed(self.assessment.stage, Step::Agree)
    }

    pub fn may_write_finding(&self) -> bool {
        (self.is_assessor || self.may_manage) && allowed(self.assessment.stage, Step::WriteFinding)
    }

    pub fn scores_shown(&self) -> bool {
        self.assessment.stage != Stage::Scoring
    }

    pub fn points_count(&self) -> i64 {
        i64::from(self.item.points)
    }

    pub fn is_results(&self) -> bool {
        self.item.kind == ItemKind::Results
    }

    /// The locale key of a band's guideline for this item's kind.
    pub fn guideline_key(&self, band: &i16) -> String {
        format!("excellence-guide-{}-{band}", self.item.kind.code())
    }

    pub fn questions(&self) -> Vec<&str> {
        self.ctx
            .in_lang(&self.item.questions, &self.item.questions_en)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect()
    }

    /// An item's score in points at `percent`.
    pub fn points_at(&self, percent: &i16) -> String {
        self.ctx.num(&item_score(self.item.points, i32::from(*percent)))
    }

    /// Evidence lines that are links into the system or to the web.
    pub fn is_link(&self, line: &str) -> bool {
        let line = line.trim();
        (line.starts_with('/') && !line.starts_with("//"))
            || line.starts_with("https://")
            || line.starts_with("http://")
    }

    pub fn figure_text(&self, f: &FigureRow) -> String {
        match (f.value, f.part, f.whole) {
            (Some(v), Some(p), Some(w)) => format!("{}% ({p}/{w})", self.ctx.num(&v)),
            (Some(v), _, _) if Measure::parse(&f.measure).is_some_and(Measure::is_value) => self.ctx.num(&v),
            (Some(v), _, _) => format!("{}%", self.ctx.num(&v)),
            _ => "—".into(),
        }
    }
}

/// What the page is rendered with beyond the loaded records.
#[derive(Default)]
struct Typed {
    score: Option<(ScoreForm, FormErrors)>,
    consensus: Option<(ScoreForm, FormErrors)>,
    finding: Option<(FindingForm, FormErrors)>,
    refusal: Option<&'static str>,
}

async fn item_of(conn: &mut PgConnection, year: i32, item_id: i64) -> AppResult<ItemRow> {
    db::items(conn, year).await?.into_iter().find(|i| i.id == item_id).ok_or(AppError::NotFound)
}

async fn page(
    conn: &mut PgConnection,
    ctx: PageContext,
    user: &CurrentUser,
    assessment: AssessmentRow,
    item: ItemRow,
    typed: Typed,
) -> AppResult<ItemPage> {
    let bands = Bands::from_settings(&settings::for_year(conn, assessment.year).await?);
    let is_assessor = db::is_assessor(conn, assessment.id, user.principal.id).await?;
    let all = db::scores(conn, assessment.id, None).await?;
    let mine = all.iter().find(|s| s.item_id == item.id && s.assessor_id == user.principal.id).cloned();
    let scores: Vec<ScoreRow> = if assessment.stage == Stage::Scoring {
        Vec::new()
    } else {
        all.into_iter().filter(|s| s.item_id == item.id).collect()
    };
    let percents: Vec<i32> = scores.iter().map(|s| i32::from(s.percent)).collect();
    let suggestion = bands.suggestion(&percents);
    let consensus = db::consensus(conn, assessment.id).await?.into_iter().find(|c| c.item_id == item.id);
    let findings = db::findings(conn, assessment.id).await?.into_iter().filter(|f| f.item_id == item.id).collect();
    let measures = if item.kind == ItemKind::Results { measures(conn, &assessment, &item).await? } else { Vec::new() };
    let score_form = mine.as_ref().map_or_else(ScoreForm::default, |s| ScoreForm {
        band: s.band.to_string(),
        percent: s.percent.to_string(),
        note: s.note.clone(),
        version: s.version.to_string(),
    });
    let consensus_form = match (&consensus, suggestion) {
        (Some(c), _) => ScoreForm {
            band: c.band.to_string(),
            percent: c.percent.to_string(),
            note: c.reason.clone(),
            version: c.version.to_string(),
        },
        (None, Some((band, percent))) => {
            ScoreForm { band: band.to_string(), percent: percent.to_string(), ..ScoreForm::default() }
        }
        (None, None) => ScoreForm::default(),
    };
    let (score_form, score_errors) = typed.score.unwrap_or((score_form, FormErrors::default()));
    let (consensus_form, consensus_errors) = typed.consensus.unwrap_or((consensus_form, FormErrors::default()));
    let (finding_form, finding_errors) = typed.finding.unwrap_or_default();
    Ok(ItemPage {
        may_manage: user.may(Permission::ManageExcellence),
        bands: bands.all(),
        step: bands.step(),
        ctx,
        assessment,
        item,
        mine,
        is_assessor,
        scores,
        suggestion,
        consensus,
        findings,
        measures,
        score_form,
        score_errors,
        consensus_form,
        consensus_errors,
        finding_form,
        finding_errors,
        refusal: typed.refusal,
    })
}

/// The measured figures of a results item, measure by measure.
async fn measures(conn: &mut PgConnection, assessment: &AssessmentRow, item: &ItemRow) -> AppResult<Vec<MeasureBlock>> {
    let mut book = flow::figure_book(db::figures(conn, assessment.id).await?);
    let benchmarks = db::benchmarks(conn, assessment.id).await?;
    Ok(item
        .measures
        .iter()
        .filter_map(|code| Measure::parse(code))
        .map(|measure| {
            let mut rows = book.remove(measure.code()).unwrap_or_default();
            let office = rows.remove(&None).unwrap_or_default();
            let mut departments: Vec<FigureRow> =
                rows.into_values().flatten().filter(|f| f.year == assessment.year).collect();
            departments.sort_by(|a, b| a.department_name.cmp(&b.department_name));
            let series: Vec<(i32, Option<Decimal>)> = office.iter().map(|f| (f.year, f.value)).collect();
            let benchmark = benchmarks.iter().find(|(m, _)| m == measure.code()).map(|(_, v)| *v);
            let latest = office.iter().find(|f| f.year == assessment.year).and_then(|f| f.value);
            MeasureBlock { measure, trend: trend(&series), benchmark, gap: gap(latest, benchmark), office, departments }
        })
        .collect())
}

/// `GET /excellence/{year}/items/{item}`: whoever reads the year.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path((year, item_id)): Path<(i32, i64)>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let assessment = readable_year(&mut conn, &user, year).await?;
    let item = item_of(&mut conn, year, item_id).await?;
    let page = page(&mut conn, ctx, &user, assessment, item, Typed::default()).await?;
    render_with(StatusCode::OK, &page)
}

/// What a write on an item starts from: the year as the user reads it, the
/// item of that year (404 otherwise), whether the user scores the year, and
/// the year's stage under its row lock.
struct Locked {
    assessment: AssessmentRow,
    item: ItemRow,
    is_assessor: bool,
    stage: Stage,
}

async fn lock_item(conn: &mut PgConnection, user: &CurrentUser, year: i32, item_id: i64) -> AppResult<Locked> {
    let assessment = readable_year(conn, user, year).await?;
    let item = item_of(conn, year, item_id).await?;
    let is_assessor = db::is_assessor(conn, assessment.id, user.principal.id).await?;
    let Some((_, stage, _)) = db::lock(conn, year).await? else { return Err(AppError::NotFound) };
    Ok(Locked { assessment, item, is_assessor, stage })
}

/// Reads a band and a percentage against the year's bands; the errors are
/// recorded beside the fields.
fn band_and_percent(form: &ScoreForm, bands: &Bands, errors: &mut FormErrors) -> Option<(i16, i16)> {
    let band = errors.check("band", form.band.trim().parse::<i16>().map(Some).map_err(|_| FieldError::Required));
    let percent = match form.percent.trim() {
        "" => Err(FieldError::Required),
        text => text.parse::<i16>().map(Some).map_err(|_| FieldError::Invalid),
    };
    let percent = errors.check("percent", percent);
    let (band, percent) = (band?, percent?);
    match bands.check(band, i32::from(percent)) {
        Ok(()) => Some((band, percent)),
        Err(ScoreError::NoBand) => {
            errors.add("band", FieldError::NotOffered);
            None
        }
        Err(e) => {
            errors.add_message("percent", e.message_key());
            None
        }
    }
}

fn version_of(text: &str) -> Option<i32> {
    text.trim().parse().ok()
}

/// `POST /excellence/{year}/items/{item}/score`: an assessor, while scoring.
pub async fn score(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path((year, item_id)): Path<(i32, i64)>,
    CsrfForm(form): CsrfForm<ScoreForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let Locked { assessment, item, is_assessor, stage } = lock_item(&mut tx, &user, year, item_id).await?;
    if !is_assessor {
        return Err(AppError::Forbidden);
    }
    let bands = Bands::from_settings(&settings::for_year(&mut tx, year).await?);
    let mut errors = FormErrors::default();
    let valid = band_and_percent(&form, &bands, &mut errors);
    let note = errors.check("note", validate::optional_text(&form.note, 2000));
    let refusal = (!allowed(stage, Step::Score)).then_some("excellence-error-not-scoring");
    let saved = match (valid, refusal) {
        (Some((band, percent)), None) if errors.is_empty() => {
            let data = ScoreData { band, percent, note: &note, version: version_of(&form.version) };
            flow::score(&mut tx, &user.audit, assessment.id, item.id, &data).await?
        }
        _ => false,
    };
    if saved {
        tx.commit().await?;
    } else {
        drop(tx);
    }
    let typed = Typed { score: Some((form, errors)), refusal, ..Typed::default() };
    answer(&state, &session, ctx, &user, (assessment, item), (saved, "excellence-scored"), typed).await
}

/// `POST /excellence/{year}/items/{item}/consensus`: the performance office, in consensus.
pub async fn agree(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path((year, item_id)): Path<(i32, i64)>,
    CsrfForm(form): CsrfForm<ScoreForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageExcellence)?;
    let mut tx = state.pool.begin().await?;
    let Locked { assessment, item, stage, .. } = lock_item(&mut tx, &user, year, item_id).await?;
    let bands = Bands::from_settings(&settings::for_year(&mut tx, year).await?);
    let mut errors = FormErrors::default();
    let valid = band_and_percent(&form, &bands, &mut errors);
    let reason = errors.check("note", validate::required_text(&form.note, 2000));
    let refusal = (!allowed(stage, Step::Agree)).then_some("excellence-error-not-consensus");
    let saved = match (valid, refusal) {
        (Some(score), None) if errors.is_empty() => {
            let version = version_of(&form.version);
            flow::agree(&mut tx, &user.audit, assessment.id, item.id, score, &reason, version).await?
        }
        _ => false,
    };
    if saved {
        tx.commit().await?;
    } else {
        drop(tx);
    }
    let typed = Typed { consensus: Some((form, errors)), refusal, ..Typed::default() };
    answer(&state, &session, ctx, &user, (assessment, item), (saved, "excellence-agreed"), typed).await
}

/// After a score or a consensus: back to the item with `flash` when `saved`,
/// else the page again with the form kept — 422 for invalid input, 409 for a
/// stage that does not allow it or a stale form.
async fn answer(
    state: &AppState,
    session: &Session,
    ctx: PageContext,
    user: &CurrentUser,
    (assessment, item): (AssessmentRow, ItemRow),
    (saved, flash): (bool, &'static str),
    mut typed: Typed,
) -> AppResult<Response> {
    if saved {
        Flash::success(flash).set(session).await?;
        return Ok(Redirect::to(&format!("/excellence/{}/items/{}", assessment.year, item.id)).into_response());
    }
    let invalid = typed.score.iter().chain(&typed.consensus).any(|(_, errors)| !errors.is_empty());
    typed.refusal = typed.refusal.or((!invalid).then_some("excellence-error-stale"));
    let status = if invalid { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::CONFLICT };
    let mut conn = state.pool.acquire().await?;
    let page = page(&mut conn, ctx, user, assessment, item, typed).await?;
    render_with(status, &page)
}

/// `POST /excellence/{year}/items/{item}/findings`: assessors and the
/// performance office, until the year is completed.
pub async fn add_finding(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path((year, item_id)): Path<(i32, i64)>,
    CsrfForm(form): CsrfForm<FindingForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let Locked { assessment, item, is_assessor, stage } = lock_item(&mut tx, &user, year, item_id).await?;
    if !is_assessor && !user.may(Permission::ManageExcellence) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FormErrors::default();
    let kind = errors.check("kind", FindingKind::parse(&form.kind).map(Some).ok_or(FieldError::Required));
    let body = errors.check("body", validate::required_text(&form.body, 2000));
    let evidence = errors.check("evidence", validate::optional_text(&form.evidence, 2000));
    let refusal = (!allowed(stage, Step::WriteFinding)).then_some("excellence-error-completed");
    if let (Some(kind), true, None) = (kind, errors.is_empty(), refusal) {
        flow::add_finding(&mut tx, &user.audit, (assessment.id, item.id), kind, &body, &evidence).await?;
        tx.commit().await?;
        Flash::success("excellence-finding-added").set(&session).await?;
        return Ok(Redirect::to(&format!("/excellence/{year}/items/{item_id}#findings")).into_response());
    }
    drop(tx);
    let mut conn = state.pool.acquire().await?;
    let typed = Typed { finding: Some((form, errors)), refusal, ..Typed::default() };
    let page = page(&mut conn, ctx, &user, assessment, item, typed).await?;
    render_with(if refusal.is_some() { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY }, &page)
}

//! The performance office's view of a cycle's ballots and its corrections
//! (docs/DOMAIN.md §17.12): every participant with their ballots (how many
//! from paper, how many corrected), one person's ballots — a democratic one
//! shows no rater and nothing of when it was cast — and the correction of a
//! submitted ballot with a written reason, kept before and after, while the
//! cycle is being assessed and not yet decided. Nobody corrects a ballot about
//! themself or cast by themself.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;
use uuid::Uuid;

use super::ballots::{LevelGrid, ballot_criteria, criterion_name, kind_label};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::ballots::{self, BallotRow, CorrectionRow, ParticipantRow, RateeBallotsRow};
use crate::db::cycles::{self, CycleRow};
use crate::db::decisions;
use crate::domain::assessment::raters::{BallotProblem, check_ballot, is_anonymous, level_code, parse_kind};
use crate::domain::assessment::{Criterion, GroupSummary, Level};
use crate::domain::plan::CycleStage;
use crate::domain::policy::{self, Permission};
use crate::domain::validate::required_text;
use crate::error::{AppError, AppResult};
use crate::http::export::xlsx_download;
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::workflow::ballots::{democratic_summaries, scheme_for_ratee};
use crate::xlsx::{Cell, Sheet};

/// Whether ballots of the cycle may be corrected: in the assessment stage and not decided.
async fn correctable(conn: &mut PgConnection, cycle: &CycleRow) -> AppResult<bool> {
    Ok(cycle.stage == CycleStage::Assessment && decisions::find(conn, cycle.id).await?.is_none())
}

/// The locale key of a stored level code.
fn level_key(code: Option<&str>) -> &'static str {
    Level::ALL.into_iter().find(|l| Some(level_code(*l)) == code).map(Level::label_key).unwrap_or("ballot-level-none")
}

#[derive(Template)]
#[template(path = "assess/cycle_ballots.html")]
pub struct CycleBallotsPage {
    pub ctx: PageContext,
    pub cycle: CycleRow,
    pub rows: Vec<RateeBallotsRow>,
    /// Each participant's democratic evaluation in aggregate, by person.
    pub democratic: HashMap<i64, GroupSummary>,
    /// Rater tasks (all, done) and ballots (all, paper).
    pub tasks: (i64, i64),
    pub ballots: (i64, i64),
    pub open: bool,
}

impl CycleBallotsPage {
    pub fn xlsx_href(&self) -> String {
        format!("/assess/cycles/{}/ballots.xlsx", self.cycle.id)
    }

    pub fn summary(&self, person_id: &i64) -> Option<&GroupSummary> {
        self.democratic.get(person_id)
    }

    pub fn levels(&self) -> [Level; 4] {
        Level::ALL
    }

    pub fn mean(&self, summary: &GroupSummary) -> String {
        summary.mean.map(|m| m.round_dp(2).normalize().to_string()).unwrap_or_else(|| "—".into())
    }
}

/// A cycle's ballots as the performance office reads them: every
/// participant with their ballots, and their democratic evaluation in
/// aggregate — never a ballot or a rater. The page and its export share it.
async fn cycle_ballots_page(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    cycle_id: i64,
) -> AppResult<CycleBallotsPage> {
    policy::require(user.grants(), Permission::ManageCycles)?;
    let mut conn = state.pool.acquire().await?;
    let cycle = cycles::find(&mut conn, cycle_id).await?.ok_or(AppError::NotFound)?;
    let rows = ballots::ballot_overview(&mut conn, cycle_id).await?;
    let democratic = democratic_summaries(&mut conn, &cycle).await?;
    let tasks = ballots::progress(&mut conn, cycle_id).await?;
    let ballots = ballots::ballot_counts(&mut conn, cycle_id).await?;
    let open = correctable(&mut conn, &cycle).await?;
    Ok(CycleBallotsPage { ctx, cycle, rows, democratic, tasks, ballots, open })
}

/// Every participant of a cycle with their ballots, how many from paper and
/// how many corrected, and the democratic evaluation summary (the performance office).
pub async fn cycle_ballots(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(cycle_id): Path<i64>,
) -> AppResult<Response> {
    render(&cycle_ballots_page(&state, &user, ctx, cycle_id).await?)
}

/// `GET /assess/cycles/{id}/ballots.xlsx`: the democratic evaluation summary
/// (民主测评汇总表), a protected record: per participant the page's counts and
/// the democratic group's marks per level and mean, withheld below the
/// minimum as the score withholds them. It holds no rater and no ballot.
pub async fn cycle_ballots_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(cycle_id): Path<i64>,
) -> AppResult<Response> {
    let page = cycle_ballots_page(&state, &user, ctx, cycle_id).await?;
    let now = state.clock.now();
    let ctx = &page.ctx;
    let mut headers = vec![
        "ballots-ratee",
        "field-department",
        "score-ballots",
        "ballots-paper",
        "ballots-corrected",
        "democratic-ballots",
    ];
    headers.extend(Level::ALL.map(Level::label_key));
    headers.push("democratic-mean");
    let mut sheet = Sheet::new(ctx.sheet_head("export-democratic-title", Some(&page.cycle.name), &headers, true, now));
    for row in &page.rows {
        let mut cells: Vec<Cell> = vec![
            row.full_name.clone().into(),
            row.department_name.clone().into(),
            row.ballots.into(),
            row.paper.into(),
            row.corrected.into(),
        ];
        match page.summary(&row.person_id) {
            Some(summary) => {
                cells.push(Cell::Int(summary.ballots as i64));
                match summary.marks {
                    Some(marks) => cells.extend(marks.map(|n| Cell::Int(n as i64))),
                    None => cells.push(ctx.t("score-withheld").into()),
                }
                cells.resize(10, Cell::Empty);
                cells.push(summary.mean.into());
            }
            None => cells.resize(11, Cell::Empty),
        }
        sheet.push(cells);
    }
    xlsx_download(sheet, "democratic-evaluation", now).await
}

#[derive(Template)]
#[template(path = "assess/person_ballots.html")]
pub struct PersonBallotsPage {
    pub ctx: PageContext,
    pub cycle: CycleRow,
    pub person: ParticipantRow,
    pub criteria: Vec<(String, Criterion)>,
    pub ballots: Vec<BallotRow>,
    pub corrections: Vec<CorrectionRow>,
    /// Whether the viewer may correct these ballots now.
    pub may_correct: bool,
    pub user_id: i64,
}

impl PersonBallotsPage {
    pub fn name(&self, criterion: &Criterion) -> String {
        criterion_name(self.ctx.lang, criterion)
    }

    pub fn level_of(&self, levels: &serde_json::Value, criterion: &Criterion) -> &'static str {
        level_key(levels.get(&criterion.key).and_then(|v| v.as_str()))
    }

    pub fn kind_key(&self, ballot: &BallotRow) -> &'static str {
        kind_label(&ballot.rater_kind)
    }

    /// Whether the viewer may correct this ballot (never their own).
    pub fn correctable(&self, ballot: &BallotRow) -> bool {
        self.may_correct && ballot.rater_id != Some(self.user_id)
    }

    pub fn short_id(&self, id: &Uuid) -> String {
        id.simple().to_string()[..8].to_string()
    }
}

/// A person's ballots in a cycle with their corrections (the performance office).
pub async fn person_ballots(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path((cycle_id, person_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::ManageCycles)?;
    let mut conn = state.pool.acquire().await?;
    let cycle = cycles::find(&mut conn, cycle_id).await?.ok_or(AppError::NotFound)?;
    let participants = ballots::participants(&mut conn, cycle_id, None).await?;
    let person = participants.into_iter().find(|p| p.person_id == person_id).ok_or(AppError::NotFound)?;
    let scheme = scheme_for_ratee(&mut conn, &cycle, person_id).await?;
    let ballots = ballots::ballots_about(&mut conn, cycle_id, person_id).await?;
    let corrections = ballots::corrections_about(&mut conn, cycle_id, person_id).await?;
    let may_correct = person_id != user.id() && correctable(&mut conn, &cycle).await?;
    let criteria = ballot_criteria(&scheme, ctx.lang);
    let user_id = user.id();
    render(&PersonBallotsPage { ctx, cycle, person, criteria, ballots, corrections, may_correct, user_id })
}

#[derive(Template)]
#[template(path = "assess/ballot_correction.html")]
pub struct CorrectionPage {
    pub ctx: PageContext,
    pub cycle: CycleRow,
    pub ballot: BallotRow,
    /// The levels and reason as typed (the stored levels at first).
    pub grid: LevelGrid,
    pub errors: FormErrors,
}

impl CorrectionPage {
    pub fn kind_key(&self) -> &'static str {
        kind_label(&self.ballot.rater_kind)
    }

    pub fn is_anonymous(&self) -> bool {
        parse_kind(&self.ballot.rater_kind).is_some_and(is_anonymous)
    }

    pub fn reason(&self) -> String {
        self.grid.typed.get("reason").cloned().unwrap_or_default()
    }

    pub fn back(&self) -> String {
        format!("/assess/cycles/{}/people/{}/ballots", self.ballot.cycle_id, self.ballot.ratee_id)
    }
}

/// A ballot (its row locked) with its cycle, once the viewer may correct it
/// (403 otherwise), and whether the cycle still allows corrections.
async fn ballot_to_correct(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
) -> AppResult<(BallotRow, CycleRow, bool)> {
    policy::require(user.grants(), Permission::ManageCycles)?;
    let ballot = ballots::lock_ballot(conn, id).await?.ok_or(AppError::NotFound)?;
    policy::require_correct_ballot(user.id(), user.grants(), ballot.ratee_id, ballot.rater_id)?;
    let cycle = cycles::find_for_update(conn, ballot.cycle_id).await?.ok_or(AppError::NotFound)?;
    let open = correctable(conn, &cycle).await?;
    Ok((ballot, cycle, open))
}

/// Back to the person's ballots with the message that corrections are closed.
async fn closed(session: &Session, ballot: &BallotRow) -> AppResult<Response> {
    Flash::error("correction-closed").set(session).await?;
    let back = format!("/assess/cycles/{}/people/{}/ballots", ballot.cycle_id, ballot.ratee_id);
    Ok(Redirect::to(&back).into_response())
}

/// The correction form of a submitted ballot, its levels as stored (the
/// performance office, four eyes).
pub async fn correction_form(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let (ballot, cycle, open) = ballot_to_correct(&mut tx, &user, id).await?;
    if !open {
        return closed(&session, &ballot).await;
    }
    let scheme = scheme_for_ratee(&mut tx, &cycle, ballot.ratee_id).await?;
    tx.commit().await?;
    let typed = match &ballot.levels {
        serde_json::Value::Object(map) => {
            map.iter().filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string()))).collect()
        }
        _ => BTreeMap::new(),
    };
    let grid = LevelGrid::new(&scheme, ctx.lang, typed, Vec::new());
    render(&CorrectionPage { ctx, cycle, ballot, grid, errors: FormErrors::default() })
}

/// Corrects a ballot: a level for every criterion and a written reason (422
/// with the input kept), a change to the levels; keeps before and after with
/// the corrector, and audits it — naming the cycle and the person rated, and
/// the rater of a named ballot only.
pub async fn correct(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<Uuid>,
    CsrfForm(typed): CsrfForm<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let (ballot, cycle, open) = ballot_to_correct(&mut tx, &user, id).await?;
    if !open {
        return closed(&session, &ballot).await;
    }
    let scheme = scheme_for_ratee(&mut tx, &cycle, ballot.ratee_id).await?;
    let mut errors = FormErrors::default();
    let reason = errors.check("reason", required_text(typed.get("reason").map_or("", |r| r.as_str()), 500));
    let checked = check_ballot(&scheme, &typed);
    let after = checked.as_ref().ok().map(|levels| {
        json!(levels.iter().map(|(k, l)| (k.clone(), json!(level_code(*l)))).collect::<serde_json::Map<_, _>>())
    });
    if after.as_ref() == Some(&ballot.levels) {
        errors.add_message("levels", "correction-unchanged");
    }
    let (Some(after), true) = (after, errors.is_empty()) else {
        drop(tx);
        let missing = checked.err().unwrap_or_default().into_iter().map(|BallotProblem::Missing(k)| k).collect();
        let grid = LevelGrid::new(&scheme, ctx.lang, typed, missing);
        let page = CorrectionPage { ctx, cycle, ballot, grid, errors };
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let correction = ballots::correct(&mut tx, &ballot, user.id(), &reason, &after, state.clock.now()).await?;
    let mut summary = json!({
        "ratee_id": ballot.ratee_id, "group": ballot.rater_kind, "ballot_id": ballot.id, "correction_id": correction,
        "reason": reason, "before": ballot.levels, "after": after,
    });
    // A democratic ballot's row names no rater; a named one's names its rater.
    if let Some(rater) = ballot.rater_id {
        summary["rater_id"] = json!(rater);
    }
    audit::record(&mut tx, &user.audit, AuditEvent::new("ballot.corrected", "cycle", cycle.id, summary)).await?;
    tx.commit().await?;
    Flash::success("correction-saved").set(&session).await?;
    Ok(Redirect::to(&format!("/assess/cycles/{}/people/{}/ballots", cycle.id, ballot.ratee_id)).into_response())
}

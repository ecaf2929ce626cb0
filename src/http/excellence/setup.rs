//! The performance office's actions on a year (docs/DOMAIN.md §21.4):
//! inviting a department head to score, taking the measured figures again,
//! and moving the year to consensus and to completed. Each checks the stage
//! under the year's row lock and leaves an audit row.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::excellence as db;
use crate::domain::excellence::{Stage, Step, allowed};
use crate::domain::policy::Permission;
use crate::error::{AppError, AppResult};
use crate::http::forms::optional_id;
use crate::http::pages::Flash;
use crate::state::AppState;
use crate::workflow::excellence as flow;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    pub person_id: String,
}

fn back(year: i32) -> Response {
    Redirect::to(&format!("/excellence/{year}")).into_response()
}

/// `POST /excellence/{year}/assessors`: an active department head who is not
/// an assessor yet (anyone else: 422), while scoring.
pub async fn invite(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(year): Path<i32>,
    CsrfForm(form): CsrfForm<InviteForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageExcellence)?;
    let mut tx = state.pool.begin().await?;
    let Some((id, stage, _)) = db::lock(&mut tx, year).await? else { return Err(AppError::NotFound) };
    if !allowed(stage, Step::InviteAssessor) {
        Flash::error("excellence-error-not-scoring").set(&session).await?;
        return Ok(back(year));
    }
    let person = optional_id(&form.person_id).ok().flatten();
    let candidates = db::candidates(&mut tx, id).await?;
    let Some(person) = person.filter(|p| candidates.iter().any(|c| c.person_id == *p)) else {
        return Err(AppError::Unprocessable);
    };
    db::add_assessor(&mut tx, id, person, user.principal.id).await?;
    let summary = serde_json::json!({ "year": year, "person_id": person });
    audit::record(&mut tx, &user.audit, AuditEvent::new("excellence.invited", "excellence_assessment", id, summary))
        .await?;
    tx.commit().await?;
    Flash::success("excellence-invited").set(&session).await?;
    Ok(back(year))
}

/// `POST /excellence/{year}/figures`: takes the measured figures again, until completed.
pub async fn take_figures(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(year): Path<i32>,
    CsrfForm(_): CsrfForm<InviteForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageExcellence)?;
    let mut tx = state.pool.begin().await?;
    let Some((id, stage, _)) = db::lock(&mut tx, year).await? else { return Err(AppError::NotFound) };
    if !allowed(stage, Step::RefreshFigures) {
        Flash::error("excellence-error-completed").set(&session).await?;
        return Ok(back(year));
    }
    flow::take_figures(&mut tx, &user.audit, id, year, state.clock.today()).await?;
    tx.commit().await?;
    Flash::success("excellence-figures-done").set(&session).await?;
    Ok(back(year))
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct StageForm {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub version: String,
}

/// `POST /excellence/{year}/stage`: scoring → consensus, and consensus →
/// completed once every item is agreed. A form older than the year's last
/// change is refused (the stage moved meanwhile).
pub async fn move_stage(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(year): Path<i32>,
    CsrfForm(form): CsrfForm<StageForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageExcellence)?;
    let mut tx = state.pool.begin().await?;
    let Some((id, stage, version)) = db::lock(&mut tx, year).await? else { return Err(AppError::NotFound) };
    let step = match Stage::parse(&form.to) {
        Some(Stage::Consensus) => Step::StartConsensus,
        Some(Stage::Completed) => Step::Complete,
        _ => return Err(AppError::Unprocessable),
    };
    if form.version.trim() != version.to_string() || !allowed(stage, step) {
        Flash::error("excellence-error-stale").set(&session).await?;
        return Ok(back(year));
    }
    if step == Step::Complete {
        let row = db::assessment(&mut tx, year).await?.ok_or(AppError::NotFound)?;
        if row.agreed < row.items {
            Flash::error("excellence-complete-needs-all").set(&session).await?;
            return Ok(back(year));
        }
    }
    let to = if step == Step::Complete { Stage::Completed } else { Stage::Consensus };
    flow::move_to(&mut tx, &user.audit, id, to, state.clock.today()).await?;
    tx.commit().await?;
    Flash::success(if to == Stage::Completed { "excellence-completed" } else { "excellence-consensus-started" })
        .set(&session)
        .await?;
    Ok(back(year))
}

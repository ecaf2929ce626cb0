//! The approval queue (审核队列): sets and change requests awaiting the
//! viewer's decision, with bulk approval.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::targets::{self, ChangeRow, DeciderScope, QueueRow};
use crate::domain::plan::PlanStep;
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::http::pages::{Flash, PageContext, render};
use crate::state::AppState;
use crate::workflow::plan::apply_step;

/// The departments the person decides for.
pub fn decider_scope(user: &CurrentUser) -> DeciderScope {
    let grants = &user.principal.grants;
    DeciderScope {
        person_id: user.id(),
        heads: grants.departments_for(Role::DepartmentHead),
        leads: grants.departments_for(Role::SupervisingLeader),
    }
}

/// Heads and supervising leaders have a queue.
fn require_decider(user: &CurrentUser) -> AppResult<()> {
    if user.principal.grants.has_any(&[Role::DepartmentHead, Role::SupervisingLeader]) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(Template)]
#[template(path = "plan/queue.html")]
pub struct QueuePage {
    pub ctx: PageContext,
    pub sets: Vec<QueueRow>,
    pub changes: Vec<ChangeRow>,
}

pub async fn queue(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    require_decider(&user)?;
    let scope = decider_scope(&user);
    let mut conn = state.pool.acquire().await?;
    let sets = targets::sets_awaiting(&mut conn, &scope).await?;
    let changes = targets::changes_awaiting(&mut conn, &scope).await?;
    render(&QueuePage { ctx, sets, changes })
}

#[derive(Deserialize)]
pub struct BulkForm {
    /// `set id:version` of each ticked set.
    #[serde(default)]
    sets: Vec<String>,
}

/// Approves every ticked set that is still as the viewer saw it; each in its
/// own transaction, so one stale set does not hold back the others.
pub async fn approve_many(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    CsrfForm(form): CsrfForm<BulkForm>,
) -> AppResult<Response> {
    require_decider(&user)?;
    let mut approved = 0;
    let mut skipped = 0;
    for entry in &form.sets {
        let (id, version) = entry.split_once(':').ok_or(AppError::BadRequest)?;
        let (id, version) =
            (id.parse().map_err(|_| AppError::BadRequest)?, version.parse().map_err(|_| AppError::BadRequest)?);
        let mut tx = state.pool.begin().await?;
        match apply_step(&mut tx, &user, id, version, PlanStep::Approve, "").await? {
            Ok(_) => {
                tx.commit().await?;
                approved += 1;
            }
            Err(_) => skipped += 1,
        }
    }
    let flash = if skipped == 0 {
        Flash::success_named("queue-approved", approved.to_string())
    } else {
        Flash::error_named("queue-approved-some", format!("{approved} / {}", approved + skipped))
    };
    flash.set(&session).await?;
    Ok(Redirect::to("/plan/queue").into_response())
}

//! The approval queue (审核队列): sets and change requests awaiting the
//! viewer's decision, with bulk approval.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::clock::OFFICE_TZ;
use crate::db::targets::{self, ChangeRow, QueueRow};
use crate::domain::plan::PlanStep;
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::http::export::xlsx_download;
use crate::http::pages::{Flash, PageContext, render};
use crate::state::AppState;
use crate::workflow::plan::apply_step;
use crate::xlsx::Sheet;

#[derive(Template)]
#[template(path = "plan/queue.html")]
pub struct QueuePage {
    pub ctx: PageContext,
    pub sets: Vec<QueueRow>,
    pub changes: Vec<ChangeRow>,
}

pub async fn queue(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let (sets, changes) = load(&state, &user).await?;
    render(&QueuePage { ctx, sets, changes })
}

/// `GET /plan/queue.xlsx`: the sets of the page, one row each.
pub async fn queue_xlsx(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let (sets, _) = load(&state, &user).await?;
    let now = state.clock.now();
    let headers = [
        "queue-owner",
        "field-department",
        "field-level",
        "field-cycle",
        "field-targets",
        "field-weight-total",
        "queue-submitted-at",
    ];
    let mut sheet = Sheet::new(ctx.sheet_head("queue-title", None, &headers, false, now));
    for set in sets {
        sheet.push(vec![
            set.owner.into(),
            set.department_name.into(),
            ctx.t(set.level.label_key().as_str()).into(),
            set.cycle_name.into(),
            set.targets.into(),
            set.weight_total.into(),
            set.submitted_at.map(|at| at.with_timezone(&OFFICE_TZ).naive_local()).into(),
        ]);
    }
    xlsx_download(sheet, "approval-queue", now).await
}

/// The sets and change requests awaiting the viewer's decision.
async fn load(state: &AppState, user: &CurrentUser) -> AppResult<(Vec<QueueRow>, Vec<ChangeRow>)> {
    policy::require_decider(user.grants())?;
    let scope = user.decider_scope();
    let mut conn = state.pool.acquire().await?;
    let sets = targets::sets_awaiting(&mut conn, &scope).await?;
    let changes = targets::changes_awaiting(&mut conn, &scope).await?;
    Ok((sets, changes))
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
    policy::require_decider(user.grants())?;
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

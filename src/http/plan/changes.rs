//! Change requests (动态管理): an approved target changes only through a
//! request with a reason, decided by the set's approver; the old values stay
//! in the target's history.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use super::target_form::TargetForm;
use super::targets::{FormMode, TargetChoices, form_page};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::targets::{self, TargetData};
use crate::domain::plan::{self, ChangeGroundsError, ChangeStatus};
use crate::domain::policy;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

/// The change request form, pre-filled with the target's current values.
pub async fn change_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let target = targets::find_target(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let set = targets::find_set(&mut conn, target.set_id).await?.ok_or(AppError::NotFound)?;
    drop(conn);
    policy::require_edit_set(user.id(), user.grants(), &set.facts())?;
    let form = TargetForm::from_row(&target);
    render(&form_page(&state, ctx, set, FormMode::Change(id), form, FormErrors::default()).await?)
}

pub async fn request_change(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<TargetForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::default();
    let proposed = form.validate(&mut errors);
    errors.check("reason", validate::optional_text(&form.reason, 500));
    let grounds = match plan::change_grounds(&form.kind, &form.reason) {
        Ok(grounds) => Some(grounds),
        Err(ChangeGroundsError::UnknownKind) => {
            errors.add("kind", FieldError::Required);
            None
        }
        Err(ChangeGroundsError::ReasonRequired) => {
            errors.add("reason", FieldError::Required);
            None
        }
    };
    let mut tx = state.pool.begin().await?;
    let target = targets::find_target(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    targets::lock_set(&mut tx, target.set_id).await?;
    let set = targets::find_set(&mut tx, target.set_id).await?.ok_or(AppError::NotFound)?;
    policy::require_edit_set(user.id(), user.grants(), &set.facts())?;
    if let Err(refusal) = plan::may_request_change(set.status, set.stage) {
        Flash::error(refusal.label_key()).set(&session).await?;
        return Ok(Redirect::to(&format!("/plan/targets/{id}")).into_response());
    }
    TargetChoices::load(&mut tx, &set).await?.check(&proposed, &mut errors);
    if proposed == TargetData::from_row(&target) {
        errors.add("reason", FieldError::Unchanged);
    }
    let Some((kind, reason)) = grounds.filter(|_| errors.is_empty()) else {
        drop(tx);
        let page = form_page(&state, ctx, set, FormMode::Change(id), form, errors).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let proposal = serde_json::to_value(&proposed).map_err(anyhow::Error::from)?;
    let change_id = match targets::create_change(&mut tx, id, user.id(), (kind, &reason), &proposal).await {
        Err(err) if crate::db::is_unique_violation(&err, "target_change_one_pending") => {
            Flash::error("change-already-pending").set(&session).await?;
            return Ok(Redirect::to(&format!("/plan/targets/{id}")).into_response());
        }
        other => other?,
    };
    let summary = json!({ "target_id": id, "kind": kind.code(), "reason": reason, "proposed": proposal });
    audit::record(
        &mut tx,
        &user.audit,
        AuditEvent::new("target_change.requested", "target_change", change_id, summary),
    )
    .await?;
    tx.commit().await?;
    Flash::success("change-requested").set(&session).await?;
    Ok(Redirect::to(&format!("/plan/targets/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    version: i32,
}

/// Approves (applying the proposal and keeping the old values as a revision)
/// or rejects a pending change request.
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<DecideForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let change = targets::find_change(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    targets::lock_set(&mut tx, change.set_id).await?;
    let set = targets::find_set(&mut tx, change.set_id).await?.ok_or(AppError::NotFound)?;
    policy::require_decide_change(user.id(), user.grants(), &set.facts(), change.requested_by_id)?;
    let status = match form.decision.as_str() {
        "approve" => ChangeStatus::Approved,
        "reject" => ChangeStatus::Rejected,
        _ => return Err(AppError::BadRequest),
    };
    let back = Redirect::to(&format!("/plan/targets/{}", change.target_id)).into_response();
    if let Err(refusal) = plan::may_decide_change(change.status, set.status, set.stage) {
        Flash::error(refusal.label_key()).set(&session).await?;
        return Ok(back);
    }
    if status == ChangeStatus::Rejected && form.note.trim().is_empty() {
        Flash::error("change-note-required").set(&session).await?;
        return Ok(back);
    }
    if !targets::decide_change(&mut tx, id, form.version, status, user.id(), form.note.trim()).await? {
        Flash::error("error-stale-edit").set(&session).await?;
        return Ok(back);
    }
    if status == ChangeStatus::Approved {
        let target = targets::find_target(&mut tx, change.target_id).await?.ok_or(AppError::NotFound)?;
        let proposed: TargetData = serde_json::from_value(change.proposed.clone()).map_err(anyhow::Error::from)?;
        targets::update_target(&mut tx, target.id, target.version, &proposed).await?;
        let old = serde_json::to_value(TargetData::from_row(&target)).map_err(anyhow::Error::from)?;
        // The history keeps the ground in the office's words, so a revision
        // never has an empty reason (which marks the first approval).
        let ground = crate::i18n::Lang::default().t(&change.kind.label_key());
        let why = if change.reason.is_empty() { ground } else { format!("{ground}：{}", change.reason) };
        targets::add_revision(&mut tx, target.id, user.id(), &why, &old, &change.proposed).await?;
    }
    let action = format!("target_change.{}", status.code());
    let summary = json!({ "target_id": change.target_id, "note": form.note.trim() });
    audit::record(&mut tx, &user.audit, AuditEvent::new(&action, "target_change", id, summary)).await?;
    tx.commit().await?;
    Flash::success(if status == ChangeStatus::Approved { "change-approved" } else { "change-rejected" })
        .set(&session)
        .await?;
    Ok(back)
}

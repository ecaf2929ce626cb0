//! The steps on an item's page: a progress update with optional evidence,
//! the owner's submission, verification (close-out 销号 or return, never by
//! the owner) and reopening with a reason. Each is one transaction with its
//! audit row; a refused form comes back on the page (422, or 409 when stale).

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use super::{ItemForms, OWNER, readable, refused};
use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::auth::session::CurrentUser;
use crate::db::attachments::{self, NewAttachment};
use crate::db::audit::{self, AuditEvent};
use crate::db::rectification::{self as db, ItemRow};
use crate::domain::policy;
use crate::domain::rectification::Move;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::files::{UploadError, read_upload};
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext};
use crate::state::AppState;
use crate::workflow::rectification::{self as flow, Moved};

const MAX_NOTE: usize = 4000;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct StepForm {
    /// The text of the step: each form names its field after its step.
    #[serde(default, alias = "submit_note", alias = "verify_note", alias = "reopen_reason")]
    pub note: String,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub version: String,
}

fn back(id: i64) -> Response {
    Redirect::to(&format!("/feedback/rectification/{id}")).into_response()
}

/// The item, readable by the user, locked for a step.
async fn locked(conn: &mut PgConnection, user: &CurrentUser, id: i64) -> AppResult<ItemRow> {
    let item = readable(conn, user, id).await?;
    db::lock(conn, id).await?;
    Ok(item)
}

/// A move's outcome as a response: back to the page, or the page with the refusal.
#[allow(clippy::too_many_arguments)]
async fn finish(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    state: &AppState,
    user: &CurrentUser,
    session: &Session,
    ctx: PageContext,
    item: ItemRow,
    moved: Moved,
    (forms, flash): (ItemForms, &'static str),
) -> AppResult<Response> {
    let refusal = match moved {
        Moved::Done(..) => {
            tx.commit().await?;
            Flash::success(flash).set(session).await?;
            return Ok(back(item.id));
        }
        Moved::NotNow => "rectification-error-not-now",
        Moved::Stale => "rectification-error-stale",
    };
    refused(&mut tx, state, user, ctx, item, (forms, FormErrors::default()), Some(refusal)).await
}

/// A multipart progress form read to the end: its fields and checked files.
#[derive(Default)]
struct Upload {
    form: StepForm,
    files: Vec<NewAttachment>,
    error: Option<UploadError>,
}

async fn read_progress(mut multipart: Multipart, max_bytes: usize) -> AppResult<Upload> {
    let mut upload = Upload::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                upload.error.get_or_insert(UploadError::Unreadable);
                break;
            }
        };
        match field.name().unwrap_or_default() {
            "evidence" => {
                if upload.error.is_none() {
                    match read_upload(field, max_bytes).await {
                        Ok(Some(file)) => upload.files.push(file),
                        Ok(None) => {}
                        Err(error) => upload.error = Some(error),
                    }
                }
            }
            name => {
                let name = name.to_string();
                let value = field.text().await.map_err(|_| AppError::BadRequest)?;
                match name.as_str() {
                    "progress_note" => upload.form.note = value,
                    "version" => upload.form.version = value,
                    _ => {}
                }
            }
        }
    }
    Ok(upload)
}

/// The owner's progress update: a dated text and optional evidence files
/// (size and type checked as every upload); an open item is then in progress.
pub async fn progress(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    form: Result<CsrfMultipart, AppError>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let item = locked(&mut tx, &user, id).await?;
    policy::require_rectification_owner(user.id(), &item.facts())?;
    let CsrfMultipart(multipart) = form?;
    let today = state.clock.today();
    let max_bytes = attachments::max_upload_bytes(&mut tx, today).await?;
    let Upload { form, files, error } = read_progress(multipart, usize::try_from(max_bytes).unwrap_or(1)).await?;
    let mut errors = FormErrors::default();
    let note = errors.check("progress_note", validate::required_text(&form.note, MAX_NOTE));
    if let Some(error) = error {
        errors.add_message("evidence", error.label_key());
    }
    let forms = ItemForms { progress: form.note.clone(), ..Default::default() };
    if !errors.is_empty() {
        return refused(&mut tx, &state, &user, ctx, item, (forms, errors), None).await;
    }
    let version = form.version.trim().parse().unwrap_or(-1);
    let moved = flow::apply(&mut tx, &user.audit, &item, version, Move::Progress, &note, today).await?;
    if let Moved::Done(_, step) = moved {
        for file in &files {
            let file_id = attachments::insert(&mut tx, OWNER, step, file, user.id()).await?;
            let summary =
                json!({ "owner_type": OWNER, "owner_id": step, "file_name": file.file_name, "sha256": file.sha256 });
            audit::record(&mut tx, &user.audit, AuditEvent::new("attachment.uploaded", "attachment", file_id, summary))
                .await?;
        }
    }
    finish(tx, &state, &user, &session, ctx, item, moved, (forms, "rectification-progress-saved")).await
}

/// The owner submits the item for verification, with an optional note.
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let item = locked(&mut tx, &user, id).await?;
    policy::require_rectification_owner(user.id(), &item.facts())?;
    let mut errors = FormErrors::default();
    let note = errors.check("submit_note", validate::optional_text(&form.note, MAX_NOTE));
    let forms = ItemForms { submit: form.note.clone(), ..Default::default() };
    if !errors.is_empty() {
        return refused(&mut tx, &state, &user, ctx, item, (forms, errors), None).await;
    }
    let version = form.version.trim().parse().unwrap_or(-1);
    let moved = flow::apply(&mut tx, &user.audit, &item, version, Move::Submit, &note, state.clock.today()).await?;
    finish(tx, &state, &user, &session, ctx, item, moved, (forms, "rectification-submitted")).await
}

/// Verification: close the item out (销号) or return it to its owner with a
/// note; the performance office or the department's head, never the owner.
pub async fn verify(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let item = locked(&mut tx, &user, id).await?;
    policy::require_rectification_verifier(user.id(), user.grants(), &item.facts())?;
    let mut errors = FormErrors::default();
    let step = match form.decision.trim() {
        "close" => Some(Move::Close),
        "return" => Some(Move::Return),
        _ => None,
    };
    if step.is_none() {
        errors.add("decision", FieldError::Required);
    }
    let note = if step == Some(Move::Return) {
        errors.check("verify_note", validate::required_text(&form.note, MAX_NOTE))
    } else {
        errors.check("verify_note", validate::optional_text(&form.note, MAX_NOTE))
    };
    let forms = ItemForms { verify: form.note.clone(), ..Default::default() };
    let (Some(step), true) = (step, errors.is_empty()) else {
        return refused(&mut tx, &state, &user, ctx, item, (forms, errors), None).await;
    };
    let version = form.version.trim().parse().unwrap_or(-1);
    let moved = flow::apply(&mut tx, &user.audit, &item, version, step, &note, state.clock.today()).await?;
    let flash = if step == Move::Close { "rectification-closed" } else { "rectification-returned" };
    finish(tx, &state, &user, &session, ctx, item, moved, (forms, flash)).await
}

/// Reopens a closed item with a reason; the same people as verification.
pub async fn reopen(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let item = locked(&mut tx, &user, id).await?;
    policy::require_rectification_verifier(user.id(), user.grants(), &item.facts())?;
    let mut errors = FormErrors::default();
    let reason = errors.check("reopen_reason", validate::required_text(&form.note, MAX_NOTE));
    let forms = ItemForms { reopen: form.note.clone(), ..Default::default() };
    if !errors.is_empty() {
        return refused(&mut tx, &state, &user, ctx, item, (forms, errors), None).await;
    }
    let version = form.version.trim().parse().unwrap_or(-1);
    let moved = flow::apply(&mut tx, &user.audit, &item, version, Move::Reopen, &reason, state.clock.today()).await?;
    finish(tx, &state, &user, &session, ctx, item, moved, (forms, "rectification-reopened")).await
}

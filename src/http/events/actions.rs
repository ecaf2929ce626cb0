//! The actions on an event's page: its output (marking it held), closing or
//! cancelling it, preparation tasks and follow-ups and marking them done,
//! inviting members, attendance and evidence documents. Each is one
//! transaction with an audit row; a refused form comes back on the page (422).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use super::{OWNER, readable, refused};
use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::auth::session::CurrentUser;
use crate::db::attachments;
use crate::db::audit::{self, AuditEvent};
use crate::db::events::{self, EventRow, OutputData};
use crate::db::{members, people};
use crate::domain::events::{EventStatus, can_move};
use crate::domain::policy;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::files::{UploadError, read_upload};
use crate::http::forms::{FormErrors, optional_id};
use crate::http::pages::{Flash, PageContext};
use crate::state::AppState;
use crate::workflow::events::report_progress_on_target;

/// The forms of the event page as typed, kept after a refusal.
#[derive(Debug, Clone, Default)]
pub struct EventForms {
    pub output: OutputForm,
    pub task: TaskForm,
    pub follow_up: FollowUpForm,
}

impl EventForms {
    pub fn for_event(event: &EventRow) -> EventForms {
        EventForms {
            output: OutputForm {
                summary: event.summary.clone(),
                suggestions_adopted: event.suggestions_adopted.to_string(),
                version: event.version.to_string(),
            },
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OutputForm {
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub suggestions_adopted: String,
    #[serde(default)]
    pub version: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub department_id: String,
    #[serde(default)]
    pub due_on: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FollowUpForm {
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub due_on: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub version: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MembersForm {
    #[serde(default)]
    pub member_ids: Vec<String>,
}

fn due(text: &str) -> Result<Option<NaiveDate>, FieldError> {
    match text.trim() {
        "" => Err(FieldError::Required),
        text => NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| FieldError::Invalid),
    }
}

/// The event, readable and managed by the user.
async fn managed(conn: &mut sqlx::PgConnection, user: &CurrentUser, id: i64) -> AppResult<EventRow> {
    let event = readable(conn, user, id).await?;
    policy::require_manage_event(user.grants(), &event.facts())?;
    events::lock(conn, id).await?;
    Ok(event)
}

fn back(id: i64) -> Response {
    Redirect::to(&format!("/events/{id}")).into_response()
}

/// Records the output and marks a planned event held (or saves a held
/// event's output again); a linked target gets its progress report (§18.2).
pub async fn output(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<OutputForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let event = managed(&mut tx, &user, id).await?;
    if !matches!(event.status, EventStatus::Planned | EventStatus::Held) {
        return Err(AppError::NotFound);
    }
    let mut errors = FormErrors::default();
    let summary = errors.check("summary", validate::required_text(&form.summary, 8000));
    let adopted = match form.suggestions_adopted.trim() {
        "" => Ok(0),
        text => text.parse::<i32>().ok().filter(|n| (0..=10_000).contains(n)).ok_or(FieldError::Invalid),
    };
    let suggestions_adopted = errors.check("suggestions_adopted", adopted);
    let forms = EventForms { output: form.clone(), ..Default::default() };
    if !errors.is_empty() {
        return refused(&mut tx, &state, &user, ctx, event, (forms, errors), None).await;
    }
    let today = state.clock.today();
    let data = OutputData { summary, suggestions_adopted };
    let version = form.version.trim().parse().unwrap_or(-1);
    if !events::record_output(&mut tx, id, version, &data, today).await? {
        return refused(&mut tx, &state, &user, ctx, event, (forms, errors), Some("events-error-stale")).await;
    }
    let report = report_progress_on_target(&mut tx, &event, &data.summary, user.id(), today).await?;
    let summary = json!({ "from": event.status.code(), "suggestions_adopted": data.suggestions_adopted, "progress_report_id": report });
    audit::record(&mut tx, &user.audit, AuditEvent::new("event.output_recorded", "event", id, summary)).await?;
    tx.commit().await?;
    Flash::success("events-output-saved").set(&session).await?;
    Ok(back(id))
}

/// Closes a held event or cancels a planned one.
pub async fn status(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let event = managed(&mut tx, &user, id).await?;
    let forms = EventForms::for_event(&event);
    let to = EventStatus::parse(&form.to).filter(|to| *to != EventStatus::Held && can_move(event.status, *to));
    let Some(to) = to else {
        let mut errors = FormErrors::default();
        errors.add_message("status", "events-error-status");
        return refused(&mut tx, &state, &user, ctx, event, (forms, errors), None).await;
    };
    let version = form.version.trim().parse().unwrap_or(-1);
    if !events::set_status(&mut tx, id, version, to).await? {
        return refused(&mut tx, &state, &user, ctx, event, (forms, FormErrors::default()), Some("events-error-stale"))
            .await;
    }
    let summary = json!({ "from": event.status.code(), "to": to.code() });
    audit::record(&mut tx, &user.audit, AuditEvent::new("event.status_changed", "event", id, summary)).await?;
    tx.commit().await?;
    Flash::success(if to == EventStatus::Cancelled { "events-cancelled" } else { "events-closed" })
        .set(&session)
        .await?;
    Ok(back(id))
}

/// Adds a preparation task: an owner among active people, the responsible
/// department (by default the owner's) and a due date.
pub async fn add_task(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<TaskForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let event = managed(&mut tx, &user, id).await?;
    if !event.status.open() {
        return Err(AppError::NotFound);
    }
    let people = people::choices(&mut tx).await?;
    let departments = crate::db::departments::choices(&mut tx).await?;
    let mut errors = FormErrors::default();
    let title = errors.check("task_title", validate::required_text(&form.title, 200));
    let owner = match optional_id(&form.owner_id) {
        Ok(None) => Err(FieldError::Required),
        Ok(Some(id)) => people.iter().find(|p| p.id == id).ok_or(FieldError::NotOffered).map(Some),
        Err(e) => Err(e),
    };
    let owner = errors.check("task_owner_id", owner);
    let department = match optional_id(&form.department_id) {
        Ok(Some(d)) if departments.iter().any(|x| x.id == d) => Ok(Some(d)),
        Ok(Some(_)) | Err(_) => Err(FieldError::NotOffered),
        Ok(None) => Ok(owner.and_then(|o| o.department_id)),
    };
    let department_id = errors.check("task_department_id", department);
    if owner.is_some() && department_id.is_none() && !errors.has("task_department_id") {
        errors.add("task_department_id", FieldError::Required);
    }
    let due_on = errors.check("task_due_on", due(&form.due_on));
    let forms = EventForms { task: form.clone(), ..EventForms::for_event(&event) };
    let (Some(owner), Some(department_id), Some(due_on), true) = (owner, department_id, due_on, errors.is_empty())
    else {
        return refused(&mut tx, &state, &user, ctx, event, (forms, errors), None).await;
    };
    let task = events::add_task(&mut tx, id, &title, owner.id, department_id, due_on).await?;
    let summary = json!({ "event_id": id, "title": title, "owner_id": owner.id, "department_id": department_id, "due_on": due_on });
    audit::record(&mut tx, &user.audit, AuditEvent::new("event_task.created", "event_task", task, summary)).await?;
    tx.commit().await?;
    Flash::success("events-task-added").set(&session).await?;
    Ok(back(id))
}

/// Marks a task done today: its owner, or the event's managers.
pub async fn finish_task(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(task): Path<i64>,
    CsrfForm(_): CsrfForm<StatusForm>,
) -> AppResult<Response> {
    finish(&state, &user, &session, OwnedItem::Task, task).await
}

/// Adds a follow-up item of a held or closed event.
pub async fn add_follow_up(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<FollowUpForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let event = managed(&mut tx, &user, id).await?;
    if event.status == EventStatus::Cancelled {
        return Err(AppError::NotFound);
    }
    let people = people::choices(&mut tx).await?;
    let mut errors = FormErrors::default();
    let body = errors.check("follow_up_body", validate::required_text(&form.body, 1000));
    let owner = match optional_id(&form.owner_id) {
        Ok(None) => Err(FieldError::Required),
        Ok(Some(id)) if people.iter().any(|p| p.id == id) => Ok(Some(id)),
        _ => Err(FieldError::NotOffered),
    };
    let owner_id = errors.check("follow_up_owner_id", owner);
    let due_on = errors.check("follow_up_due_on", due(&form.due_on));
    let forms = EventForms { follow_up: form.clone(), ..EventForms::for_event(&event) };
    let (Some(owner_id), Some(due_on), true) = (owner_id, due_on, errors.is_empty()) else {
        return refused(&mut tx, &state, &user, ctx, event, (forms, errors), None).await;
    };
    let item = events::add_follow_up(&mut tx, id, &body, owner_id, due_on).await?;
    let summary = json!({ "event_id": id, "body": body, "owner_id": owner_id, "due_on": due_on });
    audit::record(&mut tx, &user.audit, AuditEvent::new("event_follow_up.created", "event_follow_up", item, summary))
        .await?;
    tx.commit().await?;
    Flash::success("events-follow-up-added").set(&session).await?;
    Ok(back(id))
}

/// Marks a follow-up done today: its owner, or the event's managers.
pub async fn finish_follow_up(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(item): Path<i64>,
    CsrfForm(_): CsrfForm<StatusForm>,
) -> AppResult<Response> {
    finish(&state, &user, &session, OwnedItem::FollowUp, item).await
}

/// What an owner marks done: a preparation task or a follow-up.
#[derive(Debug, Clone, Copy)]
enum OwnedItem {
    Task,
    FollowUp,
}

impl OwnedItem {
    /// The audit action, object type and flash of marking one done.
    fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            OwnedItem::Task => ("event_task.done", "event_task", "events-task-done"),
            OwnedItem::FollowUp => ("event_follow_up.done", "event_follow_up", "events-follow-up-done"),
        }
    }
}

/// Marks a task or follow-up done today, audited once (a second click changes
/// nothing): its owner, or the event's managers.
async fn finish(
    state: &AppState,
    user: &CurrentUser,
    session: &Session,
    kind: OwnedItem,
    id: i64,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let owner = match kind {
        OwnedItem::Task => events::task_owner(&mut tx, id).await?,
        OwnedItem::FollowUp => events::follow_up_owner(&mut tx, id).await?,
    };
    let (event_id, owner_id) = owner.ok_or(AppError::NotFound)?;
    let event = readable(&mut tx, user, event_id).await?;
    policy::require_finish_task(user.id(), owner_id, user.grants(), &event.facts())?;
    let today = state.clock.today();
    let done = match kind {
        OwnedItem::Task => events::finish_task(&mut tx, id, user.id(), today).await?,
        OwnedItem::FollowUp => events::finish_follow_up(&mut tx, id, user.id(), today).await?,
    };
    let (action, object, flash) = kind.names();
    if done {
        let summary = json!({ "event_id": event_id, "done_on": today });
        audit::record(&mut tx, &user.audit, AuditEvent::new(action, object, id, summary)).await?;
    }
    tx.commit().await?;
    Flash::success(flash).set(session).await?;
    Ok(back(event_id))
}

/// The ids ticked, each among `offered`; `Err` for any other.
fn ticked(values: &[String], offered: &[i64]) -> Result<Vec<i64>, FieldError> {
    let mut ids = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let id: i64 = value.parse().map_err(|_| FieldError::Invalid)?;
        if !offered.contains(&id) {
            return Err(FieldError::NotOffered);
        }
        ids.push(id);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Invites active members to a planned or held event.
pub async fn invite(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MembersForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let event = managed(&mut tx, &user, id).await?;
    if !event.status.open() {
        return Err(AppError::NotFound);
    }
    let offered: Vec<i64> = members::active(&mut tx).await?.into_iter().map(|m| m.id).collect();
    let mut errors = FormErrors::default();
    let chosen = errors.check("member_ids", ticked(&form.member_ids, &offered));
    if chosen.is_empty() && errors.is_empty() {
        errors.add("member_ids", FieldError::Required);
    }
    if !errors.is_empty() {
        let forms = EventForms::for_event(&event);
        return refused(&mut tx, &state, &user, ctx, event, (forms, errors), None).await;
    }
    let added = events::invite(&mut tx, id, &chosen, user.id()).await?;
    audit::record(
        &mut tx,
        &user.audit,
        AuditEvent::new("event.members_invited", "event", id, json!({ "member_ids": chosen })),
    )
    .await?;
    tx.commit().await?;
    Flash::success_named("events-invited", added.to_string()).set(&session).await?;
    Ok(back(id))
}

/// Records who of the invited attended, once the event was held.
pub async fn attendance(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MembersForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let event = managed(&mut tx, &user, id).await?;
    if !matches!(event.status, EventStatus::Held | EventStatus::Closed) {
        return Err(AppError::NotFound);
    }
    let invited: Vec<i64> = events::invitees(&mut tx, id).await?.into_iter().map(|i| i.member_id).collect();
    let mut errors = FormErrors::default();
    let attended = errors.check("attended", ticked(&form.member_ids, &invited));
    if !errors.is_empty() {
        let forms = EventForms::for_event(&event);
        return refused(&mut tx, &state, &user, ctx, event, (forms, errors), None).await;
    }
    events::set_attendance(&mut tx, id, &attended).await?;
    audit::record(
        &mut tx,
        &user.audit,
        AuditEvent::new("event.attendance_recorded", "event", id, json!({ "attended": attended })),
    )
    .await?;
    tx.commit().await?;
    Flash::success("events-attendance-saved").set(&session).await?;
    Ok(back(id))
}

/// Adds evidence documents (size and type checked as every upload).
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    form: Result<CsrfMultipart, AppError>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let event = managed(&mut tx, &user, id).await?;
    let CsrfMultipart(mut multipart) = form?;
    let max_bytes = attachments::max_upload_bytes(&mut tx, state.clock.today()).await?;
    let mut files = Vec::new();
    let mut error = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("evidence") => {
                match read_upload(field, usize::try_from(max_bytes).unwrap_or(usize::MAX)).await {
                    Ok(Some(file)) => files.push(file),
                    Ok(None) => {}
                    Err(e) => {
                        error.get_or_insert(e);
                    }
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => {
                error.get_or_insert(UploadError::Unreadable);
                break;
            }
        }
    }
    if files.is_empty() {
        error.get_or_insert(UploadError::Empty);
    }
    if let Some(upload_error) = error {
        let forms = EventForms::for_event(&event);
        let mut errors = FormErrors::default();
        errors.add_message("evidence", upload_error.label_key());
        return refused(&mut tx, &state, &user, ctx, event, (forms, errors), None).await;
    }
    for file in &files {
        let file_id = attachments::insert(&mut tx, OWNER, id, file, user.id()).await?;
        let summary =
            json!({ "owner_type": OWNER, "owner_id": id, "file_name": file.file_name, "sha256": file.sha256 });
        audit::record(&mut tx, &user.audit, AuditEvent::new("attachment.uploaded", "attachment", file_id, summary))
            .await?;
    }
    tx.commit().await?;
    Flash::success("events-files-added").set(&session).await?;
    Ok(back(id))
}

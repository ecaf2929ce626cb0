//! Planning an event: the new and edit forms (validated, 422 with the input
//! kept; a stale `version` comes back as the form with 409).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use super::readable;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::departments::{self, DepartmentChoice};
use crate::db::events::{self, EventData, EventRow};
use crate::db::supervision::{self, TargetChoice};
use crate::domain::events::EventKind;
use crate::domain::policy;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::forms::{FormErrors, optional_id};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

/// The plan form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EventForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub department_id: String,
    #[serde(default)]
    pub co_department_ids: Vec<String>,
    #[serde(default)]
    pub target_id: String,
    #[serde(default)]
    pub version: String,
}

fn date(text: &str) -> Result<NaiveDate, FieldError> {
    match text.trim() {
        "" => Err(FieldError::Required),
        text => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| FieldError::Invalid),
    }
}

impl EventForm {
    fn of(event: &EventRow) -> EventForm {
        EventForm {
            kind: event.kind.code().into(),
            title: event.title.clone(),
            topic: event.topic.clone(),
            starts_on: event.starts_on.to_string(),
            ends_on: event.ends_on.to_string(),
            place: event.place.clone(),
            department_id: event.department_id.to_string(),
            co_department_ids: event.co_department_ids.iter().map(i64::to_string).collect(),
            target_id: event.target_id.map(|t| t.to_string()).unwrap_or_default(),
            version: event.version.to_string(),
        }
    }

    pub fn co_runs(&self, id: &i64) -> bool {
        self.co_department_ids.iter().any(|v| v.trim() == id.to_string())
    }

    /// The plan to save, or `None` with the errors recorded; departments and
    /// targets only among those offered.
    fn validate(&self, errors: &mut FormErrors, choices: &Choices) -> Option<EventData> {
        let kind = errors.check("kind", EventKind::parse(&self.kind).map(Some).ok_or(FieldError::Required));
        let title = errors.check("title", validate::required_text(&self.title, 200));
        let topic = errors.check("topic", validate::optional_text(&self.topic, 2000));
        let place = errors.check("place", validate::optional_text(&self.place, 200));
        let starts_on = errors.check("starts_on", date(&self.starts_on).map(Some));
        let ends_on = errors.check("ends_on", date(&self.ends_on).map(Some));
        if let (Some(from), Some(to)) = (starts_on, ends_on)
            && to < from
        {
            errors.add_message("ends_on", "events-error-ends-before-start");
        }
        let department = match optional_id(&self.department_id) {
            Ok(None) => Err(FieldError::Required),
            Ok(Some(id)) if choices.departments.iter().any(|d| d.id == id) => Ok(id),
            _ => Err(FieldError::NotOffered),
        };
        let department_id = errors.check("department_id", department);
        let mut co_department_ids = Vec::new();
        for value in self.co_department_ids.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
            match value.parse::<i64>() {
                Ok(id) if choices.co_departments.iter().any(|d| d.id == id) => co_department_ids.push(id),
                _ => errors.add("co_department_ids", FieldError::NotOffered),
            }
        }
        co_department_ids.sort_unstable();
        co_department_ids.dedup();
        if co_department_ids.contains(&department_id) {
            errors.add_message("co_department_ids", "events-error-co-department-is-owner");
        }
        let target = match optional_id(&self.target_id) {
            Ok(Some(id)) if !choices.targets.iter().any(|t| t.id == id && t.department_id == department_id) => {
                Err(FieldError::NotOffered)
            }
            other => other,
        };
        let target_id = errors.check("target_id", target);
        let (kind, starts_on, ends_on) = (kind?, starts_on?, ends_on?);
        errors.is_empty().then_some(EventData {
            kind,
            title,
            topic,
            starts_on,
            ends_on,
            place,
            department_id,
            co_department_ids,
            target_id,
        })
    }
}

#[derive(Template)]
#[template(path = "events/form.html")]
pub struct EventFormPage {
    pub ctx: PageContext,
    /// `None` for a new event.
    pub event_id: Option<i64>,
    pub form: EventForm,
    pub errors: FormErrors,
    pub refusal: Option<&'static str>,
    pub kinds: &'static [EventKind],
    pub departments: Vec<DepartmentChoice>,
    pub co_departments: Vec<DepartmentChoice>,
    pub targets: Vec<TargetChoice>,
}

/// What the form offers: owner departments in scope (`None`: all), every
/// department to co-run, and the targets of the owner departments.
struct Choices {
    departments: Vec<DepartmentChoice>,
    co_departments: Vec<DepartmentChoice>,
    targets: Vec<TargetChoice>,
}

async fn choices(conn: &mut PgConnection, scope: Option<Vec<i64>>) -> AppResult<Choices> {
    let co_departments = departments::choices(conn).await?;
    let mut owners = co_departments.clone();
    owners.retain(|d| scope.as_ref().is_none_or(|ids| ids.contains(&d.id)));
    let targets = supervision::target_choices(conn, scope.as_deref()).await?;
    Ok(Choices { departments: owners, co_departments, targets })
}

fn page(ctx: PageContext, event_id: Option<i64>, form: EventForm, errors: FormErrors, c: Choices) -> EventFormPage {
    EventFormPage {
        ctx,
        event_id,
        form,
        errors,
        refusal: None,
        kinds: EventKind::ALL,
        departments: c.departments,
        co_departments: c.co_departments,
        targets: c.targets,
    }
}

pub async fn new_form(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let scope = policy::require_event_creator(user.grants())?;
    let c = choices(&mut *state.pool.acquire().await?, scope).await?;
    let form = EventForm {
        department_id: user.principal.department_id.map(|d| d.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    render(&page(ctx, None, form, FormErrors::default(), c))
}

/// Creates a planned event with an audit row.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<EventForm>,
) -> AppResult<Response> {
    let scope = policy::require_event_creator(user.grants())?;
    let mut tx = state.pool.begin().await?;
    let c = choices(&mut tx, scope).await?;
    let mut errors = FormErrors::default();
    let Some(data) = form.validate(&mut errors, &c) else {
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(ctx, None, form, errors, c));
    };
    let id = events::create(&mut tx, &data, user.id()).await?;
    audit::record(&mut tx, &user.audit, AuditEvent::new("event.created", "event", id, plan_summary(&data))).await?;
    tx.commit().await?;
    Flash::success_named("events-created", &data.title).set(&session).await?;
    Ok(Redirect::to(&format!("/events/{id}")).into_response())
}

fn plan_summary(data: &EventData) -> serde_json::Value {
    json!({
        "kind": data.kind.code(), "title": data.title, "starts_on": data.starts_on, "ends_on": data.ends_on,
        "place": data.place, "department_id": data.department_id, "co_department_ids": data.co_department_ids,
        "target_id": data.target_id,
    })
}

/// The managers' scope of owner departments for an edit: all for the office, else their headed ones.
fn edit_scope(user: &CurrentUser, event: &EventRow) -> AppResult<Option<Vec<i64>>> {
    policy::require_manage_event(user.grants(), &event.facts())?;
    if !event.status.plan_editable() {
        return Err(AppError::NotFound);
    }
    Ok(policy::require_event_creator(user.grants())?)
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let event = readable(&mut conn, &user, id).await?;
    let scope = edit_scope(&user, &event)?;
    let c = choices(&mut conn, scope).await?;
    render(&page(ctx, Some(id), EventForm::of(&event), FormErrors::default(), c))
}

/// Saves a planned event's plan at the version the form was loaded at.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<EventForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let event = readable(&mut tx, &user, id).await?;
    let scope = edit_scope(&user, &event)?;
    events::lock(&mut tx, id).await?;
    let c = choices(&mut tx, scope).await?;
    let mut errors = FormErrors::default();
    let Some(data) = form.validate(&mut errors, &c) else {
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(ctx, Some(id), form, errors, c));
    };
    let version: i32 = form.version.trim().parse().unwrap_or(-1);
    if !events::update(&mut tx, id, version, &data).await? {
        let mut page = page(ctx, Some(id), form, errors, c);
        page.refusal = Some("events-error-stale");
        return render_with(StatusCode::CONFLICT, &page);
    }
    audit::record(&mut tx, &user.audit, AuditEvent::new("event.updated", "event", id, plan_summary(&data))).await?;
    tx.commit().await?;
    Flash::success_named("events-saved", &data.title).set(&session).await?;
    Ok(Redirect::to(&format!("/events/{id}")).into_response())
}

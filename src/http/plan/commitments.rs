//! Service commitments (服务承诺制): the office-wide list, public to every
//! signed-in person; the performance office keeps every department's, a head
//! their own departments'.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::Datelike;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::AuditEvent;
use crate::db::commitments::{self, CommitmentData, CommitmentRow};
use crate::db::departments::{self, DepartmentChoice};
use crate::db::posts;
use crate::domain::commitments::{
    SERVICE_MAX_CHARS, STANDARD_MAX_CHARS, can_manage_department_plan_config, can_manage_some_plan_config,
    plan_config_departments, post_fits_department, time_limit_days,
};
use crate::domain::policy;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::admin_form::{AdminForm, Refused, Written};
use crate::http::export::xlsx_download;
use crate::http::forms::{FormErrors, optional_id};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::xlsx::Sheet;

/// A commitment with whether the reader may edit it.
pub struct CommitmentView {
    pub commitment: CommitmentRow,
    pub can_edit: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct CommitmentsQuery {
    #[serde(default)]
    pub department: String,
}

#[derive(Template)]
#[template(path = "plan/commitments.html")]
pub struct CommitmentsPage {
    pub ctx: PageContext,
    pub commitments: Vec<CommitmentView>,
    pub departments: Vec<DepartmentChoice>,
    pub query: CommitmentsQuery,
    pub can_add: bool,
}

/// The office-wide list: any signed-in person (commitments are public within
/// the office; the extractor already refused visitors).
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<CommitmentsQuery>,
) -> AppResult<Response> {
    let grants = user.grants();
    let mut conn = state.pool.acquire().await?;
    let rows = load(&mut conn, &query).await?;
    let departments = departments::choices(&mut conn).await?;
    let commitments = rows
        .into_iter()
        .map(|c| CommitmentView { can_edit: can_manage_department_plan_config(grants, c.department_id), commitment: c })
        .collect();
    render(&CommitmentsPage { ctx, commitments, departments, query, can_add: can_manage_some_plan_config(grants) })
}

pub(crate) const LIST_HEADERS: [&str; 6] = [
    "field-department",
    "field-post",
    "commitment-field-service",
    "commitment-field-standard",
    "commitment-field-time-limit-workdays",
    "field-status",
];

/// `GET /commitments.xlsx`: the commitments as the page lists them, for the
/// same readers (any signed-in person); the office's published commitments,
/// so the sheet is protected (docs/DOMAIN.md §20.2).
pub async fn list_xlsx(
    State(state): State<AppState>,
    _: CurrentUser,
    ctx: PageContext,
    Query(query): Query<CommitmentsQuery>,
) -> AppResult<Response> {
    let rows = load(&mut *state.pool.acquire().await?, &query).await?;
    let now = state.clock.now();
    let mut sheet = Sheet::new(ctx.sheet_head("commitments-title", None, &LIST_HEADERS, true, now));
    for c in rows {
        let status = if c.active { "status-active" } else { "status-inactive" };
        sheet.push(vec![
            c.department_name.into(),
            c.post_title.into(),
            c.service.into(),
            c.standard.into(),
            c.time_limit_days.into(),
            ctx.t(status).into(),
        ]);
    }
    xlsx_download(sheet, "commitments", now).await
}

/// The commitments of the department the query names, or of every department.
async fn load(conn: &mut PgConnection, query: &CommitmentsQuery) -> AppResult<Vec<CommitmentRow>> {
    let department = optional_id(&query.department).unwrap_or(None);
    Ok(commitments::list(conn, department).await?)
}

/// The commitment form as typed, kept when it is shown again with errors.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CommitmentForm {
    #[serde(default)]
    pub department_id: String,
    #[serde(default)]
    pub post_id: String,
    #[serde(default)]
    pub service: String,
    #[serde(default)]
    pub standard: String,
    #[serde(default)]
    pub time_limit_days: String,
    #[serde(default)]
    pub active: Option<String>,
    #[serde(default)]
    pub version: i32,
}

impl CommitmentForm {
    fn from_row(row: &CommitmentRow) -> CommitmentForm {
        CommitmentForm {
            department_id: row.department_id.to_string(),
            post_id: row.post_id.map(|id| id.to_string()).unwrap_or_default(),
            service: row.service.clone(),
            standard: row.standard.clone(),
            time_limit_days: row.time_limit_days.to_string(),
            active: row.active.then(|| "on".into()),
            version: row.version,
        }
    }

    /// Checks the fields; the time limit is at most `max_days` work days (the year's setting).
    fn validate(&self, errors: &mut FormErrors, max_days: i32) -> CommitmentData {
        let department_id = errors.check("department_id", optional_id(&self.department_id));
        if department_id.is_none() && !errors.has("department_id") {
            errors.add("department_id", FieldError::Required);
        }
        CommitmentData {
            department_id: department_id.unwrap_or_default(),
            post_id: errors.check("post_id", optional_id(&self.post_id)),
            service: errors.check("service", validate::required_text(&self.service, SERVICE_MAX_CHARS)),
            standard: errors.check("standard", validate::required_text(&self.standard, STANDARD_MAX_CHARS)),
            time_limit_days: errors.check("time_limit_days", time_limit_days(&self.time_limit_days, max_days)),
            active: self.active.is_some(),
        }
    }
}

/// A post in the form's pick list, labelled "department · title".
pub struct PostOption {
    pub id: i64,
    pub label: String,
}

#[derive(Template)]
#[template(path = "plan/commitment_form.html")]
pub struct CommitmentFormPage {
    pub ctx: PageContext,
    /// None for a new commitment.
    pub id: Option<i64>,
    pub form: CommitmentForm,
    pub errors: FormErrors,
    pub departments: Vec<DepartmentChoice>,
    pub posts: Vec<PostOption>,
    pub conflict: bool,
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    id: Option<i64>,
    form: CommitmentForm,
    errors: FormErrors,
    conflict: bool,
) -> AppResult<CommitmentFormPage> {
    let scope = plan_config_departments(user.grants());
    let in_scope = |d: i64| scope.as_ref().is_none_or(|ids| ids.contains(&d));
    let mut conn = state.pool.acquire().await?;
    let departments = departments::choices(&mut conn).await?.into_iter().filter(|d| in_scope(d.id)).collect();
    let posts = posts::list(&mut conn)
        .await?
        .into_iter()
        .filter(|p| in_scope(p.department_id) && (p.active || form.post_id == p.id.to_string()))
        .map(|p| PostOption { id: p.id, label: format!("{} · {}", p.department_name, p.title) })
        .collect();
    Ok(CommitmentFormPage { ctx, id, form, errors, departments, posts, conflict })
}

/// Validates the form: fields, the department's scope (403 outside it) and
/// that a chosen post belongs to the chosen department. The time limit is
/// held to the settings of `year` (docs/DOMAIN.md §10.1).
async fn checked(
    conn: &mut PgConnection,
    user: &CurrentUser,
    form: &CommitmentForm,
    errors: &mut FormErrors,
    year: i32,
) -> AppResult<CommitmentData> {
    let max_days = crate::db::settings::for_year(conn, year).await?.commitment_max_workdays;
    let data = form.validate(errors, max_days);
    if !errors.has("department_id") {
        policy::require_department_plan_config(user.grants(), data.department_id)?;
        if departments::find(conn, data.department_id).await?.is_none() {
            errors.add("department_id", FieldError::Invalid);
        }
    }
    if let (Some(post_id), false) = (data.post_id, errors.has("department_id")) {
        let post_department = posts::find(conn, post_id).await?.map(|p| p.department_id);
        if let Err(error) = post_fits_department(post_department, data.department_id) {
            errors.add("post_id", error);
        }
    }
    Ok(data)
}

pub async fn new_form(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let scope = policy::require_plan_config_keeper(user.grants())?;
    // A head of one department gets it chosen already.
    let department_id = match scope.as_deref() {
        Some([only]) => only.to_string(),
        _ => String::new(),
    };
    let form = CommitmentForm { department_id, active: Some("on".into()), ..Default::default() };
    render(&form_page(&state, &user, ctx, None, form, FormErrors::default(), false).await?)
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<CommitmentForm>,
) -> AppResult<Response> {
    policy::require_plan_config_keeper(user.grants())?;
    let mut errors = FormErrors::default();
    let year = state.clock.today().year();
    let data = checked(&mut *state.pool.acquire().await?, &user, &form, &mut errors, year).await?;
    let write = async |tx: &mut PgConnection| {
        let id = commitments::create(tx, &data).await?;
        let event = AuditEvent::new("commitment.created", "service_commitment", id, json!({ "after": summary(&data) }));
        Ok(Written::saved(id, event))
    };
    let flash = Flash::success_named("commitment-saved", &data.service);
    let admin = AdminForm { state: &state, user: &user, session: &session };
    match admin.save(errors, None, write, flash, |_| "/commitments".into()).await? {
        Ok(done) => Ok(done),
        Err(refused) => shown_again(&state, &user, ctx, None, form, refused).await,
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    policy::require_plan_config_keeper(user.grants())?;
    let row = commitments::find(&mut *state.pool.acquire().await?, id).await?.ok_or(AppError::NotFound)?;
    policy::require_department_plan_config(user.grants(), row.department_id)?;
    let form = CommitmentForm::from_row(&row);
    render(&form_page(&state, &user, ctx, Some(id), form, FormErrors::default(), false).await?)
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<CommitmentForm>,
) -> AppResult<Response> {
    policy::require_plan_config_keeper(user.grants())?;
    let mut conn = state.pool.acquire().await?;
    let before = commitments::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    policy::require_department_plan_config(user.grants(), before.department_id)?;
    let mut errors = FormErrors::default();
    let data = checked(&mut conn, &user, &form, &mut errors, state.clock.today().year()).await?;
    drop(conn);
    let write = async |tx: &mut PgConnection| {
        // Checking the version read above keeps the audited "before" exact.
        if before.version != form.version || !commitments::update(tx, id, form.version, &data).await? {
            return Ok(Written::Stale);
        }
        let before = CommitmentForm::from_row(&before).validate(&mut FormErrors::default(), i32::MAX);
        let summary = json!({ "before": summary(&before), "after": summary(&data) });
        Ok(Written::saved(id, AuditEvent::new("commitment.updated", "service_commitment", id, summary)))
    };
    let flash = Flash::success_named("commitment-saved", &data.service);
    let admin = AdminForm { state: &state, user: &user, session: &session };
    match admin.save(errors, None, write, flash, |_| "/commitments".into()).await? {
        Ok(done) => Ok(done),
        Err(refused) => shown_again(&state, &user, ctx, Some(id), form, refused).await,
    }
}

/// The form again with the refusal's status and errors.
async fn shown_again(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    id: Option<i64>,
    form: CommitmentForm,
    refused: Refused,
) -> AppResult<Response> {
    let (status, errors, conflict) = refused.parts();
    render_with(status, &form_page(state, user, ctx, id, form, errors, conflict).await?)
}

fn summary(data: &CommitmentData) -> serde_json::Value {
    json!({
        "department_id": data.department_id, "post_id": data.post_id, "service": data.service,
        "standard": data.standard, "time_limit_days": data.time_limit_days, "active": data.active,
    })
}

//! Departments (处室): list, create, edit, deactivate.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::AuditEvent;
use crate::db::departments::{self, DepartmentData, DepartmentRow};
use crate::domain::identity::DepartmentKind;
use crate::domain::policy::Permission;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::admin_form::{AdminForm, Refused, Unique, Written};
use crate::http::forms::{FormErrors, order_number};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "org/departments.html")]
pub struct DepartmentsPage {
    pub ctx: PageContext,
    pub departments: Vec<DepartmentRow>,
    pub can_edit: bool,
}

pub async fn list(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    user.require(Permission::ViewOrganisation)?;
    let departments = departments::list(&mut *state.pool.acquire().await?).await?;
    let can_edit = user.may(Permission::ManageOrganisation);
    render(&DepartmentsPage { ctx, departments, can_edit })
}

/// The department form as typed, kept when it is shown again with errors.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DepartmentForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub sort_order: String,
    #[serde(default)]
    pub active: Option<String>,
    #[serde(default)]
    pub version: i32,
}

impl DepartmentForm {
    fn from_row(row: &DepartmentRow) -> DepartmentForm {
        DepartmentForm {
            name: row.name.clone(),
            kind: row.kind.code().into(),
            sort_order: row.sort_order.to_string(),
            active: row.active.then(|| "on".into()),
            version: row.version,
        }
    }

    fn validate(&self, errors: &mut FormErrors) -> DepartmentData {
        DepartmentData {
            name: errors.check("name", validate::required_text(&self.name, 60)),
            kind: errors
                .check("kind", DepartmentKind::parse(&self.kind).map(Some).ok_or(FieldError::Required))
                .unwrap_or(DepartmentKind::General),
            sort_order: errors.check("sort_order", order_number(&self.sort_order)),
            active: self.active.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "org/department_form.html")]
pub struct DepartmentFormPage {
    pub ctx: PageContext,
    /// None for a new department.
    pub id: Option<i64>,
    pub form: DepartmentForm,
    pub errors: FormErrors,
    pub kinds: [DepartmentKind; 4],
    pub conflict: bool,
}

fn form_page(
    ctx: PageContext,
    id: Option<i64>,
    form: DepartmentForm,
    errors: FormErrors,
    conflict: bool,
) -> DepartmentFormPage {
    DepartmentFormPage { ctx, id, form, errors, kinds: DepartmentKind::ALL, conflict }
}

pub async fn new_form(user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    user.require(Permission::ManageOrganisation)?;
    let form = DepartmentForm { active: Some("on".into()), ..Default::default() };
    render(&form_page(ctx, None, form, FormErrors::default(), false))
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<DepartmentForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageOrganisation)?;
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors);
    let write = async |tx: &mut PgConnection| {
        let id = departments::create(tx, &data).await?;
        let event = AuditEvent::new("department.created", "department", id, json!({ "after": summary(&data) }));
        Ok(Written::saved(id, event))
    };
    let flash = Flash::success_named("department-saved", &data.name);
    let admin = AdminForm { state: &state, user: &user, session: &session };
    match admin.save(errors, UNIQUE, write, flash, |_| "/org/departments".into()).await? {
        Ok(done) => Ok(done),
        Err(refused) => shown_again(ctx, None, form, refused),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ManageOrganisation)?;
    let row = departments::find(&mut *state.pool.acquire().await?, id).await?.ok_or(AppError::NotFound)?;
    render(&form_page(ctx, Some(id), DepartmentForm::from_row(&row), FormErrors::default(), false))
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<DepartmentForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageOrganisation)?;
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors);
    let write = async |tx: &mut PgConnection| {
        let Some(before) = departments::find(tx, id).await? else { return Ok(Written::Missing) };
        if !departments::update(tx, id, form.version, &data).await? {
            return Ok(Written::Stale);
        }
        let before = DepartmentForm::from_row(&before).validate(&mut FormErrors::default());
        let summary = json!({ "before": summary(&before), "after": summary(&data) });
        Ok(Written::saved(id, AuditEvent::new("department.updated", "department", id, summary)))
    };
    let flash = Flash::success_named("department-saved", &data.name);
    let admin = AdminForm { state: &state, user: &user, session: &session };
    match admin.save(errors, UNIQUE, write, flash, |_| "/org/departments".into()).await? {
        Ok(done) => Ok(done),
        Err(refused) => shown_again(ctx, Some(id), form, refused),
    }
}

/// The name is unique among departments.
const UNIQUE: Unique = Some(("department_name_unique", "name"));

/// The form again with the refusal's status and errors.
fn shown_again(ctx: PageContext, id: Option<i64>, form: DepartmentForm, refused: Refused) -> AppResult<Response> {
    let (status, errors, conflict) = refused.parts();
    render_with(status, &form_page(ctx, id, form, errors, conflict))
}

fn summary(data: &DepartmentData) -> serde_json::Value {
    json!({ "name": data.name, "kind": data.kind.code(), "sort_order": data.sort_order, "active": data.active })
}

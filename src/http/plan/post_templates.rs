//! Post target templates (岗位目标模板): the targets a post usually carries,
//! kept by the performance office or the post's department head and used to
//! pre-fill a holder's plan. The organisation's readers see them read-only.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::{CsrfChecked, CsrfForm};
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::post_templates::{self, TemplateData, TemplateRow};
use crate::db::posts::{self, PostRow};
use crate::domain::commitments::{
    MEASURE_MAX_CHARS, NOTE_MAX_CHARS, TITLE_MAX_CHARS, UNIT_MAX_CHARS, bounded_decimal, weight, weight_total,
};
use crate::domain::plan::{Direction, TargetCategory};
use crate::domain::policy;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::admin_form::{AdminForm, Written};
use crate::http::forms::{FormErrors, order_number};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

/// A decimal as people write it: "98", "98.5" (no trailing zeros).
fn plain(value: Decimal) -> String {
    value.normalize().to_string()
}

/// A template row with its numbers formatted for the list.
pub struct TemplateView {
    pub row: TemplateRow,
    pub target_value: String,
    pub weight: String,
}

/// The template form as typed, kept when it is shown again with errors.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TemplateForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub measure: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub target_value: String,
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub weight: String,
    #[serde(default)]
    pub quality_requirement: String,
    #[serde(default)]
    pub assessment_method: String,
    #[serde(default)]
    pub evidence_required: String,
    #[serde(default)]
    pub sort_order: String,
    #[serde(default)]
    pub version: i32,
}

impl TemplateForm {
    fn from_row(row: &TemplateRow) -> TemplateForm {
        TemplateForm {
            title: row.title.clone(),
            category: row.category.code().into(),
            measure: row.measure.clone(),
            unit: row.unit.clone(),
            target_value: row.target_value.map(plain).unwrap_or_default(),
            direction: row.direction.code().into(),
            weight: plain(row.weight),
            quality_requirement: row.quality_requirement.clone(),
            assessment_method: row.assessment_method.clone(),
            evidence_required: row.evidence_required.clone(),
            sort_order: row.sort_order.to_string(),
            version: row.version,
        }
    }

    fn validate(&self, errors: &mut FormErrors) -> TemplateData {
        let category = TargetCategory::parse(&self.category).ok_or(if self.category.trim().is_empty() {
            FieldError::Required
        } else {
            FieldError::Invalid
        });
        let direction = Direction::parse(&self.direction).ok_or(FieldError::Invalid);
        let note = |value: &str| validate::optional_text(value, NOTE_MAX_CHARS);
        TemplateData {
            title: errors.check("title", validate::required_text(&self.title, TITLE_MAX_CHARS)),
            category: errors.check("category", category.map(Some)).unwrap_or(TargetCategory::Routine),
            measure: errors.check("measure", validate::optional_text(&self.measure, MEASURE_MAX_CHARS)),
            unit: errors.check("unit", validate::optional_text(&self.unit, UNIT_MAX_CHARS)),
            target_value: errors.check("target_value", bounded_decimal(&self.target_value)),
            direction: errors.check("direction", direction.map(Some)).unwrap_or(Direction::HigherBetter),
            weight: errors.check("weight", weight(&self.weight)),
            quality_requirement: errors.check("quality_requirement", note(&self.quality_requirement)),
            assessment_method: errors.check("assessment_method", note(&self.assessment_method)),
            evidence_required: errors.check("evidence_required", note(&self.evidence_required)),
            sort_order: errors.check("sort_order", order_number(&self.sort_order)),
        }
    }
}

#[derive(Template)]
#[template(path = "plan/post_templates.html")]
pub struct PostTemplatesPage {
    pub ctx: PageContext,
    pub post: PostRow,
    pub templates: Vec<TemplateView>,
    pub weight_total: String,
    pub weight_complete: bool,
    pub can_edit: bool,
    /// The form to add a template, kept with its errors after a failed add.
    pub form: TemplateForm,
    pub errors: FormErrors,
    pub categories: &'static [TargetCategory],
    pub directions: &'static [Direction],
}

#[derive(Template)]
#[template(path = "plan/post_template_form.html")]
pub struct PostTemplateFormPage {
    pub ctx: PageContext,
    pub post: PostRow,
    pub id: i64,
    pub form: TemplateForm,
    pub errors: FormErrors,
    pub categories: &'static [TargetCategory],
    pub directions: &'static [Direction],
    pub conflict: bool,
}

/// The template and its post, 404 when either is gone.
async fn load_template(state: &AppState, id: i64) -> AppResult<(TemplateRow, PostRow)> {
    let mut conn = state.pool.acquire().await?;
    let template = post_templates::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let post = posts::find(&mut conn, template.post_id).await?.ok_or(AppError::NotFound)?;
    Ok((template, post))
}

async fn list_page(
    state: &AppState,
    can_edit: bool,
    ctx: PageContext,
    post: PostRow,
    form: Option<TemplateForm>,
    errors: FormErrors,
) -> AppResult<PostTemplatesPage> {
    let rows = post_templates::for_post(&mut *state.pool.acquire().await?, post.id).await?;
    let total = weight_total(rows.iter().map(|r| r.weight));
    let next_order = rows.iter().map(|r| r.sort_order).max().unwrap_or(0) + 1;
    let form = form.unwrap_or_else(|| TemplateForm {
        direction: Direction::HigherBetter.code().into(),
        sort_order: next_order.to_string(),
        ..Default::default()
    });
    let templates = rows
        .into_iter()
        .map(|row| TemplateView {
            target_value: row.target_value.map(plain).unwrap_or_default(),
            weight: plain(row.weight),
            row,
        })
        .collect();
    Ok(PostTemplatesPage {
        ctx,
        can_edit,
        post,
        templates,
        weight_total: plain(total),
        weight_complete: total == Decimal::from(100),
        form,
        errors,
        categories: TargetCategory::ALL,
        directions: Direction::ALL,
    })
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(post_id): Path<i64>,
) -> AppResult<Response> {
    let post = posts::find(&mut *state.pool.acquire().await?, post_id).await?.ok_or(AppError::NotFound)?;
    let can_edit = policy::require_view_post_templates(user.grants(), post.department_id)?;
    render(&list_page(&state, can_edit, ctx, post, None, FormErrors::default()).await?)
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(post_id): Path<i64>,
    CsrfForm(form): CsrfForm<TemplateForm>,
) -> AppResult<Response> {
    let post = posts::find(&mut *state.pool.acquire().await?, post_id).await?.ok_or(AppError::NotFound)?;
    policy::require_department_plan_config(user.grants(), post.department_id)?;
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors);
    let write = async |tx: &mut PgConnection| {
        let id = post_templates::create(tx, post_id, &data).await?;
        let summary = json!({ "post_id": post_id, "after": summary(&data) });
        Ok(Written::saved(id, AuditEvent::new("post_template.created", "post_target_template", id, summary)))
    };
    let flash = Flash::success_named("post-template-saved", &data.title);
    let admin = AdminForm { state: &state, user: &user, session: &session };
    match admin.save(errors, None, write, flash, |_| format!("/org/posts/{post_id}/templates")).await? {
        Ok(done) => Ok(done),
        Err(refused) => {
            // A failed add shows the list again with the add form kept.
            let (status, errors, _) = refused.parts();
            render_with(status, &list_page(&state, true, ctx, post, Some(form), errors).await?)
        }
    }
}

fn form_page(ctx: PageContext, post: PostRow, id: i64, form: TemplateForm, errors: FormErrors) -> PostTemplateFormPage {
    PostTemplateFormPage {
        ctx,
        post,
        id,
        form,
        errors,
        categories: TargetCategory::ALL,
        directions: Direction::ALL,
        conflict: false,
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (template, post) = load_template(&state, id).await?;
    policy::require_department_plan_config(user.grants(), post.department_id)?;
    render(&form_page(ctx, post, id, TemplateForm::from_row(&template), FormErrors::default()))
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<TemplateForm>,
) -> AppResult<Response> {
    let (_, post) = load_template(&state, id).await?;
    policy::require_department_plan_config(user.grants(), post.department_id)?;
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors);
    let write = async |tx: &mut PgConnection| {
        let Some(before) = post_templates::find_for_update(tx, id).await? else { return Ok(Written::Missing) };
        if !post_templates::update(tx, id, form.version, &data).await? {
            return Ok(Written::Stale);
        }
        let before = TemplateForm::from_row(&before).validate(&mut FormErrors::default());
        let summary = json!({ "post_id": post.id, "before": summary(&before), "after": summary(&data) });
        Ok(Written::saved(id, AuditEvent::new("post_template.updated", "post_target_template", id, summary)))
    };
    let flash = Flash::success_named("post-template-saved", &data.title);
    let admin = AdminForm { state: &state, user: &user, session: &session };
    let to = format!("/org/posts/{}/templates", post.id);
    match admin.save(errors, None, write, flash, |_| to).await? {
        Ok(done) => Ok(done),
        Err(refused) => {
            let (status, errors, conflict) = refused.parts();
            render_with(status, &PostTemplateFormPage { conflict, ..form_page(ctx, post, id, form, errors) })
        }
    }
}

/// Removes a template. Templates are configuration that no target refers to,
/// so they are deleted outright; the audit row keeps what they said.
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    _: CsrfChecked,
) -> AppResult<Response> {
    let (_, post) = load_template(&state, id).await?;
    policy::require_department_plan_config(user.grants(), post.department_id)?;
    let mut tx = state.pool.begin().await?;
    let before = post_templates::find_for_update(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    post_templates::remove(&mut tx, id).await?;
    let before_data = TemplateForm::from_row(&before).validate(&mut FormErrors::default());
    let event = AuditEvent::new(
        "post_template.deleted",
        "post_target_template",
        id,
        json!({ "post_id": post.id, "before": summary(&before_data) }),
    );
    audit::record(&mut tx, &user.audit, event).await?;
    tx.commit().await?;
    Flash::success_named("post-template-deleted", &before.title).set(&session).await?;
    Ok(Redirect::to(&format!("/org/posts/{}/templates", post.id)).into_response())
}

fn summary(data: &TemplateData) -> serde_json::Value {
    json!({
        "title": data.title, "category": data.category.code(), "measure": data.measure, "unit": data.unit,
        "target_value": data.target_value.map(plain), "direction": data.direction.code(), "weight": plain(data.weight),
        "quality_requirement": data.quality_requirement, "assessment_method": data.assessment_method,
        "evidence_required": data.evidence_required, "sort_order": data.sort_order,
    })
}

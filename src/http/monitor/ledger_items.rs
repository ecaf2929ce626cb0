//! The standard bonus/penalty items (加减分标准): read by everyone who uses the
//! ledger, kept by the performance office alone. Departments choose items
//! when they propose a record but never change their points.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::ledger::{self, LedgerItemData, LedgerItemRow};
use crate::domain::ledger::{ITEM_TEXT_MAX_CHARS, can_read_ledger, item_cap, item_code, item_points};
use crate::domain::policy::Permission;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::forms::FormErrors;
use crate::http::org::departments::is_unique_violation;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "monitor/ledger_items.html")]
pub struct LedgerItemsPage {
    pub ctx: PageContext,
    pub items: Vec<LedgerItemRow>,
    pub can_edit: bool,
}

pub async fn list(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    if !can_read_ledger(&user.principal.grants) {
        return Err(AppError::Forbidden);
    }
    let items = ledger::list_items(&mut *state.pool.acquire().await?).await?;
    let can_edit = user.require(Permission::ManageLedger).is_ok();
    render(&LedgerItemsPage { ctx, items, can_edit })
}

/// The item form as typed, kept when it is shown again with errors.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LedgerItemForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub points: String,
    #[serde(default)]
    pub cap: String,
    #[serde(default)]
    pub evidence_required: Option<String>,
    #[serde(default)]
    pub active: Option<String>,
    #[serde(default)]
    pub version: i32,
}

impl LedgerItemForm {
    fn from_row(row: &LedgerItemRow) -> LedgerItemForm {
        LedgerItemForm {
            code: row.code.clone(),
            text: row.text.clone(),
            points: row.points.normalize().to_string(),
            cap: row.cap.map(|c| c.normalize().to_string()).unwrap_or_default(),
            evidence_required: row.evidence_required.then(|| "on".into()),
            active: row.active.then(|| "on".into()),
            version: row.version,
        }
    }

    /// Checks the fields; `code` is checked only for a new item (it is fixed afterwards).
    fn validate(&self, errors: &mut FormErrors, new: bool) -> LedgerItemData {
        LedgerItemData {
            code: if new { errors.check("code", item_code(&self.code)) } else { self.code.clone() },
            text: errors.check("text", validate::required_text(&self.text, ITEM_TEXT_MAX_CHARS)),
            points: errors.check("points", item_points(&self.points)),
            cap: errors.check("cap", item_cap(&self.cap)),
            evidence_required: self.evidence_required.is_some(),
            active: self.active.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "monitor/ledger_item_form.html")]
pub struct LedgerItemFormPage {
    pub ctx: PageContext,
    /// None for a new item.
    pub id: Option<i64>,
    pub form: LedgerItemForm,
    pub errors: FormErrors,
    pub conflict: bool,
}

fn form_page(
    ctx: PageContext,
    id: Option<i64>,
    form: LedgerItemForm,
    errors: FormErrors,
    conflict: bool,
) -> LedgerItemFormPage {
    LedgerItemFormPage { ctx, id, form, errors, conflict }
}

pub async fn new_form(user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    user.require(Permission::ManageLedger)?;
    let form = LedgerItemForm { evidence_required: Some("on".into()), active: Some("on".into()), ..Default::default() };
    render(&form_page(ctx, None, form, FormErrors::default(), false))
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<LedgerItemForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageLedger)?;
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors, true);
    if !errors.is_empty() {
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &form_page(ctx, None, form, errors, false));
    }
    let mut tx = state.pool.begin().await?;
    let id = match ledger::create_item(&mut tx, &data).await {
        Err(err) if is_unique_violation(&err, "ledger_item_code_unique") => {
            errors.add("code", FieldError::Taken);
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &form_page(ctx, None, form, errors, false));
        }
        other => other?,
    };
    let event = AuditEvent::new("ledger_item.created", "ledger_item", id, json!({ "after": summary(&data) }));
    audit::record(&mut tx, &user.audit, event).await?;
    tx.commit().await?;
    Flash::success_named("ledger-item-saved", &data.text).set(&session).await?;
    Ok(Redirect::to("/ledger/items").into_response())
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ManageLedger)?;
    let row = ledger::find_item(&mut *state.pool.acquire().await?, id).await?.ok_or(AppError::NotFound)?;
    render(&form_page(ctx, Some(id), LedgerItemForm::from_row(&row), FormErrors::default(), false))
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(mut form): CsrfForm<LedgerItemForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageLedger)?;
    let mut tx = state.pool.begin().await?;
    let before = ledger::find_item(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    // The code is fixed: automatic proposals find their items by it.
    form.code = before.code.clone();
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors, false);
    if !errors.is_empty() {
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &form_page(ctx, Some(id), form, errors, false));
    }
    if before.version != form.version || !ledger::update_item(&mut tx, id, form.version, &data).await? {
        return render_with(StatusCode::CONFLICT, &form_page(ctx, Some(id), form, errors, true));
    }
    let before = LedgerItemForm::from_row(&before).validate(&mut FormErrors::default(), false);
    let event = AuditEvent::new(
        "ledger_item.updated",
        "ledger_item",
        id,
        json!({ "before": summary(&before), "after": summary(&data) }),
    );
    audit::record(&mut tx, &user.audit, event).await?;
    tx.commit().await?;
    Flash::success_named("ledger-item-saved", &data.text).set(&session).await?;
    Ok(Redirect::to("/ledger/items").into_response())
}

fn summary(data: &LedgerItemData) -> serde_json::Value {
    json!({
        "code": data.code, "text": data.text, "points": data.points.to_string(),
        "cap": data.cap.map(|c| c.to_string()), "evidence_required": data.evidence_required, "active": data.active,
    })
}

//! The standard bonus/penalty items (加减分标准): read by everyone who uses the
//! ledger, kept by the performance office alone. Departments choose items
//! when they propose a record but never change their points.

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
use crate::db::ledger::{self, LedgerItemData, LedgerItemRow};
use crate::domain::ledger::{ITEM_TEXT_MAX_CHARS, generated_item_code, item_cap, item_points};
use crate::domain::policy::{self, Permission};
use crate::domain::validate::{self};
use crate::error::{AppError, AppResult};
use crate::http::admin_form::{AdminForm, Refused, Written};
use crate::http::export::xlsx_download;
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::xlsx::{Cell, Sheet};

#[derive(Template)]
#[template(path = "monitor/ledger_items.html")]
pub struct LedgerItemsPage {
    pub ctx: PageContext,
    pub items: Vec<LedgerItemRow>,
    pub can_edit: bool,
}

pub async fn list(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let items = load(&state, &user).await?;
    let can_edit = user.may(Permission::ManageLedger);
    render(&LedgerItemsPage { ctx, items, can_edit })
}

pub(crate) const LIST_HEADERS: [&str; 5] =
    ["ledger-field-text", "ledger-field-points", "ledger-field-cap", "ledger-field-evidence-required", "field-status"];

/// `GET /ledger/items.xlsx`: the standard items as the page lists them; the
/// office's published standard, so the sheet is protected (docs/DOMAIN.md §20.2).
pub async fn list_xlsx(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let items = load(&state, &user).await?;
    let now = state.clock.now();
    let mut sheet = Sheet::new(ctx.sheet_head("ledger-items-title", None, &LIST_HEADERS, true, now));
    for item in items {
        let evidence = if item.evidence_required { "ledger-evidence-yes" } else { "ledger-evidence-no" };
        let status = if item.active { "status-active" } else { "status-inactive" };
        sheet.push(vec![
            item.text.into(),
            item.points.into(),
            item.cap.map_or_else(|| Cell::text(ctx.t("ledger-no-cap")), Cell::from),
            ctx.t(evidence).into(),
            ctx.t(status).into(),
        ]);
    }
    xlsx_download(sheet, "ledger-items", now).await
}

/// Every standard item, for those who use the ledger.
async fn load(state: &AppState, user: &CurrentUser) -> AppResult<Vec<LedgerItemRow>> {
    policy::require_ledger_reader(user.grants())?;
    Ok(ledger::list_items(&mut *state.pool.acquire().await?).await?)
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

    /// Checks the fields. A new item gets a generated code (the form has no
    /// code field); an edited one keeps its own (see `update`).
    fn validate(&self, errors: &mut FormErrors, new: bool) -> LedgerItemData {
        LedgerItemData {
            code: if new { generated_item_code(uuid::Uuid::new_v4()) } else { self.code.clone() },
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
    let write = async |tx: &mut PgConnection| {
        let id = ledger::create_item(tx, &data).await?;
        let event = AuditEvent::new("ledger_item.created", "ledger_item", id, json!({ "after": summary(&data) }));
        Ok(Written::saved(id, event))
    };
    let flash = Flash::success_named("ledger-item-saved", &data.text);
    let admin = AdminForm { state: &state, user: &user, session: &session };
    let unique = Some(("ledger_item_code_unique", "code"));
    match admin.save(errors, unique, write, flash, |_| "/ledger/items".into()).await? {
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
    let before = ledger::find_item(&mut *state.pool.acquire().await?, id).await?.ok_or(AppError::NotFound)?;
    // The code is fixed: automatic proposals find their items by it.
    form.code = before.code.clone();
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors, false);
    let write = async |tx: &mut PgConnection| {
        if before.version != form.version || !ledger::update_item(tx, id, form.version, &data).await? {
            return Ok(Written::Stale);
        }
        let before = LedgerItemForm::from_row(&before).validate(&mut FormErrors::default(), false);
        let summary = json!({ "before": summary(&before), "after": summary(&data) });
        Ok(Written::saved(id, AuditEvent::new("ledger_item.updated", "ledger_item", id, summary)))
    };
    let flash = Flash::success_named("ledger-item-saved", &data.text);
    let admin = AdminForm { state: &state, user: &user, session: &session };
    match admin.save(errors, None, write, flash, |_| "/ledger/items".into()).await? {
        Ok(done) => Ok(done),
        Err(refused) => shown_again(ctx, Some(id), form, refused),
    }
}

/// The form again with the refusal's status and errors.
fn shown_again(ctx: PageContext, id: Option<i64>, form: LedgerItemForm, refused: Refused) -> AppResult<Response> {
    let (status, errors, conflict) = refused.parts();
    render_with(status, &form_page(ctx, id, form, errors, conflict))
}

fn summary(data: &LedgerItemData) -> serde_json::Value {
    json!({
        "code": data.code, "text": data.text, "points": data.points.to_string(),
        "cap": data.cap.map(|c| c.to_string()), "evidence_required": data.evidence_required, "active": data.active,
    })
}

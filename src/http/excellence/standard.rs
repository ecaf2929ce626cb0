//! A year's standard (docs/DOMAIN.md §21.1): its categories and items with
//! their points, questions and measures, read by whoever reads the year; a
//! year without one is given one by the performance office (a copy of the
//! year before, else the shipped edition), which also edits an item's
//! words and points while the year's self-assessment is not past scoring.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use super::readable_year;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::excellence::{self as db, ItemData, ItemRow};
use crate::domain::excellence::{Stage, Step, allowed, parse_points};
use crate::domain::policy::Permission;
use crate::domain::validate;
use crate::error::{AppError, AppResult};
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::workflow::excellence::ensure_standard;

/// The points a standard should add up to.
const STANDARD_POINTS: i64 = 1000;

/// A category with its items and their points.
pub struct CategoryBlock {
    pub code: String,
    pub name: String,
    pub points: i64,
    pub items: Vec<ItemRow>,
}

fn blocks(items: Vec<ItemRow>, ctx: &PageContext) -> Vec<CategoryBlock> {
    let mut out: Vec<CategoryBlock> = Vec::new();
    for item in items {
        if out.last().is_none_or(|b| b.code != item.category_code) {
            let name = ctx.in_lang(&item.category_name, &item.category_name_en).to_string();
            out.push(CategoryBlock { code: item.category_code.clone(), name, points: 0, items: Vec::new() });
        }
        let block = out.last_mut().expect("pushed above");
        block.points += i64::from(item.points);
        block.items.push(item);
    }
    out
}

#[derive(Template)]
#[template(path = "excellence/standard.html")]
pub struct StandardPage {
    pub ctx: PageContext,
    pub year: i32,
    pub stage: Option<Stage>,
    pub categories: Vec<CategoryBlock>,
    pub total: i64,
    pub may_edit: bool,
}

impl StandardPage {
    pub fn off_total(&self) -> bool {
        !self.categories.is_empty() && self.total != STANDARD_POINTS
    }

    pub fn measure_key(&self, code: &str) -> String {
        format!("excellence-measure-{}", code.replace('_', "-"))
    }
}

/// The year's stage for a reader (`None`: not opened); readers of every year
/// read a year without a self-assessment, its assessors one with.
async fn readable_stage(conn: &mut PgConnection, user: &CurrentUser, year: i32) -> AppResult<Option<Stage>> {
    if db::assessment(conn, year).await?.is_some() {
        return Ok(Some(readable_year(conn, user, year).await?.stage));
    }
    user.require(Permission::ViewExcellence)?;
    Ok(None)
}

fn editable(stage: Option<Stage>) -> bool {
    stage.is_none_or(|s| allowed(s, Step::EditStandard))
}

/// `GET /excellence/{year}/standard`. A year without a standard is 404 but
/// for the performance office, which is offered to create it.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(year): Path<i32>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let stage = readable_stage(&mut conn, &user, year).await?;
    let manager = user.may(Permission::ManageExcellence);
    let categories = blocks(db::items(&mut conn, year).await?, &ctx);
    if categories.is_empty() && !manager {
        return Err(AppError::NotFound);
    }
    let total = categories.iter().map(|c| c.points).sum();
    render(&StandardPage { ctx, year, stage, categories, total, may_edit: manager && editable(stage) })
}

/// `POST /excellence/{year}/standard`: gives the year a standard unless it has one.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(year): Path<i32>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    user.require(Permission::ManageExcellence)?;
    if !(2000..=2100).contains(&year) {
        return Err(AppError::NotFound);
    }
    let mut tx = state.pool.begin().await?;
    if let Some(from) = ensure_standard(&mut tx, year).await? {
        let summary = json!({ "year": year, "from": from });
        audit::record(
            &mut tx,
            &user.audit,
            AuditEvent::new("excellence.standard", "excellence_standard", year, summary),
        )
        .await?;
        Flash::success("excellence-report-standard-created").set(&session).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/excellence/{year}/standard")).into_response())
}

/// A form with nothing but its CSRF token.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NoFields {}

/// The item form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub points: String,
    #[serde(default)]
    pub questions: String,
    #[serde(default)]
    pub questions_en: String,
    #[serde(default)]
    pub version: String,
}

/// The fields checked: (name, name_en, points, questions, questions_en).
type Checked = (String, String, i32, String, String);

impl ItemForm {
    fn of(item: &ItemRow) -> ItemForm {
        ItemForm {
            name: item.name.clone(),
            name_en: item.name_en.clone(),
            points: item.points.to_string(),
            questions: item.questions.clone(),
            questions_en: item.questions_en.clone(),
            version: item.version.to_string(),
        }
    }

    fn validate(&self, errors: &mut FormErrors) -> Option<Checked> {
        let name = errors.check("name", validate::required_text(&self.name, 200));
        let name_en = errors.check("name_en", validate::optional_text(&self.name_en, 200));
        let points = errors.check("points", parse_points(&self.points));
        let questions = errors.check("questions", validate::optional_text(&self.questions, 8000));
        let questions_en = errors.check("questions_en", validate::optional_text(&self.questions_en, 8000));
        errors.is_empty().then_some((name, name_en, points, questions, questions_en))
    }
}

#[derive(Template)]
#[template(path = "excellence/standard_item.html")]
pub struct ItemFormPage {
    pub ctx: PageContext,
    pub year: i32,
    pub item: ItemRow,
    pub form: ItemForm,
    pub errors: FormErrors,
    /// Why the item cannot be saved (a stale form, a year past scoring).
    pub refusal: Option<&'static str>,
    pub may_edit: bool,
}

fn form_page(ctx: PageContext, year: i32, item: ItemRow, form: ItemForm, may_edit: bool) -> ItemFormPage {
    let refusal = (!may_edit).then_some("excellence-report-standard-locked");
    ItemFormPage { ctx, year, item, form, errors: FormErrors::default(), refusal, may_edit }
}

/// The item of `year` for the performance office, and whether the standard may still change.
async fn editable_item(conn: &mut PgConnection, user: &CurrentUser, year: i32, id: i64) -> AppResult<(ItemRow, bool)> {
    user.require(Permission::ManageExcellence)?;
    let item = db::item(conn, year, id).await?.ok_or(AppError::NotFound)?;
    let stage = db::lock(conn, year).await?.map(|(_, stage, _)| stage);
    Ok((item, editable(stage)))
}

/// `GET /excellence/{year}/standard/items/{id}`: the performance office.
pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path((year, id)): Path<(i32, i64)>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let (item, may_edit) = editable_item(&mut conn, &user, year, id).await?;
    let form = ItemForm::of(&item);
    render(&form_page(ctx, year, item, form, may_edit))
}

/// Saves an item at the version the form was loaded at.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path((year, id)): Path<(i32, i64)>,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let (item, may_edit) = editable_item(&mut tx, &user, year, id).await?;
    let mut page = form_page(ctx, year, item, form, may_edit);
    if !may_edit {
        return render_with(StatusCode::CONFLICT, &page);
    }
    let Some((name, name_en, points, questions, questions_en)) = page.form.validate(&mut page.errors) else {
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let item = &page.item;
    let data = ItemData {
        code: &item.code,
        name: &name,
        name_en: &name_en,
        points,
        kind: item.kind,
        questions: &questions,
        questions_en: &questions_en,
        measures: &item.measures,
    };
    let version: i32 = page.form.version.trim().parse().unwrap_or(-1);
    if !db::update_item(&mut tx, id, version, &data).await? {
        page.refusal = Some("excellence-report-stale");
        return render_with(StatusCode::CONFLICT, &page);
    }
    let summary = json!({
        "year": year, "code": item.code,
        "before": { "name": item.name, "name_en": item.name_en, "points": item.points },
        "after": { "name": name, "name_en": name_en, "points": points },
    });
    audit::record(&mut tx, &user.audit, AuditEvent::new("excellence.item_edited", "excellence_item", id, summary))
        .await?;
    tx.commit().await?;
    Flash::success_named("excellence-report-item-saved", &name).set(&session).await?;
    Ok(Redirect::to(&format!("/excellence/{year}/standard#item-{id}")).into_response())
}

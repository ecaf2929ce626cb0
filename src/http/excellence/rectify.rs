//! From weakness to action (docs/DOMAIN.md §21.5): an improvement of a
//! self-assessment becomes a rectification item in one form — owner
//! department and person, the measures, the due date — once; the item is
//! then followed to close-out like any other.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Days, NaiveDate};
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::departments::{self, DepartmentChoice};
use crate::db::excellence::{self as db, FindingRow};
use crate::db::people::{self, PersonChoice};
use crate::db::rectification::ItemData;
use crate::db::settings;
use crate::domain::excellence::FindingKind;
use crate::domain::policy::Permission;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::forms::{FormErrors, optional_id};
use crate::http::pages::{Flash, PageContext, render_with};
use crate::state::AppState;
use crate::workflow::excellence as flow;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RectifyForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub problem: String,
    #[serde(default)]
    pub department_id: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub plan: String,
    #[serde(default)]
    pub due_on: String,
}

#[derive(Template)]
#[template(path = "excellence/rectify.html")]
pub struct RectifyPage {
    pub ctx: PageContext,
    pub finding: FindingRow,
    pub departments: Vec<DepartmentChoice>,
    pub people: Vec<PersonChoice>,
    pub form: RectifyForm,
    pub errors: FormErrors,
}

/// The improvement, for the performance office; 404 for anything else.
async fn open_improvement(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<FindingRow> {
    user.require(Permission::ManageExcellence)?;
    let mut conn = state.pool.acquire().await?;
    let finding = db::finding(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    if finding.kind != FindingKind::Improvement {
        return Err(AppError::NotFound);
    }
    Ok(finding)
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    finding: FindingRow,
    form: RectifyForm,
    errors: FormErrors,
) -> AppResult<RectifyPage> {
    let mut conn = state.pool.acquire().await?;
    Ok(RectifyPage {
        departments: departments::choices(&mut conn).await?,
        people: people::choices(&mut conn).await?,
        ctx,
        finding,
        form,
        errors,
    })
}

/// The reference a rectification item keeps of its self-assessment source.
fn reference(ctx: &PageContext, f: &FindingRow) -> String {
    format!("{} {} · {} {}", f.year, ctx.t("excellence-title"), f.item_code, f.item_name)
}

/// `GET /excellence/findings/{id}/rectify`: the form, pre-filled from the finding.
pub async fn rectify_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let finding = open_improvement(&state, &user, id).await?;
    let today = state.clock.today();
    let mut conn = state.pool.acquire().await?;
    let days = settings::for_year(&mut conn, chrono::Datelike::year(&today)).await?.rectification_due_days;
    let form = RectifyForm {
        title: format!("{} {}", finding.item_code, finding.item_name),
        problem: finding.body.clone(),
        due_on: today.checked_add_days(Days::new(u64::try_from(days).unwrap_or(30))).unwrap_or(today).to_string(),
        ..RectifyForm::default()
    };
    render_with(StatusCode::OK, &page(&state, ctx, finding, form, FormErrors::default()).await?)
}

fn validate(form: &RectifyForm, page: &RectifyPage, today: NaiveDate, errors: &mut FormErrors) -> Option<ItemData> {
    let title = errors.check("title", validate::required_text(&form.title, 200));
    let problem = errors.check("problem", validate::required_text(&form.problem, 4000));
    let plan = errors.check("plan", validate::optional_text(&form.plan, 4000));
    let due_on = match form.due_on.trim() {
        "" => Err(FieldError::Required),
        text => NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| FieldError::Invalid),
    };
    let due_on = errors.check("due_on", due_on);
    if due_on.is_some_and(|d| d < today) {
        errors.add_message("due_on", "rectification-error-due-past");
    }
    let department = match optional_id(&form.department_id) {
        Ok(None) => Err(FieldError::Required),
        Ok(Some(id)) if page.departments.iter().any(|d| d.id == id) => Ok(id),
        _ => Err(FieldError::NotOffered),
    };
    let department_id = errors.check("department_id", department);
    let owner = match optional_id(&form.owner_id) {
        Ok(None) => Err(FieldError::Required),
        Ok(Some(id)) if page.people.iter().any(|p| p.id == id && p.department_id == Some(department_id)) => Ok(id),
        _ => Err(FieldError::NotOffered),
    };
    let owner_id = errors.check("owner_id", owner);
    let due_on = due_on?;
    errors.is_empty().then_some(ItemData { title, problem, department_id, owner_id, plan, due_on })
}

/// `POST /excellence/findings/{id}/rectify`: raises the item and links it to
/// the finding; an improvement already turned into an item is refused (409).
pub async fn rectify(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<RectifyForm>,
) -> AppResult<Response> {
    let finding = open_improvement(&state, &user, id).await?;
    let today = state.clock.today();
    let reference = reference(&ctx, &finding);
    let mut page = page(&state, ctx, finding, RectifyForm::default(), FormErrors::default()).await?;
    let mut errors = FormErrors::default();
    let Some(data) = validate(&form, &page, today, &mut errors) else {
        (page.form, page.errors) = (form, errors);
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let mut tx = state.pool.begin().await?;
    let Some(item) = flow::rectify(&mut tx, &user.audit, id, &data, &reference, today).await? else {
        drop(tx);
        page.form = form;
        page.errors.add_message("title", "excellence-error-rectified");
        return render_with(StatusCode::CONFLICT, &page);
    };
    tx.commit().await?;
    Flash::success("excellence-rectified").set(&session).await?;
    Ok(Redirect::to(&format!("/feedback/rectification/{item}")).into_response())
}

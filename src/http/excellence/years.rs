//! The years of the excellence self-assessment (docs/DOMAIN.md §21.6): each
//! year's stage and agreed total, and the performance office's form to open
//! a year.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::excellence::{self as db, AssessmentRow};
use crate::domain::policy::Permission;
use crate::domain::validate::FieldError;
use crate::error::{AppError, AppResult};
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render_with};
use crate::state::AppState;
use crate::workflow::excellence as flow;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    pub year: String,
}

#[derive(Template)]
#[template(path = "excellence/years.html")]
pub struct YearsPage {
    pub ctx: PageContext,
    pub years: Vec<AssessmentRow>,
    pub may_manage: bool,
    pub form: OpenForm,
    pub errors: FormErrors,
}

/// The years the user reads: all for the readers, else those they score.
async fn page(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    form: OpenForm,
    errors: FormErrors,
) -> AppResult<YearsPage> {
    let mut conn = state.pool.acquire().await?;
    let mut years = db::assessments(&mut conn).await?;
    if !user.may(Permission::ViewExcellence) {
        let mine = db::years_of_assessor(&mut conn, user.principal.id).await?;
        years.retain(|a| mine.contains(&a.year));
    }
    Ok(YearsPage { ctx, years, may_manage: user.may(Permission::ManageExcellence), form, errors })
}

/// `GET /excellence`: the readers, and department heads (their invited years).
pub async fn list(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let grants = user.grants();
    if !user.may(Permission::ViewExcellence)
        && grants.departments_for(crate::domain::roles::Role::DepartmentHead).is_empty()
    {
        return Err(AppError::Forbidden);
    }
    let form = OpenForm { year: state.clock.today().year().to_string() };
    render_with(StatusCode::OK, &page(&state, &user, ctx, form, FormErrors::default()).await?)
}

/// `POST /excellence`: the performance office opens a year (last year's or
/// this year's; one self-assessment a year).
pub async fn open(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<OpenForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageExcellence)?;
    let today = state.clock.today();
    let mut errors = FormErrors::default();
    let year = match form.year.trim().parse::<i32>() {
        _ if form.year.trim().is_empty() => Err(FieldError::Required),
        Ok(y) if (today.year() - 1..=today.year()).contains(&y) => Ok(y),
        _ => Err(FieldError::NotOffered),
    };
    let year = errors.check("year", year);
    if errors.is_empty() {
        let mut tx = state.pool.begin().await?;
        if flow::open_year(&mut tx, &user.audit, year, today).await?.is_some() {
            tx.commit().await?;
            Flash::success_named("excellence-opened", year.to_string()).set(&session).await?;
            return Ok(Redirect::to(&format!("/excellence/{year}")).into_response());
        }
        errors.add_message("year", "excellence-error-exists");
    }
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(&state, &user, ctx, form, errors).await?)
}

//! Carrying the open items into the next annual cycle's targets in one
//! action (docs/DOMAIN.md §19.5): an annual cycle in planning, a department
//! (or all in scope), and the measure and assessment method the new targets
//! take. Items already carried are left alone, so carrying twice adds nothing.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::departments::{self, DepartmentChoice};
use crate::db::rectification::{self as db, CycleChoice};
use crate::domain::policy;
use crate::domain::validate::{self, FieldError};
use crate::error::AppResult;
use crate::http::forms::{FormErrors, optional_id};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::workflow::rectification::{self as flow, CarryTexts};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CarryForm {
    #[serde(default)]
    pub cycle_id: String,
    #[serde(default)]
    pub department_id: String,
    #[serde(default)]
    pub measure: String,
    #[serde(default)]
    pub assessment_method: String,
}

#[derive(Template)]
#[template(path = "feedback/rectification_carry.html")]
pub struct CarryPage {
    pub ctx: PageContext,
    pub form: CarryForm,
    pub errors: FormErrors,
    pub cycles: Vec<CycleChoice>,
    pub departments: Vec<DepartmentChoice>,
    /// Whether "every department" is offered (the performance office).
    pub all_departments: bool,
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    scope: &Option<Vec<i64>>,
    form: CarryForm,
    errors: FormErrors,
) -> AppResult<CarryPage> {
    let mut conn = state.pool.acquire().await?;
    let mut departments = departments::choices(&mut conn).await?;
    departments.retain(|d| scope.as_ref().is_none_or(|ids| ids.contains(&d.id)));
    Ok(CarryPage {
        cycles: db::carry_cycles(&mut conn).await?,
        departments,
        all_departments: scope.is_none(),
        ctx,
        form,
        errors,
    })
}

/// The form: the performance office (every department) and heads (theirs).
pub async fn carry_form(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let scope = policy::require_rectification_carrier(user.grants())?;
    let form = CarryForm {
        measure: ctx.t("rectification-carry-default-measure"),
        assessment_method: ctx.t("rectification-carry-default-method"),
        ..Default::default()
    };
    render(&page(&state, ctx, &scope, form, FormErrors::default()).await?)
}

/// Carries every open item of the department (or of all in scope) into its
/// owner's set of the chosen cycle, in one transaction with an audit row per item.
pub async fn carry(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<CarryForm>,
) -> AppResult<Response> {
    let scope = policy::require_rectification_carrier(user.grants())?;
    let mut tx = state.pool.begin().await?;
    let cycles = db::carry_cycles(&mut tx).await?;
    let offered = departments::choices(&mut tx).await?;
    let mut errors = FormErrors::default();
    let cycle = match optional_id(&form.cycle_id) {
        Ok(None) => Err(FieldError::Required),
        Ok(Some(id)) => cycles.iter().find(|c| c.id == id).cloned().ok_or(FieldError::NotOffered),
        Err(e) => Err(e),
    };
    let cycle = errors.check("cycle_id", cycle.map(Some));
    let departments = match (optional_id(&form.department_id), &scope) {
        (Ok(None), None) => Ok(None),
        (Ok(None), Some(ids)) => Ok(Some(ids.clone())),
        (Ok(Some(id)), _)
            if scope.as_ref().is_none_or(|ids| ids.contains(&id)) && offered.iter().any(|d| d.id == id) =>
        {
            Ok(Some(vec![id]))
        }
        _ => Err(FieldError::NotOffered),
    };
    let departments = errors.check("department_id", departments);
    let measure = errors.check("measure", validate::required_text(&form.measure, 200));
    let assessment_method = errors.check("assessment_method", validate::required_text(&form.assessment_method, 500));
    let Some(cycle) = cycle.filter(|_| errors.is_empty()) else {
        drop(tx);
        let page = page(&state, ctx, &scope, form, errors).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let texts = CarryTexts { measure, assessment_method };
    let today = state.clock.today();
    let done = flow::carry_into_targets(&mut tx, &user.audit, &cycle, departments.as_deref(), &texts, today).await?;
    tx.commit().await?;
    let counts = format!("{} / {}", done.carried.len(), done.skipped.len());
    Flash::success_named("rectification-carried", counts).set(&session).await?;
    Ok(Redirect::to("/feedback/rectification").into_response())
}

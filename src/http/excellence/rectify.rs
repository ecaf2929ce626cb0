//! From weakness to action (docs/DOMAIN.md §21.5): an improvement of a
//! self-assessment becomes a rectification item in one form — owner
//! department and person, the measures, the due date — once; the item is
//! then followed to close-out like any other. The form and its checks are
//! the rectification form's, with the source fixed to the self-assessment.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, Days};
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::excellence::{self as db, FindingRow};
use crate::db::settings;
use crate::domain::excellence::FindingKind;
use crate::domain::policy::Permission;
use crate::domain::rectification::SourceKind;
use crate::error::{AppError, AppResult};
use crate::http::feedback::rectification::form::{Choices, ItemForm, choices};
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render_with};
use crate::state::AppState;
use crate::workflow::excellence as flow;

#[derive(Template)]
#[template(path = "excellence/rectify.html")]
pub struct RectifyPage {
    pub ctx: PageContext,
    pub finding: FindingRow,
    pub choices: Choices,
    pub form: ItemForm,
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
    user: &CurrentUser,
    ctx: PageContext,
    finding: FindingRow,
    form: ItemForm,
) -> AppResult<RectifyPage> {
    let mut conn = state.pool.acquire().await?;
    let choices = choices(&mut conn, user, Some(SourceKind::SelfAssessment)).await?;
    Ok(RectifyPage { ctx, finding, choices, form, errors: FormErrors::default() })
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
    let days = settings::for_year(&mut conn, today.year()).await?.rectification_due_days;
    let form = ItemForm {
        title: format!("{} {}", finding.item_code, finding.item_name),
        problem: finding.body.clone(),
        due_on: today.checked_add_days(Days::new(u64::try_from(days).unwrap_or(30))).unwrap_or(today).to_string(),
        ..ItemForm::default()
    };
    render_with(StatusCode::OK, &page(&state, &user, ctx, finding, form).await?)
}

/// `POST /excellence/findings/{id}/rectify`: raises the item and links it to
/// the finding; an improvement already turned into an item is refused (409).
pub async fn rectify(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> AppResult<Response> {
    let finding = open_improvement(&state, &user, id).await?;
    let today = state.clock.today();
    let reference = reference(&ctx, &finding);
    let mut page = page(&state, &user, ctx, finding, ItemForm::default()).await?;
    let kind = Some(SourceKind::SelfAssessment);
    let Some(data) = form.validate(&mut page.errors, &page.choices, user.grants(), kind, today) else {
        page.form = form;
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

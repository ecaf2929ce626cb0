//! Bulk planning by a head: one target given to several staff of the
//! department at once, each as a draft in their own set.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use super::target_form::TargetForm;
use super::targets::offered;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::plan_boards::{self, CycleChoice, PlanStatusRow};
use crate::db::targets::{self, ParentChoice, TargetData};
use crate::domain::plan::{self, CycleStage, Direction, PlanStep, TargetCategory, TargetLevel};
use crate::domain::policy;
use crate::domain::validate::FieldError;
use crate::error::{AppError, AppResult};
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct AssignQuery {
    pub cycle: i64,
    pub department: i64,
}

/// The assignment form: the target's fields and the staff to give it to.
/// (Flattened fields arrive as text, which is why TargetForm keeps strings.)
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AssignForm {
    #[serde(flatten)]
    pub target: TargetForm,
    #[serde(default)]
    pub people: Vec<String>,
}

#[derive(Template)]
#[template(path = "plan/assign.html")]
pub struct AssignPage {
    pub ctx: PageContext,
    pub cycle: CycleChoice,
    pub department: i64,
    pub staff: Vec<PlanStatusRow>,
    pub form: TargetForm,
    pub chosen: Vec<String>,
    pub errors: FormErrors,
    pub parents: Vec<ParentChoice>,
    pub categories: &'static [TargetCategory],
    pub directions: &'static [Direction],
}

impl AssignPage {
    pub fn is_chosen(&self, person: &Option<i64>) -> bool {
        person.is_some_and(|p| self.chosen.contains(&p.to_string()))
    }
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    query: &AssignQuery,
    form: TargetForm,
    chosen: Vec<String>,
    errors: FormErrors,
) -> AppResult<AssignPage> {
    let mut conn = state.pool.acquire().await?;
    let cycle = plan_boards::cycle_choices(&mut conn)
        .await?
        .into_iter()
        .find(|c| c.id == query.cycle)
        .ok_or(AppError::NotFound)?;
    let staff = plan_boards::department_plans(&mut conn, query.cycle, query.department)
        .await?
        .into_iter()
        .filter(|r| r.level == TargetLevel::Person)
        .collect();
    let parents = targets::parents_for(&mut conn, query.cycle, TargetLevel::Person, Some(query.department)).await?;
    Ok(AssignPage {
        ctx,
        cycle,
        department: query.department,
        staff,
        form,
        chosen,
        errors,
        parents,
        categories: TargetCategory::ALL,
        directions: Direction::ALL,
    })
}

pub async fn assign_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<AssignQuery>,
) -> AppResult<Response> {
    policy::require_head_of(user.grants(), query.department)?;
    let form = TargetForm { category: "routine".into(), direction: "higher_better".into(), ..TargetForm::default() };
    render(&page(&state, ctx, &query, form, Vec::new(), FormErrors::default()).await?)
}

/// Adds the target to each chosen person's set; all or nothing.
pub async fn assign(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Query(query): Query<AssignQuery>,
    CsrfForm(form): CsrfForm<AssignForm>,
) -> AppResult<Response> {
    policy::require_head_of(user.grants(), query.department)?;
    let mut errors = FormErrors::default();
    let data = form.target.validate(&mut errors);
    let people: Vec<i64> = form.people.iter().filter_map(|p| p.parse().ok()).collect();
    let staff = plan_boards::department_plans(&mut *state.pool.acquire().await?, query.cycle, query.department).await?;
    if people.is_empty()
        || people.len() != form.people.len()
        || !people.iter().all(|p| staff.iter().any(|s| s.person_id == Some(*p)))
    {
        errors.add("people", FieldError::Required);
    }
    let mut tx = state.pool.begin().await?;
    let parents = targets::parents_for(&mut tx, query.cycle, TargetLevel::Person, Some(query.department)).await?;
    if !offered(data.parent_id, parents.iter().map(|p| p.id)) {
        errors.add("parent_id", FieldError::NotOffered);
    }
    let sets = targets::person_sets_for_update(&mut tx, query.cycle, &people).await?;
    let stage = plan_boards::cycle_choices(&mut tx).await?.into_iter().find(|c| c.id == query.cycle).map(|c| c.stage);
    let editable = stage == Some(CycleStage::Planning)
        && sets
            .iter()
            .all(|(_, _, status, _)| plan::plan_transition(*status, PlanStep::Edit, CycleStage::Planning).is_ok());
    if !editable && errors.is_empty() {
        errors.add("people", FieldError::Invalid);
    }
    if !errors.is_empty() {
        drop(tx);
        let page = page(&state, ctx, &query, form.target, form.people, errors).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    for (person, set_id, _, _) in &sets {
        let backup = targets::post_of(&mut tx, *person).await?.and_then(|(_, b)| b);
        let own = TargetData { owner_id: Some(*person), backup_id: backup, post_id: None, ..data.clone() };
        let id = targets::create_target(&mut tx, *set_id, &own).await?;
        audit::record(&mut tx, &user.audit, AuditEvent::new("target.assigned", "target", id, json!({ "after": own })))
            .await?;
    }
    tx.commit().await?;
    Flash::success_named("assign-done", sets.len().to_string()).set(&session).await?;
    Ok(Redirect::to(&format!("/plan/department?cycle={}&department={}", query.cycle, query.department)).into_response())
}

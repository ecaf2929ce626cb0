//! Target sets: a person's plans, the set page with its checks, and the
//! workflow steps submit, return and approve.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use super::target_form::facts;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::plan_boards::{self, MyCycleRow};
use crate::db::post_templates;
use crate::db::targets::{self, SetRow, TargetData, TargetRow};
use crate::domain::plan::{self, PlanIssue, PlanStatus, PlanStep, TargetLevel, WorkflowError};
use crate::domain::policy::{self, Permission};
use crate::http::error::{AppError, AppResult};
use crate::http::pages::{Flash, PageContext, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "plan/my.html")]
pub struct MyTargetsPage {
    pub ctx: PageContext,
    pub cycles: Vec<MyCycleRow>,
}

/// 我的目标: the open cycles the person takes part in, with their plan.
pub async fn my_targets(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let cycles = plan_boards::my_cycles(&mut *state.pool.acquire().await?, user.id()).await?;
    render(&MyTargetsPage { ctx, cycles })
}

#[derive(Deserialize)]
pub struct OpenSetForm {
    cycle_id: i64,
    level: String,
    #[serde(default)]
    department_id: Option<i64>,
}

/// Opens (creating if needed) a set: one's own, a department's, or the
/// office's work points. A new person set is pre-filled from the post's templates.
pub async fn open_set(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<OpenSetForm>,
) -> AppResult<Response> {
    let level = TargetLevel::parse(&form.level).ok_or(AppError::BadRequest)?;
    let (department_id, person_id) = match level {
        TargetLevel::Person => (user.principal.department_id, Some(user.id())),
        TargetLevel::Department => (Some(form.department_id.ok_or(AppError::BadRequest)?), None),
        TargetLevel::Office => (None, None),
    };
    let facts = policy::SetFacts { level, department_id, person_id, owner_is_head: false };
    if !policy::can_edit_set(user.id(), &user.principal.grants, &facts) {
        return Err(AppError::Forbidden);
    }
    let mut tx = state.pool.begin().await?;
    let (set_id, created) = targets::ensure_set(&mut tx, form.cycle_id, level, department_id, person_id).await?;
    if created {
        let set = targets::find_set(&mut tx, set_id).await?.ok_or(AppError::NotFound)?;
        let prefilled =
            if level == TargetLevel::Person { prefill_from_post(&mut tx, &set, user.id()).await? } else { 0 };
        let summary = json!({ "cycle_id": form.cycle_id, "level": level.code(), "prefilled": prefilled });
        audit::record(&mut tx, &user.audit, AuditEvent::new("target_set.created", "target_set", set_id, summary))
            .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/plan/sets/{set_id}")).into_response())
}

/// Adds the person's post templates to a new set, owned by the person with
/// the post's B as backup and due at the end of the cycle; the number added.
async fn prefill_from_post(conn: &mut PgConnection, set: &SetRow, person_id: i64) -> AppResult<usize> {
    let Some((post_id, backup_id)) = targets::post_of(conn, person_id).await? else { return Ok(0) };
    let templates = post_templates::for_post(conn, post_id).await?;
    for t in &templates {
        let data = TargetData {
            post_id: Some(post_id),
            title: t.title.clone(),
            category: Some(t.category),
            measure: t.measure.clone(),
            unit: t.unit.clone(),
            target_value: t.target_value,
            direction: Some(t.direction),
            weight: t.weight,
            quality_requirement: t.quality_requirement.clone(),
            assessment_method: t.assessment_method.clone(),
            evidence_required: t.evidence_required.clone(),
            owner_id: Some(person_id),
            backup_id,
            sort_order: t.sort_order,
            deadline: Some(set.period_end),
            ..TargetData::default()
        };
        targets::create_target(conn, set.id, &data).await?;
    }
    Ok(templates.len())
}

/// A target with its findings.
pub struct TargetView {
    pub target: TargetRow,
    pub issues: Vec<PlanIssue>,
}

/// The checks of a whole set: per-target findings and the set's own.
pub struct SetChecks {
    pub targets: Vec<TargetView>,
    pub set_issues: Vec<PlanIssue>,
    pub weight_total: Decimal,
}

impl SetChecks {
    pub fn new(set: &SetRow, rows: Vec<TargetRow>) -> SetChecks {
        let period = (set.period_start, set.period_end);
        let weights: Vec<Decimal> = rows.iter().map(|t| t.weight).collect();
        let targets = rows
            .into_iter()
            .map(|target| TargetView {
                issues: plan::check_target(&facts(&TargetData::from_row(&target)), period),
                target,
            })
            .collect();
        SetChecks { targets, set_issues: plan::check_set(&weights, set.level), weight_total: weights.iter().sum() }
    }

    /// Whether a hard rule fails, so the set cannot be submitted.
    pub fn blocks(&self) -> bool {
        self.set_issues.iter().chain(self.targets.iter().flat_map(|t| &t.issues)).any(|i| i.is_blocking())
    }

    pub fn warnings(&self) -> usize {
        self.targets.iter().flat_map(|t| &t.issues).filter(|i| !i.is_blocking()).count()
    }
}

#[derive(Template)]
#[template(path = "plan/set.html")]
pub struct SetPage {
    pub ctx: PageContext,
    pub set: SetRow,
    pub checks: SetChecks,
    pub can_edit: bool,
    pub can_decide: bool,
    pub editable: bool,
    pub decidable: bool,
}

/// The set page: targets, checks and the steps the viewer may take.
pub async fn set_page(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let set = targets::find_set(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let grants = &user.principal.grants;
    if !policy::can_view_set(user.id(), grants, &set.facts()) {
        return Err(AppError::Forbidden);
    }
    let checks = SetChecks::new(&set, targets::targets_of_set(&mut conn, id).await?);
    let editable = plan::plan_transition(set.status, PlanStep::Edit, set.stage).is_ok();
    let decidable = plan::plan_transition(set.status, PlanStep::Approve, set.stage).is_ok();
    let page = SetPage {
        can_edit: policy::can_edit_set(user.id(), grants, &set.facts()),
        can_decide: policy::can_decide_set(user.id(), grants, &set.facts()),
        ctx,
        set,
        checks,
        editable,
        decidable,
    };
    render(&page)
}

#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    reason: String,
}

/// Why a step on a set was refused, to tell the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRefusal {
    Workflow(WorkflowError),
    Stale,
}

impl StepRefusal {
    pub fn label_key(self) -> &'static str {
        match self {
            StepRefusal::Workflow(e) => e.label_key(),
            StepRefusal::Stale => "error-stale-edit",
        }
    }
}

/// Locks a set that the user is about to change the targets of, and checks
/// they may: Forbidden for someone else's set, a refusal when the set is no
/// longer a draft or returned (or moved since `version` was read).
pub async fn editable_set(
    conn: &mut PgConnection,
    user: &CurrentUser,
    set_id: i64,
    version: Option<i32>,
) -> AppResult<Result<SetRow, StepRefusal>> {
    targets::lock_set(conn, set_id).await?.ok_or(AppError::NotFound)?;
    let set = targets::find_set(conn, set_id).await?.ok_or(AppError::NotFound)?;
    if !policy::can_edit_set(user.id(), &user.principal.grants, &set.facts()) {
        return Err(AppError::Forbidden);
    }
    if version.is_some_and(|v| v != set.version) {
        return Ok(Err(StepRefusal::Stale));
    }
    Ok(plan::plan_transition(set.status, PlanStep::Edit, set.stage).map(|_| set).map_err(StepRefusal::Workflow))
}

/// Applies a workflow step to a locked set inside the caller's transaction:
/// policy, transition, checks, conditional update, audit row. Refusals that
/// the user can fix come back as `Ok(Err(..))`.
pub async fn apply_step(
    conn: &mut PgConnection,
    user: &CurrentUser,
    set_id: i64,
    version: i32,
    step: PlanStep,
    reason: &str,
) -> AppResult<Result<PlanStatus, StepRefusal>> {
    targets::lock_set(conn, set_id).await?.ok_or(AppError::NotFound)?;
    let set = targets::find_set(conn, set_id).await?.ok_or(AppError::NotFound)?;
    let grants = &user.principal.grants;
    let allowed = match step {
        PlanStep::Edit | PlanStep::Submit => policy::can_edit_set(user.id(), grants, &set.facts()),
        PlanStep::Return | PlanStep::Approve => policy::can_decide_set(user.id(), grants, &set.facts()),
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    if set.version != version {
        return Ok(Err(StepRefusal::Stale));
    }
    let to = match plan::plan_transition(set.status, step, set.stage) {
        Ok(to) => to,
        Err(e) => return Ok(Err(StepRefusal::Workflow(e))),
    };
    if step == PlanStep::Return && reason.trim().is_empty() {
        return Ok(Err(StepRefusal::Workflow(WorkflowError::ReasonRequired)));
    }
    let rows = targets::targets_of_set(conn, set_id).await?;
    if step == PlanStep::Submit && SetChecks::new(&set, rows.clone()).blocks() {
        return Ok(Err(StepRefusal::Workflow(WorkflowError::ChecksFail)));
    }
    let decided_by = matches!(step, PlanStep::Return | PlanStep::Approve).then_some(user.id());
    if !targets::set_status(conn, set_id, version, to, reason.trim(), decided_by).await? {
        return Ok(Err(StepRefusal::Stale));
    }
    if step == PlanStep::Approve {
        for target in &rows {
            let values = serde_json::to_value(TargetData::from_row(target)).map_err(anyhow::Error::from)?;
            targets::add_revision(conn, target.id, user.id(), "", &json!({}), &values).await?;
        }
    }
    let action = format!("target_set.{}", to.code());
    let summary = json!({ "from": set.status.code(), "to": to.code(), "reason": reason.trim(), "targets": rows.len() });
    audit::record(conn, &user.audit, AuditEvent::new(&action, "target_set", set_id, summary)).await?;
    Ok(Ok(to))
}

async fn step(
    state: &AppState,
    user: &CurrentUser,
    session: &Session,
    id: i64,
    form: StepForm,
    step: PlanStep,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let flash = match apply_step(&mut tx, user, id, form.version, step, &form.reason).await? {
        Ok(to) => {
            tx.commit().await?;
            Flash::success(&format!("plan-step-done-{}", to.code()))
        }
        Err(refusal) => Flash::error(refusal.label_key()),
    };
    flash.set(session).await?;
    Ok(Redirect::to(&format!("/plan/sets/{id}")).into_response())
}

pub async fn submit_set(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> AppResult<Response> {
    step(&state, &user, &session, id, form, PlanStep::Submit).await
}

pub async fn return_set(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> AppResult<Response> {
    step(&state, &user, &session, id, form, PlanStep::Return).await
}

pub async fn approve_set(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> AppResult<Response> {
    step(&state, &user, &session, id, form, PlanStep::Approve).await
}

/// Copies the owner's targets of the previous cycle of the same kind into this
/// set, deadlines moved by the distance between the cycles.
pub async fn copy_last(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let set = match editable_set(&mut tx, &user, id, Some(form.version)).await? {
        Ok(set) => set,
        Err(refusal) => {
            Flash::error(refusal.label_key()).set(&session).await?;
            return Ok(Redirect::to(&format!("/plan/sets/{id}")).into_response());
        }
    };
    let previous = match targets::previous_cycle(&mut tx, set.cycle_id).await? {
        Some((cycle, start)) => targets::same_owner_set(&mut tx, &set, cycle).await?.map(|s| (s, start)),
        None => None,
    };
    let Some((previous_set, previous_start)) = previous else {
        Flash::error("plan-nothing-to-copy").set(&session).await?;
        return Ok(Redirect::to(&format!("/plan/sets/{id}")).into_response());
    };
    let shift = set.period_start - previous_start;
    let rows = targets::targets_of_set(&mut tx, previous_set).await?;
    for row in &rows {
        let data =
            TargetData { parent_id: None, deadline: row.deadline.map(|d| d + shift), ..TargetData::from_row(row) };
        targets::create_target(&mut tx, id, &data).await?;
    }
    let summary = json!({ "from_set": previous_set, "copied": rows.len() });
    audit::record(&mut tx, &user.audit, AuditEvent::new("target_set.copied_last", "target_set", id, summary)).await?;
    tx.commit().await?;
    Flash::success_named("plan-copied", rows.len().to_string()).set(&session).await?;
    Ok(Redirect::to(&format!("/plan/sets/{id}")).into_response())
}

/// Whether the viewer may read the office-wide plan pages.
pub fn sees_all_plans(user: &CurrentUser) -> bool {
    user.require(Permission::ViewAllPlans).is_ok()
}

#[cfg(test)]
mod tests {
    use crate::domain::plan::PlanStatus;
    use crate::i18n::Lang;

    #[test]
    fn every_step_outcome_has_a_message() {
        for status in [PlanStatus::Submitted, PlanStatus::Returned, PlanStatus::Approved] {
            let key = format!("plan-step-done-{}", status.code());
            for lang in Lang::ALL {
                assert_ne!(lang.t(&key), key, "{lang:?} lacks {key}");
            }
        }
    }
}

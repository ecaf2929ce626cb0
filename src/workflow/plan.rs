//! The plan workflow (目标制定): the checks of a target set and the steps that
//! move it through draft → submitted → returned/approved, shared by the set
//! page, the approval queue and the target edits.

use rust_decimal::Decimal;
use serde_json::json;
use sqlx::PgConnection;

use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::targets::{self, SetRow, TargetData, TargetRow};
use crate::domain::plan::{self, PlanIssue, PlanStatus, PlanStep, WorkflowError};
use crate::domain::policy;
use crate::error::{AppError, AppResult};

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
                issues: plan::check_target(&TargetData::from_row(&target).facts(), period),
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
    // docs/DOMAIN.md §12: event notices go with the event, in its transaction.
    match (step, set.person_id) {
        (PlanStep::Return, Some(owner)) => {
            super::notices::plan_returned(conn, set_id, version + 1, owner, &set.cycle_name).await?;
        }
        (PlanStep::Submit, _) => {
            super::notices::plan_resubmitted(conn, set_id).await?;
        }
        _ => {}
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

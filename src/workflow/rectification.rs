//! Rectification steps shared by the pages and the demo (docs/DOMAIN.md
//! §19.5): raising an item, moving it (progress, submission, verification,
//! reopening) and carrying the open items into the next annual cycle's
//! targets. Each is written inside the caller's transaction with its audit
//! row; the caller has checked who acts.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::PgConnection;

use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::rectification::{self as db, CycleChoice, ItemData, ItemRow};
use crate::db::targets::{self, TargetData};
use crate::domain::plan::{self, CycleStage, PlanStep, TargetCategory, TargetKind};
use crate::domain::rectification::{Move, RectificationStatus, SourceRef, StepKind, transition};

/// The actor of an audit context (every step has one).
fn actor(ctx: &AuditContext) -> i64 {
    ctx.actor_id.unwrap_or_default()
}

/// Raises an item and audits it; its id.
pub async fn raise(
    conn: &mut PgConnection,
    ctx: &AuditContext,
    data: &ItemData,
    source: SourceRef,
    reference: &str,
    today: NaiveDate,
) -> Result<i64, sqlx::Error> {
    let id = db::create(conn, data, source, reference, actor(ctx), today).await?;
    let summary = json!({
        "title": data.title, "source": source.encode(), "reference": reference, "department_id": data.department_id,
        "owner_id": data.owner_id, "due_on": data.due_on,
    });
    audit::record(conn, ctx, AuditEvent::new("rectification.raised", "rectification_item", id, summary)).await?;
    Ok(id)
}

/// What came of a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moved {
    /// The item moved to this status; the step's id (evidence files hang on it).
    Done(RectificationStatus, i64),
    /// The move does not apply to the item's status.
    NotNow,
    /// The item changed since the form was loaded.
    Stale,
}

/// Applies a move to a locked item at `version` (a progress update keeps a
/// submitted item's status out: it is refused). The note is the progress
/// text, the verifier's note or the reason of a return or a reopening.
pub async fn apply(
    conn: &mut PgConnection,
    ctx: &AuditContext,
    item: &ItemRow,
    version: i32,
    step: Move,
    note: &str,
    today: NaiveDate,
) -> Result<Moved, sqlx::Error> {
    let Some(to) = transition(item.status, step) else { return Ok(Moved::NotNow) };
    let closed = (to == RectificationStatus::Closed).then_some((actor(ctx), today));
    if !db::set_status(conn, item.id, version, to, closed).await? {
        return Ok(Moved::Stale);
    }
    let kind = match step {
        Move::Progress => StepKind::Progress,
        Move::Submit => StepKind::Submitted,
        Move::Close => StepKind::Closed,
        Move::Return => StepKind::Returned,
        Move::Reopen => StepKind::Reopened,
    };
    let step_id = db::add_step(conn, item.id, kind, actor(ctx), today, note).await?;
    let action = format!("rectification.{}", kind.code());
    let summary = json!({ "from": item.status.code(), "to": to.code(), "note": note, "on": today });
    audit::record(conn, ctx, AuditEvent::new(&action, "rectification_item", item.id, summary)).await?;
    Ok(Moved::Done(to, step_id))
}

/// What carrying produced: (item, target) pairs, and the items left because
/// their owner's plan in the cycle is already submitted or approved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Carried {
    pub carried: Vec<(i64, i64)>,
    pub skipped: Vec<i64>,
}

/// The texts a carried target takes that the item does not hold.
#[derive(Debug, Clone)]
pub struct CarryTexts {
    pub measure: String,
    pub assessment_method: String,
}

/// Carries every open item not yet carried, of `departments` (`None`: all),
/// into its owner's target set of `cycle` (an annual cycle in planning): a
/// qualitative key-work target owned by the item's owner (the post's B as
/// backup), due at the cycle's end, without weight, in a set created if
/// missing and still a draft or returned. Each item is linked to its
/// target, so carrying again adds nothing (docs/DOMAIN.md §19.5).
pub async fn carry_into_targets(
    conn: &mut PgConnection,
    ctx: &AuditContext,
    cycle: &CycleChoice,
    departments: Option<&[i64]>,
    texts: &CarryTexts,
    today: NaiveDate,
) -> Result<Carried, sqlx::Error> {
    let items = db::open_uncarried(conn, departments).await?;
    let mut owners: Vec<i64> = items.iter().map(|i| i.owner_id).collect();
    owners.sort_unstable();
    owners.dedup();
    let sets = targets::person_sets_for_update(conn, cycle.id, &owners).await?;
    let mut out = Carried::default();
    for item in &items {
        let set = sets.iter().find(|(person, ..)| *person == item.owner_id);
        let open = set
            .filter(|(_, _, status, _)| plan::plan_transition(*status, PlanStep::Edit, CycleStage::Planning).is_ok());
        let Some((_, set_id, _, _)) = open else {
            out.skipped.push(item.id);
            continue;
        };
        let backup = targets::post_of(conn, item.owner_id).await?.and_then(|(_, b)| b);
        let data = TargetData {
            title: item.title.clone(),
            category: Some(TargetCategory::KeyWork),
            kind: Some(TargetKind::Qualitative),
            measure: texts.measure.clone(),
            quality_requirement: if item.plan.trim().is_empty() { item.problem.clone() } else { item.plan.clone() },
            assessment_method: texts.assessment_method.clone(),
            owner_id: Some(item.owner_id),
            backup_id: backup.filter(|b| *b != item.owner_id),
            deadline: Some(cycle.period_end),
            weight: Decimal::ZERO,
            sort_order: 900,
            ..TargetData::default()
        };
        let target = targets::create_target(conn, *set_id, &data).await?;
        if !db::set_carried(conn, item.id, target).await? {
            out.skipped.push(item.id);
            continue;
        }
        db::add_step(conn, item.id, StepKind::Carried, actor(ctx), today, &cycle.name).await?;
        let summary = json!({ "target_id": target, "set_id": set_id, "cycle_id": cycle.id, "owner_id": item.owner_id });
        audit::record(conn, ctx, AuditEvent::new("rectification.carried", "rectification_item", item.id, summary))
            .await?;
        out.carried.push((item.id, target));
    }
    Ok(out)
}

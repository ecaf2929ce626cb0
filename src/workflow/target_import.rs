//! Target import (docs/DOMAIN.md §20.3): what the check of an upload reads
//! from the database, and the writing of a confirmed import — the plans
//! opened where a person (or the department) has none, the targets added,
//! an audit row for each — inside the caller's transaction.

use std::collections::{HashMap, HashSet};

use serde_json::json;
use sqlx::PgConnection;

use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::target_import as db;
use crate::db::targets::{self, TargetData};
use crate::domain::plan::{self, CycleStage, PlanStep, TargetLevel};
use crate::domain::target_import::{ImportFacts, ImportRow, PlanFacts, PlanOwner};

/// The facts the rows are checked against; with `lock`, the plans involved
/// are locked until the transaction ends. `None` for an unknown cycle.
pub async fn facts(
    conn: &mut PgConnection,
    (cycle_id, department_id): (i64, i64),
    department_name: &str,
    rows: &[ImportRow],
    lock: bool,
) -> anyhow::Result<Option<ImportFacts>> {
    let Some(cycle) = db::cycle(conn, cycle_id).await? else { return Ok(None) };
    let people = db::people(conn, cycle_id, department_id).await?;
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    let mut usernames: Vec<String> = rows.iter().map(|r| r.values.username.trim().to_lowercase()).collect();
    usernames.retain(|u| !u.is_empty());
    let elsewhere: HashSet<String> = db::elsewhere(conn, &usernames, department_id).await?.into_iter().collect();
    let in_planning = cycle.stage == CycleStage::Planning;
    let plans = db::plans(conn, cycle_id, department_id, &ids, lock)
        .await?
        .into_iter()
        .filter_map(|p| {
            let owner = match (p.level, p.person_id) {
                (TargetLevel::Department, _) => PlanOwner::Department,
                (TargetLevel::Person, Some(person)) => PlanOwner::Person(person),
                _ => return None,
            };
            let editable = plan::plan_transition(p.status, PlanStep::Edit, cycle.stage).is_ok();
            let facts = PlanFacts {
                set_id: p.set_id,
                editable,
                weight_total: p.weight_total,
                titles: p.titles,
                next_sort_order: p.next_sort_order,
            };
            Some((owner, facts))
        })
        .collect();
    Ok(Some(ImportFacts {
        department_name: department_name.to_string(),
        period: (cycle.period_start, cycle.period_end),
        in_planning,
        people,
        elsewhere,
        department_participates: db::department_participates(conn, cycle_id, department_id).await?,
        plans,
    }))
}

/// Writes the targets of checked rows (every row without errors; the caller
/// confirms only an import without any), opening the plans that do not
/// exist yet. The number of targets and of plans opened.
pub async fn write(
    conn: &mut PgConnection,
    actor: &AuditContext,
    import_id: i64,
    (cycle_id, department_id): (i64, i64),
    rows: &[ImportRow],
) -> anyhow::Result<(usize, usize)> {
    let mut opened: HashMap<PlanOwner, i64> = HashMap::new();
    let mut written = 0;
    for target in rows.iter().filter_map(|r| r.target.as_ref()) {
        let set_id = match (target.set_id, opened.get(&target.plan)) {
            (Some(id), _) | (None, Some(&id)) => id,
            (None, None) => {
                let (level, person) = match target.plan {
                    PlanOwner::Department => (TargetLevel::Department, None),
                    PlanOwner::Person(person) => (TargetLevel::Person, Some(person)),
                };
                let (id, created) = targets::ensure_set(conn, cycle_id, level, Some(department_id), person).await?;
                if created {
                    let summary = json!({ "cycle_id": cycle_id, "level": level.code(), "import": import_id });
                    audit::record(conn, actor, AuditEvent::new("target_set.created", "target_set", id, summary))
                        .await?;
                }
                opened.insert(target.plan, id);
                id
            }
        };
        let data = TargetData {
            parent_id: None,
            post_id: target.post_id,
            title: target.title.clone(),
            category: Some(target.category),
            kind: Some(target.kind),
            measure: target.measure.clone(),
            unit: target.unit.clone(),
            target_value: target.target_value,
            direction: Some(target.direction),
            baseline: target.baseline,
            weight: target.weight,
            deadline: Some(target.deadline),
            quality_requirement: String::new(),
            assessment_method: target.assessment_method.clone(),
            evidence_required: String::new(),
            owner_id: target.owner_id,
            backup_id: target.backup_id,
            sort_order: target.sort_order,
        };
        let id = targets::create_target(conn, set_id, &data).await?;
        let summary = json!({ "after": data, "import": import_id });
        audit::record(conn, actor, AuditEvent::new("target.imported", "target", id, summary)).await?;
        written += 1;
    }
    Ok((written, opened.len()))
}

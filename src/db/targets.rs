//! Target sets, targets, their revisions and change requests.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use sqlx::types::Json;

use crate::domain::plan::{
    ChangeKind, ChangeStatus, CycleStage, Direction, PlanStatus, TargetCategory, TargetFacts, TargetKind, TargetLevel,
};
use crate::domain::policy::SetFacts;

/// A target set with what its pages show about the cycle and the owner.
#[derive(Debug, Clone)]
pub struct SetRow {
    pub id: i64,
    pub cycle_id: i64,
    pub cycle_name: String,
    pub stage: CycleStage,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub level: TargetLevel,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub owner_is_head: bool,
    pub status: PlanStatus,
    pub return_reason: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by_name: Option<String>,
    pub version: i32,
}

impl SetRow {
    pub fn facts(&self) -> SetFacts {
        SetFacts {
            level: self.level,
            department_id: self.department_id,
            person_id: self.person_id,
            owner_is_head: self.owner_is_head,
        }
    }
}

pub async fn find_set(conn: &mut PgConnection, id: i64) -> Result<Option<SetRow>, sqlx::Error> {
    sqlx::query_as!(
        SetRow,
        r#"select s.id, s.cycle_id, c.name as cycle_name, c.stage as "stage: CycleStage",
                  c.period_start as "period_start: NaiveDate", c.period_end as "period_end: NaiveDate",
                  s.level as "level: TargetLevel",
                  s.department_id, d.name as "department_name?", s.person_id, p.full_name as "person_name?",
                  exists (select 1 from role_grant g where g.person_id = s.person_id
                          and g.role = 'department_head' and g.department_id = s.department_id) as "owner_is_head!",
                  s.status as "status: PlanStatus", s.return_reason,
                  s.submitted_at as "submitted_at: DateTime<Utc>", s.decided_at as "decided_at: DateTime<Utc>",
                  dp.full_name as "decided_by_name?", s.version
           from target_set s
           join cycle c on c.id = s.cycle_id
           left join department d on d.id = s.department_id
           left join person p on p.id = s.person_id
           left join person dp on dp.id = s.decided_by
           where s.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Locks the set's row for a workflow step in this transaction.
pub async fn lock_set(conn: &mut PgConnection, id: i64) -> Result<Option<i32>, sqlx::Error> {
    sqlx::query_scalar!("select version from target_set where id = $1 for update", id).fetch_optional(conn).await
}

/// The set of an owner in a cycle, created if it does not exist yet: its id,
/// and whether it was created now.
pub async fn ensure_set(
    conn: &mut PgConnection,
    cycle_id: i64,
    level: TargetLevel,
    department_id: Option<i64>,
    person_id: Option<i64>,
) -> Result<(i64, bool), sqlx::Error> {
    let existing = sqlx::query_scalar!(
        r#"select id from target_set where cycle_id = $1 and level = $2
             and (level = 'office' or (level = 'department' and department_id = $3) or (level = 'person' and person_id = $4))"#,
        cycle_id,
        level as TargetLevel,
        department_id,
        person_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = existing {
        return Ok((id, false));
    }
    let id = sqlx::query_scalar!(
        "insert into target_set (cycle_id, level, department_id, person_id) values ($1, $2, $3, $4) returning id",
        cycle_id,
        level as TargetLevel,
        department_id,
        person_id
    )
    .fetch_one(conn)
    .await?;
    Ok((id, true))
}

/// What opening a set needs to know: the cycle's stage, the owner's set if
/// it exists already, and whether the owner takes part in the cycle (the
/// person, or someone of the department, in `cycle_participant`; the office's
/// work points always).
#[derive(Debug, Clone)]
pub struct OpeningFacts {
    pub stage: CycleStage,
    pub existing: Option<i64>,
    pub takes_part: bool,
}

/// The facts for opening a set of `level` in a cycle; None when there is no such cycle.
pub async fn opening_facts(
    conn: &mut PgConnection,
    cycle_id: i64,
    level: TargetLevel,
    department_id: Option<i64>,
    person_id: Option<i64>,
) -> Result<Option<OpeningFacts>, sqlx::Error> {
    sqlx::query_as!(
        OpeningFacts,
        r#"select c.stage as "stage: CycleStage",
                  (select s.id from target_set s where s.cycle_id = c.id and s.level = $2
                     and (s.level = 'office' or (s.level = 'department' and s.department_id = $3)
                          or (s.level = 'person' and s.person_id = $4))) as existing,
                  ($2 = 'office'::target_level
                   or exists (select 1 from cycle_participant cp where cp.cycle_id = c.id
                              and (($2 = 'person'::target_level and cp.person_id = $4)
                                or ($2 = 'department'::target_level and cp.department_id = $3)))) as "takes_part!"
           from cycle c where c.id = $1"#,
        cycle_id,
        level as TargetLevel,
        department_id,
        person_id
    )
    .fetch_optional(conn)
    .await
}

/// Moves a set to `to` if it is still at `version` and in one of `from`; false otherwise.
pub async fn set_status(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    to: PlanStatus,
    return_reason: &str,
    decided_by: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update target_set set status = $3::plan_status, return_reason = $4,
                submitted_at = case when $3::plan_status = 'submitted' then now() else submitted_at end,
                decided_at = case when $3::plan_status in ('returned', 'approved') then now() else decided_at end,
                decided_by = case when $3::plan_status in ('returned', 'approved') then $5 else decided_by end,
                version = version + 1
         where id = $1 and version = $2",
        id,
        version,
        to as PlanStatus,
        return_reason,
        decided_by
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// A target as the pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    pub id: i64,
    pub set_id: i64,
    pub parent_id: Option<i64>,
    pub parent_title: Option<String>,
    pub post_id: Option<i64>,
    pub post_title: Option<String>,
    pub title: String,
    pub category: TargetCategory,
    pub kind: TargetKind,
    pub measure: String,
    pub unit: String,
    pub target_value: Option<Decimal>,
    pub direction: Direction,
    pub baseline: Option<Decimal>,
    pub weight: Decimal,
    pub deadline: Option<NaiveDate>,
    pub quality_requirement: String,
    pub assessment_method: String,
    pub evidence_required: String,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub backup_id: Option<i64>,
    pub backup_name: Option<String>,
    pub sort_order: i32,
    pub version: i32,
}

/// The active targets of a set, in order.
pub async fn targets_of_set(conn: &mut PgConnection, set_id: i64) -> Result<Vec<TargetRow>, sqlx::Error> {
    sqlx::query_as!(
        TargetRow,
        r#"select t.id, t.set_id, t.parent_id, pt.title as "parent_title?", t.post_id, s.title as "post_title?",
                  t.title, t.category as "category: TargetCategory", t.kind as "kind: TargetKind", t.measure, t.unit, t.target_value,
                  t.direction as "direction: Direction", t.baseline, t.weight, t.deadline as "deadline: NaiveDate", t.quality_requirement,
                  t.assessment_method, t.evidence_required, t.owner_id, o.full_name as "owner_name?",
                  t.backup_id, b.full_name as "backup_name?", t.sort_order, t.version
           from target t
           left join target pt on pt.id = t.parent_id
           left join post s on s.id = t.post_id
           left join person o on o.id = t.owner_id
           left join person b on b.id = t.backup_id
           where t.set_id = $1 and t.active
           order by t.sort_order, t.id"#,
        set_id
    )
    .fetch_all(conn)
    .await
}

pub async fn find_target(conn: &mut PgConnection, id: i64) -> Result<Option<TargetRow>, sqlx::Error> {
    sqlx::query_as!(
        TargetRow,
        r#"select t.id, t.set_id, t.parent_id, pt.title as "parent_title?", t.post_id, s.title as "post_title?",
                  t.title, t.category as "category: TargetCategory", t.kind as "kind: TargetKind", t.measure, t.unit, t.target_value,
                  t.direction as "direction: Direction", t.baseline, t.weight, t.deadline as "deadline: NaiveDate", t.quality_requirement,
                  t.assessment_method, t.evidence_required, t.owner_id, o.full_name as "owner_name?",
                  t.backup_id, b.full_name as "backup_name?", t.sort_order, t.version
           from target t
           left join target pt on pt.id = t.parent_id
           left join post s on s.id = t.post_id
           left join person o on o.id = t.owner_id
           left join person b on b.id = t.backup_id
           where t.id = $1 and t.active"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// What a target form saves; also the shape of a change request's proposal
/// and of a revision's old and new values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetData {
    pub parent_id: Option<i64>,
    pub post_id: Option<i64>,
    pub title: String,
    pub category: Option<TargetCategory>,
    /// Quantitative unless said otherwise (older proposals carry no kind).
    #[serde(default)]
    pub kind: Option<TargetKind>,
    pub measure: String,
    pub unit: String,
    pub target_value: Option<Decimal>,
    pub direction: Option<Direction>,
    pub baseline: Option<Decimal>,
    pub weight: Decimal,
    pub deadline: Option<NaiveDate>,
    pub quality_requirement: String,
    pub assessment_method: String,
    pub evidence_required: String,
    pub owner_id: Option<i64>,
    pub backup_id: Option<i64>,
    pub sort_order: i32,
}

impl TargetData {
    /// The facts the plan checks look at.
    pub fn facts(&self) -> TargetFacts {
        TargetFacts {
            qualitative: self.kind == Some(TargetKind::Qualitative),
            title: self.title.clone(),
            measure: self.measure.clone(),
            target_value: self.target_value,
            baseline: self.baseline,
            direction: self.direction,
            weight: self.weight,
            deadline: self.deadline,
            assessment_method: self.assessment_method.clone(),
            owner_id: self.owner_id,
            backup_id: self.backup_id,
        }
    }

    pub fn from_row(row: &TargetRow) -> TargetData {
        TargetData {
            parent_id: row.parent_id,
            post_id: row.post_id,
            title: row.title.clone(),
            category: Some(row.category),
            kind: Some(row.kind),
            measure: row.measure.clone(),
            unit: row.unit.clone(),
            target_value: row.target_value,
            direction: Some(row.direction),
            baseline: row.baseline,
            weight: row.weight,
            deadline: row.deadline,
            quality_requirement: row.quality_requirement.clone(),
            assessment_method: row.assessment_method.clone(),
            evidence_required: row.evidence_required.clone(),
            owner_id: row.owner_id,
            backup_id: row.backup_id,
            sort_order: row.sort_order,
        }
    }
}

pub async fn create_target(conn: &mut PgConnection, set_id: i64, data: &TargetData) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into target (set_id, parent_id, post_id, title, category, measure, unit, target_value, direction,
                             baseline, weight, deadline, quality_requirement, assessment_method, evidence_required,
                             owner_id, backup_id, sort_order, kind)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) returning id",
        set_id,
        data.parent_id,
        data.post_id,
        data.title,
        data.category.unwrap_or(TargetCategory::Routine) as TargetCategory,
        data.measure,
        data.unit,
        data.target_value,
        data.direction.unwrap_or(Direction::HigherBetter) as Direction,
        data.baseline,
        data.weight,
        data.deadline as _,
        data.quality_requirement,
        data.assessment_method,
        data.evidence_required,
        data.owner_id,
        data.backup_id,
        data.sort_order,
        data.kind.unwrap_or(TargetKind::Quantitative) as TargetKind
    )
    .fetch_one(conn)
    .await
}

/// Saves if the target is still at `version`; false when it moved.
pub async fn update_target(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    data: &TargetData,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update target set parent_id = $3, post_id = $4, title = $5, category = $6, measure = $7, unit = $8,
                target_value = $9, direction = $10, baseline = $11, weight = $12, deadline = $13,
                quality_requirement = $14, assessment_method = $15, evidence_required = $16, owner_id = $17,
                backup_id = $18, sort_order = $19, kind = $20, version = version + 1, updated_at = now()
         where id = $1 and version = $2 and active",
        id,
        version,
        data.parent_id,
        data.post_id,
        data.title,
        data.category.unwrap_or(TargetCategory::Routine) as TargetCategory,
        data.measure,
        data.unit,
        data.target_value,
        data.direction.unwrap_or(Direction::HigherBetter) as Direction,
        data.baseline,
        data.weight,
        data.deadline as _,
        data.quality_requirement,
        data.assessment_method,
        data.evidence_required,
        data.owner_id,
        data.backup_id,
        data.sort_order,
        data.kind.unwrap_or(TargetKind::Quantitative) as TargetKind
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Withdraws a target (kept for the record, no longer counted).
pub async fn withdraw_target(conn: &mut PgConnection, id: i64, version: i32) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update target set active = false, version = version + 1, updated_at = now() where id = $1 and version = $2 and active",
        id,
        version
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// A candidate parent for alignment: a target of the level above in the same cycle.
#[derive(Debug, Clone)]
pub struct ParentChoice {
    pub id: i64,
    pub title: String,
    pub owner: String,
}

/// Targets a target of `set` may align to: the owner's department targets for
/// a person set, the office work points for a department set.
pub async fn parent_choices(conn: &mut PgConnection, set: &SetRow) -> Result<Vec<ParentChoice>, sqlx::Error> {
    parents_for(conn, set.cycle_id, set.level, set.department_id).await
}

/// Targets a target of the given level in the given department may align to.
pub async fn parents_for(
    conn: &mut PgConnection,
    cycle_id: i64,
    level: TargetLevel,
    department_id: Option<i64>,
) -> Result<Vec<ParentChoice>, sqlx::Error> {
    sqlx::query_as!(
        ParentChoice,
        r#"select t.id, t.title, coalesce(d.name, '') as "owner!"
           from target t
           join target_set s on s.id = t.set_id
           left join department d on d.id = s.department_id
           where s.cycle_id = $1 and t.active
             and ((s.level = 'department' and $2 = 'person'::target_level and s.department_id = $3)
               or (s.level = 'office' and $2 = 'department'::target_level))
           order by t.sort_order, t.id"#,
        cycle_id,
        level as TargetLevel,
        department_id
    )
    .fetch_all(conn)
    .await
}

/// The names behind the ids a target refers to, for showing changes:
/// `kind` is "target" (a parent's title), "person" (an owner or backup) or
/// "post" (a post's title).
#[derive(Debug, Clone)]
pub struct NamedId {
    pub kind: String,
    pub id: i64,
    pub name: String,
}

/// The titles and names of the given targets, people and posts, in one query.
pub async fn names_of(
    conn: &mut PgConnection,
    target_ids: &[i64],
    person_ids: &[i64],
    post_ids: &[i64],
) -> Result<Vec<NamedId>, sqlx::Error> {
    sqlx::query_as!(
        NamedId,
        r#"select 'target' as "kind!", id as "id!", title as "name!" from target where id = any($1)
           union all select 'person', id, full_name from person where id = any($2)
           union all select 'post', id, title from post where id = any($3)"#,
        target_ids,
        person_ids,
        post_ids
    )
    .fetch_all(conn)
    .await
}

/// One entry of a target's history.
#[derive(Debug, Clone, Deserialize)]
pub struct RevisionRow {
    pub changed_at: DateTime<Utc>,
    pub changed_by: Option<String>,
    pub reason: String,
    pub old_values: serde_json::Value,
    pub new_values: serde_json::Value,
}

pub async fn add_revision(
    conn: &mut PgConnection,
    target_id: i64,
    by: i64,
    reason: &str,
    old: &serde_json::Value,
    new: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into target_revision (target_id, changed_by, reason, old_values, new_values) values ($1, $2, $3, $4, $5)",
        target_id,
        by,
        reason,
        old,
        new
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A change request with what its pages show.
#[derive(Debug, Clone, Deserialize)]
pub struct ChangeRow {
    pub id: i64,
    pub target_id: i64,
    pub target_title: String,
    pub set_id: i64,
    pub requested_by: String,
    /// The requester's id: they never decide their own request.
    pub requested_by_id: i64,
    pub requested_at: DateTime<Utc>,
    /// The ground of the request (docs/DOMAIN.md §6.6).
    pub kind: ChangeKind,
    pub reason: String,
    pub proposed: serde_json::Value,
    pub status: ChangeStatus,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: String,
    pub version: i32,
}

pub async fn create_change(
    conn: &mut PgConnection,
    target_id: i64,
    by: i64,
    (kind, reason): (ChangeKind, &str),
    proposed: &serde_json::Value,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into target_change (target_id, requested_by, kind, reason, proposed) values ($1, $2, $3, $4, $5)
         returning id",
        target_id,
        by,
        kind as ChangeKind,
        reason,
        proposed
    )
    .fetch_one(conn)
    .await
}

/// A target's revisions and change requests, newest first, in one query
/// (each list as JSON).
pub async fn history(
    conn: &mut PgConnection,
    target_id: i64,
) -> Result<(Vec<RevisionRow>, Vec<ChangeRow>), sqlx::Error> {
    let row = sqlx::query!(
        r#"select
             (select coalesce(json_agg(json_build_object(
                         'changed_at', r.changed_at, 'changed_by', p.full_name, 'reason', r.reason,
                         'old_values', r.old_values, 'new_values', r.new_values)
                       order by r.changed_at desc, r.id desc), '[]')
              from target_revision r left join person p on p.id = r.changed_by
              where r.target_id = $1) as "revisions!: Json<Vec<RevisionRow>>",
             (select coalesce(json_agg(json_build_object(
                         'id', c.id, 'target_id', c.target_id, 'target_title', t.title, 'set_id', t.set_id,
                         'requested_by', p.full_name, 'requested_by_id', c.requested_by,
                         'requested_at', c.requested_at, 'kind', c.kind, 'reason', c.reason,
                         'proposed', c.proposed, 'status', c.status, 'decided_by', d.full_name,
                         'decided_at', c.decided_at, 'decision_note', c.decision_note, 'version', c.version)
                       order by c.requested_at desc), '[]')
              from target_change c
              join target t on t.id = c.target_id
              join person p on p.id = c.requested_by
              left join person d on d.id = c.decided_by
              where c.target_id = $1) as "changes!: Json<Vec<ChangeRow>>""#,
        target_id
    )
    .fetch_one(conn)
    .await?;
    Ok((row.revisions.0, row.changes.0))
}

pub async fn find_change(conn: &mut PgConnection, id: i64) -> Result<Option<ChangeRow>, sqlx::Error> {
    sqlx::query_as!(
        ChangeRow,
        r#"select c.id, c.target_id, t.title as target_title, t.set_id, p.full_name as requested_by,
                  c.requested_by as requested_by_id,
                  c.requested_at as "requested_at: DateTime<Utc>", c.kind as "kind: ChangeKind", c.reason, c.proposed,
                  c.status as "status: ChangeStatus", d.full_name as "decided_by?",
                  c.decided_at as "decided_at: DateTime<Utc>", c.decision_note, c.version
           from target_change c
           join target t on t.id = c.target_id
           join person p on p.id = c.requested_by
           left join person d on d.id = c.decided_by
           where c.id = $1 for update of c"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Decides a pending request if it is still at `version`; false otherwise.
pub async fn decide_change(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    status: ChangeStatus,
    by: i64,
    note: &str,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update target_change set status = $3, decided_by = $4, decided_at = now(), decision_note = $5,
                version = version + 1
         where id = $1 and version = $2 and status = 'pending'",
        id,
        version,
        status as ChangeStatus,
        by,
        note
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Who may decide what: the departments a person heads and oversees.
#[derive(Debug, Clone, Default)]
pub struct DeciderScope {
    pub person_id: i64,
    pub heads: Vec<i64>,
    pub leads: Vec<i64>,
}

/// A set awaiting a decision, for the queue.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub set_id: i64,
    pub cycle_name: String,
    pub level: TargetLevel,
    pub owner: String,
    pub department_name: Option<String>,
    pub targets: i64,
    pub weight_total: Decimal,
    pub submitted_at: Option<DateTime<Utc>>,
    pub version: i32,
}

/// Submitted sets the person may decide (see `policy::can_decide_set`, which
/// the decision itself checks again).
pub async fn sets_awaiting(conn: &mut PgConnection, scope: &DeciderScope) -> Result<Vec<QueueRow>, sqlx::Error> {
    sqlx::query_as!(
        QueueRow,
        r#"select s.id as set_id, c.name as cycle_name, s.level as "level: TargetLevel",
                  coalesce(p.full_name, d.name, '') as "owner!", d.name as "department_name?",
                  (select count(*) from target t where t.set_id = s.id and t.active) as "targets!",
                  (select coalesce(sum(t.weight), 0) from target t where t.set_id = s.id and t.active) as "weight_total!",
                  s.submitted_at as "submitted_at: DateTime<Utc>", s.version
           from target_set s
           join cycle c on c.id = s.cycle_id
           left join person p on p.id = s.person_id
           left join department d on d.id = s.department_id
           join target_set_approval a on a.set_id = s.id
           where s.status = 'submitted' and s.person_id is distinct from $1
             and ((a.approver_role = 'department_head' and a.department_id = any($2))
               or (a.approver_role = 'supervising_leader' and a.department_id = any($3)))
           order by s.submitted_at, s.id"#,
        scope.person_id,
        &scope.heads,
        &scope.leads
    )
    .fetch_all(conn)
    .await
}

/// Pending change requests the person may decide.
pub async fn changes_awaiting(conn: &mut PgConnection, scope: &DeciderScope) -> Result<Vec<ChangeRow>, sqlx::Error> {
    sqlx::query_as!(
        ChangeRow,
        r#"select c.id, c.target_id, t.title as target_title, t.set_id, p.full_name as requested_by,
                  c.requested_by as requested_by_id,
                  c.requested_at as "requested_at: DateTime<Utc>", c.kind as "kind: ChangeKind", c.reason, c.proposed,
                  c.status as "status: ChangeStatus", null::text as "decided_by?",
                  c.decided_at as "decided_at: DateTime<Utc>", c.decision_note, c.version
           from target_change c
           join target t on t.id = c.target_id
           join target_set s on s.id = t.set_id
           join person p on p.id = c.requested_by
           join target_set_approval a on a.set_id = s.id
           where c.status = 'pending' and s.person_id is distinct from $1 and c.requested_by <> $1
             and ((a.approver_role = 'department_head' and a.department_id = any($2))
               or (a.approver_role = 'supervising_leader' and a.department_id = any($3)))
           order by c.requested_at"#,
        scope.person_id,
        &scope.heads,
        &scope.leads
    )
    .fetch_all(conn)
    .await
}

/// The latest earlier cycle of the same kind, with its start.
pub async fn previous_cycle(conn: &mut PgConnection, cycle_id: i64) -> Result<Option<(i64, NaiveDate)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select p.id, p.period_start as "period_start: NaiveDate" from cycle c
         join cycle p on p.kind = c.kind and p.period_start < c.period_start
         where c.id = $1 order by p.period_start desc limit 1"#,
        cycle_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.id, r.period_start)))
}

/// The verified value (the audited value of the latest verified report) of
/// each target of a set that has one: last cycle's actual when copying.
pub async fn verified_values(
    conn: &mut PgConnection,
    set_id: i64,
) -> Result<std::collections::HashMap<i64, Decimal>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select t.id, p.verified_value as "verified_value!" from target t
           join target_progress p on p.target_id = t.id
           where t.set_id = $1 and t.active and p.verified_value is not null"#,
        set_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.verified_value)).collect())
}

/// The set of the same owner as `set` in another cycle.
pub async fn same_owner_set(conn: &mut PgConnection, set: &SetRow, cycle_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select id from target_set where cycle_id = $1 and level = $2
             and (level = 'office' or (level = 'department' and department_id = $3) or (level = 'person' and person_id = $4))"#,
        cycle_id,
        set.level as TargetLevel,
        set.department_id,
        set.person_id
    )
    .fetch_optional(conn)
    .await
}

/// Locks the sets of `people` in a cycle, creating missing ones in the
/// people's departments; (person, set id, status, version) for each.
pub async fn person_sets_for_update(
    conn: &mut PgConnection,
    cycle_id: i64,
    people: &[i64],
) -> Result<Vec<(i64, i64, PlanStatus, i32)>, sqlx::Error> {
    sqlx::query!(
        "insert into target_set (cycle_id, level, department_id, person_id)
         select $1, 'person', p.department_id, p.id from person p
         where p.id = any($2) and not exists (
             select 1 from target_set s where s.cycle_id = $1 and s.level = 'person' and s.person_id = p.id)",
        cycle_id,
        people
    )
    .execute(&mut *conn)
    .await?;
    let rows = sqlx::query!(
        r#"select person_id as "person_id!", id, status as "status: PlanStatus", version from target_set
           where cycle_id = $1 and level = 'person' and person_id = any($2) order by id for update"#,
        cycle_id,
        people
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.person_id, r.id, r.status, r.version)).collect())
}

/// The post a person holds as A, and that post's B holder: defaults of a new target.
pub async fn post_of(conn: &mut PgConnection, person_id: i64) -> Result<Option<(i64, Option<i64>)>, sqlx::Error> {
    let row = sqlx::query!(
        "select id, b_holder_id from post where a_holder_id = $1 and active order by sort_order, id limit 1",
        person_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.id, r.b_holder_id)))
}

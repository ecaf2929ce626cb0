//! The few statements only the demo loader needs: bulk inserts of the plan
//! data with ids taken from the sequences up front, so parents and children
//! go in one statement each.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::db::commitments::CommitmentData;
use crate::db::cycles::CycleData;
use crate::db::post_templates::TemplateData;
use crate::db::targets::TargetData;
use crate::domain::plan::{CycleKind, CycleStage, Direction, PlanStatus, ReportFrequency, TargetCategory, TargetLevel};

/// Whether no department exists yet (the demo office is loaded only then).
pub async fn office_is_empty(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(r#"select not exists (select 1 from department) as "empty!""#).fetch_one(conn).await
}

/// Lets the demo accounts sign in without a forced change; `password_changed_at`
/// stays null, so the home page still suggests setting a password of one's own.
pub async fn skip_forced_password_change(conn: &mut PgConnection, person_ids: &[i64]) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!("update person set must_change_password = false where id = any($1)", person_ids)
        .execute(conn)
        .await?;
    Ok(result.rows_affected())
}

/// A cycle already in `stage`, opened at `created_at` (everyone takes part).
pub async fn insert_cycle(
    conn: &mut PgConnection,
    data: &CycleData,
    stage: CycleStage,
    created_at: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into cycle (name, kind, period_start, period_end, stage, planning_until, implementation_until,
                            assessment_until, feedback_until, report_frequency, all_participants, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id",
        data.name,
        data.kind as CycleKind,
        data.period_start as _,
        data.period_end as _,
        stage as CycleStage,
        data.planning_until as _,
        data.implementation_until as _,
        data.assessment_until as _,
        data.feedback_until as _,
        data.report_frequency as ReportFrequency,
        data.all_participants,
        created_at as _
    )
    .fetch_one(conn)
    .await
}

/// `count` fresh target set ids.
pub async fn next_target_set_ids(conn: &mut PgConnection, count: usize) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select nextval(pg_get_serial_sequence('target_set', 'id')) as "id!" from generate_series(1, $1::int)"#,
        count as i32
    )
    .fetch_all(conn)
    .await
}

/// `count` fresh target ids.
pub async fn next_target_ids(conn: &mut PgConnection, count: usize) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select nextval(pg_get_serial_sequence('target', 'id')) as "id!" from generate_series(1, $1::int)"#,
        count as i32
    )
    .fetch_all(conn)
    .await
}

/// A target set with its id and decision, as the demo writes it.
#[derive(Debug, Clone)]
pub struct DemoSet {
    pub id: i64,
    pub cycle_id: i64,
    pub level: TargetLevel,
    pub department_id: Option<i64>,
    pub person_id: Option<i64>,
    pub status: PlanStatus,
    pub return_reason: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<i64>,
}

/// A target with its id, set and creation time.
#[derive(Debug, Clone)]
pub struct DemoTarget {
    pub id: i64,
    pub set_id: i64,
    pub data: TargetData,
    pub created_at: DateTime<Utc>,
}

/// The revision recording a target's approval.
#[derive(Debug, Clone)]
pub struct DemoRevision {
    pub target_id: i64,
    pub changed_by: Option<i64>,
    pub changed_at: DateTime<Utc>,
    pub new_values: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct DemoTemplate {
    pub post_id: i64,
    pub data: TemplateData,
}

/// One column of rows, for `unnest`.
fn column<R, T>(rows: &[R], field: impl Fn(&R) -> T) -> Vec<T> {
    rows.iter().map(field).collect()
}

pub async fn insert_sets(conn: &mut PgConnection, sets: &[DemoSet]) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "insert into target_set (id, cycle_id, level, department_id, person_id, status, return_reason,
                                 submitted_at, decided_at, decided_by)
         overriding system value
         select * from unnest($1::bigint[], $2::bigint[], $3::target_level[], $4::bigint[], $5::bigint[],
                              $6::plan_status[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::bigint[])",
        &column(sets, |s| s.id),
        &column(sets, |s| s.cycle_id),
        &column(sets, |s| s.level) as &[TargetLevel],
        &column(sets, |s| s.department_id) as _,
        &column(sets, |s| s.person_id) as _,
        &column(sets, |s| s.status) as &[PlanStatus],
        &column(sets, |s| s.return_reason.clone()),
        &column(sets, |s| s.submitted_at) as _,
        &column(sets, |s| s.decided_at) as _,
        &column(sets, |s| s.decided_by) as _,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

/// Targets in the given order; a parent must be in the same call or stored already.
pub async fn insert_targets(conn: &mut PgConnection, targets: &[DemoTarget]) -> Result<u64, sqlx::Error> {
    let data = |f: fn(&TargetData) -> String| column(targets, move |t| f(&t.data));
    let result = sqlx::query!(
        "insert into target (id, set_id, parent_id, post_id, title, category, measure, unit, target_value, direction,
                             baseline, weight, deadline, quality_requirement, assessment_method, evidence_required,
                             owner_id, backup_id, sort_order, created_at, updated_at)
         overriding system value
         select *, created from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[],
                                       $6::target_category[], $7::text[], $8::text[], $9::numeric[],
                                       $10::target_direction[], $11::numeric[], $12::numeric[], $13::date[],
                                       $14::text[], $15::text[], $16::text[], $17::bigint[], $18::bigint[],
                                       $19::int[], $20::timestamptz[])
                                as t(id, set_id, parent_id, post_id, title, category, measure, unit, target_value,
                                     direction, baseline, weight, deadline, quality_requirement, assessment_method,
                                     evidence_required, owner_id, backup_id, sort_order, created)",
        &column(targets, |t| t.id),
        &column(targets, |t| t.set_id),
        &column(targets, |t| t.data.parent_id) as _,
        &column(targets, |t| t.data.post_id) as _,
        &data(|d| d.title.clone()),
        &column(targets, |t| t.data.category.unwrap_or(TargetCategory::Routine)) as &[TargetCategory],
        &data(|d| d.measure.clone()),
        &data(|d| d.unit.clone()),
        &column(targets, |t| t.data.target_value) as &[Option<Decimal>],
        &column(targets, |t| t.data.direction.unwrap_or(Direction::HigherBetter)) as &[Direction],
        &column(targets, |t| t.data.baseline) as &[Option<Decimal>],
        &column(targets, |t| t.data.weight),
        &column(targets, |t| t.data.deadline) as &[Option<NaiveDate>],
        &data(|d| d.quality_requirement.clone()),
        &data(|d| d.assessment_method.clone()),
        &data(|d| d.evidence_required.clone()),
        &column(targets, |t| t.data.owner_id) as _,
        &column(targets, |t| t.data.backup_id) as _,
        &column(targets, |t| t.data.sort_order),
        &column(targets, |t| t.created_at) as _,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

/// Revisions with no reason and no old values: the approval of each target.
pub async fn insert_revisions(conn: &mut PgConnection, revisions: &[DemoRevision]) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "insert into target_revision (target_id, changed_by, changed_at, reason, new_values)
         select target_id, changed_by, changed_at, '', new_values
         from unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::jsonb[])
              as r(target_id, changed_by, changed_at, new_values)",
        &column(revisions, |r| r.target_id),
        &column(revisions, |r| r.changed_by) as _,
        &column(revisions, |r| r.changed_at) as _,
        &column(revisions, |r| r.new_values.clone()),
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

/// A pending change request made at `requested_at`.
pub async fn insert_change(
    conn: &mut PgConnection,
    target_id: i64,
    by: i64,
    reason: &str,
    proposed: &serde_json::Value,
    requested_at: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into target_change (target_id, requested_by, requested_at, reason, proposed)
         values ($1, $2, $3, $4, $5) returning id",
        target_id,
        by,
        requested_at as _,
        reason,
        proposed
    )
    .fetch_one(conn)
    .await
}

pub async fn insert_templates(conn: &mut PgConnection, templates: &[DemoTemplate]) -> Result<u64, sqlx::Error> {
    let data = |f: fn(&TemplateData) -> String| column(templates, move |t| f(&t.data));
    let result = sqlx::query!(
        "insert into post_target_template (post_id, title, category, measure, unit, target_value, direction, weight,
                                           quality_requirement, assessment_method, evidence_required, sort_order)
         select * from unnest($1::bigint[], $2::text[], $3::target_category[], $4::text[], $5::text[],
                              $6::numeric[], $7::target_direction[], $8::numeric[], $9::text[], $10::text[],
                              $11::text[], $12::int[])",
        &column(templates, |t| t.post_id),
        &data(|d| d.title.clone()),
        &column(templates, |t| t.data.category) as &[TargetCategory],
        &data(|d| d.measure.clone()),
        &data(|d| d.unit.clone()),
        &column(templates, |t| t.data.target_value) as &[Option<Decimal>],
        &column(templates, |t| t.data.direction) as &[Direction],
        &column(templates, |t| t.data.weight),
        &data(|d| d.quality_requirement.clone()),
        &data(|d| d.assessment_method.clone()),
        &data(|d| d.evidence_required.clone()),
        &column(templates, |t| t.data.sort_order),
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

pub async fn insert_commitments(conn: &mut PgConnection, commitments: &[CommitmentData]) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "insert into service_commitment (department_id, post_id, service, standard, time_limit_days, active)
         select * from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::int[], $6::bool[])",
        &column(commitments, |c| c.department_id),
        &column(commitments, |c| c.post_id) as _,
        &column(commitments, |c| c.service.clone()),
        &column(commitments, |c| c.standard.clone()),
        &column(commitments, |c| c.time_limit_days),
        &column(commitments, |c| c.active),
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

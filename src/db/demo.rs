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
use crate::domain::discipline::Measure;
use crate::domain::monitor::{
    AbsenceKind, LeaveKind, LedgerStatus, ProgressState, ReportStatus, SlipColour, SupervisionSource, SupervisionStatus,
};
use crate::domain::plan::{
    ChangeKind, CycleKind, CycleStage, Direction, PlanStatus, ReportFrequency, TargetCategory, TargetLevel,
};

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
                            assessment_until, feedback_until, report_frequency, all_participants, created_at,
                            annual_cycle_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning id",
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
        created_at as _,
        data.annual_cycle_id,
    )
    .fetch_one(conn)
    .await
}

/// `count` fresh ids of `table` (a table with an identity column `id`), so
/// that rows referring to each other go in one statement each.
pub async fn next_ids(conn: &mut PgConnection, table: &str, count: usize) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select nextval(pg_get_serial_sequence($1, 'id')) as "id!" from generate_series(1, $2::int)"#,
        table,
        count as i32
    )
    .fetch_all(conn)
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
    (kind, reason): (ChangeKind, &str),
    proposed: &serde_json::Value,
    requested_at: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into target_change (target_id, requested_by, requested_at, kind, reason, proposed)
         values ($1, $2, $3, $4, $5, $6) returning id",
        target_id,
        by,
        requested_at as _,
        kind as ChangeKind,
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

/// Commitments with ids taken up front (`next_ids`), in the same order.
pub async fn insert_commitments(
    conn: &mut PgConnection,
    ids: &[i64],
    commitments: &[CommitmentData],
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "insert into service_commitment (id, department_id, post_id, service, standard, time_limit_days, active)
         overriding system value
         select * from unnest($7::bigint[], $1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::int[], $6::bool[])",
        &column(commitments, |c| c.department_id),
        &column(commitments, |c| c.post_id) as _,
        &column(commitments, |c| c.service.clone()),
        &column(commitments, |c| c.standard.clone()),
        &column(commitments, |c| c.time_limit_days),
        &column(commitments, |c| c.active),
        ids,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

// ---------------------------------------------------------------------------
// Stage 2, monitor implementation: rows written with their past times.

/// A progress report as it stands, with its id taken up front (a correction
/// names the report it corrects in the same insert).
#[derive(Debug, Clone)]
pub struct DemoReport {
    pub id: i64,
    pub target_id: i64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub reported_value: Option<Decimal>,
    pub state: ProgressState,
    pub narrative: String,
    pub problems: String,
    pub next_steps: String,
    pub status: ReportStatus,
    pub submitted_by: i64,
    pub acting_for: Option<i64>,
    pub submitted_at: DateTime<Utc>,
    pub audited_value: Option<Decimal>,
    pub verify_comment: String,
    pub return_reason: String,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTime<Utc>>,
    pub corrects_id: Option<i64>,
    pub version: i32,
}

pub async fn insert_reports(conn: &mut PgConnection, reports: &[DemoReport]) -> Result<u64, sqlx::Error> {
    let text = |f: fn(&DemoReport) -> &str| column(reports, move |r| f(r).to_string());
    let result = sqlx::query!(
        "insert into progress_report (id, target_id, period_start, period_end, reported_value, state, narrative, problems,
                                      next_steps, status, submitted_by, acting_for, submitted_at, audited_value,
                                      verify_comment, return_reason, decided_by, decided_at, corrects_id, version)
         overriding system value
         select * from unnest($1::bigint[], $2::bigint[], $3::date[], $4::date[], $5::numeric[], $6::progress_state[],
                              $7::text[], $8::text[], $9::text[], $10::report_status[], $11::bigint[], $12::bigint[],
                              $13::timestamptz[], $14::numeric[], $15::text[], $16::text[], $17::bigint[],
                              $18::timestamptz[], $19::bigint[], $20::int[])",
        &column(reports, |r| r.id),
        &column(reports, |r| r.target_id),
        &column(reports, |r| r.period_start) as &[NaiveDate],
        &column(reports, |r| r.period_end) as &[NaiveDate],
        &column(reports, |r| r.reported_value) as &[Option<Decimal>],
        &column(reports, |r| r.state) as &[ProgressState],
        &text(|r| &r.narrative),
        &text(|r| &r.problems),
        &text(|r| &r.next_steps),
        &column(reports, |r| r.status) as &[ReportStatus],
        &column(reports, |r| r.submitted_by),
        &column(reports, |r| r.acting_for) as _,
        &column(reports, |r| r.submitted_at) as _,
        &column(reports, |r| r.audited_value) as &[Option<Decimal>],
        &text(|r| &r.verify_comment),
        &text(|r| &r.return_reason),
        &column(reports, |r| r.decided_by) as _,
        &column(reports, |r| r.decided_at) as _,
        &column(reports, |r| r.corrects_id) as _,
        &column(reports, |r| r.version),
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

/// An evidence file uploaded at a past time.
#[derive(Debug, Clone)]
pub struct DemoAttachment {
    pub owner_type: &'static str,
    pub owner_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
    pub uploaded_by: i64,
    pub uploaded_at: DateTime<Utc>,
}

pub async fn insert_attachments(conn: &mut PgConnection, files: &[DemoAttachment]) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "insert into attachment (owner_type, owner_id, file_name, content_type, size_bytes, sha256, bytes, uploaded_by, uploaded_at)
         select * from unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::int[], $6::text[], $7::bytea[],
                              $8::bigint[], $9::timestamptz[])",
        &column(files, |f| f.owner_type.to_string()),
        &column(files, |f| f.owner_id),
        &column(files, |f| f.file_name.clone()),
        &column(files, |f| f.content_type.clone()),
        &column(files, |f| f.bytes.len() as i32),
        &column(files, |f| f.sha256.clone()),
        &column(files, |f| f.bytes.clone()),
        &column(files, |f| f.uploaded_by),
        &column(files, |f| f.uploaded_at) as _,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

/// A supervision item where its steps have brought it.
#[derive(Debug, Clone)]
pub struct DemoItem {
    pub id: i64,
    pub title: String,
    pub content: String,
    pub source: SupervisionSource,
    pub department_id: i64,
    pub assignee_id: Option<i64>,
    pub opened_by: i64,
    pub due_date: NaiveDate,
    pub status: SupervisionStatus,
    pub return_count: i32,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// The co-operating departments of the items, pairwise.
pub async fn insert_co_departments(
    conn: &mut PgConnection,
    item_ids: &[i64],
    department_ids: &[i64],
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "insert into supervision_co_department (item_id, department_id) select * from unnest($1::bigint[], $2::bigint[])",
        item_ids,
        department_ids,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

pub async fn insert_items(conn: &mut PgConnection, items: &[DemoItem]) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "insert into supervision_item (id, title, content, source, department_id, assignee_id, opened_by, due_date,
                                       report_frequency, status, return_count, version, created_at, closed_at)
         overriding system value
         select id, title, content, source, department_id, assignee_id, opened_by, due_date, 'monthly', status,
                return_count, version, created_at, closed_at
         from unnest($1::bigint[], $2::text[], $3::text[], $4::supervision_source[], $5::bigint[], $6::bigint[],
                     $7::bigint[], $8::date[], $9::supervision_status[], $10::int[], $11::int[], $12::timestamptz[],
                     $13::timestamptz[])
              as i(id, title, content, source, department_id, assignee_id, opened_by, due_date, status, return_count,
                   version, created_at, closed_at)",
        &column(items, |i| i.id),
        &column(items, |i| i.title.clone()),
        &column(items, |i| i.content.clone()),
        &column(items, |i| i.source) as &[SupervisionSource],
        &column(items, |i| i.department_id),
        &column(items, |i| i.assignee_id) as _,
        &column(items, |i| i.opened_by),
        &column(items, |i| i.due_date) as &[NaiveDate],
        &column(items, |i| i.status) as &[SupervisionStatus],
        &column(items, |i| i.return_count),
        &column(items, |i| i.version),
        &column(items, |i| i.created_at) as _,
        &column(items, |i| i.closed_at) as _,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

/// One step of an item at its time.
#[derive(Debug, Clone)]
pub struct DemoEvent {
    pub item_id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub from_status: Option<SupervisionStatus>,
    pub to_status: Option<SupervisionStatus>,
    pub note: String,
}

pub async fn insert_events(conn: &mut PgConnection, events: &[DemoEvent]) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "insert into supervision_event (item_id, at, actor_id, from_status, to_status, note)
         select * from unnest($1::bigint[], $2::timestamptz[], $3::bigint[], $4::supervision_status[],
                              $5::supervision_status[], $6::text[])",
        &column(events, |e| e.item_id),
        &column(events, |e| e.at) as _,
        &column(events, |e| e.actor_id) as _,
        &column(events, |e| e.from_status) as &[Option<SupervisionStatus>],
        &column(events, |e| e.to_status) as &[Option<SupervisionStatus>],
        &column(events, |e| e.note.clone()),
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

/// A slip of an earlier week, answered or not.
#[derive(Debug, Clone)]
pub struct DemoSlip {
    pub id: i64,
    pub item_id: i64,
    pub colour: SlipColour,
    pub issued_on: NaiveDate,
    pub answer_due: NaiveDate,
    pub answered_at: Option<DateTime<Utc>>,
    pub answer: String,
    pub answered_by: Option<i64>,
    pub issue_week: String,
}

pub async fn insert_slips(conn: &mut PgConnection, slips: &[DemoSlip]) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "insert into supervision_slip (id, item_id, colour, issued_on, answer_due, answered_at, answer, answered_by, issue_week)
         overriding system value
         select * from unnest($1::bigint[], $2::bigint[], $3::slip_colour[], $4::date[], $5::date[], $6::timestamptz[],
                              $7::text[], $8::bigint[], $9::text[])",
        &column(slips, |s| s.id),
        &column(slips, |s| s.item_id),
        &column(slips, |s| s.colour) as &[SlipColour],
        &column(slips, |s| s.issued_on) as &[NaiveDate],
        &column(slips, |s| s.answer_due) as &[NaiveDate],
        &column(slips, |s| s.answered_at) as _,
        &column(slips, |s| s.answer.clone()),
        &column(slips, |s| s.answered_by) as _,
        &column(slips, |s| s.issue_week.clone()),
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

/// A ledger record proposed by a person at a past time, reviewed or not;
/// the item is named by its code.
#[derive(Debug, Clone)]
pub struct DemoLedgerRecord {
    pub id: i64,
    pub item_code: &'static str,
    pub person_id: Option<i64>,
    pub department_id: Option<i64>,
    pub occurred_on: NaiveDate,
    pub reason: String,
    pub status: LedgerStatus,
    pub proposed_by: i64,
    pub proposed_at: DateTime<Utc>,
    pub reviewed_by: Option<i64>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub review_note: String,
}

/// The records whose item code exists; the number written.
pub async fn insert_ledger_records(conn: &mut PgConnection, records: &[DemoLedgerRecord]) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "insert into ledger_record (id, item_id, person_id, department_id, occurred_on, reason, status, proposed_by,
                                    proposed_at, reviewed_by, reviewed_at, review_note, version)
         overriding system value
         select r.id, i.id, r.person_id, r.department_id, r.occurred_on, r.reason, r.status, r.proposed_by,
                r.proposed_at, r.reviewed_by, r.reviewed_at, r.review_note,
                case when r.status = 'pending' then 1 else 2 end
         from unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::date[], $6::text[], $7::ledger_status[],
                     $8::bigint[], $9::timestamptz[], $10::bigint[], $11::timestamptz[], $12::text[])
              as r(id, code, person_id, department_id, occurred_on, reason, status, proposed_by, proposed_at,
                   reviewed_by, reviewed_at, review_note)
         join ledger_item i on i.code = r.code",
        &column(records, |r| r.id),
        &column(records, |r| r.item_code.to_string()),
        &column(records, |r| r.person_id) as _,
        &column(records, |r| r.department_id) as _,
        &column(records, |r| r.occurred_on) as &[NaiveDate],
        &column(records, |r| r.reason.clone()),
        &column(records, |r| r.status) as &[LedgerStatus],
        &column(records, |r| r.proposed_by),
        &column(records, |r| r.proposed_at) as _,
        &column(records, |r| r.reviewed_by) as _,
        &column(records, |r| r.reviewed_at) as _,
        &column(records, |r| r.review_note.clone()),
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

/// Dates a record the system proposed back to when the proposal was made,
/// and records its review when one is given (reviewer, time, status, note).
pub async fn settle_proposal(
    conn: &mut PgConnection,
    id: i64,
    proposed_at: DateTime<Utc>,
    review: Option<(i64, DateTime<Utc>, LedgerStatus, &str)>,
) -> Result<bool, sqlx::Error> {
    let (reviewer, reviewed_at, status, note) = match review {
        Some((reviewer, at, status, note)) => (Some(reviewer), Some(at), status, note),
        None => (None, None, LedgerStatus::Pending, ""),
    };
    let result = sqlx::query!(
        "update ledger_record set proposed_at = $2, reviewed_by = $3, reviewed_at = $4, status = $5, review_note = $6,
                version = case when $5::ledger_status = 'pending' then version else version + 1 end
         where id = $1 and status = 'pending'",
        id,
        proposed_at as _,
        reviewer,
        reviewed_at as _,
        status as LedgerStatus,
        note,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The ledger records the system proposed by itself (red slips, broken commitments).
pub async fn count_proposals(conn: &mut PgConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"select count(*) as "count!" from ledger_record where source_key is not null"#)
        .fetch_one(conn)
        .await
}

/// A served case recorded at a past time.
#[derive(Debug, Clone)]
pub struct DemoCase {
    pub id: i64,
    pub commitment_id: i64,
    pub subject: String,
    pub received_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    pub recorded_by: i64,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_cases(conn: &mut PgConnection, cases: &[DemoCase]) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "insert into commitment_case (id, commitment_id, subject, received_on, done_on, recorded_by, created_at, version)
         overriding system value
         select id, commitment_id, subject, received_on, done_on, recorded_by, created_at,
                case when done_on is null then 1 else 2 end
         from unnest($1::bigint[], $2::bigint[], $3::text[], $4::date[], $5::date[], $6::bigint[], $7::timestamptz[])
              as c(id, commitment_id, subject, received_on, done_on, recorded_by, created_at)",
        &column(cases, |c| c.id),
        &column(cases, |c| c.commitment_id),
        &column(cases, |c| c.subject.clone()),
        &column(cases, |c| c.received_on) as &[NaiveDate],
        &column(cases, |c| c.done_on) as &[Option<NaiveDate>],
        &column(cases, |c| c.recorded_by),
        &column(cases, |c| c.created_at) as _,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

/// An absence entered at a past time.
#[derive(Debug, Clone)]
pub struct DemoAbsence {
    pub person_id: i64,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub kind: AbsenceKind,
    pub leave_kind: Option<LeaveKind>,
    pub note: String,
    pub recorded_by: i64,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_absences(conn: &mut PgConnection, absences: &[DemoAbsence]) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "insert into absence (person_id, from_date, to_date, kind, leave_kind, note, recorded_by, created_at)
         select * from unnest($1::bigint[], $2::date[], $3::date[], $4::absence_kind[], $5::leave_kind[], $6::text[],
                              $7::bigint[], $8::timestamptz[])",
        &column(absences, |a| a.person_id),
        &column(absences, |a| a.from_date) as &[NaiveDate],
        &column(absences, |a| a.to_date) as &[NaiveDate],
        &column(absences, |a| a.kind) as &[AbsenceKind],
        &column(absences, |a| a.leave_kind) as &[Option<LeaveKind>],
        &column(absences, |a| a.note.clone()),
        &column(absences, |a| a.recorded_by),
        &column(absences, |a| a.created_at) as _,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

/// A discipline record as the demo enters it.
#[derive(Debug, Clone)]
pub struct DemoDisciplineRecord {
    pub person_id: i64,
    pub measure: Measure,
    pub decided_on: NaiveDate,
    pub reference: String,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
    pub note: String,
    pub recorded_by: i64,
}

pub async fn insert_discipline_records(
    conn: &mut PgConnection,
    records: &[DemoDisciplineRecord],
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "insert into discipline_record (person_id, measure, decided_on, reference, from_date, to_date, note, recorded_by)
         select * from unnest($1::bigint[], $2::discipline_measure[], $3::date[], $4::text[], $5::date[], $6::date[],
                              $7::text[], $8::bigint[])",
        &column(records, |r| r.person_id),
        &column(records, |r| r.measure) as &[Measure],
        &column(records, |r| r.decided_on) as &[NaiveDate],
        &column(records, |r| r.reference.clone()),
        &column(records, |r| r.from_date) as &[NaiveDate],
        &column(records, |r| r.to_date) as &[Option<NaiveDate>],
        &column(records, |r| r.note.clone()),
        &column(records, |r| r.recorded_by),
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

/// The demo's cycles that have left implementation (assessment, feedback,
/// closed), with the year of their start: they use their year's schemes.
pub async fn cycles_past_implementation(conn: &mut PgConnection) -> Result<Vec<(i64, i32)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select id, extract(year from period_start)::integer as "year!"
           from cycle where stage in ('assessment', 'feedback', 'closed') order by period_start, id"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.year)).collect())
}

/// A ballot the demo casts for a task: the task turns done, the ballot is
/// stored (without its rater when anonymous), as the ballot page stores it.
pub async fn cast_ballot(
    conn: &mut PgConnection,
    cycle_id: i64,
    task: &crate::domain::assessment::raters::Task,
    levels: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    use crate::domain::assessment::raters::{is_anonymous, kind_code};
    let kind = kind_code(task.kind);
    sqlx::query!(
        "update rating_task set done = true where cycle_id = $1 and rater_id = $2 and ratee_id = $3 and rater_kind = $4",
        cycle_id,
        task.rater,
        task.ratee,
        kind,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into ballot (cycle_id, ratee_id, rater_kind, rater_id, levels) values ($1, $2, $3, $4, $5)",
        cycle_id,
        task.ratee,
        kind,
        (!is_anonymous(task.kind)).then_some(task.rater),
        levels,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A quantitative target of a cycle's approved staff and department sets,
/// with its owner, for the year-end report the demo writes.
#[derive(Debug, Clone)]
pub struct YearEndTarget {
    pub id: i64,
    pub owner_id: i64,
    pub target_value: Option<Decimal>,
    pub direction: Direction,
}

pub async fn year_end_targets(conn: &mut PgConnection, cycle_id: i64) -> Result<Vec<YearEndTarget>, sqlx::Error> {
    sqlx::query_as!(
        YearEndTarget,
        r#"select t.id, t.owner_id as "owner_id!", t.target_value,
                  t.direction as "direction: Direction"
           from target t join target_set s on s.id = t.set_id
           where s.cycle_id = $1 and s.level <> 'office' and s.status = 'approved' and t.active
             and t.kind = 'quantitative' and t.owner_id is not null
           order by t.id"#,
        cycle_id
    )
    .fetch_all(conn)
    .await
}

/// The id of the cycle named `name`.
pub async fn cycle_by_name(conn: &mut PgConnection, name: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!("select id from cycle where name = $1", name).fetch_optional(conn).await
}

/// Who interviews `person_id` of `department_id` (docs/DOMAIN.md §19.2): a
/// head of the department other than the person, else its supervising leader.
pub async fn interviewer_for(
    conn: &mut PgConnection,
    department_id: i64,
    person_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "select person_id from role_grant
         where department_id = $1 and person_id <> $2 and role in ('department_head', 'supervising_leader')
         order by role = 'department_head' desc, person_id limit 1",
        department_id,
        person_id,
    )
    .fetch_optional(conn)
    .await
}

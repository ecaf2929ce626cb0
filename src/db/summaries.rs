//! Self-summaries and duty reports (`self_summary`, docs/DOMAIN.md §17.11):
//! a participant's cycles in assessment, their summary with the verified
//! results it is written beside, the overview of a department's summaries,
//! and the conditional writes (each at the row's `version`).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde_json::Value;
use sqlx::PgConnection;

use crate::domain::assessment::summary::{SummaryKind, SummaryStatus};
use crate::domain::plan::{CycleStage, Direction, TargetKind};
use crate::domain::settings::Settings;

/// The values of the settings row in force for `year`, as a subquery's JSON.
pub fn settings_of(values: Option<Value>) -> Settings {
    values.map(|v| Settings::from_json(&v)).unwrap_or_default()
}

/// A cycle as a summary needs it: its stage, period and the settings of the
/// year its period ends in (for the due date).
#[derive(Debug, Clone)]
pub struct CycleFacts {
    pub cycle_id: i64,
    pub cycle_name: String,
    pub stage: CycleStage,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub assessment_until: NaiveDate,
    pub settings: Option<Value>,
    /// Whether the person takes part, and the department they take part for.
    pub participant: bool,
    pub department_id: Option<i64>,
}

/// A cycle and whether (and for which department) `person_id` takes part in it.
pub async fn cycle_facts(
    conn: &mut PgConnection,
    cycle_id: i64,
    person_id: i64,
) -> Result<Option<CycleFacts>, sqlx::Error> {
    sqlx::query_as!(
        CycleFacts,
        r#"select c.id as cycle_id, c.name as cycle_name, c.stage as "stage: CycleStage",
                  c.period_start as "period_start: NaiveDate", c.period_end as "period_end: NaiveDate",
                  c.assessment_until as "assessment_until: NaiveDate",
                  (select o.settings from office_setting o
                   where o.year <= extract(year from c.period_end)::int order by o.year desc limit 1) as "settings?",
                  cp.person_id is not null as "participant!", cp.department_id as "department_id?"
           from cycle c
           left join cycle_participant cp on cp.cycle_id = c.id and cp.person_id = $2
           where c.id = $1"#,
        cycle_id,
        person_id
    )
    .fetch_optional(conn)
    .await
}

/// A cycle in assessment the person takes part in, with their summary's state.
#[derive(Debug, Clone)]
pub struct MyCycleRow {
    pub cycle_id: i64,
    pub cycle_name: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub assessment_until: NaiveDate,
    pub settings: Option<Value>,
    pub status: Option<SummaryStatus>,
    pub kind: Option<SummaryKind>,
    pub first_submitted_at: Option<DateTime<Utc>>,
}

/// The cycles in assessment the person takes part in, latest period first.
pub async fn my_cycles(conn: &mut PgConnection, person_id: i64) -> Result<Vec<MyCycleRow>, sqlx::Error> {
    sqlx::query_as!(
        MyCycleRow,
        r#"select c.id as cycle_id, c.name as cycle_name,
                  c.period_start as "period_start: NaiveDate", c.period_end as "period_end: NaiveDate",
                  c.assessment_until as "assessment_until: NaiveDate",
                  (select o.settings from office_setting o
                   where o.year <= extract(year from c.period_end)::int order by o.year desc limit 1) as "settings?",
                  s.status as "status?: SummaryStatus", s.kind as "kind?: SummaryKind",
                  s.first_submitted_at as "first_submitted_at?: DateTime<Utc>"
           from cycle c
           join cycle_participant cp on cp.cycle_id = c.id and cp.person_id = $1
           left join self_summary s on s.cycle_id = c.id and s.person_id = $1
           where c.stage = 'assessment'
           order by c.period_end desc, c.id"#,
        person_id
    )
    .fetch_all(conn)
    .await
}

/// A summary with the names its pages show.
#[derive(Debug, Clone)]
pub struct SummaryRow {
    pub id: i64,
    pub cycle_id: i64,
    pub cycle_name: String,
    pub stage: CycleStage,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub assessment_until: NaiveDate,
    pub settings: Option<Value>,
    pub person_id: i64,
    pub person_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub kind: SummaryKind,
    pub status: SummaryStatus,
    pub body: String,
    pub updated_at: DateTime<Utc>,
    pub first_submitted_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub return_reason: String,
    pub version: i32,
}

/// One summary by id.
pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<SummaryRow>, sqlx::Error> {
    sqlx::query_as!(
        SummaryRow,
        r#"select s.id, s.cycle_id, c.name as cycle_name, c.stage as "stage: CycleStage",
                  c.period_start as "period_start: NaiveDate", c.period_end as "period_end: NaiveDate",
                  c.assessment_until as "assessment_until: NaiveDate",
                  (select o.settings from office_setting o
                   where o.year <= extract(year from c.period_end)::int order by o.year desc limit 1) as "settings?",
                  s.person_id, p.full_name as person_name, s.department_id, d.name as "department_name?",
                  s.kind as "kind: SummaryKind", s.status as "status: SummaryStatus", s.body,
                  s.updated_at as "updated_at: DateTime<Utc>",
                  s.first_submitted_at as "first_submitted_at: DateTime<Utc>",
                  s.submitted_at as "submitted_at: DateTime<Utc>",
                  b.full_name as "decided_by_name?", s.decided_at as "decided_at: DateTime<Utc>",
                  s.return_reason, s.version
           from self_summary s
           join cycle c on c.id = s.cycle_id
           join person p on p.id = s.person_id
           left join department d on d.id = s.department_id
           left join person b on b.id = s.decided_by
           where s.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// The person's summary of a cycle, if written.
pub async fn find_own(conn: &mut PgConnection, cycle_id: i64, person_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!("select id from self_summary where cycle_id = $1 and person_id = $2", cycle_id, person_id)
        .fetch_optional(conn)
        .await
}

/// Locks a summary for a workflow step; its version, or `None` if it is gone.
pub async fn lock(conn: &mut PgConnection, id: i64) -> Result<Option<i32>, sqlx::Error> {
    sqlx::query_scalar!("select version from self_summary where id = $1 for update", id).fetch_optional(conn).await
}

/// What the author writes.
#[derive(Debug, Clone)]
pub struct SummaryData {
    pub cycle_id: i64,
    pub person_id: i64,
    pub department_id: Option<i64>,
    pub kind: SummaryKind,
    pub status: SummaryStatus,
    pub body: String,
}

/// A first save: the new id, or `None` when the summary was written meanwhile
/// (another tab), which the caller reports as a conflict.
pub async fn create(
    conn: &mut PgConnection,
    data: &SummaryData,
    at: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    let submitted = (data.status == SummaryStatus::Submitted).then_some(at);
    sqlx::query_scalar!(
        r#"insert into self_summary (cycle_id, person_id, department_id, kind, status, body,
                                     created_at, updated_at, first_submitted_at, submitted_at)
           values ($1, $2, $3, $4, $5, $6, $8, $8, $7, $7)
           on conflict (cycle_id, person_id) do nothing
           returning id"#,
        data.cycle_id,
        data.person_id,
        data.department_id,
        data.kind as SummaryKind,
        data.status as SummaryStatus,
        data.body,
        submitted as _,
        at as _
    )
    .fetch_optional(conn)
    .await
}

/// Saves the text (and the status) when the row is still at `version`;
/// `false` when someone changed it meanwhile.
pub async fn update_text(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    status: SummaryStatus,
    body: &str,
    at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let submitted = status == SummaryStatus::Submitted;
    let done = sqlx::query!(
        r#"update self_summary
           set body = $3, status = $4, updated_at = $6, version = version + 1,
               submitted_at = case when $5 then $6 else submitted_at end,
               first_submitted_at = case when $5 then coalesce(first_submitted_at, $6) else first_submitted_at end
           where id = $1 and version = $2"#,
        id,
        version,
        body,
        status as SummaryStatus,
        submitted as _,
        at as _
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the decision (accepted, or returned with `reason`) at `version`.
pub async fn decide(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    status: SummaryStatus,
    by: i64,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        r#"update self_summary
           set status = $3, decided_by = $4, decided_at = $6, return_reason = $5,
               updated_at = $6, version = version + 1
           where id = $1 and version = $2"#,
        id,
        version,
        status as SummaryStatus,
        by,
        reason,
        at as _
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A target of the person with its latest verified result within the cycle's
/// period, shown beside the summary for reference.
#[derive(Debug, Clone)]
pub struct ReferenceRow {
    pub target_id: i64,
    pub title: String,
    pub kind: TargetKind,
    pub unit: String,
    pub target_value: Option<Decimal>,
    pub direction: Direction,
    pub verified_value: Option<Decimal>,
    pub verified_period_end: Option<NaiveDate>,
}

/// The person's active targets in approved sets of cycles whose period meets
/// `period`, each with its latest verified report ending within the period.
pub async fn reference_targets(
    conn: &mut PgConnection,
    person_id: i64,
    period_start: NaiveDate,
    period_end: NaiveDate,
) -> Result<Vec<ReferenceRow>, sqlx::Error> {
    sqlx::query_as!(
        ReferenceRow,
        r#"select t.id as target_id, t.title, t.kind as "kind: TargetKind", t.unit,
                  t.target_value, t.direction as "direction: Direction",
                  r.audited_value as "verified_value?", r.period_end as "verified_period_end?: NaiveDate"
           from cycle c
           join target_set ts on ts.cycle_id = c.id and ts.status = 'approved'
           join target t on t.set_id = ts.id and t.active and t.owner_id = $1
           left join lateral (
               select pr.audited_value, pr.period_end from progress_report pr
               where pr.target_id = t.id and pr.status = 'verified'
                 and pr.period_end between $2 and $3
               order by pr.period_end desc, pr.id desc limit 1) r on true
           where c.period_start <= $3 and c.period_end >= $2
           order by c.period_start, t.sort_order, t.id"#,
        person_id,
        period_start as _,
        period_end as _
    )
    .fetch_all(conn)
    .await
}

/// A participant of a cycle in assessment, in the overview of summaries.
#[derive(Debug, Clone)]
pub struct OverviewRow {
    pub cycle_id: i64,
    pub cycle_name: String,
    pub period_end: NaiveDate,
    pub assessment_until: NaiveDate,
    pub settings: Option<Value>,
    pub person_id: i64,
    pub person_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    /// The summary's kind, or the kind the person would write.
    pub kind: SummaryKind,
    pub summary_id: Option<i64>,
    pub status: Option<SummaryStatus>,
    pub first_submitted_at: Option<DateTime<Utc>>,
}

/// The participants of cycles in assessment in `departments` (`None`: all),
/// with their summaries, by cycle, department and name.
pub async fn overview(conn: &mut PgConnection, departments: Option<&[i64]>) -> Result<Vec<OverviewRow>, sqlx::Error> {
    sqlx::query_as!(
        OverviewRow,
        r#"select c.id as cycle_id, c.name as cycle_name, c.period_end as "period_end: NaiveDate",
                  c.assessment_until as "assessment_until: NaiveDate",
                  (select o.settings from office_setting o
                   where o.year <= extract(year from c.period_end)::int order by o.year desc limit 1) as "settings?",
                  p.id as person_id, p.full_name as person_name, cp.department_id as "department_id?",
                  d.name as "department_name?",
                  coalesce(s.kind, case when exists (
                      select 1 from role_grant g where g.person_id = p.id and g.role = 'department_head'
                        and g.department_id = cp.department_id) then 'duty_report' else 'personal' end::summary_kind)
                    as "kind!: SummaryKind",
                  s.id as "summary_id?", s.status as "status?: SummaryStatus",
                  s.first_submitted_at as "first_submitted_at?: DateTime<Utc>"
           from cycle c
           join cycle_participant cp on cp.cycle_id = c.id
           join person p on p.id = cp.person_id
           left join department d on d.id = cp.department_id
           left join self_summary s on s.cycle_id = c.id and s.person_id = p.id
           where c.stage = 'assessment' and ($1::bigint[] is null or cp.department_id = any($1))
           order by c.period_end desc, c.id, d.sort_order, d.name, p.full_name"#,
        departments
    )
    .fetch_all(conn)
    .await
}

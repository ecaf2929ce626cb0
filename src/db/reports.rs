//! Progress reports (进度填报) and their verification: the targets a person
//! reports on now, the reports of each period, the head's queue.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;

use super::calendar;
use super::targets::DeciderScope;
use crate::domain::monitor::{ProgressState, ReportStatus};
use crate::domain::plan::{Descriptor, Direction, ReportFrequency, TargetLevel};
use crate::domain::policy::SetFacts;
use crate::domain::reports::{self, PeriodView, ReportBrief, Timeliness};
use crate::domain::settings::Settings;
use crate::domain::workdays::WorkCalendar;

/// Who asks, and the departments whose late reports they watch.
#[derive(Debug, Clone, Default)]
pub struct ReportingScope {
    pub person_id: i64,
    /// Departments the person heads: they report on department targets without an owner.
    pub heads: Vec<i64>,
    /// Only this target, when given.
    pub target: Option<i64>,
    /// Departments whose every target is wanted too (a head watching lateness).
    pub watch: Vec<i64>,
}

/// A target of an approved plan in a cycle under implementation, with its
/// started reporting periods.
#[derive(Debug, Clone)]
pub struct ReportingTarget {
    pub target_id: i64,
    pub title: String,
    pub measure: String,
    pub unit: String,
    pub target_value: Option<Decimal>,
    pub direction: Direction,
    /// A qualitative target (定性) is reported with a descriptor, not a number.
    pub qualitative: bool,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub level: TargetLevel,
    pub department_id: Option<i64>,
    pub cycle_name: String,
    /// Whether the person reports on it (owner, or head for a department target without owner).
    pub own: bool,
    /// Set when the person reports as B while the owner (A) is away.
    pub acting_for: Option<i64>,
    /// Who covers the target today (the target's own B, else the owner's
    /// post B, while the owner is away), and their name.
    pub covering: Option<(i64, String)>,
    pub periods: Vec<PeriodView>,
    /// The cycle's year's `completion_cap_percent` (docs/DOMAIN.md §6.7).
    pub completion_cap: i32,
    /// Late periods whose deadline passed while a B covered the owner: B's lateness.
    pub covered_late: Vec<CoveredLate>,
}

/// A late period charged to the B who covered the target on its deadline day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoveredLate {
    pub period_start: NaiveDate,
    pub person_id: i64,
    pub name: String,
}

impl ReportingTarget {
    /// Whether the person may send reports for it now.
    pub fn reports_here(&self) -> bool {
        self.own || self.acting_for.is_some()
    }

    pub fn period(&self, start: NaiveDate) -> Option<&PeriodView> {
        self.periods.iter().find(|p| p.start == start)
    }

    pub fn late_periods(&self) -> impl Iterator<Item = &PeriodView> {
        self.periods.iter().filter(|p| p.timeliness == Timeliness::Late)
    }

    /// The B a late period is charged to, when a B covered on its deadline day.
    pub fn late_by_backup(&self, start: &NaiveDate) -> Option<&CoveredLate> {
        self.covered_late.iter().find(|c| c.period_start == *start)
    }
}

/// Whether a report on the target must carry evidence files: the plan states
/// the evidence required (docs/DOMAIN.md §7.6).
pub async fn evidence_required(conn: &mut PgConnection, target_id: i64) -> Result<bool, sqlx::Error> {
    let required = sqlx::query_scalar!(
        r#"select length(btrim(evidence_required)) > 0 as "required!" from target where id = $1"#,
        target_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(required.unwrap_or(false))
}

/// How many evidence files a report carries.
pub async fn file_count(conn: &mut PgConnection, report_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "count!" from attachment where owner_type = 'progress_report' and owner_id = $1"#,
        report_id
    )
    .fetch_one(conn)
    .await
}

/// The targets of the scope with their reports (one query), then the
/// calendar for the deadlines (a second one); periods worked out in Rust.
pub async fn reporting(
    conn: &mut PgConnection,
    scope: &ReportingScope,
    today: NaiveDate,
) -> Result<Vec<ReportingTarget>, sqlx::Error> {
    let rows = reporting_rows(conn, scope, today).await?;
    let Some(first) = rows.iter().map(|r| r.cycle_start).min() else { return Ok(Vec::new()) };
    let last = rows.iter().map(|r| r.cycle_end).max().unwrap_or(first) + Duration::days(CALENDAR_MARGIN_DAYS);
    let calendar = calendar::load(conn, first, last).await?;
    let mut targets = assemble(rows, scope.person_id, today, &calendar);
    attribute_lateness(conn, &mut targets).await?;
    Ok(targets)
}

/// Days of calendar past the end of a cycle that report deadlines may need.
pub const CALENDAR_MARGIN_DAYS: i64 = 90;

/// [`reporting`] with the calendar already at hand (it must span the cycles
/// under implementation and [`CALENDAR_MARGIN_DAYS`] after them): one query.
pub async fn reporting_with_calendar(
    conn: &mut PgConnection,
    scope: &ReportingScope,
    today: NaiveDate,
    calendar: &WorkCalendar,
) -> Result<Vec<ReportingTarget>, sqlx::Error> {
    let mut targets = assemble(reporting_rows(conn, scope, today).await?, scope.person_id, today, calendar);
    attribute_lateness(conn, &mut targets).await?;
    Ok(targets)
}

/// Charges each late period to the B who covered its target on the deadline
/// day, by the absences and the post holders of that day (one query, none
/// when nothing is late).
async fn attribute_lateness(conn: &mut PgConnection, targets: &mut [ReportingTarget]) -> Result<(), sqlx::Error> {
    let mut ids = Vec::new();
    let mut days = Vec::new();
    for target in targets.iter().filter(|t| t.owner_id.is_some()) {
        for period in target.late_periods() {
            ids.push(target.target_id);
            days.push(period.due);
        }
    }
    if ids.is_empty() {
        return Ok(());
    }
    let rows = sqlx::query!(
        r#"select u.target_id as "target_id!", u.n as "n!", b.id, b.full_name
           from unnest($1::bigint[], $2::date[]) with ordinality as u(target_id, day, n)
           join person b on b.id = target_backup_on(u.target_id, u.day)"#,
        &ids,
        &days as &[NaiveDate]
    )
    .fetch_all(conn)
    .await?;
    for row in rows {
        let due = days[(row.n - 1) as usize];
        let Some(target) = targets.iter_mut().find(|t| t.target_id == row.target_id) else { continue };
        let Some(period) = target.late_periods().find(|p| p.due == due).map(|p| p.start) else { continue };
        target.covered_late.push(CoveredLate { period_start: period, person_id: row.id, name: row.full_name });
    }
    Ok(())
}

struct ReportingRow {
    target_id: i64,
    title: String,
    measure: String,
    unit: String,
    target_value: Option<Decimal>,
    direction: Direction,
    qualitative: bool,
    owner_id: Option<i64>,
    owner_name: Option<String>,
    level: TargetLevel,
    department_id: Option<i64>,
    cycle_name: String,
    cycle_start: NaiveDate,
    cycle_end: NaiveDate,
    frequency: ReportFrequency,
    own: bool,
    covering_id: Option<i64>,
    covering_name: Option<String>,
    report_id: Option<i64>,
    report_period: Option<NaiveDate>,
    report_status: Option<ReportStatus>,
    due_workdays: i32,
    completion_cap: i32,
}

/// The scope's targets, one row per report. The scope is gathered first by
/// owner (the person and whoever they cover for) and by department, so the
/// cost follows the person's targets and the departments' current plans, not
/// the years of history.
async fn reporting_rows(
    conn: &mut PgConnection,
    scope: &ReportingScope,
    today: NaiveDate,
) -> Result<Vec<ReportingRow>, sqlx::Error> {
    sqlx::query_as!(
        ReportingRow,
        r#"with covered as (select person_id from covered_by($1, $5)),
           scoped as (
               select t.id from target t where t.owner_id = $1 and ($3::bigint is null or t.id = $3)
               union
               select t.id from covered join target t on t.owner_id = covered.person_id
               where ($3::bigint is null or t.id = $3) and target_backup_on(t.id, $5) = $1
               union
               select t.id from target t
               where t.backup_id = $1 and ($3::bigint is null or t.id = $3) and target_backup_on(t.id, $5) = $1
               union
               select t.id from cycle c
               join target_set s on s.cycle_id = c.id
               join target t on t.set_id = s.id
               where c.stage = 'implementation' and s.department_id = any($2::bigint[] || $4::bigint[])
                 and ($3::bigint is null or t.id = $3)
           )
           select t.id as target_id, t.title, t.measure, t.unit, t.target_value, t.direction as "direction: Direction",
                  t.kind = 'qualitative' as "qualitative!",
                  t.owner_id, o.full_name as "owner_name?", s.level as "level: TargetLevel", s.department_id,
                  c.name as cycle_name, c.period_start as "cycle_start: NaiveDate", c.period_end as "cycle_end: NaiveDate",
                  c.report_frequency as "frequency: ReportFrequency",
                  coalesce(t.owner_id = $1, false)
                    or (s.level = 'department' and t.owner_id is null and coalesce(s.department_id = any($2), false))
                    as "own!",
                  cover.id as "covering_id?", cover.full_name as "covering_name?",
                  r.id as "report_id?", r.period_start as "report_period?: NaiveDate", r.status as "report_status?: ReportStatus",
                  coalesce(office_setting_value(extract(year from c.period_start)::integer, 'report_due_workdays'), $6)
                    as "due_workdays!",
                  coalesce(office_setting_value(extract(year from c.period_start)::integer, 'completion_cap_percent'), $7)
                    as "completion_cap!"
           from scoped
           join target t on t.id = scoped.id
           join target_set s on s.id = t.set_id
           join cycle c on c.id = s.cycle_id
           left join person o on o.id = t.owner_id
           left join lateral (select b.id, b.full_name from person b
                              where b.id = target_backup_on(t.id, $5)) cover on true
           left join progress_report r on r.target_id = t.id
           where t.active and s.status = 'approved' and s.level <> 'office' and c.stage = 'implementation'
           order by c.period_start, c.id, s.id, t.sort_order, t.id, r.id"#,
        scope.person_id,
        &scope.heads,
        scope.target,
        &scope.watch,
        today as _,
        Settings::default().report_due_workdays,
        Settings::default().completion_cap_percent
    )
    .fetch_all(conn)
    .await
}

/// The work days after a period's end its report is due, by the year's settings.
pub async fn due_workdays(conn: &mut PgConnection, year: i32) -> Result<i64, sqlx::Error> {
    Ok(i64::from(crate::db::settings::for_year(conn, year).await?.report_due_workdays))
}

/// A target being assembled: its facts, its cycle's period, frequency and
/// report deadline in work days (its year's setting), its reports.
type Assembling = (ReportingTarget, (NaiveDate, NaiveDate, ReportFrequency, i64), Vec<ReportBrief>);

/// Groups the rows by target and works out each target's periods.
fn assemble(
    rows: Vec<ReportingRow>,
    person_id: i64,
    today: NaiveDate,
    calendar: &WorkCalendar,
) -> Vec<ReportingTarget> {
    let mut targets: Vec<Assembling> = Vec::new();
    for row in rows {
        if targets.last().is_none_or(|(t, _, _)| t.target_id != row.target_id) {
            let target = ReportingTarget {
                target_id: row.target_id,
                title: row.title,
                measure: row.measure,
                unit: row.unit,
                target_value: row.target_value,
                direction: row.direction,
                qualitative: row.qualitative,
                owner_id: row.owner_id,
                owner_name: row.owner_name,
                level: row.level,
                department_id: row.department_id,
                cycle_name: row.cycle_name,
                own: row.own,
                acting_for: if row.covering_id == Some(person_id) && !row.own { row.owner_id } else { None },
                covering: row.covering_id.zip(row.covering_name),
                periods: Vec::new(),
                completion_cap: row.completion_cap,
                covered_late: Vec::new(),
            };
            targets.push((
                target,
                (row.cycle_start, row.cycle_end, row.frequency, row.due_workdays.into()),
                Vec::new(),
            ));
        }
        if let (Some(id), Some(period_start), Some(status), Some(current)) =
            (row.report_id, row.report_period, row.report_status, targets.last_mut())
        {
            current.2.push(ReportBrief { id, period_start, status });
        }
    }
    targets
        .into_iter()
        .map(|(mut target, (start, end, frequency, due_workdays), briefs)| {
            target.periods = reports::period_views((start, end), frequency, &briefs, today, due_workdays, calendar);
            target
        })
        .collect()
}

/// A report with what its page shows about the target, the set and the people.
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub id: i64,
    pub target_id: i64,
    pub target_title: String,
    pub unit: String,
    pub target_value: Option<Decimal>,
    pub direction: Direction,
    pub qualitative: bool,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub set_id: i64,
    pub level: TargetLevel,
    pub department_id: Option<i64>,
    pub set_person_id: Option<i64>,
    pub owner_is_head: bool,
    pub cycle_name: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub reported_value: Option<Decimal>,
    /// What a report on a qualitative target says instead of a value.
    pub descriptor: Option<Descriptor>,
    pub state: ProgressState,
    pub narrative: String,
    pub problems: String,
    pub next_steps: String,
    pub status: ReportStatus,
    pub submitted_by: i64,
    pub submitted_by_name: String,
    pub acting_for: Option<i64>,
    pub acting_for_name: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub audited_value: Option<Decimal>,
    /// The descriptor the verifier confirmed (qualitative targets).
    pub audited_descriptor: Option<Descriptor>,
    pub verify_comment: String,
    pub return_reason: String,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub corrects_id: Option<i64>,
    pub version: i32,
    /// The cycle's year's `completion_cap_percent` (docs/DOMAIN.md §6.7).
    pub completion_cap: i32,
}

impl ReportRow {
    /// The set's facts, for the plan policies.
    pub fn facts(&self) -> SetFacts {
        SetFacts {
            level: self.level,
            department_id: self.department_id,
            person_id: self.set_person_id,
            owner_is_head: self.owner_is_head,
        }
    }
}

pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<ReportRow>, sqlx::Error> {
    sqlx::query_as!(
        ReportRow,
        r#"select r.id, r.target_id, t.title as target_title, t.unit, t.target_value, t.direction as "direction: Direction",
                  t.kind = 'qualitative' as "qualitative!", t.owner_id, o.full_name as "owner_name?", s.id as set_id, s.level as "level: TargetLevel",
                  s.department_id, s.person_id as set_person_id,
                  exists (select 1 from role_grant g where g.person_id = s.person_id
                          and g.role = 'department_head' and g.department_id = s.department_id) as "owner_is_head!",
                  c.name as cycle_name, r.period_start as "period_start: NaiveDate", r.period_end as "period_end: NaiveDate",
                  r.reported_value, r.descriptor as "descriptor: Descriptor", r.state as "state: ProgressState", r.narrative, r.problems, r.next_steps,
                  r.status as "status: ReportStatus", r.submitted_by, sb.full_name as submitted_by_name,
                  r.acting_for, af.full_name as "acting_for_name?", r.submitted_at as "submitted_at: DateTime<Utc>",
                  r.audited_value, r.audited_descriptor as "audited_descriptor: Descriptor", r.verify_comment, r.return_reason, db.full_name as "decided_by_name?",
                  r.decided_at as "decided_at: DateTime<Utc>", r.corrects_id, r.version,
                  coalesce(office_setting_value(extract(year from c.period_start)::integer, 'completion_cap_percent'), $2)
                    as "completion_cap!"
           from progress_report r
           join target t on t.id = r.target_id
           join target_set s on s.id = t.set_id
           join cycle c on c.id = s.cycle_id
           join person sb on sb.id = r.submitted_by
           left join person o on o.id = t.owner_id
           left join person af on af.id = r.acting_for
           left join person db on db.id = r.decided_by
           where r.id = $1"#,
        id,
        Settings::default().completion_cap_percent
    )
    .fetch_optional(conn)
    .await
}

/// Locks a report's row for a workflow step in this transaction; its version.
pub async fn lock(conn: &mut PgConnection, id: i64) -> Result<Option<i32>, sqlx::Error> {
    sqlx::query_scalar!("select version from progress_report where id = $1 for update", id).fetch_optional(conn).await
}

/// What the person reports.
#[derive(Debug, Clone, Default)]
pub struct ReportData {
    pub reported_value: Option<Decimal>,
    pub descriptor: Option<Descriptor>,
    pub state: Option<ProgressState>,
    pub narrative: String,
    pub problems: String,
    pub next_steps: String,
}

/// Who sends a report, and for whom.
#[derive(Debug, Clone, Copy)]
pub struct Sender {
    pub person_id: i64,
    pub acting_for: Option<i64>,
}

/// A new report (submitted); fails on `progress_report_one_open` while the
/// period has an open report.
pub async fn create(
    conn: &mut PgConnection,
    target_id: i64,
    period: (NaiveDate, NaiveDate),
    data: &ReportData,
    sender: Sender,
    corrects_id: Option<i64>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into progress_report (target_id, period_start, period_end, reported_value, state, narrative, problems,
                                      next_steps, submitted_by, acting_for, corrects_id, descriptor)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id",
        target_id,
        period.0 as _,
        period.1 as _,
        data.reported_value,
        data.state.unwrap_or(ProgressState::OnTrack) as ProgressState,
        data.narrative,
        data.problems,
        data.next_steps,
        sender.person_id,
        sender.acting_for,
        corrects_id,
        data.descriptor as Option<Descriptor>
    )
    .fetch_one(conn)
    .await
}

/// Sends a returned report again with new content, if it is still returned
/// and at `version`; false otherwise.
pub async fn resubmit(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    data: &ReportData,
    sender: Sender,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update progress_report set reported_value = $3, state = $4, narrative = $5, problems = $6, next_steps = $7,
                descriptor = $10,
                status = 'submitted', submitted_by = $8, acting_for = $9, submitted_at = now(), version = version + 1
         where id = $1 and version = $2 and status = 'returned'",
        id,
        version,
        data.reported_value,
        data.state.unwrap_or(ProgressState::OnTrack) as ProgressState,
        data.narrative,
        data.problems,
        data.next_steps,
        sender.person_id,
        sender.acting_for,
        data.descriptor as Option<Descriptor>
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The head's decision on a submitted report.
#[derive(Debug, Clone)]
pub enum Decision {
    /// The audited value; for a qualitative target the confirmed descriptor
    /// and its completion (docs/DOMAIN.md §6.7).
    Verify {
        audited_value: Decimal,
        descriptor: Option<Descriptor>,
        comment: String,
    },
    Return {
        reason: String,
    },
}

/// Verifies or returns a report if it is still submitted and at `version`; false otherwise.
pub async fn decide(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    decision: &Decision,
    decided_by: i64,
) -> Result<bool, sqlx::Error> {
    let (to, audited, descriptor, comment, reason) = match decision {
        Decision::Verify { audited_value, descriptor, comment } => {
            (ReportStatus::Verified, Some(*audited_value), *descriptor, comment.as_str(), "")
        }
        Decision::Return { reason } => (ReportStatus::Returned, None, None, "", reason.as_str()),
    };
    let result = sqlx::query!(
        "update progress_report set status = $3, audited_value = coalesce($4, audited_value),
                audited_descriptor = coalesce($8, audited_descriptor),
                verify_comment = $5, return_reason = $6, decided_by = $7, decided_at = now(), version = version + 1
         where id = $1 and version = $2 and status = 'submitted'",
        id,
        version,
        to as ReportStatus,
        audited,
        comment,
        reason,
        decided_by,
        descriptor as Option<Descriptor>
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// A report in a list of a target's reports.
#[derive(Debug, Clone)]
pub struct ReportListRow {
    pub id: i64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub status: ReportStatus,
    pub reported_value: Option<Decimal>,
    pub audited_value: Option<Decimal>,
    pub submitted_by_name: String,
    pub submitted_at: DateTime<Utc>,
    pub corrects_id: Option<i64>,
}

/// Every report of a target, newest period first, corrections after what they correct.
pub async fn of_target(conn: &mut PgConnection, target_id: i64) -> Result<Vec<ReportListRow>, sqlx::Error> {
    sqlx::query_as!(
        ReportListRow,
        r#"select r.id, r.period_start as "period_start: NaiveDate", r.period_end as "period_end: NaiveDate",
                  r.status as "status: ReportStatus", r.reported_value, r.audited_value, p.full_name as submitted_by_name,
                  r.submitted_at as "submitted_at: DateTime<Utc>", r.corrects_id
           from progress_report r join person p on p.id = r.submitted_by
           where r.target_id = $1
           order by r.period_start desc, r.id"#,
        target_id
    )
    .fetch_all(conn)
    .await
}

/// A step in a report's life, from the audit log.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub at: DateTime<Utc>,
    pub actor_name: String,
    pub action: String,
    pub summary: serde_json::Value,
}

pub async fn history(conn: &mut PgConnection, id: i64) -> Result<Vec<HistoryRow>, sqlx::Error> {
    sqlx::query_as!(
        HistoryRow,
        r#"select at as "at: DateTime<Utc>", actor_name, action, summary from audit_log
           where object_type = 'progress_report' and object_id = $1 order by id"#,
        id.to_string()
    )
    .fetch_all(conn)
    .await
}

/// A submitted report awaiting the viewer's verification.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub id: i64,
    pub target_id: i64,
    pub target_title: String,
    pub unit: String,
    pub owner_name: Option<String>,
    pub department_name: Option<String>,
    pub submitted_by_name: String,
    pub acting_for_name: Option<String>,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub reported_value: Option<Decimal>,
    pub submitted_at: DateTime<Utc>,
    pub files: i64,
}

/// Submitted reports the person may verify (see `reports::can_verify`, which
/// the step itself checks again), oldest first.
pub async fn awaiting(conn: &mut PgConnection, scope: &DeciderScope) -> Result<Vec<QueueRow>, sqlx::Error> {
    sqlx::query_as!(
        QueueRow,
        r#"select r.id, r.target_id, t.title as target_title, t.unit, o.full_name as "owner_name?",
                  d.name as "department_name?", sb.full_name as submitted_by_name, af.full_name as "acting_for_name?",
                  r.period_start as "period_start: NaiveDate", r.period_end as "period_end: NaiveDate", r.reported_value,
                  r.submitted_at as "submitted_at: DateTime<Utc>",
                  (select count(*) from attachment f where f.owner_type = 'progress_report' and f.owner_id = r.id) as "files!"
           from progress_report r
           join target t on t.id = r.target_id
           join target_set s on s.id = t.set_id
           join target_set_approval a on a.set_id = s.id
           join person sb on sb.id = r.submitted_by
           left join person o on o.id = t.owner_id
           left join person af on af.id = r.acting_for
           left join department d on d.id = s.department_id
           where r.status = 'submitted' and t.owner_id is distinct from $1 and r.submitted_by <> $1
             and s.person_id is distinct from $1
             and ((a.approver_role = 'department_head' and a.department_id = any($2))
               or (a.approver_role = 'supervising_leader' and a.department_id = any($3)))
           order by r.submitted_at, r.id"#,
        scope.person_id,
        &scope.heads,
        &scope.leads
    )
    .fetch_all(conn)
    .await
}

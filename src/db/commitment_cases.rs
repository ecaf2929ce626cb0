//! Cases served under a service commitment (服务承诺兑现): kept when done
//! within the commitment's work days, broken otherwise; a broken case
//! proposes a ledger penalty for the commitment's department.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgConnection;

use super::audit::{self, AuditContext, AuditEvent};
use super::calendar;
use super::ledger::{self, SystemProposal};
use crate::domain::ledger::{
    BROKEN_COMMITMENT_CODE, CaseState, KeptCounts, Subject, broken_commitment_reason, case_deadline, case_source_key,
};
use crate::domain::workdays::WorkCalendar;

#[derive(Debug, Clone)]
pub struct CaseRow {
    pub id: i64,
    pub commitment_id: i64,
    pub subject: String,
    pub received_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    pub recorded_by_name: String,
    pub created_at: DateTime<Utc>,
    pub version: i32,
    /// The automatic penalty proposed for the case, if any.
    pub penalty_id: Option<i64>,
}

/// The cases of one commitment, newest receipt first.
pub async fn list(conn: &mut PgConnection, commitment_id: i64) -> Result<Vec<CaseRow>, sqlx::Error> {
    sqlx::query_as!(
        CaseRow,
        r#"select c.id, c.commitment_id, c.subject, c.received_on as "received_on: NaiveDate",
                  c.done_on as "done_on: NaiveDate", p.full_name as recorded_by_name,
                  c.created_at as "created_at: DateTime<Utc>", c.version, l.id as "penalty_id?"
           from commitment_case c
           join person p on p.id = c.recorded_by
           left join ledger_record l on l.source_key = 'commitment_case:' || c.id
           where c.commitment_id = $1
           order by c.received_on desc, c.id desc"#,
        commitment_id
    )
    .fetch_all(conn)
    .await
}

/// A case with what judging it needs from its commitment.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    pub id: i64,
    pub commitment_id: i64,
    pub department_id: i64,
    pub service: String,
    pub time_limit_days: i32,
    pub subject: String,
    pub received_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    pub version: i32,
}

/// Locks a case for a change in this transaction.
pub async fn find_for_update(conn: &mut PgConnection, id: i64) -> Result<Option<CaseFacts>, sqlx::Error> {
    sqlx::query_as!(
        CaseFacts,
        r#"select c.id, c.commitment_id, s.department_id, s.service, s.time_limit_days, c.subject,
                  c.received_on as "received_on: NaiveDate", c.done_on as "done_on: NaiveDate", c.version
           from commitment_case c join service_commitment s on s.id = c.commitment_id
           where c.id = $1 for update of c"#,
        id
    )
    .fetch_optional(conn)
    .await
}

pub async fn create(
    conn: &mut PgConnection,
    commitment_id: i64,
    subject: &str,
    received_on: NaiveDate,
    done_on: Option<NaiveDate>,
    recorded_by: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into commitment_case (commitment_id, subject, received_on, done_on, recorded_by)
         values ($1, $2, $3, $4, $5) returning id",
        commitment_id,
        subject,
        received_on as _,
        done_on as _,
        recorded_by,
    )
    .fetch_one(conn)
    .await
}

/// Sets the day the case was done if the row is still at `version`; false when it moved.
pub async fn set_done(conn: &mut PgConnection, id: i64, version: i32, done_on: NaiveDate) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update commitment_case set done_on = $3, version = version + 1 where id = $1 and version = $2",
        id,
        version,
        done_on as _,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The calendar that covers every deadline of cases received from `from` on
/// (time limits are at most 365 work days).
pub async fn calendar_from(
    conn: &mut PgConnection,
    from: NaiveDate,
    today: NaiveDate,
) -> Result<WorkCalendar, sqlx::Error> {
    let to = from.max(today).checked_add_days(Days::new(800)).unwrap_or(NaiveDate::MAX);
    calendar::load(conn, from.min(today), to).await
}

/// Proposes the broken-commitment penalty for a case that is broken today;
/// the new record's id, or None when the case is not broken, the penalty
/// exists already, or the item is missing or inactive.
pub async fn propose_if_broken(
    conn: &mut PgConnection,
    case: &CaseFacts,
    today: NaiveDate,
    calendar: &WorkCalendar,
) -> Result<Option<i64>, sqlx::Error> {
    let limit = i64::from(case.time_limit_days);
    if CaseState::of(case.received_on, case.done_on, limit, today, calendar) != CaseState::Broken {
        return Ok(None);
    }
    let proposal = SystemProposal {
        item_code: BROKEN_COMMITMENT_CODE,
        subject: Subject::Department(case.department_id),
        occurred_on: case_deadline(case.received_on, limit, calendar),
        reason: broken_commitment_reason(&case.service, &case.subject),
        source_key: case_source_key(case.id),
    };
    ledger::propose(conn, &proposal).await
}

/// Proposes the penalty for every open case that is late today and has none
/// yet (for the daily background task; a rerun adds nothing). Each proposal
/// is audited as the system's. The number of records added.
pub async fn propose_for_overdue_cases(
    conn: &mut PgConnection,
    today: NaiveDate,
    calendar: &WorkCalendar,
) -> Result<usize, sqlx::Error> {
    let open = sqlx::query_as!(
        CaseFacts,
        r#"select c.id, c.commitment_id, s.department_id, s.service, s.time_limit_days, c.subject,
                  c.received_on as "received_on: NaiveDate", c.done_on as "done_on: NaiveDate", c.version
           from commitment_case c
           join service_commitment s on s.id = c.commitment_id
           where c.done_on is null and c.received_on < $1
             and not exists (select 1 from ledger_record l where l.source_key = 'commitment_case:' || c.id)
           order by c.id"#,
        today as _
    )
    .fetch_all(&mut *conn)
    .await?;
    let system = AuditContext { actor_name: "system".into(), ..Default::default() };
    let mut added = 0;
    for case in &open {
        if let Some(record) = propose_if_broken(conn, case, today, calendar).await? {
            let summary = json!({ "source_key": case_source_key(case.id), "commitment_id": case.commitment_id });
            audit::record(conn, &system, AuditEvent::new("ledger_record.proposed", "ledger_record", record, summary))
                .await?;
            added += 1;
        }
    }
    Ok(added)
}

/// A commitment's cases kept, broken and open today.
#[derive(Debug, Clone)]
pub struct CommitmentKept {
    pub commitment_id: i64,
    pub department_id: i64,
    pub department_name: String,
    pub service: String,
    pub counts: KeptCounts,
}

/// Kept, broken and open cases per commitment that has cases, judged today
/// with the office calendar (one query of cases, one of the calendar).
pub async fn kept_rates(conn: &mut PgConnection, today: NaiveDate) -> Result<Vec<CommitmentKept>, sqlx::Error> {
    let cases = sqlx::query!(
        r#"select c.commitment_id, s.department_id, d.name as department_name, s.service, s.time_limit_days,
                  c.received_on as "received_on: NaiveDate", c.done_on as "done_on: NaiveDate"
           from commitment_case c
           join service_commitment s on s.id = c.commitment_id
           join department d on d.id = s.department_id
           order by d.sort_order, d.name, s.service, c.commitment_id"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let Some(first) = cases.iter().map(|c| c.received_on).min() else { return Ok(Vec::new()) };
    let calendar = calendar_from(conn, first, today).await?;
    let mut rates: Vec<CommitmentKept> = Vec::new();
    for case in cases {
        let state = CaseState::of(case.received_on, case.done_on, i64::from(case.time_limit_days), today, &calendar);
        if rates.last().is_none_or(|r| r.commitment_id != case.commitment_id) {
            rates.push(CommitmentKept {
                commitment_id: case.commitment_id,
                department_id: case.department_id,
                department_name: case.department_name,
                service: case.service,
                counts: KeptCounts::default(),
            });
        }
        if let Some(last) = rates.last_mut() {
            last.counts.add(state);
        }
    }
    Ok(rates)
}

/// The per-commitment counts added up per department, in the same order.
pub fn per_department(rates: &[CommitmentKept]) -> Vec<(i64, String, KeptCounts)> {
    let mut departments: Vec<(i64, String, KeptCounts)> = Vec::new();
    for rate in rates {
        match departments.iter_mut().find(|(id, _, _)| *id == rate.department_id) {
            Some(entry) => entry.2.merge(rate.counts),
            None => departments.push((rate.department_id, rate.department_name.clone(), rate.counts)),
        }
    }
    departments
}

/// Open cases of the departments' commitments that are past their deadline today.
pub async fn overdue_open_count(
    conn: &mut PgConnection,
    departments: &[i64],
    today: NaiveDate,
) -> Result<i64, sqlx::Error> {
    let open = sqlx::query!(
        r#"select c.received_on as "received_on: NaiveDate", s.time_limit_days
           from commitment_case c join service_commitment s on s.id = c.commitment_id
           where c.done_on is null and s.department_id = any($1) and c.received_on < $2"#,
        departments,
        today as _
    )
    .fetch_all(&mut *conn)
    .await?;
    let Some(first) = open.iter().map(|c| c.received_on).min() else { return Ok(0) };
    let calendar = calendar_from(conn, first, today).await?;
    let late = open
        .iter()
        .filter(|c| {
            CaseState::of(c.received_on, None, i64::from(c.time_limit_days), today, &calendar) == CaseState::Broken
        })
        .count();
    Ok(late as i64)
}

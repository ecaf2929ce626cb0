//! Reviews (复核) and appeals (申诉) of final annual results (docs/DOMAIN.md
//! §19.4): the person's results and requests, the committee's list, filing,
//! deciding and extending, the to-do counts and the timeliness figures.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::domain::appeals::{AppealKind, AppealOutcome};
use crate::domain::assessment::DecidedGrade;
use crate::domain::identity::IdentityType;

fn decode(v: serde_json::Value) -> Result<DecidedGrade, sqlx::Error> {
    serde_json::from_value(v).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// A person's decided annual result, with its decision's publicity.
#[derive(Debug, Clone)]
pub struct OwnResultRow {
    pub cycle_id: i64,
    pub cycle_name: String,
    pub identity_type: IdentityType,
    pub score: Option<Decimal>,
    pub grade: DecidedGrade,
    pub publicity_until: NaiveDate,
}

/// The person's results of decided annual cycles, newest first.
pub async fn own_results(conn: &mut PgConnection, person_id: i64) -> Result<Vec<OwnResultRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select r.cycle_id, c.name as cycle_name, p.identity_type as "identity_type: IdentityType", r.score, r.grade,
                  d.publicity_until as "publicity_until: NaiveDate"
           from assessment_result r
           join assessment_decision d on d.cycle_id = r.cycle_id
           join cycle c on c.id = r.cycle_id
           join person p on p.id = r.person_id
           where r.person_id = $1 and c.kind = 'annual'
           order by c.period_start desc"#,
        person_id
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(OwnResultRow {
                cycle_id: r.cycle_id,
                cycle_name: r.cycle_name,
                identity_type: r.identity_type,
                score: r.score,
                grade: decode(r.grade)?,
                publicity_until: r.publicity_until,
            })
        })
        .collect()
}

/// A review or an appeal with the names the pages show.
#[derive(Debug, Clone)]
pub struct AppealRow {
    pub id: i64,
    pub kind: AppealKind,
    pub cycle_id: i64,
    pub cycle_name: String,
    pub person_id: i64,
    pub person_name: String,
    pub department_name: Option<String>,
    pub identity_type: IdentityType,
    pub review_id: Option<i64>,
    pub grade_before: DecidedGrade,
    pub reasons: String,
    pub filed_at: DateTime<Utc>,
    pub filed_on: NaiveDate,
    pub window_from: NaiveDate,
    pub window_until: NaiveDate,
    pub answer_due: NaiveDate,
    pub extension_days: Option<i32>,
    pub extended_due: Option<NaiveDate>,
    pub extension_reason: String,
    pub extended_by_name: Option<String>,
    pub outcome: Option<AppealOutcome>,
    pub grade_after: Option<DecidedGrade>,
    pub result_version: Option<i32>,
    pub decision_reason: String,
    pub decided_by_name: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub version: i32,
}

impl AppealRow {
    /// The deadline in force: the extended one, else the first.
    pub fn due(&self) -> NaiveDate {
        self.extended_due.unwrap_or(self.answer_due)
    }

    pub fn is_open(&self) -> bool {
        self.outcome.is_none()
    }
}

/// What to select: one request, a person's, or every one (open ones only, or all).
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    pub id: Option<i64>,
    pub person_id: Option<i64>,
    pub open_only: bool,
}

/// The requests the filter selects: open ones by their deadline, then the
/// decided ones, newest first.
pub async fn select(conn: &mut PgConnection, filter: Filter) -> Result<Vec<AppealRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select a.id, a.kind as "kind: AppealKind", a.cycle_id, c.name as cycle_name, a.person_id,
                  p.full_name as person_name, dp.name as "department_name?",
                  p.identity_type as "identity_type: IdentityType", a.review_id, a.grade_before, a.reasons,
                  a.filed_at as "filed_at: DateTime<Utc>", a.filed_on as "filed_on: NaiveDate",
                  a.window_from as "window_from: NaiveDate", a.window_until as "window_until: NaiveDate",
                  a.answer_due as "answer_due: NaiveDate", a.extension_days,
                  a.extended_due as "extended_due: NaiveDate", a.extension_reason, x.full_name as "extended_by_name?",
                  a.outcome as "outcome: AppealOutcome", a.grade_after, a.result_version, a.decision_reason,
                  y.full_name as "decided_by_name?", a.decided_on as "decided_on: NaiveDate", a.version
           from result_appeal a
           join cycle c on c.id = a.cycle_id
           join person p on p.id = a.person_id
           left join assessment_result r on r.cycle_id = a.cycle_id and r.person_id = a.person_id
           left join department dp on dp.id = r.department_id
           left join person x on x.id = a.extended_by
           left join person y on y.id = a.decided_by
           where ($1::bigint is null or a.id = $1) and ($2::bigint is null or a.person_id = $2)
             and (not $3 or a.outcome is null)
           order by a.outcome is not null, coalesce(a.extended_due, a.answer_due), a.id desc"#,
        filter.id,
        filter.person_id,
        filter.open_only,
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(AppealRow {
                id: r.id,
                kind: r.kind,
                cycle_id: r.cycle_id,
                cycle_name: r.cycle_name,
                person_id: r.person_id,
                person_name: r.person_name,
                department_name: r.department_name,
                identity_type: r.identity_type,
                review_id: r.review_id,
                grade_before: decode(r.grade_before)?,
                reasons: r.reasons,
                filed_at: r.filed_at,
                filed_on: r.filed_on,
                window_from: r.window_from,
                window_until: r.window_until,
                answer_due: r.answer_due,
                extension_days: r.extension_days,
                extended_due: r.extended_due,
                extension_reason: r.extension_reason,
                extended_by_name: r.extended_by_name,
                outcome: r.outcome,
                grade_after: r.grade_after.map(decode).transpose()?,
                result_version: r.result_version,
                decision_reason: r.decision_reason,
                decided_by_name: r.decided_by_name,
                decided_on: r.decided_on,
                version: r.version,
            })
        })
        .collect()
}

pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<AppealRow>, sqlx::Error> {
    Ok(select(conn, Filter { id: Some(id), ..Filter::default() }).await?.pop())
}

/// A request, its row locked for the rest of the transaction.
pub async fn lock(conn: &mut PgConnection, id: i64) -> Result<Option<AppealRow>, sqlx::Error> {
    let found = sqlx::query_scalar!("select id from result_appeal where id = $1 for update", id)
        .fetch_optional(&mut *conn)
        .await?;
    match found {
        Some(id) => find(conn, id).await,
        None => Ok(None),
    }
}

/// Locks a person's requests about one result (so that two filings cannot race).
pub async fn lock_result(conn: &mut PgConnection, cycle_id: i64, person_id: i64) -> Result<bool, sqlx::Error> {
    let found = sqlx::query_scalar!(
        "select 1 as one from assessment_result where cycle_id = $1 and person_id = $2 for update",
        cycle_id,
        person_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// A request to file.
#[derive(Debug, Clone)]
pub struct NewAppeal<'a> {
    pub kind: AppealKind,
    pub cycle_id: i64,
    pub person_id: i64,
    pub review_id: Option<i64>,
    pub grade_before: DecidedGrade,
    pub reasons: &'a str,
    pub filed_at: DateTime<Utc>,
    pub filed_on: NaiveDate,
    pub window_from: NaiveDate,
    pub window_until: NaiveDate,
    pub answer_due: NaiveDate,
}

pub async fn insert(conn: &mut PgConnection, a: &NewAppeal<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into result_appeal (kind, cycle_id, person_id, review_id, grade_before, reasons, filed_at, filed_on,
                                    window_from, window_until, answer_due)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id",
        a.kind as AppealKind,
        a.cycle_id,
        a.person_id,
        a.review_id,
        serde_json::to_value(a.grade_before).unwrap_or_default(),
        a.reasons,
        a.filed_at as _,
        a.filed_on as _,
        a.window_from as _,
        a.window_until as _,
        a.answer_due as _,
    )
    .fetch_one(conn)
    .await
}

/// The committee's decision on a request.
#[derive(Debug, Clone)]
pub struct Decision<'a> {
    pub outcome: AppealOutcome,
    pub grade_after: Option<DecidedGrade>,
    pub result_version: Option<i32>,
    pub reason: &'a str,
    pub by: i64,
    pub at: DateTime<Utc>,
    pub on: NaiveDate,
}

/// Decides an open request at `version`; false when it was decided or changed meanwhile.
pub async fn decide(conn: &mut PgConnection, id: i64, version: i32, d: &Decision<'_>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update result_appeal
         set outcome = $3, grade_after = $4, result_version = $5, decision_reason = $6, decided_by = $7,
             decided_at = $8, decided_on = $9, version = version + 1
         where id = $1 and version = $2 and outcome is null",
        id,
        version,
        d.outcome as AppealOutcome,
        d.grade_after.map(|g| serde_json::to_value(g).unwrap_or_default()),
        d.result_version,
        d.reason,
        d.by,
        d.at as _,
        d.on as _,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An extension of an appeal's answer deadline.
#[derive(Debug, Clone)]
pub struct Extension<'a> {
    pub days: i32,
    pub due: NaiveDate,
    pub reason: &'a str,
    pub by: i64,
    pub at: DateTime<Utc>,
}

/// Extends an open, not yet extended appeal at `version`; false otherwise.
pub async fn extend(conn: &mut PgConnection, id: i64, version: i32, e: &Extension<'_>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update result_appeal
         set extension_days = $3, extended_due = $4, extension_reason = $5, extended_by = $6, extended_at = $7,
             version = version + 1
         where id = $1 and version = $2 and outcome is null and extended_due is null and kind = 'appeal'",
        id,
        version,
        e.days,
        e.due as _,
        e.reason,
        e.by,
        e.at as _,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The home page's counts: for the committee, the open requests and the
/// overdue among them (never counting a request of its own member); for the
/// person, the days their reviews were decided, of those they have not
/// appealed (the page works out whose appeal window still runs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TodoCounts {
    pub open: i64,
    pub overdue: i64,
    pub reviews_decided_on: Vec<NaiveDate>,
}

pub async fn todo_counts(
    conn: &mut PgConnection,
    person_id: i64,
    committee: bool,
    today: NaiveDate,
) -> Result<TodoCounts, sqlx::Error> {
    let row = sqlx::query!(
        r#"select count(*) filter (where $2 and a.outcome is null and a.person_id <> $1) as "open!",
                  count(*) filter (where $2 and a.outcome is null and a.person_id <> $1
                                   and coalesce(a.extended_due, a.answer_due) < $3) as "overdue!",
                  array_agg(a.decided_on) filter (
                      where a.person_id = $1 and a.kind = 'review' and a.outcome is not null
                        and not exists (select 1 from result_appeal b
                                        where b.cycle_id = a.cycle_id and b.person_id = a.person_id
                                          and b.kind = 'appeal')) as "reviews_decided_on: Vec<NaiveDate>"
           from result_appeal a
           where a.outcome is null or a.person_id = $1"#,
        person_id,
        committee,
        today as _,
    )
    .fetch_one(conn)
    .await?;
    Ok(TodoCounts {
        open: row.open,
        overdue: row.overdue,
        reviews_decided_on: row.reviews_decided_on.unwrap_or_default(),
    })
}

/// How the committee kept its deadlines for the results of one year's
/// annual cycles (the feedback board, docs/DOMAIN.md §19.4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timeliness {
    /// Decided on or before the deadline in force.
    pub decided_in_time: i64,
    /// Decided after it.
    pub decided_late: i64,
    /// Still open, and past the deadline on `today`.
    pub open_overdue: i64,
    /// Still open, within the deadline.
    pub open_in_time: i64,
}

/// The timeliness of the reviews and appeals about the results of annual
/// cycles whose period starts in `year`.
pub async fn timeliness(conn: &mut PgConnection, year: i32, today: NaiveDate) -> Result<Timeliness, sqlx::Error> {
    let row = sqlx::query!(
        r#"select count(*) filter (where a.decided_on <= coalesce(a.extended_due, a.answer_due)) as "decided_in_time!",
                  count(*) filter (where a.decided_on > coalesce(a.extended_due, a.answer_due)) as "decided_late!",
                  count(*) filter (where a.outcome is null and coalesce(a.extended_due, a.answer_due) < $2)
                    as "open_overdue!",
                  count(*) filter (where a.outcome is null and coalesce(a.extended_due, a.answer_due) >= $2)
                    as "open_in_time!"
           from result_appeal a join cycle c on c.id = a.cycle_id
           where c.kind = 'annual' and extract(year from c.period_start)::int = $1"#,
        year,
        today as _,
    )
    .fetch_one(conn)
    .await?;
    Ok(Timeliness {
        decided_in_time: row.decided_in_time,
        decided_late: row.decided_late,
        open_overdue: row.open_overdue,
        open_in_time: row.open_in_time,
    })
}

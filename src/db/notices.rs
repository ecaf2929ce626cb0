//! Written notices of final results and their acknowledgement, and the
//! versions of a result (docs/DOMAIN.md §19.1, §19.3).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::clock::office_date;
use crate::domain::assessment::DecidedGrade;
use crate::domain::feedback::NoticeState;
use crate::domain::identity::IdentityType;

fn decode_grade(value: serde_json::Value) -> Result<DecidedGrade, sqlx::Error> {
    serde_json::from_value(value).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// A version of a final annual result that has no notice yet.
#[derive(Debug, Clone)]
pub struct Unnotified {
    pub cycle_id: i64,
    pub person_id: i64,
    pub version: i32,
    /// The year whose settings apply: the cycle's.
    pub year: i32,
    pub publicity_until: NaiveDate,
    pub changed_at: DateTime<Utc>,
}

/// The versions in force of final annual results (publicity ended before
/// `today`) that have no notice yet.
pub async fn unnotified(conn: &mut PgConnection, today: NaiveDate) -> Result<Vec<Unnotified>, sqlx::Error> {
    sqlx::query_as!(
        Unnotified,
        r#"select r.cycle_id, r.person_id, r.version,
                  extract(year from c.period_start)::int as "year!",
                  d.publicity_until as "publicity_until: NaiveDate",
                  v.changed_at as "changed_at: DateTime<Utc>"
           from assessment_decision d
           join cycle c on c.id = d.cycle_id and c.kind = 'annual'
           join assessment_result r on r.cycle_id = d.cycle_id
           join assessment_result_version v
             on v.cycle_id = r.cycle_id and v.person_id = r.person_id and v.version = r.version
           where d.publicity_until < $1
             and not exists (select 1 from result_notice n
                             where n.cycle_id = r.cycle_id and n.person_id = r.person_id and n.result_version = r.version)
           order by r.cycle_id, r.person_id"#,
        today as _,
    )
    .fetch_all(conn)
    .await
}

/// Issues one notice; false when that version had one already.
pub async fn issue(
    conn: &mut PgConnection,
    result: &Unnotified,
    issued_on: NaiveDate,
    due_on: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "insert into result_notice (cycle_id, person_id, result_version, issued_on, due_on)
         values ($1, $2, $3, $4, $5) on conflict (cycle_id, person_id, result_version) do nothing",
        result.cycle_id,
        result.person_id,
        result.version,
        issued_on as _,
        due_on as _,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A notice with what its pages show.
#[derive(Debug, Clone)]
pub struct NoticeRow {
    pub id: i64,
    pub cycle_id: i64,
    pub cycle_name: String,
    pub person_id: i64,
    pub full_name: String,
    pub identity_type: IdentityType,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub result_version: i32,
    /// The version the result is at now: a later one supersedes this notice.
    pub current_version: i32,
    pub score: Option<Decimal>,
    pub grade: DecidedGrade,
    /// Why this version differs from the one before (empty for the decision).
    pub reason: String,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub opinion: String,
}

impl NoticeRow {
    pub fn acknowledged_on(&self) -> Option<NaiveDate> {
        self.acknowledged_at.map(office_date)
    }

    pub fn superseded(&self) -> bool {
        self.current_version > self.result_version
    }

    /// Signed, or waiting and for how long (docs/DOMAIN.md §19.1).
    pub fn state(&self, today: NaiveDate) -> NoticeState {
        NoticeState::of(self.issued_on, self.acknowledged_on(), today)
    }
}

/// Which notices a list asks for.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoticeFilter<'a> {
    pub id: Option<i64>,
    pub person_id: Option<i64>,
    pub cycle_id: Option<i64>,
    /// Only the notices of people in these departments.
    pub departments: Option<&'a [i64]>,
    /// Only notices not yet acknowledged.
    pub waiting: bool,
}

/// Notices, newest cycle first, then by department and name.
pub async fn list(conn: &mut PgConnection, filter: &NoticeFilter<'_>) -> Result<Vec<NoticeRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select n.id, n.cycle_id, c.name as cycle_name, n.person_id, p.full_name,
                  p.identity_type as "identity_type: IdentityType",
                  r.department_id, dep.name as "department_name?", n.result_version, r.version as current_version,
                  v.score, v.grade, v.reason,
                  n.issued_on as "issued_on: NaiveDate", n.due_on as "due_on: NaiveDate",
                  n.acknowledged_at as "acknowledged_at: DateTime<Utc>", n.opinion
           from result_notice n
           join cycle c on c.id = n.cycle_id
           join person p on p.id = n.person_id
           join assessment_result r on r.cycle_id = n.cycle_id and r.person_id = n.person_id
           join assessment_result_version v
             on v.cycle_id = n.cycle_id and v.person_id = n.person_id and v.version = n.result_version
           left join department dep on dep.id = r.department_id
           where ($1::bigint is null or n.id = $1)
             and ($2::bigint is null or n.person_id = $2)
             and ($3::bigint is null or n.cycle_id = $3)
             and ($4::bigint[] is null or r.department_id = any($4))
             and (not $5 or n.acknowledged_at is null)
           order by c.period_start desc, dep.sort_order nulls last, dep.name, p.full_name, n.result_version desc"#,
        filter.id,
        filter.person_id,
        filter.cycle_id,
        filter.departments as Option<&[i64]>,
        filter.waiting,
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(NoticeRow {
                id: r.id,
                cycle_id: r.cycle_id,
                cycle_name: r.cycle_name,
                person_id: r.person_id,
                full_name: r.full_name,
                identity_type: r.identity_type,
                department_id: r.department_id,
                department_name: r.department_name,
                result_version: r.result_version,
                current_version: r.current_version,
                score: r.score,
                grade: decode_grade(r.grade)?,
                reason: r.reason,
                issued_on: r.issued_on,
                due_on: r.due_on,
                acknowledged_at: r.acknowledged_at,
                opinion: r.opinion,
            })
        })
        .collect()
}

pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<NoticeRow>, sqlx::Error> {
    Ok(list(conn, &NoticeFilter { id: Some(id), ..NoticeFilter::default() }).await?.pop())
}

/// Records the person's acknowledgement (签收) and opinion (本人意见); false
/// when the notice was acknowledged already or is not theirs.
pub async fn acknowledge(
    conn: &mut PgConnection,
    id: i64,
    person_id: i64,
    at: DateTime<Utc>,
    opinion: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update result_notice set acknowledged_at = $3, opinion = $4
         where id = $1 and person_id = $2 and acknowledged_at is null",
        id,
        person_id,
        at as _,
        opinion,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The day the person learnt the result (docs/DOMAIN.md §19.1): the day they
/// acknowledged the notice of the first version told to them, else the day
/// it was issued; `None` while they have no notice.
pub async fn learned_on(
    conn: &mut PgConnection,
    cycle_id: i64,
    person_id: i64,
) -> Result<Option<NaiveDate>, sqlx::Error> {
    let first = sqlx::query!(
        r#"select issued_on as "issued_on: NaiveDate", acknowledged_at as "acknowledged_at: DateTime<Utc>"
           from result_notice where cycle_id = $1 and person_id = $2
           order by result_version limit 1"#,
        cycle_id,
        person_id,
    )
    .fetch_optional(conn)
    .await?;
    Ok(first.map(|n| n.acknowledged_at.map(office_date).unwrap_or(n.issued_on)))
}

/// Whether the person was told some version of this result already.
pub async fn any_issued(conn: &mut PgConnection, cycle_id: i64, person_id: i64) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from result_notice where cycle_id = $1 and person_id = $2) as "exists!""#,
        cycle_id,
        person_id,
    )
    .fetch_one(conn)
    .await
}

/// A result's version in force, locked for a correction.
#[derive(Debug, Clone)]
pub struct ResultInForce {
    pub version: i32,
    pub score: Option<Decimal>,
    pub grade: DecidedGrade,
    pub department_id: Option<i64>,
}

pub async fn lock_result(
    conn: &mut PgConnection,
    cycle_id: i64,
    person_id: i64,
) -> Result<Option<ResultInForce>, sqlx::Error> {
    let row = sqlx::query!(
        "select version, score, grade, department_id from assessment_result
         where cycle_id = $1 and person_id = $2 for update",
        cycle_id,
        person_id,
    )
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(ResultInForce {
            version: r.version,
            score: r.score,
            grade: decode_grade(r.grade)?,
            department_id: r.department_id,
        })
    })
    .transpose()
}

/// One new version of a result.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub cycle_id: i64,
    pub person_id: i64,
    pub version: i32,
    pub score: Option<Decimal>,
    pub grade: DecidedGrade,
    /// `objection`, `review` or `appeal`.
    pub source: &'a str,
    pub source_id: i64,
    pub reason: &'a str,
    pub changed_by: i64,
    pub changed_at: DateTime<Utc>,
}

/// Writes the version and puts it in force.
pub async fn add_version(conn: &mut PgConnection, v: &NewVersion<'_>) -> Result<(), sqlx::Error> {
    let grade = serde_json::to_value(v.grade).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query!(
        "insert into assessment_result_version
           (cycle_id, person_id, version, score, grade, source, source_id, reason, changed_by, changed_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        v.cycle_id,
        v.person_id,
        v.version,
        v.score,
        grade,
        v.source,
        v.source_id,
        v.reason,
        v.changed_by,
        v.changed_at as _,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "update assessment_result set version = $3, score = $4, grade = $5 where cycle_id = $1 and person_id = $2",
        v.cycle_id,
        v.person_id,
        v.version,
        v.score,
        grade,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A version of a result, as the notice page lists them.
#[derive(Debug, Clone)]
pub struct VersionRow {
    pub version: i32,
    pub score: Option<Decimal>,
    pub grade: DecidedGrade,
    pub source: String,
    pub reason: String,
    pub changed_at: DateTime<Utc>,
}

pub async fn versions(conn: &mut PgConnection, cycle_id: i64, person_id: i64) -> Result<Vec<VersionRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select version, score, grade, source, reason, changed_at as "changed_at: DateTime<Utc>"
           from assessment_result_version where cycle_id = $1 and person_id = $2 order by version"#,
        cycle_id,
        person_id,
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(VersionRow {
                version: r.version,
                score: r.score,
                grade: decode_grade(r.grade)?,
                source: r.source,
                reason: r.reason,
                changed_at: r.changed_at,
            })
        })
        .collect()
}

/// The stage's first quality measure for one year's annual cycle
/// (docs/DOMAIN.md §19.8): notices issued in time and late, and those still
/// waiting for acknowledgement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoticeTimeliness {
    pub in_time: i64,
    pub late: i64,
    pub waiting: i64,
}

pub async fn timeliness(conn: &mut PgConnection, year: i32) -> Result<NoticeTimeliness, sqlx::Error> {
    let row = sqlx::query!(
        r#"select count(*) filter (where n.issued_on <= n.due_on) as "in_time!",
                  count(*) filter (where n.issued_on > n.due_on) as "late!",
                  count(*) filter (where n.acknowledged_at is null) as "waiting!"
           from result_notice n join cycle c on c.id = n.cycle_id
           where c.kind = 'annual' and extract(year from c.period_start)::int = $1"#,
        year,
    )
    .fetch_one(conn)
    .await?;
    Ok(NoticeTimeliness { in_time: row.in_time, late: row.late, waiting: row.waiting })
}

/// Notices of versions in force not yet acknowledged, office-wide.
pub async fn waiting_count(conn: &mut PgConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "count!" from result_notice n
           join assessment_result r on r.cycle_id = n.cycle_id and r.person_id = n.person_id and r.version = n.result_version
           where n.acknowledged_at is null"#
    )
    .fetch_one(conn)
    .await
}

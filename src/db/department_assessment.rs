//! The assessment of departments as stored (docs/DOMAIN.md §18.4): scheme
//! versions, who has rated which department, the anonymous ballots, the
//! committee's calibrations and the frozen decision.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::domain::assessment::Level;
use crate::domain::assessment::department::{DepartmentScheme, RaterKind};

pub fn level_code(level: Level) -> &'static str {
    match level {
        Level::Excellent => "excellent",
        Level::Good => "good",
        Level::Fair => "fair",
        Level::Poor => "poor",
    }
}

pub fn parse_level(code: &str) -> Option<Level> {
    Level::ALL.into_iter().find(|l| level_code(*l) == code)
}

fn decode_level(code: Option<String>) -> Result<Option<Level>, sqlx::Error> {
    code.map(|c| parse_level(&c).ok_or_else(|| sqlx::Error::Decode(format!("unknown level {c}").into()))).transpose()
}

fn decode<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, sqlx::Error> {
    serde_json::from_value(value).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

fn encode<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, sqlx::Error> {
    serde_json::to_value(value).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

/// A stored version of a year's department scheme.
#[derive(Debug, Clone)]
pub struct SchemeVersion {
    pub number: i32,
    pub scheme: DepartmentScheme,
    pub saved_by_name: Option<String>,
    pub saved_at: DateTime<Utc>,
}

/// Every version of a year's department scheme, newest first.
pub async fn scheme_versions(conn: &mut PgConnection, year: i32) -> Result<Vec<SchemeVersion>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select s.number, s.scheme, p.full_name as "saved_by_name?", s.saved_at as "saved_at: DateTime<Utc>"
           from department_scheme s left join person p on p.id = s.saved_by
           where s.year = $1 order by s.number desc"#,
        year
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(SchemeVersion {
                number: r.number,
                scheme: decode(r.scheme)?,
                saved_by_name: r.saved_by_name,
                saved_at: r.saved_at,
            })
        })
        .collect()
}

/// The unique constraint a save violates when another save took its number.
pub const SCHEME_NUMBER_TAKEN: &str = "department_scheme_number";

/// Stores `scheme` as version `number` of its year.
pub async fn insert_scheme(
    conn: &mut PgConnection,
    scheme: &DepartmentScheme,
    number: i32,
    saved_by: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into department_scheme (year, number, scheme, saved_by) values ($1, $2, $3, $4)",
        scheme.year,
        number,
        encode(scheme)?,
        saved_by
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The departments a rater has already rated in a year.
pub async fn rated_by(
    conn: &mut PgConnection,
    year: i32,
    kind: RaterKind,
    rater_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "select department_id from department_rating where year = $1 and kind = $2 and rater_id = $3",
        year,
        kind as RaterKind,
        rater_id
    )
    .fetch_all(conn)
    .await
}

/// Records that `rater_id` rated a department and stores the level apart;
/// false (and nothing stored) when they had rated it already.
pub async fn cast(
    conn: &mut PgConnection,
    year: i32,
    kind: RaterKind,
    rater_id: i64,
    department_id: i64,
    level: Level,
) -> Result<bool, sqlx::Error> {
    let task = sqlx::query!(
        "insert into department_rating (year, kind, rater_id, department_id) values ($1, $2, $3, $4)
         on conflict do nothing",
        year,
        kind as RaterKind,
        rater_id,
        department_id
    )
    .execute(&mut *conn)
    .await?;
    if task.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query!(
        "insert into department_ballot (year, kind, department_id, level) values ($1, $2, $3, $4)",
        year,
        kind as RaterKind,
        department_id,
        level_code(level)
    )
    .execute(conn)
    .await?;
    Ok(true)
}

/// How many ballots of each kind and level each department received in a year.
#[derive(Debug, Clone)]
pub struct BallotCount {
    pub department_id: i64,
    pub kind: RaterKind,
    pub level: Level,
    pub count: u32,
}

pub async fn ballot_counts(conn: &mut PgConnection, year: i32) -> Result<Vec<BallotCount>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select department_id, kind as "kind: RaterKind", level, count(*) as "count!"
           from department_ballot where year = $1 group by department_id, kind, level"#,
        year
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(BallotCount {
                department_id: r.department_id,
                kind: r.kind,
                level: decode_level(Some(r.level))?.unwrap_or(Level::Poor),
                count: u32::try_from(r.count).unwrap_or(u32::MAX),
            })
        })
        .collect()
}

/// How many raters have rated how many departments, per kind (progress, no names).
pub async fn rating_progress(conn: &mut PgConnection, year: i32) -> Result<Vec<(RaterKind, i64, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select kind as "kind: RaterKind", count(distinct rater_id) as "raters!", count(*) as "ratings!"
           from department_rating where year = $1 group by kind order by kind"#,
        year
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.kind, r.raters, r.ratings)).collect())
}

/// The committee's grade for a department before the decision.
#[derive(Debug, Clone)]
pub struct Calibration {
    pub department_id: i64,
    pub grade: Level,
    pub reason: String,
    pub calibrated_by_name: String,
}

pub async fn calibrations(conn: &mut PgConnection, year: i32) -> Result<Vec<Calibration>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select c.department_id, c.grade, c.reason, p.full_name
           from department_calibration c join person p on p.id = c.calibrated_by
           where c.year = $1 order by c.department_id"#,
        year
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Calibration {
                department_id: r.department_id,
                grade: decode_level(Some(r.grade))?.unwrap_or(Level::Poor),
                reason: r.reason,
                calibrated_by_name: r.full_name,
            })
        })
        .collect()
}

/// Sets (or replaces) a department's calibrated grade.
pub async fn calibrate(
    conn: &mut PgConnection,
    year: i32,
    department_id: i64,
    grade: Level,
    reason: &str,
    by: i64,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into department_calibration (year, department_id, grade, reason, calibrated_by, calibrated_at)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (year, department_id) do update
         set grade = excluded.grade, reason = excluded.reason,
             calibrated_by = excluded.calibrated_by, calibrated_at = excluded.calibrated_at",
        year,
        department_id,
        level_code(grade),
        reason,
        by,
        at as _
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Withdraws a calibration; false when there was none.
pub async fn withdraw_calibration(conn: &mut PgConnection, year: i32, department_id: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query!("delete from department_calibration where year = $1 and department_id = $2", year, department_id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// A year's decision.
#[derive(Debug, Clone)]
pub struct Decision {
    pub id: i64,
    pub year: i32,
    pub scheme: DepartmentScheme,
    pub decided_by_name: String,
    pub decided_at: DateTime<Utc>,
    pub publicity_until: NaiveDate,
}

pub async fn decision(conn: &mut PgConnection, year: i32) -> Result<Option<Decision>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select d.id, d.year, d.scheme, p.full_name, d.decided_at as "decided_at: DateTime<Utc>",
                  d.publicity_until as "publicity_until: NaiveDate"
           from department_decision d join person p on p.id = d.decided_by where d.year = $1"#,
        year
    )
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(Decision {
            id: r.id,
            year: r.year,
            scheme: decode(r.scheme)?,
            decided_by_name: r.full_name,
            decided_at: r.decided_at,
            publicity_until: r.publicity_until,
        })
    })
    .transpose()
}

/// The years whose publicity ends on or after `from`, newest first.
pub async fn publicised_since(conn: &mut PgConnection, from: NaiveDate) -> Result<Vec<i32>, sqlx::Error> {
    sqlx::query_scalar!(
        "select year from department_decision where publicity_until >= $1 order by year desc",
        from as _
    )
    .fetch_all(conn)
    .await
}

/// Locks the year against a second decision (the unique year does the rest).
pub async fn lock_year(conn: &mut PgConnection, year: i32) -> Result<(), sqlx::Error> {
    sqlx::query!("select pg_advisory_xact_lock(hashtext('department_decision'), $1)", year).execute(conn).await?;
    Ok(())
}

/// A result to freeze.
#[derive(Debug, Clone)]
pub struct NewResult<C: serde::Serialize> {
    pub department_id: i64,
    pub score: Option<Decimal>,
    pub computed_grade: Option<Level>,
    pub grade: Option<Level>,
    pub reason: String,
    pub card: C,
}

/// Stores the decision and its results; the decision's id.
pub async fn decide<C: serde::Serialize>(
    conn: &mut PgConnection,
    year: i32,
    scheme: &DepartmentScheme,
    by: i64,
    at: DateTime<Utc>,
    publicity_until: NaiveDate,
    results: &[NewResult<C>],
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "insert into department_decision (year, scheme, decided_by, decided_at, publicity_until)
         values ($1, $2, $3, $4, $5) returning id",
        year,
        encode(scheme)?,
        by,
        at as _,
        publicity_until as _
    )
    .fetch_one(&mut *conn)
    .await?;
    for r in results {
        sqlx::query!(
            "insert into department_result (decision_id, department_id, score, computed_grade, grade, reason, card)
             values ($1, $2, $3, $4, $5, $6, $7)",
            id,
            r.department_id,
            r.score,
            r.computed_grade.map(level_code),
            r.grade.map(level_code),
            r.reason,
            encode(&r.card)?
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// A frozen result with its department's name.
#[derive(Debug, Clone)]
pub struct ResultRow<C> {
    pub department_id: i64,
    pub department_name: String,
    pub score: Option<Decimal>,
    pub computed_grade: Option<Level>,
    pub grade: Option<Level>,
    pub reason: String,
    pub card: C,
}

pub async fn results<C: serde::de::DeserializeOwned>(
    conn: &mut PgConnection,
    decision_id: i64,
) -> Result<Vec<ResultRow<C>>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select r.department_id, d.name, r.score, r.computed_grade, r.grade, r.reason, r.card
           from department_result r join department d on d.id = r.department_id
           where r.decision_id = $1
           order by r.score desc nulls last, d.sort_order, d.name"#,
        decision_id
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(ResultRow {
                department_id: r.department_id,
                department_name: r.name,
                score: r.score,
                computed_grade: decode_level(r.computed_grade)?,
                grade: decode_level(r.grade)?,
                reason: r.reason,
                card: decode(r.card)?,
            })
        })
        .collect()
}

/// An accepted ledger record about a department itself within a period.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LedgerLine {
    pub department_id: i64,
    pub occurred_on: NaiveDate,
    pub item: String,
    pub points: Decimal,
    pub reason: String,
}

pub async fn ledger_lines(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<LedgerLine>, sqlx::Error> {
    sqlx::query_as!(
        LedgerLine,
        r#"select r.department_id as "department_id!", r.occurred_on as "occurred_on: NaiveDate",
                  i.text as item, r.points, r.reason
           from ledger_record r join ledger_item i on i.id = r.item_id
           where r.status = 'accepted' and r.department_id is not null and r.occurred_on between $1 and $2
           order by r.occurred_on, r.id"#,
        from as _,
        to as _
    )
    .fetch_all(conn)
    .await
}

/// The annual cycle of a year, if there is one.
pub async fn annual_cycle_of(conn: &mut PgConnection, year: i32) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "select id from cycle where kind = 'annual'
           and period_start >= make_date($1, 1, 1) and period_start < make_date($1 + 1, 1, 1)
         order by period_start, id limit 1",
        year
    )
    .fetch_optional(conn)
    .await
}

//! The committee's decision on a cycle, its frozen results, publicity and
//! objections (docs/DOMAIN.md §17.15).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::domain::assessment::DecidedGrade;
use crate::domain::identity::IdentityType;

/// A cycle's decision.
#[derive(Debug, Clone)]
pub struct DecisionRow {
    pub cycle_id: i64,
    pub cycle_name: String,
    pub decided_by_name: String,
    pub decided_at: DateTime<Utc>,
    pub publicity_from: NaiveDate,
    pub publicity_until: NaiveDate,
}

pub async fn find(conn: &mut PgConnection, cycle_id: i64) -> Result<Option<DecisionRow>, sqlx::Error> {
    Ok(select(conn, Some(cycle_id), None).await?.pop())
}

/// Decisions whose publicity ended no more than `days` ago or is running, newest first.
pub async fn recent(conn: &mut PgConnection, today: NaiveDate, days: i32) -> Result<Vec<DecisionRow>, sqlx::Error> {
    select(conn, None, Some(today - chrono::Duration::days(days.into()))).await
}

/// Decisions of one cycle, or whose publicity ends on or after `until_from`.
async fn select(
    conn: &mut PgConnection,
    cycle_id: Option<i64>,
    until_from: Option<NaiveDate>,
) -> Result<Vec<DecisionRow>, sqlx::Error> {
    sqlx::query_as!(
        DecisionRow,
        r#"select d.cycle_id, c.name as cycle_name, p.full_name as decided_by_name,
                  d.decided_at as "decided_at: DateTime<Utc>",
                  d.publicity_from as "publicity_from: NaiveDate", d.publicity_until as "publicity_until: NaiveDate"
           from assessment_decision d join cycle c on c.id = d.cycle_id join person p on p.id = d.decided_by
           where ($1::bigint is null or d.cycle_id = $1) and ($2::date is null or d.publicity_until >= $2)
           order by d.decided_at desc"#,
        cycle_id,
        until_from as _,
    )
    .fetch_all(conn)
    .await
}

/// One result to freeze.
#[derive(Debug, Clone)]
pub struct NewResult {
    pub person_id: i64,
    pub department_id: Option<i64>,
    pub score: Option<Decimal>,
    /// The grade computed (after gates and quota).
    pub computed: DecidedGrade,
    /// The grade decided: the computed one, or the committee's calibration.
    pub grade: DecidedGrade,
}

/// Records the decision and freezes its results; false when the cycle was decided already.
pub async fn decide(
    conn: &mut PgConnection,
    cycle_id: i64,
    by: i64,
    at: DateTime<Utc>,
    publicity: (NaiveDate, NaiveDate),
    results: &[NewResult],
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query!(
        "insert into assessment_decision (cycle_id, decided_by, decided_at, publicity_from, publicity_until)
         values ($1, $2, $3, $4, $5) on conflict do nothing",
        cycle_id,
        by,
        at as _,
        publicity.0 as _,
        publicity.1 as _,
    )
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() != 1 {
        return Ok(false);
    }
    for r in results {
        sqlx::query!(
            "insert into assessment_result (cycle_id, person_id, department_id, score, computed, grade)
             values ($1, $2, $3, $4, $5, $6)",
            cycle_id,
            r.person_id,
            r.department_id,
            r.score,
            serde_json::to_value(r.computed).unwrap_or_default(),
            serde_json::to_value(r.grade).unwrap_or_default(),
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(true)
}

/// A frozen result with the names the pages show.
#[derive(Debug, Clone)]
pub struct ResultRow {
    pub person_id: i64,
    pub full_name: String,
    pub identity_type: IdentityType,
    pub department_name: Option<String>,
    pub score: Option<Decimal>,
    pub computed: DecidedGrade,
    pub grade: DecidedGrade,
}

/// A cycle's results (of `departments`, or all), by department and score.
pub async fn results(
    conn: &mut PgConnection,
    cycle_id: i64,
    departments: Option<&[i64]>,
) -> Result<Vec<ResultRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select r.person_id, p.full_name, p.identity_type as "identity_type: IdentityType",
                  d.name as "department_name?", r.score, r.computed, r.grade
           from assessment_result r
           join person p on p.id = r.person_id
           left join department d on d.id = r.department_id
           where r.cycle_id = $1 and ($2::bigint[] is null or r.department_id = any($2))
           order by d.sort_order nulls last, d.name, r.score desc nulls last, p.full_name"#,
        cycle_id,
        departments as Option<&[i64]>
    )
    .fetch_all(conn)
    .await?;
    let decode = |v: serde_json::Value| serde_json::from_value(v).map_err(|e| sqlx::Error::Decode(Box::new(e)));
    rows.into_iter()
        .map(|r| {
            Ok(ResultRow {
                person_id: r.person_id,
                full_name: r.full_name,
                identity_type: r.identity_type,
                department_name: r.department_name,
                score: r.score,
                computed: decode(r.computed)?,
                grade: decode(r.grade)?,
            })
        })
        .collect()
}

/// An objection with the names the pages show.
#[derive(Debug, Clone)]
pub struct ObjectionRow {
    pub id: i64,
    pub cycle_id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub raised_by: i64,
    pub raised_by_name: String,
    pub body: String,
    pub upheld: Option<bool>,
    pub answer: String,
}

pub async fn objections(conn: &mut PgConnection, cycle_id: i64) -> Result<Vec<ObjectionRow>, sqlx::Error> {
    sqlx::query_as!(
        ObjectionRow,
        r#"select o.id, o.cycle_id, o.person_id, p.full_name as person_name, o.raised_by,
                  r.full_name as raised_by_name, o.body, o.upheld, o.answer
           from publicity_objection o join person p on p.id = o.person_id join person r on r.id = o.raised_by
           where o.cycle_id = $1 order by o.id"#,
        cycle_id
    )
    .fetch_all(conn)
    .await
}

pub async fn raise(
    conn: &mut PgConnection,
    cycle_id: i64,
    person_id: i64,
    by: i64,
    at: DateTime<Utc>,
    body: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into publicity_objection (cycle_id, person_id, raised_by, raised_at, body)
         values ($1, $2, $3, $4, $5) returning id",
        cycle_id,
        person_id,
        by,
        at as _,
        body,
    )
    .fetch_one(conn)
    .await
}

/// An objection, its row locked.
pub async fn lock_objection(conn: &mut PgConnection, id: i64) -> Result<Option<ObjectionRow>, sqlx::Error> {
    sqlx::query_as!(
        ObjectionRow,
        r#"select o.id, o.cycle_id, o.person_id, p.full_name as person_name, o.raised_by,
                  r.full_name as raised_by_name, o.body, o.upheld, o.answer
           from publicity_objection o join person p on p.id = o.person_id join person r on r.id = o.raised_by
           where o.id = $1 for update of o"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Answers an open objection; false when it was answered already.
pub async fn answer(
    conn: &mut PgConnection,
    id: i64,
    upheld: bool,
    answer: &str,
    by: i64,
    at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update publicity_objection set upheld = $2, answer = $3, answered_by = $4, answered_at = $5
         where id = $1 and upheld is null",
        id,
        upheld,
        answer,
        by,
        at as _,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A calibration the committee set before deciding.
#[derive(Debug, Clone)]
pub struct Calibration {
    pub person_id: i64,
    pub grade: DecidedGrade,
    pub reason: String,
}

pub async fn calibrations(conn: &mut PgConnection, cycle_id: i64) -> Result<Vec<Calibration>, sqlx::Error> {
    let rows = sqlx::query!("select person_id, grade, reason from calibration where cycle_id = $1", cycle_id)
        .fetch_all(conn)
        .await?;
    rows.into_iter()
        .map(|r| {
            let grade = serde_json::from_value(r.grade).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            Ok(Calibration { person_id: r.person_id, grade, reason: r.reason })
        })
        .collect()
}

/// Sets (or, with `None`, removes) a person's calibrated grade.
pub async fn calibrate(
    conn: &mut PgConnection,
    cycle_id: i64,
    person_id: i64,
    set: Option<(DecidedGrade, &str)>,
    by: i64,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    match set {
        Some((grade, reason)) => {
            sqlx::query!(
                "insert into calibration (cycle_id, person_id, grade, reason, set_by, set_at) values ($1, $2, $3, $4, $5, $6)
                 on conflict (cycle_id, person_id) do update
                 set grade = excluded.grade, reason = excluded.reason, set_by = excluded.set_by, set_at = excluded.set_at",
                cycle_id,
                person_id,
                serde_json::to_value(grade).unwrap_or_default(),
                reason,
                by,
                at as _,
            )
            .execute(conn)
            .await?;
        }
        None => {
            sqlx::query!("delete from calibration where cycle_id = $1 and person_id = $2", cycle_id, person_id)
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

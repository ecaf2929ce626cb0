//! The use of results (docs/DOMAIN.md §19.6) and history (§19.7): final
//! annual grades, imported earlier grades, the proposals made from them, and
//! the department trends.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use sqlx::types::Json;

use crate::domain::assessment::{AnnualGrade, DecidedGrade};
use crate::domain::identity::IdentityType;
use crate::domain::result_use::{
    CounterDates, Existing, GradeImportRow, ProposalKind, ProposalStatus, grade_code, parse_grade,
};

fn annual(value: serde_json::Value) -> Option<AnnualGrade> {
    match serde_json::from_value(value).ok()? {
        DecidedGrade::Annual(g) => Some(g),
        DecidedGrade::Quarter(_) => None,
    }
}

/// A final result of an annual cycle: its publicity ended before `today`.
#[derive(Debug, Clone)]
pub struct FinalResult {
    pub person_id: i64,
    pub year: i32,
    pub department_id: Option<i64>,
    pub score: Option<Decimal>,
    pub grade: AnnualGrade,
}

/// The final annual results of `person` (or everyone), oldest first.
pub async fn final_results(
    conn: &mut PgConnection,
    person: Option<i64>,
    today: NaiveDate,
) -> Result<Vec<FinalResult>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select r.person_id, extract(year from c.period_end)::int as "year!", r.department_id, r.score, r.grade
           from assessment_result r
           join assessment_decision d on d.cycle_id = r.cycle_id
           join cycle c on c.id = r.cycle_id
           where c.kind = 'annual' and d.publicity_until < $2 and ($1::bigint is null or r.person_id = $1)
           order by c.period_end, r.person_id"#,
        person,
        today as _,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(FinalResult {
                person_id: r.person_id,
                year: r.year,
                department_id: r.department_id,
                score: r.score,
                grade: annual(r.grade)?,
            })
        })
        .collect())
}

/// The people with a final annual result of a cycle whose publicity ended before `today`.
pub async fn people_with_final_results(conn: &mut PgConnection, today: NaiveDate) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select distinct r.person_id as "person_id!"
           from assessment_result r
           join assessment_decision d on d.cycle_id = r.cycle_id
           join cycle c on c.id = r.cycle_id
           where c.kind = 'annual' and d.publicity_until < $1
           order by 1"#,
        today as _,
    )
    .fetch_all(conn)
    .await
}

/// The imported earlier grades of a person: (year, grade), oldest first.
pub async fn imported_grades(conn: &mut PgConnection, person_id: i64) -> Result<Vec<(i32, AnnualGrade)>, sqlx::Error> {
    let rows = sqlx::query!("select year, grade from grade_history where person_id = $1 order by year", person_id)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().filter_map(|r| parse_grade(&r.grade).map(|g| (r.year, g))).collect())
}

/// The dates the step and level counters start from.
pub async fn counter_dates(conn: &mut PgConnection, person_id: i64) -> Result<CounterDates, sqlx::Error> {
    let row = sqlx::query!(
        r#"select step_since as "step_since: NaiveDate", level_since as "level_since: NaiveDate"
           from person where id = $1"#,
        person_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| CounterDates { step_since: r.step_since, level_since: r.level_since }).unwrap_or_default())
}

/// Sets the day of the person's current salary step (docs/DOMAIN.md §2.6).
pub async fn set_step_since(
    conn: &mut PgConnection,
    person_id: i64,
    since: Option<NaiveDate>,
) -> Result<(), sqlx::Error> {
    sqlx::query!("update person set step_since = $2 where id = $1", person_id, since as _).execute(conn).await?;
    Ok(())
}

/// Sets the day of the person's current level (also kept on the person form, §2.6).
pub async fn set_level_since(
    conn: &mut PgConnection,
    person_id: i64,
    since: Option<NaiveDate>,
) -> Result<(), sqlx::Error> {
    sqlx::query!("update person set level_since = $2 where id = $1", person_id, since as _).execute(conn).await?;
    Ok(())
}

/// The stored proposals of a person, locked for a sync in this transaction.
pub async fn lock_person_proposals(conn: &mut PgConnection, person_id: i64) -> Result<Vec<Existing>, sqlx::Error> {
    sqlx::query_as!(
        Existing,
        r#"select id, year, kind as "kind: ProposalKind", status as "status: ProposalStatus", basis_changed
           from result_use_proposal where person_id = $1 order by year, kind for update"#,
        person_id
    )
    .fetch_all(conn)
    .await
}

/// Adds a proposal; returns its id (None when it exists already).
pub async fn insert_proposal(
    conn: &mut PgConnection,
    person_id: i64,
    year: i32,
    kind: ProposalKind,
    at: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into result_use_proposal (person_id, year, kind, proposed_at) values ($1, $2, $3, $4)
         on conflict (person_id, year, kind) do nothing returning id",
        person_id,
        year,
        kind as ProposalKind,
        at as _,
    )
    .fetch_optional(conn)
    .await
}

/// Moves an undecided proposal between proposed and withdrawn (by the sync).
pub async fn set_undecided_status(conn: &mut PgConnection, id: i64, status: ProposalStatus) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update result_use_proposal set status = $2, version = version + 1
         where id = $1 and status in ('proposed', 'withdrawn')",
        id,
        status as ProposalStatus,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Flags (or unflags) a confirmed proposal whose grades no longer make it due.
pub async fn set_basis_changed(conn: &mut PgConnection, id: i64, changed: bool) -> Result<(), sqlx::Error> {
    sqlx::query!("update result_use_proposal set basis_changed = $2, version = version + 1 where id = $1", id, changed)
        .execute(conn)
        .await?;
    Ok(())
}

/// A proposal with the names the pages show.
#[derive(Debug, Clone)]
pub struct ProposalRow {
    pub id: i64,
    pub person_id: i64,
    pub full_name: String,
    pub identity_type: IdentityType,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub year: i32,
    pub kind: ProposalKind,
    pub status: ProposalStatus,
    pub basis_changed: bool,
    pub reason: String,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub version: i32,
}

/// What the proposal list is filtered by (each optional).
#[derive(Debug, Clone, Default)]
pub struct ProposalFilter {
    pub year: Option<i32>,
    pub kind: Option<ProposalKind>,
    pub status: Option<ProposalStatus>,
    pub person: Option<i64>,
}

/// The proposals matching `filter`, newest year first, then department and name.
pub async fn proposals(conn: &mut PgConnection, filter: &ProposalFilter) -> Result<Vec<ProposalRow>, sqlx::Error> {
    sqlx::query_as!(
        ProposalRow,
        r#"select u.id, u.person_id, p.full_name, p.identity_type as "identity_type: IdentityType",
                  p.department_id, d.name as "department_name?", u.year, u.kind as "kind: ProposalKind",
                  u.status as "status: ProposalStatus", u.basis_changed, u.reason,
                  b.full_name as "decided_by_name?", u.decided_at as "decided_at: DateTime<Utc>", u.version
           from result_use_proposal u
           join person p on p.id = u.person_id
           left join department d on d.id = p.department_id
           left join person b on b.id = u.decided_by
           where ($1::int is null or u.year = $1) and ($2::result_use_kind is null or u.kind = $2)
             and ($3::result_use_status is null or u.status = $3) and ($4::bigint is null or u.person_id = $4)
           order by u.year desc, d.sort_order nulls last, p.full_name, u.kind"#,
        filter.year,
        filter.kind as Option<ProposalKind>,
        filter.status as Option<ProposalStatus>,
        filter.person,
    )
    .fetch_all(conn)
    .await
}

/// The years that have proposals, newest first (the filter's choices).
pub async fn proposal_years(conn: &mut PgConnection) -> Result<Vec<i32>, sqlx::Error> {
    sqlx::query_scalar!(r#"select distinct year as "year!" from result_use_proposal order by 1 desc"#)
        .fetch_all(conn)
        .await
}

/// Locks a proposal for a decision: (person, status, version).
pub async fn lock_proposal(
    conn: &mut PgConnection,
    id: i64,
) -> Result<Option<(i64, ProposalStatus, i32)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select person_id, status as "status: ProposalStatus", version
           from result_use_proposal where id = $1 for update"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.person_id, r.status, r.version)))
}

/// Confirms or rejects a proposed one at `version`; false when it moved.
pub async fn decide(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    status: ProposalStatus,
    by: i64,
    at: DateTime<Utc>,
    reason: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update result_use_proposal
         set status = $3, decided_by = $4, decided_at = $5, reason = $6, version = version + 1
         where id = $1 and version = $2 and status = 'proposed'",
        id,
        version,
        status as ProposalStatus,
        by,
        at as _,
        reason,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A person as the history page heads it.
#[derive(Debug, Clone)]
pub struct PersonHead {
    pub id: i64,
    pub full_name: String,
    pub identity_type: IdentityType,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub step_since: Option<NaiveDate>,
    pub level_since: Option<NaiveDate>,
}

pub async fn person_head(conn: &mut PgConnection, id: i64) -> Result<Option<PersonHead>, sqlx::Error> {
    sqlx::query_as!(
        PersonHead,
        r#"select p.id, p.full_name, p.identity_type as "identity_type: IdentityType", p.department_id,
                  d.name as "department_name?", p.step_since as "step_since: NaiveDate",
                  p.level_since as "level_since: NaiveDate"
           from person p left join department d on d.id = p.department_id where p.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Person ids by username, for the import.
pub async fn people_by_username(
    conn: &mut PgConnection,
    usernames: &[String],
) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows =
        sqlx::query!("select id, username from person where username = any($1)", usernames).fetch_all(conn).await?;
    Ok(rows.into_iter().map(|r| (r.username, r.id)).collect())
}

/// (person, year) of every annual result the system decided (final or not) and
/// of every imported year, for the people given.
pub async fn known_years(
    conn: &mut PgConnection,
    people: &[i64],
) -> Result<(HashSet<(i64, i32)>, HashSet<(i64, i32)>), sqlx::Error> {
    let decided = sqlx::query!(
        r#"select r.person_id, extract(year from c.period_end)::int as "year!"
           from assessment_result r join cycle c on c.id = r.cycle_id
           where c.kind = 'annual' and r.person_id = any($1)"#,
        people
    )
    .fetch_all(&mut *conn)
    .await?;
    let imported = sqlx::query!("select person_id, year from grade_history where person_id = any($1)", people)
        .fetch_all(&mut *conn)
        .await?;
    Ok((
        decided.into_iter().map(|r| (r.person_id, r.year)).collect(),
        imported.into_iter().map(|r| (r.person_id, r.year)).collect(),
    ))
}

/// A grade import as stored.
#[derive(Debug, Clone)]
pub struct ImportRecord {
    pub id: i64,
    pub file_name: String,
    pub rows: Vec<GradeImportRow>,
    pub committed: bool,
}

/// Stores an upload's rows for the commit to come; returns the import's id.
pub async fn insert_import(
    conn: &mut PgConnection,
    uploaded_by: i64,
    file_name: &str,
    rows: &[GradeImportRow],
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into grade_import (uploaded_by, file_name, rows) values ($1, $2, $3) returning id",
        uploaded_by,
        file_name,
        Json(rows) as _,
    )
    .fetch_one(conn)
    .await
}

/// Loads the import and locks it for the commit in this transaction.
pub async fn lock_import(conn: &mut PgConnection, id: i64) -> Result<Option<ImportRecord>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select id, file_name, rows as "rows: Json<Vec<GradeImportRow>>", committed_at is not null as "committed!"
           from grade_import where id = $1 for update"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| ImportRecord { id: r.id, file_name: r.file_name, rows: r.rows.0, committed: r.committed }))
}

/// Marks the import committed; false when it already was.
pub async fn mark_import_committed(conn: &mut PgConnection, id: i64, by: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update grade_import set committed_at = now(), committed_by = $2 where id = $1 and committed_at is null",
        id,
        by
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Writes an imported year (replacing an imported one of the same year);
/// returns the grade it replaced.
pub async fn put_imported_grade(
    conn: &mut PgConnection,
    import_id: i64,
    by: i64,
    person_id: i64,
    year: i32,
    grade: AnnualGrade,
) -> Result<Option<String>, sqlx::Error> {
    let before = sqlx::query_scalar!(
        "select grade from grade_history where person_id = $1 and year = $2 for update",
        person_id,
        year
    )
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into grade_history (person_id, year, grade, import_id, imported_by) values ($1, $2, $3, $4, $5)
         on conflict (person_id, year) do update
         set grade = excluded.grade, import_id = excluded.import_id, imported_by = excluded.imported_by,
             imported_at = now()",
        person_id,
        year,
        grade_code(grade),
        import_id,
        by,
    )
    .execute(conn)
    .await?;
    Ok(before)
}

/// A department's own final result of a year.
#[derive(Debug, Clone)]
pub struct DepartmentYear {
    pub year: i32,
    pub department_id: i64,
    pub department_name: String,
    pub score: Option<Decimal>,
    pub grade: Option<String>,
}

/// The final department results (publicity ended before `today`) of
/// `departments` (or all), by year and department.
pub async fn department_results(
    conn: &mut PgConnection,
    departments: Option<&[i64]>,
    today: NaiveDate,
) -> Result<Vec<DepartmentYear>, sqlx::Error> {
    sqlx::query_as!(
        DepartmentYear,
        r#"select dd.year, r.department_id, d.name as department_name, r.score, r.grade
           from department_result r
           join department_decision dd on dd.id = r.decision_id
           join department d on d.id = r.department_id
           where dd.publicity_until < $2 and ($1::bigint[] is null or r.department_id = any($1))
           order by dd.year, d.sort_order, d.name"#,
        departments,
        today as _,
    )
    .fetch_all(conn)
    .await
}

/// How many of a department's staff got each grade in a final annual cycle.
#[derive(Debug, Clone)]
pub struct StaffGrades {
    pub year: i32,
    pub department_id: i64,
    pub department_name: String,
    pub grade: AnnualGrade,
    pub count: i64,
}

pub async fn staff_grades(
    conn: &mut PgConnection,
    departments: Option<&[i64]>,
    today: NaiveDate,
) -> Result<Vec<StaffGrades>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select extract(year from c.period_end)::int as "year!", r.department_id as "department_id!",
                  d.name as department_name, r.grade, count(*) as "count!"
           from assessment_result r
           join assessment_decision ad on ad.cycle_id = r.cycle_id
           join cycle c on c.id = r.cycle_id
           join department d on d.id = r.department_id
           where c.kind = 'annual' and ad.publicity_until < $2 and ($1::bigint[] is null or r.department_id = any($1))
           group by 1, 2, d.name, d.sort_order, r.grade
           order by 1, d.sort_order, d.name"#,
        departments,
        today as _,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(StaffGrades {
                year: r.year,
                department_id: r.department_id,
                department_name: r.department_name,
                grade: annual(r.grade)?,
                count: r.count,
            })
        })
        .collect())
}

/// Proposals waiting for the office's decision (docs/DOMAIN.md §19.6), and
/// confirmed ones whose basis changed, leaving out those about `person_id`
/// (nobody decides about themselves).
pub async fn waiting_counts(conn: &mut PgConnection, person_id: i64) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query!(
        r#"select count(*) filter (where status = 'proposed') as "proposed!",
                  count(*) filter (where status = 'confirmed' and basis_changed) as "changed!"
           from result_use_proposal where person_id <> $1"#,
        person_id,
    )
    .fetch_one(conn)
    .await?;
    Ok((row.proposed, row.changed))
}

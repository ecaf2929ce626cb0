//! Discipline inspection's records (docs/DOMAIN.md §2.5). A wrong record is
//! withdrawn with a reason, never deleted.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::domain::assessment::DisciplineRecord;
use crate::domain::discipline::Measure;

/// A record with the names the list and the form show.
#[derive(Debug, Clone)]
pub struct RecordRow {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub department_name: Option<String>,
    pub measure: Measure,
    pub decided_on: NaiveDate,
    pub reference: String,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
    pub note: String,
    pub recorded_by_name: String,
    pub recorded_at: DateTime<Utc>,
    pub withdrawn: bool,
    pub withdraw_reason: String,
    pub version: i32,
}

/// The list's filters.
#[derive(Debug, Clone, Default)]
pub struct RecordFilter {
    /// One record, withdrawn or not (the other filters still apply).
    pub id: Option<i64>,
    pub person_id: Option<i64>,
    /// Only the records in force on this day.
    pub in_force_on: Option<NaiveDate>,
    pub withdrawn: bool,
}

/// The records, newest decision first.
pub async fn list(conn: &mut PgConnection, filter: &RecordFilter) -> Result<Vec<RecordRow>, sqlx::Error> {
    sqlx::query_as!(
        RecordRow,
        r#"select r.id, r.person_id, p.full_name as person_name, d.name as "department_name?",
                  r.measure as "measure: Measure", r.decided_on as "decided_on: NaiveDate", r.reference,
                  r.from_date as "from_date: NaiveDate", r.to_date as "to_date: NaiveDate", r.note,
                  b.full_name as recorded_by_name, r.recorded_at as "recorded_at: DateTime<Utc>", r.withdrawn, r.withdraw_reason, r.version
           from discipline_record r
           join person p on p.id = r.person_id
           left join department d on d.id = p.department_id
           join person b on b.id = r.recorded_by
           where ($1::bigint is null or r.person_id = $1)
             and ($2::date is null or (r.from_date <= $2 and (r.to_date is null or r.to_date >= $2)))
             and ($4::bigint is not null or r.withdrawn = $3)
             and ($4::bigint is null or r.id = $4)
           order by r.decided_on desc, r.id desc
           limit 1000"#,
        filter.person_id,
        filter.in_force_on as _,
        filter.withdrawn,
        filter.id,
    )
    .fetch_all(conn)
    .await
}

/// One record.
pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<RecordRow>, sqlx::Error> {
    let filter = RecordFilter { id: Some(id), ..RecordFilter::default() };
    let mut rows = list(conn, &filter).await?;
    Ok(rows.pop())
}

/// A record as entered.
#[derive(Debug, Clone)]
pub struct RecordData {
    pub person_id: i64,
    pub measure: Measure,
    pub decided_on: NaiveDate,
    pub reference: String,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
    pub note: String,
}

pub async fn create(conn: &mut PgConnection, data: &RecordData, recorded_by: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into discipline_record (person_id, measure, decided_on, reference, from_date, to_date, note, recorded_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         returning id",
        data.person_id,
        data.measure as Measure,
        data.decided_on as _,
        data.reference,
        data.from_date as _,
        data.to_date as _,
        data.note,
        recorded_by,
    )
    .fetch_one(conn)
    .await
}

/// Changes a record still in force at `version` (its person stays); false when
/// someone changed or withdrew it meanwhile.
pub async fn update(conn: &mut PgConnection, id: i64, version: i32, data: &RecordData) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update discipline_record
         set measure = $3, decided_on = $4, reference = $5, from_date = $6, to_date = $7, note = $8,
             version = version + 1
         where id = $1 and version = $2 and not withdrawn",
        id,
        version,
        data.measure as Measure,
        data.decided_on as _,
        data.reference,
        data.from_date as _,
        data.to_date as _,
        data.note,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Withdraws a record at `version`; false when it changed meanwhile or was already withdrawn.
pub async fn withdraw(conn: &mut PgConnection, id: i64, version: i32, reason: &str) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update discipline_record set withdrawn = true, withdraw_reason = $3, version = version + 1
         where id = $1 and version = $2 and not withdrawn",
        id,
        version,
        reason,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The records (not withdrawn) of the people in force on some day of
/// `first..=last`, as the assessment gates read them.
pub async fn records_during(
    conn: &mut PgConnection,
    people: &[i64],
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<(i64, DisciplineRecord)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select person_id, measure as "measure: Measure", from_date as "from_date: NaiveDate",
                  to_date as "to_date: NaiveDate"
           from discipline_record
           where person_id = any($1) and not withdrawn and from_date <= $3 and (to_date is null or to_date >= $2)
           order by person_id, from_date"#,
        people,
        first as _,
        last as _,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.person_id, DisciplineRecord { measure: r.measure, from: r.from_date, to: r.to_date }))
        .collect())
}

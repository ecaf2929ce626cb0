//! The bonus/penalty ledger (加减分): the standard item list kept by the
//! performance office, and the records proposed against it and reviewed.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::domain::ledger::Subject;
use crate::domain::monitor::{CappedRecord, LedgerStatus, capped_total};
use crate::domain::settings::SettingsBook;

#[derive(Debug, Clone)]
pub struct LedgerItemRow {
    pub id: i64,
    pub code: String,
    pub text: String,
    pub points: Decimal,
    pub cap: Option<Decimal>,
    pub evidence_required: bool,
    pub active: bool,
    pub version: i32,
}

/// What an item form saves (the code is fixed once created).
#[derive(Debug, Clone, Default)]
pub struct LedgerItemData {
    pub code: String,
    pub text: String,
    pub points: Decimal,
    pub cap: Option<Decimal>,
    pub evidence_required: bool,
    pub active: bool,
}

/// Every item, active first, bonuses before penalties.
pub async fn list_items(conn: &mut PgConnection) -> Result<Vec<LedgerItemRow>, sqlx::Error> {
    sqlx::query_as!(
        LedgerItemRow,
        "select id, code, text, points, cap, evidence_required, active, version
         from ledger_item order by active desc, points desc, code"
    )
    .fetch_all(conn)
    .await
}

pub async fn find_item(conn: &mut PgConnection, id: i64) -> Result<Option<LedgerItemRow>, sqlx::Error> {
    sqlx::query_as!(
        LedgerItemRow,
        "select id, code, text, points, cap, evidence_required, active, version from ledger_item where id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

pub async fn create_item(conn: &mut PgConnection, data: &LedgerItemData) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into ledger_item (code, text, points, cap, evidence_required, active)
         values ($1, $2, $3, $4, $5, $6) returning id",
        data.code,
        data.text,
        data.points,
        data.cap,
        data.evidence_required,
        data.active,
    )
    .fetch_one(conn)
    .await
}

/// Saves if the row is still at `version`; false when it moved. The code stays.
pub async fn update_item(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    data: &LedgerItemData,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update ledger_item set text = $3, points = $4, cap = $5, evidence_required = $6, active = $7,
                version = version + 1
         where id = $1 and version = $2",
        id,
        version,
        data.text,
        data.points,
        data.cap,
        data.evidence_required,
        data.active,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The default items of docs/DOMAIN.md §9.1, added unless their code exists; the
/// number of items added.
pub async fn seed_default_items(conn: &mut PgConnection) -> Result<usize, sqlx::Error> {
    let five = Some(Decimal::from(5));
    let defaults: [(&str, &str, Decimal, Option<Decimal>); 6] = [
        ("commend_city", "受到市级表彰", Decimal::from(1), five),
        ("commend_province", "受到省级表彰", Decimal::from(2), five),
        ("commend_national", "受到国家级表彰", Decimal::from(3), five),
        ("red_slip", "收到红色督办单", Decimal::from(-1), None),
        ("criticism", "被通报批评", Decimal::from(-2), None),
        ("broken_commitment", "服务承诺未兑现", Decimal::new(-5, 1), None),
    ];
    let codes: Vec<String> = defaults.iter().map(|d| d.0.to_string()).collect();
    let texts: Vec<String> = defaults.iter().map(|d| d.1.to_string()).collect();
    let points: Vec<Decimal> = defaults.iter().map(|d| d.2).collect();
    let caps: Vec<Option<Decimal>> = defaults.iter().map(|d| d.3).collect();
    let result = sqlx::query!(
        "insert into ledger_item (code, text, points, cap)
         select * from unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[])
         on conflict (code) do nothing",
        &codes,
        &texts,
        &points,
        &caps as &[Option<Decimal>],
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() as usize)
}

/// A record with its item, subject and people, as lists and the detail show it.
#[derive(Debug, Clone)]
pub struct LedgerRecordRow {
    pub id: i64,
    pub item_id: i64,
    pub item_code: String,
    pub item_text: String,
    pub points: Decimal,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub department_id: Option<i64>,
    /// The department the subject belongs to: the record's department, or the person's.
    pub subject_department_id: Option<i64>,
    pub subject_department_name: Option<String>,
    pub occurred_on: NaiveDate,
    pub reason: String,
    pub source_key: Option<String>,
    pub status: LedgerStatus,
    pub proposed_by: Option<i64>,
    pub proposed_by_name: Option<String>,
    pub proposed_at: DateTime<Utc>,
    pub reviewed_by_name: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub review_note: String,
    pub version: i32,
}

impl LedgerRecordRow {
    /// Proposed by the system itself (a red slip, a broken commitment).
    pub fn is_automatic(&self) -> bool {
        self.source_key.is_some() && self.proposed_by.is_none()
    }
}

/// Which records a list shows; `scope` None means every department.
#[derive(Debug, Clone, Default)]
pub struct RecordFilter {
    pub scope: Option<Vec<i64>>,
    pub status: Option<LedgerStatus>,
    pub department_id: Option<i64>,
    pub person_id: Option<i64>,
    pub item_id: Option<i64>,
}

/// Records matching the filter, newest first. The department filter matches a
/// department's own records and those of its people.
pub async fn list_records(conn: &mut PgConnection, filter: &RecordFilter) -> Result<Vec<LedgerRecordRow>, sqlx::Error> {
    sqlx::query_as!(
        LedgerRecordRow,
        r#"select r.id, r.item_id, i.code as item_code, i.text as item_text, r.points,
                  r.person_id, p.full_name as "person_name?", r.department_id,
                  coalesce(r.department_id, p.department_id) as subject_department_id,
                  d.name as "subject_department_name?",
                  r.occurred_on as "occurred_on: NaiveDate", r.reason, r.source_key,
                  r.status as "status: LedgerStatus", r.proposed_by, pb.full_name as "proposed_by_name?",
                  r.proposed_at as "proposed_at: DateTime<Utc>", rb.full_name as "reviewed_by_name?",
                  r.reviewed_at as "reviewed_at: DateTime<Utc>", r.review_note, r.version
           from ledger_record r
           join ledger_item i on i.id = r.item_id
           left join person p on p.id = r.person_id
           left join department d on d.id = coalesce(r.department_id, p.department_id)
           left join person pb on pb.id = r.proposed_by
           left join person rb on rb.id = r.reviewed_by
           where ($1::bigint[] is null or coalesce(r.department_id, p.department_id) = any($1))
             and ($2::ledger_status is null or r.status = $2)
             and ($3::bigint is null or coalesce(r.department_id, p.department_id) = $3)
             and ($4::bigint is null or r.person_id = $4)
             and ($5::bigint is null or r.item_id = $5)
           order by r.occurred_on desc, r.id desc
           limit 500"#,
        filter.scope.as_deref(),
        filter.status as Option<LedgerStatus>,
        filter.department_id,
        filter.person_id,
        filter.item_id,
    )
    .fetch_all(conn)
    .await
}

pub async fn find_record(conn: &mut PgConnection, id: i64) -> Result<Option<LedgerRecordRow>, sqlx::Error> {
    sqlx::query_as!(
        LedgerRecordRow,
        r#"select r.id, r.item_id, i.code as item_code, i.text as item_text, r.points,
                  r.person_id, p.full_name as "person_name?", r.department_id,
                  coalesce(r.department_id, p.department_id) as subject_department_id,
                  d.name as "subject_department_name?",
                  r.occurred_on as "occurred_on: NaiveDate", r.reason, r.source_key,
                  r.status as "status: LedgerStatus", r.proposed_by, pb.full_name as "proposed_by_name?",
                  r.proposed_at as "proposed_at: DateTime<Utc>", rb.full_name as "reviewed_by_name?",
                  r.reviewed_at as "reviewed_at: DateTime<Utc>", r.review_note, r.version
           from ledger_record r
           join ledger_item i on i.id = r.item_id
           left join person p on p.id = r.person_id
           left join department d on d.id = coalesce(r.department_id, p.department_id)
           left join person pb on pb.id = r.proposed_by
           left join person rb on rb.id = r.reviewed_by
           where r.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Locks a record for a review in this transaction; its status and version.
/// Locks a record for its review: its status, version and proposer (none
/// for the system's proposals).
pub async fn lock_record(
    conn: &mut PgConnection,
    id: i64,
) -> Result<Option<(LedgerStatus, i32, Option<i64>)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select status as "status: LedgerStatus", version, proposed_by from ledger_record where id = $1 for update"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.status, r.version, r.proposed_by)))
}

/// What a person proposes.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub item_id: i64,
    pub subject: Subject,
    pub occurred_on: NaiveDate,
    pub reason: String,
}

pub async fn create_record(conn: &mut PgConnection, record: &NewRecord, proposed_by: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into ledger_record (item_id, person_id, department_id, occurred_on, reason, proposed_by)
         values ($1, $2, $3, $4, $5, $6) returning id",
        record.item_id,
        record.subject.person_id(),
        record.subject.department_id(),
        record.occurred_on as _,
        record.reason,
        proposed_by,
    )
    .fetch_one(conn)
    .await
}

/// What the system proposes by itself: the item by code, and a source key
/// that makes a rerun add nothing.
#[derive(Debug, Clone)]
pub struct SystemProposal {
    pub item_code: &'static str,
    pub subject: Subject,
    pub occurred_on: NaiveDate,
    pub reason: String,
    pub source_key: String,
}

/// Adds a pending record for the proposal unless one with its source key
/// exists or the item is missing or inactive; the new record's id, if any.
pub async fn propose(conn: &mut PgConnection, proposal: &SystemProposal) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into ledger_record (item_id, person_id, department_id, occurred_on, reason, source_key)
         select i.id, $2, $3, $4, $5, $6 from ledger_item i where i.code = $1 and i.active
         on conflict (source_key) do nothing
         returning id",
        proposal.item_code,
        proposal.subject.person_id(),
        proposal.subject.department_id(),
        proposal.occurred_on as _,
        proposal.reason,
        proposal.source_key,
    )
    .fetch_optional(conn)
    .await
}

/// Records the decision if the record is still at `version`; false when it moved.
pub async fn review_record(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    status: LedgerStatus,
    reviewer: i64,
    note: &str,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update ledger_record set status = $3, reviewed_by = $4, reviewed_at = now(), review_note = $5,
                version = version + 1
         where id = $1 and version = $2 and status = 'pending'",
        id,
        version,
        status as LedgerStatus,
        reviewer,
        note,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The capped total of a department's or a person's accepted records.
#[derive(Debug, Clone)]
pub struct LedgerTotal {
    pub id: i64,
    pub name: String,
    /// The person's department, for a person's total.
    pub department_name: Option<String>,
    pub records: i64,
    pub total: Decimal,
}

/// Totals per department (its own records) and per person, each item capped
/// at its cap and each year's commendations at the year's `commendation_cap`,
/// over the accepted records in the filter's scope, department,
/// person and item (one query; the status filter does not apply).
pub async fn totals(
    conn: &mut PgConnection,
    filter: &RecordFilter,
) -> Result<(Vec<LedgerTotal>, Vec<LedgerTotal>), sqlx::Error> {
    let rows = sqlx::query!(
        r#"select r.item_id, r.points, i.cap, r.department_id, r.person_id,
                  extract(year from r.occurred_on)::integer as "year!",
                  coalesce(d.name, p.full_name) as "name!", pd.name as "person_department?"
           from ledger_record r
           join ledger_item i on i.id = r.item_id
           left join department d on d.id = r.department_id
           left join person p on p.id = r.person_id
           left join department pd on pd.id = p.department_id
           where r.status = 'accepted'
             and ($1::bigint[] is null or coalesce(r.department_id, p.department_id) = any($1))
             and ($2::bigint is null or coalesce(r.department_id, p.department_id) = $2)
             and ($3::bigint is null or r.person_id = $3)
             and ($4::bigint is null or r.item_id = $4)
           order by coalesce(d.sort_order, 0), 6"#,
        filter.scope.as_deref(),
        filter.department_id,
        filter.person_id,
        filter.item_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let settings = super::settings::book(conn).await?;
    type Group = (String, Option<String>, Vec<(i32, CappedRecord)>);
    let mut departments: Vec<(i64, Group)> = Vec::new();
    let mut people: Vec<(i64, Group)> = Vec::new();
    for row in rows {
        let (groups, id, department) = match (row.department_id, row.person_id) {
            (Some(d), _) => (&mut departments, d, None),
            (None, Some(p)) => (&mut people, p, row.person_department),
            (None, None) => continue,
        };
        let index = match groups.iter().position(|(g, _)| *g == id) {
            Some(index) => index,
            None => {
                groups.push((id, (row.name, department, Vec::new())));
                groups.len() - 1
            }
        };
        groups[index].1.2.push((row.year, (row.item_id, row.points, row.cap)));
    }
    let finish = |groups: Vec<(i64, Group)>| -> Vec<LedgerTotal> {
        groups
            .into_iter()
            .map(|(id, (name, department_name, records))| LedgerTotal {
                id,
                name,
                department_name,
                records: records.len() as i64,
                total: yearly_total(&records, &settings).normalize(),
            })
            .collect()
    };
    Ok((finish(departments), finish(people)))
}

/// A subject's total over several years: each year's records capped with the
/// year's commendation cap (docs/DOMAIN.md §9.4), then added up.
fn yearly_total(records: &[(i32, CappedRecord)], settings: &SettingsBook) -> Decimal {
    let mut by_year: std::collections::BTreeMap<i32, Vec<CappedRecord>> = Default::default();
    for (year, record) in records {
        by_year.entry(*year).or_default().push(*record);
    }
    by_year.iter().map(|(year, records)| capped_total(records, settings.for_year(*year).commendation_cap.into())).sum()
}

/// An active person a record may be about, with their department.
#[derive(Debug, Clone)]
pub struct SubjectPerson {
    pub id: i64,
    pub full_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
}

/// Active people of the departments in `scope` (every active person for None).
pub async fn subject_people(conn: &mut PgConnection, scope: Option<&[i64]>) -> Result<Vec<SubjectPerson>, sqlx::Error> {
    sqlx::query_as!(
        SubjectPerson,
        r#"select p.id, p.full_name, p.department_id, d.name as "department_name?"
           from person p left join department d on d.id = p.department_id
           where p.active and ($1::bigint[] is null or p.department_id = any($1))
           order by d.sort_order nulls last, d.name, p.full_name"#,
        scope
    )
    .fetch_all(conn)
    .await
}

/// The department of a person (None for a person without one); None when there is no such person.
pub async fn person_department(conn: &mut PgConnection, person_id: i64) -> Result<Option<Option<i64>>, sqlx::Error> {
    let row = sqlx::query!("select department_id from person where id = $1 and active", person_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.department_id))
}

/// A person's accepted ledger points of `from..=to`: the additions and the
/// deductions (as a positive number), for the assessment score (§17.4).
pub async fn person_points(
    conn: &mut PgConnection,
    person_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Decimal, Decimal), sqlx::Error> {
    let row = sqlx::query!(
        r#"select coalesce(sum(points) filter (where points > 0), 0) as "bonus!",
                  coalesce(-sum(points) filter (where points < 0), 0) as "penalties!"
           from ledger_record
           where person_id = $1 and status = 'accepted' and occurred_on between $2 and $3"#,
        person_id,
        from as _,
        to as _,
    )
    .fetch_one(conn)
    .await?;
    Ok((row.bonus, row.penalties))
}

//! The register of CPPCC members (政协委员, docs/DOMAIN.md §18.1): the people
//! the office serves. Members have no account.

use std::collections::HashMap;

use sqlx::PgConnection;
use sqlx::types::Json;

use crate::domain::members::{MemberFields, MemberImportRow, MemberKey};

/// A member as lists and forms show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub id: i64,
    pub full_name: String,
    /// 界别.
    pub sector: String,
    /// 专门委员会; empty when the member sits on none.
    pub special_committee: String,
    /// The office department that keeps in touch with the member.
    pub contact_department_id: Option<i64>,
    pub contact_department_name: Option<String>,
    /// 届次, e.g. 第十五届.
    pub term: String,
    /// Digits, or empty when unknown.
    pub mobile: String,
    pub active: bool,
    pub version: i32,
}

/// What the member form and an import write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberData {
    pub full_name: String,
    pub sector: String,
    pub special_committee: String,
    pub contact_department_id: Option<i64>,
    pub term: String,
    pub mobile: String,
    pub active: bool,
}

/// Creates a member; returns the id.
pub async fn insert(conn: &mut PgConnection, data: &MemberData) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into member (full_name, sector, special_committee, contact_department_id, term, mobile, active)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
        data.full_name,
        data.sector,
        data.special_committee,
        data.contact_department_id,
        data.term,
        data.mobile,
        data.active,
    )
    .fetch_one(conn)
    .await
}

/// The active members, by sector then name.
pub async fn active(conn: &mut PgConnection) -> Result<Vec<MemberRow>, sqlx::Error> {
    sqlx::query_as!(
        MemberRow,
        r#"select m.id, m.full_name, m.sector, m.special_committee, m.contact_department_id,
                  d.name as "contact_department_name?", m.term, m.mobile, m.active, m.version
           from member m left join department d on d.id = m.contact_department_id
           where m.active
           order by m.sector, m.full_name, m.id"#
    )
    .fetch_all(conn)
    .await
}

pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<MemberRow>, sqlx::Error> {
    sqlx::query_as!(
        MemberRow,
        r#"select m.id, m.full_name, m.sector, m.special_committee, m.contact_department_id,
                  d.name as "contact_department_name?", m.term, m.mobile, m.active, m.version
           from member m left join department d on d.id = m.contact_department_id
           where m.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Locks the member's row for a change in this transaction.
pub async fn find_for_update(conn: &mut PgConnection, id: i64) -> Result<Option<MemberRow>, sqlx::Error> {
    sqlx::query_as!(
        MemberRow,
        r#"select m.id, m.full_name, m.sector, m.special_committee, m.contact_department_id,
                  d.name as "contact_department_name?", m.term, m.mobile, m.active, m.version
           from member m left join department d on d.id = m.contact_department_id
           where m.id = $1
           for update of m"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Saves if the row is still at `version`; false when it moved.
pub async fn update(conn: &mut PgConnection, id: i64, version: i32, data: &MemberData) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update member set full_name = $3, sector = $4, special_committee = $5, contact_department_id = $6,
                term = $7, mobile = $8, active = $9, version = version + 1
         where id = $1 and version = $2",
        id,
        version,
        data.full_name,
        data.sector,
        data.special_committee,
        data.contact_department_id,
        data.term,
        data.mobile,
        data.active,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Which members the register page shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberFilter {
    /// Part of the name; empty for any.
    pub name: String,
    /// Exact sector; None for any.
    pub sector: Option<String>,
    /// Exact special committee, `Some("")` for those on none; None for any.
    pub committee: Option<String>,
    pub contact_department_id: Option<i64>,
    /// Active or not; None for both.
    pub active: Option<bool>,
}

/// The members matching `filter`, by sector then name.
pub async fn list(conn: &mut PgConnection, filter: &MemberFilter) -> Result<Vec<MemberRow>, sqlx::Error> {
    sqlx::query_as!(
        MemberRow,
        r#"select m.id, m.full_name, m.sector, m.special_committee, m.contact_department_id,
                  d.name as "contact_department_name?", m.term, m.mobile, m.active, m.version
           from member m left join department d on d.id = m.contact_department_id
           where ($1 = '' or m.full_name ilike '%' || $1 || '%')
             and ($2::text is null or m.sector = $2)
             and ($3::text is null or m.special_committee = $3)
             and ($4::bigint is null or m.contact_department_id = $4)
             and ($5::boolean is null or m.active = $5)
           order by m.sector, m.full_name, m.id"#,
        filter.name,
        filter.sector,
        filter.committee,
        filter.contact_department_id,
        filter.active,
    )
    .fetch_all(conn)
    .await
}

/// The counts over the whole register, for the page's header.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemberCounts {
    pub active: i64,
    pub inactive: i64,
}

pub async fn counts(conn: &mut PgConnection) -> Result<MemberCounts, sqlx::Error> {
    let row = sqlx::query!(
        r#"select count(*) filter (where active) as "active!", count(*) filter (where not active) as "inactive!"
           from member"#
    )
    .fetch_one(conn)
    .await?;
    Ok(MemberCounts { active: row.active, inactive: row.inactive })
}

/// The sectors, special committees and terms in use, each sorted, for the
/// filters and the form's suggestions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterValues {
    pub sectors: Vec<String>,
    pub committees: Vec<String>,
    pub terms: Vec<String>,
}

pub async fn values_in_use(conn: &mut PgConnection) -> Result<RegisterValues, sqlx::Error> {
    let row = sqlx::query!(
        r#"select array(select distinct sector from member order by 1) as "sectors!",
                  array(select distinct special_committee from member where special_committee <> '' order by 1)
                      as "committees!",
                  array(select distinct term from member order by 1) as "terms!""#
    )
    .fetch_one(conn)
    .await?;
    Ok(RegisterValues { sectors: row.sectors, committees: row.committees, terms: row.terms })
}

/// The term most active members serve in, the default of a new member; None for an empty register.
pub async fn current_term(conn: &mut PgConnection) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!("select term from member where active group by term order by count(*) desc, term desc limit 1")
        .fetch_optional(conn)
        .await
}

/// The members named `names`, by name and sector, for an import's matching.
pub async fn by_name_and_sector(
    conn: &mut PgConnection,
    names: &[String],
) -> Result<HashMap<MemberKey, Vec<i64>>, sqlx::Error> {
    let rows = sqlx::query!("select id, full_name, sector from member where full_name = any($1) order by id", names)
        .fetch_all(conn)
        .await?;
    let mut found: HashMap<MemberKey, Vec<i64>> = HashMap::new();
    for row in rows {
        found.entry((row.full_name, row.sector)).or_default().push(row.id);
    }
    Ok(found)
}

/// Writes an import row's fields over a member (keeping whether they are
/// active); returns the fields before, or None when the member is gone.
pub async fn overwrite(
    conn: &mut PgConnection,
    id: i64,
    fields: &MemberFields,
) -> Result<Option<MemberRow>, sqlx::Error> {
    let Some(before) = find_for_update(&mut *conn, id).await? else { return Ok(None) };
    let data = MemberData::from_fields(fields.clone(), before.active);
    update(conn, id, before.version, &data).await?;
    Ok(Some(before))
}

impl MemberData {
    /// The writable fields of a member as stored.
    pub fn from_row(row: &MemberRow) -> MemberData {
        MemberData {
            full_name: row.full_name.clone(),
            sector: row.sector.clone(),
            special_committee: row.special_committee.clone(),
            contact_department_id: row.contact_department_id,
            term: row.term.clone(),
            mobile: row.mobile.clone(),
            active: row.active,
        }
    }

    /// The checked fields with whether the member is active.
    pub fn from_fields(fields: MemberFields, active: bool) -> MemberData {
        MemberData {
            full_name: fields.full_name,
            sector: fields.sector,
            special_committee: fields.special_committee,
            contact_department_id: fields.contact_department_id,
            term: fields.term,
            mobile: fields.mobile,
            active,
        }
    }
}

/// A member import as stored.
#[derive(Debug, Clone)]
pub struct ImportRecord {
    pub id: i64,
    pub file_name: String,
    pub rows: Vec<MemberImportRow>,
    pub committed: bool,
}

/// Stores the rows of an upload for the commit to come; returns the import's id.
pub async fn insert_import(
    conn: &mut PgConnection,
    uploaded_by: i64,
    file_name: &str,
    rows: &[MemberImportRow],
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into member_import (uploaded_by, file_name, rows) values ($1, $2, $3) returning id",
        uploaded_by,
        file_name,
        Json(rows) as _,
    )
    .fetch_one(conn)
    .await
}

pub async fn find_import(conn: &mut PgConnection, id: i64) -> Result<Option<ImportRecord>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select id, file_name, rows as "rows: Json<Vec<MemberImportRow>>", committed_at is not null as "committed!"
           from member_import where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| ImportRecord { id: r.id, file_name: r.file_name, rows: r.rows.0, committed: r.committed }))
}

/// Loads the import and locks it for the commit in this transaction, so two
/// commits of one import run one after the other.
pub async fn lock_import(conn: &mut PgConnection, id: i64) -> Result<Option<ImportRecord>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select id, file_name, rows as "rows: Json<Vec<MemberImportRow>>", committed_at is not null as "committed!"
           from member_import where id = $1 for update"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| ImportRecord { id: r.id, file_name: r.file_name, rows: r.rows.0, committed: r.committed }))
}

/// Marks the import committed; false when it already was.
pub async fn mark_import_committed(conn: &mut PgConnection, id: i64, committed_by: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update member_import set committed_at = now(), committed_by = $2 where id = $1 and committed_at is null",
        id,
        committed_by
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

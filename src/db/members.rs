//! The register of CPPCC members (政协委员, docs/DOMAIN.md §18.1): the people
//! the office serves. Members have no account.

use sqlx::PgConnection;

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

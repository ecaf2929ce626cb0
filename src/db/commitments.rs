//! Service commitments (服务承诺制): public promises of a department or post.

use sqlx::PgConnection;

#[derive(Debug, Clone)]
pub struct CommitmentRow {
    pub id: i64,
    pub department_id: i64,
    pub department_name: String,
    pub post_id: Option<i64>,
    pub post_title: Option<String>,
    pub service: String,
    pub standard: String,
    pub time_limit_days: i32,
    pub active: bool,
    pub version: i32,
}

/// What a commitment form saves.
#[derive(Debug, Clone, Default)]
pub struct CommitmentData {
    pub department_id: i64,
    pub post_id: Option<i64>,
    pub service: String,
    pub standard: String,
    pub time_limit_days: i32,
    pub active: bool,
}

/// Every commitment, or one department's: active first, in department and post order.
pub async fn list(conn: &mut PgConnection, department_id: Option<i64>) -> Result<Vec<CommitmentRow>, sqlx::Error> {
    sqlx::query_as!(
        CommitmentRow,
        r#"select c.id, c.department_id, d.name as department_name, c.post_id, s.title as "post_title?",
                  c.service, c.standard, c.time_limit_days, c.active, c.version
           from service_commitment c
           join department d on d.id = c.department_id
           left join post s on s.id = c.post_id
           where $1::bigint is null or c.department_id = $1
           order by c.active desc, d.sort_order, d.name, s.sort_order nulls first, s.title nulls first, c.service, c.id"#,
        department_id
    )
    .fetch_all(conn)
    .await
}

pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<CommitmentRow>, sqlx::Error> {
    sqlx::query_as!(
        CommitmentRow,
        r#"select c.id, c.department_id, d.name as department_name, c.post_id, s.title as "post_title?",
                  c.service, c.standard, c.time_limit_days, c.active, c.version
           from service_commitment c
           join department d on d.id = c.department_id
           left join post s on s.id = c.post_id
           where c.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

pub async fn create(conn: &mut PgConnection, data: &CommitmentData) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into service_commitment (department_id, post_id, service, standard, time_limit_days, active)
         values ($1, $2, $3, $4, $5, $6) returning id",
        data.department_id,
        data.post_id,
        data.service,
        data.standard,
        data.time_limit_days,
        data.active,
    )
    .fetch_one(conn)
    .await
}

/// Saves if the row is still at `version`; false when it moved (a concurrent edit).
pub async fn update(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    data: &CommitmentData,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update service_commitment
         set department_id = $3, post_id = $4, service = $5, standard = $6, time_limit_days = $7, active = $8,
             version = version + 1
         where id = $1 and version = $2",
        id,
        version,
        data.department_id,
        data.post_id,
        data.service,
        data.standard,
        data.time_limit_days,
        data.active,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

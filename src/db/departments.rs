//! Departments (处室).

use sqlx::PgConnection;

use crate::domain::identity::DepartmentKind;

#[derive(Debug, Clone)]
pub struct DepartmentRow {
    pub id: i64,
    pub name: String,
    pub kind: DepartmentKind,
    pub sort_order: i32,
    pub active: bool,
    pub version: i32,
    pub people: i64,
    pub posts: i64,
}

/// What a department form saves.
#[derive(Debug, Clone)]
pub struct DepartmentData {
    pub name: String,
    pub kind: DepartmentKind,
    pub sort_order: i32,
    pub active: bool,
}

/// A department's id and name, for pick lists.
#[derive(Debug, Clone)]
pub struct DepartmentChoice {
    pub id: i64,
    pub name: String,
}

pub async fn list(conn: &mut PgConnection) -> Result<Vec<DepartmentRow>, sqlx::Error> {
    sqlx::query_as!(
        DepartmentRow,
        r#"select d.id, d.name, d.kind as "kind: DepartmentKind", d.sort_order, d.active, d.version,
                  (select count(*) from person p where p.department_id = d.id and p.active) as "people!",
                  (select count(*) from post s where s.department_id = d.id and s.active) as "posts!"
           from department d
           order by d.active desc, d.sort_order, d.name"#
    )
    .fetch_all(conn)
    .await
}

/// Active departments in display order.
pub async fn choices(conn: &mut PgConnection) -> Result<Vec<DepartmentChoice>, sqlx::Error> {
    sqlx::query_as!(DepartmentChoice, "select id, name from department where active order by sort_order, name")
        .fetch_all(conn)
        .await
}

pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<DepartmentRow>, sqlx::Error> {
    sqlx::query_as!(
        DepartmentRow,
        r#"select d.id, d.name, d.kind as "kind: DepartmentKind", d.sort_order, d.active, d.version,
                  0::bigint as "people!", 0::bigint as "posts!"
           from department d where d.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

pub async fn create(conn: &mut PgConnection, data: &DepartmentData) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into department (name, kind, sort_order, active) values ($1, $2, $3, $4) returning id",
        data.name,
        data.kind as DepartmentKind,
        data.sort_order,
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
    data: &DepartmentData,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update department set name = $3, kind = $4, sort_order = $5, active = $6, version = version + 1
         where id = $1 and version = $2",
        id,
        version,
        data.name,
        data.kind as DepartmentKind,
        data.sort_order,
        data.active,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

//! Posts (岗位) with their duties and A/B holders.

use chrono::NaiveDate;
use sqlx::PgConnection;

#[derive(Debug, Clone)]
pub struct PostRow {
    pub id: i64,
    pub department_id: i64,
    pub department_name: String,
    pub title: String,
    pub duties: Vec<String>,
    pub a_holder_id: Option<i64>,
    pub a_holder_name: Option<String>,
    pub b_holder_id: Option<i64>,
    pub b_holder_name: Option<String>,
    pub sort_order: i32,
    pub active: bool,
    pub version: i32,
}

/// What a post form saves.
#[derive(Debug, Clone)]
pub struct PostData {
    pub department_id: i64,
    pub title: String,
    pub duties: Vec<String>,
    pub a_holder_id: Option<i64>,
    pub b_holder_id: Option<i64>,
    pub sort_order: i32,
    pub active: bool,
}

/// Every post, active first, by department order.
pub async fn list(conn: &mut PgConnection) -> Result<Vec<PostRow>, sqlx::Error> {
    sqlx::query_as!(
        PostRow,
        r#"select s.id, s.department_id, d.name as department_name, s.title, s.duties,
                  s.a_holder_id, a.full_name as "a_holder_name?", s.b_holder_id, b.full_name as "b_holder_name?",
                  s.sort_order, s.active, s.version
           from post s
           join department d on d.id = s.department_id
           left join person a on a.id = s.a_holder_id
           left join person b on b.id = s.b_holder_id
           order by s.active desc, d.sort_order, d.name, s.sort_order, s.title"#
    )
    .fetch_all(conn)
    .await
}

pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<PostRow>, sqlx::Error> {
    sqlx::query_as!(
        PostRow,
        r#"select s.id, s.department_id, d.name as department_name, s.title, s.duties,
                  s.a_holder_id, a.full_name as "a_holder_name?", s.b_holder_id, b.full_name as "b_holder_name?",
                  s.sort_order, s.active, s.version
           from post s
           join department d on d.id = s.department_id
           left join person a on a.id = s.a_holder_id
           left join person b on b.id = s.b_holder_id
           where s.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Active posts whose holders need attention: no A, no B, or A = B.
pub async fn list_flagged(
    conn: &mut PgConnection,
    department_ids: Option<&[i64]>,
) -> Result<Vec<PostRow>, sqlx::Error> {
    sqlx::query_as!(
        PostRow,
        r#"select s.id, s.department_id, d.name as department_name, s.title, s.duties,
                  s.a_holder_id, a.full_name as "a_holder_name?", s.b_holder_id, b.full_name as "b_holder_name?",
                  s.sort_order, s.active, s.version
           from post s
           join department d on d.id = s.department_id
           left join person a on a.id = s.a_holder_id
           left join person b on b.id = s.b_holder_id
           where s.active
             and (s.a_holder_id is null or s.b_holder_id is null or s.a_holder_id = s.b_holder_id)
             and ($1::bigint[] is null or s.department_id = any($1))
           order by d.sort_order, d.name, s.sort_order, s.title"#,
        department_ids as Option<&[i64]>
    )
    .fetch_all(conn)
    .await
}

/// Creates a post; its holders are recorded from `today` on.
pub async fn create(conn: &mut PgConnection, data: &PostData, today: NaiveDate) -> Result<i64, sqlx::Error> {
    let id = insert(&mut *conn, data).await?;
    record_holders(conn, id, today).await?;
    Ok(id)
}

/// Inserts a post without dating its holders: it stands as it is for every
/// day until it is changed (the demo's posts, there from the start).
pub async fn insert(conn: &mut PgConnection, data: &PostData) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into post (department_id, title, duties, a_holder_id, b_holder_id, sort_order, active)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
        data.department_id,
        data.title,
        &data.duties,
        data.a_holder_id,
        data.b_holder_id,
        data.sort_order,
        data.active,
    )
    .fetch_one(conn)
    .await
}

/// Saves if the row is still at `version`; false when it moved. The holders
/// are recorded from `today` on.
pub async fn update(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    data: &PostData,
    today: NaiveDate,
) -> Result<bool, sqlx::Error> {
    keep_earlier_holders(conn, id).await?;
    let result = sqlx::query!(
        "update post set department_id = $3, title = $4, duties = $5, a_holder_id = $6, b_holder_id = $7,
                sort_order = $8, active = $9, version = version + 1
         where id = $1 and version = $2",
        id,
        version,
        data.department_id,
        data.title,
        &data.duties,
        data.a_holder_id,
        data.b_holder_id,
        data.sort_order,
        data.active,
    )
    .execute(&mut *conn)
    .await?;
    if result.rows_affected() != 1 {
        return Ok(false);
    }
    record_holders(conn, id, today).await?;
    Ok(true)
}

/// Before the first recorded change of a post, keeps its holders as they are
/// for every earlier day (a post nobody changed has no record: it stands as it is).
pub async fn keep_earlier_holders(conn: &mut PgConnection, post_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into post_holding (post_id, from_day, a_holder_id, b_holder_id, active)
         select id, '-infinity', a_holder_id, b_holder_id, active from post
         where id = $1 and not exists (select 1 from post_holding h where h.post_id = $1)",
        post_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the post's holders as they are now from `today` on, so who covered
/// on a past day can be told after the post changes (§3.4, §7.2).
pub async fn record_holders(conn: &mut PgConnection, post_id: i64, today: NaiveDate) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into post_holding (post_id, from_day, a_holder_id, b_holder_id, active)
         select id, $2, a_holder_id, b_holder_id, active from post where id = $1
         on conflict (post_id, from_day) do update
         set a_holder_id = excluded.a_holder_id, b_holder_id = excluded.b_holder_id, active = excluded.active",
        post_id,
        today as _
    )
    .execute(conn)
    .await?;
    Ok(())
}

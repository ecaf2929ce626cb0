//! Evidence files kept in the database.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sqlx::PgConnection;

/// What a page lists about a file (never the bytes).
#[derive(Debug, Clone)]
pub struct AttachmentMeta {
    pub id: i64,
    pub owner_type: String,
    pub owner_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i32,
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}

/// A checked upload, ready to store.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

pub async fn insert(
    conn: &mut PgConnection,
    owner_type: &str,
    owner_id: i64,
    file: &NewAttachment,
    uploaded_by: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into attachment (owner_type, owner_id, file_name, content_type, size_bytes, sha256, bytes, uploaded_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        owner_type,
        owner_id,
        file.file_name,
        file.content_type,
        file.bytes.len() as i32,
        file.sha256,
        file.bytes,
        uploaded_by
    )
    .fetch_one(conn)
    .await
}

/// The files of several owners of one type, in upload order.
pub async fn list(
    conn: &mut PgConnection,
    owner_type: &str,
    owner_ids: &[i64],
) -> Result<Vec<AttachmentMeta>, sqlx::Error> {
    sqlx::query_as!(
        AttachmentMeta,
        r#"select id, owner_type, owner_id, file_name, content_type, size_bytes, sha256,
                  uploaded_at as "uploaded_at: DateTime<Utc>"
           from attachment where owner_type = $1 and owner_id = any($2) order by id"#,
        owner_type,
        owner_ids
    )
    .fetch_all(conn)
    .await
}

pub async fn meta(conn: &mut PgConnection, id: i64) -> Result<Option<AttachmentMeta>, sqlx::Error> {
    sqlx::query_as!(
        AttachmentMeta,
        r#"select id, owner_type, owner_id, file_name, content_type, size_bytes, sha256,
                  uploaded_at as "uploaded_at: DateTime<Utc>"
           from attachment where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

pub async fn bytes(conn: &mut PgConnection, id: i64) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar!("select bytes from attachment where id = $1", id).fetch_optional(conn).await
}

/// The largest upload the performance office allows on `day` (its year's setting), in bytes.
pub async fn max_upload_bytes(conn: &mut PgConnection, day: NaiveDate) -> Result<i64, sqlx::Error> {
    Ok(super::settings::for_year(conn, day.year()).await?.max_upload_bytes())
}

//! The benchmark baseline's one query.

use sqlx::PgPool;

/// A row of the TechEmpower "fortunes" table.
pub struct Fortune {
    pub id: i32,
    pub message: String,
}

/// Every fortune, unsorted.
pub async fn fortunes(pool: &PgPool) -> Result<Vec<Fortune>, sqlx::Error> {
    sqlx::query_as!(Fortune, "select id, message from bench_fortune").fetch_all(pool).await
}

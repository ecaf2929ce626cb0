//! Stored sign-in throttle state per key: `user+ip:<name>@<address>`,
//! `ip:<address>`, and `user:<name>` (counted only, to tell the holder). The
//! column `window_start` holds the time of the last failure.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::domain::throttle::ThrottleState;

pub async fn load(conn: &mut PgConnection, key: &str) -> Result<Option<ThrottleState>, sqlx::Error> {
    sqlx::query_as!(
        ThrottleState,
        r#"select failures, window_start as "last_failure: DateTime<Utc>", held_until as "held_until: DateTime<Utc>"
           from login_throttle where key = $1"#,
        key
    )
    .fetch_optional(conn)
    .await
}

pub async fn save(conn: &mut PgConnection, key: &str, state: &ThrottleState) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into login_throttle (key, failures, window_start, held_until) values ($1, $2, $3, $4)
         on conflict (key) do update set failures = $2, window_start = $3, held_until = $4",
        key,
        state.failures,
        state.last_failure as _,
        state.held_until as _,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets the keys whose last failure was before `before` and that hold
/// nothing after it; how many were forgotten.
pub async fn forget_before(conn: &mut PgConnection, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "delete from login_throttle where window_start < $1 and (held_until is null or held_until < $1)",
        before as _
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

pub async fn clear(conn: &mut PgConnection, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from login_throttle where key = $1", key).execute(conn).await?;
    Ok(())
}

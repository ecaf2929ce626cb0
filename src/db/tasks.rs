//! Coordination of the background task between application instances.

use sqlx::PgConnection;

/// Takes the task's lock for the current transaction; false when another
/// instance holds it (that instance does the work this time).
pub async fn try_lock(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
    let locked =
        sqlx::query_scalar!(r#"select pg_try_advisory_xact_lock(735001) as "locked!""#).fetch_one(conn).await?;
    Ok(locked)
}

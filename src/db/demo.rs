//! The few statements only the demo loader needs.

use sqlx::PgConnection;

/// Whether no department exists yet (the demo office is loaded only then).
pub async fn office_is_empty(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(r#"select not exists (select 1 from department) as "empty!""#).fetch_one(conn).await
}

/// Lets the demo accounts sign in without a forced change; `password_changed_at`
/// stays null, so the home page still suggests setting a password of one's own.
pub async fn skip_forced_password_change(conn: &mut PgConnection, person_ids: &[i64]) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!("update person set must_change_password = false where id = any($1)", person_ids)
        .execute(conn)
        .await?;
    Ok(result.rows_affected())
}

//! Setting up a database for the application: the application's role with its
//! restricted rights (embedded cluster), and migrations.

use sqlx::{Executor, PgPool};

/// Creates the application's database and login role in the embedded cluster
/// if they do not exist. `admin` is connected to the `postgres` database.
pub async fn create_database_and_role(admin: &PgPool, database: &str, app_role: &str) -> Result<(), sqlx::Error> {
    let exists: bool = sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
        .bind(database)
        .fetch_one(admin)
        .await?;
    if !exists {
        admin.execute(format!("create database \"{database}\"").as_str()).await?;
    }
    let role_exists: bool = sqlx::query_scalar("select exists (select 1 from pg_roles where rolname = $1)")
        .bind(app_role)
        .fetch_one(admin)
        .await?;
    if !role_exists {
        admin.execute(format!("create role \"{app_role}\" login").as_str()).await?;
    }
    Ok(())
}

/// Gives the application's role what it needs and nothing more: data rights on
/// every table, but only INSERT and SELECT on the audit log. Run after migrations.
pub async fn grant_app_rights(owner: &PgPool, app_role: &str) -> Result<(), sqlx::Error> {
    let statements = [
        format!("grant usage on schema public to \"{app_role}\""),
        format!("grant select, insert, update, delete on all tables in schema public to \"{app_role}\""),
        format!("grant usage, select on all sequences in schema public to \"{app_role}\""),
        format!("revoke update, delete, truncate on audit_log from \"{app_role}\""),
        format!("grant usage on schema tower_sessions to \"{app_role}\""),
        format!("grant select, insert, update, delete on all tables in schema tower_sessions to \"{app_role}\""),
    ];
    for statement in statements {
        owner.execute(statement.as_str()).await?;
    }
    Ok(())
}

/// Applies pending migrations, including the session store's table. With
/// nothing pending it changes nothing, so an instance connected as the
/// application's role (which may not create tables) starts once the owner has
/// migrated.
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    if up_to_date(pool).await? {
        return Ok(());
    }
    super::MIGRATOR.run(pool).await?;
    tower_sessions_sqlx_store::PostgresStore::new(pool.clone()).migrate().await?;
    Ok(())
}

/// Whether every migration of this binary is applied and the session table exists.
async fn up_to_date(pool: &PgPool) -> Result<bool, sqlx::Error> {
    let ready: bool = sqlx::query_scalar(
        "select to_regclass('public._sqlx_migrations') is not null
            and to_regclass('tower_sessions.session') is not null",
    )
    .fetch_one(pool)
    .await?;
    if !ready {
        return Ok(false);
    }
    let applied: Vec<i64> =
        sqlx::query_scalar("select version from _sqlx_migrations where success").fetch_all(pool).await?;
    Ok(super::MIGRATOR.iter().filter(|m| m.migration_type.is_up_migration()).all(|m| applied.contains(&m.version)))
}

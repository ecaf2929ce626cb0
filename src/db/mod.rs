//! All SQL of the application, one module per aggregate. Queries are checked
//! against the schema at compile time (`query!`/`query_as!`, offline data in `.sqlx/`).

pub mod absences;
pub mod appeals;
pub mod assessment_schemes;
pub mod attachments;
pub mod audit;
pub mod ballots;
pub(crate) mod bench;
pub(crate) mod boards;
pub mod bootstrap;
pub mod calendar;
pub mod commitment_cases;
pub(crate) mod commitments;
pub mod committee;
pub mod cycles;
pub mod dashboard;
pub mod decisions;
pub mod demo;
pub mod department_assessment;
pub mod departments;
pub mod discipline;
pub mod events;
pub mod excellence;
pub(crate) mod export_jobs;
pub mod forms;
pub mod interviews;
pub mod ledger;
pub mod members;
pub mod notices;
pub mod notifications;
pub mod people;
pub mod plan_boards;
pub mod post_templates;
pub(crate) mod posts;
pub mod rectification;
pub mod reports;
pub mod result_use;
pub mod roster;
pub mod scale;
pub mod settings;
pub mod summaries;
pub mod supervision;
pub mod surveys;
pub mod target_export;
pub(crate) mod target_import;
pub mod targets;
pub(crate) mod tasks;
pub(crate) mod throttle;
pub(crate) mod todos;

use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::config::Config;

/// The migrations compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A pool with the configured size, acquire timeout and statement timeout.
pub async fn pool(config: &Config, options: PgConnectOptions) -> Result<PgPool, sqlx::Error> {
    let statement_timeout = format!("{}s", config.db_statement_timeout_secs);
    let options = options
        .options([("statement_timeout", statement_timeout.as_str()), ("timezone", "UTC")])
        .application_name("cppcc-perf");
    PgPoolOptions::new()
        .max_connections(config.db_pool_size)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(config.db_acquire_timeout_secs))
        .idle_timeout(Duration::from_secs(300))
        .connect_with(options)
        .await
}

/// Whether the error is a unique violation of the named constraint (a form
/// shows it as the field's `Taken` error).
pub fn is_unique_violation(err: &sqlx::Error, constraint: &str) -> bool {
    err.as_database_error().is_some_and(|e| e.is_unique_violation() && e.constraint() == Some(constraint))
}

/// Whether the database answers.
pub async fn ping(pool: &PgPool) -> bool {
    sqlx::query_scalar!("select 1 as one").fetch_one(pool).await.is_ok()
}

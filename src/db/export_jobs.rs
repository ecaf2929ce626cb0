//! Export jobs (docs/DOMAIN.md §20.3): exports built in the background, their
//! progress and their files, kept in PostgreSQL so that every instance of the
//! application sees them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

use crate::domain::exports::{self, ExportState};

/// A job as the list of one's exports shows it (without the file).
#[derive(Debug, Clone)]
pub struct JobRow {
    pub id: i64,
    pub requested_by: i64,
    /// What was asked for, as the requester read it ("全部目标 · 2026年度考核").
    pub title: String,
    pub state: ExportState,
    pub rows_done: i32,
    pub rows_total: Option<i32>,
    pub file_name: String,
    pub file_size: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub file_removed: bool,
}

impl JobRow {
    /// How far the job is, in whole percent, when its size is known.
    pub fn percent(&self) -> Option<i64> {
        exports::percent(self.state, self.rows_done, self.rows_total)
    }

    /// The file's size as the pages write sizes.
    pub fn size(&self) -> Option<String> {
        self.file_size.map(crate::domain::files::format_size)
    }

    pub fn downloadable(&self) -> bool {
        self.state == ExportState::Done && !self.file_removed
    }
}

/// What a new job records about itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub parameters: serde_json::Value,
    pub file_name: &'a str,
}

/// Records a queued job; its id.
pub async fn insert(conn: &mut PgConnection, requested_by: i64, job: &NewJob<'_>) -> Result<i64, sqlx::Error> {
    let parameters = serde_json::json!({ "title": job.title, "choice": job.parameters });
    sqlx::query_scalar!(
        "insert into export_job (requested_by, kind, parameters, file_name) values ($1, $2, $3, $4) returning id",
        requested_by,
        job.kind,
        parameters,
        job.file_name
    )
    .fetch_one(conn)
    .await
}

/// The person's jobs, newest first.
pub async fn list_for(conn: &mut PgConnection, person_id: i64, limit: i64) -> Result<Vec<JobRow>, sqlx::Error> {
    sqlx::query_as!(
        JobRow,
        r#"select id, requested_by, coalesce(parameters ->> 'title', kind) as "title!", state as "state: ExportState",
                  rows_done, rows_total, file_name, octet_length(file)::bigint as file_size,
                  created_at as "created_at: DateTime<Utc>", finished_at as "finished_at: DateTime<Utc>",
                  file_removed_at is not null as "file_removed!"
           from export_job where requested_by = $1 order by id desc limit $2"#,
        person_id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One job, without its file.
pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<JobRow>, sqlx::Error> {
    sqlx::query_as!(
        JobRow,
        r#"select id, requested_by, coalesce(parameters ->> 'title', kind) as "title!", state as "state: ExportState",
                  rows_done, rows_total, file_name, octet_length(file)::bigint as file_size,
                  created_at as "created_at: DateTime<Utc>", finished_at as "finished_at: DateTime<Utc>",
                  file_removed_at is not null as "file_removed!"
           from export_job where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// The finished file of a job.
pub async fn file(conn: &mut PgConnection, id: i64) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let file = sqlx::query_scalar!("select file from export_job where id = $1 and state = 'done'", id)
        .fetch_optional(conn)
        .await?;
    Ok(file.flatten())
}

/// Moves the job's heartbeat on while it is queued or running; false when it
/// is neither any more (failed as stale meanwhile): its builder then stops.
pub async fn beat(conn: &mut PgConnection, id: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query!("update export_job set heartbeat_at = now() where id = $1 and state in ('queued', 'running')", id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// A queued job starts with the number of rows it will hold; false when it is no longer queued.
pub async fn start(conn: &mut PgConnection, id: i64, rows_total: i32) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update export_job set state = 'running', rows_total = $2, heartbeat_at = now()
         where id = $1 and state = 'queued'",
        id,
        rows_total
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The rows written so far (and the heartbeat); false when the job is no longer running.
pub async fn progress(conn: &mut PgConnection, id: i64, rows_done: i32) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update export_job set rows_done = $2, heartbeat_at = now() where id = $1 and state = 'running'",
        id,
        rows_done
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores the file of a running job and marks it done; false when it was no longer running.
pub async fn finish(conn: &mut PgConnection, id: i64, rows_done: i32, file: &[u8]) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update export_job set state = 'done', rows_done = $2, rows_total = $2, file = $3, finished_at = now(),
                heartbeat_at = now()
         where id = $1 and state = 'running'",
        id,
        rows_done,
        file
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a job that has not finished failed, with why.
pub async fn fail(conn: &mut PgConnection, id: i64, error: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update export_job set state = 'failed', error = $2, finished_at = now()
         where id = $1 and state in ('queued', 'running')",
        id,
        error
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Fails the jobs whose heartbeat stopped `stale_secs` ago: the instance
/// building them is gone. The number failed.
pub async fn fail_stale(conn: &mut PgConnection, stale_secs: i32) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "update export_job set state = 'failed', error = 'stale: no heartbeat', finished_at = now()
         where state in ('queued', 'running') and heartbeat_at < now() - make_interval(secs => $1)",
        f64::from(stale_secs)
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Removes the files of jobs finished `days` ago (the rows stay as the record). The number removed.
pub async fn remove_old_files(conn: &mut PgConnection, days: i32) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "update export_job set file = null, file_removed_at = now()
         where file is not null and finished_at < now() - make_interval(days => $1)",
        days
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

//! Export jobs (docs/DOMAIN.md §20.3): the office's whole target list built
//! in the background by the instance that received the request, streamed
//! from a read of the database into a constant-memory sheet, its progress and
//! its file written to `export_job` so that any instance shows and serves
//! them. A job whose instance dies stops beating and is failed by the next
//! look at the list or by the background task.

use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::Semaphore;

use super::target_sheet;
use crate::db::export_jobs;
use crate::db::target_export::{self, TargetScope};
use crate::domain::exports::{KEEP_FILES_DAYS, STALE_AFTER_SECS};
use crate::i18n::Lang;
use crate::xlsx::SheetHead;

/// Rows between two progress updates.
const PROGRESS_EVERY: u32 = 2_000;
/// How often a job waiting for its turn tells that it is alive.
const WAITING_BEAT: Duration = Duration::from_secs(60);
/// Jobs one instance builds at a time: each holds a sheet being written and a
/// connection; the others wait, queued.
static BUILDING: Semaphore = Semaphore::const_new(1);

/// A target export to build: the job's row, what it holds, and its sheet's
/// head and language as the requester reads them.
#[derive(Debug, Clone)]
pub struct TargetJob {
    pub id: i64,
    pub scope: TargetScope,
    pub head: SheetHead,
    pub lang: Lang,
}

/// Builds the job in a task of its own; the request that asked for it has
/// already been answered. A failure is recorded on the job.
pub fn spawn(pool: PgPool, job: TargetJob) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if let Err(err) = build(&pool, &job).await {
            tracing::warn!(job = job.id, error = %err, "export job failed");
            let message = format!("{err:#}");
            match pool.acquire().await {
                Ok(mut conn) => {
                    if let Err(err) = export_jobs::fail(&mut conn, job.id, &message).await {
                        tracing::warn!(job = job.id, error = %err, "could not record the failed export job");
                    }
                }
                Err(err) => tracing::warn!(job = job.id, error = %err, "could not record the failed export job"),
            }
        }
    })
}

/// Waits for the instance's turn (beating meanwhile), then writes every row
/// of the scope and stores the file. Stops quietly when the job was failed
/// meanwhile as stale.
async fn build(pool: &PgPool, job: &TargetJob) -> anyhow::Result<()> {
    let _turn = loop {
        match tokio::time::timeout(WAITING_BEAT, BUILDING.acquire()).await {
            Ok(turn) => break turn?,
            Err(_) => {
                if !export_jobs::beat(&mut *pool.acquire().await?, job.id).await? {
                    return Ok(());
                }
            }
        }
    };
    let office_wide = match &job.scope {
        TargetScope::Cycle { cycle_id, departments: None } => Some(Some(*cycle_id)),
        TargetScope::All => Some(None),
        _ => None,
    };
    let mut tx = pool.begin().await?;
    // The read runs as long as the writing takes, which the page statements' limit does not allow for.
    target_export::allow_statements_for(&mut tx, 0).await?;
    let total = match office_wide {
        Some(cycle) => target_export::count(&mut tx, cycle).await?,
        None => 0,
    };
    if !export_jobs::start(&mut *pool.acquire().await?, job.id, i32::try_from(total).unwrap_or(i32::MAX)).await? {
        return Ok(());
    }
    let caps = target_sheet::Caps(target_export::completion_caps(&mut tx).await?);
    let rows = target_export::stream(&mut tx, &job.scope);
    let progress = JobProgress { pool: pool.clone(), id: job.id };
    let (bytes, written) = target_sheet::write(rows, job.head.clone(), job.lang, &caps, progress).await?;
    tx.rollback().await?;
    export_jobs::finish(&mut *pool.acquire().await?, job.id, written as i32, &bytes).await?;
    Ok(())
}

/// The rows written so far, on the job's row: its progress and its heartbeat.
struct JobProgress {
    pool: PgPool,
    id: i64,
}

impl target_sheet::Progress for JobProgress {
    fn every(&self) -> u32 {
        PROGRESS_EVERY
    }

    fn rows_written(&mut self, rows: u32) -> impl Future<Output = anyhow::Result<()>> + Send {
        let (pool, id) = (self.pool.clone(), self.id);
        async move {
            let running = export_jobs::progress(&mut *pool.acquire().await?, id, rows as i32).await?;
            anyhow::ensure!(running, "the job is no longer running");
            Ok(())
        }
    }
}

/// The upkeep of the jobs, by the background task and on every look at the
/// list: fails the jobs whose instance has gone, removes files kept their days.
pub async fn upkeep(conn: &mut sqlx::PgConnection) -> Result<(u64, u64), sqlx::Error> {
    let failed = export_jobs::fail_stale(conn, STALE_AFTER_SECS).await?;
    let removed = export_jobs::remove_old_files(conn, KEEP_FILES_DAYS).await?;
    Ok((failed, removed))
}

//! The target exports of the plan pages (docs/DOMAIN.md §20.3): each page's
//! `.xlsx` holds the targets behind the rows the page shows, in the one
//! layout of `workflow::target_sheet`, streamed from the database into the
//! sheet so that a whole cycle of the office costs no more memory than a plan.

use axum::response::Response;
use futures_util::stream::BoxStream;

use crate::db::target_export::{self, TargetExportRow, TargetScope};
use crate::error::AppResult;
use crate::http::export::xlsx_response;
use crate::http::pages::PageContext;
use crate::state::AppState;
use crate::workflow::target_sheet::{self, Caps, HEADERS, Unwatched};

/// The targets of `scope` (none when the page shows nothing) as a download
/// named `{file_stem}-{yyyymmdd}.xlsx`, titled with `title_key` and `detail`.
pub async fn download(
    state: &AppState,
    ctx: &PageContext,
    scope: Option<TargetScope>,
    (title_key, detail): (&str, Option<&str>),
    file_stem: &str,
) -> AppResult<Response> {
    let now = state.clock.now();
    let head = ctx.sheet_head(title_key, detail, &HEADERS, false, now);
    let mut tx = state.pool.begin().await?;
    // The read lasts as long as the writing: up to the request's own limit.
    target_export::allow_statements_for(&mut tx, state.settings.request_timeout_secs).await?;
    let caps = Caps(target_export::completion_caps(&mut tx).await?);
    let rows: BoxStream<'_, Result<TargetExportRow, sqlx::Error>> = match &scope {
        Some(scope) => target_export::stream(&mut tx, scope),
        None => Box::pin(futures_util::stream::empty()),
    };
    let (bytes, _) = target_sheet::write(rows, head, ctx.lang, &caps, Unwatched).await?;
    tx.rollback().await?;
    Ok(xlsx_response(bytes, file_stem, now))
}

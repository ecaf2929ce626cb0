//! The import of earlier years' grades (docs/DOMAIN.md §19.6), so that the
//! counters start right on day one: upload a CSV or XLSX file (staff
//! username, year, grade in Chinese), see every row checked, then commit the
//! rows without problems in one transaction. Read as the other imports read
//! their files; a year the system decided is never overwritten.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use tower_sessions::Session;

use crate::auth::csrf::{CsrfChecked, CsrfMultipart};
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::result_use as db;
use crate::domain::result_use::{self, Column, GradeImportRow};
use crate::domain::spreadsheet::{self, FileError, ImportColumn};
use crate::error::{AppError, AppResult};
use crate::http::org::import::{read_upload, sample_file};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::workflow::result_use as workflow;

#[derive(Template)]
#[template(path = "feedback/grade_import.html")]
pub struct GradeImportPage {
    pub ctx: PageContext,
    pub error: Option<FileError>,
    pub columns: [Column; 3],
}

/// `GET /feedback/grade-import`
pub async fn upload_form(user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    result_use::require_office(user.grants())?;
    render(&GradeImportPage { ctx, error: None, columns: Column::ALL })
}

/// `GET /feedback/grade-import/samples/{file}`
pub async fn sample(user: CurrentUser, Path(file): Path<String>) -> AppResult<Response> {
    result_use::require_office(user.grants())?;
    sample_file(
        &file,
        ("grade-history-sample.csv", include_bytes!("../../../docs/grade-history-sample.csv")),
        ("grade-history-sample.xlsx", include_bytes!("../../../docs/grade-history-sample.xlsx")),
    )
}

#[derive(Template)]
#[template(path = "feedback/grade_import_preview.html")]
pub struct GradeImportPreviewPage {
    pub ctx: PageContext,
    pub id: i64,
    pub file_name: String,
    pub rows: Vec<GradeImportRow>,
    pub row_count: i64,
    pub error_count: i64,
    pub valid_count: i64,
    pub replace_count: i64,
}

/// `POST /feedback/grade-import`: reads, checks and stores the file, then
/// shows every row with its problems.
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    form: Result<CsrfMultipart, AppError>,
) -> AppResult<Response> {
    result_use::require_office(user.grants())?;
    let CsrfMultipart(multipart) = form?;
    let read = read_upload(multipart)
        .await
        .and_then(|(file_name, bytes)| Ok((file_name, result_use::read_rows(&spreadsheet::parse(&bytes)?)?)));
    let (file_name, rows) = match read {
        Ok(read) => read,
        Err(error) => {
            let page = GradeImportPage { ctx, error: Some(error), columns: Column::ALL };
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let mut tx = state.pool.begin().await?;
    let rows = workflow::check_import(&mut tx, rows, state.clock.today()).await?;
    let id = db::insert_import(&mut tx, user.id(), &file_name, &rows).await?;
    let error_count = rows.iter().filter(|r| r.has_errors()).count() as i64;
    let summary = json!({ "file_name": file_name, "rows": rows.len(), "rows_with_errors": error_count });
    audit::record(&mut tx, &user.audit, AuditEvent::new("grade_import.previewed", "grade_import", id, summary)).await?;
    tx.commit().await?;
    let row_count = rows.len() as i64;
    let replace_count = rows.iter().filter(|r| r.replaces()).count() as i64;
    let valid_count = row_count - error_count;
    render(&GradeImportPreviewPage { ctx, id, file_name, rows, row_count, error_count, valid_count, replace_count })
}

/// `POST /feedback/grade-import/{id}/commit`: checks every row again and
/// writes those without problems; the counters and proposals follow.
pub async fn commit(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    _: CsrfChecked,
) -> AppResult<Response> {
    result_use::require_office(user.grants())?;
    let today = state.clock.today();
    let mut tx = state.pool.begin().await?;
    let import = db::lock_import(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if import.committed || !db::mark_import_committed(&mut tx, id, user.id()).await? {
        Flash::error("grade-import-already-committed").set(&session).await?;
        return Ok(Redirect::to("/feedback/grade-import").into_response());
    }
    let rows = workflow::check_import(&mut tx, import.rows, today).await?;
    let (written, replaced) = workflow::write_import(&mut tx, &user.audit, user.id(), id, &rows, today).await?;
    let summary = json!({ "written": written, "replaced": replaced, "skipped": rows.len() - written });
    audit::record(&mut tx, &user.audit, AuditEvent::new("grade_import.committed", "grade_import", id, summary)).await?;
    tx.commit().await?;
    Flash::success_named("grade-import-committed", written.to_string()).set(&session).await?;
    Ok(Redirect::to("/feedback/proposals").into_response())
}

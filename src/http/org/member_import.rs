//! Members import (委员名册导入, docs/DOMAIN.md §18.1): upload a CSV or XLSX
//! file, see every row checked, then commit the rows without problems in one
//! transaction. The file is read as the roster import reads it.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use super::import::{read_upload, sample_file};
use super::members::summary;
use crate::auth::csrf::{CsrfChecked, CsrfMultipart};
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::members::{self as members_db, MemberData};
use crate::db::roster::active_departments;
use crate::domain::members::{self, Column, MemberImportRow, RowAction};
use crate::domain::policy::Permission;
use crate::domain::spreadsheet::{self, FileError};
use crate::error::{AppError, AppResult};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "org/member_import.html")]
pub struct MemberImportPage {
    pub ctx: PageContext,
    /// Why the uploaded file was refused.
    pub error: Option<FileError>,
    pub columns: [Column; 6],
}

pub async fn upload_form(user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    user.require(Permission::ManageMembers)?;
    render(&MemberImportPage { ctx, error: None, columns: Column::ALL })
}

/// `GET /org/members/import/samples/{file}`: the sample files, to download and fill in.
pub async fn sample(user: CurrentUser, Path(file): Path<String>) -> AppResult<Response> {
    user.require(Permission::ManageMembers)?;
    sample_file(
        &file,
        ("members-sample.csv", include_bytes!("../../../docs/members-sample.csv")),
        ("members-sample.xlsx", include_bytes!("../../../docs/members-sample.xlsx")),
    )
}

#[derive(Template)]
#[template(path = "org/member_import_preview.html")]
pub struct MemberImportPreviewPage {
    pub ctx: PageContext,
    pub id: i64,
    pub file_name: String,
    pub rows: Vec<MemberImportRow>,
    pub row_count: i64,
    pub error_count: i64,
    /// Rows without problems: those a commit writes.
    pub valid_count: i64,
    /// Of those, the rows that update a member already in the register.
    pub update_count: i64,
}

impl MemberImportPreviewPage {
    fn new(ctx: PageContext, id: i64, file_name: String, rows: Vec<MemberImportRow>) -> MemberImportPreviewPage {
        let error_count = rows.iter().filter(|r| r.has_errors()).count() as i64;
        let update_count = rows.iter().filter(|r| r.updates()).count() as i64;
        let row_count = rows.len() as i64;
        MemberImportPreviewPage {
            ctx,
            id,
            file_name,
            rows,
            row_count,
            error_count,
            valid_count: row_count - error_count,
            update_count,
        }
    }
}

/// Reads, checks and stores the file, then shows every row with its problems.
/// Rows with problems are stored too, so that any instance can commit and the
/// commit checks every row again.
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    form: Result<CsrfMultipart, AppError>,
) -> AppResult<Response> {
    user.require(Permission::ManageMembers)?;
    let CsrfMultipart(multipart) = form?;
    let read = read_upload(multipart)
        .await
        .and_then(|(file_name, bytes)| Ok((file_name, members::read_rows(&spreadsheet::parse(&bytes)?)?)));
    let (file_name, rows) = match read {
        Ok(read) => read,
        Err(error) => {
            let page = MemberImportPage { ctx, error: Some(error), columns: Column::ALL };
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let mut tx = state.pool.begin().await?;
    let rows = check_against_database(&mut tx, rows).await?;
    let id = members_db::insert_import(&mut tx, user.id(), &file_name, &rows).await?;
    let with_errors = rows.iter().filter(|r| r.has_errors()).count();
    let summary = json!({ "file_name": file_name, "rows": rows.len(), "rows_with_errors": with_errors });
    audit::record(&mut tx, &user.audit, AuditEvent::new("member_import.previewed", "member_import", id, summary))
        .await?;
    tx.commit().await?;
    render(&MemberImportPreviewPage::new(ctx, id, file_name, rows))
}

async fn check_against_database(
    conn: &mut PgConnection,
    rows: Vec<MemberImportRow>,
) -> AppResult<Vec<MemberImportRow>> {
    let departments = active_departments(conn).await?;
    let existing = members_db::by_name_and_sector(conn, &members::names(&rows)).await?;
    Ok(members::check(rows, &departments, &existing))
}

/// Writes the rows without problems in one transaction, after checking every
/// row again against the register as it is now; rows with problems are left
/// out and counted.
pub async fn commit(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    _: CsrfChecked,
) -> AppResult<Response> {
    user.require(Permission::ManageMembers)?;
    let mut tx = state.pool.begin().await?;
    let import = members_db::lock_import(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if import.committed || !members_db::mark_import_committed(&mut tx, id, user.id()).await? {
        Flash::error("members-import-already-committed").set(&session).await?;
        return Ok(Redirect::to("/org/members/import").into_response());
    }
    let rows = check_against_database(&mut tx, import.rows).await?;
    let (created, updated) = write_rows(&mut tx, &user, id, &rows).await?;
    let skipped = rows.len() - created - updated;
    let summary = json!({ "created": created, "updated": updated, "skipped": skipped });
    audit::record(&mut tx, &user.audit, AuditEvent::new("member_import.committed", "member_import", id, summary))
        .await?;
    tx.commit().await?;
    Flash::success_named("members-import-committed", (created + updated).to_string()).set(&session).await?;
    Ok(Redirect::to("/org/members").into_response())
}

/// Creates or updates the member of each row without problems, each with its
/// audit row; returns how many were created and updated.
async fn write_rows(
    tx: &mut PgConnection,
    user: &CurrentUser,
    import_id: i64,
    rows: &[MemberImportRow],
) -> AppResult<(usize, usize)> {
    let (mut created, mut updated) = (0, 0);
    for row in rows {
        let source = json!({ "import": import_id, "line": row.line });
        match &row.action {
            Some(RowAction::Create(fields)) => {
                let data = MemberData::from_fields(fields.clone(), true);
                let member = members_db::insert(tx, &data).await?;
                let summary = json!({ "after": summary(&data), "source": source });
                audit::record(tx, &user.audit, AuditEvent::new("member.created", "member", member, summary)).await?;
                created += 1;
            }
            Some(RowAction::Update(member, fields)) => {
                let Some(before) = members_db::overwrite(tx, *member, fields).await? else { continue };
                let before = MemberData::from_row(&before);
                let after = MemberData::from_fields(fields.clone(), before.active);
                let summary = json!({ "before": summary(&before), "after": summary(&after), "source": source });
                audit::record(tx, &user.audit, AuditEvent::new("member.updated", "member", *member, summary)).await?;
                updated += 1;
            }
            None => {}
        }
    }
    Ok((created, updated))
}

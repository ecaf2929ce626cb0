//! Roster import (花名册导入): upload a CSV or XLSX file, see every row checked,
//! then commit all of it or nothing. Only the system administrator imports.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::{CsrfChecked, CsrfMultipart};
use crate::auth::password::initial_password;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::is_unique_violation;
use crate::db::roster::{self as roster_db, CreatedPerson};
use crate::domain::files::content_disposition;
use crate::domain::policy::Permission;
use crate::domain::roster::{self, Column, FileError, MAX_FILE_BYTES, RosterRow, RowError};
use crate::error::{AppError, AppResult};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

/// The upload route's body limit: the largest file plus room for the form around it.
pub fn upload_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024)
}

#[derive(Template)]
#[template(path = "org/import.html")]
pub struct ImportPage {
    pub ctx: PageContext,
    /// Why the uploaded file was refused.
    pub error: Option<FileError>,
    pub columns: [Column; 7],
}

pub async fn upload_form(user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    user.require(Permission::ImportRoster)?;
    render(&ImportPage { ctx, error: None, columns: Column::ALL })
}

/// `GET /org/import/samples/{file}`: the sample roster files, to download and fill in.
pub async fn sample(user: CurrentUser, Path(file): Path<String>) -> AppResult<Response> {
    user.require(Permission::ImportRoster)?;
    sample_file(
        &file,
        ("roster-sample.csv", include_bytes!("../../../docs/roster-sample.csv")),
        ("roster-sample.xlsx", include_bytes!("../../../docs/roster-sample.xlsx")),
    )
}

/// One of an import's two sample files, `csv` or `xlsx` by name, served as a
/// download; any other name is 404.
pub fn sample_file(file: &str, csv: (&str, &'static [u8]), xlsx: (&str, &'static [u8])) -> AppResult<Response> {
    let (bytes, content_type): (&'static [u8], &'static str) = if file == csv.0 {
        (csv.1, "text/csv; charset=utf-8")
    } else if file == xlsx.0 {
        (xlsx.1, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    } else {
        return Err(AppError::NotFound);
    };
    let disposition = content_disposition(file);
    Ok(([(header::CONTENT_TYPE, content_type), (header::CONTENT_DISPOSITION, disposition.as_str())], bytes)
        .into_response())
}

fn file_refused(ctx: PageContext, error: FileError) -> AppResult<Response> {
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &ImportPage { ctx, error: Some(error), columns: Column::ALL })
}

#[derive(Template)]
#[template(path = "org/import_preview.html")]
pub struct ImportPreviewPage {
    pub ctx: PageContext,
    pub id: i64,
    pub file_name: String,
    pub rows: Vec<RosterRow>,
    pub row_count: i64,
    pub error_count: i64,
    /// The commit found problems that the preview did not show.
    pub changed: bool,
}

impl ImportPreviewPage {
    fn new(ctx: PageContext, id: i64, file_name: String, rows: Vec<RosterRow>, changed: bool) -> ImportPreviewPage {
        let error_count = rows.iter().filter(|r| r.has_errors()).count() as i64;
        ImportPreviewPage { ctx, id, file_name, row_count: rows.len() as i64, rows, error_count, changed }
    }
}

/// Reads, checks and stores the file, then shows every row with its problems.
/// Rows with errors are stored too, so that the preview the administrator sees
/// is the one a commit would re-check.
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    form: Result<CsrfMultipart, AppError>,
) -> AppResult<Response> {
    user.require(Permission::ImportRoster)?;
    let CsrfMultipart(multipart) = form?;
    let read = read_upload(multipart).await.and_then(|(file_name, bytes)| {
        let rows = roster::read_rows(&roster::parse(&bytes)?)?;
        Ok((file_name, rows))
    });
    let (file_name, rows) = match read {
        Ok(read) => read,
        Err(error) => return file_refused(ctx, error),
    };
    let mut tx = state.pool.begin().await?;
    let rows = check_against_database(&mut tx, rows).await?;
    let id = roster_db::insert(&mut tx, user.id(), &file_name, &rows).await?;
    let with_errors = rows.iter().filter(|r| r.has_errors()).count();
    let summary = json!({ "file_name": file_name, "rows": rows.len(), "rows_with_errors": with_errors });
    audit::record(&mut tx, &user.audit, AuditEvent::new("roster.previewed", "roster_import", id, summary)).await?;
    tx.commit().await?;
    render(&ImportPreviewPage::new(ctx, id, file_name, rows, false))
}

/// The `file` field: its name (without any path) and bytes, refused when
/// missing, empty or larger than the imports take (the members import reads
/// its file the same way).
pub(crate) async fn read_upload(mut multipart: Multipart) -> Result<(String, Vec<u8>), FileError> {
    let refused = |err: axum::extract::multipart::MultipartError| match err.status() {
        StatusCode::PAYLOAD_TOO_LARGE => FileError::TooLarge,
        _ => FileError::Unreadable,
    };
    while let Some(mut field) = multipart.next_field().await.map_err(refused)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default();
        let name: String = name.rsplit(['/', '\\']).next().unwrap_or_default().trim().chars().take(200).collect();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(refused)? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_FILE_BYTES {
                return Err(FileError::TooLarge);
            }
        }
        return if bytes.is_empty() { Err(FileError::NoFile) } else { Ok((name, bytes)) };
    }
    Err(FileError::NoFile)
}

async fn check_against_database(conn: &mut PgConnection, rows: Vec<RosterRow>) -> AppResult<Vec<RosterRow>> {
    let departments = roster_db::active_departments(conn).await?;
    let taken = roster_db::taken_usernames(conn, &roster::usernames(&rows)).await?;
    Ok(roster::check(rows, &departments, &taken))
}

/// An account created by the import, with its initial password (shown once, never stored).
#[derive(Debug, Clone)]
pub struct CreatedAccount {
    pub username: String,
    pub full_name: String,
    pub department: String,
    pub post: String,
    pub initial_password: String,
}

#[derive(Template)]
#[template(path = "org/import_result.html")]
pub struct ImportResultPage {
    pub ctx: PageContext,
    pub accounts: Vec<CreatedAccount>,
}

/// Creates everyone in one transaction after checking the rows again against
/// the database as it is now; any problem creates nobody.
pub async fn commit(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    mut ctx: PageContext,
    Path(id): Path<i64>,
    _: CsrfChecked,
) -> AppResult<Response> {
    user.require(Permission::ImportRoster)?;
    let import = roster_db::find(&mut *state.pool.acquire().await?, id).await?.ok_or(AppError::NotFound)?;
    if import.committed {
        return already_committed(&session).await;
    }
    // Hashing is slow: done before the transaction, which then stays short.
    let passwords = initial_passwords(&state, import.rows.len()).await?;
    let mut tx = state.pool.begin().await?;
    let import = roster_db::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if import.committed {
        return already_committed(&session).await;
    }
    let rows = check_against_database(&mut tx, import.rows).await?;
    if rows.iter().any(RosterRow::has_errors) {
        return changed_since_preview(ctx, id, import.file_name, rows);
    }
    let accounts = match create_people(&mut tx, &user, id, rows, passwords, state.clock.today()).await? {
        Ok(accounts) => accounts,
        Err(rows) => return changed_since_preview(ctx, id, import.file_name, rows),
    };
    if !roster_db::mark_committed(&mut tx, id, user.id()).await? {
        return already_committed(&session).await;
    }
    tx.commit().await?;
    ctx.flash = Some(Flash::success_named("import-committed", accounts.len().to_string()));
    render(&ImportResultPage { ctx, accounts })
}

async fn already_committed(session: &Session) -> AppResult<Response> {
    Flash::error("import-already-committed").set(session).await?;
    Ok(Redirect::to("/org/import").into_response())
}

fn changed_since_preview(ctx: PageContext, id: i64, file_name: String, rows: Vec<RosterRow>) -> AppResult<Response> {
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &ImportPreviewPage::new(ctx, id, file_name, rows, true))
}

/// A random initial password and its hash per account, hashed in parallel as
/// far as the hasher allows.
async fn initial_passwords(state: &AppState, count: usize) -> AppResult<Vec<(String, String)>> {
    let mut hashing = tokio::task::JoinSet::new();
    for index in 0..count {
        let hasher = state.passwords.clone();
        hashing.spawn(async move {
            let password = initial_password();
            let hash = hasher.hash(password.clone()).await?;
            anyhow::Ok((index, password, hash))
        });
    }
    let mut pairs = vec![(String::new(), String::new()); count];
    while let Some(done) = hashing.join_next().await {
        let (index, password, hash) = done.map_err(anyhow::Error::from)??;
        pairs[index] = (password, hash);
    }
    Ok(pairs)
}

/// Creates the people of checked rows with their audit rows and the import's
/// summary row. A username taken in the meantime gives back the rows with that
/// error (the caller's transaction then rolls back).
async fn create_people(
    tx: &mut PgConnection,
    user: &CurrentUser,
    import_id: i64,
    mut rows: Vec<RosterRow>,
    passwords: Vec<(String, String)>,
    today: chrono::NaiveDate,
) -> AppResult<Result<Vec<CreatedAccount>, Vec<RosterRow>>> {
    if rows.len() != passwords.len() {
        return Err(anyhow::anyhow!("{} passwords for {} roster rows", passwords.len(), rows.len()).into());
    }
    let mut accounts = Vec::with_capacity(rows.len());
    let (mut posts_created, mut posts_assigned) = (0, 0);
    for (index, (password, hash)) in passwords.into_iter().enumerate() {
        let row = &rows[index];
        let person = row.person.as_ref().ok_or_else(|| anyhow::anyhow!("an unchecked roster row"))?;
        let created = match roster_db::create_person(tx, person, &hash, today).await {
            Err(err) if is_unique_violation(&err, "person_username_unique") => {
                rows[index].errors.push(RowError::UsernameTaken);
                return Ok(Err(rows));
            }
            other => other?,
        };
        posts_created += created.post.as_ref().is_some_and(|p| p.created) as usize;
        posts_assigned += created.post.is_some() as usize;
        let event = AuditEvent::new("person.created", "person", created.id, person_summary(import_id, &created));
        audit::record(tx, &user.audit, event).await?;
        accounts.push(CreatedAccount {
            username: person.username.clone(),
            full_name: person.full_name.clone(),
            department: row.values.department.clone(),
            post: person.post.clone().unwrap_or_default(),
            initial_password: password,
        });
    }
    let summary = json!({ "people": accounts.len(), "posts_created": posts_created, "posts_assigned": posts_assigned });
    audit::record(tx, &user.audit, AuditEvent::new("roster.committed", "roster_import", import_id, summary)).await?;
    Ok(Ok(accounts))
}

fn person_summary(import_id: i64, created: &CreatedPerson) -> serde_json::Value {
    let data = &created.data;
    let person = json!({
        "username": data.username, "full_name": data.full_name, "identity_type": data.identity_type.code(),
        "rank": data.rank, "department_id": data.department_id, "phone": data.phone, "active": data.active,
    });
    let post = created
        .post
        .as_ref()
        .map(|p| json!({ "post_id": p.post_id, "created": p.created, "previous_a_holder_id": p.previous_a_holder_id }));
    json!({ "after": { "person": person, "roles": ["staff"] }, "import": import_id, "post": post })
}

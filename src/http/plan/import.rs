//! Target import (目标导入, docs/DOMAIN.md §20.3): a department's targets for a
//! cycle in planning, uploaded as CSV or XLSX in the layout of the target
//! exports; every row is shown with its problems and its line in the file,
//! and nothing is written until the import is confirmed, all rows in one
//! transaction. The head imports for the departments they head, the
//! performance office for any.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use tower_sessions::Session;

use crate::auth::csrf::{CsrfChecked, CsrfMultipart};
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::departments::{self, DepartmentChoice};
use crate::db::plan_boards::{self, CycleChoice};
use crate::db::target_import as db;
use crate::domain::plan::CycleStage;
use crate::domain::policy::{self, Permission};
use crate::domain::spreadsheet::{self, FileError, MAX_FILE_BYTES};
use crate::domain::target_import::{self, Column, ImportRow, PlanSummary};
use crate::error::{AppError, AppResult};
use crate::http::forms::BoardQuery;
use crate::http::org::import::sample_file;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::workflow::target_import as workflow;

#[derive(Template)]
#[template(path = "plan/import.html")]
pub struct TargetImportPage {
    pub ctx: PageContext,
    /// The cycles in planning and the departments the person imports for.
    pub cycles: Vec<CycleChoice>,
    pub departments: Vec<DepartmentChoice>,
    pub cycle: Option<i64>,
    pub department: Option<i64>,
    /// The cycle or department sent was not one offered.
    pub choice_error: bool,
    pub error: Option<FileError>,
    pub columns: [Column; 16],
}

impl TargetImportPage {
    pub fn is_cycle(&self, id: &i64) -> bool {
        self.cycle == Some(*id)
    }

    pub fn is_department(&self, id: &i64) -> bool {
        self.department == Some(*id)
    }
}

/// The cycles in planning, and the departments of `scope` (`None`: every active one).
async fn choices(state: &AppState, scope: &Option<Vec<i64>>) -> AppResult<(Vec<CycleChoice>, Vec<DepartmentChoice>)> {
    let mut conn = state.pool.acquire().await?;
    let cycles = plan_boards::cycle_choices(&mut conn).await?.into_iter().filter(|c| c.stage == CycleStage::Planning);
    let departments = departments::choices(&mut conn).await?;
    let departments = departments.into_iter().filter(|d| scope.as_ref().is_none_or(|ids| ids.contains(&d.id)));
    Ok((cycles.collect(), departments.collect()))
}

/// The upload page, with the choices made so far.
async fn upload_page(
    state: &AppState,
    ctx: PageContext,
    scope: &Option<Vec<i64>>,
    (cycle, department): (Option<i64>, Option<i64>),
    (choice_error, error): (bool, Option<FileError>),
) -> AppResult<TargetImportPage> {
    let (cycles, departments) = choices(state, scope).await?;
    let columns = Column::ALL;
    Ok(TargetImportPage { ctx, cycles, departments, cycle, department, choice_error, error, columns })
}

/// `GET /plan/import`: the upload form (`?cycle=&department=` preselects them).
pub async fn upload_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    let scope = policy::require_target_importer(user.grants())?;
    let chosen = (query.cycle_id(), query.department_id());
    render(&upload_page(&state, ctx, &scope, chosen, (false, None)).await?)
}

/// `GET /plan/import/samples/{file}`: the sample files, to download and fill in.
pub async fn sample(user: CurrentUser, Path(file): Path<String>) -> AppResult<Response> {
    policy::require_target_importer(user.grants())?;
    sample_file(
        &file,
        ("targets-sample.csv", include_bytes!("../../../docs/targets-sample.csv")),
        ("targets-sample.xlsx", include_bytes!("../../../docs/targets-sample.xlsx")),
    )
}

#[derive(Template)]
#[template(path = "plan/import_preview.html")]
pub struct TargetImportPreviewPage {
    pub ctx: PageContext,
    pub id: i64,
    pub file_name: String,
    pub cycle_name: String,
    pub department_name: String,
    pub rows: Vec<ImportRow>,
    pub plans: Vec<PlanSummary>,
    pub row_count: i64,
    pub error_count: i64,
    /// The confirmation found problems the preview did not show.
    pub changed: bool,
}

impl TargetImportPreviewPage {
    fn new(
        ctx: PageContext,
        (id, file_name): (i64, String),
        (cycle_name, department_name): (String, String),
        (rows, plans): (Vec<ImportRow>, Vec<PlanSummary>),
        changed: bool,
    ) -> TargetImportPreviewPage {
        let error_count = rows.iter().filter(|r| r.has_errors()).count() as i64;
        let row_count = rows.len() as i64;
        TargetImportPreviewPage {
            ctx,
            id,
            file_name,
            cycle_name,
            department_name,
            rows,
            plans,
            row_count,
            error_count,
            changed,
        }
    }
}

/// `POST /plan/import`: reads and checks the file against the chosen cycle
/// and department and shows every row with its problems. Nothing is written
/// but the preview itself, which replaces the person's earlier unconfirmed ones.
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    form: Result<CsrfMultipart, AppError>,
) -> AppResult<Response> {
    let scope = policy::require_target_importer(user.grants())?;
    let CsrfMultipart(multipart) = form?;
    let (chosen, file) = read_form(multipart).await;
    let (cycles, departments) = choices(&state, &scope).await?;
    let cycle = cycles.iter().find(|c| Some(c.id) == chosen.0).cloned();
    let department = departments.iter().find(|d| Some(d.id) == chosen.1).cloned();
    let (Some(cycle), Some(department)) = (cycle, department) else {
        // An id the form did not offer (another department's, a cycle out of planning).
        let page = upload_page(&state, ctx, &scope, chosen, (true, file.err())).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let read = file.and_then(|(name, bytes)| Ok((name, target_import::read_rows(spreadsheet::parse(&bytes)?)?)));
    let (file_name, rows) = match read {
        Ok(read) => read,
        Err(error) => {
            let page = upload_page(&state, ctx, &scope, chosen, (false, Some(error))).await?;
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let ids = (cycle.id, department.id);
    let mut tx = state.pool.begin().await?;
    db::discard_unconfirmed(&mut tx, user.id()).await?;
    let facts = workflow::facts(&mut tx, ids, &department.name, &rows, false).await?.ok_or(AppError::NotFound)?;
    let rows = target_import::check(rows, &facts);
    let plans = target_import::summaries(&rows, &facts);
    let id = db::insert(&mut tx, user.id(), ids, &file_name, &rows).await?;
    let errors = rows.iter().filter(|r| r.has_errors()).count();
    let summary = json!({ "file_name": file_name, "cycle_id": cycle.id, "department_id": department.id,
                          "rows": rows.len(), "rows_with_errors": errors });
    audit::record(&mut tx, &user.audit, AuditEvent::new("target_import.previewed", "target_import", id, summary))
        .await?;
    tx.commit().await?;
    let page = TargetImportPreviewPage::new(ctx, (id, file_name), (cycle.name, department.name), (rows, plans), false);
    render(&page)
}

/// `POST /plan/import/{id}/commit`: checks every row again against the plans
/// as they are now (locked) and writes them all, or nothing when a row has a
/// problem. Only the uploader confirms (anyone else: 404); a second
/// confirmation writes nothing.
pub async fn commit(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    _: CsrfChecked,
) -> AppResult<Response> {
    policy::require_target_importer(user.grants())?;
    let mut tx = state.pool.begin().await?;
    let import = db::lock(&mut tx, id).await?.filter(|i| i.uploaded_by == user.id()).ok_or(AppError::NotFound)?;
    policy::require_import_targets_for(user.grants(), import.department_id)?;
    if import.committed {
        Flash::error("target-import-already-committed").set(&session).await?;
        return Ok(Redirect::to("/plan/import").into_response());
    }
    let ids = (import.cycle_id, import.department_id);
    let department = departments::find(&mut tx, import.department_id).await?.ok_or(AppError::NotFound)?;
    let facts = workflow::facts(&mut tx, ids, &department.name, &import.rows, true).await?.ok_or(AppError::NotFound)?;
    let rows = target_import::check(import.rows, &facts);
    if rows.iter().any(ImportRow::has_errors) {
        let cycle = db::cycle(&mut tx, import.cycle_id).await?.map(|c| c.name).unwrap_or_default();
        let plans = target_import::summaries(&rows, &facts);
        let names = (cycle, department.name);
        let page = TargetImportPreviewPage::new(ctx, (id, import.file_name), names, (rows, plans), true);
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let (written, opened) = workflow::write(&mut tx, &user.audit, id, ids, &rows).await?;
    if !db::mark_committed(&mut tx, id, user.id()).await? {
        return Err(AppError::Conflict);
    }
    let summary = json!({ "targets": written, "plans_opened": opened, "cycle_id": ids.0, "department_id": ids.1 });
    audit::record(&mut tx, &user.audit, AuditEvent::new("target_import.committed", "target_import", id, summary))
        .await?;
    tx.commit().await?;
    Flash::success_named("target-import-committed", written.to_string()).set(&session).await?;
    let board = if user.may(Permission::ViewAllPlans) { "/plan/board" } else { "/plan/department" };
    Ok(Redirect::to(&format!("{board}?cycle={}&department={}", ids.0, ids.1)).into_response())
}

/// The form's cycle and department (ids as sent, `None` when not numbers)
/// and its file: its name (without any path) and bytes, or why it cannot be used.
type UploadForm = ((Option<i64>, Option<i64>), Result<(String, Vec<u8>), FileError>);

async fn read_form(mut multipart: Multipart) -> UploadForm {
    let refused = |err: axum::extract::multipart::MultipartError| match err.status() {
        StatusCode::PAYLOAD_TOO_LARGE => FileError::TooLarge,
        _ => FileError::Unreadable,
    };
    let (mut cycle, mut department) = (None, None);
    let mut file = Err(FileError::NoFile);
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => return ((cycle, department), Err(refused(err))),
        };
        match field.name() {
            Some("cycle") => cycle = field.text().await.ok().and_then(|t| t.trim().parse().ok()),
            Some("department") => department = field.text().await.ok().and_then(|t| t.trim().parse().ok()),
            Some("file") => {
                let name = field.file_name().unwrap_or_default();
                let name: String =
                    name.rsplit(['/', '\\']).next().unwrap_or_default().trim().chars().take(200).collect();
                let mut bytes = Vec::new();
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                        Ok(None) => break,
                        Err(err) => return ((cycle, department), Err(refused(err))),
                    }
                    if bytes.len() > MAX_FILE_BYTES {
                        return ((cycle, department), Err(FileError::TooLarge));
                    }
                }
                file = if bytes.is_empty() { Err(FileError::NoFile) } else { Ok((name, bytes)) };
            }
            _ => {}
        }
    }
    ((cycle, department), file)
}

//! Background exports (docs/DOMAIN.md §20.3): the office's whole target list
//! (a cycle's, or every year's) is too large to build within a request, so
//! asking for it starts a job; `/exports` shows one's jobs with their
//! progress, and `/exports/{id}` gives the requester the finished file.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::export_jobs::{self, JobRow, NewJob};
use crate::db::plan_boards::{self, CycleChoice};
use crate::db::target_export::TargetScope;
use crate::domain::files::content_disposition;
use crate::domain::policy::Permission;
use crate::error::{AppError, AppResult};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::workflow::export_jobs::{self as jobs, TargetJob};
use crate::workflow::target_sheet::HEADERS;
use crate::xlsx;

/// Jobs the list shows.
const LISTED: i64 = 50;

#[derive(Template)]
#[template(path = "exports/list.html")]
pub struct ExportsPage {
    pub ctx: PageContext,
    pub jobs: Vec<JobRow>,
    /// Whether the person may start an export of the office's targets.
    pub can_start: bool,
    pub cycles: Vec<CycleChoice>,
    /// Why the last request was refused (a locale key), shown with 422.
    pub error: Option<&'static str>,
}

async fn page(state: &AppState, user: &CurrentUser) -> AppResult<(Vec<JobRow>, Vec<CycleChoice>)> {
    let mut conn = state.pool.acquire().await?;
    // docs/DOMAIN.md §20.3: a look at the list fails the jobs whose instance has gone.
    jobs::upkeep(&mut conn).await?;
    let list = export_jobs::list_for(&mut conn, user.id(), LISTED).await?;
    let cycles =
        if user.may(Permission::ViewAllPlans) { plan_boards::cycle_choices(&mut conn).await? } else { Vec::new() };
    Ok((list, cycles))
}

/// `GET /exports`: one's own export jobs, newest first. Any signed-in person
/// (someone who started none sees an empty list).
pub async fn list(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let (jobs, cycles) = page(&state, &user).await?;
    render(&ExportsPage { ctx, jobs, can_start: user.may(Permission::ViewAllPlans), cycles, error: None })
}

#[derive(Debug, Deserialize)]
pub struct StartForm {
    #[serde(default)]
    scope: String,
    #[serde(default)]
    cycle: String,
}

/// `POST /exports`: starts an export of every target of a cycle, or of all
/// years, for whoever reads the whole office's plans. The job runs in this
/// instance after the answer; a cycle that is not offered is refused with 422.
pub async fn start(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<StartForm>,
) -> AppResult<Response> {
    user.require(Permission::ViewAllPlans)?;
    let cycles = plan_boards::cycle_choices(&mut *state.pool.acquire().await?).await?;
    let chosen = cycles.iter().find(|c| form.cycle.trim().parse::<i64>().ok() == Some(c.id));
    let (scope, detail, stem) = match (form.scope.as_str(), chosen) {
        ("all", _) => (TargetScope::All, ctx.t("exports-all-cycles"), "targets-all".to_string()),
        ("cycle", Some(c)) => (
            TargetScope::Cycle { cycle_id: c.id, departments: None },
            c.name.clone(),
            format!("targets-cycle-{}", c.id),
        ),
        _ => {
            let (jobs, cycles) = page(&state, &user).await?;
            let error = Some("exports-error-scope");
            return render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ExportsPage { ctx, jobs, can_start: true, cycles, error },
            );
        }
    };
    let now = state.clock.now();
    let head = ctx.sheet_head("target-sheet-title", Some(&detail), &HEADERS, false, now);
    let file_name = format!("{stem}-{}.xlsx", now.with_timezone(&crate::clock::OFFICE_TZ).format("%Y%m%d"));
    let parameters = json!({ "scope": scope, "lang": ctx.lang.tag() });
    let mut tx = state.pool.begin().await?;
    let job = NewJob { kind: "targets", title: &head.title, parameters, file_name: &file_name };
    let id = export_jobs::insert(&mut tx, user.id(), &job).await?;
    let summary = json!({ "kind": "targets", "title": head.title, "choice": scope });
    audit::record(&mut tx, &user.audit, AuditEvent::new("export.requested", "export_job", id, summary)).await?;
    tx.commit().await?;
    jobs::spawn(state.pool.clone(), TargetJob { id, scope, head, lang: ctx.lang });
    Flash::success("exports-started").set(&session).await?;
    Ok(Redirect::to("/exports").into_response())
}

/// `GET /exports/{id}`: the finished file, to its requester only; for anyone
/// else the job does not exist (404). A job not finished yet sends back to the list.
pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let job = export_jobs::find(&mut conn, id).await?.filter(|job| job.requested_by == user.id());
    let job = job.ok_or(AppError::NotFound)?;
    let file = if job.downloadable() { export_jobs::file(&mut conn, id).await? } else { None };
    let Some(bytes) = file else {
        Flash::error("exports-not-ready").set(&session).await?;
        return Ok(Redirect::to("/exports").into_response());
    };
    let disposition = content_disposition(&job.file_name);
    Ok(([(header::CONTENT_TYPE, xlsx::CONTENT_TYPE.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}

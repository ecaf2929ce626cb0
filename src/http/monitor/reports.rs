//! Progress reports (进度填报) with evidence files: the person's targets and
//! due periods, the report form, the report page with verification, the
//! head's queue, and evidence downloads.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::auth::session::CurrentUser;
use crate::db::attachments::{self, AttachmentMeta, NewAttachment};
use crate::db::audit::{self, AuditEvent};
use crate::db::reports::{
    self, Decision, HistoryRow, ReportData, ReportListRow, ReportRow, ReportingScope, ReportingTarget, Sender,
};
use crate::db::targets;
use crate::domain::monitor::{ProgressState, ReportStatus, ReportStep, report_transition};
use crate::domain::plan::completion_rate;
use crate::domain::reports::{self as rules, NewReport, PeriodView};
use crate::domain::roles::Role;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::files::{UploadError, attachment_response, read_upload};
use crate::http::forms::FormErrors;
use crate::http::org::departments::is_unique_violation;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::http::plan::queue::decider_scope;
use crate::http::plan::target_form::optional_decimal;
use crate::state::AppState;

/// The largest value a report holds (numeric(14, 2)).
const MAX_VALUE: i64 = 1_000_000_000_000;
const MAX_TEXT: usize = 2000;

/// The file types the form offers to choose (the server judges by content).
pub const ACCEPT: &str = ".pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.doc,.xls,.ppt";

/// The body limit of the upload routes: the global 25 MiB instead of axum's
/// 2 MB multipart default; each file is then held to `max_upload_bytes`.
pub fn upload_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(25 * 1024 * 1024)
}

/// A target the person reports on, with the period to look at first.
pub struct MyReportRow {
    pub target: ReportingTarget,
    pub focus: Option<PeriodView>,
    /// Late periods other than the focus one.
    pub other_late: Vec<PeriodView>,
}

#[derive(Template)]
#[template(path = "monitor/reports.html")]
pub struct MyReportsPage {
    pub ctx: PageContext,
    pub rows: Vec<MyReportRow>,
}

/// 我的进度填报: every target the person reports on now, its latest due period.
pub async fn my_reports(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let today = state.clock.today();
    let scope = ReportingScope { person_id: user.id(), heads: heads(&user), ..Default::default() };
    let targets = reports::reporting(&mut *state.pool.acquire().await?, &scope, today).await?;
    let rows = targets
        .into_iter()
        .map(|target| {
            let focus = rules::focus_period(&target.periods, today).copied();
            let other_late =
                target.late_periods().filter(|p| Some(p.start) != focus.map(|f| f.start)).copied().collect();
            MyReportRow { target, focus, other_late }
        })
        .collect();
    render(&MyReportsPage { ctx, rows })
}

fn heads(user: &CurrentUser) -> Vec<i64> {
    user.principal.grants.departments_for(Role::DepartmentHead)
}

/// The target if the person may report on it now (owner, or B acting for an
/// absent A). `Ok(None)` for the owner of a target not open for reports;
/// Forbidden for anyone else.
async fn target_to_report(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: i64,
    today: NaiveDate,
) -> AppResult<Option<ReportingTarget>> {
    let scope = ReportingScope { person_id: user.id(), heads: heads(user), target: Some(id), watch: Vec::new() };
    if let Some(target) = reports::reporting(conn, &scope, today).await?.into_iter().find(|t| t.reports_here()) {
        return Ok(Some(target));
    }
    let target = targets::find_target(conn, id).await?.ok_or(AppError::NotFound)?;
    if target.owner_id == Some(user.id()) { Ok(None) } else { Err(AppError::Forbidden) }
}

async fn back_with(session: &Session, flash: Flash, to: &str) -> AppResult<Response> {
    flash.set(session).await?;
    Ok(Redirect::to(to).into_response())
}

/// The report form as typed, kept when it is shown again with errors (files
/// cannot be kept: the person chooses them again).
#[derive(Debug, Clone, Default)]
pub struct ReportForm {
    pub period_start: String,
    pub reported_value: String,
    pub state: String,
    pub narrative: String,
    pub problems: String,
    pub next_steps: String,
    pub version: i32,
}

impl ReportForm {
    fn from_row(row: &ReportRow) -> ReportForm {
        ReportForm {
            period_start: row.period_start.to_string(),
            reported_value: row.reported_value.map(|v| v.normalize().to_string()).unwrap_or_default(),
            state: row.state.code().into(),
            narrative: row.narrative.clone(),
            problems: row.problems.clone(),
            next_steps: row.next_steps.clone(),
            version: row.version,
        }
    }

    fn set(&mut self, name: &str, value: String) {
        match name {
            "period_start" => self.period_start = value,
            "reported_value" => self.reported_value = value,
            "state" => self.state = value,
            "narrative" => self.narrative = value,
            "problems" => self.problems = value,
            "next_steps" => self.next_steps = value,
            "version" => self.version = value.trim().parse().unwrap_or(0),
            _ => {}
        }
    }

    fn validate(&self, errors: &mut FormErrors) -> ReportData {
        ReportData {
            reported_value: errors.check("reported_value", report_value(&self.reported_value)),
            state: errors.check("state", ProgressState::parse(&self.state).map(Some).ok_or(FieldError::Required)),
            narrative: errors.check("narrative", validate::required_text(&self.narrative, MAX_TEXT)),
            problems: errors.check("problems", validate::optional_text(&self.problems, MAX_TEXT)),
            next_steps: errors.check("next_steps", validate::optional_text(&self.next_steps, MAX_TEXT)),
        }
    }

    /// The started period the form names, or an error on the field.
    fn period(&self, target: &ReportingTarget, errors: &mut FormErrors) -> Option<PeriodView> {
        let period = NaiveDate::parse_from_str(self.period_start.trim(), "%Y-%m-%d")
            .ok()
            .and_then(|d| target.period(d).copied());
        if period.is_none() {
            errors.add("period_start", FieldError::Invalid);
        }
        period
    }
}

/// A reported or audited value: required, at most 2 decimals kept, within numeric(14, 2).
fn report_value(value: &str) -> Result<Option<Decimal>, FieldError> {
    let value = optional_decimal(value)?.ok_or(FieldError::Required)?;
    if value.abs() >= Decimal::from(MAX_VALUE) { Err(FieldError::Invalid) } else { Ok(Some(value.round_dp(2))) }
}

/// A multipart report form read to the end: its fields, the checked files,
/// and the first upload error (then nothing is stored).
#[derive(Default)]
struct Upload {
    form: ReportForm,
    files: Vec<NewAttachment>,
    file_error: Option<UploadError>,
}

async fn read_report_form(mut multipart: Multipart, max_bytes: usize) -> AppResult<Upload> {
    let mut upload = Upload::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => {
                let error = if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    UploadError::TooLarge
                } else {
                    UploadError::Unreadable
                };
                upload.file_error.get_or_insert(error);
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "files" {
            if upload.file_error.is_none() {
                match read_upload(field, max_bytes).await {
                    Ok(Some(file)) => upload.files.push(file),
                    Ok(None) => {}
                    Err(error) => upload.file_error = Some(error),
                }
            }
        } else {
            let value = field.text().await.map_err(|_| AppError::BadRequest)?;
            upload.form.set(&name, value);
        }
    }
    Ok(upload)
}

/// Stores the files of a report, each with its audit row.
async fn store_files(
    conn: &mut PgConnection,
    user: &CurrentUser,
    report_id: i64,
    files: &[NewAttachment],
) -> AppResult<()> {
    for file in files {
        let id = attachments::insert(conn, "progress_report", report_id, file, user.id()).await?;
        let summary = json!({
            "owner_type": "progress_report", "owner_id": report_id, "file_name": file.file_name,
            "content_type": file.content_type, "size": file.bytes.len(), "sha256": file.sha256,
        });
        audit::record(conn, &user.audit, AuditEvent::new("attachment.uploaded", "attachment", id, summary)).await?;
    }
    Ok(())
}

#[derive(Template)]
#[template(path = "monitor/report_form.html")]
pub struct ReportFormPage {
    pub ctx: PageContext,
    pub target: ReportingTarget,
    pub period: PeriodView,
    /// The verified report this one corrects.
    pub corrects: Option<i64>,
    pub form: ReportForm,
    pub errors: FormErrors,
    pub file_error: Option<UploadError>,
    /// A form-level refusal (a report of the period is still open).
    pub refusal: Option<&'static str>,
    pub accept: &'static str,
}

impl ReportFormPage {
    /// The completion the typed value gives, if it parses.
    pub fn completion(&self) -> Option<Decimal> {
        let value = optional_decimal(&self.form.reported_value).ok().flatten()?;
        completion_rate(value, self.target.target_value?, self.target.direction, self.target.completion_cap)
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.file_error.is_some() || self.refusal.is_some()
    }

    /// The page for a sent form, with its errors (a period still open is a
    /// refusal), and what the form reports.
    fn submitted(
        ctx: PageContext,
        target: ReportingTarget,
        form: ReportForm,
        file_error: Option<UploadError>,
        today: NaiveDate,
    ) -> AppResult<(ReportFormPage, ReportData)> {
        let mut errors = FormErrors::default();
        let data = form.validate(&mut errors);
        let chosen = form.period(&target, &mut errors);
        let (corrects, refusal) = match chosen.map(|p| rules::new_report(&p)) {
            Some(NewReport::Correction(report)) => (Some(report), None),
            Some(NewReport::StillOpen(_)) => (None, Some("reports-error-still-open")),
            _ => (None, None),
        };
        let period =
            chosen.or_else(|| rules::focus_period(&target.periods, today).copied()).ok_or(AppError::NotFound)?;
        let page = ReportFormPage { ctx, target, period, corrects, form, errors, file_error, refusal, accept: ACCEPT };
        Ok((page, data))
    }
}

#[derive(Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    period: Option<String>,
}

/// The report form for one period (the latest due one by default).
pub async fn report_form(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    Query(query): Query<PeriodQuery>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let Some(target) = target_to_report(&mut conn, &user, id, state.clock.today()).await? else {
        return back_with(&session, Flash::error("reports-error-not-open"), "/monitor/reports").await;
    };
    let period = match query.period.as_deref().map(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d")) {
        Some(Ok(day)) => target.period(day).copied(),
        Some(Err(_)) => None,
        None => rules::focus_period(&target.periods, state.clock.today()).copied(),
    };
    let period = period.ok_or(AppError::NotFound)?;
    let corrects = match rules::new_report(&period) {
        NewReport::First => None,
        NewReport::Correction(report) => Some(report),
        NewReport::StillOpen(report) => {
            return back_with(
                &session,
                Flash::error("reports-error-still-open"),
                &format!("/monitor/reports/{report}"),
            )
            .await;
        }
    };
    let form = ReportForm { period_start: period.start.to_string(), ..Default::default() };
    let page = ReportFormPage {
        ctx,
        target,
        period,
        corrects,
        form,
        errors: FormErrors::default(),
        file_error: None,
        refusal: None,
        accept: ACCEPT,
    };
    render(&page)
}

/// Sends a report for a period (a correction when the period's report is verified).
pub async fn submit_report(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    form: Result<CsrfMultipart, AppError>,
) -> AppResult<Response> {
    let (target, max_bytes) = {
        let mut conn = state.pool.acquire().await?;
        let Some(target) = target_to_report(&mut conn, &user, id, state.clock.today()).await? else {
            return back_with(&session, Flash::error("reports-error-not-open"), "/monitor/reports").await;
        };
        (target, attachments::max_upload_bytes(&mut conn, state.clock.today()).await?)
    };
    let CsrfMultipart(multipart) = form?;
    let Upload { form, files, file_error } = read_report_form(multipart, max_bytes.max(1) as usize).await?;
    let (mut page, data) = ReportFormPage::submitted(ctx, target, form, file_error, state.clock.today())?;
    if page.has_errors() {
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let (period, corrects, acting_for) = (page.period, page.corrects, page.target.acting_for);
    let mut tx = state.pool.begin().await?;
    let sender = Sender { person_id: user.id(), acting_for };
    let report = match reports::create(&mut tx, id, (period.start, period.end), &data, sender, corrects).await {
        Err(err) if is_unique_violation(&err, "progress_report_one_open") => {
            page.refusal = Some("reports-error-still-open");
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        other => other?,
    };
    store_files(&mut tx, &user, report, &files).await?;
    let action = if corrects.is_some() { "progress_report.corrected" } else { "progress_report.submitted" };
    let summary = json!({
        "target_id": id, "period_start": period.start, "reported_value": data.reported_value,
        "state": data.state.map(|s| s.code()), "acting_for": acting_for, "corrects_id": corrects, "files": files.len(),
    });
    audit::record(&mut tx, &user.audit, AuditEvent::new(action, "progress_report", report, summary)).await?;
    tx.commit().await?;
    back_with(&session, Flash::success("reports-submitted"), &format!("/monitor/reports/{report}")).await
}

/// The verifier's form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub version: i32,
    #[serde(default)]
    pub audited_value: String,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub reason: String,
}

/// One step in a report's history.
pub struct HistoryView {
    pub row: HistoryRow,
    pub key: &'static str,
    pub note: String,
}

/// The locale key of a report's audited action.
pub fn action_key(action: &str) -> &'static str {
    match action {
        "progress_report.submitted" => "reports-action-submitted",
        "progress_report.corrected" => "reports-action-corrected",
        "progress_report.resubmitted" => "reports-action-resubmitted",
        "progress_report.verified" => "reports-action-verified",
        "progress_report.returned" => "reports-action-returned",
        _ => "reports-action-other",
    }
}

#[derive(Template)]
#[template(path = "monitor/report.html")]
pub struct ReportPage {
    pub ctx: PageContext,
    pub report: ReportRow,
    pub completion: Option<Decimal>,
    pub files: Vec<AttachmentMeta>,
    pub history: Vec<HistoryView>,
    pub others: Vec<ReportListRow>,
    pub can_verify: bool,
    pub can_resubmit: bool,
    pub can_correct: bool,
    pub decision: DecisionForm,
    pub decision_errors: FormErrors,
    pub resubmit: ReportForm,
    pub resubmit_errors: FormErrors,
    pub file_error: Option<UploadError>,
    pub conflict: bool,
    pub accept: &'static str,
}

impl ReportPage {
    pub fn status_badge(&self) -> &'static str {
        status_badge(self.report.status)
    }

    pub fn badge_of(&self, status: &ReportStatus) -> &'static str {
        status_badge(*status)
    }

    pub fn is_returned(&self) -> bool {
        self.report.status == ReportStatus::Returned
    }

    pub fn is_verified(&self) -> bool {
        self.report.status == ReportStatus::Verified
    }

    pub fn size_kib(&self, file: &AttachmentMeta) -> String {
        format!("{:.1}", f64::from(file.size_bytes) / 1024.0)
    }
}

fn status_badge(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Submitted => "badge badge-warn",
        ReportStatus::Returned => "badge badge-danger",
        ReportStatus::Verified => "badge badge-ok",
    }
}

/// Everything the report page shows; Forbidden for someone who may not read the target.
async fn report_page(
    conn: &mut PgConnection,
    user: &CurrentUser,
    ctx: PageContext,
    report: ReportRow,
    today: NaiveDate,
) -> AppResult<ReportPage> {
    let scope =
        ReportingScope { person_id: user.id(), heads: heads(user), target: Some(report.target_id), watch: Vec::new() };
    let reporter = reports::reporting(conn, &scope, today).await?.into_iter().find(|t| t.reports_here());
    let grants = &user.principal.grants;
    if !rules::can_read(user.id(), grants, &report.facts(), report.owner_id, reporter.is_some()) {
        return Err(AppError::Forbidden);
    }
    let files = attachments::list(conn, "progress_report", &[report.id]).await?;
    let history = reports::history(conn, report.id)
        .await?
        .into_iter()
        .map(|row| {
            let note = ["reason", "comment"]
                .iter()
                .find_map(|k| row.summary.get(*k)?.as_str().map(str::to_string))
                .unwrap_or_default();
            HistoryView { key: action_key(&row.action), note, row }
        })
        .collect();
    let others = reports::of_target(conn, report.target_id).await?;
    let latest_of_period =
        reporter.as_ref().and_then(|t| t.period(report.period_start)).and_then(|p| p.report).map(|r| r.id);
    let value = if report.status == ReportStatus::Verified { report.audited_value } else { report.reported_value };
    Ok(ReportPage {
        completion: value
            .zip(report.target_value)
            .and_then(|(v, t)| completion_rate(v, t, report.direction, report.completion_cap)),
        can_verify: report.status == ReportStatus::Submitted
            && rules::can_verify(user.id(), grants, &report.facts(), report.owner_id, report.submitted_by),
        can_resubmit: report.status == ReportStatus::Returned && reporter.is_some(),
        can_correct: report.status == ReportStatus::Verified && latest_of_period == Some(report.id),
        decision: DecisionForm {
            version: report.version,
            audited_value: report.reported_value.map(|v| v.normalize().to_string()).unwrap_or_default(),
            ..Default::default()
        },
        decision_errors: FormErrors::default(),
        resubmit: ReportForm::from_row(&report),
        resubmit_errors: FormErrors::default(),
        file_error: None,
        conflict: false,
        accept: ACCEPT,
        ctx,
        report,
        files,
        history,
        others,
    })
}

/// A report: values, completion, evidence, history, and the steps the viewer may take.
pub async fn report_detail(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let report = reports::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    render(&report_page(&mut conn, &user, ctx, report, state.clock.today()).await?)
}

/// Verifies or returns a submitted report: by its verifier only, once.
async fn decide(
    state: &AppState,
    user: &CurrentUser,
    session: &Session,
    ctx: PageContext,
    id: i64,
    form: DecisionForm,
    step: ReportStep,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    reports::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let report = reports::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if !rules::can_verify(user.id(), &user.principal.grants, &report.facts(), report.owner_id, report.submitted_by) {
        return Err(AppError::Forbidden);
    }
    let here = format!("/monitor/reports/{id}");
    let Some(to) = report_transition(report.status, step) else {
        return back_with(session, Flash::error(refusal_key(report.status)), &here).await;
    };
    let mut errors = FormErrors::default();
    let decision = match step {
        ReportStep::Verify => Decision::Verify {
            audited_value: errors.check("audited_value", report_value(&form.audited_value)).unwrap_or_default(),
            comment: errors.check("comment", validate::optional_text(&form.comment, MAX_TEXT)),
        },
        _ => Decision::Return { reason: errors.check("reason", validate::required_text(&form.reason, MAX_TEXT)) },
    };
    let stale = report.version != form.version;
    if stale || !errors.is_empty() || !reports::decide(&mut tx, id, form.version, &decision, user.id()).await? {
        let status = if errors.is_empty() { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
        let page = ReportPage {
            decision: form,
            decision_errors: errors,
            conflict: status == StatusCode::CONFLICT,
            ..report_page(&mut tx, user, ctx, report, state.clock.today()).await?
        };
        return render_with(status, &page);
    }
    let summary = match &decision {
        Decision::Verify { audited_value, comment } => {
            json!({ "to": to.code(), "audited_value": audited_value, "comment": comment })
        }
        Decision::Return { reason } => json!({ "to": to.code(), "reason": reason }),
    };
    let action = format!("progress_report.{}", to.code());
    audit::record(&mut tx, &user.audit, AuditEvent::new(&action, "progress_report", id, summary)).await?;
    tx.commit().await?;
    back_with(
        session,
        Flash::success(if step == ReportStep::Verify { "reports-verified" } else { "reports-returned" }),
        &here,
    )
    .await
}

/// Why a step on a report in `status` is refused.
fn refusal_key(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Verified => "reports-error-frozen",
        ReportStatus::Submitted => "reports-error-not-returned",
        ReportStatus::Returned => "reports-error-not-submitted",
    }
}

pub async fn verify_report(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> AppResult<Response> {
    decide(&state, &user, &session, ctx, id, form, ReportStep::Verify).await
}

pub async fn return_report(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> AppResult<Response> {
    decide(&state, &user, &session, ctx, id, form, ReportStep::Return).await
}

/// Sends a returned report again, edited, possibly with more files.
pub async fn resubmit_report(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    form: Result<CsrfMultipart, AppError>,
) -> AppResult<Response> {
    let (report, target, max_bytes) = {
        let mut conn = state.pool.acquire().await?;
        let report = reports::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
        let target = target_to_report(&mut conn, &user, report.target_id, state.clock.today()).await?;
        (report, target, attachments::max_upload_bytes(&mut conn, state.clock.today()).await?)
    };
    let here = format!("/monitor/reports/{id}");
    let Some(target) = target else { return back_with(&session, Flash::error("reports-error-not-open"), &here).await };
    let CsrfMultipart(multipart) = form?;
    if report_transition(report.status, ReportStep::Resubmit).is_none() {
        return back_with(&session, Flash::error(refusal_key(report.status)), &here).await;
    }
    let Upload { form, files, file_error } = read_report_form(multipart, max_bytes.max(1) as usize).await?;
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors);
    let mut tx = state.pool.begin().await?;
    let sender = Sender { person_id: user.id(), acting_for: target.acting_for };
    if !errors.is_empty()
        || file_error.is_some()
        || !reports::resubmit(&mut tx, id, form.version, &data, sender).await?
    {
        let status = if errors.is_empty() && file_error.is_none() {
            StatusCode::CONFLICT
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let page = ReportPage {
            resubmit: form,
            resubmit_errors: errors,
            file_error,
            conflict: status == StatusCode::CONFLICT,
            ..report_page(&mut tx, &user, ctx, report, state.clock.today()).await?
        };
        return render_with(status, &page);
    }
    store_files(&mut tx, &user, id, &files).await?;
    let summary = json!({
        "reported_value": data.reported_value, "state": data.state.map(|s| s.code()),
        "acting_for": target.acting_for, "files": files.len(),
    });
    audit::record(&mut tx, &user.audit, AuditEvent::new("progress_report.resubmitted", "progress_report", id, summary))
        .await?;
    tx.commit().await?;
    back_with(&session, Flash::success("reports-resubmitted"), &here).await
}

/// A target of a watched department with a late period.
pub struct LateRow {
    pub target: ReportingTarget,
    pub late: Vec<PeriodView>,
}

#[derive(Template)]
#[template(path = "monitor/verify.html")]
pub struct VerifyQueuePage {
    pub ctx: PageContext,
    pub reports: Vec<reports::QueueRow>,
    pub late: Vec<LateRow>,
}

/// 进度核实: submitted reports awaiting the viewer, oldest first, and the
/// late targets of the departments the viewer heads.
pub async fn verify_queue(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    if !user.principal.grants.has_any(&[Role::DepartmentHead, Role::SupervisingLeader]) {
        return Err(AppError::Forbidden);
    }
    let mut conn = state.pool.acquire().await?;
    let queue = reports::awaiting(&mut conn, &decider_scope(&user)).await?;
    let heads = heads(&user);
    let scope = ReportingScope { person_id: user.id(), heads: heads.clone(), target: None, watch: heads.clone() };
    let late = reports::reporting(&mut conn, &scope, state.clock.today())
        .await?
        .into_iter()
        .filter(|t| t.department_id.is_some_and(|d| heads.contains(&d)))
        .map(|target| LateRow { late: target.late_periods().copied().collect(), target })
        .filter(|row| !row.late.is_empty())
        .collect();
    render(&VerifyQueuePage { ctx, reports: queue, late })
}

/// Downloads an evidence file of a progress report, for those who may read its target.
pub async fn download_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let meta = attachments::meta(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    if meta.owner_type != "progress_report" {
        return Err(AppError::NotFound);
    }
    let report = reports::find(&mut conn, meta.owner_id).await?.ok_or(AppError::NotFound)?;
    let facts = report.facts();
    let mut may_read = rules::can_read(user.id(), &user.principal.grants, &facts, report.owner_id, false);
    if !may_read {
        let scope = ReportingScope {
            person_id: user.id(),
            heads: heads(&user),
            target: Some(report.target_id),
            watch: Vec::new(),
        };
        may_read = reports::reporting(&mut conn, &scope, state.clock.today()).await?.iter().any(|t| t.reports_here());
    }
    if !may_read {
        return Err(AppError::Forbidden);
    }
    let bytes = attachments::bytes(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    Ok(attachment_response(&meta, bytes))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use fluent_templates::fluent_bundle::FluentValue;

    use super::*;
    use crate::i18n::Lang;

    fn parse(value: &str) -> Decimal {
        Decimal::from_str(value).unwrap()
    }

    #[test]
    fn values_are_required_bounded_and_rounded() {
        assert_eq!(report_value(""), Err(FieldError::Required));
        assert_eq!(report_value("x"), Err(FieldError::Invalid));
        assert_eq!(report_value("1,200.456"), Ok(Some(parse("1200.46"))));
        assert_eq!(report_value("1000000000000"), Err(FieldError::Invalid));
    }

    #[test]
    fn every_history_action_and_refusal_has_a_message() {
        let mut keys: Vec<&str> = [
            "progress_report.submitted",
            "progress_report.corrected",
            "progress_report.resubmitted",
            "progress_report.verified",
            "progress_report.returned",
            "x",
        ]
        .iter()
        .map(|a| action_key(a))
        .collect();
        keys.extend([ReportStatus::Submitted, ReportStatus::Returned, ReportStatus::Verified].map(refusal_key));
        for lang in Lang::ALL {
            for key in &keys {
                assert_ne!(&lang.t(key), key, "{lang:?} lacks {key}");
            }
            for key in
                ["todo-reports-returned", "todo-reports-late", "todo-reports-to-verify", "todo-reports-department-late"]
            {
                let text = lang.t_args(key, &[("count", FluentValue::from(2))]);
                assert!(text.contains('2'), "{lang:?} lacks {key}");
            }
        }
    }
}

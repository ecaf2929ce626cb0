//! Progress reports (进度填报) with evidence files: the person's targets and
//! due periods, the report form, the report page with verification, the
//! head's queue, and evidence downloads.

//!
//! One file per action group: `list` (my reports, the verify queue), `submit`
//! (the form, sending and resending), `detail` (the report page), `verify`
//! (verify or return), `files` (evidence downloads); the form, the upload and
//! the checks they share are here.

pub mod detail;
pub mod files;
pub mod list;
pub mod submit;
pub mod verify;

use detail::{DecisionForm, ReportPage, report_page, require_report_reader};
use verify::refusal_key;

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
use crate::db::is_unique_violation;
use crate::db::reports::{
    self, Decision, HistoryRow, ReportData, ReportListRow, ReportRow, ReportingScope, ReportingTarget, Sender,
};
use crate::db::targets;
use crate::domain::monitor::{ProgressState, ReportStatus, ReportStep, report_transition};
use crate::domain::plan::{Descriptor, completion_rate};
use crate::domain::policy;
use crate::domain::reports::{self as rules, NewReport, PeriodView};
use crate::domain::roles::Role;
use crate::domain::validate::{self, FieldError, optional_decimal};
use crate::error::{AppError, AppResult};
use crate::http::files::{UploadError, attachment_response, read_upload};
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render, render_with};
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

fn heads(user: &CurrentUser) -> Vec<i64> {
    user.principal.grants.departments_for(Role::DepartmentHead)
}

/// The check of a report's sender: the target if the person may report on it
/// now (owner, or B acting for an absent A). `Ok(None)` for the owner of a
/// target not open for reports; Forbidden for anyone else.
async fn require_reporter(
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
    /// The `Descriptor` code, for a qualitative target.
    pub descriptor: String,
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
            descriptor: row.descriptor.map(|d| d.code().to_string()).unwrap_or_default(),
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
            "descriptor" => self.descriptor = value,
            "state" => self.state = value,
            "narrative" => self.narrative = value,
            "problems" => self.problems = value,
            "next_steps" => self.next_steps = value,
            "version" => self.version = value.trim().parse().unwrap_or(0),
            _ => {}
        }
    }

    /// The report as typed; a qualitative target's report chooses a
    /// descriptor instead of a value (docs/DOMAIN.md §7.3).
    fn validate(&self, qualitative: bool, errors: &mut FormErrors) -> ReportData {
        let (reported_value, descriptor) = if qualitative {
            let descriptor = Descriptor::parse(&self.descriptor).ok_or(FieldError::Required);
            (None, Some(errors.check("descriptor", descriptor.map(Some))).flatten())
        } else {
            (errors.check("reported_value", report_value(&self.reported_value)), None)
        };
        ReportData {
            reported_value,
            descriptor,
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

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use fluent_templates::fluent_bundle::FluentValue;

    use super::detail::action_key;
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

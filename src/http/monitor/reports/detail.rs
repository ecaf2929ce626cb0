//! Progress reports: The report page: values, completion, evidence, history, the viewer's steps.

use super::*;

/// The verifier's form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub version: i32,
    #[serde(default)]
    pub audited_value: String,
    /// The descriptor the verifier confirms, for a qualitative target.
    #[serde(default)]
    pub audited_descriptor: String,
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
    /// The per-file limit in bytes, for the hint (read only when the report may be resent).
    pub max_upload: i64,
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
}

fn status_badge(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Submitted => "badge badge-warn",
        ReportStatus::Returned => "badge badge-danger",
        ReportStatus::Verified => "badge badge-ok",
    }
}

/// The check of a report's reader: its set's readers, the target's owner, and
/// whoever reports on the target now (whose target it returns); Forbidden for anyone else.
pub(super) async fn require_report_reader(
    conn: &mut PgConnection,
    user: &CurrentUser,
    report: &ReportRow,
    today: NaiveDate,
) -> AppResult<Option<ReportingTarget>> {
    let scope =
        ReportingScope { person_id: user.id(), heads: heads(user), target: Some(report.target_id), watch: Vec::new() };
    let reporter = reports::reporting(conn, &scope, today).await?.into_iter().find(|t| t.reports_here());
    policy::require_read_report(user.id(), user.grants(), &report.facts(), report.owner_id, reporter.is_some())?;
    Ok(reporter)
}

/// The report page, shown again after a refused step; checks the reader first.
pub(super) async fn report_page(
    conn: &mut PgConnection,
    user: &CurrentUser,
    ctx: PageContext,
    report: ReportRow,
    today: NaiveDate,
) -> AppResult<ReportPage> {
    let reporter = require_report_reader(conn, user, &report, today).await?;
    reader_page(conn, user, ctx, report, reporter, today).await
}

/// Everything the report page shows, for a reader checked by `require_report_reader`.
async fn reader_page(
    conn: &mut PgConnection,
    user: &CurrentUser,
    ctx: PageContext,
    report: ReportRow,
    reporter: Option<ReportingTarget>,
    today: NaiveDate,
) -> AppResult<ReportPage> {
    let grants = user.grants();
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
    let can_resubmit = report.status == ReportStatus::Returned && reporter.is_some();
    let max_upload = if can_resubmit { attachments::max_upload_bytes(conn, today).await? } else { 0 };
    let completion = if report.qualitative {
        let descriptor =
            if report.status == ReportStatus::Verified { report.audited_descriptor } else { report.descriptor };
        descriptor.map(Descriptor::completion)
    } else {
        value.zip(report.target_value).and_then(|(v, t)| completion_rate(v, t, report.direction, report.completion_cap))
    };
    Ok(ReportPage {
        max_upload,
        completion,
        can_verify: report.status == ReportStatus::Submitted
            && rules::can_verify(user.id(), grants, &report.facts(), report.owner_id, report.submitted_by),
        can_resubmit,
        can_correct: report.status == ReportStatus::Verified && latest_of_period == Some(report.id),
        decision: DecisionForm {
            version: report.version,
            audited_value: report.reported_value.map(|v| v.normalize().to_string()).unwrap_or_default(),
            audited_descriptor: report.descriptor.map(|d| d.code().to_string()).unwrap_or_default(),
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
    let reporter = require_report_reader(&mut conn, &user, &report, state.clock.today()).await?;
    render(&reader_page(&mut conn, &user, ctx, report, reporter, state.clock.today()).await?)
}

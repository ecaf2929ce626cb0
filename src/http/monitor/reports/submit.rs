//! Progress reports: The report form, sending a report and sending a returned one again.

use super::*;

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
    /// The per-file limit in bytes, for the hint.
    pub max_upload: i64,
}

impl ReportFormPage {
    /// The completion the typed value gives, if it parses.
    pub fn completion(&self) -> Option<Decimal> {
        if self.target.qualitative {
            return Descriptor::parse(&self.form.descriptor).map(Descriptor::completion);
        }
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
        max_upload: i64,
    ) -> AppResult<(ReportFormPage, ReportData)> {
        let mut errors = FormErrors::default();
        let data = form.validate(target.qualitative, &mut errors);
        let chosen = form.period(&target, &mut errors);
        let (corrects, refusal) = match chosen.map(|p| rules::new_report(&p)) {
            Some(NewReport::Correction(report)) => (Some(report), None),
            Some(NewReport::StillOpen(_)) => (None, Some("reports-error-still-open")),
            _ => (None, None),
        };
        let period =
            chosen.or_else(|| rules::focus_period(&target.periods, today).copied()).ok_or(AppError::NotFound)?;
        let page = ReportFormPage {
            ctx,
            target,
            period,
            corrects,
            form,
            errors,
            file_error,
            refusal,
            accept: ACCEPT,
            max_upload,
        };
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
    let Some(target) = require_reporter(&mut conn, &user, id, state.clock.today()).await? else {
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
        max_upload: attachments::max_upload_bytes(&mut conn, state.clock.today()).await?,
    };
    render(&page)
}

/// Sends a report for a period (a correction when the period's report is
/// verified); by whoever reports on the target now (`require_reporter`).
pub async fn submit_report(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    form: Result<CsrfMultipart, AppError>,
) -> AppResult<Response> {
    let (target, max_bytes, needs_evidence) = {
        let mut conn = state.pool.acquire().await?;
        let Some(target) = require_reporter(&mut conn, &user, id, state.clock.today()).await? else {
            return back_with(&session, Flash::error("reports-error-not-open"), "/monitor/reports").await;
        };
        (
            target,
            attachments::max_upload_bytes(&mut conn, state.clock.today()).await?,
            reports::evidence_required(&mut conn, id).await?,
        )
    };
    let CsrfMultipart(multipart) = form?;
    let Upload { form, files, mut file_error } = read_report_form(multipart, max_bytes.max(1) as usize).await?;
    if needs_evidence && files.is_empty() {
        file_error.get_or_insert(UploadError::EvidenceRequired);
    }
    let (mut page, data) = ReportFormPage::submitted(ctx, target, form, file_error, state.clock.today(), max_bytes)?;
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
        "target_id": id, "period_start": period.start, "reported_value": data.reported_value, "descriptor": data.descriptor.map(|d| d.code()),
        "state": data.state.map(|s| s.code()), "acting_for": acting_for, "corrects_id": corrects, "files": files.len(),
    });
    audit::record(&mut tx, &user.audit, AuditEvent::new(action, "progress_report", report, summary)).await?;
    tx.commit().await?;
    back_with(&session, Flash::success("reports-submitted"), &format!("/monitor/reports/{report}")).await
}

/// Sends a returned report again, edited, possibly with more files; by whoever
/// reports on the target now (`require_reporter`).
pub async fn resubmit_report(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    form: Result<CsrfMultipart, AppError>,
) -> AppResult<Response> {
    let (report, target, max_bytes, needs_evidence) = {
        let mut conn = state.pool.acquire().await?;
        let report = reports::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
        let target = require_reporter(&mut conn, &user, report.target_id, state.clock.today()).await?;
        let needs_evidence = reports::evidence_required(&mut conn, report.target_id).await?
            && reports::file_count(&mut conn, id).await? == 0;
        (report, target, attachments::max_upload_bytes(&mut conn, state.clock.today()).await?, needs_evidence)
    };
    let here = format!("/monitor/reports/{id}");
    let Some(target) = target else { return back_with(&session, Flash::error("reports-error-not-open"), &here).await };
    let CsrfMultipart(multipart) = form?;
    if report_transition(report.status, ReportStep::Resubmit).is_none() {
        return back_with(&session, Flash::error(refusal_key(report.status)), &here).await;
    }
    let Upload { form, files, mut file_error } = read_report_form(multipart, max_bytes.max(1) as usize).await?;
    if needs_evidence && files.is_empty() {
        file_error.get_or_insert(UploadError::EvidenceRequired);
    }
    let mut errors = FormErrors::default();
    let data = form.validate(target.qualitative, &mut errors);
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
    crate::workflow::notices::report_resubmitted(&mut tx, id).await?;
    let summary = json!({
        "reported_value": data.reported_value, "descriptor": data.descriptor.map(|d| d.code()), "state": data.state.map(|s| s.code()),
        "acting_for": target.acting_for, "files": files.len(),
    });
    audit::record(&mut tx, &user.audit, AuditEvent::new("progress_report.resubmitted", "progress_report", id, summary))
        .await?;
    tx.commit().await?;
    back_with(&session, Flash::success("reports-resubmitted"), &here).await
}

//! Progress reports: Verifying or returning a submitted report.

use super::*;
use crate::workflow::notices;

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
    policy::require_verify_report(user.id(), user.grants(), &report.facts(), report.owner_id, report.submitted_by)?;
    let here = format!("/monitor/reports/{id}");
    let Some(to) = report_transition(report.status, step) else {
        return back_with(session, Flash::error(refusal_key(report.status)), &here).await;
    };
    let mut errors = FormErrors::default();
    let decision = match step {
        // docs/DOMAIN.md §6.7: a qualitative target's audited value is the
        // completion of the descriptor the verifier confirms.
        ReportStep::Verify if report.qualitative => {
            let descriptor = Descriptor::parse(&form.audited_descriptor).ok_or(FieldError::Required);
            let descriptor = errors.check("audited_descriptor", descriptor.map(Some));
            Decision::Verify {
                audited_value: descriptor.map(Descriptor::completion).unwrap_or_default(),
                descriptor,
                comment: errors.check("comment", validate::optional_text(&form.comment, MAX_TEXT)),
            }
        }
        ReportStep::Verify => Decision::Verify {
            audited_value: errors.check("audited_value", report_value(&form.audited_value)).unwrap_or_default(),
            descriptor: None,
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
        Decision::Verify { audited_value, descriptor, comment } => {
            json!({ "to": to.code(), "audited_value": audited_value, "descriptor": descriptor.map(|d| d.code()),
                    "comment": comment })
        }
        Decision::Return { reason } => json!({ "to": to.code(), "reason": reason }),
    };
    if matches!(decision, Decision::Return { .. }) {
        notices::report_returned(&mut tx, id, form.version + 1, report.submitted_by, &report.target_title).await?;
    }
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
pub(super) fn refusal_key(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Verified => "reports-error-frozen",
        ReportStatus::Submitted => "reports-error-not-returned",
        ReportStatus::Returned => "reports-error-not-submitted",
    }
}

/// Authorised in `decide` against the locked report (`policy::require_verify_report`).
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

/// Authorised in `decide` against the locked report (`policy::require_verify_report`).
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

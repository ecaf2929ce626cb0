//! Service commitment cases (服务承诺兑现): the cases served under one
//! commitment, kept or broken by the work-day calendar, and its kept-rate.
//! The performance office or a head of the commitment's department records
//! cases; a broken case proposes a ledger penalty by itself.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::commitment_cases::{self as cases, CaseFacts, CaseRow};
use crate::db::commitments::{self, CommitmentRow};
use crate::domain::commitments::can_manage_department_plan_config;
use crate::domain::ledger::{
    CaseState, KeptCounts, SUBJECT_MAX_CHARS, can_read_ledger, case_deadline, case_source_key, done_date, past_date,
};
use crate::domain::policy;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::export::xlsx_download;
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::xlsx::Sheet;

/// A case with its deadline and how it stands today.
pub struct CaseView {
    pub case: CaseRow,
    pub deadline: NaiveDate,
    pub state: CaseState,
}

/// The new-case form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseForm {
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub received_on: String,
    #[serde(default)]
    pub done_on: String,
}

/// The "done on" form of one case as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DoneForm {
    #[serde(default)]
    pub done_on: String,
    #[serde(default)]
    pub version: i32,
}

#[derive(Template)]
#[template(path = "monitor/commitment_cases.html")]
pub struct CommitmentCasesPage {
    pub ctx: PageContext,
    pub commitment: CommitmentRow,
    pub cases: Vec<CaseView>,
    pub counts: KeptCounts,
    pub rate: Option<Decimal>,
    pub can_record: bool,
    pub can_read_ledger: bool,
    pub form: CaseForm,
    pub errors: FormErrors,
    /// The case whose "done on" form failed, with its input and errors.
    pub done: Option<(i64, DoneForm)>,
    pub done_errors: FormErrors,
    pub conflict: bool,
}

impl CommitmentCasesPage {
    /// The address of the cases' Excel download (the page may be shown again after a form).
    pub fn export_href(&self) -> String {
        self.ctx.xlsx_href(&format!("/commitments/{}/cases", self.commitment.id))
    }

    /// The kept "done on" input of a case that failed, else its stored value.
    pub fn done_value(&self, view: &CaseView) -> String {
        match &self.done {
            Some((id, form)) if *id == view.case.id => form.done_on.clone(),
            _ => view.case.done_on.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    /// The error locale key beside a case's "done on" input, empty if none.
    pub fn done_error(&self, view: &CaseView) -> &'static str {
        match &self.done {
            Some((id, _)) if *id == view.case.id => self.done_errors.of("done_on"),
            _ => "",
        }
    }

    pub fn is_conflicted(&self, view: &CaseView) -> bool {
        self.conflict && self.done.as_ref().is_some_and(|(id, _)| *id == view.case.id)
    }
}

/// What a page re-rendered with errors keeps.
#[derive(Default)]
struct Kept {
    form: CaseForm,
    errors: FormErrors,
    done: Option<(i64, DoneForm)>,
    done_errors: FormErrors,
    conflict: bool,
}

async fn cases_page(
    conn: &mut PgConnection,
    user: &CurrentUser,
    ctx: PageContext,
    id: i64,
    kept: Kept,
    today: NaiveDate,
) -> AppResult<CommitmentCasesPage> {
    let (commitment, cases, counts) = load(conn, id, today).await?;
    let grants = &user.principal.grants;
    Ok(CommitmentCasesPage {
        ctx,
        can_record: can_manage_department_plan_config(grants, commitment.department_id),
        can_read_ledger: can_read_ledger(grants),
        commitment,
        cases,
        rate: counts.rate(),
        counts,
        form: kept.form,
        errors: kept.errors,
        done: kept.done,
        done_errors: kept.done_errors,
        conflict: kept.conflict,
    })
}

/// The commitment, its cases with their deadlines and how each stands
/// today, and the counts of kept, broken and open cases; 404 for an unknown one.
async fn load(
    conn: &mut PgConnection,
    id: i64,
    today: NaiveDate,
) -> AppResult<(CommitmentRow, Vec<CaseView>, KeptCounts)> {
    let commitment = commitments::find(conn, id).await?.ok_or(AppError::NotFound)?;
    let rows = cases::list(conn, id).await?;
    let first = rows.iter().map(|c| c.received_on).min().unwrap_or(today);
    let calendar = cases::calendar_from(conn, first, today).await?;
    let limit = i64::from(commitment.time_limit_days);
    let mut counts = KeptCounts::default();
    let cases: Vec<CaseView> = rows
        .into_iter()
        .map(|case| {
            let state = CaseState::of(case.received_on, case.done_on, limit, today, &calendar);
            counts.add(state);
            CaseView { deadline: case_deadline(case.received_on, limit, &calendar), state, case }
        })
        .collect();
    Ok((commitment, cases, counts))
}

/// The cases of a commitment: any signed-in person (commitments are public
/// within the office, and so is how well they are kept).
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    render(&cases_page(&mut conn, &user, ctx, id, Kept::default(), state.clock.today()).await?)
}

pub(crate) const LIST_HEADERS: [&str; 6] = [
    "case-field-subject",
    "case-field-received-on",
    "case-field-deadline",
    "case-field-done-on",
    "field-status",
    "case-field-recorded-by",
];

/// `GET /commitments/{id}/cases.xlsx`: the cases as the page lists them, for
/// the same readers (any signed-in person); the record of how the commitment
/// was kept, so the sheet is protected (docs/DOMAIN.md §20.2).
pub async fn list_xlsx(
    State(state): State<AppState>,
    _: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (commitment, cases, _) = load(&mut *state.pool.acquire().await?, id, state.clock.today()).await?;
    let now = state.clock.now();
    let head = ctx.sheet_head("cases-sheet-title", Some(&commitment.service), &LIST_HEADERS, true, now);
    let mut sheet = Sheet::new(head);
    for CaseView { case, deadline, state } in cases {
        sheet.push(vec![
            case.subject.into(),
            case.received_on.into(),
            deadline.into(),
            case.done_on.into(),
            ctx.t(state.label_key()).into(),
            case.recorded_by_name.into(),
        ]);
    }
    xlsx_download(sheet, "commitment-cases", now).await
}

/// Proposes the penalty of a broken case and audits it as the system's, in the caller's transaction.
async fn propose_penalty(
    conn: &mut PgConnection,
    user: &CurrentUser,
    case: &CaseFacts,
    today: NaiveDate,
) -> AppResult<Option<i64>> {
    let calendar = cases::calendar_from(conn, case.received_on, today).await?;
    let Some(record) = cases::propose_if_broken(conn, case, today, &calendar).await? else { return Ok(None) };
    let system = AuditContext { actor_id: None, actor_name: "system".into(), ..user.audit.clone() };
    let summary = json!({ "source_key": case_source_key(case.id), "commitment_id": case.commitment_id });
    audit::record(conn, &system, AuditEvent::new("ledger_record.proposed", "ledger_record", record, summary)).await?;
    Ok(Some(record))
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<CaseForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let commitment = commitments::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    policy::require_department_plan_config(user.grants(), commitment.department_id)?;
    let today = state.clock.today();
    let mut errors = FormErrors::default();
    let subject = errors.check("subject", validate::required_text(&form.subject, SUBJECT_MAX_CHARS));
    let received = errors.check("received_on", past_date(&form.received_on, today).map(Some));
    let done = errors.check("done_on", done_date(&form.done_on, received, today));
    let Some(received) = received.filter(|_| errors.is_empty()) else {
        let page =
            cases_page(&mut tx, &user, ctx, id, Kept { form, errors, ..Default::default() }, state.clock.today())
                .await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let case_id = cases::create(&mut tx, id, &subject, received, done, user.id()).await?;
    let case = cases::find_for_update(&mut tx, case_id).await?.ok_or(AppError::NotFound)?;
    let penalty = propose_penalty(&mut tx, &user, &case, state.clock.today()).await?;
    let summary = json!({ "commitment_id": id, "subject": subject, "received_on": received, "done_on": done, "penalty": penalty });
    audit::record(
        &mut tx,
        &user.audit,
        AuditEvent::new("commitment_case.recorded", "commitment_case", case_id, summary),
    )
    .await?;
    tx.commit().await?;
    Flash::success(if penalty.is_some() { "case-saved-penalty" } else { "case-saved" }).set(&session).await?;
    Ok(Redirect::to(&format!("/commitments/{id}/cases")).into_response())
}

/// Sets (or corrects) the day a case was done.
pub async fn set_done(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<DoneForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let mut case = cases::find_for_update(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    policy::require_department_plan_config(user.grants(), case.department_id)?;
    let mut errors = FormErrors::default();
    let done = errors.check("done_on", done_date(&form.done_on, Some(case.received_on), state.clock.today()));
    if done.is_none() && errors.is_empty() {
        errors.add("done_on", FieldError::Required);
    }
    let commitment_id = case.commitment_id;
    let (Some(done), true) = (done, errors.is_empty()) else {
        let kept = Kept { done: Some((id, form)), done_errors: errors, ..Default::default() };
        return render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &cases_page(&mut tx, &user, ctx, commitment_id, kept, state.clock.today()).await?,
        );
    };
    if case.version != form.version || !cases::set_done(&mut tx, id, form.version, done).await? {
        let kept = Kept { done: Some((id, form)), conflict: true, ..Default::default() };
        return render_with(
            StatusCode::CONFLICT,
            &cases_page(&mut tx, &user, ctx, commitment_id, kept, state.clock.today()).await?,
        );
    }
    let before = case.done_on.replace(done);
    let penalty = propose_penalty(&mut tx, &user, &case, state.clock.today()).await?;
    let summary = json!({ "done_on": { "before": before, "after": done }, "penalty": penalty });
    audit::record(&mut tx, &user.audit, AuditEvent::new("commitment_case.done", "commitment_case", id, summary))
        .await?;
    tx.commit().await?;
    Flash::success(if penalty.is_some() { "case-saved-penalty" } else { "case-saved" }).set(&session).await?;
    Ok(Redirect::to(&format!("/commitments/{commitment_id}/cases")).into_response())
}

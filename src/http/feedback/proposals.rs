//! The performance office's list of records proposed from final grades
//! (docs/DOMAIN.md §19.6): filter by year, kind and status; confirm or reject
//! each with a reason. Nobody decides a proposal about themselves.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::clock::OFFICE_TZ;
use crate::db::audit::{self, AuditEvent};
use crate::db::result_use::{self as db, ProposalFilter, ProposalRow};
use crate::domain::result_use::{self, Decision, ProposalKind, ProposalStatus};
use crate::domain::validate::{FieldError, required_text};
use crate::error::{AppError, AppResult};
use crate::http::export::{xlsx_download, xlsx_href};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::xlsx::Sheet;

/// Longest reason accepted.
const REASON_MAX_CHARS: usize = 1000;

/// The list's filter as the query string gives it (each may be empty).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProposalQuery {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub status: String,
}

impl ProposalQuery {
    fn filter(&self) -> ProposalFilter {
        ProposalFilter {
            year: self.year.trim().parse().ok(),
            kind: ProposalKind::parse(&self.kind),
            status: ProposalStatus::parse(&self.status),
            person: None,
        }
    }

    /// The query string to return to after a decision.
    fn back(&self) -> String {
        format!("/feedback/proposals?year={}&kind={}&status={}", self.year.trim(), self.kind.trim(), self.status.trim())
    }
}

/// A decision as the row's form sends it; the filter rides along to come back to.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub version: i32,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub status: String,
}

#[derive(Template)]
#[template(path = "feedback/proposals.html")]
pub struct ProposalsPage {
    pub ctx: PageContext,
    pub user_id: i64,
    pub rows: Vec<ProposalRow>,
    pub years: Vec<i32>,
    pub kinds: &'static [ProposalKind],
    pub statuses: &'static [ProposalStatus],
    pub query: ProposalQuery,
    /// The proposal whose form was refused, with the error's locale key and the reason typed.
    pub refused: Option<(i64, &'static str, String)>,
}

impl ProposalsPage {
    /// The export of the list as filtered.
    pub fn xlsx_href(&self) -> String {
        let q = &self.query;
        xlsx_href("/feedback/proposals.xlsx", &[("year", &q.year), ("kind", &q.kind), ("status", &q.status)])
    }

    pub fn may_decide(&self, row: &ProposalRow) -> bool {
        result_use::may_decide(self.user_id, row.person_id, row.status)
    }

    pub fn refused_for(&self, id: &i64) -> Option<&'static str> {
        self.refused.as_ref().filter(|r| r.0 == *id).map(|r| r.1)
    }

    /// Whether the refused form was stale (shown above the list: its row may have no form any more).
    pub fn stale(&self) -> bool {
        self.refused.as_ref().is_some_and(|r| r.1 == "result-use-stale")
    }

    pub fn kept_reason(&self, id: &i64) -> &str {
        self.refused.as_ref().filter(|r| r.0 == *id).map_or("", |r| r.2.as_str())
    }
}

async fn page(
    conn: &mut PgConnection,
    ctx: PageContext,
    user: &CurrentUser,
    query: ProposalQuery,
    refused: Option<(i64, &'static str, String)>,
) -> AppResult<ProposalsPage> {
    let rows = db::proposals(conn, &query.filter()).await?;
    let years = db::proposal_years(conn).await?;
    Ok(ProposalsPage {
        ctx,
        user_id: user.id(),
        rows,
        years,
        kinds: ProposalKind::ALL,
        statuses: ProposalStatus::ALL,
        query,
        refused,
    })
}

/// `GET /feedback/proposals`
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<ProposalQuery>,
) -> AppResult<Response> {
    result_use::require_office(user.grants())?;
    let mut conn = state.pool.acquire().await?;
    render(&page(&mut conn, ctx, &user, query, None).await?)
}

/// `GET /feedback/proposals.xlsx`: the list with the page's filters, each
/// proposal with its status and the office's decision; a protected record.
pub async fn list_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<ProposalQuery>,
) -> AppResult<Response> {
    result_use::require_office(user.grants())?;
    let page = page(&mut *state.pool.acquire().await?, ctx, &user, query, None).await?;
    let now = state.clock.now();
    let headers = [
        "result-use-field-person",
        "field-department",
        "result-use-field-year",
        "result-use-field-kind",
        "field-status",
        "result-use-field-reason",
        "result-use-decided-by",
        "result-use-decided-at",
    ];
    let ctx = &page.ctx;
    let detail = page.query.filter().year.map(|y| y.to_string());
    let mut sheet = Sheet::new(ctx.sheet_head("result-use-title", detail.as_deref(), &headers, true, now));
    for r in &page.rows {
        let mut status = ctx.t(r.status.label_key().as_str());
        if r.basis_changed {
            status = format!("{status} · {}", ctx.t("result-use-basis-changed"));
        }
        sheet.push(vec![
            r.full_name.clone().into(),
            r.department_name.clone().into(),
            r.year.into(),
            ctx.t(r.kind.label_key().as_str()).into(),
            status.into(),
            r.reason.clone().into(),
            r.decided_by_name.clone().into(),
            r.decided_at.map(|at| at.with_timezone(&OFFICE_TZ).naive_local()).into(),
        ]);
    }
    xlsx_download(sheet, "result-use-proposals", now).await
}

/// `POST /feedback/proposals/{id}/decide`: confirms or rejects a proposal with
/// a reason; a stale form (the proposal moved since the page) gives 409.
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<DecideForm>,
) -> AppResult<Response> {
    result_use::require_office(user.grants())?;
    let query = ProposalQuery { year: form.year.clone(), kind: form.kind.clone(), status: form.status.clone() };
    let mut tx = state.pool.begin().await?;
    let (person_id, status, version) = db::lock_proposal(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if person_id == user.id() {
        return Err(AppError::Forbidden);
    }
    let reason = required_text(&form.reason, REASON_MAX_CHARS);
    let refusal = match (Decision::parse(&form.decision), &reason) {
        (None, _) => Some((StatusCode::UNPROCESSABLE_ENTITY, "result-use-decision-required")),
        (_, Err(e)) => Some((StatusCode::UNPROCESSABLE_ENTITY, field_message(*e))),
        _ if version != form.version || status != ProposalStatus::Proposed => {
            Some((StatusCode::CONFLICT, "result-use-stale"))
        }
        _ => None,
    };
    let (Some(decision), Ok(reason), None) = (Decision::parse(&form.decision), reason, refusal) else {
        let (code, key) = refusal.unwrap_or((StatusCode::CONFLICT, "result-use-stale"));
        let page = page(&mut tx, ctx, &user, query, Some((id, key, form.reason.clone()))).await?;
        return render_with(code, &page);
    };
    let now = state.clock.now();
    if !db::decide(&mut tx, id, version, decision.status(), user.id(), now, &reason).await? {
        let page = page(&mut tx, ctx, &user, query, Some((id, "result-use-stale", form.reason.clone()))).await?;
        return render_with(StatusCode::CONFLICT, &page);
    }
    let action = format!("result_use.{}", decision.status().code());
    audit::record(
        &mut tx,
        &user.audit,
        AuditEvent::new(&action, "result_use_proposal", id, json!({ "reason": reason })),
    )
    .await?;
    tx.commit().await?;
    Flash::success(if decision == Decision::Confirm { "result-use-confirmed" } else { "result-use-rejected" })
        .set(&session)
        .await?;
    Ok(Redirect::to(&query.back()).into_response())
}

fn field_message(error: FieldError) -> &'static str {
    match error {
        FieldError::TooLong => "result-use-reason-too-long",
        _ => "result-use-reason-required",
    }
}

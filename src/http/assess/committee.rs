//! What the assessment committee records on an annual ranking before
//! deciding (docs/DOMAIN.md §17.17): the approval of the higher 优秀 rate,
//! and hard vetoes (一票否决). Both change the ranking at once; both are
//! closed once the cycle is decided; nobody vetoes themselves.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use super::scores::{Typed, scores_page};
use crate::auth::csrf::{CsrfChecked, CsrfForm};
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::committee::{self, HardVeto, QuotaApproval};
use crate::db::cycles::{self, CycleRow};
use crate::db::{ballots, decisions};
use crate::domain::plan::{CycleKind, CycleStage};
use crate::domain::policy::{self, Permission};
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::forms::{FormErrors, optional_id};
use crate::http::pages::{Flash, PageContext};
use crate::state::AppState;

/// The committee's records of an annual ranking and its two forms as typed.
#[derive(Debug, Clone, Default)]
pub struct CommitteePart {
    pub approval: Option<QuotaApproval>,
    /// The rate the approval allows (the staff scheme's), if the scheme has one.
    pub approved_rate: Option<Decimal>,
    pub vetoes: Vec<HardVeto>,
    pub typed: CommitteeTyped,
}

impl CommitteePart {
    pub async fn load(conn: &mut PgConnection, cycle_id: i64, approved_rate: Option<Decimal>) -> AppResult<Self> {
        Ok(CommitteePart {
            approval: committee::quota_approval(conn, cycle_id).await?,
            approved_rate,
            vetoes: committee::hard_vetoes(conn, cycle_id).await?,
            typed: CommitteeTyped::default(),
        })
    }

    /// The reason a person was vetoed, if they were.
    pub fn veto_of(&self, person_id: &i64) -> Option<&str> {
        self.vetoes.iter().find(|v| v.person_id == *person_id).map(|v| v.reason.as_str())
    }

    pub fn approved_percent(&self) -> String {
        self.approved_rate.map(|r| (r * Decimal::from(100)).normalize().to_string()).unwrap_or_default()
    }
}

/// The committee's forms as typed, and their errors.
#[derive(Debug, Clone, Default)]
pub struct CommitteeTyped {
    pub approval: ApprovalForm,
    pub veto: VetoForm,
    pub errors: FormErrors,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ApprovalForm {
    #[serde(default)]
    pub reference: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct VetoForm {
    #[serde(default, rename = "veto_person_id")]
    pub person_id: String,
    #[serde(default, rename = "veto_reason")]
    pub reason: String,
}

fn back(id: i64) -> Response {
    Redirect::to(&format!("/assess/cycles/{id}/scores")).into_response()
}

/// The annual cycle, locked, when the committee may still record on it (in
/// assessment, not decided); else a flash saying why.
async fn open_cycle(conn: &mut PgConnection, session: &Session, id: i64) -> AppResult<Option<CycleRow>> {
    let cycle = cycles::find_for_update(conn, id).await?.ok_or(AppError::NotFound)?;
    if cycle.kind != CycleKind::Annual {
        return Err(AppError::NotFound);
    }
    if cycle.stage != CycleStage::Assessment || decisions::find(conn, id).await?.is_some() {
        Flash::error("committee-closed").set(session).await?;
        return Ok(None);
    }
    Ok(Some(cycle))
}

/// Audits `event` (an action on the cycle and its summary), commits, and goes
/// back to the ranking with the flash `done`.
async fn finish(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    user: &CurrentUser,
    session: &Session,
    id: i64,
    event: Option<(&str, serde_json::Value)>,
    done: &'static str,
) -> AppResult<Response> {
    if let Some((action, summary)) = event {
        audit::record(&mut tx, &user.audit, AuditEvent::new(action, "cycle", id, summary)).await?;
    }
    tx.commit().await?;
    Flash::success(done).set(session).await?;
    Ok(back(id))
}

/// Records the approval of the higher 优秀 rate with its reference (the committee).
pub async fn approve_quota(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ApprovalForm>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::DecideAssessment)?;
    let mut tx = state.pool.begin().await?;
    if open_cycle(&mut tx, &session, id).await?.is_none() {
        return Ok(back(id));
    }
    let mut errors = FormErrors::default();
    let reference = errors.check("reference", validate::required_text(&form.reference, 200));
    if !errors.is_empty() {
        drop(tx);
        let typed = Typed::committee(CommitteeTyped { approval: form, errors, ..CommitteeTyped::default() });
        return scores_page(&state, &user, ctx, id, typed, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    committee::set_quota_approval(&mut tx, id, Some(&reference), user.id(), state.clock.now()).await?;
    let event = ("assessment.quota_approved", json!({ "reference": reference }));
    finish(tx, &user, &session, id, Some(event), "quota-approval-saved").await
}

/// Withdraws the approval: the plain rate applies again (the committee).
pub async fn withdraw_approval(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    _: CsrfChecked,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::DecideAssessment)?;
    let mut tx = state.pool.begin().await?;
    if open_cycle(&mut tx, &session, id).await?.is_none() {
        return Ok(back(id));
    }
    let withdrawn = committee::set_quota_approval(&mut tx, id, None, user.id(), state.clock.now()).await?;
    let event = withdrawn.then(|| ("assessment.quota_approval_withdrawn", json!({})));
    finish(tx, &user, &session, id, event, "quota-approval-withdrawn").await
}

/// Records a hard veto of a participant with a written reason (the
/// committee; never about oneself; 422 with the input kept otherwise).
pub async fn veto(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<VetoForm>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::DecideAssessment)?;
    let mut tx = state.pool.begin().await?;
    if open_cycle(&mut tx, &session, id).await?.is_none() {
        return Ok(back(id));
    }
    let mut errors = FormErrors::default();
    let person = optional_id(&form.person_id).ok().flatten();
    let participants = ballots::participants(&mut tx, id, None).await?;
    match person {
        None => errors.add("veto_person_id", FieldError::Required),
        Some(p) if !participants.iter().any(|x| x.person_id == p) => {
            errors.add("veto_person_id", FieldError::NotOffered);
        }
        Some(p) if p == user.id() => errors.add_message("veto_person_id", "error-own"),
        Some(_) => {}
    }
    let reason = errors.check("veto_reason", validate::required_text(&form.reason, 500));
    let (Some(person), true) = (person, errors.is_empty()) else {
        drop(tx);
        let typed = Typed::committee(CommitteeTyped { veto: form, errors, ..CommitteeTyped::default() });
        return scores_page(&state, &user, ctx, id, typed, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    committee::veto(&mut tx, id, person, &reason, user.id(), state.clock.now()).await?;
    let event = ("assessment.hard_veto", json!({ "person_id": person, "reason": reason }));
    finish(tx, &user, &session, id, Some(event), "veto-saved").await
}

/// Withdraws a hard veto (the committee; never one about oneself).
pub async fn withdraw_veto(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path((id, person)): Path<(i64, i64)>,
    _: CsrfChecked,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::DecideAssessment)?;
    policy::allow(person != user.id())?;
    let mut tx = state.pool.begin().await?;
    if open_cycle(&mut tx, &session, id).await?.is_none() {
        return Ok(back(id));
    }
    if !committee::withdraw_veto(&mut tx, id, person).await? {
        return Err(AppError::NotFound);
    }
    let event = ("assessment.hard_veto_withdrawn", json!({ "person_id": person }));
    finish(tx, &user, &session, id, Some(event), "veto-withdrawn").await
}

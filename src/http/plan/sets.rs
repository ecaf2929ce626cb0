//! Target sets: a person's plans, the set page with its checks, and the
//! workflow steps submit, return and approve.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::plan_boards::{self, MyCycleRow};
use crate::db::post_templates;
use crate::db::target_export::TargetScope;
use crate::db::targets::{self, SetRow, TargetData};
use crate::domain::plan::{self, PlanStep, TargetKind, TargetLevel};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::http::plan::target_xlsx;
use crate::state::AppState;
use crate::workflow::plan::{SetChecks, apply_step, editable_set};

#[derive(Template)]
#[template(path = "plan/my.html")]
pub struct MyTargetsPage {
    pub ctx: PageContext,
    pub cycles: Vec<MyCycleRow>,
    /// Why a set could not be opened (a locale key), shown with 422.
    pub refusal: Option<&'static str>,
}

/// 我的目标: the open cycles the person takes part in, with their plan.
/// Any signed-in person; their own data only.
pub async fn my_targets(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let cycles = plan_boards::my_cycles(&mut *state.pool.acquire().await?, user.id()).await?;
    render(&MyTargetsPage { ctx, cycles, refusal: None })
}

/// `GET /plan/my.xlsx`: the targets of the plans on 我的目标. Any signed-in
/// person; their own plans only.
pub async fn my_targets_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
) -> AppResult<Response> {
    let scope = TargetScope::Mine { person_id: user.id() };
    let name = user.principal.full_name.clone();
    target_xlsx::download(&state, &ctx, Some(scope), ("my-targets-title", Some(&name)), "my-targets").await
}

/// The person's plans again with 422 and why the set was not opened.
async fn refuse_opening(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    key: &'static str,
) -> AppResult<Response> {
    let cycles = plan_boards::my_cycles(&mut *state.pool.acquire().await?, user.id()).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &MyTargetsPage { ctx, cycles, refusal: Some(key) })
}

#[derive(Deserialize)]
pub struct OpenSetForm {
    cycle_id: i64,
    level: String,
    #[serde(default)]
    department_id: Option<i64>,
}

/// Opens (creating if needed) a set: one's own, a department's, or the
/// office's work points. A new set is created only for a participant of the
/// cycle (403 otherwise) while the cycle is in planning (422 otherwise, and
/// for an unknown cycle). A new person set is pre-filled from the post's templates.
pub async fn open_set(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<OpenSetForm>,
) -> AppResult<Response> {
    let level = TargetLevel::parse(&form.level).ok_or(AppError::BadRequest)?;
    let (department_id, person_id) = match level {
        TargetLevel::Person => (user.principal.department_id, Some(user.id())),
        TargetLevel::Department => (Some(form.department_id.ok_or(AppError::BadRequest)?), None),
        TargetLevel::Office => (None, None),
    };
    let facts = policy::SetFacts { level, department_id, person_id, owner_is_head: false };
    policy::require_edit_set(user.id(), user.grants(), &facts)?;
    let mut tx = state.pool.begin().await?;
    let opening = targets::opening_facts(&mut tx, form.cycle_id, level, department_id, person_id).await?;
    let Some(opening) = opening else {
        drop(tx);
        return refuse_opening(&state, &user, ctx, "plan-error-no-such-cycle").await;
    };
    if let Some(set_id) = opening.existing {
        return Ok(Redirect::to(&format!("/plan/sets/{set_id}")).into_response());
    }
    if !opening.takes_part {
        return Err(AppError::Forbidden);
    }
    if let Err(refusal) = plan::may_open_set(opening.stage) {
        drop(tx);
        return refuse_opening(&state, &user, ctx, refusal.label_key()).await;
    }
    let (set_id, created) = targets::ensure_set(&mut tx, form.cycle_id, level, department_id, person_id).await?;
    if created {
        let set = targets::find_set(&mut tx, set_id).await?.ok_or(AppError::NotFound)?;
        let prefilled =
            if level == TargetLevel::Person { prefill_from_post(&mut tx, &set, user.id()).await? } else { 0 };
        let summary = json!({ "cycle_id": form.cycle_id, "level": level.code(), "prefilled": prefilled });
        audit::record(&mut tx, &user.audit, AuditEvent::new("target_set.created", "target_set", set_id, summary))
            .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/plan/sets/{set_id}")).into_response())
}

/// Adds the person's post templates to a new set, owned by the person with
/// the post's B as backup and due at the end of the cycle; the number added.
async fn prefill_from_post(conn: &mut PgConnection, set: &SetRow, person_id: i64) -> AppResult<usize> {
    let Some((post_id, backup_id)) = targets::post_of(conn, person_id).await? else { return Ok(0) };
    let templates = post_templates::for_post(conn, post_id).await?;
    for t in &templates {
        let data = TargetData {
            post_id: Some(post_id),
            title: t.title.clone(),
            category: Some(t.category),
            measure: t.measure.clone(),
            unit: t.unit.clone(),
            target_value: t.target_value,
            direction: Some(t.direction),
            weight: t.weight,
            quality_requirement: t.quality_requirement.clone(),
            assessment_method: t.assessment_method.clone(),
            evidence_required: t.evidence_required.clone(),
            owner_id: Some(person_id),
            backup_id,
            sort_order: t.sort_order,
            deadline: Some(set.period_end),
            ..TargetData::default()
        };
        targets::create_target(conn, set.id, &data).await?;
    }
    Ok(templates.len())
}

#[derive(Template)]
#[template(path = "plan/set.html")]
pub struct SetPage {
    pub ctx: PageContext,
    pub set: SetRow,
    pub checks: SetChecks,
    /// The owner side's steps (edit, add, submit): not shown to whoever decides
    /// the set, even where the policy lets a head edit a staff set.
    pub can_edit: bool,
    pub can_decide: bool,
    pub editable: bool,
    pub decidable: bool,
}

/// The `{id}` of a set's address: `12` is the set page, `12.xlsx` its targets
/// in Excel (the router matches no parameter followed by a suffix in one segment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetAddress {
    Page(i64),
    Xlsx(i64),
}

impl<'de> Deserialize<'de> for SetAddress {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<SetAddress, D::Error> {
        let text = String::deserialize(deserializer)?;
        let parsed = match text.strip_suffix(".xlsx") {
            Some(id) => id.parse().map(SetAddress::Xlsx),
            None => text.parse().map(SetAddress::Page),
        };
        parsed.map_err(serde::de::Error::custom)
    }
}

/// The set, for someone who reads it (the page and its export share the check).
async fn readable_set(conn: &mut PgConnection, user: &CurrentUser, id: i64) -> AppResult<SetRow> {
    let set = targets::find_set(conn, id).await?.ok_or(AppError::NotFound)?;
    policy::require_view_set(user.id(), user.grants(), &set.facts())?;
    Ok(set)
}

/// `GET /plan/sets/{id}` and `GET /plan/sets/{id}.xlsx`.
pub async fn set_page(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(address): Path<SetAddress>,
) -> AppResult<Response> {
    match address {
        SetAddress::Page(id) => set_html(state, user, ctx, id).await,
        SetAddress::Xlsx(id) => set_xlsx(state, user, ctx, id).await,
    }
}

/// The set's targets in Excel, as the set page lists them.
async fn set_xlsx(state: AppState, user: CurrentUser, ctx: PageContext, id: i64) -> AppResult<Response> {
    let set = readable_set(&mut *state.pool.acquire().await?, &user, id).await?;
    let owner = set.person_name.clone().or(set.department_name.clone()).unwrap_or_else(|| ctx.t("level-office"));
    let detail = format!("{} · {owner} · {}", ctx.t(&set.level.label_key()), set.cycle_name);
    let scope = TargetScope::Set { set_id: id };
    target_xlsx::download(
        &state,
        &ctx,
        Some(scope),
        ("target-sheet-title", Some(&detail)),
        &format!("targets-set-{id}"),
    )
    .await
}

/// The set page: targets, checks and the steps the viewer may take.
async fn set_html(state: AppState, user: CurrentUser, ctx: PageContext, id: i64) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let set = readable_set(&mut conn, &user, id).await?;
    let grants = user.grants();
    let checks = SetChecks::new(&set, targets::targets_of_set(&mut conn, id).await?);
    let editable = plan::plan_transition(set.status, PlanStep::Edit, set.stage).is_ok();
    let decidable = plan::plan_transition(set.status, PlanStep::Approve, set.stage).is_ok();
    let can_decide = policy::can_decide_set(user.id(), grants, &set.facts());
    let page = SetPage {
        can_edit: policy::can_edit_set(user.id(), grants, &set.facts()) && !can_decide,
        can_decide,
        ctx,
        set,
        checks,
        editable,
        decidable,
    };
    render(&page)
}

impl SetPage {
    /// The set's targets in Excel.
    pub fn export_href(&self) -> String {
        format!("/plan/sets/{}.xlsx", self.set.id)
    }
}

#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    reason: String,
}

async fn step(
    state: &AppState,
    user: &CurrentUser,
    session: &Session,
    id: i64,
    form: StepForm,
    step: PlanStep,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    // The reason box sits in the one decision form: only a return keeps it.
    let reason = if step == PlanStep::Return { form.reason.as_str() } else { "" };
    let flash = match apply_step(&mut tx, user, id, form.version, step, reason).await? {
        Ok(to) => {
            tx.commit().await?;
            Flash::success(&format!("plan-step-done-{}", to.code()))
        }
        Err(refusal) => Flash::error(refusal.label_key()),
    };
    flash.set(session).await?;
    Ok(Redirect::to(&format!("/plan/sets/{id}")).into_response())
}

/// Authorised in `apply_step` against the locked set (`policy::can_edit_set`).
pub async fn submit_set(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> AppResult<Response> {
    step(&state, &user, &session, id, form, PlanStep::Submit).await
}

/// Authorised in `apply_step` against the locked set (`policy::can_decide_set`).
pub async fn return_set(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> AppResult<Response> {
    step(&state, &user, &session, id, form, PlanStep::Return).await
}

/// Authorised in `apply_step` against the locked set (`policy::can_decide_set`).
pub async fn approve_set(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> AppResult<Response> {
    step(&state, &user, &session, id, form, PlanStep::Approve).await
}

/// Copies the owner's targets of the previous cycle of the same kind into this
/// set, deadlines moved by the distance between the cycles. Authorised by
/// `editable_set` against the locked set (`policy::can_edit_set`).
pub async fn copy_last(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let set = match editable_set(&mut tx, &user, id, Some(form.version)).await? {
        Ok(set) => set,
        Err(refusal) => {
            Flash::error(refusal.label_key()).set(&session).await?;
            return Ok(Redirect::to(&format!("/plan/sets/{id}")).into_response());
        }
    };
    let previous = match targets::previous_cycle(&mut tx, set.cycle_id).await? {
        Some((cycle, start)) => targets::same_owner_set(&mut tx, &set, cycle).await?.map(|s| (s, start)),
        None => None,
    };
    let Some((previous_set, previous_start)) = previous else {
        Flash::error("plan-nothing-to-copy").set(&session).await?;
        return Ok(Redirect::to(&format!("/plan/sets/{id}")).into_response());
    };
    let shift = set.period_start - previous_start;
    let rows = targets::targets_of_set(&mut tx, previous_set).await?;
    let actuals = targets::verified_values(&mut tx, previous_set).await?;
    for row in &rows {
        // docs/DOMAIN.md §6.5: last cycle's verified value is the new baseline;
        // a target never verified leaves it blank rather than carry an older one.
        let data = TargetData {
            parent_id: None,
            deadline: row.deadline.map(|d| d + shift),
            baseline: if row.kind == TargetKind::Qualitative { None } else { actuals.get(&row.id).copied() },
            ..TargetData::from_row(row)
        };
        targets::create_target(&mut tx, id, &data).await?;
    }
    let summary = json!({ "from_set": previous_set, "copied": rows.len() });
    audit::record(&mut tx, &user.audit, AuditEvent::new("target_set.copied_last", "target_set", id, summary)).await?;
    tx.commit().await?;
    Flash::success_named("plan-copied", rows.len().to_string()).set(&session).await?;
    Ok(Redirect::to(&format!("/plan/sets/{id}")).into_response())
}

#[cfg(test)]
mod tests {
    use crate::domain::plan::PlanStatus;
    use crate::i18n::Lang;

    #[test]
    fn a_set_address_is_the_page_or_its_export() {
        use super::SetAddress;
        let parse = |text: &str| serde_json::from_value::<SetAddress>(serde_json::json!(text)).ok();
        assert_eq!(parse("12"), Some(SetAddress::Page(12)));
        assert_eq!(parse("12.xlsx"), Some(SetAddress::Xlsx(12)));
        assert_eq!(parse("12.csv"), None);
        assert_eq!(parse("x.xlsx"), None);
    }

    #[test]
    fn every_step_outcome_has_a_message() {
        for status in [PlanStatus::Submitted, PlanStatus::Returned, PlanStatus::Approved] {
            let key = format!("plan-step-done-{}", status.code());
            for lang in Lang::ALL {
                assert_ne!(lang.t(&key), key, "{lang:?} lacks {key}");
            }
        }
    }
}

//! The assessment committee's decision (docs/DOMAIN.md §17.15): the grades
//! computed at that moment are frozen as the cycle's results and the top
//! grades published (公示) for the scheme's work days; anyone signed in may
//! object to a published result, and the committee answers, upholding (a new
//! grade, audited) or dismissing; after publicity the results stand.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use super::scores::{Calibrating, CalibrationForm, Typed};
use crate::auth::csrf::{CsrfChecked, CsrfForm};
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::cycles::{self, CycleRow};
use crate::db::decisions::{self, DecisionRow, ObjectionRow, ResultRow};
use crate::db::department_assessment;
use crate::domain::assessment::{DecidedGrade, Level};
use crate::domain::plan::CycleStage;
use crate::domain::policy::{self, Permission};
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::forms::{FormErrors, optional_id};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::workflow::assessment::{self, computed_results};
use crate::workflow::results::{self, Correction, ResultSource};

/// Days after its end that a publicity stays on the publicity page.
const SHOWN_AFTER_DAYS: i32 = 30;

/// Decides the cycle: freezes every participant's computed grade and opens
/// publicity for the scheme's work days (the committee; once, in the
/// assessment stage).
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    _: CsrfChecked,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::DecideAssessment)?;
    let today = state.clock.today();
    let mut tx = state.pool.begin().await?;
    let cycle = cycles::find_for_update(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let back = Redirect::to(&format!("/assess/cycles/{id}/scores")).into_response();
    if cycle.stage != CycleStage::Assessment {
        Flash::error("decision-not-in-assessment").set(&session).await?;
        return Ok(back);
    }
    let Some((results, until)) = assessment::decide(&mut tx, &cycle, user.id(), state.clock.now(), today).await? else {
        Flash::error("decision-already").set(&session).await?;
        return Ok(back);
    };
    let summary = json!({ "results": results, "publicity_until": until });
    audit::record(&mut tx, &user.audit, AuditEvent::new("assessment.decided", "cycle", id, summary)).await?;
    tx.commit().await?;
    Flash::success("decision-made").set(&session).await?;
    Ok(back)
}

#[derive(Template)]
#[template(path = "assess/decided.html")]
pub struct DecidedPage {
    pub ctx: PageContext,
    pub cycle: CycleRow,
    pub decision: DecisionRow,
    pub results: Vec<ResultRow>,
    pub objections: Vec<ObjectionRow>,
    pub can_answer: bool,
    pub user_id: i64,
    pub today: NaiveDate,
    /// The departments whose registration forms the reader prints in one batch.
    pub form_departments: Vec<crate::db::forms::FormDepartment>,
}

impl DecidedPage {
    pub fn xlsx_href(&self) -> String {
        format!("/assess/cycles/{}/scores.xlsx", self.cycle.id)
    }

    pub fn grade_key(&self, row: &ResultRow, grade: &DecidedGrade) -> &'static str {
        grade.label_key(row.identity_type)
    }

    pub fn score(&self, row: &ResultRow) -> String {
        row.score.map(|s| s.normalize().to_string()).unwrap_or_else(|| "—".into())
    }

    pub fn final_(&self) -> bool {
        self.today > self.decision.publicity_until
    }

    /// The grades an upheld objection about `person` may give.
    pub fn alternatives(&self, person: &i64) -> Vec<(String, &'static str)> {
        self.results
            .iter()
            .find(|r| r.person_id == *person)
            .map(|r| r.grade.alternatives().into_iter().map(|g| (g.code(), g.label_key(r.identity_type))).collect())
            .unwrap_or_default()
    }

    pub fn may_answer(&self, objection: &ObjectionRow) -> bool {
        self.can_answer && objection.upheld.is_none() && objection.raised_by != self.user_id
    }
}

/// The frozen results of a decided cycle as the reader may see them (the
/// ranking page shows this once the cycle is decided).
pub(super) async fn decided_page(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    cycle: CycleRow,
    decision: DecisionRow,
    results: Vec<ResultRow>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let objections = decisions::objections(&mut conn, cycle.id).await?;
    let can_answer = policy::allows(user.grants(), Permission::DecideAssessment);
    let form_departments = super::forms::printable_departments(&mut conn, user.grants(), cycle.id).await?;
    let page = DecidedPage {
        ctx,
        cycle,
        decision,
        results,
        objections,
        can_answer,
        user_id: user.id(),
        today: state.clock.today(),
        form_departments,
    };
    render(&page)
}

/// One decision on the publicity page: its top grades, and the objections.
pub struct Published {
    pub decision: DecisionRow,
    pub top: Vec<ResultRow>,
    pub running: bool,
}

#[derive(Template)]
#[template(path = "assess/publicity.html")]
pub struct PublicityPage {
    pub ctx: PageContext,
    pub published: Vec<Published>,
    /// The years whose Excellent departments are (or were lately) published.
    pub departments: Vec<PublishedDepartments>,
    pub form: ObjectionForm,
    pub errors: FormErrors,
}

impl PublicityPage {
    pub fn grade_key(&self, row: &ResultRow) -> &'static str {
        row.grade.label_key(row.identity_type)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ObjectionForm {
    #[serde(default)]
    pub cycle_id: String,
    #[serde(default)]
    pub person_id: String,
    #[serde(default)]
    pub body: String,
}

async fn publicity_page(
    state: &AppState,
    ctx: PageContext,
    form: ObjectionForm,
    errors: FormErrors,
) -> AppResult<PublicityPage> {
    let today = state.clock.today();
    let mut conn = state.pool.acquire().await?;
    let mut published = Vec::new();
    for decision in decisions::recent(&mut conn, today, SHOWN_AFTER_DAYS).await? {
        let results = decisions::results(&mut conn, decision.cycle_id, None).await?;
        let top = results.into_iter().filter(|r| r.grade.is_top()).collect();
        let running = decision.publicity_from <= today && today <= decision.publicity_until;
        published.push(Published { decision, top, running });
    }
    let mut departments = Vec::new();
    for year in
        department_assessment::publicised_since(&mut conn, today - Duration::days(SHOWN_AFTER_DAYS.into())).await?
    {
        let Some(decision) = department_assessment::decision(&mut conn, year).await? else { continue };
        let results = department_assessment::results::<serde_json::Value>(&mut conn, decision.id).await?;
        let excellent =
            results.into_iter().filter(|r| r.grade == Some(Level::Excellent)).map(|r| r.department_name).collect();
        departments.push(PublishedDepartments { running: today <= decision.publicity_until, decision, excellent });
    }
    Ok(PublicityPage { ctx, published, departments, form, errors })
}

/// A year's Excellent departments in publicity (docs/DOMAIN.md §18.4).
pub struct PublishedDepartments {
    pub decision: department_assessment::Decision,
    pub excellent: Vec<String>,
    pub running: bool,
}

/// The publicity (公示) of the top grades: everyone signed in.
pub async fn publicity(State(state): State<AppState>, _user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    render(&publicity_page(&state, ctx, ObjectionForm::default(), FormErrors::default()).await?)
}

/// Raises an objection to a published result while its publicity runs:
/// anyone signed in; the person must be one published (422 with the text kept).
pub async fn object(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<ObjectionForm>,
) -> AppResult<Response> {
    let today = state.clock.today();
    let mut errors = FormErrors::default();
    let body = errors.check("body", validate::required_text(&form.body, 1000));
    let cycle_id = optional_id(&form.cycle_id).ok().flatten();
    let person_id =
        errors.check("person_id", optional_id(&form.person_id).and_then(|p| p.ok_or(FieldError::Required)).map(Some));
    let mut tx = state.pool.begin().await?;
    let decision = match cycle_id {
        Some(id) => decisions::find(&mut tx, id).await?,
        None => None,
    };
    let running = decision.as_ref().filter(|d| d.publicity_from <= today && today <= d.publicity_until);
    let published = match (running, person_id) {
        (Some(d), Some(person)) => decisions::results(&mut tx, d.cycle_id, None)
            .await?
            .into_iter()
            .any(|r| r.person_id == person && r.grade.is_top()),
        _ => false,
    };
    if !published {
        errors.add("person_id", FieldError::Invalid);
    }
    let (Some(decision), Some(person_id), true) = (running, person_id, errors.is_empty()) else {
        drop(tx);
        let page = publicity_page(&state, ctx, form, errors).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let id = decisions::raise(&mut tx, decision.cycle_id, person_id, user.id(), state.clock.now(), &body).await?;
    let event = AuditEvent::new(
        "publicity.objection_raised",
        "publicity_objection",
        id,
        json!({ "cycle_id": decision.cycle_id }),
    );
    audit::record(&mut tx, &user.audit, event).await?;
    tx.commit().await?;
    Flash::success("objection-raised").set(&session).await?;
    Ok(Redirect::to("/assess/publicity").into_response())
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AnswerForm {
    /// `uphold` or `dismiss`.
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub grade: String,
    #[serde(default)]
    pub answer: String,
}

/// Answers an objection (the committee; never the one who raised it):
/// dismissed, or upheld with the person's new grade, audited.
pub async fn answer(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<AnswerForm>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::DecideAssessment)?;
    let mut tx = state.pool.begin().await?;
    let objection = decisions::lock_objection(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    policy::allow(objection.raised_by != user.id())?;
    let back = Redirect::to(&format!("/assess/cycles/{}/scores", objection.cycle_id)).into_response();
    let answer = validate::required_text(&form.answer, 1000);
    let current = decisions::results(&mut tx, objection.cycle_id, None)
        .await?
        .into_iter()
        .find(|r| r.person_id == objection.person_id)
        .ok_or(AppError::NotFound)?;
    let grade = DecidedGrade::parse(&form.grade).filter(|g| current.grade.alternatives().contains(g));
    let (upheld, answer) = match (form.outcome.as_str(), answer) {
        ("dismiss", Ok(answer)) => (false, answer),
        ("uphold", Ok(answer)) if grade.is_some() => (true, answer),
        _ => {
            Flash::error("objection-answer-invalid").set(&session).await?;
            return Ok(back);
        }
    };
    if !decisions::answer(&mut tx, id, upheld, &answer, user.id(), state.clock.now()).await? {
        Flash::error("objection-answered-already").set(&session).await?;
        return Ok(back);
    }
    let mut summary = json!({ "cycle_id": objection.cycle_id, "upheld": upheld });
    if let (true, Some(grade)) = (upheld, grade) {
        let correction = Correction {
            cycle_id: objection.cycle_id,
            person_id: objection.person_id,
            grade,
            score: None,
            reason: &answer,
            source: ResultSource::Objection,
            source_id: id,
            by: user.id(),
            at: state.clock.now(),
        };
        results::correct(&mut tx, &user.audit, &correction, state.clock.today()).await?;
        summary["person_id"] = json!(objection.person_id);
        summary["grade"] = json!({ "before": current.grade.code(), "after": grade.code() });
    }
    audit::record(
        &mut tx,
        &user.audit,
        AuditEvent::new("publicity.objection_answered", "publicity_objection", id, summary),
    )
    .await?;
    tx.commit().await?;
    Flash::success(if upheld { "objection-upheld" } else { "objection-dismissed" }).set(&session).await?;
    Ok(back)
}

/// Sets a person's grade apart from the computed one before the decision,
/// always with a written reason (the committee; the cycle in assessment and
/// not decided). Choosing the computed grade again removes the calibration.
pub async fn calibrate(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<CalibrationForm>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::DecideAssessment)?;
    let mut tx = state.pool.begin().await?;
    let cycle = cycles::find_for_update(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if cycle.stage != CycleStage::Assessment || decisions::find(&mut tx, id).await?.is_some() {
        Flash::error("calibration-closed").set(&session).await?;
        return Ok(Redirect::to(&format!("/assess/cycles/{id}/scores")).into_response());
    }
    let mut errors = FormErrors::default();
    let person = optional_id(&form.person_id).ok().flatten();
    let participants = crate::db::ballots::participants(&mut tx, id, None).await?;
    if person.is_none_or(|p| !participants.iter().any(|x| x.person_id == p)) {
        errors.add("person_id", FieldError::Invalid);
    } else if person == Some(user.id()) {
        errors.add_message("person_id", "error-own");
    }
    let kind_matches = |g: &DecidedGrade| {
        matches!(
            (g, cycle.kind),
            (DecidedGrade::Annual(_), crate::domain::plan::CycleKind::Annual)
                | (
                    DecidedGrade::Quarter(_),
                    crate::domain::plan::CycleKind::Quarterly | crate::domain::plan::CycleKind::Special
                )
        )
    };
    let grade = DecidedGrade::parse(&form.grade).filter(kind_matches);
    if grade.is_none() {
        errors.add("grade", FieldError::Required);
    }
    let reason = errors.check("reason", validate::required_text(&form.reason, 500));
    let (Some(person), Some(grade), true) = (person, grade, errors.is_empty()) else {
        drop(tx);
        let typed = Typed::calibration(Calibrating { form, errors });
        return super::scores::scores_page(&state, &user, ctx, id, typed, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let computed = computed_results(&mut tx, &cycle, state.clock.today()).await?;
    let computed = computed.iter().find(|r| r.person_id == person).map(|r| r.computed);
    let set = (computed != Some(grade)).then_some((grade, reason.as_str()));
    decisions::calibrate(&mut tx, id, person, set, user.id(), state.clock.now()).await?;
    let summary = json!({
        "person_id": person, "computed": computed.map(|g| g.code()), "grade": grade.code(), "reason": reason,
    });
    audit::record(&mut tx, &user.audit, AuditEvent::new("assessment.calibrated", "cycle", id, summary)).await?;
    tx.commit().await?;
    Flash::success("calibration-saved").set(&session).await?;
    Ok(Redirect::to(&format!("/assess/cycles/{id}/scores")).into_response())
}

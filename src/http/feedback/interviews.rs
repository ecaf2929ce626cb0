//! Feedback interviews (绩效面谈, docs/DOMAIN.md §19.2): the head (or the
//! supervising leader, for a head) schedules the interview of a final
//! result, records strengths, gaps, goals and agreed actions with a private
//! note of their own, and the person confirms the record or comments on it.
//! The private note is read only for its interviewer's own page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::interviews::{self, FinalCycle, InterviewForPerson, InterviewLine};
use crate::domain::feedback::{InterviewRecord, InterviewRecordInput, InterviewState, TEXT_MAX};
use crate::domain::policy;
use crate::domain::roles::Role;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

/// The departments whose people the user interviews (headed or overseen).
fn interviewed_departments(user: &CurrentUser) -> Vec<i64> {
    let mut departments = user.grants().departments_for(Role::DepartmentHead);
    departments.extend(user.grants().departments_for(Role::SupervisingLeader));
    departments
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct InterviewsQuery {
    #[serde(default)]
    pub cycle: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    pub cycle_id: String,
    #[serde(default)]
    pub person_id: String,
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub time: String,
    #[serde(default)]
    pub place: String,
}

#[derive(Template)]
#[template(path = "feedback/interviews.html")]
pub struct InterviewsPage {
    pub ctx: PageContext,
    pub about_me: Vec<InterviewForPerson>,
    pub cycles: Vec<FinalCycle>,
    pub cycle_id: Option<i64>,
    /// The results the user interviews in the chosen cycle (not their own).
    pub lines: Vec<InterviewLine>,
    pub interviews: bool,
    pub form: ScheduleForm,
    pub errors: FormErrors,
}

impl InterviewsPage {
    pub fn state_key(&self, line: &InterviewLine) -> &'static str {
        match line.interview_id {
            None => "interview-state-none",
            Some(_) => InterviewState::of(line.held_on.is_some(), line.confirmed_at.is_some()).label_key(),
        }
    }

    pub fn own_state_key(&self, i: &InterviewForPerson) -> &'static str {
        InterviewState::of(i.held_on.is_some(), i.confirmed_at.is_some()).label_key()
    }
}

async fn interviews_page(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    cycle: Option<i64>,
    form: ScheduleForm,
    errors: FormErrors,
) -> AppResult<InterviewsPage> {
    let mut conn = state.pool.acquire().await?;
    let today = state.clock.today();
    let about_me = interviews::of_person(&mut conn, user.id()).await?;
    let departments = interviewed_departments(user);
    let interviews = !departments.is_empty();
    let cycles = if interviews { interviews::final_cycles(&mut conn, today).await? } else { Vec::new() };
    let cycle_id = cycle.filter(|c| cycles.iter().any(|f| f.id == *c)).or(cycles.first().map(|c| c.id));
    let lines = match cycle_id {
        Some(cycle_id) => interviews::lines(&mut conn, cycle_id, Some(&departments))
            .await?
            .into_iter()
            .filter(|l| policy::can_interview(user.id(), user.grants(), l.person_id, l.department_id))
            .collect(),
        None => Vec::new(),
    };
    Ok(InterviewsPage { ctx, about_me, cycles, cycle_id, lines, interviews, form, errors })
}

/// Any signed-in person: the interviews about them; heads and supervising
/// leaders also the final results of a cycle they interview.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<InterviewsQuery>,
) -> AppResult<Response> {
    render(&interviews_page(&state, &user, ctx, query.cycle, ScheduleForm::default(), FormErrors::default()).await?)
}

/// Schedules (or moves, until held) the interview of a final result: the
/// result's head or supervising leader; a person or cycle they cannot
/// choose is refused with 422.
pub async fn schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<ScheduleForm>,
) -> AppResult<Response> {
    policy::allow(!interviewed_departments(&user).is_empty())?;
    let today = state.clock.today();
    let mut errors = FormErrors::default();
    let cycle_id = form.cycle_id.trim().parse::<i64>().ok();
    let person_id = form.person_id.trim().parse::<i64>().ok();
    let day = errors.check("day", parse_day(&form.day, today));
    let time =
        errors.check("time", NaiveTime::parse_from_str(form.time.trim(), "%H:%M").map_err(|_| FieldError::Invalid));
    let place = errors.check("place", validate::optional_text(&form.place, 200));
    let mut tx = state.pool.begin().await?;
    let department = match (cycle_id, person_id) {
        (Some(c), Some(p)) => interviews::final_result_department(&mut tx, c, p, today).await?,
        _ => None,
    };
    let allowed =
        department.is_some_and(|d| policy::can_interview(user.id(), user.grants(), person_id.unwrap_or(0), d));
    if !allowed {
        errors.add_message("person_id", "interview-error-person");
    }
    if !errors.is_empty() {
        drop(tx);
        let page = interviews_page(&state, &user, ctx, cycle_id, form, errors).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let (cycle_id, person_id) = (cycle_id.unwrap_or(0), person_id.unwrap_or(0));
    let at = crate::clock::office_instant(day, 0) + (time - NaiveTime::MIN);
    let Some(id) = interviews::schedule(&mut tx, cycle_id, person_id, user.id(), at, &place).await? else {
        Flash::error("interview-held-already").set(&session).await?;
        return Ok(Redirect::to(&format!("/feedback/interviews?cycle={cycle_id}")).into_response());
    };
    let summary = json!({ "cycle_id": cycle_id, "person_id": person_id, "day": day });
    audit::record(&mut tx, &user.audit, AuditEvent::new("interview.scheduled", "feedback_interview", id, summary))
        .await?;
    tx.commit().await?;
    Flash::success("interview-scheduled").set(&session).await?;
    Ok(Redirect::to(&format!("/feedback/interviews/{id}")).into_response())
}

fn parse_day(text: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    match text.trim() {
        "" => Err(FieldError::Required),
        text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .filter(|d| (*d - today).num_days().abs() <= 366)
            .ok_or(FieldError::Invalid),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RecordForm {
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub strengths: String,
    #[serde(default)]
    pub gaps: String,
    #[serde(default)]
    pub goals: String,
    #[serde(default)]
    pub actions: String,
    #[serde(default)]
    pub private_note: String,
    #[serde(default)]
    pub version: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub version: String,
}

#[derive(Template)]
#[template(path = "feedback/interview.html")]
pub struct InterviewPage {
    pub ctx: PageContext,
    pub interview: InterviewForPerson,
    /// The interviewer's own note: `Some` only on the interviewer's page.
    pub private_note: Option<String>,
    pub own: bool,
    pub record: RecordForm,
    pub confirm: ConfirmForm,
    pub errors: FormErrors,
    pub refusal: Option<&'static str>,
}

impl InterviewPage {
    pub fn state_key(&self) -> &'static str {
        InterviewState::of(self.interview.held_on.is_some(), self.interview.confirmed_at.is_some()).label_key()
    }

    pub fn may_record(&self) -> bool {
        self.private_note.is_some() && self.interview.confirmed_at.is_none()
    }

    pub fn may_confirm(&self) -> bool {
        self.own && self.interview.held_on.is_some() && self.interview.confirmed_at.is_none()
    }
}

async fn interview_page(
    conn: &mut sqlx::PgConnection,
    user: &CurrentUser,
    ctx: PageContext,
    id: i64,
) -> AppResult<InterviewPage> {
    let interview = interviews::for_person(conn, id).await?.ok_or(AppError::NotFound)?;
    let interviewer = interview.interviewer_id == user.id();
    if !interviewer {
        policy::require_read_feedback(user.id(), user.grants(), interview.person_id, interview.department_id)?;
    }
    let private_note = if interviewer { interviews::private_note(conn, id, user.id()).await? } else { None };
    let record = RecordForm {
        held_on: interview.held_on.map(|d| d.to_string()).unwrap_or_default(),
        strengths: interview.strengths.clone(),
        gaps: interview.gaps.clone(),
        goals: interview.goals.clone(),
        actions: interview.actions.clone(),
        private_note: private_note.clone().unwrap_or_default(),
        version: interview.version.to_string(),
    };
    let confirm = ConfirmForm { comment: String::new(), version: interview.version.to_string() };
    let own = interview.person_id == user.id();
    Ok(InterviewPage {
        ctx,
        interview,
        private_note,
        own,
        record,
        confirm,
        errors: FormErrors::default(),
        refusal: None,
    })
}

/// The interview: the person, the interviewer, those who follow the department.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    render(&interview_page(&mut conn, &user, ctx, id).await?)
}

/// The interviewer records the held interview; 422 with the input kept on
/// a missing field, 409 when it changed since the form was read.
pub async fn record(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<RecordForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let mut page = interview_page(&mut tx, &user, ctx, id).await?;
    policy::allow(page.may_record())?;
    let input = InterviewRecordInput {
        held_on: &form.held_on,
        strengths: &form.strengths,
        gaps: &form.gaps,
        goals: &form.goals,
        actions: &form.actions,
        private_note: &form.private_note,
    };
    let version = form.version.trim().parse().unwrap_or(-1);
    let parsed = InterviewRecord::parse(&input, state.clock.today());
    let saved = match &parsed {
        Ok(record) => interviews::record(&mut tx, id, user.id(), version, record).await?,
        Err(_) => false,
    };
    if !saved {
        let status = match parsed {
            Err(errors) => {
                errors.into_iter().for_each(|(field, error)| page.errors.add(field, error));
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Ok(_) => {
                page.refusal = Some("interview-error-stale");
                StatusCode::CONFLICT
            }
        };
        page.record = form;
        return render_with(status, &page);
    }
    let summary = json!({ "cycle_id": page.interview.cycle_id, "person_id": page.interview.person_id });
    audit::record(&mut tx, &user.audit, AuditEvent::new("interview.recorded", "feedback_interview", id, summary))
        .await?;
    tx.commit().await?;
    Flash::success("interview-recorded").set(&session).await?;
    Ok(Redirect::to(&format!("/feedback/interviews/{id}")).into_response())
}

/// The person confirms the record, with a comment if they wish.
pub async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ConfirmForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let mut page = interview_page(&mut tx, &user, ctx, id).await?;
    policy::allow(page.own)?;
    let comment = validate::optional_text(&form.comment, TEXT_MAX);
    let version = form.version.trim().parse().unwrap_or(-1);
    let confirmed = match &comment {
        Ok(comment) if page.may_confirm() => {
            interviews::confirm(&mut tx, id, user.id(), version, comment, state.clock.now()).await?
        }
        _ => false,
    };
    if !confirmed {
        let status = match comment {
            Err(error) => {
                page.errors.add("comment", error);
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Ok(_) => {
                page.refusal = Some("interview-error-stale");
                StatusCode::CONFLICT
            }
        };
        page.confirm = form;
        return render_with(status, &page);
    }
    let summary = json!({ "cycle_id": page.interview.cycle_id, "with_comment": !form.comment.trim().is_empty() });
    audit::record(&mut tx, &user.audit, AuditEvent::new("interview.confirmed", "feedback_interview", id, summary))
        .await?;
    tx.commit().await?;
    Flash::success("interview-confirmed").set(&session).await?;
    Ok(Redirect::to(&format!("/feedback/interviews/{id}")).into_response())
}

//! Paper ballots of a democratic evaluation meeting (民主测评, docs/DOMAIN.md
//! §17.12): the performance office enters, for a department, how many paper
//! ballots gave each level to each person rated and which raters attended on
//! paper; the attendees' tasks turn done, the ballots are stored anonymous and
//! marked paper, and the audit row names the cycle, the department and the
//! number of ballots only.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::ballots::{self, DepartmentChoice};
use crate::db::cycles::{self, CycleRow};
use crate::db::decisions;
use crate::domain::assessment::Level;
use crate::domain::assessment::paper::{PaperProblem, attend_field, check_paper_batch, count_field};
use crate::domain::plan::CycleStage;
use crate::domain::policy::{self, Permission};
use crate::error::{AppError, AppResult};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::workflow::ballots::{PaperMeeting, enter_paper_batch, paper_meeting};

#[derive(Template)]
#[template(path = "assess/paper_ballots.html")]
pub struct PaperPage {
    pub ctx: PageContext,
    pub cycle: CycleRow,
    /// Departments whose participants have democratic tasks in the cycle.
    pub departments: Vec<DepartmentChoice>,
    /// The department chosen (one of `departments`).
    pub department: Option<i64>,
    pub meeting: PaperMeeting,
    pub levels: [Level; 4],
    /// The counts and checkboxes as typed, kept when the batch comes back.
    pub typed: BTreeMap<String, String>,
    pub problems: Vec<PaperProblem>,
    /// The department sent was not one offered.
    pub department_error: bool,
    /// The committee has decided the cycle: its results are frozen.
    pub decided: bool,
}

impl PaperPage {
    fn new(
        ctx: PageContext,
        cycle: CycleRow,
        departments: Vec<DepartmentChoice>,
        department: Option<i64>,
        meeting: PaperMeeting,
        decided: bool,
    ) -> PaperPage {
        PaperPage {
            ctx,
            cycle,
            departments,
            department,
            meeting,
            levels: Level::ALL,
            typed: BTreeMap::new(),
            problems: Vec::new(),
            department_error: false,
            decided,
        }
    }

    /// Whether ballots may be entered: the cycle is in the assessment stage
    /// and not decided (a decided cycle's results would never count them).
    pub fn open(&self) -> bool {
        self.cycle.stage == CycleStage::Assessment && !self.decided
    }

    pub fn is_chosen(&self, department: &i64) -> bool {
        self.department == Some(*department)
    }

    pub fn count_name(&self, ratee: &i64, level: &Level) -> String {
        count_field(*ratee, *level)
    }

    pub fn count_value(&self, ratee: &i64, level: &Level) -> String {
        self.typed.get(&count_field(*ratee, *level)).cloned().unwrap_or_default()
    }

    pub fn attend_name(&self, rater: &i64) -> String {
        attend_field(*rater)
    }

    pub fn attended(&self, rater: &i64) -> bool {
        self.typed.contains_key(&attend_field(*rater))
    }

    /// The locale key of the problem with a person's counts, if any.
    pub fn ratee_error(&self, ratee: &i64) -> Option<&'static str> {
        self.problems
            .iter()
            .find(|p| matches!(p, PaperProblem::BadCount(r) | PaperProblem::OverAttendees(r) if r == ratee))
            .map(PaperProblem::label_key)
    }

    /// The locale key of the problem with the attendees, if any.
    pub fn attendee_error(&self) -> Option<&'static str> {
        self.problems
            .iter()
            .find(|p| matches!(p, PaperProblem::NoAttendee | PaperProblem::UnknownAttendee))
            .map(PaperProblem::label_key)
    }

    /// The locale keys of the problems not tied to a field.
    pub fn batch_errors(&self) -> Vec<&'static str> {
        let mut keys: Vec<&'static str> = self
            .problems
            .iter()
            .filter(|p| matches!(p, PaperProblem::UnknownRatee | PaperProblem::NoBallots))
            .map(PaperProblem::label_key)
            .collect();
        if !self.open() {
            keys.push("paper-closed");
        }
        keys
    }

    pub fn has_errors(&self) -> bool {
        !self.problems.is_empty() || self.department_error || !self.open()
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PaperQuery {
    #[serde(default)]
    pub department: String,
}

/// The paper entry of a cycle: choose a department, then the counts per
/// person and level and the raters who attended (the performance office).
pub async fn paper_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(cycle_id): Path<i64>,
    Query(query): Query<PaperQuery>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::ManageCycles)?;
    let mut tx = state.pool.begin().await?;
    let cycle = cycles::find(&mut tx, cycle_id).await?.ok_or(AppError::NotFound)?;
    let departments = ballots::paper_departments(&mut tx, cycle_id).await?;
    let department = query.department.parse::<i64>().ok().filter(|d| departments.iter().any(|x| x.id == *d));
    let meeting = match department {
        Some(d) => paper_meeting(&mut tx, cycle_id, d).await?,
        None => PaperMeeting::default(),
    };
    let decided = decisions::find(&mut tx, cycle_id).await?.is_some();
    tx.commit().await?;
    render(&PaperPage::new(ctx, cycle, departments, department, meeting, decided))
}

/// Enters a batch of paper ballots in one transaction: refused with 422 and
/// the input kept for a cycle outside the assessment stage or decided, an id not
/// offered, a count that is not a whole number, no attendee, or more ballots
/// for a person than attendees who had a task for them.
pub async fn enter_paper(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(cycle_id): Path<i64>,
    CsrfForm(typed): CsrfForm<BTreeMap<String, String>>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::ManageCycles)?;
    let mut tx = state.pool.begin().await?;
    let cycle = cycles::find_for_update(&mut tx, cycle_id).await?.ok_or(AppError::NotFound)?;
    let departments = ballots::paper_departments(&mut tx, cycle_id).await?;
    let sent = typed.get("department_id").and_then(|d| d.parse::<i64>().ok());
    let department = sent.filter(|d| departments.iter().any(|x| x.id == *d));
    let meeting = match department {
        Some(d) => paper_meeting(&mut tx, cycle_id, d).await?,
        None => PaperMeeting::default(),
    };
    let checked = check_paper_batch(&meeting.choices(), &typed);
    let decided = decisions::find(&mut tx, cycle_id).await?.is_some();
    let open = cycle.stage == CycleStage::Assessment && !decided;
    let (Some(department), Ok(batch), true) = (department, &checked, open) else {
        drop(tx);
        let mut page = PaperPage::new(ctx, cycle, departments, department, meeting, decided);
        page.problems = checked.err().unwrap_or_default();
        page.department_error = department.is_none();
        page.typed = typed;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let stored = enter_paper_batch(&mut tx, &cycle, &meeting, batch).await?;
    // Like an online democratic ballot, the row names no rater and no person rated.
    let summary = json!({ "department_id": department, "ballots": stored });
    audit::record(&mut tx, &user.audit, AuditEvent::new("ballot.paper_entered", "cycle", cycle_id, summary)).await?;
    tx.commit().await?;
    Flash::success_named("paper-entered", stored.to_string()).set(&session).await?;
    Ok(Redirect::to(&format!("/assess/cycles/{cycle_id}/ballots")).into_response())
}

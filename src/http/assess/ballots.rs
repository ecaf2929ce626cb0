//! Rater tasks and ballots (docs/DOMAIN.md §17.12): the performance office
//! generates a cycle's tasks from the organisation; each rater sees exactly
//! whom to rate, with progress, and casts one ballot per task, frozen once
//! cast. Democratic ballots are stored without their rater; their audit rows
//! name the cycle only.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::{CsrfChecked, CsrfForm};
use crate::auth::session::CurrentUser;
use crate::db::assessment_schemes;
use crate::db::audit::{self, AuditEvent};
use crate::db::ballots::{self, TaskRow};
use crate::db::cycles;
use crate::domain::assessment::raters::{self, BallotProblem, check_ballot, is_anonymous, level_code, parse_kind};
use crate::domain::assessment::{Criterion, Level, RaterKind, Scheme, TargetGroup};
use crate::domain::plan::CycleStage;
use crate::domain::policy::{self, Permission};
use crate::error::{AppError, AppResult};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::workflow::assessment::cycle_schemes;

/// The scheme a task's ballot follows: the cycle's for heads when the person
/// rated heads their department, else its staff scheme (docs/DOMAIN.md §17.10).
async fn scheme_of(conn: &mut PgConnection, task: &TaskRow) -> AppResult<Scheme> {
    let group = if task.ratee_is_head { TargetGroup::DepartmentHeads } else { TargetGroup::Staff };
    Ok(assessment_schemes::for_cycle(conn, task.cycle_id, task.year, group).await?)
}

/// The locale key of a stored rater group.
pub(super) fn kind_label(code: &str) -> &'static str {
    parse_kind(code).map(RaterKind::label_key).unwrap_or("assess-rater-democratic")
}

/// The scheme's ballot criteria, each with its dimension's name in `lang`.
pub(super) fn ballot_criteria(scheme: &Scheme, lang: Lang) -> Vec<(String, Criterion)> {
    scheme
        .criteria()
        .filter(|(_, c)| scheme.ballot_criteria().any(|b| b.key == c.key))
        .map(|(d, c)| (if lang == Lang::ZhCn { d.name_zh.clone() } else { d.name_en.clone() }, c.clone()))
        .collect()
}

/// One cycle's tasks of the rater, with its progress.
pub struct CycleTasks {
    pub cycle_name: String,
    pub tasks: Vec<TaskRow>,
    pub done: usize,
}

#[derive(Template)]
#[template(path = "assess/ballots.html")]
pub struct BallotsPage {
    pub ctx: PageContext,
    pub cycles: Vec<CycleTasks>,
}

impl BallotsPage {
    pub fn kind_key(&self, task: &TaskRow) -> &'static str {
        kind_label(&task.rater_kind)
    }

    pub fn is_anonymous(&self, task: &TaskRow) -> bool {
        parse_kind(&task.rater_kind).is_some_and(is_anonymous)
    }
}

/// Whom the signed-in person rates in the cycles being assessed: anyone
/// signed in (a person without tasks sees that they have none).
pub async fn list(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let mut cycles: Vec<CycleTasks> = Vec::new();
    for task in ballots::tasks_of(&mut conn, user.id()).await? {
        match cycles.last_mut() {
            Some(group) if group.tasks[0].cycle_id == task.cycle_id => group.tasks.push(task),
            _ => cycles.push(CycleTasks { cycle_name: task.cycle_name.clone(), tasks: vec![task], done: 0 }),
        }
    }
    for group in &mut cycles {
        group.done = group.tasks.iter().filter(|t| t.done).count();
    }
    render(&BallotsPage { ctx, cycles })
}

/// The ballot criteria of a scheme with a level to choose for each: what the
/// ballot form and a ballot's correction show (`assess/ballot_levels.html`),
/// with the levels as typed and the criteria left without one.
pub struct LevelGrid {
    /// The ballot criteria with their dimension's name.
    pub criteria: Vec<(String, Criterion)>,
    pub levels: [Level; 4],
    /// The levels as typed (criterion key → level code), kept when the form comes back.
    pub typed: BTreeMap<String, String>,
    /// Criteria left without a level.
    pub missing: Vec<String>,
    lang: Lang,
}

impl LevelGrid {
    pub fn new(scheme: &Scheme, lang: Lang, typed: BTreeMap<String, String>, missing: Vec<String>) -> Self {
        LevelGrid { criteria: ballot_criteria(scheme, lang), levels: Level::ALL, typed, missing, lang }
    }

    pub fn name(&self, criterion: &Criterion) -> String {
        criterion_name(self.lang, criterion)
    }

    pub fn code(&self, level: &Level) -> &'static str {
        level_code(*level)
    }

    pub fn chosen(&self, criterion: &Criterion, level: &Level) -> bool {
        self.typed.get(&criterion.key).is_some_and(|c| c == level_code(*level))
    }

    pub fn is_missing(&self, criterion: &Criterion) -> bool {
        self.missing.contains(&criterion.key)
    }
}

/// A criterion's name in the page's language.
pub(super) fn criterion_name(lang: Lang, criterion: &Criterion) -> String {
    if lang == Lang::ZhCn { criterion.name_zh.clone() } else { criterion.name_en.clone() }
}

#[derive(Template)]
#[template(path = "assess/ballot_form.html")]
pub struct BallotPage {
    pub ctx: PageContext,
    pub task: TaskRow,
    pub grid: LevelGrid,
}

impl BallotPage {
    fn new(
        ctx: PageContext,
        scheme: &Scheme,
        task: TaskRow,
        typed: BTreeMap<String, String>,
        missing: Vec<String>,
    ) -> BallotPage {
        let grid = LevelGrid::new(scheme, ctx.lang, typed, missing);
        BallotPage { ctx, task, grid }
    }

    pub fn kind_key(&self) -> &'static str {
        kind_label(&self.task.rater_kind)
    }

    pub fn is_anonymous(&self) -> bool {
        parse_kind(&self.task.rater_kind).is_some_and(is_anonymous)
    }

    pub fn action(&self) -> String {
        format!("/assess/ballots/{}/{}/{}", self.task.cycle_id, self.task.ratee_id, self.task.rater_kind)
    }
}

/// The ballot of one task of the signed-in person (404 for anyone else's,
/// or outside the assessment stage); a cast one is not offered again.
pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path((cycle_id, ratee_id, kind)): Path<(i64, i64, String)>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let task = ballots::lock_task(&mut conn, cycle_id, user.id(), ratee_id, &kind).await?.ok_or(AppError::NotFound)?;
    if task.done {
        Flash::error("ballot-already-cast").set(&session).await?;
        return Ok(Redirect::to("/assess/ballots").into_response());
    }
    let scheme = scheme_of(&mut conn, &task).await?;
    render(&BallotPage::new(ctx, &scheme, task, BTreeMap::new(), Vec::new()))
}

/// Casts the ballot: every ballot criterion needs a level (422 with the
/// choices kept); a cast ballot is frozen (a second one is refused).
pub async fn cast(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path((cycle_id, ratee_id, kind)): Path<(i64, i64, String)>,
    CsrfForm(typed): CsrfForm<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let task = ballots::lock_task(&mut tx, cycle_id, user.id(), ratee_id, &kind).await?.ok_or(AppError::NotFound)?;
    if task.done {
        Flash::error("ballot-already-cast").set(&session).await?;
        return Ok(Redirect::to("/assess/ballots").into_response());
    }
    let scheme = scheme_of(&mut tx, &task).await?;
    let levels = match check_ballot(&scheme, &typed) {
        Ok(levels) => levels,
        Err(problems) => {
            let missing = problems.into_iter().map(|BallotProblem::Missing(key)| key).collect();
            let page = BallotPage::new(ctx, &scheme, task, typed, missing);
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let anonymous = parse_kind(&task.rater_kind).is_some_and(is_anonymous);
    let stored: serde_json::Map<String, serde_json::Value> =
        levels.iter().map(|(k, l)| (k.clone(), json!(level_code(*l)))).collect();
    if !ballots::cast(&mut tx, &task, user.id(), anonymous, &serde_json::Value::Object(stored)).await? {
        Flash::error("ballot-already-cast").set(&session).await?;
        return Ok(Redirect::to("/assess/ballots").into_response());
    }
    // An anonymous ballot's audit row names the cycle only: not whom it rated, nor how.
    let event = if anonymous {
        AuditEvent::new("ballot.cast", "cycle", cycle_id, json!({ "group": task.rater_kind }))
    } else {
        AuditEvent::new("ballot.cast", "cycle", cycle_id, json!({ "group": task.rater_kind, "ratee_id": ratee_id }))
    };
    audit::record(&mut tx, &user.audit, event).await?;
    tx.commit().await?;
    Flash::success("ballot-cast-done").set(&session).await?;
    Ok(Redirect::to("/assess/ballots").into_response())
}

/// Generates the cycle's rater tasks from the organisation (the performance
/// office, in the assessment stage); tasks already there are kept.
pub async fn generate(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(cycle_id): Path<i64>,
    _: CsrfChecked,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::ManageCycles)?;
    let mut tx = state.pool.begin().await?;
    let cycle = cycles::find_for_update(&mut tx, cycle_id).await?.ok_or(AppError::NotFound)?;
    if cycle.stage != CycleStage::Assessment {
        Flash::error("rating-tasks-not-in-assessment").set(&session).await?;
        return Ok(Redirect::to(&format!("/cycles/{cycle_id}")).into_response());
    }
    let year = chrono::Datelike::year(&cycle.period_start);
    let (participants, people) = ballots::rater_inputs(&mut tx, cycle_id).await?;
    let (staff, heads) = cycle_schemes(&mut tx, cycle_id, year).await?;
    let tasks = raters::tasks(&participants, &people, &staff, &heads);
    let added = ballots::add_tasks(&mut tx, cycle_id, &tasks).await?;
    let event = AuditEvent::new("rating_tasks.generated", "cycle", cycle_id, json!({ "added": added }));
    audit::record(&mut tx, &user.audit, event).await?;
    tx.commit().await?;
    Flash::success_named("rating-tasks-generated", added.to_string()).set(&session).await?;
    Ok(Redirect::to(&format!("/cycles/{cycle_id}")).into_response())
}

//! The home page: what waits on the signed-in person now (我的待办).
//! To-do items are derived from the data on each visit, so they never go
//! stale; one query counts them all (`db::todos`), a second finds the reporting
//! periods due.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use sqlx::PgConnection;

use super::pages::{PageContext, render};
use crate::auth::session::CurrentUser;
use crate::db::reports::{self, ReportingScope, ReportingTarget};
use crate::db::summaries::settings_of;
use crate::db::todos::{self, SummaryTodoRow, TodoCounts, TodoScope};
use crate::db::{absences, commitment_cases, posts};
use crate::domain::assessment::summary::{self, SummaryStatus};
use crate::domain::monitor::ReportStatus;
use crate::domain::policy::Permission;
use crate::domain::roles::Role;
use crate::error::AppResult;
use crate::state::AppState;

/// One thing waiting on the person: a sentence with a count and a link.
#[derive(Debug, Clone)]
pub struct TodoItem {
    pub key: &'static str,
    pub count: i64,
    pub href: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub ctx: PageContext,
    pub todos: Vec<TodoItem>,
    /// Discipline inspection (机关纪委): what it reads today, until its own
    /// records arrive with the assessment stage (docs/DOMAIN.md §2.1).
    pub discipline: bool,
}

/// The items whose count is not zero.
fn counted<const N: usize>(items: [(&'static str, i64, String); N]) -> impl Iterator<Item = TodoItem> {
    items.into_iter().filter(|(_, count, _)| *count > 0).map(|(key, count, href)| TodoItem { key, count, href })
}

/// Queries: three for everyone (the counts with the calendar, the summaries
/// of cycles in assessment, the reporting targets); heads and the organisation's keepers add the commitment cases and
/// the posts.
///
/// Any signed-in person; their own data only.
pub async fn home(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let today = state.clock.today();
    let scope = TodoScope {
        decider: user.decider_scope(),
        supervises_all: user.may(Permission::ManageSupervision),
        reviews_ledger: user.may(Permission::ManageLedger),
        decides_assessment: user.may(Permission::DecideAssessment),
        rates_departments: user.grants().has_any(&[Role::SupervisingLeader, Role::PrincipalLeader]),
    };
    let counts = todos::counts(&mut conn, &scope, today).await?;
    let reporting_scope = ReportingScope {
        person_id: user.id(),
        heads: scope.decider.heads.clone(),
        target: None,
        watch: scope.decider.heads.clone(),
    };
    let targets = reports::reporting_with_calendar(&mut conn, &reporting_scope, today, &counts.calendar).await?;
    let mut todos: Vec<TodoItem> = counted([(
        "todo-set-own-password",
        i64::from(user.principal.password_changed_at.is_none()),
        "/account/password".into(),
    )])
    .collect();
    todos.extend(plan_todos(&counts));
    let summaries = todos::summaries(&mut conn, &scope.decider).await?;
    todos.extend(summary_todos(&user, &summaries, &counts, today));
    todos.extend(counted([
        ("todo-ballots-to-cast", counts.ballots_to_cast, "/assess/ballots".into()),
        ("todo-departments-to-rate", counts.departments_to_rate, "/assess/department-ballots".into()),
        ("todo-cycles-to-decide", counts.cycles_to_decide, "/assess/scores".into()),
        ("todo-objections-to-answer", counts.objections_to_answer, "/assess/scores".into()),
    ]));
    todos.extend(report_todos(&counts, &targets, &scope.decider.heads));
    todos.extend(supervision_todos(&counts));
    todos.extend(ledger_todos(&mut conn, &user, &counts, today).await?);
    todos.extend(organisation_todos(&mut conn, &user, today).await?);
    todos.extend(super::events::todos(&mut conn, &user, today).await?);
    todos.extend(super::feedback::todos(&mut conn, &user, today).await?);
    todos.extend(super::feedback::rectification::todos(&mut conn, &user, today).await?);
    todos.extend(super::feedback::appeals::todos(&mut conn, &user, today).await?);
    let discipline = user.grants().has(Role::DisciplineInspection);
    render(&HomePage { ctx, todos, discipline })
}

/// Plans to submit or revise, and plans and change requests to decide.
fn plan_todos(counts: &TodoCounts) -> impl Iterator<Item = TodoItem> {
    let returned = counts.first_returned_set.map(|id| format!("/plan/sets/{id}")).unwrap_or_else(|| "/plan/my".into());
    counted([
        ("todo-plan-returned", counts.sets_returned, returned),
        ("todo-plan-to-submit", counts.sets_to_submit, "/plan/my".into()),
        ("todo-sets-to-decide", counts.sets_to_decide, "/plan/queue".into()),
        ("todo-changes-to-decide", counts.changes_to_decide, "/plan/queue".into()),
    ])
}

/// Self-summaries: the person's own to write, returned or late; those the
/// person decides waiting, and late ones among them.
fn summary_todos(
    user: &CurrentUser,
    rows: &[SummaryTodoRow],
    counts: &TodoCounts,
    today: NaiveDate,
) -> impl Iterator<Item = TodoItem> {
    let late = |r: &SummaryTodoRow| {
        let due =
            summary::due_date(r.period_end, r.assessment_until, &settings_of(r.settings.clone()), &counts.calendar);
        let first = r.first_submitted_at.map(crate::clock::office_date);
        !r.status.is_some_and(SummaryStatus::is_handed_in) && summary::is_late(r.status, first, due, today)
    };
    let (own, others): (Vec<&SummaryTodoRow>, Vec<&SummaryTodoRow>) =
        rows.iter().partition(|r| r.person_id == user.id());
    let decided: Vec<&SummaryTodoRow> = others
        .into_iter()
        .filter(|r| summary::may_decide(user.id(), user.grants(), r.person_id, r.department_id, r.kind))
        .collect();
    let count = |list: &[&SummaryTodoRow], keep: &dyn Fn(&SummaryTodoRow) -> bool| {
        list.iter().filter(|r| keep(r)).count() as i64
    };
    counted([
        (
            "todo-summary-to-write",
            count(&own, &|r| matches!(r.status, None | Some(SummaryStatus::Draft))),
            "/assess/my".into(),
        ),
        ("todo-summary-returned", count(&own, &|r| r.status == Some(SummaryStatus::Returned)), "/assess/my".into()),
        ("todo-summary-late", count(&own, &late), "/assess/my".into()),
        (
            "todo-summaries-to-review",
            count(&decided, &|r| r.status == Some(SummaryStatus::Submitted)),
            "/assess/summaries".into(),
        ),
        ("todo-summaries-late", count(&decided, &late), "/assess/summaries".into()),
    ])
}

/// Progress reports returned or late for the owner (or the B acting for an
/// absent A), awaiting the verifier, late in the departments a head heads.
fn report_todos(counts: &TodoCounts, targets: &[ReportingTarget], heads: &[i64]) -> impl Iterator<Item = TodoItem> {
    let count = |keep: &dyn Fn(&ReportingTarget) -> bool| targets.iter().filter(|t| keep(t)).count() as i64;
    let returned: Vec<i64> = targets
        .iter()
        .filter(|t| t.reports_here())
        .flat_map(|t| &t.periods)
        .filter_map(|p| p.report.filter(|r| r.status == ReportStatus::Returned).map(|r| r.id))
        .collect();
    // One returned report opens itself; several open the list of exactly those.
    let first_returned = match returned.as_slice() {
        [id] => format!("/monitor/reports/{id}"),
        _ => "/monitor/reports?returned=1".into(),
    };
    let late = count(&|t| t.reports_here() && t.late_periods().next().is_some());
    let department_late =
        count(&|t| t.department_id.is_some_and(|d| heads.contains(&d)) && t.late_periods().next().is_some());
    counted([
        ("todo-reports-returned", returned.len() as i64, first_returned),
        ("todo-reports-late", late, "/monitor/reports".into()),
        ("todo-reports-to-verify", counts.reports_to_verify, "/monitor/verify".into()),
        ("todo-reports-department-late", department_late, "/monitor/verify#late".into()),
    ])
}

/// Supervision items (督办): the assignee side acknowledges and answers slips; supervisors verify.
fn supervision_todos(counts: &TodoCounts) -> impl Iterator<Item = TodoItem> {
    counted([
        ("todo-supervision-to-acknowledge", counts.items_to_acknowledge, "/supervision?status=assigned".into()),
        ("todo-supervision-slips-to-answer", counts.slips_to_answer, "/supervision".into()),
        ("todo-supervision-slips-overdue", counts.slips_overdue, "/supervision".into()),
        ("todo-supervision-to-verify", counts.items_to_verify, "/supervision?status=done_reported".into()),
    ])
}

/// Ledger records for the performance office to review; commitment cases past
/// their deadline in the departments a head heads.
async fn ledger_todos(
    conn: &mut PgConnection,
    user: &CurrentUser,
    counts: &TodoCounts,
    today: NaiveDate,
) -> AppResult<Vec<TodoItem>> {
    let headed = user.principal.grants.departments_for(Role::DepartmentHead);
    let overdue =
        if headed.is_empty() { 0 } else { commitment_cases::overdue_open_count(conn, &headed, today).await? };
    Ok(counted([
        ("todo-ledger-to-review", counts.ledger_to_review, "/ledger?status=pending".into()),
        ("todo-cases-overdue", overdue, "/commitments".into()),
    ])
    .collect())
}

/// Posts without cover today (空岗) and posts whose A/B holders need fixing,
/// for heads (their departments) and the organisation's keepers (all).
async fn organisation_todos(conn: &mut PgConnection, user: &CurrentUser, today: NaiveDate) -> AppResult<Vec<TodoItem>> {
    let grants = &user.principal.grants;
    let vacant = match crate::domain::absences::vacancy_alerts_for(grants) {
        Some(departments) => {
            absences::current_cover(conn, departments.as_deref(), today).await?.iter().filter(|p| p.is_vacant()).count()
        }
        None => 0,
    };
    let scope = if user.may(Permission::ManageOrganisation) {
        Some(None)
    } else if grants.has(Role::DepartmentHead) {
        Some(Some(grants.departments_for(Role::DepartmentHead)))
    } else {
        None
    };
    let flagged = match scope {
        Some(departments) => posts::list_flagged(conn, departments.as_deref()).await?.len(),
        None => 0,
    };
    Ok(counted([
        ("todo-posts-vacant", vacant as i64, "/absences/cover".into()),
        ("todo-posts-flagged", flagged as i64, "/org/posts?flagged=1".into()),
    ])
    .collect())
}

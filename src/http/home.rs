//! The home page: what waits on the signed-in person now (我的待办).
//! To-do items are derived from the data on each visit, so they never go
//! stale; each area asks one question (one or two queries) of the database.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use sqlx::PgConnection;

use super::error::AppResult;
use super::pages::{PageContext, render};
use crate::auth::session::CurrentUser;
use crate::db::{absences, commitment_cases, ledger, plan_boards, posts, reports, supervision};
use crate::domain::policy::Permission;
use crate::domain::roles::Role;
use crate::http::plan::queue::decider_scope;
use crate::state::AppState;
use crate::tasks::office_today;

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
}

/// The items whose count is not zero.
fn counted<const N: usize>(items: [(&'static str, i64, String); N]) -> impl Iterator<Item = TodoItem> {
    items.into_iter().filter(|(_, count, _)| *count > 0).map(|(key, count, href)| TodoItem { key, count, href })
}

pub async fn home(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let today = office_today();
    let mut todos: Vec<TodoItem> = counted([(
        "todo-set-own-password",
        i64::from(user.principal.password_changed_at.is_none()),
        "/account/password".into(),
    )])
    .collect();
    todos.extend(plan_todos(&mut conn, &user).await?);
    todos.extend(report_todos(&mut conn, &user, today).await?);
    todos.extend(supervision_todos(&mut conn, &user, today).await?);
    todos.extend(ledger_todos(&mut conn, &user, today).await?);
    todos.extend(organisation_todos(&mut conn, &user, today).await?);
    render(&HomePage { ctx, todos })
}

/// Plans to submit or revise, and plans and change requests to decide.
async fn plan_todos(conn: &mut PgConnection, user: &CurrentUser) -> AppResult<Vec<TodoItem>> {
    let plan = plan_boards::todos(conn, &decider_scope(user)).await?;
    let returned = plan.returned_set.map(|id| format!("/plan/sets/{id}")).unwrap_or_else(|| "/plan/my".into());
    Ok(counted([
        ("todo-plan-returned", plan.returned, returned),
        ("todo-plan-to-submit", plan.to_submit, "/plan/my".into()),
        ("todo-sets-to-decide", plan.sets_to_decide, "/plan/queue".into()),
        ("todo-changes-to-decide", plan.changes_to_decide, "/plan/queue".into()),
    ])
    .collect())
}

/// Progress reports returned or late for the owner (or the B acting for an
/// absent A), awaiting the verifier, late in the departments a head heads.
async fn report_todos(conn: &mut PgConnection, user: &CurrentUser, today: NaiveDate) -> AppResult<Vec<TodoItem>> {
    let reports = reports::todos(conn, &decider_scope(user), today).await?;
    let returned =
        reports.first_returned.map(|id| format!("/monitor/reports/{id}")).unwrap_or_else(|| "/monitor/reports".into());
    Ok(counted([
        ("todo-reports-returned", reports.returned, returned),
        ("todo-reports-late", reports.late, "/monitor/reports".into()),
        ("todo-reports-to-verify", reports.to_verify, "/monitor/verify".into()),
        ("todo-reports-department-late", reports.department_late, "/monitor/verify#late".into()),
    ])
    .collect())
}

/// Supervision items (督办): the assignee side acknowledges and answers slips; supervisors verify.
async fn supervision_todos(conn: &mut PgConnection, user: &CurrentUser, today: NaiveDate) -> AppResult<Vec<TodoItem>> {
    let grants = &user.principal.grants;
    let items = supervision::todos(
        conn,
        user.id(),
        &grants.departments_for(Role::DepartmentHead),
        user.require(Permission::ManageSupervision).is_ok(),
        &grants.departments_for(Role::SupervisingLeader),
        today,
    )
    .await?;
    Ok(counted([
        ("todo-supervision-to-acknowledge", items.to_acknowledge, "/supervision?status=assigned".into()),
        ("todo-supervision-slips-to-answer", items.slips_to_answer, "/supervision".into()),
        ("todo-supervision-slips-overdue", items.slips_overdue, "/supervision".into()),
        ("todo-supervision-to-verify", items.to_verify, "/supervision?status=done_reported".into()),
    ])
    .collect())
}

/// Ledger records for the performance office to review; commitment cases past
/// their deadline in the departments a head heads.
async fn ledger_todos(conn: &mut PgConnection, user: &CurrentUser, today: NaiveDate) -> AppResult<Vec<TodoItem>> {
    let pending = match user.require(Permission::ManageLedger) {
        Ok(()) => ledger::pending_count(conn).await?,
        Err(_) => 0,
    };
    let headed = user.principal.grants.departments_for(Role::DepartmentHead);
    let overdue =
        if headed.is_empty() { 0 } else { commitment_cases::overdue_open_count(conn, &headed, today).await? };
    Ok(counted([
        ("todo-ledger-to-review", pending, "/ledger?status=pending".into()),
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
    let scope = if user.require(Permission::ManageOrganisation).is_ok() {
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

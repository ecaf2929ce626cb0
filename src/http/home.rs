//! The home page: what waits on the signed-in person now (我的待办).
//! To-do items are derived from the data on each visit, so they never go stale.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::error::AppResult;
use super::pages::{PageContext, render};
use crate::auth::session::CurrentUser;
use crate::db::{plan_boards, posts};
use crate::http::plan::queue::decider_scope;
use crate::domain::policy::Permission;
use crate::domain::roles::Role;
use crate::state::AppState;

/// One thing waiting on the person: a sentence with a count and a link.
#[derive(Debug, Clone)]
pub struct TodoItem {
    pub key: &'static str,
    pub count: i64,
    pub href: &'static str,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub ctx: PageContext,
    pub todos: Vec<TodoItem>,
}

pub async fn home(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let mut todos = Vec::new();
    if user.principal.password_changed_at.is_none() {
        todos.push(TodoItem { key: "todo-set-own-password", count: 1, href: "/account/password" });
    }
    let grants = &user.principal.grants;
    let scope = if user.require(Permission::ManageOrganisation).is_ok() {
        Some(None)
    } else if grants.has(Role::DepartmentHead) {
        Some(Some(grants.departments_for(Role::DepartmentHead)))
    } else {
        None
    };
    let mut conn = state.pool.acquire().await?;
    let plan = plan_boards::todos(&mut conn, &decider_scope(&user)).await?;
    for (key, count, href) in [
        ("todo-plan-returned", plan.returned, "/plan/my"),
        ("todo-plan-to-submit", plan.to_submit, "/plan/my"),
        ("todo-sets-to-decide", plan.sets_to_decide, "/plan/queue"),
        ("todo-changes-to-decide", plan.changes_to_decide, "/plan/queue"),
    ] {
        if count > 0 {
            todos.push(TodoItem { key, count, href });
        }
    }
    // Progress reports: returned and late ones for the owner (or the B acting for an absent A),
    // reports awaiting the verifier, late targets in the departments a head heads.
    let office_today = crate::tasks::office_today();
    let reports = crate::db::reports::todos(&mut conn, &decider_scope(&user), office_today).await?;
    for (key, count, href) in [
        ("todo-reports-returned", reports.returned, "/monitor/reports"),
        ("todo-reports-late", reports.late, "/monitor/reports"),
        ("todo-reports-to-verify", reports.to_verify, "/monitor/verify"),
        ("todo-reports-department-late", reports.department_late, "/monitor/verify#late"),
    ] {
        if count > 0 {
            todos.push(TodoItem { key, count, href });
        }
    }
    // Supervision items (督办): the assignee side acknowledges and answers slips; supervisors verify.
    let supervision = crate::db::supervision::todos(
        &mut conn,
        user.id(),
        &grants.departments_for(Role::DepartmentHead),
        user.require(Permission::ManageSupervision).is_ok(),
        &grants.departments_for(Role::SupervisingLeader),
        crate::tasks::office_today(),
    )
    .await?;
    for (key, count, href) in [
        ("todo-supervision-to-acknowledge", supervision.to_acknowledge, "/supervision?status=assigned"),
        ("todo-supervision-slips-to-answer", supervision.slips_to_answer, "/supervision"),
        ("todo-supervision-slips-overdue", supervision.slips_overdue, "/supervision"),
        ("todo-supervision-to-verify", supervision.to_verify, "/supervision?status=done_reported"),
    ] {
        if count > 0 {
            todos.push(TodoItem { key, count, href });
        }
    }
    // Ledger (加减分): records waiting for the performance office; heads' commitment cases past their deadline.
    if user.require(Permission::ManageLedger).is_ok() {
        let pending = crate::db::ledger::pending_count(&mut conn).await?;
        if pending > 0 {
            todos.push(TodoItem { key: "todo-ledger-to-review", count: pending, href: "/ledger?status=pending" });
        }
    }
    let headed = grants.departments_for(Role::DepartmentHead);
    if !headed.is_empty() {
        let today = crate::tasks::office_today();
        let overdue = crate::db::commitment_cases::overdue_open_count(&mut conn, &headed, today).await?;
        if overdue > 0 {
            todos.push(TodoItem { key: "todo-cases-overdue", count: overdue, href: "/commitments" });
        }
    }
    // A/B cover: posts whose A and B are both away today (空岗), for heads and the performance office.
    if let Some(departments) = crate::domain::absences::vacancy_alerts_for(grants) {
        let today = crate::tasks::office_today();
        let posts = crate::db::absences::current_cover(&mut conn, departments.as_deref(), today).await?;
        let vacant = posts.iter().filter(|p| p.is_vacant()).count() as i64;
        if vacant > 0 {
            todos.push(TodoItem { key: "todo-posts-vacant", count: vacant, href: "/absences/cover" });
        }
    }
    if let Some(departments) = scope {
        let flagged = posts::list_flagged(&mut conn, departments.as_deref()).await?.len() as i64;
        if flagged > 0 {
            todos.push(TodoItem { key: "todo-posts-flagged", count: flagged, href: "/org/posts?flagged=1" });
        }
    }
    render(&HomePage { ctx, todos })
}

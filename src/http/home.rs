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
    if let Some(departments) = scope {
        let flagged = posts::list_flagged(&mut conn, departments.as_deref()).await?.len() as i64;
        if flagged > 0 {
            todos.push(TodoItem { key: "todo-posts-flagged", count: flagged, href: "/org/posts?flagged=1" });
        }
    }
    render(&HomePage { ctx, todos })
}

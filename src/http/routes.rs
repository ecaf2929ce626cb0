//! The route table: every address of the application, read top to bottom.

use axum::Router;
use axum::routing::{get, post};

use super::{account, audit_log, home, org};
use crate::state::AppState;

/// The pages and actions, all behind sessions and CSRF checks.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/login", get(account::login_page).post(account::login))
        .route("/logout", post(account::logout))
        .route("/locale", post(account::switch_locale))
        .route("/account/password", get(account::password_page).post(account::change_password))
        .route("/org/departments", get(org::departments::list).post(org::departments::create))
        .route("/org/departments/new", get(org::departments::new_form))
        .route("/org/departments/{id}/edit", get(org::departments::edit_form))
        .route("/org/departments/{id}", post(org::departments::update))
        .route("/org/people", get(org::people::list).post(org::people::create))
        .route("/org/people/new", get(org::people::new_form))
        .route("/org/people/{id}/edit", get(org::people::edit_form))
        .route("/org/people/{id}", post(org::people::update))
        .route("/org/people/{id}/reset-password", post(org::people::reset_password))
        .route("/org/posts", get(org::posts::list).post(org::posts::create))
        .route("/org/posts/new", get(org::posts::new_form))
        .route("/org/posts/{id}/edit", get(org::posts::edit_form))
        .route("/org/posts/{id}", post(org::posts::update))
        .route("/audit", get(audit_log::audit_log))
}

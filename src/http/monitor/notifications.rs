//! In-app notifications (通知): a list, read one, read all.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use fluent_templates::fluent_bundle::FluentValue;
use tower_sessions::Session;

use crate::auth::csrf::CsrfChecked;
use crate::auth::session::CurrentUser;
use crate::db::notifications::{self, NotificationRow};
use crate::error::{AppError, AppResult};
use crate::http::pages::{Flash, PageContext, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "monitor/notifications.html")]
pub struct NotificationsPage {
    pub ctx: PageContext,
    pub notifications: Vec<NotificationRow>,
}

impl NotificationsPage {
    /// The message in the viewer's language, with its stored arguments; a
    /// `name_key` argument is a locale key, given to the message as `name`.
    pub fn text(&self, n: &NotificationRow) -> String {
        let lang = self.ctx.lang;
        let mut args: Vec<(&'static str, FluentValue<'static>)> = ["name", "count", "title", "date"]
            .into_iter()
            .filter_map(|key| {
                let value = n.args.get(key)?;
                Some((
                    key,
                    match value {
                        serde_json::Value::Number(v) => FluentValue::from(v.as_f64().unwrap_or_default()),
                        other => FluentValue::from(other.as_str().unwrap_or_default().to_string()),
                    },
                ))
            })
            .collect();
        if let Some(key) = n.args.get("name_key").and_then(|v| v.as_str()) {
            args.push(("name", FluentValue::from(lang.t(key))));
        }
        lang.t_args(&n.message, &args)
    }
}

/// The person's notifications: any signed-in person; their own data only.
pub async fn list(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let notifications = notifications::list(&mut *state.pool.acquire().await?, user.id(), 200).await?;
    render(&NotificationsPage { ctx, notifications })
}

/// Marks a notification read and follows its link: any signed-in person;
/// their own data only (another's notification is not found).
pub async fn open(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    _: CsrfChecked,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let link = notifications::list(&mut conn, user.id(), 1000)
        .await?
        .into_iter()
        .find(|n| n.id == id)
        .map(|n| n.link)
        .ok_or(AppError::NotFound)?;
    notifications::mark_read(&mut conn, user.id(), id).await?;
    let target = if link.starts_with('/') && !link.starts_with("//") { link } else { "/notifications".into() };
    Ok(Redirect::to(&target).into_response())
}

/// Marks every notification read: any signed-in person; their own data only.
pub async fn read_all(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    _: CsrfChecked,
) -> AppResult<Response> {
    notifications::mark_all_read(&mut *state.pool.acquire().await?, user.id()).await?;
    Flash::success("notifications-all-read").set(&session).await?;
    Ok(Redirect::to("/notifications").into_response())
}

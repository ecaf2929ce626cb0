//! The audit log page: searchable, newest first, read-only.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{NaiveDate, TimeZone};
use serde::Deserialize;

use super::pages::{PageContext, render};
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditFilter, AuditRow};
use crate::domain::policy::Permission;
use crate::error::AppResult;
use crate::state::AppState;

const PAGE_SIZE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub object: String,
    /// First day, `YYYY-MM-DD` (office time).
    #[serde(default)]
    pub from: String,
    /// Last day, inclusive.
    #[serde(default)]
    pub until: String,
    pub before: Option<i64>,
}

#[derive(Template)]
#[template(path = "audit/log.html")]
pub struct AuditLogPage {
    pub ctx: PageContext,
    pub query: AuditQuery,
    pub rows: Vec<AuditRow>,
    /// The link to older rows, if there are more.
    pub older: Option<String>,
}

/// Midnight of a day in the office's time zone, as UTC.
fn office_midnight(day: &str, days_later: i64) -> Option<chrono::DateTime<chrono::Utc>> {
    let date = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok()? + chrono::Duration::days(days_later);
    let local = chrono_tz::Asia::Shanghai.from_local_datetime(&date.and_hms_opt(0, 0, 0)?).single()?;
    Some(local.with_timezone(&chrono::Utc))
}

pub async fn audit_log(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<AuditQuery>,
) -> AppResult<Response> {
    user.require(Permission::ReadAuditLog)?;
    let filter = AuditFilter {
        actor: query.actor.trim().into(),
        action: query.action.trim().into(),
        object: query.object.trim().into(),
        from: office_midnight(&query.from, 0),
        until: office_midnight(&query.until, 1),
    };
    let rows = audit::search(&mut *state.pool.acquire().await?, &filter, query.before, PAGE_SIZE).await?;
    let older = (rows.len() as i64 == PAGE_SIZE).then(|| {
        let last = rows.last().map(|r| r.id).unwrap_or_default();
        let params = [
            ("actor", &query.actor),
            ("action", &query.action),
            ("object", &query.object),
            ("from", &query.from),
            ("until", &query.until),
        ];
        let mut link = format!("/audit?before={last}");
        for (name, value) in params {
            link.push_str(&format!("&{name}={}", crate::error::encode_path(value)));
        }
        link
    });
    render(&AuditLogPage { ctx, query, rows, older })
}

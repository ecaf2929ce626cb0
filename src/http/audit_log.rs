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

impl AuditLogPage {
    /// What happened, in the reader's words ("目标责任书 · 已提交"); the event
    /// code itself when the object or the verb has no words yet.
    pub fn action_label(&self, row: &AuditRow) -> String {
        let (object, verb) = row.action.split_once('.').unwrap_or(("", row.action.as_str()));
        match (self.word("audit-object-", object), self.word("audit-verb-", verb)) {
            (Some(object), Some(verb)) => format!("{object} · {verb}"),
            _ => row.action.clone(),
        }
    }

    /// The object the event concerns, named in the reader's words, with its id.
    pub fn object_label(&self, row: &AuditRow) -> String {
        let kind = self.word("audit-object-", &row.object_type).unwrap_or_else(|| row.object_type.clone());
        if row.object_id.is_empty() { kind } else { format!("{kind}:{}", row.object_id) }
    }

    /// The event's summary as (field, value) lines, fields in the reader's
    /// words; a nested record ("before", "after") gives a line per field.
    pub fn details(&self, row: &AuditRow) -> Vec<(String, String)> {
        let mut lines = Vec::new();
        self.flatten(&mut lines, "", &row.summary);
        lines
    }

    fn flatten(&self, lines: &mut Vec<(String, String)>, label: &str, value: &serde_json::Value) {
        use serde_json::Value;
        let scalar = |value: &Value| match value {
            Value::String(text) => text.clone(),
            Value::Null => "—".to_string(),
            other => other.to_string(),
        };
        match value {
            Value::Object(fields) => {
                for (name, inner) in fields {
                    let word = self.word("audit-field-", name).unwrap_or_else(|| name.clone());
                    let label = if label.is_empty() { word } else { format!("{label} · {word}") };
                    self.flatten(lines, &label, inner);
                }
            }
            Value::Array(items) if items.iter().all(|item| !item.is_object() && !item.is_array()) => {
                lines.push((label.to_string(), items.iter().map(scalar).collect::<Vec<_>>().join("、")));
            }
            Value::Null if label.is_empty() => {}
            other => lines.push((label.to_string(), scalar(other))),
        }
    }

    fn word(&self, prefix: &str, code: &str) -> Option<String> {
        let key = format!("{prefix}{}", code.replace('_', "-"));
        let text = self.ctx.t(&key);
        (!code.is_empty() && text != key).then_some(text)
    }
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

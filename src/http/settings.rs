//! The numbers of the office's rules, per year (docs/DOMAIN.md §1.4): the
//! performance office sees what a year uses and where it comes from, and
//! saves the year's own values.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use fluent_templates::fluent_bundle::FluentValue;
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::settings::{self, YearSettings};
use crate::domain::policy::Permission;
use crate::domain::settings::{FIELDS, Settings, SettingsSource};
use crate::error::AppResult;
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

/// The years the page accepts (the table's own range).
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    pub year: String,
}

/// The year asked for, else the current one.
fn year_of(query: &YearQuery, state: &AppState) -> i32 {
    query.year.trim().parse().ok().filter(|y| YEARS.contains(y)).unwrap_or_else(|| state.clock.today().year())
}

/// One setting as the form shows it.
pub struct FieldView {
    pub name: &'static str,
    pub label_key: String,
    /// The hint, with the range and the shipped default.
    pub hint: String,
    pub min: i32,
    pub max: i32,
    /// The value shown: the year's, or as typed.
    pub value: String,
}

#[derive(Template)]
#[template(path = "settings.html")]
pub struct SettingsPage {
    pub ctx: PageContext,
    pub year: i32,
    pub source: SettingsSource,
    pub version: i32,
    pub fields: Vec<FieldView>,
    pub errors: FormErrors,
    pub conflict: bool,
}

impl SettingsPage {
    /// Where the shown values come from, as a sentence.
    pub fn source_text(&self) -> String {
        match self.source {
            SettingsSource::Own => self.ctx.t("settings-source-own"),
            SettingsSource::Inherited(year) => {
                self.ctx.lang.t_args("settings-source-inherited", &[("year", FluentValue::from(year.to_string()))])
            }
            SettingsSource::Defaults => self.ctx.t("settings-source-defaults"),
        }
    }
}

fn page(
    ctx: PageContext,
    year: i32,
    current: &YearSettings,
    typed: Option<&BTreeMap<String, String>>,
    errors: FormErrors,
    conflict: bool,
) -> SettingsPage {
    let fields = FIELDS
        .iter()
        .map(|f| {
            let args = [
                ("min", FluentValue::from(f.min.to_string())),
                ("max", FluentValue::from(f.max.to_string())),
                ("default", FluentValue::from(f.default.to_string())),
            ];
            let value = match typed {
                Some(typed) => typed.get(f.name).cloned().unwrap_or_default(),
                None => current.settings.get(f.name).unwrap_or(f.default).to_string(),
            };
            let hint = format!("{} {}", ctx.t(&f.hint_key()), ctx.lang.t_args("settings-range", &args));
            FieldView { name: f.name, label_key: f.label_key(), hint, min: f.min, max: f.max, value }
        })
        .collect();
    SettingsPage { ctx, year, source: current.source, version: current.version, fields, errors, conflict }
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<YearQuery>,
) -> AppResult<Response> {
    user.require(Permission::ManageSettings)?;
    let year = year_of(&query, &state);
    let current = settings::year_settings(&mut *state.pool.acquire().await?, year).await?;
    render(&page(ctx, year, &current, None, FormErrors::default(), false))
}

/// Every setting's old and new value, for the audit row.
fn summary(before: &Settings, after: &Settings) -> serde_json::Value {
    json!({ "before": before.to_json(), "after": after.to_json(), "changed": after.changed_from(before) })
}

/// Saves the year's own values: 422 with the input kept for values out of
/// range, 409 when the year was saved by someone else meanwhile.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Query(query): Query<YearQuery>,
    CsrfForm(typed): CsrfForm<BTreeMap<String, String>>,
) -> AppResult<Response> {
    user.require(Permission::ManageSettings)?;
    let year = year_of(&query, &state);
    let version: i32 = typed.get("version").and_then(|v| v.trim().parse().ok()).unwrap_or(-1);
    let mut tx = state.pool.begin().await?;
    let current = settings::year_settings(&mut tx, year).await?;
    let new = match Settings::parse(&typed) {
        Ok(new) => new,
        Err(problems) => {
            let mut errors = FormErrors::default();
            problems.into_iter().for_each(|(field, error)| errors.add(field, error));
            return render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(ctx, year, &current, Some(&typed), errors, false),
            );
        }
    };
    if version != current.version || !settings::save(&mut tx, year, version, &new, user.id()).await? {
        let page = page(ctx, year, &current, Some(&typed), FormErrors::default(), true);
        return render_with(StatusCode::CONFLICT, &page);
    }
    let event = AuditEvent::new("settings.saved", "office_setting", year, summary(&current.settings, &new));
    audit::record(&mut tx, &user.audit, event).await?;
    tx.commit().await?;
    Flash::success_named("settings-saved", year.to_string()).set(&session).await?;
    Ok(Redirect::to(&format!("/settings?year={year}")).into_response())
}

//! Rating departments (docs/DOMAIN.md §18.4): the office leaders rate every
//! department and each head the other departments, once a year while the
//! year's annual cycle is in assessment and undecided. A ballot names no
//! rater; only the fact that a rater is done is kept.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::department_assessment::{self as store, level_code, parse_level};
use crate::db::{cycles, departments};
use crate::domain::assessment::Level;
use crate::domain::assessment::department::RaterKind;
use crate::domain::plan::CycleStage;
use crate::domain::policy;
use crate::error::AppResult;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

/// One department a rater may still rate, or has rated.
#[derive(Debug, Clone)]
pub struct Ratee {
    pub department_id: i64,
    pub name: String,
    pub done: bool,
}

/// One year and kind of rating open to the rater.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub year: i32,
    pub kind: RaterKind,
    pub ratees: Vec<Ratee>,
}

impl Sheet {
    pub fn kind_code(&self) -> &'static str {
        match self.kind {
            RaterKind::Leader => "leader",
            RaterKind::Peer => "peer",
        }
    }

    pub fn open(&self) -> usize {
        self.ratees.iter().filter(|r| !r.done).count()
    }
}

#[derive(Template)]
#[template(path = "assess/department_ballots.html")]
pub struct BallotsPage {
    pub ctx: PageContext,
    pub sheets: Vec<Sheet>,
    /// The levels as typed in a refused form, by field name.
    pub typed: HashMap<String, String>,
    pub error: Option<&'static str>,
}

impl BallotsPage {
    pub fn levels(&self) -> [Level; 4] {
        Level::ALL
    }

    pub fn code(&self, level: &Level) -> &'static str {
        level_code(*level)
    }

    pub fn chosen(&self, sheet: &Sheet, ratee: &Ratee, level: &Level) -> bool {
        self.typed.get(&field(sheet.year, sheet.kind, ratee.department_id)).map(String::as_str)
            == Some(level_code(*level))
    }

    pub fn field(&self, sheet: &Sheet, ratee: &Ratee) -> String {
        field(sheet.year, sheet.kind, ratee.department_id)
    }
}

fn field(year: i32, kind: RaterKind, department_id: i64) -> String {
    let kind = if kind == RaterKind::Leader { "leader" } else { "peer" };
    format!("level-{year}-{kind}-{department_id}")
}

/// The years whose department ratings are open: the annual cycle is in
/// assessment and the year is not decided.
async fn open_years(conn: &mut PgConnection) -> AppResult<Vec<i32>> {
    let mut years = Vec::new();
    for choice in cycles::annual_choices(conn).await? {
        let Some(cycle) = cycles::find(conn, choice.id).await? else { continue };
        let year = choice.period_start.year();
        if cycle.stage == CycleStage::Assessment
            && store::decision(conn, year).await?.is_none()
            && !years.contains(&year)
        {
            years.push(year);
        }
    }
    Ok(years)
}

async fn sheets(conn: &mut PgConnection, user: &CurrentUser) -> AppResult<Vec<Sheet>> {
    let kinds = policy::require_department_rater(user.grants())?;
    let active: Vec<(i64, String)> =
        departments::list(conn).await?.into_iter().filter(|d| d.active).map(|d| (d.id, d.name)).collect();
    let mut sheets = Vec::new();
    for year in open_years(conn).await? {
        for (kind, own) in &kinds {
            let done = store::rated_by(conn, year, *kind, user.id()).await?;
            let ratees = active
                .iter()
                .filter(|(id, _)| !own.contains(id))
                .map(|(id, name)| Ratee { department_id: *id, name: name.clone(), done: done.contains(id) })
                .collect();
            sheets.push(Sheet { year, kind: *kind, ratees });
        }
    }
    Ok(sheets)
}

/// The rater's open sheets: leaders and department heads.
pub async fn list(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    policy::require_department_rater(user.grants())?;
    let mut conn = state.pool.acquire().await?;
    let sheets = sheets(&mut conn, &user).await?;
    render(&BallotsPage { ctx, sheets, typed: HashMap::new(), error: None })
}

/// Casts the levels chosen on the rater's sheets; each department once per
/// year and kind. A level for a department the rater may not rate, or an
/// unknown level, refuses the whole form (422, choices kept).
pub async fn cast(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    policy::require_department_rater(user.grants())?;
    let mut tx = state.pool.begin().await?;
    let sheets = sheets(&mut tx, &user).await?;
    let chosen: Vec<(&String, &String)> =
        form.iter().filter(|(k, v)| k.starts_with("level-") && !v.is_empty()).collect();
    let mut ballots = Vec::new();
    let mut error = chosen.is_empty().then_some("dept-ballot-none");
    for (name, value) in &chosen {
        let target = sheets.iter().find_map(|s| {
            s.ratees.iter().find(|r| !r.done && field(s.year, s.kind, r.department_id) == **name).map(|r| (s, r))
        });
        match (target, parse_level(value)) {
            (Some((sheet, ratee)), Some(level)) => ballots.push((sheet.year, sheet.kind, ratee.department_id, level)),
            _ => error = Some("dept-ballot-invalid"),
        }
    }
    if let Some(error) = error {
        drop(tx);
        let mut conn = state.pool.acquire().await?;
        let sheets = self::sheets(&mut conn, &user).await?;
        let page = BallotsPage { ctx, sheets, typed: form, error: Some(error) };
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let mut cast = 0;
    for (year, kind, department_id, level) in &ballots {
        if store::cast(&mut tx, *year, *kind, user.id(), *department_id, *level).await? {
            cast += 1;
        }
    }
    // The audit row says how many were cast, never which level went where.
    let summary = json!({ "ballots": cast });
    audit::record(&mut tx, &user.audit, AuditEvent::new("department_assessment.rated", "person", user.id(), summary))
        .await?;
    tx.commit().await?;
    Flash::success("dept-ballots-cast").set(&session).await?;
    Ok(Redirect::to("/assess/department-ballots").into_response())
}

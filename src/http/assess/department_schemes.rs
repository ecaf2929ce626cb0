//! The department scheme of a year (docs/DOMAIN.md §18.4): the parts and
//! their points, the bonus cap, ballot values, grade bands, the 优秀 ratio
//! and publicity days. Kept by the performance office; a save adds a version
//! (a stale form is refused with 409 and the input kept); a decided year's
//! scheme is the one frozen with its decision.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::department_assessment::{self as store, SchemeVersion};
use crate::domain::assessment::Rounding;
use crate::domain::assessment::department::{DepartmentScheme, Part};
use crate::domain::policy::{self, Permission};
use crate::domain::validate::FieldError;
use crate::error::{AppError, AppResult};
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::workflow::department_assessment as workflow;

/// The form's fields, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SchemeForm {
    #[serde(default)]
    pub based_on: String,
    #[serde(default)]
    pub targets: String,
    #[serde(default)]
    pub satisfaction: String,
    #[serde(default)]
    pub leader: String,
    #[serde(default)]
    pub peer: String,
    #[serde(default)]
    pub efficiency: String,
    #[serde(default)]
    pub bonus_cap: String,
    #[serde(default)]
    pub level_excellent: String,
    #[serde(default)]
    pub level_good: String,
    #[serde(default)]
    pub level_fair: String,
    #[serde(default)]
    pub level_poor: String,
    #[serde(default)]
    pub min_peer_ballots: String,
    #[serde(default)]
    pub band_excellent: String,
    #[serde(default)]
    pub band_good: String,
    #[serde(default)]
    pub band_fair: String,
    #[serde(default)]
    pub excellent_percent: String,
    #[serde(default)]
    pub rounding: String,
    #[serde(default)]
    pub publicity_work_days: String,
}

fn text(value: Decimal) -> String {
    value.normalize().to_string()
}

impl SchemeForm {
    fn of(scheme: &DepartmentScheme, number: i32) -> Self {
        let p = &scheme.parts;
        SchemeForm {
            based_on: number.to_string(),
            targets: text(p.targets),
            satisfaction: text(p.satisfaction),
            leader: text(p.leader),
            peer: text(p.peer),
            efficiency: text(p.efficiency),
            bonus_cap: text(scheme.bonus_cap),
            level_excellent: text(scheme.levels.excellent),
            level_good: text(scheme.levels.good),
            level_fair: text(scheme.levels.fair),
            level_poor: text(scheme.levels.poor),
            min_peer_ballots: scheme.min_peer_ballots.to_string(),
            band_excellent: text(scheme.bands.excellent),
            band_good: text(scheme.bands.good),
            band_fair: text(scheme.bands.fair),
            excellent_percent: text(scheme.excellent_quota.rate * Decimal::ONE_HUNDRED),
            rounding: rounding_code(scheme.excellent_quota.rounding).into(),
            publicity_work_days: scheme.publicity_work_days.to_string(),
        }
    }

    /// The scheme the form describes, on top of `base`; every field refused
    /// is in `errors`.
    fn scheme(&self, base: &DepartmentScheme, errors: &mut FormErrors) -> DepartmentScheme {
        let mut scheme = base.clone();
        let mut number = |field: &'static str, value: &str| -> Decimal {
            errors.check(field, value.trim().parse::<Decimal>().map_err(|_| FieldError::Invalid))
        };
        scheme.parts.targets = number("targets", &self.targets);
        scheme.parts.satisfaction = number("satisfaction", &self.satisfaction);
        scheme.parts.leader = number("leader", &self.leader);
        scheme.parts.peer = number("peer", &self.peer);
        scheme.parts.efficiency = number("efficiency", &self.efficiency);
        scheme.bonus_cap = number("bonus_cap", &self.bonus_cap);
        scheme.levels.excellent = number("level_excellent", &self.level_excellent);
        scheme.levels.good = number("level_good", &self.level_good);
        scheme.levels.fair = number("level_fair", &self.level_fair);
        scheme.levels.poor = number("level_poor", &self.level_poor);
        scheme.bands.excellent = number("band_excellent", &self.band_excellent);
        scheme.bands.good = number("band_good", &self.band_good);
        scheme.bands.fair = number("band_fair", &self.band_fair);
        scheme.excellent_quota.rate = number("excellent_percent", &self.excellent_percent) / Decimal::ONE_HUNDRED;
        scheme.min_peer_ballots =
            errors.check("min_peer_ballots", self.min_peer_ballots.trim().parse().map_err(|_| FieldError::Invalid));
        scheme.publicity_work_days = errors
            .check("publicity_work_days", self.publicity_work_days.trim().parse().map_err(|_| FieldError::Invalid));
        match Rounding::ALL.into_iter().find(|r| rounding_code(*r) == self.rounding) {
            Some(r) => scheme.excellent_quota.rounding = r,
            None => errors.add("rounding", FieldError::Invalid),
        }
        if errors.is_empty() {
            for problem in scheme.validate() {
                let (field, key) = match problem.field.as_str() {
                    "parts" => ("targets", "dept-scheme-parts-sum"),
                    "bonus_cap" => ("bonus_cap", problem.problem.label_key()),
                    "levels" => ("level_excellent", problem.problem.label_key()),
                    "min_peer_ballots" => ("min_peer_ballots", problem.problem.label_key()),
                    "bands" => ("band_excellent", problem.problem.label_key()),
                    "excellent_quota.rate" => ("excellent_percent", problem.problem.label_key()),
                    "publicity_work_days" => ("publicity_work_days", problem.problem.label_key()),
                    other => (part_field(other), problem.problem.label_key()),
                };
                errors.add_message(field, key);
            }
        }
        scheme
    }
}

fn part_field(field: &str) -> &'static str {
    Part::ALL.into_iter().find(|p| field == format!("parts.{}", p.code())).map_or("targets", |p| p.code())
}

fn rounding_code(rounding: Rounding) -> &'static str {
    match rounding {
        Rounding::Floor => "floor",
        Rounding::HalfUp => "half_up",
        Rounding::Ceil => "ceil",
    }
}

#[derive(Template)]
#[template(path = "assess/department_scheme.html")]
pub struct SchemePage {
    pub ctx: PageContext,
    pub year: i32,
    pub form: SchemeForm,
    pub errors: FormErrors,
    pub versions: Vec<SchemeVersion>,
    /// The year is decided: its scheme is frozen with the decision.
    pub frozen: bool,
}

impl SchemePage {
    pub fn roundings(&self) -> Vec<(&'static str, &'static str)> {
        Rounding::ALL.into_iter().map(|r| (rounding_code(r), r.label_key())).collect()
    }
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    year: i32,
    form: Option<SchemeForm>,
    errors: FormErrors,
) -> AppResult<SchemePage> {
    let mut conn = state.pool.acquire().await?;
    let (number, scheme) = workflow::scheme_for(&mut conn, year).await?;
    let versions = store::scheme_versions(&mut conn, year).await?;
    let frozen = store::decision(&mut conn, year).await?.is_some();
    let form = form.unwrap_or_else(|| SchemeForm::of(&scheme, number));
    Ok(SchemePage { ctx, year, form, errors, versions, frozen })
}

fn check_year(year: i32) -> AppResult<()> {
    if (2000..=2100).contains(&year) { Ok(()) } else { Err(AppError::NotFound) }
}

/// The year's department scheme and its versions (the performance office).
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(year): Path<i32>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::ManageSchemes)?;
    check_year(year)?;
    render(&page(&state, ctx, year, None, FormErrors::default()).await?)
}

/// Saves the next version (the performance office; not once the year is decided).
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(year): Path<i32>,
    CsrfForm(form): CsrfForm<SchemeForm>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::ManageSchemes)?;
    check_year(year)?;
    let mut tx = state.pool.begin().await?;
    store::lock_year(&mut tx, year).await?;
    if store::decision(&mut tx, year).await?.is_some() {
        Flash::error("dept-scheme-frozen").set(&session).await?;
        return Ok(Redirect::to(&format!("/assess/department-schemes/{year}")).into_response());
    }
    let (head, base) = workflow::scheme_for(&mut tx, year).await?;
    let mut errors = FormErrors::default();
    let scheme = form.scheme(&base, &mut errors);
    let stale = form.based_on.trim().parse::<i32>().ok() != Some(head);
    if stale {
        errors.add_message("based_on", "dept-scheme-stale");
    }
    if !errors.is_empty() {
        drop(tx);
        let status = if stale { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
        return render_with(status, &page(&state, ctx, year, Some(form), errors).await?);
    }
    store::insert_scheme(&mut tx, &scheme, head + 1, user.id()).await?;
    let summary = json!({ "year": year, "number": head + 1, "scheme": scheme });
    audit::record(&mut tx, &user.audit, AuditEvent::new("department_scheme.saved", "department_scheme", year, summary))
        .await?;
    tx.commit().await?;
    Flash::success("dept-scheme-saved").set(&session).await?;
    Ok(Redirect::to(&format!("/assess/department-schemes/{year}")).into_response())
}

//! The benchmark a year compares itself with (docs/DOMAIN.md §21.3): its name
//! (e.g. the province's best office) and a value per measure, kept by the
//! performance office until the year is completed.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rust_decimal::Decimal;
use serde::Deserialize;
use tower_sessions::Session;

use super::readable_year;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::excellence::{self as db, AssessmentRow};
use crate::domain::excellence::{Measure, Step, allowed};
use crate::domain::policy::Permission;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render_with};
use crate::state::AppState;

/// The form: the name, and one field per measure named by its code.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BenchmarkForm {
    #[serde(default)]
    pub benchmark_name: String,
    #[serde(flatten)]
    pub values: BTreeMap<String, String>,
}

#[derive(Template)]
#[template(path = "excellence/benchmarks.html")]
pub struct BenchmarksPage {
    pub ctx: PageContext,
    pub assessment: AssessmentRow,
    pub measures: &'static [Measure],
    pub form: BenchmarkForm,
    pub errors: FormErrors,
}

impl BenchmarksPage {
    pub fn value_of(&self, measure: &Measure) -> String {
        self.form.values.get(measure.code()).cloned().unwrap_or_default()
    }
}

async fn managed_year(state: &AppState, user: &CurrentUser, year: i32) -> AppResult<AssessmentRow> {
    user.require(Permission::ManageExcellence)?;
    let mut conn = state.pool.acquire().await?;
    readable_year(&mut conn, user, year).await
}

/// `GET /excellence/{year}/benchmarks`: the performance office.
pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(year): Path<i32>,
) -> AppResult<Response> {
    let assessment = managed_year(&state, &user, year).await?;
    let mut conn = state.pool.acquire().await?;
    let values =
        db::benchmarks(&mut conn, assessment.id).await?.into_iter().map(|(m, v)| (m, v.normalize().to_string()));
    let form = BenchmarkForm { benchmark_name: assessment.benchmark_name.clone(), values: values.collect() };
    let page = BenchmarksPage { ctx, assessment, measures: Measure::ALL, form, errors: FormErrors::default() };
    render_with(StatusCode::OK, &page)
}

/// The values typed: each empty (no benchmark) or a number from 0 to 100.
fn parse(form: &BenchmarkForm, errors: &mut FormErrors) -> Vec<(String, Decimal)> {
    let mut out = Vec::new();
    for measure in Measure::ALL {
        let typed = form.values.get(measure.code()).map(String::as_str).unwrap_or("");
        match validate::optional_decimal(typed) {
            Ok(None) => {}
            Ok(Some(v)) if (Decimal::ZERO..=Decimal::from(100)).contains(&v) => {
                out.push((measure.code().to_string(), v.round_dp(2)));
            }
            _ => errors.add(measure.code(), FieldError::Invalid),
        }
    }
    out
}

/// `POST /excellence/{year}/benchmarks`: until the year is completed.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(year): Path<i32>,
    CsrfForm(form): CsrfForm<BenchmarkForm>,
) -> AppResult<Response> {
    let assessment = managed_year(&state, &user, year).await?;
    let mut errors = FormErrors::default();
    let name = errors.check("benchmark_name", validate::optional_text(&form.benchmark_name, 200));
    let values = parse(&form, &mut errors);
    let mut tx = state.pool.begin().await?;
    let Some((id, stage, _)) = db::lock(&mut tx, year).await? else { return Err(AppError::NotFound) };
    if !allowed(stage, Step::SetBenchmarks) {
        errors.add_message("benchmark_name", "excellence-error-completed");
    }
    if !errors.is_empty() {
        drop(tx);
        let page = BenchmarksPage { ctx, assessment, measures: Measure::ALL, form, errors };
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    db::replace_benchmarks(&mut tx, id, &name, &values).await?;
    let summary = serde_json::json!({ "name": name, "values": values });
    audit::record(&mut tx, &user.audit, AuditEvent::new("excellence.benchmarks", "excellence_assessment", id, summary))
        .await?;
    tx.commit().await?;
    Flash::success("excellence-benchmarks-saved").set(&session).await?;
    Ok(Redirect::to(&format!("/excellence/{year}")).into_response())
}

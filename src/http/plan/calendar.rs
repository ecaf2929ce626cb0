//! The work-day calendar (工作日历) the performance office keeps: a year's
//! public holidays and swapped working days (调休), and a helper that adds
//! work days to a date the way every deadline of the product does.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, Duration, NaiveDate};
use fluent_templates::fluent_bundle::FluentValue;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use super::cycles::date_field;
use crate::auth::csrf::{CsrfChecked, CsrfForm};
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::calendar::{self, CalendarDay};
use crate::domain::cycles::check_override;
use crate::domain::policy::Permission;
use crate::domain::validate::{self, FieldError};
use crate::domain::workdays::DayKind;
use crate::error::{AppError, AppResult};
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

/// The years the page accepts.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
/// The most work days the helper adds.
const MAX_HELPER_DAYS: i64 = 366;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CalendarQuery {
    #[serde(default)]
    pub year: String,
    /// The add-work-days helper: a start date and a number of work days.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub days: String,
}

/// The add-a-day form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DayForm {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
}

impl DayForm {
    fn validate(&self, errors: &mut FormErrors) -> Option<CalendarDay> {
        let day = errors.check("date", date_field(&self.date));
        let kind = errors.check("kind", DayKind::parse(&self.kind).map(Some).ok_or(FieldError::Required));
        let name = errors.check("name", validate::optional_text(&self.name, 40));
        let (day, kind) = (day?, kind?);
        if let Err(problem) = check_override(day, kind) {
            errors.add_message("date", problem.label_key());
        }
        errors.is_empty().then_some(CalendarDay { day, kind, name })
    }
}

/// One override as the page lists it.
pub struct DayView {
    pub date: String,
    pub weekday_key: String,
    pub kind: DayKind,
    pub name: String,
}

/// The overrides of one month.
pub struct MonthView {
    pub month: i64,
    pub days: Vec<DayView>,
}

#[derive(Template)]
#[template(path = "plan/calendar.html")]
pub struct CalendarPage {
    pub ctx: PageContext,
    pub year: i32,
    pub months: Vec<MonthView>,
    pub workdays: i64,
    pub holidays: i64,
    pub swapped: i64,
    pub form: DayForm,
    pub errors: FormErrors,
    pub kinds: [DayKind; 2],
    pub query: CalendarQuery,
    pub helper_errors: FormErrors,
    /// "N work days after X is Y", when the helper was asked.
    pub helper_answer: Option<String>,
    /// Years from this one to the end of the cycles' deadlines without any
    /// entry: their deadlines count every weekday (docs/DOMAIN.md §4.1).
    pub gaps: Vec<i32>,
}

fn weekday_key(day: NaiveDate) -> String {
    format!("calendar-weekday-{}", day.weekday().number_from_monday())
}

/// The answer of the add-work-days helper, or the errors of its fields.
async fn helper(
    conn: &mut PgConnection,
    ctx: &PageContext,
    query: &CalendarQuery,
    errors: &mut FormErrors,
) -> AppResult<Option<String>> {
    if query.from.trim().is_empty() && query.days.trim().is_empty() {
        return Ok(None);
    }
    let from = errors.check("from", date_field(&query.from));
    let days = errors.check(
        "days",
        query
            .days
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=MAX_HELPER_DAYS).contains(d))
            .map(Some)
            .ok_or(FieldError::Invalid),
    );
    let (Some(from), Some(days)) = (from, days) else { return Ok(None) };
    // Wide enough for any holidays on the way: two calendar days per work day and two months more.
    let calendar = calendar::load(conn, from, from + Duration::days(days * 2 + 60)).await?;
    let to = calendar.add_workdays(from, days);
    let weekday = ctx.t(&weekday_key(to));
    let args = [
        ("count", FluentValue::from(days)),
        ("from", FluentValue::from(from.format("%Y-%m-%d").to_string())),
        ("to", FluentValue::from(format!("{} {weekday}", to.format("%Y-%m-%d")))),
    ];
    Ok(Some(ctx.lang.t_args("calendar-helper-answer", &args)))
}

async fn calendar_page(
    conn: &mut PgConnection,
    ctx: PageContext,
    year: i32,
    form: DayForm,
    errors: FormErrors,
    query: CalendarQuery,
) -> AppResult<CalendarPage> {
    let days = calendar::days_of_year(conn, year).await?;
    let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(AppError::BadRequest)?;
    let last = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(AppError::BadRequest)?;
    let workdays = calendar::load(conn, first, last).await?.workdays_between(first - Duration::days(1), last);
    let mut months: Vec<MonthView> = Vec::new();
    for d in &days {
        let view = DayView {
            date: d.day.format("%Y-%m-%d").to_string(),
            weekday_key: weekday_key(d.day),
            kind: d.kind,
            name: d.name.clone(),
        };
        match months.last_mut() {
            Some(m) if m.month == i64::from(d.day.month()) => m.days.push(view),
            _ => months.push(MonthView { month: i64::from(d.day.month()), days: vec![view] }),
        }
    }
    let mut helper_errors = FormErrors::default();
    let helper_answer = helper(conn, &ctx, &query, &mut helper_errors).await?;
    let last = calendar::last_deadline_year(conn).await?.max(year);
    let gaps = calendar::years_without_entries(conn, year, last).await?;
    Ok(CalendarPage {
        gaps,
        ctx,
        year,
        months,
        workdays,
        holidays: days.iter().filter(|d| d.kind == DayKind::Holiday).count() as i64,
        swapped: days.iter().filter(|d| d.kind == DayKind::Workday).count() as i64,
        form,
        errors,
        kinds: [DayKind::Holiday, DayKind::Workday],
        query,
        helper_errors,
        helper_answer,
    })
}

/// The year asked for, else the current one in the office's time zone.
fn year_of(query: &CalendarQuery, today: NaiveDate) -> i32 {
    query.year.trim().parse().ok().filter(|y| YEARS.contains(y)).unwrap_or_else(|| today.year())
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<CalendarQuery>,
) -> AppResult<Response> {
    user.require(Permission::ManageCalendar)?;
    let year = year_of(&query, state.clock.today());
    let form = DayForm { kind: DayKind::Holiday.code().into(), ..DayForm::default() };
    let page = calendar_page(&mut *state.pool.acquire().await?, ctx, year, form, FormErrors::default(), query).await?;
    render(&page)
}

fn day_summary(day: &CalendarDay) -> serde_json::Value {
    json!({ "day": day.day, "kind": day.kind.code(), "name": day.name })
}

pub async fn add_day(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<DayForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageCalendar)?;
    let mut errors = FormErrors::default();
    let Some(day) = form.validate(&mut errors) else {
        let year = date_field(&form.date).ok().flatten().map(|d| d.year()).filter(|y| YEARS.contains(y));
        let year = year.unwrap_or_else(|| state.clock.today().year());
        let mut conn = state.pool.acquire().await?;
        let page = calendar_page(&mut conn, ctx, year, form, errors, CalendarQuery::default()).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let mut tx = state.pool.begin().await?;
    let before = calendar::find(&mut tx, day.day).await?;
    calendar::upsert(&mut tx, &day).await?;
    let summary = json!({ "before": before.as_ref().map(day_summary), "after": day_summary(&day) });
    audit::record(&mut tx, &user.audit, AuditEvent::new("calendar.day_saved", "calendar", day.day, summary)).await?;
    tx.commit().await?;
    Flash::success_named("calendar-day-saved", day.day.format("%Y-%m-%d").to_string()).set(&session).await?;
    Ok(Redirect::to(&format!("/calendar?year={}", day.day.year())).into_response())
}

pub async fn remove_day(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(day): Path<String>,
    _: CsrfChecked,
) -> AppResult<Response> {
    user.require(Permission::ManageCalendar)?;
    let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|_| AppError::NotFound)?;
    let mut tx = state.pool.begin().await?;
    match calendar::remove(&mut tx, day).await? {
        Some(removed) => {
            let summary = json!({ "before": day_summary(&removed) });
            audit::record(&mut tx, &user.audit, AuditEvent::new("calendar.day_removed", "calendar", day, summary))
                .await?;
            tx.commit().await?;
            Flash::success_named("calendar-day-removed", day.format("%Y-%m-%d").to_string()).set(&session).await?;
        }
        None => Flash::error("calendar-day-missing").set(&session).await?,
    }
    Ok(Redirect::to(&format!("/calendar?year={}", day.year())).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swapped_working_day_on_a_thursday_is_refused_beside_the_date() {
        let form = DayForm { date: "2026-10-01".into(), kind: "workday".into(), name: "x".into() };
        let mut errors = FormErrors::default();
        assert!(form.validate(&mut errors).is_none());
        assert_eq!(errors.of("date"), "calendar-error-workday-on-weekday");
        let form = DayForm { date: "2026-10-01".into(), kind: "holiday".into(), name: "国庆节".into() };
        let mut errors = FormErrors::default();
        assert_eq!(form.validate(&mut errors).map(|d| d.kind), Some(DayKind::Holiday));
    }

    #[test]
    fn weekday_keys_run_from_monday() {
        assert_eq!(weekday_key(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()), "calendar-weekday-4");
    }
}

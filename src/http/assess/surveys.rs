//! Members' satisfaction surveys (委员满意度测评, docs/DOMAIN.md §18.3): the
//! list, creating a survey with one link per member, its results and
//! closing it. The links themselves are in [`super::survey_links`]; members
//! answer on the public page of `crate::http::survey_answer`.

use std::collections::BTreeSet;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::departments::{self, DepartmentChoice};
use crate::db::settings;
use crate::db::surveys::{self, EventChoice, MemberChoice, NewItem, NewSurvey, SurveyRow};
use crate::domain::policy::{self, Permission};
use crate::domain::satisfaction::Tally;
use crate::domain::surveys::{SurveyKind, SurveyStatus, comments_shown, default_expiry, tally_shown};
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::export::xlsx_download;
use crate::http::forms::{FormErrors, optional_id};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::workflow;
use crate::xlsx::{Cell, Sheet};

const LIST: &str = "/assess/surveys";

#[derive(Template)]
#[template(path = "assess/surveys.html")]
pub struct SurveysPage {
    pub ctx: PageContext,
    pub surveys: Vec<SurveyRow>,
    pub can_manage: bool,
}

/// The surveys with their answered and total links: every results reader.
pub async fn list(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    policy::require_survey_reader(user.grants())?;
    let surveys = surveys::list(&mut *state.pool.acquire().await?).await?;
    let can_manage = policy::allows(user.grants(), Permission::ManageSurveys);
    render(&SurveysPage { ctx, surveys, can_manage })
}

/// The survey form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SurveyForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub event_id: String,
    /// The departments assessed (year-end surveys), one checkbox each.
    #[serde(default, rename = "department")]
    pub departments: Vec<String>,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub special_committee: String,
    #[serde(default)]
    pub contact_department: String,
    #[serde(default)]
    pub expires_on: String,
}

/// What the survey form offers.
pub struct SurveyChoices {
    pub departments: Vec<DepartmentChoice>,
    pub events: Vec<EventChoice>,
    pub members: Vec<MemberChoice>,
    pub sectors: Vec<String>,
    pub committees: Vec<String>,
}

impl SurveyChoices {
    async fn load(conn: &mut sqlx::PgConnection, year: i32) -> AppResult<SurveyChoices> {
        let departments = departments::choices(conn).await?;
        let events = surveys::event_choices(conn, year).await?;
        let members = surveys::member_choices(conn).await?;
        let sectors: BTreeSet<String> = members.iter().map(|m| m.sector.clone()).collect();
        let committees: BTreeSet<String> =
            members.iter().map(|m| m.special_committee.clone()).filter(|c| !c.is_empty()).collect();
        Ok(SurveyChoices {
            departments,
            events,
            members,
            sectors: sectors.into_iter().collect(),
            committees: committees.into_iter().collect(),
        })
    }
}

/// A survey ready to create: the survey, its items and its members.
struct Valid {
    survey: NewSurvey,
    items: Vec<NewItem>,
    members: Vec<i64>,
}

impl SurveyForm {
    /// Checks the form against what it offered; every error beside its field.
    fn validate(&self, choices: &SurveyChoices, today: NaiveDate, errors: &mut FormErrors) -> Option<Valid> {
        let title = errors.check("title", validate::required_text(&self.title, 200));
        let year = match self.year.trim().parse::<i32>() {
            Ok(year) if (2000..=2100).contains(&year) => Some(year),
            _ => {
                errors.add("year", FieldError::Invalid);
                None
            }
        };
        let kind = SurveyKind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", FieldError::Required);
        }
        let expires_on = match NaiveDate::parse_from_str(self.expires_on.trim(), "%Y-%m-%d") {
            Ok(day) if day >= today => Some(day),
            Ok(_) => {
                errors.add_message("expires_on", "survey-error-expiry-past");
                None
            }
            Err(_) => {
                errors.add("expires_on", FieldError::Required);
                None
            }
        };
        let items = match kind {
            Some(SurveyKind::YearEnd) => {
                let chosen: BTreeSet<&str> = self.departments.iter().map(|d| d.trim()).collect();
                let items: Vec<NewItem> = choices
                    .departments
                    .iter()
                    .filter(|d| chosen.contains(d.id.to_string().as_str()))
                    .map(|d| NewItem { department_id: d.id, event_id: None })
                    .collect();
                if items.len() != chosen.len() {
                    errors.add("department", FieldError::NotOffered);
                } else if items.is_empty() {
                    errors.add_message("department", "survey-error-no-department");
                }
                items
            }
            Some(SurveyKind::Event) => match optional_id(&self.event_id) {
                Ok(Some(id)) => match choices.events.iter().find(|e| e.id == id) {
                    Some(event) => vec![NewItem { department_id: event.department_id, event_id: Some(event.id) }],
                    None => {
                        errors.add("event_id", FieldError::NotOffered);
                        Vec::new()
                    }
                },
                Ok(None) => {
                    errors.add("event_id", FieldError::Required);
                    Vec::new()
                }
                Err(error) => {
                    errors.add("event_id", error);
                    Vec::new()
                }
            },
            None => Vec::new(),
        };
        let members = self.members(choices, errors);
        let (Some(year), Some(kind), Some(expires_on)) = (year, kind, expires_on) else { return None };
        if !errors.is_empty() {
            return None;
        }
        Some(Valid { survey: NewSurvey { title, year, kind, expires_on }, items, members })
    }

    /// The active members the filters choose; an error when a filter names
    /// something not offered, or when nobody is left.
    fn members(&self, choices: &SurveyChoices, errors: &mut FormErrors) -> Vec<i64> {
        let sector = self.sector.trim();
        let committee = self.special_committee.trim();
        if !sector.is_empty() && !choices.sectors.iter().any(|s| s == sector) {
            errors.add("sector", FieldError::NotOffered);
        }
        if !committee.is_empty() && !choices.committees.iter().any(|c| c == committee) {
            errors.add("special_committee", FieldError::NotOffered);
        }
        let contact = match optional_id(&self.contact_department) {
            Ok(Some(id)) if choices.departments.iter().any(|d| d.id == id) => Some(id),
            Ok(None) => None,
            _ => {
                errors.add("contact_department", FieldError::NotOffered);
                None
            }
        };
        let members: Vec<i64> = choices
            .members
            .iter()
            .filter(|m| sector.is_empty() || m.sector == sector)
            .filter(|m| committee.is_empty() || m.special_committee == committee)
            .filter(|m| contact.is_none() || m.contact_department_id == contact)
            .map(|m| m.id)
            .collect();
        if members.is_empty() {
            errors.add_message("members", "survey-error-no-members");
        }
        members
    }
}

#[derive(Template)]
#[template(path = "assess/survey_form.html")]
pub struct SurveyFormPage {
    pub ctx: PageContext,
    pub form: SurveyForm,
    pub errors: FormErrors,
    pub choices: SurveyChoices,
    pub kinds: [SurveyKind; 2],
}

impl SurveyFormPage {
    fn new(ctx: PageContext, form: SurveyForm, errors: FormErrors, choices: SurveyChoices) -> SurveyFormPage {
        SurveyFormPage { ctx, form, errors, choices, kinds: SurveyKind::ALL }
    }

    pub fn department_checked(&self, id: &i64) -> bool {
        self.form.departments.iter().any(|d| d.trim() == id.to_string())
    }

    pub fn department_name(&self, id: &i64) -> String {
        self.choices.departments.iter().find(|d| d.id == *id).map(|d| d.name.clone()).unwrap_or_default()
    }
}

/// The new-survey form: the performance office. Every active department and
/// every active member are chosen to begin with.
pub async fn new_form(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    policy::require(user.grants(), Permission::ManageSurveys)?;
    let today = state.clock.today();
    let mut conn = state.pool.acquire().await?;
    let year_settings = settings::for_year(&mut conn, today.year()).await?;
    let choices = SurveyChoices::load(&mut conn, today.year()).await?;
    let form = SurveyForm {
        year: today.year().to_string(),
        kind: SurveyKind::YearEnd.code().into(),
        departments: choices.departments.iter().map(|d| d.id.to_string()).collect(),
        expires_on: default_expiry(today, &year_settings).to_string(),
        ..Default::default()
    };
    render(&SurveyFormPage::new(ctx, form, FormErrors::default(), choices))
}

/// Creates a survey and its links: 422 with the input kept when a field is
/// wrong or names something the form did not offer.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<SurveyForm>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::ManageSurveys)?;
    let today = state.clock.today();
    let mut tx = state.pool.begin().await?;
    let year = form.year.trim().parse().unwrap_or(today.year());
    let choices = SurveyChoices::load(&mut tx, year).await?;
    let mut errors = FormErrors::default();
    let Some(valid) = form.validate(&choices, today, &mut errors) else {
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &SurveyFormPage::new(ctx, form, errors, choices));
    };
    let id =
        workflow::surveys::create_survey(&mut tx, &user.audit, user.id(), &valid.survey, &valid.items, &valid.members)
            .await
            .map_err(AppError::Internal)?;
    tx.commit().await?;
    Flash::success_named("survey-created", valid.survey.title).set(&session).await?;
    Ok(Redirect::to(&format!("{LIST}/{id}")).into_response())
}

/// One item's results as shown.
pub struct ResultRow {
    pub label: String,
    pub tally: Tally,
    /// Enough answers to show the counts, index and rate.
    pub shown: bool,
}

impl ResultRow {
    /// The index, two decimals, or a dash when nobody judged.
    pub fn index(&self) -> String {
        self.tally.index().map(|v| v.round_dp(2).normalize().to_string()).unwrap_or_else(|| "—".into())
    }

    /// The rate in percent, two decimals, or a dash without answers.
    pub fn rate(&self) -> String {
        self.tally.rate().map(|v| format!("{}%", v.round_dp(2).normalize())).unwrap_or_else(|| "—".into())
    }
}

#[derive(Template)]
#[template(path = "assess/survey.html")]
pub struct SurveyPage {
    pub ctx: PageContext,
    pub survey: SurveyRow,
    pub rows: Vec<ResultRow>,
    /// The comments, when the reader sees every row and the survey has enough answers.
    pub comments: Option<Vec<String>>,
    /// The comments are withheld for too few answers (not merely out of scope).
    pub comments_withheld: bool,
    pub min_answers: i32,
    pub can_manage: bool,
    /// A department head's view: their own departments' rows only.
    pub scoped: bool,
}

impl SurveyPage {
    pub fn xlsx_href(&self) -> String {
        format!("/assess/surveys/{}/results.xlsx", self.survey.id)
    }

    pub fn is_open(&self) -> bool {
        self.survey.status == SurveyStatus::Open
    }

    pub fn withheld_text(&self) -> String {
        self.ctx.t_count("survey-withheld", i64::from(self.min_answers))
    }
}

/// A survey's results: office-wide readers see every row and (from the
/// minimum number of answer sheets) the comments; a head sees the rows of
/// the departments they head. Rows with too few answers are withheld.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    render(&survey_page(&state, &user, ctx, id).await?)
}

/// `GET /assess/surveys/{id}/results.xlsx`: the satisfaction summary, one row
/// per department or event as the page shows it to the reader (withheld rows
/// say so), a protected record; the comments stay on the page.
pub async fn results_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let page = survey_page(&state, &user, ctx, id).await?;
    let now = state.clock.now();
    let headers = [
        "survey-item",
        "satisfaction-satisfied",
        "satisfaction-basically-satisfied",
        "satisfaction-dissatisfied",
        "satisfaction-not-known",
        "survey-valid",
        "survey-index",
        "survey-rate",
    ];
    let detail = format!("{} · {}", page.survey.title, page.survey.year);
    let mut sheet = Sheet::new(page.ctx.sheet_head("export-satisfaction-title", Some(&detail), &headers, true, now));
    for row in &page.rows {
        let mut cells: Vec<Cell> = vec![row.label.clone().into()];
        if row.shown {
            let t = &row.tally;
            cells.extend(
                [t.satisfied, t.basically_satisfied, t.dissatisfied, t.not_known, t.valid()]
                    .map(|n| Cell::Int(n.into())),
            );
            cells.push(t.index().into());
            cells.push(Cell::percent(t.rate().and_then(|r| (r / Decimal::ONE_HUNDRED).to_f64())));
        } else {
            cells.push(page.withheld_text().into());
        }
        sheet.push(cells);
    }
    xlsx_download(sheet, "satisfaction-survey", now).await
}

/// A survey's results page as the reader may see it; the page and its export share it.
async fn survey_page(state: &AppState, user: &CurrentUser, ctx: PageContext, id: i64) -> AppResult<SurveyPage> {
    let scope = policy::require_survey_reader(user.grants())?;
    let mut conn = state.pool.acquire().await?;
    let survey = surveys::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let year_settings = settings::for_year(&mut conn, survey.year).await?;
    let rows: Vec<ResultRow> = surveys::item_tallies(&mut conn, id)
        .await?
        .into_iter()
        .filter(|item| scope.as_ref().is_none_or(|ids| ids.contains(&item.department_id)))
        .map(|item| ResultRow { shown: tally_shown(&item.tally, &year_settings), label: item.label, tally: item.tally })
        .collect();
    let enough = comments_shown(survey.answered, &year_settings);
    let comments = if scope.is_none() && enough { Some(surveys::comments(&mut conn, id).await?) } else { None };
    let page = SurveyPage {
        ctx,
        rows,
        comments,
        comments_withheld: scope.is_none() && !enough,
        min_answers: year_settings.survey_min_answers,
        can_manage: policy::allows(user.grants(), Permission::ManageSurveys),
        scoped: scope.is_some(),
        survey,
    };
    Ok(page)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    pub version: String,
}

/// Closes a survey: its links refuse answers from now on. The performance office.
pub async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<CloseForm>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::ManageSurveys)?;
    let mut tx = state.pool.begin().await?;
    let survey = surveys::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let version: i32 = form.version.trim().parse().unwrap_or(0);
    if !surveys::close(&mut tx, id, version).await? {
        Flash::error("survey-close-conflict").set(&session).await?;
        return Ok(Redirect::to(&format!("{LIST}/{id}")).into_response());
    }
    audit::record(&mut tx, &user.audit, AuditEvent::new("survey.closed", "survey", id, json!({}))).await?;
    tx.commit().await?;
    Flash::success_named("survey-closed", survey.title).set(&session).await?;
    Ok(Redirect::to(&format!("{LIST}/{id}")).into_response())
}

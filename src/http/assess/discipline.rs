//! Discipline inspection's records (机关纪委, docs/DOMAIN.md §2.5): the list,
//! entering a record, correcting it (an investigation's outcome, a period's
//! end) and withdrawing a wrong one. Discipline inspection keeps them; the
//! performance office reads them; nobody else sees that they exist.
//!
//! The audit rows name the record and the act only: who a record is about,
//! and what it says, stay on this page (the audit log has other readers).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::absences;
use crate::db::audit::{self, AuditEvent};
use crate::db::discipline::{self, RecordData, RecordFilter, RecordRow};
use crate::db::people::PersonChoice;
use crate::db::settings;
use crate::domain::discipline::{Measure, RecordKind, Standing, in_force_until};
use crate::domain::policy::{self, Permission};
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::forms::{FormErrors, optional_id};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

const LIST: &str = "/discipline";

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub person: String,
    /// `in_force` (today), `withdrawn`, or empty for every record not withdrawn.
    #[serde(default)]
    pub show: String,
}

#[derive(Template)]
#[template(path = "assess/discipline.html")]
pub struct RecordsPage {
    pub ctx: PageContext,
    pub rows: Vec<RecordRow>,
    pub query: ListQuery,
    pub people: Vec<PersonChoice>,
    pub today: NaiveDate,
    pub can_keep: bool,
}

impl RecordsPage {
    pub fn standing_key(&self, row: &RecordRow) -> &'static str {
        Standing::on(row.from_date, row.to_date, self.today).label_key()
    }

    pub fn is_in_force(&self, row: &RecordRow) -> bool {
        Standing::on(row.from_date, row.to_date, self.today) == Standing::InForce
    }
}

/// The records: discipline inspection and the performance office.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::ReadDisciplineRecords)?;
    let today = state.clock.today();
    let filter = RecordFilter {
        person_id: optional_id(&query.person).unwrap_or(None),
        in_force_on: (query.show == "in_force").then_some(today),
        withdrawn: query.show == "withdrawn",
        id: None,
    };
    let mut conn = state.pool.acquire().await?;
    let rows = discipline::list(&mut conn, &filter).await?;
    let people = absences::person_choices(&mut conn, None).await?;
    let can_keep = policy::allows(user.grants(), Permission::KeepDisciplineRecords);
    render(&RecordsPage { ctx, rows, query, people, today, can_keep })
}

/// The record form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RecordForm {
    #[serde(default)]
    pub person_id: String,
    #[serde(default)]
    pub measure: String,
    #[serde(default)]
    pub decided_on: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub from_date: String,
    #[serde(default)]
    pub to_date: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub version: String,
}

fn required_date(text: &str) -> Result<NaiveDate, FieldError> {
    match text.trim() {
        "" => Err(FieldError::Required),
        text => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| FieldError::Invalid),
    }
}

fn optional_date(text: &str) -> Result<Option<NaiveDate>, FieldError> {
    match text.trim() {
        "" => Ok(None),
        text => required_date(text).map(Some),
    }
}

impl RecordForm {
    fn of(row: &RecordRow) -> RecordForm {
        RecordForm {
            person_id: row.person_id.to_string(),
            measure: row.measure.code().into(),
            decided_on: row.decided_on.to_string(),
            reference: row.reference.clone(),
            from_date: row.from_date.to_string(),
            to_date: row.to_date.map(|d| d.to_string()).unwrap_or_default(),
            note: row.note.clone(),
            version: row.version.to_string(),
        }
    }

    /// The record to save, or `None` with the errors recorded. A decision
    /// lies in the past; an empty end takes the measure's legal period from
    /// the settings of the year the record starts in.
    async fn validate(
        &self,
        conn: &mut PgConnection,
        today: NaiveDate,
        errors: &mut FormErrors,
    ) -> AppResult<Option<RecordData>> {
        let person = optional_id(&self.person_id).and_then(|id| id.ok_or(FieldError::Required));
        let person_id = errors.check("person_id", person.map(Some));
        let measure = errors.check("measure", Measure::parse(&self.measure).ok_or(FieldError::Required).map(Some));
        let decided_on = errors.check(
            "decided_on",
            required_date(&self.decided_on)
                .and_then(|d| if d > today { Err(FieldError::Invalid) } else { Ok(d) })
                .map(Some),
        );
        let reference = errors.check("reference", validate::optional_text(&self.reference, 80));
        let from_date = errors.check("from_date", required_date(&self.from_date).map(Some));
        let to_date = errors.check("to_date", optional_date(&self.to_date));
        let note = errors.check("note", validate::optional_text(&self.note, 1000));
        let (Some(person_id), Some(measure), Some(decided_on), Some(from_date)) =
            (person_id, measure, decided_on, from_date)
        else {
            return Ok(None);
        };
        let settings = settings::for_year(conn, from_date.year()).await?;
        let to_date = errors.check("to_date", in_force_until(measure, from_date, to_date, &settings));
        let data = RecordData { person_id, measure, decided_on, reference, from_date, to_date, note };
        Ok(errors.is_empty().then_some(data))
    }
}

#[derive(Template)]
#[template(path = "assess/discipline_form.html")]
pub struct RecordFormPage {
    pub ctx: PageContext,
    pub form: RecordForm,
    pub errors: FormErrors,
    pub people: Vec<PersonChoice>,
    /// The kinds with their measures, for the grouped measure choice.
    pub kinds: Vec<(RecordKind, Vec<Measure>)>,
    /// The record being corrected; `None` on the new-record form.
    pub record: Option<RecordRow>,
    /// Someone changed the record since the form was opened.
    pub conflict: bool,
    /// The withdraw form's reason as typed.
    pub withdraw_reason: String,
}

impl RecordFormPage {
    fn new(ctx: PageContext, form: RecordForm, errors: FormErrors, people: Vec<PersonChoice>) -> RecordFormPage {
        let kinds = RecordKind::ALL.into_iter().map(|k| (k, k.measures().collect())).collect();
        RecordFormPage {
            ctx,
            form,
            errors,
            people,
            kinds,
            record: None,
            conflict: false,
            withdraw_reason: String::new(),
        }
    }

    /// A withdrawn record is shown, not changed.
    pub fn can_save(&self) -> bool {
        self.record.as_ref().is_none_or(|r| !r.withdrawn)
    }

    pub fn action(&self) -> String {
        match &self.record {
            Some(record) => format!("{LIST}/{}", record.id),
            None => LIST.into(),
        }
    }
}

pub async fn new_form(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    policy::require(user.grants(), Permission::KeepDisciplineRecords)?;
    let people = absences::person_choices(&mut *state.pool.acquire().await?, None).await?;
    let today = state.clock.today().to_string();
    let form = RecordForm { decided_on: today.clone(), from_date: today, ..Default::default() };
    render(&RecordFormPage::new(ctx, form, FormErrors::default(), people))
}

/// Enters a record: 422 with the input kept when a field is wrong or the
/// person is not one of the form's choices.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<RecordForm>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::KeepDisciplineRecords)?;
    let mut tx = state.pool.begin().await?;
    let mut errors = FormErrors::default();
    let data = form.validate(&mut tx, state.clock.today(), &mut errors).await?;
    let people = absences::person_choices(&mut tx, None).await?;
    let person = data.as_ref().and_then(|d| people.iter().find(|p| p.id == d.person_id)).cloned();
    if data.is_some() && person.is_none() {
        errors.add("person_id", FieldError::Invalid);
    }
    let (Some(data), Some(person)) = (data, person) else {
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &RecordFormPage::new(ctx, form, errors, people));
    };
    let id = discipline::create(&mut tx, &data, user.id()).await?;
    audit::record(&mut tx, &user.audit, AuditEvent::new("discipline.recorded", "discipline_record", id, json!({})))
        .await?;
    tx.commit().await?;
    Flash::success_named("discipline-saved", person.full_name).set(&session).await?;
    Ok(Redirect::to(LIST).into_response())
}

/// A record to correct or withdraw.
pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::KeepDisciplineRecords)?;
    let mut conn = state.pool.acquire().await?;
    let record = discipline::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let people = absences::person_choices(&mut conn, None).await?;
    let page = RecordFormPage {
        record: Some(record.clone()),
        ..RecordFormPage::new(ctx, RecordForm::of(&record), FormErrors::default(), people)
    };
    render(&page)
}

/// Corrects a record (its person stays): 409 with the input kept when
/// someone changed it meanwhile.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<RecordForm>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::KeepDisciplineRecords)?;
    let mut tx = state.pool.begin().await?;
    let record = discipline::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let people = absences::person_choices(&mut tx, None).await?;
    let form = RecordForm { person_id: record.person_id.to_string(), ..form };
    let mut errors = FormErrors::default();
    let data = form.validate(&mut tx, state.clock.today(), &mut errors).await?;
    let version: i32 = form.version.trim().parse().unwrap_or(0);
    let page = |form, errors, conflict| {
        let status = if conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
        let page =
            RecordFormPage { record: Some(record.clone()), conflict, ..RecordFormPage::new(ctx, form, errors, people) };
        render_with(status, &page)
    };
    let Some(data) = data else {
        return page(form, errors, false);
    };
    if !discipline::update(&mut tx, id, version, &data).await? {
        return page(form, errors, true);
    }
    audit::record(&mut tx, &user.audit, AuditEvent::new("discipline.corrected", "discipline_record", id, json!({})))
        .await?;
    tx.commit().await?;
    Flash::success_named("discipline-saved", record.person_name).set(&session).await?;
    Ok(Redirect::to(LIST).into_response())
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub version: String,
}

/// Withdraws a wrong record, with a reason; the record stays, marked.
pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<WithdrawForm>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::KeepDisciplineRecords)?;
    let mut tx = state.pool.begin().await?;
    let record = discipline::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::default();
    let reason = errors.check("reason", validate::required_text(&form.reason, 500));
    let version: i32 = form.version.trim().parse().unwrap_or(0);
    let conflict = errors.is_empty() && !discipline::withdraw(&mut tx, id, version, &reason).await?;
    if !errors.is_empty() || conflict {
        let people = absences::person_choices(&mut tx, None).await?;
        let page = RecordFormPage {
            record: Some(record.clone()),
            conflict,
            withdraw_reason: form.reason,
            ..RecordFormPage::new(ctx, RecordForm::of(&record), errors, people)
        };
        let status = if conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
        return render_with(status, &page);
    }
    audit::record(&mut tx, &user.audit, AuditEvent::new("discipline.withdrawn", "discipline_record", id, json!({})))
        .await?;
    tx.commit().await?;
    Flash::success_named("discipline-withdrawn", record.person_name).set(&session).await?;
    Ok(Redirect::to(LIST).into_response())
}

//! Assessment cycles (考核周期): list, create, edit, and the stage moves of
//! the performance office (planning → implementation → assessment →
//! feedback → closed), each after a checklist, back only with a reason.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::cycles::{self, CycleData, CycleListItem, CycleRow, HistoryRow, ParticipantRow, StaffChoice};
use crate::db::departments::{self, DepartmentChoice};
use crate::domain::cycles::{ChecklistItem, CycleDates, checklist, date_problems, default_annual_dates};
use crate::domain::plan::{CycleKind, CycleStage, ReportFrequency, WorkflowError, stage_move};
use crate::domain::policy::Permission;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::forms::FormErrors;
use crate::http::org::departments::is_unique_violation;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

/// Field errors, some with a message more specific than their `FieldError`
/// (a date out of order, a day that cannot be overridden). Offers the
/// `has`/`of`/`is_empty` the form macros call.
#[derive(Debug, Clone, Default)]
pub struct DetailedErrors {
    fields: FormErrors,
    messages: BTreeMap<&'static str, &'static str>,
}

impl DetailedErrors {
    pub fn add(&mut self, field: &'static str, error: FieldError) {
        self.fields.add(field, error);
    }

    /// Records an error shown with its own locale key, unless the field already has one.
    pub fn add_message(&mut self, field: &'static str, key: &'static str) {
        if !self.fields.has(field) {
            self.fields.add(field, FieldError::Invalid);
            self.messages.insert(field, key);
        }
    }

    pub fn check<T: Default>(&mut self, field: &'static str, result: Result<T, FieldError>) -> T {
        self.fields.check(field, result)
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.fields.has(field)
    }

    /// The locale key of the field's error, empty if none.
    pub fn of(&self, field: &str) -> &'static str {
        self.messages.get(field).copied().unwrap_or_else(|| self.fields.of(field))
    }
}

/// A date typed as YYYY-MM-DD (what `<input type="date">` sends).
pub fn date_field(value: &str) -> Result<Option<NaiveDate>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::Required);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map(Some).map_err(|_| FieldError::Invalid)
}

#[derive(Template)]
#[template(path = "plan/cycles.html")]
pub struct CyclesPage {
    pub ctx: PageContext,
    pub cycles: Vec<CycleListItem>,
}

impl CyclesPage {
    pub fn stage_class(&self, stage: &CycleStage) -> &'static str {
        stage_class(*stage)
    }
}

/// The badge class of a stage: running stages stand out, closed ones fade.
fn stage_class(stage: CycleStage) -> &'static str {
    match stage {
        CycleStage::Planning => "badge badge-warn",
        CycleStage::Implementation | CycleStage::Assessment | CycleStage::Feedback => "badge badge-ok",
        CycleStage::Closed => "badge",
    }
}

pub async fn list(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    user.require(Permission::ManageCycles)?;
    let cycles = cycles::list(&mut *state.pool.acquire().await?).await?;
    render(&CyclesPage { ctx, cycles })
}

/// The cycle form as typed, kept when it is shown again with errors.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CycleForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub period_start: String,
    #[serde(default)]
    pub period_end: String,
    #[serde(default)]
    pub planning_until: String,
    #[serde(default)]
    pub implementation_until: String,
    #[serde(default)]
    pub assessment_until: String,
    #[serde(default)]
    pub feedback_until: String,
    #[serde(default)]
    pub report_frequency: String,
    /// `all` or `chosen`.
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub departments: Vec<String>,
    #[serde(default)]
    pub people: Vec<String>,
    #[serde(default)]
    pub version: i32,
}

fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

impl CycleForm {
    fn from_dates(dates: &CycleDates) -> CycleForm {
        CycleForm {
            period_start: day_text(dates.period_start),
            period_end: day_text(dates.period_end),
            planning_until: day_text(dates.planning_until),
            implementation_until: day_text(dates.implementation_until),
            assessment_until: day_text(dates.assessment_until),
            feedback_until: day_text(dates.feedback_until),
            ..CycleForm::default()
        }
    }

    fn from_row(row: &CycleRow, chosen: &cycles::ChosenParticipants) -> CycleForm {
        let dates = CycleDates {
            period_start: row.period_start,
            period_end: row.period_end,
            planning_until: row.planning_until,
            implementation_until: row.implementation_until,
            assessment_until: row.assessment_until,
            feedback_until: row.feedback_until,
        };
        let mut form = CycleForm {
            name: row.name.clone(),
            kind: row.kind.code().into(),
            report_frequency: row.report_frequency.code().into(),
            version: row.version,
            ..CycleForm::from_dates(&dates)
        };
        form.keep_participants(row.all_participants, chosen);
        form
    }

    /// Puts the stored participants in the form (they are not editable after planning).
    fn keep_participants(&mut self, all: bool, chosen: &cycles::ChosenParticipants) {
        self.participants = if all { "all" } else { "chosen" }.into();
        self.departments = chosen.departments.iter().map(i64::to_string).collect();
        self.people = chosen.people.iter().map(i64::to_string).collect();
    }

    fn validate(&self, choices: &Choices, errors: &mut DetailedErrors) -> Option<CycleData> {
        let name = errors.check("name", validate::required_text(&self.name, 60));
        let kind = errors.check("kind", CycleKind::parse(&self.kind).map(Some).ok_or(FieldError::Required));
        let frequency = errors.check(
            "report_frequency",
            ReportFrequency::parse(&self.report_frequency).map(Some).ok_or(FieldError::Required),
        );
        let mut date = |field: &'static str, value: &str| errors.check(field, date_field(value));
        let dates = (
            date("period_start", &self.period_start),
            date("period_end", &self.period_end),
            date("planning_until", &self.planning_until),
            date("implementation_until", &self.implementation_until),
            date("assessment_until", &self.assessment_until),
            date("feedback_until", &self.feedback_until),
        );
        let dates = match dates {
            (
                Some(period_start),
                Some(period_end),
                Some(planning_until),
                Some(implementation_until),
                Some(assessment_until),
                Some(feedback_until),
            ) => Some(CycleDates {
                period_start,
                period_end,
                planning_until,
                implementation_until,
                assessment_until,
                feedback_until,
            }),
            _ => None,
        };
        for problem in dates.as_ref().map(date_problems).unwrap_or_default() {
            errors.add_message(problem.field(), problem.label_key());
        }
        let all_participants = match self.participants.as_str() {
            "all" => true,
            "chosen" => false,
            _ => {
                errors.add("participants", FieldError::Required);
                true
            }
        };
        let departments = chosen_ids(&self.departments, |id| choices.departments.iter().any(|d| d.id == id));
        let people = chosen_ids(&self.people, |id| choices.people.iter().any(|p| p.id == id));
        let departments = errors.check("departments", departments);
        let people = errors.check("people", people);
        if !all_participants
            && departments.is_empty()
            && people.is_empty()
            && !errors.has("departments")
            && !errors.has("people")
        {
            errors.add_message("participants", "cycle-error-no-participants");
        }
        let (kind, frequency, dates) = (kind?, frequency?, dates?);
        errors.is_empty().then(|| CycleData {
            name,
            kind,
            period_start: dates.period_start,
            period_end: dates.period_end,
            planning_until: dates.planning_until,
            implementation_until: dates.implementation_until,
            assessment_until: dates.assessment_until,
            feedback_until: dates.feedback_until,
            report_frequency: frequency,
            all_participants,
            departments: if all_participants { vec![] } else { departments },
            people: if all_participants { vec![] } else { people },
        })
    }

    pub fn chose_all(&self) -> bool {
        self.participants != "chosen"
    }

    pub fn has_department(&self, id: &i64) -> bool {
        self.departments.contains(&id.to_string())
    }

    pub fn has_person(&self, id: &i64) -> bool {
        self.people.contains(&id.to_string())
    }
}

/// Ids from a multiple choice, each one of those offered.
fn chosen_ids(values: &[String], offered: impl Fn(i64) -> bool) -> Result<Vec<i64>, FieldError> {
    let mut ids = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let id: i64 = value.parse().map_err(|_| FieldError::Invalid)?;
        if !offered(id) {
            return Err(FieldError::Invalid);
        }
        ids.push(id);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The departments and people a cycle may choose from.
pub struct Choices {
    pub departments: Vec<DepartmentChoice>,
    pub people: Vec<StaffChoice>,
}

async fn choices(conn: &mut PgConnection) -> AppResult<Choices> {
    Ok(Choices { departments: departments::choices(conn).await?, people: cycles::staff_choices(conn).await? })
}

#[derive(Template)]
#[template(path = "plan/cycle_form.html")]
pub struct CycleFormPage {
    pub ctx: PageContext,
    /// None for a new cycle.
    pub id: Option<i64>,
    pub form: CycleForm,
    pub errors: DetailedErrors,
    pub kinds: &'static [CycleKind],
    pub frequencies: &'static [ReportFrequency],
    pub choices: Choices,
    /// Participants change only while the cycle is in planning.
    pub participants_editable: bool,
    pub conflict: bool,
}

fn form_page(
    ctx: PageContext,
    id: Option<i64>,
    form: CycleForm,
    errors: DetailedErrors,
    choices: Choices,
) -> CycleFormPage {
    CycleFormPage {
        ctx,
        id,
        form,
        errors,
        kinds: CycleKind::ALL,
        frequencies: ReportFrequency::ALL,
        choices,
        participants_editable: true,
        conflict: false,
    }
}

pub async fn new_form(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    user.require(Permission::ManageCycles)?;
    let year = state.clock.today().year();
    let mut conn = state.pool.acquire().await?;
    let settings = crate::db::settings::for_year(&mut conn, year).await?;
    let dates = default_annual_dates(year, &settings).ok_or(AppError::BadRequest)?;
    let form = CycleForm {
        name: ctx.t_name("cycle-default-name", &year.to_string()),
        kind: CycleKind::Annual.code().into(),
        report_frequency: ReportFrequency::Monthly.code().into(),
        participants: "all".into(),
        ..CycleForm::from_dates(&dates)
    };
    let choices = choices(&mut conn).await?;
    render(&form_page(ctx, None, form, DetailedErrors::default(), choices))
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<CycleForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageCycles)?;
    let mut tx = state.pool.begin().await?;
    let choices = choices(&mut tx).await?;
    let mut errors = DetailedErrors::default();
    let Some(data) = form.validate(&choices, &mut errors) else {
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &form_page(ctx, None, form, errors, choices));
    };
    let id = match cycles::create(&mut tx, &data).await {
        Err(err) if is_unique_violation(&err, "cycle_name_unique") => {
            errors.add("name", FieldError::Taken);
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &form_page(ctx, None, form, errors, choices));
        }
        other => other?,
    };
    let event = AuditEvent::new("cycle.created", "cycle", id, json!({ "after": summary(&data) }));
    audit::record(&mut tx, &user.audit, event).await?;
    tx.commit().await?;
    Flash::success_named("cycle-saved", &data.name).set(&session).await?;
    Ok(Redirect::to(&format!("/cycles/{id}")).into_response())
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ManageCycles)?;
    let mut conn = state.pool.acquire().await?;
    let row = cycles::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let chosen = cycles::chosen(&mut conn, id).await?;
    let page = CycleFormPage {
        participants_editable: row.stage == CycleStage::Planning,
        ..form_page(
            ctx,
            Some(id),
            CycleForm::from_row(&row, &chosen),
            DetailedErrors::default(),
            choices(&mut conn).await?,
        )
    };
    render(&page)
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(mut form): CsrfForm<CycleForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageCycles)?;
    let mut tx = state.pool.begin().await?;
    let before = cycles::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let chosen = cycles::chosen(&mut tx, id).await?;
    let editable = before.stage == CycleStage::Planning;
    if !editable {
        form.keep_participants(before.all_participants, &chosen);
    }
    let choices = choices(&mut tx).await?;
    let mut errors = DetailedErrors::default();
    let page = |form, errors, choices, conflict| CycleFormPage {
        participants_editable: editable,
        conflict,
        ..form_page(ctx, Some(id), form, errors, choices)
    };
    let Some(data) = form.validate(&choices, &mut errors) else {
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(form, errors, choices, false));
    };
    let saved = match cycles::update(&mut tx, id, form.version, &data).await {
        Err(err) if is_unique_violation(&err, "cycle_name_unique") => {
            errors.add("name", FieldError::Taken);
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(form, errors, choices, false));
        }
        other => other?,
    };
    if saved.is_none() {
        return render_with(StatusCode::CONFLICT, &page(form, errors, choices, true));
    }
    let before = json!({ "cycle": row_summary(&before), "departments": chosen.departments, "people": chosen.people });
    let event = AuditEvent::new("cycle.updated", "cycle", id, json!({ "before": before, "after": summary(&data) }));
    audit::record(&mut tx, &user.audit, event).await?;
    tx.commit().await?;
    Flash::success_named("cycle-saved", &data.name).set(&session).await?;
    Ok(Redirect::to(&format!("/cycles/{id}")).into_response())
}

fn summary(data: &CycleData) -> serde_json::Value {
    json!({
        "name": data.name, "kind": data.kind.code(),
        "period": [data.period_start, data.period_end],
        "stage_dates": [data.planning_until, data.implementation_until, data.assessment_until, data.feedback_until],
        "report_frequency": data.report_frequency.code(), "all_participants": data.all_participants,
        "departments": data.departments, "people": data.people,
    })
}

fn row_summary(row: &CycleRow) -> serde_json::Value {
    json!({
        "name": row.name, "kind": row.kind.code(), "stage": row.stage.code(),
        "period": [row.period_start, row.period_end],
        "stage_dates": [row.planning_until, row.implementation_until, row.assessment_until, row.feedback_until],
        "report_frequency": row.report_frequency.code(), "all_participants": row.all_participants,
    })
}

/// The participants of one department (or of none).
pub struct ParticipantGroup {
    pub department: Option<String>,
    pub names: Vec<String>,
}

fn group_by_department(participants: &[ParticipantRow]) -> Vec<ParticipantGroup> {
    let mut groups: Vec<ParticipantGroup> = Vec::new();
    for p in participants {
        match groups.last_mut() {
            Some(group) if group.department == p.department_name => group.names.push(p.full_name.clone()),
            _ => groups
                .push(ParticipantGroup { department: p.department_name.clone(), names: vec![p.full_name.clone()] }),
        }
    }
    groups
}

#[derive(Template)]
#[template(path = "plan/cycle.html")]
pub struct CyclePage {
    pub ctx: PageContext,
    pub cycle: CycleRow,
    pub participant_count: i64,
    pub groups: Vec<ParticipantGroup>,
    pub stages: &'static [CycleStage],
    pub checklist: Vec<ChecklistItem>,
    pub next: Option<CycleStage>,
    pub previous: Option<CycleStage>,
    pub history: Vec<HistoryRow>,
    /// The reason typed for a move back, kept after a conflict.
    pub reason: String,
    pub conflict: bool,
    /// Years the cycle's dates and deadlines run into that have no work-calendar entry.
    pub calendar_gaps: Vec<i32>,
}

impl CyclePage {
    pub fn is_current(&self, stage: &CycleStage) -> bool {
        *stage == self.cycle.stage
    }

    pub fn is_done(&self, stage: &CycleStage) -> bool {
        let index = |s: CycleStage| CycleStage::ALL.iter().position(|x| *x == s);
        index(*stage) < index(self.cycle.stage)
    }

    pub fn stage_class(&self) -> &'static str {
        stage_class(self.cycle.stage)
    }

    /// A stage's name in the page's language.
    pub fn stage_name(&self, stage: &CycleStage) -> String {
        self.ctx.t(&stage.label_key())
    }

    /// The planned end of a stage (none for closed).
    pub fn until(&self, stage: &CycleStage) -> Option<NaiveDate> {
        match stage {
            CycleStage::Planning => Some(self.cycle.planning_until),
            CycleStage::Implementation => Some(self.cycle.implementation_until),
            CycleStage::Assessment => Some(self.cycle.assessment_until),
            CycleStage::Feedback => Some(self.cycle.feedback_until),
            CycleStage::Closed => None,
        }
    }

    /// The locale key of an audit action on a cycle.
    pub fn action_key(&self, action: &str) -> &'static str {
        match action {
            "cycle.created" => "cycle-history-created",
            "cycle.updated" => "cycle-history-updated",
            "cycle.stage_changed" => "cycle-history-stage-changed",
            _ => "cycle-history-other",
        }
    }
}

async fn cycle_page(
    conn: &mut PgConnection,
    ctx: PageContext,
    cycle: CycleRow,
    reason: String,
    conflict: bool,
) -> AppResult<CyclePage> {
    let participants = cycles::participants(conn, cycle.id).await?;
    let facts = cycles::checklist_facts(conn, cycle.id, &participants).await?;
    let history = cycles::history(conn, cycle.id).await?;
    // Deadlines reach past the period: the last report's and the stage dates (docs/DOMAIN.md §4.1).
    let last = cycle.feedback_until.max(cycle.period_end + chrono::Duration::days(60));
    let calendar_gaps =
        crate::db::calendar::years_without_entries(conn, cycle.period_start.year(), last.year()).await?;
    Ok(CyclePage {
        calendar_gaps,
        ctx,
        participant_count: participants.len() as i64,
        groups: group_by_department(&participants),
        stages: CycleStage::ALL,
        checklist: checklist(cycle.stage, &facts),
        next: cycle.stage.next(),
        previous: cycle.stage.previous(),
        history,
        reason,
        conflict,
        cycle,
    })
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ManageCycles)?;
    let mut conn = state.pool.acquire().await?;
    let cycle = cycles::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    render(&cycle_page(&mut conn, ctx, cycle, String::new(), false).await?)
}

/// A stage move: the stage to go to, the reason (required to go back), and
/// the version of the cycle the person saw.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StageForm {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub version: i32,
}

pub async fn move_stage(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StageForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageCycles)?;
    let back = format!("/cycles/{id}");
    let mut tx = state.pool.begin().await?;
    let cycle = cycles::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let reason = form.reason.trim().to_string();
    if form.version != cycle.version {
        return render_with(StatusCode::CONFLICT, &cycle_page(&mut tx, ctx, cycle, reason, true).await?);
    }
    let from = cycle.stage;
    let Some(to) = CycleStage::parse(&form.to) else {
        Flash::error("cycle-error-wrong-stage").set(&session).await?;
        return Ok(Redirect::to(&back).into_response());
    };
    if let Err(err) = stage_move(from, to, &reason) {
        let key = if err == WorkflowError::ReasonRequired {
            "cycle-error-reason-required"
        } else {
            "cycle-error-wrong-stage"
        };
        Flash::error(key).set(&session).await?;
        return Ok(Redirect::to(&back).into_response());
    }
    if !cycles::set_stage(&mut tx, id, form.version, from, to).await? {
        return render_with(StatusCode::CONFLICT, &cycle_page(&mut tx, ctx, cycle, reason, true).await?);
    }
    let summary = json!({ "from": from.code(), "to": to.code(), "reason": reason });
    audit::record(&mut tx, &user.audit, AuditEvent::new("cycle.stage_changed", "cycle", id, summary)).await?;
    tx.commit().await?;
    Flash::success_named("cycle-stage-moved", ctx.t(&to.label_key())).set(&session).await?;
    Ok(Redirect::to(&back).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered() -> Choices {
        Choices {
            departments: vec![DepartmentChoice { id: 1, name: "办公室".into() }],
            people: vec![StaffChoice { id: 7, full_name: "王芳".into(), department_name: None }],
        }
    }

    fn filled() -> CycleForm {
        CycleForm {
            name: "2026年度考核".into(),
            kind: "annual".into(),
            report_frequency: "monthly".into(),
            participants: "chosen".into(),
            departments: vec!["1".into()],
            ..CycleForm::from_dates(&default_annual_dates(2026, &Default::default()).unwrap())
        }
    }

    #[test]
    fn a_filled_form_gives_the_cycle_data() {
        let mut errors = DetailedErrors::default();
        let data = filled().validate(&offered(), &mut errors).expect("valid");
        assert!(errors.is_empty());
        assert_eq!((data.all_participants, data.departments, data.people), (false, vec![1], vec![]));
    }

    #[test]
    fn dates_out_of_order_show_their_own_message_beside_the_field() {
        let form = CycleForm { feedback_until: "2026-06-30".into(), period_end: "2025-12-01".into(), ..filled() };
        let mut errors = DetailedErrors::default();
        assert!(form.validate(&offered(), &mut errors).is_none());
        assert_eq!(errors.of("period_end"), "cycle-error-period-order");
        assert_eq!(errors.of("feedback_until"), "cycle-error-feedback-order");
        assert!(!errors.has("assessment_until"));
        let form = CycleForm { period_end: "2026-13-01".into(), ..filled() };
        let mut errors = DetailedErrors::default();
        assert!(form.validate(&offered(), &mut errors).is_none());
        assert_eq!(errors.of("period_end"), "error-invalid");
    }

    #[test]
    fn chosen_participants_must_be_offered_and_not_empty() {
        let mut errors = DetailedErrors::default();
        let form = CycleForm { departments: vec!["99".into()], ..filled() };
        assert!(form.validate(&offered(), &mut errors).is_none());
        assert_eq!(errors.of("departments"), "error-invalid");
        let mut errors = DetailedErrors::default();
        let form = CycleForm { departments: vec![], ..filled() };
        assert!(form.validate(&offered(), &mut errors).is_none());
        assert_eq!(errors.of("participants"), "cycle-error-no-participants");
    }

    #[test]
    fn english_checklist_lines_agree_in_number() {
        use crate::i18n::Lang;
        use fluent_templates::fluent_bundle::FluentValue;
        let line = |count: i64| {
            Lang::En.t_args("cycle-check-departments-not-approved", &[("count", FluentValue::from(count))])
        };
        assert_eq!(line(1), "1 department has no approved department targets");
        assert_eq!(line(3), "3 departments have no approved department targets");
    }

    #[test]
    fn participants_are_grouped_by_department_in_order() {
        let p = |id, name: &str, dept: Option<&str>| ParticipantRow {
            person_id: id,
            full_name: name.into(),
            department_id: dept.map(|_| 1),
            department_name: dept.map(String::from),
        };
        let groups = group_by_department(&[p(1, "甲", Some("办公室")), p(2, "乙", Some("办公室")), p(3, "丙", None)]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].names, vec!["甲".to_string(), "乙".to_string()]);
        assert_eq!(groups[1].department, None);
    }
}

//! Supervision items (督办事项): the list with each item's colour, opening an
//! item, its page with the steps of its life and its three-colour slips,
//! answering a slip, and issuing today's slips on demand.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use crate::auth::csrf::{CsrfChecked, CsrfForm};
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::departments::{self, DepartmentChoice};
use crate::db::people::{self, PersonChoice};
use crate::db::supervision::{
    self, EventRow, ExtensionRow, ItemData, ItemFilter, ItemRow, ItemScope, ProgressRow, SlipRow, TargetChoice,
};
use crate::domain::monitor::{SlipColour, SupervisionSource, SupervisionStatus};
use crate::domain::plan::ReportFrequency;
use crate::domain::policy::{self, Permission};
use crate::domain::roles::Role;
use crate::domain::supervision::{self as rules, Sides};
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::export::xlsx_download;
use crate::http::forms::{FormErrors, optional_id};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::workflow::slips::{calendar_around, current_colour, issue_due_slips};
use crate::xlsx::Sheet;

/// An item with the colour it shows today.
pub struct ListRow {
    pub item: ItemRow,
    pub colour: Option<SlipColour>,
    /// The progress report of the last finished period is missing.
    pub progress_missing: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub colour: String,
    #[serde(default)]
    pub department: String,
}

#[derive(Template)]
#[template(path = "monitor/supervision.html")]
pub struct SupervisionListPage {
    pub ctx: PageContext,
    pub rows: Vec<ListRow>,
    pub query: ListQuery,
    pub departments: Vec<DepartmentChoice>,
    pub statuses: &'static [SupervisionStatus],
    pub colours: &'static [SlipColour],
    pub can_open: bool,
    pub can_issue: bool,
}

/// The class of a colour badge (`slip-blue` ...); a plain badge without a colour.
pub fn colour_class(colour: &Option<SlipColour>) -> String {
    match colour {
        Some(c) => format!("badge slip-{}", c.code()),
        None => "badge".into(),
    }
}

impl SupervisionListPage {
    pub fn colour_class(&self, colour: &Option<SlipColour>) -> String {
        colour_class(colour)
    }
}

/// The list: any signed-in person; each sees the items they may read
/// (office-wide readers every item; heads and leaders their departments'; anyone their own).
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let rows = load(&state, &user, &query).await?;
    let grants = user.grants();
    let page = SupervisionListPage {
        departments: departments::choices(&mut *state.pool.acquire().await?).await?,
        can_open: rules::can_open(grants),
        can_issue: user.may(Permission::ManageSupervision),
        statuses: SupervisionStatus::ALL,
        colours: SlipColour::ALL,
        ctx,
        rows,
        query,
    };
    render(&page)
}

/// The columns of the list and its export.
pub(crate) const LIST_HEADERS: [&str; 9] = [
    "supervision-field-colour",
    "supervision-field-title",
    "supervision-field-source",
    "supervision-field-lead-department",
    "supervision-field-co-departments",
    "supervision-field-assignee",
    "supervision-field-due-date",
    "field-status",
    "supervision-unanswered-slips",
];

/// `GET /supervision.xlsx`: the rows of the list with the same filters, the
/// colour of each item as the page names it.
pub async fn list_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let rows = load(&state, &user, &query).await?;
    let now = state.clock.now();
    let mut sheet = Sheet::new(ctx.sheet_head("supervision-title", None, &LIST_HEADERS, false, now));
    for ListRow { item, colour, progress_missing } in rows {
        let colour = colour.map_or("supervision-colour-none".to_string(), |c| c.label_key());
        let mut status = ctx.t(item.status.label_key().as_str());
        if progress_missing {
            status = format!("{status} · {}", ctx.t("supervision-progress-missing-short"));
        }
        sheet.push(vec![
            ctx.t(&colour).into(),
            item.title.into(),
            ctx.t(item.source.label_key().as_str()).into(),
            item.department_name.into(),
            item.co_department_names.join(&ctx.t("name-list-separator")).into(),
            item.assignee_name.into(),
            item.due_date.into(),
            status.into(),
            item.unanswered_slips.into(),
        ]);
    }
    xlsx_download(sheet, "supervision", now).await
}

/// The items the viewer may read, filtered as the query asks, each with the
/// colour it shows today.
async fn load(state: &AppState, user: &CurrentUser, query: &ListQuery) -> AppResult<Vec<ListRow>> {
    let grants = user.grants();
    let mut departments_in_scope = grants.departments_for(Role::DepartmentHead);
    departments_in_scope.extend(grants.departments_for(Role::SupervisingLeader));
    let scope = ItemScope { all: rules::reads_all(grants), departments: departments_in_scope, person_id: user.id() };
    let filter =
        ItemFilter { status: SupervisionStatus::parse(&query.status), department_id: query.department.parse().ok() };
    let colour_filter = SlipColour::parse(&query.colour);
    let today = state.clock.today();
    let mut conn = state.pool.acquire().await?;
    let items = supervision::list(&mut conn, &scope, &filter, today).await?;
    let settings = crate::db::settings::for_year(&mut conn, today.year()).await?;
    let calendar = calendar_around(&mut conn, today, items.iter().map(|i| i.due_date)).await?;
    Ok(items
        .into_iter()
        .map(|item| ListRow {
            colour: current_colour(&item.timeline(), today, &settings, &calendar),
            progress_missing: item.progress_missing(today),
            item,
        })
        .filter(|row| colour_filter.is_none_or(|c| row.colour == Some(c)))
        .collect())
}

/// The form to open an item, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub source: String,
    /// The lead department (牵头).
    #[serde(default)]
    pub department_id: String,
    /// The co-operating departments (协办) ticked, never the lead one.
    #[serde(default)]
    pub co_department_ids: Vec<String>,
    #[serde(default)]
    pub assignee_id: String,
    #[serde(default)]
    pub due_date: String,
    #[serde(default)]
    pub report_frequency: String,
    /// The leader's instruction (批示): its document number (文号), who instructed, when.
    #[serde(default)]
    pub instruction_doc_no: String,
    #[serde(default)]
    pub instructed_by: String,
    #[serde(default)]
    pub instructed_on: String,
    /// The target the item serves: one of the department's approved targets of an open cycle.
    #[serde(default)]
    pub target_id: String,
}

impl ItemForm {
    /// Whether the department is ticked as co-operating.
    pub fn co_operates(&self, id: &i64) -> bool {
        self.co_department_ids.iter().any(|v| v.trim() == id.to_string())
    }

    /// Whether the person is among the assignee choices of the lead department
    /// chosen (all people while none is chosen).
    pub fn offers_assignee(&self, person: &PersonChoice) -> bool {
        optional_id(&self.department_id).ok().flatten().is_none_or(|d| person.department_id == Some(d))
    }

    /// The item to save, or `None` with the errors recorded. `departments` and
    /// `people` are the choices offered, so nothing else is accepted: the
    /// assignee is one of the lead department's people, the co-operating
    /// departments are among those offered and never the lead one.
    fn validate(
        &self,
        errors: &mut FormErrors,
        departments: &[DepartmentChoice],
        co_offered: &[DepartmentChoice],
        people: &[PersonChoice],
        targets: &[TargetChoice],
        today: NaiveDate,
    ) -> Option<ItemData> {
        let title = errors.check("title", validate::required_text(&self.title, 200));
        let content = errors.check("content", validate::optional_text(&self.content, 4000));
        let source = SupervisionSource::parse(&self.source).ok_or(FieldError::Required);
        let source = errors.check("source", source.map(Some)).unwrap_or(SupervisionSource::MeetingDecision);
        let department = match optional_id(&self.department_id) {
            Ok(None) => Err(FieldError::Required),
            Ok(Some(id)) if departments.iter().any(|d| d.id == id) => Ok(Some(id)),
            _ => Err(FieldError::Invalid),
        };
        let department_id = errors.check("department_id", department).unwrap_or_default();
        let assignee = match optional_id(&self.assignee_id) {
            Ok(Some(id)) if !people.iter().any(|p| p.id == id && self.offers_assignee(p)) => {
                Err(FieldError::NotOffered)
            }
            other => other,
        };
        let assignee_id = errors.check("assignee_id", assignee);
        let co_department_ids = errors.check("co_department_ids", co_departments(&self.co_department_ids, co_offered));
        if co_department_ids.contains(&department_id) {
            errors.add_message("co_department_ids", "supervision-co-department-is-lead");
        }
        let due = match self.due_date.trim() {
            "" => Err(FieldError::Required),
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| FieldError::Invalid),
        };
        let due_date = errors.check("due_date", due);
        // An item registered already overdue would be red from its first day (DOMAIN.md §8.2).
        if due_date.is_some_and(|due| due < today) {
            errors.add_message("due_date", "supervision-due-date-past");
        }
        let report_frequency = ReportFrequency::parse(&self.report_frequency).unwrap_or(ReportFrequency::Monthly);
        let instruction_doc_no =
            errors.check("instruction_doc_no", validate::optional_text(&self.instruction_doc_no, 100));
        let instructed_by = errors.check("instructed_by", validate::optional_text(&self.instructed_by, 100));
        let instructed_on = match self.instructed_on.trim() {
            "" => Ok(None),
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| FieldError::Invalid),
        };
        let instructed_on = errors.check("instructed_on", instructed_on);
        let target = match optional_id(&self.target_id) {
            Ok(Some(id)) if !targets.iter().any(|t| t.id == id && t.department_id == department_id) => {
                Err(FieldError::NotOffered)
            }
            other => other,
        };
        let target_id = errors.check("target_id", target);
        let due_date = due_date?;
        errors.is_empty().then_some(ItemData {
            title,
            content,
            source,
            department_id,
            co_department_ids,
            assignee_id,
            due_date,
            report_frequency,
            instruction_doc_no,
            instructed_by,
            instructed_on,
            target_id,
        })
    }
}

/// The co-operating departments ticked, each one of those offered.
fn co_departments(values: &[String], offered: &[DepartmentChoice]) -> Result<Vec<i64>, FieldError> {
    let mut ids = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let id: i64 = value.parse().map_err(|_| FieldError::Invalid)?;
        if !offered.iter().any(|d| d.id == id) {
            return Err(FieldError::NotOffered);
        }
        ids.push(id);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

#[derive(Template)]
#[template(path = "monitor/supervision_form.html")]
pub struct SupervisionFormPage {
    pub ctx: PageContext,
    pub form: ItemForm,
    pub errors: FormErrors,
    /// The lead departments the viewer may open items for.
    pub departments: Vec<DepartmentChoice>,
    /// The departments that may co-operate: every active one.
    pub co_departments: Vec<DepartmentChoice>,
    pub people: Vec<PersonChoice>,
    pub targets: Vec<TargetChoice>,
    pub sources: &'static [SupervisionSource],
    pub frequencies: &'static [ReportFrequency],
}

/// What the form offers: the departments in `scope` (`None`: all) to open
/// items for, every department to co-operate, the people of those lead
/// departments to assign, and the targets of those departments an item may serve.
struct FormChoices {
    departments: Vec<DepartmentChoice>,
    co_departments: Vec<DepartmentChoice>,
    people: Vec<PersonChoice>,
    targets: Vec<TargetChoice>,
}

async fn form_choices(conn: &mut sqlx::PgConnection, scope: Option<Vec<i64>>) -> AppResult<FormChoices> {
    let co_departments = departments::choices(conn).await?;
    let mut departments = co_departments.clone();
    departments.retain(|d| scope.as_ref().is_none_or(|ids| ids.contains(&d.id)));
    let targets = supervision::target_choices(conn, scope.as_deref()).await?;
    let mut people = people::choices(conn).await?;
    people.retain(|p| p.department_id.is_some_and(|d| departments.iter().any(|x| x.id == d)));
    Ok(FormChoices { departments, co_departments, people, targets })
}

fn form_page(ctx: PageContext, form: ItemForm, errors: FormErrors, choices: FormChoices) -> SupervisionFormPage {
    let FormChoices { departments, co_departments, people, targets } = choices;
    SupervisionFormPage {
        ctx,
        form,
        errors,
        departments,
        co_departments,
        people,
        targets,
        sources: SupervisionSource::ALL,
        frequencies: ReportFrequency::ALL,
    }
}

pub async fn new_form(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let scope = policy::require_supervision_opener(user.grants())?;
    let choices = form_choices(&mut *state.pool.acquire().await?, scope).await?;
    let form = ItemForm { report_frequency: ReportFrequency::Monthly.code().into(), ..Default::default() };
    render(&form_page(ctx, form, FormErrors::default(), choices))
}

/// Opens an item (立项): status registered, its first event, an audit row.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> AppResult<Response> {
    let scope = policy::require_supervision_opener(user.grants())?;
    let mut tx = state.pool.begin().await?;
    let choices = form_choices(&mut tx, scope).await?;
    let mut errors = FormErrors::default();
    let Some(data) = form.validate(
        &mut errors,
        &choices.departments,
        &choices.co_departments,
        &choices.people,
        &choices.targets,
        state.clock.today(),
    ) else {
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &form_page(ctx, form, errors, choices));
    };
    let id = supervision::create(&mut tx, &data, user.id(), state.clock.today()).await?;
    supervision::add_event(&mut tx, id, Some(user.id()), None, Some(SupervisionStatus::Registered), "").await?;
    let summary = json!({
        "title": data.title, "source": data.source.code(), "department_id": data.department_id,
        "co_department_ids": data.co_department_ids, "assignee_id": data.assignee_id, "due_date": data.due_date, "report_frequency": data.report_frequency.code(),
        "instruction_doc_no": data.instruction_doc_no, "instructed_by": data.instructed_by,
        "instructed_on": data.instructed_on, "target_id": data.target_id,
    });
    audit::record(&mut tx, &user.audit, AuditEvent::new("supervision_item.created", "supervision_item", id, summary))
        .await?;
    tx.commit().await?;
    Flash::success_named("supervision-created", &data.title).set(&session).await?;
    Ok(Redirect::to(&format!("/supervision/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "monitor/supervision_item.html")]
pub struct SupervisionItemPage {
    pub ctx: PageContext,
    pub item: ItemRow,
    pub colour: Option<SlipColour>,
    pub events: Vec<EventRow>,
    pub slips: Vec<SlipRow>,
    /// The progress reports (进展报告), newest first.
    pub progress: Vec<ProgressRow>,
    /// Whether the progress report of the last finished period is missing.
    pub progress_missing: bool,
    /// Whether the viewer may post a progress report (the assignee side, while open).
    pub can_report: bool,
    /// The extension requests (延期申请), newest first.
    pub extensions: Vec<ExtensionRow>,
    /// Whether the viewer may ask for a later due date now.
    pub can_request_extension: bool,
    /// The pending request the viewer may decide, if any.
    pub decidable_extension: Option<i64>,
    /// The statuses the viewer may move the item to now.
    pub steps: Vec<SupervisionStatus>,
    /// Whether the viewer is on the assignee side, who answers every slip.
    pub can_answer: bool,
    pub viewer_id: i64,
    pub today: NaiveDate,
}

impl SupervisionItemPage {
    pub fn colour_class(&self, colour: &Option<SlipColour>) -> String {
        colour_class(colour)
    }

    /// The button label of a step, which differs from the status name for a rejection.
    pub fn step_key(&self, to: &SupervisionStatus) -> String {
        if rules::is_rejection(self.item.status, *to) {
            "supervision-step-reject".into()
        } else {
            format!("supervision-step-{}", to.code().replace('_', "-"))
        }
    }

    /// Whether the viewer decides this extension request now.
    pub fn decides(&self, extension: &ExtensionRow) -> bool {
        self.decidable_extension == Some(extension.id)
    }

    pub fn needs_note(&self) -> bool {
        self.steps.iter().any(|to| rules::is_rejection(self.item.status, *to))
    }

    /// Whether the viewer answers the slip: the assignee side, or the person it is charged to.
    pub fn answers(&self, slip: &SlipRow) -> bool {
        self.can_answer || slip.charged_to == Some(self.viewer_id)
    }
}

/// The item page: facts, colour, the viewer's steps, the timeline and the slips.
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let item = supervision::find(&mut conn, id, state.clock.today()).await?.ok_or(AppError::NotFound)?;
    policy::require_read_item(user.id(), user.grants(), &item.facts())?;
    let sides = rules::sides(user.id(), user.grants(), &item.facts());
    let settings = crate::db::settings::for_year(&mut conn, state.clock.today().year()).await?;
    let today = state.clock.today();
    let calendar = calendar_around(&mut conn, today, std::iter::once(item.due_date)).await?;
    let extensions = supervision::extensions(&mut conn, id).await?;
    let page = SupervisionItemPage {
        colour: current_colour(&item.timeline(), today, &settings, &calendar),
        events: supervision::events(&mut conn, id).await?,
        slips: supervision::slips(&mut conn, id).await?,
        progress: supervision::progress(&mut conn, id).await?,
        progress_missing: item.progress_missing(today),
        can_report: sides.assignee && item.is_open(),
        can_request_extension: sides.assignee && item.is_open() && !extensions.iter().any(|e| e.is_pending()),
        decidable_extension: extensions
            .iter()
            .find(|e| {
                e.is_pending() && rules::can_decide_extension(user.id(), user.grants(), &item.facts(), e.requested_by)
            })
            .map(|e| e.id),
        extensions,
        steps: sides.next_steps(item.status),
        can_answer: sides.assignee,
        viewer_id: user.id(),
        today,
        ctx,
        item,
    };
    render(&page)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct StepForm {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub version: i32,
}

/// The status the step moves to, or the flash telling why it is refused.
fn check_step(item: &ItemRow, sides: Sides, form: &StepForm) -> Result<SupervisionStatus, &'static str> {
    if form.version != item.version {
        return Err("error-stale-edit");
    }
    let to = SupervisionStatus::parse(&form.to).ok_or("supervision-step-not-allowed")?;
    sides.actor_for(item.status, to).ok_or("supervision-step-not-allowed")?;
    if rules::is_rejection(item.status, to) && form.note.trim().is_empty() {
        return Err("supervision-note-required");
    }
    if form.note.chars().count() > 2000 {
        return Err("supervision-note-too-long");
    }
    Ok(to)
}

/// A step of the item's life by either side: 403 for someone with no side in
/// the item, a flash when the step is not allowed now (or the item moved).
pub async fn step(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let item = supervision::find(&mut tx, id, state.clock.today()).await?.ok_or(AppError::NotFound)?;
    let sides = policy::require_item_side(user.id(), user.grants(), &item.facts())?;
    let to = match check_step(&item, sides, &form) {
        Ok(to) => to,
        Err(key) => return back_to(&session, id, Flash::error(key)).await,
    };
    if !supervision::transition(&mut tx, id, form.version, item.status, to).await? {
        return back_to(&session, id, Flash::error("error-stale-edit")).await;
    }
    let note = form.note.trim();
    supervision::add_event(&mut tx, id, Some(user.id()), Some(item.status), Some(to), note).await?;
    let rejected = rules::is_rejection(item.status, to);
    let action =
        if rejected { "supervision_item.rejected".to_string() } else { format!("supervision_item.{}", to.code()) };
    let summary = json!({ "from": item.status.code(), "to": to.code(), "note": note });
    audit::record(&mut tx, &user.audit, AuditEvent::new(&action, "supervision_item", id, summary)).await?;
    tx.commit().await?;
    let key = if rejected {
        "supervision-step-done-rejected".to_string()
    } else {
        format!("supervision-step-done-{}", to.code().replace('_', "-"))
    };
    back_to(&session, id, Flash::success(&key)).await
}

async fn back_to(session: &Session, item_id: i64, flash: Flash) -> AppResult<Response> {
    flash.set(session).await?;
    Ok(Redirect::to(&format!("/supervision/{item_id}")).into_response())
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub answer: String,
}

/// The assignee side, or the person the slip is charged to, answers a slip (once).
pub async fn answer_slip(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(slip_id): Path<i64>,
    CsrfForm(form): CsrfForm<AnswerForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let slip = supervision::find_slip(&mut tx, slip_id).await?.ok_or(AppError::NotFound)?;
    let item = supervision::find(&mut tx, slip.item_id, state.clock.today()).await?.ok_or(AppError::NotFound)?;
    policy::require_slip_answerer(user.id(), user.grants(), &item.facts(), slip.charged_to)?;
    let answer = match validate::required_text(&form.answer, 2000) {
        Ok(answer) => answer,
        Err(FieldError::TooLong) => {
            return back_to(&session, item.id, Flash::error("supervision-slip-answer-too-long")).await;
        }
        Err(_) => return back_to(&session, item.id, Flash::error("supervision-slip-answer-required")).await,
    };
    if !supervision::answer_slip(&mut tx, slip_id, &answer, user.id()).await? {
        return back_to(&session, item.id, Flash::error("supervision-slip-already-answered")).await;
    }
    let summary = json!({
        "item_id": item.id, "colour": slip.colour.code(), "answer_due": slip.answer_due,
        "late": state.clock.today() > slip.answer_due, "answer": answer,
    });
    audit::record(
        &mut tx,
        &user.audit,
        AuditEvent::new("supervision_slip.answered", "supervision_slip", slip_id, summary),
    )
    .await?;
    tx.commit().await?;
    back_to(&session, item.id, Flash::success("supervision-slip-answered")).await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProgressForm {
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub percent: String,
}

impl ProgressForm {
    /// The text and the optional percent done, or the flash telling what is wrong.
    fn validate(&self) -> Result<(String, Option<i32>), &'static str> {
        let body = match validate::required_text(&self.body, 4000) {
            Ok(body) => body,
            Err(FieldError::TooLong) => return Err("supervision-progress-too-long"),
            Err(_) => return Err("supervision-progress-required"),
        };
        let percent = match self.percent.trim() {
            "" => None,
            text => Some(
                text.parse::<i32>()
                    .ok()
                    .filter(|p| (0..=100).contains(p))
                    .ok_or("supervision-progress-percent-invalid")?,
            ),
        };
        Ok((body, percent))
    }
}

/// The assignee side posts a progress report (进展报告) on an open item.
pub async fn add_progress(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ProgressForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let today = state.clock.today();
    let item = supervision::find(&mut tx, id, today).await?.ok_or(AppError::NotFound)?;
    policy::require_item_assignee(user.id(), user.grants(), &item.facts())?;
    if !item.is_open() {
        return back_to(&session, id, Flash::error("supervision-progress-closed")).await;
    }
    let (body, percent) = match form.validate() {
        Ok(valid) => valid,
        Err(key) => return back_to(&session, id, Flash::error(key)).await,
    };
    let progress_id = supervision::add_progress(&mut tx, id, user.id(), today, &body, percent).await?;
    let summary = json!({ "item_id": id, "posted_on": today, "percent": percent, "body": body });
    audit::record(
        &mut tx,
        &user.audit,
        AuditEvent::new("supervision_progress.posted", "supervision_progress", progress_id, summary),
    )
    .await?;
    tx.commit().await?;
    back_to(&session, id, Flash::success("supervision-progress-posted")).await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExtensionForm {
    #[serde(default)]
    pub requested_due: String,
    #[serde(default)]
    pub reason: String,
}

impl ExtensionForm {
    /// The later due date and the reason, or the flash telling what is wrong.
    fn validate(&self, current_due: NaiveDate) -> Result<(NaiveDate, String), &'static str> {
        let due = NaiveDate::parse_from_str(self.requested_due.trim(), "%Y-%m-%d")
            .map_err(|_| "supervision-extension-date-invalid")?;
        if due <= current_due {
            return Err("supervision-extension-not-later");
        }
        let reason = validate::required_text(&self.reason, 2000).map_err(|e| match e {
            FieldError::TooLong => "supervision-extension-reason-too-long",
            _ => "supervision-extension-reason-required",
        })?;
        Ok((due, reason))
    }
}

/// The assignee side asks for a later due date (延期申请), with a reason; one
/// request at a time waits for the supervisor side.
pub async fn request_extension(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ExtensionForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let item = supervision::find(&mut tx, id, state.clock.today()).await?.ok_or(AppError::NotFound)?;
    policy::require_item_assignee(user.id(), user.grants(), &item.facts())?;
    if !item.is_open() {
        return back_to(&session, id, Flash::error("supervision-extension-closed")).await;
    }
    let (due, reason) = match form.validate(item.due_date) {
        Ok(valid) => valid,
        Err(key) => return back_to(&session, id, Flash::error(key)).await,
    };
    let Some(request_id) = supervision::request_extension(&mut tx, id, user.id(), item.due_date, due, &reason).await?
    else {
        return back_to(&session, id, Flash::error("supervision-extension-pending-exists")).await;
    };
    let summary = json!({ "item_id": id, "current_due": item.due_date, "requested_due": due, "reason": reason });
    audit::record(
        &mut tx,
        &user.audit,
        AuditEvent::new("supervision_extension.requested", "supervision_extension", request_id, summary),
    )
    .await?;
    tx.commit().await?;
    back_to(&session, id, Flash::success("supervision-extension-requested")).await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExtensionDecisionForm {
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub note: String,
}

/// The supervisor side approves or rejects an extension request, never its
/// requester; an approval moves the due date and is kept among the item's events.
pub async fn decide_extension(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(request_id): Path<i64>,
    CsrfForm(form): CsrfForm<ExtensionDecisionForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let request = supervision::lock_extension(&mut tx, request_id).await?.ok_or(AppError::NotFound)?;
    let item = supervision::find(&mut tx, request.item_id, state.clock.today()).await?.ok_or(AppError::NotFound)?;
    policy::require_decide_extension(user.id(), user.grants(), &item.facts(), request.requested_by)?;
    let approve = match form.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return back_to(&session, item.id, Flash::error("supervision-step-not-allowed")).await,
    };
    let note = form.note.trim();
    if !approve && note.is_empty() {
        return back_to(&session, item.id, Flash::error("supervision-extension-note-required")).await;
    }
    if note.chars().count() > 2000 {
        return back_to(&session, item.id, Flash::error("supervision-note-too-long")).await;
    }
    if !request.is_pending() || !supervision::decide_extension(&mut tx, request_id, user.id(), approve, note).await? {
        return back_to(&session, item.id, Flash::error("supervision-extension-already-decided")).await;
    }
    if approve {
        supervision::extend_due_date(
            &mut tx,
            item.id,
            user.id(),
            item.due_date,
            request.requested_due,
            &request.reason,
        )
        .await?;
    }
    let action = if approve { "supervision_extension.approved" } else { "supervision_extension.rejected" };
    let summary = json!({
        "item_id": item.id, "due_from": item.due_date, "requested_due": request.requested_due, "note": note,
    });
    audit::record(&mut tx, &user.audit, AuditEvent::new(action, "supervision_extension", request_id, summary)).await?;
    tx.commit().await?;
    let key = if approve { "supervision-extension-done-approved" } else { "supervision-extension-done-rejected" };
    back_to(&session, item.id, Flash::success(key)).await
}

/// Issues today's slips now (the daily task does the same); idempotent.
pub async fn issue_now(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    _: CsrfChecked,
) -> AppResult<Response> {
    user.require(Permission::ManageSupervision)?;
    let mut tx = state.pool.begin().await?;
    let issued = issue_due_slips(&mut tx, state.clock.today(), &user.audit).await?;
    tx.commit().await?;
    Flash::success_named("supervision-slips-issued", issued.to_string()).set(&session).await?;
    Ok(Redirect::to("/supervision").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_step_has_a_button_and_a_message() {
        let mut keys: Vec<String> = SupervisionStatus::ALL
            .iter()
            .filter(|s| **s != SupervisionStatus::Registered)
            .flat_map(|s| {
                let code = s.code().replace('_', "-");
                [format!("supervision-step-{code}"), format!("supervision-step-done-{code}")]
            })
            .collect();
        keys.extend(["supervision-step-reject".into(), "supervision-step-done-rejected".into()]);
        for lang in Lang::ALL {
            for key in &keys {
                assert_ne!(&lang.t(key), key, "{lang:?} lacks {key}");
            }
        }
    }

    #[test]
    fn colours_map_to_their_badge_classes() {
        assert_eq!(colour_class(&Some(SlipColour::Red)), "badge slip-red");
        assert_eq!(colour_class(&None), "badge");
    }
}

//! The office's work systems (docs/DOMAIN.md §18.2): the list of events, an
//! event's page (plan, preparation tasks with their work-day clocks, members,
//! output, documents, follow-ups), its evidence files, and the to-dos it adds.

pub mod actions;
pub mod form;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use sqlx::PgConnection;

use crate::auth::session::CurrentUser;
use crate::db::attachments::{self, AttachmentMeta};
use crate::db::departments::{self, DepartmentChoice};
use crate::db::events::{self, EventFilter, EventRow, EventScope, InviteeRow, TaskRow};
use crate::db::members::{self, MemberRow};
use crate::db::people::{self, PersonChoice};
use crate::domain::events::{Clock, EventKind, EventStatus};
use crate::domain::policy::{self, EventFacts};
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::http::export::xlsx_download;
use crate::http::files::attachment_response;
use crate::http::forms::FormErrors;
use crate::http::home::TodoItem;
use crate::http::pages::{PageContext, render, render_with};
use crate::state::AppState;
use crate::xlsx::Sheet;

/// Attachments of an event are stored under this owner type.
pub const OWNER: &str = "event";

impl EventRow {
    pub fn facts(&self) -> EventFacts<'_> {
        EventFacts {
            department_id: self.department_id,
            co_department_ids: &self.co_department_ids,
            task_owner_ids: &self.task_owner_ids,
        }
    }
}

/// The event, found and readable by the user, or 404/403.
async fn readable(conn: &mut PgConnection, user: &CurrentUser, id: i64) -> AppResult<EventRow> {
    let event = events::find(conn, id).await?.ok_or(AppError::NotFound)?;
    policy::require_read_event(user.id(), user.principal.department_id, user.grants(), &event.facts())?;
    Ok(event)
}

/// The status badge class.
pub fn status_class(status: &EventStatus) -> &'static str {
    match status {
        EventStatus::Planned => "badge",
        EventStatus::Held => "badge badge-ok",
        EventStatus::Closed => "badge badge-ok",
        EventStatus::Cancelled => "badge badge-danger",
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub status: String,
}

#[derive(Template)]
#[template(path = "events/list.html")]
pub struct EventListPage {
    pub ctx: PageContext,
    pub rows: Vec<EventRow>,
    pub query: ListQuery,
    pub year: i32,
    pub departments: Vec<DepartmentChoice>,
    pub kinds: &'static [EventKind],
    pub statuses: &'static [EventStatus],
    pub can_create: bool,
}

impl EventListPage {
    pub fn status_class(&self, status: &EventStatus) -> &'static str {
        status_class(status)
    }
}

/// The list: every signed-in person, each seeing the events they may read.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let (year, rows) = load_list(&mut conn, &user, &query, state.clock.today().year()).await?;
    let page = EventListPage {
        ctx,
        rows,
        query,
        year,
        departments: departments::choices(&mut conn).await?,
        kinds: EventKind::ALL,
        statuses: EventStatus::ALL,
        can_create: policy::require_event_creator(user.grants()).is_ok(),
    };
    render(&page)
}

/// The columns of the list's export: the page's, with the dates, the
/// co-operating departments and the tasks in columns of their own.
pub(crate) const LIST_HEADERS: [&str; 10] = [
    "events-field-title",
    "events-field-kind",
    "events-field-starts-on",
    "events-field-ends-on",
    "events-field-department",
    "events-field-co-departments",
    "field-status",
    "events-tasks-open",
    "events-tasks",
    "events-field-suggestions",
];

/// `GET /events.xlsx`: the events of the list with the same filters.
pub async fn list_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let (year, rows) = load_list(&mut *state.pool.acquire().await?, &user, &query, state.clock.today().year()).await?;
    let now = state.clock.now();
    let mut sheet = Sheet::new(ctx.sheet_head("events-title", Some(&year.to_string()), &LIST_HEADERS, false, now));
    for e in rows {
        sheet.push(vec![
            e.title.into(),
            ctx.t(&e.kind.label_key()).into(),
            e.starts_on.into(),
            e.ends_on.into(),
            e.department_name.into(),
            e.co_department_names.join(&ctx.t("name-list-separator")).into(),
            ctx.t(&e.status.label_key()).into(),
            e.tasks_open.into(),
            e.tasks.into(),
            e.suggestions_adopted.into(),
        ]);
    }
    xlsx_download(sheet, "events", now).await
}

/// The year the query names (`this_year` by default) and its events the
/// viewer may read, filtered by kind, department and status: every signed-in
/// person, each seeing what they may read.
async fn load_list(
    conn: &mut PgConnection,
    user: &CurrentUser,
    query: &ListQuery,
    this_year: i32,
) -> AppResult<(i32, Vec<EventRow>)> {
    let grants = user.grants();
    let mut departments_in_scope = grants.departments_for(Role::DepartmentHead);
    departments_in_scope.extend(user.principal.department_id);
    let scope =
        EventScope { all: policy::reads_all_events(grants), departments: departments_in_scope, person_id: user.id() };
    let year = query.year.trim().parse().ok().filter(|y| (2000..=2100).contains(y)).unwrap_or(this_year);
    let filter = EventFilter {
        year,
        kind: EventKind::parse(&query.kind),
        department_id: query.department.trim().parse().ok(),
        status: EventStatus::parse(&query.status),
    };
    Ok((year, events::list(conn, &scope, &filter).await?))
}

/// A task or follow-up with its clock today.
pub struct ClockedRow {
    pub row: TaskRow,
    pub clock: Clock,
    /// Whether the viewer may mark it done now.
    pub can_finish: bool,
}

/// The forms of the event page, as typed (kept after a refusal).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MemberQuery {
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub committee: String,
}

#[derive(Template)]
#[template(path = "events/detail.html")]
pub struct EventPage {
    pub ctx: PageContext,
    pub event: EventRow,
    pub tasks: Vec<ClockedRow>,
    pub follow_ups: Vec<ClockedRow>,
    pub invitees: Vec<InviteeRow>,
    pub files: Vec<AttachmentMeta>,
    pub can_manage: bool,
    /// The members who may be invited (active, not yet invited, filtered).
    pub members: Vec<MemberRow>,
    pub sectors: Vec<String>,
    pub committees: Vec<String>,
    pub member_query: MemberQuery,
    pub people: Vec<PersonChoice>,
    pub departments: Vec<DepartmentChoice>,
    pub forms: actions::EventForms,
    pub errors: FormErrors,
    /// A refusal of the whole action (a stale version).
    pub refusal: Option<&'static str>,
    pub accept: &'static str,
    pub max_upload: i64,
}

impl EventPage {
    pub fn status_class(&self, status: &EventStatus) -> &'static str {
        status_class(status)
    }

    pub fn clock_text(&self, clock: &Clock) -> String {
        self.ctx.t_count(clock.label_key(), clock.days())
    }

    pub fn attended_count(&self) -> usize {
        self.invitees.iter().filter(|i| i.attended).count()
    }

    pub fn can_hold(&self) -> bool {
        self.can_manage && matches!(self.event.status, EventStatus::Planned | EventStatus::Held)
    }
}

/// Builds the event page for `event` as `user` sees it on `today`.
pub async fn event_page(
    conn: &mut PgConnection,
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    event: EventRow,
    member_query: MemberQuery,
    (forms, errors): (actions::EventForms, FormErrors),
) -> AppResult<EventPage> {
    let today = state.clock.today();
    let can_manage = policy::can_manage_event(user.grants(), &event.facts());
    let task_rows = events::tasks(conn, event.id).await?;
    let follow_rows = events::follow_ups(conn, event.id).await?;
    let days = task_rows.iter().chain(&follow_rows).map(|t| t.due_on).chain([today]);
    let (from, to) = (days.clone().min().unwrap_or(today), days.max().unwrap_or(today));
    let calendar = crate::db::calendar::load(conn, from - chrono::Days::new(7), to + chrono::Days::new(400)).await?;
    let clocked = |rows: Vec<TaskRow>| -> Vec<ClockedRow> {
        rows.into_iter()
            .map(|row| ClockedRow {
                clock: Clock::of(&calendar, row.due_on, row.done_on, today),
                can_finish: row.done_on.is_none() && (row.owner_id == user.id() || can_manage),
                row,
            })
            .collect()
    };
    let invitees = events::invitees(conn, event.id).await?;
    let all_members = if can_manage { members::active(conn).await? } else { Vec::new() };
    let mut sectors: Vec<String> = all_members.iter().map(|m| m.sector.clone()).collect();
    sectors.sort();
    sectors.dedup();
    let mut committees: Vec<String> =
        all_members.iter().map(|m| m.special_committee.clone()).filter(|c| !c.is_empty()).collect();
    committees.sort();
    committees.dedup();
    let members = all_members
        .into_iter()
        .filter(|m| !invitees.iter().any(|i| i.member_id == m.id))
        .filter(|m| member_query.sector.is_empty() || m.sector == member_query.sector)
        .filter(|m| member_query.committee.is_empty() || m.special_committee == member_query.committee)
        .collect();
    Ok(EventPage {
        tasks: clocked(task_rows),
        follow_ups: clocked(follow_rows),
        invitees,
        files: attachments::list(conn, OWNER, &[event.id]).await?,
        can_manage,
        members,
        sectors,
        committees,
        member_query,
        people: if can_manage { people::choices(conn).await? } else { Vec::new() },
        departments: departments::choices(conn).await?,
        forms,
        errors,
        refusal: None,
        accept: crate::http::monitor::reports::ACCEPT,
        max_upload: attachments::max_upload_bytes(conn, today).await?,
        ctx,
        event,
    })
}

/// The event page.
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
    Query(member_query): Query<MemberQuery>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let event = readable(&mut conn, &user, id).await?;
    let forms = actions::EventForms::for_event(&event);
    let page = event_page(&mut conn, &state, &user, ctx, event, member_query, (forms, FormErrors::default())).await?;
    render(&page)
}

/// Renders the event page again after a refused action: 422 with the input
/// kept, or 409 for a stale version.
pub async fn refused(
    conn: &mut PgConnection,
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    event: EventRow,
    kept: (actions::EventForms, FormErrors),
    refusal: Option<&'static str>,
) -> AppResult<Response> {
    let mut page = event_page(conn, state, user, ctx, event, MemberQuery::default(), kept).await?;
    page.refusal = refusal;
    let status = if refusal.is_some() { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_with(status, &page)
}

/// An evidence document of an event, for those who may read the event.
pub async fn download(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let meta = attachments::meta(&mut conn, id).await?.filter(|m| m.owner_type == OWNER).ok_or(AppError::NotFound)?;
    readable(&mut conn, &user, meta.owner_id).await?;
    let bytes = attachments::bytes(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    Ok(attachment_response(&meta, bytes))
}

/// The to-dos events add (docs/DOMAIN.md §12, §18.2): the person's late
/// preparation tasks, those due within `event_task_soon_workdays` work days,
/// and late follow-ups.
pub async fn todos(conn: &mut PgConnection, user: &CurrentUser, today: NaiveDate) -> AppResult<Vec<TodoItem>> {
    let soon = crate::db::settings::for_year(conn, today.year()).await?.event_task_soon_workdays;
    let until = today + chrono::Days::new(u64::try_from(soon).unwrap_or(0) * 2 + 14);
    let open = events::open_due(conn, user.id(), until).await?;
    if open.is_empty() {
        return Ok(Vec::new());
    }
    let first = open.iter().map(|o| o.due_on).min().unwrap_or(today);
    let calendar = crate::db::calendar::load(conn, first, until).await?;
    let clock = |due| Clock::of(&calendar, due, None, today);
    let count = |follow_up: bool, keep: &dyn Fn(Clock) -> bool| {
        open.iter().filter(|o| o.follow_up == follow_up && keep(clock(o.due_on))).count() as i64
    };
    let items = [
        ("todo-event-tasks-late", count(false, &|c| c.is_late())),
        ("todo-event-tasks-due-soon", count(false, &|c| c.is_due_soon(i64::from(soon)))),
        ("todo-event-follow-ups-late", count(true, &|c| c.is_late())),
    ];
    Ok(items
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(key, count)| TodoItem { key, count, href: "/events".into() })
        .collect())
}

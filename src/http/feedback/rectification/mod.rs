//! Rectification (整改, docs/DOMAIN.md §19.5): the list with the open and
//! overdue items per department, an item's page with its time line and the
//! steps the viewer may take, evidence downloads, and the to-dos it adds.
//!
//! One file per action group: `form` (raise and edit), `actions` (progress,
//! submission, verification, reopening), `carry` (into the next cycle's targets).

pub mod actions;
pub mod carry;
pub mod form;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use sqlx::PgConnection;

use crate::auth::session::CurrentUser;
use crate::db::attachments::{self, AttachmentMeta};
use crate::db::departments::{self, DepartmentChoice};
use crate::db::rectification::{self as db, DepartmentCount, ItemFilter, ItemRow, ItemScope, StepRow};
use crate::domain::policy;
use crate::domain::rectification::{self as rules, RectificationStatus, SourceKind};
use crate::error::{AppError, AppResult};
use crate::http::export::{xlsx_download, xlsx_href};
use crate::http::files::attachment_response;
use crate::http::forms::FormErrors;
use crate::http::home::TodoItem;
use crate::http::pages::{PageContext, render, render_with};
use crate::state::AppState;
use crate::xlsx::{Cell, Sheet};

/// Evidence of a progress update is stored under this owner type.
pub const OWNER: &str = "rectification_step";

/// The item, found and readable by the user, or 404/403.
async fn readable(conn: &mut PgConnection, user: &CurrentUser, id: i64) -> AppResult<ItemRow> {
    let item = db::find(conn, id).await?.ok_or(AppError::NotFound)?;
    policy::require_read_rectification(user.id(), user.principal.department_id, user.grants(), &item.facts())?;
    Ok(item)
}

/// The items the user reads: all, or their department's, those they head or
/// oversee, and their own.
fn scope(user: &CurrentUser) -> ItemScope {
    let mut departments = rules::reads_departments(user.grants());
    departments.extend(user.principal.department_id);
    ItemScope { all: rules::reads_all(user.grants()), departments, person_id: user.id() }
}

/// The status badge class.
pub fn status_class(status: &RectificationStatus) -> &'static str {
    match status {
        RectificationStatus::Closed => "badge badge-ok",
        RectificationStatus::Submitted => "badge",
        RectificationStatus::Reopened => "badge badge-danger",
        RectificationStatus::Open | RectificationStatus::InProgress => "badge",
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub overdue: String,
    #[serde(default)]
    pub mine: String,
}

#[derive(Template)]
#[template(path = "feedback/rectification_list.html")]
pub struct RectificationListPage {
    pub ctx: PageContext,
    pub rows: Vec<ItemRow>,
    pub counts: Vec<DepartmentCount>,
    pub query: ListQuery,
    pub departments: Vec<DepartmentChoice>,
    pub statuses: &'static [RectificationStatus],
    pub kinds: &'static [SourceKind],
    pub can_raise: bool,
    pub can_carry: bool,
    pub today: NaiveDate,
}

impl RectificationListPage {
    /// The export of the list as filtered.
    pub fn xlsx_href(&self) -> String {
        let q = &self.query;
        let filters = [
            ("status", q.status.as_str()),
            ("department", q.department.as_str()),
            ("source", q.source.as_str()),
            ("overdue", q.overdue.as_str()),
            ("mine", q.mine.as_str()),
        ];
        xlsx_href("/feedback/rectification.xlsx", &filters)
    }

    pub fn status_class(&self, status: &RectificationStatus) -> &'static str {
        status_class(status)
    }

    pub fn days_overdue(&self, item: &ItemRow) -> i64 {
        rules::days_overdue(item.status, item.due_on, self.today)
    }
}

/// The list: every signed-in person, each seeing the items they may read.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    render(&list_page(&state, &user, ctx, query).await?)
}

/// `GET /feedback/rectification.xlsx`: the items the person reads, with the
/// page's filters, each with its due day, days overdue and status; a working list.
pub async fn list_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let page = list_page(&state, &user, ctx, query).await?;
    let now = state.clock.now();
    let headers = [
        "rectification-field-title",
        "rectification-field-source-kind",
        "rectification-field-source",
        "rectification-field-department",
        "rectification-field-owner",
        "rectification-field-due-on",
        "rectification-days-overdue",
        "field-status",
        "rectification-closed-on",
    ];
    let ctx = &page.ctx;
    let mut sheet = Sheet::new(ctx.sheet_head("rectification-title", None, &headers, false, now));
    for i in &page.rows {
        let overdue = page.days_overdue(i);
        sheet.push(vec![
            i.title.clone().into(),
            ctx.t(i.source_kind.label_key().as_str()).into(),
            i.source_label.clone().into(),
            i.department_name.clone().into(),
            i.owner_name.clone().into(),
            i.due_on.into(),
            if overdue > 0 { Cell::Int(overdue) } else { Cell::Empty },
            ctx.t(i.status.label_key().as_str()).into(),
            i.closed_on.into(),
        ]);
    }
    xlsx_download(sheet, "rectification", now).await
}

/// The list page with its filters as `user` reads it today; the page and its export share it.
async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    query: ListQuery,
) -> AppResult<RectificationListPage> {
    let today = state.clock.today();
    let scope = scope(user);
    let filter = ItemFilter {
        status: RectificationStatus::parse(&query.status),
        department_id: query.department.trim().parse().ok(),
        source_kind: SourceKind::parse(&query.source),
        overdue_only: !query.overdue.is_empty(),
        mine: !query.mine.is_empty(),
        id: None,
    };
    let mut conn = state.pool.acquire().await?;
    let page = RectificationListPage {
        rows: db::list(&mut conn, &scope, &filter, today).await?,
        counts: db::department_counts(&mut conn, &scope, today).await?,
        departments: departments::choices(&mut conn).await?,
        statuses: RectificationStatus::ALL,
        kinds: SourceKind::ALL,
        can_raise: policy::require_rectification_raiser(user.grants()).is_ok(),
        can_carry: policy::require_rectification_carrier(user.grants()).is_ok(),
        ctx,
        query,
        today,
    };
    Ok(page)
}

/// A step with its evidence files.
pub struct StepView {
    pub step: StepRow,
    pub files: Vec<AttachmentMeta>,
}

/// The forms of the item's page as typed, kept after a refusal.
#[derive(Debug, Clone, Default)]
pub struct ItemForms {
    pub progress: String,
    pub submit: String,
    pub verify: String,
    pub reopen: String,
}

#[derive(Template)]
#[template(path = "feedback/rectification_detail.html")]
pub struct RectificationPage {
    pub ctx: PageContext,
    pub item: ItemRow,
    pub steps: Vec<StepView>,
    pub today: NaiveDate,
    pub is_owner: bool,
    pub can_verify: bool,
    pub can_edit: bool,
    pub forms: ItemForms,
    pub errors: FormErrors,
    /// A refusal of the whole action (a stale version, a step that no longer applies).
    pub refusal: Option<&'static str>,
    pub accept: &'static str,
    pub max_upload: i64,
}

impl RectificationPage {
    pub fn status_class(&self, status: &RectificationStatus) -> &'static str {
        status_class(status)
    }

    pub fn days_overdue(&self) -> i64 {
        rules::days_overdue(self.item.status, self.item.due_on, self.today)
    }

    pub fn closed_on_time(&self) -> bool {
        rules::closed_on_time(self.item.due_on, self.item.closed_on)
    }

    /// The page of the source, where there is one to open.
    pub fn source_href(&self) -> Option<String> {
        match self.item.source_kind {
            SourceKind::Survey => self.item.source_survey_id.map(|id| format!("/assess/surveys/{id}")),
            SourceKind::SupervisionItem => self.item.source_supervision_id.map(|id| format!("/supervision/{id}")),
            _ => None,
        }
    }
}

/// Builds the item's page as `user` sees it today.
pub async fn item_page(
    conn: &mut PgConnection,
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    item: ItemRow,
    (forms, errors): (ItemForms, FormErrors),
) -> AppResult<RectificationPage> {
    let today = state.clock.today();
    let steps = db::steps(conn, item.id).await?;
    let ids: Vec<i64> = steps.iter().map(|s| s.id).collect();
    let mut files = attachments::list(conn, OWNER, &ids).await?;
    let steps = steps
        .into_iter()
        .map(|step| {
            let (own, rest): (Vec<_>, Vec<_>) = files.drain(..).partition(|f| f.owner_id == step.id);
            files = rest;
            StepView { step, files: own }
        })
        .collect();
    let facts = item.facts();
    Ok(RectificationPage {
        steps,
        today,
        is_owner: rules::carries_out(user.id(), &facts),
        can_verify: rules::can_verify(user.id(), user.grants(), &facts),
        can_edit: rules::can_edit(user.grants(), &facts, item.status),
        forms,
        errors,
        refusal: None,
        accept: crate::http::monitor::reports::ACCEPT,
        max_upload: attachments::max_upload_bytes(conn, today).await?,
        ctx,
        item,
    })
}

/// The item's page.
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let item = readable(&mut conn, &user, id).await?;
    let page = item_page(&mut conn, &state, &user, ctx, item, Default::default()).await?;
    render(&page)
}

/// Renders the item's page again after a refused step: 422 with the input
/// kept, or 409 for a stale version.
pub async fn refused(
    conn: &mut PgConnection,
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    item: ItemRow,
    kept: (ItemForms, FormErrors),
    refusal: Option<&'static str>,
) -> AppResult<Response> {
    let mut page = item_page(conn, state, user, ctx, item, kept).await?;
    page.refusal = refusal;
    let status = if refusal.is_some() { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_with(status, &page)
}

/// An evidence file of a progress update, for those who read the item.
pub async fn download(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let meta = attachments::meta(&mut conn, id).await?.filter(|m| m.owner_type == OWNER).ok_or(AppError::NotFound)?;
    let item_id = db::item_of_step(&mut conn, meta.owner_id).await?.ok_or(AppError::NotFound)?;
    readable(&mut conn, &user, item_id).await?;
    let bytes = attachments::bytes(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    Ok(attachment_response(&meta, bytes))
}

/// The to-dos rectification adds (docs/DOMAIN.md §12, §19.5): the person's
/// own items past their due date and those still to carry out, and the
/// items submitted for verification that the person verifies.
pub async fn todos(conn: &mut PgConnection, user: &CurrentUser, today: NaiveDate) -> AppResult<Vec<TodoItem>> {
    let grants = user.grants();
    let verifies_all = grants.has(crate::domain::roles::Role::PerformanceOffice);
    let heads = grants.departments_for(crate::domain::roles::Role::DepartmentHead);
    let counts = db::todo_counts(conn, user.id(), verifies_all, &heads, today).await?;
    let items = [
        ("todo-rectification-overdue", counts.overdue, "/feedback/rectification?mine=1&overdue=1"),
        ("todo-rectification-open", counts.open, "/feedback/rectification?mine=1"),
        ("todo-rectification-to-verify", counts.to_verify, "/feedback/rectification?status=submitted"),
    ];
    Ok(items
        .into_iter()
        .filter(|(_, n, _)| *n > 0)
        .map(|(key, count, href)| TodoItem { key, count, href: href.into() })
        .collect())
}

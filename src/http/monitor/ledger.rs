//! Bonus/penalty records (加减分记录): heads propose for their departments and
//! people, the performance office for anyone; every record has a reason and,
//! when its item asks, evidence; the performance office accepts or rejects it.
//! Totals count accepted records, each item capped.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::auth::session::CurrentUser;
use crate::db::attachments::{self, AttachmentMeta, NewAttachment};
use crate::db::audit::{self, AuditEvent};
use crate::db::departments::{self, DepartmentChoice};
use crate::db::ledger::{self, LedgerItemRow, LedgerRecordRow, LedgerTotal, NewRecord, RecordFilter, SubjectPerson};
use crate::domain::ledger::{
    NOTE_MAX_CHARS, REASON_MAX_CHARS, Reach, Review, ReviewError, Subject, can_propose, can_review, past_date,
    propose_scope,
};
use crate::domain::monitor::LedgerStatus;
use crate::domain::policy::{self, Permission};
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::export::xlsx_download;
use crate::http::files::{UploadError, attachment_response, read_upload};
use crate::http::forms::{FormErrors, optional_id};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::xlsx::Sheet;

/// Evidence is stored with this owner type.
const OWNER: &str = "ledger_record";

/// The body limit of the proposal form: the global 25 MiB instead of axum's 2 MB
/// (each file is checked against the configured limit as it is read).
pub fn upload_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(25 * 1024 * 1024)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct LedgerQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub item: String,
}

impl LedgerQuery {
    fn filter(&self, scope: Option<Vec<i64>>) -> RecordFilter {
        RecordFilter {
            scope,
            status: LedgerStatus::parse(&self.status),
            department_id: optional_id(&self.department).unwrap_or(None),
            person_id: optional_id(&self.person).unwrap_or(None),
            item_id: optional_id(&self.item).unwrap_or(None),
        }
    }
}

#[derive(Template)]
#[template(path = "monitor/ledger.html")]
pub struct LedgerPage {
    pub ctx: PageContext,
    pub records: Vec<LedgerRecordRow>,
    pub department_totals: Vec<LedgerTotal>,
    pub person_totals: Vec<LedgerTotal>,
    pub query: LedgerQuery,
    pub statuses: &'static [LedgerStatus],
    pub departments: Vec<DepartmentChoice>,
    pub people: Vec<SubjectPerson>,
    pub items: Vec<LedgerItemRow>,
    pub can_propose: bool,
    /// The viewer reads only the records about themselves (staff).
    pub own_only: bool,
}

/// The records the person may read, filtered, with the capped totals.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<LedgerQuery>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let Listing { records, filter, scope, own_only } = load(&mut conn, &user, &query).await?;
    let (department_totals, person_totals) = ledger::totals(&mut conn, &filter).await?;
    let departments = scoped_departments(&mut conn, scope.as_deref()).await?;
    let people = ledger::subject_people(&mut conn, scope.as_deref()).await?;
    let items = ledger::list_items(&mut conn).await?;
    let page = LedgerPage {
        ctx,
        records,
        department_totals,
        person_totals,
        query,
        statuses: LedgerStatus::ALL,
        departments,
        people,
        items,
        can_propose: can_propose(user.grants()),
        own_only,
    };
    render(&page)
}

/// The columns of the records' export: the page's, the subject split into
/// person and department.
pub(crate) const LIST_HEADERS: [&str; 8] = [
    "ledger-field-occurred-on",
    "ledger-field-person",
    "field-department",
    "ledger-field-item",
    "ledger-field-points",
    "ledger-field-reason",
    "ledger-field-proposed-by",
    "field-status",
];

/// `GET /ledger.xlsx`: the records of the list with the same filters; a
/// record of the office, so the sheet is protected (docs/DOMAIN.md §20.2).
pub async fn list_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<LedgerQuery>,
) -> AppResult<Response> {
    let Listing { records, .. } = load(&mut *state.pool.acquire().await?, &user, &query).await?;
    let now = state.clock.now();
    let mut sheet = Sheet::new(ctx.sheet_head("ledger-title", None, &LIST_HEADERS, true, now));
    for r in records {
        let proposed_by =
            if r.is_automatic() { Some(ctx.t("ledger-proposed-by-system")) } else { r.proposed_by_name.clone() };
        sheet.push(vec![
            r.occurred_on.into(),
            r.person_name.into(),
            r.subject_department_name.into(),
            r.item_text.into(),
            r.points.into(),
            r.reason.into(),
            proposed_by.into(),
            ctx.t(r.status.label_key().as_str()).into(),
        ]);
    }
    xlsx_download(sheet, "ledger", now).await
}

/// The records a list shows, with what the rest of the page needs to know.
struct Listing {
    records: Vec<LedgerRecordRow>,
    filter: RecordFilter,
    /// The departments the reader may see (`None`: all).
    scope: Option<Vec<i64>>,
    /// The viewer reads only the records about themselves (staff).
    own_only: bool,
}

/// The records the person may read, filtered as the query asks.
async fn load(conn: &mut PgConnection, user: &CurrentUser, query: &LedgerQuery) -> AppResult<Listing> {
    let reach = policy::require_ledger_list_reader(user.grants())?;
    // Staff read the records about themselves: no department, no one else (DOMAIN.md §9.5).
    let (scope, own_only) = match reach {
        Reach::Departments(scope) => (scope, false),
        Reach::Own => (Some(Vec::new()), true),
    };
    let mut filter = query.filter(scope.clone());
    if own_only {
        filter.scope = None;
        filter.person_id = Some(user.id());
    }
    let records = ledger::list_records(conn, &filter).await?;
    Ok(Listing { records, filter, scope, own_only })
}

async fn scoped_departments(conn: &mut PgConnection, scope: Option<&[i64]>) -> AppResult<Vec<DepartmentChoice>> {
    let all = departments::choices(conn).await?;
    Ok(all.into_iter().filter(|d| scope.is_none_or(|ids| ids.contains(&d.id))).collect())
}

/// The proposal form as typed, kept when it is shown again with errors. There
/// is no points field: the points are the item's.
#[derive(Debug, Clone, Default)]
pub struct LedgerRecordForm {
    pub department_id: String,
    pub person_id: String,
    pub item_id: String,
    pub occurred_on: String,
    pub reason: String,
}

/// A read proposal: the fields, the evidence files, and why a file was refused.
struct Proposal {
    form: LedgerRecordForm,
    files: Vec<NewAttachment>,
    upload_error: Option<UploadError>,
}

/// Reads the multipart fields after `_csrf`; unknown fields (a forged
/// `points`) are skipped.
async fn read_proposal(mut multipart: Multipart, max_bytes: usize) -> Proposal {
    let mut proposal = Proposal { form: LedgerRecordForm::default(), files: Vec::new(), upload_error: None };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                proposal.upload_error.get_or_insert(UploadError::Unreadable);
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "evidence" {
            match read_upload(field, max_bytes).await {
                Ok(Some(file)) => proposal.files.push(file),
                Ok(None) => {}
                Err(error) => {
                    proposal.upload_error.get_or_insert(error);
                }
            }
            continue;
        }
        let slot = match name.as_str() {
            "department_id" => &mut proposal.form.department_id,
            "person_id" => &mut proposal.form.person_id,
            "item_id" => &mut proposal.form.item_id,
            "occurred_on" => &mut proposal.form.occurred_on,
            "reason" => &mut proposal.form.reason,
            _ => continue,
        };
        *slot = field.text().await.unwrap_or_default();
    }
    proposal
}

/// Checks the proposal: fields, the item (active), the subject (403 outside
/// the person's scope) and evidence when the item asks for it.
async fn checked(
    conn: &mut PgConnection,
    user: &CurrentUser,
    proposal: &Proposal,
    errors: &mut FormErrors,
    today: NaiveDate,
) -> AppResult<NewRecord> {
    let form = &proposal.form;
    let grants = user.grants();
    let department = errors.check("subject", optional_id(&form.department_id));
    let person = errors.check("subject", optional_id(&form.person_id));
    let subject = errors.check("subject", Subject::from_choices(department, person).map(Some));
    match subject {
        Some(Subject::Department(id)) => match departments::find(conn, id).await? {
            Some(d) if d.active => policy::require_propose_in(grants, Some(id))?,
            _ => errors.add("subject", FieldError::Invalid),
        },
        Some(Subject::Person(id)) => match ledger::person_department(conn, id).await? {
            Some(department) => policy::require_propose_in(grants, department)?,
            None => errors.add("subject", FieldError::Invalid),
        },
        None => {}
    }
    let item_id = errors.check("item_id", optional_id(&form.item_id));
    let item = match item_id {
        Some(id) => ledger::find_item(conn, id).await?.filter(|i| i.active),
        None => None,
    };
    if item.is_none() {
        errors.add("item_id", if item_id.is_none() { FieldError::Required } else { FieldError::Invalid });
    }
    if item.is_some_and(|i| i.evidence_required) && proposal.files.is_empty() && proposal.upload_error.is_none() {
        errors.add("evidence", FieldError::Required);
    }
    Ok(NewRecord {
        item_id: item_id.unwrap_or_default(),
        subject: subject.unwrap_or(Subject::Department(0)),
        occurred_on: errors.check("occurred_on", past_date(&form.occurred_on, today).map(Some)).unwrap_or_default(),
        reason: errors.check("reason", validate::required_text(&form.reason, REASON_MAX_CHARS)),
    })
}

#[derive(Template)]
#[template(path = "monitor/ledger_form.html")]
pub struct LedgerRecordFormPage {
    pub ctx: PageContext,
    pub form: LedgerRecordForm,
    pub errors: FormErrors,
    pub upload_error: Option<UploadError>,
    pub departments: Vec<DepartmentChoice>,
    pub people: Vec<SubjectPerson>,
    pub items: Vec<LedgerItemRow>,
    /// The per-file limit in bytes, for the hint.
    pub max_upload: i64,
}

async fn form_page(
    conn: &mut PgConnection,
    user: &CurrentUser,
    ctx: PageContext,
    form: LedgerRecordForm,
    errors: FormErrors,
    upload_error: Option<UploadError>,
    today: NaiveDate,
) -> AppResult<LedgerRecordFormPage> {
    let scope = propose_scope(&user.principal.grants);
    let departments = scoped_departments(conn, scope.as_deref()).await?;
    let people = ledger::subject_people(conn, scope.as_deref()).await?;
    let items = ledger::list_items(conn).await?.into_iter().filter(|i| i.active).collect();
    let max_upload = attachments::max_upload_bytes(conn, today).await?;
    Ok(LedgerRecordFormPage { ctx, form, errors, upload_error, departments, people, items, max_upload })
}

pub async fn new_form(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    policy::require_ledger_proposer(user.grants())?;
    let mut conn = state.pool.acquire().await?;
    let form = LedgerRecordForm::default();
    render(&form_page(&mut conn, &user, ctx, form, FormErrors::default(), None, state.clock.today()).await?)
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    form: Result<CsrfMultipart, AppError>,
) -> AppResult<Response> {
    policy::require_ledger_proposer(user.grants())?;
    let CsrfMultipart(multipart) = form?;
    let mut conn = state.pool.acquire().await?;
    let max_bytes = attachments::max_upload_bytes(&mut conn, state.clock.today()).await?;
    let proposal = read_proposal(multipart, usize::try_from(max_bytes).unwrap_or(usize::MAX)).await;
    let mut errors = FormErrors::default();
    let record = checked(&mut conn, &user, &proposal, &mut errors, state.clock.today()).await?;
    if !errors.is_empty() || proposal.upload_error.is_some() {
        let page =
            form_page(&mut conn, &user, ctx, proposal.form, errors, proposal.upload_error, state.clock.today()).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    drop(conn);
    let mut tx = state.pool.begin().await?;
    let id = ledger::create_record(&mut tx, &record, user.id()).await?;
    for file in &proposal.files {
        attachments::insert(&mut tx, OWNER, id, file, user.id()).await?;
    }
    let files: Vec<&str> = proposal.files.iter().map(|f| f.file_name.as_str()).collect();
    let summary = json!({
        "item_id": record.item_id, "department_id": record.subject.department_id(), "person_id": record.subject.person_id(),
        "occurred_on": record.occurred_on, "reason": record.reason, "files": files,
    });
    audit::record(&mut tx, &user.audit, AuditEvent::new("ledger_record.proposed", "ledger_record", id, summary))
        .await?;
    tx.commit().await?;
    Flash::success("ledger-record-proposed").set(&session).await?;
    Ok(Redirect::to(&format!("/ledger/{id}")).into_response())
}

/// The review form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub version: i32,
}

#[derive(Template)]
#[template(path = "monitor/ledger_record.html")]
pub struct LedgerRecordPage {
    pub ctx: PageContext,
    pub record: LedgerRecordRow,
    pub files: Vec<AttachmentMeta>,
    /// The performance office reviews pending records, except its own proposals.
    pub can_review: bool,
    /// A pending record the viewer of the office proposed: someone else reviews it.
    pub own_proposal: bool,
    pub review: ReviewForm,
    pub errors: FormErrors,
    pub conflict: bool,
}

/// The record page, or 403 for a reader outside the record's department.
async fn record_page(
    conn: &mut PgConnection,
    user: &CurrentUser,
    ctx: PageContext,
    id: i64,
    review: Option<ReviewForm>,
    errors: FormErrors,
    conflict: bool,
) -> AppResult<LedgerRecordPage> {
    let record = ledger::find_record(conn, id).await?.ok_or(AppError::NotFound)?;
    policy::require_read_ledger_record(user.id(), user.grants(), record.subject_department_id, record.person_id)?;
    let files = attachments::list(conn, OWNER, &[id]).await?;
    let can_review = record.status == LedgerStatus::Pending
        && crate::domain::ledger::can_review(user.id(), &user.principal.grants, record.proposed_by);
    let own_proposal = record.status == LedgerStatus::Pending
        && user.require(Permission::ManageLedger).is_ok()
        && record.proposed_by == Some(user.id());
    let review = review.unwrap_or_else(|| ReviewForm { version: record.version, ..Default::default() });
    Ok(LedgerRecordPage { ctx, record, files, can_review, own_proposal, review, errors, conflict })
}

pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    policy::require_ledger_list_reader(user.grants())?;
    let mut conn = state.pool.acquire().await?;
    render(&record_page(&mut conn, &user, ctx, id, None, FormErrors::default(), false).await?)
}

/// Accepts or rejects a pending record (a rejection says why).
pub async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ReviewForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageLedger)?;
    let mut tx = state.pool.begin().await?;
    let (status, version, proposed_by) = ledger::lock_record(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if !can_review(user.id(), &user.principal.grants, proposed_by) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FormErrors::default();
    let note = errors.check("note", validate::optional_text(&form.note, NOTE_MAX_CHARS));
    let decision = Review::parse(&form.decision);
    match decision.map(|d| crate::domain::ledger::review(status, d, &note)) {
        None => errors.add("decision", FieldError::Required),
        Some(Err(ReviewError::NoteRequired)) => errors.add("note", FieldError::Required),
        Some(Err(ReviewError::AlreadyReviewed)) => {
            Flash::error("ledger-already-reviewed").set(&session).await?;
            return Ok(Redirect::to(&format!("/ledger/{id}")).into_response());
        }
        Some(Ok(_)) => {}
    }
    let (Some(decision), true) = (decision, errors.is_empty()) else {
        let page = record_page(&mut tx, &user, ctx, id, Some(form), errors, false).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let new_status = decision.status();
    if version != form.version
        || !ledger::review_record(&mut tx, id, form.version, new_status, user.id(), &note).await?
    {
        let page = record_page(&mut tx, &user, ctx, id, Some(form), errors, true).await?;
        return render_with(StatusCode::CONFLICT, &page);
    }
    let action = format!("ledger_record.{}", new_status.code());
    audit::record(&mut tx, &user.audit, AuditEvent::new(&action, "ledger_record", id, json!({ "note": note }))).await?;
    tx.commit().await?;
    Flash::success(if decision == Review::Accept { "ledger-record-accepted" } else { "ledger-record-rejected" })
        .set(&session)
        .await?;
    Ok(Redirect::to(&format!("/ledger/{id}")).into_response())
}

/// An evidence file of a record, for those who may read the record.
pub async fn download(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    policy::require_ledger_list_reader(user.grants())?;
    let mut conn = state.pool.acquire().await?;
    let meta = attachments::meta(&mut conn, id).await?.filter(|m| m.owner_type == OWNER).ok_or(AppError::NotFound)?;
    let record = ledger::find_record(&mut conn, meta.owner_id).await?.ok_or(AppError::NotFound)?;
    policy::require_read_ledger_record(user.id(), user.grants(), record.subject_department_id, record.person_id)?;
    let bytes = attachments::bytes(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    Ok(attachment_response(&meta, bytes))
}

/// The badge class of a record's status.
fn status_badge(status: &LedgerStatus) -> &'static str {
    match status {
        LedgerStatus::Pending => "badge badge-warn",
        LedgerStatus::Accepted => "badge badge-ok",
        LedgerStatus::Rejected => "badge badge-danger",
    }
}

impl LedgerPage {
    pub fn badge(&self, status: &LedgerStatus) -> &'static str {
        status_badge(status)
    }
}

impl LedgerRecordPage {
    pub fn badge(&self, status: &LedgerStatus) -> &'static str {
        status_badge(status)
    }
}

//! Reviews (复核) and appeals (申诉) of final annual results on their
//! statutory clocks (docs/DOMAIN.md §19.4): the person's own page and
//! filing, the committee's list, a request's page with the decision and the
//! extension, and the attachments.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use fluent_templates::fluent_bundle::FluentValue;
use serde::Deserialize;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::auth::session::CurrentUser;
use crate::db::appeals::{self, AppealRow, Filter};
use crate::db::attachments::{self, AttachmentMeta, NewAttachment};
use crate::domain::appeals::{self as rules, AppealKind, AppealOutcome, Countdown, Refusal, Window};
use crate::domain::assessment::DecidedGrade;
use crate::domain::identity::IdentityType;
use crate::domain::policy::{self, Permission};
use crate::domain::settings::Settings;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::export::xlsx_download;
use crate::http::files::{UploadError, attachment_response, read_upload};
use crate::http::forms::{FormErrors, optional_id};
use crate::http::home::TodoItem;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::workflow::appeals::{self as flow, Deciding, Filing, OWNER, Standing};
use crate::xlsx::Sheet;

const MY: &str = "/feedback/appeals/my";
const LIST: &str = "/feedback/appeals";

/// The sentences every page with a deadline shares: its countdown and its convention.
pub trait Clocks {
    fn ctx(&self) -> &PageContext;
    fn today(&self) -> NaiveDate;

    /// "3 days left" / "due today" / "2 days overdue", today not counted.
    fn countdown(&self, deadline: NaiveDate) -> String {
        let c = Countdown::of(deadline, self.today());
        self.ctx().t_count(c.label_key(), c.days())
    }

    fn overdue(&self, deadline: NaiveDate) -> bool {
        Countdown::of(deadline, self.today()).is_overdue()
    }

    /// The convention of a calendar-day clock of `days` days counted from `key`'s starting point.
    fn convention(&self, key: &str, days: &i32) -> String {
        self.ctx().lang.t_args(key, &[("days", FluentValue::from(i64::from(*days)))])
    }

    fn grade(&self, grade: &DecidedGrade, identity: &IdentityType) -> String {
        self.ctx().t(grade.label_key(*identity))
    }
}

/// The filing form as typed; the files are read apart.
#[derive(Debug, Clone, Default)]
pub struct FilingForm {
    pub kind: String,
    pub cycle_id: String,
    pub reasons: String,
}

#[derive(Template)]
#[template(path = "feedback/appeals_my.html")]
pub struct MyAppealsPage {
    pub ctx: PageContext,
    pub standings: Vec<Standing>,
    pub settings: Settings,
    pub today: NaiveDate,
    pub form: FilingForm,
    pub errors: FormErrors,
    /// The refusal of the last filing, shown above its form.
    pub refusal: Option<Refusal>,
    pub accept: &'static str,
    pub max_upload: i64,
}

impl Clocks for MyAppealsPage {
    fn ctx(&self) -> &PageContext {
        &self.ctx
    }
    fn today(&self) -> NaiveDate {
        self.today
    }
}

impl MyAppealsPage {
    /// The kept input belongs to this result's form.
    pub fn kept(&self, cycle_id: &i64) -> bool {
        self.form.cycle_id.trim() == cycle_id.to_string()
    }

    pub fn kept_kind(&self, cycle_id: &i64, kind: &str) -> bool {
        self.kept(cycle_id) && self.form.kind == kind
    }

    pub fn refusal_text(&self, refusal: &Refusal) -> String {
        refusal_text(&self.ctx, refusal)
    }

    /// The window sentence of a kind: its days and what it counts from.
    pub fn window_convention(&self, window: &Window) -> String {
        let key =
            if window.review_id.is_some() { "appeal-convention-after-review" } else { "appeal-convention-learned" };
        self.convention(key, &window.days)
    }

    pub fn answer_convention(&self, a: &AppealRow) -> String {
        self.convention("appeal-convention-answer", &rules::decide_days(a.kind, &self.settings))
    }

    /// The form: while a request may be filed, or to keep a refused one's input.
    pub fn may_file(&self, s: &Standing) -> bool {
        s.review.is_ok() || s.appeal.is_ok() || self.kept(&s.result.cycle_id)
    }

    /// A kind is offered when it may be filed, or was chosen in the refused form.
    pub fn offers(&self, s: &Standing, kind: &str) -> bool {
        let open = if kind == "review" { s.review.is_ok() } else { s.appeal.is_ok() };
        open || self.kept_kind(&s.result.cycle_id, kind)
    }
}

fn refusal_text(ctx: &PageContext, refusal: &Refusal) -> String {
    match refusal {
        Refusal::Closed(until) => {
            ctx.lang.t_args(refusal.label_key(), &[("until", FluentValue::from(until.to_string()))])
        }
        other => ctx.t(other.label_key()),
    }
}

async fn my_page(
    conn: &mut PgConnection,
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    kept: (FilingForm, FormErrors, Option<Refusal>),
) -> AppResult<MyAppealsPage> {
    let today = state.clock.today();
    let (standings, settings, _) = flow::standings(conn, user.id(), today).await?;
    let (form, errors, refusal) = kept;
    Ok(MyAppealsPage {
        ctx,
        standings,
        settings,
        today,
        form,
        errors,
        refusal,
        accept: crate::http::monitor::reports::ACCEPT,
        max_upload: attachments::max_upload_bytes(conn, today).await?,
    })
}

/// The person's own decided annual results, their clocks, the requests filed
/// and the forms to file: any signed-in person, their own results only.
pub async fn my(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    render(&my_page(&mut conn, &state, &user, ctx, (FilingForm::default(), FormErrors::default(), None)).await?)
}

/// Reads the multipart filing form: its fields and files, or the first upload error.
async fn read_filing(
    multipart: &mut axum::extract::Multipart,
    max_bytes: i64,
) -> (FilingForm, Vec<NewAttachment>, Option<UploadError>) {
    let (mut form, mut files, mut error) = (FilingForm::default(), Vec::new(), None);
    let max = usize::try_from(max_bytes).unwrap_or(usize::MAX);
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name().unwrap_or_default().to_string().as_str() {
                "evidence" => match read_upload(field, max).await {
                    Ok(Some(file)) => files.push(file),
                    Ok(None) => {}
                    Err(e) => {
                        error.get_or_insert(e);
                    }
                },
                "kind" => form.kind = field.text().await.unwrap_or_default(),
                "cycle_id" => form.cycle_id = field.text().await.unwrap_or_default(),
                "reasons" => form.reasons = field.text().await.unwrap_or_default(),
                _ => {}
            },
            Ok(None) => break,
            Err(_) => {
                error.get_or_insert(UploadError::Unreadable);
                break;
            }
        }
    }
    (form, files, error)
}

/// Files a review or an appeal about one's own final result, with reasons
/// and attachments: any signed-in person. A result not theirs, a window
/// passed or a request already open: 422 with the input kept.
pub async fn file(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    form: Result<CsrfMultipart, AppError>,
) -> AppResult<Response> {
    let CsrfMultipart(mut multipart) = form?;
    let mut tx = state.pool.begin().await?;
    let max_bytes = attachments::max_upload_bytes(&mut tx, state.clock.today()).await?;
    let (form, files, upload_error) = read_filing(&mut multipart, max_bytes).await;
    let mut errors = FormErrors::default();
    let reasons = errors.check("reasons", validate::required_text(&form.reasons, 2000));
    let kind = AppealKind::parse(&form.kind);
    if kind.is_none() {
        errors.add("kind", FieldError::Required);
    }
    if let Some(e) = upload_error {
        errors.add_message("evidence", e.label_key());
    }
    let cycle_id = optional_id(&form.cycle_id).ok().flatten();
    let own = appeals::own_results(&mut tx, user.id()).await?;
    let cycle_id = cycle_id.filter(|c| own.iter().any(|r| r.cycle_id == *c));
    if cycle_id.is_none() {
        errors.add("cycle_id", FieldError::NotOffered);
    }
    let (Some(kind), Some(cycle_id), true) = (kind, cycle_id, errors.is_empty()) else {
        let page = my_page(&mut tx, &state, &user, ctx, (form, errors, None)).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let filing = Filing { kind, cycle_id, person_id: user.id(), reasons: &reasons, files: &files };
    let id = match flow::file(&mut tx, &user.audit, &filing, state.clock.now()).await? {
        Ok(id) => id,
        Err(refusal) => {
            let page = my_page(&mut tx, &state, &user, ctx, (form, errors, Some(refusal))).await?;
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    tx.commit().await?;
    Flash::success(if kind == AppealKind::Review { "appeal-filed-review" } else { "appeal-filed-appeal" })
        .set(&session)
        .await?;
    Ok(Redirect::to(&format!("{LIST}/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "feedback/appeals.html")]
pub struct AppealsPage {
    pub ctx: PageContext,
    pub open: Vec<AppealRow>,
    pub decided: Vec<AppealRow>,
    pub today: NaiveDate,
}

impl Clocks for AppealsPage {
    fn ctx(&self) -> &PageContext {
        &self.ctx
    }
    fn today(&self) -> NaiveDate {
        self.today
    }
}

impl AppealsPage {
    /// Decided after its deadline.
    pub fn late(&self, a: &AppealRow) -> bool {
        rules::decided_in_time(a.decided_on, a.due()) == Some(false)
    }
}

/// Every review and appeal: open ones by their answer deadline (overdue ones
/// flagged), then the decided. The committee and the performance office.
pub async fn list(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    render(&appeals_page(&state, &user, ctx).await?)
}

/// The list page for its readers; the page and its export share it.
async fn appeals_page(state: &AppState, user: &CurrentUser, ctx: PageContext) -> AppResult<AppealsPage> {
    policy::require_appeal_reader(user.grants())?;
    let mut conn = state.pool.acquire().await?;
    let (open, decided) =
        appeals::select(&mut conn, Filter::default()).await?.into_iter().partition(AppealRow::is_open);
    Ok(AppealsPage { ctx, open, decided, today: state.clock.today() })
}

/// `GET /feedback/appeals.xlsx`: the page's requests, open ones first with
/// their countdown, then the decided with their outcome; a working list.
pub async fn list_xlsx(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let page = appeals_page(&state, &user, ctx).await?;
    let now = state.clock.now();
    let headers = [
        "appeal-field-person",
        "field-department",
        "appeal-field-kind",
        "appeal-field-cycle",
        "appeal-field-filed",
        "appeal-answer-due",
        "field-status",
        "appeal-field-decided",
    ];
    let ctx = &page.ctx;
    let mut sheet = Sheet::new(ctx.sheet_head("appeals-title", None, &headers, false, now));
    for a in page.open.iter().chain(&page.decided) {
        let mut status = match a.outcome {
            Some(o) => ctx.t(o.label_key().as_str()),
            None => format!("{} · {}", ctx.t("history-appeal-open"), page.countdown(a.due())),
        };
        if a.extended_due.is_some() {
            status = format!("{status} · {}", ctx.t("appeal-extended"));
        }
        if page.late(a) {
            status = format!("{status} · {}", ctx.t("appeal-late"));
        }
        sheet.push(vec![
            a.person_name.clone().into(),
            a.department_name.clone().into(),
            ctx.t(a.kind.label_key().as_str()).into(),
            a.cycle_name.clone().into(),
            a.filed_on.into(),
            a.due().into(),
            status.into(),
            a.decided_on.into(),
        ]);
    }
    xlsx_download(sheet, "reviews-and-appeals", now).await
}

/// The decision form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub grade: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub version: String,
}

/// The extension form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExtensionForm {
    #[serde(default)]
    pub days: String,
    #[serde(default)]
    pub extension_reason: String,
    #[serde(default)]
    pub version: String,
}

#[derive(Template)]
#[template(path = "feedback/appeal.html")]
pub struct AppealPage {
    pub ctx: PageContext,
    pub appeal: AppealRow,
    pub files: Vec<AttachmentMeta>,
    pub settings: Settings,
    pub today: NaiveDate,
    /// The committee may decide (and extend) it: not the person's own.
    pub may_decide: bool,
    pub decision: DecisionForm,
    pub extension: ExtensionForm,
    pub errors: FormErrors,
    /// A stale form: someone decided or extended it meanwhile.
    pub conflict: bool,
}

impl Clocks for AppealPage {
    fn ctx(&self) -> &PageContext {
        &self.ctx
    }
    fn today(&self) -> NaiveDate {
        self.today
    }
}

impl AppealPage {
    /// The grades a correction may give: the cycle's grades but the one in force.
    pub fn grades(&self) -> Vec<(String, String)> {
        self.appeal
            .grade_before
            .alternatives()
            .into_iter()
            .filter(|g| *g != self.appeal.grade_before)
            .map(|g| (g.code(), self.ctx.t(g.label_key(self.appeal.identity_type))))
            .collect()
    }

    pub fn window_convention(&self) -> String {
        let (key, days) = match (self.appeal.kind, self.appeal.review_id) {
            (AppealKind::Review, _) => ("appeal-convention-learned", self.settings.review_request_days),
            (AppealKind::Appeal, Some(_)) => ("appeal-convention-after-review", self.settings.appeal_after_review_days),
            (AppealKind::Appeal, None) => ("appeal-convention-learned", self.settings.appeal_direct_days),
        };
        self.convention(key, &days)
    }

    pub fn answer_convention(&self) -> String {
        self.convention("appeal-convention-answer", &rules::decide_days(self.appeal.kind, &self.settings))
    }

    pub fn may_extend(&self) -> bool {
        self.may_decide
            && self.appeal.is_open()
            && self.appeal.kind == AppealKind::Appeal
            && self.appeal.extended_due.is_none()
    }

    /// "result version 2", for a correction.
    pub fn result_version_text(&self) -> Option<String> {
        self.appeal.result_version.map(|v| self.ctx.t_count("appeal-result-version", i64::from(v)))
    }

    /// The extension form: while it may be extended, or to show why it was refused.
    pub fn show_extension(&self) -> bool {
        self.may_extend() || self.errors.has("days") || self.errors.has("extension_reason")
    }

    pub fn extension_hint(&self) -> String {
        self.ctx.t_count("appeal-extend-hint", i64::from(self.settings.appeal_extension_days))
    }
}

/// The page of a request, with what the person kept in a refused form.
async fn appeal_page(
    conn: &mut PgConnection,
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    appeal: AppealRow,
    kept: (DecisionForm, ExtensionForm, FormErrors),
) -> AppResult<AppealPage> {
    let today = state.clock.today();
    let settings = crate::db::settings::for_year(conn, chrono::Datelike::year(&appeal.filed_on)).await?;
    let files = attachments::list(conn, OWNER, &[appeal.id]).await?;
    let may_decide = policy::require_decide_appeal(user.id(), user.grants(), appeal.person_id).is_ok();
    let (decision, extension, errors) = kept;
    let version = appeal.version.to_string();
    let decision = DecisionForm { version: version.clone(), ..decision };
    let extension = ExtensionForm { version, ..extension };
    Ok(AppealPage { ctx, appeal, files, settings, today, may_decide, decision, extension, errors, conflict: false })
}

/// A request: its person, the committee and the performance office.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let appeal = appeals::find(&mut conn, id).await?;
    // Readers of every request learn whether it exists; anyone else is refused alike.
    if appeal.is_none() {
        policy::require_appeal_reader(user.grants())?;
    }
    let appeal = appeal.ok_or(AppError::NotFound)?;
    policy::require_read_appeal(user.id(), user.grants(), appeal.person_id)?;
    let kept = (DecisionForm::default(), ExtensionForm::default(), FormErrors::default());
    render(&appeal_page(&mut conn, &state, &user, ctx, appeal, kept).await?)
}

/// Locks a request the user may decide: the committee, not their own.
async fn decidable(conn: &mut PgConnection, user: &CurrentUser, id: i64) -> AppResult<AppealRow> {
    policy::require(user.grants(), Permission::DecideAssessment)?;
    let appeal = appeals::lock(conn, id).await?.ok_or(AppError::NotFound)?;
    policy::require_decide_appeal(user.id(), user.grants(), appeal.person_id)?;
    Ok(appeal)
}

/// Re-renders the request's page with the input kept: 422, or 409 when stale.
async fn refused(
    conn: &mut PgConnection,
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    appeal: AppealRow,
    kept: (DecisionForm, ExtensionForm, FormErrors),
    conflict: bool,
) -> AppResult<Response> {
    let mut page = appeal_page(conn, state, user, ctx, appeal, kept).await?;
    page.conflict = conflict;
    render_with(if conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY }, &page)
}

/// Decides a request: upheld, or corrected with a new grade among the
/// cycle's, always with a reason (the committee, never about oneself).
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let appeal = decidable(&mut tx, &user, id).await?;
    let mut errors = FormErrors::default();
    let reason = errors.check("reason", validate::required_text(&form.reason, 2000));
    let outcome = AppealOutcome::parse(&form.outcome);
    let grade = DecidedGrade::parse(&form.grade)
        .filter(|g| *g != appeal.grade_before && appeal.grade_before.alternatives().contains(g));
    match outcome {
        None => errors.add("outcome", FieldError::Required),
        Some(AppealOutcome::Corrected) if grade.is_none() => errors.add("grade", FieldError::Required),
        _ => {}
    }
    let stale = form.version.trim() != appeal.version.to_string() || !appeal.is_open();
    let (Some(outcome), true, false) = (outcome, errors.is_empty(), stale) else {
        let kept = (form, ExtensionForm::default(), errors);
        return refused(&mut tx, &state, &user, ctx, appeal, kept, stale).await;
    };
    let deciding = Deciding { outcome, grade, reason: &reason, by: user.id() };
    if !flow::decide(&mut tx, &user.audit, &appeal, &deciding, state.clock.now()).await? {
        let kept = (form, ExtensionForm::default(), errors);
        return refused(&mut tx, &state, &user, ctx, appeal, kept, true).await;
    }
    tx.commit().await?;
    Flash::success(if outcome == AppealOutcome::Upheld { "appeal-decided-upheld" } else { "appeal-decided-corrected" })
        .set(&session)
        .await?;
    Ok(Redirect::to(&format!("{LIST}/{id}")).into_response())
}

/// Extends an open appeal's answer deadline once, by at most the setting's
/// days, with a reason (the committee, never about oneself).
pub async fn extend(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ExtensionForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let appeal = decidable(&mut tx, &user, id).await?;
    let mut errors = FormErrors::default();
    let reason = errors.check("extension_reason", validate::required_text(&form.extension_reason, 2000));
    let days: i32 = form.days.trim().parse().unwrap_or(0);
    let stale = form.version.trim() != appeal.version.to_string();
    if !errors.is_empty() || stale {
        let kept = (DecisionForm::default(), form, errors);
        return refused(&mut tx, &state, &user, ctx, appeal, kept, stale).await;
    }
    match flow::extend(&mut tx, &user.audit, &appeal, days, &reason, user.id(), state.clock.now()).await? {
        Ok(Some(_)) => {}
        Ok(None) => {
            let kept = (DecisionForm::default(), form, errors);
            return refused(&mut tx, &state, &user, ctx, appeal, kept, true).await;
        }
        Err(refusal) => {
            errors.add_message("days", refusal.label_key());
            let kept = (DecisionForm::default(), form, errors);
            return refused(&mut tx, &state, &user, ctx, appeal, kept, false).await;
        }
    }
    tx.commit().await?;
    Flash::success("appeal-extended-done").set(&session).await?;
    Ok(Redirect::to(&format!("{LIST}/{id}")).into_response())
}

/// An attachment of a request, for those who read the request.
pub async fn download(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let meta = attachments::meta(&mut conn, id).await?.filter(|m| m.owner_type == OWNER);
    if meta.is_none() {
        policy::require_appeal_reader(user.grants())?;
    }
    let meta = meta.ok_or(AppError::NotFound)?;
    let appeal = appeals::find(&mut conn, meta.owner_id).await?.ok_or(AppError::NotFound)?;
    policy::require_read_appeal(user.id(), user.grants(), appeal.person_id)?;
    let bytes = attachments::bytes(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    Ok(attachment_response(&meta, bytes))
}

/// The to-dos reviews and appeals add (docs/DOMAIN.md §12, §19.4): for the
/// committee the open requests and the overdue among them; for the person
/// their answered reviews whose appeal window still runs.
pub async fn todos(conn: &mut PgConnection, user: &CurrentUser, today: NaiveDate) -> AppResult<Vec<TodoItem>> {
    let committee = user.may(Permission::DecideAssessment);
    let counts = appeals::todo_counts(conn, user.id(), committee, today).await?;
    let mut answered = 0;
    if let Some(earliest) = counts.reviews_decided_on.iter().min() {
        let (settings, calendar) = flow::clocks(conn, *earliest, today).await?;
        answered = counts
            .reviews_decided_on
            .iter()
            .filter(|d| today <= rules::calendar_deadline(&calendar, **d, settings.appeal_after_review_days))
            .count() as i64;
    }
    let items = [
        ("todo-appeals-to-decide", counts.open, LIST.to_string()),
        ("todo-appeals-overdue", counts.overdue, LIST.to_string()),
        ("todo-appeals-answered", answered, MY.to_string()),
    ];
    Ok(items
        .into_iter()
        .filter(|(_, count, _)| *count > 0)
        .map(|(key, count, href)| TodoItem { key, count, href })
        .collect())
}

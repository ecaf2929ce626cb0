//! Written notices of final results (书面通知, docs/DOMAIN.md §19.1): the
//! person's own, with acknowledgement and opinion; the notices the office
//! follows, with how long each has waited; the printable A4 notice.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::notices::{self, NoticeFilter, NoticeRow, VersionRow};
use crate::db::settings;
use crate::domain::feedback::{self, NoticeState, TEXT_MAX};
use crate::domain::policy;
use crate::domain::settings::Settings;
use crate::domain::validate;
use crate::error::{AppError, AppResult};
use crate::http::export::{xlsx_download, xlsx_href};
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::xlsx::{Cell, Sheet};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NoticesQuery {
    #[serde(default)]
    pub waiting: Option<String>,
}

impl NoticesQuery {
    fn waiting_only(&self) -> bool {
        self.waiting.as_deref() == Some("1")
    }
}

#[derive(Template)]
#[template(path = "feedback/notices.html")]
pub struct NoticesPage {
    pub ctx: PageContext,
    pub own: Vec<NoticeRow>,
    /// The notices of the departments the person follows; `None` for nobody's.
    pub followed: Option<Vec<NoticeRow>>,
    pub waiting_only: bool,
    pub today: NaiveDate,
}

impl NoticesPage {
    pub fn xlsx_href(&self) -> String {
        xlsx_href("/feedback/notices.xlsx", &[("waiting", if self.waiting_only { "1" } else { "" })])
    }

    pub fn waited(&self, row: &NoticeRow) -> String {
        match row.state(self.today) {
            NoticeState::Waiting { days } => self.ctx.t_count("notice-waited-days", days),
            NoticeState::Acknowledged => String::new(),
        }
    }
}

/// Any signed-in person: their own notices; those who follow departments
/// (heads, leaders, the office) also theirs, waiting ones first if asked.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<NoticesQuery>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let own = notices::list(&mut conn, &NoticeFilter { person_id: Some(user.id()), ..NoticeFilter::default() }).await?;
    let waiting_only = query.waiting_only();
    let followed = match policy::require_feedback_follower(user.grants()) {
        Ok(scope) => Some(followed(&mut conn, scope.as_deref(), waiting_only).await?),
        Err(_) => None,
    };
    render(&NoticesPage { ctx, own, followed, waiting_only, today: state.clock.today() })
}

/// The notices of the departments in `scope` (`None`: all), waiting ones only if asked.
async fn followed(conn: &mut PgConnection, scope: Option<&[i64]>, waiting: bool) -> AppResult<Vec<NoticeRow>> {
    Ok(notices::list(conn, &NoticeFilter { departments: scope, waiting, ..NoticeFilter::default() }).await?)
}

/// `GET /feedback/notices.xlsx`: the notices the person follows as the page
/// lists them (waiting ones only if asked), with the days each has waited;
/// refused for someone who follows no department.
pub async fn list_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<NoticesQuery>,
) -> AppResult<Response> {
    let scope = policy::require_feedback_follower(user.grants())?;
    let rows = followed(&mut *state.pool.acquire().await?, scope.as_deref(), query.waiting_only()).await?;
    let (now, today) = (state.clock.now(), state.clock.today());
    let headers = [
        "notice-person",
        "field-department",
        "notice-cycle",
        "notice-grade",
        "notice-issued-on",
        "notice-due-on",
        "notice-status",
        "notice-waited",
        "notice-acknowledged-on",
    ];
    let mut sheet = Sheet::new(ctx.sheet_head("export-notices-title", None, &headers, false, now));
    for n in rows {
        let (status, waited) = match n.state(today) {
            _ if n.superseded() => (ctx.t("notice-superseded"), Cell::Empty),
            NoticeState::Acknowledged => (ctx.t("notice-acknowledged"), Cell::Empty),
            NoticeState::Waiting { days } => (ctx.t("notice-waiting"), Cell::Int(days)),
        };
        let cycle = if n.result_version > 1 {
            format!("{} · {}", n.cycle_name, ctx.t_count("notice-version", i64::from(n.result_version)))
        } else {
            n.cycle_name.clone()
        };
        sheet.push(vec![
            n.full_name.clone().into(),
            n.department_name.clone().into(),
            cycle.into(),
            ctx.t(n.grade.label_key(n.identity_type)).into(),
            n.issued_on.into(),
            n.due_on.into(),
            status.into(),
            waited,
            n.acknowledged_on().into(),
        ]);
    }
    xlsx_download(sheet, "result-notices", now).await
}

#[derive(Template)]
#[template(path = "feedback/notice.html")]
pub struct NoticePage {
    pub ctx: PageContext,
    pub notice: NoticeRow,
    pub versions: Vec<VersionRow>,
    pub own: bool,
    pub settings: Settings,
    pub opinion: String,
    pub errors: FormErrors,
    /// The A4 layout: the letter alone.
    pub print: bool,
}

impl NoticePage {
    pub fn grade_key(&self) -> &'static str {
        self.notice.grade.label_key(self.notice.identity_type)
    }

    pub fn version_grade_key(&self, v: &VersionRow) -> &'static str {
        v.grade.label_key(self.notice.identity_type)
    }

    pub fn score(&self, score: &Option<rust_decimal::Decimal>) -> String {
        score.map(|s| s.round_dp(2).normalize().to_string()).unwrap_or_else(|| "—".into())
    }

    pub fn in_time(&self) -> bool {
        feedback::issued_in_time(self.notice.issued_on, self.notice.due_on)
    }

    pub fn may_acknowledge(&self) -> bool {
        self.own && self.notice.acknowledged_at.is_none() && !self.print
    }
}

async fn notice_page(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    id: i64,
    print: bool,
) -> AppResult<NoticePage> {
    let mut conn = state.pool.acquire().await?;
    let notice = notices::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    policy::require_read_feedback(user.id(), user.grants(), notice.person_id, notice.department_id)?;
    let versions = notices::versions(&mut conn, notice.cycle_id, notice.person_id).await?;
    let year = chrono::Datelike::year(&notice.issued_on);
    let settings = settings::for_year(&mut conn, year).await?;
    let own = notice.person_id == user.id();
    let opinion = notice.opinion.clone();
    Ok(NoticePage { ctx, notice, versions, own, settings, opinion, errors: FormErrors::default(), print })
}

/// The notice: the person, those who follow their department.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    render(&notice_page(&state, &user, ctx, id, false).await?)
}

/// The notice as an A4 letter to print and sign.
pub async fn print(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    render(&notice_page(&state, &user, ctx, id, true).await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AcknowledgeForm {
    #[serde(default)]
    pub opinion: String,
}

/// The person signs for the notice (签收), with their opinion (本人意见) if any.
pub async fn acknowledge(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<AcknowledgeForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let notice = notices::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    policy::allow(notice.person_id == user.id())?;
    let opinion = match validate::optional_text(&form.opinion, TEXT_MAX) {
        Ok(opinion) => opinion,
        Err(error) => {
            drop(tx);
            let mut page = notice_page(&state, &user, ctx, id, false).await?;
            page.opinion = form.opinion;
            page.errors.add("opinion", error);
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    if !notices::acknowledge(&mut tx, id, user.id(), state.clock.now(), &opinion).await? {
        Flash::error("notice-acknowledged-already").set(&session).await?;
        return Ok(Redirect::to(&format!("/feedback/notices/{id}")).into_response());
    }
    let summary =
        json!({ "cycle_id": notice.cycle_id, "version": notice.result_version, "with_opinion": !opinion.is_empty() });
    audit::record(&mut tx, &user.audit, AuditEvent::new("notice.acknowledged", "result_notice", id, summary)).await?;
    tx.commit().await?;
    Flash::success("notice-acknowledged").set(&session).await?;
    Ok(Redirect::to(&format!("/feedback/notices/{id}")).into_response())
}

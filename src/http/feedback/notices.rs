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
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NoticesQuery {
    #[serde(default)]
    pub waiting: Option<String>,
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
    let waiting_only = query.waiting.as_deref() == Some("1");
    let scope = policy::feedback_scope(user.grants());
    let followed = match &scope {
        Some(departments) if departments.is_empty() => None,
        scope => {
            let filter =
                NoticeFilter { departments: scope.as_deref(), waiting: waiting_only, ..NoticeFilter::default() };
            Some(notices::list(&mut conn, &filter).await?)
        }
    };
    render(&NoticesPage { ctx, own, followed, waiting_only, today: state.clock.today() })
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

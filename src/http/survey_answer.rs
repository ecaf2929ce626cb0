//! The public answer page of a survey link (docs/DOMAIN.md §18.3): a member
//! opens `/s/{token}` without an account, answers every item and may leave
//! a comment. Chinese unless the visitor chose English with the switch;
//! phone-sized; no script. The sign-in form's session token guards the form.
//! Every request counts against its client address's limit.

use std::collections::HashMap;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use chrono::Datelike;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::RequestMeta;
use crate::db::settings;
use crate::db::surveys::{self, ItemRow};
use crate::domain::satisfaction::Answer;
use crate::domain::surveys::{LinkRefusal, RateLimit, SheetErrors, SheetInput};
use crate::error::AppResult;
use crate::http::pages::{PageContext, render, render_with};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::workflow::surveys::{self as survey_flow, Answered};

#[derive(Template)]
#[template(path = "surveys/answer.html")]
pub struct AnswerPage {
    pub ctx: PageContext,
    pub token: String,
    pub title: String,
    pub items: Vec<ItemRow>,
    pub input: SheetInput,
    pub errors: SheetErrors,
    pub answers: [Answer; 4],
}

impl AnswerPage {
    pub fn chosen(&self, item: &i64, answer: &Answer) -> bool {
        self.input.answers.get(item).is_some_and(|code| code == answer.code())
    }

    pub fn missing(&self, item: &i64) -> bool {
        self.errors.items.contains(item)
    }

    pub fn comment_error(&self) -> &'static str {
        self.errors.comment.map(|e| e.label_key()).unwrap_or("")
    }
}

/// The page of a link that cannot be answered, or of too many requests.
#[derive(Template)]
#[template(path = "surveys/refused.html")]
pub struct RefusedPage {
    pub ctx: PageContext,
    /// Why, as the stem of its locale keys: `<stem>-title`, `<stem>-text`.
    pub reason: &'static str,
}

impl RefusedPage {
    pub fn title_key(&self) -> String {
        format!("{}-title", self.reason)
    }

    pub fn text_key(&self) -> String {
        format!("{}-text", self.reason)
    }
}

#[derive(Template)]
#[template(path = "surveys/answered.html")]
pub struct AnsweredPage {
    pub ctx: PageContext,
    pub title: String,
}

/// A request path as logged: a survey link's token is left out.
pub fn loggable_path(path: &str) -> &str {
    if path.starts_with("/s/") { "/s/{token}" } else { path }
}

/// Chinese for visitors unless they chose English with the language switch
/// (its cookie); a signed-in person keeps their own language.
fn answer_context(ctx: PageContext, headers: &HeaderMap) -> PageContext {
    if ctx.user.is_some() {
        return ctx;
    }
    let chosen = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("lang=").and_then(Lang::from_tag));
    PageContext { lang: chosen.unwrap_or(Lang::ZhCn), ..ctx }
}

/// Counts the request against its client address; `Some(page)` (429) when
/// the address is over the year's limit.
async fn throttle(state: &AppState, meta: &RequestMeta, ctx: &PageContext) -> AppResult<Option<Response>> {
    let now = state.clock.now();
    let mut conn = state.pool.acquire().await?;
    let limit = RateLimit::of(&settings::for_year(&mut conn, state.clock.today().year()).await?);
    let hits = surveys::count_request(&mut conn, &meta.ip, now, limit.window_start_cutoff(now)).await?;
    if !limit.is_over(hits) {
        return Ok(None);
    }
    let page = RefusedPage { ctx: ctx.clone(), reason: "survey-too-many" };
    render_with(StatusCode::TOO_MANY_REQUESTS, &page).map(Some)
}

fn refused(ctx: PageContext, refusal: LinkRefusal) -> AppResult<Response> {
    let status = if refusal.is_unknown() { StatusCode::NOT_FOUND } else { StatusCode::GONE };
    render_with(status, &RefusedPage { ctx, reason: refusal.key() })
}

/// The answer form of a link: anyone holding it.
pub async fn answer_form(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    headers: HeaderMap,
    ctx: PageContext,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let ctx = answer_context(ctx, &headers);
    if let Some(page) = throttle(&state, &meta, &ctx).await? {
        return Ok(page);
    }
    let mut conn = state.pool.acquire().await?;
    match survey_flow::open_link(&mut conn, &token, state.clock.today()).await? {
        Err(refusal) => refused(ctx, refusal),
        Ok((link, items)) => render(&AnswerPage {
            ctx,
            token,
            title: link.survey_title,
            items,
            input: SheetInput::default(),
            errors: SheetErrors::default(),
            answers: Answer::ALL,
        }),
    }
}

/// The sheet as posted: `item-<id>` → answer code, and `comment`.
fn sheet_input(fields: HashMap<String, String>) -> SheetInput {
    let mut input = SheetInput::default();
    for (name, value) in fields {
        if name == "comment" {
            input.comment = value;
        } else if let Some(id) = name.strip_prefix("item-").and_then(|id| id.parse::<i64>().ok()) {
            input.answers.insert(id, value);
        }
    }
    input
}

/// Records an answer sheet through a link (once), or shows why not.
pub async fn submit_answers(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    headers: HeaderMap,
    ctx: PageContext,
    Path(token): Path<String>,
    CsrfForm(fields): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let ctx = answer_context(ctx, &headers);
    if let Some(page) = throttle(&state, &meta, &ctx).await? {
        return Ok(page);
    }
    let input = sheet_input(fields);
    let mut tx = state.pool.begin().await?;
    match survey_flow::answer(&mut tx, &token, &input, state.clock.today()).await? {
        Answered::Recorded { survey_title } => {
            tx.commit().await?;
            render(&AnsweredPage { ctx, title: survey_title })
        }
        Answered::Refused(refusal) => refused(ctx, refusal),
        Answered::Invalid { link, items, errors } => {
            let page = AnswerPage { ctx, token, title: link.survey_title, items, input, errors, answers: Answer::ALL };
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_posted_sheet_keeps_items_and_comment_only() {
        let fields = HashMap::from([
            ("item-7".to_string(), "satisfied".to_string()),
            ("item-x".to_string(), "satisfied".to_string()),
            ("comment".to_string(), "好".to_string()),
            ("_csrf".to_string(), "t".to_string()),
        ]);
        let input = sheet_input(fields);
        assert_eq!(input.answers.len(), 1);
        assert_eq!(input.answers[&7], "satisfied");
        assert_eq!(input.comment, "好");
    }
}

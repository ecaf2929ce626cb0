//! Signing in and out, one's own password, and the language switch.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use super::forms::FormErrors;
use super::pages::{Flash, PageContext, render, render_with};
use crate::auth::csrf::{CsrfChecked, CsrfForm};
use crate::auth::session::{AUTH_KEY, CurrentUser, RequestMeta, SessionAuth};
use crate::auth::signin::{self, SignInOutcome};
use crate::db::audit::{self, AuditEvent};
use crate::db::people;
use crate::domain::validate;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "account/login.html")]
pub struct LoginPage {
    pub ctx: PageContext,
    pub username: String,
    pub next: String,
    /// Locale key of the message above the form, empty if none.
    pub message: &'static str,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_page(ctx: PageContext, Query(query): Query<NextQuery>) -> AppResult<Response> {
    if ctx.user.is_some() {
        return Ok(Redirect::to(&safe_next(query.next.as_deref())).into_response());
    }
    let next = safe_next(query.next.as_deref());
    render(&LoginPage { ctx, username: String::new(), next, message: "" })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    session: Session,
    meta: axum::Extension<RequestMeta>,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(form.next.as_deref());
    let outcome = signin::sign_in(&state, &session, &meta.audit_context(), &form.username, form.password).await?;
    let message = match outcome {
        SignInOutcome::SignedIn { locale } => {
            let mut response = Redirect::to(&next).into_response();
            if let Some(lang) = locale.as_deref().and_then(Lang::from_tag) {
                set_lang_cookie(&mut response, lang, state.settings.secure_cookies);
            }
            return Ok(response);
        }
        SignInOutcome::Refused => "login-refused",
        SignInOutcome::Held => "login-held",
    };
    let page = LoginPage { ctx, username: form.username, next, message };
    render_with(StatusCode::UNAUTHORIZED, &page)
}

/// Signs out: anyone, signed in or not; their own session only.
pub async fn logout(
    State(state): State<AppState>,
    session: Session,
    user: Option<CurrentUser>,
    meta: axum::Extension<RequestMeta>,
    _: CsrfChecked,
) -> AppResult<Response> {
    let ctx = user.map(|u| u.audit).unwrap_or_else(|| meta.audit_context());
    signin::sign_out(&state, &session, &ctx).await?;
    Ok(Redirect::to("/login").into_response())
}

#[derive(Template)]
#[template(path = "account/password.html")]
pub struct PasswordPage {
    pub ctx: PageContext,
    pub forced: bool,
    pub errors: FormErrors,
}

/// The password form: any signed-in person; their own data only.
pub async fn password_page(user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let forced = user.principal.must_change_password;
    render(&PasswordPage { ctx, forced, errors: FormErrors::default() })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm: String,
}

/// Changes one's own password; every other session of the person ends.
/// Any signed-in person; their own data only.
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::default();
    let stored = people::password_hash(&mut *state.pool.acquire().await?, user.id()).await?;
    if !state.passwords.verify(stored, form.current).await? {
        errors.add("current", validate::FieldError::Invalid);
    }
    errors.check("new_password", validate::new_password(&form.new_password, &form.confirm, &user.principal.username));
    if !errors.is_empty() {
        let page = PasswordPage { ctx, forced: user.principal.must_change_password, errors };
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let hash = state.passwords.hash(form.new_password).await?;
    let mut tx = state.pool.begin().await?;
    let epoch = people::set_password(&mut tx, user.id(), &hash, true).await?;
    let event = AuditEvent::new("person.password_changed", "person", user.id(), json!({ "by": "self" }));
    audit::record(&mut tx, &user.audit, event).await?;
    tx.commit().await?;
    // Keep this session: it moves to the new epoch under a new id.
    if let Some(mut auth) = session.get::<SessionAuth>(AUTH_KEY).await? {
        auth.epoch = epoch;
        session.cycle_id().await?;
        session.insert(AUTH_KEY, auth).await?;
    }
    Flash::success("password-changed").set(&session).await?;
    Ok(Redirect::to("/").into_response())
}

#[derive(Deserialize)]
pub struct LocaleForm {
    lang: String,
    next: Option<String>,
}

/// Switches the language: remembered in a cookie, and for a signed-in person in
/// their account. Anyone, signed in or not; their own data only.
pub async fn switch_locale(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    CsrfForm(form): CsrfForm<LocaleForm>,
) -> AppResult<Response> {
    let lang = Lang::from_tag(&form.lang).unwrap_or_default();
    if let Some(user) = user {
        let mut tx = state.pool.begin().await?;
        people::set_locale(&mut tx, user.id(), lang.tag()).await?;
        let event = AuditEvent::new("person.locale_changed", "person", user.id(), json!({ "locale": lang.tag() }));
        audit::record(&mut tx, &user.audit, event).await?;
        tx.commit().await?;
    }
    let mut response = Redirect::to(&safe_next(form.next.as_deref())).into_response();
    set_lang_cookie(&mut response, lang, state.settings.secure_cookies);
    Ok(response)
}

fn set_lang_cookie(response: &mut Response, lang: Lang, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}", lang.tag());
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// A local path to return to after sign-in: a path-only relative URL (a
/// single leading `/`, visible ASCII only, no backslash), never the sign-in
/// page; anything else becomes `/`. Browsers drop tabs and line breaks from a
/// URL, so `/\t/evil.example` would take them to `//evil.example`; a line
/// break would also break the Location header.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/login")
                && p.chars().all(|c| c.is_ascii_graphic() && c != '\\') =>
        {
            p.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_paths_stay_on_this_site() {
        assert_eq!(safe_next(Some("/org/people?q=1")), "/org/people?q=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        for hostile in ["/\t/evil.example/x", "/\r\nSet-Cookie: x=1", "/ /evil.example", " /x", "/王", "/login?next=/x"]
        {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
    }
}

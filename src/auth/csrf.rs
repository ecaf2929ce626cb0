//! Session-bound CSRF tokens. Every form carries the token in `_csrf`. The
//! extractors below check it before a handler sees the form, so a handler
//! cannot forget. (Origin and Sec-Fetch-Site are checked for every request by
//! tower-http's CSRF layer.)

use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use sha2::{Digest, Sha256};
use tower_sessions::Session;

use super::session::{RequestMeta, session_of};
use crate::db::audit::{self, AuditEvent};
use crate::error::AppError;
use crate::state::AppState;

const CSRF_KEY: &str = "csrf";
pub const CSRF_FIELD: &str = "_csrf";

/// A new unguessable token: 32 random bytes, URL-safe base64.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The session's token, created on first use.
pub async fn token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session.get::<String>(CSRF_KEY).await? {
        return Ok(token);
    }
    let token = random_token();
    session.insert(CSRF_KEY, &token).await?;
    Ok(token)
}

/// Gives the session a fresh token (at sign-in, with the new session id).
pub async fn renew(session: &Session) -> Result<(), AppError> {
    session.insert(CSRF_KEY, random_token()).await?;
    Ok(())
}

fn same_token(a: &str, b: &str) -> bool {
    // Compare digests so the time taken does not depend on where they differ.
    !a.is_empty() && Sha256::digest(a.as_bytes()) == Sha256::digest(b.as_bytes())
}

async fn check(parts: &Parts, state: &AppState, presented: Option<&str>) -> Result<(), AppError> {
    let session = session_of(parts)?;
    let expected = session.get::<String>(CSRF_KEY).await?;
    let presented = presented.unwrap_or_default();
    match expected {
        Some(expected) if same_token(&expected, presented) => Ok(()),
        _ => {
            record_rejection(parts, state, "token").await;
            Err(AppError::Csrf)
        }
    }
}

/// Records a CSRF rejection (see [`record_refusal`]).
pub async fn record_rejection(parts: &Parts, state: &AppState, reason: &str) {
    record_refusal(parts, state, "security.csrf_rejected", json!({ "reason": reason })).await;
}

/// Records a refused request. A signed-in person's refusals are audited, at
/// most one row per person and action a minute; a visitor's go to the log
/// only, so that nobody can fill the audit log without signing in. A failure
/// to audit is logged, not shown.
pub async fn record_refusal(parts: &Parts, state: &AppState, action: &str, summary: serde_json::Value) {
    let meta = parts.extensions.get::<RequestMeta>().cloned().unwrap_or_default();
    let ctx = meta.audit_context();
    let target = format!("{} {}", parts.method, crate::http::survey_answer::loggable_path(parts.uri.path()));
    if ctx.actor_id.is_none() {
        tracing::warn!(action, %target, ip = %ctx.ip, %summary, "refused a request without a signed-in person");
        return;
    }
    let event = AuditEvent::new(action, "request", &target, summary);
    let result = async {
        let mut conn = state.pool.acquire().await?;
        audit::record_refusal(&mut conn, &ctx, event).await
    }
    .await;
    match result {
        Ok(true) => {}
        Ok(false) => tracing::info!(action, %target, actor = ?ctx.actor_id, "refusal already audited this minute"),
        Err(err) => tracing::warn!(error = %err, action, "could not audit a refusal"),
    }
}

#[derive(Deserialize)]
struct TokenField {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

/// A url-encoded form whose CSRF token has been checked.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let _ = crate::auth::session::CurrentUser::from_request_parts(&mut parts, state).await;
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        let token: TokenField = serde_html_form::from_bytes(&bytes).map_err(|_| AppError::BadRequest)?;
        check(&parts, state, Some(&token.csrf)).await?;
        let form = serde_html_form::from_bytes(&bytes).map_err(|err| {
            tracing::debug!(error = %err, "malformed form");
            AppError::BadRequest
        })?;
        Ok(CsrfForm(form))
    }
}

/// A CSRF-checked request without a form body (sign-out, one-button actions):
/// the token comes in the `_csrf` form field.
pub struct CsrfChecked;

impl FromRequest<AppState> for CsrfChecked {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let CsrfForm(TokenField { .. }) = CsrfForm::<TokenField>::from_request(req, state).await?;
        Ok(CsrfChecked)
    }
}

/// A multipart form whose first field, `_csrf`, has been checked.
pub struct CsrfMultipart(pub Multipart);

impl FromRequest<AppState> for CsrfMultipart {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let _ = crate::auth::session::CurrentUser::from_request_parts(&mut parts, state).await;
        let mut multipart = Multipart::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|_| AppError::BadRequest)?;
        let presented = match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some(CSRF_FIELD) => field.text().await.ok(),
            _ => None,
        };
        check(&parts, state, presented.as_deref()).await?;
        Ok(CsrfMultipart(multipart))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_and_distinct() {
        let a = random_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_token());
    }

    #[test]
    fn an_empty_token_never_matches() {
        assert!(!same_token("", ""));
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
    }
}

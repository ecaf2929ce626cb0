//! Cross-cutting request handling: request facts, security headers, cache
//! headers and error pages.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::csrf::ProtectionError;

use super::pages::ErrorPageView;
use crate::auth::csrf;
use crate::auth::session::RequestMeta;
use crate::error::{ErrorPage, retry_after};
use crate::i18n::Lang;
use crate::state::AppState;

/// Records the client address and request id for audit rows. The address is
/// the peer's, or `X-Real-IP` when the peer is a proxy on this host.
pub async fn request_meta(mut req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let forwarded = req.headers().get("x-real-ip").and_then(|v| v.to_str().ok()).map(str::to_string);
    let ip = match (peer, forwarded) {
        (Some(peer), Some(real)) if peer.ip().is_loopback() => real,
        (Some(peer), _) => peer.ip().to_string(),
        (None, _) => String::new(),
    };
    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    req.extensions_mut().insert(RequestMeta { ip, request_id, ..Default::default() });
    next.run(req).await
}

/// Drops a client's `X-Request-ID` unless it is one short token (1 to 64 of
/// `A-Z a-z 0-9 . _ -`), so that the request-id layer makes a new one: the
/// id is written to the log and to audit rows as it is.
pub async fn screen_request_id(mut req: Request, next: Next) -> Response {
    let given = req.headers().get_all(REQUEST_ID);
    let acceptable = given.iter().count() == 1 && given.iter().all(|v| is_request_id_token(v.as_bytes()));
    if !acceptable {
        req.headers_mut().remove(REQUEST_ID);
    }
    next.run(req).await
}

/// The request id header.
pub const REQUEST_ID: &str = "x-request-id";

fn is_request_id_token(value: &[u8]) -> bool {
    (1..=64).contains(&value.len()) && value.iter().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(b))
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                   frame-ancestors 'none'; form-action 'self'";

/// Security headers on every response; `no-store` unless a static file.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    let mut response = next.run(req).await;
    let cacheable = is_static && response.status().is_success();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    headers.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if cacheable {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    } else {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The language of a visitor before any session is read: the `lang` cookie,
/// then Accept-Language, then Chinese.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    let from_cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("lang=").and_then(Lang::from_tag));
    from_cookie
        .or_else(|| {
            headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// Turns error statuses into full pages in the visitor's language, and records
/// refusals (403) and CSRF rejections by the Origin check (audited for a
/// signed-in person, once a minute; logged for a visitor).
pub async fn error_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let lang = request_lang(req.headers());
    let (parts, body) = req.into_parts();
    let response = next.run(Request::from_parts(parts.clone(), body)).await;
    let page = if response.extensions().get::<ProtectionError>().is_some() {
        csrf::record_rejection(&parts, &state, "origin").await;
        ErrorPage::Csrf
    } else if let Some(page) = response.extensions().get::<ErrorPage>() {
        *page
    } else if let Some(page) = rejection_page(&response) {
        page
    } else if response.headers().contains_key(header::CONTENT_TYPE) {
        return response;
    } else if response.status() == StatusCode::INTERNAL_SERVER_ERROR {
        // Handlers mark their errors; a bare 500 here is the session layer's
        // when it could not save the session: the database is unreachable.
        ErrorPage::Unavailable
    } else if let Some(page) = ErrorPage::for_status(response.status()) {
        page
    } else {
        return response;
    };
    if page == ErrorPage::Forbidden {
        csrf::record_refusal(&parts, &state, "security.refused", serde_json::json!({})).await;
    }
    let mut rendered = ErrorPageView::new(lang, page).into_response();
    *rendered.status_mut() = page.status();
    for name in [header::RETRY_AFTER, header::LOCATION] {
        if let Some(value) = response.headers().get(&name) {
            rendered.headers_mut().insert(name, value.clone());
        }
    }
    if page == ErrorPage::Unavailable && !rendered.headers().contains_key(header::RETRY_AFTER) {
        rendered.headers_mut().insert(header::RETRY_AFTER, retry_after());
    }
    rendered
}

/// The page for one of axum's extractor rejections (a path segment or a query
/// that does not parse, a form of the wrong type): a plain-text client error.
/// No handler answers plain text, so such a response is always a rejection.
fn rejection_page(response: &Response) -> Option<ErrorPage> {
    let plain_text = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !plain_text || !response.status().is_client_error() {
        return None;
    }
    ErrorPage::for_status(response.status()).or(Some(ErrorPage::BadRequest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_short_tokens() {
        assert!(is_request_id_token(b"0f6c1e52-9b0e-4a4e-8a83-2f1d6c1a2b3c"));
        assert!(is_request_id_token(b"req_1.a"));
        for bad in [&b""[..], b"a b", b"<x>", b"a/b", b"\xe7\x8e\x8b", &[b'a'; 65]] {
            assert!(!is_request_id_token(bad), "{bad:?}");
        }
    }
}

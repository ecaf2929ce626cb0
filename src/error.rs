//! The one error type of the application. Handlers and the workflow layer
//! return `AppResult<T>`; at the web boundary an error becomes a status and an
//! `ErrorPage` marker, and the `error_pages` middleware renders the page in the
//! visitor's language.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sign-in required")]
    SignInRequired { next: String },
    #[error("password change required")]
    PasswordChangeRequired,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("CSRF check failed")]
    Csrf,
    #[error("bad request")]
    BadRequest,
    /// An action's value that is not among the user's choices, on a form that
    /// has no page of its own to re-render with the error beside the field.
    #[error("unprocessable")]
    Unprocessable,
    #[error("the upload is too large")]
    PayloadTooLarge,
    /// A bare 409 page. No handler answers one today (a stale form comes back
    /// as the form itself with 409, the input kept); the page stays ready.
    #[allow(dead_code)]
    #[error("stale edit")]
    Conflict,
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Which error page to render; carried in the response extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorPage {
    Forbidden,
    NotFound,
    Csrf,
    BadRequest,
    Unprocessable,
    PayloadTooLarge,
    Conflict,
    Unavailable,
    Internal,
    MethodNotAllowed,
}

impl ErrorPage {
    pub fn status(self) -> StatusCode {
        match self {
            ErrorPage::Forbidden | ErrorPage::Csrf => StatusCode::FORBIDDEN,
            ErrorPage::NotFound => StatusCode::NOT_FOUND,
            ErrorPage::BadRequest => StatusCode::BAD_REQUEST,
            ErrorPage::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorPage::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorPage::Conflict => StatusCode::CONFLICT,
            ErrorPage::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorPage::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorPage::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// The page for a bare status produced outside the handlers (router, layers).
    pub fn for_status(status: StatusCode) -> Option<ErrorPage> {
        Some(match status {
            StatusCode::NOT_FOUND => ErrorPage::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => ErrorPage::MethodNotAllowed,
            StatusCode::FORBIDDEN => ErrorPage::Forbidden,
            StatusCode::PAYLOAD_TOO_LARGE => ErrorPage::PayloadTooLarge,
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => ErrorPage::Unavailable,
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY | StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                ErrorPage::BadRequest
            }
            s if s.is_server_error() => ErrorPage::Internal,
            _ => return None,
        })
    }

    /// The locale key stem: `<stem>-title` and `<stem>-text`.
    pub fn key(self) -> &'static str {
        match self {
            ErrorPage::Forbidden => "error-forbidden",
            ErrorPage::NotFound => "error-not-found",
            ErrorPage::Csrf => "error-csrf",
            ErrorPage::BadRequest => "error-bad-request",
            ErrorPage::Unprocessable => "error-unprocessable",
            ErrorPage::PayloadTooLarge => "error-too-large",
            ErrorPage::Conflict => "error-conflict",
            ErrorPage::Unavailable => "error-unavailable",
            ErrorPage::Internal => "error-internal",
            ErrorPage::MethodNotAllowed => "error-method",
        }
    }
}

/// A policy refusal is a 403.
impl From<crate::domain::policy::Denied> for AppError {
    fn from(_: crate::domain::policy::Denied) -> Self {
        AppError::Forbidden
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                AppError::Unavailable(err.to_string())
            }
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(err: tower_sessions::session::Error) -> Self {
        use tower_sessions::session::Error;
        use tower_sessions::session_store::Error as StoreError;
        match err {
            // The session store is the database: when it cannot be reached or
            // the pool has no connection to spare, the service is unavailable.
            Error::Store(StoreError::Backend(reason)) => AppError::Unavailable(reason),
            other => AppError::Internal(other.into()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let page = match self {
            AppError::SignInRequired { next } => {
                let target = format!("/login?next={}", encode_path(&next));
                return Redirect::to(&target).into_response();
            }
            AppError::PasswordChangeRequired => return Redirect::to("/account/password").into_response(),
            AppError::Forbidden => ErrorPage::Forbidden,
            AppError::NotFound => ErrorPage::NotFound,
            AppError::Csrf => ErrorPage::Csrf,
            AppError::BadRequest => ErrorPage::BadRequest,
            AppError::Unprocessable => ErrorPage::Unprocessable,
            AppError::PayloadTooLarge => ErrorPage::PayloadTooLarge,
            AppError::Conflict => ErrorPage::Conflict,
            AppError::Unavailable(reason) => {
                tracing::warn!(%reason, "service unavailable");
                ErrorPage::Unavailable
            }
            AppError::Internal(err) => {
                tracing::error!(error = ?err, "internal error");
                ErrorPage::Internal
            }
        };
        let mut response = page.status().into_response();
        if page == ErrorPage::Unavailable {
            response.headers_mut().insert(header::RETRY_AFTER, retry_after());
        }
        response.extensions_mut().insert(page);
        response
    }
}

/// The Retry-After of a 503: seconds to wait before trying again.
pub fn retry_after() -> HeaderValue {
    HeaderValue::from_static("5")
}

/// Percent-encodes a path for a query value (only what a local path may contain).
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_session_store_is_unavailable_not_an_internal_error() {
        use tower_sessions::session::Error;
        use tower_sessions::session_store::Error as StoreError;
        let unreachable = AppError::from(Error::Store(StoreError::Backend("pool timed out".into())));
        let response = unreachable.into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(response.headers().contains_key(header::RETRY_AFTER));
        let garbled = AppError::from(Error::Store(StoreError::Decode("not a record".into())));
        assert_eq!(garbled.into_response().status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn paths_are_encoded_for_a_query() {
        assert_eq!(encode_path("/org/people?q=a b"), "/org/people%3Fq%3Da%20b");
    }
}

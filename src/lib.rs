//! cppcc-perf: performance management for the office of a municipal CPPCC
//! committee. [`app`] builds the whole web application; `main.rs` only parses
//! the command line and calls [`cli::run`].

pub mod auth;
pub mod backup;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod embedded_pg;
pub(crate) mod error;
pub(crate) mod http;
pub(crate) mod i18n;
pub(crate) mod state;
pub mod tasks;
pub mod workflow;
pub(crate) mod xlsx;

use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::http::{HeaderName, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::csrf::CsrfLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

pub use crate::http::assets::version as asset_version;
use crate::http::{assets, bench, health, middleware, routes};
pub use crate::state::AppState;

/// The whole application: pages behind sessions and CSRF checks, static files,
/// health checks, and the layers every request passes.
pub fn app(state: AppState) -> Router {
    let settings = state.settings.clone();
    let idle = tower_sessions::cookie::time::Duration::seconds(settings.session_idle.num_seconds());
    let sessions = SessionManagerLayer::new(PostgresStore::new(state.pool.clone()))
        .with_name("cppcc_session")
        .with_secure(settings.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(idle));

    let pages = routes::pages()
        .layer(CsrfLayer::new())
        .layer(sessions)
        .layer(from_fn_with_state(state.clone(), middleware::error_pages))
        .layer(from_fn(middleware::request_meta));

    let static_files = Router::new().route(&format!("/static/{}/{{*path}}", assets::version()), get(assets::asset));

    let mut open = Router::new().route("/healthz", get(health::healthz)).route("/readyz", get(health::readyz));
    if settings.bench_baseline {
        open = open.route("/bench/fortunes", get(bench::fortunes));
    }

    let request_id = HeaderName::from_static("x-request-id");
    open.merge(static_files).merge(pages).fallback(fallback).with_state(state).layer(
        ServiceBuilder::new()
            .layer(from_fn(middleware::screen_request_id))
            .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
                // A survey link's token never reaches the log: with the log's
                // times and addresses it would say who answered when.
                let path = crate::http::survey_answer::loggable_path(req.uri().path());
                tracing::info_span!("request", method = %req.method(), path = %path, request_id = %id)
            }))
            .layer(PropagateRequestIdLayer::new(request_id))
            .layer(CatchPanicLayer::new())
            .layer(from_fn(middleware::security_headers))
            // An Excel workbook is a zip already: gzip would cost CPU and memory for nothing.
            .layer(
                CompressionLayer::new().gzip(true).quality(CompressionLevel::Fastest).compress_when(
                    DefaultPredicate::new().and(NotForContentType::const_new(crate::xlsx::CONTENT_TYPE)),
                ),
            )
            .layer(HandleErrorLayer::new(|_: tower::BoxError| async {
                (StatusCode::SERVICE_UNAVAILABLE, [(axum::http::header::RETRY_AFTER, error::retry_after())])
            }))
            .load_shed()
            // One limit for the instance: `Router::layer` wraps each route on
            // its own, and a plain concurrency limit would count per route.
            .layer(tower::limit::GlobalConcurrencyLimitLayer::new(settings.max_concurrent_requests))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                Duration::from_secs(settings.request_timeout_secs),
            ))
            .layer(RequestBodyLimitLayer::new(settings.max_body_bytes)),
    )
}

/// Unknown addresses: a 404 page in the visitor's language.
async fn fallback(headers: axum::http::HeaderMap) -> impl IntoResponse {
    let lang = middleware::request_lang(&headers);
    http::pages::ErrorPageView::new(lang, error::ErrorPage::NotFound)
}

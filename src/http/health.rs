//! Liveness and readiness for load balancers and systemd.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;

use crate::state::AppState;

/// The longest `/readyz` waits for the database: a probe must get an answer
/// even when the pool is exhausted or the database hangs.
const READY_WITHIN: Duration = Duration::from_secs(2);

/// The process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database answers, within [`READY_WITHIN`].
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match tokio::time::timeout(READY_WITHIN, crate::db::ping(&state.pool)).await {
        Ok(true) => (StatusCode::OK, "ready"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

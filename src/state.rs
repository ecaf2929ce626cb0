//! What every handler can reach: the pool, the settings, the password hasher and the clock.

use std::sync::Arc;

use chrono::Duration;
use sqlx::PgPool;

use crate::auth::password::Passwords;
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::throttle::ThrottleRules;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    pub passwords: Passwords,
    /// The office's "now" and "today" for every date the application reads.
    pub clock: Clock,
}

/// Settings the request handlers use, fixed at start.
#[derive(Debug, Clone)]
pub struct Settings {
    pub session_idle: Duration,
    pub session_absolute: Duration,
    /// How stale a session's `last_seen` may get before a request saves it again.
    pub session_refresh: Duration,
    pub secure_cookies: bool,
    pub throttle: ThrottleRules,
    pub request_timeout_secs: u64,
    pub max_concurrent_requests: usize,
    /// Whether the benchmark baseline route is served.
    pub bench_baseline: bool,
    /// Largest request body (uploads included).
    pub max_body_bytes: usize,
    /// The address users reach the application at, without a trailing slash
    /// (survey links printed and sent by SMS); `None`: the request's Host.
    pub public_url: Option<String>,
}

impl Settings {
    pub fn from_config(config: &Config) -> Settings {
        Settings {
            session_idle: Duration::minutes(config.session_idle_minutes),
            session_absolute: Duration::hours(config.session_absolute_hours),
            session_refresh: Duration::seconds(config.session_refresh_secs),
            secure_cookies: config.secure_cookies(),
            throttle: ThrottleRules::default(),
            request_timeout_secs: config.request_timeout_secs,
            max_concurrent_requests: config.max_concurrent_requests,
            bench_baseline: config.bench_baseline,
            max_body_bytes: 25 * 1024 * 1024,
            public_url: config
                .public_url
                .as_deref()
                .map(|u| u.trim().trim_end_matches('/').to_string())
                .filter(|u| !u.is_empty()),
        }
    }
}

impl AppState {
    pub fn new(pool: PgPool, config: &Config) -> AppState {
        AppState {
            pool,
            settings: Arc::new(Settings::from_config(config)),
            passwords: Passwords::new(config.max_concurrent_hashes),
            clock: config.clock(),
        }
    }
}

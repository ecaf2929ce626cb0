//! Command line and environment configuration.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::clock::Clock;

/// cppcc-perf: performance management for the office of a municipal CPPCC committee.
#[derive(Debug, Parser)]
#[command(name = "cppcc-perf", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (the default for deployments).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Load the demo office (fictional people and departments) into an empty database.
    Demo {
        /// Instead, generate an office of benchmark scale: 40 departments, 2,000 current and
        /// 800 former staff, targets, monthly reports, supervision and ledger over `--years`.
        #[arg(long)]
        scale: bool,
        /// Years of history for `--scale`, the current year included.
        #[arg(long, default_value_t = 10, requires = "scale", value_parser = clap::value_parser!(i32).range(1..=30))]
        years: i32,
    },
    /// Create a system administrator account.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long)]
        full_name: String,
        /// The initial password; read from CPPCC_PERF_ADMIN_PASSWORD if not given.
        #[arg(long, env = "CPPCC_PERF_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Check the configuration and the database connection, then exit.
    CheckConfig,
    /// Manage the embedded PostgreSQL cluster without serving (for tests and maintenance).
    Cluster {
        #[command(subcommand)]
        action: ClusterAction,
    },
    /// Write a backup of the whole database (pg_dump custom format, evidence files
    /// included) to a file; the service may keep running.
    Backup {
        /// The file to write; it appears only once the dump is complete.
        #[arg(long)]
        output: PathBuf,
    },
    /// Restore a backup made by `backup` into the configured database, then apply
    /// migrations. Stop the service first.
    Restore {
        /// The backup file to read.
        #[arg(long)]
        input: PathBuf,
        /// Replace a database that already holds the application's data (it is lost).
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Debug, Clone, Copy, Subcommand)]
pub enum ClusterAction {
    /// Start the cluster (creating it on first use) and print its superuser URL.
    Start,
    /// Stop the cluster.
    Stop,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Settings shared by every subcommand. Each flag has an environment variable.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// External PostgreSQL server; without it an embedded cluster runs in the data directory.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// Where the embedded cluster and other local state live.
    #[arg(long, env = "CPPCC_PERF_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,

    /// Address to listen on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: SocketAddr,

    /// The address users reach the application at; `https://` makes cookies Secure.
    #[arg(long, env = "PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Log filter, e.g. `info` or `cppcc_perf=debug,tower_http=info`.
    #[arg(long, env = "LOG_LEVEL", default_value = "info", global = true)]
    pub log_level: String,

    /// Log lines as text (coloured only on a terminal) or as one JSON object a line, for log collectors.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    /// Minutes of inactivity after which a session ends.
    #[arg(long, env = "SESSION_IDLE_MINUTES", default_value_t = 30, global = true)]
    pub session_idle_minutes: i64,

    /// Hours after sign-in after which a session ends whatever the activity.
    #[arg(long, env = "SESSION_ABSOLUTE_HOURS", default_value_t = 10, global = true)]
    pub session_absolute_hours: i64,

    /// Seconds between the writes that push back an active session's idle timeout
    /// (a write per request would cost a query on every page).
    #[arg(long, env = "SESSION_REFRESH_SECS", default_value_t = 60, global = true)]
    pub session_refresh_secs: i64,

    /// Largest number of database connections of this instance.
    #[arg(long, env = "DB_POOL_SIZE", default_value_t = 16, global = true)]
    pub db_pool_size: u32,

    /// Seconds a request waits for a database connection before answering 503.
    #[arg(long, env = "DB_ACQUIRE_TIMEOUT_SECS", default_value_t = 3, global = true)]
    pub db_acquire_timeout_secs: u64,

    /// Seconds a single SQL statement may run.
    #[arg(long, env = "DB_STATEMENT_TIMEOUT_SECS", default_value_t = 10, global = true)]
    pub db_statement_timeout_secs: u64,

    /// Seconds a request may take in all.
    #[arg(long, env = "REQUEST_TIMEOUT_SECS", default_value_t = 30, global = true)]
    pub request_timeout_secs: u64,

    /// Requests handled at once; more are refused with 503 at once rather than queued.
    #[arg(long, env = "MAX_CONCURRENT_REQUESTS", default_value_t = 512, global = true)]
    pub max_concurrent_requests: usize,

    /// Serve the benchmark baseline `/bench/fortunes` (for `make bench` only; off in production).
    #[arg(long, env = "BENCH_BASELINE", default_value_t = false, global = true)]
    pub bench_baseline: bool,

    /// Seconds between runs of the background task (due and late reports, slips, alerts);
    /// 0 runs no task in this instance (another instance, or none, does the work).
    #[arg(long, env = "TASK_INTERVAL_SECS", default_value_t = 300, global = true)]
    pub task_interval_secs: u64,

    /// Password hashes computed at once (each takes ~19 MiB and a core for ~50 ms).
    #[arg(long, env = "MAX_CONCURRENT_HASHES", default_value_t = 2, global = true)]
    pub max_concurrent_hashes: usize,

    /// Pins the application's clock to a day (`2026-11-27`) or an instant, for
    /// the browser journeys and demonstrations; never set in production.
    #[arg(long, env = "CPPCC_PERF_CLOCK", global = true, hide = true, value_parser = Clock::parse)]
    pub clock: Option<Clock>,
}

impl Config {
    /// Whether cookies must carry the Secure attribute.
    pub fn secure_cookies(&self) -> bool {
        // URL schemes are case-insensitive (RFC 3986 §3.1): `HTTPS://` is https too.
        self.public_url.as_deref().and_then(|u| u.trim().get(..8)).is_some_and(|s| s.eq_ignore_ascii_case("https://"))
    }

    /// The clock the application runs on: the system clock unless pinned.
    pub fn clock(&self) -> Clock {
        self.clock.clone().unwrap_or_else(Clock::system)
    }

    /// The same settings for a maintenance command (migrate, demo, backup,
    /// restore): a restore or a migration of a large office may run longer than
    /// any page statement should, so these run without the statement timeout.
    pub fn for_maintenance(&self) -> Config {
        Config { db_statement_timeout_secs: 0, ..self.clone() }
    }

    /// The defaults, as a test or a tool would want them.
    pub fn for_tests(database_url: &str) -> Config {
        let cli = Cli::parse_from(["cppcc-perf", "--database-url", database_url, "serve"]);
        cli.config
    }
}

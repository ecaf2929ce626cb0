//! The subcommands: serve, migrate, demo, create-admin, check-config, cluster,
//! backup, restore.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::json;
use sqlx::PgPool;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use crate::auth::password::Passwords;
use crate::backup::{self, OnExisting, Target};
use crate::config::{Cli, ClusterAction, Command, Config, LogFormat};
use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::{bootstrap, people};
use crate::domain::identity::IdentityType;
use crate::domain::roles::{Role, RoleGrant};
use crate::domain::validate;
use crate::embedded_pg::{self, EmbeddedPostgres};
use crate::state::AppState;

pub fn run(cli: Cli) -> Result<()> {
    return_large_blocks_to_the_system();
    init_logging(&cli.config);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let maintenance = cli.config.for_maintenance();
        match cli.command {
            Command::Serve => serve(&cli.config).await,
            Command::Migrate => {
                let db = Database::open(&maintenance).await?;
                db.close().await
            }
            Command::Demo { scale, years } => {
                let db = Database::open(&maintenance).await?;
                let loaded = if scale {
                    crate::demo::scale::load(&db.pool, &Passwords::new(2), years, cli.config.clock().today()).await
                } else {
                    crate::demo::load(&db.pool, &Passwords::new(2)).await
                };
                db.close().await?;
                loaded
            }
            Command::CreateAdmin { username, full_name, password } => {
                let db = Database::open(&cli.config).await?;
                let created = create_admin(&db.pool, &username, &full_name, password).await;
                db.close().await?;
                created
            }
            Command::CheckConfig => check_config(&cli.config).await,
            Command::Cluster { action } => cluster(&cli.config, action).await,
            Command::Backup { output } => backup(&maintenance, &output).await,
            Command::Restore { input, replace } => restore(&maintenance, &input, replace).await,
        }
    })
}

/// Log lines go to standard output: text, coloured only when that is a
/// terminal (a file or the journal would get the escape codes as they are),
/// or one JSON object a line for a log collector.
fn init_logging(config: &Config) {
    let filter = EnvFilter::try_new(&config.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    match config.log_format {
        LogFormat::Text => logs.with_ansi(std::io::stdout().is_terminal()).init(),
        LogFormat::Json => logs.json().init(),
    }
}

/// Every argon2id hash works in a 19 MiB block. glibc's malloc raises its mmap
/// threshold after the first such block is freed, so later ones come from the
/// heap and stay with the process: a few hundred sign-ins left it at 230 MiB.
/// A fixed threshold keeps large blocks mmapped and returns them when freed.
#[allow(unsafe_code)]
fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before any thread starts.
    unsafe {
        nix::libc::mallopt(nix::libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// The application's database, with the embedded cluster when one was started here.
pub struct Database {
    pub pool: PgPool,
    embedded: Option<(EmbeddedPostgres, bool)>,
}

impl Database {
    /// Connects (starting the embedded cluster when there is no DATABASE_URL)
    /// and applies pending migrations.
    pub async fn open(config: &Config) -> Result<Database> {
        if let Some(url) = &config.database_url {
            let pool = crate::db::pool(config, url.parse()?).await.context("connecting to DATABASE_URL")?;
            bootstrap::migrate(&pool).await?;
            return Ok(Database { pool, embedded: None });
        }
        let (pg, started_here) = start_embedded(config).await?;
        create_database_and_role(config, &pg).await?;
        let owner = crate::db::pool(config, pg.connect_options(embedded_pg::SUPERUSER, embedded_pg::DATABASE)).await?;
        bootstrap::migrate(&owner).await?;
        bootstrap::grant_app_rights(&owner, embedded_pg::APP_ROLE).await?;
        owner.close().await;
        let pool = crate::db::pool(config, pg.connect_options(embedded_pg::APP_ROLE, embedded_pg::DATABASE)).await?;
        Ok(Database { pool, embedded: Some((pg, started_here)) })
    }

    /// The embedded cluster, if the database is one.
    pub fn embedded_cluster(&self) -> Option<EmbeddedPostgres> {
        self.embedded.as_ref().map(|(pg, _)| pg.clone())
    }

    /// Closes the pool and stops the embedded cluster if this process started it.
    pub async fn close(self) -> Result<()> {
        self.pool.close().await;
        stop_embedded(self.embedded).await
    }
}

/// Starts the data directory's cluster; answers whether this process started it.
async fn start_embedded(config: &Config) -> Result<(EmbeddedPostgres, bool)> {
    let data_dir = config.data_dir.clone();
    tokio::task::spawn_blocking(move || -> Result<(EmbeddedPostgres, bool)> {
        let pg = EmbeddedPostgres::locate(&data_dir)?;
        let started = pg.start()?;
        Ok((pg, started))
    })
    .await?
}

/// Creates the application's database and role in the cluster if missing.
async fn create_database_and_role(config: &Config, pg: &EmbeddedPostgres) -> Result<()> {
    let admin = crate::db::pool(config, pg.connect_options(embedded_pg::SUPERUSER, "postgres")).await?;
    let created = bootstrap::create_database_and_role(&admin, embedded_pg::DATABASE, embedded_pg::APP_ROLE).await;
    admin.close().await;
    Ok(created?)
}

/// Stops the cluster if this process started it.
async fn stop_embedded(embedded: Option<(EmbeddedPostgres, bool)>) -> Result<()> {
    if let Some((pg, true)) = embedded {
        tokio::task::spawn_blocking(move || pg.stop()).await??;
    }
    Ok(())
}

async fn serve(config: &Config) -> Result<()> {
    let db = Database::open(config).await?;
    let state = AppState::new(db.pool.clone(), config);
    if !state.clock.is_system() {
        tracing::warn!(today = %state.clock.today(), "the clock is pinned (CPPCC_PERF_CLOCK): dates do not follow the calendar");
    }
    let store = tower_sessions_sqlx_store::PostgresStore::new(db.pool.clone());
    let task = (config.task_interval_secs > 0).then(|| {
        crate::tasks::spawn(db.pool.clone(), state.clock.clone(), Duration::from_secs(config.task_interval_secs))
    });
    let cleaner = tokio::spawn(async move {
        use tower_sessions::ExpiredDeletion;
        let _ = store.continuously_delete_expired(Duration::from_secs(300)).await;
    });
    let supervisor = db.embedded_cluster().map(|pg| tokio::spawn(supervise_embedded(pg)));
    let listener = TcpListener::bind(config.bind).await.with_context(|| format!("binding {}", config.bind))?;
    tracing::info!(address = %config.bind, "serving");
    let app = crate::app(state).into_make_service_with_connect_info::<SocketAddr>();
    let server = axum::serve(listener, app).with_graceful_shutdown(shutdown_signal());
    let cluster_lost = async {
        match supervisor {
            Some(supervisor) => supervisor.await.unwrap_or_else(|err| anyhow::anyhow!("the cluster supervisor: {err}")),
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        served = async { server.await } => served?,
        lost = cluster_lost => {
            // Exit with a failure, for the service manager to restart the whole service.
            tracing::error!(error = %format!("{lost:#}"), "giving up: the database cannot be restarted");
            return Err(lost);
        }
    }
    tracing::info!("shutting down");
    cleaner.abort();
    if let Some(task) = task {
        task.abort();
    }
    db.close().await
}

/// How often the embedded cluster is looked at, and how many restarts (waiting
/// 1, 2, 4, 8 s between them) it gets before the server gives up.
const CLUSTER_CHECK_EVERY: Duration = Duration::from_secs(2);
const CLUSTER_RESTARTS: u32 = 5;

/// Watches the embedded cluster and restarts it when it dies without being
/// stopped (the OOM killer, a crash); the pool reconnects by itself, and
/// sessions live in the database, so nobody notices more than a few 503s.
/// Answers only when the cluster cannot be brought back.
async fn supervise_embedded(pg: EmbeddedPostgres) -> anyhow::Error {
    loop {
        tokio::time::sleep(CLUSTER_CHECK_EVERY).await;
        let probe = pg.clone();
        match tokio::task::spawn_blocking(move || probe.crashed()).await {
            Ok(Ok(true)) => {}
            Ok(Ok(false)) => continue,
            Ok(Err(err)) => {
                tracing::warn!(error = %format!("{err:#}"), "could not check the embedded PostgreSQL");
                continue;
            }
            Err(err) => return anyhow::anyhow!("checking the embedded PostgreSQL: {err}"),
        }
        tracing::error!("the embedded PostgreSQL died without being stopped; restarting it");
        let mut wait = Duration::from_secs(1);
        let mut attempt = 1;
        loop {
            let cluster = pg.clone();
            let restarted = tokio::task::spawn_blocking(move || cluster.restart_after_crash()).await;
            match restarted {
                Ok(Ok(())) => {
                    tracing::warn!(attempt, "the embedded PostgreSQL restarted after crash recovery");
                    break;
                }
                Ok(Err(err)) => {
                    tracing::error!(attempt, error = %format!("{err:#}"), "restarting the embedded PostgreSQL failed");
                }
                Err(err) => tracing::error!(attempt, error = %err, "restarting the embedded PostgreSQL failed"),
            }
            if attempt == CLUSTER_RESTARTS {
                return anyhow::anyhow!(
                    "the embedded PostgreSQL in {} did not come back after {attempt} restarts",
                    pg.cluster_dir().display()
                );
            }
            tokio::time::sleep(wait).await;
            wait *= 2;
            attempt += 1;
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

async fn create_admin(pool: &PgPool, username: &str, full_name: &str, password: String) -> Result<()> {
    let username = validate::username(username).map_err(|e| anyhow::anyhow!("username: {e:?}"))?;
    validate::new_password(&password, &password, &username).map_err(|e| anyhow::anyhow!("password: {e:?}"))?;
    let hash = Passwords::new(1).hash(password).await?;
    let mut tx = pool.begin().await?;
    let data = people::PersonData {
        username: username.clone(),
        full_name: full_name.trim().to_string(),
        identity_type: IdentityType::CivilServant,
        rank: String::new(),
        department_id: None,
        phone: String::new(),
        active: true,
    };
    let id = people::create(&mut tx, &data, &hash).await?;
    let grants = [RoleGrant { role: Role::SystemAdmin, department_id: None }];
    people::replace_grants(&mut tx, id, &grants).await?;
    let ctx = AuditContext { actor_name: "cppcc-perf create-admin".into(), ..Default::default() };
    audit::record(
        &mut tx,
        &ctx,
        AuditEvent::new("person.created", "person", id, json!({ "username": username, "roles": ["system_admin"] })),
    )
    .await?;
    tx.commit().await?;
    println!("created system administrator {username}; the password must be changed at first sign-in");
    Ok(())
}

async fn check_config(config: &Config) -> Result<()> {
    println!("bind: {}", config.bind);
    println!("public url: {}", config.public_url.as_deref().unwrap_or("(not set)"));
    println!("secure cookies: {}", config.secure_cookies());
    println!("database: {}", if config.database_url.is_some() { "DATABASE_URL" } else { "embedded cluster" });
    println!("data directory: {}", config.data_dir.display());
    let db = Database::open(config).await?;
    let ok = crate::db::ping(&db.pool).await;
    db.close().await?;
    anyhow::ensure!(ok, "the database does not answer");
    println!("database: reachable, migrations applied");
    Ok(())
}

async fn cluster(config: &Config, action: ClusterAction) -> Result<()> {
    let data_dir = config.data_dir.clone();
    tokio::task::spawn_blocking(move || -> Result<()> {
        let pg = EmbeddedPostgres::locate(&data_dir)?;
        match action {
            ClusterAction::Start => {
                pg.start()?;
                println!("{}", pg.url(embedded_pg::SUPERUSER, "postgres"));
            }
            ClusterAction::Stop => pg.stop()?,
        }
        Ok(())
    })
    .await?
}

/// The embedded cluster's database, as the superuser, with the cluster's own client tools.
fn embedded_target(pg: &EmbeddedPostgres) -> Target {
    Target {
        options: pg.connect_options(embedded_pg::SUPERUSER, embedded_pg::DATABASE),
        bin_dir: pg.bin_dir().to_path_buf(),
    }
}

fn external_target(url: &str) -> Result<Target> {
    Ok(Target { options: url.parse().context("parsing DATABASE_URL")?, bin_dir: backup::client_bin_dir()? })
}

async fn backup(config: &Config, output: &Path) -> Result<()> {
    let (target, embedded) = match &config.database_url {
        Some(url) => (external_target(url)?, None),
        None => {
            let (pg, started_here) = start_embedded(config).await?;
            (embedded_target(&pg), Some((pg, started_here)))
        }
    };
    let written = backup::backup(&target, output).await;
    stop_embedded(embedded).await?;
    let size = written?;
    println!("wrote {} ({size} bytes, {:.1} MiB)", output.display(), size as f64 / (1024.0 * 1024.0));
    Ok(())
}

async fn restore(config: &Config, input: &Path, replace: bool) -> Result<()> {
    // Before a cluster is started (or created) for nothing.
    std::fs::File::open(input).with_context(|| format!("restore: opening {}", input.display()))?;
    match &config.database_url {
        // An external server: the role may not own the database, so --replace cleans in place.
        Some(url) => {
            let on_existing = if replace { OnExisting::Clean } else { OnExisting::Refuse };
            backup::restore(&external_target(url)?, input, on_existing, None).await?;
        }
        None => restore_embedded(config, input, replace).await?,
    }
    println!("restored {} and applied migrations", input.display());
    Ok(())
}

/// Restores into the embedded cluster, which must not be serving meanwhile.
async fn restore_embedded(config: &Config, input: &Path, replace: bool) -> Result<()> {
    let (pg, started_here) = start_embedded(config).await?;
    if !started_here {
        bail!(
            "restore refused: the embedded PostgreSQL in {} is running; stop the service first \
             (e.g. systemctl stop cppcc-perf, or cppcc-perf cluster stop)",
            config.data_dir.display()
        );
    }
    let restored = async {
        create_database_and_role(config, &pg).await?;
        let on_existing = if replace { OnExisting::Recreate } else { OnExisting::Refuse };
        backup::restore(&embedded_target(&pg), input, on_existing, Some(embedded_pg::APP_ROLE)).await
    }
    .await;
    stop_embedded(Some((pg, true))).await?;
    restored
}

//! The subcommands: serve, migrate, demo, create-admin, check-config, cluster.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::json;
use sqlx::PgPool;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use crate::auth::password::Passwords;
use crate::config::{Cli, ClusterAction, Command, Config};
use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::{bootstrap, people};
use crate::domain::identity::IdentityType;
use crate::domain::roles::{Role, RoleGrant};
use crate::domain::validate;
use crate::embedded_pg::{self, EmbeddedPostgres};
use crate::state::AppState;

pub fn run(cli: Cli) -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&cli.config.log_level).unwrap_or_else(|_| EnvFilter::new("info")))
        .with_target(false)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        match cli.command {
            Command::Serve => serve(&cli.config).await,
            Command::Migrate => {
                let db = Database::open(&cli.config).await?;
                db.close().await
            }
            Command::Demo => {
                let db = Database::open(&cli.config).await?;
                let loaded = crate::demo::load(&db.pool, &Passwords::new(2)).await;
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
        }
    })
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
        let data_dir = config.data_dir.clone();
        let (pg, started_here) = tokio::task::spawn_blocking(move || -> Result<(EmbeddedPostgres, bool)> {
            let pg = EmbeddedPostgres::locate(&data_dir)?;
            let started = pg.start()?;
            Ok((pg, started))
        })
        .await??;
        let admin = crate::db::pool(config, pg.connect_options(embedded_pg::SUPERUSER, "postgres")).await?;
        bootstrap::create_database_and_role(&admin, embedded_pg::DATABASE, embedded_pg::APP_ROLE).await?;
        admin.close().await;
        let owner = crate::db::pool(config, pg.connect_options(embedded_pg::SUPERUSER, embedded_pg::DATABASE)).await?;
        bootstrap::migrate(&owner).await?;
        bootstrap::grant_app_rights(&owner, embedded_pg::APP_ROLE).await?;
        owner.close().await;
        let pool = crate::db::pool(config, pg.connect_options(embedded_pg::APP_ROLE, embedded_pg::DATABASE)).await?;
        Ok(Database { pool, embedded: Some((pg, started_here)) })
    }

    /// Closes the pool and stops the embedded cluster if this process started it.
    pub async fn close(self) -> Result<()> {
        self.pool.close().await;
        if let Some((pg, true)) = self.embedded {
            tokio::task::spawn_blocking(move || pg.stop()).await??;
        }
        Ok(())
    }
}

async fn serve(config: &Config) -> Result<()> {
    let db = Database::open(config).await?;
    let state = AppState::new(db.pool.clone(), config);
    let store = tower_sessions_sqlx_store::PostgresStore::new(db.pool.clone());
    let task = crate::tasks::spawn(db.pool.clone(), Duration::from_secs(config.task_interval_secs));
    let cleaner = tokio::spawn(async move {
        use tower_sessions::ExpiredDeletion;
        let _ = store.continuously_delete_expired(Duration::from_secs(300)).await;
    });
    let listener = TcpListener::bind(config.bind).await.with_context(|| format!("binding {}", config.bind))?;
    tracing::info!(address = %config.bind, "serving");
    let app = crate::app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    tracing::info!("shutting down");
    cleaner.abort();
    task.abort();
    db.close().await
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

//! Backups of the application's database: `pg_dump --format=custom` and
//! `pg_restore` run as child processes. The connection reaches them in libpq's
//! PG* environment variables, so a password never shows on a command line.

use std::ffi::OsStr;
use std::fs;
use std::io::ErrorKind;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use anyhow::{Context, Result, bail};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Executor, PgPool};
use tokio::process::Command;

use crate::db::bootstrap;

/// A database to back up or restore into, and the client tools to do it with.
#[derive(Debug, Clone)]
pub struct Target {
    /// The application's database, as a role that owns its objects (or may create them).
    pub options: PgConnectOptions,
    /// The directory holding `pg_dump` and `pg_restore`.
    pub bin_dir: PathBuf,
}

impl Target {
    /// The database's name.
    pub fn database(&self) -> Result<&str> {
        self.options.get_database().context("the database connection names no database")
    }

    fn with_database(&self, database: &str) -> Target {
        Target { options: self.options.clone().database(database), bin_dir: self.bin_dir.clone() }
    }
}

/// What [`restore`] does when the database already holds application tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnExisting {
    /// Refuse, changing nothing.
    Refuse,
    /// Restore into a new database beside it, then drop the old one and rename the
    /// new one into its place, so a failed restore leaves the old data alone. Needs a
    /// role that may create and drop databases (the embedded cluster's superuser),
    /// and the server's `postgres` database to issue that from.
    Recreate,
    /// Drop and recreate the backup's objects in place (`pg_restore --clean
    /// --if-exists`, one transaction): for an external server, where the role may
    /// own the tables but not the database. Refused when the database has newer
    /// migrations than the backup, whose objects would survive the clean.
    Clean,
}

/// The newest `/usr/lib/postgresql/<version>/bin` holding pg_dump and pg_restore,
/// else a directory on PATH holding both: the tools for an external server.
pub fn client_bin_dir() -> Result<PathBuf> {
    crate::embedded_pg::newest_bin_dir(&["pg_dump", "pg_restore"])
        .context("pg_dump and pg_restore not found: install the Debian package `postgresql-client`")
}

/// Writes a custom-format dump of the whole database (schema, data and evidence
/// files) to `output` and answers its size in bytes. The dump goes to a hidden
/// file beside `output` that is renamed into place only once complete, so a
/// failed dump never leaves a file that looks like a backup.
pub async fn backup(target: &Target, output: &Path) -> Result<u64> {
    let partial = partial_path(output)?;
    let written = dump_to(target, &partial, output).await;
    if written.is_err() {
        let _ = fs::remove_file(&partial);
    }
    written
}

async fn dump_to(target: &Target, partial: &Path, output: &Path) -> Result<u64> {
    create_private_file(partial).with_context(|| format!("backup: creating {}", partial.display()))?;
    let database = target.database()?;
    let args =
        [OsStr::new("--format=custom"), "--file".as_ref(), partial.as_os_str(), "--dbname".as_ref(), database.as_ref()];
    run_tool(target, "pg_dump", &args)
        .await
        .with_context(|| format!("backup of database {database} to {}", output.display()))?;
    fs::rename(partial, output)
        .with_context(|| format!("backup: renaming {} to {}", partial.display(), output.display()))?;
    Ok(fs::metadata(output)?.len())
}

/// `.<name>.partial` beside `output`.
fn partial_path(output: &Path) -> Result<PathBuf> {
    let name = output.file_name().with_context(|| format!("backup: {} is not a file name", output.display()))?;
    let mut partial = std::ffi::OsString::from(".");
    partial.push(name);
    partial.push(".partial");
    Ok(output.with_file_name(partial))
}

/// An empty file only the owner may read: the dump holds personal data and password
/// hashes, and pg_dump keeps the mode of the file it truncates.
fn create_private_file(path: &Path) -> std::io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map(|_| ())
}

/// Restores a dump made by [`backup`] into the target database, then applies
/// pending migrations (an older backup is brought up to date). With `app_role`,
/// the backup's privileges are skipped and that role is given its rights anew
/// (the embedded cluster); without, the backup's privileges are restored as they
/// were (an external server, whose roles must exist).
pub async fn restore(target: &Target, input: &Path, on_existing: OnExisting, app_role: Option<&str>) -> Result<()> {
    let database = target.database()?;
    let context = || format!("restore of {} into database {database}", input.display());
    run_tool(target, "pg_restore", &["--list".as_ref(), input.as_os_str()])
        .await
        .with_context(|| format!("restore: {} is not a readable backup (pg_dump custom format)", input.display()))?;
    let pool = connect(&target.options).await?;
    let occupied = has_application_tables(&pool).await;
    pool.close().await;
    match (occupied?, on_existing) {
        (false, _) => restore_in_place(target, input, false, app_role).await.with_context(context),
        (true, OnExisting::Refuse) => bail!(
            "restore refused: database {database} already holds the application's tables; \
             run restore with --replace to replace them (their current contents are lost)"
        ),
        (true, OnExisting::Recreate) => recreate(target, input, app_role).await.with_context(context),
        (true, OnExisting::Clean) => {
            ensure_not_newer(target, input).await?;
            restore_in_place(target, input, true, app_role).await.with_context(context)
        }
    }
}

/// pg_restore in one transaction (nothing changes if it fails), then migrations
/// and the application role's rights.
async fn restore_in_place(target: &Target, input: &Path, clean: bool, app_role: Option<&str>) -> Result<()> {
    let database = target.database()?;
    let mut flags = vec!["--no-owner", "--exit-on-error", "--single-transaction"];
    if clean {
        flags.extend(["--clean", "--if-exists"]);
    }
    if app_role.is_some() {
        flags.push("--no-acl");
    }
    let mut args: Vec<&OsStr> = flags.into_iter().map(OsStr::new).collect();
    args.extend([OsStr::new("--dbname"), database.as_ref(), input.as_os_str()]);
    run_tool(target, "pg_restore", &args).await?;
    let pool = connect(&target.options).await?;
    let finished = finish(&pool, app_role).await;
    pool.close().await;
    finished
}

async fn finish(pool: &PgPool, app_role: Option<&str>) -> Result<()> {
    bootstrap::migrate(pool).await.context("migrating the restored database")?;
    if let Some(role) = app_role {
        bootstrap::grant_app_rights(pool, role).await.context("granting the application role its rights")?;
    }
    Ok(())
}

/// Restores into `<database>_restoring`, then swaps it in for the database.
async fn recreate(target: &Target, input: &Path, app_role: Option<&str>) -> Result<()> {
    let database = target.database()?;
    let staging = format!("{database}_restoring");
    let admin = connect(&target.options.clone().database("postgres")).await?;
    let swapped = async {
        admin.execute(format!("drop database if exists {} with (force)", quote(&staging)).as_str()).await?;
        admin.execute(format!("create database {}", quote(&staging)).as_str()).await?;
        if let Err(err) = restore_in_place(&target.with_database(&staging), input, false, app_role).await {
            let _ = admin.execute(format!("drop database {} with (force)", quote(&staging)).as_str()).await;
            return Err(err);
        }
        admin.execute(format!("drop database {} with (force)", quote(database)).as_str()).await?;
        admin.execute(format!("alter database {} rename to {}", quote(&staging), quote(database)).as_str()).await?;
        Ok(())
    }
    .await;
    admin.close().await;
    swapped
}

/// Refuses a clean restore over a database with migrations the backup lacks: their
/// tables would survive it and the next migration run would trip over them.
async fn ensure_not_newer(target: &Target, input: &Path) -> Result<()> {
    let pool = connect(&target.options).await?;
    let current = applied_migration(&pool).await;
    pool.close().await;
    let current = current?;
    let in_backup = backup_migration(target, input).await?;
    if current > in_backup {
        bail!(
            "restore refused: database {} has migration {current}, newer than the backup's {in_backup}; \
             drop and recreate the database empty, then restore without --replace",
            target.database()?
        );
    }
    Ok(())
}

/// The latest migration applied to the database (0 for none).
async fn applied_migration(pool: &PgPool) -> Result<i64> {
    let exists: bool =
        sqlx::query_scalar("select to_regclass('public._sqlx_migrations') is not null").fetch_one(pool).await?;
    if !exists {
        return Ok(0);
    }
    Ok(sqlx::query_scalar("select coalesce(max(version), 0) from public._sqlx_migrations").fetch_one(pool).await?)
}

/// The latest migration recorded in a backup (0 for none), read from the data of
/// its `_sqlx_migrations` table.
async fn backup_migration(target: &Target, input: &Path) -> Result<i64> {
    let args = ["--data-only", "--table=_sqlx_migrations", "--file=-"].map(OsStr::new);
    let out = run_tool(target, "pg_restore", &[args[0], args[1], args[2], input.as_os_str()])
        .await
        .with_context(|| format!("restore: reading the migrations recorded in {}", input.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let rows = text.lines().skip_while(|line| !line.starts_with("COPY ")).skip(1).take_while(|line| *line != "\\.");
    Ok(rows.filter_map(|row| row.split('\t').next()?.parse::<i64>().ok()).max().unwrap_or(0))
}

/// Whether the database holds any table of the application or its session store.
async fn has_application_tables(pool: &PgPool) -> Result<bool> {
    let found =
        sqlx::query_scalar("select exists (select 1 from pg_tables where schemaname in ('public', 'tower_sessions'))")
            .fetch_one(pool)
            .await?;
    Ok(found)
}

/// A connection for restoring: a large office's restore, migration or swap may
/// take longer than the application's statement timeout, so none applies here.
async fn connect(options: &PgConnectOptions) -> Result<PgPool> {
    let database = options.get_database().unwrap_or_default();
    PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone().options([("statement_timeout", "0")]))
        .await
        .with_context(|| format!("connecting to database {database}"))
}

/// Runs a client tool from the target's bin dir with the connection in PG*
/// variables (and none inherited), failing with its error output.
async fn run_tool(target: &Target, program: &str, args: &[&OsStr]) -> Result<Output> {
    let path = target.bin_dir.join(program);
    let mut command = Command::new(&path);
    command.arg("--no-password").args(args).stdin(Stdio::null());
    for (name, _) in std::env::vars_os().filter(|(name, _)| name.to_string_lossy().starts_with("PG")) {
        command.env_remove(name);
    }
    command.envs(libpq_env(&target.options));
    let out = match command.output().await {
        Err(e) if e.kind() == ErrorKind::NotFound => {
            bail!("{} not found: install the Debian package `postgresql-client`", path.display())
        }
        result => result.with_context(|| format!("running {}", path.display()))?,
    };
    if !out.status.success() {
        bail!("{program} failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(out)
}

/// libpq's environment variables for the same connection sqlx would make.
fn libpq_env(options: &PgConnectOptions) -> Vec<(&'static str, String)> {
    let host = match options.get_socket() {
        Some(dir) => dir.display().to_string(),
        None => options.get_host().to_string(),
    };
    let mut env = vec![
        ("PGHOST", host),
        ("PGPORT", options.get_port().to_string()),
        ("PGUSER", options.get_username().to_string()),
        ("PGAPPNAME", "cppcc-perf".to_string()),
    ];
    let url = options.to_url_lossy();
    if let Some(password) = url.password() {
        env.push(("PGPASSWORD", percent_decode(password)));
    }
    for (key, value) in url.query_pairs() {
        let name = match key.as_ref() {
            "sslmode" => "PGSSLMODE",
            "sslrootcert" => "PGSSLROOTCERT",
            "sslcert" => "PGSSLCERT",
            "sslkey" => "PGSSLKEY",
            _ => continue,
        };
        env.push((name, value.into_owned()));
    }
    env
}

/// Undoes the percent-encoding of a URL's password.
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// A quoted SQL identifier.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_decoded_and_stray_percent_signs_kept() {
        assert_eq!(percent_decode("p%40ss%2Fw%C3%B6rd"), "p@ss/wörd");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn the_password_reaches_libpq_in_the_environment_only() {
        let options: PgConnectOptions =
            "postgres://owner:s%40cret@db.internal:6543/cppcc?sslmode=require".parse().unwrap();
        let env = libpq_env(&options);
        let get = |name: &str| env.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
        assert_eq!(get("PGHOST"), Some("db.internal"));
        assert_eq!(get("PGPORT"), Some("6543"));
        assert_eq!(get("PGUSER"), Some("owner"));
        assert_eq!(get("PGPASSWORD"), Some("s@cret"));
        assert_eq!(get("PGSSLMODE"), Some("require"));
    }

    #[test]
    fn a_socket_directory_becomes_the_host() {
        let options = PgConnectOptions::new_without_pgpass().socket("/srv/data/postgres-run").username("a");
        assert_eq!(libpq_env(&options)[0], ("PGHOST", "/srv/data/postgres-run".to_string()));
    }

    #[test]
    fn the_partial_file_is_hidden_beside_the_output() {
        assert_eq!(partial_path(Path::new("/backups/cppcc.dump")).unwrap(), Path::new("/backups/.cppcc.dump.partial"));
    }
}

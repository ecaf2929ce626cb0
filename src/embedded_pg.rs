//! The private PostgreSQL cluster of a single-office install.
//!
//! The cluster lives in `<data dir>/postgres`, listens only on a unix socket in
//! `<data dir>/postgres-run`, and is started with `pg_ctl`. PostgreSQL refuses to
//! run as root, so when this process is root the cluster runs as the `postgres`
//! system user, which then owns both directories. That user must be able to
//! reach them: when root's data directory lies where it cannot (a checkout in
//! `/root`, mode 0700), the cluster lives under [`ROOT_CLUSTERS`] instead, in a
//! directory named after the data directory, and `<data dir>/postgres` is a
//! symbolic link to it so that an administrator finds it.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{Context, Result, bail};
use nix::unistd::{Gid, Uid, User, chown};
use sha2::{Digest, Sha256};
use sqlx::postgres::PgConnectOptions;

/// The cluster superuser: owns the database and runs migrations.
pub const SUPERUSER: &str = "cppcc_admin";
/// The role the application connects as: no UPDATE or DELETE on the audit log.
pub const APP_ROLE: &str = "cppcc_app";
/// The application's database.
pub const DATABASE: &str = "cppcc";
/// Where a root-run cluster lives when the `postgres` user cannot reach the data directory.
pub const ROOT_CLUSTERS: &str = "/var/lib/cppcc-perf";

#[derive(Debug, Clone)]
pub struct EmbeddedPostgres {
    cluster_dir: PathBuf,
    socket_dir: PathBuf,
    bin_dir: PathBuf,
    run_as: Option<(Uid, Gid)>,
}

impl EmbeddedPostgres {
    /// Finds the server binaries and decides which user runs the cluster.
    pub fn locate(data_dir: &Path) -> Result<EmbeddedPostgres> {
        fs::create_dir_all(data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
        let data_dir = data_dir.canonicalize()?;
        let bin_dir = find_bin_dir()?;
        if !Uid::effective().is_root() {
            return Ok(EmbeddedPostgres {
                cluster_dir: data_dir.join("postgres"),
                socket_dir: data_dir.join("postgres-run"),
                bin_dir,
                run_as: None,
            });
        }
        let user = User::from_name("postgres")?.context(
            "running as root, the embedded PostgreSQL needs the `postgres` system user: \
             install the Debian package `postgresql`",
        )?;
        let home = cluster_home(&data_dir, &user)?;
        Ok(EmbeddedPostgres {
            cluster_dir: home.join("postgres"),
            socket_dir: home.join("postgres-run"),
            bin_dir,
            run_as: Some((user.uid, user.gid)),
        })
    }

    /// The cluster's directory (it may lie outside the data directory, see the module comment).
    pub fn cluster_dir(&self) -> &Path {
        &self.cluster_dir
    }

    /// Starts the cluster, creating it on first use and clearing a stale pid file
    /// left by a crash. Answers false if it was already running (another process
    /// started it and will stop it).
    pub fn start(&self) -> Result<bool> {
        self.prepare_dir(&self.socket_dir)?;
        if !self.cluster_dir.join("PG_VERSION").exists() {
            self.prepare_dir(&self.cluster_dir)?;
            tracing::info!(dir = %self.cluster_dir.display(), "creating the embedded PostgreSQL cluster");
            self.run(
                "initdb",
                &["-D", path_str(&self.cluster_dir)?, "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"],
            )?;
        }
        if self.is_running()? {
            return Ok(false);
        }
        let pid_file = self.cluster_dir.join("postmaster.pid");
        if pid_file.exists() {
            tracing::warn!("removing the stale pid file of a cluster that is not running");
            fs::remove_file(&pid_file)?;
        }
        self.pg_ctl_start()?;
        Ok(true)
    }

    /// Whether the cluster died without being stopped (killed, or crashed):
    /// its pid file is there but its postmaster is not. A cluster stopped on
    /// purpose (`pg_ctl stop`, `cppcc-perf cluster stop`) has no pid file.
    pub fn crashed(&self) -> Result<bool> {
        let pid_file = self.cluster_dir.join("postmaster.pid");
        // Looked at again after the status: a clean stop removes the file as its last step.
        Ok(pid_file.exists() && !self.is_running()? && pid_file.exists())
    }

    /// Starts the cluster again after a crash; PostgreSQL recovers from its
    /// write-ahead log as it starts. The pid file is left to PostgreSQL, which
    /// replaces it only once no process of the dead server still uses its
    /// shared memory (until then this fails, and the caller tries again).
    pub fn restart_after_crash(&self) -> Result<()> {
        if !self.is_running()? {
            self.prepare_dir(&self.socket_dir)?;
            self.pg_ctl_start()?;
        }
        Ok(())
    }

    fn pg_ctl_start(&self) -> Result<()> {
        // random_page_cost: the data sit on SSD and mostly in memory; at the
        // default (4) the planner scans whole tables of a small office rather
        // than follow an index (the department board took 9 ms instead of 2.5).
        let options = format!(
            "-c listen_addresses='' -c unix_socket_directories='{}' -c unix_socket_permissions=0700 \
             -c shared_preload_libraries=pg_stat_statements -c max_connections=200 -c random_page_cost=1.1",
            path_str(&self.socket_dir)?
        );
        let log = self.cluster_dir.join("server.log");
        self.run(
            "pg_ctl",
            &["-D", path_str(&self.cluster_dir)?, "-l", path_str(&log)?, "-o", &options, "-w", "-t", "60", "start"],
        )?;
        Ok(())
    }

    /// Stops the cluster, finishing running statements quickly.
    pub fn stop(&self) -> Result<()> {
        if self.is_running()? {
            self.run("pg_ctl", &["-D", path_str(&self.cluster_dir)?, "-m", "fast", "-w", "stop"])?;
        }
        Ok(())
    }

    fn is_running(&self) -> Result<bool> {
        if !self.cluster_dir.join("PG_VERSION").exists() {
            return Ok(false);
        }
        // pg_ctl status: 0 running, 3 not running, 4 no accessible data directory.
        let out = self.command("pg_ctl", &["-D", path_str(&self.cluster_dir)?, "status"]).output()?;
        Ok(out.status.success())
    }

    /// Connection options for `database` as `user`, over the socket.
    pub fn connect_options(&self, user: &str, database: &str) -> PgConnectOptions {
        PgConnectOptions::new().socket(&self.socket_dir).username(user).database(database)
    }

    /// The directory of the server binaries; the client tools of the same
    /// version (pg_dump, pg_restore) live there too.
    pub fn bin_dir(&self) -> &Path {
        &self.bin_dir
    }

    /// A URL for tools such as psql and pg_dump.
    pub fn url(&self, user: &str, database: &str) -> String {
        format!("postgres://{user}@localhost/{database}?host={}", self.socket_dir.display())
    }

    fn prepare_dir(&self, dir: &Path) -> Result<()> {
        fs::create_dir_all(dir)?;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
        if let Some((uid, gid)) = self.run_as {
            chown(dir, Some(uid), Some(gid))?;
        }
        Ok(())
    }

    fn command(&self, program: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(self.bin_dir.join(program));
        cmd.args(args).current_dir(self.cluster_dir.parent().unwrap_or(Path::new("/")));
        cmd.env("LC_ALL", "C.UTF-8");
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid.as_raw()).gid(gid.as_raw()).env("HOME", &self.cluster_dir);
        }
        cmd
    }

    /// Runs a server tool; a failure names its cause and what to do about it.
    fn run(&self, program: &str, args: &[&str]) -> Result<Output> {
        let out = match self.command(program, args).output() {
            Ok(out) => out,
            Err(err) if err.kind() == std::io::ErrorKind::PermissionDenied => bail!(
                "running {program}: permission denied{}: the cluster directory {} and every directory above it \
                 must be open to the user that runs PostgreSQL; choose a data directory there (e.g. \
                 /var/lib/cppcc-perf), or set DATABASE_URL to use an external server",
                self.run_as.map(|_| " for the `postgres` user").unwrap_or_default(),
                self.cluster_dir.display()
            ),
            Err(err) => return Err(err).with_context(|| format!("running {}", self.bin_dir.join(program).display())),
        };
        if !out.status.success() {
            let log = fs::read_to_string(self.cluster_dir.join("server.log")).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(8).collect::<Vec<_>>().into_iter().rev().collect();
            bail!(
                "{program} failed: {}{}{}\nIf the data directory was copied or restored by hand, check that its \
                 owner is the user that runs PostgreSQL ({}); if another PostgreSQL uses it, stop that one first.",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                if program == "pg_ctl" && !tail.is_empty() {
                    format!("\nlast lines of {}:\n{}", self.cluster_dir.join("server.log").display(), tail.join("\n"))
                } else {
                    String::new()
                },
                if self.run_as.is_some() { "postgres" } else { "this user" },
            );
        }
        Ok(out)
    }
}

/// Where a root-run cluster for `data_dir` lives: the data directory itself
/// when the `postgres` user can reach it, else a directory of its own under
/// [`ROOT_CLUSTERS`], linked from `<data dir>/postgres`.
fn cluster_home(data_dir: &Path, user: &User) -> Result<PathBuf> {
    let link = data_dir.join("postgres");
    if let Ok(target) = fs::read_link(&link) {
        // Made by an earlier start: the cluster directory is the link's target.
        return target.parent().map(Path::to_path_buf).context("a cluster link without a parent");
    }
    if can_enter_all(data_dir, user) {
        return Ok(data_dir.to_path_buf());
    }
    if link.exists() {
        bail!(
            "the PostgreSQL cluster in {} cannot be reached by the `postgres` user, which runs it when \
             cppcc-perf runs as root: allow it into every parent directory (chmod o+x), or move the \
             data directory elsewhere (e.g. /var/lib/cppcc-perf)",
            link.display()
        );
    }
    let digest = Sha256::digest(data_dir.as_os_str().as_encoded_bytes());
    let name: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    let home = Path::new(ROOT_CLUSTERS).join(name);
    fs::create_dir_all(&home).with_context(|| format!("creating {}", home.display()))?;
    fs::set_permissions(ROOT_CLUSTERS, fs::Permissions::from_mode(0o755))?;
    fs::set_permissions(&home, fs::Permissions::from_mode(0o755))?;
    std::os::unix::fs::symlink(home.join("postgres"), &link)
        .with_context(|| format!("linking {} to {}", link.display(), home.display()))?;
    tracing::info!(
        data_dir = %data_dir.display(),
        cluster = %home.join("postgres").display(),
        "the postgres user cannot enter the data directory; the embedded cluster lives in its own directory"
    );
    eprintln!(
        "note: the `postgres` user cannot enter {}, so the embedded PostgreSQL cluster lives in {} \
         (linked from {})",
        data_dir.display(),
        home.join("postgres").display(),
        link.display()
    );
    Ok(home)
}

/// Whether `user` may enter `dir` and every directory above it.
fn can_enter_all(dir: &Path, user: &User) -> bool {
    use std::os::unix::fs::MetadataExt;
    dir.ancestors().all(|d| {
        let Ok(meta) = fs::metadata(d) else { return false };
        let mode = meta.mode();
        if meta.uid() == user.uid.as_raw() {
            mode & 0o100 != 0
        } else if meta.gid() == user.gid.as_raw() {
            mode & 0o010 != 0
        } else {
            mode & 0o001 != 0
        }
    })
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str().context("the data directory path must be UTF-8")
}

/// `pg_ctl` from PATH, or the newest `/usr/lib/postgresql/<version>/bin`.
fn find_bin_dir() -> Result<PathBuf> {
    newest_bin_dir(&["pg_ctl", "initdb"]).context(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package \
         `postgresql`, or set DATABASE_URL to use an external server",
    )
}

/// The bin directory of the newest PostgreSQL under `/usr/lib/postgresql` that
/// has every one of `tools`, else the first directory of PATH that has them.
pub fn newest_bin_dir(tools: &[&str]) -> Option<PathBuf> {
    let has_tools = |dir: &Path| tools.iter().all(|tool| dir.join(tool).exists());
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| has_tools(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).or_else(|| {
        let path = std::env::var_os("PATH").unwrap_or_default();
        std::env::split_paths(&path).find(|dir| has_tools(dir))
    })
}

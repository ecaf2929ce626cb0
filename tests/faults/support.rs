//! The machinery of the fault tests: demo data directories with their private
//! cluster, the real server binary on a free loopback port, a small browser
//! (cookies, CSRF token, Origin) over reqwest, a superuser connection for
//! setting up faults and checking the data, and guards that kill and stop what
//! a test started, also when it fails or runs out of time.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::future::Future;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use sqlx::{Connection, PgConnection};

/// The password of every demo account.
pub const PASSWORD: &str = "Demo@2026pass";

/// The longest one test may run, setup and cleanup included.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(90);

/// The advisory lock of the background task (src/db/tasks.rs). A test that
/// counts the server's database connections holds it, so the task, which first
/// runs five seconds after start, skips its work instead of taking a connection.
const TASK_LOCK: i64 = 735001;

/// Settings the server reads from the environment; removed from what the
/// test process passes on, so a developer's shell (a DATABASE_URL naming a
/// real database above all) never reaches the server under test.
const SERVER_SETTINGS: [&str; 19] = [
    "DATABASE_URL",
    "CPPCC_PERF_DATA_DIR",
    "BIND",
    "PUBLIC_URL",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "SESSION_IDLE_MINUTES",
    "SESSION_ABSOLUTE_HOURS",
    "SESSION_REFRESH_SECS",
    "DB_POOL_SIZE",
    "DB_ACQUIRE_TIMEOUT_SECS",
    "DB_STATEMENT_TIMEOUT_SECS",
    "REQUEST_TIMEOUT_SECS",
    "MAX_CONCURRENT_REQUESTS",
    "BENCH_BASELINE",
    "TASK_INTERVAL_SECS",
    "MAX_CONCURRENT_HASHES",
    "CPPCC_PERF_ADMIN_PASSWORD",
    "CPPCC_PERF_CLOCK",
];

/// One test at a time: each measures latencies on what may be a two-core
/// machine, and each runs its own cluster and server.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Runs a test alone and within [`TEST_TIMEOUT`]. What the test started is
/// stopped by its guards when the future ends, fails or is dropped on timeout.
pub async fn bounded(name: &str, test: impl Future<Output = ()>) {
    let _serial = SERIAL.lock().await;
    let started = Instant::now();
    if tokio::time::timeout(TEST_TIMEOUT, test).await.is_err() {
        panic!("{name}: did not finish within {TEST_TIMEOUT:?}");
    }
    eprintln!("[{name}] done in {:.1} s", started.elapsed().as_secs_f64());
}

/// The binary under test.
pub fn binary_path() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_cppcc-perf"))
}

fn binary() -> Command {
    binary_at(binary_path())
}

/// A command for the binary at `path`, with none of the server's settings inherited.
pub fn binary_at(path: &Path) -> Command {
    let mut command = Command::new(path);
    for name in SERVER_SETTINGS {
        command.env_remove(name);
    }
    command.env("LOG_LEVEL", "info").stdin(Stdio::null());
    command
}

fn run(mut command: Command, what: &str) -> Output {
    let out = command.output().unwrap_or_else(|err| panic!("{what}: {err}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A data directory under /tmp (short paths: the cluster's socket lives in
/// it). Dropping it stops its cluster, if any, and removes it.
pub struct DataDir {
    pub path: PathBuf,
}

impl DataDir {
    pub fn empty(tag: &str) -> DataDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = PathBuf::from(format!("/tmp/cppcc-faults-{}-{n}-{tag}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("create the data directory");
        DataDir { path }
    }

    /// A directory with the demo office loaded; its cluster is stopped.
    pub async fn demo(tag: &str) -> DataDir {
        let dir = DataDir::empty(tag);
        let started = Instant::now();
        let mut command = binary();
        command.arg("--data-dir").arg(&dir.path).arg("demo");
        tokio::task::spawn_blocking(move || run(command, "cppcc-perf demo")).await.unwrap();
        eprintln!("[{tag}] demo office loaded in {:.1} s", started.elapsed().as_secs_f64());
        dir
    }

    /// `cppcc-perf cluster start|stop` on this directory; the time it took.
    pub async fn cluster(&self, action: &'static str) -> Duration {
        let mut command = binary();
        command.arg("--data-dir").arg(&self.path).args(["cluster", action]);
        let started = Instant::now();
        tokio::task::spawn_blocking(move || run(command, "cppcc-perf cluster")).await.unwrap();
        started.elapsed()
    }

    /// The superuser's URL for the application's database, over the socket.
    pub fn superuser_url(&self) -> String {
        format!("postgres://cppcc_admin@localhost/cppcc?host={}/postgres-run", self.path.display())
    }

    /// A superuser connection to the application's database (the cluster must run).
    pub async fn superuser(&self) -> PgConnection {
        PgConnection::connect(&self.superuser_url()).await.expect("superuser connection")
    }

    /// Keeps the background task from running (see [`TASK_LOCK`]) while the
    /// returned connection is open. The cluster must run.
    pub async fn pause_background_task(&self) -> PgConnection {
        let mut conn = self.superuser().await;
        sqlx::query("select pg_advisory_lock($1)").bind(TASK_LOCK).execute(&mut conn).await.unwrap();
        conn
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        if self.path.join("postgres").join("PG_VERSION").exists() {
            let mut command = binary();
            command.arg("--data-dir").arg(&self.path).args(["cluster", "stop"]);
            match command.output() {
                Ok(out) if out.status.success() => {}
                Ok(out) => eprintln!("stopping the cluster in {} failed: {out:?}", self.path.display()),
                Err(err) => eprintln!("stopping the cluster in {} failed: {err}", self.path.display()),
            }
        }
        if std::thread::panicking() {
            eprintln!("(the failed test's data directory was {})", self.path.display());
        }
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// The server binary serving on a free loopback port; killed (SIGKILL) on drop.
pub struct Server {
    child: Option<Child>,
    pub port: u16,
    log: PathBuf,
}

impl Server {
    /// Starts `serve` on `dir` with the given settings and waits until it answers.
    pub async fn start(dir: &DataDir, settings: &[(&str, &str)]) -> Server {
        Server::start_binary(binary_path(), None, dir, settings).await
    }

    /// Like [`Server::start`], with the binary at `binary`, run from `cwd` when given.
    pub async fn start_binary(binary: &Path, cwd: Option<&Path>, dir: &DataDir, settings: &[(&str, &str)]) -> Server {
        for attempt in 1..=3 {
            // The port is free now; another process could take it before the
            // server binds it, so a failed start is retried on another port.
            let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap().local_addr().unwrap().port();
            let log = dir.path.join(format!("server-{port}.log"));
            let out = File::create(&log).expect("server log");
            let mut command = binary_at(binary);
            if let Some(cwd) = cwd {
                command.current_dir(cwd);
            }
            command
                .arg("--data-dir")
                .arg(&dir.path)
                .arg("--bind")
                .arg(format!("127.0.0.1:{port}"))
                .arg("serve")
                .envs(settings.iter().copied())
                .stdout(out.try_clone().unwrap())
                .stderr(out);
            let child = command.spawn().expect("spawn the server");
            let mut server = Server { child: Some(child), port, log };
            let started = Instant::now();
            if server.wait_until_up(Duration::from_secs(30)).await {
                eprintln!("server on port {port} up in {:.2} s", started.elapsed().as_secs_f64());
                return server;
            }
            eprintln!("server start {attempt} failed:\n{}", server.log_tail(30));
            server.kill();
        }
        panic!("the server did not start");
    }

    async fn wait_until_up(&mut self, limit: Duration) -> bool {
        let http = client();
        let url = self.url("/healthz");
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Some(Ok(Some(_))) = self.child.as_mut().map(Child::try_wait) {
                return false;
            }
            if let Ok(response) = http.get(&url).send().await
                && response.status() == StatusCode::OK
            {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// SIGKILL, as a crash or the OOM killer would, and reap the process.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Waits up to `limit` for the server to exit by itself; its exit status.
    pub async fn wait_for_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                self.child = None;
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        None
    }

    pub fn log_tail(&self, lines: usize) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if std::thread::panicking() && self.child.is_some() {
            eprintln!("--- last lines of the server on port {} ---\n{}", self.port, self.log_tail(40));
        }
        self.kill();
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A response with its body, and how long it took from sending to the last byte.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    pub elapsed: Duration,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    pub fn has_retry_after(&self) -> bool {
        self.headers.contains_key(header::RETRY_AFTER)
    }

    /// The value of field `name` in the form posting to `action`.
    pub fn form_value(&self, action: &str, name: &str) -> Option<String> {
        let form = self.body.split(&format!("action=\"{action}\"")).nth(1)?.split("</form>").next()?;
        let value = form.split(&format!("name=\"{name}\" value=\"")).nth(1)?;
        value.split('"').next().map(str::to_string)
    }
}

/// A browser-like client of one server: keeps cookies, picks up the CSRF token
/// from pages, and sends the Origin of the server it talks to. Cloning it
/// gives a tab of the same session, for concurrent requests.
#[derive(Clone)]
pub struct Browser {
    http: reqwest::Client,
    base: String,
    cookies: BTreeMap<String, String>,
    csrf: Option<String>,
}

impl Browser {
    pub fn new(server: &Server) -> Browser {
        Browser { http: client(), base: server.url(""), cookies: BTreeMap::new(), csrf: None }
    }

    /// The same cookies and token, sent to another server.
    pub fn on(&self, server: &Server) -> Browser {
        Browser { base: server.url(""), ..self.clone() }
    }

    /// Sends a request; the browser's cookies are not updated (see `get`/`post`).
    pub async fn send(&self, path: &str, form: Option<&[(&str, &str)]>) -> Page {
        self.try_send(path, form).await.unwrap_or_else(|err| panic!("{path}: {err}"))
    }

    /// Like `send`, but a refused or cut connection is an error, not a panic.
    pub async fn try_send(&self, path: &str, form: Option<&[(&str, &str)]>) -> Result<Page, reqwest::Error> {
        let url = format!("{}{path}", self.base);
        let mut request = match form {
            None => self.http.get(&url),
            Some(fields) => self
                .http
                .post(&url)
                .header(header::ORIGIN, &self.base)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(serde_html_form::to_string(fields).unwrap()),
        };
        if !self.cookies.is_empty() {
            let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request = request.header(header::COOKIE, cookie.join("; "));
        }
        let started = Instant::now();
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await?;
        Ok(Page { status, headers, body, elapsed: started.elapsed() })
    }

    fn keep(&mut self, page: &Page) {
        for cookie in page.headers.get_all(header::SET_COOKIE) {
            let cookie = cookie.to_str().unwrap_or_default();
            let (pair, attributes) = cookie.split_once(';').unwrap_or((cookie, ""));
            let Some((name, value)) = pair.split_once('=') else { continue };
            if attributes.contains("Max-Age=0") || value.is_empty() {
                self.cookies.remove(name.trim());
            } else {
                self.cookies.insert(name.trim().to_string(), value.to_string());
            }
        }
        if let Some(token) = page.body.split("name=\"csrf-token\" content=\"").nth(1).and_then(|s| s.split('"').next())
        {
            self.csrf = Some(token.to_string());
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let page = self.send(path, None).await;
        self.keep(&page);
        page
    }

    /// The fields with the CSRF token added, as a form posts them.
    pub fn with_token<'a>(&'a self, fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let token = self.csrf.as_deref().expect("no CSRF token yet: get a page first");
        let mut all = vec![("_csrf", token)];
        all.extend_from_slice(fields);
        all
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.send(path, Some(&self.with_token(fields))).await;
        self.keep(&page);
        page
    }

    /// Signs in with the demo password and opens the home page.
    pub async fn sign_in(&mut self, username: &str) {
        self.get("/login").await;
        let page = self.post("/login", &[("username", username), ("password", PASSWORD)]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "sign-in as {username}: {}", page.body);
        let home = self.get("/").await;
        assert_eq!(home.status, StatusCode::OK, "home of {username}");
    }
}

/// A table locked in ACCESS EXCLUSIVE mode by an open superuser transaction,
/// so that every statement of the application touching it waits. Dropping the
/// guard closes the connection, which releases the lock.
pub struct TableLock {
    conn: PgConnection,
}

impl TableLock {
    pub async fn take(dir: &DataDir, table: &str) -> TableLock {
        let mut conn = dir.superuser().await;
        sqlx::query("begin").execute(&mut conn).await.unwrap();
        sqlx::query(&format!("lock table {table} in access exclusive mode")).execute(&mut conn).await.unwrap();
        TableLock { conn }
    }

    pub async fn release(mut self) {
        sqlx::query("rollback").execute(&mut self.conn).await.unwrap();
    }
}

/// Home-page requests kept waiting on a lock of the person table (taken
/// outside the application), each holding a request slot and a connection.
pub struct HeldRequests {
    lock: TableLock,
    requests: Vec<tokio::task::JoinHandle<Page>>,
}

impl HeldRequests {
    /// Sends `count` requests and returns once every one of them waits.
    pub async fn start(dir: &DataDir, db: &mut PgConnection, browser: &Browser, count: usize) -> HeldRequests {
        let lock = TableLock::take(dir, "person").await;
        let requests = (0..count)
            .map(|_| {
                let tab = browser.clone();
                tokio::spawn(async move { tab.send("/", None).await })
            })
            .collect();
        eventually("the held requests wait on the lock", Duration::from_secs(10), async || {
            lock_waiters(db).await >= count as i64
        })
        .await;
        HeldRequests { lock, requests }
    }

    /// Releases the lock: every held request completes with 200. How long each took.
    pub async fn release(self) -> Vec<Duration> {
        self.lock.release().await;
        let mut waited = Vec::new();
        for request in self.requests {
            let page = request.await.unwrap();
            assert_eq!(page.status, StatusCode::OK, "a held request completes: {}", page.body);
            waited.push(page.elapsed);
        }
        waited
    }
}

/// Statements of the application waiting for a lock.
pub async fn lock_waiters(db: &mut PgConnection) -> i64 {
    sqlx::query_scalar(
        "select count(*) from pg_stat_activity where application_name = 'cppcc-perf' and wait_event_type = 'Lock'",
    )
    .fetch_one(db)
    .await
    .unwrap()
}

pub async fn count(db: &mut PgConnection, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db).await.unwrap_or_else(|err| panic!("{sql}: {err}"))
}

/// Polls `check` every 50 ms until it holds; how long that took. Panics after `limit`.
pub async fn eventually(what: &str, limit: Duration, mut check: impl AsyncFnMut() -> bool) -> Duration {
    let started = Instant::now();
    loop {
        if check().await {
            return started.elapsed();
        }
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// "n 16, min 3 ms, median 5 ms, max 12 ms".
pub fn spread(durations: &[Duration]) -> String {
    let mut ms: Vec<f64> = durations.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    if ms.is_empty() {
        return "n 0".into();
    }
    ms.sort_by(f64::total_cmp);
    format!("n {}, min {:.0} ms, median {:.0} ms, max {:.0} ms", ms.len(), ms[0], ms[ms.len() / 2], ms[ms.len() - 1])
}

/// The texts of a locale key in every language, cut before the first
/// character HTML escaping would change, to look for in a page.
pub fn locale_texts(key: &str) -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/locales");
    let mut texts = Vec::new();
    for lang in fs::read_dir(&root).expect("src/locales") {
        for file in fs::read_dir(lang.unwrap().path()).unwrap() {
            let text = fs::read_to_string(file.unwrap().path()).unwrap_or_default();
            for line in text.lines() {
                if let Some(value) = line.strip_prefix(key).and_then(|rest| rest.trim_start().strip_prefix('=')) {
                    let value = value.trim();
                    let cut = value.find(['&', '<', '>', '"', '\'']).unwrap_or(value.len());
                    texts.push(value[..cut].to_string());
                }
            }
        }
    }
    assert!(!texts.is_empty(), "no locale has {key}");
    texts
}

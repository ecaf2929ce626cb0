//! The test harness: a fresh database per test (cloned from a migrated
//! template), the real router, and a small browser-like client that keeps
//! cookies and the CSRF token.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use chrono::NaiveDate;
use cppcc_perf::auth::password::Passwords;
use cppcc_perf::clock::Clock;
use cppcc_perf::config::Config;
use cppcc_perf::db::{self, people};
use cppcc_perf::domain::identity::IdentityType;
use cppcc_perf::domain::roles::{Role, RoleGrant};
use cppcc_perf::embedded_pg::{EmbeddedPostgres, SUPERUSER};
use cppcc_perf::{AppState, app};
use http_body_util::BodyExt;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Executor, PgPool};
use tower::ServiceExt;

/// The password of every person the tests create.
pub const PASSWORD: &str = "Test-password-1";

/// Connection options for the test server's `postgres` database:
/// `TEST_DATABASE_URL` when given (a server where the tests may create
/// databases), else a private cluster under /tmp for this checkout. Never
/// `DATABASE_URL`, which may name a real office's database.
fn server_options() -> &'static PgConnectOptions {
    static OPTIONS: OnceLock<PgConnectOptions> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        if let Ok(url) = std::env::var("TEST_DATABASE_URL") {
            return url.parse::<PgConnectOptions>().expect("TEST_DATABASE_URL").database("postgres");
        }
        let dir = std::env::var("CPPCC_PERF_TEST_PG_DIR").unwrap_or_else(|_| {
            let tag: u32 =
                env!("CARGO_MANIFEST_DIR").bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32));
            format!("/tmp/cppcc-perf-test-{tag:08x}")
        });
        let pg = EmbeddedPostgres::locate(std::path::Path::new(&dir)).expect("PostgreSQL binaries");
        pg.start().expect("start the test cluster");
        pg.connect_options(SUPERUSER, "postgres")
    })
}

/// The migrated template database, created once per migration set.
async fn template_name() -> String {
    let checksum: String = db::MIGRATOR.iter().map(|m| format!("{}{:x?}", m.version, &m.checksum[..4])).collect();
    let tag: u32 = checksum.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32));
    let name = format!("cppcc_template_{tag:08x}");
    let admin = PgPoolOptions::new().max_connections(1).connect_with(server_options().clone()).await.unwrap();
    // Several test processes may race to build it.
    admin.execute("select pg_advisory_lock(4242)").await.unwrap();
    let exists: bool = sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
        .bind(&name)
        .fetch_one(&admin)
        .await
        .unwrap();
    if !exists {
        admin.execute(format!("create database {name}_building").as_str()).await.unwrap();
        let building = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(server_options().clone().database(&format!("{name}_building")))
            .await
            .unwrap();
        db::bootstrap::migrate(&building).await.unwrap();
        building.close().await;
        admin.execute(format!("alter database {name}_building rename to {name}").as_str()).await.unwrap();
    }
    admin.execute("select pg_advisory_unlock(4242)").await.unwrap();
    admin.close().await;
    name
}

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        std::thread::spawn(|| {
            tokio::runtime::Runtime::new().unwrap().block_on(Passwords::new(1).hash(PASSWORD.into())).unwrap()
        })
        .join()
        .unwrap()
    })
}

/// The day every test app's clock starts on unless a test pins another:
/// 10:00 office time, a Friday in the implementation stage of 2026.
pub fn test_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// A fresh database with the application on it, on a pinned clock.
pub struct TestApp {
    pub pool: PgPool,
    pub router: Router,
    /// The application's clock: tests read today from it and may move it.
    pub clock: Clock,
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_config(|_| {}).await
    }

    /// A test app whose clock stands at 10:00 of `day`.
    pub async fn on(day: NaiveDate) -> TestApp {
        TestApp::with_config(|config| config.clock = Some(Clock::pinned_on(day, 10))).await
    }

    /// Today, by the application's clock.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// A test app whose configuration `adjust` may change (timeouts, limits).
    pub async fn with_config(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let template = template_name().await;
        let database = format!("test_{}", uuid::Uuid::new_v4().simple());
        let admin = PgPoolOptions::new().max_connections(1).connect_with(server_options().clone()).await.unwrap();
        admin.execute(format!("create database {database} template {template}").as_str()).await.unwrap();
        admin.close().await;
        let mut config = Config::for_tests("postgres://unused@localhost/unused");
        config.db_pool_size = 5;
        config.clock = Some(Clock::pinned_on(test_day(), 10));
        adjust(&mut config);
        let pool = db::pool(&config, server_options().clone().database(&database)).await.unwrap();
        let state = AppState::new(pool.clone(), &config);
        let clock = state.clock.clone();
        TestApp { router: app(state), pool, clock }
    }

    /// A browser with no cookies.
    pub fn client(&self) -> Client {
        Client { router: self.router.clone(), cookies: HashMap::new(), csrf: None, ip: [127, 0, 0, 1] }
    }

    /// Creates an active person who need not change the password.
    pub async fn person(&self, username: &str, full_name: &str, grants: &[(Role, Option<i64>)]) -> i64 {
        let mut conn = self.pool.acquire().await.unwrap();
        let data = people::PersonData {
            username: username.into(),
            full_name: full_name.into(),
            identity_type: IdentityType::CivilServant,
            rank: String::new(),
            department_id: None,
            phone: String::new(),
            active: true,
        };
        let id = people::create(&mut conn, &data, password_hash()).await.unwrap();
        sqlx::query("update person set must_change_password = false where id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await
            .unwrap();
        let grants: Vec<RoleGrant> = grants
            .iter()
            .map(|(role, department_id)| RoleGrant { role: *role, department_id: *department_id })
            .collect();
        people::replace_grants(&mut conn, id, &grants).await.unwrap();
        id
    }

    /// A person of `department` holding `grants`.
    pub async fn member(
        &self,
        username: &str,
        full_name: &str,
        department: i64,
        grants: &[(Role, Option<i64>)],
    ) -> i64 {
        let id = self.person(username, full_name, grants).await;
        sqlx::query("update person set department_id = $2 where id = $1")
            .bind(id)
            .bind(department)
            .execute(&self.pool)
            .await
            .unwrap();
        id
    }

    /// A cycle of `kind` (`annual`, `quarterly`) over `start`–`end` in the
    /// assessment stage, its assessment and feedback running into early 2027.
    pub async fn cycle_in_assessment(&self, name: &str, kind: &str, start: &str, end: &str) -> i64 {
        sqlx::query_scalar(
            "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until,
                                assessment_until, feedback_until, stage)
             values ($1, $2::cycle_kind, $3::date, $4::date, $3::date, $4::date, '2027-01-31', '2027-03-01', 'assessment')
             returning id",
        )
        .bind(name)
        .bind(kind)
        .bind(start)
        .bind(end)
        .fetch_one(&self.pool)
        .await
        .unwrap()
    }

    /// The 2025 annual cycle, decided by `decided_by` on 2026-01-20 with its
    /// publicity until 2026-01-27, so final from 2026-01-28.
    pub async fn decided_2025(&self, decided_by: i64) -> i64 {
        let cycle: i64 = sqlx::query_scalar(
            "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until,
                                assessment_until, feedback_until, stage)
             values ('2025年度考核', 'annual', '2025-01-01', '2025-12-31', '2025-01-31', '2025-12-31',
                     '2026-01-31', '2026-02-28', 'feedback') returning id",
        )
        .fetch_one(&self.pool)
        .await
        .unwrap();
        sqlx::query(
            "insert into assessment_decision (cycle_id, decided_by, decided_at, publicity_from, publicity_until)
             values ($1, $2, '2026-01-20 10:00+08', '2026-01-20', '2026-01-27')",
        )
        .bind(cycle)
        .bind(decided_by)
        .execute(&self.pool)
        .await
        .unwrap();
        cycle
    }

    /// A frozen annual result of `person` in `cycle`: `grade` is an annual
    /// grade's code (`excellent`, `competent` …), computed and decided alike.
    pub async fn annual_result(&self, cycle: i64, person: i64, department: i64, score: &str, grade: &str) {
        let grade = serde_json::json!({ "cycle": "annual", "grade": grade });
        sqlx::query(
            "insert into assessment_result (cycle_id, person_id, department_id, score, computed, grade)
             values ($1, $2, $3, $4::numeric, $5, $5)",
        )
        .bind(cycle)
        .bind(person)
        .bind(department)
        .bind(score)
        .bind(grade)
        .execute(&self.pool)
        .await
        .unwrap();
    }

    /// A department, for scoped roles.
    pub async fn department(&self, name: &str) -> i64 {
        let mut conn = self.pool.acquire().await.unwrap();
        let data = db::departments::DepartmentData {
            name: name.into(),
            kind: cppcc_perf::domain::identity::DepartmentKind::General,
            sort_order: 0,
            active: true,
        };
        db::departments::create(&mut conn, &data).await.unwrap()
    }

    /// A signed-in client for a new person holding `role` (scoped roles get a new department).
    pub async fn signed_in(&self, role: Role) -> Client {
        let department = if role.is_department_scoped() {
            Some(self.department(&format!("处室{}", role.code())).await)
        } else {
            None
        };
        let username = role.code().replace('_', "-");
        self.person(&username, &format!("测试{}", role.code()), &[(role, department)]).await;
        let mut client = self.client();
        client.login(&username, PASSWORD).await;
        client
    }

    /// A signed-in client for an existing person.
    pub async fn login_as(&self, username: &str) -> Client {
        let mut client = self.client();
        client.login(username, PASSWORD).await;
        client
    }

    /// A signed-in client for a new person `username` holding `grants`.
    pub async fn signed_in_as(&self, username: &str, grants: &[(Role, Option<i64>)]) -> Client {
        self.person(username, username, grants).await;
        self.login_as(username).await
    }

    /// Loads the official 2026 work-day calendar (holidays and make-up days).
    pub async fn seed_2026_calendar(&self) {
        db::calendar::seed_official_2026(&mut self.pool.acquire().await.unwrap()).await.unwrap();
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.unwrap()
    }
}

/// A response with its body read.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent, for downloads.
    pub bytes: Vec<u8>,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The first sheet of a downloaded workbook, after checking it is one.
    #[track_caller]
    pub fn xlsx(&self) -> calamine::Range<calamine::Data> {
        use calamine::Reader;
        assert_eq!(self.status, StatusCode::OK, "{}", self.body);
        assert_eq!(self.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        assert!(self.header("content-disposition").starts_with("attachment;"));
        let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(self.bytes.clone())).expect("an xlsx workbook");
        workbook.worksheet_range_at(0).expect("a sheet").expect("a readable sheet")
    }

    /// Whether the downloaded workbook's first sheet is protected against edits.
    #[track_caller]
    pub fn xlsx_protected(&self) -> bool {
        use std::io::Read;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(self.bytes.clone())).expect("an xlsx archive");
        let mut xml = String::new();
        archive.by_name("xl/worksheets/sheet1.xml").expect("a first sheet").read_to_string(&mut xml).unwrap();
        xml.contains("<sheetProtection")
    }

    #[track_caller]
    pub fn assert_contains(&self, text: &str) {
        assert!(self.body.contains(text), "expected {text:?} in a {} page:\n{}", self.status, self.body);
    }
}

/// A row of an exported sheet as text (a number as calamine shows it, an empty cell as "").
pub fn sheet_row(sheet: &calamine::Range<calamine::Data>, row: u32) -> Vec<String> {
    (0..sheet.width() as u32)
        .map(|col| sheet.get_value((row, col)).map(ToString::to_string).unwrap_or_default())
        .collect()
}

/// The first data row whose cell in `col` is `text`.
#[track_caller]
pub fn sheet_row_of(sheet: &calamine::Range<calamine::Data>, col: u32, text: &str) -> u32 {
    (3..sheet.height() as u32)
        .find(|row| sheet.get_value((*row, col)).is_some_and(|v| format!("{v}") == text))
        .unwrap_or_else(|| panic!("no row with {text:?} in column {col}"))
}

/// Whether any cell of the sheet contains `text`.
pub fn sheet_mentions(sheet: &calamine::Range<calamine::Data>, text: &str) -> bool {
    sheet.cells().any(|(_, _, value)| value.to_string().contains(text))
}

/// A browser-like client: keeps cookies and picks up the CSRF token from pages.
pub struct Client {
    router: Router,
    cookies: HashMap<String, String>,
    pub csrf: Option<String>,
    pub ip: [u8; 4],
}

impl Client {
    pub async fn request(
        &mut self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        extra: &[(&str, &str)],
    ) -> Page {
        // Like a current browser: Sec-Fetch-Site unless the caller sets it (an empty value omits it).
        let mut builder = Request::builder().method(method).uri(path);
        if !extra.iter().any(|(name, _)| name.eq_ignore_ascii_case("sec-fetch-site")) {
            builder = builder.header("sec-fetch-site", "same-origin");
        }
        if !self.cookies.is_empty() {
            let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            builder = builder.header(header::COOKIE, cookie.join("; "));
        }
        if let Some(content_type) = content_type {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        for (name, value) in extra.iter().filter(|(_, value)| !value.is_empty()) {
            builder = builder.header(*name, *value);
        }
        let mut request = builder.body(Body::from(body)).unwrap();
        request.extensions_mut().insert(ConnectInfo(SocketAddr::from((self.ip, 40000))));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for cookie in headers.get_all(header::SET_COOKIE) {
            let cookie = cookie.to_str().unwrap();
            let (pair, attributes) = cookie.split_once(';').unwrap_or((cookie, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attributes.contains("Max-Age=0") || value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(token) = body.split("name=\"csrf-token\" content=\"").nth(1).and_then(|s| s.split('"').next()) {
            self.csrf = Some(token.to_string());
        }
        Page { status, headers, body, bytes: bytes.to_vec() }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.request(Method::GET, path, None, Vec::new(), &[]).await
    }

    /// Posts a form with the current CSRF token (fetching a page first if none).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        if self.csrf.is_none() {
            self.get("/login").await;
        }
        let token = self.csrf.clone().unwrap_or_default();
        let mut all = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts exactly the given fields (no token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_html_form::to_string(fields).unwrap();
        self.request(Method::POST, path, Some("application/x-www-form-urlencoded"), body.into_bytes(), &[]).await
    }

    /// Signs in and asserts it worked.
    pub async fn login(&mut self, username: &str, password: &str) {
        let page = self.try_login(username, password).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "sign-in as {username} failed: {}", page.body);
        self.get("/").await;
    }

    pub async fn try_login(&mut self, username: &str, password: &str) -> Page {
        self.get("/login").await;
        self.post("/login", &[("username", username), ("password", password)]).await
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.cookies.get("cppcc_session").cloned()
    }

    pub fn set_session_cookie(&mut self, value: &str) {
        self.cookies.insert("cppcc_session".into(), value.into());
    }
}

/// A day of 2026, the year of the official calendar the tests use.
pub fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

/// The rows of an exported sheet below its header (title, export line and
/// header take rows 0–2), each cell as text: numbers as Excel holds them,
/// dates and empty cells as "".
pub fn sheet_rows(sheet: &calamine::Range<calamine::Data>) -> Vec<Vec<String>> {
    use calamine::Data;
    sheet
        .rows()
        .skip(3)
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::String(text) => text.clone(),
                    Data::Float(value) => value.to_string(),
                    Data::Int(value) => value.to_string(),
                    _ => String::new(),
                })
                .collect()
        })
        .collect()
}

/// How many rows of a page's table carry an id starting with `prefix`
/// (`<tr id="supervision-`), to compare with an export of the same list.
pub fn table_rows(page: &Page, prefix: &str) -> usize {
    page.body.matches(&format!("<tr id=\"{prefix}")).count()
}

/// A multipart/form-data body of `(name, file name, content)` fields, in
/// order, and its content type.
pub fn multipart(fields: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----cppcc-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, file_name, content) in fields {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes());
        if let Some(file_name) = file_name {
            body.extend_from_slice(
                format!("; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream").as_bytes(),
            );
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

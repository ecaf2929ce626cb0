//! What every page carries (the signed-in person, language, navigation, flash,
//! CSRF token) and how pages are rendered.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use fluent_templates::fluent_bundle::FluentValue;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::middleware::request_lang;
use crate::auth::csrf;
use crate::auth::session::{CurrentUser, session_of};
use crate::db::people::Principal;
use crate::domain::policy::{self, Permission};
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult, ErrorPage};
use crate::i18n::Lang;
use crate::state::AppState;

const FLASH_KEY: &str = "flash";

/// A one-time message shown on the next page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flash {
    pub success: bool,
    pub key: String,
    pub name: Option<String>,
}

impl Flash {
    pub fn success(key: &str) -> Flash {
        Flash { success: true, key: key.into(), name: None }
    }

    pub fn success_named(key: &str, name: impl Into<String>) -> Flash {
        Flash { success: true, key: key.into(), name: Some(name.into()) }
    }

    pub fn error(key: &str) -> Flash {
        Flash { success: false, key: key.into(), name: None }
    }

    pub fn error_named(key: &str, name: impl Into<String>) -> Flash {
        Flash { success: false, key: key.into(), name: Some(name.into()) }
    }

    /// Stores the message for the next page.
    pub async fn set(self, session: &Session) -> AppResult<()> {
        session.insert(FLASH_KEY, self).await?;
        Ok(())
    }
}

/// One entry of the navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub key: &'static str,
    pub href: &'static str,
    pub current: bool,
}

/// Who sees a navigation entry.
enum Shown {
    ToEveryone,
    With(Permission),
    ToRoles(&'static [Role]),
}

/// The stage of the cycle an entry belongs to, for grouping the navigation;
/// `None` for the home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Plan,
    Monitor,
    Assess,
    Feedback,
    Settings,
}

impl Section {
    fn label_key(self) -> Option<&'static str> {
        match self {
            Section::None => None,
            Section::Plan => Some("nav-section-plan"),
            Section::Monitor => Some("nav-section-monitor"),
            Section::Assess => Some("nav-section-assess"),
            Section::Feedback => Some("nav-section-feedback"),
            Section::Settings => Some("nav-section-settings"),
        }
    }
}

/// A group of the navigation: a stage's entries under its name.
#[derive(Debug, Clone)]
pub struct NavGroup {
    /// The locale key of the group's name; `None` for the ungrouped home link.
    pub label: Option<&'static str>,
    pub items: Vec<NavItem>,
}

const STAFF_AND_OVERSIGHT: &[Role] = &[
    Role::Staff,
    Role::SupervisionOfficer,
    Role::DepartmentHead,
    Role::SupervisingLeader,
    Role::AssessmentCommittee,
    Role::Auditor,
];

/// The navigation: (section, label key, address, who sees it), grouped by the
/// stages of the cycle (plan, monitor, assess) and the settings. Later stages
/// add theirs here.
const NAV: &[(Section, &str, &str, Shown)] = &[
    (Section::None, "nav-home", "/", Shown::ToEveryone),
    (Section::None, "nav-dashboard", "/dashboard", Shown::With(Permission::ViewOfficeBoard)),
    (Section::Plan, "nav-my-targets", "/plan/my", Shown::ToRoles(&[Role::Staff])),
    (Section::Plan, "nav-department-targets", "/plan/department", Shown::ToRoles(&[Role::DepartmentHead])),
    (Section::Plan, "nav-overseen", "/plan/overseen", Shown::ToRoles(&[Role::SupervisingLeader])),
    (Section::Plan, "nav-queue", "/plan/queue", Shown::ToRoles(&[Role::DepartmentHead, Role::SupervisingLeader])),
    (Section::Plan, "nav-plan-board", "/plan/board", Shown::With(Permission::ViewAllPlans)),
    (
        Section::Plan,
        "nav-target-import",
        "/plan/import",
        Shown::ToRoles(&[Role::PerformanceOffice, Role::DepartmentHead]),
    ),
    (Section::Plan, "nav-commitments", "/commitments", Shown::ToEveryone),
    (Section::Monitor, "nav-reports", "/monitor/reports", Shown::ToRoles(&[Role::Staff])),
    (
        Section::Monitor,
        "nav-verify",
        "/monitor/verify",
        Shown::ToRoles(&[Role::DepartmentHead, Role::SupervisingLeader]),
    ),
    (
        Section::Monitor,
        "nav-department-board",
        "/monitor/department",
        Shown::ToRoles(&[Role::DepartmentHead, Role::SupervisingLeader, Role::AssessmentCommittee]),
    ),
    (Section::Monitor, "nav-office-board", "/monitor/office", Shown::With(Permission::ViewOfficeBoard)),
    (Section::Monitor, "nav-supervision", "/supervision", Shown::ToRoles(STAFF_AND_OVERSIGHT)),
    (Section::Monitor, "nav-events", "/events", Shown::ToEveryone),
    (
        Section::Monitor,
        "nav-ledger",
        "/ledger",
        Shown::ToRoles(&[
            Role::Staff,
            Role::PerformanceOffice,
            Role::DepartmentHead,
            Role::SupervisingLeader,
            Role::AssessmentCommittee,
            Role::DisciplineInspection,
            Role::Auditor,
        ]),
    ),
    (
        Section::Monitor,
        "nav-absences",
        "/absences",
        Shown::ToRoles(&[Role::DepartmentHead, Role::PerformanceOffice, Role::SystemAdmin, Role::Auditor]),
    ),
    (Section::Assess, "nav-my-assessment", "/assess/my", Shown::ToRoles(&[Role::Staff])),
    (
        Section::Assess,
        "nav-summaries",
        "/assess/summaries",
        Shown::ToRoles(&[
            Role::DepartmentHead,
            Role::SupervisingLeader,
            Role::PerformanceOffice,
            Role::AssessmentCommittee,
        ]),
    ),
    (
        Section::Assess,
        "nav-ballots",
        "/assess/ballots",
        Shown::ToRoles(&[Role::Staff, Role::DepartmentHead, Role::SupervisingLeader, Role::PrincipalLeader]),
    ),
    (
        Section::Assess,
        "nav-scores",
        "/assess/scores",
        Shown::ToRoles(&[
            Role::DepartmentHead,
            Role::SupervisingLeader,
            Role::AssessmentCommittee,
            Role::PerformanceOffice,
            Role::Auditor,
        ]),
    ),
    (
        Section::Assess,
        "nav-department-ballots",
        "/assess/department-ballots",
        Shown::ToRoles(&[Role::DepartmentHead, Role::SupervisingLeader, Role::PrincipalLeader]),
    ),
    (
        Section::Assess,
        "nav-department-assessment",
        "/assess/departments",
        Shown::ToRoles(&[
            Role::DepartmentHead,
            Role::SupervisingLeader,
            Role::AssessmentCommittee,
            Role::PerformanceOffice,
            Role::Auditor,
        ]),
    ),
    (Section::Assess, "nav-publicity", "/assess/publicity", Shown::ToEveryone),
    (
        Section::Assess,
        "nav-surveys",
        "/assess/surveys",
        Shown::ToRoles(&[
            Role::PerformanceOffice,
            Role::AssessmentCommittee,
            Role::SupervisingLeader,
            Role::Auditor,
            Role::DepartmentHead,
        ]),
    ),
    (Section::Assess, "nav-discipline", "/discipline", Shown::With(Permission::ReadDisciplineRecords)),
    (Section::Assess, "nav-schemes", "/assess/schemes", Shown::With(Permission::ManageSchemes)),
    (Section::Feedback, "nav-feedback-board", "/feedback/board", Shown::With(Permission::ViewOfficeBoard)),
    (Section::Feedback, "nav-notices", "/feedback/notices", Shown::ToEveryone),
    (Section::Feedback, "nav-interviews", "/feedback/interviews", Shown::ToEveryone),
    (Section::Feedback, "nav-rectification", "/feedback/rectification", Shown::ToEveryone),
    // Stage 4: use of results (结果运用) and history.
    (Section::Feedback, "nav-my-history", "/feedback/my", Shown::ToRoles(&[Role::Staff, Role::DepartmentHead])),
    (Section::Feedback, "nav-result-use", "/feedback/proposals", Shown::ToRoles(&[Role::PerformanceOffice])),
    (
        Section::Feedback,
        "nav-trends",
        "/feedback/trends",
        Shown::ToRoles(&[Role::PerformanceOffice, Role::AssessmentCommittee, Role::DepartmentHead]),
    ),
    (Section::Feedback, "nav-appeals-my", "/feedback/appeals/my", Shown::ToRoles(&[Role::Staff])),
    (
        Section::Feedback,
        "nav-appeals",
        "/feedback/appeals",
        Shown::ToRoles(&[Role::AssessmentCommittee, Role::PerformanceOffice]),
    ),
    // The excellence self-assessment: readers, and department heads, who may be invited to score.
    (
        Section::Feedback,
        "nav-excellence",
        "/excellence",
        Shown::ToRoles(&[
            Role::PerformanceOffice,
            Role::SupervisingLeader,
            Role::PrincipalLeader,
            Role::AssessmentCommittee,
            Role::Auditor,
            Role::DepartmentHead,
        ]),
    ),
    (Section::Settings, "nav-cycles", "/cycles", Shown::With(Permission::ManageCycles)),
    (Section::Settings, "nav-calendar", "/calendar", Shown::With(Permission::ManageCalendar)),
    (Section::Settings, "nav-settings", "/settings", Shown::With(Permission::ManageSettings)),
    (Section::Settings, "nav-departments", "/org/departments", Shown::With(Permission::ViewOrganisation)),
    (Section::Settings, "nav-people", "/org/people", Shown::With(Permission::ViewOrganisation)),
    (Section::Settings, "nav-posts", "/org/posts", Shown::With(Permission::ViewOrganisation)),
    (Section::Settings, "nav-members", "/org/members", Shown::With(Permission::ViewMembers)),
    (Section::Settings, "nav-import", "/org/import", Shown::With(Permission::ImportRoster)),
    (Section::Settings, "nav-exports", "/exports", Shown::With(Permission::ViewAllPlans)),
    (Section::Settings, "nav-audit", "/audit", Shown::With(Permission::ReadAuditLog)),
];

/// The shared context of every page.
#[derive(Debug, Clone)]
pub struct PageContext {
    pub lang: Lang,
    pub user: Option<Principal>,
    pub csrf: String,
    pub flash: Option<Flash>,
    pub nav: Vec<NavGroup>,
    /// The path and query of this page, for the language switch to return to.
    pub here: String,
    pub asset_version: &'static str,
}

impl PageContext {
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    pub fn t_count(&self, key: &str, count: impl std::borrow::Borrow<i64>) -> String {
        self.lang.t_args(key, &[("count", FluentValue::from(*count.borrow()))])
    }

    /// A message with a file size (`$size`) written by `format_size`.
    pub fn t_size(&self, key: &str, bytes: impl std::borrow::Borrow<i64>) -> String {
        self.lang.t_args(key, &[("size", FluentValue::from(self.size(bytes.borrow())))])
    }

    /// A file size, the same units on every page.
    pub fn size<T: Copy + Into<i64>>(&self, bytes: &T) -> String {
        crate::domain::files::format_size((*bytes).into())
    }

    pub fn t_name(&self, key: &str, name: &str) -> String {
        self.lang.t_args(key, &[("name", FluentValue::from(name.to_string()))])
    }

    pub fn flash_text(&self) -> String {
        match &self.flash {
            Some(Flash { key, name: Some(name), .. }) => self.t_name(key, name),
            Some(Flash { key, name: None, .. }) => self.t(key),
            None => String::new(),
        }
    }

    /// The other language, offered by the switch.
    pub fn other_lang(&self) -> Lang {
        if self.lang == Lang::ZhCn { Lang::En } else { Lang::ZhCn }
    }

    /// A role's name in this language.
    pub fn role_name(&self, code: &str) -> String {
        crate::domain::roles::Role::from_code(code).map(|r| self.t(&r.label_key())).unwrap_or_else(|| code.to_string())
    }

    /// Data kept in both languages (a standard's names and questions): the
    /// English text on English pages when there is one, else the Chinese.
    pub fn in_lang<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        if self.lang == Lang::En && !en.trim().is_empty() { en } else { zh }
    }

    /// A decimal without trailing zeros ("98", "97.5").
    pub fn num(&self, value: &rust_decimal::Decimal) -> String {
        value.normalize().to_string()
    }

    /// An optional decimal, or a dash.
    pub fn opt_num(&self, value: &Option<rust_decimal::Decimal>) -> String {
        value.map(|v| v.normalize().to_string()).unwrap_or_else(|| "—".into())
    }

    /// Whether a weight total is exactly 100.
    pub fn is_hundred(&self, value: &rust_decimal::Decimal) -> bool {
        *value == rust_decimal::Decimal::from(100)
    }

    /// An optional date, or a dash.
    pub fn opt_date(&self, value: &Option<chrono::NaiveDate>) -> String {
        value.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
    }

    /// The badge class of a plan status.
    pub fn status_badge(&self, status: &crate::domain::plan::PlanStatus) -> &'static str {
        use crate::domain::plan::PlanStatus::*;
        match status {
            Draft => "badge",
            Submitted => "badge badge-warn",
            Returned => "badge badge-danger",
            Approved => "badge badge-ok",
        }
    }

    /// Formats a UTC time in the office's time zone (Asia/Shanghai).
    pub fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        at.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

fn nav_for(user: Option<&Principal>, path: &str) -> Vec<NavGroup> {
    let Some(user) = user else { return Vec::new() };
    let mut groups: Vec<(Section, NavGroup)> = Vec::new();
    let shown = NAV.iter().filter(|(_, _, _, shown)| match shown {
        Shown::ToEveryone => true,
        Shown::With(permission) => policy::allows(&user.grants, *permission),
        Shown::ToRoles(roles) => user.grants.has_any(roles),
    });
    for (section, key, href, _) in shown {
        let item = NavItem { key, href, current: if *href == "/" { path == "/" } else { path.starts_with(href) } };
        match groups.last_mut() {
            Some((last, group)) if last == section => group.items.push(item),
            _ => groups.push((*section, NavGroup { label: section.label_key(), items: vec![item] })),
        }
    }
    groups.into_iter().map(|(_, group)| group).collect()
}

impl FromRequestParts<AppState> for PageContext {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = match CurrentUser::from_request_parts(parts, state).await {
            Ok(user) => Some(user.principal),
            Err(AppError::SignInRequired { .. }) => None,
            Err(other) => return Err(other),
        };
        let session = session_of(parts)?;
        let lang = user
            .as_ref()
            .and_then(|u| u.locale.as_deref())
            .and_then(Lang::from_tag)
            .unwrap_or_else(|| request_lang(&parts.headers));
        let flash = session.get::<Flash>(FLASH_KEY).await?;
        if flash.is_some() {
            // Removing marks the session changed (a write), so only when there is one.
            session.remove::<Flash>(FLASH_KEY).await?;
        }
        let path = parts.uri.path();
        Ok(PageContext {
            lang,
            nav: nav_for(user.as_ref(), path),
            user,
            csrf: csrf::token(&session).await?,
            flash,
            here: parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/").to_string(),
            asset_version: super::assets::version(),
        })
    }
}

/// Renders a page with 200.
pub fn render(page: &impl Template) -> AppResult<Response> {
    render_with(StatusCode::OK, page)
}

/// Renders a page with a chosen status (422 for a form with errors, 409 for a stale edit).
pub fn render_with(status: StatusCode, page: &impl Template) -> AppResult<Response> {
    let html = page.render().map_err(|e| AppError::Internal(e.into()))?;
    Ok((status, Html(html)).into_response())
}

/// An error page, rendered without a session (it may be the session that failed).
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPageView {
    pub lang: Lang,
    pub page: ErrorPage,
    pub asset_version: &'static str,
}

impl ErrorPageView {
    pub fn new(lang: Lang, page: ErrorPage) -> ErrorPageView {
        ErrorPageView { lang, page, asset_version: super::assets::version() }
    }

    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    pub fn title(&self) -> String {
        self.lang.t(&format!("{}-title", self.page.key()))
    }

    pub fn text(&self) -> String {
        self.lang.t(&format!("{}-text", self.page.key()))
    }
}

impl IntoResponse for ErrorPageView {
    fn into_response(self) -> Response {
        match self.render() {
            Ok(html) => (self.page.status(), Html(html)).into_response(),
            Err(_) => self.page.status().into_response(),
        }
    }
}

//! The register of CPPCC members (政协委员, docs/DOMAIN.md §18.1): list with
//! filters, create, edit (deactivate and reactivate through the active flag).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::AuditEvent;
use crate::db::departments::{self, DepartmentChoice};
use crate::db::members::{self, MemberCounts, MemberData, MemberFilter, MemberRow, RegisterValues};
use crate::domain::members::{self as rules, COMMITTEE_MAX, NAME_MAX, SECTOR_MAX, TERM_MAX};
use crate::domain::policy::Permission;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::admin_form::{AdminForm, Refused, Written};
use crate::http::forms::{FormErrors, optional_id};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

/// The list's filters as typed; values stay text so that an empty or odd one
/// means "any" rather than a 400.
#[derive(Debug, Default, Deserialize)]
pub struct MembersQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub sector: String,
    /// A committee's name, `none` for members on none, empty for any.
    #[serde(default)]
    pub committee: String,
    #[serde(default)]
    pub department: String,
    /// `active` (the default), `inactive` or `all`.
    #[serde(default)]
    pub status: String,
}

/// The value of the committee filter that asks for members on no committee.
pub const NO_COMMITTEE: &str = "none";

impl MembersQuery {
    fn filter(&self) -> MemberFilter {
        let some = |text: &str| Some(text.trim().to_string()).filter(|t| !t.is_empty());
        MemberFilter {
            name: self.q.trim().to_string(),
            sector: some(&self.sector),
            committee: match self.committee.trim() {
                NO_COMMITTEE => Some(String::new()),
                other => some(other),
            },
            contact_department_id: optional_id(&self.department).unwrap_or(None),
            active: match self.status.as_str() {
                "inactive" => Some(false),
                "all" => None,
                _ => Some(true),
            },
        }
    }

    /// The status filter as shown (`active` when none was chosen).
    pub fn status(&self) -> &str {
        match self.status.as_str() {
            "inactive" | "all" => &self.status,
            _ => "active",
        }
    }
}

#[derive(Template)]
#[template(path = "org/members.html")]
pub struct MembersPage {
    pub ctx: PageContext,
    pub members: Vec<MemberRow>,
    pub counts: MemberCounts,
    pub values: RegisterValues,
    pub departments: Vec<DepartmentChoice>,
    pub query: MembersQuery,
    pub can_edit: bool,
}

impl MembersPage {
    pub fn shown(&self) -> i64 {
        self.members.len() as i64
    }
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<MembersQuery>,
) -> AppResult<Response> {
    user.require(Permission::ViewMembers)?;
    let mut conn = state.pool.acquire().await?;
    let members = members::list(&mut conn, &query.filter()).await?;
    let counts = members::counts(&mut conn).await?;
    let values = members::values_in_use(&mut conn).await?;
    let departments = departments::choices(&mut conn).await?;
    let can_edit = user.may(Permission::ManageMembers);
    render(&MembersPage { ctx, members, counts, values, departments, query, can_edit })
}

/// The member form as typed, kept when it is shown again with errors.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub special_committee: String,
    #[serde(default)]
    pub contact_department_id: String,
    #[serde(default)]
    pub term: String,
    #[serde(default)]
    pub mobile: String,
    #[serde(default)]
    pub active: Option<String>,
    #[serde(default)]
    pub version: i32,
}

impl MemberForm {
    fn from_row(row: &MemberRow) -> MemberForm {
        MemberForm {
            full_name: row.full_name.clone(),
            sector: row.sector.clone(),
            special_committee: row.special_committee.clone(),
            contact_department_id: row.contact_department_id.map(|d| d.to_string()).unwrap_or_default(),
            term: row.term.clone(),
            mobile: row.mobile.clone(),
            active: row.active.then(|| "on".into()),
            version: row.version,
        }
    }

    /// Checks the fields; the contact department must be one of `departments`
    /// (the active ones) or `kept`, the one the member already has.
    fn validate(&self, errors: &mut FormErrors, departments: &[DepartmentChoice], kept: Option<i64>) -> MemberData {
        let department = optional_id(&self.contact_department_id).and_then(|id| match id {
            Some(id) if Some(id) != kept && !departments.iter().any(|d| d.id == id) => Err(FieldError::Invalid),
            id => Ok(id),
        });
        MemberData {
            full_name: errors.check("full_name", validate::required_text(&self.full_name, NAME_MAX)),
            sector: errors.check("sector", validate::required_text(&self.sector, SECTOR_MAX)),
            special_committee: errors
                .check("special_committee", validate::optional_text(&self.special_committee, COMMITTEE_MAX)),
            contact_department_id: errors.check("contact_department_id", department),
            term: errors.check("term", validate::required_text(&self.term, TERM_MAX)),
            mobile: errors.check("mobile", rules::mobile(&self.mobile)),
            active: self.active.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "org/member_form.html")]
pub struct MemberFormPage {
    pub ctx: PageContext,
    /// None for a new member.
    pub id: Option<i64>,
    pub form: MemberForm,
    pub errors: FormErrors,
    pub departments: Vec<DepartmentChoice>,
    /// Suggestions for the sector, committee and term fields.
    pub values: RegisterValues,
    pub conflict: bool,
}

/// The form's page with its pick lists; an inactive department the member
/// still has stays among the choices.
async fn form_page(
    conn: &mut PgConnection,
    ctx: PageContext,
    id: Option<i64>,
    form: MemberForm,
    (errors, conflict): (FormErrors, bool),
) -> AppResult<MemberFormPage> {
    let mut departments = departments::choices(conn).await?;
    if let Some(row) = match id {
        Some(id) => members::find(conn, id).await?,
        None => None,
    } && let (Some(id), Some(name)) = (row.contact_department_id, row.contact_department_name)
        && !departments.iter().any(|d| d.id == id)
    {
        departments.push(DepartmentChoice { id, name });
    }
    let values = members::values_in_use(conn).await?;
    Ok(MemberFormPage { ctx, id, form, errors, departments, values, conflict })
}

pub async fn new_form(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    user.require(Permission::ManageMembers)?;
    let mut conn = state.pool.acquire().await?;
    let term = members::current_term(&mut conn).await?.unwrap_or_default();
    let form = MemberForm { active: Some("on".into()), term, ..Default::default() };
    render(&form_page(&mut conn, ctx, None, form, (FormErrors::default(), false)).await?)
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageMembers)?;
    let choices = departments::choices(&mut *state.pool.acquire().await?).await?;
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors, &choices, None);
    let write = async |tx: &mut PgConnection| {
        let id = members::insert(tx, &data).await?;
        Ok(Written::saved(id, AuditEvent::new("member.created", "member", id, json!({ "after": summary(&data) }))))
    };
    let flash = Flash::success_named("members-saved", &data.full_name);
    let admin = AdminForm { state: &state, user: &user, session: &session };
    match admin.save(errors, None, write, flash, |_| "/org/members".into()).await? {
        Ok(done) => Ok(done),
        Err(refused) => shown_again(&state, ctx, None, form, refused).await,
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ManageMembers)?;
    let mut conn = state.pool.acquire().await?;
    let row = members::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let form = MemberForm::from_row(&row);
    render(&form_page(&mut conn, ctx, Some(id), form, (FormErrors::default(), false)).await?)
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageMembers)?;
    let (choices, current) = {
        let mut conn = state.pool.acquire().await?;
        let current = members::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
        (departments::choices(&mut conn).await?, current)
    };
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors, &choices, current.contact_department_id);
    let write = async |tx: &mut PgConnection| {
        let Some(before) = members::find_for_update(tx, id).await? else { return Ok(Written::Missing) };
        if !members::update(tx, id, form.version, &data).await? {
            return Ok(Written::Stale);
        }
        let before = MemberData::from_row(&before);
        let action = match (before.active, data.active) {
            (true, false) => "member.deactivated",
            (false, true) => "member.reactivated",
            _ => "member.updated",
        };
        let summary = json!({ "before": summary(&before), "after": summary(&data) });
        Ok(Written::saved(id, AuditEvent::new(action, "member", id, summary)))
    };
    let flash = Flash::success_named("members-saved", &data.full_name);
    let admin = AdminForm { state: &state, user: &user, session: &session };
    match admin.save(errors, None, write, flash, |_| "/org/members".into()).await? {
        Ok(done) => Ok(done),
        Err(refused) => shown_again(&state, ctx, Some(id), form, refused).await,
    }
}

/// The form again with the refusal's status and errors.
async fn shown_again(
    state: &AppState,
    ctx: PageContext,
    id: Option<i64>,
    form: MemberForm,
    refused: Refused,
) -> AppResult<Response> {
    let (status, errors, conflict) = refused.parts();
    let page = form_page(&mut *state.pool.acquire().await?, ctx, id, form, (errors, conflict)).await?;
    render_with(status, &page)
}

/// A member's fields for the audit log.
pub fn summary(data: &MemberData) -> serde_json::Value {
    json!({
        "full_name": data.full_name, "sector": data.sector, "special_committee": data.special_committee,
        "contact_department_id": data.contact_department_id, "term": data.term, "mobile": data.mobile,
        "active": data.active,
    })
}

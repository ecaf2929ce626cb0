//! People (accounts): list, create, edit, deactivate, roles, password reset.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::{CsrfChecked, CsrfForm};
use crate::auth::password::initial_password;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::departments::{self, DepartmentChoice};
use crate::db::people::{self, DepartmentSpell, PersonData, PersonRecord, PersonRow};
use crate::domain::career::{Career, CareerInput, RankTier, RankTrack};
use crate::domain::identity::IdentityType;
use crate::domain::policy::{self, Permission};
use crate::domain::roles::{Grants, Role, RoleGrant};
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::admin_form::{AdminForm, Refused, Unique, Written};
use crate::http::forms::{FormErrors, optional_id};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct PeopleQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub department: String,
}

#[derive(Template)]
#[template(path = "org/people.html")]
pub struct PeoplePage {
    pub ctx: PageContext,
    pub people: Vec<PersonRow>,
    pub departments: Vec<DepartmentChoice>,
    pub query: PeopleQuery,
    pub can_edit: bool,
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<PeopleQuery>,
) -> AppResult<Response> {
    user.require(Permission::ViewOrganisation)?;
    let department = optional_id(&query.department).unwrap_or(None);
    let mut conn = state.pool.acquire().await?;
    let people = people::list(&mut conn, query.q.trim(), department).await?;
    let departments = departments::choices(&mut conn).await?;
    let can_edit = user.may(Permission::ManageOrganisation);
    render(&PeoplePage { ctx, people, departments, query, can_edit })
}

/// The person form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub identity_type: String,
    #[serde(default)]
    pub rank: String,
    #[serde(default)]
    pub department_id: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub rank_track: String,
    #[serde(default)]
    pub rank_tier: String,
    #[serde(default)]
    pub rank_since: String,
    #[serde(default)]
    pub level_since: String,
    #[serde(default)]
    pub step_since: String,
    #[serde(default)]
    pub probation_from: String,
    #[serde(default)]
    pub probation_to: String,
    #[serde(default)]
    pub active: Option<String>,
    /// Office-wide role codes.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Departments the person heads.
    #[serde(default)]
    pub head_of: Vec<String>,
    /// Departments the person oversees as supervising leader.
    #[serde(default)]
    pub leader_of: Vec<String>,
    #[serde(default)]
    pub version: i32,
}

impl PersonForm {
    fn from_record(person: &PersonRecord, grants: &[RoleGrant], career: &Career) -> PersonForm {
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let scoped = |role: Role| -> Vec<String> {
            grants.iter().filter(|g| g.role == role).filter_map(|g| g.department_id).map(|d| d.to_string()).collect()
        };
        PersonForm {
            username: person.username.clone(),
            full_name: person.full_name.clone(),
            identity_type: person.identity_type.code().into(),
            rank: person.rank.clone(),
            department_id: person.department_id.map(|d| d.to_string()).unwrap_or_default(),
            phone: person.phone.clone(),
            rank_track: career.rank_track.map(|t| t.code().to_string()).unwrap_or_default(),
            rank_tier: career.rank_tier.map(|t| t.code().to_string()).unwrap_or_default(),
            rank_since: day(career.rank_since),
            level_since: day(career.level_since),
            step_since: day(career.step_since),
            probation_from: day(career.probation.map(|p| p.0)),
            probation_to: day(career.probation.map(|p| p.1)),
            active: person.active.then(|| "on".into()),
            roles: grants.iter().filter(|g| !g.role.is_department_scoped()).map(|g| g.role.code().into()).collect(),
            head_of: scoped(Role::DepartmentHead),
            leader_of: scoped(Role::SupervisingLeader),
            version: person.version,
        }
    }

    fn validate(&self, errors: &mut FormErrors) -> PersonData {
        PersonData {
            username: errors.check("username", validate::username(&self.username)),
            full_name: errors.check("full_name", validate::required_text(&self.full_name, 40)),
            identity_type: errors
                .check("identity_type", IdentityType::parse(&self.identity_type).map(Some).ok_or(FieldError::Required))
                .unwrap_or(IdentityType::CivilServant),
            rank: errors.check("rank", validate::optional_text(&self.rank, 40)),
            department_id: errors.check("department_id", optional_id(&self.department_id)),
            phone: errors.check("phone", validate::optional_text(&self.phone, 30)),
            active: self.active.is_some(),
        }
    }

    /// The career facts, or their errors recorded beside their fields.
    fn career(&self, errors: &mut FormErrors) -> Career {
        let input = CareerInput {
            rank_track: &self.rank_track,
            rank_tier: &self.rank_tier,
            rank_since: &self.rank_since,
            level_since: &self.level_since,
            step_since: &self.step_since,
            probation_from: &self.probation_from,
            probation_to: &self.probation_to,
        };
        Career::parse(&input).unwrap_or_else(|problems| {
            for (field, error) in problems {
                errors.add(field, error);
            }
            Career::default()
        })
    }

    fn grants(&self, errors: &mut FormErrors) -> Vec<RoleGrant> {
        let mut grants = Vec::new();
        for code in &self.roles {
            match Role::from_code(code).filter(|r| !r.is_department_scoped()) {
                Some(role) => grants.push(RoleGrant { role, department_id: None }),
                None => errors.add("roles", FieldError::Invalid),
            }
        }
        for (role, ids, field) in
            [(Role::DepartmentHead, &self.head_of, "head_of"), (Role::SupervisingLeader, &self.leader_of, "leader_of")]
        {
            for id in ids {
                match id.parse::<i64>() {
                    Ok(id) => grants.push(RoleGrant { role, department_id: Some(id) }),
                    Err(_) => errors.add(field, FieldError::Invalid),
                }
            }
        }
        grants
    }

    pub fn has_role(&self, code: &str) -> bool {
        self.roles.iter().any(|r| r == code)
    }

    pub fn heads(&self, id: &i64) -> bool {
        self.head_of.contains(&id.to_string())
    }

    pub fn leads(&self, id: &i64) -> bool {
        self.leader_of.contains(&id.to_string())
    }
}

#[derive(Template)]
#[template(path = "org/person_form.html")]
pub struct PersonFormPage {
    pub ctx: PageContext,
    pub id: Option<i64>,
    pub form: PersonForm,
    pub errors: FormErrors,
    pub departments: Vec<DepartmentChoice>,
    pub identity_types: [IdentityType; 4],
    pub rank_tracks: &'static [RankTrack],
    pub rank_tiers: &'static [RankTier],
    pub office_roles: Vec<Role>,
    pub can_manage_accounts: bool,
    pub conflict: bool,
    /// The person's departments over time, newest first (docs/DOMAIN.md §2.7).
    pub history: Vec<DepartmentSpell>,
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    id: Option<i64>,
    form: PersonForm,
    errors: FormErrors,
    conflict: bool,
) -> AppResult<PersonFormPage> {
    let mut conn = state.pool.acquire().await?;
    let departments = departments::choices(&mut conn).await?;
    let history = match id {
        Some(id) => people::department_history(&mut conn, id).await?,
        None => Vec::new(),
    };
    Ok(PersonFormPage {
        ctx,
        id,
        form,
        errors,
        departments,
        identity_types: IdentityType::ALL,
        rank_tracks: RankTrack::ALL,
        rank_tiers: RankTier::ALL,
        office_roles: Role::ALL.into_iter().filter(|r| !r.is_department_scoped()).collect(),
        can_manage_accounts: user.may(Permission::ManageAccounts),
        conflict,
        history,
    })
}

pub async fn new_form(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    user.require(Permission::ManageOrganisation)?;
    let form = PersonForm { active: Some("on".into()), roles: vec!["staff".into()], ..Default::default() };
    render(&form_page(&state, &user, ctx, None, form, FormErrors::default(), false).await?)
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<PersonForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageOrganisation)?;
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors);
    let career = form.career(&mut errors);
    let grants = form.grants(&mut errors);
    let grants = if user.may(Permission::ManageAccounts) {
        grants
    } else {
        vec![RoleGrant { role: Role::Staff, department_id: None }]
    };
    if !errors.is_empty() {
        // Before hashing: a form with errors costs no password hash.
        return shown_again(&state, &user, ctx, None, form, Refused::Invalid(errors)).await;
    }
    let initial_password = initial_password();
    let hash = state.passwords.hash(initial_password.clone()).await?;
    let write = async |tx: &mut PgConnection| {
        let id = people::create(tx, &data, &hash).await?;
        people::record_department(tx, id, state.clock.today()).await?;
        people::set_career(tx, id, &career).await?;
        people::replace_grants(tx, id, &grants).await?;
        let after = json!({ "person": summary(&data, &career), "roles": grant_codes(&grants) });
        Ok(Written::saved(id, AuditEvent::new("person.created", "person", id, json!({ "after": after }))))
    };
    let flash = Flash::success_named("person-created-password", format!("{} / {}", data.username, initial_password));
    let admin = AdminForm { state: &state, user: &user, session: &session };
    match admin.save(errors, UNIQUE, write, flash, |id| format!("/org/people/{id}/edit")).await? {
        Ok(done) => Ok(done),
        Err(refused) => shown_again(&state, &user, ctx, None, form, refused).await,
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ManageOrganisation)?;
    let mut conn = state.pool.acquire().await?;
    let person = people::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let grants = people::grants(&mut conn, id).await?;
    let career = people::career(&mut conn, id).await?;
    drop(conn);
    if !policy::can_edit_person(&user.principal.grants, &Grants(grants.clone())) {
        return Err(AppError::Forbidden);
    }
    let form = PersonForm::from_record(&person, &grants, &career);
    render(&form_page(&state, &user, ctx, Some(id), form, FormErrors::default(), false).await?)
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(mut form): CsrfForm<PersonForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageOrganisation)?;
    // Who may change this account depends on the roles it holds (read first;
    // checked again on the locked row below).
    let (stored, held) = {
        let mut conn = state.pool.acquire().await?;
        let stored = people::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
        (stored, people::grants(&mut conn, id).await?)
    };
    policy::require_edit_person(user.grants(), &Grants(held))?;
    let manages_accounts = policy::can_change_account(user.grants());
    if !manages_accounts {
        // The account's lifecycle is account management's: kept as stored, as the roles are.
        form.username = stored.username.clone();
        form.active = stored.active.then(|| "on".into());
    }
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors);
    let career = form.career(&mut errors);
    let grants = form.grants(&mut errors);
    if !data.active && !policy::can_deactivate(user.id(), id) {
        errors.add("active", FieldError::Invalid);
    }
    let write = async |tx: &mut PgConnection| {
        let Some(before) = people::find_for_update(tx, id).await? else { return Ok(Written::Missing) };
        let grants_before = people::grants(tx, id).await?;
        if !policy::can_edit_person(user.grants(), &Grants(grants_before.clone())) {
            return Ok(Written::Forbidden);
        }
        let career_before = people::career(tx, id).await?;
        if !people::update(tx, id, form.version, &data, state.clock.today()).await? {
            return Ok(Written::Stale);
        }
        people::set_career(tx, id, &career).await?;
        let before_data =
            PersonForm::from_record(&before, &grants_before, &career_before).validate(&mut FormErrors::default());
        let summary = json!({ "before": summary(&before_data, &career_before), "after": summary(&data, &career) });
        let mut events = vec![AuditEvent::new("person.updated", "person", id, summary)];
        if before.active && !data.active {
            events.push(AuditEvent::new("person.deactivated", "person", id, json!({})));
        }
        if manages_accounts && grant_codes(&grants) != grant_codes(&grants_before) {
            people::replace_grants(tx, id, &grants).await?;
            let summary = json!({ "before": grant_codes(&grants_before), "after": grant_codes(&grants) });
            events.push(AuditEvent::new("person.roles_changed", "person", id, summary));
        }
        Ok(Written::Saved { id, events })
    };
    let flash = Flash::success_named("person-saved", &data.full_name);
    let admin = AdminForm { state: &state, user: &user, session: &session };
    match admin.save(errors, UNIQUE, write, flash, |_| "/org/people".into()).await? {
        Ok(done) => Ok(done),
        Err(refused) => shown_again(&state, &user, ctx, Some(id), form, refused).await,
    }
}

/// The username is unique among people.
const UNIQUE: Unique = Some(("person_username_unique", "username"));

/// The form again with the refusal's status and errors.
async fn shown_again(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    id: Option<i64>,
    form: PersonForm,
    refused: Refused,
) -> AppResult<Response> {
    let (status, errors, conflict) = refused.parts();
    render_with(status, &form_page(state, user, ctx, id, form, errors, conflict).await?)
}

/// Sets a temporary password, shown once to the administrator; the person must
/// change it at the next sign-in and loses every session now.
pub async fn reset_password(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    _: CsrfChecked,
) -> AppResult<Response> {
    user.require(Permission::ManageAccounts)?;
    let temporary = initial_password();
    let hash = state.passwords.hash(temporary.clone()).await?;
    let mut tx = state.pool.begin().await?;
    let person = people::find_for_update(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    people::set_password(&mut tx, id, &hash, false).await?;
    let event = AuditEvent::new("person.password_reset", "person", id, json!({ "by": "administrator" }));
    audit::record(&mut tx, &user.audit, event).await?;
    tx.commit().await?;
    Flash::success_named("person-password-reset", format!("{} / {}", person.username, temporary)).set(&session).await?;
    Ok(Redirect::to(&format!("/org/people/{id}/edit")).into_response())
}

fn summary(data: &PersonData, career: &Career) -> serde_json::Value {
    json!({
        "username": data.username, "full_name": data.full_name, "identity_type": data.identity_type.code(),
        "rank": data.rank, "department_id": data.department_id, "phone": data.phone, "active": data.active,
        "rank_track": career.rank_track.map(|t| t.code()), "rank_tier": career.rank_tier.map(|t| t.code()),
        "rank_since": career.rank_since, "level_since": career.level_since, "step_since": career.step_since, "probation": career.probation,
    })
}

fn grant_codes(grants: &[RoleGrant]) -> Vec<String> {
    let mut codes: Vec<String> = grants
        .iter()
        .map(|g| match g.department_id {
            Some(d) => format!("{}@{d}", g.role.code()),
            None => g.role.code().to_string(),
        })
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

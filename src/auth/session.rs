//! What a session holds, and the current-user extractor.

use std::sync::{Arc, Mutex};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::db::audit::AuditContext;
use crate::db::people::{self, Principal};
use crate::db::targets::DeciderScope;
use crate::domain::policy::{self, Denied, Permission};
use crate::domain::roles::{Grants, Role};
use crate::error::AppError;
use crate::state::AppState;

/// The session key of the signed-in person.
pub const AUTH_KEY: &str = "auth";

/// Who signed in, at which session epoch, when.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionAuth {
    pub person_id: i64,
    pub epoch: i32,
    /// Unix seconds of the sign-in, for the absolute timeout.
    pub signed_in_at: i64,
    /// Unix seconds of the last save that pushed back the idle timeout. The
    /// store's expiry moves only when the session is saved, and saving on every
    /// request would cost a write per page, so a request saves it only when this
    /// is older than the `session_refresh` setting (a minute by default).
    #[serde(default)]
    pub last_seen: i64,
}

/// Facts of the request every audit row carries; filled in by the
/// `request_meta` middleware, with the actor added once known.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub ip: String,
    pub request_id: String,
    pub actor: Arc<Mutex<Option<(i64, String)>>>,
}

impl RequestMeta {
    pub fn audit_context(&self) -> AuditContext {
        let actor = self.actor.lock().map(|a| a.clone()).unwrap_or_default();
        AuditContext {
            actor_id: actor.as_ref().map(|a| a.0),
            actor_name: actor.map(|a| a.1).unwrap_or_default(),
            ip: self.ip.clone(),
            request_id: self.request_id.clone(),
        }
    }
}

/// The signed-in person. Extracting it answers a redirect to the sign-in page
/// when there is nobody, and to the password page when a change is due.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub principal: Principal,
    pub audit: AuditContext,
}

impl CurrentUser {
    /// Refuses unless the person's roles carry `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), Denied> {
        policy::require(&self.principal.grants, permission)
    }

    /// Whether the person's roles carry `permission` (to show a button; checks use [`Self::require`]).
    pub fn may(&self, permission: Permission) -> bool {
        policy::allows(&self.principal.grants, permission)
    }

    pub fn id(&self) -> i64 {
        self.principal.id
    }

    /// The roles the person holds, for the `policy::require_*` checks.
    pub fn grants(&self) -> &Grants {
        &self.principal.grants
    }

    /// The departments the person decides sets, changes and reports for.
    pub fn decider_scope(&self) -> DeciderScope {
        DeciderScope {
            person_id: self.id(),
            heads: self.grants().departments_for(Role::DepartmentHead),
            leads: self.grants().departments_for(Role::SupervisingLeader),
        }
    }
}

/// Pages a person who must change their password may still reach.
const OPEN_DURING_PASSWORD_CHANGE: [&str; 3] = ["/account/password", "/logout", "/locale"];

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/").to_string();
        let session = session_of(parts)?;
        let Some(auth) = session.get::<SessionAuth>(AUTH_KEY).await? else {
            return Err(AppError::SignInRequired { next });
        };
        let now = Utc::now().timestamp();
        let signed_in_for = now - auth.signed_in_at;
        let principal = if signed_in_for > state.settings.session_absolute.num_seconds() {
            None
        } else {
            let mut conn = state.pool.acquire().await?;
            people::load_principal(&mut conn, auth.person_id, auth.epoch).await?
        };
        let Some(principal) = principal else {
            session.flush().await?;
            return Err(AppError::SignInRequired { next });
        };
        if now - auth.last_seen >= state.settings.session_refresh.num_seconds() {
            session.insert(AUTH_KEY, SessionAuth { last_seen: now, ..auth }).await?;
        }
        if principal.must_change_password && !OPEN_DURING_PASSWORD_CHANGE.contains(&parts.uri.path()) {
            return Err(AppError::PasswordChangeRequired);
        }
        let meta = parts.extensions.get::<RequestMeta>().cloned().unwrap_or_default();
        if let Ok(mut actor) = meta.actor.lock() {
            *actor = Some((principal.id, principal.full_name.clone()));
        }
        let user = CurrentUser { audit: meta.audit_context(), principal };
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

/// The session of the request (the session layer is on every route).
pub fn session_of(parts: &Parts) -> Result<Session, AppError> {
    parts
        .extensions
        .get::<Session>()
        .cloned()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("session layer missing")))
}

impl axum::extract::OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    /// `None` for a visitor who is not signed in; other failures stay errors.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        match <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(user) => Ok(Some(user)),
            Err(AppError::SignInRequired { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

//! Signing in and out: throttling, password check, session rotation, audit.

use chrono::Utc;
use serde_json::json;
use tower_sessions::Session;

use super::csrf;
use super::session::{AUTH_KEY, SessionAuth};
use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::{people, throttle};
use crate::error::AppError;
use crate::state::AppState;

/// How a sign-in attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInOutcome {
    /// Signed in; the person's stored language, if any.
    SignedIn { locale: Option<String> },
    /// Unknown user, wrong password or inactive account: one answer for all.
    Refused,
    /// Too many failures for the account or the address; try later.
    Held,
}

fn throttle_keys(username: &str, ip: &str) -> Vec<String> {
    let mut keys = vec![format!("user:{username}")];
    if !ip.is_empty() {
        keys.push(format!("ip:{ip}"));
    }
    keys
}

/// Checks the credentials and, when they are right, binds the session to the
/// person under a new session id.
pub async fn sign_in(
    state: &AppState,
    session: &Session,
    ctx: &AuditContext,
    username: &str,
    password: String,
) -> Result<SignInOutcome, AppError> {
    let username = username.trim().to_lowercase();
    let now = Utc::now();
    let policy = state.settings.throttle;
    let keys = throttle_keys(&username, &ctx.ip);
    let mut conn = state.pool.acquire().await?;

    for key in &keys {
        let held = throttle::load(&mut conn, key).await?;
        if policy.is_held(held.as_ref(), now) {
            let event = AuditEvent::new("security.signin_held", "person", &username, json!({ "key": key }));
            audit::record(&mut conn, ctx, event).await?;
            return Ok(SignInOutcome::Held);
        }
    }

    let record = people::find_for_login(&mut conn, &username).await?;
    let hash = record.as_ref().filter(|r| r.active).map(|r| r.password_hash.clone());
    let verified = state.passwords.verify(hash, password).await?;

    let mut tx = state.pool.begin().await?;
    match record.filter(|_| verified) {
        Some(person) => {
            for key in &keys {
                throttle::clear(&mut tx, key).await?;
            }
            let actor = AuditContext { actor_id: Some(person.id), actor_name: person.full_name.clone(), ..ctx.clone() };
            audit::record(&mut tx, &actor, AuditEvent::new("security.signin", "person", person.id, json!({}))).await?;
            tx.commit().await?;
            session.cycle_id().await?;
            let auth = SessionAuth {
                person_id: person.id,
                epoch: person.session_epoch,
                signed_in_at: now.timestamp(),
                last_seen: now.timestamp(),
            };
            session.insert(AUTH_KEY, auth).await?;
            csrf::renew(session).await?;
            Ok(SignInOutcome::SignedIn { locale: person.locale })
        }
        None => {
            for key in &keys {
                let before = throttle::load(&mut tx, key).await?;
                throttle::save(&mut tx, key, &policy.after_failure(before.as_ref(), now)).await?;
            }
            let event = AuditEvent::new("security.signin_failed", "person", &username, json!({}));
            audit::record(&mut tx, ctx, event).await?;
            tx.commit().await?;
            Ok(SignInOutcome::Refused)
        }
    }
}

/// Ends the session.
pub async fn sign_out(state: &AppState, session: &Session, ctx: &AuditContext) -> Result<(), AppError> {
    if let Some(actor_id) = ctx.actor_id {
        let mut conn = state.pool.acquire().await?;
        audit::record(&mut conn, ctx, AuditEvent::new("security.signout", "person", actor_id, json!({}))).await?;
    }
    session.flush().await?;
    Ok(())
}

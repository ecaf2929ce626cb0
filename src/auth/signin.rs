//! Signing in and out: throttling, password check, session rotation, audit.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use super::csrf;
use super::session::{AUTH_KEY, SessionAuth};
use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::notifications::{self, NewNotification};
use crate::db::{people, throttle};
use crate::domain::throttle::{ThrottlePolicy, ThrottleRules, ThrottleState};
use crate::error::AppError;
use crate::state::AppState;

/// How a sign-in attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInOutcome {
    /// Signed in; the person's stored language, if any.
    SignedIn { locale: Option<String> },
    /// Unknown user, wrong password or inactive account: one answer for all.
    Refused,
    /// Too many failures from this client (for the account, or for any); wait.
    Held,
}

/// The keys that may hold this client: the account from this address, and
/// the address whatever the account.
fn client_keys(rules: &ThrottleRules, username: &str, ip: &str) -> Vec<(String, ThrottlePolicy)> {
    let mut keys = vec![(format!("user+ip:{username}@{ip}"), rules.account_client)];
    if !ip.is_empty() {
        keys.push((format!("ip:{ip}"), rules.client));
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
    let rules = state.settings.throttle;
    let keys = client_keys(&rules, &username, &ctx.ip);
    let account_key = format!("user:{username}");
    let mut conn = state.pool.acquire().await?;

    for (key, policy) in &keys {
        let held = throttle::load(&mut conn, key).await?;
        if policy.is_held(held.as_ref(), now) {
            // Not audited: a held client may keep trying, and nobody is known yet.
            tracing::warn!(%key, ip = %ctx.ip, "sign-in refused: the client is held");
            return Ok(SignInOutcome::Held);
        }
    }

    let record = people::find_for_login(&mut conn, &username).await?;
    let hash = record.as_ref().filter(|r| r.active).map(|r| r.password_hash.clone());
    let verified = state.passwords.verify(hash, password).await?;
    let known_person = record.as_ref().map(|r| r.id);

    let mut tx = state.pool.begin().await?;
    match record.filter(|_| verified) {
        Some(person) => {
            // The address's own count stays: signing in to one's own account
            // must not reset guessing at others'.
            throttle::clear(&mut tx, &keys[0].0).await?;
            throttle::clear(&mut tx, &account_key).await?;
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
            for (key, policy) in &keys {
                let before = throttle::load(&mut tx, key).await?;
                throttle::save(&mut tx, key, &policy.after_failure(before.as_ref(), now)).await?;
            }
            if let Some(person_id) = known_person {
                tell_holder_of_failures(&mut tx, &rules, &account_key, person_id, now).await?;
            }
            let event = AuditEvent::new("security.signin_failed", "person", &username, json!({}));
            audit::record(&mut tx, ctx, event).await?;
            tx.commit().await?;
            Ok(SignInOutcome::Refused)
        }
    }
}

/// Counts a failure against an existing account, from any client, and tells
/// its holder once the count reaches the rules' threshold.
async fn tell_holder_of_failures(
    conn: &mut PgConnection,
    rules: &ThrottleRules,
    account_key: &str,
    person_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // Counting only: the account policy's holds are never checked for this key.
    let before = throttle::load(conn, account_key).await?;
    let counted = ThrottleState { held_until: None, ..rules.account_client.after_failure(before.as_ref(), now) };
    throttle::save(conn, account_key, &counted).await?;
    if rules.tells_holder(counted.failures) {
        let notification = NewNotification {
            person_id,
            message: "notify-signin-failures",
            args: json!({ "count": counted.failures }),
            link: "/account/password".into(),
            dedupe_key: Some(format!("signin-failures:{person_id}:{}", now.timestamp())),
        };
        notifications::raise(conn, &notification).await?;
    }
    Ok(())
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

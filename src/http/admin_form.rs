//! The save of an administration form, written once: after the handler has
//! validated the form, [`AdminForm::save`] opens the transaction, runs the
//! insert or update, turns a unique violation into the field's `Taken` error
//! and a moved `version` into a conflict, appends the audit rows, commits,
//! sets the flash and answers 303. A refusal comes back as [`Refused`], and
//! the handler shows its form again with the status, the input kept.
//!
//! ```text
//! validate → 422 | insert/update → unique violation → 422 | stale → 409 → audit → commit → flash → 303
//! ```

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::is_unique_violation;
use crate::domain::validate::FieldError;
use crate::error::{AppError, AppResult};
use crate::http::forms::FormErrors;
use crate::http::pages::Flash;
use crate::state::AppState;

/// What a write did: saved the row `id` with these audit rows, found the row
/// changed since the form was read, or found no row to update (404).
pub enum Written {
    Saved {
        id: i64,
        events: Vec<AuditEvent<'static>>,
    },
    Stale,
    Missing,
    /// The locked row shows the user may not change it after all (403).
    Forbidden,
}

impl Written {
    /// A saved row with one audit row.
    pub fn saved(id: i64, event: AuditEvent<'static>) -> Written {
        Written::Saved { id, events: vec![event] }
    }
}

/// Why a form is shown again: invalid input (422) or a stale edit (409).
pub enum Refused {
    Invalid(FormErrors),
    Conflict(FormErrors),
}

impl Refused {
    /// The status, the errors beside the fields, and whether it is a conflict.
    pub fn parts(self) -> (StatusCode, FormErrors, bool) {
        match self {
            Refused::Invalid(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors, false),
            Refused::Conflict(errors) => (StatusCode::CONFLICT, errors, true),
        }
    }
}

/// The unique constraint a write may violate, and the field it belongs to.
pub type Unique = Option<(&'static str, &'static str)>;

/// A signed-in administrator saving a form.
pub struct AdminForm<'a> {
    pub state: &'a AppState,
    pub user: &'a CurrentUser,
    pub session: &'a Session,
}

impl AdminForm<'_> {
    /// Saves a validated form: `errors` are the validation's (non-empty means
    /// 422 without writing); `write` runs in the transaction; `unique` names the
    /// constraint whose violation is the field's `Taken`; on success the flash
    /// is set and the answer is a 303 to `to(id)`.
    pub async fn save(
        &self,
        mut errors: FormErrors,
        unique: Unique,
        write: impl AsyncFnOnce(&mut PgConnection) -> Result<Written, sqlx::Error>,
        flash: Flash,
        to: impl FnOnce(i64) -> String,
    ) -> AppResult<Result<Response, Refused>> {
        if !errors.is_empty() {
            return Ok(Err(Refused::Invalid(errors)));
        }
        let mut tx = self.state.pool.begin().await?;
        let (id, events) = match write(&mut tx).await {
            Ok(Written::Saved { id, events }) => (id, events),
            Ok(Written::Stale) => return Ok(Err(Refused::Conflict(errors))),
            Ok(Written::Missing) => return Err(AppError::NotFound),
            Ok(Written::Forbidden) => return Err(AppError::Forbidden),
            Err(err) => match unique {
                Some((constraint, field)) if is_unique_violation(&err, constraint) => {
                    errors.add(field, FieldError::Taken);
                    return Ok(Err(Refused::Invalid(errors)));
                }
                _ => return Err(err.into()),
            },
        };
        for event in events {
            audit::record(&mut tx, &self.user.audit, event).await?;
        }
        tx.commit().await?;
        flash.set(self.session).await?;
        Ok(Ok(Redirect::to(&to(id)).into_response()))
    }
}

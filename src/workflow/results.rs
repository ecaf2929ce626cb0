//! A final result's life after the decision (docs/DOMAIN.md §19.1, §19.3):
//! the written notice of every version in force once the result is final,
//! and corrections (an upheld objection, a review or an appeal), each a new
//! version, audited and told to the person again. Run by the background
//! task, the demo and the handlers that decide objections, reviews and appeals.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::PgConnection;

use crate::clock::office_date;
use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::notices::{self, NewVersion};
use crate::db::{calendar, settings};
use crate::domain::assessment::DecidedGrade;
use crate::domain::feedback::{final_from, notice_due};
use crate::error::{AppError, AppResult};

/// Issues the notice of every version in force of a final annual result
/// that has none, as of `today`; the number issued. Each is due the
/// configured work days after the result became final, or after the
/// correction that made its version; issued today, so late when the task
/// did not run in time.
pub async fn issue_notices(conn: &mut PgConnection, today: NaiveDate) -> AppResult<usize> {
    let pending = notices::unnotified(conn, today).await?;
    let Some(earliest) = pending.iter().map(|p| p.publicity_until).min() else {
        return Ok(0);
    };
    let calendar = calendar::load(conn, earliest, today + chrono::Duration::days(90)).await?;
    let mut issued = 0;
    for result in &pending {
        let workdays = settings::for_year(conn, result.year).await?.notice_workdays;
        let from = final_from(result.publicity_until).max(office_date(result.changed_at));
        let due = notice_due(from, workdays, &calendar);
        if notices::issue(conn, result, today, due).await? {
            issued += 1;
        }
    }
    Ok(issued)
}

/// Where a correction comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultSource {
    Objection,
    Review,
    Appeal,
}

impl ResultSource {
    pub fn code(self) -> &'static str {
        match self {
            ResultSource::Objection => "objection",
            ResultSource::Review => "review",
            ResultSource::Appeal => "appeal",
        }
    }
}

/// A decided change of a frozen result.
#[derive(Debug, Clone)]
pub struct Correction<'a> {
    pub cycle_id: i64,
    pub person_id: i64,
    pub grade: DecidedGrade,
    /// The new score; `None` keeps the score.
    pub score: Option<Decimal>,
    pub reason: &'a str,
    pub source: ResultSource,
    /// The objection, review or appeal that decided it.
    pub source_id: i64,
    pub by: i64,
    pub at: DateTime<Utc>,
}

/// Puts a correction in force as the result's next version, in the
/// caller's transaction: audited, and, when the person was told an earlier
/// version already, told again at once by a new notice; the use of results
/// is proposed anew from it. The new version.
pub async fn correct(
    conn: &mut PgConnection,
    audit_ctx: &AuditContext,
    correction: &Correction<'_>,
    today: NaiveDate,
) -> AppResult<i32> {
    let current =
        notices::lock_result(conn, correction.cycle_id, correction.person_id).await?.ok_or(AppError::NotFound)?;
    let version = current.version + 1;
    let score = correction.score.or(current.score);
    notices::add_version(
        conn,
        &NewVersion {
            cycle_id: correction.cycle_id,
            person_id: correction.person_id,
            version,
            score,
            grade: correction.grade,
            source: correction.source.code(),
            source_id: correction.source_id,
            reason: correction.reason,
            changed_by: correction.by,
            changed_at: correction.at,
        },
    )
    .await?;
    audit::record(
        conn,
        audit_ctx,
        AuditEvent::new(
            "result.corrected",
            "assessment_result",
            format!("{}:{}", correction.cycle_id, correction.person_id),
            json!({
                "version": version,
                "source": correction.source.code(),
                "source_id": correction.source_id,
                "grade": { "before": current.grade.code(), "after": correction.grade.code() },
                "score": { "before": current.score, "after": score },
            }),
        ),
    )
    .await?;
    if notices::any_issued(conn, correction.cycle_id, correction.person_id).await? {
        issue_notices(conn, today).await?;
    }
    // The counters of the use of results follow the grade in force (§19.6).
    crate::workflow::result_use::refresh_person(conn, correction.person_id, today).await?;
    Ok(version)
}

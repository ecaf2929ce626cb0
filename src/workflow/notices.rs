//! Event notices: raised in the transaction of the event they tell about, so
//! they appear at once and carry the event's time (`now()` of that
//! transaction, the same instant the event's own row records), and settled
//! when the person acts on them (docs/DOMAIN.md §12). Each has a dedupe key,
//! so raising one twice adds nothing.

use serde_json::json;
use sqlx::PgConnection;

use crate::db::notifications::{self, NewNotification};

fn plan_returned_prefix(set_id: i64) -> String {
    format!("plan_returned:{set_id}:")
}

fn report_returned_prefix(report_id: i64) -> String {
    format!("report_returned:{report_id}:")
}

fn summary_returned_prefix(summary_id: i64) -> String {
    format!("summary_returned:{summary_id}:")
}

/// Tells the owner of a staff set that it was returned; `version` is the
/// set's version after the return (one notice per return).
pub async fn plan_returned(
    conn: &mut PgConnection,
    set_id: i64,
    version: i32,
    owner: i64,
    cycle_name: &str,
) -> Result<bool, sqlx::Error> {
    let n = NewNotification {
        person_id: owner,
        message: "notify-plan-returned",
        args: json!({ "title": cycle_name }),
        link: format!("/plan/sets/{set_id}"),
        dedupe_key: Some(format!("{}{version}", plan_returned_prefix(set_id))),
    };
    notifications::raise(conn, &n).await
}

/// The set was submitted again: its "returned" notices are settled.
pub async fn plan_resubmitted(conn: &mut PgConnection, set_id: i64) -> Result<u64, sqlx::Error> {
    notifications::resolve(conn, &plan_returned_prefix(set_id)).await
}

/// Tells the sender of a progress report that it was returned; `version` is
/// the report's version after the return.
pub async fn report_returned(
    conn: &mut PgConnection,
    report_id: i64,
    version: i32,
    sender: i64,
    target_title: &str,
) -> Result<bool, sqlx::Error> {
    let n = NewNotification {
        person_id: sender,
        message: "notify-report-returned",
        args: json!({ "title": target_title }),
        link: format!("/monitor/reports/{report_id}"),
        dedupe_key: Some(format!("{}{version}", report_returned_prefix(report_id))),
    };
    notifications::raise(conn, &n).await
}

/// The report was sent again: its "returned" notices are settled.
pub async fn report_resubmitted(conn: &mut PgConnection, report_id: i64) -> Result<u64, sqlx::Error> {
    notifications::resolve(conn, &report_returned_prefix(report_id)).await
}

/// Tells the author of a self-summary that it was returned; `version` is the
/// summary's version after the return.
pub async fn summary_returned(
    conn: &mut PgConnection,
    summary_id: i64,
    version: i32,
    author: i64,
    cycle_id: i64,
    cycle_name: &str,
) -> Result<bool, sqlx::Error> {
    let n = NewNotification {
        person_id: author,
        message: "notify-summary-returned",
        args: json!({ "title": cycle_name }),
        link: format!("/assess/cycles/{cycle_id}/summary"),
        dedupe_key: Some(format!("{}{version}", summary_returned_prefix(summary_id))),
    };
    notifications::raise(conn, &n).await
}

/// The summary was submitted again: its "returned" notices are settled.
pub async fn summary_resubmitted(conn: &mut PgConnection, summary_id: i64) -> Result<u64, sqlx::Error> {
    notifications::resolve(conn, &summary_returned_prefix(summary_id)).await
}

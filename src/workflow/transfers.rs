//! Transfers during a period (docs/DOMAIN.md §2.7): the department that
//! assesses a participant is the one they are in at the period's end.

use chrono::NaiveDate;
use serde_json::json;
use sqlx::PgConnection;

use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::cycles::{self, CycleRow, MovedMember};

/// As a cycle enters the assessment stage, sets each frozen participant's
/// cycle department to their department on the period's last day (or on
/// `today`, if earlier), and audits the moves with the stage move's
/// transaction. The participants moved.
pub async fn assess_in_end_department(
    conn: &mut PgConnection,
    actor: &AuditContext,
    cycle: &CycleRow,
    today: NaiveDate,
) -> Result<Vec<MovedMember>, sqlx::Error> {
    let day = cycle.period_end.min(today);
    let moved = cycles::assess_in_department_on(conn, cycle.id, day).await?;
    if moved.is_empty() {
        return Ok(moved);
    }
    let names: Vec<&str> = moved.iter().map(|m| m.full_name.as_str()).collect();
    let people: Vec<_> = moved
        .iter()
        .map(|m| json!({ "person_id": m.person_id, "from": m.from_department_id, "to": m.to_department_id }))
        .collect();
    let summary = json!({ "on": day, "person": names.join("、"), "moved": people });
    audit::record(conn, actor, AuditEvent::new("cycle.members_transferred", "cycle", cycle.id, summary)).await?;
    Ok(moved)
}

//! The work systems' step that reaches into another workflow (docs/DOMAIN.md
//! §18.2): an event linked to a target, once held, counts as progress on the
//! target through an ordinary progress report.

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::db::events::{self, EventRow};
use crate::db::reports::{self, ReportData, Sender};
use crate::domain::monitor::{ProgressState, periods};

/// Raises a progress report (submitted) on the event's target for the
/// reporting period that holds `held_on`, citing the event, and records it on
/// the event. Nothing when the event has no target, already raised one, the
/// target no longer counts, the day lies outside the target's cycle or the
/// period already has an open report (the owner cites the event there).
pub async fn report_progress_on_target(
    conn: &mut PgConnection,
    event: &EventRow,
    summary: &str,
    sender: i64,
    held_on: NaiveDate,
) -> Result<Option<i64>, sqlx::Error> {
    let Some(target_id) = event.target_id.filter(|_| event.progress_report_id.is_none()) else {
        return Ok(None);
    };
    let Some(cycle) = events::target_cycle(conn, target_id).await?.filter(|c| c.active) else {
        return Ok(None);
    };
    let Some(period) = periods(cycle.period_start, cycle.period_end, cycle.report_frequency)
        .into_iter()
        .find(|(from, to)| (*from..=*to).contains(&held_on))
    else {
        return Ok(None);
    };
    if events::open_report_exists(conn, target_id, period.0).await? {
        return Ok(None);
    }
    let data = ReportData {
        state: Some(ProgressState::OnTrack),
        narrative: progress_narrative(event, summary),
        ..Default::default()
    };
    let id =
        reports::create(conn, target_id, period, &data, Sender { person_id: sender, acting_for: None }, None).await?;
    events::set_progress_report(conn, event.id, id).await?;
    Ok(Some(id))
}

/// The report's narrative: the event cited by number, title and dates, then its output.
fn progress_narrative(event: &EventRow, summary: &str) -> String {
    format!("[#{}] {} ({} – {})\n{}", event.id, event.title, event.starts_on, event.ends_on, summary.trim())
}

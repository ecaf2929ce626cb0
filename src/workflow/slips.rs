//! Issuing three-colour slips (三色督办单) from the work-day calendar: the
//! background task calls `issue_due_slips` daily, and the supervision
//! officer's "issue today's slips now" button calls it too.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::json;
use sqlx::PgConnection;

use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::calendar;
use crate::db::settings;
use crate::db::supervision::{self, NewSlip};
use crate::domain::monitor::{
    ItemTimeline, SlipColour, issue_week, item_behind, red_slip_penalty_level, red_slip_source_key, slip_colour,
    slip_reissue_due,
};
use crate::domain::settings::Settings;
use crate::domain::workdays::WorkCalendar;

/// Extra days of calendar loaded past the latest date needed, so that the
/// answer date (10 work days, a long holiday in between) is computed with
/// the office's overrides.
const CALENDAR_MARGIN_DAYS: i64 = 90;

/// The calendar from the earliest to the latest of `today` and `dues`, plus a margin.
pub async fn calendar_around(
    conn: &mut PgConnection,
    today: NaiveDate,
    dues: impl Iterator<Item = NaiveDate>,
) -> Result<WorkCalendar, sqlx::Error> {
    let (from, to) = dues.fold((today, today), |(lo, hi), d| (lo.min(d), hi.max(d)));
    calendar::load(conn, from, to + Duration::days(CALENDAR_MARGIN_DAYS)).await
}

/// The colour an item shows today, by the settings of the year (docs/DOMAIN.md
/// §8.4): late, or behind its time line or by rejected done reports.
pub fn current_colour(
    item: &ItemTimeline,
    today: NaiveDate,
    settings: &Settings,
    calendar: &WorkCalendar,
) -> Option<SlipColour> {
    let behind = item_behind(item, today, settings);
    slip_colour(item.status, item.due, today, item.return_count, behind, settings, calendar)
}

/// Issues today's slips for every open item whose colour calls for one: one
/// per item and colour every `slip_reissue_weeks` ISO weeks (the settings of
/// today's year; every week by default), so running it again (the same day,
/// or later the same week) adds nothing. Each new slip gets an audit row
/// `supervision_slip.issued`, and is charged to whoever was responsible on
/// the missed due date (or, before it, today): the assignee or the B covering
/// for them then; a new red slip also proposes the red-slip
/// penalty in the ledger (pending review), once per item and level. Call it inside a transaction.
/// Returns the number of slips issued.
pub async fn issue_due_slips(
    conn: &mut PgConnection,
    today: NaiveDate,
    actor: &AuditContext,
) -> Result<usize, sqlx::Error> {
    let settings = settings::for_year(conn, today.year()).await?;
    let items = supervision::open_for_slips(conn).await?;
    if items.is_empty() {
        return Ok(0);
    }
    let calendar = calendar_around(conn, today, items.iter().map(|i| i.due_date)).await?;
    let answer_due = calendar.add_workdays(today, settings.slip_answer_workdays.into());
    let week = issue_week(today);
    let mut issued = 0;
    for item in &items {
        let Some(colour) = current_colour(&item.timeline(), today, &settings, &calendar) else {
            continue;
        };
        if !slip_reissue_due(item.last_slip(colour), today, settings.slip_reissue_weeks) {
            continue;
        }
        // A missed due date belongs to whoever was responsible on it, the B covering then included (§3.4).
        let charge_day = if today > item.due_date { item.due_date } else { today };
        let slip =
            NewSlip { item_id: item.id, colour, issued_on: today, answer_due, issue_week: week.clone(), charge_day };
        let Some(slip_id) = supervision::insert_slip(conn, &slip).await? else { continue };
        issued += 1;
        // docs/DOMAIN.md §8.5: the penalty is per item (and per further level), never per reissue.
        let level = red_slip_penalty_level(item.first_red.unwrap_or(today), today, settings.red_slip_repeat_weeks);
        let penalty = if colour == SlipColour::Red {
            let reason = format!("红色督办单：{}", item.title);
            supervision::propose_red_slip_penalty(conn, item.id, level, item.department_id, today, &reason).await?
        } else {
            None
        };
        let summary = json!({
            "item_id": item.id, "colour": colour.code(), "issued_on": today, "answer_due": answer_due,
            "issue_week": week, "due_date": item.due_date, "ledger_record_id": penalty, "charge_day": charge_day,
        });
        audit::record(conn, actor, AuditEvent::new("supervision_slip.issued", "supervision_slip", slip_id, summary))
            .await?;
        if let Some(record_id) = penalty {
            let summary = json!({
                "source_key": red_slip_source_key(item.id, level), "supervision_slip_id": slip_id,
                "department_id": item.department_id,
            });
            audit::record(conn, actor, AuditEvent::new("ledger_record.proposed", "ledger_record", record_id, summary))
                .await?;
        }
    }
    Ok(issued)
}

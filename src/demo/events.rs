//! The demo's work systems (`events.toml`, docs/DOMAIN.md §18.2): the 2025
//! events held with their output, tasks, members and follow-ups, and the
//! 2026 ones around the demo day with open preparation tasks.

use anyhow::{Context, anyhow};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;

use super::Plan;
use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::events::{self, EventData, OutputData};
use crate::db::members;
use crate::domain::events::{EventKind, EventStatus};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EventSpec {
    kind: String,
    title: String,
    #[serde(default)]
    topic: String,
    starts_on: String,
    ends_on: String,
    #[serde(default)]
    place: String,
    department: String,
    #[serde(default)]
    co_departments: Vec<String>,
    status: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    suggestions: i32,
    #[serde(default)]
    invite: usize,
    #[serde(default)]
    attend: usize,
    #[serde(default)]
    tasks: Vec<TaskSpec>,
    #[serde(default)]
    follow_ups: Vec<FollowUpSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskSpec {
    title: String,
    owner: String,
    #[serde(default)]
    department: Option<String>,
    due: String,
    #[serde(default)]
    done: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FollowUpSpec {
    body: String,
    owner: String,
    due: String,
    #[serde(default)]
    done: Option<String>,
}

/// An event with its indexes resolved (departments of the office file, people of the plan).
#[derive(Debug, Clone)]
pub(super) struct PlannedEvent {
    data: EventSpec,
    kind: EventKind,
    status: EventStatus,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    department: usize,
    co_departments: Vec<usize>,
    /// (title, owner, responsible department, due, done)
    tasks: Vec<(String, usize, usize, NaiveDate, Option<NaiveDate>)>,
    /// (body, owner, due, done)
    follow_ups: Vec<(String, usize, NaiveDate, Option<NaiveDate>)>,
}

fn day(text: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| anyhow!("demo data events.toml: bad date {text}"))
}

/// A demo username, or a department's first person.
fn person(plan: &Plan, owner: &str) -> anyhow::Result<usize> {
    if let Some(i) = plan.people.iter().position(|p| p.username == owner) {
        return Ok(i);
    }
    let department = plan.department_index(owner)?;
    plan.people
        .iter()
        .position(|p| p.department == Some(department))
        .ok_or_else(|| anyhow!("demo data events.toml: nobody works in {owner}"))
}

/// Walks `events.toml` into events, every name resolved.
pub(super) fn plan(plan: &Plan) -> anyhow::Result<Vec<PlannedEvent>> {
    let mut out = Vec::new();
    for spec in &plan.data.events {
        let context = || format!("demo data events.toml: event {}", spec.title);
        let kind =
            EventKind::parse(&spec.kind).ok_or_else(|| anyhow!("unknown kind {}", spec.kind)).with_context(context)?;
        let status = EventStatus::parse(&spec.status)
            .ok_or_else(|| anyhow!("unknown status {}", spec.status))
            .with_context(context)?;
        let department = plan.department_index(&spec.department)?;
        let co_departments =
            spec.co_departments.iter().map(|d| plan.department_index(d)).collect::<anyhow::Result<Vec<_>>>()?;
        let mut tasks = Vec::new();
        for t in &spec.tasks {
            let owner = person(plan, &t.owner)?;
            let responsible = match &t.department {
                Some(d) => plan.department_index(d)?,
                None => plan.people[owner].department.ok_or_else(|| anyhow!("{} has no department", t.owner))?,
            };
            tasks.push((t.title.clone(), owner, responsible, day(&t.due)?, t.done.as_deref().map(day).transpose()?));
        }
        let mut follow_ups = Vec::new();
        for f in &spec.follow_ups {
            follow_ups.push((
                f.body.clone(),
                person(plan, &f.owner)?,
                day(&f.due)?,
                f.done.as_deref().map(day).transpose()?,
            ));
        }
        out.push(PlannedEvent {
            kind,
            status,
            starts_on: day(&spec.starts_on)?,
            ends_on: day(&spec.ends_on)?,
            department,
            co_departments,
            tasks,
            follow_ups,
            data: spec.clone(),
        });
    }
    Ok(out)
}

/// Creates the events through the same db functions the pages use; how many.
pub(super) async fn write(
    conn: &mut PgConnection,
    planned: &[PlannedEvent],
    department_ids: &[i64],
    person_ids: &[i64],
    creator: i64,
) -> anyhow::Result<usize> {
    let active = members::active(conn).await?;
    for (n, e) in planned.iter().enumerate() {
        let data = EventData {
            kind: e.kind,
            title: e.data.title.clone(),
            topic: e.data.topic.clone(),
            starts_on: e.starts_on,
            ends_on: e.ends_on,
            place: e.data.place.clone(),
            department_id: department_ids[e.department],
            co_department_ids: e.co_departments.iter().map(|d| department_ids[*d]).collect(),
            target_id: None,
        };
        let id = events::create(conn, &data, creator).await?;
        for (title, owner, department, due, done) in &e.tasks {
            let task = events::add_task(conn, id, title, person_ids[*owner], department_ids[*department], *due).await?;
            if let Some(done) = done {
                events::finish_task(conn, task, person_ids[*owner], *done).await?;
            }
        }
        // Members the department keeps in touch with first, then the others, turned by the event's place in the file.
        let mut chosen: Vec<i64> = active
            .iter()
            .filter(|m| m.contact_department_id == Some(data.department_id))
            .chain(active.iter().filter(|m| m.contact_department_id != Some(data.department_id)).cycle().skip(n * 7))
            .map(|m| m.id)
            .take(e.data.invite)
            .collect();
        chosen.dedup();
        events::invite(conn, id, &chosen, creator).await?;
        let mut version = 1;
        if matches!(e.status, EventStatus::Held | EventStatus::Closed) {
            let output = OutputData { summary: e.data.summary.clone(), suggestions_adopted: e.data.suggestions };
            events::record_output(conn, id, version, &output, e.ends_on).await?;
            version += 1;
            events::set_attendance(conn, id, &chosen[..e.data.attend.min(chosen.len())]).await?;
        }
        if matches!(e.status, EventStatus::Closed | EventStatus::Cancelled) {
            events::set_status(conn, id, version, e.status).await?;
        }
        for (body, owner, due, done) in &e.follow_ups {
            let item = events::add_follow_up(conn, id, body, person_ids[*owner], *due).await?;
            if let Some(done) = done {
                events::finish_follow_up(conn, item, person_ids[*owner], *done).await?;
            }
        }
    }
    let ctx = AuditContext { actor_name: "cppcc-perf demo".into(), ..Default::default() };
    let summary = json!({ "events": planned.len() });
    audit::record(conn, &ctx, AuditEvent::new("demo.events_loaded", "event", "demo", summary)).await?;
    Ok(planned.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_resolves_and_the_years_hold_what_the_demo_needs() {
        let office = super::super::plan().unwrap();
        let events = plan(&office).unwrap();
        let of_2025 =
            |kind| events.iter().filter(|e| e.starts_on.format("%Y").to_string() == "2025" && e.kind == kind).count();
        assert_eq!(of_2025(EventKind::Meeting), 2);
        assert_eq!(of_2025(EventKind::Research), 4);
        assert_eq!(of_2025(EventKind::Inspection), 3);
        assert!((4..=5).contains(&of_2025(EventKind::Activity)));
        let demo_day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let staff = office.people.iter().position(|p| p.username == "staff").unwrap();
        let late_for_staff =
            events.iter().flat_map(|e| &e.tasks).any(|t| t.1 == staff && t.4.is_none() && t.3 < demo_day);
        assert!(late_for_staff, "a 2026 task of `staff` is late on the demo day");
        for e in &events {
            assert!(e.starts_on <= e.ends_on && e.data.attend <= e.data.invite, "{}", e.data.title);
        }
    }
}

//! The office's work systems (docs/DOMAIN.md §18.2): events, their
//! co-departments, preparation tasks, invited members, follow-ups, and the
//! timeliness figures the department scorecard draws on.

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::domain::events::{EventKind, EventStatus};

/// A department's preparation tasks due in a year (of events not cancelled):
/// how many, and how many were done on or before their due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskTimeliness {
    pub department_id: i64,
    pub due: i64,
    pub on_time: i64,
}

/// Preparation tasks of events not cancelled whose due date falls in `year`,
/// per responsible department (docs/DOMAIN.md §18.2). `on_time`: done on or
/// before the due date, by the office's (Beijing) date.
pub async fn task_timeliness(conn: &mut PgConnection, year: i32) -> Result<Vec<TaskTimeliness>, sqlx::Error> {
    sqlx::query_as!(
        TaskTimeliness,
        r#"select t.department_id as "department_id!",
                  count(*) as "due!",
                  count(*) filter (where t.done_on is not null and t.done_on <= t.due_on) as "on_time!"
           from event_task t
           join event e on e.id = t.event_id
           where e.status <> 'cancelled'
             and t.due_on between make_date($1, 1, 1) and make_date($1, 12, 31)
           group by t.department_id
           order by t.department_id"#,
        year
    )
    .fetch_all(conn)
    .await
}

/// One event as the department scorecard traces it: what the department's
/// part was, and its tasks due in the year and on time.
#[derive(Debug, Clone)]
pub struct DepartmentEvent {
    pub id: i64,
    pub kind: EventKind,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: EventStatus,
    /// The department owns (牵头) the event; else it co-runs it or only answers for tasks.
    pub owns: bool,
    pub co_runs: bool,
    /// The department's preparation tasks due in the year, and those done on time
    /// (zero for a cancelled event, as in [`task_timeliness`]).
    pub tasks_due: i64,
    pub tasks_on_time: i64,
    pub suggestions_adopted: i32,
}

/// The year's events of a department: those it owns or co-runs that start in
/// `year`, and any event where it answers for a preparation task due in
/// `year` — so the rows add up to its [`task_timeliness`] figure.
pub async fn events_of_department(
    conn: &mut PgConnection,
    department_id: i64,
    year: i32,
) -> Result<Vec<DepartmentEvent>, sqlx::Error> {
    sqlx::query_as!(
        DepartmentEvent,
        r#"with tasks as (
               select t.event_id, count(*) as due,
                      count(*) filter (where t.done_on is not null and t.done_on <= t.due_on) as on_time
               from event_task t
               where t.department_id = $1 and t.due_on between make_date($2, 1, 1) and make_date($2, 12, 31)
               group by t.event_id
           )
           select e.id, e.kind as "kind: EventKind", e.title, e.starts_on as "starts_on: NaiveDate", e.ends_on as "ends_on: NaiveDate",
                  e.status as "status: EventStatus",
                  (e.department_id = $1) as "owns!",
                  exists (select 1 from event_co_department c where c.event_id = e.id and c.department_id = $1) as "co_runs!",
                  (case when e.status = 'cancelled' then 0 else coalesce(k.due, 0) end) as "tasks_due!",
                  (case when e.status = 'cancelled' then 0 else coalesce(k.on_time, 0) end) as "tasks_on_time!",
                  e.suggestions_adopted
           from event e
           left join tasks k on k.event_id = e.id
           where k.event_id is not null
              or (e.starts_on between make_date($2, 1, 1) and make_date($2, 12, 31)
                  and (e.department_id = $1
                       or exists (select 1 from event_co_department c where c.event_id = e.id and c.department_id = $1)))
           order by e.starts_on, e.id"#,
        department_id,
        year
    )
    .fetch_all(conn)
    .await
}

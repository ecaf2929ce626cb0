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

/// Preparation tasks of events not cancelled whose due date falls in `year`
/// and that have fallen due by `today` (or are done), per responsible
/// department (docs/DOMAIN.md §18.2). `on_time`: done on or before the due
/// date, by the office's (Beijing) date. A task not yet due counts neither way.
pub async fn task_timeliness(
    conn: &mut PgConnection,
    year: i32,
    today: NaiveDate,
) -> Result<Vec<TaskTimeliness>, sqlx::Error> {
    sqlx::query_as!(
        TaskTimeliness,
        r#"select t.department_id as "department_id!",
                  count(*) as "due!",
                  count(*) filter (where t.done_on is not null and t.done_on <= t.due_on) as "on_time!"
           from event_task t
           join event e on e.id = t.event_id
           where e.status <> 'cancelled'
             and t.due_on between make_date($1, 1, 1) and make_date($1, 12, 31)
             and (t.done_on is not null or t.due_on < $2)
           group by t.department_id
           order by t.department_id"#,
        year,
        today as _
    )
    .fetch_all(conn)
    .await
}

/// One event as the department scorecard traces it: what the department's
/// part was, and its tasks due in the year and on time.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
/// `year` — so the rows add up to its [`task_timeliness`] figure on `today`.
pub async fn events_of_department(
    conn: &mut PgConnection,
    department_id: i64,
    year: i32,
    today: NaiveDate,
) -> Result<Vec<DepartmentEvent>, sqlx::Error> {
    sqlx::query_as!(
        DepartmentEvent,
        r#"with tasks as (
               select t.event_id, count(*) as due,
                      count(*) filter (where t.done_on is not null and t.done_on <= t.due_on) as on_time
               from event_task t
               where t.department_id = $1 and t.due_on between make_date($2, 1, 1) and make_date($2, 12, 31)
                 and (t.done_on is not null or t.due_on < $3)
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
        year,
        today as _
    )
    .fetch_all(conn)
    .await
}

/// An event with the names around it, for the list and its page.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub id: i64,
    pub kind: EventKind,
    pub title: String,
    pub topic: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: String,
    pub department_id: i64,
    pub department_name: String,
    pub target_id: Option<i64>,
    pub target_title: Option<String>,
    pub status: EventStatus,
    pub summary: String,
    pub suggestions_adopted: i32,
    pub held_on: Option<NaiveDate>,
    pub progress_report_id: Option<i64>,
    pub version: i32,
    pub co_department_ids: Vec<i64>,
    pub co_department_names: Vec<String>,
    /// The owners of its preparation tasks and follow-ups, who may read it.
    pub task_owner_ids: Vec<i64>,
    pub tasks: i64,
    pub tasks_open: i64,
}

/// What the list asks for: the year, and optional kind, department and status.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub year: i32,
    pub kind: Option<EventKind>,
    pub department_id: Option<i64>,
    pub status: Option<EventStatus>,
}

/// Who reads which events: all, or those of some departments (owned or
/// co-run) and those where the person owns a task or follow-up.
#[derive(Debug, Clone)]
pub struct EventScope {
    pub all: bool,
    pub departments: Vec<i64>,
    pub person_id: i64,
}

/// The events of the filter the scope may read, in date order.
pub async fn list(
    conn: &mut PgConnection,
    scope: &EventScope,
    filter: &EventFilter,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as!(
        EventRow,
        r#"select e.id, e.kind as "kind: EventKind", e.title, e.topic, e.starts_on as "starts_on: NaiveDate",
                  e.ends_on as "ends_on: NaiveDate", e.place, e.department_id, d.name as department_name,
                  e.target_id, t.title as "target_title?", e.status as "status: EventStatus", e.summary,
                  e.suggestions_adopted, e.held_on as "held_on: NaiveDate", e.progress_report_id, e.version,
                  coalesce(array(select c.department_id from event_co_department c join department cd on cd.id = c.department_id
                                 where c.event_id = e.id order by cd.sort_order, cd.name), '{}') as "co_department_ids!",
                  coalesce(array(select cd.name from event_co_department c join department cd on cd.id = c.department_id
                                 where c.event_id = e.id order by cd.sort_order, cd.name), '{}') as "co_department_names!",
                  coalesce(array(select owner_id from event_task where event_id = e.id
                                 union select owner_id from event_follow_up where event_id = e.id), '{}') as "task_owner_ids!",
                  (select count(*) from event_task where event_id = e.id) as "tasks!",
                  (select count(*) from event_task where event_id = e.id and done_on is null) as "tasks_open!"
           from event e
           join department d on d.id = e.department_id
           left join target t on t.id = e.target_id
           where e.starts_on between make_date($1, 1, 1) and make_date($1, 12, 31)
             and ($2::event_kind is null or e.kind = $2)
             and ($3::bigint is null or e.department_id = $3
                  or exists (select 1 from event_co_department c where c.event_id = e.id and c.department_id = $3))
             and ($4::event_status is null or e.status = $4)
             and ($5 or e.department_id = any($6)
                  or exists (select 1 from event_co_department c where c.event_id = e.id and c.department_id = any($6))
                  or exists (select 1 from event_task k where k.event_id = e.id and k.owner_id = $7)
                  or exists (select 1 from event_follow_up f where f.event_id = e.id and f.owner_id = $7))
           order by e.starts_on, e.id"#,
        filter.year,
        filter.kind as Option<EventKind>,
        filter.department_id,
        filter.status as Option<EventStatus>,
        scope.all,
        &scope.departments,
        scope.person_id
    )
    .fetch_all(conn)
    .await
}

/// One event, or `None`.
pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<EventRow>, sqlx::Error> {
    sqlx::query_as!(
        EventRow,
        r#"select e.id, e.kind as "kind: EventKind", e.title, e.topic, e.starts_on as "starts_on: NaiveDate",
                  e.ends_on as "ends_on: NaiveDate", e.place, e.department_id, d.name as department_name,
                  e.target_id, t.title as "target_title?", e.status as "status: EventStatus", e.summary,
                  e.suggestions_adopted, e.held_on as "held_on: NaiveDate", e.progress_report_id, e.version,
                  coalesce(array(select c.department_id from event_co_department c join department cd on cd.id = c.department_id
                                 where c.event_id = e.id order by cd.sort_order, cd.name), '{}') as "co_department_ids!",
                  coalesce(array(select cd.name from event_co_department c join department cd on cd.id = c.department_id
                                 where c.event_id = e.id order by cd.sort_order, cd.name), '{}') as "co_department_names!",
                  coalesce(array(select owner_id from event_task where event_id = e.id
                                 union select owner_id from event_follow_up where event_id = e.id), '{}') as "task_owner_ids!",
                  (select count(*) from event_task where event_id = e.id) as "tasks!",
                  (select count(*) from event_task where event_id = e.id and done_on is null) as "tasks_open!"
           from event e
           join department d on d.id = e.department_id
           left join target t on t.id = e.target_id
           where e.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Locks an event for a change; its version and status.
pub async fn lock(conn: &mut PgConnection, id: i64) -> Result<Option<(i32, EventStatus)>, sqlx::Error> {
    let row =
        sqlx::query!(r#"select version, status as "status: EventStatus" from event where id = $1 for update"#, id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|r| (r.version, r.status)))
}

/// The plan of an event, as the form saves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventData {
    pub kind: EventKind,
    pub title: String,
    pub topic: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: String,
    pub department_id: i64,
    pub co_department_ids: Vec<i64>,
    pub target_id: Option<i64>,
}

/// Creates a planned event with its co-departments; its id.
pub async fn create(conn: &mut PgConnection, data: &EventData, created_by: i64) -> Result<i64, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "insert into event (kind, title, topic, starts_on, ends_on, place, department_id, target_id, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
        data.kind as EventKind,
        data.title,
        data.topic,
        data.starts_on as _,
        data.ends_on as _,
        data.place,
        data.department_id,
        data.target_id,
        created_by
    )
    .fetch_one(&mut *conn)
    .await?;
    set_co_departments(conn, id, &data.co_department_ids).await?;
    Ok(id)
}

async fn set_co_departments(conn: &mut PgConnection, id: i64, departments: &[i64]) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from event_co_department where event_id = $1", id).execute(&mut *conn).await?;
    sqlx::query!(
        "insert into event_co_department (event_id, department_id) select $1, unnest($2::bigint[])",
        id,
        departments
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Saves a planned event's plan if it is still at `version`; false otherwise.
pub async fn update(conn: &mut PgConnection, id: i64, version: i32, data: &EventData) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update event set kind = $3, title = $4, topic = $5, starts_on = $6, ends_on = $7, place = $8,
                          department_id = $9, target_id = $10, version = version + 1
         where id = $1 and version = $2 and status = 'planned'",
        id,
        version,
        data.kind as EventKind,
        data.title,
        data.topic,
        data.starts_on as _,
        data.ends_on as _,
        data.place,
        data.department_id,
        data.target_id
    )
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if done {
        set_co_departments(conn, id, &data.co_department_ids).await?;
    }
    Ok(done)
}

/// The output of a held event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputData {
    pub summary: String,
    pub suggestions_adopted: i32,
}

/// Marks a planned event held on `today` with its output, or saves a held
/// event's output again, if still at `version`; false otherwise.
pub async fn record_output(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    output: &OutputData,
    today: NaiveDate,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "update event set summary = $3, suggestions_adopted = $4, status = 'held', held_on = coalesce(held_on, $5),
                          version = version + 1
         where id = $1 and version = $2 and status in ('planned', 'held')",
        id,
        version,
        output.summary,
        output.suggestions_adopted,
        today as _
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Moves an event to `to` (closed or cancelled) if still at `version`.
pub async fn set_status(conn: &mut PgConnection, id: i64, version: i32, to: EventStatus) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "update event set status = $3, version = version + 1 where id = $1 and version = $2",
        id,
        version,
        to as EventStatus
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Records the progress report raised on the event's target.
pub async fn set_progress_report(conn: &mut PgConnection, id: i64, report_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!("update event set progress_report_id = $2 where id = $1", id, report_id).execute(conn).await?;
    Ok(())
}

/// A preparation task or follow-up with its owner's name.
#[derive(Debug, Clone)]
pub struct TaskRow {
    pub id: i64,
    pub event_id: i64,
    pub title: String,
    pub owner_id: i64,
    pub owner_name: String,
    /// The responsible department (tasks); the owner's (follow-ups).
    pub department_name: Option<String>,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

pub async fn tasks(conn: &mut PgConnection, event_id: i64) -> Result<Vec<TaskRow>, sqlx::Error> {
    sqlx::query_as!(
        TaskRow,
        r#"select t.id, t.event_id, t.title, t.owner_id, p.full_name as owner_name, d.name as "department_name?",
                  t.due_on as "due_on: NaiveDate", t.done_on as "done_on: NaiveDate"
           from event_task t join person p on p.id = t.owner_id join department d on d.id = t.department_id
           where t.event_id = $1 order by t.due_on, t.id"#,
        event_id
    )
    .fetch_all(conn)
    .await
}

pub async fn follow_ups(conn: &mut PgConnection, event_id: i64) -> Result<Vec<TaskRow>, sqlx::Error> {
    sqlx::query_as!(
        TaskRow,
        r#"select f.id, f.event_id, f.body as title, f.owner_id, p.full_name as owner_name, d.name as "department_name?",
                  f.due_on as "due_on: NaiveDate", f.done_on as "done_on: NaiveDate"
           from event_follow_up f join person p on p.id = f.owner_id left join department d on d.id = p.department_id
           where f.event_id = $1 order by f.due_on, f.id"#,
        event_id
    )
    .fetch_all(conn)
    .await
}

/// A new preparation task; its id.
pub async fn add_task(
    conn: &mut PgConnection,
    event_id: i64,
    title: &str,
    owner_id: i64,
    department_id: i64,
    due_on: NaiveDate,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into event_task (event_id, title, owner_id, department_id, due_on) values ($1, $2, $3, $4, $5) returning id",
        event_id,
        title,
        owner_id,
        department_id,
        due_on as _
    )
    .fetch_one(conn)
    .await
}

/// A new follow-up item; its id.
pub async fn add_follow_up(
    conn: &mut PgConnection,
    event_id: i64,
    body: &str,
    owner_id: i64,
    due_on: NaiveDate,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into event_follow_up (event_id, body, owner_id, due_on) values ($1, $2, $3, $4) returning id",
        event_id,
        body,
        owner_id,
        due_on as _
    )
    .fetch_one(conn)
    .await
}

/// Marks an open task done on `today` by `person`; false when it was done already.
pub async fn finish_task(conn: &mut PgConnection, id: i64, person: i64, today: NaiveDate) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "update event_task set done_on = $3, done_by = $2, done_at = now(), version = version + 1
         where id = $1 and done_on is null",
        id,
        person,
        today as _
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Marks an open follow-up done on `today`; false when it was done already.
pub async fn finish_follow_up(
    conn: &mut PgConnection,
    id: i64,
    person: i64,
    today: NaiveDate,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "update event_follow_up set done_on = $3, done_by = $2 where id = $1 and done_on is null",
        id,
        person,
        today as _
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The event a task belongs to, and its owner; `None` for an unknown task.
pub async fn task_owner(conn: &mut PgConnection, id: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let row = sqlx::query!("select event_id, owner_id from event_task where id = $1", id).fetch_optional(conn).await?;
    Ok(row.map(|r| (r.event_id, r.owner_id)))
}

/// The event a follow-up belongs to, and its owner.
pub async fn follow_up_owner(conn: &mut PgConnection, id: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let row =
        sqlx::query!("select event_id, owner_id from event_follow_up where id = $1", id).fetch_optional(conn).await?;
    Ok(row.map(|r| (r.event_id, r.owner_id)))
}

/// An invited member and whether they attended.
#[derive(Debug, Clone)]
pub struct InviteeRow {
    pub member_id: i64,
    pub full_name: String,
    pub sector: String,
    pub special_committee: String,
    pub attended: bool,
}

pub async fn invitees(conn: &mut PgConnection, event_id: i64) -> Result<Vec<InviteeRow>, sqlx::Error> {
    sqlx::query_as!(
        InviteeRow,
        "select m.id as member_id, m.full_name, m.sector, m.special_committee, i.attended
         from event_member i join member m on m.id = i.member_id
         where i.event_id = $1 order by m.sector, m.full_name, m.id",
        event_id
    )
    .fetch_all(conn)
    .await
}

/// Invites active members (those already invited stay as they are); how many were added.
pub async fn invite(conn: &mut PgConnection, event_id: i64, members: &[i64], by: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        "insert into event_member (event_id, member_id, invited_by)
         select $1, m.id, $3 from member m where m.id = any($2) and m.active
         on conflict do nothing",
        event_id,
        members,
        by
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// Records who of the invited attended: exactly `attended`.
pub async fn set_attendance(conn: &mut PgConnection, event_id: i64, attended: &[i64]) -> Result<(), sqlx::Error> {
    sqlx::query!("update event_member set attended = (member_id = any($2)) where event_id = $1", event_id, attended)
        .execute(conn)
        .await?;
    Ok(())
}

/// A person's open tasks and follow-ups due by `until`, for the to-dos.
#[derive(Debug, Clone)]
pub struct OpenDue {
    pub event_id: i64,
    pub follow_up: bool,
    pub due_on: NaiveDate,
}

pub async fn open_due(conn: &mut PgConnection, person_id: i64, until: NaiveDate) -> Result<Vec<OpenDue>, sqlx::Error> {
    sqlx::query_as!(
        OpenDue,
        r#"select t.event_id as "event_id!", false as "follow_up!", t.due_on as "due_on!: NaiveDate"
           from event_task t join event e on e.id = t.event_id
           where t.owner_id = $1 and t.done_on is null and t.due_on <= $2 and e.status <> 'cancelled'
           union all
           select f.event_id, true, f.due_on
           from event_follow_up f join event e on e.id = f.event_id
           where f.owner_id = $1 and f.done_on is null and f.due_on <= $2 and e.status <> 'cancelled'"#,
        person_id,
        until as _
    )
    .fetch_all(conn)
    .await
}

/// The cycle facts a linked target's progress report needs: the cycle's
/// period and reporting frequency, and whether the target still counts.
#[derive(Debug, Clone)]
pub struct TargetCycle {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub report_frequency: crate::domain::plan::ReportFrequency,
    pub active: bool,
}

pub async fn target_cycle(conn: &mut PgConnection, target_id: i64) -> Result<Option<TargetCycle>, sqlx::Error> {
    sqlx::query_as!(
        TargetCycle,
        r#"select c.period_start as "period_start: NaiveDate", c.period_end as "period_end: NaiveDate",
                  c.report_frequency as "report_frequency: crate::domain::plan::ReportFrequency",
                  (t.active and c.stage <> 'closed') as "active!"
           from target t join target_set s on s.id = t.set_id join cycle c on c.id = s.cycle_id
           where t.id = $1"#,
        target_id
    )
    .fetch_optional(conn)
    .await
}

/// Whether the target has a report of the period that is not yet verified.
pub async fn open_report_exists(
    conn: &mut PgConnection,
    target_id: i64,
    period_start: NaiveDate,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from progress_report where target_id = $1 and period_start = $2 and status <> 'verified') as "e!""#,
        target_id,
        period_start as _
    )
    .fetch_one(conn)
    .await
}

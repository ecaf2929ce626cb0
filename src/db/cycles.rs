//! Assessment cycles (考核周期): their dates and stages, who takes part, the
//! counts shown before a stage move, and the stage history from the audit log.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sqlx::PgConnection;

use crate::domain::cycles::ChecklistFacts;
use crate::domain::plan::{CycleKind, CycleStage, ReportFrequency};

/// A cycle as stored.
#[derive(Debug, Clone)]
pub struct CycleRow {
    pub id: i64,
    pub name: String,
    pub kind: CycleKind,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub stage: CycleStage,
    pub planning_until: NaiveDate,
    pub implementation_until: NaiveDate,
    pub assessment_until: NaiveDate,
    pub feedback_until: NaiveDate,
    pub report_frequency: ReportFrequency,
    pub all_participants: bool,
    /// The annual cycle a quarterly cycle belongs to.
    pub annual_cycle_id: Option<i64>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

/// A row of the cycle list: the cycle and how many take part.
#[derive(Debug, Clone)]
pub struct CycleListItem {
    pub cycle: CycleRow,
    pub participants: usize,
}

/// What a cycle form saves.
#[derive(Debug, Clone)]
pub struct CycleData {
    pub name: String,
    pub kind: CycleKind,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub planning_until: NaiveDate,
    pub implementation_until: NaiveDate,
    pub assessment_until: NaiveDate,
    pub feedback_until: NaiveDate,
    pub report_frequency: ReportFrequency,
    pub all_participants: bool,
    /// The annual cycle a quarterly cycle belongs to.
    pub annual_cycle_id: Option<i64>,
    /// Chosen departments (when not everyone takes part).
    pub departments: Vec<i64>,
    /// Chosen people (when not everyone takes part).
    pub people: Vec<i64>,
}

/// A person taking part in a cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantRow {
    pub person_id: i64,
    pub full_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
}

/// A person who may be chosen as a participant (active, holding `staff`).
#[derive(Debug, Clone)]
pub struct StaffChoice {
    pub id: i64,
    pub full_name: String,
    pub department_name: Option<String>,
}

/// The departments and people chosen for a cycle.
#[derive(Debug, Clone, Default)]
pub struct ChosenParticipants {
    pub departments: Vec<i64>,
    pub people: Vec<i64>,
}

/// One audit row about a cycle, with the stage move read from its summary.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub at: DateTime<Utc>,
    pub actor_name: String,
    pub action: String,
    pub from: Option<CycleStage>,
    pub to: Option<CycleStage>,
    pub reason: String,
}

/// Cycles, newest first, with their participant counts.
pub async fn list(conn: &mut PgConnection) -> Result<Vec<CycleListItem>, sqlx::Error> {
    let cycles = sqlx::query_as!(
        CycleRow,
        r#"select id, name, kind as "kind: CycleKind", period_start as "period_start: NaiveDate",
                  period_end as "period_end: NaiveDate", stage as "stage: CycleStage",
                  planning_until as "planning_until: NaiveDate", implementation_until as "implementation_until: NaiveDate",
                  assessment_until as "assessment_until: NaiveDate", feedback_until as "feedback_until: NaiveDate",
                  report_frequency as "report_frequency: ReportFrequency", all_participants, annual_cycle_id,
                  version, created_at as "created_at: DateTime<Utc>"
           from cycle order by period_start desc, id desc"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<i64> = cycles.iter().map(|c| c.id).collect();
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for (cycle_id, _) in participants_of(conn, &ids).await? {
        *counts.entry(cycle_id).or_default() += 1;
    }
    Ok(cycles
        .into_iter()
        .map(|cycle| CycleListItem { participants: counts.get(&cycle.id).copied().unwrap_or(0), cycle })
        .collect())
}

pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<CycleRow>, sqlx::Error> {
    sqlx::query_as!(
        CycleRow,
        r#"select id, name, kind as "kind: CycleKind", period_start as "period_start: NaiveDate",
                  period_end as "period_end: NaiveDate", stage as "stage: CycleStage",
                  planning_until as "planning_until: NaiveDate", implementation_until as "implementation_until: NaiveDate",
                  assessment_until as "assessment_until: NaiveDate", feedback_until as "feedback_until: NaiveDate",
                  report_frequency as "report_frequency: ReportFrequency", all_participants, annual_cycle_id,
                  version, created_at as "created_at: DateTime<Utc>"
           from cycle where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// A cycle, its row locked for the rest of the transaction.
pub async fn find_for_update(conn: &mut PgConnection, id: i64) -> Result<Option<CycleRow>, sqlx::Error> {
    sqlx::query_as!(
        CycleRow,
        r#"select id, name, kind as "kind: CycleKind", period_start as "period_start: NaiveDate",
                  period_end as "period_end: NaiveDate", stage as "stage: CycleStage",
                  planning_until as "planning_until: NaiveDate", implementation_until as "implementation_until: NaiveDate",
                  assessment_until as "assessment_until: NaiveDate", feedback_until as "feedback_until: NaiveDate",
                  report_frequency as "report_frequency: ReportFrequency", all_participants, annual_cycle_id,
                  version, created_at as "created_at: DateTime<Utc>"
           from cycle where id = $1 for update"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Creates a cycle in planning with its chosen departments and people.
pub async fn create(conn: &mut PgConnection, data: &CycleData) -> Result<i64, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until,
                            assessment_until, feedback_until, report_frequency, all_participants, annual_cycle_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id",
        data.name,
        data.kind as CycleKind,
        data.period_start as _,
        data.period_end as _,
        data.planning_until as _,
        data.implementation_until as _,
        data.assessment_until as _,
        data.feedback_until as _,
        data.report_frequency as ReportFrequency,
        data.all_participants,
        data.annual_cycle_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    replace_chosen(conn, id, data).await?;
    Ok(id)
}

/// Saves if the cycle is still at `version`; `None` when it moved (a
/// concurrent edit), else the stage it is in. Participants change only while
/// the cycle is in planning; later they are kept as they were.
pub async fn update(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    data: &CycleData,
) -> Result<Option<CycleStage>, sqlx::Error> {
    let stage = sqlx::query_scalar!(
        r#"update cycle set name = $3, kind = $4, period_start = $5, period_end = $6, planning_until = $7,
                  implementation_until = $8, assessment_until = $9, feedback_until = $10, report_frequency = $11,
                  all_participants = case when stage = 'planning' then $12 else all_participants end,
                  annual_cycle_id = $13, version = version + 1
           where id = $1 and version = $2
           returning stage as "stage: CycleStage""#,
        id,
        version,
        data.name,
        data.kind as CycleKind,
        data.period_start as _,
        data.period_end as _,
        data.planning_until as _,
        data.implementation_until as _,
        data.assessment_until as _,
        data.feedback_until as _,
        data.report_frequency as ReportFrequency,
        data.all_participants,
        data.annual_cycle_id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    if stage == Some(CycleStage::Planning) {
        replace_chosen(conn, id, data).await?;
    }
    Ok(stage)
}

/// Replaces the chosen departments and people of a cycle (none when everyone takes part).
async fn replace_chosen(conn: &mut PgConnection, id: i64, data: &CycleData) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from cycle_department where cycle_id = $1", id).execute(&mut *conn).await?;
    sqlx::query!("delete from cycle_person where cycle_id = $1", id).execute(&mut *conn).await?;
    if data.all_participants {
        return Ok(());
    }
    sqlx::query!(
        "insert into cycle_department (cycle_id, department_id)
         select $1, d from unnest($2::bigint[]) as d on conflict do nothing",
        id,
        &data.departments
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into cycle_person (cycle_id, person_id)
         select $1, p from unnest($2::bigint[]) as p on conflict do nothing",
        id,
        &data.people
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The departments and people chosen for a cycle.
pub async fn chosen(conn: &mut PgConnection, id: i64) -> Result<ChosenParticipants, sqlx::Error> {
    let departments = sqlx::query_scalar!(
        "select department_id from cycle_department where cycle_id = $1 order by department_id",
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let people = sqlx::query_scalar!("select person_id from cycle_person where cycle_id = $1 order by person_id", id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(ChosenParticipants { departments, people })
}

/// Who takes part in a cycle, by department then name.
pub async fn participants(conn: &mut PgConnection, cycle_id: i64) -> Result<Vec<ParticipantRow>, sqlx::Error> {
    Ok(participants_of(conn, &[cycle_id]).await?.into_iter().map(|(_, p)| p).collect())
}

/// The participants of cycles, by the rule of the `cycle_participant` view
/// (active staff: everyone, or the chosen departments and people).
async fn participants_of(
    conn: &mut PgConnection,
    cycle_ids: &[i64],
) -> Result<Vec<(i64, ParticipantRow)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select cp.cycle_id as "cycle_id!", cp.person_id as "person_id!", p.full_name, cp.department_id,
                  d.name as "department_name?"
           from cycle_participant cp
           join person p on p.id = cp.person_id
           left join department d on d.id = cp.department_id
           where cp.cycle_id = any($1)
           order by cp.cycle_id, d.sort_order nulls last, d.name nulls last, p.full_name, p.id"#,
        cycle_ids
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let person = ParticipantRow {
                person_id: r.person_id,
                full_name: r.full_name,
                department_id: r.department_id,
                department_name: r.department_name,
            };
            (r.cycle_id, person)
        })
        .collect())
}

/// People who may be chosen as participants: active, holding `staff`.
pub async fn staff_choices(conn: &mut PgConnection) -> Result<Vec<StaffChoice>, sqlx::Error> {
    sqlx::query_as!(
        StaffChoice,
        r#"select p.id, p.full_name, d.name as "department_name?"
           from person p left join department d on d.id = p.department_id
           where p.active and exists (select 1 from role_grant g where g.person_id = p.id and g.role = 'staff')
           order by d.sort_order nulls last, d.name nulls last, p.full_name, p.id"#
    )
    .fetch_all(conn)
    .await
}

/// Moves a cycle from `from` to `to` if it is still at `version` and in
/// `from`; false when someone moved or edited it meanwhile.
pub async fn set_stage(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    from: CycleStage,
    to: CycleStage,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update cycle set stage = $4, version = version + 1 where id = $1 and version = $2 and stage = $3",
        id,
        version,
        from as CycleStage,
        to as CycleStage,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Freezes a cycle's participants as the live rule gives them now (when it
/// leaves planning): later arrivals and departures no longer change it.
pub async fn freeze_participants(conn: &mut PgConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from cycle_member where cycle_id = $1", id).execute(&mut *conn).await?;
    sqlx::query!(
        "insert into cycle_member (cycle_id, person_id, department_id)
         select cycle_id, person_id, department_id from cycle_rule_participant where cycle_id = $1",
        id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("update cycle set participants_frozen = true where id = $1", id).execute(conn).await?;
    Ok(())
}

/// A participant whose cycle department changed: (person, before, after).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedMember {
    pub person_id: i64,
    pub full_name: String,
    pub from_department_id: Option<i64>,
    pub to_department_id: Option<i64>,
}

/// Sets each frozen participant's department to the one they were in on
/// `day` (docs/DOMAIN.md §2.7): the department that assesses them. A person
/// without a record of that day (they joined later) keeps theirs.
pub async fn assess_in_department_on(
    conn: &mut PgConnection,
    cycle_id: i64,
    day: NaiveDate,
) -> Result<Vec<MovedMember>, sqlx::Error> {
    sqlx::query_as!(
        MovedMember,
        r#"update cycle_member m set department_id = department_on(m.person_id, $2)
           from cycle_member old
           where m.cycle_id = $1 and old.cycle_id = m.cycle_id and old.person_id = m.person_id
             and m.department_id is distinct from department_on(m.person_id, $2)
             and (exists (select 1 from department_history h where h.person_id = m.person_id and h.from_day <= $2)
                  or not exists (select 1 from department_history h where h.person_id = m.person_id))
           returning m.person_id, (select p.full_name from person p where p.id = m.person_id) as "full_name!",
                     old.department_id as from_department_id, m.department_id as to_department_id"#,
        cycle_id,
        day as _
    )
    .fetch_all(conn)
    .await
}

/// Back in planning, the live rule decides the participants again.
pub async fn unfreeze_participants(conn: &mut PgConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!("update cycle set participants_frozen = false where id = $1", id).execute(conn).await?;
    Ok(())
}

/// Whether a cycle's participants are frozen (it has left planning).
pub async fn participants_frozen(conn: &mut PgConnection, id: i64) -> Result<bool, sqlx::Error> {
    let frozen =
        sqlx::query_scalar!("select participants_frozen from cycle where id = $1", id).fetch_optional(conn).await?;
    Ok(frozen.unwrap_or(false))
}

/// Active staff who are not (frozen) participants of a cycle: whom the
/// performance office may add after the freeze.
pub async fn member_choices(conn: &mut PgConnection, cycle_id: i64) -> Result<Vec<StaffChoice>, sqlx::Error> {
    sqlx::query_as!(
        StaffChoice,
        r#"select p.id, p.full_name, d.name as "department_name?"
           from person p left join department d on d.id = p.department_id
           where p.active and exists (select 1 from role_grant g where g.person_id = p.id and g.role = 'staff')
             and not exists (select 1 from cycle_member m where m.cycle_id = $1 and m.person_id = p.id)
           order by d.sort_order nulls last, d.name nulls last, p.full_name, p.id"#,
        cycle_id
    )
    .fetch_all(conn)
    .await
}

/// Adds a person to a frozen cycle, for their department now.
pub async fn add_member(conn: &mut PgConnection, cycle_id: i64, person_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "insert into cycle_member (cycle_id, person_id, department_id)
         select $1, p.id, p.department_id from person p where p.id = $2
         on conflict do nothing",
        cycle_id,
        person_id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes a person from a frozen cycle.
pub async fn remove_member(conn: &mut PgConnection, cycle_id: i64, person_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!("delete from cycle_member where cycle_id = $1 and person_id = $2", cycle_id, person_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The counts of the stage-move checklist for a cycle and its participants.
pub async fn checklist_facts(
    conn: &mut PgConnection,
    cycle_id: i64,
    participants: &[ParticipantRow],
) -> Result<ChecklistFacts, sqlx::Error> {
    let people: Vec<i64> = participants.iter().map(|p| p.person_id).collect();
    let mut departments: Vec<i64> = participants.iter().filter_map(|p| p.department_id).collect();
    departments.sort_unstable();
    departments.dedup();
    let row = sqlx::query!(
        r#"select
             (select count(*) from unnest($2::bigint[]) as p(id)
               where not exists (select 1 from target_set s
                                 where s.cycle_id = $1 and s.level = 'person' and s.person_id = p.id)) as "without_set!",
             (select count(*) from target_set s
               where s.cycle_id = $1 and s.level = 'person' and s.person_id = any($2)
                 and s.status <> 'approved') as "not_approved!",
             (select count(*) from unnest($3::bigint[]) as d(id)
               where not exists (select 1 from target_set s
                                 where s.cycle_id = $1 and s.level = 'department' and s.department_id = d.id
                                   and s.status = 'approved')) as "departments_not_approved!",
             (select count(*) from target_set s where s.cycle_id = $1 and s.status = 'approved') as "approved_sets!",
             (select count(*) from target_change c
                join target t on t.id = c.target_id
                join target_set s on s.id = t.set_id
               where s.cycle_id = $1 and c.status = 'pending') as "pending_changes!""#,
        cycle_id,
        &people,
        &departments,
    )
    .fetch_one(conn)
    .await?;
    Ok(ChecklistFacts {
        participants: participants.len() as i64,
        people_without_set: row.without_set,
        people_not_approved: row.not_approved,
        departments_not_approved: row.departments_not_approved,
        approved_sets: row.approved_sets,
        pending_changes: row.pending_changes,
    })
}

/// Everything the audit log holds about a cycle, newest first.
pub async fn history(conn: &mut PgConnection, cycle_id: i64) -> Result<Vec<HistoryRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select at as "at: DateTime<Utc>", actor_name, action, summary
           from audit_log where object_type = 'cycle' and object_id = $1
           order by id desc"#,
        cycle_id.to_string()
    )
    .fetch_all(conn)
    .await?;
    let stage = |summary: &Value, key: &str| summary.get(key).and_then(Value::as_str).and_then(CycleStage::parse);
    Ok(rows
        .into_iter()
        .map(|r| HistoryRow {
            from: stage(&r.summary, "from"),
            to: stage(&r.summary, "to"),
            // A stage move's reason, or the person a participant change was about.
            reason: ["reason", "person"]
                .iter()
                .find_map(|key| r.summary.get(*key).and_then(Value::as_str))
                .unwrap_or_default()
                .to_string(),
            at: r.at,
            actor_name: r.actor_name,
            action: r.action,
        })
        .collect())
}

/// An annual cycle a quarterly cycle may belong to.
#[derive(Debug, Clone)]
pub struct AnnualChoice {
    pub id: i64,
    pub name: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
}

/// The annual cycles, newest first.
pub async fn annual_choices(conn: &mut PgConnection) -> Result<Vec<AnnualChoice>, sqlx::Error> {
    sqlx::query_as!(
        AnnualChoice,
        r#"select id, name, period_start as "period_start: NaiveDate", period_end as "period_end: NaiveDate"
           from cycle where kind = 'annual' order by period_start desc, id desc"#
    )
    .fetch_all(conn)
    .await
}

/// The quarterly cycles of an annual cycle, in order.
pub async fn quarters_of(conn: &mut PgConnection, annual_id: i64) -> Result<Vec<AnnualChoice>, sqlx::Error> {
    sqlx::query_as!(
        AnnualChoice,
        r#"select id, name, period_start as "period_start: NaiveDate", period_end as "period_end: NaiveDate"
           from cycle where annual_cycle_id = $1 order by period_start, id"#,
        annual_id
    )
    .fetch_all(conn)
    .await
}

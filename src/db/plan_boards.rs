//! Read models of the planning stage: a person's plans, a department's,
//! the departments a leader oversees, the completeness board, the alignment
//! tree and the to-do counts. Each page is one query.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::domain::plan::{CycleStage, Direction, PlanStatus, TargetKind, TargetLevel};

/// A cycle the person takes part in, with their set if they have one.
#[derive(Debug, Clone)]
pub struct MyCycleRow {
    pub cycle_id: i64,
    pub cycle_name: String,
    pub stage: CycleStage,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub set_id: Option<i64>,
    pub status: Option<PlanStatus>,
    pub targets: i64,
    pub weight_total: Decimal,
}

/// The open cycles the person takes part in, newest first.
pub async fn my_cycles(conn: &mut PgConnection, person_id: i64) -> Result<Vec<MyCycleRow>, sqlx::Error> {
    sqlx::query_as!(
        MyCycleRow,
        r#"select c.id as cycle_id, c.name as cycle_name, c.stage as "stage: CycleStage",
                  c.period_start as "period_start: NaiveDate", c.period_end as "period_end: NaiveDate",
                  s.id as "set_id?", s.status as "status?: PlanStatus",
                  (select count(*) from target t where t.set_id = s.id and t.active) as "targets!",
                  (select coalesce(sum(t.weight), 0) from target t where t.set_id = s.id and t.active) as "weight_total!"
           from cycle_participant cp
           join cycle c on c.id = cp.cycle_id
           left join target_set s on s.cycle_id = c.id and s.level = 'person' and s.person_id = cp.person_id
           where cp.person_id = $1 and c.stage <> 'closed'
           order by c.period_start desc, c.id desc"#,
        person_id
    )
    .fetch_all(conn)
    .await
}

/// One person (or the department itself) on a department's plan page.
#[derive(Debug, Clone)]
pub struct PlanStatusRow {
    pub level: TargetLevel,
    pub person_id: Option<i64>,
    pub owner: String,
    pub set_id: Option<i64>,
    pub status: Option<PlanStatus>,
    pub targets: i64,
    pub weight_total: Decimal,
}

/// The department's own set and every participant's, for one cycle.
pub async fn department_plans(
    conn: &mut PgConnection,
    cycle_id: i64,
    department_id: i64,
) -> Result<Vec<PlanStatusRow>, sqlx::Error> {
    sqlx::query_as!(
        PlanStatusRow,
        r#"select 'department'::target_level as "level!: TargetLevel", null::bigint as person_id, d.name as "owner!",
                  s.id as "set_id?", s.status as "status?: PlanStatus",
                  (select count(*) from target t where t.set_id = s.id and t.active) as "targets!",
                  (select coalesce(sum(t.weight), 0) from target t where t.set_id = s.id and t.active) as "weight_total!"
           from department d
           left join target_set s on s.cycle_id = $1 and s.level = 'department' and s.department_id = d.id
           where d.id = $2
           union all
           select 'person'::target_level, p.id, p.full_name, s.id, s.status,
                  (select count(*) from target t where t.set_id = s.id and t.active),
                  (select coalesce(sum(t.weight), 0) from target t where t.set_id = s.id and t.active)
           from cycle_participant cp
           join person p on p.id = cp.person_id
           left join target_set s on s.cycle_id = cp.cycle_id and s.level = 'person' and s.person_id = p.id
           where cp.cycle_id = $1 and cp.department_id = $2
           order by 1 desc, 3"#,
        cycle_id,
        department_id
    )
    .fetch_all(conn)
    .await
}

/// Counts of a department's plans in one cycle: the completeness board's row.
#[derive(Debug, Clone)]
pub struct CompletenessRow {
    pub department_id: i64,
    pub department_name: String,
    pub participants: i64,
    pub without_set: i64,
    pub unapproved: i64,
    pub weights_off: i64,
    pub approved: i64,
    pub department_status: Option<PlanStatus>,
}

/// Every department (or only `departments`) with its plan counts for a cycle.
pub async fn completeness(
    conn: &mut PgConnection,
    cycle_id: i64,
    departments: Option<&[i64]>,
) -> Result<Vec<CompletenessRow>, sqlx::Error> {
    sqlx::query_as!(
        CompletenessRow,
        r#"with person_sets as (
               select cp.department_id, s.id as set_id, s.status,
                      (select coalesce(sum(t.weight), 0) from target t where t.set_id = s.id and t.active) as weights
               from cycle_participant cp
               left join target_set s on s.cycle_id = cp.cycle_id and s.level = 'person' and s.person_id = cp.person_id
               where cp.cycle_id = $1)
           select d.id as department_id, d.name as department_name,
                  count(ps.department_id) as "participants!",
                  count(ps.department_id) filter (where ps.set_id is null) as "without_set!",
                  count(ps.set_id) filter (where ps.status <> 'approved') as "unapproved!",
                  count(ps.set_id) filter (where ps.weights <> 100) as "weights_off!",
                  count(ps.set_id) filter (where ps.status = 'approved') as "approved!",
                  (select s.status from target_set s where s.cycle_id = $1 and s.level = 'department'
                     and s.department_id = d.id) as "department_status?: PlanStatus"
           from department d
           left join person_sets ps on ps.department_id = d.id
           where d.active and ($2::bigint[] is null or d.id = any($2))
           group by d.id
           order by d.sort_order, d.name"#,
        cycle_id,
        departments as Option<&[i64]>
    )
    .fetch_all(conn)
    .await
}

/// One target of a cycle for the alignment tree.
#[derive(Debug, Clone)]
pub struct TreeTargetRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub set_id: i64,
    pub department_id: Option<i64>,
    pub level: TargetLevel,
    pub title: String,
    pub owner: String,
    pub weight: Decimal,
    pub status: PlanStatus,
    pub target_value: Option<Decimal>,
    pub direction: Direction,
    pub kind: TargetKind,
    /// The audited value of the latest verified progress report.
    pub audited: Option<Decimal>,
}

/// Every active target of a cycle, in display order, with its latest audited progress.
pub async fn cycle_targets(conn: &mut PgConnection, cycle_id: i64) -> Result<Vec<TreeTargetRow>, sqlx::Error> {
    sqlx::query_as!(
        TreeTargetRow,
        r#"select t.id, t.parent_id, t.set_id, s.department_id, s.level as "level: TargetLevel", t.title,
                  coalesce(p.full_name, d.name, '') as "owner!", t.weight, s.status as "status: PlanStatus",
                  t.target_value, t.direction as "direction: Direction", t.kind as "kind: TargetKind",
                  (select r.audited_value from progress_report r where r.target_id = t.id and r.status = 'verified'
                   order by r.period_start desc, r.id desc limit 1) as audited
           from target t
           join target_set s on s.id = t.set_id
           left join person p on p.id = s.person_id
           left join department d on d.id = s.department_id
           where s.cycle_id = $1 and t.active
           order by s.level, d.sort_order nulls first, t.sort_order, t.id"#,
        cycle_id
    )
    .fetch_all(conn)
    .await
}

/// A cycle for the pickers of the plan pages.
#[derive(Debug, Clone)]
pub struct CycleChoice {
    pub id: i64,
    pub name: String,
    pub stage: CycleStage,
    /// The year of the cycle's start: whose settings apply to it.
    pub year: i32,
}

impl crate::domain::cycles::CycleOption for CycleChoice {
    fn cycle_id(&self) -> i64 {
        self.id
    }

    fn cycle_stage(&self) -> CycleStage {
        self.stage
    }
}

/// Every cycle, open ones first, newest first.
pub async fn cycle_choices(conn: &mut PgConnection) -> Result<Vec<CycleChoice>, sqlx::Error> {
    sqlx::query_as!(
        CycleChoice,
        r#"select id, name, stage as "stage: CycleStage", extract(year from period_start)::integer as "year!" from cycle
           order by stage = 'closed', period_start desc, id desc"#
    )
    .fetch_all(conn)
    .await
}

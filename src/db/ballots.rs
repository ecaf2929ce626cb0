//! Rater tasks and ballots (docs/DOMAIN.md §17.12). A democratic ballot is
//! stored without its rater, time or ordered id; its task only turns done.
//! Paper ballots and corrections of ballots by the performance office.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::domain::assessment::raters::{Participant, Raters, Task, kind_code};
use crate::domain::career::RankTier;
use crate::domain::identity::IdentityType;
use crate::domain::transfers;

use super::{people, settings};

/// What the rater rules need about a cycle: its participants (with whether
/// they head their department) and the office's heads, leaders and principal leaders.
pub async fn rater_inputs(conn: &mut PgConnection, cycle_id: i64) -> Result<(Vec<Participant>, Raters), sqlx::Error> {
    let period = sqlx::query!(
        r#"select period_start as "period_start: NaiveDate", period_end as "period_end: NaiveDate"
           from cycle where id = $1"#,
        cycle_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let rows = sqlx::query!(
        r#"select cp.person_id as "person_id!", cp.department_id,
                  exists (select 1 from role_grant g where g.person_id = cp.person_id and g.role = 'department_head'
                          and g.department_id = cp.department_id) as "heads_department!"
           from cycle_participant cp where cp.cycle_id = $1 order by cp.person_id"#,
        cycle_id
    )
    .fetch_all(&mut *conn)
    .await?;
    // A former department that held the person for more than the year's
    // `transfer_consult_percent` of the period rates them too (docs/DOMAIN.md §2.7).
    let consult_percent = match &period {
        Some(c) => {
            u32::try_from(settings::for_year(conn, c.period_end.year()).await?.transfer_consult_percent).unwrap_or(50)
        }
        None => 50,
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.person_id).collect();
    let histories = people::department_histories(conn, &ids).await?;
    let participants = rows
        .into_iter()
        .map(|r| {
            let former = period.as_ref().and_then(|c| {
                let history = histories.get(&r.person_id)?;
                let spent = transfers::over_period(history, c.period_start, c.period_end, c.period_end);
                spent.former_holding(consult_percent).filter(|d| Some(*d) != r.department_id)
            });
            Participant {
                person_id: r.person_id,
                department_id: r.department_id,
                heads_department: r.heads_department,
                former_department_id: former,
            }
        })
        .collect();
    let grants = sqlx::query!(
        r#"select g.person_id, g.role::text as "role!", g.department_id
           from role_grant g join person p on p.id = g.person_id
           where p.active and g.role in ('department_head', 'supervising_leader', 'principal_leader')
           order by g.person_id"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut raters = Raters::default();
    for g in grants {
        match (g.role.as_str(), g.department_id) {
            ("department_head", Some(d)) => raters.heads.push((g.person_id, d)),
            ("supervising_leader", Some(d)) => raters.leaders.push((g.person_id, d)),
            ("principal_leader", _) => raters.principal.push(g.person_id),
            _ => {}
        }
    }
    Ok((participants, raters))
}

/// Adds the tasks a cycle does not have yet; the number added.
pub async fn add_tasks(conn: &mut PgConnection, cycle_id: i64, tasks: &[Task]) -> Result<u64, sqlx::Error> {
    let raters: Vec<i64> = tasks.iter().map(|t| t.rater).collect();
    let ratees: Vec<i64> = tasks.iter().map(|t| t.ratee).collect();
    let kinds: Vec<String> = tasks.iter().map(|t| kind_code(t.kind).to_string()).collect();
    let heads: Vec<bool> = tasks.iter().map(|t| t.ratee_is_head).collect();
    let result = sqlx::query!(
        "insert into rating_task (cycle_id, rater_id, ratee_id, rater_kind, ratee_is_head)
         select $1, * from unnest($2::bigint[], $3::bigint[], $4::text[], $5::boolean[])
         on conflict do nothing",
        cycle_id,
        &raters,
        &ratees,
        &kinds,
        &heads,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

/// A cycle's tasks: how many, and how many done.
pub async fn progress(conn: &mut PgConnection, cycle_id: i64) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query!(
        r#"select count(*) as "total!", count(*) filter (where done) as "done!" from rating_task where cycle_id = $1"#,
        cycle_id
    )
    .fetch_one(conn)
    .await?;
    Ok((row.total, row.done))
}

/// One of a rater's tasks, with the names the pages show.
#[derive(Debug, Clone)]
pub struct TaskRow {
    pub cycle_id: i64,
    pub cycle_name: String,
    pub year: i32,
    pub ratee_id: i64,
    pub ratee_name: String,
    pub department_name: Option<String>,
    pub rater_kind: String,
    pub ratee_is_head: bool,
    pub done: bool,
}

/// The rater's tasks in cycles being assessed, by cycle, group and name.
pub async fn tasks_of(conn: &mut PgConnection, rater_id: i64) -> Result<Vec<TaskRow>, sqlx::Error> {
    sqlx::query_as!(
        TaskRow,
        r#"select t.cycle_id, c.name as cycle_name, extract(year from c.period_start)::int as "year!",
                  t.ratee_id, p.full_name as ratee_name, d.name as "department_name?", t.rater_kind,
                  t.ratee_is_head, t.done
           from rating_task t
           join cycle c on c.id = t.cycle_id
           join person p on p.id = t.ratee_id
           left join cycle_participant cp on cp.cycle_id = t.cycle_id and cp.person_id = t.ratee_id
           left join department d on d.id = cp.department_id
           where t.rater_id = $1 and c.stage = 'assessment'
             and not exists (select 1 from assessment_decision d where d.cycle_id = c.id)
           order by c.period_start desc, c.id, t.rater_kind, d.sort_order nulls last, p.full_name"#,
        rater_id
    )
    .fetch_all(conn)
    .await
}

/// One task of the rater, its row locked, in a cycle being assessed and not yet decided.
pub async fn lock_task(
    conn: &mut PgConnection,
    cycle_id: i64,
    rater_id: i64,
    ratee_id: i64,
    kind: &str,
) -> Result<Option<TaskRow>, sqlx::Error> {
    sqlx::query_as!(
        TaskRow,
        r#"select t.cycle_id, c.name as cycle_name, extract(year from c.period_start)::int as "year!",
                  t.ratee_id, p.full_name as ratee_name, d.name as "department_name?", t.rater_kind,
                  t.ratee_is_head, t.done
           from rating_task t
           join cycle c on c.id = t.cycle_id
           join person p on p.id = t.ratee_id
           left join cycle_participant cp on cp.cycle_id = t.cycle_id and cp.person_id = t.ratee_id
           left join department d on d.id = cp.department_id
           where t.cycle_id = $1 and t.rater_id = $2 and t.ratee_id = $3 and t.rater_kind = $4
             and c.stage = 'assessment'
             and not exists (select 1 from assessment_decision d where d.cycle_id = c.id)
           for update of t"#,
        cycle_id,
        rater_id,
        ratee_id,
        kind,
    )
    .fetch_optional(conn)
    .await
}

/// Stores a ballot and turns its task done, in the caller's transaction;
/// false when the task was done already (nothing stored). `rater_id` is
/// `None` for an anonymous ballot.
pub async fn cast(
    conn: &mut PgConnection,
    task: &TaskRow,
    rater_id: i64,
    anonymous: bool,
    levels: &serde_json::Value,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update rating_task set done = true
         where cycle_id = $1 and rater_id = $2 and ratee_id = $3 and rater_kind = $4 and not done",
        task.cycle_id,
        rater_id,
        task.ratee_id,
        task.rater_kind,
    )
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query!(
        "insert into ballot (cycle_id, ratee_id, rater_kind, rater_id, levels) values ($1, $2, $3, $4, $5)",
        task.cycle_id,
        task.ratee_id,
        task.rater_kind,
        (!anonymous).then_some(rater_id),
        levels,
    )
    .execute(conn)
    .await?;
    Ok(true)
}

/// The ballots cast for a person in a cycle: (rater group, levels).
pub async fn ballots_for(
    conn: &mut PgConnection,
    cycle_id: i64,
    ratee_id: i64,
) -> Result<Vec<(String, serde_json::Value)>, sqlx::Error> {
    let rows = sqlx::query!(
        "select rater_kind, levels from ballot where cycle_id = $1 and ratee_id = $2 order by rater_kind",
        cycle_id,
        ratee_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.rater_kind, r.levels)).collect())
}

/// A participant of a cycle as the score pages show them.
#[derive(Debug, Clone)]
pub struct ParticipantRow {
    pub person_id: i64,
    pub full_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub heads_department: bool,
    /// The tier of the person's rank, for quotas allocated by category.
    pub rank_tier: Option<RankTier>,
    pub identity_type: IdentityType,
    pub probation_from: Option<NaiveDate>,
    pub probation_to: Option<NaiveDate>,
    /// The department left by the latest move into the cycle department
    /// during the period, and the first day in the new one (docs/DOMAIN.md §2.7).
    pub moved_from: Option<String>,
    pub moved_on: Option<NaiveDate>,
}

impl ParticipantRow {
    /// Where the person was transferred from during the period, and when.
    pub fn moved(&self) -> Option<(&str, NaiveDate)> {
        self.moved_from.as_deref().zip(self.moved_on)
    }
}

/// The cycle's participants (of `departments`, or all), by department and name.
pub async fn participants(
    conn: &mut PgConnection,
    cycle_id: i64,
    departments: Option<&[i64]>,
) -> Result<Vec<ParticipantRow>, sqlx::Error> {
    sqlx::query_as!(
        ParticipantRow,
        r#"select cp.person_id as "person_id!", p.full_name, cp.department_id, d.name as "department_name?",
                  exists (select 1 from role_grant g where g.person_id = cp.person_id and g.role = 'department_head'
                          and g.department_id = cp.department_id) as "heads_department!",
                  p.rank_tier as "rank_tier: RankTier", p.identity_type as "identity_type: IdentityType",
                  p.probation_from as "probation_from: NaiveDate", p.probation_to as "probation_to: NaiveDate",
                  mv.name as "moved_from?", mv.from_day as "moved_on?: NaiveDate"
           from cycle_participant cp
           join cycle c on c.id = cp.cycle_id
           join person p on p.id = cp.person_id
           left join department d on d.id = cp.department_id
           left join lateral (
               select h.from_day, fd.name
               from (select x.from_day, x.department_id,
                            lag(x.department_id) over (order by x.from_day) as before
                     from department_history x where x.person_id = cp.person_id) h
               join department fd on fd.id = h.before
               where h.from_day > c.period_start and h.from_day <= c.period_end
                 and h.department_id = cp.department_id and h.before <> h.department_id
               order by h.from_day desc limit 1) mv on true
           where cp.cycle_id = $1 and ($2::bigint[] is null or cp.department_id = any($2))
           order by d.sort_order nulls last, d.name, p.full_name, cp.person_id"#,
        cycle_id,
        departments as Option<&[i64]>
    )
    .fetch_all(conn)
    .await
}

/// The levels of a cycle's ballots of one rater group, by the person rated:
/// (ratee, levels). Nothing else of a ballot is read: no rater, no id.
pub async fn group_levels(
    conn: &mut PgConnection,
    cycle_id: i64,
    rater_kind: &str,
) -> Result<Vec<(i64, serde_json::Value)>, sqlx::Error> {
    let rows = sqlx::query!(
        "select ratee_id, levels from ballot where cycle_id = $1 and rater_kind = $2 order by ratee_id",
        cycle_id,
        rater_kind
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.ratee_id, r.levels)).collect())
}

/// Ballots of a cycle: (all, entered from paper).
pub async fn ballot_counts(conn: &mut PgConnection, cycle_id: i64) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query!(
        r#"select count(*) as "total!", count(*) filter (where paper) as "paper!" from ballot where cycle_id = $1"#,
        cycle_id
    )
    .fetch_one(conn)
    .await?;
    Ok((row.total, row.paper))
}

/// How many of the ballots about a person in a cycle were entered from paper
/// (all of them democratic).
pub async fn paper_ballots_about(conn: &mut PgConnection, cycle_id: i64, ratee_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "paper!" from ballot where cycle_id = $1 and ratee_id = $2 and paper"#,
        cycle_id,
        ratee_id
    )
    .fetch_one(conn)
    .await
}

/// A department offered for paper entry.
#[derive(Debug, Clone)]
pub struct DepartmentChoice {
    pub id: i64,
    pub name: String,
}

/// The departments whose participants have democratic tasks in the cycle.
pub async fn paper_departments(conn: &mut PgConnection, cycle_id: i64) -> Result<Vec<DepartmentChoice>, sqlx::Error> {
    sqlx::query_as!(
        DepartmentChoice,
        r#"select d.id, d.name from department d
           where exists (select 1 from rating_task t
                         join cycle_participant cp on cp.cycle_id = t.cycle_id and cp.person_id = t.ratee_id
                         where t.cycle_id = $1 and t.rater_kind = 'democratic' and cp.department_id = d.id)
           order by d.sort_order, d.name, d.id"#,
        cycle_id
    )
    .fetch_all(conn)
    .await
}

/// One democratic task of a department's participant, with the names the paper entry shows.
#[derive(Debug, Clone)]
pub struct DemocraticTaskRow {
    pub ratee_id: i64,
    pub ratee_name: String,
    pub ratee_is_head: bool,
    pub rater_id: i64,
    pub rater_name: String,
    pub done: bool,
}

/// The democratic tasks about the participants of `department_id` in the
/// cycle, by person rated and rater; the rows are locked (`for update`) for
/// the rest of the caller's transaction, so an online ballot waits.
pub async fn democratic_tasks(
    conn: &mut PgConnection,
    cycle_id: i64,
    department_id: i64,
) -> Result<Vec<DemocraticTaskRow>, sqlx::Error> {
    sqlx::query_as!(
        DemocraticTaskRow,
        r#"select t.ratee_id, ratee.full_name as ratee_name, t.ratee_is_head, t.rater_id, rater.full_name as rater_name,
                  t.done
           from rating_task t
           join cycle_participant cp on cp.cycle_id = t.cycle_id and cp.person_id = t.ratee_id
           join person ratee on ratee.id = t.ratee_id
           join person rater on rater.id = t.rater_id
           where t.cycle_id = $1 and t.rater_kind = 'democratic' and cp.department_id = $2
           order by ratee.full_name, t.ratee_id, rater.full_name, t.rater_id
           for update of t"#,
        cycle_id,
        department_id
    )
    .fetch_all(conn)
    .await
}

/// Stores a batch of paper ballots, in the caller's transaction: the
/// attendees' democratic tasks about `ratees` turn done, and each
/// (person rated, levels, count) becomes `count` anonymous ballots marked paper.
pub async fn enter_paper(
    conn: &mut PgConnection,
    cycle_id: i64,
    attendees: &[i64],
    ratees: &[i64],
    ballots: &[(i64, serde_json::Value, i32)],
) -> Result<u64, sqlx::Error> {
    sqlx::query!(
        "update rating_task set done = true
         where cycle_id = $1 and rater_kind = 'democratic' and rater_id = any($2) and ratee_id = any($3) and not done",
        cycle_id,
        attendees,
        ratees,
    )
    .execute(&mut *conn)
    .await?;
    let people: Vec<i64> = ballots.iter().map(|b| b.0).collect();
    let levels: Vec<serde_json::Value> = ballots.iter().map(|b| b.1.clone()).collect();
    let counts: Vec<i32> = ballots.iter().map(|b| b.2).collect();
    let inserted = sqlx::query!(
        "insert into ballot (cycle_id, ratee_id, rater_kind, levels, paper)
         select $1, x.ratee, 'democratic', x.levels, true
         from unnest($2::bigint[], $3::jsonb[], $4::int[]) as x(ratee, levels, n), generate_series(1, x.n)",
        cycle_id,
        &people,
        &levels,
        &counts,
    )
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected())
}

/// A participant of a cycle with the ballots cast about them.
#[derive(Debug, Clone)]
pub struct RateeBallotsRow {
    pub person_id: i64,
    pub full_name: String,
    pub department_name: Option<String>,
    pub ballots: i64,
    pub paper: i64,
    pub corrected: i64,
}

/// Every participant of the cycle with their ballots (all, paper, corrected), by department and name.
pub async fn ballot_overview(conn: &mut PgConnection, cycle_id: i64) -> Result<Vec<RateeBallotsRow>, sqlx::Error> {
    sqlx::query_as!(
        RateeBallotsRow,
        r#"select cp.person_id as "person_id!", p.full_name, d.name as "department_name?",
                  count(b.id) as "ballots!", count(b.id) filter (where b.paper) as "paper!",
                  count(b.id) filter (where exists (select 1 from ballot_correction c where c.ballot_id = b.id))
                      as "corrected!"
           from cycle_participant cp
           join person p on p.id = cp.person_id
           left join department d on d.id = cp.department_id
           left join ballot b on b.cycle_id = cp.cycle_id and b.ratee_id = cp.person_id
           where cp.cycle_id = $1
           group by cp.person_id, p.full_name, d.name, d.sort_order
           order by d.sort_order nulls last, d.name, p.full_name, cp.person_id"#,
        cycle_id
    )
    .fetch_all(conn)
    .await
}

/// A ballot as the performance office sees it: the rater of a named group
/// only, nothing about when it was cast.
#[derive(Debug, Clone)]
pub struct BallotRow {
    pub id: uuid::Uuid,
    pub cycle_id: i64,
    pub ratee_id: i64,
    pub rater_kind: String,
    pub rater_id: Option<i64>,
    pub rater_name: Option<String>,
    pub levels: serde_json::Value,
    pub paper: bool,
    pub corrections: i64,
}

/// The ballots about a person in a cycle, by group, then by levels and id
/// (never by when they were cast).
pub async fn ballots_about(
    conn: &mut PgConnection,
    cycle_id: i64,
    ratee_id: i64,
) -> Result<Vec<BallotRow>, sqlx::Error> {
    sqlx::query_as!(
        BallotRow,
        r#"select b.id, b.cycle_id, b.ratee_id, b.rater_kind, b.rater_id, r.full_name as "rater_name?", b.levels,
                  b.paper, (select count(*) from ballot_correction c where c.ballot_id = b.id) as "corrections!"
           from ballot b left join person r on r.id = b.rater_id
           where b.cycle_id = $1 and b.ratee_id = $2
           order by b.rater_kind, b.paper, b.levels::text, b.id"#,
        cycle_id,
        ratee_id
    )
    .fetch_all(conn)
    .await
}

/// One ballot, its row locked for the rest of the transaction.
pub async fn lock_ballot(conn: &mut PgConnection, id: uuid::Uuid) -> Result<Option<BallotRow>, sqlx::Error> {
    sqlx::query_as!(
        BallotRow,
        r#"select b.id, b.cycle_id, b.ratee_id, b.rater_kind, b.rater_id, r.full_name as "rater_name?", b.levels,
                  b.paper, (select count(*) from ballot_correction c where c.ballot_id = b.id) as "corrections!"
           from ballot b left join person r on r.id = b.rater_id
           where b.id = $1
           for update of b"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Whether the person is rated as a department head in the cycle (their
/// ballots follow the heads' scheme).
pub async fn rated_as_head(conn: &mut PgConnection, cycle_id: i64, ratee_id: i64) -> Result<bool, sqlx::Error> {
    let row = sqlx::query!(
        r#"select coalesce(bool_or(ratee_is_head), false) as "head!" from rating_task
           where cycle_id = $1 and ratee_id = $2"#,
        cycle_id,
        ratee_id
    )
    .fetch_one(conn)
    .await?;
    Ok(row.head)
}

/// A correction of a ballot: who corrected it, why and when, the levels before and after.
#[derive(Debug, Clone)]
pub struct CorrectionRow {
    pub ballot_id: uuid::Uuid,
    pub corrected_by_name: String,
    pub reason: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
    pub corrected_at: DateTime<Utc>,
}

/// The corrections of the ballots about a person in a cycle, oldest first.
pub async fn corrections_about(
    conn: &mut PgConnection,
    cycle_id: i64,
    ratee_id: i64,
) -> Result<Vec<CorrectionRow>, sqlx::Error> {
    sqlx::query_as!(
        CorrectionRow,
        r#"select c.ballot_id, p.full_name as corrected_by_name, c.reason, c.before, c.after,
                  c.corrected_at as "corrected_at: DateTime<Utc>"
           from ballot_correction c
           join ballot b on b.id = c.ballot_id
           join person p on p.id = c.corrected_by
           where b.cycle_id = $1 and b.ratee_id = $2
           order by c.corrected_at, c.id"#,
        cycle_id,
        ratee_id
    )
    .fetch_all(conn)
    .await
}

/// Stores a ballot's new levels and keeps the correction; the correction's id.
pub async fn correct(
    conn: &mut PgConnection,
    ballot: &BallotRow,
    by: i64,
    reason: &str,
    after: &serde_json::Value,
    at: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query!("update ballot set levels = $2 where id = $1", ballot.id, after).execute(&mut *conn).await?;
    let row = sqlx::query!(
        "insert into ballot_correction (ballot_id, corrected_by, reason, before, after, corrected_at)
         values ($1, $2, $3, $4, $5, $6) returning id",
        ballot.id,
        by,
        reason,
        ballot.levels,
        after,
        at as _,
    )
    .fetch_one(conn)
    .await?;
    Ok(row.id)
}

/// For each person rated in a cycle in assessment: how many of the rater
/// tasks about them are done, of how many — (cycle, person, done, total).
/// Counts only: nothing says which rater has voted.
pub async fn progress_about(conn: &mut PgConnection) -> Result<Vec<(i64, i64, i64, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select t.cycle_id, t.ratee_id, count(*) filter (where t.done) as "done!", count(*) as "total!"
           from rating_task t join cycle c on c.id = t.cycle_id
           where c.stage = 'assessment'
           group by t.cycle_id, t.ratee_id"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.cycle_id, r.ratee_id, r.done, r.total)).collect())
}

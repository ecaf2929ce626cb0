//! The assessment and feedback counts of the four-stage dashboard
//! (docs/DOMAIN.md §20.6), per department, in one statement. The plan and
//! monitor counts come from the plan board's completeness query and the
//! office board's cached figures.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

/// One department's assessment and feedback counts for a cycle.
#[derive(Debug, Clone)]
pub struct LaterStagesRow {
    pub department_id: i64,
    pub department_name: String,
    pub participants: i64,
    pub summaries_in: i64,
    pub ratings_done: i64,
    pub ratings_total: i64,
    pub results: i64,
    pub results_corrected: i64,
    pub notices_in_time: i64,
    pub notices_late: i64,
    pub notices_signed: i64,
    pub appeals_in_time: i64,
    pub appeals_late: i64,
    pub appeals_overdue: i64,
    pub rectification_in_time: i64,
    pub rectification_late: i64,
    pub rectification_overdue: i64,
}

/// Every active department's counts for `cycle_id`: the participants'
/// summaries, rating tasks and results, the notices, reviews and appeals of
/// those results, and the rectification items of the department falling due
/// in `rectification_year`.
pub async fn later_stages(
    conn: &mut PgConnection,
    cycle_id: i64,
    rectification_year: i32,
    today: NaiveDate,
) -> Result<Vec<LaterStagesRow>, sqlx::Error> {
    sqlx::query_as!(
        LaterStagesRow,
        r#"with people as (
               select cp.person_id, cp.department_id from cycle_participant cp where cp.cycle_id = $1
           ), summaries as (
               select p.department_id, count(*) as n from self_summary s
               join people p on p.person_id = s.person_id
               where s.cycle_id = $1 and s.status in ('submitted', 'accepted')
               group by p.department_id
           ), ratings as (
               select p.department_id, count(*) filter (where t.done) as done, count(*) as total
               from rating_task t join people p on p.person_id = t.ratee_id
               where t.cycle_id = $1 group by p.department_id
           ), results as (
               select r.department_id, count(*) as n, count(*) filter (where r.version > 1) as corrected
               from assessment_result r where r.cycle_id = $1 group by r.department_id
           ), notices as (
               select r.department_id,
                      count(*) filter (where n.issued_on <= n.due_on) as in_time,
                      count(*) filter (where n.issued_on > n.due_on) as late,
                      count(*) filter (where n.acknowledged_at is not null) as signed
               from result_notice n
               join assessment_result r on r.cycle_id = n.cycle_id and r.person_id = n.person_id
               where n.cycle_id = $1 group by r.department_id
           ), appeals as (
               select r.department_id,
                      count(*) filter (where a.decided_on <= coalesce(a.extended_due, a.answer_due)) as in_time,
                      count(*) filter (where a.decided_on > coalesce(a.extended_due, a.answer_due)) as late,
                      count(*) filter (where a.outcome is null and coalesce(a.extended_due, a.answer_due) < $3) as overdue
               from result_appeal a
               join assessment_result r on r.cycle_id = a.cycle_id and r.person_id = a.person_id
               where a.cycle_id = $1 group by r.department_id
           ), rectification as (
               select i.department_id,
                      count(*) filter (where i.status = 'closed' and i.closed_on <= i.due_on) as in_time,
                      count(*) filter (where i.status = 'closed' and i.closed_on > i.due_on) as late,
                      count(*) filter (where i.status <> 'closed' and i.due_on < $3) as overdue
               from rectification_item i
               where i.due_on between make_date($2, 1, 1) and make_date($2, 12, 31)
               group by i.department_id
           )
           select d.id as department_id, d.name as department_name,
                  (select count(*) from people p where p.department_id = d.id) as "participants!",
                  coalesce(s.n, 0) as "summaries_in!",
                  coalesce(g.done, 0) as "ratings_done!", coalesce(g.total, 0) as "ratings_total!",
                  coalesce(r.n, 0) as "results!", coalesce(r.corrected, 0) as "results_corrected!",
                  coalesce(n.in_time, 0) as "notices_in_time!", coalesce(n.late, 0) as "notices_late!",
                  coalesce(n.signed, 0) as "notices_signed!",
                  coalesce(a.in_time, 0) as "appeals_in_time!", coalesce(a.late, 0) as "appeals_late!",
                  coalesce(a.overdue, 0) as "appeals_overdue!",
                  coalesce(i.in_time, 0) as "rectification_in_time!", coalesce(i.late, 0) as "rectification_late!",
                  coalesce(i.overdue, 0) as "rectification_overdue!"
           from department d
           left join summaries s on s.department_id = d.id
           left join ratings g on g.department_id = d.id
           left join results r on r.department_id = d.id
           left join notices n on n.department_id = d.id
           left join appeals a on a.department_id = d.id
           left join rectification i on i.department_id = d.id
           where d.active
           order by d.sort_order, d.name"#,
        cycle_id,
        rectification_year,
        today as _,
    )
    .fetch_all(conn)
    .await
}

/// Where a cycle's assessment stands as a whole: the committee's quota
/// approval, calibrations, the decision and its publicity.
#[derive(Debug, Clone)]
pub struct AssessmentState {
    pub quota_approved: bool,
    pub calibrations: i64,
    pub decided_at: Option<DateTime<Utc>>,
    pub publicity_until: Option<NaiveDate>,
}

pub async fn assessment_state(conn: &mut PgConnection, cycle_id: i64) -> Result<AssessmentState, sqlx::Error> {
    sqlx::query_as!(
        AssessmentState,
        r#"select exists (select 1 from quota_approval q where q.cycle_id = $1) as "quota_approved!",
                  (select count(*) from calibration c where c.cycle_id = $1) as "calibrations!",
                  d.decided_at as "decided_at?: DateTime<Utc>", d.publicity_until as "publicity_until?: NaiveDate"
           from (select 1) as one
           left join assessment_decision d on d.cycle_id = $1"#,
        cycle_id
    )
    .fetch_one(conn)
    .await
}

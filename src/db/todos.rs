//! The home page's to-do counts in one query, whatever the person's roles:
//! plans and change requests to decide, their own plans to submit or revise,
//! reports to verify, supervision items and slips, ledger records to review,
//! ballots to cast, departments to rate and, for the assessment committee, cycles to decide and
//! objections to answer —
//! and, in the same row, the work calendar the reporting periods need, so the
//! page costs this query, the summaries one and the reporting one. Each count starts from the
//! open cycles, the open items or an index on the person, never from the
//! whole history.

use chrono::NaiveDate;
use sqlx::PgConnection;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::reports::CALENDAR_MARGIN_DAYS;
use super::targets::DeciderScope;
use crate::domain::assessment::summary::{SummaryKind, SummaryStatus};
use crate::domain::workdays::{DayKind, WorkCalendar};

/// What the counts are asked for: who decides what, and two office-wide roles.
#[derive(Debug, Clone)]
pub struct TodoScope {
    pub decider: DeciderScope,
    /// Supervises every department's items (the supervision officer).
    pub supervises_all: bool,
    /// Reviews the ledger (the performance office).
    pub reviews_ledger: bool,
    /// Decides assessments and answers objections (the assessment committee).
    pub decides_assessment: bool,
    /// Rates every department as an office leader (docs/DOMAIN.md §18.4);
    /// heads rate the departments they do not head.
    pub rates_departments: bool,
}

/// The counts, and the calendar over the cycles under implementation and in
/// assessment (reporting periods, summaries' due dates).
#[derive(Debug, Clone)]
pub struct TodoCounts {
    pub sets_to_decide: i64,
    pub changes_to_decide: i64,
    /// Their own sets that were returned in a cycle in planning, and the first of them.
    pub sets_returned: i64,
    pub first_returned_set: Option<i64>,
    /// Cycles in planning where their plan is not yet submitted.
    pub sets_to_submit: i64,
    pub reports_to_verify: i64,
    /// Assigned items the person's side must acknowledge.
    pub items_to_acknowledge: i64,
    /// Unanswered slips of open items the person carries out, and those past their answer date.
    pub slips_to_answer: i64,
    pub slips_overdue: i64,
    /// Done reports of items the person supervises.
    pub items_to_verify: i64,
    pub ledger_to_review: i64,
    /// Rater tasks still open in undecided cycles in assessment (docs/DOMAIN.md §17.12).
    pub ballots_to_cast: i64,
    /// For the committee: undecided cycles in assessment, and objections others
    /// raised that wait for an answer (§17.15).
    pub cycles_to_decide: i64,
    pub objections_to_answer: i64,
    /// Departments the person has yet to rate in a year whose department
    /// ratings are open (§18.4).
    pub departments_to_rate: i64,
    pub calendar: WorkCalendar,
}

pub async fn counts(conn: &mut PgConnection, scope: &TodoScope, today: NaiveDate) -> Result<TodoCounts, sqlx::Error> {
    let d = &scope.decider;
    let row = sqlx::query!(
        r#"with decidable as (
               select s.id, s.status from cycle c
               join target_set s on s.cycle_id = c.id
               join target_set_approval a on a.set_id = s.id
               where c.stage <> 'closed' and cardinality($2::bigint[]) + cardinality($3::bigint[]) > 0
                 and s.person_id is distinct from $1
                 and ((a.approver_role = 'department_head' and a.department_id = any($2))
                   or (a.approver_role = 'supervising_leader' and a.department_id = any($3)))
           ), own_returned as (
               select s.id from cycle c join target_set s on s.cycle_id = c.id
               where c.stage = 'planning' and s.status = 'returned'
                 and (s.person_id = $1 or (s.level = 'department' and s.department_id = any($2)))
           ), carried as (
               select id, status from supervision_item
               where status <> 'closed'
                 and (assignee_id = $1 or department_id = any($2)
                      or assignee_id in (select person_id from covered_by($1, $6)))
           ), unanswered as (
               select s.answer_due from supervision_slip s join carried i on i.id = s.item_id
               where s.answered_at is null
           ), open_assessment as (
               select c.id from cycle c
               where c.stage = 'assessment'
                 and not exists (select 1 from assessment_decision d where d.cycle_id = c.id)
           ), span as (
               select min(period_start) as first, max(period_end) + $7::int as last
               from cycle where stage in ('implementation', 'assessment')
           )
           select (select count(*) from decidable where status = 'submitted') as "sets_to_decide!",
                  (select count(*) from target_change ch join target t on t.id = ch.target_id
                   join decidable s on s.id = t.set_id
                   where ch.status = 'pending' and ch.requested_by <> $1) as "changes_to_decide!",
                  (select count(*) from own_returned) as "sets_returned!",
                  (select min(id) from own_returned) as "first_returned_set?",
                  (select count(*) from cycle_participant cp join cycle c on c.id = cp.cycle_id
                   left join target_set s on s.cycle_id = c.id and s.level = 'person' and s.person_id = cp.person_id
                   where cp.person_id = $1 and c.stage = 'planning'
                     and (s.id is null or s.status = 'draft')) as "sets_to_submit!",
                  (select count(*) from decidable s join target t on t.set_id = s.id
                   join progress_report r on r.target_id = t.id
                   where r.status = 'submitted' and t.owner_id is distinct from $1
                     and r.submitted_by <> $1) as "reports_to_verify!",
                  (select count(*) from carried where status = 'assigned') as "items_to_acknowledge!",
                  (select count(*) from unanswered) as "slips_to_answer!",
                  (select count(*) from unanswered where answer_due < $6) as "slips_overdue!",
                  (select count(*) from supervision_item
                   where status = 'done_reported' and ($4 or department_id = any($3))) as "items_to_verify!",
                  (select count(*) from ledger_record
                   where $5 and status = 'pending' and proposed_by is distinct from $1) as "ledger_to_review!",
                  (select count(*) from rating_task t join open_assessment c on c.id = t.cycle_id
                   where t.rater_id = $1 and not t.done) as "ballots_to_cast!",
                  (select count(*) from open_assessment where $8) as "cycles_to_decide!",
                  (select count(*) from publicity_objection o
                   where $8 and o.upheld is null and o.raised_by <> $1) as "objections_to_answer!",
                  (select count(*) from department dp
                   cross join (select distinct extract(year from c.period_start)::integer as year from cycle c
                               where c.kind = 'annual' and c.stage = 'assessment') y
                   cross join (values ('leader'::department_rater_kind, $9::boolean),
                                      ('peer'::department_rater_kind, cardinality($2::bigint[]) > 0)) k (kind, rates)
                   where dp.active and k.rates and not (k.kind = 'peer' and dp.id = any($2))
                     and not exists (select 1 from department_decision dd where dd.year = y.year)
                     and not exists (select 1 from department_rating r where r.year = y.year and r.kind = k.kind
                                     and r.rater_id = $1 and r.department_id = dp.id)) as "departments_to_rate!",
                  (select array_agg(w.day) from work_calendar w, span
                   where w.kind = 'holiday' and w.day between span.first and span.last)
                    as "holidays: Vec<NaiveDate>",
                  (select array_agg(w.day) from work_calendar w, span
                   where w.kind = 'workday' and w.day between span.first and span.last)
                    as "workdays: Vec<NaiveDate>""#,
        d.person_id,
        &d.heads,
        &d.leads,
        scope.supervises_all,
        scope.reviews_ledger,
        today as _,
        CALENDAR_MARGIN_DAYS as i32,
        scope.decides_assessment,
        scope.rates_departments,
    )
    .fetch_one(conn)
    .await?;
    let holidays = row.holidays.unwrap_or_default().into_iter().map(|day| (day, DayKind::Holiday));
    let workdays = row.workdays.unwrap_or_default().into_iter().map(|day| (day, DayKind::Workday));
    Ok(TodoCounts {
        sets_to_decide: row.sets_to_decide,
        changes_to_decide: row.changes_to_decide,
        sets_returned: row.sets_returned,
        first_returned_set: row.first_returned_set,
        sets_to_submit: row.sets_to_submit,
        reports_to_verify: row.reports_to_verify,
        items_to_acknowledge: row.items_to_acknowledge,
        slips_to_answer: row.slips_to_answer,
        slips_overdue: row.slips_overdue,
        items_to_verify: row.items_to_verify,
        ledger_to_review: row.ledger_to_review,
        ballots_to_cast: row.ballots_to_cast,
        cycles_to_decide: row.cycles_to_decide,
        objections_to_answer: row.objections_to_answer,
        departments_to_rate: row.departments_to_rate,
        calendar: WorkCalendar::new(holidays.chain(workdays)),
    })
}

/// A participant of a cycle in assessment whose summary concerns the person:
/// their own, or one of a department they head or oversee.
#[derive(Debug, Clone)]
pub struct SummaryTodoRow {
    pub person_id: i64,
    pub department_id: Option<i64>,
    pub kind: SummaryKind,
    pub status: Option<SummaryStatus>,
    pub first_submitted_at: Option<DateTime<Utc>>,
    pub period_end: NaiveDate,
    pub assessment_until: NaiveDate,
    pub settings: Option<Value>,
}

/// The summaries of cycles in assessment that concern the person: theirs,
/// and every participant's of the departments in `scope` (the caller decides
/// which of those the person decides).
pub async fn summaries(conn: &mut PgConnection, scope: &DeciderScope) -> Result<Vec<SummaryTodoRow>, sqlx::Error> {
    sqlx::query_as!(
        SummaryTodoRow,
        r#"select cp.person_id as "person_id!", cp.department_id as "department_id?",
                  coalesce(s.kind, case when exists (
                      select 1 from role_grant g where g.person_id = cp.person_id and g.role = 'department_head'
                        and g.department_id = cp.department_id) then 'duty_report' else 'personal' end::summary_kind)
                    as "kind!: SummaryKind",
                  s.status as "status?: SummaryStatus", s.first_submitted_at as "first_submitted_at?: DateTime<Utc>",
                  c.period_end as "period_end: NaiveDate", c.assessment_until as "assessment_until: NaiveDate",
                  (select o.settings from office_setting o
                   where o.year <= extract(year from c.period_end)::int order by o.year desc limit 1) as "settings?"
           from cycle c
           join cycle_participant cp on cp.cycle_id = c.id
           left join self_summary s on s.cycle_id = c.id and s.person_id = cp.person_id
           where c.stage = 'assessment'
             and (cp.person_id = $1 or cp.department_id = any($2) or cp.department_id = any($3))"#,
        scope.person_id,
        &scope.heads,
        &scope.leads
    )
    .fetch_all(conn)
    .await
}

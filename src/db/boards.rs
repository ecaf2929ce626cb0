//! Read models of the monitoring boards: the cycles to pick from, every
//! active target of approved staff plans with its reports, and the
//! per-department facts of supervision, the ledger and service commitments.
//! Each function is one query whatever the number of rows.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::domain::monitor::{ProgressState, ReportStatus};
use crate::domain::plan::{CycleStage, Direction, ReportFrequency, TargetKind};
use crate::domain::settings::Settings;

/// A cycle for the boards' picker, with what the deadlines need.
#[derive(Debug, Clone)]
pub struct BoardCycle {
    pub id: i64,
    pub name: String,
    pub stage: CycleStage,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub report_frequency: ReportFrequency,
    /// The cycle's year's `report_due_workdays` (docs/DOMAIN.md §1.4), carried on every row to save a query.
    pub due_workdays: i32,
    /// The cycle's year's `completion_cap_percent`, likewise.
    pub completion_cap: i32,
    /// The cycle's year's `commendation_cap`, for the ledger totals of its period.
    pub commendation_cap: i32,
    /// The work calendar's holidays and working weekend days from the start of
    /// the cycle to [`CALENDAR_DAYS_AFTER`] days after its end (or today), for
    /// the deadlines: carried on the row to save a query, and only on the rows
    /// a board may show (see [`cycles`]); empty on the others.
    pub holidays: Vec<NaiveDate>,
    pub workdays: Vec<NaiveDate>,
}

impl crate::domain::cycles::CycleOption for BoardCycle {
    fn cycle_id(&self) -> i64 {
        self.id
    }

    fn cycle_stage(&self) -> CycleStage {
        self.stage
    }
}

/// Days of calendar after a cycle's end (or today) that deadlines may need.
pub const CALENDAR_DAYS_AFTER: i32 = 120;

/// Every cycle, newest first. The calendar comes with the cycles a board may
/// show — the one asked for, those under implementation and the newest — so
/// the query does not grow with the years of closed cycles.
pub async fn cycles(
    conn: &mut PgConnection,
    today: NaiveDate,
    wanted: Option<i64>,
) -> Result<Vec<BoardCycle>, sqlx::Error> {
    sqlx::query_as!(
        BoardCycle,
        r#"with shown as (
               select c.*, c.id = $3 or c.stage = 'implementation'
                           or c.id = (select id from cycle order by period_start desc, id desc limit 1) as shown
               from cycle c
           )
           select c.id, c.name, c.stage as "stage: CycleStage",
                  c.period_start as "period_start: NaiveDate", c.period_end as "period_end: NaiveDate",
                  c.report_frequency as "report_frequency: ReportFrequency",
                  coalesce(office_setting_value(extract(year from c.period_start)::integer, 'report_due_workdays'), $4)
                    as "due_workdays!",
                  coalesce(office_setting_value(extract(year from c.period_start)::integer, 'completion_cap_percent'), $5)
                    as "completion_cap!",
                  coalesce(office_setting_value(extract(year from c.period_start)::integer, 'commendation_cap'), $6)
                    as "commendation_cap!",
                  array(select w.day from work_calendar w where c.shown and w.kind = 'holiday'
                        and w.day between c.period_start and greatest(c.period_end, $1) + $2::int)
                    as "holidays!: Vec<NaiveDate>",
                  array(select w.day from work_calendar w where c.shown and w.kind = 'workday'
                        and w.day between c.period_start and greatest(c.period_end, $1) + $2::int)
                    as "workdays!: Vec<NaiveDate>"
           from shown c
           order by c.period_start desc, c.id desc"#,
        today as _,
        CALENDAR_DAYS_AFTER,
        wanted,
        Settings::default().report_due_workdays,
        Settings::default().completion_cap_percent,
        Settings::default().commendation_cap
    )
    .fetch_all(conn)
    .await
}

/// One active target of an approved staff plan, with its latest report, the
/// audited value of its latest verified report, and, per reported period,
/// the day (office time) its first report was sent.
#[derive(Debug, Clone)]
pub struct BoardTargetRow {
    pub target_id: i64,
    pub department_id: i64,
    pub department_name: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub title: String,
    pub weight: Decimal,
    pub target_value: Option<Decimal>,
    pub direction: Direction,
    pub kind: TargetKind,
    pub report_start: Option<NaiveDate>,
    pub report_end: Option<NaiveDate>,
    pub reported_value: Option<Decimal>,
    pub audited_value: Option<Decimal>,
    pub report_status: Option<ReportStatus>,
    pub report_state: Option<ProgressState>,
    pub verified_value: Option<Decimal>,
    /// The period of the latest verified report (what `verified_value` is from).
    pub verified_start: Option<NaiveDate>,
    pub verified_end: Option<NaiveDate>,
    pub sent_starts: Option<Vec<NaiveDate>>,
    pub sent_days: Option<Vec<NaiveDate>>,
}

/// Every active target of the approved staff plans of a cycle, of the given
/// departments (all when `None`), ordered by department, owner and target,
/// with its reporting from `target_progress` (kept by triggers).
pub async fn targets(
    conn: &mut PgConnection,
    cycle_id: i64,
    departments: Option<&[i64]>,
) -> Result<Vec<BoardTargetRow>, sqlx::Error> {
    sqlx::query_as!(
        BoardTargetRow,
        r#"select t.id as target_id, d.id as department_id, d.name as department_name,
                  p.id as owner_id, p.full_name as owner_name, t.title, t.weight, t.target_value,
                  t.direction as "direction: Direction", t.kind as "kind: TargetKind",
                  tp.latest_start as "report_start?: NaiveDate", tp.latest_end as "report_end?: NaiveDate",
                  tp.latest_reported as "reported_value?", tp.latest_audited as "audited_value?",
                  tp.latest_status as "report_status?: ReportStatus", tp.latest_state as "report_state?: ProgressState",
                  tp.verified_value as "verified_value?",
                  v.period_start as "verified_start?: NaiveDate", v.period_end as "verified_end?: NaiveDate",
                  tp.sent_starts as "sent_starts?: Vec<NaiveDate>", tp.sent_days as "sent_days?: Vec<NaiveDate>"
           from target t
           join target_set s on s.id = t.set_id
           join department d on d.id = s.department_id
           join person p on p.id = s.person_id
           left join target_progress tp on tp.target_id = t.id
           left join lateral (
               select r.period_start, r.period_end from progress_report r
               where r.target_id = t.id and r.status = 'verified'
               order by r.period_start desc, r.id desc limit 1) v on true
           where s.cycle_id = $1 and s.level = 'person' and s.status = 'approved' and t.active
             and ($2::bigint[] is null or s.department_id = any($2))
           order by d.sort_order, d.name, p.full_name, p.id, t.sort_order, t.id"#,
        cycle_id,
        departments as Option<&[i64]>
    )
    .fetch_all(conn)
    .await
}

/// One department's supervision, ledger and commitment facts for the office board.
#[derive(Debug, Clone)]
pub struct DepartmentFactsRow {
    pub department_id: i64,
    pub department_name: String,
    /// Open items by the colour of their latest slip.
    pub open_blue: i64,
    pub open_yellow: i64,
    pub open_red: i64,
    /// Slips issued within the cycle's period, by colour (the escalation ladder).
    pub issued_blue: i64,
    pub issued_yellow: i64,
    pub issued_red: i64,
    /// Slips of the period answered by their answer date, and those whose
    /// answer is in (answered, or unanswered past the answer date).
    pub answered_in_time: i64,
    pub answer_decided: i64,
    /// Accepted ledger records of the period: whose, item, points, the item's cap.
    pub ledger_subjects: Option<Vec<String>>,
    pub ledger_items: Option<Vec<i64>>,
    pub ledger_points: Option<Vec<Decimal>>,
    pub ledger_caps: Option<Vec<Option<Decimal>>>,
    /// Commitment cases received within the period: received, done, limit.
    pub case_received: Option<Vec<NaiveDate>>,
    pub case_done: Option<Vec<Option<NaiveDate>>>,
    pub case_limits: Option<Vec<i32>>,
}

/// Every active department with its facts within `period`; `today` decides
/// which unanswered slips are past their answer date.
pub async fn department_facts(
    conn: &mut PgConnection,
    period: (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> Result<Vec<DepartmentFactsRow>, sqlx::Error> {
    sqlx::query_as!(
        DepartmentFactsRow,
        r#"select d.id as department_id, d.name as department_name,
                  open.blue as "open_blue!", open.yellow as "open_yellow!", open.red as "open_red!",
                  slips.blue as "issued_blue!", slips.yellow as "issued_yellow!", slips.red as "issued_red!",
                  slips.in_time as "answered_in_time!", slips.decided as "answer_decided!",
                  ledger.subjects as "ledger_subjects?: Vec<String>", ledger.items as "ledger_items?: Vec<i64>",
                  ledger.points as "ledger_points?: Vec<Decimal>", ledger.caps as "ledger_caps?: Vec<Option<Decimal>>",
                  cases.received as "case_received?: Vec<NaiveDate>", cases.done as "case_done?: Vec<Option<NaiveDate>>",
                  cases.limits as "case_limits?: Vec<i32>"
           from department d
           cross join lateral (
               select count(*) filter (where ls.colour = 'blue') as blue,
                      count(*) filter (where ls.colour = 'yellow') as yellow,
                      count(*) filter (where ls.colour = 'red') as red
               from supervision_item i
               join lateral (select sl.colour from supervision_slip sl where sl.item_id = i.id
                             order by sl.issued_on desc, sl.id desc limit 1) ls on true
               where i.department_id = d.id and i.status not in ('verified', 'closed')) open
           cross join lateral (
               select count(*) filter (where sl.colour = 'blue') as blue,
                      count(*) filter (where sl.colour = 'yellow') as yellow,
                      count(*) filter (where sl.colour = 'red') as red,
                      count(*) filter (where sl.answered_at is not null
                                         and (sl.answered_at at time zone 'Asia/Shanghai')::date <= sl.answer_due) as in_time,
                      count(*) filter (where sl.answered_at is not null or sl.answer_due < $3) as decided
               from supervision_slip sl
               join supervision_item i on i.id = sl.item_id
               where i.department_id = d.id and sl.issued_on between $1 and $2) slips
           cross join lateral (
               select array_agg(case when r.person_id is null then 'd' || r.department_id else 'p' || r.person_id end order by r.id) as subjects,
                      array_agg(r.item_id order by r.id) as items,
                      array_agg(r.points order by r.id) as points,
                      array_agg(li.cap order by r.id) as caps
               from ledger_record r
               join ledger_item li on li.id = r.item_id
               left join person lp on lp.id = r.person_id
               where r.status = 'accepted' and coalesce(r.department_id, lp.department_id) = d.id
                 and r.occurred_on between $1 and $2) ledger
           cross join lateral (
               select array_agg(cc.received_on order by cc.id) as received,
                      array_agg(cc.done_on order by cc.id) as done,
                      array_agg(sc.time_limit_days order by cc.id) as limits
               from commitment_case cc
               join service_commitment sc on sc.id = cc.commitment_id
               where sc.department_id = d.id and cc.received_on between $1 and $2) cases
           where d.active
           order by d.sort_order, d.name"#,
        period.0 as _,
        period.1 as _,
        today as _
    )
    .fetch_all(conn)
    .await
}

/// Cached figures of a board: the current data version (the newest audit
/// row), and the figures stored under `key` when they are of that version and
/// younger than five minutes.
pub async fn cached_figures(
    conn: &mut PgConnection,
    key: &str,
) -> Result<(i64, Option<serde_json::Value>), sqlx::Error> {
    let row = sqlx::query!(
        r#"with current as (select coalesce(max(id), 0) as version from audit_log)
           select current.version as "version!",
                  (select f.figures from board_figures f
                   where f.key = $1 and f.version = current.version
                     and f.computed_at > now() - interval '5 minutes') as figures
           from current"#,
        key
    )
    .fetch_one(conn)
    .await?;
    Ok((row.version, row.figures))
}

/// Keeps figures of `version` under `key`, and forgets those of past days.
pub async fn store_figures(
    conn: &mut PgConnection,
    key: &str,
    version: i64,
    figures: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "with forgotten as (delete from board_figures where computed_at < now() - interval '1 day')
         insert into board_figures (key, version, computed_at, figures) values ($1, $2, now(), $3)
         on conflict (key) do update set version = excluded.version, computed_at = excluded.computed_at,
                                          figures = excluded.figures",
        key,
        version,
        figures
    )
    .execute(conn)
    .await?;
    Ok(())
}

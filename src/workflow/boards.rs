//! The figures of the monitoring boards, worked out from the cycle's targets
//! and reports with the rules of `domain::boards`: each target's completion,
//! colour and timeliness, each person's and department's totals, and the
//! office board's figures with their cache.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

use crate::db::boards::{self, BoardCycle, BoardTargetRow, DepartmentFactsRow};
use crate::domain::boards::{self as rules, BoardColour, DuePeriod, LedgerEntry, PeriodTimeliness, Standing};
use crate::domain::monitor::{self, ProgressState};
use crate::domain::plan;
use crate::domain::workdays::{DayKind, WorkCalendar};
use crate::error::{AppError, AppResult};

/// The calendar for every deadline of the cycle, from the cycle's row.
fn cycle_calendar(cycle: &BoardCycle) -> WorkCalendar {
    let holidays = cycle.holidays.iter().map(|day| (*day, DayKind::Holiday));
    WorkCalendar::new(holidays.chain(cycle.workdays.iter().map(|day| (*day, DayKind::Workday))))
}

/// A target as the boards show it.
#[derive(Debug, Clone)]
pub struct BoardTarget {
    pub row: BoardTargetRow,
    /// From the audited value of the latest verified report.
    pub completion: Option<Decimal>,
    pub colour: BoardColour,
    /// Each reported period's start with the day its first report was sent.
    pub sent: Vec<(NaiveDate, NaiveDate)>,
    /// Whether the latest period past its deadline is reported.
    pub current: Option<bool>,
}

/// Completion (held to `cap` percent, the cycle's year's setting), colour and
/// timeliness facts of each target of a cycle.
fn assess(
    rows: Vec<BoardTargetRow>,
    periods: &[DuePeriod],
    cycle: (NaiveDate, NaiveDate),
    today: NaiveDate,
    cap: i32,
) -> Vec<BoardTarget> {
    rows.into_iter()
        .map(|row| {
            let sent: Vec<(NaiveDate, NaiveDate)> =
                row.sent_starts.iter().flatten().copied().zip(row.sent_days.iter().flatten().copied()).collect();
            let current = rules::last_due_reported(periods, &sent, today);
            let completion =
                plan::target_completion(row.kind, row.verified_value, row.target_value, row.direction, cap);
            let standing = Standing {
                last_due_reported: current,
                latest_state: row.report_state,
                latest_status: row.report_status,
                completion,
                elapsed: row.verified_end.map(|end| rules::elapsed_share(cycle, end)),
            };
            BoardTarget { colour: rules::colour(&standing), completion, sent, current, row }
        })
        .collect()
}

/// The weighted completion of `targets`.
pub fn weighted(targets: &[&BoardTarget]) -> Option<Decimal> {
    let parts: Vec<(Decimal, Option<Decimal>)> = targets.iter().map(|t| (t.row.weight, t.completion)).collect();
    plan::weighted_completion(&parts)
}

/// How punctually `targets` reported in each period.
pub fn timeliness_of(periods: &[DuePeriod], targets: &[&BoardTarget], today: NaiveDate) -> Vec<PeriodTimeliness> {
    rules::timeliness(periods, targets.iter().map(|t| t.sent.as_slice()), today)
}

/// Weighted completion of one person's targets.
#[derive(Debug, Clone)]
pub struct PersonCompletion {
    pub name: String,
    pub targets: usize,
    pub completion: Option<Decimal>,
}

/// The pairs with their first occurrence of each id, in order.
pub fn distinct(pairs: impl Iterator<Item = (i64, String)>) -> Vec<(i64, String)> {
    let mut seen = Vec::<(i64, String)>::new();
    for pair in pairs {
        if !seen.iter().any(|(id, _)| *id == pair.0) {
            seen.push(pair);
        }
    }
    seen
}

/// Each owner's weighted completion, in the order owners first appear.
pub fn people_of(targets: &[BoardTarget]) -> Vec<PersonCompletion> {
    let mut by_owner: Vec<(i64, String, Vec<&BoardTarget>)> = Vec::new();
    for t in targets {
        match by_owner.iter_mut().find(|(id, _, _)| *id == t.row.owner_id) {
            Some(entry) => entry.2.push(t),
            None => by_owner.push((t.row.owner_id, t.row.owner_name.clone(), vec![t])),
        }
    }
    by_owner
        .into_iter()
        .map(|(_, name, ts)| PersonCompletion { name, targets: ts.len(), completion: weighted(&ts) })
        .collect()
}

/// The owner, progress and colour filters of the department board.
#[derive(Debug, Clone, Copy, Default)]
pub struct TargetFilter {
    pub owner: Option<i64>,
    pub state: Option<ProgressState>,
    pub colour: Option<BoardColour>,
}

impl TargetFilter {
    pub fn keeps(&self, t: &BoardTarget) -> bool {
        self.owner.is_none_or(|o| t.row.owner_id == o)
            && self.state.is_none_or(|s| t.row.report_state == Some(s))
            && self.colour.is_none_or(|c| t.colour == c)
    }
}

/// The assessed targets of a cycle (of `departments`, or all), its ended
/// periods and its calendar: two queries.
pub async fn cycle_targets(
    conn: &mut PgConnection,
    cycle: &BoardCycle,
    departments: Option<&[i64]>,
    today: NaiveDate,
) -> Result<(Vec<BoardTarget>, Vec<DuePeriod>, WorkCalendar), sqlx::Error> {
    let calendar = cycle_calendar(cycle);
    let periods = rules::ended_periods(
        (cycle.period_start, cycle.period_end),
        cycle.report_frequency,
        today,
        cycle.due_workdays.into(),
        &calendar,
    );
    let targets = assess(
        boards::targets(conn, cycle.id, departments).await?,
        &periods,
        (cycle.period_start, cycle.period_end),
        today,
        cycle.completion_cap,
    );
    Ok((targets, periods, calendar))
}

/// One department on the office board.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DepartmentLine {
    pub department_id: i64,
    pub name: String,
    pub targets: usize,
    pub completion: Option<Decimal>,
    /// Reports past their deadline and not sent, over every ended period.
    pub overdue: i64,
    /// Targets with a report for the latest due period.
    pub current: i64,
    pub open_blue: i64,
    pub open_yellow: i64,
    pub open_red: i64,
    pub ledger_records: usize,
    pub ledger_total: Decimal,
    pub kept: i64,
    pub broken: i64,
    pub kept_rate: Option<Decimal>,
    /// Supervision slips of the period answered by their answer date, and
    /// those whose answer is in.
    #[serde(default)]
    pub answered_in_time: i64,
    #[serde(default)]
    pub answer_decided: i64,
}

/// The three measures of the monitoring stage (docs/DOMAIN.md §11.2).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StageMeasures {
    /// 全面: targets with a report for the latest due period, of all targets.
    pub current: i64,
    pub targets: i64,
    pub current_share: Option<Decimal>,
    /// 有力: slips issued in the cycle's period, by colour.
    pub issued_blue: i64,
    pub issued_yellow: i64,
    pub issued_red: i64,
    /// 有效: slips answered by their answer date, of those whose answer is in.
    pub answered_in_time: i64,
    pub answer_decided: i64,
    pub answered_share: Option<Decimal>,
}

fn department_line(
    facts: &DepartmentFactsRow,
    targets: &[&BoardTarget],
    periods: &[DuePeriod],
    today: NaiveDate,
    calendar: &WorkCalendar,
    commendation_cap: Decimal,
) -> DepartmentLine {
    let ledger: Vec<LedgerEntry> = facts
        .ledger_subjects
        .iter()
        .flatten()
        .zip(facts.ledger_items.iter().flatten())
        .zip(facts.ledger_points.iter().flatten())
        .zip(facts.ledger_caps.iter().flatten())
        .map(|(((subject, item), points), cap)| LedgerEntry {
            subject: subject.clone(),
            item_id: *item,
            points: *points,
            cap: *cap,
        })
        .collect();
    let cases: Vec<rules::CaseFacts> = facts
        .case_received
        .iter()
        .flatten()
        .zip(facts.case_done.iter().flatten())
        .zip(facts.case_limits.iter().flatten())
        .map(|((received, done), limit)| (*received, *done, i64::from(*limit)))
        .collect();
    let (kept, broken) = rules::kept_and_broken(&cases, today, calendar);
    DepartmentLine {
        department_id: facts.department_id,
        name: facts.department_name.clone(),
        targets: targets.len(),
        completion: weighted(targets),
        overdue: timeliness_of(periods, targets, today).iter().map(|p| p.missing).sum(),
        current: targets.iter().filter(|t| t.current == Some(true)).count() as i64,
        open_blue: facts.open_blue,
        open_yellow: facts.open_yellow,
        open_red: facts.open_red,
        ledger_records: ledger.len(),
        ledger_total: rules::ledger_total(&ledger, commendation_cap),
        kept,
        broken,
        kept_rate: monitor::kept_rate(kept, broken),
        answered_in_time: facts.answered_in_time,
        answer_decided: facts.answer_decided,
    }
}

fn measures(lines: &[DepartmentLine], facts: &[DepartmentFactsRow], any_due: bool) -> StageMeasures {
    let targets = lines.iter().map(|l| l.targets as i64).sum();
    let current = lines.iter().map(|l| l.current).sum();
    let answered_in_time = facts.iter().map(|f| f.answered_in_time).sum();
    let answer_decided = facts.iter().map(|f| f.answer_decided).sum();
    StageMeasures {
        current,
        targets,
        current_share: if any_due { rules::share(current, targets) } else { None },
        issued_blue: facts.iter().map(|f| f.issued_blue).sum(),
        issued_yellow: facts.iter().map(|f| f.issued_yellow).sum(),
        issued_red: facts.iter().map(|f| f.issued_red).sum(),
        answered_in_time,
        answer_decided,
        answered_share: rules::share(answered_in_time, answer_decided),
    }
}

/// What the office board shows of a cycle on a day.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OfficeFigures {
    pub lines: Vec<DepartmentLine>,
    pub measures: StageMeasures,
    pub last_due: Option<DuePeriod>,
}

/// The office board's figures: worked out from every target of the office and
/// the departments' facts (two queries and the whole office in memory), so
/// they are kept in `board_figures` until the next audited write, and five
/// minutes at most; then any instance works them out again.
pub async fn office_figures(conn: &mut PgConnection, cycle: &BoardCycle, today: NaiveDate) -> AppResult<OfficeFigures> {
    let key = format!("office/{}/{today}", cycle.id);
    let (version, cached) = boards::cached_figures(conn, &key).await?;
    if let Some(figures) = cached.and_then(|json| serde_json::from_value(json).ok()) {
        return Ok(figures);
    }
    let (targets, periods, calendar) = cycle_targets(conn, cycle, None, today).await?;
    let facts = boards::department_facts(conn, (cycle.period_start, cycle.period_end), today).await?;
    let mut by_department: BTreeMap<i64, Vec<&BoardTarget>> = BTreeMap::new();
    for t in &targets {
        by_department.entry(t.row.department_id).or_default().push(t);
    }
    let lines: Vec<DepartmentLine> = facts
        .iter()
        .map(|f| {
            let targets = by_department.get(&f.department_id).map(Vec::as_slice).unwrap_or_default();
            department_line(f, targets, &periods, today, &calendar, cycle.commendation_cap.into())
        })
        .collect();
    let last_due = rules::last_due(&periods, today);
    let figures = OfficeFigures { measures: measures(&lines, &facts, last_due.is_some()), lines, last_due };
    let json = serde_json::to_value(&figures).map_err(|e| AppError::Internal(e.into()))?;
    boards::store_figures(conn, &key, version, &json).await?;
    Ok(figures)
}

//! The monitoring boards: a head's department board (every target with its
//! last report, completion, state and colour) and the office board (every
//! department, and the three measures of the stage), each with ECharts charts
//! whose data is also shown as tables.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

use crate::auth::session::CurrentUser;
use crate::db::boards::{self, BoardCycle, BoardTargetRow, DepartmentFactsRow};
use crate::domain::boards::{self as rules, BoardColour, DuePeriod, LedgerEntry, PeriodTimeliness, Standing};
use crate::domain::monitor::{self, ProgressState};
use crate::domain::plan;
use crate::domain::policy::Permission;
use crate::domain::roles::Role;
use crate::domain::workdays::{DayKind, WorkCalendar};
use crate::http::error::{AppError, AppResult};
use crate::http::pages::{PageContext, render};
use crate::state::AppState;

/// The GET parameters of the boards; empty values mean "any".
#[derive(Debug, Default, Deserialize)]
pub struct BoardQuery {
    pub cycle: Option<String>,
    pub department: Option<String>,
    pub owner: Option<String>,
    pub state: Option<String>,
    pub colour: Option<String>,
}

fn id_param(value: &Option<String>) -> Option<i64> {
    value.as_deref().and_then(|v| v.trim().parse().ok())
}

/// The chosen cycle, else the newest one in implementation, else the newest.
fn chosen_cycle(cycles: &[BoardCycle], wanted: Option<i64>) -> Option<BoardCycle> {
    wanted
        .and_then(|id| cycles.iter().find(|c| c.id == id))
        .or_else(|| cycles.iter().find(|c| c.stage == plan::CycleStage::Implementation))
        .or_else(|| cycles.first())
        .cloned()
}

fn office_today() -> NaiveDate {
    crate::tasks::office_today()
}

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

/// Completion, colour and timeliness facts of each target of a cycle.
fn assess(rows: Vec<BoardTargetRow>, periods: &[DuePeriod], today: NaiveDate) -> Vec<BoardTarget> {
    rows.into_iter()
        .map(|row| {
            let sent: Vec<(NaiveDate, NaiveDate)> =
                row.sent_starts.iter().flatten().copied().zip(row.sent_days.iter().flatten().copied()).collect();
            let current = rules::last_due_reported(periods, &sent, today);
            let standing = Standing {
                last_due_reported: current,
                latest_state: row.report_state,
                latest_status: row.report_status,
            };
            let completion = match (row.verified_value, row.target_value) {
                (Some(audited), Some(target)) => plan::completion_rate(audited, target, row.direction),
                _ => None,
            };
            BoardTarget { colour: rules::colour(&standing), completion, sent, current, row }
        })
        .collect()
}

fn weighted(targets: &[&BoardTarget]) -> Option<Decimal> {
    let parts: Vec<(Decimal, Option<Decimal>)> = targets.iter().map(|t| (t.row.weight, t.completion)).collect();
    plan::weighted_completion(&parts)
}

fn timeliness_of(periods: &[DuePeriod], targets: &[&BoardTarget], today: NaiveDate) -> Vec<PeriodTimeliness> {
    rules::timeliness(periods, targets.iter().map(|t| t.sent.as_slice()), today)
}

/// One bar series of a chart.
#[derive(Debug, Serialize)]
pub struct Series {
    pub name: String,
    pub data: Vec<Option<f64>>,
    pub color: &'static str,
}

/// One chart: the id of its element, categories on the x axis, the series.
#[derive(Debug, Serialize)]
pub struct Chart {
    pub id: &'static str,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub stacked: bool,
    /// The y axis maximum (150 for completion rates), if fixed.
    pub max: Option<f64>,
}

fn values(numbers: impl IntoIterator<Item = Option<Decimal>>) -> Vec<Option<f64>> {
    numbers.into_iter().map(|n| n.and_then(|n| n.to_f64())).collect()
}

fn counts(numbers: impl IntoIterator<Item = i64>) -> Vec<Option<f64>> {
    numbers.into_iter().map(|n| Some(n as f64)).collect()
}

/// The charts as the JSON of a `<script type="application/json">` block:
/// every `<`, `>` and `&` escaped so no text can close the element.
pub fn chart_json(charts: &[Chart]) -> String {
    let json = serde_json::json!({ "charts": charts }).to_string();
    json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

const BLUE: &str = "#1d4ed8";
const AMBER: &str = "#b45309";
const RED: &str = "#b91c1c";
const GREEN: &str = "#15803d";
const YELLOW: &str = "#ca8a04";

/// Weighted completion of one person's targets.
#[derive(Debug, Clone)]
pub struct PersonCompletion {
    pub name: String,
    pub targets: usize,
    pub completion: Option<Decimal>,
}

#[derive(Template)]
#[template(path = "monitor/department_board.html")]
pub struct DepartmentBoardPage {
    pub ctx: PageContext,
    pub cycles: Vec<BoardCycle>,
    pub cycle: Option<BoardCycle>,
    pub departments: Vec<(i64, String)>,
    pub owners: Vec<(i64, String)>,
    pub department: Option<i64>,
    pub filter: TargetFilter,
    /// The targets after the filters; `total` before them.
    pub targets: Vec<BoardTarget>,
    pub total: usize,
    pub people: Vec<PersonCompletion>,
    pub timeliness: Vec<PeriodTimeliness>,
    pub last_due: Option<DuePeriod>,
    pub chart_json: String,
}

impl DepartmentBoardPage {
    pub fn states(&self) -> &'static [ProgressState] {
        ProgressState::ALL
    }

    pub fn colours(&self) -> &'static [BoardColour] {
        BoardColour::ALL
    }

    /// "2026-01-01 – 2026-03-31"
    pub fn period(&self, p: &DuePeriod) -> String {
        format!("{} – {}", p.start, p.end)
    }

    pub fn period_of(&self, t: &PeriodTimeliness) -> String {
        self.period(&t.period)
    }

    pub fn picked_department(&self, id: &i64) -> bool {
        self.department == Some(*id)
    }

    pub fn picked_owner(&self, id: &i64) -> bool {
        self.filter.owner == Some(*id)
    }

    pub fn picked_state(&self, state: &ProgressState) -> bool {
        self.filter.state == Some(*state)
    }

    pub fn picked_colour(&self, colour: &BoardColour) -> bool {
        self.filter.colour == Some(*colour)
    }
}

fn distinct(pairs: impl Iterator<Item = (i64, String)>) -> Vec<(i64, String)> {
    let mut seen = Vec::<(i64, String)>::new();
    for pair in pairs {
        if !seen.iter().any(|(id, _)| *id == pair.0) {
            seen.push(pair);
        }
    }
    seen
}

fn people_of(targets: &[BoardTarget]) -> Vec<PersonCompletion> {
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

fn department_charts(ctx: &PageContext, people: &[PersonCompletion], timeliness: &[PeriodTimeliness]) -> String {
    let completion = Chart {
        id: "chart-completion",
        categories: people.iter().map(|p| p.name.clone()).collect(),
        series: vec![Series {
            name: ctx.t("boards-completion"),
            data: values(people.iter().map(|p| p.completion)),
            color: BLUE,
        }],
        stacked: false,
        max: Some(150.0),
    };
    let series = |key: &str, color, pick: fn(&PeriodTimeliness) -> i64| Series {
        name: ctx.t(key),
        data: counts(timeliness.iter().map(pick)),
        color,
    };
    let timely = Chart {
        id: "chart-timeliness",
        categories: timeliness.iter().map(|t| t.period.start.format("%Y-%m").to_string()).collect(),
        series: vec![
            series("boards-on-time", GREEN, |t| t.on_time),
            series("boards-late", AMBER, |t| t.late),
            series("boards-missing", RED, |t| t.missing),
        ],
        stacked: true,
        max: None,
    };
    chart_json(&[completion, timely])
}

/// The owner, progress and colour filters of the department board.
#[derive(Debug, Clone, Copy, Default)]
pub struct TargetFilter {
    pub owner: Option<i64>,
    pub state: Option<ProgressState>,
    pub colour: Option<BoardColour>,
}

impl TargetFilter {
    fn from_query(query: &BoardQuery) -> TargetFilter {
        TargetFilter {
            owner: id_param(&query.owner),
            state: query.state.as_deref().and_then(ProgressState::parse),
            colour: query.colour.as_deref().and_then(BoardColour::parse),
        }
    }

    fn keeps(&self, t: &BoardTarget) -> bool {
        self.owner.is_none_or(|o| t.row.owner_id == o)
            && self.state.is_none_or(|s| t.row.report_state == Some(s))
            && self.colour.is_none_or(|c| t.colour == c)
    }
}

/// The assessed targets of a cycle (of `departments`, or all), its ended
/// periods and its calendar: two queries.
async fn cycle_targets(
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
    let targets = assess(boards::targets(conn, cycle.id, departments).await?, &periods, today);
    Ok((targets, periods, calendar))
}

/// 处室看板: the targets of the departments a head heads, in one cycle.
///
/// Queries: 2 whatever the number of targets — the cycles (with the report
/// deadline setting and the work-day calendar), and the targets with their reports.
pub async fn department(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    let heads = user.principal.grants.departments_for(Role::DepartmentHead);
    if heads.is_empty() {
        return Err(AppError::Forbidden);
    }
    let mut conn = state.pool.acquire().await?;
    let today = office_today();
    let cycles = boards::cycles(&mut conn, today, id_param(&query.cycle)).await?;
    let cycle = chosen_cycle(&cycles, id_param(&query.cycle));
    let (all, periods) = match &cycle {
        Some(c) => cycle_targets(&mut conn, c, Some(&heads), today).await.map(|(t, p, _)| (t, p))?,
        None => (Vec::new(), Vec::new()),
    };
    let department = id_param(&query.department);
    let departments = distinct(all.iter().map(|t| (t.row.department_id, t.row.department_name.clone())));
    let chosen: Vec<BoardTarget> =
        all.into_iter().filter(|t| department.is_none_or(|d| t.row.department_id == d)).collect();
    let owners = distinct(chosen.iter().map(|t| (t.row.owner_id, t.row.owner_name.clone())));
    // The charts count the whole of the chosen departments; the filters narrow the list.
    let people = people_of(&chosen);
    let timeliness = timeliness_of(&periods, &chosen.iter().collect::<Vec<_>>(), today);
    let chart_json = department_charts(&ctx, &people, &timeliness);
    let (filter, total) = (TargetFilter::from_query(&query), chosen.len());
    let targets = chosen.into_iter().filter(|t| filter.keeps(t)).collect();
    let last_due = rules::last_due(&periods, today);
    render(&DepartmentBoardPage {
        ctx,
        cycles,
        cycle,
        departments,
        owners,
        department,
        filter,
        targets,
        total,
        people,
        timeliness,
        last_due,
        chart_json,
    })
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

#[derive(Template)]
#[template(path = "monitor/office_board.html")]
pub struct OfficeBoardPage {
    pub ctx: PageContext,
    pub cycles: Vec<BoardCycle>,
    pub cycle: Option<BoardCycle>,
    pub lines: Vec<DepartmentLine>,
    pub measures: StageMeasures,
    pub last_due: Option<DuePeriod>,
    pub chart_json: String,
}

fn department_line(
    facts: &DepartmentFactsRow,
    targets: &[&BoardTarget],
    periods: &[DuePeriod],
    today: NaiveDate,
    calendar: &WorkCalendar,
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
        ledger_total: rules::ledger_total(&ledger),
        kept,
        broken,
        kept_rate: monitor::kept_rate(kept, broken),
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

fn office_charts(ctx: &PageContext, lines: &[DepartmentLine]) -> String {
    let categories: Vec<String> = lines.iter().map(|l| l.name.clone()).collect();
    let completion = Chart {
        id: "chart-department-completion",
        categories: categories.clone(),
        series: vec![Series {
            name: ctx.t("boards-completion"),
            data: values(lines.iter().map(|l| l.completion)),
            color: BLUE,
        }],
        stacked: false,
        max: Some(150.0),
    };
    let slips = Chart {
        id: "chart-slips",
        categories,
        series: vec![
            Series { name: ctx.t("slip-blue"), data: counts(lines.iter().map(|l| l.open_blue)), color: BLUE },
            Series { name: ctx.t("slip-yellow"), data: counts(lines.iter().map(|l| l.open_yellow)), color: YELLOW },
            Series { name: ctx.t("slip-red"), data: counts(lines.iter().map(|l| l.open_red)), color: RED },
        ],
        stacked: true,
        max: None,
    };
    chart_json(&[completion, slips])
}

/// 机关看板: every department of a cycle, and the stage's three measures.
///
/// Queries: 2 — the cycles (with the report deadline setting and the
/// calendar) and the cached figures; when those are stale, 3 more to work
/// them out again (see [`office_figures`]).
pub async fn office(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    user.require(Permission::ViewOfficeBoard)?;
    let mut conn = state.pool.acquire().await?;
    let today = office_today();
    let cycles = boards::cycles(&mut conn, today, id_param(&query.cycle)).await?;
    let cycle = chosen_cycle(&cycles, id_param(&query.cycle));
    let figures = match &cycle {
        Some(c) => office_figures(&mut conn, c, today).await?,
        None => OfficeFigures::default(),
    };
    let chart_json = office_charts(&ctx, &figures.lines);
    let OfficeFigures { lines, measures, last_due } = figures;
    render(&OfficeBoardPage { ctx, cycles, cycle, lines, measures, last_due, chart_json })
}

/// What the office board shows of a cycle on a day.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct OfficeFigures {
    lines: Vec<DepartmentLine>,
    measures: StageMeasures,
    last_due: Option<DuePeriod>,
}

/// The office board's figures: worked out from every target of the office and
/// the departments' facts (two queries and the whole office in memory), so
/// they are kept in `board_figures` until the next audited write, and five
/// minutes at most; then any instance works them out again.
async fn office_figures(conn: &mut PgConnection, cycle: &BoardCycle, today: NaiveDate) -> AppResult<OfficeFigures> {
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
            department_line(f, targets, &periods, today, &calendar)
        })
        .collect();
    let last_due = rules::last_due(&periods, today);
    let figures = OfficeFigures { measures: measures(&lines, &facts, last_due.is_some()), lines, last_due };
    let json = serde_json::to_value(&figures).map_err(|e| AppError::Internal(e.into()))?;
    boards::store_figures(conn, &key, version, &json).await?;
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_json_cannot_close_its_script_element() {
        let chart = Chart {
            id: "chart-completion",
            categories: vec!["</script><script>alert(1)</script> & <!--".into()],
            series: vec![],
            stacked: false,
            max: None,
        };
        let json = chart_json(&[chart]);
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'), "{json}");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["charts"][0]["categories"][0], "</script><script>alert(1)</script> & <!--");
    }
}

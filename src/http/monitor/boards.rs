//! The monitoring boards: a head's department board (every target with its
//! last report, completion, state and colour) and the office board (every
//! department, and the three measures of the stage), each with ECharts charts
//! whose data is also shown as tables.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::auth::session::CurrentUser;
use crate::db::boards::{self, BoardCycle};
use crate::domain::boards::{self as rules, BoardColour, DuePeriod, PeriodTimeliness};
use crate::domain::cycles::chosen_cycle;
use crate::domain::monitor::ProgressState;
use crate::domain::plan::CycleStage;
use crate::domain::policy::{self, Permission};
use crate::domain::roles::Role;
use crate::error::AppResult;
use crate::http::export::xlsx_download;
use crate::http::forms::BoardQuery;
use crate::http::pages::{PageContext, render};
use crate::state::AppState;
use crate::workflow::boards::{
    BoardTarget, DepartmentLine, OfficeFigures, PersonCompletion, StageMeasures, TargetFilter, cycle_targets, distinct,
    office_figures, people_of, timeliness_of,
};
use crate::xlsx::{Cell, Sheet};

/// The owner, progress and colour filters the query asks for.
fn target_filter(query: &BoardQuery) -> TargetFilter {
    TargetFilter {
        owner: query.owner_id(),
        state: query.state.as_deref().and_then(ProgressState::parse),
        colour: query.colour.as_deref().and_then(BoardColour::parse),
    }
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
pub fn chart_json<T: Serialize>(charts: &[T]) -> String {
    let json = serde_json::json!({ "charts": charts }).to_string();
    json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

const BLUE: &str = "#1d4ed8";
const AMBER: &str = "#b45309";
const RED: &str = "#b91c1c";
const GREEN: &str = "#15803d";
const YELLOW: &str = "#ca8a04";

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
    /// The departments whose target pages the viewer may open (all when `None`).
    pub readable: Option<Vec<i64>>,
}

impl DepartmentBoardPage {
    /// Whether the viewer may open the target's page (`policy::can_view_set`).
    pub fn may_open(&self, t: &BoardTarget) -> bool {
        self.readable.as_ref().is_none_or(|d| d.contains(&t.row.department_id))
    }

    /// The board narrowed to one person: the link of an owner's name.
    pub fn owner_href(&self, t: &BoardTarget) -> String {
        let cycle = self.cycle.as_ref().map(|c| format!("cycle={}&", c.id)).unwrap_or_default();
        format!("/monitor/department?{cycle}department={}&owner={}", t.row.department_id, t.row.owner_id)
    }

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

/// 处室看板: the targets of the departments a head heads or a supervising
/// leader oversees (every department for the assessment committee), in one cycle.
///
/// Queries: 2 whatever the number of targets — the cycles (with the report
/// deadline setting and the work-day calendar), and the targets with their reports.
pub async fn department(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    let board = load_department(&state, &user, &query).await?;
    let chart_json = department_charts(&ctx, &board.people, &board.timeliness);
    let DepartmentBoard {
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
        readable,
    } = board;
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
        readable,
    })
}

pub(crate) const PEOPLE_HEADERS: [&str; 3] =
    ["boards-field-owner", "boards-field-targets", "boards-weighted-completion"];

/// `GET /monitor/department.xlsx`: the board's completion by person, one row
/// each, for the same cycle and department as the page.
pub async fn department_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    let board = load_department(&state, &user, &query).await?;
    let now = state.clock.now();
    let mut detail: Vec<String> = board.cycle.iter().map(|c| c.name.clone()).collect();
    detail.extend(board.departments.iter().filter(|(id, _)| board.department == Some(*id)).map(|(_, n)| n.clone()));
    let head = ctx.sheet_head("boards-chart-completion", Some(&detail.join(" · ")), &PEOPLE_HEADERS, false, now);
    let mut sheet = Sheet::new(head);
    for person in board.people {
        sheet.push(vec![person.name.into(), Cell::Int(person.targets as i64), percent(person.completion)]);
    }
    xlsx_download(sheet, "department-board", now).await
}

/// A figure shown as "85.5%" as an Excel percentage.
fn percent(value: Option<Decimal>) -> Cell {
    Cell::percent(value.and_then(|v| v.to_f64()).map(|v| v / 100.0))
}

/// What the department board shows (see [`department`]).
struct DepartmentBoard {
    cycles: Vec<BoardCycle>,
    cycle: Option<BoardCycle>,
    departments: Vec<(i64, String)>,
    owners: Vec<(i64, String)>,
    department: Option<i64>,
    filter: TargetFilter,
    targets: Vec<BoardTarget>,
    total: usize,
    people: Vec<PersonCompletion>,
    timeliness: Vec<PeriodTimeliness>,
    last_due: Option<DuePeriod>,
    readable: Option<Vec<i64>>,
}

/// The department board of the cycle and department the query names, for
/// the departments the viewer reads.
async fn load_department(state: &AppState, user: &CurrentUser, query: &BoardQuery) -> AppResult<DepartmentBoard> {
    // Heads read their departments' boards, leaders those they oversee; the
    // office-wide readers every department's, the drill-down from the office board.
    let grants = user.grants();
    let scope = policy::require_department_board_reader(grants)?;
    let heads = grants.departments_for(Role::DepartmentHead);
    let readable = if grants.has_any(&[Role::PerformanceOffice, Role::AssessmentCommittee, Role::Auditor]) {
        None
    } else {
        Some([heads.clone(), grants.departments_for(Role::SupervisingLeader)].concat())
    };
    let mut conn = state.pool.acquire().await?;
    let today = state.clock.today();
    let cycles = boards::cycles(&mut conn, today, query.cycle_id()).await?;
    let cycle = chosen_cycle(&cycles, query.cycle_id(), Some(CycleStage::Implementation));
    let (all, periods) = match &cycle {
        Some(c) => cycle_targets(&mut conn, c, scope.as_deref(), today).await.map(|(t, p, _)| (t, p))?,
        None => (Vec::new(), Vec::new()),
    };
    let department = query.department_id();
    let departments = distinct(all.iter().map(|t| (t.row.department_id, t.row.department_name.clone())));
    let chosen: Vec<BoardTarget> =
        all.into_iter().filter(|t| department.is_none_or(|d| t.row.department_id == d)).collect();
    let owners = distinct(chosen.iter().map(|t| (t.row.owner_id, t.row.owner_name.clone())));
    // The charts count the whole of the chosen departments; the filters narrow the list.
    let people = people_of(&chosen);
    let timeliness = timeliness_of(&periods, &chosen.iter().collect::<Vec<_>>(), today);
    let (filter, total) = (target_filter(query), chosen.len());
    let targets = chosen.into_iter().filter(|t| filter.keeps(t)).collect();
    let last_due = rules::last_due(&periods, today);
    Ok(DepartmentBoard {
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
        readable,
    })
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
    let (cycles, cycle, figures) = load_office(&state, &user, &query).await?;
    let chart_json = office_charts(&ctx, &figures.lines);
    let OfficeFigures { lines, measures, last_due } = figures;
    render(&OfficeBoardPage { ctx, cycles, cycle, lines, measures, last_due, chart_json })
}

/// The columns of the board's table of departments.
pub(crate) const OFFICE_HEADERS: [&str; 13] = [
    "field-department",
    "boards-field-targets",
    "boards-weighted-completion",
    "boards-current-reports",
    "boards-overdue",
    "slip-blue",
    "slip-yellow",
    "slip-red",
    "boards-ledger-records",
    "boards-ledger-total",
    "boards-kept",
    "boards-broken",
    "boards-kept-rate",
];

/// `GET /monitor/office.xlsx`: the board's departments, one row each with
/// the figures of the page, for the same cycle.
pub async fn office_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    let (_, cycle, figures) = load_office(&state, &user, &query).await?;
    let now = state.clock.now();
    let detail = cycle.map(|c| c.name);
    let mut sheet = Sheet::new(ctx.sheet_head("boards-office-title", detail.as_deref(), &OFFICE_HEADERS, false, now));
    for l in figures.lines {
        sheet.push(vec![
            l.name.into(),
            Cell::Int(l.targets as i64),
            percent(l.completion),
            l.current.into(),
            l.overdue.into(),
            l.open_blue.into(),
            l.open_yellow.into(),
            l.open_red.into(),
            Cell::Int(l.ledger_records as i64),
            l.ledger_total.into(),
            l.kept.into(),
            l.broken.into(),
            percent(l.kept_rate),
        ]);
    }
    xlsx_download(sheet, "office-board", now).await
}

/// The cycles, the one the query names (else the one in implementation),
/// and the office's figures in it: readers of the office board only.
async fn load_office(
    state: &AppState,
    user: &CurrentUser,
    query: &BoardQuery,
) -> AppResult<(Vec<BoardCycle>, Option<BoardCycle>, OfficeFigures)> {
    user.require(Permission::ViewOfficeBoard)?;
    let mut conn = state.pool.acquire().await?;
    let today = state.clock.today();
    let cycles = boards::cycles(&mut conn, today, query.cycle_id()).await?;
    let cycle = chosen_cycle(&cycles, query.cycle_id(), Some(CycleStage::Implementation));
    let figures = match &cycle {
        Some(c) => office_figures(&mut conn, c, today).await?,
        None => OfficeFigures::default(),
    };
    Ok((cycles, cycle, figures))
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

//! The four-stage dashboard (四个环节总览, docs/DOMAIN.md §20.6): the office's
//! status at a glance for the performance office and the leaders — plan and
//! monitor measures of one cycle, assessment and feedback measures of another
//! (usually the year just assessed) — one row per department and the totals,
//! each figure linking to the list behind it.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Datelike;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;

use crate::auth::session::CurrentUser;
use crate::db::boards::{self, BoardCycle};
use crate::db::dashboard::{self, AssessmentState, LaterStagesRow};
use crate::db::plan_boards::{self, CompletenessRow};
use crate::domain::cycles::chosen_cycle;
use crate::domain::dashboard::StageCounts;
use crate::domain::plan::CycleStage;
use crate::domain::policy::Permission;
use crate::error::AppResult;
use crate::http::export::xlsx_download;
use crate::http::forms::id_param;
use crate::http::monitor::boards::{Chart, Series, chart_json};
use crate::http::pages::{PageContext, render};
use crate::state::AppState;
use crate::workflow::boards::{DepartmentLine, OfficeFigures, office_figures};
use crate::xlsx::{Cell, Sheet};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DashboardQuery {
    /// The cycle whose plans and monitoring are shown.
    #[serde(default)]
    pub plan: Option<String>,
    /// The cycle whose assessment and feedback are shown.
    #[serde(default)]
    pub assess: Option<String>,
}

/// One department's row.
#[derive(Debug, Clone)]
pub struct DashboardLine {
    pub department_id: i64,
    pub name: String,
    pub counts: StageCounts,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub ctx: PageContext,
    pub cycles: Vec<BoardCycle>,
    pub plan_cycle: Option<BoardCycle>,
    pub assess_cycle: Option<BoardCycle>,
    pub assessment: Option<AssessmentState>,
    /// The year whose rectification items are counted: the one after the assessed period.
    pub rectification_year: i32,
    pub lines: Vec<DashboardLine>,
    pub total: StageCounts,
    pub chart_json: String,
}

impl DashboardPage {
    /// A share as the page writes it: "87.5%", or a dash when there is nothing to count.
    pub fn percent(&self, share: Option<Decimal>) -> String {
        share.map_or_else(|| "—".to_string(), |p| format!("{}%", p.normalize()))
    }

    pub fn plan_id(&self) -> i64 {
        self.plan_cycle.as_ref().map_or(0, |c| c.id)
    }

    pub fn assess_id(&self) -> i64 {
        self.assess_cycle.as_ref().map_or(0, |c| c.id)
    }

    /// The Excel file of the cycles shown.
    pub fn export_href(&self) -> String {
        format!("/dashboard.xlsx?plan={}&assess={}", self.plan_id(), self.assess_id())
    }
}

/// The performance office, leaders, the committee and auditors: whoever
/// reads the office board.
///
/// Queries: the cycles, the plan completeness, the office board's cached
/// figures (more when stale), and the assessment and feedback counts with the
/// assessment's state.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<DashboardQuery>,
) -> AppResult<Response> {
    let figures = load(&state, &user, &query).await?;
    let chart_json = charts(&ctx, &figures.lines);
    let Figures { cycles, plan_cycle, assess_cycle, assessment, rectification_year, lines, total } = figures;
    render(&DashboardPage {
        ctx,
        cycles,
        plan_cycle,
        assess_cycle,
        assessment,
        rectification_year,
        lines,
        total,
        chart_json,
    })
}

/// `GET /dashboard.xlsx`: the page's figures, a row per department and the
/// office's total, shares as percentages.
pub async fn show_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<DashboardQuery>,
) -> AppResult<Response> {
    let figures = load(&state, &user, &query).await?;
    let now = state.clock.now();
    let name = |cycle: &Option<BoardCycle>| cycle.as_ref().map(|c| c.name.clone()).unwrap_or_default();
    let detail = format!("{} / {}", name(&figures.plan_cycle), name(&figures.assess_cycle));
    let mut sheet = Sheet::new(ctx.sheet_head("dashboard-title", Some(&detail), &EXPORT_HEADERS, true, now));
    let total = ctx.t("dashboard-office-total");
    for (name, counts) in figures.lines.iter().map(|l| (&l.name, &l.counts)).chain([(&total, &figures.total)]) {
        sheet.push(export_row(name, counts));
    }
    xlsx_download(sheet, "four-stages", now).await
}

const EXPORT_HEADERS: [&str; 20] = [
    "field-department",
    "dashboard-participants",
    "dashboard-plans-approved",
    "dashboard-complete",
    "dashboard-targets-reported",
    "dashboard-comprehensive",
    "dashboard-reports-overdue",
    "slip-red",
    "slip-yellow",
    "slip-blue",
    "dashboard-effective",
    "dashboard-true",
    "dashboard-concise",
    "dashboard-useful",
    "dashboard-fast",
    "dashboard-notices-signed",
    "dashboard-accurate",
    "dashboard-appeals-timely",
    "dashboard-rectification-timely",
    "dashboard-overdue-items",
];

fn export_row(name: &str, c: &StageCounts) -> Vec<Cell> {
    let percent = |share: Option<Decimal>| Cell::percent(share.and_then(|p| (p / Decimal::from(100)).to_f64()));
    vec![
        name.into(),
        c.plan_participants.into(),
        c.plans_approved.into(),
        percent(c.complete()),
        c.targets_reported.into(),
        percent(c.comprehensive()),
        c.reports_overdue.into(),
        c.open_red.into(),
        c.open_yellow.into(),
        c.open_blue.into(),
        percent(c.effective()),
        percent(c.summaries()),
        percent(c.ratings()),
        percent(c.decided()),
        percent(c.fast()),
        c.notices_signed.into(),
        percent(c.accurate()),
        percent(c.appeals_timely()),
        percent(c.rectification_timely()),
        (c.appeals_overdue + c.rectification_overdue).into(),
    ]
}

/// What the page and its file show.
struct Figures {
    cycles: Vec<BoardCycle>,
    plan_cycle: Option<BoardCycle>,
    assess_cycle: Option<BoardCycle>,
    assessment: Option<AssessmentState>,
    rectification_year: i32,
    lines: Vec<DashboardLine>,
    total: StageCounts,
}

async fn load(state: &AppState, user: &CurrentUser, query: &DashboardQuery) -> AppResult<Figures> {
    user.require(Permission::ViewOfficeBoard)?;
    let (plan_wanted, assess_wanted) = (id_param(query.plan.as_deref()), id_param(query.assess.as_deref()));
    let today = state.clock.today();
    let mut conn = state.pool.acquire().await?;
    let cycles = boards::cycles(&mut conn, today, plan_wanted).await?;
    let plan_cycle = chosen_cycle(&cycles, plan_wanted, Some(CycleStage::Implementation));
    let assess_cycle = assessed_cycle(&cycles, assess_wanted);
    let (plans, monitor) = match &plan_cycle {
        Some(c) => {
            (plan_boards::completeness(&mut conn, c.id, None).await?, office_figures(&mut conn, c, today).await?)
        }
        None => (Vec::new(), OfficeFigures::default()),
    };
    let rectification_year = assess_cycle.as_ref().map_or(today.year(), |c| c.period_end.year() + 1);
    let (later, assessment) = match &assess_cycle {
        Some(c) => (
            dashboard::later_stages(&mut conn, c.id, rectification_year, today).await?,
            Some(dashboard::assessment_state(&mut conn, c.id).await?),
        ),
        None => (Vec::new(), None),
    };
    let lines = lines(&plans, &monitor.lines, &later);
    let total = StageCounts::sum(lines.iter().map(|l| &l.counts));
    Ok(Figures { cycles, plan_cycle, assess_cycle, assessment, rectification_year, lines, total })
}

/// The cycle asked for, else the latest one in feedback (whose whole
/// assessment and feedback can be read), else in assessment, else closed.
fn assessed_cycle(cycles: &[BoardCycle], wanted: Option<i64>) -> Option<BoardCycle> {
    let latest_in = |stage: CycleStage| cycles.iter().find(move |c| c.stage == stage);
    wanted
        .and_then(|id| cycles.iter().find(|c| c.id == id))
        .or_else(|| latest_in(CycleStage::Feedback))
        .or_else(|| latest_in(CycleStage::Assessment))
        .or_else(|| latest_in(CycleStage::Closed))
        .cloned()
}

/// Every active department (from the plan board, or the later stages when
/// no cycle is in plan or monitoring), with its counts from the three sources.
fn lines(plans: &[CompletenessRow], monitor: &[DepartmentLine], later: &[LaterStagesRow]) -> Vec<DashboardLine> {
    let monitor: HashMap<i64, &DepartmentLine> = monitor.iter().map(|l| (l.department_id, l)).collect();
    let later_by_id: HashMap<i64, &LaterStagesRow> = later.iter().map(|l| (l.department_id, l)).collect();
    let names: Vec<(i64, String)> = if plans.is_empty() {
        later.iter().map(|l| (l.department_id, l.department_name.clone())).collect()
    } else {
        plans.iter().map(|p| (p.department_id, p.department_name.clone())).collect()
    };
    let plans: HashMap<i64, &CompletenessRow> = plans.iter().map(|p| (p.department_id, p)).collect();
    names
        .into_iter()
        .map(|(id, name)| {
            let mut counts = StageCounts::default();
            if let Some(p) = plans.get(&id) {
                counts.plan_participants = p.participants;
                counts.plans_approved = p.approved;
            }
            if let Some(m) = monitor.get(&id) {
                counts.targets = m.targets as i64;
                counts.targets_reported = m.current;
                counts.reports_overdue = m.overdue;
                counts.open_red = m.open_red;
                counts.open_yellow = m.open_yellow;
                counts.open_blue = m.open_blue;
                counts.slips_answered_in_time = m.answered_in_time;
                counts.slips_answer_decided = m.answer_decided;
            }
            if let Some(l) = later_by_id.get(&id) {
                counts.assess_participants = l.participants;
                counts.summaries_in = l.summaries_in;
                counts.ratings_done = l.ratings_done;
                counts.ratings_total = l.ratings_total;
                counts.results = l.results;
                counts.results_corrected = l.results_corrected;
                counts.notices_in_time = l.notices_in_time;
                counts.notices_late = l.notices_late;
                counts.notices_signed = l.notices_signed;
                counts.appeals_in_time = l.appeals_in_time;
                counts.appeals_late = l.appeals_late;
                counts.appeals_overdue = l.appeals_overdue;
                counts.rectification_in_time = l.rectification_in_time;
                counts.rectification_late = l.rectification_late;
                counts.rectification_overdue = l.rectification_overdue;
            }
            DashboardLine { department_id: id, name, counts }
        })
        .collect()
}

const BLUE: &str = "#1d4ed8";
const GREEN: &str = "#15803d";
const AMBER: &str = "#b45309";
const RED: &str = "#b91c1c";

/// One chart of the four stages' main share per department, each stage a series.
fn charts(ctx: &PageContext, lines: &[DashboardLine]) -> String {
    let series = |key: &str, color: &'static str, measure: fn(&StageCounts) -> Option<Decimal>| Series {
        name: ctx.t(key),
        data: lines.iter().map(|l| measure(&l.counts).and_then(|d| d.to_f64())).collect(),
        color,
    };
    let chart = Chart {
        id: "chart-stages",
        categories: lines.iter().map(|l| l.name.clone()).collect(),
        series: vec![
            series("dashboard-complete", BLUE, StageCounts::complete),
            series("dashboard-comprehensive", GREEN, StageCounts::comprehensive),
            series("dashboard-decided", AMBER, StageCounts::decided),
            series("dashboard-fast", RED, StageCounts::fast),
        ],
        stacked: false,
        max: Some(100.0),
    };
    chart_json(&[chart])
}

//! Plan overviews: a head's department, a leader's departments, the
//! performance office's completeness board and the alignment tree.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::auth::session::CurrentUser;
use crate::db::departments::{self, DepartmentChoice};
use crate::db::plan_boards::{self, CompletenessRow, CycleChoice, PlanStatusRow, TreeTargetRow};
use crate::db::target_export::TargetScope;
use crate::domain::cycles::chosen_cycle;
use crate::domain::plan::{self, TreeNode};
use crate::domain::policy::{self, Permission};
use crate::error::{AppError, AppResult};
use crate::http::forms::BoardQuery;
use crate::http::pages::{PageContext, render};
use crate::http::plan::target_xlsx;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "plan/department.html")]
pub struct DepartmentPlansPage {
    pub ctx: PageContext,
    pub cycles: Vec<CycleChoice>,
    pub cycle: Option<CycleChoice>,
    pub departments: Vec<DepartmentChoice>,
    pub department: Option<DepartmentChoice>,
    pub rows: Vec<PlanStatusRow>,
}

impl DepartmentPlansPage {
    /// The page's Excel export, for the cycle and department shown.
    pub fn export_href(&self) -> String {
        export_href("/plan/department.xlsx", self.cycle.as_ref(), self.department.as_ref())
    }
}

/// A page's export address with the cycle and department it shows.
fn export_href(path: &str, cycle: Option<&CycleChoice>, department: Option<&DepartmentChoice>) -> String {
    let mut query = Vec::new();
    if let Some(c) = cycle {
        query.push(format!("cycle={}", c.id));
    }
    if let Some(d) = department {
        query.push(format!("department={}", d.id));
    }
    if query.is_empty() { path.to_string() } else { format!("{path}?{}", query.join("&")) }
}

/// What a head's department page shows: the cycles, the departments they
/// head and the ones chosen. Refused for someone who heads none, or asks for
/// a department they do not head.
struct DepartmentChoices {
    cycles: Vec<CycleChoice>,
    cycle: Option<CycleChoice>,
    departments: Vec<DepartmentChoice>,
    department: Option<DepartmentChoice>,
}

async fn department_choices(
    conn: &mut PgConnection,
    user: &CurrentUser,
    query: &BoardQuery,
) -> AppResult<DepartmentChoices> {
    let heads = policy::require_department_head(user.grants())?;
    let departments: Vec<DepartmentChoice> =
        departments::choices(conn).await?.into_iter().filter(|d| heads.contains(&d.id)).collect();
    let department = match query.department_id() {
        Some(id) => Some(departments.iter().find(|d| d.id == id).cloned().ok_or(AppError::Forbidden)?),
        None => departments.first().cloned(),
    };
    let cycles = plan_boards::cycle_choices(conn).await?;
    let cycle = chosen_cycle(&cycles, query.cycle_id(), None);
    Ok(DepartmentChoices { cycles, cycle, departments, department })
}

/// 本处室目标: the department's set and every participant's, for a head.
pub async fn department(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let DepartmentChoices { cycles, cycle, departments, department } =
        department_choices(&mut conn, &user, &query).await?;
    let rows = match (&cycle, &department) {
        (Some(c), Some(d)) => plan_boards::department_plans(&mut conn, c.id, d.id).await?,
        _ => Vec::new(),
    };
    render(&DepartmentPlansPage { ctx, cycles, cycle, departments, department, rows })
}

/// `GET /plan/department.xlsx`: the targets of the plans the page lists.
pub async fn department_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    let chosen = department_choices(&mut *state.pool.acquire().await?, &user, &query).await?;
    let scope = match (&chosen.cycle, &chosen.department) {
        (Some(c), Some(d)) => Some(TargetScope::Department { cycle_id: c.id, department_id: d.id }),
        _ => None,
    };
    let detail = detail(chosen.cycle.as_ref(), chosen.department.as_ref());
    target_xlsx::download(&state, &ctx, scope, ("department-plans-title", Some(&detail)), "department-targets").await
}

/// The sheet title's detail: the department (when one is chosen) and the cycle.
fn detail(cycle: Option<&CycleChoice>, department: Option<&DepartmentChoice>) -> String {
    let parts: Vec<&str> =
        department.map(|d| d.name.as_str()).into_iter().chain(cycle.map(|c| c.name.as_str())).collect();
    parts.join(" · ")
}

#[derive(Template)]
#[template(path = "plan/board.html")]
pub struct BoardPage {
    pub ctx: PageContext,
    pub cycles: Vec<CycleChoice>,
    pub cycle: Option<CycleChoice>,
    /// The departments the filter offers, and the one chosen (none: all of them).
    pub departments: Vec<DepartmentChoice>,
    pub department: Option<DepartmentChoice>,
    pub rows: Vec<CompletenessRow>,
    pub totals: CompletenessRow,
    /// The leader's view (departments overseen) rather than the office's.
    pub overseen: bool,
    pub can_open_office_set: bool,
}

impl BoardPage {
    /// The page's Excel export, for the cycle and department shown.
    pub fn export_href(&self) -> String {
        let path = if self.overseen { "/plan/overseen.xlsx" } else { "/plan/board.xlsx" };
        export_href(path, self.cycle.as_ref(), self.department.as_ref())
    }

    pub fn is_chosen(&self, department: &DepartmentChoice) -> bool {
        self.department.as_ref().is_some_and(|d| d.id == department.id)
    }
}

fn totals(rows: &[CompletenessRow]) -> CompletenessRow {
    let sum = |f: fn(&CompletenessRow) -> i64| rows.iter().map(f).sum();
    CompletenessRow {
        department_id: 0,
        department_name: String::new(),
        participants: sum(|r| r.participants),
        without_set: sum(|r| r.without_set),
        unapproved: sum(|r| r.unapproved),
        weights_off: sum(|r| r.weights_off),
        approved: sum(|r| r.approved),
        department_status: None,
    }
}

/// What a plan board shows: the cycle, and the departments (`only` those of
/// a leader, else every active one) narrowed to the one chosen. A department
/// outside the choices means all of them, as an empty filter does.
struct BoardChoices {
    cycles: Vec<CycleChoice>,
    cycle: Option<CycleChoice>,
    departments: Vec<DepartmentChoice>,
    department: Option<DepartmentChoice>,
    /// The departments whose plans count: `None` for every department and the office's work points.
    scope: Option<Vec<i64>>,
}

async fn board_choices(conn: &mut PgConnection, query: &BoardQuery, only: Option<Vec<i64>>) -> AppResult<BoardChoices> {
    let cycles = plan_boards::cycle_choices(conn).await?;
    let cycle = chosen_cycle(&cycles, query.cycle_id(), None);
    let departments: Vec<DepartmentChoice> = departments::choices(conn)
        .await?
        .into_iter()
        .filter(|d| only.as_ref().is_none_or(|ids| ids.contains(&d.id)))
        .collect();
    let department = query.department_id().and_then(|id| departments.iter().find(|d| d.id == id).cloned());
    let scope = match &department {
        Some(d) => Some(vec![d.id]),
        None => only,
    };
    Ok(BoardChoices { cycles, cycle, departments, department, scope })
}

async fn board_page(
    state: &AppState,
    ctx: PageContext,
    query: BoardQuery,
    only: Option<Vec<i64>>,
    can_open_office_set: bool,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let overseen = only.is_some();
    let BoardChoices { cycles, cycle, departments, department, scope } = board_choices(&mut conn, &query, only).await?;
    let rows = match &cycle {
        Some(c) => plan_boards::completeness(&mut conn, c.id, scope.as_deref()).await?,
        None => Vec::new(),
    };
    let totals = totals(&rows);
    let page = BoardPage { ctx, cycles, cycle, departments, department, rows, totals, overseen, can_open_office_set };
    render(&page)
}

/// The targets of a board's plans in Excel.
async fn board_xlsx(
    state: &AppState,
    ctx: PageContext,
    query: BoardQuery,
    only: Option<Vec<i64>>,
    (title_key, file_stem): (&str, &str),
) -> AppResult<Response> {
    let chosen = board_choices(&mut *state.pool.acquire().await?, &query, only).await?;
    let scope = chosen.cycle.as_ref().map(|c| TargetScope::Cycle { cycle_id: c.id, departments: chosen.scope.clone() });
    let detail = detail(chosen.cycle.as_ref(), chosen.department.as_ref());
    target_xlsx::download(state, &ctx, scope, (title_key, Some(&detail)), file_stem).await
}

/// 目标完整性: every department's plan counts, for the performance office.
pub async fn board(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    user.require(Permission::ViewAllPlans)?;
    let can_open = user.may(Permission::ManagePlanning);
    board_page(&state, ctx, query, None, can_open).await
}

/// `GET /plan/board.xlsx`: the targets of the board's cycle (every
/// department's and the office's work points, or the chosen department's).
pub async fn board_targets_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    user.require(Permission::ViewAllPlans)?;
    board_xlsx(&state, ctx, query, None, ("board-title", "plan-board-targets")).await
}

/// 分管处室: the same counts for the departments a leader oversees.
pub async fn overseen(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    let leads = policy::require_supervising_leader(user.grants())?;
    board_page(&state, ctx, query, Some(leads), false).await
}

/// `GET /plan/overseen.xlsx`: the targets of the overseen departments' plans.
pub async fn overseen_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    let leads = policy::require_supervising_leader(user.grants())?;
    board_xlsx(&state, ctx, query, Some(leads), ("overseen-title", "overseen-targets")).await
}

/// One line of the alignment tree.
pub struct TreeLine {
    pub depth: usize,
    pub target: TreeTargetRow,
    pub completion: Option<Decimal>,
}

#[derive(Template)]
#[template(path = "plan/tree.html")]
pub struct TreePage {
    pub ctx: PageContext,
    pub cycles: Vec<CycleChoice>,
    pub cycle: Option<CycleChoice>,
    pub lines: Vec<TreeLine>,
}

/// Orders targets as a tree (parents before their children, depth-first);
/// targets whose parent is not in the list start a tree of their own.
pub fn tree_lines(rows: Vec<TreeTargetRow>, completion: &HashMap<i64, Option<Decimal>>) -> Vec<TreeLine> {
    let ids: std::collections::HashSet<i64> = rows.iter().map(|r| r.id).collect();
    let mut children: HashMap<Option<i64>, Vec<TreeTargetRow>> = HashMap::new();
    for row in rows {
        let parent = row.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(row);
    }
    let mut lines = Vec::new();
    let mut stack: Vec<(usize, TreeTargetRow)> =
        children.remove(&None).unwrap_or_default().into_iter().rev().map(|r| (0, r)).collect();
    while let Some((depth, row)) = stack.pop() {
        if let Some(kids) = children.remove(&Some(row.id)) {
            stack.extend(kids.into_iter().rev().map(|k| (depth + 1, k)));
        }
        lines.push(TreeLine { depth, completion: completion.get(&row.id).copied().flatten(), target: row });
    }
    lines
}

/// The alignment tree of a cycle: work points → department targets → staff targets.
pub async fn tree(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    // The office roles see the whole tree; heads and leaders their departments' branches.
    let scope = policy::require_plan_reader(user.grants())?;
    let mut conn = state.pool.acquire().await?;
    let cycles = plan_boards::cycle_choices(&mut conn).await?;
    let cycle = chosen_cycle(&cycles, query.cycle_id(), None);
    let (rows, cap) = match &cycle {
        Some(c) => (
            plan_boards::cycle_targets(&mut conn, c.id).await?,
            crate::db::settings::for_year(&mut conn, c.year).await?.completion_cap_percent,
        ),
        None => (Vec::new(), 0),
    };
    let rows: Vec<TreeTargetRow> = rows
        .into_iter()
        .filter(|r| match (&scope, r.department_id) {
            (None, _) | (Some(_), None) => true,
            (Some(ids), Some(d)) => ids.contains(&d),
        })
        .collect();
    // A target's own completion comes from its latest verified progress report.
    let nodes: Vec<TreeNode> = rows
        .iter()
        .map(|r| TreeNode {
            id: r.id,
            parent: r.parent_id,
            weight: r.weight,
            own: plan::target_completion(r.kind, r.audited, r.target_value, r.direction, cap),
        })
        .collect();
    let completion = plan::rollup(&nodes);
    render(&TreePage { ctx, cycles, cycle, lines: tree_lines(rows, &completion) })
}

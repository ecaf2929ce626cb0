//! Progress reports: My reports and the verify queue.

use chrono::Datelike;

use super::*;

/// A target the person reports on, with the period to look at first.
pub struct MyReportRow {
    pub target: ReportingTarget,
    pub focus: Option<PeriodView>,
    /// Late periods other than the focus one.
    pub other_late: Vec<PeriodView>,
}

#[derive(Template)]
#[template(path = "monitor/reports.html")]
pub struct MyReportsPage {
    pub ctx: PageContext,
    pub rows: Vec<MyReportRow>,
    /// Only the periods whose report came back (`?returned=1`, the home to-do's list).
    pub returned_only: bool,
    /// The work days after a period's end its report is due, for the intro.
    pub due_workdays: i64,
}

/// `?returned=1`: list exactly the returned reports, one row per period.
#[derive(Debug, Default, Deserialize)]
pub struct MyReportsQuery {
    #[serde(default)]
    pub returned: Option<String>,
}

/// 我的进度填报: every target the person reports on now, its latest due period.
/// Any signed-in person; their own data only.
pub async fn my_reports(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<MyReportsQuery>,
) -> AppResult<Response> {
    let today = state.clock.today();
    let scope = ReportingScope { person_id: user.id(), heads: heads(&user), ..Default::default() };
    let mut conn = state.pool.acquire().await?;
    let targets = reports::reporting(&mut conn, &scope, today).await?;
    let due_workdays = reports::due_workdays(&mut conn, today.year()).await?;
    let returned_only = query.returned.is_some_and(|v| !v.is_empty() && v != "0");
    if returned_only {
        return render(&MyReportsPage { ctx, rows: returned_rows(targets), returned_only, due_workdays });
    }
    let rows = targets
        .into_iter()
        .map(|target| {
            let focus = rules::focus_period(&target.periods, today).copied();
            let other_late =
                target.late_periods().filter(|p| Some(p.start) != focus.map(|f| f.start)).copied().collect();
            MyReportRow { target, focus, other_late }
        })
        .collect();
    render(&MyReportsPage { ctx, rows, returned_only, due_workdays })
}

/// One row per period whose latest report came back, of the targets reported here.
fn returned_rows(targets: Vec<ReportingTarget>) -> Vec<MyReportRow> {
    let mut rows = Vec::new();
    for target in targets.into_iter().filter(|t| t.reports_here()) {
        let returned: Vec<PeriodView> = target
            .periods
            .iter()
            .filter(|p| p.report.is_some_and(|r| r.status == ReportStatus::Returned))
            .copied()
            .collect();
        for period in returned {
            rows.push(MyReportRow { target: target.clone(), focus: Some(period), other_late: Vec::new() });
        }
    }
    rows
}

/// A target of a watched department with a late period.
pub struct LateRow {
    pub target: ReportingTarget,
    pub late: Vec<PeriodView>,
}

#[derive(Template)]
#[template(path = "monitor/verify.html")]
pub struct VerifyQueuePage {
    pub ctx: PageContext,
    pub reports: Vec<reports::QueueRow>,
    pub late: Vec<LateRow>,
}

/// 进度核实: submitted reports awaiting the viewer, oldest first, and the
/// late targets of the departments the viewer heads.
pub async fn verify_queue(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    policy::require_decider(user.grants())?;
    let mut conn = state.pool.acquire().await?;
    let queue = reports::awaiting(&mut conn, &user.decider_scope()).await?;
    let heads = heads(&user);
    let scope = ReportingScope { person_id: user.id(), heads: heads.clone(), target: None, watch: heads.clone() };
    let late = reports::reporting(&mut conn, &scope, state.clock.today())
        .await?
        .into_iter()
        .filter(|t| t.department_id.is_some_and(|d| heads.contains(&d)))
        .map(|target| LateRow { late: target.late_periods().copied().collect(), target })
        .filter(|row| !row.late.is_empty())
        .collect();
    render(&VerifyQueuePage { ctx, reports: queue, late })
}

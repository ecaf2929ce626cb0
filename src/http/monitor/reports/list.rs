//! Progress reports: My reports and the verify queue.

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
}

/// 我的进度填报: every target the person reports on now, its latest due period.
/// Any signed-in person; their own data only.
pub async fn my_reports(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let today = state.clock.today();
    let scope = ReportingScope { person_id: user.id(), heads: heads(&user), ..Default::default() };
    let targets = reports::reporting(&mut *state.pool.acquire().await?, &scope, today).await?;
    let rows = targets
        .into_iter()
        .map(|target| {
            let focus = rules::focus_period(&target.periods, today).copied();
            let other_late =
                target.late_periods().filter(|p| Some(p.start) != focus.map(|f| f.start)).copied().collect();
            MyReportRow { target, focus, other_late }
        })
        .collect();
    render(&MyReportsPage { ctx, rows })
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

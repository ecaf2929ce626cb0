//! Progress reports: My reports and the verify queue.

use chrono::Datelike;

use super::*;
use crate::clock::OFFICE_TZ;
use crate::http::export::xlsx_download;
use crate::xlsx::{Cell, Sheet};

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
    let mut conn = state.pool.acquire().await?;
    let (rows, returned_only) = load_mine(&mut conn, &user, &query, today).await?;
    let due_workdays = reports::due_workdays(&mut conn, today.year()).await?;
    render(&MyReportsPage { ctx, rows, returned_only, due_workdays })
}

/// The columns of my reports' export: the page's, the period split into its
/// first and last day.
pub(crate) const MINE_HEADERS: [&str; 7] = [
    "reports-target",
    "field-cycle",
    "reports-period-start",
    "reports-period-end",
    "reports-due",
    "reports-timeliness",
    "reports-last-status",
];

/// `GET /monitor/reports.xlsx`: the rows of my reports, `?returned=1` as on the page.
pub async fn my_reports_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<MyReportsQuery>,
) -> AppResult<Response> {
    let today = state.clock.today();
    let (rows, _) = load_mine(&mut *state.pool.acquire().await?, &user, &query, today).await?;
    let now = state.clock.now();
    let mut sheet = Sheet::new(ctx.sheet_head("reports-title", None, &MINE_HEADERS, false, now));
    for MyReportRow { target, focus, .. } in rows {
        let mut title = target.title;
        if target.acting_for.is_some() {
            title =
                format!("{title} · {}", ctx.t_name("reports-acting-for", target.owner_name.as_deref().unwrap_or("")));
        }
        let mut cells: Vec<Cell> = vec![title.into(), target.cycle_name.into()];
        match focus {
            Some(p) => {
                let status = p.report.map_or("reports-not-sent".into(), |r| r.status.label_key());
                cells.extend([p.start.into(), p.end.into(), p.due.into()]);
                cells.extend([ctx.t(p.timeliness.label_key()).into(), ctx.t(&status).into()]);
            }
            None => {
                cells.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
                cells.push(ctx.t("reports-no-period").into());
            }
        }
        sheet.push(cells);
    }
    xlsx_download(sheet, "my-reports", now).await
}

/// The rows of my reports (their own data only, for any signed-in person):
/// every target the person reports on with the period to look at first, or
/// with `?returned=1` one row per returned report; and whether that filter is on.
async fn load_mine(
    conn: &mut PgConnection,
    user: &CurrentUser,
    query: &MyReportsQuery,
    today: NaiveDate,
) -> AppResult<(Vec<MyReportRow>, bool)> {
    let scope = ReportingScope { person_id: user.id(), heads: heads(user), ..Default::default() };
    let targets = reports::reporting(conn, &scope, today).await?;
    let returned_only = query.returned.as_ref().is_some_and(|v| !v.is_empty() && v != "0");
    if returned_only {
        return Ok((returned_rows(targets), true));
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
    Ok((rows, false))
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
    let mut conn = state.pool.acquire().await?;
    let queue = load_queue(&mut conn, &user).await?;
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

pub(crate) const QUEUE_HEADERS: [&str; 9] = [
    "reports-target",
    "field-department",
    "field-owner",
    "reports-period-start",
    "reports-period-end",
    "reports-field-value",
    "field-unit",
    "reports-files-count",
    "reports-submitted-at",
];

/// `GET /monitor/verify.xlsx`: the reports awaiting the viewer's verification,
/// as the queue lists them.
pub async fn verify_queue_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
) -> AppResult<Response> {
    let queue = load_queue(&mut *state.pool.acquire().await?, &user).await?;
    let now = state.clock.now();
    let mut sheet = Sheet::new(ctx.sheet_head("reports-queue-title", None, &QUEUE_HEADERS, false, now));
    for r in queue {
        let mut owner = r.owner_name.unwrap_or_default();
        if let Some(absent) = &r.acting_for_name {
            owner = format!("{owner} ({} · {})", r.submitted_by_name, ctx.t_name("reports-acting-for", absent));
        }
        sheet.push(vec![
            r.target_title.into(),
            r.department_name.into(),
            owner.into(),
            r.period_start.into(),
            r.period_end.into(),
            r.reported_value.into(),
            r.unit.into(),
            r.files.into(),
            r.submitted_at.with_timezone(&OFFICE_TZ).naive_local().into(),
        ]);
    }
    xlsx_download(sheet, "reports-to-verify", now).await
}

/// The submitted reports awaiting the viewer's verification, oldest first:
/// heads and supervising leaders only.
async fn load_queue(conn: &mut PgConnection, user: &CurrentUser) -> AppResult<Vec<reports::QueueRow>> {
    policy::require_decider(user.grants())?;
    Ok(reports::awaiting(conn, &user.decider_scope()).await?)
}

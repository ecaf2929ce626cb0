//! The assessment of departments (docs/DOMAIN.md §18.4): each department's
//! measures gathered from the office's records, the scorecard and the
//! year's ranking, and the committee's decision that freezes them.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

use crate::db::department_assessment::{self as store, Calibration, Decision, LedgerLine, NewResult};
use crate::db::events::DepartmentEvent;
use crate::db::{boards, calendar, departments, events, settings, surveys};
use crate::domain::assessment::Level;
use crate::domain::assessment::department::{
    self as rules, DepartmentPlacement, DepartmentScheme, GradingEntry, Measures, RaterKind, Scorecard,
};
use crate::domain::boards as board_rules;
use crate::domain::satisfaction::Tally;
use crate::error::{AppError, AppResult};
use crate::workflow::boards::office_figures;

/// The year's department scheme: its newest version, else the shipped default.
pub async fn scheme_for(conn: &mut PgConnection, year: i32) -> AppResult<(i32, DepartmentScheme)> {
    let versions = store::scheme_versions(conn, year).await?;
    Ok(versions.into_iter().next().map_or_else(|| (0, DepartmentScheme::default_for(year)), |v| (v.number, v.scheme)))
}

/// Ballots received, per level.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BallotTally {
    pub counts: Vec<(Level, u32)>,
    /// Below the scheme's minimum (peers only): neither shown nor counted.
    pub withheld: bool,
}

impl BallotTally {
    pub fn total(&self) -> u32 {
        self.counts.iter().map(|(_, c)| c).sum()
    }

    pub fn count(&self, level: &Level) -> u32 {
        self.counts.iter().find(|(l, _)| l == level).map_or(0, |(_, c)| *c)
    }
}

/// A department's scorecard with every source behind it (frozen as the
/// result's card when the year is decided).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DepartmentTrace {
    pub department_id: i64,
    pub name: String,
    /// The annual cycle whose staff targets make the targets part.
    pub cycle_id: Option<i64>,
    pub targets: usize,
    pub completion: Option<Decimal>,
    /// Every answer of the year's surveys about the department.
    pub satisfaction: Tally,
    /// The same answers survey by survey: id, title, tally.
    #[serde(default)]
    pub surveys: Vec<(i64, String, Tally)>,
    pub satisfaction_min: u32,
    pub leader: BallotTally,
    pub peer: BallotTally,
    /// Supervision slips answered by their date, of those whose answer is in.
    pub slips_in_time: i64,
    pub slips_decided: i64,
    /// Commitment cases kept and broken.
    pub kept: i64,
    pub broken: i64,
    /// Work-system preparation tasks done by their due day, of those due.
    pub tasks_on_time: i64,
    pub tasks_due: i64,
    /// The year's events the department ran or answered tasks for.
    #[serde(default)]
    pub events: Vec<DepartmentEvent>,
    pub ledger: Vec<LedgerLine>,
    pub card: Scorecard,
}

impl DepartmentTrace {
    pub fn satisfaction_shown(&self) -> bool {
        self.satisfaction.shown(self.satisfaction_min)
    }
}

fn percent(part: i64, whole: i64) -> Option<Decimal> {
    board_rules::share(part, whole)
}

/// Each part's measure from the sources, and the scorecard.
fn measure(scheme: &DepartmentScheme, t: &DepartmentTrace) -> Measures {
    let ballot_measure = |b: &BallotTally| if b.withheld { None } else { scheme.ballot_mean(&b.counts) };
    let bonus = t.ledger.iter().filter(|l| l.points > Decimal::ZERO).map(|l| l.points).sum();
    let penalties = -t.ledger.iter().filter(|l| l.points < Decimal::ZERO).map(|l| l.points).sum::<Decimal>();
    Measures {
        targets: t.completion,
        satisfaction: if t.satisfaction_shown() { t.satisfaction.index() } else { None },
        leader: ballot_measure(&t.leader),
        peer: ballot_measure(&t.peer),
        efficiency: rules::efficiency(&[
            percent(t.slips_in_time, t.slips_decided),
            percent(t.kept, t.kept + t.broken),
            percent(t.tasks_on_time, t.tasks_due),
        ]),
        bonus,
        penalties,
    }
}

fn ballots(scheme: &DepartmentScheme, counts: &[store::BallotCount], department: i64, kind: RaterKind) -> BallotTally {
    let counts: Vec<(Level, u32)> = Level::ALL
        .iter()
        .map(|l| {
            let n = counts
                .iter()
                .filter(|c| c.department_id == department && c.kind == kind && c.level == *l)
                .map(|c| c.count)
                .sum();
            (*l, n)
        })
        .collect();
    let total: u32 = counts.iter().map(|(_, c)| c).sum();
    BallotTally { withheld: kind == RaterKind::Peer && total > 0 && total < scheme.min_peer_ballots, counts }
}

/// Every active department's scorecard for `year`, as the records stand on `today`.
pub async fn traces(
    conn: &mut PgConnection,
    scheme: &DepartmentScheme,
    year: i32,
    today: NaiveDate,
) -> AppResult<Vec<DepartmentTrace>> {
    let start = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(AppError::NotFound)?;
    let end = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(AppError::NotFound)?;
    let cycle_id = store::annual_cycle_of(conn, year).await?;
    let mut lines = HashMap::new();
    if let Some(id) = cycle_id {
        let cycles = boards::cycles(conn, today, Some(id)).await?;
        if let Some(cycle) = cycles.iter().find(|c| c.id == id) {
            for line in office_figures(conn, cycle, today).await?.lines {
                lines.insert(line.department_id, line);
            }
        }
    }
    let satisfaction_min = settings::for_year(conn, year).await?.survey_min_answers;
    let tallies: HashMap<i64, Tally> = satisfaction_tallies(conn, year).await?;
    let tasks: HashMap<i64, (i64, i64)> = task_timeliness(conn, year, today).await?;
    let counts = store::ballot_counts(conn, year).await?;
    let mut ledger: HashMap<i64, Vec<LedgerLine>> = HashMap::new();
    for line in store::ledger_lines(conn, start, end).await? {
        ledger.entry(line.department_id).or_default().push(line);
    }
    let mut traces = Vec::new();
    for d in departments::list(conn).await?.into_iter().filter(|d| d.active) {
        let line = lines.get(&d.id);
        let (tasks_due, tasks_on_time) = tasks.get(&d.id).copied().unwrap_or_default();
        let mut trace = DepartmentTrace {
            department_id: d.id,
            name: d.name,
            cycle_id,
            targets: line.map_or(0, |l| l.targets),
            completion: line.and_then(|l| l.completion),
            satisfaction: tallies.get(&d.id).copied().unwrap_or_default(),
            surveys: surveys::department_survey_tallies(conn, d.id, year).await?,
            satisfaction_min: u32::try_from(satisfaction_min).unwrap_or(0),
            leader: ballots(scheme, &counts, d.id, RaterKind::Leader),
            peer: ballots(scheme, &counts, d.id, RaterKind::Peer),
            slips_in_time: line.map_or(0, |l| l.answered_in_time),
            slips_decided: line.map_or(0, |l| l.answer_decided),
            kept: line.map_or(0, |l| l.kept),
            broken: line.map_or(0, |l| l.broken),
            tasks_on_time,
            tasks_due,
            events: events::events_of_department(conn, d.id, year, today).await?,
            ledger: ledger.remove(&d.id).unwrap_or_default(),
            card: rules::score(scheme, &Measures::default()),
        };
        trace.card = rules::score(scheme, &measure(scheme, &trace));
        traces.push(trace);
    }
    Ok(traces)
}

/// Members' satisfaction per department over the year's surveys.
async fn satisfaction_tallies(conn: &mut PgConnection, year: i32) -> AppResult<HashMap<i64, Tally>> {
    Ok(surveys::department_tallies(conn, year).await?.into_iter().collect())
}

/// Work-system preparation tasks due in the year, and done on time, per department.
async fn task_timeliness(conn: &mut PgConnection, year: i32, today: NaiveDate) -> AppResult<HashMap<i64, (i64, i64)>> {
    let rows = events::task_timeliness(conn, year, today).await?;
    Ok(rows.into_iter().map(|t| (t.department_id, (t.due, t.on_time))).collect())
}

/// One department in the year's ranking.
#[derive(Debug, Clone)]
pub struct RankedDepartment {
    pub trace: DepartmentTrace,
    pub placement: DepartmentPlacement,
    pub calibration: Option<Calibration>,
    /// Once decided: the grade decided (the computed one unless calibrated).
    pub decided_grade: Option<Level>,
}

impl RankedDepartment {
    /// The grade that stands: decided, else calibrated, else computed.
    pub fn grade(&self) -> Option<Level> {
        self.decided_grade.or(self.calibration.as_ref().map(|c| c.grade)).or(self.placement.grade)
    }
}

/// The year's ranking: live until the committee decides, frozen after.
#[derive(Debug, Clone)]
pub struct Ranking {
    pub year: i32,
    pub scheme: DepartmentScheme,
    pub scheme_number: i32,
    pub quota: usize,
    pub rows: Vec<RankedDepartment>,
    pub decision: Option<Decision>,
}

impl Ranking {
    pub fn excellent_count(&self) -> usize {
        self.rows.iter().filter(|r| r.grade() == Some(Level::Excellent)).count()
    }
}

fn place(scheme: &DepartmentScheme, traces: &[DepartmentTrace]) -> Vec<DepartmentPlacement> {
    let entries: Vec<GradingEntry> = traces
        .iter()
        .map(|t| GradingEntry { department_id: t.department_id, total: t.card.total, targets: t.card.parts[0].score })
        .collect();
    rules::grade_departments(scheme, &entries)
}

/// The ranking of `year` as it stands on `today`.
pub async fn ranking(conn: &mut PgConnection, year: i32, today: NaiveDate) -> AppResult<Ranking> {
    if let Some(decision) = store::decision(conn, year).await? {
        let results = store::results::<DepartmentTrace>(conn, decision.id).await?;
        let traces: Vec<DepartmentTrace> = results.iter().map(|r| r.card.clone()).collect();
        let placements = place(&decision.scheme, &traces);
        let rows = placements
            .into_iter()
            .filter_map(|p| {
                let r = results.iter().find(|r| r.department_id == p.department_id)?;
                let calibration = (r.grade != r.computed_grade).then(|| Calibration {
                    department_id: r.department_id,
                    grade: r.grade.unwrap_or(Level::Poor),
                    reason: r.reason.clone(),
                    calibrated_by_name: String::new(),
                });
                Some(RankedDepartment { trace: r.card.clone(), placement: p, calibration, decided_grade: r.grade })
            })
            .collect();
        let quota = rules::excellent_quota(&decision.scheme, traces.iter().filter(|t| t.card.total.is_some()).count());
        return Ok(Ranking {
            year,
            scheme: decision.scheme.clone(),
            scheme_number: 0,
            quota,
            rows,
            decision: Some(decision),
        });
    }
    let (scheme_number, scheme) = scheme_for(conn, year).await?;
    let traces = traces(conn, &scheme, year, today).await?;
    let calibrations = store::calibrations(conn, year).await?;
    let placements = place(&scheme, &traces);
    let quota = rules::excellent_quota(&scheme, traces.iter().filter(|t| t.card.total.is_some()).count());
    let rows = placements
        .into_iter()
        .filter_map(|p| {
            let trace = traces.iter().find(|t| t.department_id == p.department_id)?.clone();
            let calibration = calibrations.iter().find(|c| c.department_id == p.department_id).cloned();
            Some(RankedDepartment { trace, placement: p, calibration, decided_grade: None })
        })
        .collect();
    Ok(Ranking { year, scheme, scheme_number, quota, rows, decision: None })
}

/// Freezes the year's ranking as the committee's decision, calibrations
/// applied, and opens publicity for the scheme's work days. The decision's id
/// and the publicity's last day; none when the year was decided already.
pub async fn decide(
    conn: &mut PgConnection,
    year: i32,
    decided_by: i64,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> AppResult<Option<(i64, NaiveDate)>> {
    store::lock_year(conn, year).await?;
    let ranking = ranking(conn, year, today).await?;
    if ranking.decision.is_some() {
        return Ok(None);
    }
    let calendar = calendar::load(conn, today, today + Duration::days(60)).await?;
    let until = calendar.add_workdays(today, i64::from(ranking.scheme.publicity_work_days));
    let results: Vec<NewResult<DepartmentTrace>> = ranking
        .rows
        .iter()
        .map(|r| NewResult {
            department_id: r.trace.department_id,
            score: r.trace.card.total,
            computed_grade: r.placement.grade,
            grade: r.grade(),
            reason: r.calibration.as_ref().map(|c| c.reason.clone()).unwrap_or_default(),
            card: r.trace.clone(),
        })
        .collect();
    let id = store::decide(conn, year, &ranking.scheme, decided_by, now, until, &results).await?;
    Ok(Some((id, until)))
}

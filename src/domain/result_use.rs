//! The use of results (结果运用, docs/DOMAIN.md §19.6): a person's counters
//! over the years of final annual grades, explained year by year, and the
//! records they make due: 嘉奖, 记三等功, a salary step, a level, 诫勉,
//! demotion and dismissal proceedings. Also the grade import's row checks
//! (earlier years' grades, so that counters start right on day one).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::assessment::AnnualGrade;
use super::policy::{Denied, allow};
use super::roles::{Grants, Role};
use super::settings::Settings;
use super::spreadsheet::{self, FileError, ImportColumn, Table};

code_enum!(
    /// A record proposed from a final grade.
    ProposalKind, "result_use_kind", "result-use-kind", {
        Commendation => "commendation",
        Merit => "merit",
        SalaryStep => "salary_step",
        Level => "level",
        Admonition => "admonition",
        Demotion => "demotion",
        Dismissal => "dismissal",
    }
);

code_enum!(
    /// Where a proposal stands: the performance office confirms or rejects a
    /// proposed one; a proposed one no longer supported by the grades is withdrawn.
    ProposalStatus, "result_use_status", "result-use-status", {
        Proposed => "proposed",
        Confirmed => "confirmed",
        Rejected => "rejected",
        Withdrawn => "withdrawn",
    }
);

/// Where a year's grade comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GradeSource {
    /// A final result of an annual cycle decided in the system.
    Decided,
    /// An earlier year's grade imported from the office's files.
    Imported,
}

/// One year of a person's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GradeYear {
    pub year: i32,
    pub grade: AnnualGrade,
    pub source: GradeSource,
}

/// The numbers of the counters (settings, docs/DOMAIN.md §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub merit_excellent_years: u32,
    pub salary_step_years: u32,
    pub level_years: u32,
    pub dismissal_incompetent_years: u32,
}

impl Rules {
    pub fn from_settings(s: &Settings) -> Rules {
        let n = |v: i32| u32::try_from(v).unwrap_or(1).max(1);
        Rules {
            merit_excellent_years: n(s.merit_excellent_years),
            salary_step_years: n(s.salary_step_years),
            level_years: n(s.level_years),
            dismissal_incompetent_years: n(s.dismissal_incompetent_years),
        }
    }
}

/// The career dates the step and level counters start from (docs/DOMAIN.md §2.6).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CounterDates {
    pub step_since: Option<NaiveDate>,
    pub level_since: Option<NaiveDate>,
}

/// The first assessment year a counter starting on `since` counts: the
/// date's own year when it is 1 January, else the next one (a year counts
/// only when it was spent wholly on the current step or level).
pub fn first_counted_year(since: Option<NaiveDate>) -> Option<i32> {
    since.map(|d| if d.ordinal() == 1 { d.year() } else { d.year() + 1 })
}

/// One year explained: its grade, whether it counts, and each counter after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearRow {
    pub year: i32,
    pub grade: AnnualGrade,
    pub source: GradeSource,
    /// 称职 or better: counts toward a step and a level.
    pub counted: bool,
    /// 优秀 in a row, after this year (0 after a citation restarts it).
    pub excellent_run: u32,
    /// Counted years toward the next salary step, after this year; `None`
    /// before the current step's date.
    pub step_count: Option<u32>,
    /// Counted years toward the next level, after this year; `None` before
    /// the current level's date.
    pub level_count: Option<u32>,
    /// 不称职 in a row, after this year.
    pub incompetent_run: u32,
    /// The records this year makes due.
    pub due: Vec<ProposalKind>,
}

/// A person's counters: every year explained, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Counters {
    pub rows: Vec<YearRow>,
}

impl Counters {
    /// Every (year, kind) due, oldest first.
    pub fn due(&self) -> Vec<(i32, ProposalKind)> {
        self.rows.iter().flat_map(|r| r.due.iter().map(move |k| (r.year, *k))).collect()
    }

    /// The counters after the last year (all zero without history).
    pub fn last(&self) -> Option<&YearRow> {
        self.rows.last()
    }
}

/// Works out the counters over a person's years (docs/DOMAIN.md §19.6).
/// A year the system decided wins over an imported one of the same year.
///
/// - 优秀 counts, runs on, and makes 嘉奖 due; the run reaching
///   `merit_excellent_years` makes 记三等功 due instead of that year's 嘉奖,
///   and the run restarts.
/// - 称职 counts and ends a run of 优秀.
/// - 基本称职 does not count, ends both runs and makes 诫勉 due.
/// - 不称职 does not count, ends the run of 优秀 and runs on: demotion is due,
///   or dismissal proceedings when the run reaches `dismissal_incompetent_years`
///   (the run restarts).
/// - 不定等次 does not count and breaks no run; a year missing between two
///   known years ends both runs ("in a row" means consecutive years).
/// - Counted years since the step's (level's) date make a salary step (level)
///   due on reaching `salary_step_years` (`level_years`); the counter restarts,
///   as the new step (level) starts the next 1 January.
pub fn counters(years: &[GradeYear], dates: CounterDates, rules: Rules) -> Counters {
    let mut by_year: BTreeMap<i32, GradeYear> = BTreeMap::new();
    for y in years {
        match by_year.get(&y.year) {
            Some(kept) if kept.source == GradeSource::Decided => {}
            _ => {
                by_year.insert(y.year, *y);
            }
        }
    }
    let step_from = first_counted_year(dates.step_since);
    let level_from = first_counted_year(dates.level_since);
    let (mut excellent_run, mut incompetent_run, mut step, mut level) = (0u32, 0u32, 0u32, 0u32);
    let mut previous: Option<i32> = None;
    let mut rows = Vec::with_capacity(by_year.len());
    for (year, y) in by_year {
        if previous.is_some_and(|p| year > p + 1) {
            excellent_run = 0;
            incompetent_run = 0;
        }
        previous = Some(year);
        let counted = matches!(y.grade, AnnualGrade::Excellent | AnnualGrade::Competent);
        let mut due = Vec::new();
        match y.grade {
            AnnualGrade::Excellent => {
                incompetent_run = 0;
                excellent_run += 1;
                if excellent_run >= rules.merit_excellent_years {
                    due.push(ProposalKind::Merit);
                } else {
                    due.push(ProposalKind::Commendation);
                }
            }
            AnnualGrade::Competent => {
                excellent_run = 0;
                incompetent_run = 0;
            }
            AnnualGrade::BasicallyCompetent => {
                excellent_run = 0;
                incompetent_run = 0;
                due.push(ProposalKind::Admonition);
            }
            AnnualGrade::Incompetent => {
                excellent_run = 0;
                incompetent_run += 1;
                if incompetent_run >= rules.dismissal_incompetent_years {
                    due.push(ProposalKind::Dismissal);
                } else {
                    due.push(ProposalKind::Demotion);
                }
            }
            AnnualGrade::Ungraded => {}
        }
        let step_counts = step_from.is_none_or(|from| year >= from);
        let level_counts = level_from.is_none_or(|from| year >= from);
        if counted && step_counts {
            step += 1;
            if step >= rules.salary_step_years {
                due.push(ProposalKind::SalaryStep);
            }
        }
        if counted && level_counts {
            level += 1;
            if level >= rules.level_years {
                due.push(ProposalKind::Level);
            }
        }
        rows.push(YearRow {
            year,
            grade: y.grade,
            source: y.source,
            counted,
            excellent_run,
            step_count: step_counts.then_some(step),
            level_count: level_counts.then_some(level),
            incompetent_run,
            due,
        });
        // A citation or dismissal proceedings restart their run; a step or a
        // level restarts its counter. Shown before the restart, the row says
        // what the year reached.
        if excellent_run >= rules.merit_excellent_years {
            excellent_run = 0;
        }
        if incompetent_run >= rules.dismissal_incompetent_years {
            incompetent_run = 0;
        }
        if step >= rules.salary_step_years {
            step = 0;
        }
        if level >= rules.level_years {
            level = 0;
        }
    }
    Counters { rows }
}

/// What a sync does to the proposals of a person, given what is due now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sync {
    /// (year, kind) to add as proposed.
    pub add: Vec<(i32, ProposalKind)>,
    /// Proposal ids: withdrawn ones due again, back to proposed.
    pub reopen: Vec<i64>,
    /// Proposal ids: proposed ones no longer due, withdrawn.
    pub withdraw: Vec<i64>,
    /// (id, basis changed): confirmed ones whose flag moves.
    pub flag: Vec<(i64, bool)>,
}

/// A stored proposal, as the sync sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Existing {
    pub id: i64,
    pub year: i32,
    pub kind: ProposalKind,
    pub status: ProposalStatus,
    pub basis_changed: bool,
}

/// Compares what is due with what is stored: adds the new, withdraws the
/// proposed ones no longer due (and reopens withdrawn ones due again), and
/// flags the confirmed ones whose basis is gone (unflags them when it is
/// back). A rejected proposal stays rejected either way.
pub fn sync(due: &[(i32, ProposalKind)], existing: &[Existing]) -> Sync {
    let due_set: HashSet<(i32, ProposalKind)> = due.iter().copied().collect();
    let stored: HashMap<(i32, ProposalKind), &Existing> = existing.iter().map(|e| ((e.year, e.kind), e)).collect();
    let mut out = Sync::default();
    for key in due {
        if !stored.contains_key(key) && !out.add.contains(key) {
            out.add.push(*key);
        }
    }
    for e in existing {
        let supported = due_set.contains(&(e.year, e.kind));
        match e.status {
            ProposalStatus::Proposed if !supported => out.withdraw.push(e.id),
            ProposalStatus::Withdrawn if supported => out.reopen.push(e.id),
            ProposalStatus::Confirmed if e.basis_changed == supported => out.flag.push((e.id, !supported)),
            _ => {}
        }
    }
    out
}

/// How the office decides a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Confirm,
    Reject,
}

impl Decision {
    pub fn parse(text: &str) -> Option<Decision> {
        match text.trim() {
            "confirm" => Some(Decision::Confirm),
            "reject" => Some(Decision::Reject),
            _ => None,
        }
    }

    pub fn status(self) -> ProposalStatus {
        match self {
            Decision::Confirm => ProposalStatus::Confirmed,
            Decision::Reject => ProposalStatus::Rejected,
        }
    }
}

/// Whether `user_id` may decide a proposal about `person_id`: never about oneself.
pub fn may_decide(user_id: i64, person_id: i64, status: ProposalStatus) -> bool {
    user_id != person_id && status == ProposalStatus::Proposed
}

/// An annual grade as a clerk writes it: the Chinese name (either set of
/// names, docs/DOMAIN.md §17.6) or the stable code.
pub fn parse_grade(text: &str) -> Option<AnnualGrade> {
    Some(match text.trim() {
        "优秀" | "excellent" => AnnualGrade::Excellent,
        "称职" | "合格" | "competent" => AnnualGrade::Competent,
        "基本称职" | "基本合格" | "basically_competent" => AnnualGrade::BasicallyCompetent,
        "不称职" | "不合格" | "incompetent" => AnnualGrade::Incompetent,
        "不定等次" | "ungraded" => AnnualGrade::Ungraded,
        _ => return None,
    })
}

/// The stable code of an annual grade (as stored for imported years).
pub fn grade_code(grade: AnnualGrade) -> &'static str {
    match grade {
        AnnualGrade::Excellent => "excellent",
        AnnualGrade::Competent => "competent",
        AnnualGrade::BasicallyCompetent => "basically_competent",
        AnnualGrade::Incompetent => "incompetent",
        AnnualGrade::Ungraded => "ungraded",
    }
}

/// A column of the grade import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Username,
    Year,
    Grade,
}

impl Column {
    pub const ALL: [Column; 3] = [Column::Username, Column::Year, Column::Grade];

    pub fn hint_key(self) -> &'static str {
        match self {
            Column::Username => "grade-import-column-username",
            Column::Year => "grade-import-column-year",
            Column::Grade => "grade-import-column-grade",
        }
    }
}

impl ImportColumn for Column {
    fn header(self) -> &'static str {
        match self {
            Column::Username => "username",
            Column::Year => "year",
            Column::Grade => "grade",
        }
    }

    fn chinese_header(self) -> &'static str {
        match self {
            Column::Username => "用户名",
            Column::Year => "年度",
            Column::Grade => "等次",
        }
    }

    fn required(self) -> bool {
        true
    }
}

/// What is wrong with an import row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowError {
    UnknownUser,
    BadYear,
    /// The year is not before the earliest year the system may decide.
    YearNotEarlier,
    BadGrade,
    /// The system decided this year for the person: an import never overwrites it.
    DecidedYear,
    /// The same person and year twice in the file.
    Repeated,
}

impl RowError {
    pub fn label_key(self) -> &'static str {
        match self {
            RowError::UnknownUser => "grade-import-error-unknown-user",
            RowError::BadYear => "grade-import-error-bad-year",
            RowError::YearNotEarlier => "grade-import-error-year-not-earlier",
            RowError::BadGrade => "grade-import-error-bad-grade",
            RowError::DecidedYear => "grade-import-error-decided-year",
            RowError::Repeated => "grade-import-error-repeated",
        }
    }
}

/// One row of a grade import, as stored between preview and commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeImportRow {
    pub line: u32,
    pub username: String,
    pub year: String,
    pub grade: String,
    #[serde(default)]
    pub errors: Vec<RowError>,
    /// Set by [`check_rows`] on a row without problems: (person, year, grade,
    /// whether it replaces an imported year); worked out again at commit.
    #[serde(skip)]
    pub action: Option<(i64, i32, AnnualGrade, bool)>,
}

impl GradeImportRow {
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    pub fn replaces(&self) -> bool {
        self.action.is_some_and(|a| a.3)
    }
}

/// The rows of an uploaded table.
pub fn read_rows(table: &Table) -> Result<Vec<GradeImportRow>, FileError> {
    Ok(spreadsheet::records(table, &Column::ALL)?
        .into_iter()
        .map(|mut r| GradeImportRow {
            line: r.line,
            username: r.take(Column::Username),
            year: r.take(Column::Year),
            grade: r.take(Column::Grade),
            errors: Vec::new(),
            action: None,
        })
        .collect())
}

/// What the rows are checked against.
#[derive(Debug, Clone, Default)]
pub struct ImportFacts {
    /// Person id by username.
    pub people: HashMap<String, i64>,
    /// (person, year) with a result the system decided.
    pub decided: HashSet<(i64, i32)>,
    /// (person, year) already imported.
    pub imported: HashSet<(i64, i32)>,
    /// Imported years must be before this one (the current year).
    pub before_year: i32,
}

/// Checks every row; every problem of a row is recorded at once.
pub fn check_rows(rows: Vec<GradeImportRow>, facts: &ImportFacts) -> Vec<GradeImportRow> {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for r in &rows {
        *seen.entry((r.username.trim().to_string(), r.year.trim().to_string())).or_default() += 1;
    }
    rows.into_iter()
        .map(|mut row| {
            let mut errors = Vec::new();
            let person = spreadsheet::keep(
                &mut errors,
                facts.people.get(row.username.trim()).copied().ok_or(RowError::UnknownUser),
            );
            let year = spreadsheet::keep(
                &mut errors,
                match row.year.trim().trim_end_matches('年').parse::<i32>() {
                    Ok(y) if !(1990..=2100).contains(&y) => Err(RowError::BadYear),
                    Ok(y) if y >= facts.before_year => Err(RowError::YearNotEarlier),
                    Ok(y) => Ok(y),
                    Err(_) => Err(RowError::BadYear),
                },
            );
            let grade = spreadsheet::keep(&mut errors, parse_grade(&row.grade).ok_or(RowError::BadGrade));
            if let (Some(p), Some(y)) = (person, year)
                && facts.decided.contains(&(p, y))
            {
                errors.push(RowError::DecidedYear);
            }
            if seen.get(&(row.username.trim().to_string(), row.year.trim().to_string())).copied().unwrap_or(0) > 1 {
                errors.push(RowError::Repeated);
            }
            row.action = match (person, year, grade, errors.is_empty()) {
                (Some(p), Some(y), Some(g), true) => Some((p, y, g, facts.imported.contains(&(p, y)))),
                _ => None,
            };
            row.errors = errors;
            row
        })
        .collect()
}

/// A point of the trend chart: a year and a score.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoint {
    pub year: i32,
    pub x: f64,
    pub y: f64,
    pub label: String,
}

/// The trend chart's geometry, drawn on the server as SVG (docs/DOMAIN.md §19.7).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub width: u32,
    pub height: u32,
    pub points: Vec<ChartPoint>,
    /// The polyline's `points` attribute.
    pub line: String,
    /// Horizontal guides: (y, label).
    pub guides: Vec<(f64, String)>,
}

/// Lays out scores by year: x spreads the years, y maps `low..=high` (the
/// scores' range widened to whole tens, within 0..=110) to the height.
pub fn chart(scores: &[(i32, f64)]) -> Option<Chart> {
    if scores.is_empty() {
        return None;
    }
    let (width, height, pad) = (320.0_f64, 160.0_f64, 28.0_f64);
    let min = scores.iter().map(|s| s.1).fold(f64::INFINITY, f64::min);
    let max = scores.iter().map(|s| s.1).fold(f64::NEG_INFINITY, f64::max);
    let low = ((min / 10.0).floor() * 10.0).clamp(0.0, 100.0);
    let high = ((max / 10.0).ceil() * 10.0).max(low + 10.0).min(110.0);
    let y_of = |v: f64| height - pad - (v - low) / (high - low) * (height - 2.0 * pad);
    let n = scores.len();
    let x_of = |i: usize| if n == 1 { width / 2.0 } else { pad + i as f64 * (width - 2.0 * pad) / (n - 1) as f64 };
    let points: Vec<ChartPoint> = scores
        .iter()
        .enumerate()
        .map(|(i, (year, v))| ChartPoint {
            year: *year,
            x: (x_of(i) * 10.0).round() / 10.0,
            y: (y_of(*v) * 10.0).round() / 10.0,
            label: format!("{v:.2}").trim_end_matches('0').trim_end_matches('.').to_string(),
        })
        .collect();
    let line = points.iter().map(|p| format!("{},{}", p.x, p.y)).collect::<Vec<_>>().join(" ");
    let guides =
        [low, (low + high) / 2.0, high].iter().map(|v| ((y_of(*v) * 10.0).round() / 10.0, format!("{v}"))).collect();
    Some(Chart { width: width as u32, height: height as u32, points, line, guides })
}

/// Who decides the proposals and imports earlier grades: the performance
/// office (docs/DOMAIN.md §19.6).
pub fn require_office(grants: &Grants) -> Result<(), Denied> {
    allow(grants.has(Role::PerformanceOffice))
}

/// Whose history and counters the user reads (docs/DOMAIN.md §19.7): `None`
/// for everyone's (the performance office, the assessment committee), else
/// the departments they head (their own record is always theirs to read).
pub fn history_scope(grants: &Grants) -> Option<Vec<i64>> {
    if grants.has_any(&[Role::PerformanceOffice, Role::AssessmentCommittee]) {
        None
    } else {
        Some(grants.departments_for(Role::DepartmentHead))
    }
}

/// Refuses unless the user reads the history of `person_id` of `department`.
pub fn require_read_history(
    user_id: i64,
    grants: &Grants,
    person_id: i64,
    department: Option<i64>,
) -> Result<(), Denied> {
    let in_scope = match history_scope(grants) {
        None => true,
        Some(heads) => department.is_some_and(|d| heads.contains(&d)),
    };
    allow(user_id == person_id || in_scope)
}

/// The departments whose trends the user reads (`None`: all); refused for
/// someone who reads none.
pub fn require_trends_reader(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    match history_scope(grants) {
        None => Ok(None),
        Some(heads) if !heads.is_empty() => Ok(Some(heads)),
        Some(_) => Err(Denied),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AnnualGrade::*;
    use ProposalKind::*;

    fn rules() -> Rules {
        Rules::from_settings(&Settings::default())
    }

    fn history(grades: &[(i32, AnnualGrade)]) -> Vec<GradeYear> {
        grades.iter().map(|&(year, grade)| GradeYear { year, grade, source: GradeSource::Decided }).collect()
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_defaults_are_the_law() {
        let r = rules();
        assert_eq!(
            (r.merit_excellent_years, r.salary_step_years, r.level_years, r.dismissal_incompetent_years),
            (3, 2, 5, 2)
        );
    }

    #[test]
    fn three_excellent_years_in_a_row_make_a_merit_citation_and_restart_the_run() {
        let c = counters(
            &history(&[(2021, Competent), (2022, Excellent), (2023, Excellent), (2024, Excellent), (2025, Excellent)]),
            CounterDates::default(),
            rules(),
        );
        let runs: Vec<u32> = c.rows.iter().map(|r| r.excellent_run).collect();
        assert_eq!(runs, vec![0, 1, 2, 3, 1]);
        assert_eq!(c.rows[3].due.first(), Some(&Merit), "the third 优秀 is cited instead of commended");
        assert!(!c.rows[3].due.contains(&Commendation));
        assert_eq!(c.rows[4].due.first(), Some(&Commendation));
        assert_eq!(c.due().iter().filter(|d| d.1 == Merit).count(), 1);
    }

    #[test]
    fn a_competent_year_breaks_the_excellent_run() {
        let c = counters(
            &history(&[(2021, Excellent), (2022, Excellent), (2023, Competent), (2024, Excellent), (2025, Excellent)]),
            CounterDates::default(),
            rules(),
        );
        assert!(!c.due().iter().any(|d| d.1 == Merit));
        assert_eq!(c.rows[4].excellent_run, 2);
    }

    #[test]
    fn two_counted_years_with_a_basically_competent_between_make_a_step() {
        // 2021 称职 (1), 2022 基本称职 (not counted, 诫勉), 2023 称职 (2 → step), 2024 称职 (1), 2025 称职 (2 → step).
        let c = counters(
            &history(&[
                (2021, Competent),
                (2022, BasicallyCompetent),
                (2023, Competent),
                (2024, Competent),
                (2025, Competent),
            ]),
            CounterDates::default(),
            rules(),
        );
        let steps: Vec<Option<u32>> = c.rows.iter().map(|r| r.step_count).collect();
        assert_eq!(steps, vec![Some(1), Some(1), Some(2), Some(1), Some(2)]);
        assert!(!c.rows[1].counted);
        assert_eq!(c.rows[1].due, vec![Admonition]);
        assert_eq!(c.due(), vec![(2022, Admonition), (2023, SalaryStep), (2025, SalaryStep)]);
        let levels: Vec<Option<u32>> = c.rows.iter().map(|r| r.level_count).collect();
        assert_eq!(levels, vec![Some(1), Some(1), Some(2), Some(3), Some(4)], "four counted years: no level yet");
    }

    #[test]
    fn five_counted_years_make_a_level() {
        let c = counters(
            &history(&[(2021, Competent), (2022, Excellent), (2023, Competent), (2024, Competent), (2025, Competent)]),
            CounterDates::default(),
            rules(),
        );
        assert!(c.rows[4].due.contains(&Level));
        assert_eq!(c.rows[4].level_count, Some(5));
    }

    #[test]
    fn two_incompetent_years_in_a_row_flag_dismissal_proceedings() {
        let c = counters(
            &history(&[
                (2021, Competent),
                (2022, Incompetent),
                (2023, Competent),
                (2024, Incompetent),
                (2025, Incompetent),
            ]),
            CounterDates::default(),
            rules(),
        );
        let runs: Vec<u32> = c.rows.iter().map(|r| r.incompetent_run).collect();
        assert_eq!(runs, vec![0, 1, 0, 1, 2]);
        assert_eq!(c.due(), vec![(2022, Demotion), (2023, SalaryStep), (2024, Demotion), (2025, Dismissal)]);
    }

    #[test]
    fn the_step_counts_only_from_the_current_steps_date() {
        // The step was raised on 1 January 2024: 2021–2023 no longer count toward it.
        let dates = CounterDates { step_since: Some(day("2024-01-01")), level_since: Some(day("2022-07-01")) };
        let c = counters(
            &history(&[(2021, Competent), (2022, Competent), (2023, Competent), (2024, Excellent), (2025, Competent)]),
            dates,
            rules(),
        );
        let steps: Vec<Option<u32>> = c.rows.iter().map(|r| r.step_count).collect();
        assert_eq!(steps, vec![None, None, None, Some(1), Some(2)]);
        // A level date in the middle of 2022: counting starts with 2023.
        let levels: Vec<Option<u32>> = c.rows.iter().map(|r| r.level_count).collect();
        assert_eq!(levels, vec![None, None, Some(1), Some(2), Some(3)]);
        assert_eq!(c.due(), vec![(2024, Commendation), (2025, SalaryStep)]);
    }

    #[test]
    fn an_ungraded_year_neither_counts_nor_breaks_a_run_but_a_missing_year_does() {
        let c = counters(
            &history(&[(2021, Excellent), (2022, Ungraded), (2023, Excellent), (2024, Excellent)]),
            CounterDates::default(),
            rules(),
        );
        assert_eq!(c.rows[1].excellent_run, 1);
        assert!(!c.rows[1].counted && c.rows[1].due.is_empty());
        assert!(c.rows[3].due.contains(&Merit));
        let gap = counters(
            &history(&[(2021, Excellent), (2023, Excellent), (2024, Excellent)]),
            CounterDates::default(),
            rules(),
        );
        assert!(!gap.due().iter().any(|d| d.1 == Merit));
    }

    #[test]
    fn a_decided_year_wins_over_an_imported_one() {
        let years = vec![
            GradeYear { year: 2025, grade: Incompetent, source: GradeSource::Imported },
            GradeYear { year: 2025, grade: Excellent, source: GradeSource::Decided },
            GradeYear { year: 2025, grade: Competent, source: GradeSource::Imported },
        ];
        let c = counters(&years, CounterDates::default(), rules());
        assert_eq!(c.rows.len(), 1);
        assert_eq!((c.rows[0].grade, c.rows[0].source), (Excellent, GradeSource::Decided));
    }

    #[test]
    fn sync_adds_withdraws_reopens_and_flags() {
        let e = |id, year, kind, status, basis_changed| Existing { id, year, kind, status, basis_changed };
        let existing = [
            e(1, 2025, Commendation, ProposalStatus::Proposed, false),
            e(2, 2024, Commendation, ProposalStatus::Confirmed, false),
            e(3, 2023, Commendation, ProposalStatus::Withdrawn, false),
            e(4, 2022, Commendation, ProposalStatus::Confirmed, true),
            e(5, 2021, Commendation, ProposalStatus::Rejected, false),
        ];
        let due = [(2025, Merit), (2023, Commendation), (2022, Commendation)];
        let s = sync(&due, &existing);
        assert_eq!(s.add, vec![(2025, Merit)]);
        assert_eq!(s.withdraw, vec![1]);
        assert_eq!(s.reopen, vec![3]);
        assert_eq!(s.flag, vec![(2, true), (4, false)]);
        assert_eq!(sync(&due, &[]).add.len(), 3);
    }

    #[test]
    fn nobody_decides_about_themselves() {
        assert!(may_decide(1, 2, ProposalStatus::Proposed));
        assert!(!may_decide(2, 2, ProposalStatus::Proposed));
        assert!(!may_decide(1, 2, ProposalStatus::Confirmed));
    }

    #[test]
    fn import_rows_are_checked_each_with_every_problem() {
        let row = |line, username: &str, year: &str, grade: &str| GradeImportRow {
            line,
            username: username.into(),
            year: year.into(),
            grade: grade.into(),
            errors: vec![],
            action: None,
        };
        let facts = ImportFacts {
            people: HashMap::from([("staff".to_string(), 7), ("head".to_string(), 8)]),
            decided: HashSet::from([(8, 2024)]),
            imported: HashSet::from([(7, 2022)]),
            before_year: 2026,
        };
        let rows = check_rows(
            vec![
                row(2, "staff", "2022", "优秀"),
                row(3, "staff", "2023年", "合格"),
                row(4, "nobody", "20x", "很好"),
                row(5, "head", "2024", "称职"),
                row(6, "head", "2026", "称职"),
                row(7, "staff", "2021", "称职"),
                row(8, "staff", "2021", "称职"),
            ],
            &facts,
        );
        assert_eq!(rows[0].action, Some((7, 2022, Excellent, true)));
        assert!(rows[0].replaces());
        assert_eq!(rows[1].action, Some((7, 2023, Competent, false)));
        assert_eq!(rows[2].errors, vec![RowError::UnknownUser, RowError::BadYear, RowError::BadGrade]);
        assert_eq!(rows[3].errors, vec![RowError::DecidedYear]);
        assert_eq!(rows[4].errors, vec![RowError::YearNotEarlier]);
        assert_eq!(rows[5].errors, vec![RowError::Repeated]);
        assert!(rows[6].action.is_none());
    }

    #[test]
    fn the_sample_files_read_alike() {
        let csv =
            read_rows(&spreadsheet::parse(include_bytes!("../../docs/grade-history-sample.csv")).unwrap()).unwrap();
        let xlsx =
            read_rows(&spreadsheet::parse(include_bytes!("../../docs/grade-history-sample.xlsx")).unwrap()).unwrap();
        let values = |rows: &[GradeImportRow]| -> Vec<(String, String, String)> {
            rows.iter().map(|r| (r.username.clone(), r.year.clone(), r.grade.clone())).collect()
        };
        assert_eq!(values(&csv), values(&xlsx));
        assert_eq!(csv.len(), 4);
        assert!(csv.iter().all(|r| parse_grade(&r.grade).is_some()));
    }

    #[test]
    fn grades_read_in_either_set_of_names() {
        assert_eq!(parse_grade("基本合格"), Some(BasicallyCompetent));
        assert_eq!(parse_grade(" 不称职 "), Some(Incompetent));
        assert_eq!(parse_grade("不定等次"), Some(Ungraded));
        assert_eq!(parse_grade("good"), None);
        for g in AnnualGrade::ALL {
            assert_eq!(parse_grade(grade_code(g)), Some(g));
        }
    }

    #[test]
    fn the_chart_spreads_years_and_maps_scores() {
        assert!(chart(&[]).is_none());
        let c = chart(&[(2024, 85.0), (2025, 92.5)]).unwrap();
        assert_eq!(c.points.len(), 2);
        assert!(c.points[0].x < c.points[1].x);
        assert!(c.points[1].y < c.points[0].y, "a higher score is drawn higher");
        assert_eq!(c.points[1].label, "92.5");
        assert_eq!(c.guides.first().map(|g| g.1.as_str()), Some("80"));
        let one = chart(&[(2025, 90.0)]).unwrap();
        assert_eq!(one.points[0].x, 160.0);
    }

    #[test]
    fn the_office_the_committee_and_the_head_read_others_histories() {
        use crate::domain::roles::RoleGrant;
        let g = |role, department| Grants(vec![RoleGrant { role, department_id: department }]);
        assert!(require_read_history(5, &g(Role::Staff, None), 5, Some(1)).is_ok());
        assert!(require_read_history(5, &g(Role::Staff, None), 6, Some(1)).is_err());
        assert!(require_read_history(5, &g(Role::DepartmentHead, Some(1)), 6, Some(1)).is_ok());
        assert!(require_read_history(5, &g(Role::DepartmentHead, Some(2)), 6, Some(1)).is_err());
        assert!(require_read_history(5, &g(Role::PerformanceOffice, None), 6, None).is_ok());
        assert!(require_read_history(5, &g(Role::AssessmentCommittee, None), 6, None).is_ok());
        assert_eq!(require_trends_reader(&g(Role::DepartmentHead, Some(2))), Ok(Some(vec![2])));
        assert!(require_trends_reader(&g(Role::Staff, None)).is_err());
        assert!(require_office(&g(Role::AssessmentCommittee, None)).is_err());
    }

    #[test]
    fn every_kind_and_status_has_a_label_key() {
        assert_eq!(Merit.label_key(), "result-use-kind-merit");
        assert_eq!(ProposalStatus::Withdrawn.label_key(), "result-use-status-withdrawn");
        assert_eq!(Decision::parse("reject").map(Decision::status), Some(ProposalStatus::Rejected));
    }
}

//! What a person's assessment score is computed from (docs/DOMAIN.md §17.13):
//! the ballots cast for them, their target completion from verified progress,
//! their ledger points and their supervision items' punctuality in the
//! cycle's period, gathered for the pure scoring of `domain::assessment`.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::db::ballots::ParticipantRow;
use crate::db::boards::BoardCycle;
use crate::db::cycles::{self, CycleRow};
use crate::db::decisions::{self, NewResult};
use crate::db::{
    absences, assessment_schemes, ballots, boards, calendar, committee, discipline, ledger, settings, supervision,
};
use crate::domain::absences::YearAway;
use crate::domain::assessment::raters::{level_code, parse_kind};
use crate::domain::assessment::{
    Allocation, AnnualBreakdown, AnnualEntry, AnnualGrade, AnnualInputs, AutoInputs, Ballot, DecidedGrade,
    DisciplineRecord, GateInputs, GateOutcome, GroupBallots, Level, LevelValues, Member, Probation, QuarterEntry,
    QuarterGrade, QuarterInputs, QuarterResult, QuotaRule, Scheme, ScoreBreakdown, TargetGroup, UnitKind,
    allocate_annual, allocate_quarter, allocation_units, annual_score, apply_gates, quarterly_score,
};
use crate::domain::discipline::{IntegrityLevel, Measure, integrity_level};
use crate::domain::monitor::LeaveKind;
use crate::domain::plan::{CycleKind, CycleStage};
use crate::error::AppResult;
use crate::workflow::boards::{BoardTarget, cycle_targets, weighted};

/// The inputs of one participant's score, and where the target completion
/// came from (the cycle whose targets count, and how many targets).
#[derive(Debug, Clone)]
pub struct PersonInputs {
    pub inputs: QuarterInputs,
    /// The cycle whose targets count: a quarterly cycle's annual cycle, else itself.
    pub targets_cycle: i64,
    pub targets: usize,
}

/// The ballots cast for the person, by rater group (stored levels that no
/// longer parse are left out).
pub(crate) fn group_ballots(stored: Vec<(String, serde_json::Value)>) -> Vec<GroupBallots> {
    let mut groups: Vec<GroupBallots> = Vec::new();
    for (code, levels) in stored {
        let Some(kind) = parse_kind(&code) else { continue };
        let levels: BTreeMap<String, Level> = levels
            .as_object()
            .map(|map| {
                map.iter()
                    .filter_map(|(key, value)| {
                        let level = Level::ALL.into_iter().find(|l| value.as_str() == Some(level_code(*l)))?;
                        Some((key.clone(), level))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let ballot = Ballot { levels };
        match groups.iter_mut().find(|g| g.kind == kind) {
            Some(group) => group.ballots.push(ballot),
            None => groups.push(GroupBallots { kind, ballots: vec![ballot] }),
        }
    }
    groups
}

/// Gathers each participant's score inputs for `cycle` as they stand
/// `today`: the ballots cast for them, the weighted completion of their
/// approved targets from the latest verified reports (§6.7) of the cycle's
/// annual cycle (a quarterly cycle's, else its own), and their accepted ledger
/// points within the cycle's period. `people` are (person, department) pairs;
/// each department's targets are read once.
pub async fn inputs_for(
    conn: &mut PgConnection,
    cycle: &CycleRow,
    people: &[(i64, Option<i64>)],
    levels: &LevelValues,
    today: NaiveDate,
) -> AppResult<HashMap<i64, PersonInputs>> {
    let targets_cycle = cycle.annual_cycle_id.unwrap_or(cycle.id);
    let board_cycle =
        boards::cycles(conn, today, Some(targets_cycle)).await?.into_iter().find(|c| c.id == targets_cycle);
    let mut department_targets = HashMap::new();
    if let Some(board_cycle) = &board_cycle {
        let mut departments: Vec<i64> = people.iter().filter_map(|(_, d)| *d).collect();
        departments.sort_unstable();
        departments.dedup();
        for department in departments {
            let (targets, _, _) = cycle_targets(conn, board_cycle, Some(&[department]), today).await?;
            department_targets.insert(department, targets);
        }
    }
    let ids: Vec<i64> = people.iter().map(|(p, _)| *p).collect();
    let mut measures: HashMap<i64, Vec<Measure>> = HashMap::new();
    for (person, record) in discipline::records_during(conn, &ids, cycle.period_start, cycle.period_end).await? {
        measures.entry(person).or_default().push(record.measure);
    }
    let supervision: HashMap<i64, (i64, i64)> =
        supervision::on_time_counts(conn, &ids, cycle.period_start, cycle.period_end)
            .await?
            .into_iter()
            .map(|(person, due, on_time)| (person, (due, on_time)))
            .collect();
    let mut all = HashMap::new();
    for (person_id, department) in people {
        let groups = group_ballots(ballots::ballots_for(conn, cycle.id, *person_id).await?);
        let (mut auto, targets) = auto_inputs(department.and_then(|d| department_targets.get(&d)), *person_id);
        auto.integrity = Some(integrity(levels, measures.get(person_id).map_or(&[][..], Vec::as_slice)));
        let (due, on_time) = supervision.get(person_id).copied().unwrap_or_default();
        auto.supervision = Some(AutoInputs::supervision_percent(due, on_time));
        let (bonus, penalties) = ledger::person_points(conn, *person_id, cycle.period_start, cycle.period_end).await?;
        let inputs = QuarterInputs { groups, auto, bonus, penalties };
        all.insert(*person_id, PersonInputs { inputs, targets_cycle, targets });
    }
    Ok(all)
}

/// The 廉 source, out of 100: the scheme's value of the level the discipline
/// records in force give (`discipline::integrity_level`).
fn integrity(levels: &LevelValues, measures: &[Measure]) -> Decimal {
    levels.value(match integrity_level(measures) {
        IntegrityLevel::Excellent => Level::Excellent,
        IntegrityLevel::Fair => Level::Fair,
        IntegrityLevel::Poor => Level::Poor,
    })
}

/// The automatic sources from a department's targets: the person's weighted
/// completion and the department's (every staff target of it), and how many
/// targets are the person's.
fn auto_inputs(department_targets: Option<&Vec<BoardTarget>>, person_id: i64) -> (AutoInputs, usize) {
    let all: Vec<&BoardTarget> = department_targets.map(|ts| ts.iter().collect()).unwrap_or_default();
    let own: Vec<&BoardTarget> = all.iter().copied().filter(|t| t.row.owner_id == person_id).collect();
    let auto = AutoInputs {
        target_completion: weighted(&own),
        department_target_completion: weighted(&all),
        ..AutoInputs::default()
    };
    (auto, own.len())
}

/// A person's inputs under a cycle before any ballot is cast, for a scheme's
/// preview: their and their department's target completion and their ledger
/// points of the cycle's period.
pub async fn preview_inputs(
    conn: &mut PgConnection,
    cycle: &BoardCycle,
    person_id: i64,
    department: Option<i64>,
    levels: &LevelValues,
    today: NaiveDate,
) -> AppResult<QuarterInputs> {
    let targets = match department {
        Some(d) => Some(cycle_targets(conn, cycle, Some(&[d]), today).await?.0),
        None => None,
    };
    let (mut auto, _) = auto_inputs(targets.as_ref(), person_id);
    let in_force = discipline::records_during(conn, &[person_id], cycle.period_start, cycle.period_end).await?;
    let measures: Vec<Measure> = in_force.into_iter().map(|(_, r)| r.measure).collect();
    auto.integrity = Some(integrity(levels, &measures));
    let counts = supervision::on_time_counts(conn, &[person_id], cycle.period_start, cycle.period_end).await?;
    let (due, on_time) = counts.first().map_or((0, 0), |(_, due, on_time)| (*due, *on_time));
    auto.supervision = Some(AutoInputs::supervision_percent(due, on_time));
    let (bonus, penalties) = ledger::person_points(conn, person_id, cycle.period_start, cycle.period_end).await?;
    Ok(QuarterInputs { groups: Vec::new(), auto, bonus, penalties })
}

/// One participant's annual assessment as computed (docs/DOMAIN.md §17.14).
#[derive(Debug, Clone)]
pub struct AnnualLine {
    pub person_id: i64,
    pub score: Option<AnnualBreakdown>,
    pub gates: GateOutcome,
    /// The person's grade in each quarter of the year assessed so far.
    pub quarter_grades: Vec<QuarterGrade>,
    /// Those quarters, each with its cycle and the person's score there.
    pub quarters: Vec<AnnualQuarter>,
}

/// A quarter as an annual score takes it: the quarterly cycle, the person's
/// rounded score there and their grade after that quarter's quota.
#[derive(Debug, Clone)]
pub struct AnnualQuarter {
    pub cycle_id: i64,
    pub cycle_name: String,
    pub total: Decimal,
    pub grade: QuarterGrade,
}

/// A cycle's schemes: (staff, department heads), as stored (docs/DOMAIN.md §17.10).
pub async fn cycle_schemes(conn: &mut PgConnection, cycle_id: i64, year: i32) -> AppResult<(Scheme, Scheme)> {
    let staff = assessment_schemes::for_cycle(conn, cycle_id, year, TargetGroup::Staff).await?;
    let heads = assessment_schemes::for_cycle(conn, cycle_id, year, TargetGroup::DepartmentHeads).await?;
    Ok((staff, heads))
}

/// One person on a ranking: what was worked out for them (`value`) and where
/// the allocation placed them; people without a score are unranked.
#[derive(Debug, Clone)]
pub struct Ranked<T, G> {
    pub person: ParticipantRow,
    pub value: T,
    /// The rank in the unit (`usize::MAX` when unranked).
    pub rank: usize,
    pub band: Option<G>,
    pub grade: Option<G>,
    pub over_quota: bool,
}

/// One allocation unit of a ranking (§17.8), with its quota.
#[derive(Debug, Clone)]
pub struct Unit<T, G> {
    pub kind: UnitKind,
    /// The department's name; a pool's department names joined; none for
    /// the leaders' category or people of no department.
    pub name: Option<String>,
    pub lines: Vec<Ranked<T, G>>,
    pub base: usize,
    pub quota: usize,
    pub used: usize,
    pub tie_at_cut: bool,
}

/// A quarterly ranking's line: the person's score, when it can be computed.
pub type QuarterLine = Ranked<Option<ScoreBreakdown>, QuarterGrade>;
/// An annual ranking's line: the person's annual score and gates.
pub type AnnualRow = Ranked<AnnualLine, AnnualGrade>;

/// Participants with what was worked out for each, grouped into the
/// allocation units of `rule` (the participants come ordered by department).
fn into_units<T>(
    items: impl IntoIterator<Item = (ParticipantRow, T)>,
    rule: &QuotaRule,
) -> Vec<(UnitKind, Vec<(ParticipantRow, T)>)> {
    let mut by_person: HashMap<i64, (ParticipantRow, T)> = HashMap::new();
    let mut members = Vec::new();
    for (person, value) in items {
        members.push(Member {
            person_id: person.person_id,
            department_id: person.department_id,
            leader: person.heads_department || person.rank_tier.is_some_and(|t| t.is_leading()),
        });
        by_person.insert(person.person_id, (person, value));
    }
    allocation_units(&members, rule)
        .into_iter()
        .map(|unit| (unit.kind, unit.people.iter().filter_map(|id| by_person.remove(id)).collect()))
        .collect()
}

/// A unit's people placed as the allocation says, in rank order; people the
/// allocation did not rank are listed last.
fn place<T, G: Copy>(kind: UnitKind, lines: Vec<(ParticipantRow, T)>, allocation: Allocation<G>) -> Unit<T, G> {
    let mut names: Vec<String> = Vec::new();
    for name in lines.iter().filter_map(|(p, _)| p.department_name.clone()) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let name = (kind != UnitKind::Leaders && !names.is_empty()).then(|| names.join(" · "));
    let mut ranked: Vec<Ranked<T, G>> = lines
        .into_iter()
        .map(|(person, value)| {
            let placement = allocation.placements.iter().find(|p| p.person_id == person.person_id);
            Ranked {
                rank: placement.map(|p| p.rank).unwrap_or(usize::MAX),
                band: placement.map(|p| p.band),
                grade: placement.map(|p| p.grade),
                over_quota: placement.is_some_and(|p| p.over_quota),
                person,
                value,
            }
        })
        .collect();
    ranked.sort_by_key(|l| l.rank);
    let (base, quota, used, tie_at_cut) = (allocation.base, allocation.quota, allocation.used, allocation.tie_at_cut);
    Unit { kind, name, lines: ranked, base, quota, used, tie_at_cut }
}

/// The units as a reader limited to `departments` sees them: only their
/// departments' people, units left empty dropped. The ranking itself is
/// always of every participant, so a pooled unit's quota stays the pool's.
pub fn seen_by<T, G>(units: Vec<Unit<T, G>>, departments: Option<&[i64]>) -> Vec<Unit<T, G>> {
    let Some(departments) = departments else { return units };
    units
        .into_iter()
        .filter_map(|mut unit| {
            unit.lines.retain(|l| l.person.department_id.is_some_and(|d| departments.contains(&d)));
            (!unit.lines.is_empty()).then_some(unit)
        })
        .collect()
}

/// A quarterly cycle's ranking (§17.13): each participant scored under the
/// cycle's scheme of their group, each allocation unit of the staff scheme's
/// 好 quota rule ranked with that quota (§17.8).
pub async fn quarter_ranking(
    conn: &mut PgConnection,
    cycle: &CycleRow,
    participants: Vec<ParticipantRow>,
    today: NaiveDate,
) -> AppResult<Vec<Unit<Option<ScoreBreakdown>, QuarterGrade>>> {
    let (staff, heads) = cycle_schemes(conn, cycle.id, cycle.period_start.year()).await?;
    let people: Vec<(i64, Option<i64>)> = participants.iter().map(|p| (p.person_id, p.department_id)).collect();
    let mut inputs = inputs_for(conn, cycle, &people, &staff.levels, today).await?;
    let scored = participants.into_iter().map(|person| {
        let scheme = if person.heads_department { &heads } else { &staff };
        let score = inputs.remove(&person.person_id).and_then(|i| quarterly_score(scheme, &i.inputs).ok());
        (person, score)
    });
    Ok(into_units(scored, &staff.quarter_quota)
        .into_iter()
        .map(|(kind, lines)| {
            let scheme = if kind == UnitKind::Leaders { &heads } else { &staff };
            let entries: Vec<QuarterEntry> = lines
                .iter()
                .filter_map(|(p, s)| {
                    s.as_ref().map(|s| QuarterEntry {
                        person_id: p.person_id,
                        score: s.total,
                        tie_breaks: s.tie_break_values(&scheme.tie_breaks),
                    })
                })
                .collect();
            let allocation = allocate_quarter(scheme, &entries);
            place(kind, lines, allocation)
        })
        .collect())
}

/// An annual cycle's ranking (§17.14): the people of each allocation unit of
/// the staff scheme's 优秀 quota rule by annual score, the unit's quota (the
/// heads' scheme's for the leaders' category; the approved rate when the
/// committee recorded the approval) applied after the gates and the
/// committee's hard vetoes (§17.17).
pub async fn annual_ranking(
    conn: &mut PgConnection,
    cycle: &CycleRow,
    participants: Vec<ParticipantRow>,
    today: NaiveDate,
) -> AppResult<Vec<Unit<AnnualLine, AnnualGrade>>> {
    let lines = annual_lines(conn, cycle, &participants, today).await?;
    let (staff, heads) = cycle_schemes(conn, cycle.id, cycle.period_start.year()).await?;
    let approved = committee::quota_approval(conn, cycle.id).await?.is_some();
    let vetoed: Vec<i64> = committee::hard_vetoes(conn, cycle.id).await?.into_iter().map(|v| v.person_id).collect();
    let mut by_person: HashMap<i64, AnnualLine> = lines.into_iter().map(|line| (line.person_id, line)).collect();
    let lined = participants.into_iter().filter_map(|p| by_person.remove(&p.person_id).map(|line| (p, line)));
    Ok(into_units(lined, &staff.annual_quota)
        .into_iter()
        .map(|(kind, rows)| {
            let scheme = if kind == UnitKind::Leaders { &heads } else { &staff };
            let entries: Vec<AnnualEntry> = rows
                .iter()
                .filter_map(|(p, line)| {
                    line.score.as_ref().map(|s| AnnualEntry {
                        person_id: p.person_id,
                        score: s.total,
                        tie_breaks: s.tie_break_values(&scheme.tie_breaks),
                        gates: line.gates.clone(),
                        hard_veto: vetoed.contains(&p.person_id),
                    })
                })
                .collect();
            let allocation = allocate_annual(scheme, &entries, approved);
            place(kind, rows, allocation)
        })
        .collect())
}

/// The allocation unit of one participant of an annual cycle, ranked as
/// `annual_ranking` ranks every participant: the entry of a person's annual
/// breakdown (docs/DOMAIN.md §17.14). `None` when the person does not take part.
pub async fn annual_unit_of(
    conn: &mut PgConnection,
    cycle: &CycleRow,
    participants: Vec<ParticipantRow>,
    person_id: i64,
    today: NaiveDate,
) -> AppResult<Option<Unit<AnnualLine, AnnualGrade>>> {
    if !participants.iter().any(|p| p.person_id == person_id) {
        return Ok(None);
    }
    let units = annual_ranking(conn, cycle, participants, today).await?;
    Ok(units.into_iter().find(|u| u.lines.iter().any(|l| l.person.person_id == person_id)))
}

/// The quarterly result and grade (after the quota) of each participant of a
/// quarter, its own participants ranked; once the quarter is decided, its
/// frozen scores and grades (§17.15), the dimensions (for tie-breaks) as computed.
async fn quarter_results(
    conn: &mut PgConnection,
    quarter: &CycleRow,
    today: NaiveDate,
) -> AppResult<HashMap<i64, (QuarterResult, QuarterGrade)>> {
    let participants = ballots::participants(conn, quarter.id, None).await?;
    let units = quarter_ranking(conn, quarter, participants, today).await?;
    let mut results: HashMap<i64, (QuarterResult, QuarterGrade)> = units
        .into_iter()
        .flat_map(|u| u.lines)
        .filter_map(|l| Some((l.person.person_id, (l.value?.quarter_result(), l.grade?))))
        .collect();
    if decisions::find(conn, quarter.id).await?.is_some() {
        let frozen: HashMap<i64, (Option<Decimal>, DecidedGrade)> = decisions::results(conn, quarter.id, None)
            .await?
            .into_iter()
            .map(|r| (r.person_id, (r.score, r.grade)))
            .collect();
        results.retain(|person, (result, grade)| match frozen.get(person) {
            Some((Some(score), DecidedGrade::Quarter(decided))) => {
                result.total = *score;
                *grade = *decided;
                true
            }
            _ => false,
        });
    }
    Ok(results)
}

/// Each participant's annual score and gates for an annual cycle, as they
/// stand `today` (the decision day the gates read): the quarters of its year
/// that have reached assessment, the year-end ballots cast in the annual
/// cycle itself, discipline inspection's records, probation and the year's
/// leave, with the year's leave share setting.
async fn annual_lines(
    conn: &mut PgConnection,
    cycle: &CycleRow,
    participants: &[ParticipantRow],
    today: NaiveDate,
) -> AppResult<Vec<AnnualLine>> {
    let year = cycle.period_start.year();
    let mut quarters = Vec::new();
    for quarter in cycles::quarters_of(conn, cycle.id).await? {
        if let Some(row) = cycles::find(conn, quarter.id).await?
            && matches!(row.stage, CycleStage::Assessment | CycleStage::Feedback | CycleStage::Closed)
        {
            let results = quarter_results(conn, &row, today).await?;
            quarters.push((row.id, row.name, results));
        }
    }
    let (staff, heads) = cycle_schemes(conn, cycle.id, year).await?;
    let ids: Vec<i64> = participants.iter().map(|p| p.person_id).collect();
    let mut records: HashMap<i64, Vec<DisciplineRecord>> = HashMap::new();
    for (person, record) in
        discipline::records_during(conn, &ids, cycle.period_start, today.max(cycle.period_end)).await?
    {
        records.entry(person).or_default().push(record);
    }
    let everyone = absences::ListScope { all: true, departments: Vec::new(), person_id: 0 };
    let mut leave: HashMap<i64, YearAway> = HashMap::new();
    for day in absences::year_days(conn, &everyone, year).await? {
        leave.entry(day.person_id).or_default().add(day.kind, day.leave_kind, day.days);
    }
    let leave_share = u32::try_from(settings::for_year(conn, year).await?.leave_no_grade_percent).unwrap_or(50);
    let mut lines = Vec::new();
    for p in participants {
        let scheme = if p.heads_department { &heads } else { &staff };
        let mine: Vec<(i64, &String, &(QuarterResult, QuarterGrade))> =
            quarters.iter().filter_map(|(id, name, q)| Some((*id, name, q.get(&p.person_id)?))).collect();
        let groups = group_ballots(ballots::ballots_for(conn, cycle.id, p.person_id).await?);
        let inputs = AnnualInputs { quarters: mine.iter().map(|(_, _, (r, _))| r.clone()).collect(), groups };
        let away = leave.remove(&p.person_id).unwrap_or_default();
        let gate_inputs = GateInputs {
            year,
            as_of: today,
            discipline: records.remove(&p.person_id).unwrap_or_default(),
            probation: p.probation_from.zip(p.probation_to).map(|(start, end)| Probation { start, end }),
            sick_leave_days: days(away.leave_of(LeaveKind::Sick)),
            personal_leave_days: days(away.leave_of(LeaveKind::Personal)),
            other_leave_days: days(
                LeaveKind::ALL.iter().map(|k| away.leave_of(*k)).sum::<i64>() - away.sick_and_personal(),
            ),
            leave_share_percent: leave_share,
            quarter_grades: mine.iter().map(|(_, _, (_, g))| *g).collect(),
        };
        lines.push(AnnualLine {
            person_id: p.person_id,
            score: annual_score(scheme, &inputs).ok(),
            gates: apply_gates(&gate_inputs),
            quarter_grades: gate_inputs.quarter_grades,
            quarters: mine
                .iter()
                .map(|(id, name, (r, g))| AnnualQuarter {
                    cycle_id: *id,
                    cycle_name: name.to_string(),
                    total: r.total,
                    grade: *g,
                })
                .collect(),
        });
    }
    Ok(lines)
}

fn days(value: i64) -> u32 {
    u32::try_from(value.max(0)).unwrap_or(u32::MAX)
}

/// The grade each participant of a cycle gets today, as the ranking shows it
/// (after gates and quota), with their score: what the committee's decision
/// freezes (docs/DOMAIN.md §17.15). People without a score get none.
pub async fn computed_results(
    conn: &mut PgConnection,
    cycle: &CycleRow,
    today: NaiveDate,
) -> AppResult<Vec<NewResult>> {
    let participants = ballots::participants(conn, cycle.id, None).await?;
    let result = |person: &ParticipantRow, score: Option<Decimal>, grade: DecidedGrade| NewResult {
        person_id: person.person_id,
        department_id: person.department_id,
        score,
        computed: grade,
        grade,
    };
    if cycle.kind == CycleKind::Annual {
        let units = annual_ranking(conn, cycle, participants, today).await?;
        return Ok(units
            .into_iter()
            .flat_map(|u| u.lines)
            .filter_map(|r| {
                let grade = DecidedGrade::Annual(r.grade?);
                Some(result(&r.person, r.value.score.as_ref().map(|s| s.total), grade))
            })
            .collect());
    }
    let units = quarter_ranking(conn, cycle, participants, today).await?;
    Ok(units
        .into_iter()
        .flat_map(|u| u.lines)
        .filter_map(|l| Some(result(&l.person, l.value.as_ref().map(|s| s.total), DecidedGrade::Quarter(l.grade?))))
        .collect())
}

/// Decides `cycle` (in the assessment stage) as of `today`: every
/// participant's computed grade, or the committee's calibration of it,
/// frozen with the score, and publicity opened for the staff scheme's work
/// days (docs/DOMAIN.md §17.15). The results and the publicity's last day;
/// `None` when the cycle was decided already.
pub async fn decide(
    conn: &mut PgConnection,
    cycle: &CycleRow,
    by: i64,
    at: DateTime<Utc>,
    today: NaiveDate,
) -> AppResult<Option<(usize, NaiveDate)>> {
    let mut results = computed_results(conn, cycle, today).await?;
    for calibration in decisions::calibrations(conn, cycle.id).await? {
        if let Some(result) = results.iter_mut().find(|r| r.person_id == calibration.person_id) {
            result.grade = calibration.grade;
        }
    }
    let (staff, _) = cycle_schemes(conn, cycle.id, cycle.period_start.year()).await?;
    let calendar = calendar::load(conn, today, today + Duration::days(60)).await?;
    let until = calendar.add_workdays(today, i64::from(staff.publicity_work_days));
    let decided = decisions::decide(conn, cycle.id, by, at, (today, until), &results).await?;
    Ok(decided.then_some((results.len(), until)))
}

//! What a person's assessment score is computed from (docs/DOMAIN.md §17.13):
//! the ballots cast for them, their target completion from verified progress,
//! and their ledger points of the cycle's period, gathered for the pure
//! scoring of `domain::assessment`.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::db::boards::BoardCycle;
use crate::db::cycles::CycleRow;
use crate::db::{ballots, boards, discipline, ledger};
use crate::domain::assessment::raters::{level_code, parse_kind};
use crate::domain::assessment::{AutoInputs, Ballot, GroupBallots, Level, LevelValues, QuarterInputs};
use crate::domain::discipline::{IntegrityLevel, Measure, integrity_level};
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
fn group_ballots(stored: Vec<(String, serde_json::Value)>) -> Vec<GroupBallots> {
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
    for (person, measure) in discipline::measures_during(conn, &ids, cycle.period_start, cycle.period_end).await? {
        measures.entry(person).or_default().push(measure);
    }
    let mut all = HashMap::new();
    for (person_id, department) in people {
        let groups = group_ballots(ballots::ballots_for(conn, cycle.id, *person_id).await?);
        let (mut auto, targets) = auto_inputs(department.and_then(|d| department_targets.get(&d)), *person_id);
        auto.integrity = Some(integrity(levels, measures.get(person_id).map_or(&[][..], Vec::as_slice)));
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
    let in_force = discipline::measures_during(conn, &[person_id], cycle.period_start, cycle.period_end).await?;
    let measures: Vec<Measure> = in_force.into_iter().map(|(_, m)| m).collect();
    auto.integrity = Some(integrity(levels, &measures));
    let (bonus, penalties) = ledger::person_points(conn, person_id, cycle.period_start, cycle.period_end).await?;
    Ok(QuarterInputs { groups: Vec::new(), auto, bonus, penalties })
}

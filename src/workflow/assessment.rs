//! What a person's assessment score is computed from (docs/DOMAIN.md §17.13):
//! the ballots cast for them, their target completion from verified progress,
//! and their ledger points of the cycle's period, gathered for the pure
//! scoring of `domain::assessment`.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::db::cycles::CycleRow;
use crate::db::{ballots, boards, ledger};
use crate::domain::assessment::raters::{level_code, parse_kind};
use crate::domain::assessment::{AutoInputs, Ballot, GroupBallots, Level, QuarterInputs};
use crate::error::AppResult;
use crate::workflow::boards::{cycle_targets, weighted};

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
    let mut all = HashMap::new();
    for (person_id, department) in people {
        let groups = group_ballots(ballots::ballots_for(conn, cycle.id, *person_id).await?);
        let own: Vec<_> = department
            .and_then(|d| department_targets.get(&d))
            .map(|ts| ts.iter().filter(|t| t.row.owner_id == *person_id).collect())
            .unwrap_or_default();
        let (bonus, penalties) = ledger::person_points(conn, *person_id, cycle.period_start, cycle.period_end).await?;
        let auto = AutoInputs { target_completion: weighted(&own), ..AutoInputs::default() };
        let inputs = QuarterInputs { groups, auto, bonus, penalties };
        all.insert(*person_id, PersonInputs { inputs, targets_cycle, targets: own.len() });
    }
    Ok(all)
}

//! Who rates whom in a cycle (docs/DOMAIN.md §17.12), generated from the
//! organisation, and the checks of a ballot before it is stored.

use std::collections::BTreeMap;

use super::scheme::{Level, RaterKind, Scheme};

/// A participant of the cycle as the rater rules see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub person_id: i64,
    /// The department they take part for.
    pub department_id: Option<i64>,
    /// Whether they head that department (rated as a head: 述职).
    pub heads_department: bool,
    /// The department they left during the period when it held them for more
    /// than half of it (docs/DOMAIN.md §2.7): its head rates them too.
    pub former_department_id: Option<i64>,
}

/// The office's raters outside the participants' departments.
#[derive(Debug, Clone, Default)]
pub struct Raters {
    /// (head, department) pairs.
    pub heads: Vec<(i64, i64)>,
    /// (supervising leader, department) pairs.
    pub leaders: Vec<(i64, i64)>,
    /// The principal leaders (主要领导).
    pub principal: Vec<i64>,
}

/// One rating to give: `rater` rates `ratee` in the group `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Task {
    pub rater: i64,
    pub ratee: i64,
    pub kind: RaterKind,
    /// The ratee is rated as a department head, under the heads' scheme.
    pub ratee_is_head: bool,
}

/// Every task of a cycle: staff are rated by their department's head, their
/// colleagues (democratic) and the department's supervising leaders; a head by
/// the supervising leaders, the principal leaders and the department's other
/// participants (democratic). A person transferred during the period whose
/// former department held them for more than half of it is rated in the head
/// group by the former department's head as well (征求原单位意见, §2.7).
/// Only the groups of the person's scheme (staff or heads) are generated;
/// nobody rates themself.
pub fn tasks(participants: &[Participant], raters: &Raters, staff: &Scheme, heads: &Scheme) -> Vec<Task> {
    let mut tasks = Vec::new();
    for ratee in participants {
        let Some(department) = ratee.department_id else { continue };
        let scheme = if ratee.heads_department { heads } else { staff };
        for group in &scheme.rater_groups {
            let raters: Vec<i64> = match group.kind {
                RaterKind::Head => raters
                    .heads
                    .iter()
                    .filter(|(_, d)| *d == department || Some(*d) == ratee.former_department_id)
                    .map(|(p, _)| *p)
                    .collect(),
                RaterKind::SupervisingLeader => {
                    raters.leaders.iter().filter(|(_, d)| *d == department).map(|(p, _)| *p).collect()
                }
                RaterKind::PrincipalLeader => raters.principal.clone(),
                RaterKind::Democratic => {
                    participants.iter().filter(|p| p.department_id == Some(department)).map(|p| p.person_id).collect()
                }
            };
            for rater in raters.into_iter().filter(|r| *r != ratee.person_id) {
                tasks.push(Task {
                    rater,
                    ratee: ratee.person_id,
                    kind: group.kind,
                    ratee_is_head: ratee.heads_department,
                });
            }
        }
    }
    tasks.sort();
    tasks.dedup();
    tasks
}

/// Why a ballot is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BallotProblem {
    /// A ballot criterion without a level (its key).
    Missing(String),
}

/// Checks a ballot against the scheme's ballot criteria: one level for each,
/// nothing else kept. The levels as typed (criterion key → level code).
pub fn check_ballot(
    scheme: &Scheme,
    typed: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, Level>, Vec<BallotProblem>> {
    let mut levels = BTreeMap::new();
    let mut problems = Vec::new();
    for criterion in scheme.ballot_criteria() {
        let level = typed.get(&criterion.key).and_then(|code| Level::ALL.into_iter().find(|l| level_code(*l) == code));
        match level {
            Some(level) => {
                levels.insert(criterion.key.clone(), level);
            }
            None => problems.push(BallotProblem::Missing(criterion.key.clone())),
        }
    }
    if problems.is_empty() { Ok(levels) } else { Err(problems) }
}

/// The code a level is submitted and stored as.
pub fn level_code(level: Level) -> &'static str {
    match level {
        Level::Excellent => "excellent",
        Level::Good => "good",
        Level::Fair => "fair",
        Level::Poor => "poor",
    }
}

/// The code a rater group is stored as.
pub fn kind_code(kind: RaterKind) -> &'static str {
    match kind {
        RaterKind::Head => "head",
        RaterKind::Democratic => "democratic",
        RaterKind::SupervisingLeader => "supervising_leader",
        RaterKind::PrincipalLeader => "principal_leader",
    }
}

pub fn parse_kind(code: &str) -> Option<RaterKind> {
    RaterKind::ALL.into_iter().find(|k| kind_code(*k) == code)
}

/// Whether ballots of the group are anonymous (stored without their rater).
pub fn is_anonymous(kind: RaterKind) -> bool {
    kind == RaterKind::Democratic
}

#[cfg(test)]
mod tests {
    use super::*;

    fn participant(person_id: i64, department: i64, heads_department: bool) -> Participant {
        Participant { person_id, department_id: Some(department), heads_department, former_department_id: None }
    }

    #[test]
    fn staff_are_rated_by_their_head_colleagues_and_leader_and_heads_by_leaders_and_their_department() {
        // Department 1: head 10, staff 11 and 12. Leader 50 oversees it; 60 is the principal leader.
        let participants = [participant(10, 1, true), participant(11, 1, false), participant(12, 1, false)];
        let raters = Raters { heads: vec![(10, 1)], leaders: vec![(50, 1)], principal: vec![60] };
        let tasks = tasks(&participants, &raters, &Scheme::default_staff(2026), &Scheme::default_heads(2026));
        let of = |ratee: i64| -> Vec<(i64, RaterKind)> {
            tasks.iter().filter(|t| t.ratee == ratee).map(|t| (t.rater, t.kind)).collect()
        };
        assert_eq!(
            of(11),
            vec![
                (10, RaterKind::Head),
                (10, RaterKind::Democratic),
                (12, RaterKind::Democratic),
                (50, RaterKind::SupervisingLeader)
            ]
        );
        // The head is not rated by themself as head; their department rates them democratically.
        assert_eq!(
            of(10),
            vec![
                (11, RaterKind::Democratic),
                (12, RaterKind::Democratic),
                (50, RaterKind::SupervisingLeader),
                (60, RaterKind::PrincipalLeader)
            ]
        );
        assert!(tasks.iter().all(|t| t.rater != t.ratee));
    }

    #[test]
    fn a_participant_without_a_department_has_no_raters_and_the_principal_rates_only_heads() {
        let participants =
            [Participant { person_id: 5, department_id: None, heads_department: false, former_department_id: None }];
        let raters = Raters { principal: vec![60], ..Raters::default() };
        assert!(tasks(&participants, &raters, &Scheme::default_staff(2026), &Scheme::default_heads(2026)).is_empty());
        let participants = [participant(11, 1, false)];
        let tasks = tasks(&participants, &raters, &Scheme::default_staff(2026), &Scheme::default_heads(2026));
        assert!(tasks.iter().all(|t| t.kind != RaterKind::PrincipalLeader));
    }

    #[test]
    fn the_former_head_also_rates_a_person_who_spent_more_than_half_the_period_in_their_department() {
        // 11 moved from department 2 (head 20) to department 1 (head 10).
        let raters = Raters { heads: vec![(10, 1), (20, 2)], leaders: vec![(50, 1), (51, 2)], principal: vec![60] };
        let (staff, heads) = (Scheme::default_staff(2026), Scheme::default_heads(2026));
        let head_raters = |former: Option<i64>| -> Vec<i64> {
            let moved = Participant { former_department_id: former, ..participant(11, 1, false) };
            let participants = [participant(10, 1, true), moved, participant(20, 2, true)];
            tasks(&participants, &raters, &staff, &heads)
                .iter()
                .filter(|t| t.ratee == 11 && t.kind == RaterKind::Head)
                .map(|t| t.rater)
                .collect()
        };
        // More than half the period in department 2: both heads rate in the head group.
        assert_eq!(head_raters(Some(2)), vec![10, 20]);
        // Otherwise only the head of the department at the end.
        assert_eq!(head_raters(None), vec![10]);
        // Only the head group gains a rater: the former leader and colleagues do not rate.
        let moved = Participant { former_department_id: Some(2), ..participant(11, 1, false) };
        let all = tasks(&[moved, participant(20, 2, true)], &raters, &staff, &heads);
        assert!(!all.iter().any(|t| t.ratee == 11 && t.rater == 51));
        assert!(!all.iter().any(|t| t.ratee == 11 && t.rater == 20 && t.kind != RaterKind::Head));
    }

    #[test]
    fn a_ballot_needs_a_level_for_every_ballot_criterion_and_keeps_nothing_else() {
        let scheme = Scheme::default_staff(2026);
        let mut typed: BTreeMap<String, String> =
            scheme.ballot_criteria().map(|c| (c.key.clone(), "good".to_string())).collect();
        typed.insert("not_a_criterion".into(), "excellent".into());
        let levels = check_ballot(&scheme, &typed).unwrap();
        assert_eq!(levels.len(), scheme.ballot_criteria().count());
        assert!(levels.values().all(|l| *l == Level::Good));
        let first = scheme.ballot_criteria().next().unwrap().key.clone();
        typed.insert(first.clone(), "splendid".into());
        assert_eq!(check_ballot(&scheme, &typed), Err(vec![BallotProblem::Missing(first)]));
        for kind in RaterKind::ALL {
            assert_eq!(parse_kind(kind_code(kind)), Some(kind));
        }
        assert!(is_anonymous(RaterKind::Democratic) && !is_anonymous(RaterKind::Head));
    }
}

//! Paper ballots of a democratic evaluation meeting (民主测评, docs/DOMAIN.md
//! §17.12): the performance office enters, for each person of a department,
//! how many paper ballots gave each level, and which raters attended on
//! paper. The checks here decide whether such a batch may be stored.

use std::collections::{BTreeMap, BTreeSet};

use super::raters::level_code;
use super::scheme::Level;

/// A person rated at the meeting, with the raters whose democratic task for
/// them is not done yet (only they may still vote, on paper or online).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperRatee {
    pub person_id: i64,
    pub pending_raters: Vec<i64>,
}

/// A batch that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperBatch {
    /// The raters who attended on paper: their tasks turn done.
    pub attendees: Vec<i64>,
    /// (person rated, level, number of ballots), counts above zero only.
    pub counts: Vec<(i64, Level, u32)>,
}

impl PaperBatch {
    /// How many paper ballots the batch holds.
    pub fn ballots(&self) -> u64 {
        self.counts.iter().map(|(_, _, n)| u64::from(*n)).sum()
    }
}

/// Why a batch is refused.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum PaperProblem {
    /// Nobody was marked as attending.
    NoAttendee,
    /// An attendee who is not one of the choices offered.
    UnknownAttendee,
    /// A count for a person who is not one of the choices offered (or an unknown level).
    UnknownRatee,
    /// A count that is not a whole number of zero or more (the person).
    BadCount(i64),
    /// More ballots for the person than attendees who had a task for them.
    OverAttendees(i64),
    /// Every count is zero.
    NoBallots,
}

impl PaperProblem {
    /// The locale key of the problem's message.
    pub fn label_key(&self) -> &'static str {
        match self {
            PaperProblem::NoAttendee => "paper-error-no-attendee",
            PaperProblem::UnknownAttendee | PaperProblem::UnknownRatee => "error-not-offered",
            PaperProblem::BadCount(_) => "paper-error-count",
            PaperProblem::OverAttendees(_) => "paper-error-over-attendees",
            PaperProblem::NoBallots => "paper-error-no-ballots",
        }
    }
}

/// The form field of a count: `count-<person>-<level>`.
pub fn count_field(ratee: i64, level: Level) -> String {
    format!("count-{ratee}-{}", level_code(level))
}

/// The form field of an attendee's checkbox: `attend-<person>`.
pub fn attend_field(rater: i64) -> String {
    format!("attend-{rater}")
}

/// Checks a batch as typed (field → value) against the people and raters
/// offered: counts are whole numbers of zero or more (empty is zero), at least
/// one rater attended, every id is one offered, and no person gets more
/// ballots than the attendees who had a task for them.
pub fn check_paper_batch(
    ratees: &[PaperRatee],
    typed: &BTreeMap<String, String>,
) -> Result<PaperBatch, Vec<PaperProblem>> {
    let offered_raters: BTreeSet<i64> = ratees.iter().flat_map(|r| r.pending_raters.iter().copied()).collect();
    let mut problems = BTreeSet::new();
    let mut attendees = BTreeSet::new();
    for (field, _) in typed.iter().filter(|(f, _)| f.starts_with("attend-")) {
        match field["attend-".len()..].parse::<i64>() {
            Ok(id) if offered_raters.contains(&id) => {
                attendees.insert(id);
            }
            _ => {
                problems.insert(PaperProblem::UnknownAttendee);
            }
        }
    }
    for field in typed.keys().filter(|f| f.starts_with("count-")) {
        let known = ratees.iter().any(|r| Level::ALL.iter().any(|l| count_field(r.person_id, *l) == *field));
        if !known {
            problems.insert(PaperProblem::UnknownRatee);
        }
    }
    if attendees.is_empty() && !problems.contains(&PaperProblem::UnknownAttendee) {
        problems.insert(PaperProblem::NoAttendee);
    }
    let mut counts = Vec::new();
    for ratee in ratees {
        let mut total: u64 = 0;
        for level in Level::ALL {
            let value = typed.get(&count_field(ratee.person_id, level)).map(|v| v.trim()).unwrap_or("");
            let count = if value.is_empty() { Ok(0) } else { value.parse::<u32>() };
            match count {
                Ok(0) => {}
                Ok(n) => {
                    total += u64::from(n);
                    counts.push((ratee.person_id, level, n));
                }
                Err(_) => {
                    problems.insert(PaperProblem::BadCount(ratee.person_id));
                }
            }
        }
        let present = ratee.pending_raters.iter().filter(|r| attendees.contains(r)).count() as u64;
        if total > present && !problems.contains(&PaperProblem::BadCount(ratee.person_id)) {
            problems.insert(PaperProblem::OverAttendees(ratee.person_id));
        }
    }
    if counts.is_empty() && !problems.iter().any(|p| matches!(p, PaperProblem::BadCount(_))) {
        problems.insert(PaperProblem::NoBallots);
    }
    if problems.is_empty() {
        Ok(PaperBatch { attendees: attendees.into_iter().collect(), counts })
    } else {
        Err(problems.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Persons 11 and 12; 10, 12 and 13 may still rate 11, 10 and 11 may still rate 12.
    fn meeting() -> Vec<PaperRatee> {
        vec![
            PaperRatee { person_id: 11, pending_raters: vec![10, 12, 13] },
            PaperRatee { person_id: 12, pending_raters: vec![10, 11] },
        ]
    }

    fn typed(fields: &[(&str, &str)]) -> BTreeMap<String, String> {
        fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_batch_within_the_attendees_keeps_its_counts_and_attendees() {
        let batch = check_paper_batch(
            &meeting(),
            &typed(&[
                ("attend-10", "on"),
                ("attend-12", "on"),
                ("count-11-excellent", "1"),
                ("count-11-good", "1"),
                ("count-12-fair", " 1 "),
                ("count-12-poor", ""),
                ("department_id", "3"),
            ]),
        )
        .unwrap();
        assert_eq!(batch.attendees, vec![10, 12]);
        assert_eq!(batch.counts, vec![(11, Level::Excellent, 1), (11, Level::Good, 1), (12, Level::Fair, 1)]);
        assert_eq!(batch.ballots(), 3);
    }

    #[test]
    fn a_person_may_not_get_more_ballots_than_attendees_who_had_a_task_for_them() {
        // 12 attended but has no task for themself: one ballot at most for 12.
        let problems =
            check_paper_batch(&meeting(), &typed(&[("attend-10", "on"), ("attend-12", "on"), ("count-12-good", "2")]))
                .unwrap_err();
        assert_eq!(problems, vec![PaperProblem::OverAttendees(12)]);
    }

    #[test]
    fn negative_or_broken_counts_are_refused() {
        for bad in ["-1", "1.5", "x"] {
            let problems =
                check_paper_batch(&meeting(), &typed(&[("attend-10", "on"), ("count-11-good", bad)])).unwrap_err();
            assert_eq!(problems, vec![PaperProblem::BadCount(11)], "{bad}");
        }
    }

    #[test]
    fn a_batch_needs_an_attendee_and_a_ballot() {
        let problems = check_paper_batch(&meeting(), &typed(&[("count-11-good", "1")])).unwrap_err();
        assert_eq!(problems, vec![PaperProblem::NoAttendee, PaperProblem::OverAttendees(11)]);
        let problems = check_paper_batch(&meeting(), &typed(&[("attend-10", "on")])).unwrap_err();
        assert_eq!(problems, vec![PaperProblem::NoBallots]);
    }

    #[test]
    fn ids_that_were_not_offered_are_refused() {
        let problems =
            check_paper_batch(&meeting(), &typed(&[("attend-99", "on"), ("count-11-good", "1")])).unwrap_err();
        assert!(problems.contains(&PaperProblem::UnknownAttendee), "{problems:?}");
        let problems =
            check_paper_batch(&meeting(), &typed(&[("attend-10", "on"), ("count-99-good", "1")])).unwrap_err();
        assert!(problems.contains(&PaperProblem::UnknownRatee), "{problems:?}");
        let problems =
            check_paper_batch(&meeting(), &typed(&[("attend-10", "on"), ("count-11-best", "1")])).unwrap_err();
        assert!(problems.contains(&PaperProblem::UnknownRatee), "{problems:?}");
    }
}

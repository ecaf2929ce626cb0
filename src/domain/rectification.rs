//! Rectification (整改, docs/DOMAIN.md §19.5): where an item comes from, the
//! moves of its life, who raises, carries out, verifies and reads it, and
//! when it is overdue.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::roles::{Grants, Role};

code_enum!(
    /// What an item was raised from.
    SourceKind, "rectification_source", "rectification-source", {
        AssessmentResult => "assessment_result",
        DepartmentResult => "department_result",
        Survey => "survey",
        SupervisionItem => "supervision_item",
        PublicityObjection => "publicity_objection",
        SelfAssessment => "self_assessment",
    }
);

code_enum!(
    /// The life of an item (docs/DOMAIN.md §19.5).
    RectificationStatus, "rectification_status", "rectification-status", {
        Open => "open",
        InProgress => "in_progress",
        Submitted => "submitted",
        Closed => "closed",
        Reopened => "reopened",
    }
);

code_enum!(
    /// A step kept on an item's time line.
    StepKind, "rectification_step_kind", "rectification-step", {
        Raised => "raised",
        Edited => "edited",
        Progress => "progress",
        Submitted => "submitted",
        Returned => "returned",
        Closed => "closed",
        Reopened => "reopened",
        Carried => "carried",
    }
);

impl SourceKind {
    /// The kinds that come from assessment, which the assessment committee may raise.
    pub fn is_assessment(self) -> bool {
        matches!(self, SourceKind::AssessmentResult | SourceKind::DepartmentResult | SourceKind::PublicityObjection)
    }
}

impl RectificationStatus {
    /// Not yet closed (销号): open, in progress, submitted or reopened.
    pub fn is_open(self) -> bool {
        self != RectificationStatus::Closed
    }

    /// The owner's move: open, in progress or reopened (not waiting for verification).
    pub fn with_owner(self) -> bool {
        matches!(self, RectificationStatus::Open | RectificationStatus::InProgress | RectificationStatus::Reopened)
    }
}

/// The source row an item names, as the form encodes it in one value
/// (`kind:id` or `kind:id:id`; the self-assessment has no row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceRef {
    AssessmentResult { cycle_id: i64, person_id: i64 },
    DepartmentResult { decision_id: i64, department_id: i64 },
    Survey(i64),
    SupervisionItem(i64),
    PublicityObjection(i64),
    SelfAssessment,
}

impl SourceRef {
    pub fn kind(self) -> SourceKind {
        match self {
            SourceRef::AssessmentResult { .. } => SourceKind::AssessmentResult,
            SourceRef::DepartmentResult { .. } => SourceKind::DepartmentResult,
            SourceRef::Survey(_) => SourceKind::Survey,
            SourceRef::SupervisionItem(_) => SourceKind::SupervisionItem,
            SourceRef::PublicityObjection(_) => SourceKind::PublicityObjection,
            SourceRef::SelfAssessment => SourceKind::SelfAssessment,
        }
    }

    /// The value of the form's source option.
    pub fn encode(self) -> String {
        let kind = self.kind().code();
        match self {
            SourceRef::AssessmentResult { cycle_id: a, person_id: b }
            | SourceRef::DepartmentResult { decision_id: a, department_id: b } => format!("{kind}:{a}:{b}"),
            SourceRef::Survey(id) | SourceRef::SupervisionItem(id) | SourceRef::PublicityObjection(id) => {
                format!("{kind}:{id}")
            }
            SourceRef::SelfAssessment => kind.to_string(),
        }
    }

    /// Reads a form value; `None` for anything malformed.
    pub fn parse(text: &str) -> Option<SourceRef> {
        let mut parts = text.trim().split(':');
        let kind = SourceKind::parse(parts.next()?)?;
        let ids: Vec<i64> = parts.map(|p| p.parse().ok()).collect::<Option<_>>()?;
        match (kind, ids.as_slice()) {
            (SourceKind::AssessmentResult, [a, b]) => Some(SourceRef::AssessmentResult { cycle_id: *a, person_id: *b }),
            (SourceKind::DepartmentResult, [a, b]) => {
                Some(SourceRef::DepartmentResult { decision_id: *a, department_id: *b })
            }
            (SourceKind::Survey, [id]) => Some(SourceRef::Survey(*id)),
            (SourceKind::SupervisionItem, [id]) => Some(SourceRef::SupervisionItem(*id)),
            (SourceKind::PublicityObjection, [id]) => Some(SourceRef::PublicityObjection(*id)),
            (SourceKind::SelfAssessment, []) => Some(SourceRef::SelfAssessment),
            _ => None,
        }
    }
}

/// A step someone takes on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// A progress update: an open or reopened item is then in progress.
    Progress,
    /// The owner submits it for verification.
    Submit,
    /// Verification accepts it: closed (销号).
    Close,
    /// Verification returns it to the owner, with a note.
    Return,
    /// A closed item is reopened, with a reason.
    Reopen,
}

/// The status after `step` from `from`, or `None` when the step does not apply.
pub fn transition(from: RectificationStatus, step: Move) -> Option<RectificationStatus> {
    use RectificationStatus::*;
    match (from, step) {
        (Open | InProgress | Reopened, Move::Progress) => Some(InProgress),
        (Open | InProgress | Reopened, Move::Submit) => Some(Submitted),
        (Submitted, Move::Close) => Some(Closed),
        (Submitted, Move::Return) => Some(InProgress),
        (Closed, Move::Reopen) => Some(Reopened),
        _ => None,
    }
}

/// Overdue: not closed and past its due date, in calendar days — the day
/// after the due date is the first day overdue.
pub fn is_overdue(status: RectificationStatus, due_on: NaiveDate, today: NaiveDate) -> bool {
    status.is_open() && today > due_on
}

/// Calendar days past the due date (0 when not overdue).
pub fn days_overdue(status: RectificationStatus, due_on: NaiveDate, today: NaiveDate) -> i64 {
    if is_overdue(status, due_on, today) { (today - due_on).num_days() } else { 0 }
}

/// Closed on or before the due date (the office's dates).
pub fn closed_on_time(due_on: NaiveDate, closed_on: Option<NaiveDate>) -> bool {
    closed_on.is_some_and(|day| day <= due_on)
}

/// What the policies need to know about an item.
#[derive(Debug, Clone, Copy)]
pub struct ItemFacts {
    pub department_id: i64,
    pub owner_id: i64,
    pub raised_by: i64,
    pub source_kind: SourceKind,
}

/// Whether the grants read every item: the performance office, the
/// assessment committee and auditors.
pub fn reads_all(grants: &Grants) -> bool {
    grants.has_any(&[Role::PerformanceOffice, Role::AssessmentCommittee, Role::Auditor])
}

/// The departments whose items the person reads besides their own
/// department's: those they head or oversee.
pub fn reads_departments(grants: &Grants) -> Vec<i64> {
    let mut ids = grants.departments_for(Role::DepartmentHead);
    ids.extend(grants.departments_for(Role::SupervisingLeader));
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Whether a person reads an item: office-wide readers, the heads and
/// leaders of its department, everyone of its department, its owner and
/// whoever raised it.
pub fn can_read(user_id: i64, department_id: Option<i64>, grants: &Grants, item: &ItemFacts) -> bool {
    reads_all(grants)
        || reads_departments(grants).contains(&item.department_id)
        || department_id == Some(item.department_id)
        || user_id == item.owner_id
        || user_id == item.raised_by
}

/// The owner departments a person may raise an item of `kind` for: `None`
/// for every department (the performance office; the committee for
/// assessment sources), else the departments they head (possibly none).
pub fn raises_for(grants: &Grants, kind: SourceKind) -> Option<Vec<i64>> {
    if grants.has(Role::PerformanceOffice) || (kind.is_assessment() && grants.has(Role::AssessmentCommittee)) {
        None
    } else {
        Some(grants.departments_for(Role::DepartmentHead))
    }
}

/// Whether a person may raise an item of `kind` for `department_id`.
pub fn can_raise(grants: &Grants, department_id: i64, kind: SourceKind) -> bool {
    raises_for(grants, kind).is_none_or(|ids| ids.contains(&department_id))
}

/// Whether a person raises items at all (has the raise button).
pub fn raises_any(grants: &Grants) -> bool {
    grants.has_any(&[Role::PerformanceOffice, Role::AssessmentCommittee])
        || !grants.departments_for(Role::DepartmentHead).is_empty()
}

/// Whether a person edits an item (title, problem, plan, due date, owner):
/// whoever may raise it for its department, while it is not closed.
pub fn can_edit(grants: &Grants, item: &ItemFacts, status: RectificationStatus) -> bool {
    status.is_open() && can_raise(grants, item.department_id, item.source_kind)
}

/// Whether a person verifies (closes or returns) and reopens an item: the
/// performance office or a head of its department — never its owner.
pub fn can_verify(user_id: i64, grants: &Grants, item: &ItemFacts) -> bool {
    user_id != item.owner_id
        && (grants.has(Role::PerformanceOffice)
            || grants.departments_for(Role::DepartmentHead).contains(&item.department_id))
}

/// Whether a person carries an item out (progress updates, submission): its owner.
pub fn carries_out(user_id: i64, item: &ItemFacts) -> bool {
    user_id == item.owner_id
}

/// The departments whose open items a person may carry into the next
/// cycle's targets: `None` for all (the performance office), else those they
/// head; `Some(empty)` for nobody.
pub fn carries_into_targets_for(grants: &Grants) -> Option<Vec<i64>> {
    if grants.has(Role::PerformanceOffice) { None } else { Some(grants.departments_for(Role::DepartmentHead)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roles::RoleGrant;

    fn grants(list: &[(Role, Option<i64>)]) -> Grants {
        Grants(list.iter().map(|&(role, department_id)| RoleGrant { role, department_id }).collect())
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    const ITEM: ItemFacts =
        ItemFacts { department_id: 1, owner_id: 7, raised_by: 3, source_kind: SourceKind::DepartmentResult };

    #[test]
    fn a_source_value_reads_back_as_written_and_nothing_else_parses() {
        for source in [
            SourceRef::AssessmentResult { cycle_id: 4, person_id: 9 },
            SourceRef::DepartmentResult { decision_id: 1, department_id: 2 },
            SourceRef::Survey(3),
            SourceRef::SupervisionItem(5),
            SourceRef::PublicityObjection(6),
            SourceRef::SelfAssessment,
        ] {
            assert_eq!(SourceRef::parse(&source.encode()), Some(source));
        }
        assert_eq!(SourceRef::parse("survey:1:2"), None);
        assert_eq!(SourceRef::parse("survey:x"), None);
        assert_eq!(SourceRef::parse("assessment_result:1"), None);
        assert_eq!(SourceRef::parse("self_assessment:1"), None);
        assert_eq!(SourceRef::parse(""), None);
    }

    #[test]
    fn an_item_is_worked_on_submitted_and_closed_or_returned_and_reopened_once_closed() {
        use RectificationStatus::*;
        assert_eq!(transition(Open, Move::Progress), Some(InProgress));
        assert_eq!(transition(Reopened, Move::Progress), Some(InProgress));
        assert_eq!(transition(Open, Move::Submit), Some(Submitted));
        assert_eq!(transition(Submitted, Move::Close), Some(Closed));
        assert_eq!(transition(Submitted, Move::Return), Some(InProgress));
        assert_eq!(transition(Closed, Move::Reopen), Some(Reopened));
        assert_eq!(transition(Submitted, Move::Progress), None);
        assert_eq!(transition(InProgress, Move::Close), None);
        assert_eq!(transition(Open, Move::Reopen), None);
        assert_eq!(transition(Closed, Move::Submit), None);
    }

    #[test]
    fn overdue_counts_calendar_days_from_the_day_after_the_due_date() {
        use RectificationStatus::*;
        assert!(!is_overdue(InProgress, d(11, 27), d(11, 27)));
        assert!(is_overdue(InProgress, d(11, 27), d(11, 28)));
        assert_eq!(days_overdue(Open, d(10, 31), d(11, 27)), 27);
        assert!(is_overdue(Submitted, d(10, 31), d(11, 27)));
        assert!(!is_overdue(Closed, d(10, 31), d(11, 27)));
        assert!(closed_on_time(d(5, 31), Some(d(5, 31))));
        assert!(!closed_on_time(d(5, 31), Some(d(6, 1))));
        assert!(!closed_on_time(d(5, 31), None));
    }

    #[test]
    fn the_office_raises_anywhere_heads_for_their_department_the_committee_from_assessment() {
        let office = grants(&[(Role::PerformanceOffice, None)]);
        let head = grants(&[(Role::DepartmentHead, Some(1))]);
        let committee = grants(&[(Role::AssessmentCommittee, None)]);
        assert!(can_raise(&office, 5, SourceKind::Survey));
        assert!(can_raise(&head, 1, SourceKind::Survey));
        assert!(!can_raise(&head, 2, SourceKind::Survey));
        assert!(can_raise(&committee, 2, SourceKind::AssessmentResult));
        assert!(!can_raise(&committee, 2, SourceKind::SupervisionItem));
        assert!(!can_raise(&grants(&[(Role::Staff, None)]), 1, SourceKind::Survey));
        assert!(raises_any(&head) && raises_any(&committee) && !raises_any(&grants(&[(Role::Auditor, None)])));
    }

    #[test]
    fn the_owner_never_verifies_and_heads_verify_their_department_only() {
        let head = grants(&[(Role::DepartmentHead, Some(1))]);
        let office = grants(&[(Role::PerformanceOffice, None)]);
        assert!(can_verify(9, &head, &ITEM));
        assert!(!can_verify(7, &head, &ITEM), "the owner heads the department but owns the item");
        assert!(can_verify(9, &office, &ITEM));
        assert!(!can_verify(7, &office, &ITEM));
        assert!(!can_verify(9, &grants(&[(Role::DepartmentHead, Some(2))]), &ITEM));
        assert!(!can_verify(9, &grants(&[(Role::AssessmentCommittee, None)]), &ITEM));
        assert!(carries_out(7, &ITEM) && !carries_out(9, &ITEM));
    }

    #[test]
    fn everyone_reads_the_items_of_their_department_and_the_office_reads_all() {
        let staff = grants(&[(Role::Staff, None)]);
        assert!(can_read(20, Some(1), &staff, &ITEM));
        assert!(!can_read(20, Some(2), &staff, &ITEM));
        assert!(can_read(7, Some(2), &staff, &ITEM), "the owner");
        assert!(can_read(20, None, &grants(&[(Role::Auditor, None)]), &ITEM));
        assert!(can_read(20, None, &grants(&[(Role::SupervisingLeader, Some(1))]), &ITEM));
        assert!(!can_read(20, None, &grants(&[(Role::SupervisingLeader, Some(2))]), &ITEM));
    }

    #[test]
    fn edits_stop_at_the_close_out_and_heads_carry_their_departments_only() {
        let head = grants(&[(Role::DepartmentHead, Some(1))]);
        assert!(can_edit(&head, &ITEM, RectificationStatus::InProgress));
        assert!(!can_edit(&head, &ITEM, RectificationStatus::Closed));
        assert_eq!(carries_into_targets_for(&head), Some(vec![1]));
        assert_eq!(carries_into_targets_for(&grants(&[(Role::PerformanceOffice, None)])), None);
    }
}

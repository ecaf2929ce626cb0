//! Who takes part in a supervision item (督办事项), and which steps the viewer
//! may take now. The workflow itself is `monitor::supervision_transition`.

use chrono::NaiveDate;

use super::monitor::{SupervisionActor, SupervisionStatus, periods, supervision_transition};
use super::plan::ReportFrequency;
use super::policy::{self, Permission};
use super::roles::{Grants, Role};

/// What the policies need to know about an item.
#[derive(Debug, Clone, Copy)]
pub struct ItemFacts<'a> {
    /// The lead department (牵头), which carries the item out.
    pub department_id: i64,
    pub assignee_id: Option<i64>,
    /// The B covering for an absent assignee (AB角), who acts on the assignee's side.
    pub covering_id: Option<i64>,
    /// The co-operating departments (协办): their heads and leaders read the item.
    pub co_department_ids: &'a [i64],
    /// The people slips of the item are charged to (a B who covered on a
    /// missed due date included): they read the item and answer those slips.
    pub charged_ids: &'a [i64],
}

/// The sides a person holds in an item; a person may hold both (a leader who
/// also heads the department), or neither.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sides {
    /// The supervision officer, or a leader overseeing the item's department.
    pub supervisor: bool,
    /// The assignee person, or the head of the assignee department.
    pub assignee: bool,
}

impl Sides {
    pub fn any(self) -> bool {
        self.supervisor || self.assignee
    }

    /// The side that takes the step `from → to`, or `None` when neither of the
    /// person's sides may take it now.
    pub fn actor_for(self, from: SupervisionStatus, to: SupervisionStatus) -> Option<SupervisionActor> {
        [(self.supervisor, SupervisionActor::Supervisor), (self.assignee, SupervisionActor::Assignee)]
            .into_iter()
            .filter(|(held, _)| *held)
            .map(|(_, actor)| actor)
            .find(|actor| supervision_transition(from, to, *actor).is_some())
    }

    /// The statuses the person may move an item in `from` to.
    pub fn next_steps(self, from: SupervisionStatus) -> Vec<SupervisionStatus> {
        SupervisionStatus::ALL.iter().copied().filter(|to| self.actor_for(from, *to).is_some()).collect()
    }
}

/// The sides `user_id` holds in an item.
pub fn sides(user_id: i64, grants: &Grants, item: &ItemFacts<'_>) -> Sides {
    let supervisor = policy::allows(grants, Permission::ManageSupervision)
        || grants.departments_for(Role::SupervisingLeader).contains(&item.department_id);
    let assignee = item.assignee_id == Some(user_id)
        || item.covering_id == Some(user_id)
        || grants.departments_for(Role::DepartmentHead).contains(&item.department_id);
    Sides { supervisor, assignee }
}

/// The office-wide roles that read every item (besides the supervision officer).
pub const OFFICE_READERS: [Role; 3] = [Role::AssessmentCommittee, Role::Auditor, Role::PerformanceOffice];

/// Whether the person reads every item, not only those of their departments.
pub fn reads_all(grants: &Grants) -> bool {
    policy::allows(grants, Permission::ManageSupervision) || grants.has_any(&OFFICE_READERS)
}

/// Whether the person heads, or oversees, one of the item's co-operating departments.
pub fn co_operates(grants: &Grants, item: &ItemFacts<'_>) -> bool {
    let mut departments = grants.departments_for(Role::DepartmentHead);
    departments.extend(grants.departments_for(Role::SupervisingLeader));
    item.co_department_ids.iter().any(|d| departments.contains(d))
}

/// Who reads an item: both sides, the office-wide readers, the heads and
/// leaders of its co-operating departments, and whoever a slip is charged to.
pub fn can_read(user_id: i64, grants: &Grants, item: &ItemFacts<'_>) -> bool {
    reads_all(grants)
        || sides(user_id, grants, item).any()
        || co_operates(grants, item)
        || item.charged_ids.contains(&user_id)
}

/// The departments a person may open items for: `None` for every department
/// (the supervision officer), else the departments a leader oversees.
pub fn opens_for(grants: &Grants) -> Option<Vec<i64>> {
    if policy::allows(grants, Permission::ManageSupervision) {
        None
    } else {
        Some(grants.departments_for(Role::SupervisingLeader))
    }
}

/// Whether the person may open items at all.
pub fn can_open(grants: &Grants) -> bool {
    opens_for(grants).is_none_or(|departments| !departments.is_empty())
}

/// Whether the person decides an extension request (延期申请) of the item
/// asked by `requested_by`: the supervisor side, never the requester
/// themself (four eyes), even when they hold both sides.
pub fn can_decide_extension(user_id: i64, grants: &Grants, item: &ItemFacts<'_>, requested_by: i64) -> bool {
    user_id != requested_by && sides(user_id, grants, item).supervisor
}

/// Whether the step is the rejection of a done report, which needs a reason.
pub fn is_rejection(from: SupervisionStatus, to: SupervisionStatus) -> bool {
    from == SupervisionStatus::DoneReported && to == SupervisionStatus::InProgress
}

/// Whether the periodic progress report (进展报告) of the last finished period
/// is missing: the item was registered on `registered_on`, reports every
/// `frequency` period (calendar months or quarters, docs/DOMAIN.md §8.6), and
/// its latest report was posted on `latest_report_on`. The period running
/// today is not due yet; an item that is verified or closed owes nothing.
pub fn periodic_report_missing(
    status: SupervisionStatus,
    frequency: ReportFrequency,
    registered_on: NaiveDate,
    latest_report_on: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    if matches!(status, SupervisionStatus::Verified | SupervisionStatus::Closed) {
        return false;
    }
    let periods = periods(registered_on, today, frequency);
    let Some(&(finished_start, _)) = periods.len().checked_sub(2).and_then(|i| periods.get(i)) else {
        return false;
    };
    latest_report_on.is_none_or(|posted| posted < finished_start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roles::RoleGrant;
    use SupervisionStatus::*;

    fn grants(list: &[(Role, Option<i64>)]) -> Grants {
        Grants(
            list.iter().map(|(role, department_id)| RoleGrant { role: *role, department_id: *department_id }).collect(),
        )
    }

    const ITEM: ItemFacts<'static> = ItemFacts {
        department_id: 1,
        assignee_id: Some(7),
        covering_id: None,
        co_department_ids: &[],
        charged_ids: &[],
    };

    #[test]
    fn the_officer_and_the_overseeing_leader_supervise() {
        assert!(sides(1, &grants(&[(Role::SupervisionOfficer, None)]), &ITEM).supervisor);
        assert!(sides(1, &grants(&[(Role::SupervisingLeader, Some(1))]), &ITEM).supervisor);
        assert!(!sides(1, &grants(&[(Role::SupervisingLeader, Some(2))]), &ITEM).any());
    }

    #[test]
    fn the_assignee_and_the_head_of_the_department_carry_it_out() {
        let staff = grants(&[(Role::Staff, None)]);
        assert_eq!(sides(7, &staff, &ITEM), Sides { supervisor: false, assignee: true });
        assert!(!sides(8, &staff, &ITEM).any());
        assert!(sides(9, &grants(&[(Role::DepartmentHead, Some(1))]), &ITEM).assignee);
        assert!(!sides(9, &grants(&[(Role::DepartmentHead, Some(2))]), &ITEM).any());
    }

    #[test]
    fn office_roles_read_without_taking_part() {
        for role in OFFICE_READERS {
            let g = grants(&[(role, None)]);
            assert!(can_read(1, &g, &ITEM));
            assert!(!sides(1, &g, &ITEM).any());
        }
        assert!(!can_read(8, &grants(&[(Role::Staff, None)]), &ITEM));
        assert!(!can_read(8, &grants(&[(Role::DisciplineInspection, None)]), &ITEM));
    }

    #[test]
    fn a_co_operating_department_reads_but_only_the_lead_carries_it_out() {
        let item = ItemFacts { co_department_ids: &[2], ..ITEM };
        let co_head = grants(&[(Role::DepartmentHead, Some(2))]);
        assert!(can_read(9, &co_head, &item));
        assert!(!sides(9, &co_head, &item).any());
        assert!(can_read(3, &grants(&[(Role::SupervisingLeader, Some(2))]), &item));
        assert!(!sides(3, &grants(&[(Role::SupervisingLeader, Some(2))]), &item).supervisor);
        assert!(!can_read(9, &grants(&[(Role::DepartmentHead, Some(3))]), &item));
        assert!(!can_read(8, &grants(&[(Role::Staff, None)]), &item));
    }

    #[test]
    fn the_person_a_slip_is_charged_to_reads_the_item() {
        let item = ItemFacts { charged_ids: &[8], ..ITEM };
        assert!(can_read(8, &Grants::default(), &item));
        assert!(!sides(8, &Grants::default(), &item).any());
    }

    #[test]
    fn each_side_sees_only_its_own_steps() {
        let supervisor = Sides { supervisor: true, assignee: false };
        let assignee = Sides { supervisor: false, assignee: true };
        assert_eq!(supervisor.next_steps(Registered), vec![Assigned]);
        assert!(assignee.next_steps(Registered).is_empty());
        assert_eq!(assignee.next_steps(Assigned), vec![Acknowledged]);
        assert_eq!(supervisor.next_steps(DoneReported), vec![InProgress, Verified]);
        assert!(supervisor.next_steps(Closed).is_empty());
        let both = Sides { supervisor: true, assignee: true };
        assert_eq!(both.actor_for(InProgress, DoneReported), Some(SupervisionActor::Assignee));
        assert_eq!(both.actor_for(Verified, Closed), Some(SupervisionActor::Supervisor));
    }

    #[test]
    fn leaders_open_items_only_for_the_departments_they_oversee() {
        assert_eq!(opens_for(&grants(&[(Role::SupervisionOfficer, None)])), None);
        assert_eq!(opens_for(&grants(&[(Role::SupervisingLeader, Some(3))])), Some(vec![3]));
        assert!(!can_open(&grants(&[(Role::DepartmentHead, Some(3))])));
        assert!(can_open(&grants(&[(Role::SupervisingLeader, Some(3))])));
    }

    #[test]
    fn an_extension_is_decided_by_the_supervisor_side_never_by_its_requester() {
        let officer = grants(&[(Role::SupervisionOfficer, None)]);
        assert!(can_decide_extension(1, &officer, &ITEM, 7));
        assert!(!can_decide_extension(7, &officer, &ITEM, 7), "never their own request");
        let both = grants(&[(Role::SupervisingLeader, Some(1)), (Role::DepartmentHead, Some(1))]);
        assert!(!can_decide_extension(9, &both, &ITEM, 9));
        assert!(can_decide_extension(9, &both, &ITEM, 7));
        assert!(!can_decide_extension(7, &grants(&[(Role::Staff, None)]), &ITEM, 8));
    }

    #[test]
    fn only_a_rejected_done_report_needs_a_reason() {
        assert!(is_rejection(DoneReported, InProgress));
        assert!(!is_rejection(Acknowledged, InProgress));
    }

    #[test]
    fn the_b_covering_an_absent_assignee_acts_on_the_assignee_side() {
        let covered = ItemFacts { covering_id: Some(8), ..ITEM };
        assert!(sides(8, &Grants::default(), &covered).assignee);
        assert!(!sides(8, &Grants::default(), &ITEM).assignee);
    }

    fn day(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap()
    }

    #[test]
    fn a_monthly_report_is_missing_once_its_month_ended_without_one() {
        let monthly = ReportFrequency::Monthly;
        // Registered in October: nothing is owed while October runs.
        assert!(!periodic_report_missing(InProgress, monthly, day(10, 12), None, day(10, 31)));
        // November has begun and October had no report.
        assert!(periodic_report_missing(InProgress, monthly, day(10, 12), None, day(11, 2)));
        assert!(!periodic_report_missing(InProgress, monthly, day(10, 12), Some(day(10, 20)), day(11, 2)));
        // A report for October does not cover November once December begins.
        assert!(periodic_report_missing(InProgress, monthly, day(10, 12), Some(day(10, 20)), day(12, 1)));
        // A late report, posted after the month ended, still counts for it.
        assert!(!periodic_report_missing(InProgress, monthly, day(10, 12), Some(day(12, 3)), day(12, 7)));
        // Verified and closed items owe nothing.
        assert!(!periodic_report_missing(Verified, monthly, day(10, 12), None, day(12, 7)));
        assert!(!periodic_report_missing(Closed, monthly, day(10, 12), None, day(12, 7)));
    }

    #[test]
    fn a_quarterly_report_is_owed_only_after_its_quarter() {
        let quarterly = ReportFrequency::Quarterly;
        assert!(!periodic_report_missing(InProgress, quarterly, day(8, 3), None, day(9, 30)));
        assert!(periodic_report_missing(InProgress, quarterly, day(8, 3), None, day(10, 1)));
        assert!(!periodic_report_missing(InProgress, quarterly, day(8, 3), Some(day(9, 15)), day(12, 7)));
    }
}

//! Who may do what. Handlers call these at their top; everything not allowed
//! here is refused (deny by default).

use super::roles::{Grants, Role};

/// An office-wide capability, decided by the roles a person holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See departments, people and posts.
    ViewOrganisation,
    /// Create and edit departments, people and posts.
    ManageOrganisation,
    /// Grant and withdraw roles, reset passwords.
    ManageAccounts,
    /// Import a roster file.
    ImportRoster,
    /// Read the audit log.
    ReadAuditLog,
    /// Create cycles and move their stages.
    ManageCycles,
    /// Keep the work-day calendar.
    ManageCalendar,
    /// Keep the office's work points and every department's service commitments
    /// and post templates.
    ManagePlanning,
    /// Read every department's plans and the completeness board.
    ViewAllPlans,
    /// Open, assign, verify and close supervision items.
    ManageSupervision,
    /// Keep the standard bonus/penalty list and review ledger records.
    ManageLedger,
    /// Read the office-wide monitoring board.
    ViewOfficeBoard,
    /// Set the numbers of the office's rules, per year (docs/DOMAIN.md §1.4).
    ManageSettings,
}

impl Permission {
    /// The roles that carry the permission.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Permission::ViewOrganisation => &[Role::SystemAdmin, Role::PerformanceOffice, Role::Auditor],
            Permission::ManageOrganisation => &[Role::SystemAdmin, Role::PerformanceOffice],
            Permission::ManageAccounts | Permission::ImportRoster => &[Role::SystemAdmin],
            Permission::ReadAuditLog => &[Role::SystemAdmin, Role::Auditor],
            Permission::ManageCycles | Permission::ManageCalendar | Permission::ManagePlanning => {
                &[Role::PerformanceOffice]
            }
            Permission::ViewAllPlans => &[Role::PerformanceOffice, Role::AssessmentCommittee, Role::Auditor],
            Permission::ManageSupervision => &[Role::SupervisionOfficer],
            Permission::ManageLedger | Permission::ManageSettings => &[Role::PerformanceOffice],
            Permission::ViewOfficeBoard => {
                &[Role::PerformanceOffice, Role::SupervisingLeader, Role::AssessmentCommittee, Role::Auditor]
            }
        }
    }
}

/// Whether the grants carry the permission.
pub fn allows(grants: &Grants, permission: Permission) -> bool {
    grants.has_any(permission.roles())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roles::RoleGrant;

    fn holding(role: Role) -> Grants {
        let department_id = role.is_department_scoped().then_some(1);
        Grants(vec![RoleGrant { role, department_id }])
    }

    #[test]
    fn staff_holds_no_admin_permission() {
        let staff = holding(Role::Staff);
        for p in [
            Permission::ViewOrganisation,
            Permission::ManageOrganisation,
            Permission::ManageAccounts,
            Permission::ImportRoster,
            Permission::ReadAuditLog,
        ] {
            assert!(!allows(&staff, p), "{p:?}");
        }
    }

    #[test]
    fn auditor_reads_but_does_not_write() {
        let auditor = holding(Role::Auditor);
        assert!(allows(&auditor, Permission::ViewOrganisation));
        assert!(allows(&auditor, Permission::ReadAuditLog));
        assert!(!allows(&auditor, Permission::ManageOrganisation));
    }

    #[test]
    fn performance_office_edits_organisation_but_not_accounts() {
        let office = holding(Role::PerformanceOffice);
        assert!(allows(&office, Permission::ManageOrganisation));
        assert!(!allows(&office, Permission::ManageAccounts));
        assert!(!allows(&office, Permission::ReadAuditLog));
    }

    #[test]
    fn empty_grants_allow_nothing() {
        assert!(!allows(&Grants::default(), Permission::ViewOrganisation));
    }
}

/// What the plan policies need to know about a target set.
#[derive(Debug, Clone, Copy)]
pub struct SetFacts {
    pub level: super::plan::TargetLevel,
    /// The department of the set (the owner's department for a person set).
    pub department_id: Option<i64>,
    /// The owner of a person set.
    pub person_id: Option<i64>,
    /// Whether the owner of a person set heads the set's department.
    pub owner_is_head: bool,
}

/// Who writes a set while it is a draft or returned: the owner of a person
/// set or the head of its department (assigning work); the head of a
/// department for the department's set; the performance office for the
/// office's work points.
pub fn can_edit_set(user_id: i64, grants: &Grants, set: &SetFacts) -> bool {
    use super::plan::TargetLevel::*;
    let heads = |d: Option<i64>| d.is_some_and(|d| grants.departments_for(Role::DepartmentHead).contains(&d));
    match set.level {
        Person => set.person_id == Some(user_id) || heads(set.department_id),
        Department => heads(set.department_id),
        Office => grants.has(Role::PerformanceOffice),
    }
}

/// Who approves or returns a set: the department head for staff sets; the
/// supervising leader for department sets and for a head's own set. Nobody
/// decides their own set. Office work points are adopted, not approved.
pub fn can_decide_set(user_id: i64, grants: &Grants, set: &SetFacts) -> bool {
    use super::plan::TargetLevel::*;
    let Some(department) = set.department_id else { return false };
    if set.person_id == Some(user_id) {
        return false;
    }
    let leads = grants.departments_for(Role::SupervisingLeader).contains(&department);
    match set.level {
        Person if set.owner_is_head => leads,
        Person => grants.departments_for(Role::DepartmentHead).contains(&department),
        Department => leads,
        Office => false,
    }
}

/// Who reads a set: its writers and deciders, the leader overseeing the
/// department, and the office-wide roles that follow plans.
pub fn can_view_set(user_id: i64, grants: &Grants, set: &SetFacts) -> bool {
    let office_wide = grants.has_any(&[Role::PerformanceOffice, Role::AssessmentCommittee, Role::Auditor]);
    let oversees = set.department_id.is_some_and(|d| grants.departments_for(Role::SupervisingLeader).contains(&d));
    office_wide
        || oversees
        || set.level == super::plan::TargetLevel::Office
        || can_edit_set(user_id, grants, set)
        || can_decide_set(user_id, grants, set)
}

#[cfg(test)]
mod plan_tests {
    use super::*;
    use crate::domain::plan::TargetLevel;
    use crate::domain::roles::RoleGrant;

    fn grants(list: &[(Role, Option<i64>)]) -> Grants {
        Grants(
            list.iter().map(|(role, department_id)| RoleGrant { role: *role, department_id: *department_id }).collect(),
        )
    }

    fn staff_set(owner: i64, department: i64) -> SetFacts {
        SetFacts {
            level: TargetLevel::Person,
            department_id: Some(department),
            person_id: Some(owner),
            owner_is_head: false,
        }
    }

    #[test]
    fn staff_edit_their_own_set_and_cannot_approve_it() {
        let staff = grants(&[(Role::Staff, None)]);
        assert!(can_edit_set(7, &staff, &staff_set(7, 1)));
        assert!(!can_edit_set(7, &staff, &staff_set(8, 1)));
        assert!(!can_decide_set(7, &staff, &staff_set(7, 1)));
    }

    #[test]
    fn a_head_decides_staff_sets_of_their_department_only() {
        let head = grants(&[(Role::DepartmentHead, Some(1))]);
        assert!(can_decide_set(9, &head, &staff_set(7, 1)));
        assert!(!can_decide_set(9, &head, &staff_set(7, 2)));
        assert!(can_edit_set(9, &head, &staff_set(7, 1)));
    }

    #[test]
    fn a_heads_own_set_goes_to_the_supervising_leader() {
        let head = grants(&[(Role::DepartmentHead, Some(1))]);
        let own = SetFacts { owner_is_head: true, ..staff_set(9, 1) };
        assert!(!can_decide_set(9, &head, &own));
        let other_head = SetFacts { owner_is_head: true, ..staff_set(10, 1) };
        assert!(!can_decide_set(9, &head, &other_head));
        let leader = grants(&[(Role::SupervisingLeader, Some(1))]);
        assert!(can_decide_set(3, &leader, &other_head));
    }

    #[test]
    fn department_sets_are_written_by_the_head_and_decided_by_the_leader() {
        let set =
            SetFacts { level: TargetLevel::Department, department_id: Some(1), person_id: None, owner_is_head: false };
        assert!(can_edit_set(9, &grants(&[(Role::DepartmentHead, Some(1))]), &set));
        assert!(!can_decide_set(9, &grants(&[(Role::DepartmentHead, Some(1))]), &set));
        assert!(can_decide_set(3, &grants(&[(Role::SupervisingLeader, Some(1))]), &set));
        assert!(!can_decide_set(3, &grants(&[(Role::SupervisingLeader, Some(2))]), &set));
    }

    #[test]
    fn the_office_roles_read_every_set() {
        for role in [Role::PerformanceOffice, Role::AssessmentCommittee, Role::Auditor] {
            assert!(can_view_set(1, &grants(&[(role, None)]), &staff_set(7, 1)));
        }
        assert!(!can_view_set(1, &grants(&[(Role::Staff, None)]), &staff_set(7, 1)));
        assert!(!can_view_set(1, &grants(&[(Role::DisciplineInspection, None)]), &staff_set(7, 1)));
    }
}

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
}

impl Permission {
    /// The roles that carry the permission.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Permission::ViewOrganisation => &[Role::SystemAdmin, Role::PerformanceOffice, Role::Auditor],
            Permission::ManageOrganisation => &[Role::SystemAdmin, Role::PerformanceOffice],
            Permission::ManageAccounts | Permission::ImportRoster => &[Role::SystemAdmin],
            Permission::ReadAuditLog => &[Role::SystemAdmin, Role::Auditor],
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

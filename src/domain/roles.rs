//! The roles of the office (docs/DOMAIN.md §2.1) and the grants that give them.

use serde::{Deserialize, Serialize};

/// A role a person may hold. Department head and supervising leader are scoped
/// to departments; the others are office-wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "role_kind", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Staff,
    DepartmentHead,
    SupervisingLeader,
    /// 主要领导 (e.g. 秘书长): rates the department heads (docs/DOMAIN.md §2.1).
    PrincipalLeader,
    AssessmentCommittee,
    DisciplineInspection,
    SupervisionOfficer,
    PerformanceOffice,
    SystemAdmin,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Staff,
        Role::DepartmentHead,
        Role::SupervisingLeader,
        Role::PrincipalLeader,
        Role::AssessmentCommittee,
        Role::DisciplineInspection,
        Role::SupervisionOfficer,
        Role::PerformanceOffice,
        Role::SystemAdmin,
        Role::Auditor,
    ];

    /// Whether a grant of this role names the departments it covers.
    pub fn is_department_scoped(self) -> bool {
        matches!(self, Role::DepartmentHead | Role::SupervisingLeader)
    }

    /// The stable code used in forms, files and the audit log.
    pub fn code(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::DepartmentHead => "department_head",
            Role::SupervisingLeader => "supervising_leader",
            Role::PrincipalLeader => "principal_leader",
            Role::AssessmentCommittee => "assessment_committee",
            Role::DisciplineInspection => "discipline_inspection",
            Role::SupervisionOfficer => "supervision_officer",
            Role::PerformanceOffice => "performance_office",
            Role::SystemAdmin => "system_admin",
            Role::Auditor => "auditor",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The locale key of the role's name.
    pub fn label_key(self) -> String {
        format!("role-{}", self.code().replace('_', "-"))
    }
}

/// One role held by a person, with its department for scoped roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoleGrant {
    pub role: Role,
    pub department_id: Option<i64>,
}

/// The roles a signed-in person holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grants(pub Vec<RoleGrant>);

impl Grants {
    pub fn has(&self, role: Role) -> bool {
        self.0.iter().any(|g| g.role == role)
    }

    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has(*r))
    }

    /// The departments a scoped role covers for this person.
    pub fn departments_for(&self, role: Role) -> Vec<i64> {
        let mut ids: Vec<i64> = self.0.iter().filter(|g| g.role == role).filter_map(|g| g.department_id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Distinct roles, in the order of [`Role::ALL`].
    pub fn roles(&self) -> Vec<Role> {
        Role::ALL.into_iter().filter(|r| self.has(*r)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn only_head_and_leader_are_scoped() {
        let scoped: Vec<Role> = Role::ALL.into_iter().filter(|r| r.is_department_scoped()).collect();
        assert_eq!(scoped, vec![Role::DepartmentHead, Role::SupervisingLeader]);
    }

    #[test]
    fn scoped_departments_are_distinct_and_per_role() {
        let grants = Grants(vec![
            RoleGrant { role: Role::SupervisingLeader, department_id: Some(3) },
            RoleGrant { role: Role::SupervisingLeader, department_id: Some(1) },
            RoleGrant { role: Role::DepartmentHead, department_id: Some(2) },
            RoleGrant { role: Role::SupervisingLeader, department_id: Some(3) },
        ]);
        assert_eq!(grants.departments_for(Role::SupervisingLeader), vec![1, 3]);
        assert_eq!(grants.departments_for(Role::DepartmentHead), vec![2]);
        assert!(grants.departments_for(Role::Staff).is_empty());
    }

    #[test]
    fn label_keys_use_dashes() {
        assert_eq!(Role::SystemAdmin.label_key(), "role-system-admin");
    }
}

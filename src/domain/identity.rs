//! Identity types of office personnel (docs/DOMAIN.md §2.2) and department kinds (§2.3).

use serde::{Deserialize, Serialize};

/// A person's identity type; it decides which grade names apply (docs/DOMAIN.md §15.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "identity_type", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum IdentityType {
    /// 公务员
    CivilServant,
    /// 参公: managed as a civil servant
    ManagedCivilServant,
    /// 事业: public institution staff
    Institution,
    /// 工勤: service worker
    ServiceWorker,
}

impl IdentityType {
    pub const ALL: [IdentityType; 4] = [
        IdentityType::CivilServant,
        IdentityType::ManagedCivilServant,
        IdentityType::Institution,
        IdentityType::ServiceWorker,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IdentityType::CivilServant => "civil_servant",
            IdentityType::ManagedCivilServant => "managed_civil_servant",
            IdentityType::Institution => "institution",
            IdentityType::ServiceWorker => "service_worker",
        }
    }

    /// Accepts the code or the Chinese name, as roster files use either.
    pub fn parse(text: &str) -> Option<IdentityType> {
        let text = text.trim();
        IdentityType::ALL.into_iter().find(|t| t.code() == text).or(match text {
            "公务员" => Some(IdentityType::CivilServant),
            "参公" | "参照公务员法管理" => Some(IdentityType::ManagedCivilServant),
            "事业" | "事业编制" => Some(IdentityType::Institution),
            "工勤" | "工勤人员" => Some(IdentityType::ServiceWorker),
            _ => None,
        })
    }

    pub fn label_key(self) -> String {
        format!("identity-{}", self.code().replace('_', "-"))
    }
}

/// What sort of department (处室) this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "department_kind", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum DepartmentKind {
    /// 综合部门 (办公室, 研究室)
    General,
    /// 专门委员会办公室
    CommitteeOffice,
    /// 机关党委 / 人事处
    PartyPersonnel,
    /// 保障部门 (信息中心)
    Support,
}

impl DepartmentKind {
    pub const ALL: [DepartmentKind; 4] = [
        DepartmentKind::General,
        DepartmentKind::CommitteeOffice,
        DepartmentKind::PartyPersonnel,
        DepartmentKind::Support,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DepartmentKind::General => "general",
            DepartmentKind::CommitteeOffice => "committee_office",
            DepartmentKind::PartyPersonnel => "party_personnel",
            DepartmentKind::Support => "support",
        }
    }

    pub fn parse(text: &str) -> Option<DepartmentKind> {
        DepartmentKind::ALL.into_iter().find(|k| k.code() == text.trim())
    }

    pub fn label_key(self) -> String {
        format!("department-kind-{}", self.code().replace('_', "-"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_parses_codes_and_chinese_names() {
        assert_eq!(IdentityType::parse("公务员"), Some(IdentityType::CivilServant));
        assert_eq!(IdentityType::parse(" 参公 "), Some(IdentityType::ManagedCivilServant));
        assert_eq!(IdentityType::parse("institution"), Some(IdentityType::Institution));
        assert_eq!(IdentityType::parse("工勤"), Some(IdentityType::ServiceWorker));
        assert_eq!(IdentityType::parse("合同工"), None);
    }

    #[test]
    fn department_kind_codes_round_trip() {
        for kind in DepartmentKind::ALL {
            assert_eq!(DepartmentKind::parse(kind.code()), Some(kind));
        }
    }
}

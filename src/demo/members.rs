//! The demo committee's members (政协委员, docs/DOMAIN.md §18.1): 120 members
//! of the current term from `members.toml`, named by the walk of `names.toml`
//! after the office's own people, each kept in touch with by the office of
//! their special committee or by their sector's department.

use std::collections::HashSet;

use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;

use super::{Names, Plan};
use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::members::{self, MemberData};

/// `members.toml`: the term, the special committees with their contact
/// departments, and the members by sector.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MembersFile {
    term: String,
    #[serde(rename = "committee")]
    committees: Vec<Committee>,
    #[serde(rename = "sector")]
    sectors: Vec<Sector>,
}

/// A special committee (专门委员会) and the department that keeps in touch with its members.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Committee {
    name: String,
    contact: String,
}

/// A sector (界别): one entry of `members` per member, naming their special
/// committee or "" for none; the last `inactive` members no longer serve.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sector {
    name: String,
    contact: String,
    #[serde(default)]
    inactive: usize,
    members: Vec<String>,
}

/// One member to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PlannedMember {
    full_name: String,
    sector: String,
    special_committee: String,
    /// Index into the office's departments.
    contact: usize,
    mobile: String,
    active: bool,
}

/// The members to create, in file order.
#[derive(Debug, Clone)]
pub(super) struct MemberPlan {
    term: String,
    members: Vec<PlannedMember>,
}

/// Walks `members.toml` into members; the names continue the walk after the
/// office's people, skipping any name a person already has.
pub(super) fn plan(office: &Plan) -> anyhow::Result<MemberPlan> {
    let file = &office.data.members;
    let taken: HashSet<&str> = office.people.iter().map(|p| p.full_name.as_str()).collect();
    let mut names = Names::new(&office.data.names);
    let mut seen = HashSet::new();
    let mut members = Vec::new();
    for sector in &file.sectors {
        if sector.inactive > sector.members.len() {
            anyhow::bail!("demo data members.toml: {} has fewer members than `inactive`", sector.name);
        }
        let sector_contact = office.department_index(&sector.contact)?;
        for (i, committee) in sector.members.iter().enumerate() {
            let contact = if committee.is_empty() {
                sector_contact
            } else {
                let known = file.committees.iter().find(|c| &c.name == committee);
                let known =
                    known.ok_or_else(|| anyhow::anyhow!("demo data members.toml: no [[committee]] {committee}"))?;
                office.department_index(&known.contact)?
            };
            let full_name = loop {
                let (name, _) = names.next_name();
                if !taken.contains(name.as_str()) && seen.insert(name.clone()) {
                    break name;
                }
            };
            let number = members.len();
            members.push(PlannedMember {
                full_name,
                sector: sector.name.clone(),
                special_committee: committee.clone(),
                contact,
                mobile: format!("1390000{:04}", 1001 + number * 7),
                active: i < sector.members.len() - sector.inactive,
            });
        }
    }
    Ok(MemberPlan { term: file.term.clone(), members })
}

/// Creates the members (departments by the office's `department_ids`) with one audit row.
pub(super) async fn write(conn: &mut PgConnection, plan: &MemberPlan, department_ids: &[i64]) -> anyhow::Result<usize> {
    for member in &plan.members {
        let data = MemberData {
            full_name: member.full_name.clone(),
            sector: member.sector.clone(),
            special_committee: member.special_committee.clone(),
            contact_department_id: Some(department_ids[member.contact]),
            term: plan.term.clone(),
            mobile: member.mobile.clone(),
            active: member.active,
        };
        members::insert(conn, &data).await?;
    }
    let summary = json!({
        "term": plan.term,
        "members": plan.members.len(),
        "active": plan.members.iter().filter(|m| m.active).count(),
    });
    let ctx = AuditContext { actor_name: "cppcc-perf demo".into(), ..Default::default() };
    audit::record(conn, &ctx, AuditEvent::new("demo.members_loaded", "member", "demo", summary)).await?;
    Ok(plan.members.len())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::domain::members::valid_mobile;

    fn the_plan() -> (Plan, MemberPlan) {
        let office = super::super::plan().expect("the demo office");
        let members = plan(&office).expect("the demo members");
        (office, members)
    }

    #[test]
    fn a_hundred_and_twenty_members_of_the_fifteenth_term() {
        let (_, plan) = the_plan();
        assert_eq!(plan.members.len(), 120);
        assert_eq!(plan.term, "第十五届");
        let inactive = plan.members.iter().filter(|m| !m.active).count();
        assert!((1..=5).contains(&inactive), "{inactive} inactive");
    }

    #[test]
    fn member_names_are_distinct_and_no_member_of_staff_has_one() {
        let (office, plan) = the_plan();
        let names: HashSet<&str> = plan.members.iter().map(|m| m.full_name.as_str()).collect();
        assert_eq!(names.len(), plan.members.len());
        for person in &office.people {
            assert!(!names.contains(person.full_name.as_str()), "{}", person.full_name);
        }
        let avoid = &office.data.names.avoid;
        assert!(plan.members.iter().all(|m| !avoid.contains(&m.full_name)));
    }

    #[test]
    fn every_contact_department_and_committee_exists() {
        let (office, plan) = the_plan();
        let file = &office.data.members;
        for committee in &file.committees {
            assert!(office.department_index(&committee.contact).is_ok(), "{}", committee.contact);
        }
        for sector in &file.sectors {
            assert!(office.department_index(&sector.contact).is_ok(), "{}", sector.contact);
        }
        let committees: HashSet<&str> = file.committees.iter().map(|c| c.name.as_str()).collect();
        for member in &plan.members {
            assert!(member.contact < office.departments().len());
            assert!(
                member.special_committee.is_empty() || committees.contains(member.special_committee.as_str()),
                "{}",
                member.special_committee
            );
        }
    }

    #[test]
    fn many_sit_on_a_committee_some_on_none_and_sectors_are_many() {
        let (_, plan) = the_plan();
        let on_none = plan.members.iter().filter(|m| m.special_committee.is_empty()).count();
        assert!(on_none > 10 && on_none < 40, "{on_none} on no committee");
        let sectors: HashSet<&str> = plan.members.iter().map(|m| m.sector.as_str()).collect();
        assert!(sectors.len() >= 20, "{} sectors", sectors.len());
    }

    #[test]
    fn mobiles_are_distinct_fictitious_and_valid() {
        let (_, plan) = the_plan();
        let mobiles: HashSet<&str> = plan.members.iter().map(|m| m.mobile.as_str()).collect();
        assert_eq!(mobiles.len(), plan.members.len());
        for member in &plan.members {
            assert!(member.mobile.starts_with("1390000"), "{}", member.mobile);
            assert!(valid_mobile(&member.mobile), "{}", member.mobile);
        }
    }
}

//! Allocation units (docs/DOMAIN.md §17.8): which people share one quota.
//! By default each department is a unit; a scheme's quota rule may set the
//! leading cadres (处级: department heads and people of the bureau or
//! division tier) apart as one office-wide category, and pool departments
//! smaller than a size into one unit.

use serde::{Deserialize, Serialize};

use super::QuotaRule;

/// What kind of people a unit holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnitKind {
    /// The people of one department (or of none).
    Department,
    /// The people of several small departments pooled together.
    Pooled,
    /// The leading cadres of the whole office, as one category.
    Leaders,
}

/// One participant as the grouping sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub person_id: i64,
    pub department_id: Option<i64>,
    /// A leading cadre: heads a department, or holds a bureau- or division-tier rank.
    pub leader: bool,
}

/// The people who share one quota, in the order they were given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitMembers {
    pub kind: UnitKind,
    /// The departments whose people are in the unit, in order.
    pub departments: Vec<Option<i64>>,
    pub people: Vec<i64>,
}

/// Groups `members` (ordered by department) into allocation units by `rule`:
/// the leaders' category first when the rule sets it apart, then each
/// department of at least `pool_below` people (counted after the leaders
/// left) in order, then one pooled unit of the smaller departments. A pool
/// of a single department stays that department's unit.
pub fn allocation_units(members: &[Member], rule: &QuotaRule) -> Vec<UnitMembers> {
    let mut leaders = Vec::new();
    let mut departments: Vec<UnitMembers> = Vec::new();
    for member in members {
        if rule.leaders_apart && member.leader {
            leaders.push(member.person_id);
            continue;
        }
        match departments.last_mut() {
            Some(unit) if unit.departments[0] == member.department_id => unit.people.push(member.person_id),
            _ => departments.push(UnitMembers {
                kind: UnitKind::Department,
                departments: vec![member.department_id],
                people: vec![member.person_id],
            }),
        }
    }
    let mut units = Vec::new();
    if !leaders.is_empty() {
        units.push(UnitMembers { kind: UnitKind::Leaders, departments: Vec::new(), people: leaders });
    }
    let small = |unit: &UnitMembers| unit.people.len() < rule.pool_below as usize;
    let (small_ones, kept): (Vec<_>, Vec<_>) = departments.into_iter().partition(small);
    units.extend(kept);
    match small_ones.len() {
        0 => {}
        1 => units.extend(small_ones),
        _ => units.push(UnitMembers {
            kind: UnitKind::Pooled,
            departments: small_ones.iter().flat_map(|u| u.departments.clone()).collect(),
            people: small_ones.into_iter().flat_map(|u| u.people).collect(),
        }),
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::assessment::Scheme;

    fn m(person_id: i64, department: i64, leader: bool) -> Member {
        Member { person_id, department_id: Some(department), leader }
    }

    /// Office: department 1 of 6 (person 1 heads it), 2 of 3 (4 in all with
    /// its head 7), 3 of 2.
    fn office() -> Vec<Member> {
        vec![
            m(1, 1, true),
            m(2, 1, false),
            m(3, 1, false),
            m(4, 1, false),
            m(5, 1, false),
            m(6, 1, false),
            m(7, 2, true),
            m(8, 2, false),
            m(9, 2, false),
            m(10, 2, false),
            m(11, 3, false),
            m(12, 3, false),
        ]
    }

    fn shape(units: &[UnitMembers]) -> Vec<(UnitKind, Vec<i64>)> {
        units.iter().map(|u| (u.kind, u.people.clone())).collect()
    }

    #[test]
    fn by_default_the_quarter_units_are_the_departments() {
        let rule = Scheme::default_staff(2026).quarter_quota;
        let units = allocation_units(&office(), &rule);
        assert_eq!(
            shape(&units),
            vec![
                (UnitKind::Department, vec![1, 2, 3, 4, 5, 6]),
                (UnitKind::Department, vec![7, 8, 9, 10]),
                (UnitKind::Department, vec![11, 12]),
            ]
        );
        assert_eq!(units[1].departments, vec![Some(2)]);
    }

    #[test]
    fn by_default_the_annual_leaders_form_one_category() {
        let rule = Scheme::default_staff(2026).annual_quota;
        let units = allocation_units(&office(), &rule);
        assert_eq!(
            shape(&units),
            vec![
                (UnitKind::Leaders, vec![1, 7]),
                (UnitKind::Department, vec![2, 3, 4, 5, 6]),
                (UnitKind::Department, vec![8, 9, 10]),
                (UnitKind::Department, vec![11, 12]),
            ]
        );
    }

    #[test]
    fn departments_under_the_pool_size_share_one_unit() {
        let rule = QuotaRule { pool_below: 5, ..Scheme::default_staff(2026).annual_quota };
        let units = allocation_units(&office(), &rule);
        // After the leaders left, department 2 has 3 and department 3 has 2: both under 5.
        assert_eq!(
            shape(&units),
            vec![
                (UnitKind::Leaders, vec![1, 7]),
                (UnitKind::Department, vec![2, 3, 4, 5, 6]),
                (UnitKind::Pooled, vec![8, 9, 10, 11, 12]),
            ]
        );
        assert_eq!(units[2].departments, vec![Some(2), Some(3)]);
        // floor(0.2 × 5) = 1: the pooled unit gets the 优秀 neither department would.
        assert_eq!(rule.count(units[2].people.len(), false), 1);
    }

    #[test]
    fn a_pool_of_one_department_stays_that_department() {
        let rule = QuotaRule { pool_below: 3, leaders_apart: false, ..Scheme::default_staff(2026).annual_quota };
        let units = allocation_units(&office(), &rule);
        assert_eq!(units.len(), 3);
        assert_eq!((units[2].kind, units[2].departments.clone()), (UnitKind::Department, vec![Some(3)]));
    }

    #[test]
    fn nobody_in_the_office_gives_no_units() {
        let rule = Scheme::default_staff(2026).annual_quota;
        assert!(allocation_units(&[], &rule).is_empty());
    }
}

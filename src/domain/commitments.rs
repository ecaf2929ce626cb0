//! Service commitments (服务承诺制) and post target templates (岗位目标模板):
//! who keeps them, and what a valid one looks like.

use rust_decimal::Decimal;

use super::policy::{self, Permission};
use super::roles::{Grants, Role};
use super::validate::{FieldError, optional_decimal};

/// Bounds of the texts of a commitment.
pub const SERVICE_MAX_CHARS: usize = 200;
pub const STANDARD_MAX_CHARS: usize = 2000;
/// Bounds of the texts of a template.
pub const TITLE_MAX_CHARS: usize = 200;
pub const MEASURE_MAX_CHARS: usize = 200;
pub const UNIT_MAX_CHARS: usize = 20;
pub const NOTE_MAX_CHARS: usize = 1000;

/// Whether the person keeps the department's service commitments and post
/// templates: the performance office for every department, a head for the
/// departments they head.
pub fn can_manage_department_plan_config(grants: &Grants, department_id: i64) -> bool {
    policy::allows(grants, Permission::ManagePlanning)
        || grants.departments_for(Role::DepartmentHead).contains(&department_id)
}

/// The departments whose configuration the person keeps: `None` for all of
/// them, otherwise the departments they head (empty: none).
pub fn plan_config_departments(grants: &Grants) -> Option<Vec<i64>> {
    if policy::allows(grants, Permission::ManagePlanning) {
        None
    } else {
        Some(grants.departments_for(Role::DepartmentHead))
    }
}

/// Whether the person keeps the configuration of at least one department
/// (may open a new-commitment form at all).
pub fn can_manage_some_plan_config(grants: &Grants) -> bool {
    plan_config_departments(grants).is_none_or(|ids| !ids.is_empty())
}

/// A time limit in work days: a whole number from 1 to `max_days` (the
/// year's `commitment_max_workdays`, 365 by default).
pub fn time_limit_days(value: &str, max_days: i32) -> Result<i32, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::Required);
    }
    match value.parse::<i32>() {
        Ok(days) if (1..=max_days).contains(&days) => Ok(days),
        _ => Err(FieldError::Invalid),
    }
}

/// A decimal as typed ([`optional_decimal`]), at most two places and twelve
/// whole digits (the columns are numeric(14, 2)); empty means none.
pub fn bounded_decimal(value: &str) -> Result<Option<Decimal>, FieldError> {
    let Some(number) = optional_decimal(value)? else { return Ok(None) };
    if number.normalize().scale() > 2 {
        return Err(FieldError::Invalid);
    }
    if number.abs() >= Decimal::from(1_000_000_000_000_i64) {
        return Err(FieldError::Invalid);
    }
    Ok(Some(number.normalize()))
}

/// A weight in percent: required, from 0 to 100, at most two places.
pub fn weight(value: &str) -> Result<Decimal, FieldError> {
    match bounded_decimal(value)? {
        None => Err(FieldError::Required),
        Some(w) if w < Decimal::ZERO || w > Decimal::from(100) => Err(FieldError::Invalid),
        Some(w) => Ok(w),
    }
}

/// A commitment's post, when it names one, must belong to its department.
pub fn post_fits_department(post_department: Option<i64>, department_id: i64) -> Result<(), FieldError> {
    match post_department {
        Some(d) if d == department_id => Ok(()),
        _ => Err(FieldError::Invalid),
    }
}

/// The sum of the weights of a post's templates, for the "total" line.
pub fn weight_total(weights: impl IntoIterator<Item = Decimal>) -> Decimal {
    weights.into_iter().sum::<Decimal>().normalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::plan::{Direction, TargetCategory};
    use crate::domain::roles::RoleGrant;
    use crate::i18n::Lang;
    use rust_decimal_macros::dec;

    fn grants(list: &[(Role, Option<i64>)]) -> Grants {
        Grants(
            list.iter().map(|(role, department_id)| RoleGrant { role: *role, department_id: *department_id }).collect(),
        )
    }

    #[test]
    fn the_performance_office_keeps_every_departments_commitments() {
        let office = grants(&[(Role::PerformanceOffice, None)]);
        assert!(can_manage_department_plan_config(&office, 1));
        assert!(can_manage_department_plan_config(&office, 42));
        assert_eq!(plan_config_departments(&office), None);
        assert!(can_manage_some_plan_config(&office));
    }

    #[test]
    fn a_head_keeps_only_the_departments_they_head() {
        let head = grants(&[(Role::DepartmentHead, Some(3)), (Role::DepartmentHead, Some(1))]);
        assert!(can_manage_department_plan_config(&head, 1));
        assert!(can_manage_department_plan_config(&head, 3));
        assert!(!can_manage_department_plan_config(&head, 2));
        assert_eq!(plan_config_departments(&head), Some(vec![1, 3]));
        assert!(can_manage_some_plan_config(&head));
    }

    #[test]
    fn other_roles_keep_nothing() {
        for role in [Role::Staff, Role::SystemAdmin, Role::Auditor, Role::AssessmentCommittee] {
            let g = grants(&[(role, None)]);
            assert!(!can_manage_department_plan_config(&g, 1), "{role:?}");
            assert!(!can_manage_some_plan_config(&g), "{role:?}");
        }
        let leader = grants(&[(Role::SupervisingLeader, Some(1))]);
        assert!(!can_manage_department_plan_config(&leader, 1));
    }

    #[test]
    fn time_limits_are_one_to_365_work_days() {
        assert_eq!(time_limit_days(" 5 ", 365), Ok(5));
        assert_eq!(time_limit_days("1", 365), Ok(1));
        assert_eq!(time_limit_days("365", 365), Ok(365));
        assert_eq!(time_limit_days("0", 365), Err(FieldError::Invalid));
        assert_eq!(time_limit_days("366", 365), Err(FieldError::Invalid));
        assert_eq!(time_limit_days("-2", 365), Err(FieldError::Invalid));
        assert_eq!(time_limit_days("2.5", 365), Err(FieldError::Invalid));
        assert_eq!(time_limit_days("", 365), Err(FieldError::Required));
        // A year that allows longer promises.
        assert_eq!(time_limit_days("400", 500), Ok(400));
    }

    #[test]
    fn decimals_accept_whole_and_fractional_values() {
        assert_eq!(bounded_decimal("98"), Ok(Some(dec!(98))));
        assert_eq!(bounded_decimal(" 98.5 "), Ok(Some(dec!(98.5))));
        assert_eq!(bounded_decimal("98.50"), Ok(Some(dec!(98.5))));
        assert_eq!(bounded_decimal(""), Ok(None));
        assert_eq!(bounded_decimal("abc"), Err(FieldError::Invalid));
        assert_eq!(bounded_decimal("1.234"), Err(FieldError::Invalid));
        assert_eq!(bounded_decimal("1000000000000"), Err(FieldError::Invalid));
    }

    #[test]
    fn weights_are_required_and_within_0_to_100() {
        assert_eq!(weight("30"), Ok(dec!(30)));
        assert_eq!(weight("12.5"), Ok(dec!(12.5)));
        assert_eq!(weight("0"), Ok(dec!(0)));
        assert_eq!(weight("100"), Ok(dec!(100)));
        assert_eq!(weight(""), Err(FieldError::Required));
        assert_eq!(weight("100.5"), Err(FieldError::Invalid));
        assert_eq!(weight("-1"), Err(FieldError::Invalid));
    }

    #[test]
    fn a_post_must_belong_to_the_commitments_department() {
        assert_eq!(post_fits_department(Some(1), 1), Ok(()));
        assert_eq!(post_fits_department(Some(2), 1), Err(FieldError::Invalid));
        assert_eq!(post_fits_department(None, 1), Err(FieldError::Invalid));
    }

    #[test]
    fn weights_add_up() {
        assert_eq!(weight_total([dec!(60.00), dec!(40)]), dec!(100));
        assert_eq!(weight_total([]), dec!(0));
    }

    #[test]
    fn every_category_and_direction_has_a_label_in_both_languages() {
        let keys =
            TargetCategory::ALL.iter().map(|c| c.label_key()).chain(Direction::ALL.iter().map(|d| d.label_key()));
        for key in keys {
            assert_ne!(Lang::ZhCn.t(&key), key);
            assert_ne!(Lang::En.t(&key), key);
        }
    }
}

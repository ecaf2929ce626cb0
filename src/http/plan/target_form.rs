//! The target form as typed, shared by new targets, edits and change requests.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::db::targets::{TargetData, TargetRow};
use crate::domain::plan::{Direction, TargetCategory, TargetKind};
use crate::domain::validate::{self, FieldError, optional_decimal};
use crate::http::forms::{FormErrors, optional_id, order_number};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TargetForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub parent_id: String,
    #[serde(default)]
    pub post_id: String,
    #[serde(default)]
    pub measure: String,
    #[serde(default)]
    pub unit: String,
    /// `TargetKind` code: quantitative (定量) or qualitative (定性).
    #[serde(default)]
    pub target_kind: String,
    #[serde(default)]
    pub target_value: String,
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub baseline: String,
    #[serde(default)]
    pub weight: String,
    #[serde(default)]
    pub deadline: String,
    #[serde(default)]
    pub quality_requirement: String,
    #[serde(default)]
    pub assessment_method: String,
    #[serde(default)]
    pub evidence_required: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub backup_id: String,
    #[serde(default)]
    pub sort_order: String,
    #[serde(default)]
    pub version: i32,
    /// Only for change requests: the ground (`ChangeKind` code) and why the
    /// approved target must change.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub reason: String,
}

fn text(value: &Option<impl ToString>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// A decimal as a person would type it ("40", not "40.00").
fn number(value: &Option<Decimal>) -> String {
    value.map(|v| v.normalize().to_string()).unwrap_or_default()
}

fn optional_date(value: &str) -> Result<Option<NaiveDate>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map(Some).map_err(|_| FieldError::Invalid)
}

impl TargetForm {
    pub fn from_data(data: &TargetData, version: i32) -> TargetForm {
        TargetForm {
            title: data.title.clone(),
            category: data.category.map(|c| c.code().to_string()).unwrap_or_default(),
            parent_id: text(&data.parent_id),
            post_id: text(&data.post_id),
            measure: data.measure.clone(),
            unit: data.unit.clone(),
            target_kind: data.kind.unwrap_or(TargetKind::Quantitative).code().to_string(),
            target_value: number(&data.target_value),
            direction: data.direction.map(|d| d.code().to_string()).unwrap_or_default(),
            baseline: number(&data.baseline),
            weight: data.weight.normalize().to_string(),
            deadline: text(&data.deadline),
            quality_requirement: data.quality_requirement.clone(),
            assessment_method: data.assessment_method.clone(),
            evidence_required: data.evidence_required.clone(),
            owner_id: text(&data.owner_id),
            backup_id: text(&data.backup_id),
            sort_order: data.sort_order.to_string(),
            version,
            kind: String::new(),
            reason: String::new(),
        }
    }

    pub fn from_row(row: &TargetRow) -> TargetForm {
        TargetForm::from_data(&TargetData::from_row(row), row.version)
    }

    /// Field-level validation; the plan checks (weights, deadlines in the
    /// cycle...) are shown on the set page and block submission, not saving.
    pub fn validate(&self, errors: &mut FormErrors) -> TargetData {
        let weight = match optional_decimal(&self.weight) {
            Ok(weight) => weight.unwrap_or_default(),
            Err(_) => Decimal::from(-1),
        };
        if weight < Decimal::ZERO || weight > Decimal::from(100) {
            // Say the range, not just "invalid".
            errors.add_message("weight", "error-weight-range");
        }
        let data = TargetData {
            parent_id: errors.check("parent_id", optional_id(&self.parent_id)),
            post_id: errors.check("post_id", optional_id(&self.post_id)),
            title: errors.check("title", validate::required_text(&self.title, 200)),
            category: errors
                .check("category", TargetCategory::parse(&self.category).map(Some).ok_or(FieldError::Required)),
            measure: errors.check("measure", validate::optional_text(&self.measure, 200)),
            unit: errors.check("unit", validate::optional_text(&self.unit, 20)),
            kind: Some(TargetKind::parse(&self.target_kind).unwrap_or(TargetKind::Quantitative)),
            target_value: errors.check("target_value", optional_decimal(&self.target_value)),
            direction: Direction::parse(&self.direction).or(Some(Direction::HigherBetter)),
            baseline: errors.check("baseline", optional_decimal(&self.baseline)),
            weight,
            deadline: errors.check("deadline", optional_date(&self.deadline)),
            quality_requirement: errors
                .check("quality_requirement", validate::optional_text(&self.quality_requirement, 1000)),
            assessment_method: errors
                .check("assessment_method", validate::optional_text(&self.assessment_method, 1000)),
            evidence_required: errors
                .check("evidence_required", validate::optional_text(&self.evidence_required, 1000)),
            owner_id: errors.check("owner_id", optional_id(&self.owner_id)),
            backup_id: errors.check("backup_id", optional_id(&self.backup_id)),
            sort_order: errors.check("sort_order", order_number(&self.sort_order)),
        };
        // docs/DOMAIN.md §6.2: a qualitative target has no number to reach.
        if data.kind == Some(TargetKind::Qualitative) && data.target_value.is_some() {
            errors.add_message("target_value", "target-value-qualitative");
        }
        if data.owner_id.is_some() && data.owner_id == data.backup_id {
            errors.add("backup_id", FieldError::Invalid);
        }
        data
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_round_trips_through_its_data() {
        let form = TargetForm {
            title: "提案办复率".into(),
            category: "key_work".into(),
            target_value: "98".into(),
            weight: "30".into(),
            deadline: "2026-11-30".into(),
            owner_id: "4".into(),
            backup_id: "5".into(),
            ..TargetForm::default()
        };
        let mut errors = FormErrors::default();
        let data = form.validate(&mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        let again = TargetForm::from_data(&data, 1).validate(&mut errors);
        assert_eq!(data, again);
    }

    #[test]
    fn weight_outside_0_to_100_and_same_owner_and_backup_are_field_errors() {
        let form = TargetForm {
            title: "x".into(),
            category: "routine".into(),
            weight: "120".into(),
            owner_id: "4".into(),
            backup_id: "4".into(),
            ..TargetForm::default()
        };
        let mut errors = FormErrors::default();
        form.validate(&mut errors);
        assert!(errors.has("weight") && errors.has("backup_id"));
        assert_eq!(errors.of("weight"), "error-weight-range");
    }
}

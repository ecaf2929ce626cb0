//! Helpers for forms: field errors kept beside their fields.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::domain::validate::FieldError;

/// Field name → error, for re-rendering a form with 422. Some errors carry a
/// message more specific than their `FieldError` (a date out of order, a day
/// that cannot be overridden).
#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    fields: BTreeMap<&'static str, FieldError>,
    messages: BTreeMap<&'static str, &'static str>,
}

impl FormErrors {
    pub fn add(&mut self, field: &'static str, error: FieldError) {
        self.fields.entry(field).or_insert(error);
    }

    /// Records an error shown with its own locale key, unless the field already has one.
    pub fn add_message(&mut self, field: &'static str, key: &'static str) {
        if !self.has(field) {
            self.fields.insert(field, FieldError::Invalid);
            self.messages.insert(field, key);
        }
    }

    /// Keeps the value of a validated field, or records its error.
    pub fn check<T: Default>(&mut self, field: &'static str, result: Result<T, FieldError>) -> T {
        result.unwrap_or_else(|error| {
            self.add(field, error);
            T::default()
        })
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The locale key of the field's error (its own message first), empty if none.
    pub fn of(&self, field: &str) -> &'static str {
        self.messages.get(field).copied().or_else(|| self.fields.get(field).map(|e| e.label_key())).unwrap_or("")
    }

    pub fn has(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }
}

/// Parses an optional id from a select (empty means none).
pub fn optional_id(value: &str) -> Result<Option<i64>, FieldError> {
    let value = value.trim();
    if value.is_empty() { Ok(None) } else { value.parse().map(Some).map_err(|_| FieldError::Invalid) }
}

/// Parses a whole number for an order field (empty means 0).
pub fn order_number(value: &str) -> Result<i32, FieldError> {
    let value = value.trim();
    if value.is_empty() { Ok(0) } else { value.parse().map_err(|_| FieldError::Invalid) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_error_of_a_field_is_kept() {
        let mut errors = FormErrors::default();
        errors.add("name", FieldError::Required);
        errors.add("name", FieldError::TooLong);
        assert_eq!(errors.of("name"), "error-required");
        assert_eq!(errors.of("other"), "");
    }

    #[test]
    fn a_message_shows_instead_of_the_generic_error_unless_the_field_has_one() {
        let mut errors = FormErrors::default();
        errors.add_message("period_end", "cycle-error-period-order");
        errors.add("name", FieldError::Required);
        errors.add_message("name", "cycle-error-period-order");
        assert_eq!(errors.of("period_end"), "cycle-error-period-order");
        assert_eq!(errors.of("name"), "error-required");
        assert!(errors.has("period_end"));
    }

    #[test]
    fn ids_and_numbers_parse_or_fail_clearly() {
        assert_eq!(optional_id(""), Ok(None));
        assert_eq!(optional_id("12"), Ok(Some(12)));
        assert_eq!(optional_id("x"), Err(FieldError::Invalid));
        assert_eq!(order_number(" 3 "), Ok(3));
        assert_eq!(order_number(""), Ok(0));
    }
}

/// The GET parameters of the boards and plan lists. Values stay text so that
/// an empty or malformed one means "any" rather than a 400.
#[derive(Debug, Default, Deserialize)]
pub struct BoardQuery {
    pub cycle: Option<String>,
    pub department: Option<String>,
    pub owner: Option<String>,
    pub state: Option<String>,
    pub colour: Option<String>,
}

impl BoardQuery {
    pub fn cycle_id(&self) -> Option<i64> {
        id_param(self.cycle.as_deref())
    }

    pub fn department_id(&self) -> Option<i64> {
        id_param(self.department.as_deref())
    }

    pub fn owner_id(&self) -> Option<i64> {
        id_param(self.owner.as_deref())
    }
}

pub fn id_param(value: Option<&str>) -> Option<i64> {
    value.and_then(|v| v.trim().parse().ok())
}

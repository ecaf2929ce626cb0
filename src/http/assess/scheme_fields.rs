//! The scheme editor's fields: which parts of a `Scheme` the form edits (the
//! numbers and names; the tree's shape and the sources stay as they are),
//! their names — the paths `Scheme::validate` names its errors by, so each
//! error lands beside its field — and readable labels for those paths, which
//! the diff page shares.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::domain::assessment::{CriterionSource, RaterKind, Rounding, Scheme};
use crate::domain::validate::FieldError;
use crate::i18n::Lang;

/// What a field holds, and so how it is typed and parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Decimal,
    /// A decimal that may be left empty (the approved quota rate).
    OptionalDecimal,
    /// A whole number (places, characters, ballots, days).
    Count,
    Text,
    /// A rounding rule, chosen from `Rounding::ALL`.
    Rounding,
    /// Where a criterion's points come from, chosen from `CriterionSource::ALL`.
    Source,
    /// A checkbox.
    Flag,
}

/// One editable field: its path (`dimensions.ji.criteria.target_completion.points`) and kind.
#[derive(Debug, Clone)]
pub struct Spec {
    pub path: String,
    pub kind: Kind,
}

fn spec(path: impl Into<String>, kind: Kind) -> Spec {
    Spec { path: path.into(), kind }
}

/// Every field the editor shows for `scheme`, in the form's order.
pub fn specs(scheme: &Scheme) -> Vec<Spec> {
    let mut out = Vec::new();
    for d in &scheme.dimensions {
        let at = format!("dimensions.{}", d.key);
        out.push(spec(format!("{at}.name_zh"), Kind::Text));
        out.push(spec(format!("{at}.name_en"), Kind::Text));
        out.push(spec(format!("{at}.points"), Kind::Decimal));
        for c in &d.criteria {
            let at = format!("{at}.criteria.{}", c.key);
            out.push(spec(format!("{at}.name_zh"), Kind::Text));
            out.push(spec(format!("{at}.name_en"), Kind::Text));
            out.push(spec(format!("{at}.points"), Kind::Decimal));
            out.push(spec(format!("{at}.source"), Kind::Source));
            for level in ["excellent", "good", "fair", "poor"] {
                out.push(spec(format!("{at}.descriptors.{level}"), Kind::Text));
            }
        }
    }
    for level in ["excellent", "good", "fair", "poor"] {
        out.push(spec(format!("levels.{level}"), Kind::Decimal));
    }
    for g in &scheme.rater_groups {
        out.push(spec(format!("rater_groups.{}.weight", rater_code(g.kind)), Kind::Decimal));
    }
    out.push(spec("bonus_cap", Kind::Decimal));
    for band in ["good", "fairly_good", "average"] {
        out.push(spec(format!("quarter_bands.{band}"), Kind::Decimal));
    }
    for part in ["quarterly", "democratic", "leader"] {
        out.push(spec(format!("annual_formula.{part}"), Kind::Decimal));
    }
    for band in ["excellent_candidate", "competent", "basically_competent"] {
        out.push(spec(format!("annual_bands.{band}"), Kind::Decimal));
    }
    for quota in ["quarter_quota", "annual_quota"] {
        out.push(spec(format!("{quota}.rate"), Kind::Decimal));
        out.push(spec(format!("{quota}.approved_rate"), Kind::OptionalDecimal));
        out.push(spec(format!("{quota}.rounding"), Kind::Rounding));
        out.push(spec(format!("{quota}.minimum_one"), Kind::Flag));
        out.push(spec(format!("{quota}.leaders_apart"), Kind::Flag));
        out.push(spec(format!("{quota}.pool_below"), Kind::Count));
    }
    out.push(spec("rounding.places", Kind::Count));
    out.push(spec("rounding.rule", Kind::Rounding));
    for count in ["summary_max_chars", "min_group_ballots", "publicity_work_days"] {
        out.push(spec(count, Kind::Count));
    }
    out
}

/// A rater kind's serde code (`supervising_leader`).
pub fn rater_code(kind: RaterKind) -> String {
    code_of(&kind)
}

/// The choices of a select field as (code, label key); none for other kinds.
pub fn choices(kind: Kind) -> Vec<(String, &'static str)> {
    match kind {
        Kind::Rounding => Rounding::ALL.iter().map(|r| (code_of(r), r.label_key())).collect(),
        Kind::Source => CriterionSource::ALL.iter().map(|c| (code_of(c), c.label_key())).collect(),
        _ => Vec::new(),
    }
}

/// A value's serde name as text (`half_up` for `Rounding::HalfUp`).
pub fn code_of<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A list item's name in a path: its `key` or `kind` (as `diff` names them).
fn item_name(item: &Value) -> Option<&str> {
    item.get("key").or_else(|| item.get("kind")).and_then(Value::as_str)
}

fn slot<'a>(root: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut at = root;
    for segment in path.split('.') {
        at = match at {
            Value::Object(map) => map.get_mut(segment)?,
            Value::Array(items) => items.iter_mut().find(|i| item_name(i) == Some(segment))?,
            _ => return None,
        };
    }
    Some(at)
}

/// A JSON value as the form shows it.
fn shown(value: &Value, kind: Kind) -> String {
    match (value, kind) {
        (Value::Bool(on), _) => if *on { "on" } else { "" }.to_string(),
        (Value::Null, _) => String::new(),
        (Value::String(s), Kind::Decimal | Kind::OptionalDecimal) => {
            Decimal::from_str(s).map(|d| d.normalize().to_string()).unwrap_or_else(|_| s.clone())
        }
        (Value::String(s), _) => s.clone(),
        (other, _) => other.to_string(),
    }
}

/// The form's values for `scheme`, by field name.
pub fn values(scheme: &Scheme) -> BTreeMap<String, String> {
    let mut root = serde_json::to_value(scheme).unwrap_or(Value::Null);
    specs(scheme)
        .into_iter()
        .map(|s| {
            let value = slot(&mut root, &s.path).map(|v| shown(v, s.kind)).unwrap_or_default();
            (s.path, value)
        })
        .collect()
}

fn parse(text: Option<&String>, kind: Kind) -> Result<Option<Value>, FieldError> {
    let flag = kind == Kind::Flag;
    let Some(text) = text.map(|t| t.trim()) else {
        // An unticked box is absent from the form; any other absent field keeps its value.
        return Ok(flag.then_some(Value::Bool(false)));
    };
    let value = match kind {
        Kind::Flag => Value::Bool(!text.is_empty()),
        Kind::Text if text.is_empty() => return Err(FieldError::Required),
        Kind::Text => Value::String(text.to_string()),
        Kind::OptionalDecimal if text.is_empty() => Value::Null,
        Kind::Decimal | Kind::OptionalDecimal => {
            if text.is_empty() {
                return Err(FieldError::Required);
            }
            let d = Decimal::from_str(text).map_err(|_| FieldError::Invalid)?;
            Value::String(d.normalize().to_string())
        }
        Kind::Count => Value::from(text.parse::<u32>().map_err(|_| FieldError::Invalid)?),
        Kind::Rounding => {
            let rule = Rounding::ALL.into_iter().find(|r| code_of(r) == text).ok_or(FieldError::Invalid)?;
            Value::String(code_of(&rule))
        }
        Kind::Source => {
            let source = CriterionSource::ALL.into_iter().find(|c| code_of(c) == text).ok_or(FieldError::Invalid)?;
            Value::String(code_of(&source))
        }
    };
    Ok(Some(value))
}

/// `base` with the typed values applied; the fields that did not parse, with
/// their error (those keep the base's value, and the form shows the typing).
pub fn apply(base: &Scheme, typed: &BTreeMap<String, String>) -> (Scheme, BTreeMap<String, FieldError>) {
    let mut root = serde_json::to_value(base).unwrap_or(Value::Null);
    let mut errors = BTreeMap::new();
    for s in specs(base) {
        match parse(typed.get(&s.path), s.kind) {
            Ok(Some(value)) => {
                if let Some(slot) = slot(&mut root, &s.path) {
                    *slot = value;
                }
            }
            Ok(None) => {}
            Err(error) => {
                errors.insert(s.path, error);
            }
        }
    }
    let scheme = serde_json::from_value(root).unwrap_or_else(|_| base.clone());
    (scheme, errors)
}

/// The names of a dimension or criterion in the page's language.
fn local<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    if lang == Lang::En && !en.is_empty() { en } else { zh }
}

fn hyphens(code: &str) -> String {
    code.replace('_', "-")
}

/// A readable label of a path (`绩 › 目标完成 › 分值`): dimensions and criteria
/// by their names in the first of `schemes` that has them, rater groups and
/// levels by their labels, the rest by field labels.
pub fn path_label(lang: Lang, schemes: &[&Scheme], path: &str) -> String {
    let segments: Vec<&str> = path.split('.').collect();
    let mut parts = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        let parent = if i == 0 { "" } else { segments[i - 1] };
        let grandparent = if i < 2 { "" } else { segments[i - 2] };
        let part = match parent {
            "dimensions" => schemes
                .iter()
                .find_map(|s| s.dimensions.iter().find(|d| d.key == *segment))
                .map(|d| local(lang, &d.name_zh, &d.name_en).to_string()),
            "criteria" => schemes
                .iter()
                .find_map(|s| s.criteria().map(|(_, c)| c).find(|c| c.key == *segment))
                .map(|c| local(lang, &c.name_zh, &c.name_en).to_string()),
            "rater_groups" => Some(lang.t(&format!("assess-rater-{}", hyphens(segment)))),
            "levels" | "descriptors" => Some(lang.t(&format!("assess-level-{}", hyphens(segment)))),
            "quarter_bands" => Some(lang.t(&format!("grade-quarter-{}", hyphens(segment)))),
            "annual_formula" => Some(lang.t(&format!("assess-part-{}", hyphens(segment)))),
            "annual_bands" => Some(lang.t(&format!("scheme-band-{}", hyphens(segment)))),
            "tie_breaks" | "identity_types" => Some(format!("#{segment}")),
            _ if *segment == "criteria" && grandparent == "dimensions" => None,
            // A dimension or rater group is named by its own label.
            _ if matches!(*segment, "dimensions" | "rater_groups") && i + 1 < segments.len() => None,
            _ => Some(lang.t(&format!("scheme-field-{}", hyphens(segment)))),
        };
        parts.extend(part);
    }
    parts.join(" › ")
}

/// A changed value as the diff shows it: sources, rounding rules and yes/no
/// by their labels, anything else as stored.
pub fn value_label(lang: Lang, path: &str, value: &str) -> String {
    let last = path.rsplit('.').next().unwrap_or(path);
    let source = CriterionSource::ALL.into_iter().find(|s| code_of(s) == value);
    let rule = Rounding::ALL.into_iter().find(|r| code_of(r) == value);
    match (last, value) {
        ("source", _) if source.is_some() => source.map(|s| lang.t(s.label_key())).unwrap_or_default(),
        ("rule" | "rounding", _) if rule.is_some() => rule.map(|r| lang.t(r.label_key())).unwrap_or_default(),
        (_, "true") => lang.t("scheme-yes"),
        (_, "false") => lang.t("scheme-no"),
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::assessment::{TargetGroup, diff};

    #[test]
    fn the_form_shows_and_keeps_a_scheme_unchanged() {
        for scheme in [Scheme::default_staff(2026), Scheme::default_heads(2026)] {
            let shown = values(&scheme);
            let points = if scheme.target == TargetGroup::Staff { "25" } else { "10" };
            assert_eq!(shown["dimensions.ji.criteria.target_completion.points"], points);
            assert_eq!(shown["quarter_quota.minimum_one"], "on");
            assert_eq!(shown["annual_quota.minimum_one"], "");
            let (again, errors) = apply(&scheme, &shown);
            assert!(errors.is_empty(), "{errors:?}");
            assert_eq!(again, scheme);
        }
    }

    #[test]
    fn typed_numbers_replace_the_schemes_and_bad_ones_are_named() {
        let scheme = Scheme::default_staff(2026);
        let mut typed = values(&scheme);
        typed.insert("rater_groups.head.weight".into(), "0.5".into());
        typed.insert("bonus_cap".into(), "五".into());
        typed.insert("annual_quota.approved_rate".into(), String::new());
        typed.remove("quarter_quota.minimum_one");
        let (edited, errors) = apply(&scheme, &typed);
        assert_eq!(edited.rater_group(RaterKind::Head).unwrap().weight, Decimal::new(5, 1));
        assert_eq!(edited.bonus_cap, scheme.bonus_cap);
        assert_eq!(errors.get("bonus_cap"), Some(&FieldError::Invalid));
        assert_eq!(edited.annual_quota.approved_rate, None);
        assert!(!edited.quarter_quota.minimum_one);
        let problems = edited.validate();
        assert!(problems.iter().any(|p| p.field == "rater_groups"), "{problems:?}");
    }

    #[test]
    fn every_path_of_a_diff_and_every_field_has_a_readable_label() {
        let (staff, heads) = (Scheme::default_staff(2026), Scheme::default_heads(2027));
        let mut paths: Vec<String> = diff(&staff, &heads).into_iter().map(|c| c.path).collect();
        paths.extend(specs(&staff).into_iter().map(|s| s.path));
        paths.extend(specs(&heads).into_iter().map(|s| s.path));
        for lang in [Lang::ZhCn, Lang::En] {
            for path in &paths {
                let label = path_label(lang, &[&heads, &staff], path);
                assert!(
                    !label.contains("scheme-") && !label.contains("assess-") && !label.contains('_'),
                    "{path}: {label}"
                );
            }
        }
        assert_eq!(
            path_label(Lang::ZhCn, &[&staff], "dimensions.ji.criteria.target_completion.points"),
            "绩 › 目标完成 › 分值"
        );
    }
}

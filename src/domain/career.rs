//! What assessment needs to know of a person's career (docs/DOMAIN.md §2.6):
//! the rank as a structured value (track and tier, for quotas allocated by
//! category), the dates of the current rank and level, and probation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::validate::FieldError;

code_enum!(
    /// 领导职务 (a leading post) or 职级 (a rank level).
    RankTrack, "rank_track", "rank-track", { LeadingPost => "leading_post", RankLevel => "rank_level" }
);
code_enum!(
    /// The tier a rank belongs to, the category quotas are allocated by.
    RankTier, "rank_tier", "rank-tier", {
        Bureau => "bureau", Division => "division", Section => "section", Clerk => "clerk",
    }
);

impl RankTier {
    /// A leading cadre's tier (处级 and above): quotas may set them apart as a category.
    pub fn is_leading(self) -> bool {
        matches!(self, RankTier::Bureau | RankTier::Division)
    }
}

/// A person's career facts; every one optional (unknown until entered).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Career {
    pub rank_track: Option<RankTrack>,
    pub rank_tier: Option<RankTier>,
    pub rank_since: Option<NaiveDate>,
    pub level_since: Option<NaiveDate>,
    /// The day the current salary step (工资档次) began, where its counter starts (§19.6).
    pub step_since: Option<NaiveDate>,
    /// First and last day of probation (试用期), both or neither.
    pub probation: Option<(NaiveDate, NaiveDate)>,
}

/// The career fields as a form sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CareerInput<'a> {
    pub rank_track: &'a str,
    pub rank_tier: &'a str,
    pub rank_since: &'a str,
    pub level_since: &'a str,
    pub step_since: &'a str,
    pub probation_from: &'a str,
    pub probation_to: &'a str,
}

fn optional_date(text: &str) -> Result<Option<NaiveDate>, FieldError> {
    match text.trim() {
        "" => Ok(None),
        text => NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| FieldError::Invalid),
    }
}

fn optional_code<T>(text: &str, parse: fn(&str) -> Option<T>) -> Result<Option<T>, FieldError> {
    match text.trim() {
        "" => Ok(None),
        text => parse(text).map(Some).ok_or(FieldError::Invalid),
    }
}

/// The value of a field, or `None` with its error recorded.
fn keep<T>(
    errors: &mut Vec<(&'static str, FieldError)>,
    field: &'static str,
    result: Result<Option<T>, FieldError>,
) -> Option<T> {
    result.unwrap_or_else(|e| {
        errors.push((field, e));
        None
    })
}

impl Career {
    /// Checks the fields; each error is reported by its field name. Probation
    /// needs both days, the last not before the first.
    pub fn parse(input: &CareerInput<'_>) -> Result<Career, Vec<(&'static str, FieldError)>> {
        let mut errors = Vec::new();
        let rank_track = keep(&mut errors, "rank_track", optional_code(input.rank_track, RankTrack::parse));
        let rank_tier = keep(&mut errors, "rank_tier", optional_code(input.rank_tier, RankTier::parse));
        let rank_since = keep(&mut errors, "rank_since", optional_date(input.rank_since));
        let level_since = keep(&mut errors, "level_since", optional_date(input.level_since));
        let step_since = keep(&mut errors, "step_since", optional_date(input.step_since));
        let from = keep(&mut errors, "probation_from", optional_date(input.probation_from));
        let to = keep(&mut errors, "probation_to", optional_date(input.probation_to));
        let probation = match (from, to) {
            (Some(from), Some(to)) if from <= to => Some((from, to)),
            (Some(_), Some(_)) => {
                errors.push(("probation_to", FieldError::Invalid));
                None
            }
            (None, None) => None,
            (None, Some(_)) if input.probation_from.trim().is_empty() => {
                errors.push(("probation_from", FieldError::Required));
                None
            }
            (Some(_), None) if input.probation_to.trim().is_empty() => {
                errors.push(("probation_to", FieldError::Required));
                None
            }
            _ => None,
        };
        if errors.is_empty() {
            Ok(Career { rank_track, rank_tier, rank_since, level_since, step_since, probation })
        } else {
            Err(errors)
        }
    }

    /// Whether the person is on probation on any day of `first..=last`.
    pub fn on_probation_during(&self, first: NaiveDate, last: NaiveDate) -> bool {
        self.probation.is_some_and(|(from, to)| from <= last && to >= first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn empty_fields_are_unknown_and_typed_ones_are_kept() {
        assert_eq!(Career::parse(&CareerInput::default()), Ok(Career::default()));
        let input = CareerInput {
            rank_track: "rank_level",
            rank_tier: "section",
            rank_since: "2023-07-01",
            level_since: "2021-01-01",
            step_since: "2024-01-01",
            probation_from: "",
            probation_to: "",
        };
        let career = Career::parse(&input).unwrap();
        assert_eq!(career.rank_track, Some(RankTrack::RankLevel));
        assert_eq!(career.rank_tier, Some(RankTier::Section));
        assert_eq!(career.rank_since, Some(day("2023-07-01")));
        assert_eq!(career.step_since, Some(day("2024-01-01")));
    }

    #[test]
    fn probation_needs_both_days_in_order() {
        let input = |from, to| CareerInput { probation_from: from, probation_to: to, ..CareerInput::default() };
        assert_eq!(Career::parse(&input("2026-08-01", "")), Err(vec![("probation_to", FieldError::Required)]));
        assert_eq!(Career::parse(&input("", "2027-07-31")), Err(vec![("probation_from", FieldError::Required)]));
        assert_eq!(Career::parse(&input("2026-08-01", "2026-07-31")), Err(vec![("probation_to", FieldError::Invalid)]));
        assert_eq!(Career::parse(&input("2026-13-01", "")), Err(vec![("probation_from", FieldError::Invalid)]));
        let career = Career::parse(&input("2026-08-01", "2027-07-31")).unwrap();
        assert!(career.on_probation_during(day("2026-01-01"), day("2026-12-31")));
        assert!(career.on_probation_during(day("2027-07-31"), day("2027-12-31")));
        assert!(!career.on_probation_during(day("2027-08-01"), day("2027-12-31")));
        assert_eq!(
            Career::parse(&CareerInput { rank_tier: "general", ..CareerInput::default() }),
            Err(vec![("rank_tier", FieldError::Invalid)])
        );
    }

    #[test]
    fn every_track_and_tier_has_a_name_in_both_languages() {
        let keys = RankTrack::ALL.iter().map(|t| t.label_key()).chain(RankTier::ALL.iter().map(|t| t.label_key()));
        for key in keys {
            for lang in Lang::ALL {
                assert_ne!(lang.t(&key), key, "{lang:?} lacks {key}");
            }
        }
    }
}

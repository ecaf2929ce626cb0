//! Stage 3, assessing people (docs/DOMAIN.md §17): the scheme the performance
//! office configures (`scheme`), a person's score traced to its sources
//! (`score`), the grades and their names (`grade`), the eligibility gates
//! applied before the quota (`gates`), the allocation units (`units`) and
//! the quota per unit (`quota`) with how a unit's grades fall against it
//! (`distribution`), self-summaries with their review (`summary`), rater
//! tasks and ballots (`raters`) and paper ballots of a democratic evaluation
//! (`paper`). The department scorecard of §18.4 is `department`.
//!
//! Everything here is pure: storage keeps a `Scheme` as one JSON document and
//! a `ScoreBreakdown` as the frozen record of a computed score. Every score is
//! a `Decimal`, never a float.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

pub mod department;
pub mod distribution;
pub mod gates;
pub mod grade;
pub mod paper;
pub mod quota;
pub mod raters;
pub mod scheme;
pub mod score;
pub mod summary;
pub mod units;

pub use distribution::{Distribution, distribution};
pub use gates::{DisciplineRecord, GateEffect, GateInputs, GateOutcome, GateReason, Probation, apply_gates};
pub use grade::{AnnualGrade, DecidedGrade, GradeNames, QuarterGrade};
pub use quota::{Allocation, AnnualEntry, Placement, QuarterEntry, QuotaRule, allocate_annual, allocate_quarter};
pub use scheme::{
    AnnualBands, AnnualFormula, Change, Criterion, CriterionSource, Descriptors, Dimension, Level, LevelValues,
    Problem, QuarterBands, RaterGroup, RaterKind, Scheme, SchemeError, ScoreRounding, TargetGroup, TieBreak, diff,
};
pub use score::{
    AnnualBreakdown, AnnualInputs, AnnualPart, AnnualTerm, AutoInputs, Ballot, CriterionScore, GroupBallots,
    GroupResult, GroupSummary, QuarterInputs, QuarterResult, ScoreBreakdown, ScoreError, annual_score, group_summary,
    quarterly_score,
};
pub use units::{Member, UnitKind, UnitMembers, allocation_units};

/// How a number is brought to a given number of places (scores) or to a
/// whole number (quota counts). docs/DOMAIN.md §17.9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Towards the smaller number (去尾).
    Floor,
    /// To the nearest, a half going up (四舍五入).
    HalfUp,
    /// Towards the larger number (进一).
    Ceil,
}

impl Rounding {
    pub const ALL: [Rounding; 3] = [Rounding::Floor, Rounding::HalfUp, Rounding::Ceil];

    /// `value` with at most `places` decimal places.
    pub fn apply(self, value: Decimal, places: u32) -> Decimal {
        let strategy = match self {
            Rounding::Floor => RoundingStrategy::ToNegativeInfinity,
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::Ceil => RoundingStrategy::ToPositiveInfinity,
        };
        value.round_dp_with_strategy(places, strategy)
    }

    /// The locale key of the rule's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Rounding::Floor => "assess-rounding-floor",
            Rounding::HalfUp => "assess-rounding-half-up",
            Rounding::Ceil => "assess-rounding-ceil",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn rounding_rules_differ_only_off_the_grid() {
        assert_eq!(Rounding::Floor.apply(dec!(2.4), 0), dec!(2));
        assert_eq!(Rounding::HalfUp.apply(dec!(2.4), 0), dec!(2));
        assert_eq!(Rounding::Ceil.apply(dec!(2.4), 0), dec!(3));
        assert_eq!(Rounding::Floor.apply(dec!(2.5), 0), dec!(2));
        assert_eq!(Rounding::HalfUp.apply(dec!(2.5), 0), dec!(3));
        assert_eq!(Rounding::HalfUp.apply(dec!(89.995), 2), dec!(90.00));
        assert_eq!(Rounding::Floor.apply(dec!(89.999), 2), dec!(89.99));
        assert_eq!(Rounding::Ceil.apply(dec!(89.991), 2), dec!(90.00));
        // On the grid every rule keeps the value.
        for rule in Rounding::ALL {
            assert_eq!(rule.apply(dec!(3), 0), dec!(3));
            assert_eq!(rule.apply(dec!(88.25), 2), dec!(88.25));
        }
    }

    #[test]
    fn every_label_has_a_text_in_both_languages() {
        use crate::i18n::Lang;
        use fluent_templates::fluent_bundle::FluentValue;
        let mut keys: Vec<&str> = Rounding::ALL.iter().map(|r| r.label_key()).collect();
        keys.extend([TargetGroup::Staff, TargetGroup::DepartmentHeads].map(TargetGroup::label_key));
        keys.extend(Level::ALL.map(Level::label_key));
        keys.extend(CriterionSource::ALL.map(CriterionSource::label_key));
        keys.extend(RaterKind::ALL.map(RaterKind::label_key));
        keys.extend([AnnualPart::Quarterly, AnnualPart::Democratic, AnnualPart::Leader].map(AnnualPart::label_key));
        let sum = Problem::Sum { expected: Decimal::ONE, actual: Decimal::TWO };
        keys.extend(
            [
                Problem::Required,
                Problem::Duplicate,
                Problem::NotPositive,
                Problem::OutOfRange,
                sum,
                Problem::NotOrdered,
                Problem::Unknown,
            ]
            .iter()
            .map(Problem::label_key),
        );
        let criterion = String::from("service");
        keys.extend(
            [
                ScoreError::UnknownGroup(RaterKind::Head),
                ScoreError::DuplicateGroup(RaterKind::Head),
                ScoreError::IncompleteBallot { group: RaterKind::Head, criterion: criterion.clone() },
                ScoreError::UnknownCriterion { group: RaterKind::Head, criterion },
                ScoreError::NegativeLedger,
            ]
            .iter()
            .map(ScoreError::label_key),
        );
        keys.extend(
            [
                GateReason::ServiceEnded,
                GateReason::UnderInvestigation,
                GateReason::SanctionInForce(crate::domain::discipline::Measure::Demerit),
                GateReason::Probation,
                GateReason::SickAndPersonalLeave,
                GateReason::WarningInYear,
                GateReason::Accountability(crate::domain::discipline::Measure::Admonition),
                GateReason::LongLeave,
                GateReason::TooFewGoodQuarters,
                GateReason::WeakQuarter,
            ]
            .map(GateReason::label_key),
        );
        keys.extend(
            [GateEffect::NotAssessed, GateEffect::Pending, GateEffect::NoGrade, GateEffect::NoExcellent]
                .map(GateEffect::label_key),
        );
        keys.extend(QuarterGrade::ALL.map(QuarterGrade::label_key));
        for names in [GradeNames::CivilServant, GradeNames::Institution] {
            keys.extend(AnnualGrade::ALL.map(|g| g.label_key(names)));
        }
        // Every argument any of these messages takes.
        let args = [
            ("expected", FluentValue::from("100")),
            ("actual", FluentValue::from("102")),
            ("criterion", FluentValue::from("service")),
        ];
        for lang in Lang::ALL {
            for key in &keys {
                assert_ne!(lang.t_args(key, &args), *key, "{lang:?} lacks {key}");
            }
        }
        assert_eq!(Lang::ALL.len(), 2);
    }
}

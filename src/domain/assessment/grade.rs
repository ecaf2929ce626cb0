//! Grades: quarterly 好/较好/一般/较差 and annual 优秀/称职/基本称职/不称职/不定等次
//! (事业 staff: 优秀/合格/基本合格/不合格), and the bands that give them from a
//! score. docs/DOMAIN.md §17.6.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::scheme::{AnnualBands, QuarterBands};
use crate::domain::identity::IdentityType;

/// A quarterly (平时) grade, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuarterGrade {
    /// 好
    Good,
    /// 较好
    FairlyGood,
    /// 一般
    Average,
    /// 较差
    Poor,
}

impl QuarterGrade {
    pub const ALL: [QuarterGrade; 4] =
        [QuarterGrade::Good, QuarterGrade::FairlyGood, QuarterGrade::Average, QuarterGrade::Poor];

    /// The band a rounded score falls in: 好 from `good` (90), 较好 from
    /// `fairly_good` (80), 一般 from `average` (60), else 较差.
    pub fn from_score(score: Decimal, bands: &QuarterBands) -> QuarterGrade {
        if score >= bands.good {
            QuarterGrade::Good
        } else if score >= bands.fairly_good {
            QuarterGrade::FairlyGood
        } else if score >= bands.average {
            QuarterGrade::Average
        } else {
            QuarterGrade::Poor
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            QuarterGrade::Good => "grade-quarter-good",
            QuarterGrade::FairlyGood => "grade-quarter-fairly-good",
            QuarterGrade::Average => "grade-quarter-average",
            QuarterGrade::Poor => "grade-quarter-poor",
        }
    }
}

/// Which set of annual grade names applies: 事业 staff have their own names
/// for the same ranks (事业单位工作人员考核规定).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GradeNames {
    /// 优秀/称职/基本称职/不称职: civil servants, those managed as one, and
    /// service workers.
    CivilServant,
    /// 优秀/合格/基本合格/不合格: public institution staff.
    Institution,
}

impl GradeNames {
    pub fn of(identity: IdentityType) -> GradeNames {
        match identity {
            IdentityType::Institution => GradeNames::Institution,
            _ => GradeNames::CivilServant,
        }
    }
}

/// An annual grade, best first; `Ungraded` (不定等次) is no rank at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnualGrade {
    /// 优秀
    Excellent,
    /// 称职 (事业: 合格)
    Competent,
    /// 基本称职 (事业: 基本合格)
    BasicallyCompetent,
    /// 不称职 (事业: 不合格)
    Incompetent,
    /// 不定等次: a comment and no grade.
    Ungraded,
}

impl AnnualGrade {
    pub const ALL: [AnnualGrade; 5] = [
        AnnualGrade::Excellent,
        AnnualGrade::Competent,
        AnnualGrade::BasicallyCompetent,
        AnnualGrade::Incompetent,
        AnnualGrade::Ungraded,
    ];

    /// The band a rounded annual score falls in, before the quota: 称职 from
    /// `competent` (70), 基本称职 from `basically_competent` (60), else 不称职;
    /// a hard veto gives 不称职 whatever the score. 优秀 is never a band: it
    /// comes only from the quota (`quota::allocate_annual`).
    pub fn from_score(score: Decimal, bands: &AnnualBands, hard_veto: bool) -> AnnualGrade {
        if hard_veto {
            AnnualGrade::Incompetent
        } else if score >= bands.competent {
            AnnualGrade::Competent
        } else if score >= bands.basically_competent {
            AnnualGrade::BasicallyCompetent
        } else {
            AnnualGrade::Incompetent
        }
    }

    /// The locale key of the grade's name under the given names.
    pub fn label_key(self, names: GradeNames) -> &'static str {
        match (self, names) {
            (AnnualGrade::Excellent, _) => "grade-excellent",
            (AnnualGrade::Competent, GradeNames::CivilServant) => "grade-competent",
            (AnnualGrade::Competent, GradeNames::Institution) => "grade-competent-institution",
            (AnnualGrade::BasicallyCompetent, GradeNames::CivilServant) => "grade-basically-competent",
            (AnnualGrade::BasicallyCompetent, GradeNames::Institution) => "grade-basically-competent-institution",
            (AnnualGrade::Incompetent, GradeNames::CivilServant) => "grade-incompetent",
            (AnnualGrade::Incompetent, GradeNames::Institution) => "grade-incompetent-institution",
            (AnnualGrade::Ungraded, _) => "grade-ungraded",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::assessment::Scheme;
    use rust_decimal_macros::dec;

    #[test]
    fn quarterly_band_edges() {
        let bands = Scheme::default_staff(2026).quarter_bands;
        let grade = |s| QuarterGrade::from_score(s, &bands);
        // DOMAIN §5: 好 ≥ 90, 较好 80–89.99, 一般 60–79.99, 较差 < 60.
        assert_eq!(grade(dec!(100)), QuarterGrade::Good);
        assert_eq!(grade(dec!(90.00)), QuarterGrade::Good);
        assert_eq!(grade(dec!(89.99)), QuarterGrade::FairlyGood);
        assert_eq!(grade(dec!(80.00)), QuarterGrade::FairlyGood);
        assert_eq!(grade(dec!(79.99)), QuarterGrade::Average);
        assert_eq!(grade(dec!(60.00)), QuarterGrade::Average);
        assert_eq!(grade(dec!(59.99)), QuarterGrade::Poor);
        assert_eq!(grade(dec!(0)), QuarterGrade::Poor);
        // A score may pass 100 with a bonus, or fall below 0 with penalties.
        assert_eq!(grade(dec!(104.5)), QuarterGrade::Good);
        assert_eq!(grade(dec!(-3)), QuarterGrade::Poor);
    }

    #[test]
    fn annual_band_edges_and_the_hard_veto() {
        let bands = Scheme::default_staff(2026).annual_bands;
        let grade = |s| AnnualGrade::from_score(s, &bands, false);
        // DOMAIN §5: 称职 A ≥ 70; 基本称职 60–70; 不称职 < 60.
        assert_eq!(grade(dec!(98)), AnnualGrade::Competent, "优秀 only through the quota");
        assert_eq!(grade(dec!(70.00)), AnnualGrade::Competent);
        assert_eq!(grade(dec!(69.99)), AnnualGrade::BasicallyCompetent);
        assert_eq!(grade(dec!(60.00)), AnnualGrade::BasicallyCompetent);
        assert_eq!(grade(dec!(59.99)), AnnualGrade::Incompetent);
        assert_eq!(AnnualGrade::from_score(dec!(95), &bands, true), AnnualGrade::Incompetent);
    }

    #[test]
    fn institution_staff_read_other_names_for_the_same_ranks() {
        assert_eq!(GradeNames::of(IdentityType::Institution), GradeNames::Institution);
        for identity in [IdentityType::CivilServant, IdentityType::ManagedCivilServant, IdentityType::ServiceWorker] {
            assert_eq!(GradeNames::of(identity), GradeNames::CivilServant);
        }
        assert_eq!(AnnualGrade::Competent.label_key(GradeNames::CivilServant), "grade-competent");
        assert_eq!(AnnualGrade::Competent.label_key(GradeNames::Institution), "grade-competent-institution");
        assert_eq!(AnnualGrade::Excellent.label_key(GradeNames::Institution), "grade-excellent");
        assert!(AnnualGrade::Excellent < AnnualGrade::Competent, "better grades sort first");
    }
}

/// A grade as the committee decided it, of a quarterly or an annual cycle
/// (docs/DOMAIN.md §17.15); stored as JSON with its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "cycle", content = "grade")]
pub enum DecidedGrade {
    Quarter(QuarterGrade),
    Annual(AnnualGrade),
}

impl DecidedGrade {
    /// The locale key of the grade's name for a person of `identity`.
    pub fn label_key(self, identity: IdentityType) -> &'static str {
        match self {
            DecidedGrade::Quarter(g) => g.label_key(),
            DecidedGrade::Annual(g) => g.label_key(GradeNames::of(identity)),
        }
    }

    /// The top grade (好 or 优秀), the one published for objections.
    pub fn is_top(self) -> bool {
        matches!(self, DecidedGrade::Quarter(QuarterGrade::Good) | DecidedGrade::Annual(AnnualGrade::Excellent))
    }

    /// The grades of the same kind, for a committee that upholds an objection.
    pub fn alternatives(self) -> Vec<DecidedGrade> {
        match self {
            DecidedGrade::Quarter(_) => QuarterGrade::ALL.into_iter().map(DecidedGrade::Quarter).collect(),
            DecidedGrade::Annual(_) => AnnualGrade::ALL.into_iter().map(DecidedGrade::Annual).collect(),
        }
    }

    /// The code a form sends ("quarter:good", "annual:excellent").
    pub fn code(self) -> String {
        match self {
            DecidedGrade::Quarter(g) => format!(
                "quarter:{}",
                serde_json::to_value(g).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
            ),
            DecidedGrade::Annual(g) => format!(
                "annual:{}",
                serde_json::to_value(g).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
            ),
        }
    }

    pub fn parse(code: &str) -> Option<DecidedGrade> {
        let (kind, grade) = code.trim().split_once(':')?;
        let value = serde_json::Value::String(grade.to_string());
        match kind {
            "quarter" => serde_json::from_value(value).ok().map(DecidedGrade::Quarter),
            "annual" => serde_json::from_value(value).ok().map(DecidedGrade::Annual),
            _ => None,
        }
    }
}

#[cfg(test)]
mod decided_tests {
    use super::*;

    #[test]
    fn a_decided_grade_round_trips_through_its_code_and_knows_the_top_grade() {
        for grade in DecidedGrade::Annual(AnnualGrade::Competent)
            .alternatives()
            .into_iter()
            .chain(DecidedGrade::Quarter(QuarterGrade::Good).alternatives())
        {
            assert_eq!(DecidedGrade::parse(&grade.code()), Some(grade));
        }
        assert!(DecidedGrade::Quarter(QuarterGrade::Good).is_top());
        assert!(!DecidedGrade::Annual(AnnualGrade::Competent).is_top());
        assert_eq!(DecidedGrade::parse("annual:splendid"), None);
        assert_eq!(
            DecidedGrade::Annual(AnnualGrade::Competent).label_key(IdentityType::Institution),
            "grade-competent-institution"
        );
    }
}

//! A person's score, traced term by term: the quarterly score
//! Q = Σ criteria + min(bonus, cap) − penalties, and the annual score
//! A = 0.6·mean(Q) + 0.3·democratic + 0.1·leader evaluation.
//! docs/DOMAIN.md §17.4–§17.5.
//!
//! Arithmetic is exact in `Decimal`; each term is kept to ten places (a mean
//! of three ballots does not end) and only the total is rounded, by the
//! scheme's rule, so a breakdown shows what was really added up.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::scheme::{CriterionSource, Level, RaterGroup, RaterKind, Scheme, TieBreak};

/// Places every term keeps before the total is rounded.
const TERM_PLACES: u32 = 10;

fn term(value: Decimal) -> Decimal {
    value.round_dp(TERM_PLACES).normalize()
}

/// One rater's ballot: a level for every ballot criterion, by criterion key.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Ballot {
    pub levels: BTreeMap<String, Level>,
}

/// The ballots one rater group cast for one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupBallots {
    pub kind: RaterKind,
    pub ballots: Vec<Ballot>,
}

/// The automatic sources, each in percent (`None` while unknown): target
/// completion (§6.7, may pass 100), the department's, discipline
/// inspection's 廉 score out of 100, supervision on time / commitments kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AutoInputs {
    pub target_completion: Option<Decimal>,
    pub department_target_completion: Option<Decimal>,
    pub integrity: Option<Decimal>,
    pub supervision: Option<Decimal>,
}

impl AutoInputs {
    /// The supervision source (docs/DOMAIN.md §17.4): the percent of the
    /// items that fell due in the period that were reported done by their
    /// due day; 100 when none fell due (nothing was late).
    pub fn supervision_percent(due: i64, on_time: i64) -> Decimal {
        if due <= 0 {
            return Decimal::from(100);
        }
        Decimal::from(on_time.clamp(0, due) * 100) / Decimal::from(due)
    }

    fn get(&self, source: CriterionSource) -> Option<Decimal> {
        match source {
            CriterionSource::Ballot => None,
            CriterionSource::TargetCompletion => self.target_completion,
            CriterionSource::DepartmentTargetCompletion => self.department_target_completion,
            CriterionSource::Integrity => self.integrity,
            CriterionSource::Supervision => self.supervision,
        }
    }
}

/// Everything a quarterly score is computed from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QuarterInputs {
    pub groups: Vec<GroupBallots>,
    pub auto: AutoInputs,
    /// Accepted ledger bonuses of the period (§9.4), before the cap.
    pub bonus: Decimal,
    /// Accepted ledger penalties of the period, as a positive number.
    pub penalties: Decimal,
}

/// Why a score cannot be computed from the inputs given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreError {
    /// Ballots of a group the scheme does not have.
    UnknownGroup(RaterKind),
    /// The same group given twice.
    DuplicateGroup(RaterKind),
    /// A ballot without a level for this ballot criterion.
    IncompleteBallot { group: RaterKind, criterion: String },
    /// A ballot naming a criterion that is not a ballot criterion of the scheme.
    UnknownCriterion { group: RaterKind, criterion: String },
    /// A bonus or penalty total below zero.
    NegativeLedger,
}

impl ScoreError {
    /// The locale key of the message (`$group`, `$criterion` where they apply).
    pub fn label_key(&self) -> &'static str {
        match self {
            ScoreError::UnknownGroup(_) => "assess-score-unknown-group",
            ScoreError::DuplicateGroup(_) => "assess-score-duplicate-group",
            ScoreError::IncompleteBallot { .. } => "assess-score-incomplete-ballot",
            ScoreError::UnknownCriterion { .. } => "assess-score-unknown-criterion",
            ScoreError::NegativeLedger => "assess-score-negative-ledger",
        }
    }
}

/// One criterion's contribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionScore {
    pub dimension: String,
    pub criterion: String,
    pub source: CriterionSource,
    pub max_points: Decimal,
    /// What the source gave, out of 100 (ballots: the weighted mean level
    /// value; automatic: the percent, capped at 100); `None` when missing.
    pub value: Option<Decimal>,
    /// `max_points × value ÷ 100`, 0 when missing.
    pub points: Decimal,
}

/// One rater group's part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupResult {
    pub kind: RaterKind,
    /// The weight the scheme gives.
    pub weight: Decimal,
    /// The weight used: rescaled over the groups that count (0 if it does not).
    pub effective_weight: Decimal,
    pub ballots: usize,
    /// An anonymous group with fewer ballots than the minimum: its result is
    /// neither shown nor counted.
    pub withheld: bool,
    /// The group's mean ballot out of 100, criteria weighted by their points;
    /// `None` when it cast no ballot or is withheld.
    pub mean: Option<Decimal>,
}

impl GroupResult {
    pub fn counted(&self) -> bool {
        self.mean.is_some()
    }
}

/// A quarterly score, every term shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreBreakdown {
    pub criteria: Vec<CriterionScore>,
    pub groups: Vec<GroupResult>,
    /// Some group with a weight did not count, so the others were rescaled.
    pub renormalised: bool,
    /// The counted groups' weighted mean, out of 100 (a tie-break).
    pub rater_average: Option<Decimal>,
    pub criteria_total: Decimal,
    /// The ledger bonus as recorded, and as counted (at most the cap).
    pub bonus: Decimal,
    pub bonus_counted: Decimal,
    pub penalties: Decimal,
    /// Σ criteria + counted bonus − penalties, before rounding.
    pub exact_total: Decimal,
    /// The score, rounded as the scheme says.
    pub total: Decimal,
}

impl ScoreBreakdown {
    /// The points of one dimension (0 for a key the scheme lacks).
    pub fn dimension_points(&self, key: &str) -> Decimal {
        term(self.criteria.iter().filter(|c| c.dimension == key).map(|c| c.points).sum())
    }

    /// Criteria whose source gave nothing (a missing automatic input, or
    /// ballots not cast by any counted group).
    pub fn missing(&self) -> Vec<&str> {
        self.criteria.iter().filter(|c| c.value.is_none()).map(|c| c.criterion.as_str()).collect()
    }

    /// What a quarter hands to the annual score.
    pub fn quarter_result(&self) -> QuarterResult {
        let mut dimensions = BTreeMap::new();
        for c in &self.criteria {
            *dimensions.entry(c.dimension.clone()).or_insert(Decimal::ZERO) += c.points;
        }
        dimensions.values_mut().for_each(|points| *points = term(*points));
        QuarterResult { total: self.total, dimensions }
    }

    /// The values the scheme's tie-breaks compare, in its order.
    pub fn tie_break_values(&self, order: &[TieBreak]) -> Vec<Option<Decimal>> {
        order
            .iter()
            .map(|t| match t {
                TieBreak::Dimension(key) => Some(self.dimension_points(key)),
                TieBreak::RaterAverage => self.rater_average,
            })
            .collect()
    }
}

/// The groups' evaluation: each group's result, each ballot criterion's
/// combined value, and the combined average.
struct Evaluation {
    groups: Vec<GroupResult>,
    criteria: BTreeMap<String, Decimal>,
    average: Option<Decimal>,
    renormalised: bool,
}

/// Evaluates the ballots of the scheme's groups that `include` selects.
///
/// docs/DOMAIN.md §17.5: a group counts when it cast at least one ballot and,
/// if anonymous, at least `min_group_ballots`; below that its result is
/// withheld and, to keep the raters anonymous, not counted either (a counted
/// result could be worked back from the total). The weights of the groups
/// that count are rescaled to add up to 1: wᵢ ÷ Σ w of counted groups.
fn evaluate(
    scheme: &Scheme,
    inputs: &[GroupBallots],
    include: impl Fn(&RaterGroup) -> bool,
) -> Result<Evaluation, ScoreError> {
    for (i, given) in inputs.iter().enumerate() {
        if scheme.rater_group(given.kind).is_none() {
            return Err(ScoreError::UnknownGroup(given.kind));
        }
        if inputs[..i].iter().any(|g| g.kind == given.kind) {
            return Err(ScoreError::DuplicateGroup(given.kind));
        }
    }
    let ballot_criteria: Vec<(&str, Decimal)> = scheme.ballot_criteria().map(|c| (c.key.as_str(), c.points)).collect();
    let ballot_points: Decimal = ballot_criteria.iter().map(|(_, p)| *p).sum();

    // Per group: (scheme group, ballots, mean per criterion) for groups that count.
    let mut results = Vec::new();
    let mut counted: Vec<(Decimal, BTreeMap<&str, Decimal>, Decimal)> = Vec::new();
    for group in scheme.rater_groups.iter().filter(|g| include(g)) {
        let ballots = inputs.iter().find(|g| g.kind == group.kind).map(|g| g.ballots.as_slice()).unwrap_or(&[]);
        for ballot in ballots {
            if let Some(key) = ballot.levels.keys().find(|k| !ballot_criteria.iter().any(|(c, _)| c == k)) {
                return Err(ScoreError::UnknownCriterion { group: group.kind, criterion: key.clone() });
            }
            if let Some((key, _)) = ballot_criteria.iter().find(|(c, _)| !ballot.levels.contains_key(*c)) {
                return Err(ScoreError::IncompleteBallot { group: group.kind, criterion: key.to_string() });
            }
        }
        let n = ballots.len();
        let withheld = group.anonymous && n > 0 && n < scheme.min_group_ballots as usize;
        let mut mean = None;
        if n > 0 && !withheld {
            let means: BTreeMap<&str, Decimal> = ballot_criteria
                .iter()
                .map(|(key, _)| {
                    let sum: Decimal = ballots.iter().map(|b| scheme.levels.value(b.levels[*key])).sum();
                    (*key, sum / Decimal::from(n))
                })
                .collect();
            let group_mean = if ballot_points.is_zero() {
                Decimal::ZERO
            } else {
                ballot_criteria.iter().map(|(key, p)| means[key] * p).sum::<Decimal>() / ballot_points
            };
            mean = Some(term(group_mean));
            counted.push((group.weight, means, group_mean));
        }
        results.push(GroupResult {
            kind: group.kind,
            weight: group.weight,
            effective_weight: Decimal::ZERO,
            ballots: n,
            withheld,
            mean,
        });
    }

    let included: Decimal = results.iter().map(|g| g.weight).sum();
    let counted_weight: Decimal = counted.iter().map(|(w, _, _)| *w).sum();
    let renormalised = counted_weight != included;
    if counted_weight.is_zero() {
        return Ok(Evaluation { groups: results, criteria: BTreeMap::new(), average: None, renormalised });
    }
    for g in results.iter_mut().filter(|g| g.mean.is_some()) {
        g.effective_weight = term(g.weight / counted_weight);
    }
    // Divide once, last, so that exact inputs stay exact.
    let criteria = ballot_criteria
        .iter()
        .map(|(key, _)| {
            let sum: Decimal = counted.iter().map(|(w, means, _)| w * means[key]).sum();
            (key.to_string(), term(sum / counted_weight))
        })
        .collect();
    let average = counted.iter().map(|(w, _, mean)| w * mean).sum::<Decimal>() / counted_weight;
    Ok(Evaluation { groups: results, criteria, average: Some(term(average)), renormalised })
}

/// The quarterly (平时) score of one person under a scheme:
/// Q = Σ criteria + min(bonus, cap) − penalties, rounded as the scheme says.
pub fn quarterly_score(scheme: &Scheme, inputs: &QuarterInputs) -> Result<ScoreBreakdown, ScoreError> {
    if inputs.bonus.is_sign_negative() || inputs.penalties.is_sign_negative() {
        return Err(ScoreError::NegativeLedger);
    }
    let evaluation = evaluate(scheme, &inputs.groups, |_| true)?;
    let hundred = Decimal::ONE_HUNDRED;
    let criteria: Vec<CriterionScore> = scheme
        .criteria()
        .map(|(d, c)| {
            let value = match c.source {
                CriterionSource::Ballot => evaluation.criteria.get(&c.key).copied(),
                // A completion over 100 % earns the criterion's points, no more.
                source => inputs.auto.get(source).map(|v| v.max(Decimal::ZERO).min(hundred)),
            };
            CriterionScore {
                dimension: d.key.clone(),
                criterion: c.key.clone(),
                source: c.source,
                max_points: c.points,
                value,
                points: value.map_or(Decimal::ZERO, |v| term(c.points * v / hundred)),
            }
        })
        .collect();
    let criteria_total = term(criteria.iter().map(|c| c.points).sum());
    let bonus_counted = inputs.bonus.min(scheme.bonus_cap);
    let exact_total = term(criteria_total + bonus_counted - inputs.penalties);
    Ok(ScoreBreakdown {
        criteria,
        groups: evaluation.groups,
        renormalised: evaluation.renormalised,
        rater_average: evaluation.average,
        criteria_total,
        bonus: inputs.bonus,
        bonus_counted,
        penalties: inputs.penalties,
        exact_total,
        total: scheme.rounding.apply(exact_total),
    })
}

/// What the annual score takes from one quarter: its rounded total and the
/// points per dimension (for tie-breaks).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QuarterResult {
    pub total: Decimal,
    pub dimensions: BTreeMap<String, Decimal>,
}

/// Everything an annual score is computed from: the year's quarterly
/// results and the year-end ballots (民主测评 and the leaders' evaluation).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AnnualInputs {
    pub quarters: Vec<QuarterResult>,
    pub groups: Vec<GroupBallots>,
}

/// A part of the annual formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnualPart {
    /// The mean of the year's quarterly scores.
    Quarterly,
    /// The anonymous groups' evaluation (民主测评).
    Democratic,
    /// The named raters' evaluation (head and leaders, 评鉴).
    Leader,
}

impl AnnualPart {
    pub fn label_key(self) -> &'static str {
        match self {
            AnnualPart::Quarterly => "assess-part-quarterly",
            AnnualPart::Democratic => "assess-part-democratic",
            AnnualPart::Leader => "assess-part-leader",
        }
    }
}

/// One term of the annual formula.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualTerm {
    pub part: AnnualPart,
    /// The share the scheme gives, and the one used after rescaling.
    pub share: Decimal,
    pub effective_share: Decimal,
    /// The part's value out of 100, `None` when there is none.
    pub value: Option<Decimal>,
    pub points: Decimal,
}

/// An annual score, every term shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualBreakdown {
    pub terms: Vec<AnnualTerm>,
    /// The year-end groups (withheld ones included, without their mean).
    pub groups: Vec<GroupResult>,
    /// A part was missing (no quarter, no counted group), so the others were rescaled.
    pub renormalised: bool,
    /// All counted year-end groups' weighted mean (a tie-break).
    pub rater_average: Option<Decimal>,
    /// The mean points per dimension over the quarters (a tie-break).
    pub dimension_means: BTreeMap<String, Decimal>,
    pub exact_total: Decimal,
    pub total: Decimal,
}

impl AnnualBreakdown {
    /// The values the scheme's tie-breaks compare, in its order.
    pub fn tie_break_values(&self, order: &[TieBreak]) -> Vec<Option<Decimal>> {
        order
            .iter()
            .map(|t| match t {
                TieBreak::Dimension(key) => self.dimension_means.get(key).copied(),
                TieBreak::RaterAverage => self.rater_average,
            })
            .collect()
    }
}

/// The annual (年度) score: A = quarterly·mean(Q) + democratic·D +
/// leader·L with the scheme's shares (0.6/0.3/0.1). D is the anonymous
/// groups' combined mean, L the named groups' (head, leaders), each with the
/// scheme's weights rescaled among themselves; a part with no value leaves
/// the formula and the others are rescaled (docs/DOMAIN.md §17.4).
pub fn annual_score(scheme: &Scheme, inputs: &AnnualInputs) -> Result<AnnualBreakdown, ScoreError> {
    let all = evaluate(scheme, &inputs.groups, |_| true)?;
    let democratic = evaluate(scheme, &inputs.groups, |g| g.anonymous)?;
    let leader = evaluate(scheme, &inputs.groups, |g| !g.anonymous)?;

    let n = inputs.quarters.len();
    let quarterly = (n > 0).then(|| term(inputs.quarters.iter().map(|q| q.total).sum::<Decimal>() / Decimal::from(n)));
    let mut dimension_means = BTreeMap::new();
    if n > 0 {
        for q in &inputs.quarters {
            for (key, points) in &q.dimensions {
                *dimension_means.entry(key.clone()).or_insert(Decimal::ZERO) += points;
            }
        }
        for value in dimension_means.values_mut() {
            *value = term(*value / Decimal::from(n));
        }
    }

    let f = &scheme.annual_formula;
    let parts = [
        (AnnualPart::Quarterly, f.quarterly, quarterly),
        (AnnualPart::Democratic, f.democratic, democratic.average),
        (AnnualPart::Leader, f.leader, leader.average),
    ];
    let present: Decimal = parts.iter().filter(|(_, _, v)| v.is_some()).map(|(_, s, _)| *s).sum();
    let all_shares: Decimal = parts.iter().map(|(_, s, _)| *s).sum();
    let exact: Decimal = if present.is_zero() {
        Decimal::ZERO
    } else {
        parts.iter().filter_map(|(_, s, v)| v.map(|v| s * v)).sum::<Decimal>() / present
    };
    let terms = parts
        .iter()
        .map(|(part, share, value)| {
            let effective_share =
                if value.is_some() && !present.is_zero() { term(share / present) } else { Decimal::ZERO };
            AnnualTerm {
                part: *part,
                share: *share,
                effective_share,
                value: *value,
                points: match value {
                    Some(v) if !present.is_zero() => term(share * v / present),
                    _ => Decimal::ZERO,
                },
            }
        })
        .collect();
    let exact_total = term(exact);
    Ok(AnnualBreakdown {
        terms,
        groups: all.groups,
        renormalised: present != all_shares,
        rater_average: all.average,
        dimension_means,
        exact_total,
        total: scheme.rounding.apply(exact_total),
    })
}

/// One rater group's ballots about a person in aggregate: what the
/// democratic evaluation summary shows (docs/DOMAIN.md §17.5, §20.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSummary {
    pub ballots: usize,
    /// An anonymous group below the minimum: only its number of ballots is shown.
    pub withheld: bool,
    /// How many of the ballots' criterion marks gave each level (`Level::ALL`
    /// order; a ballot marks every ballot criterion); `None` when withheld.
    pub marks: Option<[usize; 4]>,
    /// The group's mean out of 100, as the score counts it; `None` when it
    /// cast no ballot or is withheld.
    pub mean: Option<Decimal>,
}

/// Summarises one group's ballots under the scheme: the number, the marks at
/// each level and the mean — never a ballot — and, for an anonymous group
/// below the minimum, the number alone, as the score withholds it.
pub fn group_summary(scheme: &Scheme, group: &GroupBallots) -> Result<GroupSummary, ScoreError> {
    let evaluation = evaluate(scheme, std::slice::from_ref(group), |g| g.kind == group.kind)?;
    let result = evaluation.groups.first().ok_or(ScoreError::UnknownGroup(group.kind))?;
    let marks = (!result.withheld).then(|| {
        let mut marks = [0; 4];
        for level in group.ballots.iter().flat_map(|b| b.levels.values()) {
            if let Some(i) = Level::ALL.iter().position(|l| l == level) {
                marks[i] += 1;
            }
        }
        marks
    });
    Ok(GroupSummary { ballots: result.ballots, withheld: result.withheld, marks, mean: result.mean })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::assessment::{QuarterGrade, Rounding};
    use rust_decimal_macros::dec;

    fn ballot(scheme: &Scheme, level: Level) -> Ballot {
        Ballot { levels: scheme.ballot_criteria().map(|c| (c.key.clone(), level)).collect() }
    }

    fn group(kind: RaterKind, ballots: Vec<Ballot>) -> GroupBallots {
        GroupBallots { kind, ballots }
    }

    fn auto(target: Decimal, integrity: Decimal) -> AutoInputs {
        AutoInputs { target_completion: Some(target), integrity: Some(integrity), ..AutoInputs::default() }
    }

    fn group_result(b: &ScoreBreakdown, kind: RaterKind) -> &GroupResult {
        b.groups.iter().find(|g| g.kind == kind).unwrap()
    }

    #[test]
    fn a_group_summary_counts_marks_per_level_and_means_as_the_score_does() {
        let s = Scheme::default_staff(2026);
        let ballots = vec![ballot(&s, Level::Excellent), ballot(&s, Level::Good), ballot(&s, Level::Good)];
        let democratic = group(RaterKind::Democratic, ballots);
        let summary = group_summary(&s, &democratic).unwrap();
        let criteria = s.ballot_criteria().count();
        assert_eq!(summary.ballots, 3);
        assert!(!summary.withheld);
        assert_eq!(summary.marks, Some([criteria, 2 * criteria, 0, 0]));
        let inputs = QuarterInputs { groups: vec![democratic], ..QuarterInputs::default() };
        let score = quarterly_score(&s, &inputs).unwrap();
        assert_eq!(summary.mean, group_result(&score, RaterKind::Democratic).mean);
        assert!(summary.mean.is_some());
    }

    #[test]
    fn a_group_summary_below_the_minimum_shows_only_its_number_of_ballots() {
        let s = Scheme::default_staff(2026);
        let two = group(RaterKind::Democratic, vec![ballot(&s, Level::Poor), ballot(&s, Level::Excellent)]);
        let summary = group_summary(&s, &two).unwrap();
        assert_eq!(summary, GroupSummary { ballots: 2, withheld: true, marks: None, mean: None });
        let none = group_summary(&s, &group(RaterKind::Democratic, Vec::new())).unwrap();
        assert_eq!(none, GroupSummary { ballots: 0, withheld: false, marks: Some([0; 4]), mean: None });
    }

    #[test]
    fn a_quarterly_score_adds_criteria_capped_bonus_and_penalties() {
        let s = Scheme::default_staff(2026);
        let inputs = QuarterInputs {
            groups: vec![
                group(RaterKind::Head, vec![ballot(&s, Level::Excellent)]),
                group(
                    RaterKind::Democratic,
                    vec![ballot(&s, Level::Good), ballot(&s, Level::Good), ballot(&s, Level::Fair)],
                ),
                group(RaterKind::SupervisingLeader, vec![ballot(&s, Level::Good)]),
            ],
            auto: auto(dec!(96), dec!(100)),
            bonus: dec!(6),
            penalties: dec!(1.5),
        };
        let b = quarterly_score(&s, &inputs).unwrap();
        // Groups: head 100, democratic (85 + 85 + 70) ÷ 3 = 80, leader 85.
        assert_eq!(group_result(&b, RaterKind::Head).mean, Some(dec!(100)));
        assert_eq!(group_result(&b, RaterKind::Democratic).mean, Some(dec!(80)));
        assert_eq!(group_result(&b, RaterKind::SupervisingLeader).mean, Some(dec!(85)));
        assert!(!b.renormalised);
        // Each ballot criterion: 0.6·100 + 0.3·80 + 0.1·85 = 92.5.
        assert_eq!(b.rater_average, Some(dec!(92.5)));
        let points = |key: &str| b.criteria.iter().find(|c| c.criterion == key).unwrap().points;
        // 政治立场与理论学习 8 × 92.5 % = 7.4; 目标完成 25 × 96 % = 24; 廉 10 × 100 % = 10.
        assert_eq!(points("political_study"), dec!(7.4));
        assert_eq!(points("target_completion"), dec!(24));
        assert_eq!(points("integrity"), dec!(10));
        // The 65 ballot points × 92.5 % = 60.125; + 24 + 10 = 94.125.
        assert_eq!(b.criteria_total, dec!(94.125));
        // Bonus 6 is capped at 5; Q = 94.125 + 5 − 1.5 = 97.625 → 97.63 (half up).
        assert_eq!((b.bonus, b.bonus_counted, b.penalties), (dec!(6), dec!(5), dec!(1.5)));
        assert_eq!(b.exact_total, dec!(97.625));
        assert_eq!(b.total, dec!(97.63));
        // 绩 = 24 + 8 × 92.5 % + 7 × 92.5 % = 24 + 7.4 + 6.475 = 37.875.
        assert_eq!(b.dimension_points("ji"), dec!(37.875));
        assert_eq!(b.tie_break_values(&s.tie_breaks), vec![Some(dec!(37.875)), Some(dec!(92.5))]);
        assert_eq!(b.missing(), Vec::<&str>::new());

        let mut floor = s.clone();
        floor.rounding.rule = Rounding::Floor;
        assert_eq!(quarterly_score(&floor, &inputs).unwrap().total, dec!(97.62));
    }

    #[test]
    fn a_group_mean_weighs_criteria_by_their_points() {
        let s = Scheme::default_staff(2026);
        // 德 (20 points) 优秀, the other 45 ballot points 良好:
        // (20 × 100 + 45 × 85) ÷ 65 = 5825 ÷ 65 = 89.6153846154.
        let mut head = ballot(&s, Level::Good);
        for key in ["political_study", "carrying_out_decisions", "ethics_and_conduct"] {
            head.levels.insert(key.into(), Level::Excellent);
        }
        let inputs = QuarterInputs { groups: vec![group(RaterKind::Head, vec![head])], ..QuarterInputs::default() };
        let b = quarterly_score(&s, &inputs).unwrap();
        assert_eq!(group_result(&b, RaterKind::Head).mean, Some(dec!(89.6153846154)));
        // Only the head voted: its weight 0.6 is rescaled to 1.
        assert!(b.renormalised);
        assert_eq!(group_result(&b, RaterKind::Head).effective_weight, dec!(1));
        // 20 + 45 × 85 % = 58.25 from ballots; no automatic inputs yet.
        assert_eq!(b.total, dec!(58.25));
        assert_eq!(b.missing(), vec!["target_completion", "integrity"]);
    }

    #[test]
    fn weights_are_rescaled_over_the_groups_that_voted() {
        let s = Scheme::default_staff(2026);
        let inputs = QuarterInputs {
            groups: vec![
                group(RaterKind::Head, vec![ballot(&s, Level::Excellent)]),
                group(RaterKind::SupervisingLeader, vec![ballot(&s, Level::Good)]),
            ],
            auto: auto(dec!(100), dec!(100)),
            ..QuarterInputs::default()
        };
        let b = quarterly_score(&s, &inputs).unwrap();
        // No democratic ballot: head 0.6 ÷ 0.7 = 0.857142…, leader 0.1 ÷ 0.7 = 0.142857….
        assert!(b.renormalised);
        assert_eq!(group_result(&b, RaterKind::Head).effective_weight, dec!(0.8571428571));
        assert_eq!(group_result(&b, RaterKind::SupervisingLeader).effective_weight, dec!(0.1428571429));
        let democratic = group_result(&b, RaterKind::Democratic);
        assert_eq!((democratic.ballots, democratic.mean, democratic.effective_weight), (0, None, dec!(0)));
        // (0.6 × 100 + 0.1 × 85) ÷ 0.7 = 68.5 ÷ 0.7 = 97.857142857…;
        // 65 × 97.857142857… % = 63.607142857…; + 25 + 10 = 98.607… → 98.61.
        assert_eq!(b.rater_average, Some(dec!(97.8571428571)));
        assert_eq!(b.total, dec!(98.61));
    }

    #[test]
    fn an_anonymous_group_below_the_minimum_is_withheld_and_not_counted() {
        let s = Scheme::default_staff(2026);
        let inputs = QuarterInputs {
            groups: vec![
                group(RaterKind::Head, vec![ballot(&s, Level::Good)]),
                group(RaterKind::Democratic, vec![ballot(&s, Level::Poor), ballot(&s, Level::Poor)]),
            ],
            auto: auto(dec!(100), dec!(100)),
            ..QuarterInputs::default()
        };
        let b = quarterly_score(&s, &inputs).unwrap();
        let democratic = group_result(&b, RaterKind::Democratic);
        assert!(democratic.withheld && !democratic.counted());
        assert_eq!((democratic.ballots, democratic.mean), (2, None));
        // Only the head counts: 65 × 85 % = 55.25; + 25 + 10 = 90.25.
        assert_eq!(b.total, dec!(90.25));
        // A third ballot reaches the minimum: 0.6 × 85 + 0.3 × 55 over 0.9
        // = (51 + 16.5) ÷ 0.9 = 75; 65 × 75 % = 48.75; + 35 = 83.75.
        let mut three = inputs.clone();
        three.groups[1].ballots.push(ballot(&s, Level::Poor));
        let b = quarterly_score(&s, &three).unwrap();
        assert_eq!(group_result(&b, RaterKind::Democratic).mean, Some(dec!(55)));
        assert_eq!(b.total, dec!(83.75));
        // A named group is never withheld, whatever its count.
        assert!(!group_result(&b, RaterKind::Head).withheld);
    }

    #[test]
    fn scores_at_the_band_edge_and_their_rounding() {
        let s = Scheme::default_staff(2026);
        let score = |scheme: &Scheme, target: Decimal| {
            let inputs = QuarterInputs {
                groups: vec![group(RaterKind::Head, vec![ballot(scheme, Level::Excellent)])],
                auto: auto(target, dec!(100)),
                ..QuarterInputs::default()
            };
            quarterly_score(scheme, &inputs).unwrap().total
        };
        let band = |total| QuarterGrade::from_score(total, &s.quarter_bands);
        // 65 (all 优秀) + 10 (廉) + 25 × completion.
        assert_eq!(score(&s, dec!(60)), dec!(90.00)); // 25 × 60 % = 15
        assert_eq!(band(score(&s, dec!(60))), QuarterGrade::Good);
        assert_eq!(score(&s, dec!(59.96)), dec!(89.99)); // 25 × 59.96 % = 14.99
        assert_eq!(band(score(&s, dec!(59.96))), QuarterGrade::FairlyGood);
        // 25 × 59.98 % = 14.995: 89.995 rounds half up to 90.00 (好), down to 89.99 (较好).
        assert_eq!(score(&s, dec!(59.98)), dec!(90.00));
        let mut floor = s.clone();
        floor.rounding.rule = Rounding::Floor;
        assert_eq!(score(&floor, dec!(59.98)), dec!(89.99));
        let mut ceil = s.clone();
        ceil.rounding.rule = Rounding::Ceil;
        assert_eq!(score(&ceil, dec!(59.97)), dec!(90.00)); // 89.9925 up
        // Completion over 100 % earns the criterion's points, no more.
        assert_eq!(score(&s, dec!(130)), dec!(100));
    }

    #[test]
    fn a_breakdown_is_kept_as_json_and_hands_its_quarter_on() {
        let s = Scheme::default_staff(2026);
        let inputs = QuarterInputs {
            groups: vec![group(RaterKind::Head, vec![ballot(&s, Level::Good)])],
            auto: auto(dec!(80), dec!(100)),
            ..QuarterInputs::default()
        };
        let b = quarterly_score(&s, &inputs).unwrap();
        let back: ScoreBreakdown = serde_json::from_str(&serde_json::to_string(&b).unwrap()).unwrap();
        assert_eq!(back, b);
        // Ballots 65 × 85 % = 55.25, target 25 × 80 % = 20, 廉 10: 85.25;
        // of which 绩 = 20 + (8 + 7) × 85 % = 20 + 12.75 = 32.75.
        let q = b.quarter_result();
        assert_eq!(q.total, dec!(85.25));
        assert_eq!(q.dimensions["ji"], dec!(32.75));
        assert_eq!(q.dimensions.values().copied().sum::<Decimal>(), dec!(85.25));
    }

    #[test]
    fn ballots_must_fit_the_scheme() {
        let s = Scheme::default_staff(2026);
        let mut partial = ballot(&s, Level::Good);
        partial.levels.remove("service");
        let inputs = QuarterInputs { groups: vec![group(RaterKind::Head, vec![partial])], ..QuarterInputs::default() };
        assert_eq!(
            quarterly_score(&s, &inputs),
            Err(ScoreError::IncompleteBallot { group: RaterKind::Head, criterion: "service".into() })
        );
        let mut extra = ballot(&s, Level::Good);
        extra.levels.insert("target_completion".into(), Level::Good);
        let inputs = QuarterInputs { groups: vec![group(RaterKind::Head, vec![extra])], ..QuarterInputs::default() };
        assert_eq!(
            quarterly_score(&s, &inputs),
            Err(ScoreError::UnknownCriterion { group: RaterKind::Head, criterion: "target_completion".into() })
        );
        let inputs = QuarterInputs {
            groups: vec![group(RaterKind::PrincipalLeader, vec![ballot(&s, Level::Good)])],
            ..QuarterInputs::default()
        };
        assert_eq!(quarterly_score(&s, &inputs), Err(ScoreError::UnknownGroup(RaterKind::PrincipalLeader)));
        let inputs = QuarterInputs {
            groups: vec![group(RaterKind::Head, vec![]), group(RaterKind::Head, vec![])],
            ..QuarterInputs::default()
        };
        assert_eq!(quarterly_score(&s, &inputs), Err(ScoreError::DuplicateGroup(RaterKind::Head)));
        let inputs = QuarterInputs { penalties: dec!(-1), ..QuarterInputs::default() };
        assert_eq!(quarterly_score(&s, &inputs), Err(ScoreError::NegativeLedger));
    }

    #[test]
    fn a_head_is_scored_with_department_targets_and_the_principal_leader() {
        let s = Scheme::default_heads(2026);
        let inputs = QuarterInputs {
            groups: vec![
                group(RaterKind::SupervisingLeader, vec![ballot(&s, Level::Excellent)]),
                group(RaterKind::PrincipalLeader, vec![ballot(&s, Level::Good)]),
                group(RaterKind::Democratic, vec![ballot(&s, Level::Good); 4]),
            ],
            auto: AutoInputs {
                target_completion: Some(dec!(100)),
                department_target_completion: Some(dec!(80)),
                integrity: Some(dec!(100)),
                supervision: None,
            },
            ..QuarterInputs::default()
        };
        let b = quarterly_score(&s, &inputs).unwrap();
        // 0.4 × 100 + 0.3 × 85 + 0.3 × 85 = 91; ballot points 65 × 91 % = 59.15;
        // 目标完成 10 + 处室目标完成 15 × 80 % = 12; 廉 10: 91.15.
        assert_eq!(b.rater_average, Some(dec!(91)));
        assert_eq!(b.total, dec!(91.15));
    }

    fn quarter(total: Decimal, ji: Decimal) -> QuarterResult {
        QuarterResult { total, dimensions: [("ji".to_string(), ji)].into_iter().collect() }
    }

    #[test]
    fn the_annual_score_is_the_formula_of_domain_section_five() {
        let s = Scheme::default_staff(2026);
        let inputs = AnnualInputs {
            quarters: vec![
                quarter(dec!(92), dec!(36)),
                quarter(dec!(88), dec!(35)),
                quarter(dec!(95), dec!(38)),
                quarter(dec!(90), dec!(37)),
            ],
            groups: vec![
                group(RaterKind::Head, vec![ballot(&s, Level::Excellent)]),
                group(RaterKind::Democratic, vec![ballot(&s, Level::Good); 3]),
            ],
        };
        let b = annual_score(&s, &inputs).unwrap();
        // mean(Q) = (92 + 88 + 95 + 90) ÷ 4 = 91.25; D = 85; L = the head's 100.
        // A = 0.6 × 91.25 + 0.3 × 85 + 0.1 × 100 = 54.75 + 25.5 + 10 = 90.25.
        let values: Vec<_> = b.terms.iter().map(|t| (t.part, t.value, t.points)).collect();
        assert_eq!(
            values,
            vec![
                (AnnualPart::Quarterly, Some(dec!(91.25)), dec!(54.75)),
                (AnnualPart::Democratic, Some(dec!(85)), dec!(25.5)),
                (AnnualPart::Leader, Some(dec!(100)), dec!(10)),
            ]
        );
        assert_eq!(b.total, dec!(90.25));
        assert!(!b.renormalised);
        // Tie-breaks: 绩 averaged over the quarters (36 + 35 + 38 + 37) ÷ 4 = 36.5;
        // the rater average (0.6 × 100 + 0.3 × 85) ÷ 0.9 = 85.5 ÷ 0.9 = 95.
        assert_eq!(b.tie_break_values(&s.tie_breaks), vec![Some(dec!(36.5)), Some(dec!(95))]);

        // Leaders combined by their weights: head 100 and leader 85 give
        // L = (60 + 8.5) ÷ 0.7 = 97.857142857…; A = 54.75 + 25.5 + 9.7857142857 = 90.0357… → 90.04.
        let mut with_leader = inputs.clone();
        with_leader.groups.push(group(RaterKind::SupervisingLeader, vec![ballot(&s, Level::Good)]));
        let b = annual_score(&s, &with_leader).unwrap();
        assert_eq!(b.terms[2].value, Some(dec!(97.8571428571)));
        assert_eq!(b.total, dec!(90.04));
    }

    #[test]
    fn a_missing_annual_part_leaves_the_formula_and_the_rest_is_rescaled() {
        let s = Scheme::default_staff(2026);
        let inputs = AnnualInputs {
            quarters: vec![quarter(dec!(92), dec!(36)), quarter(dec!(90.5), dec!(36))],
            // Two democratic ballots: withheld, so no democratic part.
            groups: vec![
                group(RaterKind::Head, vec![ballot(&s, Level::Excellent)]),
                group(RaterKind::Democratic, vec![ballot(&s, Level::Poor); 2]),
            ],
        };
        let b = annual_score(&s, &inputs).unwrap();
        // mean(Q) = 91.25; A = (0.6 × 91.25 + 0.1 × 100) ÷ 0.7 = 64.75 ÷ 0.7 = 92.5.
        assert!(b.renormalised);
        assert_eq!(b.terms[0].effective_share, dec!(0.8571428571));
        assert_eq!(b.terms[1].value, None);
        assert_eq!(b.terms[1].effective_share, dec!(0));
        assert_eq!(b.total, dec!(92.5));
        // Nothing at all gives 0, not a division by zero.
        let empty = annual_score(&s, &AnnualInputs::default()).unwrap();
        assert_eq!(empty.total, dec!(0));
    }

    #[test]
    fn supervision_on_time_is_a_percent_of_the_items_due_and_full_when_none_fell_due() {
        assert_eq!(AutoInputs::supervision_percent(0, 0), dec!(100));
        assert_eq!(AutoInputs::supervision_percent(4, 3), dec!(75));
        assert_eq!(AutoInputs::supervision_percent(3, 1).round_dp(2), dec!(33.33));
        assert_eq!(AutoInputs::supervision_percent(2, 5), dec!(100), "never above the items due");
    }
}

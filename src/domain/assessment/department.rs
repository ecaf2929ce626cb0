//! The department scorecard (处室考核): the year's department scheme with its
//! parts and weights, a department's score from the measures of its parts,
//! and the grades 优秀/良好/一般/较差 with the 优秀 ratio. docs/DOMAIN.md §18.4.

use std::cmp::Ordering;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Rounding;
use super::quota::QuotaRule;
use super::scheme::{Level, LevelValues, Problem, SchemeError, ScoreRounding};

/// A weighted part of the scorecard; each is measured out of 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// Weighted completion of the department's targets.
    Targets,
    /// Members' (and served bodies') satisfaction index.
    Satisfaction,
    /// The office leaders' evaluation (ballots).
    Leader,
    /// The other departments' evaluation (anonymous ballots).
    Peer,
    /// Supervision on time, commitments kept, work-system tasks on time.
    Efficiency,
}

impl Part {
    pub const ALL: [Part; 5] = [Part::Targets, Part::Satisfaction, Part::Leader, Part::Peer, Part::Efficiency];

    pub fn code(self) -> &'static str {
        match self {
            Part::Targets => "targets",
            Part::Satisfaction => "satisfaction",
            Part::Leader => "leader",
            Part::Peer => "peer",
            Part::Efficiency => "efficiency",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Part::Targets => "dept-part-targets",
            Part::Satisfaction => "dept-part-satisfaction",
            Part::Leader => "dept-part-leader",
            Part::Peer => "dept-part-peer",
            Part::Efficiency => "dept-part-efficiency",
        }
    }
}

/// Who rates departments: the office leaders, or the heads of the other departments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "department_rater_kind", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum RaterKind {
    Leader,
    Peer,
}

impl RaterKind {
    pub fn part(self) -> Part {
        match self {
            RaterKind::Leader => Part::Leader,
            RaterKind::Peer => Part::Peer,
        }
    }
}

/// The points of each part (summing to 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartPoints {
    pub targets: Decimal,
    pub satisfaction: Decimal,
    pub leader: Decimal,
    pub peer: Decimal,
    pub efficiency: Decimal,
}

impl PartPoints {
    pub fn of(&self, part: Part) -> Decimal {
        match part {
            Part::Targets => self.targets,
            Part::Satisfaction => self.satisfaction,
            Part::Leader => self.leader,
            Part::Peer => self.peer,
            Part::Efficiency => self.efficiency,
        }
    }

    pub fn set(&mut self, part: Part, value: Decimal) {
        match part {
            Part::Targets => self.targets = value,
            Part::Satisfaction => self.satisfaction = value,
            Part::Leader => self.leader = value,
            Part::Peer => self.peer = value,
            Part::Efficiency => self.efficiency = value,
        }
    }

    pub fn total(&self) -> Decimal {
        Part::ALL.iter().map(|p| self.of(*p)).sum()
    }
}

/// Where the grades start: 优秀 from `excellent` (within the quota), 良好
/// from `good`, 一般 from `fair`, 较差 below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentBands {
    pub excellent: Decimal,
    pub good: Decimal,
    pub fair: Decimal,
}

/// One year's department scheme, stored as one JSON document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentScheme {
    pub year: i32,
    pub parts: PartPoints,
    /// The most innovation/commendation bonus a department's score takes in.
    pub bonus_cap: Decimal,
    /// What a ballot level is worth, out of 100.
    pub levels: LevelValues,
    /// Fewest peer ballots for the peer part to be shown and counted.
    pub min_peer_ballots: u32,
    pub bands: DepartmentBands,
    /// 优秀 for at most this share of the graded departments.
    pub excellent_quota: QuotaRule,
    pub rounding: ScoreRounding,
    /// Work days the proposed 优秀 list stays published (公示).
    pub publicity_work_days: u32,
}

fn err(field: &str, problem: Problem) -> SchemeError {
    SchemeError { field: field.to_string(), problem }
}

impl DepartmentScheme {
    /// DOMAIN §5's defaults: targets 50, satisfaction 20, leaders 15, peers
    /// 10, efficiency 5, bonus up to 5; 优秀 for at most 30 %.
    pub fn default_for(year: i32) -> DepartmentScheme {
        DepartmentScheme {
            year,
            parts: PartPoints {
                targets: Decimal::from(50),
                satisfaction: Decimal::from(20),
                leader: Decimal::from(15),
                peer: Decimal::from(10),
                efficiency: Decimal::from(5),
            },
            bonus_cap: Decimal::from(5),
            levels: LevelValues {
                excellent: Decimal::from(100),
                good: Decimal::from(85),
                fair: Decimal::from(70),
                poor: Decimal::from(55),
            },
            min_peer_ballots: 3,
            bands: DepartmentBands { excellent: Decimal::from(90), good: Decimal::from(80), fair: Decimal::from(60) },
            excellent_quota: QuotaRule {
                rate: Decimal::new(30, 2),
                approved_rate: None,
                rounding: Rounding::Floor,
                minimum_one: false,
                leaders_apart: false,
                pool_below: 0,
            },
            rounding: ScoreRounding { places: 2, rule: Rounding::HalfUp },
            publicity_work_days: 5,
        }
    }

    /// Every problem of the scheme, each with the form field it concerns.
    pub fn validate(&self) -> Vec<SchemeError> {
        let zero = Decimal::ZERO;
        let hundred = Decimal::ONE_HUNDRED;
        let mut errors = Vec::new();
        if !(2000..=2100).contains(&self.year) {
            errors.push(err("year", Problem::OutOfRange));
        }
        for part in Part::ALL {
            let points = self.parts.of(part);
            if points < zero || points > hundred {
                errors.push(err(&format!("parts.{}", part.code()), Problem::OutOfRange));
            }
        }
        let total = self.parts.total();
        if total != hundred {
            errors.push(err("parts", Problem::Sum { expected: hundred, actual: total }));
        }
        if self.bonus_cap < zero || self.bonus_cap > Decimal::from(20) {
            errors.push(err("bonus_cap", Problem::OutOfRange));
        }
        let l = &self.levels;
        if [l.excellent, l.good, l.fair, l.poor].iter().any(|v| *v < zero || *v > hundred) {
            errors.push(err("levels", Problem::OutOfRange));
        } else if !(l.excellent > l.good && l.good > l.fair && l.fair > l.poor) {
            errors.push(err("levels", Problem::NotOrdered));
        }
        if self.min_peer_ballots == 0 || self.min_peer_ballots > 50 {
            errors.push(err("min_peer_ballots", Problem::OutOfRange));
        }
        let b = &self.bands;
        if [b.excellent, b.good, b.fair].iter().any(|v| *v < zero || *v > hundred + self.bonus_cap) {
            errors.push(err("bands", Problem::OutOfRange));
        } else if !(b.excellent > b.good && b.good > b.fair) {
            errors.push(err("bands", Problem::NotOrdered));
        }
        let rate = self.excellent_quota.rate;
        if rate <= zero || rate > Decimal::ONE {
            errors.push(err("excellent_quota.rate", Problem::OutOfRange));
        }
        if !(1..=30).contains(&self.publicity_work_days) {
            errors.push(err("publicity_work_days", Problem::OutOfRange));
        }
        if self.rounding.places > 4 {
            errors.push(err("rounding.places", Problem::OutOfRange));
        }
        errors
    }

    /// The band a score alone reaches.
    pub fn band(&self, score: Decimal) -> Level {
        if score >= self.bands.excellent {
            Level::Excellent
        } else if score >= self.bands.good {
            Level::Good
        } else if score >= self.bands.fair {
            Level::Fair
        } else {
            Level::Poor
        }
    }

    /// The mean value of ballots given as counts per level; none without ballots.
    pub fn ballot_mean(&self, counts: &[(Level, u32)]) -> Option<Decimal> {
        let n: u32 = counts.iter().map(|(_, c)| c).sum();
        (n > 0).then(|| {
            counts.iter().map(|(l, c)| self.levels.value(*l) * Decimal::from(*c)).sum::<Decimal>() / Decimal::from(n)
        })
    }
}

/// The measure of each part, out of 100; none when the part has nothing to
/// measure this year (no targets, satisfaction withheld, no ballots …).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measures {
    pub targets: Option<Decimal>,
    pub satisfaction: Option<Decimal>,
    pub leader: Option<Decimal>,
    pub peer: Option<Decimal>,
    pub efficiency: Option<Decimal>,
    /// Accepted bonus points of the year (before the cap).
    pub bonus: Decimal,
    /// Accepted penalty points of the year, as a positive number.
    pub penalties: Decimal,
}

impl Measures {
    pub fn of(&self, part: Part) -> Option<Decimal> {
        match part {
            Part::Targets => self.targets,
            Part::Satisfaction => self.satisfaction,
            Part::Leader => self.leader,
            Part::Peer => self.peer,
            Part::Efficiency => self.efficiency,
        }
    }
}

/// Efficiency: the mean of the shares (percent) that have something to
/// measure — supervision on time, commitments kept, work-system tasks on time.
pub fn efficiency(shares: &[Option<Decimal>]) -> Option<Decimal> {
    let known: Vec<Decimal> = shares.iter().flatten().copied().collect();
    (!known.is_empty()).then(|| known.iter().sum::<Decimal>() / Decimal::from(known.len()))
}

/// One part as scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartScore {
    pub part: Part,
    /// The scheme's points for the part.
    pub points: Decimal,
    /// The points after parts without a measure were left out and the rest
    /// scaled up to the same whole.
    pub weight: Decimal,
    pub measure: Option<Decimal>,
    /// `measure / 100 × weight`, unrounded; none when not measured.
    pub score: Option<Decimal>,
}

/// A department's score with every term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    pub parts: Vec<PartScore>,
    /// Whether some parts were left out and the rest scaled up.
    pub rescaled: bool,
    pub bonus: Decimal,
    /// The bonus as counted (at most the cap).
    pub bonus_counted: Decimal,
    pub penalties: Decimal,
    /// Σ parts + bonus counted − penalties, rounded; none when no part was measured.
    pub total: Option<Decimal>,
}

/// Scores a department: parts without a measure are left out and the
/// measured ones scaled up to the scheme's whole, so a department is not
/// marked down for what nobody could measure (docs/DOMAIN.md §18.4).
pub fn score(scheme: &DepartmentScheme, measures: &Measures) -> Scorecard {
    let whole = scheme.parts.total();
    let measured: Decimal = Part::ALL.iter().filter(|p| measures.of(**p).is_some()).map(|p| scheme.parts.of(*p)).sum();
    let factor = if measured > Decimal::ZERO { whole / measured } else { Decimal::ZERO };
    let parts: Vec<PartScore> = Part::ALL
        .iter()
        .map(|&part| {
            let points = scheme.parts.of(part);
            let measure = measures.of(part);
            let weight = if measure.is_some() { points * factor } else { Decimal::ZERO };
            PartScore { part, points, weight, measure, score: measure.map(|m| m / Decimal::ONE_HUNDRED * weight) }
        })
        .collect();
    let bonus_counted = measures.bonus.max(Decimal::ZERO).min(scheme.bonus_cap);
    let sum: Option<Decimal> = parts.iter().filter_map(|p| p.score).reduce(|a, b| a + b);
    Scorecard {
        rescaled: parts.iter().any(|p| p.points > Decimal::ZERO && p.measure.is_none()) && measured > Decimal::ZERO,
        parts,
        bonus: measures.bonus,
        bonus_counted,
        penalties: measures.penalties,
        total: sum.map(|s| scheme.rounding.apply(s + bonus_counted - measures.penalties)),
    }
}

/// One department in the year's grading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradingEntry {
    pub department_id: i64,
    pub total: Option<Decimal>,
    /// The targets part's score: the first tie-break.
    pub targets: Option<Decimal>,
}

/// Where one department ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentPlacement {
    pub department_id: i64,
    /// 1-based; none when not graded (no score).
    pub rank: Option<usize>,
    pub band: Option<Level>,
    pub grade: Option<Level>,
    /// Reached 优秀 by score but fell outside the quota (→ 良好).
    pub over_quota: bool,
}

/// The year's quota of 优秀 among `graded` departments.
pub fn excellent_quota(scheme: &DepartmentScheme, graded: usize) -> usize {
    scheme.excellent_quota.count(graded, false)
}

fn by_rank(a: &GradingEntry, b: &GradingEntry) -> Ordering {
    b.total.cmp(&a.total).then(b.targets.cmp(&a.targets)).then(a.department_id.cmp(&b.department_id))
}

/// Ranks the departments with a score, gives each its band, and lets the
/// 优秀 band keep 优秀 only within the quota, in rank order; those beyond it
/// become 良好. Departments without a score get no grade.
pub fn grade_departments(scheme: &DepartmentScheme, entries: &[GradingEntry]) -> Vec<DepartmentPlacement> {
    let mut graded: Vec<&GradingEntry> = entries.iter().filter(|e| e.total.is_some()).collect();
    graded.sort_by(|a, b| by_rank(a, b));
    let quota = excellent_quota(scheme, graded.len());
    let mut excellent_given = 0;
    let mut placements: Vec<DepartmentPlacement> = graded
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let total = e.total.unwrap_or_default();
            let band = scheme.band(total);
            let rank = graded.iter().position(|o| o.total == e.total).map_or(i, |p| p) + 1;
            let (grade, over_quota) = if band == Level::Excellent {
                if excellent_given < quota {
                    excellent_given += 1;
                    (Level::Excellent, false)
                } else {
                    (Level::Good, true)
                }
            } else {
                (band, false)
            };
            DepartmentPlacement {
                department_id: e.department_id,
                rank: Some(rank),
                band: Some(band),
                grade: Some(grade),
                over_quota,
            }
        })
        .collect();
    placements.extend(entries.iter().filter(|e| e.total.is_none()).map(|e| DepartmentPlacement {
        department_id: e.department_id,
        rank: None,
        band: None,
        grade: None,
        over_quota: false,
    }));
    placements
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn full() -> Measures {
        Measures {
            targets: Some(dec!(90)),
            satisfaction: Some(dec!(83.64)),
            leader: Some(dec!(92.5)),
            peer: Some(dec!(85)),
            efficiency: Some(dec!(100)),
            bonus: dec!(3),
            penalties: dec!(1),
        }
    }

    #[test]
    fn defaults_are_valid_and_sum_to_one_hundred() {
        let s = DepartmentScheme::default_for(2025);
        assert!(s.validate().is_empty(), "{:?}", s.validate());
        assert_eq!(s.parts.total(), dec!(100));
    }

    #[test]
    fn parts_must_sum_to_one_hundred_and_bands_go_down() {
        let mut s = DepartmentScheme::default_for(2025);
        s.parts.peer = dec!(15);
        s.bands.good = dec!(95);
        let fields: Vec<String> = s.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["parts", "bands"]);
    }

    #[test]
    fn every_part_scores_its_share() {
        // 45 + 16.728 + 13.875 + 8.5 + 5 + 3 − 1 = 91.103 → 91.10.
        let card = score(&DepartmentScheme::default_for(2025), &full());
        assert!(!card.rescaled);
        assert_eq!(card.parts[0].score, Some(dec!(45)));
        assert_eq!(card.parts[1].score, Some(dec!(16.728)));
        assert_eq!(card.total, Some(dec!(91.10)));
    }

    #[test]
    fn unmeasured_parts_are_left_out_and_the_rest_scaled_up() {
        // Peer withheld: the other 90 points scale to 100 (× 10/9).
        let measures = Measures { peer: None, bonus: dec!(0), penalties: dec!(0), ..full() };
        let card = score(&DepartmentScheme::default_for(2025), &measures);
        assert!(card.rescaled);
        let weights: Decimal = card.parts.iter().map(|p| p.weight).sum();
        assert_eq!(weights.round_dp(6), dec!(100));
        assert_eq!(card.parts[3].score, None);
    }

    #[test]
    fn bonus_is_capped_and_penalties_subtract() {
        let measures = Measures { bonus: dec!(8), penalties: dec!(2.5), ..full() };
        let card = score(&DepartmentScheme::default_for(2025), &measures);
        assert_eq!(card.bonus_counted, dec!(5));
        // 45 + 16.728 + 13.875 + 8.5 + 5 + 5 − 2.5 = 91.603 → 91.60.
        assert_eq!(card.total, Some(dec!(91.60)));
    }

    #[test]
    fn nothing_measured_gives_no_score() {
        let card = score(&DepartmentScheme::default_for(2025), &Measures::default());
        assert_eq!(card.total, None);
        assert!(!card.rescaled);
    }

    #[test]
    fn efficiency_is_the_mean_of_what_was_measured() {
        assert_eq!(efficiency(&[Some(dec!(100)), None, Some(dec!(80))]), Some(dec!(90)));
        assert_eq!(efficiency(&[None, None, None]), None);
    }

    #[test]
    fn ballots_average_their_level_values() {
        let s = DepartmentScheme::default_for(2025);
        assert_eq!(s.ballot_mean(&[(Level::Excellent, 3), (Level::Good, 1)]), Some(dec!(96.25)));
        assert_eq!(s.ballot_mean(&[]), None);
    }

    #[test]
    fn excellent_stays_within_thirty_percent() {
        // Ten departments, five reach the 优秀 band: floor(0.3 × 10) = 3 keep it.
        let s = DepartmentScheme::default_for(2025);
        let totals =
            [dec!(97), dec!(95), dec!(94), dec!(93), dec!(91), dec!(88), dec!(82), dec!(75), dec!(61), dec!(50)];
        let entries: Vec<GradingEntry> = totals
            .iter()
            .enumerate()
            .map(|(i, t)| GradingEntry { department_id: i as i64 + 1, total: Some(*t), targets: None })
            .collect();
        let placed = grade_departments(&s, &entries);
        let grades: Vec<Level> = placed.iter().map(|p| p.grade.unwrap()).collect();
        use Level::*;
        assert_eq!(grades, [Excellent, Excellent, Excellent, Good, Good, Good, Good, Fair, Fair, Poor]);
        assert!(placed[3].over_quota && placed[4].over_quota && !placed[5].over_quota);
    }

    #[test]
    fn ties_share_a_rank_and_targets_break_them_for_the_quota() {
        let s = DepartmentScheme::default_for(2025);
        let entries = [
            GradingEntry { department_id: 1, total: Some(dec!(95)), targets: Some(dec!(40)) },
            GradingEntry { department_id: 2, total: Some(dec!(95)), targets: Some(dec!(45)) },
            GradingEntry { department_id: 3, total: Some(dec!(70)), targets: None },
            GradingEntry { department_id: 4, total: None, targets: None },
        ];
        let placed = grade_departments(&s, &entries);
        // floor(0.3 × 3) = 0: nobody keeps 优秀.
        assert_eq!(placed[0].department_id, 2);
        assert_eq!((placed[0].rank, placed[1].rank), (Some(1), Some(1)));
        assert_eq!(placed[0].grade, Some(Level::Good));
        assert_eq!(
            placed[3],
            DepartmentPlacement { department_id: 4, rank: None, band: None, grade: None, over_quota: false }
        );
    }
}

//! Quotas per allocation unit (a department, small departments pooled, or a
//! category): how many top grades, who ranks first, and who drops a band.
//! docs/DOMAIN.md §17.8.

use std::cmp::Ordering;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use super::Rounding;
use super::gates::GateOutcome;
use super::grade::{AnnualGrade, QuarterGrade};
use super::scheme::Scheme;

/// How many top grades a unit gets: `rate × base`, rounded by `rounding`,
/// at least one if `minimum_one` (and the unit is not empty), never more
/// than the base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaRule {
    pub rate: Decimal,
    /// The higher rate allowed with a recorded approval (25 % for 优秀).
    pub approved_rate: Option<Decimal>,
    pub rounding: Rounding,
    pub minimum_one: bool,
    /// The leading cadres (heads, bureau and division tiers) form one
    /// office-wide unit of their own (`units::allocation_units`).
    #[serde(default)]
    pub leaders_apart: bool,
    /// Departments with fewer people than this share one pooled unit (0: never).
    #[serde(default)]
    pub pool_below: u32,
}

impl QuotaRule {
    /// The quota for `base` people; `approved` uses the approved rate when
    /// the rule has one.
    pub fn count(&self, base: usize, approved: bool) -> usize {
        if base == 0 {
            return 0;
        }
        let rate = if approved { self.approved_rate.unwrap_or(self.rate) } else { self.rate };
        let raw = self.rounding.apply(rate * Decimal::from(base), 0).to_usize().unwrap_or(0);
        let count = if self.minimum_one { raw.max(1) } else { raw };
        count.min(base)
    }
}

/// One person of a unit in a quarterly allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterEntry {
    pub person_id: i64,
    /// The rounded quarterly score.
    pub score: Decimal,
    /// `ScoreBreakdown::tie_break_values` in the scheme's order.
    pub tie_breaks: Vec<Option<Decimal>>,
}

/// One person of a unit in an annual allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualEntry {
    pub person_id: i64,
    /// The rounded annual score.
    pub score: Decimal,
    pub tie_breaks: Vec<Option<Decimal>>,
    pub gates: GateOutcome,
    /// A hard veto (一票否决): 不称职 whatever the score.
    pub hard_veto: bool,
}

/// Where one person ended up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement<G> {
    pub person_id: i64,
    /// Rank in the unit by score, then the tie-breaks; equal people share a rank.
    pub rank: usize,
    /// The grade the score alone gives.
    pub band: G,
    /// The computed grade, after gates and quota.
    pub grade: G,
    /// A candidate for the top grade who is over the quota and dropped a band.
    pub over_quota: bool,
}

/// A unit's allocation: "used `used` of `quota`", over `base` people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation<G> {
    pub base: usize,
    pub quota: usize,
    pub used: usize,
    /// The last person within the quota and the first over it are equal in
    /// score and every tie-break: the order between them is only the input
    /// order, and the committee must decide.
    pub tie_at_cut: bool,
    /// In rank order.
    pub placements: Vec<Placement<G>>,
}

/// Higher first, a missing value last.
fn compare(a: (&Decimal, &[Option<Decimal>]), b: (&Decimal, &[Option<Decimal>])) -> Ordering {
    b.0.cmp(a.0).then_with(|| b.1.cmp(a.1))
}

struct Row<G> {
    person_id: i64,
    score: Decimal,
    tie_breaks: Vec<Option<Decimal>>,
    band: G,
    /// Within the unit's base.
    in_base: bool,
    /// Eligible for the top grade (its band, gates and veto allow it).
    candidate: bool,
    /// The grade when cut from the quota.
    cut_to: G,
}

fn allocate<G: Copy>(mut rows: Vec<Row<G>>, rule: &QuotaRule, approved: bool, top: G) -> Allocation<G> {
    // A stable sort keeps the input order between full ties.
    rows.sort_by(|a, b| compare((&a.score, &a.tie_breaks), (&b.score, &b.tie_breaks)));
    let base = rows.iter().filter(|r| r.in_base).count();
    let quota = rule.count(base, approved);
    let mut placements = Vec::with_capacity(rows.len());
    let mut used = 0;
    let mut last_kept: Option<usize> = None;
    let mut tie_at_cut = false;
    for (i, row) in rows.iter().enumerate() {
        let rank = match i {
            0 => 1,
            _ if compare((&rows[i - 1].score, &rows[i - 1].tie_breaks), (&row.score, &row.tie_breaks))
                == Ordering::Equal =>
            {
                placements.last().map_or(1, |p: &Placement<G>| p.rank)
            }
            _ => i + 1,
        };
        let (grade, over_quota) = if !row.candidate {
            (row.band, false)
        } else if used < quota {
            used += 1;
            last_kept = Some(i);
            (top, false)
        } else {
            if let Some(k) = last_kept
                && used == quota
                && !placements.iter().any(|p: &Placement<G>| p.over_quota)
            {
                tie_at_cut =
                    compare((&rows[k].score, &rows[k].tie_breaks), (&row.score, &row.tie_breaks)) == Ordering::Equal;
            }
            (row.cut_to, true)
        };
        placements.push(Placement { person_id: row.person_id, rank, band: row.band, grade, over_quota });
    }
    Allocation { base, quota, used, tie_at_cut, placements }
}

/// The quarterly allocation of a unit: 好 for at most the quota
/// (max(floor(0.4·n), 1) by default) of those whose score reaches the 好
/// band, in rank order; the others in that band drop to 较好.
pub fn allocate_quarter(scheme: &Scheme, entries: &[QuarterEntry]) -> Allocation<QuarterGrade> {
    let rows = entries
        .iter()
        .map(|e| {
            let band = QuarterGrade::from_score(e.score, &scheme.quarter_bands);
            Row {
                person_id: e.person_id,
                score: e.score,
                tie_breaks: e.tie_breaks.clone(),
                band,
                in_base: true,
                candidate: band == QuarterGrade::Good,
                cut_to: QuarterGrade::FairlyGood,
            }
        })
        .collect();
    allocate(rows, &scheme.quarter_quota, false, QuarterGrade::Good)
}

/// The annual allocation of a unit: people with no grade, a waiting result
/// or not assessed get 不定等次 and leave the base; the others get their
/// band; 优秀 goes, in rank order, to at most the quota (floor(0.2·n) by
/// default, the approved rate if `approved`) of those whose gates allow it,
/// without a veto, scoring at least the 优秀 candidate line; the others of
/// them stay 称职.
pub fn allocate_annual(scheme: &Scheme, entries: &[AnnualEntry], approved: bool) -> Allocation<AnnualGrade> {
    let rows = entries
        .iter()
        .map(|e| {
            let graded = e.gates.in_quota_base();
            let band = if graded {
                AnnualGrade::from_score(e.score, &scheme.annual_bands, e.hard_veto)
            } else {
                AnnualGrade::Ungraded
            };
            Row {
                person_id: e.person_id,
                score: e.score,
                tie_breaks: e.tie_breaks.clone(),
                band,
                in_base: graded,
                candidate: graded
                    && e.gates.may_be_excellent()
                    && band == AnnualGrade::Competent
                    && e.score >= scheme.annual_bands.excellent_candidate,
                cut_to: band,
            }
        })
        .collect();
    allocate(rows, &scheme.annual_quota, approved, AnnualGrade::Excellent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::assessment::gates::GateReason;
    use rust_decimal_macros::dec;

    fn counts(rule: &QuotaRule, approved: bool) -> Vec<usize> {
        (1..=12).map(|n| rule.count(n, approved)).collect()
    }

    #[test]
    fn the_quarterly_quota_is_forty_percent_rounded_down_but_at_least_one() {
        let rule = Scheme::default_staff(2026).quarter_quota;
        // max(floor(0.4·n), 1): 0.4 → 1, 0.8 → 1, 1.2 → 1, 1.6 → 1, 2, 2.4 → 2,
        // 2.8 → 2, 3.2 → 3, 3.6 → 3, 4, 4.4 → 4, 4.8 → 4.
        assert_eq!(counts(&rule, false), vec![1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4]);
        assert_eq!(rule.count(0, false), 0, "an empty unit gets nothing, minimum or not");
    }

    #[test]
    fn the_excellent_quota_is_twenty_percent_rounded_down_and_may_be_zero() {
        let rule = Scheme::default_staff(2026).annual_quota;
        // floor(0.2·n): 0.2 … 0.8 → 0 (a unit of 4 gets none), 1 … 1.8 → 1, 2 … 2.4 → 2.
        assert_eq!(counts(&rule, false), vec![0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2]);
        // With a recorded approval, floor(0.25·n): 4 → 1, 8 → 2, 12 → 3.
        assert_eq!(counts(&rule, true), vec![0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3]);
        assert_eq!(rule.count(0, true), 0);
    }

    #[test]
    fn the_rounding_rule_and_the_minimum_change_the_counts() {
        let base = Scheme::default_staff(2026).annual_quota;
        let half_up = QuotaRule { rounding: Rounding::HalfUp, ..base };
        // 0.2·n half up: 0.6 → 1 (n = 3), 1.4 → 1 (n = 7), 1.6 → 2 (n = 8), 2.4 → 2.
        assert_eq!(counts(&half_up, false), vec![0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
        let ceil = QuotaRule { rounding: Rounding::Ceil, ..base };
        assert_eq!(counts(&ceil, false), vec![1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3]);
        let at_least_one = QuotaRule { minimum_one: true, ..base };
        assert_eq!(counts(&at_least_one, false), vec![1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2]);
        // Never more than the people there are.
        let all = QuotaRule { rate: dec!(1), rounding: Rounding::Ceil, ..base };
        assert_eq!(counts(&all, false), (1..=12).collect::<Vec<_>>());
        // Without an approved rate, an approval changes nothing.
        let plain = QuotaRule { approved_rate: None, ..base };
        assert_eq!(counts(&plain, true), counts(&plain, false));
    }

    fn q(person_id: i64, score: Decimal, ji: Decimal, average: Decimal) -> QuarterEntry {
        QuarterEntry { person_id, score, tie_breaks: vec![Some(ji), Some(average)] }
    }

    fn grades<G: Copy>(a: &Allocation<G>) -> Vec<(i64, G)> {
        a.placements.iter().map(|p| (p.person_id, p.grade)).collect()
    }

    #[test]
    fn those_over_the_good_quota_drop_to_fairly_good() {
        use QuarterGrade::*;
        let s = Scheme::default_staff(2026);
        let unit = [
            q(1, dec!(90.00), dec!(36), dec!(90)),
            q(2, dec!(95), dec!(38), dec!(95)),
            q(3, dec!(89.99), dec!(35), dec!(90)),
            q(4, dec!(93), dec!(37), dec!(92)),
            q(5, dec!(91), dec!(36), dec!(91)),
        ];
        let a = allocate_quarter(&s, &unit);
        // Five people: max(floor(2.0), 1) = 2. Four reach 好 (95, 93, 91, 90.00);
        // 95 and 93 keep it, 91 and 90.00 drop to 较好; 89.99 was 较好 anyway.
        assert_eq!((a.base, a.quota, a.used, a.tie_at_cut), (5, 2, 2, false));
        assert_eq!(grades(&a), vec![(2, Good), (4, Good), (5, FairlyGood), (1, FairlyGood), (3, FairlyGood)]);
        let over: Vec<_> = a.placements.iter().filter(|p| p.over_quota).map(|p| p.person_id).collect();
        assert_eq!(over, vec![5, 1]);
        assert_eq!(a.placements[2].band, Good);
        assert_eq!(a.placements.iter().map(|p| p.rank).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
    }

    #[test]
    fn a_unit_of_one_or_two_still_gets_one_good() {
        use QuarterGrade::*;
        let s = Scheme::default_staff(2026);
        let a = allocate_quarter(&s, &[q(1, dec!(92), dec!(36), dec!(92))]);
        assert_eq!((a.quota, a.used), (1, 1));
        assert_eq!(grades(&a), vec![(1, Good)]);
        let a = allocate_quarter(&s, &[q(1, dec!(92), dec!(36), dec!(92)), q(2, dec!(94), dec!(36), dec!(92))]);
        assert_eq!(grades(&a), vec![(2, Good), (1, FairlyGood)]);
        // Nobody in the 好 band: the quota stays unused.
        let a = allocate_quarter(&s, &[q(1, dec!(85), dec!(36), dec!(85))]);
        assert_eq!((a.quota, a.used), (1, 0));
        assert_eq!(grades(&a), vec![(1, FairlyGood)]);
    }

    #[test]
    fn ties_break_on_achievement_then_the_rater_average() {
        use QuarterGrade::*;
        let s = Scheme::default_staff(2026);
        // Three people, quota max(floor(1.2), 1) = 1, all on 92.
        let a = allocate_quarter(
            &s,
            &[
                q(1, dec!(92), dec!(36), dec!(95)),
                q(2, dec!(92), dec!(37), dec!(90)),
                q(3, dec!(92), dec!(36), dec!(96)),
            ],
        );
        // 绩 37 beats 36; between the two on 36, the rater average 96 beats 95.
        assert_eq!(grades(&a), vec![(2, Good), (3, FairlyGood), (1, FairlyGood)]);
        assert_eq!(a.placements.iter().map(|p| p.rank).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert!(!a.tie_at_cut);
        // The scheme's order decides: the rater average first now.
        let mut by_average = s.clone();
        by_average.tie_breaks.reverse();
        let entries: Vec<_> = [(1, dec!(36), dec!(95)), (2, dec!(37), dec!(90)), (3, dec!(36), dec!(96))]
            .into_iter()
            .map(|(id, ji, avg)| QuarterEntry { person_id: id, score: dec!(92), tie_breaks: vec![Some(avg), Some(ji)] })
            .collect();
        assert_eq!(grades(&allocate_quarter(&by_average, &entries))[0], (3, Good));
    }

    #[test]
    fn a_full_tie_at_the_cut_is_flagged_for_the_committee() {
        use QuarterGrade::*;
        let s = Scheme::default_staff(2026);
        let a = allocate_quarter(
            &s,
            &[
                q(7, dec!(92), dec!(36), dec!(92)),
                q(8, dec!(92), dec!(36), dec!(92)),
                q(9, dec!(80), dec!(30), dec!(80)),
            ],
        );
        // Equal in every respect: the same rank, input order between them, and a flag.
        assert_eq!(a.placements.iter().map(|p| p.rank).collect::<Vec<_>>(), vec![1, 1, 3]);
        assert_eq!(grades(&a), vec![(7, Good), (8, FairlyGood), (9, FairlyGood)]);
        assert!(a.tie_at_cut);
        // A missing tie-break value ranks after any value.
        let a = allocate_quarter(
            &s,
            &[
                QuarterEntry { person_id: 1, score: dec!(92), tie_breaks: vec![None, None] },
                q(2, dec!(92), dec!(0), dec!(0)),
            ],
        );
        assert_eq!(grades(&a), vec![(2, Good), (1, FairlyGood)]);
    }

    fn a(person_id: i64, score: Decimal) -> AnnualEntry {
        AnnualEntry {
            person_id,
            score,
            tie_breaks: vec![Some(dec!(36)), Some(dec!(90))],
            gates: GateOutcome::default(),
            hard_veto: false,
        }
    }

    fn gated(person_id: i64, score: Decimal, reason: GateReason) -> AnnualEntry {
        AnnualEntry { gates: GateOutcome { reasons: vec![reason] }, ..a(person_id, score) }
    }

    #[test]
    fn a_unit_of_four_has_no_excellent() {
        use AnnualGrade::*;
        let s = Scheme::default_staff(2026);
        let unit: Vec<_> = (1..=4).map(|i| a(i, Decimal::from(90 - i))).collect();
        let alloc = allocate_annual(&s, &unit, false);
        // floor(0.2 × 4) = floor(0.8) = 0: "优秀 0 of 0 used"; the best stays 称职.
        assert_eq!((alloc.base, alloc.quota, alloc.used), (4, 0, 0));
        assert!(alloc.placements.iter().all(|p| p.grade == Competent));
        assert!(alloc.placements.iter().all(|p| p.over_quota));
        // With the 25 % approval: floor(1.0) = 1.
        let alloc = allocate_annual(&s, &unit, true);
        assert_eq!((alloc.quota, alloc.used), (1, 1));
        assert_eq!(grades(&alloc)[0], (1, Excellent));
    }

    #[test]
    fn gated_people_leave_the_base_or_lose_the_chance_of_excellent() {
        use AnnualGrade::*;
        let s = Scheme::default_staff(2026);
        let unit = vec![
            gated(1, dec!(99), GateReason::WarningInYear),
            a(2, dec!(95)),
            gated(3, dec!(94), GateReason::Probation),
            a(4, dec!(93)),
            a(5, dec!(80)),
            AnnualEntry { hard_veto: true, ..a(6, dec!(92)) },
            a(7, dec!(69.99)),
            a(8, dec!(59.99)),
            gated(9, dec!(91), GateReason::UnderInvestigation),
            gated(10, dec!(90), GateReason::SanctionInForce(crate::domain::discipline::Measure::Demerit)),
            a(11, dec!(88)),
            a(12, dec!(87)),
        ];
        let alloc = allocate_annual(&s, &unit, false);
        // Twelve people, three without a grade (probation, investigation, 记过):
        // base 9, floor(0.2 × 9) = floor(1.8) = 1.
        assert_eq!((alloc.base, alloc.quota, alloc.used), (9, 1, 1));
        assert_eq!(
            grades(&alloc),
            vec![
                (1, Competent), // 99, but a warning in the year
                (2, Excellent), // the best who may be 优秀
                (3, Ungraded),
                (4, Competent),   // over the quota
                (6, Incompetent), // the veto
                (9, Ungraded),
                (10, Ungraded),
                (11, Competent),
                (12, Competent),
                (5, Competent),
                (7, BasicallyCompetent), // 69.99 < 70
                (8, Incompetent),        // 59.99 < 60
            ]
        );
        let over: Vec<_> = alloc.placements.iter().filter(|p| p.over_quota).map(|p| p.person_id).collect();
        assert_eq!(over, vec![4, 11, 12, 5]);
    }

    #[test]
    fn the_excellent_candidate_line_can_sit_above_competent() {
        use AnnualGrade::*;
        let mut s = Scheme::default_staff(2026);
        s.annual_bands.excellent_candidate = dec!(85);
        let unit: Vec<_> = (1..=5).map(|i| a(i, dec!(84.99))).collect();
        let alloc = allocate_annual(&s, &unit, false);
        // Quota floor(1.0) = 1 but nobody reaches 85: none used.
        assert_eq!((alloc.quota, alloc.used), (1, 0));
        assert!(alloc.placements.iter().all(|p| p.grade == Competent && !p.over_quota));
    }
}

//! Quotas per allocation unit (a department, small departments pooled, or a
//! category): how many top grades, who ranks first, and who drops a band.
//! docs/DOMAIN.md §17.8.

use std::cmp::Ordering;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use super::Rounding;
use super::gates::{GateEffect, GateOutcome};
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
            debug_assert!(graded || e.gates.effect() != Some(GateEffect::NoExcellent));
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

//! The four-stage dashboard (docs/DOMAIN.md §20.6): for each department and
//! for the office, the measures by which the office judges each stage, named
//! by the quality words of the office's performance system — plan: complete
//! (完整); monitor: comprehensive (全面), strong (有力), effective (有效);
//! assess: true (真实), concise (简明), useful (管用); feedback: fast (快速),
//! accurate (准确), timely (及时). Pure: the figures come in counted, the
//! shares and totals are worked out here.

use rust_decimal::Decimal;

use crate::domain::boards::share;

/// The counts of one department (or of the office, summed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageCounts {
    // Plan (the plan-and-monitor cycle).
    pub plan_participants: i64,
    pub plans_approved: i64,
    // Monitor (the same cycle).
    pub targets: i64,
    pub targets_reported: i64,
    pub reports_overdue: i64,
    pub open_red: i64,
    pub open_yellow: i64,
    pub open_blue: i64,
    pub slips_answered_in_time: i64,
    pub slips_answer_decided: i64,
    // Assess (the assessment cycle).
    pub assess_participants: i64,
    pub summaries_in: i64,
    pub ratings_done: i64,
    pub ratings_total: i64,
    pub results: i64,
    // Feedback (the assessment cycle's results).
    pub notices_in_time: i64,
    pub notices_late: i64,
    pub notices_signed: i64,
    pub results_corrected: i64,
    pub appeals_in_time: i64,
    pub appeals_late: i64,
    pub appeals_overdue: i64,
    pub rectification_in_time: i64,
    pub rectification_late: i64,
    pub rectification_overdue: i64,
}

impl StageCounts {
    /// The office's totals: every count summed.
    pub fn sum<'a>(lines: impl IntoIterator<Item = &'a StageCounts>) -> StageCounts {
        lines.into_iter().fold(StageCounts::default(), |mut total, line| {
            total.add(line);
            total
        })
    }

    fn add(&mut self, other: &StageCounts) {
        self.plan_participants += other.plan_participants;
        self.plans_approved += other.plans_approved;
        self.targets += other.targets;
        self.targets_reported += other.targets_reported;
        self.reports_overdue += other.reports_overdue;
        self.open_red += other.open_red;
        self.open_yellow += other.open_yellow;
        self.open_blue += other.open_blue;
        self.slips_answered_in_time += other.slips_answered_in_time;
        self.slips_answer_decided += other.slips_answer_decided;
        self.assess_participants += other.assess_participants;
        self.summaries_in += other.summaries_in;
        self.ratings_done += other.ratings_done;
        self.ratings_total += other.ratings_total;
        self.results += other.results;
        self.notices_in_time += other.notices_in_time;
        self.notices_late += other.notices_late;
        self.notices_signed += other.notices_signed;
        self.results_corrected += other.results_corrected;
        self.appeals_in_time += other.appeals_in_time;
        self.appeals_late += other.appeals_late;
        self.appeals_overdue += other.appeals_overdue;
        self.rectification_in_time += other.rectification_in_time;
        self.rectification_late += other.rectification_late;
        self.rectification_overdue += other.rectification_overdue;
    }

    /// 完整: participants whose plan is approved.
    pub fn complete(&self) -> Option<Decimal> {
        share(self.plans_approved, self.plan_participants)
    }

    /// 全面: targets reported for the latest due period.
    pub fn comprehensive(&self) -> Option<Decimal> {
        share(self.targets_reported, self.targets)
    }

    /// 有效: slips answered by their answer date, of those whose answer is in.
    pub fn effective(&self) -> Option<Decimal> {
        share(self.slips_answered_in_time, self.slips_answer_decided)
    }

    /// 真实: participants whose self-summary is in (submitted or accepted).
    pub fn summaries(&self) -> Option<Decimal> {
        share(self.summaries_in, self.assess_participants)
    }

    /// 简明: rating tasks done.
    pub fn ratings(&self) -> Option<Decimal> {
        share(self.ratings_done, self.ratings_total)
    }

    /// 管用: participants with a decided result.
    pub fn decided(&self) -> Option<Decimal> {
        share(self.results, self.assess_participants)
    }

    /// 快速: notices issued within their work-day limit.
    pub fn fast(&self) -> Option<Decimal> {
        share(self.notices_in_time, self.notices_in_time + self.notices_late)
    }

    /// 准确: results that stood as decided (not corrected by an objection, review or appeal).
    pub fn accurate(&self) -> Option<Decimal> {
        share(self.results - self.results_corrected, self.results)
    }

    /// 及时: reviews and appeals decided within their clocks.
    pub fn appeals_timely(&self) -> Option<Decimal> {
        share(self.appeals_in_time, self.appeals_in_time + self.appeals_late)
    }

    /// 及时: rectification items closed by their due date.
    pub fn rectification_timely(&self) -> Option<Decimal> {
        share(self.rectification_in_time, self.rectification_in_time + self.rectification_late)
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn the_office_total_sums_every_department() {
        let first = StageCounts {
            plan_participants: 4,
            plans_approved: 3,
            targets: 10,
            targets_reported: 9,
            ..Default::default()
        };
        let second = StageCounts {
            plan_participants: 6,
            plans_approved: 6,
            targets: 10,
            targets_reported: 5,
            ..Default::default()
        };
        let total = StageCounts::sum([&first, &second]);
        assert_eq!(total.plan_participants, 10);
        assert_eq!(total.complete(), Some(dec!(90)));
        assert_eq!(total.comprehensive(), Some(dec!(70)));
    }

    #[test]
    fn a_measure_without_anything_to_count_is_no_share_not_zero() {
        let empty = StageCounts::default();
        assert_eq!(empty.complete(), None);
        assert_eq!(empty.fast(), None);
        assert_eq!(empty.accurate(), None);
    }

    #[test]
    fn accuracy_is_the_share_of_results_that_stood() {
        let counts = StageCounts { results: 20, results_corrected: 1, ..Default::default() };
        assert_eq!(counts.accurate(), Some(dec!(95)));
    }

    #[test]
    fn timeliness_counts_only_what_is_decided_or_closed() {
        let counts = StageCounts {
            appeals_in_time: 3,
            appeals_late: 1,
            appeals_overdue: 5,
            rectification_in_time: 1,
            rectification_late: 1,
            rectification_overdue: 2,
            ..Default::default()
        };
        assert_eq!(counts.appeals_timely(), Some(dec!(75)));
        assert_eq!(counts.rectification_timely(), Some(dec!(50)));
    }
}

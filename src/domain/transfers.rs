//! Where a person spent an assessment period (docs/DOMAIN.md §2.7): a person
//! transferred during the period is assessed by the department they are in at
//! its end, and a former department that held them for more than a share of
//! the period (a setting: half) is asked for its opinion.

use chrono::{Days, NaiveDate};

/// A person's department from `from_day` on, until their next entry; `None`
/// as the day: since before any recorded change; `None` as the department: none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatedDepartment {
    pub from_day: Option<NaiveDate>,
    pub department_id: Option<i64>,
}

/// A person's departments over one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodDepartments {
    /// The department on the period's last day, or on the day the facts are
    /// read when that is earlier: the one that assesses (调入单位).
    pub at_end: Option<i64>,
    /// Days of the period spent in each department, in the order they were
    /// first held; days without a department (or before joining) are not counted.
    pub days: Vec<(i64, i64)>,
    /// The period's length in days, both ends included.
    pub period_days: i64,
}

impl PeriodDepartments {
    /// A department other than `at_end` that held the person for more than
    /// `percent` of the period (the `transfer_consult_percent` setting, 50:
    /// more than half): its opinion is sought (征求原单位意见).
    pub fn former_holding(&self, percent: u32) -> Option<i64> {
        let share = |count: i64| count * 100 > self.period_days * i64::from(percent);
        self.days.iter().find(|(d, count)| Some(*d) != self.at_end && share(*count)).map(|(d, _)| *d)
    }
}

/// The person's departments over the period `start..=end` from their dated
/// departments (in any order), as known on `as_of`: entries after
/// `min(end, as_of)` are not yet in force, so the department of that day
/// holds for the rest of the period.
pub fn over_period(
    history: &[DatedDepartment],
    start: NaiveDate,
    end: NaiveDate,
    as_of: NaiveDate,
) -> PeriodDepartments {
    let last = end.min(as_of);
    let mut known: Vec<DatedDepartment> =
        history.iter().copied().filter(|h| h.from_day.is_none_or(|d| d <= last)).collect();
    // `None` (since always) sorts first.
    known.sort_by_key(|h| h.from_day);
    let on = |day: NaiveDate| -> Option<i64> {
        known.iter().rev().find(|h| h.from_day.is_none_or(|d| d <= day)).and_then(|h| h.department_id)
    };
    let mut days: Vec<(i64, i64)> = Vec::new();
    let mut day = start;
    while day <= end {
        if let Some(department) = on(day) {
            match days.iter_mut().find(|(d, _)| *d == department) {
                Some((_, count)) => *count += 1,
                None => days.push((department, 1)),
            }
        }
        let Some(next) = day.checked_add_days(Days::new(1)) else { break };
        day = next;
    }
    let period_days = if end < start { 0 } else { (end - start).num_days() + 1 };
    let at_end = on(last);
    PeriodDepartments { at_end, days, period_days }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RESEARCH: i64 = 1;
    const GENERAL: i64 = 2;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn moved_on(on: NaiveDate) -> Vec<DatedDepartment> {
        vec![
            DatedDepartment { from_day: None, department_id: Some(RESEARCH) },
            DatedDepartment { from_day: Some(on), department_id: Some(GENERAL) },
        ]
    }

    #[test]
    fn a_move_on_the_first_of_july_leaves_the_former_department_181_of_365_days() {
        // 2026 has 365 days; January to June: 31 + 28 + 31 + 30 + 31 + 30 = 181.
        let year = over_period(&moved_on(day(2026, 7, 1)), day(2026, 1, 1), day(2026, 12, 31), day(2027, 1, 10));
        assert_eq!(year.at_end, Some(GENERAL));
        assert_eq!(year.period_days, 365);
        assert_eq!(year.days, vec![(RESEARCH, 181), (GENERAL, 184)]);
        // 2 × 181 = 362 is not more than 365.
        assert_eq!(year.former_holding(50), None);
    }

    #[test]
    fn the_former_department_holds_more_than_half_from_183_days_of_365() {
        let period = |on| over_period(&moved_on(on), day(2026, 1, 1), day(2026, 12, 31), day(2026, 12, 31));
        // Moved on 2 July: 182 days before (2 × 182 = 364 ≤ 365).
        assert_eq!(period(day(2026, 7, 2)).days, vec![(RESEARCH, 182), (GENERAL, 183)]);
        assert_eq!(period(day(2026, 7, 2)).former_holding(50), None);
        // Moved on 3 July: 183 days before (2 × 183 = 366 > 365).
        assert_eq!(period(day(2026, 7, 3)).days, vec![(RESEARCH, 183), (GENERAL, 182)]);
        assert_eq!(period(day(2026, 7, 3)).former_holding(50), Some(RESEARCH));
    }

    #[test]
    fn exactly_half_a_quarter_is_not_more_than_half() {
        // The third quarter has 31 + 31 + 30 = 92 days. Moved on 16 August:
        // 31 (July) + 15 (1–15 August) = 46 days before, exactly half.
        let q3 = |on| over_period(&moved_on(on), day(2026, 7, 1), day(2026, 9, 30), day(2026, 10, 8));
        assert_eq!(q3(day(2026, 8, 16)).days, vec![(RESEARCH, 46), (GENERAL, 46)]);
        assert_eq!(q3(day(2026, 8, 16)).former_holding(50), None);
        // With a share of 40 %: 46 × 100 = 4600 > 92 × 40 = 3680; the department at the end never counts.
        assert_eq!(q3(day(2026, 8, 16)).former_holding(40), Some(RESEARCH));
        // Moved on 17 August: 47 days before.
        assert_eq!(q3(day(2026, 8, 17)).days, vec![(RESEARCH, 47), (GENERAL, 45)]);
        assert_eq!(q3(day(2026, 8, 17)).former_holding(50), Some(RESEARCH));
    }

    #[test]
    fn read_before_the_period_ends_the_department_of_that_day_holds_for_the_rest() {
        // Read on 20 September, a move dated 25 September is not yet in force:
        // the whole quarter (92 days) counts for the research office.
        let q3 = over_period(&moved_on(day(2026, 9, 25)), day(2026, 7, 1), day(2026, 9, 30), day(2026, 9, 20));
        assert_eq!(q3.at_end, Some(RESEARCH));
        assert_eq!(q3.days, vec![(RESEARCH, 92)]);
        assert_eq!(q3.former_holding(50), None);
    }

    #[test]
    fn days_before_joining_or_without_a_department_count_for_no_department() {
        // Joined the general office on 1 August: 31 + 30 = 61 days of 92, no former department.
        let joined = [DatedDepartment { from_day: Some(day(2026, 8, 1)), department_id: Some(GENERAL) }];
        let q3 = over_period(&joined, day(2026, 7, 1), day(2026, 9, 30), day(2026, 9, 30));
        assert_eq!((q3.at_end, q3.days.clone(), q3.former_holding(50)), (Some(GENERAL), vec![(GENERAL, 61)], None));
        // Unsorted entries; a spell without a department from 1 to 10 September (10 days):
        // research 1 July – 31 August (62 days) is more than half of 92 though the person ends with none.
        let history = [
            DatedDepartment { from_day: Some(day(2026, 9, 1)), department_id: None },
            DatedDepartment { from_day: None, department_id: Some(RESEARCH) },
            DatedDepartment { from_day: Some(day(2026, 9, 11)), department_id: Some(GENERAL) },
        ];
        let q3 = over_period(&history, day(2026, 7, 1), day(2026, 9, 30), day(2026, 9, 30));
        assert_eq!(q3.at_end, Some(GENERAL));
        assert_eq!(q3.days, vec![(RESEARCH, 62), (GENERAL, 20)]);
        assert_eq!(q3.former_holding(50), Some(RESEARCH));
    }
}

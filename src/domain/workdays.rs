//! Work days: Monday to Friday, except the office calendar's public holidays,
//! plus its swapped working days (调休). Every "N work days" deadline of the
//! product goes through this module.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// What the calendar says about a day, overriding the weekday rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "day_kind", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday (or a bridging day off) on what would be a work day.
    Holiday,
    /// A swapped working day (调休) on a weekend.
    Workday,
}

impl DayKind {
    pub fn code(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    pub fn parse(text: &str) -> Option<DayKind> {
        [DayKind::Holiday, DayKind::Workday].into_iter().find(|k| k.code() == text.trim())
    }

    pub fn label_key(self) -> &'static str {
        match self {
            DayKind::Holiday => "calendar-holiday",
            DayKind::Workday => "calendar-workday",
        }
    }
}

/// The office calendar: the days that differ from the weekday rule.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    overrides: HashMap<NaiveDate, DayKind>,
}

/// Work-day arithmetic never walks further than this (about 27 years).
const MAX_STEPS: i64 = 10_000;

impl WorkCalendar {
    pub fn new(overrides: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> WorkCalendar {
        WorkCalendar { overrides: overrides.into_iter().collect() }
    }

    pub fn is_workday(&self, day: NaiveDate) -> bool {
        match self.overrides.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The day `n` work days after `from` (before it when `n` is negative);
    /// `from` itself does not count. With `n = 0`, `from` if it is a work
    /// day, else the next work day.
    pub fn add_workdays(&self, from: NaiveDate, n: i64) -> NaiveDate {
        let step = if n < 0 { -1 } else { 1 };
        let mut day = from;
        if n == 0 {
            while !self.is_workday(day) {
                day += Duration::days(1);
            }
            return day;
        }
        let mut left = n.abs();
        for _ in 0..MAX_STEPS {
            day += Duration::days(step);
            if self.is_workday(day) {
                left -= 1;
                if left == 0 {
                    break;
                }
            }
        }
        day
    }

    /// Work days after `from` up to and including `to` (negative when `to` is earlier).
    pub fn workdays_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.workdays_between(to, from);
        }
        let days = (to - from).num_days().min(MAX_STEPS);
        (1..=days).filter(|d| self.is_workday(from + Duration::days(*d))).count() as i64
    }
}

/// The years whose official schedule the product ships (docs/DOMAIN.md §4.1).
pub const OFFICIAL_YEARS: [i32; 3] = [2025, 2026, 2027];

/// The official public holidays and swapped working days of a year the product
/// ships (`OFFICIAL_YEARS`), with their names; empty for any other year.
///
/// 2025 and 2026 follow the State Council General Office's notices. For 2027
/// only the fixed-date statutory holidays of 全国年节及纪念日放假办法 (as
/// revised in 2024) are given — New Year's Day, 1–2 May, 1–3 October — since
/// the 2027 notice (lunar holidays, bridging days, swapped working days) was
/// not at hand: the performance office enters the rest from the notice.
pub fn official_schedule(year: i32) -> Vec<(NaiveDate, DayKind, &'static str)> {
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(year, m, day).expect("valid date");
    let mut days = Vec::new();
    let mut holiday = |name: &'static str, from: NaiveDate, to: NaiveDate| {
        let mut day = from;
        while day <= to {
            days.push((day, DayKind::Holiday, name));
            day += Duration::days(1);
        }
    };
    let swapped: Vec<(NaiveDate, &'static str)> = match year {
        2025 => {
            holiday("元旦", d(1, 1), d(1, 1));
            holiday("春节", d(1, 28), d(2, 4));
            holiday("清明节", d(4, 4), d(4, 6));
            holiday("劳动节", d(5, 1), d(5, 5));
            holiday("端午节", d(5, 31), d(6, 2));
            holiday("国庆节、中秋节", d(10, 1), d(10, 8));
            vec![
                (d(1, 26), "春节调休上班"),
                (d(2, 8), "春节调休上班"),
                (d(4, 27), "劳动节调休上班"),
                (d(9, 28), "国庆节调休上班"),
                (d(10, 11), "国庆节调休上班"),
            ]
        }
        2026 => {
            holiday("元旦", d(1, 1), d(1, 3));
            holiday("春节", d(2, 15), d(2, 23));
            holiday("清明节", d(4, 4), d(4, 6));
            holiday("劳动节", d(5, 1), d(5, 5));
            holiday("端午节", d(6, 19), d(6, 21));
            holiday("中秋节", d(9, 25), d(9, 27));
            holiday("国庆节", d(10, 1), d(10, 7));
            vec![
                (d(1, 4), "元旦调休上班"),
                (d(2, 14), "春节调休上班"),
                (d(2, 28), "春节调休上班"),
                (d(5, 9), "劳动节调休上班"),
                (d(9, 20), "国庆节调休上班"),
                (d(10, 10), "国庆节调休上班"),
            ]
        }
        2027 => {
            holiday("元旦", d(1, 1), d(1, 1));
            holiday("劳动节", d(5, 1), d(5, 2));
            holiday("国庆节", d(10, 1), d(10, 3));
            Vec::new()
        }
        _ => Vec::new(),
    };
    days.extend(swapped.into_iter().map(|(day, name)| (day, DayKind::Workday, name)));
    days
}

/// The official 2026 schedule (`official_schedule(2026)`).
pub fn official_schedule_2026() -> Vec<(NaiveDate, DayKind, &'static str)> {
    official_schedule(2026)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn calendar_2026() -> WorkCalendar {
        WorkCalendar::new(official_schedule_2026().into_iter().map(|(d, k, _)| (d, k)))
    }

    #[test]
    fn the_december_2026_report_is_due_after_new_years_day_2027() {
        // 31 December 2026 + 5 work days: 4, 5, 6, 7, 8 January 2027 (1 January is a holiday).
        let cal = WorkCalendar::new(OFFICIAL_YEARS.iter().flat_map(|y| official_schedule(*y)).map(|(d, k, _)| (d, k)));
        assert_eq!(cal.add_workdays(day(12, 31), 5), NaiveDate::from_ymd_opt(2027, 1, 8).unwrap());
        // 2025: the Spring Festival runs 28 January to 4 February; Sunday 26 January is worked.
        let d25 = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
        assert!(!cal.is_workday(d25(2, 3)) && cal.is_workday(d25(1, 26)) && cal.is_workday(d25(2, 5)));
        assert!(official_schedule(2024).is_empty());
    }

    #[test]
    fn weekdays_work_and_weekends_rest_without_overrides() {
        let plain = WorkCalendar::default();
        assert!(plain.is_workday(day(11, 27))); // a Friday
        assert!(!plain.is_workday(day(11, 28))); // a Saturday
    }

    #[test]
    fn five_work_days_after_a_friday_end_the_next_friday() {
        let plain = WorkCalendar::default();
        assert_eq!(plain.add_workdays(day(11, 27), 5), day(12, 4));
        assert_eq!(plain.workdays_between(day(11, 27), day(12, 4)), 5);
    }

    #[test]
    fn national_day_holidays_are_skipped_and_the_swapped_saturday_counts() {
        let cal = calendar_2026();
        // Wednesday 30 September + 1 work day: 1–7 October are holidays, 8 October is a Thursday.
        assert_eq!(cal.add_workdays(day(9, 30), 1), day(10, 8));
        // Saturday 10 October is a swapped working day.
        assert!(cal.is_workday(day(10, 10)));
        assert_eq!(cal.add_workdays(day(10, 9), 1), day(10, 10));
        assert_eq!(cal.workdays_between(day(9, 30), day(10, 12)), 4); // 8, 9, 10, 12 October
    }

    #[test]
    fn the_spring_festival_spans_nine_days_with_two_swapped_saturdays() {
        let cal = calendar_2026();
        assert!(cal.is_workday(day(2, 14)));
        assert!((15..=23).all(|d| !cal.is_workday(day(2, d))));
        assert!(cal.is_workday(day(2, 28)));
        // Ten work days from Friday 13 February: 14, 24, 25, 26, 27, 28 Feb, 2, 3, 4, 5 March.
        assert_eq!(cal.add_workdays(day(2, 13), 10), day(3, 5));
    }

    #[test]
    fn counting_backwards_mirrors_counting_forwards() {
        let cal = calendar_2026();
        assert_eq!(cal.add_workdays(day(10, 8), -1), day(9, 30));
        assert_eq!(cal.workdays_between(day(10, 12), day(9, 30)), -4);
    }

    #[test]
    fn zero_work_days_lands_on_the_next_work_day() {
        let cal = calendar_2026();
        assert_eq!(cal.add_workdays(day(10, 3), 0), day(10, 8));
        assert_eq!(cal.add_workdays(day(10, 8), 0), day(10, 8));
    }

    #[test]
    fn the_2026_schedule_has_the_official_counts() {
        let schedule = official_schedule_2026();
        let holidays = schedule.iter().filter(|(_, k, _)| *k == DayKind::Holiday).count();
        let swapped = schedule.iter().filter(|(_, k, _)| *k == DayKind::Workday).count();
        assert_eq!((holidays, swapped), (33, 6));
        assert!(
            schedule
                .iter()
                .filter(|(_, k, _)| *k == DayKind::Workday)
                .all(|(d, _, _)| matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        );
    }
}

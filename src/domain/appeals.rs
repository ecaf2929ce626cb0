//! Reviews (复核) and appeals (申诉) of a final annual result on their
//! statutory clocks (docs/DOMAIN.md §19.4): which request a person may file
//! on a day, its windows, the committee's answer deadline and its one
//! extension, and the countdowns the pages show.
//!
//! Calendar-day clocks follow the Chinese convention: the starting day does
//! not count (the day after it is day 1), and a deadline falling on a day off
//! (a weekend or holiday of the office's work calendar; a 调休 make-up
//! Saturday is a work day) moves to the next work day.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::settings::Settings;
use super::workdays::WorkCalendar;

code_enum!(
    /// What the person asks for: a review by the office's committee (复核),
    /// or an appeal (申诉), after a review or directly.
    AppealKind, "appeal_kind", "appeal-kind", { Review => "review", Appeal => "appeal" }
);

code_enum!(
    /// The committee's decision: the result stands, or it is corrected.
    AppealOutcome, "appeal_outcome", "appeal-outcome", { Upheld => "upheld", Corrected => "corrected" }
);

/// The deadline `days` calendar days after `from`: `from` itself is not
/// counted, and a deadline on a day off moves to the next work day.
pub fn calendar_deadline(calendar: &WorkCalendar, from: NaiveDate, days: i32) -> NaiveDate {
    calendar.add_workdays(from + Duration::days(days.into()), 0)
}

/// How a deadline stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Countdown {
    /// Whole days left after today (today not counted): 1 means tomorrow is the last day.
    Left(i64),
    /// Today is the last day.
    DueToday,
    /// The deadline passed this many days ago.
    Overdue(i64),
}

impl Countdown {
    pub fn of(deadline: NaiveDate, today: NaiveDate) -> Countdown {
        let left = (deadline - today).num_days();
        match left {
            0 => Countdown::DueToday,
            n if n > 0 => Countdown::Left(n),
            n => Countdown::Overdue(-n),
        }
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, Countdown::Overdue(_))
    }

    /// The locale key of the sentence, which takes the number as `$count`.
    pub fn label_key(self) -> &'static str {
        match self {
            Countdown::Left(_) => "appeal-countdown-left",
            Countdown::DueToday => "appeal-countdown-today",
            Countdown::Overdue(_) => "appeal-countdown-overdue",
        }
    }

    pub fn days(self) -> i64 {
        match self {
            Countdown::Left(n) | Countdown::Overdue(n) => n,
            Countdown::DueToday => 0,
        }
    }
}

/// What is known of a result and of the requests already filed about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResultFacts {
    /// The result is final: its publicity has ended.
    pub is_final: bool,
    /// The day the person learnt the result (the written notice), if known.
    pub learned_on: Option<NaiveDate>,
    /// A request about it is open.
    pub open_request: bool,
    /// The review filed about it: its id and the day it was decided, if it was.
    pub review: Option<(i64, Option<NaiveDate>)>,
    /// An appeal was filed about it.
    pub appealed: bool,
}

/// The clock of a request filed today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The day the window counts from (not itself counted).
    pub from: NaiveDate,
    /// The last day to file.
    pub until: NaiveDate,
    /// The review the appeal follows.
    pub review_id: Option<i64>,
    /// Calendar days of the window, for the page's sentence.
    pub days: i32,
}

/// Why a request cannot be filed; each a locale key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotFinal,
    Open,
    Reviewed,
    Appealed,
    /// The window ended on this day.
    Closed(NaiveDate),
}

impl Refusal {
    pub fn label_key(self) -> &'static str {
        match self {
            Refusal::NotFinal => "appeal-refused-not-final",
            Refusal::Open => "appeal-refused-open",
            Refusal::Reviewed => "appeal-refused-reviewed",
            Refusal::Appealed => "appeal-refused-appealed",
            Refusal::Closed(_) => "appeal-refused-closed",
        }
    }
}

/// The window of a request of `kind` about a result: from the day the person
/// learnt it (or, for an appeal after a review, the day the review was
/// decided) for the settings' days. Without a written notice the person
/// learns the result on the day they file, so the window starts `today`.
/// `None` for a request of that kind that has no window yet (an appeal while
/// its review is undecided).
pub fn window(
    kind: AppealKind,
    facts: &ResultFacts,
    settings: &Settings,
    calendar: &WorkCalendar,
    today: NaiveDate,
) -> Option<Window> {
    let learned = facts.learned_on.unwrap_or(today);
    let (from, days, review_id) = match (kind, facts.review) {
        (AppealKind::Review, _) => (learned, settings.review_request_days, None),
        (AppealKind::Appeal, None) => (learned, settings.appeal_direct_days, None),
        (AppealKind::Appeal, Some((id, Some(decided)))) => (decided, settings.appeal_after_review_days, Some(id)),
        (AppealKind::Appeal, Some((_, None))) => return None,
    };
    Some(Window { from, until: calendar_deadline(calendar, from, days), review_id, days })
}

/// Whether the person may file a request of `kind` today, and its window:
/// the result must be final, no request about it open, at most one review
/// and one appeal per result (a review never after an appeal), and today
/// within the window.
pub fn may_file(
    kind: AppealKind,
    facts: &ResultFacts,
    settings: &Settings,
    calendar: &WorkCalendar,
    today: NaiveDate,
) -> Result<Window, Refusal> {
    if !facts.is_final {
        return Err(Refusal::NotFinal);
    }
    if facts.open_request {
        return Err(Refusal::Open);
    }
    if facts.appealed {
        return Err(Refusal::Appealed);
    }
    if kind == AppealKind::Review && facts.review.is_some() {
        return Err(Refusal::Reviewed);
    }
    let window = window(kind, facts, settings, calendar, today).ok_or(Refusal::Open)?;
    if today > window.until {
        return Err(Refusal::Closed(window.until));
    }
    Ok(window)
}

/// The day the committee must answer a request filed on `filed_on`.
pub fn answer_due(kind: AppealKind, filed_on: NaiveDate, settings: &Settings, calendar: &WorkCalendar) -> NaiveDate {
    let days = match kind {
        AppealKind::Review => settings.review_decide_days,
        AppealKind::Appeal => settings.appeal_decide_days,
    };
    calendar_deadline(calendar, filed_on, days)
}

/// The calendar days the committee has to answer, for the page's sentence.
pub fn decide_days(kind: AppealKind, settings: &Settings) -> i32 {
    match kind {
        AppealKind::Review => settings.review_decide_days,
        AppealKind::Appeal => settings.appeal_decide_days,
    }
}

/// Why an answer deadline cannot be extended; each a locale key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionRefusal {
    /// Only an appeal's deadline is extended (公务员法 art. 95).
    NotAnAppeal,
    Decided,
    Already,
    /// The days are not between 1 and the setting.
    Days,
}

impl ExtensionRefusal {
    pub fn label_key(self) -> &'static str {
        match self {
            ExtensionRefusal::NotAnAppeal => "appeal-extend-not-appeal",
            ExtensionRefusal::Decided => "appeal-extend-decided",
            ExtensionRefusal::Already => "appeal-extend-already",
            ExtensionRefusal::Days => "appeal-extend-days",
        }
    }
}

/// The extended answer deadline of an open appeal: once, by 1 to
/// `appeal_extension_days` calendar days added to the days it had, counted
/// from the filing day like the original deadline.
pub fn extended_due(
    kind: AppealKind,
    decided: bool,
    already_extended: bool,
    filed_on: NaiveDate,
    days: i32,
    settings: &Settings,
    calendar: &WorkCalendar,
) -> Result<NaiveDate, ExtensionRefusal> {
    if kind != AppealKind::Appeal {
        return Err(ExtensionRefusal::NotAnAppeal);
    }
    if decided {
        return Err(ExtensionRefusal::Decided);
    }
    if already_extended {
        return Err(ExtensionRefusal::Already);
    }
    if !(1..=settings.appeal_extension_days).contains(&days) {
        return Err(ExtensionRefusal::Days);
    }
    Ok(calendar_deadline(calendar, filed_on, settings.appeal_decide_days + days))
}

/// Whether a request was, or is, answered in time: decided on or before its
/// deadline (`Some(true)`), after it (`Some(false)`); `None` while open.
pub fn decided_in_time(decided_on: Option<NaiveDate>, due: NaiveDate) -> Option<bool> {
    decided_on.map(|day| day <= due)
}

/// An open request whose deadline has passed.
pub fn is_overdue(decided: bool, due: NaiveDate, today: NaiveDate) -> bool {
    !decided && today > due
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workdays::official_schedule;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn official() -> WorkCalendar {
        WorkCalendar::new(official_schedule(2025).into_iter().chain(official_schedule(2026)).map(|(d, k, _)| (d, k)))
    }

    fn facts(learned: NaiveDate) -> ResultFacts {
        ResultFacts { is_final: true, learned_on: Some(learned), open_request: false, review: None, appealed: false }
    }

    #[test]
    fn the_starting_day_is_not_counted_and_a_month_end_rolls_over() {
        let cal = WorkCalendar::default();
        // Learnt on 31 January 2026: day 1 is 1 February, day 30 is 2 March (a Monday).
        assert_eq!(calendar_deadline(&cal, day(2026, 1, 31), 30), day(2026, 3, 2));
        // 31 January 2028 (a leap year): day 30 is 1 March, a Wednesday.
        assert_eq!(calendar_deadline(&cal, day(2028, 1, 31), 30), day(2028, 3, 1));
        // 29 February 2028 + 15: 15 March 2028, a Wednesday.
        assert_eq!(calendar_deadline(&cal, day(2028, 2, 29), 15), day(2028, 3, 15));
        // 15 December 2026 + 30 crosses the year: 14 January 2027, a Thursday.
        assert_eq!(calendar_deadline(&cal, day(2026, 12, 15), 30), day(2027, 1, 14));
    }

    #[test]
    fn a_deadline_on_a_weekend_moves_to_the_next_work_day() {
        let cal = WorkCalendar::default();
        // 1 March 2026 + 30 = 31 March (Tuesday) stays; 5 March + 30 = 4 April 2026, a Saturday
        // (without the office calendar) moves to Monday 6 April.
        assert_eq!(calendar_deadline(&cal, day(2026, 3, 1), 30), day(2026, 3, 31));
        assert_eq!(calendar_deadline(&cal, day(2026, 3, 5), 30), day(2026, 4, 6));
    }

    #[test]
    fn a_deadline_in_the_national_day_holiday_moves_past_it() {
        let cal = official();
        // 1 September 2026 + 30 = 1 October: the holiday runs to 7 October, 8 October is a work day.
        assert_eq!(calendar_deadline(&cal, day(2026, 9, 1), 30), day(2026, 10, 8));
        // 2025: the holiday runs 1–8 October; 9 October (Thursday) is the first work day.
        assert_eq!(calendar_deadline(&cal, day(2025, 9, 5), 30), day(2025, 10, 9));
    }

    #[test]
    fn a_make_up_saturday_is_a_work_day_and_keeps_the_deadline() {
        let cal = official();
        // 10 October 2026 is a Saturday worked for the National Day (调休): a deadline on it stands.
        assert_eq!(calendar_deadline(&cal, day(2026, 9, 10), 30), day(2026, 10, 10));
        // Without the calendar the same Saturday would move to Monday 12 October.
        assert_eq!(calendar_deadline(&WorkCalendar::default(), day(2026, 9, 10), 30), day(2026, 10, 12));
        // 14 February 2026 (a make-up Saturday) before the Spring Festival.
        assert_eq!(calendar_deadline(&cal, day(2026, 1, 30), 15), day(2026, 2, 14));
        // 15 February 2026 (Spring Festival, to 23 February) moves to 24 February.
        assert_eq!(calendar_deadline(&cal, day(2026, 1, 31), 15), day(2026, 2, 24));
    }

    #[test]
    fn a_countdown_counts_the_days_after_today() {
        let due = day(2026, 3, 2);
        assert_eq!(Countdown::of(due, day(2026, 2, 28)), Countdown::Left(2));
        assert_eq!(Countdown::of(due, day(2026, 3, 1)), Countdown::Left(1));
        assert_eq!(Countdown::of(due, due), Countdown::DueToday);
        assert!(!Countdown::of(due, due).is_overdue());
        assert_eq!(Countdown::of(due, day(2026, 3, 3)), Countdown::Overdue(1));
        assert!(is_overdue(false, due, day(2026, 3, 3)));
        assert!(!is_overdue(true, due, day(2026, 3, 3)));
        assert!(!is_overdue(false, due, due));
    }

    #[test]
    fn a_review_is_filed_within_thirty_days_of_learning_the_result() {
        let cal = official();
        let s = Settings::DEFAULT;
        let learned = day(2026, 3, 2);
        let w = may_file(AppealKind::Review, &facts(learned), &s, &cal, day(2026, 4, 1)).unwrap();
        assert_eq!(w.until, day(2026, 4, 1));
        assert_eq!(
            may_file(AppealKind::Review, &facts(learned), &s, &cal, day(2026, 4, 2)),
            Err(Refusal::Closed(day(2026, 4, 1)))
        );
        // Not final yet, or a request open: refused whatever the day.
        let not_final = ResultFacts { is_final: false, ..facts(learned) };
        assert_eq!(may_file(AppealKind::Review, &not_final, &s, &cal, learned), Err(Refusal::NotFinal));
        let open = ResultFacts { open_request: true, ..facts(learned) };
        assert_eq!(may_file(AppealKind::Appeal, &open, &s, &cal, learned), Err(Refusal::Open));
        // Without a written notice the person learns it on the day they file.
        let unnoticed = ResultFacts { learned_on: None, ..facts(learned) };
        assert_eq!(may_file(AppealKind::Review, &unnoticed, &s, &cal, day(2026, 9, 1)).unwrap().from, day(2026, 9, 1));
    }

    #[test]
    fn an_appeal_follows_a_decided_review_within_fifteen_days_or_comes_directly_within_thirty() {
        let cal = official();
        let s = Settings::DEFAULT;
        let learned = day(2026, 3, 2);
        let direct = may_file(AppealKind::Appeal, &facts(learned), &s, &cal, day(2026, 3, 20)).unwrap();
        assert_eq!((direct.until, direct.review_id, direct.days), (day(2026, 4, 1), None, 30));
        let pending = ResultFacts { review: Some((7, None)), ..facts(learned) };
        assert!(may_file(AppealKind::Appeal, &pending, &s, &cal, day(2026, 3, 20)).is_err());
        // The review decided on 20 March: 15 days to 4 April, Qingming (4–6 April 2026) moves it to 7 April.
        let reviewed = ResultFacts { review: Some((7, Some(day(2026, 3, 20)))), ..facts(learned) };
        let after = may_file(AppealKind::Appeal, &reviewed, &s, &cal, day(2026, 4, 7)).unwrap();
        assert_eq!((after.until, after.review_id), (day(2026, 4, 7), Some(7)));
        assert_eq!(may_file(AppealKind::Review, &reviewed, &s, &cal, day(2026, 3, 21)), Err(Refusal::Reviewed));
        assert!(may_file(AppealKind::Appeal, &reviewed, &s, &cal, day(2026, 4, 8)).is_err());
        let appealed = ResultFacts { appealed: true, ..reviewed };
        assert_eq!(may_file(AppealKind::Appeal, &appealed, &s, &cal, day(2026, 3, 21)), Err(Refusal::Appealed));
    }

    #[test]
    fn the_committee_answers_a_review_in_thirty_days_and_an_appeal_in_sixty_extended_once_by_at_most_thirty() {
        let cal = official();
        let s = Settings::DEFAULT;
        let filed = day(2026, 3, 2);
        assert_eq!(answer_due(AppealKind::Review, filed, &s, &cal), day(2026, 4, 1));
        // 60 days: 1 May 2026, in the Labour Day holiday (1–5 May): 6 May.
        assert_eq!(answer_due(AppealKind::Appeal, filed, &s, &cal), day(2026, 5, 6));
        assert_eq!(extended_due(AppealKind::Appeal, false, false, filed, 30, &s, &cal), Ok(day(2026, 6, 1)));
        assert_eq!(extended_due(AppealKind::Appeal, false, false, filed, 31, &s, &cal), Err(ExtensionRefusal::Days));
        assert_eq!(extended_due(AppealKind::Appeal, false, false, filed, 0, &s, &cal), Err(ExtensionRefusal::Days));
        assert_eq!(extended_due(AppealKind::Appeal, false, true, filed, 10, &s, &cal), Err(ExtensionRefusal::Already));
        assert_eq!(extended_due(AppealKind::Appeal, true, false, filed, 10, &s, &cal), Err(ExtensionRefusal::Decided));
        assert_eq!(
            extended_due(AppealKind::Review, false, false, filed, 10, &s, &cal),
            Err(ExtensionRefusal::NotAnAppeal)
        );
        assert_eq!(decided_in_time(Some(day(2026, 4, 1)), day(2026, 4, 1)), Some(true));
        assert_eq!(decided_in_time(Some(day(2026, 4, 2)), day(2026, 4, 1)), Some(false));
        assert_eq!(decided_in_time(None, day(2026, 4, 1)), None);
    }
}

//! The office's work systems (docs/DOMAIN.md §18.2): meetings (会议), research
//! trips (调研), inspections (视察) and members' activities (委员活动), their
//! status moves, and the work-day clock of a preparation task or follow-up.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::workdays::WorkCalendar;

code_enum!(
    /// What kind of work an event is.
    EventKind, "event_kind", "event-kind", {
        Meeting => "meeting", Research => "research", Inspection => "inspection", Activity => "activity",
    }
);
code_enum!(
    /// The life of an event: planned → held → closed, or planned → cancelled.
    EventStatus, "event_status", "event-status", {
        Planned => "planned", Held => "held", Closed => "closed", Cancelled => "cancelled",
    }
);

impl EventStatus {
    /// Whether the event's plan (title, dates, place, departments, target) may still change.
    pub fn plan_editable(self) -> bool {
        self == EventStatus::Planned
    }

    /// Whether preparation tasks and invitations may still be added.
    pub fn open(self) -> bool {
        matches!(self, EventStatus::Planned | EventStatus::Held)
    }
}

/// Whether an event may move from `from` to `to` (docs/DOMAIN.md §18.2).
pub fn can_move(from: EventStatus, to: EventStatus) -> bool {
    use EventStatus::*;
    matches!((from, to), (Planned, Held) | (Planned, Cancelled) | (Held, Closed))
}

/// Where a dated item (a preparation task or a follow-up) stands on its work-day clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Done on or before its due date.
    DoneOnTime,
    /// Done after its due date, by so many work days.
    DoneLate(i64),
    /// Open, due today.
    DueToday,
    /// Open, so many work days left before the due date.
    Left(i64),
    /// Open and past its due date by so many work days.
    Late(i64),
}

impl Clock {
    /// The clock of an item due on `due`, done on `done` (if done), seen on `today`.
    /// Work days count as in docs/DOMAIN.md §4.2; a late day that is not a work
    /// day still counts as late by at least one.
    pub fn of(calendar: &WorkCalendar, due: NaiveDate, done: Option<NaiveDate>, today: NaiveDate) -> Clock {
        match done {
            Some(day) if day <= due => Clock::DoneOnTime,
            Some(day) => Clock::DoneLate(calendar.workdays_between(due, day).max(1)),
            None if today == due => Clock::DueToday,
            None if today < due => Clock::Left(calendar.workdays_between(today, due)),
            None => Clock::Late(calendar.workdays_between(due, today).max(1)),
        }
    }

    pub fn is_late(self) -> bool {
        matches!(self, Clock::Late(_))
    }

    /// Open and due within `soon` work days (today included), not yet late.
    pub fn is_due_soon(self, soon: i64) -> bool {
        match self {
            Clock::DueToday => true,
            Clock::Left(n) => n <= soon,
            _ => false,
        }
    }

    /// The locale key of the clock's text; `n` is [`Clock::days`].
    pub fn label_key(self) -> &'static str {
        match self {
            Clock::DoneOnTime => "events-clock-done-on-time",
            Clock::DoneLate(_) => "events-clock-done-late",
            Clock::DueToday => "events-clock-due-today",
            Clock::Left(_) => "events-clock-left",
            Clock::Late(_) => "events-clock-late",
        }
    }

    /// The number of work days the clock shows.
    pub fn days(self) -> i64 {
        match self {
            Clock::DoneLate(n) | Clock::Left(n) | Clock::Late(n) => n,
            Clock::DoneOnTime | Clock::DueToday => 0,
        }
    }

    /// A CSS class for the clock's colour.
    pub fn css(self) -> &'static str {
        match self {
            Clock::DoneOnTime => "ok",
            Clock::DoneLate(_) | Clock::Late(_) => "late",
            Clock::DueToday | Clock::Left(_) => "open",
        }
    }
}

/// Whether a task was done on time: on or before its due date (Beijing dates).
pub fn on_time(due: NaiveDate, done: Option<NaiveDate>) -> bool {
    done.is_some_and(|day| day <= due)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workdays::DayKind;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn an_event_is_held_then_closed_or_cancelled_before() {
        use EventStatus::*;
        assert!(can_move(Planned, Held));
        assert!(can_move(Planned, Cancelled));
        assert!(can_move(Held, Closed));
        assert!(!can_move(Held, Cancelled));
        assert!(!can_move(Closed, Held));
        assert!(!can_move(Cancelled, Planned));
        assert!(!can_move(Planned, Closed));
    }

    #[test]
    fn an_open_task_counts_work_days_left_over_a_weekend() {
        let calendar = WorkCalendar::default();
        // Friday 2026-11-27 to Tuesday 2026-12-01: Monday and Tuesday.
        assert_eq!(Clock::of(&calendar, d(2026, 12, 1), None, d(2026, 11, 27)), Clock::Left(2));
        assert_eq!(Clock::of(&calendar, d(2026, 11, 27), None, d(2026, 11, 27)), Clock::DueToday);
    }

    #[test]
    fn a_task_past_its_due_date_is_late_by_work_days_and_holidays_do_not_count() {
        let calendar = WorkCalendar::new([(d(2026, 11, 25), DayKind::Holiday)]);
        // Due Monday 11-23; Tuesday and Thursday, Friday count, the holiday does not.
        assert_eq!(Clock::of(&calendar, d(2026, 11, 23), None, d(2026, 11, 27)), Clock::Late(3));
        // Due Friday, seen on Saturday: late by at least one.
        assert_eq!(Clock::of(&calendar, d(2026, 11, 27), None, d(2026, 11, 28)), Clock::Late(1));
    }

    #[test]
    fn done_on_the_due_date_is_on_time_and_a_day_after_is_late() {
        let calendar = WorkCalendar::default();
        let due = d(2025, 3, 10);
        assert_eq!(Clock::of(&calendar, due, Some(due), d(2025, 4, 1)), Clock::DoneOnTime);
        assert_eq!(Clock::of(&calendar, due, Some(d(2025, 3, 12)), d(2025, 4, 1)), Clock::DoneLate(2));
        assert!(on_time(due, Some(due)));
        assert!(!on_time(due, Some(d(2025, 3, 11))));
        assert!(!on_time(due, None));
    }

    #[test]
    fn due_soon_is_within_the_set_work_days_and_never_late_or_done() {
        assert!(Clock::Left(3).is_due_soon(3));
        assert!(!Clock::Left(4).is_due_soon(3));
        assert!(Clock::DueToday.is_due_soon(0));
        assert!(!Clock::Late(1).is_due_soon(3));
        assert!(!Clock::DoneOnTime.is_due_soon(3));
    }
}

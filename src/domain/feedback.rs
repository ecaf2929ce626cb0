//! Stage 4's written notices and feedback interviews (docs/DOMAIN.md §19.1,
//! §19.2): when a notice is due and whether it came in time, how long an
//! unacknowledged notice has waited, and the interview record as a form
//! sends it.

use chrono::{Duration, NaiveDate};

use super::validate::{self, FieldError};
use super::workdays::WorkCalendar;

/// The first day a decided result is final: the day after its publicity ends
/// (docs/DOMAIN.md §17.15).
pub fn final_from(publicity_until: NaiveDate) -> NaiveDate {
    publicity_until + Duration::days(1)
}

/// The last day a notice is due: `workdays` work days after `from` (the day
/// the result became final, or was corrected), that day itself not counted.
/// With 0, `from` itself when a work day, else the next one.
pub fn notice_due(from: NaiveDate, workdays: i32, calendar: &WorkCalendar) -> NaiveDate {
    calendar.add_workdays(from, i64::from(workdays))
}

/// Where a notice stands, as its lists show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeState {
    /// Issued, not yet acknowledged: waited this many calendar days (the
    /// issue day is day 0).
    Waiting {
        days: i64,
    },
    Acknowledged,
}

impl NoticeState {
    pub fn of(issued_on: NaiveDate, acknowledged_on: Option<NaiveDate>, today: NaiveDate) -> NoticeState {
        match acknowledged_on {
            Some(_) => NoticeState::Acknowledged,
            None => NoticeState::Waiting { days: (today - issued_on).num_days().max(0) },
        }
    }
}

/// Whether a notice reached the person in time: issued on or before its due day.
pub fn issued_in_time(issued_on: NaiveDate, due_on: NaiveDate) -> bool {
    issued_on <= due_on
}

/// Longest text of one interview field, and of an opinion or a comment.
pub const TEXT_MAX: usize = 2000;

/// The record of a held interview, as parsed from its form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterviewRecord {
    pub held_on: NaiveDate,
    pub strengths: String,
    pub gaps: String,
    pub goals: String,
    pub actions: String,
    pub private_note: String,
}

/// The record's fields as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct InterviewRecordInput<'a> {
    pub held_on: &'a str,
    pub strengths: &'a str,
    pub gaps: &'a str,
    pub goals: &'a str,
    pub actions: &'a str,
    pub private_note: &'a str,
}

impl InterviewRecord {
    /// Strengths, gaps and goals are required (the three things the
    /// interview is for); agreed actions and the private note may be empty.
    /// The interview cannot be recorded as held after `today`.
    pub fn parse(input: &InterviewRecordInput<'_>, today: NaiveDate) -> Result<Self, Vec<(&'static str, FieldError)>> {
        let mut errors = Vec::new();
        let mut take = |field: &'static str, result: Result<String, FieldError>| {
            result.map_err(|e| errors.push((field, e))).unwrap_or_default()
        };
        let strengths = take("strengths", validate::required_text(input.strengths, TEXT_MAX));
        let gaps = take("gaps", validate::required_text(input.gaps, TEXT_MAX));
        let goals = take("goals", validate::required_text(input.goals, TEXT_MAX));
        let actions = take("actions", validate::optional_text(input.actions, TEXT_MAX));
        let private_note = take("private_note", validate::optional_text(input.private_note, TEXT_MAX));
        let held_on = match NaiveDate::parse_from_str(input.held_on.trim(), "%Y-%m-%d") {
            Ok(day) if day <= today => Some(day),
            Ok(_) => {
                errors.push(("held_on", FieldError::Invalid));
                None
            }
            Err(_) if input.held_on.trim().is_empty() => {
                errors.push(("held_on", FieldError::Required));
                None
            }
            Err(_) => {
                errors.push(("held_on", FieldError::Invalid));
                None
            }
        };
        match held_on {
            Some(held_on) if errors.is_empty() => {
                Ok(InterviewRecord { held_on, strengths, gaps, goals, actions, private_note })
            }
            _ => Err(errors),
        }
    }
}

/// Where an interview stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterviewState {
    Scheduled,
    /// Held and recorded; waiting for the person to confirm or comment.
    Recorded,
    Confirmed,
}

impl InterviewState {
    pub fn of(held: bool, confirmed: bool) -> InterviewState {
        match (held, confirmed) {
            (_, true) => InterviewState::Confirmed,
            (true, false) => InterviewState::Recorded,
            (false, false) => InterviewState::Scheduled,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            InterviewState::Scheduled => "interview-state-scheduled",
            InterviewState::Recorded => "interview-state-recorded",
            InterviewState::Confirmed => "interview-state-confirmed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workdays::DayKind;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn result_is_final_the_day_after_publicity() {
        assert_eq!(final_from(d(2026, 1, 31)), d(2026, 2, 1));
    }

    #[test]
    fn notice_due_counts_work_days_over_a_month_end_and_a_weekend() {
        // Final on Friday 30 January 2026: Mon 2 … Fri 6 February are the five work days.
        assert_eq!(notice_due(d(2026, 1, 30), 5, &WorkCalendar::default()), d(2026, 2, 6));
    }

    #[test]
    fn notice_due_skips_holidays_and_counts_a_swapped_saturday() {
        // Spring Festival 2026 as the office calendar has it: 16–20 and 23 February off,
        // Saturday 14 and Saturday 28 February worked (调休).
        let mut days: Vec<(NaiveDate, DayKind)> =
            [16, 17, 18, 19, 20, 23].into_iter().map(|x| (d(2026, 2, x), DayKind::Holiday)).collect();
        days.push((d(2026, 2, 14), DayKind::Workday));
        days.push((d(2026, 2, 28), DayKind::Workday));
        let calendar = WorkCalendar::new(days);
        // Final on Friday 13 February: Sat 14 (调休), Tue 24, Wed 25, Thu 26, Fri 27.
        assert_eq!(notice_due(d(2026, 2, 13), 5, &calendar), d(2026, 2, 27));
        // With zero work days a notice final on a holiday is due the next work day.
        assert_eq!(notice_due(d(2026, 2, 16), 0, &calendar), d(2026, 2, 24));
    }

    #[test]
    fn a_notice_issued_on_its_due_day_is_in_time() {
        assert!(issued_in_time(d(2026, 2, 6), d(2026, 2, 6)));
        assert!(!issued_in_time(d(2026, 2, 9), d(2026, 2, 6)));
    }

    #[test]
    fn waiting_days_count_from_the_issue_day() {
        assert_eq!(NoticeState::of(d(2026, 2, 2), None, d(2026, 2, 2)), NoticeState::Waiting { days: 0 });
        assert_eq!(NoticeState::of(d(2026, 1, 30), None, d(2026, 3, 1)), NoticeState::Waiting { days: 30 });
        assert_eq!(NoticeState::of(d(2026, 1, 30), Some(d(2026, 2, 1)), d(2026, 3, 1)), NoticeState::Acknowledged);
    }

    #[test]
    fn interview_record_needs_strengths_gaps_goals_and_a_past_day() {
        let input = InterviewRecordInput {
            held_on: "2026-02-10",
            strengths: " 文稿质量高 ",
            gaps: "督办件偶有延误",
            goals: "全年督办件按时办结",
            actions: "",
            private_note: "",
        };
        let record = InterviewRecord::parse(&input, d(2026, 2, 10)).unwrap();
        assert_eq!(record.strengths, "文稿质量高");
        let errors =
            InterviewRecord::parse(&InterviewRecordInput { gaps: " ", held_on: "2026-02-11", ..input }, d(2026, 2, 10))
                .unwrap_err();
        assert_eq!(errors, vec![("gaps", FieldError::Required), ("held_on", FieldError::Invalid)]);
    }

    #[test]
    fn interview_state_follows_record_and_confirmation() {
        assert_eq!(InterviewState::of(false, false), InterviewState::Scheduled);
        assert_eq!(InterviewState::of(true, false), InterviewState::Recorded);
        assert_eq!(InterviewState::of(true, true), InterviewState::Confirmed);
    }
}

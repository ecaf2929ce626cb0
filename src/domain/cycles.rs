//! Rules of assessment cycles (考核周期) and calendar overrides that do not
//! need the database: the order of a cycle's dates, the defaults of a new
//! cycle, what the stage-move checklist shows, and which days may be
//! overridden in the work-day calendar.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::plan::CycleStage;
use super::settings::Settings;
use super::workdays::DayKind;

/// The dates of a cycle: its period and the planned end of each stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CycleDates {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub planning_until: NaiveDate,
    pub implementation_until: NaiveDate,
    pub assessment_until: NaiveDate,
    pub feedback_until: NaiveDate,
}

/// A date of a cycle that is out of order, named by the later of the two
/// dates compared (the one a person would correct).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// The period ends before it starts.
    PeriodEndsBeforeStart,
    /// Implementation ends before planning does.
    ImplementationBeforePlanning,
    /// Assessment ends before implementation does.
    AssessmentBeforeImplementation,
    /// Feedback ends before assessment does.
    FeedbackBeforeAssessment,
}

impl DateProblem {
    #[cfg(test)]
    pub const ALL: [DateProblem; 4] = [
        DateProblem::PeriodEndsBeforeStart,
        DateProblem::ImplementationBeforePlanning,
        DateProblem::AssessmentBeforeImplementation,
        DateProblem::FeedbackBeforeAssessment,
    ];

    /// The form field the problem is shown beside.
    pub fn field(self) -> &'static str {
        match self {
            DateProblem::PeriodEndsBeforeStart => "period_end",
            DateProblem::ImplementationBeforePlanning => "implementation_until",
            DateProblem::AssessmentBeforeImplementation => "assessment_until",
            DateProblem::FeedbackBeforeAssessment => "feedback_until",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            DateProblem::PeriodEndsBeforeStart => "cycle-error-period-order",
            DateProblem::ImplementationBeforePlanning => "cycle-error-implementation-order",
            DateProblem::AssessmentBeforeImplementation => "cycle-error-assessment-order",
            DateProblem::FeedbackBeforeAssessment => "cycle-error-feedback-order",
        }
    }
}

/// The problems of a cycle's dates: the same rules as the database's
/// `cycle_period_order` and `cycle_stage_dates_order` constraints, found
/// before saving so each can be shown beside its field.
pub fn date_problems(dates: &CycleDates) -> Vec<DateProblem> {
    let mut problems = Vec::new();
    if dates.period_end < dates.period_start {
        problems.push(DateProblem::PeriodEndsBeforeStart);
    }
    if dates.implementation_until < dates.planning_until {
        problems.push(DateProblem::ImplementationBeforePlanning);
    }
    if dates.assessment_until < dates.implementation_until {
        problems.push(DateProblem::AssessmentBeforeImplementation);
    }
    if dates.feedback_until < dates.assessment_until {
        problems.push(DateProblem::FeedbackBeforeAssessment);
    }
    problems
}

/// The dates offered for a new annual cycle of `year`: the calendar year;
/// planning for its first `planning_days` days; implementation to the end of
/// the year; assessment and feedback `assessment_days` and `feedback_days`
/// after it (30, 31 and 60 unless the year's settings say otherwise).
pub fn default_annual_dates(year: i32, settings: &Settings) -> Option<CycleDates> {
    let period_start = NaiveDate::from_ymd_opt(year, 1, 1)?;
    let period_end = NaiveDate::from_ymd_opt(year, 12, 31)?;
    Some(CycleDates {
        period_start,
        period_end,
        planning_until: period_start + Duration::days(settings.planning_days.into()),
        implementation_until: period_end,
        assessment_until: period_end + Duration::days(settings.assessment_days.into()),
        feedback_until: period_end + Duration::days(settings.feedback_days.into()),
    })
}

/// What the checklist of a stage move counts, for one cycle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChecklistFacts {
    /// Participants of the cycle.
    pub participants: i64,
    /// Participants without any person target set.
    pub people_without_set: i64,
    /// Participants whose set is a draft, submitted or returned.
    pub people_not_approved: i64,
    /// Departments of participants without an approved department set.
    pub departments_not_approved: i64,
    /// Approved target sets of every level.
    pub approved_sets: i64,
    /// Change requests still waiting for a decision.
    pub pending_changes: i64,
}

/// One line of the checklist: a locale key taking `$count`, the count, and
/// whether it deserves attention before the move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChecklistItem {
    pub key: &'static str,
    pub count: i64,
    pub warn: bool,
}

fn item(key: &'static str, count: i64, warn: bool) -> ChecklistItem {
    ChecklistItem { key, count, warn }
}

/// The lines shown before moving a cycle forward from `stage`. Nothing here
/// blocks the move: the performance office decides after reading it. Later
/// stages add their own counts.
pub fn checklist(stage: CycleStage, facts: &ChecklistFacts) -> Vec<ChecklistItem> {
    let participants = item("cycle-check-participants", facts.participants, facts.participants == 0);
    match stage {
        CycleStage::Planning => vec![
            participants,
            item("cycle-check-people-without-set", facts.people_without_set, facts.people_without_set > 0),
            item("cycle-check-people-not-approved", facts.people_not_approved, facts.people_not_approved > 0),
            item(
                "cycle-check-departments-not-approved",
                facts.departments_not_approved,
                facts.departments_not_approved > 0,
            ),
        ],
        CycleStage::Implementation => vec![
            participants,
            item("cycle-check-approved-sets", facts.approved_sets, facts.approved_sets == 0),
            item("cycle-check-pending-changes", facts.pending_changes, facts.pending_changes > 0),
        ],
        CycleStage::Assessment | CycleStage::Feedback => vec![participants],
        CycleStage::Closed => vec![],
    }
}

/// Why a calendar override was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverrideProblem {
    /// A swapped working day (调休) must fall on a Saturday or Sunday.
    WorkdayNotOnWeekend,
}

impl OverrideProblem {
    #[cfg(test)]
    pub const ALL: [OverrideProblem; 1] = [OverrideProblem::WorkdayNotOnWeekend];

    pub fn label_key(self) -> &'static str {
        match self {
            OverrideProblem::WorkdayNotOnWeekend => "calendar-error-workday-on-weekday",
        }
    }
}

/// Whether `day` may be overridden as `kind` (docs/DOMAIN.md §4.1): a swapped
/// working day must fall on a weekend. A holiday may fall on any day: on a
/// weekend it changes no count, but an official schedule lists its whole
/// span, weekends included, and the office may keep it as published.
pub fn check_override(day: NaiveDate, kind: DayKind) -> Result<(), OverrideProblem> {
    let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    match kind {
        DayKind::Workday if !weekend => Err(OverrideProblem::WorkdayNotOnWeekend),
        _ => Ok(()),
    }
}

/// A cycle as a board's cycle picker offers it.
pub trait CycleOption {
    fn cycle_id(&self) -> i64;
    fn cycle_stage(&self) -> CycleStage;
}

/// The cycle a board shows: the one asked for if it is offered, else the
/// first offered in the `preferred` stage, else the first offered.
pub fn chosen_cycle<C: CycleOption + Clone>(
    cycles: &[C],
    wanted: Option<i64>,
    preferred: Option<CycleStage>,
) -> Option<C> {
    wanted
        .and_then(|id| cycles.iter().find(|c| c.cycle_id() == id))
        .or_else(|| preferred.and_then(|stage| cycles.iter().find(|c| c.cycle_stage() == stage)))
        .or_else(|| cycles.first())
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[derive(Debug, Clone, PartialEq)]
    struct Offered(i64, CycleStage);

    impl CycleOption for Offered {
        fn cycle_id(&self) -> i64 {
            self.0
        }
        fn cycle_stage(&self) -> CycleStage {
            self.1
        }
    }

    #[test]
    fn a_board_shows_the_asked_cycle_else_the_preferred_stage_else_the_first() {
        let offered =
            [Offered(3, CycleStage::Planning), Offered(2, CycleStage::Implementation), Offered(1, CycleStage::Closed)];
        assert_eq!(chosen_cycle(&offered, Some(1), Some(CycleStage::Implementation)), Some(offered[2].clone()));
        assert_eq!(chosen_cycle(&offered, Some(99), Some(CycleStage::Implementation)), Some(offered[1].clone()));
        assert_eq!(chosen_cycle(&offered, None, None), Some(offered[0].clone()));
        assert_eq!(chosen_cycle::<Offered>(&[], Some(1), None), None);
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_default_annual_dates_are_in_order() {
        let dates = default_annual_dates(2026, &Settings::default()).unwrap();
        assert_eq!(dates.period_start, day(2026, 1, 1));
        assert_eq!(dates.planning_until, day(2026, 1, 31));
        assert_eq!(dates.implementation_until, day(2026, 12, 31));
        assert_eq!(dates.assessment_until, day(2027, 1, 31));
        assert_eq!(dates.feedback_until, day(2027, 3, 1));
        assert!(date_problems(&dates).is_empty());
    }

    #[test]
    fn dates_out_of_order_are_named_by_the_later_field() {
        let good = default_annual_dates(2026, &Settings::default()).unwrap();
        let reversed = CycleDates { period_end: day(2025, 12, 31), ..good };
        assert_eq!(date_problems(&reversed), vec![DateProblem::PeriodEndsBeforeStart]);
        let late_planning = CycleDates { planning_until: day(2027, 1, 5), ..good };
        assert_eq!(date_problems(&late_planning), vec![DateProblem::ImplementationBeforePlanning]);
        let early_feedback = CycleDates { feedback_until: day(2026, 6, 30), ..good };
        assert_eq!(date_problems(&early_feedback), vec![DateProblem::FeedbackBeforeAssessment]);
        assert_eq!(DateProblem::FeedbackBeforeAssessment.field(), "feedback_until");
        // Equal dates are allowed, as by the database constraints.
        let same = CycleDates {
            assessment_until: good.implementation_until,
            feedback_until: good.implementation_until,
            ..good
        };
        assert!(date_problems(&same).is_empty());
    }

    #[test]
    fn the_planning_checklist_warns_about_people_without_approved_targets() {
        let facts =
            ChecklistFacts { participants: 12, people_without_set: 7, people_not_approved: 2, ..Default::default() };
        let items = checklist(CycleStage::Planning, &facts);
        let without = items.iter().find(|i| i.key == "cycle-check-people-without-set").unwrap();
        assert_eq!((without.count, without.warn), (7, true));
        let departments = items.iter().find(|i| i.key == "cycle-check-departments-not-approved").unwrap();
        assert!(!departments.warn);
        assert!(checklist(CycleStage::Closed, &facts).is_empty());
        let implementation =
            checklist(CycleStage::Implementation, &ChecklistFacts { participants: 3, ..Default::default() });
        assert!(implementation.iter().any(|i| i.key == "cycle-check-approved-sets" && i.warn));
    }

    #[test]
    fn swapped_working_days_fall_on_weekends_and_holidays_on_weekdays() {
        // 1 October 2026 is a Thursday, 10 October a Saturday.
        assert_eq!(check_override(day(2026, 10, 1), DayKind::Holiday), Ok(()));
        assert_eq!(check_override(day(2026, 10, 10), DayKind::Workday), Ok(()));
        assert_eq!(check_override(day(2026, 10, 1), DayKind::Workday), Err(OverrideProblem::WorkdayNotOnWeekend));
        // Sunday 4 October is part of the National Day holidays as published.
        assert_eq!(check_override(day(2026, 10, 4), DayKind::Holiday), Ok(()));
    }

    #[test]
    fn the_official_swapped_days_pass_the_override_rule() {
        // The State Council lists whole holiday spans, weekends included: every
        // day of every shipped schedule can be entered again on the calendar page.
        for year in crate::domain::workdays::OFFICIAL_YEARS {
            for (date, kind, _) in crate::domain::workdays::official_schedule(year) {
                assert_eq!(check_override(date, kind), Ok(()), "{date}");
            }
        }
    }

    #[test]
    fn every_label_of_cycles_and_the_calendar_exists_in_both_languages() {
        use crate::domain::plan::{CycleKind, ReportFrequency};
        let keys: Vec<String> = CycleKind::ALL
            .iter()
            .map(|k| k.label_key())
            .chain(CycleStage::ALL.iter().map(|s| s.label_key()))
            .chain(ReportFrequency::ALL.iter().map(|f| f.label_key()))
            .chain([DayKind::Holiday, DayKind::Workday].iter().map(|k| k.label_key().to_string()))
            .chain(DateProblem::ALL.iter().map(|p| p.label_key().to_string()))
            .chain(OverrideProblem::ALL.iter().map(|p| p.label_key().to_string()))
            .chain((1..=7).map(|d| format!("calendar-weekday-{d}")))
            .collect();
        for lang in Lang::ALL {
            for key in &keys {
                assert_ne!(&lang.t(key), key, "{lang:?} lacks {key}");
            }
        }
    }
}

//! Eligibility gates, applied before the quota: who gets no grade (不定等次),
//! whose result waits, and who cannot be 优秀, each with its reason.
//! docs/DOMAIN.md §17.7.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::grade::QuarterGrade;
use crate::domain::discipline::{Measure, RecordKind};

/// A discipline record as the gates read it (docs/DOMAIN.md §2.5): its
/// measure and the days it is in force, as discipline inspection entered
/// them (the statutory period of a disciplinary action is set at entry from
/// the year's settings). `to` is `None` while open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisciplineRecord {
    pub measure: Measure,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl DisciplineRecord {
    fn in_force_during(&self, first: NaiveDate, last: NaiveDate) -> bool {
        self.from <= last && self.to.is_none_or(|end| end >= first)
    }

    /// An accountability measure bars 优秀 for the year(s) of its period, or
    /// for the year it was decided when it has no end.
    fn period_touches(&self, first: NaiveDate, last: NaiveDate) -> bool {
        self.from <= last && self.to.unwrap_or(self.from) >= first
    }
}

/// A newly recruited person's probation (试用期), both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probation {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// What the gates look at for one person and year; plain data the caller
/// gathers from discipline inspection's records, absences and the quarters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateInputs {
    pub year: i32,
    /// The day the result is decided: an investigation still open then
    /// keeps the result waiting.
    pub as_of: NaiveDate,
    /// Discipline inspection's records of the person (withdrawn ones left out).
    pub discipline: Vec<DisciplineRecord>,
    pub probation: Option<Probation>,
    /// Calendar days of leave in the year: sick (病假), personal (事假), and
    /// all other kinds (年休假, 产假, 婚丧假, 探亲假 …).
    pub sick_leave_days: u32,
    pub personal_leave_days: u32,
    pub other_leave_days: u32,
    /// The share of the year (%) leave must exceed to gate: the year's
    /// `leave_no_grade_percent` setting (50: "more than half the year").
    pub leave_share_percent: u32,
    /// The person's grades in the year's quarters they were assessed in.
    pub quarter_grades: Vec<QuarterGrade>,
}

/// What a gate does, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateEffect {
    /// Not assessed: service ended (开除).
    NotAssessed,
    /// The result waits for an investigation's outcome.
    Pending,
    /// A comment and no grade (不定等次).
    NoGrade,
    /// Any grade but 优秀.
    NoExcellent,
}

impl GateEffect {
    pub fn label_key(self) -> &'static str {
        match self {
            GateEffect::NotAssessed => "assess-effect-not-assessed",
            GateEffect::Pending => "assess-effect-pending",
            GateEffect::NoGrade => "assess-effect-no-grade",
            GateEffect::NoExcellent => "assess-effect-no-excellent",
        }
    }
}

/// Why a gate applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason", content = "kind")]
pub enum GateReason {
    /// 开除 took effect by the end of the year.
    ServiceEnded,
    /// Under investigation (立案审查) on the day of decision.
    UnderInvestigation,
    /// 记过 or heavier in force on some day of the year.
    SanctionInForce(Measure),
    /// In probation at the end of the year.
    Probation,
    /// Sick and personal leave add up to more than half the year.
    SickAndPersonalLeave,
    /// A 警告 in force on some day of the year.
    WarningInYear,
    /// 诫勉 or heavier with its period in the year.
    Accountability(Measure),
    /// Leave of every kind adds up to more than half the year.
    LongLeave,
    /// 好 in fewer than half of the year's quarters.
    TooFewGoodQuarters,
    /// A quarter graded 一般 or 较差.
    WeakQuarter,
}

impl GateReason {
    pub fn effect(self) -> GateEffect {
        match self {
            GateReason::ServiceEnded => GateEffect::NotAssessed,
            GateReason::UnderInvestigation => GateEffect::Pending,
            GateReason::SanctionInForce(_) | GateReason::Probation | GateReason::SickAndPersonalLeave => {
                GateEffect::NoGrade
            }
            GateReason::WarningInYear
            | GateReason::Accountability(_)
            | GateReason::LongLeave
            | GateReason::TooFewGoodQuarters
            | GateReason::WeakQuarter => GateEffect::NoExcellent,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            GateReason::ServiceEnded => "assess-gate-service-ended",
            GateReason::UnderInvestigation => "assess-gate-under-investigation",
            GateReason::SanctionInForce(_) => "assess-gate-sanction-in-force",
            GateReason::Probation => "assess-gate-probation",
            GateReason::SickAndPersonalLeave => "assess-gate-sick-and-personal-leave",
            GateReason::WarningInYear => "assess-gate-warning-in-year",
            GateReason::Accountability(_) => "assess-gate-accountability",
            GateReason::LongLeave => "assess-gate-long-leave",
            GateReason::TooFewGoodQuarters => "assess-gate-too-few-good-quarters",
            GateReason::WeakQuarter => "assess-gate-weak-quarter",
        }
    }
}

/// Every gate that applies to a person, in the order they were checked.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GateOutcome {
    pub reasons: Vec<GateReason>,
}

impl GateOutcome {
    /// The strongest effect, `None` when no gate applies.
    pub fn effect(&self) -> Option<GateEffect> {
        self.reasons.iter().map(|r| r.effect()).min()
    }

    pub fn may_be_excellent(&self) -> bool {
        self.reasons.is_empty()
    }

    /// Whether the person counts in the quota base: those with no grade,
    /// a waiting result, or not assessed leave it (docs/DOMAIN.md §17.8).
    pub fn in_quota_base(&self) -> bool {
        self.effect().is_none_or(|e| e == GateEffect::NoExcellent)
    }
}

fn first_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).expect("a valid year")
}

fn last_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid year")
}

/// More than `percent` % of the year's days.
fn over_share_of_year(days: u32, year: i32, percent: u32) -> bool {
    let year_days = (last_day(year) - first_day(year)).num_days() + 1;
    100 * i64::from(days) > year_days * i64::from(percent)
}

/// Applies every gate of docs/DOMAIN.md §17.7 for `inputs.year`.
pub fn apply_gates(inputs: &GateInputs) -> GateOutcome {
    let (first, last) = (first_day(inputs.year), last_day(inputs.year));
    let mut reasons = Vec::new();

    let records = |kind: RecordKind| inputs.discipline.iter().filter(move |r| r.measure.kind() == kind);
    if records(RecordKind::Sanction).any(|r| r.measure == Measure::Expulsion && r.from <= last) {
        reasons.push(GateReason::ServiceEnded);
    }
    let open = |r: &&DisciplineRecord| r.from <= inputs.as_of && r.to.is_none_or(|end| end > inputs.as_of);
    if records(RecordKind::Investigation).any(|r| open(&r)) {
        reasons.push(GateReason::UnderInvestigation);
    }
    // The heaviest disciplinary action that withholds a grade, in force during the year.
    let heaviest = records(RecordKind::Sanction)
        .filter(|r| r.measure.withholds_grade() && r.measure != Measure::Expulsion && r.in_force_during(first, last))
        .map(|r| r.measure)
        .max_by_key(|m| Measure::ALL.iter().position(|x| x == m));
    if let Some(measure) = heaviest {
        reasons.push(GateReason::SanctionInForce(measure));
    }
    if inputs.probation.is_some_and(|p| p.start <= last && last <= p.end) {
        reasons.push(GateReason::Probation);
    }
    let share = inputs.leave_share_percent;
    let sick_and_personal = over_share_of_year(inputs.sick_leave_days + inputs.personal_leave_days, inputs.year, share);
    if sick_and_personal {
        reasons.push(GateReason::SickAndPersonalLeave);
    }
    if records(RecordKind::Sanction).any(|r| r.measure == Measure::Warning && r.in_force_during(first, last)) {
        reasons.push(GateReason::WarningInYear);
    }
    let measure = records(RecordKind::Accountability)
        .filter(|r| r.measure.bars_excellent() && r.period_touches(first, last))
        .map(|r| r.measure)
        .max_by_key(|m| Measure::ALL.iter().position(|x| x == m));
    if let Some(measure) = measure {
        reasons.push(GateReason::Accountability(measure));
    }
    let all_leave = inputs.sick_leave_days + inputs.personal_leave_days + inputs.other_leave_days;
    if !sick_and_personal && over_share_of_year(all_leave, inputs.year, share) {
        reasons.push(GateReason::LongLeave);
    }
    let quarters = &inputs.quarter_grades;
    let good = quarters.iter().filter(|g| **g == QuarterGrade::Good).count();
    if quarters.is_empty() || 2 * good < quarters.len() {
        reasons.push(GateReason::TooFewGoodQuarters);
    }
    if quarters.iter().any(|g| matches!(g, QuarterGrade::Average | QuarterGrade::Poor)) {
        reasons.push(GateReason::WeakQuarter);
    }
    GateOutcome { reasons }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::discipline::in_force_until;
    use crate::domain::settings::Settings;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A clean 2026: decided on 15 January 2027, four quarters of 好.
    fn clean() -> GateInputs {
        GateInputs {
            year: 2026,
            as_of: day(2027, 1, 15),
            discipline: vec![],
            probation: None,
            sick_leave_days: 0,
            personal_leave_days: 0,
            other_leave_days: 0,
            leave_share_percent: 50,
            quarter_grades: vec![QuarterGrade::Good; 4],
        }
    }

    /// A record as the form enters it: a disciplinary action runs its
    /// statutory period from the shipped settings (docs/DOMAIN.md §2.5).
    fn record(measure: Measure, from: NaiveDate) -> DisciplineRecord {
        let to = in_force_until(measure, from, None, &Settings::default()).unwrap();
        DisciplineRecord { measure, from, to }
    }

    fn with_sanction(measure: Measure, from: NaiveDate) -> GateOutcome {
        apply_gates(&GateInputs { discipline: vec![record(measure, from)], ..clean() })
    }

    #[test]
    fn nothing_gates_a_clean_year() {
        let outcome = apply_gates(&clean());
        assert_eq!(outcome.reasons, vec![]);
        assert_eq!(outcome.effect(), None);
        assert!(outcome.may_be_excellent() && outcome.in_quota_base());
    }

    #[test]
    fn a_warning_in_force_in_the_year_bars_excellent() {
        let outcome = with_sanction(Measure::Warning, day(2026, 3, 1));
        assert_eq!(outcome.reasons, vec![GateReason::WarningInYear]);
        assert_eq!(outcome.effect(), Some(GateEffect::NoExcellent));
        assert!(!outcome.may_be_excellent() && outcome.in_quota_base());
        // From 1 July 2025 it is in force to 31 December 2025: 2026 is clear.
        assert_eq!(with_sanction(Measure::Warning, day(2025, 7, 1)).reasons, vec![]);
        // From 2 July 2025 it is in force on 1 January 2026.
        assert_eq!(with_sanction(Measure::Warning, day(2025, 7, 2)).reasons, vec![GateReason::WarningInYear]);
        // Imposed on the last day of the year: still the year of the warning.
        assert_eq!(with_sanction(Measure::Warning, day(2026, 12, 31)).reasons, vec![GateReason::WarningInYear]);
        assert_eq!(with_sanction(Measure::Warning, day(2027, 1, 1)).reasons, vec![]);
    }

    #[test]
    fn a_demerit_or_heavier_in_force_in_the_year_gives_no_grade() {
        // 记过 from 1 January 2025 is in force to 31 December 2025.
        assert_eq!(with_sanction(Measure::Demerit, day(2025, 1, 1)).reasons, vec![]);
        // From 2 January 2025 it reaches 1 January 2026.
        let outcome = with_sanction(Measure::Demerit, day(2025, 1, 2));
        assert_eq!(outcome.reasons, vec![GateReason::SanctionInForce(Measure::Demerit)]);
        assert_eq!(outcome.effect(), Some(GateEffect::NoGrade));
        assert!(!outcome.in_quota_base());
        // 记大过 of 1 July 2025 runs 18 months, to 31 December 2026.
        assert_eq!(
            with_sanction(Measure::MajorDemerit, day(2025, 7, 1)).reasons,
            vec![GateReason::SanctionInForce(Measure::MajorDemerit)]
        );
        assert_eq!(
            with_sanction(Measure::MajorDemerit, day(2025, 6, 30)).reasons,
            vec![GateReason::SanctionInForce(Measure::MajorDemerit)]
        );
        assert_eq!(with_sanction(Measure::MajorDemerit, day(2024, 7, 1)).reasons, vec![]);
        // 降级 and 撤职 run 24 months: from 1 January 2024 to 31 December 2025.
        assert_eq!(with_sanction(Measure::Demotion, day(2024, 1, 1)).reasons, vec![]);
        assert_eq!(
            with_sanction(Measure::Removal, day(2024, 1, 2)).reasons,
            vec![GateReason::SanctionInForce(Measure::Removal)]
        );
        // Imposed on 31 December 2026: in force during the year.
        assert_eq!(with_sanction(Measure::Demerit, day(2026, 12, 31)).effect(), Some(GateEffect::NoGrade));
        // The heaviest of several is named once.
        let outcome = apply_gates(&GateInputs {
            discipline: vec![record(Measure::Demerit, day(2026, 2, 1)), record(Measure::Demotion, day(2026, 5, 1))],
            ..clean()
        });
        assert_eq!(outcome.reasons, vec![GateReason::SanctionInForce(Measure::Demotion)]);
    }

    #[test]
    fn expulsion_ends_service() {
        let outcome = with_sanction(Measure::Expulsion, day(2026, 9, 1));
        assert_eq!(outcome.reasons, vec![GateReason::ServiceEnded]);
        assert_eq!(outcome.effect(), Some(GateEffect::NotAssessed));
        assert!(!outcome.in_quota_base());
        assert_eq!(with_sanction(Measure::Expulsion, day(2027, 1, 2)).reasons, vec![]);
    }

    #[test]
    fn admonition_or_heavier_accountability_bars_excellent_for_its_year() {
        let measure = |measure, from, to| {
            apply_gates(&GateInputs { discipline: vec![DisciplineRecord { measure, from, to }], ..clean() })
        };
        let outcome = measure(Measure::Admonition, day(2026, 11, 30), None);
        assert_eq!(outcome.reasons, vec![GateReason::Accountability(Measure::Admonition)]);
        assert_eq!(outcome.effect(), Some(GateEffect::NoExcellent));
        // Decided in 2025 without a period: 2026 is clear.
        assert_eq!(measure(Measure::Admonition, day(2025, 12, 31), None).reasons, vec![]);
        // A period reaching into 2026 bars 2026.
        assert_eq!(
            measure(Measure::Organisational, day(2025, 8, 1), Some(day(2026, 1, 1))).reasons,
            vec![GateReason::Accountability(Measure::Organisational)]
        );
        assert_eq!(measure(Measure::Admonition, day(2027, 1, 1), None).reasons, vec![]);
    }

    #[test]
    fn an_open_investigation_keeps_the_result_waiting() {
        let under = |from, to| {
            let record = DisciplineRecord { measure: Measure::Investigation, from, to };
            apply_gates(&GateInputs { discipline: vec![record], ..clean() })
        };
        let outcome = under(day(2026, 10, 1), None);
        assert_eq!(outcome.reasons, vec![GateReason::UnderInvestigation]);
        assert_eq!(outcome.effect(), Some(GateEffect::Pending));
        assert!(!outcome.in_quota_base());
        // Opened after the year but before the decision: still waiting.
        assert_eq!(under(day(2027, 1, 10), None).reasons, vec![GateReason::UnderInvestigation]);
        // Opened after the decision day: not yet.
        assert_eq!(under(day(2027, 1, 16), None).reasons, vec![]);
        // Closed on the decision day: its outcome is known (a sanction, if any, is its own record).
        assert_eq!(under(day(2026, 10, 1), Some(day(2027, 1, 15))).reasons, vec![]);
        assert_eq!(under(day(2026, 10, 1), Some(day(2027, 1, 16))).reasons, vec![GateReason::UnderInvestigation]);
    }

    #[test]
    fn probation_at_the_end_of_the_year_gives_no_grade() {
        let on = |start, end| apply_gates(&GateInputs { probation: Some(Probation { start, end }), ..clean() });
        let outcome = on(day(2026, 3, 1), day(2027, 2, 28));
        assert_eq!(outcome.reasons, vec![GateReason::Probation]);
        assert_eq!(outcome.effect(), Some(GateEffect::NoGrade));
        // Ending on 31 December: still in probation that day.
        assert_eq!(on(day(2026, 1, 1), day(2026, 12, 31)).reasons, vec![GateReason::Probation]);
        // Ended on 30 December: graded.
        assert_eq!(on(day(2025, 12, 31), day(2026, 12, 30)).reasons, vec![]);
    }

    #[test]
    fn leave_over_half_the_year() {
        let leave = |sick, personal, other| {
            apply_gates(&GateInputs {
                sick_leave_days: sick,
                personal_leave_days: personal,
                other_leave_days: other,
                ..clean()
            })
            .reasons
        };
        // 2026 has 365 days: more than half is 183 days or more.
        assert_eq!(leave(100, 82, 0), vec![]);
        assert_eq!(leave(100, 83, 0), vec![GateReason::SickAndPersonalLeave]);
        assert_eq!(apply_gates(&GateInputs { sick_leave_days: 183, ..clean() }).effect(), Some(GateEffect::NoGrade));
        // Other leave (maternity, annual …) counts towards the bar on 优秀 only.
        assert_eq!(leave(0, 0, 182), vec![]);
        assert_eq!(leave(50, 50, 83), vec![GateReason::LongLeave]);
        assert_eq!(
            apply_gates(&GateInputs { other_leave_days: 200, ..clean() }).effect(),
            Some(GateEffect::NoExcellent)
        );
        // 2028 has 366 days: 183 is exactly half, not more.
        let leap =
            |sick| apply_gates(&GateInputs { year: 2028, as_of: day(2029, 1, 15), sick_leave_days: sick, ..clean() });
        assert_eq!(leap(183).reasons, vec![]);
        assert_eq!(leap(184).reasons, vec![GateReason::SickAndPersonalLeave]);
        // A year whose settings set the share at 60 %: 219 of 365 days is not more, 220 is.
        let share = |sick| apply_gates(&GateInputs { sick_leave_days: sick, leave_share_percent: 60, ..clean() });
        assert_eq!(share(219).reasons, vec![]);
        assert_eq!(share(220).reasons, vec![GateReason::SickAndPersonalLeave]);
    }

    #[test]
    fn excellent_needs_good_in_half_the_quarters_and_none_weak() {
        use QuarterGrade::*;
        let pattern =
            |grades: &[QuarterGrade]| apply_gates(&GateInputs { quarter_grades: grades.to_vec(), ..clean() }).reasons;
        assert_eq!(pattern(&[Good, Good, FairlyGood, FairlyGood]), vec![]);
        assert_eq!(pattern(&[Good, FairlyGood, FairlyGood, FairlyGood]), vec![GateReason::TooFewGoodQuarters]);
        assert_eq!(pattern(&[Good, Good, Good, Average]), vec![GateReason::WeakQuarter]);
        assert_eq!(
            pattern(&[Good, FairlyGood, Poor, FairlyGood]),
            vec![GateReason::TooFewGoodQuarters, GateReason::WeakQuarter]
        );
        // Assessed in three quarters (joined in spring): 2 of 3 is at least half, 1 of 3 is not.
        assert_eq!(pattern(&[Good, Good, FairlyGood]), vec![]);
        assert_eq!(pattern(&[Good, FairlyGood, FairlyGood]), vec![GateReason::TooFewGoodQuarters]);
        assert_eq!(pattern(&[]), vec![GateReason::TooFewGoodQuarters]);
    }

    #[test]
    fn the_strongest_effect_wins() {
        let outcome = apply_gates(&GateInputs {
            discipline: vec![
                record(Measure::Warning, day(2026, 2, 1)),
                DisciplineRecord { measure: Measure::Investigation, from: day(2026, 6, 1), to: None },
            ],
            sick_leave_days: 200,
            ..clean()
        });
        assert_eq!(
            outcome.reasons,
            vec![GateReason::UnderInvestigation, GateReason::SickAndPersonalLeave, GateReason::WarningInYear]
        );
        assert_eq!(outcome.effect(), Some(GateEffect::Pending));
    }
}

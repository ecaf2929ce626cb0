//! Stage 2, monitor implementation: reporting periods and their deadlines,
//! the progress-report and supervision workflows, three-colour slips, service
//! commitments kept or broken, A/B cover, and the ledger's capped totals.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::plan::ReportFrequency;
use super::settings::Settings;
use super::workdays::WorkCalendar;

code_enum!(
    /// How a target stands, in the reporter's judgement.
    ProgressState, "progress_state", "progress-state", {
        OnTrack => "on_track", AtRisk => "at_risk", Behind => "behind", Done => "done",
    }
);
code_enum!(
    ReportStatus, "report_status", "report-status", { Submitted => "submitted", Returned => "returned", Verified => "verified" }
);
code_enum!(
    /// Where a supervision item comes from (docs/DOMAIN.md §8.1).
    SupervisionSource, "supervision_source", "source", {
        MeetingDecision => "meeting_decision", LeaderInstruction => "leader_instruction",
        AssignedFromAbove => "assigned_from_above", AnnualKeyTask => "annual_key_task", MemberOpinion => "member_opinion",
    }
);
code_enum!(
    /// The life of a supervision item: 立项 → 交办 → 签收 → 办理中 → 办结报告 → 审核 → 销号.
    SupervisionStatus, "supervision_status", "supervision-status", {
        Registered => "registered", Assigned => "assigned", Acknowledged => "acknowledged",
        InProgress => "in_progress", DoneReported => "done_reported", Verified => "verified", Closed => "closed",
    }
);
code_enum!(
    /// Three-colour slips (三色督办单).
    SlipColour, "slip_colour", "slip", { Blue => "blue", Yellow => "yellow", Red => "red" }
);
code_enum!(
    LedgerStatus, "ledger_status", "ledger-status", { Pending => "pending", Accepted => "accepted", Rejected => "rejected" }
);
code_enum!(
    /// Why a person is away (docs/DOMAIN.md §3.3): leave (请假, of a `LeaveKind`), a business trip,
    /// secondment (借调), a temporary post elsewhere (挂职), training (培训), other.
    AbsenceKind, "absence_kind", "absence", {
        Leave => "leave", Travel => "travel", Secondment => "secondment", TemporaryPost => "temporary_post",
        Training => "training", Other => "other",
    }
);
code_enum!(
    /// The kinds of leave (请假): 年休假, 病假, 事假, 婚丧假, 产假, 探亲假.
    LeaveKind, "leave_kind", "leave-kind", {
        Annual => "annual", Sick => "sick", Personal => "personal", MarriageFuneral => "marriage_funeral",
        Maternity => "maternity", HomeVisit => "home_visit",
    }
);

/// The reporting periods of a cycle: calendar months or quarters, clipped to the cycle.
pub fn periods(start: NaiveDate, end: NaiveDate, frequency: ReportFrequency) -> Vec<(NaiveDate, NaiveDate)> {
    let step = match frequency {
        ReportFrequency::Monthly => 1,
        ReportFrequency::Quarterly => 3,
    };
    let mut periods = Vec::new();
    // Periods start on the first day of a month (of a quarter, for quarterly reports).
    let first_month = if step == 3 { (start.month0() / 3) * 3 + 1 } else { start.month() };
    let mut from = NaiveDate::from_ymd_opt(start.year(), first_month, 1).unwrap_or(start);
    while from <= end && periods.len() < 400 {
        let next = from + Months::new(step);
        let to = next.pred_opt().unwrap_or(next);
        periods.push((from.max(start), to.min(end)));
        from = next;
    }
    periods
}

/// The day a period's report is due: `workdays` work days after the period ends.
pub fn report_due(period_end: NaiveDate, workdays: i64, calendar: &WorkCalendar) -> NaiveDate {
    calendar.add_workdays(period_end, workdays)
}

/// A step on a progress report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStep {
    /// The owner (or B acting for A) edits and sends a returned report again.
    Resubmit,
    Verify,
    Return,
}

/// The status after a step, or `None` when the step is not allowed. A verified
/// report is frozen: a correction is a new report.
pub fn report_transition(status: ReportStatus, step: ReportStep) -> Option<ReportStatus> {
    use ReportStatus::*;
    match (status, step) {
        (Returned, ReportStep::Resubmit) => Some(Submitted),
        (Submitted, ReportStep::Verify) => Some(Verified),
        (Submitted, ReportStep::Return) => Some(Returned),
        _ => None,
    }
}

/// Who takes a supervision step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupervisionActor {
    /// The supervision officer or a leader who opened it.
    Supervisor,
    /// The assigned department (its head or the assignee).
    Assignee,
}

/// The next status for a step by `actor`, or `None` when not allowed. A rejected
/// done report goes back to in progress (and counts towards yellow).
pub fn supervision_transition(
    from: SupervisionStatus,
    to: SupervisionStatus,
    actor: SupervisionActor,
) -> Option<SupervisionStatus> {
    use SupervisionActor::*;
    use SupervisionStatus::*;
    let allowed = match (from, to) {
        (Registered, Assigned) | (DoneReported, Verified) | (DoneReported, InProgress) | (Verified, Closed) => {
            actor == Supervisor
        }
        (Assigned, Acknowledged) | (Acknowledged, InProgress) | (InProgress, DoneReported) => actor == Assignee,
        _ => false,
    };
    allowed.then_some(to)
}

/// What an item's "behind" is judged on: its time line and its last update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemTimeline {
    pub status: SupervisionStatus,
    /// The day it was opened (registered).
    pub opened: NaiveDate,
    pub due: NaiveDate,
    pub return_count: i32,
    /// The day of its latest step or slip answer.
    pub last_update: Option<NaiveDate>,
    pub frequency: ReportFrequency,
}

/// Whether an item is behind its time line (docs/DOMAIN.md §8.4): not yet in
/// progress once `behind_unstarted_percent` of the time from opening to the
/// due date has passed, or in progress without an update (a step or a slip
/// answer) for `behind_missed_updates` reporting periods of the item's
/// frequency (0: this rule is off).
pub fn item_behind(item: &ItemTimeline, today: NaiveDate, settings: &Settings) -> bool {
    use SupervisionStatus::*;
    let opened = item.opened.min(today);
    let not_started = matches!(item.status, Registered | Assigned | Acknowledged);
    let total = (item.due - opened).num_days().max(1);
    let elapsed = (today - opened).num_days().clamp(0, total);
    if not_started && elapsed * 100 >= i64::from(settings.behind_unstarted_percent) * total {
        return true;
    }
    let periods = u32::try_from(settings.behind_missed_updates).unwrap_or(0);
    if item.status != InProgress || periods == 0 {
        return false;
    }
    let months = match item.frequency {
        ReportFrequency::Monthly => 1,
        ReportFrequency::Quarterly => 3,
    };
    let last = item.last_update.unwrap_or(opened).max(opened);
    last.checked_add_months(Months::new(months * periods)).is_some_and(|limit| today > limit)
}

/// The colour an open item shows today (docs/DOMAIN.md §8.4): red when
/// overdue, yellow when behind (a done report rejected the year's
/// `slip_yellow_rejections` times, or `behind`), blue within
/// `slip_blue_workdays` work days of the deadline; none otherwise or once verified.
pub fn slip_colour(
    status: SupervisionStatus,
    due: NaiveDate,
    today: NaiveDate,
    return_count: i32,
    behind: bool,
    settings: &Settings,
    calendar: &WorkCalendar,
) -> Option<SlipColour> {
    if matches!(status, SupervisionStatus::Verified | SupervisionStatus::Closed) {
        return None;
    }
    if today > due {
        Some(SlipColour::Red)
    } else if return_count >= settings.slip_yellow_rejections || behind {
        Some(SlipColour::Yellow)
    } else if calendar.workdays_between(today, due) <= i64::from(settings.slip_blue_workdays) {
        Some(SlipColour::Blue)
    } else {
        None
    }
}

/// The ISO week a slip is issued in ("2026-W48"): slips are reissued weekly.
pub fn issue_week(day: NaiveDate) -> String {
    let week = day.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

/// Whether a slip of a colour is due again for an item whose last slip of that
/// colour was issued on `last` (docs/DOMAIN.md §8.5): always when there was
/// none, else once `every_weeks` ISO weeks have begun since (1: every week).
pub fn slip_reissue_due(last: Option<NaiveDate>, today: NaiveDate, every_weeks: i32) -> bool {
    let monday = |d: NaiveDate| d - chrono::Duration::days(d.weekday().num_days_from_monday().into());
    last.is_none_or(|last| (monday(today) - monday(last)).num_weeks() >= i64::from(every_weeks))
}

/// How many times an item's red-slip penalty has fallen due by `today`, less
/// one (docs/DOMAIN.md §8.5): 0 from its first red slip on `first_red`, and one
/// more each `repeat_weeks` ISO weeks it stays red (never more when 0). The
/// penalty is per item and level, never per reissued slip.
pub fn red_slip_penalty_level(first_red: NaiveDate, today: NaiveDate, repeat_weeks: i32) -> i64 {
    if repeat_weeks <= 0 {
        return 0;
    }
    let monday = |d: NaiveDate| d - chrono::Duration::days(d.weekday().num_days_from_monday().into());
    ((monday(today) - monday(first_red)).num_weeks() / i64::from(repeat_weeks)).max(0)
}

/// The ledger's key of an item's red-slip penalty at a level: one record each.
pub fn red_slip_source_key(item_id: i64, level: i64) -> String {
    if level == 0 {
        format!("supervision_item_red:{item_id}")
    } else {
        format!("supervision_item_red:{item_id}:{level}")
    }
}

/// Whether a served case kept its commitment: `Some(true)` when done within the
/// time limit (work days after receipt), `Some(false)` when done late or still
/// open after the limit, `None` while open and not yet late.
pub fn case_kept(
    received: NaiveDate,
    done: Option<NaiveDate>,
    limit_workdays: i64,
    today: NaiveDate,
    calendar: &WorkCalendar,
) -> Option<bool> {
    let deadline = calendar.add_workdays(received, limit_workdays);
    match done {
        Some(done) => Some(done <= deadline),
        None if today > deadline => Some(false),
        None => None,
    }
}

/// Kept-rate in percent of decided cases, or `None` without any.
pub fn kept_rate(kept: i64, broken: i64) -> Option<Decimal> {
    let decided = kept + broken;
    (decided > 0).then(|| (Decimal::from(kept) * Decimal::from(100) / Decimal::from(decided)).round_dp(1))
}

/// Who covers a post now (AB角工作制).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cover {
    /// A is present.
    Holder,
    /// A is away and B covers.
    Backup,
    /// A and B are both away (or missing): 空岗, an alert.
    Vacant,
}

pub fn cover(a_present: bool, b_present: bool) -> Cover {
    match (a_present, b_present) {
        (true, _) => Cover::Holder,
        (false, true) => Cover::Backup,
        (false, false) => Cover::Vacant,
    }
}

/// An accepted ledger record as the totals see it: (item id, points, the item's cap).
pub type CappedRecord = (i64, Decimal, Option<Decimal>);

/// Total points of one subject's accepted ledger records in one period
/// (docs/DOMAIN.md §9.4): each item held within its own cap (by absolute
/// value), then the items that add points held together within
/// `commendation_cap` (the year's setting); deductions are not capped together.
pub fn capped_total(records: &[CappedRecord], commendation_cap: Decimal) -> Decimal {
    let mut per_item: std::collections::BTreeMap<i64, (Decimal, Option<Decimal>)> = Default::default();
    for (item, points, cap) in records {
        let entry = per_item.entry(*item).or_insert((Decimal::ZERO, *cap));
        entry.0 += points;
    }
    let items = per_item.values().map(|(sum, cap)| match cap {
        Some(cap) if sum.abs() > cap.abs() => {
            if sum.is_sign_negative() {
                -cap.abs()
            } else {
                cap.abs()
            }
        }
        _ => *sum,
    });
    let (added, deducted) = items.fold((Decimal::ZERO, Decimal::ZERO), |(plus, minus), sum| {
        if sum > Decimal::ZERO { (plus + sum, minus) } else { (plus, minus + sum) }
    });
    added.min(commendation_cap.abs()) + deducted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workdays::{DayKind, official_schedule_2026};
    use rust_decimal_macros::dec;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn calendar() -> WorkCalendar {
        WorkCalendar::new(official_schedule_2026().into_iter().map(|(d, k, _)| (d, k)))
    }

    #[test]
    fn monthly_periods_cover_the_cycle_month_by_month() {
        let p = periods(day(1, 1), day(12, 31), ReportFrequency::Monthly);
        assert_eq!(p.len(), 12);
        assert_eq!(p[1], (day(2, 1), day(2, 28)));
        assert_eq!(p[11], (day(12, 1), day(12, 31)));
    }

    #[test]
    fn quarterly_periods_are_clipped_to_a_cycle_starting_mid_quarter() {
        let p = periods(day(2, 15), day(9, 30), ReportFrequency::Quarterly);
        assert_eq!(p, vec![(day(2, 15), day(3, 31)), (day(4, 1), day(6, 30)), (day(7, 1), day(9, 30))]);
    }

    #[test]
    fn the_september_report_is_due_after_the_national_day_holidays() {
        // 30 September + 5 work days: 8, 9, 10 (swapped Saturday), 12, 13 October.
        assert_eq!(report_due(day(9, 30), 5, &calendar()), day(10, 13));
    }

    #[test]
    fn reports_are_verified_or_returned_and_verified_ones_are_frozen() {
        use ReportStatus::*;
        assert_eq!(report_transition(Submitted, ReportStep::Verify), Some(Verified));
        assert_eq!(report_transition(Submitted, ReportStep::Return), Some(Returned));
        assert_eq!(report_transition(Returned, ReportStep::Resubmit), Some(Submitted));
        assert_eq!(report_transition(Verified, ReportStep::Return), None);
        assert_eq!(report_transition(Verified, ReportStep::Resubmit), None);
    }

    #[test]
    fn supervision_steps_belong_to_their_side() {
        use SupervisionActor::*;
        use SupervisionStatus::*;
        assert_eq!(supervision_transition(Registered, Assigned, Supervisor), Some(Assigned));
        assert_eq!(supervision_transition(Registered, Assigned, Assignee), None);
        assert_eq!(supervision_transition(Assigned, Acknowledged, Assignee), Some(Acknowledged));
        assert_eq!(supervision_transition(InProgress, DoneReported, Assignee), Some(DoneReported));
        assert_eq!(supervision_transition(DoneReported, InProgress, Supervisor), Some(InProgress));
        assert_eq!(supervision_transition(DoneReported, Verified, Assignee), None);
        assert_eq!(supervision_transition(Verified, Closed, Supervisor), Some(Closed));
        assert_eq!(supervision_transition(Registered, Closed, Supervisor), None);
    }

    #[test]
    fn slips_turn_blue_then_red_across_weekends_and_holidays() {
        let cal = calendar();
        let s = Settings::default();
        let open = SupervisionStatus::InProgress;
        // Due Thursday 8 October; on Wednesday 30 September only 1 work day remains (8 October).
        assert_eq!(slip_colour(open, day(10, 8), day(9, 30), 0, false, &s, &cal), Some(SlipColour::Blue));
        // On Friday 25 September: 28, 29, 30 Sep and 8 Oct are 4 work days: no slip yet.
        assert_eq!(slip_colour(open, day(10, 8), day(9, 25), 0, false, &s, &cal), None);
        assert_eq!(slip_colour(open, day(10, 8), day(10, 9), 0, false, &s, &cal), Some(SlipColour::Red));
        assert_eq!(slip_colour(open, day(12, 31), day(10, 9), 2, false, &s, &cal), Some(SlipColour::Yellow));
        assert_eq!(slip_colour(open, day(12, 31), day(10, 9), 0, true, &s, &cal), Some(SlipColour::Yellow));
        assert_eq!(slip_colour(SupervisionStatus::Closed, day(10, 8), day(10, 9), 0, false, &s, &cal), None);
    }

    #[test]
    fn the_years_settings_decide_the_blue_lead_and_the_rejections_for_yellow() {
        let cal = calendar();
        let open = SupervisionStatus::InProgress;
        let s = Settings { slip_yellow_rejections: 3, slip_blue_workdays: 5, ..Settings::default() };
        // Two rejections are not yet yellow when the year asks for three.
        assert_eq!(slip_colour(open, day(12, 31), day(10, 9), 2, false, &s, &cal), None);
        assert_eq!(slip_colour(open, day(12, 31), day(10, 9), 3, false, &s, &cal), Some(SlipColour::Yellow));
        // On Friday 25 September 4 work days remain to 8 October: blue with a lead of 5.
        assert_eq!(slip_colour(open, day(10, 8), day(9, 25), 0, false, &s, &cal), Some(SlipColour::Blue));
    }

    #[test]
    fn an_item_is_behind_when_not_started_late_in_its_time_or_without_updates() {
        use SupervisionStatus::*;
        let s = Settings::default();
        // Opened 1 September, due 30 November: 91 days, half of them by 16 October.
        let item = ItemTimeline {
            status: Acknowledged,
            opened: day(9, 1),
            due: day(11, 30),
            return_count: 0,
            last_update: Some(day(9, 2)),
            frequency: ReportFrequency::Monthly,
        };
        assert!(!item_behind(&item, day(10, 15), &s));
        assert!(item_behind(&item, day(10, 16), &s));
        let started = ItemTimeline { status: InProgress, ..item };
        assert!(!item_behind(&started, day(11, 20), &s), "missed updates are off by default");
        let monthly = Settings { behind_missed_updates: 1, ..s };
        assert!(!item_behind(&started, day(10, 2), &monthly));
        assert!(item_behind(&started, day(10, 3), &monthly), "a month without an update");
        let quarterly = ItemTimeline { frequency: ReportFrequency::Quarterly, ..started };
        assert!(!item_behind(&quarterly, day(11, 20), &monthly));
        // Behind makes an open item yellow, unless it is already overdue (red).
        let cal = calendar();
        let behind = item_behind(&item, day(10, 16), &s);
        assert_eq!(slip_colour(Acknowledged, item.due, day(10, 16), 0, behind, &s, &cal), Some(SlipColour::Yellow));
    }

    #[test]
    fn a_slip_is_issued_once_a_week() {
        assert_eq!(issue_week(day(11, 27)), "2026-W48");
        assert_eq!(issue_week(day(11, 23)), "2026-W48");
        assert_eq!(issue_week(day(11, 30)), "2026-W49");
    }

    #[test]
    fn slips_come_again_every_iso_week_or_every_few_weeks_as_the_year_says() {
        // Friday of week 48, then Monday of week 49: a new week, a new slip.
        assert!(slip_reissue_due(None, day(11, 27), 1));
        assert!(!slip_reissue_due(Some(day(11, 23)), day(11, 27), 1));
        assert!(slip_reissue_due(Some(day(11, 27)), day(11, 30), 1));
        // Every second week: not in week 49, again in week 50.
        assert!(!slip_reissue_due(Some(day(11, 27)), day(12, 4), 2));
        assert!(slip_reissue_due(Some(day(11, 27)), day(12, 7), 2));
    }

    #[test]
    fn a_red_item_is_penalised_once_and_again_only_as_the_year_says() {
        // Red since Friday 27 November (week 48).
        let first = day(11, 27);
        for today in [day(11, 27), day(12, 4), day(12, 28)] {
            assert_eq!(red_slip_penalty_level(first, today, 0), 0, "never again by default");
        }
        // Again after every 2 further weeks: week 50 is level 1, week 52 level 2.
        assert_eq!(red_slip_penalty_level(first, day(12, 4), 2), 0);
        assert_eq!(red_slip_penalty_level(first, day(12, 7), 2), 1);
        assert_eq!(red_slip_penalty_level(first, day(12, 21), 2), 2);
        assert_eq!(red_slip_source_key(7, 0), "supervision_item_red:7");
        assert_eq!(red_slip_source_key(7, 2), "supervision_item_red:7:2");
    }

    #[test]
    fn a_commitment_is_kept_when_done_within_its_work_days() {
        let cal = calendar();
        // Received Wednesday 30 September with 3 work days: due Saturday 10 October (swapped working day).
        assert_eq!(case_kept(day(9, 30), Some(day(10, 10)), 3, day(10, 20), &cal), Some(true));
        assert_eq!(case_kept(day(9, 30), Some(day(10, 12)), 3, day(10, 20), &cal), Some(false));
        assert_eq!(case_kept(day(9, 30), None, 3, day(10, 9), &cal), None);
        assert_eq!(case_kept(day(9, 30), None, 3, day(10, 12), &cal), Some(false));
        assert_eq!(kept_rate(9, 1), Some(dec!(90.0)));
        assert_eq!(kept_rate(0, 0), None);
    }

    #[test]
    fn a_post_with_a_and_b_away_is_vacant() {
        assert_eq!(cover(true, false), Cover::Holder);
        assert_eq!(cover(false, true), Cover::Backup);
        assert_eq!(cover(false, false), Cover::Vacant);
    }

    #[test]
    fn ledger_items_are_capped_one_by_one() {
        let records = [
            (1, dec!(2), Some(dec!(5))),
            (1, dec!(3), Some(dec!(5))),
            (1, dec!(3), Some(dec!(5))),
            (2, dec!(-1), None),
            (2, dec!(-1), None),
        ];
        assert_eq!(capped_total(&records, dec!(5)), dec!(3));
    }

    #[test]
    fn commendations_of_several_items_are_capped_together() {
        // City, province and national commendations, each item within its own cap of 5: 5 + 4 + 6 → 5 + 4 + 5.
        let records = [
            (1, dec!(1), Some(dec!(5))),
            (1, dec!(1), Some(dec!(5))),
            (1, dec!(3), Some(dec!(5))),
            (2, dec!(2), Some(dec!(5))),
            (2, dec!(2), Some(dec!(5))),
            (3, dec!(3), Some(dec!(5))),
            (3, dec!(3), Some(dec!(5))),
            (4, dec!(-1), None),
        ];
        // 14 points of commendations count as 5 (the shipped cap), the deduction stays: 4.
        assert_eq!(capped_total(&records, dec!(5)), dec!(4));
        assert_eq!(capped_total(&records, dec!(8)), dec!(7));
    }

    #[test]
    fn every_label_exists_in_both_languages() {
        use crate::i18n::Lang;
        let keys: Vec<String> = ProgressState::ALL
            .iter()
            .map(|v| v.label_key())
            .chain(ReportStatus::ALL.iter().map(|v| v.label_key()))
            .chain(SupervisionSource::ALL.iter().map(|v| v.label_key()))
            .chain(SupervisionStatus::ALL.iter().map(|v| v.label_key()))
            .chain(SlipColour::ALL.iter().map(|v| v.label_key()))
            .chain(LedgerStatus::ALL.iter().map(|v| v.label_key()))
            .chain(AbsenceKind::ALL.iter().map(|v| v.label_key()))
            .collect();
        for lang in Lang::ALL {
            for key in &keys {
                assert_ne!(&lang.t(key), key, "{lang:?} lacks {key}");
            }
        }
        let _ = DayKind::Holiday;
    }
}

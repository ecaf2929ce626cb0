//! Progress reports (进度填报): which reporting periods of a target have
//! started, which report stands for each, whether a report is due or late,
//! and who reads, writes and verifies a report.

use chrono::NaiveDate;

use super::monitor::{self, ReportStatus};
use super::plan::{ReportFrequency, TargetLevel};
use super::policy::{self, SetFacts};
use super::roles::Grants;
use super::workdays::WorkCalendar;

/// A report as the period logic sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportBrief {
    pub id: i64,
    pub period_start: NaiveDate,
    pub status: ReportStatus,
}

/// Where a period stands for its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    /// The period is still running; a report may already be sent.
    Open,
    /// The period has ended and its deadline has not passed yet.
    Due,
    /// The deadline has passed without any report.
    Late,
    /// A report was sent (whatever its status).
    Reported,
}

impl Timeliness {
    pub fn label_key(self) -> &'static str {
        match self {
            Timeliness::Open => "reports-timeliness-open",
            Timeliness::Due => "reports-timeliness-due",
            Timeliness::Late => "reports-timeliness-late",
            Timeliness::Reported => "reports-timeliness-reported",
        }
    }

    /// The badge class showing the period's colour.
    pub fn badge(self) -> &'static str {
        match self {
            Timeliness::Open => "badge",
            Timeliness::Due => "badge badge-warn",
            Timeliness::Late => "badge badge-danger",
            Timeliness::Reported => "badge badge-ok",
        }
    }
}

/// One started reporting period of a target, with its deadline and its
/// report (the latest by id: a correction replaces the report it corrects).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodView {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub due: NaiveDate,
    pub timeliness: Timeliness,
    pub report: Option<ReportBrief>,
}

/// The periods of a cycle that have started by `today`, each with its
/// deadline (`due_workdays` work days after its end) and latest report.
pub fn period_views(
    cycle: (NaiveDate, NaiveDate),
    frequency: ReportFrequency,
    reports: &[ReportBrief],
    today: NaiveDate,
    due_workdays: i64,
    calendar: &WorkCalendar,
) -> Vec<PeriodView> {
    monitor::periods(cycle.0, cycle.1, frequency)
        .into_iter()
        .filter(|(start, _)| *start <= today)
        .map(|(start, end)| {
            let due = monitor::report_due(end, due_workdays, calendar);
            let report = reports.iter().filter(|r| r.period_start == start).max_by_key(|r| r.id).copied();
            let timeliness = match report {
                Some(_) => Timeliness::Reported,
                None if today <= end => Timeliness::Open,
                None if today <= due => Timeliness::Due,
                None => Timeliness::Late,
            };
            PeriodView { start, end, due, timeliness, report }
        })
        .collect()
}

/// The period a person should look at first: the latest one whose report is
/// late, else the latest one due, else one whose report came back, else one
/// whose report awaits verification, else the running period while nothing
/// is reported for it, else the latest one that has ended. A late report comes
/// before a due one: otherwise a period just ended (due) would hide the older
/// ones already past their deadline. A report just sent stays in view (with
/// its status) until it is verified, so the row does not jump to "not sent".
pub fn focus_period(views: &[PeriodView], today: NaiveDate) -> Option<&PeriodView> {
    let latest = |wanted: &dyn Fn(&PeriodView) -> bool| views.iter().rev().find(|v| wanted(v));
    latest(&|v| v.timeliness == Timeliness::Late)
        .or_else(|| latest(&|v| v.timeliness == Timeliness::Due))
        .or_else(|| latest(&|v| v.report.is_some_and(|r| r.status == ReportStatus::Returned)))
        .or_else(|| latest(&|v| v.report.is_some_and(|r| r.status == ReportStatus::Submitted)))
        .or_else(|| latest(&|v| v.timeliness == Timeliness::Open))
        .or_else(|| latest(&|v| v.end < today))
        .or_else(|| views.last())
}

/// A new report for a period: refused while a report of the period is open
/// (submitted or returned); a correction when its latest report is verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewReport {
    First,
    /// Corrects the verified report with this id.
    Correction(i64),
    /// A report of the period is still open: resubmit or wait for the head.
    StillOpen(i64),
}

pub fn new_report(view: &PeriodView) -> NewReport {
    match view.report {
        None => NewReport::First,
        Some(r) if r.status == ReportStatus::Verified => NewReport::Correction(r.id),
        Some(r) => NewReport::StillOpen(r.id),
    }
}

/// Who verifies or returns a report: whoever decides the target's set (the
/// head for staff targets, the supervising leader for a head's own targets
/// and department targets), never the owner or the person who sent it.
pub fn can_verify(user_id: i64, grants: &Grants, set: &SetFacts, owner_id: Option<i64>, submitted_by: i64) -> bool {
    let own = owner_id == Some(user_id) || submitted_by == user_id;
    let decides = match set.level {
        TargetLevel::Office => false,
        _ => policy::can_decide_set(user_id, grants, set),
    };
    !own && decides
}

/// Who reads a target's reports and evidence: those who may read its set,
/// its owner, and whoever may report on it now (B acting for an absent A).
pub fn can_read(user_id: i64, grants: &Grants, set: &SetFacts, owner_id: Option<i64>, reports_now: bool) -> bool {
    reports_now || owner_id == Some(user_id) || policy::can_view_set(user_id, grants, set)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roles::{Role, RoleGrant};
    use crate::domain::workdays::official_schedule_2026;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn calendar() -> WorkCalendar {
        WorkCalendar::new(official_schedule_2026().into_iter().map(|(d, k, _)| (d, k)))
    }

    fn year() -> (NaiveDate, NaiveDate) {
        (day(1, 1), day(12, 31))
    }

    fn grants(list: &[(Role, Option<i64>)]) -> Grants {
        Grants(
            list.iter().map(|(role, department_id)| RoleGrant { role: *role, department_id: *department_id }).collect(),
        )
    }

    #[test]
    fn only_started_periods_are_shown_with_their_deadlines() {
        let views = period_views(year(), ReportFrequency::Monthly, &[], day(3, 10), 5, &calendar());
        assert_eq!(views.len(), 3);
        // February ends on Saturday the 28th; 5 work days later is Friday 6 March.
        assert_eq!(views[1].due, day(3, 6));
        assert_eq!(views[1].timeliness, Timeliness::Late);
        assert_eq!(views[2].timeliness, Timeliness::Open);
    }

    #[test]
    fn a_period_is_due_until_its_deadline_then_late() {
        let on = |today| period_views(year(), ReportFrequency::Monthly, &[], today, 5, &calendar())[1].timeliness;
        assert_eq!(on(day(3, 6)), Timeliness::Due);
        assert_eq!(on(day(3, 9)), Timeliness::Late);
    }

    #[test]
    fn the_latest_report_of_a_period_stands() {
        let reports = [
            ReportBrief { id: 4, period_start: day(1, 1), status: ReportStatus::Verified },
            ReportBrief { id: 9, period_start: day(1, 1), status: ReportStatus::Submitted },
        ];
        let views = period_views(year(), ReportFrequency::Monthly, &reports, day(3, 20), 5, &calendar());
        assert_eq!(views[0].report.map(|r| r.id), Some(9));
        assert_eq!(views[0].timeliness, Timeliness::Reported);
        assert_eq!(new_report(&views[0]), NewReport::StillOpen(9));
        assert_eq!(new_report(&views[1]), NewReport::First);
    }

    #[test]
    fn a_new_report_for_a_verified_period_is_a_correction() {
        let reports = [ReportBrief { id: 4, period_start: day(1, 1), status: ReportStatus::Verified }];
        let views = period_views(year(), ReportFrequency::Monthly, &reports, day(2, 2), 5, &calendar());
        assert_eq!(new_report(&views[0]), NewReport::Correction(4));
    }

    #[test]
    fn the_focus_moves_to_the_running_period_once_the_ended_ones_are_verified() {
        let reports = [ReportBrief { id: 4, period_start: day(1, 1), status: ReportStatus::Verified }];
        let views = period_views(year(), ReportFrequency::Quarterly, &reports, day(5, 1), 5, &calendar());
        assert_eq!(focus_period(&views, day(5, 1)).map(|v| v.start), Some(day(4, 1)));
        // Just sent: the period stays in view with its status until it is verified.
        let submitted = [ReportBrief { id: 4, period_start: day(1, 1), status: ReportStatus::Submitted }];
        let views = period_views(year(), ReportFrequency::Quarterly, &submitted, day(5, 1), 5, &calendar());
        assert_eq!(focus_period(&views, day(5, 1)).map(|v| v.start), Some(day(1, 1)));
        let returned = [ReportBrief { id: 4, period_start: day(1, 1), status: ReportStatus::Returned }];
        let views = period_views(year(), ReportFrequency::Quarterly, &returned, day(5, 1), 5, &calendar());
        assert_eq!(focus_period(&views, day(5, 1)).map(|v| v.start), Some(day(1, 1)));
    }

    #[test]
    fn a_late_period_comes_before_one_just_ended_and_still_due() {
        // On 6 March: January is late, February ended and is due until its deadline.
        let views = period_views(year(), ReportFrequency::Monthly, &[], day(3, 6), 5, &calendar());
        assert_eq!(views[1].timeliness, Timeliness::Due);
        assert_eq!(focus_period(&views, day(3, 6)).map(|v| v.start), Some(day(1, 1)));
    }

    #[test]
    fn the_focus_is_the_latest_ended_period_or_the_running_one() {
        let views = period_views(year(), ReportFrequency::Quarterly, &[], day(5, 1), 5, &calendar());
        assert_eq!(focus_period(&views, day(5, 1)).map(|v| v.start), Some(day(1, 1)));
        let views = period_views(year(), ReportFrequency::Quarterly, &[], day(2, 1), 5, &calendar());
        assert_eq!(focus_period(&views, day(2, 1)).map(|v| v.start), Some(day(1, 1)));
        assert!(focus_period(&[], day(2, 1)).is_none());
    }

    #[test]
    fn heads_verify_staff_reports_and_leaders_verify_heads_but_nobody_their_own() {
        let staff_set =
            SetFacts { level: TargetLevel::Person, department_id: Some(1), person_id: Some(7), owner_is_head: false };
        let head = grants(&[(Role::DepartmentHead, Some(1))]);
        assert!(can_verify(9, &head, &staff_set, Some(7), 7));
        assert!(!can_verify(9, &grants(&[(Role::DepartmentHead, Some(2))]), &staff_set, Some(7), 7));
        // B (the head here) sent it for A: not theirs to verify.
        assert!(!can_verify(9, &head, &staff_set, Some(7), 9));
        let head_set = SetFacts { person_id: Some(9), owner_is_head: true, ..staff_set };
        assert!(!can_verify(9, &head, &head_set, Some(9), 9));
        assert!(can_verify(3, &grants(&[(Role::SupervisingLeader, Some(1))]), &head_set, Some(9), 9));
        let department_set = SetFacts { level: TargetLevel::Department, person_id: None, ..staff_set };
        assert!(!can_verify(9, &head, &department_set, Some(9), 9));
        assert!(can_verify(3, &grants(&[(Role::SupervisingLeader, Some(1))]), &department_set, Some(9), 9));
    }

    #[test]
    fn readers_are_the_set_readers_the_owner_and_an_acting_backup() {
        let set =
            SetFacts { level: TargetLevel::Department, department_id: Some(1), person_id: None, owner_is_head: false };
        let staff = grants(&[(Role::Staff, None)]);
        assert!(can_read(7, &staff, &set, Some(7), false));
        assert!(can_read(8, &staff, &set, Some(7), true));
        assert!(!can_read(8, &staff, &set, Some(7), false));
        assert!(can_read(1, &grants(&[(Role::Auditor, None)]), &set, Some(7), false));
    }

    #[test]
    fn every_timeliness_has_a_label() {
        use crate::i18n::Lang;
        for t in [Timeliness::Open, Timeliness::Due, Timeliness::Late, Timeliness::Reported] {
            for lang in Lang::ALL {
                assert_ne!(lang.t(t.label_key()), t.label_key(), "{lang:?}");
            }
        }
    }
}

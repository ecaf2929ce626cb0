//! Self-summaries (个人总结) and heads' duty reports (述职报告), docs/DOMAIN.md
//! §17.11: what may happen to a summary in which status, who decides it (four
//! eyes), how long it may be and when it is late.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::plan::CycleStage;
use crate::domain::roles::{Grants, Role};
use crate::domain::settings::Settings;
use crate::domain::workdays::WorkCalendar;

code_enum!(
    /// 个人总结 for staff; 述职报告 for a department head (heard by raters).
    SummaryKind, "summary_kind", "summary-kind", { Personal => "personal", DutyReport => "duty_report" }
);
code_enum!(
    /// Where a summary stands.
    SummaryStatus, "summary_status", "summary-status", {
        Draft => "draft", Submitted => "submitted", Returned => "returned", Accepted => "accepted",
    }
);

/// A step on a summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryStep {
    /// The author saves the text without submitting it.
    SaveDraft,
    /// The author submits it (again, after a return).
    Submit,
    /// The decider accepts it.
    Accept,
    /// The decider returns it, with a reason.
    Return,
}

/// Why a step was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryError {
    /// The cycle is not in the assessment stage.
    WrongStage,
    /// The summary's status does not allow the step.
    WrongStatus,
    /// A return needs a reason.
    ReasonRequired,
    /// A submitted summary cannot be empty.
    Empty,
    /// Longer than the scheme's limit.
    TooLong,
}

impl SummaryError {
    pub fn label_key(self) -> &'static str {
        match self {
            SummaryError::WrongStage => "summary-error-wrong-stage",
            SummaryError::WrongStatus => "summary-error-wrong-status",
            SummaryError::ReasonRequired => "summary-error-reason-required",
            SummaryError::Empty => "summary-error-empty",
            SummaryError::TooLong => "summary-error-too-long",
        }
    }
}

impl SummaryStatus {
    /// Whether the author may still change the text.
    pub fn is_open(self) -> bool {
        matches!(self, SummaryStatus::Draft | SummaryStatus::Returned)
    }

    /// Whether the author has handed it in (waiting or accepted).
    pub fn is_handed_in(self) -> bool {
        matches!(self, SummaryStatus::Submitted | SummaryStatus::Accepted)
    }
}

/// The status after `step` on a summary in `status` (`None`: not written yet),
/// or why it is refused. Every step happens only while the cycle is in
/// assessment. A draft saved after a return stays returned, so the reason
/// stays in view until the summary is submitted again.
pub fn transition(
    status: Option<SummaryStatus>,
    step: SummaryStep,
    stage: CycleStage,
) -> Result<SummaryStatus, SummaryError> {
    use SummaryStatus::*;
    if stage != CycleStage::Assessment {
        return Err(SummaryError::WrongStage);
    }
    match (status, step) {
        (None, SummaryStep::SaveDraft) => Ok(Draft),
        (Some(s @ (Draft | Returned)), SummaryStep::SaveDraft) => Ok(s),
        (None | Some(Draft | Returned), SummaryStep::Submit) => Ok(Submitted),
        (Some(Submitted), SummaryStep::Accept) => Ok(Accepted),
        (Some(Submitted), SummaryStep::Return) => Ok(Returned),
        _ => Err(SummaryError::WrongStatus),
    }
}

/// The text as it will be kept (trimmed), checked against the scheme's
/// limit in characters; a submission must not be empty. A draft may be empty.
pub fn check_text(text: &str, step: SummaryStep, max_chars: u32) -> Result<String, SummaryError> {
    let text = text.trim();
    if text.chars().count() > max_chars as usize {
        Err(SummaryError::TooLong)
    } else if step == SummaryStep::Submit && text.is_empty() {
        Err(SummaryError::Empty)
    } else {
        Ok(text.to_string())
    }
}

/// The reason of a return: required, at most `max_chars` characters.
pub fn check_reason(reason: &str, max_chars: usize) -> Result<String, SummaryError> {
    let reason = reason.trim();
    if reason.is_empty() {
        Err(SummaryError::ReasonRequired)
    } else if reason.chars().count() > max_chars {
        Err(SummaryError::TooLong)
    } else {
        Ok(reason.to_string())
    }
}

/// A participant's kind of summary: 述职报告 when they head the department
/// they take part for, else 个人总结.
pub fn kind_for(grants: &Grants, department_id: Option<i64>) -> SummaryKind {
    match department_id {
        Some(d) if grants.departments_for(Role::DepartmentHead).contains(&d) => SummaryKind::DutyReport,
        _ => SummaryKind::Personal,
    }
}

/// The role that decides a summary of `kind`: the department's head hears
/// its staff; the supervising leader of the department hears its head.
pub fn decider_role(kind: SummaryKind) -> Role {
    match kind {
        SummaryKind::Personal => Role::DepartmentHead,
        SummaryKind::DutyReport => Role::SupervisingLeader,
    }
}

/// Whether `user_id` holding `grants` decides the summary of `author_id`, who
/// takes part for `department_id`: the deciding role for that department,
/// and never the author (four eyes). A participant without a department has
/// nobody to decide.
pub fn may_decide(
    user_id: i64,
    grants: &Grants,
    author_id: i64,
    department_id: Option<i64>,
    kind: SummaryKind,
) -> bool {
    user_id != author_id && department_id.is_some_and(|d| grants.departments_for(decider_role(kind)).contains(&d))
}

/// The day summaries of a cycle are due: `summary_due_workdays` work days
/// after the period's end, but never after the assessment stage's planned end.
pub fn due_date(
    period_end: NaiveDate,
    assessment_until: NaiveDate,
    settings: &Settings,
    calendar: &WorkCalendar,
) -> NaiveDate {
    calendar.add_workdays(period_end, settings.summary_due_workdays.into()).min(assessment_until)
}

/// Whether a summary is late: not handed in after its due day, or first
/// handed in after it (a resubmission after a return is not counted again).
pub fn is_late(
    status: Option<SummaryStatus>,
    first_submitted_on: Option<NaiveDate>,
    due: NaiveDate,
    today: NaiveDate,
) -> bool {
    match first_submitted_on {
        Some(day) => day > due,
        None => !status.is_some_and(SummaryStatus::is_handed_in) && today > due,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::assessment::Scheme;
    use crate::domain::roles::RoleGrant;
    use SummaryStatus::*;
    use SummaryStep::*;

    const ASSESSMENT: CycleStage = CycleStage::Assessment;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn grants(list: &[(Role, Option<i64>)]) -> Grants {
        Grants(list.iter().map(|&(role, department_id)| RoleGrant { role, department_id }).collect())
    }

    #[test]
    fn a_first_save_makes_a_draft_and_saving_keeps_the_status() {
        assert_eq!(transition(None, SaveDraft, ASSESSMENT), Ok(Draft));
        assert_eq!(transition(Some(Draft), SaveDraft, ASSESSMENT), Ok(Draft));
        assert_eq!(transition(Some(Returned), SaveDraft, ASSESSMENT), Ok(Returned));
    }

    #[test]
    fn a_summary_is_submitted_from_nothing_a_draft_or_a_return() {
        for status in [None, Some(Draft), Some(Returned)] {
            assert_eq!(transition(status, Submit, ASSESSMENT), Ok(Submitted), "{status:?}");
        }
    }

    #[test]
    fn the_decider_accepts_or_returns_a_submitted_summary_only() {
        assert_eq!(transition(Some(Submitted), Accept, ASSESSMENT), Ok(Accepted));
        assert_eq!(transition(Some(Submitted), Return, ASSESSMENT), Ok(Returned));
        for status in [None, Some(Draft), Some(Returned), Some(Accepted)] {
            assert_eq!(transition(status, Accept, ASSESSMENT), Err(SummaryError::WrongStatus), "{status:?}");
            assert_eq!(transition(status, Return, ASSESSMENT), Err(SummaryError::WrongStatus), "{status:?}");
        }
    }

    #[test]
    fn a_handed_in_summary_is_not_edited_or_submitted_again() {
        for status in [Submitted, Accepted] {
            assert_eq!(transition(Some(status), SaveDraft, ASSESSMENT), Err(SummaryError::WrongStatus));
            assert_eq!(transition(Some(status), Submit, ASSESSMENT), Err(SummaryError::WrongStatus));
        }
    }

    #[test]
    fn nothing_happens_to_a_summary_outside_the_assessment_stage() {
        for stage in CycleStage::ALL.iter().copied().filter(|s| *s != ASSESSMENT) {
            for step in [SaveDraft, Submit, Accept, Return] {
                assert_eq!(transition(Some(Submitted), step, stage), Err(SummaryError::WrongStage));
                assert_eq!(transition(None, step, stage), Err(SummaryError::WrongStage));
            }
        }
    }

    #[test]
    fn the_text_is_limited_by_the_schemes_length_and_a_submission_is_not_empty() {
        let limit = Scheme::default_staff(2026).summary_max_chars;
        assert_eq!(limit, 3000);
        let full = "字".repeat(3000);
        assert_eq!(check_text(&full, Submit, limit), Ok(full.clone()));
        assert_eq!(check_text(&format!("{full}字"), SaveDraft, limit), Err(SummaryError::TooLong));
        assert_eq!(check_text("  ", SaveDraft, limit), Ok(String::new()));
        assert_eq!(check_text("  ", Submit, limit), Err(SummaryError::Empty));
        assert_eq!(check_text("  总结  ", Submit, limit), Ok("总结".into()));
    }

    #[test]
    fn a_return_needs_a_reason() {
        assert_eq!(check_reason(" ", 500), Err(SummaryError::ReasonRequired));
        assert_eq!(check_reason(&"x".repeat(501), 500), Err(SummaryError::TooLong));
        assert_eq!(check_reason(" 请补充目标完成情况 ", 500), Ok("请补充目标完成情况".into()));
    }

    #[test]
    fn a_head_of_their_own_department_writes_a_duty_report() {
        let head = grants(&[(Role::Staff, None), (Role::DepartmentHead, Some(3))]);
        assert_eq!(kind_for(&head, Some(3)), SummaryKind::DutyReport);
        assert_eq!(kind_for(&head, Some(4)), SummaryKind::Personal);
        assert_eq!(kind_for(&head, None), SummaryKind::Personal);
        assert_eq!(kind_for(&grants(&[(Role::Staff, None)]), Some(3)), SummaryKind::Personal);
    }

    #[test]
    fn the_head_decides_staff_summaries_of_their_department_only() {
        let head = grants(&[(Role::DepartmentHead, Some(3))]);
        assert!(may_decide(1, &head, 2, Some(3), SummaryKind::Personal));
        assert!(!may_decide(1, &head, 2, Some(4), SummaryKind::Personal));
        assert!(!may_decide(1, &head, 2, None, SummaryKind::Personal));
        assert!(!may_decide(1, &head, 2, Some(3), SummaryKind::DutyReport), "a head does not hear a head");
    }

    #[test]
    fn the_supervising_leader_hears_the_heads_duty_report_never_the_head() {
        let head = grants(&[(Role::Staff, None), (Role::DepartmentHead, Some(3))]);
        let leader = grants(&[(Role::SupervisingLeader, Some(3))]);
        assert!(!may_decide(1, &head, 1, Some(3), SummaryKind::DutyReport));
        assert!(!may_decide(1, &head, 1, Some(3), SummaryKind::Personal), "four eyes");
        assert!(may_decide(9, &leader, 1, Some(3), SummaryKind::DutyReport));
        assert!(!may_decide(9, &leader, 2, Some(3), SummaryKind::Personal), "staff go to their head");
        assert!(!may_decide(9, &leader, 1, Some(4), SummaryKind::DutyReport));
    }

    #[test]
    fn nobody_decides_their_own_summary_whatever_their_roles() {
        let everything = grants(&[(Role::DepartmentHead, Some(3)), (Role::SupervisingLeader, Some(3))]);
        for kind in SummaryKind::ALL {
            assert!(!may_decide(5, &everything, 5, Some(3), *kind), "{kind:?}");
        }
    }

    #[test]
    fn summaries_are_due_work_days_after_the_period_but_within_assessment() {
        let calendar = WorkCalendar::new([]);
        let settings = Settings { summary_due_workdays: 10, ..Settings::default() };
        // Wednesday 30 September 2026 + 10 work days (weekends only) = Wednesday 14 October.
        assert_eq!(due_date(day(9, 30), day(10, 31), &settings, &calendar), day(10, 14));
        assert_eq!(due_date(day(9, 30), day(10, 9), &settings, &calendar), day(10, 9));
    }

    #[test]
    fn lateness_counts_the_first_submission_or_today() {
        let due = day(10, 14);
        assert!(!is_late(None, None, due, day(10, 14)));
        assert!(is_late(None, None, due, day(10, 15)));
        assert!(is_late(Some(Draft), None, due, day(10, 15)));
        assert!(!is_late(Some(Submitted), Some(day(10, 14)), due, day(11, 1)));
        assert!(is_late(Some(Accepted), Some(day(10, 16)), due, day(11, 1)));
        // Returned after an on-time submission: not late again.
        assert!(!is_late(Some(Returned), Some(day(10, 13)), due, day(11, 1)));
    }
}

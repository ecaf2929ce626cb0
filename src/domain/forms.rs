//! The official A4 forms (docs/DOMAIN.md §20.5): which registration form a
//! cycle prints and under which title, which grades its blank boxes offer,
//! when a summary is printed and at which size, who the parties of a
//! target-responsibility letter are, and how a slip's colour is told on paper.

use super::assessment::summary::SummaryStatus;
use super::assessment::{AnnualGrade, DecidedGrade, QuarterGrade};
use super::identity::IdentityType;
use super::monitor::SlipColour;
use super::plan::{CycleKind, TargetLevel};

/// The registration form (考核登记表) of a cycle: the annual one
/// (年度考核登记表) or the routine one (平时考核登记表) of a quarter or a
/// special assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationForm {
    Annual,
    Routine,
}

impl RegistrationForm {
    pub fn of(kind: CycleKind) -> RegistrationForm {
        match kind {
            CycleKind::Annual => RegistrationForm::Annual,
            CycleKind::Quarterly | CycleKind::Special => RegistrationForm::Routine,
        }
    }

    /// The form's title: the annual form is named for the person's
    /// identity type (civil servants and those managed as one share it).
    pub fn title_key(kind: CycleKind, identity: IdentityType) -> &'static str {
        match (kind, identity) {
            (CycleKind::Annual, IdentityType::CivilServant | IdentityType::ManagedCivilServant) => {
                "form-title-annual-civil-servant"
            }
            (CycleKind::Annual, IdentityType::Institution) => "form-title-annual-institution",
            (CycleKind::Annual, IdentityType::ServiceWorker) => "form-title-annual-service-worker",
            (CycleKind::Quarterly, _) => "form-title-routine",
            (CycleKind::Special, _) => "form-title-special",
        }
    }

    /// The grades a blank box offers to tick, under the person's names
    /// (事业 staff: 合格 …); 不定等次 is not a grade one proposes.
    pub fn grade_choices(self, identity: IdentityType) -> Vec<&'static str> {
        match self {
            RegistrationForm::Annual => AnnualGrade::ALL
                .into_iter()
                .filter(|g| *g != AnnualGrade::Ungraded)
                .map(|g| DecidedGrade::Annual(g).label_key(identity))
                .collect(),
            RegistrationForm::Routine => QuarterGrade::ALL.into_iter().map(QuarterGrade::label_key).collect(),
        }
    }
}

/// Whether a summary's text goes on the form: only one handed in (submitted
/// or accepted); a draft or a returned text is not the person's summary yet.
pub fn summary_printed(status: Option<SummaryStatus>) -> bool {
    status.is_some_and(SummaryStatus::is_handed_in)
}

/// The size a summary is printed at, so that a long one still leaves the
/// rest of the form on its page: the class of its text block.
pub fn summary_size_class(text: &str) -> &'static str {
    match text.trim().chars().count() {
        0..=550 => "form-text",
        551..=850 => "form-text form-text-small",
        _ => "form-text form-text-smaller",
    }
}

/// Who signs a target-responsibility letter (目标责任书) for the issuing side
/// (甲方): the set's decider (docs/DOMAIN.md §6.4) — the department head for a
/// staff member's targets, the supervising leader for a department's targets
/// and for a head's own. The office's work points have no letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuingSide {
    DepartmentHead,
    SupervisingLeader,
}

impl IssuingSide {
    pub fn of(level: TargetLevel, owner_is_head: bool) -> Option<IssuingSide> {
        match level {
            TargetLevel::Person if owner_is_head => Some(IssuingSide::SupervisingLeader),
            TargetLevel::Person => Some(IssuingSide::DepartmentHead),
            TargetLevel::Department => Some(IssuingSide::SupervisingLeader),
            TargetLevel::Office => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            IssuingSide::DepartmentHead => "letter-role-head",
            IssuingSide::SupervisingLeader => "letter-role-leader",
        }
    }
}

/// The band of a slip's colour on paper: the colour for a colour printer,
/// and a border pattern of its own (solid, dashed, dotted), so a
/// black-and-white copy tells the colours apart besides the written name.
pub fn colour_band_class(colour: Option<SlipColour>) -> &'static str {
    match colour {
        Some(SlipColour::Red) => "colour-band colour-band-red",
        Some(SlipColour::Yellow) => "colour-band colour-band-yellow",
        Some(SlipColour::Blue) => "colour-band colour-band-blue",
        None => "colour-band colour-band-none",
    }
}

/// What a slip's colour means, in words (docs/DOMAIN.md §8.4).
pub fn colour_meaning_key(colour: Option<SlipColour>) -> &'static str {
    match colour {
        Some(SlipColour::Red) => "slip-meaning-red",
        Some(SlipColour::Yellow) => "slip-meaning-yellow",
        Some(SlipColour::Blue) => "slip-meaning-blue",
        None => "slip-meaning-none",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_annual_cycle_prints_the_annual_form_named_for_the_identity_type() {
        assert_eq!(RegistrationForm::of(CycleKind::Annual), RegistrationForm::Annual);
        assert_eq!(RegistrationForm::of(CycleKind::Quarterly), RegistrationForm::Routine);
        assert_eq!(RegistrationForm::of(CycleKind::Special), RegistrationForm::Routine);
        let title = RegistrationForm::title_key;
        assert_eq!(title(CycleKind::Annual, IdentityType::CivilServant), "form-title-annual-civil-servant");
        assert_eq!(title(CycleKind::Annual, IdentityType::ManagedCivilServant), "form-title-annual-civil-servant");
        assert_eq!(title(CycleKind::Annual, IdentityType::Institution), "form-title-annual-institution");
        assert_eq!(title(CycleKind::Quarterly, IdentityType::Institution), "form-title-routine");
        assert_eq!(title(CycleKind::Special, IdentityType::CivilServant), "form-title-special");
    }

    #[test]
    fn blank_grade_boxes_offer_the_grades_of_the_kind_under_the_persons_names() {
        let annual = RegistrationForm::Annual.grade_choices(IdentityType::CivilServant);
        assert_eq!(annual, ["grade-excellent", "grade-competent", "grade-basically-competent", "grade-incompetent"]);
        let institution = RegistrationForm::Annual.grade_choices(IdentityType::Institution);
        assert_eq!(institution[1], "grade-competent-institution");
        assert_eq!(RegistrationForm::Routine.grade_choices(IdentityType::Institution).len(), 4);
    }

    #[test]
    fn only_a_summary_handed_in_is_printed() {
        assert!(summary_printed(Some(SummaryStatus::Submitted)));
        assert!(summary_printed(Some(SummaryStatus::Accepted)));
        assert!(!summary_printed(Some(SummaryStatus::Draft)));
        assert!(!summary_printed(Some(SummaryStatus::Returned)));
        assert!(!summary_printed(None));
    }

    #[test]
    fn a_long_summary_is_printed_smaller() {
        assert_eq!(summary_size_class("短"), "form-text");
        assert_eq!(summary_size_class(&"字".repeat(550)), "form-text");
        assert_eq!(summary_size_class(&"字".repeat(551)), "form-text form-text-small");
        assert_eq!(summary_size_class(&"字".repeat(850)), "form-text form-text-small");
        assert_eq!(summary_size_class(&"字".repeat(3000)), "form-text form-text-smaller");
    }

    #[test]
    fn the_letter_is_signed_for_the_issuing_side_by_the_sets_decider() {
        assert_eq!(IssuingSide::of(TargetLevel::Person, false), Some(IssuingSide::DepartmentHead));
        assert_eq!(IssuingSide::of(TargetLevel::Person, true), Some(IssuingSide::SupervisingLeader));
        assert_eq!(IssuingSide::of(TargetLevel::Department, false), Some(IssuingSide::SupervisingLeader));
        assert_eq!(IssuingSide::of(TargetLevel::Office, false), None);
    }

    #[test]
    fn each_colour_has_its_own_band_and_meaning() {
        let bands: Vec<_> = [Some(SlipColour::Red), Some(SlipColour::Yellow), Some(SlipColour::Blue), None]
            .map(colour_band_class)
            .into();
        let mut unique = bands.clone();
        unique.dedup();
        assert_eq!(unique.len(), 4);
        assert_eq!(colour_meaning_key(Some(SlipColour::Red)), "slip-meaning-red");
    }
}

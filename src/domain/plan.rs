//! Stage 1, plan targets: cycles and their stages, target sets and their
//! workflow, the checks a plan must pass, and completion roll-up.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

code_enum!(
    /// 年度 / 平时 / 专项 (docs/DOMAIN.md §5.1).
    CycleKind, "cycle_kind", "cycle-kind", { Annual => "annual", Quarterly => "quarterly", Special => "special" }
);
code_enum!(
    /// The four stages of a cycle, then closed.
    CycleStage, "cycle_stage", "stage", {
        Planning => "planning", Implementation => "implementation", Assessment => "assessment",
        Feedback => "feedback", Closed => "closed",
    }
);
code_enum!(
    /// How often progress is reported in the implementation stage.
    ReportFrequency, "report_frequency", "frequency", { Monthly => "monthly", Quarterly => "quarterly" }
);
code_enum!(
    /// Office work points (年度工作要点), department targets, staff targets.
    TargetLevel, "target_level", "level", { Office => "office", Department => "department", Person => "person" }
);
code_enum!(
    TargetCategory, "target_category", "category", {
        KeyWork => "key_work", Routine => "routine", ServiceCommitment => "service_commitment",
        Innovation => "innovation", Supervision => "supervision",
    }
);
code_enum!(
    /// Quantitative (定量: a target value) or qualitative (定性: no number; its
    /// reports choose a [`Descriptor`]), docs/DOMAIN.md §6.2.
    TargetKind, "target_kind", "target-kind", { Quantitative => "quantitative", Qualitative => "qualitative" }
);
code_enum!(
    /// What a report on a qualitative target says instead of a number:
    /// 完成 / 基本完成 / 未完成 (docs/DOMAIN.md §7.3).
    Descriptor, "progress_descriptor", "descriptor", {
        Completed => "completed", BasicallyCompleted => "basically_completed", NotCompleted => "not_completed",
    }
);

impl Descriptor {
    /// The completion rate a descriptor stands for, a fixed mapping
    /// (docs/DOMAIN.md §6.7): 完成 100, 基本完成 80, 未完成 0.
    pub fn completion(self) -> Decimal {
        match self {
            Descriptor::Completed => Decimal::from(100),
            Descriptor::BasicallyCompleted => Decimal::from(80),
            Descriptor::NotCompleted => Decimal::ZERO,
        }
    }
}

code_enum!(
    /// Whether more or less of the measure is better.
    Direction, "target_direction", "direction", { HigherBetter => "higher_better", LowerBetter => "lower_better" }
);
code_enum!(
    /// Where a target set stands in its approval.
    PlanStatus, "plan_status", "plan-status", {
        Draft => "draft", Submitted => "submitted", Returned => "returned", Approved => "approved",
    }
);
code_enum!(
    /// A change request after approval (动态管理).
    ChangeStatus, "change_status", "change-status", { Pending => "pending", Approved => "approved", Rejected => "rejected" }
);

code_enum!(
    /// The grounds of a change request (docs/DOMAIN.md §6.6): policy change
    /// 政策调整, reorganisation 机构职能调整, force majeure 不可抗力, or other 其他
    /// (which must be explained).
    ChangeKind, "change_kind", "change-kind", {
        PolicyChange => "policy_change", Reorganisation => "reorganisation",
        ForceMajeure => "force_majeure", Other => "other",
    }
);

/// Why a change request's grounds are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeGroundsError {
    /// Not one of the statutory kinds.
    UnknownKind,
    /// "Other" needs the reason in words.
    ReasonRequired,
}

/// The kind of a change request and its reason (trimmed): the kind must be one
/// of [`ChangeKind`]; the text is required for "other" and optional otherwise.
pub fn change_grounds(kind: &str, reason: &str) -> Result<(ChangeKind, String), ChangeGroundsError> {
    let kind = ChangeKind::parse(kind).ok_or(ChangeGroundsError::UnknownKind)?;
    let reason = reason.trim();
    if kind == ChangeKind::Other && reason.is_empty() {
        return Err(ChangeGroundsError::ReasonRequired);
    }
    Ok((kind, reason.to_string()))
}

impl CycleStage {
    /// The stage after this one, if any.
    pub fn next(self) -> Option<CycleStage> {
        let all = CycleStage::ALL;
        all.iter().position(|s| *s == self).and_then(|i| all.get(i + 1)).copied()
    }

    /// The stage before this one, if any.
    pub fn previous(self) -> Option<CycleStage> {
        let all = CycleStage::ALL;
        all.iter().position(|s| *s == self).filter(|i| *i > 0).map(|i| all[i - 1])
    }
}

/// Why a workflow step was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkflowError {
    /// The set is not in a state that allows the step (e.g. approving a draft).
    WrongStatus,
    /// The cycle is not in the stage that allows the step.
    WrongStage,
    /// A return or a move back needs a reason.
    ReasonRequired,
    /// The plan fails a hard check (weights, required fields...).
    ChecksFail,
}

impl WorkflowError {
    pub fn label_key(self) -> &'static str {
        match self {
            WorkflowError::WrongStatus => "plan-error-wrong-status",
            WorkflowError::WrongStage => "plan-error-wrong-stage",
            WorkflowError::ReasonRequired => "plan-error-reason-required",
            WorkflowError::ChecksFail => "plan-error-checks-fail",
        }
    }
}

/// A step on a target set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanStep {
    Edit,
    Submit,
    Return,
    Approve,
}

/// The status after `step`, or why it is refused. Plans are written, submitted
/// and decided in the planning stage; after that they change only by change requests.
pub fn plan_transition(status: PlanStatus, step: PlanStep, stage: CycleStage) -> Result<PlanStatus, WorkflowError> {
    use PlanStatus::*;
    if stage != CycleStage::Planning {
        return Err(WorkflowError::WrongStage);
    }
    match (status, step) {
        (Draft | Returned, PlanStep::Edit) => Ok(status),
        (Draft | Returned, PlanStep::Submit) => Ok(Submitted),
        (Submitted, PlanStep::Return) => Ok(Returned),
        (Submitted, PlanStep::Approve) => Ok(Approved),
        _ => Err(WorkflowError::WrongStatus),
    }
}

/// A new set is opened only while the cycle is in planning.
pub fn may_open_set(stage: CycleStage) -> Result<(), WorkflowError> {
    if stage == CycleStage::Planning { Ok(()) } else { Err(WorkflowError::WrongStage) }
}

/// A change request may be made for an approved target while the cycle is in
/// planning or implementation.
pub fn may_request_change(status: PlanStatus, stage: CycleStage) -> Result<(), WorkflowError> {
    if !matches!(stage, CycleStage::Planning | CycleStage::Implementation) {
        Err(WorkflowError::WrongStage)
    } else if status != PlanStatus::Approved {
        Err(WorkflowError::WrongStatus)
    } else {
        Ok(())
    }
}

/// A change request may be decided while it is pending and a change could
/// still be requested: the set approved, the cycle in planning or
/// implementation (checked again at decision time, as the cycle may have moved on).
pub fn may_decide_change(change: ChangeStatus, status: PlanStatus, stage: CycleStage) -> Result<(), WorkflowError> {
    if change != ChangeStatus::Pending {
        return Err(WorkflowError::WrongStatus);
    }
    may_request_change(status, stage)
}

/// A move of a cycle's stage: forward one step, or back one step with a reason.
pub fn stage_move(from: CycleStage, to: CycleStage, reason: &str) -> Result<(), WorkflowError> {
    if from.next() == Some(to) {
        Ok(())
    } else if from.previous() == Some(to) {
        if reason.trim().is_empty() { Err(WorkflowError::ReasonRequired) } else { Ok(()) }
    } else {
        Err(WorkflowError::WrongStage)
    }
}

/// The fields of one target that the checks look at.
#[derive(Debug, Clone, Default)]
pub struct TargetFacts {
    /// A qualitative target (定性) has no target value to check.
    pub qualitative: bool,
    pub title: String,
    pub measure: String,
    pub target_value: Option<Decimal>,
    pub baseline: Option<Decimal>,
    pub direction: Option<Direction>,
    pub weight: Decimal,
    pub deadline: Option<NaiveDate>,
    pub assessment_method: String,
    pub owner_id: Option<i64>,
    pub backup_id: Option<i64>,
}

/// A finding of the plan checks. Hard ones block submission; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanIssue {
    MeasureMissing,
    ValueMissing,
    DeadlineMissing,
    MethodMissing,
    DeadlineOutsideCycle,
    OwnerIsBackup,
    NoTargets,
    /// The weights of the set do not add up to 100.
    WeightsNot100,
    /// "Advanced" (先进): the value is below last year's actual.
    BelowLastYear,
}

impl PlanIssue {
    pub fn is_blocking(self) -> bool {
        self != PlanIssue::BelowLastYear
    }

    pub fn label_key(self) -> &'static str {
        match self {
            PlanIssue::MeasureMissing => "check-measure-missing",
            PlanIssue::ValueMissing => "check-value-missing",
            PlanIssue::DeadlineMissing => "check-deadline-missing",
            PlanIssue::MethodMissing => "check-method-missing",
            PlanIssue::DeadlineOutsideCycle => "check-deadline-outside-cycle",
            PlanIssue::OwnerIsBackup => "check-owner-is-backup",
            PlanIssue::NoTargets => "check-no-targets",
            PlanIssue::WeightsNot100 => "check-weights-not-100",
            PlanIssue::BelowLastYear => "check-below-last-year",
        }
    }
}

/// The findings for one target within a cycle's period.
pub fn check_target(target: &TargetFacts, period: (NaiveDate, NaiveDate)) -> Vec<PlanIssue> {
    let mut issues = Vec::new();
    if target.measure.trim().is_empty() {
        issues.push(PlanIssue::MeasureMissing);
    }
    if target.target_value.is_none() && !target.qualitative {
        issues.push(PlanIssue::ValueMissing);
    }
    match target.deadline {
        None => issues.push(PlanIssue::DeadlineMissing),
        Some(d) if d < period.0 || d > period.1 => issues.push(PlanIssue::DeadlineOutsideCycle),
        Some(_) => {}
    }
    if target.assessment_method.trim().is_empty() {
        issues.push(PlanIssue::MethodMissing);
    }
    if target.owner_id.is_some() && target.owner_id == target.backup_id {
        issues.push(PlanIssue::OwnerIsBackup);
    }
    if let (Some(value), Some(baseline)) = (target.target_value, target.baseline) {
        let below = match target.direction.unwrap_or(Direction::HigherBetter) {
            Direction::HigherBetter => value < baseline,
            Direction::LowerBetter => value > baseline,
        };
        if below {
            issues.push(PlanIssue::BelowLastYear);
        }
    }
    issues
}

/// The findings for a whole set: no targets, weights not summing to 100.
pub fn check_set(weights: &[Decimal], level: TargetLevel) -> Vec<PlanIssue> {
    if weights.is_empty() {
        return vec![PlanIssue::NoTargets];
    }
    let total: Decimal = weights.iter().sum();
    if level != TargetLevel::Office && total != Decimal::from(100) { vec![PlanIssue::WeightsNot100] } else { vec![] }
}

/// Completion rate in percent: audited ÷ target × 100, inverted when less is
/// better; kept within 0 and `cap_percent` (the year's `completion_cap_percent`,
/// 150 by default) so one outlier cannot swamp a weighted total. A "zero
/// incidents" kind of target met with zero is complete (100), not more.
pub fn completion_rate(audited: Decimal, target: Decimal, direction: Direction, cap_percent: i32) -> Option<Decimal> {
    let hundred = Decimal::from(100);
    let rate = match direction {
        Direction::HigherBetter if !target.is_zero() => audited / target * hundred,
        Direction::LowerBetter if !audited.is_zero() => target / audited * hundred,
        Direction::LowerBetter if target >= audited => hundred,
        _ => return None,
    };
    Some(rate.max(Decimal::ZERO).min(Decimal::from(cap_percent)).round_dp(1))
}

/// A target's completion from its audited value: for a qualitative target
/// the audited value is already its descriptor's completion (§6.7).
pub fn target_completion(
    kind: TargetKind,
    audited: Option<Decimal>,
    target: Option<Decimal>,
    direction: Direction,
    cap_percent: i32,
) -> Option<Decimal> {
    match kind {
        TargetKind::Qualitative => audited.map(|a| a.max(Decimal::ZERO).min(Decimal::from(cap_percent)).round_dp(1)),
        TargetKind::Quantitative => completion_rate(audited?, target?, direction, cap_percent),
    }
}

/// Weighted completion of several targets (weight, completion); targets
/// without a completion yet are left out, and `None` when none has one.
pub fn weighted_completion(parts: &[(Decimal, Option<Decimal>)]) -> Option<Decimal> {
    let known: Vec<(Decimal, Decimal)> = parts.iter().filter_map(|(w, c)| c.map(|c| (*w, c))).collect();
    let total_weight: Decimal = known.iter().map(|(w, _)| *w).sum();
    if known.is_empty() || total_weight.is_zero() {
        return None;
    }
    let sum: Decimal = known.iter().map(|(w, c)| w * c).sum();
    Some((sum / total_weight).round_dp(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn period() -> (NaiveDate, NaiveDate) {
        (NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap())
    }

    fn complete() -> TargetFacts {
        TargetFacts {
            qualitative: false,
            title: "提案办复率".into(),
            measure: "办复率".into(),
            target_value: Some(dec!(98)),
            baseline: Some(dec!(95)),
            direction: Some(Direction::HigherBetter),
            weight: dec!(30),
            deadline: NaiveDate::from_ymd_opt(2026, 11, 30),
            assessment_method: "查阅办理台账".into(),
            owner_id: Some(1),
            backup_id: Some(2),
        }
    }

    #[test]
    fn a_complete_target_passes() {
        assert!(check_target(&complete(), period()).is_empty());
    }

    #[test]
    fn missing_fields_and_a_late_deadline_block() {
        let target = TargetFacts { deadline: NaiveDate::from_ymd_opt(2027, 1, 15), ..TargetFacts::default() };
        let issues = check_target(&target, period());
        assert_eq!(
            issues,
            vec![
                PlanIssue::MeasureMissing,
                PlanIssue::ValueMissing,
                PlanIssue::DeadlineOutsideCycle,
                PlanIssue::MethodMissing
            ]
        );
        assert!(issues.iter().all(|i| i.is_blocking()));
    }

    #[test]
    fn a_qualitative_target_needs_no_number() {
        let target = TargetFacts { qualitative: true, target_value: None, baseline: None, ..complete() };
        assert!(check_target(&target, period()).is_empty());
        // It still needs its measure, deadline and method.
        let bare = TargetFacts { qualitative: true, ..TargetFacts::default() };
        assert!(!check_target(&bare, period()).contains(&PlanIssue::ValueMissing));
        assert!(check_target(&bare, period()).contains(&PlanIssue::MethodMissing));
    }

    #[test]
    fn a_descriptor_maps_to_a_fixed_completion() {
        assert_eq!(Descriptor::Completed.completion(), dec!(100));
        assert_eq!(Descriptor::BasicallyCompleted.completion(), dec!(80));
        assert_eq!(Descriptor::NotCompleted.completion(), dec!(0));
        let audited = Some(Descriptor::BasicallyCompleted.completion());
        assert_eq!(
            target_completion(TargetKind::Qualitative, audited, None, Direction::HigherBetter, 150),
            Some(dec!(80.0))
        );
        assert_eq!(target_completion(TargetKind::Qualitative, None, None, Direction::HigherBetter, 150), None);
        assert_eq!(
            target_completion(TargetKind::Quantitative, Some(dec!(49)), Some(dec!(50)), Direction::HigherBetter, 150),
            Some(dec!(98.0))
        );
        assert_eq!(
            target_completion(TargetKind::Quantitative, Some(dec!(49)), None, Direction::HigherBetter, 150),
            None
        );
    }

    #[test]
    fn owner_and_backup_must_differ() {
        let target = TargetFacts { backup_id: Some(1), ..complete() };
        assert_eq!(check_target(&target, period()), vec![PlanIssue::OwnerIsBackup]);
    }

    #[test]
    fn a_value_below_last_year_warns_without_blocking() {
        let target = TargetFacts { target_value: Some(dec!(90)), ..complete() };
        assert_eq!(check_target(&target, period()), vec![PlanIssue::BelowLastYear]);
        assert!(!PlanIssue::BelowLastYear.is_blocking());
        // When less is better, a higher value is the weaker one.
        let fewer = TargetFacts {
            direction: Some(Direction::LowerBetter),
            target_value: Some(dec!(3)),
            baseline: Some(dec!(5)),
            ..complete()
        };
        assert!(check_target(&fewer, period()).is_empty());
    }

    #[test]
    fn weights_must_sum_to_exactly_100() {
        assert!(check_set(&[dec!(40), dec!(35.5), dec!(24.5)], TargetLevel::Person).is_empty());
        assert_eq!(check_set(&[dec!(40), dec!(40)], TargetLevel::Person), vec![PlanIssue::WeightsNot100]);
        assert_eq!(check_set(&[], TargetLevel::Department), vec![PlanIssue::NoTargets]);
        assert!(check_set(&[dec!(10)], TargetLevel::Office).is_empty());
    }

    #[test]
    fn the_plan_workflow_allows_only_its_transitions() {
        use PlanStatus::*;
        let planning = CycleStage::Planning;
        assert_eq!(plan_transition(Draft, PlanStep::Submit, planning), Ok(Submitted));
        assert_eq!(plan_transition(Returned, PlanStep::Submit, planning), Ok(Submitted));
        assert_eq!(plan_transition(Submitted, PlanStep::Return, planning), Ok(Returned));
        assert_eq!(plan_transition(Submitted, PlanStep::Approve, planning), Ok(Approved));
        assert_eq!(plan_transition(Draft, PlanStep::Approve, planning), Err(WorkflowError::WrongStatus));
        assert_eq!(plan_transition(Approved, PlanStep::Edit, planning), Err(WorkflowError::WrongStatus));
        assert_eq!(plan_transition(Submitted, PlanStep::Edit, planning), Err(WorkflowError::WrongStatus));
        assert_eq!(
            plan_transition(Draft, PlanStep::Submit, CycleStage::Implementation),
            Err(WorkflowError::WrongStage)
        );
    }

    #[test]
    fn change_requests_need_an_approved_target_in_planning_or_implementation() {
        assert_eq!(may_request_change(PlanStatus::Approved, CycleStage::Implementation), Ok(()));
        assert_eq!(may_request_change(PlanStatus::Draft, CycleStage::Implementation), Err(WorkflowError::WrongStatus));
        assert_eq!(may_request_change(PlanStatus::Approved, CycleStage::Assessment), Err(WorkflowError::WrongStage));
    }

    #[test]
    fn sets_are_opened_only_in_planning() {
        assert_eq!(may_open_set(CycleStage::Planning), Ok(()));
        for stage in [CycleStage::Implementation, CycleStage::Assessment, CycleStage::Closed] {
            assert_eq!(may_open_set(stage), Err(WorkflowError::WrongStage), "{stage:?}");
        }
    }

    #[test]
    fn a_change_is_decided_only_while_pending_in_planning_or_implementation() {
        use ChangeStatus::*;
        assert_eq!(may_decide_change(Pending, PlanStatus::Approved, CycleStage::Implementation), Ok(()));
        assert_eq!(
            may_decide_change(Pending, PlanStatus::Approved, CycleStage::Closed),
            Err(WorkflowError::WrongStage)
        );
        assert_eq!(
            may_decide_change(Pending, PlanStatus::Approved, CycleStage::Assessment),
            Err(WorkflowError::WrongStage)
        );
        assert_eq!(
            may_decide_change(Approved, PlanStatus::Approved, CycleStage::Planning),
            Err(WorkflowError::WrongStatus)
        );
        assert_eq!(
            may_decide_change(Pending, PlanStatus::Returned, CycleStage::Planning),
            Err(WorkflowError::WrongStatus)
        );
    }

    #[test]
    fn a_change_rests_on_a_statutory_ground_and_other_must_be_explained() {
        assert_eq!(change_grounds("policy_change", ""), Ok((ChangeKind::PolicyChange, String::new())));
        assert_eq!(change_grounds("force_majeure", " 台风 "), Ok((ChangeKind::ForceMajeure, "台风".into())));
        assert_eq!(change_grounds("other", " "), Err(ChangeGroundsError::ReasonRequired));
        assert_eq!(change_grounds("other", "上级交办新任务"), Ok((ChangeKind::Other, "上级交办新任务".into())));
        assert_eq!(change_grounds("workload", "太忙"), Err(ChangeGroundsError::UnknownKind));
        assert_eq!(change_grounds("", "太忙"), Err(ChangeGroundsError::UnknownKind));
    }

    #[test]
    fn stages_move_forward_freely_and_back_with_a_reason() {
        use CycleStage::*;
        assert_eq!(stage_move(Planning, Implementation, ""), Ok(()));
        assert_eq!(stage_move(Implementation, Planning, " "), Err(WorkflowError::ReasonRequired));
        assert_eq!(stage_move(Implementation, Planning, "补录目标"), Ok(()));
        assert_eq!(stage_move(Planning, Assessment, ""), Err(WorkflowError::WrongStage));
        assert_eq!(Closed.next(), None);
        assert_eq!(Planning.previous(), None);
    }

    #[test]
    fn completion_is_inverted_when_less_is_better_and_capped() {
        assert_eq!(completion_rate(dec!(49), dec!(50), Direction::HigherBetter, 150), Some(dec!(98.0)));
        assert_eq!(completion_rate(dec!(4), dec!(2), Direction::LowerBetter, 150), Some(dec!(50.0)));
        assert_eq!(completion_rate(dec!(500), dec!(100), Direction::HigherBetter, 150), Some(dec!(150)));
        assert_eq!(completion_rate(dec!(5), dec!(0), Direction::HigherBetter, 150), None);
        assert_eq!(completion_rate(dec!(0), dec!(0), Direction::LowerBetter, 150), Some(dec!(100)));
        // The year's cap: 120 % holds the outlier lower.
        assert_eq!(completion_rate(dec!(500), dec!(100), Direction::HigherBetter, 120), Some(dec!(120)));
    }

    #[test]
    fn weighted_completion_ignores_targets_not_yet_reported() {
        let parts = [(dec!(60), Some(dec!(100))), (dec!(40), Some(dec!(50))), (dec!(20), None)];
        assert_eq!(weighted_completion(&parts), Some(dec!(80.0)));
        assert_eq!(weighted_completion(&[(dec!(50), None)]), None);
    }

    #[test]
    fn every_code_round_trips() {
        for kind in CycleKind::ALL {
            assert_eq!(CycleKind::parse(kind.code()), Some(*kind));
        }
        for status in PlanStatus::ALL {
            assert_eq!(PlanStatus::parse(status.code()), Some(*status));
        }
        assert_eq!(TargetCategory::KeyWork.label_key(), "category-key-work");
    }
}

/// One node of the alignment tree for [`rollup`].
#[derive(Debug, Clone, Copy)]
pub struct TreeNode {
    pub id: i64,
    pub parent: Option<i64>,
    pub weight: Decimal,
    /// The node's own completion from audited progress, if reported.
    pub own: Option<Decimal>,
}

/// Completion of every node: a node with aligned children shows their
/// weighted completion, a leaf its own. Cycles in the parent links (which the
/// forms do not allow) are cut by visiting each node once.
pub fn rollup(nodes: &[TreeNode]) -> std::collections::HashMap<i64, Option<Decimal>> {
    use std::collections::HashMap;
    let mut children: HashMap<i64, Vec<&TreeNode>> = HashMap::new();
    for node in nodes {
        if let Some(parent) = node.parent {
            children.entry(parent).or_default().push(node);
        }
    }
    fn visit(
        node: &TreeNode,
        children: &HashMap<i64, Vec<&TreeNode>>,
        done: &mut HashMap<i64, Option<Decimal>>,
    ) -> Option<Decimal> {
        if let Some(known) = done.get(&node.id) {
            return *known;
        }
        done.insert(node.id, None);
        let value = match children.get(&node.id) {
            Some(kids) => {
                let parts: Vec<(Decimal, Option<Decimal>)> =
                    kids.iter().map(|k| (k.weight, visit(k, children, done))).collect();
                weighted_completion(&parts)
            }
            None => node.own,
        };
        done.insert(node.id, value);
        value
    }
    let mut done = HashMap::new();
    for node in nodes {
        visit(node, &children, &mut done);
    }
    done
}

#[cfg(test)]
mod rollup_tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn parents_show_the_weighted_completion_of_their_children() {
        let nodes = [
            TreeNode { id: 1, parent: None, weight: dec!(0), own: None },
            TreeNode { id: 2, parent: Some(1), weight: dec!(60), own: None },
            TreeNode { id: 3, parent: Some(1), weight: dec!(40), own: Some(dec!(50)) },
            TreeNode { id: 4, parent: Some(2), weight: dec!(30), own: Some(dec!(100)) },
            TreeNode { id: 5, parent: Some(2), weight: dec!(70), own: None },
        ];
        let done = rollup(&nodes);
        assert_eq!(done[&2], Some(dec!(100.0)));
        assert_eq!(done[&1], Some(dec!(80.0)));
        assert_eq!(done[&5], None);
    }

    #[test]
    fn a_parent_loop_does_not_hang() {
        let nodes = [
            TreeNode { id: 1, parent: Some(2), weight: dec!(1), own: Some(dec!(10)) },
            TreeNode { id: 2, parent: Some(1), weight: dec!(1), own: Some(dec!(20)) },
        ];
        assert_eq!(rollup(&nodes).len(), 2);
    }
}

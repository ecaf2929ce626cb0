//! Who may do what. Handlers call these at their top; everything not allowed
//! here is refused (deny by default).
//!
//! The `can_*` functions answer a question (to show or hide a button); the
//! `require_*` functions are the checks at the top of a handler: they return
//! what the handler needs to know (the departments in scope, the sides held)
//! or [`Denied`], which the web layer answers with 403.

use super::assessment::department::RaterKind as DepartmentRaterKind;
use super::roles::{Grants, Role};
use super::supervision::{self, ItemFacts, Sides};
use super::{absences, commitments, ledger, reports};

/// A policy refused the request; the web layer answers 403.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Denied;

/// `Ok` when `allowed`, else [`Denied`].
pub fn allow(allowed: bool) -> Result<(), Denied> {
    if allowed { Ok(()) } else { Err(Denied) }
}

/// `Some(scope)` when allowed, else [`Denied`].
fn allow_some<T>(scope: Option<T>) -> Result<T, Denied> {
    scope.ok_or(Denied)
}

/// The departments in a role's list, refused when there are none.
fn non_empty(departments: Vec<i64>) -> Result<Vec<i64>, Denied> {
    if departments.is_empty() { Err(Denied) } else { Ok(departments) }
}

/// An office-wide capability, decided by the roles a person holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See departments, people and posts.
    ViewOrganisation,
    /// Create and edit departments and posts, and people's organisational
    /// fields (name, department, rank, identity type, phone).
    ManageOrganisation,
    /// Account lifecycle: activate, deactivate and rename accounts, grant and
    /// withdraw roles, reset passwords.
    ManageAccounts,
    /// Import a roster file.
    ImportRoster,
    /// Read the audit log.
    ReadAuditLog,
    /// Create cycles and move their stages; generate their rater tasks, enter
    /// paper ballots and correct ballots (docs/DOMAIN.md §17.12).
    ManageCycles,
    /// Keep the work-day calendar.
    ManageCalendar,
    /// Keep the office's work points and every department's service commitments
    /// and post templates.
    ManagePlanning,
    /// Read every department's plans and the completeness board.
    ViewAllPlans,
    /// Open, assign, verify and close supervision items.
    ManageSupervision,
    /// Keep the standard bonus/penalty list and review ledger records.
    ManageLedger,
    /// Read the office-wide monitoring board.
    ViewOfficeBoard,
    /// Set the numbers of the office's rules, per year (docs/DOMAIN.md §1.4).
    ManageSettings,
    /// Keep the criteria schemes of assessment (考核方案, docs/DOMAIN.md §17.10).
    ManageSchemes,
    /// Read discipline inspection's records (docs/DOMAIN.md §2.5).
    ReadDisciplineRecords,
    /// Enter, correct and withdraw discipline inspection's records.
    KeepDisciplineRecords,
    /// Decide a cycle's grades and answer the objections raised in publicity.
    DecideAssessment,
    /// Read every participant's self-summary (docs/DOMAIN.md §17.11).
    ReadAllSummaries,
    /// Read the register of the committee's members (docs/DOMAIN.md §18.1).
    ViewMembers,
    /// Add, edit, deactivate and import the committee's members.
    ManageMembers,
    /// Create satisfaction surveys, print and export their links, close them
    /// (docs/DOMAIN.md §18.3).
    ManageSurveys,
    /// Read every department's satisfaction results (docs/DOMAIN.md §18.3).
    ReadAllSurveyResults,
    /// Read every person's written notices and the interviews' records, and
    /// follow the notices still waiting (docs/DOMAIN.md §19.1).
    ReadAllNotices,
    /// Read every year's excellence self-assessment (docs/DOMAIN.md §21.4);
    /// invited assessors read the years they score.
    ViewExcellence,
    /// Open a year's self-assessment, keep its standard, assessors, figures
    /// and benchmarks, record consensus, complete it and turn improvements
    /// into rectification (docs/DOMAIN.md §21.4).
    ManageExcellence,
}

impl Permission {
    /// The roles that carry the permission.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Permission::ViewOrganisation => &[Role::SystemAdmin, Role::PerformanceOffice, Role::Auditor],
            Permission::ManageOrganisation => &[Role::SystemAdmin, Role::PerformanceOffice],
            Permission::ManageAccounts | Permission::ImportRoster => &[Role::SystemAdmin],
            Permission::ReadAuditLog => &[Role::SystemAdmin, Role::Auditor],
            Permission::ManageCycles | Permission::ManageCalendar | Permission::ManagePlanning => {
                &[Role::PerformanceOffice]
            }
            Permission::ViewAllPlans => &[Role::PerformanceOffice, Role::AssessmentCommittee, Role::Auditor],
            Permission::ManageSupervision => &[Role::SupervisionOfficer],
            Permission::ManageLedger | Permission::ManageSettings | Permission::ManageSchemes => {
                &[Role::PerformanceOffice]
            }
            Permission::ViewOfficeBoard => {
                &[Role::PerformanceOffice, Role::SupervisingLeader, Role::AssessmentCommittee, Role::Auditor]
            }
            Permission::ReadDisciplineRecords => &[Role::DisciplineInspection, Role::PerformanceOffice],
            Permission::KeepDisciplineRecords => &[Role::DisciplineInspection],
            Permission::DecideAssessment => &[Role::AssessmentCommittee],
            Permission::ReadAllSummaries => &[Role::PerformanceOffice, Role::AssessmentCommittee],
            Permission::ViewMembers => &[
                Role::PerformanceOffice,
                Role::SystemAdmin,
                Role::Auditor,
                Role::AssessmentCommittee,
                Role::DepartmentHead,
            ],
            Permission::ManageMembers => &[Role::PerformanceOffice, Role::SystemAdmin],
            Permission::ManageSurveys => &[Role::PerformanceOffice],
            Permission::ReadAllSurveyResults => {
                &[Role::PerformanceOffice, Role::AssessmentCommittee, Role::SupervisingLeader, Role::Auditor]
            }
            Permission::ReadAllNotices => &[Role::PerformanceOffice, Role::AssessmentCommittee, Role::Auditor],
            Permission::ViewExcellence => &[
                Role::PerformanceOffice,
                Role::SupervisingLeader,
                Role::PrincipalLeader,
                Role::AssessmentCommittee,
                Role::Auditor,
            ],
            Permission::ManageExcellence => &[Role::PerformanceOffice],
        }
    }
}

/// Whether the grants carry the permission.
pub fn allows(grants: &Grants, permission: Permission) -> bool {
    grants.has_any(permission.roles())
}

/// Whether someone holding `grants` may change anything of a person who holds
/// `held`: the organisation's keepers may, except that an account holding the
/// system-administrator role is changed by a system administrator alone.
pub fn can_edit_person(grants: &Grants, held: &Grants) -> bool {
    allows(grants, Permission::ManageOrganisation) && (!held.has(Role::SystemAdmin) || grants.has(Role::SystemAdmin))
}

/// Refuses unless the person may change anything of a person who holds `held`.
pub fn require_edit_person(grants: &Grants, held: &Grants) -> Result<(), Denied> {
    allow(can_edit_person(grants, held))
}

/// Whether someone may change an account's lifecycle: whether it is active,
/// its username and its roles. Account management alone; the performance
/// office keeps only the organisational fields.
pub fn can_change_account(grants: &Grants) -> bool {
    allows(grants, Permission::ManageAccounts)
}

/// Whether a person may be made inactive by the user: not by themselves, so
/// that nobody locks themselves out.
pub fn can_deactivate(user_id: i64, person_id: i64) -> bool {
    user_id != person_id
}

/// Refuses unless the grants carry the permission.
pub fn require(grants: &Grants, permission: Permission) -> Result<(), Denied> {
    allow(allows(grants, permission))
}

/// Who reads satisfaction results: `None` for every department's rows (the
/// performance office, the committee, supervising leaders, auditors), else
/// the departments a head heads; refused for anyone else (docs/DOMAIN.md §18.3).
pub fn require_survey_reader(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    if allows(grants, Permission::ReadAllSurveyResults) {
        return Ok(None);
    }
    require_department_head(grants).map(Some)
}

/// The departments the person heads; refused for someone who heads none.
pub fn require_department_head(grants: &Grants) -> Result<Vec<i64>, Denied> {
    non_empty(grants.departments_for(Role::DepartmentHead))
}

/// Refuses unless the person heads `department_id`.
pub fn require_head_of(grants: &Grants, department_id: i64) -> Result<(), Denied> {
    allow(grants.departments_for(Role::DepartmentHead).contains(&department_id))
}

/// The departments the person oversees as supervising leader; refused for
/// someone who oversees none.
pub fn require_supervising_leader(grants: &Grants) -> Result<Vec<i64>, Denied> {
    non_empty(grants.departments_for(Role::SupervisingLeader))
}

/// Heads and supervising leaders decide sets, changes and reports (and have a queue).
pub fn require_decider(grants: &Grants) -> Result<(), Denied> {
    allow(grants.has_any(&[Role::DepartmentHead, Role::SupervisingLeader]))
}

/// Who reads plans beyond their own: `None` for the office-wide plan readers
/// (every department), else the departments a head or leader has; refused for
/// anyone else.
pub fn require_plan_reader(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    if allows(grants, Permission::ViewAllPlans) {
        return Ok(None);
    }
    require_decider(grants)?;
    let mut ids = grants.departments_for(Role::DepartmentHead);
    ids.extend(grants.departments_for(Role::SupervisingLeader));
    Ok(Some(ids))
}

/// Who imports targets (docs/DOMAIN.md §20.3): `None` for any department
/// (the performance office, which keeps the office's planning), else the
/// departments a head heads and so writes the plans of; refused for anyone else.
pub fn require_target_importer(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    if allows(grants, Permission::ManagePlanning) {
        return Ok(None);
    }
    require_department_head(grants).map(Some)
}

/// Whether the person imports targets into the plans of `department_id`.
pub fn can_import_targets_for(grants: &Grants, department_id: i64) -> bool {
    match require_target_importer(grants) {
        Ok(None) => true,
        Ok(Some(headed)) => headed.contains(&department_id),
        Err(Denied) => false,
    }
}

/// Refuses unless the person imports targets into the plans of `department_id`.
pub fn require_import_targets_for(grants: &Grants, department_id: i64) -> Result<(), Denied> {
    allow(can_import_targets_for(grants, department_id))
}

/// Who sees posts: `None` for the organisation's readers (every post), the
/// departments a head heads; refused for anyone else.
pub fn require_posts_reader(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    if allows(grants, Permission::ViewOrganisation) { Ok(None) } else { require_department_head(grants).map(Some) }
}

/// Who keeps service commitments and post templates: `None` for every
/// department (the performance office), else the departments a head heads;
/// refused for someone who keeps none.
pub fn require_plan_config_keeper(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    allow(commitments::can_manage_some_plan_config(grants))?;
    Ok(commitments::plan_config_departments(grants))
}

/// Refuses unless the person keeps this department's commitments and post templates.
pub fn require_department_plan_config(grants: &Grants, department_id: i64) -> Result<(), Denied> {
    allow(commitments::can_manage_department_plan_config(grants, department_id))
}

/// Who reads a post's templates: their keepers and the organisation's readers.
/// Returns whether the person also keeps them.
pub fn require_view_post_templates(grants: &Grants, department_id: i64) -> Result<bool, Denied> {
    let keeps = commitments::can_manage_department_plan_config(grants, department_id);
    if !keeps {
        require(grants, Permission::ViewOrganisation)?;
    }
    Ok(keeps)
}

/// Who opens supervision items: `None` for every department (the supervision
/// officer), else the departments a leader oversees; refused for anyone else.
pub fn require_supervision_opener(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    allow(supervision::can_open(grants))?;
    Ok(supervision::opens_for(grants))
}

/// Refuses unless the person reads the item.
pub fn require_read_item(user_id: i64, grants: &Grants, item: &ItemFacts<'_>) -> Result<(), Denied> {
    allow(supervision::can_read(user_id, grants, item))
}

/// The sides the person holds in the item; refused for someone with none.
pub fn require_item_side(user_id: i64, grants: &Grants, item: &ItemFacts<'_>) -> Result<Sides, Denied> {
    let sides = supervision::sides(user_id, grants, item);
    if sides.any() { Ok(sides) } else { Err(Denied) }
}

/// Refuses unless the person decides the item's extension request asked by
/// `requested_by` (see `supervision::can_decide_extension`).
pub fn require_decide_extension(
    user_id: i64,
    grants: &Grants,
    item: &ItemFacts<'_>,
    requested_by: i64,
) -> Result<(), Denied> {
    allow(supervision::can_decide_extension(user_id, grants, item, requested_by))
}

/// Refuses unless the person is on the assignee side of the item (answers its slips).
pub fn require_item_assignee(user_id: i64, grants: &Grants, item: &ItemFacts<'_>) -> Result<(), Denied> {
    allow(supervision::sides(user_id, grants, item).assignee)
}

/// Refuses unless the person answers a slip of the item charged to
/// `charged_to`: the assignee side, or the person it is charged to (a B who
/// covered on the missed due date).
pub fn require_slip_answerer(
    user_id: i64,
    grants: &Grants,
    item: &ItemFacts<'_>,
    charged_to: Option<i64>,
) -> Result<(), Denied> {
    allow(charged_to == Some(user_id) || supervision::sides(user_id, grants, item).assignee)
}

/// Who records absences: `None` for anyone (the performance office, the
/// administrator), else the departments a head heads; refused for someone
/// who records none.
pub fn require_absence_recorder(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    allow(absences::records_any(grants))?;
    Ok(absences::records_for(grants))
}

/// Refuses unless the person records absences of someone in `department`.
pub fn require_record_absence_in(grants: &Grants, department: Option<i64>) -> Result<(), Denied> {
    allow(absences::can_record(grants, department))
}

/// The posts whose cover the person watches (`None`: every post); refused for
/// someone who watches none.
pub fn require_cover_watcher(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    allow_some(absences::watches_cover(grants))
}

/// Who opens the ledger: `None` for every department, else the departments a
/// head heads; refused for someone who reads none.
pub fn require_ledger_reader(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    allow(ledger::can_read_ledger(grants))?;
    Ok(ledger::ledger_scope(grants))
}

/// Whose assessment scores the person reads (docs/DOMAIN.md §17.13): `None`
/// for every participant (the performance office, the assessment committee,
/// the auditor), else the departments they head or oversee; refused for
/// anyone else (who reads only their own breakdown).
pub fn score_reader_scope(grants: &Grants) -> Option<Option<Vec<i64>>> {
    if grants.has_any(&[Role::PerformanceOffice, Role::AssessmentCommittee, Role::Auditor]) {
        return Some(None);
    }
    let mut departments = grants.departments_for(Role::DepartmentHead);
    departments.extend(grants.departments_for(Role::SupervisingLeader));
    departments.sort_unstable();
    departments.dedup();
    (!departments.is_empty()).then_some(Some(departments))
}

/// The departments whose scores the person reads (`None`: all); refused for
/// someone who reads none.
pub fn require_score_reader(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    allow_some(score_reader_scope(grants))
}

/// Refuses unless the person reads the breakdown of `person_id` of
/// `department`: their own, or one in their scope.
pub fn require_read_score(
    user_id: i64,
    grants: &Grants,
    person_id: i64,
    department: Option<i64>,
) -> Result<(), Denied> {
    let in_scope = match score_reader_scope(grants) {
        Some(None) => true,
        Some(Some(departments)) => department.is_some_and(|d| departments.contains(&d)),
        None => false,
    };
    allow(user_id == person_id || in_scope)
}

/// What the person reads of the ledger list (see `ledger::reach`); refused
/// for someone who reads none of it.
pub fn require_ledger_list_reader(grants: &Grants) -> Result<ledger::Reach, Denied> {
    allow_some(ledger::reach(grants))
}

/// Refuses unless the person reads a record whose subject belongs to
/// `department` and is `subject_person` (see `ledger::can_read_record`).
pub fn require_read_ledger_record(
    user_id: i64,
    grants: &Grants,
    department: Option<i64>,
    subject_person: Option<i64>,
) -> Result<(), Denied> {
    allow(ledger::can_read_record(user_id, grants, department, subject_person))
}

/// Who reads department boards (处室看板): `None` for every department (the
/// assessment committee, the performance office and the auditor, who open
/// them from the office board), else the departments a head heads and a
/// leader oversees; refused for anyone else.
pub fn require_department_board_reader(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    if grants.has_any(&[Role::AssessmentCommittee, Role::PerformanceOffice, Role::Auditor]) {
        return Ok(None);
    }
    let mut ids = grants.departments_for(Role::DepartmentHead);
    ids.extend(grants.departments_for(Role::SupervisingLeader));
    ids.sort_unstable();
    ids.dedup();
    non_empty(ids).map(Some)
}

/// Who reads absences beyond their own: `None` for everyone's (those who
/// record anybody's, and auditors, read-only), else the departments a head heads.
pub fn absence_reader_scope(grants: &Grants) -> Option<Vec<i64>> {
    if grants.has(Role::Auditor) { None } else { absences::records_for(grants) }
}

/// Who proposes ledger records: `None` for every department, else the
/// departments a head heads; refused for anyone else.
pub fn require_ledger_proposer(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    allow(ledger::can_propose(grants))?;
    Ok(ledger::propose_scope(grants))
}

/// Refuses unless the person verifies or returns the report (see `reports::can_verify`).
pub fn require_verify_report(
    user_id: i64,
    grants: &Grants,
    set: &SetFacts,
    owner_id: Option<i64>,
    submitted_by: i64,
) -> Result<(), Denied> {
    allow(reports::can_verify(user_id, grants, set, owner_id, submitted_by))
}

/// Refuses unless the person reads the target's reports and evidence (see `reports::can_read`).
pub fn require_read_report(
    user_id: i64,
    grants: &Grants,
    set: &SetFacts,
    owner_id: Option<i64>,
    reports_now: bool,
) -> Result<(), Denied> {
    allow(reports::can_read(user_id, grants, set, owner_id, reports_now))
}

/// Refuses unless the person proposes records about a subject in `department`.
pub fn require_propose_in(grants: &Grants, department: Option<i64>) -> Result<(), Denied> {
    allow(ledger::can_propose_in(grants, department))
}

/// Who opens the overview of self-summaries: `None` for every department
/// (the performance office, the assessment committee), else the departments
/// a head heads and a leader oversees; refused for anyone else.
pub fn require_summary_overview(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    if allows(grants, Permission::ReadAllSummaries) {
        return Ok(None);
    }
    let mut ids = grants.departments_for(Role::DepartmentHead);
    ids.extend(grants.departments_for(Role::SupervisingLeader));
    ids.sort_unstable();
    ids.dedup();
    non_empty(ids).map(Some)
}

/// Refuses unless the person reads the summary of `author_id`, written for
/// `department_id`: the author, the head and the supervising leader of that
/// department, and the office-wide readers.
pub fn require_read_summary(
    user_id: i64,
    grants: &Grants,
    author_id: i64,
    department_id: Option<i64>,
) -> Result<(), Denied> {
    let scoped = department_id.is_some_and(|d| {
        grants.departments_for(Role::DepartmentHead).contains(&d)
            || grants.departments_for(Role::SupervisingLeader).contains(&d)
    });
    allow(user_id == author_id || scoped || allows(grants, Permission::ReadAllSummaries))
}

/// Refuses unless the person reads every summary of `department_id` (the
/// batch of its registration forms, docs/DOMAIN.md §20.5): the office-wide
/// readers, and the department's heads and supervising leaders.
pub fn require_read_department_summaries(grants: &Grants, department_id: i64) -> Result<(), Denied> {
    let scope = require_summary_overview(grants)?;
    allow(scope.is_none_or(|departments| departments.contains(&department_id)))
}

/// Refuses unless the person accepts or returns the summary (see
/// `assessment::summary::may_decide`: the deciding role, never the author).
pub fn require_decide_summary(
    user_id: i64,
    grants: &Grants,
    author_id: i64,
    department_id: Option<i64>,
    kind: super::assessment::summary::SummaryKind,
) -> Result<(), Denied> {
    allow(super::assessment::summary::may_decide(user_id, grants, author_id, department_id, kind))
}

/// Refuses unless the person takes part in the cycle (writes a summary in it).
pub fn require_participant(participant: bool) -> Result<(), Denied> {
    allow(participant)
}

/// The department ballots a person casts (docs/DOMAIN.md §18.4): the office
/// leaders rate every department; a department head rates the departments
/// they do not head. Refused for anyone else.
pub fn require_department_rater(grants: &Grants) -> Result<Vec<(DepartmentRaterKind, Vec<i64>)>, Denied> {
    let mut kinds = Vec::new();
    if grants.has_any(&[Role::SupervisingLeader, Role::PrincipalLeader]) {
        kinds.push((DepartmentRaterKind::Leader, Vec::new()));
    }
    let headed = grants.departments_for(Role::DepartmentHead);
    if !headed.is_empty() {
        kinds.push((DepartmentRaterKind::Peer, headed));
    }
    allow(!kinds.is_empty())?;
    Ok(kinds)
}

/// Refuses unless the person may correct a ballot about `ratee_id` cast by
/// `rater_id` (named groups; `None` for a democratic or paper ballot): the
/// keepers of cycles, four eyes — never a ballot about themself, nor their own.
pub fn require_correct_ballot(
    user_id: i64,
    grants: &Grants,
    ratee_id: i64,
    rater_id: Option<i64>,
) -> Result<(), Denied> {
    require(grants, Permission::ManageCycles)?;
    allow(user_id != ratee_id && rater_id != Some(user_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roles::RoleGrant;

    #[test]
    fn summaries_are_read_by_their_author_the_department_s_head_and_leader_and_the_office() {
        let head = Grants(vec![RoleGrant { role: Role::DepartmentHead, department_id: Some(3) }]);
        let leader = Grants(vec![RoleGrant { role: Role::SupervisingLeader, department_id: Some(3) }]);
        assert_eq!(require_read_summary(1, &Grants::default(), 1, Some(3)), Ok(()));
        assert_eq!(require_read_summary(2, &Grants::default(), 1, Some(3)), Err(Denied));
        assert_eq!(require_read_summary(2, &head, 1, Some(3)), Ok(()));
        assert_eq!(require_read_summary(2, &head, 1, Some(4)), Err(Denied));
        assert_eq!(require_read_summary(2, &leader, 1, Some(3)), Ok(()));
        assert_eq!(require_read_summary(2, &holding(Role::AssessmentCommittee), 1, None), Ok(()));
        assert_eq!(require_summary_overview(&holding(Role::Staff)), Err(Denied));
        assert_eq!(require_summary_overview(&head), Ok(Some(vec![3])));
        assert_eq!(require_summary_overview(&holding(Role::PerformanceOffice)), Ok(None));
    }

    #[test]
    fn survey_results_are_read_office_wide_or_for_a_head_s_own_department() {
        let head = Grants(vec![RoleGrant { role: Role::DepartmentHead, department_id: Some(3) }]);
        assert_eq!(require_survey_reader(&head), Ok(Some(vec![3])));
        for role in [Role::PerformanceOffice, Role::AssessmentCommittee, Role::SupervisingLeader, Role::Auditor] {
            assert_eq!(require_survey_reader(&holding(role)), Ok(None), "{role:?}");
        }
        assert_eq!(require_survey_reader(&holding(Role::Staff)), Err(Denied));
        assert!(allows(&holding(Role::PerformanceOffice), Permission::ManageSurveys));
        assert!(!allows(&holding(Role::AssessmentCommittee), Permission::ManageSurveys));
    }

    fn holding(role: Role) -> Grants {
        let department_id = role.is_department_scoped().then_some(1);
        Grants(vec![RoleGrant { role, department_id }])
    }

    #[test]
    fn staff_holds_no_admin_permission() {
        let staff = holding(Role::Staff);
        for p in [
            Permission::ViewOrganisation,
            Permission::ManageOrganisation,
            Permission::ManageAccounts,
            Permission::ImportRoster,
            Permission::ReadAuditLog,
        ] {
            assert!(!allows(&staff, p), "{p:?}");
        }
    }

    #[test]
    fn auditor_reads_but_does_not_write() {
        let auditor = holding(Role::Auditor);
        assert!(allows(&auditor, Permission::ViewOrganisation));
        assert!(allows(&auditor, Permission::ReadAuditLog));
        assert!(!allows(&auditor, Permission::ManageOrganisation));
    }

    #[test]
    fn performance_office_edits_organisation_but_not_accounts() {
        let office = holding(Role::PerformanceOffice);
        assert!(allows(&office, Permission::ManageOrganisation));
        assert!(!allows(&office, Permission::ManageAccounts));
        assert!(!allows(&office, Permission::ReadAuditLog));
    }

    #[test]
    fn only_a_system_administrator_changes_an_administrators_account() {
        let admin = holding(Role::SystemAdmin);
        let staff = holding(Role::Staff);
        for role in Role::ALL {
            let editor = holding(role);
            let expected_for_staff = matches!(role, Role::SystemAdmin | Role::PerformanceOffice);
            assert_eq!(can_edit_person(&editor, &staff), expected_for_staff, "{role:?} editing staff");
            assert_eq!(
                can_edit_person(&editor, &admin),
                role == Role::SystemAdmin,
                "{role:?} editing an administrator"
            );
        }
        let office_and_admin = Grants(vec![
            RoleGrant { role: Role::PerformanceOffice, department_id: None },
            RoleGrant { role: Role::SystemAdmin, department_id: None },
        ]);
        assert!(!can_edit_person(&holding(Role::PerformanceOffice), &office_and_admin));
    }

    #[test]
    fn account_lifecycle_belongs_to_the_system_administrator_alone() {
        for role in Role::ALL {
            assert_eq!(can_change_account(&holding(role)), role == Role::SystemAdmin, "{role:?}");
        }
        assert!(!can_change_account(&Grants::default()));
    }

    #[test]
    fn nobody_deactivates_themselves() {
        assert!(!can_deactivate(7, 7));
        assert!(can_deactivate(7, 8));
    }

    #[test]
    fn the_members_register_is_read_by_the_office_heads_and_overseers_and_kept_by_the_office() {
        for role in Role::ALL {
            let grants = holding(role);
            let reads = matches!(
                role,
                Role::PerformanceOffice
                    | Role::SystemAdmin
                    | Role::Auditor
                    | Role::AssessmentCommittee
                    | Role::DepartmentHead
            );
            assert_eq!(allows(&grants, Permission::ViewMembers), reads, "{role:?}");
            let keeps = matches!(role, Role::PerformanceOffice | Role::SystemAdmin);
            assert_eq!(allows(&grants, Permission::ManageMembers), keeps, "{role:?}");
        }
    }

    #[test]
    fn empty_grants_allow_nothing() {
        assert!(!allows(&Grants::default(), Permission::ViewOrganisation));
    }
}

/// What the plan policies need to know about a target set.
#[derive(Debug, Clone, Copy)]
pub struct SetFacts {
    pub level: super::plan::TargetLevel,
    /// The department of the set (the owner's department for a person set).
    pub department_id: Option<i64>,
    /// The owner of a person set.
    pub person_id: Option<i64>,
    /// Whether the owner of a person set heads the set's department.
    pub owner_is_head: bool,
}

/// Who writes a set while it is a draft or returned: the owner of a person
/// set or the head of its department (assigning work); the head of a
/// department for the department's set; the performance office for the
/// office's work points.
pub fn can_edit_set(user_id: i64, grants: &Grants, set: &SetFacts) -> bool {
    use super::plan::TargetLevel::*;
    let heads = |d: Option<i64>| d.is_some_and(|d| grants.departments_for(Role::DepartmentHead).contains(&d));
    match set.level {
        Person => set.person_id == Some(user_id) || heads(set.department_id),
        Department => heads(set.department_id),
        Office => grants.has(Role::PerformanceOffice),
    }
}

/// Who approves or returns a set: the department head for staff sets; the
/// supervising leader for department sets and for a head's own set. Nobody
/// decides their own set. Office work points are adopted, not approved.
pub fn can_decide_set(user_id: i64, grants: &Grants, set: &SetFacts) -> bool {
    use super::plan::TargetLevel::*;
    let Some(department) = set.department_id else { return false };
    if set.person_id == Some(user_id) {
        return false;
    }
    let leads = grants.departments_for(Role::SupervisingLeader).contains(&department);
    match set.level {
        Person if set.owner_is_head => leads,
        Person => grants.departments_for(Role::DepartmentHead).contains(&department),
        Department => leads,
        Office => false,
    }
}

/// Who decides a change request to a target of the set: the set's decider,
/// but never the person who requested it (four eyes).
pub fn can_decide_change(user_id: i64, grants: &Grants, set: &SetFacts, requested_by: i64) -> bool {
    requested_by != user_id && can_decide_set(user_id, grants, set)
}

/// Refuses unless the person writes the set.
pub fn require_edit_set(user_id: i64, grants: &Grants, set: &SetFacts) -> Result<(), Denied> {
    allow(can_edit_set(user_id, grants, set))
}

/// Refuses unless the person decides a change request to a target of the
/// set: the set's decider, never the requester.
pub fn require_decide_change(user_id: i64, grants: &Grants, set: &SetFacts, requested_by: i64) -> Result<(), Denied> {
    allow(can_decide_change(user_id, grants, set, requested_by))
}

/// Refuses unless the person reads the set.
pub fn require_view_set(user_id: i64, grants: &Grants, set: &SetFacts) -> Result<(), Denied> {
    allow(can_view_set(user_id, grants, set))
}

/// Who reads a set: its writers and deciders, the leader overseeing the
/// department, and the office-wide roles that follow plans.
pub fn can_view_set(user_id: i64, grants: &Grants, set: &SetFacts) -> bool {
    let office_wide = grants.has_any(&[Role::PerformanceOffice, Role::AssessmentCommittee, Role::Auditor]);
    let oversees = set.department_id.is_some_and(|d| grants.departments_for(Role::SupervisingLeader).contains(&d));
    office_wide
        || oversees
        || set.level == super::plan::TargetLevel::Office
        || can_edit_set(user_id, grants, set)
        || can_decide_set(user_id, grants, set)
}

#[cfg(test)]
mod plan_tests {
    use super::*;
    use crate::domain::plan::TargetLevel;
    use crate::domain::roles::RoleGrant;

    fn grants(list: &[(Role, Option<i64>)]) -> Grants {
        Grants(
            list.iter().map(|(role, department_id)| RoleGrant { role: *role, department_id: *department_id }).collect(),
        )
    }

    fn staff_set(owner: i64, department: i64) -> SetFacts {
        SetFacts {
            level: TargetLevel::Person,
            department_id: Some(department),
            person_id: Some(owner),
            owner_is_head: false,
        }
    }

    #[test]
    fn staff_edit_their_own_set_and_cannot_approve_it() {
        let staff = grants(&[(Role::Staff, None)]);
        assert!(can_edit_set(7, &staff, &staff_set(7, 1)));
        assert!(!can_edit_set(7, &staff, &staff_set(8, 1)));
        assert!(!can_decide_set(7, &staff, &staff_set(7, 1)));
    }

    #[test]
    fn a_head_decides_staff_sets_of_their_department_only() {
        let head = grants(&[(Role::DepartmentHead, Some(1))]);
        assert!(can_decide_set(9, &head, &staff_set(7, 1)));
        assert!(!can_decide_set(9, &head, &staff_set(7, 2)));
        assert!(can_edit_set(9, &head, &staff_set(7, 1)));
    }

    #[test]
    fn a_heads_own_set_goes_to_the_supervising_leader() {
        let head = grants(&[(Role::DepartmentHead, Some(1))]);
        let own = SetFacts { owner_is_head: true, ..staff_set(9, 1) };
        assert!(!can_decide_set(9, &head, &own));
        let other_head = SetFacts { owner_is_head: true, ..staff_set(10, 1) };
        assert!(!can_decide_set(9, &head, &other_head));
        let leader = grants(&[(Role::SupervisingLeader, Some(1))]);
        assert!(can_decide_set(3, &leader, &other_head));
    }

    #[test]
    fn a_head_never_decides_a_change_they_requested() {
        let head = grants(&[(Role::DepartmentHead, Some(1))]);
        let set = staff_set(7, 1);
        assert!(can_edit_set(9, &head, &set), "the head may request a change to a staff target");
        assert!(!can_decide_change(9, &head, &set, 9));
        assert!(can_decide_change(9, &head, &set, 7));
        let other_head = grants(&[(Role::DepartmentHead, Some(1))]);
        assert!(can_decide_change(10, &other_head, &set, 9));
        assert!(!can_decide_change(7, &grants(&[(Role::Staff, None)]), &set, 9));
    }

    #[test]
    fn department_sets_are_written_by_the_head_and_decided_by_the_leader() {
        let set =
            SetFacts { level: TargetLevel::Department, department_id: Some(1), person_id: None, owner_is_head: false };
        assert!(can_edit_set(9, &grants(&[(Role::DepartmentHead, Some(1))]), &set));
        assert!(!can_decide_set(9, &grants(&[(Role::DepartmentHead, Some(1))]), &set));
        assert!(can_decide_set(3, &grants(&[(Role::SupervisingLeader, Some(1))]), &set));
        assert!(!can_decide_set(3, &grants(&[(Role::SupervisingLeader, Some(2))]), &set));
    }

    #[test]
    fn the_office_roles_read_every_set() {
        for role in [Role::PerformanceOffice, Role::AssessmentCommittee, Role::Auditor] {
            assert!(can_view_set(1, &grants(&[(role, None)]), &staff_set(7, 1)));
        }
        assert!(!can_view_set(1, &grants(&[(Role::Staff, None)]), &staff_set(7, 1)));
        assert!(!can_view_set(1, &grants(&[(Role::DisciplineInspection, None)]), &staff_set(7, 1)));
    }
}

#[cfg(test)]
mod require_tests {
    use super::*;
    use crate::domain::plan::TargetLevel;
    use crate::domain::roles::RoleGrant;

    fn grants(list: &[(Role, Option<i64>)]) -> Grants {
        Grants(
            list.iter().map(|(role, department_id)| RoleGrant { role: *role, department_id: *department_id }).collect(),
        )
    }

    #[test]
    fn the_office_corrects_a_ballot_unless_it_is_about_or_by_the_corrector() {
        let office = grants(&[(Role::PerformanceOffice, None)]);
        assert_eq!(require_correct_ballot(1, &office, 2, None), Ok(()));
        assert_eq!(require_correct_ballot(1, &office, 2, Some(3)), Ok(()));
        assert_eq!(require_correct_ballot(1, &office, 1, None), Err(Denied), "about themself");
        assert_eq!(require_correct_ballot(1, &office, 2, Some(1)), Err(Denied), "their own ballot");
        assert_eq!(require_correct_ballot(1, &grants(&[(Role::AssessmentCommittee, None)]), 2, None), Err(Denied));
    }

    #[test]
    fn a_departments_summaries_are_read_by_its_head_and_leader_and_the_office_wide_readers() {
        let head = grants(&[(Role::DepartmentHead, Some(2))]);
        assert_eq!(require_read_department_summaries(&head, 2), Ok(()));
        assert_eq!(require_read_department_summaries(&head, 3), Err(Denied));
        assert_eq!(require_read_department_summaries(&grants(&[(Role::SupervisingLeader, Some(3))]), 3), Ok(()));
        assert_eq!(require_read_department_summaries(&grants(&[(Role::AssessmentCommittee, None)]), 3), Ok(()));
        assert_eq!(require_read_department_summaries(&grants(&[(Role::PerformanceOffice, None)]), 3), Ok(()));
        assert_eq!(require_read_department_summaries(&grants(&[(Role::Auditor, None)]), 3), Err(Denied));
        assert_eq!(require_read_department_summaries(&grants(&[(Role::Staff, None)]), 3), Err(Denied));
    }

    #[test]
    fn require_answers_denied_without_the_permission() {
        assert_eq!(require(&grants(&[(Role::SystemAdmin, None)]), Permission::ManageAccounts), Ok(()));
        assert_eq!(require(&grants(&[(Role::Staff, None)]), Permission::ManageAccounts), Err(Denied));
    }

    #[test]
    fn a_head_is_required_to_head_some_department_and_gets_them() {
        let head = grants(&[(Role::DepartmentHead, Some(2)), (Role::DepartmentHead, Some(5))]);
        assert_eq!(require_department_head(&head), Ok(vec![2, 5]));
        assert_eq!(require_head_of(&head, 5), Ok(()));
        assert_eq!(require_head_of(&head, 1), Err(Denied));
        assert_eq!(require_department_head(&grants(&[(Role::SupervisingLeader, Some(2))])), Err(Denied));
        assert_eq!(require_supervising_leader(&grants(&[(Role::SupervisingLeader, Some(2))])), Ok(vec![2]));
        assert_eq!(require_supervising_leader(&head), Err(Denied));
    }

    #[test]
    fn deciders_are_heads_and_leaders() {
        assert_eq!(require_decider(&grants(&[(Role::DepartmentHead, Some(1))])), Ok(()));
        assert_eq!(require_decider(&grants(&[(Role::SupervisingLeader, Some(1))])), Ok(()));
        assert_eq!(require_decider(&grants(&[(Role::PerformanceOffice, None)])), Err(Denied));
    }

    #[test]
    fn plan_readers_see_all_or_their_departments() {
        assert_eq!(require_plan_reader(&grants(&[(Role::Auditor, None)])), Ok(None));
        let both = grants(&[(Role::DepartmentHead, Some(1)), (Role::SupervisingLeader, Some(3))]);
        assert_eq!(require_plan_reader(&both), Ok(Some(vec![1, 3])));
        assert_eq!(require_plan_reader(&grants(&[(Role::Staff, None)])), Err(Denied));
    }

    #[test]
    fn targets_are_imported_by_the_office_for_any_department_and_by_heads_for_theirs() {
        let office = grants(&[(Role::PerformanceOffice, None)]);
        let head = grants(&[(Role::DepartmentHead, Some(4))]);
        assert_eq!(require_target_importer(&office), Ok(None));
        assert_eq!(require_target_importer(&head), Ok(Some(vec![4])));
        assert!(can_import_targets_for(&office, 9) && can_import_targets_for(&head, 4));
        assert!(!can_import_targets_for(&head, 9));
        assert_eq!(require_import_targets_for(&head, 9), Err(Denied));
        for role in [Role::Staff, Role::SupervisingLeader, Role::AssessmentCommittee, Role::Auditor] {
            assert_eq!(require_target_importer(&grants(&[(role, Some(4))])), Err(Denied), "{role:?}");
        }
    }

    #[test]
    fn posts_are_read_by_the_organisation_readers_and_heads() {
        assert_eq!(require_posts_reader(&grants(&[(Role::Auditor, None)])), Ok(None));
        assert_eq!(require_posts_reader(&grants(&[(Role::DepartmentHead, Some(4))])), Ok(Some(vec![4])));
        assert_eq!(require_posts_reader(&grants(&[(Role::Staff, None)])), Err(Denied));
    }

    #[test]
    fn plan_configuration_is_kept_by_the_office_and_heads() {
        let office = grants(&[(Role::PerformanceOffice, None)]);
        let head = grants(&[(Role::DepartmentHead, Some(4))]);
        assert_eq!(require_plan_config_keeper(&office), Ok(None));
        assert_eq!(require_plan_config_keeper(&head), Ok(Some(vec![4])));
        assert_eq!(require_plan_config_keeper(&grants(&[(Role::Staff, None)])), Err(Denied));
        assert_eq!(require_department_plan_config(&head, 4), Ok(()));
        assert_eq!(require_department_plan_config(&head, 5), Err(Denied));
        assert_eq!(require_view_post_templates(&head, 4), Ok(true));
        assert_eq!(require_view_post_templates(&grants(&[(Role::Auditor, None)]), 4), Ok(false));
        assert_eq!(require_view_post_templates(&head, 5), Err(Denied));
    }

    #[test]
    fn supervision_items_are_opened_read_and_answered_by_their_sides() {
        let officer = grants(&[(Role::SupervisionOfficer, None)]);
        let leader = grants(&[(Role::SupervisingLeader, Some(1))]);
        let staff = grants(&[(Role::Staff, None)]);
        assert_eq!(require_supervision_opener(&officer), Ok(None));
        assert_eq!(require_supervision_opener(&leader), Ok(Some(vec![1])));
        assert_eq!(require_supervision_opener(&staff), Err(Denied));
        let item = ItemFacts {
            department_id: 1,
            assignee_id: Some(7),
            covering_id: None,
            co_department_ids: &[],
            charged_ids: &[],
        };
        assert_eq!(require_read_item(7, &staff, &item), Ok(()));
        assert_eq!(require_read_item(8, &staff, &item), Err(Denied));
        assert_eq!(require_item_side(3, &leader, &item).map(|s| s.supervisor), Ok(true));
        assert_eq!(require_item_side(8, &staff, &item), Err(Denied));
        assert_eq!(require_item_assignee(7, &staff, &item), Ok(()));
        assert_eq!(require_item_assignee(3, &leader, &item), Err(Denied));
    }

    #[test]
    fn absences_are_recorded_by_the_office_and_heads_of_the_department() {
        let head = grants(&[(Role::DepartmentHead, Some(2))]);
        assert_eq!(require_absence_recorder(&grants(&[(Role::SystemAdmin, None)])), Ok(None));
        assert_eq!(require_absence_recorder(&head), Ok(Some(vec![2])));
        assert_eq!(require_absence_recorder(&grants(&[(Role::Staff, None)])), Err(Denied));
        assert_eq!(require_record_absence_in(&head, Some(2)), Ok(()));
        assert_eq!(require_record_absence_in(&head, None), Err(Denied));
        assert_eq!(require_cover_watcher(&head), Ok(Some(vec![2])));
        assert_eq!(require_cover_watcher(&grants(&[(Role::Auditor, None)])), Err(Denied));
        // Auditors read everyone's absences and record none.
        assert_eq!(absence_reader_scope(&grants(&[(Role::Auditor, None)])), None);
        assert_eq!(require_absence_recorder(&grants(&[(Role::Auditor, None)])), Err(Denied));
        assert_eq!(absence_reader_scope(&head), Some(vec![2]));
    }

    #[test]
    fn leaders_read_the_boards_of_the_departments_they_oversee() {
        let leader = grants(&[(Role::SupervisingLeader, Some(3)), (Role::SupervisingLeader, Some(5))]);
        assert_eq!(require_department_board_reader(&leader), Ok(Some(vec![3, 5])));
        let both = grants(&[(Role::DepartmentHead, Some(5)), (Role::SupervisingLeader, Some(3))]);
        assert_eq!(require_department_board_reader(&both), Ok(Some(vec![3, 5])));
        for role in [Role::AssessmentCommittee, Role::PerformanceOffice, Role::Auditor] {
            assert_eq!(require_department_board_reader(&grants(&[(role, None)])), Ok(None), "{role:?}");
        }
        for role in [Role::Staff, Role::DisciplineInspection, Role::SupervisionOfficer] {
            assert_eq!(require_department_board_reader(&grants(&[(role, None)])), Err(Denied), "{role:?}");
        }
    }

    #[test]
    fn the_ledger_is_read_and_proposed_within_scope() {
        let head = grants(&[(Role::DepartmentHead, Some(2))]);
        let auditor = grants(&[(Role::Auditor, None)]);
        assert_eq!(require_ledger_reader(&auditor), Ok(None));
        assert_eq!(require_ledger_reader(&head), Ok(Some(vec![2])));
        assert_eq!(require_ledger_reader(&grants(&[(Role::Staff, None)])), Err(Denied));
        assert_eq!(require_ledger_list_reader(&grants(&[(Role::Staff, None)])), Ok(ledger::Reach::Own));
        assert_eq!(require_ledger_list_reader(&grants(&[(Role::SystemAdmin, None)])), Err(Denied));
        let leader = grants(&[(Role::SupervisingLeader, Some(4))]);
        assert_eq!(require_ledger_reader(&leader), Ok(Some(vec![4])));
        assert_eq!(require_ledger_reader(&grants(&[(Role::AssessmentCommittee, None)])), Ok(None));
        assert_eq!(require_read_ledger_record(1, &head, Some(3), None), Err(Denied));
        assert_eq!(require_read_ledger_record(7, &grants(&[(Role::Staff, None)]), Some(3), Some(7)), Ok(()));
        assert_eq!(require_ledger_proposer(&auditor), Err(Denied));
        assert_eq!(require_ledger_proposer(&grants(&[(Role::PerformanceOffice, None)])), Ok(None));
        assert_eq!(require_propose_in(&head, Some(2)), Ok(()));
        assert_eq!(require_propose_in(&head, None), Err(Denied));
    }

    #[test]
    fn set_and_report_checks_follow_the_can_rules() {
        let set =
            SetFacts { level: TargetLevel::Person, department_id: Some(1), person_id: Some(7), owner_is_head: false };
        let head = grants(&[(Role::DepartmentHead, Some(1))]);
        let staff = grants(&[(Role::Staff, None)]);
        assert_eq!(require_edit_set(7, &staff, &set), Ok(()));
        assert_eq!(require_decide_change(7, &staff, &set, 8), Err(Denied));
        assert_eq!(require_decide_change(9, &head, &set, 7), Ok(()));
        assert_eq!(require_decide_change(9, &head, &set, 9), Err(Denied), "never their own request");
        assert_eq!(require_view_set(8, &staff, &set), Err(Denied));
        assert_eq!(require_verify_report(9, &head, &set, Some(7), 7), Ok(()));
        assert_eq!(require_verify_report(9, &head, &set, Some(7), 9), Err(Denied));
        assert_eq!(require_read_report(8, &staff, &set, Some(7), true), Ok(()));
        assert_eq!(require_read_report(8, &staff, &set, Some(7), false), Err(Denied));
    }
}

// ---------------------------------------------------------------------------
// Stage 4: written notices and feedback interviews (docs/DOMAIN.md §19.1, §19.2).

/// The departments whose notices and interviews a person follows: `None` for
/// every department (the performance office, the assessment committee,
/// auditors), else those they head or oversee (possibly none).
pub fn feedback_scope(grants: &Grants) -> Option<Vec<i64>> {
    if allows(grants, Permission::ReadAllNotices) {
        return None;
    }
    let mut departments = grants.departments_for(Role::DepartmentHead);
    departments.extend(grants.departments_for(Role::SupervisingLeader));
    departments.sort_unstable();
    departments.dedup();
    Some(departments)
}

/// The departments whose notices a person follows (`None`: all); refused for
/// someone who follows none (their own notices are not a list they follow).
pub fn require_feedback_follower(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    match feedback_scope(grants) {
        Some(departments) if departments.is_empty() => Err(Denied),
        scope => Ok(scope),
    }
}

/// Whether a person reads a notice or an interview record about `person_id`
/// of `department_id`: the person, and those who follow the department.
pub fn can_read_feedback(user_id: i64, grants: &Grants, person_id: i64, department_id: Option<i64>) -> bool {
    user_id == person_id
        || match feedback_scope(grants) {
            None => true,
            Some(scope) => department_id.is_some_and(|d| scope.contains(&d)),
        }
}

pub fn require_read_feedback(
    user_id: i64,
    grants: &Grants,
    person_id: i64,
    department_id: Option<i64>,
) -> Result<(), Denied> {
    allow(can_read_feedback(user_id, grants, person_id, department_id))
}

/// Whether a person holds the feedback interview of `person_id` of
/// `department_id`: its head or supervising leader, never the person.
pub fn can_interview(user_id: i64, grants: &Grants, person_id: i64, department_id: Option<i64>) -> bool {
    user_id != person_id
        && department_id.is_some_and(|d| {
            grants.departments_for(Role::DepartmentHead).contains(&d)
                || grants.departments_for(Role::SupervisingLeader).contains(&d)
        })
}

// ---------------------------------------------------------------------------
// Work systems: events (docs/DOMAIN.md §18.2).

/// What the event policies need to know about an event.
#[derive(Debug, Clone, Copy)]
pub struct EventFacts<'a> {
    /// The owner department (牵头).
    pub department_id: i64,
    pub co_department_ids: &'a [i64],
    /// The owners of its preparation tasks and follow-ups.
    pub task_owner_ids: &'a [i64],
}

/// Whether the grants read every event: the performance office, the
/// assessment committee, supervising leaders and auditors.
pub fn reads_all_events(grants: &Grants) -> bool {
    grants.has_any(&[Role::PerformanceOffice, Role::AssessmentCommittee, Role::SupervisingLeader, Role::Auditor])
}

/// The owner departments a person may create events for: `None` for all (the
/// performance office), else the departments they head; refused for others.
pub fn require_event_creator(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    if grants.has(Role::PerformanceOffice) {
        return Ok(None);
    }
    non_empty(grants.departments_for(Role::DepartmentHead)).map(Some)
}

/// Whether a person manages an event: the performance office, or the head of
/// its owner department.
pub fn can_manage_event(grants: &Grants, event: &EventFacts<'_>) -> bool {
    grants.has(Role::PerformanceOffice) || grants.departments_for(Role::DepartmentHead).contains(&event.department_id)
}

pub fn require_manage_event(grants: &Grants, event: &EventFacts<'_>) -> Result<(), Denied> {
    allow(can_manage_event(grants, event))
}

/// Whether a person reads an event: office-wide readers, its managers, the
/// people of its owner or co-departments, and the owners of its tasks.
pub fn can_read_event(user_id: i64, department_id: Option<i64>, grants: &Grants, event: &EventFacts<'_>) -> bool {
    reads_all_events(grants)
        || can_manage_event(grants, event)
        || department_id.is_some_and(|d| d == event.department_id || event.co_department_ids.contains(&d))
        || event.task_owner_ids.contains(&user_id)
}

pub fn require_read_event(
    user_id: i64,
    department_id: Option<i64>,
    grants: &Grants,
    event: &EventFacts<'_>,
) -> Result<(), Denied> {
    allow(can_read_event(user_id, department_id, grants, event))
}

/// Marking a task or follow-up done: its owner, or the event's managers.
pub fn require_finish_task(user_id: i64, owner_id: i64, grants: &Grants, event: &EventFacts<'_>) -> Result<(), Denied> {
    allow(user_id == owner_id || can_manage_event(grants, event))
}

#[cfg(test)]
mod event_tests {
    use super::*;
    use crate::domain::roles::RoleGrant;

    fn grants(list: &[(Role, Option<i64>)]) -> Grants {
        Grants(list.iter().map(|&(role, department_id)| RoleGrant { role, department_id }).collect())
    }

    const EVENT: EventFacts<'static> = EventFacts { department_id: 1, co_department_ids: &[2], task_owner_ids: &[50] };

    #[test]
    fn a_head_manages_the_events_their_department_owns_only() {
        assert!(can_manage_event(&grants(&[(Role::DepartmentHead, Some(1))]), &EVENT));
        assert!(!can_manage_event(&grants(&[(Role::DepartmentHead, Some(2))]), &EVENT));
        assert!(can_manage_event(&grants(&[(Role::PerformanceOffice, None)]), &EVENT));
        assert!(!can_manage_event(&grants(&[(Role::Auditor, None)]), &EVENT));
    }

    #[test]
    fn staff_read_events_of_their_department_co_departments_and_their_own_tasks() {
        let staff = grants(&[(Role::Staff, None)]);
        assert!(can_read_event(9, Some(1), &staff, &EVENT));
        assert!(can_read_event(9, Some(2), &staff, &EVENT));
        assert!(!can_read_event(9, Some(3), &staff, &EVENT));
        assert!(can_read_event(50, Some(3), &staff, &EVENT));
        assert!(can_read_event(9, None, &grants(&[(Role::SupervisingLeader, Some(7))]), &EVENT));
    }

    #[test]
    fn only_the_office_and_heads_create_events() {
        assert_eq!(require_event_creator(&grants(&[(Role::PerformanceOffice, None)])), Ok(None));
        assert_eq!(require_event_creator(&grants(&[(Role::DepartmentHead, Some(4))])), Ok(Some(vec![4])));
        assert_eq!(require_event_creator(&grants(&[(Role::Staff, None)])), Err(Denied));
    }

    #[test]
    fn the_owner_or_a_manager_marks_a_task_done() {
        let staff = grants(&[(Role::Staff, None)]);
        assert!(require_finish_task(50, 50, &staff, &EVENT).is_ok());
        assert!(require_finish_task(51, 50, &staff, &EVENT).is_err());
        assert!(require_finish_task(51, 50, &grants(&[(Role::DepartmentHead, Some(1))]), &EVENT).is_ok());
    }
}

// ---------------------------------------------------------------------------
// Rectification (docs/DOMAIN.md §19.5); the rules are in `rectification`.

/// Refuses unless the person reads the item.
pub fn require_read_rectification(
    user_id: i64,
    department_id: Option<i64>,
    grants: &Grants,
    item: &super::rectification::ItemFacts,
) -> Result<(), Denied> {
    allow(super::rectification::can_read(user_id, department_id, grants, item))
}

/// Refuses unless the person raises items at all (the office, heads, the committee).
pub fn require_rectification_raiser(grants: &Grants) -> Result<(), Denied> {
    allow(super::rectification::raises_any(grants))
}

/// Refuses unless the person is the item's owner, who reports progress and submits.
pub fn require_rectification_owner(user_id: i64, item: &super::rectification::ItemFacts) -> Result<(), Denied> {
    allow(super::rectification::carries_out(user_id, item))
}

/// Refuses unless the person verifies and reopens the item (never its owner).
pub fn require_rectification_verifier(
    user_id: i64,
    grants: &Grants,
    item: &super::rectification::ItemFacts,
) -> Result<(), Denied> {
    allow(super::rectification::can_verify(user_id, grants, item))
}

/// The departments whose open items the person carries into targets (`None`:
/// all); refused for someone who carries none.
pub fn require_rectification_carrier(grants: &Grants) -> Result<Option<Vec<i64>>, Denied> {
    match super::rectification::carries_into_targets_for(grants) {
        Some(ids) if ids.is_empty() => Err(Denied),
        scope => Ok(scope),
    }
}

/// Who reads every review and appeal (docs/DOMAIN.md §19.4): the assessment
/// committee, which decides them, and the performance office.
pub fn require_appeal_reader(grants: &Grants) -> Result<(), Denied> {
    allow(grants.has_any(&[Role::AssessmentCommittee, Role::PerformanceOffice]))
}

/// Who reads one request: its person, or a reader of every one.
pub fn require_read_appeal(user_id: i64, grants: &Grants, person_id: i64) -> Result<(), Denied> {
    if user_id == person_id { Ok(()) } else { require_appeal_reader(grants) }
}

/// Who decides a request or extends its deadline: the committee, never the
/// person it is about (who is also the one who filed it).
pub fn require_decide_appeal(user_id: i64, grants: &Grants, person_id: i64) -> Result<(), Denied> {
    require(grants, Permission::DecideAssessment)?;
    allow(user_id != person_id)
}

#[cfg(test)]
mod appeal_tests {
    use super::*;
    use crate::domain::roles::RoleGrant;

    fn grants(list: &[(Role, Option<i64>)]) -> Grants {
        Grants(
            list.iter().map(|(role, department_id)| RoleGrant { role: *role, department_id: *department_id }).collect(),
        )
    }

    #[test]
    fn the_committee_decides_appeals_never_its_own_and_the_office_reads_them() {
        let committee = grants(&[(Role::AssessmentCommittee, None)]);
        let office = grants(&[(Role::PerformanceOffice, None)]);
        let staff = grants(&[(Role::Staff, None)]);
        assert!(require_decide_appeal(1, &committee, 2).is_ok());
        assert_eq!(require_decide_appeal(2, &committee, 2), Err(Denied));
        assert_eq!(require_decide_appeal(1, &office, 2), Err(Denied));
        assert!(require_read_appeal(1, &office, 2).is_ok());
        assert!(require_read_appeal(2, &staff, 2).is_ok());
        assert_eq!(require_read_appeal(1, &staff, 2), Err(Denied));
        assert_eq!(require_appeal_reader(&staff), Err(Denied));
    }
}

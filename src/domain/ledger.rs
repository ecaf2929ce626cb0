//! The bonus/penalty ledger (加减分) and service commitment cases: what a
//! valid standard item looks like, who may propose, read and review records,
//! and when a served case is kept or broken.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::monitor::{self, LedgerStatus};
use super::policy::{self, Permission};
use super::roles::{Grants, Role};
use super::validate::FieldError;
use super::workdays::WorkCalendar;

/// Bounds of an item's texts.
pub const CODE_MAX_CHARS: usize = 40;
pub const ITEM_TEXT_MAX_CHARS: usize = 200;
/// Bounds of a record's texts.
pub const REASON_MAX_CHARS: usize = 1000;
pub const NOTE_MAX_CHARS: usize = 1000;
pub const SUBJECT_MAX_CHARS: usize = 200;

/// The item the system proposes for a broken service commitment.
pub const BROKEN_COMMITMENT_CODE: &str = "broken_commitment";

/// An item code: 2–40 lowercase letters, digits and underscores, starting with
/// a letter (stable, used by the automatic proposals).
pub fn item_code(value: &str) -> Result<String, FieldError> {
    let value = value.trim().to_lowercase();
    if value.is_empty() {
        return Err(FieldError::Required);
    }
    if value.chars().count() > CODE_MAX_CHARS {
        return Err(FieldError::TooLong);
    }
    let starts_well = value.starts_with(|c: char| c.is_ascii_lowercase());
    let rest_ok = value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if starts_well && rest_ok && value.len() >= 2 { Ok(value) } else { Err(FieldError::Invalid) }
}

/// The code of an item the office adds: internal, never typed nor shown.
/// The system's own items (`red_slip`, `broken_commitment`) keep the codes
/// the automatic proposals look them up by; these cannot clash with them.
pub fn generated_item_code(seed: uuid::Uuid) -> String {
    let code = format!("item_{}", &seed.simple().to_string()[..12]);
    debug_assert_eq!(item_code(&code).as_deref(), Ok(code.as_str()), "a generated code follows the code rules");
    code
}

/// A number of points as typed: at most two places and below 1000 in absolute
/// value (the columns are numeric(5, 2)); empty means none.
fn points_value(value: &str) -> Result<Option<Decimal>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let number = Decimal::from_str(value).map_err(|_| FieldError::Invalid)?;
    if number.normalize().scale() > 2 || number.abs() >= Decimal::from(1000) {
        return Err(FieldError::Invalid);
    }
    Ok(Some(number.normalize()))
}

/// An item's points: required and not zero; positive for a bonus, negative for a penalty.
pub fn item_points(value: &str) -> Result<Decimal, FieldError> {
    match points_value(value)? {
        None => Err(FieldError::Required),
        Some(p) if p.is_zero() => Err(FieldError::Invalid),
        Some(p) => Ok(p),
    }
}

/// An item's cap: optional, kept as an absolute value, not zero.
pub fn item_cap(value: &str) -> Result<Option<Decimal>, FieldError> {
    match points_value(value)? {
        Some(c) if c.is_zero() => Err(FieldError::Invalid),
        other => Ok(other.map(|c| c.abs())),
    }
}

/// A day as a date input sends it (YYYY-MM-DD), not after `today`: records
/// and cases are about what has happened.
pub fn past_date(value: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::Required);
    }
    let day = NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| FieldError::Invalid)?;
    if day > today { Err(FieldError::Invalid) } else { Ok(day) }
}

/// An optional day a case was done: not before its receipt, not after today.
pub fn done_date(value: &str, received: Option<NaiveDate>, today: NaiveDate) -> Result<Option<NaiveDate>, FieldError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    let day = past_date(value, today)?;
    if received.is_some_and(|r| day < r) { Err(FieldError::Invalid) } else { Ok(Some(day)) }
}

/// Who a record is about: a department or one person, never both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Department(i64),
    Person(i64),
}

impl Subject {
    /// The subject from the two pick lists; exactly one must be chosen.
    pub fn from_choices(department: Option<i64>, person: Option<i64>) -> Result<Subject, FieldError> {
        match (department, person) {
            (Some(d), None) => Ok(Subject::Department(d)),
            (None, Some(p)) => Ok(Subject::Person(p)),
            (None, None) => Err(FieldError::Required),
            (Some(_), Some(_)) => Err(FieldError::Invalid),
        }
    }

    pub fn department_id(self) -> Option<i64> {
        match self {
            Subject::Department(d) => Some(d),
            Subject::Person(_) => None,
        }
    }

    pub fn person_id(self) -> Option<i64> {
        match self {
            Subject::Person(p) => Some(p),
            Subject::Department(_) => None,
        }
    }
}

/// The office-wide roles that read every record: the performance office keeps
/// the ledger; auditors, the assessment committee and discipline inspection
/// (机关纪委) only read it (docs/DOMAIN.md §9.5).
pub const OFFICE_READERS: [Role; 4] =
    [Role::PerformanceOffice, Role::Auditor, Role::AssessmentCommittee, Role::DisciplineInspection];

/// The departments whose records the person reads: `None` for every
/// department (the office-wide readers), else the departments they head and
/// those they oversee as supervising leader.
pub fn ledger_scope(grants: &Grants) -> Option<Vec<i64>> {
    if grants.has_any(&OFFICE_READERS) {
        None
    } else {
        let mut ids = grants.departments_for(Role::DepartmentHead);
        ids.extend(grants.departments_for(Role::SupervisingLeader));
        ids.sort_unstable();
        ids.dedup();
        Some(ids)
    }
}

/// Which records of the ledger list a person reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Records about these departments and their people; `None` for every department.
    Departments(Option<Vec<i64>>),
    /// Only the records whose subject is the person themself (staff).
    Own,
}

/// What a person reads of the ledger list: their departments' records, else
/// (staff) the records about themselves; `None` for someone who reads none.
pub fn reach(grants: &Grants) -> Option<Reach> {
    if can_read_ledger(grants) {
        Some(Reach::Departments(ledger_scope(grants)))
    } else {
        grants.has(Role::Staff).then_some(Reach::Own)
    }
}

/// Whether the person may open the ledger at all.
pub fn can_read_ledger(grants: &Grants) -> bool {
    ledger_scope(grants).is_none_or(|ids| !ids.is_empty())
}

/// Whether the person may propose records at all: the performance office or a head.
pub fn can_propose(grants: &Grants) -> bool {
    policy::allows(grants, Permission::ManageLedger) || grants.has(Role::DepartmentHead)
}

/// The departments the person proposes for: `None` for every department (the
/// performance office), else the departments they head.
pub fn propose_scope(grants: &Grants) -> Option<Vec<i64>> {
    if policy::allows(grants, Permission::ManageLedger) {
        None
    } else {
        Some(grants.departments_for(Role::DepartmentHead))
    }
}

/// Whether the person may propose a record about a subject in `department`
/// (the department itself, or a person of it): the performance office for
/// anyone, a head for the departments they head. A person without a
/// department can be proposed only by the performance office.
pub fn can_propose_in(grants: &Grants, department: Option<i64>) -> bool {
    policy::allows(grants, Permission::ManageLedger)
        || department.is_some_and(|d| grants.departments_for(Role::DepartmentHead).contains(&d))
}

/// Whether `user_id` reads a record (and its evidence) whose subject belongs
/// to `department` and is the person `subject_person`, if about a person: the
/// office-wide readers, the head of that department, the leader overseeing
/// it, and the person the record is about.
pub fn can_read_record(user_id: i64, grants: &Grants, department: Option<i64>, subject_person: Option<i64>) -> bool {
    subject_person == Some(user_id)
        || match ledger_scope(grants) {
            None => true,
            Some(ids) => department.is_some_and(|d| ids.contains(&d)),
        }
}

/// A review decision of the performance office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    Accept,
    Reject,
}

impl Review {
    pub fn parse(value: &str) -> Option<Review> {
        match value.trim() {
            "accept" => Some(Review::Accept),
            "reject" => Some(Review::Reject),
            _ => None,
        }
    }

    pub fn status(self) -> LedgerStatus {
        match self {
            Review::Accept => LedgerStatus::Accepted,
            Review::Reject => LedgerStatus::Rejected,
        }
    }
}

/// Why a review was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewError {
    /// Only pending records are reviewed; a decided one is final.
    AlreadyReviewed,
    /// A rejection says why.
    NoteRequired,
}

/// Checks a review step: pending records only, and a note for a rejection.
pub fn review(status: LedgerStatus, decision: Review, note: &str) -> Result<LedgerStatus, ReviewError> {
    if status != LedgerStatus::Pending {
        return Err(ReviewError::AlreadyReviewed);
    }
    if decision == Review::Reject && note.trim().is_empty() {
        return Err(ReviewError::NoteRequired);
    }
    Ok(decision.status())
}

/// Who reviews a record: the performance office, but never the person who
/// proposed it (four eyes); records the system proposed (`proposed_by` none)
/// are reviewed by any of the office.
pub fn can_review(user_id: i64, grants: &Grants, proposed_by: Option<i64>) -> bool {
    policy::allows(grants, Permission::ManageLedger) && proposed_by != Some(user_id)
}

/// The day a case must be done by: the commitment's work days after receipt.
pub fn case_deadline(received: NaiveDate, limit_workdays: i64, calendar: &WorkCalendar) -> NaiveDate {
    calendar.add_workdays(received, limit_workdays)
}

/// How a case stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseState {
    Kept,
    Broken,
    Open,
}

impl CaseState {
    pub fn of(
        received: NaiveDate,
        done: Option<NaiveDate>,
        limit_workdays: i64,
        today: NaiveDate,
        calendar: &WorkCalendar,
    ) -> CaseState {
        match monitor::case_kept(received, done, limit_workdays, today, calendar) {
            Some(true) => CaseState::Kept,
            Some(false) => CaseState::Broken,
            None => CaseState::Open,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            CaseState::Kept => "case-state-kept",
            CaseState::Broken => "case-state-broken",
            CaseState::Open => "case-state-open",
        }
    }

    pub fn badge(self) -> &'static str {
        match self {
            CaseState::Kept => "badge badge-ok",
            CaseState::Broken => "badge badge-danger",
            CaseState::Open => "badge",
        }
    }
}

/// Cases kept, broken and still open, and the kept-rate of the decided ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeptCounts {
    pub kept: i64,
    pub broken: i64,
    pub open: i64,
}

impl KeptCounts {
    pub fn add(&mut self, state: CaseState) {
        match state {
            CaseState::Kept => self.kept += 1,
            CaseState::Broken => self.broken += 1,
            CaseState::Open => self.open += 1,
        }
    }

    pub fn merge(&mut self, other: KeptCounts) {
        self.kept += other.kept;
        self.broken += other.broken;
        self.open += other.open;
    }

    /// Percent of decided cases kept, or `None` without any.
    pub fn rate(&self) -> Option<Decimal> {
        monitor::kept_rate(self.kept, self.broken)
    }
}

/// The reason of the automatic penalty for a broken commitment.
pub fn broken_commitment_reason(service: &str, subject: &str) -> String {
    format!("服务承诺未兑现：{service} / {subject}")
}

/// The source key of the automatic penalty for a case (one per case).
pub fn case_source_key(case_id: i64) -> String {
    format!("commitment_case:{case_id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roles::RoleGrant;
    use crate::domain::workdays::official_schedule_2026;
    use crate::i18n::Lang;
    use rust_decimal_macros::dec;

    fn grants(list: &[(Role, Option<i64>)]) -> Grants {
        Grants(
            list.iter().map(|(role, department_id)| RoleGrant { role: *role, department_id: *department_id }).collect(),
        )
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn calendar() -> WorkCalendar {
        WorkCalendar::new(official_schedule_2026().into_iter().map(|(d, k, _)| (d, k)))
    }

    #[test]
    fn the_office_never_reviews_a_record_it_proposed_itself() {
        let office = grants(&[(Role::PerformanceOffice, None)]);
        assert!(can_review(1, &office, Some(2)));
        assert!(can_review(1, &office, None), "records the system proposed");
        assert!(!can_review(1, &office, Some(1)));
        let head = grants(&[(Role::DepartmentHead, Some(3))]);
        assert!(!can_review(1, &head, Some(2)));
    }

    #[test]
    fn item_codes_are_short_stable_identifiers() {
        assert_eq!(item_code(" Commend_City "), Ok("commend_city".into()));
        assert_eq!(item_code("red_slip2"), Ok("red_slip2".into()));
        assert_eq!(item_code(""), Err(FieldError::Required));
        assert_eq!(item_code("2fast"), Err(FieldError::Invalid));
        assert_eq!(item_code("通报批评"), Err(FieldError::Invalid));
        assert_eq!(item_code("a-b"), Err(FieldError::Invalid));
        assert_eq!(item_code(&"a".repeat(41)), Err(FieldError::TooLong));
        // Generated codes are valid codes and never one of the system's own.
        let generated = generated_item_code(uuid::Uuid::new_v4());
        assert_eq!(item_code(&generated), Ok(generated.clone()));
        assert_ne!(generated, generated_item_code(uuid::Uuid::new_v4()));
        assert!(generated.starts_with("item_") && generated != BROKEN_COMMITMENT_CODE);
    }

    #[test]
    fn points_are_non_zero_with_two_places_at_most() {
        assert_eq!(item_points("+1"), Ok(dec!(1)));
        assert_eq!(item_points("-0.5"), Ok(dec!(-0.5)));
        assert_eq!(item_points("2.50"), Ok(dec!(2.5)));
        assert_eq!(item_points("0"), Err(FieldError::Invalid));
        assert_eq!(item_points(""), Err(FieldError::Required));
        assert_eq!(item_points("0.125"), Err(FieldError::Invalid));
        assert_eq!(item_points("1000"), Err(FieldError::Invalid));
        assert_eq!(item_points("一分"), Err(FieldError::Invalid));
    }

    #[test]
    fn caps_are_optional_and_absolute() {
        assert_eq!(item_cap(""), Ok(None));
        assert_eq!(item_cap("5"), Ok(Some(dec!(5))));
        assert_eq!(item_cap("-5"), Ok(Some(dec!(5))));
        assert_eq!(item_cap("0"), Err(FieldError::Invalid));
    }

    #[test]
    fn dates_are_past_days_and_cases_end_after_they_begin() {
        let today = day(10, 20);
        assert_eq!(past_date("2026-10-09", today), Ok(day(10, 9)));
        assert_eq!(past_date("2026-10-21", today), Err(FieldError::Invalid));
        assert_eq!(past_date("9/10/2026", today), Err(FieldError::Invalid));
        assert_eq!(past_date(" ", today), Err(FieldError::Required));
        assert_eq!(done_date("", Some(day(10, 9)), today), Ok(None));
        assert_eq!(done_date("2026-10-08", Some(day(10, 9)), today), Err(FieldError::Invalid));
        assert_eq!(done_date("2026-10-09", Some(day(10, 9)), today), Ok(Some(day(10, 9))));
    }

    #[test]
    fn a_record_is_about_a_department_or_a_person_never_both() {
        assert_eq!(Subject::from_choices(Some(1), None), Ok(Subject::Department(1)));
        assert_eq!(Subject::from_choices(None, Some(7)), Ok(Subject::Person(7)));
        assert_eq!(Subject::from_choices(None, None), Err(FieldError::Required));
        assert_eq!(Subject::from_choices(Some(1), Some(7)), Err(FieldError::Invalid));
    }

    #[test]
    fn heads_propose_and_read_only_for_their_departments() {
        let head = grants(&[(Role::DepartmentHead, Some(1))]);
        assert!(can_propose(&head));
        assert!(can_propose_in(&head, Some(1)));
        assert!(!can_propose_in(&head, Some(2)));
        assert!(!can_propose_in(&head, None));
        assert!(can_read_record(9, &head, Some(1), None));
        assert!(!can_read_record(9, &head, Some(2), None));
        assert_eq!(ledger_scope(&head), Some(vec![1]));
        assert_eq!(propose_scope(&head), Some(vec![1]));
        let auditing_head = grants(&[(Role::DepartmentHead, Some(1)), (Role::Auditor, None)]);
        assert_eq!(ledger_scope(&auditing_head), None);
        assert_eq!(propose_scope(&auditing_head), Some(vec![1]));
    }

    #[test]
    fn the_office_proposes_for_anyone_and_auditors_only_read() {
        let office = grants(&[(Role::PerformanceOffice, None)]);
        assert!(can_propose_in(&office, Some(9)));
        assert!(can_propose_in(&office, None));
        let auditor = grants(&[(Role::Auditor, None)]);
        assert!(!can_propose(&auditor));
        assert!(can_read_record(9, &auditor, Some(9), None));
        assert!(can_read_ledger(&auditor));
        for role in [Role::Staff, Role::SystemAdmin] {
            let g = grants(&[(role, None)]);
            assert!(!can_read_ledger(&g), "{role:?}");
            assert!(!can_propose(&g), "{role:?}");
            assert!(!can_read_record(9, &g, Some(1), Some(7)), "{role:?}");
        }
    }

    #[test]
    fn leaders_read_what_they_oversee_and_the_committee_and_discipline_read_everything() {
        let leader = grants(&[(Role::SupervisingLeader, Some(1)), (Role::SupervisingLeader, Some(3))]);
        assert_eq!(ledger_scope(&leader), Some(vec![1, 3]));
        assert!(can_read_record(9, &leader, Some(3), None));
        assert!(!can_read_record(9, &leader, Some(2), None));
        assert!(!can_propose(&leader));
        for role in [Role::AssessmentCommittee, Role::DisciplineInspection] {
            let g = grants(&[(role, None)]);
            assert_eq!(reach(&g), Some(Reach::Departments(None)), "{role:?}");
            assert!(!can_propose(&g), "{role:?}");
        }
    }

    #[test]
    fn staff_read_only_the_records_about_themselves() {
        let staff = grants(&[(Role::Staff, None)]);
        assert_eq!(reach(&staff), Some(Reach::Own));
        assert!(can_read_record(7, &staff, Some(1), Some(7)));
        assert!(!can_read_record(8, &staff, Some(1), Some(7)));
        assert!(!can_read_record(7, &staff, Some(1), None));
        assert_eq!(reach(&grants(&[(Role::SystemAdmin, None)])), None);
        // A head reads the department's records, their own among them.
        let head = grants(&[(Role::Staff, None), (Role::DepartmentHead, Some(1))]);
        assert_eq!(reach(&head), Some(Reach::Departments(Some(vec![1]))));
    }

    #[test]
    fn a_rejection_needs_a_note_and_a_decision_is_final() {
        use LedgerStatus::*;
        assert_eq!(review(Pending, Review::Accept, ""), Ok(Accepted));
        assert_eq!(review(Pending, Review::Reject, " 理由不足 "), Ok(Rejected));
        assert_eq!(review(Pending, Review::Reject, "  "), Err(ReviewError::NoteRequired));
        assert_eq!(review(Accepted, Review::Reject, "改判"), Err(ReviewError::AlreadyReviewed));
        assert_eq!(review(Rejected, Review::Accept, ""), Err(ReviewError::AlreadyReviewed));
        assert_eq!(Review::parse("accept"), Some(Review::Accept));
        assert_eq!(Review::parse("approve"), None);
    }

    #[test]
    fn cases_across_national_day_are_kept_or_broken_by_work_days() {
        let cal = calendar();
        // Received Tuesday 29 September with 2 work days: 30 September, then 8 October.
        assert_eq!(case_deadline(day(9, 29), 2, &cal), day(10, 8));
        assert_eq!(CaseState::of(day(9, 29), Some(day(10, 8)), 2, day(10, 20), &cal), CaseState::Kept);
        assert_eq!(CaseState::of(day(9, 29), Some(day(10, 9)), 2, day(10, 20), &cal), CaseState::Broken);
        assert_eq!(CaseState::of(day(9, 29), None, 2, day(10, 8), &cal), CaseState::Open);
        assert_eq!(CaseState::of(day(9, 29), None, 2, day(10, 9), &cal), CaseState::Broken);
    }

    #[test]
    fn kept_counts_give_the_rate_of_decided_cases() {
        let mut counts = KeptCounts::default();
        for state in [CaseState::Kept, CaseState::Kept, CaseState::Kept, CaseState::Broken, CaseState::Open] {
            counts.add(state);
        }
        assert_eq!(counts, KeptCounts { kept: 3, broken: 1, open: 1 });
        assert_eq!(counts.rate(), Some(dec!(75.0)));
        assert_eq!(KeptCounts { open: 2, ..Default::default() }.rate(), None);
    }

    #[test]
    fn automatic_penalties_have_a_stable_key_and_reason() {
        assert_eq!(case_source_key(12), "commitment_case:12");
        assert_eq!(broken_commitment_reason("来访接待", "张某来访"), "服务承诺未兑现：来访接待 / 张某来访");
    }

    #[test]
    fn every_case_state_has_a_label_in_both_languages() {
        for state in [CaseState::Kept, CaseState::Broken, CaseState::Open] {
            for lang in Lang::ALL {
                assert_ne!(lang.t(state.label_key()), state.label_key(), "{lang:?}");
            }
        }
    }
}

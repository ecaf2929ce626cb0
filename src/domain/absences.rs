//! Absences and A/B cover (AB角工作制): who records a person's absence, which
//! period an absence falls in, and how a post stands when its holders are away.
//! The cover rule itself is `monitor::cover`.

use chrono::NaiveDate;

use super::monitor::{AbsenceKind, Cover, LeaveKind, cover};
use super::policy::{self, Permission};
use super::roles::{Grants, Role};

/// The people whose absences a person records (and withdraws): `None` for
/// anyone (the performance office and the system administrator), else the
/// people of the departments they head (possibly none).
pub fn records_for(grants: &Grants) -> Option<Vec<i64>> {
    if grants.has_any(&[Role::PerformanceOffice, Role::SystemAdmin]) {
        None
    } else {
        Some(grants.departments_for(Role::DepartmentHead))
    }
}

/// Whether the person records absences for anybody at all.
pub fn records_any(grants: &Grants) -> bool {
    records_for(grants).is_none_or(|departments| !departments.is_empty())
}

/// Whether the person records (and withdraws) absences of someone in `department`.
pub fn can_record(grants: &Grants, department: Option<i64>) -> bool {
    match records_for(grants) {
        None => true,
        Some(departments) => department.is_some_and(|d| departments.contains(&d)),
    }
}

// The absence list applies this rule in SQL (`db::absences::list`); this is
// its tested statement.
#[cfg_attr(not(test), allow(dead_code))]
/// Whether the person sees an absence of `person_id` (in `department`): those
/// who record it, and the person themself.
pub fn can_view(user_id: i64, grants: &Grants, person_id: i64, department: Option<i64>) -> bool {
    user_id == person_id || can_record(grants, department)
}

/// The posts whose cover a person watches: `Some(None)` for every post (the
/// performance office and the administrator), `Some(Some(..))` for the
/// departments a head heads, `None` (refused) for anyone else.
pub fn watches_cover(grants: &Grants) -> Option<Option<Vec<i64>>> {
    if policy::allows(grants, Permission::ManageOrganisation) {
        return Some(None);
    }
    let heads = grants.departments_for(Role::DepartmentHead);
    (!heads.is_empty()).then_some(Some(heads))
}

/// Who is alerted of vacant posts (空岗), and for which departments: `Some(None)`
/// for the performance office (every post), `Some(Some(..))` for a head (the
/// departments they head), `None` for anyone else.
pub fn vacancy_alerts_for(grants: &Grants) -> Option<Option<Vec<i64>>> {
    if grants.has(Role::PerformanceOffice) {
        Some(None)
    } else {
        let heads = grants.departments_for(Role::DepartmentHead);
        (!heads.is_empty()).then_some(Some(heads))
    }
}

/// Where an absence lies relative to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Current,
    Upcoming,
    Past,
}

impl When {
    pub const ALL: [When; 3] = [When::Current, When::Upcoming, When::Past];

    pub fn code(self) -> &'static str {
        match self {
            When::Current => "current",
            When::Upcoming => "upcoming",
            When::Past => "past",
        }
    }

    pub fn parse(text: &str) -> Option<When> {
        When::ALL.into_iter().find(|w| w.code() == text.trim())
    }

    /// The locale key of the name.
    pub fn label_key(self) -> String {
        format!("absence-when-{}", self.code())
    }

    /// Where the period `from..=to` lies on `today`.
    pub fn of(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> When {
        if to < today {
            When::Past
        } else if from > today {
            When::Upcoming
        } else {
            When::Current
        }
    }
}

// `db::absences::overlapping` applies this rule in SQL; this is its tested statement.
#[cfg_attr(not(test), allow(dead_code))]
/// Whether two periods (both ends included) share a day.
pub fn overlaps(a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// A holder of a post today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// Nobody holds the role, or the holder is no longer active.
    Missing,
    Present,
    /// The holder has an active absence covering today.
    Away,
}

impl Holder {
    pub fn of(assigned: bool, active: bool, away: bool) -> Holder {
        match (assigned && active, away) {
            (false, _) => Holder::Missing,
            (true, true) => Holder::Away,
            (true, false) => Holder::Present,
        }
    }
}

/// How a post is covered today, from its A and B.
pub fn post_cover(a: Holder, b: Holder) -> Cover {
    cover(a == Holder::Present, b == Holder::Present)
}

/// Whether a post raises the 空岗 alert: nobody covers it *because someone is
/// away*. A post without any holder is an organisation gap, flagged on the
/// posts list instead, and raises no daily alert.
pub fn is_vacant_by_absence(a: Holder, b: Holder) -> bool {
    post_cover(a, b) == Cover::Vacant && (a == Holder::Away || b == Holder::Away)
}

/// The days of a year a person was away, by kind (docs/DOMAIN.md §3.3):
/// leave by its kind, and the other kinds that take a person out of the
/// office for long (借调, 挂职, 培训). Each absence counts its calendar days
/// inside the year, both ends included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearAway {
    /// Days of leave of each kind, in `LeaveKind::ALL` order.
    pub leave: [i64; 6],
    pub secondment: i64,
    pub temporary_post: i64,
    pub training: i64,
}

impl YearAway {
    /// Adds `days` of an absence of `kind` (and `leave`, for a leave).
    pub fn add(&mut self, kind: AbsenceKind, leave: Option<LeaveKind>, days: i64) {
        match (kind, leave) {
            (AbsenceKind::Leave, Some(leave)) => {
                if let Some(i) = LeaveKind::ALL.iter().position(|k| *k == leave) {
                    self.leave[i] += days;
                }
            }
            (AbsenceKind::Secondment, _) => self.secondment += days,
            (AbsenceKind::TemporaryPost, _) => self.temporary_post += days,
            (AbsenceKind::Training, _) => self.training += days,
            _ => {}
        }
    }

    pub fn leave_of(&self, kind: LeaveKind) -> i64 {
        LeaveKind::ALL.iter().position(|k| *k == kind).map(|i| self.leave[i]).unwrap_or(0)
    }

    /// Sick and personal leave together: what withholds a grade when it
    /// exceeds the year's share (公务员考核规定 art. 14).
    pub fn sick_and_personal(&self) -> i64 {
        self.leave_of(LeaveKind::Sick) + self.leave_of(LeaveKind::Personal)
    }
}

/// The calendar days of `from..=to` inside `year`.
pub fn days_in_year(from: NaiveDate, to: NaiveDate, year: i32) -> i64 {
    let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
        return 0;
    };
    let (from, to) = (from.max(first), to.min(last));
    if from > to { 0 } else { (to - from).num_days() + 1 }
}

/// Whether `days` exceed `percent` % of the days of `year` ("more than half
/// the year" at 50).
pub fn exceeds_share_of_year(days: i64, year: i32, percent: i32) -> bool {
    let year_days = days_in_year(NaiveDate::MIN, NaiveDate::MAX, year);
    days * 100 > year_days * i64::from(percent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roles::RoleGrant;

    fn grants(list: &[(Role, Option<i64>)]) -> Grants {
        Grants(
            list.iter().map(|(role, department_id)| RoleGrant { role: *role, department_id: *department_id }).collect(),
        )
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn a_head_records_absences_of_their_departments_only() {
        let head = grants(&[(Role::DepartmentHead, Some(1))]);
        assert!(can_record(&head, Some(1)));
        assert!(!can_record(&head, Some(2)));
        assert!(!can_record(&head, None));
        assert!(records_any(&head));
    }

    #[test]
    fn the_office_and_the_administrator_record_for_anyone() {
        for role in [Role::PerformanceOffice, Role::SystemAdmin] {
            let g = grants(&[(role, None)]);
            assert!(can_record(&g, Some(7)));
            assert!(can_record(&g, None));
            assert_eq!(watches_cover(&g), Some(None));
        }
    }

    #[test]
    fn staff_see_their_own_absences_and_record_none() {
        let staff = grants(&[(Role::Staff, None)]);
        assert!(!records_any(&staff));
        assert!(can_view(5, &staff, 5, Some(1)));
        assert!(!can_view(5, &staff, 6, Some(1)));
        assert_eq!(watches_cover(&staff), None);
        assert_eq!(watches_cover(&grants(&[(Role::DepartmentHead, Some(3))])), Some(Some(vec![3])));
    }

    #[test]
    fn heads_and_the_office_hear_of_vacant_posts_but_the_administrator_does_not() {
        assert_eq!(vacancy_alerts_for(&grants(&[(Role::PerformanceOffice, None)])), Some(None));
        assert_eq!(vacancy_alerts_for(&grants(&[(Role::DepartmentHead, Some(4))])), Some(Some(vec![4])));
        assert_eq!(vacancy_alerts_for(&grants(&[(Role::SystemAdmin, None)])), None);
        assert_eq!(vacancy_alerts_for(&grants(&[(Role::Staff, None)])), None);
    }

    #[test]
    fn a_year_counts_the_calendar_days_of_each_kind_inside_it() {
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        assert_eq!(days_in_year(day("2025-12-20"), day("2026-01-05"), 2026), 5);
        assert_eq!(days_in_year(day("2026-03-02"), day("2026-09-30"), 2026), 213);
        assert_eq!(days_in_year(day("2026-03-02"), day("2026-09-30"), 2027), 0);
        let mut away = YearAway::default();
        away.add(AbsenceKind::Leave, Some(LeaveKind::Sick), 150);
        away.add(AbsenceKind::Leave, Some(LeaveKind::Personal), 32);
        away.add(AbsenceKind::Leave, Some(LeaveKind::Annual), 10);
        away.add(AbsenceKind::Training, None, 20);
        away.add(AbsenceKind::Travel, None, 40);
        assert_eq!(away.sick_and_personal(), 182);
        assert_eq!(away.leave_of(LeaveKind::Annual), 10);
        assert_eq!(away.training, 20);
        // Half of 2026 is 182.5 days: 182 is not more than half, 183 is.
        assert!(!exceeds_share_of_year(182, 2026, 50));
        assert!(exceeds_share_of_year(183, 2026, 50));
        // 2028 has 366 days: 183 is exactly half, not more.
        assert!(!exceeds_share_of_year(183, 2028, 50));
        assert!(exceeds_share_of_year(184, 2028, 50));
    }

    #[test]
    fn absences_are_current_upcoming_or_past() {
        let today = day(5, 10);
        assert_eq!(When::of(day(5, 10), day(5, 10), today), When::Current);
        assert_eq!(When::of(day(5, 1), day(5, 9), today), When::Past);
        assert_eq!(When::of(day(5, 11), day(5, 20), today), When::Upcoming);
        assert_eq!(When::parse("past"), Some(When::Past));
        assert_eq!(When::parse("soon"), None);
    }

    #[test]
    fn periods_sharing_a_day_overlap() {
        assert!(overlaps((day(5, 1), day(5, 10)), (day(5, 10), day(5, 12))));
        assert!(overlaps((day(5, 1), day(5, 10)), (day(5, 3), day(5, 4))));
        assert!(!overlaps((day(5, 1), day(5, 10)), (day(5, 11), day(5, 12))));
    }

    #[test]
    fn b_covers_while_a_is_away_and_both_away_is_vacant() {
        use Holder::*;
        assert_eq!(post_cover(Present, Away), Cover::Holder);
        assert_eq!(post_cover(Away, Present), Cover::Backup);
        assert_eq!(post_cover(Away, Away), Cover::Vacant);
        assert!(is_vacant_by_absence(Away, Away));
        assert!(is_vacant_by_absence(Away, Missing));
        assert!(!is_vacant_by_absence(Missing, Missing));
        assert!(!is_vacant_by_absence(Away, Present));
        assert_eq!(Holder::of(true, false, false), Missing);
        assert_eq!(Holder::of(true, true, true), Away);
    }

    #[test]
    fn every_period_label_exists_in_both_languages() {
        use crate::i18n::Lang;
        for when in When::ALL {
            for lang in Lang::ALL {
                let key = when.label_key();
                assert_ne!(lang.t(&key), key, "{lang:?} lacks {key}");
            }
        }
    }
}

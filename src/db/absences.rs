//! Absences (leave, travel, secondment) and the A/B cover of posts they cause.
//! An absence is never edited in place: it is withdrawn (`active = false`) and
//! entered again.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::db::people::PersonChoice;
use crate::domain::absences::{Holder, When, is_vacant_by_absence, post_cover};
use crate::domain::monitor::{AbsenceKind, Cover, LeaveKind};

/// An absence with the names a list shows.
#[derive(Debug, Clone)]
pub struct AbsenceRow {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub kind: AbsenceKind,
    pub leave_kind: Option<LeaveKind>,
    pub note: String,
    pub active: bool,
    pub recorded_by_name: String,
    pub created_at: DateTime<Utc>,
}

/// Whose absences a viewer lists: everyone's, or those of people in
/// `departments`, and always the viewer's own.
#[derive(Debug, Clone)]
pub struct ListScope {
    pub all: bool,
    pub departments: Vec<i64>,
    pub person_id: i64,
}

/// The list's filters; `withdrawn` lists withdrawn absences instead of active ones.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub department_id: Option<i64>,
    pub when: Option<When>,
    pub withdrawn: bool,
}

/// Absences in the scope: current and upcoming first (soonest first), then past ones.
pub async fn list(
    conn: &mut PgConnection,
    scope: &ListScope,
    filter: &ListFilter,
    today: NaiveDate,
) -> Result<Vec<AbsenceRow>, sqlx::Error> {
    sqlx::query_as!(
        AbsenceRow,
        r#"select a.id, a.person_id, p.full_name as person_name, p.department_id, d.name as "department_name?",
                  a.from_date as "from_date: NaiveDate", a.to_date as "to_date: NaiveDate",
                  a.kind as "kind: AbsenceKind", a.leave_kind as "leave_kind: LeaveKind", a.note, a.active,
                  r.full_name as recorded_by_name,
                  a.created_at as "created_at: DateTime<Utc>"
           from absence a
           join person p on p.id = a.person_id
           left join department d on d.id = p.department_id
           join person r on r.id = a.recorded_by
           where ($1 or coalesce(p.department_id = any($2), false) or a.person_id = $3)
             and ($4::bigint is null or p.department_id = $4)
             and a.active <> $5
             and case $6::text
                   when 'current' then a.from_date <= $7 and $7 <= a.to_date
                   when 'upcoming' then a.from_date > $7
                   when 'past' then a.to_date < $7
                   else true
                 end
           order by a.to_date < $7, case when a.to_date < $7 then a.to_date end desc, a.from_date, p.full_name, a.id
           limit 1000"#,
        scope.all,
        &scope.departments,
        scope.person_id,
        filter.department_id,
        filter.withdrawn,
        filter.when.map(|w| w.code()),
        today as _,
    )
    .fetch_all(conn)
    .await
}

/// What the policies need about an absence.
#[derive(Debug, Clone)]
pub struct AbsenceFacts {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub department_id: Option<i64>,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub kind: AbsenceKind,
    pub active: bool,
}

/// An absence, its row locked for the rest of the transaction.
pub async fn lock(conn: &mut PgConnection, id: i64) -> Result<Option<AbsenceFacts>, sqlx::Error> {
    sqlx::query_as!(
        AbsenceFacts,
        r#"select a.id, a.person_id, p.full_name as person_name, p.department_id,
                  a.from_date as "from_date: NaiveDate", a.to_date as "to_date: NaiveDate",
                  a.kind as "kind: AbsenceKind", a.active
           from absence a join person p on p.id = a.person_id
           where a.id = $1
           for update of a"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Withdraws an active absence; false when it was already withdrawn.
pub async fn withdraw(conn: &mut PgConnection, id: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!("update absence set active = false where id = $1 and active", id).execute(conn).await?;
    Ok(result.rows_affected() == 1)
}

/// A person an absence may be recorded for.
#[derive(Debug, Clone)]
pub struct PersonFacts {
    pub id: i64,
    pub full_name: String,
    pub department_id: Option<i64>,
    pub active: bool,
}

/// The person, their row locked so that two absences entered at once cannot
/// both pass the overlap check.
pub async fn lock_person(conn: &mut PgConnection, id: i64) -> Result<Option<PersonFacts>, sqlx::Error> {
    sqlx::query_as!(PersonFacts, "select id, full_name, department_id, active from person where id = $1 for update", id)
        .fetch_optional(conn)
        .await
}

/// Active people an absence may be recorded for: everyone (`None`) or the
/// people of `departments`.
pub async fn person_choices(
    conn: &mut PgConnection,
    departments: Option<&[i64]>,
) -> Result<Vec<PersonChoice>, sqlx::Error> {
    sqlx::query_as!(
        PersonChoice,
        r#"select p.id, p.full_name, p.department_id, d.name as "department_name?"
           from person p left join department d on d.id = p.department_id
           where p.active and ($1::bigint[] is null or p.department_id = any($1))
           order by d.sort_order nulls last, d.name, p.full_name"#,
        departments as Option<&[i64]>
    )
    .fetch_all(conn)
    .await
}

/// The first active absence of the person sharing a day with `from..=to`.
pub async fn overlapping(
    conn: &mut PgConnection,
    person_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Option<(NaiveDate, NaiveDate)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select from_date as "from_date: NaiveDate", to_date as "to_date: NaiveDate"
           from absence where person_id = $1 and active and from_date <= $3 and $2 <= to_date
           order by from_date limit 1"#,
        person_id,
        from as _,
        to as _,
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.from_date, r.to_date)))
}

/// What the absence form saves.
#[derive(Debug, Clone)]
pub struct AbsenceData {
    pub person_id: i64,
    pub kind: AbsenceKind,
    /// Set for a leave, `None` for any other kind.
    pub leave_kind: Option<LeaveKind>,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub note: String,
}

pub async fn create(conn: &mut PgConnection, data: &AbsenceData, recorded_by: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into absence (person_id, from_date, to_date, kind, leave_kind, note, recorded_by)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
        data.person_id,
        data.from_date as _,
        data.to_date as _,
        data.kind as AbsenceKind,
        data.leave_kind as Option<LeaveKind>,
        data.note,
        recorded_by
    )
    .fetch_one(conn)
    .await
}

/// A person away on a day.
#[derive(Debug, Clone)]
pub struct AwayRow {
    pub person_id: i64,
    pub full_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub kind: AbsenceKind,
    pub to_date: NaiveDate,
}

/// The people with an active absence covering `day` (everyone's, or those of
/// `departments`), by department, with the last day of their absence.
pub async fn away_on(
    conn: &mut PgConnection,
    day: NaiveDate,
    departments: Option<&[i64]>,
) -> Result<Vec<AwayRow>, sqlx::Error> {
    sqlx::query_as!(
        AwayRow,
        r#"select x.person_id as "person_id!", x.full_name as "full_name!", x.department_id as "department_id?",
                  x.department_name as "department_name?",
                  x.kind as "kind!: AbsenceKind", x.to_date as "to_date!: NaiveDate"
           from (
               select distinct on (p.id) p.id as person_id, p.full_name, p.department_id, d.name as department_name,
                      d.sort_order, a.kind, a.to_date
               from absence a join person p on p.id = a.person_id
               left join department d on d.id = p.department_id
               where a.active and a.from_date <= $1 and $1 <= a.to_date
                 and ($2::bigint[] is null or p.department_id = any($2))
               order by p.id, a.to_date desc
           ) x
           order by x.sort_order nulls last, x.department_name, x.full_name"#,
        day as _,
        departments as Option<&[i64]>
    )
    .fetch_all(conn)
    .await
}

/// An active post with its holders and the absences that cover today.
#[derive(Debug, Clone)]
pub struct PostCoverRow {
    pub post_id: i64,
    pub department_id: i64,
    pub department_name: String,
    pub title: String,
    pub a_id: Option<i64>,
    pub a_name: Option<String>,
    pub a_active: Option<bool>,
    /// The last day of A's absence today, when A is away.
    pub a_away_until: Option<NaiveDate>,
    pub a_away_kind: Option<AbsenceKind>,
    pub b_id: Option<i64>,
    pub b_name: Option<String>,
    pub b_active: Option<bool>,
    pub b_away_until: Option<NaiveDate>,
    pub b_away_kind: Option<AbsenceKind>,
}

impl PostCoverRow {
    pub fn a(&self) -> Holder {
        Holder::of(self.a_id.is_some(), self.a_active.unwrap_or(false), self.a_away_until.is_some())
    }

    pub fn b(&self) -> Holder {
        Holder::of(self.b_id.is_some(), self.b_active.unwrap_or(false), self.b_away_until.is_some())
    }

    /// Who covers the post today.
    pub fn cover(&self) -> Cover {
        post_cover(self.a(), self.b())
    }

    /// Nobody covers the post because its holders are away (空岗): an alert.
    pub fn is_vacant(&self) -> bool {
        is_vacant_by_absence(self.a(), self.b())
    }
}

/// Today's cover of every active post (of `departments`, or all): one query
/// for the posts, their holders and the absences covering `today`.
pub async fn current_cover(
    conn: &mut PgConnection,
    departments: Option<&[i64]>,
    today: NaiveDate,
) -> Result<Vec<PostCoverRow>, sqlx::Error> {
    sqlx::query_as!(
        PostCoverRow,
        r#"select s.id as post_id, s.department_id, d.name as department_name, s.title,
                  s.a_holder_id as a_id, a.full_name as "a_name?", a.active as "a_active?",
                  aa.to_date as "a_away_until?: NaiveDate", aa.kind as "a_away_kind?: AbsenceKind",
                  s.b_holder_id as b_id, b.full_name as "b_name?", b.active as "b_active?",
                  ba.to_date as "b_away_until?: NaiveDate", ba.kind as "b_away_kind?: AbsenceKind"
           from post s
           join department d on d.id = s.department_id
           left join person a on a.id = s.a_holder_id
           left join person b on b.id = s.b_holder_id
           left join lateral (
               select x.to_date, x.kind from absence x
               where x.person_id = s.a_holder_id and x.active and x.from_date <= $2 and $2 <= x.to_date
               order by x.to_date desc limit 1
           ) aa on true
           left join lateral (
               select x.to_date, x.kind from absence x
               where x.person_id = s.b_holder_id and x.active and x.from_date <= $2 and $2 <= x.to_date
               order by x.to_date desc limit 1
           ) ba on true
           where s.active and d.active and ($1::bigint[] is null or s.department_id = any($1))
           order by d.sort_order, d.name, s.sort_order, s.title"#,
        departments as Option<&[i64]>,
        today as _,
    )
    .fetch_all(conn)
    .await
}

/// Who hears of a vacant post: (person, department headed) for the active
/// heads of `departments`, and (person, None) for active performance office members.
pub async fn vacancy_recipients(
    conn: &mut PgConnection,
    departments: &[i64],
) -> Result<Vec<(i64, Option<i64>)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select distinct g.person_id, g.department_id
           from role_grant g join person p on p.id = g.person_id
           where p.active
             and ((g.role = 'department_head' and g.department_id = any($1)) or g.role = 'performance_office')
           order by g.person_id, g.department_id"#,
        departments
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.person_id, r.department_id)).collect())
}

/// The calendar days inside `year` of every active absence of the people in
/// the scope, by person and kind (docs/DOMAIN.md §3.3).
#[derive(Debug, Clone)]
pub struct YearDaysRow {
    pub person_id: i64,
    pub person_name: String,
    pub department_name: Option<String>,
    pub kind: AbsenceKind,
    pub leave_kind: Option<LeaveKind>,
    pub days: i64,
}

pub async fn year_days(conn: &mut PgConnection, scope: &ListScope, year: i32) -> Result<Vec<YearDaysRow>, sqlx::Error> {
    sqlx::query_as!(
        YearDaysRow,
        r#"select a.person_id, p.full_name as person_name, d.name as "department_name?",
                  a.kind as "kind: AbsenceKind", a.leave_kind as "leave_kind: LeaveKind",
                  sum(least(a.to_date, make_date($4, 12, 31)) - greatest(a.from_date, make_date($4, 1, 1)) + 1)::bigint
                      as "days!"
           from absence a
           join person p on p.id = a.person_id
           left join department d on d.id = p.department_id
           where a.active
             and a.from_date <= make_date($4, 12, 31) and a.to_date >= make_date($4, 1, 1)
             and ($1 or coalesce(p.department_id = any($2), false) or a.person_id = $3)
           group by a.person_id, p.full_name, d.name, d.sort_order, a.kind, a.leave_kind
           order by d.sort_order nulls last, p.full_name, a.person_id"#,
        scope.all,
        &scope.departments,
        scope.person_id,
        year,
    )
    .fetch_all(conn)
    .await
}

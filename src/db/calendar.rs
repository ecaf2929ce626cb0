//! The work-day calendar (工作日历): the days that override the
//! Monday-to-Friday rule (public holidays and swapped working days).

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::domain::workdays::{self, DayKind, WorkCalendar};

/// One override of the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
    (first, last)
}

/// The overrides of a year, in date order.
pub async fn days_of_year(conn: &mut PgConnection, year: i32) -> Result<Vec<CalendarDay>, sqlx::Error> {
    let (first, last) = year_bounds(year);
    sqlx::query_as!(
        CalendarDay,
        r#"select day as "day: NaiveDate", kind as "kind: DayKind", name from work_calendar where day between $1 and $2 order by day"#,
        first as _,
        last as _
    )
    .fetch_all(conn)
    .await
}

pub async fn find(conn: &mut PgConnection, day: NaiveDate) -> Result<Option<CalendarDay>, sqlx::Error> {
    sqlx::query_as!(
        CalendarDay,
        r#"select day as "day: NaiveDate", kind as "kind: DayKind", name from work_calendar where day = $1"#,
        day as _
    )
    .fetch_optional(conn)
    .await
}

/// Adds the override, or replaces the one already on that day.
pub async fn upsert(conn: &mut PgConnection, day: &CalendarDay) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into work_calendar (day, kind, name) values ($1, $2, $3)
         on conflict (day) do update set kind = excluded.kind, name = excluded.name",
        day.day as _,
        day.kind as DayKind,
        day.name,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes the override of a day; the removed one, if there was one.
pub async fn remove(conn: &mut PgConnection, day: NaiveDate) -> Result<Option<CalendarDay>, sqlx::Error> {
    sqlx::query_as!(
        CalendarDay,
        r#"delete from work_calendar where day = $1 returning day as "day: NaiveDate", kind as "kind: DayKind", name"#,
        day as _
    )
    .fetch_optional(conn)
    .await
}

/// The calendar between two days (inclusive), for work-day arithmetic.
/// Days outside the range follow the Monday-to-Friday rule.
pub async fn load(conn: &mut PgConnection, from: NaiveDate, to: NaiveDate) -> Result<WorkCalendar, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select day as "day: NaiveDate", kind as "kind: DayKind" from work_calendar where day between $1 and $2"#,
        from.min(to) as _,
        from.max(to) as _
    )
    .fetch_all(conn)
    .await?;
    Ok(WorkCalendar::new(rows.into_iter().map(|r| (r.day, r.kind))))
}

/// Enters a year's official schedule (`workdays::official_schedule`) unless
/// the year has entries already; the number of days entered.
pub async fn seed_official(conn: &mut PgConnection, year: i32) -> Result<usize, sqlx::Error> {
    if !days_of_year(conn, year).await?.is_empty() {
        return Ok(0);
    }
    let schedule = workdays::official_schedule(year);
    let days: Vec<NaiveDate> = schedule.iter().map(|(d, _, _)| *d).collect();
    let kinds: Vec<DayKind> = schedule.iter().map(|(_, k, _)| *k).collect();
    let names: Vec<String> = schedule.iter().map(|(_, _, n)| n.to_string()).collect();
    let result = sqlx::query!(
        "insert into work_calendar (day, kind, name)
         select * from unnest($1::date[], $2::day_kind[], $3::text[]) on conflict (day) do nothing",
        &days as _,
        &kinds as &[DayKind],
        &names,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() as usize)
}

/// Enters the 2026 schedule, as `seed_official`.
pub async fn seed_official_2026(conn: &mut PgConnection) -> Result<usize, sqlx::Error> {
    seed_official(conn, 2026).await
}

/// Enters every official schedule the product ships (2025 to 2027), each as `seed_official`.
pub async fn seed_official_years(conn: &mut PgConnection) -> Result<usize, sqlx::Error> {
    let mut entered = 0;
    for year in workdays::OFFICIAL_YEARS {
        entered += seed_official(conn, year).await?;
    }
    Ok(entered)
}

/// The year of the latest deadline of any cycle not closed: its last stage
/// date, or 60 days after its period (the last report's deadline).
pub async fn last_deadline_year(conn: &mut PgConnection) -> Result<i32, sqlx::Error> {
    let year = sqlx::query_scalar!(
        r#"select max(extract(year from greatest(feedback_until, period_end + 60)))::integer as "year"
           from cycle where stage <> 'closed'"#
    )
    .fetch_one(conn)
    .await?;
    Ok(year.unwrap_or(0))
}

/// The years from `from` to `to` that have no calendar entry at all: their
/// deadlines would count every weekday as a work day.
pub async fn years_without_entries(conn: &mut PgConnection, from: i32, to: i32) -> Result<Vec<i32>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select y as "year!" from generate_series($1::integer, $2::integer) y
           where not exists (select 1 from work_calendar w where extract(year from w.day)::integer = y)
           order by y"#,
        from,
        to.min(from + 20)
    )
    .fetch_all(conn)
    .await
}

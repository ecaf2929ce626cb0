//! The rows of the target exports (docs/DOMAIN.md §20.3), read from the
//! `target_export` view: one layout, streamed from PostgreSQL row by row so
//! that the largest export (every target of every year) never sits in memory.

use std::collections::HashMap;

use chrono::NaiveDate;
use futures_util::stream::BoxStream;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

use crate::domain::monitor::SlipColour;
use crate::domain::plan::{Direction, PlanStatus, TargetCategory, TargetKind, TargetLevel};
use crate::domain::settings::Settings;

/// Which targets an export holds: the targets behind the rows of the page it
/// comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum TargetScope {
    /// One plan (the set page).
    Set { set_id: i64 },
    /// A person's own plans in the cycles not yet closed (我的目标).
    Mine { person_id: i64 },
    /// A department's own plan and its people's in a cycle (本处室目标).
    Department { cycle_id: i64, department_id: i64 },
    /// A cycle's plans: of every department and the office's work points
    /// (`departments` none), or of the departments listed only.
    Cycle { cycle_id: i64, departments: Option<Vec<i64>> },
    /// Every plan of every cycle.
    All,
}

/// One target as every export shows it.
#[derive(Debug, Clone)]
pub struct TargetExportRow {
    pub cycle_name: String,
    pub cycle_year: i32,
    pub level: TargetLevel,
    pub department_name: Option<String>,
    pub owner_name: Option<String>,
    pub owner_username: Option<String>,
    pub title: String,
    pub category: TargetCategory,
    pub kind: TargetKind,
    pub measure: String,
    pub unit: String,
    pub target_value: Option<Decimal>,
    pub direction: Direction,
    pub baseline: Option<Decimal>,
    pub weight: Decimal,
    pub deadline: Option<NaiveDate>,
    pub assessment_method: String,
    pub backup_name: Option<String>,
    pub status: PlanStatus,
    /// The audited value of the latest verified report (docs/DOMAIN.md §6.7).
    pub verified_value: Option<Decimal>,
    /// The day the latest report was sent.
    pub last_report_day: Option<NaiveDate>,
    /// The colour of the latest slip of an open supervision item serving the target.
    pub slip_colour: Option<SlipColour>,
}

/// The same columns and order for every scope; `$filter` is the query's
/// `where` clause (a string literal), then its arguments.
macro_rules! export_rows {
    ($filter:tt $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            TargetExportRow,
            r#"select e.cycle_name as "cycle_name!", e.cycle_year as "cycle_year!", e.level as "level!: TargetLevel",
                      e.department_name, e.owner_name, e.owner_username, e.title as "title!",
                      e.category as "category!: TargetCategory", e.kind as "kind!: TargetKind",
                      e.measure as "measure!", e.unit as "unit!", e.target_value,
                      e.direction as "direction!: Direction", e.baseline, e.weight as "weight!",
                      e.deadline as "deadline: NaiveDate", e.assessment_method as "assessment_method!",
                      e.backup_name, e.status as "status!: PlanStatus", e.verified_value,
                      e.last_report_day as "last_report_day: NaiveDate", e.slip_colour as "slip_colour: SlipColour"
               from target_export e "# + $filter + r#"
               order by e.cycle_start desc, e.cycle_id desc, e.department_order nulls first, e.department_name,
                        e.level, e.owner_name, e.set_id, e.sort_order, e.id"#
            $(, $arg)*
        )
    };
}

/// The scope's targets in the export's order, one row at a time.
pub fn stream<'c>(
    conn: &'c mut PgConnection,
    scope: &TargetScope,
) -> BoxStream<'c, Result<TargetExportRow, sqlx::Error>> {
    match scope.clone() {
        TargetScope::Set { set_id } => export_rows!("where e.set_id = $1", set_id).fetch(conn),
        TargetScope::Mine { person_id } => {
            export_rows!("where e.level = 'person' and e.person_id = $1 and e.cycle_stage <> 'closed'", person_id)
                .fetch(conn)
        }
        TargetScope::Department { cycle_id, department_id } => export_rows!(
            "where e.cycle_id = $1 and e.department_id = $2 and e.level in ('department', 'person')",
            cycle_id,
            department_id
        )
        .fetch(conn),
        TargetScope::Cycle { cycle_id, departments } => export_rows!(
            "where e.cycle_id = $1 and ($2::bigint[] is null or e.department_id = any($2))",
            cycle_id,
            departments.as_deref() as Option<&[i64]>
        )
        .fetch(conn),
        TargetScope::All => export_rows!("where true").fetch(conn),
    }
}

/// Lets the statements of this transaction run `secs` seconds: an export's
/// read lasts as long as the writing of its rows, longer than a page's
/// statements may (0: no limit, for a job built in the background).
pub async fn allow_statements_for(conn: &mut PgConnection, secs: u64) -> Result<(), sqlx::Error> {
    sqlx::query!("select set_config('statement_timeout', $1, true)", format!("{secs}s")).fetch_one(conn).await?;
    Ok(())
}

/// How many targets an office-wide scope holds (one cycle's, or all), for
/// the progress of an export job.
pub async fn count(conn: &mut PgConnection, cycle_id: Option<i64>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "count!" from target t join target_set s on s.id = t.set_id
           where t.active and ($1::bigint is null or s.cycle_id = $1)"#,
        cycle_id
    )
    .fetch_one(conn)
    .await
}

/// The completion cap (docs/DOMAIN.md §1.4, §6.7) of every cycle year, from
/// the settings that apply to it (the nearest year at or before it with its
/// own row; the shipped default without one).
pub async fn completion_caps(conn: &mut PgConnection) -> Result<HashMap<i32, i32>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select y.year as "year!", s.settings as "settings?"
           from (select distinct extract(year from period_start)::integer as year from cycle) y
           left join lateral (select o.settings from office_setting o where o.year <= y.year
                              order by o.year desc limit 1) s on true"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let settings = r.settings.as_ref().map(Settings::from_json).unwrap_or_default();
            (r.year, settings.completion_cap_percent)
        })
        .collect())
}

//! Criteria schemes as stored (docs/DOMAIN.md §17.10): the versions of a
//! year's scheme per target group, each the whole `Scheme` as one JSON
//! document. Versions are never rewritten; a save adds the next number, and
//! a cycle entering assessment freezes the versions it uses.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::domain::assessment::{Scheme, TargetGroup};

/// The code a target group is stored under (its serde name).
pub fn group_code(group: TargetGroup) -> &'static str {
    match group {
        TargetGroup::Staff => "staff",
        TargetGroup::DepartmentHeads => "department_heads",
    }
}

/// The target group of a stored code.
pub fn parse_group(code: &str) -> Option<TargetGroup> {
    match code {
        "staff" => Some(TargetGroup::Staff),
        "department_heads" => Some(TargetGroup::DepartmentHeads),
        _ => None,
    }
}

fn decode_group(code: &str) -> Result<TargetGroup, sqlx::Error> {
    parse_group(code).ok_or_else(|| sqlx::Error::Decode(format!("unknown target group {code}").into()))
}

fn decode_scheme(value: serde_json::Value) -> Result<Scheme, sqlx::Error> {
    serde_json::from_value(value).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// One stored version, its document decoded.
#[derive(Debug, Clone)]
pub struct SchemeVersion {
    pub id: i64,
    pub year: i32,
    pub target: TargetGroup,
    pub number: i32,
    pub scheme: Scheme,
    pub based_on: Option<i64>,
    pub saved_by_name: Option<String>,
    pub saved_at: DateTime<Utc>,
    pub frozen_at: Option<DateTime<Utc>>,
    /// The cycles that entered assessment with this version.
    pub cycles: Vec<String>,
}

impl SchemeVersion {
    pub fn frozen(&self) -> bool {
        self.frozen_at.is_some()
    }
}

/// A version as the list shows it (without its document).
#[derive(Debug, Clone)]
pub struct VersionRow {
    pub id: i64,
    pub target: TargetGroup,
    pub number: i32,
    pub saved_by_name: Option<String>,
    pub saved_at: DateTime<Utc>,
    pub frozen_at: Option<DateTime<Utc>>,
    pub cycles: Vec<String>,
}

/// Every version of a year, by target group and then newest first.
pub async fn versions_of_year(conn: &mut PgConnection, year: i32) -> Result<Vec<VersionRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select s.id, s.target_group, s.number, p.full_name as "saved_by_name?",
                  s.saved_at as "saved_at: DateTime<Utc>", s.frozen_at as "frozen_at: DateTime<Utc>",
                  array(select c.name from cycle_scheme cs join cycle c on c.id = cs.cycle_id
                        where cs.scheme_id = s.id order by c.period_start, c.id) as "cycles!"
           from assessment_scheme s
           left join person p on p.id = s.saved_by
           where s.year = $1
           order by s.target_group desc, s.number desc"#,
        year
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(VersionRow {
                id: r.id,
                target: decode_group(&r.target_group)?,
                number: r.number,
                saved_by_name: r.saved_by_name,
                saved_at: r.saved_at,
                frozen_at: r.frozen_at,
                cycles: r.cycles,
            })
        })
        .collect()
}

/// One version with its document.
pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<SchemeVersion>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select s.id, s.year, s.target_group, s.number, s.scheme, s.based_on, p.full_name as "saved_by_name?",
                  s.saved_at as "saved_at: DateTime<Utc>", s.frozen_at as "frozen_at: DateTime<Utc>",
                  array(select c.name from cycle_scheme cs join cycle c on c.id = cs.cycle_id
                        where cs.scheme_id = s.id order by c.period_start, c.id) as "cycles!"
           from assessment_scheme s
           left join person p on p.id = s.saved_by
           where s.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(SchemeVersion {
            id: r.id,
            year: r.year,
            target: decode_group(&r.target_group)?,
            number: r.number,
            scheme: decode_scheme(r.scheme)?,
            based_on: r.based_on,
            saved_by_name: r.saved_by_name,
            saved_at: r.saved_at,
            frozen_at: r.frozen_at,
            cycles: r.cycles,
        })
    })
    .transpose()
}

/// The id and number of every version of a year and group, newest first.
pub async fn numbers(conn: &mut PgConnection, year: i32, group: TargetGroup) -> Result<Vec<(i64, i32)>, sqlx::Error> {
    let rows = sqlx::query!(
        "select id, number from assessment_scheme where year = $1 and target_group = $2 order by number desc",
        year,
        group_code(group)
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.number)).collect())
}

/// The newest version of a year and group, if any.
pub async fn latest(
    conn: &mut PgConnection,
    year: i32,
    group: TargetGroup,
) -> Result<Option<SchemeVersion>, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "select id from assessment_scheme where year = $1 and target_group = $2 order by number desc limit 1",
        year,
        group_code(group)
    )
    .fetch_optional(&mut *conn)
    .await?;
    match id {
        Some(id) => find(conn, id).await,
        None => Ok(None),
    }
}

/// The newest version number of a year and group (0 when it has none).
pub async fn head_number(conn: &mut PgConnection, year: i32, group: TargetGroup) -> Result<i32, sqlx::Error> {
    let head = sqlx::query_scalar!(
        r#"select coalesce(max(number), 0) as "head!" from assessment_scheme where year = $1 and target_group = $2"#,
        year,
        group_code(group)
    )
    .fetch_one(conn)
    .await?;
    Ok(head)
}

/// The unique constraint a save violates when another save took its number.
pub const NUMBER_TAKEN: &str = "assessment_scheme_number";

/// Stores `scheme` as version `number` of its year and group. A save from a
/// stale form fails with a unique violation of [`NUMBER_TAKEN`].
pub async fn insert_version(
    conn: &mut PgConnection,
    scheme: &Scheme,
    number: i32,
    based_on: Option<i64>,
    saved_by: Option<i64>,
) -> Result<i64, sqlx::Error> {
    let document = serde_json::to_value(scheme).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query_scalar!(
        "insert into assessment_scheme (year, target_group, number, scheme, based_on, saved_by)
         values ($1, $2, $3, $4, $5, $6) returning id",
        scheme.year,
        group_code(scheme.target),
        number,
        document,
        based_on,
        saved_by
    )
    .fetch_one(conn)
    .await
}

/// Links a cycle entering assessment to the newest version of each target
/// group of `year` and freezes those versions. A cycle keeps the versions it
/// first entered assessment with. The ids linked now.
pub async fn freeze_for_cycle(conn: &mut PgConnection, cycle_id: i64, year: i32) -> Result<Vec<i64>, sqlx::Error> {
    let linked = sqlx::query_scalar!(
        r#"insert into cycle_scheme (cycle_id, target_group, scheme_id)
           select distinct on (target_group) $1::bigint, target_group, id
           from assessment_scheme where year = $2
           order by target_group, number desc
           on conflict (cycle_id, target_group) do nothing
           returning scheme_id"#,
        cycle_id,
        year
    )
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query!(
        "update assessment_scheme set frozen_at = now()
         where frozen_at is null and id in (select scheme_id from cycle_scheme where cycle_id = $1)",
        cycle_id
    )
    .execute(conn)
    .await?;
    Ok(linked)
}

/// The scheme a cycle uses for a target group: the version it entered
/// assessment with, else the newest stored version of its year, else the
/// shipped default of its year (docs/DOMAIN.md §17.10).
pub async fn for_cycle(
    conn: &mut PgConnection,
    cycle_id: i64,
    year: i32,
    group: TargetGroup,
) -> Result<Scheme, sqlx::Error> {
    let stored = sqlx::query_scalar!(
        r#"select s.scheme
           from assessment_scheme s
           left join cycle_scheme cs on cs.scheme_id = s.id and cs.cycle_id = $1 and cs.target_group = $3
           where s.year = $2 and s.target_group = $3
           order by cs.cycle_id is null, s.number desc
           limit 1"#,
        cycle_id,
        year,
        group_code(group),
    )
    .fetch_optional(conn)
    .await?;
    match stored {
        Some(document) => decode_scheme(document),
        None => Ok(match group {
            TargetGroup::Staff => Scheme::default_staff(year),
            TargetGroup::DepartmentHeads => Scheme::default_heads(year),
        }),
    }
}

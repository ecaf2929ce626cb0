//! Target imports (docs/DOMAIN.md §20.3): the checked rows of an upload, kept
//! between the preview and the confirmation, and what the check needs to know
//! about the department, its people and their plans.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use sqlx::types::Json;

use crate::domain::plan::{CycleStage, PlanStatus, TargetLevel};
use crate::domain::target_import::{ImportRow, PersonFacts};

/// An import as stored.
#[derive(Debug, Clone)]
pub struct ImportRecord {
    pub uploaded_by: i64,
    pub cycle_id: i64,
    pub department_id: i64,
    pub file_name: String,
    pub rows: Vec<ImportRow>,
    pub committed: bool,
}

/// Stores the rows of an upload for the confirmation to come; the import's id.
pub async fn insert(
    conn: &mut PgConnection,
    uploaded_by: i64,
    (cycle_id, department_id): (i64, i64),
    file_name: &str,
    rows: &[ImportRow],
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into target_import (uploaded_by, cycle_id, department_id, file_name, rows)
         values ($1, $2, $3, $4, $5) returning id",
        uploaded_by,
        cycle_id,
        department_id,
        file_name,
        Json(rows) as _,
    )
    .fetch_one(conn)
    .await
}

/// Forgets the person's imports that were previewed and never confirmed: a
/// new upload replaces them, so an older preview cannot be confirmed any more.
pub async fn discard_unconfirmed(conn: &mut PgConnection, uploaded_by: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("delete from target_import where uploaded_by = $1 and committed_at is null", uploaded_by)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Loads the import and locks it for the confirmation in this transaction, so
/// two confirmations of one import run one after the other.
pub async fn lock(conn: &mut PgConnection, id: i64) -> Result<Option<ImportRecord>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select uploaded_by, cycle_id, department_id, file_name, rows as "rows: Json<Vec<ImportRow>>",
                  committed_at is not null as "committed!"
           from target_import where id = $1 for update"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| ImportRecord {
        uploaded_by: r.uploaded_by,
        cycle_id: r.cycle_id,
        department_id: r.department_id,
        file_name: r.file_name,
        rows: r.rows.0,
        committed: r.committed,
    }))
}

/// Marks the import confirmed; false when it already was.
pub async fn mark_committed(conn: &mut PgConnection, id: i64, committed_by: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update target_import set committed_at = now(), committed_by = $2 where id = $1 and committed_at is null",
        id,
        committed_by
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The cycle's period and stage.
#[derive(Debug, Clone)]
pub struct CycleFacts {
    pub name: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub stage: CycleStage,
}

pub async fn cycle(conn: &mut PgConnection, cycle_id: i64) -> Result<Option<CycleFacts>, sqlx::Error> {
    sqlx::query_as!(
        CycleFacts,
        r#"select name, period_start as "period_start: NaiveDate", period_end as "period_end: NaiveDate",
                  stage as "stage: CycleStage"
           from cycle where id = $1"#,
        cycle_id
    )
    .fetch_optional(conn)
    .await
}

/// The department's active people: whether they take part in the cycle,
/// the post they hold as A and its B.
pub async fn people(
    conn: &mut PgConnection,
    cycle_id: i64,
    department_id: i64,
) -> Result<Vec<PersonFacts>, sqlx::Error> {
    sqlx::query_as!(
        PersonFacts,
        r#"select p.id, p.username, p.full_name,
                  exists (select 1 from cycle_participant cp where cp.cycle_id = $1 and cp.person_id = p.id)
                    as "participates!",
                  post.id as "post_id?", post.b_holder_id as "post_backup_id?"
           from person p
           left join lateral (select id, b_holder_id from post
                              where a_holder_id = p.id and active order by sort_order, id limit 1) post on true
           where p.active and p.department_id = $2
           order by p.full_name, p.id"#,
        cycle_id,
        department_id
    )
    .fetch_all(conn)
    .await
}

/// Whether someone of the department takes part in the cycle.
pub async fn department_participates(
    conn: &mut PgConnection,
    cycle_id: i64,
    department_id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from cycle_participant where cycle_id = $1 and department_id = $2) as "x!""#,
        cycle_id,
        department_id
    )
    .fetch_one(conn)
    .await
}

/// Of `usernames`, those of active people of other departments.
pub async fn elsewhere(
    conn: &mut PgConnection,
    usernames: &[String],
    department_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "select username from person where active and username = any($1) and department_id is distinct from $2",
        usernames,
        department_id
    )
    .fetch_all(conn)
    .await
}

/// A plan of the department or of one of `people` in the cycle, with its
/// active targets' weights and titles.
#[derive(Debug, Clone)]
pub struct PlanRow {
    pub set_id: i64,
    pub level: TargetLevel,
    pub person_id: Option<i64>,
    pub status: PlanStatus,
    pub weight_total: Decimal,
    pub titles: Vec<String>,
    pub next_sort_order: i32,
}

/// The department's plan and its people's in the cycle; locked for this
/// transaction when `lock` (the confirmation), so that nothing moves them
/// between the check and the writing.
pub async fn plans(
    conn: &mut PgConnection,
    cycle_id: i64,
    department_id: i64,
    people: &[i64],
    lock: bool,
) -> Result<Vec<PlanRow>, sqlx::Error> {
    if lock {
        sqlx::query!(
            "select id from target_set where cycle_id = $1
               and ((level = 'department' and department_id = $2) or (level = 'person' and person_id = any($3)))
             order by id for update",
            cycle_id,
            department_id,
            people
        )
        .fetch_all(&mut *conn)
        .await?;
    }
    sqlx::query_as!(
        PlanRow,
        r#"select s.id as set_id, s.level as "level: TargetLevel", s.person_id, s.status as "status: PlanStatus",
                  coalesce(sum(t.weight) filter (where t.active), 0) as "weight_total!",
                  coalesce(array_agg(t.title) filter (where t.active), '{}') as "titles!",
                  (coalesce(max(t.sort_order), 0) + 1)::integer as "next_sort_order!"
           from target_set s
           left join target t on t.set_id = s.id
           where s.cycle_id = $1
             and ((s.level = 'department' and s.department_id = $2) or (s.level = 'person' and s.person_id = any($3)))
           group by s.id
           order by s.id"#,
        cycle_id,
        department_id,
        people
    )
    .fetch_all(conn)
    .await
}

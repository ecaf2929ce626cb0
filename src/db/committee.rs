//! The assessment committee's records before deciding an annual cycle
//! (docs/DOMAIN.md §17.17): the approval of the higher 优秀 rate, and hard
//! vetoes (一票否决).

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// The recorded approval of a cycle's higher 优秀 rate.
#[derive(Debug, Clone)]
pub struct QuotaApproval {
    pub reference: String,
    pub recorded_by_name: String,
    pub recorded_at: DateTime<Utc>,
}

pub async fn quota_approval(conn: &mut PgConnection, cycle_id: i64) -> Result<Option<QuotaApproval>, sqlx::Error> {
    sqlx::query_as!(
        QuotaApproval,
        r#"select a.reference, p.full_name as recorded_by_name, a.recorded_at as "recorded_at: DateTime<Utc>"
           from quota_approval a join person p on p.id = a.recorded_by
           where a.cycle_id = $1"#,
        cycle_id
    )
    .fetch_optional(conn)
    .await
}

/// Records (or, with `None`, withdraws) a cycle's quota approval; false when
/// there was nothing to withdraw.
pub async fn set_quota_approval(
    conn: &mut PgConnection,
    cycle_id: i64,
    reference: Option<&str>,
    by: i64,
    at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = match reference {
        Some(reference) => sqlx::query!(
            "insert into quota_approval (cycle_id, reference, recorded_by, recorded_at) values ($1, $2, $3, $4)
             on conflict (cycle_id) do update
             set reference = excluded.reference, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
            cycle_id,
            reference,
            by,
            at as _,
        )
        .execute(conn)
        .await?
        .rows_affected(),
        None => sqlx::query!("delete from quota_approval where cycle_id = $1", cycle_id)
            .execute(conn)
            .await?
            .rows_affected(),
    };
    Ok(changed > 0)
}

/// A hard veto of a person in a cycle.
#[derive(Debug, Clone)]
pub struct HardVeto {
    pub person_id: i64,
    pub reason: String,
    pub recorded_by: i64,
}

pub async fn hard_vetoes(conn: &mut PgConnection, cycle_id: i64) -> Result<Vec<HardVeto>, sqlx::Error> {
    sqlx::query_as!(
        HardVeto,
        "select person_id, reason, recorded_by from hard_veto where cycle_id = $1 order by person_id",
        cycle_id
    )
    .fetch_all(conn)
    .await
}

/// Records a hard veto, replacing the reason of one already recorded.
pub async fn veto(
    conn: &mut PgConnection,
    cycle_id: i64,
    person_id: i64,
    reason: &str,
    by: i64,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into hard_veto (cycle_id, person_id, reason, recorded_by, recorded_at) values ($1, $2, $3, $4, $5)
         on conflict (cycle_id, person_id) do update
         set reason = excluded.reason, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        cycle_id,
        person_id,
        reason,
        by,
        at as _,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Withdraws a hard veto; false when there was none.
pub async fn withdraw_veto(conn: &mut PgConnection, cycle_id: i64, person_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!("delete from hard_veto where cycle_id = $1 and person_id = $2", cycle_id, person_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

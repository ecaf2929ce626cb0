//! The append-only audit log.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgConnection;

/// Who acted, from where, in which request: attached to every audit row.
#[derive(Debug, Clone, Default)]
pub struct AuditContext {
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub ip: String,
    pub request_id: String,
}

/// One thing that happened, to be recorded.
pub struct AuditEvent<'a> {
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: String,
    pub summary: Value,
}

impl<'a> AuditEvent<'a> {
    pub fn new(action: &'a str, object_type: &'a str, object_id: impl ToString, summary: Value) -> Self {
        AuditEvent { action, object_type, object_id: object_id.to_string(), summary }
    }
}

/// Appends a row; call it inside the transaction of the change it records.
pub async fn record(conn: &mut PgConnection, ctx: &AuditContext, event: AuditEvent<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into audit_log (actor_id, actor_name, ip, request_id, action, object_type, object_id, summary)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        ctx.actor_id,
        ctx.actor_name,
        ctx.ip,
        ctx.request_id,
        event.action,
        event.object_type,
        event.object_id,
        event.summary,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Appends a refusal's row for a signed-in person unless they already have a
/// row of the same action from the last minute: their refusals stay on
/// record, but repeating one cannot flood the log (each row also invalidates
/// the office board's cache). A lock per person and action makes concurrent
/// refusals agree. Answers whether a row was written.
pub async fn record_refusal(
    conn: &mut PgConnection,
    ctx: &AuditContext,
    event: AuditEvent<'_>,
) -> Result<bool, sqlx::Error> {
    let Some(actor_id) = ctx.actor_id else { return Ok(false) };
    let mut tx = sqlx::Connection::begin(conn).await?;
    let lock = format!("audit-refusal:{actor_id}:{}", event.action);
    sqlx::query_scalar!(r#"select 1 as "locked!" from pg_advisory_xact_lock(hashtextextended($1, 0))"#, lock)
        .fetch_one(&mut *tx)
        .await?;
    let written = sqlx::query!(
        "insert into audit_log (actor_id, actor_name, ip, request_id, action, object_type, object_id, summary)
         select $1, $2, $3, $4, $5, $6, $7, $8
         where not exists (select 1 from audit_log
                           where actor_id = $1 and action = $5 and at > now() - interval '1 minute')",
        actor_id,
        ctx.actor_name,
        ctx.ip,
        ctx.request_id,
        event.action,
        event.object_type,
        event.object_id,
        event.summary,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    tx.commit().await?;
    Ok(written)
}

#[derive(Debug, Clone)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_name: String,
    pub ip: String,
    pub request_id: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub summary: Value,
}

/// What the audit log page filters by; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: String,
    pub action: String,
    pub object: String,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// One page of matching rows, newest first, rows older than `before_id` when given.
pub async fn search(
    conn: &mut PgConnection,
    filter: &AuditFilter,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as!(
        AuditRow,
        r#"select id, at as "at: DateTime<Utc>", actor_name, ip, request_id, action, object_type, object_id, summary
           from audit_log
           where ($1 = '' or actor_name ilike '%' || $1 || '%')
             and ($2 = '' or action ilike $2 || '%')
             and ($3 = '' or object_type || ':' || object_id ilike '%' || $3 || '%')
             and ($4::timestamptz is null or at >= $4)
             and ($5::timestamptz is null or at < $5)
             and ($6::bigint is null or id < $6)
           order by id desc
           limit $7"#,
        filter.actor,
        filter.action,
        filter.object,
        filter.from as _,
        filter.until as _,
        before_id,
        limit,
    )
    .fetch_all(conn)
    .await
}

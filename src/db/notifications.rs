//! In-app notifications: stored events with read/unread. Event notices are
//! raised in the transaction of their event (so stamped with its time);
//! time-based ones by the background task. Both carry a `dedupe_key`, so
//! raising one again adds nothing.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sqlx::PgConnection;

#[derive(Debug, Clone)]
pub struct NotificationRow {
    pub id: i64,
    pub message: String,
    pub args: Value,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// A notification to raise.
pub struct NewNotification<'a> {
    pub person_id: i64,
    /// The locale key of the message.
    pub message: &'a str,
    pub args: Value,
    pub link: String,
    /// Raised at most once per key.
    pub dedupe_key: Option<String>,
}

/// Raises a notification; false when one with the same dedupe key exists.
pub async fn raise(conn: &mut PgConnection, n: &NewNotification<'_>) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "insert into notification (person_id, message, args, link, dedupe_key) values ($1, $2, $3, $4, $5)
         on conflict (dedupe_key) do nothing",
        n.person_id,
        n.message,
        n.args,
        n.link,
        n.dedupe_key
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Raises many notifications in one statement (the background task's); those
/// whose dedupe key exists already, or repeats one before it, are left out.
/// Answers how many were raised.
pub async fn raise_all(conn: &mut PgConnection, all: &[NewNotification<'_>]) -> Result<u64, sqlx::Error> {
    if all.is_empty() {
        return Ok(0);
    }
    let people: Vec<i64> = all.iter().map(|n| n.person_id).collect();
    let messages: Vec<&str> = all.iter().map(|n| n.message).collect();
    let args: Vec<Value> = all.iter().map(|n| n.args.clone()).collect();
    let links: Vec<&str> = all.iter().map(|n| n.link.as_str()).collect();
    let keys: Vec<Option<&str>> = all.iter().map(|n| n.dedupe_key.as_deref()).collect();
    let result = sqlx::query!(
        "insert into notification (person_id, message, args, link, dedupe_key)
         select person_id, message, args, link, dedupe_key
         from unnest($1::bigint[], $2::text[], $3::jsonb[], $4::text[], $5::text[]) with ordinality
              as n (person_id, message, args, link, dedupe_key, position)
         order by position
         on conflict (dedupe_key) do nothing",
        &people,
        &messages as &[&str],
        &args,
        &links as &[&str],
        &keys as &[Option<&str>]
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

/// The person's notifications, unread first, newest first.
pub async fn list(conn: &mut PgConnection, person_id: i64, limit: i64) -> Result<Vec<NotificationRow>, sqlx::Error> {
    sqlx::query_as!(
        NotificationRow,
        r#"select id, message, args, link, created_at as "created_at: DateTime<Utc>", read_at as "read_at: DateTime<Utc>"
           from notification where person_id = $1
           order by read_at is not null, created_at desc, id desc limit $2"#,
        person_id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// Marks one of the person's notifications read; false if it is not theirs.
pub async fn mark_read(conn: &mut PgConnection, person_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update notification set read_at = coalesce(read_at, now()) where id = $1 and person_id = $2",
        id,
        person_id
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn mark_all_read(conn: &mut PgConnection, person_id: i64) -> Result<u64, sqlx::Error> {
    let result =
        sqlx::query!("update notification set read_at = now() where person_id = $1 and read_at is null", person_id)
            .execute(conn)
            .await?;
    Ok(result.rows_affected())
}

/// Marks read every notification whose dedupe key starts with `prefix`: an
/// event notice ("your plan was returned") is settled once the person has
/// acted on it (docs/DOMAIN.md §12). The number marked.
pub async fn resolve(conn: &mut PgConnection, prefix: &str) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "update notification set read_at = now()
         where read_at is null and starts_with(dedupe_key, $1)",
        prefix
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

/// A slip to tell its addressees about.
#[derive(Debug, Clone)]
pub struct SlipNotice {
    pub slip_id: i64,
    pub item_id: i64,
    pub person_id: i64,
    pub title: String,
    pub colour: crate::domain::monitor::SlipColour,
    pub answer_due: chrono::NaiveDate,
}

/// Unanswered slips and who must answer them: the person the slip is charged
/// to (for a missed due date, the B who covered that day), and whoever acts
/// for the assignee today (the assignee or the B covering now), or else the
/// heads of the item's department.
pub async fn slips_to_announce(conn: &mut PgConnection, today: NaiveDate) -> Result<Vec<SlipNotice>, sqlx::Error> {
    sqlx::query_as!(
        SlipNotice,
        r#"select distinct s.id as slip_id, i.id as item_id, w.person_id as "person_id!", i.title,
                  s.colour as "colour: crate::domain::monitor::SlipColour",
                  s.answer_due as "answer_due: chrono::NaiveDate"
           from supervision_slip s
           join supervision_item i on i.id = s.item_id
           left join role_grant g on i.assignee_id is null and g.role = 'department_head' and g.department_id = i.department_id
           cross join lateral (values (s.charged_to),
                                      (coalesce(covering_backup(i.assignee_id, $1), i.assignee_id, g.person_id))) w(person_id)
           where s.answered_at is null and w.person_id is not null"#,
        today as _
    )
    .fetch_all(conn)
    .await
}

/// Every active department, to watch every target's reports.
pub async fn all_departments(conn: &mut PgConnection) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!("select id from department where active").fetch_all(conn).await
}

//! Roster imports: the checked rows of an uploaded file, kept between preview
//! and commit, and the people and posts a commit creates.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sqlx::PgConnection;
use sqlx::types::Json;

use super::people::{self, PersonData};
use crate::domain::roles::{Role, RoleGrant};
use crate::domain::roster::{NewPerson, RosterRow};

/// An import as stored.
#[derive(Debug, Clone)]
pub struct ImportRecord {
    pub id: i64,
    pub file_name: String,
    pub rows: Vec<RosterRow>,
    pub committed: bool,
}

/// Stores the rows of an upload for the commit to come; returns the import's id.
pub async fn insert(
    conn: &mut PgConnection,
    uploaded_by: i64,
    file_name: &str,
    rows: &[RosterRow],
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into roster_import (uploaded_by, file_name, rows) values ($1, $2, $3) returning id",
        uploaded_by,
        file_name,
        Json(rows) as _,
    )
    .fetch_one(conn)
    .await
}

pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<ImportRecord>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select id, file_name, rows as "rows: Json<Vec<RosterRow>>", committed_at is not null as "committed!"
           from roster_import where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| ImportRecord { id: r.id, file_name: r.file_name, rows: r.rows.0, committed: r.committed }))
}

/// Loads the import and locks it for the commit in this transaction, so two
/// commits of one import run one after the other.
pub async fn lock(conn: &mut PgConnection, id: i64) -> Result<Option<ImportRecord>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select id, file_name, rows as "rows: Json<Vec<RosterRow>>", committed_at is not null as "committed!"
           from roster_import where id = $1 for update"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| ImportRecord { id: r.id, file_name: r.file_name, rows: r.rows.0, committed: r.committed }))
}

/// Marks the import committed; false when it already was (a second commit changes nothing).
pub async fn mark_committed(conn: &mut PgConnection, id: i64, committed_by: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update roster_import set committed_at = now(), committed_by = $2 where id = $1 and committed_at is null",
        id,
        committed_by
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Active departments by name, which is what roster files give.
pub async fn active_departments(conn: &mut PgConnection) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows = sqlx::query!("select id, name from department where active").fetch_all(conn).await?;
    Ok(rows.into_iter().map(|r| (r.name, r.id)).collect())
}

/// Those of `usernames` that an account already has.
pub async fn taken_usernames(conn: &mut PgConnection, usernames: &[String]) -> Result<HashSet<String>, sqlx::Error> {
    let taken =
        sqlx::query_scalar!("select username from person where username = any($1)", usernames).fetch_all(conn).await?;
    Ok(taken.into_iter().collect())
}

/// The post an imported person holds as A.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostAssignment {
    pub post_id: i64,
    pub created: bool,
    /// Who held A before (an existing post), for the audit log.
    pub previous_a_holder_id: Option<i64>,
}

/// Makes `holder` the A holder of the department's post `title`, creating the
/// post if needed; the holders are recorded from `today` on.
pub async fn assign_post(
    conn: &mut PgConnection,
    department_id: i64,
    title: &str,
    holder: i64,
    today: NaiveDate,
) -> Result<PostAssignment, sqlx::Error> {
    let created = sqlx::query_scalar!(
        "insert into post (department_id, title, a_holder_id) values ($1, $2, $3)
         on conflict (department_id, title) do nothing returning id",
        department_id,
        title,
        holder
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(post_id) = created {
        super::posts::record_holders(conn, post_id, today).await?;
        return Ok(PostAssignment { post_id, created: true, previous_a_holder_id: None });
    }
    let existing = sqlx::query!(
        "select id, a_holder_id from post where department_id = $1 and title = $2 for update",
        department_id,
        title
    )
    .fetch_one(&mut *conn)
    .await?;
    super::posts::keep_earlier_holders(conn, existing.id).await?;
    sqlx::query!("update post set a_holder_id = $2, version = version + 1 where id = $1", existing.id, holder)
        .execute(&mut *conn)
        .await?;
    super::posts::record_holders(conn, existing.id, today).await?;
    Ok(PostAssignment { post_id: existing.id, created: false, previous_a_holder_id: existing.a_holder_id })
}

/// A person created by an import.
#[derive(Debug, Clone)]
pub struct CreatedPerson {
    pub id: i64,
    pub data: PersonData,
    pub post: Option<PostAssignment>,
}

/// Creates an active staff member who must change `password_hash` at first
/// sign-in, and gives them their post.
pub async fn create_person(
    conn: &mut PgConnection,
    person: &NewPerson,
    password_hash: &str,
    today: NaiveDate,
) -> Result<CreatedPerson, sqlx::Error> {
    let data = PersonData {
        username: person.username.clone(),
        full_name: person.full_name.clone(),
        identity_type: person.identity_type,
        rank: person.rank.clone(),
        department_id: Some(person.department_id),
        phone: person.phone.clone(),
        active: true,
    };
    let id = people::create(conn, &data, password_hash).await?;
    people::record_department(conn, id, today).await?;
    people::replace_grants(conn, id, &[RoleGrant { role: Role::Staff, department_id: None }]).await?;
    let post = match &person.post {
        Some(title) => Some(assign_post(conn, person.department_id, title, id, today).await?),
        None => None,
    };
    Ok(CreatedPerson { id, data, post })
}

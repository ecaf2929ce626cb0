//! People (accounts) and their role grants.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::domain::career::{Career, RankTier, RankTrack};
use crate::domain::identity::IdentityType;
use crate::domain::roles::{Grants, Role, RoleGrant};
use crate::domain::transfers::DatedDepartment;

/// The signed-in person with the roles they hold, loaded once per request.
#[derive(Debug, Clone)]
pub struct Principal {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub department_id: Option<i64>,
    pub locale: Option<String>,
    pub must_change_password: bool,
    pub password_changed_at: Option<DateTime<Utc>>,
    pub grants: Grants,
    /// Unread notifications, for the header.
    pub unread: i64,
}

/// Loads an active person whose sessions are still at `epoch`, with their roles,
/// in one query. `None` ends the session.
pub async fn load_principal(conn: &mut PgConnection, id: i64, epoch: i32) -> Result<Option<Principal>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select p.id, p.username, p.full_name, p.department_id, p.locale, p.must_change_password,
                  p.password_changed_at as "password_changed_at: DateTime<Utc>",
                  coalesce(array_agg(g.role::text) filter (where g.role is not null), '{}') as "roles!",
                  coalesce(array_agg(coalesce(g.department_id, 0)) filter (where g.role is not null), '{}') as "role_departments!",
                  (select count(*) from notification n where n.person_id = p.id and n.read_at is null) as "unread!"
           from person p
           left join role_grant g on g.person_id = p.id
           where p.id = $1 and p.session_epoch = $2 and p.active
           group by p.id"#,
        id,
        epoch
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| Principal {
        id: r.id,
        username: r.username,
        full_name: r.full_name,
        department_id: r.department_id,
        locale: r.locale,
        must_change_password: r.must_change_password,
        password_changed_at: r.password_changed_at,
        grants: grants_from(&r.roles, &r.role_departments),
        unread: r.unread,
    }))
}

fn grants_from(roles: &[String], departments: &[i64]) -> Grants {
    Grants(
        roles
            .iter()
            .zip(departments)
            .filter_map(|(role, dept)| {
                let role = Role::from_code(role)?;
                Some(RoleGrant { role, department_id: (*dept != 0).then_some(*dept) })
            })
            .collect(),
    )
}

/// What sign-in needs to know about a username.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    pub id: i64,
    pub full_name: String,
    pub password_hash: String,
    pub active: bool,
    pub session_epoch: i32,
    pub locale: Option<String>,
}

pub async fn find_for_login(conn: &mut PgConnection, username: &str) -> Result<Option<LoginRecord>, sqlx::Error> {
    sqlx::query_as!(
        LoginRecord,
        "select id, full_name, password_hash, active, session_epoch, locale from person where username = $1",
        username
    )
    .fetch_optional(conn)
    .await
}

pub async fn password_hash(conn: &mut PgConnection, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!("select password_hash from person where id = $1", id).fetch_optional(conn).await
}

/// Stores a new password hash and ends every session of the person; returns the
/// new session epoch. `by_owner` is false for an administrator's reset, which
/// forces a change at the next sign-in.
pub async fn set_password(conn: &mut PgConnection, id: i64, hash: &str, by_owner: bool) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar!(
        "update person set password_hash = $2, must_change_password = not $3,
                password_changed_at = case when $3 then now() else password_changed_at end,
                session_epoch = session_epoch + 1
         where id = $1 returning session_epoch",
        id,
        hash,
        by_owner
    )
    .fetch_one(conn)
    .await
}

pub async fn set_locale(conn: &mut PgConnection, id: i64, locale: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("update person set locale = $2 where id = $1", id, locale).execute(conn).await?;
    Ok(())
}

/// A row of the people list.
#[derive(Debug, Clone)]
pub struct PersonRow {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub identity_type: IdentityType,
    pub rank: String,
    pub department_name: Option<String>,
    pub phone: String,
    pub active: bool,
    pub roles: Vec<String>,
    pub posts: Vec<String>,
}

/// People matching `query` (name or username, empty for all), active first.
pub async fn list(
    conn: &mut PgConnection,
    query: &str,
    department_id: Option<i64>,
) -> Result<Vec<PersonRow>, sqlx::Error> {
    sqlx::query_as!(
        PersonRow,
        r#"select p.id, p.username, p.full_name, p.identity_type as "identity_type: IdentityType", p.rank,
                  d.name as "department_name?", p.phone, p.active,
                  array(select distinct g.role::text from role_grant g where g.person_id = p.id) as "roles!",
                  array(select s.title from post s where s.a_holder_id = p.id and s.active order by s.title) as "posts!"
           from person p
           left join department d on d.id = p.department_id
           where ($1 = '' or p.full_name ilike '%' || $1 || '%' or p.username ilike '%' || $1 || '%')
             and ($2::bigint is null or p.department_id = $2)
           order by p.active desc, d.sort_order nulls last, p.full_name"#,
        query,
        department_id
    )
    .fetch_all(conn)
    .await
}

/// A person as the edit form shows them.
#[derive(Debug, Clone)]
pub struct PersonRecord {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub identity_type: IdentityType,
    pub rank: String,
    pub department_id: Option<i64>,
    pub phone: String,
    pub active: bool,
    pub version: i32,
}

pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<PersonRecord>, sqlx::Error> {
    sqlx::query_as!(
        PersonRecord,
        r#"select id, username, full_name, identity_type as "identity_type: IdentityType", rank, department_id,
                  phone, active, version
           from person where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Locks the person's row for a change in this transaction.
pub async fn find_for_update(conn: &mut PgConnection, id: i64) -> Result<Option<PersonRecord>, sqlx::Error> {
    sqlx::query_as!(
        PersonRecord,
        r#"select id, username, full_name, identity_type as "identity_type: IdentityType", rank, department_id,
                  phone, active, version
           from person where id = $1 for update"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// What a person form saves (everything but password and roles).
#[derive(Debug, Clone)]
pub struct PersonData {
    pub username: String,
    pub full_name: String,
    pub identity_type: IdentityType,
    pub rank: String,
    pub department_id: Option<i64>,
    pub phone: String,
    pub active: bool,
}

/// Creates a person who must change the given initial password at first sign-in.
pub async fn create(conn: &mut PgConnection, data: &PersonData, password_hash: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into person (username, full_name, password_hash, identity_type, rank, department_id, phone, active,
                             must_change_password)
         values ($1, $2, $3, $4, $5, $6, $7, $8, true) returning id",
        data.username,
        data.full_name,
        password_hash,
        data.identity_type as IdentityType,
        data.rank,
        data.department_id,
        data.phone,
        data.active,
    )
    .fetch_one(conn)
    .await
}

/// Saves if the row is still at `version`; false when it moved. Deactivating
/// ends every session of the person; a change of department is recorded from
/// `today` on (docs/DOMAIN.md §2.7).
pub async fn update(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    data: &PersonData,
    today: NaiveDate,
) -> Result<bool, sqlx::Error> {
    keep_earlier_department(conn, id).await?;
    let result = sqlx::query!(
        "update person set username = $3, full_name = $4, identity_type = $5, rank = $6, department_id = $7,
                phone = $8, active = $9, version = version + 1,
                session_epoch = session_epoch + case when active and not $9 then 1 else 0 end
         where id = $1 and version = $2",
        id,
        version,
        data.username,
        data.full_name,
        data.identity_type as IdentityType,
        data.rank,
        data.department_id,
        data.phone,
        data.active,
    )
    .execute(&mut *conn)
    .await?;
    if result.rows_affected() != 1 {
        return Ok(false);
    }
    record_department(conn, id, today).await?;
    Ok(true)
}

/// Before the first recorded change of a person's department, keeps the
/// department they have now for every earlier day (a person nobody moved may
/// have no record: they stand as they are).
async fn keep_earlier_department(conn: &mut PgConnection, person_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into department_history (person_id, from_day, department_id)
         select id, '-infinity', department_id from person
         where id = $1 and not exists (select 1 from department_history h where h.person_id = $1)",
        person_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the person's department as it is now from `today` on, when it is
/// not the one last recorded (docs/DOMAIN.md §2.7); a person just created
/// gets their first record. Every writer of `person.department_id` calls it.
pub async fn record_department(conn: &mut PgConnection, person_id: i64, today: NaiveDate) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into department_history (person_id, from_day, department_id)
         select p.id, $2, p.department_id from person p
         where p.id = $1
           and (not exists (select 1 from department_history h where h.person_id = p.id)
                or p.department_id is distinct from
                   (select h.department_id from department_history h where h.person_id = p.id
                    order by h.from_day desc limit 1))
         on conflict (person_id, from_day) do update set department_id = excluded.department_id",
        person_id,
        today as _
    )
    .execute(&mut *conn)
    .await?;
    // Moved back the same day: the day's row repeats the one before it.
    sqlx::query!(
        "delete from department_history h
         where h.person_id = $1 and h.from_day = $2
           and exists (select 1 from department_history b
                       where b.person_id = $1 and b.from_day < $2
                         and b.from_day = (select max(x.from_day) from department_history x
                                           where x.person_id = $1 and x.from_day < $2)
                         and b.department_id is not distinct from h.department_id)",
        person_id,
        today as _
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The dated departments of `people` (docs/DOMAIN.md §2.7), each person's
/// oldest first; a person without any record stands in their department now.
pub async fn department_histories(
    conn: &mut PgConnection,
    people: &[i64],
) -> Result<HashMap<i64, Vec<DatedDepartment>>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select h.person_id as "person_id!", nullif(h.from_day, '-infinity') as "from_day: NaiveDate",
                  h.department_id
           from department_history h where h.person_id = any($1)
           union all
           select p.id, null, p.department_id from person p
           where p.id = any($1) and not exists (select 1 from department_history h where h.person_id = p.id)
           order by 1, 2 nulls first"#,
        people
    )
    .fetch_all(conn)
    .await?;
    let mut histories: HashMap<i64, Vec<DatedDepartment>> = HashMap::new();
    for r in rows {
        let entry = DatedDepartment { from_day: r.from_day, department_id: r.department_id };
        histories.entry(r.person_id).or_default().push(entry);
    }
    Ok(histories)
}

/// One spell of a person's department history, as the person page shows it.
#[derive(Debug, Clone)]
pub struct DepartmentSpell {
    /// The first day; none: since before any recorded change.
    pub from_day: Option<NaiveDate>,
    /// The last day; none: until now.
    pub to_day: Option<NaiveDate>,
    pub department_name: Option<String>,
}

/// A person's department history, newest first.
pub async fn department_history(conn: &mut PgConnection, person_id: i64) -> Result<Vec<DepartmentSpell>, sqlx::Error> {
    sqlx::query_as!(
        DepartmentSpell,
        r#"select nullif(h.from_day, '-infinity') as "from_day: NaiveDate",
                  (lead(h.from_day) over (order by h.from_day) - 1) as "to_day: NaiveDate",
                  d.name as "department_name?"
           from department_history h left join department d on d.id = h.department_id
           where h.person_id = $1
           order by h.from_day desc"#,
        person_id
    )
    .fetch_all(conn)
    .await
}

pub async fn grants(conn: &mut PgConnection, person_id: i64) -> Result<Vec<RoleGrant>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select role::text as "role!", department_id from role_grant where person_id = $1 order by role, department_id"#,
        person_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some(RoleGrant { role: Role::from_code(&r.role)?, department_id: r.department_id }))
        .collect())
}

/// Replaces the person's grants with `grants`.
pub async fn replace_grants(conn: &mut PgConnection, person_id: i64, grants: &[RoleGrant]) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from role_grant where person_id = $1", person_id).execute(&mut *conn).await?;
    let roles: Vec<String> = grants.iter().map(|g| g.role.code().to_string()).collect();
    let departments: Vec<Option<i64>> = grants.iter().map(|g| g.department_id).collect();
    sqlx::query!(
        "insert into role_grant (person_id, role, department_id)
         select $1, r::role_kind, d from unnest($2::text[], $3::bigint[]) as t(r, d)
         on conflict do nothing",
        person_id,
        &roles,
        &departments as &[Option<i64>]
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Active people, for A/B holder pick lists.
#[derive(Debug, Clone)]
pub struct PersonChoice {
    pub id: i64,
    pub full_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
}

pub async fn choices(conn: &mut PgConnection) -> Result<Vec<PersonChoice>, sqlx::Error> {
    sqlx::query_as!(
        PersonChoice,
        r#"select p.id, p.full_name, p.department_id, d.name as "department_name?"
           from person p left join department d on d.id = p.department_id
           where p.active order by d.sort_order nulls last, p.full_name"#
    )
    .fetch_all(conn)
    .await
}

/// A person's career facts (docs/DOMAIN.md §2.6).
pub async fn career(conn: &mut PgConnection, id: i64) -> Result<Career, sqlx::Error> {
    let row = sqlx::query!(
        r#"select rank_track as "rank_track: RankTrack", rank_tier as "rank_tier: RankTier",
                  rank_since as "rank_since: NaiveDate", level_since as "level_since: NaiveDate",
                  step_since as "step_since: NaiveDate",
                  probation_from as "probation_from: NaiveDate", probation_to as "probation_to: NaiveDate"
           from person where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row
        .map(|r| Career {
            rank_track: r.rank_track,
            rank_tier: r.rank_tier,
            rank_since: r.rank_since,
            level_since: r.level_since,
            step_since: r.step_since,
            probation: r.probation_from.zip(r.probation_to),
        })
        .unwrap_or_default())
}

/// Saves a person's career facts.
pub async fn set_career(conn: &mut PgConnection, id: i64, career: &Career) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update person set rank_track = $2, rank_tier = $3, rank_since = $4, level_since = $5,
                probation_from = $6, probation_to = $7, step_since = $8
         where id = $1",
        id,
        career.rank_track as Option<RankTrack>,
        career.rank_tier as Option<RankTier>,
        career.rank_since as _,
        career.level_since as _,
        career.probation.map(|p| p.0) as _,
        career.probation.map(|p| p.1) as _,
        career.step_since as _,
    )
    .execute(conn)
    .await?;
    Ok(())
}

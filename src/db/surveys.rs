//! Satisfaction surveys (docs/DOMAIN.md §18.3): surveys, their items and
//! links, the anonymous answers and comments, the counts per item and per
//! department, and the public page's request counts.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::domain::satisfaction::{Answer, Tally};
use crate::domain::surveys::{SurveyKind, SurveyStatus};

/// A survey with its answered and total links.
#[derive(Debug, Clone)]
pub struct SurveyRow {
    pub id: i64,
    pub title: String,
    pub year: i32,
    pub kind: SurveyKind,
    pub expires_on: NaiveDate,
    pub status: SurveyStatus,
    pub version: i32,
    pub answered: i64,
    pub links: i64,
}

/// What a new survey saves.
#[derive(Debug, Clone)]
pub struct NewSurvey {
    pub title: String,
    pub year: i32,
    pub kind: SurveyKind,
    pub expires_on: NaiveDate,
}

/// One item of a new survey: the department it counts for, and its event if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewItem {
    pub department_id: i64,
    pub event_id: Option<i64>,
}

/// An item as members see it: its id and the name of what it asks about.
#[derive(Debug, Clone)]
pub struct ItemRow {
    pub id: i64,
    pub department_id: i64,
    pub label: String,
}

/// An item with the counts of its answers.
#[derive(Debug, Clone)]
pub struct ItemTally {
    pub id: i64,
    pub department_id: i64,
    pub label: String,
    pub tally: Tally,
}

/// A member's link, for the printable list and the SMS export.
#[derive(Debug, Clone)]
pub struct LinkRow {
    pub full_name: String,
    pub sector: String,
    pub mobile: String,
    pub token: String,
    pub expires_on: NaiveDate,
}

/// A link as the answer page needs it, with its survey.
#[derive(Debug, Clone)]
pub struct LinkState {
    pub id: i64,
    pub survey_id: i64,
    pub survey_title: String,
    pub status: SurveyStatus,
    pub expires_on: NaiveDate,
    pub used_on: Option<NaiveDate>,
}

/// A member the survey form may choose, with what the filters look at.
#[derive(Debug, Clone)]
pub struct MemberChoice {
    pub id: i64,
    pub sector: String,
    pub special_committee: String,
    pub contact_department_id: Option<i64>,
}

fn tally(satisfied: i64, basically_satisfied: i64, dissatisfied: i64, not_known: i64) -> Tally {
    let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
    Tally {
        satisfied: n(satisfied),
        basically_satisfied: n(basically_satisfied),
        dissatisfied: n(dissatisfied),
        not_known: n(not_known),
    }
}

/// Every survey, newest year first.
pub async fn list(conn: &mut PgConnection) -> Result<Vec<SurveyRow>, sqlx::Error> {
    sqlx::query_as!(
        SurveyRow,
        r#"select s.id, s.title, s.year, s.kind as "kind: SurveyKind", s.expires_on as "expires_on: NaiveDate",
                  s.status as "status: SurveyStatus", s.version,
                  count(l.id) filter (where l.used_on is not null) as "answered!",
                  count(l.id) as "links!"
           from survey s left join survey_link l on l.survey_id = s.id
           group by s.id
           order by s.year desc, s.id desc"#
    )
    .fetch_all(conn)
    .await
}

pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<SurveyRow>, sqlx::Error> {
    sqlx::query_as!(
        SurveyRow,
        r#"select s.id, s.title, s.year, s.kind as "kind: SurveyKind", s.expires_on as "expires_on: NaiveDate",
                  s.status as "status: SurveyStatus", s.version,
                  (select count(*) from survey_link l where l.survey_id = s.id and l.used_on is not null) as "answered!",
                  (select count(*) from survey_link l where l.survey_id = s.id) as "links!"
           from survey s where s.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Inserts a survey, its items in order and one link per member (`(member, token)`).
pub async fn create(
    conn: &mut PgConnection,
    survey: &NewSurvey,
    items: &[NewItem],
    links: &[(i64, String)],
    created_by: i64,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "insert into survey (title, year, kind, expires_on, created_by) values ($1, $2, $3, $4, $5) returning id",
        survey.title,
        survey.year,
        survey.kind as SurveyKind,
        survey.expires_on as _,
        created_by,
    )
    .fetch_one(&mut *conn)
    .await?;
    let departments: Vec<i64> = items.iter().map(|i| i.department_id).collect();
    let events: Vec<Option<i64>> = items.iter().map(|i| i.event_id).collect();
    sqlx::query!(
        "insert into survey_item (survey_id, position, department_id, event_id)
         select $1, t.position, t.department_id, t.event_id
         from unnest($2::bigint[], $3::bigint[]) with ordinality as t(department_id, event_id, position)",
        id,
        &departments,
        &events as &[Option<i64>],
    )
    .execute(&mut *conn)
    .await?;
    let members: Vec<i64> = links.iter().map(|(m, _)| *m).collect();
    let tokens: Vec<String> = links.iter().map(|(_, t)| t.clone()).collect();
    sqlx::query!(
        "insert into survey_link (survey_id, member_id, token, expires_on)
         select $1, t.member_id, t.token, $4 from unnest($2::bigint[], $3::text[]) as t(member_id, token)",
        id,
        &members,
        &tokens,
        survey.expires_on as _,
    )
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Closes an open survey unless it changed meanwhile; answers whether it did.
pub async fn close(conn: &mut PgConnection, id: i64, version: i32) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update survey set status = 'closed', version = version + 1
         where id = $1 and version = $2 and status = 'open'",
        id,
        version
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The active members a survey may go to, in name order.
pub async fn member_choices(conn: &mut PgConnection) -> Result<Vec<MemberChoice>, sqlx::Error> {
    sqlx::query_as!(
        MemberChoice,
        "select id, sector, special_committee, contact_department_id from member where active order by full_name, id"
    )
    .fetch_all(conn)
    .await
}

/// The items of a survey in order, named by their event or department.
pub async fn items(conn: &mut PgConnection, survey_id: i64) -> Result<Vec<ItemRow>, sqlx::Error> {
    sqlx::query_as!(
        ItemRow,
        r#"select i.id, i.department_id, coalesce(e.title, d.name) as "label!"
           from survey_item i join department d on d.id = i.department_id
           left join event e on e.id = i.event_id
           where i.survey_id = $1 order by i.position"#,
        survey_id
    )
    .fetch_all(conn)
    .await
}

/// Each item of a survey with the counts of its answers, in order.
pub async fn item_tallies(conn: &mut PgConnection, survey_id: i64) -> Result<Vec<ItemTally>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select i.id, i.department_id, coalesce(e.title, d.name) as "label!",
                  count(a.id) filter (where a.answer = 'satisfied') as "satisfied!",
                  count(a.id) filter (where a.answer = 'basically_satisfied') as "basically_satisfied!",
                  count(a.id) filter (where a.answer = 'dissatisfied') as "dissatisfied!",
                  count(a.id) filter (where a.answer = 'not_known') as "not_known!"
           from survey_item i join department d on d.id = i.department_id
           left join event e on e.id = i.event_id
           left join survey_answer a on a.survey_item_id = i.id
           where i.survey_id = $1
           group by i.id, d.name, e.title
           order by i.position"#,
        survey_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ItemTally {
            id: r.id,
            department_id: r.department_id,
            label: r.label,
            tally: tally(r.satisfied, r.basically_satisfied, r.dissatisfied, r.not_known),
        })
        .collect())
}

/// A survey's comments in text order (never in the order they came).
pub async fn comments(conn: &mut PgConnection, survey_id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!("select body from survey_comment where survey_id = $1 order by body", survey_id)
        .fetch_all(conn)
        .await
}

/// A survey's links, by member name.
pub async fn links(conn: &mut PgConnection, survey_id: i64) -> Result<Vec<LinkRow>, sqlx::Error> {
    sqlx::query_as!(
        LinkRow,
        r#"select m.full_name, m.sector, m.mobile, l.token, l.expires_on as "expires_on: NaiveDate"
         from survey_link l join member m on m.id = l.member_id
         where l.survey_id = $1 order by m.full_name, m.id"#,
        survey_id
    )
    .fetch_all(conn)
    .await
}

/// The link of a token and its survey.
pub async fn link(conn: &mut PgConnection, token: &str) -> Result<Option<LinkState>, sqlx::Error> {
    sqlx::query_as!(
        LinkState,
        r#"select l.id, l.survey_id, s.title as survey_title, s.status as "status: SurveyStatus",
                  l.expires_on as "expires_on: NaiveDate", l.used_on as "used_on: NaiveDate"
           from survey_link l join survey s on s.id = l.survey_id where l.token = $1"#,
        token
    )
    .fetch_optional(conn)
    .await
}

/// The link of a token, locked until the transaction ends, and its survey
/// (locked too, so that closing waits for an answer under way).
pub async fn link_for_update(conn: &mut PgConnection, token: &str) -> Result<Option<LinkState>, sqlx::Error> {
    sqlx::query_as!(
        LinkState,
        r#"select l.id, l.survey_id, s.title as survey_title, s.status as "status: SurveyStatus",
                  l.expires_on as "expires_on: NaiveDate", l.used_on as "used_on: NaiveDate"
           from survey_link l join survey s on s.id = l.survey_id where l.token = $1
           for update of l for share of s"#,
        token
    )
    .fetch_optional(conn)
    .await
}

/// Marks a link used on a day (never a time).
pub async fn mark_used(conn: &mut PgConnection, link_id: i64, day: NaiveDate) -> Result<(), sqlx::Error> {
    sqlx::query!("update survey_link set used_on = $2 where id = $1 and used_on is null", link_id, day as _)
        .execute(conn)
        .await?;
    Ok(())
}

/// Inserts one sheet's answers: random keys, nothing about who or when.
pub async fn insert_answers(conn: &mut PgConnection, answers: &[(i64, Answer)]) -> Result<(), sqlx::Error> {
    let items: Vec<i64> = answers.iter().map(|(i, _)| *i).collect();
    let codes: Vec<String> = answers.iter().map(|(_, a)| a.code().to_string()).collect();
    sqlx::query!(
        "insert into survey_answer (survey_item_id, answer)
         select t.item, t.code::satisfaction_answer from unnest($1::bigint[], $2::text[]) as t(item, code)",
        &items,
        &codes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Inserts one sheet's comment, as anonymous as its answers.
pub async fn insert_comment(conn: &mut PgConnection, survey_id: i64, body: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("insert into survey_comment (survey_id, body) values ($1, $2)", survey_id, body).execute(conn).await?;
    Ok(())
}

/// Counts one request of a client address to the public page and answers
/// the count of its window; a window that started at or before `cutoff` has
/// ended, and this request starts a new one at `now`.
pub async fn count_request(
    conn: &mut PgConnection,
    client: &str,
    now: DateTime<Utc>,
    cutoff: DateTime<Utc>,
) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into survey_throttle as t (client, window_start, hits) values ($1, $2, 1)
         on conflict (client) do update set
             hits = case when t.window_start <= $3 then 1 else t.hits + 1 end,
             window_start = case when t.window_start <= $3 then $2 else t.window_start end
         returning hits",
        client,
        now as _,
        cutoff as _,
    )
    .fetch_one(conn)
    .await
}

/// All answers of a year's surveys per department: a department's items in
/// every survey of the year, an event's counted for the department it was
/// counted for when the survey was created (its owner department then).
pub async fn department_tallies(conn: &mut PgConnection, year: i32) -> Result<Vec<(i64, Tally)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select i.department_id,
                  count(*) filter (where a.answer = 'satisfied') as "satisfied!",
                  count(*) filter (where a.answer = 'basically_satisfied') as "basically_satisfied!",
                  count(*) filter (where a.answer = 'dissatisfied') as "dissatisfied!",
                  count(*) filter (where a.answer = 'not_known') as "not_known!"
           from survey_answer a
           join survey_item i on i.id = a.survey_item_id
           join survey s on s.id = i.survey_id
           where s.year = $1
           group by i.department_id
           order by i.department_id"#,
        year
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.department_id, tally(r.satisfied, r.basically_satisfied, r.dissatisfied, r.not_known)))
        .collect())
}

/// A department's answers of a year, survey by survey (id, title, counts),
/// to trace its scorecard's figure back to the surveys.
pub async fn department_survey_tallies(
    conn: &mut PgConnection,
    department_id: i64,
    year: i32,
) -> Result<Vec<(i64, String, Tally)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select s.id, s.title,
                  count(a.id) filter (where a.answer = 'satisfied') as "satisfied!",
                  count(a.id) filter (where a.answer = 'basically_satisfied') as "basically_satisfied!",
                  count(a.id) filter (where a.answer = 'dissatisfied') as "dissatisfied!",
                  count(a.id) filter (where a.answer = 'not_known') as "not_known!"
           from survey s
           join survey_item i on i.survey_id = s.id
           left join survey_answer a on a.survey_item_id = i.id
           where s.year = $2 and i.department_id = $1
           group by s.id
           order by s.id"#,
        department_id,
        year
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.title, tally(r.satisfied, r.basically_satisfied, r.dissatisfied, r.not_known)))
        .collect())
}

/// An event a survey may ask about: its id, title and owner department.
#[derive(Debug, Clone)]
pub struct EventChoice {
    pub id: i64,
    pub title: String,
    pub department_id: i64,
    pub starts_on: NaiveDate,
}

/// The events a survey may ask about: those held (or held and closed) in
/// `year` or the year before, newest first.
pub async fn event_choices(conn: &mut PgConnection, year: i32) -> Result<Vec<EventChoice>, sqlx::Error> {
    sqlx::query_as!(
        EventChoice,
        r#"select id, title, department_id, starts_on as "starts_on: NaiveDate" from event
         where starts_on >= make_date($1 - 1, 1, 1) and starts_on <= make_date($1, 12, 31)
           and status in ('held', 'closed')
         order by starts_on desc, id desc"#,
        year
    )
    .fetch_all(conn)
    .await
}

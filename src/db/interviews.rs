//! Feedback interviews (绩效面谈, docs/DOMAIN.md §19.2). The interviewer's
//! private note is read by one query only, `for_interviewer`; what the person
//! sees comes from `for_person`, whose row has no such field.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::domain::assessment::DecidedGrade;
use crate::domain::feedback::InterviewRecord;
use crate::domain::identity::IdentityType;

/// A final result of a cycle and its interview, for the interviewer's list.
#[derive(Debug, Clone)]
pub struct InterviewLine {
    pub cycle_id: i64,
    pub person_id: i64,
    pub full_name: String,
    pub identity_type: IdentityType,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub grade: DecidedGrade,
    pub interview_id: Option<i64>,
    pub interviewer_name: Option<String>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub held_on: Option<NaiveDate>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// The results of `cycle_id` in `departments` (all when `None`) with their interviews.
pub async fn lines(
    conn: &mut PgConnection,
    cycle_id: i64,
    departments: Option<&[i64]>,
) -> Result<Vec<InterviewLine>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select r.cycle_id, r.person_id, p.full_name, p.identity_type as "identity_type: IdentityType",
                  r.department_id, d.name as "department_name?", r.grade,
                  i.id as "interview_id?", ip.full_name as "interviewer_name?",
                  i.scheduled_at as "scheduled_at?: DateTime<Utc>", i.held_on as "held_on?: NaiveDate",
                  i.confirmed_at as "confirmed_at?: DateTime<Utc>"
           from assessment_result r
           join person p on p.id = r.person_id
           left join department d on d.id = r.department_id
           left join feedback_interview i on i.cycle_id = r.cycle_id and i.person_id = r.person_id
           left join person ip on ip.id = i.interviewer_id
           where r.cycle_id = $1 and ($2::bigint[] is null or r.department_id = any($2))
           order by d.sort_order nulls last, d.name, p.full_name"#,
        cycle_id,
        departments as Option<&[i64]>,
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(InterviewLine {
                cycle_id: r.cycle_id,
                person_id: r.person_id,
                full_name: r.full_name,
                identity_type: r.identity_type,
                department_id: r.department_id,
                department_name: r.department_name,
                grade: serde_json::from_value(r.grade).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                interview_id: r.interview_id,
                interviewer_name: r.interviewer_name,
                scheduled_at: r.scheduled_at,
                held_on: r.held_on,
                confirmed_at: r.confirmed_at,
            })
        })
        .collect()
}

/// An interview as the person it is about sees it: no private note.
#[derive(Debug, Clone)]
pub struct InterviewForPerson {
    pub id: i64,
    pub cycle_id: i64,
    pub cycle_name: String,
    pub person_id: i64,
    pub interviewer_id: i64,
    pub interviewer_name: String,
    pub department_id: Option<i64>,
    pub scheduled_at: DateTime<Utc>,
    pub place: String,
    pub held_on: Option<NaiveDate>,
    pub strengths: String,
    pub gaps: String,
    pub goals: String,
    pub actions: String,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub person_comment: String,
    pub version: i32,
}

pub async fn for_person(conn: &mut PgConnection, id: i64) -> Result<Option<InterviewForPerson>, sqlx::Error> {
    Ok(select_for_person(conn, Some(id), None).await?.pop())
}

/// The interviews about one person, newest first, as they see them.
pub async fn of_person(conn: &mut PgConnection, person_id: i64) -> Result<Vec<InterviewForPerson>, sqlx::Error> {
    select_for_person(conn, None, Some(person_id)).await
}

async fn select_for_person(
    conn: &mut PgConnection,
    id: Option<i64>,
    person_id: Option<i64>,
) -> Result<Vec<InterviewForPerson>, sqlx::Error> {
    sqlx::query_as!(
        InterviewForPerson,
        r#"select i.id, i.cycle_id, c.name as cycle_name, i.person_id, i.interviewer_id,
                  ip.full_name as interviewer_name, r.department_id,
                  i.scheduled_at as "scheduled_at: DateTime<Utc>", i.place, i.held_on as "held_on: NaiveDate",
                  i.strengths, i.gaps, i.goals, i.actions,
                  i.confirmed_at as "confirmed_at: DateTime<Utc>", i.person_comment, i.version
           from feedback_interview i
           join cycle c on c.id = i.cycle_id
           join person ip on ip.id = i.interviewer_id
           join assessment_result r on r.cycle_id = i.cycle_id and r.person_id = i.person_id
           where ($1::bigint is null or i.id = $1) and ($2::bigint is null or i.person_id = $2)
           order by c.period_start desc"#,
        id,
        person_id,
    )
    .fetch_all(conn)
    .await
}

/// The interviewer's private note (docs/DOMAIN.md §19.2): only the interviewer's page calls this.
pub async fn private_note(
    conn: &mut PgConnection,
    id: i64,
    interviewer_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "select private_note from feedback_interview where id = $1 and interviewer_id = $2",
        id,
        interviewer_id,
    )
    .fetch_optional(conn)
    .await
}

/// Schedules the interview of a result, or moves one not yet held (by the
/// same or another interviewer). False when it was held already.
pub async fn schedule(
    conn: &mut PgConnection,
    cycle_id: i64,
    person_id: i64,
    interviewer_id: i64,
    at: DateTime<Utc>,
    place: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into feedback_interview (cycle_id, person_id, interviewer_id, scheduled_at, place)
         values ($1, $2, $3, $4, $5)
         on conflict (cycle_id, person_id) do update
           set interviewer_id = excluded.interviewer_id, scheduled_at = excluded.scheduled_at,
               place = excluded.place, version = feedback_interview.version + 1
           where feedback_interview.held_on is null
         returning id",
        cycle_id,
        person_id,
        interviewer_id,
        at as _,
        place,
    )
    .fetch_optional(conn)
    .await
}

/// Records the held interview (its interviewer only); false on a stale
/// version, or once the person confirmed it.
pub async fn record(
    conn: &mut PgConnection,
    id: i64,
    interviewer_id: i64,
    version: i32,
    record: &InterviewRecord,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update feedback_interview
         set held_on = $3, strengths = $4, gaps = $5, goals = $6, actions = $7, private_note = $8,
             version = version + 1
         where id = $1 and version = $2 and confirmed_at is null and interviewer_id = $9",
        id,
        version,
        record.held_on as _,
        record.strengths,
        record.gaps,
        record.goals,
        record.actions,
        record.private_note,
        interviewer_id,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The person confirms the record, with a comment; false when it is not
/// held, was confirmed already, or changed since they read it.
pub async fn confirm(
    conn: &mut PgConnection,
    id: i64,
    person_id: i64,
    version: i32,
    comment: &str,
    at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update feedback_interview set confirmed_at = $5, person_comment = $4, version = version + 1
         where id = $1 and person_id = $2 and version = $3 and held_on is not null and confirmed_at is null",
        id,
        person_id,
        version,
        comment,
        at as _,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An annual cycle whose results are final (publicity ended before `today`).
#[derive(Debug, Clone)]
pub struct FinalCycle {
    pub id: i64,
    pub name: String,
}

/// The annual cycles with final results, newest first.
pub async fn final_cycles(conn: &mut PgConnection, today: NaiveDate) -> Result<Vec<FinalCycle>, sqlx::Error> {
    sqlx::query_as!(
        FinalCycle,
        "select c.id, c.name from cycle c join assessment_decision d on d.cycle_id = c.id
         where c.kind = 'annual' and d.publicity_until < $1 order by c.period_start desc",
        today as _,
    )
    .fetch_all(conn)
    .await
}

/// The person's final result in a cycle: its department, for the policy; `None` when there is none.
pub async fn final_result_department(
    conn: &mut PgConnection,
    cycle_id: i64,
    person_id: i64,
    today: NaiveDate,
) -> Result<Option<Option<i64>>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select r.department_id from assessment_result r
           join assessment_decision d on d.cycle_id = r.cycle_id
           join cycle c on c.id = r.cycle_id and c.kind = 'annual'
           where r.cycle_id = $1 and r.person_id = $2 and d.publicity_until < $3"#,
        cycle_id,
        person_id,
        today as _,
    )
    .fetch_optional(conn)
    .await
}

/// The person's own interviews waiting for their confirmation, and the
/// interviews an interviewer scheduled and has not yet recorded.
pub async fn todo_counts(conn: &mut PgConnection, person_id: i64) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query!(
        r#"select count(*) filter (where person_id = $1 and held_on is not null and confirmed_at is null) as "to_confirm!",
                  count(*) filter (where interviewer_id = $1 and held_on is null) as "to_hold!"
           from feedback_interview where person_id = $1 or interviewer_id = $1"#,
        person_id,
    )
    .fetch_one(conn)
    .await?;
    Ok((row.to_confirm, row.to_hold))
}

//! What the official A4 forms print (docs/DOMAIN.md §20.5): the registration
//! forms of a cycle's participants (one query for one person or a whole
//! department), the corrections of their results, the departments a cycle's
//! forms are printed for, and the parties of a target-responsibility letter.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::PgConnection;
use sqlx::types::Json;

use crate::domain::assessment::DecidedGrade;
use crate::domain::assessment::summary::{SummaryKind, SummaryStatus};
use crate::domain::identity::IdentityType;
use crate::domain::plan::ReportFrequency;

fn decode_grade(value: Option<serde_json::Value>) -> Result<Option<DecidedGrade>, sqlx::Error> {
    value.map(|v| serde_json::from_value(v).map_err(|e| sqlx::Error::Decode(Box::new(e)))).transpose()
}

/// A post the person holds as its A, with its duties (从事或分管工作).
#[derive(Debug, Clone, Deserialize)]
pub struct PostDuties {
    pub title: String,
    pub duties: Vec<String>,
}

/// One participant's registration form: what the office holds of them in
/// the cycle.
#[derive(Debug, Clone)]
pub struct FormRow {
    pub person_id: i64,
    pub full_name: String,
    pub identity_type: IdentityType,
    pub rank: String,
    /// The day the current post or rank was taken (任现职时间), if entered.
    pub rank_since: Option<NaiveDate>,
    /// The department the person takes part for.
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub heads_department: bool,
    /// The posts the person holds as A today, with their duties.
    pub posts: Vec<PostDuties>,
    pub summary_kind: Option<SummaryKind>,
    pub summary_status: Option<SummaryStatus>,
    pub summary_body: String,
    pub summary_submitted_at: Option<DateTime<Utc>>,
    /// Who decided the summary and when (accepted or returned).
    pub summary_decided_by: Option<String>,
    pub summary_decided_at: Option<DateTime<Utc>>,
    /// The frozen result in force, once the committee decided.
    pub score: Option<Decimal>,
    pub grade: Option<DecidedGrade>,
    pub result_version: Option<i32>,
    /// The acknowledgement of the written notice of that version, and the
    /// person's opinion (本人意见) given with it.
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub opinion: String,
}

/// The forms of a cycle's participants: one person's (`person_id`), or
/// those taking part for `department_id`, by name.
pub async fn registration_forms(
    conn: &mut PgConnection,
    cycle_id: i64,
    person_id: Option<i64>,
    department_id: Option<i64>,
) -> Result<Vec<FormRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select cp.person_id as "person_id!", p.full_name, p.identity_type as "identity_type: IdentityType",
                  p.rank, p.rank_since as "rank_since: NaiveDate",
                  cp.department_id, d.name as "department_name?",
                  exists (select 1 from role_grant g where g.person_id = cp.person_id and g.role = 'department_head'
                          and g.department_id = cp.department_id) as "heads_department!",
                  coalesce((select jsonb_agg(jsonb_build_object('title', po.title, 'duties', po.duties)
                                             order by po.sort_order, po.id)
                            from post po where po.a_holder_id = cp.person_id and po.active), '[]'::jsonb)
                    as "posts!: Json<Vec<PostDuties>>",
                  s.kind as "summary_kind?: SummaryKind", s.status as "summary_status?: SummaryStatus",
                  s.body as "summary_body?", s.submitted_at as "summary_submitted_at?: DateTime<Utc>",
                  sd.full_name as "summary_decided_by?", s.decided_at as "summary_decided_at?: DateTime<Utc>",
                  r.score as "score?", r.grade as "grade?", r.version as "result_version?",
                  n.acknowledged_at as "acknowledged_at?: DateTime<Utc>", n.opinion as "opinion?"
           from cycle_participant cp
           join person p on p.id = cp.person_id
           left join department d on d.id = cp.department_id
           left join self_summary s on s.cycle_id = cp.cycle_id and s.person_id = cp.person_id
           left join person sd on sd.id = s.decided_by
           left join assessment_result r on r.cycle_id = cp.cycle_id and r.person_id = cp.person_id
           left join result_notice n
             on n.cycle_id = r.cycle_id and n.person_id = r.person_id and n.result_version = r.version
           where cp.cycle_id = $1 and ($2::bigint is null or cp.person_id = $2)
             and ($3::bigint is null or cp.department_id = $3)
           order by p.full_name, cp.person_id"#,
        cycle_id,
        person_id,
        department_id
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(FormRow {
                person_id: r.person_id,
                full_name: r.full_name,
                identity_type: r.identity_type,
                rank: r.rank,
                rank_since: r.rank_since,
                department_id: r.department_id,
                department_name: r.department_name,
                heads_department: r.heads_department,
                posts: r.posts.0,
                summary_kind: r.summary_kind,
                summary_status: r.summary_status,
                summary_body: r.summary_body.unwrap_or_default(),
                summary_submitted_at: r.summary_submitted_at,
                summary_decided_by: r.summary_decided_by,
                summary_decided_at: r.summary_decided_at,
                score: r.score,
                grade: decode_grade(r.grade)?,
                result_version: r.result_version,
                acknowledged_at: r.acknowledged_at,
                opinion: r.opinion.unwrap_or_default(),
            })
        })
        .collect()
}

/// A correction of a frozen result (version 2 on, docs/DOMAIN.md §19.3).
#[derive(Debug, Clone)]
pub struct CorrectionRow {
    pub person_id: i64,
    pub version: i32,
    pub score: Option<Decimal>,
    pub grade: DecidedGrade,
    /// objection, review or appeal.
    pub source: String,
    pub reason: String,
    pub changed_at: DateTime<Utc>,
}

/// The corrections of the results of `people` in a cycle, by person and version.
pub async fn corrections(
    conn: &mut PgConnection,
    cycle_id: i64,
    people: &[i64],
) -> Result<Vec<CorrectionRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select v.person_id, v.version, v.score, v.grade, v.source, v.reason,
                  v.changed_at as "changed_at: DateTime<Utc>"
           from assessment_result_version v
           where v.cycle_id = $1 and v.person_id = any($2) and v.version > 1
           order by v.person_id, v.version"#,
        cycle_id,
        people
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(CorrectionRow {
                person_id: r.person_id,
                version: r.version,
                score: r.score,
                grade: decode_grade(Some(r.grade))?.ok_or(sqlx::Error::RowNotFound)?,
                source: r.source,
                reason: r.reason,
                changed_at: r.changed_at,
            })
        })
        .collect()
}

/// A department whose participants' forms may be printed in one batch.
#[derive(Debug, Clone)]
pub struct FormDepartment {
    pub id: i64,
    pub name: String,
    pub participants: i64,
}

/// The departments people take part for in a cycle (of `departments`, or
/// all), in the office's order, with how many take part for each.
pub async fn form_departments(
    conn: &mut PgConnection,
    cycle_id: i64,
    departments: Option<&[i64]>,
) -> Result<Vec<FormDepartment>, sqlx::Error> {
    sqlx::query_as!(
        FormDepartment,
        r#"select d.id, d.name, count(*) as "participants!"
           from cycle_participant cp join department d on d.id = cp.department_id
           where cp.cycle_id = $1 and ($2::bigint[] is null or cp.department_id = any($2))
           group by d.id, d.name, d.sort_order
           order by d.sort_order, d.name"#,
        cycle_id,
        departments as Option<&[i64]>
    )
    .fetch_all(conn)
    .await
}

/// What a target-responsibility letter names besides the set: the cycle's
/// reporting frequency, the owner's rank, and the department's heads and
/// supervising leaders (active people), by name.
#[derive(Debug, Clone)]
pub struct LetterFacts {
    pub report_frequency: ReportFrequency,
    pub owner_rank: String,
    pub heads: Vec<String>,
    pub leaders: Vec<String>,
}

pub async fn letter_facts(conn: &mut PgConnection, set_id: i64) -> Result<Option<LetterFacts>, sqlx::Error> {
    sqlx::query_as!(
        LetterFacts,
        r#"select c.report_frequency as "report_frequency: ReportFrequency",
                  coalesce(p.rank, '') as "owner_rank!",
                  array(select hp.full_name from role_grant g join person hp on hp.id = g.person_id
                        where g.role = 'department_head' and g.department_id = s.department_id and hp.active
                        order by hp.full_name) as "heads!",
                  array(select lp.full_name from role_grant g join person lp on lp.id = g.person_id
                        where g.role = 'supervising_leader' and g.department_id = s.department_id and lp.active
                        order by lp.full_name) as "leaders!"
           from target_set s
           join cycle c on c.id = s.cycle_id
           left join person p on p.id = s.person_id
           where s.id = $1"#,
        set_id
    )
    .fetch_optional(conn)
    .await
}

//! The excellence self-assessment (docs/DOMAIN.md §21): each year's standard,
//! the year's assessment with its assessors, scores, consensus, findings,
//! measured figures and benchmarks, and the scores of every year for the
//! year-on-year comparison.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::domain::excellence::{FindingKind, ItemKind, Stage};
use crate::domain::rectification::RectificationStatus;
use crate::domain::roles::Role;

/// An item of a year's standard, with its category.
#[derive(Debug, Clone)]
pub struct ItemRow {
    pub id: i64,
    pub category_id: i64,
    pub category_code: String,
    pub category_name: String,
    pub category_name_en: String,
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub points: i32,
    pub kind: ItemKind,
    pub questions: String,
    pub questions_en: String,
    pub measures: Vec<String>,
    pub version: i32,
}

/// Whether `year` has a standard of its own.
pub async fn standard_exists(conn: &mut PgConnection, year: i32) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(r#"select exists (select 1 from excellence_category where year = $1) as "e!""#, year)
        .fetch_one(conn)
        .await
}

/// The latest year before `year` with a standard.
pub async fn standard_year_before(conn: &mut PgConnection, year: i32) -> Result<Option<i32>, sqlx::Error> {
    sqlx::query_scalar!("select max(year) from excellence_category where year < $1", year).fetch_one(conn).await
}

/// Copies `from`'s standard to `to`, categories and items, in two statements.
pub async fn copy_standard(conn: &mut PgConnection, from: i32, to: i32) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into excellence_category (year, code, name, name_en, sort_order)
         select $2, code, name, name_en, sort_order from excellence_category where year = $1",
        from,
        to
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into excellence_item (category_id, code, name, name_en, points, kind, questions, questions_en, measures, sort_order)
         select nc.id, i.code, i.name, i.name_en, i.points, i.kind, i.questions, i.questions_en, i.measures, i.sort_order
         from excellence_item i
         join excellence_category oc on oc.id = i.category_id and oc.year = $1
         join excellence_category nc on nc.year = $2 and nc.code = oc.code",
        from,
        to
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds a category to a year's standard; its id.
pub async fn insert_category(
    conn: &mut PgConnection,
    year: i32,
    code: &str,
    name: &str,
    name_en: &str,
    sort_order: i32,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into excellence_category (year, code, name, name_en, sort_order) values ($1, $2, $3, $4, $5) returning id",
        year,
        code,
        name,
        name_en,
        sort_order
    )
    .fetch_one(conn)
    .await
}

/// What an item holds, as written or edited.
#[derive(Debug, Clone)]
pub struct ItemData<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub name_en: &'a str,
    pub points: i32,
    pub kind: ItemKind,
    pub questions: &'a str,
    pub questions_en: &'a str,
    pub measures: &'a [String],
}

pub async fn insert_item(
    conn: &mut PgConnection,
    category_id: i64,
    item: &ItemData<'_>,
    sort_order: i32,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into excellence_item (category_id, code, name, name_en, points, kind, questions, questions_en, measures, sort_order)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
        category_id,
        item.code,
        item.name,
        item.name_en,
        item.points,
        item.kind as ItemKind,
        item.questions,
        item.questions_en,
        item.measures,
        sort_order
    )
    .fetch_one(conn)
    .await
}

/// Every item of a year's standard, in the standard's order.
pub async fn items(conn: &mut PgConnection, year: i32) -> Result<Vec<ItemRow>, sqlx::Error> {
    sqlx::query_as!(
        ItemRow,
        r#"select i.id, c.id as category_id, c.code as category_code, c.name as category_name,
                  c.name_en as category_name_en, i.code, i.name, i.name_en, i.points,
                  i.kind as "kind: ItemKind", i.questions, i.questions_en, i.measures, i.version
           from excellence_item i join excellence_category c on c.id = i.category_id
           where c.year = $1
           order by c.sort_order, c.code, i.sort_order, i.code"#,
        year
    )
    .fetch_all(conn)
    .await
}

/// One item of `year`'s standard; `None` when the id is another year's or no item.
pub async fn item(conn: &mut PgConnection, year: i32, id: i64) -> Result<Option<ItemRow>, sqlx::Error> {
    sqlx::query_as!(
        ItemRow,
        r#"select i.id, c.id as category_id, c.code as category_code, c.name as category_name,
                  c.name_en as category_name_en, i.code, i.name, i.name_en, i.points,
                  i.kind as "kind: ItemKind", i.questions, i.questions_en, i.measures, i.version
           from excellence_item i join excellence_category c on c.id = i.category_id
           where c.year = $1 and i.id = $2"#,
        year,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Edits an item's words and points at `version`; false when it moved.
pub async fn update_item(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    item: &ItemData<'_>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update excellence_item set name = $3, name_en = $4, points = $5, questions = $6, questions_en = $7,
                version = version + 1
         where id = $1 and version = $2",
        id,
        version,
        item.name,
        item.name_en,
        item.points,
        item.questions,
        item.questions_en
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A year's self-assessment.
#[derive(Debug, Clone)]
pub struct AssessmentRow {
    pub id: i64,
    pub year: i32,
    pub stage: Stage,
    pub opened_by_name: String,
    pub opened_on: NaiveDate,
    pub completed_by_name: Option<String>,
    pub completed_on: Option<NaiveDate>,
    pub benchmark_name: String,
    pub figures_on: Option<NaiveDate>,
    pub version: i32,
    /// The agreed total so far, and the standard's points.
    pub score: Decimal,
    pub points: i64,
    pub agreed: i64,
    pub items: i64,
    pub assessors: i64,
}

/// Every year's self-assessment, the newest first, with its agreed total.
pub async fn assessments(conn: &mut PgConnection) -> Result<Vec<AssessmentRow>, sqlx::Error> {
    assessments_of(conn, None).await
}

/// One year's self-assessment.
pub async fn assessment(conn: &mut PgConnection, year: i32) -> Result<Option<AssessmentRow>, sqlx::Error> {
    Ok(assessments_of(conn, Some(year)).await?.pop())
}

async fn assessments_of(conn: &mut PgConnection, year: Option<i32>) -> Result<Vec<AssessmentRow>, sqlx::Error> {
    sqlx::query_as!(
        AssessmentRow,
        r#"select a.id, a.year, a.stage as "stage: Stage", o.full_name as opened_by_name,
                  a.opened_on as "opened_on: NaiveDate", cb.full_name as "completed_by_name?",
                  a.completed_on as "completed_on: NaiveDate", a.benchmark_name,
                  a.figures_on as "figures_on: NaiveDate", a.version,
                  coalesce((select sum(i.points * x.percent / 100.0) from excellence_consensus x
                            join excellence_item i on i.id = x.item_id where x.assessment_id = a.id), 0)::numeric(8, 2)
                    as "score!",
                  (select coalesce(sum(i.points), 0) from excellence_item i
                   join excellence_category c on c.id = i.category_id where c.year = a.year) as "points!",
                  (select count(*) from excellence_consensus x where x.assessment_id = a.id) as "agreed!",
                  (select count(*) from excellence_item i
                   join excellence_category c on c.id = i.category_id where c.year = a.year) as "items!",
                  (select count(*) from excellence_assessor s where s.assessment_id = a.id) as "assessors!"
           from excellence_assessment a
           join person o on o.id = a.opened_by
           left join person cb on cb.id = a.completed_by
           where $1::integer is null or a.year = $1
           order by a.year desc"#,
        year
    )
    .fetch_all(conn)
    .await
}

/// Locks a year's self-assessment; its id, stage and version.
pub async fn lock(conn: &mut PgConnection, year: i32) -> Result<Option<(i64, Stage, i32)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select id, stage as "stage: Stage", version from excellence_assessment where year = $1 for update"#,
        year
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.id, r.stage, r.version)))
}

/// Opens a year's self-assessment; `None` when the year has one already.
pub async fn create(
    conn: &mut PgConnection,
    year: i32,
    opened_by: i64,
    today: NaiveDate,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into excellence_assessment (year, opened_by, opened_on) values ($1, $2, $3)
         on conflict (year) do nothing returning id",
        year,
        opened_by,
        today as _
    )
    .fetch_optional(conn)
    .await
}

/// Moves a self-assessment to `stage` (with who completed it and when).
pub async fn set_stage(
    conn: &mut PgConnection,
    id: i64,
    stage: Stage,
    completed: Option<(i64, NaiveDate)>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update excellence_assessment set stage = $2, completed_by = $3, completed_on = $4, version = version + 1
         where id = $1",
        id,
        stage as Stage,
        completed.map(|c| c.0),
        completed.map(|c| c.1) as _
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A person who scores, with how many items they have scored.
#[derive(Debug, Clone)]
pub struct AssessorRow {
    pub person_id: i64,
    pub full_name: String,
    pub department_name: Option<String>,
    pub scored: i64,
    /// The item ids they have scored (not the scores: those stay theirs until consensus).
    pub scored_items: Vec<i64>,
}

pub async fn assessors(conn: &mut PgConnection, assessment_id: i64) -> Result<Vec<AssessorRow>, sqlx::Error> {
    sqlx::query_as!(
        AssessorRow,
        r#"select p.id as person_id, p.full_name, d.name as "department_name?",
                  (select count(*) from excellence_score s where s.assessment_id = a.assessment_id
                   and s.assessor_id = p.id) as "scored!",
                  array(select s.item_id from excellence_score s where s.assessment_id = a.assessment_id
                        and s.assessor_id = p.id order by s.item_id) as "scored_items!"
           from excellence_assessor a
           join person p on p.id = a.person_id
           left join department d on d.id = p.department_id
           where a.assessment_id = $1
           order by p.full_name, p.id"#,
        assessment_id
    )
    .fetch_all(conn)
    .await
}

/// Adds the active holders of `roles` as assessors; how many were added.
pub async fn add_role_assessors(
    conn: &mut PgConnection,
    assessment_id: i64,
    roles: &[Role],
    added_by: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "insert into excellence_assessor (assessment_id, person_id, added_by)
         select distinct $1::bigint, p.id, $3::bigint from person p join role_grant g on g.person_id = p.id
         where p.active and g.role = any($2)
         on conflict do nothing",
        assessment_id,
        roles as &[Role],
        added_by
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Adds one assessor; false when they are one already.
pub async fn add_assessor(
    conn: &mut PgConnection,
    assessment_id: i64,
    person_id: i64,
    added_by: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "insert into excellence_assessor (assessment_id, person_id, added_by) values ($1, $2, $3) on conflict do nothing",
        assessment_id,
        person_id,
        added_by
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether a person scores a year's self-assessment.
pub async fn is_assessor(conn: &mut PgConnection, assessment_id: i64, person_id: i64) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from excellence_assessor where assessment_id = $1 and person_id = $2) as "e!""#,
        assessment_id,
        person_id
    )
    .fetch_one(conn)
    .await
}

/// A person who may be invited: an active department head not yet an assessor.
#[derive(Debug, Clone)]
pub struct CandidateRow {
    pub person_id: i64,
    pub full_name: String,
    pub department_name: Option<String>,
}

pub async fn candidates(conn: &mut PgConnection, assessment_id: i64) -> Result<Vec<CandidateRow>, sqlx::Error> {
    sqlx::query_as!(
        CandidateRow,
        r#"select p.id as person_id, p.full_name, d.name as "department_name?"
           from person p left join department d on d.id = p.department_id
           where p.active
             and exists (select 1 from role_grant g where g.person_id = p.id and g.role = 'department_head')
             and not exists (select 1 from excellence_assessor a where a.assessment_id = $1 and a.person_id = p.id)
           order by d.sort_order nulls last, p.full_name, p.id"#,
        assessment_id
    )
    .fetch_all(conn)
    .await
}

/// An assessor's score of an item.
#[derive(Debug, Clone)]
pub struct ScoreRow {
    pub item_id: i64,
    pub assessor_id: i64,
    pub assessor_name: String,
    pub band: i16,
    pub percent: i16,
    pub note: String,
    pub version: i32,
}

/// The scores of a self-assessment: one assessor's (`Some`) or everyone's.
pub async fn scores(
    conn: &mut PgConnection,
    assessment_id: i64,
    assessor: Option<i64>,
) -> Result<Vec<ScoreRow>, sqlx::Error> {
    sqlx::query_as!(
        ScoreRow,
        r#"select s.item_id, s.assessor_id, p.full_name as assessor_name, s.band, s.percent, s.note, s.version
           from excellence_score s join person p on p.id = s.assessor_id
           where s.assessment_id = $1 and ($2::bigint is null or s.assessor_id = $2)
           order by s.item_id, p.full_name, s.assessor_id"#,
        assessment_id,
        assessor
    )
    .fetch_all(conn)
    .await
}

/// A score as written: a new one (`version` `None`) or a change of the one at
/// `version`; false when it was written or changed meanwhile.
pub struct ScoreData<'a> {
    pub band: i16,
    pub percent: i16,
    pub note: &'a str,
    pub version: Option<i32>,
}

pub async fn save_score(
    conn: &mut PgConnection,
    assessment_id: i64,
    item_id: i64,
    assessor_id: i64,
    score: &ScoreData<'_>,
) -> Result<bool, sqlx::Error> {
    let done = match score.version {
        None => {
            sqlx::query!(
                "insert into excellence_score (assessment_id, item_id, assessor_id, band, percent, note)
                 values ($1, $2, $3, $4, $5, $6) on conflict do nothing",
                assessment_id,
                item_id,
                assessor_id,
                score.band,
                score.percent,
                score.note
            )
            .execute(conn)
            .await?
        }
        Some(version) => {
            sqlx::query!(
            "update excellence_score set band = $4, percent = $5, note = $6, scored_at = now(), version = version + 1
                 where assessment_id = $1 and item_id = $2 and assessor_id = $3 and version = $7",
            assessment_id,
            item_id,
            assessor_id,
            score.band,
            score.percent,
            score.note,
            version
        )
            .execute(conn)
            .await?
        }
    };
    Ok(done.rows_affected() == 1)
}

/// An item's agreed score.
#[derive(Debug, Clone)]
pub struct ConsensusRow {
    pub item_id: i64,
    pub band: i16,
    pub percent: i16,
    pub reason: String,
    pub decided_by_name: String,
    pub version: i32,
}

pub async fn consensus(conn: &mut PgConnection, assessment_id: i64) -> Result<Vec<ConsensusRow>, sqlx::Error> {
    sqlx::query_as!(
        ConsensusRow,
        r#"select x.item_id, x.band, x.percent, x.reason, p.full_name as decided_by_name, x.version
           from excellence_consensus x join person p on p.id = x.decided_by
           where x.assessment_id = $1 order by x.item_id"#,
        assessment_id
    )
    .fetch_all(conn)
    .await
}

/// Records an item's agreed score, new or at `version`; false when it moved.
#[allow(clippy::too_many_arguments)] // the row's columns, written in one statement
pub async fn save_consensus(
    conn: &mut PgConnection,
    assessment_id: i64,
    item_id: i64,
    decided_by: i64,
    band: i16,
    percent: i16,
    reason: &str,
    version: Option<i32>,
) -> Result<bool, sqlx::Error> {
    let done = match version {
        None => {
            sqlx::query!(
                "insert into excellence_consensus (assessment_id, item_id, band, percent, reason, decided_by)
                 values ($1, $2, $3, $4, $5, $6) on conflict do nothing",
                assessment_id,
                item_id,
                band,
                percent,
                reason,
                decided_by
            )
            .execute(conn)
            .await?
        }
        Some(version) => {
            sqlx::query!(
                "update excellence_consensus set band = $3, percent = $4, reason = $5, decided_by = $6,
                        decided_at = now(), version = version + 1
                 where assessment_id = $1 and item_id = $2 and version = $7",
                assessment_id,
                item_id,
                band,
                percent,
                reason,
                decided_by,
                version
            )
            .execute(conn)
            .await?
        }
    };
    Ok(done.rows_affected() == 1)
}

/// A strength or improvement, with what became of it.
#[derive(Debug, Clone)]
pub struct FindingRow {
    pub id: i64,
    pub assessment_id: i64,
    pub year: i32,
    pub item_id: i64,
    pub item_code: String,
    pub item_name: String,
    pub item_name_en: String,
    pub kind: FindingKind,
    pub body: String,
    pub evidence: String,
    pub written_by: i64,
    pub written_by_name: String,
    pub rectification_id: Option<i64>,
    pub rectification_status: Option<RectificationStatus>,
    pub rectification_due: Option<NaiveDate>,
    pub rectification_department: Option<String>,
}

/// The findings of a self-assessment, item by item.
pub async fn findings(conn: &mut PgConnection, assessment_id: i64) -> Result<Vec<FindingRow>, sqlx::Error> {
    findings_where(conn, assessment_id, None).await
}

/// One finding.
pub async fn finding(conn: &mut PgConnection, id: i64) -> Result<Option<FindingRow>, sqlx::Error> {
    Ok(findings_where(conn, 0, Some(id)).await?.pop())
}

async fn findings_where(
    conn: &mut PgConnection,
    assessment_id: i64,
    id: Option<i64>,
) -> Result<Vec<FindingRow>, sqlx::Error> {
    sqlx::query_as!(
        FindingRow,
        r#"select f.id, f.assessment_id, a.year, f.item_id, i.code as item_code, i.name as item_name, i.name_en as item_name_en,
                  f.kind as "kind: FindingKind", f.body, f.evidence, f.written_by, w.full_name as written_by_name,
                  f.rectification_id, r.status as "rectification_status?: RectificationStatus",
                  r.due_on as "rectification_due?: NaiveDate", d.name as "rectification_department?"
           from excellence_finding f
           join excellence_assessment a on a.id = f.assessment_id
           join excellence_item i on i.id = f.item_id
           join excellence_category c on c.id = i.category_id
           join person w on w.id = f.written_by
           left join rectification_item r on r.id = f.rectification_id
           left join department d on d.id = r.department_id
           where case when $2::bigint is null then f.assessment_id = $1 else f.id = $2 end
           order by c.sort_order, i.sort_order, f.kind, f.id"#,
        assessment_id,
        id
    )
    .fetch_all(conn)
    .await
}

pub async fn add_finding(
    conn: &mut PgConnection,
    assessment_id: i64,
    item_id: i64,
    kind: FindingKind,
    body: &str,
    evidence: &str,
    written_by: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into excellence_finding (assessment_id, item_id, kind, body, evidence, written_by)
         values ($1, $2, $3, $4, $5, $6) returning id",
        assessment_id,
        item_id,
        kind as FindingKind,
        body,
        evidence,
        written_by
    )
    .fetch_one(conn)
    .await
}

/// Locks a finding; whether it is an improvement not yet rectified.
pub async fn lock_finding(conn: &mut PgConnection, id: i64) -> Result<Option<bool>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select (kind = 'improvement' and rectification_id is null) as "open!"
           from excellence_finding where id = $1 for update"#,
        id
    )
    .fetch_optional(conn)
    .await
}

pub async fn set_finding_rectification(conn: &mut PgConnection, id: i64, item: i64) -> Result<(), sqlx::Error> {
    sqlx::query!("update excellence_finding set rectification_id = $2 where id = $1", id, item).execute(conn).await?;
    Ok(())
}

/// A measured figure as stored.
#[derive(Debug, Clone)]
pub struct FigureRow {
    pub measure: String,
    pub year: i32,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub part: Option<i64>,
    pub whole: Option<i64>,
    pub value: Option<Decimal>,
    pub source: String,
}

pub async fn figures(conn: &mut PgConnection, assessment_id: i64) -> Result<Vec<FigureRow>, sqlx::Error> {
    sqlx::query_as!(
        FigureRow,
        r#"select f.measure, f.year, f.department_id, d.name as "department_name?", f.part, f.whole, f.value, f.source
           from excellence_figure f left join department d on d.id = f.department_id
           where f.assessment_id = $1
           order by f.measure, f.year, d.sort_order nulls first, d.name"#,
        assessment_id
    )
    .fetch_all(conn)
    .await
}

/// Replaces a self-assessment's figures with `rows`, in two statements, and
/// stamps the office day they were taken.
pub async fn replace_figures(
    conn: &mut PgConnection,
    assessment_id: i64,
    rows: &[FigureRow],
    today: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from excellence_figure where assessment_id = $1", assessment_id).execute(&mut *conn).await?;
    let measures: Vec<String> = rows.iter().map(|r| r.measure.clone()).collect();
    let years: Vec<i32> = rows.iter().map(|r| r.year).collect();
    let departments: Vec<Option<i64>> = rows.iter().map(|r| r.department_id).collect();
    let parts: Vec<Option<i64>> = rows.iter().map(|r| r.part).collect();
    let wholes: Vec<Option<i64>> = rows.iter().map(|r| r.whole).collect();
    let values: Vec<Option<Decimal>> = rows.iter().map(|r| r.value).collect();
    let sources: Vec<String> = rows.iter().map(|r| r.source.clone()).collect();
    sqlx::query!(
        "insert into excellence_figure (assessment_id, measure, year, department_id, part, whole, value, source)
         select $1, * from unnest($2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::bigint[], $7::numeric[], $8::text[])",
        assessment_id,
        &measures,
        &years,
        &departments as &[Option<i64>],
        &parts as &[Option<i64>],
        &wholes as &[Option<i64>],
        &values as &[Option<Decimal>],
        &sources
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("update excellence_assessment set figures_on = $2 where id = $1", assessment_id, today as _)
        .execute(conn)
        .await?;
    Ok(())
}

/// Supervision items falling due in `year`, per department: those closed by
/// their due date, and those decided (closed, or open past the due date on `today`).
#[derive(Debug, Clone)]
pub struct SupervisionTimeliness {
    pub department_id: i64,
    pub on_time: i64,
    pub decided: i64,
}

pub async fn supervision_timeliness(
    conn: &mut PgConnection,
    year: i32,
    today: NaiveDate,
) -> Result<Vec<SupervisionTimeliness>, sqlx::Error> {
    sqlx::query_as!(
        SupervisionTimeliness,
        r#"select i.department_id,
                  count(*) filter (where i.closed_at is not null
                                     and (i.closed_at at time zone 'Asia/Shanghai')::date <= i.due_date) as "on_time!",
                  count(*) filter (where i.closed_at is not null or i.due_date < $2) as "decided!"
           from supervision_item i
           where i.due_date between make_date($1, 1, 1) and make_date($1, 12, 31)
           group by i.department_id"#,
        year,
        today as _
    )
    .fetch_all(conn)
    .await
}

/// The annual cycles up to `year`: (year, cycle id), oldest first.
pub async fn annual_cycles_until(conn: &mut PgConnection, year: i32) -> Result<Vec<(i32, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select distinct on (extract(year from period_start)) extract(year from period_start)::integer as "year!", id
           from cycle where kind = 'annual' and period_start < make_date($1 + 1, 1, 1)
           order by extract(year from period_start), period_start, id"#,
        year
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.year, r.id)).collect())
}

pub async fn benchmarks(conn: &mut PgConnection, assessment_id: i64) -> Result<Vec<(String, Decimal)>, sqlx::Error> {
    let rows = sqlx::query!(
        "select measure, value from excellence_benchmark where assessment_id = $1 order by measure",
        assessment_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.measure, r.value)).collect())
}

/// Replaces the benchmark's name and values.
pub async fn replace_benchmarks(
    conn: &mut PgConnection,
    assessment_id: i64,
    name: &str,
    values: &[(String, Decimal)],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update excellence_assessment set benchmark_name = $2, version = version + 1 where id = $1",
        assessment_id,
        name
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("delete from excellence_benchmark where assessment_id = $1", assessment_id)
        .execute(&mut *conn)
        .await?;
    let measures: Vec<String> = values.iter().map(|v| v.0.clone()).collect();
    let numbers: Vec<Decimal> = values.iter().map(|v| v.1).collect();
    sqlx::query!(
        "insert into excellence_benchmark (assessment_id, measure, value)
         select $1, * from unnest($2::text[], $3::numeric[])",
        assessment_id,
        &measures,
        &numbers
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Each year's agreed score per category: (year, category code, points, score).
#[derive(Debug, Clone)]
pub struct YearCategoryScore {
    pub year: i32,
    pub category_code: String,
    pub points: i64,
    pub score: Decimal,
}

pub async fn scores_by_year(conn: &mut PgConnection) -> Result<Vec<YearCategoryScore>, sqlx::Error> {
    sqlx::query_as!(
        YearCategoryScore,
        r#"select a.year, c.code as category_code, sum(i.points)::bigint as "points!",
                  coalesce(sum(i.points * x.percent / 100.0), 0)::numeric(8, 2) as "score!"
           from excellence_assessment a
           join excellence_category c on c.year = a.year
           join excellence_item i on i.category_id = c.id
           left join excellence_consensus x on x.assessment_id = a.id and x.item_id = i.id
           group by a.year, c.code, c.sort_order
           order by a.year, c.sort_order, c.code"#
    )
    .fetch_all(conn)
    .await
}

/// The years a person scores.
pub async fn years_of_assessor(conn: &mut PgConnection, person_id: i64) -> Result<Vec<i32>, sqlx::Error> {
    sqlx::query_scalar!(
        "select a.year from excellence_assessment a join excellence_assessor s on s.assessment_id = a.id
         where s.person_id = $1 order by a.year desc",
        person_id
    )
    .fetch_all(conn)
    .await
}

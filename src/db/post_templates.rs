//! Post target templates (岗位目标模板): the targets a post usually carries,
//! used to pre-fill a holder's plan. Configuration rows nothing refers to.

use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::domain::plan::{Direction, TargetCategory};

#[derive(Debug, Clone)]
pub struct TemplateRow {
    pub id: i64,
    pub post_id: i64,
    pub title: String,
    pub category: TargetCategory,
    pub measure: String,
    pub unit: String,
    pub target_value: Option<Decimal>,
    pub direction: Direction,
    pub weight: Decimal,
    pub quality_requirement: String,
    pub assessment_method: String,
    pub evidence_required: String,
    pub sort_order: i32,
    pub version: i32,
}

/// What a template form saves.
#[derive(Debug, Clone)]
pub struct TemplateData {
    pub title: String,
    pub category: TargetCategory,
    pub measure: String,
    pub unit: String,
    pub target_value: Option<Decimal>,
    pub direction: Direction,
    pub weight: Decimal,
    pub quality_requirement: String,
    pub assessment_method: String,
    pub evidence_required: String,
    pub sort_order: i32,
}

/// The templates of a post in their order: what a holder's targets are pre-filled with.
pub async fn for_post(conn: &mut PgConnection, post_id: i64) -> Result<Vec<TemplateRow>, sqlx::Error> {
    sqlx::query_as!(
        TemplateRow,
        r#"select id, post_id, title, category as "category: TargetCategory", measure, unit, target_value,
                  direction as "direction: Direction", weight, quality_requirement, assessment_method,
                  evidence_required, sort_order, version
           from post_target_template
           where post_id = $1
           order by sort_order, id"#,
        post_id
    )
    .fetch_all(conn)
    .await
}

pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<TemplateRow>, sqlx::Error> {
    sqlx::query_as!(
        TemplateRow,
        r#"select id, post_id, title, category as "category: TargetCategory", measure, unit, target_value,
                  direction as "direction: Direction", weight, quality_requirement, assessment_method,
                  evidence_required, sort_order, version
           from post_target_template
           where id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// The same, locked until the end of the transaction (before an update or removal).
pub async fn find_for_update(conn: &mut PgConnection, id: i64) -> Result<Option<TemplateRow>, sqlx::Error> {
    sqlx::query_as!(
        TemplateRow,
        r#"select id, post_id, title, category as "category: TargetCategory", measure, unit, target_value,
                  direction as "direction: Direction", weight, quality_requirement, assessment_method,
                  evidence_required, sort_order, version
           from post_target_template
           where id = $1
           for update"#,
        id
    )
    .fetch_optional(conn)
    .await
}

pub async fn create(conn: &mut PgConnection, post_id: i64, data: &TemplateData) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into post_target_template
             (post_id, title, category, measure, unit, target_value, direction, weight,
              quality_requirement, assessment_method, evidence_required, sort_order)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id",
        post_id,
        data.title,
        data.category as TargetCategory,
        data.measure,
        data.unit,
        data.target_value,
        data.direction as Direction,
        data.weight,
        data.quality_requirement,
        data.assessment_method,
        data.evidence_required,
        data.sort_order,
    )
    .fetch_one(conn)
    .await
}

/// Saves the template if it is still at `version`; false when it moved or is gone.
pub async fn update(conn: &mut PgConnection, id: i64, version: i32, data: &TemplateData) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update post_target_template
         set title = $2, category = $3, measure = $4, unit = $5, target_value = $6, direction = $7, weight = $8,
             quality_requirement = $9, assessment_method = $10, evidence_required = $11, sort_order = $12,
             version = version + 1
         where id = $1 and version = $13",
        id,
        data.title,
        data.category as TargetCategory,
        data.measure,
        data.unit,
        data.target_value,
        data.direction as Direction,
        data.weight,
        data.quality_requirement,
        data.assessment_method,
        data.evidence_required,
        data.sort_order,
        version,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Deletes the template (templates are configuration nothing refers to); false when it was gone.
pub async fn remove(conn: &mut PgConnection, id: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!("delete from post_target_template where id = $1", id).execute(conn).await?;
    Ok(result.rows_affected() == 1)
}

//! The excellence self-assessment (卓越绩效自评, docs/DOMAIN.md §21): the
//! years, the workspace of a year, an item's scoring and consensus page, the
//! consensus overview, the scorecard with its Excel file and A4 report, and
//! each year's standard.

pub mod scorecard;
pub mod standard;

use sqlx::PgConnection;

use crate::auth::session::CurrentUser;
use crate::db::excellence::{self as db, AssessmentRow};
use crate::domain::policy::Permission;
use crate::error::{AppError, AppResult};

/// A year's self-assessment for someone who may read it: the readers of
/// every year, and its assessors. 404 for a year without one.
pub async fn readable_year(conn: &mut PgConnection, user: &CurrentUser, year: i32) -> AppResult<AssessmentRow> {
    let assessment = db::assessment(conn, year).await?.ok_or(AppError::NotFound)?;
    if user.may(Permission::ViewExcellence) || db::is_assessor(conn, assessment.id, user.principal.id).await? {
        Ok(assessment)
    } else {
        Err(AppError::Forbidden)
    }
}

pub mod benchmarks;
pub mod consensus;
pub mod items;
pub mod rectify;
pub mod setup;
pub mod workspace;
pub mod years;

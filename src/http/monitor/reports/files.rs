//! Progress reports: Evidence downloads.

use super::*;

/// Downloads an evidence file of a progress report, for those who may read its target.
pub async fn download_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let meta = attachments::meta(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    if meta.owner_type != "progress_report" {
        return Err(AppError::NotFound);
    }
    let report = reports::find(&mut conn, meta.owner_id).await?.ok_or(AppError::NotFound)?;
    require_report_reader(&mut conn, &user, &report, state.clock.today()).await?;
    let bytes = attachments::bytes(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    Ok(attachment_response(&meta, bytes))
}

//! Excel downloads of the lists and tables (docs/DOMAIN.md §20.1). Each export
//! sits beside the page it mirrors, at the page's address with `.xlsx`, and
//! loads its rows with the page's own query and checks, so it holds exactly
//! the rows and columns the user sees. This module gives them the sheet's
//! head in the user's language and the download response.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use fluent_templates::fluent_bundle::FluentValue;

use crate::clock::OFFICE_TZ;
use crate::domain::files::content_disposition;
use crate::error::{AppError, AppResult};
use crate::http::pages::PageContext;
use crate::xlsx::{self, Sheet, SheetHead};

impl PageContext {
    /// The head of an exported sheet: `title_key`'s text (with `detail`, such
    /// as the cycle or year, after a dot), the export time and the exporter's
    /// name, and the headers from their locale keys.
    pub fn sheet_head(
        &self,
        title_key: &str,
        detail: Option<&str>,
        header_keys: &[&str],
        protected: bool,
        at: DateTime<Utc>,
    ) -> SheetHead {
        let name = self.t(title_key);
        let title = match detail {
            Some(detail) if !detail.is_empty() => format!("{name} · {detail}"),
            _ => name.clone(),
        };
        let local = at.with_timezone(&OFFICE_TZ).format("%Y-%m-%d %H:%M").to_string();
        let who = self.user.as_ref().map(|user| user.full_name.clone()).unwrap_or_default();
        let exported =
            self.lang.t_args("export-line", &[("at", FluentValue::from(local)), ("name", FluentValue::from(who))]);
        SheetHead { name, title, exported, headers: header_keys.iter().map(|key| self.t(key)).collect(), protected }
    }
}

/// A finished sheet as a download named `{file_stem}-{yyyymmdd}.xlsx`, the
/// workbook written off the async threads.
pub async fn xlsx_download(sheet: Sheet, file_stem: &str, at: DateTime<Utc>) -> AppResult<Response> {
    let bytes = tokio::task::spawn_blocking(move || sheet.to_bytes())
        .await
        .map_err(|err| AppError::Internal(err.into()))?
        .map_err(|err| AppError::Internal(err.into()))?;
    Ok(xlsx_response(bytes, file_stem, at))
}

/// Workbook bytes as an attachment.
pub fn xlsx_response(bytes: Vec<u8>, file_stem: &str, at: DateTime<Utc>) -> Response {
    let day = at.with_timezone(&OFFICE_TZ).format("%Y%m%d");
    let disposition = content_disposition(&format!("{file_stem}-{day}.xlsx"));
    ([(header::CONTENT_TYPE, xlsx::CONTENT_TYPE.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

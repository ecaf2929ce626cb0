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

    /// The address of the Excel download of the page at `path`: `path.xlsx`
    /// with this request's query, so the file holds the rows the page shows.
    pub fn xlsx_href(&self, path: &str) -> String {
        match self.here.split_once('?') {
            Some((_, query)) if !query.is_empty() => format!("{path}.xlsx?{query}"),
            _ => format!("{path}.xlsx"),
        }
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

/// The address of a page's export: `path` (the page's own, with `.xlsx`)
/// and the page's filters as its query, empty ones left out, so the file
/// holds the rows the filtered page shows.
pub fn xlsx_href(path: &str, filters: &[(&str, &str)]) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let query: Vec<String> = filters
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| format!("{name}={}", utf8_percent_encode(value.trim(), NON_ALPHANUMERIC)))
        .collect();
    if query.is_empty() { path.to_string() } else { format!("{path}?{}", query.join("&")) }
}

#[cfg(test)]
mod tests {
    use super::xlsx_href;
    use crate::http::pages::PageContext;
    use crate::http::{events, monitor, plan};
    use crate::i18n::Lang;

    #[test]
    fn the_address_of_a_download_keeps_the_query_of_the_page() {
        let at = |here: &str| PageContext {
            lang: Lang::ZhCn,
            user: None,
            csrf: String::new(),
            flash: None,
            nav: Vec::new(),
            here: here.into(),
            asset_version: "",
        };
        let filtered = at("/supervision?colour=red&department=3");
        assert_eq!(filtered.xlsx_href("/supervision"), "/supervision.xlsx?colour=red&department=3");
        assert_eq!(at("/supervision").xlsx_href("/supervision"), "/supervision.xlsx");
        assert_eq!(at("/absences?").xlsx_href("/absences"), "/absences.xlsx");
        // A page shown again after a form keeps its own address, not the form's.
        assert_eq!(at("/commitment-cases/7").xlsx_href("/commitments/3/cases"), "/commitments/3/cases.xlsx");
    }

    /// The column names of the exports are locale keys (the i18n check does
    /// not see keys in arrays): each must exist in both languages.
    #[test]
    fn every_export_names_its_columns_in_both_languages() {
        let headers: [&[&str]; 12] = [
            &monitor::supervision::LIST_HEADERS,
            &monitor::ledger::LIST_HEADERS,
            &monitor::ledger_items::LIST_HEADERS,
            &monitor::commitment_cases::LIST_HEADERS,
            &plan::commitments::LIST_HEADERS,
            &monitor::absences::LIST_HEADERS,
            &monitor::absences::COVER_HEADERS,
            &monitor::reports::list::MINE_HEADERS,
            &monitor::reports::list::QUEUE_HEADERS,
            &monitor::boards::PEOPLE_HEADERS,
            &monitor::boards::OFFICE_HEADERS,
            &events::LIST_HEADERS,
        ];
        for key in headers.into_iter().flatten() {
            for lang in Lang::ALL {
                assert_ne!(&lang.t(key), key, "{lang:?} lacks {key}");
            }
        }
    }

    #[test]
    fn an_export_address_carries_the_filters_that_are_set() {
        assert_eq!(xlsx_href("/feedback/proposals.xlsx", &[("year", ""), ("kind", " ")]), "/feedback/proposals.xlsx");
        assert_eq!(
            xlsx_href("/feedback/proposals.xlsx", &[("year", "2025"), ("kind", ""), ("status", "a&b")]),
            "/feedback/proposals.xlsx?year=2025&status=a%26b"
        );
    }
}

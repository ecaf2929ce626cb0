//! A survey's links (docs/DOMAIN.md §18.3): the printable A4 list with each
//! member's QR code, and the CSV for the SMS gateway. The performance office
//! only: a link is a member's single answer.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use qrcode::QrCode;
use qrcode::render::svg;

use crate::auth::session::CurrentUser;
use crate::db::surveys::{self, SurveyRow};
use crate::domain::files::content_disposition;
use crate::domain::policy::{self, Permission};
use crate::error::{AppError, AppResult};
use crate::http::pages::{PageContext, render};
use crate::state::AppState;

/// The absolute address of the answer page of `token`: the configured
/// public URL, else the request's Host.
pub fn link_url(state: &AppState, headers: &HeaderMap, token: &str) -> String {
    let base = match &state.settings.public_url {
        Some(base) => base.clone(),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            let scheme = if state.settings.secure_cookies { "https" } else { "http" };
            format!("{scheme}://{host}")
        }
    };
    format!("{base}/s/{token}")
}

/// The QR code of `text` as an inline SVG element (no XML prologue, no style).
pub fn qr_svg(text: &str, label: &str) -> Result<String, qrcode::types::QrError> {
    let code = QrCode::new(text.as_bytes())?;
    let image = code.render::<svg::Color<'_>>().min_dimensions(150, 150).quiet_zone(true).build();
    let svg = image.split_once("?>").map(|(_, rest)| rest).unwrap_or(&image);
    let label = label.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    Ok(svg.replacen("<svg ", &format!("<svg class=\"qr\" role=\"img\" aria-label=\"{label}\" "), 1))
}

/// One member's printed link.
pub struct PrintedLink {
    pub full_name: String,
    pub sector: String,
    pub url: String,
    pub qr: String,
}

#[derive(Template)]
#[template(path = "assess/survey_links.html")]
pub struct LinksPage {
    pub ctx: PageContext,
    pub survey: SurveyRow,
    pub links: Vec<PrintedLink>,
}

/// The printable list: each member's name, sector, QR code and link.
pub async fn print_list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::ManageSurveys)?;
    let mut conn = state.pool.acquire().await?;
    let survey = surveys::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let label = ctx.t("survey-qr-label");
    let mut links = Vec::new();
    for link in surveys::links(&mut conn, id).await? {
        let url = link_url(&state, &headers, &link.token);
        let qr = qr_svg(&url, &label).map_err(|e| AppError::Internal(anyhow::anyhow!("QR code: {e}")))?;
        links.push(PrintedLink { full_name: link.full_name, sector: link.sector, url, qr });
    }
    render(&LinksPage { ctx, survey, links })
}

/// The links as CSV for an SMS gateway: name, mobile, link, last day.
pub async fn sms_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::ManageSurveys)?;
    let mut conn = state.pool.acquire().await?;
    let survey = surveys::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let mut csv = csv::Writer::from_writer(Vec::new());
    let heading = ["survey-csv-name", "survey-csv-mobile", "survey-csv-link", "survey-csv-expires"].map(|k| ctx.t(k));
    let internal = |e: csv::Error| AppError::Internal(e.into());
    csv.write_record(&heading).map_err(internal)?;
    for link in surveys::links(&mut conn, id).await? {
        let url = link_url(&state, &headers, &link.token);
        csv.write_record([link.full_name, link.mobile, url, link.expires_on.to_string()]).map_err(internal)?;
    }
    let mut body = b"\xEF\xBB\xBF".to_vec(); // A BOM, so that spreadsheet programs read UTF-8.
    body.extend(csv.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?);
    let disposition = content_disposition(&format!("survey-{}-links.csv", survey.id));
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_an_inline_svg_without_style() {
        let svg = qr_svg("https://example.org/s/abc", "二维码").unwrap();
        assert!(svg.starts_with("<svg class=\"qr\" role=\"img\" aria-label=\"二维码\" "));
        assert!(!svg.contains("<?xml") && !svg.contains("style"));
        assert!(svg.ends_with("</svg>"));
    }
}

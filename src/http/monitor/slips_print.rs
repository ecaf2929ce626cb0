//! The supervision notice (督办通知单) of an item and each three-colour slip
//! (三色督办单) as A4 pages (docs/DOMAIN.md §20.5): the item's facts, its
//! colour named in words and shown as a band whose pattern and label also
//! tell it in black and white, the handling to write by hand, and lines for
//! the receipt and the issuer.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};

use crate::auth::session::CurrentUser;
use crate::db::supervision::{self, ItemRow, SlipRow};
use crate::domain::forms::{colour_band_class, colour_meaning_key};
use crate::domain::monitor::SlipColour;
use crate::domain::plan::ReportFrequency;
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::http::pages::{PageContext, render};
use crate::state::AppState;
use crate::workflow::slips::{calendar_around, current_colour};

#[derive(Template)]
#[template(path = "monitor/slips_print.html")]
pub struct SlipPrintPage {
    pub ctx: PageContext,
    pub item: ItemRow,
    /// The slip printed, or `None` for the item's notice.
    pub slip: Option<SlipRow>,
    /// The slip's colour, or the colour the item shows today.
    pub colour: Option<SlipColour>,
    /// The day the page is printed: the notice's date.
    pub today: NaiveDate,
}

impl SlipPrintPage {
    pub fn band_class(&self) -> &'static str {
        colour_band_class(self.colour)
    }

    /// The colour's name ("红色督办单"), or "no colour".
    pub fn colour_key(&self) -> String {
        self.colour.map(|c| c.label_key()).unwrap_or_else(|| "slip-colour-none".into())
    }

    pub fn meaning_key(&self) -> &'static str {
        colour_meaning_key(self.colour)
    }

    /// The number printed on the paper: the year registered and the item's
    /// id, with the slip's id on a slip ("2026-12", "2026-12-45").
    pub fn number(&self) -> String {
        let year = self.item.registered_on.year();
        match &self.slip {
            Some(slip) => format!("{year}-{}-{}", self.item.id, slip.id),
            None => format!("{year}-{}", self.item.id),
        }
    }

    pub fn requirement_key(&self) -> &'static str {
        match self.item.report_frequency {
            ReportFrequency::Monthly => "slip-requirement-monthly",
            ReportFrequency::Quarterly => "slip-requirement-quarterly",
        }
    }

    /// The day the paper is dated: the slip's issue day, else today.
    pub fn dated(&self) -> NaiveDate {
        self.slip.as_ref().map(|s| s.issued_on).unwrap_or(self.today)
    }
}

/// The item's supervision notice: whoever reads the item (docs/DOMAIN.md §8.3).
pub async fn item_slip(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let today = state.clock.today();
    let mut conn = state.pool.acquire().await?;
    let item = supervision::find(&mut conn, id, today).await?.ok_or(AppError::NotFound)?;
    policy::require_read_item(user.id(), user.grants(), &item.facts())?;
    let settings = crate::db::settings::for_year(&mut conn, today.year()).await?;
    let calendar = calendar_around(&mut conn, today, std::iter::once(item.due_date)).await?;
    let colour = current_colour(&item.timeline(), today, &settings, &calendar);
    render(&SlipPrintPage { ctx, item, slip: None, colour, today })
}

/// One slip as issued, with its answer once given: whoever reads its item.
pub async fn slip(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let today = state.clock.today();
    let mut conn = state.pool.acquire().await?;
    let slip = supervision::find_slip(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let item = supervision::find(&mut conn, slip.item_id, today).await?.ok_or(AppError::NotFound)?;
    policy::require_read_item(user.id(), user.grants(), &item.facts())?;
    let colour = Some(slip.colour);
    render(&SlipPrintPage { ctx, item, slip: Some(slip), colour, today })
}

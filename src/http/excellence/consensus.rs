//! The consensus page of a year (docs/DOMAIN.md §21.2): every item with the
//! assessors' percentages, their spread and the suggestion, and the agreed
//! score with its reason. While scoring, nobody sees others' scores.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::readable_year;
use crate::auth::session::CurrentUser;
use crate::db::excellence::{self as db, AssessmentRow, ConsensusRow, ItemRow};
use crate::db::settings;
use crate::domain::excellence::{Bands, Stage, item_score};
use crate::error::AppResult;
use crate::http::pages::{PageContext, render_with};
use crate::state::AppState;

/// One item's line.
#[derive(Debug, Clone)]
pub struct ConsensusLine {
    pub item: ItemRow,
    /// The assessors' percentages, lowest first.
    pub percents: Vec<i16>,
    pub suggestion: Option<(i16, i32)>,
    pub agreed: Option<ConsensusRow>,
}

impl ConsensusLine {
    /// The lowest and highest percentage, when the item was scored.
    pub fn spread(&self) -> Option<(i16, i16)> {
        Some((*self.percents.first()?, *self.percents.last()?))
    }
}

#[derive(Template)]
#[template(path = "excellence/consensus.html")]
pub struct ConsensusPage {
    pub ctx: PageContext,
    pub assessment: AssessmentRow,
    pub lines: Vec<ConsensusLine>,
}

impl ConsensusPage {
    pub fn hidden(&self) -> bool {
        self.assessment.stage == Stage::Scoring
    }

    pub fn score_of(&self, line: &ConsensusLine) -> String {
        line.agreed
            .as_ref()
            .map_or_else(|| "—".into(), |c| self.ctx.num(&item_score(line.item.points, i32::from(c.percent))))
    }
}

/// `GET /excellence/{year}/consensus`: whoever reads the year.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(year): Path<i32>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let assessment = readable_year(&mut conn, &user, year).await?;
    let bands = Bands::from_settings(&settings::for_year(&mut conn, year).await?);
    let scores = if assessment.stage == Stage::Scoring {
        Vec::new()
    } else {
        db::scores(&mut conn, assessment.id, None).await?
    };
    let mut agreed = db::consensus(&mut conn, assessment.id).await?;
    let lines = db::items(&mut conn, year)
        .await?
        .into_iter()
        .map(|item| {
            let mut percents: Vec<i16> = scores.iter().filter(|s| s.item_id == item.id).map(|s| s.percent).collect();
            percents.sort_unstable();
            let wide: Vec<i32> = percents.iter().map(|p| i32::from(*p)).collect();
            let position = agreed.iter().position(|c| c.item_id == item.id);
            ConsensusLine {
                suggestion: bands.suggestion(&wide),
                agreed: position.map(|i| agreed.swap_remove(i)),
                percents,
                item,
            }
        })
        .collect();
    let page = ConsensusPage { ctx, assessment, lines };
    render_with(StatusCode::OK, &page)
}

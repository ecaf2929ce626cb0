//! The feedback board (docs/DOMAIN.md §19.8): the stage's own quality
//! measures for one year's results — notices in time, reviews and appeals
//! decided in time, rectification closed on time — with what is overdue now.

use std::borrow::Borrow;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Datelike;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::auth::session::CurrentUser;
use crate::db::appeals::{self, Timeliness as AppealTimeliness};
use crate::db::departments::{self, DepartmentChoice};
use crate::db::notices::{self, NoticeTimeliness};
use crate::db::rectification::{self, Timeliness as RectificationTimeliness};
use crate::domain::boards::share;
use crate::domain::policy::{self, Permission};
use crate::error::AppResult;
use crate::http::pages::{PageContext, render};
use crate::state::AppState;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct BoardQuery {
    #[serde(default)]
    pub year: Option<i32>,
}

#[derive(Template)]
#[template(path = "feedback/board.html")]
pub struct FeedbackBoardPage {
    pub ctx: PageContext,
    /// The year of the results whose feedback is measured.
    pub year: i32,
    pub notices: NoticeTimeliness,
    pub appeals: AppealTimeliness,
    pub rectification: RectificationTimeliness,
    pub rectification_by_department: Vec<(String, RectificationTimeliness)>,
}

impl FeedbackBoardPage {
    /// The year the feedback on `year`'s results runs, when rectification falls due.
    pub fn feedback_year(&self) -> i32 {
        self.year + 1
    }

    pub fn percent(&self, part: impl Borrow<i64>, whole: impl Borrow<i64>) -> String {
        share(*part.borrow(), *whole.borrow())
            .map(|p: Decimal| format!("{}%", p.normalize()))
            .unwrap_or_else(|| "—".into())
    }
}

/// The office-wide readers of boards: the performance office, leaders, the
/// committee and auditors.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    policy::require(user.grants(), Permission::ViewOfficeBoard)?;
    let today = state.clock.today();
    let year = query.year.filter(|y| (2000..=2100).contains(y)).unwrap_or(today.year() - 1);
    let mut conn = state.pool.acquire().await?;
    let notices = notices::timeliness(&mut conn, year).await?;
    let appeals = appeals::timeliness(&mut conn, year, today).await?;
    let mut rectification = RectificationTimeliness::default();
    let names = departments::choices(&mut conn).await?;
    let rectification_by_department = rectification::timeliness_by_department(&mut conn, year + 1, today)
        .await?
        .into_iter()
        .inspect(|t| rectification.add(t))
        .map(|t| (department_name(&names, t.department_id), t))
        .collect();
    render(&FeedbackBoardPage { ctx, year, notices, appeals, rectification, rectification_by_department })
}

fn department_name(names: &[DepartmentChoice], id: Option<i64>) -> String {
    names.iter().find(|d| Some(d.id) == id).map(|d| d.name.clone()).unwrap_or_default()
}

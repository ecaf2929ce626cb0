//! A year's workspace (docs/DOMAIN.md §21.6): progress per category, who has
//! scored which items (not their scores: assessors score independently until
//! consensus), every item with the user's own score and the agreed one, last
//! year's improvements and what became of them, and the performance office's
//! actions (invite assessors, take the figures again, benchmarks, stages).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::readable_year;
use crate::auth::session::CurrentUser;
use crate::db::excellence::{self as db, AssessmentRow, AssessorRow, CandidateRow, FindingRow, ItemRow};
use crate::domain::excellence::{Stage, Step, allowed};
use crate::domain::policy::Permission;
use crate::error::AppResult;
use crate::http::pages::{PageContext, render_with};
use crate::state::AppState;

/// One item's line: the user's own percentage, how many scored it, the agreed one.
#[derive(Debug, Clone)]
pub struct ItemLine {
    pub item: ItemRow,
    pub mine: Option<i16>,
    pub scored_by: usize,
    pub agreed: Option<i16>,
}

/// One category's progress.
#[derive(Debug, Clone)]
pub struct CategoryLine {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub points: i32,
    pub items: usize,
    pub mine: usize,
    pub agreed: usize,
}

/// An assessor with the number of items they scored in each category.
#[derive(Debug, Clone)]
pub struct AssessorLine {
    pub assessor: AssessorRow,
    pub per_category: Vec<usize>,
}

#[derive(Template)]
#[template(path = "excellence/workspace.html")]
pub struct WorkspacePage {
    pub ctx: PageContext,
    pub assessment: AssessmentRow,
    pub categories: Vec<CategoryLine>,
    pub items: Vec<ItemLine>,
    pub assessors: Vec<AssessorLine>,
    pub candidates: Vec<CandidateRow>,
    pub findings: usize,
    /// Last year's improvements and what became of them.
    pub previous: Vec<FindingRow>,
    pub is_assessor: bool,
    pub may_manage: bool,
}

impl WorkspacePage {
    pub fn may(&self, step: &str) -> bool {
        let step = match step {
            "invite" => Step::InviteAssessor,
            "figures" => Step::RefreshFigures,
            "benchmarks" => Step::SetBenchmarks,
            "consensus" => Step::StartConsensus,
            _ => Step::Complete,
        };
        self.may_manage && allowed(self.assessment.stage, step)
    }

    pub fn consensus_open(&self) -> bool {
        self.assessment.stage != Stage::Scoring
    }

    pub fn all_agreed(&self) -> bool {
        self.assessment.agreed == self.assessment.items
    }
}

/// `GET /excellence/{year}`: whoever reads the year.
///
/// Queries: the year, whether the user scores it, the items, the assessors
/// with the items they scored, the user's scores, the consensus, the
/// findings count, last year's improvements and (for the office) the heads
/// who may be invited.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(year): Path<i32>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let assessment = readable_year(&mut conn, &user, year).await?;
    let is_assessor = db::is_assessor(&mut conn, assessment.id, user.principal.id).await?;
    let may_manage = user.may(Permission::ManageExcellence);
    let items = db::items(&mut conn, year).await?;
    let assessors = db::assessors(&mut conn, assessment.id).await?;
    let mine: HashMap<i64, i16> = db::scores(&mut conn, assessment.id, Some(user.principal.id))
        .await?
        .into_iter()
        .map(|s| (s.item_id, s.percent))
        .collect();
    let agreed: HashMap<i64, i16> =
        db::consensus(&mut conn, assessment.id).await?.into_iter().map(|c| (c.item_id, c.percent)).collect();
    let findings = db::findings(&mut conn, assessment.id).await?.len();
    let previous = match db::assessment(&mut conn, year - 1).await? {
        Some(last) => {
            db::findings(&mut conn, last.id).await?.into_iter().filter(|f| f.kind.code() == "improvement").collect()
        }
        None => Vec::new(),
    };
    let candidates = if may_manage && allowed(assessment.stage, Step::InviteAssessor) {
        db::candidates(&mut conn, assessment.id).await?
    } else {
        Vec::new()
    };
    let lines: Vec<ItemLine> = items
        .into_iter()
        .map(|item| ItemLine {
            mine: mine.get(&item.id).copied(),
            scored_by: assessors.iter().filter(|a| a.scored_items.contains(&item.id)).count(),
            agreed: agreed.get(&item.id).copied(),
            item,
        })
        .collect();
    let categories = categories(&lines);
    let assessors = assessors
        .into_iter()
        .map(|a| {
            let per_category = categories
                .iter()
                .map(|c| {
                    lines
                        .iter()
                        .filter(|l| l.item.category_code == c.code && a.scored_items.contains(&l.item.id))
                        .count()
                })
                .collect();
            AssessorLine { assessor: a, per_category }
        })
        .collect();
    let page = WorkspacePage {
        ctx,
        assessment,
        categories,
        items: lines,
        assessors,
        candidates,
        findings,
        previous,
        is_assessor,
        may_manage,
    };
    render_with(StatusCode::OK, &page)
}

fn categories(lines: &[ItemLine]) -> Vec<CategoryLine> {
    let mut out: Vec<CategoryLine> = Vec::new();
    for l in lines {
        if out.last().is_none_or(|c| c.code != l.item.category_code) {
            out.push(CategoryLine {
                code: l.item.category_code.clone(),
                name: l.item.category_name.clone(),
                name_en: l.item.category_name_en.clone(),
                points: 0,
                items: 0,
                mine: 0,
                agreed: 0,
            });
        }
        if let Some(c) = out.last_mut() {
            c.points += l.item.points;
            c.items += 1;
            c.mine += usize::from(l.mine.is_some());
            c.agreed += usize::from(l.agreed.is_some());
        }
    }
    out
}

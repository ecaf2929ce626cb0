//! The benchmark baseline: TechEmpower's "fortunes" test (one query, a row
//! added, sorted, an escaped template). Mounted only with `BENCH_BASELINE`, so
//! `make bench` can put every page beside the stack's own limit.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::pages::render;
use crate::db::bench::{self, Fortune};
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "bench/fortunes.html")]
pub struct FortunesPage {
    fortunes: Vec<Fortune>,
}

pub async fn fortunes(State(state): State<AppState>) -> AppResult<Response> {
    let mut fortunes = bench::fortunes(&state.pool).await?;
    fortunes.push(Fortune { id: 0, message: "Additional fortune added at request time.".into() });
    fortunes.sort_by(|a, b| a.message.cmp(&b.message));
    render(&FortunesPage { fortunes })
}

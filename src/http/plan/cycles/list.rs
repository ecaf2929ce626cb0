//! Assessment cycles: the list.

use super::*;

#[derive(Template)]
#[template(path = "plan/cycles.html")]
pub struct CyclesPage {
    pub ctx: PageContext,
    pub cycles: Vec<CycleListItem>,
}

impl CyclesPage {
    pub fn stage_class(&self, stage: &CycleStage) -> &'static str {
        stage_class(*stage)
    }
}

pub async fn list(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    user.require(Permission::ManageCycles)?;
    let cycles = cycles::list(&mut *state.pool.acquire().await?).await?;
    render(&CyclesPage { ctx, cycles })
}

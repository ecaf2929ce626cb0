//! Scores (docs/DOMAIN.md §17.13): a cycle's participants ranked per
//! department with their computed quarterly grades and the 好 quota used, and
//! each person's breakdown, every term traced to its source.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use rust_decimal::Decimal;

use crate::auth::session::CurrentUser;
use crate::db::assessment_schemes;
use crate::db::ballots::{self, ParticipantRow};
use crate::db::cycles::{self, CycleRow};
use crate::domain::assessment::{
    Allocation, QuarterEntry, QuarterGrade, RaterKind, Scheme, ScoreBreakdown, TargetGroup, allocate_quarter,
    quarterly_score,
};
use crate::domain::plan::CycleStage;
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::http::pages::{PageContext, render};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::workflow::assessment::{PersonInputs, inputs_for};

/// The cycle's schemes: (staff, department heads), as stored (docs/DOMAIN.md §17.10).
async fn schemes_of(conn: &mut sqlx::PgConnection, cycle: &CycleRow) -> AppResult<(Scheme, Scheme)> {
    let year = chrono::Datelike::year(&cycle.period_start);
    let staff = assessment_schemes::for_cycle(conn, cycle.id, year, TargetGroup::Staff).await?;
    let heads = assessment_schemes::for_cycle(conn, cycle.id, year, TargetGroup::DepartmentHeads).await?;
    Ok((staff, heads))
}

/// A cycle whose scores may be shown: from the assessment stage on.
async fn scored_cycle(state: &AppState, id: i64) -> AppResult<CycleRow> {
    let cycle = cycles::find(&mut *state.pool.acquire().await?, id).await?.ok_or(AppError::NotFound)?;
    match cycle.stage {
        CycleStage::Assessment | CycleStage::Feedback | CycleStage::Closed => Ok(cycle),
        _ => Err(AppError::NotFound),
    }
}

#[derive(Template)]
#[template(path = "assess/score_cycles.html")]
pub struct ScoreCyclesPage {
    pub ctx: PageContext,
    pub cycles: Vec<CycleRow>,
}

/// The cycles with scores to read (from the assessment stage on), newest first.
pub async fn cycles_with_scores(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
) -> AppResult<Response> {
    policy::require_score_reader(user.grants())?;
    let all = cycles::list(&mut *state.pool.acquire().await?).await?;
    let cycles = all
        .into_iter()
        .map(|item| item.cycle)
        .filter(|c| matches!(c.stage, CycleStage::Assessment | CycleStage::Feedback | CycleStage::Closed))
        .collect();
    render(&ScoreCyclesPage { ctx, cycles })
}

/// One person on the ranking.
pub struct ScoreLine {
    pub person: ParticipantRow,
    pub score: Option<ScoreBreakdown>,
    pub rank: usize,
    pub band: Option<QuarterGrade>,
    pub grade: Option<QuarterGrade>,
    pub over_quota: bool,
}

/// One allocation unit (a department) with its quota.
pub struct UnitLines {
    pub name: Option<String>,
    pub lines: Vec<ScoreLine>,
    pub quota: usize,
    pub used: usize,
    pub tie_at_cut: bool,
}

#[derive(Template)]
#[template(path = "assess/scores.html")]
pub struct ScoresPage {
    pub ctx: PageContext,
    pub cycle: CycleRow,
    pub units: Vec<UnitLines>,
}

impl ScoresPage {
    pub fn grade_key(&self, grade: &Option<QuarterGrade>) -> &'static str {
        grade.map(|g| g.label_key()).unwrap_or("assess-score-missing")
    }

    pub fn total(&self, line: &ScoreLine) -> String {
        line.score.as_ref().map(|s| s.total.normalize().to_string()).unwrap_or_else(|| "—".into())
    }
}

/// The ranking of a cycle's participants per department: the performance
/// office, the committee and the auditor see every department; heads and
/// leaders theirs.
pub async fn cycle_scores(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let scope = policy::require_score_reader(user.grants())?;
    let cycle = scored_cycle(&state, id).await?;
    let mut conn = state.pool.acquire().await?;
    let participants = ballots::participants(&mut conn, id, scope.as_deref()).await?;
    let people: Vec<(i64, Option<i64>)> = participants.iter().map(|p| (p.person_id, p.department_id)).collect();
    let (staff_scheme, heads_scheme) = schemes_of(&mut conn, &cycle).await?;
    let mut inputs = inputs_for(&mut conn, &cycle, &people, &staff_scheme.levels, state.clock.today()).await?;
    let mut units: Vec<(Option<i64>, Vec<Scored>)> = Vec::new();
    for person in participants {
        let scheme = if person.heads_department { &heads_scheme } else { &staff_scheme };
        let score = inputs.remove(&person.person_id).and_then(|i| quarterly_score(scheme, &i.inputs).ok());
        match units.last_mut() {
            Some((department, lines)) if *department == person.department_id => lines.push((person, score)),
            _ => units.push((person.department_id, vec![(person, score)])),
        }
    }
    let units = units.into_iter().map(|(_, lines)| unit(&staff_scheme, lines)).collect();
    render(&ScoresPage { ctx, cycle, units })
}

/// A participant with their score, when it can be computed.
type Scored = (ParticipantRow, Option<ScoreBreakdown>);

/// Ranks a department's people and applies the quarterly 好 quota (§17.8);
/// people without a score are listed last, unranked.
fn unit(scheme: &Scheme, lines: Vec<Scored>) -> UnitLines {
    let entries: Vec<QuarterEntry> = lines
        .iter()
        .filter_map(|(p, s)| {
            s.as_ref().map(|s| QuarterEntry {
                person_id: p.person_id,
                score: s.total,
                tie_breaks: s.tie_break_values(&scheme.tie_breaks),
            })
        })
        .collect();
    let allocation: Allocation<QuarterGrade> = allocate_quarter(scheme, &entries);
    let name = lines.first().and_then(|(p, _)| p.department_name.clone());
    let mut ranked: Vec<ScoreLine> = lines
        .into_iter()
        .map(|(person, score)| {
            let placement = allocation.placements.iter().find(|p| p.person_id == person.person_id);
            ScoreLine {
                rank: placement.map(|p| p.rank).unwrap_or(usize::MAX),
                band: placement.map(|p| p.band),
                grade: placement.map(|p| p.grade),
                over_quota: placement.is_some_and(|p| p.over_quota),
                person,
                score,
            }
        })
        .collect();
    ranked.sort_by_key(|l| l.rank);
    UnitLines { name, lines: ranked, quota: allocation.quota, used: allocation.used, tie_at_cut: allocation.tie_at_cut }
}

#[derive(Template)]
#[template(path = "assess/score.html")]
pub struct ScorePage {
    pub ctx: PageContext,
    pub cycle: CycleRow,
    pub person: ParticipantRow,
    pub scheme: Scheme,
    pub inputs: PersonInputs,
    pub score: Option<ScoreBreakdown>,
}

impl ScorePage {
    /// A dimension's or criterion's name in the page's language, by key.
    pub fn name(&self, dimension: &str, criterion: &str) -> String {
        let zh = self.ctx.lang == Lang::ZhCn;
        self.scheme
            .criteria()
            .find(|(d, c)| d.key == dimension && c.key == criterion)
            .map(
                |(d, c)| {
                    if zh {
                        format!("{} · {}", d.name_zh, c.name_zh)
                    } else {
                        format!("{} · {}", d.name_en, c.name_en)
                    }
                },
            )
            .unwrap_or_else(|| criterion.to_string())
    }

    pub fn num(&self, value: &Decimal) -> String {
        value.normalize().to_string()
    }

    pub fn opt(&self, value: &Option<Decimal>) -> String {
        value.map(|v| v.normalize().to_string()).unwrap_or_else(|| "—".into())
    }

    pub fn group_key(&self, kind: &RaterKind) -> &'static str {
        kind.label_key()
    }

    /// Where the target completion comes from: the person's targets on the department board.
    pub fn targets_href(&self) -> String {
        let department = self.person.department_id.map(|d| format!("&department={d}")).unwrap_or_default();
        format!("/monitor/department?cycle={}{department}&owner={}", self.inputs.targets_cycle, self.person.person_id)
    }
}

/// A person's breakdown: their own, or one in the reader's scope.
pub async fn person_score(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path((id, person_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let cycle = scored_cycle(&state, id).await?;
    let mut conn = state.pool.acquire().await?;
    let person = ballots::participants(&mut conn, id, None)
        .await?
        .into_iter()
        .find(|p| p.person_id == person_id)
        .ok_or(AppError::NotFound)?;
    policy::require_read_score(user.id(), user.grants(), person_id, person.department_id)?;
    let (staff, heads) = schemes_of(&mut conn, &cycle).await?;
    let scheme = if person.heads_department { heads } else { staff };
    let people = [(person_id, person.department_id)];
    let mut all = inputs_for(&mut conn, &cycle, &people, &scheme.levels, state.clock.today()).await?;
    let inputs = all.remove(&person_id).ok_or(AppError::NotFound)?;
    let score = quarterly_score(&scheme, &inputs.inputs).ok();
    render(&ScorePage { ctx, cycle, person, scheme, inputs, score })
}

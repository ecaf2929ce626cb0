//! Scores (docs/DOMAIN.md §17.13): a cycle's participants ranked per
//! department with their computed quarterly grades and the 好 quota used, and
//! each person's breakdown, every term traced to its source.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rust_decimal::Decimal;

use crate::auth::session::CurrentUser;
use crate::db::assessment_schemes;
use crate::db::ballots::{self, ParticipantRow};
use crate::db::cycles::{self, CycleRow};
use crate::db::decisions::{Calibration, NewResult, ResultRow};
use crate::domain::assessment::{
    Allocation, AnnualEntry, AnnualGrade, DecidedGrade, GradeNames, QuarterEntry, QuarterGrade, RaterKind, Scheme,
    ScoreBreakdown, TargetGroup, allocate_annual, allocate_quarter, quarterly_score,
};
use crate::domain::plan::{CycleKind, CycleStage};
use crate::domain::policy::{self, Permission};
use crate::error::{AppError, AppResult};
use crate::http::forms::FormErrors;
use crate::http::pages::{PageContext, render, render_with};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::workflow::assessment::{AnnualLine, PersonInputs, annual_lines, inputs_for};

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
    /// The committee may decide (and freeze) the cycle's grades.
    pub can_decide: bool,
    pub calibration: CalibrationPart,
}

/// The committee's calibrations of a ranking and its form (§17.16).
pub struct CalibrationPart {
    pub calibrations: Vec<Calibration>,
    /// The grades of the cycle's kind, to choose from.
    pub grades: Vec<DecidedGrade>,
    pub calibrating: Calibrating,
}

impl CalibrationPart {
    /// The calibrated grade's locale key and the reason, for a person.
    pub fn of(&self, person: &ParticipantRow) -> Option<(&'static str, &str)> {
        self.calibrations
            .iter()
            .find(|c| c.person_id == person.person_id)
            .map(|c| (c.grade.label_key(person.identity_type), c.reason.as_str()))
    }

    pub fn label(&self, grade: &DecidedGrade) -> &'static str {
        grade.label_key(crate::domain::identity::IdentityType::CivilServant)
    }
}

impl ScoresPage {
    /// The people of a unit, for the calibration form.
    pub fn people<'a>(&self, unit: &'a UnitLines) -> Vec<&'a ParticipantRow> {
        unit.lines.iter().map(|l| &l.person).collect()
    }

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
    let calibrating = Calibrating::default();
    scores_page(&state, &user, ctx, id, calibrating, StatusCode::OK).await
}

/// The committee's calibration form as typed, and its errors.
#[derive(Debug, Clone, Default)]
pub struct Calibrating {
    pub form: CalibrationForm,
    pub errors: FormErrors,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CalibrationForm {
    #[serde(default)]
    pub person_id: String,
    #[serde(default)]
    pub grade: String,
    #[serde(default)]
    pub reason: String,
}

/// The ranking (or the decided results), with the calibration form as typed.
pub(super) async fn scores_page(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    id: i64,
    calibrating: Calibrating,
    status: StatusCode,
) -> AppResult<Response> {
    let scope = policy::require_score_reader(user.grants())?;
    let cycle = scored_cycle(state, id).await?;
    let mut conn = state.pool.acquire().await?;
    // Once decided, the frozen results are shown; nothing is recomputed (§17.15).
    if let Some(decision) = crate::db::decisions::find(&mut conn, id).await? {
        drop(conn);
        return super::decisions::decided_page(state, user, ctx, cycle, decision, scope).await;
    }
    let calibrations = crate::db::decisions::calibrations(&mut conn, id).await?;
    let can_decide =
        cycle.stage == CycleStage::Assessment && policy::allows(user.grants(), Permission::DecideAssessment);
    let participants = ballots::participants(&mut conn, id, scope.as_deref()).await?;
    if cycle.kind == CycleKind::Annual {
        let lines = annual_lines(&mut conn, &cycle, &participants, state.clock.today()).await?;
        let (staff, _) = schemes_of(&mut conn, &cycle).await?;
        let grades = AnnualGrade::ALL.into_iter().map(DecidedGrade::Annual).collect();
        let page = AnnualScoresPage {
            units: annual_units(&staff, participants, lines),
            calibration: CalibrationPart { calibrations, grades, calibrating },
            ctx,
            cycle,
            can_decide,
        };
        return render_with(status, &page);
    }
    let people: Vec<(i64, Option<i64>)> = participants.iter().map(|p| (p.person_id, p.department_id)).collect();
    let (staff_scheme, heads_scheme) = schemes_of(&mut conn, &cycle).await?;
    let mut inputs = inputs_for(&mut conn, &cycle, &people, &staff_scheme.levels, state.clock.today()).await?;
    let scored = participants.into_iter().map(|person| {
        let scheme = if person.heads_department { &heads_scheme } else { &staff_scheme };
        let score = inputs.remove(&person.person_id).and_then(|i| quarterly_score(scheme, &i.inputs).ok());
        (person, score)
    });
    let units = by_department(scored).into_iter().map(|lines| unit(&staff_scheme, lines)).collect();
    let grades = QuarterGrade::ALL.into_iter().map(DecidedGrade::Quarter).collect();
    let calibration = CalibrationPart { calibrations, grades, calibrating };
    render_with(status, &ScoresPage { ctx, cycle, units, can_decide, calibration })
}

/// A participant with their score, when it can be computed.
type Scored = (ParticipantRow, Option<ScoreBreakdown>);

/// Participants with what was worked out for each, in runs of one department
/// (the participants come ordered by department): the allocation units.
fn by_department<T>(items: impl IntoIterator<Item = (ParticipantRow, T)>) -> Vec<Vec<(ParticipantRow, T)>> {
    let mut units: Vec<Vec<(ParticipantRow, T)>> = Vec::new();
    for (person, value) in items {
        match units.last_mut() {
            Some(unit) if unit[0].0.department_id == person.department_id => unit.push((person, value)),
            _ => units.push(vec![(person, value)]),
        }
    }
    units
}

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
    /// The result the committee's decision froze, when the cycle is decided (§17.15).
    pub decided: Option<ResultRow>,
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

    /// The frozen result's score and grade name, when the cycle is decided.
    pub fn decided_text(&self) -> Option<(String, &'static str)> {
        self.decided.as_ref().map(|r| {
            let score = r.score.map(|s| s.normalize().to_string()).unwrap_or_else(|| "—".into());
            (score, r.grade.label_key(r.identity_type))
        })
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
    // An annual score is shown on the ranking, term by term (§17.14); this page is a quarter's.
    if cycle.kind == CycleKind::Annual {
        return Err(AppError::NotFound);
    }
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
    let decided = match crate::db::decisions::find(&mut conn, id).await? {
        Some(_) => {
            crate::db::decisions::results(&mut conn, id, None).await?.into_iter().find(|r| r.person_id == person_id)
        }
        None => None,
    };
    render(&ScorePage { ctx, cycle, person, scheme, inputs, score, decided })
}

/// One person on an annual ranking.
pub struct AnnualRow {
    pub person: ParticipantRow,
    pub line: AnnualLine,
    pub rank: usize,
    pub band: Option<AnnualGrade>,
    pub grade: Option<AnnualGrade>,
    pub over_quota: bool,
}

/// One allocation unit of an annual ranking with its 优秀 quota.
pub struct AnnualUnit {
    pub name: Option<String>,
    pub rows: Vec<AnnualRow>,
    pub base: usize,
    pub quota: usize,
    pub used: usize,
    pub tie_at_cut: bool,
}

#[derive(Template)]
#[template(path = "assess/annual_scores.html")]
pub struct AnnualScoresPage {
    pub ctx: PageContext,
    pub cycle: CycleRow,
    pub units: Vec<AnnualUnit>,
    pub can_decide: bool,
    pub calibration: CalibrationPart,
}

impl AnnualScoresPage {
    /// The people of a unit, for the calibration form.
    pub fn people<'a>(&self, unit: &'a AnnualUnit) -> Vec<&'a ParticipantRow> {
        unit.rows.iter().map(|r| &r.person).collect()
    }

    pub fn grade_key(&self, row: &AnnualRow, grade: &Option<AnnualGrade>) -> &'static str {
        grade.map(|g| g.label_key(GradeNames::of(row.person.identity_type))).unwrap_or("assess-score-missing")
    }

    pub fn total(&self, row: &AnnualRow) -> String {
        row.line.score.as_ref().map(|s| s.total.normalize().to_string()).unwrap_or_else(|| "—".into())
    }

    pub fn quarters(&self, row: &AnnualRow) -> String {
        let names: Vec<String> = row.line.quarter_grades.iter().map(|g| self.ctx.t(g.label_key())).collect();
        if names.is_empty() { "—".into() } else { names.join(" ") }
    }
}

/// Ranks each department's people by annual score and applies the 优秀 quota
/// of the staff scheme after the gates (§17.7, §17.8).
fn annual_units(scheme: &Scheme, participants: Vec<ParticipantRow>, lines: Vec<AnnualLine>) -> Vec<AnnualUnit> {
    let mut by_person: std::collections::HashMap<i64, AnnualLine> =
        lines.into_iter().map(|line| (line.person_id, line)).collect();
    let lined = participants.into_iter().filter_map(|p| by_person.remove(&p.person_id).map(|line| (p, line)));
    by_department(lined)
        .into_iter()
        .map(|rows| {
            let entries: Vec<AnnualEntry> = rows
                .iter()
                .filter_map(|(p, line)| {
                    line.score.as_ref().map(|s| AnnualEntry {
                        person_id: p.person_id,
                        score: s.total,
                        tie_breaks: s.tie_break_values(&scheme.tie_breaks),
                        gates: line.gates.clone(),
                        hard_veto: false,
                    })
                })
                .collect();
            let allocation = allocate_annual(scheme, &entries, false);
            let name = rows.first().and_then(|(p, _)| p.department_name.clone());
            let mut ranked: Vec<AnnualRow> = rows
                .into_iter()
                .map(|(person, line)| {
                    let placement = allocation.placements.iter().find(|p| p.person_id == person.person_id);
                    AnnualRow {
                        rank: placement.map(|p| p.rank).unwrap_or(usize::MAX),
                        band: placement.map(|p| p.band),
                        grade: placement.map(|p| p.grade),
                        over_quota: placement.is_some_and(|p| p.over_quota),
                        person,
                        line,
                    }
                })
                .collect();
            ranked.sort_by_key(|r| r.rank);
            AnnualUnit {
                name,
                rows: ranked,
                base: allocation.base,
                quota: allocation.quota,
                used: allocation.used,
                tie_at_cut: allocation.tie_at_cut,
            }
        })
        .collect()
}

/// The grade each participant of a cycle gets today, as the ranking shows it
/// (after gates and quota), with their score: what the committee's decision
/// freezes (docs/DOMAIN.md §17.15). People without a score get none.
pub(super) async fn computed_results(
    conn: &mut sqlx::PgConnection,
    cycle: &CycleRow,
    today: chrono::NaiveDate,
) -> AppResult<Vec<NewResult>> {
    let participants = ballots::participants(conn, cycle.id, None).await?;
    let (staff, heads) = schemes_of(conn, cycle).await?;
    if cycle.kind == CycleKind::Annual {
        let lines = annual_lines(conn, cycle, &participants, today).await?;
        let units = annual_units(&staff, participants, lines);
        return Ok(units
            .into_iter()
            .flat_map(|u| u.rows)
            .filter_map(|r| {
                r.grade.map(|g| NewResult {
                    person_id: r.person.person_id,
                    department_id: r.person.department_id,
                    score: r.line.score.as_ref().map(|s| s.total),
                    computed: DecidedGrade::Annual(g),
                    grade: DecidedGrade::Annual(g),
                })
            })
            .collect());
    }
    let people: Vec<(i64, Option<i64>)> = participants.iter().map(|p| (p.person_id, p.department_id)).collect();
    let mut inputs = inputs_for(conn, cycle, &people, &staff.levels, today).await?;
    let scored = participants.into_iter().map(|person| {
        let scheme = if person.heads_department { &heads } else { &staff };
        let score = inputs.remove(&person.person_id).and_then(|i| quarterly_score(scheme, &i.inputs).ok());
        (person, score)
    });
    Ok(by_department(scored)
        .into_iter()
        .flat_map(|lines| unit(&staff, lines).lines)
        .filter_map(|l| {
            l.grade.map(|g| NewResult {
                person_id: l.person.person_id,
                department_id: l.person.department_id,
                score: l.score.as_ref().map(|s| s.total),
                computed: DecidedGrade::Quarter(g),
                grade: DecidedGrade::Quarter(g),
            })
        })
        .collect())
}

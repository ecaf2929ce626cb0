//! Scores (docs/DOMAIN.md §17.13, §17.14): a cycle's participants ranked per
//! department with their computed grades, the quota used and how the grades
//! fall against it, and each person's breakdown, quarterly or annual, every
//! term traced to its source.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use rust_decimal::Decimal;

use super::committee::{CommitteePart, CommitteeTyped};
use crate::auth::session::CurrentUser;
use crate::db::ballots::{self, ParticipantRow};
use crate::db::cycles::{self, CycleRow};
use crate::db::decisions::{Calibration, DecisionRow, ResultRow};
use crate::domain::assessment::{
    AnnualGrade, AnnualTerm, DecidedGrade, GradeNames, GroupResult, QuarterGrade, RaterKind, Scheme, ScoreBreakdown,
    UnitKind, distribution, quarterly_score,
};
use crate::domain::plan::{CycleKind, CycleStage};
use crate::domain::policy::{self, Permission};
use crate::error::{AppError, AppResult};
use crate::http::assess::distribution::DistributionView;
use crate::http::forms::FormErrors;
use crate::http::pages::{PageContext, render, render_with};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::workflow::assessment::{
    AnnualLine, AnnualRow, PersonInputs, QuarterLine, Unit, annual_ranking, annual_unit_of, cycle_schemes, inputs_for,
    quarter_ranking, seen_by,
};

/// A cycle whose scores may be shown: from the assessment stage on.
async fn scored_cycle(conn: &mut sqlx::PgConnection, id: i64) -> AppResult<CycleRow> {
    let cycle = cycles::find(conn, id).await?.ok_or(AppError::NotFound)?;
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

#[derive(Template)]
#[template(path = "assess/scores.html")]
pub struct ScoresPage {
    pub ctx: PageContext,
    pub cycle: CycleRow,
    pub units: Vec<Unit<Option<ScoreBreakdown>, QuarterGrade>>,
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
    /// The cycle's calibrations, with the grades of its kind and the form as typed.
    pub async fn load(
        conn: &mut sqlx::PgConnection,
        cycle_id: i64,
        grades: Vec<DecidedGrade>,
        calibrating: Calibrating,
    ) -> AppResult<Self> {
        let calibrations = crate::db::decisions::calibrations(conn, cycle_id).await?;
        Ok(CalibrationPart { calibrations, grades, calibrating })
    }

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
    pub fn xlsx_href(&self) -> String {
        format!("/assess/cycles/{}/scores.xlsx", self.cycle.id)
    }

    /// The people of a unit, for the calibration form.
    pub fn people<'a>(&self, unit: &'a Unit<Option<ScoreBreakdown>, QuarterGrade>) -> Vec<&'a ParticipantRow> {
        unit.lines.iter().map(|l| &l.person).collect()
    }

    pub fn grade_key(&self, grade: &Option<QuarterGrade>) -> &'static str {
        grade.map(|g| g.label_key()).unwrap_or("assess-score-missing")
    }

    pub fn total(&self, line: &QuarterLine) -> String {
        line.value.as_ref().map(|s| s.total.normalize().to_string()).unwrap_or_else(|| "—".into())
    }

    /// How the unit's computed grades fall against its 好 quota.
    pub fn distribution(&self, unit: &Unit<Option<ScoreBreakdown>, QuarterGrade>, index: &usize) -> DistributionView {
        let counts = distribution(&QuarterGrade::ALL, unit.lines.iter().map(|l| l.grade), unit.quota);
        DistributionView::new(&self.ctx, *index, &counts, |g| self.ctx.t(g.label_key()))
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
    scores_page(&state, &user, ctx, id, Typed::default(), StatusCode::OK).await
}

/// The committee's forms under a ranking as typed: refused input is shown again.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub calibrating: Calibrating,
    pub committee: CommitteeTyped,
}

impl Typed {
    pub fn calibration(calibrating: Calibrating) -> Self {
        Typed { calibrating, ..Typed::default() }
    }

    pub fn committee(committee: CommitteeTyped) -> Self {
        Typed { committee, ..Typed::default() }
    }
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

/// What a cycle's score page shows: the frozen results once the cycle is
/// decided (nothing is recomputed, §17.15), else the ranking of its kind.
pub enum Standing {
    Decided { decision: DecisionRow, results: Vec<ResultRow> },
    Quarter(Vec<Unit<Option<ScoreBreakdown>, QuarterGrade>>),
    Annual(Vec<Unit<AnnualLine, AnnualGrade>>),
}

/// A cycle's scores as the reader may see them: the performance office, the
/// committee and the auditor every department; heads and leaders theirs.
/// Every participant is ranked (a pool's quota is the pool's) and the ranking
/// then cut to the reader's part. The page and its exports share it.
pub(super) async fn load(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<(CycleRow, Standing)> {
    let scope = policy::require_score_reader(user.grants())?;
    let mut conn = state.pool.acquire().await?;
    let cycle = scored_cycle(&mut conn, id).await?;
    if let Some(decision) = crate::db::decisions::find(&mut conn, id).await? {
        let results = crate::db::decisions::results(&mut conn, id, scope.as_deref()).await?;
        return Ok((cycle, Standing::Decided { decision, results }));
    }
    let participants = ballots::participants(&mut conn, id, None).await?;
    let today = state.clock.today();
    let standing = if cycle.kind == CycleKind::Annual {
        Standing::Annual(seen_by(annual_ranking(&mut conn, &cycle, participants, today).await?, scope.as_deref()))
    } else {
        Standing::Quarter(seen_by(quarter_ranking(&mut conn, &cycle, participants, today).await?, scope.as_deref()))
    };
    Ok((cycle, standing))
}

/// The ranking (or the decided results), with the calibration form as typed.
pub(super) async fn scores_page(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    id: i64,
    typed: Typed,
    status: StatusCode,
) -> AppResult<Response> {
    let (cycle, standing) = load(state, user, id).await?;
    let can_decide =
        cycle.stage == CycleStage::Assessment && policy::allows(user.grants(), Permission::DecideAssessment);
    match standing {
        Standing::Decided { decision, results } => {
            super::decisions::decided_page(state, user, ctx, cycle, decision, results).await
        }
        Standing::Annual(units) => {
            let mut conn = state.pool.acquire().await?;
            let grades = AnnualGrade::ALL.into_iter().map(DecidedGrade::Annual).collect();
            let calibration = CalibrationPart::load(&mut conn, id, grades, typed.calibrating).await?;
            let (staff, _) = cycle_schemes(&mut conn, id, cycle.period_start.year()).await?;
            let mut committee = CommitteePart::load(&mut conn, id, staff.annual_quota.approved_rate).await?;
            committee.typed = typed.committee;
            render_with(status, &AnnualScoresPage { units, calibration, committee, ctx, cycle, can_decide })
        }
        Standing::Quarter(units) => {
            let mut conn = state.pool.acquire().await?;
            let grades = QuarterGrade::ALL.into_iter().map(DecidedGrade::Quarter).collect();
            let calibration = CalibrationPart::load(&mut conn, id, grades, typed.calibrating).await?;
            render_with(status, &ScoresPage { ctx, cycle, units, can_decide, calibration })
        }
    }
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
    /// How many of the person's ballots were entered from paper (all democratic).
    pub paper: i64,
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

    /// How many of a group's ballots came on paper: for the democratic group
    /// when it has some and its result is shown (a withheld group reveals no counts).
    pub fn paper_of(&self, group: &GroupResult) -> Option<i64> {
        (group.kind == RaterKind::Democratic && !group.withheld && self.paper > 0).then_some(self.paper)
    }

    /// The person's registration form, when the reader may print it (docs/DOMAIN.md §20.5).
    pub fn form_href(&self) -> Option<String> {
        super::forms::may_print_form(&self.ctx, self.person.person_id, self.person.department_id)
            .then(|| format!("/assess/cycles/{}/people/{}/form", self.cycle.id, self.person.person_id))
    }

    /// Where the target completion comes from: the person's targets on the department board.
    pub fn targets_href(&self) -> String {
        let department = self.person.department_id.map(|d| format!("&department={d}")).unwrap_or_default();
        format!("/monitor/department?cycle={}{department}&owner={}", self.inputs.targets_cycle, self.person.person_id)
    }
}

/// A person's breakdown, quarterly or annual: their own, or one in the
/// reader's scope.
pub async fn person_score(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path((id, person_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let cycle = scored_cycle(&mut conn, id).await?;
    let participants = ballots::participants(&mut conn, id, None).await?;
    let person = participants.iter().find(|p| p.person_id == person_id).cloned().ok_or(AppError::NotFound)?;
    policy::require_read_score(user.id(), user.grants(), person_id, person.department_id)?;
    let decided = decided_result(&mut conn, id, person_id).await?;
    let (staff, heads) = cycle_schemes(&mut conn, cycle.id, cycle.period_start.year()).await?;
    let scheme = if person.heads_department { heads } else { staff };
    let today = state.clock.today();
    if cycle.kind == CycleKind::Annual {
        let unit = annual_unit_of(&mut conn, &cycle, participants, person_id, today).await?;
        let vetoes = crate::db::committee::hard_vetoes(&mut conn, id).await?;
        let mut page = AnnualScorePage::new(ctx, cycle, scheme, unit, person_id, decided).ok_or(AppError::NotFound)?;
        page.veto = vetoes.into_iter().find(|v| v.person_id == person_id).map(|v| v.reason);
        return render(&page);
    }
    let people = [(person_id, person.department_id)];
    let mut all = inputs_for(&mut conn, &cycle, &people, &scheme.levels, today).await?;
    let inputs = all.remove(&person_id).ok_or(AppError::NotFound)?;
    let score = quarterly_score(&scheme, &inputs.inputs).ok();
    let paper = ballots::paper_ballots_about(&mut conn, id, person_id).await?;
    render(&ScorePage { ctx, cycle, person, scheme, inputs, score, decided, paper })
}

/// The result the committee's decision froze for a person, when the cycle is decided (§17.15).
async fn decided_result(conn: &mut sqlx::PgConnection, cycle_id: i64, person_id: i64) -> AppResult<Option<ResultRow>> {
    if crate::db::decisions::find(conn, cycle_id).await?.is_none() {
        return Ok(None);
    }
    Ok(crate::db::decisions::results(conn, cycle_id, None).await?.into_iter().find(|r| r.person_id == person_id))
}

#[derive(Template)]
#[template(path = "assess/annual_score.html")]
pub struct AnnualScorePage {
    pub ctx: PageContext,
    pub cycle: CycleRow,
    /// The scheme of the person's group: shares, groups, rounding, bands.
    pub scheme: Scheme,
    /// The person as their department's ranking places them.
    pub row: AnnualRow,
    /// The 优秀 quota of the person's unit and its base.
    pub quota: usize,
    pub base: usize,
    pub decided: Option<ResultRow>,
    /// The committee's hard veto of the person, with its reason (§17.17).
    pub veto: Option<String>,
}

impl AnnualScorePage {
    /// The page of `person_id` in their unit; `None` when they are not in it.
    fn new(
        ctx: PageContext,
        cycle: CycleRow,
        scheme: Scheme,
        unit: Option<Unit<AnnualLine, AnnualGrade>>,
        person_id: i64,
        decided: Option<ResultRow>,
    ) -> Option<Self> {
        let unit = unit?;
        let (quota, base) = (unit.quota, unit.base);
        let row = unit.lines.into_iter().find(|l| l.person.person_id == person_id)?;
        Some(AnnualScorePage { ctx, cycle, scheme, row, quota, base, decided, veto: None })
    }

    pub fn num(&self, value: &Decimal) -> String {
        value.normalize().to_string()
    }

    pub fn opt(&self, value: &Option<Decimal>) -> String {
        value.map(|v| v.normalize().to_string()).unwrap_or_else(|| "—".into())
    }

    /// An annual grade's name under the person's set of names.
    pub fn grade_key(&self, grade: &Option<AnnualGrade>) -> &'static str {
        grade.map(|g| g.label_key(GradeNames::of(self.row.person.identity_type))).unwrap_or("assess-score-missing")
    }

    /// The frozen result's score and grade name, when the cycle is decided.
    pub fn decided_text(&self) -> Option<(String, &'static str)> {
        self.decided.as_ref().map(|r| (self.opt(&r.score), r.grade.label_key(r.identity_type)))
    }

    pub fn group_key(&self, kind: &RaterKind) -> &'static str {
        kind.label_key()
    }

    /// The part of the annual formula a year-end group counts in: anonymous
    /// groups in the democratic evaluation, named ones in the leaders'.
    pub fn part_key(&self, group: &GroupResult) -> &'static str {
        let anonymous = self.scheme.rater_group(group.kind).is_some_and(|g| g.anonymous);
        if anonymous { "assess-part-democratic" } else { "assess-part-leader" }
    }

    /// A term with no value: it leaves the formula, the others are rescaled.
    pub fn missing(&self, term: &AnnualTerm) -> bool {
        term.value.is_none()
    }

    /// The rounding the total takes, e.g. "四舍五入 · 保留 2 位小数".
    pub fn rounding(&self) -> String {
        let r = &self.scheme.rounding;
        format!("{} · {}", self.ctx.t(r.rule.label_key()), self.ctx.t_count("annual-score-places", r.places as i64))
    }

    /// The person's registration form, when the reader may print it (docs/DOMAIN.md §20.5).
    pub fn form_href(&self) -> Option<String> {
        let person = &self.row.person;
        super::forms::may_print_form(&self.ctx, person.person_id, person.department_id)
            .then(|| format!("/assess/cycles/{}/people/{}/form", self.cycle.id, person.person_id))
    }

    /// The link to a quarter's breakdown of the person.
    pub fn quarter_href(&self, cycle_id: &i64) -> String {
        format!("/assess/cycles/{cycle_id}/people/{}", self.row.person.person_id)
    }
}

#[derive(Template)]
#[template(path = "assess/annual_scores.html")]
pub struct AnnualScoresPage {
    pub ctx: PageContext,
    pub cycle: CycleRow,
    pub units: Vec<Unit<AnnualLine, AnnualGrade>>,
    pub can_decide: bool,
    pub calibration: CalibrationPart,
    pub committee: CommitteePart,
}

impl AnnualScoresPage {
    pub fn xlsx_href(&self) -> String {
        format!("/assess/cycles/{}/scores.xlsx", self.cycle.id)
    }

    /// The people of a unit, for the calibration form.
    pub fn people<'a>(&self, unit: &'a Unit<AnnualLine, AnnualGrade>) -> Vec<&'a ParticipantRow> {
        unit.lines.iter().map(|r| &r.person).collect()
    }

    pub fn grade_key(&self, row: &AnnualRow, grade: &Option<AnnualGrade>) -> &'static str {
        grade.map(|g| g.label_key(GradeNames::of(row.person.identity_type))).unwrap_or("assess-score-missing")
    }

    pub fn total(&self, row: &AnnualRow) -> String {
        row.value.score.as_ref().map(|s| s.total.normalize().to_string()).unwrap_or_else(|| "—".into())
    }

    pub fn quarters(&self, row: &AnnualRow) -> String {
        let names: Vec<String> = row.value.quarter_grades.iter().map(|g| self.ctx.t(g.label_key())).collect();
        if names.is_empty() { "—".into() } else { names.join(" ") }
    }

    /// How the unit's computed grades fall against its 优秀 quota; a grade
    /// is named in each set of names the unit's people have ("称职/合格").
    pub fn distribution(&self, unit: &Unit<AnnualLine, AnnualGrade>, index: &usize) -> DistributionView {
        let counts = distribution(&AnnualGrade::ALL, unit.lines.iter().map(|l| l.grade), unit.quota);
        let mut names: Vec<GradeNames> = unit.lines.iter().map(|l| GradeNames::of(l.person.identity_type)).collect();
        names.sort_by_key(|n| *n != GradeNames::CivilServant);
        names.dedup();
        if names.is_empty() {
            names.push(GradeNames::CivilServant);
        }
        DistributionView::new(&self.ctx, *index, &counts, |g| {
            let mut labels: Vec<String> = names.iter().map(|n| self.ctx.t(g.label_key(*n))).collect();
            labels.dedup();
            labels.join("/")
        })
    }
}

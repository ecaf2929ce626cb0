//! Self-summaries (个人总结) and duty reports (述职报告), docs/DOMAIN.md §17.11:
//! "my assessment" (the cycles in assessment a person takes part in), the
//! summary form beside the person's verified results, the overview of a
//! department's summaries, and accepting or returning one.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::calendar;
use crate::db::summaries::{self, CycleFacts, OverviewRow, ReferenceRow, SummaryData, SummaryRow, settings_of};
use crate::domain::assessment::Scheme;
use crate::domain::assessment::summary::{self as rules, SummaryError, SummaryKind, SummaryStatus, SummaryStep};
use crate::domain::plan::{CycleStage, TargetKind, target_completion};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::workflow::notices;

/// Longest reason of a return, in characters.
const REASON_MAX_CHARS: usize = 500;

/// The longest summary of a cycle's year: the scheme's limit (the shipped
/// scheme's until schemes are stored).
fn max_chars(period_end: NaiveDate) -> u32 {
    Scheme::default_staff(period_end.year()).summary_max_chars
}

/// The day a cycle's summaries are due, from the calendar between its period
/// end and its assessment's planned end.
async fn due_date(
    conn: &mut PgConnection,
    period_end: NaiveDate,
    assessment_until: NaiveDate,
    settings: Option<serde_json::Value>,
) -> AppResult<NaiveDate> {
    let calendar = calendar::load(conn, period_end, assessment_until).await?;
    Ok(rules::due_date(period_end, assessment_until, &settings_of(settings), &calendar))
}

/// A cycle of "my assessment" with its due date and lateness.
pub struct MyCycle {
    pub row: summaries::MyCycleRow,
    pub due: NaiveDate,
    pub late: bool,
}

#[derive(Template)]
#[template(path = "assess/my.html")]
pub struct MyAssessmentPage {
    pub ctx: PageContext,
    pub cycles: Vec<MyCycle>,
}

/// The cycles in assessment the person takes part in. Any signed-in person; their own only.
pub async fn my_assessment(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let today = state.clock.today();
    let mut cycles = Vec::new();
    for row in summaries::my_cycles(&mut conn, user.id()).await? {
        let due = due_date(&mut conn, row.period_end, row.assessment_until, row.settings.clone()).await?;
        let first = row.first_submitted_at.map(crate::clock::office_date);
        let late = rules::is_late(row.status, first, due, today);
        cycles.push(MyCycle { row, due, late });
    }
    render(&MyAssessmentPage { ctx, cycles })
}

/// A verified result beside the summary, with its completion.
pub struct Reference {
    pub row: ReferenceRow,
    pub completion: Option<rust_decimal::Decimal>,
}

fn references(rows: Vec<ReferenceRow>, cap_percent: i32) -> Vec<Reference> {
    rows.into_iter()
        .map(|row| {
            let completion =
                target_completion(row.kind, row.verified_value, row.target_value, row.direction, cap_percent);
            Reference { row, completion }
        })
        .collect()
}

/// The summary form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SummaryForm {
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub version: String,
    /// `save` (a draft) or `submit`.
    #[serde(default)]
    pub action: String,
}

#[derive(Template)]
#[template(path = "assess/summary_form.html")]
pub struct SummaryFormPage {
    pub ctx: PageContext,
    pub cycle: CycleFacts,
    pub summary: Option<SummaryRow>,
    pub kind: SummaryKind,
    pub form: SummaryForm,
    pub errors: FormErrors,
    pub conflict: bool,
    pub references: Vec<Reference>,
    pub due: NaiveDate,
    pub late: bool,
    pub max_chars: u32,
}

impl SummaryFormPage {
    /// Whether the author may still write: the cycle in assessment, the summary not handed in.
    pub fn editable(&self) -> bool {
        self.in_assessment() && self.summary.as_ref().is_none_or(|s| s.status.is_open())
    }

    /// The form shows while the author may write, and after a refusal, so
    /// the text as typed is never lost.
    pub fn shows_form(&self) -> bool {
        self.editable() || self.conflict || !self.errors.is_empty()
    }

    pub fn in_assessment(&self) -> bool {
        self.cycle.stage == CycleStage::Assessment
    }

    pub fn is_returned(&self) -> bool {
        self.summary.as_ref().is_some_and(|s| s.status == SummaryStatus::Returned)
    }

    pub fn max_chars_count(&self) -> i64 {
        self.max_chars.into()
    }

    pub fn is_qualitative(&self, r: &Reference) -> bool {
        r.row.kind == TargetKind::Qualitative
    }
}

/// Everything the form page shows besides the form.
async fn form_page(
    conn: &mut PgConnection,
    user: &CurrentUser,
    ctx: PageContext,
    today: NaiveDate,
    cycle: CycleFacts,
    form: Option<SummaryForm>,
) -> AppResult<SummaryFormPage> {
    let summary = match summaries::find_own(conn, cycle.cycle_id, user.id()).await? {
        Some(id) => summaries::find(conn, id).await?,
        None => None,
    };
    let settings = settings_of(cycle.settings.clone());
    let rows = summaries::reference_targets(conn, user.id(), cycle.period_start, cycle.period_end).await?;
    let due = due_date(conn, cycle.period_end, cycle.assessment_until, cycle.settings.clone()).await?;
    let first = summary.as_ref().and_then(|s| s.first_submitted_at).map(crate::clock::office_date);
    let late = rules::is_late(summary.as_ref().map(|s| s.status), first, due, today);
    let form = form.unwrap_or_else(|| SummaryForm {
        body: summary.as_ref().map(|s| s.body.clone()).unwrap_or_default(),
        version: summary.as_ref().map(|s| s.version).unwrap_or(0).to_string(),
        action: String::new(),
    });
    let kind = summary.as_ref().map(|s| s.kind).unwrap_or_else(|| rules::kind_for(user.grants(), cycle.department_id));
    Ok(SummaryFormPage {
        ctx,
        max_chars: max_chars(cycle.period_end),
        cycle,
        summary,
        kind,
        form,
        errors: FormErrors::default(),
        conflict: false,
        references: references(rows, settings.completion_cap_percent),
        due,
        late,
    })
}

/// The person's summary of a cycle they take part in, beside their verified results.
pub async fn summary_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(cycle_id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let cycle = summaries::cycle_facts(&mut conn, cycle_id, user.id()).await?.ok_or(AppError::NotFound)?;
    policy::require_participant(cycle.participant)?;
    render(&form_page(&mut conn, &user, ctx, state.clock.today(), cycle, None).await?)
}

/// Saves a draft or submits the summary: 422 with the text kept when the
/// step or the text is refused, 409 when it changed in another tab.
pub async fn save_summary(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(cycle_id): Path<i64>,
    CsrfForm(form): CsrfForm<SummaryForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let cycle = summaries::cycle_facts(&mut tx, cycle_id, user.id()).await?.ok_or(AppError::NotFound)?;
    policy::require_participant(cycle.participant)?;
    let today = state.clock.today();
    let existing = summaries::find_own(&mut tx, cycle_id, user.id()).await?;
    let current = match existing {
        Some(id) => summaries::lock(&mut tx, id).await?.and(summaries::find(&mut tx, id).await?),
        None => None,
    };
    let step = if form.action == "submit" { SummaryStep::Submit } else { SummaryStep::SaveDraft };
    let checked = rules::transition(current.as_ref().map(|s| s.status), step, cycle.stage)
        .and_then(|status| rules::check_text(&form.body, step, max_chars(cycle.period_end)).map(|body| (status, body)));
    let version: i32 = form.version.trim().parse().unwrap_or(-1);
    let (status, body) = match checked {
        Ok(ok) => ok,
        Err(error) => {
            let mut page = form_page(&mut tx, &user, ctx, today, cycle, Some(form)).await?;
            page.errors.add_message("body", error.label_key());
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let saved = match &current {
        Some(s) => (s.version == version
            && summaries::update_text(&mut tx, s.id, version, status, &body, state.clock.now()).await?)
            .then_some(s.id),
        None if version == 0 => {
            let kind = rules::kind_for(user.grants(), cycle.department_id);
            let data =
                SummaryData { cycle_id, person_id: user.id(), department_id: cycle.department_id, kind, status, body };
            summaries::create(&mut tx, &data, state.clock.now()).await?
        }
        None => None,
    };
    let Some(id) = saved else {
        let mut page = form_page(&mut tx, &user, ctx, today, cycle, Some(form)).await?;
        page.conflict = true;
        return render_with(StatusCode::CONFLICT, &page);
    };
    if status == SummaryStatus::Submitted {
        notices::summary_resubmitted(&mut tx, id).await?;
    }
    let action = if status == SummaryStatus::Submitted { "summary.submitted" } else { "summary.saved" };
    audit::record(&mut tx, &user.audit, AuditEvent::new(action, "self_summary", id, json!({ "cycle": cycle_id })))
        .await?;
    tx.commit().await?;
    let key = if status == SummaryStatus::Submitted { "summary-submitted" } else { "summary-saved" };
    Flash::success(key).set(&session).await?;
    Ok(Redirect::to(&format!("/assess/cycles/{cycle_id}/summary")).into_response())
}

/// A participant's line in the overview, with due date and lateness.
pub struct OverviewLine {
    pub row: OverviewRow,
    pub due: NaiveDate,
    pub late: bool,
    pub decides: bool,
    /// The rater tasks about the person: done, of how many.
    pub ballots: (i64, i64),
}

#[derive(Template)]
#[template(path = "assess/summaries.html")]
pub struct OverviewPage {
    pub ctx: PageContext,
    pub lines: Vec<OverviewLine>,
    /// The reader may open the cycles' rankings.
    pub reads_scores: bool,
}

impl OverviewLine {
    /// Submitted and for this reader to decide.
    pub fn awaits_decision(&self) -> bool {
        self.decides && self.row.status == Some(SummaryStatus::Submitted)
    }
}

impl OverviewPage {
    /// Whether the line starts a new cycle (the table groups by cycle).
    pub fn starts_cycle(&self, index: usize) -> bool {
        index == 0 || self.lines[index - 1].row.cycle_id != self.lines[index].row.cycle_id
    }
}

/// The department assessment overview: each participant of the departments
/// in scope, per cycle in assessment — their summary's status, late or not,
/// a link to open it, and the rater tasks about them done — with a link to
/// the cycle's ranking for those who read it.
pub async fn overview(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let scope = policy::require_summary_overview(user.grants())?;
    let mut conn = state.pool.acquire().await?;
    let today = state.clock.today();
    let rows = summaries::overview(&mut conn, scope.as_deref()).await?;
    let progress = crate::db::ballots::progress_about(&mut conn).await?;
    let mut lines = Vec::with_capacity(rows.len());
    let mut due_of: Vec<(i64, NaiveDate)> = Vec::new();
    for row in rows {
        let due = match due_of.iter().find(|(c, _)| *c == row.cycle_id) {
            Some((_, due)) => *due,
            None => {
                let due = due_date(&mut conn, row.period_end, row.assessment_until, row.settings.clone()).await?;
                due_of.push((row.cycle_id, due));
                due
            }
        };
        let first = row.first_submitted_at.map(crate::clock::office_date);
        let late = rules::is_late(row.status, first, due, today);
        let decides = rules::may_decide(user.id(), user.grants(), row.person_id, row.department_id, row.kind);
        let ballots = progress
            .iter()
            .find(|(cycle, person, _, _)| *cycle == row.cycle_id && *person == row.person_id)
            .map_or((0, 0), |(_, _, done, total)| (*done, *total));
        lines.push(OverviewLine { row, due, late, decides, ballots });
    }
    let reads_scores = policy::score_reader_scope(user.grants()).is_some();
    render(&OverviewPage { ctx, lines, reads_scores })
}

/// The decision form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecideForm {
    /// `accept` or `return`.
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub version: String,
}

#[derive(Template)]
#[template(path = "assess/summary.html")]
pub struct SummaryPage {
    pub ctx: PageContext,
    pub summary: SummaryRow,
    pub references: Vec<Reference>,
    pub due: NaiveDate,
    pub late: bool,
    /// The person decides it now (their role, submitted, cycle in assessment).
    pub can_decide: bool,
    pub reason: String,
    pub errors: FormErrors,
    pub conflict: bool,
}

impl SummaryPage {
    pub fn is_qualitative(&self, r: &Reference) -> bool {
        r.row.kind == TargetKind::Qualitative
    }
}

async fn summary_page(
    conn: &mut PgConnection,
    user: &CurrentUser,
    ctx: PageContext,
    today: NaiveDate,
    summary: SummaryRow,
) -> AppResult<SummaryPage> {
    let settings = settings_of(summary.settings.clone());
    let rows = summaries::reference_targets(conn, summary.person_id, summary.period_start, summary.period_end).await?;
    let due = due_date(conn, summary.period_end, summary.assessment_until, summary.settings.clone()).await?;
    let first = summary.first_submitted_at.map(crate::clock::office_date);
    let late = rules::is_late(Some(summary.status), first, due, today);
    let can_decide = summary.status == SummaryStatus::Submitted
        && summary.stage == CycleStage::Assessment
        && rules::may_decide(user.id(), user.grants(), summary.person_id, summary.department_id, summary.kind);
    Ok(SummaryPage {
        ctx,
        references: references(rows, settings.completion_cap_percent),
        summary,
        due,
        late,
        can_decide,
        reason: String::new(),
        errors: FormErrors::default(),
        conflict: false,
    })
}

/// One summary: its author, the department's head and supervising leader,
/// and the office-wide readers.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let summary = summaries::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    policy::require_read_summary(user.id(), user.grants(), summary.person_id, summary.department_id)?;
    render(&summary_page(&mut conn, &user, ctx, state.clock.today(), summary).await?)
}

/// Accepts a submitted summary or returns it with a reason (422 without one,
/// the reason kept; 409 when it changed meanwhile).
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<DecideForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    summaries::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let summary = summaries::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    policy::require_decide_summary(user.id(), user.grants(), summary.person_id, summary.department_id, summary.kind)?;
    let today = state.clock.today();
    let step = match form.action.as_str() {
        "accept" => Some(SummaryStep::Accept),
        "return" => Some(SummaryStep::Return),
        _ => None,
    };
    let checked = step.ok_or(SummaryError::WrongStatus).and_then(|step| {
        let status = rules::transition(Some(summary.status), step, summary.stage)?;
        let reason = if step == SummaryStep::Return {
            rules::check_reason(&form.reason, REASON_MAX_CHARS)?
        } else {
            String::new()
        };
        Ok((status, reason))
    });
    let version: i32 = form.version.trim().parse().unwrap_or(-1);
    let (status, reason) = match checked {
        Ok(ok) if version == summary.version => ok,
        result => {
            // A refused step is shown beside the reason (422); a step that is
            // allowed on a summary that changed meanwhile is a conflict (409).
            let error = result.err();
            let mut page = summary_page(&mut tx, &user, ctx, today, summary).await?;
            page.reason = form.reason;
            page.conflict = error.is_none();
            if let Some(error) = error {
                page.errors.add_message("reason", error.label_key());
            }
            let code = if page.conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
            return render_with(code, &page);
        }
    };
    if !summaries::decide(&mut tx, id, version, status, user.id(), &reason, state.clock.now()).await? {
        let mut page = summary_page(&mut tx, &user, ctx, today, summary).await?;
        page.reason = form.reason;
        page.conflict = true;
        return render_with(StatusCode::CONFLICT, &page);
    }
    if status == SummaryStatus::Returned {
        notices::summary_returned(&mut tx, id, version + 1, summary.person_id, summary.cycle_id, &summary.cycle_name)
            .await?;
    }
    let action = if status == SummaryStatus::Accepted { "summary.accepted" } else { "summary.returned" };
    audit::record(
        &mut tx,
        &user.audit,
        AuditEvent::new(action, "self_summary", id, json!({ "cycle": summary.cycle_id })),
    )
    .await?;
    tx.commit().await?;
    let key = if status == SummaryStatus::Accepted { "summary-accepted" } else { "summary-returned" };
    Flash::success_named(key, summary.person_name).set(&session).await?;
    Ok(Redirect::to("/assess/summaries").into_response())
}

//! Assessment cycles: the cycle page, its checklist and the stage moves.

use super::*;
use crate::workflow::transfers;

/// The participants of one department (or of none).
pub struct ParticipantGroup {
    pub department: Option<String>,
    pub names: Vec<String>,
}

pub(super) fn group_by_department(participants: &[ParticipantRow]) -> Vec<ParticipantGroup> {
    let mut groups: Vec<ParticipantGroup> = Vec::new();
    for p in participants {
        match groups.last_mut() {
            Some(group) if group.department == p.department_name => group.names.push(p.full_name.clone()),
            _ => groups
                .push(ParticipantGroup { department: p.department_name.clone(), names: vec![p.full_name.clone()] }),
        }
    }
    groups
}

#[derive(Template)]
#[template(path = "plan/cycle.html")]
pub struct CyclePage {
    pub ctx: PageContext,
    pub cycle: CycleRow,
    pub participant_count: i64,
    pub groups: Vec<ParticipantGroup>,
    pub stages: &'static [CycleStage],
    pub checklist: Vec<ChecklistItem>,
    pub next: Option<CycleStage>,
    pub previous: Option<CycleStage>,
    pub history: Vec<HistoryRow>,
    /// The reason typed for a move back, kept after a conflict.
    pub reason: String,
    pub conflict: bool,
    /// Years the cycle's dates and deadlines run into that have no work-calendar entry.
    pub calendar_gaps: Vec<i32>,
    /// Whether the participants are frozen (the cycle has left planning), so
    /// the performance office adds and removes them one at a time.
    pub frozen: bool,
    /// The participants as they are, for the form that removes one.
    pub members: Vec<ParticipantRow>,
    /// Active staff not taking part, for the form that adds one.
    pub member_choices: Vec<StaffChoice>,
    /// The locale key of a refused addition or removal.
    pub member_error: Option<&'static str>,
    /// The annual cycle a quarterly cycle belongs to.
    pub annual: Option<AnnualChoice>,
    /// The quarterly cycles of an annual cycle.
    pub quarters: Vec<AnnualChoice>,
    /// Rater tasks of the cycle: (all, cast).
    pub rating_progress: (i64, i64),
    /// Ballots of the cycle: (all, entered from paper).
    pub ballot_counts: (i64, i64),
}

impl CyclePage {
    pub fn is_current(&self, stage: &CycleStage) -> bool {
        *stage == self.cycle.stage
    }

    pub fn is_done(&self, stage: &CycleStage) -> bool {
        let index = |s: CycleStage| CycleStage::ALL.iter().position(|x| *x == s);
        index(*stage) < index(self.cycle.stage)
    }

    pub fn stage_class(&self) -> &'static str {
        stage_class(self.cycle.stage)
    }

    /// A stage's name in the page's language.
    pub fn stage_name(&self, stage: &CycleStage) -> String {
        self.ctx.t(&stage.label_key())
    }

    /// The planned end of a stage (none for closed).
    pub fn until(&self, stage: &CycleStage) -> Option<NaiveDate> {
        match stage {
            CycleStage::Planning => Some(self.cycle.planning_until),
            CycleStage::Implementation => Some(self.cycle.implementation_until),
            CycleStage::Assessment => Some(self.cycle.assessment_until),
            CycleStage::Feedback => Some(self.cycle.feedback_until),
            CycleStage::Closed => None,
        }
    }

    /// The locale key of an audit action on a cycle.
    pub fn action_key(&self, action: &str) -> &'static str {
        match action {
            "cycle.created" => "cycle-history-created",
            "cycle.updated" => "cycle-history-updated",
            "cycle.stage_changed" => "cycle-history-stage-changed",
            "cycle.member_added" => "cycle-history-member-added",
            "cycle.member_removed" => "cycle-history-member-removed",
            "cycle.members_transferred" => "cycle-history-members-transferred",
            "ballot.paper_entered" => "cycle-history-paper-entered",
            "ballot.corrected" => "cycle-history-ballot-corrected",
            _ => "cycle-history-other",
        }
    }
}

pub(super) async fn cycle_page(
    conn: &mut PgConnection,
    ctx: PageContext,
    cycle: CycleRow,
    reason: String,
    conflict: bool,
) -> AppResult<CyclePage> {
    let participants = cycles::participants(conn, cycle.id).await?;
    let facts = cycles::checklist_facts(conn, cycle.id, &participants).await?;
    let history = cycles::history(conn, cycle.id).await?;
    // Deadlines reach past the period: the last report's and the stage dates (docs/DOMAIN.md §4.1).
    let last = cycle.feedback_until.max(cycle.period_end + chrono::Duration::days(60));
    let calendar_gaps =
        crate::db::calendar::years_without_entries(conn, cycle.period_start.year(), last.year()).await?;
    let frozen = cycles::participants_frozen(conn, cycle.id).await?;
    let member_choices = if frozen { cycles::member_choices(conn, cycle.id).await? } else { Vec::new() };
    let annual = match cycle.annual_cycle_id {
        Some(id) => cycles::annual_choices(conn).await?.into_iter().find(|c| c.id == id),
        None => None,
    };
    let quarters = cycles::quarters_of(conn, cycle.id).await?;
    let rating_progress = crate::db::ballots::progress(conn, cycle.id).await?;
    let ballot_counts = crate::db::ballots::ballot_counts(conn, cycle.id).await?;
    Ok(CyclePage {
        rating_progress,
        ballot_counts,
        annual,
        quarters,
        calendar_gaps,
        ctx,
        participant_count: participants.len() as i64,
        groups: group_by_department(&participants),
        stages: CycleStage::ALL,
        checklist: checklist(cycle.stage, &facts),
        next: cycle.stage.next(),
        previous: cycle.stage.previous(),
        history,
        reason,
        conflict,
        frozen,
        members: if frozen { participants } else { Vec::new() },
        member_choices,
        member_error: None,
        cycle,
    })
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ManageCycles)?;
    let mut conn = state.pool.acquire().await?;
    let cycle = cycles::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    render(&cycle_page(&mut conn, ctx, cycle, String::new(), false).await?)
}

/// A stage move: the stage to go to, the reason (required to go back), and
/// the version of the cycle the person saw.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StageForm {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub version: i32,
}

pub async fn move_stage(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StageForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageCycles)?;
    let back = format!("/cycles/{id}");
    let mut tx = state.pool.begin().await?;
    let cycle = cycles::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let reason = form.reason.trim().to_string();
    if form.version != cycle.version {
        return render_with(StatusCode::CONFLICT, &cycle_page(&mut tx, ctx, cycle, reason, true).await?);
    }
    let from = cycle.stage;
    let Some(to) = CycleStage::parse(&form.to) else {
        Flash::error("cycle-error-wrong-stage").set(&session).await?;
        return Ok(Redirect::to(&back).into_response());
    };
    if let Err(err) = stage_move(from, to, &reason) {
        let key = if err == WorkflowError::ReasonRequired {
            "cycle-error-reason-required"
        } else {
            "cycle-error-wrong-stage"
        };
        Flash::error(key).set(&session).await?;
        return Ok(Redirect::to(&back).into_response());
    }
    if !cycles::set_stage(&mut tx, id, form.version, from, to).await? {
        return render_with(StatusCode::CONFLICT, &cycle_page(&mut tx, ctx, cycle, reason, true).await?);
    }
    // Who takes part is fixed as the cycle leaves planning, in the same transaction.
    if from == CycleStage::Planning {
        cycles::freeze_participants(&mut tx, id).await?;
    } else if to == CycleStage::Planning {
        cycles::unfreeze_participants(&mut tx, id).await?;
    }
    // A cycle entering assessment keeps the scheme versions of this moment
    // (docs/DOMAIN.md §17.10): later edits save new versions.
    if to == CycleStage::Assessment {
        crate::db::assessment_schemes::freeze_for_cycle(&mut tx, id, cycle.period_start.year()).await?;
        // A participant transferred during the period is assessed by the department they end it in (§2.7).
        transfers::assess_in_end_department(&mut tx, &user.audit, &cycle, state.clock.today()).await?;
    }
    let summary = json!({ "from": from.code(), "to": to.code(), "reason": reason });
    audit::record(&mut tx, &user.audit, AuditEvent::new("cycle.stage_changed", "cycle", id, summary)).await?;
    tx.commit().await?;
    Flash::success_named("cycle-stage-moved", ctx.t(&to.label_key())).set(&session).await?;
    Ok(Redirect::to(&back).into_response())
}

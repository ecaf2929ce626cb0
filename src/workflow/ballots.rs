//! Paper ballots of a democratic evaluation meeting and corrections of ballots
//! by the performance office (docs/DOMAIN.md §17.12): who may still vote at a
//! department's meeting, storing a checked batch, and the scheme a ballot
//! follows.

use std::collections::HashMap;

use chrono::Datelike;
use serde_json::{Map, Value, json};
use sqlx::PgConnection;

use crate::db::assessment_schemes;
use crate::db::ballots::{self, DemocraticTaskRow};
use crate::db::cycles::CycleRow;
use crate::domain::assessment::paper::{PaperBatch, PaperRatee};
use crate::domain::assessment::raters::{kind_code, level_code};
use crate::domain::assessment::{GroupBallots, GroupSummary, Level, RaterKind, Scheme, TargetGroup, group_summary};
use crate::error::AppResult;
use crate::workflow::assessment::{cycle_schemes, group_ballots};

/// A person rated at a department's meeting.
#[derive(Debug, Clone)]
pub struct MeetingRatee {
    pub person_id: i64,
    pub full_name: String,
    /// Rated as the department's head (述职), under the heads' scheme.
    pub is_head: bool,
    /// The raters whose democratic task for them is not done.
    pub pending_raters: Vec<i64>,
}

/// A department's democratic evaluation in a cycle: the people rated (those
/// with democratic tasks) and the raters who may still vote on paper.
#[derive(Debug, Clone, Default)]
pub struct PaperMeeting {
    pub ratees: Vec<MeetingRatee>,
    /// (rater, name): raters with a task not yet done, by name.
    pub raters: Vec<(i64, String)>,
}

impl PaperMeeting {
    /// Groups the department's democratic tasks (as `ballots::democratic_tasks` orders them).
    pub fn from_tasks(tasks: Vec<DemocraticTaskRow>) -> PaperMeeting {
        let mut meeting = PaperMeeting::default();
        for task in tasks {
            if meeting.ratees.last().is_none_or(|r| r.person_id != task.ratee_id) {
                meeting.ratees.push(MeetingRatee {
                    person_id: task.ratee_id,
                    full_name: task.ratee_name.clone(),
                    is_head: task.ratee_is_head,
                    pending_raters: Vec::new(),
                });
            }
            if !task.done {
                meeting.ratees.last_mut().expect("pushed above").pending_raters.push(task.rater_id);
                if !meeting.raters.iter().any(|(id, _)| *id == task.rater_id) {
                    meeting.raters.push((task.rater_id, task.rater_name));
                }
            }
        }
        meeting.raters.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        meeting
    }

    /// The people and raters as the batch check sees them.
    pub fn choices(&self) -> Vec<PaperRatee> {
        self.ratees
            .iter()
            .map(|r| PaperRatee { person_id: r.person_id, pending_raters: r.pending_raters.clone() })
            .collect()
    }
}

/// A department's meeting in the cycle, its tasks locked for the caller's transaction.
pub async fn paper_meeting(conn: &mut PgConnection, cycle_id: i64, department_id: i64) -> AppResult<PaperMeeting> {
    Ok(PaperMeeting::from_tasks(ballots::democratic_tasks(conn, cycle_id, department_id).await?))
}

/// The levels of one ballot giving `level` for every ballot criterion of the scheme.
pub fn uniform_levels(scheme: &Scheme, level: Level) -> Value {
    let levels: Map<String, Value> =
        scheme.ballot_criteria().map(|c| (c.key.clone(), json!(level_code(level)))).collect();
    Value::Object(levels)
}

/// Stores a checked batch: the attendees' tasks about the meeting's people
/// turn done, and each count becomes that many paper ballots giving its level
/// for every ballot criterion of the person's scheme. The number of ballots stored.
pub async fn enter_paper_batch(
    conn: &mut PgConnection,
    cycle: &CycleRow,
    meeting: &PaperMeeting,
    batch: &PaperBatch,
) -> AppResult<u64> {
    let (staff, heads) = cycle_schemes(conn, cycle.id, cycle.period_start.year()).await?;
    let ballots: Vec<(i64, Value, i32)> = batch
        .counts
        .iter()
        .map(|(ratee, level, count)| {
            let is_head = meeting.ratees.iter().any(|r| r.person_id == *ratee && r.is_head);
            let scheme = if is_head { &heads } else { &staff };
            (*ratee, uniform_levels(scheme, *level), i32::try_from(*count).unwrap_or(i32::MAX))
        })
        .collect();
    let ratees: Vec<i64> = meeting.ratees.iter().map(|r| r.person_id).collect();
    Ok(ballots::enter_paper(conn, cycle.id, &batch.attendees, &ratees, &ballots).await?)
}

/// The scheme the ballots about a person in the cycle follow: the heads' when
/// they are rated as a department head, else the staff scheme.
pub async fn scheme_for_ratee(conn: &mut PgConnection, cycle: &CycleRow, ratee_id: i64) -> AppResult<Scheme> {
    let group = if ballots::rated_as_head(conn, cycle.id, ratee_id).await? {
        TargetGroup::DepartmentHeads
    } else {
        TargetGroup::Staff
    };
    Ok(assessment_schemes::for_cycle(conn, cycle.id, cycle.period_start.year(), group).await?)
}

/// Each participant's democratic evaluation (民主测评) in the cycle in
/// aggregate, under the scheme of their group as their score takes it
/// (docs/DOMAIN.md §17.5, §20.4): read from the ballots' levels alone, which
/// name no rater. A participant whose stored ballots no longer fit the
/// scheme has no summary.
pub async fn democratic_summaries(conn: &mut PgConnection, cycle: &CycleRow) -> AppResult<HashMap<i64, GroupSummary>> {
    let participants = ballots::participants(conn, cycle.id, None).await?;
    let (staff, heads) = cycle_schemes(conn, cycle.id, cycle.period_start.year()).await?;
    let code = kind_code(RaterKind::Democratic);
    let mut stored: HashMap<i64, Vec<(String, Value)>> = HashMap::new();
    for (ratee, levels) in ballots::group_levels(conn, cycle.id, code).await? {
        stored.entry(ratee).or_default().push((code.to_string(), levels));
    }
    Ok(participants
        .into_iter()
        .filter_map(|p| {
            let scheme = if p.heads_department { &heads } else { &staff };
            let group = group_ballots(stored.remove(&p.person_id).unwrap_or_default())
                .pop()
                .unwrap_or_else(|| GroupBallots { kind: RaterKind::Democratic, ballots: Vec::new() });
            group_summary(scheme, &group).ok().map(|summary| (p.person_id, summary))
        })
        .collect())
}

//! Assessments the demo office has already decided (`data/decided.toml`):
//! last year's routine quarters and annual cycle, each with its rater tasks
//! generated and every ballot cast, then decided by the assessment committee
//! through the same workflow as the decide button, so the feedback stage has
//! final results to work on (docs/DOMAIN.md §17.15).

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::Plan;
use super::assess::QuarterCycleSpec;
use super::data::{self, DemoData};
use super::targets::{OfficeIds, at};
use crate::db::cycles;
use crate::db::{ballots, decisions, demo as sql};
use crate::domain::assessment::Level;
use crate::domain::assessment::raters::{self, Task};
use crate::domain::monitor::{ProgressState, ReportStatus};
use crate::domain::plan::{CycleStage, Direction};
use crate::workflow::assessment;

/// `data/decided.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DecidedFile {
    #[serde(default)]
    quarter: Vec<QuarterCycleSpec>,
    annual: AnnualSpec,
    year_end: YearEndSpec,
    ballots: LevelsSpec,
    objection: Option<ObjectionSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnnualSpec {
    name: String,
    #[serde(deserialize_with = "data::date")]
    decided: NaiveDate,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct YearEndSpec {
    #[serde(deserialize_with = "data::date")]
    period_start: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    period_end: NaiveDate,
    short_percent: u64,
    short_by: u32,
    #[serde(deserialize_with = "data::date")]
    sent: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    verified: NaiveDate,
    narrative: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelsSpec {
    levels: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ObjectionSpec {
    #[serde(deserialize_with = "data::date")]
    raised: NaiveDate,
    body: String,
    #[serde(deserialize_with = "data::date")]
    answered: NaiveDate,
    answer: String,
}

/// What the loader needs: the file, the committee member who decides, the
/// performance office member who verifies, and the ballot levels resolved.
#[derive(Debug, Clone)]
pub(super) struct DecidedPlan {
    file: &'static DecidedFile,
    decided_by: usize,
    verified_by: usize,
    levels: Vec<Level>,
}

impl DecidedPlan {
    pub(super) fn summary_line(&self) -> String {
        format!("decided: {} quarters and {}", self.file.quarter.len(), self.file.annual.name)
    }
}

pub(super) fn plan(office: &Plan, data: &'static DemoData) -> anyhow::Result<DecidedPlan> {
    let file = &data.decided;
    let decided_by = office.people.iter().position(|p| p.username == "committee");
    let decided_by = decided_by.ok_or_else(|| anyhow::anyhow!("demo data: no person committee"))?;
    let verified_by = office.people.iter().position(|p| p.username == "perf");
    let verified_by = verified_by.ok_or_else(|| anyhow::anyhow!("demo data: no person perf"))?;
    let levels: Vec<Level> = file
        .ballots
        .levels
        .iter()
        .map(|code| Level::ALL.into_iter().find(|l| raters::level_code(*l) == code))
        .collect::<Option<_>>()
        .ok_or_else(|| anyhow::anyhow!("demo data: a ballot level is not one of excellent, good, fair, poor"))?;
    if levels.is_empty() {
        anyhow::bail!("demo data: decided.toml names no ballot level");
    }
    let annual = data.cycles.iter().find(|c| c.name == file.annual.name);
    let annual = annual.ok_or_else(|| anyhow::anyhow!("demo data: no cycle {}", file.annual.name))?;
    for q in &file.quarter {
        let inside = annual.period_start <= q.period_start && q.period_end <= annual.period_end;
        let decided = q.decided.ok_or_else(|| anyhow::anyhow!("demo data: {} needs its decided day", q.name))?;
        if !inside || decided <= q.period_end || file.annual.decided < decided {
            anyhow::bail!(
                "demo data: {} must lie in {} and be decided after it ends, before the year",
                q.name,
                annual.name
            );
        }
    }
    if let Some(o) = &file.objection
        && !(file.annual.decided <= o.raised && o.raised <= o.answered)
    {
        anyhow::bail!("demo data: the objection must be raised after the decision and answered after that");
    }
    let y = &file.year_end;
    if y.short_percent > 100 || y.short_by >= 100 || y.sent <= y.period_end || y.verified < y.sent {
        anyhow::bail!("demo data: year_end needs percents under 100 and the verification after the report");
    }
    Ok(DecidedPlan { file, decided_by, verified_by, levels })
}

/// The level of a ballot: mostly the person's, a little the rater's in that cycle.
fn level_of(levels: &[Level], task: &Task, cycle_id: i64) -> Level {
    let person = (task.ratee as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
    let rater = ((task.rater ^ cycle_id.rotate_left(11)) as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F) >> 32;
    levels[((person % levels.len() as u64) + rater % 2) as usize % levels.len()]
}

/// Generates a cycle's rater tasks as the performance office would and casts every one.
async fn cast_all(conn: &mut sqlx::PgConnection, cycle_id: i64, year: i32, levels: &[Level]) -> anyhow::Result<usize> {
    let (participants, people) = ballots::rater_inputs(conn, cycle_id).await?;
    let (staff, heads) = assessment::cycle_schemes(conn, cycle_id, year).await?;
    let tasks = raters::tasks(&participants, &people, &staff, &heads);
    ballots::add_tasks(conn, cycle_id, &tasks).await?;
    for task in &tasks {
        let scheme = if task.ratee_is_head { &heads } else { &staff };
        let level = raters::level_code(level_of(levels, task, cycle_id));
        let ballot: serde_json::Map<String, serde_json::Value> =
            scheme.ballot_criteria().map(|c| (c.key.clone(), serde_json::json!(level))).collect();
        sql::cast_ballot(conn, cycle_id, task, &serde_json::Value::Object(ballot)).await?;
    }
    Ok(tasks.len())
}

/// Decides a cycle as the committee did on `day`.
async fn decide(conn: &mut sqlx::PgConnection, cycle_id: i64, by: i64, day: NaiveDate) -> anyhow::Result<usize> {
    let cycle = cycles::find(conn, cycle_id).await?.ok_or_else(|| anyhow::anyhow!("demo: cycle {cycle_id} gone"))?;
    let decided = assessment::decide(conn, &cycle, by, at(day, 9 * 60), day).await?;
    let (results, _) = decided.ok_or_else(|| anyhow::anyhow!("demo: {} decided twice", cycle.name))?;
    Ok(results)
}

/// Writes the quarters, assesses and decides them and then the annual cycle;
/// the counts for the `demo.loaded` audit row.
pub(super) async fn write(
    conn: &mut sqlx::PgConnection,
    plan: &DecidedPlan,
    ids: &OfficeIds<'_>,
) -> anyhow::Result<serde_json::Value> {
    let file = plan.file;
    let by = ids.people[plan.decided_by];
    let annual = cycles::annual_choices(conn).await?.into_iter().find(|c| c.name == file.annual.name);
    let annual = annual.ok_or_else(|| anyhow::anyhow!("demo: no cycle {}", file.annual.name))?;
    let year = annual.period_start.year();
    let reports = year_end_reports(conn, plan, annual.id, ids.people[plan.verified_by]).await?;
    let mut ballots = 0;
    let mut results = 0;
    for q in &file.quarter {
        let decided = q.decided.ok_or_else(|| anyhow::anyhow!("demo data: {} has no decided day", q.name))?;
        let id = sql::insert_cycle(conn, &q.data(Some(annual.id)), CycleStage::Assessment, at(q.opened, 30)).await?;
        cycles::freeze_participants(conn, id).await?;
        crate::db::assessment_schemes::freeze_for_cycle(conn, id, year).await?;
        ballots += cast_all(conn, id, year, &plan.levels).await?;
        results += decide(conn, id, by, decided).await?;
        let version = cycles::find(conn, id).await?.map_or(0, |c| c.version);
        cycles::set_stage(conn, id, version, CycleStage::Assessment, CycleStage::Closed).await?;
    }
    ballots += cast_all(conn, annual.id, year, &plan.levels).await?;
    results += decide(conn, annual.id, by, file.annual.decided).await?;
    let objections = match &file.objection {
        Some(o) => object(conn, annual.id, by, o).await?,
        None => 0,
    };
    Ok(serde_json::json!({
        "year_end_reports": reports, "quarters": file.quarter.len(), "ballots": ballots, "results": results, "objections": objections,
    }))
}

/// The objection of the file about the first person graded 优秀, raised by
/// someone of another department and dismissed by the committee.
async fn object(conn: &mut sqlx::PgConnection, cycle_id: i64, by: i64, spec: &ObjectionSpec) -> anyhow::Result<usize> {
    let results = decisions::results(conn, cycle_id, None).await?;
    let Some(top) = results.iter().find(|r| r.grade.is_top()) else { return Ok(0) };
    let raiser = results.iter().find(|r| r.department_name != top.department_name && r.person_id != by);
    let Some(raiser) = raiser else { return Ok(0) };
    let id =
        decisions::raise(conn, cycle_id, top.person_id, raiser.person_id, at(spec.raised, 10 * 60), spec.body.trim())
            .await?;
    decisions::answer(conn, id, false, spec.answer.trim(), by, at(spec.answered, 15 * 60)).await?;
    Ok(1)
}

/// Each quantitative staff and department target's year-end report, sent by
/// its owner and verified: most reached their value, the file's share fell
/// short (a repeatable pick); the number written.
async fn year_end_reports(
    conn: &mut sqlx::PgConnection,
    plan: &DecidedPlan,
    cycle_id: i64,
    verified_by: i64,
) -> anyhow::Result<usize> {
    let spec = &plan.file.year_end;
    let targets = sql::year_end_targets(conn, cycle_id).await?;
    let ids = sql::next_ids(conn, "progress_report", targets.len()).await?;
    let reports: Vec<sql::DemoReport> = targets
        .iter()
        .zip(ids)
        .filter_map(|(t, id)| {
            let value = t.target_value?;
            let short = ((t.id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) % 100 < spec.short_percent;
            let off = value * Decimal::from(spec.short_by) / Decimal::from(100);
            let reached = match (short, t.direction) {
                (false, _) => value,
                (true, Direction::HigherBetter) => value - off,
                (true, Direction::LowerBetter) => value + off,
            };
            Some(sql::DemoReport {
                id,
                target_id: t.id,
                period_start: spec.period_start,
                period_end: spec.period_end,
                reported_value: Some(reached.round_dp(2)),
                state: if short { ProgressState::Behind } else { ProgressState::Done },
                narrative: spec.narrative.trim().to_string(),
                problems: String::new(),
                next_steps: String::new(),
                status: ReportStatus::Verified,
                submitted_by: t.owner_id,
                acting_for: None,
                submitted_at: at(spec.sent, 120),
                audited_value: Some(reached.round_dp(2)),
                verify_comment: String::new(),
                return_reason: String::new(),
                decided_by: Some(verified_by),
                decided_at: Some(at(spec.verified, 180)),
                corrects_id: None,
                version: 2,
            })
        })
        .collect();
    sql::insert_reports(conn, &reports).await?;
    Ok(reports.len())
}

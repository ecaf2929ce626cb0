//! Stage 3 of the demo office: discipline inspection's records
//! (`data/discipline.toml`), entered by the demo's discipline inspection
//! account, and the criteria schemes (`data/schemes.toml`), stored by the
//! performance office. Periods left open in the file run for the measure's
//! statutory period from the year's default settings, as the form would set
//! them. And the 2026 third-quarter routine cycle in assessment with its
//! self-summaries (`data/summaries.toml`), written through the same steps
//! the pages take.

use anyhow::bail;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::Plan;
use super::data::{self, DemoData};
use super::targets::{OfficeIds, at};
use crate::db::assessment_schemes as schemes;
use crate::db::cycles::CycleData;
use crate::db::demo as sql;
use crate::db::summaries::{self, SummaryData};
use crate::domain::assessment::raters;
use crate::domain::assessment::summary::{SummaryKind, SummaryStatus, decider_role};
use crate::domain::assessment::{Level, Scheme, TargetGroup};
use crate::domain::discipline::{Measure, in_force_until};
use crate::domain::plan::{CycleKind, CycleStage, ReportFrequency};
use crate::domain::roles::Role;
use crate::domain::settings::Settings;

/// `data/summaries.toml`: the quarterly cycle in assessment and its summaries.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SummariesFile {
    cycle: QuarterCycleSpec,
    #[serde(default)]
    summary: Vec<SummarySpec>,
    ballots: Option<BallotsSpec>,
}

/// The ballots already cast in the quarterly cycle on the demo's day.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct BallotsSpec {
    /// The share (%) of the cycle's rater tasks done.
    cast_percent: u64,
    /// The level of every criterion of a ballot, taken in turn ballot by ballot.
    levels: Vec<String>,
}

/// A routine (平时) quarterly cycle as a data file states it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct QuarterCycleSpec {
    pub(super) name: String,
    #[serde(deserialize_with = "data::date")]
    pub(super) period_start: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    pub(super) period_end: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    planning_until: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    implementation_until: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    assessment_until: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    feedback_until: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    pub(super) opened: NaiveDate,
    /// The day the committee decided it, for a cycle already decided (`data/decided.toml`).
    #[serde(default, deserialize_with = "data::optional_date")]
    pub(super) decided: Option<NaiveDate>,
}

impl QuarterCycleSpec {
    /// The cycle to create: everyone takes part, reporting quarterly, in `annual`'s year.
    pub(super) fn data(&self, annual: Option<i64>) -> CycleData {
        CycleData {
            name: self.name.clone(),
            kind: CycleKind::Quarterly,
            period_start: self.period_start,
            period_end: self.period_end,
            planning_until: self.planning_until,
            implementation_until: self.implementation_until,
            assessment_until: self.assessment_until,
            feedback_until: self.feedback_until,
            report_frequency: ReportFrequency::Quarterly,
            all_participants: true,
            annual_cycle_id: annual,
            departments: Vec::new(),
            people: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SummarySpec {
    department: String,
    post: String,
    status: SummaryStatus,
    #[serde(default, deserialize_with = "data::optional_date")]
    submitted: Option<NaiveDate>,
    #[serde(default, deserialize_with = "data::optional_date")]
    decided: Option<NaiveDate>,
    #[serde(default)]
    reason: String,
    text: String,
}

/// A summary with its author, department, kind and decider resolved.
#[derive(Debug, Clone)]
struct SummaryPlan {
    person: usize,
    department: usize,
    kind: SummaryKind,
    decider: Option<usize>,
    spec: &'static SummarySpec,
}

/// One record as the data file states it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DisciplineSpec {
    department: String,
    post: String,
    measure: Measure,
    #[serde(deserialize_with = "data::date")]
    decided_on: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    from: NaiveDate,
    #[serde(default, deserialize_with = "data::optional_date")]
    to: Option<NaiveDate>,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    note: String,
}

/// Where a demo scheme comes from: only the shipped default for now.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum SchemeSource {
    Default,
}

/// One scheme as the data file states it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SchemeSpec {
    year: i32,
    target: TargetGroup,
    from: SchemeSource,
}

impl SchemeSpec {
    fn scheme(&self) -> Scheme {
        match (self.from, self.target) {
            (SchemeSource::Default, TargetGroup::Staff) => Scheme::default_staff(self.year),
            (SchemeSource::Default, TargetGroup::DepartmentHeads) => Scheme::default_heads(self.year),
        }
    }
}

#[derive(Debug, Clone)]
struct RecordPlan {
    person: usize,
    spec: &'static DisciplineSpec,
    to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct AssessPlan {
    records: Vec<RecordPlan>,
    recorded_by: usize,
    quarter: Option<&'static QuarterCycleSpec>,
    ballots: Option<&'static BallotsSpec>,
    summaries: Vec<SummaryPlan>,
    schemes: Vec<Scheme>,
    schemes_saved_by: usize,
}

impl AssessPlan {
    pub(super) fn summary_line(&self) -> String {
        format!(
            "assess: {} discipline records, {} criteria schemes, {} self-summaries",
            self.records.len(),
            self.schemes.len(),
            self.summaries.len()
        )
    }
}

/// Resolves each summary to its author (the post's A), kind and decider; the
/// file's statuses must carry the days and reason they need.
fn plan_summaries(office: &Plan, data: &'static DemoData) -> anyhow::Result<Vec<SummaryPlan>> {
    let mut plans = Vec::new();
    for spec in &data.summaries.summary {
        let department = office.department_index(&spec.department)?;
        let post = office.posts.iter().find(|p| p.department == department && p.title == spec.post);
        let post = post.ok_or_else(|| anyhow::anyhow!("demo data: no post {}", spec.post))?;
        let person = post.a_holder;
        let heads = office.people[person].grants.contains(&(Role::DepartmentHead, Some(department)));
        let kind = if heads { SummaryKind::DutyReport } else { SummaryKind::Personal };
        let role = decider_role(kind);
        let decider = office.people.iter().rposition(|p| p.grants.contains(&(role, Some(department))));
        let handed_in = spec.status != SummaryStatus::Draft;
        let decided = matches!(spec.status, SummaryStatus::Accepted | SummaryStatus::Returned);
        if handed_in != spec.submitted.is_some() || decided != spec.decided.is_some() {
            bail!("demo data: the summary of {} has days that do not match its status", spec.post);
        }
        if (spec.status == SummaryStatus::Returned) == spec.reason.trim().is_empty() {
            bail!("demo data: the summary of {} needs a reason exactly when returned", spec.post);
        }
        if decided && decider.is_none_or(|d| d == person) {
            bail!("demo data: the summary of {} has nobody to decide it", spec.post);
        }
        plans.push(SummaryPlan { person, department, kind, decider, spec });
    }
    Ok(plans)
}

pub(super) fn plan(office: &Plan, data: &'static DemoData) -> anyhow::Result<AssessPlan> {
    let recorded_by = office.people.iter().position(|p| p.username == "discipline");
    let recorded_by = recorded_by.ok_or_else(|| anyhow::anyhow!("demo data: no person discipline"))?;
    let mut records = Vec::new();
    for spec in &data.discipline {
        let department = office.department_index(&spec.department)?;
        let post = office.posts.iter().find(|p| p.department == department && p.title == spec.post);
        let post = post.ok_or_else(|| anyhow::anyhow!("demo data: no post {}", spec.post))?;
        let to = in_force_until(spec.measure, spec.from, spec.to, &Settings::default())
            .map_err(|_| anyhow::anyhow!("demo data: the record of {} ends before it starts", spec.post))?;
        records.push(RecordPlan { person: post.a_holder, spec, to });
    }
    let schemes_saved_by = office.people.iter().position(|p| p.username == "perf");
    let schemes_saved_by = schemes_saved_by.ok_or_else(|| anyhow::anyhow!("demo data: no person perf"))?;
    let mut schemes: Vec<Scheme> = Vec::new();
    for spec in &data.schemes {
        let scheme = spec.scheme();
        if schemes.iter().any(|s| s.year == scheme.year && s.target == scheme.target) {
            anyhow::bail!("demo data: the scheme of {} for {:?} is given twice", spec.year, spec.target);
        }
        if let Some(problem) = scheme.validate().first() {
            anyhow::bail!("demo data: the scheme of {} is refused at {}", spec.year, problem.field);
        }
        schemes.push(scheme);
    }
    let summaries = plan_summaries(office, data)?;
    Ok(AssessPlan {
        records,
        recorded_by,
        schemes,
        schemes_saved_by,
        quarter: Some(&data.summaries.cycle),
        summaries,
        ballots: data.summaries.ballots.as_ref(),
    })
}

/// Writes the records; their count for the `demo.loaded` audit row.
pub(super) async fn write(
    conn: &mut sqlx::PgConnection,
    plan: &AssessPlan,
    ids: &OfficeIds<'_>,
) -> anyhow::Result<serde_json::Value> {
    let records: Vec<sql::DemoDisciplineRecord> = plan
        .records
        .iter()
        .map(|r| sql::DemoDisciplineRecord {
            person_id: ids.people[r.person],
            measure: r.spec.measure,
            decided_on: r.spec.decided_on,
            reference: r.spec.reference.clone(),
            from_date: r.spec.from,
            to_date: r.to,
            note: r.spec.note.clone(),
            recorded_by: ids.people[plan.recorded_by],
        })
        .collect();
    let written = sql::insert_discipline_records(conn, &records).await?;
    let saved_by = ids.people[plan.schemes_saved_by];
    for scheme in &plan.schemes {
        schemes::insert_version(conn, scheme, 1, None, Some(saved_by)).await?;
    }
    let (quarter, summaries) = write_summaries(conn, plan, ids).await?;
    // The demo cycles that have reached assessment use (and freeze) their year's versions.
    for (cycle, year) in sql::cycles_past_implementation(conn).await? {
        schemes::freeze_for_cycle(conn, cycle, year).await?;
    }
    let ballots = match (quarter, plan.quarter, &plan.ballots) {
        (Some(cycle_id), Some(cycle), Some(spec)) => {
            write_ballots(conn, cycle_id, cycle.period_start.year(), spec).await?
        }
        _ => 0,
    };
    Ok(serde_json::json!({
        "discipline_records": written, "schemes": plan.schemes.len(), "self_summaries": summaries,
        "ballots": ballots,
    }))
}

/// The quarterly cycle's rater tasks, generated as the performance office
/// would, and the given share of them cast (a well-mixed, repeatable choice),
/// each ballot at the file's levels in turn; the number of ballots.
async fn write_ballots(
    conn: &mut sqlx::PgConnection,
    cycle_id: i64,
    year: i32,
    spec: &BallotsSpec,
) -> anyhow::Result<usize> {
    let (participants, people) = crate::db::ballots::rater_inputs(conn, cycle_id).await?;
    let (staff, heads) = crate::workflow::assessment::cycle_schemes(conn, cycle_id, year).await?;
    let tasks = raters::tasks(&participants, &people, &staff, &heads);
    crate::db::ballots::add_tasks(conn, cycle_id, &tasks).await?;
    let levels: Vec<Level> = spec
        .levels
        .iter()
        .map(|code| Level::ALL.into_iter().find(|l| raters::level_code(*l) == code))
        .collect::<Option<_>>()
        .ok_or_else(|| anyhow::anyhow!("demo data: a ballot level is not one of excellent, good, fair, poor"))?;
    let mut cast = 0;
    for task in &tasks {
        let seed = (task.rater as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (task.ratee as u64).rotate_left(17);
        if seed % 100 >= spec.cast_percent || levels.is_empty() {
            continue;
        }
        let level = levels[cast % levels.len()];
        let scheme = if task.ratee_is_head { &heads } else { &staff };
        let ballot: serde_json::Map<String, serde_json::Value> =
            scheme.ballot_criteria().map(|c| (c.key.clone(), serde_json::json!(raters::level_code(level)))).collect();
        sql::cast_ballot(conn, cycle_id, task, &serde_json::Value::Object(ballot)).await?;
        cast += 1;
    }
    Ok(cast)
}

/// The quarterly cycle, moved to assessment (its participants frozen), and
/// its summaries: each written, submitted and decided on its days; the
/// cycle's id and the number of summaries.
async fn write_summaries(
    conn: &mut sqlx::PgConnection,
    plan: &AssessPlan,
    ids: &OfficeIds<'_>,
) -> anyhow::Result<(Option<i64>, usize)> {
    let Some(cycle) = plan.quarter else { return Ok((None, 0)) };
    // The quarter belongs to the annual cycle of its year (docs/DOMAIN.md §5.1).
    let annual = crate::db::cycles::annual_choices(conn)
        .await?
        .into_iter()
        .find(|c| c.period_start <= cycle.period_start && cycle.period_end <= c.period_end);
    let data = cycle.data(annual.map(|c| c.id));
    let cycle_id = sql::insert_cycle(conn, &data, CycleStage::Assessment, at(cycle.opened, 30)).await?;
    crate::db::cycles::freeze_participants(conn, cycle_id).await?;
    for (i, s) in plan.summaries.iter().enumerate() {
        let written = at(s.spec.submitted.unwrap_or(cycle.period_end), 60 + i as i64 * 7);
        let first = if s.spec.status == SummaryStatus::Draft { SummaryStatus::Draft } else { SummaryStatus::Submitted };
        let data = SummaryData {
            cycle_id,
            person_id: ids.people[s.person],
            department_id: Some(ids.departments[s.department]),
            kind: s.kind,
            status: first,
            body: s.spec.text.trim().to_string(),
        };
        let id = summaries::create(conn, &data, written).await?.ok_or_else(|| anyhow::anyhow!("summary twice"))?;
        if let (Some(decided), Some(decider)) = (s.spec.decided, s.decider) {
            let by = ids.people[decider];
            summaries::decide(conn, id, 1, s.spec.status, by, s.spec.reason.trim(), at(decided, 90)).await?;
        }
    }
    Ok((Some(cycle_id), plan.summaries.len()))
}

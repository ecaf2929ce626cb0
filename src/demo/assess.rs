//! Stage 3 of the demo office: discipline inspection's records
//! (`data/discipline.toml`), entered by the demo's discipline inspection
//! account, and the criteria schemes (`data/schemes.toml`), stored by the
//! performance office. Periods left open in the file run for the measure's
//! statutory period from the year's default settings, as the form would set
//! them.

use chrono::NaiveDate;
use serde::Deserialize;

use super::Plan;
use super::data::{self, DemoData};
use super::targets::OfficeIds;
use crate::db::assessment_schemes as schemes;
use crate::db::demo as sql;
use crate::domain::assessment::{Scheme, TargetGroup};
use crate::domain::discipline::{Measure, in_force_until};
use crate::domain::settings::Settings;

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
    schemes: Vec<Scheme>,
    schemes_saved_by: usize,
}

impl AssessPlan {
    pub(super) fn summary_line(&self) -> String {
        format!("assess: {} discipline records, {} criteria schemes", self.records.len(), self.schemes.len())
    }
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
    Ok(AssessPlan { records, recorded_by, schemes, schemes_saved_by })
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
    // The demo cycles that have reached assessment use (and freeze) their year's versions.
    for (cycle, year) in sql::cycles_past_implementation(conn).await? {
        schemes::freeze_for_cycle(conn, cycle, year).await?;
    }
    Ok(serde_json::json!({ "discipline_records": written, "schemes": plan.schemes.len() }))
}

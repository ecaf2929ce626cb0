//! Stage 3 of the demo office: discipline inspection's records
//! (`data/discipline.toml`), entered by the demo's discipline inspection
//! account. Periods left open in the file run for the measure's statutory
//! period from the year's default settings, as the form would set them.

use chrono::NaiveDate;
use serde::Deserialize;

use super::Plan;
use super::data::{self, DemoData};
use super::targets::OfficeIds;
use crate::db::demo as sql;
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
}

impl AssessPlan {
    pub(super) fn summary_line(&self) -> String {
        format!("assess: {} discipline records", self.records.len())
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
    Ok(AssessPlan { records, recorded_by })
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
    Ok(serde_json::json!({ "discipline_records": written }))
}

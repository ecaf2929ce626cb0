//! The demo's rectification items (`data/rectification.toml`, docs/DOMAIN.md
//! §19.5): items raised in 2026 from the 2025 department results, the 2025
//! survey, supervision items and an assessment result, walked through the
//! same steps as the pages ([`workflow::rectification`]) on their days —
//! some closed out on time, one late, one overdue on the demo day, one
//! waiting for verification and one carried into the 2027 targets.

use anyhow::{Context, bail};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;

use super::data::{self, DataFile};
use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::rectification::{self as db, ItemData};
use crate::domain::rectification::{Move, SourceRef};
use crate::workflow::rectification::{self as flow, CarryTexts, Moved};

pub(super) const FILE: DataFile =
    DataFile { name: "rectification.toml", text: include_str!("data/rectification.toml") };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RectificationFile {
    carry: CarrySpec,
    item: Vec<ItemSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CarrySpec {
    cycle: String,
    department: String,
    #[serde(deserialize_with = "data::date")]
    on: NaiveDate,
    by: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemSpec {
    title: String,
    problem: String,
    #[serde(default)]
    plan: String,
    source: String,
    #[serde(default)]
    department: Option<String>,
    #[serde(default)]
    survey: Option<String>,
    #[serde(default)]
    supervision: Option<String>,
    #[serde(default)]
    cycle: Option<String>,
    #[serde(default)]
    person: Option<String>,
    owner: String,
    raised_by: String,
    #[serde(deserialize_with = "data::date")]
    raised: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    due: NaiveDate,
    #[serde(default)]
    progress: Vec<ProgressSpec>,
    #[serde(default, deserialize_with = "data::optional_date")]
    submitted: Option<NaiveDate>,
    #[serde(default, deserialize_with = "data::optional_date")]
    closed: Option<NaiveDate>,
    #[serde(default)]
    verified_by: Option<String>,
}

/// A progress update of an item, as the data files write it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProgressSpec {
    #[serde(deserialize_with = "data::date")]
    pub(super) on: NaiveDate,
    pub(super) note: String,
}

/// The year of the results and survey the items are raised from.
const RESULTS_YEAR: i32 = 2025;

fn parse() -> anyhow::Result<RectificationFile> {
    let file: RectificationFile = data::parse(&FILE)?;
    for item in &file.item {
        let steps = item.progress.iter().map(|p| p.on).chain(item.submitted).chain(item.closed);
        let mut last = item.raised;
        for day in steps {
            if day < last {
                bail!("{}: the steps of {} are out of order", FILE.name, item.title);
            }
            last = day;
        }
        if item.closed.is_some() && (item.submitted.is_none() || item.verified_by.is_none()) {
            bail!("{}: {} is closed without a submission or a verifier", FILE.name, item.title);
        }
        if item.verified_by.as_deref() == Some(item.owner.as_str()) {
            bail!("{}: the owner of {} cannot verify it", FILE.name, item.title);
        }
    }
    Ok(file)
}

/// The audit context of a person named in the file.
async fn actor(conn: &mut PgConnection, reference: &str) -> anyhow::Result<(AuditContext, Option<i64>)> {
    let (id, name, department) = db::person_by_reference(conn, reference)
        .await?
        .with_context(|| format!("{}: nobody is {reference}", FILE.name))?;
    Ok((AuditContext { actor_id: Some(id), actor_name: name, ..Default::default() }, department))
}

async fn source(conn: &mut PgConnection, spec: &ItemSpec) -> anyhow::Result<SourceRef> {
    let missing = || format!("{}: the source of {} is not in the demo", FILE.name, spec.title);
    let found = match spec.source.as_str() {
        "department_result" => {
            let department = spec.department.as_deref().with_context(missing)?;
            db::department_result_of(conn, RESULTS_YEAR, department).await?
        }
        "survey" => db::survey_titled(conn, spec.survey.as_deref().with_context(missing)?).await?,
        "supervision_item" => db::supervision_titled(conn, spec.supervision.as_deref().with_context(missing)?).await?,
        "assessment_result" => {
            let (person, _) = actor(conn, spec.person.as_deref().with_context(missing)?).await?;
            let cycle = spec.cycle.as_deref().with_context(missing)?;
            db::assessment_result_of(conn, cycle, person.actor_id.unwrap_or_default()).await?
        }
        other => bail!("{}: unknown source {other}", FILE.name),
    };
    found.with_context(missing)
}

/// Walks a raised item through its steps on their days: the owner's progress
/// updates and submission, then the close-out by its verifier.
pub(super) async fn walk(
    conn: &mut PgConnection,
    id: i64,
    owner: &AuditContext,
    (progress, submitted, closed): (&[ProgressSpec], Option<NaiveDate>, Option<(NaiveDate, &AuditContext)>),
) -> anyhow::Result<()> {
    for p in progress {
        take(conn, owner, id, Move::Progress, &p.note, p.on).await?;
    }
    if let Some(day) = submitted {
        take(conn, owner, id, Move::Submit, "", day).await?;
    }
    if let Some((day, verifier)) = closed {
        take(conn, verifier, id, Move::Close, "", day).await?;
    }
    Ok(())
}

/// Takes one step of the item as `ctx` on `day`.
async fn take(
    conn: &mut PgConnection,
    ctx: &AuditContext,
    id: i64,
    step: Move,
    note: &str,
    day: NaiveDate,
) -> anyhow::Result<()> {
    let item = db::find(conn, id).await?.context("the item just raised")?;
    match flow::apply(conn, ctx, &item, item.version, step, note, day).await? {
        Moved::Done(..) => Ok(()),
        other => bail!("{}: {:?} of {} was refused: {other:?}", FILE.name, step, item.title),
    }
}

/// Writes the items and carries one department's open items into the next
/// cycle's targets; answers how many items and carried targets.
pub(super) async fn write(conn: &mut PgConnection) -> anyhow::Result<serde_json::Value> {
    let file = parse()?;
    let departments = crate::db::departments::choices(conn).await?;
    for spec in &file.item {
        let source = source(conn, spec).await?;
        let (raiser, _) = actor(conn, &spec.raised_by).await?;
        let (owner, owner_department) = actor(conn, &spec.owner).await?;
        let department_id = match &spec.department {
            Some(name) => departments.iter().find(|d| &d.name == name).map(|d| d.id),
            None => owner_department,
        }
        .with_context(|| format!("{}: no owner department for {}", FILE.name, spec.title))?;
        let data = ItemData {
            title: spec.title.clone(),
            problem: spec.problem.clone(),
            department_id,
            owner_id: owner.actor_id.unwrap_or_default(),
            plan: spec.plan.clone(),
            due_on: spec.due,
        };
        let id = flow::raise(conn, &raiser, &data, source, "", spec.raised).await?;
        let verifier = match &spec.verified_by {
            Some(username) => Some(actor(conn, username).await?.0),
            None => None,
        };
        let closed = spec.closed.zip(verifier.as_ref());
        walk(conn, id, &owner, (&spec.progress, spec.submitted, closed)).await?;
    }
    let carry = &file.carry;
    let cycle = db::carry_cycles(conn)
        .await?
        .into_iter()
        .find(|c| c.name == carry.cycle)
        .with_context(|| format!("{}: no annual cycle {} in planning", FILE.name, carry.cycle))?;
    let department = departments
        .iter()
        .find(|d| d.name == carry.department)
        .with_context(|| format!("{}: no department {}", FILE.name, carry.department))?;
    let (by, _) = actor(conn, &carry.by).await?;
    let texts = CarryTexts {
        measure: "整改事项按期销号".into(),
        assessment_method: "以整改验收销号情况评定：按期销号为完成，逾期销号为基本完成，未销号为未完成".into(),
    };
    let carried =
        flow::carry_into_targets(conn, &by, &cycle, Some(std::slice::from_ref(&department.id)), &texts, carry.on)
            .await?;
    let summary = json!({ "items": file.item.len(), "carried": carried.carried.len() });
    let ctx = AuditContext { actor_name: "cppcc-perf demo".into(), ..Default::default() };
    audit::record(
        conn,
        &ctx,
        AuditEvent::new("demo.rectification_loaded", "rectification_item", "demo", summary.clone()),
    )
    .await?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_holds_items_closed_on_time_late_open_and_overdue_on_the_demo_day() {
        let file = parse().unwrap();
        let demo_day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let on_time = file.item.iter().filter(|i| i.closed.is_some_and(|c| c <= i.due)).count();
        let late = file.item.iter().filter(|i| i.closed.is_some_and(|c| c > i.due)).count();
        let overdue = file.item.iter().filter(|i| i.closed.is_none() && i.due < demo_day).count();
        let open = file.item.iter().filter(|i| i.closed.is_none() && i.due >= demo_day).count();
        assert_eq!((late, overdue), (1, 1));
        assert!(on_time >= 3 && open >= 1, "{on_time} on time, {open} open and not due");
        assert!(file.item.len() >= 8);
    }
}

//! The demo's excellence self-assessment (`data/excellence.toml`,
//! docs/DOMAIN.md §21): the 2025 self-assessment, scored by the performance
//! office, the leaders and two invited department heads, agreed item by item
//! and completed, with three of its improvements turned into rectification
//! items (one closed, one in progress, one open); and the 2026 one, opened
//! and part scored. Every step goes through [`workflow::excellence`] as the
//! pages take it, on the file's days.
//!
//! [`workflow::excellence`]: crate::workflow::excellence

use anyhow::{Context, bail};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;

use super::Plan;
use super::data::{self, DataFile};
use super::rectification::ProgressSpec;
use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::excellence::{self as db, ItemRow, ScoreData};
use crate::db::rectification::{self as rectification_db, ItemData};
use crate::db::settings;
use crate::domain::excellence::{Bands, FindingKind, Measure, Stage};
use crate::domain::roles::Role;
use crate::domain::settings::Settings;
use crate::workflow::excellence as flow;

pub(super) const FILE: DataFile = DataFile { name: "excellence.toml", text: include_str!("data/excellence.toml") };

/// The rank of the leaders named "副秘书长/department" in the file.
const DEPUTY: &str = "副秘书长";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExcellenceFile {
    year: Vec<YearSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct YearSpec {
    year: i32,
    #[serde(deserialize_with = "data::date")]
    opened: NaiveDate,
    by: String,
    #[serde(default)]
    invite: Vec<String>,
    #[serde(default, deserialize_with = "data::optional_date")]
    invited: Option<NaiveDate>,
    assessors: Vec<String>,
    #[serde(default, deserialize_with = "data::optional_date")]
    consensus: Option<NaiveDate>,
    #[serde(default, deserialize_with = "data::optional_date")]
    completed: Option<NaiveDate>,
    #[serde(default)]
    benchmark: Option<BenchmarkSpec>,
    #[serde(default, rename = "item")]
    items: Vec<ItemSpec>,
    #[serde(default, rename = "finding")]
    findings: Vec<FindingSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BenchmarkSpec {
    name: String,
    values: std::collections::BTreeMap<String, f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemSpec {
    code: String,
    scores: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    agreed: Option<i32>,
}

impl ItemSpec {
    /// The percentages of the score line, one per assessor (`None`: "-").
    fn percents(&self) -> anyhow::Result<Vec<Option<i32>>> {
        self.scores
            .split_whitespace()
            .map(|p| match p {
                "-" => Ok(None),
                p => p.parse().map(Some).with_context(|| format!("{}: item {}: score {p}", FILE.name, self.code)),
            })
            .collect()
    }

    fn given(&self) -> anyhow::Result<Vec<i32>> {
        Ok(self.percents()?.into_iter().flatten().collect())
    }

    /// The agreed score: the file's, else the assessors' mean to the nearest step.
    fn agreed(&self, bands: &Bands) -> anyhow::Result<(i16, i32)> {
        let (band, percent) = match self.agreed {
            Some(percent) => (bands.band_of(percent).unwrap_or_default(), percent),
            None => bands
                .suggestion(&self.given()?)
                .with_context(|| format!("{}: nobody scored {}", FILE.name, self.code))?,
        };
        bands
            .check(band, percent)
            .map_err(|e| anyhow::anyhow!("{}: item {}: agreed {percent}: {e:?}", FILE.name, self.code))?;
        Ok((band, percent))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FindingSpec {
    item: String,
    kind: FindingKind,
    by: String,
    body: String,
    #[serde(default)]
    evidence: Vec<String>,
    #[serde(default)]
    rectify: Option<RectifySpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RectifySpec {
    title: String,
    problem: String,
    plan: String,
    owner: String,
    #[serde(default)]
    department: Option<String>,
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

/// Reads the file and checks what the workflow would refuse or what would
/// make a wrong picture: score lines of the wrong length, scores outside
/// every band or off the step (as shipped), a completed year without a
/// reason for every item, days out of order, rectification of a strength, a
/// closed item without a submission or with its owner as verifier.
fn parse() -> anyhow::Result<ExcellenceFile> {
    let file: ExcellenceFile = data::parse(&FILE)?;
    let bands = Bands::from_settings(&Settings::default());
    for year in &file.year {
        let y = year.year;
        let days = [Some(year.opened), year.invited, year.consensus, year.completed];
        if !days.iter().flatten().is_sorted() || (year.completed.is_some() && year.consensus.is_none()) {
            bail!("{}: the days of {y} are out of order", FILE.name);
        }
        if year.invite.is_empty() != year.invited.is_none() {
            bail!("{}: {y} invites without a day, or has a day without invitations", FILE.name);
        }
        for item in &year.items {
            let percents = item.percents()?;
            if percents.len() != year.assessors.len() {
                bail!(
                    "{}: {y} item {}: {} scores for {} assessors",
                    FILE.name,
                    item.code,
                    percents.len(),
                    year.assessors.len()
                );
            }
            for p in percents.into_iter().flatten() {
                if bands.band_of(p).is_none_or(|band| bands.check(band, p).is_err()) {
                    bail!("{}: {y} item {}: {p} is in no band or off the step", FILE.name, item.code);
                }
            }
            if year.consensus.is_some() {
                if item.reason.trim().is_empty() {
                    bail!("{}: {y} item {} has no reason for its agreed score", FILE.name, item.code);
                }
                item.agreed(&bands)?;
            }
        }
        for finding in &year.findings {
            let Some(r) = &finding.rectify else { continue };
            if finding.kind != FindingKind::Improvement || year.completed.is_none_or(|c| r.raised < c) {
                bail!("{}: {y} {}: only an improvement of a completed year becomes rectification", FILE.name, r.title);
            }
            let steps = r.progress.iter().map(|p| p.on).chain(r.submitted).chain(r.closed);
            if !std::iter::once(r.raised).chain(steps).is_sorted() {
                bail!("{}: the steps of {} are out of order", FILE.name, r.title);
            }
            if r.closed.is_some() && (r.submitted.is_none() || r.verified_by.is_none()) {
                bail!("{}: {} is closed without a submission or a verifier", FILE.name, r.title);
            }
            if r.verified_by.as_deref() == Some(r.owner.as_str()) {
                bail!("{}: the owner of {} cannot verify it", FILE.name, r.title);
            }
        }
    }
    Ok(file)
}

/// The username or post a person of the file is found by: "副秘书长/department"
/// is the deputy secretary-general overseeing the department.
fn lookup<'a>(plan: &'a Plan, reference: &'a str) -> anyhow::Result<&'a str> {
    let Some(department) = reference.strip_prefix(DEPUTY).and_then(|r| r.strip_prefix('/')) else {
        return Ok(reference);
    };
    let index = plan.department_index(department)?;
    plan.people
        .iter()
        .find(|p| p.rank == DEPUTY && p.grants.contains(&(Role::SupervisingLeader, Some(index))))
        .map(|p| p.username.as_str())
        .with_context(|| format!("{}: no {DEPUTY} oversees {department}", FILE.name))
}

/// The audit context and department of a person named in the file.
async fn actor(conn: &mut PgConnection, plan: &Plan, reference: &str) -> anyhow::Result<(AuditContext, Option<i64>)> {
    let (id, name, department) = rectification_db::person_by_reference(conn, lookup(plan, reference)?)
        .await?
        .with_context(|| format!("{}: nobody is {reference}", FILE.name))?;
    Ok((AuditContext { actor_id: Some(id), actor_name: name, ..Default::default() }, department))
}

fn id_of(ctx: &AuditContext) -> i64 {
    ctx.actor_id.unwrap_or_default()
}

/// What the years wrote, for the `demo.loaded` audit row.
#[derive(Debug, Default)]
struct Counts {
    years: usize,
    scores: usize,
    agreed: usize,
    findings: usize,
    rectified: usize,
}

/// Writes the file's years; their counts.
pub(super) async fn write(conn: &mut PgConnection, plan: &Plan) -> anyhow::Result<serde_json::Value> {
    let file = parse()?;
    let mut counts = Counts::default();
    for year in &file.year {
        write_year(conn, plan, year, &mut counts).await?;
    }
    let summary = json!({
        "years": counts.years, "scores": counts.scores, "agreed": counts.agreed,
        "findings": counts.findings, "rectified": counts.rectified,
    });
    let ctx = AuditContext { actor_name: "cppcc-perf demo".into(), ..Default::default() };
    let event = AuditEvent::new("demo.excellence_loaded", "excellence_assessment", "demo", summary.clone());
    audit::record(conn, &ctx, event).await?;
    Ok(summary)
}

async fn write_year(conn: &mut PgConnection, plan: &Plan, spec: &YearSpec, counts: &mut Counts) -> anyhow::Result<()> {
    let year = spec.year;
    let (by, _) = actor(conn, plan, &spec.by).await?;
    let bands = Bands::from_settings(&settings::for_year(conn, year).await?);
    let id = flow::open_year(conn, &by, year, spec.opened)
        .await?
        .with_context(|| format!("{}: {year} has a self-assessment already", FILE.name))?;
    for reference in &spec.invite {
        let (person, _) = actor(conn, plan, reference).await?;
        db::add_assessor(conn, id, id_of(&person), id_of(&by)).await?;
        let summary = json!({ "person_id": person.actor_id, "full_name": person.actor_name, "on": spec.invited });
        audit::record(conn, &by, AuditEvent::new("excellence.invited", "excellence_assessment", id, summary)).await?;
    }
    let assessors = assessors(conn, plan, spec, id).await?;
    if let Some(benchmark) = &spec.benchmark {
        set_benchmark(conn, &by, id, benchmark).await?;
    }
    let items = db::items(conn, year).await?;
    for item in &spec.items {
        let item_id = item_id(&items, year, &item.code)?;
        for (assessor, percent) in assessors.iter().zip(item.percents()?) {
            let Some(percent) = percent else { continue };
            let band = bands.band_of(percent).unwrap_or_default();
            bands.check(band, percent).map_err(|e| anyhow::anyhow!("{}: {year} {}: {e:?}", FILE.name, item.code))?;
            let score = ScoreData { band, percent: i16::try_from(percent)?, note: "", version: None };
            if !flow::score(conn, assessor, id, item_id, &score).await? {
                bail!("{}: {year} {} scored twice by {}", FILE.name, item.code, assessor.actor_name);
            }
            counts.scores += 1;
        }
    }
    let mut findings = Vec::with_capacity(spec.findings.len());
    for finding in &spec.findings {
        let (writer, _) = actor(conn, plan, &finding.by).await?;
        let item_id = item_id(&items, year, &finding.item)?;
        let evidence = finding.evidence.join("\n");
        findings.push(flow::add_finding(conn, &writer, (id, item_id), finding.kind, &finding.body, &evidence).await?);
    }
    counts.findings += findings.len();
    if let Some(day) = spec.consensus {
        // The figures as they stand when scoring ends (they may be refreshed until completion).
        flow::take_figures(conn, &by, id, year, day).await?;
        flow::move_to(conn, &by, id, Stage::Consensus, day).await?;
        for item in &spec.items {
            let item_id = item_id(&items, year, &item.code)?;
            let (band, percent) = item.agreed(&bands)?;
            if !flow::agree(conn, &by, id, item_id, (band, i16::try_from(percent)?), &item.reason, None).await? {
                bail!("{}: {year} {} agreed twice", FILE.name, item.code);
            }
            counts.agreed += 1;
        }
    }
    if let Some(day) = spec.completed {
        flow::move_to(conn, &by, id, Stage::Completed, day).await?;
    }
    for (finding, finding_id) in spec.findings.iter().zip(findings) {
        if let Some(r) = &finding.rectify {
            let item = items.iter().find(|i| i.code == finding.item).context("an item found above")?;
            rectify(conn, plan, &by, (finding_id, year, item), r).await?;
            counts.rectified += 1;
        }
    }
    counts.years += 1;
    Ok(())
}

fn item_id(items: &[ItemRow], year: i32, code: &str) -> anyhow::Result<i64> {
    items
        .iter()
        .find(|i| i.code == code)
        .map(|i| i.id)
        .with_context(|| format!("{}: the {year} standard has no item {code}", FILE.name))
}

/// The year's assessors in the file's order, checked against those the
/// opening and the invitations made.
async fn assessors(
    conn: &mut PgConnection,
    plan: &Plan,
    spec: &YearSpec,
    id: i64,
) -> anyhow::Result<Vec<AuditContext>> {
    let mut out = Vec::with_capacity(spec.assessors.len());
    for reference in &spec.assessors {
        let (person, _) = actor(conn, plan, reference).await?;
        if !db::is_assessor(conn, id, id_of(&person)).await? {
            bail!("{}: {} ({reference}) is not an assessor of {}", FILE.name, person.actor_name, spec.year);
        }
        out.push(person);
    }
    let all = db::assessors(conn, id).await?;
    if all.len() != out.len() {
        let names: Vec<&str> = all.iter().map(|a| a.full_name.as_str()).collect();
        bail!("{}: {} has the assessors {names:?}; list every one under `assessors`", FILE.name, spec.year);
    }
    Ok(out)
}

async fn set_benchmark(
    conn: &mut PgConnection,
    by: &AuditContext,
    id: i64,
    spec: &BenchmarkSpec,
) -> anyhow::Result<()> {
    let mut values = Vec::with_capacity(spec.values.len());
    for (measure, value) in &spec.values {
        if Measure::parse(measure).is_none() {
            bail!("{}: the benchmark names an unknown measure {measure}", FILE.name);
        }
        let value = Decimal::from_f64_retain(*value).context("a benchmark value")?.round_dp(2);
        values.push((measure.clone(), value));
    }
    db::replace_benchmarks(conn, id, &spec.name, &values).await?;
    let summary = json!({ "name": spec.name, "measures": values.len() });
    audit::record(conn, by, AuditEvent::new("excellence.benchmarks", "excellence_assessment", id, summary)).await?;
    Ok(())
}

/// Turns an improvement into a rectification item and walks it through its
/// steps on their days.
async fn rectify(
    conn: &mut PgConnection,
    plan: &Plan,
    by: &AuditContext,
    (finding_id, year, item): (i64, i32, &ItemRow),
    spec: &RectifySpec,
) -> anyhow::Result<()> {
    let (owner, owner_department) = actor(conn, plan, &spec.owner).await?;
    let department_id = match &spec.department {
        Some(name) => crate::db::departments::choices(conn).await?.into_iter().find(|d| &d.name == name).map(|d| d.id),
        None => owner_department,
    }
    .with_context(|| format!("{}: no owner department for {}", FILE.name, spec.title))?;
    let data = ItemData {
        title: spec.title.clone(),
        problem: spec.problem.clone(),
        department_id,
        owner_id: id_of(&owner),
        plan: spec.plan.clone(),
        due_on: spec.due,
    };
    let reference = format!("{year}年度卓越绩效自评 {} {}", item.code, item.name);
    let id = flow::rectify(conn, by, finding_id, &data, &reference, spec.raised)
        .await?
        .with_context(|| format!("{}: {} was refused as rectification", FILE.name, spec.title))?;
    let verifier = match &spec.verified_by {
        Some(reference) => Some(actor(conn, plan, reference).await?.0),
        None => None,
    };
    let closed = spec.closed.zip(verifier.as_ref());
    super::rectification::walk(conn, id, &owner, (&spec.progress, spec.submitted, closed)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::excellence::{Edition, ItemKind, SHIPPED_EDITION};
    use crate::domain::rectification::RectificationStatus;

    fn year(file: &ExcellenceFile, y: i32) -> &YearSpec {
        file.year.iter().find(|s| s.year == y).expect("the year is in the file")
    }

    #[test]
    fn the_2025_assessment_is_agreed_on_every_item_of_the_shipped_standard() {
        let file = parse().unwrap();
        let y2025 = year(&file, 2025);
        assert!(y2025.completed.is_some());
        let edition = Edition::parse(SHIPPED_EDITION).unwrap();
        let codes: Vec<&str> = edition.categories.iter().flat_map(|c| &c.items).map(|i| i.code.as_str()).collect();
        let listed: Vec<&str> = y2025.items.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(listed, codes);
        // Every assessor scores most items.
        for column in 0..y2025.assessors.len() {
            let scored = y2025.items.iter().filter(|i| i.percents().unwrap()[column].is_some()).count();
            assert!(scored * 4 >= codes.len() * 3, "assessor {column} scored {scored}");
        }
    }

    #[test]
    fn scores_are_plausible_for_an_office_early_in_its_excellence_work() {
        let file = parse().unwrap();
        let edition = Edition::parse(SHIPPED_EDITION).unwrap();
        let bands = Bands::from_settings(&Settings::default());
        for spec in &file.year {
            for item in &spec.items {
                let kind = edition.categories.iter().flat_map(|c| &c.items).find(|i| i.code == item.code).unwrap();
                let range = if ItemKind::parse(&kind.kind) == Some(ItemKind::Results) { 35..=55 } else { 40..=60 };
                for p in item.given().unwrap() {
                    assert!(range.contains(&p), "{} {}: {p}", spec.year, item.code);
                }
                if spec.consensus.is_some() {
                    let (_, agreed) = item.agreed(&bands).unwrap();
                    let (_, mean) = bands.suggestion(&item.given().unwrap()).unwrap();
                    assert!((agreed - mean).abs() <= bands.step(), "{} {}", spec.year, item.code);
                }
            }
        }
    }

    #[test]
    fn three_improvements_of_2025_become_rectification_one_closed_by_someone_else() {
        let file = parse().unwrap();
        let rectified: Vec<&RectifySpec> =
            year(&file, 2025).findings.iter().filter_map(|f| f.rectify.as_ref()).collect();
        assert_eq!(rectified.len(), 3);
        let status = |r: &RectifySpec| match (r.closed, r.submitted, r.progress.is_empty()) {
            (Some(_), _, _) => RectificationStatus::Closed,
            (None, Some(_), _) => RectificationStatus::Submitted,
            (None, None, false) => RectificationStatus::InProgress,
            (None, None, true) => RectificationStatus::Open,
        };
        let statuses: Vec<RectificationStatus> = rectified.iter().map(|r| status(r)).collect();
        assert_eq!(statuses, [RectificationStatus::Closed, RectificationStatus::InProgress, RectificationStatus::Open]);
        assert!(rectified.iter().all(|r| r.verified_by.as_deref() != Some(r.owner.as_str())));
    }

    #[test]
    fn the_2026_assessment_is_being_scored_in_part() {
        let file = parse().unwrap();
        let y2026 = year(&file, 2026);
        assert!(y2026.consensus.is_none() && y2026.completed.is_none());
        let given: usize = y2026.items.iter().map(|i| i.given().unwrap().len()).sum();
        let possible = 23 * y2026.assessors.len();
        assert!(given > 0 && given * 2 < possible, "{given} of {possible}");
        assert!((2..=3).contains(&y2026.findings.len()));
    }

    #[test]
    fn a_score_off_its_band_or_a_short_score_line_names_the_file() {
        let item = ItemSpec { code: "4.1.2".into(), scores: "50 x".into(), reason: String::new(), agreed: None };
        assert!(item.percents().unwrap_err().to_string().contains("excellence.toml"));
        let bands = Bands::from_settings(&Settings::default());
        let agreed = ItemSpec { agreed: Some(47), scores: "45 50".into(), ..item };
        assert!(agreed.agreed(&bands).is_err());
    }
}

//! The demo office's data files: TOML under `src/demo/data/`, embedded at
//! build time and parsed once at run time into [`DemoData`]. The office's
//! clerks edit the files; the unit tests parse every one, so a typo fails
//! `cargo test` with a message naming the file.
//!
//! The sample evidence files (a one-page PDF and a small PNG chart) are real
//! files under `src/demo/files/`, attached to the reports and ledger records
//! that carry evidence.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use anyhow::{Context, anyhow, bail};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};

use super::assess::{DisciplineSpec, SchemeSpec, SummariesFile};
use super::decided::DecidedFile;
use super::events::EventSpec;
use super::members::MembersFile;
use super::monitor::{AbsenceSpec, ItemSpec, LedgerSpec, ReportDeviations, ReportPhrases};
use super::targets::{Commitment, CycleSpec, DepartmentTargets, PlanProgress, PostTargets, Spec, Year};
use super::{NamesFile, OfficeFile};

/// The sample PDF attached wherever the demo needs a document as evidence.
pub(super) const SAMPLE_PDF: &[u8] = include_bytes!("files/sample-evidence.pdf");
/// The sample PNG attached wherever the demo needs a picture as evidence.
pub(super) const SAMPLE_PNG: &[u8] = include_bytes!("files/sample-progress-chart.png");

/// One embedded data file: its name under `src/demo/data/` and its text.
#[derive(Debug, Clone, Copy)]
pub(super) struct DataFile {
    pub(super) name: &'static str,
    pub(super) text: &'static str,
}

macro_rules! data_file {
    ($name:literal) => {
        DataFile { name: $name, text: include_str!(concat!("data/", $name)) }
    };
}

const OFFICE: DataFile = data_file!("office.toml");
const NAMES: DataFile = data_file!("names.toml");
const ASSESSMENT_METHODS: DataFile = data_file!("assessment_methods.toml");
const WORK_POINTS: DataFile = data_file!("work_points.toml");
const DEPARTMENT_TARGETS: DataFile = data_file!("department_targets.toml");
const POST_TARGETS: DataFile = data_file!("post_targets.toml");
const CYCLES: DataFile = data_file!("cycles.toml");
const PLAN_PROGRESS: DataFile = data_file!("plan_progress.toml");
const COMMITMENTS: DataFile = data_file!("commitments.toml");
const ABSENCES: DataFile = data_file!("absences.toml");
const PROGRESS_REPORTS: DataFile = data_file!("progress_reports.toml");
const REPORT_PHRASES: DataFile = data_file!("report_phrases.toml");
const SUPERVISION: DataFile = data_file!("supervision.toml");
const LEDGER: DataFile = data_file!("ledger.toml");
const DISCIPLINE: DataFile = data_file!("discipline.toml");
const SUMMARIES: DataFile = data_file!("summaries.toml");
const SCHEMES: DataFile = data_file!("schemes.toml");
const DECIDED: DataFile = data_file!("decided.toml");
pub(super) const SURVEYS: DataFile = data_file!("surveys.toml");
pub(super) const FEEDBACK: DataFile = data_file!("feedback.toml");
const MEMBERS: DataFile = data_file!("members.toml");
const EVENTS: DataFile = data_file!("events.toml");

/// Every embedded data file.
#[cfg(test)]
const FILES: &[DataFile] = &[
    OFFICE,
    NAMES,
    ASSESSMENT_METHODS,
    WORK_POINTS,
    DEPARTMENT_TARGETS,
    POST_TARGETS,
    CYCLES,
    PLAN_PROGRESS,
    COMMITMENTS,
    ABSENCES,
    PROGRESS_REPORTS,
    REPORT_PHRASES,
    SUPERVISION,
    LEDGER,
    DISCIPLINE,
    SUMMARIES,
    SCHEMES,
    DECIDED,
    SURVEYS,
    FEEDBACK,
    MEMBERS,
    EVENTS,
    super::department_assessment::FILE,
    super::rectification::FILE,
    super::result_use::FILE,
    super::appeals::FILE,
    super::excellence::FILE,
];

/// Everything the demo office is made of, as the data files say.
#[derive(Debug)]
pub(super) struct DemoData {
    pub(super) office: OfficeFile,
    pub(super) names: NamesFile,
    pub(super) work_points: Vec<Spec>,
    pub(super) department_targets: Vec<DepartmentTargets>,
    pub(super) post_targets: Vec<PostTargets>,
    pub(super) cycles: Vec<CycleSpec>,
    pub(super) plan_progress: PlanProgress,
    pub(super) commitments: Vec<Commitment>,
    pub(super) absences: Vec<AbsenceSpec>,
    pub(super) reports: ReportDeviations,
    pub(super) report_phrases: ReportPhrases,
    pub(super) items: Vec<ItemSpec>,
    pub(super) ledger: Vec<LedgerSpec>,
    pub(super) discipline: Vec<DisciplineSpec>,
    pub(super) summaries: SummariesFile,
    pub(super) schemes: Vec<SchemeSpec>,
    pub(super) decided: DecidedFile,
    pub(super) members: MembersFile,
    pub(super) events: Vec<EventSpec>,
}

static DATA: LazyLock<Result<DemoData, String>> = LazyLock::new(|| DemoData::parse().map_err(|e| format!("{e:#}")));

/// The demo data, parsed on first use.
pub(super) fn get() -> anyhow::Result<&'static DemoData> {
    DATA.as_ref().map_err(|e| anyhow!("{e}"))
}

impl DemoData {
    /// Parses and checks every data file.
    fn parse() -> anyhow::Result<DemoData> {
        let methods: HashMap<String, String> = parse(&ASSESSMENT_METHODS)?;
        let mut work_points: Vec<Spec> = rows(&WORK_POINTS, "work_point")?;
        let mut department_targets: Vec<DepartmentTargets> = rows(&DEPARTMENT_TARGETS, "department")?;
        let mut post_targets: Vec<PostTargets> = rows(&POST_TARGETS, "post")?;
        for spec in &mut work_points {
            spec.resolve(&methods, None).with_context(|| in_file(&WORK_POINTS))?;
        }
        for department in &mut department_targets {
            for spec in &mut department.targets {
                spec.resolve(&methods, Some(&work_points)).with_context(|| in_file(&DEPARTMENT_TARGETS))?;
            }
        }
        for post in &mut post_targets {
            for spec in &mut post.targets {
                spec.resolve(&methods, None).with_context(|| in_file(&POST_TARGETS))?;
            }
        }
        let data = DemoData {
            office: parse(&OFFICE)?,
            names: parse(&NAMES)?,
            work_points,
            department_targets,
            post_targets,
            cycles: rows(&CYCLES, "cycle")?,
            plan_progress: parse(&PLAN_PROGRESS)?,
            commitments: rows(&COMMITMENTS, "commitment")?,
            absences: rows(&ABSENCES, "absence")?,
            reports: parse(&PROGRESS_REPORTS)?,
            report_phrases: parse(&REPORT_PHRASES)?,
            items: rows(&SUPERVISION, "item")?,
            ledger: rows(&LEDGER, "record")?,
            discipline: rows(&DISCIPLINE, "record")?,
            summaries: parse(&SUMMARIES)?,
            schemes: rows(&SCHEMES, "scheme")?,
            decided: parse(&DECIDED)?,
            members: parse(&MEMBERS)?,
            events: rows(&EVENTS, "event")?,
        };
        data.check()?;
        Ok(data)
    }

    /// The checks that keep the loader from failing on data that parses.
    fn check(&self) -> anyhow::Result<()> {
        let names = &self.names;
        if names.surnames.is_empty() || names.given_names.is_empty() {
            bail!("{}: there must be at least one surname and one given name", path(&NAMES));
        }
        let years: Vec<Year> = self.cycles.iter().map(|c| c.year).collect();
        if years != [Year::Last, Year::Current, Year::Next] {
            bail!("{}: the cycles must be last year's, this year's and next year's, in that order", path(&CYCLES));
        }
        if self.report_phrases.lists().iter().any(|list| list.is_empty()) {
            bail!("{}: no list of phrases may be empty", path(&REPORT_PHRASES));
        }
        for commitment in &self.commitments {
            for case in &commitment.cases {
                if case.done.is_some() && case.received.is_none() {
                    bail!("{}: the case {} has `done` without `received`", path(&COMMITMENTS), case.subject);
                }
            }
        }
        Ok(())
    }
}

/// Where a data file is in the repository, for messages.
fn path(file: &DataFile) -> String {
    format!("src/demo/data/{}", file.name)
}

fn in_file(file: &DataFile) -> String {
    format!("demo data file {}", path(file))
}

/// Parses a whole data file.
pub(super) fn parse<T: DeserializeOwned>(file: &DataFile) -> anyhow::Result<T> {
    toml::from_str(file.text).map_err(|e| anyhow!("demo data file {}: {e}", path(file)))
}

/// The rows of a data file that holds one array of tables, `[[key]]`.
fn rows<T: DeserializeOwned>(file: &DataFile, key: &str) -> anyhow::Result<Vec<T>> {
    let mut tables: BTreeMap<String, Vec<T>> = parse(file)?;
    let rows = tables.remove(key).unwrap_or_default();
    if let Some(other) = tables.keys().next() {
        bail!("demo data file {}: unknown table `{other}`; the file holds only [[{key}]] tables", path(file));
    }
    Ok(rows)
}

/// A post of a department, by their names.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PostRef {
    pub(super) department: String,
    pub(super) post: String,
}

/// A TOML date (`2026-11-27`), for `#[serde(deserialize_with)]`.
pub(super) fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    let value = toml::value::Datetime::deserialize(deserializer)?;
    match (value.date, value.time, value.offset) {
        (Some(d), None, None) => NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
            .ok_or_else(|| D::Error::custom(format!("no such day: {value}"))),
        _ => Err(D::Error::custom(format!("expected a date such as 2026-11-27, found {value}"))),
    }
}

/// An optional TOML date, for `#[serde(default, deserialize_with)]`.
pub(super) fn optional_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    date(deserializer).map(Some)
}

/// A TOML local date and time in Beijing time (`2026-11-27 09:30:00`), as UTC.
pub(super) fn beijing_time<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    let value = toml::value::Datetime::deserialize(deserializer)?;
    let local = match (value.date, value.time, value.offset) {
        (Some(d), Some(t), None) => NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
            .zip(NaiveTime::from_hms_opt(t.hour.into(), t.minute.into(), t.second.unwrap_or(0).into()))
            .map(|(day, time)| NaiveDateTime::new(day, time)),
        _ => None,
    };
    let local =
        local.ok_or_else(|| D::Error::custom(format!("expected a time such as 2026-11-27 09:30:00, found {value}")))?;
    Ok(local.and_utc() - Duration::hours(8))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::domain::files::{self, FileKind};

    #[test]
    fn every_data_file_parses_and_passes_its_checks() {
        if let Err(e) = DemoData::parse() {
            panic!("{e:#}");
        }
        for file in FILES {
            if let Err(e) = parse::<toml::Table>(file) {
                panic!("{e}");
            }
        }
    }

    #[test]
    fn every_file_of_the_data_folder_is_embedded_and_starts_with_its_description() {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/src/demo/data");
        let on_disk: BTreeSet<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            // A table a clerk keeps (grade_history.csv) is embedded and checked by its loader.
            .filter(|name| !name.ends_with(".csv"))
            .collect();
        let embedded: BTreeSet<String> = FILES.iter().map(|f| f.name.to_string()).collect();
        assert_eq!(on_disk, embedded);
        for file in FILES {
            assert!(file.text.starts_with("# "), "{} starts with a comment saying what it holds", file.name);
        }
    }

    #[test]
    fn a_typo_names_the_file_and_the_line() {
        let broken = OFFICE.text.replacen("kind = \"general\"", "kind = \"genral\"", 1);
        let file = DataFile { name: OFFICE.name, text: Box::leak(broken.into_boxed_str()) };
        let error = parse::<OfficeFile>(&file).unwrap_err().to_string();
        assert!(error.contains("src/demo/data/office.toml"), "{error}");
        assert!(error.contains("line ") && error.contains("genral"), "{error}");
        let unknown = DataFile { name: "ledger.toml", text: "[[records]]\nitem = \"criticism\"\n" };
        let error = rows::<LedgerSpec>(&unknown, "record").unwrap_err().to_string();
        assert!(error.contains("src/demo/data/ledger.toml") && error.contains("records"), "{error}");
    }

    #[test]
    fn dates_and_beijing_times_read_as_written() {
        #[derive(Deserialize)]
        struct Row {
            #[serde(deserialize_with = "date")]
            day: NaiveDate,
            #[serde(deserialize_with = "beijing_time")]
            at: DateTime<Utc>,
        }
        let row: Row = toml::from_str("day = 2026-11-27\nat = 2026-01-05 09:30:00").unwrap();
        assert_eq!(row.day, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        assert_eq!(row.at.to_rfc3339(), "2026-01-05T01:30:00+00:00");
        assert!(toml::from_str::<Row>("day = 2026-02-30\nat = 2026-01-05 09:30:00").is_err());
        assert!(toml::from_str::<Row>("day = 2026-02-03\nat = 2026-01-05").is_err());
    }

    #[test]
    fn the_sample_files_are_a_small_pdf_and_a_small_png() {
        assert_eq!(files::sniff(SAMPLE_PDF), Some(FileKind::Pdf));
        assert_eq!(files::sniff(SAMPLE_PNG), Some(FileKind::Png));
        assert!(SAMPLE_PDF.len() < 20_000 && SAMPLE_PNG.len() < 20_000);
    }
}

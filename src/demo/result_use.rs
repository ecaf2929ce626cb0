//! The demo's use of results (`data/grade_history.csv` and
//! `data/result_use.toml`, docs/DOMAIN.md §19.6): the clerk's file of earlier
//! grades imported through the import's own steps, the career dates the
//! counters start from, the proposals of the final 2025 results, and a few
//! of them decided by the performance office.

use std::collections::HashMap;

use anyhow::{Context, anyhow};
use chrono::NaiveDate;
use serde::Deserialize;
use sqlx::PgConnection;

use super::data::{self, DataFile};
use super::monitor::TODAY;
use super::targets::at;
use crate::db::audit::AuditContext;
use crate::db::result_use as db;
use crate::domain::result_use::{self, Decision, ProposalKind, ProposalStatus};
use crate::domain::spreadsheet;
use crate::workflow::result_use as workflow;

const GRADE_HISTORY: &[u8] = include_bytes!("data/grade_history.csv");
pub(super) const FILE: DataFile = DataFile { name: "result_use.toml", text: include_str!("data/result_use.toml") };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResultUseFile {
    #[serde(default)]
    career: Vec<CareerSpec>,
    #[serde(default)]
    decision: Vec<DecisionSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CareerSpec {
    login: String,
    #[serde(default, deserialize_with = "data::optional_date")]
    step_since: Option<NaiveDate>,
    #[serde(default, deserialize_with = "data::optional_date")]
    level_since: Option<NaiveDate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionSpec {
    login: String,
    year: i32,
    kind: String,
    decision: String,
    reason: String,
    #[serde(deserialize_with = "data::date")]
    on: NaiveDate,
}

/// Imports the earlier grades, sets the career dates, syncs the proposals
/// and decides the file's; the counts for the `demo.loaded` audit row.
pub(super) async fn write(conn: &mut PgConnection) -> anyhow::Result<serde_json::Value> {
    let file: ResultUseFile = data::parse(&FILE)?;
    let mut logins: Vec<String> = file.career.iter().map(|c| c.login.clone()).collect();
    logins.extend(file.decision.iter().map(|d| d.login.clone()));
    logins.push("perf".into());
    let people: HashMap<String, i64> = db::people_by_username(conn, &logins).await?;
    let person = |login: &str| people.get(login).copied().ok_or_else(|| anyhow!("demo data: no person {login}"));
    let perf = person("perf")?;
    let clerk = AuditContext { actor_id: Some(perf), actor_name: "perf".into(), ..AuditContext::default() };
    for c in &file.career {
        let id = person(&c.login)?;
        if c.step_since.is_some() {
            db::set_step_since(conn, id, c.step_since).await?;
        }
        if c.level_since.is_some() {
            db::set_level_since(conn, id, c.level_since).await?;
        }
    }
    let rows = result_use::read_rows(&spreadsheet::parse(GRADE_HISTORY).map_err(|e| anyhow!("{e:?}"))?)
        .map_err(|e| anyhow!("demo data: grade_history.csv: {e:?}"))?;
    let rows = workflow::check_import(conn, rows, TODAY).await.map_err(|e| anyhow!("{e}"))?;
    if let Some(bad) = rows.iter().find(|r| r.has_errors()) {
        return Err(anyhow!("demo data: grade_history.csv line {}: {:?}", bad.line, bad.errors));
    }
    let import = db::insert_import(conn, perf, "grade_history.csv", &rows).await?;
    db::mark_import_committed(conn, import, perf).await?;
    let (imported, _) =
        workflow::write_import(conn, &clerk, perf, import, &rows, TODAY).await.map_err(|e| anyhow!("{e}"))?;
    let proposed = workflow::refresh_final_cycles(conn, TODAY).await.map_err(|e| anyhow!("{e}"))?;
    let mut decided = 0;
    for d in &file.decision {
        let id = person(&d.login)?;
        let kind = ProposalKind::parse(&d.kind).ok_or_else(|| anyhow!("demo data: unknown kind {}", d.kind))?;
        let decision =
            Decision::parse(&d.decision).ok_or_else(|| anyhow!("demo data: unknown decision {}", d.decision))?;
        let stored = db::lock_person_proposals(conn, id).await?;
        let p = stored
            .iter()
            .find(|p| p.year == d.year && p.kind == kind && p.status == ProposalStatus::Proposed)
            .with_context(|| format!("demo data: {} has no {} proposal of {}", d.login, d.kind, d.year))?;
        let (_, _, version) = db::lock_proposal(conn, p.id).await?.context("proposal")?;
        db::decide(conn, p.id, version, decision.status(), perf, at(d.on, 10 * 60), d.reason.trim()).await?;
        decided += 1;
    }
    Ok(serde_json::json!({ "imported_grades": imported, "proposals": proposed, "decided": decided }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grade_history_file_reads_without_a_bad_grade_or_year() {
        let rows = result_use::read_rows(&spreadsheet::parse(GRADE_HISTORY).unwrap()).unwrap();
        assert!(rows.len() > 10);
        for row in &rows {
            assert!(result_use::parse_grade(&row.grade).is_some(), "line {}: {}", row.line, row.grade);
            assert!(row.year.parse::<i32>().is_ok_and(|y| (2021..=2024).contains(&y)), "line {}", row.line);
        }
        let file: ResultUseFile = data::parse(&FILE).unwrap();
        assert!(
            file.decision
                .iter()
                .all(|d| ProposalKind::parse(&d.kind).is_some() && Decision::parse(&d.decision).is_some())
        );
    }
}

//! Last year's assessment of departments (`data/department_assessment.toml`):
//! the leaders' and heads' ratings cast, then the year decided by the
//! assessment committee through the same workflow as the decide button
//! (docs/DOMAIN.md §18.4).

use chrono::NaiveDate;
use serde::Deserialize;

use super::Plan;
use super::data::{self, DataFile};
use super::targets::{OfficeIds, at};
use crate::db::department_assessment::{self as store, parse_level};
use crate::domain::assessment::Level;
use crate::domain::assessment::department::RaterKind;
use crate::domain::roles::Role;
use crate::workflow::department_assessment as workflow;

pub(super) const FILE: DataFile =
    DataFile { name: "department_assessment.toml", text: include_str!("data/department_assessment.toml") };

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DepartmentAssessmentFile {
    year: i32,
    #[serde(deserialize_with = "data::date")]
    decided: NaiveDate,
    department: Vec<Ratings>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Ratings {
    name: String,
    leader: Vec<String>,
    peer: Vec<String>,
}

/// The ratings resolved against the office: per department (by index), the
/// levels of each kind; the raters of each kind; who decides.
#[derive(Debug, Clone)]
pub(super) struct DepartmentAssessmentPlan {
    year: i32,
    decided: NaiveDate,
    ratings: Vec<(usize, Vec<Level>, Vec<Level>)>,
    leaders: Vec<usize>,
    /// Heads with the department they head.
    heads: Vec<(usize, usize)>,
    decided_by: usize,
}

fn levels(codes: &[String], department: &str) -> anyhow::Result<Vec<Level>> {
    let levels: Option<Vec<Level>> = codes.iter().map(|c| parse_level(c)).collect();
    levels
        .filter(|l| !l.is_empty())
        .ok_or_else(|| anyhow::anyhow!("{}: {department} needs levels among excellent, good, fair, poor", FILE.name))
}

pub(super) fn plan(office: &Plan) -> anyhow::Result<DepartmentAssessmentPlan> {
    let file: DepartmentAssessmentFile = data::parse(&FILE)?;
    let mut ratings = Vec::new();
    for r in &file.department {
        let index = office.department_index(&r.name)?;
        ratings.push((index, levels(&r.leader, &r.name)?, levels(&r.peer, &r.name)?));
    }
    let leaders: Vec<usize> = (0..office.people.len())
        .filter(|&i| {
            office.people[i].grants.iter().any(|(r, _)| matches!(r, Role::SupervisingLeader | Role::PrincipalLeader))
        })
        .collect();
    let heads: Vec<(usize, usize)> = (0..office.people.len())
        .flat_map(|i| {
            office.people[i].grants.iter().filter_map(move |(r, d)| (*r == Role::DepartmentHead).then_some((i, (*d)?)))
        })
        .collect();
    let decided_by = office.people.iter().position(|p| p.username == "committee");
    let decided_by = decided_by.ok_or_else(|| anyhow::anyhow!("demo data: no person committee"))?;
    if leaders.is_empty() || heads.is_empty() {
        anyhow::bail!("{}: the office needs leaders and department heads to rate", FILE.name);
    }
    Ok(DepartmentAssessmentPlan { year: file.year, decided: file.decided, ratings, leaders, heads, decided_by })
}

/// Casts every rating and decides the year; the counts for the demo's audit row.
pub(super) async fn write(
    conn: &mut sqlx::PgConnection,
    plan: &DepartmentAssessmentPlan,
    ids: &OfficeIds<'_>,
) -> anyhow::Result<serde_json::Value> {
    let mut ballots = 0;
    for (department, leader_levels, peer_levels) in &plan.ratings {
        let department_id = ids.departments[*department];
        for (n, leader) in plan.leaders.iter().enumerate() {
            let level = leader_levels[n % leader_levels.len()];
            store::cast(conn, plan.year, RaterKind::Leader, ids.people[*leader], department_id, level).await?;
            ballots += 1;
        }
        let others = plan.heads.iter().filter(|(_, headed)| headed != department);
        for (n, (head, _)) in others.enumerate() {
            let level = peer_levels[n % peer_levels.len()];
            if store::cast(conn, plan.year, RaterKind::Peer, ids.people[*head], department_id, level).await? {
                ballots += 1;
            }
        }
    }
    let by = ids.people[plan.decided_by];
    let decided = workflow::decide(conn, plan.year, by, at(plan.decided, 8 * 60), plan.decided).await?;
    let until = decided.map(|(_, until)| until);
    Ok(serde_json::json!({ "year": plan.year, "ballots": ballots, "publicity_until": until }))
}

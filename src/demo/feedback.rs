//! The demo's stage 4 (`data/feedback.toml`, docs/DOMAIN.md §19.1, §19.2):
//! the written notices of the 2025 annual results, issued by the background
//! task's own step on the day it first ran after the results became final
//! and signed by most people over the following days, and the feedback
//! interviews of some departments, held and mostly confirmed.

use anyhow::{Context, anyhow};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;

use super::data::{self, FEEDBACK};
use crate::clock::office_instant;
use crate::db::notices::{self, NoticeFilter};
use crate::db::{demo, departments, interviews, people};
use crate::domain::feedback::InterviewRecord;
use crate::workflow::results::issue_notices;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedbackFile {
    cycle: String,
    #[serde(deserialize_with = "data::date")]
    issued: NaiveDate,
    notices: NoticeSpec,
    interview: Vec<InterviewSpec>,
    record: Vec<RecordSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoticeSpec {
    acknowledged_after: Vec<i64>,
    waiting: Vec<String>,
    opinion_every: usize,
    opinions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InterviewSpec {
    department: String,
    #[serde(deserialize_with = "data::date")]
    held: NaiveDate,
    place: String,
    unconfirmed: Vec<String>,
    comment_every: usize,
    comments: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordSpec {
    strengths: String,
    gaps: String,
    goals: String,
    actions: String,
    private_note: String,
}

fn parse() -> anyhow::Result<FeedbackFile> {
    let file: FeedbackFile = data::parse(&FEEDBACK)?;
    let bad = file.notices.acknowledged_after.is_empty()
        || file.record.is_empty()
        || (file.notices.opinion_every > 0 && file.notices.opinions.is_empty())
        || file.interview.iter().any(|i| i.comment_every > 0 && i.comments.is_empty());
    if bad {
        anyhow::bail!("src/demo/data/feedback.toml: a list that is taken in turn is empty");
    }
    Ok(file)
}

async fn person_ids(conn: &mut PgConnection, usernames: &[String]) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(usernames.len());
    for username in usernames {
        let person = people::find_for_login(conn, username).await?;
        ids.push(person.with_context(|| format!("src/demo/data/feedback.toml: no person {username}"))?.id);
    }
    Ok(ids)
}

/// Issues and signs the notices and holds the interviews; their counts.
pub(super) async fn write(conn: &mut PgConnection) -> anyhow::Result<serde_json::Value> {
    let file = parse()?;
    let cycle = demo::cycle_by_name(conn, &file.cycle)
        .await?
        .ok_or_else(|| anyhow!("src/demo/data/feedback.toml: no cycle {}", file.cycle))?;
    let issued = issue_notices(conn, file.issued).await?;
    let signed = sign_notices(conn, &file, cycle).await?;
    let mut held = 0;
    for spec in &file.interview {
        held += hold_interviews(conn, &file.record, spec, cycle).await?;
    }
    Ok(json!({ "notices": issued, "acknowledged": signed, "interviews": held }))
}

async fn sign_notices(conn: &mut PgConnection, file: &FeedbackFile, cycle: i64) -> anyhow::Result<usize> {
    let spec = &file.notices;
    let waiting = person_ids(conn, &spec.waiting).await?;
    let rows = notices::list(conn, &NoticeFilter { cycle_id: Some(cycle), ..NoticeFilter::default() }).await?;
    let mut signed = 0;
    for row in rows.iter().filter(|r| !waiting.contains(&r.person_id)) {
        let after = spec.acknowledged_after[signed % spec.acknowledged_after.len()];
        let with_opinion = spec.opinion_every > 0 && (signed + 1) % spec.opinion_every == 0;
        let opinion =
            if with_opinion { spec.opinions[(signed / spec.opinion_every) % spec.opinions.len()].as_str() } else { "" };
        let at = office_instant(file.issued + Duration::days(after), 9 + (signed % 8) as u32);
        notices::acknowledge(conn, row.id, row.person_id, at, opinion).await?;
        signed += 1;
    }
    Ok(signed)
}

async fn hold_interviews(
    conn: &mut PgConnection,
    records: &[RecordSpec],
    spec: &InterviewSpec,
    cycle: i64,
) -> anyhow::Result<usize> {
    let department = departments::choices(conn)
        .await?
        .into_iter()
        .find(|d| d.name == spec.department)
        .ok_or_else(|| anyhow!("src/demo/data/feedback.toml: no department {}", spec.department))?
        .id;
    let unconfirmed = person_ids(conn, &spec.unconfirmed).await?;
    let lines = interviews::lines(conn, cycle, Some(&[department])).await?;
    let mut held = 0;
    for (k, line) in lines.iter().enumerate() {
        let Some(interviewer) = demo::interviewer_for(conn, department, line.person_id).await? else { continue };
        let at = office_instant(spec.held - Duration::days(3), 15);
        let scheduled = office_instant(spec.held, 9) + Duration::minutes(40 * k as i64);
        let id = interviews::schedule(conn, cycle, line.person_id, interviewer, scheduled, &spec.place)
            .await?
            .context("an interview held twice")?;
        let r = &records[k % records.len()];
        let record = InterviewRecord {
            held_on: spec.held,
            strengths: r.strengths.clone(),
            gaps: r.gaps.clone(),
            goals: r.goals.clone(),
            actions: r.actions.clone(),
            private_note: r.private_note.clone(),
        };
        interviews::record(conn, id, interviewer, 1, &record).await?;
        if !unconfirmed.contains(&line.person_id) {
            let with_comment = spec.comment_every > 0 && (k + 1) % spec.comment_every == 0;
            let comment =
                if with_comment { spec.comments[k / spec.comment_every % spec.comments.len()].as_str() } else { "" };
            interviews::confirm(conn, id, line.person_id, 2, comment, at + Duration::days(4)).await?;
        }
        held += 1;
    }
    Ok(held)
}

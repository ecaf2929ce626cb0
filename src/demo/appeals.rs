//! The demo's reviews and appeals of the 2025 annual results
//! (`data/appeals.toml`, docs/DOMAIN.md §19.4): a review decided (upheld), an
//! appeal about that review's decision, decided, and a review still waiting
//! for the committee on the demo's day. Filing records the request as the
//! data says it was filed; deciding goes through the committee's own step
//! ([`workflow::appeals::decide`]).

use anyhow::{Context, bail};
use chrono::{NaiveDate, TimeZone};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;

use sha2::{Digest, Sha256};

use super::data::{self, DataFile, SAMPLE_PDF};
use crate::db::appeals::{self, NewAppeal};
use crate::db::attachments::{self, NewAttachment};
use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::people;
use crate::domain::appeals::{self as rules, AppealKind, AppealOutcome};
use crate::domain::files::{self, FileKind};
use crate::workflow::appeals::{self as flow, Deciding};

pub(super) const FILE: DataFile = DataFile { name: "appeals.toml", text: include_str!("data/appeals.toml") };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AppealsFile {
    cycle: String,
    decided_by: String,
    request: Vec<RequestSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestSpec {
    username: String,
    kind: String,
    #[serde(deserialize_with = "data::date")]
    learned: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    filed: NaiveDate,
    #[serde(default, deserialize_with = "optional_date")]
    decided: Option<NaiveDate>,
    reasons: String,
    #[serde(default)]
    decision_reason: String,
    /// The name of an attached document (the demo's sample PDF).
    #[serde(default)]
    attachment: Option<String>,
}

fn optional_date<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    data::date(deserializer).map(Some)
}

async fn person(conn: &mut PgConnection, username: &str) -> anyhow::Result<i64> {
    Ok(people::find_for_login(conn, username)
        .await?
        .with_context(|| format!("{}: no person {username}", FILE.name))?
        .id)
}

/// 10:00 office time of a day.
fn at(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    crate::clock::OFFICE_TZ
        .from_local_datetime(&day.and_hms_opt(10, 0, 0).unwrap_or_default())
        .single()
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_default()
}

/// Files and decides the requests; the number written.
pub(super) async fn write(conn: &mut PgConnection) -> anyhow::Result<usize> {
    let file: AppealsFile = data::parse(&FILE)?;
    let committee = person(conn, &file.decided_by).await?;
    let committee_name = people::find(conn, committee).await?.map(|p| p.full_name).unwrap_or_default();
    let actor = AuditContext { actor_id: Some(committee), actor_name: committee_name, ..Default::default() };
    // The review each person filed, and the day it was decided.
    let mut reviews: Vec<(i64, i64, Option<NaiveDate>)> = Vec::new();
    for spec in &file.request {
        let person_id = person(conn, &spec.username).await?;
        let Some(kind) = AppealKind::parse(&spec.kind) else { bail!("{}: no kind {}", FILE.name, spec.kind) };
        let result = appeals::own_results(conn, person_id)
            .await?
            .into_iter()
            .find(|r| r.cycle_name == file.cycle)
            .with_context(|| format!("{}: {} has no result in {}", FILE.name, spec.username, file.cycle))?;
        let review = reviews.iter().find(|(p, _, _)| *p == person_id).copied();
        let (from, review_id) = match (kind, review) {
            (AppealKind::Appeal, Some((_, id, Some(decided)))) => (decided, Some(id)),
            (AppealKind::Appeal, Some(_)) => bail!("{}: an appeal follows an undecided review", FILE.name),
            _ => (spec.learned, None),
        };
        let (settings, calendar) = flow::clocks(conn, from, spec.filed).await?;
        let days = match (kind, review_id) {
            (AppealKind::Review, _) => settings.review_request_days,
            (AppealKind::Appeal, Some(_)) => settings.appeal_after_review_days,
            (AppealKind::Appeal, None) => settings.appeal_direct_days,
        };
        let until = rules::calendar_deadline(&calendar, from, days);
        if spec.filed > until || spec.filed < from {
            bail!("{}: {}'s {} is filed outside its window {from}–{until}", FILE.name, spec.username, spec.kind);
        }
        let new = NewAppeal {
            kind,
            cycle_id: result.cycle_id,
            person_id,
            review_id,
            grade_before: result.grade,
            reasons: &spec.reasons,
            filed_at: at(spec.filed),
            filed_on: spec.filed,
            window_from: from,
            window_until: until,
            answer_due: rules::answer_due(kind, spec.filed, &settings, &calendar),
        };
        let id = appeals::insert(conn, &new).await?;
        let filer = AuditContext { actor_id: Some(person_id), actor_name: spec.username.clone(), ..Default::default() };
        let summary = json!({ "kind": kind.code(), "cycle_id": result.cycle_id, "person_id": person_id,
                              "window_until": until, "answer_due": new.answer_due });
        audit::record(conn, &filer, AuditEvent::new("appeal.filed", "result_appeal", id, summary)).await?;
        if let Some(name) = &spec.attachment {
            let sha256 = Sha256::digest(SAMPLE_PDF).iter().map(|b| format!("{b:02x}")).collect();
            let file = NewAttachment {
                file_name: files::safe_file_name(name, FileKind::Pdf),
                content_type: FileKind::Pdf.content_type().into(),
                sha256,
                bytes: SAMPLE_PDF.to_vec(),
            };
            attachments::insert(conn, flow::OWNER, id, &file, person_id).await?;
        }
        if let Some(decided) = spec.decided {
            let appeal = appeals::find(conn, id).await?.context("the request just filed")?;
            let deciding =
                Deciding { outcome: AppealOutcome::Upheld, grade: None, reason: &spec.decision_reason, by: committee };
            flow::decide(conn, &actor, &appeal, &deciding, at(decided)).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        if kind == AppealKind::Review {
            reviews.push((person_id, id, spec.decided));
        }
    }
    Ok(file.request.len())
}

//! Reviews (复核) and appeals (申诉) (docs/DOMAIN.md §19.4): where each of a
//! person's final results stands on its clocks, filing a request, and the
//! committee's decision and extension. Handlers and the demo share these.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgConnection;

use crate::db::appeals::{self, AppealRow, Decision, Extension, Filter, NewAppeal, OwnResultRow};
use crate::db::attachments::{self, NewAttachment};
use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::notifications::{self, NewNotification};
use crate::db::{calendar, settings};
use crate::domain::appeals::{self as rules, AppealKind, AppealOutcome, Refusal, ResultFacts, Window};
use crate::domain::assessment::DecidedGrade;
use crate::domain::settings::Settings;
use crate::domain::workdays::WorkCalendar;
use crate::error::{AppError, AppResult};
use crate::workflow::results::{self, Correction, ResultSource};

/// The owner type of a request's attachments.
pub const OWNER: &str = "result_appeal";

/// Days of the work calendar loaded past the earliest day a clock starts
/// from: the longest window or deadline the settings allow, with room.
const CALENDAR_SPAN_DAYS: i64 = 800;

/// The day the person learnt the result: the written notice (docs/DOMAIN.md §19.4).
async fn learned_on(conn: &mut PgConnection, cycle_id: i64, person_id: i64) -> AppResult<Option<NaiveDate>> {
    Ok(crate::db::notices::learned_on(conn, cycle_id, person_id).await?)
}

/// The settings (of the year of `today`) and the work calendar from `from` on.
pub async fn clocks(conn: &mut PgConnection, from: NaiveDate, today: NaiveDate) -> AppResult<(Settings, WorkCalendar)> {
    let settings = settings::for_year(conn, today.year()).await?;
    let from = from.min(today);
    let calendar = calendar::load(conn, from, from + Duration::days(CALENDAR_SPAN_DAYS)).await?;
    Ok((settings, calendar))
}

/// One of the person's decided annual results and where it stands.
#[derive(Debug, Clone)]
pub struct Standing {
    pub result: OwnResultRow,
    pub is_final: bool,
    pub learned_on: Option<NaiveDate>,
    /// The review the person may file today, or why not.
    pub review: Result<Window, Refusal>,
    /// The appeal the person may file today, or why not.
    pub appeal: Result<Window, Refusal>,
    /// The requests filed about it, newest first.
    pub requests: Vec<AppealRow>,
}

fn facts(
    result: &OwnResultRow,
    learned_on: Option<NaiveDate>,
    requests: &[AppealRow],
    today: NaiveDate,
) -> ResultFacts {
    let review = requests.iter().find(|r| r.kind == AppealKind::Review);
    ResultFacts {
        is_final: today > result.publicity_until,
        learned_on,
        open_request: requests.iter().any(AppealRow::is_open),
        review: review.map(|r| (r.id, r.decided_on)),
        appealed: requests.iter().any(|r| r.kind == AppealKind::Appeal),
    }
}

/// Where each of the person's results stands today, with the settings and
/// the calendar its clocks were worked out on.
pub async fn standings(
    conn: &mut PgConnection,
    person_id: i64,
    today: NaiveDate,
) -> AppResult<(Vec<Standing>, Settings, WorkCalendar)> {
    let results = appeals::own_results(conn, person_id).await?;
    let requests = appeals::select(conn, Filter { person_id: Some(person_id), ..Filter::default() }).await?;
    let mut learned = Vec::new();
    for result in &results {
        learned.push(learned_on(conn, result.cycle_id, person_id).await?);
    }
    let earliest = learned.iter().flatten().chain(requests.iter().map(|r| &r.window_from)).min().copied();
    let (settings, calendar) = clocks(conn, earliest.unwrap_or(today), today).await?;
    let standings = results
        .into_iter()
        .zip(learned)
        .map(|(result, learned_on)| {
            let mut mine: Vec<AppealRow> = requests.iter().filter(|r| r.cycle_id == result.cycle_id).cloned().collect();
            mine.sort_by_key(|r| std::cmp::Reverse(r.id));
            let facts = facts(&result, learned_on, &mine, today);
            Standing {
                review: rules::may_file(AppealKind::Review, &facts, &settings, &calendar, today),
                appeal: rules::may_file(AppealKind::Appeal, &facts, &settings, &calendar, today),
                is_final: facts.is_final,
                learned_on,
                result,
                requests: mine,
            }
        })
        .collect();
    Ok((standings, settings, calendar))
}

/// A request as the person files it.
#[derive(Debug, Clone)]
pub struct Filing<'a> {
    pub kind: AppealKind,
    pub cycle_id: i64,
    pub person_id: i64,
    pub reasons: &'a str,
    pub files: &'a [NewAttachment],
}

/// Files a request about the person's own result, with its attachments,
/// audited; `Ok(Err(refusal))` when the clocks or the requests already filed
/// refuse it. `NotFound` when the person has no such decided annual result.
pub async fn file(
    conn: &mut PgConnection,
    actor: &AuditContext,
    filing: &Filing<'_>,
    now: DateTime<Utc>,
) -> AppResult<Result<i64, Refusal>> {
    let today = crate::clock::office_date(now);
    if !appeals::lock_result(conn, filing.cycle_id, filing.person_id).await? {
        return Err(AppError::NotFound);
    }
    let result = appeals::own_results(conn, filing.person_id)
        .await?
        .into_iter()
        .find(|r| r.cycle_id == filing.cycle_id)
        .ok_or(AppError::NotFound)?;
    let requests: Vec<AppealRow> =
        appeals::select(conn, Filter { person_id: Some(filing.person_id), ..Filter::default() })
            .await?
            .into_iter()
            .filter(|r| r.cycle_id == filing.cycle_id)
            .collect();
    let learned = learned_on(conn, filing.cycle_id, filing.person_id).await?;
    let facts = facts(&result, learned, &requests, today);
    let review_decided = facts.review.and_then(|(_, on)| on);
    let (settings, calendar) = clocks(conn, learned.or(review_decided).unwrap_or(today), today).await?;
    let window = match rules::may_file(filing.kind, &facts, &settings, &calendar, today) {
        Ok(window) => window,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let answer_due = rules::answer_due(filing.kind, today, &settings, &calendar);
    let new = NewAppeal {
        kind: filing.kind,
        cycle_id: filing.cycle_id,
        person_id: filing.person_id,
        review_id: window.review_id,
        grade_before: result.grade,
        reasons: filing.reasons,
        filed_at: now,
        filed_on: today,
        window_from: window.from,
        window_until: window.until,
        answer_due,
    };
    let id = appeals::insert(conn, &new).await?;
    let summary = json!({
        "kind": filing.kind.code(), "cycle_id": filing.cycle_id, "person_id": filing.person_id,
        "review_id": window.review_id, "grade": result.grade.code(), "window_from": window.from,
        "window_until": window.until, "answer_due": answer_due,
    });
    audit::record(conn, actor, AuditEvent::new("appeal.filed", "result_appeal", id, summary)).await?;
    for file in filing.files {
        let file_id = attachments::insert(conn, OWNER, id, file, filing.person_id).await?;
        let summary =
            json!({ "owner_type": OWNER, "owner_id": id, "file_name": file.file_name, "sha256": file.sha256 });
        audit::record(conn, actor, AuditEvent::new("attachment.uploaded", "attachment", file_id, summary)).await?;
    }
    Ok(Ok(id))
}

/// The committee's decision as given.
#[derive(Debug, Clone)]
pub struct Deciding<'a> {
    pub outcome: AppealOutcome,
    /// The corrected grade (a correction only).
    pub grade: Option<DecidedGrade>,
    pub reason: &'a str,
    pub by: i64,
}

/// Decides an open request (locked by the caller, at `appeal.version`): a
/// correction writes the result's new version, re-runs its counters and
/// issues a new notice (`workflow::results::correct`); the person is told;
/// audited. False when the request was decided or changed meanwhile.
pub async fn decide(
    conn: &mut PgConnection,
    actor: &AuditContext,
    appeal: &AppealRow,
    deciding: &Deciding<'_>,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let today = crate::clock::office_date(now);
    if deciding.by == appeal.person_id {
        return Err(AppError::Forbidden);
    }
    let result_version = match (deciding.outcome, deciding.grade) {
        (AppealOutcome::Corrected, Some(grade)) => {
            let correction = Correction {
                cycle_id: appeal.cycle_id,
                person_id: appeal.person_id,
                grade,
                score: None,
                reason: deciding.reason,
                source: match appeal.kind {
                    AppealKind::Review => ResultSource::Review,
                    AppealKind::Appeal => ResultSource::Appeal,
                },
                source_id: appeal.id,
                by: deciding.by,
                at: now,
            };
            Some(results::correct(conn, actor, &correction, today).await?)
        }
        (AppealOutcome::Corrected, None) => return Err(AppError::BadRequest),
        (AppealOutcome::Upheld, _) => None,
    };
    let decision = Decision {
        outcome: deciding.outcome,
        grade_after: deciding.grade.filter(|_| deciding.outcome == AppealOutcome::Corrected),
        result_version,
        reason: deciding.reason,
        by: deciding.by,
        at: now,
        on: today,
    };
    if !appeals::decide(conn, appeal.id, appeal.version, &decision).await? {
        return Ok(false);
    }
    let notice = NewNotification {
        person_id: appeal.person_id,
        message: "notify-appeal-decided",
        args: json!({ "title": appeal.cycle_name }),
        link: format!("/feedback/appeals/{}", appeal.id),
        dedupe_key: Some(format!("appeal_decided:{}", appeal.id)),
    };
    notifications::raise(conn, &notice).await?;
    let summary = json!({
        "kind": appeal.kind.code(), "cycle_id": appeal.cycle_id, "person_id": appeal.person_id,
        "outcome": deciding.outcome.code(), "reason": deciding.reason, "due": appeal.due(), "decided_on": today,
        "in_time": today <= appeal.due(),
        "grade": { "before": appeal.grade_before.code(), "after": decision.grade_after.map(|g| g.code()) },
        "result_version": result_version,
    });
    audit::record(conn, actor, AuditEvent::new("appeal.decided", "result_appeal", appeal.id, summary)).await?;
    Ok(true)
}

/// Extends an open appeal's answer deadline once by `days`, with a reason
/// (the committee, never about their own appeal), audited; `Ok(Err(refusal))`
/// when the rules refuse, `Ok(Ok(None))` when it changed meanwhile.
pub async fn extend(
    conn: &mut PgConnection,
    actor: &AuditContext,
    appeal: &AppealRow,
    days: i32,
    reason: &str,
    by: i64,
    now: DateTime<Utc>,
) -> AppResult<Result<Option<NaiveDate>, rules::ExtensionRefusal>> {
    if by == appeal.person_id {
        return Err(AppError::Forbidden);
    }
    let today = crate::clock::office_date(now);
    let (settings, calendar) = clocks(conn, appeal.filed_on, today).await?;
    let due = match rules::extended_due(
        appeal.kind,
        !appeal.is_open(),
        appeal.extended_due.is_some(),
        appeal.filed_on,
        days,
        &settings,
        &calendar,
    ) {
        Ok(due) => due,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let extension = Extension { days, due, reason, by, at: now };
    if !appeals::extend(conn, appeal.id, appeal.version, &extension).await? {
        return Ok(Ok(None));
    }
    let summary = json!({ "days": days, "reason": reason, "due": { "before": appeal.answer_due, "after": due } });
    audit::record(conn, actor, AuditEvent::new("appeal.extended", "result_appeal", appeal.id, summary)).await?;
    Ok(Ok(Some(due)))
}

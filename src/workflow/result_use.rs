//! The use of results (docs/DOMAIN.md §19.6): works out a person's counters
//! from their final annual grades and imported earlier ones, and keeps the
//! stored proposals in step: adds the new ones, withdraws proposed ones no
//! longer due, flags confirmed ones whose basis changed. Called by the
//! background task, the demo, the grade import and a corrected result.

use chrono::{Datelike, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgConnection;

use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::result_use as db;
use crate::domain::result_use::{
    self, Counters, GradeImportRow, GradeSource, GradeYear, ImportFacts, ProposalStatus, Rules,
};
use crate::error::AppResult;

/// A person's counters as of `today`, with the rules they were worked out by.
pub async fn person_counters(
    conn: &mut PgConnection,
    person_id: i64,
    today: NaiveDate,
) -> AppResult<(Counters, Rules)> {
    let mut years: Vec<GradeYear> = db::final_results(conn, Some(person_id), today)
        .await?
        .into_iter()
        .map(|r| GradeYear { year: r.year, grade: r.grade, source: GradeSource::Decided })
        .collect();
    years.extend(db::imported_grades(conn, person_id).await?.into_iter().map(|(year, grade)| GradeYear {
        year,
        grade,
        source: GradeSource::Imported,
    }));
    let dates = db::counter_dates(conn, person_id).await?;
    let rules = Rules::from_settings(&crate::db::settings::for_year(conn, today.year()).await?);
    Ok((result_use::counters(&years, dates, rules), rules))
}

/// Recomputes a person's counters from the results in force and syncs their
/// proposals; each change is audited. Proposals are made only for years the
/// system decided: imported years feed the counters, their records were kept
/// on paper (docs/DOMAIN.md §19.6). Returns how many proposals it added.
pub async fn refresh_person(conn: &mut PgConnection, person_id: i64, today: NaiveDate) -> AppResult<()> {
    refresh(conn, person_id, today).await.map(|_| ())
}

async fn refresh(conn: &mut PgConnection, person_id: i64, today: NaiveDate) -> AppResult<usize> {
    let (counters, _) = person_counters(conn, person_id, today).await?;
    let due: Vec<_> = counters
        .rows
        .iter()
        .filter(|r| r.source == GradeSource::Decided)
        .flat_map(|r| r.due.iter().map(move |k| (r.year, *k)))
        .collect();
    let existing = db::lock_person_proposals(conn, person_id).await?;
    let sync = result_use::sync(&due, &existing);
    let system = AuditContext { actor_name: "system".into(), ..AuditContext::default() };
    let now = Utc::now();
    let mut added = 0;
    for (year, kind) in &sync.add {
        if let Some(id) = db::insert_proposal(conn, person_id, *year, *kind, now).await? {
            let summary = json!({ "person": person_id, "year": year, "kind": kind.code() });
            audit::record(conn, &system, AuditEvent::new("result_use.proposed", "result_use_proposal", id, summary))
                .await?;
            added += 1;
        }
    }
    for (ids, status, action) in [
        (&sync.withdraw, ProposalStatus::Withdrawn, "result_use.withdrawn"),
        (&sync.reopen, ProposalStatus::Proposed, "result_use.reopened"),
    ] {
        for id in ids {
            db::set_undecided_status(conn, *id, status).await?;
            audit::record(conn, &system, AuditEvent::new(action, "result_use_proposal", id, json!({}))).await?;
        }
    }
    for (id, changed) in &sync.flag {
        db::set_basis_changed(conn, *id, *changed).await?;
        let summary = json!({ "basis_changed": changed });
        audit::record(conn, &system, AuditEvent::new("result_use.basis_checked", "result_use_proposal", id, summary))
            .await?;
    }
    Ok(added)
}

/// Syncs the proposals of every person with a final annual result (as of
/// `today`); idempotent. Returns how many proposals it added.
pub async fn refresh_final_cycles(conn: &mut PgConnection, today: NaiveDate) -> AppResult<usize> {
    let mut added = 0;
    for person_id in db::people_with_final_results(conn, today).await? {
        added += refresh(conn, person_id, today).await?;
    }
    Ok(added)
}

/// Checks the rows of a grade import against the database as it is now
/// (docs/DOMAIN.md §19.6): known usernames, years before this one, and never a
/// year the system decided for the person.
pub async fn check_import(
    conn: &mut PgConnection,
    rows: Vec<GradeImportRow>,
    today: NaiveDate,
) -> AppResult<Vec<GradeImportRow>> {
    let mut usernames: Vec<String> = rows.iter().map(|r| r.username.trim().to_string()).collect();
    usernames.sort();
    usernames.dedup();
    let people = db::people_by_username(conn, &usernames).await?;
    let ids: Vec<i64> = people.values().copied().collect();
    let (decided, imported) = db::known_years(conn, &ids).await?;
    let facts = ImportFacts { people, decided, imported, before_year: today.year() };
    Ok(result_use::check_rows(rows, &facts))
}

/// Writes the rows of a checked import without problems, each audited, then
/// syncs the proposals of everyone it touched; returns (written, replaced).
pub async fn write_import(
    conn: &mut PgConnection,
    actor: &AuditContext,
    by: i64,
    import_id: i64,
    rows: &[GradeImportRow],
    today: NaiveDate,
) -> AppResult<(usize, usize)> {
    let (mut written, mut replaced) = (0, 0);
    let mut touched = Vec::new();
    for row in rows {
        let Some((person_id, year, grade, _)) = row.action else { continue };
        let before = db::put_imported_grade(conn, import_id, by, person_id, year, grade).await?;
        let summary = json!({
            "person": person_id, "year": year, "grade": result_use::grade_code(grade), "before": before,
            "source": { "import": import_id, "line": row.line },
        });
        audit::record(conn, actor, AuditEvent::new("grade_history.imported", "person", person_id, summary)).await?;
        written += 1;
        replaced += usize::from(before.is_some());
        touched.push(person_id);
    }
    touched.sort_unstable();
    touched.dedup();
    for person_id in touched {
        refresh(conn, person_id, today).await?;
    }
    Ok((written, replaced))
}

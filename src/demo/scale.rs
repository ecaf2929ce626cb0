//! The office of benchmark scale (`demo --scale`): 40 departments of 50
//! current and 20 former staff over `years` annual cycles, ending in the
//! current year with the months already over reported. About 16,000 targets
//! and 190,000 monthly reports a year, with supervision items, ledger records,
//! commitment cases, notifications and the audit rows of those writes. The rows
//! are made by set-based SQL (`db::scale`), so ten years take minutes.
//!
//! Sign-ins (password [`DEMO_PASSWORD`](super::DEMO_PASSWORD)): `sDDNNN` for
//! staff member NNN of department DD (`s01001` heads 办公室, `s01002` works
//! there), `leader1`..`leader8`, `perf`, `committee`, `supervisor`, `admin`.

use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use sqlx::PgPool;

use super::DEMO_PASSWORD;
use crate::auth::password::Passwords;
use crate::db::scale::{self, ScaleShape};

/// Generates the office into an empty database, in one transaction.
pub async fn load(pool: &PgPool, passwords: &Passwords, years: i32, today: NaiveDate) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    if !crate::db::demo::office_is_empty(&mut tx).await? {
        println!("the database already holds an office; nothing was generated");
        return Ok(());
    }
    let shape = ScaleShape {
        departments: 40,
        active_per_department: 50,
        former_per_department: 20,
        years,
        current_year: today.year(),
        months_reported: today.month0() as i32,
    };
    scale::without_statement_timeout(&mut tx).await?;
    let hash = passwords.hash(DEMO_PASSWORD.to_string()).await?;
    let started = Instant::now();
    let mut step = Step { since: Instant::now() };
    step.done("departments", scale::departments(&mut tx, &shape).await?);
    step.done("people", scale::people(&mut tx, &shape, &hash).await?);
    step.done("roles", scale::role_grants(&mut tx).await?);
    step.done("posts", scale::posts(&mut tx, &shape).await?);
    step.done("cycles", scale::cycles(&mut tx, &shape).await?);
    step.done("work calendar", crate::db::calendar::seed_official_years(&mut tx).await? as u64);
    step.done("target sets", scale::target_sets(&mut tx, &shape).await?);
    step.done("targets", scale::targets(&mut tx).await?);
    step.done("progress reports", scale::progress_reports(&mut tx, &shape).await?);
    step.done("supervision", scale::supervision(&mut tx, &shape).await?);
    step.done("ledger", scale::ledger(&mut tx, &shape).await?);
    step.done("commitments", scale::commitments(&mut tx, &shape).await?);
    step.done("notifications", scale::notifications(&mut tx).await?);
    step.done("audit rows", scale::audit_rows(&mut tx).await?);
    tx.commit().await?;
    println!("generated {years} years of a {}-department office in {:.0?}", shape.departments, started.elapsed());
    println!("sign in as s01002 (staff), s01001 (head of 办公室), perf, leader1 or admin; password {DEMO_PASSWORD}");
    Ok(())
}

/// Prints each step with its row count and time.
struct Step {
    since: Instant,
}

impl Step {
    fn done(&mut self, name: &str, rows: u64) {
        println!("{name:>18}: {rows:>9} rows in {:.1?}", self.since.elapsed());
        self.since = Instant::now();
    }
}

//! The one row layout of every target export (docs/DOMAIN.md §20.3) and the
//! writing of a sheet from rows streamed out of PostgreSQL: the rows travel
//! through a short channel to a writer on the blocking pool, which keeps only
//! the current row in memory, so the office's whole history costs no more
//! memory than one plan.

use std::collections::HashMap;

use futures_util::TryStreamExt;
use futures_util::stream::BoxStream;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::db::target_export::TargetExportRow;
use crate::domain::plan;
use crate::domain::settings::Settings;
use crate::i18n::Lang;
use crate::xlsx::{Cell, SheetHead, SheetWriter};

/// The columns of the sheet, as locale keys of their labels: where the
/// target belongs, the target as written, and how it stands. The import
/// (`domain::target_import`) reads the same labels back.
pub const HEADERS: [&str; 21] = [
    "field-cycle",
    "field-department",
    "field-level",
    "field-owner",
    "field-username",
    "field-target-title",
    "field-category",
    "field-target-kind",
    "field-measure",
    "field-unit",
    "field-target-value",
    "field-direction",
    "field-baseline",
    "field-weight",
    "field-deadline",
    "field-method",
    "field-backup",
    "field-plan-status",
    "target-sheet-completion",
    "target-sheet-last-report",
    "target-sheet-slip",
];

/// Rows waiting between the database and the writer.
const CHANNEL_ROWS: usize = 256;

/// The completion cap (docs/DOMAIN.md §6.7) of each cycle year.
#[derive(Debug, Clone, Default)]
pub struct Caps(pub HashMap<i32, i32>);

impl Caps {
    fn of(&self, year: i32) -> i32 {
        self.0.get(&year).copied().unwrap_or_else(|| Settings::default().completion_cap_percent)
    }
}

/// Text, or an empty cell for none.
fn text(value: impl Into<String>) -> Cell {
    let value = value.into();
    if value.is_empty() { Cell::Empty } else { Cell::Text(value) }
}

/// The cells of one target, in the order of [`HEADERS`].
pub fn cells(lang: Lang, row: &TargetExportRow, caps: &Caps) -> Vec<Cell> {
    let completion =
        plan::target_completion(row.kind, row.verified_value, row.target_value, row.direction, caps.of(row.cycle_year));
    vec![
        Cell::text(row.cycle_name.clone()),
        text(row.department_name.clone().unwrap_or_default()),
        text(lang.t(&row.level.label_key())),
        text(row.owner_name.clone().unwrap_or_default()),
        text(row.owner_username.clone().unwrap_or_default()),
        Cell::text(row.title.clone()),
        text(lang.t(&row.category.label_key())),
        text(lang.t(&row.kind.label_key())),
        text(row.measure.clone()),
        text(row.unit.clone()),
        row.target_value.into(),
        text(lang.t(&row.direction.label_key())),
        row.baseline.into(),
        row.weight.into(),
        row.deadline.into(),
        text(row.assessment_method.clone()),
        text(row.backup_name.clone().unwrap_or_default()),
        text(lang.t(&row.status.label_key())),
        Cell::percent(completion.and_then(|c| (c / Decimal::from(100)).to_f64())),
        row.last_report_day.into(),
        row.slip_colour.map_or(Cell::Empty, |colour| text(lang.t(&colour.label_key()))),
    ]
}

/// Who follows the writing of a long sheet.
pub trait Progress {
    /// How often, in rows, [`Progress::rows_written`] is called.
    fn every(&self) -> u32;

    /// Hears the number of rows written so far; an error stops the writing.
    fn rows_written(&mut self, rows: u32) -> impl Future<Output = anyhow::Result<()>> + Send;
}

/// Nobody follows: a sheet written within a request.
pub struct Unwatched;

impl Progress for Unwatched {
    fn every(&self) -> u32 {
        u32::MAX
    }

    fn rows_written(&mut self, _: u32) -> impl Future<Output = anyhow::Result<()>> + Send {
        std::future::ready(Ok(()))
    }
}

/// Writes every row of `rows` into a streamed sheet under `head` and returns
/// the workbook with the number of rows; `progress` hears how far it is.
pub async fn write(
    mut rows: BoxStream<'_, Result<TargetExportRow, sqlx::Error>>,
    head: SheetHead,
    lang: Lang,
    caps: &Caps,
    mut progress: impl Progress,
) -> anyhow::Result<(Vec<u8>, u32)> {
    let every = progress.every().max(1);
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<Cell>>(CHANNEL_ROWS);
    let writer = tokio::task::spawn_blocking(move || {
        let mut sheet = SheetWriter::new(head, true)?;
        while let Some(row) = receiver.blocking_recv() {
            sheet.push(&row)?;
        }
        sheet.finish()
    });
    let mut written = 0u32;
    let read: anyhow::Result<()> = async {
        while let Some(row) = rows.try_next().await? {
            if sender.send(cells(lang, &row, caps)).await.is_err() {
                // The writer stopped; its error is the one to report.
                break;
            }
            written += 1;
            if written.is_multiple_of(every) {
                progress.rows_written(written).await?;
            }
        }
        Ok(())
    }
    .await;
    drop(sender);
    drop(rows);
    let bytes = writer.await?;
    read?;
    Ok((bytes?, written))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::domain::monitor::SlipColour;
    use crate::domain::plan::{Direction, PlanStatus, TargetCategory, TargetKind, TargetLevel};

    fn row() -> TargetExportRow {
        TargetExportRow {
            cycle_name: "2026年度考核".into(),
            cycle_year: 2026,
            level: TargetLevel::Person,
            department_name: Some("办公室".into()),
            owner_name: Some("张伟".into()),
            owner_username: Some("zhang.wei".into()),
            title: "会务保障".into(),
            category: TargetCategory::KeyWork,
            kind: TargetKind::Quantitative,
            measure: "保障次数".into(),
            unit: String::new(),
            target_value: Some(dec!(40)),
            direction: Direction::HigherBetter,
            baseline: None,
            weight: dec!(40),
            deadline: NaiveDate::from_ymd_opt(2026, 11, 30),
            assessment_method: "查阅台账".into(),
            backup_name: None,
            status: PlanStatus::Approved,
            verified_value: Some(dec!(30)),
            last_report_day: NaiveDate::from_ymd_opt(2026, 11, 3),
            slip_colour: Some(SlipColour::Red),
        }
    }

    #[test]
    fn a_target_row_keeps_numbers_dates_and_the_completion_typed() {
        let cells = cells(Lang::ZhCn, &row(), &Caps::default());
        assert_eq!(cells.len(), HEADERS.len());
        assert_eq!(cells[2], Cell::Text("个人目标".into()));
        assert_eq!(cells[9], Cell::Empty, "no unit");
        assert_eq!(cells[13], Cell::Number(40.0, 2));
        assert!(matches!(cells[14], Cell::Date(_)));
        assert_eq!(cells[18], Cell::Percent(0.75), "30 of 40");
        assert_eq!(cells[20], Cell::Text("红色督办单".into()));
        let capped = TargetExportRow { verified_value: Some(dec!(400)), ..row() };
        let caps = Caps(HashMap::from([(2026, 120)]));
        assert!(
            matches!(cells_at(&capped, &caps, 18), Cell::Percent(share) if (share - 1.2).abs() < 1e-9),
            "the year's cap holds"
        );
    }

    fn cells_at(row: &TargetExportRow, caps: &Caps, index: usize) -> Cell {
        cells(Lang::En, row, caps).swap_remove(index)
    }

    #[test]
    fn every_header_exists_in_both_languages() {
        for key in HEADERS {
            for lang in Lang::ALL {
                assert_ne!(lang.t(key), key, "{lang:?}");
            }
        }
    }
}

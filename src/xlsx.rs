//! The office's tables as Excel workbooks (docs/DOMAIN.md §20.1): one sheet
//! with a title row naming what it is and when it was exported, a bold frozen
//! header, typed cells (numbers, dates and percentages stay numbers, dates and
//! percentages in Excel), column widths that fit Chinese text, and, for
//! records, protection against accidental edits.
//!
//! [`Sheet`] holds its rows and suits every page-sized list; [`SheetWriter`]
//! takes rows one at a time and keeps only the current row in memory, for the
//! exports that may run to a hundred thousand rows. Pure: no I/O but the bytes
//! it returns.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

/// The content type of an `.xlsx` file.
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Rows above the header: the title, then the export line.
const HEADER_ROW: u32 = 2;
/// Column widths in Excel's character units (a Chinese character counts two).
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;
/// Rows a [`SheetWriter`] measures before it fixes the column widths.
const MEASURED_ROWS: usize = 500;

/// One cell, typed as Excel should keep it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    /// A decimal shown with `places` decimals (scores: 2).
    Number(f64, u8),
    /// A share between 0 and 1, shown as a percentage with one decimal.
    Percent(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }

    /// A score or other decimal, two places.
    pub fn decimal(value: Decimal) -> Cell {
        Cell::Number(value.to_f64().unwrap_or_default(), 2)
    }

    /// A share as a percentage; `None` (nothing to divide) stays empty.
    pub fn percent(share: Option<f64>) -> Cell {
        share.map_or(Cell::Empty, Cell::Percent)
    }

    /// The characters Excel needs to show the cell, a Chinese one counting two.
    fn display_width(&self) -> usize {
        match self {
            Cell::Empty => 0,
            Cell::Text(text) => text.lines().map(text_width).max().unwrap_or(0),
            Cell::Int(value) => value.to_string().len(),
            Cell::Number(value, places) => format!("{value:.*}", usize::from(*places)).len(),
            Cell::Percent(_) => 7,
            Cell::Date(_) => 10,
            Cell::DateTime(_) => 16,
        }
    }
}

impl From<String> for Cell {
    fn from(value: String) -> Cell {
        Cell::Text(value)
    }
}

impl From<&str> for Cell {
    fn from(value: &str) -> Cell {
        Cell::Text(value.to_string())
    }
}

impl From<i64> for Cell {
    fn from(value: i64) -> Cell {
        Cell::Int(value)
    }
}

impl From<i32> for Cell {
    fn from(value: i32) -> Cell {
        Cell::Int(value.into())
    }
}

impl From<Decimal> for Cell {
    fn from(value: Decimal) -> Cell {
        Cell::decimal(value)
    }
}

impl From<NaiveDate> for Cell {
    fn from(value: NaiveDate) -> Cell {
        Cell::Date(value)
    }
}

impl From<NaiveDateTime> for Cell {
    fn from(value: NaiveDateTime) -> Cell {
        Cell::DateTime(value)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Cell {
        value.map_or(Cell::Empty, Into::into)
    }
}

/// Columns of a CJK text as Excel counts them: wide characters take two.
fn text_width(text: &str) -> usize {
    text.chars().map(|c| if (c as u32) < 0x1100 { 1 } else { 2 }).sum()
}

/// What every sheet says about itself, in the reader's language (the caller
/// translates): the title row and the line under it.
#[derive(Debug, Clone)]
pub struct SheetHead {
    /// The tab's name (Excel allows 31 characters without `[]:*?/\`).
    pub name: String,
    /// E.g. "考核结果汇总表 · 2025年度".
    pub title: String,
    /// E.g. "导出时间 2026-12-07 10:30 · 导出人 王芳".
    pub exported: String,
    pub headers: Vec<String>,
    /// A record (results, decisions): protected against accidental edits.
    pub protected: bool,
}

/// A whole sheet in memory: for the lists a page shows.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub head: SheetHead,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn new(head: SheetHead) -> Sheet {
        Sheet { head, rows: Vec::new() }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// The workbook's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, XlsxError> {
        let mut writer = SheetWriter::new(self.head.clone(), false)?;
        for row in &self.rows {
            writer.push(row)?;
        }
        writer.finish()
    }
}

/// The cell formats of a sheet.
struct Formats {
    title: Format,
    header: Format,
    text: Format,
    date: Format,
    date_time: Format,
    percent: Format,
    decimals: [Format; 3],
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name("等线").set_font_size(11);
        Formats {
            title: base.clone().set_bold().set_font_size(14),
            header: base
                .clone()
                .set_bold()
                .set_background_color("#E8EEF4")
                .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            text: base.clone().set_align(FormatAlign::Top).set_text_wrap(),
            date: base.clone().set_num_format("yyyy-mm-dd"),
            date_time: base.clone().set_num_format("yyyy-mm-dd hh:mm"),
            percent: base.clone().set_num_format("0.0%"),
            decimals: [
                base.clone().set_num_format("0"),
                base.clone().set_num_format("0.0"),
                base.set_num_format("0.00"),
            ],
        }
    }
}

/// A sheet written a row at a time. In streaming mode the workbook keeps only
/// the current row in memory (Excel's constant-memory layout); the column
/// widths are fixed from the header and the first rows.
pub struct SheetWriter {
    workbook: Workbook,
    formats: Formats,
    widths: Vec<usize>,
    next_row: u32,
    streaming: bool,
}

impl SheetWriter {
    pub fn new(head: SheetHead, streaming: bool) -> Result<SheetWriter, XlsxError> {
        let mut workbook = Workbook::new();
        let formats = Formats::new();
        let widths = head.headers.iter().map(|h| text_width(h) + 2).collect();
        {
            let sheet =
                if streaming { workbook.add_worksheet_with_constant_memory() } else { workbook.add_worksheet() };
            sheet.set_name(sheet_name(&head.name))?;
            sheet.write_string_with_format(0, 0, &head.title, &formats.title)?;
            sheet.write_string(1, 0, &head.exported)?;
            for (col, header) in head.headers.iter().enumerate() {
                sheet.write_string_with_format(HEADER_ROW, column(col), header, &formats.header)?;
            }
            sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
            if head.protected {
                sheet.protect();
            }
        }
        Ok(SheetWriter { workbook, formats, widths, next_row: HEADER_ROW + 1, streaming })
    }

    /// Rows written so far.
    pub fn rows(&self) -> u32 {
        self.next_row - HEADER_ROW - 1
    }

    pub fn push(&mut self, row: &[Cell]) -> Result<(), XlsxError> {
        let index = self.next_row;
        let measuring = !self.streaming || (self.rows() as usize) < MEASURED_ROWS;
        if measuring {
            for (col, cell) in row.iter().enumerate() {
                if let Some(width) = self.widths.get_mut(col) {
                    *width = (*width).max(cell.display_width() + 2);
                }
            }
        }
        let sheet = self.workbook.worksheet_from_index(0)?;
        for (col, cell) in row.iter().enumerate() {
            write_cell(sheet, index, column(col), cell, &self.formats)?;
        }
        self.next_row += 1;
        Ok(())
    }

    /// The workbook's bytes.
    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        let widths = std::mem::take(&mut self.widths);
        let sheet = self.workbook.worksheet_from_index(0)?;
        for (col, width) in widths.into_iter().enumerate() {
            sheet.set_column_width(column(col), width.clamp(MIN_WIDTH, MAX_WIDTH) as f64)?;
        }
        self.workbook.save_to_buffer()
    }
}

fn write_cell(sheet: &mut Worksheet, row: u32, col: u16, cell: &Cell, formats: &Formats) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(text) => {
            sheet.write_string_with_format(row, col, text, &formats.text)?;
        }
        Cell::Int(value) => {
            sheet.write_number_with_format(row, col, *value as f64, &formats.decimals[0])?;
        }
        Cell::Number(value, places) => {
            let format = &formats.decimals[usize::from(*places).min(2)];
            sheet.write_number_with_format(row, col, *value, format)?;
        }
        Cell::Percent(share) => {
            sheet.write_number_with_format(row, col, *share, &formats.percent)?;
        }
        Cell::Date(day) => {
            sheet.write_datetime_with_format(row, col, *day, &formats.date)?;
        }
        Cell::DateTime(at) => {
            sheet.write_datetime_with_format(row, col, *at, &formats.date_time)?;
        }
    }
    Ok(())
}

fn column(index: usize) -> u16 {
    u16::try_from(index).unwrap_or(u16::MAX)
}

/// A tab name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    let cleaned: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    if cleaned.trim().is_empty() { "Sheet1".to_string() } else { cleaned }
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    use super::*;

    fn head(protected: bool) -> SheetHead {
        SheetHead {
            name: "考核结果汇总表".into(),
            title: "考核结果汇总表 · 2025年度".into(),
            exported: "导出时间 2026-12-07 10:30".into(),
            headers: vec!["姓名".into(), "得分".into(), "优秀率".into(), "决定日期".into(), "人数".into()],
            protected,
        }
    }

    fn read(bytes: Vec<u8>) -> calamine::Range<Data> {
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        workbook.worksheet_range_at(0).unwrap().unwrap()
    }

    #[test]
    fn a_sheet_keeps_numbers_dates_and_percentages_typed_under_its_title() {
        let mut sheet = Sheet::new(head(true));
        let day = NaiveDate::from_ymd_opt(2026, 1, 26).unwrap();
        sheet.push(vec!["王芳".into(), Cell::Number(92.5, 2), Cell::Percent(0.2), day.into(), 12i64.into()]);
        sheet.push(vec!["李强".into(), Cell::Empty, Cell::percent(None), Cell::Empty, Cell::Int(0)]);
        let range = read(sheet.to_bytes().unwrap());
        assert_eq!(range.get_value((0, 0)), Some(&Data::String("考核结果汇总表 · 2025年度".into())));
        assert_eq!(range.get_value((2, 1)), Some(&Data::String("得分".into())));
        assert_eq!(range.get_value((3, 0)), Some(&Data::String("王芳".into())));
        assert_eq!(range.get_value((3, 1)), Some(&Data::Float(92.5)));
        assert_eq!(range.get_value((3, 2)), Some(&Data::Float(0.2)));
        assert!(matches!(range.get_value((3, 3)), Some(Data::DateTime(_))));
        assert_eq!(range.get_value((3, 4)), Some(&Data::Float(12.0)));
        assert_eq!(range.get_value((4, 1)).unwrap_or(&Data::Empty), &Data::Empty);
        assert_eq!(range.height(), 5);
    }

    #[test]
    fn a_streamed_sheet_holds_every_row() {
        let mut writer = SheetWriter::new(head(false), true).unwrap();
        for n in 0..2_000i64 {
            writer.push(&["某某".into(), Cell::Int(n), Cell::Empty, Cell::Empty, Cell::Empty]).unwrap();
        }
        assert_eq!(writer.rows(), 2_000);
        let range = read(writer.finish().unwrap());
        assert_eq!(range.height(), 2_003);
        assert_eq!(range.get_value((2_002, 1)), Some(&Data::Float(1_999.0)));
    }

    #[test]
    fn chinese_text_counts_double_width() {
        assert_eq!(text_width("办公室"), 6);
        assert_eq!(text_width("A1"), 2);
        assert_eq!(Cell::text("第一行\n较长的第二行").display_width(), 12);
    }

    #[test]
    fn tab_names_lose_what_excel_refuses() {
        assert_eq!(sheet_name("2025/2026 [汇总]"), "20252026 汇总");
        assert_eq!(sheet_name("??"), "Sheet1");
        assert_eq!(sheet_name(&"长".repeat(40)).chars().count(), 31);
    }
}

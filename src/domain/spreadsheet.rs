//! Reading an uploaded table (CSV or XLSX) for the imports: the roster
//! (docs/DOMAIN.md §13) and the members' register (docs/DOMAIN.md §18.1).
//! The format is decided by content, the header is matched to the import's
//! columns in English or Chinese, and the data rows come back as text with
//! their line numbers. Pure: each import checks its own rows.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};

/// Largest file accepted.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// Most data rows in one file.
pub const MAX_ROWS: usize = 2_000;
/// Columns beyond this are ignored (a stray cell far to the right must not cost memory).
const MAX_COLUMNS: usize = 64;

/// Why a whole file was refused; each maps to a locale key taking `$name` (see [`FileError::detail`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// No file chosen, or an empty one.
    NoFile,
    TooLarge,
    /// Neither an XLSX workbook nor a text file.
    Unsupported,
    /// Text, but not UTF-8 (typically a CSV saved as GBK).
    NotUtf8,
    /// Looked like CSV or XLSX but could not be read.
    Unreadable,
    /// No data rows under the header.
    Empty,
    /// Required columns missing from the header; the names as shown to the user.
    MissingColumns(String),
    TooManyRows,
}

impl FileError {
    pub const ALL_KINDS: [FileError; 8] = [
        FileError::NoFile,
        FileError::TooLarge,
        FileError::Unsupported,
        FileError::NotUtf8,
        FileError::Unreadable,
        FileError::Empty,
        FileError::MissingColumns(String::new()),
        FileError::TooManyRows,
    ];

    pub fn label_key(&self) -> &'static str {
        match self {
            FileError::NoFile => "import-file-missing",
            FileError::TooLarge => "import-file-too-large",
            FileError::Unsupported => "import-file-unsupported",
            FileError::NotUtf8 => "import-file-not-utf8",
            FileError::Unreadable => "import-file-unreadable",
            FileError::Empty => "import-file-empty",
            FileError::MissingColumns(_) => "import-file-missing-columns",
            FileError::TooManyRows => "import-file-too-many-rows",
        }
    }

    /// The `$name` argument of the message.
    pub fn detail(&self) -> String {
        match self {
            FileError::MissingColumns(names) => names.clone(),
            FileError::TooManyRows => MAX_ROWS.to_string(),
            FileError::TooLarge => super::files::format_size(MAX_FILE_BYTES as i64),
            _ => String::new(),
        }
    }
}

/// A column of an import file, named in its header in English or Chinese.
pub trait ImportColumn: Copy + Eq + Hash {
    /// The English header, as in the sample file.
    fn header(self) -> &'static str;
    /// The Chinese header, accepted as well.
    fn chinese_header(self) -> &'static str;
    /// Whether a file without the column is refused.
    fn required(self) -> bool;

    /// Whether a header cell names the column: any case, a byte-order mark,
    /// spaces and a `*` marking it required are ignored.
    fn matches(self, header: &str) -> bool {
        let header = header.trim_start_matches('\u{feff}').trim().trim_matches('*').trim().to_lowercase();
        header == self.header() || header == self.chinese_header()
    }
}

/// A sheet of text cells as read from either format: the header and the
/// non-empty rows under it, each with its line (CSV) or row (XLSX) number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub line: u32,
    pub cells: Vec<String>,
}

/// One data row by column: its line in the file and its trimmed cells (empty
/// for a column the file lacks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<C: ImportColumn> {
    pub line: u32,
    cells: HashMap<C, String>,
}

impl<C: ImportColumn> Record<C> {
    /// The cell of `column`, taken out of the record.
    pub fn take(&mut self, column: C) -> String {
        self.cells.remove(&column).unwrap_or_default()
    }
}

/// Reads an upload, deciding the format by content: an XLSX workbook is a ZIP
/// archive; anything else must be UTF-8 CSV text.
pub fn parse(bytes: &[u8]) -> Result<Table, FileError> {
    if bytes.is_empty() {
        Err(FileError::NoFile)
    } else if bytes.starts_with(b"PK\x03\x04") {
        parse_xlsx(bytes)
    } else if looks_binary(bytes) {
        Err(FileError::Unsupported)
    } else {
        parse_csv(bytes)
    }
}

/// Control bytes other than tab, line feed, form feed and carriage return do not occur in a CSV.
fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
}

/// Reads UTF-8 CSV, with or without a byte-order mark, LF or CRLF line ends.
pub fn parse_csv(bytes: &[u8]) -> Result<Table, FileError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotUtf8)?;
    // The reader counts a CRLF record's line only when it meets the LF, one record late.
    let text = text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| FileError::Unreadable)?;
        let line = record.position().map_or(0, |p| p.line()) as u32;
        let cells: Vec<String> = record.iter().take(MAX_COLUMNS).map(|c| c.trim().to_string()).collect();
        if cells.iter().any(|c| !c.is_empty()) {
            rows.push(TableRow { line, cells });
        }
        if rows.len() > MAX_ROWS + 1 {
            return Err(FileError::TooManyRows);
        }
    }
    table_from(rows)
}

/// Reads the first worksheet of an XLSX workbook, cell by cell so that a
/// stray cell far down or to the right costs nothing.
pub fn parse_xlsx(bytes: &[u8]) -> Result<Table, FileError> {
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|_| FileError::Unreadable)?;
    let first = workbook.sheet_names().into_iter().next().ok_or(FileError::Empty)?;
    let mut reader = workbook.worksheet_cells_reader(&first).map_err(|_| FileError::Unreadable)?;
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    while let Some(cell) = reader.next_cell().map_err(|_| FileError::Unreadable)? {
        let (row, column) = cell.get_position();
        let (column, text) = (column as usize, cell_text(cell.get_value()));
        if text.is_empty() || column >= MAX_COLUMNS {
            continue;
        }
        let cells = rows.entry(row).or_default();
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
        if rows.len() > MAX_ROWS + 1 {
            return Err(FileError::TooManyRows);
        }
    }
    table_from(rows.into_iter().map(|(row, cells)| TableRow { line: row + 1, cells }).collect())
}

/// A cell as text; whole numbers without ".0", so phone numbers typed as numbers survive.
fn cell_text(value: &DataRef<'_>) -> String {
    let text = match value {
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) if d.is_datetime() => d.as_datetime().map_or_else(|| d.to_string(), date_text),
        DataRef::DateTime(d) => d.to_string(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    };
    text.trim().to_string()
}

/// A date cell as typed in a form: `2026-11-30`, with the time when it has
/// one (`2026-11-30 09:30`).
fn date_text(at: chrono::NaiveDateTime) -> String {
    if at.time() == chrono::NaiveTime::MIN {
        at.format("%Y-%m-%d").to_string()
    } else {
        at.format("%Y-%m-%d %H:%M").to_string()
    }
}

fn table_from(mut rows: Vec<TableRow>) -> Result<Table, FileError> {
    if rows.is_empty() {
        return Err(FileError::Empty);
    }
    let header = rows.remove(0).cells;
    Ok(Table { header, rows })
}

/// Maps the header to `columns` and takes the data rows with a non-empty
/// cell; refuses a file that lacks a required column (naming each), has no
/// data row or too many.
pub fn records<C: ImportColumn>(table: &Table, columns: &[C]) -> Result<Vec<Record<C>>, FileError> {
    let positions: Vec<(C, usize)> =
        columns.iter().filter_map(|&c| table.header.iter().position(|h| c.matches(h)).map(|i| (c, i))).collect();
    let missing: Vec<String> = columns
        .iter()
        .filter(|c| c.required() && !positions.iter().any(|(p, _)| p == *c))
        .map(|c| format!("{}（{}）", c.header(), c.chinese_header()))
        .collect();
    if !missing.is_empty() {
        return Err(FileError::MissingColumns(missing.join("、")));
    }
    let records: Vec<Record<C>> = table
        .rows
        .iter()
        .filter(|row| row.cells.iter().any(|c| !c.trim().is_empty()))
        .map(|row| Record {
            line: row.line,
            cells: positions
                .iter()
                .map(|&(column, index)| {
                    (column, row.cells.get(index).map(|c| c.trim().to_string()).unwrap_or_default())
                })
                .collect(),
        })
        .collect();
    match records.len() {
        0 => Err(FileError::Empty),
        n if n > MAX_ROWS => Err(FileError::TooManyRows),
        _ => Ok(records),
    }
}

/// Rows above the header a file may have: the title and the export line of
/// the office's own exports (`crate::xlsx`), so that an exported sheet can be
/// read back.
const ROWS_ABOVE_HEADER: usize = 3;

/// The table with its header found: the first row when it names a column of
/// the import, else the first of the next few rows that names every required
/// column (the rows above it are dropped). A table where neither is found is
/// returned as it was, for [`records`] to name the missing columns.
pub fn find_header<C: ImportColumn>(table: Table, columns: &[C]) -> Table {
    let names_any = |cells: &[String]| cells.iter().any(|h| columns.iter().any(|c| c.matches(h)));
    let names_required =
        |cells: &[String]| columns.iter().filter(|c| c.required()).all(|c| cells.iter().any(|h| c.matches(h)));
    if names_any(&table.header) {
        return table;
    }
    let found = table.rows.iter().take(ROWS_ABOVE_HEADER).position(|row| names_required(&row.cells));
    match found {
        Some(index) => {
            let mut rows = table.rows;
            let header = rows.drain(..=index).next_back().map(|row| row.cells).unwrap_or_default();
            Table { header, rows }
        }
        None => table,
    }
}

/// A checked value of an import row, or `None` with its error recorded in
/// the row's errors (so every problem of a row is reported at once).
pub fn keep<T, E>(errors: &mut Vec<E>, result: Result<T, E>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

#[cfg(test)]
mod tests {
    use fluent_templates::fluent_bundle::FluentValue;

    use super::*;
    use crate::i18n::Lang;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    enum Col {
        Name,
        Note,
    }

    impl ImportColumn for Col {
        fn header(self) -> &'static str {
            match self {
                Col::Name => "name",
                Col::Note => "note",
            }
        }
        fn chinese_header(self) -> &'static str {
            match self {
                Col::Name => "名称",
                Col::Note => "备注",
            }
        }
        fn required(self) -> bool {
            self == Col::Name
        }
    }

    #[test]
    fn a_non_utf8_text_asks_for_a_utf8_csv() {
        // "用户名" in GBK.
        assert_eq!(parse(&[0xd3, 0xc3, 0xbb, 0xa7, 0xc3, 0xfb, b'\n']), Err(FileError::NotUtf8));
    }

    #[test]
    fn binary_files_and_broken_workbooks_are_refused() {
        assert_eq!(parse(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Err(FileError::Unsupported));
        assert_eq!(parse(b"PK\x03\x04not really a zip"), Err(FileError::Unreadable));
        assert_eq!(parse(b""), Err(FileError::NoFile));
    }

    #[test]
    fn records_match_headers_in_either_language_and_name_missing_columns() {
        let table = parse("\u{feff} *名称* ,other\r\n 甲 ,x\r\n,\r\n乙,\r\n".as_bytes()).unwrap();
        let mut read = records(&table, &[Col::Name, Col::Note]).unwrap();
        assert_eq!(read.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4]);
        assert_eq!((read[0].take(Col::Name), read[0].take(Col::Note)), ("甲".into(), String::new()));
        let table = parse("NOTE\nx\n".as_bytes()).unwrap();
        assert_eq!(records(&table, &[Col::Name, Col::Note]), Err(FileError::MissingColumns("name（名称）".into())));
        assert_eq!(records(&parse(b"name\n").unwrap(), &[Col::Name]), Err(FileError::Empty));
    }

    #[test]
    fn a_header_under_a_title_and_an_export_line_is_found() {
        let text = "名单 · 2026\n导出时间 2026-12-07\n名称,备注\n甲,x\n";
        let table = find_header(parse(text.as_bytes()).unwrap(), &[Col::Name, Col::Note]);
        assert_eq!(table.header, ["名称", "备注"]);
        let mut read = records(&table, &[Col::Name, Col::Note]).unwrap();
        assert_eq!((read[0].line, read[0].take(Col::Name)), (4, "甲".to_string()));
        // A file whose first row names a column is left as it is.
        let plain = parse("名称\n甲\n".as_bytes()).unwrap();
        assert_eq!(find_header(plain.clone(), &[Col::Name]), plain);
        // Nothing found: the first row stays the header, and the column is named missing.
        let table = find_header(parse("x\ny\n".as_bytes()).unwrap(), &[Col::Name]);
        assert_eq!(records(&table, &[Col::Name]), Err(FileError::MissingColumns("name（名称）".into())));
    }

    #[test]
    fn excel_dates_read_as_typed_dates() {
        let date = |serial| {
            cell_text(&DataRef::DateTime(calamine::ExcelDateTime::new(
                serial,
                calamine::ExcelDateTimeType::DateTime,
                false,
            )))
        };
        assert_eq!(date(46356.0), "2026-11-30");
        assert_eq!(date(46356.5), "2026-11-30 12:00");
    }

    #[test]
    fn every_file_message_exists_in_both_languages() {
        for error in FileError::ALL_KINDS {
            for lang in Lang::ALL {
                let text = lang.t_args(error.label_key(), &[("name", FluentValue::from("x"))]);
                assert_ne!(text, error.label_key(), "{lang:?}");
            }
        }
    }
}

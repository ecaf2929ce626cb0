//! Roster import (花名册导入): reading a CSV or XLSX file into rows and checking
//! every row before anything is created. Pure: the database's departments and
//! usernames are passed in, so the same check runs at preview and at commit.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};
use serde::{Deserialize, Serialize};

use super::identity::IdentityType;
use super::validate::{self, FieldError};

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

/// A column of the roster file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Username,
    FullName,
    IdentityType,
    Rank,
    Department,
    Phone,
    Post,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Username,
        Column::FullName,
        Column::IdentityType,
        Column::Rank,
        Column::Department,
        Column::Phone,
        Column::Post,
    ];

    /// The English header, as in the sample file.
    pub fn header(self) -> &'static str {
        match self {
            Column::Username => "username",
            Column::FullName => "full_name",
            Column::IdentityType => "identity_type",
            Column::Rank => "rank",
            Column::Department => "department",
            Column::Phone => "phone",
            Column::Post => "post",
        }
    }

    /// The Chinese header, accepted as well.
    pub fn chinese_header(self) -> &'static str {
        match self {
            Column::Username => "用户名",
            Column::FullName => "姓名",
            Column::IdentityType => "身份类别",
            Column::Rank => "职务职级",
            Column::Department => "处室",
            Column::Phone => "电话",
            Column::Post => "岗位",
        }
    }

    pub fn required(self) -> bool {
        matches!(self, Column::Username | Column::FullName | Column::IdentityType | Column::Department)
    }

    /// What the column holds, for the upload page.
    pub fn hint_key(self) -> &'static str {
        match self {
            Column::Username => "import-hint-username",
            Column::FullName => "import-hint-full-name",
            Column::IdentityType => "import-hint-identity-type",
            Column::Rank => "import-hint-rank",
            Column::Department => "import-hint-department",
            Column::Phone => "import-hint-phone",
            Column::Post => "import-hint-post",
        }
    }

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
        DataRef::DateTime(d) => d.to_string(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    };
    text.trim().to_string()
}

fn table_from(mut rows: Vec<TableRow>) -> Result<Table, FileError> {
    if rows.is_empty() {
        return Err(FileError::Empty);
    }
    let header = rows.remove(0).cells;
    Ok(Table { header, rows })
}

/// The values of one row as they were in the file (trimmed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowValues {
    pub username: String,
    pub full_name: String,
    pub identity_type: String,
    pub rank: String,
    pub department: String,
    pub phone: String,
    pub post: String,
}

impl RowValues {
    fn set(&mut self, column: Column, value: String) {
        let slot = match column {
            Column::Username => &mut self.username,
            Column::FullName => &mut self.full_name,
            Column::IdentityType => &mut self.identity_type,
            Column::Rank => &mut self.rank,
            Column::Department => &mut self.department,
            Column::Phone => &mut self.phone,
            Column::Post => &mut self.post,
        };
        *slot = value;
    }
}

/// What is wrong with a row; a row may have several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowError {
    MissingUsername,
    UsernameFormat,
    /// The same username on another row of the file.
    UsernameRepeated,
    /// Someone in the database already has the username.
    UsernameTaken,
    MissingFullName,
    FullNameTooLong,
    MissingIdentityType,
    UnknownIdentityType,
    RankTooLong,
    MissingDepartment,
    /// No active department of that name.
    UnknownDepartment,
    PhoneTooLong,
    PostTooLong,
    /// The same post of the same department on another row: a post has one A holder.
    PostRepeated,
}

impl RowError {
    pub const ALL: [RowError; 14] = [
        RowError::MissingUsername,
        RowError::UsernameFormat,
        RowError::UsernameRepeated,
        RowError::UsernameTaken,
        RowError::MissingFullName,
        RowError::FullNameTooLong,
        RowError::MissingIdentityType,
        RowError::UnknownIdentityType,
        RowError::RankTooLong,
        RowError::MissingDepartment,
        RowError::UnknownDepartment,
        RowError::PhoneTooLong,
        RowError::PostTooLong,
        RowError::PostRepeated,
    ];

    pub fn label_key(self) -> &'static str {
        match self {
            RowError::MissingUsername => "import-error-username-missing",
            RowError::UsernameFormat => "import-error-username-format",
            RowError::UsernameRepeated => "import-error-username-repeated",
            RowError::UsernameTaken => "import-error-username-taken",
            RowError::MissingFullName => "import-error-full-name-missing",
            RowError::FullNameTooLong => "import-error-full-name-too-long",
            RowError::MissingIdentityType => "import-error-identity-type-missing",
            RowError::UnknownIdentityType => "import-error-identity-type-unknown",
            RowError::RankTooLong => "import-error-rank-too-long",
            RowError::MissingDepartment => "import-error-department-missing",
            RowError::UnknownDepartment => "import-error-department-unknown",
            RowError::PhoneTooLong => "import-error-phone-too-long",
            RowError::PostTooLong => "import-error-post-too-long",
            RowError::PostRepeated => "import-error-post-repeated",
        }
    }
}

/// A person a checked row without errors will create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub username: String,
    pub full_name: String,
    pub identity_type: IdentityType,
    pub rank: String,
    pub department_id: i64,
    pub phone: String,
    /// The post (in the person's department) whose A holder they become.
    pub post: Option<String>,
}

/// One data row: its line in the file, its values and what is wrong with it.
/// Stored as JSON between preview and commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    pub line: u32,
    pub values: RowValues,
    #[serde(default)]
    pub errors: Vec<RowError>,
    /// Set by [`check`] when the row has no error; worked out again at commit, never stored.
    #[serde(skip)]
    pub person: Option<NewPerson>,
}

impl RosterRow {
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// Maps the header to columns and takes the data rows (unchecked).
pub fn read_rows(table: &Table) -> Result<Vec<RosterRow>, FileError> {
    let positions: Vec<(Column, usize)> = Column::ALL
        .into_iter()
        .filter_map(|c| table.header.iter().position(|h| c.matches(h)).map(|i| (c, i)))
        .collect();
    let missing: Vec<String> = Column::ALL
        .into_iter()
        .filter(|c| c.required() && !positions.iter().any(|(p, _)| p == c))
        .map(|c| format!("{}（{}）", c.header(), c.chinese_header()))
        .collect();
    if !missing.is_empty() {
        return Err(FileError::MissingColumns(missing.join("、")));
    }
    let rows: Vec<RosterRow> = table
        .rows
        .iter()
        .filter(|row| row.cells.iter().any(|c| !c.trim().is_empty()))
        .map(|row| {
            let mut values = RowValues::default();
            for (column, index) in &positions {
                values.set(*column, row.cells.get(*index).map(|c| c.trim().to_string()).unwrap_or_default());
            }
            RosterRow { line: row.line, values, errors: Vec::new(), person: None }
        })
        .collect();
    match rows.len() {
        0 => Err(FileError::Empty),
        n if n > MAX_ROWS => Err(FileError::TooManyRows),
        _ => Ok(rows),
    }
}

/// The well-formed usernames of the rows (lower-cased), to look up in the database.
pub fn usernames(rows: &[RosterRow]) -> Vec<String> {
    let mut names: Vec<String> = rows.iter().filter_map(|r| validate::username(&r.values.username).ok()).collect();
    names.sort();
    names.dedup();
    names
}

/// Checks every row against the file itself and the database: `departments`
/// maps active department names to ids, `taken` holds usernames in use.
/// Errors found earlier are replaced.
pub fn check(rows: Vec<RosterRow>, departments: &HashMap<String, i64>, taken: &HashSet<String>) -> Vec<RosterRow> {
    let mut username_count: HashMap<String, usize> = HashMap::new();
    let mut post_count: HashMap<(String, String), usize> = HashMap::new();
    for row in &rows {
        if let Ok(name) = validate::username(&row.values.username) {
            *username_count.entry(name).or_default() += 1;
        }
        if !row.values.post.is_empty() {
            *post_count.entry(post_key(&row.values)).or_default() += 1;
        }
    }
    let username_status = |name: &str| (username_count.get(name).is_some_and(|n| *n > 1), taken.contains(name));
    rows.into_iter()
        .map(|mut row| {
            let (mut errors, person) = check_row(&row.values, departments, username_status);
            if post_count.get(&post_key(&row.values)).is_some_and(|n| *n > 1) {
                errors.push(RowError::PostRepeated);
            }
            row.person = if errors.is_empty() { person } else { None };
            row.errors = errors;
            row
        })
        .collect()
}

/// Reads and checks a table in one go (see [`read_rows`] and [`check`]).
pub fn validate(
    table: &Table,
    departments: &HashMap<String, i64>,
    taken: &HashSet<String>,
) -> Result<Vec<RosterRow>, FileError> {
    Ok(check(read_rows(table)?, departments, taken))
}

fn post_key(values: &RowValues) -> (String, String) {
    (values.department.clone(), values.post.clone())
}

/// Checks one row's own values; `username_status` answers (repeated in the file, taken in the database).
fn check_row(
    values: &RowValues,
    departments: &HashMap<String, i64>,
    username_status: impl Fn(&str) -> (bool, bool) + Copy,
) -> (Vec<RowError>, Option<NewPerson>) {
    let mut errors = Vec::new();
    let username = match validate::username(&values.username) {
        Err(FieldError::Required) => Err(RowError::MissingUsername),
        Err(_) => Err(RowError::UsernameFormat),
        Ok(name) => {
            let (repeated, taken) = username_status(&name);
            if repeated && taken {
                errors.push(RowError::UsernameRepeated);
            }
            match (repeated, taken) {
                (_, true) => Err(RowError::UsernameTaken),
                (true, false) => Err(RowError::UsernameRepeated),
                (false, false) => Ok(name),
            }
        }
    };
    let username = keep(&mut errors, username);
    let full_name = validate::required_text(&values.full_name, 40).map_err(|e| match e {
        FieldError::Required => RowError::MissingFullName,
        _ => RowError::FullNameTooLong,
    });
    let full_name = keep(&mut errors, full_name);
    let identity_type = match values.identity_type.as_str() {
        "" => Err(RowError::MissingIdentityType),
        text => IdentityType::parse(&text.to_lowercase()).ok_or(RowError::UnknownIdentityType),
    };
    let identity_type = keep(&mut errors, identity_type);
    let rank = keep(&mut errors, validate::optional_text(&values.rank, 40).map_err(|_| RowError::RankTooLong));
    let department_id = match values.department.as_str() {
        "" => Err(RowError::MissingDepartment),
        name => departments.get(name).copied().ok_or(RowError::UnknownDepartment),
    };
    let department_id = keep(&mut errors, department_id);
    let phone = keep(&mut errors, validate::optional_text(&values.phone, 30).map_err(|_| RowError::PhoneTooLong));
    let post = keep(&mut errors, validate::optional_text(&values.post, 60).map_err(|_| RowError::PostTooLong));
    let person = match (username, full_name, identity_type, rank, department_id, phone, post) {
        (
            Some(username),
            Some(full_name),
            Some(identity_type),
            Some(rank),
            Some(department_id),
            Some(phone),
            Some(post),
        ) => Some(NewPerson {
            username,
            full_name,
            identity_type,
            rank,
            department_id,
            phone,
            post: Some(post).filter(|p| !p.is_empty()),
        }),
        _ => None,
    };
    (errors, person)
}

/// The value, or None with its error recorded.
fn keep<T>(errors: &mut Vec<RowError>, result: Result<T, RowError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

#[cfg(test)]
mod tests {
    use fluent_templates::fluent_bundle::FluentValue;

    use super::*;
    use crate::i18n::Lang;

    const HEADER: &str = "username,full_name,identity_type,rank,department,phone,post";

    fn departments() -> HashMap<String, i64> {
        HashMap::from([("办公室".to_string(), 1), ("研究室".to_string(), 2)])
    }

    fn checked(csv: &str, taken: &[&str]) -> Vec<RosterRow> {
        let taken: HashSet<String> = taken.iter().map(|t| t.to_string()).collect();
        validate(&parse(csv.as_bytes()).unwrap(), &departments(), &taken).unwrap()
    }

    #[test]
    fn a_utf8_csv_with_bom_crlf_and_chinese_headers_is_read() {
        let text = "\u{feff}用户名,姓名,身份类别,职务职级,处室,电话,岗位\r\nWang.Fang, 王芳 ,公务员,一级科员,办公室,0571-1,文秘岗\r\n";
        let rows = checked(text, &[]);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        assert!(rows[0].errors.is_empty(), "{:?}", rows[0].errors);
        let person = rows[0].person.clone().unwrap();
        assert_eq!(person.username, "wang.fang");
        assert_eq!(person.full_name, "王芳");
        assert_eq!(person.identity_type, IdentityType::CivilServant);
        assert_eq!(person.department_id, 1);
        assert_eq!(person.post.as_deref(), Some("文秘岗"));
    }

    #[test]
    fn headers_are_matched_in_any_order_and_case_and_optional_columns_may_be_left_out() {
        let rows = checked(" Department ,FULL_NAME,Identity_Type,USERNAME\n研究室,李强,institution,li.qiang\n", &[]);
        let person = rows[0].person.clone().unwrap();
        assert_eq!((person.department_id, person.identity_type, person.post), (2, IdentityType::Institution, None));
    }

    #[test]
    fn empty_rows_are_skipped_and_lines_are_kept() {
        let rows = checked(
            &format!(
                "{HEADER}\n\n,,,,,,\na.b,甲,公务员,,办公室,,\n\"c.d\",\"乙\n丙\",参公,,办公室,,\ne.f,丁,工勤,,办公室,,\n"
            ),
            &[],
        );
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![4, 5, 7]);
        assert_eq!(rows[1].values.full_name, "乙\n丙");
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
    fn missing_required_columns_are_named() {
        let table = parse("username,full_name,rank\na.b,甲,科员\n".as_bytes()).unwrap();
        let error = read_rows(&table).unwrap_err();
        assert_eq!(error, FileError::MissingColumns("identity_type（身份类别）、department（处室）".into()));
    }

    #[test]
    fn a_header_without_rows_is_empty_and_too_many_rows_are_refused() {
        assert_eq!(read_rows(&parse(HEADER.as_bytes()).unwrap()), Err(FileError::Empty));
        let mut text = format!("{HEADER}\n");
        for i in 0..=MAX_ROWS {
            text.push_str(&format!("u{i},某人,公务员,,办公室,,\n"));
        }
        assert_eq!(parse(text.as_bytes()), Err(FileError::TooManyRows));
        let at_limit: String = text.lines().take(MAX_ROWS + 1).map(|l| format!("{l}\n")).collect();
        assert_eq!(read_rows(&parse(at_limit.as_bytes()).unwrap()).unwrap().len(), MAX_ROWS);
    }

    #[test]
    fn every_problem_of_a_row_is_reported() {
        let long = "长".repeat(41);
        let rows = checked(&format!("{HEADER}\n张伟,{long},合同工,,财务处,,\n,,,,,,岗位\n"), &[]);
        assert_eq!(
            rows[0].errors,
            vec![
                RowError::UsernameFormat,
                RowError::FullNameTooLong,
                RowError::UnknownIdentityType,
                RowError::UnknownDepartment
            ]
        );
        assert_eq!(
            rows[1].errors,
            vec![
                RowError::MissingUsername,
                RowError::MissingFullName,
                RowError::MissingIdentityType,
                RowError::MissingDepartment
            ]
        );
        assert!(rows.iter().all(|r| r.person.is_none()));
    }

    #[test]
    fn repeated_and_taken_usernames_are_flagged_on_every_row() {
        let text = format!(
            "{HEADER}\nwang.fang,王芳,公务员,,办公室,,\nWANG.FANG,王芳,公务员,,办公室,,\nli.na,李娜,公务员,,办公室,,\nok.one,甲,公务员,,办公室,,\n"
        );
        let rows = checked(&text, &["li.na"]);
        assert_eq!(rows[0].errors, vec![RowError::UsernameRepeated]);
        assert_eq!(rows[1].errors, vec![RowError::UsernameRepeated]);
        assert_eq!(rows[2].errors, vec![RowError::UsernameTaken]);
        assert!(rows[3].errors.is_empty());
        assert_eq!(usernames(&rows), vec!["li.na", "ok.one", "wang.fang"]);
    }

    #[test]
    fn a_post_of_a_department_goes_to_one_row_only() {
        let text = format!(
            "{HEADER}\na.a,甲,公务员,,办公室,,文秘岗\nb.b,乙,公务员,,办公室,,文秘岗\nc.c,丙,公务员,,研究室,,文秘岗\n"
        );
        let rows = checked(&text, &[]);
        assert_eq!(rows[0].errors, vec![RowError::PostRepeated]);
        assert_eq!(rows[1].errors, vec![RowError::PostRepeated]);
        assert!(rows[2].errors.is_empty());
    }

    #[test]
    fn xlsx_cells_are_read_as_text_without_a_trailing_zero() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (col, header) in HEADER.split(',').enumerate() {
            sheet.write_string(0, col as u16, header).unwrap();
        }
        for (col, value) in ["zhao.lei", "赵磊", "事业", "", "研究室"].iter().enumerate() {
            sheet.write_string(2, col as u16, *value).unwrap();
        }
        sheet.write_number(2, 5, 13800000001.0).unwrap();
        sheet.write_string(5000, 300, "far away").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let table = parse(&bytes).unwrap();
        let rows = read_rows(&table).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 3);
        assert_eq!(rows[0].values.phone, "13800000001");
        let rows = check(rows, &departments(), &HashSet::new());
        assert_eq!(rows[0].person.as_ref().unwrap().identity_type, IdentityType::Institution);
    }

    #[test]
    fn stored_rows_keep_values_and_errors_but_not_the_person() {
        let rows = checked(&format!("{HEADER}\nwang.fang,王芳,公务员,,办公室,,\nx,,,,,,\n"), &[]);
        let json = serde_json::to_value(&rows).unwrap();
        assert_eq!(json[1]["errors"][0], "username_format");
        let back: Vec<RosterRow> = serde_json::from_value(json).unwrap();
        assert_eq!(back[0].values, rows[0].values);
        assert_eq!(back[1].errors, rows[1].errors);
        assert!(back[0].person.is_none());
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        let keys = RowError::ALL.iter().map(|e| e.label_key()).chain(Column::ALL.iter().map(|c| c.hint_key())).chain(
            [
                FileError::NoFile,
                FileError::TooLarge,
                FileError::Unsupported,
                FileError::NotUtf8,
                FileError::Unreadable,
                FileError::Empty,
                FileError::MissingColumns(String::new()),
                FileError::TooManyRows,
            ]
            .into_iter()
            .map(|e| e.label_key()),
        );
        for key in keys {
            for lang in Lang::ALL {
                let text = lang.t_args(key, &[("name", FluentValue::from("x"))]);
                assert_ne!(text, key, "{lang:?} lacks {key}");
            }
        }
    }
}

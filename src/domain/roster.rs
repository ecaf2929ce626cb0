//! Roster import (花名册导入): reading a CSV or XLSX file (see [`spreadsheet`])
//! into rows and checking every row before anything is created. Pure: the
//! database's departments and usernames are passed in, so the same check runs
//! at preview and at commit.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::identity::IdentityType;
use super::validate::{self, FieldError};

use super::spreadsheet::{self, ImportColumn, keep};
pub use super::spreadsheet::{FileError, MAX_FILE_BYTES, MAX_ROWS, Table, parse, parse_csv};

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
}

impl ImportColumn for Column {
    fn header(self) -> &'static str {
        Column::header(self)
    }

    fn chinese_header(self) -> &'static str {
        Column::chinese_header(self)
    }

    fn required(self) -> bool {
        Column::required(self)
    }
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
    let records = spreadsheet::records(table, &Column::ALL)?;
    Ok(records
        .into_iter()
        .map(|mut record| {
            let mut values = RowValues::default();
            for column in Column::ALL {
                values.set(column, record.take(column));
            }
            RosterRow { line: record.line, values, errors: Vec::new(), person: None }
        })
        .collect())
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

//! The register of CPPCC members (政协委员, docs/DOMAIN.md §18.1): the checks
//! of a member's fields, shared by the form and the import, and the checking
//! of an imported file's rows. Pure: the database's departments and members
//! are passed in, so the same check runs at preview and at commit.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::spreadsheet::{self, FileError, ImportColumn, Table, keep};
use super::validate::{self, FieldError};

/// Longest name, sector, committee and term accepted.
pub const NAME_MAX: usize = 40;
pub const SECTOR_MAX: usize = 40;
pub const COMMITTEE_MAX: usize = 40;
pub const TERM_MAX: usize = 20;

/// Whether `mobile` is a mainland mobile number: eleven digits starting with 1.
pub fn valid_mobile(mobile: &str) -> bool {
    mobile.len() == 11 && mobile.starts_with('1') && mobile.bytes().all(|b| b.is_ascii_digit())
}

/// A mobile as typed, without spaces and hyphens; empty when none is given.
pub fn mobile(text: &str) -> Result<String, FieldError> {
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-' | '\u{3000}')).collect();
    if digits.is_empty() || valid_mobile(&digits) { Ok(digits) } else { Err(FieldError::Invalid) }
}

/// A member's fields as checked, the contact department by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberFields {
    pub full_name: String,
    pub sector: String,
    pub special_committee: String,
    pub contact_department_id: Option<i64>,
    pub term: String,
    pub mobile: String,
}

/// A column of the members file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    FullName,
    Sector,
    SpecialCommittee,
    ContactDepartment,
    Term,
    Mobile,
}

impl Column {
    pub const ALL: [Column; 6] = [
        Column::FullName,
        Column::Sector,
        Column::SpecialCommittee,
        Column::ContactDepartment,
        Column::Term,
        Column::Mobile,
    ];

    /// What the column holds, for the upload page.
    pub fn hint_key(self) -> &'static str {
        match self {
            Column::FullName => "members-import-hint-full-name",
            Column::Sector => "members-import-hint-sector",
            Column::SpecialCommittee => "members-import-hint-committee",
            Column::ContactDepartment => "members-import-hint-department",
            Column::Term => "members-import-hint-term",
            Column::Mobile => "members-import-hint-mobile",
        }
    }

    /// The English header (inherent, so that templates need no trait in scope).
    pub fn header(self) -> &'static str {
        ImportColumn::header(self)
    }

    pub fn chinese_header(self) -> &'static str {
        ImportColumn::chinese_header(self)
    }
}

impl ImportColumn for Column {
    fn header(self) -> &'static str {
        match self {
            Column::FullName => "full_name",
            Column::Sector => "sector",
            Column::SpecialCommittee => "special_committee",
            Column::ContactDepartment => "contact_department",
            Column::Term => "term",
            Column::Mobile => "mobile",
        }
    }

    fn chinese_header(self) -> &'static str {
        match self {
            Column::FullName => "姓名",
            Column::Sector => "界别",
            Column::SpecialCommittee => "专门委员会",
            Column::ContactDepartment => "联系处室",
            Column::Term => "届次",
            Column::Mobile => "手机",
        }
    }

    /// Every column: an empty cell clears the field of a member the row
    /// updates, so a file without the column cannot mean "leave it".
    fn required(self) -> bool {
        true
    }
}

/// The values of one row as they were in the file (trimmed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowValues {
    pub full_name: String,
    pub sector: String,
    pub special_committee: String,
    pub contact_department: String,
    pub term: String,
    pub mobile: String,
}

/// What is wrong with a row; a row may have several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowError {
    MissingFullName,
    FullNameTooLong,
    MissingSector,
    SectorTooLong,
    CommitteeTooLong,
    /// No active department of that name.
    UnknownDepartment,
    MissingTerm,
    TermTooLong,
    BadMobile,
    /// The same name and sector on another row of the file.
    Repeated,
    /// More than one member of the register has that name and sector.
    Ambiguous,
}

impl RowError {
    pub const ALL: [RowError; 11] = [
        RowError::MissingFullName,
        RowError::FullNameTooLong,
        RowError::MissingSector,
        RowError::SectorTooLong,
        RowError::CommitteeTooLong,
        RowError::UnknownDepartment,
        RowError::MissingTerm,
        RowError::TermTooLong,
        RowError::BadMobile,
        RowError::Repeated,
        RowError::Ambiguous,
    ];

    pub fn label_key(self) -> &'static str {
        match self {
            RowError::MissingFullName => "members-import-error-full-name-missing",
            RowError::FullNameTooLong => "members-import-error-full-name-too-long",
            RowError::MissingSector => "members-import-error-sector-missing",
            RowError::SectorTooLong => "members-import-error-sector-too-long",
            RowError::CommitteeTooLong => "members-import-error-committee-too-long",
            RowError::UnknownDepartment => "members-import-error-department-unknown",
            RowError::MissingTerm => "members-import-error-term-missing",
            RowError::TermTooLong => "members-import-error-term-too-long",
            RowError::BadMobile => "members-import-error-mobile",
            RowError::Repeated => "members-import-error-repeated",
            RowError::Ambiguous => "members-import-error-ambiguous",
        }
    }
}

/// What a checked row without errors will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowAction {
    Create(MemberFields),
    /// Update the member of that id (same name and sector).
    Update(i64, MemberFields),
}

/// One data row: its line in the file, its values and what is wrong with it.
/// Stored as JSON between preview and commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberImportRow {
    pub line: u32,
    pub values: RowValues,
    #[serde(default)]
    pub errors: Vec<RowError>,
    /// Set by [`check`] when the row has no error; worked out again at commit, never stored.
    #[serde(skip)]
    pub action: Option<RowAction>,
}

impl MemberImportRow {
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Whether the row updates a member already in the register.
    pub fn updates(&self) -> bool {
        matches!(self.action, Some(RowAction::Update(..)))
    }
}

/// Maps the header to the columns and takes the data rows (unchecked).
pub fn read_rows(table: &Table) -> Result<Vec<MemberImportRow>, FileError> {
    let records = spreadsheet::records(table, &Column::ALL)?;
    Ok(records
        .into_iter()
        .map(|mut record| {
            let values = RowValues {
                full_name: record.take(Column::FullName),
                sector: record.take(Column::Sector),
                special_committee: record.take(Column::SpecialCommittee),
                contact_department: record.take(Column::ContactDepartment),
                term: record.take(Column::Term),
                mobile: record.take(Column::Mobile),
            };
            MemberImportRow { line: record.line, values, errors: Vec::new(), action: None }
        })
        .collect())
}

/// How the register identifies a member in a file: name and sector.
pub type MemberKey = (String, String);

/// Checks every row against the file itself and the database: `departments`
/// maps active department names to ids, `existing` maps a name and sector to
/// the ids of the members who have them. Errors found earlier are replaced.
pub fn check(
    rows: Vec<MemberImportRow>,
    departments: &HashMap<String, i64>,
    existing: &HashMap<MemberKey, Vec<i64>>,
) -> Vec<MemberImportRow> {
    let mut seen: HashMap<MemberKey, usize> = HashMap::new();
    for row in &rows {
        *seen.entry(key(&row.values)).or_default() += 1;
    }
    let repeated: HashSet<MemberKey> = seen.into_iter().filter(|(_, n)| *n > 1).map(|(k, _)| k).collect();
    rows.into_iter()
        .map(|mut row| {
            let (mut errors, fields) = check_values(&row.values, departments);
            let key = key(&row.values);
            let matches = existing.get(&key).map(Vec::as_slice).unwrap_or_default();
            if !key.0.is_empty() && repeated.contains(&key) {
                errors.push(RowError::Repeated);
            }
            if matches.len() > 1 {
                errors.push(RowError::Ambiguous);
            }
            row.action = match (errors.is_empty(), fields, matches) {
                (true, Some(fields), [id]) => Some(RowAction::Update(*id, fields)),
                (true, Some(fields), _) => Some(RowAction::Create(fields)),
                _ => None,
            };
            row.errors = errors;
            row
        })
        .collect()
}

/// Reads and checks a table in one go (see [`read_rows`] and [`check`]).
pub fn validate(
    table: &Table,
    departments: &HashMap<String, i64>,
    existing: &HashMap<MemberKey, Vec<i64>>,
) -> Result<Vec<MemberImportRow>, FileError> {
    Ok(check(read_rows(table)?, departments, existing))
}

fn key(values: &RowValues) -> MemberKey {
    (values.full_name.clone(), values.sector.clone())
}

/// The names and sectors of the rows, to look up in the database.
pub fn names(rows: &[MemberImportRow]) -> Vec<String> {
    let mut names: Vec<String> = rows.iter().map(|r| r.values.full_name.clone()).filter(|n| !n.is_empty()).collect();
    names.sort();
    names.dedup();
    names
}

/// Checks one row's own values.
fn check_values(values: &RowValues, departments: &HashMap<String, i64>) -> (Vec<RowError>, Option<MemberFields>) {
    let mut errors = Vec::new();
    let text = |value: &str, max: usize, missing: RowError, too_long: RowError| {
        validate::required_text(value, max).map_err(|e| if e == FieldError::Required { missing } else { too_long })
    };
    let full_name =
        keep(&mut errors, text(&values.full_name, NAME_MAX, RowError::MissingFullName, RowError::FullNameTooLong));
    let sector = keep(&mut errors, text(&values.sector, SECTOR_MAX, RowError::MissingSector, RowError::SectorTooLong));
    let committee = validate::optional_text(&values.special_committee, COMMITTEE_MAX);
    let committee = keep(&mut errors, committee.map_err(|_| RowError::CommitteeTooLong));
    let department = match values.contact_department.as_str() {
        "" => Ok(None),
        name => departments.get(name).copied().map(Some).ok_or(RowError::UnknownDepartment),
    };
    let department = keep(&mut errors, department);
    let term = keep(&mut errors, text(&values.term, TERM_MAX, RowError::MissingTerm, RowError::TermTooLong));
    let mobile = keep(&mut errors, mobile(&values.mobile).map_err(|_| RowError::BadMobile));
    let fields = match (full_name, sector, committee, department, term, mobile) {
        (
            Some(full_name),
            Some(sector),
            Some(special_committee),
            Some(contact_department_id),
            Some(term),
            Some(mobile),
        ) => Some(MemberFields { full_name, sector, special_committee, contact_department_id, term, mobile }),
        _ => None,
    };
    (errors, fields)
}

#[cfg(test)]
mod tests {
    use fluent_templates::fluent_bundle::FluentValue;

    use super::*;
    use crate::domain::spreadsheet::parse;
    use crate::i18n::Lang;

    const HEADER: &str = "姓名,界别,专门委员会,联系处室,届次,手机";

    fn departments() -> HashMap<String, i64> {
        HashMap::from([("办公室".to_string(), 1), ("提案委员会办公室".to_string(), 2)])
    }

    fn checked(csv: &str, existing: &[(&str, &str, i64)]) -> Vec<MemberImportRow> {
        let mut map: HashMap<MemberKey, Vec<i64>> = HashMap::new();
        for (name, sector, id) in existing {
            map.entry((name.to_string(), sector.to_string())).or_default().push(*id);
        }
        validate(&parse(csv.as_bytes()).unwrap(), &departments(), &map).unwrap()
    }

    #[test]
    fn a_mobile_is_eleven_digits_starting_with_one() {
        assert!(valid_mobile("13900001001"));
        assert!(!valid_mobile("1390000100"));
        assert!(!valid_mobile("23900001001"));
        assert!(!valid_mobile("1390000100a"));
        assert_eq!(mobile(" 139-0000 1001 "), Ok("13900001001".into()));
        assert_eq!(mobile(""), Ok(String::new()));
        assert_eq!(mobile("0571-87051234"), Err(FieldError::Invalid));
    }

    #[test]
    fn a_good_row_creates_a_member_with_its_department() {
        let rows = checked(&format!("{HEADER}\n 王明 ,经济界,提案委员会,提案委员会办公室,第十五届,13900001234\n"), &[]);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        assert!(rows[0].errors.is_empty(), "{:?}", rows[0].errors);
        let expected = MemberFields {
            full_name: "王明".into(),
            sector: "经济界".into(),
            special_committee: "提案委员会".into(),
            contact_department_id: Some(2),
            term: "第十五届".into(),
            mobile: "13900001234".into(),
        };
        assert_eq!(rows[0].action, Some(RowAction::Create(expected)));
        assert!(!rows[0].updates());
    }

    #[test]
    fn english_headers_in_any_order_are_read_and_empty_optional_cells_mean_none() {
        let rows = checked(
            "mobile,term,contact_department,special_committee,sector,full_name\n,第十五届,,,教育界,李华\n",
            &[],
        );
        let Some(RowAction::Create(fields)) = &rows[0].action else { panic!("{:?}", rows[0]) };
        assert_eq!(
            (fields.contact_department_id, fields.special_committee.as_str(), fields.mobile.as_str()),
            (None, "", "")
        );
    }

    #[test]
    fn every_column_is_required_in_the_header() {
        let table = parse("姓名,界别,届次\n王明,经济界,第十五届\n".as_bytes()).unwrap();
        let error = read_rows(&table).unwrap_err();
        assert_eq!(
            error,
            FileError::MissingColumns(
                "special_committee（专门委员会）、contact_department（联系处室）、mobile（手机）".into()
            )
        );
    }

    #[test]
    fn every_problem_of_a_row_is_reported() {
        let long = "长".repeat(41);
        let rows = checked(&format!("{HEADER}\n{long},,{long},财务处,,12345\n"), &[]);
        assert_eq!(
            rows[0].errors,
            vec![
                RowError::FullNameTooLong,
                RowError::MissingSector,
                RowError::CommitteeTooLong,
                RowError::UnknownDepartment,
                RowError::MissingTerm,
                RowError::BadMobile,
            ]
        );
        assert_eq!(rows[0].action, None);
        let rows = checked(&format!("{HEADER}\n,经济界,,,{},\n", "届".repeat(21)), &[]);
        assert_eq!(rows[0].errors, vec![RowError::MissingFullName, RowError::TermTooLong]);
    }

    #[test]
    fn a_name_and_sector_twice_in_the_file_are_flagged_on_both_rows() {
        let text = format!("{HEADER}\n王明,经济界,,,第十五届,\n王明,经济界,,,第十五届,\n王明,教育界,,,第十五届,\n");
        let rows = checked(&text, &[]);
        assert_eq!(rows[0].errors, vec![RowError::Repeated]);
        assert_eq!(rows[1].errors, vec![RowError::Repeated]);
        assert!(rows[2].errors.is_empty());
    }

    #[test]
    fn a_row_matching_a_member_by_name_and_sector_updates_them() {
        let text = format!("{HEADER}\n王明,经济界,,办公室,第十五届,\n王明,教育界,,,第十五届,\n张丽,妇联,,,第十五届,\n");
        let rows = checked(&text, &[("王明", "经济界", 7), ("张丽", "妇联", 8), ("张丽", "妇联", 9)]);
        assert!(matches!(&rows[0].action, Some(RowAction::Update(7, f)) if f.contact_department_id == Some(1)));
        assert!(rows[0].updates());
        assert!(matches!(rows[1].action, Some(RowAction::Create(_))));
        assert_eq!(rows[2].errors, vec![RowError::Ambiguous]);
        assert_eq!(names(&rows), vec!["张丽", "王明"]);
    }

    #[test]
    fn xlsx_mobiles_typed_as_numbers_are_read_as_digits() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (col, header) in HEADER.split(',').enumerate() {
            sheet.write_string(0, col as u16, header).unwrap();
        }
        for (col, value) in ["赵磊", "科技界", "", "办公室", "第十五届"].iter().enumerate() {
            sheet.write_string(1, col as u16, *value).unwrap();
        }
        sheet.write_number(1, 5, 13900005678.0).unwrap();
        let table = parse(&workbook.save_to_buffer().unwrap()).unwrap();
        let rows = check(read_rows(&table).unwrap(), &departments(), &HashMap::new());
        assert_eq!(rows[0].values.mobile, "13900005678");
        assert!(rows[0].errors.is_empty(), "{:?}", rows[0].errors);
    }

    #[test]
    fn stored_rows_keep_values_and_errors_but_not_the_action() {
        let rows = checked(&format!("{HEADER}\n王明,经济界,,,第十五届,\n,,,,,1\n"), &[]);
        let json = serde_json::to_value(&rows).unwrap();
        assert_eq!(json[1]["errors"][0], "missing_full_name");
        let back: Vec<MemberImportRow> = serde_json::from_value(json).unwrap();
        assert_eq!(back[0].values, rows[0].values);
        assert_eq!(back[1].errors, rows[1].errors);
        assert!(back[0].action.is_none());
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        let keys = RowError::ALL.iter().map(|e| e.label_key()).chain(Column::ALL.iter().map(|c| c.hint_key()));
        for key in keys {
            for lang in Lang::ALL {
                let text = lang.t_args(key, &[("name", FluentValue::from("x"))]);
                assert_ne!(text, key, "{lang:?} lacks {key}");
            }
        }
    }
}

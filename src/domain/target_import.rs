//! Target import (目标导入, docs/DOMAIN.md §20.3): a department's targets read
//! from a CSV or XLSX file in the layout of the target exports, and every row
//! checked before anything is written. Pure: what the database knows (the
//! department's people, their plans, the cycle's period) comes in as
//! [`ImportFacts`], so the same check runs at the preview and again at the
//! confirmation.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::plan::{self, Direction, PlanIssue, TargetCategory, TargetFacts, TargetKind, TargetLevel};
use super::spreadsheet::{self, FileError, ImportColumn, Table, keep};
use super::validate;
use crate::i18n::Lang;

/// A column of the target sheet that the import reads. The sheet's other
/// columns (cycle, plan status, completion, last report, slip) are what the
/// office records, not what a plan is written with; the import passes them by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Department,
    Level,
    Owner,
    Username,
    Title,
    Category,
    Kind,
    Measure,
    Unit,
    TargetValue,
    Direction,
    Baseline,
    Weight,
    Deadline,
    Method,
    Backup,
}

impl Column {
    pub const ALL: [Column; 16] = [
        Column::Department,
        Column::Level,
        Column::Owner,
        Column::Username,
        Column::Title,
        Column::Category,
        Column::Kind,
        Column::Measure,
        Column::Unit,
        Column::TargetValue,
        Column::Direction,
        Column::Baseline,
        Column::Weight,
        Column::Deadline,
        Column::Method,
        Column::Backup,
    ];

    /// The English header, as in the sample file.
    pub fn header(self) -> &'static str {
        match self {
            Column::Department => "department",
            Column::Level => "level",
            Column::Owner => "owner",
            Column::Username => "username",
            Column::Title => "title",
            Column::Category => "category",
            Column::Kind => "kind",
            Column::Measure => "measure",
            Column::Unit => "unit",
            Column::TargetValue => "target_value",
            Column::Direction => "direction",
            Column::Baseline => "baseline",
            Column::Weight => "weight",
            Column::Deadline => "deadline",
            Column::Method => "assessment_method",
            Column::Backup => "backup",
        }
    }

    /// The Chinese header: the export's column label (a unit test holds them equal).
    pub fn chinese_header(self) -> &'static str {
        match self {
            Column::Department => "处室",
            Column::Level => "层级",
            Column::Owner => "责任人（A 角）",
            Column::Username => "用户名",
            Column::Title => "目标名称",
            Column::Category => "类别",
            Column::Kind => "考核类型",
            Column::Measure => "衡量指标",
            Column::Unit => "单位",
            Column::TargetValue => "目标值",
            Column::Direction => "指标方向",
            Column::Baseline => "上年实际（基数）",
            Column::Weight => "权重",
            Column::Deadline => "完成时限",
            Column::Method => "考核方法",
            Column::Backup => "B 角",
        }
    }

    /// The locale key of the column's label in the exported sheet.
    pub fn label_key(self) -> &'static str {
        match self {
            Column::Department => "field-department",
            Column::Level => "field-level",
            Column::Owner => "field-owner",
            Column::Username => "field-username",
            Column::Title => "field-target-title",
            Column::Category => "field-category",
            Column::Kind => "field-target-kind",
            Column::Measure => "field-measure",
            Column::Unit => "field-unit",
            Column::TargetValue => "field-target-value",
            Column::Direction => "field-direction",
            Column::Baseline => "field-baseline",
            Column::Weight => "field-weight",
            Column::Deadline => "field-deadline",
            Column::Method => "field-method",
            Column::Backup => "field-backup",
        }
    }

    /// A file without these cannot pass the plan checks (§6.3), so it is
    /// refused as a whole rather than row by row.
    pub fn required(self) -> bool {
        matches!(
            self,
            Column::Level
                | Column::Owner
                | Column::Title
                | Column::Category
                | Column::Measure
                | Column::TargetValue
                | Column::Weight
                | Column::Deadline
                | Column::Method
        )
    }

    /// What the column holds, for the upload page.
    pub fn hint_key(self) -> &'static str {
        match self {
            Column::Department => "target-import-hint-department",
            Column::Level => "target-import-hint-level",
            Column::Owner => "target-import-hint-owner",
            Column::Username => "target-import-hint-username",
            Column::Title => "target-import-hint-title",
            Column::Category => "target-import-hint-category",
            Column::Kind => "target-import-hint-kind",
            Column::Measure => "target-import-hint-measure",
            Column::Unit => "target-import-hint-unit",
            Column::TargetValue => "target-import-hint-target-value",
            Column::Direction => "target-import-hint-direction",
            Column::Baseline => "target-import-hint-baseline",
            Column::Weight => "target-import-hint-weight",
            Column::Deadline => "target-import-hint-deadline",
            Column::Method => "target-import-hint-method",
            Column::Backup => "target-import-hint-backup",
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

    /// Also the English column label of an export made in English.
    fn matches(self, header: &str) -> bool {
        let header = header.trim_start_matches('\u{feff}').trim().trim_matches('*').trim().to_lowercase();
        // Lower case throughout: "责任人（A 角）" has a Latin letter too.
        header == self.header()
            || header == self.chinese_header().to_lowercase()
            || header == Lang::En.t(self.label_key()).to_lowercase()
    }
}

/// The values of one row as they were in the file (trimmed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowValues {
    pub department: String,
    pub level: String,
    pub owner: String,
    pub username: String,
    pub title: String,
    pub category: String,
    pub kind: String,
    pub measure: String,
    pub unit: String,
    pub target_value: String,
    pub direction: String,
    pub baseline: String,
    pub weight: String,
    pub deadline: String,
    pub method: String,
    pub backup: String,
}

impl RowValues {
    fn slot(&mut self, column: Column) -> &mut String {
        match column {
            Column::Department => &mut self.department,
            Column::Level => &mut self.level,
            Column::Owner => &mut self.owner,
            Column::Username => &mut self.username,
            Column::Title => &mut self.title,
            Column::Category => &mut self.category,
            Column::Kind => &mut self.kind,
            Column::Measure => &mut self.measure,
            Column::Unit => &mut self.unit,
            Column::TargetValue => &mut self.target_value,
            Column::Direction => &mut self.direction,
            Column::Baseline => &mut self.baseline,
            Column::Weight => &mut self.weight,
            Column::Deadline => &mut self.deadline,
            Column::Method => &mut self.method,
            Column::Backup => &mut self.backup,
        }
    }
}

/// What is wrong with a row; a row may have several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowError {
    /// The department cell names another department than the one imported into.
    OtherDepartment,
    LevelMissing,
    LevelUnknown,
    /// The office's work points are kept by the performance office on their own page.
    LevelNotImported,
    /// A personal target without a username or a name.
    OwnerMissing,
    /// No active person has that username or name.
    PersonUnknown,
    /// The person belongs to another department.
    PersonOutsideDepartment,
    /// Two people of the department have the name: the username must say which.
    NameAmbiguous,
    /// The username and the name are of different people.
    NameMismatch,
    /// The person is of the department but does not take part in the cycle.
    NotParticipant,
    /// Nobody of the department takes part in the cycle.
    DepartmentNotParticipating,
    TitleMissing,
    TitleTooLong,
    /// The same title twice for one plan in the file.
    TitleRepeated,
    /// The plan has an active target of that title already.
    TitleExists,
    CategoryMissing,
    CategoryUnknown,
    KindUnknown,
    MeasureMissing,
    MeasureTooLong,
    UnitTooLong,
    ValueMissing,
    ValueInvalid,
    /// A qualitative target has no number to reach (§6.2).
    ValueForQualitative,
    DirectionUnknown,
    BaselineInvalid,
    WeightMissing,
    /// Not a number from 0 to 100 with at most two decimals.
    WeightInvalid,
    DeadlineMissing,
    DeadlineInvalid,
    DeadlineOutsideCycle,
    MethodMissing,
    MethodTooLong,
    /// The B named is not an active person of the department (or two are).
    BackupUnknown,
    BackupIsOwner,
    /// The plan is submitted or approved: it is changed through its workflow, not by an import.
    PlanNotEditable,
    /// The weights of the plan would add up to more than 100.
    #[serde(rename = "weights_over_100")]
    WeightsOver100,
    /// The cycle has left planning.
    CycleNotInPlanning,
}

impl RowError {
    #[cfg(test)]
    pub const ALL: [RowError; 38] = [
        RowError::OtherDepartment,
        RowError::LevelMissing,
        RowError::LevelUnknown,
        RowError::LevelNotImported,
        RowError::OwnerMissing,
        RowError::PersonUnknown,
        RowError::PersonOutsideDepartment,
        RowError::NameAmbiguous,
        RowError::NameMismatch,
        RowError::NotParticipant,
        RowError::DepartmentNotParticipating,
        RowError::TitleMissing,
        RowError::TitleTooLong,
        RowError::TitleRepeated,
        RowError::TitleExists,
        RowError::CategoryMissing,
        RowError::CategoryUnknown,
        RowError::KindUnknown,
        RowError::MeasureMissing,
        RowError::MeasureTooLong,
        RowError::UnitTooLong,
        RowError::ValueMissing,
        RowError::ValueInvalid,
        RowError::ValueForQualitative,
        RowError::DirectionUnknown,
        RowError::BaselineInvalid,
        RowError::WeightMissing,
        RowError::WeightInvalid,
        RowError::DeadlineMissing,
        RowError::DeadlineInvalid,
        RowError::DeadlineOutsideCycle,
        RowError::MethodMissing,
        RowError::MethodTooLong,
        RowError::BackupUnknown,
        RowError::BackupIsOwner,
        RowError::PlanNotEditable,
        RowError::WeightsOver100,
        RowError::CycleNotInPlanning,
    ];

    pub fn label_key(self) -> String {
        let code = serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        format!("target-import-error-{}", code.replace('_', "-"))
    }
}

/// A person of the department, as the check needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFacts {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    /// Takes part in the cycle (docs/DOMAIN.md §5.4): only participants have plans.
    pub participates: bool,
    /// The post the person holds as A and that post's B: the target's post and default backup.
    pub post_id: Option<i64>,
    pub post_backup_id: Option<i64>,
}

/// A plan (target set) of the cycle as it stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanFacts {
    pub set_id: i64,
    /// A draft or returned plan in planning (§6.4): targets may be added.
    pub editable: bool,
    pub weight_total: Decimal,
    pub titles: Vec<String>,
    pub next_sort_order: i32,
}

/// Which plan a row goes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlanOwner {
    Department,
    Person(i64),
}

/// What the database knows, for the check.
#[derive(Debug, Clone, Default)]
pub struct ImportFacts {
    pub department_name: String,
    /// The cycle's period: deadlines fall in it (§6.3).
    pub period: (NaiveDate, NaiveDate),
    pub in_planning: bool,
    /// The department's active people.
    pub people: Vec<PersonFacts>,
    /// Usernames (lower case) of the file that are active people of other departments.
    pub elsewhere: HashSet<String>,
    /// Whether someone of the department takes part in the cycle (a department plan needs it).
    pub department_participates: bool,
    /// The existing plans of the department and of its people in the cycle.
    pub plans: HashMap<PlanOwner, PlanFacts>,
}

/// A target a row without errors adds: the plan it goes into and its fields.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTarget {
    pub plan: PlanOwner,
    /// The set when the plan exists; `None`: the import opens it.
    pub set_id: Option<i64>,
    pub title: String,
    pub category: TargetCategory,
    pub kind: TargetKind,
    pub measure: String,
    pub unit: String,
    pub target_value: Option<Decimal>,
    pub direction: Direction,
    pub baseline: Option<Decimal>,
    pub weight: Decimal,
    pub deadline: NaiveDate,
    pub assessment_method: String,
    pub owner_id: Option<i64>,
    pub backup_id: Option<i64>,
    pub post_id: Option<i64>,
    pub sort_order: i32,
}

/// One data row: its line in the file, its values, its problems and (not
/// stored) what it adds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRow {
    pub line: u32,
    pub values: RowValues,
    #[serde(default)]
    pub errors: Vec<RowError>,
    /// The plan's owner as shown in the preview (a name, or the department's).
    #[serde(default)]
    pub plan_name: String,
    /// "Advanced" (先进) is a warning, not an error (§6.3).
    #[serde(default)]
    pub below_last_year: bool,
    #[serde(skip)]
    pub target: Option<NewTarget>,
}

impl ImportRow {
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// A plan the import adds to, for the preview: its weights after the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSummary {
    pub owner: PlanOwner,
    pub name: String,
    pub opened: bool,
    pub existing_weight: Decimal,
    pub added: i64,
    pub weight_after: Decimal,
}

impl PlanSummary {
    /// A department or staff plan is submitted at exactly 100 (§6.3).
    pub fn complete(&self) -> bool {
        self.weight_after == Decimal::from(100)
    }
}

/// Reads the file's table: its header (under a title and an export line,
/// when it is an exported sheet) matched to the columns, its data rows unchecked.
pub fn read_rows(table: Table) -> Result<Vec<ImportRow>, FileError> {
    let table = spreadsheet::find_header(table, &Column::ALL);
    let records = spreadsheet::records(&table, &Column::ALL)?;
    Ok(records
        .into_iter()
        .map(|mut record| {
            let mut values = RowValues::default();
            for column in Column::ALL {
                *values.slot(column) = record.take(column);
            }
            ImportRow {
                line: record.line,
                values,
                errors: Vec::new(),
                plan_name: String::new(),
                below_last_year: false,
                target: None,
            }
        })
        .collect())
}

/// A value of a coded list written as its code or its name in either language.
fn by_name<T: Copy>(text: &str, all: &[T], code: fn(T) -> &'static str, label_key: fn(T) -> String) -> Option<T> {
    let text = text.trim().to_lowercase();
    all.iter().copied().find(|&v| {
        let key = label_key(v);
        text == code(v) || text == Lang::ZhCn.t(&key).to_lowercase() || text == Lang::En.t(&key).to_lowercase()
    })
}

fn parse_level(text: &str) -> Option<TargetLevel> {
    match text.trim() {
        "处室" => Some(TargetLevel::Department),
        "个人" => Some(TargetLevel::Person),
        text => by_name(text, TargetLevel::ALL, TargetLevel::code, TargetLevel::label_key),
    }
}

fn parse_direction(text: &str) -> Option<Direction> {
    match text.trim() {
        "正向" => Some(Direction::HigherBetter),
        "逆向" => Some(Direction::LowerBetter),
        text => by_name(text, Direction::ALL, Direction::code, Direction::label_key),
    }
}

/// A number the columns can hold: at most two decimals, below a trillion.
fn amount(text: &str) -> Result<Option<Decimal>, ()> {
    let value = validate::optional_decimal(text.trim().trim_end_matches(['%', '％'])).map_err(|_| ())?;
    match value {
        Some(v) if v.scale() > 2 && v != v.round_dp(2) => Err(()),
        Some(v) if v.abs() >= Decimal::from(1_000_000_000_000i64) => Err(()),
        other => Ok(other.map(|v| v.round_dp(2))),
    }
}

/// A day as typed: 2026-11-30, 2026/11/30, 2026.11.30 or 2026年11月30日
/// (a date cell of a workbook arrives as the first).
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let text = text.split_whitespace().next().unwrap_or_default();
    ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
}

/// The person a row names: by username when given (the name, if also given,
/// must be theirs), else by a name that only one person of the department has.
fn find_person<'a>(values: &RowValues, facts: &'a ImportFacts) -> Result<&'a PersonFacts, RowError> {
    let username = values.username.trim().to_lowercase();
    let name = values.owner.trim();
    if !username.is_empty() {
        return match facts.people.iter().find(|p| p.username == username) {
            Some(person) if !name.is_empty() && person.full_name != name => Err(RowError::NameMismatch),
            Some(person) => Ok(person),
            None if facts.elsewhere.contains(&username) => Err(RowError::PersonOutsideDepartment),
            None => Err(RowError::PersonUnknown),
        };
    }
    if name.is_empty() {
        return Err(RowError::OwnerMissing);
    }
    let mut named = facts.people.iter().filter(|p| p.full_name == name);
    match (named.next(), named.next()) {
        (Some(person), None) => Ok(person),
        (Some(_), Some(_)) => Err(RowError::NameAmbiguous),
        (None, _) => Err(RowError::PersonUnknown),
    }
}

/// The backup a row names: an active person of the department, by name.
fn find_backup(name: &str, facts: &ImportFacts) -> Result<Option<i64>, RowError> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    let mut named = facts.people.iter().filter(|p| p.full_name == name || p.username == name.to_lowercase());
    match (named.next(), named.next()) {
        (Some(person), None) => Ok(Some(person.id)),
        _ => Err(RowError::BackupUnknown),
    }
}

/// Which plan the row goes into and who owns the target: (plan, owner, name
/// of the plan's owner, the owner's post and that post's B).
type Placement = (PlanOwner, Option<i64>, String, Option<i64>, Option<i64>);

fn placement(values: &RowValues, level: TargetLevel, facts: &ImportFacts) -> Result<Placement, RowError> {
    match level {
        TargetLevel::Office => Err(RowError::LevelNotImported),
        TargetLevel::Person => {
            let person = find_person(values, facts)?;
            if !person.participates {
                return Err(RowError::NotParticipant);
            }
            let plan = PlanOwner::Person(person.id);
            Ok((plan, Some(person.id), person.full_name.clone(), person.post_id, person.post_backup_id))
        }
        TargetLevel::Department => {
            if !facts.department_participates {
                return Err(RowError::DepartmentNotParticipating);
            }
            // A department target names its owner (A) when the row does.
            let named = !values.username.trim().is_empty() || !values.owner.trim().is_empty();
            let owner = if named { Some(find_person(values, facts)?) } else { None };
            let (post, backup) = owner.map_or((None, None), |p| (p.post_id, p.post_backup_id));
            Ok((PlanOwner::Department, owner.map(|p| p.id), facts.department_name.clone(), post, backup))
        }
    }
}

/// Checks every row against the file itself and `facts`; errors found before are replaced.
pub fn check(rows: Vec<ImportRow>, facts: &ImportFacts) -> Vec<ImportRow> {
    let mut rows: Vec<ImportRow> = rows.into_iter().map(|row| check_row(row, facts)).collect();
    // Across rows: a title twice for one plan, and each plan's weights.
    let mut titles: HashMap<(PlanOwner, String), usize> = HashMap::new();
    for target in rows.iter().filter_map(|r| r.target.as_ref()) {
        *titles.entry((target.plan, target.title.clone())).or_default() += 1;
    }
    let mut added: HashMap<PlanOwner, Decimal> = HashMap::new();
    for target in rows.iter().filter_map(|r| r.target.as_ref()) {
        *added.entry(target.plan).or_default() += target.weight;
    }
    let mut next_order: HashMap<PlanOwner, i32> = HashMap::new();
    for row in &mut rows {
        let Some(target) = row.target.as_mut() else { continue };
        let plan = facts.plans.get(&target.plan);
        if titles.get(&(target.plan, target.title.clone())).is_some_and(|n| *n > 1) {
            row.errors.push(RowError::TitleRepeated);
        }
        if plan.is_some_and(|p| p.titles.contains(&target.title)) {
            row.errors.push(RowError::TitleExists);
        }
        let existing = plan.map_or(Decimal::ZERO, |p| p.weight_total);
        if existing + added.get(&target.plan).copied().unwrap_or_default() > Decimal::from(100) {
            row.errors.push(RowError::WeightsOver100);
        }
        let order = next_order.entry(target.plan).or_insert_with(|| plan.map_or(1, |p| p.next_sort_order));
        target.sort_order = *order;
        *order += 1;
        if row.has_errors() {
            row.target = None;
        }
    }
    rows
}

/// The plans the rows without errors add to, in the order of the file.
pub fn summaries(rows: &[ImportRow], facts: &ImportFacts) -> Vec<PlanSummary> {
    let mut plans: Vec<PlanSummary> = Vec::new();
    for (row, target) in rows.iter().filter_map(|r| r.target.as_ref().map(|t| (r, t))) {
        let index = match plans.iter().position(|p| p.owner == target.plan) {
            Some(index) => index,
            None => {
                let existing = facts.plans.get(&target.plan);
                let weight = existing.map_or(Decimal::ZERO, |p| p.weight_total);
                plans.push(PlanSummary {
                    owner: target.plan,
                    name: row.plan_name.clone(),
                    opened: existing.is_none(),
                    existing_weight: weight,
                    added: 0,
                    weight_after: weight,
                });
                plans.len() - 1
            }
        };
        plans[index].added += 1;
        plans[index].weight_after += target.weight;
    }
    plans
}

fn check_row(mut row: ImportRow, facts: &ImportFacts) -> ImportRow {
    let v = &row.values;
    let mut errors = Vec::new();
    if !facts.in_planning {
        errors.push(RowError::CycleNotInPlanning);
    }
    if !v.department.is_empty() && v.department != facts.department_name {
        errors.push(RowError::OtherDepartment);
    }
    let level = match v.level.as_str() {
        "" => Err(RowError::LevelMissing),
        text => parse_level(text).ok_or(RowError::LevelUnknown),
    };
    let placed = keep(&mut errors, level.and_then(|level| placement(v, level, facts)));
    let title = keep(
        &mut errors,
        validate::required_text(&v.title, 200).map_err(|e| match e {
            validate::FieldError::Required => RowError::TitleMissing,
            _ => RowError::TitleTooLong,
        }),
    );
    let category = keep(
        &mut errors,
        match v.category.as_str() {
            "" => Err(RowError::CategoryMissing),
            text => by_name(text, TargetCategory::ALL, TargetCategory::code, TargetCategory::label_key)
                .ok_or(RowError::CategoryUnknown),
        },
    );
    let kind = keep(
        &mut errors,
        match v.kind.as_str() {
            "" => Ok(TargetKind::Quantitative),
            text => {
                by_name(text, TargetKind::ALL, TargetKind::code, TargetKind::label_key).ok_or(RowError::KindUnknown)
            }
        },
    );
    let measure = keep(&mut errors, validate::optional_text(&v.measure, 200).map_err(|_| RowError::MeasureTooLong));
    let unit = keep(&mut errors, validate::optional_text(&v.unit, 20).map_err(|_| RowError::UnitTooLong));
    let target_value = keep(&mut errors, amount(&v.target_value).map_err(|_| RowError::ValueInvalid));
    if kind == Some(TargetKind::Qualitative) && target_value.flatten().is_some() {
        errors.push(RowError::ValueForQualitative);
    }
    let direction = keep(
        &mut errors,
        match v.direction.as_str() {
            "" => Ok(Direction::HigherBetter),
            text => parse_direction(text).ok_or(RowError::DirectionUnknown),
        },
    );
    let baseline = keep(&mut errors, amount(&v.baseline).map_err(|_| RowError::BaselineInvalid));
    let weight = keep(
        &mut errors,
        match amount(&v.weight) {
            Ok(None) => Err(RowError::WeightMissing),
            Ok(Some(w)) if w >= Decimal::ZERO && w <= Decimal::from(100) => Ok(w),
            _ => Err(RowError::WeightInvalid),
        },
    );
    let deadline = keep(
        &mut errors,
        match v.deadline.as_str() {
            "" => Ok(None),
            text => parse_day(text).map(Some).ok_or(RowError::DeadlineInvalid),
        },
    );
    let method = keep(&mut errors, validate::optional_text(&v.method, 1000).map_err(|_| RowError::MethodTooLong));
    let backup = keep(&mut errors, find_backup(&v.backup, facts));
    let owner_id = placed.as_ref().and_then(|p| p.1);
    let backup_id = backup.flatten().or_else(|| placed.as_ref().and_then(|p| p.4)).filter(|b| Some(*b) != owner_id);
    if backup.flatten().is_some() && backup.flatten() == owner_id {
        errors.push(RowError::BackupIsOwner);
    }
    // The plan checks of §6.3 that block a submission are the row's errors here.
    let target_facts = TargetFacts {
        qualitative: kind == Some(TargetKind::Qualitative),
        title: title.clone().unwrap_or_default(),
        measure: measure.clone().unwrap_or_default(),
        target_value: target_value.flatten(),
        baseline: baseline.flatten(),
        direction,
        weight: weight.unwrap_or_default(),
        deadline: deadline.flatten(),
        assessment_method: method.clone().unwrap_or_default(),
        owner_id,
        backup_id,
    };
    let issues = plan::check_target(&target_facts, facts.period);
    for issue in &issues {
        let error = match issue {
            PlanIssue::MeasureMissing if measure.is_some() => Some(RowError::MeasureMissing),
            PlanIssue::ValueMissing if target_value.is_some() => Some(RowError::ValueMissing),
            PlanIssue::DeadlineMissing if deadline.is_some() => Some(RowError::DeadlineMissing),
            PlanIssue::DeadlineOutsideCycle => Some(RowError::DeadlineOutsideCycle),
            PlanIssue::MethodMissing if method.is_some() => Some(RowError::MethodMissing),
            _ => None,
        };
        errors.extend(error);
    }
    row.below_last_year = issues.contains(&PlanIssue::BelowLastYear);
    let plan = placed.as_ref().and_then(|p| facts.plans.get(&p.0));
    if plan.is_some_and(|p| !p.editable) {
        errors.push(RowError::PlanNotEditable);
    }
    row.plan_name = placed.as_ref().map(|p| p.2.clone()).unwrap_or_default();
    row.target = match (placed, title, category, kind, measure, unit, target_value, direction, baseline, weight) {
        (
            Some((owner, owner_id, _, post_id, _)),
            Some(title),
            Some(category),
            Some(kind),
            Some(measure),
            Some(unit),
            Some(target_value),
            Some(direction),
            Some(baseline),
            Some(weight),
        ) if errors.is_empty() => Some(NewTarget {
            plan: owner,
            set_id: plan.map(|p| p.set_id),
            title,
            category,
            kind,
            measure,
            unit,
            target_value,
            direction,
            baseline,
            weight,
            deadline: deadline.flatten().unwrap_or(facts.period.1),
            assessment_method: method.unwrap_or_default(),
            owner_id,
            backup_id,
            post_id,
            sort_order: 0,
        }),
        _ => None,
    };
    row.errors = errors;
    row
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::domain::spreadsheet::parse;

    const HEADER: &str = "处室,层级,责任人（A 角）,用户名,目标名称,类别,考核类型,衡量指标,单位,目标值,指标方向,上年实际（基数）,权重,完成时限,考核方法,B 角";

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn person(id: i64, username: &str, name: &str) -> PersonFacts {
        PersonFacts {
            id,
            username: username.into(),
            full_name: name.into(),
            participates: true,
            post_id: Some(id * 10),
            post_backup_id: Some(3),
        }
    }

    fn facts() -> ImportFacts {
        ImportFacts {
            department_name: "办公室".into(),
            period: (day(1, 1), day(12, 31)),
            in_planning: true,
            people: vec![
                person(1, "zhang.wei", "张伟"),
                person(2, "li.na", "李娜"),
                person(3, "wang.fang", "王芳"),
                PersonFacts { participates: false, ..person(4, "zhao.min", "赵敏") },
                person(5, "wang.fang2", "王芳"),
            ],
            elsewhere: HashSet::from(["qian.head".to_string()]),
            department_participates: true,
            plans: HashMap::from([
                (
                    PlanOwner::Person(1),
                    PlanFacts {
                        set_id: 11,
                        editable: true,
                        weight_total: dec!(30),
                        titles: vec!["公文处理".into()],
                        next_sort_order: 4,
                    },
                ),
                (PlanOwner::Person(2), PlanFacts { set_id: 12, editable: false, ..PlanFacts::default() }),
            ]),
        }
    }

    fn checked(lines: &[&str]) -> Vec<ImportRow> {
        let text = format!("{HEADER}\n{}\n", lines.join("\n"));
        check(read_rows(parse(text.as_bytes()).unwrap()).unwrap(), &facts())
    }

    const GOOD: &str =
        "办公室,个人目标,张伟,zhang.wei,会务保障,重点工作,定量,保障次数,次,12,正向指标,10,40,2026-11-30,查阅台账,";

    #[test]
    fn a_complete_row_adds_a_target_to_the_person_s_plan_after_its_targets() {
        let rows = checked(&[GOOD]);
        assert_eq!(rows[0].line, 2);
        assert!(rows[0].errors.is_empty(), "{:?}", rows[0].errors);
        let target = rows[0].target.clone().unwrap();
        assert_eq!((target.plan, target.set_id, target.sort_order), (PlanOwner::Person(1), Some(11), 4));
        assert_eq!((target.weight, target.target_value, target.deadline), (dec!(40), Some(dec!(12)), day(11, 30)));
        assert_eq!((target.owner_id, target.post_id, target.backup_id), (Some(1), Some(10), Some(3)));
        assert_eq!(target.category, TargetCategory::KeyWork);
        let plans = summaries(&rows, &facts());
        assert_eq!(plans.len(), 1);
        assert_eq!((plans[0].weight_after, plans[0].opened, plans[0].complete()), (dec!(70), false, false));
    }

    #[test]
    fn english_names_and_codes_are_read_as_well() {
        let rows = checked(&[
            "办公室,person,,li.na,x,Key work,Qualitative,m,,,lower_better,,0,2026/06/30,method,",
            ",Department targets,,,处室目标一,routine,,m,,5,逆向,,10,2026年6月30日,method,李娜",
        ]);
        assert_eq!(rows[0].errors, vec![RowError::PlanNotEditable], "li.na's plan is submitted");
        assert!(rows[1].errors.is_empty(), "{:?}", rows[1].errors);
        let target = rows[1].target.clone().unwrap();
        assert_eq!((target.plan, target.set_id, target.owner_id), (PlanOwner::Department, None, None));
        assert_eq!(
            (target.direction, target.backup_id, target.deadline),
            (Direction::LowerBetter, Some(2), day(6, 30))
        );
    }

    #[test]
    fn people_outside_the_department_unknown_or_not_taking_part_are_row_errors() {
        let rows = checked(&[
            ",个人目标,,qian.head,a,重点工作,,m,,1,,,10,2026-11-30,x,",
            ",个人目标,,nobody,b,重点工作,,m,,1,,,10,2026-11-30,x,",
            ",个人目标,赵敏,,c,重点工作,,m,,1,,,10,2026-11-30,x,",
            ",个人目标,王芳,,d,重点工作,,m,,1,,,10,2026-11-30,x,",
            ",个人目标,李娜,zhang.wei,e,重点工作,,m,,1,,,10,2026-11-30,x,",
            ",个人目标,,,f,重点工作,,m,,1,,,10,2026-11-30,x,",
            "研究室,个人目标,张伟,,g,重点工作,,m,,1,,,10,2026-11-30,x,",
            ",机关年度工作要点,,,h,重点工作,,m,,1,,,10,2026-11-30,x,",
        ]);
        let errors: Vec<Vec<RowError>> = rows.iter().map(|r| r.errors.clone()).collect();
        assert_eq!(
            errors,
            vec![
                vec![RowError::PersonOutsideDepartment],
                vec![RowError::PersonUnknown],
                vec![RowError::NotParticipant],
                vec![RowError::NameAmbiguous],
                vec![RowError::NameMismatch],
                vec![RowError::OwnerMissing],
                vec![RowError::OtherDepartment],
                vec![RowError::LevelNotImported],
            ]
        );
        assert!(rows.iter().all(|r| r.target.is_none()));
    }

    #[test]
    fn the_blocking_plan_checks_are_row_errors_and_advanced_is_a_warning() {
        let rows = checked(&[
            ",个人目标,张伟,,a,重点工作,定量,,,,,,10,,,",
            ",个人目标,张伟,,b,重点工作,定性,m,,5,,,10,2027-01-15,x,",
            ",个人目标,张伟,,c,新类别,甲,m,,五,横向,x,120,明天,x,张伟",
            ",个人目标,张伟,,d,重点工作,,m,,8,,10,10,2026-11-30,x,",
        ]);
        assert_eq!(
            rows[0].errors,
            vec![RowError::MeasureMissing, RowError::ValueMissing, RowError::DeadlineMissing, RowError::MethodMissing]
        );
        assert_eq!(rows[1].errors, vec![RowError::ValueForQualitative, RowError::DeadlineOutsideCycle]);
        assert_eq!(
            rows[2].errors,
            vec![
                RowError::CategoryUnknown,
                RowError::KindUnknown,
                RowError::ValueInvalid,
                RowError::DirectionUnknown,
                RowError::BaselineInvalid,
                RowError::WeightInvalid,
                RowError::DeadlineInvalid,
                RowError::BackupIsOwner,
            ]
        );
        assert!(rows[3].errors.is_empty() && rows[3].below_last_year);
    }

    #[test]
    fn weights_over_100_repeated_and_existing_titles_are_row_errors() {
        let rows = checked(&[
            ",个人目标,张伟,,公文处理,重点工作,,m,,1,,,10,2026-11-30,x,",
            ",个人目标,张伟,,会务,重点工作,,m,,1,,,40,2026-11-30,x,",
            ",个人目标,张伟,,会务,重点工作,,m,,1,,,40,2026-11-30,x,",
            ",个人目标,王芳,wang.fang,信息,重点工作,,m,,1,,,60,2026-11-30,x,",
            ",个人目标,王芳,wang.fang,调研,重点工作,,m,,1,,,40.5,2026-11-30,x,",
        ]);
        assert_eq!(rows[0].errors, vec![RowError::TitleExists, RowError::WeightsOver100]);
        assert_eq!(rows[1].errors, vec![RowError::TitleRepeated, RowError::WeightsOver100]);
        assert_eq!(rows[3].errors, vec![RowError::WeightsOver100]);
        assert!(summaries(&rows, &facts()).is_empty());
    }

    #[test]
    fn a_cycle_out_of_planning_refuses_every_row() {
        let text = format!("{HEADER}\n{GOOD}\n");
        let closed = ImportFacts { in_planning: false, ..facts() };
        let rows = check(read_rows(parse(text.as_bytes()).unwrap()).unwrap(), &closed);
        assert_eq!(rows[0].errors, vec![RowError::CycleNotInPlanning]);
    }

    #[test]
    fn an_exported_sheet_is_read_under_its_title_with_english_labels() {
        // English labels carry commas ("Owner (A, post holder)"): quoted, as a CSV writer would.
        let header: Vec<String> = Column::ALL.iter().map(|c| format!("\"{}\"", Lang::En.t(c.label_key()))).collect();
        let text = format!(
            "Targets · 2026\nExported 2026-12-07 by 王芳\nCycle,{},Plan status\n2026年度,{GOOD},草稿\n",
            header.join(",")
        );
        let rows = read_rows(parse(text.as_bytes()).unwrap()).unwrap();
        assert_eq!((rows[0].line, rows[0].values.title.as_str()), (4, "会务保障"));
    }

    #[test]
    fn chinese_headers_are_the_export_s_labels_and_every_message_exists() {
        for column in Column::ALL {
            assert_eq!(Lang::ZhCn.t(column.label_key()), column.chinese_header(), "{column:?}");
            for lang in Lang::ALL {
                assert_ne!(lang.t(column.hint_key()), column.hint_key(), "{lang:?} {column:?}");
            }
        }
        for error in RowError::ALL {
            for lang in Lang::ALL {
                assert_ne!(lang.t(&error.label_key()), error.label_key(), "{lang:?} {error:?}");
            }
        }
    }

    #[test]
    fn days_are_read_in_the_usual_ways() {
        for text in ["2026-11-30", "2026/11/30", "2026.11.30", "2026年11月30日", "2026-11-30 00:00"] {
            assert_eq!(parse_day(text), Some(day(11, 30)), "{text}");
        }
        assert_eq!(parse_day("30/11/2026"), None);
    }
}

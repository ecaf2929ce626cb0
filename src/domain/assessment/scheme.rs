//! The assessment scheme (考核方案): everything the performance office sets
//! for one year and target group, with DOMAIN §5's defaults, its checks and a
//! diff between two versions. docs/DOMAIN.md §17.1–§17.3.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Rounding;
use super::quota::QuotaRule;
use crate::domain::identity::IdentityType;

/// Whom a scheme assesses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetGroup {
    /// 工作人员
    Staff,
    /// 处室负责人
    DepartmentHeads,
}

impl TargetGroup {
    pub fn label_key(self) -> &'static str {
        match self {
            TargetGroup::Staff => "assess-target-staff",
            TargetGroup::DepartmentHeads => "assess-target-department-heads",
        }
    }
}

/// The four ballot levels a rater chooses per criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 优秀
    Excellent,
    /// 良好
    Good,
    /// 一般
    Fair,
    /// 较差
    Poor,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Excellent, Level::Good, Level::Fair, Level::Poor];

    pub fn label_key(self) -> &'static str {
        match self {
            Level::Excellent => "assess-level-excellent",
            Level::Good => "assess-level-good",
            Level::Fair => "assess-level-fair",
            Level::Poor => "assess-level-poor",
        }
    }
}

/// What a level is worth, out of 100 (default 100/85/70/55).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelValues {
    pub excellent: Decimal,
    pub good: Decimal,
    pub fair: Decimal,
    pub poor: Decimal,
}

impl LevelValues {
    pub fn value(&self, level: Level) -> Decimal {
        match level {
            Level::Excellent => self.excellent,
            Level::Good => self.good,
            Level::Fair => self.fair,
            Level::Poor => self.poor,
        }
    }
}

/// What raters read for each level of one criterion (data, in the office's language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Descriptors {
    pub excellent: String,
    pub good: String,
    pub fair: String,
    pub poor: String,
}

impl Descriptors {
    pub fn get(&self, level: Level) -> &str {
        match level {
            Level::Excellent => &self.excellent,
            Level::Good => &self.good,
            Level::Fair => &self.fair,
            Level::Poor => &self.poor,
        }
    }
}

/// Where a criterion's points come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionSource {
    /// The raters' levels, mapped to points.
    Ballot,
    /// The person's target completion from verified progress (percent).
    TargetCompletion,
    /// The department's target completion (heads only; percent).
    DepartmentTargetCompletion,
    /// Discipline inspection's 廉 score (out of 100).
    Integrity,
    /// Supervision items done on time and commitments kept (percent).
    Supervision,
}

impl CriterionSource {
    pub const ALL: [CriterionSource; 5] = [
        CriterionSource::Ballot,
        CriterionSource::TargetCompletion,
        CriterionSource::DepartmentTargetCompletion,
        CriterionSource::Integrity,
        CriterionSource::Supervision,
    ];

    pub fn label_key(self) -> &'static str {
        match self {
            CriterionSource::Ballot => "assess-source-ballot",
            CriterionSource::TargetCompletion => "assess-source-target-completion",
            CriterionSource::DepartmentTargetCompletion => "assess-source-department-target-completion",
            CriterionSource::Integrity => "assess-source-integrity",
            CriterionSource::Supervision => "assess-source-supervision",
        }
    }
}

/// A sub-criterion: its points and how they are scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// Stable key (ballots name criteria by it), unique within the scheme.
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub points: Decimal,
    pub source: CriterionSource,
    pub descriptors: Descriptors,
}

/// A dimension (德, 能, 勤, 绩, 廉) and its sub-criteria.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dimension {
    /// Stable key (`de`, `neng`, `qin`, `ji`, `lian` in the defaults).
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub points: Decimal,
    pub criteria: Vec<Criterion>,
}

/// A group of raters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RaterKind {
    /// 处室负责人 rating staff.
    Head,
    /// 民主测评: colleagues, anonymous.
    Democratic,
    /// 分管领导
    SupervisingLeader,
    /// 主要领导 (秘书长), rating department heads.
    PrincipalLeader,
}

impl RaterKind {
    pub const ALL: [RaterKind; 4] =
        [RaterKind::Head, RaterKind::Democratic, RaterKind::SupervisingLeader, RaterKind::PrincipalLeader];

    pub fn label_key(self) -> &'static str {
        match self {
            RaterKind::Head => "assess-rater-head",
            RaterKind::Democratic => "assess-rater-democratic",
            RaterKind::SupervisingLeader => "assess-rater-supervising-leader",
            RaterKind::PrincipalLeader => "assess-rater-principal-leader",
        }
    }
}

/// A rater group and its weight (weights of a scheme sum to 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaterGroup {
    pub kind: RaterKind,
    pub weight: Decimal,
    /// Anonymous ballots: the group's result is withheld below the minimum
    /// number of ballots (docs/DOMAIN.md §17.5).
    pub anonymous: bool,
}

/// Quarterly bands: 好 from `good`, 较好 from `fairly_good`, 一般 from
/// `average`, 较差 below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterBands {
    pub good: Decimal,
    pub fairly_good: Decimal,
    pub average: Decimal,
}

/// The annual formula's shares: quarterly mean, democratic, leader evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualFormula {
    pub quarterly: Decimal,
    pub democratic: Decimal,
    pub leader: Decimal,
}

/// Annual bands: 称职 from `competent`, 基本称职 from `basically_competent`,
/// 不称职 below; a candidate for 优秀 needs at least `excellent_candidate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualBands {
    pub excellent_candidate: Decimal,
    pub competent: Decimal,
    pub basically_competent: Decimal,
}

/// How scores are rounded: the total to `places` places by `rule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreRounding {
    pub places: u32,
    pub rule: Rounding,
}

impl ScoreRounding {
    pub fn apply(&self, value: Decimal) -> Decimal {
        self.rule.apply(value, self.places)
    }
}

/// What orders people with equal scores, tried in the scheme's order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieBreak {
    /// The points of one dimension, by key (绩 is `ji`): more ranks first.
    Dimension(String),
    /// The raters' combined average: higher ranks first.
    RaterAverage,
}

/// One version of a scheme (考核方案) for a year and target group. Stored as
/// one JSON document; every number of DOMAIN §5 is a field here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheme {
    pub year: i32,
    pub target: TargetGroup,
    /// The identity types the scheme applies to; empty means all. Grade names
    /// follow the person's identity type either way (`GradeNames::of`).
    pub identity_types: Vec<IdentityType>,
    pub dimensions: Vec<Dimension>,
    pub levels: LevelValues,
    pub rater_groups: Vec<RaterGroup>,
    /// The most bonus points a quarterly score takes in (default 5).
    pub bonus_cap: Decimal,
    pub quarter_bands: QuarterBands,
    /// 好 per allocation unit: max(floor(0.4·n), 1) by default.
    pub quarter_quota: QuotaRule,
    pub annual_formula: AnnualFormula,
    pub annual_bands: AnnualBands,
    /// 优秀 per allocation unit: floor(0.2·n), 25 % with a recorded approval.
    pub annual_quota: QuotaRule,
    pub rounding: ScoreRounding,
    pub tie_breaks: Vec<TieBreak>,
    /// Longest self-summary, in characters.
    pub summary_max_chars: u32,
    /// Fewest ballots for an anonymous group's result to be shown and counted.
    pub min_group_ballots: u32,
    /// Work days the proposed 优秀 list stays published (公示).
    pub publicity_work_days: u32,
}

/// Why a scheme field was refused; each has a locale key shown beside the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Required,
    /// A key used twice.
    Duplicate,
    /// Must be more than zero.
    NotPositive,
    /// Outside its allowed range.
    OutOfRange,
    /// Parts that must add up to `expected` add up to `actual`.
    Sum {
        expected: Decimal,
        actual: Decimal,
    },
    /// Thresholds that must go down from the first to the last do not.
    NotOrdered,
    /// A key that names nothing in the scheme.
    Unknown,
}

impl Problem {
    pub fn label_key(&self) -> &'static str {
        match self {
            Problem::Required => "error-required",
            Problem::Duplicate => "assess-problem-duplicate",
            Problem::NotPositive => "assess-problem-not-positive",
            Problem::OutOfRange => "assess-problem-out-of-range",
            Problem::Sum { .. } => "assess-problem-sum",
            Problem::NotOrdered => "assess-problem-not-ordered",
            Problem::Unknown => "assess-problem-unknown",
        }
    }
}

/// A refused field: its path (as the form names it, e.g.
/// `dimensions.ji.criteria.work_quality.points`) and the problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemeError {
    pub field: String,
    pub problem: Problem,
}

fn err(field: impl Into<String>, problem: Problem) -> SchemeError {
    SchemeError { field: field.into(), problem }
}

fn within(value: Decimal, low: Decimal, high: Decimal) -> bool {
    low <= value && value <= high
}

impl Scheme {
    /// Every criterion, with the key of its dimension, in order.
    pub fn criteria(&self) -> impl Iterator<Item = (&Dimension, &Criterion)> {
        self.dimensions.iter().flat_map(|d| d.criteria.iter().map(move |c| (d, c)))
    }

    /// The criteria raters score with a ballot.
    pub fn ballot_criteria(&self) -> impl Iterator<Item = &Criterion> {
        self.criteria().map(|(_, c)| c).filter(|c| c.source == CriterionSource::Ballot)
    }

    pub fn rater_group(&self, kind: RaterKind) -> Option<&RaterGroup> {
        self.rater_groups.iter().find(|g| g.kind == kind)
    }

    /// Checks the scheme; every problem found, each with the field it concerns.
    pub fn validate(&self) -> Vec<SchemeError> {
        let zero = Decimal::ZERO;
        let one = Decimal::ONE;
        let hundred = Decimal::ONE_HUNDRED;
        let mut errors = Vec::new();

        if !(2000..=2100).contains(&self.year) {
            errors.push(err("year", Problem::OutOfRange));
        }
        if self.dimensions.is_empty() {
            errors.push(err("dimensions", Problem::Required));
        }
        let mut dimension_keys = BTreeSet::new();
        let mut criterion_keys = BTreeSet::new();
        for d in &self.dimensions {
            let at = format!("dimensions.{}", d.key);
            if d.key.trim().is_empty() {
                errors.push(err(format!("{at}.key"), Problem::Required));
            } else if !dimension_keys.insert(d.key.as_str()) {
                errors.push(err(format!("{at}.key"), Problem::Duplicate));
            }
            if d.name_zh.trim().is_empty() {
                errors.push(err(format!("{at}.name_zh"), Problem::Required));
            }
            if d.points <= zero {
                errors.push(err(format!("{at}.points"), Problem::NotPositive));
            }
            if d.criteria.is_empty() {
                errors.push(err(format!("{at}.criteria"), Problem::Required));
                continue;
            }
            for c in &d.criteria {
                let at = format!("{at}.criteria.{}", c.key);
                if c.key.trim().is_empty() {
                    errors.push(err(format!("{at}.key"), Problem::Required));
                } else if !criterion_keys.insert(c.key.as_str()) {
                    errors.push(err(format!("{at}.key"), Problem::Duplicate));
                }
                if c.name_zh.trim().is_empty() {
                    errors.push(err(format!("{at}.name_zh"), Problem::Required));
                }
                if c.points <= zero {
                    errors.push(err(format!("{at}.points"), Problem::NotPositive));
                }
            }
            let sum: Decimal = d.criteria.iter().map(|c| c.points).sum();
            if sum != d.points {
                errors.push(err(format!("{at}.criteria"), Problem::Sum { expected: d.points, actual: sum }));
            }
        }
        let total: Decimal = self.dimensions.iter().map(|d| d.points).sum();
        if !self.dimensions.is_empty() && total != hundred {
            errors.push(err("dimensions", Problem::Sum { expected: hundred, actual: total }));
        }

        let l = &self.levels;
        if [l.excellent, l.good, l.fair, l.poor].iter().any(|v| !within(*v, zero, hundred)) {
            errors.push(err("levels", Problem::OutOfRange));
        } else if !(l.excellent > l.good && l.good > l.fair && l.fair > l.poor) {
            errors.push(err("levels", Problem::NotOrdered));
        }

        if self.rater_groups.is_empty() {
            errors.push(err("rater_groups", Problem::Required));
        }
        let mut kinds = BTreeSet::new();
        for g in &self.rater_groups {
            let at = format!("rater_groups.{}.weight", serde_key(&g.kind));
            if !kinds.insert(g.kind) {
                errors.push(err(at, Problem::Duplicate));
            } else if !within(g.weight, zero, one) {
                errors.push(err(at, Problem::OutOfRange));
            }
        }
        let weights: Decimal = self.rater_groups.iter().map(|g| g.weight).sum();
        if !self.rater_groups.is_empty() && weights != one {
            errors.push(err("rater_groups", Problem::Sum { expected: one, actual: weights }));
        }

        if !within(self.bonus_cap, zero, hundred) {
            errors.push(err("bonus_cap", Problem::OutOfRange));
        }
        let b = &self.quarter_bands;
        if [b.good, b.fairly_good, b.average].iter().any(|v| !within(*v, zero, hundred)) {
            errors.push(err("quarter_bands", Problem::OutOfRange));
        } else if !(b.good > b.fairly_good && b.fairly_good > b.average) {
            errors.push(err("quarter_bands", Problem::NotOrdered));
        }
        let f = &self.annual_formula;
        for (name, part) in [("quarterly", f.quarterly), ("democratic", f.democratic), ("leader", f.leader)] {
            if !within(part, zero, one) {
                errors.push(err(format!("annual_formula.{name}"), Problem::OutOfRange));
            }
        }
        let parts = f.quarterly + f.democratic + f.leader;
        if parts != one {
            errors.push(err("annual_formula", Problem::Sum { expected: one, actual: parts }));
        }
        // A share needs raters who can fill it: the democratic part the
        // anonymous groups, the leaders' part the named ones.
        let has = |anonymous: bool| self.rater_groups.iter().any(|g| g.anonymous == anonymous && g.weight > zero);
        if f.democratic > zero && !has(true) {
            errors.push(err("annual_formula.democratic", Problem::Unknown));
        }
        if f.leader > zero && !has(false) {
            errors.push(err("annual_formula.leader", Problem::Unknown));
        }
        let a = &self.annual_bands;
        if [a.excellent_candidate, a.competent, a.basically_competent].iter().any(|v| !within(*v, zero, hundred)) {
            errors.push(err("annual_bands", Problem::OutOfRange));
        } else if !(a.excellent_candidate >= a.competent && a.competent > a.basically_competent) {
            errors.push(err("annual_bands", Problem::NotOrdered));
        }
        for (name, rule) in [("quarter_quota", &self.quarter_quota), ("annual_quota", &self.annual_quota)] {
            if !within(rule.rate, zero, one) {
                errors.push(err(format!("{name}.rate"), Problem::OutOfRange));
            }
            if rule.approved_rate.is_some_and(|r| !within(r, rule.rate, one)) {
                errors.push(err(format!("{name}.approved_rate"), Problem::OutOfRange));
            }
        }
        if self.rounding.places > 4 {
            errors.push(err("rounding.places", Problem::OutOfRange));
        }
        let mut seen = BTreeSet::new();
        for t in &self.tie_breaks {
            if !seen.insert(t) {
                errors.push(err("tie_breaks", Problem::Duplicate));
            } else if let TieBreak::Dimension(key) = t
                && !dimension_keys.contains(key.as_str())
            {
                errors.push(err("tie_breaks", Problem::Unknown));
            }
        }
        for (name, value) in [
            ("summary_max_chars", self.summary_max_chars),
            ("min_group_ballots", self.min_group_ballots),
            ("publicity_work_days", self.publicity_work_days),
        ] {
            if value == 0 {
                errors.push(err(name, Problem::NotPositive));
            }
        }
        errors
    }
}

/// A value's serde name (`"democratic"` for `RaterKind::Democratic`).
fn serde_key<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// One field that differs between two scheme versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// A readable path: `dimensions.ji.criteria.target_completion.points`;
    /// list items are named by their key (criteria, dimensions) or kind
    /// (rater groups), else by position from 1.
    pub path: String,
    /// The value before, as text; `None` when the field is new.
    pub before: Option<String>,
    /// The value after; `None` when the field was removed.
    pub after: Option<String>,
}

/// The fields that differ between two versions of a scheme: a record's
/// fields in alphabetical order, list items in their order.
pub fn diff(before: &Scheme, after: &Scheme) -> Vec<Change> {
    let mut changes = Vec::new();
    let a = serde_json::to_value(before).unwrap_or(Value::Null);
    let b = serde_json::to_value(after).unwrap_or(Value::Null);
    diff_values("", &a, &b, &mut changes);
    changes
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() { name.to_string() } else { format!("{path}.{name}") }
}

/// How a list item is named in a path: its `key` or `kind`, else its position.
fn item_name(item: &Value, index: usize) -> String {
    ["key", "kind"]
        .iter()
        .find_map(|field| item.get(field).and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| (index + 1).to_string())
}

fn diff_values(path: &str, a: &Value, b: &Value, out: &mut Vec<Change>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (name, value) in x {
                match y.get(name) {
                    Some(other) => diff_values(&join(path, name), value, other, out),
                    None => out.push(Change { path: join(path, name), before: Some(text(value)), after: None }),
                }
            }
            for (name, value) in y.iter().filter(|(name, _)| !x.contains_key(*name)) {
                out.push(Change { path: join(path, name), before: None, after: Some(text(value)) });
            }
        }
        (Value::Array(x), Value::Array(y)) if x.iter().chain(y).all(Value::is_object) => {
            let named = |list: &Vec<Value>| -> Vec<(String, Value)> {
                list.iter().enumerate().map(|(i, v)| (item_name(v, i), v.clone())).collect()
            };
            let (x, y) = (named(x), named(y));
            for (name, value) in &x {
                match y.iter().find(|(other, _)| other == name) {
                    Some((_, other)) => diff_values(&join(path, name), value, other, out),
                    None => out.push(Change { path: join(path, name), before: Some(summary(value)), after: None }),
                }
            }
            for (name, value) in y.iter().filter(|(name, _)| !x.iter().any(|(other, _)| other == name)) {
                out.push(Change { path: join(path, name), before: None, after: Some(summary(value)) });
            }
        }
        _ if a != b => out.push(Change { path: path.to_string(), before: Some(text(a)), after: Some(text(b)) }),
        _ => {}
    }
}

/// A whole added or removed item, shown by its name rather than its JSON.
fn summary(item: &Value) -> String {
    match (item.get("name_zh").and_then(Value::as_str), item.get("points").and_then(Value::as_str)) {
        (Some(name), Some(points)) => format!("{name} ({points})"),
        (Some(name), None) => name.to_string(),
        _ => text(item),
    }
}

fn descriptors(excellent: &str, good: &str, fair: &str, poor: &str) -> Descriptors {
    Descriptors { excellent: excellent.into(), good: good.into(), fair: fair.into(), poor: poor.into() }
}

fn criterion(
    key: &str,
    name_zh: &str,
    name_en: &str,
    points: i64,
    source: CriterionSource,
    levels: [&str; 4],
) -> Criterion {
    Criterion {
        key: key.into(),
        name_zh: name_zh.into(),
        name_en: name_en.into(),
        points: Decimal::from(points),
        source,
        descriptors: descriptors(levels[0], levels[1], levels[2], levels[3]),
    }
}

fn dimension(key: &str, name_zh: &str, name_en: &str, criteria: Vec<Criterion>) -> Dimension {
    let points = criteria.iter().map(|c| c.points).sum();
    Dimension { key: key.into(), name_zh: name_zh.into(), name_en: name_en.into(), points, criteria }
}

/// The sub-criteria shipped by default (docs/DOMAIN.md §17.2). Heads get
/// 领导能力 inside 能 and 处室目标完成 inside 绩, the other points shifting so
/// each dimension keeps its total.
fn default_dimensions(target: TargetGroup) -> Vec<Dimension> {
    use CriterionSource::*;
    let heads = target == TargetGroup::DepartmentHeads;
    let pick = |staff: i64, head: i64| if heads { head } else { staff };

    let de = dimension(
        "de",
        "德",
        "Political and moral quality",
        vec![
            criterion(
                "political_study",
                "政治立场与理论学习",
                "Political stance and theory study",
                8,
                Ballot,
                [
                    "立场坚定，带头学习，学用结合",
                    "立场坚定，按时参加学习",
                    "能参加学习，但学用结合不够",
                    "学习敷衍，政治敏锐性不强",
                ],
            ),
            criterion(
                "carrying_out_decisions",
                "贯彻决策部署",
                "Carrying out decisions",
                6,
                Ballot,
                ["令行禁止，部署落实迅速到位", "按要求落实部署", "落实较被动，需要催办", "执行打折扣，有令不行"],
            ),
            criterion(
                "ethics_and_conduct",
                "职业道德与作风",
                "Professional ethics and conduct",
                6,
                Ballot,
                ["作风严实，干部群众认可", "遵守职业道德，作风端正", "作风一般，偶有不良反映", "作风问题被反映"],
            ),
        ],
    );

    let mut neng_criteria = Vec::new();
    if heads {
        neng_criteria.push(criterion(
            "leadership",
            "领导能力（带队伍、抓落实）",
            "Leadership (leading the team, getting things done)",
            5,
            Ballot,
            [
                "带队伍有方，抓落实有力，处室工作有序高效",
                "能带好队伍，落实较有力",
                "统筹不足，落实需要督促",
                "队伍松散，工作推不动",
            ],
        ));
    }
    neng_criteria.extend([
        criterion(
            "professional_ability",
            "业务能力",
            "Professional ability",
            pick(6, 4),
            Ballot,
            ["独当一面，业务精通", "熟悉业务，能独立完成工作", "基本胜任，需要指导", "业务生疏，需反复返工"],
        ),
        criterion(
            "writing_and_coordination",
            "文字与综合协调",
            "Writing and coordination",
            pick(5, 3),
            Ballot,
            ["文稿、协调一次到位", "文稿、协调较少返工", "文稿需多次修改，协调偶有不畅", "文稿需反复返工，协调不畅"],
        ),
        criterion(
            "learning_and_innovation",
            "学习创新",
            "Learning and innovation",
            pick(4, 3),
            Ballot,
            [
                "主动学习，有改进举措并见效",
                "注重学习，能提出改进建议",
                "学习主动性一般，少有改进",
                "不思进取，墨守成规",
            ],
        ),
    ]);
    let neng = dimension("neng", "能", "Ability", neng_criteria);

    let qin = dimension(
        "qin",
        "勤",
        "Diligence",
        vec![
            criterion(
                "attitude_and_responsibility",
                "工作态度与责任担当",
                "Attitude and responsibility",
                7,
                Ballot,
                ["主动担当，攻坚克难", "认真负责，完成分内工作", "工作被动，担当不足", "推诿拖延"],
            ),
            criterion(
                "attendance_and_discipline",
                "出勤与纪律",
                "Attendance and discipline",
                4,
                Ballot,
                ["无迟到早退，严守纪律", "出勤正常，遵守纪律", "偶有迟到早退", "考勤问题突出"],
            ),
            criterion(
                "service",
                "服务意识（首问负责、限时办结）",
                "Service (first contact answers, done within the time limit)",
                4,
                Ballot,
                ["首问负责、限时办结，服务对象零投诉", "服务热情，办结及时", "服务意识一般，偶有超时", "服务被投诉"],
            ),
        ],
    );

    let mut ji_criteria = vec![criterion(
        "target_completion",
        "目标完成",
        "Target completion",
        pick(25, 10),
        TargetCompletion,
        ["目标全部完成", "目标基本完成", "部分目标未完成", "目标未完成"],
    )];
    if heads {
        ji_criteria.push(criterion(
            "department_target_completion",
            "处室目标完成",
            "Department target completion",
            15,
            DepartmentTargetCompletion,
            ["处室目标全部完成", "处室目标基本完成", "处室部分目标未完成", "处室目标未完成"],
        ));
    }
    ji_criteria.extend([
        criterion(
            "work_quality",
            "工作质量",
            "Quality of work",
            8,
            Ballot,
            ["工作质量高，受到表扬", "工作质量较好，差错少", "工作质量一般，有差错", "工作质量差，差错较多"],
        ),
        criterion(
            "work_efficiency",
            "工作效率（督办按时、承诺兑现）",
            "Efficiency (supervision items on time, commitments kept)",
            7,
            Ballot,
            ["督办件按时办结，承诺全部兑现", "督办件基本按时办结", "个别督办件逾期", "督办件逾期，承诺未兑现"],
        ),
    ]);
    let ji = dimension("ji", "绩", "Achievement", ji_criteria);

    let lian = dimension(
        "lian",
        "廉",
        "Integrity",
        vec![criterion(
            "integrity",
            "廉洁自律与八项规定",
            "Integrity and the eight-point rules",
            10,
            Integrity,
            ["无问题线索", "廉洁自律，无违规问题", "有苗头性问题被提醒", "有违纪违规问题"],
        )],
    );
    vec![de, neng, qin, ji, lian]
}

impl Scheme {
    /// DOMAIN §5's scheme for staff (工作人员).
    pub fn default_staff(year: i32) -> Scheme {
        let group = |kind, weight, anonymous| RaterGroup { kind, weight, anonymous };
        Scheme {
            year,
            target: TargetGroup::Staff,
            identity_types: Vec::new(),
            dimensions: default_dimensions(TargetGroup::Staff),
            levels: LevelValues {
                excellent: Decimal::from(100),
                good: Decimal::from(85),
                fair: Decimal::from(70),
                poor: Decimal::from(55),
            },
            rater_groups: vec![
                group(RaterKind::Head, Decimal::new(6, 1), false),
                group(RaterKind::Democratic, Decimal::new(3, 1), true),
                group(RaterKind::SupervisingLeader, Decimal::new(1, 1), false),
            ],
            bonus_cap: Decimal::from(5),
            quarter_bands: QuarterBands {
                good: Decimal::from(90),
                fairly_good: Decimal::from(80),
                average: Decimal::from(60),
            },
            quarter_quota: QuotaRule {
                rate: Decimal::new(4, 1),
                approved_rate: None,
                rounding: Rounding::Floor,
                minimum_one: true,
                leaders_apart: false,
                pool_below: 0,
            },
            annual_formula: AnnualFormula {
                quarterly: Decimal::new(6, 1),
                democratic: Decimal::new(3, 1),
                leader: Decimal::new(1, 1),
            },
            annual_bands: AnnualBands {
                excellent_candidate: Decimal::from(70),
                competent: Decimal::from(70),
                basically_competent: Decimal::from(60),
            },
            annual_quota: QuotaRule {
                rate: Decimal::new(2, 1),
                approved_rate: Some(Decimal::new(25, 2)),
                rounding: Rounding::Floor,
                minimum_one: false,
                leaders_apart: true,
                pool_below: 0,
            },
            rounding: ScoreRounding { places: 2, rule: Rounding::HalfUp },
            tie_breaks: vec![TieBreak::Dimension("ji".into()), TieBreak::RaterAverage],
            summary_max_chars: 3000,
            min_group_ballots: 3,
            publicity_work_days: 5,
        }
    }

    /// DOMAIN §5's scheme for department heads (处室负责人): their own
    /// sub-criteria and rater groups, the other numbers as for staff.
    pub fn default_heads(year: i32) -> Scheme {
        let group = |kind, weight, anonymous| RaterGroup { kind, weight, anonymous };
        Scheme {
            target: TargetGroup::DepartmentHeads,
            dimensions: default_dimensions(TargetGroup::DepartmentHeads),
            rater_groups: vec![
                group(RaterKind::SupervisingLeader, Decimal::new(4, 1), false),
                group(RaterKind::PrincipalLeader, Decimal::new(3, 1), false),
                group(RaterKind::Democratic, Decimal::new(3, 1), true),
            ],
            ..Scheme::default_staff(year)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn points(scheme: &Scheme, dimension: &str) -> Vec<(String, Decimal)> {
        let d = scheme.dimensions.iter().find(|d| d.key == dimension).unwrap();
        d.criteria.iter().map(|c| (c.name_zh.clone(), c.points)).collect()
    }

    #[test]
    fn the_default_staff_scheme_is_domain_section_five() {
        let s = Scheme::default_staff(2026);
        assert_eq!(s.validate(), vec![]);
        let dims: Vec<(&str, Decimal)> = s.dimensions.iter().map(|d| (d.name_zh.as_str(), d.points)).collect();
        assert_eq!(
            dims,
            vec![("德", dec!(20)), ("能", dec!(15)), ("勤", dec!(15)), ("绩", dec!(40)), ("廉", dec!(10))]
        );
        assert_eq!(
            points(&s, "de"),
            vec![
                ("政治立场与理论学习".into(), dec!(8)),
                ("贯彻决策部署".into(), dec!(6)),
                ("职业道德与作风".into(), dec!(6))
            ]
        );
        assert_eq!(
            points(&s, "neng"),
            vec![("业务能力".into(), dec!(6)), ("文字与综合协调".into(), dec!(5)), ("学习创新".into(), dec!(4))]
        );
        assert_eq!(points(&s, "qin").iter().map(|p| p.1).collect::<Vec<_>>(), vec![dec!(7), dec!(4), dec!(4)]);
        assert_eq!(
            points(&s, "ji"),
            vec![
                ("目标完成".into(), dec!(25)),
                ("工作质量".into(), dec!(8)),
                ("工作效率（督办按时、承诺兑现）".into(), dec!(7))
            ]
        );
        assert_eq!(points(&s, "lian"), vec![("廉洁自律与八项规定".into(), dec!(10))]);
        let sources: Vec<_> =
            s.criteria().filter(|(_, c)| c.source != CriterionSource::Ballot).map(|(_, c)| c.source).collect();
        assert_eq!(sources, vec![CriterionSource::TargetCompletion, CriterionSource::Integrity]);
        let weights: Vec<_> = s.rater_groups.iter().map(|g| (g.kind, g.weight, g.anonymous)).collect();
        assert_eq!(
            weights,
            vec![
                (RaterKind::Head, dec!(0.6), false),
                (RaterKind::Democratic, dec!(0.3), true),
                (RaterKind::SupervisingLeader, dec!(0.1), false)
            ]
        );
        assert_eq!(
            (s.levels.excellent, s.levels.good, s.levels.fair, s.levels.poor),
            (dec!(100), dec!(85), dec!(70), dec!(55))
        );
        assert_eq!(s.bonus_cap, dec!(5));
        assert_eq!((s.min_group_ballots, s.publicity_work_days), (3, 5));
        // Every criterion carries descriptors for the four levels and an English name.
        for (_, c) in s.criteria() {
            assert!(Level::ALL.iter().all(|l| !c.descriptors.get(*l).is_empty()), "{}", c.key);
            assert!(!c.name_en.is_empty());
        }
    }

    #[test]
    fn the_default_heads_scheme_adds_leadership_and_department_targets() {
        let s = Scheme::default_heads(2026);
        assert_eq!(s.validate(), vec![]);
        let neng = points(&s, "neng");
        assert_eq!(neng[0], ("领导能力（带队伍、抓落实）".into(), dec!(5)));
        assert_eq!(neng.iter().map(|p| p.1).sum::<Decimal>(), dec!(15));
        let ji = points(&s, "ji");
        assert!(ji.contains(&("处室目标完成".into(), dec!(15))));
        assert_eq!(ji.iter().map(|p| p.1).sum::<Decimal>(), dec!(40));
        let weights: Vec<_> = s.rater_groups.iter().map(|g| (g.kind, g.weight)).collect();
        assert_eq!(
            weights,
            vec![
                (RaterKind::SupervisingLeader, dec!(0.4)),
                (RaterKind::PrincipalLeader, dec!(0.3)),
                (RaterKind::Democratic, dec!(0.3))
            ]
        );
    }

    #[test]
    fn a_scheme_is_one_json_document() {
        let s = Scheme::default_heads(2026);
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains("\"weight\":\"0.4\""), "decimals are stored as text: {json}");
        let back: Scheme = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
    }

    fn fields(errors: &[SchemeError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn points_must_add_up_per_dimension_and_to_one_hundred() {
        let mut s = Scheme::default_staff(2026);
        // 工作质量 8 → 10: 绩's sub-criteria add up to 42, not its 40.
        s.dimensions[3].criteria[1].points = dec!(10);
        let errors = s.validate();
        assert_eq!(errors, vec![err("dimensions.ji.criteria", Problem::Sum { expected: dec!(40), actual: dec!(42) })]);
        // 绩 42 with its criteria: the dimensions add up to 102.
        s.dimensions[3].points = dec!(42);
        assert_eq!(s.validate(), vec![err("dimensions", Problem::Sum { expected: dec!(100), actual: dec!(102) })]);
        s.dimensions[0].criteria[0].points = dec!(0);
        s.dimensions[0].criteria[1].points = dec!(14);
        assert_eq!(fields(&s.validate()), vec!["dimensions.de.criteria.political_study.points", "dimensions"]);
    }

    #[test]
    fn rater_weights_must_add_up_to_one() {
        let mut s = Scheme::default_staff(2026);
        s.rater_groups[0].weight = dec!(0.5);
        assert_eq!(s.validate(), vec![err("rater_groups", Problem::Sum { expected: dec!(1), actual: dec!(0.9) })]);
        s.rater_groups[0].weight = dec!(1.2);
        s.rater_groups[1].weight = dec!(-0.2);
        // 1.2 − 0.2 + 0.1 = 1.1; and without a positive anonymous weight the
        // democratic share has nobody to fill it.
        assert_eq!(
            fields(&s.validate()),
            vec![
                "rater_groups.head.weight",
                "rater_groups.democratic.weight",
                "rater_groups",
                "annual_formula.democratic"
            ]
        );
        let mut s = Scheme::default_staff(2026);
        s.rater_groups[2].kind = RaterKind::Head;
        assert_eq!(fields(&s.validate()), vec!["rater_groups.head.weight"]);
    }

    #[test]
    fn bands_must_go_down_and_rates_stay_within_zero_and_one() {
        let mut s = Scheme::default_staff(2026);
        s.quarter_bands.fairly_good = dec!(90);
        s.annual_bands.basically_competent = dec!(75);
        s.annual_quota.rate = dec!(1.2);
        s.quarter_quota.approved_rate = Some(dec!(0.3));
        s.levels.good = dec!(100);
        s.annual_formula.leader = dec!(0.2);
        let errors = s.validate();
        assert_eq!(
            fields(&errors),
            vec![
                "levels",
                "quarter_bands",
                "annual_formula",
                "annual_bands",
                "quarter_quota.approved_rate",
                "annual_quota.rate",
                "annual_quota.approved_rate"
            ]
        );
        assert!(errors.iter().filter(|e| e.field.ends_with("bands")).all(|e| e.problem == Problem::NotOrdered));
    }

    #[test]
    fn each_annual_share_needs_raters_to_fill_it() {
        let mut s = Scheme::default_staff(2026);
        for g in &mut s.rater_groups {
            g.anonymous = false;
        }
        assert_eq!(s.validate(), vec![err("annual_formula.democratic", Problem::Unknown)]);
        s.annual_formula.democratic = dec!(0);
        s.annual_formula.quarterly = dec!(0.9);
        assert_eq!(s.validate(), vec![]);
    }

    #[test]
    fn keys_and_tie_breaks_must_name_something_once() {
        let mut s = Scheme::default_staff(2026);
        s.dimensions[1].criteria[0].key = "political_study".into();
        s.tie_breaks = vec![TieBreak::Dimension("jixiao".into()), TieBreak::RaterAverage, TieBreak::RaterAverage];
        s.min_group_ballots = 0;
        let errors = s.validate();
        assert_eq!(
            errors,
            vec![
                err("dimensions.neng.criteria.political_study.key", Problem::Duplicate),
                err("tie_breaks", Problem::Unknown),
                err("tie_breaks", Problem::Duplicate),
                err("min_group_ballots", Problem::NotPositive),
            ]
        );
    }

    #[test]
    fn a_diff_names_each_changed_field_by_a_readable_path() {
        let before = Scheme::default_staff(2025);
        let mut after = Scheme::default_staff(2026);
        after.dimensions[3].criteria[0].points = dec!(20);
        after.dimensions[3].criteria[1].points = dec!(13);
        after.rater_groups[1].weight = dec!(0.25);
        after.annual_quota.rounding = Rounding::HalfUp;
        after.dimensions[4].criteria[0].descriptors.poor = "有违纪问题".into();
        let changes = diff(&before, &after);
        let shown: Vec<String> = changes
            .iter()
            .map(|c| {
                format!("{}: {} → {}", c.path, c.before.as_deref().unwrap_or("-"), c.after.as_deref().unwrap_or("-"))
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                "annual_quota.rounding: floor → half_up",
                "dimensions.ji.criteria.target_completion.points: 25 → 20",
                "dimensions.ji.criteria.work_quality.points: 8 → 13",
                "dimensions.lian.criteria.integrity.descriptors.poor: 有违纪违规问题 → 有违纪问题",
                "rater_groups.democratic.weight: 0.3 → 0.25",
                "year: 2025 → 2026",
            ]
        );
        assert_eq!(diff(&after, &after), vec![]);
    }

    #[test]
    fn a_diff_shows_added_and_removed_criteria_by_name() {
        let before = Scheme::default_staff(2026);
        let after = Scheme::default_heads(2026);
        let changes = diff(&before, &after);
        let added: Vec<_> = changes.iter().filter(|c| c.before.is_none()).map(|c| c.path.as_str()).collect();
        assert_eq!(
            added,
            vec![
                "dimensions.neng.criteria.leadership",
                "dimensions.ji.criteria.department_target_completion",
                "rater_groups.principal_leader"
            ]
        );
        let removed: Vec<_> = changes.iter().filter(|c| c.after.is_none()).map(|c| c.path.as_str()).collect();
        assert_eq!(removed, vec!["rater_groups.head"]);
        let leadership = changes.iter().find(|c| c.path == "dimensions.neng.criteria.leadership").unwrap();
        assert_eq!(leadership.after.as_deref(), Some("领导能力（带队伍、抓落实） (5)"));
    }
}

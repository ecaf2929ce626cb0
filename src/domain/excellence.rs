//! The excellence self-assessment (卓越绩效自评, docs/DOMAIN.md §21): the
//! standard's categories and items as data, the scoring bands and their
//! checks, item, category and total scores, the consensus suggestion, the
//! measured figures that pre-fill results items with their trend and
//! comparison, and who does what. Pure.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use super::roles::Role;
use super::settings::Settings;
use super::validate::FieldError;

code_enum!(
    /// How an item is scored: a process item by approach, deployment,
    /// learning and integration; a results item by levels, trends,
    /// comparisons and integration.
    ItemKind, "excellence_item_kind", "excellence-kind", {
        Process => "process",
        Results => "results",
    }
);

code_enum!(
    /// Where a year's self-assessment stands.
    Stage, "excellence_stage", "excellence-stage", {
        Scoring => "scoring",
        Consensus => "consensus",
        Completed => "completed",
    }
);

code_enum!(
    /// A strength, or an opportunity for improvement (OFI).
    FindingKind, "excellence_finding_kind", "excellence-finding", {
        Strength => "strength",
        Improvement => "improvement",
    }
);

code_enum!(
    /// A figure the system measures itself, pre-filling results items
    /// (docs/DOMAIN.md §21.3). Stored as text; not a database type.
    Measure, "text", "excellence-measure", {
        TargetCompletion => "target_completion",
        ReportsOnTime => "reports_on_time",
        SupervisionOnTime => "supervision_on_time",
        SatisfactionIndex => "satisfaction_index",
        CommitmentsKept => "commitments_kept",
        SlipsAnsweredOnTime => "slips_answered_on_time",
        NoticesOnTime => "notices_on_time",
        AppealsOnTime => "appeals_on_time",
        RectificationOnTime => "rectification_on_time",
    }
);

impl Measure {
    /// Whether the figure is a value (an index or a completion rate) rather
    /// than a share of counts.
    pub fn is_value(self) -> bool {
        matches!(self, Measure::TargetCompletion | Measure::SatisfactionIndex)
    }
}

/// The scoring bands in force for a year: band 1 starts at 0, each next band
/// one step above the previous top, band 6 ends at 100 (docs/DOMAIN.md §21.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bands {
    tops: [i32; 5],
    step: i32,
}

/// Why a score is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreError {
    /// No band of that number.
    NoBand,
    /// The percentage lies outside the chosen band.
    OutsideBand,
    /// The percentage is not a multiple of the step.
    OffStep,
}

impl ScoreError {
    pub fn message_key(self) -> &'static str {
        match self {
            ScoreError::NoBand => "excellence-error-band",
            ScoreError::OutsideBand => "excellence-error-outside-band",
            ScoreError::OffStep => "excellence-error-step",
        }
    }
}

impl Bands {
    pub const COUNT: i16 = 6;

    pub fn from_settings(s: &Settings) -> Bands {
        Bands {
            tops: [
                s.excellence_band_1_top,
                s.excellence_band_2_top,
                s.excellence_band_3_top,
                s.excellence_band_4_top,
                s.excellence_band_5_top,
            ],
            step: s.excellence_score_step.max(1),
        }
    }

    pub fn step(&self) -> i32 {
        self.step
    }

    /// The lowest and highest percentage of band `band` (1–6).
    pub fn range(&self, band: i16) -> Option<(i32, i32)> {
        let index = usize::try_from(band).ok()?.checked_sub(1)?;
        if index > 5 {
            return None;
        }
        let low = if index == 0 { 0 } else { self.tops[index - 1] + self.step };
        let high = if index == 5 { 100 } else { self.tops[index] };
        Some((low.min(100), high.clamp(low.min(100), 100)))
    }

    /// Every band with its range, for the forms.
    pub fn all(&self) -> Vec<(i16, i32, i32)> {
        (1..=Self::COUNT).filter_map(|b| self.range(b).map(|(low, high)| (b, low, high))).collect()
    }

    /// The band a percentage falls in, if any.
    pub fn band_of(&self, percent: i32) -> Option<i16> {
        (1..=Self::COUNT).find(|b| self.range(*b).is_some_and(|(low, high)| (low..=high).contains(&percent)))
    }

    /// A score as given: the percentage must lie in the chosen band and be a
    /// multiple of the step.
    pub fn check(&self, band: i16, percent: i32) -> Result<(), ScoreError> {
        let (low, high) = self.range(band).ok_or(ScoreError::NoBand)?;
        if !(low..=high).contains(&percent) {
            return Err(ScoreError::OutsideBand);
        }
        if percent % self.step != 0 {
            return Err(ScoreError::OffStep);
        }
        Ok(())
    }

    /// The consensus the assessors' percentages suggest: their mean, to the
    /// nearest step (halves up), with its band.
    pub fn suggestion(&self, percents: &[i32]) -> Option<(i16, i32)> {
        if percents.is_empty() {
            return None;
        }
        let sum: i32 = percents.iter().sum();
        let count = i32::try_from(percents.len()).ok()?;
        let mean = Decimal::from(sum) / Decimal::from(count);
        let steps = (mean / Decimal::from(self.step))
            .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        let percent = (steps.to_i32()? * self.step).clamp(0, 100);
        Some((self.band_of(percent)?, percent))
    }
}

/// An item's score in points: its points times the percentage.
pub fn item_score(points: i32, percent: i32) -> Decimal {
    Decimal::from(points) * Decimal::from(percent) / Decimal::from(100)
}

/// One item of a scorecard: its points and its agreed percentage, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoredItem {
    pub category: String,
    pub points: i32,
    pub percent: Option<i32>,
}

/// A category's line of the scorecard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryTotal {
    pub category: String,
    pub points: i32,
    pub score: Decimal,
    /// Items with an agreed score, and all items.
    pub scored: usize,
    pub items: usize,
}

impl CategoryTotal {
    /// The score as a share of the category's points.
    pub fn share(&self) -> Option<Decimal> {
        (self.points > 0).then(|| (self.score * Decimal::from(100) / Decimal::from(self.points)).round_dp(1))
    }
}

/// The categories' totals, in the order the items come, and the total.
pub fn totals(items: &[ScoredItem]) -> (Vec<CategoryTotal>, CategoryTotal) {
    let mut lines: Vec<CategoryTotal> = Vec::new();
    for item in items {
        let line = match lines.iter_mut().find(|l| l.category == item.category) {
            Some(line) => line,
            None => {
                lines.push(CategoryTotal {
                    category: item.category.clone(),
                    points: 0,
                    score: Decimal::ZERO,
                    scored: 0,
                    items: 0,
                });
                lines.last_mut().expect("just pushed")
            }
        };
        line.points += item.points;
        line.items += 1;
        if let Some(percent) = item.percent {
            line.score += item_score(item.points, percent);
            line.scored += 1;
        }
    }
    let total = CategoryTotal {
        category: String::new(),
        points: lines.iter().map(|l| l.points).sum(),
        score: lines.iter().map(|l| l.score).sum(),
        scored: lines.iter().map(|l| l.scored).sum(),
        items: lines.iter().map(|l| l.items).sum(),
    };
    (lines, total)
}

/// A measured figure: a share of counts, or a value (an index, a completion rate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figure {
    pub part: Option<i64>,
    pub whole: Option<i64>,
    pub value: Option<Decimal>,
}

impl Figure {
    pub fn share(part: i64, whole: i64) -> Figure {
        Figure { part: Some(part), whole: Some(whole), value: super::boards::share(part, whole) }
    }

    pub fn value(value: Option<Decimal>) -> Figure {
        Figure { part: None, whole: None, value: value.map(|v| v.round_dp(2)) }
    }
}

/// Which way a figure moved from one year to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trend {
    Up,
    Flat,
    Down,
}

impl Trend {
    pub fn label_key(self) -> &'static str {
        match self {
            Trend::Up => "excellence-trend-up",
            Trend::Flat => "excellence-trend-flat",
            Trend::Down => "excellence-trend-down",
        }
    }

    pub fn arrow(self) -> &'static str {
        match self {
            Trend::Up => "↑",
            Trend::Flat => "→",
            Trend::Down => "↓",
        }
    }
}

/// The trend over a series of (year, value), oldest first: the last value
/// against the one before it; none with fewer than two values.
pub fn trend(series: &[(i32, Option<Decimal>)]) -> Option<Trend> {
    let values: Vec<Decimal> = series.iter().filter_map(|(_, v)| *v).collect();
    let [.., before, last] = values.as_slice() else { return None };
    Some(match last.cmp(before) {
        std::cmp::Ordering::Greater => Trend::Up,
        std::cmp::Ordering::Equal => Trend::Flat,
        std::cmp::Ordering::Less => Trend::Down,
    })
}

/// A value against the benchmark: positive when the office is ahead.
pub fn gap(value: Option<Decimal>, benchmark: Option<Decimal>) -> Option<Decimal> {
    Some(value? - benchmark?)
}

/// The office's completion: the departments' completion rates averaged over
/// the departments that have one (docs/DOMAIN.md §21.3).
pub fn office_completion(rates: &[Option<Decimal>]) -> Option<Decimal> {
    let known: Vec<Decimal> = rates.iter().flatten().copied().collect();
    let count = i64::try_from(known.len()).ok().filter(|n| *n > 0)?;
    Some((known.iter().sum::<Decimal>() / Decimal::from(count)).round_dp(2))
}

/// The standard as shipped or copied: categories with their items.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Edition {
    pub edition: String,
    #[serde(rename = "category")]
    pub categories: Vec<CategoryData>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CategoryData {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(rename = "item")]
    pub items: Vec<ItemData>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ItemData {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    pub kind: String,
    pub points: i32,
    #[serde(default)]
    pub questions: String,
    #[serde(default)]
    pub questions_en: String,
    #[serde(default)]
    pub measures: Vec<String>,
}

/// The edition the application ships: GB/T 19580-2012.
pub const SHIPPED_EDITION: &str = include_str!("../data/gbt19580-2012.toml");

impl Edition {
    /// Reads and checks an edition: known kinds and measures, measures on
    /// results items only, points from 1 to 1000, codes unique.
    pub fn parse(text: &str) -> Result<Edition, String> {
        let edition: Edition = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut codes = std::collections::HashSet::new();
        for category in &edition.categories {
            if !codes.insert(category.code.clone()) || category.items.is_empty() {
                return Err(format!("category {}: repeated or without items", category.code));
            }
            for item in &category.items {
                let kind = ItemKind::parse(&item.kind).ok_or_else(|| format!("item {}: kind", item.code))?;
                if !codes.insert(item.code.clone()) || !(1..=1000).contains(&item.points) {
                    return Err(format!("item {}: repeated code or points", item.code));
                }
                for measure in &item.measures {
                    if Measure::parse(measure).is_none() || kind != ItemKind::Results {
                        return Err(format!("item {}: measure {measure}", item.code));
                    }
                }
            }
        }
        Ok(edition)
    }

    /// Points per category code, and the total.
    pub fn points(&self) -> (BTreeMap<String, i32>, i32) {
        let per: BTreeMap<String, i32> =
            self.categories.iter().map(|c| (c.code.clone(), c.items.iter().map(|i| i.points).sum())).collect();
        let total = per.values().sum();
        (per, total)
    }
}

/// The largest number of years the year-on-year radar draws.
pub const COMPARED_YEARS: usize = 3;

/// An item's points as typed on the standard's form: a whole number from 1 to 1000.
pub fn parse_points(text: &str) -> Result<i32, FieldError> {
    match text.trim() {
        "" => Err(FieldError::Required),
        text => text.parse::<i32>().ok().filter(|p| (1..=1000).contains(p)).ok_or(FieldError::Invalid),
    }
}

/// A score as a share of its points, to one decimal; none without points.
pub fn share_of(score: Decimal, points: i64) -> Option<Decimal> {
    (points > 0).then(|| (score * Decimal::from(100) / Decimal::from(points)).round_dp(1))
}

/// One year's line of the year-on-year comparison: per category (in the
/// order asked for) its score and share, `None` when the year's standard
/// lacks the category; and the year's total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearScores {
    pub year: i32,
    pub scores: Vec<Option<Decimal>>,
    pub shares: Vec<Option<Decimal>>,
    pub score: Decimal,
    pub points: i64,
}

/// Every year up to `until` from rows of (year, category code, points,
/// score), oldest first, with the categories `codes` as columns.
pub fn year_comparison(rows: &[(i32, &str, i64, Decimal)], codes: &[&str], until: i32) -> Vec<YearScores> {
    let mut years: Vec<YearScores> = Vec::new();
    for &(year, code, points, score) in rows.iter().filter(|r| r.0 <= until) {
        let line = match years.iter_mut().find(|y| y.year == year) {
            Some(line) => line,
            None => {
                let empty = vec![None; codes.len()];
                years.push(YearScores { year, scores: empty.clone(), shares: empty, score: Decimal::ZERO, points: 0 });
                years.last_mut().expect("just pushed")
            }
        };
        line.score += score;
        line.points += points;
        if let Some(i) = codes.iter().position(|c| *c == code) {
            line.scores[i] = Some(score);
            line.shares[i] = share_of(score, points);
        }
    }
    years.sort_by_key(|y| y.year);
    years
}

/// The roles whose holders are assessors of a year from its opening.
pub const FIRST_ASSESSORS: [Role; 3] = [Role::PerformanceOffice, Role::SupervisingLeader, Role::PrincipalLeader];

/// Whether a step may be taken at a stage: scores only while scoring,
/// findings until completed, consensus only in consensus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Score,
    WriteFinding,
    InviteAssessor,
    RefreshFigures,
    SetBenchmarks,
    EditStandard,
    StartConsensus,
    Agree,
    Complete,
}

pub fn allowed(stage: Stage, step: Step) -> bool {
    match step {
        Step::Score | Step::InviteAssessor | Step::StartConsensus | Step::EditStandard => stage == Stage::Scoring,
        Step::Agree | Step::Complete => stage == Stage::Consensus,
        Step::WriteFinding | Step::RefreshFigures | Step::SetBenchmarks => stage != Stage::Completed,
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn bands() -> Bands {
        Bands::from_settings(&Settings::default())
    }

    #[test]
    fn the_shipped_bands_are_the_standards_six() {
        assert_eq!(bands().all(), vec![(1, 0, 5), (2, 10, 25), (3, 30, 45), (4, 50, 65), (5, 70, 85), (6, 90, 100)]);
    }

    #[test]
    fn a_score_outside_its_band_or_off_the_step_is_refused() {
        let b = bands();
        assert_eq!(b.check(3, 40), Ok(()));
        assert_eq!(b.check(3, 50), Err(ScoreError::OutsideBand));
        assert_eq!(b.check(2, 5), Err(ScoreError::OutsideBand));
        assert_eq!(b.check(4, 52), Err(ScoreError::OffStep));
        assert_eq!(b.check(7, 95), Err(ScoreError::NoBand));
        assert_eq!(b.check(0, 0), Err(ScoreError::NoBand));
        assert_eq!(b.check(6, 100), Ok(()));
    }

    #[test]
    fn bands_follow_the_settings() {
        let s = Settings { excellence_band_1_top: 10, excellence_score_step: 10, ..Settings::default() };
        let b = Bands::from_settings(&s);
        assert_eq!(b.range(1), Some((0, 10)));
        assert_eq!(b.range(2), Some((20, 25)));
        assert_eq!(b.check(2, 20), Ok(()));
        assert_eq!(b.check(2, 25), Err(ScoreError::OffStep));
    }

    #[test]
    fn the_consensus_suggestion_is_the_mean_to_the_nearest_step() {
        let b = bands();
        assert_eq!(b.suggestion(&[40, 50, 55]), Some((4, 50)));
        assert_eq!(b.suggestion(&[30, 35]), Some((3, 35)));
        // 47.5 rounds to 50, which opens band 4.
        assert_eq!(b.suggestion(&[45, 50]), Some((4, 50)));
        assert_eq!(b.suggestion(&[]), None);
    }

    #[test]
    fn scores_weigh_each_item_by_its_points() {
        assert_eq!(item_score(50, 45), dec!(22.5));
        let items = [
            ScoredItem { category: "4.1".into(), points: 50, percent: Some(50) },
            ScoredItem { category: "4.1".into(), points: 30, percent: Some(40) },
            ScoredItem { category: "4.1".into(), points: 30, percent: None },
            ScoredItem { category: "4.7".into(), points: 80, percent: Some(35) },
        ];
        let (lines, total) = totals(&items);
        assert_eq!(lines.len(), 2);
        assert_eq!((lines[0].points, lines[0].score, lines[0].scored, lines[0].items), (110, dec!(37), 2, 3));
        assert_eq!(lines[0].share(), Some(dec!(33.6)));
        assert_eq!((total.points, total.score), (190, dec!(65)));
    }

    #[test]
    fn the_shipped_edition_has_seven_categories_and_a_thousand_points() {
        let edition = Edition::parse(SHIPPED_EDITION).expect("the shipped edition reads");
        assert_eq!(edition.edition, "GB/T 19580-2012");
        let (per, total) = edition.points();
        assert_eq!(total, 1000);
        let expected = [("4.1", 110), ("4.2", 90), ("4.3", 90), ("4.4", 130), ("4.5", 100), ("4.6", 80), ("4.7", 400)];
        for (code, points) in expected {
            assert_eq!(per[code], points, "{code}");
        }
        let results: Vec<&ItemData> =
            edition.categories.iter().flat_map(|c| &c.items).filter(|i| i.kind == "results").collect();
        assert!(results.iter().all(|i| i.code.starts_with("4.7")));
        let measured: Vec<&String> = results.iter().flat_map(|i| &i.measures).collect();
        assert_eq!(measured.len(), Measure::ALL.len(), "every measure pre-fills one results item");
    }

    #[test]
    fn an_edition_with_a_measure_on_a_process_item_is_refused() {
        let text = r#"edition = "x"
[[category]]
code = "1"
name = "a"
[[category.item]]
code = "1.1"
name = "b"
kind = "process"
points = 10
measures = ["target_completion"]
"#;
        assert!(Edition::parse(text).is_err());
        assert!(Edition::parse(&text.replace("process", "results")).is_ok());
        assert!(Edition::parse(&text.replace("target_completion", "nothing").replace("process", "results")).is_err());
    }

    #[test]
    fn trends_compare_the_last_two_known_years() {
        assert_eq!(trend(&[(2024, Some(dec!(80))), (2025, Some(dec!(85)))]), Some(Trend::Up));
        assert_eq!(trend(&[(2024, Some(dec!(80))), (2025, None), (2026, Some(dec!(70)))]), Some(Trend::Down));
        assert_eq!(trend(&[(2025, Some(dec!(80)))]), None);
        assert_eq!(gap(Some(dec!(92.5)), Some(dec!(95))), Some(dec!(-2.5)));
        assert_eq!(gap(None, Some(dec!(95))), None);
    }

    #[test]
    fn office_completion_averages_the_departments_that_have_one() {
        assert_eq!(office_completion(&[Some(dec!(90)), None, Some(dec!(100))]), Some(dec!(95)));
        assert_eq!(office_completion(&[None]), None);
    }

    #[test]
    fn scores_are_given_only_while_scoring_and_consensus_only_in_consensus() {
        assert!(allowed(Stage::Scoring, Step::Score));
        assert!(!allowed(Stage::Consensus, Step::Score));
        assert!(allowed(Stage::Consensus, Step::Agree));
        assert!(!allowed(Stage::Scoring, Step::Agree));
        assert!(!allowed(Stage::Completed, Step::WriteFinding));
        assert!(allowed(Stage::Consensus, Step::WriteFinding));
    }

    #[test]
    fn points_are_a_whole_number_from_one_to_a_thousand() {
        assert_eq!(parse_points(" 60 "), Ok(60));
        assert_eq!(parse_points("1000"), Ok(1000));
        assert_eq!(parse_points(""), Err(FieldError::Required));
        assert_eq!(parse_points("0"), Err(FieldError::Invalid));
        assert_eq!(parse_points("1001"), Err(FieldError::Invalid));
        assert_eq!(parse_points("12.5"), Err(FieldError::Invalid));
    }

    #[test]
    fn the_year_comparison_lines_up_categories_and_sums_each_year() {
        let rows = [
            (2024, "4.1", 110, dec!(55)),
            (2024, "4.7", 400, dec!(200)),
            (2025, "4.1", 110, dec!(66)),
            (2025, "4.7", 400, dec!(180)),
            (2026, "4.1", 110, dec!(70)),
        ];
        let years = year_comparison(&rows, &["4.1", "4.2", "4.7"], 2025);
        assert_eq!(years.iter().map(|y| y.year).collect::<Vec<_>>(), vec![2024, 2025]);
        assert_eq!(years[1].scores, vec![Some(dec!(66)), None, Some(dec!(180))]);
        assert_eq!(years[1].shares, vec![Some(dec!(60)), None, Some(dec!(45))]);
        assert_eq!((years[1].score, years[1].points), (dec!(246), 510));
        assert_eq!(share_of(dec!(1), 0), None);
    }
}

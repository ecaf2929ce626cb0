//! The distribution of an allocation unit's computed grades against the quota
//! of its top grade, under each unit of a ranking
//! (`templates/assess/grade_distribution.html`): a table, the truth, and the
//! same numbers as a chart `static/charts.js` draws from a data attribute.

use serde::Serialize;

use crate::domain::assessment::Distribution;
use crate::http::pages::PageContext;

/// One row of the distribution table.
#[derive(Debug, Clone)]
pub struct DistributionRow {
    pub label: String,
    pub count: usize,
    /// The top grade: the quota is shown on its row.
    pub top: bool,
}

/// A unit's distribution as the partial shows it.
#[derive(Debug, Clone)]
pub struct DistributionView {
    /// The chart element's id, unique on the page.
    pub id: String,
    pub rows: Vec<DistributionRow>,
    pub quota: usize,
    /// The chart's data, JSON (escaped as an attribute by the template).
    pub chart: String,
}

#[derive(Serialize)]
struct Series<'a> {
    name: &'a str,
    data: Vec<usize>,
    color: &'static str,
}

#[derive(Serialize)]
struct QuotaLine {
    name: String,
    value: usize,
}

#[derive(Serialize)]
struct Chart<'a> {
    categories: Vec<&'a str>,
    series: Vec<Series<'a>>,
    line: QuotaLine,
    integer: bool,
}

const BLUE: &str = "#1d4ed8";

impl DistributionView {
    /// The view of unit number `index` (from 1); `label` names a grade in the
    /// page's language.
    pub fn new<G: Copy>(
        ctx: &PageContext,
        index: usize,
        distribution: &Distribution<G>,
        label: impl Fn(G) -> String,
    ) -> Self {
        let mut rows: Vec<DistributionRow> = distribution
            .counts
            .iter()
            .enumerate()
            .map(|(i, (grade, count))| DistributionRow { label: label(*grade), count: *count, top: i == 0 })
            .collect();
        if distribution.without_grade > 0 {
            let label = ctx.t("distribution-without-grade");
            rows.push(DistributionRow { label, count: distribution.without_grade, top: false });
        }
        let people = ctx.t("distribution-people");
        let chart = Chart {
            categories: rows.iter().map(|r| r.label.as_str()).collect(),
            series: vec![Series { name: &people, data: rows.iter().map(|r| r.count).collect(), color: BLUE }],
            line: QuotaLine {
                name: format!("{} {}", ctx.t("distribution-quota"), distribution.quota),
                value: distribution.quota,
            },
            integer: true,
        };
        let chart = serde_json::to_string(&chart).unwrap_or_default();
        DistributionView { id: format!("grade-chart-{index}"), rows, quota: distribution.quota, chart }
    }
}

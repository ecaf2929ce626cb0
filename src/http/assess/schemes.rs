//! Criteria schemes (考核方案, docs/DOMAIN.md §17.10): the performance
//! office lists a year's versions per target group, reads one, edits its
//! numbers and names (each save a new version), copies last year's scheme,
//! compares two versions and previews a person's score under a version.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use fluent_templates::fluent_bundle::FluentValue;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use super::scheme_fields::{self, Kind};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::assessment_schemes::{self as schemes, SchemeVersion, VersionRow};
use crate::db::audit::{self, AuditEvent};
use crate::db::is_unique_violation;
use crate::domain::assessment::{
    Change, Problem, QuarterGrade, QuotaRule, Scheme, ScoreBreakdown, TargetGroup, TieBreak, diff, quarterly_score,
};
use crate::domain::plan::CycleStage;
use crate::domain::policy::Permission;
use crate::error::{AppError, AppResult};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::workflow::assessment::preview_inputs;

const GROUPS: [TargetGroup; 2] = [TargetGroup::Staff, TargetGroup::DepartmentHeads];

#[derive(Debug, Clone, Default, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    pub year: String,
}

fn year_or_today(text: &str, state: &AppState) -> i32 {
    text.trim().parse().ok().filter(|y| (2000..=2100).contains(y)).unwrap_or_else(|| state.clock.today().year())
}

/// The names of a dimension or criterion in the page's language.
fn local<'a>(ctx: &PageContext, zh: &'a str, en: &'a str) -> &'a str {
    if ctx.lang == Lang::En && !en.is_empty() { en } else { zh }
}

/// One target group's versions on the list.
pub struct GroupLine {
    pub target: TargetGroup,
    pub code: &'static str,
    pub versions: Vec<VersionRow>,
}

#[derive(Template)]
#[template(path = "assess/schemes.html")]
pub struct SchemesPage {
    pub ctx: PageContext,
    pub year: i32,
    pub groups: Vec<GroupLine>,
    /// Whether the year before has a version to copy (else the defaults are offered).
    pub previous_has: bool,
}

/// The schemes of a year, per target group, with their versions.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<YearQuery>,
) -> AppResult<Response> {
    user.require(Permission::ManageSchemes)?;
    let year = year_or_today(&query.year, &state);
    let mut conn = state.pool.acquire().await?;
    let mut versions = schemes::versions_of_year(&mut conn, year).await?;
    let previous_has = !schemes::versions_of_year(&mut conn, year - 1).await?.is_empty();
    let groups = GROUPS
        .into_iter()
        .map(|target| {
            let (mine, rest) = versions.drain(..).partition(|v: &VersionRow| v.target == target);
            versions = rest;
            GroupLine { target, code: schemes::group_code(target), versions: mine }
        })
        .collect();
    render(&SchemesPage { ctx, year, groups, previous_has })
}

#[derive(Debug, Deserialize)]
pub struct CopyForm {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub target: String,
}

/// "Copy last year's scheme": the year's first version of a target group,
/// from the newest version of the year before, else the shipped default.
pub async fn copy_last_year(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    CsrfForm(form): CsrfForm<CopyForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageSchemes)?;
    let year = year_or_today(&form.year, &state);
    let target = schemes::parse_group(form.target.trim()).ok_or(AppError::NotFound)?;
    let back = format!("/assess/schemes?year={year}");
    let mut tx = state.pool.begin().await?;
    if schemes::head_number(&mut tx, year, target).await? > 0 {
        Flash::error("scheme-copy-exists").set(&session).await?;
        return Ok(Redirect::to(&back).into_response());
    }
    let source = schemes::latest(&mut tx, year - 1, target).await?;
    let scheme = match &source {
        Some(v) => Scheme { year, ..v.scheme.clone() },
        None if target == TargetGroup::Staff => Scheme::default_staff(year),
        None => Scheme::default_heads(year),
    };
    let id = match schemes::insert_version(&mut tx, &scheme, 1, None, Some(user.id())).await {
        Ok(id) => id,
        Err(err) if is_unique_violation(&err, schemes::NUMBER_TAKEN) => {
            Flash::error("scheme-copy-exists").set(&session).await?;
            return Ok(Redirect::to(&back).into_response());
        }
        Err(err) => return Err(err.into()),
    };
    let from = source.as_ref().map(|v| json!({ "id": v.id, "year": v.year, "number": v.number }));
    let summary = json!({ "year": year, "target": schemes::group_code(target), "number": 1, "copied_from": from });
    audit::record(&mut tx, &user.audit, AuditEvent::new("assessment_scheme.copied", "assessment_scheme", id, summary))
        .await?;
    tx.commit().await?;
    Flash::success_named("scheme-copied", year.to_string()).set(&session).await?;
    Ok(Redirect::to(&format!("/assess/schemes/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "assess/scheme.html")]
pub struct SchemePage {
    pub ctx: PageContext,
    pub version: SchemeVersion,
    /// The other versions of the year and group, for the diff picker.
    pub others: Vec<(i64, i32)>,
}

impl SchemePage {
    pub fn local<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        local(&self.ctx, zh, en)
    }

    /// The names of the tie-breaks, in order.
    pub fn tie_breaks(&self) -> Vec<String> {
        self.version
            .scheme
            .tie_breaks
            .iter()
            .map(|t| match t {
                TieBreak::Dimension(key) => {
                    let d = self.version.scheme.dimensions.iter().find(|d| &d.key == key);
                    let name = d.map(|d| self.local(&d.name_zh, &d.name_en)).unwrap_or(key);
                    self.ctx.t_name("scheme-tie-break-dimension", name)
                }
                TieBreak::RaterAverage => self.ctx.t("scheme-tie-break-rater-average"),
            })
            .collect()
    }

    /// The two quota rules with the key of their names.
    pub fn quotas(&self) -> [(&'static str, QuotaRule); 2] {
        let s = &self.version.scheme;
        [("scheme-section-quarter-quota", s.quarter_quota), ("scheme-section-annual-quota", s.annual_quota)]
    }

    pub fn percent(&self, rate: &Decimal) -> String {
        (rate * Decimal::ONE_HUNDRED).normalize().to_string()
    }
}

/// One version: the criteria tree and every number of the scheme.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ManageSchemes)?;
    let mut conn = state.pool.acquire().await?;
    let version = schemes::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let others = schemes::numbers(&mut conn, version.year, version.target).await?;
    let others = others.into_iter().filter(|(other, _)| *other != id).collect();
    render(&SchemePage { ctx, version, others })
}

/// A field of the editor, with its value (as typed) and its error.
pub struct FieldView {
    pub name: String,
    pub label: String,
    pub kind: Kind,
    pub value: String,
    pub error: String,
    /// A select's options as (code, label key).
    pub choices: Vec<(String, &'static str)>,
}

/// A criterion of the editor: its fields in the form's order.
pub struct CriterionView {
    pub title: String,
    pub source_key: &'static str,
    pub fields: Vec<FieldView>,
    pub descriptors: Vec<FieldView>,
}

/// A live sum of the editor (static/app.js): the fields added up and what
/// they must come to, a number or another field.
pub struct SumView {
    pub of: String,
    pub expected: String,
    pub expected_field: String,
}

/// A dimension of the editor: its fields, the error of its criteria's sum, its criteria.
pub struct DimensionView {
    pub key: String,
    pub sum: SumView,
    pub title: String,
    pub fields: Vec<FieldView>,
    pub sum_error: String,
    pub criteria: Vec<CriterionView>,
}

/// A group of fields with an error of the group as a whole (a sum, an order).
pub struct SectionView {
    pub id: &'static str,
    /// The weights and shares that add up to 1.
    pub sum: Option<SumView>,
    pub title_key: &'static str,
    pub error: String,
    pub fields: Vec<FieldView>,
}

#[derive(Template)]
#[template(path = "assess/scheme_form.html")]
pub struct SchemeFormPage {
    pub ctx: PageContext,
    pub version: SchemeVersion,
    /// The newest version number when the form was read (the save takes the next).
    pub head: i32,
    pub totals_error: String,
    /// The dimensions' points, which add up to 100.
    pub totals: SumView,
    /// The text of a live sum: `#S` the total, `#E` what it must be.
    pub sum_text: String,
    pub dimensions: Vec<DimensionView>,
    pub sections: Vec<SectionView>,
    pub has_errors: bool,
    pub conflict: bool,
}

/// A problem's text beside its field.
fn problem_text(ctx: &PageContext, problem: &Problem) -> String {
    match problem {
        Problem::Sum { expected, actual } => ctx.lang.t_args(
            problem.label_key(),
            &[
                ("expected", FluentValue::from(expected.normalize().to_string())),
                ("actual", FluentValue::from(actual.normalize().to_string())),
            ],
        ),
        other => ctx.t(other.label_key()),
    }
}

/// The sections of the editor after the tree, with the fields each holds (by path prefix).
const SECTIONS: [(&str, &str, &[&str]); 9] = [
    ("levels", "scheme-section-levels", &["levels."]),
    ("rater_groups", "scheme-section-raters", &["rater_groups."]),
    ("quarter_bands", "scheme-section-quarter-bands", &["quarter_bands.", "bonus_cap"]),
    ("quarter_quota", "scheme-section-quarter-quota", &["quarter_quota."]),
    ("annual_formula", "scheme-section-formula", &["annual_formula."]),
    ("annual_bands", "scheme-section-annual-bands", &["annual_bands."]),
    ("annual_quota", "scheme-section-annual-quota", &["annual_quota."]),
    ("rounding", "scheme-section-rounding", &["rounding."]),
    ("other", "scheme-section-other", &["summary_max_chars", "min_group_ballots", "publicity_work_days"]),
];

/// The editor for `version`, showing `typed` (or the version's values) and the errors by field.
fn form_page(
    ctx: PageContext,
    version: SchemeVersion,
    head: i32,
    typed: Option<&BTreeMap<String, String>>,
    errors: &BTreeMap<String, String>,
    conflict: bool,
) -> SchemeFormPage {
    let scheme = &version.scheme;
    let shown = typed.cloned().unwrap_or_else(|| scheme_fields::values(scheme));
    let error = |path: &str| errors.get(path).cloned().unwrap_or_default();
    let field = |spec: &scheme_fields::Spec| {
        // The last part of the path's label names the field within its group;
        // a rater group's weight is named by the group.
        let full = scheme_fields::path_label(ctx.lang, &[scheme], &spec.path);
        let parts: Vec<&str> = full.split(" › ").collect();
        let at = if spec.path.starts_with("rater_groups.") { parts.len().saturating_sub(2) } else { parts.len() - 1 };
        let label = parts.get(at).copied().unwrap_or_default().to_string();
        FieldView {
            name: spec.path.clone(),
            label,
            kind: spec.kind,
            value: shown.get(&spec.path).cloned().unwrap_or_default(),
            error: error(&spec.path),
            choices: scheme_fields::choices(spec.kind),
        }
    };
    let specs = scheme_fields::specs(scheme);
    let dimensions = scheme
        .dimensions
        .iter()
        .map(|d| {
            let at = format!("dimensions.{}.", d.key);
            let own: Vec<FieldView> =
                specs.iter().filter(|s| s.path.starts_with(&at) && !s.path.contains(".criteria.")).map(field).collect();
            let criteria = d
                .criteria
                .iter()
                .map(|c| {
                    let at = format!("{at}criteria.{}.", c.key);
                    let mine: Vec<&scheme_fields::Spec> = specs.iter().filter(|s| s.path.starts_with(&at)).collect();
                    CriterionView {
                        title: local(&ctx, &c.name_zh, &c.name_en).to_string(),
                        source_key: c.source.label_key(),
                        fields: mine.iter().filter(|s| !s.path.contains(".descriptors.")).map(|s| field(s)).collect(),
                        descriptors: mine
                            .iter()
                            .filter(|s| s.path.contains(".descriptors."))
                            .map(|s| field(s))
                            .collect(),
                    }
                })
                .collect();
            let of = d.criteria.iter().map(|c| format!("{at}criteria.{}.points", c.key)).collect::<Vec<_>>().join(" ");
            DimensionView {
                sum: SumView { of, expected: String::new(), expected_field: format!("{at}points") },
                key: d.key.clone(),
                title: local(&ctx, &d.name_zh, &d.name_en).to_string(),
                fields: own,
                sum_error: error(&format!("dimensions.{}.criteria", d.key)),
                criteria,
            }
        })
        .collect();
    let sections = SECTIONS
        .iter()
        .map(|(id, title_key, prefixes)| SectionView {
            sum: matches!(*id, "rater_groups" | "annual_formula").then(|| SumView {
                of: specs
                    .iter()
                    .filter(|s| s.path.starts_with(id))
                    .map(|s| s.path.clone())
                    .collect::<Vec<_>>()
                    .join(" "),
                expected: "1".into(),
                expected_field: String::new(),
            }),
            id,
            title_key,
            error: error(id),
            fields: specs.iter().filter(|s| prefixes.iter().any(|p| s.path.starts_with(p))).map(field).collect(),
        })
        .collect();
    let totals = SumView {
        of: scheme.dimensions.iter().map(|d| format!("dimensions.{}.points", d.key)).collect::<Vec<_>>().join(" "),
        expected: "100".into(),
        expected_field: String::new(),
    };
    let sum_text = ctx.lang.t_args(
        "scheme-sum-live",
        &[("sum", FluentValue::from("#S".to_string())), ("expected", FluentValue::from("#E".to_string()))],
    );
    SchemeFormPage {
        totals,
        sum_text,
        totals_error: error("dimensions"),
        has_errors: !errors.is_empty(),
        ctx,
        version,
        head,
        dimensions,
        sections,
        conflict,
    }
}

/// The editor of a version's numbers and names.
pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ManageSchemes)?;
    let mut conn = state.pool.acquire().await?;
    let version = schemes::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let head = schemes::head_number(&mut conn, version.year, version.target).await?;
    render(&form_page(ctx, version, head, None, &BTreeMap::new(), false))
}

/// The errors of an edited scheme by field: what did not parse, then `validate()`'s.
fn form_errors(
    ctx: &PageContext,
    parse: BTreeMap<String, crate::domain::validate::FieldError>,
    scheme: &Scheme,
) -> BTreeMap<String, String> {
    let mut errors: BTreeMap<String, String> = parse.into_iter().map(|(f, e)| (f, ctx.t(e.label_key()))).collect();
    for problem in scheme.validate() {
        errors.entry(problem.field.clone()).or_insert_with(|| problem_text(ctx, &problem.problem));
    }
    errors
}

/// Saves an edit as the next version of the year and group (a stored version
/// never changes): 422 with the input kept and each error beside its field,
/// 409 when another version was saved since the form was read.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(typed): CsrfForm<BTreeMap<String, String>>,
) -> AppResult<Response> {
    user.require(Permission::ManageSchemes)?;
    let mut tx = state.pool.begin().await?;
    let base = schemes::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let form_head: i32 = typed.get("head").and_then(|h| h.trim().parse().ok()).unwrap_or(-1);
    let head = schemes::head_number(&mut tx, base.year, base.target).await?;
    let (edited, parse) = scheme_fields::apply(&base.scheme, &typed);
    let errors = form_errors(&ctx, parse, &edited);
    if !errors.is_empty() {
        let page = form_page(ctx, base, form_head, Some(&typed), &errors, false);
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let changes = diff(&base.scheme, &edited);
    if changes.is_empty() {
        Flash::success("scheme-unchanged").set(&session).await?;
        return Ok(Redirect::to(&format!("/assess/schemes/{id}")).into_response());
    }
    let stale = |ctx, base| {
        render_with(StatusCode::CONFLICT, &form_page(ctx, base, form_head, Some(&typed), &BTreeMap::new(), true))
    };
    if form_head != head {
        return stale(ctx, base);
    }
    let new_id = match schemes::insert_version(&mut tx, &edited, head + 1, Some(base.id), Some(user.id())).await {
        Ok(new_id) => new_id,
        Err(err) if is_unique_violation(&err, schemes::NUMBER_TAKEN) => return stale(ctx, base),
        Err(err) => return Err(err.into()),
    };
    let summary = json!({
        "year": base.year, "target": schemes::group_code(base.target), "number": head + 1,
        "based_on": { "id": base.id, "number": base.number },
        "changes": changes.iter().map(|c| json!({ "path": c.path, "before": c.before, "after": c.after })).collect::<Vec<_>>(),
    });
    let event = AuditEvent::new("assessment_scheme.saved", "assessment_scheme", new_id, summary);
    audit::record(&mut tx, &user.audit, event).await?;
    tx.commit().await?;
    Flash::success_named("scheme-saved", (head + 1).to_string()).set(&session).await?;
    Ok(Redirect::to(&format!("/assess/schemes/{new_id}")).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct DiffQuery {
    pub against: Option<String>,
}

/// One change with readable labels.
pub struct ChangeView {
    pub path: String,
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Template)]
#[template(path = "assess/scheme_diff.html")]
pub struct SchemeDiffPage {
    pub ctx: PageContext,
    pub version: SchemeVersion,
    pub against: Option<SchemeVersion>,
    pub changes: Vec<ChangeView>,
}

fn change_view(lang: Lang, schemes: &[&Scheme], change: Change) -> ChangeView {
    let value = |v: Option<String>| v.map(|v| scheme_fields::value_label(lang, &change.path, &v));
    ChangeView {
        label: scheme_fields::path_label(lang, schemes, &change.path),
        before: value(change.before.clone()),
        after: value(change.after.clone()),
        path: change.path,
    }
}

/// What changed from `against` (by default the version before) to this version.
pub async fn diff_page(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
    Query(query): Query<DiffQuery>,
) -> AppResult<Response> {
    user.require(Permission::ManageSchemes)?;
    let mut conn = state.pool.acquire().await?;
    let version = schemes::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let against_id = match query.against.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(text) => Some(text.parse::<i64>().map_err(|_| AppError::NotFound)?),
        None => schemes::numbers(&mut conn, version.year, version.target)
            .await?
            .into_iter()
            .find(|(_, number)| *number < version.number)
            .map(|(other, _)| other),
    };
    let against = match against_id {
        Some(other) => Some(schemes::find(&mut conn, other).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    let changes = against
        .as_ref()
        .map(|a| {
            let both = [&version.scheme, &a.scheme];
            diff(&a.scheme, &version.scheme).into_iter().map(|c| change_view(ctx.lang, &both, c)).collect()
        })
        .unwrap_or_default();
    render(&SchemeDiffPage { ctx, version, against, changes })
}

#[derive(Debug, Default, Deserialize)]
pub struct PreviewQuery {
    pub person: Option<String>,
    pub cycle: Option<String>,
}

/// A criterion's line of the preview.
pub struct PreviewLine {
    pub dimension: String,
    pub criterion: String,
    pub source_key: &'static str,
    pub max_points: Decimal,
    pub value: Option<Decimal>,
    pub points: Decimal,
}

#[derive(Template)]
#[template(path = "assess/scheme_preview.html")]
pub struct SchemePreviewPage {
    pub ctx: PageContext,
    pub version: SchemeVersion,
    pub people: Vec<crate::db::ledger::SubjectPerson>,
    pub cycles: Vec<(i64, String)>,
    pub person: Option<i64>,
    pub cycle: Option<i64>,
    pub lines: Vec<PreviewLine>,
    pub breakdown: Option<ScoreBreakdown>,
    pub grade_key: &'static str,
}

impl SchemePreviewPage {
    pub fn is_person(&self, id: impl std::borrow::Borrow<i64>) -> bool {
        self.person == Some(*id.borrow())
    }

    pub fn is_cycle(&self, id: impl std::borrow::Borrow<i64>) -> bool {
        self.cycle == Some(*id.borrow())
    }
}

/// A chosen person's quarterly score under this version, from the verified
/// progress and accepted ledger records of a chosen cycle; no ballot is cast
/// yet, so the rater groups show as not cast and the weights as rescaled.
pub async fn preview(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
    Query(query): Query<PreviewQuery>,
) -> AppResult<Response> {
    user.require(Permission::ManageSchemes)?;
    let mut conn = state.pool.acquire().await?;
    let version = schemes::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let people = crate::db::ledger::subject_people(&mut conn, None).await?;
    let all_cycles = crate::db::boards::cycles(&mut conn, state.clock.today(), None).await?;
    let pick = |text: &Option<String>| text.as_deref().and_then(|t| t.trim().parse::<i64>().ok());
    let person = pick(&query.person).and_then(|p| people.iter().find(|x| x.id == p));
    // By default the scheme's year's cycle, else the one being implemented.
    let default_cycle = all_cycles
        .iter()
        .find(|c| c.period_start.year() == version.year)
        .or_else(|| all_cycles.iter().find(|c| c.stage == CycleStage::Implementation))
        .or(all_cycles.first());
    let cycle = pick(&query.cycle).and_then(|c| all_cycles.iter().find(|x| x.id == c)).or(default_cycle);
    let (mut lines, mut breakdown, mut grade_key) = (Vec::new(), None, "");
    if let (Some(person), Some(cycle)) = (person, cycle) {
        let today = state.clock.today();
        let levels = &version.scheme.levels;
        let inputs = preview_inputs(&mut conn, cycle, person.id, person.department_id, levels, today).await?;
        let result =
            quarterly_score(&version.scheme, &inputs).map_err(|e| AppError::Internal(anyhow::anyhow!("{e:?}")))?;
        lines = result
            .criteria
            .iter()
            .map(|c| {
                let (d, k) = (&c.dimension, &c.criterion);
                let found = version.scheme.criteria().find(|(dim, crit)| &dim.key == d && &crit.key == k);
                let (dimension, criterion) = found
                    .map(|(dim, crit)| {
                        (
                            local(&ctx, &dim.name_zh, &dim.name_en).to_string(),
                            local(&ctx, &crit.name_zh, &crit.name_en).to_string(),
                        )
                    })
                    .unwrap_or_else(|| (d.clone(), k.clone()));
                PreviewLine {
                    dimension,
                    criterion,
                    source_key: c.source.label_key(),
                    max_points: c.max_points,
                    value: c.value,
                    points: c.points,
                }
            })
            .collect();
        grade_key = QuarterGrade::from_score(result.total, &version.scheme.quarter_bands).label_key();
        breakdown = Some(result);
    }
    let cycles = all_cycles.iter().map(|c| (c.id, c.name.clone())).collect();
    let (person, cycle) = (person.map(|p| p.id), cycle.map(|c| c.id));
    render(&SchemePreviewPage { ctx, version, people, cycles, person, cycle, lines, breakdown, grade_key })
}

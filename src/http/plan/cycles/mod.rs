//! Assessment cycles (考核周期): list, create, edit, and the stage moves of
//! the performance office (planning → implementation → assessment →
//! feedback → closed), each after a checklist, back only with a reason.
//!
//! One file per action group: `list`, `form` (new, create, edit, update) and
//! `stages` (the cycle page and its stage moves); the cycle form and its
//! checks are here.

pub mod form;
pub mod list;
pub mod members;
pub mod stages;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::cycles::{
    self, AnnualChoice, CycleData, CycleListItem, CycleRow, HistoryRow, ParticipantRow, StaffChoice,
};
use crate::db::departments::{self, DepartmentChoice};
use crate::domain::cycles::{ChecklistItem, CycleDates, checklist, date_problems, default_annual_dates};
use crate::domain::plan::{CycleKind, CycleStage, ReportFrequency, WorkflowError, stage_move};
use crate::domain::policy::Permission;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::admin_form::{AdminForm, Unique, Written};
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

/// A date typed as YYYY-MM-DD (what `<input type="date">` sends).
pub fn date_field(value: &str) -> Result<Option<NaiveDate>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::Required);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map(Some).map_err(|_| FieldError::Invalid)
}

/// The badge class of a stage: running stages stand out, closed ones fade.
fn stage_class(stage: CycleStage) -> &'static str {
    match stage {
        CycleStage::Planning => "badge badge-warn",
        CycleStage::Implementation | CycleStage::Assessment | CycleStage::Feedback => "badge badge-ok",
        CycleStage::Closed => "badge",
    }
}

/// The cycle form as typed, kept when it is shown again with errors.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CycleForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub period_start: String,
    #[serde(default)]
    pub period_end: String,
    #[serde(default)]
    pub planning_until: String,
    #[serde(default)]
    pub implementation_until: String,
    #[serde(default)]
    pub assessment_until: String,
    #[serde(default)]
    pub feedback_until: String,
    #[serde(default)]
    pub report_frequency: String,
    /// The annual cycle a quarterly cycle belongs to (empty: none).
    #[serde(default)]
    pub annual_cycle_id: String,
    /// `all` or `chosen`.
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub departments: Vec<String>,
    #[serde(default)]
    pub people: Vec<String>,
    #[serde(default)]
    pub version: i32,
}

fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

impl CycleForm {
    fn from_dates(dates: &CycleDates) -> CycleForm {
        CycleForm {
            period_start: day_text(dates.period_start),
            period_end: day_text(dates.period_end),
            planning_until: day_text(dates.planning_until),
            implementation_until: day_text(dates.implementation_until),
            assessment_until: day_text(dates.assessment_until),
            feedback_until: day_text(dates.feedback_until),
            ..CycleForm::default()
        }
    }

    fn from_row(row: &CycleRow, chosen: &cycles::ChosenParticipants) -> CycleForm {
        let dates = CycleDates {
            period_start: row.period_start,
            period_end: row.period_end,
            planning_until: row.planning_until,
            implementation_until: row.implementation_until,
            assessment_until: row.assessment_until,
            feedback_until: row.feedback_until,
        };
        let mut form = CycleForm {
            name: row.name.clone(),
            kind: row.kind.code().into(),
            report_frequency: row.report_frequency.code().into(),
            annual_cycle_id: row.annual_cycle_id.map(|id| id.to_string()).unwrap_or_default(),
            version: row.version,
            ..CycleForm::from_dates(&dates)
        };
        form.keep_participants(row.all_participants, chosen);
        form
    }

    /// Puts the stored participants in the form (they are not editable after planning).
    fn keep_participants(&mut self, all: bool, chosen: &cycles::ChosenParticipants) {
        self.participants = if all { "all" } else { "chosen" }.into();
        self.departments = chosen.departments.iter().map(i64::to_string).collect();
        self.people = chosen.people.iter().map(i64::to_string).collect();
    }

    fn validate(&self, choices: &Choices, errors: &mut FormErrors) -> Option<CycleData> {
        let name = errors.check("name", validate::required_text(&self.name, 60));
        let kind = errors.check("kind", CycleKind::parse(&self.kind).map(Some).ok_or(FieldError::Required));
        let frequency = errors.check(
            "report_frequency",
            ReportFrequency::parse(&self.report_frequency).map(Some).ok_or(FieldError::Required),
        );
        let mut date = |field: &'static str, value: &str| errors.check(field, date_field(value));
        let dates = (
            date("period_start", &self.period_start),
            date("period_end", &self.period_end),
            date("planning_until", &self.planning_until),
            date("implementation_until", &self.implementation_until),
            date("assessment_until", &self.assessment_until),
            date("feedback_until", &self.feedback_until),
        );
        let dates = match dates {
            (
                Some(period_start),
                Some(period_end),
                Some(planning_until),
                Some(implementation_until),
                Some(assessment_until),
                Some(feedback_until),
            ) => Some(CycleDates {
                period_start,
                period_end,
                planning_until,
                implementation_until,
                assessment_until,
                feedback_until,
            }),
            _ => None,
        };
        for problem in dates.as_ref().map(date_problems).unwrap_or_default() {
            errors.add_message(problem.field(), problem.label_key());
        }
        let all_participants = match self.participants.as_str() {
            "all" => true,
            "chosen" => false,
            _ => {
                errors.add("participants", FieldError::Required);
                true
            }
        };
        let departments = chosen_ids(&self.departments, |id| choices.departments.iter().any(|d| d.id == id));
        let people = chosen_ids(&self.people, |id| choices.people.iter().any(|p| p.id == id));
        let departments = errors.check("departments", departments);
        let people = errors.check("people", people);
        if !all_participants
            && departments.is_empty()
            && people.is_empty()
            && !errors.has("departments")
            && !errors.has("people")
        {
            errors.add_message("participants", "cycle-error-no-participants");
        }
        let annual_cycle_id = self.annual_cycle(choices, kind, dates.as_ref(), errors);
        let (kind, frequency, dates) = (kind?, frequency?, dates?);
        errors.is_empty().then(|| CycleData {
            name,
            kind,
            period_start: dates.period_start,
            period_end: dates.period_end,
            planning_until: dates.planning_until,
            implementation_until: dates.implementation_until,
            assessment_until: dates.assessment_until,
            feedback_until: dates.feedback_until,
            report_frequency: frequency,
            all_participants,
            annual_cycle_id,
            departments: if all_participants { vec![] } else { departments },
            people: if all_participants { vec![] } else { people },
        })
    }

    /// The annual cycle chosen for a quarterly cycle: one of those offered,
    /// whose period holds the quarter's (docs/DOMAIN.md §5.1); only a
    /// quarterly cycle has one.
    fn annual_cycle(
        &self,
        choices: &Choices,
        kind: Option<CycleKind>,
        dates: Option<&CycleDates>,
        errors: &mut FormErrors,
    ) -> Option<i64> {
        let id = errors.check("annual_cycle_id", crate::http::forms::optional_id(&self.annual_cycle_id))?;
        let Some(annual) = choices.annual.iter().find(|c| c.id == id) else {
            errors.add("annual_cycle_id", FieldError::Invalid);
            return None;
        };
        if kind.is_some_and(|k| k != CycleKind::Quarterly) {
            errors.add_message("annual_cycle_id", "cycle-error-annual-only-quarterly");
        } else if dates.is_some_and(|d| d.period_start < annual.period_start || d.period_end > annual.period_end) {
            errors.add_message("annual_cycle_id", "cycle-error-outside-annual");
        }
        Some(id)
    }

    pub fn chose_all(&self) -> bool {
        self.participants != "chosen"
    }

    pub fn has_department(&self, id: &i64) -> bool {
        self.departments.contains(&id.to_string())
    }

    pub fn has_person(&self, id: &i64) -> bool {
        self.people.contains(&id.to_string())
    }
}

/// Ids from a multiple choice, each one of those offered.
fn chosen_ids(values: &[String], offered: impl Fn(i64) -> bool) -> Result<Vec<i64>, FieldError> {
    let mut ids = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let id: i64 = value.parse().map_err(|_| FieldError::Invalid)?;
        if !offered(id) {
            return Err(FieldError::Invalid);
        }
        ids.push(id);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The departments and people a cycle may choose from.
pub struct Choices {
    pub departments: Vec<DepartmentChoice>,
    pub people: Vec<StaffChoice>,
    /// The annual cycles a quarterly cycle may belong to.
    pub annual: Vec<AnnualChoice>,
}

async fn choices(conn: &mut PgConnection) -> AppResult<Choices> {
    Ok(Choices {
        departments: departments::choices(conn).await?,
        people: cycles::staff_choices(conn).await?,
        annual: cycles::annual_choices(conn).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::stages::group_by_department;
    use super::*;

    fn offered() -> Choices {
        Choices {
            departments: vec![DepartmentChoice { id: 1, name: "办公室".into() }],
            people: vec![StaffChoice { id: 7, full_name: "王芳".into(), department_name: None }],
            annual: vec![AnnualChoice {
                id: 3,
                name: "2026年度考核".into(),
                period_start: "2026-01-01".parse().unwrap(),
                period_end: "2026-12-31".parse().unwrap(),
            }],
        }
    }

    fn filled() -> CycleForm {
        CycleForm {
            name: "2026年度考核".into(),
            kind: "annual".into(),
            report_frequency: "monthly".into(),
            participants: "chosen".into(),
            departments: vec!["1".into()],
            ..CycleForm::from_dates(&default_annual_dates(2026, &Default::default()).unwrap())
        }
    }

    #[test]
    fn a_filled_form_gives_the_cycle_data() {
        let mut errors = FormErrors::default();
        let data = filled().validate(&offered(), &mut errors).expect("valid");
        assert!(errors.is_empty());
        assert_eq!((data.all_participants, data.departments, data.people), (false, vec![1], vec![]));
    }

    #[test]
    fn dates_out_of_order_show_their_own_message_beside_the_field() {
        let form = CycleForm { feedback_until: "2026-06-30".into(), period_end: "2025-12-01".into(), ..filled() };
        let mut errors = FormErrors::default();
        assert!(form.validate(&offered(), &mut errors).is_none());
        assert_eq!(errors.of("period_end"), "cycle-error-period-order");
        assert_eq!(errors.of("feedback_until"), "cycle-error-feedback-order");
        assert!(!errors.has("assessment_until"));
        let form = CycleForm { period_end: "2026-13-01".into(), ..filled() };
        let mut errors = FormErrors::default();
        assert!(form.validate(&offered(), &mut errors).is_none());
        assert_eq!(errors.of("period_end"), "error-invalid");
    }

    #[test]
    fn a_quarter_belongs_to_an_offered_annual_cycle_that_holds_its_period() {
        let quarter = CycleForm {
            kind: "quarterly".into(),
            period_start: "2026-07-01".into(),
            period_end: "2026-09-30".into(),
            planning_until: "2026-07-10".into(),
            implementation_until: "2026-09-30".into(),
            assessment_until: "2026-10-20".into(),
            feedback_until: "2026-10-31".into(),
            annual_cycle_id: "3".into(),
            ..filled()
        };
        let mut errors = FormErrors::default();
        let data = quarter.validate(&offered(), &mut errors).expect("valid");
        assert_eq!(data.annual_cycle_id, Some(3));
        let mut errors = FormErrors::default();
        assert!(
            CycleForm { annual_cycle_id: "99".into(), ..quarter.clone() }.validate(&offered(), &mut errors).is_none()
        );
        assert_eq!(errors.of("annual_cycle_id"), "error-invalid");
        let mut errors = FormErrors::default();
        let late = CycleForm { period_end: "2027-01-15".into(), ..quarter.clone() };
        assert!(late.validate(&offered(), &mut errors).is_none());
        assert_eq!(errors.of("annual_cycle_id"), "cycle-error-outside-annual");
        let mut errors = FormErrors::default();
        assert!(CycleForm { annual_cycle_id: "3".into(), ..filled() }.validate(&offered(), &mut errors).is_none());
        assert_eq!(errors.of("annual_cycle_id"), "cycle-error-annual-only-quarterly");
    }

    #[test]
    fn chosen_participants_must_be_offered_and_not_empty() {
        let mut errors = FormErrors::default();
        let form = CycleForm { departments: vec!["99".into()], ..filled() };
        assert!(form.validate(&offered(), &mut errors).is_none());
        assert_eq!(errors.of("departments"), "error-invalid");
        let mut errors = FormErrors::default();
        let form = CycleForm { departments: vec![], ..filled() };
        assert!(form.validate(&offered(), &mut errors).is_none());
        assert_eq!(errors.of("participants"), "cycle-error-no-participants");
    }

    #[test]
    fn english_checklist_lines_agree_in_number() {
        use crate::i18n::Lang;
        use fluent_templates::fluent_bundle::FluentValue;
        let line = |count: i64| {
            Lang::En.t_args("cycle-check-departments-not-approved", &[("count", FluentValue::from(count))])
        };
        assert_eq!(line(1), "1 department has no approved department targets");
        assert_eq!(line(3), "3 departments have no approved department targets");
    }

    #[test]
    fn participants_are_grouped_by_department_in_order() {
        let p = |id, name: &str, dept: Option<&str>| ParticipantRow {
            person_id: id,
            full_name: name.into(),
            department_id: dept.map(|_| 1),
            department_name: dept.map(String::from),
        };
        let groups = group_by_department(&[p(1, "甲", Some("办公室")), p(2, "乙", Some("办公室")), p(3, "丙", None)]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].names, vec!["甲".to_string(), "乙".to_string()]);
        assert_eq!(groups[1].department, None);
    }
}

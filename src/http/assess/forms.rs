//! The registration forms (考核登记表, docs/DOMAIN.md §20.5) as A4 pages: one
//! participant's, or every participant of a department one per page. The
//! annual cycle prints the annual form (年度考核登记表), a quarter or a
//! special assessment the routine one (平时考核登记表); each field is what the
//! office holds, and a ruled blank where it holds nothing.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;

use crate::auth::session::CurrentUser;
use crate::clock::office_date;
use crate::db::cycles::{self, CycleRow};
use crate::db::decisions::{self, DecisionRow};
use crate::db::departments;
use crate::db::forms::{self, CorrectionRow, FormRow};
use crate::domain::assessment::summary::{SummaryKind, SummaryStatus};
use crate::domain::forms::{RegistrationForm, summary_printed, summary_size_class};
use crate::domain::plan::CycleStage;
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::http::pages::{PageContext, render};
use crate::state::AppState;

/// One person's form and the corrections of their result.
pub struct FormSheet {
    pub row: FormRow,
    pub corrections: Vec<CorrectionRow>,
}

#[derive(Template)]
#[template(path = "assess/forms.html")]
pub struct FormsPage {
    pub ctx: PageContext,
    pub cycle: CycleRow,
    pub form: RegistrationForm,
    pub decision: Option<DecisionRow>,
    pub sheets: Vec<FormSheet>,
    /// What the screen's heading names: the person, or the department.
    pub heading: String,
    /// The page the form was opened from.
    pub back_href: String,
}

impl FormsPage {
    pub fn annual(&self) -> bool {
        self.form == RegistrationForm::Annual
    }

    pub fn title_key(&self, sheet: &FormSheet) -> &'static str {
        RegistrationForm::title_key(self.cycle.kind, sheet.row.identity_type)
    }

    /// 述职报告 for a head taking part for the department they head, else 个人总结.
    pub fn summary_label_key(&self, sheet: &FormSheet) -> &'static str {
        let kind = sheet.row.summary_kind.unwrap_or(if sheet.row.heads_department {
            SummaryKind::DutyReport
        } else {
            SummaryKind::Personal
        });
        match kind {
            SummaryKind::DutyReport => "form-summary-duty-report",
            SummaryKind::Personal => "form-summary-personal",
        }
    }

    /// The summary's text when it was handed in; `None` leaves the box ruled.
    pub fn summary<'a>(&self, sheet: &'a FormSheet) -> Option<&'a str> {
        summary_printed(sheet.row.summary_status).then_some(sheet.row.summary_body.as_str())
    }

    pub fn summary_class(&self, sheet: &FormSheet) -> &'static str {
        summary_size_class(&sheet.row.summary_body)
    }

    pub fn submitted_on(&self, sheet: &FormSheet) -> Option<NaiveDate> {
        self.summary(sheet).and(sheet.row.summary_submitted_at.map(office_date))
    }

    /// Who accepted the summary (the head, or the leader for a duty report), and when.
    pub fn reviewed(&self, sheet: &FormSheet) -> Option<(String, NaiveDate)> {
        if sheet.row.summary_status != Some(SummaryStatus::Accepted) {
            return None;
        }
        sheet.row.summary_decided_by.clone().zip(sheet.row.summary_decided_at.map(office_date))
    }

    pub fn grade_choices(&self, sheet: &FormSheet) -> Vec<&'static str> {
        self.form.grade_choices(sheet.row.identity_type)
    }

    /// The decided grade's name under the person's names, once decided.
    pub fn grade_key(&self, sheet: &FormSheet) -> Option<&'static str> {
        sheet.row.grade.map(|g| g.label_key(sheet.row.identity_type))
    }

    pub fn score(&self, sheet: &FormSheet) -> String {
        sheet.row.score.map(|s| s.round_dp(2).normalize().to_string()).unwrap_or_else(|| "—".into())
    }

    /// The day the committee decided the cycle.
    pub fn decided_on(&self) -> Option<NaiveDate> {
        self.decision.as_ref().map(|d| office_date(d.decided_at))
    }

    pub fn acknowledged_on(&self, sheet: &FormSheet) -> Option<NaiveDate> {
        sheet.row.acknowledged_at.map(office_date)
    }

    pub fn correction_grade_key(&self, sheet: &FormSheet, correction: &CorrectionRow) -> &'static str {
        correction.grade.label_key(sheet.row.identity_type)
    }

    pub fn correction_source_key(&self, correction: &CorrectionRow) -> String {
        format!("notice-source-{}", correction.source)
    }

    pub fn correction_on(&self, correction: &CorrectionRow) -> NaiveDate {
        office_date(correction.changed_at)
    }

    /// The posts the person holds and their duties, one line each
    /// ("综合文秘岗：公文处理、文稿起草").
    pub fn duties(&self, sheet: &FormSheet) -> Vec<String> {
        let (colon, comma) = (self.ctx.t("list-separator"), self.ctx.t("name-list-separator"));
        sheet
            .row
            .posts
            .iter()
            .map(|p| {
                if p.duties.is_empty() {
                    p.title.clone()
                } else {
                    format!("{}{colon}{}", p.title, p.duties.join(&comma))
                }
            })
            .collect()
    }
}

/// A cycle whose forms may be printed: from the assessment stage on, when
/// summaries are written (docs/DOMAIN.md §17.11).
fn require_assessed(cycle: &CycleRow) -> AppResult<()> {
    match cycle.stage {
        CycleStage::Assessment | CycleStage::Feedback | CycleStage::Closed => Ok(()),
        _ => Err(AppError::NotFound),
    }
}

/// The forms with the corrections of their results and the cycle's decision.
async fn forms_page(
    conn: &mut sqlx::PgConnection,
    ctx: PageContext,
    cycle: CycleRow,
    rows: Vec<FormRow>,
    heading: String,
    back_href: String,
) -> AppResult<FormsPage> {
    let people: Vec<i64> = rows.iter().map(|r| r.person_id).collect();
    let mut corrections = forms::corrections(conn, cycle.id, &people).await?;
    let decision = decisions::find(conn, cycle.id).await?;
    let sheets = rows
        .into_iter()
        .map(|row| {
            let (mine, rest) = corrections.drain(..).partition(|c| c.person_id == row.person_id);
            corrections = rest;
            FormSheet { row, corrections: mine }
        })
        .collect();
    let form = RegistrationForm::of(cycle.kind);
    Ok(FormsPage { ctx, cycle, form, decision, sheets, heading, back_href })
}

/// One participant's form: read by those who read their summary (the
/// person, the heads and supervising leaders of the department they take
/// part for, the performance office and the assessment committee).
pub async fn person_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path((id, person_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let cycle = cycles::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let row = forms::registration_forms(&mut conn, id, Some(person_id), None).await?.pop().ok_or(AppError::NotFound)?;
    policy::require_read_summary(user.id(), user.grants(), person_id, row.department_id)?;
    require_assessed(&cycle)?;
    let heading = row.full_name.clone();
    let back = format!("/assess/cycles/{id}/people/{person_id}");
    render(&forms_page(&mut conn, ctx, cycle, vec![row], heading, back).await?)
}

/// Every participant of a department, one form per page: the department's
/// heads and supervising leaders, the performance office and the committee.
pub async fn department_forms(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path((id, department_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    policy::require_read_department_summaries(user.grants(), department_id)?;
    let mut conn = state.pool.acquire().await?;
    let cycle = cycles::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    require_assessed(&cycle)?;
    let department = departments::find(&mut conn, department_id).await?.ok_or(AppError::NotFound)?;
    let rows = forms::registration_forms(&mut conn, id, None, Some(department_id)).await?;
    let back = format!("/assess/cycles/{id}/scores");
    render(&forms_page(&mut conn, ctx, cycle, rows, department.name, back).await?)
}

/// Whether the reader may print the form of `person_id` (who takes part for
/// `department_id`): the link shown on the person's score page.
pub fn may_print_form(ctx: &PageContext, person_id: i64, department_id: Option<i64>) -> bool {
    ctx.user.as_ref().is_some_and(|u| policy::require_read_summary(u.id, &u.grants, person_id, department_id).is_ok())
}

/// The departments whose forms the reader prints in one batch (none for a
/// reader of no department's summaries), for the links on the decided page.
pub async fn printable_departments(
    conn: &mut sqlx::PgConnection,
    grants: &crate::domain::roles::Grants,
    cycle_id: i64,
) -> AppResult<Vec<forms::FormDepartment>> {
    match policy::require_summary_overview(grants) {
        Ok(scope) => Ok(forms::form_departments(conn, cycle_id, scope.as_deref()).await?),
        Err(_) => Ok(Vec::new()),
    }
}

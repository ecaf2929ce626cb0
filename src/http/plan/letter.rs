//! The target-responsibility letter (目标责任书, docs/DOMAIN.md §20.5) of a
//! department's or a person's target set, as an A4 letter to sign: the
//! parties, the period, the targets with their weights and measures, the
//! terms, and a signature block for each side.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::auth::session::CurrentUser;
use crate::clock::office_date;
use crate::db::forms::{self, LetterFacts};
use crate::db::targets::{self, SetRow, TargetRow};
use crate::domain::forms::IssuingSide;
use crate::domain::plan::{PlanStatus, ReportFrequency, TargetKind, TargetLevel};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::http::pages::{PageContext, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "plan/letter.html")]
pub struct LetterPage {
    pub ctx: PageContext,
    pub set: SetRow,
    pub targets: Vec<TargetRow>,
    pub facts: LetterFacts,
    pub side: IssuingSide,
}

impl LetterPage {
    pub fn approved(&self) -> bool {
        self.set.status == PlanStatus::Approved
    }

    /// The day the set was approved, when it is.
    pub fn approved_on(&self) -> Option<NaiveDate> {
        if self.approved() { self.set.decided_at.map(office_date) } else { None }
    }

    /// Who signs for the issuing side: the set's approver once approved,
    /// else whoever holds the deciding role for the department now.
    pub fn issuer_names(&self) -> String {
        if let (true, Some(name)) = (self.approved(), &self.set.decided_by_name) {
            return name.clone();
        }
        let names = match self.side {
            IssuingSide::DepartmentHead => &self.facts.heads,
            IssuingSide::SupervisingLeader => &self.facts.leaders,
        };
        let others: Vec<&str> =
            names.iter().map(String::as_str).filter(|n| Some(*n) != self.set.person_name.as_deref()).collect();
        others.join(&self.ctx.t("name-list-separator"))
    }

    /// The responsible side (乙方): the person, or the department.
    pub fn holder(&self) -> String {
        match (&self.set.person_name, &self.set.department_name) {
            (Some(person), _) => person.clone(),
            (None, Some(department)) => department.clone(),
            (None, None) => String::new(),
        }
    }

    /// Who signs for the responsible side of a department's letter: its heads.
    pub fn holder_signers(&self) -> Option<String> {
        (self.set.level == TargetLevel::Department && !self.facts.heads.is_empty())
            .then(|| self.facts.heads.join(&self.ctx.t("name-list-separator")))
    }

    pub fn department_level(&self) -> bool {
        self.set.level == TargetLevel::Department
    }

    /// The target value with its unit, or "qualitative" (定性).
    pub fn value(&self, target: &TargetRow) -> String {
        match (target.kind, target.target_value) {
            (TargetKind::Qualitative, _) => self.ctx.t("target-kind-qualitative"),
            (_, Some(v)) => format!("{} {}", v.normalize(), target.unit).trim().to_string(),
            (_, None) => "—".into(),
        }
    }

    pub fn weight_total(&self) -> String {
        self.targets.iter().map(|t| t.weight).sum::<Decimal>().normalize().to_string()
    }

    pub fn report_term_key(&self) -> &'static str {
        match self.facts.report_frequency {
            ReportFrequency::Monthly => "letter-term-report-monthly",
            ReportFrequency::Quarterly => "letter-term-report-quarterly",
        }
    }
}

/// The letter of a department's or a person's set: whoever may read the set
/// (its writers and deciders, the leader overseeing the department, the
/// office-wide readers of plans). The office's work points have none.
pub async fn letter(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let set = targets::find_set(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    policy::require_view_set(user.id(), user.grants(), &set.facts())?;
    let side = IssuingSide::of(set.level, set.owner_is_head).ok_or(AppError::NotFound)?;
    let facts = forms::letter_facts(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let targets = targets::targets_of_set(&mut conn, id).await?;
    render(&LetterPage { ctx, set, targets, facts, side })
}

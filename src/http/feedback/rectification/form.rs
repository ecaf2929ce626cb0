//! Raising an item and editing it: the source among those the user may
//! raise from, the owner department among theirs, the owner among its
//! people (anything else is a field error, 422, the input kept); a stale
//! `version` comes back as the form with 409.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, Days, NaiveDate};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use super::readable;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::departments::{self, DepartmentChoice};
use crate::db::people::{self, PersonChoice};
use crate::db::rectification::{self as db, ItemData, ItemRow, SourceChoice};
use crate::domain::policy;
use crate::domain::rectification::{self as rules, SourceKind, SourceRef, StepKind};
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::forms::{FormErrors, optional_id};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::workflow::rectification as flow;

/// The form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub problem: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub source_reference: String,
    #[serde(default)]
    pub department_id: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub plan: String,
    #[serde(default)]
    pub due_on: String,
    #[serde(default)]
    pub version: String,
}

/// What the form offers the user.
pub struct Choices {
    pub sources: Vec<SourceChoice>,
    pub departments: Vec<DepartmentChoice>,
    pub people: Vec<PersonChoice>,
}

/// The sources, owner departments and owners `user` may choose; for an edit
/// (`kind` given) the departments of that source kind.
pub(crate) async fn choices(
    conn: &mut PgConnection,
    user: &CurrentUser,
    kind: Option<SourceKind>,
) -> AppResult<Choices> {
    let grants = user.grants();
    let offered = |k: SourceKind, ids: &[i64]| match rules::raises_for(grants, k) {
        None => true,
        Some(scope) => ids.iter().any(|d| scope.contains(d)),
    };
    let sources = if kind.is_some() {
        Vec::new()
    } else {
        db::source_choices(conn).await?.into_iter().filter(|c| offered(c.kind, &c.department_ids)).collect()
    };
    let kinds: Vec<SourceKind> = kind.map_or_else(|| SourceKind::ALL.to_vec(), |k| vec![k]);
    let mut departments = departments::choices(conn).await?;
    departments.retain(|d| kinds.iter().any(|k| rules::can_raise(grants, d.id, *k)));
    let mut people = people::choices(conn).await?;
    people.retain(|p| p.department_id.is_some_and(|d| departments.iter().any(|x| x.id == d)));
    Ok(Choices { sources, departments, people })
}

fn date(text: &str) -> Result<NaiveDate, FieldError> {
    match text.trim() {
        "" => Err(FieldError::Required),
        text => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| FieldError::Invalid),
    }
}

impl ItemForm {
    fn of(item: &ItemRow) -> ItemForm {
        ItemForm {
            title: item.title.clone(),
            problem: item.problem.clone(),
            source: item.source().map(|s| s.encode()).unwrap_or_default(),
            source_reference: item.source_reference.clone(),
            department_id: item.department_id.to_string(),
            owner_id: item.owner_id.to_string(),
            plan: item.plan.clone(),
            due_on: item.due_on.to_string(),
            version: item.version.to_string(),
        }
    }

    /// The source chosen among those offered, or `None` with the error recorded.
    fn source(&self, errors: &mut FormErrors, c: &Choices) -> Option<SourceRef> {
        let source = match SourceRef::parse(&self.source) {
            _ if self.source.trim().is_empty() => Err(FieldError::Required),
            Some(SourceRef::SelfAssessment) => Ok(SourceRef::SelfAssessment),
            Some(s) if c.sources.iter().any(|o| o.value == s.encode()) => Ok(s),
            _ => Err(FieldError::NotOffered),
        };
        let source = errors.check("source", source.map(Some));
        if source == Some(SourceRef::SelfAssessment) {
            errors.check("source_reference", validate::required_text(&self.source_reference, 500));
        }
        source
    }

    /// The item's fields, or `None` with the errors recorded; `kind` is the
    /// source's kind, `earliest` the first due date allowed.
    pub(crate) fn validate(
        &self,
        errors: &mut FormErrors,
        c: &Choices,
        grants: &crate::domain::roles::Grants,
        kind: Option<SourceKind>,
        earliest: NaiveDate,
    ) -> Option<ItemData> {
        let title = errors.check("title", validate::required_text(&self.title, 200));
        let problem = errors.check("problem", validate::required_text(&self.problem, 4000));
        let plan = errors.check("plan", validate::optional_text(&self.plan, 4000));
        let due_on = errors.check("due_on", date(&self.due_on).map(Some));
        if due_on.is_some_and(|d| d < earliest) {
            errors.add_message("due_on", "rectification-error-due-past");
        }
        let department = match optional_id(&self.department_id) {
            Ok(None) => Err(FieldError::Required),
            Ok(Some(id)) if c.departments.iter().any(|d| d.id == id) => Ok(id),
            _ => Err(FieldError::NotOffered),
        };
        let department_id = errors.check("department_id", department);
        if let Some(kind) = kind
            && department_id != 0
            && !rules::can_raise(grants, department_id, kind)
        {
            errors.add_message("department_id", "rectification-error-department-source");
        }
        let owner = match optional_id(&self.owner_id) {
            Ok(None) => Err(FieldError::Required),
            Ok(Some(id)) if c.people.iter().any(|p| p.id == id && p.department_id == Some(department_id)) => Ok(id),
            _ => Err(FieldError::NotOffered),
        };
        let owner_id = errors.check("owner_id", owner);
        let due_on = due_on?;
        errors.is_empty().then_some(ItemData { title, problem, department_id, owner_id, plan, due_on })
    }
}

#[derive(Template)]
#[template(path = "feedback/rectification_form.html")]
pub struct RectificationFormPage {
    pub ctx: PageContext,
    /// `None` for a new item.
    pub item_id: Option<i64>,
    pub source_label: String,
    pub form: ItemForm,
    pub errors: FormErrors,
    pub refusal: Option<&'static str>,
    pub kinds: &'static [SourceKind],
    pub choices: Choices,
}

impl RectificationFormPage {
    /// The offered sources of one kind.
    pub fn sources_of(&self, kind: &SourceKind) -> Vec<&SourceChoice> {
        self.choices.sources.iter().filter(|s| s.kind == *kind).collect()
    }
}

fn page(
    ctx: PageContext,
    item: Option<&ItemRow>,
    form: ItemForm,
    errors: FormErrors,
    c: Choices,
) -> RectificationFormPage {
    RectificationFormPage {
        ctx,
        item_id: item.map(|i| i.id),
        source_label: item.map(|i| i.source_label.clone()).unwrap_or_default(),
        form,
        errors,
        refusal: None,
        kinds: SourceKind::ALL,
        choices: c,
    }
}

/// What a source page's link may preset on the raise form: the source, as
/// the form encodes it (`?source=supervision_item:12`); ignored unless offered.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    pub source: String,
}

/// The raise form: the office, heads and the committee.
pub async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<NewQuery>,
) -> AppResult<Response> {
    policy::require_rectification_raiser(user.grants())?;
    let mut conn = state.pool.acquire().await?;
    let c = choices(&mut conn, &user, None).await?;
    let today = state.clock.today();
    let days = crate::db::settings::for_year(&mut conn, today.year()).await?.rectification_due_days;
    let due = today + Days::new(u64::try_from(days).unwrap_or(30));
    let form = ItemForm {
        department_id: user
            .principal
            .department_id
            .filter(|d| c.departments.iter().any(|x| x.id == *d))
            .map(|d| d.to_string())
            .unwrap_or_default(),
        due_on: due.to_string(),
        source: c.sources.iter().find(|o| o.value == query.source.trim()).map(|o| o.value.clone()).unwrap_or_default(),
        ..Default::default()
    };
    render(&page(ctx, None, form, FormErrors::default(), c))
}

/// Raises an item with its audit row.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> AppResult<Response> {
    policy::require_rectification_raiser(user.grants())?;
    let today = state.clock.today();
    let mut tx = state.pool.begin().await?;
    let c = choices(&mut tx, &user, None).await?;
    let mut errors = FormErrors::default();
    let source = form.source(&mut errors, &c);
    let data = form.validate(&mut errors, &c, user.grants(), source.map(|s| s.kind()), today);
    let (Some(source), Some(data)) = (source, data) else {
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(ctx, None, form, errors, c));
    };
    let id = flow::raise(&mut tx, &user.audit, &data, source, form.source_reference.trim(), today).await?;
    tx.commit().await?;
    Flash::success_named("rectification-raised-flash", &data.title).set(&session).await?;
    Ok(Redirect::to(&format!("/feedback/rectification/{id}")).into_response())
}

/// The item, readable and editable by the user.
fn require_edit(user: &CurrentUser, item: &ItemRow) -> AppResult<()> {
    if !item.status.is_open() {
        return Err(AppError::NotFound);
    }
    Ok(policy::allow(rules::can_edit(user.grants(), &item.facts(), item.status))?)
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let item = readable(&mut conn, &user, id).await?;
    require_edit(&user, &item)?;
    let c = choices(&mut conn, &user, Some(item.source_kind)).await?;
    render(&page(ctx, Some(&item), ItemForm::of(&item), FormErrors::default(), c))
}

/// Saves an item at the version the form was loaded at.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let item = readable(&mut tx, &user, id).await?;
    require_edit(&user, &item)?;
    db::lock(&mut tx, id).await?;
    let c = choices(&mut tx, &user, Some(item.source_kind)).await?;
    let mut errors = FormErrors::default();
    let Some(data) = form.validate(&mut errors, &c, user.grants(), Some(item.source_kind), item.raised_on) else {
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(ctx, Some(&item), form, errors, c));
    };
    let version: i32 = form.version.trim().parse().unwrap_or(-1);
    if !db::update(&mut tx, id, version, &data).await? {
        let mut page = page(ctx, Some(&item), form, errors, c);
        page.refusal = Some("rectification-error-stale");
        return render_with(StatusCode::CONFLICT, &page);
    }
    db::add_step(&mut tx, id, StepKind::Edited, user.id(), state.clock.today(), "").await?;
    let summary = json!({
        "before": { "title": item.title, "department_id": item.department_id, "owner_id": item.owner_id, "due_on": item.due_on },
        "after": { "title": data.title, "department_id": data.department_id, "owner_id": data.owner_id, "due_on": data.due_on },
    });
    audit::record(&mut tx, &user.audit, AuditEvent::new("rectification.edited", "rectification_item", id, summary))
        .await?;
    tx.commit().await?;
    Flash::success_named("rectification-saved", &data.title).set(&session).await?;
    Ok(Redirect::to(&format!("/feedback/rectification/{id}")).into_response())
}

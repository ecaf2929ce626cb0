//! Targets: add, edit and withdraw while the set is a draft or returned, and
//! the target page with its history and change requests.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use super::target_form::TargetForm;
use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::{self, AuditEvent};
use crate::db::people::{self, PersonChoice};
use crate::db::posts;
use crate::db::reports::{self, ReportListRow};
use crate::db::targets::{self, ChangeRow, ParentChoice, RevisionRow, SetRow, TargetData, TargetRow};
use crate::domain::plan::{self, ChangeStatus, Direction, PlanStep, TargetCategory, TargetKind};
use crate::domain::policy;
use crate::domain::validate::FieldError;
use crate::error::{AppError, AppResult};
use crate::http::forms::FormErrors;
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::workflow::plan::{StepRefusal, editable_set};

/// What the target form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormMode {
    New,
    Edit(i64),
    /// A change request for an approved target.
    Change(i64),
}

#[derive(Template)]
#[template(path = "plan/target_form.html")]
pub struct TargetFormPage {
    pub ctx: PageContext,
    pub set: SetRow,
    pub mode: FormMode,
    pub form: TargetForm,
    pub errors: FormErrors,
    pub parents: Vec<ParentChoice>,
    pub people: Vec<PersonChoice>,
    pub posts: Vec<(i64, String)>,
    pub categories: &'static [TargetCategory],
    pub directions: &'static [Direction],
    pub conflict: bool,
}

impl TargetFormPage {
    pub fn action(&self) -> String {
        match self.mode {
            FormMode::New => format!("/plan/sets/{}/targets", self.set.id),
            FormMode::Edit(id) => format!("/plan/targets/{id}"),
            FormMode::Change(id) => format!("/plan/targets/{id}/changes"),
        }
    }

    /// The text of the backup's error: the owner chosen again, or a person not offered.
    pub fn backup_message(&self) -> &'static str {
        if self.errors.of("backup_id") == FieldError::NotOffered.label_key() { "" } else { "check-owner-is-backup" }
    }
}

/// The pick lists of the target form for a set: what the form offers is all
/// it accepts.
pub struct TargetChoices {
    pub parents: Vec<ParentChoice>,
    pub people: Vec<PersonChoice>,
    pub posts: Vec<(i64, String)>,
}

impl TargetChoices {
    /// The parents of the level above in the set's cycle and department, the
    /// active people of the set's department (everyone for an office set),
    /// and the active posts of the set's department. `check` accepts only these.
    pub async fn load(conn: &mut PgConnection, set: &SetRow) -> AppResult<TargetChoices> {
        let parents = targets::parent_choices(conn, set).await?;
        let mut people = people::choices(conn).await?;
        if set.department_id.is_some() {
            people.retain(|p| p.department_id == set.department_id);
        }
        let posts = posts::list(conn)
            .await?
            .into_iter()
            .filter(|p| p.active && Some(p.department_id) == set.department_id)
            .map(|p| (p.id, p.title))
            .collect();
        Ok(TargetChoices { parents, people, posts })
    }

    /// A field error for each chosen id that the form does not offer.
    pub fn check(&self, data: &TargetData, errors: &mut FormErrors) {
        if !offered(data.parent_id, self.parents.iter().map(|p| p.id)) {
            errors.add("parent_id", FieldError::NotOffered);
        }
        if !offered(data.post_id, self.posts.iter().map(|p| p.0)) {
            errors.add("post_id", FieldError::NotOffered);
        }
        for (field, chosen) in [("owner_id", data.owner_id), ("backup_id", data.backup_id)] {
            if !offered(chosen, self.people.iter().map(|p| p.id)) {
                errors.add(field, FieldError::NotOffered);
            }
        }
    }
}

/// Whether an optional choice is none or one of the offered ids.
pub fn offered(chosen: Option<i64>, mut ids: impl Iterator<Item = i64>) -> bool {
    chosen.is_none_or(|id| ids.any(|offered| offered == id))
}

/// Builds the form page with its pick lists.
pub async fn form_page(
    state: &AppState,
    ctx: PageContext,
    set: SetRow,
    mode: FormMode,
    form: TargetForm,
    errors: FormErrors,
) -> AppResult<TargetFormPage> {
    let TargetChoices { parents, people, posts } = TargetChoices::load(&mut *state.pool.acquire().await?, &set).await?;
    Ok(TargetFormPage {
        ctx,
        set,
        mode,
        form,
        errors,
        parents,
        people,
        posts,
        categories: TargetCategory::ALL,
        directions: Direction::ALL,
        conflict: false,
    })
}

fn back_to_set(id: i64) -> Response {
    Redirect::to(&format!("/plan/sets/{id}")).into_response()
}

pub async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(set_id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let set = targets::find_set(&mut conn, set_id).await?.ok_or(AppError::NotFound)?;
    policy::require_edit_set(user.id(), user.grants(), &set.facts())?;
    if let Err(refusal) = plan::plan_transition(set.status, PlanStep::Edit, set.stage) {
        return refuse(&session, StepRefusal::Workflow(refusal), set.id).await;
    }
    // Defaults from the owner's post: the owner as A, the post's B as backup.
    let mut form =
        TargetForm { category: "routine".into(), direction: "higher_better".into(), ..TargetForm::default() };
    if let Some(owner) = set.person_id {
        form.owner_id = owner.to_string();
        if let Some((post, backup)) = targets::post_of(&mut conn, owner).await? {
            form.post_id = post.to_string();
            form.backup_id = backup.map(|b| b.to_string()).unwrap_or_default();
        }
    }
    drop(conn);
    render(&form_page(&state, ctx, set, FormMode::New, form, FormErrors::default()).await?)
}

/// Authorised by `editable_set` against the locked set (`policy::can_edit_set`).
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(set_id): Path<i64>,
    CsrfForm(form): CsrfForm<TargetForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors);
    let mut tx = state.pool.begin().await?;
    let set = match editable_set(&mut tx, &user, set_id, None).await? {
        Ok(set) => set,
        Err(refusal) => return refuse(&session, refusal, set_id).await,
    };
    TargetChoices::load(&mut tx, &set).await?.check(&data, &mut errors);
    if !errors.is_empty() {
        drop(tx);
        let page = form_page(&state, ctx, set, FormMode::New, form, errors).await?;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let id = targets::create_target(&mut tx, set_id, &data).await?;
    audit::record(&mut tx, &user.audit, AuditEvent::new("target.created", "target", id, json!({ "after": data })))
        .await?;
    tx.commit().await?;
    Flash::success_named("target-saved", &data.title).set(&session).await?;
    Ok(back_to_set(set_id))
}

async fn refuse(session: &Session, refusal: StepRefusal, set_id: i64) -> AppResult<Response> {
    Flash::error(refusal.label_key()).set(session).await?;
    Ok(back_to_set(set_id))
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let target = targets::find_target(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let set = targets::find_set(&mut conn, target.set_id).await?.ok_or(AppError::NotFound)?;
    drop(conn);
    policy::require_edit_set(user.id(), user.grants(), &set.facts())?;
    if let Err(refusal) = plan::plan_transition(set.status, PlanStep::Edit, set.stage) {
        return refuse(&session, StepRefusal::Workflow(refusal), set.id).await;
    }
    render(
        &form_page(&state, ctx, set, FormMode::Edit(id), TargetForm::from_row(&target), FormErrors::default()).await?,
    )
}

/// Authorised by `editable_set` against the locked set (`policy::can_edit_set`).
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<TargetForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors);
    let mut tx = state.pool.begin().await?;
    let before = targets::find_target(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let set = match editable_set(&mut tx, &user, before.set_id, None).await? {
        Ok(set) => set,
        Err(refusal) => return refuse(&session, refusal, before.set_id).await,
    };
    TargetChoices::load(&mut tx, &set).await?.check(&data, &mut errors);
    let saved = errors.is_empty() && targets::update_target(&mut tx, id, form.version, &data).await?;
    if !saved {
        drop(tx);
        let conflict = errors.is_empty();
        let mut page = form_page(&state, ctx, set, FormMode::Edit(id), form, errors).await?;
        page.conflict = conflict;
        let status = if conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
        return render_with(status, &page);
    }
    let summary = json!({ "before": TargetData::from_row(&before), "after": data });
    audit::record(&mut tx, &user.audit, AuditEvent::new("target.updated", "target", id, summary)).await?;
    tx.commit().await?;
    Flash::success_named("target-saved", &data.title).set(&session).await?;
    Ok(back_to_set(before.set_id))
}

#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    version: i32,
}

/// Withdraws a target of a draft or returned set.
/// Authorised by `editable_set` against the locked set (`policy::can_edit_set`).
pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<VersionForm>,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let target = targets::find_target(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if let Err(refusal) = editable_set(&mut tx, &user, target.set_id, None).await? {
        return refuse(&session, refusal, target.set_id).await;
    }
    if !targets::withdraw_target(&mut tx, id, form.version).await? {
        return refuse(&session, StepRefusal::Stale, target.set_id).await;
    }
    audit::record(
        &mut tx,
        &user.audit,
        AuditEvent::new("target.withdrawn", "target", id, json!({ "title": target.title })),
    )
    .await?;
    tx.commit().await?;
    Flash::success_named("target-withdrawn", &target.title).set(&session).await?;
    Ok(back_to_set(target.set_id))
}

#[derive(Template)]
#[template(path = "plan/target.html")]
pub struct TargetPage {
    pub ctx: PageContext,
    pub set: SetRow,
    pub target: TargetRow,
    pub issues: Vec<plan::PlanIssue>,
    pub revisions: Vec<RevisionRow>,
    pub changes: Vec<ChangeRow>,
    pub can_request_change: bool,
    pub can_decide: bool,
    pub can_edit: bool,
    /// The parents, people and posts named in the history and the requests.
    pub names: IdNames,
    pub user_id: i64,
    /// The target's progress reports, newest period first (the set's readers may read them).
    pub reports: Vec<ReportListRow>,
}

impl TargetPage {
    pub fn has_pending(&self) -> bool {
        self.changes.iter().any(|c| c.status == ChangeStatus::Pending)
    }

    /// Whether the viewer may decide the request now: a decider of the set
    /// who did not request it, while the cycle still allows changes.
    pub fn may_decide(&self, change: &ChangeRow) -> bool {
        self.can_decide
            && change.requested_by_id != self.user_id
            && plan::may_decide_change(change.status, self.set.status, self.set.stage).is_ok()
    }

    /// A pending request the viewer made on a set they decide: someone else decides it.
    pub fn own_request(&self, change: &ChangeRow) -> bool {
        self.can_decide && change.status == ChangeStatus::Pending && change.requested_by_id == self.user_id
    }
}

/// The target page: fields, checks, version history, change requests.
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let target = targets::find_target(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let set = targets::find_set(&mut conn, target.set_id).await?.ok_or(AppError::NotFound)?;
    policy::require_view_set(user.id(), user.grants(), &set.facts())?;
    let grants = user.grants();
    let may_edit = policy::can_edit_set(user.id(), grants, &set.facts());
    let (revisions, changes) = targets::history(&mut conn, id).await?;
    let current = serde_json::to_value(TargetData::from_row(&target)).map_err(anyhow::Error::from)?;
    let values = std::iter::once(&current)
        .chain(revisions.iter().flat_map(|r| [&r.old_values, &r.new_values]))
        .chain(changes.iter().map(|c| &c.proposed));
    let names = IdNames::of(&mut conn, values).await?;
    let reports = reports::of_target(&mut conn, id).await?;
    let page = TargetPage {
        reports,
        names,
        user_id: user.id(),
        issues: plan::check_target(&TargetData::from_row(&target).facts(), (set.period_start, set.period_end)),
        revisions,
        changes,
        can_request_change: may_edit && plan::may_request_change(set.status, set.stage).is_ok(),
        can_decide: policy::can_decide_set(user.id(), grants, &set.facts()),
        can_edit: may_edit && plan::plan_transition(set.status, PlanStep::Edit, set.stage).is_ok(),
        ctx,
        set,
        target,
    };
    render(&page)
}

/// One field that differs between two versions of a target.
pub struct FieldChange {
    pub label: &'static str,
    pub old: String,
    pub new: String,
}

/// The fields of a target's stored form (`TargetData` as JSON) with their labels.
const FIELD_LABELS: &[(&str, &str)] = &[
    ("title", "field-target-title"),
    ("category", "field-category"),
    ("parent_id", "field-parent"),
    ("kind", "field-target-kind"),
    ("measure", "field-measure"),
    ("target_value", "field-target-value"),
    ("unit", "field-unit"),
    ("direction", "field-direction"),
    ("baseline", "field-baseline"),
    ("weight", "field-weight"),
    ("deadline", "field-deadline"),
    ("quality_requirement", "field-quality"),
    ("assessment_method", "field-method"),
    ("evidence_required", "field-evidence"),
    ("post_id", "field-post"),
    ("owner_id", "field-owner"),
    ("backup_id", "field-backup"),
    ("sort_order", "field-sort-order"),
];

/// The names behind the ids of a target's stored forms, so that changes show
/// a parent's title, a person's name and a post's title rather than an id.
#[derive(Debug, Default)]
pub struct IdNames(HashMap<(String, i64), String>);

impl IdNames {
    /// The names of the ids in the given stored forms, in one query.
    pub async fn of<'a>(
        conn: &mut PgConnection,
        values: impl Iterator<Item = &'a serde_json::Value> + Clone,
    ) -> AppResult<IdNames> {
        let ids = |fields: &[&str]| -> Vec<i64> {
            let mut ids: Vec<i64> = values
                .clone()
                .flat_map(|v| {
                    fields.iter().filter_map(|f| v.get(*f).and_then(serde_json::Value::as_i64)).collect::<Vec<_>>()
                })
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let rows =
            targets::names_of(conn, &ids(&["parent_id"]), &ids(&["owner_id", "backup_id"]), &ids(&["post_id"])).await?;
        Ok(IdNames(rows.into_iter().map(|r| ((r.kind, r.id), r.name)).collect()))
    }

    /// The name of the id in `field`, when the field holds an id and it is known.
    fn name(&self, field: &str, id: i64) -> Option<&str> {
        let kind = match field {
            "parent_id" => "target",
            "owner_id" | "backup_id" => "person",
            "post_id" => "post",
            _ => return None,
        };
        self.0.get(&(kind.to_string(), id)).map(String::as_str)
    }
}

fn shown(value: Option<&serde_json::Value>, lang: crate::i18n::Lang, field: &str, names: &IdNames) -> String {
    match value {
        None | Some(serde_json::Value::Null) => "—".into(),
        Some(serde_json::Value::String(s)) => match field {
            "category" => TargetCategory::parse(s).map(|c| lang.t(&c.label_key())).unwrap_or_else(|| s.clone()),
            "direction" => Direction::parse(s).map(|d| lang.t(&d.label_key())).unwrap_or_else(|| s.clone()),
            "kind" => TargetKind::parse(s).map(|k| lang.t(&k.label_key())).unwrap_or_else(|| s.clone()),
            _ => s.clone(),
        },
        Some(other) => match other.as_i64().and_then(|id| names.name(field, id)) {
            Some(name) => name.to_string(),
            None => other.to_string(),
        },
    }
}

/// A field of a stored form; values stored before targets had a kind were
/// all quantitative.
fn stored<'a>(form: &'a serde_json::Value, field: &str) -> Option<&'a serde_json::Value> {
    static QUANTITATIVE: std::sync::LazyLock<serde_json::Value> =
        std::sync::LazyLock::new(|| serde_json::Value::String("quantitative".into()));
    match form.get(field) {
        None if field == "kind" && form.as_object().is_some_and(|o| !o.is_empty()) => Some(&QUANTITATIVE),
        value => value,
    }
}

/// The fields that differ between `old` and `new` (all of `new` when `old` is
/// empty), ids shown by the names in `names`.
pub fn field_changes(
    old: &serde_json::Value,
    new: &serde_json::Value,
    lang: crate::i18n::Lang,
    names: &IdNames,
) -> Vec<FieldChange> {
    FIELD_LABELS
        .iter()
        .filter(|(field, _)| stored(old, field) != stored(new, field))
        .map(|(field, label)| FieldChange {
            label,
            old: shown(old.get(field), lang, field, names),
            new: shown(new.get(field), lang, field, names),
        })
        .collect()
}

impl TargetPage {
    /// What a change request would change, against the target as it is now.
    pub fn proposal(&self, proposed: &serde_json::Value) -> Vec<FieldChange> {
        let current = serde_json::to_value(TargetData::from_row(&self.target)).unwrap_or_default();
        field_changes(&current, proposed, self.ctx.lang, &self.names)
    }

    pub fn revision(&self, revision: &RevisionRow) -> Vec<FieldChange> {
        field_changes(&revision.old_values, &revision.new_values, self.ctx.lang, &self.names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn only_changed_fields_are_listed_with_labels_in_both_languages() {
        let old = serde_json::json!({ "title": "A", "weight": "30", "category": "routine" });
        let new = serde_json::json!({ "title": "A", "weight": "40", "category": "key_work" });
        let changes = field_changes(&old, &new, Lang::ZhCn, &IdNames::default());
        let labels: Vec<&str> = changes.iter().map(|c| c.label).collect();
        assert_eq!(labels, vec!["field-category", "field-weight"]);
        assert_eq!(changes[1].old, "30");
        let names = IdNames(HashMap::from([
            (("person".to_string(), 4), "张伟".to_string()),
            (("target".to_string(), 9), "全年会务零差错".to_string()),
        ]));
        let old = serde_json::json!({ "owner_id": 4, "parent_id": null, "backup_id": 5 });
        let new = serde_json::json!({ "owner_id": 5, "parent_id": 9, "backup_id": 4 });
        let shown: Vec<(String, String)> =
            field_changes(&old, &new, Lang::ZhCn, &names).into_iter().map(|c| (c.old, c.new)).collect();
        assert_eq!(
            shown,
            vec![("—".into(), "全年会务零差错".into()), ("张伟".into(), "5".into()), ("5".into(), "张伟".into())]
        );
        for (_, label) in FIELD_LABELS {
            for lang in Lang::ALL {
                assert_ne!(lang.t(label), *label, "{lang:?} lacks {label}");
            }
        }
    }
}

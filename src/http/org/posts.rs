//! Posts (岗位): duties and A/B holders, with the warnings of the A/B system.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::CsrfForm;
use crate::auth::session::CurrentUser;
use crate::db::audit::AuditEvent;
use crate::db::departments::{self, DepartmentChoice};
use crate::db::people::{self, PersonChoice};
use crate::db::posts::{self, PostData, PostRow};
use crate::domain::org::{PostWarning, post_warnings};
use crate::domain::policy::{self, Permission};
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::admin_form::{AdminForm, Refused, Unique, Written};
use crate::http::forms::{FormErrors, optional_id, order_number};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;

/// A post with its warnings, for the list.
pub struct PostView {
    pub post: PostRow,
    pub warnings: Vec<PostWarning>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PostsQuery {
    #[serde(default)]
    pub flagged: String,
}

#[derive(Template)]
#[template(path = "org/posts.html")]
pub struct PostsPage {
    pub ctx: PageContext,
    pub posts: Vec<PostView>,
    pub flagged_only: bool,
    pub flagged_count: usize,
    pub can_edit: bool,
    /// Whether the viewer may open today's A/B cover page.
    pub can_watch_cover: bool,
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<PostsQuery>,
) -> AppResult<Response> {
    // The organisation's readers see every post, a head the posts of the departments they head.
    let scope = policy::require_posts_reader(user.grants())?;
    let rows = posts::list(&mut *state.pool.acquire().await?).await?;
    let flagged_only = query.flagged == "1";
    let all: Vec<PostView> = rows
        .into_iter()
        .filter(|p| scope.as_ref().is_none_or(|ids| ids.contains(&p.department_id)))
        .map(|post| PostView { warnings: post_warnings(post.a_holder_id, post.b_holder_id), post })
        .collect();
    let flagged_count = all.iter().filter(|p| p.post.active && !p.warnings.is_empty()).count();
    let posts = all.into_iter().filter(|p| !flagged_only || (p.post.active && !p.warnings.is_empty())).collect();
    let can_edit = user.may(Permission::ManageOrganisation);
    let can_watch_cover = crate::domain::absences::watches_cover(&user.principal.grants).is_some();
    render(&PostsPage { ctx, posts, flagged_only, flagged_count, can_edit, can_watch_cover })
}

/// The post form as typed; duties one per line.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PostForm {
    #[serde(default)]
    pub department_id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub duties: String,
    #[serde(default)]
    pub a_holder_id: String,
    #[serde(default)]
    pub b_holder_id: String,
    #[serde(default)]
    pub sort_order: String,
    #[serde(default)]
    pub active: Option<String>,
    #[serde(default)]
    pub version: i32,
}

impl PostForm {
    fn from_row(row: &PostRow) -> PostForm {
        let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        PostForm {
            department_id: row.department_id.to_string(),
            title: row.title.clone(),
            duties: row.duties.join("\n"),
            a_holder_id: id(row.a_holder_id),
            b_holder_id: id(row.b_holder_id),
            sort_order: row.sort_order.to_string(),
            active: row.active.then(|| "on".into()),
            version: row.version,
        }
    }

    fn validate(&self, errors: &mut FormErrors) -> PostData {
        let department_id = errors.check("department_id", optional_id(&self.department_id));
        if department_id.is_none() && !errors.has("department_id") {
            errors.add("department_id", FieldError::Required);
        }
        let duties: Vec<String> =
            self.duties.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
        if duties.iter().any(|d| d.chars().count() > 200) {
            errors.add("duties", FieldError::TooLong);
        }
        let a_holder_id = errors.check("a_holder_id", optional_id(&self.a_holder_id));
        let b_holder_id = errors.check("b_holder_id", optional_id(&self.b_holder_id));
        if a_holder_id.is_some() && a_holder_id == b_holder_id {
            errors.add_message("b_holder_id", "error-same-holder");
        }
        PostData {
            department_id: department_id.unwrap_or_default(),
            title: errors.check("title", validate::required_text(&self.title, 60)),
            duties,
            a_holder_id,
            b_holder_id,
            sort_order: errors.check("sort_order", order_number(&self.sort_order)),
            active: self.active.is_some(),
        }
    }
}

/// Whether `person` is an A/B choice for a post of `department` (`None`:
/// not chosen yet, everyone): the department's people, and the post's
/// present holders (`kept`), so an edit never loses them.
fn offers_holder(department: Option<i64>, kept: &[i64], person: &PersonChoice) -> bool {
    department.is_none_or(|d| person.department_id == Some(d)) || kept.contains(&person.id)
}

impl PostForm {
    /// Refuses a department or holder the form does not offer (422, input kept).
    fn check_choices(
        &self,
        errors: &mut FormErrors,
        data: &PostData,
        departments: &[DepartmentChoice],
        people: &[PersonChoice],
        kept: &[i64],
    ) {
        if !errors.has("department_id") && !departments.iter().any(|d| d.id == data.department_id) {
            errors.add("department_id", FieldError::NotOffered);
        }
        let department = Some(data.department_id);
        for (field, holder) in [("a_holder_id", data.a_holder_id), ("b_holder_id", data.b_holder_id)] {
            let offered = |id| people.iter().any(|p| p.id == id && offers_holder(department, kept, p));
            if holder.is_some_and(|id| !offered(id)) {
                errors.add(field, FieldError::NotOffered);
            }
        }
    }
}

#[derive(Template)]
#[template(path = "org/post_form.html")]
pub struct PostFormPage {
    pub ctx: PageContext,
    pub id: Option<i64>,
    pub form: PostForm,
    pub errors: FormErrors,
    pub departments: Vec<DepartmentChoice>,
    pub people: Vec<PersonChoice>,
    /// The post's present holders, offered even when of another department.
    pub kept: Vec<i64>,
    pub conflict: bool,
}

impl PostFormPage {
    /// Whether the person is offered as A or B for the department chosen.
    pub fn offers_holder(&self, person: &PersonChoice) -> bool {
        offers_holder(optional_id(&self.form.department_id).ok().flatten(), &self.kept, person)
    }
}

/// The departments, the people and the post's present holders the form offers.
async fn form_choices(
    conn: &mut PgConnection,
    id: Option<i64>,
) -> AppResult<(Vec<DepartmentChoice>, Vec<PersonChoice>, Vec<i64>)> {
    let departments = departments::choices(conn).await?;
    let people = people::choices(conn).await?;
    let kept = match id {
        Some(id) => {
            posts::find(conn, id).await?.map(|p| [p.a_holder_id, p.b_holder_id].into_iter().flatten().collect())
        }
        None => None,
    };
    Ok((departments, people, kept.unwrap_or_default()))
}

async fn form_page(
    state: &AppState,
    ctx: PageContext,
    id: Option<i64>,
    form: PostForm,
    errors: FormErrors,
    conflict: bool,
) -> AppResult<PostFormPage> {
    let (departments, people, kept) = form_choices(&mut *state.pool.acquire().await?, id).await?;
    Ok(PostFormPage { ctx, id, form, errors, departments, people, kept, conflict })
}

/// The form again with the refusal's status and errors.
async fn shown_again(
    state: &AppState,
    ctx: PageContext,
    id: Option<i64>,
    form: PostForm,
    refused: Refused,
) -> AppResult<Response> {
    let (status, errors, conflict) = refused.parts();
    render_with(status, &form_page(state, ctx, id, form, errors, conflict).await?)
}

/// The title is unique among posts.
const UNIQUE: Unique = Some(("post_title_unique", "title"));

pub async fn new_form(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    user.require(Permission::ManageOrganisation)?;
    let form = PostForm { active: Some("on".into()), ..Default::default() };
    render(&form_page(&state, ctx, None, form, FormErrors::default(), false).await?)
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<PostForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageOrganisation)?;
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors);
    let (departments, people, kept) = form_choices(&mut *state.pool.acquire().await?, None).await?;
    form.check_choices(&mut errors, &data, &departments, &people, &kept);
    let write = async |tx: &mut PgConnection| {
        let id = posts::create(tx, &data, state.clock.today()).await?;
        Ok(Written::saved(id, AuditEvent::new("post.created", "post", id, json!({ "after": summary(&data) }))))
    };
    let flash = Flash::success_named("post-saved", &data.title);
    let admin = AdminForm { state: &state, user: &user, session: &session };
    match admin.save(errors, UNIQUE, write, flash, |_| "/org/posts".into()).await? {
        Ok(done) => Ok(done),
        Err(refused) => shown_again(&state, ctx, None, form, refused).await,
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ManageOrganisation)?;
    let row = posts::find(&mut *state.pool.acquire().await?, id).await?.ok_or(AppError::NotFound)?;
    render(&form_page(&state, ctx, Some(id), PostForm::from_row(&row), FormErrors::default(), false).await?)
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<PostForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageOrganisation)?;
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors);
    let (departments, people, kept) = form_choices(&mut *state.pool.acquire().await?, Some(id)).await?;
    form.check_choices(&mut errors, &data, &departments, &people, &kept);
    let write = async |tx: &mut PgConnection| {
        let Some(before) = posts::find(tx, id).await? else { return Ok(Written::Missing) };
        if !posts::update(tx, id, form.version, &data, state.clock.today()).await? {
            return Ok(Written::Stale);
        }
        let before = PostForm::from_row(&before).validate(&mut FormErrors::default());
        let summary = json!({ "before": summary(&before), "after": summary(&data) });
        Ok(Written::saved(id, AuditEvent::new("post.updated", "post", id, summary)))
    };
    let flash = Flash::success_named("post-saved", &data.title);
    let admin = AdminForm { state: &state, user: &user, session: &session };
    match admin.save(errors, UNIQUE, write, flash, |_| "/org/posts".into()).await? {
        Ok(done) => Ok(done),
        Err(refused) => shown_again(&state, ctx, Some(id), form, refused).await,
    }
}

fn summary(data: &PostData) -> serde_json::Value {
    json!({
        "department_id": data.department_id, "title": data.title, "duties": data.duties,
        "a_holder_id": data.a_holder_id, "b_holder_id": data.b_holder_id, "active": data.active,
    })
}

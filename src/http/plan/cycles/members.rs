//! After a cycle leaves planning its participants are frozen; the
//! performance office adds or removes one person at a time (a transfer in or
//! out), each change audited on the cycle.

use super::stages::cycle_page;
use super::*;

/// The person to add or remove, as one of the ids the cycle page offered.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    pub person: String,
}

/// Adds an active staff member to a frozen cycle.
pub async fn add_member(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageCycles)?;
    change_member(state, user, session, ctx, id, form, true).await
}

/// Removes a participant from a frozen cycle.
pub async fn remove_member(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageCycles)?;
    change_member(state, user, session, ctx, id, form, false).await
}

/// One transaction: lock the cycle, check the person was offered, write, audit.
async fn change_member(
    state: AppState,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    id: i64,
    form: MemberForm,
    add: bool,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let cycle = cycles::find_for_update(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let person: Option<i64> = form.person.trim().parse().ok();
    let offered = if !cycles::participants_frozen(&mut tx, id).await? {
        None
    } else if add {
        let choices = cycles::member_choices(&mut tx, id).await?;
        person.and_then(|p| choices.into_iter().find(|c| c.id == p).map(|c| (p, c.full_name)))
    } else {
        let members = cycles::participants(&mut tx, id).await?;
        person.and_then(|p| members.into_iter().find(|m| m.person_id == p).map(|m| (p, m.full_name)))
    };
    let Some((person_id, name)) = offered else {
        let mut page = cycle_page(&mut tx, ctx, cycle, String::new(), false).await?;
        page.member_error = Some("cycle-member-not-offered");
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let (action, key) = if add {
        cycles::add_member(&mut tx, id, person_id).await?;
        ("cycle.member_added", "cycle-member-added")
    } else {
        cycles::remove_member(&mut tx, id, person_id).await?;
        ("cycle.member_removed", "cycle-member-removed")
    };
    let summary = json!({ "person_id": person_id, "person": name });
    audit::record(&mut tx, &user.audit, AuditEvent::new(action, "cycle", id, summary)).await?;
    tx.commit().await?;
    Flash::success_named(key, name).set(&session).await?;
    Ok(Redirect::to(&format!("/cycles/{id}#participants")).into_response())
}

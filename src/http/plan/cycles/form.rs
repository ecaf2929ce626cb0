//! Assessment cycles: the form to create or edit a cycle.

use super::*;

#[derive(Template)]
#[template(path = "plan/cycle_form.html")]
pub struct CycleFormPage {
    pub ctx: PageContext,
    /// None for a new cycle.
    pub id: Option<i64>,
    pub form: CycleForm,
    pub errors: FormErrors,
    pub kinds: &'static [CycleKind],
    pub frequencies: &'static [ReportFrequency],
    pub choices: Choices,
    /// Participants change only while the cycle is in planning.
    pub participants_editable: bool,
    pub conflict: bool,
}

fn form_page(
    ctx: PageContext,
    id: Option<i64>,
    form: CycleForm,
    errors: FormErrors,
    choices: Choices,
) -> CycleFormPage {
    CycleFormPage {
        ctx,
        id,
        form,
        errors,
        kinds: CycleKind::ALL,
        frequencies: ReportFrequency::ALL,
        choices,
        participants_editable: true,
        conflict: false,
    }
}

pub async fn new_form(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    user.require(Permission::ManageCycles)?;
    let year = state.clock.today().year();
    let mut conn = state.pool.acquire().await?;
    let settings = crate::db::settings::for_year(&mut conn, year).await?;
    let dates = default_annual_dates(year, &settings).ok_or(AppError::BadRequest)?;
    let form = CycleForm {
        name: ctx.t_name("cycle-default-name", &year.to_string()),
        kind: CycleKind::Annual.code().into(),
        report_frequency: ReportFrequency::Monthly.code().into(),
        participants: "all".into(),
        ..CycleForm::from_dates(&dates)
    };
    let choices = choices(&mut conn).await?;
    render(&form_page(ctx, None, form, FormErrors::default(), choices))
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<CycleForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageCycles)?;
    let choices = choices(&mut *state.pool.acquire().await?).await?;
    let mut errors = FormErrors::default();
    let Some(data) = form.validate(&choices, &mut errors) else {
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &form_page(ctx, None, form, errors, choices));
    };
    let write = async |tx: &mut PgConnection| {
        let id = cycles::create(tx, &data).await?;
        Ok(Written::saved(id, AuditEvent::new("cycle.created", "cycle", id, json!({ "after": summary(&data) }))))
    };
    let flash = Flash::success_named("cycle-saved", &data.name);
    let admin = AdminForm { state: &state, user: &user, session: &session };
    match admin.save(errors, UNIQUE, write, flash, |id| format!("/cycles/{id}")).await? {
        Ok(done) => Ok(done),
        Err(refused) => {
            let (status, errors, _) = refused.parts();
            render_with(status, &form_page(ctx, None, form, errors, choices))
        }
    }
}

/// The name is unique among cycles.
const UNIQUE: Unique = Some(("cycle_name_unique", "name"));

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ManageCycles)?;
    let mut conn = state.pool.acquire().await?;
    let row = cycles::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let chosen = cycles::chosen(&mut conn, id).await?;
    let page = CycleFormPage {
        participants_editable: row.stage == CycleStage::Planning,
        ..form_page(ctx, Some(id), CycleForm::from_row(&row, &chosen), FormErrors::default(), choices(&mut conn).await?)
    };
    render(&page)
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    Path(id): Path<i64>,
    CsrfForm(mut form): CsrfForm<CycleForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageCycles)?;
    let mut conn = state.pool.acquire().await?;
    let before = cycles::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let chosen = cycles::chosen(&mut conn, id).await?;
    let editable = before.stage == CycleStage::Planning;
    if !editable {
        form.keep_participants(before.all_participants, &chosen);
    }
    let choices = choices(&mut conn).await?;
    drop(conn);
    let mut errors = FormErrors::default();
    let page = |form, errors, choices, conflict| CycleFormPage {
        participants_editable: editable,
        conflict,
        ..form_page(ctx, Some(id), form, errors, choices)
    };
    let Some(data) = form.validate(&choices, &mut errors) else {
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(form, errors, choices, false));
    };
    let write = async |tx: &mut PgConnection| {
        if cycles::update(tx, id, form.version, &data).await?.is_none() {
            return Ok(Written::Stale);
        }
        let before =
            json!({ "cycle": row_summary(&before), "departments": chosen.departments, "people": chosen.people });
        let summary = json!({ "before": before, "after": summary(&data) });
        Ok(Written::saved(id, AuditEvent::new("cycle.updated", "cycle", id, summary)))
    };
    let flash = Flash::success_named("cycle-saved", &data.name);
    let admin = AdminForm { state: &state, user: &user, session: &session };
    match admin.save(errors, UNIQUE, write, flash, |id| format!("/cycles/{id}")).await? {
        Ok(done) => Ok(done),
        Err(refused) => {
            let (status, errors, conflict) = refused.parts();
            render_with(status, &page(form, errors, choices, conflict))
        }
    }
}

fn summary(data: &CycleData) -> serde_json::Value {
    json!({
        "name": data.name, "kind": data.kind.code(),
        "period": [data.period_start, data.period_end],
        "stage_dates": [data.planning_until, data.implementation_until, data.assessment_until, data.feedback_until],
        "report_frequency": data.report_frequency.code(), "all_participants": data.all_participants,
        "departments": data.departments, "people": data.people,
    })
}

fn row_summary(row: &CycleRow) -> serde_json::Value {
    json!({
        "name": row.name, "kind": row.kind.code(), "stage": row.stage.code(),
        "period": [row.period_start, row.period_end],
        "stage_dates": [row.planning_until, row.implementation_until, row.assessment_until, row.feedback_until],
        "report_frequency": row.report_frequency.code(), "all_participants": row.all_participants,
    })
}

//! Absences and A/B cover (AB角工作制): the list of absences, recording one,
//! withdrawing one, and today's cover of every post (B 角顶岗, 空岗).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;
use tower_sessions::Session;

use crate::auth::csrf::{CsrfChecked, CsrfForm};
use crate::auth::session::CurrentUser;
use crate::db::absences::{self, AbsenceData, AbsenceRow, AwayRow, ListFilter, ListScope, PostCoverRow};
use crate::db::audit::{self, AuditEvent};
use crate::db::departments::{self, DepartmentChoice};
use crate::db::people::PersonChoice;
use crate::db::settings;
use crate::domain::absences::{self as rules, When, YearAway};
use crate::domain::monitor::{AbsenceKind, Cover, LeaveKind};
use crate::domain::policy;
use crate::domain::validate::{self, FieldError};
use crate::error::{AppError, AppResult};
use crate::http::export::xlsx_download;
use crate::http::forms::{FormErrors, optional_id};
use crate::http::pages::{Flash, PageContext, render, render_with};
use crate::state::AppState;
use crate::xlsx::{Cell, Sheet};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub department: String,
    /// `current`, `upcoming`, `past`, `withdrawn`, or empty for every active absence.
    #[serde(default)]
    pub when: String,
}

#[derive(Template)]
#[template(path = "monitor/absences.html")]
pub struct AbsencesPage {
    pub ctx: PageContext,
    pub rows: Vec<AbsenceRow>,
    pub query: ListQuery,
    /// The departments the viewer may filter by (empty: only their own absences).
    pub departments: Vec<DepartmentChoice>,
    pub whens: [When; 3],
    pub today: NaiveDate,
    pub can_record: bool,
    pub can_watch_cover: bool,
    /// The viewer's grants, to offer "withdraw" on the rows they may withdraw.
    pub grants: crate::domain::roles::Grants,
}

impl AbsencesPage {
    /// The locale key of where the absence lies today.
    pub fn when_key(&self, row: &AbsenceRow) -> String {
        When::of(row.from_date, row.to_date, self.today).label_key()
    }

    pub fn can_withdraw(&self, row: &AbsenceRow) -> bool {
        row.active && rules::can_record(&self.grants, row.department_id)
    }
}

/// The list: any signed-in person; each sees the absences they may see
/// (everyone's for the office and the administrator, their departments'
/// for heads, their own for everyone).
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let grants = user.principal.grants.clone();
    let today = state.clock.today();
    let mut conn = state.pool.acquire().await?;
    let (rows, records_for) = load_list(&mut conn, &user, &query, today).await?;
    let mut departments = departments::choices(&mut conn).await?;
    departments.retain(|d| records_for.as_ref().is_none_or(|ids| ids.contains(&d.id)));
    let page = AbsencesPage {
        can_record: rules::records_any(&grants),
        can_watch_cover: rules::watches_cover(&grants).is_some(),
        whens: When::ALL,
        ctx,
        rows,
        query,
        departments,
        today,
        grants,
    };
    render(&page)
}

pub(crate) const LIST_HEADERS: [&str; 8] = [
    "absence-field-person",
    "field-department",
    "absence-field-kind",
    "absence-field-from",
    "absence-field-to",
    "absence-field-when",
    "absence-field-note",
    "absence-field-recorded-by",
];

/// `GET /absences.xlsx`: the absences of the list with the same filters.
pub async fn list_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let today = state.clock.today();
    let (rows, _) = load_list(&mut *state.pool.acquire().await?, &user, &query, today).await?;
    let now = state.clock.now();
    let mut sheet = Sheet::new(ctx.sheet_head("absences-title", None, &LIST_HEADERS, false, now));
    for row in rows {
        let mut kind = ctx.t(row.kind.label_key().as_str());
        if let Some(leave) = row.leave_kind {
            kind = format!("{kind} · {}", ctx.t(leave.label_key().as_str()));
        }
        let when = if row.active {
            When::of(row.from_date, row.to_date, today).label_key()
        } else {
            "absence-when-withdrawn".into()
        };
        sheet.push(vec![
            row.person_name.into(),
            row.department_name.into(),
            kind.into(),
            row.from_date.into(),
            row.to_date.into(),
            ctx.t(&when).into(),
            row.note.into(),
            row.recorded_by_name.into(),
        ]);
    }
    xlsx_download(sheet, "absences", now).await
}

/// The absences the viewer may see, filtered as the query asks, and whose
/// absences those are (`None`: everyone's; the viewer's own always).
async fn load_list(
    conn: &mut PgConnection,
    user: &CurrentUser,
    query: &ListQuery,
    today: NaiveDate,
) -> AppResult<(Vec<AbsenceRow>, Option<Vec<i64>>)> {
    // Auditors read everyone's absences; they record and withdraw none (can_record).
    let records_for = policy::absence_reader_scope(user.grants());
    let scope = ListScope {
        all: records_for.is_none(),
        departments: records_for.clone().unwrap_or_default(),
        person_id: user.id(),
    };
    let filter = ListFilter {
        department_id: query.department.parse().ok(),
        when: When::parse(&query.when),
        withdrawn: query.when == "withdrawn",
    };
    Ok((absences::list(conn, &scope, &filter, today).await?, records_for))
}

/// The absence form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AbsenceForm {
    #[serde(default)]
    pub person_id: String,
    #[serde(default)]
    pub kind: String,
    /// The kind of leave; read only when `kind` is leave.
    #[serde(default)]
    pub leave_kind: String,
    #[serde(default)]
    pub from_date: String,
    #[serde(default)]
    pub to_date: String,
    #[serde(default)]
    pub note: String,
}

fn date(text: &str) -> Result<Option<NaiveDate>, FieldError> {
    match text.trim() {
        "" => Err(FieldError::Required),
        text => NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| FieldError::Invalid),
    }
}

impl AbsenceForm {
    /// The absence to save, or `None` with the errors recorded. Whether the
    /// person may be chosen is checked against the database afterwards.
    fn validate(&self, errors: &mut FormErrors) -> Option<AbsenceData> {
        let person = optional_id(&self.person_id).and_then(|id| id.map(Some).ok_or(FieldError::Required));
        let person_id = errors.check("person_id", person);
        let kind = errors.check("kind", AbsenceKind::parse(&self.kind).map(Some).ok_or(FieldError::Required));
        // A leave names its kind (what it counts for at assessment, docs/DOMAIN.md §3.3).
        let leave_kind = match kind {
            Some(AbsenceKind::Leave) => {
                errors.check("leave_kind", LeaveKind::parse(&self.leave_kind).map(Some).ok_or(FieldError::Required))
            }
            _ => None,
        };
        let from_date = errors.check("from_date", date(&self.from_date));
        let to_date = errors.check("to_date", date(&self.to_date));
        let note = errors.check("note", validate::optional_text(&self.note, 500));
        if let (Some(from), Some(to)) = (from_date, to_date)
            && from > to
        {
            errors.add("to_date", FieldError::Invalid);
        }
        let data = AbsenceData {
            person_id: person_id?,
            kind: kind?,
            leave_kind,
            from_date: from_date?,
            to_date: to_date?,
            note,
        };
        errors.is_empty().then_some(data)
    }
}

#[derive(Template)]
#[template(path = "monitor/absence_form.html")]
pub struct AbsenceFormPage {
    pub ctx: PageContext,
    pub form: AbsenceForm,
    pub errors: FormErrors,
    pub people: Vec<PersonChoice>,
    pub kinds: &'static [AbsenceKind],
    pub leave_kinds: &'static [LeaveKind],
    /// The active absence the entered period overlaps, shown beside the dates.
    pub overlap: Option<(NaiveDate, NaiveDate)>,
}

impl AbsenceFormPage {
    pub fn overlap_text(&self) -> String {
        self.overlap.map(|(from, to)| format!("{from} – {to}")).unwrap_or_default()
    }

    /// Whether both dates parse and the period ends before it starts.
    pub fn ends_before_start(&self) -> bool {
        matches!((date(&self.form.from_date), date(&self.form.to_date)), (Ok(Some(from)), Ok(Some(to))) if from > to)
    }
}

fn form_page(ctx: PageContext, form: AbsenceForm, errors: FormErrors, people: Vec<PersonChoice>) -> AbsenceFormPage {
    AbsenceFormPage { ctx, form, errors, people, kinds: AbsenceKind::ALL, leave_kinds: LeaveKind::ALL, overlap: None }
}

pub async fn new_form(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let scope = policy::require_absence_recorder(user.grants())?;
    let people = absences::person_choices(&mut *state.pool.acquire().await?, scope.as_deref()).await?;
    let today = state.clock.today().to_string();
    let form = AbsenceForm { from_date: today.clone(), to_date: today, ..Default::default() };
    render(&form_page(ctx, form, FormErrors::default(), people))
}

/// Checks the chosen person inside the transaction (row locked): Forbidden
/// outside the viewer's departments, a field error for an unknown or inactive
/// person, and the overlapping active absence if there is one.
async fn check_person(
    conn: &mut PgConnection,
    user: &CurrentUser,
    data: &AbsenceData,
    errors: &mut FormErrors,
) -> AppResult<Option<(NaiveDate, NaiveDate)>> {
    match absences::lock_person(conn, data.person_id).await? {
        Some(p) if !rules::can_record(user.grants(), p.department_id) => Err(AppError::Forbidden),
        Some(p) if p.active => {
            let overlap = absences::overlapping(conn, data.person_id, data.from_date, data.to_date).await?;
            if overlap.is_some() {
                errors.add("from_date", FieldError::Taken);
            }
            Ok(overlap)
        }
        _ => {
            errors.add("person_id", FieldError::Invalid);
            Ok(None)
        }
    }
}

/// Records an absence: 422 with the input kept for bad dates or an overlap.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    ctx: PageContext,
    CsrfForm(form): CsrfForm<AbsenceForm>,
) -> AppResult<Response> {
    let scope = policy::require_absence_recorder(user.grants())?;
    let mut tx = state.pool.begin().await?;
    let people = absences::person_choices(&mut tx, scope.as_deref()).await?;
    let mut errors = FormErrors::default();
    let data = form.validate(&mut errors);
    let overlap = match &data {
        Some(data) => check_person(&mut tx, &user, data, &mut errors).await?,
        None => None,
    };
    let Some(data) = data.filter(|_| errors.is_empty()) else {
        let page = AbsenceFormPage { overlap, ..form_page(ctx, form, errors, people) };
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let id = absences::create(&mut tx, &data, user.id()).await?;
    let summary = json!({
        "person_id": data.person_id, "kind": data.kind.code(), "leave_kind": data.leave_kind.map(|k| k.code()),
        "from_date": data.from_date,
        "to_date": data.to_date, "note": data.note,
    });
    audit::record(&mut tx, &user.audit, AuditEvent::new("absence.created", "absence", id, summary)).await?;
    tx.commit().await?;
    let name = people.iter().find(|p| p.id == data.person_id).map(|p| p.full_name.clone()).unwrap_or_default();
    Flash::success_named("absence-saved", name).set(&session).await?;
    Ok(Redirect::to("/absences").into_response())
}

/// Withdraws an absence (the correction of a wrong entry is withdraw and enter again).
pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    _: CsrfChecked,
) -> AppResult<Response> {
    let mut tx = state.pool.begin().await?;
    let absence = absences::lock(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    policy::require_record_absence_in(user.grants(), absence.department_id)?;
    if !absences::withdraw(&mut tx, id).await? {
        Flash::error("absence-already-withdrawn").set(&session).await?;
        return Ok(Redirect::to("/absences?when=withdrawn").into_response());
    }
    let summary = json!({
        "person_id": absence.person_id, "kind": absence.kind.code(),
        "from_date": absence.from_date, "to_date": absence.to_date,
    });
    audit::record(&mut tx, &user.audit, AuditEvent::new("absence.withdrawn", "absence", id, summary)).await?;
    tx.commit().await?;
    Flash::success_named("absence-withdrawn", absence.person_name).set(&session).await?;
    Ok(Redirect::to("/absences").into_response())
}

#[derive(Template)]
#[template(path = "monitor/absence_cover.html")]
pub struct CoverPage {
    pub ctx: PageContext,
    pub posts: Vec<PostCoverRow>,
    /// Everyone in the viewer's departments away today.
    pub away: Vec<AwayRow>,
    pub today: NaiveDate,
    pub covered_by_b: i64,
    pub vacant: i64,
}

impl CoverPage {
    /// The locale key of the post's state today.
    pub fn state_key(&self, post: &PostCoverRow) -> &'static str {
        cover_state_key(post)
    }

    /// The badge class of the post's state: red for 空岗.
    pub fn state_class(&self, post: &PostCoverRow) -> &'static str {
        match post.cover() {
            Cover::Holder => "badge badge-ok",
            Cover::Backup => "badge badge-warn",
            Cover::Vacant if post.is_vacant() => "badge badge-danger",
            Cover::Vacant => "badge",
        }
    }

    pub fn code(&self, post: &PostCoverRow) -> &'static str {
        match post.cover() {
            Cover::Holder => "holder",
            Cover::Backup => "backup",
            Cover::Vacant if post.is_vacant() => "vacant",
            Cover::Vacant => "unstaffed",
        }
    }
}

/// Today's cover of every post the viewer watches: heads their departments,
/// the performance office and the administrator every post.
pub async fn cover(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let today = state.clock.today();
    let (posts, away) = load_cover(&state, &user, today).await?;
    let covered_by_b = posts.iter().filter(|p| p.cover() == Cover::Backup).count() as i64;
    let vacant = posts.iter().filter(|p| p.is_vacant()).count() as i64;
    render(&CoverPage { ctx, posts, away, today, covered_by_b, vacant })
}

/// The posts' columns of the cover page; A's and B's absence split into its
/// kind and last day.
pub(crate) const COVER_HEADERS: [&str; 9] = [
    "field-department",
    "field-post",
    "cover-a",
    "cover-a-away",
    "cover-a-away-until",
    "cover-b",
    "cover-b-away",
    "cover-b-away-until",
    "cover-state",
];

/// `GET /absences/cover.xlsx`: today's cover of the posts the page lists.
pub async fn cover_xlsx(State(state): State<AppState>, user: CurrentUser, ctx: PageContext) -> AppResult<Response> {
    let today = state.clock.today();
    let (posts, _) = load_cover(&state, &user, today).await?;
    let now = state.clock.now();
    let mut sheet = Sheet::new(ctx.sheet_head("cover-title", Some(&today.to_string()), &COVER_HEADERS, false, now));
    let kind = |kind: Option<AbsenceKind>| Cell::from(kind.map(|k| ctx.t(k.label_key().as_str())));
    for post in posts {
        let state = cover_state_key(&post);
        sheet.push(vec![
            post.department_name.into(),
            post.title.into(),
            post.a_name.into(),
            kind(post.a_away_kind),
            post.a_away_until.into(),
            post.b_name.into(),
            kind(post.b_away_kind),
            post.b_away_until.into(),
            ctx.t(state).into(),
        ]);
    }
    xlsx_download(sheet, "ab-cover", now).await
}

/// The posts the viewer watches with their cover today, and everyone of
/// those departments away today.
async fn load_cover(
    state: &AppState,
    user: &CurrentUser,
    today: NaiveDate,
) -> AppResult<(Vec<PostCoverRow>, Vec<AwayRow>)> {
    let departments = policy::require_cover_watcher(user.grants())?;
    let mut conn = state.pool.acquire().await?;
    let posts = absences::current_cover(&mut conn, departments.as_deref(), today).await?;
    let away = absences::away_on(&mut conn, today, departments.as_deref()).await?;
    Ok((posts, away))
}

/// The locale key of a post's state today.
fn cover_state_key(post: &PostCoverRow) -> &'static str {
    match post.cover() {
        Cover::Holder => "cover-holder",
        Cover::Backup => "cover-backup",
        Cover::Vacant if post.is_vacant() => "cover-vacant",
        Cover::Vacant => "cover-unstaffed",
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    pub year: String,
}

/// One person's days away in a year.
#[derive(Debug, Clone)]
pub struct YearRow {
    pub person_id: i64,
    pub person_name: String,
    pub department_name: Option<String>,
    pub away: YearAway,
    /// Sick and personal leave over the year's share: no grade this year.
    pub no_grade: bool,
}

#[derive(Template)]
#[template(path = "monitor/absence_year.html")]
pub struct YearPage {
    pub ctx: PageContext,
    pub year: i32,
    pub rows: Vec<YearRow>,
    pub leave_kinds: &'static [LeaveKind],
    /// The share of the year (%) sick and personal leave may not exceed.
    pub no_grade_percent: i64,
}

/// Days away per person in a year, by kind of leave and absence, with those
/// whose sick and personal leave leave the year without a grade flagged.
/// The same readers as the list, each for the same people.
pub async fn year_totals(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<YearQuery>,
) -> AppResult<Response> {
    let (year, rows, no_grade_percent) = load_year(&state, &user, &query).await?;
    render(&YearPage { ctx, year, rows, leave_kinds: LeaveKind::ALL, no_grade_percent })
}

/// `GET /absences/year.xlsx`: the year's days away per person, as the page
/// lists them for the same year.
pub async fn year_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<YearQuery>,
) -> AppResult<Response> {
    let (year, rows, _) = load_year(&state, &user, &query).await?;
    let now = state.clock.now();
    let kinds: Vec<String> = LeaveKind::ALL.iter().map(|k| k.label_key()).collect();
    let mut headers = vec!["absence-field-person", "field-department"];
    headers.extend(kinds.iter().map(String::as_str));
    headers.extend(["absence-secondment", "absence-temporary-post", "absence-training", "absence-year-assessment"]);
    let mut sheet = Sheet::new(ctx.sheet_head("absence-year-title", Some(&year.to_string()), &headers, false, now));
    for row in rows {
        let mut cells: Vec<Cell> = vec![row.person_name.into(), row.department_name.into()];
        cells.extend(LeaveKind::ALL.iter().map(|k| Cell::Int(row.away.leave_of(*k))));
        cells.extend([row.away.secondment, row.away.temporary_post, row.away.training].map(Cell::Int));
        cells.push(if row.no_grade { ctx.t("absence-year-no-grade").into() } else { Cell::Empty });
        sheet.push(cells);
    }
    xlsx_download(sheet, "absences-year", now).await
}

/// The year the query names (this year by default), each person's days away
/// in it among those the viewer may see, and the share of the year (%) sick
/// and personal leave may not exceed.
async fn load_year(state: &AppState, user: &CurrentUser, query: &YearQuery) -> AppResult<(i32, Vec<YearRow>, i64)> {
    let records_for = policy::absence_reader_scope(user.grants());
    let scope =
        ListScope { all: records_for.is_none(), departments: records_for.unwrap_or_default(), person_id: user.id() };
    let year =
        query.year.trim().parse().ok().filter(|y| (2000..=2100).contains(y)).unwrap_or(state.clock.today().year());
    let mut conn = state.pool.acquire().await?;
    let no_grade_percent = i64::from(settings::for_year(&mut conn, year).await?.leave_no_grade_percent);
    let mut rows: Vec<YearRow> = Vec::new();
    for day in absences::year_days(&mut conn, &scope, year).await? {
        if rows.last().is_none_or(|r| r.person_id != day.person_id) {
            rows.push(YearRow {
                person_id: day.person_id,
                person_name: day.person_name,
                department_name: day.department_name,
                away: YearAway::default(),
                no_grade: false,
            });
        }
        if let Some(row) = rows.last_mut() {
            row.away.add(day.kind, day.leave_kind, day.days);
        }
    }
    for row in &mut rows {
        row.no_grade = rules::exceeds_share_of_year(row.away.sick_and_personal(), year, no_grade_percent as i32);
    }
    Ok((year, rows, no_grade_percent))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_cover_state_has_a_name_in_both_languages() {
        for key in ["cover-holder", "cover-backup", "cover-vacant", "cover-unstaffed"] {
            for lang in Lang::ALL {
                assert_ne!(lang.t(key), key, "{lang:?} lacks {key}");
            }
        }
    }

    #[test]
    fn a_period_ending_before_it_starts_is_refused_beside_the_end_date() {
        let form = AbsenceForm {
            person_id: "3".into(),
            kind: "leave".into(),
            leave_kind: "sick".into(),
            from_date: "2026-05-10".into(),
            to_date: "2026-05-09".into(),
            note: String::new(),
        };
        let mut errors = FormErrors::default();
        assert!(form.validate(&mut errors).is_none());
        assert_eq!(errors.of("to_date"), "error-invalid");
        let mut errors = FormErrors::default();
        let bad = AbsenceForm { from_date: "2026-13-01".into(), kind: String::new(), ..form };
        assert!(bad.validate(&mut errors).is_none());
        assert_eq!(errors.of("from_date"), "error-invalid");
        assert_eq!(errors.of("kind"), "error-required");
    }
}

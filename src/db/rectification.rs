//! Rectification items (整改, docs/DOMAIN.md §19.5): the items with their
//! sources, their steps, the choices of the raise form, the to-do counts, the
//! figures of the feedback board and a person's items for their history.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::domain::rectification::{ItemFacts, RectificationStatus, SourceKind, SourceRef, StepKind};

/// An item with the names around it, for the list and its page.
#[derive(Debug, Clone)]
pub struct ItemRow {
    pub id: i64,
    pub title: String,
    pub problem: String,
    pub source_kind: SourceKind,
    pub source_cycle_id: Option<i64>,
    pub source_person_id: Option<i64>,
    pub source_decision_id: Option<i64>,
    pub source_department_id: Option<i64>,
    pub source_survey_id: Option<i64>,
    pub source_supervision_id: Option<i64>,
    pub source_objection_id: Option<i64>,
    pub source_reference: String,
    /// The source in words: a cycle and person, a year and department, a survey's title …
    pub source_label: String,
    pub department_id: i64,
    pub department_name: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub plan: String,
    pub due_on: NaiveDate,
    pub status: RectificationStatus,
    pub raised_by: i64,
    pub raised_by_name: String,
    pub raised_on: NaiveDate,
    pub closed_by_name: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub carried_target_id: Option<i64>,
    pub carried_target_title: Option<String>,
    pub carried_cycle_name: Option<String>,
    pub version: i32,
}

impl ItemRow {
    pub fn facts(&self) -> ItemFacts {
        ItemFacts {
            department_id: self.department_id,
            owner_id: self.owner_id,
            raised_by: self.raised_by,
            source_kind: self.source_kind,
        }
    }

    /// The source as the form encodes it.
    pub fn source(&self) -> Option<SourceRef> {
        match self.source_kind {
            SourceKind::AssessmentResult => {
                Some(SourceRef::AssessmentResult { cycle_id: self.source_cycle_id?, person_id: self.source_person_id? })
            }
            SourceKind::DepartmentResult => Some(SourceRef::DepartmentResult {
                decision_id: self.source_decision_id?,
                department_id: self.source_department_id?,
            }),
            SourceKind::Survey => self.source_survey_id.map(SourceRef::Survey),
            SourceKind::SupervisionItem => self.source_supervision_id.map(SourceRef::SupervisionItem),
            SourceKind::PublicityObjection => self.source_objection_id.map(SourceRef::PublicityObjection),
            SourceKind::SelfAssessment => Some(SourceRef::SelfAssessment),
        }
    }
}

/// Who reads which items: all, or those of some departments and those the
/// person owns or raised.
#[derive(Debug, Clone)]
pub struct ItemScope {
    pub all: bool,
    pub departments: Vec<i64>,
    pub person_id: i64,
}

/// What the list asks for.
#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    pub status: Option<RectificationStatus>,
    pub department_id: Option<i64>,
    pub source_kind: Option<SourceKind>,
    /// Only items not closed and past their due date on `today`.
    pub overdue_only: bool,
    /// Only the person's own items.
    pub mine: bool,
    /// Only this item.
    pub id: Option<i64>,
}

/// The items of the filter the scope may read: the nearest due date first.
pub async fn list(
    conn: &mut PgConnection,
    scope: &ItemScope,
    filter: &ItemFilter,
    today: NaiveDate,
) -> Result<Vec<ItemRow>, sqlx::Error> {
    sqlx::query_as!(
        ItemRow,
        r#"select i.id, i.title, i.problem, i.source_kind as "source_kind: SourceKind",
                  i.source_cycle_id, i.source_person_id, i.source_decision_id, i.source_department_id,
                  i.source_survey_id, i.source_supervision_id, i.source_objection_id, i.source_reference,
                  (case i.source_kind
                       when 'assessment_result' then (select c.name || ' · ' || p.full_name from cycle c, person p
                                                      where c.id = i.source_cycle_id and p.id = i.source_person_id)
                       when 'department_result' then (select dd.year::text || ' · ' || sd.name
                                                      from department_decision dd, department sd
                                                      where dd.id = i.source_decision_id and sd.id = i.source_department_id)
                       when 'survey' then (select s.title from survey s where s.id = i.source_survey_id)
                       when 'supervision_item' then (select si.title from supervision_item si where si.id = i.source_supervision_id)
                       when 'publicity_objection' then (select c.name || ' · ' || p.full_name
                                                        from publicity_objection o join cycle c on c.id = o.cycle_id
                                                        join person p on p.id = o.person_id where o.id = i.source_objection_id)
                       else i.source_reference end) as "source_label!",
                  i.department_id, d.name as department_name, i.owner_id, o.full_name as owner_name,
                  i.plan, i.due_on as "due_on: NaiveDate", i.status as "status: RectificationStatus",
                  i.raised_by, r.full_name as raised_by_name, i.raised_on as "raised_on: NaiveDate",
                  cb.full_name as "closed_by_name?", i.closed_on as "closed_on: NaiveDate",
                  i.carried_target_id, t.title as "carried_target_title?", tc.name as "carried_cycle_name?",
                  i.version
           from rectification_item i
           join department d on d.id = i.department_id
           join person o on o.id = i.owner_id
           join person r on r.id = i.raised_by
           left join person cb on cb.id = i.closed_by
           left join target t on t.id = i.carried_target_id
           left join target_set ts on ts.id = t.set_id
           left join cycle tc on tc.id = ts.cycle_id
           where ($1 or i.department_id = any($2) or i.owner_id = $3 or i.raised_by = $3)
                 and ($4::rectification_status is null or i.status = $4)
                 and ($5::bigint is null or i.department_id = $5)
                 and ($6::rectification_source is null or i.source_kind = $6)
                 and (not $7 or (i.status <> 'closed' and i.due_on < $8))
                 and (not $9 or i.owner_id = $3)
                 and ($10::bigint is null or i.id = $10)
           order by (i.status = 'closed'), i.due_on, i.id"#,
        scope.all,
        &scope.departments,
        scope.person_id,
        filter.status as Option<RectificationStatus>,
        filter.department_id,
        filter.source_kind as Option<SourceKind>,
        filter.overdue_only,
        today as _,
        filter.mine,
        filter.id,
    )
    .fetch_all(conn)
    .await
}

/// One item, or `None`.
pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<ItemRow>, sqlx::Error> {
    let scope = ItemScope { all: true, departments: Vec::new(), person_id: 0 };
    let filter = ItemFilter { id: Some(id), ..ItemFilter::default() };
    // `today` only narrows the overdue filter, which is off here.
    Ok(list(conn, &scope, &filter, NaiveDate::default()).await?.pop())
}

/// Locks an item for a step; its version and status.
pub async fn lock(conn: &mut PgConnection, id: i64) -> Result<Option<(i32, RectificationStatus)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select version, status as "status: RectificationStatus" from rectification_item where id = $1 for update"#,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.version, r.status)))
}

/// Open, overdue and closed items per department, of those the scope reads.
#[derive(Debug, Clone)]
pub struct DepartmentCount {
    pub department_id: i64,
    pub department_name: String,
    pub open: i64,
    pub overdue: i64,
    pub closed: i64,
}

pub async fn department_counts(
    conn: &mut PgConnection,
    scope: &ItemScope,
    today: NaiveDate,
) -> Result<Vec<DepartmentCount>, sqlx::Error> {
    sqlx::query_as!(
        DepartmentCount,
        r#"select d.id as department_id, d.name as department_name,
                  count(*) filter (where i.status <> 'closed') as "open!",
                  count(*) filter (where i.status <> 'closed' and i.due_on < $4) as "overdue!",
                  count(*) filter (where i.status = 'closed') as "closed!"
           from rectification_item i join department d on d.id = i.department_id
           where ($1 or i.department_id = any($2) or i.owner_id = $3 or i.raised_by = $3)
           group by d.id, d.name, d.sort_order
           order by d.sort_order, d.name"#,
        scope.all,
        &scope.departments,
        scope.person_id,
        today as _
    )
    .fetch_all(conn)
    .await
}

/// What the raise and edit forms save (the source is fixed once raised).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemData {
    pub title: String,
    pub problem: String,
    pub department_id: i64,
    pub owner_id: i64,
    pub plan: String,
    pub due_on: NaiveDate,
}

/// Raises an item from `source` (with its `reference` for the
/// self-assessment) and keeps the step; its id.
pub async fn create(
    conn: &mut PgConnection,
    data: &ItemData,
    source: SourceRef,
    reference: &str,
    raised_by: i64,
    today: NaiveDate,
) -> Result<i64, sqlx::Error> {
    let (mut cycle, mut person, mut decision, mut department) = (None, None, None, None);
    let (mut survey, mut supervision, mut objection) = (None, None, None);
    match source {
        SourceRef::AssessmentResult { cycle_id, person_id } => (cycle, person) = (Some(cycle_id), Some(person_id)),
        SourceRef::DepartmentResult { decision_id, department_id } => {
            (decision, department) = (Some(decision_id), Some(department_id));
        }
        SourceRef::Survey(id) => survey = Some(id),
        SourceRef::SupervisionItem(id) => supervision = Some(id),
        SourceRef::PublicityObjection(id) => objection = Some(id),
        SourceRef::SelfAssessment => {}
    }
    let reference = if source == SourceRef::SelfAssessment { reference } else { "" };
    let id = sqlx::query_scalar!(
        "insert into rectification_item (title, problem, source_kind, source_cycle_id, source_person_id,
             source_decision_id, source_department_id, source_survey_id, source_supervision_id, source_objection_id,
             source_reference, department_id, owner_id, plan, due_on, raised_by, raised_on)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) returning id",
        data.title,
        data.problem,
        source.kind() as SourceKind,
        cycle,
        person,
        decision,
        department,
        survey,
        supervision,
        objection,
        reference,
        data.department_id,
        data.owner_id,
        data.plan,
        data.due_on as _,
        raised_by,
        today as _
    )
    .fetch_one(&mut *conn)
    .await?;
    add_step(conn, id, StepKind::Raised, raised_by, today, "").await?;
    Ok(id)
}

/// Saves an item's fields if it is still at `version`; false when it moved.
pub async fn update(conn: &mut PgConnection, id: i64, version: i32, data: &ItemData) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update rectification_item set title = $3, problem = $4, department_id = $5, owner_id = $6, plan = $7,
                due_on = $8, version = version + 1
         where id = $1 and version = $2 and status <> 'closed'",
        id,
        version,
        data.title,
        data.problem,
        data.department_id,
        data.owner_id,
        data.plan,
        data.due_on as _
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Keeps a step on the item's time line; its id.
pub async fn add_step(
    conn: &mut PgConnection,
    item_id: i64,
    kind: StepKind,
    actor_id: i64,
    day: NaiveDate,
    note: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into rectification_step (item_id, kind, actor_id, on_day, note) values ($1, $2, $3, $4, $5) returning id",
        item_id,
        kind as StepKind,
        actor_id,
        day as _,
        note
    )
    .fetch_one(conn)
    .await
}

/// Moves an item to `to` if it is still at `version`: a close-out records
/// `closed` (who, the office day), any other move clears it.
pub async fn set_status(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    to: RectificationStatus,
    closed: Option<(i64, NaiveDate)>,
) -> Result<bool, sqlx::Error> {
    let (closed_by, closed_on) = (closed.map(|c| c.0), closed.map(|c| c.1));
    let result = sqlx::query!(
        "update rectification_item set status = $3, closed_by = $4, closed_on = $5,
                closed_at = case when $4::bigint is null then null else now() end, version = version + 1
         where id = $1 and version = $2",
        id,
        version,
        to as RectificationStatus,
        closed_by,
        closed_on as _
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// A step as the item's page shows it.
#[derive(Debug, Clone)]
pub struct StepRow {
    pub id: i64,
    pub kind: StepKind,
    pub actor_name: String,
    pub on_day: NaiveDate,
    pub at: DateTime<Utc>,
    pub note: String,
}

/// The item's steps, oldest first.
pub async fn steps(conn: &mut PgConnection, item_id: i64) -> Result<Vec<StepRow>, sqlx::Error> {
    sqlx::query_as!(
        StepRow,
        r#"select s.id, s.kind as "kind: StepKind", p.full_name as actor_name, s.on_day as "on_day: NaiveDate",
                  s.at as "at: DateTime<Utc>", s.note
           from rectification_step s join person p on p.id = s.actor_id
           where s.item_id = $1 order by s.id"#,
        item_id
    )
    .fetch_all(conn)
    .await
}

/// The item a step belongs to.
pub async fn item_of_step(conn: &mut PgConnection, step_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!("select item_id from rectification_step where id = $1", step_id).fetch_optional(conn).await
}

/// A source the raise form offers: its encoded value, its words, and the
/// departments it concerns (for scoping).
#[derive(Debug, Clone)]
pub struct SourceChoice {
    pub kind: SourceKind,
    pub value: String,
    pub label: String,
    pub department_ids: Vec<i64>,
}

/// Every source row an item may be raised from, newest first within each
/// kind: decided assessment results, department results, surveys,
/// supervision items and publicity objections.
pub async fn source_choices(conn: &mut PgConnection) -> Result<Vec<SourceChoice>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select kind as "kind!", a as "a!", b, label as "label!", department_ids as "department_ids!" from (
               select 1 as k, 'assessment_result' as kind, r.cycle_id as a, r.person_id as b,
                      c.name || ' · ' || p.full_name as label,
                      coalesce(array_remove(array[r.department_id], null), '{}') as department_ids,
                      c.period_end as sort_day, p.full_name as sort_name
               from assessment_result r join cycle c on c.id = r.cycle_id join person p on p.id = r.person_id
               union all
               select 2, 'department_result', r.decision_id, r.department_id, dd.year::text || ' · ' || d.name,
                      array[r.department_id], make_date(dd.year, 12, 31), d.name
               from department_result r join department_decision dd on dd.id = r.decision_id
               join department d on d.id = r.department_id
               union all
               select 3, 'survey', s.id, null, s.title,
                      coalesce(array(select distinct si.department_id from survey_item si where si.survey_id = s.id), '{}'),
                      make_date(s.year, 12, 31), s.title
               from survey s
               union all
               select 4, 'supervision_item', si.id, null, si.title, array[si.department_id], si.due_date, si.title
               from supervision_item si
               union all
               select 5, 'publicity_objection', o.id, null, c.name || ' · ' || p.full_name,
                      coalesce(array_remove(array[r.department_id], null), '{}'), c.period_end, p.full_name
               from publicity_objection o join cycle c on c.id = o.cycle_id join person p on p.id = o.person_id
               left join assessment_result r on r.cycle_id = o.cycle_id and r.person_id = o.person_id
           ) x order by k, sort_day desc, sort_name, a, b"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let kind = SourceKind::parse(&r.kind)?;
            let value = match r.b {
                Some(b) => format!("{}:{}:{b}", kind.code(), r.a),
                None => format!("{}:{}", kind.code(), r.a),
            };
            Some(SourceChoice { kind, value, label: r.label, department_ids: r.department_ids })
        })
        .collect())
}

/// The to-dos of rectification on the home page (docs/DOMAIN.md §12, §19.5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TodoCounts {
    /// The person's own items with them (open, in progress, reopened) past their due date …
    pub overdue: i64,
    /// … and not yet due.
    pub open: i64,
    /// Items submitted for verification that the person verifies (never their own).
    pub to_verify: i64,
}

/// The counts for `person_id`, who verifies every department's items
/// (`verifies_all`) or those of `verifies` (departments headed).
pub async fn todo_counts(
    conn: &mut PgConnection,
    person_id: i64,
    verifies_all: bool,
    verifies: &[i64],
    today: NaiveDate,
) -> Result<TodoCounts, sqlx::Error> {
    let row = sqlx::query!(
        r#"select count(*) filter (where owner_id = $1 and status in ('open', 'in_progress', 'reopened') and due_on < $4) as "overdue!",
                  count(*) filter (where owner_id = $1 and status in ('open', 'in_progress', 'reopened') and due_on >= $4) as "open!",
                  count(*) filter (where status = 'submitted' and owner_id <> $1 and ($2 or department_id = any($3))) as "to_verify!"
           from rectification_item
           where status <> 'closed' and (owner_id = $1 or (status = 'submitted' and ($2 or department_id = any($3))))"#,
        person_id,
        verifies_all,
        verifies,
        today as _
    )
    .fetch_one(conn)
    .await?;
    Ok(TodoCounts { overdue: row.overdue, open: row.open, to_verify: row.to_verify })
}

/// How timely rectification was for the items due in a year (for the
/// feedback board): closed on or before the due date, closed after it, and
/// not closed though past it on `today`; `open_not_due` are the rest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timeliness {
    pub department_id: Option<i64>,
    pub closed_in_time: i64,
    pub closed_late: i64,
    pub open_overdue: i64,
    pub open_not_due: i64,
}

impl Timeliness {
    /// Items counted: every item due in the year.
    pub fn total(&self) -> i64 {
        self.closed_in_time + self.closed_late + self.open_overdue + self.open_not_due
    }

    /// Adds another department's counts (the office's total).
    pub fn add(&mut self, other: &Timeliness) {
        self.closed_in_time += other.closed_in_time;
        self.closed_late += other.closed_late;
        self.open_overdue += other.open_overdue;
        self.open_not_due += other.open_not_due;
    }
}

/// The office's figures for the items due in `year`, as of `today`.
pub async fn timeliness(conn: &mut PgConnection, year: i32, today: NaiveDate) -> Result<Timeliness, sqlx::Error> {
    let all = timeliness_by_department(conn, year, today).await?;
    Ok(all.iter().fold(Timeliness::default(), |sum, t| Timeliness {
        department_id: None,
        closed_in_time: sum.closed_in_time + t.closed_in_time,
        closed_late: sum.closed_late + t.closed_late,
        open_overdue: sum.open_overdue + t.open_overdue,
        open_not_due: sum.open_not_due + t.open_not_due,
    }))
}

/// The same figures per owner department (departments without items due in the year left out).
pub async fn timeliness_by_department(
    conn: &mut PgConnection,
    year: i32,
    today: NaiveDate,
) -> Result<Vec<Timeliness>, sqlx::Error> {
    sqlx::query_as!(
        Timeliness,
        r#"select department_id as "department_id?",
                  count(*) filter (where status = 'closed' and closed_on <= due_on) as "closed_in_time!",
                  count(*) filter (where status = 'closed' and closed_on > due_on) as "closed_late!",
                  count(*) filter (where status <> 'closed' and due_on < $2) as "open_overdue!",
                  count(*) filter (where status <> 'closed' and due_on >= $2) as "open_not_due!"
           from rectification_item
           where due_on between make_date($1, 1, 1) and make_date($1, 12, 31)
           group by department_id order by department_id"#,
        year,
        today as _
    )
    .fetch_all(conn)
    .await
}

/// An item in a person's history: one they own, or one raised from their
/// own assessment result or an objection about it.
#[derive(Debug, Clone)]
pub struct PersonItemRow {
    pub id: i64,
    pub title: String,
    pub source_kind: SourceKind,
    pub department_name: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub due_on: NaiveDate,
    pub status: RectificationStatus,
    pub raised_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub carried_target_id: Option<i64>,
}

impl PersonItemRow {
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        crate::domain::rectification::is_overdue(self.status, self.due_on, today)
    }

    pub fn closed_on_time(&self) -> bool {
        crate::domain::rectification::closed_on_time(self.due_on, self.closed_on)
    }
}

/// Every item of a person's history, newest first.
pub async fn of_person(conn: &mut PgConnection, person_id: i64) -> Result<Vec<PersonItemRow>, sqlx::Error> {
    sqlx::query_as!(
        PersonItemRow,
        r#"select i.id, i.title, i.source_kind as "source_kind: SourceKind", d.name as department_name,
                  i.owner_id, o.full_name as owner_name, i.due_on as "due_on: NaiveDate",
                  i.status as "status: RectificationStatus", i.raised_on as "raised_on: NaiveDate",
                  i.closed_on as "closed_on: NaiveDate", i.carried_target_id
           from rectification_item i
           join department d on d.id = i.department_id
           join person o on o.id = i.owner_id
           where i.owner_id = $1 or i.source_person_id = $1
              or i.source_objection_id in (select id from publicity_objection where person_id = $1)
           order by i.raised_on desc, i.id desc"#,
        person_id
    )
    .fetch_all(conn)
    .await
}

/// An annual cycle in planning, which open items may be carried into.
#[derive(Debug, Clone)]
pub struct CycleChoice {
    pub id: i64,
    pub name: String,
    pub period_end: NaiveDate,
}

pub async fn carry_cycles(conn: &mut PgConnection) -> Result<Vec<CycleChoice>, sqlx::Error> {
    sqlx::query_as!(
        CycleChoice,
        r#"select id, name, period_end as "period_end: NaiveDate" from cycle
           where kind = 'annual' and stage = 'planning' order by period_start, id"#
    )
    .fetch_all(conn)
    .await
}

/// An open item not yet carried into targets, locked for carrying.
#[derive(Debug, Clone)]
pub struct CarryRow {
    pub id: i64,
    pub title: String,
    pub problem: String,
    pub plan: String,
    pub owner_id: i64,
    pub version: i32,
}

/// The open items of the departments (`None`: all) not yet carried, locked.
pub async fn open_uncarried(
    conn: &mut PgConnection,
    departments: Option<&[i64]>,
) -> Result<Vec<CarryRow>, sqlx::Error> {
    sqlx::query_as!(
        CarryRow,
        "select id, title, problem, plan, owner_id, version from rectification_item
         where status <> 'closed' and carried_target_id is null
           and ($1::bigint[] is null or department_id = any($1))
         order by id for update",
        departments
    )
    .fetch_all(conn)
    .await
}

/// Links an item to the target it was carried into (once: only an item not yet carried).
pub async fn set_carried(conn: &mut PgConnection, id: i64, target_id: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update rectification_item set carried_target_id = $2, version = version + 1
         where id = $1 and carried_target_id is null",
        id,
        target_id
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// A person named the way the demo's data files name people: a username,
/// or "department/post" for the post's A holder; (id, name, department).
pub async fn person_by_reference(
    conn: &mut PgConnection,
    reference: &str,
) -> Result<Option<(i64, String, Option<i64>)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select id as "id!", full_name as "full_name!", department_id from (
               select p.id, p.full_name, p.department_id, 1 as k from person p where p.username = $1
               union all
               select p.id, p.full_name, p.department_id, 2 from post t
               join department d on d.id = t.department_id join person p on p.id = t.a_holder_id
               where d.name || '/' || t.title = $1
           ) x order by k limit 1"#,
        reference
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.id, r.full_name, r.department_id)))
}

/// The source row the demo's data files name: a department's result of a
/// year, a survey or a supervision item by title, a person's result in a
/// cycle by name.
pub async fn department_result_of(
    conn: &mut PgConnection,
    year: i32,
    department: &str,
) -> Result<Option<SourceRef>, sqlx::Error> {
    let row = sqlx::query!(
        "select r.decision_id, r.department_id from department_result r
         join department_decision dd on dd.id = r.decision_id join department d on d.id = r.department_id
         where dd.year = $1 and d.name = $2",
        year,
        department
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| SourceRef::DepartmentResult { decision_id: r.decision_id, department_id: r.department_id }))
}

pub async fn survey_titled(conn: &mut PgConnection, title: &str) -> Result<Option<SourceRef>, sqlx::Error> {
    let id = sqlx::query_scalar!("select id from survey where title = $1 order by id limit 1", title)
        .fetch_optional(conn)
        .await?;
    Ok(id.map(SourceRef::Survey))
}

pub async fn supervision_titled(conn: &mut PgConnection, title: &str) -> Result<Option<SourceRef>, sqlx::Error> {
    let id = sqlx::query_scalar!("select id from supervision_item where title = $1 order by id limit 1", title)
        .fetch_optional(conn)
        .await?;
    Ok(id.map(SourceRef::SupervisionItem))
}

pub async fn assessment_result_of(
    conn: &mut PgConnection,
    cycle: &str,
    person_id: i64,
) -> Result<Option<SourceRef>, sqlx::Error> {
    let row = sqlx::query!(
        "select r.cycle_id, r.person_id from assessment_result r join cycle c on c.id = r.cycle_id
         where c.name = $1 and r.person_id = $2",
        cycle,
        person_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| SourceRef::AssessmentResult { cycle_id: r.cycle_id, person_id: r.person_id }))
}

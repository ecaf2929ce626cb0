//! Supervision items (督办事项), their steps and their three-colour slips.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::domain::monitor::{ItemTimeline, SlipColour, SupervisionSource, SupervisionStatus, red_slip_source_key};
use crate::domain::plan::ReportFrequency;
use crate::domain::supervision::{ItemFacts, periodic_report_missing};

/// An item with the names around it, for the list and the detail page.
#[derive(Debug, Clone)]
pub struct ItemRow {
    pub id: i64,
    pub title: String,
    pub content: String,
    pub source: SupervisionSource,
    pub department_id: i64,
    pub department_name: String,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    /// The B who covers for the assignee today (A/B cover), if the assignee is away.
    pub covering_id: Option<i64>,
    pub opened_by_name: String,
    pub due_date: NaiveDate,
    pub report_frequency: ReportFrequency,
    pub status: SupervisionStatus,
    pub return_count: i32,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The colour of the item's latest slip, if any was issued.
    pub latest_slip: Option<SlipColour>,
    pub unanswered_slips: i64,
    /// The leader's instruction (批示) the item rests on: its document number
    /// (文号), who instructed and when; empty when there is none.
    pub instruction_doc_no: String,
    pub instructed_by: String,
    pub instructed_on: Option<NaiveDate>,
    /// The office day the item was registered on.
    pub registered_on: NaiveDate,
    /// The day of the latest progress report (进展报告), if any was posted.
    pub latest_progress_on: Option<NaiveDate>,
    /// The target the item serves, if one was linked.
    pub target_id: Option<i64>,
    pub target_title: Option<String>,
    /// When its latest step was taken or slip answered.
    pub last_update: Option<DateTime<Utc>>,
    /// The co-operating departments (协办), in the office's order.
    pub co_department_ids: Vec<i64>,
    pub co_department_names: Vec<String>,
    /// The people the item's slips are charged to.
    pub slip_charged_ids: Vec<i64>,
}

/// The office day of a time.
fn office_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&crate::clock::OFFICE_TZ).date_naive()
}

impl ItemRow {
    pub fn facts(&self) -> ItemFacts<'_> {
        ItemFacts {
            department_id: self.department_id,
            assignee_id: self.assignee_id,
            covering_id: self.covering_id,
            co_department_ids: &self.co_department_ids,
            charged_ids: &self.slip_charged_ids,
        }
    }

    /// What its colour is judged on (docs/DOMAIN.md §8.4).
    pub fn timeline(&self) -> ItemTimeline {
        ItemTimeline {
            status: self.status,
            opened: office_day(self.created_at),
            due: self.due_date,
            return_count: self.return_count,
            last_update: self.last_update.map(office_day),
            frequency: self.report_frequency,
        }
    }

    /// Whether the item is still being worked on (slips are issued for it).
    pub fn is_open(&self) -> bool {
        !matches!(self.status, SupervisionStatus::Verified | SupervisionStatus::Closed)
    }

    /// Whether the progress report of the last finished period is missing on `today`.
    pub fn progress_missing(&self, today: NaiveDate) -> bool {
        periodic_report_missing(self.status, self.report_frequency, self.registered_on, self.latest_progress_on, today)
    }
}

/// Which items a person sees in the list: every item, or those some
/// departments lead or co-operate in and those assigned (or a slip charged) to the person.
#[derive(Debug, Clone, Default)]
pub struct ItemScope {
    pub all: bool,
    pub departments: Vec<i64>,
    pub person_id: i64,
}

/// The list filters; `None` does not filter.
#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    pub status: Option<SupervisionStatus>,
    pub department_id: Option<i64>,
}

/// Items in scope, open ones first, soonest due first.
pub async fn list(
    conn: &mut PgConnection,
    scope: &ItemScope,
    filter: &ItemFilter,
    today: NaiveDate,
) -> Result<Vec<ItemRow>, sqlx::Error> {
    sqlx::query_as!(
        ItemRow,
        r#"select i.id, i.title, i.content, i.source as "source: SupervisionSource", i.department_id,
                  d.name as department_name, i.assignee_id, a.full_name as "assignee_name?",
                  covering_backup(i.assignee_id, $6) as covering_id, o.full_name as opened_by_name,
                  i.due_date as "due_date: NaiveDate", i.report_frequency as "report_frequency: ReportFrequency",
                  i.status as "status: SupervisionStatus", i.return_count, i.version,
                  i.created_at as "created_at: DateTime<Utc>", i.closed_at as "closed_at: DateTime<Utc>",
                  (select s.colour from supervision_slip s where s.item_id = i.id
                   order by s.issued_on desc, s.id desc limit 1) as "latest_slip?: SlipColour",
                  (select count(*) from supervision_slip s where s.item_id = i.id and s.answered_at is null) as "unanswered_slips!",
                  greatest((select max(e.at) from supervision_event e where e.item_id = i.id),
                           (select max(s.answered_at) from supervision_slip s where s.item_id = i.id))
                    as "last_update?: DateTime<Utc>",
                  i.instruction_doc_no, i.instructed_by, i.instructed_on as "instructed_on: NaiveDate",
                  i.registered_on as "registered_on: NaiveDate",
                  (select max(p.posted_on) from supervision_progress p where p.item_id = i.id) as "latest_progress_on?: NaiveDate",
                  i.target_id, t.title as "target_title?",
                  array(select c.department_id from supervision_co_department c join department cd on cd.id = c.department_id
                        where c.item_id = i.id order by cd.sort_order, cd.name) as "co_department_ids!",
                  array(select cd.name from supervision_co_department c join department cd on cd.id = c.department_id
                        where c.item_id = i.id order by cd.sort_order, cd.name) as "co_department_names!",
                  array(select distinct s.charged_to from supervision_slip s
                        where s.item_id = i.id and s.charged_to is not null) as "slip_charged_ids!"
           from supervision_item i
           join department d on d.id = i.department_id
           left join target t on t.id = i.target_id
           left join person a on a.id = i.assignee_id
           join person o on o.id = i.opened_by
           where ($1 or i.department_id = any($2) or i.assignee_id = $3 or covering_backup(i.assignee_id, $6) = $3
                  or exists (select 1 from supervision_co_department c where c.item_id = i.id and c.department_id = any($2))
                  or exists (select 1 from supervision_slip s where s.item_id = i.id and s.charged_to = $3))
             and ($4::supervision_status is null or i.status = $4)
             and ($5::bigint is null or i.department_id = $5
                  or exists (select 1 from supervision_co_department c where c.item_id = i.id and c.department_id = $5))
           order by i.status in ('verified', 'closed'), i.due_date, i.id"#,
        scope.all,
        &scope.departments,
        scope.person_id,
        filter.status as Option<SupervisionStatus>,
        filter.department_id,
        today as _,
    )
    .fetch_all(conn)
    .await
}

/// The item with the B who covers its assignee on `today`.
pub async fn find(conn: &mut PgConnection, id: i64, today: NaiveDate) -> Result<Option<ItemRow>, sqlx::Error> {
    sqlx::query_as!(
        ItemRow,
        r#"select i.id, i.title, i.content, i.source as "source: SupervisionSource", i.department_id,
                  d.name as department_name, i.assignee_id, a.full_name as "assignee_name?",
                  covering_backup(i.assignee_id, $2) as covering_id, o.full_name as opened_by_name,
                  i.due_date as "due_date: NaiveDate", i.report_frequency as "report_frequency: ReportFrequency",
                  i.status as "status: SupervisionStatus", i.return_count, i.version,
                  i.created_at as "created_at: DateTime<Utc>", i.closed_at as "closed_at: DateTime<Utc>",
                  (select s.colour from supervision_slip s where s.item_id = i.id
                   order by s.issued_on desc, s.id desc limit 1) as "latest_slip?: SlipColour",
                  (select count(*) from supervision_slip s where s.item_id = i.id and s.answered_at is null) as "unanswered_slips!",
                  greatest((select max(e.at) from supervision_event e where e.item_id = i.id),
                           (select max(s.answered_at) from supervision_slip s where s.item_id = i.id))
                    as "last_update?: DateTime<Utc>",
                  i.instruction_doc_no, i.instructed_by, i.instructed_on as "instructed_on: NaiveDate",
                  i.registered_on as "registered_on: NaiveDate",
                  (select max(p.posted_on) from supervision_progress p where p.item_id = i.id) as "latest_progress_on?: NaiveDate",
                  i.target_id, t.title as "target_title?",
                  array(select c.department_id from supervision_co_department c join department cd on cd.id = c.department_id
                        where c.item_id = i.id order by cd.sort_order, cd.name) as "co_department_ids!",
                  array(select cd.name from supervision_co_department c join department cd on cd.id = c.department_id
                        where c.item_id = i.id order by cd.sort_order, cd.name) as "co_department_names!",
                  array(select distinct s.charged_to from supervision_slip s
                        where s.item_id = i.id and s.charged_to is not null) as "slip_charged_ids!"
           from supervision_item i
           join department d on d.id = i.department_id
           left join target t on t.id = i.target_id
           left join person a on a.id = i.assignee_id
           join person o on o.id = i.opened_by
           where i.id = $1"#,
        id,
        today as _
    )
    .fetch_optional(conn)
    .await
}

/// What the form opens an item with.
#[derive(Debug, Clone)]
pub struct ItemData {
    pub title: String,
    pub content: String,
    pub source: SupervisionSource,
    pub department_id: i64,
    /// The co-operating departments (协办), never the lead one.
    pub co_department_ids: Vec<i64>,
    pub assignee_id: Option<i64>,
    pub due_date: NaiveDate,
    pub report_frequency: ReportFrequency,
    pub instruction_doc_no: String,
    pub instructed_by: String,
    pub instructed_on: Option<NaiveDate>,
    pub target_id: Option<i64>,
}

/// A target an item may serve: an approved, active target of a department
/// (its own or one of its people's) in a cycle that is not closed.
#[derive(Debug, Clone)]
pub struct TargetChoice {
    pub id: i64,
    pub department_id: i64,
    pub department_name: String,
    pub cycle_name: String,
    pub title: String,
}

/// The targets items may serve, of the departments in `scope` (`None`: all).
pub async fn target_choices(conn: &mut PgConnection, scope: Option<&[i64]>) -> Result<Vec<TargetChoice>, sqlx::Error> {
    sqlx::query_as!(
        TargetChoice,
        r#"select t.id, d.id as department_id, d.name as department_name, c.name as cycle_name, t.title
           from target t
           join target_set s on s.id = t.set_id
           join cycle c on c.id = s.cycle_id
           join department d on d.id = s.department_id
           where t.active and s.status = 'approved' and c.stage <> 'closed'
             and ($1::bigint[] is null or s.department_id = any($1))
           order by d.sort_order, d.name, c.period_start desc, t.id"#,
        scope
    )
    .fetch_all(conn)
    .await
}

/// Opens an item in status registered on `today`, with its co-operating
/// departments; its id.
pub async fn create(
    conn: &mut PgConnection,
    data: &ItemData,
    opened_by: i64,
    today: NaiveDate,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "insert into supervision_item (title, content, source, department_id, assignee_id, opened_by, due_date, report_frequency,
                                       instruction_doc_no, instructed_by, instructed_on, registered_on, target_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning id",
        data.title,
        data.content,
        data.source as SupervisionSource,
        data.department_id,
        data.assignee_id,
        opened_by,
        data.due_date as _,
        data.report_frequency as ReportFrequency,
        data.instruction_doc_no,
        data.instructed_by,
        data.instructed_on as _,
        today as _,
        data.target_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into supervision_co_department (item_id, department_id) select $1, unnest($2::bigint[])",
        id,
        &data.co_department_ids,
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Moves an item from `from` to `to` if it is still at `version` and in
/// `from`; false when it moved meanwhile. A rejected done report counts in
/// `return_count`; closing sets `closed_at`.
pub async fn transition(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    from: SupervisionStatus,
    to: SupervisionStatus,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update supervision_item
         set status = $4, version = version + 1,
             return_count = return_count + case when $3::supervision_status = 'done_reported' and $4::supervision_status = 'in_progress' then 1 else 0 end,
             closed_at = case when $4::supervision_status = 'closed' then now() else closed_at end
         where id = $1 and version = $2 and status = $3",
        id,
        version,
        from as SupervisionStatus,
        to as SupervisionStatus,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// A progress report (进展报告) on an item.
#[derive(Debug, Clone)]
pub struct ProgressRow {
    pub id: i64,
    pub author_name: String,
    pub posted_on: NaiveDate,
    pub at: DateTime<Utc>,
    pub body: String,
    pub percent: Option<i32>,
}

/// Posts a progress report on `posted_on`; its id.
pub async fn add_progress(
    conn: &mut PgConnection,
    item_id: i64,
    author_id: i64,
    posted_on: NaiveDate,
    body: &str,
    percent: Option<i32>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into supervision_progress (item_id, author_id, posted_on, body, percent) values ($1, $2, $3, $4, $5) returning id",
        item_id,
        author_id,
        posted_on as _,
        body,
        percent,
    )
    .fetch_one(conn)
    .await
}

/// The progress reports of an item, newest first.
pub async fn progress(conn: &mut PgConnection, item_id: i64) -> Result<Vec<ProgressRow>, sqlx::Error> {
    sqlx::query_as!(
        ProgressRow,
        r#"select r.id, p.full_name as author_name, r.posted_on as "posted_on: NaiveDate", r.at as "at: DateTime<Utc>",
                  r.body, r.percent
           from supervision_progress r join person p on p.id = r.author_id
           where r.item_id = $1 order by r.posted_on desc, r.id desc"#,
        item_id
    )
    .fetch_all(conn)
    .await
}

/// One step of an item, with its time.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    pub from_status: Option<SupervisionStatus>,
    pub to_status: Option<SupervisionStatus>,
    pub note: String,
    /// The due date before and after an approved extension (延期).
    pub due_from: Option<NaiveDate>,
    pub due_to: Option<NaiveDate>,
}

/// Records a step (`from` is `None` for the opening).
pub async fn add_event(
    conn: &mut PgConnection,
    item_id: i64,
    actor_id: Option<i64>,
    from: Option<SupervisionStatus>,
    to: Option<SupervisionStatus>,
    note: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into supervision_event (item_id, actor_id, from_status, to_status, note) values ($1, $2, $3, $4, $5) returning id",
        item_id,
        actor_id,
        from as Option<SupervisionStatus>,
        to as Option<SupervisionStatus>,
        note,
    )
    .fetch_one(conn)
    .await
}

/// The steps of an item, oldest first.
pub async fn events(conn: &mut PgConnection, item_id: i64) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as!(
        EventRow,
        r#"select e.id, e.at as "at: DateTime<Utc>", p.full_name as "actor_name?",
                  e.from_status as "from_status: SupervisionStatus", e.to_status as "to_status: SupervisionStatus", e.note,
                  e.due_from as "due_from: NaiveDate", e.due_to as "due_to: NaiveDate"
           from supervision_event e left join person p on p.id = e.actor_id
           where e.item_id = $1 order by e.at, e.id"#,
        item_id
    )
    .fetch_all(conn)
    .await
}

/// An extension request (延期申请) on an item.
#[derive(Debug, Clone)]
pub struct ExtensionRow {
    pub id: i64,
    pub item_id: i64,
    pub requested_by: i64,
    pub requested_by_name: String,
    pub requested_at: DateTime<Utc>,
    pub current_due: NaiveDate,
    pub requested_due: NaiveDate,
    pub reason: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    pub decided_by_name: Option<String>,
    pub decision_note: String,
}

impl ExtensionRow {
    pub fn is_pending(&self) -> bool {
        self.status == "pending"
    }

    pub fn status_key(&self) -> String {
        format!("supervision-extension-{}", self.status)
    }
}

/// Records a request for a later due date; `None` when the item already has
/// a request waiting for a decision.
pub async fn request_extension(
    conn: &mut PgConnection,
    item_id: i64,
    requested_by: i64,
    current_due: NaiveDate,
    requested_due: NaiveDate,
    reason: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into supervision_extension (item_id, requested_by, current_due, requested_due, reason)
         values ($1, $2, $3, $4, $5)
         on conflict (item_id) where status = 'pending' do nothing returning id",
        item_id,
        requested_by,
        current_due as _,
        requested_due as _,
        reason,
    )
    .fetch_optional(conn)
    .await
}

/// The extension requests of an item, newest first.
pub async fn extensions(conn: &mut PgConnection, item_id: i64) -> Result<Vec<ExtensionRow>, sqlx::Error> {
    sqlx::query_as!(
        ExtensionRow,
        r#"select e.id, e.item_id, e.requested_by, r.full_name as requested_by_name,
                  e.requested_at as "requested_at: DateTime<Utc>", e.current_due as "current_due: NaiveDate",
                  e.requested_due as "requested_due: NaiveDate", e.reason, e.status,
                  d.full_name as "decided_by_name?", e.decision_note
           from supervision_extension e
           join person r on r.id = e.requested_by
           left join person d on d.id = e.decided_by
           where e.item_id = $1 order by e.requested_at desc, e.id desc"#,
        item_id
    )
    .fetch_all(conn)
    .await
}

/// The request, locked until the transaction ends.
pub async fn lock_extension(conn: &mut PgConnection, id: i64) -> Result<Option<ExtensionRow>, sqlx::Error> {
    sqlx::query_as!(
        ExtensionRow,
        r#"select e.id, e.item_id, e.requested_by, r.full_name as requested_by_name,
                  e.requested_at as "requested_at: DateTime<Utc>", e.current_due as "current_due: NaiveDate",
                  e.requested_due as "requested_due: NaiveDate", e.reason, e.status,
                  d.full_name as "decided_by_name?", e.decision_note
           from supervision_extension e
           join person r on r.id = e.requested_by
           left join person d on d.id = e.decided_by
           where e.id = $1
           for update of e"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Decides a pending request; false when it was decided meanwhile.
pub async fn decide_extension(
    conn: &mut PgConnection,
    id: i64,
    decided_by: i64,
    approve: bool,
    note: &str,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update supervision_extension
         set status = case when $3 then 'approved' else 'rejected' end, decided_by = $2, decided_at = now(), decision_note = $4
         where id = $1 and status = 'pending'",
        id,
        decided_by,
        approve,
        note,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Moves an item's due date after an approved extension, and keeps the move
/// among its events.
pub async fn extend_due_date(
    conn: &mut PgConnection,
    item_id: i64,
    actor_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!("update supervision_item set due_date = $2, version = version + 1 where id = $1", item_id, to as _)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "insert into supervision_event (item_id, actor_id, note, due_from, due_to) values ($1, $2, $3, $4, $5)",
        item_id,
        actor_id,
        note,
        from as _,
        to as _,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A three-colour slip.
#[derive(Debug, Clone)]
pub struct SlipRow {
    pub id: i64,
    pub item_id: i64,
    pub colour: SlipColour,
    pub issued_on: NaiveDate,
    pub answer_due: NaiveDate,
    pub answered_at: Option<DateTime<Utc>>,
    pub answer: String,
    pub answered_by_name: Option<String>,
    /// Whom the slip is charged to (for a missed due date, who was responsible that day).
    pub charged_to: Option<i64>,
    pub charged_to_name: Option<String>,
}

impl SlipRow {
    pub fn is_answered(&self) -> bool {
        self.answered_at.is_some()
    }

    /// Unanswered after its answer date.
    pub fn is_overdue(&self, today: &NaiveDate) -> bool {
        !self.is_answered() && *today > self.answer_due
    }
}

/// The slips of an item, newest first.
pub async fn slips(conn: &mut PgConnection, item_id: i64) -> Result<Vec<SlipRow>, sqlx::Error> {
    sqlx::query_as!(
        SlipRow,
        r#"select s.id, s.item_id, s.colour as "colour: SlipColour", s.issued_on as "issued_on: NaiveDate", s.answer_due as "answer_due: NaiveDate",
                  s.answered_at as "answered_at: DateTime<Utc>", s.answer, p.full_name as "answered_by_name?",
                  s.charged_to, c.full_name as "charged_to_name?"
           from supervision_slip s left join person p on p.id = s.answered_by left join person c on c.id = s.charged_to
           where s.item_id = $1 order by s.issued_on desc, s.id desc"#,
        item_id
    )
    .fetch_all(conn)
    .await
}

pub async fn find_slip(conn: &mut PgConnection, id: i64) -> Result<Option<SlipRow>, sqlx::Error> {
    sqlx::query_as!(
        SlipRow,
        r#"select s.id, s.item_id, s.colour as "colour: SlipColour", s.issued_on as "issued_on: NaiveDate", s.answer_due as "answer_due: NaiveDate",
                  s.answered_at as "answered_at: DateTime<Utc>", s.answer, p.full_name as "answered_by_name?",
                  s.charged_to, c.full_name as "charged_to_name?"
           from supervision_slip s left join person p on p.id = s.answered_by left join person c on c.id = s.charged_to
           where s.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// A slip to issue.
#[derive(Debug, Clone)]
pub struct NewSlip {
    pub item_id: i64,
    pub colour: SlipColour,
    pub issued_on: NaiveDate,
    pub answer_due: NaiveDate,
    pub issue_week: String,
    /// The day whose responsible person the slip is charged to: the missed
    /// due date, or the day of issue while the item is not late.
    pub charge_day: NaiveDate,
}

/// Issues a slip unless the item already has one of that colour this week;
/// the new slip's id, `None` when it existed. The slip is charged to the
/// assignee, or to the B who covered for them on `charge_day` (A/B cover, by
/// the posts and absences of that day).
pub async fn insert_slip(conn: &mut PgConnection, slip: &NewSlip) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into supervision_slip (item_id, colour, issued_on, answer_due, issue_week, charged_to)
         select i.id, $2, $3, $4, $5, coalesce(post_backup_on(i.assignee_id, $6), i.assignee_id)
         from supervision_item i where i.id = $1
         on conflict on constraint supervision_slip_once_a_week do nothing returning id",
        slip.item_id,
        slip.colour as SlipColour,
        slip.issued_on as _,
        slip.answer_due as _,
        slip.issue_week,
        slip.charge_day as _,
    )
    .fetch_optional(conn)
    .await
}

/// Records the answer of a slip not answered yet; false when it already was.
pub async fn answer_slip(
    conn: &mut PgConnection,
    id: i64,
    answer: &str,
    answered_by: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query!(
        "update supervision_slip set answer = $2, answered_by = $3, answered_at = now() where id = $1 and answered_at is null",
        id,
        answer,
        answered_by,
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// An item slips are issued for.
#[derive(Debug, Clone)]
pub struct OpenItem {
    pub id: i64,
    pub title: String,
    pub department_id: i64,
    pub status: SupervisionStatus,
    pub due_date: NaiveDate,
    pub return_count: i32,
    /// The day the latest slip of each colour was issued, for the reissue interval.
    pub last_blue: Option<NaiveDate>,
    pub last_yellow: Option<NaiveDate>,
    pub last_red: Option<NaiveDate>,
    /// The day the item's first red slip was issued, for the penalty's level.
    pub first_red: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub report_frequency: ReportFrequency,
    pub last_update: Option<DateTime<Utc>>,
}

impl OpenItem {
    /// What its colour is judged on (docs/DOMAIN.md §8.4).
    pub fn timeline(&self) -> ItemTimeline {
        ItemTimeline {
            status: self.status,
            opened: office_day(self.created_at),
            due: self.due_date,
            return_count: self.return_count,
            last_update: self.last_update.map(office_day),
            frequency: self.report_frequency,
        }
    }

    /// The day the latest slip of `colour` was issued.
    pub fn last_slip(&self, colour: SlipColour) -> Option<NaiveDate> {
        match colour {
            SlipColour::Blue => self.last_blue,
            SlipColour::Yellow => self.last_yellow,
            SlipColour::Red => self.last_red,
        }
    }
}

/// Items still being worked on (not verified, not closed).
pub async fn open_for_slips(conn: &mut PgConnection) -> Result<Vec<OpenItem>, sqlx::Error> {
    sqlx::query_as!(
        OpenItem,
        r#"select i.id, i.title, i.department_id, i.status as "status: SupervisionStatus",
                  i.due_date as "due_date: NaiveDate", i.return_count,
                  max(s.issued_on) filter (where s.colour = 'blue') as "last_blue?: NaiveDate",
                  max(s.issued_on) filter (where s.colour = 'yellow') as "last_yellow?: NaiveDate",
                  max(s.issued_on) filter (where s.colour = 'red') as "last_red?: NaiveDate",
                  min(s.issued_on) filter (where s.colour = 'red') as "first_red?: NaiveDate",
                  i.created_at as "created_at: DateTime<Utc>", i.report_frequency as "report_frequency: ReportFrequency",
                  greatest((select max(e.at) from supervision_event e where e.item_id = i.id),
                           max(s.answered_at)) as "last_update?: DateTime<Utc>"
           from supervision_item i
           left join supervision_slip s on s.item_id = i.id
           where i.status not in ('verified', 'closed')
           group by i.id
           order by i.id"#
    )
    .fetch_all(conn)
    .await
}

/// Proposes the red-slip penalty for the item's department, if the standard
/// list has an active item coded `red_slip`: a pending ledger record keyed by
/// the item and the penalty's level (docs/DOMAIN.md §8.5), so a reissued red
/// slip or a rerun adds nothing. A first-level penalty is not proposed again
/// for an item penalised before penalties were per item (keyed by its slip).
/// The new record's id, if one was added.
pub async fn propose_red_slip_penalty(
    conn: &mut PgConnection,
    item_id: i64,
    level: i64,
    department_id: i64,
    occurred_on: NaiveDate,
    reason: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let source_key = red_slip_source_key(item_id, level);
    sqlx::query_scalar!(
        "insert into ledger_record (item_id, department_id, occurred_on, reason, source_key, status)
         select l.id, $1, $2, $3, $4, 'pending' from ledger_item l
         where l.code = 'red_slip' and l.active
           and ($6::bigint > 0 or not exists (select 1 from ledger_record r
                                      join supervision_slip s on r.source_key = 'supervision_slip:' || s.id
                                      where s.item_id = $5))
         on conflict on constraint ledger_record_source_unique do nothing returning id",
        department_id,
        occurred_on as _,
        reason,
        source_key,
        item_id,
        level,
    )
    .fetch_optional(conn)
    .await
}

/// For each of `people`, the supervision items assigned to them that fell
/// due between `from` and `to`, and how many of those were reported done by
/// their due day (the office's day): (person, due, on time).
pub async fn on_time_counts(
    conn: &mut PgConnection,
    people: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select i.assignee_id as "person_id!", count(*) as "due!",
                  count(*) filter (where exists (
                      select 1 from supervision_event e
                      where e.item_id = i.id and e.to_status = 'done_reported'
                        and (e.at at time zone 'Asia/Shanghai')::date <= i.due_date)) as "on_time!"
           from supervision_item i
           where i.assignee_id = any($1) and i.due_date between $2 and $3
           group by i.assignee_id"#,
        people,
        from as NaiveDate,
        to as NaiveDate,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.person_id, r.due, r.on_time)).collect())
}

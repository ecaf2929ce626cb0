//! Stage 2 of the demo office, monitor implementation, as it stands on
//! [`TODAY`]: the monthly progress reports of the 2026 targets (verified,
//! late, missing, returned, waiting for the verifier, one correction) with
//! a few evidence files, supervision items in every state with their steps
//! and three-colour slips, the bonus/penalty ledger, served cases of the
//! service commitments, and absences (one post covered by its B, one 空岗).
//!
//! [`plan`] is pure and unit tested; [`write`] writes it inside the demo's
//! transaction and then lets the application's own code issue today's slips
//! and propose the automatic ledger records.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;

use super::data::{self, DemoData, PostRef, SAMPLE_PDF, SAMPLE_PNG};
use super::targets::{CURRENT, OfficeIds, Spec, StagePlan, at, date, head_of, leader_of};
use super::{OFFICE, Plan};
use crate::db::audit::AuditContext;
use crate::db::demo::{
    self as sql, DemoAbsence, DemoAttachment, DemoCase, DemoEvent, DemoItem, DemoLedgerRecord, DemoReport, DemoSlip,
};
use crate::domain::files::{self, FileKind};
use crate::domain::monitor::{
    self, AbsenceKind, LeaveKind, LedgerStatus, ProgressState, ReportStatus, SlipColour, SupervisionActor,
    SupervisionSource, SupervisionStatus, issue_week,
};
use crate::domain::plan::{Direction, PlanStatus, ReportFrequency, TargetLevel};
use crate::domain::workdays::{WorkCalendar, official_schedule_2026};

/// The day the demo office stands on.
pub(super) const TODAY: NaiveDate = date(2026, 11, 27);

/// The work days after a period's end its report is due (the shipped setting; the demo stores none).
const REPORT_DUE_WORKDAYS: i64 = crate::domain::settings::Settings::DEFAULT.report_due_workdays as i64;
/// Work days to answer a slip (the shipped setting).
const SLIP_ANSWER_WORKDAYS: i64 = crate::domain::settings::Settings::DEFAULT.slip_answer_workdays as i64;

// ---------------------------------------------------------------------------
// The data: who deviates from the routine of reporting every month on time,
// absences, supervision, the ledger and commitment cases (see [`super::data`]).

/// `progress_reports.toml`: how the monthly reports deviate from the routine.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReportDeviations {
    /// Posts whose holder sent no October report at all.
    missing_october: Vec<PostRef>,
    /// Single targets without an October report: the holder is on leave now,
    /// so the post's B sees it as acting for A.
    missing_october_targets: Vec<TargetRef>,
    /// Posts whose October reports wait for the verifier (the head, or the
    /// leader for a head's own targets).
    awaiting_october: Vec<PostRef>,
    /// A September report corrected after its verification.
    correction: Correction,
    /// October reports the verifier returned, with the reason.
    returned_october: Vec<ReturnedReport>,
    /// Incidents against zero targets: every target of the department with this
    /// measure counts it from that month on.
    #[serde(rename = "incident")]
    incidents: Vec<Incident>,
}

/// A staff target of 2026 by its post and title.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetRef {
    department: String,
    post: String,
    target: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Correction {
    department: String,
    post: String,
    target: String,
    month: u32,
    /// How many more items the correction reports.
    found_later: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReturnedReport {
    department: String,
    post: String,
    target: String,
    misreport: Misreport,
    reason: String,
}

/// How a returned October report differs from what the ledger says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Misreport {
    /// The value is right; the report lacks something.
    None,
    /// The value is right but a known problem is not reported.
    ProblemOmitted,
    /// The month's figure instead of the year-to-date one.
    MonthOnly,
    /// More than the ledger shows.
    Overstated(u32),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Incident {
    department: String,
    measure: String,
    month: u32,
    problem: String,
    next_steps: String,
}

/// `report_phrases.toml`: the problems and next steps reports pick from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReportPhrases {
    cumulative_problems: Vec<String>,
    cumulative_steps: Vec<String>,
    level_problems: Vec<String>,
    level_steps: Vec<String>,
    routine_steps: Vec<String>,
    done_steps: Vec<String>,
}

impl ReportPhrases {
    /// Every list, for the check that none is empty.
    pub(super) fn lists(&self) -> [&[String]; 6] {
        [
            &self.cumulative_problems,
            &self.cumulative_steps,
            &self.level_problems,
            &self.level_steps,
            &self.routine_steps,
            &self.done_steps,
        ]
    }
}

/// An absence: the A of the post is away.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AbsenceSpec {
    department: String,
    post: String,
    #[serde(deserialize_with = "data::date")]
    from: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    to: NaiveDate,
    kind: AbsenceKind,
    #[serde(default)]
    leave: Option<LeaveKind>,
    note: String,
}

/// Who opens a supervision item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Opener {
    /// The supervision officer (督查督办岗).
    Officer,
    /// The leader overseeing the department.
    Leader,
}

/// A step of an item: who takes it follows from the step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Step {
    Open,
    Assign,
    Acknowledge,
    Start,
    Report,
    Reject,
    Verify,
    Close,
}

impl Step {
    fn to(self) -> SupervisionStatus {
        use SupervisionStatus::*;
        match self {
            Step::Open => Registered,
            Step::Assign => Assigned,
            Step::Acknowledge => Acknowledged,
            Step::Start | Step::Reject => InProgress,
            Step::Report => DoneReported,
            Step::Verify => Verified,
            Step::Close => Closed,
        }
    }

    fn side(self) -> SupervisionActor {
        match self {
            Step::Open | Step::Assign | Step::Reject | Step::Verify | Step::Close => SupervisionActor::Supervisor,
            Step::Acknowledge | Step::Start | Step::Report => SupervisionActor::Assignee,
        }
    }
}

/// A supervision item with its steps and the slips of earlier weeks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ItemSpec {
    title: String,
    content: String,
    source: SupervisionSource,
    department: String,
    /// The co-operating departments (协办), besides the lead one.
    #[serde(default)]
    co_departments: Vec<String>,
    /// The post whose holder carries the item out; none: the department.
    #[serde(rename = "assignee_post", default)]
    assignee: Option<String>,
    #[serde(rename = "opened_by")]
    opener: Opener,
    #[serde(deserialize_with = "data::date")]
    due: NaiveDate,
    steps: Vec<StepSpec>,
    #[serde(rename = "slip", default)]
    slips: Vec<SlipSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StepSpec {
    step: Step,
    #[serde(deserialize_with = "data::beijing_time")]
    at: DateTime<Utc>,
    #[serde(default)]
    note: String,
}

/// A slip of an earlier week, with its answer if there was one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SlipSpec {
    colour: SlipColour,
    #[serde(deserialize_with = "data::date")]
    issued_on: NaiveDate,
    #[serde(default)]
    answer: Option<SlipAnswer>,
    /// How the performance office decided a red slip's penalty (none: still pending).
    #[serde(default)]
    penalty_review: Option<PenaltyReview>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SlipAnswer {
    #[serde(deserialize_with = "data::beijing_time")]
    at: DateTime<Utc>,
    text: String,
}

/// How the performance office decided a proposed penalty.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PenaltyReview {
    #[serde(deserialize_with = "data::date")]
    on: NaiveDate,
    status: LedgerStatus,
    #[serde(default)]
    note: String,
}

/// A ledger record: about the holder of `post`, or the department without it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LedgerSpec {
    /// The code of the ledger item.
    item: String,
    department: String,
    #[serde(default)]
    post: Option<String>,
    #[serde(deserialize_with = "data::date")]
    occurred: NaiveDate,
    reason: String,
    /// The name of the evidence file.
    evidence_file: String,
    /// The day it was proposed; the day it occurred when not given.
    #[serde(default, deserialize_with = "data::optional_date")]
    proposed: Option<NaiveDate>,
    #[serde(default = "pending")]
    status: LedgerStatus,
    #[serde(default, deserialize_with = "data::optional_date")]
    reviewed: Option<NaiveDate>,
    #[serde(default)]
    review_note: String,
}

fn pending() -> LedgerStatus {
    LedgerStatus::Pending
}

impl LedgerSpec {
    fn proposed_on(&self) -> NaiveDate {
        self.proposed.unwrap_or(self.occurred)
    }
}

/// A case served under a commitment: received and done on dates the loader
/// picks, or on the dates given (no `done`: still open).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CaseSpec {
    pub(super) subject: String,
    #[serde(default, deserialize_with = "data::optional_date")]
    pub(super) received: Option<NaiveDate>,
    #[serde(default, deserialize_with = "data::optional_date")]
    pub(super) done: Option<NaiveDate>,
    /// How the penalty of a case done late was decided.
    #[serde(default)]
    penalty_review: Option<PenaltyReview>,
}

// ---------------------------------------------------------------------------
// The plan.

#[derive(Debug, Clone)]
pub(super) struct ReportPlan {
    /// Index into the stage plan's targets.
    target: usize,
    month: u32,
    period: (NaiveDate, NaiveDate),
    due: NaiveDate,
    value: Decimal,
    state: ProgressState,
    narrative: String,
    problems: String,
    next_steps: String,
    status: ReportStatus,
    submitted_by: usize,
    acting_for: Option<usize>,
    submitted_at: DateTime<Utc>,
    audited: Option<Decimal>,
    verify_comment: String,
    return_reason: String,
    decided_by: Option<usize>,
    decided_at: Option<DateTime<Utc>>,
    /// Index of the verified report this one corrects.
    corrects: Option<usize>,
}

impl ReportPlan {
    fn is_late(&self) -> bool {
        self.submitted_at.date_naive() > self.due
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileOwner {
    Report(usize),
    Ledger(usize),
}

#[derive(Debug, Clone)]
pub(super) struct FilePlan {
    owner: FileOwner,
    name: String,
    kind: FileKind,
    bytes: &'static [u8],
    uploaded_by: usize,
    uploaded_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
struct EventPlan {
    at: DateTime<Utc>,
    actor: usize,
    from: Option<SupervisionStatus>,
    to: SupervisionStatus,
    note: &'static str,
}

#[derive(Debug, Clone)]
pub(super) struct ItemPlan {
    spec: &'static ItemSpec,
    department: usize,
    co_departments: Vec<usize>,
    assignee: Option<usize>,
    opened_by: usize,
    status: SupervisionStatus,
    return_count: i32,
    events: Vec<EventPlan>,
}

impl ItemPlan {
    fn created_at(&self) -> DateTime<Utc> {
        self.events.first().map_or_else(|| at(TODAY, 0), |e| e.at)
    }

    fn closed_at(&self) -> Option<DateTime<Utc>> {
        (self.status == SupervisionStatus::Closed).then(|| self.events.last().map(|e| e.at)).flatten()
    }
}

#[derive(Debug, Clone)]
pub(super) struct SlipPlan {
    item: usize,
    colour: SlipColour,
    issued_on: NaiveDate,
    answer_due: NaiveDate,
    answered: Option<(DateTime<Utc>, &'static str, usize)>,
    penalty_review: Option<&'static PenaltyReview>,
}

#[derive(Debug, Clone)]
pub(super) struct LedgerPlan {
    spec: &'static LedgerSpec,
    person: Option<usize>,
    department: Option<usize>,
    proposed_by: usize,
    proposed_at: DateTime<Utc>,
    reviewed_by: Option<usize>,
    reviewed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub(super) struct CasePlan {
    /// Index into the stage plan's commitments.
    commitment: usize,
    subject: &'static str,
    received: NaiveDate,
    done: Option<NaiveDate>,
    recorded_by: usize,
    penalty_review: Option<&'static PenaltyReview>,
}

#[derive(Debug, Clone)]
pub(super) struct AbsencePlan {
    person: usize,
    from: NaiveDate,
    to: NaiveDate,
    kind: AbsenceKind,
    leave: Option<LeaveKind>,
    note: &'static str,
    recorded_by: usize,
    created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct MonitorPlan {
    reports: Vec<ReportPlan>,
    files: Vec<FilePlan>,
    items: Vec<ItemPlan>,
    slips: Vec<SlipPlan>,
    ledger: Vec<LedgerPlan>,
    cases: Vec<CasePlan>,
    absences: Vec<AbsencePlan>,
    /// The performance office member who reviews ledger records.
    perf: usize,
}

impl MonitorPlan {
    fn count_reports(&self, status: ReportStatus) -> usize {
        self.reports.iter().filter(|r| r.status == status).count()
    }

    /// The one-line summary printed after loading.
    pub(super) fn summary_line(&self) -> String {
        format!(
            "monitor: {} progress reports ({} verified, {} awaiting verification, {} returned), {} evidence files, \
             {} supervision items, {} earlier slips, {} ledger records, {} commitment cases, {} absences",
            self.reports.len(),
            self.count_reports(ReportStatus::Verified),
            self.count_reports(ReportStatus::Submitted),
            self.count_reports(ReportStatus::Returned),
            self.files.len(),
            self.items.len(),
            self.slips.len(),
            self.ledger.len(),
            self.cases.len(),
            self.absences.len(),
        )
    }
}

/// The office's 2026 work calendar, as the demo seeds it.
fn calendar() -> WorkCalendar {
    WorkCalendar::new(official_schedule_2026().into_iter().map(|(day, kind, _)| (day, kind)))
}

/// A well-mixed number from two (splitmix64), for variety that is the same on every load.
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.wrapping_add(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn pick<S: AsRef<str>>(list: &[S], seed: u64) -> &str {
    list[(seed % list.len() as u64) as usize].as_ref()
}

struct Builder<'a> {
    office: &'a Plan,
    data: &'static DemoData,
    stage: &'a StagePlan,
    calendar: WorkCalendar,
    out: MonitorPlan,
}

pub(super) fn plan(office: &Plan, stage: &StagePlan) -> anyhow::Result<MonitorPlan> {
    let data = office.data;
    let mut builder = Builder { office, data, stage, calendar: calendar(), out: MonitorPlan::default() };
    builder.out.perf = builder.person("perf")?;
    builder.absences()?;
    builder.reports()?;
    builder.report_files()?;
    builder.items()?;
    builder.ledger()?;
    builder.cases()?;
    Ok(builder.out)
}

impl Builder<'_> {
    fn person(&self, username: &str) -> anyhow::Result<usize> {
        let found = self.office.people.iter().position(|p| p.username == username);
        found.ok_or_else(|| anyhow::anyhow!("demo data: no person {username}"))
    }

    fn post(&self, department: &str, title: &str) -> anyhow::Result<usize> {
        let department = self.office.department_index(department)?;
        let found = self.office.posts.iter().position(|p| p.department == department && p.title == title);
        found.ok_or_else(|| anyhow::anyhow!("demo data: no post {title}"))
    }

    /// The A of a post.
    fn holder(&self, department: &str, title: &str) -> anyhow::Result<usize> {
        Ok(self.office.posts[self.post(department, title)?].a_holder)
    }

    fn away(&self, person: usize, day: NaiveDate) -> Option<&AbsencePlan> {
        self.out.absences.iter().find(|a| a.person == person && a.from <= day && day <= a.to)
    }

    /// The next work day on or after `day` the person is present.
    fn present_from(&self, person: usize, day: NaiveDate) -> NaiveDate {
        let mut day = self.calendar.add_workdays(day, 0);
        while let Some(absence) = self.away(person, day) {
            day = self.calendar.add_workdays(absence.to, 1);
        }
        day
    }

    /// A 2026 staff target by its post and title.
    fn staff_target(&self, department: &str, post: &str, title: &str) -> anyhow::Result<usize> {
        let post = self.post(department, post)?;
        let found = self.stage.targets.iter().position(|t| {
            let set = &self.stage.sets[t.set];
            set.cycle == CURRENT && set.level == TargetLevel::Person && t.post == Some(post) && t.spec.title == title
        });
        found.ok_or_else(|| anyhow::anyhow!("demo data: no 2026 target {title}"))
    }

    /// The 2026 staff target whose September report is corrected.
    fn corrected_target(&self) -> anyhow::Result<usize> {
        let correction = &self.data.reports.correction;
        self.staff_target(&correction.department, &correction.post, &correction.target)
    }

    fn absences(&mut self) -> anyhow::Result<()> {
        let perf = self.person("perf")?;
        for AbsenceSpec { department, post, from, to, kind, leave, note } in &self.data.absences {
            if (*kind == AbsenceKind::Leave) != leave.is_some() {
                anyhow::bail!(
                    "demo data: the absence of {post} from {from} needs `leave` exactly when its kind is leave"
                );
            }
            let person = self.holder(department, post)?;
            let head = head_of(self.office, self.office.department_index(department)?)?;
            let recorded_by = if head == person { perf } else { head };
            let entered = self.calendar.add_workdays(*from, -3).min(TODAY - Duration::days(1));
            let created_at = at(entered, 60 + (mix(person as u64, 5) % 400) as i64);
            self.out.absences.push(AbsencePlan {
                person,
                from: *from,
                to: *to,
                kind: *kind,
                leave: *leave,
                note,
                recorded_by,
                created_at,
            });
        }
        Ok(())
    }

    // -- Progress reports.

    /// The monthly periods of 2026 whose report deadline has passed, with the deadline.
    fn due_periods(&self) -> Vec<(NaiveDate, NaiveDate, NaiveDate)> {
        monitor::periods(date(2026, 1, 1), date(2026, 12, 31), ReportFrequency::Monthly)
            .into_iter()
            .map(|(start, end)| (start, end, monitor::report_due(end, REPORT_DUE_WORKDAYS, &self.calendar)))
            .filter(|(_, _, due)| *due < TODAY)
            .collect()
    }

    fn reports(&mut self) -> anyhow::Result<()> {
        let periods = self.due_periods();
        let october = periods.len() as u32;
        let deviations = &self.data.reports;
        let mut missing: Vec<usize> = Vec::new();
        for PostRef { department, post } in &deviations.missing_october {
            let post = self.post(department, post)?;
            missing.extend(
                (0..self.stage.targets.len())
                    .filter(|t| self.is_current_staff(*t) && self.stage.targets[*t].post == Some(post)),
            );
        }
        for TargetRef { department, post, target } in &deviations.missing_october_targets {
            missing.push(self.staff_target(department, post, target)?);
        }
        let mut awaiting: Vec<usize> = Vec::new();
        for PostRef { department, post } in &deviations.awaiting_october {
            let post = self.post(department, post)?;
            awaiting.push(post);
        }
        let mut returned: HashMap<usize, (Misreport, &'static str)> = HashMap::new();
        for ReturnedReport { department, post, target, misreport, reason } in &deviations.returned_october {
            returned.insert(self.staff_target(department, post, target)?, (*misreport, reason));
        }
        let correction = &deviations.correction;
        let corrected = self.corrected_target()?;
        let stage = self.stage;
        for index in 0..stage.targets.len() {
            let target = &stage.targets[index];
            let set = &stage.sets[target.set];
            if set.cycle != CURRENT || set.level == TargetLevel::Office || set.status != PlanStatus::Approved {
                continue;
            }
            let (Some(owner), Some(department)) = (target.owner, set.department) else { continue };
            let track = self.track(index, department)?;
            let head = head_of(self.office, department)?;
            let verifier = if set.level == TargetLevel::Department || owner == head {
                leader_of(self.office, department)?
            } else {
                head
            };
            for (i, (start, end, due)) in periods.iter().enumerate() {
                let month = i as u32 + 1;
                if month == october && missing.contains(&index) {
                    continue;
                }
                let point = &track[i];
                let seed = mix(index as u64, u64::from(month));
                let late = month < october && seed.is_multiple_of(31) && index != corrected;
                let (submitted_by, acting_for, submitted_at) = self.submission(index, owner, (*end, *due), late, seed);
                let mut report = ReportPlan {
                    target: index,
                    month,
                    period: (*start, *end),
                    due: *due,
                    value: point.value,
                    state: point.state,
                    narrative: point.narrative.clone(),
                    problems: point.problems.clone(),
                    next_steps: point.next_steps.clone(),
                    status: ReportStatus::Verified,
                    submitted_by,
                    acting_for,
                    submitted_at,
                    audited: Some(point.value),
                    verify_comment: String::new(),
                    return_reason: String::new(),
                    decided_by: Some(verifier),
                    decided_at: None,
                    corrects: None,
                };
                let decision_day = self.present_from(
                    verifier,
                    self.calendar.add_workdays(submitted_at.date_naive().max(*due), 1 + (seed >> 8) as i64 % 3),
                );
                report.decided_at = Some(at(decision_day, 30 + (seed >> 16) as i64 % 420));
                if month == october && target.post.is_some_and(|p| awaiting.contains(&p)) {
                    report.status = ReportStatus::Submitted;
                    report.audited = None;
                    report.decided_by = None;
                    report.decided_at = None;
                } else if let (true, Some((misreport, reason))) = (month == october, returned.get(&index)) {
                    report.status = ReportStatus::Returned;
                    report.audited = None;
                    report.return_reason = reason.to_string();
                    let spec = target.spec;
                    // Only the first sentence: the evidence the head asks for is not there yet.
                    let first_sentence = report.narrative.split_inclusive('。').next().unwrap_or_default().to_string();
                    report.narrative = first_sentence;
                    match misreport {
                        Misreport::None => {}
                        Misreport::ProblemOmitted => report.problems = "无".into(),
                        Misreport::MonthOnly => {
                            report.value = point.value - track[i - 1].value;
                            report.narrative =
                                format!("{month} 月{}{}{}，工作按计划推进。", spec.measure, report.value, spec.unit);
                        }
                        Misreport::Overstated(extra) => {
                            report.value = point.value + Decimal::from(*extra);
                            report.narrative = narrative(spec, target.value, report.value, point.state, month, seed);
                        }
                    }
                    let day = self.calendar.add_workdays(date(2026, 11, 16), (seed % 6) as i64);
                    report.decided_at = Some(at(day, 60 + (seed >> 20) as i64 % 400));
                } else {
                    report.verify_comment = self.verify_comment(&mut report, index, seed);
                }
                self.out.reports.push(report);
                if index == corrected && month == correction.month {
                    self.correct_last(verifier);
                }
            }
        }
        // Ids follow the order reports were sent.
        let order = {
            let mut order: Vec<usize> = (0..self.out.reports.len()).collect();
            order.sort_by_key(|i| (self.out.reports[*i].submitted_at, *i));
            order
        };
        let mut position = vec![0; order.len()];
        for (new, old) in order.iter().enumerate() {
            position[*old] = new;
        }
        let mut sorted: Vec<ReportPlan> = order.iter().map(|i| self.out.reports[*i].clone()).collect();
        for report in &mut sorted {
            report.corrects = report.corrects.map(|c| position[c]);
        }
        self.out.reports = sorted;
        Ok(())
    }

    fn is_current_staff(&self, target: usize) -> bool {
        let set = &self.stage.sets[self.stage.targets[target].set];
        set.cycle == CURRENT && set.level == TargetLevel::Person && set.status == PlanStatus::Approved
    }

    /// Who sent the report of a period and when: the owner, or the target's
    /// B acting for an absent owner; on a work day before the deadline
    /// (mostly towards it), or a few work days after it when late.
    fn submission(
        &self,
        index: usize,
        owner: usize,
        (end, due): (NaiveDate, NaiveDate),
        late: bool,
        seed: u64,
    ) -> (usize, Option<usize>, DateTime<Utc>) {
        let window = self.calendar.workdays_between(end, due).max(1);
        let day = if late {
            self.calendar.add_workdays(due, 1 + (seed >> 4) as i64 % 3)
        } else {
            // The later of two draws: most reports come in the last days.
            let a = (seed >> 4) as i64 % window;
            let b = (seed >> 12) as i64 % window;
            self.calendar.add_workdays(end, 1 + a.max(b))
        };
        let minutes = (seed >> 24) as i64 % 510;
        let backup = self.stage.targets[index].backup;
        match (self.away(owner, day), backup) {
            (Some(_), Some(b)) if self.away(b, day).is_none() => (b, Some(owner), at(day, minutes)),
            (Some(absence), _) => (owner, None, at(self.calendar.add_workdays(absence.to, 1), minutes)),
            (None, _) => (owner, None, at(day, minutes)),
        }
    }

    fn verify_comment(&self, report: &mut ReportPlan, index: usize, seed: u64) -> String {
        let target = &self.stage.targets[index];
        let unit = &target.spec.unit;
        let reduce = Measure::of(target.spec) == Measure::Cumulative
            && report.value >= Decimal::from(3)
            && report.value.fract().is_zero()
            && report.value < target.value
            && (seed >> 32).is_multiple_of(23);
        if reduce {
            report.audited = Some(report.value - Decimal::ONE);
            return format!("核减 1{unit}：其中 1{unit}成果尚未正式印发，不计入本期。");
        }
        if report.is_late() {
            return "逾期报送，请注意报送时限。".into();
        }
        if matches!(report.state, ProgressState::AtRisk | ProgressState::Behind) && (seed >> 36).is_multiple_of(2) {
            return "进度偏慢，请按下步措施抓紧推进。".into();
        }
        match (seed >> 40) % 10 {
            0 | 1 => "数据与台账一致。".into(),
            2 => "经核对佐证材料，情况属实。".into(),
            3 if report.month >= 9 => "请注意做好年底收尾。".into(),
            _ => String::new(),
        }
    }

    /// Adds a correction of the last report (verified): two more items found
    /// after the adoption notice came out.
    fn correct_last(&mut self, verifier: usize) {
        let last = self.out.reports.len() - 1;
        let original = self.out.reports[last].clone();
        let target = &self.stage.targets[original.target];
        let found_later = self.data.reports.correction.found_later;
        let extra = Decimal::from(found_later);
        let corrected_value = original.value;
        let first_value = corrected_value - extra;
        let expected = target.value.to_f64().unwrap_or(0.0) * share_of_year(original.month, target.spec.month);
        let first_state =
            state_of(target.spec, target.value.to_f64().unwrap_or(0.0), first_value.to_f64().unwrap_or(0.0), expected);
        let seed = mix(original.target as u64, u64::from(original.month) + 300);
        let sent = self.calendar.add_workdays(date(2026, 10, 15), 0);
        let correction = ReportPlan {
            value: corrected_value,
            audited: Some(corrected_value),
            narrative: format!(
                "更正：10 月中旬收到省政协 9 月信息采用情况通报，9 月另有 {found_later} 篇信息被采用，1—9 月累计应为 {} 篇，特此更正。",
                corrected_value.normalize()
            ),
            problems: String::new(),
            next_steps: "今后待采用通报下发后再填报当月数据。".into(),
            submitted_at: at(sent, 140),
            verify_comment: "已核对省政协采用通报，同意更正。".into(),
            decided_by: Some(verifier),
            decided_at: Some(at(self.calendar.add_workdays(sent, 2), 40)),
            corrects: Some(last),
            ..original.clone()
        };
        let first = &mut self.out.reports[last];
        first.value = first_value;
        first.audited = Some(first_value);
        first.state = first_state;
        first.narrative = narrative(target.spec, target.value, first_value, first_state, original.month, seed);
        first.verify_comment = String::new();
        self.out.reports.push(correction);
    }

    /// The year-to-date values of a target for the periods that are due, with
    /// the state, narrative, problems and next steps of each month's report.
    fn track(&self, index: usize, department: usize) -> anyhow::Result<Vec<Point>> {
        let target = &self.stage.targets[index];
        let spec = target.spec;
        let months = self.due_periods().len() as u32;
        let office = self.office;
        let incident = self.data.reports.incidents.iter().find(|incident| {
            office.department_index(&incident.department).ok() == Some(department) && incident.measure == spec.measure
        });
        let correction = &self.data.reports.correction;
        let seed = mix(index as u64, 0xC0FFEE);
        // The corrected target: two items of September were reported late (a correction).
        let later_found = if index == self.corrected_target()? { correction.found_later } else { 0 };
        let mut points: Vec<Point> = Vec::new();
        let mut previous = 0.0_f64;
        for month in 1..=months {
            let wobble = ((mix(seed, u64::from(month)) % 9) as f64 - 4.0) / 100.0;
            let target_value = target.value.to_f64().unwrap_or(0.0);
            let (value, expected) = match Measure::of(spec) {
                Measure::Cumulative => {
                    let expected = target_value * share_of_year(month, spec.month);
                    let mut v = (expected * pace(seed) * (1.0 + wobble)).min(target_value * 1.15);
                    if month >= spec.month {
                        v = v.max(target_value);
                    }
                    let v = if spec.unit == "万字" { (v * 10.0).floor() / 10.0 } else { v.floor() };
                    let v = v.max(previous);
                    previous = v;
                    let found = if month >= correction.month { f64::from(later_found) } else { 0.0 };
                    (v + found, expected)
                }
                Measure::Level => (level_value(spec, target_value, seed, month, wobble), target_value),
                Measure::Zero => {
                    let count = incident.map_or(0.0, |i| if month >= i.month { 1.0 } else { 0.0 });
                    (count, 0.0)
                }
            };
            let value = Decimal::from_f64_retain(value).unwrap_or_default().round_dp(1).normalize();
            let state = state_of(spec, target_value, value.to_f64().unwrap_or(0.0), expected);
            let (problems, next_steps) = match (incident, Measure::of(spec)) {
                (Some(Incident { month: from, problem, next_steps, .. }), Measure::Zero) if month >= *from => {
                    if month == *from {
                        (problem.clone(), next_steps.clone())
                    } else {
                        (
                            format!("本年度已发生 1 次{}（见 {from} 月报告），此后未再发生。", spec.measure),
                            "持续落实整改措施，巩固整改成效。".to_string(),
                        )
                    }
                }
                _ => advice(&self.data.report_phrases, spec, state, month, mix(seed, u64::from(month) + 100)),
            };
            let narrative = narrative(spec, target.value, value, state, month, mix(seed, u64::from(month) + 200));
            points.push(Point { value, state, narrative, problems, next_steps });
        }
        Ok(points)
    }

    // -- Evidence files.

    fn report_files(&mut self) -> anyhow::Result<()> {
        let staff = self.person("staff")?;
        let meetings = self.holder(OFFICE, "会务组织岗")?;
        let corrected = self.corrected_target()?;
        let mut chosen: Vec<(usize, bool)> = Vec::new();
        for (i, report) in self.out.reports.iter().enumerate() {
            let owner = self.stage.targets[report.target].owner;
            let october = report.month == 10;
            let waiting = october && report.status == ReportStatus::Submitted;
            let office = waiting && (owner == Some(staff) || owner == Some(meetings));
            if office || (report.corrects.is_some() && report.target == corrected) {
                chosen.push((i, false));
            }
            if waiting
                && owner == Some(staff)
                && self.stage.targets[report.target].spec.title == self.data.plan_progress.change_request.target
            {
                chosen.push((i, true));
            }
        }
        let fixed = chosen.len();
        let mut others: Vec<(u64, usize)> = self
            .out
            .reports
            .iter()
            .enumerate()
            .filter(|(i, r)| r.status == ReportStatus::Verified && r.month >= 3 && !chosen.iter().any(|c| c.0 == *i))
            .map(|(i, _)| (mix(i as u64, 0xF11E), i))
            .collect();
        others.sort_unstable();
        let mut taken_targets: Vec<usize> = Vec::new();
        for (_, i) in others {
            let target = self.out.reports[i].target;
            if chosen.len() >= fixed + 22 {
                break;
            }
            if !taken_targets.contains(&target) {
                taken_targets.push(target);
                chosen.push((i, chosen.len().is_multiple_of(3)));
            }
        }
        for (i, picture) in chosen {
            let file = self.report_file(i, picture)?;
            self.out.files.push(file);
        }
        Ok(())
    }

    fn report_file(&self, i: usize, picture: bool) -> anyhow::Result<FilePlan> {
        let report = &self.out.reports[i];
        let target = &self.stage.targets[report.target];
        let spec = target.spec;
        let evidence = spec.evidence.split(['、', '，']).next().unwrap_or(&spec.evidence);
        let (name, bytes) = if picture {
            (format!("2026年{}月{}进度图.png", report.month, spec.title), SAMPLE_PNG)
        } else if report.corrects.is_some() {
            ("省政协信息采用情况通报（9月）.pdf".to_string(), SAMPLE_PDF)
        } else {
            (format!("2026年{}月{}.pdf", report.month, evidence), SAMPLE_PDF)
        };
        let kind =
            files::sniff(bytes).ok_or_else(|| anyhow::anyhow!("demo data: an evidence file of an unknown type"))?;
        Ok(FilePlan {
            owner: FileOwner::Report(i),
            name: files::safe_file_name(&name, kind),
            kind,
            bytes,
            uploaded_by: report.submitted_by,
            uploaded_at: report.submitted_at,
        })
    }

    // -- Supervision.

    fn items(&mut self) -> anyhow::Result<()> {
        let officer = self.person("supervisor")?;
        for spec in &self.data.items {
            let department = self.office.department_index(&spec.department)?;
            let co_departments = spec
                .co_departments
                .iter()
                .map(|d| self.office.department_index(d))
                .collect::<anyhow::Result<Vec<_>>>()?;
            anyhow::ensure!(
                !co_departments.contains(&department),
                "demo data: {} names its lead department as co-operating",
                spec.title
            );
            let head = head_of(self.office, department)?;
            let assignee = spec.assignee.as_ref().map(|post| self.holder(&spec.department, post)).transpose()?;
            let opened_by = match spec.opener {
                Opener::Officer => officer,
                Opener::Leader => leader_of(self.office, department)?,
            };
            let mut status: Option<SupervisionStatus> = None;
            let mut return_count = 0;
            let mut events = Vec::new();
            for StepSpec { step, at, note } in &spec.steps {
                let actor = match (step.side(), step) {
                    (SupervisionActor::Supervisor, _) => opened_by,
                    (SupervisionActor::Assignee, Step::Acknowledge) => head,
                    (SupervisionActor::Assignee, _) => assignee.unwrap_or(head),
                };
                if *step == Step::Reject {
                    return_count += 1;
                }
                if let Some(from) = status {
                    let allowed = monitor::supervision_transition(from, step.to(), step.side()).is_some();
                    anyhow::ensure!(allowed, "demo data: {} cannot go from {from:?} to {:?}", spec.title, step.to());
                }
                events.push(EventPlan { at: *at, actor, from: status, to: step.to(), note });
                status = Some(step.to());
            }
            let status = status.ok_or_else(|| anyhow::anyhow!("demo data: an item without steps"))?;
            self.out.items.push(ItemPlan {
                spec,
                department,
                co_departments,
                assignee,
                opened_by,
                status,
                return_count,
                events,
            });
        }
        for (item, plan) in self.out.items.iter().enumerate() {
            for SlipSpec { colour, issued_on, answer, penalty_review } in &plan.spec.slips {
                let answerer = plan.assignee.unwrap_or(head_of(self.office, plan.department)?);
                let answered = answer.as_ref().map(|a| (a.at, a.text.as_str(), answerer));
                let answer_due = self.calendar.add_workdays(*issued_on, SLIP_ANSWER_WORKDAYS);
                let penalty_review = penalty_review.as_ref();
                let slip =
                    SlipPlan { item, colour: *colour, issued_on: *issued_on, answer_due, answered, penalty_review };
                self.out.slips.push(slip);
            }
        }
        Ok(())
    }

    // -- Ledger.

    fn ledger(&mut self) -> anyhow::Result<()> {
        let perf = self.person("perf")?;
        for (i, spec) in self.data.ledger.iter().enumerate() {
            let department = self.office.department_index(&spec.department)?;
            let person = spec.post.as_ref().map(|post| self.holder(&spec.department, post)).transpose()?;
            let head = head_of(self.office, department)?;
            let proposed_by = if spec.item == "criticism" || person == Some(head) { perf } else { head };
            let minutes = (mix(i as u64, 9) % 420) as i64;
            let record = LedgerPlan {
                spec,
                person,
                department: person.is_none().then_some(department),
                proposed_by,
                proposed_at: at(spec.proposed_on(), minutes),
                reviewed_by: spec.reviewed.map(|_| perf),
                reviewed_at: spec.reviewed.map(|day| at(day, minutes / 2 + 20)),
            };
            let bytes = SAMPLE_PDF;
            let kind = files::sniff(bytes).ok_or_else(|| anyhow::anyhow!("demo data: the PDF is not recognised"))?;
            self.out.files.push(FilePlan {
                owner: FileOwner::Ledger(i),
                name: files::safe_file_name(&spec.evidence_file, kind),
                kind,
                bytes,
                uploaded_by: proposed_by,
                uploaded_at: record.proposed_at,
            });
            self.out.ledger.push(record);
        }
        Ok(())
    }

    // -- Service commitment cases.

    fn cases(&mut self) -> anyhow::Result<()> {
        for (c, commitment) in self.stage.commitments.iter().enumerate() {
            let recorded_by = match commitment.post {
                Some(post) => self.office.posts[post].a_holder,
                None => head_of(self.office, commitment.department)?,
            };
            let limit = i64::from(commitment.commitment.days);
            for (j, case) in commitment.commitment.cases.iter().enumerate() {
                let (received, done) = match case.received {
                    Some(received) => (received, case.done),
                    None => {
                        let month = 1 + ((c * 5 + j * 4) % 10) as u32;
                        let first = date(2026, month, 1).pred_opt().unwrap_or(date(2026, month, 1));
                        let received = self.calendar.add_workdays(first, 2 + ((c + j * 7) % 14) as i64);
                        let within = if limit == 1 { ((c + j) % 2) as i64 } else { 1 + ((c * 3 + j) as i64 % limit) };
                        (received, Some(self.calendar.add_workdays(received, within)))
                    }
                };
                self.out.cases.push(CasePlan {
                    commitment: c,
                    subject: &case.subject,
                    received,
                    done,
                    recorded_by,
                    penalty_review: case.penalty_review.as_ref(),
                });
            }
        }
        Ok(())
    }
}

/// One month of a target's track.
#[derive(Debug, Clone)]
struct Point {
    value: Decimal,
    state: ProgressState,
    narrative: String,
    problems: String,
    next_steps: String,
}

/// How a target's value moves through the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    /// A count that adds up month by month.
    Cumulative,
    /// A rate or an average time that stays about level.
    Level,
    /// Incidents or errors with a target of none.
    Zero,
}

impl Measure {
    fn of(spec: &Spec) -> Measure {
        if spec.direction == Direction::LowerBetter && spec.value.is_zero() {
            Measure::Zero
        } else if spec.unit == "%" || spec.unit.contains("工作日") {
            Measure::Level
        } else {
            Measure::Cumulative
        }
    }
}

/// How much of the year's work falls in each month (slow around the Spring
/// Festival and in high summer).
const SEASON: [f64; 12] = [0.5, 0.6, 1.1, 1.0, 1.0, 1.0, 0.8, 0.8, 1.1, 1.1, 1.1, 0.9];

/// The share of a target due in `due_month` expected done by the end of `month`.
fn share_of_year(month: u32, due_month: u32) -> f64 {
    let upto = |m: u32| SEASON[..m.clamp(1, 12) as usize].iter().sum::<f64>();
    (upto(month.min(due_month)) / upto(due_month)).min(1.0)
}

/// A target's pace against plan: most on plan, some slower, a few well behind.
fn pace(seed: u64) -> f64 {
    let fine = ((seed / 100) % 16) as f64 / 100.0;
    match seed % 100 {
        0..72 => 0.98 + fine * 0.9,
        72..92 => 0.88 + fine * 0.55,
        _ => 0.72 + fine * 0.8,
    }
}

/// A rate or an average time in month `month`: most at or better than the
/// target, some a little off and improving, a few clearly off.
fn level_value(spec: &Spec, target: f64, seed: u64, month: u32, wobble: f64) -> f64 {
    let fine = ((seed / 100) % 20) as f64 / 10.0;
    let late_in_year = f64::from(10_u32.saturating_sub(month));
    let value = match spec.direction {
        Direction::HigherBetter => {
            let offset = match seed % 100 {
                0..80 => fine,
                80..95 => -0.3 - fine * 0.6,
                _ => -2.5 - fine,
            };
            let trend = if offset < 0.0 { -late_in_year * 0.12 + wobble * 5.0 } else { wobble.abs() * 5.0 };
            let value = target + offset + trend;
            if spec.unit == "%" { value.min(100.0) } else { value }
        }
        Direction::LowerBetter => {
            let factor = match seed % 100 {
                0..80 => 0.82 + fine * 0.07,
                80..95 => 1.02 + fine * 0.05,
                _ => 1.18 + fine * 0.05,
            };
            target * (factor + late_in_year * 0.007 + wobble / 2.0)
        }
    };
    (value * 10.0).round() / 10.0
}

fn state_of(spec: &Spec, target: f64, value: f64, expected: f64) -> ProgressState {
    match (Measure::of(spec), spec.direction) {
        (Measure::Zero, _) => {
            if value > 0.0 {
                ProgressState::Behind
            } else {
                ProgressState::OnTrack
            }
        }
        (Measure::Cumulative, _) => {
            if value >= target {
                return ProgressState::Done;
            }
            let slack = if target <= 12.0 { 1.0 } else { target * 0.05 };
            if expected - value <= slack {
                ProgressState::OnTrack
            } else if value >= expected * 0.8 {
                ProgressState::AtRisk
            } else {
                ProgressState::Behind
            }
        }
        (Measure::Level, Direction::HigherBetter) => {
            if value >= target {
                ProgressState::OnTrack
            } else if value >= target - 2.0 {
                ProgressState::AtRisk
            } else {
                ProgressState::Behind
            }
        }
        (Measure::Level, Direction::LowerBetter) => {
            if value <= target {
                ProgressState::OnTrack
            } else if value <= target * 1.15 {
                ProgressState::AtRisk
            } else {
                ProgressState::Behind
            }
        }
    }
}

/// The problems and next steps of a month's report.
fn advice(phrases: &ReportPhrases, spec: &Spec, state: ProgressState, month: u32, seed: u64) -> (String, String) {
    let (problems, steps): (&[String], &[String]) = match (state, Measure::of(spec)) {
        (ProgressState::AtRisk | ProgressState::Behind, Measure::Level) => {
            (&phrases.level_problems, &phrases.level_steps)
        }
        (ProgressState::AtRisk | ProgressState::Behind, _) => (&phrases.cumulative_problems, &phrases.cumulative_steps),
        (ProgressState::Done, _) => (&[], &phrases.done_steps),
        _ => (&[], &phrases.routine_steps),
    };
    let problem = if problems.is_empty() { String::new() } else { pick(problems, seed).to_string() };
    let step = if month >= 10 && problems.is_empty() && state != ProgressState::Done {
        "做好年底总结和资料归档准备。"
    } else {
        pick(steps, seed >> 8)
    };
    (problem, step.to_string())
}

/// The narrative of a month's report, in the office's usual wording.
fn narrative(spec: &Spec, target: Decimal, value: Decimal, state: ProgressState, month: u32, seed: u64) -> String {
    let unit = &spec.unit;
    let (v, t) = (value.normalize(), target.normalize());
    let span = if month == 1 { "1 月".to_string() } else { format!("1—{month} 月") };
    let lower = spec.direction == Direction::LowerBetter;
    let text = match Measure::of(spec) {
        Measure::Zero if value.is_zero() => format!("截至 {month} 月底未发生{}，相关制度执行到位。", spec.measure),
        Measure::Zero => format!("截至 {month} 月底发生{}{v}{unit}（年度目标为 0{unit}）。", spec.measure),
        Measure::Cumulative if value.is_zero() => {
            format!("截至 {month} 月底，{}正在推进中，尚未形成最终成果，预计按期完成。", spec.measure)
        }
        Measure::Cumulative => {
            let pct = (value / target * Decimal::from(100)).round();
            let tail = match state {
                ProgressState::Done => pick(&["已完成年度目标", "已提前完成年度目标"], seed),
                ProgressState::OnTrack => pick(&["进度符合年度计划", "按计划有序推进", "进度与时间节点基本同步"], seed),
                ProgressState::AtRisk => pick(&["进度略慢于年度计划", "较计划进度有所滞后"], seed),
                ProgressState::Behind => "进度明显滞后于年度计划",
            };
            format!("{span}累计{}{v}{unit}，占年度目标 {t}{unit} 的 {pct}%，{tail}。", spec.measure)
        }
        Measure::Level => {
            let bound = if lower { "不高于" } else { "不低于" };
            let tail = match state {
                ProgressState::OnTrack | ProgressState::Done => "达到目标要求",
                ProgressState::AtRisk if lower => "略高于目标值",
                ProgressState::AtRisk => "略低于目标要求",
                ProgressState::Behind => "与目标差距较大",
            };
            format!("截至 {month} 月底，{}为 {v}{unit}（年度目标{bound} {t}{unit}），{tail}。", spec.measure)
        }
    };
    let evidence = spec.evidence.split(['、', '，']).next().unwrap_or_default();
    if seed.is_multiple_of(3) && !evidence.is_empty() { format!("{text}{evidence}已同步更新。") } else { text }
}

// ---------------------------------------------------------------------------
// Writing.

/// Writes the plan, then issues today's slips and proposes the automatic
/// ledger records with the application's own code; the counts for the
/// `demo.loaded` audit row.
pub(super) async fn write(
    conn: &mut PgConnection,
    plan: &MonitorPlan,
    ids: &OfficeIds<'_>,
    target_ids: &[i64],
    commitment_ids: &[i64],
) -> anyhow::Result<serde_json::Value> {
    let person = |p: usize| ids.people[p];
    let absences: Vec<DemoAbsence> = plan
        .absences
        .iter()
        .map(|a| DemoAbsence {
            person_id: person(a.person),
            from_date: a.from,
            to_date: a.to,
            kind: a.kind,
            leave_kind: a.leave,
            note: a.note.to_string(),
            recorded_by: person(a.recorded_by),
            created_at: a.created_at,
        })
        .collect();
    sql::insert_absences(conn, &absences).await?;

    let report_ids = sql::next_ids(conn, "progress_report", plan.reports.len()).await?;
    let reports: Vec<DemoReport> = plan
        .reports
        .iter()
        .zip(&report_ids)
        .map(|(r, id)| DemoReport {
            id: *id,
            target_id: target_ids[r.target],
            period_start: r.period.0,
            period_end: r.period.1,
            reported_value: Some(r.value),
            state: r.state,
            narrative: r.narrative.clone(),
            problems: r.problems.clone(),
            next_steps: r.next_steps.clone(),
            status: r.status,
            submitted_by: person(r.submitted_by),
            acting_for: r.acting_for.map(person),
            submitted_at: r.submitted_at,
            audited_value: r.audited,
            verify_comment: r.verify_comment.clone(),
            return_reason: r.return_reason.clone(),
            decided_by: r.decided_by.map(person),
            decided_at: r.decided_at,
            corrects_id: r.corrects.map(|c| report_ids[c]),
            version: if r.status == ReportStatus::Submitted { 1 } else { 2 },
        })
        .collect();
    sql::insert_reports(conn, &reports).await?;

    let item_ids = sql::next_ids(conn, "supervision_item", plan.items.len()).await?;
    write_supervision(conn, plan, ids, &item_ids).await?;

    let ledger_items = crate::db::ledger::seed_default_items(conn).await?;
    let record_ids = sql::next_ids(conn, "ledger_record", plan.ledger.len()).await?;
    let records: Vec<DemoLedgerRecord> = plan
        .ledger
        .iter()
        .zip(&record_ids)
        .map(|(r, id)| DemoLedgerRecord {
            id: *id,
            item_code: &r.spec.item,
            person_id: r.person.map(person),
            department_id: r.department.map(|d| ids.departments[d]),
            occurred_on: r.spec.occurred,
            reason: r.spec.reason.to_string(),
            status: r.spec.status,
            proposed_by: person(r.proposed_by),
            proposed_at: r.proposed_at,
            reviewed_by: r.reviewed_by.map(person),
            reviewed_at: r.reviewed_at,
            review_note: r.spec.review_note.clone(),
        })
        .collect();
    let written_records = sql::insert_ledger_records(conn, &records).await?;
    anyhow::ensure!(written_records as usize == records.len(), "demo data: a ledger item code is missing");

    let attachments: Vec<DemoAttachment> = plan
        .files
        .iter()
        .map(|f| {
            let (owner_type, owner_id) = match f.owner {
                FileOwner::Report(r) => ("progress_report", report_ids[r]),
                FileOwner::Ledger(l) => ("ledger_record", record_ids[l]),
            };
            DemoAttachment {
                owner_type,
                owner_id,
                file_name: f.name.clone(),
                content_type: f.kind.content_type().to_string(),
                sha256: Sha256::digest(f.bytes).iter().map(|b| format!("{b:02x}")).collect(),
                bytes: f.bytes.to_vec(),
                uploaded_by: person(f.uploaded_by),
                uploaded_at: f.uploaded_at,
            }
        })
        .collect();
    sql::insert_attachments(conn, &attachments).await?;

    // The red slips of earlier weeks proposed their penalties then; today's
    // slips (and their penalties) come from the daily task's own code.
    let perf = person(plan.perf);
    propose_old_red_slips(conn, plan, ids, &item_ids, perf).await?;
    let system = AuditContext { actor_name: "system".into(), ..Default::default() };
    let slips_today = crate::workflow::slips::issue_due_slips(conn, TODAY, &system).await?;

    let case_ids = sql::next_ids(conn, "commitment_case", plan.cases.len()).await?;
    let cases: Vec<DemoCase> = plan
        .cases
        .iter()
        .zip(&case_ids)
        .map(|(c, id)| DemoCase {
            id: *id,
            commitment_id: commitment_ids[c.commitment],
            subject: c.subject.to_string(),
            received_on: c.received,
            done_on: c.done,
            recorded_by: person(c.recorded_by),
            created_at: at(c.received, 30 + (mix(*id as u64, 3) % 450) as i64),
        })
        .collect();
    sql::insert_cases(conn, &cases).await?;
    // A case recorded done late proposed its penalty when it was recorded
    // (as the case page does); open cases past their deadline get theirs
    // from the daily task.
    let calendar = crate::db::calendar::load(conn, TODAY - Duration::days(400), TODAY + Duration::days(400)).await?;
    for (case, id) in plan.cases.iter().zip(&case_ids) {
        let Some(done) = case.done else { continue };
        let Some(facts) = crate::db::commitment_cases::find_for_update(conn, *id).await? else { continue };
        if let Some(record) = crate::db::commitment_cases::propose_if_broken(conn, &facts, TODAY, &calendar).await? {
            let review = case.penalty_review.map(|r| (perf, at(r.on, 150), r.status, r.note.as_str()));
            sql::settle_proposal(conn, record, at(done, 420), review).await?;
        }
    }
    crate::db::commitment_cases::propose_for_overdue_cases(conn, TODAY, &calendar).await?;

    Ok(json!({
        "progress_reports": plan.reports.len(),
        "reports_verified": plan.count_reports(ReportStatus::Verified),
        "reports_submitted": plan.count_reports(ReportStatus::Submitted),
        "reports_returned": plan.count_reports(ReportStatus::Returned),
        "evidence_files": attachments.len(),
        "supervision_items": plan.items.len(),
        "supervision_events": plan.items.iter().map(|i| i.events.len()).sum::<usize>(),
        "slips_earlier": plan.slips.len(),
        "slips_today": slips_today,
        "ledger_items_added": ledger_items,
        "ledger_records": plan.ledger.len(),
        "ledger_proposals": sql::count_proposals(conn).await?,
        "commitment_cases": plan.cases.len(),
        "absences": plan.absences.len(),
    }))
}

async fn write_supervision(
    conn: &mut PgConnection,
    plan: &MonitorPlan,
    ids: &OfficeIds<'_>,
    item_ids: &[i64],
) -> anyhow::Result<Vec<i64>> {
    let person = |p: usize| ids.people[p];
    let items: Vec<DemoItem> = plan
        .items
        .iter()
        .zip(item_ids)
        .map(|(i, id)| DemoItem {
            id: *id,
            title: i.spec.title.to_string(),
            content: i.spec.content.to_string(),
            source: i.spec.source,
            department_id: ids.departments[i.department],
            assignee_id: i.assignee.map(person),
            opened_by: person(i.opened_by),
            due_date: i.spec.due,
            status: i.status,
            return_count: i.return_count,
            version: i.events.len() as i32,
            created_at: i.created_at(),
            closed_at: i.closed_at(),
        })
        .collect();
    sql::insert_items(conn, &items).await?;
    let (co_items, co_departments): (Vec<i64>, Vec<i64>) = plan
        .items
        .iter()
        .zip(item_ids)
        .flat_map(|(i, id)| i.co_departments.iter().map(move |d| (*id, ids.departments[*d])))
        .unzip();
    sql::insert_co_departments(conn, &co_items, &co_departments).await?;
    let events: Vec<DemoEvent> = plan
        .items
        .iter()
        .zip(item_ids)
        .flat_map(|(i, id)| {
            i.events.iter().map(move |e| DemoEvent {
                item_id: *id,
                at: e.at,
                actor_id: Some(person(e.actor)),
                from_status: e.from,
                to_status: Some(e.to),
                note: e.note.to_string(),
            })
        })
        .collect();
    sql::insert_events(conn, &events).await?;
    let slip_ids = sql::next_ids(conn, "supervision_slip", plan.slips.len()).await?;
    let slips: Vec<DemoSlip> = plan
        .slips
        .iter()
        .zip(&slip_ids)
        .map(|(s, id)| DemoSlip {
            id: *id,
            item_id: item_ids[s.item],
            colour: s.colour,
            issued_on: s.issued_on,
            answer_due: s.answer_due,
            answered_at: s.answered.map(|a| a.0),
            answer: s.answered.map_or("", |a| a.1).to_string(),
            answered_by: s.answered.map(|a| person(a.2)),
            issue_week: issue_week(s.issued_on),
        })
        .collect();
    sql::insert_slips(conn, &slips).await?;
    Ok(slip_ids)
}

/// The red-slip penalties the daily task proposed for the red slips of
/// earlier weeks (one per item, at its first red slip, with the shipped
/// settings), dated and reviewed as the performance office did then.
async fn propose_old_red_slips(
    conn: &mut PgConnection,
    plan: &MonitorPlan,
    ids: &OfficeIds<'_>,
    item_ids: &[i64],
    reviewer: i64,
) -> anyhow::Result<()> {
    for slip in plan.slips.iter().filter(|s| s.colour == SlipColour::Red) {
        let item = &plan.items[slip.item];
        let reason = format!("红色督办单：{}", item.spec.title);
        let department = ids.departments[item.department];
        let propose = crate::db::supervision::propose_red_slip_penalty;
        let Some(record) = propose(conn, item_ids[slip.item], 0, department, slip.issued_on, &reason).await? else {
            continue;
        };
        let review = slip.penalty_review.map(|r| (reviewer, at(r.on, 100), r.status, r.note.as_str()));
        sql::settle_proposal(conn, record, at(slip.issued_on, 0), review).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use chrono::Datelike;

    use super::*;

    /// The shipped settings, which the demo office keeps.
    const SETTINGS: crate::domain::settings::Settings = crate::domain::settings::Settings::DEFAULT;
    use crate::domain::absences::{Holder, is_vacant_by_absence};
    use crate::domain::monitor::{Cover, slip_colour, supervision_transition};
    use crate::domain::roles::Role;

    fn plans() -> (Plan, StagePlan, MonitorPlan) {
        let office = super::super::plan().expect("the office data are consistent");
        let stage = super::super::targets::plan(&office).expect("the plan data are consistent");
        let monitor = plan(&office, &stage).expect("the monitor data are consistent");
        (office, stage, monitor)
    }

    fn person(office: &Plan, username: &str) -> usize {
        office.people.iter().position(|p| p.username == username).expect(username)
    }

    fn october(report: &ReportPlan) -> bool {
        report.period.0 == date(2026, 10, 1)
    }

    /// The 2026 targets that are reported on: staff and department targets of approved sets.
    fn reported_targets(stage: &StagePlan) -> Vec<usize> {
        (0..stage.targets.len())
            .filter(|t| {
                let set = &stage.sets[stage.targets[*t].set];
                set.cycle == CURRENT && set.level != TargetLevel::Office && set.status == PlanStatus::Approved
            })
            .collect()
    }

    #[test]
    fn every_report_period_has_ended_and_its_deadline_passed() {
        let (_, _, monitor) = plans();
        let cal = calendar();
        let months: HashSet<NaiveDate> = monitor.reports.iter().map(|r| r.period.0).collect();
        assert_eq!(months.len(), 10, "January to October");
        for report in &monitor.reports {
            assert!(report.period.1 < TODAY, "{report:?}");
            assert_eq!(report.due, monitor::report_due(report.period.1, REPORT_DUE_WORKDAYS, &cal));
            assert!(report.due < TODAY);
        }
        let november = monitor::report_due(date(2026, 11, 30), REPORT_DUE_WORKDAYS, &cal);
        assert!(november.month() == 12, "the November report is due in December");
    }

    #[test]
    fn one_report_per_target_and_period_unless_a_correction() {
        let (_, _, monitor) = plans();
        let mut seen: HashMap<(usize, NaiveDate), Vec<usize>> = HashMap::new();
        for (i, report) in monitor.reports.iter().enumerate() {
            seen.entry((report.target, report.period.0)).or_default().push(i);
        }
        let mut corrections = 0;
        for reports in seen.values() {
            let open = reports.iter().filter(|i| monitor.reports[**i].status != ReportStatus::Verified).count();
            assert!(open <= 1);
            for extra in reports.iter().skip(1) {
                let corrected = monitor.reports[*extra].corrects.expect("a second report of a period is a correction");
                assert_eq!(monitor.reports[corrected].status, ReportStatus::Verified);
                assert!(corrected < *extra, "the correction comes later (and gets the larger id)");
                assert_eq!(monitor.reports[corrected].target, monitor.reports[*extra].target);
                corrections += 1;
            }
        }
        assert_eq!(corrections, 1);
    }

    #[test]
    fn every_target_reports_every_month_but_about_a_tenth_miss_october() {
        let (office, stage, monitor) = plans();
        let targets = reported_targets(&stage);
        assert!(targets.len() > 180, "{} targets", targets.len());
        let staff = person(&office, "staff");
        let mut missing_october = 0;
        for target in &targets {
            let months: HashSet<u32> =
                monitor.reports.iter().filter(|r| r.target == *target).map(|r| r.month).collect();
            assert!((1..=9).all(|m| months.contains(&m)), "target {target} misses a month before October");
            if !months.contains(&10) {
                missing_october += 1;
                assert_ne!(stage.targets[*target].owner, Some(staff), "staff's home stays readable");
            }
        }
        let share = missing_october * 100 / targets.len();
        assert!((7..=12).contains(&share), "{missing_october} of {} targets miss October", targets.len());
    }

    #[test]
    fn staffs_october_reports_are_submitted_and_wait_for_the_head() {
        let (office, stage, monitor) = plans();
        let staff = person(&office, "staff");
        let head = person(&office, "head");
        let own: Vec<&ReportPlan> =
            monitor.reports.iter().filter(|r| stage.targets[r.target].owner == Some(staff)).collect();
        let in_october: Vec<&&ReportPlan> = own.iter().filter(|r| october(r)).collect();
        assert_eq!(in_october.len(), 4);
        assert!(
            in_october.iter().all(|r| r.status == ReportStatus::Submitted && r.decided_by.is_none() && !r.is_late())
        );
        assert!(own.iter().all(|r| r.status != ReportStatus::Returned));
        assert!(
            own.iter()
                .filter(|r| !october(r))
                .all(|r| r.status == ReportStatus::Verified && r.decided_by == Some(head))
        );
        let waiting_for_head: HashSet<usize> = monitor
            .reports
            .iter()
            .filter(|r| r.status == ReportStatus::Submitted)
            .filter_map(|r| stage.targets[r.target].owner)
            .filter(|o| *o != head && office.people[*o].department == office.people[head].department)
            .collect();
        assert!(waiting_for_head.len() >= 2, "the head's queue holds reports of several people");
    }

    #[test]
    fn three_or_four_reports_are_returned_one_in_the_general_office_not_staffs() {
        let (office, stage, monitor) = plans();
        let staff = person(&office, "staff");
        let general = office.people[staff].department;
        let returned: Vec<&ReportPlan> =
            monitor.reports.iter().filter(|r| r.status == ReportStatus::Returned).collect();
        assert!((3..=4).contains(&returned.len()));
        assert!(returned.iter().all(|r| !r.return_reason.is_empty() && r.decided_at.is_some() && r.audited.is_none()));
        let owners: Vec<usize> = returned.iter().filter_map(|r| stage.targets[r.target].owner).collect();
        assert!(!owners.contains(&staff));
        assert_eq!(owners.iter().filter(|o| office.people[**o].department == general).count(), 1);
    }

    #[test]
    fn reports_are_sent_in_time_mostly_and_decided_by_the_right_person_after() {
        let (office, stage, monitor) = plans();
        let mut late = 0;
        for report in &monitor.reports {
            let target = &stage.targets[report.target];
            let set = &stage.sets[target.set];
            let department = set.department.unwrap();
            let owner = target.owner.unwrap();
            assert!(report.submitted_at.date_naive() > report.period.1, "{report:?}");
            assert!(report.submitted_at < at(TODAY, -60));
            late += usize::from(report.is_late());
            // The owner sends it, or B while A is away.
            match report.acting_for {
                None => assert_eq!(report.submitted_by, owner),
                Some(a) => {
                    assert_eq!((a, Some(report.submitted_by)), (owner, target.backup));
                    let away = monitor.absences.iter().any(|x| {
                        x.person == owner
                            && x.from <= report.submitted_at.date_naive()
                            && report.submitted_at.date_naive() <= x.to
                    });
                    assert!(away);
                }
            }
            let sent = report.submitted_at.date_naive();
            assert!(
                !monitor.absences.iter().any(|x| x.person == report.submitted_by && x.from <= sent && sent <= x.to)
            );
            if let Some(by) = report.decided_by {
                let decided = report.decided_at.unwrap();
                assert!(report.submitted_at < decided && decided < at(TODAY, -60), "{report:?}");
                let by_leader = set.level == TargetLevel::Department
                    || office.people[owner].grants.contains(&(Role::DepartmentHead, Some(department)));
                let role = if by_leader { Role::SupervisingLeader } else { Role::DepartmentHead };
                assert!(office.people[by].grants.contains(&(role, Some(department))), "{report:?}");
                let day = decided.date_naive();
                assert!(!monitor.absences.iter().any(|x| x.person == by && x.from <= day && day <= x.to));
            }
            if report.status == ReportStatus::Verified {
                assert!(report.audited.is_some());
            }
        }
        let share = late * 1000 / monitor.reports.len();
        assert!((10..=60).contains(&share), "{late} late reports");
        assert!(monitor.reports.iter().any(|r| r.acting_for.is_some()), "B reported for A during an absence");
    }

    #[test]
    fn most_reports_are_on_track_and_completion_rises_through_the_year() {
        let (_, stage, monitor) = plans();
        let count = |s: ProgressState| monitor.reports.iter().filter(|r| r.state == s).count();
        let total = monitor.reports.len();
        assert!(count(ProgressState::OnTrack) * 2 > total);
        assert!(count(ProgressState::AtRisk) > 0 && count(ProgressState::Behind) > 0 && count(ProgressState::Done) > 0);
        for report in
            monitor.reports.iter().filter(|r| matches!(r.state, ProgressState::AtRisk | ProgressState::Behind))
        {
            assert!(!report.problems.is_empty() && !report.next_steps.is_empty(), "{report:?}");
        }
        // Year-to-date counts never go down.
        for target in
            reported_targets(&stage).into_iter().filter(|t| Measure::of(stage.targets[*t].spec) == Measure::Cumulative)
        {
            let mut values: Vec<(u32, Decimal)> = monitor
                .reports
                .iter()
                .filter(|r| r.target == target && r.status == ReportStatus::Verified && r.corrects.is_none())
                .map(|r| (r.month, r.value))
                .collect();
            values.sort();
            assert!(values.windows(2).all(|w| w[0].1 <= w[1].1), "{target}: {values:?}");
        }
    }

    #[test]
    fn about_thirty_reports_carry_valid_small_evidence_files() {
        let (_, _, monitor) = plans();
        let reports: HashSet<usize> = monitor
            .files
            .iter()
            .filter_map(|f| match f.owner {
                FileOwner::Report(r) => Some(r),
                FileOwner::Ledger(_) => None,
            })
            .collect();
        assert!((25..=35).contains(&reports.len()), "{} reports with files", reports.len());
        let kinds: HashSet<&str> = monitor.files.iter().map(|f| f.kind.content_type()).collect();
        assert_eq!(kinds, HashSet::from(["application/pdf", "image/png"]));
        for file in &monitor.files {
            assert_eq!(files::sniff(file.bytes), Some(file.kind));
            assert_eq!(files::safe_file_name(&file.name, file.kind), file.name);
            assert!(file.bytes.len() < 20_000, "{} is {} bytes", file.name, file.bytes.len());
        }
    }

    #[test]
    fn exactly_one_post_is_vacant_today_and_one_is_covered_by_its_b() {
        let (office, _, monitor) = plans();
        let away = |p: usize| monitor.absences.iter().any(|a| a.person == p && a.from <= TODAY && TODAY <= a.to);
        let holder = |p: Option<usize>| Holder::of(p.is_some(), true, p.is_some_and(away));
        let mut vacant = Vec::new();
        let mut covered = Vec::new();
        for post in &office.posts {
            let (a, b) = (holder(Some(post.a_holder)), holder(post.b_holder));
            if is_vacant_by_absence(a, b) {
                vacant.push(post);
            }
            if crate::domain::absences::post_cover(a, b) == Cover::Backup {
                covered.push(post);
            }
        }
        assert_eq!(vacant.len(), 1);
        assert_ne!(office.departments()[vacant[0].department].name, OFFICE);
        assert!(covered.len() >= 2);
        let leave =
            monitor.absences.iter().find(|a| a.from == date(2026, 11, 23) && a.to == date(2026, 12, 4)).unwrap();
        assert_eq!(leave.kind, AbsenceKind::Leave);
        assert!(covered.iter().any(|p| p.a_holder == leave.person));
        let staff = person(&office, "staff");
        let head = person(&office, "head");
        assert!(!away(staff) && !away(head), "the General Office works as usual");
        assert!(monitor.absences.iter().any(|a| a.to < TODAY) && monitor.absences.iter().any(|a| a.from > TODAY));
    }

    #[test]
    fn supervision_items_show_every_state_source_and_colour() {
        let (office, _, monitor) = plans();
        let cal = calendar();
        let statuses: HashSet<SupervisionStatus> = monitor.items.iter().map(|i| i.status).collect();
        assert_eq!(statuses.len(), SupervisionStatus::ALL.len());
        let sources: HashSet<SupervisionSource> = monitor.items.iter().map(|i| i.spec.source).collect();
        assert_eq!(sources.len(), SupervisionSource::ALL.len());
        let colours: Vec<Option<SlipColour>> = monitor
            .items
            .iter()
            .map(|i| slip_colour(i.status, i.spec.due, TODAY, i.return_count, false, &SETTINGS, &cal))
            .collect();
        let count = |c: SlipColour| colours.iter().filter(|x| **x == Some(c)).count();
        assert_eq!((count(SlipColour::Red), count(SlipColour::Yellow), count(SlipColour::Blue)), (2, 1, 1));
        let yellow = monitor.items.iter().zip(&colours).find(|(_, c)| **c == Some(SlipColour::Yellow)).unwrap().0;
        assert_eq!(yellow.return_count, 2);
        assert_eq!(
            yellow
                .events
                .iter()
                .filter(|e| e.from == Some(SupervisionStatus::DoneReported) && e.to == SupervisionStatus::InProgress)
                .count(),
            2
        );
        let departments: HashSet<usize> = monitor.items.iter().map(|i| i.department).collect();
        assert!(departments.len() >= 8);
        let officer = person(&office, "supervisor");
        assert!(monitor.items.iter().any(|i| i.status == SupervisionStatus::DoneReported && i.opened_by == officer));
    }

    #[test]
    fn every_supervision_step_is_allowed_in_order_and_taken_by_its_side() {
        let (office, _, monitor) = plans();
        for item in &monitor.items {
            assert_eq!(item.events[0].from, None);
            assert_eq!(item.events[0].to, SupervisionStatus::Registered);
            for pair in item.events.windows(2) {
                let (before, step) = (&pair[0], &pair[1]);
                assert!(before.at < step.at, "{}", item.spec.title);
                assert_eq!(step.from, Some(before.to));
                let rejected = before.to == SupervisionStatus::DoneReported && step.to == SupervisionStatus::InProgress;
                let side = match step.to {
                    SupervisionStatus::Assigned | SupervisionStatus::Verified | SupervisionStatus::Closed => {
                        SupervisionActor::Supervisor
                    }
                    _ if rejected => SupervisionActor::Supervisor,
                    _ => SupervisionActor::Assignee,
                };
                assert_eq!(supervision_transition(before.to, step.to, side), Some(step.to), "{}", item.spec.title);
                let grants = &office.people[step.actor].grants;
                match side {
                    SupervisionActor::Supervisor => assert!(
                        grants.contains(&(Role::SupervisionOfficer, None))
                            || grants.contains(&(Role::SupervisingLeader, Some(item.department)))
                    ),
                    SupervisionActor::Assignee => assert!(
                        Some(step.actor) == item.assignee
                            || grants.contains(&(Role::DepartmentHead, Some(item.department)))
                    ),
                }
            }
            assert!(item.events.last().unwrap().at < at(TODAY, -60));
            assert_eq!(item.closed_at().is_some(), item.status == SupervisionStatus::Closed);
        }
    }

    #[test]
    fn earlier_slips_match_their_colour_and_one_red_slip_is_unanswered_past_its_date() {
        let (_, _, monitor) = plans();
        let cal = calendar();
        for slip in &monitor.slips {
            let item = &monitor.items[slip.item];
            let status_then = item.events.iter().rev().find(|e| e.at.date_naive() <= slip.issued_on).unwrap().to;
            let returns_then = item
                .events
                .iter()
                .filter(|e| {
                    e.at.date_naive() <= slip.issued_on
                        && e.from == Some(SupervisionStatus::DoneReported)
                        && e.to == SupervisionStatus::InProgress
                })
                .count() as i32;
            let colour = slip_colour(status_then, item.spec.due, slip.issued_on, returns_then, false, &SETTINGS, &cal);
            assert_eq!(colour, Some(slip.colour), "{} on {}", item.spec.title, slip.issued_on);
            assert!(cal.is_workday(slip.issued_on) && slip.issued_on < TODAY);
            if let Some((answered, _, _)) = slip.answered {
                assert!(answered.date_naive() >= slip.issued_on && answered.date_naive() <= slip.answer_due);
            }
        }
        let red: Vec<&SlipPlan> = monitor.slips.iter().filter(|s| s.colour == SlipColour::Red).collect();
        assert!(red.iter().any(|s| s.answered.is_some()));
        assert!(red.iter().any(|s| s.answered.is_none() && s.answer_due < TODAY));
        let weeks: HashSet<(usize, SlipColour, String)> =
            monitor.slips.iter().map(|s| (s.item, s.colour, issue_week(s.issued_on))).collect();
        assert_eq!(weeks.len(), monitor.slips.len(), "one slip per item, colour and week");
        assert!(!weeks.iter().any(|w| w.2 == issue_week(TODAY)), "today's slips come from the application");
    }

    #[test]
    fn ledger_records_cover_people_departments_every_status_and_a_criticism() {
        let (_, _, monitor) = plans();
        assert!((12..=18).contains(&monitor.ledger.len()));
        let statuses: HashSet<LedgerStatus> = monitor.ledger.iter().map(|r| r.spec.status).collect();
        assert_eq!(statuses.len(), 3);
        assert!(monitor.ledger.iter().any(|r| r.spec.item == "criticism" && r.spec.status == LedgerStatus::Accepted));
        assert!(
            monitor.ledger.iter().any(|r| r.person.is_some()) && monitor.ledger.iter().any(|r| r.department.is_some())
        );
        for record in &monitor.ledger {
            assert_eq!(record.person.is_some(), record.department.is_none());
            assert!(!record.spec.reason.trim().is_empty());
            let proposed = record.spec.proposed_on();
            assert!(record.spec.occurred <= proposed && proposed < TODAY);
            assert_eq!(record.spec.reviewed.is_some(), record.spec.status != LedgerStatus::Pending);
            if record.spec.status == LedgerStatus::Rejected {
                assert!(!record.spec.review_note.is_empty());
            }
            if let Some(day) = record.spec.reviewed {
                assert!(proposed <= day && day < TODAY);
            }
        }
        let with_files = monitor.files.iter().filter(|f| matches!(f.owner, FileOwner::Ledger(_))).count();
        assert_eq!(with_files, monitor.ledger.len(), "the standard items ask for evidence");
    }

    #[test]
    fn commitment_cases_are_mostly_kept_with_a_few_broken_and_one_open_past_its_deadline() {
        let (_, stage, monitor) = plans();
        let cal = calendar();
        assert!((35..=45).contains(&monitor.cases.len()));
        let mut kept = 0;
        let mut broken_done = 0;
        let mut broken_open = 0;
        for case in &monitor.cases {
            let limit = i64::from(stage.commitments[case.commitment].commitment.days);
            assert!(case.received < TODAY && case.done.is_none_or(|d| case.received <= d && d < TODAY));
            match (monitor::case_kept(case.received, case.done, limit, TODAY, &cal), case.done) {
                (Some(true), _) => kept += 1,
                (Some(false), Some(_)) => broken_done += 1,
                (Some(false), None) => broken_open += 1,
                (None, _) => {}
            }
        }
        assert_eq!((broken_done, broken_open), (3, 1));
        assert!(kept * 10 >= monitor.cases.len() * 8, "{kept} kept");
        for case in monitor.cases.iter().filter(|c| c.penalty_review.is_some()) {
            assert!(case.done.is_some(), "only a case done late has its penalty reviewed: {}", case.subject);
        }
    }
}

//! Stage 1 of the demo office, plan targets: the 2026 work calendar, the
//! 2025–2027 annual cycles with the office's work points (年度工作要点), the
//! departments' targets and every staff member's targets, one pending change
//! request, post target templates and service commitments.
//!
//! The data are TOML files (see [`super::data`]); [`plan`] walks them into a
//! [`StagePlan`] (pure, unit tested) and [`write`] writes it inside the
//! demo's transaction.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;

use super::Plan;
use super::data::{self, DemoData, PostRef};
use super::monitor::CaseSpec;
use crate::db::commitments::CommitmentData;
use crate::db::cycles::CycleData;
use crate::db::demo::{self as sql, DemoRevision, DemoSet, DemoTarget, DemoTemplate};
use crate::db::post_templates::TemplateData;
use crate::db::targets::TargetData;
use crate::domain::identity::DepartmentKind;
use crate::domain::plan::{
    ChangeKind, CycleKind, CycleStage, Direction, PlanStatus, ReportFrequency, TargetCategory, TargetLevel,
};
use crate::domain::roles::Role;

// ---------------------------------------------------------------------------
// The data: the target files, `cycles.toml`, `plan_progress.toml` and
// `commitments.toml` (see [`super::data`]).

/// One target as the data files describe it, with its 2026 value.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Spec {
    pub(super) title: String,
    pub(super) category: TargetCategory,
    pub(super) measure: String,
    pub(super) unit: String,
    /// The 2026 target value.
    pub(super) value: Decimal,
    /// The 2025 actual, the 2026 baseline; none for work new in 2026.
    #[serde(rename = "last_year", default)]
    pub(super) last: Option<Decimal>,
    #[serde(default = "higher_is_better")]
    pub(super) direction: Direction,
    /// The month the target is due by (its last day).
    #[serde(rename = "due_month", default = "december")]
    pub(super) month: u32,
    /// A department target's work point, by its title.
    #[serde(default)]
    work_point: Option<String>,
    /// A staff target's department target, by its position (1 = the first).
    #[serde(default)]
    department_target: Option<usize>,
    /// The parent: a work point for a department target, a department
    /// target of the same department for a staff target (an index into its
    /// list); set from `work_point` or `department_target` after parsing.
    #[serde(skip)]
    pub(super) under: usize,
    /// The key of the assessment method in `assessment_methods.toml`.
    #[serde(rename = "method")]
    method_key: String,
    /// The text of the assessment method, set from `method_key` after parsing.
    #[serde(skip)]
    pub(super) method: String,
    pub(super) evidence: String,
    pub(super) quality: String,
}

fn higher_is_better() -> Direction {
    Direction::HigherBetter
}

fn december() -> u32 {
    12
}

impl Spec {
    /// Looks up the assessment method and the parent: by the title of a work
    /// point in `work_points` for a department target (`work_points` given),
    /// by position for a staff target, none for a work point.
    pub(super) fn resolve(
        &mut self,
        methods: &HashMap<String, String>,
        work_points: Option<&[Spec]>,
    ) -> anyhow::Result<()> {
        let title = &self.title;
        self.method = methods
            .get(&self.method_key)
            .ok_or_else(|| anyhow::anyhow!("target {title}: no assessment method `{}`", self.method_key))?
            .clone();
        anyhow::ensure!((1..=12).contains(&self.month), "target {title}: due_month must be 1 to 12");
        self.under = match (work_points, &self.work_point, self.department_target) {
            (Some(points), Some(point), None) => points
                .iter()
                .position(|p| p.title == *point)
                .ok_or_else(|| anyhow::anyhow!("target {title}: no work point titled {point}"))?,
            (Some(_), _, _) => anyhow::bail!("target {title}: give its work_point (and no department_target)"),
            (None, None, Some(position)) if position >= 1 => position - 1,
            (None, None, None) => 0,
            (None, _, _) => anyhow::bail!("target {title}: give department_target, a position from 1 (no work_point)"),
        };
        Ok(())
    }
}

/// The targets of one department.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DepartmentTargets {
    pub(super) name: String,
    #[serde(rename = "target")]
    pub(super) targets: Vec<Spec>,
}

/// The targets of a post's holder; `under` names a target of the
/// department. `department` None: the post of that title in any committee office.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PostTargets {
    #[serde(default)]
    department: Option<String>,
    title: String,
    #[serde(rename = "target")]
    pub(super) targets: Vec<Spec>,
}

/// The three annual cycles: which values the targets carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Year {
    /// 2025, closed: the targets were last year's actuals.
    Last,
    /// 2026, in implementation: the data's values with last year's actual as baseline.
    Current,
    /// 2027, in planning: this year's values carried over as next year's.
    Next,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CycleSpec {
    pub(super) name: String,
    pub(super) year: Year,
    stage: CycleStage,
    #[serde(deserialize_with = "data::date")]
    pub(super) period_start: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    pub(super) period_end: NaiveDate,
    /// Planned ends of planning, implementation, assessment and feedback.
    #[serde(deserialize_with = "data::date")]
    planning_until: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    implementation_until: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    assessment_until: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    feedback_until: NaiveDate,
    #[serde(deserialize_with = "data::date")]
    opened: NaiveDate,
    /// The day the targets were written.
    #[serde(deserialize_with = "data::date")]
    drafted: NaiveDate,
}

impl CycleSpec {
    #[cfg(test)]
    fn period(&self) -> (NaiveDate, NaiveDate) {
        (self.period_start, self.period_end)
    }
}

/// The index of the 2026 cycle in `cycles.toml` (the data check keeps the order).
pub(super) const CURRENT: usize = 1;

/// `plan_progress.toml`: where planning stands beyond the routine.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlanProgress {
    next_cycle: NextCycle,
    pub(super) change_request: ChangeRequest,
    templates: Templates,
}

/// The sets of 2027 written so far.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NextCycle {
    department_sets: Vec<DepartmentSet>,
    /// The `staff` account has none: the browser journey writes it. Drafts
    /// lack their last target.
    staff_sets: Vec<StaffSet>,
    /// The returned set carries this target below last year's value.
    returned_target: String,
    return_reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DepartmentSet {
    department: String,
    status: PlanStatus,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StaffSet {
    department: String,
    post: String,
    status: PlanStatus,
}

/// The staff target of `staff` that a pending change request lowers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ChangeRequest {
    pub(super) target: String,
    /// The statutory ground: policy_change, reorganisation, force_majeure or other.
    kind: ChangeKind,
    reason: String,
    proposed_value: Decimal,
}

/// Posts with target templates (their first [`TEMPLATES_PER_POST`] targets).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Templates {
    posts: Vec<PostRef>,
}

const TEMPLATES_PER_POST: usize = 3;

/// A service commitment of a department or a post, with the cases served under it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Commitment {
    pub(super) department: String,
    #[serde(default)]
    pub(super) post: Option<String>,
    pub(super) service: String,
    pub(super) standard: String,
    #[serde(rename = "time_limit_days")]
    pub(super) days: i32,
    #[serde(rename = "case", default)]
    pub(super) cases: Vec<CaseSpec>,
}

pub(super) const fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(d) => d,
        None => panic!("invalid demo date"),
    }
}

// ---------------------------------------------------------------------------
// The plan (no database). Indexes point into the office plan (people, posts,
// departments), the cycles and the plan's own sets and targets.

#[derive(Debug, Clone)]
pub(super) struct SetPlan {
    pub(super) cycle: usize,
    pub(super) level: TargetLevel,
    pub(super) department: Option<usize>,
    pub(super) person: Option<usize>,
    pub(super) status: PlanStatus,
    pub(super) return_reason: &'static str,
    pub(super) submitted_at: Option<DateTime<Utc>>,
    pub(super) decided_at: Option<DateTime<Utc>>,
    pub(super) decided_by: Option<usize>,
}

#[derive(Debug, Clone)]
pub(super) struct TargetPlan {
    pub(super) set: usize,
    pub(super) parent: Option<usize>,
    pub(super) post: Option<usize>,
    pub(super) spec: &'static Spec,
    pub(super) value: Decimal,
    pub(super) baseline: Option<Decimal>,
    pub(super) weight: Decimal,
    pub(super) deadline: NaiveDate,
    pub(super) owner: Option<usize>,
    pub(super) backup: Option<usize>,
    pub(super) sort_order: i32,
}

#[derive(Debug, Clone)]
pub(super) struct ChangePlan {
    target: usize,
    requested_by: usize,
    requested_at: DateTime<Utc>,
    value: Decimal,
}

#[derive(Debug, Clone)]
pub(super) struct TemplatePlan {
    post: usize,
    spec: &'static Spec,
    weight: Decimal,
    sort_order: i32,
}

#[derive(Debug, Clone)]
pub(super) struct CommitmentPlan {
    pub(super) department: usize,
    pub(super) post: Option<usize>,
    pub(super) commitment: &'static Commitment,
}

#[derive(Debug, Clone)]
pub(super) struct StagePlan {
    /// The data the plan was made from.
    data: &'static DemoData,
    pub(super) sets: Vec<SetPlan>,
    pub(super) targets: Vec<TargetPlan>,
    pub(super) changes: Vec<ChangePlan>,
    pub(super) templates: Vec<TemplatePlan>,
    pub(super) commitments: Vec<CommitmentPlan>,
}

impl StagePlan {
    /// The one-line summary printed after loading.
    pub(super) fn summary_line(&self) -> String {
        format!(
            "plan targets: {} cycles, {} target sets, {} targets",
            self.data.cycles.len(),
            self.sets.len(),
            self.targets.len()
        )
    }
}

/// The weights of a set of `count` targets, largest first; they sum to 100.
fn weights(count: usize) -> anyhow::Result<&'static [u32]> {
    Ok(match count {
        3 => &[40, 35, 25],
        4 => &[30, 25, 25, 20],
        5 => &[30, 25, 20, 15, 10],
        6 => &[20, 20, 15, 15, 15, 15],
        _ => anyhow::bail!("demo data: no weights for a set of {count} targets"),
    })
}

/// A moment on `day`, `minutes` after 09:00 in Asia/Shanghai (01:00 UTC).
pub(super) fn at(day: NaiveDate, minutes: i64) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc() + Duration::minutes(60 + minutes)
}

fn month_end(year: i32, month: u32) -> anyhow::Result<NaiveDate> {
    let next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
    next.and_then(|d| d.pred_opt()).ok_or_else(|| anyhow::anyhow!("demo data: no month {month} in {year}"))
}

/// The targets of a department (an index into the office's departments).
fn department_targets(office: &Plan, department: usize) -> anyhow::Result<&'static [Spec]> {
    let name = &office.departments()[department].name;
    let data: &'static DemoData = office.data;
    data.department_targets
        .iter()
        .find(|d| d.name == *name)
        .map(|d| d.targets.as_slice())
        .ok_or_else(|| anyhow::anyhow!("demo data: no targets for {name}"))
}

/// The targets of a post: its own, or the committee offices' for that title.
fn post_targets(office: &Plan, department: usize, title: &str) -> anyhow::Result<&'static [Spec]> {
    let name = &office.departments()[department].name;
    let committee = office.departments()[department].kind == DepartmentKind::CommitteeOffice;
    let data: &'static DemoData = office.data;
    let all = &data.post_targets;
    let own = all.iter().find(|p| p.department.as_ref() == Some(name) && p.title == title);
    let shared = || all.iter().find(|p| committee && p.department.is_none() && p.title == title);
    own.or_else(shared)
        .map(|p| p.targets.as_slice())
        .ok_or_else(|| anyhow::anyhow!("demo data: no targets for {name} {title}"))
}

/// Who a target belongs to: the post, its A as owner and its B as backup.
#[derive(Debug, Clone, Copy, Default)]
struct Holder {
    post: Option<usize>,
    owner: Option<usize>,
    backup: Option<usize>,
}

struct Builder<'a> {
    office: &'a Plan,
    data: &'static DemoData,
    out: StagePlan,
    /// Sets planned so far: spreads submission times over the day.
    sequence: i64,
}

pub(super) fn plan(office: &Plan) -> anyhow::Result<StagePlan> {
    let data = office.data;
    let out = StagePlan {
        data,
        sets: Vec::new(),
        targets: Vec::new(),
        changes: Vec::new(),
        templates: Vec::new(),
        commitments: Vec::new(),
    };
    let mut builder = Builder { office, data, out, sequence: 0 };
    for (cycle, spec) in data.cycles.iter().enumerate() {
        match spec.year {
            Year::Last | Year::Current => builder.approved_cycle(cycle)?,
            Year::Next => builder.next_cycle(cycle)?,
        }
    }
    builder.change_request()?;
    builder.templates()?;
    builder.commitments()?;
    Ok(builder.out)
}

/// The head of a department (an index into the office's people).
pub(super) fn head_of(office: &Plan, department: usize) -> anyhow::Result<usize> {
    let grant = (Role::DepartmentHead, Some(department));
    office.people.iter().position(|p| p.grants.contains(&grant)).ok_or_else(|| anyhow::anyhow!("demo data: no head"))
}

/// The 副秘书长 overseeing the department (the 秘书长 only when no deputy does).
pub(super) fn leader_of(office: &Plan, department: usize) -> anyhow::Result<usize> {
    let people = &office.people;
    let oversees = |i: &usize| people[*i].grants.contains(&(Role::SupervisingLeader, Some(department)));
    let deputy =
        (0..people.len()).filter(oversees).find(|i| !people[*i].grants.contains(&(Role::AssessmentCommittee, None)));
    deputy.or_else(|| (0..people.len()).find(oversees)).ok_or_else(|| anyhow::anyhow!("demo data: no leader"))
}

impl Builder<'_> {
    fn head(&self, department: usize) -> anyhow::Result<usize> {
        head_of(self.office, department)
    }

    fn leader(&self, department: usize) -> anyhow::Result<usize> {
        leader_of(self.office, department)
    }

    fn committee(&self) -> anyhow::Result<usize> {
        let grant = (Role::AssessmentCommittee, None);
        self.office
            .people
            .iter()
            .position(|p| p.grants.contains(&grant))
            .ok_or_else(|| anyhow::anyhow!("demo data: no committee"))
    }

    /// The posts of a department in order.
    fn posts_of(&self, department: usize) -> Vec<usize> {
        (0..self.office.posts.len()).filter(|i| self.office.posts[*i].department == department).collect()
    }

    fn post(&self, department: &str, title: &str) -> anyhow::Result<usize> {
        let department = self.office.department_index(department)?;
        let found = self.posts_of(department).into_iter().find(|i| self.office.posts[*i].title == title);
        found.ok_or_else(|| anyhow::anyhow!("demo data: no post {title}"))
    }

    fn holder(&self, post: usize) -> Holder {
        let p = &self.office.posts[post];
        Holder { post: Some(post), owner: Some(p.a_holder), backup: p.b_holder }
    }

    /// The head as owner of the department's targets, the B of the head's post as backup.
    fn department_holder(&self, department: usize) -> anyhow::Result<Holder> {
        let head = self.head(department)?;
        let post = self.office.posts.iter().find(|p| p.a_holder == head);
        Ok(Holder { post: None, owner: Some(head), backup: post.and_then(|p| p.b_holder) })
    }

    fn set(&mut self, set: SetPlan) -> usize {
        self.sequence += 1;
        self.out.sets.push(set);
        self.out.sets.len() - 1
    }

    fn draft(cycle: usize, level: TargetLevel, department: Option<usize>, person: Option<usize>) -> SetPlan {
        SetPlan {
            cycle,
            level,
            department,
            person,
            status: PlanStatus::Draft,
            return_reason: "",
            submitted_at: None,
            decided_at: None,
            decided_by: None,
        }
    }

    /// Adds the first `count` of `specs` to a set, weighted as a set of all
    /// of them, aligned to `parents`; their indexes.
    fn targets(
        &mut self,
        set: usize,
        specs: &'static [Spec],
        count: usize,
        parents: &[usize],
        holder: Holder,
    ) -> anyhow::Result<Vec<usize>> {
        let cycle = &self.data.cycles[self.out.sets[set].cycle];
        let weights = weights(specs.len())?;
        let mut added = Vec::new();
        for (i, spec) in specs.iter().enumerate().take(count) {
            let (value, baseline) = match cycle.year {
                Year::Last => (spec.last.unwrap_or(spec.value), None),
                Year::Current => (spec.value, spec.last),
                Year::Next => (spec.value, Some(spec.value)),
            };
            self.out.targets.push(TargetPlan {
                set,
                parent: parents.get(spec.under).copied(),
                post: holder.post,
                spec,
                value,
                baseline,
                weight: Decimal::from(weights[i]),
                deadline: month_end(cycle.period_start.year(), spec.month)?,
                owner: holder.owner,
                backup: holder.backup,
                sort_order: (i as i32 + 1) * 10,
            });
            added.push(self.out.targets.len() - 1);
        }
        Ok(added)
    }

    /// 2025 and 2026: work points adopted, every department and every staff
    /// member approved in January.
    fn approved_cycle(&mut self, cycle: usize) -> anyhow::Result<()> {
        let year = self.data.cycles[cycle].period_start.year();
        let day = |d: u32| NaiveDate::from_ymd_opt(year, 1, d).ok_or_else(|| anyhow::anyhow!("demo data: bad day"));
        let adopted = SetPlan {
            status: PlanStatus::Approved,
            decided_at: Some(at(day(8)?, 60)),
            decided_by: Some(self.committee()?),
            ..Self::draft(cycle, TargetLevel::Office, None, None)
        };
        let office = self.set(adopted);
        let work_points = &self.data.work_points;
        let points = self.targets(office, work_points, work_points.len(), &[], Holder::default())?;
        for department in 0..self.office.departments().len() {
            let minutes = self.sequence * 11 % 420;
            let approved = SetPlan {
                status: PlanStatus::Approved,
                submitted_at: Some(at(day(13)?, minutes)),
                decided_at: Some(at(day(15)?, minutes + 30)),
                decided_by: Some(self.leader(department)?),
                ..Self::draft(cycle, TargetLevel::Department, Some(department), None)
            };
            let set = self.set(approved);
            let specs = department_targets(self.office, department)?;
            let holder = self.department_holder(department)?;
            let parents = self.targets(set, specs, specs.len(), &points, holder)?;
            self.approved_people(cycle, department, &parents, (day(20)?, day(23)?))?;
        }
        Ok(())
    }

    /// The approved sets of a department's staff: decided by the head, or by
    /// the leader for the head's own set.
    fn approved_people(
        &mut self,
        cycle: usize,
        department: usize,
        parents: &[usize],
        days: (NaiveDate, NaiveDate),
    ) -> anyhow::Result<()> {
        let head = self.head(department)?;
        for post in self.posts_of(department) {
            let holder = self.holder(post);
            let person = self.office.posts[post].a_holder;
            let decider = if person == head { self.leader(department)? } else { head };
            let minutes = self.sequence * 13 % 420;
            let approved = SetPlan {
                status: PlanStatus::Approved,
                submitted_at: Some(at(days.0, minutes)),
                decided_at: Some(at(days.1, minutes / 2 + 30)),
                decided_by: Some(decider),
                ..Self::draft(cycle, TargetLevel::Person, Some(department), Some(person))
            };
            let set = self.set(approved);
            let specs = post_targets(self.office, department, self.office.posts[post].title)?;
            self.targets(set, specs, specs.len(), parents, holder)?;
        }
        Ok(())
    }

    /// 2027: work points in draft, some departments and staff under way.
    fn next_cycle(&mut self, cycle: usize) -> anyhow::Result<()> {
        let office = self.set(Self::draft(cycle, TargetLevel::Office, None, None));
        let work_points = &self.data.work_points;
        let points = self.targets(office, work_points, work_points.len(), &[], Holder::default())?;
        let mut department_parents = vec![Vec::new(); self.office.departments().len()];
        let next = &self.data.plan_progress.next_cycle;
        for (i, DepartmentSet { department, status }) in next.department_sets.iter().enumerate() {
            let department = self.office.department_index(department)?;
            let mut set = Self::draft(cycle, TargetLevel::Department, Some(department), None);
            set.status = *status;
            if *status == PlanStatus::Submitted {
                set.submitted_at = Some(at(date(2026, 11, 24 + i as u32 % 3), 30 * i as i64));
            }
            let set = self.set(set);
            let specs = department_targets(self.office, department)?;
            let count = if *status == PlanStatus::Draft { specs.len() - 1 } else { specs.len() };
            let holder = self.department_holder(department)?;
            department_parents[department] = self.targets(set, specs, count, &points, holder)?;
        }
        for (i, StaffSet { department, post, status }) in next.staff_sets.iter().enumerate() {
            let post = self.post(department, post)?;
            let parents = department_parents[self.office.posts[post].department].clone();
            self.next_person_set(cycle, post, *status, &parents, i)?;
        }
        Ok(())
    }

    const SUBMISSION_DAYS: [NaiveDate; 6] = [
        date(2026, 11, 19),
        date(2026, 11, 20),
        date(2026, 11, 23),
        date(2026, 11, 24),
        date(2026, 11, 25),
        date(2026, 11, 26),
    ];

    fn next_person_set(
        &mut self,
        cycle: usize,
        post: usize,
        status: PlanStatus,
        parents: &[usize],
        i: usize,
    ) -> anyhow::Result<()> {
        let department = self.office.posts[post].department;
        let person = self.office.posts[post].a_holder;
        let mut set = Self::draft(cycle, TargetLevel::Person, Some(department), Some(person));
        set.status = status;
        if status != PlanStatus::Draft {
            set.submitted_at = Some(at(Self::SUBMISSION_DAYS[i % 6], 17 * i as i64 % 420));
        }
        if status == PlanStatus::Returned {
            set.submitted_at = Some(at(date(2026, 11, 19), 430));
            set.decided_at = Some(at(date(2026, 11, 23), 100));
            set.decided_by = Some(self.head(department)?);
            set.return_reason = &self.data.plan_progress.next_cycle.return_reason;
        }
        let set = self.set(set);
        let specs = post_targets(self.office, department, self.office.posts[post].title)?;
        let count = if status == PlanStatus::Draft { specs.len() - 1 } else { specs.len() };
        let added = self.targets(set, specs, count, parents, self.holder(post))?;
        if status == PlanStatus::Returned {
            let returned = &self.data.plan_progress.next_cycle.returned_target;
            let lowered = added.iter().find(|t| self.out.targets[**t].spec.title == *returned);
            let target = &mut self.out.targets[*lowered.ok_or_else(|| anyhow::anyhow!("demo data: no {returned}"))?];
            target.value = target.spec.last.unwrap_or(target.value);
        }
        Ok(())
    }

    /// `staff` asks to lower one approved 2026 target after a reorganisation.
    fn change_request(&mut self) -> anyhow::Result<()> {
        let staff = self.office.people.iter().position(|p| p.username == "staff");
        let staff = staff.ok_or_else(|| anyhow::anyhow!("demo data: no staff account"))?;
        let sets = &self.out.sets;
        let change = &self.data.plan_progress.change_request;
        let target = self
            .out
            .targets
            .iter()
            .position(|t| {
                sets[t.set].cycle == CURRENT && sets[t.set].person == Some(staff) && t.spec.title == change.target
            })
            .ok_or_else(|| anyhow::anyhow!("demo data: no {} for staff", change.target))?;
        let requested_at = at(date(2026, 11, 16), 80);
        self.out.changes.push(ChangePlan { target, requested_by: staff, requested_at, value: change.proposed_value });
        Ok(())
    }

    fn templates(&mut self) -> anyhow::Result<()> {
        for PostRef { department, post: title } in &self.data.plan_progress.templates.posts {
            let post = self.post(department, title)?;
            let specs = post_targets(self.office, self.office.posts[post].department, title)?;
            let weights = weights(TEMPLATES_PER_POST)?;
            for (i, spec) in specs.iter().take(TEMPLATES_PER_POST).enumerate() {
                let weight = Decimal::from(weights[i]);
                self.out.templates.push(TemplatePlan { post, spec, weight, sort_order: (i as i32 + 1) * 10 });
            }
        }
        Ok(())
    }

    fn commitments(&mut self) -> anyhow::Result<()> {
        for commitment in &self.data.commitments {
            let department = self.office.department_index(&commitment.department)?;
            let post = commitment.post.as_ref().map(|title| self.post(&commitment.department, title)).transpose()?;
            self.out.commitments.push(CommitmentPlan { department, post, commitment });
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Writing.

/// The ids the office part of the demo got, by the office plan's indexes.
pub(super) struct OfficeIds<'a> {
    pub departments: &'a [i64],
    pub people: &'a [i64],
    pub posts: &'a [i64],
}

/// Decimals with the scale of their columns, so the revisions' JSON reads
/// like the one the pages write from stored rows.
fn scaled(value: Decimal) -> Decimal {
    let mut value = value;
    value.rescale(2);
    value
}

impl TargetPlan {
    fn data(&self, target_ids: &[i64], ids: &OfficeIds<'_>) -> TargetData {
        let spec = self.spec;
        TargetData {
            parent_id: self.parent.map(|p| target_ids[p]),
            post_id: self.post.map(|p| ids.posts[p]),
            title: spec.title.clone(),
            category: Some(spec.category),
            kind: None,
            measure: spec.measure.clone(),
            unit: spec.unit.clone(),
            target_value: Some(scaled(self.value)),
            direction: Some(spec.direction),
            baseline: self.baseline.map(scaled),
            weight: scaled(self.weight),
            deadline: Some(self.deadline),
            quality_requirement: spec.quality.clone(),
            assessment_method: spec.method.clone(),
            evidence_required: spec.evidence.clone(),
            owner_id: self.owner.map(|p| ids.people[p]),
            backup_id: self.backup.map(|p| ids.people[p]),
            sort_order: self.sort_order,
        }
    }
}

impl SetPlan {
    fn row(&self, id: i64, cycle_ids: &[i64], ids: &OfficeIds<'_>) -> DemoSet {
        DemoSet {
            id,
            cycle_id: cycle_ids[self.cycle],
            level: self.level,
            department_id: self.department.map(|d| ids.departments[d]),
            person_id: self.person.map(|p| ids.people[p]),
            status: self.status,
            return_reason: self.return_reason.to_string(),
            submitted_at: self.submitted_at,
            decided_at: self.decided_at,
            decided_by: self.decided_by.map(|p| ids.people[p]),
        }
    }
}

impl CycleSpec {
    fn data(&self) -> CycleData {
        CycleData {
            name: self.name.clone(),
            kind: CycleKind::Annual,
            period_start: self.period_start,
            period_end: self.period_end,
            planning_until: self.planning_until,
            implementation_until: self.implementation_until,
            assessment_until: self.assessment_until,
            feedback_until: self.feedback_until,
            report_frequency: ReportFrequency::Monthly,
            all_participants: true,
            annual_cycle_id: None,
            departments: Vec::new(),
            people: Vec::new(),
        }
    }
}

/// What [`write`] stored: the counts for the `demo.loaded` audit row, and the
/// ids of the targets and commitments by the plan's indexes.
pub(super) struct Written {
    pub counts: serde_json::Value,
    pub target_ids: Vec<i64>,
    pub commitment_ids: Vec<i64>,
}

/// Writes the calendar, the cycles, the sets with their targets and
/// revisions, the change request, the templates and the commitments.
pub(super) async fn write(conn: &mut PgConnection, stage: &StagePlan, ids: &OfficeIds<'_>) -> anyhow::Result<Written> {
    let calendar_days = crate::db::calendar::seed_official_years(conn).await?;
    let cycles = &stage.data.cycles;
    let mut cycle_ids = Vec::with_capacity(cycles.len());
    for cycle in cycles {
        let id = sql::insert_cycle(conn, &cycle.data(), cycle.stage, at(cycle.opened, 30)).await?;
        if cycle.stage != CycleStage::Planning {
            crate::db::cycles::freeze_participants(conn, id).await?;
        }
        cycle_ids.push(id);
    }
    let (targets, revisions) = write_sets(conn, stage, &cycle_ids, ids).await?;
    for change in &stage.changes {
        let mut proposed = targets[change.target].data.clone();
        proposed.target_value = Some(scaled(change.value));
        let proposed = serde_json::to_value(&proposed)?;
        let by = ids.people[change.requested_by];
        let request = &stage.data.plan_progress.change_request;
        let grounds = (request.kind, request.reason.as_str());
        sql::insert_change(conn, targets[change.target].id, by, grounds, &proposed, change.requested_at).await?;
    }
    let commitment_ids = write_configuration(conn, stage, ids).await?;
    let counts = json!({
        "calendar_days": calendar_days,
        "cycles": cycles.len(),
        "target_sets": stage.sets.len(),
        "targets": targets.len(),
        "target_revisions": revisions,
        "target_changes": stage.changes.len(),
        "post_target_templates": stage.templates.len(),
        "service_commitments": stage.commitments.len(),
    });
    Ok(Written { counts, target_ids: targets.iter().map(|t| t.id).collect(), commitment_ids })
}

/// The sets and their targets with ids taken up front (parents refer to
/// targets of the same insert), and a revision per approved target: the
/// targets written and the number of revisions.
async fn write_sets(
    conn: &mut PgConnection,
    stage: &StagePlan,
    cycle_ids: &[i64],
    ids: &OfficeIds<'_>,
) -> anyhow::Result<(Vec<DemoTarget>, usize)> {
    let set_ids = sql::next_target_set_ids(conn, stage.sets.len()).await?;
    let target_ids = sql::next_target_ids(conn, stage.targets.len()).await?;
    let sets: Vec<DemoSet> = stage.sets.iter().zip(&set_ids).map(|(s, id)| s.row(*id, cycle_ids, ids)).collect();
    sql::insert_sets(conn, &sets).await?;
    let targets: Vec<DemoTarget> = stage
        .targets
        .iter()
        .zip(&target_ids)
        .map(|(t, id)| DemoTarget {
            id: *id,
            set_id: set_ids[t.set],
            data: t.data(&target_ids, ids),
            created_at: at(stage.data.cycles[stage.sets[t.set].cycle].drafted, 20),
        })
        .collect();
    sql::insert_targets(conn, &targets).await?;
    let mut revisions = Vec::new();
    for (target, plan) in targets.iter().zip(&stage.targets) {
        let set = &sets[plan.set];
        if let (PlanStatus::Approved, Some(at)) = (set.status, set.decided_at) {
            let new_values = serde_json::to_value(&target.data)?;
            revisions.push(DemoRevision {
                target_id: target.id,
                changed_by: set.decided_by,
                changed_at: at,
                new_values,
            });
        }
    }
    sql::insert_revisions(conn, &revisions).await?;
    Ok((targets, revisions.len()))
}

/// The templates and the commitments; the commitments' ids.
async fn write_configuration(
    conn: &mut PgConnection,
    stage: &StagePlan,
    ids: &OfficeIds<'_>,
) -> anyhow::Result<Vec<i64>> {
    let templates: Vec<DemoTemplate> = stage
        .templates
        .iter()
        .map(|t| DemoTemplate {
            post_id: ids.posts[t.post],
            data: TemplateData {
                title: t.spec.title.clone(),
                category: t.spec.category,
                measure: t.spec.measure.clone(),
                unit: t.spec.unit.clone(),
                target_value: Some(scaled(t.spec.value)),
                direction: t.spec.direction,
                weight: scaled(t.weight),
                quality_requirement: t.spec.quality.to_string(),
                assessment_method: t.spec.method.to_string(),
                evidence_required: t.spec.evidence.to_string(),
                sort_order: t.sort_order,
            },
        })
        .collect();
    sql::insert_templates(conn, &templates).await?;
    let commitments: Vec<CommitmentData> = stage
        .commitments
        .iter()
        .map(|c| CommitmentData {
            department_id: ids.departments[c.department],
            post_id: c.post.map(|p| ids.posts[p]),
            service: c.commitment.service.to_string(),
            standard: c.commitment.standard.to_string(),
            time_limit_days: c.commitment.days,
            active: true,
        })
        .collect();
    let commitment_ids = sql::next_ids(conn, "service_commitment", commitments.len()).await?;
    sql::insert_commitments(conn, &commitment_ids, &commitments).await?;
    Ok(commitment_ids)
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::super::OFFICE;
    use super::*;
    use crate::domain::plan::{PlanIssue, TargetFacts, check_set, check_target};

    const NEXT: usize = 2;

    fn plans() -> (Plan, StagePlan) {
        let office = super::super::plan().expect("the office data are consistent");
        let stage = plan(&office).expect("the plan data are consistent");
        (office, stage)
    }

    fn person(office: &Plan, username: &str) -> usize {
        office.people.iter().position(|p| p.username == username).expect(username)
    }

    fn facts(t: &TargetPlan) -> TargetFacts {
        TargetFacts {
            qualitative: false,
            title: t.spec.title.clone(),
            measure: t.spec.measure.clone(),
            target_value: Some(t.value),
            baseline: t.baseline,
            direction: Some(t.spec.direction),
            weight: t.weight,
            deadline: Some(t.deadline),
            assessment_method: t.spec.method.clone(),
            // Distinct stand-ins for the people: the check compares ids.
            owner_id: t.owner.map(|p| p as i64),
            backup_id: t.backup.map(|p| p as i64),
        }
    }

    fn targets_of(stage: &StagePlan, set: usize) -> Vec<&TargetPlan> {
        stage.targets.iter().filter(|t| t.set == set).collect()
    }

    fn person_sets(stage: &StagePlan, cycle: usize) -> Vec<(usize, &SetPlan)> {
        let sets = stage.sets.iter().enumerate();
        sets.filter(|(_, s)| s.cycle == cycle && s.level == TargetLevel::Person).collect()
    }

    /// The people who take part in every cycle: active staff (see the
    /// `cycle_participant` view), here every department member.
    fn participants(office: &Plan) -> HashSet<usize> {
        let staff = (Role::Staff, None);
        (0..office.people.len()).filter(|i| office.people[*i].grants.contains(&staff)).collect()
    }

    #[test]
    fn every_participant_has_an_approved_set_of_three_to_five_targets_in_2025_and_2026() {
        let (office, stage) = plans();
        for cycle in [0, CURRENT] {
            let sets = person_sets(&stage, cycle);
            let owners: HashSet<usize> = sets.iter().filter_map(|(_, s)| s.person).collect();
            assert_eq!(owners, participants(&office), "{}", stage.data.cycles[cycle].name);
            assert_eq!(sets.len(), owners.len());
            for (index, set) in sets {
                assert_eq!(set.status, PlanStatus::Approved);
                assert!((3..=5).contains(&targets_of(&stage, index).len()));
            }
        }
    }

    #[test]
    fn every_set_but_drafts_weighs_exactly_100() {
        let (_, stage) = plans();
        for (index, set) in stage.sets.iter().enumerate() {
            let weights: Vec<Decimal> = targets_of(&stage, index).iter().map(|t| t.weight).collect();
            let issues = check_set(&weights, set.level);
            if set.status == PlanStatus::Draft && set.level != TargetLevel::Office {
                assert_eq!(issues, [PlanIssue::WeightsNot100], "a draft is still being written");
            } else {
                assert_eq!(weights.iter().sum::<Decimal>(), Decimal::from(100), "{set:?}");
                assert!(issues.is_empty());
            }
        }
    }

    #[test]
    fn every_2026_target_is_complete_and_not_below_last_year() {
        let (office, stage) = plans();
        let current: Vec<&TargetPlan> = stage.targets.iter().filter(|t| stage.sets[t.set].cycle == CURRENT).collect();
        assert!(current.len() > 200, "{} targets", current.len());
        for target in current {
            let issues = check_target(&facts(target), stage.data.cycles[CURRENT].period());
            assert!(issues.is_empty(), "{}: {issues:?}", target.spec.title);
            let spec = target.spec;
            assert!([&spec.unit, &spec.evidence, &spec.quality].iter().all(|s| !s.is_empty()), "{}", spec.title);
            if stage.sets[target.set].level == TargetLevel::Person {
                let owner = target.owner.expect("a staff target has an owner");
                let post = &office.posts[target.post.expect("a staff target names the post")];
                assert_eq!((post.a_holder, post.b_holder), (owner, target.backup));
            }
        }
    }

    #[test]
    fn most_2026_targets_have_last_years_value_as_baseline() {
        let (_, stage) = plans();
        let current: Vec<&TargetPlan> = stage.targets.iter().filter(|t| stage.sets[t.set].cycle == CURRENT).collect();
        let with_baseline = current.iter().filter(|t| t.baseline.is_some()).count();
        assert!(with_baseline * 10 >= current.len() * 9, "{with_baseline} of {}", current.len());
    }

    #[test]
    fn targets_align_to_the_level_above_in_the_same_cycle_and_department() {
        let (_, stage) = plans();
        for target in &stage.targets {
            let set = &stage.sets[target.set];
            let Some(parent) = target.parent else {
                assert!(set.level == TargetLevel::Office || set.cycle == NEXT, "{}", target.spec.title);
                continue;
            };
            let parent_set = &stage.sets[stage.targets[parent].set];
            assert_eq!(parent_set.cycle, set.cycle);
            match set.level {
                TargetLevel::Person => {
                    assert_eq!(parent_set.level, TargetLevel::Department);
                    assert_eq!(parent_set.department, set.department);
                }
                _ => assert_eq!(parent_set.level, TargetLevel::Office),
            }
        }
    }

    #[test]
    fn every_under_index_names_a_target_of_the_level_above() {
        let (office, _) = plans();
        for department in &office.data.department_targets {
            let (name, specs) = (&department.name, &department.targets);
            assert!((3..=4).contains(&specs.len()), "{name}");
            assert!(specs.iter().all(|s| s.under < office.data.work_points.len()), "{name}");
        }
        for (index, department) in office.departments().iter().enumerate() {
            let parents = department_targets(&office, index).unwrap().len();
            for member in &department.members {
                let specs = post_targets(&office, index, &member.post).unwrap();
                assert!((3..=5).contains(&specs.len()), "{} {}", department.name, member.post);
                assert!(specs.iter().all(|s| s.under < parents), "{} {}", department.name, member.post);
            }
        }
    }

    #[test]
    fn sets_are_decided_by_the_head_or_for_heads_and_departments_by_the_leader() {
        let (office, stage) = plans();
        let leader = person(&office, "leader");
        let head = person(&office, "head");
        let office_department = Some(office.department_index(OFFICE).unwrap());
        for set in stage.sets.iter().filter(|s| s.status == PlanStatus::Approved && s.level != TargetLevel::Office) {
            let decider = &office.people[set.decided_by.unwrap()];
            let department = set.department.unwrap();
            let by_leader = set.level == TargetLevel::Department
                || set
                    .person
                    .is_some_and(|p| office.people[p].grants.contains(&(Role::DepartmentHead, Some(department))));
            let role = if by_leader { Role::SupervisingLeader } else { Role::DepartmentHead };
            assert!(decider.grants.contains(&(role, Some(department))), "{set:?}");
            if set.department == office_department {
                assert!(set.decided_by == Some(leader) || set.decided_by == Some(head));
            }
        }
    }

    #[test]
    fn in_2027_exactly_one_set_is_returned_in_the_general_office_and_staff_has_none() {
        let (office, stage) = plans();
        let sets = person_sets(&stage, NEXT);
        let staff = person(&office, "staff");
        let head = person(&office, "head");
        assert!(sets.iter().all(|(_, s)| s.person != Some(staff)));
        let returned: Vec<&(usize, &SetPlan)> = sets.iter().filter(|(_, s)| s.status == PlanStatus::Returned).collect();
        assert_eq!(returned.len(), 1);
        let (index, set) = returned[0];
        assert_eq!(set.department, Some(office.department_index(OFFICE).unwrap()));
        assert!(set.person != Some(head) && !set.return_reason.is_empty() && set.decided_by == Some(head));
        let below = targets_of(&stage, *index)
            .into_iter()
            .filter(|t| check_target(&facts(t), stage.data.cycles[NEXT].period()).contains(&PlanIssue::BelowLastYear))
            .count();
        assert_eq!(below, 1, "the reason names the one target below last year");
    }

    #[test]
    fn in_2027_the_head_and_the_leaders_have_sets_waiting() {
        let (office, stage) = plans();
        let head = person(&office, "head");
        let office_department = Some(office.department_index(OFFICE).unwrap());
        let waiting = person_sets(&stage, NEXT)
            .into_iter()
            .filter(|(_, s)| {
                s.status == PlanStatus::Submitted && s.department == office_department && s.person != Some(head)
            })
            .count();
        assert!(waiting >= 2, "{waiting} staff sets wait for the head");
        let departments = stage.sets.iter().filter(|s| s.cycle == NEXT && s.level == TargetLevel::Department);
        assert!(departments.filter(|s| s.status == PlanStatus::Submitted).count() >= 3);
        for (index, set) in
            stage.sets.iter().enumerate().filter(|(_, s)| s.cycle == NEXT && s.status == PlanStatus::Submitted)
        {
            for target in targets_of(&stage, index) {
                let issues = check_target(&facts(target), stage.data.cycles[NEXT].period());
                assert!(issues.iter().all(|i| !i.is_blocking()), "{set:?} {issues:?}");
            }
        }
    }

    #[test]
    fn the_pending_change_lowers_an_approved_2026_target_of_staff() {
        let (office, stage) = plans();
        assert_eq!(stage.changes.len(), 1);
        let change = &stage.changes[0];
        let target = &stage.targets[change.target];
        let set = &stage.sets[target.set];
        assert_eq!(
            (set.cycle, set.status, set.person),
            (CURRENT, PlanStatus::Approved, Some(person(&office, "staff")))
        );
        assert!(change.value < target.value);
        assert!(change.requested_at > set.decided_at.unwrap());
    }

    #[test]
    fn templates_and_commitments_are_few_and_sensible() {
        let (_, stage) = plans();
        let mut per_post: HashMap<usize, Vec<Decimal>> = HashMap::new();
        for t in &stage.templates {
            per_post.entry(t.post).or_default().push(t.weight);
        }
        assert_eq!(per_post.len(), stage.data.plan_progress.templates.posts.len());
        assert!(
            per_post.values().all(|w| (2..=3).contains(&w.len()) && w.iter().sum::<Decimal>() == Decimal::from(100))
        );
        let mut per_department: HashMap<usize, usize> = HashMap::new();
        for c in &stage.commitments {
            *per_department.entry(c.department).or_default() += 1;
            assert!(c.commitment.days > 0 && !c.commitment.standard.is_empty());
        }
        assert!(per_department.values().all(|n| (2..=3).contains(n)));
        assert!((5..=6).contains(&per_department.len()), "about half the departments");
    }

    #[test]
    fn the_cycles_are_consistent_and_decisions_come_before_today() {
        let today = at(date(2026, 11, 27), 0);
        let (_, stage) = plans();
        for cycle in &stage.data.cycles {
            let until =
                [cycle.planning_until, cycle.implementation_until, cycle.assessment_until, cycle.feedback_until];
            assert!(cycle.period_start <= cycle.period_end && until.is_sorted(), "{}", cycle.name);
            assert!(cycle.opened < cycle.drafted);
        }
        for set in &stage.sets {
            assert!(set.submitted_at.is_none_or(|s| s < today) && set.decided_at.is_none_or(|d| d < today), "{set:?}");
            if let (Some(s), Some(d)) = (set.submitted_at, set.decided_at) {
                assert!(s < d, "{set:?}");
            }
        }
    }

    #[test]
    fn month_ends_and_shanghai_times() {
        assert_eq!(month_end(2028, 2).unwrap(), date(2028, 2, 29));
        assert_eq!(month_end(2026, 12).unwrap(), date(2026, 12, 31));
        assert_eq!(at(date(2026, 1, 8), 0).to_rfc3339(), "2026-01-08T01:00:00+00:00");
    }
}

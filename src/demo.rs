//! The demo office: a fictional 某市政协机关 (the office of the municipal CPPCC
//! committee of an unnamed city) with its eleven departments, about sixty
//! people with generated names, their posts with A/B holders, one sign-in
//! per role, and the committee's 120 members ([`members`]). Everything here is invented; no name belongs to a real official.
//!
//! The data are TOML files under `src/demo/data/` (see [`data`]); [`plan`]
//! walks them into a [`Plan`] (pure, unit tested) and [`load`] writes the
//! plan in one transaction, together with
//! the Stage 1 data of [`targets`] (three annual cycles and their targets)
//! and the Stage 2 data of [`monitor`] (progress reports, supervision, the
//! ledger, commitment cases and absences as they stand on [`monitor::TODAY`]).

mod appeals;
mod assess;
mod data;
mod decided;
mod department_assessment;
mod events;
mod excellence;
mod feedback;
mod members;
mod monitor;
mod rectification;
mod result_use;
pub mod scale;
mod surveys;
mod targets;

use std::collections::HashSet;

use serde::Deserialize;
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use crate::auth::password::Passwords;
use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::departments::{self, DepartmentData};
use crate::db::people::{self, PersonData};
use crate::db::posts::{self, PostData};
use crate::domain::identity::{DepartmentKind, IdentityType};
use crate::domain::roles::{Role, RoleGrant};
use data::{DemoData, PostRef};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "Demo@2026pass";

/// The fixed demo sign-ins: username and what the account is for.
pub const DEMO_ACCOUNTS: &[(&str, &str)] = &[
    ("admin", "System administrator"),
    ("perf", "Performance office"),
    ("head", "Department head (General Office)"),
    ("staff", "Staff (General Office)"),
    ("leader", "Supervising leader (deputy secretary-general)"),
    ("committee", "Assessment committee (secretary-general)"),
    ("discipline", "Discipline inspection"),
    ("supervisor", "Supervision officer"),
    ("auditor", "Auditor (read-only)"),
];

// ---------------------------------------------------------------------------
// The data: `office.toml` and `names.toml` (see [`data`]).

/// `office.toml`: the departments with their members, the leaders, and the
/// one active post left without a B holder (so the organisation page has
/// exactly one warning to show).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficeFile {
    post_without_backup: PostRef,
    #[serde(rename = "department")]
    departments: Vec<Department>,
    #[serde(rename = "leader")]
    leaders: Vec<Leader>,
}

/// One person of a department and the post they hold as A. The first member
/// of a department is its head.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Member {
    post: String,
    duties: Vec<String>,
    identity: IdentityType,
    rank: String,
    /// One of the fixed demo usernames.
    login: Option<String>,
    /// An office-wide role besides Staff.
    role: Option<Role>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Department {
    name: String,
    kind: DepartmentKind,
    #[serde(rename = "member")]
    members: Vec<Member>,
}

/// A 秘书长 or 副秘书长: no department, no post.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Leader {
    rank: String,
    login: Option<String>,
    #[serde(rename = "assessment_committee")]
    committee: bool,
    /// The office's principal leader (主要领导).
    #[serde(default)]
    principal: bool,
    oversees: Vec<String>,
}

/// `names.toml`: the surnames and given names walked in step, and the
/// combinations skipped because they are the names of well-known public figures.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NamesFile {
    surnames: Vec<NamePart>,
    given_names: Vec<NamePart>,
    avoid: Vec<String>,
}

/// A surname or given name with its pinyin.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NamePart {
    name: String,
    pinyin: String,
}

/// The department the code itself refers to (the General Office's evidence files).
const OFFICE: &str = "办公室";

/// The other departments by name, for the tests' checks of the shipped data.
#[cfg(test)]
mod department_names {
    pub(super) const RESEARCH: &str = "研究室";
    pub(super) const PROPOSALS: &str = "提案委员会办公室";
    pub(super) const ECONOMY: &str = "经济委员会办公室";
    pub(super) const CULTURE: &str = "文史和学习委员会办公室";
    pub(super) const LAW: &str = "社会和法制委员会办公室";
    pub(super) const ENVIRONMENT: &str = "人口资源环境委员会办公室";
    pub(super) const OVERSEAS: &str = "港澳台侨和外事委员会办公室";
    pub(super) const ETHNIC: &str = "民族和宗教委员会办公室";
    pub(super) const PARTY: &str = "机关党委（人事处）";
    pub(super) const IT: &str = "信息中心";
}
#[cfg(test)]
use department_names::*;

/// Step through the surname × given-name pairs; coprime with their product
/// (31 × 40 as shipped; a unit test checks it).
const NAME_STEP: usize = 17;

// ---------------------------------------------------------------------------
// The plan: the data walked into people, grants and posts (no database).

#[derive(Debug, Clone)]
struct PlannedPerson {
    username: String,
    full_name: String,
    identity: IdentityType,
    rank: &'static str,
    /// Index into the departments of [`OfficeFile`].
    department: Option<usize>,
    phone: String,
    /// Roles with the index of their department for scoped roles.
    grants: Vec<(Role, Option<usize>)>,
}

#[derive(Debug, Clone)]
struct PlannedPost {
    department: usize,
    title: &'static str,
    duties: &'static [String],
    /// Indexes into [`Plan::people`].
    a_holder: usize,
    b_holder: Option<usize>,
    sort_order: i32,
}

#[derive(Debug, Clone)]
struct Plan {
    /// The data the plan was made from.
    data: &'static DemoData,
    people: Vec<PlannedPerson>,
    posts: Vec<PlannedPost>,
}

impl Plan {
    fn grant_count(&self) -> usize {
        self.people.iter().map(|p| p.grants.len()).sum()
    }

    fn departments(&self) -> &'static [Department] {
        &self.data.office.departments
    }

    /// The index of the department named `name`.
    fn department_index(&self, name: &str) -> anyhow::Result<usize> {
        self.departments()
            .iter()
            .position(|d| d.name == name)
            .ok_or_else(|| anyhow::anyhow!("demo data: no department named {name}"))
    }
}

/// Hands out names, usernames and phone numbers in a fixed order.
#[derive(Debug)]
struct Names {
    source: &'static NamesFile,
    next: usize,
    usernames: HashSet<String>,
}

impl Names {
    /// Reserves the fixed demo usernames so no generated one takes them.
    fn new(source: &'static NamesFile) -> Names {
        let usernames = DEMO_ACCOUNTS.iter().map(|(u, _)| u.to_string()).collect();
        Names { source, next: 0, usernames }
    }

    /// The next unused name that is not a public figure's: (full name, pinyin).
    fn next_name(&mut self) -> (String, String) {
        let (surnames, given_names) = (&self.source.surnames, &self.source.given_names);
        loop {
            let pair = (self.next * NAME_STEP) % (surnames.len() * given_names.len());
            self.next += 1;
            let surname = &surnames[pair % surnames.len()];
            let given = &given_names[pair % given_names.len()];
            let full_name = format!("{}{}", surname.name, given.name);
            if !self.source.avoid.contains(&full_name) {
                return (full_name, format!("{}{}", surname.pinyin, given.pinyin));
            }
        }
    }

    /// `base`, or `base2`, `base3`… when taken (徐伟 and 许伟 are both xuwei).
    fn unique_username(&mut self, base: &str) -> String {
        let mut candidate = base.to_string();
        let mut n = 2;
        while self.usernames.contains(&candidate) {
            candidate = format!("{base}{n}");
            n += 1;
        }
        self.usernames.insert(candidate.clone());
        candidate
    }

    fn person(&mut self, login: Option<&str>, identity: IdentityType, rank: &'static str) -> PlannedPerson {
        let (full_name, pinyin) = self.next_name();
        let username = match login {
            Some(login) => login.to_string(),
            None => self.unique_username(&pinyin),
        };
        let phone = format!("0571-8705{:04}", 2001 + self.next * 7);
        PlannedPerson { username, full_name, identity, rank, department: None, phone, grants: Vec::new() }
    }
}

/// The office plan of the embedded data.
fn plan() -> anyhow::Result<Plan> {
    plan_office(data::get()?)
}

fn plan_office(data: &'static DemoData) -> anyhow::Result<Plan> {
    let mut names = Names::new(&data.names);
    let mut plan = Plan { data, people: Vec::new(), posts: Vec::new() };
    for (index, department) in data.office.departments.iter().enumerate() {
        plan_department(&mut plan, &mut names, index, department);
    }
    for leader in &data.office.leaders {
        let mut person = names.person(leader.login.as_deref(), IdentityType::CivilServant, &leader.rank);
        if leader.committee {
            person.grants.push((Role::AssessmentCommittee, None));
        }
        if leader.principal {
            person.grants.push((Role::PrincipalLeader, None));
        }
        for name in &leader.oversees {
            person.grants.push((Role::SupervisingLeader, Some(plan.department_index(name)?)));
        }
        plan.people.push(person);
    }
    Ok(plan)
}

/// The department's people (the first is the head) and one post each, whose B
/// is the next colleague in the list.
fn plan_department(plan: &mut Plan, names: &mut Names, index: usize, department: &'static Department) {
    let first = plan.people.len();
    let size = department.members.len();
    let no_backup = &plan.data.office.post_without_backup;
    for (i, member) in department.members.iter().enumerate() {
        let mut person = names.person(member.login.as_deref(), member.identity, &member.rank);
        person.department = Some(index);
        person.grants.push((Role::Staff, None));
        if i == 0 {
            person.grants.push((Role::DepartmentHead, Some(index)));
        }
        person.grants.extend(member.role.map(|role| (role, None)));
        plan.people.push(person);
        let without_backup = no_backup.department == department.name && no_backup.post == member.post;
        plan.posts.push(PlannedPost {
            department: index,
            title: &member.post,
            duties: &member.duties,
            a_holder: first + i,
            b_holder: (!without_backup).then_some(first + (i + 1) % size),
            sort_order: (i as i32 + 1) * 10,
        });
    }
}

// ---------------------------------------------------------------------------
// Loading.

/// Loads the demo office into an empty database; does nothing when any
/// department exists already.
pub async fn load(pool: &PgPool, passwords: &Passwords) -> anyhow::Result<()> {
    let plan = plan()?;
    let stage = targets::plan(&plan)?;
    let monitoring = monitor::plan(&plan, &stage)?;
    let assessing = assess::plan(&plan, plan.data)?;
    let deciding = decided::plan(&plan, plan.data)?;
    let members = members::plan(&plan)?;
    let departments_assessed = department_assessment::plan(&plan)?;
    let work_events = events::plan(&plan)?;
    let started = std::time::Instant::now();
    let mut tx = pool.begin().await?;
    if !crate::db::demo::office_is_empty(&mut tx).await? {
        println!("demo office already loaded; nothing to do");
        return Ok(());
    }
    // One hash for every demo account: they all share the salt, which is
    // acceptable for demo data only (it saves ~50 ms of argon2 per account).
    let hash = passwords.hash(DEMO_PASSWORD.to_string()).await?;
    let assessed = (&assessing, &deciding, &departments_assessed);
    write(&mut tx, &plan, &stage, &monitoring, assessed, (&members, &work_events), &hash).await?;
    tx.commit().await?;
    print_sign_ins(&plan);
    println!("{}", stage.summary_line());
    println!("{}", monitoring.summary_line());
    println!("{}", assessing.summary_line());
    println!("{} (loaded in {:.1} s)", deciding.summary_line(), started.elapsed().as_secs_f64());
    Ok(())
}

async fn write(
    conn: &mut PgConnection,
    plan: &Plan,
    stage: &targets::StagePlan,
    monitoring: &monitor::MonitorPlan,
    (assessing, deciding, departments_assessed): (
        &assess::AssessPlan,
        &decided::DecidedPlan,
        &department_assessment::DepartmentAssessmentPlan,
    ),
    (members, work_events): (&members::MemberPlan, &[events::PlannedEvent]),
    hash: &str,
) -> anyhow::Result<()> {
    let department_ids = create_departments(conn, plan).await?;
    let person_ids = create_people(conn, plan, &department_ids, hash).await?;
    let post_ids = create_posts(conn, plan, &department_ids, &person_ids).await?;
    crate::db::demo::skip_forced_password_change(conn, &person_ids).await?;
    let member_count = members::write(conn, members, &department_ids).await?;
    let creator = plan.people.iter().position(|p| p.username == "perf").map_or(person_ids[0], |i| person_ids[i]);
    let event_count = events::write(conn, work_events, &department_ids, &person_ids, creator).await?;
    let ids = targets::OfficeIds { departments: &department_ids, people: &person_ids, posts: &post_ids };
    let written = targets::write(conn, stage, &ids).await?;
    let monitor_counts = monitor::write(conn, monitoring, &ids, &written.target_ids, &written.commitment_ids).await?;
    let assess_counts = assess::write(conn, assessing, &ids).await?;
    let decided_counts = decided::write(conn, deciding, &ids).await?;
    let survey_counts = surveys::write(conn).await?;
    let department_counts = department_assessment::write(conn, departments_assessed, &ids).await?;
    let feedback_counts = feedback::write(conn).await?;
    let rectification_counts = rectification::write(conn).await?;
    let result_use_counts = result_use::write(conn).await?;
    let appeal_count = appeals::write(conn).await?;
    // After rectification and appeals: its figures count them.
    let excellence_counts = excellence::write(conn, plan).await?;
    let summary = json!({
        "departments": department_ids.len(),
        "people": person_ids.len(),
        "posts": plan.posts.len(),
        "members": member_count,
        "events": event_count,
        "grants": plan.grant_count(),
        "accounts": DEMO_ACCOUNTS.iter().map(|(username, _)| *username).collect::<Vec<_>>(),
        "plan": written.counts,
        "monitor": monitor_counts,
        "assess": assess_counts,
        "decided": decided_counts,
        "departments_assessed": department_counts,
        "surveys": survey_counts,
        "feedback": feedback_counts,
        "rectification": rectification_counts,
        "result_use": result_use_counts,
        "appeals": appeal_count,
        "excellence": excellence_counts,
    });
    let ctx = AuditContext { actor_name: "cppcc-perf demo".into(), ..Default::default() };
    audit::record(conn, &ctx, AuditEvent::new("demo.loaded", "office", "demo", summary)).await?;
    Ok(())
}

async fn create_departments(conn: &mut PgConnection, plan: &Plan) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(plan.departments().len());
    for (i, department) in plan.departments().iter().enumerate() {
        let data = DepartmentData {
            name: department.name.clone(),
            kind: department.kind,
            sort_order: (i as i32 + 1) * 10,
            active: true,
        };
        ids.push(departments::create(conn, &data).await?);
    }
    Ok(ids)
}

async fn create_people(
    conn: &mut PgConnection,
    plan: &Plan,
    department_ids: &[i64],
    hash: &str,
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(plan.people.len());
    for person in &plan.people {
        let data = PersonData {
            username: person.username.clone(),
            full_name: person.full_name.clone(),
            identity_type: person.identity,
            rank: person.rank.to_string(),
            department_id: person.department.map(|d| department_ids[d]),
            phone: person.phone.clone(),
            active: true,
        };
        let id = people::create(conn, &data, hash).await?;
        let grants: Vec<RoleGrant> = person
            .grants
            .iter()
            .map(|&(role, department)| RoleGrant { role, department_id: department.map(|d| department_ids[d]) })
            .collect();
        people::replace_grants(conn, id, &grants).await?;
        ids.push(id);
    }
    Ok(ids)
}

async fn create_posts(
    conn: &mut PgConnection,
    plan: &Plan,
    department_ids: &[i64],
    person_ids: &[i64],
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(plan.posts.len());
    for post in &plan.posts {
        let data = PostData {
            department_id: department_ids[post.department],
            title: post.title.to_string(),
            duties: post.duties.iter().map(|d| d.to_string()).collect(),
            a_holder_id: Some(person_ids[post.a_holder]),
            b_holder_id: post.b_holder.map(|b| person_ids[b]),
            sort_order: post.sort_order,
            active: true,
        };
        ids.push(posts::insert(conn, &data).await?);
    }
    Ok(ids)
}

/// The table of demo sign-ins printed after loading.
fn sign_in_table(plan: &Plan) -> String {
    let mut out = format!(
        "demo office loaded: {} departments, {} people, {} posts\n\n{:<48} {:<12} {:<24} {}\n",
        plan.departments().len(),
        plan.people.len(),
        plan.posts.len(),
        "role",
        "username",
        "password",
        "name"
    );
    for (username, role) in DEMO_ACCOUNTS {
        let name = plan.people.iter().find(|p| p.username == *username).map_or("", |p| p.full_name.as_str());
        out.push_str(&format!("{role:<48} {username:<12} {DEMO_PASSWORD:<24} {name}\n"));
    }
    out
}

fn print_sign_ins(plan: &Plan) {
    print!("{}", sign_in_table(plan));
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;
    use crate::domain::validate;

    fn the_plan() -> Plan {
        plan().expect("the demo data are consistent")
    }

    fn data() -> &'static DemoData {
        data::get().expect("the demo data files parse")
    }

    fn person<'a>(plan: &'a Plan, username: &str) -> &'a PlannedPerson {
        plan.people.iter().find(|p| p.username == username).expect(username)
    }

    #[test]
    fn the_eleven_departments_of_the_domain_guide() {
        let names: Vec<&str> = data().office.departments.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            [OFFICE, RESEARCH, PROPOSALS, ECONOMY, CULTURE, LAW, ENVIRONMENT, OVERSEAS, ETHNIC, PARTY, IT]
        );
        assert_eq!(names.iter().collect::<HashSet<_>>().len(), 11);
    }

    #[test]
    fn about_sixty_people_with_unique_names_usernames_and_phones() {
        let plan = the_plan();
        assert!((55..=65).contains(&plan.people.len()), "{} people", plan.people.len());
        let fields: [fn(&PlannedPerson) -> String; 3] =
            [|p| p.full_name.clone(), |p| p.username.clone(), |p| p.phone.clone()];
        for field in fields {
            let values: HashSet<String> = plan.people.iter().map(field).collect();
            assert_eq!(values.len(), plan.people.len());
        }
        assert!(plan.people.iter().all(|p| !data().names.avoid.contains(&p.full_name)));
    }

    #[test]
    fn usernames_are_valid_and_the_password_is_acceptable_for_each() {
        for person in the_plan().people {
            assert_eq!(validate::username(&person.username), Ok(person.username.clone()));
            assert_eq!(validate::new_password(DEMO_PASSWORD, DEMO_PASSWORD, &person.username), Ok(()));
        }
    }

    #[test]
    fn name_pairs_never_repeat() {
        let (surnames, given_names) = (data().names.surnames.len(), data().names.given_names.len());
        let pairs = surnames * given_names;
        let gcd = |mut a: usize, mut b: usize| {
            while b != 0 {
                (a, b) = (b, a % b);
            }
            a
        };
        assert_eq!(gcd(surnames, given_names), 1, "the counts of surnames and given names in names.toml");
        assert_eq!(gcd(NAME_STEP, pairs), 1);
    }

    #[test]
    fn a_taken_username_gets_a_number() {
        let mut names = Names::new(&data().names);
        assert_eq!(names.unique_username("xuwei"), "xuwei");
        assert_eq!(names.unique_username("xuwei"), "xuwei2");
        assert_eq!(names.unique_username("xuwei"), "xuwei3");
        assert_eq!(names.unique_username("admin"), "admin2", "the demo sign-ins are reserved");
    }

    #[test]
    fn every_identity_type_appears_mostly_civil_servants() {
        let plan = the_plan();
        let count = |t: IdentityType| plan.people.iter().filter(|p| p.identity == t).count();
        for t in IdentityType::ALL {
            assert!(count(t) > 0, "{t:?}");
        }
        assert!(count(IdentityType::CivilServant) * 2 > plan.people.len());
    }

    #[test]
    fn every_department_has_one_head_and_three_to_six_staff() {
        let plan = the_plan();
        for (index, department) in plan.departments().iter().enumerate() {
            let members: Vec<&PlannedPerson> = plan.people.iter().filter(|p| p.department == Some(index)).collect();
            assert!((4..=7).contains(&members.len()), "{}", department.name);
            assert!(members.iter().all(|p| p.grants.contains(&(Role::Staff, None))), "{}", department.name);
            let heads = plan.people.iter().filter(|p| p.grants.contains(&(Role::DepartmentHead, Some(index))));
            assert_eq!(heads.count(), 1, "{}", department.name);
        }
    }

    #[test]
    fn scoped_roles_name_a_department_and_others_do_not() {
        for person in the_plan().people {
            for (role, department) in &person.grants {
                assert_eq!(role.is_department_scoped(), department.is_some(), "{} {role:?}", person.username);
            }
        }
    }

    #[test]
    fn leaders_have_no_department_and_together_oversee_all() {
        let plan = the_plan();
        let leaders: Vec<&PlannedPerson> = plan.people.iter().filter(|p| p.department.is_none()).collect();
        assert_eq!(leaders.iter().map(|p| p.rank).collect::<Vec<_>>(), ["秘书长", "副秘书长", "副秘书长", "副秘书长"]);
        let mut covered = HashSet::new();
        for deputy in leaders.iter().filter(|p| p.rank == "副秘书长") {
            let overseen: Vec<usize> = deputy.grants.iter().filter_map(|g| g.1).collect();
            assert!((3..=4).contains(&overseen.len()), "{}", deputy.full_name);
            covered.extend(overseen);
        }
        assert_eq!(covered.len(), plan.departments().len());
        // The 秘书长 alone is the principal leader (主要领导).
        let principal: Vec<&str> =
            leaders.iter().filter(|p| p.grants.contains(&(Role::PrincipalLeader, None))).map(|p| p.rank).collect();
        assert_eq!(principal, ["秘书长"]);
    }

    #[test]
    fn each_member_holds_one_post_with_a_colleague_as_b() {
        let plan = the_plan();
        let mut held: HashMap<usize, usize> = HashMap::new();
        for post in &plan.posts {
            *held.entry(post.a_holder).or_default() += 1;
            assert_eq!(plan.people[post.a_holder].department, Some(post.department));
            if let Some(b) = post.b_holder {
                assert_ne!(b, post.a_holder, "{}", post.title);
                assert_eq!(plan.people[b].department, Some(post.department), "{}", post.title);
            }
            assert!((2..=4).contains(&post.duties.len()), "{}", post.title);
        }
        for (index, person) in plan.people.iter().enumerate() {
            let expected = usize::from(person.department.is_some());
            assert_eq!(held.get(&index).copied().unwrap_or(0), expected, "{}", person.full_name);
        }
    }

    #[test]
    fn exactly_one_post_has_no_b_holder() {
        let plan = the_plan();
        let without: Vec<&PlannedPost> = plan.posts.iter().filter(|p| p.b_holder.is_none()).collect();
        assert_eq!(without.len(), 1);
        let expected = &plan.data.office.post_without_backup;
        assert_eq!(plan.departments()[without[0].department].name, expected.department);
        assert_eq!(without[0].title, expected.post);
    }

    #[test]
    fn post_titles_are_unique_within_a_department() {
        let plan = the_plan();
        let titles: HashSet<(usize, &str)> = plan.posts.iter().map(|p| (p.department, p.title)).collect();
        assert_eq!(titles.len(), plan.posts.len());
    }

    #[test]
    fn the_demo_accounts_hold_their_roles() {
        let plan = the_plan();
        let office = Some(plan.department_index(OFFICE).unwrap());
        let has = |username: &str, grant: (Role, Option<usize>)| person(&plan, username).grants.contains(&grant);
        assert!(has("admin", (Role::SystemAdmin, None)) && has("admin", (Role::Staff, None)));
        assert_eq!(person(&plan, "admin").department, Some(plan.department_index(IT).unwrap()));
        assert!(has("perf", (Role::PerformanceOffice, None)) && has("perf", (Role::Staff, None)));
        assert!(has("head", (Role::DepartmentHead, office)) && has("head", (Role::Staff, None)));
        assert_eq!(person(&plan, "staff").grants, [(Role::Staff, None)]);
        assert_eq!(person(&plan, "staff").department, office);
        assert!(has("leader", (Role::SupervisingLeader, office)));
        assert!(person(&plan, "leader").grants.len() >= 3);
        assert!(has("committee", (Role::AssessmentCommittee, None)));
        assert!(has("discipline", (Role::DisciplineInspection, None)));
        assert!(has("supervisor", (Role::SupervisionOfficer, None)));
        assert!(has("auditor", (Role::Auditor, None)));
        for username in ["perf", "discipline", "auditor"] {
            assert_eq!(person(&plan, username).department, Some(plan.department_index(PARTY).unwrap()));
        }
    }

    #[test]
    fn every_demo_account_is_in_the_tables_once() {
        let office = &data().office;
        let logins: Vec<&str> = office
            .departments
            .iter()
            .flat_map(|d| d.members.iter().filter_map(|m| m.login.as_deref()))
            .chain(office.leaders.iter().filter_map(|l| l.login.as_deref()))
            .collect();
        let mut accounts: Vec<&str> = DEMO_ACCOUNTS.iter().map(|(u, _)| *u).collect();
        let mut sorted = logins.clone();
        sorted.sort_unstable();
        accounts.sort_unstable();
        assert_eq!(sorted, accounts);
    }

    #[test]
    fn the_sign_in_table_lists_every_account_with_the_password() {
        let table = sign_in_table(&the_plan());
        for (username, role) in DEMO_ACCOUNTS {
            let line = table.lines().find(|l| l.starts_with(role)).expect(role);
            assert!(line.contains(username) && line.contains(DEMO_PASSWORD), "{line}");
        }
    }
}

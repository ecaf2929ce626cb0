//! The demo office: a fictional 某市政协机关 (the office of the municipal CPPCC
//! committee of an unnamed city) with its eleven departments, about sixty
//! people with generated names, their posts with A/B holders, and one sign-in
//! per role. Everything here is invented; no name belongs to a real official.
//!
//! The data are const tables; [`plan`] walks them into a [`Plan`] (pure, unit
//! tested) and [`load`] writes the plan in one transaction, together with
//! the Stage 1 data of [`targets`] (three annual cycles and their targets)
//! and the Stage 2 data of [`monitor`] (progress reports, supervision, the
//! ledger, commitment cases and absences as they stand on [`monitor::TODAY`]).

mod monitor;
pub mod scale;
mod targets;

use std::collections::HashSet;

use serde_json::json;
use sqlx::{PgConnection, PgPool};

use crate::auth::password::Passwords;
use crate::db::audit::{self, AuditContext, AuditEvent};
use crate::db::departments::{self, DepartmentData};
use crate::db::people::{self, PersonData};
use crate::db::posts::{self, PostData};
use crate::domain::identity::{DepartmentKind, IdentityType};
use crate::domain::roles::{Role, RoleGrant};

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
// The data.

/// One person of a department and the post they hold as A. The first member
/// of a department is its head.
#[derive(Debug, Clone, Copy)]
struct Member {
    post: &'static str,
    duties: &'static [&'static str],
    identity: IdentityType,
    rank: &'static str,
    login: Option<&'static str>,
    role: Option<Role>,
}

const fn member(
    identity: IdentityType,
    rank: &'static str,
    post: &'static str,
    duties: &'static [&'static str],
) -> Member {
    Member { post, duties, identity, rank, login: None, role: None }
}

impl Member {
    /// Gives the member one of the fixed demo usernames.
    const fn login(self, login: &'static str) -> Member {
        Member { login: Some(login), ..self }
    }

    /// Gives the member an office-wide role besides Staff.
    const fn role(self, role: Role) -> Member {
        Member { role: Some(role), ..self }
    }
}

struct Department {
    name: &'static str,
    kind: DepartmentKind,
    members: &'static [Member],
}

/// A 秘书长 or 副秘书长: no department, no post.
struct Leader {
    rank: &'static str,
    login: Option<&'static str>,
    committee: bool,
    oversees: &'static [&'static str],
}

const CS: IdentityType = IdentityType::CivilServant;
const MCS: IdentityType = IdentityType::ManagedCivilServant;
const INST: IdentityType = IdentityType::Institution;
const SW: IdentityType = IdentityType::ServiceWorker;

/// The one active post left without a B holder, so the organisation page has
/// exactly one warning to show.
const POST_WITHOUT_BACKUP: (&str, &str) = ("信息中心", "网络安全岗");

const OFFICE: &str = "办公室";
const RESEARCH: &str = "研究室";
const PROPOSALS: &str = "提案委员会办公室";
const ECONOMY: &str = "经济委员会办公室";
const CULTURE: &str = "文史和学习委员会办公室";
const LAW: &str = "社会和法制委员会办公室";
const ENVIRONMENT: &str = "人口资源环境委员会办公室";
const OVERSEAS: &str = "港澳台侨和外事委员会办公室";
const ETHNIC: &str = "民族和宗教委员会办公室";
const PARTY: &str = "机关党委（人事处）";
const IT: &str = "信息中心";

const COMMITTEE_HEAD_DUTIES: &[&str] =
    &["主持委员会办公室日常工作", "专委会年度工作计划拟订和组织实施", "对口联系部门沟通协调"];
const COMMITTEE_CLERK_DUTIES: &[&str] = &["委员会文件处理和会议记录", "委员会档案管理", "委员履职情况登记"];

const DEPARTMENTS: &[Department] = &[
    Department {
        name: OFFICE,
        kind: DepartmentKind::General,
        members: &[
            member(CS, "处长", "办公室主任岗", &["主持办公室全面工作", "统筹机关运转协调", "审核重要文稿和公文"])
                .login("head"),
            member(CS, "一级主任科员", "综合文秘岗", &["公文处理", "文稿起草", "机要保密"]).login("staff"),
            member(CS, "二级主任科员", "会务组织岗", &["会议组织", "全体会议和常委会议会务保障", "重要活动接待"]),
            member(CS, "四级调研员", "督查督办岗", &["督查督办", "重要事项跟踪督促", "督办情况通报"])
                .login("supervisor")
                .role(Role::SupervisionOfficer),
            member(MCS, "一级主任科员", "机关事务岗", &["机关财务管理", "国有资产管理", "后勤保障"]),
            member(SW, "技师", "文印收发岗", &["文件印制", "文件收发登记", "报刊分发"]),
            member(SW, "高级工", "车辆保障岗", &["公务用车调度", "车辆维护保养", "安全行车"]),
        ],
    },
    Department {
        name: RESEARCH,
        kind: DepartmentKind::General,
        members: &[
            member(CS, "处长", "研究室主任岗", &["主持研究室工作", "年度调研课题统筹", "重要文稿审核"]),
            member(CS, "副处长", "课题调研岗", &["年度调研课题组织", "调研报告起草", "调研成果转化跟踪"]),
            member(INST, "专业技术七级", "理论研究岗", &["人民政协理论研究", "理论研讨会组织", "研究成果汇编"]),
            member(CS, "一级主任科员", "信息综合岗", &["政协信息编报", "社情民意信息收集", "信息采用情况统计"]),
            member(INST, "专业技术十级", "文稿起草岗", &["领导讲话和重要文稿起草", "年度工作报告起草"]),
        ],
    },
    Department {
        name: PROPOSALS,
        kind: DepartmentKind::CommitteeOffice,
        members: &[
            member(CS, "处长", "主任岗", &["主持提案委员会办公室工作", "提案工作统筹协调", "提案工作情况报告起草"]),
            member(CS, "二级主任科员", "提案审查岗", &["提案审查立案", "提案分类交办", "并案处理"]),
            member(CS, "一级主任科员", "提案办理协调岗", &["提案办理协调", "办理结果跟踪", "委员满意度回访"]),
            member(CS, "四级调研员", "重点提案督办岗", &["重点提案遴选", "重点提案督办", "督办情况报告"]),
            member(MCS, "科员", "提案信息管理岗", &["提案系统维护", "提案数据统计分析", "提案资料归档"]),
        ],
    },
    Department {
        name: ECONOMY,
        kind: DepartmentKind::CommitteeOffice,
        members: &[
            member(CS, "处长", "主任岗", COMMITTEE_HEAD_DUTIES),
            member(CS, "副处长", "专题调研岗", &["经济领域专题调研", "调研报告起草", "建议案形成"]),
            member(CS, "一级主任科员", "委员联络岗", &["委员联络服务", "界别活动组织", "委员履职档案"]),
            member(CS, "二级主任科员", "协商议政岗", &["专题协商会筹备", "对口协商组织", "协商成果报送"]),
            member(MCS, "科员", "综合事务岗", COMMITTEE_CLERK_DUTIES),
        ],
    },
    Department {
        name: CULTURE,
        kind: DepartmentKind::CommitteeOffice,
        members: &[
            member(CS, "处长", "主任岗", COMMITTEE_HEAD_DUTIES),
            member(CS, "四级调研员", "文史资料征编岗", &["文史资料征集", "文史书籍编辑出版", "口述历史采访"]),
            member(CS, "一级主任科员", "学习培训岗", &["委员学习培训组织", "学习座谈会筹备", "读书活动组织"]),
            member(MCS, "二级主任科员", "书画联谊岗", &["书画联谊活动组织", "文化交流活动"]),
            member(CS, "科员", "委员联络岗", &["委员联络服务", "委员履职档案", "界别小组活动"]),
        ],
    },
    Department {
        name: LAW,
        kind: DepartmentKind::CommitteeOffice,
        members: &[
            member(CS, "处长", "主任岗", COMMITTEE_HEAD_DUTIES),
            member(CS, "副处长", "民主监督岗", &["民主监督活动组织", "专项监督调研", "监督意见报送"]),
            member(CS, "一级主任科员", "法治调研岗", &["法治领域专题调研", "立法协商组织"]),
            member(CS, "二级主任科员", "社会事业调研岗", &["社会领域视察组织", "委员意见收集整理", "调研报告起草"]),
        ],
    },
    Department {
        name: ENVIRONMENT,
        kind: DepartmentKind::CommitteeOffice,
        members: &[
            member(CS, "处长", "主任岗", COMMITTEE_HEAD_DUTIES),
            member(CS, "四级调研员", "生态环境调研岗", &["生态环境专题调研", "视察活动组织", "调研报告起草"]),
            member(CS, "一级主任科员", "资源保护协商岗", &["资源保护专题协商", "对口部门联络"]),
            member(MCS, "二级主任科员", "委员联络岗", &["委员联络服务", "界别小组活动"]),
            member(CS, "科员", "综合事务岗", COMMITTEE_CLERK_DUTIES),
        ],
    },
    Department {
        name: OVERSEAS,
        kind: DepartmentKind::CommitteeOffice,
        members: &[
            member(CS, "处长", "主任岗", COMMITTEE_HEAD_DUTIES),
            member(CS, "副处长", "港澳台联络岗", &["港澳台委员联络", "交流活动组织", "来访团组接待"]),
            member(CS, "一级主任科员", "侨务工作岗", &["侨界联谊", "海外侨胞联络服务", "侨情调研"]),
            member(CS, "二级主任科员", "外事接待岗", &["外事活动组织", "因公出国（境）审核", "外宾接待"]),
            member(MCS, "科员", "外事翻译岗", &["外事翻译", "外事资料整理"]),
        ],
    },
    Department {
        name: ETHNIC,
        kind: DepartmentKind::CommitteeOffice,
        members: &[
            member(CS, "处长", "主任岗", COMMITTEE_HEAD_DUTIES),
            member(CS, "四级调研员", "民族工作岗", &["民族团结进步调研", "少数民族委员联络"]),
            member(
                CS,
                "一级主任科员",
                "宗教工作岗",
                &["宗教界委员联络服务", "宗教工作专题协商", "宗教活动场所视察组织"],
            ),
            member(MCS, "科员", "综合事务岗", COMMITTEE_CLERK_DUTIES),
        ],
    },
    Department {
        name: PARTY,
        kind: DepartmentKind::PartyPersonnel,
        members: &[
            member(
                CS,
                "处长",
                "专职副书记兼处长岗",
                &["主持机关党委和人事处工作", "干部队伍建设统筹", "机关党建工作部署"],
            ),
            member(CS, "一级主任科员", "绩效管理岗", &["绩效考核方案制订", "考核组织实施", "考核结果汇总运用"])
                .login("perf")
                .role(Role::PerformanceOffice),
            member(CS, "四级调研员", "机关纪委岗", &["党风廉政建设", "廉政评分", "监督执纪问责"])
                .login("discipline")
                .role(Role::DisciplineInspection),
            member(CS, "二级主任科员", "内部审计岗", &["内部审计监督", "财务收支审计", "审计整改跟踪"])
                .login("auditor")
                .role(Role::Auditor),
            member(CS, "一级主任科员", "干部人事岗", &["干部选拔任用", "人事档案管理", "工资福利"]),
            member(CS, "科员", "党建工作岗", &["党支部建设", "党员教育管理", "党费收缴"]),
        ],
    },
    Department {
        name: IT,
        kind: DepartmentKind::Support,
        members: &[
            member(INST, "管理六级", "中心主任岗", &["主持信息中心工作", "信息化建设规划", "网络安全责任落实"]),
            member(INST, "专业技术九级", "系统管理岗", &["业务系统运行维护", "用户和权限管理", "数据备份恢复"])
                .login("admin")
                .role(Role::SystemAdmin),
            member(INST, "专业技术十级", "网络安全岗", &["网络安全防护", "等级保护测评配合", "安全事件处置"]),
            member(INST, "专业技术十二级", "智慧政协平台岗", &["委员履职平台运维", "门户网站和新媒体维护"]),
            member(INST, "专业技术十二级", "视频会议保障岗", &["视频会议保障", "会场音视频设备维护"]),
        ],
    },
];

/// The 秘书长 and the three 副秘书长, who together oversee every department.
const LEADERS: &[Leader] = &[
    Leader { rank: "秘书长", login: Some("committee"), committee: true, oversees: &[OFFICE] },
    Leader { rank: "副秘书长", login: Some("leader"), committee: false, oversees: &[OFFICE, RESEARCH, PARTY, IT] },
    Leader { rank: "副秘书长", login: None, committee: false, oversees: &[PROPOSALS, ECONOMY, LAW, ENVIRONMENT] },
    Leader { rank: "副秘书长", login: None, committee: false, oversees: &[CULTURE, OVERSEAS, ETHNIC] },
];

/// Common surnames with their pinyin. 31 of them: coprime with the 40 given
/// names, so walking both lists in step never repeats a pair.
const SURNAMES: &[(&str, &str)] = &[
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("高", "gao"),
    ("林", "lin"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
    ("唐", "tang"),
    ("许", "xu"),
    ("韩", "han"),
    ("冯", "feng"),
    ("邓", "deng"),
    ("曹", "cao"),
    ("彭", "peng"),
];

const GIVEN_NAMES: &[(&str, &str)] = &[
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀英", "xiuying"),
    ("霞", "xia"),
    ("平", "ping"),
    ("刚", "gang"),
    ("晓燕", "xiaoyan"),
    ("建华", "jianhua"),
    ("海燕", "haiyan"),
    ("志强", "zhiqiang"),
    ("文博", "wenbo"),
    ("雅婷", "yating"),
    ("思远", "siyuan"),
    ("嘉怡", "jiayi"),
    ("子涵", "zihan"),
    ("浩然", "haoran"),
    ("晨曦", "chenxi"),
    ("雨桐", "yutong"),
    ("国庆", "guoqing"),
    ("红梅", "hongmei"),
    ("立新", "lixin"),
    ("春华", "chunhua"),
    ("俊杰", "junjie"),
    ("慧敏", "huimin"),
    ("振宇", "zhenyu"),
    ("婷婷", "tingting"),
];

/// Combinations skipped because they are the names of well-known public figures.
const NAMES_TO_AVOID: &[&str] =
    &["李强", "王勇", "张军", "黄明", "刘洋", "王毅", "李鹏", "陈刚", "王刚", "刘伟", "罗振宇"];

/// Step through the surname × given-name pairs; coprime with 31 × 40.
const NAME_STEP: usize = 17;

// ---------------------------------------------------------------------------
// The plan: the tables walked into people, grants and posts (no database).

#[derive(Debug, Clone)]
struct PlannedPerson {
    username: String,
    full_name: String,
    identity: IdentityType,
    rank: &'static str,
    /// Index into [`DEPARTMENTS`].
    department: Option<usize>,
    phone: String,
    /// Roles with the index of their department for scoped roles.
    grants: Vec<(Role, Option<usize>)>,
}

#[derive(Debug, Clone)]
struct PlannedPost {
    department: usize,
    title: &'static str,
    duties: &'static [&'static str],
    /// Indexes into [`Plan::people`].
    a_holder: usize,
    b_holder: Option<usize>,
    sort_order: i32,
}

#[derive(Debug, Clone, Default)]
struct Plan {
    people: Vec<PlannedPerson>,
    posts: Vec<PlannedPost>,
}

impl Plan {
    fn grant_count(&self) -> usize {
        self.people.iter().map(|p| p.grants.len()).sum()
    }
}

/// Hands out names, usernames and phone numbers in a fixed order.
#[derive(Debug)]
struct Names {
    next: usize,
    usernames: HashSet<String>,
}

impl Names {
    /// Reserves the fixed demo usernames so no generated one takes them.
    fn new() -> Names {
        let usernames = DEMO_ACCOUNTS.iter().map(|(u, _)| u.to_string()).collect();
        Names { next: 0, usernames }
    }

    /// The next unused name that is not a public figure's: (full name, pinyin).
    fn next_name(&mut self) -> (String, String) {
        loop {
            let pair = (self.next * NAME_STEP) % (SURNAMES.len() * GIVEN_NAMES.len());
            self.next += 1;
            let (surname, surname_pinyin) = SURNAMES[pair % SURNAMES.len()];
            let (given, given_pinyin) = GIVEN_NAMES[pair % GIVEN_NAMES.len()];
            let full_name = format!("{surname}{given}");
            if !NAMES_TO_AVOID.contains(&full_name.as_str()) {
                return (full_name, format!("{surname_pinyin}{given_pinyin}"));
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

fn department_index(name: &str) -> anyhow::Result<usize> {
    DEPARTMENTS
        .iter()
        .position(|d| d.name == name)
        .ok_or_else(|| anyhow::anyhow!("demo data: no department named {name}"))
}

fn plan() -> anyhow::Result<Plan> {
    let mut names = Names::new();
    let mut plan = Plan::default();
    for (index, department) in DEPARTMENTS.iter().enumerate() {
        plan_department(&mut plan, &mut names, index, department);
    }
    for leader in LEADERS {
        let mut person = names.person(leader.login, IdentityType::CivilServant, leader.rank);
        if leader.committee {
            person.grants.push((Role::AssessmentCommittee, None));
        }
        for name in leader.oversees {
            person.grants.push((Role::SupervisingLeader, Some(department_index(name)?)));
        }
        plan.people.push(person);
    }
    Ok(plan)
}

/// The department's people (the first is the head) and one post each, whose B
/// is the next colleague in the list.
fn plan_department(plan: &mut Plan, names: &mut Names, index: usize, department: &Department) {
    let first = plan.people.len();
    let size = department.members.len();
    for (i, member) in department.members.iter().enumerate() {
        let mut person = names.person(member.login, member.identity, member.rank);
        person.department = Some(index);
        person.grants.push((Role::Staff, None));
        if i == 0 {
            person.grants.push((Role::DepartmentHead, Some(index)));
        }
        person.grants.extend(member.role.map(|role| (role, None)));
        plan.people.push(person);
        let without_backup = POST_WITHOUT_BACKUP == (department.name, member.post);
        plan.posts.push(PlannedPost {
            department: index,
            title: member.post,
            duties: member.duties,
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
    let started = std::time::Instant::now();
    let mut tx = pool.begin().await?;
    if !crate::db::demo::office_is_empty(&mut tx).await? {
        println!("demo office already loaded; nothing to do");
        return Ok(());
    }
    // One hash for every demo account: they all share the salt, which is
    // acceptable for demo data only (it saves ~50 ms of argon2 per account).
    let hash = passwords.hash(DEMO_PASSWORD.to_string()).await?;
    write(&mut tx, &plan, &stage, &monitoring, &hash).await?;
    tx.commit().await?;
    print_sign_ins(&plan);
    println!("{}", stage.summary_line());
    println!("{} (loaded in {:.1} s)", monitoring.summary_line(), started.elapsed().as_secs_f64());
    Ok(())
}

async fn write(
    conn: &mut PgConnection,
    plan: &Plan,
    stage: &targets::StagePlan,
    monitoring: &monitor::MonitorPlan,
    hash: &str,
) -> anyhow::Result<()> {
    let department_ids = create_departments(conn).await?;
    let person_ids = create_people(conn, plan, &department_ids, hash).await?;
    let post_ids = create_posts(conn, plan, &department_ids, &person_ids).await?;
    crate::db::demo::skip_forced_password_change(conn, &person_ids).await?;
    let ids = targets::OfficeIds { departments: &department_ids, people: &person_ids, posts: &post_ids };
    let written = targets::write(conn, stage, &ids).await?;
    let monitor_counts = monitor::write(conn, monitoring, &ids, &written.target_ids, &written.commitment_ids).await?;
    let summary = json!({
        "departments": department_ids.len(),
        "people": person_ids.len(),
        "posts": plan.posts.len(),
        "grants": plan.grant_count(),
        "accounts": DEMO_ACCOUNTS.iter().map(|(username, _)| *username).collect::<Vec<_>>(),
        "plan": written.counts,
        "monitor": monitor_counts,
    });
    let ctx = AuditContext { actor_name: "cppcc-perf demo".into(), ..Default::default() };
    audit::record(conn, &ctx, AuditEvent::new("demo.loaded", "office", "demo", summary)).await?;
    Ok(())
}

async fn create_departments(conn: &mut PgConnection) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(DEPARTMENTS.len());
    for (i, department) in DEPARTMENTS.iter().enumerate() {
        let data = DepartmentData {
            name: department.name.to_string(),
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
        ids.push(posts::create(conn, &data).await?);
    }
    Ok(ids)
}

/// The table of demo sign-ins printed after loading.
fn sign_in_table(plan: &Plan) -> String {
    let mut out = format!(
        "demo office loaded: {} departments, {} people, {} posts\n\n{:<48} {:<12} {:<24} {}\n",
        DEPARTMENTS.len(),
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
        plan().expect("the demo tables are consistent")
    }

    fn person<'a>(plan: &'a Plan, username: &str) -> &'a PlannedPerson {
        plan.people.iter().find(|p| p.username == username).expect(username)
    }

    #[test]
    fn the_eleven_departments_of_the_domain_guide() {
        let names: Vec<&str> = DEPARTMENTS.iter().map(|d| d.name).collect();
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
        assert!(plan.people.iter().all(|p| !NAMES_TO_AVOID.contains(&p.full_name.as_str())));
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
        let pairs = SURNAMES.len() * GIVEN_NAMES.len();
        let gcd = |mut a: usize, mut b: usize| {
            while b != 0 {
                (a, b) = (b, a % b);
            }
            a
        };
        assert_eq!(gcd(SURNAMES.len(), GIVEN_NAMES.len()), 1);
        assert_eq!(gcd(NAME_STEP, pairs), 1);
    }

    #[test]
    fn a_taken_username_gets_a_number() {
        let mut names = Names::new();
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
        for (index, department) in DEPARTMENTS.iter().enumerate() {
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
        assert_eq!(covered.len(), DEPARTMENTS.len());
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
        assert_eq!((DEPARTMENTS[without[0].department].name, without[0].title), POST_WITHOUT_BACKUP);
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
        let office = Some(department_index(OFFICE).unwrap());
        let has = |username: &str, grant: (Role, Option<usize>)| person(&plan, username).grants.contains(&grant);
        assert!(has("admin", (Role::SystemAdmin, None)) && has("admin", (Role::Staff, None)));
        assert_eq!(person(&plan, "admin").department, Some(department_index(IT).unwrap()));
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
            assert_eq!(person(&plan, username).department, Some(department_index(PARTY).unwrap()));
        }
    }

    #[test]
    fn every_demo_account_is_in_the_tables_once() {
        let logins: Vec<&str> = DEPARTMENTS
            .iter()
            .flat_map(|d| d.members.iter().filter_map(|m| m.login))
            .chain(LEADERS.iter().filter_map(|l| l.login))
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

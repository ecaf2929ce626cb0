//! Stage 1 of the demo office, plan targets: the 2026 work calendar, the
//! 2025–2027 annual cycles with the office's work points (年度工作要点), the
//! departments' targets and every staff member's targets, one pending change
//! request, post target templates and service commitments.
//!
//! The data are const tables; [`plan`] walks them into a [`StagePlan`] (pure,
//! unit tested) and [`write`] writes it inside the demo's transaction.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::PgConnection;

use super::{
    CULTURE, DEPARTMENTS, ECONOMY, ENVIRONMENT, ETHNIC, IT, LAW, OFFICE, OVERSEAS, PARTY, PROPOSALS, Plan, RESEARCH,
    department_index,
};
use crate::db::commitments::CommitmentData;
use crate::db::cycles::CycleData;
use crate::db::demo::{self as sql, DemoRevision, DemoSet, DemoTarget, DemoTemplate};
use crate::db::post_templates::TemplateData;
use crate::db::targets::TargetData;
use crate::domain::identity::DepartmentKind;
use crate::domain::plan::{CycleKind, CycleStage, Direction, PlanStatus, ReportFrequency, TargetCategory, TargetLevel};
use crate::domain::roles::Role;

// ---------------------------------------------------------------------------
// The data.

/// One target as the tables describe it, with its 2026 value.
#[derive(Debug, Clone, Copy)]
pub(super) struct Spec {
    pub(super) title: &'static str,
    pub(super) category: TargetCategory,
    pub(super) measure: &'static str,
    pub(super) unit: &'static str,
    /// The 2026 target value.
    pub(super) value: Decimal,
    /// The 2025 actual, the 2026 baseline; none for work new in 2026.
    pub(super) last: Option<Decimal>,
    pub(super) direction: Direction,
    /// The month the target is due by (its last day).
    pub(super) month: u32,
    /// The parent: a work point for a department target, a department
    /// target of the same department for a staff target (index into its table).
    pub(super) under: usize,
    pub(super) method: &'static str,
    pub(super) evidence: &'static str,
    pub(super) quality: &'static str,
}

const fn t(
    title: &'static str,
    category: TargetCategory,
    measure: &'static str,
    value: Decimal,
    unit: &'static str,
) -> Spec {
    Spec {
        title,
        category,
        measure,
        unit,
        value,
        last: None,
        direction: Direction::HigherBetter,
        month: 12,
        under: 0,
        method: "",
        evidence: "",
        quality: "",
    }
}

impl Spec {
    const fn last(self, last: Decimal) -> Spec {
        Spec { last: Some(last), ..self }
    }

    /// Less is better (time limits, errors, incidents).
    const fn lower(self) -> Spec {
        Spec { direction: Direction::LowerBetter, ..self }
    }

    const fn due(self, month: u32) -> Spec {
        Spec { month, ..self }
    }

    const fn under(self, under: usize) -> Spec {
        Spec { under, ..self }
    }

    const fn by(self, method: &'static str, evidence: &'static str) -> Spec {
        Spec { method, evidence, ..self }
    }

    const fn quality(self, quality: &'static str) -> Spec {
        Spec { quality, ..self }
    }
}

/// A whole number.
const fn n(value: u32) -> Decimal {
    Decimal::from_parts(value, 0, 0, false, 0)
}

/// A number with one decimal: `n1(995)` is 99.5.
const fn n1(tenths: u32) -> Decimal {
    Decimal::from_parts(tenths, 0, 0, false, 1)
}

pub(super) const fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(d) => d,
        None => panic!("invalid demo date"),
    }
}

const KEY: TargetCategory = TargetCategory::KeyWork;
const ROUTINE: TargetCategory = TargetCategory::Routine;
const SERVICE: TargetCategory = TargetCategory::ServiceCommitment;
const INNOVATION: TargetCategory = TargetCategory::Innovation;
const SUPERVISION: TargetCategory = TargetCategory::Supervision;

const BY_RATE: &str = "按台账统计比率，达到目标值得满分，每低 1 个百分点扣该项 10% 分值";
const BY_COUNT: &str = "按实际完成数与目标值之比计分，超额部分不加分";
const BY_ZERO: &str = "未发生得满分，每发生 1 次扣该项 50% 分值";
const BY_DAYS: &str = "按登记时间计算平均用时，达到目标值得满分，每超 0.5 个工作日扣该项 10% 分值";
const BY_REVIEW: &str = "按期完成得基本分，分管领导按成果质量评定等次加分";
const BY_SURVEY: &str = "按年度满意度测评结果计分，低于目标值按比例扣分";

/// The office's annual work points (年度工作要点).
const WORK_POINTS: &[Spec] = &[
    t("服务委员履职", KEY, "委员年度履职活动参与率", n(95), "%")
        .last(n(92))
        .by(BY_RATE, "委员履职档案、活动签到记录")
        .quality("委员履职档案完整，履职情况年底通报"),
    t("提高提案办理质量", KEY, "提案办理委员满意率", n(95), "%")
        .last(n(93))
        .by(BY_SURVEY, "提案办理满意度测评表")
        .quality("办复内容实事求是，件件有回音"),
    t("加强专题调研", KEY, "完成重点调研课题", n(12), "项")
        .last(n(10))
        .due(11)
        .by(BY_REVIEW, "调研报告及领导批示件")
        .quality("问题找得准、建议提得实，成果有转化"),
    t("深化协商议政", KEY, "组织专题协商、对口协商和视察活动", n(24), "次")
        .last(n(20))
        .by(BY_COUNT, "活动方案、纪要和成果报送件")
        .quality("协商成果按期报送党委政府"),
    t("加强机关自身建设", ROUTINE, "机关干部年度培训学时达标率", n(100), "%")
        .last(n(95))
        .by(BY_RATE, "干部培训学时登记表")
        .quality("作风建设和廉政建设无违纪问题"),
    t("推进智慧政协建设", INNOVATION, "委员履职平台新上线功能模块", n(8), "个")
        .last(n(5))
        .by(BY_COUNT, "上线验收报告")
        .quality("平台稳定运行，委员使用率逐步提高"),
];

// Indexes into WORK_POINTS.
const WP_MEMBERS: usize = 0;
const WP_PROPOSALS: usize = 1;
const WP_RESEARCH: usize = 2;
const WP_CONSULT: usize = 3;
const WP_OFFICE: usize = 4;
const WP_SMART: usize = 5;

/// The targets of each department; `under` names a work point.
const DEPARTMENT_TARGETS: &[(&str, &[Spec])] = &[
    (
        OFFICE,
        &[
            t("提升公文办理质效", KEY, "公文办理平均时限", n(3), "个工作日")
                .last(n1(35))
                .lower()
                .under(WP_OFFICE)
                .by(BY_DAYS, "公文处理系统统计")
                .quality("格式规范，无错发漏发"),
            t("做好全会和常委会议等重要会议保障", KEY, "参会委员满意率", n(96), "%")
                .last(n(95))
                .under(WP_CONSULT)
                .by(BY_SURVEY, "会务满意度测评表")
                .quality("会务安排周密，零差错"),
            t("加强督查督办", SUPERVISION, "督办事项按期办结率", n(95), "%")
                .last(n(92))
                .under(WP_OFFICE)
                .by(BY_RATE, "督办台账、办结报告")
                .quality("督办件闭环管理，逾期件专项通报"),
            t("强化机关运行保障", ROUTINE, "机关运行经费预算执行率", n(95), "%")
                .last(n(93))
                .under(WP_OFFICE)
                .by(BY_RATE, "财务决算报表")
                .quality("严格执行过紧日子要求"),
        ],
    ),
    (
        RESEARCH,
        &[
            t("完成重点调研课题", KEY, "完成重点调研课题", n(4), "项")
                .last(n(3))
                .due(11)
                .under(WP_RESEARCH)
                .by(BY_REVIEW, "调研报告及领导批示件")
                .quality("调研报告获市领导肯定性批示"),
            t("提高政协信息和社情民意信息编报质量", KEY, "报送政协信息和社情民意信息", n(120), "篇")
                .last(n(105))
                .under(WP_MEMBERS)
                .by(BY_COUNT, "信息报送登记和采用通报")
                .quality("上级采用数不低于上年"),
            t("加强人民政协理论研究", ROUTINE, "形成理论研究成果", n(6), "篇")
                .last(n(5))
                .under(WP_RESEARCH)
                .by(BY_REVIEW, "成果文本、发表刊物")
                .quality("成果在省级以上刊物或会议交流"),
            t("做好重要文稿起草", ROUTINE, "重要文稿按期完成率", n(100), "%")
                .last(n(100))
                .under(WP_CONSULT)
                .by(BY_RATE, "文稿任务台账")
                .quality("文稿一次审核通过率逐年提高"),
        ],
    ),
    (
        PROPOSALS,
        &[
            t("提高提案立案审查质量", KEY, "提案立案审查及时率", n(98), "%")
                .last(n(96))
                .under(WP_PROPOSALS)
                .by(BY_RATE, "提案系统审查记录")
                .quality("立案标准统一，审查意见准确"),
            t("推动提案办理落实", KEY, "提案办复率", n(100), "%")
                .last(n(100))
                .under(WP_PROPOSALS)
                .by(BY_RATE, "提案办复件统计")
                .quality("办复内容实事求是，件件有回音"),
            t("加强重点提案督办", SUPERVISION, "重点提案督办办结", n(10), "件")
                .last(n(8))
                .under(WP_PROPOSALS)
                .by(BY_COUNT, "重点提案督办报告")
                .quality("督办成效在全会上通报"),
            t("提高委员对办理结果的满意率", SERVICE, "委员对办理结果满意率", n(95), "%")
                .last(n(93))
                .under(WP_MEMBERS)
                .by(BY_SURVEY, "委员满意度回访记录")
                .quality("不满意件全部二次办理"),
        ],
    ),
    (
        ECONOMY,
        &[
            t("围绕高质量发展开展专题调研", KEY, "完成专题调研报告", n(3), "篇")
                .last(n(2))
                .due(11)
                .under(WP_RESEARCH)
                .by(BY_REVIEW, "调研报告及批示件")
                .quality("建议具体可行，获相关部门采纳"),
            t("组织经济领域专题协商和对口协商", KEY, "组织协商活动", n(4), "次")
                .last(n(3))
                .under(WP_CONSULT)
                .by(BY_COUNT, "协商方案和纪要")
                .quality("协商成果按期报送"),
            t("服务经济界别委员履职", ROUTINE, "界别委员活动参与率", n(90), "%")
                .last(n(85))
                .under(WP_MEMBERS)
                .by(BY_RATE, "活动签到记录")
                .quality("委员履职档案完整"),
        ],
    ),
    (
        CULTURE,
        &[
            t("开展文史资料征集研究", KEY, "征集文史资料", n(60), "万字")
                .last(n(50))
                .due(11)
                .under(WP_RESEARCH)
                .by(BY_COUNT, "征集登记册")
                .quality("史料真实，来源可靠"),
            t("组织委员学习座谈和文化交流", KEY, "组织学习座谈和交流活动", n(8), "次")
                .last(n(6))
                .under(WP_CONSULT)
                .by(BY_COUNT, "活动方案和纪要")
                .quality("委员参与面广，活动有成果"),
            t("服务文化界别委员履职", ROUTINE, "界别委员活动参与率", n(90), "%")
                .last(n(86))
                .under(WP_MEMBERS)
                .by(BY_RATE, "活动签到记录")
                .quality("委员履职档案完整"),
        ],
    ),
    (
        LAW,
        &[
            t("开展社会和法制领域专题调研", KEY, "完成专题调研报告", n(3), "篇")
                .last(n(2))
                .due(11)
                .under(WP_RESEARCH)
                .by(BY_REVIEW, "调研报告及批示件")
                .quality("建议具体可行，获相关部门采纳"),
            t("组织民主监督性视察", SUPERVISION, "组织民主监督和视察活动", n(4), "次")
                .last(n(3))
                .under(WP_CONSULT)
                .by(BY_COUNT, "视察方案和监督意见")
                .quality("监督意见有跟踪、有反馈"),
            t("服务社会和法制界委员履职", ROUTINE, "界别委员活动参与率", n(90), "%")
                .last(n(86))
                .under(WP_MEMBERS)
                .by(BY_RATE, "活动签到记录")
                .quality("委员履职档案完整"),
        ],
    ),
    (
        ENVIRONMENT,
        &[
            t("开展生态环境保护专题调研", KEY, "完成专题调研报告", n(2), "篇")
                .last(n(2))
                .due(11)
                .under(WP_RESEARCH)
                .by(BY_REVIEW, "调研报告及批示件")
                .quality("建议具体可行，获相关部门采纳"),
            t("组织资源环境领域专题协商和视察", KEY, "组织协商和视察活动", n(4), "次")
                .last(n(3))
                .under(WP_CONSULT)
                .by(BY_COUNT, "活动方案和纪要")
                .quality("协商成果按期报送"),
            t("服务人口资源环境界委员履职", ROUTINE, "界别委员活动参与率", n(90), "%")
                .last(n(85))
                .under(WP_MEMBERS)
                .by(BY_RATE, "活动签到记录")
                .quality("委员履职档案完整"),
        ],
    ),
    (
        OVERSEAS,
        &[
            t("开展侨情和港澳台工作调研", KEY, "完成专题调研报告", n(2), "篇")
                .last(n(1))
                .due(11)
                .under(WP_RESEARCH)
                .by(BY_REVIEW, "调研报告及批示件")
                .quality("建议具体可行，获相关部门采纳"),
            t("组织港澳台侨联谊交流活动", KEY, "组织联谊交流活动", n(6), "次")
                .last(n(5))
                .under(WP_CONSULT)
                .by(BY_COUNT, "活动方案和总结")
                .quality("外事纪律严明，活动安全有序"),
            t("做好港澳台侨委员联络服务", SERVICE, "港澳台侨委员联络走访覆盖率", n(100), "%")
                .last(n(90))
                .under(WP_MEMBERS)
                .by(BY_RATE, "联络走访记录")
                .quality("委员诉求件件有回应"),
        ],
    ),
    (
        ETHNIC,
        &[
            t("开展民族宗教领域专题调研", KEY, "完成专题调研报告", n(2), "篇")
                .last(n(2))
                .due(11)
                .under(WP_RESEARCH)
                .by(BY_REVIEW, "调研报告及批示件")
                .quality("建议具体可行，获相关部门采纳"),
            t("组织民族宗教专题协商和视察", KEY, "组织协商和视察活动", n(3), "次")
                .last(n(2))
                .under(WP_CONSULT)
                .by(BY_COUNT, "活动方案和纪要")
                .quality("协商成果按期报送"),
            t("服务民族宗教界委员履职", ROUTINE, "界别委员活动参与率", n(90), "%")
                .last(n(88))
                .under(WP_MEMBERS)
                .by(BY_RATE, "活动签到记录")
                .quality("委员履职档案完整"),
        ],
    ),
    (
        PARTY,
        &[
            t("加强机关党的建设", KEY, "党支部规范化建设达标率", n(100), "%")
                .last(n(100))
                .under(WP_OFFICE)
                .by(BY_RATE, "党支部建设台账")
                .quality("支部标准化规范化建设全部达标"),
            t("组织年度绩效考核", KEY, "考核各环节按期完成率", n(100), "%")
                .last(n(100))
                .under(WP_OFFICE)
                .by(BY_RATE, "考核工作台账和通知")
                .quality("考核结果客观公正，无有效申诉"),
            t("加强干部教育培训", ROUTINE, "干部年度培训学时达标率", n(100), "%")
                .last(n(95))
                .under(WP_OFFICE)
                .by(BY_RATE, "培训学时登记表")
                .quality("每人每年培训不少于 90 学时"),
            t("落实党风廉政建设责任", SUPERVISION, "廉政风险点排查覆盖率", n(100), "%")
                .last(n(100))
                .under(WP_OFFICE)
                .by(BY_RATE, "廉政风险防控台账")
                .quality("全年无违纪违法问题"),
        ],
    ),
    (
        IT,
        &[
            t("保障业务系统稳定运行", KEY, "系统可用率", n1(995), "%")
                .last(n1(992))
                .under(WP_SMART)
                .by(BY_RATE, "运维监控月报")
                .quality("核心系统全年无重大故障"),
            t("推进智慧政协平台建设", INNOVATION, "新上线功能模块", n(3), "个")
                .last(n(2))
                .under(WP_SMART)
                .by(BY_COUNT, "上线验收报告")
                .quality("功能经委员试用评价"),
            t("落实网络安全责任制", KEY, "网络安全事件", n(0), "起")
                .last(n(0))
                .lower()
                .under(WP_SMART)
                .by(BY_ZERO, "安全事件登记和通报")
                .quality("等级保护测评合格"),
            t("做好视频会议技术保障", ROUTINE, "视频会议保障成功率", n(100), "%")
                .last(n(99))
                .under(WP_CONSULT)
                .by(BY_RATE, "视频会议保障记录")
                .quality("会前 1 小时完成调试"),
        ],
    ),
];

/// The targets of a post's holder; `under` names a target of the
/// department. `department` None: the post of that title in any committee office.
struct PostTargets {
    department: Option<&'static str>,
    post: &'static str,
    targets: &'static [Spec],
}

const fn post(department: &'static str, post: &'static str, targets: &'static [Spec]) -> PostTargets {
    PostTargets { department: Some(department), post, targets }
}

const fn committee_post(post: &'static str, targets: &'static [Spec]) -> PostTargets {
    PostTargets { department: None, post, targets }
}

/// The staff target of `staff` that a pending change request lowers.
pub(super) const CHANGED_TARGET: &str = "会议文件和会务保障";
const CHANGE_REASON: &str = "机构调整：会务保障职能部分划转信息中心";
const CHANGE_PROPOSED_VALUE: Decimal = n(30);

const POST_TARGETS: &[PostTargets] = &[
    post(
        OFFICE,
        "办公室主任岗",
        &[
            t("统筹全会和常委会议筹备", KEY, "参会委员满意率", n(96), "%")
                .last(n(95))
                .under(1)
                .by(BY_SURVEY, "会务满意度测评表")
                .quality("重要会议零差错"),
            t("重要文稿审核把关", ROUTINE, "经审核文稿被退改率", n(5), "%")
                .last(n(6))
                .lower()
                .by(BY_RATE, "文稿审核登记")
                .quality("政治表述准确，数据核实无误"),
            t("督办事项按期办结", SUPERVISION, "督办事项按期办结率", n(95), "%")
                .last(n(92))
                .under(2)
                .by(BY_RATE, "督办台账")
                .quality("逾期件说明原因并通报"),
            t("机关运行经费管理", ROUTINE, "机关运行经费预算执行率", n(95), "%")
                .last(n(93))
                .under(3)
                .by(BY_RATE, "财务决算报表")
                .quality("无超预算、无违规支出"),
        ],
    ),
    post(
        OFFICE,
        "综合文秘岗",
        &[
            t("公文办理提速", KEY, "公文办理平均时限", n(3), "个工作日")
                .last(n1(35))
                .lower()
                .by(BY_DAYS, "公文处理系统统计")
                .quality("格式规范，无错发漏发"),
            t("综合文稿起草", ROUTINE, "起草综合文稿", n(40), "篇")
                .last(n(36))
                .by(BY_COUNT, "文稿登记册")
                .quality("一次审核通过率不低于 80%"),
            t(CHANGED_TARGET, ROUTINE, "承担会议文件和会务保障场次", n(40), "场")
                .last(n(38))
                .under(1)
                .by(BY_COUNT, "会议保障登记表")
                .quality("会议文件会前 1 天送达"),
            t("机要文件管理", ROUTINE, "机要文件管理差错", n(0), "件")
                .last(n(0))
                .lower()
                .by(BY_ZERO, "机要文件登记簿、保密检查记录")
                .quality("严格执行保密规定"),
        ],
    ),
    post(
        OFFICE,
        "会务组织岗",
        &[
            t("全体会议和常委会议会务保障", KEY, "会务保障差错", n(0), "次")
                .last(n(1))
                .lower()
                .under(1)
                .by(BY_ZERO, "会务工作总结")
                .quality("会务方案提前 5 个工作日报审"),
            t("组织各类会议和活动", ROUTINE, "组织会议和活动", n(60), "场")
                .last(n(55))
                .under(1)
                .by(BY_COUNT, "会议登记表")
                .quality("会场、住宿、用餐安排有序"),
            t("参会委员满意率", SERVICE, "参会委员满意率", n(96), "%")
                .last(n(95))
                .under(1)
                .by(BY_SURVEY, "会务满意度测评表")
                .quality("委员意见 3 个工作日内反馈"),
        ],
    ),
    post(
        OFFICE,
        "督查督办岗",
        &[
            t("督办事项按期办结", SUPERVISION, "督办事项按期办结率", n(95), "%")
                .last(n(92))
                .under(2)
                .by(BY_RATE, "督办台账、办结报告")
                .quality("督办件闭环管理"),
            t("编发督查通报", ROUTINE, "编发督查通报", n(12), "期")
                .last(n(12))
                .under(2)
                .by(BY_COUNT, "督查通报文本")
                .quality("每月 10 日前印发"),
            t("领导批示件跟踪反馈", SUPERVISION, "批示件按期反馈率", n(100), "%")
                .last(n(98))
                .under(2)
                .by(BY_RATE, "批示件登记和反馈记录")
                .quality("反馈内容具体，有落实结果"),
        ],
    ),
    post(
        OFFICE,
        "机关事务岗",
        &[
            t("预算执行管理", KEY, "机关运行经费预算执行率", n(95), "%")
                .last(n(93))
                .under(3)
                .by(BY_RATE, "财务决算报表")
                .quality("无超预算、无违规支出"),
            t("国有资产管理", ROUTINE, "固定资产账实相符率", n(100), "%")
                .last(n(99))
                .under(3)
                .by(BY_RATE, "资产盘点报告")
                .quality("年中、年末各盘点一次"),
            t("公用经费压减", ROUTINE, "一般性支出同比压减", n(3), "%")
                .last(n(2))
                .under(3)
                .by(BY_RATE, "财务决算报表")
                .quality("压减不影响正常运转"),
            t("财务报销审核", SERVICE, "报销审核平均时限", n(5), "个工作日")
                .last(n(6))
                .lower()
                .under(3)
                .by(BY_DAYS, "报销审核登记")
                .quality("审核依据充分，退单一次告知"),
        ],
    ),
    post(
        OFFICE,
        "文印收发岗",
        &[
            t("文件收发登记", ROUTINE, "收发登记差错", n(0), "件")
                .last(n(0))
                .lower()
                .by(BY_ZERO, "收发文登记簿")
                .quality("当日文件当日登记分送"),
            t("文件印制", ROUTINE, "文件按时印制完成率", n(100), "%")
                .last(n(99))
                .under(1)
                .by(BY_RATE, "印制任务登记")
                .quality("印制质量合格，无泄密"),
            t("报刊分发", SERVICE, "报刊按时分发率", n(100), "%")
                .last(n(100))
                .under(3)
                .by(BY_RATE, "报刊分发登记")
                .quality("当日报刊上午送达"),
        ],
    ),
    post(
        OFFICE,
        "车辆保障岗",
        &[
            t("安全行车", KEY, "责任交通事故", n(0), "起")
                .last(n(0))
                .lower()
                .under(3)
                .by(BY_ZERO, "行车记录、事故处理记录")
                .quality("全年安全行车无违章"),
            t("用车保障", SERVICE, "用车按时到位率", n(99), "%")
                .last(n(98))
                .under(1)
                .by(BY_RATE, "派车登记")
                .quality("重要活动用车提前检查"),
            t("车辆维护保养", ROUTINE, "定期保养完成率", n(100), "%")
                .last(n(100))
                .under(3)
                .by(BY_RATE, "车辆维修保养记录")
                .quality("车况良好，费用公开"),
        ],
    ),
    post(
        RESEARCH,
        "研究室主任岗",
        &[
            t("统筹重点调研课题", KEY, "完成重点调研课题", n(4), "项")
                .last(n(3))
                .due(11)
                .by(BY_REVIEW, "调研报告")
                .quality("课题按计划结题"),
            t("调研成果转化", KEY, "调研成果获市领导批示", n(3), "件")
                .last(n(2))
                .by(BY_COUNT, "领导批示件")
                .quality("批示事项有跟踪落实"),
            t("组织理论研讨会", ROUTINE, "组织理论研讨会", n(1), "次")
                .last(n(1))
                .due(10)
                .under(2)
                .by(BY_REVIEW, "研讨会方案和论文集")
                .quality("形成研讨成果汇编"),
        ],
    ),
    post(
        RESEARCH,
        "课题调研岗",
        &[
            t("牵头完成调研课题", KEY, "牵头完成调研课题", n(2), "项")
                .last(n(2))
                .due(11)
                .by(BY_REVIEW, "调研报告")
                .quality("报告数据翔实，建议可操作"),
            t("调研报告按期提交", ROUTINE, "调研报告按期提交率", n(100), "%")
                .last(n(100))
                .due(11)
                .by(BY_RATE, "课题进度台账")
                .quality("初稿、征求意见稿、定稿各环节按期"),
            t("跟踪调研成果转化", INNOVATION, "形成成果转化跟踪报告", n(2), "份")
                .last(n(1))
                .by(BY_COUNT, "跟踪报告")
                .quality("写明采纳部门和落实情况"),
        ],
    ),
    post(
        RESEARCH,
        "理论研究岗",
        &[
            t("政协理论研究", KEY, "发表理论研究文章", n(4), "篇")
                .last(n(3))
                .under(2)
                .by(BY_REVIEW, "刊发文章")
                .quality("至少 1 篇在省级以上刊物发表"),
            t("编印研究成果汇编", ROUTINE, "编印成果汇编", n(1), "册")
                .last(n(1))
                .under(2)
                .by(BY_REVIEW, "成果汇编")
                .quality("年底前印发各专委会"),
            t("参加理论研讨交流", ROUTINE, "参加省级以上理论研讨交流", n(2), "次")
                .last(n(1))
                .under(2)
                .by(BY_COUNT, "交流论文、会议通知")
                .quality("论文入选交流"),
        ],
    ),
    post(
        RESEARCH,
        "信息综合岗",
        &[
            t("政协信息和社情民意信息编报", KEY, "编报信息", n(120), "篇")
                .last(n(105))
                .under(1)
                .by(BY_COUNT, "信息报送登记")
                .quality("时效性强，反映问题准确"),
            t("信息被上级采用", KEY, "被省级以上采用", n(20), "篇")
                .last(n(16))
                .under(1)
                .by(BY_COUNT, "采用通报")
                .quality("采用数不低于上年"),
            t("信息采用情况通报", ROUTINE, "编发采用情况通报", n(4), "期")
                .last(n(4))
                .under(1)
                .by(BY_COUNT, "通报文本")
                .quality("每季度首月 15 日前印发"),
        ],
    ),
    post(
        RESEARCH,
        "文稿起草岗",
        &[
            t("领导讲话和重要文稿起草", KEY, "起草重要文稿", n(30), "篇")
                .last(n(28))
                .under(3)
                .by(BY_COUNT, "文稿任务台账")
                .quality("按期交稿，观点准确"),
            t("常委会工作报告起草", KEY, "常委会工作报告按期提交", n(1), "份")
                .last(n(1))
                .due(1)
                .under(3)
                .by(BY_REVIEW, "报告送审稿")
                .quality("全会前 15 天提交主席会议审议"),
            t("文稿一次通过", ROUTINE, "文稿一次审核通过率", n(85), "%")
                .last(n(80))
                .under(3)
                .by(BY_RATE, "文稿审核登记")
                .quality("政治表述准确，数据核实无误"),
        ],
    ),
    post(
        PROPOSALS,
        "主任岗",
        &[
            t("提案办复", KEY, "提案办复率", n(100), "%")
                .last(n(100))
                .under(1)
                .by(BY_RATE, "提案办复件统计")
                .quality("按期办复，件件有回音"),
            t("重点提案督办", SUPERVISION, "重点提案督办办结", n(10), "件")
                .last(n(8))
                .under(2)
                .by(BY_COUNT, "督办报告")
                .quality("督办成效在全会上通报"),
            t("提案工作情况报告", ROUTINE, "起草提案工作情况报告", n(1), "份")
                .last(n(1))
                .due(1)
                .under(1)
                .by(BY_REVIEW, "报告送审稿")
                .quality("全会前提交常委会议审议"),
            t("委员满意度", SERVICE, "委员对办理结果满意率", n(95), "%")
                .last(n(93))
                .under(3)
                .by(BY_SURVEY, "委员满意度回访记录")
                .quality("不满意件全部二次办理"),
        ],
    ),
    post(
        PROPOSALS,
        "提案审查岗",
        &[
            t("提案立案审查及时", KEY, "提案立案审查及时率", n(98), "%")
                .last(n(96))
                .by(BY_RATE, "提案系统审查记录")
                .quality("收到提案 5 个工作日内完成审查"),
            t("提案准确交办", ROUTINE, "提案交办准确率", n(97), "%")
                .last(n(95))
                .by(BY_RATE, "交办单和退回改办记录")
                .quality("承办单位无异议"),
            t("并案处理", ROUTINE, "并案意见按期提出率", n(100), "%")
                .last(n(100))
                .by(BY_RATE, "并案处理记录")
                .quality("并案理由告知提案人"),
        ],
    ),
    post(
        PROPOSALS,
        "提案办理协调岗",
        &[
            t("提案按期答复", KEY, "提案按期答复率", n(100), "%")
                .last(n(99))
                .under(1)
                .by(BY_RATE, "提案办复件统计")
                .quality("答复件格式规范，内容具体"),
            t("办理协商", ROUTINE, "组织提案办理协商会", n(6), "次")
                .last(n(5))
                .under(1)
                .by(BY_COUNT, "协商会纪要")
                .quality("提案人、承办单位面对面协商"),
            t("满意度回访", SERVICE, "委员满意度回访覆盖率", n(100), "%")
                .last(n(95))
                .under(3)
                .by(BY_RATE, "回访记录")
                .quality("办复后 10 个工作日内回访"),
        ],
    ),
    post(
        PROPOSALS,
        "重点提案督办岗",
        &[
            t("重点提案督办办结", SUPERVISION, "重点提案督办办结", n(10), "件")
                .last(n(8))
                .under(2)
                .by(BY_COUNT, "督办台账")
                .quality("每件重点提案有督办方案"),
            t("督办情况报告", ROUTINE, "编写督办情况报告", n(2), "份")
                .last(n(2))
                .due(11)
                .under(2)
                .by(BY_REVIEW, "报告文本")
                .quality("半年、全年各报告一次"),
            t("重点提案办理成效评估", INNOVATION, "开展成效评估", n(1), "次")
                .under(2)
                .by(BY_REVIEW, "评估报告")
                .quality("评估结果向承办单位反馈"),
        ],
    ),
    post(
        PROPOSALS,
        "提案信息管理岗",
        &[
            t("提案数据录入", ROUTINE, "提案系统数据录入准确率", n1(995), "%")
                .last(n(99))
                .by(BY_RATE, "系统抽查记录")
                .quality("提案收到当日录入"),
            t("提案统计分析", ROUTINE, "编制统计分析报告", n(4), "期")
                .last(n(4))
                .under(1)
                .by(BY_COUNT, "统计分析报告")
                .quality("每季度首月 10 日前完成"),
            t("提案资料归档", ROUTINE, "提案资料按期归档率", n(100), "%")
                .last(n(100))
                .under(1)
                .by(BY_RATE, "档案移交清单")
                .quality("一件一档，次年 3 月前归档"),
        ],
    ),
    committee_post(
        "主任岗",
        &[
            t("牵头专题调研", KEY, "牵头完成专题调研报告", n(2), "篇")
                .last(n(2))
                .due(11)
                .by(BY_REVIEW, "调研报告及批示件")
                .quality("建议具体可行"),
            t("组织协商和视察", KEY, "组织专题协商或视察活动", n(3), "次")
                .last(n(3))
                .under(1)
                .by(BY_COUNT, "活动方案和纪要")
                .quality("成果按期报送"),
            t("专委会年度计划落实", ROUTINE, "年度工作计划完成率", n(100), "%")
                .last(n(100))
                .under(1)
                .by(BY_RATE, "工作计划和总结")
                .quality("计划调整事先报批"),
            t("服务界别委员", SERVICE, "界别委员活动参与率", n(90), "%")
                .last(n(86))
                .under(2)
                .by(BY_RATE, "活动签到记录")
                .quality("每名委员每年至少参加 2 次活动"),
        ],
    ),
    committee_post(
        "委员联络岗",
        &[
            t("委员履职档案", ROUTINE, "履职档案更新及时率", n(100), "%")
                .last(n(98))
                .under(2)
                .by(BY_RATE, "履职档案系统记录")
                .quality("活动结束 5 个工作日内登记"),
            t("界别小组活动", KEY, "组织界别小组活动", n(6), "次")
                .last(n(5))
                .under(2)
                .by(BY_COUNT, "活动方案和签到")
                .quality("每次活动有主题、有记录"),
            t("委员联络走访", SERVICE, "联络走访委员", n(30), "人次")
                .last(n(26))
                .under(2)
                .by(BY_COUNT, "走访记录")
                .quality("委员诉求 3 个工作日内反馈"),
        ],
    ),
    committee_post(
        "综合事务岗",
        &[
            t("委员会文件处理", ROUTINE, "文件处理及时率", n(100), "%")
                .last(n(99))
                .under(1)
                .by(BY_RATE, "收发文登记")
                .quality("急件当日办理"),
            t("会议记录和纪要", ROUTINE, "纪要按期完成率", n(100), "%")
                .last(n(100))
                .under(1)
                .by(BY_RATE, "会议纪要")
                .quality("会后 3 个工作日内印发"),
            t("委员会档案管理", ROUTINE, "文书档案按期归档率", n(100), "%")
                .last(n(100))
                .under(2)
                .by(BY_RATE, "档案移交清单")
                .quality("次年 3 月前完成归档"),
        ],
    ),
    post(
        ECONOMY,
        "专题调研岗",
        &[
            t("经济领域专题调研", KEY, "完成专题调研报告", n(2), "篇")
                .last(n(1))
                .due(11)
                .by(BY_REVIEW, "调研报告")
                .quality("数据翔实，建议可操作"),
            t("形成建议案", KEY, "形成建议案", n(1), "件")
                .last(n(1))
                .due(11)
                .by(BY_REVIEW, "建议案文本")
                .quality("经常委会议审议通过"),
            t("调研成果获批示", ROUTINE, "调研报告获领导批示", n(1), "件")
                .last(n(1))
                .by(BY_COUNT, "批示件")
                .quality("批示事项有跟踪"),
        ],
    ),
    post(
        ECONOMY,
        "协商议政岗",
        &[
            t("专题协商会筹备", KEY, "筹备专题协商会", n(2), "次")
                .last(n(1))
                .under(1)
                .by(BY_COUNT, "协商会方案和纪要")
                .quality("会前 10 个工作日印发议题材料"),
            t("对口协商", ROUTINE, "组织对口协商", n(4), "次")
                .last(n(3))
                .under(1)
                .by(BY_COUNT, "对口协商纪要")
                .quality("对口部门主要负责同志到会"),
            t("协商成果报送", ROUTINE, "协商成果按期报送率", n(100), "%")
                .last(n(100))
                .under(1)
                .by(BY_RATE, "成果报送件")
                .quality("会后 15 个工作日内报送"),
        ],
    ),
    post(
        CULTURE,
        "文史资料征编岗",
        &[
            t("文史资料征集", KEY, "征集文史资料", n(60), "万字")
                .last(n(50))
                .due(11)
                .by(BY_COUNT, "征集登记册")
                .quality("史料真实，来源可靠"),
            t("文史书籍编辑出版", KEY, "编辑出版文史书籍", n(2), "册")
                .last(n(1))
                .by(BY_REVIEW, "出版物")
                .quality("无政治性、史实性差错"),
            t("口述历史采访", INNOVATION, "完成口述历史采访", n(12), "人")
                .last(n(10))
                .by(BY_COUNT, "采访录音和整理稿")
                .quality("采访对象签署授权书"),
        ],
    ),
    post(
        CULTURE,
        "学习培训岗",
        &[
            t("委员学习培训", KEY, "组织委员学习培训", n(4), "期")
                .last(n(3))
                .under(1)
                .by(BY_COUNT, "培训方案和签到")
                .quality("每期培训后开展评估"),
            t("学习座谈", ROUTINE, "组织学习座谈会", n(6), "次")
                .last(n(6))
                .under(1)
                .by(BY_COUNT, "座谈会纪要")
                .quality("每次形成交流材料"),
            t("委员读书活动", INNOVATION, "委员读书活动参与率", n(80), "%")
                .last(n(72))
                .under(2)
                .by(BY_RATE, "读书平台统计")
                .quality("每季度推荐书目"),
        ],
    ),
    post(
        CULTURE,
        "书画联谊岗",
        &[
            t("书画联谊活动", ROUTINE, "组织书画联谊活动", n(4), "次")
                .last(n(4))
                .under(1)
                .by(BY_COUNT, "活动方案和总结")
                .quality("活动节俭，不收受礼品"),
            t("文化交流活动", ROUTINE, "组织文化交流活动", n(2), "次")
                .last(n(2))
                .under(1)
                .by(BY_COUNT, "活动方案和总结")
                .quality("交流作品登记入册"),
            t("参与委员满意率", SERVICE, "活动参与委员满意率", n(95), "%")
                .last(n(93))
                .under(2)
                .by(BY_SURVEY, "活动满意度测评")
                .quality("委员意见逐条回复"),
        ],
    ),
    post(
        LAW,
        "民主监督岗",
        &[
            t("民主监督性视察", KEY, "组织民主监督性视察", n(4), "次")
                .last(n(3))
                .under(1)
                .by(BY_COUNT, "视察方案和报告")
                .quality("视察报告 15 个工作日内报送"),
            t("报送监督意见", ROUTINE, "报送监督意见", n(4), "份")
                .last(n(3))
                .under(1)
                .by(BY_COUNT, "监督意见文本")
                .quality("问题具体，建议可行"),
            t("监督意见跟踪", SUPERVISION, "监督意见跟踪反馈率", n(100), "%")
                .last(n(90))
                .under(1)
                .by(BY_RATE, "跟踪反馈记录")
                .quality("每件意见有落实回复"),
        ],
    ),
    post(
        LAW,
        "法治调研岗",
        &[
            t("法治领域专题调研", KEY, "完成专题调研报告", n(2), "篇")
                .last(n(1))
                .due(11)
                .by(BY_REVIEW, "调研报告")
                .quality("建议具体可行"),
            t("立法协商", KEY, "组织立法协商", n(3), "次")
                .last(n(2))
                .under(1)
                .by(BY_COUNT, "立法协商纪要")
                .quality("协商意见按期反馈立法机关"),
            t("立法协商意见采纳", ROUTINE, "协商意见被采纳", n(10), "条")
                .last(n(8))
                .under(1)
                .by(BY_COUNT, "采纳情况反馈函")
                .quality("逐条核对采纳情况"),
        ],
    ),
    post(
        LAW,
        "社会事业调研岗",
        &[
            t("社会领域视察", ROUTINE, "组织社会领域视察", n(2), "次")
                .last(n(2))
                .under(1)
                .by(BY_COUNT, "视察方案和报告")
                .quality("视察报告按期报送"),
            t("委员意见收集", SERVICE, "收集整理委员意见建议", n(40), "条")
                .last(n(35))
                .under(2)
                .by(BY_COUNT, "意见建议汇总表")
                .quality("按月汇总分送"),
            t("社会事业调研", KEY, "完成调研报告", n(1), "篇")
                .last(n(1))
                .due(11)
                .by(BY_REVIEW, "调研报告")
                .quality("建议具体可行"),
        ],
    ),
    post(
        ENVIRONMENT,
        "生态环境调研岗",
        &[
            t("生态环境专题调研", KEY, "完成专题调研报告", n(2), "篇")
                .last(n(2))
                .due(11)
                .by(BY_REVIEW, "调研报告")
                .quality("数据翔实，建议可操作"),
            t("生态环境视察", ROUTINE, "组织生态环境视察", n(2), "次")
                .last(n(2))
                .under(1)
                .by(BY_COUNT, "视察方案和报告")
                .quality("视察报告按期报送"),
            t("调研建议采纳", ROUTINE, "调研建议被相关部门采纳", n(5), "条")
                .last(n(4))
                .by(BY_COUNT, "采纳情况反馈函")
                .quality("逐条核对采纳情况"),
        ],
    ),
    post(
        ENVIRONMENT,
        "资源保护协商岗",
        &[
            t("资源保护专题协商", KEY, "组织专题协商", n(2), "次")
                .last(n(1))
                .under(1)
                .by(BY_COUNT, "协商方案和纪要")
                .quality("协商成果按期报送"),
            t("对口部门联络", ROUTINE, "走访对口部门", n(6), "次")
                .last(n(6))
                .under(1)
                .by(BY_COUNT, "走访记录")
                .quality("形成工作联系清单"),
            t("协商成果报送", ROUTINE, "协商成果按期报送率", n(100), "%")
                .last(n(100))
                .under(1)
                .by(BY_RATE, "成果报送件")
                .quality("会后 15 个工作日内报送"),
        ],
    ),
    post(
        OVERSEAS,
        "港澳台联络岗",
        &[
            t("港澳台委员联络", KEY, "联络走访覆盖率", n(100), "%")
                .last(n(90))
                .under(2)
                .by(BY_RATE, "联络走访记录")
                .quality("委员诉求件件有回应"),
            t("港澳台交流活动", ROUTINE, "组织交流活动", n(3), "次")
                .last(n(2))
                .under(1)
                .by(BY_COUNT, "活动方案和总结")
                .quality("外事纪律严明"),
            t("来访团组接待", SERVICE, "来访团组接待满意率", n(98), "%")
                .last(n(97))
                .under(1)
                .by(BY_SURVEY, "接待满意度反馈")
                .quality("接待方案提前报批"),
        ],
    ),
    post(
        OVERSEAS,
        "侨务工作岗",
        &[
            t("侨界联谊", ROUTINE, "组织侨界联谊活动", n(3), "次")
                .last(n(3))
                .under(1)
                .by(BY_COUNT, "活动方案和总结")
                .quality("活动安全有序"),
            t("侨情调研", KEY, "完成侨情调研报告", n(1), "篇")
                .last(n(1))
                .due(11)
                .by(BY_REVIEW, "调研报告")
                .quality("建议具体可行"),
            t("为侨服务", SERVICE, "为海外侨胞办实事", n(10), "件")
                .last(n(8))
                .under(2)
                .by(BY_COUNT, "办理台账")
                .quality("办理结果书面告知"),
        ],
    ),
    post(
        OVERSEAS,
        "外事接待岗",
        &[
            t("外事活动", KEY, "外事活动差错", n(0), "次")
                .last(n(0))
                .lower()
                .under(1)
                .by(BY_ZERO, "外事活动总结")
                .quality("严守外事纪律"),
            t("因公出国（境）审核", SERVICE, "审核办结平均时限", n(5), "个工作日")
                .last(n(7))
                .lower()
                .under(1)
                .by(BY_DAYS, "审核登记")
                .quality("材料不全一次告知"),
            t("外宾接待", ROUTINE, "接待外宾团组", n(8), "批次")
                .last(n(6))
                .under(1)
                .by(BY_COUNT, "接待登记")
                .quality("接待规格符合规定"),
        ],
    ),
    post(
        OVERSEAS,
        "外事翻译岗",
        &[
            t("外事翻译", ROUTINE, "完成翻译", n(15), "万字")
                .last(n(12))
                .under(1)
                .by(BY_COUNT, "翻译任务登记")
                .quality("重要文稿双人校对"),
            t("翻译质量", KEY, "翻译差错", n(0), "处")
                .last(n(0))
                .lower()
                .under(1)
                .by(BY_ZERO, "校对记录")
                .quality("译文准确、通顺"),
            t("外事资料归档", ROUTINE, "外事资料按期归档率", n(100), "%")
                .last(n(100))
                .under(1)
                .by(BY_RATE, "档案移交清单")
                .quality("次年 3 月前完成归档"),
        ],
    ),
    post(
        ETHNIC,
        "民族工作岗",
        &[
            t("民族团结进步调研", KEY, "完成调研报告", n(1), "篇")
                .last(n(1))
                .due(11)
                .by(BY_REVIEW, "调研报告")
                .quality("建议具体可行"),
            t("少数民族委员联络", SERVICE, "联络走访少数民族委员", n(20), "人次")
                .last(n(16))
                .under(2)
                .by(BY_COUNT, "走访记录")
                .quality("委员诉求 3 个工作日内反馈"),
            t("民族团结进步视察", ROUTINE, "组织视察", n(1), "次")
                .last(n(1))
                .under(1)
                .by(BY_COUNT, "视察方案和报告")
                .quality("视察报告按期报送"),
        ],
    ),
    post(
        ETHNIC,
        "宗教工作岗",
        &[
            t("宗教界委员联络服务", SERVICE, "联络服务宗教界委员", n(30), "人次")
                .last(n(25))
                .under(2)
                .by(BY_COUNT, "联络服务记录")
                .quality("委员诉求 3 个工作日内反馈"),
            t("宗教工作专题协商", KEY, "组织专题协商", n(1), "次")
                .last(n(1))
                .under(1)
                .by(BY_COUNT, "协商方案和纪要")
                .quality("协商成果按期报送"),
            t("宗教活动场所视察", ROUTINE, "组织场所视察", n(2), "次")
                .last(n(2))
                .under(1)
                .by(BY_COUNT, "视察方案和报告")
                .quality("视察发现问题有跟踪"),
        ],
    ),
    post(
        PARTY,
        "专职副书记兼处长岗",
        &[
            t("党支部规范化建设", KEY, "党支部规范化建设达标率", n(100), "%")
                .last(n(100))
                .by(BY_RATE, "党支部建设台账")
                .quality("支部全部达标"),
            t("年度绩效考核", KEY, "考核各环节按期完成率", n(100), "%")
                .last(n(100))
                .under(1)
                .by(BY_RATE, "考核工作台账")
                .quality("考核结果客观公正"),
            t("干部教育培训", ROUTINE, "培训学时达标率", n(100), "%")
                .last(n(95))
                .under(2)
                .by(BY_RATE, "培训学时登记表")
                .quality("每人每年不少于 90 学时"),
            t("党风廉政建设", SUPERVISION, "廉政风险点排查覆盖率", n(100), "%")
                .last(n(100))
                .under(3)
                .by(BY_RATE, "廉政风险防控台账")
                .quality("全年无违纪违法问题"),
        ],
    ),
    post(
        PARTY,
        "绩效管理岗",
        &[
            t("年度考核方案", KEY, "考核方案按期印发", n(1), "份")
                .last(n(1))
                .due(1)
                .under(1)
                .by(BY_REVIEW, "考核方案文件")
                .quality("1 月底前经考核委员会审定印发"),
            t("平时考核", ROUTINE, "平时考核按季完成率", n(100), "%")
                .last(n(100))
                .under(1)
                .by(BY_RATE, "平时考核登记表")
                .quality("每季度结束后 10 个工作日内完成"),
            t("考核结果反馈", SERVICE, "考核结果按期反馈率", n(100), "%")
                .last(n(100))
                .under(1)
                .by(BY_RATE, "结果反馈记录")
                .quality("结果书面告知本人"),
        ],
    ),
    post(
        PARTY,
        "机关纪委岗",
        &[
            t("廉政风险排查", KEY, "廉政风险点排查覆盖率", n(100), "%")
                .last(n(100))
                .under(3)
                .by(BY_RATE, "廉政风险防控台账")
                .quality("风险点有防控措施"),
            t("廉政教育", ROUTINE, "开展廉政教育", n(6), "次")
                .last(n(5))
                .under(3)
                .by(BY_COUNT, "教育活动记录")
                .quality("覆盖全体干部"),
            t("问题线索处置", SUPERVISION, "问题线索按期处置率", n(100), "%")
                .last(n(100))
                .under(3)
                .by(BY_RATE, "线索处置台账")
                .quality("处置程序规范"),
        ],
    ),
    post(
        PARTY,
        "内部审计岗",
        &[
            t("内部审计项目", KEY, "完成内部审计项目", n(4), "项")
                .last(n(3))
                .under(3)
                .by(BY_COUNT, "审计报告")
                .quality("审计发现问题定性准确"),
            t("审计整改", SUPERVISION, "审计整改完成率", n(95), "%")
                .last(n(90))
                .under(3)
                .by(BY_RATE, "整改台账")
                .quality("整改结果书面报告"),
            t("审计报告出具", ROUTINE, "审计报告按期出具率", n(100), "%")
                .last(n(100))
                .under(3)
                .by(BY_RATE, "审计项目台账")
                .quality("现场审计结束 20 个工作日内出具"),
        ],
    ),
    post(
        PARTY,
        "干部人事岗",
        &[
            t("干部教育培训组织", KEY, "组织干部教育培训", n(6), "期")
                .last(n(5))
                .under(2)
                .by(BY_COUNT, "培训方案和签到")
                .quality("培训后开展评估"),
            t("人事档案管理", ROUTINE, "人事档案专项审核完成率", n(100), "%")
                .last(n(100))
                .under(2)
                .by(BY_RATE, "档案审核记录")
                .quality("档案材料真实完整"),
            t("工资福利", ROUTINE, "工资福利按时发放率", n(100), "%")
                .last(n(100))
                .under(2)
                .by(BY_RATE, "工资发放记录")
                .quality("政策执行准确，无差错"),
        ],
    ),
    post(
        PARTY,
        "党建工作岗",
        &[
            t("党员集中学习", KEY, "组织党员集中学习", n(12), "次")
                .last(n(12))
                .by(BY_COUNT, "学习记录")
                .quality("每月至少 1 次"),
            t("党费收缴", ROUTINE, "党费按时足额收缴率", n(100), "%")
                .last(n(100))
                .by(BY_RATE, "党费收缴台账")
                .quality("账目清楚，按时上缴"),
            t("支部建设台账", ROUTINE, "支部台账完整率", n(100), "%")
                .last(n(95))
                .by(BY_RATE, "支部台账抽查记录")
                .quality("三会一课记录完整"),
        ],
    ),
    post(
        IT,
        "中心主任岗",
        &[
            t("系统稳定运行", KEY, "系统可用率", n1(995), "%")
                .last(n1(992))
                .by(BY_RATE, "运维监控月报")
                .quality("核心系统全年无重大故障"),
            t("智慧政协平台建设", INNOVATION, "新上线功能模块", n(3), "个")
                .last(n(2))
                .under(1)
                .by(BY_COUNT, "上线验收报告")
                .quality("功能经委员试用评价"),
            t("网络安全责任", KEY, "网络安全事件", n(0), "起")
                .last(n(0))
                .lower()
                .under(2)
                .by(BY_ZERO, "安全事件登记和通报")
                .quality("等级保护测评合格"),
        ],
    ),
    post(
        IT,
        "系统管理岗",
        &[
            t("业务系统运维", KEY, "系统可用率", n1(995), "%")
                .last(n1(992))
                .by(BY_RATE, "运维监控月报")
                .quality("计划停机提前 2 个工作日通知"),
            t("故障响应", SERVICE, "故障响应平均时限", n(1), "个工作日")
                .last(n(1))
                .lower()
                .by(BY_DAYS, "运维工单记录")
                .quality("重大故障 2 小时内到场"),
            t("数据备份恢复演练", ROUTINE, "开展备份恢复演练", n(4), "次")
                .last(n(2))
                .by(BY_COUNT, "演练记录")
                .quality("每次演练验证恢复完整性"),
            t("用户权限核查", SUPERVISION, "用户权限季度核查", n(4), "次")
                .last(n(4))
                .under(2)
                .by(BY_COUNT, "权限核查记录")
                .quality("离岗人员账号当日停用"),
        ],
    ),
    post(
        IT,
        "网络安全岗",
        &[
            t("网络安全防护", KEY, "网络安全事件", n(0), "起")
                .last(n(0))
                .lower()
                .under(2)
                .by(BY_ZERO, "安全事件登记和通报")
                .quality("7×24 小时监测"),
            t("漏洞整改", ROUTINE, "漏洞按期整改率", n(100), "%")
                .last(n(95))
                .under(2)
                .by(BY_RATE, "漏洞整改台账")
                .quality("高危漏洞 3 个工作日内整改"),
            t("等级保护测评", ROUTINE, "配合完成等级保护测评", n(1), "次")
                .last(n(1))
                .due(10)
                .under(2)
                .by(BY_REVIEW, "测评报告")
                .quality("测评结论为合格"),
        ],
    ),
    post(
        IT,
        "智慧政协平台岗",
        &[
            t("履职平台新功能", INNOVATION, "新上线功能模块", n(3), "个")
                .last(n(2))
                .under(1)
                .by(BY_COUNT, "上线验收报告")
                .quality("上线前完成委员试用"),
            t("门户网站更新", ROUTINE, "网站信息更新及时率", n(100), "%")
                .last(n(98))
                .under(1)
                .by(BY_RATE, "网站发布记录")
                .quality("信息发布经审核"),
            t("新媒体发布", ROUTINE, "新媒体发布", n(300), "条")
                .last(n(260))
                .under(1)
                .by(BY_COUNT, "新媒体后台统计")
                .quality("无错情、无泄密"),
        ],
    ),
    post(
        IT,
        "视频会议保障岗",
        &[
            t("视频会议保障", KEY, "视频会议保障成功率", n(100), "%")
                .last(n(99))
                .under(3)
                .by(BY_RATE, "视频会议保障记录")
                .quality("会前 1 小时完成调试"),
            t("会场设备巡检", ROUTINE, "会场设备巡检", n(12), "次")
                .last(n(12))
                .under(3)
                .by(BY_COUNT, "巡检记录")
                .quality("每月巡检，问题当月修复"),
            t("保障会议场次", ROUTINE, "保障视频会议", n(80), "场")
                .last(n(70))
                .under(3)
                .by(BY_COUNT, "视频会议保障记录")
                .quality("重要会议双线路备份"),
        ],
    ),
];

/// The three annual cycles: which values the targets carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Year {
    /// 2025, closed: the targets were last year's actuals.
    Last,
    /// 2026, in implementation: the tables' values with last year's actual as baseline.
    Current,
    /// 2027, in planning: this year's values carried over as next year's.
    Next,
}

struct CycleSpec {
    name: &'static str,
    year: Year,
    stage: CycleStage,
    period: (NaiveDate, NaiveDate),
    /// Planned ends of planning, implementation, assessment and feedback.
    until: [NaiveDate; 4],
    opened: NaiveDate,
    /// The day the targets were written.
    drafted: NaiveDate,
}

const CYCLES: &[CycleSpec] = &[
    CycleSpec {
        name: "2025年度考核",
        year: Year::Last,
        stage: CycleStage::Closed,
        period: (date(2025, 1, 1), date(2025, 12, 31)),
        until: [date(2025, 1, 31), date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 28)],
        opened: date(2024, 12, 20),
        drafted: date(2025, 1, 6),
    },
    CycleSpec {
        name: "2026年度考核",
        year: Year::Current,
        stage: CycleStage::Implementation,
        period: (date(2026, 1, 1), date(2026, 12, 31)),
        until: [date(2026, 1, 31), date(2026, 12, 31), date(2027, 1, 31), date(2027, 2, 28)],
        opened: date(2025, 12, 19),
        drafted: date(2026, 1, 6),
    },
    CycleSpec {
        name: "2027年度考核",
        year: Year::Next,
        stage: CycleStage::Planning,
        period: (date(2027, 1, 1), date(2027, 12, 31)),
        until: [date(2027, 1, 31), date(2027, 12, 31), date(2028, 1, 31), date(2028, 2, 29)],
        opened: date(2026, 11, 13),
        drafted: date(2026, 11, 16),
    },
];

/// The index of the 2026 cycle in [`CYCLES`].
pub(super) const CURRENT: usize = 1;

/// Department sets of 2027 written so far.
const DEPARTMENT_SETS_2027: &[(&str, PlanStatus)] = &[
    (OFFICE, PlanStatus::Submitted),
    (RESEARCH, PlanStatus::Submitted),
    (PROPOSALS, PlanStatus::Submitted),
    (CULTURE, PlanStatus::Submitted),
    (PARTY, PlanStatus::Draft),
    (IT, PlanStatus::Draft),
];

/// Staff sets of 2027 written so far (the `staff` account has none: the
/// browser journey writes it); drafts lack their last target.
const PERSON_SETS_2027: &[(&str, &str, PlanStatus)] = &[
    (OFFICE, "办公室主任岗", PlanStatus::Submitted),
    (OFFICE, "会务组织岗", PlanStatus::Returned),
    (OFFICE, "督查督办岗", PlanStatus::Submitted),
    (OFFICE, "机关事务岗", PlanStatus::Draft),
    (OFFICE, "文印收发岗", PlanStatus::Submitted),
    (OFFICE, "车辆保障岗", PlanStatus::Submitted),
    (RESEARCH, "研究室主任岗", PlanStatus::Submitted),
    (RESEARCH, "课题调研岗", PlanStatus::Submitted),
    (RESEARCH, "信息综合岗", PlanStatus::Submitted),
    (RESEARCH, "文稿起草岗", PlanStatus::Draft),
    (PROPOSALS, "提案审查岗", PlanStatus::Submitted),
    (PROPOSALS, "提案办理协调岗", PlanStatus::Submitted),
    (PROPOSALS, "提案信息管理岗", PlanStatus::Draft),
    (PARTY, "绩效管理岗", PlanStatus::Submitted),
    (PARTY, "机关纪委岗", PlanStatus::Draft),
    (IT, "系统管理岗", PlanStatus::Submitted),
    (IT, "智慧政协平台岗", PlanStatus::Draft),
];

/// The returned 2027 set carries this target below last year's value.
const RETURNED_TARGET: &str = "参会委员满意率";
const RETURN_REASON: &str = "目标值低于上年实际，请调高参会委员满意率目标";

/// Posts with target templates (their first three targets).
const TEMPLATE_POSTS: &[(&str, &str)] = &[
    (OFFICE, "综合文秘岗"),
    (OFFICE, "会务组织岗"),
    (RESEARCH, "课题调研岗"),
    (RESEARCH, "信息综合岗"),
    (PROPOSALS, "提案审查岗"),
    (PARTY, "绩效管理岗"),
    (IT, "系统管理岗"),
];
const TEMPLATES_PER_POST: usize = 3;

#[derive(Debug)]
pub(super) struct Commitment {
    pub(super) department: &'static str,
    pub(super) post: Option<&'static str>,
    pub(super) service: &'static str,
    pub(super) standard: &'static str,
    pub(super) days: i32,
}

const fn promise(
    department: &'static str,
    post: Option<&'static str>,
    service: &'static str,
    standard: &'static str,
    days: i32,
) -> Commitment {
    Commitment { department, post, service, standard, days }
}

const COMMITMENTS: &[Commitment] = &[
    promise(
        OFFICE,
        Some("综合文秘岗"),
        "委员来信来访登记转办",
        "来信来访当日登记，3 个工作日内转交承办部门并告知委员",
        3,
    ),
    promise(OFFICE, Some("综合文秘岗"), "公文办理", "一般公文 3 个工作日内办结，紧急公文当日办结", 3),
    promise(OFFICE, Some("车辆保障岗"), "公务用车派车", "提前 1 个工作日申请的按时派车，紧急用车 30 分钟内调度", 1),
    promise(
        RESEARCH,
        Some("信息综合岗"),
        "社情民意信息受理",
        "委员报送的社情民意信息 3 个工作日内完成编审并反馈采用情况",
        3,
    ),
    promise(RESEARCH, None, "调研课题建议答复", "收到委员课题建议后 10 个工作日内答复是否列入年度计划", 10),
    promise(PROPOSALS, Some("提案审查岗"), "提案立案审查", "收到提案后 5 个工作日内完成审查并告知立案结果", 5),
    promise(PROPOSALS, Some("提案办理协调岗"), "提案办理进度查询", "委员查询办理进度的，2 个工作日内答复", 2),
    promise(PROPOSALS, Some("提案办理协调岗"), "提案办理结果回访", "办复后 10 个工作日内电话或上门回访提案委员", 10),
    promise(
        OVERSEAS,
        Some("外事接待岗"),
        "因公出国（境）审核",
        "材料齐全的 5 个工作日内完成审核并报批，材料不全一次告知",
        5,
    ),
    promise(OVERSEAS, Some("侨务工作岗"), "侨胞来信来访", "3 个工作日内答复或转交有关部门办理", 3),
    promise(PARTY, Some("干部人事岗"), "干部人事证明开具", "材料齐全的当场办理，需核查档案的 2 个工作日内办结", 2),
    promise(PARTY, Some("党建工作岗"), "党员组织关系转接", "材料齐全的 1 个工作日内办理", 1),
    promise(IT, Some("系统管理岗"), "系统故障响应", "接报后 1 个工作日内响应并给出处置方案，重大故障 2 小时内到场", 1),
    promise(IT, Some("智慧政协平台岗"), "委员履职平台账号开通", "资料齐全的 2 个工作日内开通并通知委员", 2),
    promise(
        IT,
        Some("视频会议保障岗"),
        "视频会议技术保障",
        "提前 3 个工作日申请的会议保障到位，会前 1 小时完成调试",
        3,
    ),
];

// ---------------------------------------------------------------------------
// The plan (no database). Indexes point into the office plan (people, posts),
// DEPARTMENTS, CYCLES and the plan's own sets and targets.

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

#[derive(Debug, Clone, Default)]
pub(super) struct StagePlan {
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
            CYCLES.len(),
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

fn department_targets(department: usize) -> anyhow::Result<&'static [Spec]> {
    let name = DEPARTMENTS[department].name;
    DEPARTMENT_TARGETS
        .iter()
        .find(|(d, _)| *d == name)
        .map(|(_, specs)| *specs)
        .ok_or_else(|| anyhow::anyhow!("demo data: no targets for {name}"))
}

/// The targets of a post: its own, or the committee offices' for that title.
fn post_targets(department: usize, title: &str) -> anyhow::Result<&'static [Spec]> {
    let name = DEPARTMENTS[department].name;
    let committee = DEPARTMENTS[department].kind == DepartmentKind::CommitteeOffice;
    let own = POST_TARGETS.iter().find(|p| p.department == Some(name) && p.post == title);
    let shared = || POST_TARGETS.iter().find(|p| committee && p.department.is_none() && p.post == title);
    own.or_else(shared).map(|p| p.targets).ok_or_else(|| anyhow::anyhow!("demo data: no targets for {name} {title}"))
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
    out: StagePlan,
    /// Sets planned so far: spreads submission times over the day.
    sequence: i64,
}

pub(super) fn plan(office: &Plan) -> anyhow::Result<StagePlan> {
    let mut builder = Builder { office, out: StagePlan::default(), sequence: 0 };
    for (cycle, spec) in CYCLES.iter().enumerate() {
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
        let department = department_index(department)?;
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
        let cycle = &CYCLES[self.out.sets[set].cycle];
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
                deadline: month_end(cycle.period.0.year(), spec.month)?,
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
        let year = CYCLES[cycle].period.0.year();
        let day = |d: u32| NaiveDate::from_ymd_opt(year, 1, d).ok_or_else(|| anyhow::anyhow!("demo data: bad day"));
        let adopted = SetPlan {
            status: PlanStatus::Approved,
            decided_at: Some(at(day(8)?, 60)),
            decided_by: Some(self.committee()?),
            ..Self::draft(cycle, TargetLevel::Office, None, None)
        };
        let office = self.set(adopted);
        let points = self.targets(office, WORK_POINTS, WORK_POINTS.len(), &[], Holder::default())?;
        for department in 0..DEPARTMENTS.len() {
            let minutes = self.sequence * 11 % 420;
            let approved = SetPlan {
                status: PlanStatus::Approved,
                submitted_at: Some(at(day(13)?, minutes)),
                decided_at: Some(at(day(15)?, minutes + 30)),
                decided_by: Some(self.leader(department)?),
                ..Self::draft(cycle, TargetLevel::Department, Some(department), None)
            };
            let set = self.set(approved);
            let specs = department_targets(department)?;
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
            let specs = post_targets(department, self.office.posts[post].title)?;
            self.targets(set, specs, specs.len(), parents, holder)?;
        }
        Ok(())
    }

    /// 2027: work points in draft, some departments and staff under way.
    fn next_cycle(&mut self, cycle: usize) -> anyhow::Result<()> {
        let office = self.set(Self::draft(cycle, TargetLevel::Office, None, None));
        let points = self.targets(office, WORK_POINTS, WORK_POINTS.len(), &[], Holder::default())?;
        let mut department_parents = vec![Vec::new(); DEPARTMENTS.len()];
        for (i, (name, status)) in DEPARTMENT_SETS_2027.iter().enumerate() {
            let department = department_index(name)?;
            let mut set = Self::draft(cycle, TargetLevel::Department, Some(department), None);
            set.status = *status;
            if *status == PlanStatus::Submitted {
                set.submitted_at = Some(at(date(2026, 11, 24 + i as u32 % 3), 30 * i as i64));
            }
            let set = self.set(set);
            let specs = department_targets(department)?;
            let count = if *status == PlanStatus::Draft { specs.len() - 1 } else { specs.len() };
            let holder = self.department_holder(department)?;
            department_parents[department] = self.targets(set, specs, count, &points, holder)?;
        }
        for (i, (department, title, status)) in PERSON_SETS_2027.iter().enumerate() {
            let post = self.post(department, title)?;
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
            set.return_reason = RETURN_REASON;
        }
        let set = self.set(set);
        let specs = post_targets(department, self.office.posts[post].title)?;
        let count = if status == PlanStatus::Draft { specs.len() - 1 } else { specs.len() };
        let added = self.targets(set, specs, count, parents, self.holder(post))?;
        if status == PlanStatus::Returned {
            let lowered = added.iter().find(|t| self.out.targets[**t].spec.title == RETURNED_TARGET);
            let target =
                &mut self.out.targets[*lowered.ok_or_else(|| anyhow::anyhow!("demo data: no {RETURNED_TARGET}"))?];
            target.value = target.spec.last.unwrap_or(target.value);
        }
        Ok(())
    }

    /// `staff` asks to lower one approved 2026 target after a reorganisation.
    fn change_request(&mut self) -> anyhow::Result<()> {
        let staff = self.office.people.iter().position(|p| p.username == "staff");
        let staff = staff.ok_or_else(|| anyhow::anyhow!("demo data: no staff account"))?;
        let sets = &self.out.sets;
        let target = self
            .out
            .targets
            .iter()
            .position(|t| {
                sets[t.set].cycle == CURRENT && sets[t.set].person == Some(staff) && t.spec.title == CHANGED_TARGET
            })
            .ok_or_else(|| anyhow::anyhow!("demo data: no {CHANGED_TARGET} for staff"))?;
        let requested_at = at(date(2026, 11, 16), 80);
        self.out.changes.push(ChangePlan { target, requested_by: staff, requested_at, value: CHANGE_PROPOSED_VALUE });
        Ok(())
    }

    fn templates(&mut self) -> anyhow::Result<()> {
        for (department, title) in TEMPLATE_POSTS {
            let post = self.post(department, title)?;
            let specs = post_targets(self.office.posts[post].department, title)?;
            let weights = weights(TEMPLATES_PER_POST)?;
            for (i, spec) in specs.iter().take(TEMPLATES_PER_POST).enumerate() {
                let weight = Decimal::from(weights[i]);
                self.out.templates.push(TemplatePlan { post, spec, weight, sort_order: (i as i32 + 1) * 10 });
            }
        }
        Ok(())
    }

    fn commitments(&mut self) -> anyhow::Result<()> {
        for commitment in COMMITMENTS {
            let department = department_index(commitment.department)?;
            let post = commitment.post.map(|title| self.post(commitment.department, title)).transpose()?;
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
            title: spec.title.to_string(),
            category: Some(spec.category),
            measure: spec.measure.to_string(),
            unit: spec.unit.to_string(),
            target_value: Some(scaled(self.value)),
            direction: Some(spec.direction),
            baseline: self.baseline.map(scaled),
            weight: scaled(self.weight),
            deadline: Some(self.deadline),
            quality_requirement: spec.quality.to_string(),
            assessment_method: spec.method.to_string(),
            evidence_required: spec.evidence.to_string(),
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
            name: self.name.to_string(),
            kind: CycleKind::Annual,
            period_start: self.period.0,
            period_end: self.period.1,
            planning_until: self.until[0],
            implementation_until: self.until[1],
            assessment_until: self.until[2],
            feedback_until: self.until[3],
            report_frequency: ReportFrequency::Monthly,
            all_participants: true,
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
    let calendar_days = crate::db::calendar::seed_official_2026(conn).await?;
    let mut cycle_ids = Vec::with_capacity(CYCLES.len());
    for cycle in CYCLES {
        cycle_ids.push(sql::insert_cycle(conn, &cycle.data(), cycle.stage, at(cycle.opened, 30)).await?);
    }
    let (targets, revisions) = write_sets(conn, stage, &cycle_ids, ids).await?;
    for change in &stage.changes {
        let mut proposed = targets[change.target].data.clone();
        proposed.target_value = Some(scaled(change.value));
        let proposed = serde_json::to_value(&proposed)?;
        let by = ids.people[change.requested_by];
        sql::insert_change(conn, targets[change.target].id, by, CHANGE_REASON, &proposed, change.requested_at).await?;
    }
    let commitment_ids = write_configuration(conn, stage, ids).await?;
    let counts = json!({
        "calendar_days": calendar_days,
        "cycles": CYCLES.len(),
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
            created_at: at(CYCLES[stage.sets[t.set].cycle].drafted, 20),
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
                title: t.spec.title.to_string(),
                category: t.spec.category,
                measure: t.spec.measure.to_string(),
                unit: t.spec.unit.to_string(),
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

    use super::*;
    use crate::domain::plan::{PlanIssue, TargetFacts, check_set, check_target};

    const NEXT: usize = 2;

    fn plans() -> (Plan, StagePlan) {
        let office = super::super::plan().expect("the office tables are consistent");
        let stage = plan(&office).expect("the plan tables are consistent");
        (office, stage)
    }

    fn person(office: &Plan, username: &str) -> usize {
        office.people.iter().position(|p| p.username == username).expect(username)
    }

    fn facts(t: &TargetPlan) -> TargetFacts {
        TargetFacts {
            title: t.spec.title.to_string(),
            measure: t.spec.measure.to_string(),
            target_value: Some(t.value),
            baseline: t.baseline,
            direction: Some(t.spec.direction),
            weight: t.weight,
            deadline: Some(t.deadline),
            assessment_method: t.spec.method.to_string(),
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
            assert_eq!(owners, participants(&office), "{}", CYCLES[cycle].name);
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
            let issues = check_target(&facts(target), CYCLES[CURRENT].period);
            assert!(issues.is_empty(), "{}: {issues:?}", target.spec.title);
            let spec = target.spec;
            assert!(![spec.unit, spec.evidence, spec.quality].contains(&""), "{}", spec.title);
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
        for (name, specs) in DEPARTMENT_TARGETS {
            assert!((3..=4).contains(&specs.len()), "{name}");
            assert!(specs.iter().all(|s| s.under < WORK_POINTS.len()), "{name}");
        }
        for (index, department) in DEPARTMENTS.iter().enumerate() {
            let parents = department_targets(index).unwrap().len();
            for member in department.members {
                let specs = post_targets(index, member.post).unwrap();
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
        let office_department = Some(department_index(OFFICE).unwrap());
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
        assert_eq!(set.department, Some(department_index(OFFICE).unwrap()));
        assert!(set.person != Some(head) && !set.return_reason.is_empty() && set.decided_by == Some(head));
        let below = targets_of(&stage, *index)
            .into_iter()
            .filter(|t| check_target(&facts(t), CYCLES[NEXT].period).contains(&PlanIssue::BelowLastYear))
            .count();
        assert_eq!(below, 1, "the reason names the one target below last year");
    }

    #[test]
    fn in_2027_the_head_and_the_leaders_have_sets_waiting() {
        let (office, stage) = plans();
        let head = person(&office, "head");
        let office_department = Some(department_index(OFFICE).unwrap());
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
                let issues = check_target(&facts(target), CYCLES[NEXT].period);
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
        assert_eq!(per_post.len(), TEMPLATE_POSTS.len());
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
        for cycle in CYCLES {
            assert!(cycle.period.0 <= cycle.period.1 && cycle.until.is_sorted(), "{}", cycle.name);
            assert!(cycle.opened < cycle.drafted);
        }
        let (_, stage) = plans();
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

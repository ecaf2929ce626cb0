//! The official A4 forms (docs/DOMAIN.md §20.5): registration forms (one
//! person's, a department's one per page), the target-responsibility letter,
//! the supervision notice and the three-colour slips; what each prints and
//! who may open it.

use axum::http::StatusCode;
use chrono::NaiveDate;
use cppcc_perf::domain::roles::Role;

use crate::support::{Page, TestApp};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// How many form sheets a page holds.
fn sheets(page: &Page) -> usize {
    page.body.matches("class=\"a4-sheet form-sheet\"").count()
}

/// An office of two departments: 研究室 with its head and two staff, who
/// all take part in the 2025 annual cycle decided on 2026-01-20, and
/// 办公室 with its head; a committee member, a supervising leader of 研究室.
struct Office {
    research: i64,
    general: i64,
    head: i64,
    wang: i64,
    zhao: i64,
    annual: i64,
}

async fn office(app: &TestApp) -> Office {
    let research = app.department("研究室").await;
    let general = app.department("办公室").await;
    let head =
        app.member("li.head", "李主任", research, &[(Role::Staff, None), (Role::DepartmentHead, Some(research))]).await;
    let wang = app.member("wang.a", "王甲", research, &[(Role::Staff, None)]).await;
    let zhao = app.member("zhao.b", "赵乙", research, &[(Role::Staff, None)]).await;
    app.member("qian.head", "钱主任", general, &[(Role::DepartmentHead, Some(general))]).await;
    app.person("sun.leader", "孙秘书长", &[(Role::SupervisingLeader, Some(research))]).await;
    let committee = app.person("zhou.committee", "周委员", &[(Role::AssessmentCommittee, None)]).await;
    let annual = app.decided_2025(committee).await;
    for (person, score, grade) in [(wang, "93.5", "excellent"), (zhao, "82", "competent"), (head, "88", "competent")] {
        app.annual_result(annual, person, research, score, grade).await;
    }
    sqlx::query("update person set rank = '一级主任科员', rank_since = '2023-05-01' where id = $1")
        .bind(wang)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "insert into post (department_id, title, duties, a_holder_id) values ($1, '调研岗', '{课题调研,文稿起草}', $2)",
    )
    .bind(research)
    .bind(wang)
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into self_summary (cycle_id, person_id, department_id, kind, status, body, submitted_at,
                                   first_submitted_at, decided_by, decided_at)
         values ($1, $2, $3, 'personal', 'accepted', '全年完成调研课题三项，形成报告两篇。', '2026-01-05 09:00+08',
                 '2026-01-05 09:00+08', $4, '2026-01-10 15:00+08')",
    )
    .bind(annual)
    .bind(wang)
    .bind(research)
    .bind(head)
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into result_notice (cycle_id, person_id, result_version, issued_on, due_on, acknowledged_at, opinion)
         values ($1, $2, 1, '2026-01-28', '2026-02-04', '2026-01-29 10:00+08', '对考核结果无异议，继续努力。')",
    )
    .bind(annual)
    .bind(wang)
    .execute(&app.pool)
    .await
    .unwrap();
    Office { research, general, head, wang, zhao, annual }
}

#[tokio::test]
async fn the_annual_form_prints_what_the_office_holds_and_leaves_the_rest_ruled() {
    let app = TestApp::on(d(2026, 2, 10)).await;
    let o = office(&app).await;
    let path = format!("/assess/cycles/{}/people/{}/form", o.annual, o.wang);
    let mut wang = app.login_as("wang.a").await;
    let page = wang.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(sheets(&page), 1);
    for text in [
        "公务员年度考核登记表",
        "2025年度考核",
        "王甲",
        "研究室",
        "一级主任科员",
        "2023-05-01",
        "调研岗：课题调研、文稿起草",
        "个人总结",
        "全年完成调研课题三项，形成报告两篇。",
        "2026-01-05",
        "个人总结已审阅：李主任、2026-01-10",
        "主管领导评语和考核等次建议",
        "□ 优秀",
        "机关负责人或考核委员会意见",
        "优秀",
        "93.5",
        "2026-01-20",
        "对考核结果无异议，继续努力。",
        "已在线签收书面通知：2026-01-29",
        "未确定等次或不参加考核原因说明",
        "复核、申诉情况",
    ] {
        page.assert_contains(text);
    }
    // What the office does not hold is a labelled blank, never invented.
    for label in ["性别", "出生年月", "政治面貌"] {
        page.assert_contains(label);
    }
    assert_eq!(page.body.matches("class=\"form-blank\"").count(), 3);
    page.assert_contains("data-print");
    // The person's English form.
    wang.post("/locale", &[("lang", "en"), ("next", "/")]).await;
    let page = wang.get(&path).await;
    page.assert_contains("Civil Servant Annual Assessment Registration Form");
    page.assert_contains("s or assessment committee");
}

#[tokio::test]
async fn a_form_is_read_by_those_who_read_the_persons_summary() {
    let app = TestApp::on(d(2026, 2, 10)).await;
    let o = office(&app).await;
    let path = format!("/assess/cycles/{}/people/{}/form", o.annual, o.wang);
    for (username, status) in [
        ("wang.a", StatusCode::OK),
        ("li.head", StatusCode::OK),
        ("sun.leader", StatusCode::OK),
        ("zhou.committee", StatusCode::OK),
        ("zhao.b", StatusCode::FORBIDDEN),
        ("qian.head", StatusCode::FORBIDDEN),
    ] {
        assert_eq!(app.login_as(username).await.get(&path).await.status, status, "{username}");
    }
    assert_eq!(app.signed_in(Role::PerformanceOffice).await.get(&path).await.status, StatusCode::OK);
    assert_eq!(app.signed_in(Role::Auditor).await.get(&path).await.status, StatusCode::FORBIDDEN);
    // Someone who does not take part has no form.
    let mut perf = app.login_as("performance-office").await;
    let outsider = format!("/assess/cycles/{}/people/{}/form", o.annual, 999_999);
    assert_eq!(perf.get(&outsider).await.status, StatusCode::NOT_FOUND);
    // The score page links the form for those who may print it, not for the auditor.
    let score = format!("/assess/cycles/{}/people/{}", o.annual, o.wang);
    let page = perf.get(&score).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains(&format!("href=\"{path}\""));
    let page = app.login_as("auditor").await.get(&score).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(&format!("href=\"{path}\"")));
}

#[tokio::test]
async fn a_department_prints_every_participant_one_sheet_each() {
    let app = TestApp::on(d(2026, 2, 10)).await;
    let o = office(&app).await;
    let path = format!("/assess/cycles/{}/departments/{}/forms", o.annual, o.research);
    let mut head = app.login_as("li.head").await;
    let page = head.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(sheets(&page), 3);
    for name in ["李主任", "王甲", "赵乙"] {
        page.assert_contains(&format!("<td class=\"form-person\">{name}</td>"));
    }
    // The head taking part for the department they head wrote a duty report.
    page.assert_contains("述职报告");
    page.assert_contains("共 3 份，每人一页 A4。");
    for username in ["sun.leader", "zhou.committee"] {
        assert_eq!(app.login_as(username).await.get(&path).await.status, StatusCode::OK, "{username}");
    }
    for username in ["wang.a", "qian.head"] {
        assert_eq!(app.login_as(username).await.get(&path).await.status, StatusCode::FORBIDDEN, "{username}");
    }
    // Another department's batch holds none of them.
    let other = format!("/assess/cycles/{}/departments/{}/forms", o.annual, o.general);
    let page = app.login_as("zhou.committee").await.get(&other).await;
    assert_eq!(sheets(&page), 0);
    page.assert_contains("id=\"forms-none\"");
    // The decided cycle's page links the head's department only.
    let decided = head.get(&format!("/assess/cycles/{}/scores", o.annual)).await;
    decided.assert_contains(&format!("href=\"{path}\""));
    assert!(!decided.body.contains(&format!("/departments/{}/forms", o.general)));
    let _ = (o.head, o.zhao);
}

#[tokio::test]
async fn the_routine_form_of_a_quarter_prints_a_summary_handed_in_and_blank_grade_boxes() {
    let app = TestApp::on(d(2026, 11, 27)).await;
    let o = office(&app).await;
    let quarter = app.cycle_in_assessment("2026年第三季度平时考核", "quarterly", "2026-07-01", "2026-09-30").await;
    for (person, status, body) in [(o.wang, "submitted", "三季度完成调研两项。"), (o.zhao, "draft", "草稿尚未提交")]
    {
        sqlx::query(
            "insert into self_summary (cycle_id, person_id, department_id, kind, status, body, submitted_at, first_submitted_at)
             values ($1, $2, $3, 'personal', $4::summary_status, $5,
                     case when $4 = 'draft' then null else now() end, case when $4 = 'draft' then null else now() end)",
        )
        .bind(quarter)
        .bind(person)
        .bind(o.research)
        .bind(status)
        .bind(body)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let mut head = app.login_as("li.head").await;
    let page = head.get(&format!("/assess/cycles/{quarter}/departments/{}/forms", o.research)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(sheets(&page), 3);
    page.assert_contains("平时考核登记表");
    page.assert_contains("三季度完成调研两项。");
    assert!(!page.body.contains("草稿尚未提交"), "a draft is not the person's summary yet");
    for grade in ["□ 好", "□ 较好", "□ 一般", "□ 较差"] {
        page.assert_contains(grade);
    }
    assert!(!page.body.contains("未确定等次或不参加考核原因说明"));
    // Before the assessment stage there is nothing to print.
    sqlx::query("update cycle set stage = 'implementation' where id = $1")
        .bind(quarter)
        .execute(&app.pool)
        .await
        .unwrap();
    let page = head.get(&format!("/assess/cycles/{quarter}/people/{}/form", o.wang)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

/// An annual 2026 cycle with the approved set of 研究室 and the approved set
/// of 王甲, two targets each: (department set, person set, the office's work points).
async fn sets(app: &TestApp, o: &Office) -> (i64, i64, i64) {
    let cycle: i64 = sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until,
                            assessment_until, feedback_until, stage, report_frequency)
         values ('2026年度考核', 'annual', '2026-01-01', '2026-12-31', '2026-01-31', '2026-12-31', '2027-01-31',
                 '2027-02-28', 'implementation', 'quarterly') returning id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let leader: i64 =
        sqlx::query_scalar("select id from person where username = 'sun.leader'").fetch_one(&app.pool).await.unwrap();
    let mut ids = Vec::new();
    for (level, person, decider) in [("department", None, leader), ("person", Some(o.wang), o.head)] {
        let set: i64 = sqlx::query_scalar(
            "insert into target_set (cycle_id, level, department_id, person_id, status, submitted_at, decided_at, decided_by)
             values ($1, $2::target_level, $3, $4, 'approved', '2026-01-15 10:00+08', '2026-01-20 10:00+08', $5)
             returning id",
        )
        .bind(cycle)
        .bind(level)
        .bind(o.research)
        .bind(person)
        .bind(decider)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        for (title, weight, kind) in [("完成重点课题调研", "60", "quantitative"), ("提高文稿质量", "40", "qualitative")]
        {
            sqlx::query(
                "insert into target (set_id, title, category, kind, measure, unit, target_value, weight, deadline,
                                     quality_requirement, assessment_method, owner_id)
                 values ($1, $2, 'key_work', $3::target_kind, '调研报告篇数', '篇',
                         case when $3 = 'quantitative' then 4 end, $4::numeric, '2026-12-15', '报告被采用', '查阅报告', $5)",
            )
            .bind(set)
            .bind(title)
            .bind(kind)
            .bind(weight)
            .bind(o.wang)
            .execute(&app.pool)
            .await
            .unwrap();
        }
        ids.push(set);
    }
    let office: i64 = sqlx::query_scalar(
        "insert into target_set (cycle_id, level, status) values ($1, 'office', 'draft') returning id",
    )
    .bind(cycle)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    (ids[0], ids[1], office)
}

#[tokio::test]
async fn a_target_set_prints_its_responsibility_letter_for_those_who_read_the_set() {
    let app = TestApp::on(d(2026, 11, 27)).await;
    let o = office(&app).await;
    let (department_set, person_set, office_set) = sets(&app, &o).await;
    let mut wang = app.login_as("wang.a").await;
    let page = wang.get(&format!("/plan/sets/{person_set}/letter")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for text in [
        "目标责任书",
        "2026年度考核",
        "甲方",
        "研究室 处室负责人：李主任",
        "乙方",
        "王甲 · 研究室 · 一级主任科员",
        "2026-01-01 – 2026-12-31",
        "完成重点课题调研",
        "调研报告篇数",
        "4 篇",
        "定性",
        "60",
        "2026-12-15",
        "报告被采用",
        "查阅报告",
        "id=\"letter-weight-total\">100<",
        "乙方每季度报告目标进展情况",
        "至 2026-12-31 止",
        "签字：",
    ] {
        page.assert_contains(text);
    }
    assert!(!page.body.contains("id=\"letter-not-approved\""));
    // The department's letter is signed by its supervising leader and its head.
    let mut head = app.login_as("li.head").await;
    let page = head.get(&format!("/plan/sets/{department_set}/letter")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("研究室 分管领导：孙秘书长");
    page.assert_contains("研究室 处室负责人：李主任");
    page.assert_contains("责任人（A/B 角）");
    // The set page links its letter.
    head.get(&format!("/plan/sets/{person_set}")).await.assert_contains(&format!("/plan/sets/{person_set}/letter"));
    // A colleague does not read the set, nor its letter; the office's work points have none.
    let mut zhao = app.login_as("zhao.b").await;
    assert_eq!(zhao.get(&format!("/plan/sets/{person_set}/letter")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(zhao.get(&format!("/plan/sets/{office_set}/letter")).await.status, StatusCode::NOT_FOUND);
    // A set not yet approved says so on its letter.
    sqlx::query("update target_set set status = 'submitted' where id = $1")
        .bind(person_set)
        .execute(&app.pool)
        .await
        .unwrap();
    wang.get(&format!("/plan/sets/{person_set}/letter")).await.assert_contains("id=\"letter-not-approved\"");
}

#[tokio::test]
async fn a_supervision_item_prints_its_notice_and_each_slip_with_the_colour_in_words() {
    let app = TestApp::on(d(2026, 11, 27)).await;
    let o = office(&app).await;
    let item: i64 = sqlx::query_scalar(
        "insert into supervision_item (title, content, source, department_id, assignee_id, opened_by, due_date,
                                       status, registered_on)
         values ('全会提案办理督办', '按期答复委员提案。', 'meeting_decision', $1, $2, $3, '2026-11-20',
                 'in_progress', '2026-10-09') returning id",
    )
    .bind(o.research)
    .bind(o.wang)
    .bind(o.head)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let slip: i64 = sqlx::query_scalar(
        "insert into supervision_slip (item_id, colour, issued_on, answer_due, issue_week, charged_to)
         values ($1, 'red', '2026-11-23', '2026-12-07', '2026-W48', $2) returning id",
    )
    .bind(item)
    .bind(o.wang)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let mut wang = app.login_as("wang.a").await;
    let page = wang.get(&format!("/supervision/{item}/slip")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for text in [
        "督办通知单",
        "全会提案办理督办",
        "按期答复委员提案。",
        "会议决定",
        "研究室",
        "王甲",
        "2026-11-20",
        "2026-10-09",
        "data-colour=\"red\"",
        "当前督办等级：红色督办单",
        "已超过办结时限",
        "每月报告进展",
        "签收人：",
        "督查室（盖章）",
        &format!("2026-{item}"),
    ] {
        page.assert_contains(text);
    }
    let page = wang.get(&format!("/supervision/slips/{slip}/print")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("本单等级：红色督办单");
    page.assert_contains("请于 2026-12-07 前书面答复办理情况。");
    page.assert_contains("id=\"slip-dated\">2026-11-23<");
    // The item page links both.
    let detail = wang.get(&format!("/supervision/{item}")).await;
    detail.assert_contains(&format!("/supervision/{item}/slip"));
    detail.assert_contains(&format!("/supervision/slips/{slip}/print"));
    // Someone who does not read the item reads neither.
    let mut qian = app.login_as("qian.head").await;
    assert_eq!(qian.get(&format!("/supervision/{item}/slip")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(qian.get(&format!("/supervision/slips/{slip}/print")).await.status, StatusCode::FORBIDDEN);
}

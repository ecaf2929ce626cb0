//! Stage 2, monitor: progress reports with evidence files, their
//! verification by the head, corrections, lateness and A/B cover.

use axum::http::{Method, StatusCode};
use calamine::Data;
use chrono::{Datelike, Months, NaiveDate};
use cppcc_perf::domain::roles::Role;

use crate::support::{Client, PASSWORD, Page, TestApp, multipart, sheet_rows, table_rows};

/// Small but valid files of the accepted kinds, and two that must be refused.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R', 0, 0, 0, 1, 0, 0, 0, 1, 8,
    2, 0, 0, 0,
];
const TEXT: &[u8] = b"just some text, renamed to look like a PDF";
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode";

/// An office with 办公室 (head 王处长, staff 张伟 on a post whose B is 李娜, a
/// supervising leader) and 研究室 (head 钱处长); a monthly cycle under
/// implementation that started this month, and 张伟's approved plan with one target.
struct Office {
    app: TestApp,
    staff: i64,
    backup: i64,
    target: i64,
    /// The first day of the running period (this month).
    period: NaiveDate,
}

/// The office's day in these tests: early December, when the year's last
/// period is still due while earlier ones are late, and the running cycle
/// reaches into a year whose work calendar is not yet entered.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
}

async fn office() -> Office {
    let app = TestApp::on(today()).await;
    let department = app.department("办公室").await;
    let other = app.department("研究室").await;
    let staff = app.person("zhang.wei", "张伟", &[(Role::Staff, None)]).await;
    let backup = app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let head =
        app.person("wang.head", "王处长", &[(Role::Staff, None), (Role::DepartmentHead, Some(department))]).await;
    app.person("zhao.leader", "赵秘书长", &[(Role::SupervisingLeader, Some(department))]).await;
    app.person("qian.head", "钱处长", &[(Role::Staff, None), (Role::DepartmentHead, Some(other))]).await;
    for person in [staff, backup, head] {
        sqlx::query("update person set department_id = $1 where id = $2")
            .bind(department)
            .bind(person)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let post: i64 = sqlx::query_scalar(
        "insert into post (department_id, title, a_holder_id, b_holder_id) values ($1, '综合文秘岗', $2, $3) returning id",
    )
    .bind(department)
    .bind(staff)
    .bind(backup)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let period = today().with_day(1).unwrap();
    let cycle = cycle(&app, "本年度考核", period, period + Months::new(12) - chrono::Duration::days(1)).await;
    let target = approved_target(&app, cycle, department, staff, Some(post), Some(backup), "公文处理及时率").await;
    Office { app, staff, backup, target, period }
}

/// A cycle under implementation with monthly reports.
async fn cycle(app: &TestApp, name: &str, start: NaiveDate, end: NaiveDate) -> i64 {
    sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until, assessment_until,
                            feedback_until, stage, report_frequency)
         values ($1, 'annual', $2, $3, $2, $3, $3, $3, 'implementation', 'monthly') returning id",
    )
    .bind(name)
    .bind(start)
    .bind(end)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

/// An approved person set of `owner` with one target (value 100, more is better).
async fn approved_target(
    app: &TestApp,
    cycle: i64,
    department: i64,
    owner: i64,
    post: Option<i64>,
    backup: Option<i64>,
    title: &str,
) -> i64 {
    let set: i64 = sqlx::query_scalar(
        "insert into target_set (cycle_id, level, department_id, person_id, status) values ($1, 'person', $2, $3, 'approved') returning id",
    )
    .bind(cycle)
    .bind(department)
    .bind(owner)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query_scalar(
        "insert into target (set_id, post_id, title, category, measure, unit, target_value, direction, weight, owner_id, backup_id)
         values ($1, $2, $3, 'routine', '按时办结率', '%', 100, 'higher_better', 100, $4, $5) returning id",
    )
    .bind(set)
    .bind(post)
    .bind(title)
    .bind(owner)
    .bind(backup)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

impl Office {
    async fn client(&self, username: &str) -> Client {
        let mut client = self.app.client();
        client.login(username, PASSWORD).await;
        client
    }

    async fn report_status(&self, id: i64) -> String {
        sqlx::query_scalar("select status::text from progress_report where id = $1")
            .bind(id)
            .fetch_one(&self.app.pool)
            .await
            .unwrap()
    }
}

/// Posts a multipart form the way the browser does: `_csrf` first, then the
/// text fields, then the files.
async fn post_multipart(client: &mut Client, path: &str, fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> Page {
    if client.csrf.is_none() {
        client.get("/").await;
    }
    let token = client.csrf.clone().unwrap();
    let mut parts: Vec<(&str, Option<&str>, &[u8])> = vec![("_csrf", None, token.as_bytes())];
    parts.extend(fields.iter().map(|(name, value)| (*name, None, value.as_bytes())));
    parts.extend(files.iter().map(|(name, bytes)| ("files", Some(*name), *bytes)));
    let (content_type, body) = multipart(&parts);
    client.request(Method::POST, path, Some(&content_type), body, &[]).await
}

/// Sends a report on `target` for the period starting `period`.
async fn send_report(
    client: &mut Client,
    target: i64,
    period: NaiveDate,
    value: &str,
    files: &[(&str, &[u8])],
) -> Page {
    let period = period.to_string();
    let fields = [
        ("period_start", period.as_str()),
        ("reported_value", value),
        ("state", "on_track"),
        ("narrative", "本月按时办结公文 120 件"),
        ("problems", "个别文件会签时间较长"),
        ("next_steps", "优化会签流程"),
    ];
    post_multipart(client, &format!("/monitor/targets/{target}/reports"), &fields, files).await
}

/// The id of the report a redirect points to.
fn report_id(page: &Page) -> i64 {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location().rsplit('/').next().unwrap().parse().unwrap()
}

async fn version(office: &Office, report: i64) -> String {
    let v: i32 = sqlx::query_scalar("select version from progress_report where id = $1")
        .bind(report)
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    v.to_string()
}

#[tokio::test]
async fn a_report_is_returned_resubmitted_verified_frozen_and_then_corrected() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let list = staff.get("/monitor/reports").await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains("公文处理及时率");
    list.assert_contains(&format!("id=\"report-{}\"", office.target));
    let form = staff.get(&format!("/monitor/targets/{}/report?period={}", office.target, office.period)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    form.assert_contains("enctype=\"multipart/form-data\"");
    // The upload hint names the limit.
    form.assert_contains("每个文件不超过 20 MB");

    let report =
        report_id(&send_report(&mut staff, office.target, office.period, "80", &[("会议纪要.pdf", PDF)]).await);
    assert_eq!(office.report_status(report).await, "submitted");
    assert_eq!(office.app.count("select count(*) from attachment where owner_type = 'progress_report'").await, 1);
    assert_eq!(office.app.count("select count(*) from audit_log where action = 'progress_report.submitted'").await, 1);
    assert_eq!(
        office
            .app
            .count("select count(*) from audit_log where action = 'attachment.uploaded' and summary ? 'sha256'")
            .await,
        1
    );
    let page = staff.get(&format!("/monitor/reports/{report}")).await;
    page.assert_contains("80%");
    page.assert_contains("会议纪要.pdf");

    let again = send_report(&mut staff, office.target, office.period, "85", &[]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    again.assert_contains("该报告期已有一份未核实的报告");
    assert_eq!(office.app.count("select count(*) from progress_report").await, 1);

    // Nobody verifies their own report.
    let own =
        staff.post(&format!("/monitor/reports/{report}/verify"), &[("version", "1"), ("audited_value", "80")]).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);

    let mut head = office.client("wang.head").await;
    head.get("/").await.assert_contains("1 份进度报告待核实");
    head.get("/monitor/verify").await.assert_contains("公文处理及时率");
    let no_reason = head.post(&format!("/monitor/reports/{report}/return"), &[("version", "1"), ("reason", " ")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    no_reason.assert_contains("此项必填");
    let returned = head
        .post(&format!("/monitor/reports/{report}/return"), &[("version", "1"), ("reason", "请补充会签记录")])
        .await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER, "{}", returned.body);
    assert_eq!(office.report_status(report).await, "returned");

    staff.get("/").await.assert_contains("1 份进度报告被退回");
    let page = staff.get(&format!("/monitor/reports/{report}")).await;
    page.assert_contains("请补充会签记录");
    // Labelled by what the head did.
    page.assert_contains("<dt>退回人</dt>");
    assert!(!page.body.contains("<dt>核实人</dt>"), "{}", page.body);
    page.assert_contains("id=\"resubmit-form\"");
    let fields = [("version", "2"), ("reported_value", "92"), ("state", "on_track"), ("narrative", "已补充会签记录")];
    let resent =
        post_multipart(&mut staff, &format!("/monitor/reports/{report}/resubmit"), &fields, &[("会签记录.png", PNG)])
            .await;
    assert_eq!(resent.status, StatusCode::SEE_OTHER, "{}", resent.body);
    assert_eq!(office.report_status(report).await, "submitted");
    assert_eq!(office.app.count("select count(*) from attachment where content_type = 'image/png'").await, 1);

    let verified = head
        .post(
            &format!("/monitor/reports/{report}/verify"),
            &[("version", "3"), ("audited_value", "90"), ("comment", "属实")],
        )
        .await;
    assert_eq!(verified.status, StatusCode::SEE_OTHER, "{}", verified.body);
    assert_eq!(office.report_status(report).await, "verified");
    assert_eq!(office.app.count("select count(*) from progress_report where audited_value = 90").await, 1);

    // Verified is frozen: every further step is refused with a message, nothing changes.
    let frozen_version = version(&office, report).await;
    for (path, fields) in [
        ("verify", vec![("version", frozen_version.as_str()), ("audited_value", "95")]),
        ("return", vec![("version", frozen_version.as_str()), ("reason", "再看看")]),
    ] {
        let page = head.post(&format!("/monitor/reports/{report}/{path}"), &fields).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        head.get(page.location()).await.assert_contains("此报告已核实，已冻结");
    }
    let fields =
        [("version", frozen_version.as_str()), ("reported_value", "99"), ("state", "done"), ("narrative", "改")];
    let page = post_multipart(&mut staff, &format!("/monitor/reports/{report}/resubmit"), &fields, &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    staff.get(page.location()).await.assert_contains("此报告已核实，已冻结");
    assert_eq!(office.report_status(report).await, "verified");
    assert_eq!(version(&office, report).await, frozen_version);
    assert_eq!(
        office.app.count("select count(*) from progress_report where audited_value = 90 and reported_value = 92").await,
        1
    );

    // A correction is a new report naming the verified one.
    let page = staff.get(&format!("/monitor/reports/{report}")).await;
    page.assert_contains("id=\"correct-report\"");
    page.assert_contains("90%");
    let form = staff.get(&format!("/monitor/targets/{}/report?period={}", office.target, office.period)).await;
    form.assert_contains("id=\"correction-notice\"");
    let correction = report_id(&send_report(&mut staff, office.target, office.period, "94", &[]).await);
    assert_ne!(correction, report);
    let corrects: Option<i64> = sqlx::query_scalar("select corrects_id from progress_report where id = $1")
        .bind(correction)
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    assert_eq!(corrects, Some(report));
    let page = staff.get(&format!("/monitor/reports/{correction}")).await;
    page.assert_contains(&format!("href=\"/monitor/reports/{report}\" id=\"corrected-report\">查看被更正的原报告<"));
    assert!(!page.body.contains(&format!("#{report}<")), "no bare ids on the page");
    assert_eq!(office.app.count("select count(*) from audit_log where action = 'progress_report.corrected'").await, 1);
    let history = head.get(&format!("/monitor/reports/{report}")).await;
    for step in ["提交报告", "退回", "修改后重新提交", "核实"] {
        history.assert_contains(step);
    }
}

#[tokio::test]
async fn invalid_input_is_shown_again_with_the_values_kept() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let period = office.period.to_string();
    let fields =
        [("period_start", period.as_str()), ("reported_value", "八十"), ("state", ""), ("narrative", "保留的说明")];
    let page =
        post_multipart(&mut staff, &format!("/monitor/targets/{}/reports", office.target), &fields, &[("a.pdf", PDF)])
            .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("取值无效");
    page.assert_contains("保留的说明");
    page.assert_contains("请重新选择文件");
    assert_eq!(office.app.count("select count(*) from progress_report").await, 0);
    assert_eq!(office.app.count("select count(*) from attachment").await, 0);
}

#[tokio::test]
async fn uploads_are_checked_by_size_and_content_and_names_are_made_safe() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    // The year's own limit: 1 MiB in 2026 (the default is 20).
    sqlx::query("insert into office_setting (year, settings) values (2026, '{\"max_upload_mib\": 1}')")
        .execute(&office.app.pool)
        .await
        .unwrap();
    let mut large = PDF.to_vec();
    large.resize(1024 * 1024 + 1, b' ');
    let page = send_report(&mut staff, office.target, office.period, "80", &[("大文件.pdf", &large)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("文件超过允许的大小");
    for (name, bytes) in [("说明.pdf", TEXT), ("setup.pdf", EXE)] {
        let page = send_report(&mut staff, office.target, office.period, "80", &[(name, bytes)]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        page.assert_contains("按文件内容判断");
    }
    // A good file beside a bad one: nothing is stored either.
    let page = send_report(&mut staff, office.target, office.period, "80", &[("ok.pdf", PDF), ("bad.pdf", EXE)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(office.app.count("select count(*) from progress_report").await, 0);
    assert_eq!(office.app.count("select count(*) from attachment").await, 0);

    let report = report_id(&send_report(&mut staff, office.target, office.period, "80", &[("../../x.pdf", PDF)]).await);
    let (file, name): (i64, String) = sqlx::query_as("select id, file_name from attachment where owner_id = $1")
        .bind(report)
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    assert_eq!(name, "x.pdf");
    let download = staff.get(&format!("/monitor/files/{file}")).await;
    assert_eq!(download.status, StatusCode::OK);
    assert!(
        download.header("content-disposition").starts_with("attachment; filename=\"x.pdf\""),
        "{:?}",
        download.headers
    );
    assert_eq!(download.header("x-content-type-options"), "nosniff");
    assert_eq!(download.header("content-type"), "application/pdf");
    assert_eq!(download.body.as_bytes(), PDF);
}

#[tokio::test]
async fn another_departments_head_cannot_read_or_verify_the_report() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let report = report_id(&send_report(&mut staff, office.target, office.period, "80", &[("a.pdf", PDF)]).await);
    let file: i64 = sqlx::query_scalar("select id from attachment").fetch_one(&office.app.pool).await.unwrap();
    let mut other = office.client("qian.head").await;
    assert_eq!(other.get(&format!("/monitor/reports/{report}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(other.get(&format!("/monitor/files/{file}")).await.status, StatusCode::FORBIDDEN);
    let page =
        other.post(&format!("/monitor/reports/{report}/verify"), &[("version", "1"), ("audited_value", "80")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    other.get("/monitor/verify").await.assert_contains("没有等待您核实的进度报告");
    // The head of the department and the overseeing leader read it.
    let mut head = office.client("wang.head").await;
    assert_eq!(head.get(&format!("/monitor/files/{file}")).await.status, StatusCode::OK);
    let mut leader = office.client("zhao.leader").await;
    assert_eq!(leader.get(&format!("/monitor/reports/{report}")).await.status, StatusCode::OK);
    // A colleague reads nothing and cannot report on it.
    let mut colleague = office.client("li.na").await;
    assert_eq!(colleague.get(&format!("/monitor/files/{file}")).await.status, StatusCode::FORBIDDEN);
    let form = colleague.get(&format!("/monitor/targets/{}/report", office.target)).await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_heads_own_report_is_verified_by_the_supervising_leader() {
    let office = office().await;
    let head_id: i64 = sqlx::query_scalar("select id from person where username = 'wang.head'")
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    let (cycle, department): (i64, i64) = sqlx::query_as("select cycle_id, department_id from target_set limit 1")
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    let target = approved_target(&office.app, cycle, department, head_id, None, None, "处室工作统筹").await;
    let mut head = office.client("wang.head").await;
    let report = report_id(&send_report(&mut head, target, office.period, "100", &[]).await);
    head.get("/monitor/verify").await.assert_contains("没有等待您核实的进度报告");
    let own =
        head.post(&format!("/monitor/reports/{report}/verify"), &[("version", "1"), ("audited_value", "100")]).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    let mut leader = office.client("zhao.leader").await;
    leader.get("/monitor/verify").await.assert_contains("处室工作统筹");
    let page =
        leader.post(&format!("/monitor/reports/{report}/verify"), &[("version", "1"), ("audited_value", "100")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(office.report_status(report).await, "verified");
}

#[tokio::test]
async fn a_late_report_shows_in_the_todos_after_its_deadline() {
    let office = office().await;
    let department: i64 = sqlx::query_scalar("select id from department where name = '办公室'")
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    // A cycle of three months that ended before this month: its first month is long past its deadline.
    let start = office.period - Months::new(3);
    let past = cycle(&office.app, "上季度考核", start, office.period - chrono::Duration::days(1)).await;
    approved_target(&office.app, past, department, office.staff, None, None, "信息报送").await;
    let mut staff = office.client("zhang.wei").await;
    staff.get("/").await.assert_contains("1 个目标的进度报告已逾期");
    let list = staff.get("/monitor/reports").await;
    list.assert_contains("信息报送");
    list.assert_contains("已逾期");
    let mut head = office.client("wang.head").await;
    head.get("/").await.assert_contains("本处室 1 个目标的进度报告已逾期");
    head.get("/monitor/verify").await.assert_contains("信息报送");
    // Reporting every late period clears the to-do.
    for months in 0..3 {
        let page =
            send_report(&mut staff, report_target(&office, "信息报送").await, start + Months::new(months), "60", &[])
                .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    let home = staff.get("/").await;
    assert!(!home.body.contains("进度报告已逾期"), "{}", home.body);
}

async fn report_target(office: &Office, title: &str) -> i64 {
    sqlx::query_scalar("select id from target where title = $1").bind(title).fetch_one(&office.app.pool).await.unwrap()
}

#[tokio::test]
async fn b_reports_for_an_absent_a_and_the_report_records_it() {
    let office = office().await;
    let mut backup = office.client("li.na").await;
    backup.get("/monitor/reports").await.assert_contains("id=\"no-reports\"");
    sqlx::query(
        "insert into absence (person_id, from_date, to_date, kind, leave_kind, recorded_by) values ($1, $2, $3, 'leave', 'annual', $1)",
    )
    .bind(office.staff)
    .bind(today() - chrono::Duration::days(1))
    .bind(today() + chrono::Duration::days(5))
    .execute(&office.app.pool)
    .await
    .unwrap();
    let list = backup.get("/monitor/reports").await;
    list.assert_contains("公文处理及时率");
    list.assert_contains("代 A 角填报：张伟");
    let report = report_id(&send_report(&mut backup, office.target, office.period, "70", &[("b.pdf", PDF)]).await);
    let (by, acting): (i64, Option<i64>) =
        sqlx::query_as("select submitted_by, acting_for from progress_report where id = $1")
            .bind(report)
            .fetch_one(&office.app.pool)
            .await
            .unwrap();
    assert_eq!((by, acting), (office.backup, Some(office.staff)));
    let page = backup.get(&format!("/monitor/reports/{report}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("id=\"acting-for\"");
    let file: i64 = sqlx::query_scalar("select id from attachment").fetch_one(&office.app.pool).await.unwrap();
    assert_eq!(backup.get(&format!("/monitor/files/{file}")).await.status, StatusCode::OK);
    // Once A is back, B no longer reports for A.
    sqlx::query("update absence set active = false").execute(&office.app.pool).await.unwrap();
    assert_eq!(backup.get(&format!("/monitor/targets/{}/report", office.target)).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bidi_controls_cannot_disguise_an_evidence_files_extension() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    // Shown right-to-left from U+202E, "会议纪要\u{202E}fdp.exe" reads as "会议纪要exe.pdf".
    let disguised = "会议纪要\u{202E}gnp\u{2066}\u{200F}.pdf";
    let report = report_id(&send_report(&mut staff, office.target, office.period, "80", &[(disguised, PDF)]).await);
    let name: String = sqlx::query_scalar("select file_name from attachment where owner_id = $1")
        .bind(report)
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    assert_eq!(name, "会议纪要gnp.pdf");
}

#[tokio::test]
async fn a_returned_report_is_told_at_once_and_settled_by_sending_it_again() {
    let office = office().await;
    let mut staff = office.client("zhang.wei").await;
    let report = report_id(&send_report(&mut staff, office.target, office.period, "80", &[]).await);
    let mut head = office.client("wang.head").await;
    head.post(&format!("/monitor/reports/{report}/return"), &[("version", "1"), ("reason", "请补充会签记录")]).await;
    assert_eq!(office.report_status(report).await, "returned");
    let stamped: bool = sqlx::query_scalar(
        "select n.created_at = r.decided_at from notification n join progress_report r on r.id = $1
         where n.person_id = $2 and n.message = 'notify-report-returned'",
    )
    .bind(report)
    .bind(office.staff)
    .fetch_one(&office.app.pool)
    .await
    .unwrap();
    assert!(stamped, "told with the return, stamped with its time");
    staff.get("/").await.assert_contains("id=\"unread-count\">1<");
    let fields = [("version", "2"), ("reported_value", "92"), ("state", "on_track"), ("narrative", "已补充会签记录")];
    let resent = post_multipart(&mut staff, &format!("/monitor/reports/{report}/resubmit"), &fields, &[]).await;
    assert_eq!(resent.status, StatusCode::SEE_OTHER, "{}", resent.body);
    assert_eq!(
        office.app.count("select count(*) from notification where read_at is null").await,
        0,
        "sending it again settles the notice"
    );
}

#[tokio::test]
async fn a_target_that_asks_for_evidence_refuses_a_report_without_a_file() {
    let office = office().await;
    sqlx::query("update target set evidence_required = '会议纪要或签到表' where id = $1")
        .bind(office.target)
        .execute(&office.app.pool)
        .await
        .unwrap();
    let mut staff = office.client("zhang.wei").await;
    let refused = send_report(&mut staff, office.target, office.period, "80", &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("id=\"files-error\"");
    refused.assert_contains("本目标要求提供佐证材料");
    refused.assert_contains("本月按时办结公文 120 件");
    assert_eq!(office.app.count("select count(*) from progress_report").await, 0);
    let report = report_id(&send_report(&mut staff, office.target, office.period, "80", &[("签到表.pdf", PDF)]).await);
    assert_eq!(office.report_status(report).await, "submitted");
}

#[tokio::test]
async fn a_qualitative_target_is_reported_and_verified_by_descriptor_and_counts_by_the_fixed_mapping() {
    let office = office().await;
    sqlx::query("update target set kind = 'qualitative', target_value = null, measure = '作风建设成效' where id = $1")
        .bind(office.target)
        .execute(&office.app.pool)
        .await
        .unwrap();
    let mut staff = office.client("zhang.wei").await;
    let form = staff.get(&format!("/monitor/targets/{}/report?period={}", office.target, office.period)).await;
    form.assert_contains("<select id=\"descriptor\" name=\"descriptor\"");
    assert!(!form.body.contains("name=\"reported_value\""), "no number is asked for");
    // A number instead of a descriptor is refused, the input kept.
    let period = office.period.to_string();
    let path = format!("/monitor/targets/{}/reports", office.target);
    let mut fields = vec![("period_start", period.as_str()), ("reported_value", "90"), ("state", "on_track")];
    fields.push(("narrative", "开展作风建设专项活动"));
    let refused = post_multipart(&mut staff, &path, &fields, &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("id=\"descriptor-error\"");
    refused.assert_contains("开展作风建设专项活动");
    fields.push(("descriptor", "completed"));
    let report = report_id(&post_multipart(&mut staff, &path, &fields, &[]).await);
    let reported: (Option<String>, Option<String>) =
        sqlx::query_as("select descriptor::text, reported_value::text from progress_report where id = $1")
            .bind(report)
            .fetch_one(&office.app.pool)
            .await
            .unwrap();
    assert_eq!(reported, (Some("completed".into()), None));
    let mut head = office.client("wang.head").await;
    let page = head.get(&format!("/monitor/reports/{report}")).await;
    page.assert_contains("<select id=\"audited_descriptor\" name=\"audited_descriptor\"");
    let verified = head
        .post(
            &format!("/monitor/reports/{report}/verify"),
            &[("version", "1"), ("audited_descriptor", "basically_completed"), ("comment", "部分活动未开展")],
        )
        .await;
    assert_eq!(verified.status, StatusCode::SEE_OTHER, "{}", verified.body);
    let audited: String = sqlx::query_scalar("select audited_value::text from progress_report where id = $1")
        .bind(report)
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    assert_eq!(audited, "80.00", "基本完成 counts 80 (docs/DOMAIN.md §6.7)");
    head.get(&format!("/monitor/reports/{report}")).await.assert_contains("基本完成");
    let board = head.get("/monitor/department").await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.body);
    board.assert_contains("class=\"num completion\">80%");
}

/// `person` is away from `from` to `to` (both included).
async fn away(office: &Office, person: i64, from: NaiveDate, to: NaiveDate) {
    sqlx::query(
        "insert into absence (person_id, from_date, to_date, kind, leave_kind, recorded_by) values ($1, $2, $3, 'leave', 'annual', $1)",
    )
    .bind(person)
    .bind(from)
    .bind(to)
    .execute(&office.app.pool)
    .await
    .unwrap();
}

fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

#[tokio::test]
async fn a_deadline_missed_while_b_covered_is_bs_lateness() {
    let office = office().await;
    let pool = &office.app.pool;
    let department: i64 =
        sqlx::query_scalar("select id from department where name = '办公室'").fetch_one(pool).await.unwrap();
    let post: i64 = sqlx::query_scalar("select id from post").fetch_one(pool).await.unwrap();
    // September to November: September was due on 7 October, October on 6 November; both late now.
    let past = cycle(&office.app, "秋季考核", day(9, 1), day(11, 30)).await;
    approved_target(&office.app, past, department, office.staff, Some(post), None, "信息报送").await;
    // 张伟 was away over September's deadline and is back now; 李娜 (the post's B) covered.
    away(&office, office.staff, day(10, 1), day(10, 9)).await;
    // Later the post's B changes: the lateness stays with the B of that day.
    let successor = office.app.person("sun.li", "孙丽", &[(Role::Staff, None)]).await;
    sqlx::query("update person set department_id = $2 where id = $1")
        .bind(successor)
        .bind(department)
        .execute(pool)
        .await
        .unwrap();
    let mut admin = office.app.signed_in(Role::PerformanceOffice).await;
    let fields = [
        ("department_id", department.to_string()),
        ("title", "综合文秘岗".to_string()),
        ("duties", String::new()),
        ("a_holder_id", office.staff.to_string()),
        ("b_holder_id", successor.to_string()),
        ("sort_order", "0".to_string()),
        ("active", "on".to_string()),
        ("version", "1".to_string()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = admin.post(&format!("/org/posts/{post}"), &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    let mut head = office.client("wang.head").await;
    let page = head.get("/monitor/verify").await;
    page.assert_contains("信息报送");
    assert_eq!(page.body.matches("逾期时由 B 角代岗：李娜").count(), 1, "September only: {}", page.body);
    assert!(!page.body.contains("逾期时由 B 角代岗：孙丽"));

    cppcc_perf::tasks::run_once(pool, today()).await.unwrap();
    let notices = |person: i64, message: &'static str| async move {
        sqlx::query_scalar::<_, i64>("select count(*) from notification where person_id = $1 and message = $2")
            .bind(person)
            .bind(message)
            .fetch_one(pool)
            .await
            .unwrap()
    };
    assert_eq!(notices(office.backup, "notify-report-late-acting").await, 1, "B is told of the lateness B owns");
    assert_eq!(notices(successor, "notify-report-late-acting").await, 0);
    assert_eq!(notices(office.staff, "notify-report-late").await, 2, "the owner still hears of both periods");
    let mut backup = office.client("li.na").await;
    backup.get("/notifications").await.assert_contains("您代 A 角（张伟）填报的目标“信息报送”进度报告已逾期");
}

#[tokio::test]
async fn a_target_that_names_its_own_b_is_covered_by_that_b_first() {
    let office = office().await;
    let pool = &office.app.pool;
    let named = office.app.person("zhou.min", "周敏", &[(Role::Staff, None)]).await;
    sqlx::query("update target set backup_id = $1 where id = $2")
        .bind(named)
        .bind(office.target)
        .execute(pool)
        .await
        .unwrap();
    away(&office, office.staff, today() - chrono::Duration::days(1), today() + chrono::Duration::days(5)).await;

    let mut own_b = office.client("zhou.min").await;
    let list = own_b.get("/monitor/reports").await;
    list.assert_contains("公文处理及时率");
    list.assert_contains("代 A 角填报：张伟");
    let mut post_b = office.client("li.na").await;
    post_b.get("/monitor/reports").await.assert_contains("id=\"no-reports\"");
    assert_eq!(post_b.get(&format!("/monitor/targets/{}/report", office.target)).await.status, StatusCode::FORBIDDEN);

    // While the target's own B is away too, the post's B covers it.
    away(&office, named, today(), today()).await;
    post_b.get("/monitor/reports").await.assert_contains("代 A 角填报：张伟");
    own_b.get("/monitor/reports").await.assert_contains("id=\"no-reports\"");
}

/// The row of a target on My reports (`<tr id="report-row-ID">` to its `</tr>`).
fn report_row(page: &Page, target: i64) -> String {
    let start = page.body.find(&format!("id=\"report-row-{target}\"")).unwrap_or_else(|| panic!("{}", page.body));
    let end = page.body[start..].find("</tr>").unwrap() + start;
    page.body[start..end].to_string()
}

#[tokio::test]
async fn a_report_just_sent_stays_in_its_row_with_its_status_until_verified() {
    let office = office().await;
    let department: i64 = sqlx::query_scalar("select id from department where name = '办公室'")
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    // A cycle that started last month: November is due, December runs.
    let start = office.period - Months::new(1);
    let running = cycle(&office.app, "跨年度考核", start, start + Months::new(12) - chrono::Duration::days(1)).await;
    let target = approved_target(&office.app, running, department, office.staff, None, None, "信息报送").await;
    let mut staff = office.client("zhang.wei").await;
    let sent = send_report(&mut staff, target, start, "60", &[]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let list = staff.get("/monitor/reports").await;
    // The intro names the configured number of work days.
    list.assert_contains("每期截止后 5 个工作日内须报送");
    let row = report_row(&list, target);
    assert!(row.contains(&start.to_string()), "the row jumped to another period: {row}");
    assert!(row.contains("待核实"), "{row}");
    assert!(!row.contains("未报送"), "{row}");
    // Dates and status words do not break inside the token.
    assert!(row.contains("class=\"nowrap\">2026-11-01"), "{row}");
    assert!(row.contains("data-label=\"最近报告\" class=\"nowrap\""), "{row}");
}

#[tokio::test]
async fn the_todo_for_several_returned_reports_opens_the_list_of_exactly_those() {
    let office = office().await;
    let department: i64 = sqlx::query_scalar("select id from department where name = '办公室'")
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    let start = office.period - Months::new(2);
    let running = cycle(&office.app, "跨年度考核", start, start + Months::new(12) - chrono::Duration::days(1)).await;
    let target = approved_target(&office.app, running, department, office.staff, None, None, "信息报送").await;
    let mut staff = office.client("zhang.wei").await;
    let mut head = office.client("wang.head").await;
    for month in [start, start + Months::new(1)] {
        let report = report_id(&send_report(&mut staff, target, month, "60", &[]).await);
        let returned =
            head.post(&format!("/monitor/reports/{report}/return"), &[("version", "1"), ("reason", "请补充")]).await;
        assert_eq!(returned.status, StatusCode::SEE_OTHER, "{}", returned.body);
    }
    let home = staff.get("/").await;
    home.assert_contains("2 份进度报告被退回");
    home.assert_contains("href=\"/monitor/reports?returned=1\"");
    let list = staff.get("/monitor/reports?returned=1").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body.matches("id=\"report-row-").count(), 2, "{}", list.body);
    list.assert_contains(&format!("id=\"report-row-{target}-{start}\""));
    list.assert_contains(&format!("id=\"report-row-{target}-{}\"", start + Months::new(1)));
    // The target with nothing returned stays off the list.
    assert!(!list.body.contains("公文处理及时率"), "{}", list.body);
    // The target page links its reports.
    let page = head.get(&format!("/plan/targets/{target}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("id=\"target-reports\"");
    page.assert_contains("href=\"/monitor/reports/");
}

#[tokio::test]
async fn my_reports_and_the_verify_queue_export_the_rows_they_show() {
    let office = office().await;
    let department: i64 = sqlx::query_scalar("select id from department where name = '办公室'")
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    let start = office.period - Months::new(2);
    let running = cycle(&office.app, "跨年度考核", start, start + Months::new(12) - chrono::Duration::days(1)).await;
    let target = approved_target(&office.app, running, department, office.staff, None, None, "信息报送").await;
    let mut staff = office.client("zhang.wei").await;
    let mut head = office.client("wang.head").await;
    let returned = report_id(&send_report(&mut staff, target, start, "60", &[]).await);
    let page =
        head.post(&format!("/monitor/reports/{returned}/return"), &[("version", "1"), ("reason", "请补充")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    report_id(&send_report(&mut staff, target, start + Months::new(1), "75.5", &[("报表.pdf", PDF)]).await);

    let page = staff.get("/monitor/reports").await;
    page.assert_contains("href=\"/monitor/reports.xlsx\"");
    let sheet = staff.get("/monitor/reports.xlsx").await.xlsx();
    assert!(matches!(sheet.get_value((0, 0)), Some(Data::String(title)) if title.starts_with("我的进度填报")));
    assert_eq!(sheet.get_value((2, 2)), Some(&Data::String("报告期起".into())));
    let rows = sheet_rows(&sheet);
    assert_eq!(rows.len(), table_rows(&page, "report-row-"));
    assert_eq!(rows.len(), 2);
    for col in 2..=4 {
        assert!(matches!(sheet.get_value((3, col)), Some(Data::DateTime(_))), "column {col} stays a date");
    }
    // `?returned=1`, the to-do's list, exports the returned report alone.
    let page = staff.get("/monitor/reports?returned=1").await;
    page.assert_contains("href=\"/monitor/reports.xlsx?returned=1\"");
    let sheet = staff.get("/monitor/reports.xlsx?returned=1").await.xlsx();
    let rows = sheet_rows(&sheet);
    assert_eq!(rows.len(), table_rows(&page, "report-row-"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "信息报送");
    let Some(Data::DateTime(first)) = sheet.get_value((3, 2)) else { panic!("the period is a date") };
    let excel_epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    assert_eq!(first.as_f64() as i64, (start - excel_epoch).num_days(), "the returned period's first day");
    assert_eq!(sheet.get_value((3, 6)), Some(&Data::String("已退回".into())));

    let page = head.get("/monitor/verify").await;
    page.assert_contains("href=\"/monitor/verify.xlsx\"");
    let sheet = head.get("/monitor/verify.xlsx").await.xlsx();
    assert_eq!(sheet.get_value((2, 5)), Some(&Data::String("填报值".into())));
    let rows = sheet_rows(&sheet);
    assert_eq!(rows.len(), table_rows(&page, "queue-report-"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "信息报送");
    assert_eq!(sheet.get_value((3, 5)), Some(&Data::Float(75.5)), "the value stays a number");
    assert_eq!(sheet.get_value((3, 7)), Some(&Data::Float(1.0)), "one evidence file");
    assert!(matches!(sheet.get_value((3, 8)), Some(Data::DateTime(_))), "the submission time stays a time");

    // Staff verify nothing; another department's head has nothing of this queue.
    assert_eq!(staff.get("/monitor/verify.xlsx").await.status, StatusCode::FORBIDDEN);
    let mut other = office.client("qian.head").await;
    assert!(sheet_rows(&other.get("/monitor/verify.xlsx").await.xlsx()).is_empty());
}

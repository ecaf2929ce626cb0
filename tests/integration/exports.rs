//! Targets in Excel (docs/DOMAIN.md §20.3): the target exports of the plan
//! pages, the office's whole target list as a background job, and the import
//! of a department's targets from the same sheet layout.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use calamine::Data;
use cppcc_perf::domain::roles::Role;

use crate::support::{Client, Page, TestApp, multipart};

/// An office: 办公室 (张伟, 李娜 and their head 王处长, overseen by 赵秘书长),
/// 研究室 (孙丽 and its head 钱处长), the performance office (绩效办), and a
/// cycle of 2026 in planning.
struct Office {
    app: TestApp,
    department: i64,
    research: i64,
    cycle: i64,
    zhang: i64,
    sun: i64,
}

async fn office() -> Office {
    let app = TestApp::new().await;
    let department = app.department("办公室").await;
    let research = app.department("研究室").await;
    let zhang = app.member("zhang.wei", "张伟", department, &[(Role::Staff, None)]).await;
    app.member("li.na", "李娜", department, &[(Role::Staff, None)]).await;
    app.member("wang.head", "王处长", department, &[(Role::Staff, None), (Role::DepartmentHead, Some(department))])
        .await;
    app.person("zhao.leader", "赵秘书长", &[(Role::SupervisingLeader, Some(department))]).await;
    app.member("qian.head", "钱处长", research, &[(Role::Staff, None), (Role::DepartmentHead, Some(research))]).await;
    let sun = app.member("sun.li", "孙丽", research, &[(Role::Staff, None)]).await;
    app.person("perf", "绩效办", &[(Role::PerformanceOffice, None)]).await;
    let cycle = cycle(&app, "2026年度考核", "2026").await;
    Office { app, department, research, cycle, zhang, sun }
}

/// An annual cycle of `year` in planning.
async fn cycle(app: &TestApp, name: &str, year: &str) -> i64 {
    sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until,
                            assessment_until, feedback_until, stage)
         values ($1, 'annual', ($2 || '-01-01')::date, ($2 || '-12-31')::date, ($2 || '-01-31')::date,
                 ($2 || '-12-31')::date, ($2 || '-12-31')::date, ($2 || '-12-31')::date, 'planning') returning id",
    )
    .bind(name)
    .bind(year)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

impl Office {
    async fn client(&self, username: &str) -> Client {
        self.app.login_as(username).await
    }

    /// A draft set of `level` with targets `(title, weight)` in this order; its id.
    async fn set(&self, level: &str, department: Option<i64>, person: Option<i64>, targets: &[(&str, i32)]) -> i64 {
        let set: i64 = sqlx::query_scalar(
            "insert into target_set (cycle_id, level, department_id, person_id)
             values ($1, $2::target_level, $3, $4) returning id",
        )
        .bind(self.cycle)
        .bind(level)
        .bind(department)
        .bind(person)
        .fetch_one(&self.app.pool)
        .await
        .unwrap();
        for (order, (title, weight)) in targets.iter().enumerate() {
            sqlx::query(
                "insert into target (set_id, title, category, measure, target_value, weight, deadline,
                                     assessment_method, owner_id, sort_order)
                 values ($1, $2, 'key_work', '完成率', 40, $3, '2026-11-30', '查阅台账', $4, $5)",
            )
            .bind(set)
            .bind(title)
            .bind(rust_decimal::Decimal::from(*weight))
            .bind(person)
            .bind(order as i32)
            .execute(&self.app.pool)
            .await
            .unwrap();
        }
        set
    }

    /// The plans of the office: 张伟's (3 targets), 办公室's (2), 孙丽's (1)
    /// and the office's work points (1); 张伟's set id.
    async fn plans(&self) -> i64 {
        let zhang = self
            .set(
                "person",
                Some(self.department),
                Some(self.zhang),
                &[("公文处理", 40), ("会务保障", 35), ("信息报送", 25)],
            )
            .await;
        self.set("department", Some(self.department), None, &[("全年会务零差错", 60), ("公文运转提速", 40)]).await;
        self.set("person", Some(self.research), Some(self.sun), &[("课题调研", 100)]).await;
        self.set("office", None, None, &[("年度工作要点一", 0)]).await;
        zhang
    }

    async fn targets(&self) -> i64 {
        self.app.count("select count(*) from target where active").await
    }
}

fn text(sheet: &calamine::Range<Data>, cell: (u32, u32)) -> String {
    match sheet.get_value(cell) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("no text at {cell:?}: {other:?}"),
    }
}

/// The address of a page's 导出 Excel link.
fn export_link(page: &Page) -> String {
    let start = page.body.find("export-xlsx\" href=\"").expect("an export link") + "export-xlsx\" href=\"".len();
    let end = start + page.body[start..].find('"').unwrap();
    page.body[start..end].replace("&#38;", "&").replace("&amp;", "&")
}

/// The data rows of an exported sheet (under the title, the export line and the header).
fn data_rows(sheet: &calamine::Range<Data>) -> usize {
    sheet.height() - 3
}

#[tokio::test]
async fn each_plan_page_exports_the_targets_behind_its_rows() {
    let office = office().await;
    let zhang_set = office.plans().await;
    let mut zhang = office.client("zhang.wei").await;
    assert_eq!(export_link(&zhang.get("/plan/my").await), "/plan/my.xlsx");
    let mine = zhang.get("/plan/my.xlsx").await.xlsx();
    assert!(text(&mine, (0, 0)).starts_with("我的目标 · 张伟"));
    let headers: Vec<String> = (0..21).map(|col| text(&mine, (2, col))).collect();
    assert_eq!(&headers[..6], ["考核周期", "处室", "层级", "责任人（A 角）", "用户名", "目标名称"]);
    assert_eq!(&headers[13..], ["权重", "完成时限", "考核方法", "B 角", "目标状态", "完成率", "最近报送", "督办单"]);
    assert_eq!(data_rows(&mine), 3, "张伟's three targets");
    assert_eq!(text(&mine, (3, 5)), "公文处理");
    assert_eq!((text(&mine, (3, 2)), text(&mine, (3, 4))), ("个人目标".into(), "zhang.wei".into()));
    assert_eq!(mine.get_value((3, 13)), Some(&Data::Float(40.0)), "the weight stays a number");
    assert!(matches!(mine.get_value((3, 14)), Some(Data::DateTime(_))), "the deadline stays a date");
    assert_eq!(text(&mine, (3, 17)), "草稿");

    let set_page = zhang.get(&format!("/plan/sets/{zhang_set}")).await;
    assert_eq!(export_link(&set_page), format!("/plan/sets/{zhang_set}.xlsx"));
    let set = zhang.get(&format!("/plan/sets/{zhang_set}.xlsx")).await.xlsx();
    assert_eq!(data_rows(&set), 3);
    assert!(text(&set, (0, 0)).contains("个人目标 · 张伟 · 2026年度考核"));
    let mut li = office.client("li.na").await;
    assert_eq!(li.get(&format!("/plan/sets/{zhang_set}.xlsx")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(li.get("/plan/sets/0.xlsx").await.status, StatusCode::NOT_FOUND);

    // The head's department: the department's plan first, then each person's.
    let mut head = office.client("wang.head").await;
    let href = export_link(&head.get("/plan/department").await);
    assert_eq!(href, format!("/plan/department.xlsx?cycle={}&department={}", office.cycle, office.department));
    let department = head.get(&href).await.xlsx();
    assert_eq!(data_rows(&department), 5, "the page's 2 + 3 + 0 targets");
    assert_eq!((text(&department, (3, 2)), text(&department, (5, 2))), ("处室目标".into(), "个人目标".into()));
    let other = format!("/plan/department.xlsx?department={}", office.research);
    assert_eq!(head.get(&other).await.status, StatusCode::FORBIDDEN);

    // The office's board: every plan of the cycle, or the chosen department's.
    let mut perf = office.client("perf").await;
    let href = export_link(&perf.get("/plan/board").await);
    assert_eq!(href, format!("/plan/board.xlsx?cycle={}", office.cycle));
    let board = perf.get(&href).await.xlsx();
    assert_eq!(data_rows(&board) as i64, office.targets().await, "every target of the cycle");
    assert_eq!(text(&board, (3, 2)), "机关年度工作要点", "the office's work points first");
    let filtered = format!("/plan/board?cycle={}&department={}", office.cycle, office.research);
    let href = export_link(&perf.get(&filtered).await);
    assert_eq!(href, filtered.replace("/plan/board", "/plan/board.xlsx"), "the filter goes with the export");
    let research = perf.get(&href).await.xlsx();
    assert_eq!(data_rows(&research), 1);
    assert_eq!(text(&research, (3, 5)), "课题调研");
    assert!(text(&research, (0, 0)).contains("研究室 · 2026年度考核"));

    // The leader's departments.
    let mut leader = office.client("zhao.leader").await;
    assert_eq!(data_rows(&leader.get("/plan/overseen.xlsx").await.xlsx()), 5);
    assert_eq!(zhang.get("/plan/board.xlsx").await.status, StatusCode::FORBIDDEN);
    assert_eq!(zhang.get("/plan/overseen.xlsx").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_target_s_completion_last_report_and_slip_are_exported() {
    let office = office().await;
    office.plans().await;
    let target: i64 = office.app.count("select id from target where title = '会务保障'").await;
    sqlx::query(
        "insert into progress_report (target_id, period_start, period_end, reported_value, audited_value, state,
                                      status, submitted_by, submitted_at)
         values ($1, '2026-10-01', '2026-10-31', 30, 30, 'on_track', 'verified', $2, '2026-11-03 09:00+08')",
    )
    .bind(target)
    .bind(office.zhang)
    .execute(&office.app.pool)
    .await
    .unwrap();
    let item: i64 = sqlx::query_scalar(
        "insert into supervision_item (title, source, department_id, assignee_id, opened_by, due_date, status, target_id)
         values ('会务督办', 'meeting_decision', $1, $2, $2, '2026-06-30', 'assigned', $3) returning id",
    )
    .bind(office.department)
    .bind(office.zhang)
    .bind(target)
    .fetch_one(&office.app.pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into supervision_slip (item_id, colour, issued_on, answer_due, issue_week)
         values ($1, 'yellow', '2026-07-01', '2026-07-15', '2026-W27')",
    )
    .bind(item)
    .execute(&office.app.pool)
    .await
    .unwrap();
    let mut zhang = office.client("zhang.wei").await;
    let sheet = zhang.get("/plan/my.xlsx").await.xlsx();
    let row = 4; // 会务保障, the second target
    assert_eq!(text(&sheet, (row, 5)), "会务保障");
    assert_eq!(sheet.get_value((row, 18)), Some(&Data::Float(0.75)), "30 of 40, a percentage");
    assert!(matches!(sheet.get_value((row, 19)), Some(Data::DateTime(_))));
    assert_eq!(text(&sheet, (row, 20)), "黄色督办单");
    assert_eq!(sheet.get_value((3, 18)).unwrap_or(&Data::Empty), &Data::Empty, "never verified: no completion");
}

/// Waits until the job is no longer queued or running; its state.
async fn finished(app: &TestApp, job: i64) -> String {
    for _ in 0..600 {
        let state: String = sqlx::query_scalar("select state::text from export_job where id = $1")
            .bind(job)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        if state == "done" || state == "failed" {
            return state;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the export job did not finish");
}

#[tokio::test]
async fn the_office_exports_every_target_in_the_background_for_the_requester_only() {
    let office = office().await;
    office.plans().await;
    let mut perf = office.client("perf").await;
    perf.get("/plan/board").await.assert_contains("id=\"export-all-job\"");
    let started = perf.post("/exports", &[("scope", "all"), ("cycle", "")]).await;
    assert_eq!((started.status, started.location()), (StatusCode::SEE_OTHER, "/exports"));
    assert_eq!(office.app.count("select count(*) from audit_log where action = 'export.requested'").await, 1);
    let job = office.app.count("select max(id) from export_job").await;
    assert_eq!(finished(&office.app, job).await, "done");
    let list = perf.get("/exports").await;
    list.assert_contains(&format!("href=\"/exports/{job}\""));
    list.assert_contains("已完成");
    let download = perf.get(&format!("/exports/{job}")).await;
    assert!(download.header("content-disposition").contains("targets-all-20261127.xlsx"));
    let sheet = download.xlsx();
    assert_eq!(data_rows(&sheet) as i64, office.targets().await, "every target in the database");
    assert!(text(&sheet, (0, 0)).starts_with("目标清单 · 历年全部"));
    let rows_done = office.app.count(&format!("select rows_done::bigint from export_job where id = {job}")).await;
    assert_eq!(rows_done, office.targets().await);

    // Someone else, even of the office, is told the job does not exist.
    office.app.person("perf2", "绩效办二", &[(Role::PerformanceOffice, None)]).await;
    let mut other = office.client("perf2").await;
    assert_eq!(other.get(&format!("/exports/{job}")).await.status, StatusCode::NOT_FOUND);
    assert!(!other.get("/exports").await.body.contains(&format!("/exports/{job}\"")));
    let mut anonymous = office.app.client();
    assert!(anonymous.get(&format!("/exports/{job}")).await.location().starts_with("/login"));

    // One cycle; a cycle that is not offered is refused; staff may not start one.
    let cycle = office.cycle.to_string();
    assert_eq!(perf.post("/exports", &[("scope", "cycle"), ("cycle", &cycle)]).await.status, StatusCode::SEE_OTHER);
    let job = office.app.count("select max(id) from export_job").await;
    assert_eq!(finished(&office.app, job).await, "done");
    let refused = perf.post("/exports", &[("scope", "cycle"), ("cycle", "999999")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("id=\"exports-error\"");
    let mut zhang = office.client("zhang.wei").await;
    assert_eq!(zhang.post("/exports", &[("scope", "all")]).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_job_whose_instance_died_is_failed_when_the_list_is_read() {
    let office = office().await;
    let perf: i64 = office.app.count("select id from person where username = 'perf'").await;
    let job: i64 = sqlx::query_scalar(
        "insert into export_job (requested_by, kind, parameters, state, file_name, heartbeat_at)
         values ($1, 'targets', '{\"title\": \"目标清单 · 历年全部\"}', 'running', 'targets-all.xlsx',
                 now() - interval '1 hour') returning id",
    )
    .bind(perf)
    .fetch_one(&office.app.pool)
    .await
    .unwrap();
    let mut client = office.client("perf").await;
    client.get("/exports").await.assert_contains("失败");
    let state: String = sqlx::query_scalar("select state::text from export_job where id = $1")
        .bind(job)
        .fetch_one(&office.app.pool)
        .await
        .unwrap();
    assert_eq!(state, "failed");
    let page = client.get(&format!("/exports/{job}")).await;
    assert_eq!((page.status, page.location()), (StatusCode::SEE_OTHER, "/exports"), "no file to give");
}

const HEADER: &str = "处室,层级,责任人（A 角）,用户名,目标名称,类别,考核类型,衡量指标,单位,目标值,指标方向,上年实际（基数）,权重,完成时限,考核方法,B 角";

/// Uploads a file for the cycle and department the way the form does.
async fn upload(client: &mut Client, (cycle, department): (i64, i64), file_name: &str, bytes: &[u8]) -> Page {
    client.get("/plan/import").await;
    let token = client.csrf.clone().expect("a CSRF token");
    let (cycle, department) = (cycle.to_string(), department.to_string());
    let (content_type, body) = multipart(&[
        ("_csrf", None, token.as_bytes()),
        ("cycle", None, cycle.as_bytes()),
        ("department", None, department.as_bytes()),
        ("file", Some(file_name), bytes),
    ]);
    client.request(Method::POST, "/plan/import", Some(&content_type), body, &[]).await
}

/// The confirmation address offered by a preview.
fn commit_path(preview: &Page) -> String {
    let start = preview.body.find("action=\"/plan/import/").expect("a confirmation form") + "action=\"".len();
    let end = start + preview.body[start..].find('"').unwrap();
    preview.body[start..end].to_string()
}

/// The rows of the preview table's body.
fn preview_rows(preview: &Page) -> Vec<&str> {
    let table = &preview.body[preview.body.find("id=\"import-preview\"").expect("the preview table")..];
    let body = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    body.split("<tr").skip(1).collect()
}

/// The preview row of line `line` in the file.
fn line(preview: &Page, line: u32) -> &str {
    let marker = format!("id=\"import-line-{line}\"");
    preview_rows(preview).into_iter().find(|row| row.contains(&marker)).expect("a preview row of that line")
}

#[tokio::test]
async fn a_head_imports_the_department_s_targets_after_a_preview_with_errors_by_line() {
    let office = office().await;
    let ids = (office.cycle, office.department);
    let mut head = office.client("wang.head").await;
    let before = office.targets().await;
    let with_errors = format!(
        "{HEADER}\n\
         办公室,个人目标,张伟,zhang.wei,会议通知按时发出,重点工作,定量,按时发出率,%,100,正向指标,98,60,2026-11-30,查阅记录,李娜\n\
         ,个人目标,孙丽,sun.li,课题调研,重点工作,定量,篇数,篇,2,,,40,2026-11-30,查阅,\n\
         ,个人目标,张伟,,委员服务,服务承诺,定性,委员评价,,,,,40,2027-01-15,测评,\n\
         研究室,处室目标,,,处室目标,常规工作,定量,次数,次,3,,,100,2026-12-15,查阅,\n"
    );
    let preview = upload(&mut head, ids, "目标.csv", with_errors.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert_eq!(preview_rows(&preview).len(), 4);
    assert!(!line(&preview, 2).contains("preview-error"));
    assert!(line(&preview, 3).contains("此人不属于所选处室"), "{}", line(&preview, 3));
    assert!(line(&preview, 4).contains("完成时限不在考核期间内"));
    assert!(line(&preview, 5).contains("处室与所选处室不符"));
    assert!(!preview.body.contains("id=\"import-commit\""), "no confirmation while a row has an error");
    assert_eq!(office.targets().await, before, "a preview writes no target");
    assert_eq!(office.app.count("select count(*) from target_set").await, 0);

    let good = format!(
        "{HEADER}\n\
         办公室,个人目标,张伟,zhang.wei,会议通知按时发出,重点工作,定量,按时发出率,%,100,正向指标,98,60,2026-11-30,查阅记录,李娜\n\
         ,个人目标,张伟,,委员服务,服务承诺,定性,委员评价,,,,,40,2026-12-15,测评,\n\
         ,个人目标,李娜,li.na,信息报送,常规工作,定量,篇数,篇,24,正向指标,20,100,2026-12-15,查阅台账,\n\
         ,处室目标,,,全年会务零差错,重点工作,定量,差错次数,次,0,逆向指标,1,100,2026-12-15,查阅会务台账,\n"
    );
    let preview = upload(&mut head, ids, "目标.csv", good.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(!preview.body.contains("preview-error"), "{}", preview.body);
    preview.assert_contains("id=\"import-plans\"");
    assert_eq!(office.app.count("select count(*) from target_import").await, 1, "the earlier preview is replaced");
    let commit = commit_path(&preview);
    let done = head.post(&commit, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), format!("/plan/department?cycle={}&department={}", office.cycle, office.department));
    assert_eq!(office.targets().await, before + 4);
    let zhang: (i64, String, Option<i64>) = sqlx::query_as(
        "select count(*), min(s.status::text), min(t.backup_id) from target t join target_set s on s.id = t.set_id
         where s.person_id = $1",
    )
    .bind(office.zhang)
    .fetch_one(&office.app.pool)
    .await
    .unwrap();
    assert_eq!((zhang.0, zhang.1.as_str()), (2, "draft"), "张伟's plan opened as a draft with both targets");
    assert!(zhang.2.is_some(), "the B named in the file");
    let qualitative: (String, Option<rust_decimal::Decimal>) =
        sqlx::query_as("select kind::text, target_value from target where title = '委员服务'")
            .fetch_one(&office.app.pool)
            .await
            .unwrap();
    assert_eq!(qualitative, ("qualitative".into(), None));
    assert_eq!(office.app.count("select count(*) from target_set where level = 'department'").await, 1);
    assert_eq!(office.app.count("select count(*) from audit_log where action = 'target_import.committed'").await, 1);
    assert_eq!(office.app.count("select count(*) from audit_log where action = 'target.imported'").await, 4);

    // A second confirmation writes nothing twice.
    let again = head.post(&commit, &[]).await;
    assert_eq!((again.status, again.location()), (StatusCode::SEE_OTHER, "/plan/import"));
    assert_eq!(office.targets().await, before + 4);
    // Uploading the same file again: every target exists already.
    let repeat = upload(&mut head, ids, "目标.csv", good.as_bytes()).await;
    assert!(line(&repeat, 2).contains("已有同名目标"));
}

#[tokio::test]
async fn a_confirmation_checks_again_and_an_older_preview_cannot_be_confirmed() {
    let office = office().await;
    let ids = (office.cycle, office.department);
    let zhang_set = office.set("person", Some(office.department), Some(office.zhang), &[("公文处理", 40)]).await;
    let mut head = office.client("wang.head").await;
    let file = format!("{HEADER}\n,个人目标,张伟,,会务保障,重点工作,定量,次数,次,12,,,60,2026-11-30,查阅,\n");
    let first = upload(&mut head, ids, "a.csv", file.as_bytes()).await;
    let second = upload(&mut head, ids, "b.csv", file.as_bytes()).await;
    assert_eq!(head.post(&commit_path(&first), &[]).await.status, StatusCode::NOT_FOUND, "replaced by the second");
    // 张伟 submits meanwhile: the confirmation finds the plan no longer open.
    sqlx::query("update target_set set status = 'submitted' where id = $1")
        .bind(zhang_set)
        .execute(&office.app.pool)
        .await
        .unwrap();
    let stale = head.post(&commit_path(&second), &[]).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    stale.assert_contains("id=\"import-changed\"");
    assert!(line(&stale, 2).contains("该目标已提交或已确认"));
    assert_eq!(office.targets().await, 1, "nothing written");
    // Someone else's preview does not exist for another importer.
    let mut perf = office.client("perf").await;
    assert_eq!(perf.post(&commit_path(&second), &[]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn importing_is_for_the_department_s_head_and_the_office_only() {
    let office = office().await;
    let mut zhang = office.client("zhang.wei").await;
    assert_eq!(zhang.get("/plan/import").await.status, StatusCode::FORBIDDEN);
    let file = format!("{HEADER}\n,个人目标,张伟,,x,重点工作,定量,m,,1,,,10,2026-11-30,x,\n");
    assert_eq!(
        upload(&mut zhang, (office.cycle, office.department), "x.csv", file.as_bytes()).await.status,
        StatusCode::FORBIDDEN
    );
    // A head sending another department's id: not offered, 422, nothing kept.
    let mut head = office.client("wang.head").await;
    let other = upload(&mut head, (office.cycle, office.research), "x.csv", file.as_bytes()).await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    other.assert_contains("id=\"import-choice-error\"");
    assert_eq!(office.app.count("select count(*) from target_import").await, 0);
    // The office imports for any department: 孙丽 of 研究室.
    let mut perf = office.client("perf").await;
    let sun =
        format!("{HEADER}\n研究室,个人目标,孙丽,sun.li,课题调研,重点工作,定量,篇数,篇,2,,,100,2026-11-30,查阅,\n");
    let preview = upload(&mut perf, (office.cycle, office.research), "x.csv", sun.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert_eq!(perf.post(&commit_path(&preview), &[]).await.status, StatusCode::SEE_OTHER);
    let sun_targets: i64 =
        sqlx::query_scalar("select count(*) from target t join target_set s on s.id = t.set_id where s.person_id = $1")
            .bind(office.sun)
            .fetch_one(&office.app.pool)
            .await
            .unwrap();
    assert_eq!(sun_targets, 1);
}

#[tokio::test]
async fn an_exported_sheet_imports_into_another_cycle() {
    let office = office().await;
    office.plans().await;
    let mut head = office.client("wang.head").await;
    let href = format!("/plan/department.xlsx?cycle={}&department={}", office.cycle, office.department);
    let exported = head.get(&href).await;
    assert_eq!(exported.status, StatusCode::OK);
    let supplement = cycle(&office.app, "2026年度补充考核", "2026").await;
    let preview = upload(&mut head, (supplement, office.department), "导出.xlsx", &exported.bytes).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert_eq!(preview_rows(&preview).len(), 5);
    assert!(!preview.body.contains("preview-error"), "{}", preview.body);
    assert!(
        line(&preview, 4).contains("全年会务零差错"),
        "data starts under the title, the export line and the header"
    );
    assert_eq!(head.post(&commit_path(&preview), &[]).await.status, StatusCode::SEE_OTHER);
    let copied: i64 =
        sqlx::query_scalar("select count(*) from target t join target_set s on s.id = t.set_id where s.cycle_id = $1")
            .bind(supplement)
            .fetch_one(&office.app.pool)
            .await
            .unwrap();
    assert_eq!(copied, 5);
}

#[tokio::test]
async fn the_sample_files_import_cleanly_and_alike() {
    let office = office().await;
    let mut head = office.client("wang.head").await;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let mut previews = Vec::new();
    for file in ["targets-sample.csv", "targets-sample.xlsx"] {
        let bytes = std::fs::read(root.join(file)).unwrap();
        let preview = upload(&mut head, (office.cycle, office.department), file, &bytes).await;
        assert_eq!(preview.status, StatusCode::OK, "{file}: {}", preview.body);
        assert!(!preview.body.contains("preview-error"), "{file}: {}", preview.body);
        let rows: Vec<String> =
            preview_rows(&preview).iter().map(|r| r.split("</td>").skip(1).collect::<Vec<_>>().join("")).collect();
        previews.push(rows);
        let download = head.get(&format!("/plan/import/samples/{file}")).await;
        assert_eq!(download.status, StatusCode::OK);
        assert!(download.header("content-disposition").contains(file));
    }
    assert_eq!(previews[0], previews[1], "the CSV and XLSX samples hold the same rows");
    assert_eq!(head.get("/plan/import/samples/other.csv").await.status, StatusCode::NOT_FOUND);
}

/// Writes docs/targets-sample.xlsx from docs/targets-sample.csv in the layout
/// of an exported sheet (a title, a line, then the header; numbers and dates
/// typed): `cargo test --test integration write_the_sample_targets_xlsx -- --ignored`.
#[test]
#[ignore]
fn write_the_sample_targets_xlsx() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let table =
        cppcc_perf::domain::spreadsheet::parse_csv(&std::fs::read(root.join("targets-sample.csv")).unwrap()).unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("目标清单").unwrap();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_string_with_format(0, 0, "目标清单 · 样例", &bold).unwrap();
    sheet.write_string(1, 0, "每行一项目标；个人目标写责任人，处室目标可不写。").unwrap();
    for (col, header) in table.header.iter().enumerate() {
        sheet.write_string_with_format(2, col as u16, header, &bold).unwrap();
        sheet.set_column_width(col as u16, 14).unwrap();
    }
    for (row, data) in table.rows.iter().enumerate() {
        for (col, cell) in data.cells.iter().enumerate() {
            let (row, col) = (row as u32 + 3, col as u16);
            let header = table.header[col as usize].as_str();
            if cell.is_empty() {
                continue;
            } else if header == "完成时限" {
                let day = chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").unwrap();
                sheet.write_datetime_with_format(row, col, day, &date).unwrap();
            } else if let (true, Ok(number)) =
                (["目标值", "上年实际（基数）", "权重"].contains(&header), cell.parse::<f64>())
            {
                sheet.write_number(row, col, number).unwrap();
            } else {
                sheet.write_string(row, col, cell).unwrap();
            }
        }
    }
    workbook.save(root.join("targets-sample.xlsx")).unwrap();
}

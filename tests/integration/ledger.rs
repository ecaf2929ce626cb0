//! The bonus/penalty ledger (加减分) and service commitment cases as the
//! performance office, heads, auditors and staff use them.

use axum::http::{Method, StatusCode};
use calamine::Data;
use chrono::NaiveDate;
use cppcc_perf::db;
use cppcc_perf::domain::roles::Role;

use crate::support::{Client, Page, TestApp, day, sheet_rows, table_rows};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

/// A staff member of a department.
async fn seed_items(app: &TestApp) {
    let mut conn = app.pool.acquire().await.unwrap();
    db::ledger::seed_default_items(&mut conn).await.unwrap();
}

async fn item(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar("select id from ledger_item where code = $1").bind(code).fetch_one(&app.pool).await.unwrap()
}

/// One part of a multipart form: a text field, or a file with its name and bytes.
enum Part<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a str, &'a [u8]),
}

/// Posts a multipart form with `_csrf` as its first field.
async fn post_multipart(client: &mut Client, path: &str, parts: &[Part<'_>]) -> Page {
    if client.csrf.is_none() {
        client.get("/").await;
    }
    let boundary = "----cppcc-ledger-test";
    let token = client.csrf.clone().unwrap_or_default();
    let mut body = Vec::new();
    for part in std::iter::once(&Part::Text("_csrf", &token)).chain(parts) {
        match part {
            Part::Text(name, value) => body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            ),
            Part::File(name, file_name, bytes) => {
                body.extend_from_slice(
                    format!(
                        "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let content_type = format!("multipart/form-data; boundary={boundary}");
    client.request(Method::POST, path, Some(&content_type), body, &[]).await
}

/// The id at the end of a redirect to `/ledger/{id}`.
fn record_id(page: &Page) -> i64 {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location().rsplit('/').next().unwrap().parse().unwrap()
}

async fn version_of(app: &TestApp, table: &str, id: i64) -> String {
    let version: i32 = sqlx::query_scalar(&format!("select version from {table} where id = $1"))
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    version.to_string()
}

#[tokio::test]
async fn the_performance_office_keeps_the_standard_items() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    assert_eq!(office.get("/ledger/items/new").await.status, StatusCode::OK);
    // The form has no code field: a code typed anyway is ignored, one is generated.
    let item = [
        ("code", "key_task_award"),
        ("text", "重点工作获表扬"),
        ("points", "1.5"),
        ("cap", "-3"),
        ("evidence_required", "on"),
        ("active", "on"),
    ];
    let page = office.post("/ledger/items", &item).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), "/ledger/items");
    let list = office.get("/ledger/items").await;
    list.assert_contains("已保存加减分项目“重点工作获表扬”");
    list.assert_contains("+1.5");
    let (id, code): (i64, String) = sqlx::query_as("select id, code from ledger_item where text = '重点工作获表扬'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(code.starts_with("item_"), "{code}");
    assert!(!list.body.contains(&code) && !list.body.contains("key_task_award"), "codes are never shown");
    assert!(!office.get("/ledger/items/new").await.body.contains("name=\"code\""));
    let cap: rust_decimal::Decimal =
        sqlx::query_scalar("select cap from ledger_item where id = $1").bind(id).fetch_one(&app.pool).await.unwrap();
    assert_eq!(cap, rust_decimal::Decimal::from(3), "caps are kept as absolute values");

    let zero = office.post("/ledger/items", &[("code", "nothing"), ("text", "零分"), ("points", "0")]).await;
    assert_eq!(zero.status, StatusCode::UNPROCESSABLE_ENTITY);
    zero.assert_contains("取值无效");
    zero.assert_contains("value=\"零分\"");

    assert!(!office.get(&format!("/ledger/items/{id}/edit")).await.body.contains(&code));
    let edit = [("code", "renamed"), ("text", "重点工作获书面表扬"), ("points", "2"), ("cap", ""), ("version", "1")];
    let page = office.post(&format!("/ledger/items/{id}"), &edit).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (saved, points, active): (String, rust_decimal::Decimal, bool) =
        sqlx::query_as("select code, points, active from ledger_item where id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(saved, code, "the code is fixed once saved");
    assert_eq!(points, rust_decimal::Decimal::from(2));
    assert!(!active, "an unchecked box deactivates the item");
    let stale = office.post(&format!("/ledger/items/{id}"), &edit).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    stale.assert_contains("已被他人修改");
    stale.assert_contains("重点工作获书面表扬");
    assert_eq!(app.count("select count(*) from audit_log where action like 'ledger_item.%'").await, 2);
}

#[tokio::test]
async fn default_items_are_seeded_once() {
    let app = TestApp::new().await;
    let mut conn = app.pool.acquire().await.unwrap();
    assert_eq!(db::ledger::seed_default_items(&mut conn).await.unwrap(), 6);
    assert_eq!(db::ledger::seed_default_items(&mut conn).await.unwrap(), 0);
    let points: rust_decimal::Decimal =
        sqlx::query_scalar("select points from ledger_item where code = 'broken_commitment'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(points, rust_decimal::Decimal::new(-5, 1));
    assert_eq!(app.count("select count(*) from ledger_item where code like 'commend_%' and cap = 5").await, 3);
}

#[tokio::test]
async fn a_head_chooses_items_but_cannot_edit_them_or_their_points() {
    let app = TestApp::new().await;
    seed_items(&app).await;
    let research = app.department("研究室").await;
    let criticism = item(&app, "criticism").await;
    let mut head = app.signed_in_as("head.yan", &[(Role::DepartmentHead, Some(research))]).await;
    let items = head.get("/ledger/items").await;
    assert_eq!(items.status, StatusCode::OK);
    assert!(!items.body.contains("/edit\""), "no edit links for a head");
    assert_eq!(head.get("/ledger/items/new").await.status, StatusCode::FORBIDDEN);
    assert_eq!(head.get(&format!("/ledger/items/{criticism}/edit")).await.status, StatusCode::FORBIDDEN);
    let forged = [("text", "通报批评"), ("points", "-0.01"), ("version", "1"), ("active", "on")];
    assert_eq!(head.post(&format!("/ledger/items/{criticism}"), &forged).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        head.post("/ledger/items", &[("code", "mine"), ("text", "自定"), ("points", "10")]).await.status,
        StatusCode::FORBIDDEN
    );

    let form = head.get("/ledger/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(!form.body.contains("name=\"points\""), "the form has no points field");
    form.assert_contains("被通报批评 (-2");
    let research_text = research.to_string();
    let criticism_text = criticism.to_string();
    let page = post_multipart(
        &mut head,
        "/ledger",
        &[
            Part::Text("department_id", &research_text),
            Part::Text("item_id", &criticism_text),
            Part::Text("points", "99"),
            Part::Text("occurred_on", "2026-10-12"),
            Part::Text("reason", "年度工作会议上被通报批评"),
            Part::File("evidence", "通报.pdf", PDF),
        ],
    )
    .await;
    let id = record_id(&page);
    let detail = head.get(&format!("/ledger/{id}")).await;
    detail.assert_contains("<dd id=\"record-points\">-2</dd>");
    let points: rust_decimal::Decimal = sqlx::query_scalar(
        "select i.points from ledger_record r join ledger_item i on i.id = r.item_id where r.id = $1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(points, rust_decimal::Decimal::from(-2));
}

#[tokio::test]
async fn a_head_proposes_with_a_reason_and_evidence_for_their_own_people_only() {
    let app = TestApp::new().await;
    seed_items(&app).await;
    let research = app.department("研究室").await;
    let office_dept = app.department("办公室").await;
    let fang = app.member("wang.fang", "王芳", research, &[(Role::Staff, None)]).await;
    let li = app.member("li.lei", "李雷", office_dept, &[(Role::Staff, None)]).await;
    let city = item(&app, "commend_city").await.to_string();
    let mut head = app.signed_in_as("head.yan", &[(Role::DepartmentHead, Some(research))]).await;
    let form = head.get("/ledger/new").await;
    form.assert_contains("王芳");
    assert!(!form.body.contains("李雷"), "a head chooses among their own people");
    let fang_text = fang.to_string();

    let no_reason = post_multipart(
        &mut head,
        "/ledger",
        &[
            Part::Text("person_id", &fang_text),
            Part::Text("item_id", &city),
            Part::Text("occurred_on", "2026-09-18"),
            Part::Text("reason", "  "),
            Part::File("evidence", "表彰决定.pdf", PDF),
        ],
    )
    .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    no_reason.assert_contains("id=\"reason-error\"");
    no_reason.assert_contains("请重新选择文件");

    let no_evidence = post_multipart(
        &mut head,
        "/ledger",
        &[
            Part::Text("person_id", &fang_text),
            Part::Text("item_id", &city),
            Part::Text("occurred_on", "2026-09-18"),
            Part::Text("reason", "获市级表彰"),
        ],
    )
    .await;
    assert_eq!(no_evidence.status, StatusCode::UNPROCESSABLE_ENTITY);
    no_evidence.assert_contains("id=\"evidence-error\"");
    no_evidence.assert_contains("获市级表彰");

    let not_a_pdf = post_multipart(
        &mut head,
        "/ledger",
        &[
            Part::Text("person_id", &fang_text),
            Part::Text("item_id", &city),
            Part::Text("occurred_on", "2026-09-18"),
            Part::Text("reason", "获市级表彰"),
            Part::File("evidence", "决定.pdf", b"MZ\x90\x00 not a pdf"),
        ],
    )
    .await;
    assert_eq!(not_a_pdf.status, StatusCode::UNPROCESSABLE_ENTITY);
    not_a_pdf.assert_contains("按文件内容判断");

    let both = post_multipart(
        &mut head,
        "/ledger",
        &[
            Part::Text("department_id", &research.to_string()),
            Part::Text("person_id", &fang_text),
            Part::Text("item_id", &city),
            Part::Text("occurred_on", "2026-09-18"),
            Part::Text("reason", "获市级表彰"),
            Part::File("evidence", "决定.pdf", PDF),
        ],
    )
    .await;
    assert_eq!(both.status, StatusCode::UNPROCESSABLE_ENTITY);
    both.assert_contains("id=\"subject-error\"");

    let other = post_multipart(
        &mut head,
        "/ledger",
        &[
            Part::Text("person_id", &li.to_string()),
            Part::Text("item_id", &city),
            Part::Text("occurred_on", "2026-09-18"),
            Part::Text("reason", "获市级表彰"),
            Part::File("evidence", "决定.pdf", PDF),
        ],
    )
    .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "a head proposes only for their own departments' people");
    assert_eq!(app.count("select count(*) from ledger_record").await, 0);

    let page = post_multipart(
        &mut head,
        "/ledger",
        &[
            Part::Text("person_id", &fang_text),
            Part::Text("item_id", &city),
            Part::Text("occurred_on", "2026-09-18"),
            Part::Text("reason", "获市级表彰"),
            Part::File("evidence", "C:\\材料\\表彰决定.pdf", PDF),
        ],
    )
    .await;
    let id = record_id(&page);
    let detail = head.get(&format!("/ledger/{id}")).await;
    detail.assert_contains("已提交加减分申报");
    detail.assert_contains("表彰决定.pdf");
    detail.assert_contains("待审核");
    assert!(!detail.body.contains("id=\"review-form\""), "a head does not review");
    assert_eq!(app.count("select count(*) from attachment where owner_type = 'ledger_record'").await, 1);
    assert_eq!(app.count("select count(*) from audit_log where action = 'ledger_record.proposed'").await, 1);
    let list = head.get("/ledger").await;
    list.assert_contains(&format!("id=\"ledger-record-{id}\""));

    // Staff read only the records about themselves (this one is about 王芳), and propose nothing.
    let mut staff = app.signed_in(Role::Staff).await;
    let list = staff.get("/ledger").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains(&format!("id=\"ledger-record-{id}\"")));
    assert_eq!(staff.get(&format!("/ledger/{id}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(staff.get("/ledger/new").await.status, StatusCode::FORBIDDEN);
}

/// A record proposed by the office for a department and item, accepted unless told otherwise.
async fn office_record(office: &mut Client, department: i64, item: i64, occurred_on: &str) -> i64 {
    let page = post_multipart(
        office,
        "/ledger",
        &[
            Part::Text("department_id", &department.to_string()),
            Part::Text("item_id", &item.to_string()),
            Part::Text("occurred_on", occurred_on),
            Part::Text("reason", "上级机关发文表彰"),
            Part::File("evidence", "表彰.pdf", PDF),
        ],
    )
    .await;
    record_id(&page)
}

#[tokio::test]
async fn the_office_accepts_or_rejects_and_totals_respect_caps() {
    let app = TestApp::new().await;
    seed_items(&app).await;
    let research = app.department("研究室").await;
    let national = item(&app, "commend_national").await;
    let criticism = item(&app, "criticism").await;
    // One of the office proposes, another reviews (nobody reviews their own proposal).
    let mut clerk = app.signed_in_as("office.clerk", &[(Role::PerformanceOffice, None)]).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let mut ids = Vec::new();
    for day in ["2026-03-01", "2026-06-01", "2026-09-01"] {
        ids.push(office_record(&mut clerk, research, national, day).await);
    }
    let penalty = office_record(&mut clerk, research, criticism, "2026-10-12").await;
    let rejected = office_record(&mut clerk, research, criticism, "2026-10-13").await;

    let home = office.get("/").await;
    home.assert_contains("5 条加减分申报等待您审核");

    for id in &ids {
        let version = version_of(&app, "ledger_record", *id).await;
        let page = office
            .post(&format!("/ledger/{id}/review"), &[("decision", "accept"), ("note", ""), ("version", &version)])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    let again = office
        .post(&format!("/ledger/{}/review", ids[0]), &[("decision", "reject"), ("note", "改判"), ("version", "2")])
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    office.get(&format!("/ledger/{}", ids[0])).await.assert_contains("该记录已审核");

    let no_note = office
        .post(&format!("/ledger/{rejected}/review"), &[("decision", "reject"), ("note", " "), ("version", "1")])
        .await;
    assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    no_note.assert_contains("id=\"note-error\"");
    let stale = office
        .post(&format!("/ledger/{rejected}/review"), &[("decision", "reject"), ("note", "佐证不足"), ("version", "7")])
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    stale.assert_contains("佐证不足");
    let page = office
        .post(&format!("/ledger/{rejected}/review"), &[("decision", "reject"), ("note", "佐证不足"), ("version", "1")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let detail = office.get(&format!("/ledger/{rejected}")).await;
    detail.assert_contains("已不予认定该加减分记录");
    detail.assert_contains("佐证不足");
    let version = version_of(&app, "ledger_record", penalty).await;
    office.post(&format!("/ledger/{penalty}/review"), &[("decision", "accept"), ("version", &version)]).await;

    // Three national commendations (+3 each, cap 5) and one accepted criticism (−2): 5 − 2.
    let list = office.get("/ledger").await;
    let total =
        list.body.split(&format!("id=\"department-total-{research}\"")).nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(total.contains("<td class=\"num\">4</td><td class=\"num\">3</td>"), "{total}");
    let pending_only = office.get("/ledger?status=pending").await;
    assert!(!pending_only.body.contains(&format!("id=\"ledger-record-{rejected}\"")));
    let rejected_only = office.get("/ledger?status=rejected").await;
    rejected_only.assert_contains(&format!("id=\"ledger-record-{rejected}\""));
    assert_eq!(app.count("select count(*) from audit_log where action = 'ledger_record.accepted'").await, 4);
    assert_eq!(app.count("select count(*) from audit_log where action = 'ledger_record.rejected'").await, 1);
}

#[tokio::test]
async fn evidence_is_downloaded_only_by_those_who_read_the_record() {
    let app = TestApp::new().await;
    seed_items(&app).await;
    let research = app.department("研究室").await;
    let other = app.department("办公室").await;
    let province = item(&app, "commend_province").await;
    let mut head = app.signed_in_as("head.yan", &[(Role::DepartmentHead, Some(research))]).await;
    let page = post_multipart(
        &mut head,
        "/ledger",
        &[
            Part::Text("department_id", &research.to_string()),
            Part::Text("item_id", &province.to_string()),
            Part::Text("occurred_on", "2026-05-20"),
            Part::Text("reason", "获省级表彰"),
            Part::File("evidence", "省级表彰.pdf", PDF),
        ],
    )
    .await;
    let record = record_id(&page);
    let file: i64 =
        sqlx::query_scalar("select id from attachment where owner_type = 'ledger_record' and owner_id = $1")
            .bind(record)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let path = format!("/ledger/files/{file}");
    let download = head.get(&path).await;
    assert_eq!(download.status, StatusCode::OK);
    assert!(download.header("content-disposition").starts_with("attachment;"), "{:?}", download.headers);
    assert_eq!(download.header("content-type"), "application/pdf");
    assert!(download.body.starts_with("%PDF"));

    let mut other_head = app.signed_in_as("head.zhao", &[(Role::DepartmentHead, Some(other))]).await;
    assert_eq!(other_head.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(other_head.get(&format!("/ledger/{record}")).await.status, StatusCode::FORBIDDEN);
    let mut auditor = app.signed_in(Role::Auditor).await;
    assert_eq!(auditor.get(&path).await.status, StatusCode::OK);
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    assert_eq!(office.get(&path).await.status, StatusCode::OK);
    let mut staff = app.signed_in(Role::Staff).await;
    assert_eq!(staff.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(office.get("/ledger/files/999999").await.status, StatusCode::NOT_FOUND);
}

/// A commitment of the department with a time limit in work days.
async fn commitment(app: &TestApp, department: i64, service: &str, days: i32) -> i64 {
    sqlx::query_scalar(
        "insert into service_commitment (department_id, service, standard, time_limit_days) values ($1, $2, '按时办结', $3) returning id",
    )
    .bind(department)
    .bind(service)
    .bind(days)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn cases_are_kept_or_broken_across_the_national_day_holidays() {
    let app = TestApp::new().await;
    app.seed_2026_calendar().await;
    seed_items(&app).await;
    let research = app.department("研究室").await;
    let id = commitment(&app, research, "委员来信答复", 2).await;
    let mut head = app.signed_in_as("head.yan", &[(Role::DepartmentHead, Some(research))]).await;
    let cases = format!("/commitments/{id}/cases");

    // Received Tuesday 29 September with 2 work days: 30 September, then (after the holidays) 8 October.
    let kept = head
        .post(&cases, &[("subject", "委员张某来信"), ("received_on", "2026-09-29"), ("done_on", "2026-10-08")])
        .await;
    assert_eq!(kept.status, StatusCode::SEE_OTHER, "{}", kept.body);
    assert_eq!(kept.location(), cases);
    assert_eq!(app.count("select count(*) from ledger_record").await, 0, "a kept case proposes nothing");

    let late = head
        .post(&cases, &[("subject", "委员李某来信"), ("received_on", "2026-09-29"), ("done_on", "2026-10-09")])
        .await;
    assert_eq!(late.status, StatusCode::SEE_OTHER);
    let page = head.get(&cases).await;
    page.assert_contains("系统已提出减分");
    page.assert_contains("<dd id=\"kept-rate\">50%</dd>");
    page.assert_contains("2026-10-08");
    let late_case: i64 = sqlx::query_scalar("select id from commitment_case where subject = '委员李某来信'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (department, occurred_on, reason, status, source_key, proposed_by): (
        Option<i64>,
        NaiveDate,
        String,
        String,
        String,
        Option<i64>,
    ) = sqlx::query_as(
        "select department_id, occurred_on, reason, status::text, source_key, proposed_by from ledger_record r
             join ledger_item i on i.id = r.item_id where i.code = 'broken_commitment'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(department, Some(research));
    assert_eq!(occurred_on, day(10, 8), "the penalty is dated at the deadline");
    assert_eq!(reason, "服务承诺未兑现：委员来信答复 / 委员李某来信");
    assert_eq!(status, "pending");
    assert_eq!(source_key, format!("commitment_case:{late_case}"));
    assert_eq!(proposed_by, None);
    let penalty: i64 = sqlx::query_scalar("select id from ledger_record").fetch_one(&app.pool).await.unwrap();
    head.get(&format!("/ledger/{penalty}")).await.assert_contains("系统自动提出");

    // Saving the broken case again adds nothing.
    let version = version_of(&app, "commitment_case", late_case).await;
    let again =
        head.post(&format!("/commitment-cases/{late_case}"), &[("done_on", "2026-10-12"), ("version", &version)]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    assert_eq!(app.count("select count(*) from ledger_record").await, 1);
    let stale =
        head.post(&format!("/commitment-cases/{late_case}"), &[("done_on", "2026-10-13"), ("version", &version)]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    stale.assert_contains("value=\"2026-10-13\"");
    let before_receipt =
        head.post(&format!("/commitment-cases/{late_case}"), &[("done_on", "2026-09-01"), ("version", "2")]).await;
    assert_eq!(before_receipt.status, StatusCode::UNPROCESSABLE_ENTITY);
    before_receipt.assert_contains(&format!("id=\"done_on-{late_case}-error\""));

    // An open case long past its deadline is broken when it is recorded.
    let open = head.post(&cases, &[("subject", "委员王某来信"), ("received_on", "2026-09-29"), ("done_on", "")]).await;
    assert_eq!(open.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from ledger_record").await, 2);
    head.get("/").await.assert_contains("1 件服务承诺办件已超过办结期限仍未办结");

    let missing = head.post(&cases, &[("subject", ""), ("received_on", "2026-13-01")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    missing.assert_contains("id=\"subject-error\"");
    missing.assert_contains("id=\"received_on-error\"");

    let mut staff = app.signed_in(Role::Staff).await;
    let read = staff.get(&cases).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(!read.body.contains("id=\"case-form\""));
    assert_eq!(
        staff.post(&cases, &[("subject", "x"), ("received_on", "2026-10-09")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        staff
            .post(&format!("/commitment-cases/{late_case}"), &[("done_on", "2026-10-09"), ("version", "3")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    staff.get("/commitments").await.assert_contains(&format!("href=\"/commitments/{id}/cases\""));

    let mut conn = app.pool.acquire().await.unwrap();
    let rates = db::commitment_cases::kept_rates(&mut conn, day(11, 27)).await.unwrap();
    assert_eq!(rates.len(), 1);
    assert_eq!((rates[0].counts.kept, rates[0].counts.broken, rates[0].counts.open), (1, 2, 0));
    let departments = db::commitment_cases::per_department(&rates);
    assert_eq!(departments[0].0, research);
    assert_eq!(departments[0].2.rate(), Some(rust_decimal::Decimal::new(333, 1)));
}

#[tokio::test]
async fn overdue_open_cases_are_proposed_once_by_the_daily_task() {
    let app = TestApp::new().await;
    app.seed_2026_calendar().await;
    seed_items(&app).await;
    let research = app.department("研究室").await;
    let recorder = app.person("recorder", "登记员", &[(Role::PerformanceOffice, None)]).await;
    let id = commitment(&app, research, "来访接待", 2).await;
    for subject in ["来访甲", "来访乙"] {
        sqlx::query("insert into commitment_case (commitment_id, subject, received_on, recorded_by) values ($1, $2, '2026-09-29', $3)")
            .bind(id)
            .bind(subject)
            .bind(recorder)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    sqlx::query("insert into commitment_case (commitment_id, subject, received_on, done_on, recorded_by) values ($1, '来访丙', '2026-09-29', '2026-09-30', $2)")
        .bind(id)
        .bind(recorder)
        .execute(&app.pool)
        .await
        .unwrap();
    let mut conn = app.pool.acquire().await.unwrap();
    let calendar = db::calendar::load(&mut conn, day(1, 1), day(12, 31)).await.unwrap();
    let propose = db::commitment_cases::propose_for_overdue_cases;
    assert_eq!(propose(&mut conn, day(10, 8), &calendar).await.unwrap(), 0, "due on 8 October: not late yet");
    assert_eq!(propose(&mut conn, day(10, 9), &calendar).await.unwrap(), 2);
    assert_eq!(propose(&mut conn, day(10, 9), &calendar).await.unwrap(), 0, "a rerun adds nothing");
    assert_eq!(propose(&mut conn, day(10, 20), &calendar).await.unwrap(), 0);
    assert_eq!(
        app.count(
            "select count(*) from ledger_record where status = 'pending' and source_key like 'commitment_case:%'"
        )
        .await,
        2
    );
    assert_eq!(
        app.count("select count(*) from audit_log where action = 'ledger_record.proposed' and actor_name = 'system'")
            .await,
        2
    );

    // Without an active broken-commitment item nothing is proposed.
    sqlx::query("update ledger_item set active = false where code = 'broken_commitment'")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("insert into commitment_case (commitment_id, subject, received_on, recorded_by) values ($1, '来访丁', '2026-10-09', $2)")
        .bind(id)
        .bind(recorder)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(propose(&mut conn, day(11, 27), &calendar).await.unwrap(), 0);
}

#[tokio::test]
async fn unknown_subjects_and_items_are_field_errors_not_server_errors() {
    let app = TestApp::new().await;
    seed_items(&app).await;
    let city = item(&app, "commend_city").await.to_string();
    let department = app.department("办公室").await.to_string();
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    office.get("/ledger/new").await;
    for (subject, item, field) in [
        (("person_id", "999999"), city.as_str(), "subject"),
        (("department_id", "999999"), city.as_str(), "subject"),
        (("department_id", department.as_str()), "999999", "item_id"),
        (("department_id", department.as_str()), "x", "item_id"),
    ] {
        let page = post_multipart(
            &mut office,
            "/ledger",
            &[
                Part::Text(subject.0, subject.1),
                Part::Text("item_id", item),
                Part::Text("occurred_on", "2026-09-18"),
                Part::Text("reason", "获市级表彰"),
                Part::File("evidence", "决定.pdf", PDF),
            ],
        )
        .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{subject:?} {item}");
        page.assert_contains(&format!("id=\"{field}-error\""));
        page.assert_contains("获市级表彰");
    }
    assert_eq!(app.count("select count(*) from ledger_record").await, 0);
}

#[tokio::test]
async fn the_office_never_reviews_a_record_it_proposed_itself() {
    let app = TestApp::new().await;
    seed_items(&app).await;
    let research = app.department("研究室").await;
    let criticism = item(&app, "criticism").await;
    let mut proposer = app.signed_in(Role::PerformanceOffice).await;
    let own = office_record(&mut proposer, research, criticism, "2026-10-12").await;
    let page = proposer.get(&format!("/ledger/{own}")).await;
    page.assert_contains("id=\"own-proposal\"");
    assert!(!page.body.contains("name=\"decision\""), "no review form for one's own proposal");
    assert!(!proposer.get("/").await.body.contains("条加减分申报等待您审核"));
    let refused = proposer.post(&format!("/ledger/{own}/review"), &[("decision", "accept"), ("version", "1")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let status: String = sqlx::query_scalar("select status::text from ledger_record where id = $1")
        .bind(own)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "pending");

    let mut colleague = app.signed_in_as("office.colleague", &[(Role::PerformanceOffice, None)]).await;
    let page = colleague.post(&format!("/ledger/{own}/review"), &[("decision", "accept"), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // A record the system proposed has no proposer: any of the office reviews it.
    let system: i64 = sqlx::query_scalar(
        "insert into ledger_record (item_id, department_id, occurred_on, reason, source_key)
         values ($1, $2, '2026-10-13', '红色督办单', 'test:1') returning id",
    )
    .bind(criticism)
    .bind(research)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let page = proposer.post(&format!("/ledger/{system}/review"), &[("decision", "accept"), ("version", "1")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
}

#[tokio::test]
async fn commendations_of_every_item_count_for_five_points_a_year_together() {
    let app = TestApp::new().await;
    seed_items(&app).await;
    let research = app.department("研究室").await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    for (code, day) in [
        ("commend_national", "2026-03-01"),
        ("commend_national", "2026-06-01"),
        ("commend_province", "2026-04-01"),
        ("commend_province", "2026-05-01"),
        ("commend_city", "2026-07-01"),
        ("commend_national", "2025-07-01"),
    ] {
        sqlx::query(
            "insert into ledger_record (item_id, department_id, occurred_on, reason, status)
             values ($1, $2, $3::date, '上级机关发文表彰', 'accepted')",
        )
        .bind(item(&app, code).await)
        .bind(research)
        .bind(day)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let total = |page: &crate::support::Page| {
        let row = page.body.split(&format!("id=\"department-total-{research}\"")).nth(1).unwrap();
        row.split("</tr>").next().unwrap().to_string()
    };
    // 2026: 5 (national, held by its item cap) + 4 + 1 count as 5 together; 2025: 3.
    let page = office.get("/ledger").await;
    assert!(total(&page).contains("<td class=\"num\">6</td><td class=\"num\">8</td>"), "{}", total(&page));
    // The office allows 8 points of commendations from 2026 on; 2025 keeps the shipped 5.
    sqlx::query("insert into office_setting (year, settings) values (2026, '{\"commendation_cap\": 8}')")
        .execute(&app.pool)
        .await
        .unwrap();
    let page = office.get("/ledger").await;
    assert!(total(&page).contains("<td class=\"num\">6</td><td class=\"num\">11</td>"), "{}", total(&page));
}

/// A record straight in the database about a person or a department; its id.
async fn record_about(app: &TestApp, person: Option<i64>, department: Option<i64>, reason: &str) -> i64 {
    sqlx::query_scalar(
        "insert into ledger_record (item_id, person_id, department_id, occurred_on, reason, status)
         select id, $1, $2, '2026-05-01', $3, 'accepted' from ledger_item where code = 'red_slip' returning id",
    )
    .bind(person)
    .bind(department)
    .bind(reason)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn staff_read_the_records_about_themselves_and_leaders_those_they_oversee() {
    let app = TestApp::new().await;
    seed_items(&app).await;
    let research = app.department("研究室").await;
    let general = app.department("综合处").await;
    let zhou = app.member("zhou", "周敏", research, &[(Role::Staff, None)]).await;
    let li = app.member("li", "李四", research, &[(Role::Staff, None)]).await;
    let own = record_about(&app, Some(zhou), None, "周敏本人的记录").await;
    let colleague = record_about(&app, Some(li), None, "李四的记录").await;
    record_about(&app, None, Some(general), "综合处的记录").await;

    let mut staff = app.login_as("zhou").await;
    let page = staff.get("/ledger").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("周敏本人的记录");
    page.assert_contains("以您本人为对象的加减分记录");
    assert!(!page.body.contains("李四的记录") && !page.body.contains("综合处的记录"), "{}", page.body);
    assert!(!page.body.contains("id=\"new-ledger-record\""));
    assert_eq!(staff.get(&format!("/ledger/{own}")).await.status, StatusCode::OK);
    assert_eq!(staff.get(&format!("/ledger/{colleague}")).await.status, StatusCode::FORBIDDEN);
    // Asking for a colleague's records still shows only their own.
    let page = staff.get(&format!("/ledger?person={li}")).await;
    assert!(!page.body.contains("李四的记录"));

    app.person("leader", "分管副秘书长", &[(Role::SupervisingLeader, Some(general))]).await;
    let mut leader = app.login_as("leader").await;
    let page = leader.get("/ledger").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("综合处的记录");
    assert!(!page.body.contains("周敏本人的记录"));
    assert_eq!(leader.get(&format!("/ledger/{own}")).await.status, StatusCode::FORBIDDEN);

    let mut committee = app.signed_in(Role::AssessmentCommittee).await;
    let page = committee.get("/ledger").await;
    for reason in ["周敏本人的记录", "李四的记录", "综合处的记录"] {
        page.assert_contains(reason);
    }
    assert!(!page.body.contains("id=\"new-ledger-record\""));
}

#[tokio::test]
async fn discipline_inspection_finds_on_its_home_what_it_reads_today() {
    let app = TestApp::new().await;
    seed_items(&app).await;
    let department = app.department("研究室").await;
    record_about(&app, None, Some(department), "研究室的记录").await;
    let mut discipline = app.signed_in(Role::DisciplineInspection).await;
    let home = discipline.get("/").await;
    home.assert_contains("id=\"discipline-home\"");
    home.assert_contains("href=\"/discipline\"");
    home.assert_contains("href=\"/ledger\"");
    let page = discipline.get("/ledger").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("研究室的记录");
    // Others do not see the discipline panel.
    let mut staff = app.signed_in(Role::Staff).await;
    assert!(!staff.get("/").await.body.contains("discipline-home"));
}

#[tokio::test]
async fn the_ledger_exports_the_records_each_reader_sees_with_points_as_numbers() {
    let app = TestApp::new().await;
    seed_items(&app).await;
    let research = app.department("研究室").await;
    let general = app.department("综合处").await;
    let zhou = app.member("zhou", "周敏", research, &[(Role::Staff, None)]).await;
    let li = app.member("li", "李四", research, &[(Role::Staff, None)]).await;
    record_about(&app, Some(zhou), None, "周敏本人的记录").await;
    record_about(&app, Some(li), None, "李四的记录").await;
    record_about(&app, None, Some(general), "综合处的记录").await;

    let mut committee = app.signed_in(Role::AssessmentCommittee).await;
    let page = committee.get("/ledger").await;
    page.assert_contains("href=\"/ledger.xlsx\"");
    let sheet = committee.get("/ledger.xlsx").await.xlsx();
    assert!(matches!(sheet.get_value((0, 0)), Some(Data::String(title)) if title.starts_with("加减分记录")));
    let headers: Vec<String> = sheet.rows().nth(2).unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(headers, ["发生日期", "个人", "处室", "加减分项目", "分值", "事由", "申报人", "状态"]);
    let rows = sheet_rows(&sheet);
    assert_eq!(rows.len(), table_rows(&page, "ledger-record-"));
    assert_eq!(rows.len(), 3);
    let li_row = rows.iter().position(|r| r[5] == "李四的记录").unwrap() as u32 + 3;
    assert!(matches!(sheet.get_value((li_row, 0)), Some(Data::DateTime(_))), "the day stays a date");
    assert_eq!(sheet.get_value((li_row, 1)), Some(&Data::String("李四".into())));
    assert_eq!(sheet.get_value((li_row, 2)), Some(&Data::String("研究室".into())));
    assert_eq!(sheet.get_value((li_row, 4)), Some(&Data::Float(-1.0)), "a deduction stays a negative number");
    assert_eq!(sheet.get_value((li_row, 7)), Some(&Data::String("已认定".into())));

    // A department filter narrows the file as it narrows the page.
    let page = committee.get(&format!("/ledger?department={general}")).await;
    page.assert_contains(&format!("href=\"/ledger.xlsx?department={general}\""));
    let rows = sheet_rows(&committee.get(&format!("/ledger.xlsx?department={general}")).await.xlsx());
    assert_eq!(rows.len(), table_rows(&page, "ledger-record-"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][5], "综合处的记录");

    // Staff export the records about themselves; the administrator reads no ledger.
    let mut staff = app.login_as("zhou").await;
    let rows = sheet_rows(&staff.get(&format!("/ledger.xlsx?person={li}")).await.xlsx());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][5], "周敏本人的记录");
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    assert_eq!(admin.get("/ledger.xlsx").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_standard_items_export_with_their_points_and_caps() {
    let app = TestApp::new().await;
    seed_items(&app).await;
    let mut head = app.signed_in(Role::DepartmentHead).await;
    let page = head.get("/ledger/items").await;
    page.assert_contains("href=\"/ledger/items.xlsx\"");
    let sheet = head.get("/ledger/items.xlsx").await.xlsx();
    assert!(matches!(sheet.get_value((0, 0)), Some(Data::String(title)) if title.starts_with("加减分标准")));
    assert_eq!(sheet.get_value((2, 1)), Some(&Data::String("分值".into())));
    let rows = sheet_rows(&sheet);
    assert_eq!(rows.len(), table_rows(&page, "ledger-item-"));
    let national = rows.iter().position(|r| r[0] == "受到国家级表彰").unwrap() as u32 + 3;
    assert_eq!(sheet.get_value((national, 1)), Some(&Data::Float(3.0)));
    assert_eq!(sheet.get_value((national, 2)), Some(&Data::Float(5.0)), "the cap stays a number");
    let red = rows.iter().position(|r| r[0] == "收到红色督办单").unwrap() as u32 + 3;
    assert_eq!(sheet.get_value((red, 2)), Some(&Data::String("不封顶".into())));
    let mut staff = app.signed_in(Role::Staff).await;
    assert_eq!(staff.get("/ledger/items.xlsx").await.status, StatusCode::FORBIDDEN);
}

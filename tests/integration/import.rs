//! Roster import as the system administrator uses it: upload a CSV or XLSX
//! file, read the preview, commit all or nothing.

use axum::http::{Method, StatusCode};
use cppcc_perf::domain::roles::Role;

use crate::support::{Client, Page, TestApp, multipart};

const HEADER: &str = "username,full_name,identity_type,rank,department,phone,post";

/// Uploads a file the way the form does: the CSRF field first, then the file.
async fn upload(client: &mut Client, file_name: &str, bytes: &[u8]) -> Page {
    client.get("/org/import").await;
    let token = client.csrf.clone().expect("a CSRF token");
    let (content_type, body) = multipart(&[("_csrf", None, token.as_bytes()), ("file", Some(file_name), bytes)]);
    client.request(Method::POST, "/org/import", Some(&content_type), body, &[]).await
}

/// The commit address offered by a preview.
fn commit_path(preview: &Page) -> String {
    let start = preview.body.find("action=\"/org/import/").expect("a commit form") + "action=\"".len();
    let end = start + preview.body[start..].find('"').unwrap();
    preview.body[start..end].to_string()
}

/// The rows of the preview table's body.
fn preview_rows(preview: &Page) -> Vec<&str> {
    let table = &preview.body[preview.body.find("id=\"import-preview\"").expect("the preview table")..];
    let body = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    body.split("<tr").skip(1).collect()
}

/// The initial password the result page shows for `username`.
fn initial_password(result: &Page, username: &str) -> String {
    let row = result.body.split("<tr").find(|row| row.contains(&format!("<td>{username}</td>"))).expect("a result row");
    row.split("<code>").nth(1).unwrap().split("</code>").next().unwrap().to_string()
}

async fn people(app: &TestApp) -> i64 {
    app.count("select count(*) from person").await
}

#[tokio::test]
async fn an_administrator_imports_a_csv_roster_after_a_preview() {
    let app = TestApp::new().await;
    let office = app.department("办公室").await;
    let research = app.department("研究室").await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let before = people(&app).await;
    let csv = "\u{feff}用户名,姓名,身份类别,职务职级,处室,电话,岗位\r\n\
               Zhou.Min,周敏,公务员,二级主任科员,办公室,0571-87050101,档案管理岗\r\n\
               wu.tao,吴涛,managed_civil_servant,一级科员,研究室,,\r\n";
    let preview = upload(&mut admin, "花名册.csv", csv.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert_eq!(preview_rows(&preview).len(), 2);
    assert!(!preview.body.contains("preview-error"));
    preview.assert_contains("共 2 行数据");
    preview.assert_contains("id=\"import-commit\"");
    assert_eq!(people(&app).await, before, "a preview creates nobody");
    assert_eq!(app.count("select count(*) from audit_log where action = 'roster.previewed'").await, 1);

    let result = admin.post(&commit_path(&preview), &[]).await;
    assert_eq!(result.status, StatusCode::OK, "{}", result.body);
    result.assert_contains("class=\"flash flash-ok\"");
    result.assert_contains("已导入 2 人");
    result.assert_contains("只在此显示一次");
    let person: (i64, Option<i64>, String, String, bool) = sqlx::query_as(
        "select id, department_id, identity_type::text, rank, must_change_password from person where username = 'zhou.min'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(person.1, Some(office));
    assert_eq!((person.2.as_str(), person.3.as_str(), person.4), ("civil_servant", "二级主任科员", true));
    let wu: (Option<i64>, String) =
        sqlx::query_as("select department_id, identity_type::text from person where username = 'wu.tao'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(wu, (Some(research), "managed_civil_servant".to_string()));
    let roles: Vec<String> = sqlx::query_scalar("select role::text from role_grant where person_id = $1")
        .bind(person.0)
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(roles, vec!["staff"]);
    let a_holder: Option<i64> =
        sqlx::query_scalar("select a_holder_id from post where department_id = $1 and title = '档案管理岗'")
            .bind(office)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(a_holder, Some(person.0));
    assert_eq!(app.count("select count(*) from audit_log where action = 'person.created'").await, 2);
    let summary: serde_json::Value =
        sqlx::query_scalar("select summary from audit_log where action = 'roster.committed'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(summary["people"], 2);
    assert_eq!(summary["posts_created"], 1);
    assert_eq!(
        app.count("select count(*) from roster_import where committed_at is not null and committed_by is not null")
            .await,
        1
    );

    let password = initial_password(&result, "zhou.min");
    assert_eq!(password.len(), 12);
    let mut newcomer = app.client();
    let signed_in = newcomer.try_login("zhou.min", &password).await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "the initial password works");
    assert_eq!(newcomer.get("/").await.location(), "/account/password", "and must be changed first");
}

#[tokio::test]
async fn an_xlsx_roster_is_imported_the_same_way() {
    let app = TestApp::new().await;
    let it = app.department("信息中心").await;
    let previous = app.person("old.holder", "原A角", &[(Role::Staff, None)]).await;
    sqlx::query("insert into post (department_id, title, a_holder_id) values ($1, '网络安全岗', $2)")
        .bind(it)
        .bind(previous)
        .execute(&app.pool)
        .await
        .unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, header) in HEADER.split(',').enumerate() {
        sheet.write_string(0, col as u16, header).unwrap();
    }
    for (col, value) in ["zheng.li", "郑丽", "事业", "专业技术十级", "信息中心"].into_iter().enumerate() {
        sheet.write_string(1, col as u16, value).unwrap();
    }
    sheet.write_number(1, 5, 13800000003.0).unwrap();
    sheet.write_string(1, 6, "网络安全岗").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();

    let mut admin = app.signed_in(Role::SystemAdmin).await;
    // The format is told by the content, not the name.
    let preview = upload(&mut admin, "roster.csv", &bytes).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert_eq!(preview_rows(&preview).len(), 1);
    preview.assert_contains("<td>13800000003</td>");
    let result = admin.post(&commit_path(&preview), &[]).await;
    assert_eq!(result.status, StatusCode::OK, "{}", result.body);
    result.assert_contains("class=\"flash flash-ok\"");
    let (id, phone, identity): (i64, String, String) = sqlx::query_as(
        "select id, phone, identity_type::text from person where username = 'zheng.li' and department_id = $1",
    )
    .bind(it)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((phone.as_str(), identity.as_str()), ("13800000003", "institution"));
    let a_holder: Option<i64> = sqlx::query_scalar("select a_holder_id from post where title = '网络安全岗'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(a_holder, Some(id), "the imported person is the post's A holder now");
    let summary: serde_json::Value =
        sqlx::query_scalar("select summary from audit_log where action = 'person.created'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(summary["post"]["previous_a_holder_id"], previous);
    assert_eq!(summary["after"]["roles"], serde_json::json!(["staff"]));
}

#[tokio::test]
async fn a_file_with_bad_rows_shows_each_error_and_cannot_be_committed() {
    let app = TestApp::new().await;
    app.department("办公室").await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let before = people(&app).await;
    let csv = format!(
        "{HEADER}\n\
         good.one,甲,公务员,,办公室,,\n\
         lost.one,乙,公务员,,财务处,,\n\
         twice,丙,公务员,,办公室,,\n\
         twice,丁,公务员,,办公室,,\n\
         odd.one,戊,合同工,,办公室,,\n"
    );
    let preview = upload(&mut admin, "roster.csv", csv.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let rows = preview_rows(&preview);
    assert_eq!(rows.len(), 5);
    let flagged: Vec<bool> = rows.iter().map(|r| r.starts_with(" class=\"preview-error\"")).collect();
    assert_eq!(flagged, vec![false, true, true, true, true]);
    assert!(rows[1].contains("没有这个名称的在用处室"));
    assert!(rows[2].contains("用户名与文件中其他行重复") && rows[3].contains("用户名与文件中其他行重复"));
    assert!(rows[4].contains("身份类别无法识别"));
    preview.assert_contains("其中 4 行有错误");
    preview.assert_contains("未导入任何人员");
    assert!(!preview.body.contains("id=\"import-commit\""));

    // Even posted directly, the import is refused as a whole.
    let id: i64 = sqlx::query_scalar("select id from roster_import").fetch_one(&app.pool).await.unwrap();
    let page = admin.post(&format!("/org/import/{id}/commit"), &[]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(people(&app).await, before);
    assert_eq!(app.count("select count(*) from audit_log where action = 'person.created'").await, 0);
}

#[tokio::test]
async fn committing_twice_creates_nobody_the_second_time() {
    let app = TestApp::new().await;
    app.department("办公室").await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let preview =
        upload(&mut admin, "roster.csv", format!("{HEADER}\nonly.once,甲,公务员,,办公室,,\n").as_bytes()).await;
    let path = commit_path(&preview);
    assert_eq!(admin.post(&path, &[]).await.status, StatusCode::OK);
    let after_first = people(&app).await;
    let again = admin.post(&path, &[]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.location(), "/org/import");
    let page = admin.get("/org/import").await;
    page.assert_contains("class=\"flash flash-error\"");
    page.assert_contains("已经导入过");
    assert_eq!(people(&app).await, after_first);
    assert_eq!(app.count("select count(*) from audit_log where action = 'person.created'").await, 1);
    assert_eq!(app.count("select count(*) from audit_log where action = 'roster.committed'").await, 1);
}

#[tokio::test]
async fn a_username_taken_after_the_preview_stops_the_whole_import() {
    let app = TestApp::new().await;
    app.department("办公室").await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let csv = format!("{HEADER}\nfirst.one,甲,公务员,,办公室,,文秘岗\nsecond.one,乙,公务员,,办公室,,\n");
    let preview = upload(&mut admin, "roster.csv", csv.as_bytes()).await;
    assert!(!preview.body.contains("preview-error"));
    app.person("second.one", "别人", &[(Role::Staff, None)]).await;
    let before = people(&app).await;

    let page = admin.post(&commit_path(&preview), &[]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("预览之后数据已有变化");
    page.assert_contains("用户名已被系统中的账号使用");
    assert!(!page.body.contains("id=\"import-commit\""));
    assert_eq!(people(&app).await, before, "not even the first row was created");
    assert_eq!(app.count("select count(*) from post where title = '文秘岗'").await, 0);
    assert_eq!(app.count("select count(*) from roster_import where committed_at is null").await, 1);
}

#[tokio::test]
async fn a_file_that_cannot_be_used_is_refused_with_a_clear_reason() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    let gbk_header = [0xd3, 0xc3, 0xbb, 0xa7, 0xc3, 0xfb, b',', 0xd0, 0xd5, 0xc3, 0xfb, b'\n'];
    let cases: [(&str, &[u8], &str); 5] = [
        ("photo.csv", png, "只能导入 Excel 工作簿（.xlsx）或 UTF-8 编码的 CSV 文件"),
        ("roster.csv", &gbk_header, "不是 UTF-8 编码"),
        ("roster.csv", b"", "请选择要导入的文件"),
        ("roster.csv", b"username,full_name\na.b,x\n", "表头缺少必填列：identity_type（身份类别）、department（处室）"),
        ("roster.xlsx", b"PK\x03\x04broken", "无法读取该文件"),
    ];
    for (name, bytes, message) in cases {
        let page = upload(&mut admin, name, bytes).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        page.assert_contains(message);
        page.assert_contains("id=\"roster-file\"");
    }
    assert_eq!(app.count("select count(*) from roster_import").await, 0);
}

#[tokio::test]
async fn a_file_over_five_mebibytes_is_refused() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    // (A body beyond the route's limit arrives here in one piece, which fails the
    // CSRF field before the file; a browser's streamed upload gets this page too.)
    let mut csv = format!("{HEADER}\n").into_bytes();
    csv.resize(5 * 1024 * 1024 + 1, b' ');
    let page = upload(&mut admin, "big.csv", &csv).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("文件过大，不能超过 5 MB");
    assert_eq!(app.count("select count(*) from roster_import").await, 0);
}

#[tokio::test]
async fn an_upload_without_the_csrf_field_first_is_refused() {
    let app = TestApp::new().await;
    app.department("办公室").await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    admin.get("/org/import").await;
    let token = admin.csrf.clone().unwrap();
    let csv = format!("{HEADER}\na.b,甲,公务员,,办公室,,\n");
    let without = multipart(&[("file", Some("roster.csv"), csv.as_bytes())]);
    let after_file = multipart(&[("file", Some("roster.csv"), csv.as_bytes()), ("_csrf", None, token.as_bytes())]);
    for (content_type, body) in [without, after_file] {
        let page = admin.request(Method::POST, "/org/import", Some(&content_type), body, &[]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.count("select count(*) from roster_import").await, 0);
    // Both rejections within a minute by one person: one audit row.
    assert_eq!(app.count("select count(*) from audit_log where action = 'security.csrf_rejected'").await, 1);
}

#[tokio::test]
async fn staff_can_neither_open_nor_use_the_import() {
    let app = TestApp::new().await;
    app.department("办公室").await;
    let uploader = app.person("uploader", "上传人", &[(Role::SystemAdmin, None)]).await;
    let rows = serde_json::json!([{ "line": 2, "values": { "username": "sneaky", "full_name": "某人", "identity_type": "公务员",
        "rank": "", "department": "办公室", "phone": "", "post": "" }, "errors": [] }]);
    let id: i64 = sqlx::query_scalar(
        "insert into roster_import (uploaded_by, file_name, rows) values ($1, 'x.csv', $2) returning id",
    )
    .bind(uploader)
    .bind(rows)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let mut staff = app.signed_in(Role::Staff).await;
    assert_eq!(staff.get("/org/import").await.status, StatusCode::FORBIDDEN);
    staff.get("/").await;
    let token = staff.csrf.clone().unwrap();
    let csv = format!("{HEADER}\na.b,甲,公务员,,办公室,,\n");
    let (content_type, body) =
        multipart(&[("_csrf", None, token.as_bytes()), ("file", Some("roster.csv"), csv.as_bytes())]);
    let page = staff.request(Method::POST, "/org/import", Some(&content_type), body, &[]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(staff.post(&format!("/org/import/{id}/commit"), &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from roster_import").await, 1);
    assert_eq!(app.count("select count(*) from person where username = 'sneaky'").await, 0);
}

#[tokio::test]
async fn the_sample_files_preview_without_errors() {
    let app = TestApp::new().await;
    for name in ["办公室", "研究室", "信息中心"] {
        app.department(name).await;
    }
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let mut previews = Vec::new();
    for file in ["roster-sample.csv", "roster-sample.xlsx"] {
        let preview = upload(&mut admin, file, &std::fs::read(root.join(file)).unwrap()).await;
        assert_eq!(preview.status, StatusCode::OK, "{file}: {}", preview.body);
        assert_eq!(preview_rows(&preview).len(), 5, "{file}");
        assert!(!preview.body.contains("preview-error"), "{file}: {}", preview.body);
        previews.push(preview_rows(&preview).join("\n"));
    }
    assert_eq!(previews[0], previews[1], "the CSV and XLSX samples hold the same rows");
}

/// Writes docs/roster-sample.xlsx from docs/roster-sample.csv:
/// `cargo test --test integration write_the_sample_roster_xlsx -- --ignored`.
#[test]
#[ignore]
fn write_the_sample_roster_xlsx() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let table = cppcc_perf::domain::roster::parse_csv(&std::fs::read(root.join("roster-sample.csv")).unwrap()).unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("花名册").unwrap();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (col, header) in table.header.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, header, &bold).unwrap();
        sheet.set_column_width(col as u16, 16).unwrap();
    }
    for (row, data) in table.rows.iter().enumerate() {
        for (col, cell) in data.cells.iter().enumerate() {
            // Phones stay text, as typed.
            sheet.write_string(row as u32 + 1, col as u16, cell).unwrap();
        }
    }
    workbook.save(root.join("roster-sample.xlsx")).unwrap();
}

#[tokio::test]
async fn the_import_page_offers_the_sample_files_as_downloads() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let page = admin.get("/org/import").await;
    page.assert_contains("/org/import/samples/roster-sample.xlsx");
    assert!(!page.body.contains("docs"), "no project folders named on the page");
    let csv = admin.get("/org/import/samples/roster-sample.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-disposition").starts_with("attachment"), "{}", csv.header("content-disposition"));
    assert!(csv.body.contains("username,full_name"), "the sample has the roster header row");
    let xlsx = admin.get("/org/import/samples/roster-sample.xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.header("content-type").contains("spreadsheetml"));
    assert_eq!(admin.get("/org/import/samples/../../Cargo.toml").await.status, StatusCode::NOT_FOUND);
}

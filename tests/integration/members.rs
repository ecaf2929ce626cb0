//! The register of the committee's members as the performance office keeps
//! it: the list and its filters, the form with its checks and stale edits,
//! and the import of a CSV or XLSX file with its preview.

use axum::http::{Method, StatusCode};
use cppcc_perf::domain::roles::Role;

use crate::support::{Client, Page, TestApp, multipart};

const HEADER: &str = "姓名,界别,专门委员会,联系处室,届次,手机";

/// A member straight into the table; returns the id.
async fn member(app: &TestApp, name: &str, sector: &str, committee: &str, department: Option<i64>) -> i64 {
    sqlx::query_scalar(
        "insert into member (full_name, sector, special_committee, contact_department_id, term)
         values ($1, $2, $3, $4, '第十五届') returning id",
    )
    .bind(name)
    .bind(sector)
    .bind(committee)
    .bind(department)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

/// The form's fields, valid, with `changes` applied.
fn fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("full_name", "沈一鸣"),
        ("sector", "经济界"),
        ("special_committee", "经济委员会"),
        ("contact_department_id", ""),
        ("term", "第十五届"),
        ("mobile", "139 0000 9001"),
        ("active", "on"),
        ("version", "0"),
    ];
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        if !value.is_empty() || *name == "contact_department_id" {
            fields.push((name, value));
        }
    }
    fields
}

/// The names in the list's table, in order.
fn listed(page: &Page) -> Vec<String> {
    let table = &page.body[page.body.find("id=\"members-table\"").expect("the members table")..];
    let body = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    body.split("<td class=\"card-title\">")
        .skip(1)
        .map(|cell| cell.split("</td>").next().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_office_adds_a_member_and_a_mobile_is_kept_as_digits() {
    let app = TestApp::new().await;
    let economy = app.department("经济委员会办公室").await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    office.get("/org/members/new").await.assert_contains("id=\"member-form\"");
    let economy_id = economy.to_string();
    let saved = office.post("/org/members", &fields(&[("contact_department_id", &economy_id)])).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/org/members");
    let row: (String, String, Option<i64>, String, bool) = sqlx::query_as(
        "select sector, special_committee, contact_department_id, mobile, active from member where full_name = '沈一鸣'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(row, ("经济界".into(), "经济委员会".into(), Some(economy), "13900009001".into(), true));
    assert_eq!(app.count("select count(*) from audit_log where action = 'member.created'").await, 1);
    let list = office.get("/org/members").await;
    list.assert_contains("已保存委员“沈一鸣”");
    list.assert_contains("经济委员会办公室");
    assert_eq!(listed(&list), ["沈一鸣"]);
}

#[tokio::test]
async fn a_form_with_errors_comes_back_with_the_input_and_each_error_beside_its_field() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let long = "长".repeat(41);
    let page = office
        .post("/org/members", &fields(&[("full_name", ""), ("sector", &long), ("term", ""), ("mobile", "0571-8705")]))
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["full_name", "sector", "term", "mobile"] {
        page.assert_contains(&format!("id=\"{field}-error\""));
    }
    page.assert_contains(&format!("value=\"{long}\""));
    page.assert_contains("value=\"0571-8705\"");
    page.assert_contains("value=\"经济委员会\"");
    page.assert_contains("手机号码应为以 1 开头的 11 位数字");
    assert_eq!(app.count("select count(*) from member").await, 0);
}

#[tokio::test]
async fn a_department_that_cannot_be_chosen_is_refused_and_a_missing_member_is_not_found() {
    let app = TestApp::new().await;
    let closed = app.department("已撤销处室").await;
    sqlx::query("update department set active = false where id = $1").bind(closed).execute(&app.pool).await.unwrap();
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    for id in [closed.to_string(), "999999".to_string(), "abc".to_string()] {
        let page = office.post("/org/members", &fields(&[("contact_department_id", &id)])).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{id}");
        page.assert_contains("id=\"contact_department_id-error\"");
    }
    assert_eq!(app.count("select count(*) from member").await, 0);
    assert_eq!(office.get("/org/members/999999/edit").await.status, StatusCode::NOT_FOUND);
    assert_eq!(office.post("/org/members/999999", &fields(&[])).await.status, StatusCode::NOT_FOUND);
    assert_eq!(office.get("/org/members/abc/edit").await.status, StatusCode::BAD_REQUEST);
    // A member kept in touch by a department closed since keeps it through an edit.
    let id = member(&app, "钱嘉禾", "民进", "", Some(closed)).await;
    let closed_id = closed.to_string();
    let saved = office
        .post(
            &format!("/org/members/{id}"),
            &fields(&[("full_name", "钱嘉禾"), ("contact_department_id", &closed_id), ("version", "1")]),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

#[tokio::test]
async fn an_edit_from_a_stale_form_is_a_conflict_and_deactivating_is_audited() {
    let app = TestApp::new().await;
    let id = member(&app, "蒋若兰", "文化艺术界", "", None).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let form = office.get(&format!("/org/members/{id}/edit")).await;
    form.assert_contains("name=\"version\" value=\"1\"");
    let edit = [("full_name", "蒋若兰"), ("sector", "文化艺术界"), ("active", ""), ("version", "1")];
    let saved = office.post(&format!("/org/members/{id}"), &fields(&edit)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let (active, version): (bool, i32) =
        sqlx::query_as("select active, version from member where id = $1").bind(id).fetch_one(&app.pool).await.unwrap();
    assert_eq!((active, version), (false, 2));
    assert_eq!(app.count("select count(*) from audit_log where action = 'member.deactivated'").await, 1);
    // The same form again, still at version 1.
    let stale =
        office.post(&format!("/org/members/{id}"), &fields(&[("full_name", "蒋若兰二"), ("version", "1")])).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    stale.assert_contains("id=\"conflict\"");
    stale.assert_contains("value=\"蒋若兰二\"");
    let name: String =
        sqlx::query_scalar("select full_name from member where id = $1").bind(id).fetch_one(&app.pool).await.unwrap();
    assert_eq!(name, "蒋若兰");
    // Reactivated from a fresh form.
    let again = office.post(&format!("/org/members/{id}"), &fields(&[("full_name", "蒋若兰"), ("version", "2")])).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from audit_log where action = 'member.reactivated'").await, 1);
}

#[tokio::test]
async fn the_list_filters_by_name_sector_committee_department_and_status_with_counts() {
    let app = TestApp::new().await;
    let proposals = app.department("提案委员会办公室").await;
    let office_dept = app.department("办公室").await;
    member(&app, "沈一鸣", "经济界", "经济委员会", Some(proposals)).await;
    member(&app, "钱嘉禾", "经济界", "", Some(office_dept)).await;
    member(&app, "蒋若兰", "文化艺术界", "提案委员会", Some(proposals)).await;
    let gone = member(&app, "孔德明", "经济界", "", None).await;
    sqlx::query("update member set active = false where id = $1").bind(gone).execute(&app.pool).await.unwrap();
    let mut head = app.signed_in(Role::DepartmentHead).await;
    let all = head.get("/org/members").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(listed(&all), ["蒋若兰", "沈一鸣", "钱嘉禾"], "active members by sector, then name");
    all.assert_contains("在册委员 3 人，已不在册 1 人");
    assert!(!all.body.contains("id=\"new-member\""), "a head reads the register only");
    let cases = [
        ("/org/members?sector=经济界", vec!["沈一鸣", "钱嘉禾"]),
        ("/org/members?committee=none", vec!["钱嘉禾"]),
        ("/org/members?committee=提案委员会", vec!["蒋若兰"]),
        (&*format!("/org/members?department={proposals}"), vec!["蒋若兰", "沈一鸣"]),
        ("/org/members?q=嘉", vec!["钱嘉禾"]),
        ("/org/members?status=inactive", vec!["孔德明"]),
        ("/org/members?status=all&sector=经济界", vec!["孔德明", "沈一鸣", "钱嘉禾"]),
        ("/org/members?department=x&status=odd", vec!["蒋若兰", "沈一鸣", "钱嘉禾"]),
    ];
    for (path, expected) in cases {
        let page = head.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(listed(&page), expected, "{path}");
        page.assert_contains(&format!("按当前条件显示 {} 人", expected.len()));
    }
}

/// Uploads a file the way the form does: the CSRF field first, then the file.
async fn upload(client: &mut Client, file_name: &str, bytes: &[u8]) -> Page {
    client.get("/org/members/import").await;
    let token = client.csrf.clone().expect("a CSRF token");
    let (content_type, body) = multipart(&[("_csrf", None, token.as_bytes()), ("file", Some(file_name), bytes)]);
    client.request(Method::POST, "/org/members/import", Some(&content_type), body, &[]).await
}

/// The commit address offered by a preview.
fn commit_path(preview: &Page) -> String {
    let start = preview.body.find("action=\"/org/members/import/").expect("a commit form") + "action=\"".len();
    let end = start + preview.body[start..].find('"').unwrap();
    preview.body[start..end].to_string()
}

/// The rows of the preview table's body.
fn preview_rows(preview: &Page) -> Vec<&str> {
    let table = &preview.body[preview.body.find("id=\"member-import-preview\"").expect("the preview table")..];
    let body = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    body.split("<tr").skip(1).collect()
}

#[tokio::test]
async fn an_import_previews_every_row_then_writes_the_good_ones_and_updates_by_name_and_sector() {
    let app = TestApp::new().await;
    let proposals = app.department("提案委员会办公室").await;
    let existing = member(&app, "沈一鸣", "经济界", "", None).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let csv = format!(
        "\u{feff}{HEADER}\r\n\
         沈一鸣,经济界,提案委员会,提案委员会办公室,第十五届,13900009001\r\n\
         钱嘉禾,民进,,,第十五届,\r\n\
         蒋若兰,文化艺术界,,财务处,第十五届,12345\r\n\
         孔德明,特邀人士,,,,\r\n\
         孔德明,特邀人士,,,第十五届,\r\n"
    );
    let preview = upload(&mut office, "委员名册.csv", csv.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let rows = preview_rows(&preview);
    assert_eq!(rows.len(), 5);
    assert!(rows[0].contains("更新已有委员") && rows[1].contains("新增"));
    assert!(rows[2].contains("没有这个名称的在用处室") && rows[2].contains("手机号码应为以 1 开头的 11 位数字"));
    assert!(rows[3].contains("缺少届次") && rows[3].contains("姓名和界别与文件中其他行相同"));
    assert!(rows[4].contains("姓名和界别与文件中其他行相同"));
    preview.assert_contains("将新增 1 人，更新 1 人");
    preview.assert_contains("有 3 行存在错误");
    assert_eq!(app.count("select count(*) from member").await, 1, "a preview writes nothing");
    assert_eq!(app.count("select count(*) from member_import").await, 1, "the rows are kept for the commit");

    // Any instance commits from the stored rows: a fresh client of the same person.
    let done = office.post(&commit_path(&preview), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/org/members");
    office.get("/org/members").await.assert_contains("已导入 2 名委员");
    let updated: (String, Option<i64>, String, i32) =
        sqlx::query_as("select special_committee, contact_department_id, mobile, version from member where id = $1")
            .bind(existing)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(updated, ("提案委员会".into(), Some(proposals), "13900009001".into(), 2));
    let names: Vec<String> =
        sqlx::query_scalar("select full_name from member order by id").fetch_all(&app.pool).await.unwrap();
    assert_eq!(names, ["沈一鸣", "钱嘉禾"]);
    assert_eq!(app.count("select count(*) from audit_log where action = 'member_import.committed'").await, 1);
    assert_eq!(
        app.count("select count(*) from audit_log where action in ('member.created', 'member.updated')").await,
        2
    );
    // A second commit of the same import writes nothing.
    let again = office.post(&commit_path(&preview), &[]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.location(), "/org/members/import");
    assert_eq!(app.count("select count(*) from member").await, 2);
    assert_eq!(office.post("/org/members/import/999999/commit", &[]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_xlsx_file_is_imported_like_a_csv_and_the_samples_are_valid() {
    let app = TestApp::new().await;
    for name in ["经济委员会办公室", "研究室", "文史和学习委员会办公室", "办公室"] {
        app.department(name).await;
    }
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let mut previews = Vec::new();
    for file in ["members-sample.csv", "members-sample.xlsx"] {
        let bytes = std::fs::read(root.join(file)).unwrap();
        let preview = upload(&mut admin, file, &bytes).await;
        assert_eq!(preview.status, StatusCode::OK, "{file}: {}", preview.body);
        assert_eq!(preview_rows(&preview).len(), 4, "{file}");
        assert!(!preview.body.contains("preview-error"), "{file}: {}", preview.body);
        previews.push(preview_rows(&preview).join("\n"));
        let download = admin.get(&format!("/org/members/import/samples/{file}")).await;
        assert_eq!(download.status, StatusCode::OK);
        assert!(download.header("content-disposition").contains(file));
    }
    assert_eq!(previews[0], previews[1], "the CSV and XLSX samples hold the same rows");
    // Commit the XLSX: four members, mobiles read as digits.
    let preview =
        upload(&mut admin, "members-sample.xlsx", &std::fs::read(root.join("members-sample.xlsx")).unwrap()).await;
    assert_eq!(admin.post(&commit_path(&preview), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from member where active").await, 4);
    assert_eq!(app.count("select count(*) from member where mobile = '13900009001'").await, 1);
}

#[tokio::test]
async fn a_file_that_cannot_be_used_is_refused_with_its_reason() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let page = upload(&mut office, "x.csv", "姓名,界别,届次\n沈一鸣,经济界,第十五届\n".as_bytes()).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"import-file-error\"");
    page.assert_contains("special_committee（专门委员会）");
    let page = upload(&mut office, "x.png", b"\x89PNG\r\n\x1a\n\0\0").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = upload(&mut office, "x.csv", &[0xd3, 0xc3, 0xbb, 0xa7, b'\n']).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("UTF-8");
    assert_eq!(app.count("select count(*) from member_import").await, 0);
    assert_eq!(office.get("/org/members/import/samples/other.csv").await.status, StatusCode::NOT_FOUND);
}

/// Writes docs/members-sample.xlsx from docs/members-sample.csv:
/// `cargo test --test integration write_the_sample_members_xlsx -- --ignored`.
#[test]
#[ignore]
fn write_the_sample_members_xlsx() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let table =
        cppcc_perf::domain::spreadsheet::parse_csv(&std::fs::read(root.join("members-sample.csv")).unwrap()).unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("委员名册").unwrap();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (col, header) in table.header.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, header, &bold).unwrap();
        sheet.set_column_width(col as u16, 18).unwrap();
    }
    for (row, data) in table.rows.iter().enumerate() {
        for (col, cell) in data.cells.iter().enumerate() {
            // Mobiles stay text, as typed.
            sheet.write_string(row as u32 + 1, col as u16, cell).unwrap();
        }
    }
    workbook.save(root.join("members-sample.xlsx")).unwrap();
}

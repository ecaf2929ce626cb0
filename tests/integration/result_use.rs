//! The use of results (结果运用) and a person's record: counters over imported
//! and decided years, proposals made once when a cycle is final, the office's
//! confirmations and rejections with reasons, four eyes, stale forms, the
//! import of earlier grades, a changed grade, and who reads whose record.

use axum::http::{Method, StatusCode};
use calamine::Data;
use cppcc_perf::domain::roles::Role;
use cppcc_perf::tasks;

use crate::support::{Client, Page, TestApp, multipart, sheet_mentions, sheet_row, sheet_row_of};

/// A final annual cycle of `year` (publicity over long before the test day)
/// with `results`: (person, grade code, score).
async fn final_year(app: &TestApp, year: i32, results: &[(i64, &str, f64)]) -> i64 {
    let decider = app.person(&format!("decider{year}"), "决定人", &[]).await;
    let cycle: i64 = sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until,
                            assessment_until, feedback_until, stage)
         values ($1, 'annual', make_date($2, 1, 1), make_date($2, 12, 31), make_date($2, 1, 15),
                 make_date($2, 12, 31), make_date($2 + 1, 1, 20), make_date($2 + 1, 2, 20), 'closed')
         returning id",
    )
    .bind(format!("{year}年度考核"))
    .bind(year)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into assessment_decision (cycle_id, decided_by, decided_at, publicity_from, publicity_until)
         values ($1, $2, now(), make_date($3 + 1, 1, 10), make_date($3 + 1, 1, 16))",
    )
    .bind(cycle)
    .bind(decider)
    .bind(year)
    .execute(&app.pool)
    .await
    .unwrap();
    for (person, grade, score) in results {
        sqlx::query(
            "insert into assessment_result (cycle_id, person_id, department_id, score, computed, grade)
             select $1, p.id, p.department_id, $3::numeric, $4::jsonb, $4::jsonb from person p where p.id = $2",
        )
        .bind(cycle)
        .bind(person)
        .bind(score)
        .bind(serde_json::json!({ "cycle": "annual", "grade": grade }))
        .execute(&app.pool)
        .await
        .unwrap();
    }
    cycle
}

async fn regrade(app: &TestApp, cycle: i64, person: i64, grade: &str) {
    sqlx::query("update assessment_result set grade = $3 where cycle_id = $1 and person_id = $2")
        .bind(cycle)
        .bind(person)
        .bind(serde_json::json!({ "cycle": "annual", "grade": grade }))
        .execute(&app.pool)
        .await
        .unwrap();
}

/// (year, kind, status) of a person's proposals, by year and kind.
async fn proposals(app: &TestApp, person: i64) -> Vec<(i32, String, String)> {
    sqlx::query_as(
        "select year, kind::text, status::text from result_use_proposal where person_id = $1 order by year, kind::text",
    )
    .bind(person)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

fn owned(rows: &[(i32, &str, &str)]) -> Vec<(i32, String, String)> {
    rows.iter().map(|(y, k, s)| (*y, k.to_string(), s.to_string())).collect()
}

async fn proposal_id(app: &TestApp, person: i64, year: i32, kind: &str) -> (i64, i32) {
    sqlx::query_as("select id, version from result_use_proposal where person_id = $1 and year = $2 and kind::text = $3")
        .bind(person)
        .bind(year)
        .bind(kind)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn refresh(app: &TestApp) {
    let mut conn = app.pool.acquire().await.unwrap();
    cppcc_perf::workflow::result_use::refresh_final_cycles(&mut conn, app.today()).await.unwrap();
}

/// Uploads a grades file the way the form does: the CSRF field first, then the file.
async fn upload(client: &mut Client, file_name: &str, bytes: &[u8]) -> Page {
    client.get("/feedback/grade-import").await;
    let token = client.csrf.clone().expect("a CSRF token");
    let (content_type, body) = multipart(&[("_csrf", None, token.as_bytes()), ("file", Some(file_name), bytes)]);
    client.request(Method::POST, "/feedback/grade-import", Some(&content_type), body, &[]).await
}

fn commit_path(preview: &Page) -> String {
    let start = preview.body.find("action=\"/feedback/grade-import/").expect("a commit form") + "action=\"".len();
    let end = start + preview.body[start..].find('"').unwrap();
    preview.body[start..end].to_string()
}

#[tokio::test]
async fn counters_run_over_imported_and_decided_years_and_a_merit_citation_is_proposed_once() {
    let app = TestApp::new().await;
    let office_dept = app.department("办公室").await;
    let staff = app.member("zhang", "张明", office_dept, &[(Role::Staff, None)]).await;
    final_year(&app, 2025, &[(staff, "excellent", 93.5)]).await;
    // The background task proposes the year's commendation once, however often it runs.
    tasks::run_once(&app.pool, app.today()).await.unwrap();
    tasks::run_once(&app.pool, app.today()).await.unwrap();
    assert_eq!(proposals(&app, staff).await, owned(&[(2025, "commendation", "proposed")]));

    // Earlier grades imported: 2023 and 2024 优秀 make 2025 the third in a row.
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let csv = "用户名,年度,等次\nzhang,2023,优秀\nzhang,2024,优秀\n";
    let preview = upload(&mut office, "grades.csv", csv.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let committed = office.post(&commit_path(&preview), &[]).await;
    assert_eq!(committed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        proposals(&app, staff).await,
        owned(&[(2025, "commendation", "withdrawn"), (2025, "merit", "proposed")]),
        "no proposal for an imported year (2024 made a step); the citation replaces the commendation"
    );
    refresh(&app).await;
    assert_eq!(app.count("select count(*) from result_use_proposal").await, 2, "a second sync adds nothing");

    // The person reads their counters explained year by year.
    let mut own = app.login_as("zhang").await;
    let page = own.get(&format!("/feedback/people/{staff}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("id=\"history-2023\"");
    page.assert_contains("3/3");
    page.assert_contains("记三等功");
    page.assert_contains("id=\"history-chart\"");
    page.assert_contains("93.5");
    assert_eq!(own.get("/feedback/my").await.location(), format!("/feedback/people/{staff}"));
}

#[tokio::test]
async fn the_import_previews_bad_rows_and_never_overwrites_a_decided_year() {
    let app = TestApp::new().await;
    let dept = app.department("研究室").await;
    let li = app.member("li", "李强", dept, &[(Role::Staff, None)]).await;
    final_year(&app, 2025, &[(li, "competent", 82.0)]).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let csv = "用户名,年度,等次\nli,2024,称职\nnobody,2024,优秀\nli,2025,优秀\nli,2026,优秀\nli,2023,很好\nli,2022年,基本合格\n";
    let preview = upload(&mut office, "grades.csv", csv.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK);
    preview.assert_contains("没有该用户名的人员");
    preview.assert_contains("该年度的等次已由系统确定，不能导入覆盖");
    preview.assert_contains("只能导入今年以前的年度");
    preview.assert_contains("等次无法识别");
    preview.assert_contains("有问题的 4 行不会导入");
    let committed = office.post(&commit_path(&preview), &[]).await;
    assert_eq!(committed.status, StatusCode::SEE_OTHER);
    let imported: Vec<(i32, String)> =
        sqlx::query_as("select year, grade from grade_history where person_id = $1 order by year")
            .bind(li)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(imported, vec![(2022, "basically_competent".into()), (2024, "competent".into())]);
    assert_eq!(app.count("select count(*) from audit_log where action = 'grade_history.imported'").await, 2);
    // A second commit of the same upload writes nothing.
    let again = office.post(&commit_path(&preview), &[]).await;
    assert_eq!(again.location(), "/feedback/grade-import");
    assert_eq!(app.count("select count(*) from grade_history").await, 2);
    // A file that is not a table is refused with 422.
    let refused = upload(&mut office, "grades.csv", "用户名,年度\nli,2024\n".as_bytes()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_office_confirms_and_rejects_with_a_reason_and_a_stale_form_is_refused() {
    let app = TestApp::new().await;
    let dept = app.department("办公室").await;
    let wang = app.member("wang", "王芳", dept, &[(Role::Staff, None)]).await;
    let zhao = app.member("zhao", "赵磊", dept, &[(Role::Staff, None)]).await;
    final_year(&app, 2025, &[(wang, "excellent", 95.0), (zhao, "basically_competent", 64.0)]).await;
    refresh(&app).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let list = office.get("/feedback/proposals?year=2025").await;
    list.assert_contains("王芳");
    list.assert_contains("诫勉");
    let (commendation, version) = proposal_id(&app, wang, 2025, "commendation").await;
    let path = format!("/feedback/proposals/{commendation}/decide");
    let v = version.to_string();
    let no_reason = office.post(&path, &[("decision", "confirm"), ("reason", " "), ("version", &v)]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    no_reason.assert_contains("请写明理由");
    let confirmed =
        office.post(&path, &[("decision", "confirm"), ("reason", "经办公会研究同意"), ("version", &v)]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.body);
    // The same form again: the proposal moved on.
    let stale = office.post(&path, &[("decision", "reject"), ("reason", "重复提交"), ("version", &v)]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    stale.assert_contains("该建议已被他人处理或已变化");
    let (admonition, version) = proposal_id(&app, zhao, 2025, "admonition").await;
    let rejected = office
        .post(
            &format!("/feedback/proposals/{admonition}/decide"),
            &[("decision", "reject"), ("reason", "已另行谈话提醒"), ("version", &version.to_string())],
        )
        .await;
    assert_eq!(rejected.status, StatusCode::SEE_OTHER);
    assert_eq!(
        proposals(&app, wang).await.into_iter().chain(proposals(&app, zhao).await).collect::<Vec<_>>(),
        owned(&[(2025, "commendation", "confirmed"), (2025, "admonition", "rejected")])
    );
    let reason: String = sqlx::query_scalar("select reason from result_use_proposal where id = $1")
        .bind(admonition)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(reason, "已另行谈话提醒");
    assert_eq!(app.count("select count(*) from audit_log where action like 'result_use.confirmed'").await, 1);
    assert_eq!(app.count("select count(*) from audit_log where action like 'result_use.rejected'").await, 1);
    // The confirmed record shows on the person's page.
    office.get(&format!("/feedback/people/{wang}")).await.assert_contains("经办公会研究同意");
}

#[tokio::test]
async fn nobody_decides_a_proposal_about_themselves() {
    let app = TestApp::new().await;
    let dept = app.department("人事处").await;
    let perf = app.member("perf2", "绩效办同志", dept, &[(Role::PerformanceOffice, None)]).await;
    final_year(&app, 2025, &[(perf, "excellent", 96.0)]).await;
    refresh(&app).await;
    let (id, version) = proposal_id(&app, perf, 2025, "commendation").await;
    let mut own = app.login_as("perf2").await;
    own.get("/feedback/proposals").await.assert_contains("本人的建议");
    let refused = own
        .post(
            &format!("/feedback/proposals/{id}/decide"),
            &[("decision", "confirm"), ("reason", "同意"), ("version", &version.to_string())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // The database refuses it too.
    let direct = sqlx::query(
        "update result_use_proposal set status = 'confirmed', decided_by = person_id, decided_at = now(), reason = 'x'
         where id = $1",
    )
    .bind(id)
    .execute(&app.pool)
    .await;
    assert!(direct.unwrap_err().to_string().contains("result_use_proposal_four_eyes"));
}

#[tokio::test]
async fn a_corrected_grade_withdraws_proposals_and_flags_confirmed_ones() {
    let app = TestApp::new().await;
    let dept = app.department("办公室").await;
    let sun = app.member("sun", "孙倩", dept, &[(Role::Staff, None)]).await;
    let cycle_2024 = final_year(&app, 2024, &[(sun, "excellent", 92.0)]).await;
    let cycle_2025 = final_year(&app, 2025, &[(sun, "incompetent", 55.0)]).await;
    refresh(&app).await;
    assert_eq!(
        proposals(&app, sun).await,
        owned(&[(2024, "commendation", "proposed"), (2025, "demotion", "proposed")])
    );
    let (commendation, version) = proposal_id(&app, sun, 2024, "commendation").await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    office
        .post(
            &format!("/feedback/proposals/{commendation}/decide"),
            &[("decision", "confirm"), ("reason", "同意"), ("version", &version.to_string())],
        )
        .await;
    // A review corrects both years to 称职: the demotion is withdrawn, the
    // confirmed commendation flagged, and two counted years make a step.
    regrade(&app, cycle_2024, sun, "competent").await;
    regrade(&app, cycle_2025, sun, "competent").await;
    let mut conn = app.pool.acquire().await.unwrap();
    cppcc_perf::workflow::result_use::refresh_person(&mut conn, sun, app.today()).await.unwrap();
    drop(conn);
    assert_eq!(
        proposals(&app, sun).await,
        owned(&[
            (2024, "commendation", "confirmed"),
            (2025, "demotion", "withdrawn"),
            (2025, "salary_step", "proposed")
        ])
    );
    let flagged: bool = sqlx::query_scalar("select basis_changed from result_use_proposal where id = $1")
        .bind(commendation)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(flagged);
    office.get("/feedback/proposals?status=confirmed").await.assert_contains("依据已变化");
}

#[tokio::test]
async fn staff_read_only_their_own_record_and_heads_their_departments() {
    let app = TestApp::new().await;
    let dept = app.department("办公室").await;
    let other = app.department("研究室").await;
    let a = app.member("staff-a", "甲", dept, &[(Role::Staff, None)]).await;
    let b = app.member("staff-b", "乙", dept, &[(Role::Staff, None)]).await;
    final_year(&app, 2025, &[(a, "competent", 80.0), (b, "competent", 81.0)]).await;
    let mut staff = app.login_as("staff-a").await;
    assert_eq!(staff.get(&format!("/feedback/people/{a}")).await.status, StatusCode::OK);
    assert_eq!(staff.get(&format!("/feedback/people/{b}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(staff.get("/feedback/people/999999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(staff.get("/feedback/trends").await.status, StatusCode::FORBIDDEN);
    let mut head = app.signed_in_as("head-a", &[(Role::DepartmentHead, Some(dept))]).await;
    assert_eq!(head.get(&format!("/feedback/people/{b}")).await.status, StatusCode::OK);
    let trends = head.get("/feedback/trends").await;
    assert_eq!(trends.status, StatusCode::OK);
    trends.assert_contains("办公室");
    let mut other_head = app.signed_in_as("head-b", &[(Role::DepartmentHead, Some(other))]).await;
    assert_eq!(other_head.get(&format!("/feedback/people/{b}")).await.status, StatusCode::FORBIDDEN);
    let theirs = other_head.get("/feedback/trends").await;
    assert!(!theirs.body.contains("办公室</td>"), "a head reads the trends of their own departments");
}

#[tokio::test]
async fn the_proposals_export_holds_the_filtered_list_with_the_offices_decisions() {
    let app = TestApp::new().await;
    let dept = app.department("办公室").await;
    let wang = app.member("wang", "王芳", dept, &[(Role::Staff, None)]).await;
    let zhao = app.member("zhao", "赵磊", dept, &[(Role::Staff, None)]).await;
    let qian = app.member("qian", "钱诚", dept, &[(Role::Staff, None)]).await;
    final_year(&app, 2024, &[(qian, "excellent", 94.0)]).await;
    final_year(&app, 2025, &[(wang, "excellent", 95.0), (zhao, "basically_competent", 64.0)]).await;
    refresh(&app).await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let (commendation, version) = proposal_id(&app, wang, 2025, "commendation").await;
    let confirmed = office
        .post(
            &format!("/feedback/proposals/{commendation}/decide"),
            &[("decision", "confirm"), ("reason", "经办公会研究同意"), ("version", &version.to_string())],
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    let list = office.get("/feedback/proposals?year=2025&kind=&status=").await;
    list.assert_contains("href=\"/feedback/proposals.xlsx?year=2025\"");
    let download = office.get("/feedback/proposals.xlsx?year=2025").await;
    assert!(download.xlsx_protected(), "the office's decisions are a record");
    let sheet = download.xlsx();
    assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("结果运用建议 · 2025".into())));
    assert_eq!(sheet_row(&sheet, 2), ["人员", "处室", "年度", "建议事项", "状态", "理由", "决定人", "决定时间"]);
    assert_eq!(sheet.height(), 3 + list.body.matches("<tr id=\"proposal-").count());
    assert!(!sheet_mentions(&sheet, "钱诚"), "2024's proposal is filtered out");
    let row = sheet_row_of(&sheet, 0, "王芳");
    assert_eq!(sheet.get_value((row, 2)), Some(&Data::Float(2025.0)));
    assert_eq!(sheet.get_value((row, 4)), Some(&Data::String("已确认".into())));
    assert_eq!(sheet.get_value((row, 5)), Some(&Data::String("经办公会研究同意".into())));
    assert!(matches!(sheet.get_value((row, 7)), Some(Data::DateTime(_))), "the decision time stays a date");
    // Only the office.
    let mut staff = app.login_as("zhao").await;
    assert_eq!(staff.get("/feedback/proposals.xlsx").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_record_and_the_department_trends_export_as_their_readers_see_them() {
    let app = TestApp::new().await;
    let dept = app.department("办公室").await;
    let other = app.department("研究室").await;
    let a = app.member("staff-a", "甲", dept, &[(Role::Staff, None)]).await;
    let b = app.member("staff-b", "乙", dept, &[(Role::Staff, None)]).await;
    final_year(&app, 2025, &[(a, "competent", 80.0), (b, "competent", 81.0)]).await;
    let mut staff = app.login_as("staff-a").await;
    let page = staff.get(&format!("/feedback/people/{a}")).await;
    page.assert_contains(&format!("href=\"/feedback/people/{a}/record.xlsx\""));
    let download = staff.get("/feedback/my.xlsx").await;
    assert!(download.xlsx_protected(), "a person's record is a record");
    let sheet = download.xlsx();
    assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("考核档案 · 甲".into())));
    assert_eq!(
        sheet_row(&sheet, 2),
        ["年度", "等次", "得分", "是否计入", "连续优秀", "工资档次累计", "级别累计", "连续不称职", "当年应提建议"]
    );
    assert_eq!(sheet.height(), 3 + page.body.matches("<tr id=\"history-").count());
    let year = sheet_row_of(&sheet, 0, "2025");
    assert_eq!(sheet.get_value((year, 1)), Some(&Data::String("称职".into())));
    assert_eq!(sheet.get_value((year, 2)), Some(&Data::Float(80.0)));
    assert_eq!(sheet.get_value((year, 4)), Some(&Data::Float(0.0)));
    let same = staff.get(&format!("/feedback/people/{a}/record.xlsx")).await.xlsx();
    assert_eq!(sheet_row(&same, 3), sheet_row(&sheet, 3));
    assert_eq!(staff.get(&format!("/feedback/people/{b}/record.xlsx")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(staff.get("/feedback/trends.xlsx").await.status, StatusCode::FORBIDDEN);
    // Trends: a head's department only.
    let mut head = app.signed_in_as("head-a", &[(Role::DepartmentHead, Some(dept))]).await;
    let page = head.get("/feedback/trends").await;
    page.assert_contains("href=\"/feedback/trends.xlsx\"");
    let download = head.get("/feedback/trends.xlsx").await;
    assert!(download.xlsx_protected());
    let trends = download.xlsx();
    assert_eq!(
        sheet_row(&trends, 2),
        ["年度", "处室", "处室等次", "处室得分", "优秀", "称职", "基本称职", "不称职", "不定等次"]
    );
    let row = sheet_row_of(&trends, 1, "办公室");
    assert_eq!(trends.get_value((row, 0)), Some(&Data::Float(2025.0)));
    assert_eq!(trends.get_value((row, 5)), Some(&Data::Float(2.0)), "two staff graded 称职");
    let mut other_head = app.signed_in_as("head-b", &[(Role::DepartmentHead, Some(other))]).await;
    let theirs = other_head.get("/feedback/trends.xlsx").await.xlsx();
    assert!(!sheet_mentions(&theirs, "办公室"));
}

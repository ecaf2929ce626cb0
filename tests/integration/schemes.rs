//! Criteria schemes (考核方案) as the performance office keeps them: copying
//! last year's, editing with the errors beside their fields, versions that a
//! cycle freezes, the diff and the score preview.

use axum::http::StatusCode;
use cppcc_perf::db::assessment_schemes;
use cppcc_perf::domain::assessment::{CriterionSource, Scheme};
use cppcc_perf::domain::roles::Role;

use crate::support::{Client, Page, TestApp};

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// The fields a browser would send from the page's form `id`: inputs with
/// their values (ticked boxes only) and each select's chosen option.
fn form_fields(page: &Page, id: &str) -> Vec<(String, String)> {
    let start = page.body.find(&format!("id=\"{id}\"")).expect("the form");
    let form = &page.body[start..start + page.body[start..].find("</form>").unwrap()];
    let mut fields = Vec::new();
    let mut select: Option<String> = None;
    for tag in form.split('<') {
        if tag.starts_with("input ") {
            let (Some(name), value) = (attr(tag, "name"), attr(tag, "value")) else { continue };
            if name == "_csrf" {
                continue; // the client adds its own token
            }
            let checkbox = attr(tag, "type").as_deref() == Some("checkbox");
            if !checkbox {
                fields.push((name, value.unwrap_or_default()));
            } else if tag.contains(" checked") {
                fields.push((name, "on".into()));
            }
        } else if tag.starts_with("select ") {
            select = attr(tag, "name");
        } else if tag.starts_with("option ")
            && tag.contains(" selected")
            && let (Some(name), Some(value)) = (select.clone(), attr(tag, "value"))
        {
            fields.push((name, value));
        }
    }
    fields
}

/// Opens a version's editor and saves it with `changes` applied.
async fn edit(office: &mut Client, id: i64, changes: &[(&str, &str)]) -> Page {
    let page = office.get(&format!("/assess/schemes/{id}/edit")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let mut fields = form_fields(&page, "scheme-form");
    for (name, value) in changes {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value.to_string(),
            None => panic!("no field {name}"),
        }
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    office.post(&format!("/assess/schemes/{id}"), &fields).await
}

/// Copies last year's scheme of `target` into `year`: the new version's id.
async fn copy(office: &mut Client, year: i32, target: &str) -> i64 {
    let page = office.post("/assess/schemes/copy", &[("year", &year.to_string()), ("target", target)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location().rsplit('/').next().unwrap().parse().unwrap()
}

fn version_id(page: &Page) -> i64 {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location().rsplit('/').next().unwrap().parse().unwrap()
}

async fn stored(app: &TestApp, id: i64) -> Scheme {
    let value: serde_json::Value = sqlx::query_scalar("select scheme from assessment_scheme where id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    serde_json::from_value(value).unwrap()
}

#[tokio::test]
async fn copying_last_years_scheme_starts_the_year_from_its_newest_version() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    office.get("/").await.assert_contains("href=\"/assess/schemes\"");
    // 2025 has no year before it: the copy is the shipped default.
    let page = office.get("/assess/schemes?year=2025").await;
    page.assert_contains("以系统默认方案创建");
    let first = copy(&mut office, 2025, "staff").await;
    assert_eq!(stored(&app, first).await, Scheme::default_staff(2025));
    let second = version_id(&edit(&mut office, first, &[("bonus_cap", "6")]).await);

    let page = office.get("/assess/schemes?year=2026").await;
    page.assert_contains("复制上一年度方案");
    let copied = copy(&mut office, 2026, "staff").await;
    let scheme = stored(&app, copied).await;
    assert_eq!(scheme.year, 2026);
    assert_eq!(scheme.bonus_cap.to_string(), "6");
    assert_eq!(Scheme { year: 2025, ..scheme }, stored(&app, second).await);
    let page = office.get(&format!("/assess/schemes/{copied}")).await;
    page.assert_contains("2026 年度方案已创建（第 1 版）");
    page.assert_contains("目标完成");
    page.assert_contains("政治立场与理论学习");
    // A year that has a version is not copied over.
    let page = office.post("/assess/schemes/copy", &[("year", "2026"), ("target", "staff")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    office.get("/assess/schemes?year=2026").await.assert_contains("本年度该考核对象已有方案");
    assert_eq!(app.count("select count(*) from assessment_scheme where year = 2026").await, 1);
    assert_eq!(app.count("select count(*) from audit_log where action = 'assessment_scheme.copied'").await, 2);
}

#[tokio::test]
async fn a_weight_sum_off_one_comes_back_with_the_input_kept_and_the_error_beside_it() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let id = copy(&mut office, 2026, "staff").await;
    let page =
        edit(&mut office, id, &[("rater_groups.head.weight", "0.5"), ("dimensions.de.name_zh", "德（修订）")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    page.assert_contains("id=\"rater_groups.head.weight\" name=\"rater_groups.head.weight\" value=\"0.5\"");
    page.assert_contains("value=\"德（修订）\"");
    page.assert_contains("<p class=\"field-error wide\" id=\"rater_groups-error\">合计为 0.9，应为 1。</p>");
    // A number that does not parse is named beside its own field.
    let page = edit(&mut office, id, &[("levels.good", "八十五")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("id=\"levels.good-error\"");
    page.assert_contains("value=\"八十五\"");
    assert_eq!(app.count("select count(*) from assessment_scheme").await, 1);
}

#[tokio::test]
async fn an_edit_saves_a_new_version_and_never_changes_the_one_a_cycle_uses() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let first = copy(&mut office, 2026, "staff").await;
    let heads = copy(&mut office, 2026, "department_heads").await;
    let cycle: i64 = sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until, assessment_until, feedback_until)
         values ('2026 年度考核', 'annual', '2026-01-01', '2026-12-31', '2026-01-31', '2026-12-31', '2027-01-31', '2027-02-28') returning id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let mut conn = app.pool.acquire().await.unwrap();
    let linked = assessment_schemes::freeze_for_cycle(&mut conn, cycle, 2026).await.unwrap();
    assert_eq!(linked.len(), 2);
    assert!(linked.contains(&first) && linked.contains(&heads));

    let page = office.get(&format!("/assess/schemes/{first}/edit")).await;
    page.assert_contains("保存将形成新版本");
    let second = version_id(
        &edit(
            &mut office,
            first,
            &[
                ("dimensions.ji.criteria.target_completion.points", "20"),
                ("dimensions.ji.criteria.work_quality.points", "13"),
            ],
        )
        .await,
    );
    assert_ne!(second, first);
    assert_eq!(stored(&app, first).await, Scheme::default_staff(2026));
    let edited = stored(&app, second).await;
    assert_eq!(edited.criteria().find(|(_, c)| c.key == "target_completion").unwrap().1.points.to_string(), "20");
    let uses: i64 =
        sqlx::query_scalar("select scheme_id from cycle_scheme where cycle_id = $1 and target_group = 'staff'")
            .bind(cycle)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(uses, first);
    let page = office.get("/assess/schemes?year=2026").await;
    page.assert_contains("第 2 版");
    page.assert_contains("已锁定");
    page.assert_contains("2026 年度考核");
    // The database refuses to rewrite a stored version.
    let rewrite = sqlx::query("update assessment_scheme set scheme = scheme || '{\"bonus_cap\": \"9\"}' where id = $1")
        .bind(first)
        .execute(&app.pool)
        .await;
    assert!(rewrite.is_err());
    // Entering assessment again keeps the versions the cycle first took.
    assessment_schemes::freeze_for_cycle(&mut conn, cycle, 2026).await.unwrap();
    assert_eq!(
        app.count(&format!("select scheme_id from cycle_scheme where cycle_id = {cycle} and target_group = 'staff'"))
            .await,
        first
    );

    // A form read before version 2 was saved is stale: 409, the input kept.
    let page = office.get(&format!("/assess/schemes/{first}/edit")).await;
    let mut fields = form_fields(&page, "scheme-form");
    fields.iter_mut().find(|(n, _)| n == "head").unwrap().1 = "1".into();
    fields.iter_mut().find(|(n, _)| n == "bonus_cap").unwrap().1 = "4".into();
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let page = office.post(&format!("/assess/schemes/{first}"), &fields).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    page.assert_contains("id=\"conflict\"");
    page.assert_contains("id=\"bonus_cap\" name=\"bonus_cap\" value=\"4\"");
    assert_eq!(app.count("select count(*) from assessment_scheme where target_group = 'staff'").await, 2);
    let changes: serde_json::Value = sqlx::query_scalar(
        "select summary->'changes' from audit_log where action = 'assessment_scheme.saved' and object_id = $1",
    )
    .bind(second.to_string())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(changes.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_diff_names_each_change_by_its_label() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let first = copy(&mut office, 2026, "staff").await;
    let second =
        version_id(&edit(&mut office, first, &[("bonus_cap", "6"), ("quarter_quota.rounding", "half_up")]).await);
    let page = office.get(&format!("/assess/schemes/{second}/diff")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("第 1 版 → 2026 · 工作人员 · 第 2 版");
    page.assert_contains("<tr data-path=\"bonus_cap\">\n      <td>加分上限</td>\n      <td>5</td>\n      <td>6</td>");
    page.assert_contains("四舍五入");
    // Nothing to compare the first version with.
    office.get(&format!("/assess/schemes/{first}/diff")).await.assert_contains("id=\"no-comparison\"");
    let page = office.get(&format!("/assess/schemes/{first}/diff?against={second}")).await;
    page.assert_contains("<td>6</td>\n      <td>5</td>");
}

/// 王芳 of 研究室 and the 2026 third quarter (in planning): whom and when a preview computes.
async fn preview_subject(app: &TestApp) -> (i64, i64, i64) {
    let department = app.department("研究室").await;
    let person = app.member("wangfang", "王芳", department, &[(Role::Staff, None)]).await;
    let cycle: i64 = sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until, assessment_until, feedback_until)
         values ('2026 年第三季度', 'quarterly', '2026-07-01', '2026-09-30', '2026-07-15', '2026-09-30', '2026-10-15', '2026-10-31') returning id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    (department, person, cycle)
}

#[tokio::test]
async fn the_preview_shows_a_persons_breakdown_with_ballots_not_yet_cast() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let id = copy(&mut office, 2026, "staff").await;
    let (_, person, cycle) = preview_subject(&app).await;
    let item: i64 = sqlx::query_scalar(
        "insert into ledger_item (code, text, points, cap) values ('award', '表彰', 7, 10) returning id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into ledger_record (item_id, person_id, occurred_on, reason, status) values ($1, $2, '2026-08-01', '表彰', 'accepted')",
    )
    .bind(item)
    .bind(person)
    .execute(&app.pool)
    .await
    .unwrap();
    let page = office.get(&format!("/assess/schemes/{id}/preview")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("请选择人员和考核周期");
    let page = office.get(&format!("/assess/schemes/{id}/preview?person={person}&cycle={cycle}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("id=\"breakdown\"");
    // The bonus of 7 counts up to the cap of 5; no ballot is cast, nothing is verified;
    // no discipline record is in force, so 廉 gives its full 10 points: 15.
    page.assert_contains("<td class=\"num\" id=\"bonus-counted\">+5</td>");
    page.assert_contains("未评价");
    page.assert_contains("id=\"renormalised\"");
    page.assert_contains("<strong>15</strong> · 较差");
}

#[tokio::test]
async fn only_the_performance_office_keeps_the_schemes() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let id = copy(&mut office, 2026, "staff").await;
    for role in [Role::Staff, Role::AssessmentCommittee, Role::SystemAdmin, Role::DepartmentHead] {
        let mut other = app.signed_in(role).await;
        assert!(!other.get("/").await.body.contains("href=\"/assess/schemes\""));
        assert_eq!(other.get("/assess/schemes").await.status, StatusCode::FORBIDDEN);
        assert_eq!(other.get(&format!("/assess/schemes/{id}")).await.status, StatusCode::FORBIDDEN);
        let page = other.post("/assess/schemes/copy", &[("year", "2027"), ("target", "staff")]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        let page = other.post(&format!("/assess/schemes/{id}"), &[("head", "1"), ("bonus_cap", "9")]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.count("select count(*) from assessment_scheme").await, 1);
}

#[tokio::test]
async fn a_criterion_scored_by_supervision_punctuality_counts_the_items_done_by_their_due_day() {
    let app = TestApp::new().await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let id = copy(&mut office, 2026, "staff").await;
    let source = "dimensions.ji.criteria.work_efficiency.source";
    let page = edit(&mut office, id, &[(source, "guesswork")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains(&format!("id=\"{source}-error\""));
    let id = version_id(&edit(&mut office, id, &[(source, "supervision")]).await);
    let criterion = stored(&app, id).await.criteria().map(|(_, c)| c.clone()).find(|c| c.key == "work_efficiency");
    assert_eq!(criterion.map(|c| c.source), Some(CriterionSource::Supervision));

    let (department, person, cycle) = preview_subject(&app).await;
    // Two items due in the quarter: one reported done on its due day, one two days late;
    // a third falls due after the quarter and does not count.
    for (due, done) in
        [("2026-08-14", "2026-08-14 17:00+08"), ("2026-09-10", "2026-09-12 09:00+08"), ("2026-10-20", "")]
    {
        let item: i64 = sqlx::query_scalar(
            "insert into supervision_item (title, source, department_id, assignee_id, opened_by, due_date)
             values ('督办事项', 'meeting_decision', $1, $2, $2, $3::date) returning id",
        )
        .bind(department)
        .bind(person)
        .bind(due)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        if !done.is_empty() {
            sqlx::query(
                "insert into supervision_event (item_id, at, to_status) values ($1, $2::timestamptz, 'done_reported')",
            )
            .bind(item)
            .bind(done)
            .execute(&app.pool)
            .await
            .unwrap();
        }
    }
    let page = office.get(&format!("/assess/schemes/{id}/preview?person={person}&cycle={cycle}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // One of two on time: 50 % of 7 points = 3.5; with 廉's full 10 points, 13.5.
    page.assert_contains(">3.5<");
    page.assert_contains("<strong>13.5</strong>");
}

//! Members' satisfaction surveys by one-time links: creating a survey with a
//! link per member, the printable list and the SMS export, answering once
//! without an account, expiry, closing, validation, anonymity, the minimum
//! number of answers before results show, the index and rate, the public
//! page's rate limit, and the counts the department scorecard reads.

use axum::http::StatusCode;
use calamine::Data;
use chrono::Duration;
use cppcc_perf::db::surveys;
use cppcc_perf::domain::roles::Role;
use cppcc_perf::domain::satisfaction::Tally;

use crate::support::{Client, TestApp, sheet_mentions, sheet_row, sheet_row_of};

/// A member of the committee (not an account), with a mobile number.
async fn member(app: &TestApp, name: &str, sector: &str) -> i64 {
    sqlx::query_scalar(
        "insert into member (full_name, sector, term, mobile) values ($1, $2, '第十五届', '13800000000') returning id",
    )
    .bind(name)
    .bind(sector)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

/// Creates a survey through the form, as the performance office, about
/// `departments`; answers its id.
async fn create_survey(
    office: &mut Client,
    title: &str,
    year: &str,
    departments: &[i64],
    expires_on: &str,
    extra: &[(&str, &str)],
) -> i64 {
    let ids: Vec<String> = departments.iter().map(|d| d.to_string()).collect();
    let mut fields = vec![("title", title), ("year", year), ("kind", "year_end"), ("expires_on", expires_on)];
    fields.extend(ids.iter().map(|d| ("department", d.as_str())));
    fields.extend_from_slice(extra);
    let page = office.post("/assess/surveys", &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location().rsplit('/').next().unwrap().parse().unwrap()
}

async fn tokens(app: &TestApp, survey: i64) -> Vec<String> {
    sqlx::query_scalar("select token from survey_link where survey_id = $1 order by id")
        .bind(survey)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

async fn items(app: &TestApp, survey: i64) -> Vec<i64> {
    sqlx::query_scalar("select id from survey_item where survey_id = $1 order by position")
        .bind(survey)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

/// A visitor (no account) who opened the link, so holds the page's form token.
async fn visitor(app: &TestApp, token: &str) -> Client {
    let mut client = app.client();
    let page = client.get(&format!("/s/{token}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    client
}

/// Posts one answer sheet: `answers` per item in order, and a comment.
async fn answer(
    client: &mut Client,
    token: &str,
    items: &[i64],
    answers: &[&str],
    comment: &str,
) -> crate::support::Page {
    let names: Vec<String> = items.iter().map(|i| format!("item-{i}")).collect();
    let mut fields: Vec<(&str, &str)> = names.iter().map(String::as_str).zip(answers.iter().copied()).collect();
    fields.push(("comment", comment));
    client.post(&format!("/s/{token}"), &fields).await
}

/// An office with two departments and `members` members, a performance office
/// signed in, and a survey about both departments to every member.
async fn office_with_survey(app: &TestApp, members: usize) -> (Client, i64, Vec<i64>) {
    let a = app.department("办公室").await;
    let b = app.department("研究室").await;
    for n in 0..members {
        member(app, &format!("委员{n}"), "经济界").await;
    }
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let survey = create_survey(&mut office, "2026年度委员满意度测评", "2026", &[a, b], "2026-12-10", &[]).await;
    (office, survey, vec![a, b])
}

async fn answer_rows(app: &TestApp) -> i64 {
    app.count("select count(*) from survey_answer").await
}

#[tokio::test]
async fn the_office_creates_a_survey_with_one_unguessable_link_per_member_and_prints_them() {
    let app = TestApp::new().await;
    let (mut office, survey, _) = office_with_survey(&app, 3).await;
    let tokens = tokens(&app, survey).await;
    assert_eq!(tokens.len(), 3);
    assert!(tokens.iter().all(|t| t.len() == 43), "{tokens:?}");
    assert_ne!(tokens[0], tokens[1]);
    assert_eq!(app.count("select count(*) from audit_log where action = 'survey.created'").await, 1);

    let page = office.get(&format!("/assess/surveys/{survey}/links")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("<svg class=\"qr\"");
    page.assert_contains(&format!("/s/{}", tokens[0]));
    page.assert_contains("委员0");
    page.assert_contains("经济界");
    assert!(!page.body.contains("<?xml") && !page.body.contains("style=\""));

    let csv = office.get(&format!("/assess/surveys/{survey}/links.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(csv.header("content-disposition").starts_with("attachment"));
    csv.assert_contains("13800000000");
    csv.assert_contains(&format!("/s/{}", tokens[2]));
    csv.assert_contains("2026-12-10");

    let list = office.get("/assess/surveys").await;
    list.assert_contains("2026年度委员满意度测评");
    list.assert_contains("0 / 3");
}

#[tokio::test]
async fn links_use_the_configured_public_address() {
    let app = TestApp::with_config(|c| c.public_url = Some("https://zx.example.org/".into())).await;
    let (mut office, survey, _) = office_with_survey(&app, 1).await;
    let token = &tokens(&app, survey).await[0];
    let page = office.get(&format!("/assess/surveys/{survey}/links")).await;
    page.assert_contains(&format!("https://zx.example.org/s/{token}"));
}

#[tokio::test]
async fn the_form_filters_members_and_keeps_its_input_when_wrong() {
    let app = TestApp::new().await;
    let department = app.department("办公室").await;
    member(&app, "甲委员", "经济界").await;
    member(&app, "乙委员", "教育界").await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    office.get("/assess/surveys/new").await.assert_contains("教育界");
    let page = office
        .post(
            "/assess/surveys",
            &[("title", "教育界测评"), ("year", "2026"), ("kind", "year_end"), ("expires_on", "2026-12-10")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("教育界测评");
    let page = office
        .post(
            "/assess/surveys",
            &[
                ("title", "过期"),
                ("year", "2026"),
                ("kind", "year_end"),
                ("expires_on", "2026-01-10"),
                ("department", "999999"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let survey =
        create_survey(&mut office, "教育界测评", "2026", &[department], "2026-12-10", &[("sector", "教育界")]).await;
    assert_eq!(tokens(&app, survey).await.len(), 1);
    assert_eq!(app.count("select count(*) from survey").await, 1);
}

#[tokio::test]
async fn a_link_answers_once_and_a_second_answer_records_nothing() {
    let app = TestApp::new().await;
    let (_, survey, _) = office_with_survey(&app, 2).await;
    let token = tokens(&app, survey).await.remove(0);
    let items = items(&app, survey).await;
    let mut member = visitor(&app, &token).await;
    let form = member.get(&format!("/s/{token}")).await;
    form.assert_contains("办公室");
    form.assert_contains("基本满意");
    form.assert_contains("lang=\"zh-CN\"");
    assert!(!form.body.contains("<script>"));

    let page = answer(&mut member, &token, &items, &["satisfied", "not_known"], "").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("answer-thanks");
    assert_eq!(answer_rows(&app).await, 2);
    let used: Option<chrono::NaiveDate> = sqlx::query_scalar("select used_on from survey_link where token = $1")
        .bind(&token)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(used, Some(app.today()));

    let again = answer(&mut member, &token, &items, &["dissatisfied", "dissatisfied"], "再来一次").await;
    assert_eq!(again.status, StatusCode::GONE);
    again.assert_contains("survey-link-used");
    assert_eq!(answer_rows(&app).await, 2);
    assert_eq!(app.count("select count(*) from survey_comment").await, 0);
    assert_eq!(app.client().get(&format!("/s/{token}")).await.status, StatusCode::GONE);
}

#[tokio::test]
async fn an_expired_link_is_refused_and_records_nothing() {
    let app = TestApp::new().await;
    let department = app.department("办公室").await;
    member(&app, "甲委员", "经济界").await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let today = app.today().to_string();
    let survey = create_survey(&mut office, "当日测评", "2026", &[department], &today, &[]).await;
    let token = tokens(&app, survey).await.remove(0);
    let items = items(&app, survey).await;
    let mut member = visitor(&app, &token).await;
    // The last day is still good; the next is not.
    app.clock.advance(Duration::days(1));
    let page = answer(&mut member, &token, &items, &["satisfied"], "").await;
    assert_eq!(page.status, StatusCode::GONE);
    page.assert_contains("survey-link-expired");
    assert_eq!(member.get(&format!("/s/{token}")).await.status, StatusCode::GONE);
    assert_eq!(answer_rows(&app).await, 0);
    assert_eq!(app.count("select count(*) from survey_link where used_on is not null").await, 0);
    assert_eq!(app.count("select count(*) from audit_log where action = 'survey.answered'").await, 0);
}

#[tokio::test]
async fn an_unknown_link_is_not_found_and_records_nothing() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let page = client.get("/s/not-a-real-token-at-all").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    page.assert_contains("survey-link-unknown");
    let page = client.post("/s/not-a-real-token-at-all", &[("item-1", "satisfied")]).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(answer_rows(&app).await, 0);
    assert_eq!(app.count("select count(*) from audit_log where action = 'survey.answered'").await, 0);
}

#[tokio::test]
async fn a_closed_survey_takes_no_more_answers() {
    let app = TestApp::new().await;
    let (mut office, survey, _) = office_with_survey(&app, 2).await;
    let token = tokens(&app, survey).await.remove(0);
    let items = items(&app, survey).await;
    let mut member = visitor(&app, &token).await;
    let page = office.post(&format!("/assess/surveys/{survey}/close"), &[("version", "1")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from survey where status = 'closed'").await, 1);
    let page = answer(&mut member, &token, &items, &["satisfied", "satisfied"], "").await;
    assert_eq!(page.status, StatusCode::GONE);
    page.assert_contains("survey-link-closed");
    assert_eq!(answer_rows(&app).await, 0);
    // A stale close changes nothing and says so.
    let page = office.post(&format!("/assess/surveys/{survey}/close"), &[("version", "1")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from audit_log where action = 'survey.closed'").await, 1);
}

#[tokio::test]
async fn an_incomplete_sheet_comes_back_with_its_answers_and_records_nothing() {
    let app = TestApp::new().await;
    let (_, survey, _) = office_with_survey(&app, 1).await;
    let token = tokens(&app, survey).await.remove(0);
    let items = items(&app, survey).await;
    let mut member = visitor(&app, &token).await;
    let first = format!("item-{}", items[0]);
    let page = member
        .post(&format!("/s/{token}"), &[(first.as_str(), "basically_satisfied"), ("comment", "材料再早些")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("value=\"basically_satisfied\" checked");
    page.assert_contains("材料再早些");
    page.assert_contains(&format!("item-{}-error", items[1]));
    assert_eq!(answer_rows(&app).await, 0);
    assert_eq!(app.count("select count(*) from survey_link where used_on is not null").await, 0);
    // The link still works.
    let page = answer(&mut member, &token, &items, &["basically_satisfied", "satisfied"], "材料再早些").await;
    assert_eq!(page.status, StatusCode::OK);
}

#[tokio::test]
async fn nothing_ties_an_answer_to_its_member_or_link() {
    let app = TestApp::new().await;
    let department = app.department("办公室").await;
    // Distinctive ids, so that a search for them cannot match by chance.
    let member_id: i64 = sqlx::query_scalar(
        "insert into member (id, full_name, sector, term) overriding system value
         values (987654, '独特委员名', '经济界', '第十五届') returning id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query("select setval(pg_get_serial_sequence('survey_link', 'id'), 555000)").execute(&app.pool).await.unwrap();
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let survey = create_survey(&mut office, "匿名测评", "2026", &[department], "2026-12-10", &[]).await;
    let token = tokens(&app, survey).await.remove(0);
    let link_id: i64 = sqlx::query_scalar("select id from survey_link where token = $1")
        .bind(&token)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(link_id, 555001);
    let items = items(&app, survey).await;
    let mut member = visitor(&app, &token).await;
    let page = answer(&mut member, &token, &items, &["dissatisfied"], "会议通知太晚").await;
    assert_eq!(page.status, StatusCode::OK);

    let rows: Vec<String> = sqlx::query_scalar(
        "select to_jsonb(a)::text from survey_answer a
         union all select to_jsonb(c)::text from survey_comment c
         union all select to_jsonb(l)::text from audit_log l where l.action <> 'survey.created'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(rows.len() >= 3, "{rows:?}");
    for row in &rows {
        for secret in [token.as_str(), &link_id.to_string(), &member_id.to_string(), "独特委员名"] {
            assert!(!row.contains(secret), "{secret} found in {row}");
        }
    }
    // The answer rows hold a random key, the item and the answer: no time, no link.
    let columns: Vec<String> = sqlx::query_scalar(
        "select column_name::text from information_schema.columns
         where table_name in ('survey_answer', 'survey_comment') order by table_name, ordinal_position",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(columns, ["id", "survey_item_id", "answer", "id", "survey_id", "body"]);
    let audit: (Option<i64>, String, String, String) =
        sqlx::query_as("select actor_id, ip, request_id, object_id from audit_log where action = 'survey.answered'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(audit, (None, String::new(), String::new(), survey.to_string()));
}

#[tokio::test]
async fn results_and_comments_show_from_three_answers_on() {
    let app = TestApp::new().await;
    let (mut office, survey, _) = office_with_survey(&app, 3).await;
    let tokens = tokens(&app, survey).await;
    let items = items(&app, survey).await;
    for token in &tokens[..2] {
        let mut member = visitor(&app, token).await;
        answer(&mut member, token, &items, &["satisfied", "satisfied"], "很好").await;
    }
    let page = office.get(&format!("/assess/surveys/{survey}")).await;
    page.assert_contains("暂不显示：有效答卷少于 3 份");
    page.assert_contains("comments-withheld");
    assert!(!page.body.contains("很好"));
    assert!(!page.body.contains("survey-index\">100"));

    let mut member = visitor(&app, &tokens[2]).await;
    answer(&mut member, &tokens[2], &items, &["satisfied", "not_known"], "").await;
    let page = office.get(&format!("/assess/surveys/{survey}")).await;
    assert!(!page.body.contains("暂不显示"), "{}", page.body);
    page.assert_contains("survey-index\">100<");
    page.assert_contains("survey-comments");
    page.assert_contains("很好");
}

#[tokio::test]
async fn index_and_rate_follow_the_formula_and_a_head_sees_their_own_department() {
    let app = TestApp::new().await;
    let (mut office, survey, departments) = office_with_survey(&app, 4).await;
    let tokens = tokens(&app, survey).await;
    let items = items(&app, survey).await;
    // 办公室: 2 satisfied, 1 basically, 1 don't know: index (200 + 60) ÷ 3, rate 3 ÷ 4.
    for (token, first) in tokens.iter().zip(["satisfied", "satisfied", "basically_satisfied", "not_known"]) {
        let mut member = visitor(&app, token).await;
        let page = answer(&mut member, token, &items, &[first, "dissatisfied"], "").await;
        assert_eq!(page.status, StatusCode::OK);
    }
    let page = office.get(&format!("/assess/surveys/{survey}")).await;
    page.assert_contains("survey-index\">86.67<");
    page.assert_contains("survey-rate\">75%<");
    page.assert_contains("survey-index\">0<");
    page.assert_contains("survey-rate\">0%<");

    let mut head = app.signed_in_as("head", &[(Role::DepartmentHead, Some(departments[1]))]).await;
    let page = head.get(&format!("/assess/surveys/{survey}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("研究室");
    assert!(!page.body.contains("86.67"));
    assert!(!page.body.contains(">办公室<"));
    let mut staff = app.signed_in(Role::Staff).await;
    assert_eq!(staff.get(&format!("/assess/surveys/{survey}")).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_answer_page_is_rate_limited_by_client_address() {
    let app = TestApp::new().await;
    sqlx::query(
        "insert into office_setting (year, settings) values (2026, '{\"survey_rate_limit\": 10, \"survey_rate_window_minutes\": 5}')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let mut client = app.client();
    for _ in 0..10 {
        assert_eq!(client.get("/s/guessing").await.status, StatusCode::NOT_FOUND);
    }
    let page = client.get("/s/guessing").await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    page.assert_contains("survey-too-many");
    // Another address is not held; the first is free again once the window ends.
    let mut other = app.client();
    other.ip = [10, 0, 0, 9];
    assert_eq!(other.get("/s/guessing").await.status, StatusCode::NOT_FOUND);
    app.clock.advance(Duration::minutes(5));
    assert_eq!(client.get("/s/guessing").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn department_tallies_add_up_a_year_s_surveys() {
    let app = TestApp::new().await;
    let (mut office, survey, departments) = office_with_survey(&app, 2).await;
    let later = create_survey(&mut office, "补充测评", "2026", &departments[..1], "2026-12-10", &[]).await;
    let earlier = create_survey(&mut office, "2025年度测评", "2025", &departments[..1], "2026-12-10", &[]).await;
    for (survey, answers) in [
        (survey, vec![["satisfied", "dissatisfied"], ["basically_satisfied", "not_known"]]),
        (later, vec![["dissatisfied", ""], ["satisfied", ""]]),
        (earlier, vec![["not_known", ""], ["not_known", ""]]),
    ] {
        let items = items(&app, survey).await;
        for (token, sheet) in tokens(&app, survey).await.iter().zip(answers) {
            let mut member = visitor(&app, token).await;
            let page = answer(&mut member, token, &items, &sheet[..items.len()], "").await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        }
    }
    let mut conn = app.pool.acquire().await.unwrap();
    let tallies = surveys::department_tallies(&mut conn, 2026).await.unwrap();
    let office_tally = Tally { satisfied: 2, basically_satisfied: 1, dissatisfied: 1, not_known: 0 };
    let research_tally = Tally { satisfied: 0, basically_satisfied: 0, dissatisfied: 1, not_known: 1 };
    assert_eq!(tallies, [(departments[0], office_tally), (departments[1], research_tally)]);
    let traced = surveys::department_survey_tallies(&mut conn, departments[0], 2026).await.unwrap();
    assert_eq!(traced.len(), 2);
    assert_eq!(traced[0].0, survey);
    assert_eq!(traced[1].1, "补充测评");
    assert_eq!(traced[0].2.merged(traced[1].2), office_tally);
    let last_year = surveys::department_tallies(&mut conn, 2025).await.unwrap();
    assert_eq!(last_year, [(departments[0], Tally { not_known: 2, ..Default::default() })]);
}

#[tokio::test]
async fn an_event_survey_counts_for_the_event_s_owner_department() {
    let app = TestApp::new().await;
    let owner = app.department("经济委员会办公室").await;
    member(&app, "甲委员", "经济界").await;
    member(&app, "乙委员", "经济界").await;
    let mut office = app.signed_in(Role::PerformanceOffice).await;
    let creator: i64 = sqlx::query_scalar("select id from person limit 1").fetch_one(&app.pool).await.unwrap();
    let event: i64 = sqlx::query_scalar(
        "insert into event (kind, title, starts_on, ends_on, department_id, status, held_on, created_by)
         values ('research', '民营经济发展专题调研', '2026-09-10', '2026-09-11', $1, 'held', '2026-09-11', $2)
         returning id",
    )
    .bind(owner)
    .bind(creator)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    office.get("/assess/surveys/new").await.assert_contains("民营经济发展专题调研");
    let event_id = event.to_string();
    let page = office
        .post(
            "/assess/surveys",
            &[
                ("title", "专题调研满意度"),
                ("year", "2026"),
                ("kind", "event"),
                ("event_id", &event_id),
                ("expires_on", "2026-12-10"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let survey: i64 = page.location().rsplit('/').next().unwrap().parse().unwrap();
    let items = items(&app, survey).await;
    assert_eq!(items.len(), 1);
    for token in tokens(&app, survey).await {
        let mut member = visitor(&app, &token).await;
        member.get(&format!("/s/{token}")).await.assert_contains("民营经济发展专题调研");
        answer(&mut member, &token, &items, &["basically_satisfied"], "").await;
    }
    let mut conn = app.pool.acquire().await.unwrap();
    let tallies = surveys::department_tallies(&mut conn, 2026).await.unwrap();
    assert_eq!(tallies, [(owner, Tally { basically_satisfied: 2, ..Default::default() })]);
    // An event the form did not offer is refused.
    let page = office
        .post(
            "/assess/surveys",
            &[
                ("title", "错误"),
                ("year", "2026"),
                ("kind", "event"),
                ("event_id", "999999"),
                ("expires_on", "2026-12-10"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_satisfaction_summary_exports_counts_index_and_rate_per_department_as_a_record() {
    let app = TestApp::new().await;
    let (mut office, survey, departments) = office_with_survey(&app, 4).await;
    let tokens = tokens(&app, survey).await;
    let items = items(&app, survey).await;
    let path = format!("/assess/surveys/{survey}/results.xlsx");
    // Two answers: both rows withheld, and the file says so.
    for token in &tokens[..2] {
        let mut member = visitor(&app, token).await;
        answer(&mut member, token, &items, &["satisfied", "dissatisfied"], "").await;
    }
    let withheld = office.get(&path).await.xlsx();
    assert_eq!(withheld.get_value((3, 1)), Some(&Data::String("暂不显示：有效答卷少于 3 份".into())));
    // 办公室: 2 satisfied, 1 basically, 1 don't know: index (200 + 60) ÷ 3, rate 3 ÷ 4.
    for (token, first) in tokens[2..].iter().zip(["basically_satisfied", "not_known"]) {
        let mut member = visitor(&app, token).await;
        answer(&mut member, token, &items, &[first, "dissatisfied"], "").await;
    }
    let page = office.get(&format!("/assess/surveys/{survey}")).await;
    page.assert_contains(&format!("href=\"{path}\""));
    let download = office.get(&path).await;
    assert!(download.xlsx_protected(), "a survey's results are a record");
    let sheet = download.xlsx();
    assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("满意度测评汇总表 · 2026年度委员满意度测评 · 2026".into())));
    assert_eq!(
        sheet_row(&sheet, 2),
        ["评价项目", "满意", "基本满意", "不满意", "不了解", "有效答卷", "满意度指数", "满意率"]
    );
    assert_eq!(sheet.height(), 3 + page.body.matches("class=\"survey-row\"").count());
    let row = sheet_row_of(&sheet, 0, "办公室");
    let numbers: Vec<&Data> = (1..6).map(|c| sheet.get_value((row, c)).unwrap()).collect();
    assert_eq!(
        numbers,
        [&Data::Float(2.0), &Data::Float(1.0), &Data::Float(0.0), &Data::Float(1.0), &Data::Float(4.0)]
    );
    assert!(matches!(sheet.get_value((row, 6)), Some(Data::Float(index)) if (index - 86.6667).abs() < 0.001));
    assert_eq!(sheet.get_value((row, 7)), Some(&Data::Float(0.75)), "the rate is a share, shown as a percentage");
    // A head's file holds their own department's row only; staff read no results.
    let mut head = app.signed_in_as("head", &[(Role::DepartmentHead, Some(departments[1]))]).await;
    let own = head.get(&path).await.xlsx();
    assert_eq!(own.height(), 4);
    assert!(sheet_mentions(&own, "研究室") && !sheet_mentions(&own, "办公室"));
    let mut staff = app.signed_in(Role::Staff).await;
    assert_eq!(staff.get(&path).await.status, StatusCode::FORBIDDEN);
}

//! Score pages of a cycle (/assess/cycles/{id}/scores and
//! /assess/cycles/{id}/people/{person}): an annual cycle's breakdown of a
//! person, term by term, the distribution of each unit's grades against
//! its quota beside the rankings, and the page's Excel exports.

use axum::http::StatusCode;
use calamine::Data;
use cppcc_perf::domain::assessment::Scheme;
use cppcc_perf::domain::roles::Role;

use crate::support::{Client, TestApp, sheet_mentions, sheet_row, sheet_row_of};

struct Year {
    annual: i64,
    quarter: i64,
    a: i64,
    b: i64,
}

/// 研究室 (a head and three staff) with the 2026 annual cycle and its third
/// quarter, both in the assessment stage, and a colleague of another
/// department.
async fn year(app: &TestApp) -> Year {
    let d = app.department("研究室").await;
    let other = app.department("办公室").await;
    app.member("li.head", "李处长", d, &[(Role::Staff, None), (Role::DepartmentHead, Some(d))]).await;
    let a = app.member("wang.a", "王甲", d, &[(Role::Staff, None)]).await;
    let b = app.member("zhao.b", "赵乙", d, &[(Role::Staff, None)]).await;
    app.member("sun.c", "孙丙", d, &[(Role::Staff, None)]).await;
    app.member("qian.d", "钱丁", other, &[(Role::Staff, None)]).await;
    let annual = app.cycle_in_assessment("2026年度考核", "annual", "2026-01-01", "2026-12-31").await;
    let quarter = app.cycle_in_assessment("2026年第三季度平时考核", "quarterly", "2026-07-01", "2026-09-30").await;
    sqlx::query("update cycle set annual_cycle_id = $1 where id = $2")
        .bind(annual)
        .bind(quarter)
        .execute(&app.pool)
        .await
        .unwrap();
    Year { annual, quarter, a, b }
}

/// Every ballot criterion of the staff scheme at one level.
fn ballot(level: &'static str) -> Vec<(String, String)> {
    Scheme::default_staff(2026).ballot_criteria().map(|c| (c.key.clone(), level.to_string())).collect()
}

async fn cast(client: &mut Client, path: &str, fields: &[(String, String)]) -> StatusCode {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    client.post(path, &refs).await.status
}

#[tokio::test]
async fn an_annual_breakdown_shows_every_term_of_the_formula_with_the_quarters_and_the_withheld_group() {
    let app = TestApp::new().await;
    let y = year(&app).await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.post(&format!("/cycles/{}/rating-tasks", y.quarter), &[]).await;
    perf.post(&format!("/cycles/{}/rating-tasks", y.annual), &[]).await;
    let mut head = app.login_as("li.head").await;
    let status = cast(&mut head, &format!("/assess/ballots/{}/{}/head", y.quarter, y.a), &ballot("excellent")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // One year-end democratic ballot: below the minimum of three, withheld.
    let mut b = app.login_as("zhao.b").await;
    let status = cast(&mut b, &format!("/assess/ballots/{}/{}/democratic", y.annual, y.a), &ballot("good")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let path = format!("/assess/cycles/{}/people/{}", y.annual, y.a);
    let page = perf.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("年度考核得分明细 · 王甲");
    // The quarter with its score and grade, linking to that quarter's breakdown.
    page.assert_contains(&format!("href=\"/assess/cycles/{}/people/{}\"", y.quarter, y.a));
    page.assert_contains("2026年第三季度平时考核");
    // The three parts: the quarterly mean counts, the withheld democratic group and the
    // missing leaders' evaluation leave the formula and the share is rescaled to 1.
    page.assert_contains("平时考核平均分");
    page.assert_contains("领导评鉴");
    page.assert_contains("票数不足，不公开、不计入");
    page.assert_contains("无数值，不计入");
    page.assert_contains("id=\"annual-renormalised\"");
    page.assert_contains("精确合计");
    page.assert_contains("四舍五入 · 保留 2 位小数");
    // The gates with their effect, and the grade after the quota: the one quarter
    // assessed is not 好 (no target completion, no democratic ballot), so no 优秀.
    page.assert_contains("平时考核“好”的季度不足一半");
    page.assert_contains("不得确定为优秀");
    page.assert_contains("按名额确定的等次");
    // The head is ranked among the office's leading cadres: 研究室's three staff remain.
    page.assert_contains("名额基数 3 人");

    // The committee reads it too; the quarter's page it links to opens.
    app.person("zhou.committee", "周委员", &[(Role::AssessmentCommittee, None)]).await;
    let mut committee = app.login_as("zhou.committee").await;
    assert_eq!(committee.get(&path).await.status, StatusCode::OK);
    let quarter = committee.get(&format!("/assess/cycles/{}/people/{}", y.quarter, y.a)).await;
    assert_eq!(quarter.status, StatusCode::OK);
    quarter.assert_contains("id=\"score-criteria\"");
    // Once decided, the frozen score and grade are named above the computation.
    let decided = committee.post(&format!("/assess/cycles/{}/decide", y.annual), &[]).await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    committee.get(&path).await.assert_contains("id=\"score-decided\"");
}

#[tokio::test]
async fn an_annual_breakdown_is_read_as_a_quarterly_one_and_only_for_a_participant() {
    let app = TestApp::new().await;
    let y = year(&app).await;
    let path = format!("/assess/cycles/{}/people/{}", y.annual, y.a);
    // The person themselves and their head read it; a colleague does not.
    assert_eq!(app.login_as("wang.a").await.get(&path).await.status, StatusCode::OK);
    assert_eq!(app.login_as("li.head").await.get(&path).await.status, StatusCode::OK);
    let mut colleague = app.login_as("zhao.b").await;
    assert_eq!(colleague.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        colleague.get(&format!("/assess/cycles/{}/people/{}", y.quarter, y.a)).await.status,
        StatusCode::FORBIDDEN
    );
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    assert_eq!(perf.get(&format!("/assess/cycles/{}/people/999999", y.annual)).await.status, StatusCode::NOT_FOUND);
    // Someone who is not a participant of the cycle has no breakdown in it.
    let outsider = app.person("liu.leader", "刘副秘书长", &[(Role::PrincipalLeader, None)]).await;
    let page = perf.get(&format!("/assess/cycles/{}/people/{outsider}", y.annual)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn each_unit_of_a_ranking_shows_its_grade_distribution_against_the_quota() {
    let app = TestApp::new().await;
    let y = year(&app).await;
    // 赵乙 has a 记过 in force in 2026: no grade in the annual ranking.
    sqlx::query(
        "insert into discipline_record (person_id, measure, decided_on, from_date, to_date, recorded_by)
         values ($1, 'demerit', '2026-05-01', '2026-05-01', '2027-04-30', $1)",
    )
    .bind(y.b)
    .execute(&app.pool)
    .await
    .unwrap();
    let mut perf = app.signed_in(Role::PerformanceOffice).await;

    let annual = perf.get(&format!("/assess/cycles/{}/scores", y.annual)).await;
    assert_eq!(annual.status, StatusCode::OK, "{}", annual.body);
    annual.assert_contains(&format!("href=\"/assess/cycles/{}/people/{}\"", y.annual, y.a));
    annual.assert_contains("id=\"grade-chart-1-table\"");
    annual.assert_contains("等次分布 · 研究室");
    annual.assert_contains("data-chart=\"");
    annual.assert_contains("/charts.js");
    // 研究室: 4 people, 赵乙 without a grade: 优秀 0 of a quota of 0, 不定等次 1.
    annual.assert_contains("<tr><th scope=\"row\">优秀</th><td class=\"num\">0</td><td class=\"num\">0</td></tr>");
    annual.assert_contains("<tr><th scope=\"row\">不定等次</th><td class=\"num\">1</td><td class=\"num\">—</td></tr>");
    // 办公室 is a unit of its own.
    annual.assert_contains("id=\"grade-chart-2-table\"");

    let quarterly = perf.get(&format!("/assess/cycles/{}/scores", y.quarter)).await;
    assert_eq!(quarterly.status, StatusCode::OK, "{}", quarterly.body);
    quarterly.assert_contains("id=\"grade-chart-1-table\"");
    // The 好 quota of 研究室's four is 1 (§17.8), drawn on the 好 row.
    quarterly.assert_contains("<tr><th scope=\"row\">好</th><td class=\"num\">0</td><td class=\"num\">1</td></tr>");
}

#[tokio::test]
async fn the_results_summary_exports_the_ranking_then_the_decided_results_as_a_protected_record() {
    let app = TestApp::new().await;
    let y = year(&app).await;
    app.person("zhou.committee", "周委员", &[(Role::AssessmentCommittee, None)]).await;
    let mut committee = app.login_as("zhou.committee").await;
    let path = format!("/assess/cycles/{}/scores", y.quarter);
    let page = committee.get(&path).await;
    page.assert_contains(&format!("href=\"{path}.xlsx\""));
    page.assert_contains(&format!("href=\"/assess/cycles/{}/quotas.xlsx\"", y.quarter));
    let download = committee.get(&format!("{path}.xlsx")).await;
    assert!(!download.xlsx_protected(), "a ranking before the decision is a working list");
    let sheet = download.xlsx();
    assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("考核结果汇总表 · 2026年第三季度平时考核".into())));
    assert!(sheet_row(&sheet, 1)[0].starts_with("导出时间 2026-11-27"), "{:?}", sheet_row(&sheet, 1));
    assert_eq!(sheet_row(&sheet, 2), ["分配单元", "名次", "姓名", "得分", "按分数", "等次", "校准"]);
    assert_eq!(sheet.height(), 3 + page.body.matches("<tr id=\"score-").count(), "the page's lines, one a row");
    let wang = sheet_row_of(&sheet, 2, "王甲");
    assert_eq!(sheet.get_value((wang, 0)), Some(&Data::String("研究室".into())));
    assert!(matches!(sheet.get_value((wang, 3)), Some(Data::Float(_))), "the score stays a number");

    // The quota allocation: 研究室's four with a 好 quota of 1 (§17.8), every unit of the page.
    let quotas = committee.get(&format!("/assess/cycles/{}/quotas.xlsx", y.quarter)).await.xlsx();
    assert_eq!(quotas.get_value((0, 0)), Some(&Data::String("名额分配表 · 2026年第三季度平时考核".into())));
    assert_eq!(
        sheet_row(&quotas, 2),
        ["分配单元", "参评人数", "名额基数", "名额", "已用名额", "好", "较好", "一般", "较差", "暂无等次"]
    );
    let research = sheet_row_of(&quotas, 0, "研究室");
    assert_eq!(quotas.get_value((research, 1)), Some(&Data::Float(4.0)));
    assert_eq!(quotas.get_value((research, 3)), Some(&Data::Float(1.0)));
    assert_eq!(quotas.height(), 3 + page.body.matches("class=\"quota-line\"").count());

    // A head reads their own department only; staff read no ranking.
    let mut head = app.login_as("li.head").await;
    let own = head.get(&format!("{path}.xlsx")).await.xlsx();
    assert!(sheet_mentions(&own, "王甲") && !sheet_mentions(&own, "钱丁"), "{:?}", sheet_row(&own, 3));
    let mut staff = app.login_as("wang.a").await;
    assert_eq!(staff.get(&format!("{path}.xlsx")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(staff.get(&format!("/assess/cycles/{}/quotas.xlsx", y.quarter)).await.status, StatusCode::FORBIDDEN);

    // Decided: the frozen results, department by department, protected against edits.
    let decided = committee.post(&format!("/assess/cycles/{}/decide", y.quarter), &[]).await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    let page = committee.get(&path).await;
    page.assert_contains(&format!("href=\"{path}.xlsx\""));
    let download = committee.get(&format!("{path}.xlsx")).await;
    assert!(download.xlsx_protected(), "decided results are a record");
    let sheet = download.xlsx();
    assert_eq!(sheet_row(&sheet, 2), ["处室", "姓名", "得分", "计算等次", "等次"]);
    assert_eq!(sheet.height(), 3 + page.body.matches("<tr id=\"result-").count());
    let wang = sheet_row_of(&sheet, 1, "王甲");
    assert!(matches!(sheet.get_value((wang, 2)), Some(Data::Float(_))), "the frozen score stays a number");
    // The ranking's quotas are gone with it.
    let gone = committee.get(&format!("/assess/cycles/{}/quotas.xlsx", y.quarter)).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    // In English for a reader who chose it.
    committee.post("/locale", &[("lang", "en"), ("next", "/")]).await;
    let english = committee.get(&format!("{path}.xlsx")).await.xlsx();
    assert!(sheet_row(&english, 0)[0].starts_with("Assessment results summary · "), "{:?}", sheet_row(&english, 0));
    assert_eq!(sheet_row(&english, 2), ["Department", "Name", "Score", "Computed grade", "Grade"]);
}

#[tokio::test]
async fn an_annual_results_summary_names_each_persons_gates() {
    let app = TestApp::new().await;
    let y = year(&app).await;
    // 赵乙 has a 记过 in force in 2026.
    sqlx::query(
        "insert into discipline_record (person_id, measure, decided_on, from_date, to_date, recorded_by)
         values ($1, 'demerit', '2026-05-01', '2026-05-01', '2027-04-30', $1)",
    )
    .bind(y.b)
    .execute(&app.pool)
    .await
    .unwrap();
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    let page = perf.get(&format!("/assess/cycles/{}/scores", y.annual)).await;
    let sheet = perf.get(&format!("/assess/cycles/{}/scores.xlsx", y.annual)).await.xlsx();
    assert_eq!(
        sheet_row(&sheet, 2),
        ["分配单元", "名次", "姓名", "得分", "平时考核", "资格条件", "按分数", "等次", "校准"]
    );
    assert_eq!(sheet.height(), 3 + page.body.matches("<tr id=\"score-").count());
    let zhao = sheet_row_of(&sheet, 2, "赵乙");
    let gates = sheet_row(&sheet, zhao)[5].clone();
    assert!(gates.contains("年度内处于记过及以上处分期"), "{gates}");
    // The annual quota table counts 不定等次 among the grades.
    let quotas = perf.get(&format!("/assess/cycles/{}/quotas.xlsx", y.annual)).await.xlsx();
    assert_eq!(
        sheet_row(&quotas, 2),
        [
            "分配单元",
            "参评人数",
            "名额基数",
            "名额",
            "已用名额",
            "优秀",
            "称职",
            "基本称职",
            "不称职",
            "不定等次",
            "暂无等次"
        ]
    );
}

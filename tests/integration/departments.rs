//! The assessment of departments: ratings by leaders and heads (anonymous,
//! once each, never one's own department), the scorecard traced to its
//! sources, the committee's calibration (never of their own department) and
//! decision with publicity, and the year's department scheme.

use axum::http::StatusCode;
use calamine::Data;
use cppcc_perf::domain::roles::Role;

use crate::support::{TestApp, sheet_mentions, sheet_row, sheet_row_of};

struct Office {
    research: i64,
    liaison: i64,
    archive: i64,
}

/// Three departments, each with a head; a supervising leader; an annual cycle of 2026 in assessment.
async fn office(app: &TestApp) -> Office {
    let research = app.department("研究室").await;
    let liaison = app.department("联络室").await;
    let archive = app.department("文史室").await;
    for (username, name, d) in
        [("head.r", "研究处长", research), ("head.l", "联络处长", liaison), ("head.a", "文史处长", archive)]
    {
        app.member(username, name, d, &[(Role::Staff, None), (Role::DepartmentHead, Some(d))]).await;
    }
    app.person("leader.x", "分管领导", &[(Role::SupervisingLeader, Some(research))]).await;
    app.cycle_in_assessment("2026年度考核", "annual", "2026-01-01", "2026-12-31").await;
    Office { research, liaison, archive }
}

fn field(kind: &str, department: i64) -> String {
    format!("level-2026-{kind}-{department}")
}

#[tokio::test]
async fn leaders_and_heads_rate_departments_once_anonymously_and_never_their_own() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let mut head = app.login_as("head.r").await;
    let page = head.get("/assess/department-ballots").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("联络室");
    assert!(!page.body.contains(&field("peer", o.research)), "a head is not offered their own department");
    // Rating one's own department is refused with the choices kept.
    let (own, other) = (field("peer", o.research), field("peer", o.liaison));
    let refused =
        head.post("/assess/department-ballots", &[(own.as_str(), "excellent"), (other.as_str(), "good")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("id=\"dept-ballot-error\"");
    refused.assert_contains(&format!("name=\"{other}\" value=\"good\" aria-label=\"联络室 良好\" checked"));
    assert_eq!(app.count("select count(*) from department_ballot").await, 0);
    // Nothing chosen: refused.
    let refused = head.post("/assess/department-ballots", &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A valid rating is stored without its rater; the same department cannot be rated again.
    let page = head.post("/assess/department-ballots", &[(other.as_str(), "good")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let again = head.post("/assess/department-ballots", &[(other.as_str(), "excellent")]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("select count(*) from department_ballot where level = 'good'").await, 1);
    assert_eq!(app.count("select count(*) from department_ballot").await, 1);
    // No column of a ballot names a person, and the audit row holds no level.
    let person_columns = app
        .count(
            "select count(*) from information_schema.columns where table_name = 'department_ballot'
             and column_name not in ('id', 'year', 'kind', 'department_id', 'level')",
        )
        .await;
    assert_eq!(person_columns, 0);
    let leaks = app
        .count("select count(*) from audit_log where action = 'department_assessment.rated' and summary::text ~ 'good|excellent'")
        .await;
    assert_eq!(leaks, 0);
    // The leader rates every department, their own overseen one included; the
    // home page counts the departments still to rate.
    let mut leader = app.login_as("leader.x").await;
    leader.get("/").await.assert_contains("3 个处室待评价");
    let page = leader.get("/assess/department-ballots").await;
    page.assert_contains(&field("leader", o.research));
    let fields = [field("leader", o.research), field("leader", o.archive)];
    let page = leader
        .post("/assess/department-ballots", &[(fields[0].as_str(), "excellent"), (fields[1].as_str(), "fair")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(app.count("select count(*) from department_ballot where kind = 'leader'").await, 2);
    leader.get("/").await.assert_contains("1 个处室待评价");
    // Staff rate no department.
    let mut staff = app.signed_in(Role::Staff).await;
    assert_eq!(staff.get("/assess/department-ballots").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_scorecard_traces_every_part_and_withholds_few_peer_ballots() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    // Two heads and the leader rate 联络室: the two peer ballots stay under the minimum of 3.
    for (username, kind) in [("head.r", "peer"), ("head.a", "peer"), ("leader.x", "leader")] {
        let mut rater = app.login_as(username).await;
        let name = field(kind, o.liaison);
        let page = rater.post("/assess/department-ballots", &[(name.as_str(), "excellent")]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    // An accepted commendation of the department itself: 2 points of bonus.
    sqlx::query("insert into ledger_item (code, text, points) values ('innovation', '工作创新获市级表彰', 2)")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "insert into ledger_record (item_id, department_id, occurred_on, points, reason, status)
         select id, $1, '2026-06-01', 0, '创新做法获表彰', 'accepted' from ledger_item where code = 'innovation'",
    )
    .bind(o.liaison)
    .execute(&app.pool)
    .await
    .unwrap();
    let mut committee = app.signed_in(Role::AssessmentCommittee).await;
    let page = committee.get(&format!("/assess/departments/2026/{}", o.liaison)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Only the leaders' part was measured (100): it is scaled to the whole 100, plus 2 bonus.
    page.assert_contains("id=\"dept-peer-withheld\"");
    page.assert_contains("id=\"dept-card-rescaled\"");
    page.assert_contains("<strong>102</strong>");
    page.assert_contains("创新做法获表彰");
    page.assert_contains("id=\"dept-satisfaction-withheld\"");
    // The ranking shows the department first; a head reads only their own row.
    let ranking = committee.get("/assess/departments?year=2026").await;
    ranking.assert_contains(&format!("id=\"dept-{}\"", o.liaison));
    let mut head = app.login_as("head.r").await;
    let own = head.get("/assess/departments?year=2026").await;
    own.assert_contains(&format!("id=\"dept-{}\"", o.research));
    assert!(!own.body.contains(&format!("id=\"dept-{}\"", o.liaison)));
    assert_eq!(head.get(&format!("/assess/departments/2026/{}", o.liaison)).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_committee_calibrates_others_then_decides_once_and_publishes() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let mut leader = app.login_as("leader.x").await;
    let fields: Vec<String> = [o.research, o.liaison, o.archive].iter().map(|d| field("leader", *d)).collect();
    leader
        .post(
            "/assess/department-ballots",
            &[(fields[0].as_str(), "excellent"), (fields[1].as_str(), "good"), (fields[2].as_str(), "poor")],
        )
        .await;
    // A committee member of 研究室 may not calibrate it.
    app.member("committee.r", "研究室委员", o.research, &[(Role::AssessmentCommittee, None)]).await;
    let mut own = app.login_as("committee.r").await;
    let research = o.research.to_string();
    let refused = own
        .post(
            "/assess/departments/2026/calibrate",
            &[("department_id", &research), ("grade", "excellent"), ("reason", "表现突出")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("id=\"department_id-error\"");
    refused.assert_contains("表现突出");
    // An unknown department is refused, not an error.
    let unknown = own
        .post("/assess/departments/2026/calibrate", &[("department_id", "999999"), ("grade", "good"), ("reason", "x")])
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);
    // Another member calibrates 文史室 from 较差 to 一般 with a reason.
    let mut committee = app.signed_in(Role::AssessmentCommittee).await;
    let archive = o.archive.to_string();
    let page = committee
        .post(
            "/assess/departments/2026/calibrate",
            &[("department_id", &archive), ("grade", "fair"), ("reason", "承担临时任务较多")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = committee.post("/assess/departments/2026/decide", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(app.count("select count(*) from department_result").await, 3);
    assert_eq!(
        app.count("select count(*) from department_result where computed_grade = 'poor' and grade = 'fair' and reason = '承担临时任务较多'")
            .await,
        1
    );
    assert_eq!(app.count("select count(*) from audit_log where action = 'department_assessment.decided'").await, 1);
    // Decided once: a second decision and later calibrations are refused with a message.
    committee.post("/assess/departments/2026/decide", &[]).await;
    assert_eq!(app.count("select count(*) from department_decision").await, 1);
    let late = committee
        .post(
            "/assess/departments/2026/calibrate",
            &[("department_id", &archive), ("grade", "good"), ("reason", "再调")],
        )
        .await;
    assert_eq!(late.status, StatusCode::SEE_OTHER);
    // The frozen results stand even if a ballot were added later, and the scheme is frozen.
    let page = committee.get("/assess/departments?year=2026").await;
    page.assert_contains("id=\"dept-decision\"");
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    perf.get("/assess/department-schemes/2026").await.assert_contains("id=\"dept-scheme-frozen\"");
    // 20 % … 30 % of 3 departments rounds down to no 优秀: the publicity lists none, for everyone.
    let mut staff = app.signed_in(Role::Staff).await;
    let page = staff.get("/assess/publicity").await;
    page.assert_contains("id=\"publicity-departments-2026\"");
}

#[tokio::test]
async fn the_department_scheme_is_checked_saved_as_versions_and_guarded_against_stale_forms() {
    let app = TestApp::new().await;
    office(&app).await;
    let mut perf = app.signed_in(Role::PerformanceOffice).await;
    let page = perf.get("/assess/department-schemes/2026").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("name=\"targets\" value=\"50\"");
    let mut fields = vec![
        ("based_on", "0"),
        ("targets", "50"),
        ("satisfaction", "20"),
        ("leader", "15"),
        ("peer", "10"),
        ("efficiency", "10"),
        ("bonus_cap", "5"),
        ("level_excellent", "100"),
        ("level_good", "85"),
        ("level_fair", "70"),
        ("level_poor", "55"),
        ("min_peer_ballots", "3"),
        ("band_excellent", "90"),
        ("band_good", "80"),
        ("band_fair", "60"),
        ("excellent_percent", "30"),
        ("rounding", "floor"),
        ("publicity_work_days", "5"),
    ];
    // 105 points: refused, the input kept.
    let refused = perf.post("/assess/department-schemes/2026", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("id=\"targets-error\"");
    refused.assert_contains("name=\"efficiency\" value=\"10\"");
    fields[5] = ("efficiency", "5");
    fields[15] = ("excellent_percent", "40");
    let page = perf.post("/assess/department-schemes/2026", &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // A form based on the version before is stale: 409, the input kept.
    let stale = perf.post("/assess/department-schemes/2026", &fields).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    stale.assert_contains("name=\"excellent_percent\" value=\"40\"");
    assert_eq!(app.count("select count(*) from department_scheme where year = 2026").await, 1);
    let page = perf.get("/assess/department-schemes/2026").await;
    page.assert_contains("name=\"excellent_percent\" value=\"40\"");
    page.assert_contains("name=\"based_on\" value=\"1\"");
}

#[tokio::test]
async fn the_ranking_and_a_scorecard_export_with_each_part_and_the_ledger_reasons() {
    let app = TestApp::new().await;
    let o = office(&app).await;
    let mut leader = app.login_as("leader.x").await;
    let name = field("leader", o.liaison);
    leader.post("/assess/department-ballots", &[(name.as_str(), "excellent")]).await;
    sqlx::query("insert into ledger_item (code, text, points) values ('innovation', '工作创新获市级表彰', 2)")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "insert into ledger_record (item_id, department_id, occurred_on, points, reason, status)
         select id, $1, '2026-06-01', 0, '创新做法获表彰', 'accepted' from ledger_item where code = 'innovation'",
    )
    .bind(o.liaison)
    .execute(&app.pool)
    .await
    .unwrap();
    let mut committee = app.signed_in(Role::AssessmentCommittee).await;
    let card = format!("/assess/departments/2026/{}", o.liaison);
    committee.get(&card).await.assert_contains(&format!("href=\"{card}/card.xlsx\""));
    let download = committee.get(&format!("{card}/card.xlsx")).await;
    assert!(!download.xlsx_protected(), "an undecided year's scorecard is a working list");
    let sheet = download.xlsx();
    assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("处室考核卡 · 联络室 · 2026".into())));
    assert_eq!(sheet_row(&sheet, 2), ["项目", "分值", "折算分值", "计量（百分制）", "得分", "发生日期", "事由"]);
    // Five parts, the bonus, the penalties and the one ledger entry.
    assert_eq!(sheet.height(), 3 + 5 + 2 + 1);
    let leader_part = sheet_row_of(&sheet, 0, "领导评价");
    assert_eq!(sheet.get_value((leader_part, 3)), Some(&Data::Float(100.0)));
    assert!(matches!(sheet.get_value((leader_part, 4)), Some(Data::Float(_))));
    let peer = sheet_row_of(&sheet, 0, "处室互评");
    assert_eq!(sheet.get_value((peer, 3)), Some(&Data::String("无数据".into())));
    let entry = sheet_row_of(&sheet, 0, "加减分记录 · 工作创新获市级表彰");
    assert_eq!(sheet.get_value((entry, 4)), Some(&Data::Float(2.0)));
    assert!(matches!(sheet.get_value((entry, 5)), Some(Data::DateTime(_))), "the day stays a date");
    assert_eq!(sheet.get_value((entry, 6)), Some(&Data::String("创新做法获表彰".into())));

    // The ranking: every department for the committee, its own row for a head.
    let page = committee.get("/assess/departments?year=2026").await;
    page.assert_contains("href=\"/assess/departments.xlsx?year=2026\"");
    let ranking = committee.get("/assess/departments.xlsx?year=2026").await.xlsx();
    assert_eq!(ranking.get_value((0, 0)), Some(&Data::String("处室考核结果 · 2026".into())));
    assert_eq!(
        sheet_row(&ranking, 2),
        [
            "名次",
            "处室",
            "目标完成",
            "满意度",
            "领导评价",
            "处室互评",
            "工作效率",
            "加分",
            "扣分",
            "得分",
            "等次",
            "校准"
        ]
    );
    assert_eq!(ranking.height(), 3 + page.body.matches("<tr id=\"dept-").count());
    let liaison = sheet_row_of(&ranking, 1, "联络室");
    assert_eq!(ranking.get_value((liaison, 9)), Some(&Data::Float(102.0)));
    let mut head = app.login_as("head.r").await;
    let own = head.get("/assess/departments.xlsx?year=2026").await.xlsx();
    assert!(sheet_mentions(&own, "研究室") && !sheet_mentions(&own, "联络室"));
    assert_eq!(head.get(&format!("{card}/card.xlsx")).await.status, StatusCode::FORBIDDEN);
    // Decided, the ranking and the scorecards are records.
    committee.post("/assess/departments/2026/decide", &[]).await;
    assert!(committee.get("/assess/departments.xlsx?year=2026").await.xlsx_protected());
    assert!(committee.get(&format!("{card}/card.xlsx")).await.xlsx_protected());
}

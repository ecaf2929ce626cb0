//! The audit log page.

use axum::http::StatusCode;
use cppcc_perf::domain::roles::Role;

use crate::support::TestApp;

#[tokio::test]
async fn an_auditor_searches_the_log_by_action_and_actor() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    admin.post("/org/departments", &[("name", "研究室"), ("kind", "general"), ("active", "on")]).await;
    let mut auditor = app.signed_in(Role::Auditor).await;
    let page = auditor.get("/audit?action=department").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("department.created");
    assert!(!page.body.contains("security.signin<"));
    // The reader sees words, not event codes and JSON.
    page.assert_contains(">处室 · 新建<");
    page.assert_contains("<dt>修改后 · 名称</dt><dd>研究室</dd>");
    assert!(!page.body.contains("{&quot;"), "no raw JSON on the page");
    let page = auditor.get("/audit?actor=system_admin").await;
    page.assert_contains("测试system_admin");
    let page = auditor.get("/audit?from=2000-01-01&until=2000-01-02").await;
    page.assert_contains("没有符合条件的记录");
}

#[tokio::test]
async fn the_log_pages_through_older_entries() {
    let app = TestApp::new().await;
    for i in 0..60 {
        sqlx::query("insert into audit_log (action, object_type, object_id) values ('test.entry', 'thing', $1)")
            .bind(i.to_string())
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let mut auditor = app.signed_in(Role::Auditor).await;
    let first = auditor.get("/audit?action=test.entry").await;
    first.assert_contains("thing:59");
    let older =
        first.body.split("href=\"/audit?before=").nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&");
    let second = auditor.get(&format!("/audit?before={older}")).await;
    second.assert_contains("thing:0<");
    assert!(!second.body.contains("thing:59<"));
}

//! CSRF, security headers, escaping, error pages, the append-only audit log.

use axum::http::{Method, StatusCode};
use cppcc_perf::domain::roles::Role;

use crate::support::TestApp;

const NEW_DEPARTMENT: [(&str, &str); 3] = [("name", "新处室"), ("kind", "general"), ("active", "on")];

#[tokio::test]
async fn a_form_without_the_token_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let before = app.count("select count(*) from department").await;
    let page = admin.post_raw("/org/departments", &NEW_DEPARTMENT).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    page.assert_contains("请求已被拒绝");
    let mut with_wrong_token = NEW_DEPARTMENT.to_vec();
    with_wrong_token.push(("_csrf", "forged"));
    assert_eq!(admin.post_raw("/org/departments", &with_wrong_token).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from department").await, before);
    // Two rejections within a minute: one audit row (see `refusals_are_audited_once_a_minute_per_person`).
    assert_eq!(app.count("select count(*) from audit_log where action = 'security.csrf_rejected'").await, 1);
}

#[tokio::test]
async fn a_foreign_origin_is_refused_even_with_the_token() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let before = app.count("select count(*) from department").await;
    let token = admin.csrf.clone().unwrap();
    let body =
        serde_html_form::to_string([("_csrf", token.as_str()), ("name", "新处室"), ("kind", "general")]).unwrap();
    let headers = [("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")];
    let page = admin
        .request(
            Method::POST,
            "/org/departments",
            Some("application/x-www-form-urlencoded"),
            body.clone().into_bytes(),
            &headers,
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // An older browser without Sec-Fetch-Site: the Origin must match the host.
    let headers = [("sec-fetch-site", ""), ("origin", "https://evil.example"), ("host", "perf.example")];
    let page = admin
        .request(
            Method::POST,
            "/org/departments",
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
            &headers,
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from department").await, before);
    // A forged request is not an act of the person whose cookie it carries,
    // and the Origin check comes before the session is read: logged, not audited.
    assert_eq!(app.count("select count(*) from audit_log where action = 'security.csrf_rejected'").await, 0);
}

#[tokio::test]
async fn a_header_does_not_stand_in_for_the_form_token() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let token = admin.csrf.clone().unwrap();
    let body = serde_html_form::to_string(NEW_DEPARTMENT).unwrap();
    let page = admin
        .request(
            Method::POST,
            "/org/departments",
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
            &[("x-csrf-token", &token)],
        )
        .await;
    // Only the `_csrf` form field carries the token (the header was htmx's, now removed).
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
}

#[tokio::test]
async fn pages_carry_the_security_headers_and_no_store() {
    let app = TestApp::new().await;
    let mut staff = app.signed_in(Role::Staff).await;
    for page in [staff.get("/").await, staff.get("/no/such/page").await, app.client().get("/login").await] {
        let csp = page.header("content-security-policy");
        for directive in [
            "default-src 'self'",
            "script-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{directive} missing from {csp}");
        }
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(page.header("x-content-type-options"), "nosniff");
        assert_eq!(page.header("referrer-policy"), "same-origin");
        assert_eq!(page.header("cache-control"), "no-store");
        assert!(!page.header("x-request-id").is_empty());
    }
}

#[tokio::test]
async fn static_files_are_cached_long_and_still_nosniff() {
    let app = TestApp::new().await;
    let page = app.client().get(&format!("/static/{}/app.css", cppcc_perf::asset_version())).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("cache-control").contains("max-age=31536000"));
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    assert!(page.header("content-security-policy").contains("frame-ancestors 'none'"));
}

#[tokio::test]
async fn error_pages_speak_the_visitors_language() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let page = client.get("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    page.assert_contains("页面不存在");
    let page = client.request(Method::GET, "/no/such/page", None, Vec::new(), &[("accept-language", "en")]).await;
    page.assert_contains("Page not found");
    let page = client.request(Method::DELETE, "/login", None, Vec::new(), &[]).await;
    assert_eq!(page.status, StatusCode::METHOD_NOT_ALLOWED);
    page.assert_contains("不支持的操作");
}

#[tokio::test]
async fn a_refusal_is_a_page_and_an_audit_row() {
    let app = TestApp::new().await;
    let mut staff = app.signed_in(Role::Staff).await;
    let page = staff.get("/org/people").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    page.assert_contains("无权访问");
    let actor: String = sqlx::query_scalar("select actor_name from audit_log where action = 'security.refused'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(actor, "测试staff");
}

#[tokio::test]
async fn markup_in_names_is_shown_as_text_everywhere() {
    let app = TestApp::new().await;
    let evil = "<script>alert(1)</script>";
    let department = app.department(evil).await;
    let person = app.person("evil", evil, &[(Role::Staff, None)]).await;
    sqlx::query("update person set department_id = $1 where id = $2")
        .bind(department)
        .bind(person)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("insert into post (department_id, title, duties, a_holder_id) values ($1, $2, array[$2], $3)")
        .bind(department)
        .bind(evil)
        .bind(person)
        .execute(&app.pool)
        .await
        .unwrap();
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let mut own = app.client();
    own.login("evil", crate::support::PASSWORD).await;
    let pages = [
        admin.get("/org/people").await,
        admin.get("/org/departments").await,
        admin.get("/org/posts").await,
        admin.get(&format!("/org/people/{person}/edit")).await,
        admin.get("/org/posts/new").await,
        admin.get("/audit").await,
        own.get("/").await,
    ];
    for page in pages {
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains(evil), "unescaped markup in:\n{}", page.body);
        assert!(
            page.body.contains("&lt;script&gt;") || page.body.contains("&#60;script&#62;"),
            "name missing:\n{}",
            page.body
        );
    }
}

#[tokio::test]
async fn the_application_cannot_rewrite_the_audit_log() {
    let app = TestApp::new().await;
    app.signed_in(Role::Staff).await;
    assert!(app.count("select count(*) from audit_log").await > 0);
    let update = sqlx::query("update audit_log set action = 'nothing'").execute(&app.pool).await;
    assert!(update.is_err(), "an UPDATE of the audit log must fail");
    let delete = sqlx::query("delete from audit_log").execute(&app.pool).await;
    assert!(delete.is_err(), "a DELETE of the audit log must fail");
    let truncate = sqlx::query("truncate audit_log").execute(&app.pool).await;
    assert!(truncate.is_err(), "a TRUNCATE of the audit log must fail");
    assert!(app.count("select count(*) from audit_log").await > 0);
}

#[tokio::test]
async fn health_and_readiness_answer_without_a_session() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let page = client.get("/healthz").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("set-cookie").is_empty());
    assert_eq!(client.get("/readyz").await.status, StatusCode::OK);
    app.pool.close().await;
    assert_eq!(client.get("/readyz").await.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let body = vec![b'a'; 30 * 1024 * 1024];
    let page =
        admin.request(Method::POST, "/org/departments", Some("application/x-www-form-urlencoded"), body, &[]).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn anonymous_refusals_go_to_the_log_not_the_audit_log() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    visitor.get("/login").await;
    let before = app.count("select count(*) from audit_log").await;
    for _ in 0..100 {
        let page = visitor.post_raw("/logout", &[("_csrf", "forged")]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
    }
    // Cross-site posts refused by the Origin check, too.
    let headers = [("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")];
    for _ in 0..10 {
        let page = visitor
            .request(Method::POST, "/login", Some("application/x-www-form-urlencoded"), Vec::new(), &headers)
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.count("select count(*) from audit_log").await, before);
}

#[tokio::test]
async fn refusals_are_audited_once_a_minute_per_person() {
    let app = TestApp::new().await;
    let mut staff = app.signed_in(Role::Staff).await;
    for _ in 0..20 {
        assert_eq!(staff.get("/org/people").await.status, StatusCode::FORBIDDEN);
    }
    for _ in 0..20 {
        assert_eq!(staff.post_raw("/org/departments", &NEW_DEPARTMENT).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.count("select count(*) from audit_log where action = 'security.refused'").await, 1);
    assert_eq!(app.count("select count(*) from audit_log where action = 'security.csrf_rejected'").await, 1);
    // Another person's refusals have their own row; a minute later, a new row.
    let mut other = app.signed_in(Role::Auditor).await;
    assert_eq!(other.get("/org/people/new").await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from audit_log where action = 'security.refused'").await, 2);
    sqlx::query("alter table audit_log disable trigger user").execute(&app.pool).await.unwrap();
    sqlx::query("update audit_log set at = at - interval '61 seconds'").execute(&app.pool).await.unwrap();
    sqlx::query("alter table audit_log enable trigger user").execute(&app.pool).await.unwrap();
    assert_eq!(staff.get("/org/people").await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("select count(*) from audit_log where action = 'security.refused'").await, 3);
}

#[tokio::test]
async fn a_clients_request_id_is_kept_only_when_it_is_a_short_token() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let good = "req-2026.11_27-ABC";
    let page = client.request(Method::GET, "/login", None, Vec::new(), &[("x-request-id", good)]).await;
    assert_eq!(page.header("x-request-id"), good);
    let long = "a".repeat(65);
    for bad in ["<script>alert(1)</script>", "two words", "a/b;c", "%0d%0a", long.as_str()] {
        let page = client.request(Method::GET, "/login", None, Vec::new(), &[("x-request-id", bad)]).await;
        let id = page.header("x-request-id");
        assert_ne!(id, bad);
        assert!(uuid::Uuid::parse_str(id).is_ok(), "a new id instead of {bad:?}: {id:?}");
    }
    // What an audit row records is the sanitised id.
    let mut staff = app.signed_in(Role::Staff).await;
    staff.request(Method::GET, "/org/people", None, Vec::new(), &[("x-request-id", "<b>forged</b>")]).await;
    let recorded: String = sqlx::query_scalar("select request_id from audit_log where action = 'security.refused'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(uuid::Uuid::parse_str(&recorded).is_ok(), "{recorded:?}");
}

#[tokio::test]
async fn unparsable_addresses_and_queries_get_the_error_page() {
    let app = TestApp::new().await;
    let mut staff = app.signed_in(Role::Staff).await;
    for path in ["/plan/sets/abc", "/plan/targets/1x/edit", "/monitor/reports/99999999999999999999"] {
        let page = staff.get(path).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(page.header("content-type").starts_with("text/html"), "{path}: {}", page.header("content-type"));
        page.assert_contains("请求无效");
        page.assert_contains("<html lang=\"zh-CN\">");
    }
    let mut auditor = app.signed_in(Role::Auditor).await;
    let page = auditor.request(Method::GET, "/audit?before=abc", None, Vec::new(), &[("accept-language", "en")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("Invalid request");
}

//! Signing in and out, throttling, sessions, passwords, language.

use axum::http::StatusCode;
use cppcc_perf::domain::roles::Role;

use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn staff_signs_in_and_sees_the_todo_page_in_chinese() {
    let app = TestApp::new().await;
    app.person("wang.fang", "王芳", &[(Role::Staff, None)]).await;
    let mut client = app.client();
    client.login("wang.fang", PASSWORD).await;
    let page = client.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("<html lang=\"zh-CN\">");
    page.assert_contains("我的待办");
    page.assert_contains("王芳");
    assert_eq!(app.count("select count(*) from audit_log where action = 'security.signin'").await, 1);
}

#[tokio::test]
async fn visitors_are_sent_to_sign_in_and_back() {
    let app = TestApp::new().await;
    app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let mut client = app.client();
    let page = client.get("/account/password").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/login?next=/account/password");
    client.get("/login?next=/account/password").await;
    let page =
        client.post("/login", &[("username", "li.na"), ("password", PASSWORD), ("next", "/account/password")]).await;
    assert_eq!(page.location(), "/account/password");
}

#[tokio::test]
async fn sign_in_never_redirects_to_another_site() {
    let app = TestApp::new().await;
    app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let mut client = app.client();
    client.get("/login").await;
    let page =
        client.post("/login", &[("username", "li.na"), ("password", PASSWORD), ("next", "//evil.example/")]).await;
    assert_eq!(page.location(), "/");
}

#[tokio::test]
async fn unknown_user_and_wrong_password_get_the_same_answer() {
    let app = TestApp::new().await;
    app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let mut client = app.client();
    let wrong = client.try_login("li.na", "not the password").await;
    let unknown = client.try_login("nobody", "not the password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    wrong.assert_contains("用户名或密码不正确");
    unknown.assert_contains("用户名或密码不正确");
    // The typed username is kept, the password is not.
    wrong.assert_contains("value=\"li.na\"");
    assert!(!wrong.body.contains("not the password"));
    assert_eq!(app.count("select count(*) from audit_log where action = 'security.signin_failed'").await, 2);
}

/// Seconds until the hold of `key` ends (0 when it is not held).
async fn held_for(app: &TestApp, key: &str) -> f64 {
    sqlx::query_scalar(
        "select coalesce(extract(epoch from greatest(held_until - now(), interval '0'))::float8, 0)
         from login_throttle where key = $1",
    )
    .bind(key)
    .fetch_optional(&app.pool)
    .await
    .unwrap()
    .unwrap_or(0.0)
}

#[tokio::test]
async fn an_attackers_failures_do_not_lock_the_holder_out() {
    let app = TestApp::new().await;
    app.person("zhao.lei", "赵磊", &[(Role::Staff, None)]).await;
    let mut attacker = app.client();
    attacker.ip = [10, 0, 0, 66];
    for _ in 0..8 {
        assert_eq!(attacker.try_login("zhao.lei", "wrong password").await.status, StatusCode::UNAUTHORIZED);
    }
    // The attacker's client is held, even with the right password...
    let held = attacker.try_login("zhao.lei", PASSWORD).await;
    held.assert_contains("登录失败次数过多");
    // ...but the holder signs in from their own computer.
    let mut holder = app.client();
    holder.ip = [10, 0, 0, 7];
    holder.login("zhao.lei", PASSWORD).await;
    assert_eq!(holder.get("/").await.status, StatusCode::OK);
}

#[tokio::test]
async fn repeated_failures_from_one_client_wait_longer_each_time() {
    let app = TestApp::new().await;
    app.person("zhao.lei", "赵磊", &[(Role::Staff, None)]).await;
    let mut client = app.client();
    client.ip = [10, 0, 0, 66];
    let key = "user+ip:zhao.lei@10.0.0.66";
    for _ in 0..4 {
        client.try_login("zhao.lei", "wrong password").await;
    }
    assert_eq!(held_for(&app, key).await, 0.0, "four failures do not hold");
    client.try_login("zhao.lei", "wrong password").await;
    let first = held_for(&app, key).await;
    assert!(first > 0.0, "the fifth failure holds");
    client.try_login("zhao.lei", PASSWORD).await.assert_contains("登录失败次数过多");
    // The wait passes; the next failure holds twice as long, and so on.
    let mut previous = first;
    for _ in 0..3 {
        sqlx::query("update login_throttle set held_until = now() - interval '1 second'")
            .execute(&app.pool)
            .await
            .unwrap();
        client.try_login("zhao.lei", "wrong password").await;
        let wait = held_for(&app, key).await;
        assert!(wait > previous * 1.8, "a longer wait: {wait} s after {previous} s");
        previous = wait;
    }
    // Once the wait is over, the right password works and clears the count.
    sqlx::query("update login_throttle set held_until = now() - interval '1 second'").execute(&app.pool).await.unwrap();
    assert_eq!(client.try_login("zhao.lei", PASSWORD).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from login_throttle where key like 'user+ip:%'").await, 0);
}

#[tokio::test]
async fn one_address_failing_on_many_accounts_is_held() {
    let app = TestApp::new().await;
    app.person("zhou.jie", "周杰", &[(Role::Staff, None)]).await;
    let mut client = app.client();
    for i in 0..10 {
        client.try_login(&format!("guess{i}"), "wrong password").await;
    }
    let page = client.try_login("zhou.jie", PASSWORD).await;
    page.assert_contains("登录失败次数过多");
    let mut elsewhere = app.client();
    elsewhere.ip = [10, 0, 0, 8];
    elsewhere.login("zhou.jie", PASSWORD).await;
}

#[tokio::test]
async fn the_holder_is_told_of_failed_sign_ins_against_their_account() {
    let app = TestApp::new().await;
    let id = app.person("zhao.lei", "赵磊", &[(Role::Staff, None)]).await;
    // Failures from many addresses, none of them held.
    for i in 1..=12u8 {
        let mut attacker = app.client();
        attacker.ip = [10, 0, 1, i];
        assert_eq!(attacker.try_login("zhao.lei", "wrong password").await.status, StatusCode::UNAUTHORIZED);
    }
    let told = "select count(*) from notification where message = 'notify-signin-failures'";
    assert_eq!(app.count(told).await, 1, "told once, not at every failure");
    let person: i64 = sqlx::query_scalar("select person_id from notification where message = 'notify-signin-failures'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(person, id);
    let mut holder = app.client();
    holder.ip = [10, 0, 0, 7];
    holder.login("zhao.lei", PASSWORD).await;
    let page = holder.get("/notifications").await;
    page.assert_contains("登录失败");
    // Unknown accounts have nobody to tell.
    for i in 1..=6u8 {
        let mut attacker = app.client();
        attacker.ip = [10, 0, 2, i];
        attacker.try_login("nobody", "wrong password").await;
    }
    assert_eq!(app.count(told).await, 1);
}

#[tokio::test]
async fn next_addresses_with_blanks_or_line_breaks_stay_on_this_site() {
    let app = TestApp::new().await;
    app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let mut client = app.client();
    let hostile =
        ["/%09/evil.example/x", "/%0d%0aSet-Cookie:%20x=1", "/%0a/evil.example", "/%20/evil.example", "/%E7%8E%8B"];
    // A visitor gets the sign-in page, with the return address dropped.
    for next in hostile {
        let page = client.get(&format!("/login?next={next}")).await;
        assert_eq!(page.status, StatusCode::OK, "{next}: {}", page.body);
        page.assert_contains("name=\"next\" value=\"/\"");
    }
    for next in ["/\t/evil.example/x", "/\r\nSet-Cookie: x=1", "/ /evil.example", "\t/evil.example"] {
        client = app.client();
        client.get("/login").await;
        let page = client.post("/login", &[("username", "li.na"), ("password", PASSWORD), ("next", next)]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{next:?}: {}", page.body);
        assert_eq!(page.location(), "/", "{next:?}");
    }
    // Signed in, the sign-in page sends one on, to this site only.
    for next in hostile {
        let page = client.get(&format!("/login?next={next}")).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{next}: {}", page.body);
        assert_eq!(page.location(), "/", "{next}");
    }
    assert_eq!(client.get("/login?next=/plan/my%3Fx%3D1").await.location(), "/plan/my?x=1");
}

#[tokio::test]
async fn an_https_public_address_makes_cookies_secure_whatever_its_case() {
    let app = TestApp::with_config(|c| c.public_url = Some("HTTPS://Perf.Office.Example".into())).await;
    let page = app.client().get("/login").await;
    let cookie = page.header("set-cookie");
    assert!(cookie.contains("cppcc_session="), "{cookie}");
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in() {
    let app = TestApp::new().await;
    app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let mut client = app.client();
    client.get("/login").await;
    let before = client.session_cookie().expect("a session for the sign-in form");
    client.login("li.na", PASSWORD).await;
    let after = client.session_cookie().unwrap();
    assert_ne!(before, after);
    // The old id no longer signs anyone in.
    let mut attacker = app.client();
    attacker.set_session_cookie(&before);
    assert_eq!(attacker.get("/").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let app = TestApp::new().await;
    app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let mut client = app.client();
    client.login("li.na", PASSWORD).await;
    let cookie = client.session_cookie().unwrap();
    let page = client.post("/logout", &[]).await;
    assert_eq!(page.location(), "/login");
    let mut replay = app.client();
    replay.set_session_cookie(&cookie);
    assert_eq!(replay.get("/").await.location(), "/login?next=/");
}

#[tokio::test]
async fn a_session_ends_after_the_absolute_timeout() {
    let app = TestApp::with_config(|c| c.session_absolute_hours = 0).await;
    app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let mut client = app.client();
    assert_eq!(client.try_login("li.na", PASSWORD).await.status, StatusCode::SEE_OTHER);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(client.get("/").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_session_ends_after_the_idle_timeout() {
    let app = TestApp::new().await;
    app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let mut client = app.client();
    client.login("li.na", PASSWORD).await;
    // Thirty minutes without a request: the store's expiry date has passed.
    sqlx::query("update tower_sessions.session set expiry_date = now() - interval '1 second'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(client.get("/").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn activity_pushes_back_the_idle_timeout_without_a_write_per_page() {
    let app = TestApp::with_config(|c| c.session_refresh_secs = 3).await;
    app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let mut client = app.client();
    client.login("li.na", PASSWORD).await;
    let expiry = "select (expiry_date - now()) < interval '1 minute' from tower_sessions.session";
    sqlx::query("update tower_sessions.session set expiry_date = now() + interval '30 seconds'")
        .execute(&app.pool)
        .await
        .unwrap();
    // Within the refresh interval a page reads the session but does not save it.
    assert_eq!(client.get("/").await.status, StatusCode::OK);
    assert!(sqlx::query_scalar::<_, bool>(expiry).fetch_one(&app.pool).await.unwrap());
    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
    // Later, a request saves it and the idle timeout starts again.
    assert_eq!(client.get("/").await.status, StatusCode::OK);
    assert!(!sqlx::query_scalar::<_, bool>(expiry).fetch_one(&app.pool).await.unwrap());
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site() {
    let app = TestApp::new().await;
    let page = app.client().get("/login").await;
    let cookie = page.header("set-cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "no Secure without an https PUBLIC_URL");
    let secure = TestApp::with_config(|c| c.public_url = Some("https://perf.example".into())).await;
    let cookie = secure.client().get("/login").await.header("set-cookie").to_string();
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn changing_ones_password_ends_the_other_sessions_only() {
    let app = TestApp::new().await;
    app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let mut laptop = app.client();
    laptop.login("li.na", PASSWORD).await;
    let mut phone = app.client();
    phone.login("li.na", PASSWORD).await;
    laptop.get("/account/password").await;
    let page = laptop
        .post(
            "/account/password",
            &[("current", PASSWORD), ("new_password", "a much better one"), ("confirm", "a much better one")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(laptop.get("/").await.status, StatusCode::OK);
    assert_eq!(phone.get("/").await.status, StatusCode::SEE_OTHER);
    let mut fresh = app.client();
    assert_eq!(fresh.try_login("li.na", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    fresh.login("li.na", "a much better one").await;
    assert_eq!(app.count("select count(*) from audit_log where action = 'person.password_changed'").await, 1);
}

#[tokio::test]
async fn a_password_change_needs_the_current_password_and_a_good_new_one() {
    let app = TestApp::new().await;
    app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let mut client = app.client();
    client.login("li.na", PASSWORD).await;
    let page = client
        .post("/account/password", &[("current", "wrong"), ("new_password", "short"), ("confirm", "short")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("当前密码不正确");
    page.assert_contains("密码至少 10 个字符");
    let page = client
        .post(
            "/account/password",
            &[("current", PASSWORD), ("new_password", "li.na-forever!"), ("confirm", "li.na-forever!")],
        )
        .await;
    page.assert_contains("密码不能包含用户名");
}

#[tokio::test]
async fn an_administrators_reset_forces_a_change_at_next_sign_in() {
    let app = TestApp::new().await;
    let person = app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let mut staff = app.client();
    staff.login("li.na", PASSWORD).await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    let page = admin.post(&format!("/org/people/{person}/reset-password"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let edit = admin.get(page.location()).await;
    let shown = edit.body.split("li.na / ").nth(1).expect("the temporary password is shown once");
    let temporary: String = shown.chars().take(12).collect();
    // The reset ended the person's session.
    assert_eq!(staff.get("/").await.status, StatusCode::SEE_OTHER);
    // Signing in with the temporary password leads only to the password page.
    let mut staff = app.client();
    staff.login("li.na", &temporary).await;
    assert_eq!(staff.get("/").await.location(), "/account/password");
    assert_eq!(staff.get("/org/people").await.location(), "/account/password");
    staff.get("/account/password").await.assert_contains("管理员已重置您的密码");
    let page = staff
        .post(
            "/account/password",
            &[("current", &temporary), ("new_password", "my own secret 1"), ("confirm", "my own secret 1")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(staff.get("/").await.status, StatusCode::OK);
}

#[tokio::test]
async fn deactivating_a_person_ends_their_sessions_at_once() {
    let app = TestApp::new().await;
    let person = app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let mut staff = app.client();
    staff.login("li.na", PASSWORD).await;
    let mut admin = app.signed_in(Role::SystemAdmin).await;
    admin.get(&format!("/org/people/{person}/edit")).await;
    let page = admin
        .post(
            &format!("/org/people/{person}"),
            &[
                ("username", "li.na"),
                ("full_name", "李娜"),
                ("identity_type", "civil_servant"),
                ("version", "1"),
                ("roles", "staff"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(staff.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.client().try_login("li.na", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("select count(*) from audit_log where action = 'person.deactivated'").await, 1);
}

#[tokio::test]
async fn the_language_switch_is_remembered_for_the_person() {
    let app = TestApp::new().await;
    app.person("li.na", "李娜", &[(Role::Staff, None)]).await;
    let mut client = app.client();
    client.login("li.na", PASSWORD).await;
    let page = client.post("/locale", &[("lang", "en"), ("next", "/")]).await;
    assert_eq!(page.location(), "/");
    client.get("/").await.assert_contains("My to-dos");
    assert_eq!(app.count("select count(*) from audit_log where action = 'person.locale_changed'").await, 1);
    // A new browser gets English after signing in.
    let mut other = app.client();
    other.login("li.na", PASSWORD).await;
    other.get("/").await.assert_contains("<html lang=\"en\">");
}

#[tokio::test]
async fn accept_language_chooses_english_for_visitors() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let page = client
        .request(axum::http::Method::GET, "/login", None, Vec::new(), &[("accept-language", "en-US,en;q=0.9")])
        .await;
    page.assert_contains("Sign in");
    let page = client.get("/login").await;
    page.assert_contains("登录");
}

#[tokio::test]
async fn the_background_task_forgets_throttle_keys_quiet_for_longer_than_they_matter() {
    let app = TestApp::new().await;
    sqlx::query(
        "insert into login_throttle (key, failures, window_start, held_until) values
           ('ip:192.0.2.1', 12, now() - interval '2 hours', now() - interval '100 minutes'),
           ('ip:192.0.2.2', 12, now() - interval '10 minutes', now() + interval '5 minutes'),
           ('user:li.na', 3, now() - interval '30 minutes', null)",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let run = cppcc_perf::tasks::run_once(&app.pool, app.today()).await.unwrap();
    assert_eq!(run.throttle_forgotten, 1);
    assert_eq!(app.count("select count(*) from login_throttle where key = 'ip:192.0.2.1'").await, 0);
    assert_eq!(app.count("select count(*) from login_throttle").await, 2);
}

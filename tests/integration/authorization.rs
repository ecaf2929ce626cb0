//! The authorisation matrix: every route × every role (and an anonymous
//! visitor). The table must name every route in `src/http/routes.rs`.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use cppcc_perf::domain::roles::Role;

use crate::support::TestApp;

/// Who may use a route.
#[derive(Debug, Clone, Copy)]
enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in person.
    SignedIn,
    /// Only these roles.
    Roles(&'static [Role]),
}

const ORG_VIEW: Access = Access::Roles(&[Role::SystemAdmin, Role::PerformanceOffice, Role::Auditor]);
const ORG_EDIT: Access = Access::Roles(&[Role::SystemAdmin, Role::PerformanceOffice]);
const POSTS_VIEW: Access =
    Access::Roles(&[Role::SystemAdmin, Role::PerformanceOffice, Role::Auditor, Role::DepartmentHead]);
const ADMIN: Access = Access::Roles(&[Role::SystemAdmin]);
const AUDIT: Access = Access::Roles(&[Role::SystemAdmin, Role::Auditor]);

/// Every route: method, path as in the route table, a concrete path to call, access.
const MATRIX: &[(&str, &str, &str, Access)] = &[
    ("GET", "/", "/", Access::SignedIn),
    ("GET", "/login", "/login", Access::Public),
    ("POST", "/login", "/login", Access::Public),
    ("POST", "/logout", "/logout", Access::Public),
    ("POST", "/locale", "/locale", Access::Public),
    ("GET", "/account/password", "/account/password", Access::SignedIn),
    ("POST", "/account/password", "/account/password", Access::SignedIn),
    ("GET", "/org/departments", "/org/departments", ORG_VIEW),
    ("POST", "/org/departments", "/org/departments", ORG_EDIT),
    ("GET", "/org/departments/new", "/org/departments/new", ORG_EDIT),
    ("GET", "/org/departments/{id}/edit", "/org/departments/{department}/edit", ORG_EDIT),
    ("POST", "/org/departments/{id}", "/org/departments/{department}", ORG_EDIT),
    ("GET", "/org/people", "/org/people", ORG_VIEW),
    ("POST", "/org/people", "/org/people", ORG_EDIT),
    ("GET", "/org/people/new", "/org/people/new", ORG_EDIT),
    ("GET", "/org/people/{id}/edit", "/org/people/{person}/edit", ORG_EDIT),
    ("POST", "/org/people/{id}", "/org/people/{person}", ORG_EDIT),
    ("POST", "/org/people/{id}/reset-password", "/org/people/{person}/reset-password", ADMIN),
    ("GET", "/org/posts", "/org/posts", POSTS_VIEW),
    ("POST", "/org/posts", "/org/posts", ORG_EDIT),
    ("GET", "/org/posts/new", "/org/posts/new", ORG_EDIT),
    ("GET", "/org/posts/{id}/edit", "/org/posts/{post}/edit", ORG_EDIT),
    ("POST", "/org/posts/{id}", "/org/posts/{post}", ORG_EDIT),
    ("GET", "/org/import", "/org/import", ADMIN),
    ("POST", "/org/import", "/org/import", ADMIN),
    ("POST", "/org/import/{id}/commit", "/org/import/{import}/commit", ADMIN),
    ("GET", "/audit", "/audit", AUDIT),
];

/// (method, path) of every route in the route table's source.
fn routes_in_table() -> BTreeSet<(String, String)> {
    let source = include_str!("../../src/http/routes.rs");
    let mut routes = BTreeSet::new();
    for route in source.split(".route(\"").skip(1) {
        let path = route.split('"').next().unwrap().to_string();
        let handlers = route.split("))\n").next().unwrap();
        for (marker, method) in [("get(", "GET"), ("post(", "POST"), ("put(", "PUT"), ("delete(", "DELETE"), ("patch(", "PATCH")] {
            if handlers.contains(marker) {
                routes.insert((method.to_string(), path.clone()));
            }
        }
    }
    routes
}

#[test]
fn the_matrix_names_every_route_and_only_those() {
    let table = routes_in_table();
    assert!(table.len() > 10, "route table not parsed: {table:?}");
    let matrix: BTreeSet<(String, String)> = MATRIX.iter().map(|(m, p, _, _)| (m.to_string(), p.to_string())).collect();
    let missing: Vec<_> = table.difference(&matrix).collect();
    let stale: Vec<_> = matrix.difference(&table).collect();
    assert!(missing.is_empty(), "routes without an authorisation entry: {missing:?}");
    assert!(stale.is_empty(), "entries for routes that do not exist: {stale:?}");
}

fn allowed(access: Access, role: Option<Role>) -> bool {
    match (access, role) {
        (Access::Public, _) => true,
        (_, None) => false,
        (Access::SignedIn, Some(_)) => true,
        (Access::Roles(roles), Some(role)) => roles.contains(&role),
    }
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_matrix_says() {
    let mut failures = Vec::new();
    for role in std::iter::once(None).chain(Role::ALL.into_iter().map(Some)) {
        // A fresh office per role, so one role's writes cannot hide another's refusal.
        let app = TestApp::new().await;
        let department = app.department("办公室").await.to_string();
        let person = app.person("someone", "某人", &[(Role::Staff, None)]).await.to_string();
        let post: i64 = sqlx::query_scalar("insert into post (department_id, title) values ($1, '岗位') returning id")
            .bind(department.parse::<i64>().unwrap())
            .fetch_one(&app.pool)
            .await
            .unwrap();
        let import: i64 = sqlx::query_scalar(
            "insert into roster_import (uploaded_by, file_name, rows) values ($1, 'x.csv', '[]') returning id",
        )
        .bind(person.parse::<i64>().unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap_or(0);
        let mut client = match role {
            Some(role) => app.signed_in(role).await,
            None => {
                let mut c = app.client();
                c.get("/login").await;
                c
            }
        };
        for (method, _, path, access) in MATRIX {
            let path = path
                .replace("{department}", &department)
                .replace("{person}", &person)
                .replace("{post}", &post.to_string())
                .replace("{import}", &import.to_string());
            let page = match *method {
                "GET" => client.get(&path).await,
                _ => client.post(&path, &[]).await,
            };
            let refused = page.status == StatusCode::FORBIDDEN
                || (page.status == StatusCode::SEE_OTHER && page.location().starts_with("/login?next="));
            let expected = allowed(*access, role);
            if refused == expected {
                failures.push(format!("{method} {path} as {role:?}: {} (expected allowed = {expected})", page.status));
            }
            if page.status.is_server_error() {
                failures.push(format!("{method} {path} as {role:?}: {}", page.status));
            }
            // Sign-out and locale posts change the client's state: sign in again.
            if *method == "POST" && (path == "/logout" || path == "/login") {
                match role {
                    Some(role) => client.login(&role.code().replace('_', "-"), crate::support::PASSWORD).await,
                    None => {
                        client.get("/login").await;
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "authorisation mismatches:\n{}", failures.join("\n"));
}

#[tokio::test]
async fn a_forged_method_cannot_slip_past_the_table() {
    let app = TestApp::new().await;
    let mut staff = app.signed_in(Role::Staff).await;
    let page = staff.request(Method::PUT, "/org/departments", None, Vec::new(), &[]).await;
    assert_eq!(page.status, StatusCode::METHOD_NOT_ALLOWED);
}

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
/// The register of the committee's members: read by the office, heads and overseers; kept by the office.
const MEMBERS_VIEW: Access = Access::Roles(&[
    Role::SystemAdmin,
    Role::PerformanceOffice,
    Role::Auditor,
    Role::AssessmentCommittee,
    Role::DepartmentHead,
]);
const AUDIT: Access = Access::Roles(&[Role::SystemAdmin, Role::Auditor]);
/// Cycles and the work-day calendar: the performance office only.
const CYCLES: Access = Access::Roles(&[Role::PerformanceOffice]);
const CALENDAR: Access = Access::Roles(&[Role::PerformanceOffice]);
/// The numbers of the rules, per year: the performance office only.
const SETTINGS: Access = Access::Roles(&[Role::PerformanceOffice]);
/// The criteria schemes of assessment: the performance office only.
const SCHEMES: Access = Access::Roles(&[Role::PerformanceOffice]);
/// Office-wide readers of plans (the fixture set belongs to nobody the matrix signs in as).
const PLAN_READERS: Access = Access::Roles(&[Role::PerformanceOffice, Role::AssessmentCommittee, Role::Auditor]);
/// The fixture set is owned and decided by people outside the matrix: everyone is refused.
const NOBODY: Access = Access::Roles(&[]);
/// Who reads every ledger record (the fixture record is about a department none of the matrix's people head).
const LEDGER_READ_ALL: Access =
    Access::Roles(&[Role::PerformanceOffice, Role::AssessmentCommittee, Role::DisciplineInspection, Role::Auditor]);
const DECIDERS: Access = Access::Roles(&[Role::DepartmentHead, Role::SupervisingLeader]);
const TREE_READERS: Access = Access::Roles(&[
    Role::PerformanceOffice,
    Role::AssessmentCommittee,
    Role::Auditor,
    Role::DepartmentHead,
    Role::SupervisingLeader,
]);
/// Service commitments and post templates: the office for any department, a head for
/// their own. The matrix's head heads "处室department_head", not the fixture's "办公室".
const PLAN_CONFIG_ANY: Access = Access::Roles(&[Role::PerformanceOffice, Role::DepartmentHead]);
const PLAN_CONFIG_FIXTURE: Access = Access::Roles(&[Role::PerformanceOffice]);
/// Satisfaction surveys: the performance office creates, prints, exports and closes them.
const SURVEYS: Access = Access::Roles(&[Role::PerformanceOffice]);
/// Their results: office-wide readers, and heads for their own departments' rows.
const SURVEY_READERS: Access = Access::Roles(&[
    Role::PerformanceOffice,
    Role::AssessmentCommittee,
    Role::SupervisingLeader,
    Role::Auditor,
    Role::DepartmentHead,
]);
/// Events (docs/DOMAIN.md §18.2): the office and heads create them; office-wide readers read
/// the fixture event; the office alone manages it.
const EVENT_CREATORS: Access = Access::Roles(&[Role::PerformanceOffice, Role::DepartmentHead]);
const EVENT_READERS: Access =
    Access::Roles(&[Role::PerformanceOffice, Role::AssessmentCommittee, Role::SupervisingLeader, Role::Auditor]);
const EVENT_MANAGERS: Access = Access::Roles(&[Role::PerformanceOffice]);
/// Written notices and interview records (docs/DOMAIN.md §19.1, §19.2): office-wide readers
/// read the fixture person's; heads and leaders of another department do not.
const NOTICE_READERS: Access = Access::Roles(&[Role::PerformanceOffice, Role::AssessmentCommittee, Role::Auditor]);
/// Heads and supervising leaders schedule interviews (the empty form is refused with 422).
const INTERVIEWERS: Access = Access::Roles(&[Role::DepartmentHead, Role::SupervisingLeader]);
/// Who follows departments' written notices: office-wide readers, and heads and supervising
/// leaders for theirs (the matrix's head and leader each have a department).
const NOTICE_FOLLOWERS: Access = Access::Roles(&[
    Role::PerformanceOffice,
    Role::AssessmentCommittee,
    Role::Auditor,
    Role::DepartmentHead,
    Role::SupervisingLeader,
]);
/// Readers of scores: office-wide readers, heads and leaders (their departments' rows).
const SCORE_READERS: Access = Access::Roles(&[
    Role::DepartmentHead,
    Role::SupervisingLeader,
    Role::AssessmentCommittee,
    Role::PerformanceOffice,
    Role::Auditor,
]);
const TEMPLATES_VIEW: Access = Access::Roles(&[Role::PerformanceOffice, Role::SystemAdmin, Role::Auditor]);
/// Who reads the fixture supervision item (its notice and slips print for them too).
const ITEM_READERS: Access = Access::Roles(&[
    Role::SupervisionOfficer,
    Role::AssessmentCommittee,
    Role::Auditor,
    Role::PerformanceOffice,
    Role::DepartmentHead,
    Role::SupervisingLeader,
]);
/// Registration forms of the fixture person and department: the office-wide readers of summaries.
const FORM_READERS: Access = Access::Roles(&[Role::PerformanceOffice, Role::AssessmentCommittee]);

/// Who watches the A/B cover of posts: heads their departments', the office and the administrator every post.
const COVER_WATCHERS: Access = Access::Roles(&[Role::DepartmentHead, Role::PerformanceOffice, Role::SystemAdmin]);
/// The department board: heads, and whoever reads the office board (the drill-down from it).
const DEPARTMENT_BOARD: Access = Access::Roles(&[
    Role::DepartmentHead,
    Role::PerformanceOffice,
    Role::SupervisingLeader,
    Role::AssessmentCommittee,
    Role::Auditor,
]);
const OFFICE_BOARD: Access =
    Access::Roles(&[Role::PerformanceOffice, Role::SupervisingLeader, Role::AssessmentCommittee, Role::Auditor]);
/// The standard ledger items: everyone who uses the ledger but staff.
const LEDGER_ITEMS_READERS: Access = Access::Roles(&[
    Role::PerformanceOffice,
    Role::DepartmentHead,
    Role::SupervisingLeader,
    Role::AssessmentCommittee,
    Role::DisciplineInspection,
    Role::Auditor,
]);
/// The ledger's list: staff read the records about themselves; leaders those of the departments they oversee.
const LEDGER_LIST_READERS: Access = Access::Roles(&[
    Role::Staff,
    Role::PerformanceOffice,
    Role::DepartmentHead,
    Role::SupervisingLeader,
    Role::AssessmentCommittee,
    Role::DisciplineInspection,
    Role::Auditor,
]);

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
    ("GET", "/org/import/samples/{file}", "/org/import/samples/roster-sample.csv", ADMIN),
    ("GET", "/org/members", "/org/members", MEMBERS_VIEW),
    ("POST", "/org/members", "/org/members", ORG_EDIT),
    ("GET", "/org/members/new", "/org/members/new", ORG_EDIT),
    ("GET", "/org/members/{id}/edit", "/org/members/{committee_member}/edit", ORG_EDIT),
    ("POST", "/org/members/{id}", "/org/members/{committee_member}", ORG_EDIT),
    ("GET", "/org/members/import", "/org/members/import", ORG_EDIT),
    ("POST", "/org/members/import", "/org/members/import", ORG_EDIT),
    ("POST", "/org/members/import/{id}/commit", "/org/members/import/{member_import}/commit", ORG_EDIT),
    ("GET", "/org/members/import/samples/{file}", "/org/members/import/samples/members-sample.csv", ORG_EDIT),
    ("GET", "/audit", "/audit", AUDIT),
    ("GET", "/cycles", "/cycles", CYCLES),
    ("POST", "/cycles", "/cycles", CYCLES),
    ("GET", "/cycles/new", "/cycles/new", CYCLES),
    ("GET", "/cycles/{id}", "/cycles/{cycle}", CYCLES),
    ("POST", "/cycles/{id}", "/cycles/{cycle}", CYCLES),
    ("GET", "/cycles/{id}/edit", "/cycles/{cycle}/edit", CYCLES),
    ("POST", "/cycles/{id}/stage", "/cycles/{cycle}/stage", CYCLES),
    ("POST", "/cycles/{id}/members", "/cycles/{cycle}/members", CYCLES),
    ("POST", "/cycles/{id}/members/remove", "/cycles/{cycle}/members/remove", CYCLES),
    ("GET", "/calendar", "/calendar", CALENDAR),
    ("POST", "/calendar", "/calendar", CALENDAR),
    ("POST", "/calendar/{day}/delete", "/calendar/{calendar_day}/delete", CALENDAR),
    ("GET", "/settings", "/settings?year=2026", SETTINGS),
    ("POST", "/settings", "/settings?year=2026", SETTINGS),
    ("GET", "/plan/my", "/plan/my", Access::SignedIn),
    ("GET", "/plan/my.xlsx", "/plan/my.xlsx", Access::SignedIn),
    ("POST", "/plan/sets", "/plan/sets", Access::SignedIn),
    ("GET", "/plan/sets/{id}", "/plan/sets/{target_set}", PLAN_READERS),
    ("GET", "/plan/sets/{id}/letter", "/plan/sets/{target_set}/letter", PLAN_READERS),
    // The same route answers `{id}.xlsx`, the set's targets in Excel.
    ("GET", "/plan/sets/{id}", "/plan/sets/{target_set}.xlsx", PLAN_READERS),
    ("POST", "/plan/sets/{id}/submit", "/plan/sets/{target_set}/submit", NOBODY),
    ("POST", "/plan/sets/{id}/return", "/plan/sets/{target_set}/return", NOBODY),
    ("POST", "/plan/sets/{id}/approve", "/plan/sets/{target_set}/approve", NOBODY),
    ("POST", "/plan/sets/{id}/copy-last", "/plan/sets/{target_set}/copy-last", NOBODY),
    ("GET", "/plan/sets/{id}/targets/new", "/plan/sets/{target_set}/targets/new", NOBODY),
    ("POST", "/plan/sets/{id}/targets", "/plan/sets/{target_set}/targets", NOBODY),
    ("GET", "/plan/targets/{id}", "/plan/targets/{target}", PLAN_READERS),
    ("POST", "/plan/targets/{id}", "/plan/targets/{target}", NOBODY),
    ("GET", "/plan/targets/{id}/edit", "/plan/targets/{target}/edit", NOBODY),
    ("POST", "/plan/targets/{id}/withdraw", "/plan/targets/{target}/withdraw", NOBODY),
    ("GET", "/plan/targets/{id}/change", "/plan/targets/{target}/change", NOBODY),
    ("POST", "/plan/targets/{id}/changes", "/plan/targets/{target}/changes", NOBODY),
    ("POST", "/plan/changes/{id}/decide", "/plan/changes/{change}/decide", NOBODY),
    ("GET", "/plan/queue", "/plan/queue", DECIDERS),
    ("GET", "/plan/queue.xlsx", "/plan/queue.xlsx", DECIDERS),
    ("POST", "/plan/queue/approve", "/plan/queue/approve", DECIDERS),
    ("GET", "/plan/department", "/plan/department", Access::Roles(&[Role::DepartmentHead])),
    ("GET", "/plan/department.xlsx", "/plan/department.xlsx", Access::Roles(&[Role::DepartmentHead])),
    ("GET", "/plan/assign", "/plan/assign?cycle={plan_cycle}&department={department}", NOBODY),
    ("POST", "/plan/assign", "/plan/assign?cycle={plan_cycle}&department={department}", NOBODY),
    // Target import: heads for their departments, the office for any (the empty post is a
    // bad request for them; an unknown import is 404).
    ("GET", "/plan/import", "/plan/import", PLAN_CONFIG_ANY),
    ("POST", "/plan/import", "/plan/import", PLAN_CONFIG_ANY),
    ("POST", "/plan/import/{id}/commit", "/plan/import/0/commit", PLAN_CONFIG_ANY),
    ("GET", "/plan/import/samples/{file}", "/plan/import/samples/targets-sample.csv", PLAN_CONFIG_ANY),
    ("GET", "/plan/overseen", "/plan/overseen", Access::Roles(&[Role::SupervisingLeader])),
    ("GET", "/plan/overseen.xlsx", "/plan/overseen.xlsx", Access::Roles(&[Role::SupervisingLeader])),
    ("GET", "/plan/board", "/plan/board", PLAN_READERS),
    ("GET", "/plan/board.xlsx", "/plan/board.xlsx", PLAN_READERS),
    // Background exports: one's own list; started by the office-wide plan readers (the empty
    // form is 422 for them); someone else's job does not exist (404 for everyone signed in).
    ("GET", "/exports", "/exports", Access::SignedIn),
    ("POST", "/exports", "/exports", PLAN_READERS),
    ("GET", "/exports/{id}", "/exports/0", Access::SignedIn),
    ("GET", "/plan/tree", "/plan/tree", TREE_READERS),
    // Progress reports: the fixture report is on the fixture target (no owner, a set of "办公室"):
    // only the office-wide readers read it; nobody of the matrix reports on it or verifies it.
    ("GET", "/monitor/reports", "/monitor/reports", Access::SignedIn),
    ("GET", "/monitor/reports.xlsx", "/monitor/reports.xlsx", Access::SignedIn),
    ("GET", "/monitor/targets/{id}/report", "/monitor/targets/{target}/report", NOBODY),
    ("POST", "/monitor/targets/{id}/reports", "/monitor/targets/{target}/reports", NOBODY),
    ("GET", "/monitor/reports/{id}", "/monitor/reports/{progress_report}", PLAN_READERS),
    ("POST", "/monitor/reports/{id}/verify", "/monitor/reports/{progress_report}/verify", NOBODY),
    ("POST", "/monitor/reports/{id}/return", "/monitor/reports/{progress_report}/return", NOBODY),
    ("POST", "/monitor/reports/{id}/resubmit", "/monitor/reports/{progress_report}/resubmit", NOBODY),
    ("GET", "/monitor/verify", "/monitor/verify", DECIDERS),
    ("GET", "/monitor/verify.xlsx", "/monitor/verify.xlsx", DECIDERS),
    ("GET", "/monitor/files/{id}", "/monitor/files/{report_file}", PLAN_READERS),
    // Supervision: the list is scoped, so everyone signed in opens it; the fixture item belongs to
    // the fixture department and person, so of the matrix's roles only the officer takes part in it.
    // The departments of the matrix's head and leader co-operate (协办): they read it and take no step.
    ("GET", "/supervision", "/supervision", Access::SignedIn),
    ("GET", "/supervision.xlsx", "/supervision.xlsx", Access::SignedIn),
    ("POST", "/supervision", "/supervision", Access::Roles(&[Role::SupervisionOfficer, Role::SupervisingLeader])),
    (
        "GET",
        "/supervision/new",
        "/supervision/new",
        Access::Roles(&[Role::SupervisionOfficer, Role::SupervisingLeader]),
    ),
    (
        "GET",
        "/supervision/{id}",
        "/supervision/{supervision}",
        Access::Roles(&[
            Role::SupervisionOfficer,
            Role::AssessmentCommittee,
            Role::Auditor,
            Role::PerformanceOffice,
            Role::DepartmentHead,
            Role::SupervisingLeader,
        ]),
    ),
    ("POST", "/supervision/{id}/step", "/supervision/{supervision}/step", Access::Roles(&[Role::SupervisionOfficer])),
    ("GET", "/supervision/{id}/slip", "/supervision/{supervision}/slip", ITEM_READERS),
    ("GET", "/supervision/slips/{id}/print", "/supervision/slips/{supervision_slip}/print", ITEM_READERS),
    ("POST", "/supervision/{id}/progress", "/supervision/{supervision}/progress", NOBODY),
    ("POST", "/supervision/{id}/extensions", "/supervision/{supervision}/extensions", NOBODY),
    (
        "POST",
        "/supervision/extensions/{id}/decide",
        "/supervision/extensions/{supervision_extension}/decide",
        Access::Roles(&[Role::SupervisionOfficer]),
    ),
    ("POST", "/supervision/slips/{id}/answer", "/supervision/slips/{supervision_slip}/answer", NOBODY),
    ("POST", "/supervision/slips/issue", "/supervision/slips/issue", Access::Roles(&[Role::SupervisionOfficer])),
    // Work systems: the list is scoped, so everyone signed in opens it; the fixture event belongs to
    // "办公室" (none of the matrix's heads heads it) and its task and follow-up to the fixture
    // person, so office-wide readers read it and only the performance office manages it.
    (
        "GET",
        "/feedback/board",
        "/feedback/board",
        Access::Roles(&[Role::PerformanceOffice, Role::SupervisingLeader, Role::AssessmentCommittee, Role::Auditor]),
    ),
    ("GET", "/feedback/notices", "/feedback/notices", Access::SignedIn),
    // The export holds the notices a person follows: refused for someone who follows no department.
    ("GET", "/feedback/notices.xlsx", "/feedback/notices.xlsx", NOTICE_FOLLOWERS),
    ("GET", "/feedback/notices/{id}", "/feedback/notices/{notice}", NOTICE_READERS),
    ("GET", "/feedback/notices/{id}/print", "/feedback/notices/{notice}/print", NOTICE_READERS),
    ("POST", "/feedback/notices/{id}/acknowledge", "/feedback/notices/{notice}/acknowledge", NOBODY),
    ("GET", "/feedback/interviews", "/feedback/interviews", Access::SignedIn),
    ("POST", "/feedback/interviews", "/feedback/interviews", INTERVIEWERS),
    ("GET", "/feedback/interviews/{id}", "/feedback/interviews/{interview}", NOTICE_READERS),
    ("POST", "/feedback/interviews/{id}/record", "/feedback/interviews/{interview}/record", NOBODY),
    ("POST", "/feedback/interviews/{id}/confirm", "/feedback/interviews/{interview}/confirm", NOBODY),
    ("GET", "/events", "/events", Access::SignedIn),
    ("GET", "/events.xlsx", "/events.xlsx?year=2026", Access::SignedIn),
    ("POST", "/events", "/events", EVENT_CREATORS),
    ("GET", "/events/new", "/events/new", EVENT_CREATORS),
    ("GET", "/events/{id}", "/events/{event}", EVENT_READERS),
    ("POST", "/events/{id}", "/events/{event}", EVENT_MANAGERS),
    ("GET", "/events/{id}/edit", "/events/{event}/edit", EVENT_MANAGERS),
    ("POST", "/events/{id}/output", "/events/{event}/output", EVENT_MANAGERS),
    ("POST", "/events/{id}/status", "/events/{event}/status", EVENT_MANAGERS),
    ("POST", "/events/{id}/tasks", "/events/{event}/tasks", EVENT_MANAGERS),
    ("POST", "/events/{id}/follow-ups", "/events/{event}/follow-ups", EVENT_MANAGERS),
    ("POST", "/events/{id}/invite", "/events/{event}/invite", EVENT_MANAGERS),
    ("POST", "/events/{id}/attendance", "/events/{event}/attendance", EVENT_MANAGERS),
    ("POST", "/events/{id}/files", "/events/{event}/files", EVENT_MANAGERS),
    ("POST", "/events/tasks/{id}/done", "/events/tasks/{event_task}/done", EVENT_MANAGERS),
    ("POST", "/events/follow-ups/{id}/done", "/events/follow-ups/{event_follow_up}/done", EVENT_MANAGERS),
    ("GET", "/events/files/{id}", "/events/files/{event_file}", EVENT_READERS),
    // Absences: a person sees their own, heads record for their departments, the office and the
    // administrator for anyone (the fixture absence belongs to a person of no department).
    ("GET", "/absences", "/absences", Access::SignedIn),
    ("GET", "/absences.xlsx", "/absences.xlsx", Access::SignedIn),
    ("GET", "/absences/year", "/absences/year", Access::SignedIn),
    ("GET", "/absences/year.xlsx", "/absences/year.xlsx?year=2026", Access::SignedIn),
    (
        "POST",
        "/absences",
        "/absences",
        Access::Roles(&[Role::DepartmentHead, Role::PerformanceOffice, Role::SystemAdmin]),
    ),
    (
        "GET",
        "/absences/new",
        "/absences/new",
        Access::Roles(&[Role::DepartmentHead, Role::PerformanceOffice, Role::SystemAdmin]),
    ),
    ("GET", "/absences/cover", "/absences/cover", COVER_WATCHERS),
    ("GET", "/absences/cover.xlsx", "/absences/cover.xlsx", COVER_WATCHERS),
    (
        "POST",
        "/absences/{id}/withdraw",
        "/absences/{absence}/withdraw",
        Access::Roles(&[Role::PerformanceOffice, Role::SystemAdmin]),
    ),
    // Ballots: a person's own tasks; someone else's task does not exist for them (404).
    ("GET", "/assess/ballots", "/assess/ballots", Access::SignedIn),
    ("GET", "/assess/ballots/{cycle}/{ratee}/{kind}", "/assess/ballots/{cycle}/{person}/democratic", Access::SignedIn),
    ("POST", "/assess/ballots/{cycle}/{ratee}/{kind}", "/assess/ballots/{cycle}/{person}/democratic", Access::SignedIn),
    ("POST", "/cycles/{id}/rating-tasks", "/cycles/{cycle}/rating-tasks", Access::Roles(&[Role::PerformanceOffice])),
    // Paper ballots and corrections: the performance office (the fixture cycle is in planning:
    // entering is refused with 422; an unknown ballot is 404 for the office).
    ("GET", "/assess/cycles/{id}/ballots", "/assess/cycles/{cycle}/ballots", CYCLES),
    ("GET", "/assess/cycles/{id}/ballots.xlsx", "/assess/cycles/{cycle}/ballots.xlsx", CYCLES),
    ("GET", "/assess/cycles/{id}/paper", "/assess/cycles/{cycle}/paper", CYCLES),
    ("POST", "/assess/cycles/{id}/paper", "/assess/cycles/{cycle}/paper", CYCLES),
    ("GET", "/assess/cycles/{id}/people/{person}/ballots", "/assess/cycles/{cycle}/people/{person}/ballots", CYCLES),
    ("GET", "/assess/corrections/{ballot}", "/assess/corrections/{ballot}", CYCLES),
    ("POST", "/assess/corrections/{ballot}", "/assess/corrections/{ballot}", CYCLES),
    // Scores: readers of a scope (the fixture cycle is in planning: 404 for them); a breakdown is
    // checked after its participant is found, so the planning cycle is 404 for everyone.
    (
        "GET",
        "/assess/cycles/{id}/scores",
        "/assess/cycles/{cycle}/scores",
        Access::Roles(&[
            Role::DepartmentHead,
            Role::SupervisingLeader,
            Role::AssessmentCommittee,
            Role::PerformanceOffice,
            Role::Auditor,
        ]),
    ),
    // The score page's exports: its readers (the planning cycle is 404 for them too).
    ("GET", "/assess/cycles/{id}/scores.xlsx", "/assess/cycles/{cycle}/scores.xlsx", SCORE_READERS),
    ("GET", "/assess/cycles/{id}/quotas.xlsx", "/assess/cycles/{cycle}/quotas.xlsx", SCORE_READERS),
    (
        "GET",
        "/assess/scores",
        "/assess/scores",
        Access::Roles(&[
            Role::DepartmentHead,
            Role::SupervisingLeader,
            Role::AssessmentCommittee,
            Role::PerformanceOffice,
            Role::Auditor,
        ]),
    ),
    // Deciding: the committee (the fixture cycle is in planning: refused with a message, not 403);
    // publicity for everyone (an objection without a running publicity is 422); answering: the
    // committee (an unknown objection is 404 for them).
    (
        "POST",
        "/assess/cycles/{id}/decide",
        "/assess/cycles/{cycle}/decide",
        Access::Roles(&[Role::AssessmentCommittee]),
    ),
    (
        "POST",
        "/assess/cycles/{id}/calibrate",
        "/assess/cycles/{cycle}/calibrate",
        Access::Roles(&[Role::AssessmentCommittee]),
    ),
    // The committee's records: the fixture cycle is not annual (404 for the committee).
    (
        "POST",
        "/assess/cycles/{id}/quota-approval",
        "/assess/cycles/{cycle}/quota-approval",
        Access::Roles(&[Role::AssessmentCommittee]),
    ),
    (
        "POST",
        "/assess/cycles/{id}/quota-approval/withdraw",
        "/assess/cycles/{cycle}/quota-approval/withdraw",
        Access::Roles(&[Role::AssessmentCommittee]),
    ),
    (
        "POST",
        "/assess/cycles/{id}/vetoes",
        "/assess/cycles/{cycle}/vetoes",
        Access::Roles(&[Role::AssessmentCommittee]),
    ),
    (
        "POST",
        "/assess/cycles/{id}/vetoes/{person}/withdraw",
        "/assess/cycles/{cycle}/vetoes/{person}/withdraw",
        Access::Roles(&[Role::AssessmentCommittee]),
    ),
    ("GET", "/assess/publicity", "/assess/publicity", Access::SignedIn),
    ("POST", "/assess/publicity", "/assess/publicity", Access::SignedIn),
    (
        "POST",
        "/assess/objections/{id}/answer",
        "/assess/objections/999999/answer",
        Access::Roles(&[Role::AssessmentCommittee]),
    ),
    ("GET", "/assess/cycles/{id}/people/{person}", "/assess/cycles/{cycle}/people/{person}", Access::SignedIn),
    // Registration forms: read as the person's summary is (the fixture person is of no department,
    // so the office-wide readers of summaries; the cycle in planning is then 404 for them); a
    // department's batch by its heads and leaders (not the matrix's) and those readers.
    ("GET", "/assess/cycles/{id}/people/{person}/form", "/assess/cycles/{cycle}/people/{person}/form", FORM_READERS),
    (
        "GET",
        "/assess/cycles/{id}/departments/{department}/forms",
        "/assess/cycles/{cycle}/departments/{department}/forms",
        FORM_READERS,
    ),
    // Discipline records: discipline inspection keeps them, the performance office reads them.
    ("GET", "/discipline", "/discipline", Access::Roles(&[Role::DisciplineInspection, Role::PerformanceOffice])),
    ("POST", "/discipline", "/discipline", Access::Roles(&[Role::DisciplineInspection])),
    ("GET", "/discipline/new", "/discipline/new", Access::Roles(&[Role::DisciplineInspection])),
    ("GET", "/discipline/{id}", "/discipline/{discipline}", Access::Roles(&[Role::DisciplineInspection])),
    ("POST", "/discipline/{id}", "/discipline/{discipline}", Access::Roles(&[Role::DisciplineInspection])),
    (
        "POST",
        "/discipline/{id}/withdraw",
        "/discipline/{discipline}/withdraw",
        Access::Roles(&[Role::DisciplineInspection]),
    ),
    // Self-summaries: the matrix's cycle is in planning with every staff member taking part, so
    // staff open their summary form (writing is refused with 422, not 403); the fixture summary
    // belongs to a person of no department, so only the office-wide readers open it and nobody decides it.
    ("GET", "/assess/my", "/assess/my", Access::SignedIn),
    ("GET", "/assess/cycles/{id}/summary", "/assess/cycles/{cycle}/summary", Access::Roles(&[Role::Staff])),
    ("POST", "/assess/cycles/{id}/summary", "/assess/cycles/{cycle}/summary", Access::Roles(&[Role::Staff])),
    (
        "GET",
        "/assess/summaries",
        "/assess/summaries",
        Access::Roles(&[
            Role::DepartmentHead,
            Role::SupervisingLeader,
            Role::PerformanceOffice,
            Role::AssessmentCommittee,
        ]),
    ),
    (
        "GET",
        "/assess/summaries/{id}",
        "/assess/summaries/{summary}",
        Access::Roles(&[Role::PerformanceOffice, Role::AssessmentCommittee]),
    ),
    ("POST", "/assess/summaries/{id}/decide", "/assess/summaries/{summary}/decide", NOBODY),
    // Criteria schemes: the performance office keeps them (the fixture is 2026's staff scheme).
    // The assessment of departments: readers of scores see the ranking (heads and leaders their own
    // rows); a department's scorecard is the office-wide readers' for the fixture department; the
    // committee decides and calibrates; leaders and heads rate departments; the office keeps the scheme.
    (
        "GET",
        "/assess/departments",
        "/assess/departments?year=2026",
        Access::Roles(&[
            Role::DepartmentHead,
            Role::SupervisingLeader,
            Role::AssessmentCommittee,
            Role::PerformanceOffice,
            Role::Auditor,
        ]),
    ),
    ("GET", "/assess/departments.xlsx", "/assess/departments.xlsx?year=2026", SCORE_READERS),
    (
        "GET",
        "/assess/departments/{year}/{department}",
        "/assess/departments/2026/{department}",
        Access::Roles(&[Role::AssessmentCommittee, Role::PerformanceOffice, Role::Auditor]),
    ),
    (
        "GET",
        "/assess/departments/{year}/{department}/card.xlsx",
        "/assess/departments/2026/{department}/card.xlsx",
        Access::Roles(&[Role::AssessmentCommittee, Role::PerformanceOffice, Role::Auditor]),
    ),
    (
        "POST",
        "/assess/departments/{year}/calibrate",
        "/assess/departments/2026/calibrate",
        Access::Roles(&[Role::AssessmentCommittee]),
    ),
    (
        "POST",
        "/assess/departments/{year}/calibrations/{department}/withdraw",
        "/assess/departments/2026/calibrations/{department}/withdraw",
        Access::Roles(&[Role::AssessmentCommittee]),
    ),
    (
        "POST",
        "/assess/departments/{year}/decide",
        "/assess/departments/2026/decide",
        Access::Roles(&[Role::AssessmentCommittee]),
    ),
    (
        "GET",
        "/assess/department-ballots",
        "/assess/department-ballots",
        Access::Roles(&[Role::DepartmentHead, Role::SupervisingLeader, Role::PrincipalLeader]),
    ),
    (
        "POST",
        "/assess/department-ballots",
        "/assess/department-ballots",
        Access::Roles(&[Role::DepartmentHead, Role::SupervisingLeader, Role::PrincipalLeader]),
    ),
    ("GET", "/assess/department-schemes/{year}", "/assess/department-schemes/2026", SCHEMES),
    ("POST", "/assess/department-schemes/{year}", "/assess/department-schemes/2026", SCHEMES),
    ("GET", "/assess/schemes", "/assess/schemes?year=2026", SCHEMES),
    ("POST", "/assess/schemes/copy", "/assess/schemes/copy", SCHEMES),
    ("GET", "/assess/schemes/{id}", "/assess/schemes/{scheme}", SCHEMES),
    ("POST", "/assess/schemes/{id}", "/assess/schemes/{scheme}", SCHEMES),
    ("GET", "/assess/schemes/{id}/edit", "/assess/schemes/{scheme}/edit", SCHEMES),
    ("GET", "/assess/schemes/{id}/diff", "/assess/schemes/{scheme}/diff", SCHEMES),
    ("GET", "/assess/schemes/{id}/preview", "/assess/schemes/{scheme}/preview?person={person}", SCHEMES),
    ("GET", "/notifications", "/notifications", Access::SignedIn),
    ("POST", "/notifications/read-all", "/notifications/read-all", Access::SignedIn),
    // Someone else's notification: 404 for everyone signed in (it does not exist for them).
    ("POST", "/notifications/{id}/open", "/notifications/{notification}/open", Access::SignedIn),
    // Heads, and whoever reads the office board (the drill-down from it).
    ("GET", "/monitor/department", "/monitor/department", DEPARTMENT_BOARD),
    ("GET", "/monitor/department.xlsx", "/monitor/department.xlsx", DEPARTMENT_BOARD),
    ("GET", "/monitor/office", "/monitor/office", OFFICE_BOARD),
    ("GET", "/monitor/office.xlsx", "/monitor/office.xlsx", OFFICE_BOARD),
    ("GET", "/commitments", "/commitments", Access::SignedIn),
    ("GET", "/commitments.xlsx", "/commitments.xlsx", Access::SignedIn),
    ("POST", "/commitments", "/commitments", PLAN_CONFIG_ANY),
    ("GET", "/commitments/new", "/commitments/new", PLAN_CONFIG_ANY),
    ("GET", "/commitments/{id}/edit", "/commitments/{commitment}/edit", PLAN_CONFIG_FIXTURE),
    ("POST", "/commitments/{id}", "/commitments/{commitment}", PLAN_CONFIG_FIXTURE),
    // Ledger: the performance office keeps items and reviews; heads propose for their own
    // departments (the fixture record belongs to "办公室", which the matrix's head does not head).
    ("GET", "/ledger/items", "/ledger/items", LEDGER_ITEMS_READERS),
    ("GET", "/ledger/items.xlsx", "/ledger/items.xlsx", LEDGER_ITEMS_READERS),
    ("POST", "/ledger/items", "/ledger/items", Access::Roles(&[Role::PerformanceOffice])),
    ("GET", "/ledger/items/new", "/ledger/items/new", Access::Roles(&[Role::PerformanceOffice])),
    ("GET", "/ledger/items/{id}/edit", "/ledger/items/{ledger_item}/edit", Access::Roles(&[Role::PerformanceOffice])),
    ("POST", "/ledger/items/{id}", "/ledger/items/{ledger_item}", Access::Roles(&[Role::PerformanceOffice])),
    // Staff read the records about themselves; leaders those of the departments they oversee.
    ("GET", "/ledger", "/ledger", LEDGER_LIST_READERS),
    ("GET", "/ledger.xlsx", "/ledger.xlsx", LEDGER_LIST_READERS),
    ("POST", "/ledger", "/ledger", Access::Roles(&[Role::PerformanceOffice, Role::DepartmentHead])),
    ("GET", "/ledger/new", "/ledger/new", Access::Roles(&[Role::PerformanceOffice, Role::DepartmentHead])),
    ("GET", "/ledger/{id}", "/ledger/{ledger_record}", LEDGER_READ_ALL),
    ("POST", "/ledger/{id}/review", "/ledger/{ledger_record}/review", Access::Roles(&[Role::PerformanceOffice])),
    ("GET", "/ledger/files/{id}", "/ledger/files/{ledger_file}", LEDGER_READ_ALL),
    // Commitment cases are public within the office; recording them is for the keepers of the commitment.
    ("GET", "/commitments/{id}/cases", "/commitments/{commitment}/cases", Access::SignedIn),
    ("GET", "/commitments/{id}/cases.xlsx", "/commitments/{commitment}/cases.xlsx", Access::SignedIn),
    ("POST", "/commitments/{id}/cases", "/commitments/{commitment}/cases", PLAN_CONFIG_FIXTURE),
    ("POST", "/commitment-cases/{id}", "/commitment-cases/{commitment_case}", PLAN_CONFIG_FIXTURE),
    ("GET", "/org/posts/{id}/templates", "/org/posts/{post}/templates", TEMPLATES_VIEW),
    ("POST", "/org/posts/{id}/templates", "/org/posts/{post}/templates", PLAN_CONFIG_FIXTURE),
    ("GET", "/org/post-templates/{id}/edit", "/org/post-templates/{post_template}/edit", PLAN_CONFIG_FIXTURE),
    ("POST", "/org/post-templates/{id}", "/org/post-templates/{post_template}", PLAN_CONFIG_FIXTURE),
    ("POST", "/org/post-templates/{id}/delete", "/org/post-templates/{post_template}/delete", PLAN_CONFIG_FIXTURE),
    // Satisfaction surveys; members answer through their link without an account (an
    // empty sheet comes back with 422 and records nothing).
    ("GET", "/assess/surveys", "/assess/surveys", SURVEY_READERS),
    ("POST", "/assess/surveys", "/assess/surveys", SURVEYS),
    ("GET", "/assess/surveys/new", "/assess/surveys/new", SURVEYS),
    ("GET", "/assess/surveys/{id}", "/assess/surveys/{survey}", SURVEY_READERS),
    ("GET", "/assess/surveys/{id}/results.xlsx", "/assess/surveys/{survey}/results.xlsx", SURVEY_READERS),
    ("POST", "/assess/surveys/{id}/close", "/assess/surveys/{survey}/close", SURVEYS),
    ("GET", "/assess/surveys/{id}/links", "/assess/surveys/{survey}/links", SURVEYS),
    ("GET", "/assess/surveys/{id}/links.csv", "/assess/surveys/{survey}/links.csv", SURVEYS),
    ("GET", "/s/{token}", "/s/{survey_token}", Access::Public),
    ("POST", "/s/{token}", "/s/{survey_token}", Access::Public),
    // Rectification (docs/DOMAIN.md §19.5): the list is scoped, so everyone signed in opens it;
    // the office, heads and the committee raise items (an empty form is 422); the fixture item
    // (a self-assessment item of "办公室", owned by the fixture person, submitted) is read by the
    // office-wide readers, edited, verified and reopened by the office alone, and carried out by
    // nobody of the matrix; the office and heads carry items into targets.
    ("GET", "/feedback/rectification", "/feedback/rectification", Access::SignedIn),
    ("GET", "/feedback/rectification.xlsx", "/feedback/rectification.xlsx?overdue=1", Access::SignedIn),
    ("POST", "/feedback/rectification", "/feedback/rectification", RECTIFICATION_RAISERS),
    ("GET", "/feedback/rectification/new", "/feedback/rectification/new", RECTIFICATION_RAISERS),
    ("GET", "/feedback/rectification/carry", "/feedback/rectification/carry", PLAN_CONFIG_ANY),
    ("POST", "/feedback/rectification/carry", "/feedback/rectification/carry", PLAN_CONFIG_ANY),
    ("GET", "/feedback/rectification/{id}", "/feedback/rectification/{rectification}", PLAN_READERS),
    ("POST", "/feedback/rectification/{id}", "/feedback/rectification/{rectification}", PLAN_CONFIG_FIXTURE),
    ("GET", "/feedback/rectification/{id}/edit", "/feedback/rectification/{rectification}/edit", PLAN_CONFIG_FIXTURE),
    ("POST", "/feedback/rectification/{id}/progress", "/feedback/rectification/{rectification}/progress", NOBODY),
    ("POST", "/feedback/rectification/{id}/submit", "/feedback/rectification/{rectification}/submit", NOBODY),
    (
        "POST",
        "/feedback/rectification/{id}/verify",
        "/feedback/rectification/{rectification}/verify",
        PLAN_CONFIG_FIXTURE,
    ),
    (
        "POST",
        "/feedback/rectification/{id}/reopen",
        "/feedback/rectification/{rectification}/reopen",
        PLAN_CONFIG_FIXTURE,
    ),
    ("GET", "/feedback/rectification/files/{id}", "/feedback/rectification/files/{rectification_file}", PLAN_READERS),
    // Stage 4: use of results (结果运用) and history. The office decides proposals and
    // imports earlier grades (an unknown proposal or import is 404 for it); a person's
    // record is read by themselves, the office, the committee and their head (the
    // matrix's head heads another department); trends by the office, the committee and heads.
    ("GET", "/feedback/proposals", "/feedback/proposals", Access::Roles(&[Role::PerformanceOffice])),
    (
        "GET",
        "/feedback/proposals.xlsx",
        "/feedback/proposals.xlsx?year=2025",
        Access::Roles(&[Role::PerformanceOffice]),
    ),
    (
        "POST",
        "/feedback/proposals/{id}/decide",
        "/feedback/proposals/0/decide",
        Access::Roles(&[Role::PerformanceOffice]),
    ),
    ("GET", "/feedback/grade-import", "/feedback/grade-import", Access::Roles(&[Role::PerformanceOffice])),
    ("POST", "/feedback/grade-import", "/feedback/grade-import", Access::Roles(&[Role::PerformanceOffice])),
    (
        "GET",
        "/feedback/grade-import/samples/{file}",
        "/feedback/grade-import/samples/grade-history-sample.csv",
        Access::Roles(&[Role::PerformanceOffice]),
    ),
    (
        "POST",
        "/feedback/grade-import/{id}/commit",
        "/feedback/grade-import/0/commit",
        Access::Roles(&[Role::PerformanceOffice]),
    ),
    ("GET", "/feedback/my", "/feedback/my", Access::SignedIn),
    ("GET", "/feedback/my.xlsx", "/feedback/my.xlsx", Access::SignedIn),
    (
        "GET",
        "/feedback/people/{id}",
        "/feedback/people/{person}",
        Access::Roles(&[Role::PerformanceOffice, Role::AssessmentCommittee]),
    ),
    (
        "GET",
        "/feedback/people/{id}/record.xlsx",
        "/feedback/people/{person}/record.xlsx",
        Access::Roles(&[Role::PerformanceOffice, Role::AssessmentCommittee]),
    ),
    (
        "GET",
        "/feedback/trends",
        "/feedback/trends",
        Access::Roles(&[Role::PerformanceOffice, Role::AssessmentCommittee, Role::DepartmentHead]),
    ),
    (
        "GET",
        "/feedback/trends.xlsx",
        "/feedback/trends.xlsx",
        Access::Roles(&[Role::PerformanceOffice, Role::AssessmentCommittee, Role::DepartmentHead]),
    ),
    // The excellence self-assessment (the fixture year, this year, is open, in scoring): its readers
    // read the scorecard and the standard; the performance office keeps the standard (an empty
    // item form is 422; the year's standard exists already, so creating it again is a redirect).
    ("GET", "/excellence/{year}/scorecard", "/excellence/{excellence_year}/scorecard", EXCELLENCE_READERS),
    ("GET", "/excellence/{year}/scorecard.xlsx", "/excellence/{excellence_year}/scorecard.xlsx", EXCELLENCE_READERS),
    ("GET", "/excellence/{year}/standard", "/excellence/{excellence_year}/standard", EXCELLENCE_READERS),
    ("POST", "/excellence/{year}/standard", "/excellence/{excellence_year}/standard", EXCELLENCE_OFFICE),
    (
        "GET",
        "/excellence/{year}/standard/items/{id}",
        "/excellence/{excellence_year}/standard/items/{excellence_item}",
        EXCELLENCE_OFFICE,
    ),
    (
        "POST",
        "/excellence/{year}/standard/items/{id}",
        "/excellence/{excellence_year}/standard/items/{excellence_item}",
        EXCELLENCE_OFFICE,
    ),
    // The four stages at a glance: whoever reads the office board.
    ("GET", "/dashboard", "/dashboard", OFFICE_BOARD),
    ("GET", "/dashboard.xlsx", "/dashboard.xlsx", OFFICE_BOARD),
    // Reviews and appeals: the person files about their own result (a filing without one is 422);
    // the committee decides, the performance office reads (the fixture request is another person's).
    ("GET", "/feedback/appeals", "/feedback/appeals", APPEAL_READERS),
    ("POST", "/feedback/appeals", "/feedback/appeals", Access::SignedIn),
    ("GET", "/feedback/appeals.xlsx", "/feedback/appeals.xlsx", APPEAL_READERS),
    ("GET", "/feedback/appeals/my", "/feedback/appeals/my", Access::SignedIn),
    ("GET", "/feedback/appeals/{id}", "/feedback/appeals/{result_appeal}", APPEAL_READERS),
    ("POST", "/feedback/appeals/{id}/decide", "/feedback/appeals/{result_appeal}/decide", APPEAL_DECIDERS),
    ("POST", "/feedback/appeals/{id}/extend", "/feedback/appeals/{result_appeal}/extend", APPEAL_DECIDERS),
    ("GET", "/feedback/appeals/files/{id}", "/feedback/appeals/files/{appeal_file}", APPEAL_READERS),
    // The excellence self-assessment: the fixture year is opened after the matrix's person
    // signs in, so the performance office and the leaders are its assessors (department heads
    // are not invited). Empty forms are 422 for whoever may post them.
    ("GET", "/excellence", "/excellence", EXCELLENCE_LIST),
    ("POST", "/excellence", "/excellence", EXCELLENCE_OFFICE),
    ("GET", "/excellence/{year}", "/excellence/{excellence_year}", EXCELLENCE_READERS),
    (
        "GET",
        "/excellence/{year}/items/{item}",
        "/excellence/{excellence_year}/items/{excellence_item}",
        EXCELLENCE_READERS,
    ),
    (
        "POST",
        "/excellence/{year}/items/{item}/score",
        "/excellence/{excellence_year}/items/{excellence_item}/score",
        EXCELLENCE_ASSESSORS,
    ),
    (
        "POST",
        "/excellence/{year}/items/{item}/consensus",
        "/excellence/{excellence_year}/items/{excellence_item}/consensus",
        EXCELLENCE_OFFICE,
    ),
    (
        "POST",
        "/excellence/{year}/items/{item}/findings",
        "/excellence/{excellence_year}/items/{excellence_item}/findings",
        EXCELLENCE_ASSESSORS,
    ),
    ("GET", "/excellence/{year}/consensus", "/excellence/{excellence_year}/consensus", EXCELLENCE_READERS),
    ("POST", "/excellence/{year}/assessors", "/excellence/{excellence_year}/assessors", EXCELLENCE_OFFICE),
    ("POST", "/excellence/{year}/figures", "/excellence/{excellence_year}/figures", EXCELLENCE_OFFICE),
    ("POST", "/excellence/{year}/stage", "/excellence/{excellence_year}/stage", EXCELLENCE_OFFICE),
    ("GET", "/excellence/{year}/benchmarks", "/excellence/{excellence_year}/benchmarks", EXCELLENCE_OFFICE),
    ("POST", "/excellence/{year}/benchmarks", "/excellence/{excellence_year}/benchmarks", EXCELLENCE_OFFICE),
    (
        "GET",
        "/excellence/findings/{id}/rectify",
        "/excellence/findings/{excellence_finding}/rectify",
        EXCELLENCE_OFFICE,
    ),
    (
        "POST",
        "/excellence/findings/{id}/rectify",
        "/excellence/findings/{excellence_finding}/rectify",
        EXCELLENCE_OFFICE,
    ),
];

/// The excellence self-assessment's readers; department heads also see the list (of the years they score).
const EXCELLENCE_READERS: Access = Access::Roles(&[
    Role::PerformanceOffice,
    Role::SupervisingLeader,
    Role::PrincipalLeader,
    Role::AssessmentCommittee,
    Role::Auditor,
]);
const EXCELLENCE_LIST: Access = Access::Roles(&[
    Role::PerformanceOffice,
    Role::SupervisingLeader,
    Role::PrincipalLeader,
    Role::AssessmentCommittee,
    Role::Auditor,
    Role::DepartmentHead,
]);
/// Its assessors from the opening: the performance office and the leaders.
const EXCELLENCE_ASSESSORS: Access =
    Access::Roles(&[Role::PerformanceOffice, Role::SupervisingLeader, Role::PrincipalLeader]);
const EXCELLENCE_OFFICE: Access = Access::Roles(&[Role::PerformanceOffice]);

/// Reviews and appeals: the committee decides them, the performance office reads them too.
const APPEAL_READERS: Access = Access::Roles(&[Role::AssessmentCommittee, Role::PerformanceOffice]);
const APPEAL_DECIDERS: Access = Access::Roles(&[Role::AssessmentCommittee]);

/// Who raises rectification items: the office, heads (their departments) and the committee (from assessment).
const RECTIFICATION_RAISERS: Access =
    Access::Roles(&[Role::PerformanceOffice, Role::DepartmentHead, Role::AssessmentCommittee]);

/// (method, path) of every route in the route table's source.
fn routes_in_table() -> BTreeSet<(String, String)> {
    let source = include_str!("../../src/http/routes.rs");
    let mut routes = BTreeSet::new();
    // Each `.route(` call up to the next one: its path is the first string literal,
    // its methods the method routers named in it (however rustfmt wraps the call).
    for route in source.split(".route(").skip(1) {
        let path = route.split('"').nth(1).unwrap().to_string();
        let handlers = route.split("// ").next().unwrap();
        for (marker, method) in
            [("get(", "GET"), ("post(", "POST"), ("put(", "PUT"), ("delete(", "DELETE"), ("patch(", "PATCH")]
        {
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
        let committee_member: i64 = sqlx::query_scalar(
            "insert into member (full_name, sector, term) values ('某委员', '经济界', '第十五届') returning id",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let member_import: i64 = sqlx::query_scalar(
            "insert into member_import (uploaded_by, file_name, rows) values ($1, 'x.csv', '[]') returning id",
        )
        .bind(person.parse::<i64>().unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let plan = plan_fixture(&app.pool, department.parse().unwrap(), person.parse().unwrap()).await;
        let progress_report: i64 = sqlx::query_scalar(
            "insert into progress_report (target_id, period_start, period_end, reported_value, state, submitted_by)
             values ($1, '2026-01-01', '2026-01-31', 10, 'on_track', $2) returning id",
        )
        .bind(plan.target)
        .bind(person.parse::<i64>().unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let report_file: i64 = sqlx::query_scalar(
            "insert into attachment (owner_type, owner_id, file_name, content_type, size_bytes, sha256, bytes, uploaded_by)
             values ('progress_report', $1, 'x.pdf', 'application/pdf', 8, 'x', '%PDF-1.4', $2) returning id",
        )
        .bind(progress_report)
        .bind(person.parse::<i64>().unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let supervision: i64 = sqlx::query_scalar(
            "insert into supervision_item (title, source, department_id, assignee_id, opened_by, due_date, status)
             values ('矩阵督办事项', 'meeting_decision', $1, $2, $2, '2026-06-30', 'assigned') returning id",
        )
        .bind(department.parse::<i64>().unwrap())
        .bind(person.parse::<i64>().unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let supervision_slip: i64 = sqlx::query_scalar(
            "insert into supervision_slip (item_id, colour, issued_on, answer_due, issue_week)
             values ($1, 'red', '2026-07-01', '2026-07-15', '2026-W27') returning id",
        )
        .bind(supervision)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let supervision_extension: i64 = sqlx::query_scalar(
            "insert into supervision_extension (item_id, requested_by, current_due, requested_due, reason)
             values ($1, $2, '2026-06-30', '2026-07-31', '矩阵延期理由') returning id",
        )
        .bind(supervision)
        .bind(person.parse::<i64>().unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let absence: i64 = sqlx::query_scalar(
            "insert into absence (person_id, from_date, to_date, kind, leave_kind, recorded_by) values ($1, '2026-05-06', '2026-05-08', 'leave', 'annual', $1) returning id",
        )
        .bind(person.parse::<i64>().unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let discipline: i64 = sqlx::query_scalar(
            "insert into discipline_record (person_id, measure, decided_on, from_date, recorded_by)
             values ($1, 'warning', '2026-03-01', '2026-03-01', $1) returning id",
        )
        .bind(person.parse::<i64>().unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let notification: i64 = sqlx::query_scalar(
            "insert into notification (person_id, message) values ($1, 'notify-plan-returned') returning id",
        )
        .bind(person.parse::<i64>().unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let commitment: i64 = sqlx::query_scalar(
            "insert into service_commitment (department_id, service, standard, time_limit_days) values ($1, '来访接待', '当日答复', 1) returning id",
        )
        .bind(department.parse::<i64>().unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let ledger = ledger_fixture(&app.pool, department.parse().unwrap(), person.parse().unwrap(), commitment).await;
        let post_template: i64 = sqlx::query_scalar(
            "insert into post_target_template (post_id, title, category) values ($1, '模板', 'routine') returning id",
        )
        .bind(post)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let cycle: i64 = sqlx::query_scalar(
            "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until, assessment_until, feedback_until)
             values ('矩阵考核周期', 'quarterly', '2026-04-01', '2026-06-30', '2026-04-15', '2026-06-30', '2026-07-15', '2026-07-31') returning id",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let summary: i64 = sqlx::query_scalar(
            "insert into self_summary (cycle_id, person_id, kind, status, body, submitted_at, first_submitted_at)
             values ($1, $2, 'personal', 'submitted', '矩阵总结', now(), now()) returning id",
        )
        .bind(cycle)
        .bind(person.parse::<i64>().unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let scheme = cppcc_perf::db::assessment_schemes::insert_version(
            &mut app.pool.acquire().await.unwrap(),
            &cppcc_perf::domain::assessment::Scheme::default_staff(2026),
            1,
            None,
            None,
        )
        .await
        .unwrap();
        let survey = survey_fixture(&app.pool, department.parse().unwrap(), person.parse().unwrap()).await;
        let mut client = match role {
            Some(role) => app.signed_in(role).await,
            None => {
                let mut c = app.client();
                c.get("/login").await;
                c
            }
        };
        sqlx::query(
            "insert into supervision_co_department (item_id, department_id) select $1, id from department where name like '处室%'",
        )
        .bind(supervision)
        .execute(&app.pool)
        .await
        .unwrap();
        let event = event_fixture(&app.pool, department.parse().unwrap(), person.parse().unwrap()).await;
        let feedback = feedback_fixture(&app, department.parse().unwrap(), person.parse().unwrap()).await;
        let appeal = appeal_fixture(&app.pool, person.parse().unwrap()).await;
        let rectification =
            rectification_fixture(&app.pool, department.parse().unwrap(), person.parse().unwrap()).await;
        let excellence = excellence_fixture(&app, person.parse().unwrap()).await;
        for (method, _, path, access) in MATRIX {
            let path = path
                .replace("{department}", &department)
                .replace("{cycle}", &cycle.to_string())
                .replace("{calendar_day}", "2026-10-01")
                .replace("{person}", &person)
                .replace("{post_template}", &post_template.to_string())
                .replace("{commitment}", &commitment.to_string())
                .replace("{post}", &post.to_string())
                .replace("{ledger_item}", &ledger.item.to_string())
                .replace("{ledger_record}", &ledger.record.to_string())
                .replace("{ledger_file}", &ledger.file.to_string())
                .replace("{commitment_case}", &ledger.case.to_string())
                .replace("{committee_member}", &committee_member.to_string())
                .replace("{member_import}", &member_import.to_string())
                .replace("{import}", &import.to_string())
                .replace("{progress_report}", &progress_report.to_string())
                .replace("{report_file}", &report_file.to_string())
                .replace("{plan_cycle}", &plan.cycle.to_string())
                .replace("{supervision_slip}", &supervision_slip.to_string())
                .replace("{supervision_extension}", &supervision_extension.to_string())
                .replace("{event_task}", &event.task.to_string())
                .replace("{event_follow_up}", &event.follow_up.to_string())
                .replace("{event_file}", &event.file.to_string())
                .replace("{event}", &event.event.to_string())
                .replace("{notice}", &feedback.notice.to_string())
                .replace("{interview}", &feedback.interview.to_string())
                .replace("{rectification_file}", &rectification.1.to_string())
                .replace("{rectification}", &rectification.0.to_string())
                .replace("{supervision}", &supervision.to_string())
                .replace("{target_set}", &plan.set.to_string())
                .replace("{target}", &plan.target.to_string())
                .replace("{change}", &plan.change.to_string())
                .replace("{absence}", &absence.to_string())
                .replace("{discipline}", &discipline.to_string())
                .replace("{summary}", &summary.to_string())
                .replace("{survey_token}", SURVEY_TOKEN)
                .replace("{survey}", &survey.to_string())
                .replace("{scheme}", &scheme.to_string())
                .replace("{notification}", &notification.to_string())
                .replace("{ballot}", "00000000-0000-4000-8000-000000000000")
                .replace("{result_appeal}", &appeal.0.to_string())
                .replace("{appeal_file}", &appeal.1.to_string())
                .replace("{excellence_year}", &excellence.0.to_string())
                .replace("{excellence_item}", &excellence.1.to_string())
                .replace("{excellence_finding}", &excellence.2.to_string());
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

/// The token of the fixture survey's one link.
const SURVEY_TOKEN: &str = "matrix-survey-link-token-0123456789abcdefghij";

/// An open survey about the fixture department with one link, to a member.
async fn survey_fixture(pool: &sqlx::PgPool, department: i64, person: i64) -> i64 {
    let member: i64 = sqlx::query_scalar(
        "insert into member (full_name, sector, term) values ('矩阵委员', '经济界', '第十五届') returning id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let survey: i64 = sqlx::query_scalar(
        "insert into survey (title, year, kind, expires_on, created_by)
         values ('矩阵测评', 2026, 'year_end', '2026-12-31', $1) returning id",
    )
    .bind(person)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("insert into survey_item (survey_id, position, department_id) values ($1, 1, $2)")
        .bind(survey)
        .bind(department)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("insert into survey_link (survey_id, member_id, token, expires_on) values ($1, $2, $3, '2026-12-31')")
        .bind(survey)
        .bind(member)
        .bind(SURVEY_TOKEN)
        .execute(pool)
        .await
        .unwrap();
    survey
}

/// A ledger item, a pending record about the fixture department with one
/// evidence file, and an open case of the fixture commitment.
struct LedgerFixture {
    item: i64,
    record: i64,
    file: i64,
    case: i64,
}

async fn ledger_fixture(pool: &sqlx::PgPool, department: i64, person: i64, commitment: i64) -> LedgerFixture {
    let item: i64 = sqlx::query_scalar(
        "insert into ledger_item (code, text, points, cap) values ('matrix_award', '矩阵表彰', 1, 5) returning id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let record: i64 = sqlx::query_scalar(
        "insert into ledger_record (item_id, department_id, occurred_on, reason, proposed_by) values ($1, $2, '2026-05-01', '矩阵事由', $3) returning id",
    )
    .bind(item)
    .bind(department)
    .bind(person)
    .fetch_one(pool)
    .await
    .unwrap();
    let file: i64 = sqlx::query_scalar(
        "insert into attachment (owner_type, owner_id, file_name, content_type, size_bytes, sha256, bytes, uploaded_by)
         values ('ledger_record', $1, '矩阵.pdf', 'application/pdf', 5, 'x', '%PDF-'::bytea, $2) returning id",
    )
    .bind(record)
    .bind(person)
    .fetch_one(pool)
    .await
    .unwrap();
    let case: i64 = sqlx::query_scalar(
        "insert into commitment_case (commitment_id, subject, received_on, recorded_by) values ($1, '矩阵案件', '2026-05-06', $2) returning id",
    )
    .bind(commitment)
    .bind(person)
    .fetch_one(pool)
    .await
    .unwrap();
    LedgerFixture { item, record, file, case }
}

/// A submitted plan of the fixture person with one target and a pending change request.
struct PlanFixture {
    cycle: i64,
    set: i64,
    target: i64,
    change: i64,
}

async fn plan_fixture(pool: &sqlx::PgPool, department: i64, person: i64) -> PlanFixture {
    let cycle: i64 = sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until, assessment_until, feedback_until)
         values ('矩阵周期', 'annual', '2026-01-01', '2026-12-31', '2026-01-31', '2026-12-31', '2027-01-31', '2027-02-28') returning id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let set: i64 = sqlx::query_scalar(
        "insert into target_set (cycle_id, level, department_id, person_id, status) values ($1, 'person', $2, $3, 'submitted') returning id",
    )
    .bind(cycle)
    .bind(department)
    .bind(person)
    .fetch_one(pool)
    .await
    .unwrap();
    let target: i64 = sqlx::query_scalar(
        "insert into target (set_id, title, category) values ($1, '矩阵目标', 'routine') returning id",
    )
    .bind(set)
    .fetch_one(pool)
    .await
    .unwrap();
    let change: i64 = sqlx::query_scalar(
        "insert into target_change (target_id, requested_by, kind, reason, proposed) values ($1, $2, 'policy_change', '政策调整', '{}') returning id",
    )
    .bind(target)
    .bind(person)
    .fetch_one(pool)
    .await
    .unwrap();
    PlanFixture { cycle, set, target, change }
}

#[tokio::test]
async fn a_forged_method_cannot_slip_past_the_table() {
    let app = TestApp::new().await;
    let mut staff = app.signed_in(Role::Staff).await;
    let page = staff.request(Method::PUT, "/org/departments", None, Vec::new(), &[]).await;
    assert_eq!(page.status, StatusCode::METHOD_NOT_ALLOWED);
}

struct EventFixture {
    event: i64,
    task: i64,
    follow_up: i64,
    file: i64,
}

/// A planned event of the fixture department with a task, a follow-up and a
/// document, all the fixture person's.
async fn event_fixture(pool: &sqlx::PgPool, department: i64, person: i64) -> EventFixture {
    let event: i64 = sqlx::query_scalar(
        "insert into event (kind, title, starts_on, ends_on, department_id, created_by)
         values ('meeting', '矩阵会议', '2026-12-10', '2026-12-10', $1, $2) returning id",
    )
    .bind(department)
    .bind(person)
    .fetch_one(pool)
    .await
    .unwrap();
    let task: i64 = sqlx::query_scalar(
        "insert into event_task (event_id, title, owner_id, department_id, due_on)
         values ($1, '会场', $2, $3, '2026-12-01') returning id",
    )
    .bind(event)
    .bind(person)
    .bind(department)
    .fetch_one(pool)
    .await
    .unwrap();
    let follow_up: i64 = sqlx::query_scalar(
        "insert into event_follow_up (event_id, body, owner_id, due_on) values ($1, '落实', $2, '2026-12-20') returning id",
    )
    .bind(event)
    .bind(person)
    .fetch_one(pool)
    .await
    .unwrap();
    let file: i64 = sqlx::query_scalar(
        "insert into attachment (owner_type, owner_id, file_name, content_type, size_bytes, sha256, bytes, uploaded_by)
         values ('event', $1, 'x.pdf', 'application/pdf', 8, 'x', '%PDF-1.4', $2) returning id",
    )
    .bind(event)
    .bind(person)
    .fetch_one(pool)
    .await
    .unwrap();
    EventFixture { event, task, follow_up, file }
}

struct FeedbackFixture {
    notice: i64,
    interview: i64,
}

/// A final 2025 annual result of `person` in `department`, its notice, and
/// an interview held by another person.
async fn feedback_fixture(app: &TestApp, department: i64, person: i64) -> FeedbackFixture {
    let decider = app.person("matrix-decider", "矩阵决定人", &[(Role::Staff, None)]).await;
    let cycle = app.decided_2025(decider).await;
    app.annual_result(cycle, person, department, "85", "competent").await;
    let notice: i64 = sqlx::query_scalar(
        "insert into result_notice (cycle_id, person_id, result_version, issued_on, due_on)
         values ($1, $2, 1, '2026-01-28', '2026-02-04') returning id",
    )
    .bind(cycle)
    .bind(person)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let interview: i64 = sqlx::query_scalar(
        "insert into feedback_interview (cycle_id, person_id, interviewer_id, scheduled_at, held_on, strengths, gaps, goals)
         values ($1, $2, $3, '2026-02-10 09:00+08', '2026-02-10', '优点', '差距', '目标') returning id",
    )
    .bind(cycle)
    .bind(person)
    .bind(decider)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    FeedbackFixture { notice, interview }
}

/// A rectification item of the fixture department, raised from the
/// self-assessment, owned by the fixture person and submitted for
/// verification, with a progress step and its evidence file: (item, file).
/// This year's self-assessment opened by the fixture person (the role holders of the
/// moment become its assessors), its first item and an improvement of it: (year, item, finding).
async fn excellence_fixture(app: &TestApp, person: i64) -> (i32, i64, i64) {
    use cppcc_perf::workflow::excellence as flow;
    let mut conn = app.pool.acquire().await.unwrap();
    let ctx = cppcc_perf::db::audit::AuditContext { actor_id: Some(person), ..Default::default() };
    let year = chrono::Datelike::year(&app.today());
    let id = flow::open_year(&mut conn, &ctx, year, app.today()).await.unwrap().unwrap();
    let item = cppcc_perf::db::excellence::items(&mut conn, year).await.unwrap()[0].id;
    let kind = cppcc_perf::domain::excellence::FindingKind::Improvement;
    let finding = flow::add_finding(&mut conn, &ctx, (id, item), kind, "矩阵改进机会", "").await.unwrap();
    (year, item, finding)
}

async fn rectification_fixture(pool: &sqlx::PgPool, department: i64, person: i64) -> (i64, i64) {
    let item: i64 = sqlx::query_scalar(
        "insert into rectification_item (title, problem, source_kind, source_reference, department_id, owner_id,
                                         due_on, status, raised_by, raised_on)
         values ('矩阵整改', '矩阵问题', 'self_assessment', '矩阵自评', $1, $2, '2026-12-31', 'submitted', $2, '2026-11-01')
         returning id",
    )
    .bind(department)
    .bind(person)
    .fetch_one(pool)
    .await
    .unwrap();
    let step: i64 = sqlx::query_scalar(
        "insert into rectification_step (item_id, kind, actor_id, on_day, note)
         values ($1, 'progress', $2, '2026-11-02', '矩阵进展') returning id",
    )
    .bind(item)
    .bind(person)
    .fetch_one(pool)
    .await
    .unwrap();
    let file: i64 = sqlx::query_scalar(
        "insert into attachment (owner_type, owner_id, file_name, content_type, size_bytes, sha256, bytes, uploaded_by)
         values ('rectification_step', $1, 'x.pdf', 'application/pdf', 8, 'x', '%PDF-1.4', $2) returning id",
    )
    .bind(step)
    .bind(person)
    .fetch_one(pool)
    .await
    .unwrap();
    (item, file)
}

/// A decided annual cycle with the fixture person's result and their open
/// review of it, with one attachment: (request, file).
async fn appeal_fixture(pool: &sqlx::PgPool, person: i64) -> (i64, i64) {
    let cycle: i64 = sqlx::query_scalar(
        "insert into cycle (name, kind, period_start, period_end, planning_until, implementation_until, assessment_until, feedback_until, stage)
         values ('矩阵申诉年度考核', 'annual', '2025-01-01', '2025-12-31', '2025-01-31', '2025-12-31', '2026-01-31', '2026-03-01', 'feedback') returning id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into assessment_decision (cycle_id, decided_by, decided_at, publicity_from, publicity_until)
         values ($1, $2, now(), '2026-01-13', '2026-01-20')",
    )
    .bind(cycle)
    .bind(person)
    .execute(pool)
    .await
    .unwrap();
    let grade = r#"{"cycle": "annual", "grade": "competent"}"#;
    sqlx::query(
        "insert into assessment_result (cycle_id, person_id, score, computed, grade) values ($1, $2, 80, $3::jsonb, $3::jsonb)",
    )
    .bind(cycle)
    .bind(person)
    .bind(grade)
    .execute(pool)
    .await
    .unwrap();
    let appeal: i64 = sqlx::query_scalar(
        "insert into result_appeal (kind, cycle_id, person_id, grade_before, reasons, filed_at, filed_on, window_from,
                                    window_until, answer_due)
         values ('review', $1, $2, $3::jsonb, '矩阵复核理由', now(), '2026-11-20', '2026-11-20', '2026-12-21', '2026-12-21')
         returning id",
    )
    .bind(cycle)
    .bind(person)
    .bind(grade)
    .fetch_one(pool)
    .await
    .unwrap();
    let file: i64 = sqlx::query_scalar(
        "insert into attachment (owner_type, owner_id, file_name, content_type, size_bytes, sha256, bytes, uploaded_by)
         values ('result_appeal', $1, '矩阵.pdf', 'application/pdf', 5, 'x', '%PDF-'::bytea, $2) returning id",
    )
    .bind(appeal)
    .bind(person)
    .fetch_one(pool)
    .await
    .unwrap();
    (appeal, file)
}

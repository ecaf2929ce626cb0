//! The route table: every address of the application, read top to bottom.

use axum::Router;
use axum::routing::{get, post};

use super::{
    account, assess, audit_log, dashboard, events, excellence, exports, feedback, home, monitor, org, plan, settings,
    survey_answer,
};
use crate::state::AppState;

/// The pages and actions, all behind sessions and CSRF checks.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/login", get(account::login_page).post(account::login))
        .route("/logout", post(account::logout))
        .route("/locale", post(account::switch_locale))
        .route("/account/password", get(account::password_page).post(account::change_password))
        .route("/org/departments", get(org::departments::list).post(org::departments::create))
        .route("/org/departments/new", get(org::departments::new_form))
        .route("/org/departments/{id}/edit", get(org::departments::edit_form))
        .route("/org/departments/{id}", post(org::departments::update))
        .route("/org/people", get(org::people::list).post(org::people::create))
        .route("/org/people/new", get(org::people::new_form))
        .route("/org/people/{id}/edit", get(org::people::edit_form))
        .route("/org/people/{id}", post(org::people::update))
        .route("/org/people/{id}/reset-password", post(org::people::reset_password))
        .route("/org/posts", get(org::posts::list).post(org::posts::create))
        .route("/org/posts/new", get(org::posts::new_form))
        .route("/org/posts/{id}/edit", get(org::posts::edit_form))
        .route("/org/posts/{id}", post(org::posts::update))
        .route(
            "/org/import",
            get(org::import::upload_form).post(org::import::upload).layer(org::import::upload_limit()),
        )
        .route("/org/import/{id}/commit", post(org::import::commit))
        .route("/org/import/samples/{file}", get(org::import::sample))
        .route("/org/members", get(org::members::list).post(org::members::create))
        .route("/org/members/new", get(org::members::new_form))
        .route("/org/members/{id}/edit", get(org::members::edit_form))
        .route("/org/members/{id}", post(org::members::update))
        .route(
            "/org/members/import",
            get(org::member_import::upload_form).post(org::member_import::upload).layer(org::import::upload_limit()),
        )
        .route("/org/members/import/{id}/commit", post(org::member_import::commit))
        .route("/org/members/import/samples/{file}", get(org::member_import::sample))
        .route("/audit", get(audit_log::audit_log))
        // Stage 1, plan targets: cycles and the work-day calendar.
        .route("/cycles", get(plan::cycles::list::list).post(plan::cycles::form::create))
        .route("/cycles/new", get(plan::cycles::form::new_form))
        .route("/cycles/{id}", get(plan::cycles::stages::show).post(plan::cycles::form::update))
        .route("/cycles/{id}/edit", get(plan::cycles::form::edit_form))
        .route("/cycles/{id}/stage", post(plan::cycles::stages::move_stage))
        .route("/cycles/{id}/members", post(plan::cycles::members::add_member))
        .route("/cycles/{id}/members/remove", post(plan::cycles::members::remove_member))
        .route("/calendar", get(plan::calendar::show).post(plan::calendar::add_day))
        .route("/calendar/{day}/delete", post(plan::calendar::remove_day))
        // The numbers of the office's rules, per year.
        .route("/settings", get(settings::show).post(settings::save))
        // Stage 1, plan targets: target sets, targets, approval, change requests, boards.
        .route("/plan/my", get(plan::sets::my_targets))
        .route("/plan/my.xlsx", get(plan::sets::my_targets_xlsx))
        .route("/plan/sets", post(plan::sets::open_set))
        // Also `/plan/sets/{id}.xlsx`, the set's targets in Excel (`SetAddress`).
        .route("/plan/sets/{id}", get(plan::sets::set_page))
        .route("/plan/sets/{id}/letter", get(plan::letter::letter))
        .route("/plan/sets/{id}/submit", post(plan::sets::submit_set))
        .route("/plan/sets/{id}/return", post(plan::sets::return_set))
        .route("/plan/sets/{id}/approve", post(plan::sets::approve_set))
        .route("/plan/sets/{id}/copy-last", post(plan::sets::copy_last))
        .route("/plan/sets/{id}/targets/new", get(plan::targets::new_form))
        .route("/plan/sets/{id}/targets", post(plan::targets::create))
        .route("/plan/targets/{id}", get(plan::targets::detail).post(plan::targets::update))
        .route("/plan/targets/{id}/edit", get(plan::targets::edit_form))
        .route("/plan/targets/{id}/withdraw", post(plan::targets::withdraw))
        .route("/plan/targets/{id}/change", get(plan::changes::change_form))
        .route("/plan/targets/{id}/changes", post(plan::changes::request_change))
        .route("/plan/changes/{id}/decide", post(plan::changes::decide))
        .route("/plan/queue", get(plan::queue::queue))
        .route("/plan/queue.xlsx", get(plan::queue::queue_xlsx))
        .route("/plan/queue/approve", post(plan::queue::approve_many))
        .route("/plan/department", get(plan::boards::department))
        .route("/plan/department.xlsx", get(plan::boards::department_xlsx))
        .route("/plan/assign", get(plan::assign::assign_form).post(plan::assign::assign))
        .route(
            "/plan/import",
            get(plan::import::upload_form).post(plan::import::upload).layer(org::import::upload_limit()),
        )
        .route("/plan/import/{id}/commit", post(plan::import::commit))
        .route("/plan/import/samples/{file}", get(plan::import::sample))
        .route("/plan/overseen", get(plan::boards::overseen))
        .route("/plan/overseen.xlsx", get(plan::boards::overseen_xlsx))
        .route("/plan/board", get(plan::boards::board))
        .route("/plan/board.xlsx", get(plan::boards::board_targets_xlsx))
        .route("/plan/tree", get(plan::boards::tree))
        // The office's whole target list, built in the background (docs/DOMAIN.md §20.3).
        .route("/exports", get(exports::list).post(exports::start))
        .route("/exports/{id}", get(exports::download))
        // Stage 2, monitor: progress reports and evidence.
        .route("/monitor/reports", get(monitor::reports::list::my_reports))
        .route("/monitor/reports.xlsx", get(monitor::reports::list::my_reports_xlsx))
        .route("/monitor/targets/{id}/report", get(monitor::reports::submit::report_form))
        .route(
            "/monitor/targets/{id}/reports",
            post(monitor::reports::submit::submit_report).layer(monitor::reports::upload_limit()),
        )
        .route("/monitor/reports/{id}", get(monitor::reports::detail::report_detail))
        .route("/monitor/reports/{id}/verify", post(monitor::reports::verify::verify_report))
        .route("/monitor/reports/{id}/return", post(monitor::reports::verify::return_report))
        .route(
            "/monitor/reports/{id}/resubmit",
            post(monitor::reports::submit::resubmit_report).layer(monitor::reports::upload_limit()),
        )
        .route("/monitor/verify", get(monitor::reports::list::verify_queue))
        .route("/monitor/verify.xlsx", get(monitor::reports::list::verify_queue_xlsx))
        .route("/monitor/files/{id}", get(monitor::reports::files::download_file))
        // Work systems: meetings, research trips, inspections, members' activities.
        .route("/events", get(events::list).post(events::form::create))
        .route("/events.xlsx", get(events::list_xlsx))
        .route("/events/new", get(events::form::new_form))
        .route("/events/{id}", get(events::detail).post(events::form::update))
        .route("/events/{id}/edit", get(events::form::edit_form))
        .route("/events/{id}/output", post(events::actions::output))
        .route("/events/{id}/status", post(events::actions::status))
        .route("/events/{id}/tasks", post(events::actions::add_task))
        .route("/events/{id}/follow-ups", post(events::actions::add_follow_up))
        .route("/events/{id}/invite", post(events::actions::invite))
        .route("/events/{id}/attendance", post(events::actions::attendance))
        .route("/events/{id}/files", post(events::actions::upload).layer(monitor::ledger::upload_limit()))
        .route("/events/tasks/{id}/done", post(events::actions::finish_task))
        .route("/events/follow-ups/{id}/done", post(events::actions::finish_follow_up))
        .route("/events/files/{id}", get(events::download))
        // Stage 2, monitor: supervision items and three-colour slips.
        .route("/supervision", get(monitor::supervision::list).post(monitor::supervision::create))
        .route("/supervision.xlsx", get(monitor::supervision::list_xlsx))
        .route("/supervision/new", get(monitor::supervision::new_form))
        .route("/supervision/{id}", get(monitor::supervision::detail))
        .route("/supervision/{id}/slip", get(monitor::slips_print::item_slip))
        .route("/supervision/{id}/step", post(monitor::supervision::step))
        .route("/supervision/{id}/progress", post(monitor::supervision::add_progress))
        .route("/supervision/{id}/extensions", post(monitor::supervision::request_extension))
        .route("/supervision/extensions/{id}/decide", post(monitor::supervision::decide_extension))
        .route("/supervision/slips/{id}/answer", post(monitor::supervision::answer_slip))
        .route("/supervision/slips/{id}/print", get(monitor::slips_print::slip))
        .route("/supervision/slips/issue", post(monitor::supervision::issue_now))
        // Stage 2, monitor: bonus/penalty ledger and service commitment cases.
        .route("/ledger/items", get(monitor::ledger_items::list).post(monitor::ledger_items::create))
        .route("/ledger/items.xlsx", get(monitor::ledger_items::list_xlsx))
        .route("/ledger/items/new", get(monitor::ledger_items::new_form))
        .route("/ledger/items/{id}/edit", get(monitor::ledger_items::edit_form))
        .route("/ledger/items/{id}", post(monitor::ledger_items::update))
        .route(
            "/ledger",
            get(monitor::ledger::list).post(monitor::ledger::create).layer(monitor::ledger::upload_limit()),
        )
        .route("/ledger.xlsx", get(monitor::ledger::list_xlsx))
        .route("/ledger/new", get(monitor::ledger::new_form))
        .route("/ledger/{id}", get(monitor::ledger::detail))
        .route("/ledger/{id}/review", post(monitor::ledger::review))
        .route("/ledger/files/{id}", get(monitor::ledger::download))
        .route("/commitments/{id}/cases", get(monitor::commitment_cases::list).post(monitor::commitment_cases::create))
        .route("/commitments/{id}/cases.xlsx", get(monitor::commitment_cases::list_xlsx))
        .route("/commitment-cases/{id}", post(monitor::commitment_cases::set_done))
        // Stage 2, monitor: absences and A/B cover, notifications, boards.
        .route("/absences", get(monitor::absences::list).post(monitor::absences::create))
        .route("/absences.xlsx", get(monitor::absences::list_xlsx))
        .route("/absences/new", get(monitor::absences::new_form))
        .route("/absences/cover", get(monitor::absences::cover))
        .route("/absences/cover.xlsx", get(monitor::absences::cover_xlsx))
        .route("/absences/year", get(monitor::absences::year_totals))
        .route("/absences/year.xlsx", get(monitor::absences::year_xlsx))
        .route("/absences/{id}/withdraw", post(monitor::absences::withdraw))
        // Stage 3, assess: rater tasks and ballots, discipline inspection's records.
        .route("/assess/ballots", get(assess::ballots::list))
        .route("/assess/ballots/{cycle}/{ratee}/{kind}", get(assess::ballots::form).post(assess::ballots::cast))
        .route("/cycles/{id}/rating-tasks", post(assess::ballots::generate))
        .route("/assess/cycles/{id}/ballots", get(assess::ballot_corrections::cycle_ballots))
        .route("/assess/cycles/{id}/ballots.xlsx", get(assess::ballot_corrections::cycle_ballots_xlsx))
        .route(
            "/assess/cycles/{id}/paper",
            get(assess::paper_ballots::paper_form).post(assess::paper_ballots::enter_paper),
        )
        .route("/assess/cycles/{id}/people/{person}/ballots", get(assess::ballot_corrections::person_ballots))
        .route(
            "/assess/corrections/{ballot}",
            get(assess::ballot_corrections::correction_form).post(assess::ballot_corrections::correct),
        )
        .route("/assess/scores", get(assess::scores::cycles_with_scores))
        .route("/assess/cycles/{id}/decide", post(assess::decisions::decide))
        .route("/assess/cycles/{id}/calibrate", post(assess::decisions::calibrate))
        .route("/assess/cycles/{id}/quota-approval", post(assess::committee::approve_quota))
        .route("/assess/cycles/{id}/quota-approval/withdraw", post(assess::committee::withdraw_approval))
        .route("/assess/cycles/{id}/vetoes", post(assess::committee::veto))
        .route("/assess/cycles/{id}/vetoes/{person}/withdraw", post(assess::committee::withdraw_veto))
        .route("/assess/publicity", get(assess::decisions::publicity).post(assess::decisions::object))
        .route("/assess/objections/{id}/answer", post(assess::decisions::answer))
        .route("/assess/cycles/{id}/scores", get(assess::scores::cycle_scores))
        .route("/assess/cycles/{id}/scores.xlsx", get(assess::score_sheets::cycle_scores_xlsx))
        .route("/assess/cycles/{id}/quotas.xlsx", get(assess::score_sheets::cycle_quotas_xlsx))
        .route("/assess/cycles/{id}/people/{person}", get(assess::scores::person_score))
        // The registration forms (考核登记表) on A4: one person's, a department's in one batch.
        .route("/assess/cycles/{id}/people/{person}/form", get(assess::forms::person_form))
        .route("/assess/cycles/{id}/departments/{department}/forms", get(assess::forms::department_forms))
        .route("/discipline", get(assess::discipline::list).post(assess::discipline::create))
        .route("/discipline/new", get(assess::discipline::new_form))
        .route("/discipline/{id}", get(assess::discipline::edit_form).post(assess::discipline::update))
        .route("/discipline/{id}/withdraw", post(assess::discipline::withdraw))
        // Stage 3, assess: self-summaries (个人总结) and duty reports (述职).
        .route("/assess/my", get(assess::summaries::my_assessment))
        .route(
            "/assess/cycles/{id}/summary",
            get(assess::summaries::summary_form).post(assess::summaries::save_summary),
        )
        .route("/assess/summaries", get(assess::summaries::overview))
        .route("/assess/summaries/{id}", get(assess::summaries::show))
        .route("/assess/summaries/{id}/decide", post(assess::summaries::decide))
        // Stage 3, assess: members' satisfaction surveys and their one-time links;
        // members answer on the public page `/s/{token}`, without an account.
        .route("/assess/surveys", get(assess::surveys::list).post(assess::surveys::create))
        .route("/assess/surveys/new", get(assess::surveys::new_form))
        .route("/assess/surveys/{id}", get(assess::surveys::show))
        .route("/assess/surveys/{id}/results.xlsx", get(assess::surveys::results_xlsx))
        .route("/assess/surveys/{id}/close", post(assess::surveys::close))
        .route("/assess/surveys/{id}/links", get(assess::survey_links::print_list))
        .route("/assess/surveys/{id}/links.csv", get(assess::survey_links::sms_csv))
        .route("/s/{token}", get(survey_answer::answer_form).post(survey_answer::submit_answers))
        // Stage 3, assess: the criteria schemes (考核方案) and their versions.
        .route("/assess/departments", get(assess::departments::ranking))
        .route("/assess/departments.xlsx", get(assess::departments::ranking_xlsx))
        .route("/assess/departments/{year}/{department}", get(assess::departments::card))
        .route("/assess/departments/{year}/{department}/card.xlsx", get(assess::departments::card_xlsx))
        .route("/assess/departments/{year}/decide", post(assess::departments::decide))
        .route("/assess/departments/{year}/calibrate", post(assess::departments::calibrate))
        .route(
            "/assess/departments/{year}/calibrations/{department}/withdraw",
            post(assess::departments::withdraw_calibration),
        )
        .route(
            "/assess/department-ballots",
            get(assess::department_ballots::list).post(assess::department_ballots::cast),
        )
        .route(
            "/assess/department-schemes/{year}",
            get(assess::department_schemes::show).post(assess::department_schemes::save),
        )
        .route("/assess/schemes", get(assess::schemes::list))
        .route("/assess/schemes/copy", post(assess::schemes::copy_last_year))
        .route("/assess/schemes/{id}", get(assess::schemes::show).post(assess::schemes::save))
        .route("/assess/schemes/{id}/edit", get(assess::schemes::edit_form))
        .route("/assess/schemes/{id}/diff", get(assess::schemes::diff_page))
        .route("/assess/schemes/{id}/preview", get(assess::schemes::preview))
        .route("/notifications", get(monitor::notifications::list))
        .route("/notifications/read-all", post(monitor::notifications::read_all))
        .route("/notifications/{id}/open", post(monitor::notifications::open))
        .route("/monitor/department", get(monitor::boards::department))
        .route("/monitor/department.xlsx", get(monitor::boards::department_xlsx))
        .route("/monitor/office", get(monitor::boards::office))
        .route("/monitor/office.xlsx", get(monitor::boards::office_xlsx))
        // The four stages at a glance.
        .route("/dashboard", get(dashboard::show))
        .route("/dashboard.xlsx", get(dashboard::show_xlsx))
        // Stage 1, plan targets: service commitments and post target templates.
        .route("/commitments", get(plan::commitments::list).post(plan::commitments::create))
        .route("/commitments.xlsx", get(plan::commitments::list_xlsx))
        .route("/commitments/new", get(plan::commitments::new_form))
        .route("/commitments/{id}/edit", get(plan::commitments::edit_form))
        .route("/commitments/{id}", post(plan::commitments::update))
        .route("/org/posts/{id}/templates", get(plan::post_templates::list).post(plan::post_templates::create))
        .route("/org/post-templates/{id}/edit", get(plan::post_templates::edit_form))
        .route("/org/post-templates/{id}", post(plan::post_templates::update))
        .route("/org/post-templates/{id}/delete", post(plan::post_templates::delete))
        // Stage 4, track feedback: written notices and feedback interviews.
        .route("/feedback/board", get(feedback::board::show))
        .route("/feedback/notices", get(feedback::notices::list))
        .route("/feedback/notices.xlsx", get(feedback::notices::list_xlsx))
        .route("/feedback/notices/{id}", get(feedback::notices::show))
        .route("/feedback/notices/{id}/print", get(feedback::notices::print))
        .route("/feedback/notices/{id}/acknowledge", post(feedback::notices::acknowledge))
        .route("/feedback/interviews", get(feedback::interviews::list).post(feedback::interviews::schedule))
        .route("/feedback/interviews/{id}", get(feedback::interviews::show))
        .route("/feedback/interviews/{id}/record", post(feedback::interviews::record))
        .route("/feedback/interviews/{id}/confirm", post(feedback::interviews::confirm))
        // Stage 4: reviews (复核) and appeals (申诉).
        .route(
            "/feedback/appeals",
            get(feedback::appeals::list).post(feedback::appeals::file).layer(monitor::ledger::upload_limit()),
        )
        .route("/feedback/appeals.xlsx", get(feedback::appeals::list_xlsx))
        .route("/feedback/appeals/my", get(feedback::appeals::my))
        .route("/feedback/appeals/{id}", get(feedback::appeals::show))
        .route("/feedback/appeals/{id}/decide", post(feedback::appeals::decide))
        .route("/feedback/appeals/{id}/extend", post(feedback::appeals::extend))
        .route("/feedback/appeals/files/{id}", get(feedback::appeals::download))
        // Stage 4: rectification (整改).
        .route(
            "/feedback/rectification",
            get(feedback::rectification::list).post(feedback::rectification::form::create),
        )
        .route("/feedback/rectification.xlsx", get(feedback::rectification::list_xlsx))
        .route("/feedback/rectification/new", get(feedback::rectification::form::new_form))
        .route(
            "/feedback/rectification/carry",
            get(feedback::rectification::carry::carry_form).post(feedback::rectification::carry::carry),
        )
        .route(
            "/feedback/rectification/{id}",
            get(feedback::rectification::detail).post(feedback::rectification::form::update),
        )
        .route("/feedback/rectification/{id}/edit", get(feedback::rectification::form::edit_form))
        .route(
            "/feedback/rectification/{id}/progress",
            post(feedback::rectification::actions::progress).layer(monitor::ledger::upload_limit()),
        )
        .route("/feedback/rectification/{id}/submit", post(feedback::rectification::actions::submit))
        .route("/feedback/rectification/{id}/verify", post(feedback::rectification::actions::verify))
        .route("/feedback/rectification/{id}/reopen", post(feedback::rectification::actions::reopen))
        .route("/feedback/rectification/files/{id}", get(feedback::rectification::download))
        // Stage 4: use of results (结果运用) and history.
        .route("/feedback/proposals", get(feedback::proposals::list))
        .route("/feedback/proposals.xlsx", get(feedback::proposals::list_xlsx))
        .route("/feedback/proposals/{id}/decide", post(feedback::proposals::decide))
        .route("/feedback/grade-import", get(feedback::grade_import::upload_form).post(feedback::grade_import::upload))
        .route("/feedback/grade-import/samples/{file}", get(feedback::grade_import::sample))
        .route("/feedback/grade-import/{id}/commit", post(feedback::grade_import::commit))
        .route("/feedback/my", get(feedback::history::mine))
        .route("/feedback/my.xlsx", get(feedback::history::mine_xlsx))
        .route("/feedback/people/{id}", get(feedback::history::show))
        .route("/feedback/people/{id}/record.xlsx", get(feedback::history::show_xlsx))
        .route("/feedback/trends", get(feedback::history::trends))
        .route("/feedback/trends.xlsx", get(feedback::history::trends_xlsx))
        // The excellence self-assessment (卓越绩效自评): the years, a year's
        // workspace, items, consensus and benchmarks, improvements into rectification.
        .route("/excellence", get(excellence::years::list).post(excellence::years::open))
        .route("/excellence/{year}", get(excellence::workspace::show))
        .route("/excellence/{year}/items/{item}", get(excellence::items::show))
        .route("/excellence/{year}/items/{item}/score", post(excellence::items::score))
        .route("/excellence/{year}/items/{item}/consensus", post(excellence::items::agree))
        .route("/excellence/{year}/items/{item}/findings", post(excellence::items::add_finding))
        .route("/excellence/{year}/consensus", get(excellence::consensus::show))
        .route("/excellence/{year}/assessors", post(excellence::setup::invite))
        .route("/excellence/{year}/figures", post(excellence::setup::take_figures))
        .route("/excellence/{year}/stage", post(excellence::setup::move_stage))
        .route(
            "/excellence/{year}/benchmarks",
            get(excellence::benchmarks::edit_form).post(excellence::benchmarks::save),
        )
        .route(
            "/excellence/findings/{id}/rectify",
            get(excellence::rectify::rectify_form).post(excellence::rectify::rectify),
        )
        // A year's scorecard (its Excel file, printed as the
        // annual report) and its standard, kept by the performance office.
        .route("/excellence/{year}/scorecard", get(excellence::scorecard::show))
        .route("/excellence/{year}/scorecard.xlsx", get(excellence::scorecard::show_xlsx))
        .route("/excellence/{year}/standard", get(excellence::standard::show).post(excellence::standard::create))
        .route(
            "/excellence/{year}/standard/items/{id}",
            get(excellence::standard::edit_form).post(excellence::standard::update),
        )
}

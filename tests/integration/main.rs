//! Integration tests: the real router against real PostgreSQL, a fresh
//! database per test. Modules mirror the areas of the application.

mod support;

mod absences;
mod account;
mod appeals;
mod audit_log;
mod authorization;
mod backup;
mod ballots;
mod boards;
mod commitments;
mod committee;
mod cycles;
mod dashboard;
mod departments;
mod discipline;
mod events;
mod excellence;
mod excellence_report;
mod exports;
mod feedback;
mod forms;
mod import;
mod ledger;
mod members;
mod notifications;
mod org;
mod plan;
mod rectification;
mod reports;
mod result_use;
mod schemes;
mod scores;
mod security;
mod settings;
mod summaries;
mod supervision;
mod surveys;
mod transfers;

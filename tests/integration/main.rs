//! Integration tests: the real router against real PostgreSQL, a fresh
//! database per test. Modules mirror the areas of the application.

mod support;

mod account;
mod audit_log;
mod authorization;
mod commitments;
mod cycles;
mod import;
mod org;
mod plan;
mod security;

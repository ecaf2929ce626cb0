//! Stage 2, monitor implementation (绩效实施监督): progress reports with
//! evidence, supervision items and slips, the bonus/penalty ledger, service
//! commitment cases, absences and A/B cover, notifications and boards.

pub mod absences;
pub mod boards;
pub mod commitment_cases;
pub mod ledger;
pub mod ledger_items;
pub mod notifications;
pub mod reports;
pub mod slips_print;
pub mod supervision;

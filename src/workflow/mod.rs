//! Workflow: the steps and computations that more than one caller needs —
//! handlers, the background task and the demo. Each function takes a
//! connection (inside the caller's transaction) and applies the pure rules of
//! `domain` to what `db` reads; nothing here knows about HTTP.

pub mod appeals;
pub(crate) mod assessment;
pub(crate) mod ballots;
pub(crate) mod boards;
pub(crate) mod department_assessment;
pub mod events;
pub mod excellence;
pub(crate) mod export_jobs;
pub mod notices;
pub(crate) mod plan;
pub mod rectification;
pub mod result_use;
pub mod results;
pub mod slips;
pub mod surveys;
pub(crate) mod target_import;
pub(crate) mod target_sheet;
pub(crate) mod transfers;

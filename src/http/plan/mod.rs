//! Stage 1, plan targets (绩效计划目标): cycles, the work-day calendar, targets
//! and their approval, change requests, service commitments.

pub mod calendar;
pub mod commitments;
pub mod cycles;
pub mod post_templates;

pub mod assign;
pub mod boards;
pub mod changes;
pub mod import;
pub mod letter;
pub mod queue;
pub mod sets;
pub mod target_form;
pub mod target_xlsx;
pub mod targets;

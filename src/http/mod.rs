//! The web layer: the route table, middleware, page context
//! and the handlers, one module per area.

pub mod account;
pub mod admin_form;
pub mod assess;
pub mod assets;
pub mod audit_log;
pub mod bench;
pub mod dashboard;
pub mod events;
pub mod excellence;
pub mod export;
pub mod exports;
pub mod feedback;
pub mod files;
pub mod forms;
pub mod health;
pub mod home;
pub mod middleware;
pub mod monitor;
pub mod org;
pub mod pages;
pub mod plan;
pub mod routes;
pub mod settings;
pub mod survey_answer;

//! The web layer: the route table, middleware, the error type, page context
//! and the handlers, one module per area.

pub mod account;
pub mod audit_log;
pub mod bench;
pub mod error;
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

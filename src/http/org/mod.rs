//! Organisation: departments, people, posts and roster import.

pub mod departments;
pub mod import;
pub mod people;
pub mod posts;

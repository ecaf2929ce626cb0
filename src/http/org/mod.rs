//! Organisation: departments, people, posts and roster import.

pub mod departments;
pub mod people;
pub mod posts;

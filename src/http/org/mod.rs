//! Organisation: departments, people, posts and roster import; the register
//! of the committee's members and its import.

pub mod departments;
pub mod import;
pub mod member_import;
pub mod members;
pub mod people;
pub mod posts;

//! Pure types and rules of the office: roles, policies, organisation checks,
//! sign-in throttling. No HTTP and no SQL here; everything is unit-tested inline.

pub mod identity;
pub mod org;
pub mod policy;
pub mod roles;
pub mod throttle;
pub mod validate;

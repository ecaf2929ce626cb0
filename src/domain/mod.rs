//! Pure types and rules of the office: roles, policies, organisation checks,
//! sign-in throttling. No HTTP and no SQL here; everything is unit-tested inline.

pub mod commitments;
pub mod cycles;
pub mod identity;
pub mod org;
pub mod plan;
pub mod policy;
pub mod roles;
pub mod roster;
pub mod throttle;
pub mod validate;
pub mod workdays;

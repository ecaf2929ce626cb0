//! Sign-in, sessions, the current user and CSRF protection.

pub(crate) mod csrf;
pub mod password;
pub(crate) mod session;
pub(crate) mod signin;

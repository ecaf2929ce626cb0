//! Sign-in, sessions, the current user and CSRF protection.

pub mod csrf;
pub mod password;
pub mod session;
pub mod signin;

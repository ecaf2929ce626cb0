//! Pure types and rules of the office: roles, policies, organisation checks,
//! sign-in throttling. No HTTP and no SQL here; everything is unit-tested inline.

/// An enum stored as a PostgreSQL enum, with a stable code for forms and a
/// locale key (`<prefix>-<code with dashes>`) for its name.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident, $pg:literal, $prefix:literal, { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
        #[sqlx(type_name = $pg, rename_all = "snake_case")]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        // Not every enum needs every helper.
        #[allow(dead_code)]
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code used in forms and the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == text.trim())
            }

            /// The locale key of the name.
            pub fn label_key(self) -> String {
                format!(concat!($prefix, "-{}"), self.code().replace('_', "-"))
            }
        }
    };
}

pub(crate) mod absences;
pub(crate) mod boards;
pub(crate) mod commitments;
pub(crate) mod cycles;
pub(crate) mod files;
pub mod identity;
pub(crate) mod ledger;
pub(crate) mod monitor;
pub(crate) mod org;
pub(crate) mod plan;
pub(crate) mod policy;
pub(crate) mod reports;
pub mod roles;
pub mod roster;
pub(crate) mod supervision;
pub(crate) mod throttle;
pub(crate) mod validate;
pub(crate) mod workdays;

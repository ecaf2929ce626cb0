//! Pure types and rules of the office, as stated in docs/DOMAIN.md:
//!
//! - people and access: `roles` (roles and grants), `policy` (who may do
//!   what), `identity` (identity types, department kinds), `org` (post A/B
//!   warnings), `validate` (typed input), `throttle` (sign-in throttling);
//! - calendar and cycles: `workdays` (the work-day calendar), `cycles` (cycle
//!   dates, stage checklists, calendar overrides);
//! - stage 1, plan targets: `plan` (target sets, their workflow and checks,
//!   completion), `commitments` (service commitments, post templates);
//! - stage 2, monitor implementation: `monitor` (periods, report and
//!   supervision workflows, slip colours, A/B cover, capped totals), `reports`
//!   (reporting periods and who verifies), `supervision` (the sides of an
//!   item), `absences` (absences and vacant posts), `ledger` (bonus/penalty
//!   records, commitment cases), `boards` (board colours and measures);
//! - stage 3, assess people: `assessment` (schemes, scores, gates, grades,
//!   quotas), `transfers` (the departments of a period, §2.7);
//! - stage 3, assess departments: `satisfaction` (members' survey answers,
//!   index and rate), `events` (the work systems: meetings, research trips,
//!   inspections, members' activities, and their work-day clocks);
//! - files: `files` (evidence types and names), `spreadsheet` (reading an
//!   uploaded CSV or XLSX table), `roster` (roster import);
//! - the committee's members: `members` (the checks of the register and its import);
//! - `settings`: the numbers the performance office sets per year.
//!
//! No HTTP and no SQL queries here; every module is unit-tested inline.

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
pub mod appeals;
pub mod assessment;
pub(crate) mod boards;
pub(crate) mod career;
pub(crate) mod commitments;
pub(crate) mod cycles;
pub(crate) mod dashboard;
pub(crate) mod discipline;
pub mod events;
pub mod excellence;
pub(crate) mod exports;
pub(crate) mod feedback;
pub(crate) mod files;
pub(crate) mod forms;
pub mod identity;
pub(crate) mod ledger;
pub mod members;
pub(crate) mod monitor;
pub(crate) mod org;
pub(crate) mod plan;
pub(crate) mod policy;
pub mod rectification;
pub(crate) mod reports;
pub mod result_use;
pub mod roles;
pub mod roster;
pub mod satisfaction;
pub mod settings;
pub mod spreadsheet;
pub(crate) mod supervision;
pub mod surveys;
pub(crate) mod target_import;
pub(crate) mod throttle;
pub(crate) mod transfers;
pub(crate) mod validate;
pub(crate) mod workdays;

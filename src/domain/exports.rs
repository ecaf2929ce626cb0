//! Export jobs (docs/DOMAIN.md §20.3): where a job stands and how far it is.
//! How long a file is kept and when a silent job counts as dead are
//! operating choices of the product, not rules of the office.

use serde::{Deserialize, Serialize};

code_enum!(
    /// Where an export job stands: waiting for its turn, being built, done
    /// (the file is ready) or failed.
    ExportState, "export_job_state", "export-state", {
        Queued => "queued", Running => "running", Done => "done", Failed => "failed",
    }
);

/// Seconds without a heartbeat after which a queued or running job is failed:
/// the instance building it has gone (it beats at least every minute).
pub const STALE_AFTER_SECS: i32 = 600;
/// Days a finished file is kept before it is removed (the job stays listed).
pub const KEEP_FILES_DAYS: i32 = 7;

/// How far a job is, in whole percent, when its size is known: a running
/// job shows at most 99 until its file is stored.
pub fn percent(state: ExportState, rows_done: i32, rows_total: Option<i32>) -> Option<i64> {
    match (state, rows_total) {
        (ExportState::Done, _) => Some(100),
        (ExportState::Failed, _) => None,
        (_, Some(total)) if total > 0 => Some((i64::from(rows_done) * 100 / i64::from(total)).min(99)),
        (ExportState::Running, Some(_)) => Some(99),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_job_s_progress_is_a_whole_percent_below_100_until_it_is_done() {
        assert_eq!(percent(ExportState::Running, 85_000, Some(170_000)), Some(50));
        assert_eq!(percent(ExportState::Running, 170_000, Some(170_000)), Some(99));
        assert_eq!(percent(ExportState::Running, 0, Some(0)), Some(99));
        assert_eq!(percent(ExportState::Done, 10, Some(10)), Some(100));
        assert_eq!(percent(ExportState::Queued, 0, None), None);
        assert_eq!(percent(ExportState::Failed, 5, Some(10)), None);
    }

    #[test]
    fn every_state_has_a_name() {
        for state in ExportState::ALL {
            for lang in Lang::ALL {
                assert_ne!(lang.t(&state.label_key()), state.label_key());
            }
        }
    }
}

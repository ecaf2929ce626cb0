//! Stage 3, assess: the facts assessment rests on (discipline records), the
//! criteria schemes the performance office configures, self-summaries and
//! duty reports, rater tasks and ballots, scores, and the committee's
//! records, calibration and decision.

pub mod ballots;
pub mod committee;
pub mod decisions;
pub mod discipline;
pub mod distribution;
pub mod scheme_fields;
pub mod schemes;
pub mod scores;
pub mod summaries;

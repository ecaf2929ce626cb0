//! Stage 3, assess: the facts assessment rests on (discipline records) and,
//! as it grows, the assessment itself: self-summaries and duty reports.

pub mod ballots;
pub mod discipline;
pub mod scores;
pub mod summaries;

//! Stage 3, assess: the facts assessment rests on (discipline records), the
//! criteria schemes the performance office configures, self-summaries and
//! duty reports, rater tasks and ballots (online, on paper, and their
//! corrections), scores, and the committee's records, calibration and
//! decision, and the registration forms printed from them; the assessment of departments (their scheme, ballots, ranking,
//! scorecards and decision) and members' satisfaction surveys.

pub mod ballot_corrections;
pub mod ballots;
pub mod committee;
pub mod decisions;
pub mod department_ballots;
pub mod department_schemes;
pub mod departments;
pub mod discipline;
pub mod distribution;
pub mod forms;
pub mod paper_ballots;
pub mod scheme_fields;
pub mod schemes;
pub mod score_sheets;
pub mod scores;
pub mod summaries;
pub mod survey_links;
pub mod surveys;

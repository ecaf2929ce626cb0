//! Stage 4, track feedback (docs/DOMAIN.md §19): written notices of final
//! results and their acknowledgement, feedback interviews, reviews and
//! appeals, rectification, the use of results and each person's history.

pub mod appeals;

//! Stage 3, assess: the facts assessment rests on (discipline records), the
//! criteria schemes the performance office configures and, as it grows, the
//! assessment itself.

pub mod discipline;
pub mod scheme_fields;
pub mod schemes;

//! Reports rendered from the edit log: the JSON Lines report and the run summary.

pub mod diff;
pub mod html;
pub mod json;
pub mod summary;

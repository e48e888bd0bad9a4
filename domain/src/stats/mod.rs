//! Service statistics: what is counted, how counts add up across places and months, the
//! figures a dashboard shows (rates always with numerator and denominator) and the report
//! paragraphs in the style of the district's self-assessment report.
//!
//! The storage layer only groups rows and hands the groups to a [`Tally`]; every decision
//! about what a figure means is made here, so the roll-ups, the raw queries, the API, the
//! exports and the report paragraph cannot disagree.

mod dashboard;
mod days;
mod figures;
#[cfg(test)]
mod fixtures;
mod ledgers;
mod minutes;
mod period;
mod report;
mod scope;
mod tally;

pub use dashboard::*;
pub use days::*;
pub use figures::*;
pub use ledgers::*;
pub use minutes::*;
pub use period::*;
pub use report::*;
pub use scope::*;
pub use tally::*;

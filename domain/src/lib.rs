//! Pure domain rules of the district legal-service portal.
//!
//! Compiled both for the server and for the browser (WebAssembly), so nothing here does
//! I/O: no files, no network, no database, no clock reads. Callers pass data and time in.

pub mod district_file;
pub mod location;
pub mod schedule;
pub mod search;
pub mod service;

pub use location::{Location, LocationId, LocationKind, ServiceOffer};
pub use schedule::{WeekdaySet, WeeklySession};
pub use service::ServiceCode;

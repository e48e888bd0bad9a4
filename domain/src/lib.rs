//! Pure domain rules of the district legal-service portal.
//!
//! Compiled both for the server and for the browser (WebAssembly), so nothing here does
//! I/O: no files, no network, no database, no clock reads. Callers pass data and time in.

pub mod booking;
pub mod calendar;
pub mod datafile;
pub mod district_file;
pub mod error;
pub mod lang;
pub mod location;
pub mod mediation;
pub mod notify;
pub mod queue;
pub mod rating;
pub mod retention;
pub mod schedule;
pub mod search;
pub mod service;
pub mod slots;
pub mod staff;
pub mod stats;
pub mod verify;
pub mod waitlist;

pub use booking::{BookingCode, BookingState};
pub use calendar::{DayKind, HolidayCalendar};
pub use lang::Lang;
pub use location::{Location, LocationId, LocationKind, ServiceOffer};
pub use schedule::{WeekdaySet, WeeklySession};
pub use service::ServiceCode;
pub use slots::{BookingWindow, Slot};

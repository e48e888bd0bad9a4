//! Server-only half of the portal.
//!
//! * [`store`]: the database, one trait per area with its SQL in `store/sql/<area>.rs`
//!   (besides the LISTEN/NOTIFY of [`events`] and the test databases of `testing`). Pages and
//!   handlers never talk to the database.
//! * [`directory`]: use cases about places (list, look up, search, load a district).
//!
//! Data flows one way: page / REST handler → use case here → domain rules + store.

pub mod boards;
pub mod booking;
pub mod confirmation;
pub mod directory;
pub mod error;
pub mod events;
pub mod export;
pub mod history;
pub mod mediation;
pub mod notify;
pub mod queue;
pub mod rating;
pub mod retention;
pub mod schedules;
pub mod seal;
pub mod staff;
pub mod stats;
pub mod store;
pub mod testing;
pub mod throttle;
pub mod verify;
pub mod waitlist;

pub use booking::Bookings;
pub use directory::Directory;
pub use error::{ErrorKind, ServiceError, UseCaseError};
pub use mediation::Mediation;
pub use rating::Ratings;
pub use stats::Statistics;
pub use store::{Store, StoreError};
pub use waitlist::Waitlist;

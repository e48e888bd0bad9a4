//! The SQL both engines run, one file per area, each implementing that area's trait (see
//! `store/mod.rs`) for `This`. This module is compiled twice, as `sqlite::sql` and
//! `postgres::sql` (a `#[path]` module in each engine), where `This` is that engine's store,
//! `Conn` its connection and `dialect` the few things it spells its own way.

use super::{dialect, Conn, This};
use crate::store::Store;

mod accounts;
mod audit;
pub(super) mod bookings;
mod directory;
mod history;
mod maintenance;
mod mediation;
pub(super) mod outbox;
mod phone_codes;
mod queue;
mod ratings;
mod retention;
mod schedules;
mod secrets;
mod stats;
mod waitlist;

/// Every area's trait is implemented for this engine (in the files above).
impl Store for This {}

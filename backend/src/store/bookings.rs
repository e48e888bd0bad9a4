//! Storage of bookings: [`BookingStore`], the calls the use cases make, and the records they
//! take and give. The SQL, for both engines, is in `sql/bookings.rs`.

use super::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, FixedOffset, Utc};
use domain::booking::FairnessError;
use domain::{BookingState, LocationId, ServiceCode};
use std::collections::HashMap;

/// Bookings, their seats and their history.
#[async_trait]
pub trait BookingStore: Send + Sync {
    /// Active bookings per slot start of a service at a place, for starts in `[from, to)`.
    async fn seats_taken(
        &self,
        location: LocationId,
        service: ServiceCode,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<HashMap<DateTime<Utc>, u32>>;
    /// Takes a seat and saves the booking in one transaction, unless the slot is full or
    /// the resident's other active bookings (given to `fairness`) forbid it.
    async fn create_booking(
        &self,
        booking: &NewBookingRecord,
        capacity: u16,
        fairness: FairnessCheck,
    ) -> StoreResult<Result<BookingRecord, Refusal>>;
    async fn booking_by_code(&self, code: &str) -> StoreResult<Option<BookingRecord>>;
    /// Cancels a booked (not yet served) booking and frees its seat.
    async fn cancel_booking(
        &self,
        code: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Result<BookingRecord, Refusal>>;
    /// Moves a booked booking to another slot of the same service and place: takes the new
    /// seat, frees the old one, keeps the code and records the move.
    async fn reschedule_booking(
        &self,
        code: &str,
        new_start: DateTime<Utc>,
        new_end: DateTime<Utc>,
        capacity: u16,
        fairness: FairnessCheck,
        at: DateTime<Utc>,
    ) -> StoreResult<Result<BookingRecord, Refusal>>;
    /// What happened to a booking, oldest first.
    async fn booking_events(&self, booking_id: i64) -> StoreResult<Vec<BookingEvent>>;
    /// Bookings (any state) of a place whose slots start in `[from, to)`.
    async fn bookings_between(
        &self,
        location: LocationId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingRecord>>;
    /// Booked (not cancelled, not arrived) bookings of every place starting in `[from, to)`.
    async fn booked_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingRecord>>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBookingRecord {
    pub code: String,
    pub location_id: LocationId,
    pub service: ServiceCode,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub name: String,
    pub phone: String,
    pub topic: String,
    pub account: Option<String>,
    pub youth: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingRecord {
    pub id: i64,
    pub code: String,
    pub location_id: LocationId,
    pub service: ServiceCode,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub state: BookingState,
    pub name: String,
    pub phone: String,
    pub topic: String,
    pub account: Option<String>,
    pub youth: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingEvent {
    pub at: DateTime<Utc>,
    /// `created`, `rescheduled` or `cancelled`
    pub kind: String,
    pub from_start: Option<DateTime<Utc>>,
    pub to_start: Option<DateTime<Utc>>,
}

/// Why a booking change was refused; the use-case layer words it for residents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No seat left in the slot.
    Full,
    Fairness(FairnessError),
    /// The booking is no longer in a state that allows the change.
    NotActive(BookingState),
    NotFound,
}

/// The fairness rule, evaluated inside the booking transaction on the resident's other
/// active bookings (start, end). The rule itself lives in `domain::booking`.
pub type FairnessCheck = std::sync::Arc<
    dyn Fn(&[(DateTime<FixedOffset>, DateTime<FixedOffset>)]) -> Result<(), FairnessError>
        + Send
        + Sync,
>;

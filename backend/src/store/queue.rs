//! Storage of the day's queues: [`QueueStore`], the calls the use cases make, and the records
//! they take and give. The SQL, for both engines, is in `sql/queue.rs`.

use super::{BookingRecord, Refusal, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::queue::{Outcome, QueueState};
use domain::{LocationId, ServiceCode};

/// The day's queues at the places, and arrivals that did not come.
#[async_trait]
pub trait QueueStore: Send + Sync {
    async fn queue_entries(
        &self,
        location: LocationId,
        day: NaiveDate,
    ) -> StoreResult<Vec<QueueEntryRecord>>;
    async fn queue_entry(&self, id: i64) -> StoreResult<Option<QueueEntryRecord>>;
    /// Puts a booked (or not-come) booking into its place's queue of `day` with the next
    /// ticket of its service.
    async fn check_in(
        &self,
        booking_id: i64,
        day: NaiveDate,
        at: DateTime<Utc>,
    ) -> StoreResult<Result<QueueEntryRecord, Refusal>>;
    /// A new arrival without a booking; `transferred_from` names the entry of the desk that
    /// handed the person over (not a walk-in then, for statistics).
    async fn add_walk_in(
        &self,
        location: LocationId,
        service: ServiceCode,
        day: NaiveDate,
        at: DateTime<Utc>,
        transferred_from: Option<i64>,
    ) -> StoreResult<QueueEntryRecord>;
    /// Moves an entry from `from` to `change.to` (and its booking along); `None` when the entry
    /// is no longer in `from` (someone else acted first).
    async fn change_queue_entry(
        &self,
        id: i64,
        from: QueueState,
        change: &QueueChange,
    ) -> StoreResult<Option<QueueEntryRecord>>;
    /// Restores the state before the entry's last action; `None` when there is nothing to undo.
    async fn undo_queue_entry(
        &self,
        id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<QueueEntryRecord>>;
    /// Marks booked bookings whose slot started before `cutoff` as not come; returns them.
    async fn mark_no_shows(
        &self,
        cutoff: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingRecord>>;
    /// Takes a not-come booking back to booked (staff correcting the automatic mark).
    async fn revert_no_show(&self, booking_id: i64, at: DateTime<Utc>) -> StoreResult<bool>;
}

/// One person in a place's queue of the day, with their booking's details when booked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntryRecord {
    pub id: i64,
    pub location_id: LocationId,
    pub service: ServiceCode,
    pub day: NaiveDate,
    pub ticket: String,
    pub state: QueueState,
    pub can_undo: bool,
    pub desk: Option<String>,
    pub arrived_at: DateTime<Utc>,
    pub called_at: Option<DateTime<Utc>>,
    pub serving_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub outcome: Option<Outcome>,
    pub note: Option<String>,
    pub booking: Option<BookingRecord>,
}

/// A queue entry's new state and what goes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueChange {
    pub to: QueueState,
    pub at: DateTime<Utc>,
    pub desk: Option<String>,
    pub outcome: Option<Outcome>,
    pub note: Option<String>,
}

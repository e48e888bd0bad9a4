//! Storage of generated history: [`HistoryStore`], the calls the use cases make, and the
//! records they take and give. The SQL, for both engines, is in `sql/history.rs`.

use super::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::mediation::{CaseState, DisputeType, Ending, Referral};
use domain::queue::{Outcome, QueueState};
use domain::{BookingState, LocationId, ServiceCode};

/// Generated past activity for demonstrations (`server demo-history`).
#[async_trait]
pub trait HistoryStore: Send + Sync {
    /// How many bookings start before `before`, and the largest booking id.
    async fn history_state(&self, before: DateTime<Utc>) -> StoreResult<(i64, i64)>;
    /// Writes generated history in one transaction.
    async fn insert_history(&self, batch: &HistoryBatch) -> StoreResult<()>;
}

/// Generated past activity, written in bulk.
#[derive(Debug, Clone, Default)]
pub struct HistoryBatch {
    pub bookings: Vec<HistoryBooking>,
    pub reschedules: Vec<HistoryReschedule>,
    pub queue: Vec<HistoryQueueEntry>,
    pub cases: Vec<HistoryCase>,
    /// The last agreement number used per committee and year.
    pub agreement_counters: Vec<(LocationId, i32, i64)>,
}

#[derive(Debug, Clone)]
pub struct HistoryBooking {
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
    pub youth: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct HistoryReschedule {
    pub booking_id: i64,
    pub at: DateTime<Utc>,
    pub from_start: DateTime<Utc>,
    pub to_start: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct HistoryQueueEntry {
    pub location_id: LocationId,
    pub service: ServiceCode,
    pub day: NaiveDate,
    pub number: u32,
    pub ticket: String,
    pub booking_id: Option<i64>,
    pub state: QueueState,
    pub arrived_at: DateTime<Utc>,
    pub called_at: Option<DateTime<Utc>>,
    pub serving_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Clone)]
pub struct HistoryCase {
    pub code: String,
    pub state: CaseState,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub other_party_name: String,
    pub dispute_type: DisputeType,
    pub account: String,
    pub location_id: LocationId,
    pub submitted_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub outcome: Option<Ending>,
    pub referral: Option<Referral>,
    pub amount_fen: Option<i64>,
    pub terms: Option<String>,
    pub reason: Option<String>,
    pub agreement_no: Option<String>,
}

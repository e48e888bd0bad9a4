//! Storage of retention (PIPL): [`RetentionStore`], the calls the use cases make, and the
//! records they take and give. The SQL, for both engines, is in `sql/retention.rs`.

use super::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Forgetting residents' personal data when it is due (PIPL).
#[async_trait]
pub trait RetentionStore: Send + Sync {
    /// Anonymises up to `limit` due rows of each kind (bookings, cases, messages, queue
    /// notes; what is due is `domain::retention::Cutoff`), marking them with `at`. Columns
    /// the statistics count are never written. Returns how many rows of each kind.
    async fn anonymise_due(
        &self,
        cutoff: &domain::retention::Cutoff,
        at: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Anonymised>;
}

/// How many rows a retention pass anonymised, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Anonymised {
    pub bookings: u64,
    pub cases: u64,
    pub notifications: u64,
    pub queue_notes: u64,
}

impl Anonymised {
    pub fn total(&self) -> u64 {
        self.bookings + self.cases + self.notifications + self.queue_notes
    }

    pub fn add(&mut self, other: Anonymised) {
        self.bookings += other.bookings;
        self.cases += other.cases;
        self.notifications += other.notifications;
        self.queue_notes += other.queue_notes;
    }
}

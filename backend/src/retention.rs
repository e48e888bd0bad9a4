//! PIPL retention: residents' names, phone numbers and texts are anonymised a set number of
//! days after the visit, after the case closed or after the message went out (the rule:
//! `domain::retention`; the SQL: `store/sql/retention.rs`). Statistics stay exactly as they
//! were. The server runs [`Retention::run`] hourly; it logs only how many rows it changed.

use crate::booking::Clock;
use crate::store::{Anonymised, Store, StoreResult};
use domain::retention::Cutoff;
use std::sync::Arc;

/// Rows of each kind anonymised per transaction: a short write that never holds up bookings
/// for long.
const BATCH: i64 = 500;

#[derive(Clone)]
pub struct Retention {
    store: Arc<dyn Store>,
    days: u32,
    clock: Clock,
}

impl Retention {
    /// Keeps personal data for `days` days (`PORTAL_RETENTION_DAYS`).
    pub fn new(store: Arc<dyn Store>, days: u32, clock: Clock) -> Self {
        Retention { store, days, clock }
    }

    /// Anonymises everything that is due now, in batches; returns how many rows of each
    /// kind. Running it again right away changes nothing.
    pub async fn run(&self) -> StoreResult<Anonymised> {
        let now = (self.clock)();
        let cutoff = Cutoff::at(now, self.days);
        let mut done = Anonymised::default();
        loop {
            let batch = self.store.anonymise_due(&cutoff, now, BATCH).await?;
            done.add(batch);
            let full = [
                batch.bookings,
                batch.cases,
                batch.notifications,
                batch.queue_notes,
                batch.phone_codes,
                batch.waitlist,
                batch.ratings,
            ]
            .into_iter()
            .any(|n| n >= BATCH as u64);
            if !full {
                break;
            }
        }
        if done.total() > 0 {
            tracing::info!(
                bookings = done.bookings,
                cases = done.cases,
                notifications = done.notifications,
                queue_notes = done.queue_notes,
                phone_codes = done.phone_codes,
                waitlist = done.waitlist,
                ratings = done.ratings,
                retention_days = self.days,
                "personal data anonymised"
            );
        }
        Ok(done)
    }
}

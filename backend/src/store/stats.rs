//! Storage of the statistics: [`StatsStore`], the calls the use cases make, and the records
//! they take and give. The SQL, for both engines, is in `sql/stats.rs`.

use super::StoreResult;
use async_trait::async_trait;
use domain::stats::{Month, Period, Tally};
use domain::LocationId;
use std::collections::HashMap;

/// Counting for the statistics, and the monthly roll-ups.
#[async_trait]
pub trait StatsStore: Send + Sync {
    /// Counts of every place with activity in `period` from the working tables (`only`: just
    /// these places).
    async fn tally_raw(
        &self,
        period: Period,
        only: Option<&[LocationId]>,
    ) -> StoreResult<HashMap<LocationId, Tally>>;
    /// Saved monthly roll-ups of the months `from..=to` (stale ones included: see
    /// [`StatsStore::stale_rollups`]).
    async fn rollups(&self, from: Month, to: Month)
        -> StoreResult<Vec<(Month, LocationId, Tally)>>;
    /// Place-months of `from..=to` changed since their roll-up was computed.
    async fn stale_rollups(&self, from: Month, to: Month) -> StoreResult<Vec<StaleRollup>>;
    /// Saves recomputed roll-ups; one computed from an older generation than the one saved
    /// is dropped, so concurrent recomputations cannot put old counts back.
    async fn save_rollups(&self, rollups: &[(StaleRollup, Tally)]) -> StoreResult<()>;
}

/// A place-month whose roll-up is out of date, and the change generation it was seen at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaleRollup {
    pub month: Month,
    pub location_id: LocationId,
    pub generation: i64,
}

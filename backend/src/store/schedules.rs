//! Storage of opening times: [`ScheduleStore`], the calls the use cases make, and the records
//! they take and give. The SQL, for both engines, is in `sql/schedules.rs`.

use super::StoreResult;
use async_trait::async_trait;
use chrono::NaiveDate;
use domain::{LocationId, ServiceCode};

/// When a service is open: weekly sessions, closures and extra sessions on dates, and the
/// public holiday files.
#[async_trait]
pub trait ScheduleStore: Send + Sync {
    /// Bodies of the loaded holiday files, one per year.
    async fn holiday_files(&self) -> StoreResult<Vec<String>>;
    /// Stores (or replaces) a year's holiday file.
    async fn save_holiday_file(&self, year: i32, source: &str, body: &str) -> StoreResult<()>;
    /// Closures and extra sessions of a service at a place between two dates.
    async fn date_exceptions(
        &self,
        location: LocationId,
        service: ServiceCode,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<StoredException>>;
    /// Replaces the weekly rules of a service at a place.
    async fn replace_weekly_sessions(
        &self,
        location: LocationId,
        service: ServiceCode,
        sessions: &[domain::WeeklySession],
    ) -> StoreResult<()>;
    /// Closes a service at a place on a date.
    async fn add_closure(
        &self,
        location: LocationId,
        service: ServiceCode,
        date: NaiveDate,
        note: &str,
    ) -> StoreResult<()>;
}

/// A closure (`session: None`) or an extra session string on one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredException {
    pub date: NaiveDate,
    pub session: Option<String>,
}

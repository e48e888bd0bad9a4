//! The storage layer: every SQL statement of the portal lives under this module.
//!
//! [`Store`] is the interface the use cases depend on. [`sqlite::SqliteStore`] implements it
//! for the embedded default; a PostgreSQL implementation will satisfy the same trait, so the
//! SQL here sticks to what both engines run (`$1` placeholders, no engine-only functions)
//! and business rules stay in the `domain` crate.

pub mod sqlite;

use async_trait::async_trait;
use domain::district_file::District;
use domain::{Location, LocationId};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored value that the domain cannot read back (a bug or a hand edit).
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// District name and bureau, as loaded from the data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictInfo {
    pub name: String,
    pub bureau: String,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Applies pending migrations.
    async fn migrate(&self) -> StoreResult<()>;
    /// Cheap round trip for health checks.
    async fn ping(&self) -> StoreResult<()>;
    /// `None` until a district file has been loaded.
    async fn district(&self) -> StoreResult<Option<DistrictInfo>>;
    /// Saves a whole district (places, services, schedules) in one transaction.
    /// Refuses (returns `Ok(false)`) when a district is already loaded.
    async fn load_district_if_empty(&self, district: &District) -> StoreResult<bool>;
    /// Every place in data-file order, with services and weekly sessions.
    async fn locations(&self) -> StoreResult<Vec<Location>>;
    async fn location(&self, id: LocationId) -> StoreResult<Location>;
}

//! Storage of the district and its places: [`DirectoryStore`], the calls the use cases make,
//! and the records they take and give. The SQL, for both engines, is in `sql/directory.rs`.

use super::StoreResult;
use async_trait::async_trait;
use domain::district_file::District;
use domain::{Location, LocationId};

/// The district, its places and what they offer.
#[async_trait]
pub trait DirectoryStore: Send + Sync {
    /// `None` until a district file has been loaded.
    async fn district(&self) -> StoreResult<Option<DistrictInfo>>;
    /// Saves a whole district (places, services, schedules) in one transaction.
    /// Refuses (returns `Ok(false)`) when a district is already loaded.
    async fn load_district_if_empty(&self, district: &District) -> StoreResult<bool>;
    /// Every place in data-file order, with services and weekly sessions.
    async fn locations(&self) -> StoreResult<Vec<Location>>;
    async fn location(&self, id: LocationId) -> StoreResult<Location>;
}

/// District name and bureau, as loaded from the data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictInfo {
    pub name: String,
    pub bureau: String,
}

//! Storage of the audit log: [`AuditStore`], the calls the use cases make, and the records they
//! take and give. The SQL, for both engines, is in `sql/audit.rs`.

use super::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::LocationId;

/// What staff did.
#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()>;
    /// The newest entries first.
    async fn audit_log(&self, limit: i64) -> StoreResult<Vec<AuditEntry>>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub staff_id: Option<i64>,
    pub username: String,
    pub action: String,
    pub location_id: Option<LocationId>,
    pub subject: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

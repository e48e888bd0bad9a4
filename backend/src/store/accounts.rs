//! Storage of staff accounts: [`AccountStore`], the calls the use cases make, and the records
//! they take and give. The SQL, for both engines, is in `sql/accounts.rs`.

use super::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::staff::{Role, StaffAccount};
use domain::LocationId;

/// Staff accounts. Their sign-in sessions are kept by tower-sessions in
/// the same database, opened per engine (`session_store` of each engine).
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// `None` when the username is taken.
    async fn create_staff_user(&self, user: &NewStaffUser) -> StoreResult<Option<i64>>;
    async fn staff_user_by_name(&self, username: &str) -> StoreResult<Option<StaffUserRecord>>;
    async fn staff_user_by_id(&self, id: i64) -> StoreResult<Option<StaffUserRecord>>;
    async fn set_staff_password(&self, id: i64, hash: &str, at: DateTime<Utc>) -> StoreResult<()>;
    async fn staff_user_count(&self) -> StoreResult<i64>;
    /// Disables or enables an account; `false` when there is no such account.
    async fn set_staff_disabled(&self, id: i64, disabled: bool) -> StoreResult<bool>;
    /// Every account, by username (a district has dozens, not thousands).
    async fn staff_users(&self) -> StoreResult<Vec<StaffUserRecord>>;
}

/// A staff account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUserRecord {
    pub account: StaffAccount,
    pub password_hash: String,
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaffUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub place: Option<LocationId>,
    pub created_at: DateTime<Utc>,
}

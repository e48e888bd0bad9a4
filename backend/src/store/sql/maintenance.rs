//! The database itself: migrations (per engine, `migrate_impl` in the engine's module) and
//! the health check's round trip.

use super::This;
use crate::store::{MaintenanceStore, StoreResult};
use async_trait::async_trait;

#[async_trait]
impl MaintenanceStore for This {
    async fn migrate(&self) -> StoreResult<()> {
        self.migrate_impl().await
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

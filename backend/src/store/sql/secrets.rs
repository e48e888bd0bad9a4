//! Secrets the instances share (the key of `crate::seal`), created by whichever
//! instance needs one first.

use super::This;
use crate::store::{SecretStore, StoreResult};
use async_trait::async_trait;

#[async_trait]
impl SecretStore for This {
    async fn secret(&self, name: &str, fresh: &[u8]) -> StoreResult<Vec<u8>> {
        sqlx::query(
            "INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(fresh)
        .execute(&self.writer)
        .await?;
        let (value,): (Vec<u8>,) = sqlx::query_as("SELECT value FROM secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.writer)
            .await?;
        Ok(value)
    }
}

//! SQL for the audit log: what staff did, newest first.

use super::bookings::{parse_ts, ts};
use super::This;
use crate::store::{AuditEntry, AuditStore, StoreResult};
use async_trait::async_trait;
use domain::LocationId;

#[async_trait]
impl AuditStore for This {
    async fn audit(&self, e: &AuditEntry) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, staff_id, username, action, location_id, subject, before, after)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(ts(e.at))
        .bind(e.staff_id)
        .bind(&e.username)
        .bind(&e.action)
        .bind(e.location_id.map(|l| l.0))
        .bind(&e.subject)
        .bind(&e.before)
        .bind(&e.after)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn audit_log(&self, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            String,
            Option<i64>,
            String,
            String,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<String>,
        )> = sqlx::query_as(
            "SELECT at, staff_id, username, action, location_id, subject, before, after
             FROM audit_log ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(
                |(at, staff_id, username, action, location_id, subject, before, after)| {
                    Ok(AuditEntry {
                        at: parse_ts(&at)?,
                        staff_id,
                        username,
                        action,
                        location_id: location_id.map(LocationId),
                        subject,
                        before,
                        after,
                    })
                },
            )
            .collect()
    }
}

//! Storage of the text message outbox: [`OutboxStore`], the calls the use cases make, and the
//! records they take and give. The SQL, for both engines, is in `sql/outbox.rs`.

use super::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::notify::NoticeKind;

/// Text messages waiting to be sent, and what became of them.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// `false` when a message with the same dedupe key exists already.
    async fn enqueue_notification(&self, n: &NewNotification) -> StoreResult<bool>;
    /// Claims unsent messages due by `now` with fewer than `max_attempts` attempts, oldest
    /// first: they are not due again before `lease_until`, so with several instances each
    /// message is sent by one of them (and again only if that one fails to report).
    async fn claim_due_notifications(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        max_attempts: u32,
        limit: i64,
    ) -> StoreResult<Vec<NotificationRecord>>;
    async fn notification_sent(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()>;
    async fn notification_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn notifications_of_booking(
        &self,
        booking_id: i64,
    ) -> StoreResult<Vec<NotificationRecord>>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub booking_id: i64,
    pub kind: NoticeKind,
    pub phone: String,
    pub body: String,
    pub dedupe_key: Option<String>,
    pub created_at: DateTime<Utc>,
    pub send_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRecord {
    pub id: i64,
    pub booking_id: Option<i64>,
    pub kind: NoticeKind,
    pub phone: String,
    pub body: String,
    pub attempts: u32,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

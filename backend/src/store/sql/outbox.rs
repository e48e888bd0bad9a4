//! SQL for the outbox of text messages: queued once (a second message with the same dedupe
//! key is refused), claimed for sending with a lease (so with several instances each is sent
//! by one), then marked sent, or failed with the time of the next attempt.

use super::bookings::{opt_ts, ts};
use super::{Conn, This};
use crate::store::{NewNotification, NotificationRecord, OutboxStore, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::notify::NoticeKind;

type NotificationRow = (
    i64,
    Option<i64>,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
);

const NOTIFICATION_COLUMNS: &str =
    "id, booking_id, kind, phone, body, attempts, sent_at, last_error";

fn notification(r: NotificationRow) -> StoreResult<NotificationRecord> {
    let (id, booking_id, kind, phone, body, attempts, sent_at, last_error) = r;
    Ok(NotificationRecord {
        id,
        booking_id,
        kind: NoticeKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("notification kind {kind}")))?,
        phone,
        body,
        attempts: u32::try_from(attempts).unwrap_or(0),
        sent_at: opt_ts(sent_at)?,
        last_error,
    })
}

/// A queued message (shared with SQLite's group commit, which binds `$n` by name).
pub(crate) const INSERT_NOTIFICATION: &str = "INSERT INTO notifications (booking_id, kind, phone, body, dedupe_key, created_at, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Queues `n` on `conn` (inside the caller's transaction, if any); `false` when a message
/// with the same dedupe key exists already.
pub(crate) async fn insert_notification(conn: &mut Conn, n: &NewNotification) -> StoreResult<bool> {
    let r = sqlx::query(INSERT_NOTIFICATION)
        .bind(n.booking_id)
        .bind(n.kind.code())
        .bind(&n.phone)
        .bind(&n.body)
        .bind(&n.dedupe_key)
        .bind(ts(n.created_at))
        .bind(ts(n.send_at))
        .execute(&mut *conn)
        .await;
    match r {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[async_trait]
impl OutboxStore for This {
    async fn enqueue_notification(&self, n: &NewNotification) -> StoreResult<bool> {
        let mut conn = self.writer.acquire().await?;
        insert_notification(&mut conn, n).await
    }

    async fn claim_due_notifications(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        max_attempts: u32,
        limit: i64,
    ) -> StoreResult<Vec<NotificationRecord>> {
        // One statement: a row another instance claimed meanwhile is no longer due when
        // this UPDATE gets to it (PostgreSQL re-checks the WHERE after waiting for the row).
        let rows: Vec<NotificationRow> = sqlx::query_as(&format!(
            "UPDATE notifications SET next_attempt_at = $4
             WHERE id IN (SELECT id FROM notifications
                          WHERE sent_at IS NULL AND next_attempt_at <= $1 AND attempts < $2
                          ORDER BY next_attempt_at, id LIMIT $3)
               AND sent_at IS NULL AND next_attempt_at <= $1
             RETURNING {NOTIFICATION_COLUMNS}"
        ))
        .bind(ts(now))
        .bind(i64::from(max_attempts))
        .bind(limit)
        .bind(ts(lease_until))
        .fetch_all(&self.writer)
        .await?;
        let mut claimed: Vec<NotificationRecord> = rows
            .into_iter()
            .map(notification)
            .collect::<StoreResult<_>>()?;
        claimed.sort_by_key(|n| n.id);
        Ok(claimed)
    }

    async fn notification_sent(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()> {
        // a sent code has done its work: its text is not kept
        sqlx::query(
            "UPDATE notifications SET sent_at = $2, attempts = attempts + 1, last_error = NULL,
                 body = CASE WHEN kind = $3 THEN '' ELSE body END
             WHERE id = $1",
        )
        .bind(id)
        .bind(ts(at))
        .bind(NoticeKind::PhoneCode.code())
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn notification_failed(
        &self,
        id: i64,
        error: &str,
        next: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE notifications SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(error.chars().take(500).collect::<String>())
        .bind(ts(next))
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn notifications_of_booking(
        &self,
        booking_id: i64,
    ) -> StoreResult<Vec<NotificationRecord>> {
        let rows: Vec<NotificationRow> = sqlx::query_as(&format!(
            "SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE booking_id = $1 ORDER BY id"
        ))
        .bind(booking_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(notification).collect()
    }
}

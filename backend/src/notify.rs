//! The notifications outbox: messages to residents when a booking is confirmed, changed or
//! cancelled, and a reminder the day before. Use cases only *enqueue* (a failure is logged
//! and never fails the booking); a background task sends due messages through a [`Sender`]
//! and retries failures with back-off.

use crate::booking::Clock;
use crate::confirmation::public_title;
use crate::store::{BookingRecord, NewNotification, Store};
use async_trait::async_trait;
use chrono::{DateTime, NaiveTime, Utc};
use domain::notify::{notice_text, retry_delay, NoticeKind, MAX_ATTEMPTS, SEND_LEASE_MINUTES};
use domain::slots::{days_span, local_date, local_instant, to_local};
use domain::{BookingCode, Location};
use std::sync::Arc;

/// Where messages go. The default records them (database and log); an SMS gateway is an
/// HTTP webhook.
#[async_trait]
pub trait Sender: Send + Sync {
    async fn send(&self, phone: &str, body: &str) -> Result<(), String>;
    fn name(&self) -> &'static str;
}

/// Keeps messages in the outbox table and logs that they were "sent" (phone masked).
pub struct RecordSender;

#[async_trait]
impl Sender for RecordSender {
    async fn send(&self, phone: &str, _body: &str) -> Result<(), String> {
        let masked = domain::booking::MobilePhone::parse(phone)
            .map(|p| p.masked())
            .unwrap_or_else(|_| "***".into());
        tracing::info!(phone = %masked, "notification recorded (no SMS gateway configured)");
        Ok(())
    }
    fn name(&self) -> &'static str {
        "record"
    }
}

/// POSTs `{"phone","message"}` as JSON to a gateway URL (`PORTAL_SMS_WEBHOOK`); any 2xx
/// answer counts as sent.
pub struct WebhookSender {
    url: String,
    client: reqwest::Client,
}

impl WebhookSender {
    pub fn new(url: String) -> Self {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .expect("an HTTP client");
        WebhookSender { url, client }
    }
}

#[async_trait]
impl Sender for WebhookSender {
    async fn send(&self, phone: &str, body: &str) -> Result<(), String> {
        let r = self
            .client
            .post(&self.url)
            .json(&serde_json::json!({ "phone": phone, "message": body }))
            .send()
            .await
            .map_err(|e| format!("gateway unreachable: {}", e.without_url()))?;
        if r.status().is_success() {
            Ok(())
        } else {
            Err(format!("gateway answered {}", r.status()))
        }
    }
    fn name(&self) -> &'static str {
        "webhook"
    }
}

/// When reminders for tomorrow go out (local time).
const REMINDER_AT: (u32, u32) = (18, 0);

#[derive(Clone)]
pub struct Notifier {
    store: Arc<dyn Store>,
    sender: Arc<dyn Sender>,
    clock: Clock,
    wake: Arc<tokio::sync::Notify>,
}

impl Notifier {
    pub fn new(store: Arc<dyn Store>, sender: Arc<dyn Sender>, clock: Clock) -> Self {
        Notifier {
            store,
            sender,
            clock,
            wake: Arc::new(tokio::sync::Notify::new()),
        }
    }

    pub fn sender_name(&self) -> &'static str {
        self.sender.name()
    }

    /// Puts a message about `booking` in the outbox. Never fails the caller.
    pub async fn enqueue(&self, kind: NoticeKind, booking: &BookingRecord, place: &Location) {
        let Some(n) = self.notice(
            kind,
            Some(booking.id),
            booking.service,
            booking.start,
            &booking.code,
            &booking.phone,
            place,
        ) else {
            return;
        };
        if let Err(e) = self.store.enqueue_notification(&n).await {
            tracing::error!(error = %e, kind = kind.code(), "could not enqueue a notification");
        }
    }

    /// The message of `kind` about a booking (of `service` at `place`, starting at `start`,
    /// coded `code`, made with `phone`), due now (a reminder: the evening before). `None`
    /// (logged) for a kind that is not about a booking. `booking_id` may be left to the store
    /// when the message is written with the booking itself ([`Notifier::confirmation`]).
    #[allow(clippy::too_many_arguments)]
    fn notice(
        &self,
        kind: NoticeKind,
        booking_id: Option<i64>,
        service: domain::ServiceCode,
        start: DateTime<Utc>,
        code: &str,
        phone: &str,
        place: &Location,
    ) -> Option<NewNotification> {
        let now = (self.clock)();
        let shown = BookingCode::parse(code)
            .map(|c| c.to_string())
            .unwrap_or_else(|_| code.to_string());
        let Some(body) = notice_text(
            kind,
            public_title(service, domain::Lang::ZhCn),
            &place.name,
            &place.address,
            to_local(&start),
            &shown,
        ) else {
            tracing::error!(kind = kind.code(), "not a message about a booking");
            return None;
        };
        let (dedupe_key, send_at) = match kind {
            NoticeKind::Reminder => {
                let day_before = local_date(&start).pred_opt();
                let evening = day_before
                    .and_then(|d| {
                        local_instant(d, NaiveTime::from_hms_opt(REMINDER_AT.0, REMINDER_AT.1, 0)?)
                    })
                    .map(|t| t.with_timezone(&Utc))
                    .unwrap_or(now);
                (
                    Some(format!(
                        "reminder:{}:{}",
                        booking_id.unwrap_or_default(),
                        start.timestamp()
                    )),
                    evening.max(now),
                )
            }
            _ => (None, now),
        };
        Some(NewNotification {
            booking_id,
            kind,
            phone: phone.to_string(),
            body,
            dedupe_key,
            created_at: now,
            send_at,
        })
    }

    /// The confirmation of a booking not yet saved, for the store to write in the booking's
    /// own transaction (`BookingStore::create_booking_with_notice`, which fills in its id).
    pub fn confirmation(
        &self,
        booking: &crate::store::NewBookingRecord,
        place: &Location,
    ) -> Option<NewNotification> {
        self.notice(
            NoticeKind::Confirmed,
            None,
            booking.service,
            booking.start,
            &booking.code,
            &booking.phone,
            place,
        )
    }

    /// Puts a message about no booking (a phone code) in the outbox, to go out at once.
    /// `Err` when it could not be stored (already logged): unlike a booking's message, the
    /// caller has nothing without it.
    pub async fn enqueue_message(
        &self,
        kind: NoticeKind,
        phone: &str,
        body: String,
    ) -> Result<(), crate::ServiceError> {
        let now = (self.clock)();
        let n = NewNotification {
            booking_id: None,
            kind,
            phone: phone.to_string(),
            body,
            dedupe_key: None,
            created_at: now,
            send_at: now,
        };
        self.store.enqueue_notification(&n).await.map_err(|e| {
            tracing::error!(error = %e, kind = kind.code(), "could not enqueue a message");
            crate::ServiceError::Internal
        })?;
        self.wake.notify_one();
        Ok(())
    }

    /// Puts a message in the outbox to go out at once, unless one with `dedupe_key` was
    /// queued before (a finish undone and done again invites once). Failures are logged.
    pub async fn enqueue_once(
        &self,
        kind: NoticeKind,
        booking_id: Option<i64>,
        phone: &str,
        body: String,
        dedupe_key: String,
    ) {
        let now = (self.clock)();
        let n = NewNotification {
            booking_id,
            kind,
            phone: phone.to_string(),
            body,
            dedupe_key: Some(dedupe_key),
            created_at: now,
            send_at: now,
        };
        match self.store.enqueue_notification(&n).await {
            Ok(true) => self.wake.notify_one(),
            Ok(false) => {}
            Err(e) => {
                tracing::error!(error = %e, kind = kind.code(), "could not enqueue a message")
            }
        }
    }

    /// Resolves when a message was queued to go out at once (the sending task waits on it
    /// besides its timer, so a code arrives in a second, not at the next tick).
    pub async fn woken(&self) {
        self.wake.notified().await
    }

    /// Queues reminders for bookings starting tomorrow (once per booking and slot).
    pub async fn enqueue_reminders(&self, places: &[Location]) -> usize {
        let now = (self.clock)();
        let tomorrow = local_date(&now).succ_opt();
        let bounds = tomorrow.and_then(|d| days_span(d, d));
        let Some((from, to)) = bounds else { return 0 };
        let booked = match self
            .store
            .booked_between(from.with_timezone(&Utc), to.with_timezone(&Utc))
            .await
        {
            Ok(b) => b,
            Err(e) => {
                tracing::error!(error = %e, "could not list tomorrow's bookings");
                return 0;
            }
        };
        let mut n = 0;
        for b in &booked {
            if let Some(place) = places.iter().find(|p| p.id == b.location_id) {
                self.enqueue(NoticeKind::Reminder, b, place).await;
                n += 1;
            }
        }
        n
    }

    /// Sends what is due; failures wait and try again. Returns (sent, failed).
    pub async fn send_due(&self) -> (usize, usize) {
        let now = (self.clock)();
        let lease_until = now + chrono::Duration::minutes(SEND_LEASE_MINUTES);
        let due = match self
            .store
            .claim_due_notifications(now, lease_until, MAX_ATTEMPTS, 100)
            .await
        {
            Ok(d) => d,
            Err(e) => {
                tracing::error!(error = %e, "could not read the outbox");
                return (0, 0);
            }
        };
        let (mut sent, mut failed) = (0, 0);
        for n in due {
            match self.sender.send(&n.phone, &n.body).await {
                Ok(()) => {
                    sent += 1;
                    if let Err(e) = self.store.notification_sent(n.id, (self.clock)()).await {
                        tracing::error!(error = %e, "could not mark a notification sent");
                    }
                }
                Err(why) => {
                    failed += 1;
                    let next = (self.clock)() + retry_delay(n.attempts + 1);
                    tracing::warn!(id = n.id, attempt = n.attempts + 1, error = %why, "notification not sent; will retry");
                    if let Err(e) = self.store.notification_failed(n.id, &why, next).await {
                        tracing::error!(error = %e, "could not record a failed notification");
                    }
                }
            }
        }
        (sent, failed)
    }
}

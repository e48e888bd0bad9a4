//! The notifications outbox: a booking succeeds whatever the SMS gateway does; messages are
//! retried with back-off until sent; the day-before reminder is queued once.

use async_trait::async_trait;
use backend::booking::{BookingConfig, BookingError, BookingRequest, Clock};
use backend::notify::{Notifier, Sender};
use backend::store::BookingRecord;
use backend::testing::{engines, fresh_store, Engine, TestDatabase};
use backend::{Bookings, Directory, Store};
use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::notify::NoticeKind;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::Arc;

const DISTRICT: &str = backend::testing::ONE_OFFICE_DISTRICT;

/// Fails the first `fail` sends, then works; counts what it sent.
struct FlakyGateway {
    fail: AtomicUsize,
    sent: AtomicUsize,
}

#[async_trait]
impl Sender for FlakyGateway {
    async fn send(&self, _phone: &str, _body: &str) -> Result<(), String> {
        if self
            .fail
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Err("gateway answered 503".into());
        }
        self.sent.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
    fn name(&self) -> &'static str {
        "flaky"
    }
}

struct World {
    db: TestDatabase,
    store: Arc<dyn Store>,
    bookings: Bookings,
    notifier: Notifier,
    gateway: Arc<FlakyGateway>,
    now: Arc<AtomicI64>,
    directory: Directory,
}

impl World {
    fn set(&self, t: DateTime<Utc>) {
        self.now.store(t.timestamp(), Ordering::SeqCst);
    }

    /// Wang Fang books `service` at office 1 at `start` for `topic`.
    async fn book(
        &self,
        service: &str,
        start: &str,
        topic: &str,
    ) -> Result<BookingRecord, BookingError> {
        self.bookings
            .book(&BookingRequest {
                location_id: 1,
                service: service.into(),
                start: start.into(),
                name: "王芳".into(),
                phone: "13812345678".into(),
                topic: topic.into(),
                consent: true,
                ..Default::default()
            })
            .await
    }
}

/// A clock that reads the time the test sets in `now`.
fn clock(now: &Arc<AtomicI64>) -> Clock {
    let now = now.clone();
    Arc::new(move || Utc.timestamp_opt(now.load(Ordering::SeqCst), 0).unwrap())
}

async fn world(engine: Engine, fail: usize) -> World {
    let (db, store) = fresh_store(engine).await;
    let directory = Directory::new(store.clone());
    directory.seed_if_empty(DISTRICT).await.unwrap();
    // Monday 2030-03-04 07:00 in Shanghai
    let now = Arc::new(AtomicI64::new(
        Utc.with_ymd_and_hms(2030, 3, 3, 23, 0, 0)
            .unwrap()
            .timestamp(),
    ));
    let clock = clock(&now);
    let gateway = Arc::new(FlakyGateway {
        fail: AtomicUsize::new(fail),
        sent: AtomicUsize::new(0),
    });
    let notifier = Notifier::new(store.clone(), gateway.clone(), clock.clone());
    let bookings = Bookings::new(
        store.clone(),
        directory.clone(),
        BookingConfig::default(),
        clock,
    )
    .await
    .unwrap()
    .with_notifier(notifier.clone());
    World {
        db,
        store,
        bookings,
        notifier,
        gateway,
        now,
        directory,
    }
}

#[tokio::test]
async fn a_down_gateway_never_blocks_a_booking_and_messages_are_retried_until_sent() {
    for engine in engines() {
        a_down_gateway_never_blocks_a_booking_and_messages_are_retried_until_sent_on(engine).await;
    }
}

async fn a_down_gateway_never_blocks_a_booking_and_messages_are_retried_until_sent_on(
    engine: Engine,
) {
    let w = world(engine, 2).await;
    // Tuesday 09:00
    let b = w
        .book("legal_consultation", "2030-03-05T09:00:00+08:00", "labour")
        .await
        .expect("booked while the gateway is down");
    let outbox = w.store.notifications_of_booking(b.id).await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].kind, NoticeKind::Confirmed);
    assert!(
        outbox[0].body.contains("3月5日 09:00"),
        "{}",
        outbox[0].body
    );

    assert_eq!(w.notifier.send_due().await, (0, 1));
    // not due again before the back-off
    assert_eq!(w.notifier.send_due().await, (0, 0));
    w.set(Utc.with_ymd_and_hms(2030, 3, 3, 23, 1, 0).unwrap());
    assert_eq!(w.notifier.send_due().await, (0, 1));
    w.set(Utc.with_ymd_and_hms(2030, 3, 3, 23, 4, 0).unwrap());
    assert_eq!(w.notifier.send_due().await, (1, 0));
    let outbox = w.store.notifications_of_booking(b.id).await.unwrap();
    assert!(outbox[0].sent_at.is_some());
    assert_eq!(outbox[0].attempts, 3);
    assert_eq!(w.gateway.sent.load(Ordering::SeqCst), 1);

    // changes and cancellations are told too
    let b = w
        .bookings
        .reschedule(
            &b.code,
            "13812345678",
            "2030-03-05T09:30:00+08:00",
            &Default::default(),
        )
        .await
        .unwrap();
    w.bookings
        .cancel(&b.code, "13812345678", &Default::default())
        .await
        .unwrap();
    let kinds: Vec<NoticeKind> = w
        .store
        .notifications_of_booking(b.id)
        .await
        .unwrap()
        .iter()
        .map(|n| n.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            NoticeKind::Confirmed,
            NoticeKind::Changed,
            NoticeKind::Cancelled
        ]
    );
}

#[tokio::test]
async fn the_reminder_goes_out_once_the_evening_before_and_never_names_psychology() {
    for engine in engines() {
        the_reminder_goes_out_once_the_evening_before_and_never_names_psychology_on(engine).await;
    }
}

async fn the_reminder_goes_out_once_the_evening_before_and_never_names_psychology_on(
    engine: Engine,
) {
    let w = world(engine, 0).await;
    let b = w
        .book("psychology", "2030-03-05T14:00:00+08:00", "emotion")
        .await
        .unwrap();
    w.notifier.send_due().await;
    let places = w.directory.all().await.unwrap();
    // Monday 07:00: the reminder is queued for 18:00, not sent yet
    assert_eq!(w.notifier.enqueue_reminders(&places).await, 1);
    assert_eq!(w.notifier.enqueue_reminders(&places).await, 1);
    assert_eq!(w.notifier.send_due().await, (0, 0));
    w.set(Utc.with_ymd_and_hms(2030, 3, 4, 10, 0, 0).unwrap() + Duration::minutes(1));
    assert_eq!(w.notifier.send_due().await, (1, 0));
    let outbox = w.store.notifications_of_booking(b.id).await.unwrap();
    let reminders: Vec<_> = outbox
        .iter()
        .filter(|n| n.kind == NoticeKind::Reminder)
        .collect();
    assert_eq!(reminders.len(), 1, "queued once");
    assert!(
        outbox.iter().all(|n| !n.body.contains("心理")),
        "{outbox:?}"
    );
    assert!(reminders[0].body.contains("明天"));
}

/// Two instances (two stores on one database, each with its own outbox task) sending at the
/// same moment: every message goes out exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_send_each_message_once() {
    for engine in engines() {
        let w = world(engine, 0).await;
        let other_store = w.db.open().await.store();
        let other = Notifier::new(other_store, w.gateway.clone(), clock(&w.now));
        // 120 bookings' worth of confirmations, all due now
        let due = Utc.timestamp_opt(w.now.load(Ordering::SeqCst), 0).unwrap();
        let first = w
            .book("legal_consultation", "2030-03-05T09:00:00+08:00", "labour")
            .await
            .unwrap();
        w.notifier.send_due().await;
        let before = w.gateway.sent.load(Ordering::SeqCst);
        for i in 0..120 {
            assert!(w
                .store
                .enqueue_notification(&backend::store::NewNotification {
                    booking_id: Some(first.id),
                    kind: NoticeKind::Confirmed,
                    phone: format!("1380000{i:04}"),
                    body: format!("message {i}"),
                    dedupe_key: None,
                    created_at: due,
                    send_at: due,
                })
                .await
                .unwrap());
        }
        let mut rounds = Vec::new();
        for _ in 0..3 {
            let (a, b) = (w.notifier.clone(), other.clone());
            rounds.push(tokio::spawn(async move { a.send_due().await }));
            rounds.push(tokio::spawn(async move { b.send_due().await }));
        }
        let mut sent = 0;
        for r in rounds {
            sent += r.await.unwrap().0;
        }
        assert_eq!(sent, 120, "{engine}: sends reported");
        assert_eq!(
            w.gateway.sent.load(Ordering::SeqCst) - before,
            120,
            "{engine}: every message once, none twice"
        );
        assert_eq!(
            w.notifier.send_due().await,
            (0, 0),
            "{engine}: nothing left"
        );
    }
}

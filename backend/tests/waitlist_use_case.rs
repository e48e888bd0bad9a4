//! The waiting list's use case: joining checks every field, a cancellation through the
//! booking use case texts the first in line a link to the held seat, confirming by link and
//! phone books it, a hold that ran out is refused and passes on, staff see a place's list,
//! and the texts never name psychology.

use async_trait::async_trait;
use backend::booking::{BookingConfig, BookingError, BookingRequest, Clock};
use backend::store::BookingRecord;
use backend::testing::{engines, one_office_store, Engine, TestDatabase};
use backend::verify::PhoneProof;
use backend::waitlist::{JoinWaitlist, OfferTexter, WaitlistError};
use backend::{Bookings, Directory, UseCaseError, Waitlist};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::staff::{Role, StaffAccount};
use domain::waitlist::{EntryState, JoinForm, WaitError};
use domain::{Lang, LocationId};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

const LINK: &str = "https://portal.example/waitlist/";

/// Keeps the texts it is given.
#[derive(Default)]
struct Texts(Mutex<Vec<(String, String)>>);

#[async_trait]
impl OfferTexter for Texts {
    async fn text(&self, phone: &str, body: String) {
        self.0.lock().unwrap().push((phone.to_string(), body));
    }
}

impl Texts {
    fn take(&self) -> Vec<(String, String)> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

struct World {
    _db: TestDatabase,
    bookings_store: Arc<dyn backend::Store>,
    bookings: Bookings,
    waitlist: Waitlist,
    texts: Arc<Texts>,
    now: Arc<AtomicI64>,
}

/// Sunday 3 March 2030, 09:00 in Shanghai.
fn sunday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 3, 3, 1, 0, 0).unwrap()
}

const MONDAY_9: &str = "2030-03-04T09:00:00+08:00";
const MONDAY_14: &str = "2030-03-04T14:00:00+08:00";

impl World {
    /// `form` joins the list of `service` at place `place`.
    async fn join(
        &self,
        place: i64,
        service: &str,
        form: JoinWaitlist,
    ) -> Result<backend::store::WaitlistRecord, WaitlistError> {
        self.waitlist.join(LocationId(place), service, &form).await
    }

    fn set(&self, t: DateTime<Utc>) {
        self.now.store(t.timestamp(), Ordering::SeqCst);
    }

    async fn book(
        &self,
        service: &str,
        start: &str,
        phone: &str,
    ) -> Result<BookingRecord, BookingError> {
        self.bookings
            .book(&BookingRequest {
                location_id: 1,
                service: service.into(),
                start: start.into(),
                name: "王芳".into(),
                phone: phone.into(),
                topic: if service == "psychology" {
                    "emotion".into()
                } else {
                    "labour".into()
                },
                consent: true,
                ..Default::default()
            })
            .await
    }
}

fn join_form(phone: &str, part: &str, service_topic: &str) -> JoinWaitlist {
    JoinWaitlist {
        form: JoinForm {
            phone: phone.into(),
            from: "2030-03-04".into(),
            to: "2030-03-05".into(),
            part_of_day: part.into(),
            youth: false,
        },
        name: "李明".into(),
        topic: service_topic.into(),
        account: None,
        consent: true,
        proof: Default::default(),
    }
}

async fn world(engine: Engine) -> World {
    let (db, store, directory) = one_office_store(engine).await;
    let now = Arc::new(AtomicI64::new(sunday().timestamp()));
    let clock: Clock = {
        let now = now.clone();
        Arc::new(move || Utc.timestamp_opt(now.load(Ordering::SeqCst), 0).unwrap())
    };
    let texts = Arc::new(Texts::default());
    let waitlist = Waitlist::new(
        store.clone(),
        directory.clone(),
        BookingConfig::default(),
        Duration::minutes(30),
        clock.clone(),
    )
    .with_texts(texts.clone(), LINK);
    let bookings = Bookings::new(store.clone(), directory, BookingConfig::default(), clock)
        .await
        .unwrap()
        .with_waitlist(waitlist.clone());
    World {
        _db: db,
        bookings_store: store,
        bookings,
        waitlist,
        texts,
        now,
    }
}

fn admin() -> StaffAccount {
    StaffAccount {
        id: 1,
        username: "admin".into(),
        display_name: "管理员".into(),
        role: Role::DistrictAdmin,
        place: None,
    }
}

#[tokio::test]
async fn joining_checks_every_field() {
    let w = world(Engine::Sqlite).await;
    let empty = w
        .waitlist
        .join(
            LocationId(1),
            "legal_consultation",
            &JoinWaitlist::default(),
        )
        .await
        .unwrap_err();
    let WaitlistError::Invalid(errors) = &empty else {
        panic!("{empty:?}")
    };
    let fields: Vec<&str> = errors.iter().map(|f| f.field).collect();
    for f in [
        "phone",
        "from",
        "to",
        "part_of_day",
        "name",
        "topic",
        "consent",
    ] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    assert_eq!(
        fields.iter().filter(|f| **f == "phone").count(),
        1,
        "the phone is reported once"
    );
    assert_eq!(empty.kind(), backend::ErrorKind::Invalid);
    assert_eq!(empty.field_messages(Lang::En).len(), errors.len());

    // mediation has no slots to wait for; an unknown place is not found
    let mediation = w
        .join(1, "mediation", join_form("13800000001", "any", "labour"))
        .await
        .unwrap_err();
    assert!(matches!(mediation, WaitlistError::Invalid(ref e) if e[0].field == "service"));
    assert!(matches!(
        w.join(
            99,
            "legal_consultation",
            join_form("13800000001", "any", "labour")
        )
        .await,
        Err(WaitlistError::NotFound)
    ));

    // joined once; the second time refused as a conflict, in both languages
    let joined = w
        .join(
            1,
            "legal_consultation",
            join_form("13800000001", "morning", "labour"),
        )
        .await
        .unwrap();
    assert_eq!(joined.entry.state, EntryState::Waiting);
    assert_eq!(
        joined.entry.to,
        NaiveDate::from_ymd_opt(2030, 3, 5).unwrap()
    );
    let again = w
        .join(
            1,
            "legal_consultation",
            join_form("13800000001", "any", "labour"),
        )
        .await
        .unwrap_err();
    assert!(matches!(
        again,
        WaitlistError::Refused(WaitError::AlreadyWaiting)
    ));
    assert_eq!(again.kind(), backend::ErrorKind::Conflict);
    assert!(again.message(Lang::En).contains("already on this list"));

    // "my bookings" lists it; leaving needs the phone it was joined with
    let mine = w.waitlist.mine("13800000001").await.unwrap();
    assert_eq!(mine.len(), 1);
    assert!(matches!(
        w.waitlist.leave(mine[0].entry.id.0, "13900000009").await,
        Err(WaitlistError::NotFound)
    ));
    let left = w
        .waitlist
        .leave(mine[0].entry.id.0, "13800000001")
        .await
        .unwrap();
    assert_eq!(left.entry.state, EntryState::Left);
}

#[tokio::test]
async fn a_cancellation_texts_the_first_in_line_who_confirms_by_link() {
    for engine in engines() {
        let w = world(engine).await;
        let first = w
            .book("legal_consultation", MONDAY_9, "13900000001")
            .await
            .unwrap();
        let second = w
            .book("legal_consultation", MONDAY_9, "13900000002")
            .await
            .unwrap();
        assert!(matches!(
            w.book("legal_consultation", MONDAY_9, "13900000003").await,
            Err(BookingError::Full { .. })
        ));
        let waiting = w
            .join(
                1,
                "legal_consultation",
                join_form("13800000001", "morning", "labour"),
            )
            .await
            .unwrap();
        let next = w
            .join(
                1,
                "legal_consultation",
                join_form("13800000002", "any", "labour"),
            )
            .await
            .unwrap();
        assert!(w.texts.take().is_empty(), "{engine}: nothing offered yet");

        // the second resident cancels: the seat is held for the first in line and texted
        w.bookings
            .cancel(&second.code, "13900000002", &PhoneProof::default())
            .await
            .unwrap();
        let texts = w.texts.take();
        assert_eq!(texts.len(), 1, "{engine}");
        let (phone, body) = &texts[0];
        assert_eq!(phone, "13800000001");
        assert!(
            body.contains(&format!("{LINK}{}", waiting.link_code)),
            "{body}"
        );
        assert!(
            body.contains("3月4日 09:00") && body.contains("09:30"),
            "{body}"
        );
        assert!(!body.contains("心理"), "{body}");
        // the held seat is not bookable
        assert!(matches!(
            w.book("legal_consultation", MONDAY_9, "13900000003").await,
            Err(BookingError::Full { .. })
        ));

        // the link with another phone finds nothing; with the right one, a booking
        assert!(matches!(
            w.waitlist.confirm(&waiting.link_code, "13900000009").await,
            Err(WaitlistError::NotFound)
        ));
        w.set(sunday() + Duration::minutes(10));
        let booked = w
            .waitlist
            .confirm(&waiting.link_code, "13800000001")
            .await
            .unwrap();
        assert_eq!(booked.phone, "13800000001", "{engine}");
        assert_eq!(booked.name, "李明");
        assert_eq!(
            booked.start,
            DateTime::parse_from_rfc3339(MONDAY_9).unwrap()
        );
        let found = w.bookings.find(&booked.code, "13800000001").await.unwrap();
        assert_eq!(found.id, booked.id);
        let mine = w.waitlist.mine("13800000001").await.unwrap();
        assert_eq!(mine[0].entry.state, EntryState::Booked);
        assert_eq!(mine[0].booking_id, Some(booked.id));

        // the first booking is moved away: the seat goes to the next in line, who lets
        // the hold run out; confirming late is refused and the seat is freed
        w.set(sunday() + Duration::minutes(20));
        let moved = w
            .bookings
            .reschedule(
                &first.code,
                "13900000001",
                "2030-03-04T09:30:00+08:00",
                &PhoneProof::default(),
            )
            .await
            .unwrap();
        assert_eq!(moved.code, first.code);
        let texts = w.texts.take();
        assert_eq!(texts.len(), 1, "{engine}");
        assert_eq!(texts[0].0, "13800000002");
        assert!(texts[0].1.contains(&next.link_code));
        w.set(sunday() + Duration::minutes(50));
        let late = w
            .waitlist
            .confirm(&next.link_code, "13800000002")
            .await
            .unwrap_err();
        assert!(
            matches!(late, WaitlistError::Refused(WaitError::HoldOver)),
            "{engine}: {late:?}"
        );
        assert!(late.message(Lang::En).contains("next person"));
        let mine = w.waitlist.mine("13800000002").await.unwrap();
        assert_eq!(mine[0].entry.state, EntryState::Expired, "{engine}");
        w.book("legal_consultation", MONDAY_9, "13900000003")
            .await
            .expect("the seat nobody confirmed is free again");

        // staff see the list and how many offers became bookings
        let list = w.waitlist.at_place(&admin(), LocationId(1)).await.unwrap();
        assert_eq!(list.entries.len(), 2, "{engine}");
        assert_eq!((list.offered, list.booked), (2, 1), "{engine}");
        let elsewhere = StaffAccount {
            role: Role::WorkroomClerk,
            place: Some(LocationId(2)),
            ..admin()
        };
        assert!(matches!(
            w.waitlist.at_place(&elsewhere, LocationId(1)).await,
            Err(WaitlistError::Forbidden)
        ));
        let tally = w
            .bookings_store
            .waitlist_tally(sunday() - Duration::days(1), sunday() + Duration::days(1))
            .await
            .unwrap();
        let march = domain::stats::Month {
            year: 2030,
            month: 3,
        };
        let t = tally[&(march, LocationId(1), domain::ServiceCode::LegalConsultation)];
        assert_eq!((t.joined, t.offered, t.taken, t.expired), (2, 2, 1, 1));
    }
}

#[tokio::test]
async fn the_sweep_passes_an_unanswered_psychology_seat_on_without_naming_it() {
    let w = world(Engine::Sqlite).await;
    let taken = w
        .book("psychology", MONDAY_14, "13900000001")
        .await
        .unwrap();
    for phone in ["13800000001", "13800000002"] {
        w.join(1, "psychology", join_form(phone, "afternoon", "emotion"))
            .await
            .unwrap();
    }
    w.bookings
        .cancel(&taken.code, "13900000001", &PhoneProof::default())
        .await
        .unwrap();
    let first = w.texts.take();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].0, "13800000001");
    assert!(!first[0].1.contains("心理"), "{}", first[0].1);
    assert!(first[0].1.contains("公共法律服务预约"), "{}", first[0].1);

    // staff see the list; what it is about only a counsellor sees
    let list = w.waitlist.at_place(&admin(), LocationId(1)).await.unwrap();
    assert!(list.entries.iter().all(|r| r.topic.is_empty()));
    let counsellor = StaffAccount {
        role: Role::Counsellor,
        place: Some(LocationId(1)),
        ..admin()
    };
    let list = w
        .waitlist
        .at_place(&counsellor, LocationId(1))
        .await
        .unwrap();
    assert!(list.entries.iter().all(|r| r.topic == "emotion"));

    // nothing is over yet; half an hour later the sweep passes the seat on
    assert_eq!(w.waitlist.expire_holds().await.unwrap(), 0);
    w.set(sunday() + Duration::minutes(30));
    assert_eq!(w.waitlist.expire_holds().await.unwrap(), 1);
    let second = w.texts.take();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].0, "13800000002");
    assert!(!second[0].1.contains("心理"));
    // declining frees the seat: nobody else waits
    let link = w.waitlist.mine("13800000002").await.unwrap()[0]
        .link_code
        .clone();
    let declined = w.waitlist.decline(&link, "13800000002").await.unwrap();
    assert_eq!(declined.entry.state, EntryState::Declined);
    w.book("psychology", MONDAY_14, "13900000003")
        .await
        .expect("free again");
}

#[tokio::test]
async fn closing_the_day_of_a_held_seat_sends_the_entry_back_in_line() {
    for engine in engines() {
        let w = world(engine).await;
        let store = w.bookings_store.clone();
        let a = w
            .book("legal_consultation", MONDAY_9, "13900000001")
            .await
            .unwrap();
        w.book("legal_consultation", MONDAY_9, "13900000002")
            .await
            .unwrap();
        w.join(
            1,
            "legal_consultation",
            join_form("13800000001", "morning", "labour"),
        )
        .await
        .unwrap();
        w.bookings
            .cancel(&a.code, "13900000001", &PhoneProof::default())
            .await
            .unwrap();
        assert_eq!(w.texts.take().len(), 1);
        let directory = Directory::new(store.clone());
        let clock: Clock = Arc::new(sunday);
        let staff = backend::staff::Staff::new(store.clone(), directory.clone(), clock.clone());
        let schedules = backend::schedules::Schedules::new(
            store.clone(),
            directory,
            w.bookings.clone(),
            staff,
            None,
            clock,
        );
        let monday = NaiveDate::from_ymd_opt(2030, 3, 4).unwrap();
        schedules
            .close_day(
                &admin(),
                LocationId(1),
                domain::ServiceCode::LegalConsultation,
                monday,
                "培训",
                true,
            )
            .await
            .unwrap();
        let mine = w.waitlist.mine("13800000001").await.unwrap();
        assert_eq!(
            mine[0].entry.state,
            EntryState::Waiting,
            "{engine}: back in line"
        );
        let start = DateTime::parse_from_rfc3339(MONDAY_9)
            .unwrap()
            .with_timezone(&Utc);
        let seats = store
            .seats_taken(
                LocationId(1),
                domain::ServiceCode::LegalConsultation,
                start,
                start + Duration::seconds(1),
            )
            .await
            .unwrap();
        assert_eq!(
            seats.get(&start).copied().unwrap_or(0),
            0,
            "{engine}: nothing held"
        );
    }
}

/// Keeps what it sends.
#[derive(Default)]
struct Gateway(Mutex<Vec<(String, String)>>);

#[async_trait]
impl backend::notify::Sender for Gateway {
    async fn send(&self, phone: &str, body: &str) -> Result<(), String> {
        self.0
            .lock()
            .unwrap()
            .push((phone.to_string(), body.to_string()));
        Ok(())
    }
    fn name(&self) -> &'static str {
        "test"
    }
}

#[tokio::test]
async fn offers_go_out_through_the_notification_outbox() {
    for engine in engines() {
        let (_db, store, directory) = one_office_store(engine).await;
        let clock: Clock = Arc::new(sunday);
        let gateway = Arc::new(Gateway::default());
        let notifier =
            backend::notify::Notifier::new(store.clone(), gateway.clone(), clock.clone());
        let waitlist = Waitlist::new(
            store.clone(),
            directory.clone(),
            BookingConfig::default(),
            Duration::minutes(30),
            clock.clone(),
        )
        .with_texts(Arc::new(notifier.clone()), LINK);
        let bookings = Bookings::new(store, directory, BookingConfig::default(), clock)
            .await
            .unwrap()
            .with_waitlist(waitlist.clone());
        let booked = bookings
            .book(&BookingRequest {
                location_id: 1,
                service: "psychology".into(),
                start: MONDAY_14.into(),
                name: "王芳".into(),
                phone: "13900000001".into(),
                topic: "emotion".into(),
                consent: true,
                ..Default::default()
            })
            .await
            .unwrap();
        let entry = waitlist
            .join(
                LocationId(1),
                "psychology",
                &join_form("13800000001", "any", "other"),
            )
            .await
            .unwrap();
        bookings
            .cancel(&booked.code, "13900000001", &PhoneProof::default())
            .await
            .unwrap();
        let (sent, failed) = notifier.send_due().await;
        assert_eq!((sent, failed), (1, 0), "{engine}");
        let out = gateway.0.lock().unwrap().clone();
        assert_eq!(out[0].0, "13800000001", "{engine}");
        assert!(out[0].1.contains(&entry.link_code), "{}", out[0].1);
        assert!(!out[0].1.contains("心理"), "{}", out[0].1);
    }
}

//! The waiting list's store on both engines: joining (a duplicate refused), a freed seat held
//! for the first matching entry in the transaction that frees it (still counted as taken, so
//! nobody else can book it), confirming it into a booking without a second seat, a declined,
//! expired or left offer passing to the next in line (or freeing the seat), and the race:
//! 200 concurrent cancellations, bookings, confirmations and declines end with every seat
//! booked or held exactly once.

use backend::store::{
    FairnessCheck, HoldRules, NewBookingRecord, NewWaitlistEntry, Refusal, Store, WaitRefusal,
    WaitlistRecord,
};
use backend::testing::{consultation, engines, fresh_store, Engine, TestDatabase};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::booking::{check_fairness, FairnessLimits};
use domain::district_file::parse_district;
use domain::slots::to_local;
use domain::waitlist::{EntryState, PartOfDay, Step, WaitError};
use domain::{BookingState, LocationId, ServiceCode, Slot};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::sync::Arc;

const PLACE: LocationId = LocationId(1);
const SERVICE: ServiceCode = ServiceCode::LegalConsultation;
/// Seats per consultation slot in [`backend::testing::ONE_OFFICE_DISTRICT`].
const CAPACITY: u16 = 2;

async fn store(engine: Engine) -> (TestDatabase, Arc<dyn Store>) {
    let (db, store) = fresh_store(engine).await;
    store
        .load_district_if_empty(&parse_district(backend::testing::ONE_OFFICE_DISTRICT).unwrap())
        .await
        .unwrap();
    (db, store)
}

/// Sunday 3 March 2030, 09:00 in Shanghai: the day before the slots.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 3, 3, 1, 0, 0).unwrap()
}

/// The month of `now()` (and of a day either side of it), as the statistics key it.
fn this_month() -> domain::stats::Month {
    domain::stats::Month::of(domain::slots::local_date(&now()))
}

/// The consultation slot `i` (0..3: 09:00, 09:30, 10:00) on day `d` (0..5: Monday 4 March
/// 2030 to Friday).
fn slot(d: i64, i: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 3, 4, 1, 0, 0).unwrap()
        + Duration::days(d)
        + Duration::minutes(30 * i)
}

fn day(d: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2030, 3, 4).unwrap() + Duration::days(d)
}

fn rules() -> HoldRules {
    HoldRules::default()
}

fn fair(start: DateTime<Utc>) -> FairnessCheck {
    let limits = FairnessLimits::default();
    let new = (to_local(&start), to_local(&(start + Duration::minutes(30))));
    Arc::new(move |existing: &[_]| check_fairness(existing, new, &limits))
}

fn waiting(
    phone: &str,
    from: NaiveDate,
    to: NaiveDate,
    part: PartOfDay,
    n: u32,
) -> NewWaitlistEntry {
    NewWaitlistEntry {
        location_id: PLACE,
        service: SERVICE,
        name: "候补".into(),
        phone: phone.into(),
        topic: "labour".into(),
        account: None,
        youth: false,
        from,
        to,
        part,
        link_code: format!("LINK{phone}{n}"),
        // join order is the order of the calls
        created_at: now() - Duration::minutes(60) + Duration::seconds(i64::from(n)),
    }
}

async fn join(store: &Arc<dyn Store>, e: NewWaitlistEntry) -> WaitlistRecord {
    store.join_waitlist(&e).await.unwrap().unwrap()
}

async fn book(store: &Arc<dyn Store>, code: &str, phone: &str, start: DateTime<Utc>) -> String {
    let rec = consultation(code, phone, start, now());
    store
        .create_booking(&rec, CAPACITY, fair(start))
        .await
        .unwrap()
        .unwrap()
        .code
}

async fn taken(store: &Arc<dyn Store>, start: DateTime<Utc>) -> u32 {
    store
        .seats_taken(PLACE, SERVICE, start, start + Duration::seconds(1))
        .await
        .unwrap()
        .get(&start)
        .copied()
        .unwrap_or(0)
}

async fn entry(store: &Arc<dyn Store>, link: &str) -> WaitlistRecord {
    store.waitlist_by_link(link).await.unwrap().unwrap()
}

/// The booking confirming `record`'s held seat would make.
fn confirmation(record: &WaitlistRecord, code: &str, at: DateTime<Utc>) -> NewBookingRecord {
    let offer = record.entry.state.offer().expect("an offer");
    NewBookingRecord {
        code: code.into(),
        location_id: record.entry.place,
        service: record.entry.service,
        start: offer.slot.start.with_timezone(&Utc),
        end: offer.slot.end.with_timezone(&Utc),
        name: record.name.clone(),
        phone: record.entry.phone.as_str().into(),
        topic: record.topic.clone(),
        account: record.account.clone(),
        youth: record.entry.youth,
        created_at: at,
    }
}

#[tokio::test]
async fn joining_refuses_a_second_open_entry_of_the_same_phone() {
    for engine in engines() {
        let (_db, store) = store(engine).await;
        let first = join(
            &store,
            waiting("13800000001", day(0), day(2), PartOfDay::Morning, 1),
        )
        .await;
        assert_eq!(first.entry.state, EntryState::Waiting, "{engine}");
        assert_eq!(first.entry.from, day(0));
        assert_eq!(first.entry.part, PartOfDay::Morning);

        // overlapping dates, even for another part of day: refused
        let again = store
            .join_waitlist(&waiting(
                "13800000001",
                day(2),
                day(4),
                PartOfDay::Afternoon,
                2,
            ))
            .await
            .unwrap();
        assert_eq!(
            again.unwrap_err(),
            WaitRefusal::Step(WaitError::AlreadyWaiting),
            "{engine}"
        );
        // other dates, or another phone: fine
        join(
            &store,
            waiting("13800000001", day(3), day(4), PartOfDay::Any, 3),
        )
        .await;
        join(
            &store,
            waiting("13800000002", day(0), day(2), PartOfDay::Morning, 4),
        )
        .await;
        let mine = store.waitlist_of_phone("13800000001").await.unwrap();
        assert_eq!(mine.len(), 2, "{engine}");
        assert_eq!(mine[0].entry.from, day(3), "{engine}: newest first");
        assert_eq!(store.waitlist_at(PLACE).await.unwrap().len(), 3);

        // once left, the dates may be waited for again
        store
            .step_waitlist_entry(first.entry.id, Step::Leave, now(), &rules())
            .await
            .unwrap()
            .unwrap();
        join(
            &store,
            waiting("13800000001", day(0), day(2), PartOfDay::Any, 5),
        )
        .await;
    }
}

#[tokio::test]
async fn a_cancelled_seat_is_held_for_the_first_match_and_confirmed_into_a_booking() {
    for engine in engines() {
        let (_db, store) = store(engine).await;
        let s = slot(0, 0);
        let a = book(&store, "FULL000001", "13900000001", s).await;
        book(&store, "FULL000002", "13900000002", s).await;
        // the afternoon one does not want a 09:00 seat; of the other two the earlier wins
        join(
            &store,
            waiting("13800000001", day(0), day(0), PartOfDay::Afternoon, 1),
        )
        .await;
        join(
            &store,
            waiting("13800000002", day(0), day(1), PartOfDay::Morning, 2),
        )
        .await;
        join(
            &store,
            waiting("13800000003", day(0), day(0), PartOfDay::Any, 3),
        )
        .await;

        let freed = store
            .cancel_booking(&a, now(), Some(&rules()))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(freed.record.code, a);
        assert_eq!(freed.offers.len(), 1, "{engine}: one seat, one offer");
        let offer = &freed.offers[0];
        assert_eq!(
            offer.phone, "13800000002",
            "{engine}: the first that matches"
        );
        assert_eq!(offer.offer.slot.start.with_timezone(&Utc), s);
        assert_eq!(offer.offer.until, now() + Duration::minutes(30));
        assert_eq!(
            taken(&store, s).await,
            2,
            "{engine}: the held seat counts as taken"
        );

        // nobody else can book it
        let other = consultation("OTHER00001", "13700000001", s, now());
        assert_eq!(
            store
                .create_booking(&other, CAPACITY, fair(s))
                .await
                .unwrap(),
            Err(Refusal::Full),
            "{engine}"
        );

        // the holder confirms: a booking, and still two seats taken (no second seat)
        let held = entry(&store, &offer.link_code).await;
        assert!(matches!(held.entry.state, EntryState::Offered(_)));
        let done = store
            .confirm_offer(
                held.entry.id,
                &confirmation(&held, "WAIT000001", now() + Duration::minutes(5)),
                fair(s),
            )
            .await
            .unwrap()
            .unwrap();
        let (record, booking) = done.record;
        assert_eq!(record.entry.state, EntryState::Booked, "{engine}");
        assert_eq!(record.booking_id, Some(booking.id));
        assert_eq!(booking.state, BookingState::Booked);
        assert_eq!((booking.start, booking.phone.as_str()), (s, "13800000002"));
        assert_eq!(taken(&store, s).await, 2, "{engine}");

        // a second confirmation is refused: the entry has ended
        let again = store
            .confirm_offer(
                held.entry.id,
                &confirmation(&held, "WAIT000002", now() + Duration::minutes(6)),
                fair(s),
            )
            .await
            .unwrap();
        assert!(
            matches!(again, Err(WaitRefusal::Step(WaitError::Closed(_)))),
            "{engine}: {again:?}"
        );

        // the booking made from the offer cancels like any other, and its seat goes on
        let freed = store
            .cancel_booking(&booking.code, now(), Some(&rules()))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(freed.offers.len(), 1);
        assert_eq!(freed.offers[0].phone, "13800000003", "{engine}");
        assert_eq!(taken(&store, s).await, 2);

        // without a waiting list to offer to (a schedule change) the seat is freed
        let b = store.waitlist_at(PLACE).await.unwrap();
        assert_eq!(b.len(), 3);
        let gone = store
            .cancel_booking("FULL000002", now(), None)
            .await
            .unwrap()
            .unwrap();
        assert!(gone.offers.is_empty());
        assert_eq!(taken(&store, s).await, 1, "{engine}");
    }
}

#[tokio::test]
async fn declined_expired_and_left_offers_pass_to_the_next_or_free_the_seat() {
    for engine in engines() {
        let (_db, store) = store(engine).await;
        let s = slot(1, 1);
        let a = book(&store, "FULL000001", "13900000001", s).await;
        book(&store, "FULL000002", "13900000002", s).await;
        for (n, phone) in ["13800000001", "13800000002", "13800000003"]
            .iter()
            .enumerate()
        {
            join(
                &store,
                waiting(phone, day(0), day(4), PartOfDay::Any, n as u32),
            )
            .await;
        }
        // a reschedule away frees the old seat like a cancellation
        let moved = store
            .reschedule_booking(
                &a,
                slot(2, 0),
                slot(2, 0) + Duration::minutes(30),
                CAPACITY,
                fair(slot(2, 0)),
                now(),
                Some(&rules()),
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(moved.record.start, slot(2, 0));
        assert_eq!(moved.offers.len(), 1);
        assert_eq!(moved.offers[0].phone, "13800000001", "{engine}");
        assert_eq!(taken(&store, s).await, 2, "{engine}");

        // declined: to the second in line
        let first = entry(&store, &moved.offers[0].link_code).await;
        let declined = store
            .step_waitlist_entry(first.entry.id, Step::Decline, now(), &rules())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            declined.record.entry.state,
            EntryState::Declined,
            "{engine}"
        );
        assert_eq!(declined.offers.len(), 1);
        assert_eq!(declined.offers[0].phone, "13800000002", "{engine}");
        assert_eq!(taken(&store, s).await, 2);

        // not over yet: the sweep leaves it; once over, to the third in line
        assert!(store
            .expire_holds(now(), &rules())
            .await
            .unwrap()
            .is_empty());
        let later = now() + Duration::minutes(30);
        let passed = store.expire_holds(later, &rules()).await.unwrap();
        assert_eq!(passed.len(), 1, "{engine}");
        assert_eq!(passed[0].phone, "13800000003");
        assert_eq!(passed[0].offer.until, later + Duration::minutes(30));
        let second = entry(&store, &declined.offers[0].link_code).await;
        assert_eq!(second.entry.state, EntryState::Expired, "{engine}");
        assert_eq!(taken(&store, s).await, 2);

        // a confirmation after the hold is refused
        let third = entry(&store, &passed[0].link_code).await;
        let late = store
            .confirm_offer(
                third.entry.id,
                &confirmation(&third, "LATE000001", later + Duration::minutes(30)),
                fair(s),
            )
            .await
            .unwrap();
        assert_eq!(
            late.unwrap_err(),
            WaitRefusal::Step(WaitError::HoldOver),
            "{engine}"
        );

        // the last one leaves while holding it: nobody is left, so the seat is free again
        let left = store
            .step_waitlist_entry(third.entry.id, Step::Leave, later, &rules())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(left.record.entry.state, EntryState::Left);
        assert!(left.offers.is_empty());
        assert_eq!(taken(&store, s).await, 1, "{engine}: the seat is free");

        // the statistics count what happened
        let tally = store
            .waitlist_tally(now() - Duration::days(1), now() + Duration::days(1))
            .await
            .unwrap();
        let t = tally[&(this_month(), PLACE, SERVICE)];
        assert_eq!(
            (t.joined, t.offered, t.taken, t.expired),
            (3, 3, 0, 1),
            "{engine}"
        );
    }
}

#[tokio::test]
async fn a_seat_too_close_to_its_start_is_not_held() {
    for engine in engines() {
        let (_db, store) = store(engine).await;
        let s = slot(0, 0);
        let a = book(&store, "FULL000001", "13900000001", s).await;
        join(
            &store,
            waiting("13800000001", day(0), day(0), PartOfDay::Any, 1),
        )
        .await;
        // an hour before the start: inside the two hours' notice, so nobody can confirm it
        let freed = store
            .cancel_booking(&a, s - Duration::hours(1), Some(&rules()))
            .await
            .unwrap()
            .unwrap();
        assert!(freed.offers.is_empty(), "{engine}");
        assert_eq!(taken(&store, s).await, 0);
        // three hours before: held, but only until two hours before the start
        let b = book(&store, "FULL000002", "13900000002", s).await;
        let freed = store
            .cancel_booking(&b, s - Duration::minutes(140), Some(&rules()))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(freed.offers.len(), 1, "{engine}");
        assert_eq!(freed.offers[0].offer.until, s - Duration::hours(2));
        assert_eq!(taken(&store, s).await, 1);
    }
}

// ---- the race ----------------------------------------------------------------------------

const DAYS: i64 = 5;
const SLOTS: i64 = 3;

fn all_slots() -> Vec<DateTime<Utc>> {
    (0..DAYS)
        .flat_map(|d| (0..SLOTS).map(move |i| slot(d, i)))
        .collect()
}

/// Every slot: seats taken = active bookings + held seats, never above capacity; every
/// entry consistent (a booked one has its booking, active, in its slot, by its phone; an
/// offered one holds a seat it wants); and no waiting entry wants a seat that is free.
async fn check_consistent(
    engine: Engine,
    store: &Arc<dyn Store>,
    codes: &[String],
    at: DateTime<Utc>,
) {
    let starts = all_slots();
    let seats = store
        .seats_taken(
            PLACE,
            SERVICE,
            starts[0],
            starts[starts.len() - 1] + Duration::seconds(1),
        )
        .await
        .unwrap();
    let mut used: HashMap<DateTime<Utc>, u32> = HashMap::new();
    let mut bookings = HashMap::new();
    for code in codes {
        let b = store.booking_by_code(code).await.unwrap().unwrap();
        if b.state.is_active() {
            *used.entry(b.start).or_default() += 1;
        }
        bookings.insert(b.id, b);
    }
    let entries = store.waitlist_at(PLACE).await.unwrap();
    for r in &entries {
        match &r.entry.state {
            EntryState::Offered(o) => {
                let start = o.slot.start.with_timezone(&Utc);
                *used.entry(start).or_default() += 1;
                let seat = Slot {
                    youth_only: false,
                    ..o.slot.clone()
                };
                assert!(
                    r.entry.wants(PLACE, SERVICE, &seat),
                    "{engine}: a hold it wants"
                );
                assert!(r.booking_id.is_none());
            }
            EntryState::Booked => {
                let id = r.booking_id.expect("a booked entry has its booking");
                let b = bookings.get(&id).expect("a booking the test knows");
                assert_eq!(b.phone, r.entry.phone.as_str(), "{engine}");
                assert!(b.state.is_active(), "{engine}: nobody cancels these");
            }
            _ => assert!(r.booking_id.is_none(), "{engine}"),
        }
    }
    for s in &starts {
        let t = seats.get(s).copied().unwrap_or(0);
        let u = used.get(s).copied().unwrap_or(0);
        assert_eq!(
            t, u,
            "{engine}: slot {s}: counter {t}, bookings and holds {u}"
        );
        assert!(
            t <= u32::from(CAPACITY),
            "{engine}: slot {s} overbooked: {t}"
        );
        if t < u32::from(CAPACITY) {
            let seat = Slot {
                start: to_local(s),
                end: to_local(&(*s + Duration::minutes(30))),
                capacity: CAPACITY,
                youth_only: false,
            };
            let wanting = entries.iter().find(|r| {
                r.entry.state == EntryState::Waiting && r.entry.wants(PLACE, SERVICE, &seat)
            });
            assert!(
                wanting.is_none() || !HoldRules::default().window.contains(at, s),
                "{engine}: slot {s} has a free seat while {:?} waits for it",
                wanting.map(|r| r.entry.id)
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_changes_keep_every_seat_booked_or_held_once() {
    for engine in engines() {
        for seed in 0..2u64 {
            race_on(engine, seed).await;
        }
    }
}

async fn race_on(engine: Engine, seed: u64) {
    let (_db, store) = store(engine).await;
    let mut rng = StdRng::seed_from_u64(seed);
    let starts = all_slots();
    // every seat of the week booked
    let mut codes = Vec::new();
    for (i, s) in starts.iter().enumerate() {
        for k in 0..CAPACITY {
            let code = format!("F{seed}S{i}K{k}");
            codes.push(book(&store, &code, &format!("139{:04}{:04}", i, k), *s).await);
        }
    }
    // forty residents waiting, for some days, mornings or any time (the afternoon ones can
    // never match a morning consultation)
    for n in 0..40u32 {
        let from = rng.gen_range(0..DAYS);
        let to = rng.gen_range(from..DAYS);
        let part = [PartOfDay::Morning, PartOfDay::Any, PartOfDay::Afternoon][rng.gen_range(0..3)];
        join(
            &store,
            waiting(&format!("1380000{n:04}"), day(from), day(to), part, n),
        )
        .await;
    }
    let links: Vec<String> = store
        .waitlist_at(PLACE)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.link_code)
        .collect();

    let first_codes = Arc::new(codes.clone());
    let links = Arc::new(links);
    let mut tasks = Vec::new();
    for op in 0..200u32 {
        let store = store.clone();
        let (first_codes, links) = (first_codes.clone(), links.clone());
        let pick: u32 = rng.gen_range(0..10);
        let a = rng.gen_range(0..first_codes.len());
        let l = rng.gen_range(0..links.len());
        let s = starts[rng.gen_range(0..starts.len())];
        tasks.push(tokio::spawn(async move {
            let at = now();
            match pick {
                // cancellations (some of the same booking twice)
                0..=3 => {
                    let r = store
                        .cancel_booking(&first_codes[a], at, Some(&rules()))
                        .await;
                    match r.unwrap() {
                        Ok(_) | Err(Refusal::NotActive(_)) => None,
                        Err(other) => panic!("cancel: {other:?}"),
                    }
                }
                // new bookings by residents not on the list
                4..=6 => {
                    let rec = consultation(format!("N{op}"), format!("1370000{op:04}"), s, at);
                    match store.create_booking(&rec, CAPACITY, fair(s)).await.unwrap() {
                        Ok(b) => Some(b.code),
                        Err(Refusal::Full) => None,
                        Err(other) => panic!("book: {other:?}"),
                    }
                }
                // a waiting resident answers an offer
                _ => {
                    // as soon as the text arrives: looks a few times while the others run
                    let mut r = store.waitlist_by_link(&links[l]).await.unwrap().unwrap();
                    for _ in 0..50 {
                        if r.entry.state.offer().is_some() || !r.entry.state.is_open() {
                            break;
                        }
                        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                        r = store.waitlist_by_link(&links[l]).await.unwrap().unwrap();
                    }
                    r.entry.state.offer()?;
                    if pick == 9 {
                        store
                            .step_waitlist_entry(r.entry.id, Step::Decline, at, &rules())
                            .await
                            .unwrap()
                            .ok();
                        return None;
                    }
                    let start = r
                        .entry
                        .state
                        .offer()
                        .unwrap()
                        .slot
                        .start
                        .with_timezone(&Utc);
                    let b = confirmation(&r, &format!("W{op}"), at);
                    match store
                        .confirm_offer(r.entry.id, &b, fair(start))
                        .await
                        .unwrap()
                    {
                        Ok(done) => Some(done.record.1.code),
                        // declined or confirmed meanwhile by another task
                        Err(WaitRefusal::Step(_)) => None,
                        Err(other) => panic!("confirm: {other:?}"),
                    }
                }
            }
        }));
    }
    for t in tasks {
        if let Some(code) = t.await.unwrap() {
            codes.push(code);
        }
    }
    check_consistent(engine, &store, &codes, now()).await;
    let entries = store.waitlist_at(PLACE).await.unwrap();
    let offered = entries
        .iter()
        .filter(|r| r.entry.state.offer().is_some())
        .count();
    let booked = entries
        .iter()
        .filter(|r| r.entry.state == EntryState::Booked)
        .count();
    assert!(
        offered + booked > 0,
        "{engine} seed {seed}: the list was used"
    );

    // every hold runs out: the seats pass on to those still waiting, or are freed
    let later = now() + Duration::minutes(31);
    store.expire_holds(later, &rules()).await.unwrap();
    check_consistent(engine, &store, &codes, later).await;
}

#[tokio::test]
async fn ended_entries_are_anonymised_by_the_retention_job_and_still_counted() {
    for engine in engines() {
        let (_db, store) = store(engine).await;
        let gone = join(
            &store,
            waiting("13800000001", day(0), day(1), PartOfDay::Any, 1),
        )
        .await;
        let open = join(
            &store,
            waiting("13800000002", day(0), day(1), PartOfDay::Any, 2),
        )
        .await;
        store
            .step_waitlist_entry(gone.entry.id, Step::Leave, now(), &rules())
            .await
            .unwrap()
            .unwrap();
        let retention = backend::retention::Retention::new(
            store.clone(),
            30,
            Arc::new(|| now() + Duration::days(31)),
        );
        let done = retention.run().await.unwrap();
        assert_eq!(done.waitlist, 1, "{engine}: the ended entry only");
        assert!(store
            .waitlist_by_link(&gone.link_code)
            .await
            .unwrap()
            .is_none());
        assert!(store
            .waitlist_of_phone("13800000001")
            .await
            .unwrap()
            .is_empty());
        let left = store.waitlist_at(PLACE).await.unwrap();
        assert_eq!(left.len(), 1, "{engine}");
        assert_eq!(left[0].entry.id, open.entry.id);
        assert_eq!(retention.run().await.unwrap().waitlist, 0, "{engine}: once");
        let tally = store
            .waitlist_tally(now() - Duration::days(1), now() + Duration::days(1))
            .await
            .unwrap();
        assert_eq!(
            tally[&(this_month(), PLACE, SERVICE)].joined,
            2,
            "{engine}: still counted"
        );
    }
}

#[tokio::test]
async fn the_sweep_lapses_entries_whose_dates_have_passed() {
    for engine in engines() {
        let (_db, store) = store(engine).await;
        let monday = join(
            &store,
            waiting("13800000001", day(0), day(0), PartOfDay::Any, 1),
        )
        .await;
        let week = join(
            &store,
            waiting("13800000002", day(0), day(4), PartOfDay::Any, 2),
        )
        .await;
        // Monday 23:59 in Shanghai: Monday has not passed yet
        let late_monday = slot(0, 0) + Duration::hours(15) - Duration::minutes(1);
        store.expire_holds(late_monday, &rules()).await.unwrap();
        assert_eq!(
            entry(&store, &monday.link_code).await.entry.state,
            EntryState::Waiting,
            "{engine}"
        );
        store
            .expire_holds(late_monday + Duration::minutes(1), &rules())
            .await
            .unwrap();
        assert_eq!(
            entry(&store, &monday.link_code).await.entry.state,
            EntryState::Lapsed,
            "{engine}"
        );
        assert_eq!(
            entry(&store, &week.link_code).await.entry.state,
            EntryState::Waiting,
            "{engine}"
        );
    }
}

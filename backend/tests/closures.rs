//! A closed day cannot be booked: not on the instance where staff closed it (its closures in
//! memory are forgotten at once), nor on another instance that hears of it through the
//! events, although both had read that day's closures before.

use backend::booking::{BookingConfig, BookingError, BookingRequest, Clock};
use backend::events::Events;
use backend::testing::{engines, one_office_store, Engine};
use backend::{Bookings, Directory};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use domain::staff::{Role, StaffAccount};
use domain::{LocationId, ServiceCode};
use std::sync::Arc;

/// Sunday 3 March 2030, 09:00 in Shanghai.
fn sunday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 3, 3, 1, 0, 0).unwrap()
}

fn monday_9(phone: &str) -> BookingRequest {
    BookingRequest {
        location_id: 1,
        service: "legal_consultation".into(),
        start: "2030-03-04T09:00:00+08:00".into(),
        name: "王芳".into(),
        phone: phone.into(),
        topic: "labour".into(),
        consent: true,
        ..Default::default()
    }
}

fn refused_for_its_time(result: Result<backend::store::BookingRecord, BookingError>) -> bool {
    matches!(result, Err(BookingError::Invalid(f)) if f.field == "start")
}

#[tokio::test]
async fn a_closed_day_cannot_be_booked_on_any_instance() {
    for engine in engines() {
        a_closed_day_cannot_be_booked_on(engine).await;
    }
}

async fn a_closed_day_cannot_be_booked_on(engine: Engine) {
    let (_db, store, directory) = one_office_store(engine).await;
    let clock: Clock = Arc::new(sunday);
    let events = Events::in_process();
    let instance = || async {
        Bookings::new(
            store.clone(),
            Directory::new(store.clone()),
            BookingConfig::default(),
            clock.clone(),
        )
        .await
        .unwrap()
        .follow(&events)
    };
    let (here, there) = (instance().await, instance().await);
    let place = directory.location(LocationId(1)).await.unwrap();
    let monday = NaiveDate::from_ymd_opt(2030, 3, 4).unwrap();
    let service = ServiceCode::LegalConsultation;
    // both read Monday's closures (none yet) while listing its times, and one books
    for bookings in [&here, &there] {
        let open = bookings
            .slots(&place, service, monday, monday)
            .await
            .unwrap();
        assert!(!open.is_empty(), "{engine}: Monday is open");
    }
    here.book(&monday_9("13900000001")).await.unwrap();

    let admin = StaffAccount {
        id: 1,
        username: "admin".into(),
        display_name: "管理员".into(),
        role: Role::DistrictAdmin,
        place: None,
    };
    let staff = backend::staff::Staff::new(store.clone(), directory.clone(), clock.clone());
    let schedules = backend::schedules::Schedules::new(
        store.clone(),
        directory.clone(),
        here.clone(),
        staff,
        None,
        clock.clone(),
    );
    schedules
        .close_day(&admin, LocationId(1), service, monday, "培训", true)
        .await
        .unwrap();

    // where it was closed: at once
    assert!(
        here.slots(&place, service, monday, monday)
            .await
            .unwrap()
            .is_empty(),
        "{engine}: no times left on the closed day"
    );
    assert!(
        refused_for_its_time(here.book(&monday_9("13900000002")).await),
        "{engine}: the closed day is refused"
    );
    // elsewhere: once the event has arrived (it is in flight for a moment)
    let mut told = false;
    for _ in 0..200 {
        if there
            .slots(&place, service, monday, monday)
            .await
            .unwrap()
            .is_empty()
        {
            told = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(
        told,
        "{engine}: the other instance forgot the day's closures"
    );
    assert!(
        refused_for_its_time(there.book(&monday_9("13900000003")).await),
        "{engine}: the closed day is refused on the other instance too"
    );
}

//! Waiting lists through the API: join a full day's list, a cancellation offers the seat to
//! the first in line (held: nobody else can book it), confirming books it; a declined or
//! expired offer passes on; staff see the list; every refusal names its field or reason.

mod common;

use chrono::Duration;
use common::{monday_6am, spawn_app, spawn_app_with, Client, TestApp};
use serde_json::{json, Value};

const PLACE: i64 = 1;
const SERVICE: &str = "legal_consultation";

/// The first slot of the place's consultation, made full with bookings by distinct phones;
/// returns its start and the bookings' (code, phone).
async fn full_slot(app: &TestApp) -> (String, Vec<(String, String)>) {
    let slot = app.client().slots(PLACE, SERVICE).await[0].clone();
    let start = slot["start"].as_str().unwrap().to_string();
    let mut booked = Vec::new();
    for i in 0..slot["capacity"].as_u64().unwrap() {
        let phone = format!("1371111{i:04}");
        booked.push((app.book(PLACE, SERVICE, &start, &phone).await, phone));
    }
    (start, booked)
}

fn join_body(day: &str, phone: &str) -> Value {
    json!({"location_id": PLACE, "service": SERVICE, "from": day, "to": day,
           "part_of_day": "any", "name": "周红", "phone": phone, "topic": "labour", "consent": true})
}

async fn remaining(c: &Client, start: &str) -> u64 {
    let slots = c.slots(PLACE, SERVICE).await;
    let s = slots.iter().find(|s| s["start"] == start).unwrap();
    s["remaining"].as_u64().unwrap()
}

async fn entry(c: &Client, code: &str, phone: &str) -> Value {
    let (status, body) = c
        .get(&format!("/api/v1/waitlist/{code}?phone={phone}"))
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn a_cancellation_offers_the_held_seat_to_the_first_in_line_who_books_it() {
    let app = spawn_app().await;
    let c = app.client();
    let (start, booked) = full_slot(&app).await;
    let day = &start[..10];

    let (status, joined) = c
        .post("/api/v1/waitlist", &join_body(day, "13922220001"))
        .await;
    assert_eq!(status, 201, "{joined}");
    assert_eq!(joined["state"], "waiting");
    assert_eq!(joined["phone"], "139****0001");
    let code = joined["code"].as_str().unwrap().to_string();
    // one wish per service and place at a time
    let (status, body) = c
        .post("/api/v1/waitlist", &join_body(day, "13922220001"))
        .await;
    assert_eq!(status, 409, "{body}");

    // a seat frees: it is held for the first in line, so nobody else can take it
    let (status, _) = c.on_booking(&booked[0].0, "cancel", &booked[0].1).await;
    assert_eq!(status, 200);
    let offered = entry(&c, &code, "13922220001").await;
    assert_eq!(offered["state"], "offered", "{offered}");
    assert_eq!(offered["offer"]["start"], start.as_str());
    let until =
        chrono::DateTime::parse_from_rfc3339(offered["offer"]["hold_until"].as_str().unwrap())
            .unwrap();
    assert_eq!(until, monday_6am() + Duration::minutes(30));
    assert_eq!(
        remaining(&c, &start).await,
        0,
        "the held seat counts as taken"
    );
    let (status, body) = c
        .post(
            "/api/v1/bookings",
            &json!({"location_id": PLACE, "service": SERVICE, "start": start, "name": "路人",
                    "phone": "13633330000", "topic": "labour", "consent": true}),
        )
        .await;
    assert_eq!(status, 409, "{body}");

    // a wrong phone looks like an unknown code
    let (status, _) = c
        .post(
            &format!("/api/v1/waitlist/{code}/confirm"),
            &json!({"phone": "13922229999"}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, booking) = c
        .post(
            &format!("/api/v1/waitlist/{code}/confirm"),
            &json!({"phone": "13922220001"}),
        )
        .await;
    assert_eq!(status, 201, "{booking}");
    assert_eq!(booking["start"], start.as_str());
    assert_eq!(booking["state"], "booked");
    assert_eq!(entry(&c, &code, "13922220001").await["state"], "booked");
    assert_eq!(remaining(&c, &start).await, 0);
    // the booking is an ordinary one
    let b = app
        .booking_state(booking["code"].as_str().unwrap(), "13922220001")
        .await;
    assert_eq!(b, "booked");

    // staff of the place see the list and how many offers became bookings
    let clerk = app.signed_in("o1-clerk").await;
    let (status, list) = clerk
        .get(&format!("/api/v1/staff/waitlist?location_id={PLACE}"))
        .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(
        (list["offered"].as_u64(), list["booked"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(list["entries"][0]["phone"], "139****0001");
    let other = app.signed_in("o2-clerk").await;
    let (status, _) = other
        .get(&format!("/api/v1/staff/waitlist?location_id={PLACE}"))
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_declined_or_expired_offer_passes_to_the_next_in_line() {
    let app = spawn_app().await;
    let c = app.client();
    let (start, booked) = full_slot(&app).await;
    let day = &start[..10];
    let mut codes = Vec::new();
    for phone in ["13922220001", "13922220002", "13922220003"] {
        let (status, joined) = c.post("/api/v1/waitlist", &join_body(day, phone)).await;
        assert_eq!(status, 201, "{joined}");
        codes.push((joined["code"].as_str().unwrap().to_string(), phone));
    }
    c.on_booking(&booked[0].0, "cancel", &booked[0].1).await;
    assert_eq!(entry(&c, &codes[0].0, codes[0].1).await["state"], "offered");
    assert_eq!(entry(&c, &codes[1].0, codes[1].1).await["state"], "waiting");

    // the first lets the hold run out: the sweep passes the seat on
    app.set_now(monday_6am() + Duration::minutes(31));
    let mut waited = 0;
    while entry(&c, &codes[1].0, codes[1].1).await["state"] != "offered" {
        waited += 1;
        assert!(waited < 100, "the expired hold was not passed on");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(entry(&c, &codes[0].0, codes[0].1).await["state"], "expired");
    // too late to confirm
    let (status, _) = c
        .post(
            &format!("/api/v1/waitlist/{}/confirm", codes[0].0),
            &json!({"phone": codes[0].1}),
        )
        .await;
    assert_eq!(status, 409);

    // the second declines: the third gets it
    let (status, body) = c
        .post(
            &format!("/api/v1/waitlist/{}/decline", codes[1].0),
            &json!({"phone": codes[1].1}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "declined");
    assert_eq!(entry(&c, &codes[2].0, codes[2].1).await["state"], "offered");
    // the third leaves: nobody is left, the seat is free again
    let (status, body) = c
        .post(
            &format!("/api/v1/waitlist/{}/leave", codes[2].0),
            &json!({"phone": codes[2].1}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "left");
    assert_eq!(remaining(&c, &start).await, 1);
}

#[tokio::test]
async fn joining_refuses_each_wrong_field_and_asks_for_the_phone_code_when_verifying() {
    let app = spawn_app().await;
    let c = app.client();
    let day = "2026-12-08";
    for (change, field) in [
        (json!({"part_of_day": "night"}), "part_of_day"),
        (json!({"from": "8 Dec"}), "from"),
        (json!({"to": "2026-12-01"}), "to"),
        (json!({"phone": "123"}), "phone"),
        (json!({"topic": "astrology"}), "topic"),
        (json!({"consent": false}), "consent"),
        (json!({"location_id": 99999}), "location_id"),
        (json!({"location_id": null}), "location_id"),
    ] {
        let mut body = join_body(day, "13922220001");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, answer) = c.post("/api/v1/waitlist", &body).await;
        assert_eq!(status, 422, "{change}: {answer}");
        assert_eq!(answer["field"], field, "{change}: {answer}");
    }

    let verifying = spawn_app_with(|c| c.phone_verify = backend::verify::VerifyMode::Sms).await;
    let c = verifying.client();
    let (status, answer) = c
        .post("/api/v1/waitlist", &join_body(day, "13922220001"))
        .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["field"], "phone_code");
    let (_, sent) = c
        .post("/api/v1/phone-codes", &json!({"phone": "13922220001"}))
        .await;
    let mut body = join_body(day, "13922220001");
    body["phone_code"] = sent["demo_code"].clone();
    let (status, answer) = c.post("/api/v1/waitlist", &body).await;
    assert_eq!(status, 201, "{answer}");
}

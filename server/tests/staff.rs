//! Staff API: sign-in, the authorisation matrix (every staff endpoint × every role × own and
//! foreign place), the day's work from check-in to finish, undo, and the no-show rule.
//! Real router on port 0, one SQLite file per test, and a clock the test moves.

use chrono::{Duration, TimeZone, Utc};
use serde_json::json;

mod common;
use common::*;

#[tokio::test]
async fn sign_in_sign_out_and_wrong_passwords() {
    let app = spawn_app().await;
    let c = app.client();
    let (status, body) = c.get("/api/v1/staff/me").await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "unauthorized");

    let (status, body) = c.login("o1-clerk", "wrong-one").await;
    assert_eq!(status, 401);
    assert_eq!(body["message"], "用户名或密码不正确");
    let (status, same) = c.login("nobody", "wrong-one").await;
    assert_eq!(
        (status, &same["message"]),
        (401, &body["message"]),
        "unknown names look the same"
    );

    let (status, me) = c.login("O1-Clerk", "demo1234").await;
    assert_eq!(status, 200);
    assert_eq!(me["role"], "office_clerk");
    assert_eq!(me["location_id"], 1);
    assert_eq!(c.get("/api/v1/staff/me").await.0, 200);

    // a form post from another site is refused even with the cookie
    let r = c
        .http
        .post(format!("{}/api/v1/staff/logout", app.base))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(c.get("/api/v1/staff/me").await.0, 200);

    let (status, _) = c.post("/api/v1/staff/logout", &json!({})).await;
    assert_eq!(status, 204);
    assert_eq!(c.get("/api/v1/staff/me").await.0, 401);
}

#[tokio::test]
async fn password_change_and_login_throttling() {
    let app = spawn_app().await;
    let c = app.signed_in("o2-clerk").await;
    let (status, body) = c
        .post(
            "/api/v1/staff/password",
            &json!({"old_password": "demo1234", "new_password": "short"}),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("password")));
    let (status, _) = c
        .post(
            "/api/v1/staff/password",
            &json!({"old_password": "demo1234", "new_password": "a-better-one"}),
        )
        .await;
    assert_eq!(status, 204);
    let fresh = app.client();
    let ok = fresh.login("o2-clerk", "a-better-one").await;
    assert_eq!(ok.0, 200);

    // ten tries a minute for one username, then 429 even with the right password
    let attacker = app.client();
    let mut statuses = Vec::new();
    for _ in 0..11 {
        statuses.push(attacker.login("o3-head", "guess-guess").await.0);
    }
    assert!(statuses[..9].iter().all(|s| *s == 401), "{statuses:?}");
    assert_eq!(statuses[10], 429);
    let right = attacker.login("o3-head", "demo1234").await;
    assert_eq!(right.0, 429);
}

/// A staff request must come as JSON (a cross-site form cannot send it with the cookie),
/// even from the portal's own site, and
/// a value of the wrong type is refused on its field.
#[tokio::test]
async fn staff_requests_are_json_only_and_a_wrong_type_names_its_field() {
    let app = spawn_app().await;
    let c = app.signed_in("o1-clerk").await;
    let r = c
        .http
        .post(format!("{}/api/v1/staff/walk-ins", app.base))
        .header("content-type", "text/plain")
        .header("origin", app.base.as_str())
        .body(r#"{"location_id": 1, "service": "legal_consultation"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "bad_request", "{body}");
    let (status, body) = c.walk_in(1, "legal_consultation").await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = c
        .post(
            "/api/v1/staff/walk-ins",
            &json!({"location_id": "one", "service": "legal_consultation"}),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("location_id")),
        "{body}"
    );
}

const MONDAY_9: &str = "2026-12-07T09:00:00+08:00";
const TUESDAY_1330: &str = "2026-12-08T13:30:00+08:00";

/// Every staff endpoint × every role × own and foreign place: allowed (2xx) or 403.
#[tokio::test]
async fn authorisation_matrix() {
    use domain::staff::Role;
    let app = spawn_app().await;
    app.add_user("room101", Role::WorkroomClerk, 101).await;
    let admin = app.signed_in("district").await;

    // (account, own place, service handled there, own allowed)
    let roles: [(&str, i64, &str, bool); 6] = [
        ("district", 1, "legal_consultation", true),
        ("auditor", 1, "legal_consultation", false),
        ("o1-head", 1, "legal_consultation", true),
        ("o1-clerk", 1, "legal_consultation", true),
        ("room101", 101, "legal_consultation", true),
        ("psy", 3, "psychology", true),
    ];
    let foreign = 2;
    let mut phone = 13900000000u64;
    let mut next_phone = || {
        phone += 1;
        phone.to_string()
    };
    let mut failures = Vec::new();
    // two seats a slot: each place's bookings take the next free slot of Monday morning
    let mut used: std::collections::HashMap<i64, usize> = Default::default();
    for (who, own, service, own_allowed) in roles {
        let c = app.signed_in(who).await;
        // a hand-over from the own place: the target's desk must be the account's too
        // (another office's never, a workroom of the own office for the office's staff)
        for (target, to_service, may) in [
            (foreign, "legal_consultation", who == "district"),
            (
                101,
                "mediation",
                matches!(who, "district" | "o1-head" | "o1-clerk" | "room101"),
            ),
        ] {
            let (_, entry) = admin.walk_in(own, service).await;
            let id = entry["id"].as_i64().unwrap();
            let (s, body) = c
                .queue_step(
                    id,
                    "transfer",
                    &json!({"service": to_service, "location_id": target}),
                )
                .await;
            if (may && s != 200) || (!may && s != 403) {
                failures.push(format!(
                    "{who} own → {target} POST queue/{{id}}/transfer: {s} {body}"
                ));
            }
        }
        for (place, allowed, svc) in [
            (own, own_allowed, service),
            (foreign, who == "district", "legal_consultation"),
        ] {
            let side = if place == own { "own" } else { "foreign" };
            let mut check = |endpoint: &str, status: u16| {
                let ok = if allowed {
                    (200..300).contains(&status)
                } else {
                    status == 403
                };
                if !ok {
                    failures.push(format!("{who} {side} {endpoint}: {status}"));
                }
            };
            // the day's queue
            let (s, _) = c
                .get(&format!(
                    "/api/v1/staff/queue?location_id={place}&date=2026-12-07"
                ))
                .await;
            check("GET queue", s);
            // walk-in
            let (s, _) = c.walk_in(place, svc).await;
            check("POST walk-ins", s);
            // call next (someone is waiting: the admin adds a walk-in first)
            admin.walk_in(place, svc).await;
            let (s, _) = c.call_next(place, None).await;
            check("POST call-next", s);
            // a step on someone at the place
            let (_, entry) = admin.walk_in(place, svc).await;
            let id = entry["id"].as_i64().unwrap();
            let (s, _) = c.queue_step(id, "serve", &json!({})).await;
            check("POST queue/{id}/serve", s);
            let (s, _) = c.queue_step(id, "undo", &json!({})).await;
            check("POST queue/{id}/undo", s);
            let (s, _) = c
                .queue_step(id, "transfer", &json!({"service": "mediation"}))
                .await;
            check("POST queue/{id}/transfer", s);
            // check-in of a booking of that day at the place
            let n = used.entry(place).or_default();
            let (start, day_now) = if svc == "psychology" {
                (
                    TUESDAY_1330.to_string(),
                    Utc.with_ymd_and_hms(2026, 12, 8, 4, 0, 0).unwrap(),
                )
            } else {
                // workroom 101: one seat a slot; offices: two
                let per_slot = if place == 101 { 1 } else { 2 };
                let minutes = 9 * 60 + 30 * (*n / per_slot) as u32;
                (
                    format!(
                        "2026-12-07T{:02}:{:02}:00+08:00",
                        minutes / 60,
                        minutes % 60
                    ),
                    monday_6am(),
                )
            };
            *n += 1;
            app.set_now(monday_6am());
            let code = app.book(place, svc, &start, &next_phone()).await;
            app.set_now(day_now);
            let (s, _) = c.check_in(&code).await;
            check("POST check-in", s);
            app.set_now(monday_6am());
            // opening hours: the office's head and the district only
            let (s, _) = c
                .get(&format!("/api/v1/staff/schedules?location_id={place}"))
                .await;
            let may_edit = who == "district" || (who == "o1-head" && place == own);
            if (may_edit && s != 200) || (!may_edit && s != 403) {
                failures.push(format!("{who} {side} GET schedules: {s}"));
            }
        }
        // district-wide: the audit log
        let (s, _) = c.get("/api/v1/staff/audit").await;
        let audit_ok = matches!(who, "district" | "auditor");
        if audit_ok != (s == 200) || (!audit_ok && s != 403) {
            failures.push(format!("{who} GET audit: {s}"));
        }
    }
    assert!(
        failures.is_empty(),
        "authorisation matrix:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn a_clerks_day_check_in_walk_in_call_serve_finish_and_undo() {
    let app = spawn_app().await;
    let code = app
        .book(1, "legal_consultation", MONDAY_9, "13911112222")
        .await;
    let clerk = app.signed_in("o1-clerk").await;
    app.set_now(Utc.with_ymd_and_hms(2026, 12, 7, 0, 50, 0).unwrap()); // 08:50

    let (s, booked) = clerk.check_in(&code).await;
    assert_eq!(s, 200, "{booked}");
    assert_eq!(booked["ticket"], "A001");
    assert_eq!(booked["state"], "waiting");
    assert_eq!(booked["phone"], "139****2222", "staff lists mask the phone");
    let (s, again) = clerk.check_in(&code).await;
    assert_eq!(s, 409, "checked in twice: {again}");

    let (s, walk) = clerk.walk_in(1, "legal_consultation").await;
    assert_eq!(s, 201);
    assert_eq!(walk["ticket"], "A002");

    // 08:50: the booked slot has not started, so the walk-in is called first
    let (s, first) = clerk.call_next(1, Some("1号窗口")).await;
    assert_eq!(s, 200);
    assert_eq!(first["ticket"], "A002");
    assert_eq!(first["desk"], "1号窗口");
    let first_id = first["id"].as_i64().unwrap();
    let (s, serving) = clerk.queue_step(first_id, "serve", &json!({})).await;
    assert_eq!((s, serving["state"].as_str()), (200, Some("serving")));

    // calling the next person leaves the one being served alone
    let (s, second) = clerk.call_next(1, Some("2号窗口")).await;
    assert_eq!((s, second["ticket"].as_str()), (200, Some("A001")));
    let (_, q) = clerk.get("/api/v1/staff/queue?location_id=1").await;
    let state_of = |t: &str| item(&q["entries"], "ticket", t)["state"].clone();
    assert_eq!(state_of("A002"), "serving");
    assert_eq!(state_of("A001"), "called");

    // finishing needs an outcome
    let (s, body) = clerk.queue_step(first_id, "finish", &json!({})).await;
    assert_eq!((s, body["field"].as_str()), (422, Some("outcome")));
    let (s, done) = clerk
        .queue_step(
            first_id,
            "finish",
            &json!({"outcome": "advice_given", "note": "讲解了劳动仲裁流程"}),
        )
        .await;
    assert_eq!(
        (s, done["state"].as_str(), done["outcome"].as_str()),
        (200, Some("done"), Some("advice_given"))
    );
    // a misclick is undone: finished → serving again
    let (s, undone) = clerk.queue_step(first_id, "undo", &json!({})).await;
    assert_eq!((s, undone["state"].as_str()), (200, Some("serving")));
    let (s, _) = clerk.queue_step(first_id, "undo", &json!({})).await;
    assert_eq!(s, 409, "only the last action can be undone");
    clerk
        .queue_step(
            first_id,
            "finish",
            &json!({"outcome": "referred_to_mediation"}),
        )
        .await;

    // the booked resident: serve and finish; the booking follows
    let second_id = second["id"].as_i64().unwrap();
    clerk.queue_step(second_id, "serve", &json!({})).await;
    let (s, _) = clerk
        .queue_step(second_id, "finish", &json!({"outcome": "advice_given"}))
        .await;
    assert_eq!(s, 200);
    assert_eq!(app.booking_state(&code, "13911112222").await, "done");
    assert_eq!(clerk.call_next(1, None).await.0, 204);

    // every action is in the audit log, readable by the auditor only
    let (s, log) = app
        .signed_in("auditor")
        .await
        .get("/api/v1/staff/audit")
        .await;
    assert_eq!(s, 200);
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "check_in",
        "walk_in",
        "call",
        "queue_serve",
        "queue_finish",
        "queue_undo",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    assert_eq!(clerk.get("/api/v1/staff/audit").await.0, 403);
}

#[tokio::test]
async fn only_the_counsellor_sees_psychology_topics() {
    let app = spawn_app().await;
    let code = app.book(3, "psychology", TUESDAY_1330, "13933334444").await;
    app.set_now(Utc.with_ymd_and_hms(2026, 12, 8, 5, 0, 0).unwrap()); // Tuesday 13:00
    for (who, sees) in [("psy", true), ("o3-clerk", false), ("district", false)] {
        let (s, q) = app
            .signed_in(who)
            .await
            .get("/api/v1/staff/queue?location_id=3")
            .await;
        assert_eq!(s, 200, "{who}");
        // everyone at the place sees that the booking exists (to check the resident in);
        // its topic only the counsellor
        let b = item(&q["bookings"], "code", code.as_str());
        assert_eq!(b["topic"].is_string(), sees, "{who}: {b}");
    }
}

#[tokio::test]
async fn a_no_show_is_marked_after_the_grace_period_and_can_be_reverted() {
    let app = spawn_app().await;
    let code = app
        .book(1, "legal_consultation", MONDAY_9, "13955556666")
        .await;
    let clerk = app.signed_in("o1-clerk").await;
    let state = || app.booking_state(&code, "13955556666");
    let nine = Utc.with_ymd_and_hms(2026, 12, 7, 1, 0, 0).unwrap();
    // the server applies the rule every minute (every second in tests)
    app.set_now(nine + Duration::minutes(14));
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let (s, _) = clerk
        .post(&format!("/api/v1/staff/no-shows/{code}/revert"), &json!({}))
        .await;
    assert_eq!(s, 409, "nothing to revert yet");
    assert_eq!(state().await, "booked");
    app.set_now(nine + Duration::minutes(16));
    app.await_no_shows(
        &[(&code, "13955556666")],
        "not marked after the grace period",
    )
    .await;
    let (s, _) = clerk
        .post(&format!("/api/v1/staff/no-shows/{code}/revert"), &json!({}))
        .await;
    assert_eq!(s, 204);
    assert_eq!(state().await, "booked");
    // a late arrival may also simply check in
    let (s, e) = clerk.check_in(&code).await;
    assert_eq!((s, e["state"].as_str()), (200, Some("waiting")));
}

/// Reverting a no-show is the desk's work for the booking's place and service, as checking
/// it in is: the counsellor may not touch the office's consultations.
#[tokio::test]
async fn a_no_show_is_reverted_only_by_those_who_serve_its_service() {
    let app = spawn_app().await;
    let consultation = app
        .book(3, "legal_consultation", MONDAY_9, "13955550001")
        .await;
    let psychology = app.book(3, "psychology", TUESDAY_1330, "13955550002").await;
    // Tuesday 14:00: both are past the grace period
    app.set_now(Utc.with_ymd_and_hms(2026, 12, 8, 6, 0, 0).unwrap());
    app.await_no_shows(
        &[(&consultation, "13955550001"), (&psychology, "13955550002")],
        "not marked after the grace period",
    )
    .await;
    let revert = |who: &'static str, code: String| {
        let app = &app;
        async move {
            app.signed_in(who)
                .await
                .post(&format!("/api/v1/staff/no-shows/{code}/revert"), &json!({}))
                .await
                .0
        }
    };
    let mut failures = Vec::new();
    for (who, code, expected) in [
        // the counsellor serves psychology only
        ("psy", consultation.clone(), 403),
        // another office's staff: not their place
        ("o1-clerk", consultation.clone(), 403),
        ("o1-clerk", psychology.clone(), 403),
        ("auditor", psychology.clone(), 403),
        ("o3-clerk", consultation.clone(), 204),
        ("psy", psychology.clone(), 204),
    ] {
        let s = revert(who, code.clone()).await;
        if s != expected {
            failures.push(format!("{who} revert {code}: {s}, expected {expected}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The call display is public: a psychology ticket's letter would tell the waiting room who
/// came for counselling (and on youth-only Fridays, that they are a minor). Psychology is
/// left off the board entirely; the staff pages keep its tickets.
#[tokio::test]
async fn the_public_display_never_shows_psychology_tickets() {
    let app = spawn_app().await;
    let code = app.book(3, "psychology", TUESDAY_1330, "13966660001").await;
    app.set_now(Utc.with_ymd_and_hms(2026, 12, 8, 5, 20, 0).unwrap()); // Tuesday 13:20
    let (mut stream, _) = app.display_events(3).await;

    let psy = app.signed_in("psy").await;
    let (s, entry) = psy.check_in(&code).await;
    assert_eq!(s, 200, "{entry}");
    // the staff side keeps the real service and its own numbering
    assert_eq!(entry["ticket"], "F001");
    let (_, q) = psy.get("/api/v1/staff/queue?location_id=3").await;
    // the counsellor sees the ticket
    let mine = item(&q["entries"], "ticket", "F001");
    assert_eq!(mine["service"], "psychology", "{mine}");

    // a consultation walk-in after it: the board's next event must show it, and only it
    let clerk = app.signed_in("o3-clerk").await;
    let (s, walk) = clerk.walk_in(3, "legal_consultation").await;
    assert_eq!((s, walk["ticket"].as_str()), (201, Some("A001")));
    let shown = event_containing(&mut stream, "A001", std::time::Duration::from_secs(2)).await;
    let leaks = |text: &str| -> Vec<&'static str> {
        ["F001", "psychology", "心理", "青少年", "youth"]
            .into_iter()
            .filter(|w| text.contains(w))
            .collect()
    };
    assert!(
        leaks(&shown).is_empty(),
        "the stream shows {:?}: {shown}",
        leaks(&shown)
    );
    let (s, board) = app.client().get("/api/v1/display/3").await;
    assert_eq!(s, 200);
    let text = board.to_string();
    assert!(
        leaks(&text).is_empty(),
        "the board shows {:?}: {text}",
        leaks(&text)
    );
    assert_eq!(board["next"], json!(["A001"]), "{board}");
    assert_eq!(
        board["waiting"], 1,
        "psychology is not counted either: {board}"
    );

    // the counsellor fetches the client: the call is not on the board either
    let (s, called) = psy.call_next(3, Some("心理咨询室")).await;
    assert_eq!(
        (s, called["ticket"].as_str()),
        (200, Some("F001")),
        "{called}"
    );
    let (_, board) = app.client().get("/api/v1/display/3").await;
    let text = board.to_string();
    assert!(
        leaks(&text).is_empty(),
        "the board shows {:?}: {text}",
        leaks(&text)
    );
    assert_eq!(board["calling"], json!([]), "{board}");
    assert_eq!(
        board["version"], 0,
        "no chime for a psychology call: {board}"
    );
}

#[tokio::test]
async fn the_display_stream_shows_each_call_at_once_and_no_personal_data() {
    let app = spawn_app().await;
    let code = app
        .book(1, "legal_consultation", MONDAY_9, "13977778888")
        .await;
    app.set_now(Utc.with_ymd_and_hms(2026, 12, 7, 1, 5, 0).unwrap()); // 09:05
    let clerk = app.signed_in("o1-clerk").await;
    let (mut stream, first) = app.display_events(1).await;
    assert!(stream.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    assert!(first.contains("\"calling\":[]"), "{first}");

    clerk.check_in(&code).await;
    let shown = event_containing(
        &mut stream,
        "\"next\":[\"A001\"]",
        std::time::Duration::from_secs(1),
    )
    .await;
    assert!(
        !shown.contains("测试居民") && !shown.contains("1397777"),
        "no personal data: {shown}"
    );
    clerk.call_next(1, Some("2号窗口")).await;
    let called = event_containing(
        &mut stream,
        "\"ticket\":\"A001\"",
        std::time::Duration::from_secs(1),
    )
    .await;
    assert!(called.contains("2号窗口"), "{called}");

    // another place's changes do not reach this display, and unknown places are 404
    let other = app.signed_in("o2-clerk").await;
    other.walk_in(2, "legal_consultation").await;
    assert_eq!(
        reqwest::get(format!("{}/api/v1/display/999999/events", app.base))
            .await
            .unwrap()
            .status()
            .as_u16(),
        404
    );
}

#[tokio::test]
async fn a_person_is_handed_over_to_mediation_with_a_new_ticket() {
    let app = spawn_app().await;
    let clerk = app.signed_in("o1-clerk").await;
    let (_, walk) = clerk.walk_in(1, "legal_consultation").await;
    let id = walk["id"].as_i64().unwrap();
    let (s, body) = clerk.queue_step(id, "transfer", &json!({})).await;
    assert_eq!((s, body["field"].as_str()), (422, Some("service")));
    let (s, moved) = clerk
        .queue_step(id, "transfer", &json!({"service": "mediation"}))
        .await;
    assert_eq!(s, 200, "{moved}");
    assert_eq!(moved["ticket"], "B001");
    assert_eq!(moved["state"], "waiting");
    let (_, q) = clerk.get("/api/v1/staff/queue?location_id=1").await;
    let state_of = |t: &str| item(&q["entries"], "ticket", t)["state"].clone();
    assert_eq!(state_of("A001"), "transferred");
    assert_eq!(state_of("B001"), "waiting");
    // an unknown place is no destination, nor one outside the clerk's office: the clerk
    // does not work there (a workroom of the office is fine)
    let (_, walk2) = clerk.walk_in(1, "legal_consultation").await;
    let id2 = walk2["id"].as_i64().unwrap();
    let (s, _) = clerk
        .queue_step(
            id2,
            "transfer",
            &json!({"service": "mediation", "location_id": 999999}),
        )
        .await;
    assert_eq!(s, 422);
    let (s, _) = clerk
        .queue_step(
            id2,
            "transfer",
            &json!({"service": "legal_consultation", "location_id": 2}),
        )
        .await;
    assert_eq!(s, 403, "another office's desk");
    let (s, there) = clerk
        .queue_step(
            id2,
            "transfer",
            &json!({"service": "legal_consultation", "location_id": 101}),
        )
        .await;
    assert_eq!((s, there["ticket"].as_str()), (200, Some("A001")));
    let (_, q2) = app
        .signed_in("o2-clerk")
        .await
        .get("/api/v1/staff/queue?location_id=2")
        .await;
    assert_eq!(
        q2["entries"].as_array().unwrap().len(),
        0,
        "nothing reached office 2: {q2}"
    );
}

#[tokio::test]
async fn a_schedule_change_lists_the_bookings_it_cancels_before_saving() {
    let app = spawn_app().await;
    let a = app
        .book(1, "legal_consultation", MONDAY_9, "13910000001")
        .await;
    let b = app
        .book(1, "legal_consultation", MONDAY_9, "13910000002")
        .await;
    let tuesday = app
        .book(
            1,
            "legal_consultation",
            "2026-12-08T09:00:00+08:00",
            "13910000003",
        )
        .await;
    let no_mondays = hours_without_mondays(false);

    // only the office's head (and the district) may change its hours
    let clerk = app.signed_in("o1-clerk").await;
    assert_eq!(
        clerk.post("/api/v1/staff/schedules", &no_mondays).await.0,
        403
    );
    let other_head = app.signed_in("o2-head").await;
    assert_eq!(
        other_head
            .post("/api/v1/staff/schedules", &no_mondays)
            .await
            .0,
        403
    );

    let head = app.signed_in("o1-head").await;
    let (s, current) = head.get("/api/v1/staff/schedules?location_id=1").await;
    assert_eq!(s, 200);
    assert!(
        current["services"][0]["sessions"][0].is_string(),
        "{current}"
    );
    let (s, body) = head
        .post(
            "/api/v1/staff/schedules",
            &json!({"location_id": 1, "service": "legal_consultation", "sessions": ["mon 09:00-11:30 40min x1"]}),
        )
        .await;
    assert_eq!(
        (s, body["field"].as_str()),
        (422, Some("sessions")),
        "{body}"
    );

    // first attempt: refused, listing the two Monday bookings
    let (s, body) = head.post("/api/v1/staff/schedules", &no_mondays).await;
    assert_eq!(s, 409, "{body}");
    let mut listed: Vec<String> = body["displaced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    listed.sort();
    let mut expected = vec![a.clone(), b.clone()];
    expected.sort();
    assert_eq!(listed, expected);
    assert_eq!(
        app.booking_state(&a, "13910000001").await,
        "booked",
        "nothing changed yet"
    );

    // confirmed: saved, the two cancelled (kept in the records), Tuesday untouched
    let (s, body) = head
        .post("/api/v1/staff/schedules", &hours_without_mondays(true))
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["cancelled"].as_array().unwrap().len(), 2);
    assert_eq!(app.booking_state(&a, "13910000001").await, "cancelled");
    assert_eq!(app.booking_state(&tuesday, "13910000003").await, "booked");
    let (_, slots) = app
        .client()
        .get("/api/v1/locations/1/slots?service=legal_consultation&from=2026-12-14&to=2026-12-15")
        .await;
    let days: Vec<&str> = slots
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["start"].as_str().unwrap()[..10])
        .collect();
    assert!(
        !days.contains(&"2026-12-14"),
        "no Monday slots any more: {days:?}"
    );
    assert!(days.contains(&"2026-12-15"));

    // closing Tuesday: the same two steps
    let close = json!({"location_id": 1, "service": "legal_consultation", "date": "2026-12-08", "note": "业务培训"});
    let (s, body) = head.post("/api/v1/staff/closures", &close).await;
    assert_eq!(s, 409, "{body}");
    assert_eq!(body["displaced"][0]["code"], tuesday.as_str());
    let mut confirmed = close.clone();
    confirmed["confirm"] = json!(true);
    let (s, _) = head.post("/api/v1/staff/closures", &confirmed).await;
    assert_eq!(s, 200);
    assert_eq!(
        app.booking_state(&tuesday, "13910000003").await,
        "cancelled"
    );
}

//! Ratings through the API: a finished visit is rated once (walk-ins by their ticket's code,
//! bookings by code and phone); each refusal has its status; a poor rating opens a follow-up
//! the place's head calls back and closes, flagged when overdue, audited; psychology ratings
//! are seen only by counsellors.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::{item, spawn_app, Client, TestApp};
use serde_json::{json, Value};

const PLACE: i64 = 1;
const MONDAY_9: &str = "2026-12-07T09:00:00+08:00";
const MONDAY_930: &str = "2026-12-07T09:30:00+08:00";

/// 09:30 on Monday 7 December 2026, Shanghai.
fn monday_930() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 1, 30, 0).unwrap()
}

/// A walk-in at `place` for `service`, called and served by `desk` (not finished); its id.
async fn serving_walk_in(desk: &Client, place: i64, service: &str) -> i64 {
    let (s, walk) = desk.walk_in(place, service).await;
    assert_eq!(s, 201, "{walk}");
    let (s, called) = desk.call_next(place, None).await;
    assert_eq!(s, 200, "{called}");
    assert_eq!(called["id"], walk["id"]);
    let id = walk["id"].as_i64().unwrap();
    let (s, body) = desk.queue_step(id, "serve", &json!({})).await;
    assert_eq!(s, 200, "{body}");
    id
}

async fn finish(desk: &Client, id: i64) {
    let (s, body) = desk
        .queue_step(id, "finish", &json!({"outcome": "advice_given"}))
        .await;
    assert_eq!(s, 200, "{body}");
}

/// The rating code on a walk-in's ticket, as its desk prints it.
async fn ticket_code(desk: &Client, id: i64) -> String {
    let (s, t) = desk
        .get(&format!("/api/v1/staff/walk-ins/{id}/ticket"))
        .await;
    assert_eq!(s, 200, "{t}");
    let code = t["rating_code"].as_str().unwrap().to_string();
    assert!(
        t["rating_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/rate/{code}")),
        "{t}"
    );
    code
}

async fn rate(c: &Client, body: Value) -> (u16, Value) {
    c.post("/api/v1/ratings", &body).await
}

async fn follow_ups(c: &Client, query: &str) -> (u16, Value) {
    c.get(&format!("/api/v1/staff/follow-ups{query}")).await
}

async fn follow_up_step(c: &Client, id: i64, step: &str, body: Value) -> (u16, Value) {
    c.post(&format!("/api/v1/staff/follow-ups/{id}/{step}"), &body)
        .await
}

#[tokio::test]
async fn a_walk_in_rated_poorly_from_its_ticket_is_called_back_and_closed_by_the_head() {
    let app = spawn_app().await;
    app.set_now(monday_930());
    let clerk = app.signed_in("o1-clerk").await;
    let id = serving_walk_in(&clerk, PLACE, "legal_consultation").await;
    let code = ticket_code(&clerk, id).await;
    let resident = app.client();

    // not finished yet
    let (s, body) = rate(&resident, json!({"code": code, "level": "satisfied"})).await;
    assert_eq!(s, 409, "{body}");
    finish(&clerk, id).await;

    // a poor rating needs a reason; every field is checked
    let (s, body) = rate(&resident, json!({"code": code, "level": "dissatisfied"})).await;
    assert_eq!(
        (s, body["field"].as_str()),
        (422, Some("reasons")),
        "{body}"
    );
    let (s, body) = rate(&resident, json!({"code": code, "level": "so-so"})).await;
    assert_eq!((s, body["field"].as_str()), (422, Some("level")), "{body}");
    let (s, body) = rate(
        &resident,
        json!({"code": code, "level": "dissatisfied", "reasons": ["rudeness"]}),
    )
    .await;
    assert_eq!(
        (s, body["field"].as_str()),
        (422, Some("reasons")),
        "{body}"
    );
    let long = "长".repeat(201);
    let (s, body) = rate(
        &resident,
        json!({"code": code, "level": "satisfied", "comment": long}),
    )
    .await;
    assert_eq!(
        (s, body["field"].as_str()),
        (422, Some("comment")),
        "{body}"
    );

    // a ticket code with another tag, or another entry's number, finds nothing
    let forged = format!(
        "{}{}",
        &code[..code.len() - 1],
        if code.ends_with('2') { '3' } else { '2' }
    );
    let (s, _) = rate(&resident, json!({"code": forged, "level": "satisfied"})).await;
    assert_eq!(s, 404);
    let (s, _) = rate(
        &resident,
        json!({"code": format!("W{}-{}", id + 1, &code[code.len() - 8..]), "level": "satisfied"}),
    )
    .await;
    assert_eq!(s, 404);

    let (s, rated) = rate(
        &resident,
        json!({"code": code, "level": "dissatisfied", "reasons": ["waiting_time"],
               "comment": "等了很久"}),
    )
    .await;
    assert_eq!(s, 201, "{rated}");
    assert_eq!(rated["kind"], "walk_in");
    assert_eq!(rated["level"], "dissatisfied");
    assert_eq!(rated["reasons"], json!(["waiting_time"]));
    // rated on Monday: Tuesday, Wednesday, Thursday are the three working days
    assert_eq!(rated["follow_up_due"], "2026-12-10");
    let (s, body) = rate(&resident, json!({"code": code, "level": "very_satisfied"})).await;
    assert_eq!(s, 409, "rated once: {body}");

    // the head of the office sees it; a clerk sees it but may not act; another office not
    let head = app.signed_in("o1-head").await;
    let (s, list) = follow_ups(&head, "?location_id=1").await;
    assert_eq!(s, 200, "{list}");
    let rating_id = rated["id"].as_i64().unwrap();
    let f = item(&list, "rating_id", rating_id);
    assert_eq!(f["state"], "open");
    assert_eq!(f["level"], "dissatisfied");
    assert_eq!(f["comment"], "等了很久");
    assert_eq!(f["due"], "2026-12-10");
    assert_eq!(
        (f["overdue"].as_bool(), f["may_act"].as_bool()),
        (Some(false), Some(true))
    );
    let (_, list) = follow_ups(&clerk, "?location_id=1").await;
    assert_eq!(item(&list, "rating_id", rating_id)["may_act"], false);
    let (s, _) = follow_up_step(&clerk, rating_id, "call", json!({"said": "已致歉"})).await;
    assert_eq!(s, 403);
    let other = app.signed_in("o2-head").await;
    let (s, _) = follow_ups(&other, "?location_id=1").await;
    assert_eq!(s, 403);

    // Friday: overdue, and the district sees it among all open items
    app.set_now(Utc.with_ymd_and_hms(2026, 12, 11, 1, 0, 0).unwrap());
    let district = app.signed_in("district").await;
    let (s, open) = follow_ups(&district, "").await;
    assert_eq!(s, 200, "{open}");
    assert_eq!(item(&open, "rating_id", rating_id)["overdue"], true);

    // steps in order, each note required
    let (s, body) = follow_up_step(&head, rating_id, "close", json!({"changed": "增加窗口"})).await;
    assert_eq!(s, 409, "not called back yet: {body}");
    let (s, body) = follow_up_step(&head, rating_id, "call", json!({"said": "  "})).await;
    assert_eq!((s, body["field"].as_str()), (422, Some("said")), "{body}");
    let (s, called) = follow_up_step(
        &head,
        rating_id,
        "call",
        json!({"said": "当事人反映排队太久，已致歉"}),
    )
    .await;
    assert_eq!(
        (s, called["state"].as_str()),
        (200, Some("called")),
        "{called}"
    );
    let (s, _) = follow_up_step(&head, rating_id, "call", json!({"said": "again"})).await;
    assert_eq!(s, 409);
    let (s, closed) = follow_up_step(
        &head,
        rating_id,
        "close",
        json!({"changed": "高峰时段增开一个窗口"}),
    )
    .await;
    assert_eq!(s, 200, "{closed}");
    assert_eq!(closed["state"], "closed");
    assert_eq!(closed["said"], "当事人反映排队太久，已致歉");
    assert_eq!(closed["changed"], "高峰时段增开一个窗口");
    assert_eq!(
        closed["closed_on_time"], false,
        "closed on Friday, due Thursday"
    );
    let (_, open) = follow_ups(&district, "").await;
    assert!(
        open.as_array()
            .unwrap()
            .iter()
            .all(|f| f["rating_id"] != rating_id),
        "closed items leave the open list: {open}"
    );
    let (_, all) = follow_ups(&head, "?location_id=1&all=true").await;
    assert_eq!(item(&all, "rating_id", rating_id)["state"], "closed");

    // both steps are audited, without the notes
    let (s, log) = app
        .signed_in("auditor")
        .await
        .get("/api/v1/staff/audit")
        .await;
    assert_eq!(s, 200);
    let text = log.to_string();
    assert!(
        text.contains("follow_up.call") && text.contains("follow_up.close"),
        "{text}"
    );
    assert!(!text.contains("已致歉"), "notes stay out of the audit log");
}

/// Has booking `code` at place 1 checked in, served and finished by o1-clerk at 09:30.
async fn serve_booking(app: &TestApp, code: &str) {
    let clerk = app.signed_in("o1-clerk").await;
    app.set_now(monday_930());
    let (s, entry) = clerk.check_in(code).await;
    assert_eq!(s, 200, "{entry}");
    let id = entry["id"].as_i64().unwrap();
    let (s, called) = clerk.call_next(PLACE, None).await;
    assert_eq!((s, &called["id"]), (200, &entry["id"]), "{called}");
    clerk.queue_step(id, "serve", &json!({})).await;
    finish(&clerk, id).await;
}

#[tokio::test]
async fn a_booking_is_rated_by_code_and_phone_once_within_seven_days() {
    let app = spawn_app().await;
    let phone = "13911112222";
    let code = app.book(PLACE, "legal_consultation", MONDAY_9, phone).await;
    let late = app
        .book(PLACE, "legal_consultation", MONDAY_930, "13955556666")
        .await;
    let not_served = app
        .book(PLACE, "legal_consultation", MONDAY_930, "13933334444")
        .await;
    serve_booking(&app, &code).await;
    serve_booking(&app, &late).await;

    // a text invites the resident to rate, with the link; it never names the service
    let store = app.db.open().await.store();
    let booking = store.booking_by_code(&code).await.unwrap().unwrap();
    let invites: Vec<_> = store
        .notifications_of_booking(booking.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.kind == domain::notify::NoticeKind::RatingInvite)
        .collect();
    assert_eq!(invites.len(), 1, "{invites:?}");
    assert_eq!(invites[0].phone, phone);
    assert!(
        invites[0].body.ends_with(&format!("/rate/{code}")),
        "{}",
        invites[0].body
    );
    assert!(!invites[0].body.contains("法律咨询"), "{}", invites[0].body);
    let c = app.client();
    let good =
        |code: &str, phone: &str| json!({"code": code, "phone": phone, "level": "satisfied"});

    // wrong phone and unknown code: the same 404
    let (s, wrong) = rate(&c, good(&code, "13900000000")).await;
    assert_eq!(s, 404);
    let (s, unknown) = rate(&c, good("K7M2P9XQ4R", phone)).await;
    assert_eq!(s, 404);
    assert_eq!(wrong["message"], unknown["message"]);
    // a booking not (yet) served
    let (s, body) = rate(&c, good(&not_served, "13933334444")).await;
    assert_eq!(s, 409, "{body}");

    // reasons sent with a good level are dropped; no follow-up
    let (s, rated) = rate(
        &c,
        json!({"code": code, "phone": phone, "level": "very_satisfied",
               "reasons": ["attitude"], "comment": "讲得很清楚"}),
    )
    .await;
    assert_eq!(s, 201, "{rated}");
    assert_eq!(rated["kind"], "booking");
    assert_eq!(rated["reasons"], json!([]));
    assert_eq!(rated["follow_up_due"], Value::Null);
    let (s, body) = rate(&c, good(&code, phone)).await;
    assert_eq!(s, 409, "{body}");

    // in English, the refusal says why
    let (s, body) = c
        .http
        .post(format!("{}/api/v1/ratings", c.base))
        .header("Accept-Language", "en")
        .json(&good(&code, phone))
        .send()
        .await
        .map(|r| (r.status().as_u16(), r))
        .unwrap();
    let body: Value = body.json().await.unwrap();
    assert_eq!(s, 409);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("already been rated"),
        "{body}"
    );

    // the other served booking, rated 7 days after it finished: too late
    app.set_now(monday_930() + Duration::days(7) + Duration::minutes(1));
    let (s, body) = rate(&c, good(&late, "13955556666")).await;
    assert_eq!(s, 409, "{body}");
}

#[tokio::test]
async fn psychology_ratings_are_seen_and_followed_up_by_counsellors_only() {
    let app = spawn_app().await;
    app.set_now(monday_930());
    let psy = app.signed_in("psy").await;
    let (_, me) = psy.get("/api/v1/staff/me").await;
    let room = me["location_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("the counsellor's place: {me}"));
    let id = serving_walk_in(&psy, room, "psychology").await;
    finish(&psy, id).await;
    let code = ticket_code(&psy, id).await;
    let (s, rated) = rate(
        &app.client(),
        json!({"code": code, "level": "very_dissatisfied", "reasons": ["environment"],
               "comment": "房间隔音不好"}),
    )
    .await;
    assert_eq!(s, 201, "{rated}");
    let rating_id = rated["id"].as_i64().unwrap();

    let (s, list) = follow_ups(&psy, &format!("?location_id={room}")).await;
    assert_eq!(s, 200, "{list}");
    let f = item(&list, "rating_id", rating_id);
    assert_eq!(f["level"], "very_dissatisfied");
    assert_eq!(f["comment"], "房间隔音不好");
    assert_eq!(f["may_act"], true);

    // the district knows an item is open, but not what the resident said
    let district = app.signed_in("district").await;
    let (_, open) = follow_ups(&district, "").await;
    let f = item(&open, "rating_id", rating_id);
    assert_eq!(f["level"], Value::Null);
    assert_eq!(f["comment"], Value::Null);
    assert_eq!(f["reasons"], json!([]));
    assert_eq!(f["may_act"], false);
    assert!(!open.to_string().contains("隔音"), "{open}");
    let (s, _) = follow_up_step(&district, rating_id, "call", json!({"said": "x"})).await;
    assert_eq!(s, 404);

    let (s, called) = follow_up_step(&psy, rating_id, "call", json!({"said": "已回访"})).await;
    assert_eq!(s, 200, "{called}");
    let (_, open) = follow_ups(&district, "").await;
    assert_eq!(item(&open, "rating_id", rating_id)["said"], Value::Null);
}

#[tokio::test]
async fn a_closed_mediation_case_is_rated_by_its_applicant() {
    let app = spawn_app().await;
    let phone = "13812345678";
    let (s, created) = app
        .client()
        .post(
            "/api/v1/mediation-requests",
            &json!({"applicant_name": "李梅", "applicant_phone": phone,
                "other_party_name": "王强", "dispute_type": "neighbour",
                "account": "楼上卫生间漏水到我家，多次协商未果。", "location_id": 2, "consent": true}),
        )
        .await;
    assert_eq!(s, 201, "{created}");
    let code = created["code"].as_str().unwrap().replace('-', "");
    let c = app.client();
    let poor = json!({"code": code, "phone": phone, "level": "very_dissatisfied",
                      "reasons": ["outcome"]});
    let (s, body) = rate(&c, poor.clone()).await;
    assert_eq!(s, 409, "an open case is not rated yet: {body}");

    let clerk = app.signed_in("o2-clerk").await;
    let (s, body) = clerk
        .post(
            &format!("/api/v1/staff/mediation-cases/{code}/steps"),
            &json!({"action": "refuse", "reason": "属于诉讼程序中的纠纷"}),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let (s, rated) = rate(&c, poor).await;
    assert_eq!(s, 201, "{rated}");
    assert_eq!(
        (rated["kind"].as_str(), rated["service"].as_str()),
        (Some("case"), Some("mediation"))
    );
    // the office's head follows it up
    let (_, list) = follow_ups(&app.signed_in("o2-head").await, "?location_id=2").await;
    assert_eq!(
        item(&list, "rating_id", rated["id"].as_i64().unwrap())["may_act"],
        true
    );
}

#[tokio::test]
async fn the_openapi_document_describes_ratings_and_follow_ups() {
    let app = spawn_app().await;
    let (status, doc) = app.client().get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    let paths = &doc["paths"];
    for code in ["201", "404", "409", "422"] {
        assert!(
            paths["/api/v1/ratings"]["post"]["responses"][code].is_object(),
            "POST /api/v1/ratings answers {code}"
        );
    }
    assert!(paths["/api/v1/staff/follow-ups"]["get"].is_object());
    assert!(paths["/api/v1/staff/follow-ups/{id}/{step}"]["post"].is_object());
    assert!(paths["/api/v1/staff/walk-ins/{id}/ticket"]["get"].is_object());
    let level = doc["components"]["schemas"]["RatingBody"]["properties"]["level"].to_string();
    assert!(level.contains("very_dissatisfied"), "{level}");
}

//! Phone verification through the API (`PORTAL_PHONE_VERIFY=sms`): a code is sent by
//! `POST /api/v1/phone-codes`, a booking, a mediation request or a change without the right
//! code is a 422 on `phone_code`, and a phone that asks for too many codes gets a 429 with
//! `Retry-After`. The test configuration is a demo without a gateway, so the answer carries
//! the code (as the demo page shows it).

mod common;

use backend::verify::VerifyMode;
use chrono::Duration;
use common::{monday_6am, spawn_app_with, Client, TestApp};
use serde_json::{json, Value};

const PHONE: &str = "13812345678";

async fn verifying_app() -> TestApp {
    spawn_app_with(|c| c.phone_verify = VerifyMode::Sms).await
}

/// Asks for a code; its demo copy.
async fn code_for(c: &Client, phone: &str) -> String {
    let (status, body) = c
        .post("/api/v1/phone-codes", &json!({ "phone": phone }))
        .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["phone"], format!("{}****{}", &phone[..3], &phone[7..]));
    body["demo_code"]
        .as_str()
        .expect("a demo shows the code")
        .to_string()
}

async fn first_start(c: &Client) -> String {
    c.slots(1, "legal_consultation").await[0]["start"]
        .as_str()
        .unwrap()
        .to_string()
}

fn booking(start: &str, code: Option<&str>) -> Value {
    let mut b = json!({"location_id": 1, "service": "legal_consultation", "start": start,
        "name": "王芳", "phone": PHONE, "topic": "labour", "consent": true});
    if let Some(code) = code {
        b["phone_code"] = json!(code);
    }
    b
}

/// Any other 6 digits.
fn wrong(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

fn assert_code_refused(status: u16, body: &Value, says: &str) {
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["field"], "phone_code", "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains(says), "{message}");
}

#[tokio::test]
async fn a_booking_needs_the_code_sent_to_its_phone_and_the_code_works_once() {
    let app = verifying_app().await;
    let c = app.client();
    let start = first_start(&c).await;

    let (status, body) = c.post("/api/v1/bookings", &booking(&start, None)).await;
    assert_code_refused(status, &body, "请先获取短信验证码");

    let code = code_for(&c, PHONE).await;
    let (status, body) = c
        .post("/api/v1/bookings", &booking(&start, Some(&wrong(&code))))
        .await;
    assert_code_refused(status, &body, "还可以再试 4 次");
    let (status, body) = c
        .post("/api/v1/bookings", &booking(&start, Some("12a456")))
        .await;
    assert_code_refused(status, &body, "6 位数字");

    let (status, booked) = c
        .post("/api/v1/bookings", &booking(&start, Some(&code)))
        .await;
    assert_eq!(status, 201, "{booked}");
    // used up: the same code does not make a second booking
    let later = c.slots(1, "legal_consultation").await[1]["start"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, body) = c
        .post("/api/v1/bookings", &booking(&later, Some(&code)))
        .await;
    assert_code_refused(status, &body, "请先获取短信验证码");

    // a change needs a fresh code too
    let path = format!(
        "/api/v1/bookings/{}/cancel",
        booked["code"].as_str().unwrap()
    );
    let (status, body) = c.post(&path, &json!({ "phone": PHONE })).await;
    assert_code_refused(status, &body, "请先获取短信验证码");
    let code = code_for(&c, PHONE).await;
    let (status, body) = c
        .post(&path, &json!({ "phone": PHONE, "phone_code": code }))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "cancelled");
}

#[tokio::test]
async fn five_wrong_codes_lock_the_code_and_an_expired_one_is_refused() {
    let app = verifying_app().await;
    let c = app.client();
    let start = first_start(&c).await;
    let code = code_for(&c, PHONE).await;
    for left in (0..5).rev() {
        let (status, body) = c
            .post("/api/v1/bookings", &booking(&start, Some(&wrong(&code))))
            .await;
        let says = if left > 0 {
            format!("还可以再试 {left} 次")
        } else {
            "输错次数过多".to_string()
        };
        assert_code_refused(status, &body, &says);
    }
    // the right code no longer helps
    let (status, body) = c
        .post("/api/v1/bookings", &booking(&start, Some(&code)))
        .await;
    assert_code_refused(status, &body, "输错次数过多");

    let code = code_for(&c, PHONE).await;
    app.set_now(monday_6am() + Duration::minutes(5));
    let (status, body) = c
        .post("/api/v1/bookings", &booking(&start, Some(&code)))
        .await;
    assert_code_refused(status, &body, "已过期");
}

#[tokio::test]
async fn a_phone_gets_five_codes_an_hour_then_429_with_retry_after() {
    let app = verifying_app().await;
    let c = app.client();
    for _ in 0..5 {
        code_for(&c, PHONE).await;
    }
    let r = c
        .http
        .post(format!("{}/api/v1/phone-codes", c.base))
        .json(&json!({ "phone": PHONE }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(retry, 3600, "the oldest code leaves the hour in an hour");
    let body: Value = r.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("60 分钟后再试"),
        "{body}"
    );
    // another phone is not affected, and the hour passes
    code_for(&c, "13912345678").await;
    app.set_now(monday_6am() + Duration::hours(1));
    code_for(&c, PHONE).await;

    let (status, body) = c
        .post("/api/v1/phone-codes", &json!({ "phone": "12345" }))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["field"], "phone");
}

#[tokio::test]
async fn concurrent_requests_cannot_pass_the_cap_together() {
    let app = verifying_app().await;
    let http = reqwest::Client::new();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (http, url) = (http.clone(), format!("{}/api/v1/phone-codes", app.base));
            tokio::spawn(async move {
                let r = http.post(url).json(&json!({ "phone": PHONE })).send();
                r.await.unwrap().status().as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [[202; 5].as_slice(), &[429; 15]].concat());
}

#[tokio::test]
async fn a_mediation_request_needs_the_applicants_code() {
    let app = verifying_app().await;
    let c = app.client();
    let mut request = json!({
        "applicant_name": "李梅", "applicant_phone": PHONE, "other_party_name": "王强",
        "relation": "楼上邻居", "dispute_type": "neighbour",
        "account": "楼上卫生间漏水到我家，多次协商未果，希望对方维修并赔偿损失。",
        "location_id": 2, "consent": true
    });
    let (status, body) = c.post("/api/v1/mediation-requests", &request).await;
    assert_code_refused(status, &body, "请先获取短信验证码");
    request["phone_code"] = json!(code_for(&c, PHONE).await);
    let (status, body) = c.post("/api/v1/mediation-requests", &request).await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn the_store_keeps_a_keyed_digest_not_the_digits() {
    let app = verifying_app().await;
    let code = code_for(&app.client(), PHONE).await;
    let store = app.db.open().await.store();
    let live = store.phone_challenge(PHONE).await.unwrap().unwrap();
    assert_eq!(live.challenge.secret.len(), 32);
    assert!(!live
        .challenge
        .secret
        .windows(6)
        .any(|w| w == code.as_bytes()));
}

#[tokio::test]
async fn english_visitors_are_refused_in_english() {
    let app = verifying_app().await;
    let c = app.client();
    let start = first_start(&c).await;
    let r = c
        .http
        .post(format!("{}/api/v1/bookings", c.base))
        .header("accept-language", "en-GB,en;q=0.9")
        .json(&booking(&start, None))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["field"], "phone_code");
    assert_eq!(
        body["message"],
        "Please ask for a code by text message first"
    );
}

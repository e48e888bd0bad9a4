//! Every refusal reaches a person in their language, with the same words at both front doors:
//! the REST API and the server function of the page that shows it.

mod common;

use axum::response::IntoResponse;
use backend::testing::{every_refusal, has_han};
use backend::ErrorKind;
use common::{monday_6am, spawn_app, Client, TestApp};
use domain::Lang;
use leptos::server_fn::ServerFn;
use reqwest::header::{ACCEPT, ACCEPT_LANGUAGE, CONTENT_TYPE, ORIGIN};
use serde_json::{json, Value};
use server::api::error::{status_of, ApiError};

const LANGS: [Lang; 2] = [Lang::ZhCn, Lang::En];

/// The REST answer of an error: its status and its body.
async fn rest_answer(e: ApiError) -> (u16, Value) {
    let response = e.into_response();
    let status = response.status().as_u16();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, serde_json::from_slice(&body).unwrap())
}

/// Each refusal every use case can make, in each language, says the same through the REST
/// conversion and the server functions' one: English without Chinese, and the field at
/// fault named (in the answer's `field`) whenever there is one.
#[tokio::test]
async fn every_refusal_of_every_use_case_reads_the_same_at_both_doors() {
    for e in every_refusal() {
        for lang in LANGS {
            let (status, body) = rest_answer(ApiError::from_use_case(e.as_ref(), lang)).await;
            let page = app::api::common::AppError::in_lang(e.as_ref(), lang);
            let kind = e.kind();
            assert_eq!(page.kind, kind);
            assert_eq!(status, status_of(kind).0.as_u16(), "{e:?}");
            assert_eq!(body["error"], status_of(kind).1, "{e:?}");
            assert_eq!(body["message"], page.message.as_str(), "{e:?} in {lang:?}");
            assert_eq!(body["field"].as_str(), page.field.as_deref(), "{e:?}");
            assert_eq!(page.shown(), page.message, "a refusal is shown as it is");
            match lang {
                Lang::En => assert!(!has_han(&page.message), "{e:?}: {}", page.message),
                Lang::ZhCn => assert!(has_han(&page.message), "{e:?}: {}", page.message),
            }
            if kind == ErrorKind::Invalid {
                assert!(
                    page.field.as_deref().is_some_and(|f| !f.is_empty()),
                    "{e:?}"
                );
            } else {
                assert_eq!(body.get("field"), None, "{e:?}");
            }
        }
    }
}

const MONDAY_9: &str = "2026-12-07T09:00:00+08:00";

/// A REST call in `lang`: a GET without a body, else a POST of it.
async fn rest(c: &Client, lang: Lang, path: &str, body: Option<&Value>) -> (u16, Value) {
    let url = format!("{}{path}", c.base);
    let request = match body {
        None => c.http.get(url),
        Some(body) => c.http.post(url).json(body),
    };
    let r = request
        .header(ACCEPT_LANGUAGE, lang.tag())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// A server function called as a hydrated page calls it, in `lang`.
async fn server_fn(c: &Client, lang: Lang, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let r = c
        .http
        .post(format!("{}{path}", c.base))
        .header(ACCEPT_LANGUAGE, lang.tag())
        .header(ACCEPT, "application/json")
        .header(ORIGIN, c.base.as_str())
        .form(form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let postcard = r
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/x-postcard"));
    let body = r.bytes().await.unwrap();
    // the booking flow's functions answer in postcard (a lighter bundle); their answers are
    // `FormOutcome`s, read here into the JSON shape the other functions answer in
    let answer = if postcard {
        let outcome: app::model::FormOutcome = postcard::from_bytes(&body).unwrap();
        serde_json::to_value(outcome).unwrap()
    } else {
        serde_json::from_slice(&body).unwrap_or(Value::Null)
    };
    (status, answer)
}

/// What a page shows of a server function's answer: the rejected form's lines (field,
/// message), or the error's kind, field and words.
fn shown(answer: &Value) -> (Option<String>, Vec<(Option<String>, String)>) {
    if let Some(r) = answer.get("Rejected") {
        let mut lines: Vec<(Option<String>, String)> = r["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    Some(e["field"].as_str().unwrap().to_string()),
                    e["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        if let Some(m) = r["refusal"].as_str() {
            lines.push((None, m.to_string()));
        }
        (None, lines)
    } else {
        let kind = answer["kind"].as_str().map(String::from);
        let line = (
            answer["field"].as_str().map(String::from),
            answer["message"].as_str().unwrap_or_default().to_string(),
        );
        (kind, vec![line])
    }
}

/// One refusal as both doors give it.
struct Case {
    what: &'static str,
    status: u16,
    field: Option<&'static str>,
    rest: (u16, Value),
    page: (u16, Value),
}

fn check(case: &Case, lang: Lang) {
    let Case {
        what,
        status,
        field,
        rest,
        page,
    } = case;
    assert_eq!(rest.0, *status, "{what} REST in {lang:?}: {}", rest.1);
    assert_eq!(
        rest.1["field"].as_str(),
        *field,
        "{what} REST in {lang:?}: {}",
        rest.1
    );
    let rest_words = rest.1["message"].as_str().unwrap();
    let (kind, lines) = shown(&page.1);
    assert!(!lines.is_empty(), "{what} page in {lang:?}: {}", page.1);
    assert_ne!(kind.as_deref(), Some("Internal"), "{what}: {}", page.1);
    // the page shows the REST answer's words (a page may add a field's label before them)
    assert!(
        lines
            .iter()
            .any(|(f, m)| m.ends_with(rest_words) && (field.is_none() || f.as_deref() == *field)),
        "{what} in {lang:?}: REST says {rest_words:?}, the page {lines:?}"
    );
    for words in lines.iter().map(|(_, m)| m.as_str()).chain([rest_words]) {
        match lang {
            Lang::En => assert!(!has_han(words), "{what}: {words}"),
            Lang::ZhCn => assert!(has_han(words), "{what}: {words}"),
        }
    }
}

/// One refusal to make at both doors: by whom, the REST call (its path, and its body for a
/// POST) and the server function's path and form.
struct Attempt<'a> {
    what: &'static str,
    status: u16,
    field: Option<&'static str>,
    by: &'a Client,
    rest: (String, Option<Value>),
    page: (&'static str, Vec<(&'static str, &'a str)>),
}

async fn cases(app: &TestApp, lang: Lang, code: &str) -> Vec<Case> {
    let resident = app.client();
    let clerk = app.signed_in("o1-clerk").await;
    let district = app.signed_in("district").await;
    let account = "楼上卫生间漏水到我家，多次协商未果，希望对方维修并赔偿损失。";
    let attempts = [
        // bookings: a wrong field, an unknown code
        Attempt {
            what: "booking with a wrong phone",
            status: 422,
            field: Some("phone"),
            by: &resident,
            rest: (
                "/api/v1/bookings".into(),
                Some(json!({"location_id": 1, "service": "legal_consultation",
                    "start": MONDAY_9, "name": "测试居民", "phone": "123", "topic": "labour",
                    "consent": true})),
            ),
            page: (
                app::api::bookings::BookSlot::PATH,
                vec![
                    ("location_id", "1"),
                    ("service", "legal_consultation"),
                    ("start", MONDAY_9),
                    ("name", "测试居民"),
                    ("phone", "123"),
                    ("topic", "labour"),
                    ("consent", "on"),
                ],
            ),
        },
        Attempt {
            what: "look-up with the wrong phone",
            status: 404,
            field: None,
            by: &resident,
            rest: (
                format!("/api/v1/bookings/{code}/lookup"),
                Some(json!({"phone": "13900000000"})),
            ),
            page: (
                app::api::bookings::OpenBooking::PATH,
                vec![("code", code), ("phone", "13900000000")],
            ),
        },
        // staff accounts: wrong password, a password too short
        Attempt {
            what: "sign-in with a wrong password",
            status: 401,
            field: None,
            by: &resident,
            rest: (
                "/api/v1/staff/login".into(),
                Some(json!({"username": "nobody", "password": "wrong-one"})),
            ),
            page: (
                app::api::staff::StaffLogin::PATH,
                vec![("username", "nobody"), ("password", "wrong-one")],
            ),
        },
        Attempt {
            what: "a new password too short",
            status: 422,
            field: Some("password"),
            by: &clerk,
            rest: (
                "/api/v1/staff/password".into(),
                Some(json!({"old_password": "demo1234", "new_password": "short"})),
            ),
            page: (
                app::api::staff::StaffChangePassword::PATH,
                vec![
                    ("old_password", "demo1234"),
                    ("new_password", "short"),
                    ("repeat_password", "short"),
                ],
            ),
        },
        // the queue: another office's desk, a person already checked in
        Attempt {
            what: "a walk-in at another office",
            status: 403,
            field: None,
            by: &clerk,
            rest: (
                "/api/v1/staff/walk-ins".into(),
                Some(json!({"location_id": 2, "service": "legal_consultation"})),
            ),
            page: (
                app::api::staff::StaffWalkIn::PATH,
                vec![("place", "2"), ("service", "legal_consultation")],
            ),
        },
        Attempt {
            what: "checking in twice",
            status: 409,
            field: None,
            by: &clerk,
            rest: ("/api/v1/staff/check-in".into(), Some(json!({"code": code}))),
            page: (
                app::api::staff::StaffCheckIn::PATH,
                vec![("place", "1"), ("code", code)],
            ),
        },
        // opening hours: a clerk may not see them
        Attempt {
            what: "a clerk's look at the opening hours",
            status: 403,
            field: None,
            by: &clerk,
            rest: ("/api/v1/staff/schedules?location_id=1".into(), None),
            page: (app::api::staff::LoadSchedules::PATH, vec![("place", "1")]),
        },
        // mediation: a wrong field
        Attempt {
            what: "a mediation request with a wrong phone",
            status: 422,
            field: Some("applicant_phone"),
            by: &resident,
            rest: (
                "/api/v1/mediation-requests".into(),
                Some(json!({"applicant_name": "李梅", "applicant_phone": "555",
                    "other_party_name": "王强", "relation": "楼上邻居",
                    "dispute_type": "neighbour", "account": account, "location_id": 2,
                    "consent": true})),
            ),
            page: (
                app::api::mediation::FileMediation::PATH,
                vec![
                    ("applicant_name", "李梅"),
                    ("applicant_phone", "555"),
                    ("other_party_name", "王强"),
                    ("relation", "楼上邻居"),
                    ("dispute_type", "neighbour"),
                    ("account", account),
                    ("location_id", "2"),
                    ("consent", "on"),
                ],
            ),
        },
        // statistics: a period that ends before it starts; a clerk's look at the district
        Attempt {
            what: "statistics over a backwards period",
            status: 422,
            field: Some("to"),
            by: &district,
            rest: (
                "/api/v1/stats?scope=district&from=2026-03-01&to=2026-01-01".into(),
                None,
            ),
            page: (
                app::api::stats::LoadStats::PATH,
                vec![
                    ("scope", "district"),
                    ("from", "2026-03-01"),
                    ("to", "2026-01-01"),
                ],
            ),
        },
        Attempt {
            what: "a clerk's look at the district's statistics",
            status: 403,
            field: None,
            by: &clerk,
            rest: (
                "/api/v1/stats?scope=district&from=2026-01-01&to=2026-03-01".into(),
                None,
            ),
            page: (
                app::api::stats::LoadStats::PATH,
                vec![
                    ("scope", "district"),
                    ("from", "2026-01-01"),
                    ("to", "2026-03-01"),
                ],
            ),
        },
    ];
    let mut out = Vec::new();
    for a in attempts {
        out.push(Case {
            what: a.what,
            status: a.status,
            field: a.field,
            rest: rest(a.by, lang, &a.rest.0, a.rest.1.as_ref()).await,
            page: server_fn(a.by, lang, a.page.0, &a.page.1).await,
        });
    }
    out
}

/// The refusals of each use case, made for real through the REST API and through the server
/// function of the page that shows them, in Chinese and in English.
#[tokio::test]
async fn refusals_reach_people_in_their_language_through_both_doors() {
    let app = spawn_app().await;
    app.set_now(monday_6am());
    let code = app
        .book(1, "legal_consultation", MONDAY_9, "13911112222")
        .await;
    app.set_now(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 7, 0, 50, 0).unwrap());
    let clerk = app.signed_in("o1-clerk").await;
    let (status, body) = clerk
        .post("/api/v1/staff/check-in", &json!({"code": code}))
        .await;
    assert_eq!(status, 200, "{body}");
    for lang in LANGS {
        for case in cases(&app, lang, &code).await {
            check(&case, lang);
        }
    }
}

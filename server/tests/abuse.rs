//! What a hostile visitor can do to the public surface, tried against the real application:
//! every test here failed before the fix it names.

mod common;

use common::spawn_app;
use leptos::server_fn::ServerFn;
use reqwest::header::{
    ACCEPT, ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE,
    LOCATION, ORIGIN, REFERER, SET_COOKIE,
};
use reqwest::redirect::Policy;

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

async fn session_rows(app: &common::TestApp) -> i64 {
    let pool = sqlx::SqlitePool::connect(&app.db.url).await.unwrap();
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tower_sessions")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    n
}

/// A booking look-up form posted as a browser without JavaScript posts it.
fn lookup_form(app: &common::TestApp, code: &str, phone: &str) -> reqwest::RequestBuilder {
    no_redirects()
        .post(format!(
            "{}{}",
            app.base,
            app::api::bookings::OpenBooking::PATH
        ))
        .header(ACCEPT, "text/html")
        .header(ORIGIN, app.base.as_str())
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(format!("code={code}&phone={phone}"))
}

#[tokio::test]
async fn a_refused_anonymous_form_leaves_no_session_behind_and_is_still_shown_back() {
    let app = spawn_app().await;
    let before = session_rows(&app).await;
    let big = "A".repeat(12 * 1024);
    for _ in 0..10 {
        let r = lookup_form(&app, &big, "13800000000").send().await.unwrap();
        assert_eq!(r.status(), 302, "sent back to the look-up form");
        assert_eq!(r.headers()[LOCATION], "/bookings#lookup");
        assert!(
            !r.headers()
                .get_all(SET_COOKIE)
                .iter()
                .any(|c| c.to_str().unwrap().starts_with("portal_session")),
            "no session cookie for a refused anonymous post"
        );
    }
    assert_eq!(
        session_rows(&app).await,
        before,
        "no session row was stored"
    );

    // the refusal and what was typed still reach the page the browser comes back to
    let r = lookup_form(&app, "ABCDE-12345", "13800000000")
        .send()
        .await
        .unwrap();
    let cookies: Vec<String> = r
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_string())
        .filter(|c| !c.ends_with('='))
        .collect();
    assert!(!cookies.is_empty(), "the flash travels in a cookie");
    let page = no_redirects()
        .get(format!("{}/bookings", app.base))
        .header(COOKIE, cookies.join("; "))
        .send()
        .await
        .unwrap();
    let cleared = page
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .any(|c| c.to_str().unwrap().contains("Max-Age=0"));
    let html = page.text().await.unwrap();
    assert!(html.contains("ABCDE-12345"), "the typed code is kept");
    assert!(html.contains("13800000000"), "the typed phone is kept");
    assert!(cleared, "shown once: the page clears the flash cookie");
    assert_eq!(session_rows(&app).await, before);

    // a forged flash cookie shows nothing
    let forged = cookies[0].replacen('=', "=x", 1);
    let html = reqwest::Client::new()
        .get(format!("{}/bookings", app.base))
        .header(COOKIE, forged)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("ABCDE-12345"));
}

#[tokio::test]
async fn bodies_larger_than_any_form_are_refused_with_413_in_the_visitors_language() {
    let app = spawn_app().await;
    let huge = format!(
        r#"{{"location_id":1,"service":"legal_consultation","name":"{}"}}"#,
        "王".repeat(500_000)
    );
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/bookings", app.base))
        .header(CONTENT_TYPE, "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "too_large");
    assert!(body["message"].as_str().unwrap().contains("16 KB"));

    let r = lookup_form(&app, &"A".repeat(100_000), "1")
        .header(ACCEPT_LANGUAGE, "en")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert!(r.text().await.unwrap().contains("too large"));
    assert_eq!(session_rows(&app).await, 0);
}

#[tokio::test]
async fn the_language_switch_only_returns_to_pages_of_the_portal() {
    let app = spawn_app().await;
    for (back, expected) in [
        ("/%09/evil.example", "/"),
        ("/%5C/evil.example", "/"),
        ("//evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/%0d%0aSet-Cookie:%20x=1", "/"),
        ("/places/3%3Fday%3D2026-12-07", "/places/3?day=2026-12-07"),
    ] {
        let r = no_redirects()
            .get(format!("{}/prefs?lang=en&back={back}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{back}");
        assert_eq!(r.headers()[LOCATION], expected, "{back}");
    }
}

#[tokio::test]
async fn a_form_post_that_names_no_site_is_refused() {
    let app = spawn_app().await;
    let post = |origin: Option<&str>, referer: Option<&str>| {
        let mut r = no_redirects()
            .post(format!(
                "{}{}",
                app.base,
                app::api::bookings::OpenBooking::PATH
            ))
            .header(ACCEPT, "text/html")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("code=ABCDE-12345&phone=13800000000");
        if let Some(o) = origin {
            r = r.header(ORIGIN, o);
        }
        if let Some(o) = referer {
            r = r.header(REFERER, o);
        }
        async move { r.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(post(None, None).await, 403, "neither Origin nor Referer");
    assert_eq!(post(Some("https://evil.example"), None).await, 403);
    assert_eq!(post(None, Some("https://evil.example/x")).await, 403);
    let page = format!("{}/bookings", app.base);
    assert_eq!(
        post(None, Some(&page)).await,
        302,
        "a same-site Referer is enough"
    );
    assert_eq!(post(Some(&app.base), None).await, 302);
}

#[tokio::test]
async fn pages_carry_a_script_policy_with_their_nonce_and_personal_answers_are_not_cached() {
    let app = spawn_app().await;
    let r = reqwest::get(format!("{}/offices", app.base)).await.unwrap();
    let csp = r.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(r.headers()[CACHE_CONTROL], "no-store");
    let html = r.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    let scripts = csp.split(';').find(|d| d.contains("script-src")).unwrap();
    assert!(
        !scripts.contains("unsafe-inline"),
        "inline scripts need the nonce: {csp}"
    );
    let scripts = html.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "every script of the page carries the nonce: {html}"
    );
    let other = reqwest::get(format!("{}/offices", app.base)).await.unwrap();
    assert!(
        !other.headers()[CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains(nonce),
        "a new nonce for every page"
    );

    let (_, slots) = app
        .client()
        .get("/api/v1/locations/101/slots?service=legal_consultation&from=2026-12-07&to=2026-12-14")
        .await;
    let start = slots
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["remaining"].as_u64() > Some(0))
        .expect("a free slot")["start"]
        .as_str()
        .unwrap()
        .to_string();
    let code = app
        .book(101, "legal_consultation", &start, "13800000001")
        .await;
    let r = reqwest::Client::new()
        .get(format!("{}/api/v1/bookings/{code}", app.base))
        .header("x-resident-phone", "13800000001")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the phone may come in a header");
    assert_eq!(r.headers()[CACHE_CONTROL], "no-store");
    assert!(r.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .starts_with("default-src 'none'"));
    let (status, b) = app
        .client()
        .on_booking(&code, "lookup", "13800000001")
        .await;
    assert_eq!((status, b["code"].as_str()), (200, Some(code.as_str())));
    let (status, _) = app
        .client()
        .on_booking(&code, "lookup", "13800000002")
        .await;
    assert_eq!(status, 404);
    assert!(
        r.headers().get("strict-transport-security").is_none(),
        "no HSTS over plain HTTP"
    );
}

#[tokio::test]
async fn display_streams_are_capped_per_client_and_refusals_hold_no_place() {
    let app = spawn_app().await;
    let open = |id: i64| {
        let url = format!("{}/api/v1/display/{id}/events", app.base);
        async move { reqwest::get(url).await.unwrap() }
    };
    // unknown places are refused before anything is kept for them
    for _ in 0..50 {
        assert_eq!(open(999_999).await.status(), 404);
    }
    let mut streams = Vec::new();
    for i in 0..backend::boards::MAX_STREAMS_PER_CLIENT {
        let mut s = open(1 + (i as i64 % 2)).await;
        assert_eq!(s.status(), 200, "stream {i}");
        common::event_containing(&mut s, "board", std::time::Duration::from_secs(5)).await;
        streams.push(s);
    }
    let refused = open(1).await;
    assert_eq!(refused.status(), 429, "one client cannot open more");
    // closing streams gives their places back
    streams.truncate(2);
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    let mut again = open(1).await;
    assert_eq!(again.status(), 200);
    common::event_containing(&mut again, "board", std::time::Duration::from_secs(5)).await;
}

//! Language and elderly mode: chosen by the browser or a switch, remembered in cookies, and
//! rendered into the server's first HTML (so pages without JavaScript follow them too).

mod common;

use common::spawn_app;
use reqwest::header::{ACCEPT_LANGUAGE, COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

async fn page(app: &common::TestApp, headers: &[(reqwest::header::HeaderName, &str)]) -> String {
    let mut req = reqwest::Client::new().get(format!("{}/offices", app.base));
    for (k, v) in headers {
        req = req.header(k, *v);
    }
    let resp = req.send().await.unwrap();
    assert_eq!(resp.status(), 200);
    resp.text().await.unwrap()
}

#[tokio::test]
async fn pages_follow_the_browser_language_then_the_remembered_choice() {
    let app = spawn_app().await;
    let zh = page(&app, &[]).await;
    assert!(zh.contains(r#"<html lang="zh-CN""#), "Chinese by default");
    assert!(zh.contains("各街镇司法所"));

    let en = page(&app, &[(ACCEPT_LANGUAGE, "en-GB,en;q=0.9")]).await;
    assert!(en.contains(r#"<html lang="en""#));
    assert!(en.contains("Judicial offices"));
    assert!(
        !en.contains("各街镇司法所"),
        "no Chinese heading on the English page"
    );

    // the remembered choice wins over the browser's language
    let chosen = page(&app, &[(ACCEPT_LANGUAGE, "en"), (COOKIE, "lang=zh-CN")]).await;
    assert!(chosen.contains(r#"<html lang="zh-CN""#));

    let elder = page(&app, &[(COOKIE, "mode=elder")]).await;
    assert!(
        elder.contains(r#"class="elder""#),
        "elderly mode marks the page"
    );
    assert!(elder.contains("退出长辈模式"), "and offers the way back");
    assert!(!zh.contains(r#"class="elder""#));
}

#[tokio::test]
async fn a_switch_remembers_the_choice_and_returns_to_the_page() {
    let app = spawn_app().await;
    let http = no_redirects();
    let r = http
        .get(format!(
            "{}/prefs?lang=en&back=/places/3/book/legal_consultation%3Fday%3D2026-12-08",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()[LOCATION],
        "/places/3/book/legal_consultation?day=2026-12-08"
    );
    let cookie = r.headers()[SET_COOKIE].to_str().unwrap().to_string();
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
    assert!(
        cookie.contains("Max-Age=31536000"),
        "remembered for a year: {cookie}"
    );

    let r = http
        .get(format!("{}/prefs?mode=elder&back=/", app.base))
        .send()
        .await
        .unwrap();
    assert!(r.headers()[SET_COOKIE]
        .to_str()
        .unwrap()
        .starts_with("mode=elder;"));

    // never back to another site
    for back in [
        "//evil.example/",
        "https://evil.example/",
        "/%5Cevil.example",
    ] {
        let r = http
            .get(format!("{}/prefs?lang=zh-CN&back={back}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()[LOCATION], "/", "{back}");
    }

    // an unknown value is refused, naming the field, and sets nothing
    let r = http
        .get(format!("{}/prefs?lang=fr&back=/", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.headers().get(SET_COOKIE).is_none());
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["field"], "lang");
}

//! HTTP API tests: the real router on port 0, each test with its own SQLite file.

use serde_json::Value;
use server::config::Config;
use server::startup::Application;

struct TestApp {
    base: String,
    _dir: tempfile::TempDir,
}

async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("portal.db").display());
    let app = Application::build(Config::for_tests(url))
        .await
        .expect("app starts");
    let base = format!("http://{}", app.addr);
    tokio::spawn(app.run());
    TestApp { base, _dir: dir }
}

async fn get_json(url: &str) -> (u16, Value) {
    let resp = reqwest::get(url).await.unwrap();
    let status = resp.status().as_u16();
    let ct = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert!(
        ct.starts_with("application/json"),
        "{url}: content-type {ct}"
    );
    (status, resp.json().await.unwrap())
}

#[tokio::test]
async fn locations_lists_14_offices_and_263_workrooms_with_services() {
    let app = spawn_app().await;
    let (status, body) = get_json(&format!("{}/api/v1/locations", app.base)).await;
    assert_eq!(status, 200);
    let all = body.as_array().unwrap();
    let offices: Vec<&Value> = all.iter().filter(|l| l["kind"] == "office").collect();
    let workrooms: Vec<&Value> = all.iter().filter(|l| l["kind"] == "workroom").collect();
    assert_eq!(offices.len(), 14);
    assert_eq!(workrooms.len(), 263);
    assert_eq!(all.len(), 277, "nothing but offices and workrooms");
    let office_ids: Vec<i64> = offices.iter().map(|o| o["id"].as_i64().unwrap()).collect();
    for o in &offices {
        assert!(o["office_id"].is_null());
        for key in ["id", "name", "kind", "office_id", "address", "services"] {
            assert!(o.get(key).is_some(), "office lacks {key}");
        }
        let services: Vec<&str> = o["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert!(
            services.contains(&"legal_consultation") && services.contains(&"admin_reconsideration")
        );
    }
    for w in &workrooms {
        let owner = w["office_id"].as_i64().expect("workroom has an office");
        assert!(office_ids.contains(&owner));
        assert!(w["services"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "legal_consultation"));
    }
    let with = |code: &str| {
        all.iter()
            .filter(|l| l["services"].as_array().unwrap().iter().any(|s| s == code))
            .count()
    };
    assert_eq!(with("psychology"), 1);
    assert_eq!(with("notary"), 1);
    assert_eq!(with("ip_mediation"), 6);
    assert_eq!(with("mediation"), 277);
}

#[tokio::test]
async fn one_location_by_id_and_404_for_unknown_ids() {
    let app = spawn_app().await;
    let (status, body) = get_json(&format!("{}/api/v1/locations/101", app.base)).await;
    assert_eq!(status, 200);
    assert_eq!(body["id"], 101);
    assert_eq!(body["kind"], "workroom");
    assert_eq!(body["office_id"], 1);
    for bad in ["999999", "abc", "-1", "1.5", "%E5%B2%AD"] {
        let (status, body) = get_json(&format!("{}/api/v1/locations/{bad}", app.base)).await;
        assert_eq!(status, 404, "{bad}");
        assert_eq!(body["error"], "not_found");
    }
    let (status, _) = get_json(&format!("{}/api/v1/no-such-endpoint", app.base)).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn openapi_document_describes_the_location_endpoints() {
    let app = spawn_app().await;
    let (status, doc) = get_json(&format!("{}/api/v1/openapi.json", app.base)).await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/v1/locations"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/locations/{id}"]["get"]["responses"]["404"].is_object());
    assert!(doc["components"]["schemas"]["LocationJson"].is_object());
}

#[tokio::test]
async fn healthz_reports_ok() {
    let app = spawn_app().await;
    let (status, body) = get_json(&format!("{}/healthz", app.base)).await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn home_page_lists_every_office_without_javascript() {
    let app = spawn_app().await;
    let (_, offices) = get_json(&format!("{}/api/v1/locations", app.base)).await;
    let resp = reqwest::get(format!("{}/", app.base)).await.unwrap();
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("<html lang=\"zh-CN\""));
    for o in offices
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == "office")
    {
        let name = o["name"].as_str().unwrap();
        let link = format!("href=\"/places/{}\"", o["id"]);
        assert!(
            html.contains(name) && html.contains(&link),
            "home page misses {name}"
        );
    }
}

#[tokio::test]
async fn search_works_as_a_plain_form_submit() {
    let app = spawn_app().await;
    let html = reqwest::get(format!(
        "{}/?q=%E5%B2%AD%E5%8D%97%E5%B1%85%E6%B0%91%E5%8C%BA",
        app.base
    )) // q=岭南居民区
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    assert!(
        html.contains("岭南居民区法律服务工作室"),
        "the server renders results for ?q="
    );
    assert!(html.contains("找到 1 个网点"));
}

#[tokio::test]
async fn place_page_shows_hours_and_unknown_place_is_404() {
    let app = spawn_app().await;
    let resp = reqwest::get(format!("{}/places/3", app.base))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("江宁路街道司法所"));
    assert!(html.contains("心理咨询"));
    assert!(
        html.contains("周五 13:30–16:30（仅限青少年）"),
        "youth-only Friday is shown"
    );
    let resp = reqwest::get(format!("{}/places/424242", app.base))
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    assert!(resp.text().await.unwrap().contains("找不到这个页面"));
    let resp = reqwest::get(format!("{}/nowhere", app.base)).await.unwrap();
    assert_eq!(resp.status(), 404);
}

#[tokio::test]
async fn demo_data_is_loaded_once_and_kept_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("portal.db").display());
    for _ in 0..2 {
        let app = Application::build(Config::for_tests(url.clone()))
            .await
            .unwrap();
        let base = format!("http://{}", app.addr);
        let handle = tokio::spawn(app.run());
        let (_, all) = get_json(&format!("{base}/api/v1/locations")).await;
        assert_eq!(all.as_array().unwrap().len(), 277);
        handle.abort();
    }
}

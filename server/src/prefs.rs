//! `GET /prefs?lang=en&back=/page` and `GET /prefs?mode=elder&back=/page`: remembers a display
//! preference in a cookie for a year and sends the browser back to the page it was on. A
//! plain link, so it is one tap from every page and works without JavaScript.

use app::prefs::{parse_mode, safe_back, LANG_COOKIE, MODE_COOKIE};
use axum::extract::Query;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::Lang;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct PrefsQuery {
    lang: Option<String>,
    mode: Option<String>,
    back: Option<String>,
}

const YEAR_SECONDS: u32 = 365 * 24 * 3600;

pub async fn set_prefs(Query(q): Query<PrefsQuery>) -> Response {
    let mut cookies = Vec::new();
    if let Some(tag) = q.lang.as_deref() {
        match Lang::from_tag(tag) {
            Some(lang) => cookies.push(cookie(LANG_COOKIE, lang.tag())),
            None => return refuse("lang", "语言应为 zh-CN 或 en / lang must be zh-CN or en"),
        }
    }
    if let Some(mode) = q.mode.as_deref() {
        match parse_mode(mode) {
            Some(_) => cookies.push(cookie(MODE_COOKIE, mode)),
            None => {
                return refuse(
                    "mode",
                    "模式应为 elder 或 standard / mode must be elder or standard",
                )
            }
        }
    }
    let back = safe_back(q.back.as_deref());
    let mut response = (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, back.to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
    )
        .into_response();
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

fn cookie(name: &str, value: &str) -> String {
    format!("{name}={value}; Path=/; Max-Age={YEAR_SECONDS}; SameSite=Lax")
}

fn refuse(field: &str, message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        // the shape of every API error (see api::error)
        axum::Json(serde_json::json!({ "error": "invalid", "field": field, "message": message })),
    )
        .into_response()
}

//! What every request passes through before any feature sees it: a bound on the body's size,
//! the security headers of every answer, and a last guard that turns a panic into a logged
//! 500 instead of a dropped connection. Refusals made here answer in the visitor's language
//! (their `lang` cookie, else their browser's), as JSON under `/api/` and as text elsewhere.

use app::i18n::{text, Msg};
use app::prefs::Prefs;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::Lang;

/// The largest request body any endpoint takes: the longest form (a mediation request with a
/// 1,000-character account, or a week's schedule) is a few KiB.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// The visitor's language, from the request's headers.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let get = |h: header::HeaderName| headers.get(h).and_then(|v| v.to_str().ok());
    Prefs::from_headers(get(header::COOKIE), get(header::ACCEPT_LANGUAGE)).lang
}

/// A refusal made before any handler ran, in the visitor's language: the API's error shape
/// (`error` is its machine-readable code) under `/api/`, plain text elsewhere.
pub fn refusal(status: StatusCode, error: &'static str, api: bool, message: String) -> Response {
    let mut response = if api {
        let body = crate::api::error::ErrorBody {
            error,
            message,
            field: None,
        };
        (status, axum::Json(body)).into_response()
    } else {
        (status, message).into_response()
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub(crate) fn is_api(req: &Request) -> bool {
    req.uri().path().starts_with("/api/")
}

/// Refuses a body larger than [`MAX_BODY_BYTES`] with `413` before reading it when its length
/// is declared, and stops reading one that grows past it when it is not.
pub async fn bounded_body(req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            is_api(&req),
            text(lang_of(req.headers()), Msg::RequestTooLarge).into(),
        );
    }
    let (parts, body) = req.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, MAX_BODY_BYTES));
    next.run(Request::from_parts(parts, body)).await
}

/// Headers of every answer: nothing that may carry personal data is kept by a browser or a
/// proxy cache (pages and the API; the hashed static files set their own long caching), and
/// on HTTPS the browser is told to come back on HTTPS only.
pub async fn response_headers(secure: bool, req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/pkg/");
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    if !is_static && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if secure {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    // pages set their own policy with the nonce of their scripts (app::shell); data (JSON,
    // QR codes, calendar files) runs no script at all. Public files keep none: the service
    // worker and the offline page (public/) carry their own scripts.
    let data = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            [
                "application/json",
                "image/svg+xml",
                "text/calendar",
                "text/plain",
                "text/csv",
            ]
            .iter()
            .any(|d| t.starts_with(d))
        });
    if data && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(app::csp::NO_SCRIPTS),
        );
    }
    response
}

/// A panic in a handler: logged with its message, answered with a plain 500.
pub fn on_panic(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unknown");
    tracing::error!(panic = detail, "request handler panicked");
    // the request, and so its language, is gone by now: both
    let message = format!(
        "{} / {}",
        text(Lang::ZhCn, Msg::ServerFault),
        text(Lang::En, Msg::ServerFault)
    );
    refusal(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        false,
        message,
    )
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::{get, post};
    use axum::Router;
    use tower::ServiceExt;

    async fn boom() -> &'static str {
        panic!("a bug")
    }

    fn app() -> Router {
        Router::new()
            .route("/boom", get(boom))
            .route(
                "/echo",
                post(|body: axum::body::Bytes| async move { body.len().to_string() }),
            )
            .layer(axum::middleware::from_fn(super::bounded_body))
            .layer(tower_http::catch_panic::CatchPanicLayer::custom(
                super::on_panic,
            ))
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_500_instead_of_dropping_the_connection() {
        let r = app()
            .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[tokio::test]
    async fn a_body_without_a_declared_length_is_cut_off_at_the_limit() {
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
            (0..20).map(|_| Ok(vec![b'x'; 1024])).collect();
        let body = Body::from_stream(futures::stream::iter(chunks));
        let r = app()
            .oneshot(Request::post("/echo").body(body).unwrap())
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let small = app()
            .oneshot(Request::post("/echo").body(Body::from("hello")).unwrap())
            .await
            .unwrap();
        assert_eq!(small.status(), StatusCode::OK);
    }
}

//! Cross-site request forgery: a state-changing request (POST, PUT, PATCH, DELETE) that a
//! browser sends from another site carries that site's `Origin`; such requests are refused.
//! Session cookies are also `SameSite=Lax` and the staff API takes JSON only, so this is the
//! third line, and the one that also covers server-function form posts.

use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn same_origin_only(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    // browsers send Origin on every cross-site POST; clients without it are not browsers
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    let ok = match (origin, host) {
        (None, _) => true,
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host),
        (Some(_), None) => false,
    };
    if ok {
        next.run(req).await
    } else {
        tracing::warn!(origin, "cross-site request refused");
        (StatusCode::FORBIDDEN, "cross-site request refused").into_response()
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::post;
    use axum::Router;
    use tower::ServiceExt;

    async fn status(origin: Option<&str>) -> StatusCode {
        let app = Router::new()
            .route("/x", post(|| async { "ok" }))
            .layer(axum::middleware::from_fn(super::same_origin_only));
        let mut req = Request::post("/x").header("host", "portal.example:3000");
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        app.oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap()
            .status()
    }

    #[tokio::test]
    async fn only_same_origin_posts_pass() {
        assert_eq!(
            status(Some("http://portal.example:3000")).await,
            StatusCode::OK
        );
        assert_eq!(status(None).await, StatusCode::OK);
        assert_eq!(
            status(Some("https://evil.example")).await,
            StatusCode::FORBIDDEN
        );
        assert_eq!(status(Some("null")).await, StatusCode::FORBIDDEN);
    }
}

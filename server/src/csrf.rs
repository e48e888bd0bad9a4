//! Cross-site request forgery: a state-changing request (POST, PUT, PATCH, DELETE) must show
//! it comes from the portal's own pages. Browsers send `Origin` on every POST (and a
//! `Referer`, which the portal's `Referrer-Policy: same-origin` keeps for its own pages);
//! a post whose `Origin`, or failing that `Referer`, names another site, or that names no
//! site at all, is refused. The one exception is JSON sent to the REST API without either
//! header (or with no body type): no page of another site can send `application/json`
//! without the browser asking first (and this server never says yes), and no browser sends
//! a post without `Origin` today, so that is a program (a test, a kiosk), not a forged form. Session cookies are also `SameSite=Lax`: this is the second line.

use crate::hardening::{is_api, lang_of, refusal};
use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// `scheme://host[:port]` names this host.
fn same_site(url: &str, host: &str) -> bool {
    url.split_once("://")
        .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
        .is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

/// Whether a state-changing request may go on.
fn allowed(path: &str, headers: &HeaderMap) -> bool {
    let get = |h: header::HeaderName| headers.get(h).and_then(|v| v.to_str().ok());
    let Some(host) = get(header::HOST) else {
        return false;
    };
    match (get(header::ORIGIN), get(header::REFERER)) {
        (Some(origin), _) => same_site(origin, host),
        (None, Some(referer)) => same_site(referer, host),
        (None, None) => {
            path.starts_with("/api/v1/")
                && get(header::CONTENT_TYPE).is_none_or(|t| t.starts_with("application/json"))
        }
    }
}

pub async fn same_origin_only(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || allowed(req.uri().path(), req.headers())
    {
        return next.run(req).await;
    }
    tracing::warn!(
        path = req.uri().path(),
        "cross-site or unmarked post refused"
    );
    refusal(
        StatusCode::FORBIDDEN,
        "cross_site",
        is_api(&req),
        app::i18n::text(lang_of(req.headers()), app::i18n::Msg::CrossSiteRefused).into(),
    )
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::post;
    use axum::Router;
    use tower::ServiceExt;

    async fn status(path: &str, headers: &[(&str, &str)]) -> StatusCode {
        let app = Router::new()
            .route("/x", post(|| async { "ok" }))
            .route("/api/v1/x", post(|| async { "ok" }))
            .layer(axum::middleware::from_fn(super::same_origin_only));
        let mut req = Request::post(path).header("host", "portal.example:3000");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        app.oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap()
            .status()
    }

    #[tokio::test]
    async fn only_posts_from_this_site_pass() {
        use StatusCode as S;
        let ours = "http://portal.example:3000";
        assert_eq!(status("/x", &[("origin", ours)]).await, S::OK);
        assert_eq!(
            status("/x", &[("referer", "http://portal.example:3000/bookings")]).await,
            S::OK
        );
        assert_eq!(
            status("/x", &[("origin", "https://evil.example")]).await,
            S::FORBIDDEN
        );
        assert_eq!(status("/x", &[("origin", "null")]).await, S::FORBIDDEN);
        assert_eq!(
            status(
                "/x",
                &[("referer", "http://portal.example:3000.evil.example/")]
            )
            .await,
            S::FORBIDDEN
        );
        // no Origin and no Referer: a form post is refused ...
        assert_eq!(status("/x", &[]).await, S::FORBIDDEN);
        assert_eq!(
            status(
                "/api/v1/x",
                &[("content-type", "application/x-www-form-urlencoded")]
            )
            .await,
            S::FORBIDDEN
        );
        // ... JSON to the REST API, which no other site's page can send, is not
        assert_eq!(
            status("/api/v1/x", &[("content-type", "application/json")]).await,
            S::OK
        );
        assert_eq!(
            status("/x", &[("content-type", "application/json")]).await,
            S::FORBIDDEN,
            "server functions are the pages' own: they always come with an Origin"
        );
    }
}

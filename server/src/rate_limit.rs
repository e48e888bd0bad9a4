//! Per-client rate limits on booking creation and code look-ups, so that codes cannot be
//! guessed by brute force and one client cannot grab every slot. Keyed by the peer IP
//! address; `PORTAL_RATE_LIMIT=off` disables them (load tests).

use crate::api::error::ApiError;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::str::FromStr;

/// `N/min`: each client may make N requests at once, refilled evenly over a minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub per_minute: NonZeroU32,
}

impl FromStr for RateLimit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let n = s
            .trim()
            .strip_suffix("/min")
            .and_then(|n| n.trim().parse::<u32>().ok())
            .and_then(NonZeroU32::new)
            .ok_or_else(|| format!("expected \"off\" or a limit such as \"30/min\", got {s:?}"))?;
        Ok(RateLimit { per_minute: n })
    }
}

pub use backend::throttle::Limiter;

pub async fn limit(
    State(limiter): State<Limiter>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Response {
    if limiter.allow(peer.ip()) {
        next.run(req).await
    } else {
        ApiError::too_many_requests().into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_limits() {
        assert_eq!("30/min".parse::<RateLimit>().unwrap().per_minute.get(), 30);
        assert!("0/min".parse::<RateLimit>().is_err());
        assert!("30".parse::<RateLimit>().is_err());
        assert!("lots".parse::<RateLimit>().is_err());
    }
}

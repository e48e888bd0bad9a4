//! Behind a reverse proxy (nginx in front of several instances) every request comes from the
//! proxy's address, so per-client rate limits and the login throttle would lump all
//! residents together. For requests from a trusted proxy (`PORTAL_TRUSTED_PROXIES`), the
//! client is the address the proxy put last in `X-Forwarded-For`; from anyone else the header
//! is ignored, since clients can write it themselves.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub Vec<IpAddr>);

impl std::str::FromStr for TrustedProxies {
    type Err = String;
    /// `127.0.0.1, 10.0.0.5`
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse()
                    .map_err(|_| format!("{p:?} is not an IP address (list them with commas)"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }
}

impl TrustedProxies {
    /// The client a request is from: the peer itself, or, when the peer is a trusted proxy,
    /// the nearest address in `X-Forwarded-For` that is not one of our proxies.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.0.contains(&peer) {
            return peer;
        }
        let hops: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|h| h.trim().parse().ok())
            .collect();
        hops.into_iter()
            .rev()
            .find(|h| !self.0.contains(h))
            .unwrap_or(peer)
    }
}

/// Replaces the connection's peer address with the client's for everything after it.
pub async fn client_address(
    State(trusted): State<Arc<TrustedProxies>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut req: Request,
    next: Next,
) -> Response {
    let client = trusted.client(peer.ip(), req.headers());
    if client != peer.ip() {
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::new(client, peer.port())));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    #[test]
    fn the_client_is_believed_only_through_a_trusted_proxy() {
        let trusted: TrustedProxies = "127.0.0.1, 10.0.0.2".parse().unwrap();
        let nginx: IpAddr = "127.0.0.1".parse().unwrap();
        let resident: IpAddr = "203.0.113.7".parse().unwrap();
        assert_eq!(trusted.client(nginx, &headers(&["203.0.113.7"])), resident);
        // a client's own forged entry comes first; the proxy appends the real one
        assert_eq!(
            trusted.client(nginx, &headers(&["6.6.6.6, 203.0.113.7"])),
            resident
        );
        assert_eq!(
            trusted.client(nginx, &headers(&["203.0.113.7", "10.0.0.2"])),
            resident,
            "our second proxy is skipped"
        );
        assert_eq!(trusted.client(nginx, &headers(&[])), nginx);
        assert_eq!(trusted.client(nginx, &headers(&["garbage"])), nginx);
        // not from a proxy: the header is the client's own claim and is ignored
        let stranger: IpAddr = "198.51.100.1".parse().unwrap();
        assert_eq!(trusted.client(stranger, &headers(&["1.2.3.4"])), stranger);
        assert!("localhost".parse::<TrustedProxies>().is_err());
        assert_eq!(
            "".parse::<TrustedProxies>().unwrap(),
            TrustedProxies(vec![])
        );
    }
}

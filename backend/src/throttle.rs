//! Per-client throttling of booking creation and code look-ups, so that codes cannot be
//! guessed by brute force and one client cannot grab every slot. Shared by the REST API
//! middleware and the pages' server functions, so both count against the same budget.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct Limiter(Arc<DefaultKeyedRateLimiter<IpAddr>>);

impl Limiter {
    /// Each client may make `per_minute` requests at once, refilled evenly over a minute.
    /// Must be called inside a Tokio runtime (a task forgets idle clients).
    pub fn new(per_minute: NonZeroU32) -> Self {
        let limiter = Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute)));
        // Forget idle clients now and then so the table does not grow without bound.
        let weak = Arc::downgrade(&limiter);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                let Some(l) = weak.upgrade() else { break };
                l.retain_recent();
            }
        });
        Limiter(limiter)
    }

    /// `true` when this client may go on.
    pub fn allow(&self, client: IpAddr) -> bool {
        self.0.check_key(&client).is_ok()
    }
}

/// The limiter in use, or none when limits are off (`PORTAL_RATE_LIMIT=off`).
#[derive(Clone, Default)]
pub struct Throttle(pub Option<Limiter>);

impl Throttle {
    pub fn allow(&self, client: IpAddr) -> bool {
        self.0.as_ref().is_none_or(|l| l.allow(client))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_client_over_its_budget_is_refused_and_others_are_not() {
        let t = Throttle(Some(Limiter::new(NonZeroU32::new(3).unwrap())));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!((0..3).all(|_| t.allow(a)));
        assert!(!t.allow(a));
        assert!(t.allow(b));
        assert!(Throttle(None).allow(a));
    }
}

/// Sign-in attempts: limited per client address and per username, so neither one machine nor
/// a botnet aimed at one account can guess passwords quickly.
#[derive(Clone)]
pub struct LoginThrottle {
    by_client: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    by_name: Arc<DefaultKeyedRateLimiter<String>>,
}

impl LoginThrottle {
    /// `per_client` attempts a minute from one address (an office may share one), and
    /// `per_name` for one username.
    pub fn new(per_client: NonZeroU32, per_name: NonZeroU32) -> Self {
        LoginThrottle {
            by_client: Arc::new(RateLimiter::keyed(Quota::per_minute(per_client))),
            by_name: Arc::new(RateLimiter::keyed(Quota::per_minute(per_name))),
        }
    }

    pub fn allow(&self, client: IpAddr, username: &str) -> bool {
        let name = username.trim().to_ascii_lowercase();
        // both budgets are spent on every attempt
        let client_ok = self.by_client.check_key(&client).is_ok();
        let name_ok = self.by_name.check_key(&name).is_ok();
        client_ok && name_ok
    }
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle::new(
            NonZeroU32::new(60).expect("non-zero"),
            NonZeroU32::new(10).expect("non-zero"),
        )
    }
}

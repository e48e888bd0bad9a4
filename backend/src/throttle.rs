//! Per-client throttling of booking creation and code look-ups, so that codes cannot be
//! guessed by brute force and one client cannot grab every slot. Shared by the REST API
//! middleware and the pages' server functions, so both count against the same budget.

use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// The key a client is counted under: its IPv4 address, or the /64 network of its IPv6
/// address (one household or phone gets a whole /64 and could otherwise take a fresh
/// budget from each of its 2^64 addresses).
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(Ipv6Addr::from(network))
            }
        },
    }
}

/// Forgets idle keys of `limiter` every minute while it lives (when a runtime is running).
fn prune_every_minute<K>(limiter: &Arc<DefaultKeyedRateLimiter<K>>)
where
    K: std::hash::Hash + Eq + Clone + Send + Sync + 'static,
{
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let weak = Arc::downgrade(limiter);
    runtime.spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            let Some(l) = weak.upgrade() else { break };
            l.retain_recent();
            l.shrink_to_fit();
        }
    });
}

#[derive(Clone)]
pub struct Limiter(Arc<DefaultKeyedRateLimiter<IpAddr>>);

impl Limiter {
    /// Each client may make `per_minute` requests at once, refilled evenly over a minute.
    /// Inside a Tokio runtime a task forgets idle clients.
    pub fn new(per_minute: NonZeroU32) -> Self {
        let limiter = Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute)));
        // Forget idle clients now and then so the table does not grow without bound.
        prune_every_minute(&limiter);
        Limiter(limiter)
    }

    /// `true` when this client may go on.
    pub fn allow(&self, client: IpAddr) -> bool {
        self.0.check_key(&client_key(client)).is_ok()
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

/// Sign-in attempts: limited per client address (IPv6: per /64), per username and overall,
/// so neither one machine, nor a botnet aimed at one account, nor a flood of made-up names
/// can guess passwords quickly or keep the password hasher busy. Usernames are counted only
/// as the parsed, lower-cased name (anything that is not a valid username shares one key),
/// so a request cannot make the table keep an arbitrary string; idle keys are forgotten.
#[derive(Clone)]
pub struct LoginThrottle {
    by_client: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    by_name: Arc<DefaultKeyedRateLimiter<String>>,
    overall: Arc<DefaultDirectRateLimiter>,
}

/// The key every invalid username is counted under.
const NOT_A_USERNAME: &str = "";

impl LoginThrottle {
    /// `per_client` attempts a minute from one address (an office may share one),
    /// `per_name` for one username, and `overall` for everyone together.
    pub fn new(per_client: NonZeroU32, per_name: NonZeroU32, overall: NonZeroU32) -> Self {
        let by_client = Arc::new(RateLimiter::keyed(Quota::per_minute(per_client)));
        let by_name = Arc::new(RateLimiter::keyed(Quota::per_minute(per_name)));
        prune_every_minute(&by_client);
        prune_every_minute(&by_name);
        LoginThrottle {
            by_client,
            by_name,
            overall: Arc::new(RateLimiter::direct(Quota::per_minute(overall))),
        }
    }

    pub fn allow(&self, client: IpAddr, username: &str) -> bool {
        let name = domain::staff::Username::parse(username)
            .map(|u| u.as_str().to_ascii_lowercase())
            .unwrap_or_else(|_| NOT_A_USERNAME.to_string());
        // every budget is spent on every attempt
        let client_ok = self.by_client.check_key(&client_key(client)).is_ok();
        let name_ok = self.by_name.check_key(&name).is_ok();
        client_ok && name_ok && self.overall.check().is_ok()
    }

    /// How many usernames and clients the tables hold now.
    #[cfg(test)]
    fn keys(&self) -> (usize, usize) {
        (self.by_name.len(), self.by_client.len())
    }
}

impl Default for LoginThrottle {
    fn default() -> Self {
        let n = |v| NonZeroU32::new(v).expect("non-zero");
        // a district has a few hundred staff; 600 sign-ins a minute is a busy morning
        LoginThrottle::new(n(60), n(10), n(600))
    }
}

#[cfg(test)]
mod login_tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_counted_per_64_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(other));
        let v4: IpAddr = "203.0.113.7".parse().unwrap();
        let mapped: IpAddr = "::ffff:203.0.113.7".parse().unwrap();
        assert_eq!(client_key(mapped), v4);
        let t = Throttle(Some(Limiter::new(NonZeroU32::new(2).unwrap())));
        assert!(t.allow(a) && t.allow(b));
        assert!(
            !t.allow("2001:db8:1:2:cccc::5".parse().unwrap()),
            "same /64"
        );
        assert!(t.allow(other));
    }

    #[test]
    fn made_up_usernames_share_one_key_and_the_total_is_capped() {
        let n = |v| NonZeroU32::new(v).unwrap();
        let t = LoginThrottle::new(n(1000), n(5), n(50));
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let huge = "x".repeat(2 * 1024 * 1024);
        for i in 0..5 {
            assert!(t.allow(ip, &format!("{huge}{i}")), "attempt {i}");
        }
        assert!(
            !t.allow(ip, &format!("{huge}x")),
            "invalid names share a budget"
        );
        assert_eq!(t.keys().0, 1, "no 2 MB name is kept as a key");
        assert!(t.allow(ip, "O1-Head") && t.allow(ip, "o1-head"));
        assert_eq!(t.keys().0, 2, "a name is counted once, whatever its case");
        let mut allowed = 0;
        for i in 0..100 {
            if t.allow(ip, &format!("user{i}")) {
                allowed += 1;
            }
        }
        assert!(allowed < 50, "the overall cap holds: {allowed}");
    }
}

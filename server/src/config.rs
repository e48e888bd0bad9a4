//! Configuration from environment variables (documented in the README).

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL`, default `sqlite://data/portal.db` (relative to the working directory).
    pub database_url: String,
    /// `DATABASE_MAX_CONNECTIONS`: PostgreSQL connections per instance (default 16).
    pub database_max_connections: u32,
    /// `LEPTOS_SITE_ADDR`, default `127.0.0.1:3000`.
    pub site_addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`, default `target/site`: the built CSS/JS/WASM and public files.
    pub site_root: PathBuf,
    /// `LEPTOS_OUTPUT_NAME`, default `portal`.
    pub output_name: String,
    /// `PORTAL_DEMO=1`: load the built-in demo district into an empty database at start-up.
    pub demo: bool,
    /// `PORTAL_DISTRICT_FILE`: a district data file to load into an empty database instead.
    pub district_file: Option<PathBuf>,
    /// `PORTAL_RATE_LIMIT`: `off`, or per-client limit on booking and look-up requests,
    /// e.g. `30/min` (the default).
    pub rate_limit: Option<crate::rate_limit::RateLimit>,
    /// `PORTAL_NO_SHOW_GRACE`: minutes after a slot's start before a booked resident who has
    /// not checked in counts as not come (default 15).
    pub no_show_grace_minutes: u32,
    /// `PORTAL_MEDIATION_DEADLINE_DAYS`: days a mediation case may stay open before it is
    /// flagged as overdue (default 30).
    pub mediation_deadline_days: i64,
    /// `PORTAL_RETENTION_DAYS`: days after a visit, a case's closing or a message before the
    /// resident's name, phone number and texts are anonymised (default 365).
    pub retention_days: u32,
    /// How often the no-show rule runs (60 s; tests run it every second).
    pub no_show_check_every: std::time::Duration,
    /// `PORTAL_SMS_WEBHOOK`: URL of an SMS gateway that takes `{"phone","message"}` JSON
    /// posts; without it messages are only recorded (database and log).
    pub sms_webhook: Option<String>,
    /// `PORTAL_PHONE_VERIFY`: `sms` (default) asks residents for a code sent to their phone
    /// before a booking, a mediation request or a change; `off` does not.
    pub phone_verify: backend::verify::VerifyMode,
    /// `PORTAL_WAITLIST_HOLD_MINUTES`: how long a seat offered from the waiting list is held
    /// for the resident it is offered to (default 30).
    pub waitlist_hold_minutes: i64,
    /// How often held seats whose time is up pass to the next in line.
    pub waitlist_sweep_every: std::time::Duration,
    /// `PORTAL_PUBLIC_URL`: the portal's address as residents reach it, for links in text
    /// messages (default `http://` + `LEPTOS_SITE_ADDR`).
    pub public_url: String,
    /// `PORTAL_FAKE_NOW`: start the clock at this instant (RFC 3339) and let it run from
    /// there; demo mode only, for demonstrations and browser tests on a fixed working day.
    pub fake_now: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// `PORTAL_TRUSTED_PROXIES`: addresses of reverse proxies (e.g. `127.0.0.1`) whose
    /// `X-Forwarded-For` names the client; empty by default (the peer is the client).
    pub trusted_proxies: crate::proxy::TrustedProxies,
    /// `PORTAL_SECURE_COOKIES=1`: mark session cookies Secure (set it when served over HTTPS).
    pub secure_cookies: bool,
    /// `PORTAL_STAFF_IDLE_MINUTES` (default 30) and `PORTAL_STAFF_MAX_HOURS` (default 12):
    /// a staff session ends after that long without a request, and that long after sign-in.
    pub staff_sessions: domain::staff::SessionLimits,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{var}: {message}")]
    Invalid { var: &'static str, message: String },
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn flag(name: &'static str) -> Result<bool, ConfigError> {
    match var(name).as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("0") | Some("false") | Some("off") | Some("no") => Ok(false),
        Some("1") | Some("true") | Some("on") | Some("yes") => Ok(true),
        Some(other) => Err(ConfigError::Invalid {
            var: name,
            message: format!("expected 1 or 0, got {other:?}"),
        }),
    }
}

/// A whole number in `range`, or `default` when unset.
fn number_in(
    name: &'static str,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
    unit: &str,
) -> Result<i64, ConfigError> {
    match var(name) {
        None => Ok(default),
        Some(v) => match v.trim().parse() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(ConfigError::Invalid {
                var: name,
                message: format!(
                    "expected {unit} ({}–{}), e.g. {default}, got {v:?}",
                    range.start(),
                    range.end()
                ),
            }),
        },
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let site_addr = var("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        Ok(Config {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/portal.db".into()),
            database_max_connections: match var("DATABASE_MAX_CONNECTIONS") {
                None => backend::store::PG_DEFAULT_CONNECTIONS,
                Some(v) => match v.trim().parse() {
                    Ok(n) if (1..=1000).contains(&n) => n,
                    _ => {
                        return Err(ConfigError::Invalid {
                            var: "DATABASE_MAX_CONNECTIONS",
                            message: format!(
                                "expected a number of connections (1–1000), got {v:?}"
                            ),
                        })
                    }
                },
            },
            site_addr: site_addr.parse().map_err(|e| ConfigError::Invalid {
                var: "LEPTOS_SITE_ADDR",
                message: format!("{site_addr:?} is not host:port ({e})"),
            })?,
            site_root: var("LEPTOS_SITE_ROOT")
                .unwrap_or_else(|| "target/site".into())
                .into(),
            output_name: var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|| "portal".into()),
            demo: flag("PORTAL_DEMO")?,
            secure_cookies: flag("PORTAL_SECURE_COOKIES")?,
            staff_sessions: domain::staff::SessionLimits {
                idle: chrono::Duration::minutes(number_in(
                    "PORTAL_STAFF_IDLE_MINUTES",
                    30,
                    1..=24 * 60,
                    "minutes",
                )?),
                absolute: chrono::Duration::hours(number_in(
                    "PORTAL_STAFF_MAX_HOURS",
                    12,
                    1..=24 * 7,
                    "hours",
                )?),
            },
            trusted_proxies: var("PORTAL_TRUSTED_PROXIES")
                .unwrap_or_default()
                .parse()
                .map_err(|message| ConfigError::Invalid {
                    var: "PORTAL_TRUSTED_PROXIES",
                    message,
                })?,
            sms_webhook: match var("PORTAL_SMS_WEBHOOK") {
                Some(u) if !(u.starts_with("http://") || u.starts_with("https://")) => {
                    return Err(ConfigError::Invalid {
                        var: "PORTAL_SMS_WEBHOOK",
                        message: format!("expected an http(s) URL, got {u:?}"),
                    })
                }
                other => other,
            },
            phone_verify: match var("PORTAL_PHONE_VERIFY") {
                None => backend::verify::VerifyMode::Sms,
                Some(v) => {
                    backend::verify::VerifyMode::parse(&v).ok_or_else(|| ConfigError::Invalid {
                        var: "PORTAL_PHONE_VERIFY",
                        message: format!("expected sms or off, got {v:?}"),
                    })?
                }
            },
            waitlist_hold_minutes: number_in(
                "PORTAL_WAITLIST_HOLD_MINUTES",
                domain::waitlist::DEFAULT_HOLD_MINUTES,
                1..=24 * 60,
                "minutes",
            )?,
            waitlist_sweep_every: std::time::Duration::from_secs(30),
            public_url: match var("PORTAL_PUBLIC_URL") {
                Some(u) if !(u.starts_with("http://") || u.starts_with("https://")) => {
                    return Err(ConfigError::Invalid {
                        var: "PORTAL_PUBLIC_URL",
                        message: format!("expected an http(s) URL, got {u:?}"),
                    })
                }
                Some(u) => u.trim_end_matches('/').to_string(),
                None => format!("http://{site_addr}"),
            },
            fake_now: match var("PORTAL_FAKE_NOW") {
                None => None,
                Some(_) if !flag("PORTAL_DEMO")? => {
                    return Err(ConfigError::Invalid {
                        var: "PORTAL_FAKE_NOW",
                        message: "only allowed together with PORTAL_DEMO=1".into(),
                    })
                }
                Some(v) => Some(chrono::DateTime::parse_from_rfc3339(v.trim()).map_err(|e| {
                    ConfigError::Invalid {
                        var: "PORTAL_FAKE_NOW",
                        message: format!("expected an RFC 3339 time, got {v:?} ({e})"),
                    }
                })?),
            },
            no_show_grace_minutes: match var("PORTAL_NO_SHOW_GRACE") {
                None => 15,
                Some(v) => v.trim().parse().map_err(|_| ConfigError::Invalid {
                    var: "PORTAL_NO_SHOW_GRACE",
                    message: format!("expected minutes, e.g. 15, got {v:?}"),
                })?,
            },
            mediation_deadline_days: match var("PORTAL_MEDIATION_DEADLINE_DAYS") {
                None => domain::mediation::DEFAULT_DEADLINE_DAYS,
                Some(v) => match v.trim().parse() {
                    Ok(days) if (1..=3650).contains(&days) => days,
                    _ => {
                        return Err(ConfigError::Invalid {
                            var: "PORTAL_MEDIATION_DEADLINE_DAYS",
                            message: format!("expected days (1–3650), e.g. 30, got {v:?}"),
                        })
                    }
                },
            },
            retention_days: retention_days(var("PORTAL_RETENTION_DAYS").as_deref())?,
            no_show_check_every: std::time::Duration::from_secs(60),
            district_file: var("PORTAL_DISTRICT_FILE").map(PathBuf::from),
            rate_limit: match var("PORTAL_RATE_LIMIT").as_deref() {
                Some("off") | Some("0") => None,
                None => Some("30/min".parse().expect("valid default")),
                Some(other) => Some(other.parse().map_err(|message| ConfigError::Invalid {
                    var: "PORTAL_RATE_LIMIT",
                    message,
                })?),
            },
        })
    }

    /// A configuration for tests: a given database, port 0, no built site.
    pub fn for_tests(database_url: String) -> Self {
        Config {
            database_url,
            database_max_connections: 8,
            site_addr: "127.0.0.1:0".parse().unwrap(),
            site_root: std::env::temp_dir().join("portal-test-site"),
            output_name: "portal".into(),
            demo: true,
            district_file: None,
            rate_limit: None,
            secure_cookies: false,
            // the tests move the clock by hours within a day; those about session limits
            // set them
            staff_sessions: domain::staff::SessionLimits {
                idle: chrono::Duration::days(7),
                absolute: chrono::Duration::days(30),
            },
            trusted_proxies: Default::default(),
            sms_webhook: None,
            // the tests of phone codes turn it on
            phone_verify: backend::verify::VerifyMode::Off,
            waitlist_hold_minutes: domain::waitlist::DEFAULT_HOLD_MINUTES,
            waitlist_sweep_every: std::time::Duration::from_secs(1),
            public_url: "http://portal.test".into(),
            fake_now: None,
            no_show_grace_minutes: 15,
            mediation_deadline_days: domain::mediation::DEFAULT_DEADLINE_DAYS,
            no_show_check_every: std::time::Duration::from_secs(1),
            retention_days: domain::retention::DEFAULT_RETENTION_DAYS,
        }
    }
}

/// `PORTAL_RETENTION_DAYS`: whole days, 1 to 36,500; the default when unset.
fn retention_days(value: Option<&str>) -> Result<u32, ConfigError> {
    use domain::retention::{DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS};
    let Some(v) = value else {
        return Ok(DEFAULT_RETENTION_DAYS);
    };
    match v.trim().parse() {
        Ok(days) if (1..=MAX_RETENTION_DAYS).contains(&days) => Ok(days),
        _ => Err(ConfigError::Invalid {
            var: "PORTAL_RETENTION_DAYS",
            message: format!(
                "expected days (1–{MAX_RETENTION_DAYS}), e.g. {DEFAULT_RETENTION_DAYS}, got {v:?}"
            ),
        }),
    }
}

#[cfg(test)]
mod retention_tests {
    use super::retention_days;

    #[test]
    fn retention_days_default_to_a_year_and_refuse_bad_values() {
        assert_eq!(retention_days(None).unwrap(), 365);
        assert_eq!(retention_days(Some(" 730 ")).unwrap(), 730);
        assert_eq!(retention_days(Some("1")).unwrap(), 1);
        for bad in ["0", "-30", "abc", "1.5", "365d", "36501", "99999999999"] {
            let e = retention_days(Some(bad)).unwrap_err().to_string();
            assert!(
                e.starts_with("PORTAL_RETENTION_DAYS: expected days"),
                "{bad}: {e}"
            );
        }
    }
}

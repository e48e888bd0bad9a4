//! What the server remembers about one browser, in its server-side session (the cookie holds
//! only a random id): the bookings this device made or looked up, and a rejected form kept
//! for the next page when JavaScript is off (in sealed cookies, not the session). Server only.

use crate::api::common::AppError;
use crate::model::{BookingFlash, MediationFlash, Rejection, WaitlistFlash};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

const MY_BOOKINGS: &str = "my_bookings";
const MY_CASES: &str = "my_cases";
const MY_WAITLIST: &str = "my_waitlist";
/// The signed-in staff member's session ticket (shared with the REST API's sign-in).
pub const STAFF_SESSION: &str = "staff";
/// Enough for any resident; the oldest are forgotten first.
const MAX_REMEMBERED: usize = 20;

/// A rejected form, shown once by the page the browser is sent back to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Flash {
    Booking(BookingFlash),
    Lookup {
        code: String,
        phone: String,
        rejection: Rejection,
    },
    /// A refusal about one booking (cancel, reschedule).
    Notice {
        code: String,
        rejection: Rejection,
    },
    /// A mediation request not accepted, with what was typed.
    Mediation(MediationFlash),
    /// A waiting-list form not accepted, with what was typed.
    Waitlist(WaitlistFlash),
    /// A failed opening of a waiting-list entry by its phone.
    WaitLookup {
        code: String,
        phone: String,
        rejection: Rejection,
    },
    /// A failed look-up of a mediation case.
    CaseLookup {
        code: String,
        phone: String,
        rejection: Rejection,
    },
    /// A rating not accepted, with what was chosen and typed.
    Rating(crate::model::RateFlash),
    /// A failed opening of a rating page by the booking's or case's phone.
    RateLookup {
        code: String,
        phone: String,
        rejection: Rejection,
    },
    /// A schedule change not saved yet (needs confirming, or wrong), with the typed rules.
    Schedule {
        place: i64,
        service: String,
        text: String,
        rejection: Rejection,
    },
}

fn failed(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store");
    AppError::internal()
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "no session layer");
        AppError::internal()
    })
}

/// Codes of the bookings this device holds, newest first.
pub async fn remembered(session: &Session) -> Result<Vec<String>, AppError> {
    codes_under(session, MY_BOOKINGS).await
}

pub async fn holds(session: &Session, code: &str) -> Result<bool, AppError> {
    Ok(remembered(session).await?.iter().any(|c| c == code))
}

/// Remembers a booking on this device (it booked it, or proved it knows code and phone).
pub async fn remember(session: &Session, code: &str) -> Result<(), AppError> {
    keep_code(session, MY_BOOKINGS, code).await
}

/// Codes of the mediation cases this device filed or opened, newest first.
pub async fn remembered_cases(session: &Session) -> Result<Vec<String>, AppError> {
    codes_under(session, MY_CASES).await
}

pub async fn holds_case(session: &Session, code: &str) -> Result<bool, AppError> {
    Ok(remembered_cases(session).await?.iter().any(|c| c == code))
}

pub async fn remember_case(session: &Session, code: &str) -> Result<(), AppError> {
    keep_code(session, MY_CASES, code).await
}

/// Link codes of the waiting-list entries this device joined or opened, newest first.
pub async fn remembered_waits(session: &Session) -> Result<Vec<String>, AppError> {
    codes_under(session, MY_WAITLIST).await
}

pub async fn holds_wait(session: &Session, code: &str) -> Result<bool, AppError> {
    Ok(remembered_waits(session).await?.iter().any(|c| c == code))
}

pub async fn remember_wait(session: &Session, code: &str) -> Result<(), AppError> {
    keep_code(session, MY_WAITLIST, code).await
}

async fn codes_under(session: &Session, key: &str) -> Result<Vec<String>, AppError> {
    Ok(session
        .get::<Vec<String>>(key)
        .await
        .map_err(failed)?
        .unwrap_or_default())
}

async fn keep_code(session: &Session, key: &str, code: &str) -> Result<(), AppError> {
    let mut codes = codes_under(session, key).await?;
    codes.retain(|c| c != code);
    codes.insert(0, code.to_string());
    codes.truncate(MAX_REMEMBERED);
    session.insert(key, codes).await.map_err(failed)
}

/// Cookies that carry a flash: a sealed value split into chunks that each fit a cookie.
const FLASH_COOKIE: &str = "portal_flash";
const FLASH_CHUNK: usize = 3800;
const FLASH_CHUNKS: usize = 3;
/// Long enough to follow a redirect on a slow phone, short enough to be gone afterwards.
const FLASH_SECONDS: i64 = 120;

impl Flash {
    /// The flash with every typed text cut to what its field accepts, so that it fits the
    /// cookies that carry it (a field typed longer than allowed is refused anyway).
    fn clipped(mut self) -> Self {
        use domain::booking::{ACCOUNT_MAX_CHARS, NAME_MAX_CHARS};
        use domain::mediation::{DISPUTE_ACCOUNT_MAX_CHARS, RELATION_MAX_CHARS};
        fn clip(s: &mut String, max: usize) {
            if let Some((i, _)) = s.char_indices().nth(max) {
                s.truncate(i);
            }
        }
        const SHORT: usize = 40;
        match &mut self {
            Flash::Booking(b) => {
                clip(&mut b.start, SHORT);
                clip(&mut b.form.name, NAME_MAX_CHARS);
                clip(&mut b.form.phone, SHORT);
                clip(&mut b.form.topic, SHORT);
                clip(&mut b.form.account, ACCOUNT_MAX_CHARS);
            }
            Flash::Lookup { code, phone, .. } | Flash::CaseLookup { code, phone, .. } => {
                clip(code, SHORT);
                clip(phone, SHORT);
            }
            Flash::Notice { code, .. } => clip(code, 2 * SHORT),
            Flash::Waitlist(w) => {
                let f = &mut w.form;
                for s in [
                    &mut f.from,
                    &mut f.to,
                    &mut f.part_of_day,
                    &mut f.phone,
                    &mut f.topic,
                ] {
                    clip(s, SHORT);
                }
                clip(&mut f.name, NAME_MAX_CHARS);
                clip(&mut f.account, ACCOUNT_MAX_CHARS);
            }
            Flash::WaitLookup { code, phone, .. } | Flash::RateLookup { code, phone, .. } => {
                clip(code, SHORT);
                clip(phone, SHORT);
            }
            Flash::Rating(r) => {
                clip(&mut r.code, SHORT);
                clip(&mut r.form.level, SHORT);
                r.form.reasons.truncate(domain::rating::Reason::ALL.len());
                for reason in &mut r.form.reasons {
                    clip(reason, SHORT);
                }
                clip(&mut r.form.comment, domain::rating::COMMENT_MAX_CHARS);
            }
            Flash::Mediation(m) => {
                let f = &mut m.form;
                clip(&mut f.applicant_name, NAME_MAX_CHARS);
                clip(&mut f.applicant_phone, SHORT);
                clip(&mut f.other_party_name, NAME_MAX_CHARS);
                if let Some(p) = f.other_party_phone.as_mut() {
                    clip(p, SHORT);
                }
                if let Some(r) = f.relation.as_mut() {
                    clip(r, RELATION_MAX_CHARS);
                }
                clip(&mut f.dispute_type, SHORT);
                clip(&mut f.account, DISPUTE_ACCOUNT_MAX_CHARS);
            }
            Flash::Schedule { service, text, .. } => {
                clip(service, SHORT);
                clip(text, 2000);
            }
        }
        self
    }
}

fn sealer() -> Result<backend::seal::Sealer, AppError> {
    crate::api::common::context("sealer")
}

/// Whether cookies this server sets must be `Secure` (`PORTAL_SECURE_COOKIES=1`, behind
/// HTTPS); provided by the server to every page and server function.
#[derive(Debug, Clone, Copy, Default)]
pub struct SecureCookies(pub bool);

/// `; Secure` when the portal is served over HTTPS.
fn secure_attribute() -> &'static str {
    match leptos::prelude::use_context::<SecureCookies>() {
        Some(SecureCookies(true)) => "; Secure",
        _ => "",
    }
}

fn set_cookie(value: String) {
    let value = format!("{value}{}", secure_attribute());
    if let (Some(response), Ok(v)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&value),
    ) {
        response.append_header(http::header::SET_COOKIE, v);
    }
}

/// Keeps a rejected form for the page the browser is sent back to. It travels in short-lived,
/// sealed cookies, never in a session row: a refused anonymous post leaves nothing behind on
/// the server, however often it is sent.
pub async fn save_flash(flash: Flash) -> Result<(), AppError> {
    let json = serde_json::to_vec(&flash.clipped()).map_err(|e| {
        tracing::error!(error = %e, "flash encoding");
        AppError::internal()
    })?;
    let expires = chrono::Utc::now() + chrono::Duration::seconds(FLASH_SECONDS);
    let sealed = sealer()?.seal("flash", &json, expires);
    let chunks: Vec<&str> = sealed
        .as_bytes()
        .chunks(FLASH_CHUNK)
        // the sealed text is ASCII, so byte chunks are whole characters
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    if chunks.len() > FLASH_CHUNKS {
        tracing::warn!(bytes = sealed.len(), "flash too large to keep; dropped");
        return Ok(());
    }
    for i in 0..FLASH_CHUNKS {
        set_cookie(match chunks.get(i) {
            Some(c) => format!(
                "{FLASH_COOKIE}{i}={c}; Path=/; Max-Age={FLASH_SECONDS}; HttpOnly; SameSite=Lax"
            ),
            None => format!("{FLASH_COOKIE}{i}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"),
        });
    }
    Ok(())
}

/// The cookie that remembers the phones this browser proved by code.
const PHONES_COOKIE: &str = "portal_phones";
/// How long a browser stays trusted with a phone it proved.
const PHONES_DAYS: i64 = 30;
/// Phones remembered per browser (a family may share a phone browser); the oldest go first.
const PHONES_MAX: usize = 4;
/// Bytes of each phone's keyed digest kept in the cookie: the cookie names no phone.
const PHONE_TAG: usize = 16;

fn phone_tag(sealer: &backend::seal::Sealer, phone: &str) -> Option<Vec<u8>> {
    let phone = domain::booking::MobilePhone::parse(phone).ok()?;
    let mut tag = sealer.digest("verified_phone", phone.as_str().as_bytes());
    tag.truncate(PHONE_TAG);
    Some(tag)
}

/// The digests of the phones this browser proved, newest first.
async fn proved_phones(sealer: &backend::seal::Sealer) -> Vec<Vec<u8>> {
    let Some(sealed) = cookie(PHONES_COOKIE).await else {
        return vec![];
    };
    sealer
        .open("verified_phones", &sealed, chrono::Utc::now())
        .map(|bytes| bytes.chunks(PHONE_TAG).map(<[u8]>::to_vec).collect())
        .unwrap_or_default()
}

/// Whether this browser proved `phone` by code in the last 30 days.
pub async fn phone_proved(phone: &str) -> Result<bool, AppError> {
    let sealer = sealer()?;
    let Some(tag) = phone_tag(&sealer, phone) else {
        return Ok(false);
    };
    Ok(proved_phones(&sealer).await.contains(&tag))
}

/// Remembers on this browser, for 30 days, that `phone` was proved by code.
pub async fn remember_phone(phone: &str) -> Result<(), AppError> {
    let sealer = sealer()?;
    let Some(tag) = phone_tag(&sealer, phone) else {
        return Ok(());
    };
    let mut tags = proved_phones(&sealer).await;
    tags.retain(|t| *t != tag);
    tags.insert(0, tag);
    tags.truncate(PHONES_MAX);
    let expires = chrono::Utc::now() + chrono::Duration::days(PHONES_DAYS);
    let sealed = sealer.seal("verified_phones", &tags.concat(), expires);
    set_cookie(format!(
        "{PHONES_COOKIE}={sealed}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax",
        PHONES_DAYS * 24 * 3600
    ));
    Ok(())
}

/// The value of the request's cookie `name`, if any.
async fn cookie(name: &str) -> Option<String> {
    let headers = leptos_axum::extract::<http::HeaderMap>().await.ok()?;
    for value in headers.get_all(http::header::COOKIE) {
        for pair in value.to_str().ok()?.split(';') {
            if let Some((n, v)) = pair.trim().split_once('=') {
                if n == name {
                    return Some(v.to_string());
                }
            }
        }
    }
    None
}

/// The request's flash cookies joined, if any.
async fn flash_cookie() -> Option<String> {
    let headers = leptos_axum::extract::<http::HeaderMap>().await.ok()?;
    let mut parts: [Option<String>; FLASH_CHUNKS] = Default::default();
    for value in headers.get_all(http::header::COOKIE) {
        for pair in value.to_str().ok()?.split(';') {
            let Some((name, v)) = pair.trim().split_once('=') else {
                continue;
            };
            let Some(i) = name.strip_prefix(FLASH_COOKIE) else {
                continue;
            };
            if let Some(slot) = i.parse::<usize>().ok().and_then(|i| parts.get_mut(i)) {
                *slot = Some(v.to_string());
            }
        }
    }
    parts[0].as_ref()?;
    Some(parts.into_iter().map_while(|p| p).collect())
}

/// Takes the kept form if `want` accepts it; any flash is shown once at most.
pub async fn take_flash<T>(want: impl FnOnce(Flash) -> Option<T>) -> Result<Option<T>, AppError> {
    let Some(sealed) = flash_cookie().await else {
        return Ok(None);
    };
    for i in 0..FLASH_CHUNKS {
        set_cookie(format!(
            "{FLASH_COOKIE}{i}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
        ));
    }
    let flash = sealer()?
        .open("flash", &sealed, chrono::Utc::now())
        .and_then(|json| serde_json::from_slice::<Flash>(&json).ok());
    Ok(flash.and_then(want))
}

/// `true` when the request is a plain HTML form post (JavaScript off): then a rejected form
/// must be kept in the session and the browser sent back to the page.
pub async fn is_plain_form_post() -> bool {
    leptos_axum::extract::<http::HeaderMap>()
        .await
        .ok()
        .and_then(|h| {
            h.get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// The client's address, for per-client limits.
pub async fn client_ip() -> Option<std::net::IpAddr> {
    leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .await
        .ok()
        .map(|c| c.0.ip())
}

fn session_failed(e: tower_sessions::session::Error) -> backend::staff::StaffError {
    tracing::error!(error = %e, "session store");
    backend::staff::StaffError::Internal
}

/// The staff account signed in on `session`, unless its session has ended (idle, too old,
/// password changed or reset, account disabled); an ended one is signed out. Pages and the
/// REST API both ask here.
pub async fn staff_on(
    session: &Session,
    staff: &backend::staff::Staff,
) -> Result<Option<domain::staff::StaffAccount>, backend::staff::StaffError> {
    use domain::staff::SessionTicket;
    let ticket: Option<SessionTicket> = session.get(STAFF_SESSION).await.map_err(session_failed)?;
    let Some(ticket) = ticket else {
        return Ok(None);
    };
    match staff.resume(&ticket).await? {
        Some((account, touched)) => {
            if let Some(t) = touched {
                session
                    .insert(STAFF_SESSION, t)
                    .await
                    .map_err(session_failed)?;
            }
            Ok(Some(account))
        }
        None => {
            session
                .remove::<SessionTicket>(STAFF_SESSION)
                .await
                .map_err(session_failed)?;
            Ok(None)
        }
    }
}

/// Signs `account` in on `session` (after its password was checked, or changed), with a fresh
/// session id: a planted session id is worth nothing.
pub async fn start_staff_session(
    session: &Session,
    staff: &backend::staff::Staff,
    account: &domain::staff::StaffAccount,
) -> Result<(), backend::staff::StaffError> {
    let ticket = staff.open_session(account).await?;
    session.cycle_id().await.map_err(session_failed)?;
    session
        .insert(STAFF_SESSION, ticket)
        .await
        .map_err(session_failed)
}

/// Signs out whoever is signed in on `session`.
pub async fn end_staff_session(session: &Session) -> Result<(), backend::staff::StaffError> {
    session
        .remove::<domain::staff::SessionTicket>(STAFF_SESSION)
        .await
        .map_err(session_failed)?;
    session.cycle_id().await.map_err(session_failed)
}

fn staff_context() -> Result<backend::staff::Staff, AppError> {
    crate::api::common::context::<backend::staff::Staff>("staff")
}

/// The signed-in staff member, if any (and the session has not ended).
pub async fn staff_account() -> Result<Option<domain::staff::StaffAccount>, AppError> {
    staff_on(&session().await?, &staff_context()?)
        .await
        .map_err(AppError::from)
}

/// The signed-in staff member, or the error every staff server function answers a
/// signed-out caller with.
pub async fn require_staff() -> Result<domain::staff::StaffAccount, AppError> {
    staff_account().await?.ok_or_else(|| {
        AppError::refused(
            domain::error::ErrorKind::Unauthorized,
            crate::i18n::t(crate::i18n::Msg::StaffSignInFirst),
        )
    })
}

/// Signs a staff member in on this session.
pub async fn sign_in(account: &domain::staff::StaffAccount) -> Result<(), AppError> {
    start_staff_session(&session().await?, &staff_context()?, account)
        .await
        .map_err(|_| AppError::internal())
}

pub async fn sign_out() -> Result<(), AppError> {
    end_staff_session(&session().await?)
        .await
        .map_err(|_| AppError::internal())
}

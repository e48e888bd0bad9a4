//! What the server remembers about one browser, in its server-side session (the cookie holds
//! only a random id): the bookings this device made or looked up, and a rejected form kept
//! for the next page when JavaScript is off. Server only.

use crate::model::{BookingFlash, MediationFlash, Rejection};
use leptos::prelude::ServerFnError;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

const MY_BOOKINGS: &str = "my_bookings";
const MY_CASES: &str = "my_cases";
/// The signed-in staff member's account id (shared with the REST API's sign-in).
pub const STAFF_ID: &str = "staff_id";
const FLASH: &str = "flash";
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
    /// A failed look-up of a mediation case.
    CaseLookup {
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

fn failed(e: tower_sessions::session::Error) -> ServerFnError {
    tracing::error!(error = %e, "session store");
    ServerFnError::new("session unavailable")
}

pub async fn session() -> Result<Session, ServerFnError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "no session layer");
        ServerFnError::new("session unavailable")
    })
}

/// Codes of the bookings this device holds, newest first.
pub async fn remembered(session: &Session) -> Result<Vec<String>, ServerFnError> {
    codes_under(session, MY_BOOKINGS).await
}

pub async fn holds(session: &Session, code: &str) -> Result<bool, ServerFnError> {
    Ok(remembered(session).await?.iter().any(|c| c == code))
}

/// Remembers a booking on this device (it booked it, or proved it knows code and phone).
pub async fn remember(session: &Session, code: &str) -> Result<(), ServerFnError> {
    keep_code(session, MY_BOOKINGS, code).await
}

/// Codes of the mediation cases this device filed or opened, newest first.
pub async fn remembered_cases(session: &Session) -> Result<Vec<String>, ServerFnError> {
    codes_under(session, MY_CASES).await
}

pub async fn holds_case(session: &Session, code: &str) -> Result<bool, ServerFnError> {
    Ok(remembered_cases(session).await?.iter().any(|c| c == code))
}

pub async fn remember_case(session: &Session, code: &str) -> Result<(), ServerFnError> {
    keep_code(session, MY_CASES, code).await
}

async fn codes_under(session: &Session, key: &str) -> Result<Vec<String>, ServerFnError> {
    Ok(session
        .get::<Vec<String>>(key)
        .await
        .map_err(failed)?
        .unwrap_or_default())
}

async fn keep_code(session: &Session, key: &str, code: &str) -> Result<(), ServerFnError> {
    let mut codes = codes_under(session, key).await?;
    codes.retain(|c| c != code);
    codes.insert(0, code.to_string());
    codes.truncate(MAX_REMEMBERED);
    session.insert(key, codes).await.map_err(failed)
}

pub async fn save_flash(session: &Session, flash: Flash) -> Result<(), ServerFnError> {
    session.insert(FLASH, flash).await.map_err(failed)
}

/// Takes the kept form if `want` accepts it; any flash is shown once at most.
pub async fn take_flash<T>(
    session: &Session,
    want: impl FnOnce(Flash) -> Option<T>,
) -> Result<Option<T>, ServerFnError> {
    // Reading first keeps sessions of visitors without a flash untouched (no cookie, no write).
    if session.get_value(FLASH).await.map_err(failed)?.is_none() {
        return Ok(None);
    }
    let flash: Option<Flash> = session.remove(FLASH).await.map_err(failed)?;
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

/// The signed-in staff member, if any (and not disabled since).
pub async fn staff_account() -> Result<Option<domain::staff::StaffAccount>, ServerFnError> {
    let session = session().await?;
    let Some(id) = session.get::<i64>(STAFF_ID).await.map_err(failed)? else {
        return Ok(None);
    };
    let staff = leptos::prelude::use_context::<backend::staff::Staff>()
        .ok_or_else(|| ServerFnError::new("staff missing from context"))?;
    staff
        .account(id)
        .await
        .map_err(|_| ServerFnError::new("internal error"))
}

/// The signed-in staff member, or the error every staff server function answers a
/// signed-out caller with.
pub async fn require_staff() -> Result<domain::staff::StaffAccount, ServerFnError> {
    staff_account()
        .await?
        .ok_or_else(|| ServerFnError::new(crate::i18n::t(crate::i18n::Msg::StaffSignInFirst)))
}

/// Signs a staff member in on this session, with a fresh session id.
pub async fn sign_in(account_id: i64) -> Result<(), ServerFnError> {
    let session = session().await?;
    session.cycle_id().await.map_err(failed)?;
    session.insert(STAFF_ID, account_id).await.map_err(failed)
}

pub async fn sign_out() -> Result<(), ServerFnError> {
    let session = session().await?;
    session.remove::<i64>(STAFF_ID).await.map_err(failed)?;
    session.cycle_id().await.map_err(failed)
}

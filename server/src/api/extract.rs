//! What several API handlers take from a request, in one place.

use super::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// Header that carries a resident's phone number on a look-up, so that it need not stand in
/// the URL (where proxies and browser histories keep it).
pub const PHONE_HEADER: &str = "x-resident-phone";

/// The phone number a resident proves a booking or case with: the `X-Resident-Phone` header,
/// or else the `?phone=` query (kept for existing links). Empty when neither is there; the
/// use case then answers the same `404` as for a wrong number.
pub struct ResidentPhone(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ResidentPhone {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        if let Some(v) = parts.headers.get(PHONE_HEADER) {
            return Ok(ResidentPhone(v.to_str().unwrap_or_default().to_string()));
        }
        let phone = axum::extract::Query::<super::bookings::PhoneQuery>::try_from_uri(&parts.uri)
            .ok()
            .and_then(|q| q.0.phone)
            .unwrap_or_default();
        Ok(ResidentPhone(phone))
    }
}

//! What several API handlers take from a request, in one place: the signed-in staff
//! member, a resident's phone number, a JSON body. Feature files import these from here and
//! never from each other.

use super::error::ApiError;
use crate::startup::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use domain::staff::StaffAccount;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tower_sessions::Session;
use utoipa::{IntoParams, ToSchema};

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
        let phone = axum::extract::Query::<PhoneQuery>::try_from_uri(&parts.uri)
            .ok()
            .and_then(|q| q.0.phone)
            .unwrap_or_default();
        Ok(ResidentPhone(phone))
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PhoneQuery {
    /// The mobile number the booking (or mediation request) was made with.
    pub phone: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PhoneBody {
    pub phone: Option<String>,
}

/// The signed-in staff member; `401` when nobody is.
pub struct CurrentStaff(pub StaffAccount);

impl FromRequestParts<AppState> for CurrentStaff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::internal())?;
        // the same check as the pages': ended sessions (idle, too old, password changed,
        // account disabled) are signed out here
        app::device::staff_on(&session, &state.staff)
            .await
            .map_err(ApiError::from)?
            .map(CurrentStaff)
            .ok_or_else(|| ApiError::of_kind(backend::ErrorKind::Unauthorized))
    }
}

/// JSON only: a cross-site page cannot send `application/json` without the browser asking
/// first (and this server never says yes), which keeps sessions safe from forged requests.
pub(crate) fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "请求内容应为 JSON（Content-Type: application/json）",
            "The request should be JSON (Content-Type: application/json)",
        ))
    }
}

/// The JSON body of a staff request: sent as JSON ([`require_json`], so that no other site
/// can send it with the session's cookie) and read with a type error naming its field
/// ([`json_body`]). A body that cannot be read at all is refused as axum refuses it.
pub struct JsonRequest<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonRequest<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let sent_as_json = require_json(req.headers());
        let body = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        sent_as_json.map_err(IntoResponse::into_response)?;
        json_body(&body)
            .map(JsonRequest)
            .map_err(IntoResponse::into_response)
    }
}

/// Reads a JSON body; a type error names the field it is in.
pub(crate) fn json_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        if e.inner().is_syntax() || e.inner().is_eof() || field == "." || field.is_empty() {
            ApiError::bad_request(
                "请求内容应为 JSON 对象",
                "The request should be a JSON object",
            )
        } else {
            ApiError::invalid(field, "类型不对", "This value has the wrong type")
        }
    })
}

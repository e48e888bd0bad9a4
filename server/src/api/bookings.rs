//! Residents' booking API: free slots, book, look up, cancel, reschedule.

use super::error::{ApiError, ErrorBody};
use super::extract::{json_body, PhoneBody, PhoneQuery, ResidentPhone};
use crate::startup::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use backend::booking::{local_start, Alternative, BookingError, BookingRequest};
use backend::store::BookingRecord;
use backend::verify::PhoneProof;
use chrono::NaiveDate;
use domain::booking::FieldError;
use domain::slots::to_local;
use domain::{LocationId, ServiceCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One appointment slot. Times are RFC 3339 in Shanghai time (+08:00).
#[derive(Debug, Serialize, ToSchema)]
pub struct SlotJson {
    #[schema(example = "2026-03-03T09:00:00+08:00")]
    pub start: String,
    #[schema(example = "2026-03-03T09:30:00+08:00")]
    pub end: String,
    pub capacity: u16,
    pub remaining: u16,
    /// Only residents under 18 may book (the psychology room's Friday).
    pub youth_only: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SlotQuery {
    /// Service code, e.g. `legal_consultation`.
    service: Option<String>,
    /// First day, `YYYY-MM-DD` (default: today).
    from: Option<String>,
    /// Last day, `YYYY-MM-DD` (default: the end of the booking window).
    to: Option<String>,
}

fn parse_date(field: &'static str, value: Option<&str>) -> Result<Option<NaiveDate>, ApiError> {
    value
        .filter(|v| !v.is_empty())
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| ApiError::field(FieldError::bad_date(field)))
        })
        .transpose()
}

/// Slots of a service at a place, with seats left.
#[utoipa::path(get, path = "/api/v1/locations/{id}/slots", tag = "booking",
    params(("id" = i64, Path, description = "Place id"), SlotQuery),
    responses(
        (status = 200, description = "Slots, soonest first", body = [SlotJson]),
        (status = 404, description = "No such place", body = ErrorBody),
        (status = 422, description = "Bad service or dates", body = ErrorBody),
    ))]
pub async fn slots(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<SlotQuery>,
) -> Result<Json<Vec<SlotJson>>, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    let place = state.directory.location(LocationId(id)).await?;
    let service: ServiceCode = q.service.as_deref().unwrap_or("").parse().map_err(|_| {
        ApiError::invalid(
            "service",
            "请指定服务代码，例如 legal_consultation",
            "Please name a service code, e.g. legal_consultation",
        )
    })?;
    let (first, last) = state.bookings.window_days();
    let from = parse_date("from", q.from.as_deref())?.unwrap_or(first);
    let to = parse_date("to", q.to.as_deref())?.unwrap_or(last);
    let list = state
        .bookings
        .slots(&place, service, from, to)
        .await
        .map_err(booking_error)?;
    Ok(Json(
        list.into_iter()
            .map(|s| SlotJson {
                start: s.slot.start.to_rfc3339(),
                end: s.slot.end.to_rfc3339(),
                capacity: s.slot.capacity,
                remaining: s.remaining,
                youth_only: s.slot.youth_only,
            })
            .collect(),
    ))
}

/// A new booking.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BookingBody {
    pub location_id: Option<i64>,
    #[schema(example = "legal_consultation")]
    pub service: Option<String>,
    #[schema(example = "2026-03-03T09:00:00+08:00")]
    pub start: Option<String>,
    pub name: Option<String>,
    #[schema(example = "13812345678")]
    pub phone: Option<String>,
    /// Topic code of the service (see the booking form), e.g. `labour`.
    pub topic: Option<String>,
    /// Optional short account, at most 500 characters.
    pub account: Option<String>,
    /// Declares the resident is under 18 (needed for youth-only slots).
    pub youth: Option<bool>,
    /// Must be `true`: consent to the privacy notice.
    pub consent: Option<bool>,
    /// The 6-digit code sent to `phone` (`POST /api/v1/phone-codes`); required when the
    /// portal verifies phones (`PORTAL_PHONE_VERIFY=sms`, the default).
    #[schema(example = "123456")]
    pub phone_code: Option<String>,
}

/// The phone a booking was made with, and the code that proves it (for a cancellation).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangeBody {
    pub phone: Option<String>,
    /// The 6-digit code sent to the phone; required when the portal verifies phones.
    pub phone_code: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RescheduleBody {
    pub phone: Option<String>,
    #[schema(example = "2026-03-04T14:00:00+08:00")]
    pub start: Option<String>,
    /// The 6-digit code sent to the phone; required when the portal verifies phones.
    pub phone_code: Option<String>,
}

/// A booking as its holder sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookingJson {
    /// The booking code, e.g. `K7M2P9XQ4R` (shown to people as `K7M2P-9XQ4R`).
    pub code: String,
    pub location_id: i64,
    pub service: &'static str,
    pub start: String,
    pub end: String,
    /// `booked`, `cancelled`, `checked_in`, `called`, `serving`, `done`, `no_show`
    pub state: &'static str,
    pub name: String,
    /// The phone number, masked (`138****5678`).
    pub phone: String,
    /// Topic code; withheld for psychology bookings, which are confidential.
    pub topic: Option<String>,
}

impl From<&BookingRecord> for BookingJson {
    fn from(b: &BookingRecord) -> Self {
        let confidential = b.service == ServiceCode::Psychology;
        BookingJson {
            code: b.code.clone(),
            location_id: b.location_id.0,
            service: b.service.code(),
            start: local_start(b).to_rfc3339(),
            end: to_local(&b.end).to_rfc3339(),
            state: b.state.code(),
            name: b.name.clone(),
            phone: domain::booking::MobilePhone::parse(&b.phone)
                .map(|p| p.masked())
                .unwrap_or_default(),
            topic: (!confidential).then(|| b.topic.clone()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlternativeJson {
    pub location_id: i64,
    pub location_name: String,
    pub start: String,
    pub end: String,
    pub remaining: u16,
}

impl From<&Alternative> for AlternativeJson {
    fn from(a: &Alternative) -> Self {
        AlternativeJson {
            location_id: a.location_id.0,
            location_name: a.location_name.clone(),
            start: a.slot.slot.start.to_rfc3339(),
            end: a.slot.slot.end.to_rfc3339(),
            remaining: a.slot.remaining,
        }
    }
}

/// 409 body when the slot is full: the nearest alternatives.
#[derive(Debug, Serialize, ToSchema)]
pub struct FullBody {
    pub error: &'static str,
    pub message: String,
    pub alternatives: Vec<AlternativeJson>,
}

/// A booking's refusal; a full slot with its alternatives.
fn booking_error(e: BookingError) -> ApiError {
    match &e {
        BookingError::Full { alternatives } => {
            let choices: Vec<_> = alternatives.iter().map(AlternativeJson::from).collect();
            ApiError::with_choices(&e, "full", "alternatives", choices)
        }
        _ => e.into(),
    }
}

/// Books a slot.
#[utoipa::path(post, path = "/api/v1/bookings", tag = "booking", request_body = BookingBody,
    responses(
        (status = 201, description = "Booked", body = BookingJson),
        (status = 409, description = "Slot full (with alternatives) or refused by a fairness rule", body = FullBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub async fn create(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let b: BookingBody = json_body(&body)?;
    let location_id = b.location_id.ok_or_else(|| {
        ApiError::invalid("location_id", "请选择服务网点", "Please choose a place")
    })?;
    let req = BookingRequest {
        location_id,
        service: b.service.unwrap_or_default(),
        start: b.start.unwrap_or_default(),
        name: b.name.unwrap_or_default(),
        phone: b.phone.unwrap_or_default(),
        topic: b.topic.unwrap_or_default(),
        account: b.account,
        youth: b.youth.unwrap_or(false),
        consent: b.consent.unwrap_or(false),
        proof: PhoneProof::code(b.phone_code),
    };
    let booking = state.bookings.book(&req).await.map_err(booking_error)?;
    Ok((StatusCode::CREATED, Json(BookingJson::from(&booking))).into_response())
}

/// The booking of whoever knows its code and phone number (404 otherwise).
async fn holder_booking(
    state: &AppState,
    code: &str,
    phone: &str,
) -> Result<BookingRecord, ApiError> {
    state
        .bookings
        .find(code, phone)
        .await
        .map_err(booking_error)
}

/// A booking, by code and the phone number it was made with (in the `X-Resident-Phone`
/// header, which keeps it out of logs, or the `phone` query).
#[utoipa::path(get, path = "/api/v1/bookings/{code}", tag = "booking",
    params(("code" = String, Path, description = "Booking code"), PhoneQuery,
        ("X-Resident-Phone" = Option<String>, Header, description = "The phone number, instead of the query")),
    responses((status = 200, body = BookingJson), (status = 404, description = "Unknown code or wrong phone", body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    Path(code): Path<String>,
    ResidentPhone(phone): ResidentPhone,
) -> Result<Json<BookingJson>, ApiError> {
    let b = holder_booking(&state, &code, &phone).await?;
    Ok(Json(BookingJson::from(&b)))
}

/// The same look-up with the phone number in the body, so it stands in no URL.
#[utoipa::path(post, path = "/api/v1/bookings/{code}/lookup", tag = "booking", request_body = PhoneBody,
    params(("code" = String, Path, description = "Booking code")),
    responses((status = 200, body = BookingJson), (status = 404, description = "Unknown code or wrong phone", body = ErrorBody)))]
pub async fn lookup(
    State(state): State<AppState>,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Json<BookingJson>, ApiError> {
    let b: PhoneBody = json_body(&body)?;
    let booking = holder_booking(&state, &code, b.phone.as_deref().unwrap_or("")).await?;
    Ok(Json(BookingJson::from(&booking)))
}

/// Cancels a booking; its history is kept.
#[utoipa::path(post, path = "/api/v1/bookings/{code}/cancel", tag = "booking", request_body = ChangeBody,
    params(("code" = String, Path, description = "Booking code")),
    responses((status = 200, body = BookingJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, description = "Missing or wrong `phone_code`", body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Json<BookingJson>, ApiError> {
    let b: ChangeBody = json_body(&body)?;
    let booking = state
        .bookings
        .cancel(
            &code,
            b.phone.as_deref().unwrap_or(""),
            &PhoneProof::code(b.phone_code),
        )
        .await
        .map_err(booking_error)?;
    Ok(Json(BookingJson::from(&booking)))
}

/// Moves a booking to another free slot of the same service and place.
#[utoipa::path(post, path = "/api/v1/bookings/{code}/reschedule", tag = "booking", request_body = RescheduleBody,
    params(("code" = String, Path, description = "Booking code")),
    responses((status = 200, body = BookingJson), (status = 404, body = ErrorBody), (status = 409, body = FullBody), (status = 422, body = ErrorBody)))]
pub async fn reschedule(
    State(state): State<AppState>,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Json<BookingJson>, ApiError> {
    let b: RescheduleBody = json_body(&body)?;
    let booking = state
        .bookings
        .reschedule(
            &code,
            b.phone.as_deref().unwrap_or(""),
            b.start.as_deref().unwrap_or(""),
            &PhoneProof::code(b.phone_code),
        )
        .await
        .map_err(booking_error)?;
    Ok(Json(BookingJson::from(&booking)))
}

/// The booking as a calendar file (.ics). Confidential services are not named in it.
#[utoipa::path(get, path = "/api/v1/bookings/{code}/calendar.ics", tag = "booking",
    params(("code" = String, Path, description = "Booking code"), PhoneQuery),
    responses((status = 200, description = "text/calendar"), (status = 404, body = ErrorBody)))]
pub async fn calendar(
    State(state): State<AppState>,
    Path(code): Path<String>,
    ResidentPhone(phone): ResidentPhone,
) -> Result<Response, ApiError> {
    let b = holder_booking(&state, &code, &phone).await?;
    let place = state.directory.location(b.location_id).await?;
    Ok(ics_response(backend::confirmation::ics(&b, &place)))
}

/// A calendar file as a download.
pub(crate) fn ics_response(body: String) -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/calendar; charset=utf-8",
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"booking.ics\"",
            ),
        ],
        body,
    )
        .into_response()
}

/// The booking code as a QR code (SVG), for check-in.
#[utoipa::path(get, path = "/api/v1/bookings/{code}/qr.svg", tag = "booking",
    params(("code" = String, Path, description = "Booking code"), PhoneQuery),
    responses((status = 200, description = "image/svg+xml"), (status = 404, body = ErrorBody)))]
pub async fn qr(
    State(state): State<AppState>,
    Path(code): Path<String>,
    ResidentPhone(phone): ResidentPhone,
) -> Result<Response, ApiError> {
    let b = holder_booking(&state, &code, &phone).await?;
    let code = domain::BookingCode::parse(&b.code).map_err(|_| ApiError::internal())?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "image/svg+xml")],
        backend::confirmation::qr_svg(&code),
    )
        .into_response())
}

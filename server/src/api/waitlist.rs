//! The waiting lists: a resident joins a full service's list for a range of dates and a
//! part of day; a freed seat is held for the first in line, who confirms it (a booking) or
//! declines it by the code of the link texted to them; staff see a place's list.

use super::error::{ApiError, ErrorBody};
use super::extract::{json_body, CurrentStaff, PhoneBody, PhoneQuery, ResidentPhone};
use crate::startup::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use backend::store::{BookingRecord, WaitlistRecord};
use backend::verify::PhoneProof;
use backend::waitlist::JoinWaitlist;
use domain::booking::{FieldError, MobilePhone};
use domain::slots::to_local;
use domain::waitlist::{EntryState, JoinForm};
use domain::LocationId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A resident's wish to be offered a freed seat.
#[derive(Debug, Deserialize, ToSchema)]
pub struct JoinBody {
    pub location_id: Option<i64>,
    #[schema(example = "legal_consultation")]
    pub service: Option<String>,
    /// First and last day wanted, `YYYY-MM-DD`, inside the booking window.
    #[schema(example = "2026-12-08")]
    pub from: Option<String>,
    pub to: Option<String>,
    /// `morning` (starts before 12:00), `afternoon` or `any`.
    pub part_of_day: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    /// Topic code of the service, as for a booking.
    pub topic: Option<String>,
    pub account: Option<String>,
    /// Declared under 18: may be offered a youth-only slot.
    pub youth: Option<bool>,
    /// Must be `true`: consent to the privacy notice.
    pub consent: Option<bool>,
    /// The 6-digit code sent to `phone`; required when the portal verifies phones.
    pub phone_code: Option<String>,
}

/// The seat held for an entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferJson {
    pub start: String,
    pub end: String,
    /// The hold ends at this instant; confirm before it.
    pub hold_until: String,
}

/// An entry as the resident who joined it sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryJson {
    /// The code of the entry's link (`/waitlist/{code}`): with the phone, it confirms,
    /// declines or leaves.
    pub code: String,
    pub location_id: i64,
    pub service: &'static str,
    pub from: String,
    pub to: String,
    pub part_of_day: &'static str,
    /// `waiting`, `offered`, `booked`, `declined`, `expired`, `left`, `lapsed`
    pub state: &'static str,
    pub state_label: &'static str,
    pub offer: Option<OfferJson>,
    /// The phone, masked.
    pub phone: String,
}

impl From<&WaitlistRecord> for EntryJson {
    fn from(r: &WaitlistRecord) -> Self {
        let e = &r.entry;
        EntryJson {
            code: r.link_code.clone(),
            location_id: e.place.0,
            service: e.service.code(),
            from: e.from.to_string(),
            to: e.to.to_string(),
            part_of_day: e.part.code(),
            state: e.state.code(),
            state_label: e.state.label_zh(),
            offer: match &e.state {
                EntryState::Offered(o) => Some(OfferJson {
                    start: o.slot.start.to_rfc3339(),
                    end: o.slot.end.to_rfc3339(),
                    hold_until: to_local(&o.until).to_rfc3339(),
                }),
                _ => None,
            },
            phone: e.phone.masked(),
        }
    }
}

/// The booking a confirmed offer became.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConfirmedJson {
    /// The booking code, as for any booking.
    pub code: String,
    pub location_id: i64,
    pub service: &'static str,
    pub start: String,
    pub end: String,
    pub state: &'static str,
}

impl From<&BookingRecord> for ConfirmedJson {
    fn from(b: &BookingRecord) -> Self {
        ConfirmedJson {
            code: b.code.clone(),
            location_id: b.location_id.0,
            service: b.service.code(),
            start: to_local(&b.start).to_rfc3339(),
            end: to_local(&b.end).to_rfc3339(),
            state: b.state.code(),
        }
    }
}

/// Joins a place's waiting list for a service.
#[utoipa::path(post, path = "/api/v1/waitlist", tag = "booking", request_body = JoinBody,
    responses(
        (status = 201, description = "On the list", body = EntryJson),
        (status = 409, description = "Already waiting for this service at this place", body = ErrorBody),
        (status = 422, description = "Invalid field (e.g. `from`, `to`, `part_of_day`, `phone_code`)", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub async fn join(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let b: JoinBody = json_body(&body)?;
    let place = b
        .location_id
        .ok_or_else(|| ApiError::field(FieldError::place_required("location_id")))?;
    let join = JoinWaitlist {
        form: JoinForm {
            phone: b.phone.unwrap_or_default(),
            from: b.from.unwrap_or_default(),
            to: b.to.unwrap_or_default(),
            part_of_day: b.part_of_day.unwrap_or_default(),
            youth: b.youth.unwrap_or(false),
        },
        name: b.name.unwrap_or_default(),
        topic: b.topic.unwrap_or_default(),
        account: b.account,
        consent: b.consent.unwrap_or(false),
        proof: PhoneProof::code(b.phone_code),
    };
    let record = state
        .waitlist
        .join(
            LocationId(place),
            b.service.as_deref().unwrap_or_default(),
            &join,
        )
        .await
        .map_err(|e| match e {
            // an unknown place is a wrong field here, not a missing page
            backend::waitlist::WaitlistError::NotFound => {
                ApiError::field(FieldError::no_such_place("location_id"))
            }
            e => e.into(),
        })?;
    Ok((StatusCode::CREATED, Json(EntryJson::from(&record))).into_response())
}

/// An entry, by its link code and the phone it was joined with (the `X-Resident-Phone`
/// header or the `phone` query); the same 404 for an unknown code or a wrong phone.
#[utoipa::path(get, path = "/api/v1/waitlist/{code}", tag = "booking",
    params(("code" = String, Path, description = "The entry's link code"), PhoneQuery,
        ("X-Resident-Phone" = Option<String>, Header, description = "The phone number, instead of the query")),
    responses((status = 200, body = EntryJson), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    Path(code): Path<String>,
    ResidentPhone(phone): ResidentPhone,
) -> Result<Json<EntryJson>, ApiError> {
    let r = state.waitlist.by_link(&code, &phone).await?;
    Ok(Json(EntryJson::from(&r)))
}

/// Books the seat held for the entry (the link came by text message to the phone, so no
/// code is asked). `409` when the hold is over or the booking rules refuse it.
#[utoipa::path(post, path = "/api/v1/waitlist/{code}/confirm", tag = "booking", request_body = PhoneBody,
    params(("code" = String, Path, description = "The entry's link code")),
    responses((status = 201, body = ConfirmedJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let b: PhoneBody = json_body(&body)?;
    let booking = state
        .waitlist
        .confirm(&code, b.phone.as_deref().unwrap_or_default())
        .await?;
    Ok((StatusCode::CREATED, Json(ConfirmedJson::from(&booking))).into_response())
}

/// Turns the held seat down; it passes to the next in line.
#[utoipa::path(post, path = "/api/v1/waitlist/{code}/decline", tag = "booking", request_body = PhoneBody,
    params(("code" = String, Path, description = "The entry's link code")),
    responses((status = 200, body = EntryJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decline(
    State(state): State<AppState>,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Json<EntryJson>, ApiError> {
    step(&state, &code, &body, Ending::Decline).await
}

/// Leaves the list; a held seat passes to the next in line.
#[utoipa::path(post, path = "/api/v1/waitlist/{code}/leave", tag = "booking", request_body = PhoneBody,
    params(("code" = String, Path, description = "The entry's link code")),
    responses((status = 200, body = EntryJson), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn leave(
    State(state): State<AppState>,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Json<EntryJson>, ApiError> {
    step(&state, &code, &body, Ending::Leave).await
}

/// How a resident ends an entry (or its offer) through the API.
enum Ending {
    Decline,
    Leave,
}

async fn step(
    state: &AppState,
    code: &str,
    body: &Bytes,
    ending: Ending,
) -> Result<Json<EntryJson>, ApiError> {
    let b: PhoneBody = json_body(body)?;
    let phone = b.phone.as_deref().unwrap_or_default();
    let r = match ending {
        Ending::Decline => state.waitlist.decline(code, phone).await?,
        Ending::Leave => state.waitlist.leave_by_link(code, phone).await?,
    };
    Ok(Json(EntryJson::from(&r)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StaffWaitlistQuery {
    location_id: Option<i64>,
}

/// One entry as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffEntryJson {
    pub id: i64,
    pub service: &'static str,
    pub name: String,
    /// Masked; staff call residents from the day's queue, not from the list.
    pub phone: String,
    /// Blank where the account may not see it (psychology: counsellors only).
    pub topic: String,
    pub from: String,
    pub to: String,
    pub part_of_day: &'static str,
    pub state: &'static str,
    pub offer: Option<OfferJson>,
    pub joined_at: String,
}

/// A place's list with how many offers became bookings.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceWaitlistJson {
    pub entries: Vec<StaffEntryJson>,
    /// Entries that were offered a seat (holding one now, or ended after an offer).
    pub offered: u64,
    /// Offers confirmed into bookings.
    pub booked: u64,
}

/// A place's waiting list (staff who may see its queue).
#[utoipa::path(get, path = "/api/v1/staff/waitlist", tag = "staff", params(StaffWaitlistQuery),
    responses((status = 200, body = PlaceWaitlistJson), (status = 401, body = ErrorBody),
        (status = 403, description = "The place is outside the account's scope", body = ErrorBody)))]
pub async fn at_place(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    Query(q): Query<StaffWaitlistQuery>,
) -> Result<Json<PlaceWaitlistJson>, ApiError> {
    let place = q
        .location_id
        .ok_or_else(|| ApiError::field(FieldError::place_required("location_id")))?;
    let list = state.waitlist.at_place(&account, LocationId(place)).await?;
    Ok(Json(PlaceWaitlistJson {
        entries: list
            .entries
            .iter()
            .map(|r| {
                let public = EntryJson::from(r);
                StaffEntryJson {
                    id: r.entry.id.0,
                    service: public.service,
                    name: r.name.clone(),
                    phone: MobilePhone::masked(&r.entry.phone),
                    topic: r.topic.clone(),
                    from: public.from,
                    to: public.to,
                    part_of_day: public.part_of_day,
                    state: public.state,
                    offer: public.offer,
                    joined_at: to_local(&r.entry.joined_at).to_rfc3339(),
                }
            })
            .collect(),
        offered: list.offered,
        booked: list.booked,
    }))
}

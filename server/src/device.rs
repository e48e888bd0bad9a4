//! Downloads for a booking held by this device (its session remembers the code), so the
//! confirmation page can link them without putting the phone number in a URL.

use crate::api::bookings::ics_response;
use crate::api::error::ApiError;
use crate::startup::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use tower_sessions::Session;

/// `GET /bookings/{code}/calendar.ics`: the booking's calendar file; 404 unless this device
/// holds the booking.
pub async fn calendar(
    State(state): State<AppState>,
    Path(code): Path<String>,
    session: Session,
) -> Result<Response, ApiError> {
    let code = domain::BookingCode::parse(&code).map_err(|_| ApiError::not_found())?;
    let held = app::device::holds(&session, code.as_str())
        .await
        .map_err(|_| ApiError::internal())?;
    if !held {
        return Err(ApiError::not_found());
    }
    let booking = state
        .bookings
        .find_remembered(code.as_str())
        .await
        .map_err(|_| ApiError::not_found())?;
    let place = state.directory.location(booking.location_id).await?;
    Ok(ics_response(backend::confirmation::ics(&booking, &place)))
}

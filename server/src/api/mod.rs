//! The public REST API under `/api/v1`, described by `/api/v1/openapi.json`.
//! Handlers parse input, call one use case of `backend` and shape JSON; nothing else.

pub mod bookings;
pub mod error;
pub mod locations;
pub mod openapi;

use crate::startup::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/locations", get(locations::list))
        .route("/locations/{id}", get(locations::get_one))
        .route("/locations/{id}/slots", get(bookings::slots))
        .route("/bookings", post(bookings::create))
        .route("/bookings/{code}", get(bookings::get_one))
        .route("/bookings/{code}/cancel", post(bookings::cancel))
        .route("/bookings/{code}/reschedule", post(bookings::reschedule))
        .route("/openapi.json", get(openapi::document))
        .fallback(error::unknown_endpoint)
}

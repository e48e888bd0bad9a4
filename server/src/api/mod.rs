//! The public REST API under `/api/v1`, described by `/api/v1/openapi.json`.
//! Handlers parse input, call one use case of `backend` and shape JSON; nothing else.

pub mod bookings;
pub mod display;
pub mod error;
pub mod extract;
pub mod locations;
pub mod mediation;
pub mod openapi;
pub mod phone_codes;
pub mod ratings;
pub mod staff;
pub mod stats;
pub mod waitlist;

use crate::rate_limit::{self, Limiter};
use crate::startup::AppState;
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;

pub fn router(limiter: Option<Limiter>) -> Router<AppState> {
    // Creating bookings and mediation requests and looking codes up are rate-limited per client.
    let mut limited = Router::new()
        .route("/phone-codes", post(phone_codes::create))
        .route("/bookings", post(bookings::create))
        .route("/bookings/{code}", get(bookings::get_one))
        .route("/bookings/{code}/lookup", post(bookings::lookup))
        .route("/bookings/{code}/cancel", post(bookings::cancel))
        .route("/bookings/{code}/reschedule", post(bookings::reschedule))
        .route("/bookings/{code}/calendar.ics", get(bookings::calendar))
        .route("/bookings/{code}/qr.svg", get(bookings::qr))
        .route("/mediation-requests", post(mediation::create))
        .route("/mediation-requests/{code}", get(mediation::progress))
        .route("/mediation-requests/{code}/lookup", post(mediation::lookup))
        .route("/waitlist", post(waitlist::join))
        .route("/waitlist/{code}", get(waitlist::get_one))
        .route("/waitlist/{code}/confirm", post(waitlist::confirm))
        .route("/waitlist/{code}/decline", post(waitlist::decline))
        .route("/waitlist/{code}/leave", post(waitlist::leave))
        .route("/ratings", post(ratings::create));
    if let Some(limiter) = limiter {
        limited = limited.layer(middleware::from_fn_with_state(limiter, rate_limit::limit));
    }
    Router::new()
        .route("/locations", get(locations::list))
        .route("/locations/{id}", get(locations::get_one))
        .route("/locations/{id}/slots", get(bookings::slots))
        .route("/openapi.json", get(openapi::document))
        .route("/display/{id}", get(display::snapshot))
        .route("/display/{id}/events", get(display::events))
        .route("/staff/login", post(staff::login))
        .route("/staff/logout", post(staff::logout))
        .route("/staff/me", get(staff::me))
        .route("/staff/password", post(staff::change_password))
        .route("/staff/queue", get(staff::queue))
        .route("/staff/queue/{id}/{step}", post(staff::step))
        .route("/staff/check-in", post(staff::check_in))
        .route("/staff/walk-ins", post(staff::walk_in))
        .route("/staff/call-next", post(staff::call_next))
        .route("/staff/no-shows/{code}/revert", post(staff::revert_no_show))
        .route("/staff/audit", get(staff::audit))
        .route("/staff/waitlist", get(waitlist::at_place))
        .route("/staff/follow-ups", get(ratings::list))
        .route("/staff/follow-ups/{id}/{step}", post(ratings::step))
        .route("/staff/walk-ins/{id}/ticket", get(ratings::ticket))
        .route(
            "/staff/schedules",
            get(staff::schedules).post(staff::change_schedule),
        )
        .route("/staff/closures", post(staff::close_day))
        .route(
            "/staff/mediation-cases",
            get(mediation::list).post(mediation::from_consultation),
        )
        .route("/staff/mediation-cases/{code}", get(mediation::get_one))
        .route("/staff/mediation-cases/{code}/steps", post(mediation::step))
        .route("/stats", get(stats::get_stats))
        .route("/stats/export.csv", get(stats::export_csv))
        .route("/stats/export.xlsx", get(stats::export_xlsx))
        .merge(limited)
        .fallback(error::unknown_endpoint)
        .layer(middleware::from_fn(error::in_visitors_language))
}

//! The OpenAPI document, generated from the handlers' annotations.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "区公共法律服务平台 API", description = "Public legal-service portal of the district"),
    paths(
        super::locations::list,
        super::locations::get_one,
        super::bookings::slots,
        super::bookings::create,
        super::bookings::get_one,
        super::bookings::cancel,
        super::bookings::reschedule,
        super::bookings::calendar,
        super::bookings::qr,
        crate::startup::healthz
    ),
    components(schemas(
        super::locations::LocationJson,
        super::error::ErrorBody,
        super::bookings::SlotJson,
        super::bookings::BookingBody,
        super::bookings::BookingJson,
        super::bookings::PhoneBody,
        super::bookings::RescheduleBody,
        super::bookings::FullBody,
        super::bookings::AlternativeJson
    )),
    tags(
        (name = "places", description = "Offices and workrooms"),
        (name = "booking", description = "Residents' bookings"),
        (name = "operations")
    )
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

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
        super::bookings::lookup,
        super::bookings::cancel,
        super::bookings::reschedule,
        super::bookings::calendar,
        super::bookings::qr,
        super::staff::login,
        super::staff::logout,
        super::staff::me,
        super::staff::change_password,
        super::staff::queue,
        super::staff::check_in,
        super::staff::walk_in,
        super::staff::call_next,
        super::staff::step,
        super::staff::revert_no_show,
        super::staff::audit,
        super::staff::schedules,
        super::staff::change_schedule,
        super::staff::close_day,
        super::mediation::create,
        super::mediation::progress,
        super::mediation::lookup,
        super::mediation::list,
        super::mediation::from_consultation,
        super::mediation::get_one,
        super::mediation::step,
        super::stats::get_stats,
        super::stats::export_csv,
        super::stats::export_xlsx,
        super::display::snapshot,
        super::display::events,
        crate::startup::healthz
    ),
    components(schemas(
        super::locations::LocationJson,
        super::error::ErrorBody,
        super::bookings::SlotJson,
        super::bookings::BookingBody,
        super::bookings::BookingJson,
        super::extract::PhoneBody,
        super::bookings::RescheduleBody,
        super::bookings::FullBody,
        super::bookings::AlternativeJson,
        super::staff::AccountJson,
        super::staff::LoginBody,
        super::staff::PasswordBody,
        super::staff::EntryJson,
        super::staff::BookedJson,
        super::staff::QueueJson,
        super::staff::CheckInBody,
        super::staff::WalkInBody,
        super::staff::CallNextBody,
        super::staff::StepBody,
        super::staff::AuditJson,
        super::staff::ScheduleJson,
        super::staff::ServiceScheduleJson,
        super::staff::ScheduleBody,
        super::staff::ClosureBody,
        super::staff::DisplacedJson,
        super::staff::AppliedJson,
        super::mediation::RequestBody,
        super::mediation::CreatedJson,
        super::mediation::StepJson,
        super::mediation::SessionJson,
        super::mediation::ProgressJson,
        super::mediation::CaseJson,
        super::mediation::CaseListJson,
        super::mediation::EventJson,
        super::mediation::CaseFileJson,
        super::mediation::FromConsultationBody,
        super::stats::StatsJson
    )),
    tags(
        (name = "places", description = "Offices and workrooms"),
        (name = "booking", description = "Residents' bookings"),
        (name = "staff", description = "Staff: sign-in, the day's queue, check-in, walk-ins, calls"),
        (name = "mediation", description = "People's mediation: residents' requests and the case workflow"),
        (name = "display", description = "The office call display (public: tickets and desks only)"),
        (name = "operations")
    )
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

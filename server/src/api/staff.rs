//! Staff API: sign in and out, the day's queue, check-in, walk-ins, call next, the steps of
//! serving someone, undo, the no-show correction and the audit log. Every handler checks
//! the signed-in account's role and places in the use case it calls.

use super::error::{ApiError, ErrorBody};
use super::extract::{json_body, require_json, CurrentStaff, JsonRequest};
use crate::startup::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use backend::queue::DayQueue;
use backend::store::QueueEntryRecord;
use chrono::NaiveDate;
use domain::booking::FieldError;
use domain::queue::{Outcome, Step};
use domain::slots::to_local;
use domain::staff::StaffAccount;
use domain::{LocationId, ServiceCode};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountJson {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// `workroom_clerk`, `office_clerk`, `office_head`, `counsellor`, `district_admin`, `auditor`
    pub role: &'static str,
    pub location_id: Option<i64>,
}

impl From<&StaffAccount> for AccountJson {
    fn from(a: &StaffAccount) -> Self {
        AccountJson {
            id: a.id,
            username: a.username.clone(),
            display_name: a.display_name.clone(),
            role: a.role.code(),
            location_id: a.place.map(|p| p.0),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginBody {
    pub username: String,
    pub password: String,
}

/// Signs in and sets the session cookie.
#[utoipa::path(post, path = "/api/v1/staff/login", tag = "staff", request_body = LoginBody,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = AccountJson),
        (status = 401, description = "Wrong username or password", body = ErrorBody),
        (status = 429, description = "Too many attempts", body = ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    session: Session,
    peer: axum::extract::ConnectInfo<std::net::SocketAddr>,
    JsonRequest(b): JsonRequest<LoginBody>,
) -> Result<Json<AccountJson>, ApiError> {
    if !state.login_throttle.allow(peer.0.ip(), &b.username) {
        return Err(ApiError::too_many_requests());
    }
    let account = state
        .staff
        .login(&b.username, &b.password)
        .await
        .map_err(ApiError::from)?;
    app::device::start_staff_session(&session, &state.staff, &account)
        .await
        .map_err(ApiError::from)?;
    Ok(Json(AccountJson::from(&account)))
}

/// Signs out.
#[utoipa::path(post, path = "/api/v1/staff/logout", tag = "staff",
    responses((status = 204, description = "Signed out")))]
pub async fn logout(session: Session) -> Result<StatusCode, ApiError> {
    app::device::end_staff_session(&session)
        .await
        .map_err(ApiError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/staff/me", tag = "staff",
    responses((status = 200, body = AccountJson), (status = 401, body = ErrorBody)))]
pub async fn me(CurrentStaff(account): CurrentStaff) -> Json<AccountJson> {
    Json(AccountJson::from(&account))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordBody {
    pub old_password: String,
    pub new_password: String,
}

/// Changes the signed-in account's password.
#[utoipa::path(post, path = "/api/v1/staff/password", tag = "staff", request_body = PasswordBody,
    responses((status = 204, description = "Changed"), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    session: Session,
    JsonRequest(b): JsonRequest<PasswordBody>,
) -> Result<StatusCode, ApiError> {
    state
        .staff
        .change_password(&account, &b.old_password, &b.new_password)
        .await
        .map_err(ApiError::from)?;
    // this session goes on with the new password; every other one of the account has ended
    app::device::start_staff_session(&session, &state.staff, &account)
        .await
        .map_err(ApiError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

/// A person in the queue. Name and phone only for bookings, the phone masked; topic and
/// account only where the account may see them (psychology: counsellors only).
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryJson {
    pub id: i64,
    pub ticket: String,
    pub service: &'static str,
    /// `waiting`, `called`, `parked`, `serving`, `done`, `no_show`, `transferred`
    pub state: &'static str,
    pub can_undo: bool,
    pub desk: Option<String>,
    pub arrived_at: String,
    pub called_at: Option<String>,
    pub outcome: Option<&'static str>,
    pub booking_code: Option<String>,
    pub slot_start: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub topic: Option<String>,
}

fn entry_json(account: &StaffAccount, e: &QueueEntryRecord) -> EntryJson {
    let details = account.sees_details_of(e.service);
    EntryJson {
        id: e.id,
        ticket: e.ticket.clone(),
        service: e.service.code(),
        state: e.state.code(),
        can_undo: e.can_undo,
        desk: e.desk.clone(),
        arrived_at: to_local(&e.arrived_at).to_rfc3339(),
        called_at: e.called_at.map(|t| to_local(&t).to_rfc3339()),
        outcome: e.outcome.map(|o| o.code()),
        booking_code: e.booking.as_ref().map(|b| b.code.clone()),
        slot_start: e.booking.as_ref().map(|b| to_local(&b.start).to_rfc3339()),
        name: e.booking.as_ref().map(|b| b.name.clone()),
        phone: e.booking.as_ref().map(|b| {
            domain::booking::MobilePhone::parse(&b.phone)
                .map(|p| p.masked())
                .unwrap_or_default()
        }),
        topic: e
            .booking
            .as_ref()
            .filter(|_| details)
            .map(|b| b.topic.clone()),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BookedJson {
    pub code: String,
    pub service: &'static str,
    pub start: String,
    /// `booked`, `no_show`, `cancelled`
    pub state: &'static str,
    pub name: String,
    pub phone: String,
    pub topic: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueJson {
    pub location_id: i64,
    pub date: String,
    /// Bookings of the day that have not arrived (booked, not come, cancelled).
    pub bookings: Vec<BookedJson>,
    /// Everyone who arrived, in arrival order.
    pub entries: Vec<EntryJson>,
}

fn queue_json(account: &StaffAccount, q: &DayQueue) -> QueueJson {
    QueueJson {
        location_id: q.place.id.0,
        date: q.day.to_string(),
        bookings: q
            .bookings
            .iter()
            .map(|b| BookedJson {
                code: b.booking.code.clone(),
                service: b.booking.service.code(),
                start: to_local(&b.booking.start).to_rfc3339(),
                state: b.booking.state.code(),
                name: b.booking.name.clone(),
                phone: b.phone_masked.clone(),
                topic: b.details_visible.then(|| b.booking.topic.clone()),
            })
            .collect(),
        entries: q.entries.iter().map(|e| entry_json(account, e)).collect(),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct QueueQuery {
    location_id: Option<i64>,
    /// `YYYY-MM-DD`, default today.
    date: Option<String>,
}

/// A place's queue of a day.
#[utoipa::path(get, path = "/api/v1/staff/queue", tag = "staff", params(QueueQuery),
    responses(
        (status = 200, body = QueueJson),
        (status = 401, body = ErrorBody),
        (status = 403, description = "The place is outside the account's scope", body = ErrorBody),
    ))]
pub async fn queue(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    Query(q): Query<QueueQuery>,
) -> Result<Json<QueueJson>, ApiError> {
    let location = q
        .location_id
        .ok_or_else(|| ApiError::field(FieldError::place_required("location_id")))?;
    let day = match q.date.as_deref().filter(|d| !d.is_empty()) {
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| ApiError::field(FieldError::bad_date("date")))?,
        None => state.queues.today(),
    };
    let dq = state
        .queues
        .day_queue(&account, LocationId(location), day)
        .await
        .map_err(ApiError::from)?;
    Ok(Json(queue_json(&account, &dq)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckInBody {
    pub code: String,
}

/// Checks a booked resident in by booking code.
#[utoipa::path(post, path = "/api/v1/staff/check-in", tag = "staff", request_body = CheckInBody,
    responses(
        (status = 200, description = "In the queue, with a ticket", body = EntryJson),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Not today's, or not in a state to check in", body = ErrorBody),
    ))]
pub async fn check_in(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    JsonRequest(b): JsonRequest<CheckInBody>,
) -> Result<Json<EntryJson>, ApiError> {
    let e = state
        .queues
        .check_in(&account, &b.code)
        .await
        .map_err(ApiError::from)?;
    Ok(Json(entry_json(&account, &e)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct WalkInBody {
    pub location_id: i64,
    pub service: String,
}

/// A walk-in gets the next ticket of the service.
#[utoipa::path(post, path = "/api/v1/staff/walk-ins", tag = "staff", request_body = WalkInBody,
    responses((status = 201, body = EntryJson), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn walk_in(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    JsonRequest(b): JsonRequest<WalkInBody>,
) -> Result<Response, ApiError> {
    let service = service_named(&b.service)?;
    let e = state
        .queues
        .walk_in(&account, LocationId(b.location_id), service)
        .await
        .map_err(ApiError::from)?;
    Ok((StatusCode::CREATED, Json(entry_json(&account, &e))).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CallNextBody {
    pub location_id: i64,
    /// Desk or room name shown on the display, e.g. `1号窗口`.
    pub desk: Option<String>,
}

/// Calls the next person: booked people whose slot has started, then walk-ins by arrival.
#[utoipa::path(post, path = "/api/v1/staff/call-next", tag = "staff", request_body = CallNextBody,
    responses(
        (status = 200, description = "Called", body = EntryJson),
        (status = 204, description = "Nobody is waiting"),
        (status = 403, body = ErrorBody),
    ))]
pub async fn call_next(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    JsonRequest(b): JsonRequest<CallNextBody>,
) -> Result<Response, ApiError> {
    match state
        .queues
        .call_next(&account, LocationId(b.location_id), b.desk)
        .await
        .map_err(ApiError::from)?
    {
        Some(e) => Ok(Json(entry_json(&account, &e)).into_response()),
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

#[derive(Debug, Deserialize, ToSchema, Default)]
pub struct StepBody {
    pub desk: Option<String>,
    /// For `transfer`: the service to hand over to, and optionally another place.
    pub service: Option<String>,
    pub location_id: Option<i64>,
    /// For `finish`: `advice_given`, `referred_to_mediation`, `referred_elsewhere`, `other`.
    pub outcome: Option<String>,
    pub note: Option<String>,
}

/// One step on a person: `recall`, `park`, `serve`, `finish`, `no-show`, `transfer`, or
/// `undo` (the last action).
#[utoipa::path(post, path = "/api/v1/staff/queue/{id}/{step}", tag = "staff", request_body = StepBody,
    params(("id" = i64, Path, description = "Queue entry"), ("step" = String, Path, description = "recall, park, serve, finish, no-show, transfer or undo")),
    responses(
        (status = 200, body = EntryJson), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Not allowed in the person's state", body = ErrorBody),
    ))]
pub async fn step(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    Path((id, step)): Path<(i64, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<EntryJson>, ApiError> {
    let b: StepBody = if body.is_empty() {
        StepBody::default()
    } else {
        require_json(&headers)?;
        json_body(&body)?
    };
    let step = match step.as_str() {
        "undo" => {
            let e = state
                .queues
                .undo(&account, id)
                .await
                .map_err(ApiError::from)?;
            return Ok(Json(entry_json(&account, &e)));
        }
        "call" => Step::Call,
        "recall" => Step::Recall,
        "park" => Step::Park,
        "serve" => Step::Serve,
        "finish" => Step::Finish,
        "no-show" => Step::NoShow,
        "transfer" => {
            let service: ServiceCode =
                b.service.as_deref().unwrap_or("").parse().map_err(|_| {
                    ApiError::invalid(
                        "service",
                        "请选择要分流到的服务",
                        "Please choose the service to send the person to",
                    )
                })?;
            let e = state
                .queues
                .transfer(&account, id, b.location_id.map(LocationId), service)
                .await
                .map_err(ApiError::from)?;
            return Ok(Json(entry_json(&account, &e)));
        }
        _ => return Err(ApiError::not_found()),
    };
    let outcome = match b.outcome.as_deref() {
        None | Some("") => None,
        Some(o) => Some(Outcome::parse(o).ok_or_else(|| {
            ApiError::invalid(
                "outcome",
                "办理结果应为 advice_given、referred_to_mediation、referred_elsewhere 或 other",
"The outcome should be advice_given, referred_to_mediation, referred_elsewhere or other",
            )
        })?),
    };
    let e = state
        .queues
        .step(&account, id, step, b.desk, outcome, b.note)
        .await
        .map_err(ApiError::from)?;
    Ok(Json(entry_json(&account, &e)))
}

/// Takes back a booking's automatic no-show mark.
#[utoipa::path(post, path = "/api/v1/staff/no-shows/{code}/revert", tag = "staff",
    params(("code" = String, Path, description = "Booking code")),
    responses((status = 204, description = "Booked again"), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn revert_no_show(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    Path(code): Path<String>,
) -> Result<StatusCode, ApiError> {
    state
        .queues
        .revert_no_show(&account, &code)
        .await
        .map_err(ApiError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditJson {
    pub at: String,
    pub username: String,
    pub action: String,
    pub location_id: Option<i64>,
    pub subject: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    limit: Option<i64>,
}

/// The newest staff actions (district admins and auditors).
#[utoipa::path(get, path = "/api/v1/staff/audit", tag = "staff", params(AuditQuery),
    responses((status = 200, body = [AuditJson]), (status = 403, body = ErrorBody)))]
pub async fn audit(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<AuditJson>>, ApiError> {
    let log = state
        .staff
        .audit_log(&account, q.limit.unwrap_or(100))
        .await
        .map_err(ApiError::from)?;
    Ok(Json(
        log.into_iter()
            .map(|e| AuditJson {
                at: to_local(&e.at).to_rfc3339(),
                username: e.username,
                action: e.action,
                location_id: e.location_id.map(|l| l.0),
                subject: e.subject,
                before: e.before,
                after: e.after,
            })
            .collect(),
    ))
}

// ---- schedules ----

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceScheduleJson {
    pub service: &'static str,
    /// Weekly rules, e.g. `mon-fri 09:00-11:30 30min x2`.
    pub sessions: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleJson {
    pub location_id: i64,
    pub services: Vec<ServiceScheduleJson>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PlaceQuery {
    location_id: Option<i64>,
}

/// A schedule change's refusal; one that would cancel bookings lists them.
fn schedule_error(e: backend::schedules::ScheduleError) -> ApiError {
    match &e {
        backend::schedules::ScheduleError::NeedsConfirmation(displaced) => {
            let choices: Vec<_> = displaced.iter().map(displaced_json).collect();
            ApiError::with_choices(&e, "confirm", "displaced", choices)
        }
        _ => e.into(),
    }
}

/// A booking a schedule change cancels (shown to the office head before saving).
#[derive(Debug, Serialize, ToSchema)]
pub struct DisplacedJson {
    pub code: String,
    pub start: String,
    pub name: String,
    pub phone: String,
}

fn displaced_json(b: &backend::store::BookingRecord) -> DisplacedJson {
    DisplacedJson {
        code: b.code.clone(),
        start: to_local(&b.start).to_rfc3339(),
        name: b.name.clone(),
        phone: domain::booking::MobilePhone::parse(&b.phone)
            .map(|p| p.masked())
            .unwrap_or_default(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppliedJson {
    /// Bookings the change cancelled; their holders are sent a message.
    pub cancelled: Vec<DisplacedJson>,
}

impl From<backend::schedules::Applied> for AppliedJson {
    fn from(applied: backend::schedules::Applied) -> Self {
        AppliedJson {
            cancelled: applied.cancelled.iter().map(displaced_json).collect(),
        }
    }
}

/// The service a request body names; `422` on `service` when there is none such.
fn service_named(code: &str) -> Result<ServiceCode, ApiError> {
    code.parse()
        .map_err(|_| ApiError::field(FieldError::no_such_service("service")))
}

/// The weekly rules of a place (office heads of the place, district admins).
#[utoipa::path(get, path = "/api/v1/staff/schedules", tag = "staff", params(PlaceQuery),
    responses((status = 200, body = ScheduleJson), (status = 403, body = ErrorBody)))]
pub async fn schedules(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    Query(q): Query<PlaceQuery>,
) -> Result<Json<ScheduleJson>, ApiError> {
    let id = q
        .location_id
        .ok_or_else(|| ApiError::field(FieldError::place_required("location_id")))?;
    let current = state
        .schedules
        .current(&account, LocationId(id))
        .await
        .map_err(schedule_error)?;
    Ok(Json(ScheduleJson {
        location_id: id,
        services: current
            .into_iter()
            .map(|(service, sessions)| ServiceScheduleJson {
                service: service.code(),
                sessions,
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ScheduleBody {
    pub location_id: i64,
    pub service: String,
    pub sessions: Vec<String>,
    /// Apply even though it cancels the bookings listed by the first attempt.
    #[serde(default)]
    pub confirm: bool,
}

/// Replaces the weekly rules of a service at a place. Without `confirm`, a change that would
/// cancel bookings is refused with `409` listing them.
#[utoipa::path(post, path = "/api/v1/staff/schedules", tag = "staff", request_body = ScheduleBody,
    responses(
        (status = 200, body = AppliedJson),
        (status = 409, description = "Would cancel the listed bookings; send again with confirm", body = [DisplacedJson]),
        (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
    ))]
pub async fn change_schedule(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    JsonRequest(b): JsonRequest<ScheduleBody>,
) -> Result<Json<AppliedJson>, ApiError> {
    let service = service_named(&b.service)?;
    let applied = state
        .schedules
        .change_weekly(
            &account,
            LocationId(b.location_id),
            service,
            &b.sessions,
            b.confirm,
        )
        .await
        .map_err(schedule_error)?;
    Ok(Json(AppliedJson::from(applied)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ClosureBody {
    pub location_id: i64,
    pub service: String,
    /// `YYYY-MM-DD`
    pub date: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub confirm: bool,
}

/// Closes a service at a place on a date; like a schedule change, bookings are listed first.
#[utoipa::path(post, path = "/api/v1/staff/closures", tag = "staff", request_body = ClosureBody,
    responses((status = 200, body = AppliedJson), (status = 409, body = [DisplacedJson]), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn close_day(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    JsonRequest(b): JsonRequest<ClosureBody>,
) -> Result<Json<AppliedJson>, ApiError> {
    let service = service_named(&b.service)?;
    let date = NaiveDate::parse_from_str(&b.date, "%Y-%m-%d").map_err(|_| {
        ApiError::invalid(
            "date",
            "日期格式应为 YYYY-MM-DD",
            "The date should be written YYYY-MM-DD",
        )
    })?;
    let applied = state
        .schedules
        .close_day(
            &account,
            LocationId(b.location_id),
            service,
            date,
            &b.note,
            b.confirm,
        )
        .await
        .map_err(schedule_error)?;
    Ok(Json(AppliedJson::from(applied)))
}

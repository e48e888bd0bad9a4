//! Ratings (好差评): a resident rates a finished visit or mediation case once; staff list the
//! follow-ups of poor ratings and record the call back and what was changed.

use super::error::{ApiError, ErrorBody};
use super::extract::{json_body, CurrentStaff, JsonRequest};
use crate::startup::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use backend::rating::FollowUpItem;
use backend::store::RatingRecord;
use domain::rating::{FollowUpStep, RatingForm};
use domain::slots::to_local;
use domain::LocationId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A resident's rating of a finished service.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RatingBody {
    /// A booking code or mediation case code (with `phone`), or the code of a walk-in
    /// ticket's QR link (`W<number>-<tag>`, no phone needed).
    #[schema(example = "K7M2P9XQ4R")]
    pub code: Option<String>,
    /// The phone the booking or request was made with.
    pub phone: Option<String>,
    /// `very_satisfied`, `satisfied`, `basic`, `dissatisfied` or `very_dissatisfied`.
    #[schema(example = "dissatisfied")]
    pub level: Option<String>,
    /// Required (at least one) for `dissatisfied` and `very_dissatisfied`: `attitude`,
    /// `waiting_time`, `unclear_answer`, `outcome`, `environment`, `other`.
    pub reasons: Option<Vec<String>>,
    /// Optional, at most 200 characters.
    pub comment: Option<String>,
}

/// A rating as given.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingJson {
    pub id: i64,
    /// `booking`, `walk_in` or `case`
    pub kind: &'static str,
    pub location_id: i64,
    pub service: &'static str,
    pub level: &'static str,
    pub level_label: &'static str,
    pub reasons: Vec<&'static str>,
    pub comment: Option<String>,
    pub rated_at: String,
    /// For a poor rating: the day (`YYYY-MM-DD`) by whose end the place calls back.
    pub follow_up_due: Option<String>,
}

impl From<&RatingRecord> for RatingJson {
    fn from(r: &RatingRecord) -> Self {
        RatingJson {
            id: r.id,
            kind: r.subject.kind().code(),
            location_id: r.location_id.0,
            service: r.service.code(),
            level: r.rating.level.code(),
            level_label: r.rating.level.label_zh(),
            reasons: r.rating.reasons.iter().map(|x| x.code()).collect(),
            comment: r.rating.comment.as_ref().map(|c| c.as_str().to_string()),
            rated_at: to_local(&r.rated_at).to_rfc3339(),
            follow_up_due: r.follow_up.as_ref().map(|f| f.follow_up.due.to_string()),
        }
    }
}

/// Rates a finished visit (booked or walk-in) or a closed mediation case, once, within 7
/// days. A poor rating needs a reason and opens a follow-up by the place.
#[utoipa::path(post, path = "/api/v1/ratings", tag = "booking", request_body = RatingBody,
    responses(
        (status = 201, description = "Rated", body = RatingJson),
        (status = 404, description = "Unknown code, or not this phone's (the same answer)", body = ErrorBody),
        (status = 409, description = "Already rated, not finished, or more than 7 days ago", body = ErrorBody),
        (status = 422, description = "Invalid field (`level`, `reasons`, `comment`)", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub async fn create(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let b: RatingBody = json_body(&body)?;
    let form = RatingForm {
        level: b.level.unwrap_or_default(),
        reasons: b.reasons.unwrap_or_default(),
        comment: b.comment,
    };
    let record = state
        .ratings
        .rate(
            b.code.as_deref().unwrap_or_default(),
            b.phone.as_deref().unwrap_or_default(),
            &form,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(RatingJson::from(&record))).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct FollowUpQuery {
    /// A place; without one, every open follow-up the account's scope covers.
    location_id: Option<i64>,
    /// With a place: also the closed ones.
    all: Option<bool>,
}

/// A poor rating's follow-up as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpJson {
    pub rating_id: i64,
    pub location_id: i64,
    pub place_name: String,
    pub service: &'static str,
    /// `booking`, `walk_in` or `case`
    pub kind: &'static str,
    pub rated_at: String,
    /// Blank where the account may not see it (psychology: counsellors only).
    pub level: Option<&'static str>,
    pub reasons: Vec<&'static str>,
    pub comment: Option<String>,
    /// `open`, `called` or `closed`
    pub state: &'static str,
    pub state_label: &'static str,
    /// The day by whose end it must be closed.
    pub due: String,
    pub overdue: bool,
    pub said: Option<String>,
    pub changed: Option<String>,
    pub closed_on_time: Option<bool>,
    /// Whether this account may record the next step.
    pub may_act: bool,
}

impl From<&FollowUpItem> for FollowUpJson {
    fn from(i: &FollowUpItem) -> Self {
        FollowUpJson {
            rating_id: i.rating_id,
            location_id: i.place.id.0,
            place_name: i.place.name.clone(),
            service: i.record.service.code(),
            kind: i.record.subject.kind().code(),
            rated_at: to_local(&i.record.rated_at).to_rfc3339(),
            level: i.level.map(|l| l.code()),
            reasons: i.record.rating.reasons.iter().map(|r| r.code()).collect(),
            comment: i
                .record
                .rating
                .comment
                .as_ref()
                .map(|c| c.as_str().to_string()),
            state: i.follow_up.state.code(),
            state_label: i.follow_up.state.label_zh(),
            due: i.follow_up.due.to_string(),
            overdue: i.overdue,
            said: i.said.clone(),
            changed: i.changed.clone(),
            closed_on_time: i.follow_up.closed_on_time(),
            may_act: i.may_act,
        }
    }
}

/// The follow-ups of poor ratings: a place's (open ones, or all with `all=true`), or every
/// open one in the account's scope (the district's for district roles). Overdue items are
/// flagged.
#[utoipa::path(get, path = "/api/v1/staff/follow-ups", tag = "staff", params(FollowUpQuery),
    responses((status = 200, body = [FollowUpJson]), (status = 401, body = ErrorBody),
        (status = 403, description = "The place is outside the account's scope", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    Query(q): Query<FollowUpQuery>,
) -> Result<Json<Vec<FollowUpJson>>, ApiError> {
    let items = state
        .ratings
        .follow_ups(
            &account,
            q.location_id.map(LocationId),
            !q.all.unwrap_or(false),
        )
        .await?;
    Ok(Json(items.iter().map(FollowUpJson::from).collect()))
}

/// What staff record at a step.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct FollowUpStepBody {
    /// `call`: what the resident said on the call back (or that they could not be reached).
    pub said: Option<String>,
    /// `close`: what the place changed.
    pub changed: Option<String>,
}

/// Records the call back (`call`, with `said`) or closes the follow-up (`close`, with
/// `changed`). Audited.
#[utoipa::path(post, path = "/api/v1/staff/follow-ups/{id}/{step}", tag = "staff", request_body = FollowUpStepBody,
    params(("id" = i64, Path, description = "The rating"), ("step" = String, Path, description = "call or close")),
    responses(
        (status = 200, body = FollowUpJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Not allowed in the follow-up's state", body = ErrorBody),
        (status = 422, description = "Missing or too long `said` / `changed`", body = ErrorBody),
    ))]
pub async fn step(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    Path((id, step)): Path<(i64, String)>,
    JsonRequest(b): JsonRequest<FollowUpStepBody>,
) -> Result<Json<FollowUpJson>, ApiError> {
    // each step reads its own field of the body
    let note = match step.as_str() {
        "call" => b.said,
        _ => b.changed,
    };
    let step = FollowUpStep::parse(&step, note.as_deref().unwrap_or_default())
        .map_err(ApiError::field)?
        .ok_or_else(ApiError::not_found)?;
    let item = state.ratings.step(&account, id, step).await?;
    Ok(Json(FollowUpJson::from(&item)))
}

/// A walk-in ticket's rating code and link, for its QR code.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketJson {
    pub entry_id: i64,
    pub ticket: String,
    /// The code of the link (`/rate/{code}`); it alone lets the holder rate the visit.
    pub rating_code: String,
    pub rating_url: String,
}

/// The rating code of a walk-in's ticket (staff at its desk), printed as a QR code.
#[utoipa::path(get, path = "/api/v1/staff/walk-ins/{id}/ticket", tag = "staff",
    params(("id" = i64, Path, description = "Queue entry")),
    responses((status = 200, body = TicketJson), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn ticket(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    Path(id): Path<i64>,
) -> Result<Json<TicketJson>, ApiError> {
    let entry = state.queues.entry(&account, id).await?;
    let code = state.ratings.walk_in_code(entry.id);
    Ok(Json(TicketJson {
        entry_id: entry.id,
        ticket: entry.ticket,
        rating_url: format!("{}/rate/{code}", state.public_url),
        rating_code: code,
    }))
}

//! Mediation API: residents file a request and follow it by code and phone; staff list a
//! place's cases, read one, and take the workflow's steps. Case details go only to those
//! `domain::mediation::sees_case` allows; the use case checks it.

use super::error::{ApiError, ErrorBody};
use super::extract::{
    json_body, require_json, CurrentStaff, JsonRequest, PhoneBody, PhoneQuery, ResidentPhone,
};
use crate::startup::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use backend::mediation::{CaseFile, CaseProgress};
use backend::store::CaseRecord;
use domain::mediation::{CaseAction, MediationForm};
use domain::slots::to_local;
use domain::LocationId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A resident's request for mediation.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RequestBody {
    pub applicant_name: Option<String>,
    /// 11-digit mainland mobile number.
    pub applicant_phone: Option<String>,
    pub other_party_name: Option<String>,
    pub other_party_phone: Option<String>,
    /// How the applicant knows the other party, e.g. 邻居.
    pub relation: Option<String>,
    /// `neighbour`, `family`, `property`, `renovation`, `labour`, `consumer`, `commercial`,
    /// `ip`, `other`.
    pub dispute_type: Option<String>,
    /// What happened and what the applicant asks for (10–1000 characters).
    pub account: Option<String>,
    /// The preferred office or workroom (IP disputes: a place with an IP mediation room).
    pub location_id: Option<i64>,
    /// Must be `true`: consent to the personal-information notice.
    pub consent: Option<bool>,
    /// The 6-digit code sent to `applicant_phone` (`POST /api/v1/phone-codes`); required
    /// when the portal verifies phones (`PORTAL_PHONE_VERIFY=sms`, the default).
    #[schema(example = "123456")]
    pub phone_code: Option<String>,
}

impl From<RequestBody> for MediationForm {
    fn from(b: RequestBody) -> Self {
        MediationForm {
            applicant_name: b.applicant_name.unwrap_or_default(),
            applicant_phone: b.applicant_phone.unwrap_or_default(),
            other_party_name: b.other_party_name.unwrap_or_default(),
            other_party_phone: b.other_party_phone,
            relation: b.relation,
            dispute_type: b.dispute_type.unwrap_or_default(),
            account: b.account.unwrap_or_default(),
            location_id: b.location_id.map(LocationId),
            consent: b.consent.unwrap_or(false),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedJson {
    /// The case code the resident keeps (10 characters, shown as XXXXX-XXXXX).
    pub code: String,
    pub state: &'static str,
    pub state_label: &'static str,
}

/// Files a mediation request.
#[utoipa::path(post, path = "/api/v1/mediation-requests", tag = "mediation", request_body = RequestBody,
    responses(
        (status = 201, description = "Filed", body = CreatedJson),
        (status = 422, description = "Invalid field (the first, in form order), e.g. a missing or wrong `phone_code`", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub async fn create(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let mut b: RequestBody = json_body(&body)?;
    let proof = backend::verify::PhoneProof::code(b.phone_code.take());
    let case = state
        .mediation
        .submit(&MediationForm::from(b), &proof)
        .await
        .map_err(ApiError::from)?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedJson {
            code: case.code,
            state: case.state.code(),
            state_label: case.state.label_zh(),
        }),
    )
        .into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepJson {
    pub state: &'static str,
    pub label: &'static str,
    /// RFC 3339, Asia/Shanghai.
    pub at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionJson {
    pub start: String,
    pub location_id: i64,
    pub place_name: String,
    pub address: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressJson {
    pub code: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub dispute_type: &'static str,
    pub location_id: i64,
    pub place_name: String,
    pub timeline: Vec<StepJson>,
    pub next_session: Option<SessionJson>,
    pub agreement_no: Option<String>,
    pub refusal_reason: Option<String>,
    /// `court`, `police_law_firm`, `procuratorate`, `department`.
    pub referral: Option<&'static str>,
}

fn local(t: chrono::DateTime<chrono::Utc>) -> String {
    to_local(&t).to_rfc3339()
}

impl From<CaseProgress> for ProgressJson {
    fn from(p: CaseProgress) -> Self {
        ProgressJson {
            code: p.code,
            state: p.state.code(),
            state_label: p.state.label_zh(),
            dispute_type: p.dispute_type.code(),
            location_id: p.place.id.0,
            place_name: p.place.name,
            timeline: p
                .timeline
                .into_iter()
                .map(|(s, at)| StepJson {
                    state: s.code(),
                    label: s.label_zh(),
                    at: local(at),
                })
                .collect(),
            next_session: p.next_session.map(|(at, place)| SessionJson {
                start: local(at),
                location_id: place.id.0,
                place_name: place.name,
                address: place.address,
            }),
            agreement_no: p.agreement_no,
            refusal_reason: p.refusal_reason,
            referral: p.referral.map(|r| r.code()),
        }
    }
}

/// A case as its applicant follows it, by code and phone (the same 404 for either wrong).
/// The phone number may come in the `X-Resident-Phone` header instead of the query.
#[utoipa::path(get, path = "/api/v1/mediation-requests/{code}", tag = "mediation",
    params(("code" = String, Path, description = "Case code"), PhoneQuery,
        ("X-Resident-Phone" = Option<String>, Header, description = "The phone number, instead of the query")),
    responses((status = 200, body = ProgressJson), (status = 404, description = "Unknown code or wrong phone", body = ErrorBody)))]
pub async fn progress(
    State(state): State<AppState>,
    Path(code): Path<String>,
    ResidentPhone(phone): ResidentPhone,
) -> Result<Json<ProgressJson>, ApiError> {
    let p = state
        .mediation
        .progress(&code, &phone)
        .await
        .map_err(ApiError::from)?;
    Ok(Json(p.into()))
}

/// The same look-up with the phone number in the body, so it stands in no URL.
#[utoipa::path(post, path = "/api/v1/mediation-requests/{code}/lookup", tag = "mediation",
    request_body = PhoneBody,
    params(("code" = String, Path, description = "Case code")),
    responses((status = 200, body = ProgressJson), (status = 404, description = "Unknown code or wrong phone", body = ErrorBody)))]
pub async fn lookup(
    State(state): State<AppState>,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Json<ProgressJson>, ApiError> {
    let b: PhoneBody = json_body(&body)?;
    let p = state
        .mediation
        .progress(&code, b.phone.as_deref().unwrap_or(""))
        .await
        .map_err(ApiError::from)?;
    Ok(Json(p.into()))
}

// ---- staff --------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseJson {
    pub code: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub version: i64,
    pub dispute_type: &'static str,
    pub location_id: i64,
    /// The consultation (queue entry) the case grew out of, if any.
    pub queue_entry_id: Option<i64>,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub other_party_name: String,
    pub other_party_phone: Option<String>,
    pub relation: Option<String>,
    pub account: String,
    pub mediator_id: Option<i64>,
    pub submitted_at: String,
    pub closed_at: Option<String>,
    /// `refused`, `not_mediated`, `written_agreement`, `oral_agreement`, `failed`, `referred`.
    pub outcome: Option<String>,
    pub referral: Option<&'static str>,
    /// In fen (分).
    pub amount_fen: Option<i64>,
    pub terms: Option<String>,
    pub reason: Option<String>,
    pub agreement_no: Option<String>,
    pub next_session_start: Option<String>,
    pub next_session_location_id: Option<i64>,
    pub overdue: bool,
}

impl CaseJson {
    fn new(c: CaseRecord, overdue: bool) -> Self {
        CaseJson {
            state: c.state.code(),
            state_label: c.state.label_zh(),
            version: c.version,
            dispute_type: c.dispute_type.code(),
            location_id: c.location_id.0,
            queue_entry_id: c.queue_entry_id,
            applicant_name: c.applicant_name,
            applicant_phone: c.applicant_phone,
            other_party_name: c.other_party_name,
            other_party_phone: c.other_party_phone,
            relation: c.relation,
            account: c.account,
            mediator_id: c.mediator_id,
            submitted_at: local(c.submitted_at),
            closed_at: c.closed_at.map(local),
            outcome: c.outcome.map(|o| o.code().to_string()),
            referral: c.referral.map(|r| r.code()),
            amount_fen: c.amount.map(|a| a.0),
            terms: c.terms,
            reason: c.reason,
            agreement_no: c.agreement_no,
            next_session_start: c.next_session.map(|(at, _)| local(at)),
            next_session_location_id: c.next_session.map(|(_, p)| p.0),
            overdue,
            code: c.code,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseListJson {
    pub location_id: i64,
    /// The cases this account may see, newest first.
    pub cases: Vec<CaseJson>,
    /// Cases at the place this account may not see (counted only).
    pub hidden: usize,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PlaceQuery {
    pub location_id: i64,
}

/// A place's mediation cases, as far as the account may see them.
#[utoipa::path(get, path = "/api/v1/staff/mediation-cases", tag = "mediation", params(PlaceQuery),
    responses((status = 200, body = CaseListJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    Query(q): Query<PlaceQuery>,
) -> Result<Json<CaseListJson>, ApiError> {
    let list = state
        .mediation
        .cases_at(&account, LocationId(q.location_id))
        .await
        .map_err(ApiError::from)?;
    Ok(Json(CaseListJson {
        location_id: list.place.id.0,
        cases: list
            .visible
            .into_iter()
            .map(|s| CaseJson::new(s.case, s.overdue))
            .collect(),
        hidden: list.hidden,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventJson {
    pub at: String,
    pub action: String,
    pub from_state: Option<&'static str>,
    pub to_state: &'static str,
    pub staff_id: Option<i64>,
    /// The step's fields as JSON text.
    pub detail: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseFileJson {
    pub case: CaseJson,
    pub events: Vec<EventJson>,
    pub mediator_name: Option<String>,
}

impl From<CaseFile> for CaseFileJson {
    fn from(f: CaseFile) -> Self {
        CaseFileJson {
            mediator_name: f.mediator.map(|m| m.display_name),
            events: f
                .events
                .into_iter()
                .map(|e| EventJson {
                    at: local(e.at),
                    action: e.action,
                    from_state: e.from_state.map(|s| s.code()),
                    to_state: e.to_state.code(),
                    staff_id: e.staff_id,
                    detail: e.detail,
                })
                .collect(),
            case: CaseJson::new(f.case, f.overdue),
        }
    }
}

/// One case with its history.
#[utoipa::path(get, path = "/api/v1/staff/mediation-cases/{code}", tag = "mediation",
    params(("code" = String, Path, description = "Case code")),
    responses((status = 200, body = CaseFileJson), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    Path(code): Path<String>,
) -> Result<Json<CaseFileJson>, ApiError> {
    let file = state
        .mediation
        .case_file(&account, &code)
        .await
        .map_err(ApiError::from)?;
    Ok(Json(file.into()))
}

/// A consultation at the desk that turns out to be a dispute.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FromConsultationBody {
    /// The queue entry of the consultation (its place becomes the case's place).
    pub queue_entry_id: Option<i64>,
    #[serde(flatten)]
    pub request: RequestBody,
}

/// Turns a consultation into a mediation case (accepted at once), linked to its queue entry.
#[utoipa::path(post, path = "/api/v1/staff/mediation-cases", tag = "mediation", request_body = FromConsultationBody,
    responses(
        (status = 201, description = "The new case", body = CaseJson),
        (status = 403, body = ErrorBody), (status = 404, description = "No such queue entry", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn from_consultation(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    JsonRequest(b): JsonRequest<FromConsultationBody>,
) -> Result<Response, ApiError> {
    let entry = b.queue_entry_id.ok_or_else(|| {
        ApiError::invalid(
            "queue_entry_id",
            "请指明是哪一位来访者",
            "Please say which visitor this is",
        )
    })?;
    let case = state
        .mediation
        .from_consultation(&account, entry, &MediationForm::from(b.request))
        .await
        .map_err(ApiError::from)?;
    let overdue = state.mediation.is_overdue(&case);
    Ok((StatusCode::CREATED, Json(CaseJson::new(case, overdue))).into_response())
}

/// A step on a case: the action and its fields, plus the version the caller saw.
#[derive(Debug, Deserialize)]
pub struct StepBody {
    #[serde(flatten)]
    pub action: CaseAction,
    pub version: Option<i64>,
}

/// Takes one step of the workflow. The body names the `action` and its fields:
/// `{"action":"accept"}`, `{"action":"refuse","reason":"…"}`,
/// `{"action":"assign_mediator","mediator_id":7}`, `{"action":"invite_other_party"}`,
/// `{"action":"other_party_agrees"}`, `{"action":"other_party_refuses"}`,
/// `{"action":"schedule_session","location_id":4,"start":"2026-12-09T10:00:00+08:00"}`,
/// `{"action":"conclude","outcome":{"kind":"written_agreement","amount":500000,"terms":"…"}}`
/// (amount in fen; other kinds `oral_agreement` with `terms`, `failed` with `reason`,
/// `referred` with `channel`), `{"action":"refer","channel":"court"}` (also
/// `police_law_firm`, `procuratorate`, `department`), `{"action":"follow_up","kept":true,"note":"…"}`.
/// Optional `"version"`: refused with 409 if the case changed since.
#[utoipa::path(post, path = "/api/v1/staff/mediation-cases/{code}/steps", tag = "mediation",
    params(("code" = String, Path, description = "Case code")),
    request_body(content = Object, description = "The action and its fields (see above)"),
    responses(
        (status = 200, description = "The case after the step", body = CaseJson),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Not possible in the case's state, or changed meanwhile", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn step(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<CaseJson>, ApiError> {
    require_json(&headers)?;
    let b: StepBody = serde_json::from_slice(&body).map_err(|_| {
        ApiError::invalid(
            "action",
            "无法识别的操作或缺少字段",
            "Unknown action, or a field is missing",
        )
    })?;
    let case = state
        .mediation
        .step(&account, &code, b.action, b.version)
        .await
        .map_err(ApiError::from)?;
    let overdue = state.mediation.is_overdue(&case);
    Ok(Json(CaseJson::new(case, overdue)))
}

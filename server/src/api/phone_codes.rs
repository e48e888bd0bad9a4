//! `POST /api/v1/phone-codes`: sends a one-time code to a resident's phone, to be given as
//! `phone_code` with a booking, a mediation request or a change.

use super::error::{ApiError, ErrorBody};
use super::extract::json_body;
use crate::startup::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use backend::verify::VerifyError;
use domain::slots::to_local;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct CodeRequest {
    /// 11-digit mainland mobile number.
    #[schema(example = "13812345678")]
    pub phone: Option<String>,
}

/// A code is on its way.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeSentJson {
    /// Where it went, masked (`138****5678`).
    pub phone: String,
    /// When it stops being accepted (RFC 3339, Asia/Shanghai).
    pub expires_at: String,
    /// Only in a demo without an SMS gateway: the code itself, since no message is sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demo_code: Option<String>,
}

/// Sends a 6-digit code by text message (it replaces the phone's earlier code). A phone gets
/// at most 5 codes an hour and 10 a day; beyond that the answer is 429 with `Retry-After`.
#[utoipa::path(post, path = "/api/v1/phone-codes", tag = "booking", request_body = CodeRequest,
    responses(
        (status = 202, description = "A code was sent", body = CodeSentJson),
        (status = 422, description = "Invalid `phone`", body = ErrorBody),
        (status = 429, description = "Too many codes for this phone, or too many requests; see Retry-After", body = ErrorBody),
    ))]
pub async fn create(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let b: CodeRequest = json_body(&body)?;
    let lang = super::error::api_lang();
    match state
        .verifier
        .send_code(b.phone.as_deref().unwrap_or(""), lang)
        .await
    {
        Ok(sent) => Ok((
            StatusCode::ACCEPTED,
            Json(CodeSentJson {
                phone: sent.masked_phone,
                expires_at: to_local(&sent.expires_at).to_rfc3339(),
                demo_code: sent.demo_code.map(|c| c.to_string()),
            }),
        )
            .into_response()),
        Err(VerifyError::TooManyCodes(t)) => Ok((
            [(header::RETRY_AFTER, t.retry_after_secs().to_string())],
            ApiError::from(VerifyError::TooManyCodes(t)),
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

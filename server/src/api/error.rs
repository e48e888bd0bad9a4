//! The API's error type: one JSON shape for every failure, mapped to a status code.
//! Internal details are logged by the layer below and never sent to clients.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use backend::ServiceError;
use serde::Serialize;
use utoipa::ToSchema;

/// Body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `not_found`, `invalid`.
    pub error: &'static str,
    /// Explanation for people, in Chinese.
    pub message: String,
    /// The input field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug)]
pub enum ApiError {
    NotFound,
    Invalid {
        field: String,
        message: String,
    },
    /// The body is not JSON at all.
    BadRequest {
        message: String,
    },
    /// The slot is full; the nearest free alternatives.
    Full {
        alternatives: Vec<super::bookings::AlternativeJson>,
    },
    /// A rule forbids it (fairness, the booking's state); the message says why.
    Refused {
        message: String,
    },
    TooManyRequests,
    /// Not signed in, or wrong username or password.
    Unauthorized {
        message: String,
    },
    /// Signed in, but the account's role or places do not cover it.
    Forbidden,
    Internal,
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => ApiError::NotFound,
            ServiceError::Internal => ApiError::Internal,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                ErrorBody {
                    error: "not_found",
                    message: "没有找到".into(),
                    field: None,
                },
            ),
            ApiError::Invalid { field, message } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorBody {
                    error: "invalid",
                    message,
                    field: Some(field),
                },
            ),
            ApiError::BadRequest { message } => (
                StatusCode::BAD_REQUEST,
                ErrorBody {
                    error: "bad_request",
                    message,
                    field: None,
                },
            ),
            ApiError::Full { alternatives } => {
                let body = super::bookings::FullBody {
                    error: "full",
                    message: "这个时段已约满，请选择其他时段".into(),
                    alternatives,
                };
                return (StatusCode::CONFLICT, Json(body)).into_response();
            }
            ApiError::Refused { message } => (
                StatusCode::CONFLICT,
                ErrorBody {
                    error: "refused",
                    message,
                    field: None,
                },
            ),
            ApiError::TooManyRequests => (
                StatusCode::TOO_MANY_REQUESTS,
                ErrorBody {
                    error: "rate_limited",
                    message: "操作太频繁，请稍后再试".into(),
                    field: None,
                },
            ),
            ApiError::Unauthorized { message } => (
                StatusCode::UNAUTHORIZED,
                ErrorBody {
                    error: "unauthorized",
                    message,
                    field: None,
                },
            ),
            ApiError::Forbidden => (
                StatusCode::FORBIDDEN,
                ErrorBody {
                    error: "forbidden",
                    message: "没有权限进行这项操作".into(),
                    field: None,
                },
            ),
            ApiError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorBody {
                    error: "internal",
                    message: "服务器暂时出错，请稍后再试".into(),
                    field: None,
                },
            ),
        };
        (status, Json(body)).into_response()
    }
}

pub async fn unknown_endpoint() -> ApiError {
    ApiError::NotFound
}

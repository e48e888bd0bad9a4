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
    Invalid { field: String, message: String },
    Internal,
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => ApiError::NotFound,
            ServiceError::Invalid { field, message } => ApiError::Invalid { field, message },
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

//! The API's error type: one JSON shape for every failure, mapped to a status code. A use
//! case's error becomes one by its kind ([`ErrorKind`]), its words and its field, the same
//! ones the pages show; internal details are logged by the layer below and never sent.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use backend::error::kind_message;
use backend::{ErrorKind, UseCaseError};
use domain::Lang;
use serde::Serialize;
use utoipa::ToSchema;

tokio::task_local! {
    static LANG: Lang;
}

/// The language the API answers the request in hand with: the visitor's (their `lang`
/// cookie, else their browser's `Accept-Language`, else Chinese), as for the refusals made
/// before any handler ran and for the pages.
pub fn api_lang() -> Lang {
    LANG.try_with(|lang| *lang).unwrap_or_default()
}

/// Answers every API request in the visitor's language (see [`api_lang`]).
pub async fn in_visitors_language(req: Request, next: Next) -> Response {
    let lang = crate::hardening::lang_of(req.headers());
    LANG.scope(lang, next.run(req)).await
}

/// Body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `not_found`, `invalid`.
    pub error: &'static str,
    /// Explanation for people, in the visitor's language: their `lang` cookie (`zh-CN` or
    /// `en`), else their `Accept-Language`, else Chinese.
    pub message: String,
    /// The input field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug)]
pub enum ApiError {
    /// A refusal of a use case (its kind, words and field) or of the handler itself.
    Refusal {
        kind: ErrorKind,
        message: String,
        field: Option<String>,
    },
    /// The body is not JSON at all.
    BadRequest { message: String },
    /// `409` with what the person may choose instead, under `key`: the free `alternatives`
    /// of a full slot (`full`), the bookings a schedule change would cancel (`confirm`).
    Choice {
        error: &'static str,
        message: String,
        key: &'static str,
        details: serde_json::Value,
    },
}

impl ApiError {
    /// A refusal of `kind` in its general words.
    pub fn of_kind(kind: ErrorKind) -> Self {
        ApiError::Refusal {
            kind,
            message: kind_message(kind, api_lang()).into(),
            field: None,
        }
    }

    pub fn not_found() -> Self {
        Self::of_kind(ErrorKind::NotFound)
    }

    /// Signed in, but the account's role or places do not cover it.
    pub fn forbidden() -> Self {
        Self::of_kind(ErrorKind::Forbidden)
    }

    pub fn too_many_requests() -> Self {
        Self::of_kind(ErrorKind::Unavailable)
    }

    /// Failed inside; the details were logged where it happened.
    pub fn internal() -> Self {
        Self::of_kind(ErrorKind::Internal)
    }

    /// A handler's own check of a field failed; what it says in Chinese and in English.
    /// A domain field error, in the visitor's language.
    pub fn field(e: domain::booking::FieldError) -> Self {
        ApiError::invalid(e.field, &e.message, &e.en)
    }

    pub fn invalid(field: impl Into<String>, zh: &str, en: &str) -> Self {
        ApiError::Refusal {
            kind: ErrorKind::Invalid,
            message: in_lang(zh, en),
            field: Some(field.into()),
        }
    }

    /// The body is not (the) JSON (asked for); what to send instead, in either language.
    pub fn bad_request(zh: &str, en: &str) -> Self {
        ApiError::BadRequest {
            message: in_lang(zh, en),
        }
    }

    /// A use case's [`ErrorKind::Conflict`] with what the person may choose instead, under
    /// `key` of a `409` whose `error` is `code`.
    pub fn with_choices(
        e: &dyn UseCaseError,
        code: &'static str,
        key: &'static str,
        choices: impl Serialize,
    ) -> Self {
        ApiError::Choice {
            error: code,
            message: e.message(api_lang()),
            key,
            details: serde_json::to_value(choices).unwrap_or_default(),
        }
    }

    /// The one conversion of a use case's error: its kind, its words in `lang`, its field.
    pub fn from_use_case(e: &dyn UseCaseError, lang: Lang) -> Self {
        ApiError::Refusal {
            kind: e.kind(),
            message: e.message(lang),
            field: e.field().map(String::from),
        }
    }
}

impl<E: UseCaseError> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError::from_use_case(&e, api_lang())
    }
}

fn in_lang(zh: &str, en: &str) -> String {
    match api_lang() {
        Lang::ZhCn => zh.into(),
        Lang::En => en.into(),
    }
}

/// The status code and the machine-readable code of a kind.
pub fn status_of(kind: ErrorKind) -> (StatusCode, &'static str) {
    match kind {
        ErrorKind::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        ErrorKind::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        ErrorKind::Refused | ErrorKind::Conflict => (StatusCode::CONFLICT, "refused"),
        ErrorKind::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
        ErrorKind::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
        ErrorKind::Unavailable => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
        ErrorKind::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::Refusal {
                kind,
                message,
                field,
            } => {
                let (status, error) = status_of(kind);
                (
                    status,
                    ErrorBody {
                        error,
                        message,
                        field,
                    },
                )
            }
            ApiError::BadRequest { message } => (
                StatusCode::BAD_REQUEST,
                ErrorBody {
                    error: "bad_request",
                    message,
                    field: None,
                },
            ),
            ApiError::Choice {
                error,
                message,
                key,
                details,
            } => {
                let mut body = serde_json::Map::new();
                body.insert("error".into(), error.into());
                body.insert("message".into(), message.into());
                body.insert(key.into(), details);
                return (StatusCode::CONFLICT, Json(body)).into_response();
            }
        };
        (status, Json(body)).into_response()
    }
}

pub async fn unknown_endpoint() -> ApiError {
    ApiError::not_found()
}

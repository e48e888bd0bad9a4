//! Statistics API: a scope's dashboard as JSON, and its ledgers as CSV or an Excel workbook.
//! Who may see which scope is `domain::stats::may_see_stats`, checked by the use case.

use super::error::{ApiError, ErrorBody};
use super::extract::CurrentStaff;
use crate::startup::AppState;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use backend::stats::StatsError;
use backend::Statistics;
use domain::stats::{Dashboard, Ledger};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
pub struct StatsQuery {
    /// `district`, or the id of an office (with its workrooms) or a workroom.
    pub scope: Option<String>,
    /// First day, `YYYY-MM-DD` (Asia/Shanghai), included.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`, included.
    pub to: Option<String>,
    /// CSV only: `services` (default) or `mediation`.
    pub ledger: Option<String>,
}

/// The dashboard: `figures` (bookings per service and state, walk-ins, no-show rate, waiting
/// and service times, youth share of psychology, mediation, `waitlist`: `joined`,
/// `offered`, `taken`, `expired` and `taken_rate`, and `ratings` (好差评, by the date given):
/// `levels` (`key` a level code, `count`, best first), `good`, `total`,
/// `satisfaction_rate`, `reasons` (`key` a reason code, `count`), the poor ratings'
/// follow-ups `closed_on_time`, `closed_late`, `open`, `overdue` and `on_time_rate`; both
/// also per service in `bookings`, mediation's being its cases'),
/// `previous` (the period before, `previous_period`), `rows` (drill-down: offices, or an
/// office's workrooms), `months`, and the report paragraphs `report_zh` / `report_en`. Rates
/// are objects with `numerator`, `denominator` and `percent`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = Object)]
pub struct StatsJson(pub Dashboard);

async fn dashboard(
    state: &AppState,
    account: &domain::staff::StaffAccount,
    q: &StatsQuery,
) -> Result<Dashboard, ApiError> {
    let (scope, period) = Statistics::parse_query(
        q.scope.as_deref().unwrap_or("district"),
        q.from.as_deref().unwrap_or(""),
        q.to.as_deref().unwrap_or(""),
    )
    .map_err(ApiError::from)?;
    state
        .stats
        .dashboard(account, scope, period)
        .await
        .map_err(ApiError::from)
}

#[utoipa::path(get, path = "/api/v1/stats", tag = "statistics", params(StatsQuery),
    responses(
        (status = 200, body = StatsJson),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "The role may not see this scope", body = ErrorBody),
        (status = 404, description = "No such place", body = ErrorBody),
        (status = 422, description = "Bad scope, from or to (the field is named)", body = ErrorBody),
    ))]
pub async fn get_stats(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    Query(q): Query<StatsQuery>,
) -> Result<Json<StatsJson>, ApiError> {
    Ok(Json(StatsJson(dashboard(&state, &account, &q).await?)))
}

fn file_name(d: &Dashboard, what: &str, ext: &str) -> String {
    format!(
        "stats-{}-{}-{}-{what}.{ext}",
        d.scope.key(),
        d.period.from,
        d.period.to
    )
}

fn download(body: Vec<u8>, content_type: &'static str, name: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

#[utoipa::path(get, path = "/api/v1/stats/export.csv", tag = "statistics", params(StatsQuery),
    responses(
        (status = 200, description = "One ledger as CSV (UTF-8 with BOM)", content_type = "text/csv"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    ))]
pub async fn export_csv(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    Query(q): Query<StatsQuery>,
) -> Result<Response, ApiError> {
    let ledger = Ledger::parse(q.ledger.as_deref().unwrap_or(""))
        .map_err(|f| ApiError::from(StatsError::Invalid(f)))?;
    let d = dashboard(&state, &account, &q).await?;
    let body = backend::export::csv(&d, ledger).map_err(|e| {
        tracing::error!(error = %e, "csv export failed");
        ApiError::internal()
    })?;
    Ok(download(
        body,
        "text/csv; charset=utf-8",
        file_name(&d, ledger.code(), "csv"),
    ))
}

#[utoipa::path(get, path = "/api/v1/stats/export.xlsx", tag = "statistics", params(StatsQuery),
    responses(
        (status = 200, description = "Both ledgers as an Excel workbook",
         content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    ))]
pub async fn export_xlsx(
    State(state): State<AppState>,
    CurrentStaff(account): CurrentStaff,
    Query(q): Query<StatsQuery>,
) -> Result<Response, ApiError> {
    let d = dashboard(&state, &account, &q).await?;
    let body = backend::export::xlsx(&d).map_err(|e| {
        tracing::error!(error = %e, "xlsx export failed");
        ApiError::internal()
    })?;
    Ok(download(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        file_name(&d, "ledgers", "xlsx"),
    ))
}

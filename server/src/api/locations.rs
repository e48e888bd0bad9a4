//! `GET /api/v1/locations` and `GET /api/v1/locations/{id}`.

use super::error::{ApiError, ErrorBody};
use crate::startup::AppState;
use axum::extract::{Path, State};
use axum::Json;
use domain::{Location, LocationId};
use serde::Serialize;
use utoipa::ToSchema;

/// A place residents can go to.
#[derive(Debug, Serialize, ToSchema)]
pub struct LocationJson {
    #[schema(example = 101)]
    pub id: i64,
    #[schema(example = "岭南居民区法律服务工作室")]
    pub name: String,
    /// `office` (司法所) or `workroom` (居村法律服务工作室).
    #[schema(example = "workroom")]
    pub kind: &'static str,
    /// The owning office; null for an office.
    #[schema(example = 1)]
    pub office_id: Option<i64>,
    pub address: String,
    /// Service codes: `legal_consultation`, `psychology`, `mediation`,
    /// `admin_reconsideration`, `notary`, `ip_mediation`.
    #[schema(example = json!(["legal_consultation", "mediation"]))]
    pub services: Vec<&'static str>,
    /// Street or town (街道/镇).
    pub area: String,
    /// Neighbourhood or village of a workroom; empty for offices.
    pub neighbourhood: String,
    pub phone: Option<String>,
}

impl From<&Location> for LocationJson {
    fn from(l: &Location) -> Self {
        LocationJson {
            id: l.id.0,
            name: l.name.clone(),
            kind: l.kind.code(),
            office_id: l.office_id.map(|o| o.0),
            address: l.address.clone(),
            services: l.services.iter().map(|s| s.service.code()).collect(),
            area: l.area.clone(),
            neighbourhood: l.neighbourhood.clone(),
            phone: l.phone.clone(),
        }
    }
}

/// Every office and workroom, offices in data-file order, each followed by its workrooms.
#[utoipa::path(get, path = "/api/v1/locations", tag = "places",
    responses((status = 200, description = "All places", body = [LocationJson])))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<LocationJson>>, ApiError> {
    let all = state.directory.locations().await?;
    Ok(Json(all.iter().map(LocationJson::from).collect()))
}

/// One place.
#[utoipa::path(get, path = "/api/v1/locations/{id}", tag = "places",
    params(("id" = i64, Path, description = "Place id")),
    responses(
        (status = 200, description = "The place", body = LocationJson),
        (status = 404, description = "No such place", body = ErrorBody),
    ))]
pub async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<LocationJson>, ApiError> {
    // Anything that is not a known id, numeric or not, is simply not found.
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    let place = state.directory.location(LocationId(id)).await?;
    Ok(Json(LocationJson::from(&place)))
}

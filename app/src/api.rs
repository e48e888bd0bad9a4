//! Server functions: each checks its input, calls one use case of the `backend` crate
//! and returns a view model. No SQL and no business rules here.

use crate::model::{OfficeSummary, OfficeWithWorkrooms, PlaceCard, PlaceDetail};
use leptos::prelude::*;

/// Most results the search box shows.
pub const SEARCH_LIMIT: usize = 30;

pub mod bookings;
pub mod common;
pub mod mediation;
pub mod ratings;
pub mod staff;
pub mod staff_mediation;
pub mod stats;
pub mod waitlist;

#[cfg(feature = "ssr")]
use common::directory;
use common::AppError;

#[server]
pub async fn office_groups() -> Result<Vec<OfficeWithWorkrooms>, AppError> {
    let groups = directory()?.offices().await.map_err(AppError::from)?;
    Ok(groups
        .iter()
        .map(|g| OfficeWithWorkrooms {
            office: PlaceCard::from(&g.office),
            workrooms: g.workrooms.iter().map(PlaceCard::from).collect(),
        })
        .collect())
}

/// Offices with their workroom counts: what the home page lists (small, for phones).
#[server]
pub async fn office_summaries() -> Result<Vec<OfficeSummary>, AppError> {
    let groups = directory()?.offices().await.map_err(AppError::from)?;
    Ok(groups
        .iter()
        .map(|g| OfficeSummary {
            id: g.office.id.0,
            name: g.office.name.clone(),
            workrooms: g.workrooms.len(),
        })
        .collect())
}

#[server]
pub async fn search_places(query: String) -> Result<Vec<PlaceCard>, AppError> {
    let found = directory()?
        .search(&query, SEARCH_LIMIT)
        .await
        .map_err(AppError::from)?;
    Ok(found.iter().map(PlaceCard::from).collect())
}

/// `Ok(None)` when there is no such place.
#[server]
pub async fn get_place(id: i64) -> Result<Option<PlaceDetail>, AppError> {
    use backend::ServiceError;
    let dir = directory()?;
    let place = match dir.location(domain::LocationId(id)).await {
        Ok(p) => p,
        Err(ServiceError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let office = match place.office_id {
        Some(_) => Some(PlaceCard::from(
            &dir.office_of(&place).await.map_err(AppError::from)?,
        )),
        None => None,
    };
    let workrooms = if office.is_none() {
        dir.workrooms_of(place.id)
            .await
            .map_err(AppError::from)?
            .iter()
            .map(PlaceCard::from)
            .collect()
    } else {
        vec![]
    };
    Ok(Some(PlaceDetail {
        place: PlaceCard::from(&place),
        phone: place.phone.clone(),
        office,
        services: place.services.clone(),
        workrooms,
    }))
}

/// A place's call display board (public: tickets and desks only); `None` for unknown places.
#[server]
pub async fn display_board(place: i64) -> Result<Option<domain::queue::DisplayBoard>, AppError> {
    let queues = common::context::<backend::queue::Queues>("queues")?;
    match queues.display(domain::LocationId(place)).await {
        Ok(b) => Ok(Some(b)),
        Err(backend::queue::QueueError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

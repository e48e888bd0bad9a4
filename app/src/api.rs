//! Server functions: each checks its input, calls one use case of the `backend` crate
//! and returns a view model. No SQL and no business rules here.

use crate::model::{OfficeSummary, OfficeWithWorkrooms, PlaceCard, PlaceDetail};
use leptos::prelude::*;

/// Most results the search box shows.
pub const SEARCH_LIMIT: usize = 30;

pub mod bookings;
pub mod mediation;
pub mod staff;
pub mod staff_mediation;
pub mod stats;

#[cfg(feature = "ssr")]
pub(crate) fn directory() -> Result<backend::Directory, ServerFnError> {
    use_context::<backend::Directory>()
        .ok_or_else(|| ServerFnError::new("directory missing from context"))
}

#[cfg(feature = "ssr")]
pub(crate) fn internal(e: backend::ServiceError) -> ServerFnError {
    // details were logged by the backend; users get a generic failure
    ServerFnError::new(e.to_string())
}

#[server]
pub async fn office_groups() -> Result<Vec<OfficeWithWorkrooms>, ServerFnError> {
    let groups = directory()?.offices().await.map_err(internal)?;
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
pub async fn office_summaries() -> Result<Vec<OfficeSummary>, ServerFnError> {
    let groups = directory()?.offices().await.map_err(internal)?;
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
pub async fn search_places(query: String) -> Result<Vec<PlaceCard>, ServerFnError> {
    let found = directory()?
        .search(&query, SEARCH_LIMIT)
        .await
        .map_err(internal)?;
    Ok(found.iter().map(PlaceCard::from).collect())
}

/// `Ok(None)` when there is no such place.
#[server]
pub async fn get_place(id: i64) -> Result<Option<PlaceDetail>, ServerFnError> {
    use backend::ServiceError;
    let dir = directory()?;
    let place = match dir.location(domain::LocationId(id)).await {
        Ok(p) => p,
        Err(ServiceError::NotFound) => return Ok(None),
        Err(e) => return Err(internal(e)),
    };
    let office = match place.office_id {
        Some(_) => Some(PlaceCard::from(
            &dir.office_of(&place).await.map_err(internal)?,
        )),
        None => None,
    };
    let workrooms = if office.is_none() {
        dir.workrooms_of(place.id)
            .await
            .map_err(internal)?
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
pub async fn display_board(
    place: i64,
) -> Result<Option<domain::queue::DisplayBoard>, ServerFnError> {
    let queues = use_context::<backend::queue::Queues>()
        .ok_or_else(|| ServerFnError::new("queues missing from context"))?;
    match queues.display(domain::LocationId(place)).await {
        Ok(b) => Ok(Some(b)),
        Err(backend::queue::QueueError::NotFound) => Ok(None),
        Err(_) => Err(ServerFnError::new("internal error")),
    }
}

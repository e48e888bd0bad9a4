//! Server functions: each checks its input, calls one use case of the `backend` crate
//! and returns a view model. No SQL and no business rules here.

use crate::model::{OfficeSummary, OfficeWithWorkrooms, PlaceCard, PlaceDetail};
use leptos::prelude::*;

/// How the home page's and the booking flow's server functions answer the app, and how those
/// pages' data travels to the browser inside their HTML: postcard, not JSON. A browser
/// decoding JSON carries a parser and, for every type it reads, field-name matching and
/// skipping code; postcard reads fields in order, and the WebAssembly the resident downloads
/// is smaller (BENCHMARKS.md, page weight). Postcard cannot read internally tagged enums
/// (`#[serde(tag = ..)]`), which the statistics, waiting-list and follow-up types use for the
/// REST API's JSON; those pages' functions keep JSON. The REST API (`/api/v1`) speaks JSON.
pub type Compact = leptos::server_fn::codec::Postcard;

/// A page's data loaded by a server function: a [`Resource`] whose value is written into the
/// server's HTML (base64) and read back by the browser in the same compact encoding.
pub type Data<T> = Resource<T, codee::binary::PostcardCodec>;

/// A [`Data`] resource: `Resource::new`, in the compact encoding.
#[track_caller]
pub fn data<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Data<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync + Clone + PartialEq + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

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

#[server(output = crate::api::Compact)]
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
#[server(output = crate::api::Compact)]
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

#[server(output = crate::api::Compact)]
pub async fn search_places(query: String) -> Result<Vec<PlaceCard>, AppError> {
    let found = directory()?
        .search(&query, SEARCH_LIMIT)
        .await
        .map_err(AppError::from)?;
    Ok(found.iter().map(PlaceCard::from).collect())
}

/// `Ok(None)` when there is no such place.
#[server(output = crate::api::Compact)]
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
#[server(output = crate::api::Compact)]
pub async fn display_board(place: i64) -> Result<Option<domain::queue::DisplayBoard>, AppError> {
    let queues = common::context::<backend::queue::Queues>("queues")?;
    match queues.display(domain::LocationId(place)).await {
        Ok(b) => Ok(Some(b)),
        Err(backend::queue::QueueError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

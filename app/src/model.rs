//! What pages receive from server functions: lean, serialisable views of domain data.

use domain::{Location, LocationKind, ServiceCode, ServiceOffer};
use serde::{Deserialize, Serialize};

/// A place in a list: enough to show and link it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceCard {
    pub id: i64,
    pub kind: LocationKind,
    pub name: String,
    pub area: String,
    pub neighbourhood: String,
    pub address: String,
    pub services: Vec<ServiceCode>,
}

impl From<&Location> for PlaceCard {
    fn from(l: &Location) -> Self {
        PlaceCard {
            id: l.id.0,
            kind: l.kind,
            name: l.name.clone(),
            area: l.area.clone(),
            neighbourhood: l.neighbourhood.clone(),
            address: l.address.clone(),
            services: l.service_codes(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeWithWorkrooms {
    pub office: PlaceCard,
    pub workrooms: Vec<PlaceCard>,
}

/// An office with the number of its workrooms (the home page's list).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeSummary {
    pub id: i64,
    pub name: String,
    pub workrooms: usize,
}

/// Everything the place page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceDetail {
    pub place: PlaceCard,
    pub phone: Option<String>,
    pub office: Option<PlaceCard>,
    pub services: Vec<ServiceOffer>,
    pub workrooms: Vec<PlaceCard>,
}

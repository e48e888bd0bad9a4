//! Places residents can go to: the district's judicial offices and the neighbourhood
//! workrooms that belong to them.

use crate::{ServiceCode, WeeklySession};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable id of a place, chosen in the district data file (offices 1..=N, workrooms
/// `office * 100 + k` in the demo file). Stable ids keep URLs and bookmarks valid when a
/// district reloads its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LocationId(pub i64);

impl fmt::Display for LocationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Reads an id as written in a URL or a form field (`"4"`).
impl std::str::FromStr for LocationId {
    type Err = std::num::ParseIntError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(LocationId)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    /// 司法所: one per street or town.
    Office,
    /// 居村法律服务工作室: belongs to one office.
    Workroom,
}

impl LocationKind {
    pub const fn code(self) -> &'static str {
        match self {
            LocationKind::Office => "office",
            LocationKind::Workroom => "workroom",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "office" => Some(LocationKind::Office),
            "workroom" => Some(LocationKind::Workroom),
            _ => None,
        }
    }
}

/// A service a place offers, with its weekly sessions. No sessions means the service is
/// offered on request only (mediation is asked for, not booked by slot).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceOffer {
    pub service: ServiceCode,
    pub sessions: Vec<WeeklySession>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub id: LocationId,
    pub kind: LocationKind,
    /// The owning office; `None` for an office.
    pub office_id: Option<LocationId>,
    pub name: String,
    /// Street or town (街道/镇) the place serves.
    pub area: String,
    /// Neighbourhood or village (居民区/村) of a workroom; empty for offices.
    pub neighbourhood: String,
    pub address: String,
    pub phone: Option<String>,
    /// Services in the canonical order of [`ServiceCode::ALL`].
    pub services: Vec<ServiceOffer>,
}

impl Location {
    pub fn offers(&self, service: ServiceCode) -> Option<&ServiceOffer> {
        self.services.iter().find(|s| s.service == service)
    }
    pub fn service_codes(&self) -> Vec<ServiceCode> {
        self.services.iter().map(|s| s.service).collect()
    }
}

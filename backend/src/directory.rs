//! Use cases about places: load a district, list, look up and search places.

use crate::events::{Event, Events};
use crate::store::Store;
use crate::ServiceError;
use domain::district_file::{parse_district, DistrictFileError};
use domain::{Location, LocationId, LocationKind};
use std::sync::{Arc, RwLock};

/// An office with its workrooms, as the office list shows them.
#[derive(Debug, Clone)]
pub struct OfficeGroup {
    pub office: Location,
    pub workrooms: Vec<Location>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SeedOutcome {
    Loaded { offices: usize, workrooms: usize },
    AlreadyLoaded,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("区数据文件有误：{0}")]
    File(#[from] DistrictFileError),
    #[error("写入数据库失败")]
    Store(#[from] ServiceError),
}

/// Places change only when a district file is loaded (later: when schedules are edited,
/// through this type), so they are kept in memory and every page and booking reads them
/// from there.
type PlaceCache = Arc<RwLock<Option<Arc<Vec<Location>>>>>;

#[derive(Clone)]
pub struct Directory {
    store: Arc<dyn Store>,
    cache: PlaceCache,
    /// Tells other instances to drop their copies too.
    events: Option<Events>,
}

impl Directory {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Directory {
            store,
            cache: Arc::new(RwLock::new(None)),
            events: None,
        }
    }

    /// Keeps the cached places in step with every instance: drops them when another
    /// instance changes places (or events were missed), and announces its own changes.
    pub fn follow(mut self, events: &Events) -> Self {
        let mut changes = events.subscribe();
        let cache = self.cache.clone();
        tokio::spawn(async move {
            use tokio::sync::broadcast::error::RecvError;
            loop {
                match changes.recv().await {
                    Ok(Event::PlacesChanged | Event::Resync) | Err(RecvError::Lagged(_)) => {
                        *cache.write().expect("place cache lock") = None;
                    }
                    Ok(_) => {}
                    Err(RecvError::Closed) => break,
                }
            }
        });
        self.events = Some(events.clone());
        self
    }

    /// Forgets the cached places (after a schedule change), here at once and on the other
    /// instances when they hear of it, so the next read loads them.
    pub fn invalidate(&self) {
        *self.cache.write().expect("place cache lock") = None;
        if let Some(events) = &self.events {
            events.publish(Event::PlacesChanged);
        }
    }

    /// Every place, from memory once loaded.
    pub async fn all(&self) -> Result<Arc<Vec<Location>>, ServiceError> {
        if let Some(places) = self.cache.read().expect("place cache lock").clone() {
            return Ok(places);
        }
        let places = Arc::new(self.store.locations().await?);
        *self.cache.write().expect("place cache lock") = Some(places.clone());
        Ok(places)
    }

    /// Parses a district data file and loads it into an empty database.
    pub async fn seed_if_empty(&self, file_text: &str) -> Result<SeedOutcome, SeedError> {
        let district = parse_district(file_text)?;
        let loaded = self
            .store
            .load_district_if_empty(&district)
            .await
            .map_err(ServiceError::from)?;
        self.invalidate();
        Ok(if loaded {
            SeedOutcome::Loaded {
                offices: district.offices().count(),
                workrooms: district.workrooms().count(),
            }
        } else {
            SeedOutcome::AlreadyLoaded
        })
    }

    pub async fn locations(&self) -> Result<Vec<Location>, ServiceError> {
        Ok(self.all().await?.as_ref().clone())
    }

    pub async fn location(&self, id: LocationId) -> Result<Location, ServiceError> {
        self.all()
            .await?
            .iter()
            .find(|l| l.id == id)
            .cloned()
            .ok_or(ServiceError::NotFound)
    }

    /// The office a place belongs to (itself for an office).
    pub async fn office_of(&self, place: &Location) -> Result<Location, ServiceError> {
        match place.office_id {
            None => Ok(place.clone()),
            Some(id) => self.location(id).await,
        }
    }

    pub async fn workrooms_of(&self, office: LocationId) -> Result<Vec<Location>, ServiceError> {
        Ok(self
            .all()
            .await?
            .iter()
            .filter(|l| l.office_id == Some(office))
            .cloned()
            .collect())
    }

    /// Offices in data-file order, each with its workrooms.
    pub async fn offices(&self) -> Result<Vec<OfficeGroup>, ServiceError> {
        let all = self.all().await?;
        let mut groups: Vec<OfficeGroup> = all
            .iter()
            .filter(|l| l.kind == LocationKind::Office)
            .map(|o| OfficeGroup {
                office: o.clone(),
                workrooms: vec![],
            })
            .collect();
        for w in all.iter().filter(|l| l.kind == LocationKind::Workroom) {
            if let Some(g) = groups.iter_mut().find(|g| Some(g.office.id) == w.office_id) {
                g.workrooms.push(w.clone());
            }
        }
        Ok(groups)
    }

    /// Places matching a resident's search, best first, at most `limit`.
    pub async fn search(&self, query: &str, limit: usize) -> Result<Vec<Location>, ServiceError> {
        let all = self.all().await?;
        Ok(domain::search::search(&all, query)
            .into_iter()
            .take(limit)
            .cloned()
            .collect())
    }

    pub async fn healthy(&self) -> bool {
        self.store.ping().await.is_ok()
    }
}

//! Places, services and weekly sessions: the district as loaded from its data file.

use super::schedules::insert_weekly_sessions;
use super::This;
use crate::store::{DirectoryStore, DistrictInfo, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{NaiveTime, Timelike};
use domain::district_file::District;
use domain::{
    Location, LocationId, LocationKind, ServiceCode, ServiceOffer, WeekdaySet, WeeklySession,
};
use sqlx::FromRow;
use std::collections::HashMap;

#[derive(FromRow)]
struct LocationRow {
    id: i64,
    kind: String,
    office_id: Option<i64>,
    name: String,
    area: String,
    neighbourhood: String,
    address: String,
    phone: Option<String>,
}

#[derive(FromRow)]
struct SessionRow {
    location_id: i64,
    service: String,
    weekdays: i64,
    start_minute: i64,
    end_minute: i64,
    slot_minutes: i64,
    capacity: i64,
    youth_only: bool,
}

pub(super) fn minute_of(t: NaiveTime) -> i64 {
    i64::from(t.hour() * 60 + t.minute())
}

fn time_of(minute: i64) -> StoreResult<NaiveTime> {
    let m = u32::try_from(minute).map_err(|_| StoreError::Corrupt(format!("minute {minute}")))?;
    // 1440 (24:00) is stored for sessions ending at midnight; NaiveTime has no 24:00.
    NaiveTime::from_hms_opt((m / 60).min(23), if m >= 1440 { 59 } else { m % 60 }, 0)
        .ok_or_else(|| StoreError::Corrupt(format!("minute {minute}")))
}

fn service_of(code: &str) -> StoreResult<ServiceCode> {
    code.parse()
        .map_err(|_| StoreError::Corrupt(format!("service {code}")))
}

const LOCATION_COLUMNS: &str = "id, kind, office_id, name, area, neighbourhood, address, phone";

impl This {
    /// Attaches services and sessions to location rows, keeping the rows' order.
    async fn assemble(
        &self,
        rows: Vec<LocationRow>,
        only: Option<i64>,
    ) -> StoreResult<Vec<Location>> {
        let (services, sessions): (Vec<(i64, String)>, Vec<SessionRow>) = match only {
            Some(id) => (
                sqlx::query_as(
                    "SELECT location_id, service FROM location_services WHERE location_id = $1",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?,
                sqlx::query_as("SELECT * FROM weekly_sessions WHERE location_id = $1 ORDER BY seq")
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?,
            ),
            None => (
                sqlx::query_as("SELECT location_id, service FROM location_services")
                    .fetch_all(&self.pool)
                    .await?,
                sqlx::query_as("SELECT * FROM weekly_sessions ORDER BY location_id, service, seq")
                    .fetch_all(&self.pool)
                    .await?,
            ),
        };
        let mut offers: HashMap<i64, Vec<ServiceOffer>> = HashMap::new();
        for (loc, code) in services {
            offers.entry(loc).or_default().push(ServiceOffer {
                service: service_of(&code)?,
                sessions: vec![],
            });
        }
        for s in sessions {
            let service = service_of(&s.service)?;
            let offer = offers
                .get_mut(&s.location_id)
                .and_then(|o| o.iter_mut().find(|o| o.service == service))
                .ok_or_else(|| {
                    StoreError::Corrupt(format!("session without service at {}", s.location_id))
                })?;
            offer.sessions.push(WeeklySession {
                days: WeekdaySet::from_bits(s.weekdays as u8),
                start: time_of(s.start_minute)?,
                end: time_of(s.end_minute)?,
                slot_minutes: u16::try_from(s.slot_minutes)
                    .map_err(|_| StoreError::Corrupt("slot_minutes".into()))?,
                capacity: u16::try_from(s.capacity)
                    .map_err(|_| StoreError::Corrupt("capacity".into()))?,
                youth_only: s.youth_only,
            });
        }
        rows.into_iter()
            .map(|r| {
                let mut services = offers.remove(&r.id).unwrap_or_default();
                services.sort_by_key(|o| o.service.rank());
                Ok(Location {
                    id: LocationId(r.id),
                    kind: LocationKind::parse(&r.kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("kind {}", r.kind)))?,
                    office_id: r.office_id.map(LocationId),
                    name: r.name,
                    area: r.area,
                    neighbourhood: r.neighbourhood,
                    address: r.address,
                    phone: r.phone,
                    services,
                })
            })
            .collect()
    }
}

#[async_trait]
impl DirectoryStore for This {
    async fn district(&self) -> StoreResult<Option<DistrictInfo>> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT name, bureau FROM district WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(name, bureau)| DistrictInfo { name, bureau }))
    }

    async fn load_district_if_empty(&self, district: &District) -> StoreResult<bool> {
        let mut tx = self.writer.begin().await?;
        // Claiming the single district row first makes two concurrent loaders safe:
        // the second one inserts nothing and backs off.
        let claimed = sqlx::query(
            "INSERT INTO district (id, name, bureau, loaded_at) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&district.name)
        .bind(&district.bureau)
        .bind(chrono::Utc::now().to_rfc3339())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Ok(false);
        }
        for (position, loc) in district.locations.iter().enumerate() {
            sqlx::query(
                "INSERT INTO locations (id, position, kind, office_id, name, area, neighbourhood, address, phone)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(loc.id.0)
            .bind(position as i64)
            .bind(loc.kind.code())
            .bind(loc.office_id.map(|o| o.0))
            .bind(&loc.name)
            .bind(&loc.area)
            .bind(&loc.neighbourhood)
            .bind(&loc.address)
            .bind(&loc.phone)
            .execute(&mut *tx)
            .await?;
            for offer in &loc.services {
                sqlx::query("INSERT INTO location_services (location_id, service) VALUES ($1, $2)")
                    .bind(loc.id.0)
                    .bind(offer.service.code())
                    .execute(&mut *tx)
                    .await?;
                insert_weekly_sessions(&mut tx, loc.id, offer.service, &offer.sessions).await?;
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn locations(&self) -> StoreResult<Vec<Location>> {
        let rows: Vec<LocationRow> = sqlx::query_as(&format!(
            "SELECT {LOCATION_COLUMNS} FROM locations ORDER BY position"
        ))
        .fetch_all(&self.pool)
        .await?;
        self.assemble(rows, None).await
    }

    async fn location(&self, id: LocationId) -> StoreResult<Location> {
        let rows: Vec<LocationRow> = sqlx::query_as(&format!(
            "SELECT {LOCATION_COLUMNS} FROM locations WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Err(StoreError::NotFound);
        }
        Ok(self.assemble(rows, Some(id.0)).await?.remove(0))
    }
}

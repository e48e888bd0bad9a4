//! SQLite implementation of [`Store`]: an embedded file in WAL mode.

mod bookings;
mod group_commit;
mod mediation;
mod staff;
mod stats;

use super::{
    AgreementNumbering, AuditEntry, BookingEvent, BookingRecord, CaseEvent, CaseRecord,
    DistrictInfo, FairnessCheck, HistoryBatch, NewBookingRecord, NewNotification, NewStaffUser,
    NotificationRecord, QueueChange, QueueEntryRecord, Refusal, StaffUserRecord, StaleRollup,
    Store, StoreError, StoreResult, StoredException,
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use chrono::{NaiveTime, Timelike};
use domain::district_file::District;
use domain::queue::QueueState;
use domain::ServiceCode as Svc;
use domain::{
    Location, LocationId, LocationKind, ServiceCode, ServiceOffer, WeekdaySet, WeeklySession,
};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{FromRow, SqlitePool};
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone)]
pub struct SqliteStore {
    /// Reads (WAL: they never wait for the writer).
    pub(crate) pool: SqlitePool,
    /// Every write transaction.
    pub(crate) writer: SqlitePool,
    /// New bookings, written in group commits on `writer`.
    bookings_writer: group_commit::BookingWriter,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url`, e.g. `sqlite://data/portal.db`.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a committed (acknowledged) write survives a power cut, not only a crash.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.clone())
            .await?;
        // SQLite has one writer at a time. With one writing connection, concurrent writes
        // queue fairly inside the pool instead of sleeping in SQLite's busy handler.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        let bookings_writer = group_commit::BookingWriter::start(writer.clone());
        Ok(SqliteStore {
            pool,
            writer,
            bookings_writer,
        })
    }

    /// Server-side sessions (a resident's bookings remembered on a device; later, staff
    /// logins) in the same database, through the tower-sessions SQLx store. They use the read
    /// pool so that loading a session never queues behind booking writes; their rare writes
    /// wait for SQLite's lock (busy timeout).
    pub async fn session_store(&self) -> StoreResult<tower_sessions_sqlx_store::SqliteStore> {
        let sessions = tower_sessions_sqlx_store::SqliteStore::new(self.pool.clone());
        sessions.migrate().await?;
        Ok(sessions)
    }
}

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

impl SqliteStore {
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
impl Store for SqliteStore {
    async fn migrate(&self) -> StoreResult<()> {
        sqlx::migrate!("./migrations/sqlite")
            .run(&self.writer)
            .await
            .map_err(|e| StoreError::Database(e.into()))
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

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
                for (seq, s) in offer.sessions.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO weekly_sessions
                         (location_id, service, seq, weekdays, start_minute, end_minute, slot_minutes, capacity, youth_only)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(loc.id.0)
                    .bind(offer.service.code())
                    .bind(seq as i64)
                    .bind(i64::from(s.days.bits()))
                    .bind(minute_of(s.start))
                    .bind(minute_of(s.end))
                    .bind(i64::from(s.slot_minutes))
                    .bind(i64::from(s.capacity))
                    .bind(s.youth_only)
                    .execute(&mut *tx)
                    .await?;
                }
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

    async fn holiday_files(&self) -> StoreResult<Vec<String>> {
        self.holiday_files_impl().await
    }
    async fn save_holiday_file(&self, year: i32, source: &str, body: &str) -> StoreResult<()> {
        self.save_holiday_file_impl(year, source, body).await
    }
    async fn date_exceptions(
        &self,
        location: LocationId,
        service: Svc,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<StoredException>> {
        self.date_exceptions_impl(location, service, from, to).await
    }
    async fn seats_taken(
        &self,
        location: LocationId,
        service: Svc,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<HashMap<DateTime<Utc>, u32>> {
        self.seats_taken_impl(location, service, from, to).await
    }
    async fn create_booking(
        &self,
        booking: &NewBookingRecord,
        capacity: u16,
        fairness: FairnessCheck,
    ) -> StoreResult<Result<BookingRecord, Refusal>> {
        self.create_booking_impl(booking, capacity, fairness).await
    }
    async fn booking_by_code(&self, code: &str) -> StoreResult<Option<BookingRecord>> {
        self.booking_by_code_impl(code).await
    }
    async fn cancel_booking(
        &self,
        code: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Result<BookingRecord, Refusal>> {
        self.cancel_booking_impl(code, at).await
    }
    async fn reschedule_booking(
        &self,
        code: &str,
        new_start: DateTime<Utc>,
        new_end: DateTime<Utc>,
        capacity: u16,
        fairness: FairnessCheck,
        at: DateTime<Utc>,
    ) -> StoreResult<Result<BookingRecord, Refusal>> {
        self.reschedule_booking_impl(code, new_start, new_end, capacity, fairness, at)
            .await
    }
    async fn booking_events(&self, booking_id: i64) -> StoreResult<Vec<BookingEvent>> {
        self.booking_events_impl(booking_id).await
    }
    async fn create_staff_user(&self, user: &NewStaffUser) -> StoreResult<Option<i64>> {
        self.create_staff_user_impl(user).await
    }
    async fn staff_user_by_name(&self, username: &str) -> StoreResult<Option<StaffUserRecord>> {
        self.staff_user_by_name_impl(username).await
    }
    async fn staff_user_by_id(&self, id: i64) -> StoreResult<Option<StaffUserRecord>> {
        self.staff_user_by_id_impl(id).await
    }
    async fn set_staff_password(&self, id: i64, hash: &str, at: DateTime<Utc>) -> StoreResult<()> {
        self.set_staff_password_impl(id, hash, at).await
    }
    async fn staff_user_count(&self) -> StoreResult<i64> {
        self.staff_user_count_impl().await
    }
    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        self.audit_impl(entry).await
    }
    async fn audit_log(&self, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        self.audit_log_impl(limit).await
    }
    async fn bookings_between(
        &self,
        location: LocationId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingRecord>> {
        self.bookings_between_impl(location, from, to).await
    }
    async fn queue_entries(
        &self,
        location: LocationId,
        day: NaiveDate,
    ) -> StoreResult<Vec<QueueEntryRecord>> {
        self.queue_entries_impl(location, day).await
    }
    async fn queue_entry(&self, id: i64) -> StoreResult<Option<QueueEntryRecord>> {
        self.queue_entry_impl(id).await
    }
    async fn check_in(
        &self,
        booking_id: i64,
        day: NaiveDate,
        at: DateTime<Utc>,
    ) -> StoreResult<Result<QueueEntryRecord, Refusal>> {
        self.check_in_impl(booking_id, day, at).await
    }
    async fn add_walk_in(
        &self,
        location: LocationId,
        service: Svc,
        day: NaiveDate,
        at: DateTime<Utc>,
        transferred_from: Option<i64>,
    ) -> StoreResult<QueueEntryRecord> {
        self.add_walk_in_impl(location, service, day, at, transferred_from)
            .await
    }
    async fn change_queue_entry(
        &self,
        id: i64,
        from: QueueState,
        change: &QueueChange,
    ) -> StoreResult<Option<QueueEntryRecord>> {
        self.change_queue_entry_impl(id, from, change).await
    }
    async fn undo_queue_entry(
        &self,
        id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<QueueEntryRecord>> {
        self.undo_queue_entry_impl(id, at).await
    }
    async fn mark_no_shows(
        &self,
        cutoff: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingRecord>> {
        self.mark_no_shows_impl(cutoff, at).await
    }
    async fn revert_no_show(&self, booking_id: i64, at: DateTime<Utc>) -> StoreResult<bool> {
        self.revert_no_show_impl(booking_id, at).await
    }
    async fn replace_weekly_sessions(
        &self,
        location: LocationId,
        service: Svc,
        sessions: &[domain::WeeklySession],
    ) -> StoreResult<()> {
        self.replace_weekly_sessions_impl(location, service, sessions)
            .await
    }
    async fn add_closure(
        &self,
        location: LocationId,
        service: Svc,
        date: NaiveDate,
        note: &str,
    ) -> StoreResult<()> {
        self.add_closure_impl(location, service, date, note).await
    }
    async fn enqueue_notification(&self, n: &NewNotification) -> StoreResult<bool> {
        self.enqueue_notification_impl(n).await
    }
    async fn due_notifications(
        &self,
        now: DateTime<Utc>,
        max_attempts: u32,
        limit: i64,
    ) -> StoreResult<Vec<NotificationRecord>> {
        self.due_notifications_impl(now, max_attempts, limit).await
    }
    async fn notification_sent(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()> {
        self.notification_sent_impl(id, at).await
    }
    async fn notification_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.notification_failed_impl(id, error, next_attempt_at)
            .await
    }
    async fn notifications_of_booking(
        &self,
        booking_id: i64,
    ) -> StoreResult<Vec<NotificationRecord>> {
        self.notifications_of_booking_impl(booking_id).await
    }
    async fn booked_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingRecord>> {
        self.booked_between_impl(from, to).await
    }
    async fn staff_users(&self) -> StoreResult<Vec<StaffUserRecord>> {
        self.staff_users_impl().await
    }
    async fn create_case(&self, case: &CaseRecord) -> StoreResult<Option<i64>> {
        self.create_case_impl(case).await
    }
    async fn case_by_code(&self, code: &str) -> StoreResult<Option<CaseRecord>> {
        self.case_by_code_impl(code).await
    }
    async fn cases_at(&self, location: LocationId) -> StoreResult<Vec<CaseRecord>> {
        self.cases_at_impl(location).await
    }
    async fn case_events(&self, case_id: i64) -> StoreResult<Vec<CaseEvent>> {
        self.case_events_impl(case_id).await
    }
    async fn save_case_step(
        &self,
        seen_version: i64,
        case: &CaseRecord,
        event: &CaseEvent,
        numbering: Option<AgreementNumbering>,
    ) -> StoreResult<Option<CaseRecord>> {
        self.save_case_step_impl(seen_version, case, event, numbering)
            .await
    }
    async fn tally_raw(
        &self,
        period: domain::stats::Period,
        only: Option<&[LocationId]>,
    ) -> StoreResult<HashMap<LocationId, domain::stats::Tally>> {
        self.tally_raw_impl(period, only).await
    }
    async fn rollups(
        &self,
        from: domain::stats::Month,
        to: domain::stats::Month,
    ) -> StoreResult<Vec<(domain::stats::Month, LocationId, domain::stats::Tally)>> {
        self.rollups_impl(from, to).await
    }
    async fn stale_rollups(
        &self,
        from: domain::stats::Month,
        to: domain::stats::Month,
    ) -> StoreResult<Vec<StaleRollup>> {
        self.stale_rollups_impl(from, to).await
    }
    async fn save_rollups(
        &self,
        rollups: &[(StaleRollup, domain::stats::Tally)],
    ) -> StoreResult<()> {
        self.save_rollups_impl(rollups).await
    }
    async fn history_state(&self, before: DateTime<Utc>) -> StoreResult<(i64, i64)> {
        self.history_state_impl(before).await
    }
    async fn insert_history(&self, batch: &HistoryBatch) -> StoreResult<()> {
        self.insert_history_impl(batch).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::district_file::parse_district;

    async fn temp_store() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = SqliteStore::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        (dir, store)
    }

    fn demo() -> District {
        parse_district(include_str!("../../../../seed/demo-district.toml")).unwrap()
    }

    #[tokio::test]
    async fn district_round_trips_through_the_database() {
        let (_dir, store) = temp_store().await;
        assert_eq!(store.district().await.unwrap(), None);
        let d = demo();
        assert!(store.load_district_if_empty(&d).await.unwrap());
        assert_eq!(store.district().await.unwrap().unwrap().name, d.name);
        let back = store.locations().await.unwrap();
        assert_eq!(
            back, d.locations,
            "every place, service and session comes back unchanged and in order"
        );
        let one = store.location(d.locations[5].id).await.unwrap();
        assert_eq!(one, d.locations[5]);
    }

    #[tokio::test]
    async fn second_load_is_refused_and_changes_nothing() {
        let (_dir, store) = temp_store().await;
        let d = demo();
        assert!(store.load_district_if_empty(&d).await.unwrap());
        let mut other = d.clone();
        other.name = "另一个区".into();
        other.locations.truncate(3);
        assert!(!store.load_district_if_empty(&other).await.unwrap());
        assert_eq!(store.district().await.unwrap().unwrap().name, d.name);
        assert_eq!(store.locations().await.unwrap().len(), d.locations.len());
    }

    #[tokio::test]
    async fn unknown_location_is_not_found() {
        let (_dir, store) = temp_store().await;
        store.load_district_if_empty(&demo()).await.unwrap();
        assert!(matches!(
            store.location(LocationId(999_999)).await,
            Err(StoreError::NotFound)
        ));
    }

    #[tokio::test]
    async fn data_survives_reopening_and_uses_wal() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        {
            let store = SqliteStore::connect(&url).await.unwrap();
            store.migrate().await.unwrap();
            store.load_district_if_empty(&demo()).await.unwrap();
            let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
                .fetch_one(&store.pool)
                .await
                .unwrap();
            assert_eq!(mode, "wal");
            store.pool.close().await;
            store.writer.close().await;
        }
        let store = SqliteStore::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        assert_eq!(store.locations().await.unwrap().len(), 14 + 263);
    }
}

//! The storage layer: the use cases' SQL, by area.
//!
//! [`Store`] is the interface the use cases depend on (they hold an `Arc<dyn Store>`): one
//! bound over a trait per area. Each area's trait and records are a section of this file
//! (below [`Store`], in the order of the table); its SQL is in the `sql/` file named after it
//! (the queue's in `sql/queue.rs`). Business rules stay in the `domain` crate.
//!
//! | area | trait | SQL |
//! |---|---|---|
//! | migrations, health check | [`MaintenanceStore`] | `sql/maintenance.rs` |
//! | shared secrets | [`SecretStore`] | `sql/secrets.rs` |
//! | district, places, services | [`DirectoryStore`] | `sql/directory.rs` |
//! | weekly sessions, closures, holidays | [`ScheduleStore`] | `sql/schedules.rs` |
//! | bookings and their seats | [`BookingStore`] | `sql/bookings.rs` |
//! | the day's queues, no-shows | [`QueueStore`] | `sql/queue.rs` |
//! | staff accounts | [`AccountStore`] | `sql/accounts.rs` |
//! | audit log | [`AuditStore`] | `sql/audit.rs` |
//! | text message outbox | [`OutboxStore`] | `sql/outbox.rs` |
//! | phone verification codes | [`PhoneCodeStore`] | `sql/phone_codes.rs` |
//! | the waiting list | [`WaitlistStore`] | `sql/waitlist.rs` |
//! | ratings and their follow-ups | [`RatingStore`] | `sql/ratings.rs` |
//! | mediation cases | [`MediationStore`] | `sql/mediation.rs` |
//! | statistics, roll-ups | [`StatsStore`] | `sql/stats.rs` |
//! | generated history | [`HistoryStore`] | `sql/history.rs` |
//! | retention (PIPL) | [`RetentionStore`] | `sql/retention.rs` |
//!
//! Two engines run the same SQL: [`sqlite::SqliteStore`], the embedded default, and
//! [`postgres::PgStore`], for several server instances on one database server. The `sql/`
//! module is compiled once per engine (a `#[path]` module in `sqlite/` and in `postgres/`,
//! where `This` is that engine's store and `Conn` its connection), so a trait is implemented
//! for both by one `impl … for This`. What differs between the engines is in their own
//! modules: connecting, migrations, how a new booking is committed, staff and resident
//! sessions (tower-sessions), and the few SQL spellings in their `dialect`. [`open`] picks
//! one by the URL's scheme; [`copy`] moves a portal from SQLite to PostgreSQL.
//!
//! Outside this module only `crate::events` (PostgreSQL's `NOTIFY`) and `crate::testing`
//! (creating and dropping test databases) send SQL.

pub mod copy;
pub mod postgres;
pub mod sqlite;

use async_trait::async_trait;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use domain::booking::{BookingEventKind, FairnessError};
use domain::district_file::District;
use domain::mediation::{CaseState, DisputeType, Ending, Fen, Referral};
use domain::notify::NoticeKind;
use domain::queue::{Outcome, QueueState};
use domain::staff::{Role, StaffAccount};
use domain::stats::{DailyTallies, Month, Period, Tally};
use domain::{BookingState, Location, LocationId, ServiceCode};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A write was not committed (the answer to every booking of a failed group commit).
    #[error("write failed: {0}")]
    WriteFailed(String),
    /// A stored value that the domain cannot read back (a bug or a hand edit).
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    /// A new booking's unique key (its code) is taken, as SQLite's group commit reports it.
    #[error("unique key taken: {0}")]
    Duplicate(String),
}

impl StoreError {
    /// A new row's unique key was taken (e.g. a booking code drawn twice): the caller may
    /// draw another and try again. Either engine's way of saying so.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Duplicate(_) => true,
            StoreError::Database(sqlx::Error::Database(d)) => d.is_unique_violation(),
            _ => false,
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// An opened database, by engine (what is engine-specific beyond [`Store`]: sessions,
/// live events across instances, the database copy).
#[derive(Clone)]
pub enum Database {
    Sqlite(sqlite::SqliteStore),
    Postgres(postgres::PgStore),
}

impl Database {
    pub fn store(&self) -> std::sync::Arc<dyn Store> {
        match self {
            Database::Sqlite(s) => std::sync::Arc::new(s.clone()),
            Database::Postgres(p) => std::sync::Arc::new(p.clone()),
        }
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Database::Sqlite(_) => "sqlite",
            Database::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        match self {
            Database::Sqlite(s) => s.close().await,
            Database::Postgres(p) => p.close().await,
        }
    }
}

/// Connections per instance to PostgreSQL unless `DATABASE_MAX_CONNECTIONS` says otherwise.
pub const PG_DEFAULT_CONNECTIONS: u32 = 16;

/// Opens `url` and applies pending migrations: `postgres://` or `postgresql://` selects
/// PostgreSQL, anything else is a SQLite URL (`sqlite://data/portal.db`; the file and its
/// folder are created when missing).
pub async fn open(url: &str, pg_connections: u32) -> StoreResult<Database> {
    let db = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Database::Postgres(postgres::PgStore::connect(url, pg_connections).await?)
    } else {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or(path);
            if let Some(dir) = std::path::Path::new(path).parent() {
                if !dir.as_os_str().is_empty() {
                    let _ = std::fs::create_dir_all(dir);
                }
            }
        }
        Database::Sqlite(sqlite::SqliteStore::connect(url).await?)
    };
    db.store().migrate().await?;
    Ok(db)
}

/// Everything the use cases need from the database (they hold an `Arc<dyn Store>`): one
/// bound over the per-area traits, implemented for both engines in `sql/mod.rs`.
pub trait Store:
    MaintenanceStore
    + SecretStore
    + DirectoryStore
    + ScheduleStore
    + BookingStore
    + QueueStore
    + AccountStore
    + AuditStore
    + OutboxStore
    + PhoneCodeStore
    + WaitlistStore
    + RatingStore
    + MediationStore
    + StatsStore
    + HistoryStore
    + RetentionStore
    + Send
    + Sync
    + 'static
{
}

// ---- the database itself, shared secrets ------------------------------------------------

/// The database itself (`sql/maintenance.rs`).
#[async_trait]
pub trait MaintenanceStore: Send + Sync {
    /// Applies pending migrations.
    async fn migrate(&self) -> StoreResult<()>;
    /// Cheap round trip for health checks.
    async fn ping(&self) -> StoreResult<()>;
}

/// Keys the instances must share (`sql/secrets.rs`).
#[async_trait]
pub trait SecretStore: Send + Sync {
    /// The secret called `name`: `fresh` is stored when there is none yet, and whichever was
    /// stored first is returned (so concurrent instances agree on one).
    async fn secret(&self, name: &str, fresh: &[u8]) -> StoreResult<Vec<u8>>;
}

// ---- the district, its places and their services ----------------------------------------

/// The district, its places and what they offer (`sql/directory.rs`).
#[async_trait]
pub trait DirectoryStore: Send + Sync {
    /// `None` until a district file has been loaded.
    async fn district(&self) -> StoreResult<Option<DistrictInfo>>;
    /// Saves a whole district (places, services, schedules) in one transaction.
    /// Refuses (returns `Ok(false)`) when a district is already loaded.
    async fn load_district_if_empty(&self, district: &District) -> StoreResult<bool>;
    /// Every place in data-file order, with services and weekly sessions.
    async fn locations(&self) -> StoreResult<Vec<Location>>;
    async fn location(&self, id: LocationId) -> StoreResult<Location>;
}

/// District name and bureau, as loaded from the data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictInfo {
    pub name: String,
    pub bureau: String,
}

// ---- opening times ----------------------------------------------------------------------

/// When a service is open: weekly sessions, closures and extra sessions on dates, and the
/// public holiday files (`sql/schedules.rs`).
#[async_trait]
pub trait ScheduleStore: Send + Sync {
    /// Bodies of the loaded holiday files, one per year.
    async fn holiday_files(&self) -> StoreResult<Vec<String>>;
    /// Stores (or replaces) a year's holiday file.
    async fn save_holiday_file(&self, year: i32, source: &str, body: &str) -> StoreResult<()>;
    /// Closures and extra sessions of a service at a place between two dates.
    async fn date_exceptions(
        &self,
        location: LocationId,
        service: ServiceCode,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<StoredException>>;
    /// Replaces the weekly rules of a service at a place.
    async fn replace_weekly_sessions(
        &self,
        location: LocationId,
        service: ServiceCode,
        sessions: &[domain::WeeklySession],
    ) -> StoreResult<()>;
    /// Closes a service at a place on a date.
    async fn add_closure(
        &self,
        location: LocationId,
        service: ServiceCode,
        date: NaiveDate,
        note: &str,
    ) -> StoreResult<()>;
}

/// A closure (`session: None`) or an extra session string on one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredException {
    pub date: NaiveDate,
    pub session: Option<String>,
}

// ---- bookings ---------------------------------------------------------------------------

/// Bookings, their seats and their history (`sql/bookings.rs`).
#[async_trait]
pub trait BookingStore: Send + Sync {
    /// Active bookings per slot start of a service at a place, for starts in `[from, to)`.
    async fn seats_taken(
        &self,
        location: LocationId,
        service: ServiceCode,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<HashMap<DateTime<Utc>, u32>>;
    /// Takes a seat and saves the booking in one transaction, unless the slot is full or
    /// the resident's other active bookings (given to `fairness`) forbid it.
    async fn create_booking(
        &self,
        booking: &NewBookingRecord,
        capacity: u16,
        fairness: FairnessCheck,
    ) -> StoreResult<Result<BookingRecord, Refusal>> {
        self.create_booking_with_notice(booking, capacity, fairness, None)
            .await
    }
    /// As [`create_booking`](Self::create_booking), and queues `notice` if any (the
    /// booking's confirmation; its `booking_id` is filled in here) in the outbox. On SQLite
    /// it is written in the booking's own transaction, so the group commit's one fsync covers
    /// both (written apart, every booking cost a second commit). As when it was queued apart,
    /// a message that cannot be stored is logged and leaves the booking confirmed.
    async fn create_booking_with_notice(
        &self,
        booking: &NewBookingRecord,
        capacity: u16,
        fairness: FairnessCheck,
        notice: Option<NewNotification>,
    ) -> StoreResult<Result<BookingRecord, Refusal>>;
    async fn booking_by_code(&self, code: &str) -> StoreResult<Option<BookingRecord>>;
    /// Cancels a booked (not yet served) booking and frees its seat. With `offer_to`, in the
    /// same transaction the seat goes to the first matching waiting entry instead (it stays
    /// taken, held for them): the offers made are returned for the use case to text. `None`
    /// when the slot itself is going away (a schedule change): the seat is simply freed.
    async fn cancel_booking(
        &self,
        code: &str,
        at: DateTime<Utc>,
        offer_to: Option<&HoldRules>,
    ) -> StoreResult<Result<Freed<BookingRecord>, Refusal>>;
    /// Moves a booked booking to another slot of the same service and place: takes the new
    /// seat, frees the old one (offered to the waiting list as in
    /// [`cancel_booking`](Self::cancel_booking)), keeps the code and records the move.
    #[allow(clippy::too_many_arguments)]
    async fn reschedule_booking(
        &self,
        code: &str,
        new_start: DateTime<Utc>,
        new_end: DateTime<Utc>,
        capacity: u16,
        fairness: FairnessCheck,
        at: DateTime<Utc>,
        offer_to: Option<&HoldRules>,
    ) -> StoreResult<Result<Freed<BookingRecord>, Refusal>>;
    /// What happened to a booking, oldest first.
    /// What happened to a booking, oldest first. A stored kind this version does not know
    /// (written by a newer one) is left out and logged.
    async fn booking_events(&self, booking_id: i64) -> StoreResult<Vec<BookingEvent>>;
    /// Bookings (any state) of a place whose slots start in `[from, to)`.
    async fn bookings_between(
        &self,
        location: LocationId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingRecord>>;
    /// Booked (not cancelled, not arrived) bookings of every place starting in `[from, to)`.
    async fn booked_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingRecord>>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBookingRecord {
    pub code: String,
    pub location_id: LocationId,
    pub service: ServiceCode,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub name: String,
    pub phone: String,
    pub topic: String,
    pub account: Option<String>,
    pub youth: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingRecord {
    pub id: i64,
    pub code: String,
    pub location_id: LocationId,
    pub service: ServiceCode,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub state: BookingState,
    pub name: String,
    pub phone: String,
    pub topic: String,
    pub account: Option<String>,
    pub youth: bool,
    pub created_at: DateTime<Utc>,
}

/// What a write that may free a seat did (`record`), and the seats it offered to the
/// waiting list on the way (at most one per freed seat).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Freed<T> {
    pub record: T,
    pub offers: Vec<WaitlistOffer>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingEvent {
    pub at: DateTime<Utc>,
    pub kind: BookingEventKind,
    /// The old and new start of a move.
    pub from_start: Option<DateTime<Utc>>,
    pub to_start: Option<DateTime<Utc>>,
}

/// Why a booking change was refused; the use-case layer words it for residents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No seat left in the slot.
    Full,
    Fairness(FairnessError),
    /// The booking is no longer in a state that allows the change.
    NotActive(BookingState),
    NotFound,
}

/// The fairness rule, evaluated inside the booking transaction on the resident's other
/// active bookings (start, end). The rule itself lives in `domain::booking`.
pub type FairnessCheck = std::sync::Arc<
    dyn Fn(&[(DateTime<FixedOffset>, DateTime<FixedOffset>)]) -> Result<(), FairnessError>
        + Send
        + Sync,
>;

// ---- the day's queues -------------------------------------------------------------------

/// The day's queues at the places, and arrivals that did not come (`sql/queue.rs`).
#[async_trait]
pub trait QueueStore: Send + Sync {
    async fn queue_entries(
        &self,
        location: LocationId,
        day: NaiveDate,
    ) -> StoreResult<Vec<QueueEntryRecord>>;
    async fn queue_entry(&self, id: i64) -> StoreResult<Option<QueueEntryRecord>>;
    /// The queue entry a booking checked in as (at most one), if it did.
    async fn queue_entry_of_booking(
        &self,
        booking_id: i64,
    ) -> StoreResult<Option<QueueEntryRecord>>;
    /// Puts a booked (or not-come) booking into its place's queue of `day` with the next
    /// ticket of its service.
    async fn check_in(
        &self,
        booking_id: i64,
        day: NaiveDate,
        at: DateTime<Utc>,
    ) -> StoreResult<Result<QueueEntryRecord, Refusal>>;
    /// A new arrival without a booking; `transferred_from` names the entry of the desk that
    /// handed the person over (not a walk-in then, for statistics).
    async fn add_walk_in(
        &self,
        location: LocationId,
        service: ServiceCode,
        day: NaiveDate,
        at: DateTime<Utc>,
        transferred_from: Option<i64>,
    ) -> StoreResult<QueueEntryRecord>;
    /// Moves an entry from `from` to `change.to` (and its booking along); `None` when the entry
    /// is no longer in `from` (someone else acted first).
    async fn change_queue_entry(
        &self,
        id: i64,
        from: QueueState,
        change: &QueueChange,
    ) -> StoreResult<Option<QueueEntryRecord>>;
    /// Restores the state before the entry's last action; `None` when there is nothing to undo.
    async fn undo_queue_entry(
        &self,
        id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<QueueEntryRecord>>;
    /// Marks booked bookings whose slot started before `cutoff` as not come; returns them.
    async fn mark_no_shows(
        &self,
        cutoff: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingRecord>>;
    /// Takes a not-come booking back to booked (staff correcting the automatic mark).
    async fn revert_no_show(&self, booking_id: i64, at: DateTime<Utc>) -> StoreResult<bool>;
}

/// One person in a place's queue of the day, with their booking's details when booked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntryRecord {
    pub id: i64,
    pub location_id: LocationId,
    pub service: ServiceCode,
    pub day: NaiveDate,
    pub ticket: String,
    pub state: QueueState,
    pub can_undo: bool,
    pub desk: Option<String>,
    pub arrived_at: DateTime<Utc>,
    pub called_at: Option<DateTime<Utc>>,
    pub serving_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub outcome: Option<Outcome>,
    pub note: Option<String>,
    pub booking: Option<BookingRecord>,
}

/// A queue entry's new state and what goes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueChange {
    pub to: QueueState,
    pub at: DateTime<Utc>,
    pub desk: Option<String>,
    pub outcome: Option<Outcome>,
    pub note: Option<String>,
}

// ---- staff accounts ---------------------------------------------------------------------

/// Staff accounts (`sql/accounts.rs`). Their sign-in sessions are kept by tower-sessions in
/// the same database, opened per engine (`session_store` of each engine).
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// `None` when the username is taken.
    async fn create_staff_user(&self, user: &NewStaffUser) -> StoreResult<Option<i64>>;
    async fn staff_user_by_name(&self, username: &str) -> StoreResult<Option<StaffUserRecord>>;
    async fn staff_user_by_id(&self, id: i64) -> StoreResult<Option<StaffUserRecord>>;
    async fn set_staff_password(&self, id: i64, hash: &str, at: DateTime<Utc>) -> StoreResult<()>;
    async fn staff_user_count(&self) -> StoreResult<i64>;
    /// Disables or enables an account; `false` when there is no such account.
    async fn set_staff_disabled(&self, id: i64, disabled: bool) -> StoreResult<bool>;
    /// Every account, by username (a district has dozens, not thousands).
    async fn staff_users(&self) -> StoreResult<Vec<StaffUserRecord>>;
}

/// A staff account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUserRecord {
    pub account: StaffAccount,
    pub password_hash: String,
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaffUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub place: Option<LocationId>,
    pub created_at: DateTime<Utc>,
}

// ---- the audit log ----------------------------------------------------------------------

/// What staff did (`sql/audit.rs`).
#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()>;
    /// The newest entries first.
    async fn audit_log(&self, limit: i64) -> StoreResult<Vec<AuditEntry>>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub staff_id: Option<i64>,
    pub username: String,
    pub action: String,
    pub location_id: Option<LocationId>,
    pub subject: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

// ---- the text message outbox ------------------------------------------------------------

/// Text messages waiting to be sent, and what became of them (`sql/outbox.rs`).
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// `false` when a message with the same dedupe key exists already.
    async fn enqueue_notification(&self, n: &NewNotification) -> StoreResult<bool>;
    /// Claims unsent messages due by `now` with fewer than `max_attempts` attempts, oldest
    /// first: they are not due again before `lease_until`, so with several instances each
    /// message is sent by one of them (and again only if that one fails to report).
    async fn claim_due_notifications(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        max_attempts: u32,
        limit: i64,
    ) -> StoreResult<Vec<NotificationRecord>>;
    async fn notification_sent(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()>;
    async fn notification_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn notifications_of_booking(
        &self,
        booking_id: i64,
    ) -> StoreResult<Vec<NotificationRecord>>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    /// The booking it is about; `None` for a phone code.
    pub booking_id: Option<i64>,
    pub kind: NoticeKind,
    pub phone: String,
    pub body: String,
    pub dedupe_key: Option<String>,
    pub created_at: DateTime<Utc>,
    pub send_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRecord {
    pub id: i64,
    pub booking_id: Option<i64>,
    pub kind: NoticeKind,
    pub phone: String,
    pub body: String,
    pub attempts: u32,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

// ---- phone verification codes ----------------------------------------------------------

/// One-time codes sent by text message to prove a phone is the resident's
/// (`sql/phone_codes.rs`; the rules are `domain::verify`). The store decides nothing: the use
/// case checks the caps (`may_issue` over [`phone_codes_issued_since`]) before issuing, and a
/// guess (`check` over [`phone_challenge`]) before counting a try or marking the code used.
/// Instants are kept to the second, like every stored instant (truncated).
///
/// [`phone_codes_issued_since`]: PhoneCodeStore::phone_codes_issued_since
/// [`phone_challenge`]: PhoneCodeStore::phone_challenge
#[async_trait]
pub trait PhoneCodeStore: Send + Sync {
    /// Stores a code issued to `phone` at `at` (`secret`: the bytes the use case keeps of
    /// it, stored as given) with no tries; returns its id. It replaces the phone's earlier
    /// codes as the live challenge.
    async fn issue_phone_code(
        &self,
        phone: &str,
        secret: &[u8],
        at: DateTime<Utc>,
    ) -> StoreResult<i64>;
    /// Stores a code like [`issue_phone_code`](Self::issue_phone_code), but only if `allow`
    /// accepts the instants of the codes issued to `phone` in the 24 hours before `at` (the
    /// caps of `domain::verify::may_issue`). The read and the insert are one transaction with
    /// the phone locked, so concurrent requests for one phone cannot all pass a cap.
    async fn issue_phone_code_capped(
        &self,
        phone: &str,
        secret: &[u8],
        at: DateTime<Utc>,
        allow: &IssueCheck,
    ) -> StoreResult<Result<i64, domain::verify::TooManyCodes>>;
    /// When codes were issued to `phone` at or after `since`, oldest first (used or not):
    /// what `domain::verify::may_issue` counts.
    async fn phone_codes_issued_since(
        &self,
        phone: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<DateTime<Utc>>>;
    /// The phone's live challenge: its latest code (by issue time, then id), unless that one
    /// is used already. An earlier unused code is never live again: `None` then too.
    async fn phone_challenge(&self, phone: &str) -> StoreResult<Option<PhoneChallenge>>;
    /// Counts a wrong guess at code `id` in one statement (concurrent guesses each count);
    /// returns the new number of tries, `None` when the code is used or gone.
    async fn count_phone_code_try(&self, id: i64) -> StoreResult<Option<u32>>;
    /// Marks code `id` used at `at`, only if it is still unused: `true` for the one caller
    /// that did (two concurrent right guesses verify once), `false` when used or gone.
    async fn use_phone_code(&self, id: i64, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Deletes every code issued before `before` (no cap looks further back than a day);
    /// returns how many. The retention job also deletes them, at its own cut-off.
    async fn purge_phone_codes(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}

/// The cap check of [`PhoneCodeStore::issue_phone_code_capped`]: given the instants of a
/// phone's codes of the last 24 hours, whether another may be issued.
pub type IssueCheck =
    dyn Fn(&[DateTime<Utc>]) -> Result<(), domain::verify::TooManyCodes> + Send + Sync;

/// A phone's live code as stored: its id (to count a try or mark it used) and the
/// [`Challenge`](domain::verify::Challenge) the domain checks a guess against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneChallenge {
    pub id: i64,
    pub challenge: domain::verify::Challenge,
}

// ---- the waiting list -------------------------------------------------------------------

/// Residents waiting for a freed seat (`sql/waitlist.rs`; the rules are `domain::waitlist`).
/// A hold counts as a taken seat in `slot_seats`: whatever frees a seat (a cancellation, a
/// reschedule, a declined, expired or left offer) offers it to the first matching waiting
/// entry in the same transaction, and a confirmation turns the held seat into the booking's
/// seat without taking another. So `taken` = active bookings + entries in `offered`.
#[async_trait]
pub trait WaitlistStore: Send + Sync {
    /// Adds a waiting entry, unless the phone has an open entry of the same place and
    /// service whose dates overlap (`domain::waitlist::already_waiting`): `AlreadyWaiting`.
    async fn join_waitlist(
        &self,
        entry: &NewWaitlistEntry,
    ) -> StoreResult<Result<WaitlistRecord, WaitRefusal>>;
    /// A phone's entries (any state), newest first.
    async fn waitlist_of_phone(&self, phone: &str) -> StoreResult<Vec<WaitlistRecord>>;
    /// A place's entries (any state) in join order.
    async fn waitlist_at(&self, location: LocationId) -> StoreResult<Vec<WaitlistRecord>>;
    /// The entry with this SMS link code.
    async fn waitlist_by_link(&self, link_code: &str) -> StoreResult<Option<WaitlistRecord>>;
    /// Applies a resident's `Leave` or `Decline` (or a sweep's `Expire`/`Lapse`) to entry
    /// `id` at `at` under the domain rule; a seat it held passes to the next matching
    /// entry (or is freed) in the same transaction. `Confirm` and `Offer` are refused here
    /// (see [`confirm_offer`](Self::confirm_offer)).
    async fn step_waitlist_entry(
        &self,
        id: domain::waitlist::EntryId,
        step: domain::waitlist::Step,
        at: DateTime<Utc>,
        rules: &HoldRules,
    ) -> StoreResult<Result<Freed<WaitlistRecord>, WaitRefusal>>;
    /// Turns entry `id`'s held seat into `booking` (its slot must be the offer's) in one
    /// transaction: the held seat becomes the booking's (no second seat is taken), the
    /// booking passes `fairness` against the phone's other active bookings, the entry is
    /// `booked`. A hold over at `booking.created_at` is refused with `HoldOver` and nothing
    /// changes (the caller expires it with [`step_waitlist_entry`](Self::step_waitlist_entry),
    /// which passes the seat on).
    async fn confirm_offer(
        &self,
        id: domain::waitlist::EntryId,
        booking: &NewBookingRecord,
        fairness: FairnessCheck,
    ) -> StoreResult<Result<Freed<(WaitlistRecord, BookingRecord)>, WaitRefusal>>;
    /// Ends every hold over at `at` (each seat passing on, one transaction per hold) and
    /// lapses waiting entries whose dates are over; returns the new offers.
    async fn expire_holds(
        &self,
        at: DateTime<Utc>,
        rules: &HoldRules,
    ) -> StoreResult<Vec<WaitlistOffer>>;
    /// Waiting-list figures per local month, place and service, of the things that happened
    /// in `[from, to)`, each in the month it happened in: one query for a dashboard's whole
    /// period (asked once a month, a year and the year before were 24 round trips a page).
    async fn waitlist_tally(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<
        HashMap<(domain::stats::Month, LocationId, ServiceCode), domain::waitlist::WaitlistTally>,
    >;
}

pub use domain::waitlist::HoldRules;

/// A new waiting entry, checked by the use case (`domain::waitlist::JoinForm::check` and the
/// booking details of `domain::booking::ResidentForm`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWaitlistEntry {
    pub location_id: LocationId,
    pub service: ServiceCode,
    pub name: String,
    pub phone: String,
    pub topic: String,
    pub account: Option<String>,
    pub youth: bool,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub part: domain::waitlist::PartOfDay,
    pub link_code: String,
    pub created_at: DateTime<Utc>,
}

/// A waiting entry as stored: the domain's entry and what the store keeps beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitlistRecord {
    pub entry: domain::waitlist::Entry,
    pub name: String,
    pub topic: String,
    pub account: Option<String>,
    pub link_code: String,
    /// The booking a confirmed offer became.
    pub booking_id: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

/// A seat just held for a waiting entry: what the use case texts the resident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitlistOffer {
    pub entry_id: domain::waitlist::EntryId,
    pub location_id: LocationId,
    pub service: ServiceCode,
    pub phone: String,
    pub link_code: String,
    pub offer: domain::waitlist::Offer,
}

/// Why a waiting-list write was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitRefusal {
    /// The domain rule refused the step (or the join: `AlreadyWaiting`).
    Step(domain::waitlist::WaitError),
    /// The booking rules refused the confirmation (fairness).
    Booking(Refusal),
    NotFound,
}

// ---- ratings and their follow-ups ------------------------------------------------------

/// Ratings (好差评) of finished services and the follow-up of poor ones (`sql/ratings.rs`;
/// the rules are `domain::rating`). A service is rated once: the database's UNIQUE
/// constraint on the rated booking, walk-in or case decides, not a read before the write.
#[async_trait]
pub trait RatingStore: Send + Sync {
    /// Adds a rating (and, for a poor one, its open follow-up due on `follow_up_due`, in the
    /// same transaction); `Err(Duplicate)` when the service is already rated. A poor rating
    /// without a due date, or a good one with one, is refused as `Corrupt` (a caller's bug).
    async fn add_rating(&self, rating: &NewRating) -> StoreResult<Result<i64, Duplicate>>;
    /// The rating of a service, with its follow-up if it has one.
    async fn rating_of(&self, subject: RatedSubject) -> StoreResult<Option<RatingRecord>>;
    /// A rating by its id, with its follow-up if it has one.
    async fn rating_by_id(&self, id: i64) -> StoreResult<Option<RatingRecord>>;
    /// The ratings with a follow-up at a place (only those not closed with `open_only`),
    /// by due date.
    async fn follow_ups_at(
        &self,
        location: LocationId,
        open_only: bool,
    ) -> StoreResult<Vec<RatingRecord>>;
    /// Every rating whose follow-up is not closed, in the district, by due date.
    async fn open_follow_ups(&self) -> StoreResult<Vec<RatingRecord>>;
    /// Writes `to` (from `domain::rating::FollowUp::next`) as the state of rating
    /// `rating_id`'s follow-up, recorded by staff account `by` at `at`, only if it is still in
    /// state `expected` (its code): `false` when it is not (someone else acted first) or
    /// there is no such follow-up.
    async fn step_follow_up(
        &self,
        rating_id: i64,
        expected: &str,
        to: &domain::rating::FollowUpState,
        by: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Rating figures per place and service for ratings given in `[from, to)`: counts per
    /// level and reason, and their follow-ups closed on time or late, open, or overdue as
    /// of `now`.
    async fn rating_tally(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<HashMap<(LocationId, ServiceCode), domain::rating::RatingTally>>;
}

/// The service a rating is of: a booking, a walk-in (queue entry) or a mediation case, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RatedSubject {
    Booking(i64),
    WalkIn(i64),
    Case(i64),
}

impl RatedSubject {
    pub const fn kind(self) -> domain::rating::RatedKind {
        match self {
            RatedSubject::Booking(_) => domain::rating::RatedKind::Booking,
            RatedSubject::WalkIn(_) => domain::rating::RatedKind::WalkIn,
            RatedSubject::Case(_) => domain::rating::RatedKind::Case,
        }
    }

    pub const fn id(self) -> i64 {
        match self {
            RatedSubject::Booking(id) | RatedSubject::WalkIn(id) | RatedSubject::Case(id) => id,
        }
    }
}

/// A new rating, checked by the use case (`domain::rating::RatingForm::check` and
/// `may_rate`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRating {
    pub subject: RatedSubject,
    pub location_id: LocationId,
    pub service: ServiceCode,
    pub rating: domain::rating::Rating,
    pub rated_at: DateTime<Utc>,
    /// `domain::rating::follow_up_due(rated_at, calendar)` for a poor rating, else `None`.
    pub follow_up_due: Option<NaiveDate>,
}

/// The service was already rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duplicate;

/// A rating as stored, with its follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingRecord {
    pub id: i64,
    pub subject: RatedSubject,
    pub location_id: LocationId,
    pub service: ServiceCode,
    pub rating: domain::rating::Rating,
    pub rated_at: DateTime<Utc>,
    pub follow_up: Option<FollowUpRecord>,
}

/// A poor rating's follow-up as stored: the domain's and who recorded its steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpRecord {
    pub follow_up: domain::rating::FollowUp,
    pub called_by: Option<i64>,
    pub closed_by: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

// ---- mediation cases --------------------------------------------------------------------

/// Mediation cases and their steps (`sql/mediation.rs`).
#[async_trait]
pub trait MediationStore: Send + Sync {
    /// A new case; `None` when the code is already taken (the caller draws another).
    async fn create_case(&self, case: &CaseRecord) -> StoreResult<Option<i64>>;
    async fn case_by_code(&self, code: &str) -> StoreResult<Option<CaseRecord>>;
    /// A place's cases, newest first.
    async fn cases_at(&self, location: LocationId) -> StoreResult<Vec<CaseRecord>>;
    async fn case_events(&self, case_id: i64) -> StoreResult<Vec<CaseEvent>>;
    /// Saves a case after a step, with the step's event, in one transaction, only if the
    /// case is still at `seen_version` (`None` otherwise: someone else acted first). A
    /// written agreement gets the next number of its committee and year here.
    async fn save_case_step(
        &self,
        seen_version: i64,
        case: &CaseRecord,
        event: &CaseEvent,
        numbering: Option<AgreementNumbering>,
    ) -> StoreResult<Option<CaseRecord>>;
}

/// A mediation case as stored: the checked request, where it stands, how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub id: i64,
    pub code: String,
    pub state: CaseState,
    pub version: i64,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub other_party_name: String,
    pub other_party_phone: Option<String>,
    pub relation: Option<String>,
    pub dispute_type: DisputeType,
    pub account: String,
    pub location_id: LocationId,
    pub queue_entry_id: Option<i64>,
    pub mediator_id: Option<i64>,
    pub submitted_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub outcome: Option<Ending>,
    pub referral: Option<Referral>,
    pub amount: Option<Fen>,
    pub terms: Option<String>,
    pub reason: Option<String>,
    pub agreement_no: Option<String>,
    pub next_session: Option<(DateTime<Utc>, LocationId)>,
}

/// One step of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    pub at: DateTime<Utc>,
    pub action: String,
    pub from_state: Option<CaseState>,
    pub to_state: CaseState,
    pub staff_id: Option<i64>,
    /// The step's fields as JSON: staff eyes only.
    pub detail: Option<String>,
}

/// Which counter numbers a new written agreement, and the committee's name in the number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementNumbering {
    pub location_id: LocationId,
    pub year: i32,
    pub committee: String,
}

// ---- statistics -------------------------------------------------------------------------

/// Counting for the statistics, and the monthly roll-ups (`sql/stats.rs`).
#[async_trait]
pub trait StatsStore: Send + Sync {
    /// Counts of every place with activity in `period` from the working tables (`only`: just
    /// these places).
    async fn tally_raw(
        &self,
        period: Period,
        only: Option<&[LocationId]>,
    ) -> StoreResult<HashMap<LocationId, Tally>>;
    /// Saved monthly roll-ups of the months `from..=to` (stale ones included: see
    /// [`StatsStore::stale_rollups`]).
    async fn rollups(&self, from: Month, to: Month)
        -> StoreResult<Vec<(Month, LocationId, Tally)>>;
    /// Place-months of `from..=to` changed since their roll-up was computed.
    async fn stale_rollups(&self, from: Month, to: Month) -> StoreResult<Vec<StaleRollup>>;
    /// Counts of every place with activity in `period` from the working tables, day by day
    /// (`only`: just these places).
    async fn tally_days(
        &self,
        period: Period,
        only: Option<&[LocationId]>,
    ) -> StoreResult<HashMap<(LocationId, NaiveDate), Tally>>;
    /// Every place's sum of the saved daily roll-ups of `part` (days of one month).
    async fn partial_rollups(&self, part: Period) -> StoreResult<Vec<(LocationId, Tally)>>;
    /// Each month's roll-up version (months never saved are left out): raised by every
    /// [`StatsStore::save_rollups`] that changes one of its place-months.
    async fn rollup_versions(&self, from: Month, to: Month) -> StoreResult<Vec<(Month, i64)>>;
    /// Each month's ratings version (by the month given; months without any left out):
    /// raised by every change to a rating or its follow-up (migration 0015's triggers).
    async fn rating_versions(&self, from: Month, to: Month) -> StoreResult<Vec<(Month, i64)>>;
    /// Saves recomputed roll-ups (the month's and its days'); one computed from an older
    /// generation than the one saved is dropped, so concurrent recomputations cannot put old
    /// counts back. Returns each month it changed: its new version and the places written.
    async fn save_rollups(&self, rollups: &[Rollup]) -> StoreResult<Vec<SavedMonth>>;
}

/// A month whose roll-ups a save changed: the version the save raised it to, and the places
/// whose roll-ups it wrote (the others of the month are as they were at the version before).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedMonth {
    pub month: Month,
    pub version: i64,
    pub places: Vec<LocationId>,
}

/// A recomputed place-month: its monthly roll-up and its days.
#[derive(Debug, Clone)]
pub struct Rollup {
    pub stale: StaleRollup,
    pub month: Tally,
    pub days: DailyTallies,
}

/// A place-month whose roll-up is out of date, and the change generation it was seen at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaleRollup {
    pub month: Month,
    pub location_id: LocationId,
    pub generation: i64,
}

// ---- generated history ------------------------------------------------------------------

/// Generated past activity for demonstrations (`server demo-history`; `sql/history.rs`).
#[async_trait]
pub trait HistoryStore: Send + Sync {
    /// How many bookings start before `before`, and the largest ids in use.
    async fn history_state(&self, before: DateTime<Utc>) -> StoreResult<HistoryState>;
    /// Writes generated history in one transaction.
    async fn insert_history(&self, batch: &HistoryBatch) -> StoreResult<()>;
}

/// What a database holds before history is generated into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryState {
    /// Bookings starting before the history's end (there must be none).
    pub bookings_before: i64,
    /// The largest ids in use: generated rows take the ones after them, so that ratings can
    /// name what they rate within one batch.
    pub last_booking: i64,
    pub last_queue_entry: i64,
    pub last_case: i64,
    pub last_rating: i64,
}

/// Generated past activity, written in bulk.
#[derive(Debug, Clone, Default)]
pub struct HistoryBatch {
    pub bookings: Vec<HistoryBooking>,
    pub reschedules: Vec<HistoryReschedule>,
    pub queue: Vec<HistoryQueueEntry>,
    pub cases: Vec<HistoryCase>,
    /// Ratings of the batch's finished visits and cases (or earlier ones), with follow-ups.
    pub ratings: Vec<HistoryRating>,
    /// The last agreement number used per committee and year.
    pub agreement_counters: Vec<(LocationId, i32, i64)>,
}

#[derive(Debug, Clone)]
pub struct HistoryBooking {
    pub id: i64,
    pub code: String,
    pub location_id: LocationId,
    pub service: ServiceCode,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub state: BookingState,
    pub name: String,
    pub phone: String,
    pub topic: String,
    pub youth: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct HistoryReschedule {
    pub booking_id: i64,
    pub at: DateTime<Utc>,
    pub from_start: DateTime<Utc>,
    pub to_start: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct HistoryQueueEntry {
    pub id: i64,
    pub location_id: LocationId,
    pub service: ServiceCode,
    pub day: NaiveDate,
    pub number: u32,
    pub ticket: String,
    pub booking_id: Option<i64>,
    pub state: QueueState,
    pub arrived_at: DateTime<Utc>,
    pub called_at: Option<DateTime<Utc>>,
    pub serving_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Clone)]
pub struct HistoryCase {
    pub id: i64,
    pub code: String,
    pub state: CaseState,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub other_party_name: String,
    pub dispute_type: DisputeType,
    pub account: String,
    pub location_id: LocationId,
    pub submitted_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub outcome: Option<Ending>,
    pub referral: Option<Referral>,
    pub amount_fen: Option<i64>,
    pub terms: Option<String>,
    pub reason: Option<String>,
    pub agreement_no: Option<String>,
}

/// A generated rating; a poor one has its follow-up (steps recorded by nobody: no staff
/// account is named).
#[derive(Debug, Clone)]
pub struct HistoryRating {
    pub id: i64,
    pub subject: RatedSubject,
    pub location_id: LocationId,
    pub service: ServiceCode,
    pub rating: domain::rating::Rating,
    pub rated_at: DateTime<Utc>,
    pub follow_up: Option<domain::rating::FollowUp>,
}

// ---- retention (PIPL) -------------------------------------------------------------------

/// Forgetting residents' personal data when it is due (PIPL; `sql/retention.rs`).
#[async_trait]
pub trait RetentionStore: Send + Sync {
    /// Anonymises up to `limit` due rows of each kind (bookings, cases, messages, queue
    /// notes, waiting-list entries, rating comments and follow-up notes; what is due is `domain::retention::Cutoff`), marking them with `at`, and
    /// deletes up to `limit` phone verification codes issued before the cut-off. Columns
    /// the statistics count are never written. Returns how many rows of each kind.
    async fn anonymise_due(
        &self,
        cutoff: &domain::retention::Cutoff,
        at: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Anonymised>;
}

/// How many rows a retention pass anonymised, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Anonymised {
    pub bookings: u64,
    pub cases: u64,
    pub notifications: u64,
    pub queue_notes: u64,
    /// Phone verification codes deleted.
    pub phone_codes: u64,
    /// Ended waiting-list entries anonymised.
    pub waitlist: u64,
    /// Ratings whose comment (and follow-up notes) were cleared.
    pub ratings: u64,
}

impl Anonymised {
    pub fn total(&self) -> u64 {
        self.bookings
            + self.cases
            + self.notifications
            + self.queue_notes
            + self.phone_codes
            + self.waitlist
            + self.ratings
    }

    pub fn add(&mut self, other: Anonymised) {
        self.bookings += other.bookings;
        self.cases += other.cases;
        self.notifications += other.notifications;
        self.queue_notes += other.queue_notes;
        self.phone_codes += other.phone_codes;
        self.waitlist += other.waitlist;
        self.ratings += other.ratings;
    }
}

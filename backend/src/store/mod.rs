//! The storage layer: the use cases' SQL, by area.
//!
//! [`Store`] is the interface the use cases depend on (they hold an `Arc<dyn Store>`): one
//! bound over a trait per area. An area's trait and records are in the file named after it
//! (the queue's in `queue.rs`), its SQL in the file of the same name under `sql/`
//! (`sql/queue.rs`); the two smallest traits are in this file. Business rules stay in the
//! `domain` crate.
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

mod accounts;
mod audit;
mod bookings;
mod directory;
mod history;
mod mediation;
mod outbox;
mod queue;
mod retention;
mod schedules;
mod stats;

pub use accounts::{AccountStore, NewStaffUser, StaffUserRecord};
pub use audit::{AuditEntry, AuditStore};
pub use bookings::{
    BookingEvent, BookingRecord, BookingStore, FairnessCheck, NewBookingRecord, Refusal,
};
pub use directory::{DirectoryStore, DistrictInfo};
pub use history::{
    HistoryBatch, HistoryBooking, HistoryCase, HistoryQueueEntry, HistoryReschedule, HistoryStore,
};
pub use mediation::{AgreementNumbering, CaseEvent, CaseRecord, MediationStore};
pub use outbox::{NewNotification, NotificationRecord, OutboxStore};
pub use queue::{QueueChange, QueueEntryRecord, QueueStore};
pub use retention::{Anonymised, RetentionStore};
pub use schedules::{ScheduleStore, StoredException};
pub use stats::{StaleRollup, StatsStore};

use async_trait::async_trait;

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
    + MediationStore
    + StatsStore
    + HistoryStore
    + RetentionStore
    + Send
    + Sync
    + 'static
{
}

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

//! SQLite implementation of [`Store`](super::Store): an embedded file in WAL mode, the default.
//!
//! The SQL itself is shared with PostgreSQL: `../sql/`, one file per area, each implementing
//! its area's trait for `This`, is compiled once here (with `This` = [`SqliteStore`] and
//! `Conn` = a SQLite connection) and once in `../postgres/`. What differs between the two
//! engines is in this file: connecting, migrations, how a new booking is committed (group
//! commit, see `group_commit.rs`) and the few SQL spellings in [`dialect`].

mod group_commit;

// The shared SQL is compiled once per engine on purpose (see the module comment).
#[allow(clippy::duplicate_mod)]
#[path = "../sql/mod.rs"]
mod sql;

use super::{
    BookingRecord, FairnessCheck, NewBookingRecord, NewNotification, Refusal, StoreError,
    StoreResult,
};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::time::Duration;

/// The connection type the shared SQL runs on.
type Conn = sqlx::SqliteConnection;
/// The store the shared SQL is implemented for.
type This = SqliteStore;

/// SQL that SQLite spells differently from PostgreSQL.
mod dialect {
    use super::Conn;
    use crate::store::StoreResult;

    /// The larger of two values (SQLite's two-argument `MAX`).
    pub const GREATEST: &str = "MAX";

    /// The local (Shanghai, UTC+8 all year) date `YYYY-MM-DD` of a stored instant column.
    pub fn local_day(column: &str) -> String {
        format!("strftime('%Y-%m-%d', {column}, '+8 hours')")
    }

    /// Whole seconds from one stored instant column to another (`unixepoch` parses an
    /// instant a third faster than `strftime('%s')`, which tells over a place-month of visits).
    pub fn seconds_between(from: &str, to: &str) -> String {
        format!("unixepoch({to}) - unixepoch({from})")
    }

    /// An aggregate of the rows of `columns` as one JSON array, `[[c1, c2, …], …]`, for
    /// counting queries: SQLite's driver hands each row over from its worker thread (about
    /// 15 µs a row here), so a place-month's few thousand visits cost more in hand-offs than
    /// in counting, and one row costs one.
    pub fn json_rows(columns: &[&str]) -> Option<String> {
        Some(format!(
            "json_group_array(json_array({}))",
            columns.join(", ")
        ))
    }

    /// Serialises bookings of one phone number. SQLite has one writer at a time, so every
    /// booking transaction is already serialised: nothing to do.
    pub async fn lock_phone(_conn: &mut Conn, _phone: &str) -> StoreResult<()> {
        Ok(())
    }

    /// One writer at a time never deadlocks: a transaction runs once.
    pub async fn retrying<T, F, Fut>(mut transaction: F) -> StoreResult<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = StoreResult<T>>,
    {
        transaction().await
    }

    /// After rows were inserted with explicit ids: SQLite's next id is always max(id) + 1.
    pub async fn ids_inserted(_conn: &mut Conn, _table: &str) -> StoreResult<()> {
        Ok(())
    }
}

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

    /// Server-side sessions (a resident's bookings remembered on a device; staff logins) in
    /// the same database, through the tower-sessions SQLx store. They use the read pool so
    /// that loading a session never queues behind booking writes; their rare writes wait for
    /// SQLite's lock (busy timeout).
    pub async fn session_store(&self) -> StoreResult<tower_sessions_sqlx_store::SqliteStore> {
        let sessions = tower_sessions_sqlx_store::SqliteStore::new(self.pool.clone());
        sessions.migrate().await?;
        Ok(sessions)
    }

    /// The ids of the stored sessions (for moving them to another database).
    pub async fn session_ids(&self) -> StoreResult<Vec<String>> {
        let ids: Vec<(String,)> = sqlx::query_as("SELECT id FROM tower_sessions")
            .fetch_all(&self.pool)
            .await?;
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }

    /// Writes a consistent copy of the whole database to the new file `file` with
    /// `VACUUM INTO` while the portal keeps running: the copy is one snapshot (what the WAL
    /// holds included) and writers are never blocked. An existing `file` is refused.
    pub async fn backup_to(&self, file: &std::path::Path) -> StoreResult<()> {
        if file.exists() {
            return Err(StoreError::WriteFailed(format!(
                "{} already exists",
                file.display()
            )));
        }
        let path = file.to_str().ok_or_else(|| {
            StoreError::WriteFailed(format!("{}: not a UTF-8 path", file.display()))
        })?;
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes both pools (tests reopen the file afterwards).
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }

    async fn migrate_impl(&self) -> StoreResult<()> {
        sqlx::migrate!("./migrations/sqlite")
            .run(&self.writer)
            .await
            .map_err(|e| StoreError::Database(e.into()))
    }

    async fn create_booking_impl(
        &self,
        b: &NewBookingRecord,
        capacity: u16,
        fairness: FairnessCheck,
        notice: Option<NewNotification>,
    ) -> StoreResult<Result<BookingRecord, Refusal>> {
        self.bookings_writer
            .book(b.clone(), capacity, fairness, notice)
            .await
    }
}

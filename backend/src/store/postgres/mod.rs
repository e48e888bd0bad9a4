//! PostgreSQL implementation of [`Store`](super::Store), for deployments that run several
//! server instances on one database server.
//!
//! The SQL is the same as SQLite's (the files in `../sql/`, one per area, compiled here with
//! `This` = [`PgStore`] and `Conn` = a PostgreSQL connection). What PostgreSQL needs on top:
//! - **Bookings by many instances at once.** Seats are still claimed by the conditional
//!   `UPDATE` on `slot_seats`, which locks the slot's row until commit, so two instances can
//!   never both take the last seat. The fairness rule (at most three bookings per phone, none
//!   overlapping) reads the phone's other bookings, so each booking transaction first takes a
//!   transaction-scoped advisory lock on the phone number ([`dialect::lock_phone`]).
//! - **Deadlocks.** A reschedule locks its two slots' rows earlier slot first, so crossing
//!   reschedules do not wait for each other in a circle; should PostgreSQL still abort a
//!   transaction to break a deadlock, it is rerun after a short random pause
//!   ([`dialect::retrying`]).
//! - **Live events across instances** go through `LISTEN`/`NOTIFY` ([`PgStore::pool`] is what
//!   `crate::events` listens on).

// The shared SQL is compiled once per engine on purpose (see the module comment).
#[allow(clippy::duplicate_mod)]
#[path = "../sql/mod.rs"]
mod sql;

use super::{
    BookingRecord, FairnessCheck, NewBookingRecord, NewNotification, OutboxStore, Refusal,
    StoreError, StoreResult,
};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::str::FromStr;
use std::time::Duration;

/// The connection type the shared SQL runs on.
type Conn = sqlx::PgConnection;
/// The store the shared SQL is implemented for.
type This = PgStore;

/// SQL that PostgreSQL spells differently from SQLite, and its concurrency helpers.
pub(crate) mod dialect {
    use super::Conn;
    use crate::store::{StoreError, StoreResult};
    use std::future::Future;

    pub const GREATEST: &str = "GREATEST";

    /// The local (Shanghai, UTC+8 all year) date `YYYY-MM-DD` of a stored instant column.
    pub fn local_day(column: &str) -> String {
        format!("to_char(CAST({column} AS TIMESTAMP) + INTERVAL '8 hours', 'YYYY-MM-DD')")
    }

    /// Whole seconds from one stored instant column (UTC text, whole seconds) to another.
    /// Read as `TIMESTAMP`, not `TIMESTAMPTZ`: both are UTC, and the time-zone-aware parse
    /// costs twice as much over a place-month of visits.
    pub fn seconds_between(from: &str, to: &str) -> String {
        format!(
            "CAST(EXTRACT(EPOCH FROM CAST({to} AS TIMESTAMP) - CAST({from} AS TIMESTAMP)) AS BIGINT)"
        )
    }

    /// Counting queries return their rows as they are: PostgreSQL's driver reads them off
    /// the socket, and building one JSON array of them would cost the server more (about
    /// 4 µs a row) than it saves (see SQLite's).
    pub fn json_rows(_columns: &[&str]) -> Option<String> {
        None
    }

    /// Advisory-lock namespace of "bookings of one phone number".
    const PHONE_LOCKS: i32 = 7301;

    /// Serialises the booking transactions of one phone number (on every instance) until
    /// this transaction ends, so the fairness rule sees the other bookings it must count.
    /// A hash collision only makes two phones wait for each other.
    pub async fn lock_phone(conn: &mut Conn, phone: &str) -> StoreResult<()> {
        sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind(PHONE_LOCKS)
            .bind(phone)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// After rows were inserted with explicit ids, moves the table's identity past them.
    /// `table` is one of ours, never user input.
    pub async fn ids_inserted(conn: &mut Conn, table: &str) -> StoreResult<()> {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                           GREATEST((SELECT MAX(id) FROM {table}), 1))"
        ))
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Deadlock or serialization failure: the transaction was rolled back and may be rerun.
    fn must_retry(e: &StoreError) -> bool {
        matches!(e, StoreError::Database(sqlx::Error::Database(d))
            if matches!(d.code().as_deref(), Some("40P01") | Some("40001")))
    }

    /// Runs a whole transaction again when PostgreSQL aborted it to break a deadlock.
    pub async fn retrying<T, F, Fut>(mut transaction: F) -> StoreResult<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = StoreResult<T>>,
    {
        let mut attempt = 1;
        loop {
            match transaction().await {
                Err(e) if attempt < 5 && must_retry(&e) => {
                    tracing::warn!(attempt, "transaction aborted by the database, retrying");
                    // a random pause, so the two transactions do not meet again in step
                    let pause = rand::Rng::gen_range(&mut rand::thread_rng(), 5..25 * attempt);
                    tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
}

#[derive(Clone)]
pub struct PgStore {
    pub(crate) pool: PgPool,
    /// The same pool: PostgreSQL has no single-writer rule. Named so the shared SQL reads
    /// the same for both engines.
    pub(crate) writer: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:5432/portal`). The pool size is
    /// `max_connections` per instance; the server's `max_connections` must cover every
    /// instance's pool.
    pub async fn connect(url: &str, max_connections: u32) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url)?.application_name("legal-portal");
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(PgStore {
            writer: pool.clone(),
            pool,
        })
    }

    /// The connection pool (LISTEN/NOTIFY, sessions, the database copy).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Server-side sessions in the same database (schema `tower_sessions`), so that a
    /// resident or staff member stays signed in whichever instance answers.
    pub async fn session_store(&self) -> StoreResult<tower_sessions_sqlx_store::PostgresStore> {
        let sessions = tower_sessions_sqlx_store::PostgresStore::new(self.pool.clone());
        sessions.migrate().await?;
        Ok(sessions)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn migrate_impl(&self) -> StoreResult<()> {
        sqlx::migrate!("./migrations/postgres")
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Database(e.into()))
    }

    /// One transaction per booking: PostgreSQL commits concurrent transactions together
    /// itself, and every instance books through the same row locks. The message is queued
    /// on its own afterwards, as before: PostgreSQL already shares commits between
    /// concurrent transactions.
    async fn create_booking_impl(
        &self,
        b: &NewBookingRecord,
        capacity: u16,
        fairness: FairnessCheck,
        notice: Option<NewNotification>,
    ) -> StoreResult<Result<BookingRecord, Refusal>> {
        let r = dialect::retrying(|| async {
            let mut tx = self.pool.begin().await?;
            let r = sql::bookings::insert_booking(&mut tx, b, capacity, &fairness).await?;
            if r.is_ok() {
                tx.commit().await?;
            } else {
                tx.rollback().await?;
            }
            Ok(r)
        })
        .await?;
        if let (Ok(saved), Some(mut notice)) = (&r, notice) {
            notice.booking_id = Some(saved.id);
            if let Err(e) = OutboxStore::enqueue_notification(self, &notice).await {
                tracing::error!(error = %e, kind = notice.kind.code(), "could not enqueue a notification");
            }
        }
        Ok(r)
    }
}

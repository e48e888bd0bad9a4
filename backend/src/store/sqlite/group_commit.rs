//! Group commit for new bookings. Every confirmed booking must be on disk before it is
//! acknowledged (`synchronous=FULL`), and on one disk an fsync costs far more than the SQL
//! around it. So one task writes bookings: it takes every request waiting in its queue, runs
//! each inside its own savepoint of one transaction (a refused or failed booking rolls back to
//! its savepoint and leaves the others alone), commits once, and only then answers them all.
//! Bookings in one batch run one after another, so seat counting and the fairness rule see
//! each other's writes exactly as if they had been separate transactions.
//!
//! sqlx runs each statement on its connection's own thread and answers through a channel, so
//! every statement costs two thread wake-ups; with ~8 statements per booking that hand-off,
//! not SQLite, bounded the writer (BENCHMARKS.md, "Where the time goes"). So a batch runs on a
//! blocking thread directly on the writer connection's SQLite handle (`lock_handle`, the
//! same statements through rusqlite), and under load batch follows batch on that thread
//! without handing anything back (`commit_burst`).

use super::sql::bookings::{
    active_of_phone_sql, stored_interval, stored_record, ts, INSERT_BOOKING, INSERT_EVENT,
    SEAT_ROW, SEAT_TAKE,
};
use super::sql::outbox::INSERT_NOTIFICATION;
use crate::store::{
    BookingRecord, FairnessCheck, NewBookingRecord, NewNotification, Refusal, StoreError,
    StoreResult,
};
use domain::booking::BookingEventKind;
use rusqlite::{Connection, ToSql};
use sqlx::pool::PoolConnection;
use sqlx::{Sqlite, SqlitePool};
use tokio::sync::{mpsc, oneshot};

/// Most bookings in one transaction: bounds how long the first one waits.
const MAX_BATCH: usize = 256;
/// Longest a burst of back-to-back batches keeps the writer connection (see `commit_burst`).
const HOLD: std::time::Duration = std::time::Duration::from_millis(20);
/// Requests queued before callers wait for room (back-pressure instead of unbounded memory).
const QUEUE: usize = 4096;

type Answer = StoreResult<Result<BookingRecord, Refusal>>;
type Reply = oneshot::Sender<Answer>;

struct Job {
    booking: NewBookingRecord,
    capacity: u16,
    fairness: FairnessCheck,
    /// The confirmation message, queued in the same transaction when the booking is made.
    notice: Option<NewNotification>,
    reply: Reply,
}

/// The handle through which the store hands new bookings to the writing task.
#[derive(Clone)]
pub(super) struct BookingWriter(mpsc::Sender<Job>);

impl BookingWriter {
    /// Starts the writing task on `writer` (the single writing connection's pool). The task
    /// stops when the last handle is dropped.
    pub(super) fn start(writer: SqlitePool) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(writer, rx));
        BookingWriter(tx)
    }

    pub(super) async fn book(
        &self,
        booking: NewBookingRecord,
        capacity: u16,
        fairness: FairnessCheck,
        notice: Option<NewNotification>,
    ) -> StoreResult<Result<BookingRecord, Refusal>> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            booking,
            capacity,
            fairness,
            notice,
            reply,
        };
        self.0
            .send(job)
            .await
            .map_err(|_| StoreError::WriteFailed("the booking writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::WriteFailed("the booking writer dropped a request".into()))?
    }
}

async fn run(writer: SqlitePool, mut jobs: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let first = std::mem::replace(&mut batch, Vec::with_capacity(MAX_BATCH));
        let conn = match writer.acquire().await {
            Ok(conn) => conn,
            Err(e) => {
                fail_all(first.into_iter().map(|j| j.reply), &e.to_string());
                continue;
            }
        };
        // the queue goes with the burst to its thread and comes back when the burst ends
        let burst = tokio::task::spawn_blocking(move || {
            commit_burst(conn, first, &mut jobs);
            jobs
        });
        match burst.await {
            Ok(back) => jobs = back,
            // only when the runtime shuts down: a panicking batch is caught in the burst
            Err(e) => {
                tracing::error!(error = %e, "the booking writer stopped");
                return;
            }
        }
    }
}

fn fail_all(replies: impl IntoIterator<Item = Reply>, why: &str) {
    for reply in answer_all(replies, why) {
        let _ = reply.0.send(reply.1);
    }
}

/// Every reply answered "not written", the failure logged once.
fn answer_all(replies: impl IntoIterator<Item = Reply>, why: &str) -> Vec<(Reply, Answer)> {
    tracing::error!(error = why, "a batch of bookings was not written");
    replies
        .into_iter()
        .map(|reply| (reply, Err(StoreError::WriteFailed(why.to_string()))))
        .collect()
}

/// Writes `batch`, and then every batch that queued meanwhile, each in one transaction on
/// the writer connection's handle (blocking: call it on a blocking thread), answering each
/// batch's callers once it is committed. Under load the next batch is usually waiting, so the
/// connection, its handle and this thread are taken once per burst instead of once per
/// batch: each of those is a hand-off between threads, and on a busy host every hand-off
/// waits for a free core while the queue grows. The burst gives the connection back after
/// `HOLD` (and the batch under way then), so that other writes queued at the pool wait no
/// longer than that.
fn commit_burst(
    mut conn: PoolConnection<Sqlite>,
    mut batch: Vec<Job>,
    jobs: &mut mpsc::Receiver<Job>,
) {
    let runtime = tokio::runtime::Handle::current();
    let mut handle = match runtime.block_on(conn.lock_handle()) {
        Ok(handle) => handle,
        Err(e) => return fail_all(batch.into_iter().map(|j| j.reply), &e.to_string()),
    };
    // SAFETY: the handle is the open connection of `conn`, locked for us (sqlx's thread
    // waits) until `handle` drops, which is after `db` drops; rusqlite does not close a
    // handle it did not open, and the burst leaves no transaction open (see below).
    let db = match unsafe { Connection::from_handle(handle.as_raw_handle().as_ptr()) } {
        Ok(db) => OnHandle(db),
        Err(e) => return fail_all(batch.into_iter().map(|j| j.reply), &e.to_string()),
    };
    let started = std::time::Instant::now();
    loop {
        let written =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| write_batch(&db.0, batch)));
        match written {
            // answered only now, after the commit: an acknowledged booking is on disk
            Ok(replies) => {
                for (reply, answer) in replies {
                    let _ = reply.send(answer);
                }
            }
            // a panic in the batch: its replies were dropped, so every caller hears
            // "the booking writer dropped a request". The burst ends: dropping `db` rolls
            // the batch back, and the writer goes on with the next batch as usual.
            Err(_) => {
                tracing::error!("a batch of bookings panicked");
                return;
            }
        }
        if started.elapsed() >= HOLD {
            return;
        }
        batch = Vec::with_capacity(MAX_BATCH);
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        if batch.is_empty() {
            return;
        }
    }
}

/// The writer's handle while a burst runs on it. A failed statement or commit, or a panic,
/// can leave the transaction open: sqlx must get the connection back outside any
/// transaction, or every later batch would fail to begin.
struct OnHandle(Connection);

impl Drop for OnHandle {
    fn drop(&mut self) {
        if !self.0.is_autocommit() {
            if let Err(e) = self.0.execute_batch("ROLLBACK") {
                tracing::error!(error = %e, "could not roll back a failed batch of bookings");
            }
        }
    }
}

fn write_batch(db: &Connection, batch: Vec<Job>) -> Vec<(Reply, Answer)> {
    if let Err(e) = db.execute_batch("BEGIN IMMEDIATE") {
        return answer_all(batch.into_iter().map(|j| j.reply), &e.to_string());
    }
    let mut answers = Vec::with_capacity(batch.len());
    let mut jobs = batch.into_iter();
    while let Some(job) = jobs.next() {
        match write_one(db, job.booking, job.capacity, &job.fairness, job.notice) {
            Ok(answer) => answers.push((job.reply, answer)),
            Err(e) => {
                // the transaction itself is in doubt: nobody in this batch is confirmed
                let replies = answers
                    .into_iter()
                    .map(|(reply, _)| reply)
                    .chain(std::iter::once(job.reply))
                    .chain(jobs.map(|j| j.reply));
                return answer_all(replies, &e.to_string());
            }
        }
    }
    match db.execute_batch("COMMIT") {
        Ok(()) => answers,
        Err(e) => answer_all(answers.into_iter().map(|(reply, _)| reply), &e.to_string()),
    }
}

/// One booking inside its own savepoint. `Err` only when the savepoint itself failed (the
/// whole transaction is then in doubt); a booking's own failure is its answer.
fn write_one(
    db: &Connection,
    booking: NewBookingRecord,
    capacity: u16,
    fairness: &FairnessCheck,
    notice: Option<NewNotification>,
) -> rusqlite::Result<Answer> {
    db.execute_batch("SAVEPOINT booking")?;
    let answer = match insert_booking(db, &booking, capacity, fairness) {
        Ok(Ok(Ok(saved))) => {
            if let Some(mut notice) = notice {
                notice.booking_id = Some(saved.id);
                // a refused message (SQLite undoes just that statement) is logged and
                // leaves the booking confirmed, as when it was queued after the commit
                if let Err(e) = insert_notification(db, &notice) {
                    tracing::error!(error = %e, kind = notice.kind.code(), "could not enqueue a notification");
                }
            }
            db.execute_batch("RELEASE booking")?;
            return Ok(Ok(Ok(saved)));
        }
        // refused, or a stored row the domain cannot read: undone
        Ok(answer) => answer,
        // its code was drawn before: the use case draws another
        Err(e) if is_unique_violation(&e) => Err(StoreError::Duplicate(e.to_string())),
        Err(e) => {
            tracing::error!(error = %e, "a booking was not written");
            Err(StoreError::WriteFailed(e.to_string()))
        }
    };
    db.execute_batch("ROLLBACK TO booking; RELEASE booking")?;
    Ok(answer)
}

/// What `sql::bookings::insert_booking` does, on the handle: takes a seat and saves the
/// booking and its `created` event, unless the slot is full or the fairness rule refuses.
fn insert_booking(
    db: &Connection,
    b: &NewBookingRecord,
    capacity: u16,
    fairness: &FairnessCheck,
) -> rusqlite::Result<StoreResult<Result<BookingRecord, Refusal>>> {
    let (location, service, start) = (b.location_id.0, b.service.code(), ts(b.start));
    db.prepare_cached(SEAT_ROW)?.execute(&[
        ("$1", &location as &dyn ToSql),
        ("$2", &service),
        ("$3", &start),
        ("$4", &i64::from(capacity)),
    ])?;
    let taken = db.prepare_cached(SEAT_TAKE)?.execute(&[
        ("$1", &location as &dyn ToSql),
        ("$2", &service),
        ("$3", &start),
    ])?;
    if taken != 1 {
        return Ok(Ok(Err(Refusal::Full)));
    }
    let now = ts(b.created_at);
    let mut others = Vec::new();
    {
        let mut active = db.prepare_cached(&active_of_phone_sql())?;
        let mut rows =
            active.query(&[("$1", &b.phone as &dyn ToSql), ("$2", &now), ("$3", &"")])?;
        while let Some(row) = rows.next()? {
            match stored_interval(&row.get::<_, String>(0)?, &row.get::<_, String>(1)?) {
                Ok(interval) => others.push(interval),
                Err(e) => return Ok(Err(e)),
            }
        }
    }
    if let Err(e) = fairness(&others) {
        return Ok(Ok(Err(Refusal::Fairness(e))));
    }
    let id: i64 = db.prepare_cached(INSERT_BOOKING)?.query_row(
        &[
            ("$1", &b.code as &dyn ToSql),
            ("$2", &location),
            ("$3", &service),
            ("$4", &start),
            ("$5", &ts(b.end)),
            ("$6", &b.name),
            ("$7", &b.phone),
            ("$8", &b.topic),
            ("$9", &b.account),
            ("$10", &b.youth),
            ("$11", &now),
            ("$12", &domain::BookingState::Booked.code()),
        ],
        |row| row.get(0),
    )?;
    db.prepare_cached(INSERT_EVENT)?.execute(&[
        ("$1", &id as &dyn ToSql),
        ("$2", &now),
        ("$3", &BookingEventKind::Created.code()),
        ("$4", &None::<String>),
        ("$5", &start),
    ])?;
    Ok(stored_record(b, id).map(Ok))
}

/// `sql::outbox::insert_notification` on the handle (a duplicate dedupe key is no error).
fn insert_notification(db: &Connection, n: &NewNotification) -> rusqlite::Result<bool> {
    let r = db.prepare_cached(INSERT_NOTIFICATION)?.execute(&[
        ("$1", &n.booking_id as &dyn ToSql),
        ("$2", &n.kind.code()),
        ("$3", &n.phone),
        ("$4", &n.body),
        ("$5", &n.dedupe_key),
        ("$6", &ts(n.created_at)),
        ("$7", &ts(n.send_at)),
    ]);
    match r {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

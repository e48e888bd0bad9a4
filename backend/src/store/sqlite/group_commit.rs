//! Group commit for new bookings. Every confirmed booking must be on disk before it is
//! acknowledged (`synchronous=FULL`), and on one disk an fsync costs far more than the SQL
//! around it. So one task writes bookings: it takes every request waiting in its queue, runs
//! each inside its own savepoint of one transaction (a refused or failed booking rolls back to
//! its savepoint and leaves the others alone), commits once, and only then answers them all.
//! Bookings in one batch run one after another, so seat counting and the fairness rule see
//! each other's writes exactly as if they had been separate transactions.

use super::sql::bookings::insert_booking;
use super::sql::outbox::insert_notification;
use crate::store::{
    BookingRecord, FairnessCheck, NewBookingRecord, NewNotification, Refusal, StoreError,
    StoreResult,
};
use sqlx::{Acquire, SqlitePool};
use tokio::sync::{mpsc, oneshot};

/// Most bookings in one transaction: bounds how long the first one waits.
const MAX_BATCH: usize = 256;
/// Requests queued before callers wait for room (back-pressure instead of unbounded memory).
const QUEUE: usize = 4096;

type Reply = oneshot::Sender<StoreResult<Result<BookingRecord, Refusal>>>;

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
        commit_batch(&writer, std::mem::take(&mut batch)).await;
    }
}

fn fail_all(replies: impl IntoIterator<Item = Reply>, why: &str) {
    tracing::error!(error = why, "a batch of bookings was not written");
    for reply in replies {
        let _ = reply.send(Err(StoreError::WriteFailed(why.to_string())));
    }
}

async fn commit_batch(writer: &SqlitePool, batch: Vec<Job>) {
    let mut tx = match writer.begin().await {
        Ok(tx) => tx,
        Err(e) => return fail_all(batch.into_iter().map(|j| j.reply), &e.to_string()),
    };
    let mut answers = Vec::with_capacity(batch.len());
    let mut jobs = batch.into_iter();
    while let Some(job) = jobs.next() {
        // a savepoint per booking (sqlx nests transactions as savepoints)
        let outcome = match tx.begin().await {
            Ok(mut one) => {
                let r = insert_booking(&mut one, &job.booking, job.capacity, &job.fairness).await;
                if let (Ok(Ok(saved)), Some(mut notice)) = (&r, job.notice) {
                    notice.booking_id = Some(saved.id);
                    // a refused message (SQLite undoes just that statement) is logged and
                    // leaves the booking confirmed, as when it was queued after the commit
                    if let Err(e) = insert_notification(&mut one, &notice).await {
                        tracing::error!(error = %e, kind = notice.kind.code(), "could not enqueue a notification");
                    }
                }
                let end = if matches!(r, Ok(Ok(_))) {
                    one.commit().await
                } else {
                    one.rollback().await
                };
                end.map(|()| r)
            }
            Err(e) => Err(e),
        };
        match outcome {
            Ok(r) => answers.push((job.reply, r)),
            Err(e) => {
                // the transaction itself is in doubt: nobody in this batch is confirmed
                let replies = answers
                    .into_iter()
                    .map(|(reply, _)| reply)
                    .chain(std::iter::once(job.reply))
                    .chain(jobs.map(|j| j.reply));
                return fail_all(replies, &e.to_string());
            }
        }
    }
    match tx.commit().await {
        // answered only now: an acknowledged booking is on disk
        Ok(()) => {
            for (reply, r) in answers {
                let _ = reply.send(r);
            }
        }
        Err(e) => fail_all(answers.into_iter().map(|(reply, _)| reply), &e.to_string()),
    }
}

//! SQL for the day's queues. A queue entry changes with a conditional
//! `UPDATE … WHERE state = <the state the staff member saw>`, so two desks acting on the same
//! person at once cannot both succeed, and a booked entry's booking follows its state in the
//! same transaction.

use super::bookings::{add_event, opt_ts, parse_ts, ts, BookingRow, BOOKING_COLUMNS};
use super::{Conn, This};
use crate::store::{
    BookingRecord, QueueChange, QueueEntryRecord, QueueStore, Refusal, StoreError, StoreResult,
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::booking::BookingEventKind;
use domain::queue::{ticket, Outcome, QueueState};
use domain::{BookingState, LocationId, ServiceCode};
use sqlx::FromRow;

#[derive(FromRow)]
struct EntryRow {
    id: i64,
    location_id: i64,
    service: String,
    day: String,
    ticket: String,
    booking_id: Option<i64>,
    state: String,
    previous_state: Option<String>,
    desk: Option<String>,
    arrived_at: String,
    called_at: Option<String>,
    serving_at: Option<String>,
    finished_at: Option<String>,
    outcome: Option<String>,
    note: Option<String>,
}

const ENTRY_COLUMNS: &str = "id, location_id, service, day, ticket, booking_id, state, previous_state, desk, arrived_at, called_at, serving_at, finished_at, outcome, note";

fn state_of(code: &str) -> StoreResult<QueueState> {
    QueueState::parse(code).ok_or_else(|| StoreError::Corrupt(format!("queue state {code}")))
}

async fn booking_by_id(conn: &mut Conn, id: i64) -> StoreResult<Option<BookingRecord>> {
    let row: Option<BookingRow> = sqlx::query_as(&format!(
        "SELECT {BOOKING_COLUMNS} FROM bookings WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(BookingRow::into_record).transpose()
}

async fn entry_record(conn: &mut Conn, row: EntryRow) -> StoreResult<QueueEntryRecord> {
    let booking = match row.booking_id {
        Some(id) => booking_by_id(conn, id).await?,
        None => None,
    };
    Ok(QueueEntryRecord {
        id: row.id,
        location_id: LocationId(row.location_id),
        service: row
            .service
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("service {}", row.service)))?,
        day: row
            .day
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("day {}", row.day)))?,
        ticket: row.ticket,
        state: state_of(&row.state)?,
        can_undo: row.previous_state.is_some(),
        desk: row.desk,
        arrived_at: parse_ts(&row.arrived_at)?,
        called_at: opt_ts(row.called_at)?,
        serving_at: opt_ts(row.serving_at)?,
        finished_at: opt_ts(row.finished_at)?,
        outcome: row
            .outcome
            .as_deref()
            .map(|o| Outcome::parse(o).ok_or_else(|| StoreError::Corrupt(format!("outcome {o}"))))
            .transpose()?,
        note: row.note,
        booking,
    })
}

async fn load_entry(conn: &mut Conn, id: i64) -> StoreResult<Option<QueueEntryRecord>> {
    let row: Option<EntryRow> = sqlx::query_as(&format!(
        "SELECT {ENTRY_COLUMNS} FROM queue_entries WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(r) => Ok(Some(entry_record(conn, r).await?)),
        None => Ok(None),
    }
}

/// Inserts an arrival with the next ticket of its service at the place on the day.
async fn insert_entry(
    conn: &mut Conn,
    location: LocationId,
    service: ServiceCode,
    day: NaiveDate,
    booking_id: Option<i64>,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    let (next,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM queue_entries
         WHERE location_id = $1 AND day = $2 AND service = $3",
    )
    .bind(location.0)
    .bind(day.to_string())
    .bind(service.code())
    .fetch_one(&mut *conn)
    .await?;
    let number = u32::try_from(next).unwrap_or(u32::MAX);
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO queue_entries (location_id, service, day, number, ticket, booking_id, state, arrived_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(location.0)
    .bind(service.code())
    .bind(day.to_string())
    .bind(next)
    .bind(ticket(service, number))
    .bind(booking_id)
    .bind(QueueState::Waiting.code())
    .bind(ts(at))
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

async fn set_booking_state(
    conn: &mut Conn,
    booking_id: i64,
    state: BookingState,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query("UPDATE bookings SET state = $2, updated_at = $3 WHERE id = $1")
        .bind(booking_id)
        .bind(state.code())
        .bind(ts(at))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The changed queue entry, its booking (if any) moved to the state the entry's new state
/// implies; the returned record shows that state without reading the booking again.
async fn follow_booking(
    conn: &mut Conn,
    id: i64,
    at: DateTime<Utc>,
) -> StoreResult<QueueEntryRecord> {
    let mut entry = load_entry(conn, id).await?.ok_or(StoreError::NotFound)?;
    let state = entry.state.booking_state();
    if let Some(b) = &mut entry.booking {
        set_booking_state(conn, b.id, state, at).await?;
        b.state = state;
    }
    Ok(entry)
}

#[async_trait]
impl QueueStore for This {
    async fn queue_entries(
        &self,
        location: LocationId,
        day: NaiveDate,
    ) -> StoreResult<Vec<QueueEntryRecord>> {
        let mut conn = self.pool.acquire().await?;
        let rows: Vec<EntryRow> = sqlx::query_as(&format!(
            "SELECT {ENTRY_COLUMNS} FROM queue_entries WHERE location_id = $1 AND day = $2 ORDER BY id"
        ))
        .bind(location.0)
        .bind(day.to_string())
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(entry_record(&mut conn, r).await?);
        }
        Ok(out)
    }

    async fn queue_entry(&self, id: i64) -> StoreResult<Option<QueueEntryRecord>> {
        let mut conn = self.pool.acquire().await?;
        load_entry(&mut conn, id).await
    }

    async fn queue_entry_of_booking(
        &self,
        booking_id: i64,
    ) -> StoreResult<Option<QueueEntryRecord>> {
        let mut conn = self.pool.acquire().await?;
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM queue_entries WHERE booking_id = $1")
                .bind(booking_id)
                .fetch_optional(&mut *conn)
                .await?;
        match row {
            Some((id,)) => load_entry(&mut conn, id).await,
            None => Ok(None),
        }
    }

    async fn check_in(
        &self,
        booking_id: i64,
        day: NaiveDate,
        at: DateTime<Utc>,
    ) -> StoreResult<Result<QueueEntryRecord, Refusal>> {
        let mut tx = self.writer.begin().await?;
        // write first: takes the lock; only a booked or not-come booking checks in
        let changed = sqlx::query(
            "UPDATE bookings SET state = $2, updated_at = $3 WHERE id = $1 AND state IN ($4, $5)",
        )
        .bind(booking_id)
        .bind(BookingState::CheckedIn.code())
        .bind(ts(at))
        .bind(BookingState::Booked.code())
        .bind(BookingState::NoShow.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let Some(booking) = booking_by_id(&mut tx, booking_id).await? else {
            return Ok(Err(Refusal::NotFound));
        };
        if changed == 0 {
            return Ok(Err(Refusal::NotActive(booking.state)));
        }
        let id = insert_entry(
            &mut tx,
            booking.location_id,
            booking.service,
            day,
            Some(booking_id),
            at,
        )
        .await?;
        add_event(
            &mut tx,
            booking_id,
            at,
            BookingEventKind::CheckedIn,
            None,
            None,
        )
        .await?;
        let entry = load_entry(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(Ok(entry))
    }

    async fn add_walk_in(
        &self,
        location: LocationId,
        service: ServiceCode,
        day: NaiveDate,
        at: DateTime<Utc>,
        transferred_from: Option<i64>,
    ) -> StoreResult<QueueEntryRecord> {
        let mut tx = self.writer.begin().await?;
        // a no-op write takes the lock before the ticket number is read
        sqlx::query("UPDATE queue_entries SET updated_at = updated_at WHERE id = -1")
            .execute(&mut *tx)
            .await?;
        let id = insert_entry(&mut tx, location, service, day, None, at).await?;
        if transferred_from.is_some() {
            sqlx::query("UPDATE queue_entries SET transferred_from = $1 WHERE id = $2")
                .bind(transferred_from)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let entry = load_entry(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(entry)
    }

    async fn change_queue_entry(
        &self,
        id: i64,
        from: QueueState,
        c: &QueueChange,
    ) -> StoreResult<Option<QueueEntryRecord>> {
        let mut tx = self.writer.begin().await?;
        let at = ts(c.at);
        let stamp = match c.to {
            QueueState::Called => "called_at",
            QueueState::Serving => "serving_at",
            QueueState::Done | QueueState::NoShow | QueueState::Transferred => "finished_at",
            QueueState::Waiting | QueueState::Parked => "updated_at",
        };
        let changed = sqlx::query(&format!(
            "UPDATE queue_entries SET state = $3, previous_state = $2, {stamp} = $4, updated_at = $4,
                 desk = COALESCE($5, desk), outcome = COALESCE($6, outcome), note = COALESCE($7, note)
             WHERE id = $1 AND state = $2"
        ))
        .bind(id)
        .bind(from.code())
        .bind(c.to.code())
        .bind(&at)
        .bind(&c.desk)
        .bind(c.outcome.map(|o| o.code()))
        .bind(&c.note)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(None);
        }
        let entry = follow_booking(&mut tx, id, c.at).await?;
        tx.commit().await?;
        Ok(Some(entry))
    }

    async fn undo_queue_entry(
        &self,
        id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<QueueEntryRecord>> {
        let mut tx = self.writer.begin().await?;
        let changed = sqlx::query(
            "UPDATE queue_entries SET state = previous_state, previous_state = NULL, updated_at = $2,
                 finished_at = CASE WHEN previous_state IN ('done', 'no_show', 'transferred') THEN finished_at ELSE NULL END,
                 outcome = CASE WHEN previous_state = 'done' THEN outcome ELSE NULL END
             WHERE id = $1 AND previous_state IS NOT NULL",
        )
        .bind(id)
        .bind(ts(at))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(None);
        }
        let entry = follow_booking(&mut tx, id, at).await?;
        tx.commit().await?;
        Ok(Some(entry))
    }

    async fn mark_no_shows(
        &self,
        cutoff: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingRecord>> {
        let mut tx = self.writer.begin().await?;
        let ids: Vec<(i64,)> = sqlx::query_as(
            "UPDATE bookings SET state = $1, updated_at = $2 WHERE state = $3 AND start_at <= $4 RETURNING id",
        )
        .bind(BookingState::NoShow.code())
        .bind(ts(at))
        .bind(BookingState::Booked.code())
        .bind(ts(cutoff))
        .fetch_all(&mut *tx)
        .await?;
        let mut out = Vec::with_capacity(ids.len());
        for (id,) in ids {
            add_event(&mut tx, id, at, BookingEventKind::NoShow, None, None).await?;
            if let Some(b) = booking_by_id(&mut tx, id).await? {
                out.push(b);
            }
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn revert_no_show(&self, booking_id: i64, at: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = self.writer.begin().await?;
        let changed = sqlx::query(
            "UPDATE bookings SET state = $2, updated_at = $3 WHERE id = $1 AND state = $4
               AND NOT EXISTS (SELECT 1 FROM queue_entries WHERE booking_id = $1)",
        )
        .bind(booking_id)
        .bind(BookingState::Booked.code())
        .bind(ts(at))
        .bind(BookingState::NoShow.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 1 {
            add_event(
                &mut tx,
                booking_id,
                at,
                BookingEventKind::NoShowReverted,
                None,
                None,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(changed == 1)
    }
}

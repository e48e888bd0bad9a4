//! SQL for bookings. Seats are counted in `slot_seats`: a conditional
//! `UPDATE … SET taken = taken + 1 WHERE taken < capacity` is the one place that decides
//! whether a seat is free, so concurrent requests can never overbook. Every write of a
//! booking happens in one transaction that starts with a write, which in SQLite takes the
//! database's write lock at once (no read-then-upgrade deadlocks) and in PostgreSQL locks
//! the slot's row.

use super::waitlist::release_seat;
use super::{dialect, Conn, This};
use crate::store::{
    BookingEvent, BookingRecord, BookingStore, FairnessCheck, Freed, HoldRules, NewBookingRecord,
    NewNotification, Refusal, StoreError, StoreResult,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::booking::BookingEventKind;
use domain::slots::to_local;
use domain::{BookingState, LocationId, ServiceCode};
use sqlx::FromRow;
use std::collections::HashMap;

/// Instants are stored as UTC text with second precision: text order is time order.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub(super) fn parse_ts(s: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt(format!("timestamp {s}")))
}

pub(super) fn opt_ts(s: Option<String>) -> StoreResult<Option<DateTime<Utc>>> {
    s.as_deref().map(parse_ts).transpose()
}

/// An SQL list of the states the domain rule `keep` accepts, e.g. `('booked', 'called')`.
/// Which states hold a seat or may be cancelled is decided in `domain::booking`, not here.
fn states_where(keep: fn(BookingState) -> bool) -> String {
    let codes: Vec<String> = BookingState::ALL
        .into_iter()
        .filter(|s| keep(*s))
        .map(|s| format!("'{}'", s.code()))
        .collect();
    format!("({})", codes.join(", "))
}

#[derive(FromRow)]
pub(super) struct BookingRow {
    id: i64,
    code: String,
    location_id: i64,
    service: String,
    start_at: String,
    end_at: String,
    state: String,
    name: String,
    phone: String,
    topic: String,
    account: Option<String>,
    youth: bool,
    created_at: String,
}

impl BookingRow {
    pub(super) fn into_record(self) -> StoreResult<BookingRecord> {
        Ok(BookingRecord {
            id: self.id,
            code: self.code,
            location_id: LocationId(self.location_id),
            service: self
                .service
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("service {}", self.service)))?,
            start: parse_ts(&self.start_at)?,
            end: parse_ts(&self.end_at)?,
            state: BookingState::parse(&self.state)
                .ok_or_else(|| StoreError::Corrupt(format!("state {}", self.state)))?,
            name: self.name,
            phone: self.phone,
            topic: self.topic,
            account: self.account,
            youth: self.youth,
            created_at: parse_ts(&self.created_at)?,
        })
    }
}

pub(super) const BOOKING_COLUMNS: &str = "id, code, location_id, service, start_at, end_at, state, name, phone, topic, account, youth, created_at";

// The statements of a new booking, shared with SQLite's group commit (which runs them on the
// writer's own handle, binding the same `$n` parameters by name).

/// The slot's seat counter, created at 0 or given the current capacity.
pub(crate) const SEAT_ROW: &str =
    "INSERT INTO slot_seats (location_id, service, start_at, capacity, taken) VALUES ($1, $2, $3, $4, 0)
     ON CONFLICT (location_id, service, start_at) DO UPDATE SET capacity = excluded.capacity";
/// Takes one seat if one is left (changes one row, or none when the slot is full).
pub(crate) const SEAT_TAKE: &str = "UPDATE slot_seats SET taken = taken + 1
     WHERE location_id = $1 AND service = $2 AND start_at = $3 AND taken < capacity";
/// A new booking; returns its id.
pub(crate) const INSERT_BOOKING: &str = "INSERT INTO bookings (code, location_id, service, start_at, end_at, state, name, phone, topic, account, youth, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $12, $6, $7, $8, $9, $10, $11, $11) RETURNING id";
pub(crate) const INSERT_EVENT: &str = "INSERT INTO booking_events (booking_id, at, kind, from_start, to_start) VALUES ($1, $2, $3, $4, $5)";

/// The start and end of a phone's active bookings that end after `$2`, except booking `$3`.
pub(crate) fn active_of_phone_sql() -> String {
    format!(
        "SELECT start_at, end_at FROM bookings
         WHERE phone = $1 AND state IN {} AND end_at > $2 AND code <> $3",
        states_where(BookingState::is_active)
    )
}

/// Claims one seat of a slot; `false` when it is full. The INSERT makes sure the row exists
/// (and, being a write, takes the write lock before anything is read).
async fn take_seat(
    conn: &mut Conn,
    location: LocationId,
    service: ServiceCode,
    start: DateTime<Utc>,
    capacity: u16,
) -> StoreResult<bool> {
    sqlx::query(SEAT_ROW)
        .bind(location.0)
        .bind(service.code())
        .bind(ts(start))
        .bind(i64::from(capacity))
        .execute(&mut *conn)
        .await?;
    let taken = sqlx::query(SEAT_TAKE)
        .bind(location.0)
        .bind(service.code())
        .bind(ts(start))
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(taken == 1)
}

pub(super) async fn free_seat(
    conn: &mut Conn,
    location: LocationId,
    service: ServiceCode,
    start: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE slot_seats SET taken = taken - 1
         WHERE location_id = $1 AND service = $2 AND start_at = $3 AND taken > 0",
    )
    .bind(location.0)
    .bind(service.code())
    .bind(ts(start))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The phone's other active bookings that have not ended yet, as (start, end) in local time.
pub(super) async fn active_of_phone(
    conn: &mut Conn,
    phone: &str,
    now: DateTime<Utc>,
    except_code: Option<&str>,
) -> StoreResult<Vec<(DateTime<chrono::FixedOffset>, DateTime<chrono::FixedOffset>)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(&active_of_phone_sql())
        .bind(phone)
        .bind(ts(now))
        .bind(except_code.unwrap_or(""))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|(s, e)| stored_interval(s, e)).collect()
}

/// A stored booking's start and end as the fairness rule reads them.
pub(crate) fn stored_interval(
    start: &str,
    end: &str,
) -> StoreResult<(DateTime<chrono::FixedOffset>, DateTime<chrono::FixedOffset>)> {
    Ok((to_local(&parse_ts(start)?), to_local(&parse_ts(end)?)))
}

pub(super) async fn add_event(
    conn: &mut Conn,
    booking_id: i64,
    at: DateTime<Utc>,
    kind: BookingEventKind,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> StoreResult<()> {
    sqlx::query(INSERT_EVENT)
        .bind(booking_id)
        .bind(ts(at))
        .bind(kind.code())
        .bind(from.map(ts))
        .bind(to.map(ts))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Takes a seat and saves a new booking on `conn` (inside the caller's transaction), unless
/// the slot is full or the fairness rule refuses it. Nothing is committed here.
/// PostgreSQL's way; SQLite's group commit runs the same statements on its handle.
#[allow(dead_code)] // compiled for both engines, called by PostgreSQL only
pub(crate) async fn insert_booking(
    conn: &mut Conn,
    b: &NewBookingRecord,
    capacity: u16,
    fairness: &FairnessCheck,
) -> StoreResult<Result<BookingRecord, Refusal>> {
    // the phone first, then the slot: every booking transaction locks in this order
    dialect::lock_phone(conn, &b.phone).await?;
    if !take_seat(conn, b.location_id, b.service, b.start, capacity).await? {
        return Ok(Err(Refusal::Full));
    }
    let others = active_of_phone(conn, &b.phone, b.created_at, None).await?;
    if let Err(e) = fairness(&others) {
        return Ok(Err(Refusal::Fairness(e)));
    }
    Ok(Ok(insert_booking_row(conn, b).await?))
}

/// Saves a new booked booking and its `created` event on `conn`, its seat already taken
/// (by [`insert_booking`], or held for a waiting entry), and returns it as stored.
pub(super) async fn insert_booking_row(
    conn: &mut Conn,
    b: &NewBookingRecord,
) -> StoreResult<BookingRecord> {
    let id: (i64,) = sqlx::query_as(INSERT_BOOKING)
        .bind(&b.code)
        .bind(b.location_id.0)
        .bind(b.service.code())
        .bind(ts(b.start))
        .bind(ts(b.end))
        .bind(&b.name)
        .bind(&b.phone)
        .bind(&b.topic)
        .bind(&b.account)
        .bind(b.youth)
        .bind(ts(b.created_at))
        .bind(BookingState::Booked.code())
        .fetch_one(&mut *conn)
        .await?;
    add_event(
        conn,
        id.0,
        b.created_at,
        BookingEventKind::Created,
        None,
        Some(b.start),
    )
    .await?;
    stored_record(b, id.0)
}

/// The record of booking `b` as stored under `id`, without reading it back (one statement
/// less inside the single writer's transaction): instants to the second, as `ts` stores them.
pub(crate) fn stored_record(b: &NewBookingRecord, id: i64) -> StoreResult<BookingRecord> {
    let stored = |t: DateTime<Utc>| parse_ts(&ts(t));
    Ok(BookingRecord {
        id,
        code: b.code.clone(),
        location_id: b.location_id,
        service: b.service,
        start: stored(b.start)?,
        end: stored(b.end)?,
        state: BookingState::Booked,
        name: b.name.clone(),
        phone: b.phone.clone(),
        topic: b.topic.clone(),
        account: b.account.clone(),
        youth: b.youth,
        created_at: stored(b.created_at)?,
    })
}

pub(super) async fn load(conn: &mut Conn, code: &str) -> StoreResult<Option<BookingRecord>> {
    let row: Option<BookingRow> = sqlx::query_as(&format!(
        "SELECT {BOOKING_COLUMNS} FROM bookings WHERE code = $1"
    ))
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(BookingRow::into_record).transpose()
}

#[async_trait]
impl BookingStore for This {
    async fn seats_taken(
        &self,
        location: LocationId,
        service: ServiceCode,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<HashMap<DateTime<Utc>, u32>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT start_at, taken FROM slot_seats
             WHERE location_id = $1 AND service = $2 AND start_at >= $3 AND start_at < $4",
        )
        .bind(location.0)
        .bind(service.code())
        .bind(ts(from))
        .bind(ts(to))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(s, n)| Ok((parse_ts(&s)?, u32::try_from(n).unwrap_or(0))))
            .collect()
    }

    async fn create_booking_with_notice(
        &self,
        booking: &NewBookingRecord,
        capacity: u16,
        fairness: FairnessCheck,
        notice: Option<NewNotification>,
    ) -> StoreResult<Result<BookingRecord, Refusal>> {
        // committed the engine's way (see its `create_booking_impl`), with these statements
        self.create_booking_impl(booking, capacity, fairness, notice)
            .await
    }

    async fn booking_by_code(&self, code: &str) -> StoreResult<Option<BookingRecord>> {
        let row: Option<BookingRow> = sqlx::query_as(&format!(
            "SELECT {BOOKING_COLUMNS} FROM bookings WHERE code = $1"
        ))
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        row.map(BookingRow::into_record).transpose()
    }

    async fn cancel_booking(
        &self,
        code: &str,
        at: DateTime<Utc>,
        offer_to: Option<&HoldRules>,
    ) -> StoreResult<Result<Freed<BookingRecord>, Refusal>> {
        // run again should PostgreSQL abort it to break a deadlock
        dialect::retrying(|| async {
            let mut tx = self.writer.begin().await?;
            // Write first: takes the lock, and only a booked booking changes.
            let changed = sqlx::query(&format!(
                "UPDATE bookings SET state = $3, updated_at = $2 WHERE code = $1 AND state IN {}",
                states_where(BookingState::can_cancel)
            ))
            .bind(code)
            .bind(ts(at))
            .bind(BookingState::Cancelled.code())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let Some(record) = load(&mut tx, code).await? else {
                return Ok(Err(Refusal::NotFound));
            };
            if changed == 0 {
                return Ok(Err(Refusal::NotActive(record.state)));
            }
            let offers = release_seat(&mut tx, &record, offer_to, at)
                .await?
                .into_iter()
                .collect();
            add_event(
                &mut tx,
                record.id,
                at,
                BookingEventKind::Cancelled,
                Some(record.start),
                None,
            )
            .await?;
            tx.commit().await?;
            Ok(Ok(Freed { record, offers }))
        })
        .await
    }

    async fn reschedule_booking(
        &self,
        code: &str,
        new_start: DateTime<Utc>,
        new_end: DateTime<Utc>,
        capacity: u16,
        fairness: FairnessCheck,
        at: DateTime<Utc>,
        offer_to: Option<&HoldRules>,
    ) -> StoreResult<Result<Freed<BookingRecord>, Refusal>> {
        // run again should PostgreSQL abort it to break a deadlock
        dialect::retrying(|| async {
            let mut tx = self.writer.begin().await?;
            // A no-op write to take the write lock before reading the booking.
            sqlx::query("UPDATE bookings SET updated_at = updated_at WHERE code = $1")
                .bind(code)
                .execute(&mut *tx)
                .await?;
            let Some(old) = load(&mut tx, code).await? else {
                return Ok(Err(Refusal::NotFound));
            };
            if !old.state.can_reschedule() {
                return Ok(Err(Refusal::NotActive(old.state)));
            }
            dialect::lock_phone(&mut tx, &old.phone).await?;
            // The two slots' rows are locked earlier slot first, whichever way the booking moves,
            // so two residents swapping slots never wait for each other in a circle. (Nothing is
            // committed before the end: a full new slot still leaves the old seat taken.) The
            // old seat may go to the waiting list instead of being freed: it stays taken, held.
            let offer = if new_start < old.start {
                if !take_seat(&mut tx, old.location_id, old.service, new_start, capacity).await? {
                    return Ok(Err(Refusal::Full));
                }
                release_seat(&mut tx, &old, offer_to, at).await?
            } else {
                let offer = release_seat(&mut tx, &old, offer_to, at).await?;
                if !take_seat(&mut tx, old.location_id, old.service, new_start, capacity).await? {
                    return Ok(Err(Refusal::Full));
                }
                offer
            };
            let others = active_of_phone(&mut tx, &old.phone, at, Some(code)).await?;
            if let Err(e) = fairness(&others) {
                return Ok(Err(Refusal::Fairness(e)));
            }
            sqlx::query(
                "UPDATE bookings SET start_at = $2, end_at = $3, updated_at = $4 WHERE code = $1",
            )
            .bind(code)
            .bind(ts(new_start))
            .bind(ts(new_end))
            .bind(ts(at))
            .execute(&mut *tx)
            .await?;
            add_event(
                &mut tx,
                old.id,
                at,
                BookingEventKind::Rescheduled,
                Some(old.start),
                Some(new_start),
            )
            .await?;
            let record = load(&mut tx, code).await?.ok_or(StoreError::NotFound)?;
            tx.commit().await?;
            Ok(Ok(Freed {
                record,
                offers: offer.into_iter().collect(),
            }))
        })
        .await
    }

    async fn booking_events(&self, booking_id: i64) -> StoreResult<Vec<BookingEvent>> {
        let rows: Vec<(String, String, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT at, kind, from_start, to_start FROM booking_events WHERE booking_id = $1 ORDER BY id")
                .bind(booking_id)
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .filter_map(|(at, kind, from, to)| {
                let Some(kind) = BookingEventKind::parse(&kind) else {
                    tracing::warn!(booking = booking_id, %kind, "unknown booking event kind");
                    return None;
                };
                Some((at, kind, from, to))
            })
            .map(|(at, kind, from, to)| {
                Ok(BookingEvent {
                    at: parse_ts(&at)?,
                    kind,
                    from_start: from.as_deref().map(parse_ts).transpose()?,
                    to_start: to.as_deref().map(parse_ts).transpose()?,
                })
            })
            .collect()
    }

    async fn bookings_between(
        &self,
        location: LocationId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingRecord>> {
        let rows: Vec<BookingRow> = sqlx::query_as(&format!(
            "SELECT {BOOKING_COLUMNS} FROM bookings
             WHERE location_id = $1 AND start_at >= $2 AND start_at < $3 ORDER BY start_at, id"
        ))
        .bind(location.0)
        .bind(ts(from))
        .bind(ts(to))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(BookingRow::into_record).collect()
    }

    async fn booked_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingRecord>> {
        let rows: Vec<BookingRow> = sqlx::query_as(&format!(
            "SELECT {BOOKING_COLUMNS} FROM bookings
             WHERE state = $1 AND start_at >= $2 AND start_at < $3 ORDER BY start_at, id"
        ))
        .bind(BookingState::Booked.code())
        .bind(ts(from))
        .bind(ts(to))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(BookingRow::into_record).collect()
    }
}

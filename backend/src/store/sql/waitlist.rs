//! SQL of the waiting list (`domain::waitlist` decides; migration `*_waitlist.sql`). A held
//! seat stays counted in `slot_seats.taken`: [`release_seat`] is what every write that frees
//! a seat calls instead of `free_seat`, and it offers the seat to the first matching waiting
//! entry inside the caller's transaction, so there is no instant at which the seat is free
//! for someone else. Entries change state only by conditional writes (`WHERE state = …`),
//! after a write that locks their row, so two transactions never both act on one entry.

use super::bookings::{
    active_of_phone, free_seat, insert_booking_row, load as load_booking, parse_ts, ts,
};
use super::{dialect, Conn, This};
use crate::store::{
    BookingRecord, FairnessCheck, Freed, HoldRules, NewBookingRecord, NewWaitlistEntry, Refusal,
    StoreError, StoreResult, WaitRefusal, WaitlistOffer, WaitlistRecord, WaitlistStore,
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::booking::MobilePhone;
use domain::slots::{local_date, to_local, Slot};
use domain::stats::Month;
use domain::waitlist::{
    already_waiting, first_match, ActiveBooking, Entry, EntryId, EntryState, FreedSeat,
    JoinRequest, Offer, PartOfDay, Step, WaitError, WaitlistTally,
};
use domain::{LocationId, ServiceCode};
use sqlx::FromRow;
use std::collections::HashMap;

const COLUMNS: &str = "id, location_id, service, name, phone, topic, account, youth, from_date, \
     to_date, part_of_day, state, created_at, offer_start, offer_end, offer_capacity, \
     offer_youth_only, hold_until, booking_id, link_code, updated_at";

#[derive(FromRow)]
struct EntryRow {
    id: i64,
    location_id: i64,
    service: String,
    name: String,
    phone: String,
    topic: String,
    account: Option<String>,
    youth: bool,
    from_date: String,
    to_date: String,
    part_of_day: String,
    state: String,
    created_at: String,
    offer_start: Option<String>,
    offer_end: Option<String>,
    offer_capacity: Option<i64>,
    offer_youth_only: Option<bool>,
    hold_until: Option<String>,
    booking_id: Option<i64>,
    link_code: String,
    updated_at: String,
}

fn corrupt(what: impl Into<String>) -> StoreError {
    StoreError::Corrupt(what.into())
}

fn date(text: &str) -> StoreResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| corrupt(format!("date {text}")))
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl EntryRow {
    fn offer(&self) -> StoreResult<Offer> {
        let (Some(start), Some(end), Some(until)) =
            (&self.offer_start, &self.offer_end, &self.hold_until)
        else {
            return Err(corrupt(format!(
                "waitlist entry {} offered, no seat",
                self.id
            )));
        };
        Ok(Offer {
            slot: Slot {
                start: to_local(&parse_ts(start)?),
                end: to_local(&parse_ts(end)?),
                capacity: u16::try_from(self.offer_capacity.unwrap_or(0)).unwrap_or(0),
                youth_only: self.offer_youth_only.unwrap_or(false),
            },
            until: parse_ts(until)?,
        })
    }

    fn into_record(self) -> StoreResult<WaitlistRecord> {
        let state = match self.state.as_str() {
            "waiting" => EntryState::Waiting,
            "offered" => EntryState::Offered(self.offer()?),
            "booked" => EntryState::Booked,
            "declined" => EntryState::Declined,
            "expired" => EntryState::Expired,
            "left" => EntryState::Left,
            "lapsed" => EntryState::Lapsed,
            other => return Err(corrupt(format!("waitlist state {other}"))),
        };
        let entry = Entry {
            id: EntryId(self.id),
            place: LocationId(self.location_id),
            service: self
                .service
                .parse()
                .map_err(|_| corrupt(format!("service {}", self.service)))?,
            phone: MobilePhone::parse(&self.phone)
                .map_err(|_| corrupt(format!("waitlist entry {} phone", self.id)))?,
            from: date(&self.from_date)?,
            to: date(&self.to_date)?,
            part: PartOfDay::parse(&self.part_of_day)
                .ok_or_else(|| corrupt(format!("part of day {}", self.part_of_day)))?,
            youth: self.youth,
            joined_at: parse_ts(&self.created_at)?,
            state,
        };
        Ok(WaitlistRecord {
            entry,
            name: self.name,
            topic: self.topic,
            account: self.account,
            link_code: self.link_code,
            booking_id: self.booking_id,
            updated_at: parse_ts(&self.updated_at)?,
        })
    }
}

async fn load(conn: &mut Conn, id: EntryId) -> StoreResult<Option<WaitlistRecord>> {
    let row: Option<EntryRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM waitlist_entries WHERE id = $1 AND anonymised_at IS NULL"
    ))
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(EntryRow::into_record).transpose()
}

/// Writes `to` as entry `id`'s state at `at`, only if it is still in state `from` (its
/// code); `false` when it is not (someone else acted first).
async fn save_state(
    conn: &mut Conn,
    id: EntryId,
    from: &'static str,
    to: &EntryState,
    at: DateTime<Utc>,
    booking_id: Option<i64>,
) -> StoreResult<bool> {
    let done = match to {
        EntryState::Offered(o) => sqlx::query(
            "UPDATE waitlist_entries SET state = $3, offer_start = $4, offer_end = $5,
                 offer_capacity = $6, offer_youth_only = $7, hold_until = $8, offered_at = $9,
                 updated_at = $9
             WHERE id = $1 AND state = $2",
        )
        .bind(id.0)
        .bind(from)
        .bind(to.code())
        .bind(ts(o.slot.start.with_timezone(&Utc)))
        .bind(ts(o.slot.end.with_timezone(&Utc)))
        .bind(i64::from(o.slot.capacity))
        .bind(o.slot.youth_only)
        .bind(ts(o.until))
        .bind(ts(at))
        .execute(&mut *conn)
        .await?
        .rows_affected(),
        EntryState::Waiting => sqlx::query(
            "UPDATE waitlist_entries SET state = $3, hold_until = NULL, updated_at = $4
             WHERE id = $1 AND state = $2",
        )
        .bind(id.0)
        .bind(from)
        .bind(to.code())
        .bind(ts(at))
        .execute(&mut *conn)
        .await?
        .rows_affected(),
        ended => sqlx::query(
            "UPDATE waitlist_entries SET state = $3, ended_at = $4, updated_at = $4,
                 booking_id = COALESCE($5, booking_id)
             WHERE id = $1 AND state = $2",
        )
        .bind(id.0)
        .bind(from)
        .bind(ended.code())
        .bind(ts(at))
        .bind(booking_id)
        .execute(&mut *conn)
        .await?
        .rows_affected(),
    };
    Ok(done == 1)
}

/// The seats already held for `phone` (its entries in `offered`), as entries for
/// [`first_match`].
async fn offered_of_phone(conn: &mut Conn, phone: &str) -> StoreResult<Vec<Entry>> {
    let rows: Vec<EntryRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM waitlist_entries WHERE phone = $1 AND state = 'offered'"
    ))
    .bind(phone)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| r.into_record().map(|r| r.entry))
        .collect()
}

/// Offers `seat` (freed at `now`, still counted as taken) to the first matching waiting
/// entry, inside the caller's transaction: `None` when nobody matches (the caller frees it).
async fn offer_freed_seat(
    conn: &mut Conn,
    seat: &FreedSeat,
    rules: &HoldRules,
    now: DateTime<Utc>,
) -> StoreResult<Option<WaitlistOffer>> {
    if !rules.window.contains(now, &seat.slot.start) {
        return Ok(None);
    }
    let day = date_text(seat.slot.local_date());
    let candidates: Vec<EntryRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM waitlist_entries
         WHERE location_id = $1 AND service = $2 AND state = 'waiting'
           AND from_date <= $3 AND to_date >= $3
         ORDER BY created_at, id"
    ))
    .bind(seat.place.0)
    .bind(seat.service.code())
    .bind(&day)
    .fetch_all(&mut *conn)
    .await?;
    for row in candidates {
        let candidate = row.into_record()?;
        if !candidate.entry.wants(seat.place, seat.service, &seat.slot) {
            continue;
        }
        let phone = candidate.entry.phone.clone();
        let active: Vec<ActiveBooking> = active_of_phone(conn, phone.as_str(), now, None)
            .await?
            .into_iter()
            .map(|(start, end)| ActiveBooking {
                phone: phone.clone(),
                start,
                end,
            })
            .collect();
        let mut entries = vec![candidate.entry.clone()];
        entries.extend(offered_of_phone(conn, phone.as_str()).await?);
        let Some((_, offer)) = first_match(seat, &entries, &active, rules, now) else {
            continue;
        };
        let to = EntryState::Offered(offer.clone());
        if save_state(conn, candidate.entry.id, "waiting", &to, now, None).await? {
            return Ok(Some(WaitlistOffer {
                entry_id: candidate.entry.id,
                location_id: seat.place,
                service: seat.service,
                phone: phone.as_str().to_string(),
                link_code: candidate.link_code,
                offer,
            }));
        }
        // another transaction offered this entry a seat meanwhile: the next one
    }
    Ok(None)
}

/// Gives up a taken seat inside the caller's transaction: with `offer_to` it goes to the
/// first matching waiting entry (and stays taken, held for them); otherwise, or when nobody
/// matches, it is freed.
async fn pass_on(
    conn: &mut Conn,
    seat: &FreedSeat,
    offer_to: Option<&HoldRules>,
    now: DateTime<Utc>,
) -> StoreResult<Option<WaitlistOffer>> {
    if let Some(rules) = offer_to {
        if let Some(offer) = offer_freed_seat(conn, seat, rules, now).await? {
            return Ok(Some(offer));
        }
    }
    free_seat(
        conn,
        seat.place,
        seat.service,
        seat.slot.start.with_timezone(&Utc),
    )
    .await?;
    Ok(None)
}

/// The seat of `booking` (cancelled or moved away, in the caller's transaction), given up
/// as [`pass_on`] does. The slot's youth-only flag is not stored with the seat: a seat a
/// youth booking gave up is treated as youth-only (offered to youth entries only), which
/// is never wrong, as only a youth may book a youth-only slot.
pub(super) async fn release_seat(
    conn: &mut Conn,
    booking: &BookingRecord,
    offer_to: Option<&HoldRules>,
    now: DateTime<Utc>,
) -> StoreResult<Option<WaitlistOffer>> {
    let capacity: Option<i64> = sqlx::query_scalar(
        "SELECT capacity FROM slot_seats WHERE location_id = $1 AND service = $2 AND start_at = $3",
    )
    .bind(booking.location_id.0)
    .bind(booking.service.code())
    .bind(ts(booking.start))
    .fetch_optional(&mut *conn)
    .await?;
    let seat = FreedSeat {
        place: booking.location_id,
        service: booking.service,
        slot: Slot {
            start: to_local(&booking.start),
            end: to_local(&booking.end),
            capacity: u16::try_from(capacity.unwrap_or(0)).unwrap_or(0),
            youth_only: booking.youth,
        },
    };
    pass_on(conn, &seat, offer_to, now).await
}

/// Locks entry `id`'s row (a no-op write) and reads it.
async fn lock_entry(conn: &mut Conn, id: EntryId) -> StoreResult<Option<WaitlistRecord>> {
    sqlx::query("UPDATE waitlist_entries SET updated_at = updated_at WHERE id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    load(conn, id).await
}

#[async_trait]
impl WaitlistStore for This {
    async fn join_waitlist(
        &self,
        e: &NewWaitlistEntry,
    ) -> StoreResult<Result<WaitlistRecord, WaitRefusal>> {
        let phone = MobilePhone::parse(&e.phone)
            .map_err(|_| corrupt("a waiting-list phone that is not a mobile number"))?;
        dialect::retrying(|| async {
            let mut tx = self.writer.begin().await?;
            // one phone's joins one at a time, so the duplicate check sees the others
            dialect::lock_phone(&mut tx, &e.phone).await?;
            let rows: Vec<EntryRow> = sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM waitlist_entries
                 WHERE phone = $1 AND location_id = $2 AND service = $3
                   AND state IN ('waiting', 'offered')"
            ))
            .bind(&e.phone)
            .bind(e.location_id.0)
            .bind(e.service.code())
            .fetch_all(&mut *tx)
            .await?;
            let open = rows
                .into_iter()
                .map(|r| r.into_record().map(|r| r.entry))
                .collect::<StoreResult<Vec<Entry>>>()?;
            let request = JoinRequest {
                phone: phone.clone(),
                from: e.from,
                to: e.to,
                part: e.part,
                youth: e.youth,
            };
            if already_waiting(&open, e.location_id, e.service, &request).is_some() {
                return Ok(Err(WaitRefusal::Step(WaitError::AlreadyWaiting)));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO waitlist_entries (location_id, service, name, phone, topic, account,
                     youth, from_date, to_date, part_of_day, state, created_at, link_code,
                     updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $12)
                 RETURNING id",
            )
            .bind(e.location_id.0)
            .bind(e.service.code())
            .bind(&e.name)
            .bind(&e.phone)
            .bind(&e.topic)
            .bind(&e.account)
            .bind(e.youth)
            .bind(date_text(e.from))
            .bind(date_text(e.to))
            .bind(e.part.code())
            .bind(EntryState::Waiting.code())
            .bind(ts(e.created_at))
            .bind(&e.link_code)
            .fetch_one(&mut *tx)
            .await?;
            let record = load(&mut tx, EntryId(id))
                .await?
                .ok_or(StoreError::NotFound)?;
            tx.commit().await?;
            Ok(Ok(record))
        })
        .await
    }

    async fn waitlist_of_phone(&self, phone: &str) -> StoreResult<Vec<WaitlistRecord>> {
        let rows: Vec<EntryRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM waitlist_entries WHERE phone = $1 AND anonymised_at IS NULL
             ORDER BY created_at DESC, id DESC"
        ))
        .bind(phone)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(EntryRow::into_record).collect()
    }

    async fn waitlist_at(&self, location: LocationId) -> StoreResult<Vec<WaitlistRecord>> {
        let rows: Vec<EntryRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM waitlist_entries WHERE location_id = $1 AND anonymised_at IS NULL
             ORDER BY created_at, id"
        ))
        .bind(location.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(EntryRow::into_record).collect()
    }

    async fn waitlist_by_link(&self, link_code: &str) -> StoreResult<Option<WaitlistRecord>> {
        let row: Option<EntryRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM waitlist_entries WHERE link_code = $1 AND anonymised_at IS NULL"
        ))
        .bind(link_code)
        .fetch_optional(&self.pool)
        .await?;
        row.map(EntryRow::into_record).transpose()
    }

    async fn step_waitlist_entry(
        &self,
        id: EntryId,
        step: Step,
        at: DateTime<Utc>,
        rules: &HoldRules,
    ) -> StoreResult<Result<Freed<WaitlistRecord>, WaitRefusal>> {
        if matches!(step, Step::Offer(_) | Step::Confirm) {
            return Ok(Err(WaitRefusal::NotFound));
        }
        dialect::retrying(|| async {
            let mut tx = self.writer.begin().await?;
            let Some(mut record) = lock_entry(&mut tx, id).await? else {
                return Ok(Err(WaitRefusal::NotFound));
            };
            let before = record.entry.state.clone();
            let to = match record.entry.next(step.clone(), at) {
                Ok(to) => to,
                Err(e) => return Ok(Err(WaitRefusal::Step(e))),
            };
            if !save_state(&mut tx, id, before.code(), &to, at, None).await? {
                return Ok(Err(WaitRefusal::NotFound));
            }
            let mut offers = Vec::new();
            if let (Some(held), None) = (before.offer(), to.offer()) {
                let seat = FreedSeat {
                    place: record.entry.place,
                    service: record.entry.service,
                    slot: held.slot.clone(),
                };
                // a withdrawn offer's slot is going away: its seat is freed, not passed on
                let offer_to = (step != Step::Withdraw).then_some(rules);
                offers.extend(pass_on(&mut tx, &seat, offer_to, at).await?);
            }
            record = load(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
            tx.commit().await?;
            Ok(Ok(Freed { record, offers }))
        })
        .await
    }

    async fn confirm_offer(
        &self,
        id: EntryId,
        booking: &NewBookingRecord,
        fairness: FairnessCheck,
    ) -> StoreResult<Result<Freed<(WaitlistRecord, BookingRecord)>, WaitRefusal>> {
        dialect::retrying(|| async {
            let mut tx = self.writer.begin().await?;
            // the phone first, then the entry (whose row stands for the held seat)
            dialect::lock_phone(&mut tx, &booking.phone).await?;
            let Some(record) = lock_entry(&mut tx, id).await? else {
                return Ok(Err(WaitRefusal::NotFound));
            };
            let entry = &record.entry;
            let Some(held) = entry.state.offer() else {
                return Ok(Err(WaitRefusal::Step(
                    entry
                        .next(Step::Confirm, booking.created_at)
                        .err()
                        .unwrap_or(WaitError::NoOffer),
                )));
            };
            if entry.phone.as_str() != booking.phone
                || entry.place != booking.location_id
                || entry.service != booking.service
                || held.slot.start.with_timezone(&Utc) != booking.start
            {
                return Ok(Err(WaitRefusal::NotFound));
            }
            let to = match entry.next(Step::Confirm, booking.created_at) {
                Ok(to) => to,
                Err(e) => return Ok(Err(WaitRefusal::Step(e))),
            };
            let others = active_of_phone(&mut tx, &booking.phone, booking.created_at, None).await?;
            if let Err(e) = fairness(&others) {
                return Ok(Err(WaitRefusal::Booking(Refusal::Fairness(e))));
            }
            // the held seat is the booking's: no second seat is taken
            let saved = insert_booking_row(&mut tx, booking).await?;
            if !save_state(
                &mut tx,
                id,
                "offered",
                &to,
                booking.created_at,
                Some(saved.id),
            )
            .await?
            {
                return Ok(Err(WaitRefusal::NotFound));
            }
            let record = load(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
            let saved = load_booking(&mut tx, &saved.code)
                .await?
                .ok_or(StoreError::NotFound)?;
            tx.commit().await?;
            Ok(Ok(Freed {
                record: (record, saved),
                offers: Vec::new(),
            }))
        })
        .await
    }

    async fn expire_holds(
        &self,
        at: DateTime<Utc>,
        rules: &HoldRules,
    ) -> StoreResult<Vec<WaitlistOffer>> {
        let over: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM waitlist_entries WHERE state = 'offered' AND hold_until <= $1
             ORDER BY hold_until, id",
        )
        .bind(ts(at))
        .fetch_all(&self.pool)
        .await?;
        let mut offers = Vec::new();
        for id in over {
            // one transaction per hold; an entry someone else changed meanwhile is refused
            if let Ok(freed) = self
                .step_waitlist_entry(EntryId(id), Step::Expire, at, rules)
                .await?
            {
                offers.extend(freed.offers);
            }
        }
        // waiting entries whose last date has passed (`Step::Lapse`; they hold no seat)
        sqlx::query(
            "UPDATE waitlist_entries SET state = 'lapsed', ended_at = $1, updated_at = $1
             WHERE state = 'waiting' AND to_date < $2",
        )
        .bind(ts(at))
        .bind(date_text(local_date(&at)))
        .execute(&self.writer)
        .await?;
        Ok(offers)
    }

    async fn waitlist_tally(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<HashMap<(Month, LocationId, ServiceCode), WaitlistTally>> {
        // each thing that happened, with the local month it happened in
        let month = |column: &str| format!("substr({}, 1, 7)", dialect::local_day(column));
        let rows: Vec<(String, i64, String, i64, i64, i64, i64)> = sqlx::query_as(&format!(
            "SELECT m, location_id, service, CAST(SUM(j) AS BIGINT), CAST(SUM(o) AS BIGINT),
                    CAST(SUM(t) AS BIGINT), CAST(SUM(x) AS BIGINT)
             FROM (
                 SELECT {created} AS m, location_id, service, 1 AS j, 0 AS o, 0 AS t, 0 AS x
                 FROM waitlist_entries WHERE created_at >= $1 AND created_at < $2
                 UNION ALL
                 SELECT {offered}, location_id, service, 0, 1, 0, 0
                 FROM waitlist_entries WHERE offered_at >= $1 AND offered_at < $2
                 UNION ALL
                 SELECT {ended}, location_id, service, 0, 0,
                        CASE WHEN state = 'booked' THEN 1 ELSE 0 END,
                        CASE WHEN state = 'expired' THEN 1 ELSE 0 END
                 FROM waitlist_entries
                 WHERE ended_at >= $1 AND ended_at < $2 AND state IN ('booked', 'expired')
             ) AS happened
             GROUP BY 1, 2, 3",
            created = month("created_at"),
            offered = month("offered_at"),
            ended = month("ended_at"),
        ))
        .bind(ts(from))
        .bind(ts(to))
        .fetch_all(&self.pool)
        .await?;
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        rows.into_iter()
            .map(|(month, place, service, joined, offered, taken, expired)| {
                let month =
                    Month::parse_key(&month).ok_or_else(|| corrupt(format!("month {month}")))?;
                let service: ServiceCode = service
                    .parse()
                    .map_err(|_| corrupt(format!("service {service}")))?;
                Ok((
                    (month, LocationId(place), service),
                    WaitlistTally {
                        joined: n(joined),
                        offered: n(offered),
                        taken: n(taken),
                        expired: n(expired),
                    },
                ))
            })
            .collect()
    }
}

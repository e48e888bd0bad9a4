//! SQL for staff accounts, the audit log and the day's queues. A queue entry changes with a
//! conditional `UPDATE … WHERE state = <the state the staff member saw>`, so two desks acting
//! on the same person at once cannot both succeed, and a booked entry's booking follows its
//! state in the same transaction.

use super::bookings::{add_event, parse_ts, ts, BookingRow, BOOKING_COLUMNS};
use super::{Conn, This};
use crate::store::{
    AuditEntry, BookingRecord, NewNotification, NewStaffUser, NotificationRecord, QueueChange,
    QueueEntryRecord, Refusal, StaffUserRecord, StoreError, StoreResult,
};
use chrono::{DateTime, NaiveDate, Utc};
use domain::notify::NoticeKind;
use domain::queue::{ticket, Outcome, QueueState};
use domain::staff::{Role, StaffAccount};
use domain::{BookingState, LocationId, ServiceCode};
use sqlx::FromRow;

#[derive(FromRow)]
struct StaffRow {
    id: i64,
    username: String,
    display_name: String,
    password_hash: String,
    role: String,
    location_id: Option<i64>,
    disabled: bool,
}

impl StaffRow {
    fn into_record(self) -> StoreResult<StaffUserRecord> {
        Ok(StaffUserRecord {
            account: StaffAccount {
                id: self.id,
                username: self.username,
                display_name: self.display_name,
                role: Role::parse(&self.role)
                    .ok_or_else(|| StoreError::Corrupt(format!("role {}", self.role)))?,
                place: self.location_id.map(LocationId),
            },
            password_hash: self.password_hash,
            disabled: self.disabled,
        })
    }
}

const STAFF_COLUMNS: &str =
    "id, username, display_name, password_hash, role, location_id, disabled";

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

fn opt_ts(s: Option<String>) -> StoreResult<Option<DateTime<Utc>>> {
    s.as_deref().map(parse_ts).transpose()
}

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

impl This {
    pub(super) async fn create_staff_user_impl(
        &self,
        u: &NewStaffUser,
    ) -> StoreResult<Option<i64>> {
        let r: Result<(i64,), sqlx::Error> = sqlx::query_as(
            "INSERT INTO staff_users (username, display_name, password_hash, role, location_id, created_at, password_changed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(&u.username)
        .bind(&u.display_name)
        .bind(&u.password_hash)
        .bind(u.role.code())
        .bind(u.place.map(|p| p.0))
        .bind(ts(u.created_at))
        .fetch_one(&self.writer)
        .await;
        match r {
            Ok((id,)) => Ok(Some(id)),
            Err(sqlx::Error::Database(d)) if d.is_unique_violation() => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub(super) async fn staff_user_by_name_impl(
        &self,
        username: &str,
    ) -> StoreResult<Option<StaffUserRecord>> {
        let row: Option<StaffRow> = sqlx::query_as(&format!(
            "SELECT {STAFF_COLUMNS} FROM staff_users WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        row.map(StaffRow::into_record).transpose()
    }

    pub(super) async fn staff_user_by_id_impl(
        &self,
        id: i64,
    ) -> StoreResult<Option<StaffUserRecord>> {
        let row: Option<StaffRow> = sqlx::query_as(&format!(
            "SELECT {STAFF_COLUMNS} FROM staff_users WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(StaffRow::into_record).transpose()
    }

    pub(super) async fn set_staff_password_impl(
        &self,
        id: i64,
        hash: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE staff_users SET password_hash = $2, password_changed_at = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(hash)
        .bind(ts(at))
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub(super) async fn staff_users_impl(&self) -> StoreResult<Vec<StaffUserRecord>> {
        let rows: Vec<StaffRow> = sqlx::query_as(&format!(
            "SELECT {STAFF_COLUMNS} FROM staff_users ORDER BY username"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(StaffRow::into_record).collect()
    }

    pub(super) async fn set_staff_disabled_impl(
        &self,
        id: i64,
        disabled: bool,
    ) -> StoreResult<bool> {
        let r = sqlx::query("UPDATE staff_users SET disabled = $2 WHERE id = $1")
            .bind(id)
            .bind(disabled)
            .execute(&self.writer)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    pub(super) async fn staff_user_count_impl(&self) -> StoreResult<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff_users")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    pub(super) async fn audit_impl(&self, e: &AuditEntry) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, staff_id, username, action, location_id, subject, before, after)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(ts(e.at))
        .bind(e.staff_id)
        .bind(&e.username)
        .bind(&e.action)
        .bind(e.location_id.map(|l| l.0))
        .bind(&e.subject)
        .bind(&e.before)
        .bind(&e.after)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub(super) async fn audit_log_impl(&self, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            String,
            Option<i64>,
            String,
            String,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<String>,
        )> = sqlx::query_as(
            "SELECT at, staff_id, username, action, location_id, subject, before, after
             FROM audit_log ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(
                |(at, staff_id, username, action, location_id, subject, before, after)| {
                    Ok(AuditEntry {
                        at: parse_ts(&at)?,
                        staff_id,
                        username,
                        action,
                        location_id: location_id.map(LocationId),
                        subject,
                        before,
                        after,
                    })
                },
            )
            .collect()
    }

    pub(super) async fn bookings_between_impl(
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

    pub(super) async fn queue_entries_impl(
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

    pub(super) async fn queue_entry_impl(&self, id: i64) -> StoreResult<Option<QueueEntryRecord>> {
        let mut conn = self.pool.acquire().await?;
        load_entry(&mut conn, id).await
    }

    pub(super) async fn check_in_impl(
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
        add_event(&mut tx, booking_id, at, "checked_in", None, None).await?;
        let entry = load_entry(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(Ok(entry))
    }

    pub(super) async fn add_walk_in_impl(
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

    pub(super) async fn change_queue_entry_impl(
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
        let entry = load_entry(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        if let Some(b) = &entry.booking {
            set_booking_state(&mut tx, b.id, c.to.booking_state(), c.at).await?;
        }
        let entry = load_entry(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(Some(entry))
    }

    pub(super) async fn undo_queue_entry_impl(
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
        let entry = load_entry(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        if let Some(b) = &entry.booking {
            set_booking_state(&mut tx, b.id, entry.state.booking_state(), at).await?;
        }
        let entry = load_entry(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(Some(entry))
    }

    pub(super) async fn mark_no_shows_impl(
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
            add_event(&mut tx, id, at, "no_show", None, None).await?;
            if let Some(b) = booking_by_id(&mut tx, id).await? {
                out.push(b);
            }
        }
        tx.commit().await?;
        Ok(out)
    }

    pub(super) async fn revert_no_show_impl(
        &self,
        booking_id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
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
            add_event(&mut tx, booking_id, at, "no_show_reverted", None, None).await?;
        }
        tx.commit().await?;
        Ok(changed == 1)
    }
}

type NotificationRow = (
    i64,
    Option<i64>,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
);

const NOTIFICATION_COLUMNS: &str =
    "id, booking_id, kind, phone, body, attempts, sent_at, last_error";

fn notification(r: NotificationRow) -> StoreResult<NotificationRecord> {
    let (id, booking_id, kind, phone, body, attempts, sent_at, last_error) = r;
    Ok(NotificationRecord {
        id,
        booking_id,
        kind: NoticeKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("notification kind {kind}")))?,
        phone,
        body,
        attempts: u32::try_from(attempts).unwrap_or(0),
        sent_at: opt_ts(sent_at)?,
        last_error,
    })
}

impl This {
    pub(super) async fn enqueue_notification_impl(&self, n: &NewNotification) -> StoreResult<bool> {
        let r = sqlx::query(
            "INSERT INTO notifications (booking_id, kind, phone, body, dedupe_key, created_at, next_attempt_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(n.booking_id)
        .bind(n.kind.code())
        .bind(&n.phone)
        .bind(&n.body)
        .bind(&n.dedupe_key)
        .bind(ts(n.created_at))
        .bind(ts(n.send_at))
        .execute(&self.writer)
        .await;
        match r {
            Ok(_) => Ok(true),
            Err(sqlx::Error::Database(d)) if d.is_unique_violation() => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    pub(super) async fn claim_due_notifications_impl(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        max_attempts: u32,
        limit: i64,
    ) -> StoreResult<Vec<NotificationRecord>> {
        // One statement: a row another instance claimed meanwhile is no longer due when
        // this UPDATE gets to it (PostgreSQL re-checks the WHERE after waiting for the row).
        let rows: Vec<NotificationRow> = sqlx::query_as(&format!(
            "UPDATE notifications SET next_attempt_at = $4
             WHERE id IN (SELECT id FROM notifications
                          WHERE sent_at IS NULL AND next_attempt_at <= $1 AND attempts < $2
                          ORDER BY next_attempt_at, id LIMIT $3)
               AND sent_at IS NULL AND next_attempt_at <= $1
             RETURNING {NOTIFICATION_COLUMNS}"
        ))
        .bind(ts(now))
        .bind(i64::from(max_attempts))
        .bind(limit)
        .bind(ts(lease_until))
        .fetch_all(&self.writer)
        .await?;
        let mut claimed: Vec<NotificationRecord> = rows
            .into_iter()
            .map(notification)
            .collect::<StoreResult<_>>()?;
        claimed.sort_by_key(|n| n.id);
        Ok(claimed)
    }

    pub(super) async fn notification_sent_impl(
        &self,
        id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE notifications SET sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1")
            .bind(id)
            .bind(ts(at))
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    pub(super) async fn notification_failed_impl(
        &self,
        id: i64,
        error: &str,
        next: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE notifications SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(error.chars().take(500).collect::<String>())
        .bind(ts(next))
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub(super) async fn notifications_of_booking_impl(
        &self,
        booking_id: i64,
    ) -> StoreResult<Vec<NotificationRecord>> {
        let rows: Vec<NotificationRow> = sqlx::query_as(&format!(
            "SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE booking_id = $1 ORDER BY id"
        ))
        .bind(booking_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(notification).collect()
    }

    pub(super) async fn booked_between_impl(
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

impl This {
    pub(super) async fn replace_weekly_sessions_impl(
        &self,
        location: LocationId,
        service: ServiceCode,
        sessions: &[domain::WeeklySession],
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM weekly_sessions WHERE location_id = $1 AND service = $2")
            .bind(location.0)
            .bind(service.code())
            .execute(&mut *tx)
            .await?;
        for (seq, s) in sessions.iter().enumerate() {
            sqlx::query(
                "INSERT INTO weekly_sessions
                 (location_id, service, seq, weekdays, start_minute, end_minute, slot_minutes, capacity, youth_only)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(location.0)
            .bind(service.code())
            .bind(seq as i64)
            .bind(i64::from(s.days.bits()))
            .bind(super::common::minute_of(s.start))
            .bind(super::common::minute_of(s.end))
            .bind(i64::from(s.slot_minutes))
            .bind(i64::from(s.capacity))
            .bind(s.youth_only)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn add_closure_impl(
        &self,
        location: LocationId,
        service: ServiceCode,
        date: NaiveDate,
        note: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO schedule_exceptions (location_id, service, date, session, note) VALUES ($1, $2, $3, NULL, $4)",
        )
        .bind(location.0)
        .bind(service.code())
        .bind(date.to_string())
        .bind(note)
        .execute(&self.writer)
        .await?;
        Ok(())
    }
}

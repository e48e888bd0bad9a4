//! SQL for generated history (`server demo-history`): written in bulk, with explicit ids, in
//! one transaction.

use super::bookings::ts;
use super::{dialect, This};
use crate::store::{HistoryBatch, HistoryState, HistoryStore, RatedSubject, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::mediation::{Ending, Referral};
use domain::rating::{FollowUpState, Reason};
use sqlx::QueryBuilder;

#[async_trait]
impl HistoryStore for This {
    async fn history_state(&self, before: DateTime<Utc>) -> StoreResult<HistoryState> {
        let (bookings_before, last_booking, last_queue_entry, last_case, last_rating) =
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM bookings WHERE start_at < $1),
                        (SELECT COALESCE(MAX(id), 0) FROM bookings),
                        (SELECT COALESCE(MAX(id), 0) FROM queue_entries),
                        (SELECT COALESCE(MAX(id), 0) FROM mediation_cases),
                        (SELECT COALESCE(MAX(id), 0) FROM ratings)",
            )
            .bind(ts(before))
            .fetch_one(&self.pool)
            .await?;
        Ok(HistoryState {
            bookings_before,
            last_booking,
            last_queue_entry,
            last_case,
            last_rating,
        })
    }

    async fn insert_history(&self, batch: &HistoryBatch) -> StoreResult<()> {
        // SQLite allows 32,766 bound values per statement
        const ROWS: usize = 1000;
        let mut tx = self.writer.begin().await?;
        for chunk in batch.bookings.chunks(ROWS) {
            let mut q = QueryBuilder::new(
                "INSERT INTO bookings (id, code, location_id, service, start_at, end_at, state,
                     name, phone, topic, account, youth, created_at, updated_at) ",
            );
            q.push_values(chunk, |mut row, b| {
                row.push_bind(b.id)
                    .push_bind(&b.code)
                    .push_bind(b.location_id.0)
                    .push_bind(b.service.code())
                    .push_bind(ts(b.start))
                    .push_bind(ts(b.end))
                    .push_bind(b.state.code())
                    .push_bind(&b.name)
                    .push_bind(&b.phone)
                    .push_bind(&b.topic)
                    .push_bind(None::<String>)
                    .push_bind(b.youth)
                    .push_bind(ts(b.created_at))
                    .push_bind(ts(b.created_at));
            });
            q.build().execute(&mut *tx).await?;
        }
        dialect::ids_inserted(&mut tx, "bookings").await?;
        for chunk in batch.reschedules.chunks(ROWS) {
            let mut q = QueryBuilder::new(
                "INSERT INTO booking_events (booking_id, at, kind, from_start, to_start) ",
            );
            q.push_values(chunk, |mut row, r| {
                row.push_bind(r.booking_id)
                    .push_bind(ts(r.at))
                    .push_bind(domain::booking::BookingEventKind::Rescheduled.code())
                    .push_bind(ts(r.from_start))
                    .push_bind(ts(r.to_start));
            });
            q.build().execute(&mut *tx).await?;
        }
        for chunk in batch.queue.chunks(ROWS) {
            let mut q = QueryBuilder::new(
                "INSERT INTO queue_entries (id, location_id, service, day, number, ticket,
                     booking_id, state, arrived_at, called_at, serving_at, finished_at, outcome,
                     updated_at) ",
            );
            q.push_values(chunk, |mut row, e| {
                row.push_bind(e.id)
                    .push_bind(e.location_id.0)
                    .push_bind(e.service.code())
                    .push_bind(e.day.to_string())
                    .push_bind(i64::from(e.number))
                    .push_bind(&e.ticket)
                    .push_bind(e.booking_id)
                    .push_bind(e.state.code())
                    .push_bind(ts(e.arrived_at))
                    .push_bind(e.called_at.map(ts))
                    .push_bind(e.serving_at.map(ts))
                    .push_bind(e.finished_at.map(ts))
                    .push_bind(e.outcome.map(|o| o.code()))
                    .push_bind(ts(e.finished_at.unwrap_or(e.arrived_at)));
            });
            q.build().execute(&mut *tx).await?;
        }
        dialect::ids_inserted(&mut tx, "queue_entries").await?;
        for chunk in batch.cases.chunks(ROWS / 2) {
            let mut q = QueryBuilder::new(
                "INSERT INTO mediation_cases (id, code, state, version, applicant_name,
                     applicant_phone, other_party_name, dispute_type, account, location_id,
                     submitted_at, accepted_at, closed_at, outcome, referral, amount_fen, terms,
                     reason, agreement_no) ",
            );
            q.push_values(chunk, |mut row, c| {
                row.push_bind(c.id)
                    .push_bind(&c.code)
                    .push_bind(c.state.code())
                    .push_bind(1_i64)
                    .push_bind(&c.applicant_name)
                    .push_bind(&c.applicant_phone)
                    .push_bind(&c.other_party_name)
                    .push_bind(c.dispute_type.code())
                    .push_bind(&c.account)
                    .push_bind(c.location_id.0)
                    .push_bind(ts(c.submitted_at))
                    .push_bind(c.accepted_at.map(ts))
                    .push_bind(c.closed_at.map(ts))
                    .push_bind(c.outcome.map(Ending::code))
                    .push_bind(c.referral.map(Referral::code))
                    .push_bind(c.amount_fen)
                    .push_bind(c.terms.as_deref())
                    .push_bind(c.reason.as_deref())
                    .push_bind(c.agreement_no.as_deref());
            });
            q.build().execute(&mut *tx).await?;
        }
        dialect::ids_inserted(&mut tx, "mediation_cases").await?;
        for chunk in batch.ratings.chunks(ROWS) {
            let mut q = QueryBuilder::new(
                "INSERT INTO ratings (id, kind, booking_id, queue_entry_id, case_id, location_id,
                     service, level, reasons, comment, rated_at) ",
            );
            q.push_values(chunk, |mut row, r| {
                let (booking, walk_in, case) = match r.subject {
                    RatedSubject::Booking(id) => (Some(id), None, None),
                    RatedSubject::WalkIn(id) => (None, Some(id), None),
                    RatedSubject::Case(id) => (None, None, Some(id)),
                };
                row.push_bind(r.id)
                    .push_bind(r.subject.kind().code())
                    .push_bind(booking)
                    .push_bind(walk_in)
                    .push_bind(case)
                    .push_bind(r.location_id.0)
                    .push_bind(r.service.code())
                    .push_bind(r.rating.level.code())
                    .push_bind(
                        r.rating
                            .reasons
                            .iter()
                            .map(|r| Reason::code(*r))
                            .collect::<Vec<_>>()
                            .join(","),
                    )
                    .push_bind(r.rating.comment.as_ref().map(|c| c.as_str().to_string()))
                    .push_bind(ts(r.rated_at));
            });
            q.build().execute(&mut *tx).await?;
        }
        dialect::ids_inserted(&mut tx, "ratings").await?;
        let follow_ups: Vec<_> = batch
            .ratings
            .iter()
            .filter_map(|r| r.follow_up.as_ref().map(|f| (r, f)))
            .collect();
        for chunk in follow_ups.chunks(ROWS) {
            let mut q = QueryBuilder::new(
                "INSERT INTO rating_follow_ups (rating_id, location_id, service, opened_at,
                     due_date, state, called_at, said, closed_at, changed, updated_at) ",
            );
            q.push_values(chunk, |mut row, (r, f)| {
                let (call, closed) = match &f.state {
                    FollowUpState::Open => (None, None),
                    FollowUpState::Called(call) => (Some(call), None),
                    FollowUpState::Closed {
                        call,
                        closed_at,
                        changed,
                    } => (Some(call), Some((closed_at, changed))),
                };
                let updated = closed
                    .map(|(at, _)| *at)
                    .or(call.map(|c| c.at))
                    .unwrap_or(f.opened_at);
                row.push_bind(r.id)
                    .push_bind(r.location_id.0)
                    .push_bind(r.service.code())
                    .push_bind(ts(f.opened_at))
                    .push_bind(f.due.format("%Y-%m-%d").to_string())
                    .push_bind(f.state.code())
                    .push_bind(call.map(|c| ts(c.at)))
                    .push_bind(call.map(|c| c.said.as_str().to_string()))
                    .push_bind(closed.map(|(at, _)| ts(*at)))
                    .push_bind(closed.map(|(_, n)| n.as_str().to_string()))
                    .push_bind(ts(updated));
            });
            q.build().execute(&mut *tx).await?;
        }
        for (place, year, last) in &batch.agreement_counters {
            sqlx::query(&format!(
                "INSERT INTO agreement_counters (location_id, year, last) VALUES ($1, $2, $3)
                 ON CONFLICT (location_id, year)
                 DO UPDATE SET last = {}(agreement_counters.last, excluded.last)",
                dialect::GREATEST
            ))
            .bind(place.0)
            .bind(year)
            .bind(last)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

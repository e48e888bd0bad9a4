//! SQL for generated history (`server demo-history`): written in bulk, with explicit ids, in
//! one transaction.

use super::bookings::ts;
use super::{dialect, This};
use crate::store::{HistoryBatch, HistoryStore, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::mediation::{Ending, Referral};
use sqlx::QueryBuilder;

#[async_trait]
impl HistoryStore for This {
    async fn history_state(&self, before: DateTime<Utc>) -> StoreResult<(i64, i64)> {
        Ok(sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM bookings WHERE start_at < $1),
                    (SELECT COALESCE(MAX(id), 0) FROM bookings)",
        )
        .bind(ts(before))
        .fetch_one(&self.pool)
        .await?)
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
                "INSERT INTO queue_entries (location_id, service, day, number, ticket, booking_id,
                     state, arrived_at, called_at, serving_at, finished_at, outcome, updated_at) ",
            );
            q.push_values(chunk, |mut row, e| {
                row.push_bind(e.location_id.0)
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
        for chunk in batch.cases.chunks(ROWS / 2) {
            let mut q = QueryBuilder::new(
                "INSERT INTO mediation_cases (code, state, version, applicant_name,
                     applicant_phone, other_party_name, dispute_type, account, location_id,
                     submitted_at, accepted_at, closed_at, outcome, referral, amount_fen, terms,
                     reason, agreement_no) ",
            );
            q.push_values(chunk, |mut row, c| {
                row.push_bind(&c.code)
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

//! SQL of the PIPL retention job: residents' names, phone numbers and texts are overwritten
//! in the rows that `domain::retention::Cutoff` says are due, and the rows are marked
//! (`anonymised_at`, migration `*_retention.sql`) so a later run reads only what is left
//! (partial indexes on the unmarked rows). Nothing the statistics count is written: the
//! dates, places, services, states, outcomes, dispute types, amounts and youth flags stay.
//! Phone verification codes older than the cut-off are deleted. Waiting-list entries that
//! ended before the cut-off are anonymised like bookings. Ratings given before the cut-off
//! (whose follow-up, if any, is closed) lose their comment, and their follow-up's notes become
//! `ANONYMISED_NAME`; levels, reasons, dates and follow-up states stay.

use super::bookings::ts;
use super::{dialect, This};
use crate::store::{Anonymised, RetentionStore, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::mediation::CaseState;
use domain::retention::{Cutoff, ANONYMISED_NAME, ANONYMISED_PHONE, STEPS_WITH_TYPED_TEXT};
use domain::BookingState;

/// `('a', 'b')` of fixed codes (never user input).
fn codes(codes: impl IntoIterator<Item = &'static str>) -> String {
    let quoted: Vec<String> = codes.into_iter().map(|c| format!("'{c}'")).collect();
    format!("({})", quoted.join(", "))
}

#[async_trait]
impl RetentionStore for This {
    async fn anonymise_due(
        &self,
        cutoff: &Cutoff,
        at: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Anonymised> {
        dialect::retrying(|| self.anonymise_once(cutoff, at, limit)).await
    }
}

impl This {
    /// One attempt (see [`dialect::retrying`]).
    async fn anonymise_once(
        &self,
        cutoff: &Cutoff,
        at: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Anonymised> {
        let (before, at) = (ts(cutoff.before), ts(at));
        let final_states = codes(
            BookingState::ALL
                .into_iter()
                .filter(|s| !s.is_active())
                .map(BookingState::code),
        );
        let closed_states = codes(
            CaseState::ALL
                .into_iter()
                .filter(|s| s.is_closed())
                .map(CaseState::code),
        );
        let mut tx = self.writer.begin().await?;

        // bookings whose slot ended before the cut-off and that are over
        let bookings = sqlx::query(&format!(
            "UPDATE bookings SET name = $1, phone = $2, topic = '', account = NULL,
                 anonymised_at = $3
             WHERE anonymised_at IS NULL AND id IN (
                 SELECT id FROM bookings
                 WHERE anonymised_at IS NULL AND end_at < $4
                   AND (state IN {final_states} OR start_at < $5)
                 ORDER BY end_at LIMIT $6)"
        ))
        .bind(ANONYMISED_NAME)
        .bind(ANONYMISED_PHONE)
        .bind(&at)
        .bind(&before)
        .bind(ts(cutoff.today_start))
        .bind(limit)
        .execute(&mut *tx)
        .await?
        .rows_affected();

        // staff notes on the queues of days before the cut-off
        let queue_notes = sqlx::query(
            "UPDATE queue_entries SET note = NULL
             WHERE id IN (SELECT id FROM queue_entries
                          WHERE note IS NOT NULL AND day < $1 ORDER BY day LIMIT $2)",
        )
        .bind(cutoff.first_kept_day.to_string())
        .bind(limit)
        .execute(&mut *tx)
        .await?
        .rows_affected();

        // closed cases whose last step is older than the cut-off; the version moves on, so
        // a page opened before cannot save its old texts back
        let cases: Vec<i64> = sqlx::query_scalar(&format!(
            "UPDATE mediation_cases SET applicant_name = $1, applicant_phone = $2,
                 other_party_name = $1, other_party_phone = NULL, relation = NULL, account = '',
                 terms = CASE WHEN terms IS NULL THEN NULL ELSE '' END,
                 reason = CASE WHEN reason IS NULL THEN NULL ELSE '' END,
                 version = version + 1, anonymised_at = $3
             WHERE anonymised_at IS NULL AND id IN (
                 SELECT c.id FROM mediation_cases c
                 WHERE c.anonymised_at IS NULL AND c.closed_at IS NOT NULL AND c.closed_at < $4
                   AND c.state IN {closed_states}
                   AND NOT EXISTS (SELECT 1 FROM mediation_events e
                                   WHERE e.case_id = c.id AND e.at >= $4)
                 ORDER BY c.closed_at LIMIT $5)
             RETURNING id"
        ))
        .bind(ANONYMISED_NAME)
        .bind(ANONYMISED_PHONE)
        .bind(&at)
        .bind(&before)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        if !cases.is_empty() {
            // the steps' own texts (reasons, terms, notes) go with the case
            let ids: Vec<String> = cases.iter().map(i64::to_string).collect();
            sqlx::query(&format!(
                "UPDATE mediation_events SET detail = NULL
                 WHERE detail IS NOT NULL AND action IN {} AND case_id IN ({})",
                codes(STEPS_WITH_TYPED_TEXT),
                ids.join(", ")
            ))
            .execute(&mut *tx)
            .await?;
        }

        // messages sent before the cut-off, and those given up before it
        let sent = sqlx::query(
            "UPDATE notifications SET phone = $1, body = '', anonymised_at = $2
             WHERE anonymised_at IS NULL AND id IN (
                 SELECT id FROM notifications
                 WHERE anonymised_at IS NULL AND sent_at IS NOT NULL AND sent_at < $3
                 ORDER BY sent_at LIMIT $4)",
        )
        .bind(ANONYMISED_PHONE)
        .bind(&at)
        .bind(&before)
        .bind(limit)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let given_up = sqlx::query(
            "UPDATE notifications SET phone = $1, body = '', anonymised_at = $2
             WHERE anonymised_at IS NULL AND sent_at IS NULL AND id IN (
                 SELECT id FROM notifications
                 WHERE anonymised_at IS NULL AND sent_at IS NULL AND attempts >= $3
                   AND next_attempt_at < $4
                 ORDER BY id LIMIT $5)",
        )
        .bind(ANONYMISED_PHONE)
        .bind(&at)
        .bind(i64::from(domain::notify::MAX_ATTEMPTS))
        .bind(&before)
        .bind(limit)
        .execute(&mut *tx)
        .await?
        .rows_affected();

        // verification codes are deleted outright (the use case purges them sooner)
        let phone_codes = sqlx::query(
            "DELETE FROM phone_codes WHERE id IN (
                 SELECT id FROM phone_codes WHERE issued_at < $1 ORDER BY issued_at LIMIT $2)",
        )
        .bind(&before)
        .bind(limit)
        .execute(&mut *tx)
        .await?
        .rows_affected();

        // waiting-list entries that ended before the cut-off (their booking, if any, is
        // anonymised with the bookings); states and dates stay for the statistics
        let waitlist = sqlx::query(
            "UPDATE waitlist_entries SET name = $1, phone = $2, topic = '', account = NULL,
                 anonymised_at = $3
             WHERE anonymised_at IS NULL AND id IN (
                 SELECT id FROM waitlist_entries
                 WHERE anonymised_at IS NULL AND ended_at IS NOT NULL AND ended_at < $4
                 ORDER BY ended_at LIMIT $5)",
        )
        .bind(ANONYMISED_NAME)
        .bind(ANONYMISED_PHONE)
        .bind(&at)
        .bind(&before)
        .bind(limit)
        .execute(&mut *tx)
        .await?
        .rows_affected();

        // ratings given before the cut-off whose follow-up (if any) is closed: the follow-ups'
        // notes first, then the ratings (the same rows: they are not marked yet)
        let due_ratings = "SELECT id FROM ratings r
             WHERE anonymised_at IS NULL AND rated_at < $2
               AND NOT EXISTS (SELECT 1 FROM rating_follow_ups f
                               WHERE f.rating_id = r.id AND f.state <> 'closed')
             ORDER BY rated_at, id LIMIT $3";
        sqlx::query(&format!(
            "UPDATE rating_follow_ups SET said = $1, changed = $1
             WHERE rating_id IN ({due_ratings})"
        ))
        .bind(ANONYMISED_NAME)
        .bind(&before)
        .bind(limit)
        .execute(&mut *tx)
        .await?;
        let ratings = sqlx::query(&format!(
            "UPDATE ratings SET comment = NULL, anonymised_at = $1
             WHERE id IN ({due_ratings})"
        ))
        .bind(&at)
        .bind(&before)
        .bind(limit)
        .execute(&mut *tx)
        .await?
        .rows_affected();

        tx.commit().await?;
        Ok(Anonymised {
            ratings,
            waitlist,
            bookings,
            cases: cases.len() as u64,
            notifications: sent + given_up,
            queue_notes,
            phone_codes,
        })
    }
}

//! SQL of ratings and their follow-ups (`domain::rating` decides; migration `*_ratings.sql`).
//! A service is rated once: `INSERT … ON CONFLICT DO NOTHING` lets the UNIQUE constraint on
//! the rated booking, walk-in or case decide, so two concurrent ratings of one service end
//! with one row and one `Duplicate`. A follow-up changes state only by a conditional write
//! (`WHERE state = …`).

use super::bookings::{parse_ts, ts};
use super::{dialect, This};
use crate::store::{
    Duplicate, FollowUpRecord, NewRating, RatedSubject, RatingRecord, RatingStore, StoreError,
    StoreResult,
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::rating::{
    Call, Comment, FollowUp, FollowUpState, Level, Note, RatedKind, Rating, RatingTally, Reason,
};
use domain::{LocationId, ServiceCode};
use sqlx::FromRow;
use std::collections::HashMap;

const COLUMNS: &str = "r.id, r.kind, r.booking_id, r.queue_entry_id, r.case_id, r.location_id, \
     r.service, r.level, r.reasons, r.comment, r.rated_at, f.opened_at, f.due_date, f.state, \
     f.called_at, f.said, f.called_by, f.closed_at, f.changed, f.closed_by, f.updated_at";

const FROM: &str = "ratings r LEFT JOIN rating_follow_ups f ON f.rating_id = r.id";

#[derive(FromRow)]
struct RatingRow {
    id: i64,
    kind: String,
    booking_id: Option<i64>,
    queue_entry_id: Option<i64>,
    case_id: Option<i64>,
    location_id: i64,
    service: String,
    level: String,
    reasons: String,
    comment: Option<String>,
    rated_at: String,
    opened_at: Option<String>,
    due_date: Option<String>,
    state: Option<String>,
    called_at: Option<String>,
    said: Option<String>,
    called_by: Option<i64>,
    closed_at: Option<String>,
    changed: Option<String>,
    closed_by: Option<i64>,
    updated_at: Option<String>,
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

fn service(code: &str) -> StoreResult<ServiceCode> {
    code.parse().map_err(|_| corrupt(format!("service {code}")))
}

fn level(code: &str) -> StoreResult<Level> {
    Level::parse(code).ok_or_else(|| corrupt(format!("rating level {code}")))
}

/// Reason codes as stored: comma-separated, in the order given.
fn reasons_text(reasons: &[Reason]) -> String {
    reasons
        .iter()
        .map(|r| r.code())
        .collect::<Vec<_>>()
        .join(",")
}

fn reasons(text: &str) -> StoreResult<Vec<Reason>> {
    text.split(',')
        .filter(|c| !c.is_empty())
        .map(|c| Reason::parse(c).ok_or_else(|| corrupt(format!("rating reason {c}"))))
        .collect()
}

fn note(field: &'static str, text: Option<&str>, id: i64) -> StoreResult<Note> {
    Note::parse(field, text.unwrap_or(""))
        .map_err(|_| corrupt(format!("rating {id} follow-up: {field}")))
}

fn call(row: &RatingRow) -> StoreResult<Call> {
    let at = row
        .called_at
        .as_deref()
        .ok_or_else(|| corrupt(format!("rating {} follow-up called, no time", row.id)))?;
    Ok(Call {
        at: parse_ts(at)?,
        said: note("said", row.said.as_deref(), row.id)?,
    })
}

impl RatingRow {
    fn subject(&self) -> StoreResult<RatedSubject> {
        let kind =
            RatedKind::parse(&self.kind).ok_or_else(|| corrupt(format!("kind {}", self.kind)))?;
        let id = match kind {
            RatedKind::Booking => self.booking_id.map(RatedSubject::Booking),
            RatedKind::WalkIn => self.queue_entry_id.map(RatedSubject::WalkIn),
            RatedKind::Case => self.case_id.map(RatedSubject::Case),
        };
        id.ok_or_else(|| corrupt(format!("rating {} has no subject", self.id)))
    }

    fn follow_up(&self) -> StoreResult<Option<FollowUpRecord>> {
        let (Some(opened_at), Some(due), Some(state), Some(updated_at)) = (
            &self.opened_at,
            &self.due_date,
            &self.state,
            &self.updated_at,
        ) else {
            return Ok(None);
        };
        let state = match state.as_str() {
            "open" => FollowUpState::Open,
            "called" => FollowUpState::Called(call(self)?),
            "closed" => FollowUpState::Closed {
                call: call(self)?,
                closed_at: parse_ts(self.closed_at.as_deref().ok_or_else(|| {
                    corrupt(format!("rating {} follow-up closed, no time", self.id))
                })?)?,
                changed: note("changed", self.changed.as_deref(), self.id)?,
            },
            other => return Err(corrupt(format!("follow-up state {other}"))),
        };
        Ok(Some(FollowUpRecord {
            follow_up: FollowUp {
                opened_at: parse_ts(opened_at)?,
                due: date(due)?,
                state,
            },
            called_by: self.called_by,
            closed_by: self.closed_by,
            updated_at: parse_ts(updated_at)?,
        }))
    }

    fn into_record(self) -> StoreResult<RatingRecord> {
        let comment = match self.comment.as_deref() {
            None => None,
            Some(text) => {
                Comment::parse(text).map_err(|_| corrupt(format!("rating {} comment", self.id)))?
            }
        };
        Ok(RatingRecord {
            id: self.id,
            subject: self.subject()?,
            location_id: LocationId(self.location_id),
            service: service(&self.service)?,
            rating: Rating {
                level: level(&self.level)?,
                reasons: reasons(&self.reasons)?,
                comment,
            },
            rated_at: parse_ts(&self.rated_at)?,
            follow_up: self.follow_up()?,
        })
    }
}

#[async_trait]
impl RatingStore for This {
    async fn add_rating(&self, r: &NewRating) -> StoreResult<Result<i64, Duplicate>> {
        if r.rating.needs_follow_up() != r.follow_up_due.is_some() {
            return Err(corrupt(
                "a poor rating needs a follow-up due date, and only a poor one has one",
            ));
        }
        let (booking, walk_in, case) = match r.subject {
            RatedSubject::Booking(id) => (Some(id), None, None),
            RatedSubject::WalkIn(id) => (None, Some(id), None),
            RatedSubject::Case(id) => (None, None, Some(id)),
        };
        dialect::retrying(|| async {
            let mut tx = self.writer.begin().await?;
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO ratings (kind, booking_id, queue_entry_id, case_id, location_id,
                     service, level, reasons, comment, rated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT DO NOTHING
                 RETURNING id",
            )
            .bind(r.subject.kind().code())
            .bind(booking)
            .bind(walk_in)
            .bind(case)
            .bind(r.location_id.0)
            .bind(r.service.code())
            .bind(r.rating.level.code())
            .bind(reasons_text(&r.rating.reasons))
            .bind(r.rating.comment.as_ref().map(Comment::as_str))
            .bind(ts(r.rated_at))
            .fetch_optional(&mut *tx)
            .await?;
            let Some(id) = id else {
                return Ok(Err(Duplicate));
            };
            if let Some(due) = r.follow_up_due {
                sqlx::query(
                    "INSERT INTO rating_follow_ups (rating_id, location_id, service, opened_at,
                         due_date, state, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $4)",
                )
                .bind(id)
                .bind(r.location_id.0)
                .bind(r.service.code())
                .bind(ts(r.rated_at))
                .bind(date_text(due))
                .bind(FollowUpState::Open.code())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(Ok(id))
        })
        .await
    }

    async fn rating_of(&self, subject: RatedSubject) -> StoreResult<Option<RatingRecord>> {
        let column = match subject {
            RatedSubject::Booking(_) => "booking_id",
            RatedSubject::WalkIn(_) => "queue_entry_id",
            RatedSubject::Case(_) => "case_id",
        };
        let row: Option<RatingRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE r.{column} = $1"
        ))
        .bind(subject.id())
        .fetch_optional(&self.pool)
        .await?;
        row.map(RatingRow::into_record).transpose()
    }

    async fn rating_by_id(&self, id: i64) -> StoreResult<Option<RatingRecord>> {
        let row: Option<RatingRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM {FROM} WHERE r.id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(RatingRow::into_record).transpose()
    }

    async fn follow_ups_at(
        &self,
        location: LocationId,
        open_only: bool,
    ) -> StoreResult<Vec<RatingRecord>> {
        let open = if open_only {
            "AND f.state <> 'closed'"
        } else {
            ""
        };
        let rows: Vec<RatingRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE f.location_id = $1 {open}
             ORDER BY f.due_date, f.id"
        ))
        .bind(location.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(RatingRow::into_record).collect()
    }

    async fn open_follow_ups(&self) -> StoreResult<Vec<RatingRecord>> {
        let rows: Vec<RatingRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE f.state <> 'closed' ORDER BY f.due_date, f.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(RatingRow::into_record).collect()
    }

    async fn step_follow_up(
        &self,
        rating_id: i64,
        expected: &str,
        to: &FollowUpState,
        by: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = match to {
            FollowUpState::Open => {
                sqlx::query(
                    "UPDATE rating_follow_ups SET state = $3, called_at = NULL, said = NULL,
                         called_by = NULL, closed_at = NULL, changed = NULL, closed_by = NULL,
                         updated_at = $4
                     WHERE rating_id = $1 AND state = $2",
                )
                .bind(rating_id)
                .bind(expected)
                .bind(to.code())
                .bind(ts(at))
                .execute(&self.writer)
                .await?
            }
            FollowUpState::Called(c) => {
                sqlx::query(
                    "UPDATE rating_follow_ups SET state = $3, called_at = $4, said = $5,
                         called_by = $6, updated_at = $7
                     WHERE rating_id = $1 AND state = $2",
                )
                .bind(rating_id)
                .bind(expected)
                .bind(to.code())
                .bind(ts(c.at))
                .bind(c.said.as_str())
                .bind(by)
                .bind(ts(at))
                .execute(&self.writer)
                .await?
            }
            FollowUpState::Closed {
                call,
                closed_at,
                changed,
            } => {
                sqlx::query(
                    "UPDATE rating_follow_ups SET state = $3, called_at = $4, said = $5,
                         called_by = COALESCE(called_by, $6), closed_at = $7, changed = $8,
                         closed_by = $6, updated_at = $9
                     WHERE rating_id = $1 AND state = $2",
                )
                .bind(rating_id)
                .bind(expected)
                .bind(to.code())
                .bind(ts(call.at))
                .bind(call.said.as_str())
                .bind(by)
                .bind(ts(*closed_at))
                .bind(changed.as_str())
                .bind(ts(at))
                .execute(&self.writer)
                .await?
            }
        };
        Ok(done.rows_affected() == 1)
    }

    async fn rating_tally(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<HashMap<(LocationId, ServiceCode), RatingTally>> {
        let mut tally: HashMap<(LocationId, ServiceCode), RatingTally> = HashMap::new();
        // levels and reasons: one row per distinct (level, reason list), counted
        let groups: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
            "SELECT location_id, service, level, reasons, COUNT(*) FROM ratings
             WHERE rated_at >= $1 AND rated_at < $2
             GROUP BY location_id, service, level, reasons",
        )
        .bind(ts(from))
        .bind(ts(to))
        .fetch_all(&self.pool)
        .await?;
        for (place, code, lvl, list, n) in groups {
            let n = u64::try_from(n).unwrap_or(0);
            let t = tally
                .entry((LocationId(place), service(&code)?))
                .or_default();
            t.add_level(level(&lvl)?, n);
            for r in reasons(&list)? {
                t.add_reason(r, n);
            }
        }
        // follow-ups of those ratings (poor ones only: few), classified by the domain
        let rows: Vec<RatingRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM {FROM}
             WHERE r.rated_at >= $1 AND r.rated_at < $2 AND f.id IS NOT NULL"
        ))
        .bind(ts(from))
        .bind(ts(to))
        .fetch_all(&self.pool)
        .await?;
        for row in rows {
            let record = row.into_record()?;
            if let Some(f) = &record.follow_up {
                tally
                    .entry((record.location_id, record.service))
                    .or_default()
                    .add_follow_up(&f.follow_up, now);
            }
        }
        Ok(tally)
    }
}

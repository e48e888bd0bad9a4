//! SQL of the one-time codes that prove a phone is the resident's (`domain::verify`): each
//! issued code is a row (migration `*_phone_codes.sql`); the latest of a phone is its live
//! challenge until used. A try is counted and a code marked used each in one statement, so
//! concurrent guesses all count and only one right guess verifies (PostgreSQL re-checks the
//! `WHERE` after waiting for the row; SQLite has one writer).

use super::bookings::{parse_ts, ts};
use super::{dialect, This};
use crate::store::{IssueCheck, PhoneChallenge, PhoneCodeStore, StoreResult};
use async_trait::async_trait;
use chrono::Duration;
use chrono::{DateTime, Utc};
use domain::verify::{Challenge, TooManyCodes};

#[async_trait]
impl PhoneCodeStore for This {
    async fn issue_phone_code(
        &self,
        phone: &str,
        secret: &[u8],
        at: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO phone_codes (phone, secret, issued_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(phone)
        .bind(secret)
        .bind(ts(at))
        .fetch_one(&self.writer)
        .await?;
        Ok(id)
    }

    async fn issue_phone_code_capped(
        &self,
        phone: &str,
        secret: &[u8],
        at: DateTime<Utc>,
        allow: &IssueCheck,
    ) -> StoreResult<Result<i64, TooManyCodes>> {
        dialect::retrying(|| async {
            let mut tx = self.writer.begin().await?;
            // PostgreSQL: one phone at a time; SQLite: its one writer already is
            dialect::lock_phone(&mut tx, phone).await?;
            let issued: Vec<String> = sqlx::query_scalar(
                "SELECT issued_at FROM phone_codes WHERE phone = $1 AND issued_at > $2",
            )
            .bind(phone)
            .bind(ts(at - Duration::hours(24)))
            .fetch_all(&mut *tx)
            .await?;
            let issued = issued
                .iter()
                .map(|t| parse_ts(t))
                .collect::<StoreResult<Vec<_>>>()?;
            if let Err(refused) = allow(&issued) {
                return Ok(Err(refused));
            }
            let id = sqlx::query_scalar(
                "INSERT INTO phone_codes (phone, secret, issued_at) VALUES ($1, $2, $3)
                 RETURNING id",
            )
            .bind(phone)
            .bind(secret)
            .bind(ts(at))
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Ok(id))
        })
        .await
    }

    async fn phone_codes_issued_since(
        &self,
        phone: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<DateTime<Utc>>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT issued_at FROM phone_codes WHERE phone = $1 AND issued_at >= $2
             ORDER BY issued_at, id",
        )
        .bind(phone)
        .bind(ts(since))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|t| parse_ts(t)).collect()
    }

    async fn phone_challenge(&self, phone: &str) -> StoreResult<Option<PhoneChallenge>> {
        let row: Option<(i64, Vec<u8>, String, i64, Option<String>)> = sqlx::query_as(
            "SELECT id, secret, issued_at, tries, used_at FROM phone_codes WHERE phone = $1
             ORDER BY issued_at DESC, id DESC LIMIT 1",
        )
        .bind(phone)
        .fetch_optional(&self.pool)
        .await?;
        let Some((id, secret, issued_at, tries, used_at)) = row else {
            return Ok(None);
        };
        if used_at.is_some() {
            return Ok(None);
        }
        Ok(Some(PhoneChallenge {
            id,
            challenge: Challenge {
                secret,
                issued_at: parse_ts(&issued_at)?,
                tries: u32::try_from(tries).unwrap_or(u32::MAX),
            },
        }))
    }

    async fn count_phone_code_try(&self, id: i64) -> StoreResult<Option<u32>> {
        let tries: Option<i64> = sqlx::query_scalar(
            "UPDATE phone_codes SET tries = tries + 1 WHERE id = $1 AND used_at IS NULL
             RETURNING tries",
        )
        .bind(id)
        .fetch_optional(&self.writer)
        .await?;
        Ok(tries.map(|t| u32::try_from(t).unwrap_or(u32::MAX)))
    }

    async fn use_phone_code(&self, id: i64, at: DateTime<Utc>) -> StoreResult<bool> {
        let done =
            sqlx::query("UPDATE phone_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
                .bind(id)
                .bind(ts(at))
                .execute(&self.writer)
                .await?
                .rows_affected();
        Ok(done == 1)
    }

    async fn purge_phone_codes(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let gone = sqlx::query("DELETE FROM phone_codes WHERE issued_at < $1")
            .bind(ts(before))
            .execute(&self.writer)
            .await?
            .rows_affected();
        Ok(gone)
    }
}

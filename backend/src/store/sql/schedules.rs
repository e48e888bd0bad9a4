//! When a service is open: the weekly sessions of a service at a place, closures and extra
//! sessions on dates (`schedule_exceptions`), and the public holiday files.

use super::bookings::ts;
use super::directory::minute_of;
use super::{Conn, This};
use crate::store::{ScheduleStore, StoreError, StoreResult, StoredException};
use async_trait::async_trait;
use chrono::{NaiveDate, Utc};
use domain::{LocationId, ServiceCode, WeeklySession};

/// Saves a service's weekly sessions at a place in their order, on `conn` (inside the
/// caller's transaction).
pub(super) async fn insert_weekly_sessions(
    conn: &mut Conn,
    location: LocationId,
    service: ServiceCode,
    sessions: &[WeeklySession],
) -> StoreResult<()> {
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
        .bind(minute_of(s.start))
        .bind(minute_of(s.end))
        .bind(i64::from(s.slot_minutes))
        .bind(i64::from(s.capacity))
        .bind(s.youth_only)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[async_trait]
impl ScheduleStore for This {
    async fn holiday_files(&self) -> StoreResult<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT body FROM holiday_years ORDER BY year")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|(b,)| b).collect())
    }

    async fn save_holiday_file(&self, year: i32, source: &str, body: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO holiday_years (year, source, body, loaded_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (year) DO UPDATE SET source = excluded.source, body = excluded.body, loaded_at = excluded.loaded_at",
        )
        .bind(year)
        .bind(source)
        .bind(body)
        .bind(ts(Utc::now()))
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn date_exceptions(
        &self,
        location: LocationId,
        service: ServiceCode,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<StoredException>> {
        let rows: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT date, session FROM schedule_exceptions
             WHERE location_id = $1 AND service = $2 AND date >= $3 AND date <= $4 ORDER BY date",
        )
        .bind(location.0)
        .bind(service.code())
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(d, session)| {
                let date = d
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("date {d}")))?;
                Ok(StoredException { date, session })
            })
            .collect()
    }

    async fn replace_weekly_sessions(
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
        insert_weekly_sessions(&mut tx, location, service, sessions).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add_closure(
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

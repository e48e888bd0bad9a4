//! SQL for statistics: counting the raw rows of a period (grouped, never row by row where
//! SQL can add up), the monthly and daily roll-ups, their staleness markers (kept by the
//! triggers of migration 0006) and the months' versions (migration 0014).

use super::bookings::ts;
use super::{dialect, Conn, This};
use crate::store::{Rollup, SavedMonth, StaleRollup, StatsStore, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{Datelike, NaiveDate};
use domain::mediation::{CaseState, DisputeType, Ending, Referral};
use domain::queue::QueueState;
use domain::slots::days_span;
use domain::stats::{Conclusion, DailyTallies, Month, Period, Tally};
use domain::{BookingState, LocationId, ServiceCode};
use std::collections::{BTreeMap, HashMap};

/// The UTC instants of a period's first local midnight and of the midnight after it.
fn instants(period: Period) -> (String, String) {
    let (from, to) = days_span(period.from, period.to).expect("dates inside the calendar");
    (ts(from.to_utc()), ts(to.to_utc()))
}

/// ` AND location_id IN (1, 2)` for a place filter (ids are integers: safe to inline).
fn only_clause(only: Option<&[LocationId]>) -> String {
    match only {
        None => String::new(),
        Some(ids) => {
            let ids: Vec<String> = ids.iter().map(|id| id.0.to_string()).collect();
            format!(" AND location_id IN ({})", ids.join(", "))
        }
    }
}

/// The same for bookings, naming every service too, so that the (location_id, service,
/// start_at) index serves the date range (a third of the time for one place-month).
fn only_bookings_clause(only: Option<&[LocationId]>) -> String {
    match only {
        None => String::new(),
        Some(_) => {
            let services: Vec<String> = ServiceCode::ALL
                .iter()
                .map(|s| format!("'{}'", s.code()))
                .collect();
            format!(
                "{} AND service IN ({})",
                only_clause(only),
                services.join(", ")
            )
        }
    }
}

/// place, day, service, state, how many, of them for the young, of them rescheduled
type BookingGroup = (i64, String, String, String, i64, i64, i64);

/// place, day, state, how many
type RequestGroup = (i64, String, String, i64);

/// place, day, service, booked (1 or 0), handed over (1 or 0), state, wait and service time
/// in seconds
type Visit = (
    i64,
    String,
    String,
    i64,
    i64,
    String,
    Option<i64>,
    Option<i64>,
);

/// place, day, dispute type, outcome, referral, how many, amount in fen
type CaseGroup = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
);

fn service(code: &str) -> StoreResult<ServiceCode> {
    code.parse()
        .map_err(|_| StoreError::Corrupt(format!("service {code}")))
}

fn queue_state(code: &str) -> StoreResult<QueueState> {
    QueueState::parse(code).ok_or_else(|| StoreError::Corrupt(format!("queue state {code}")))
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The day of every group when not counting by day.
const NO_DAY: &str = "CAST('' AS TEXT)";

/// The rows of `query` (bound to `binds`; its columns named `columns`), as one JSON array in
/// one row where the engine is faster that way (`dialect::json_rows`), else row by row.
async fn counted_rows<T>(
    this: &This,
    columns: &[&str],
    query: &str,
    binds: (&str, &str),
) -> StoreResult<Vec<T>>
where
    T: serde::de::DeserializeOwned
        + for<'r> sqlx::FromRow<'r, <<Conn as sqlx::Connection>::Database as sqlx::Database>::Row>
        + Send
        + Unpin,
{
    let Some(json_rows) = dialect::json_rows(columns) else {
        return Ok(sqlx::query_as(query)
            .bind(binds.0)
            .bind(binds.1)
            .fetch_all(&this.pool)
            .await?);
    };
    let json: Option<String> =
        sqlx::query_scalar(&format!("SELECT {json_rows} FROM ({query}) AS r"))
            .bind(binds.0)
            .bind(binds.1)
            .fetch_one(&this.pool)
            .await?;
    match json {
        None => Ok(Vec::new()),
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt(format!("counted rows: {e}"))),
    }
}

/// Counts of `period` from the working tables, by place and by local day (`by_day`) or by
/// place alone (the day then is ""): one set of queries for both, so they cannot disagree.
async fn tally_keyed(
    this: &This,
    period: Period,
    only: Option<&[LocationId]>,
    by_day: bool,
) -> StoreResult<HashMap<(LocationId, String), Tally>> {
    if only.is_some_and(|ids| ids.is_empty()) {
        return Ok(HashMap::new());
    }
    let (start, end) = instants(period);
    let (first_day, last_day) = (period.from.to_string(), period.to.to_string());
    let only_bookings = only_bookings_clause(only);
    let only = only_clause(only);
    let mut tallies: HashMap<(LocationId, String), Tally> = HashMap::new();
    // the local date of a stored instant, or one constant group
    let day_of = |column: &str| {
        if by_day {
            dialect::local_day(column)
        } else {
            NO_DAY.to_string()
        }
    };
    let (booked_day, queue_day, sent_day, accepted_day) = (
        day_of("start_at"),
        if by_day { "day" } else { NO_DAY }.to_string(),
        day_of("submitted_at"),
        day_of("accepted_at"),
    );

    // bookings by the slot they hold now (a rescheduled booking counts once, where it went);
    // "moved" is a scalar subquery, not EXISTS, which PostgreSQL would turn into a hash of
    // every rescheduling ever made (11 ms for one place-month, not 1)
    let bookings_sql = format!(
        "SELECT location_id AS place, {booked_day} AS d, service, state, COUNT(*) AS n,
                SUM(CASE WHEN youth THEN 1 ELSE 0 END) AS youth,
                SUM(CASE WHEN (SELECT 1 FROM booking_events e
                            WHERE e.booking_id = b.id AND e.kind = 'rescheduled' LIMIT 1)
                        IS NOT NULL
                    THEN 1 ELSE 0 END) AS moved
         FROM bookings b WHERE start_at >= $1 AND start_at < $2{only_bookings}
         GROUP BY 1, 2, 3, 4"
    );
    // Visits one by one, not grouped: the domain rounds each wait and service time (whole
    // seconds here) to minutes, and one pass replaces three grouped queries.
    let visits_sql = format!(
        "SELECT location_id AS place, {queue_day} AS d, service,
                CAST(CASE WHEN booking_id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS booked,
                CAST(CASE WHEN transferred_from IS NULL THEN 0 ELSE 1 END AS BIGINT) AS handed,
                state, {wait} AS wait, {served} AS served
         FROM queue_entries WHERE day >= $1 AND day <= $2{only}",
        wait = dialect::seconds_between("arrived_at", "called_at"),
        served = dialect::seconds_between("serving_at", "finished_at"),
    );
    // mediation requests by the day they were sent
    let requests_sql = format!(
        "SELECT location_id AS place, {sent_day} AS d, state, COUNT(*) AS n
         FROM mediation_cases
         WHERE submitted_at >= $1 AND submitted_at < $2{only} GROUP BY 1, 2, 3"
    );
    // cases by the day they were accepted, with how they ended
    let cases_sql = format!(
        "SELECT location_id AS place, {accepted_day} AS d, dispute_type AS dispute, outcome,
                referral, COUNT(*) AS n, CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS fen
         FROM mediation_cases
         WHERE accepted_at >= $1 AND accepted_at < $2{only}
         GROUP BY 1, 2, 3, 4, 5"
    );
    // The four reads are independent: they run side by side, each on a connection of its
    // own, so a page recounting a changed place-month waits for the slowest, not the sum.
    // They were four statements before too, so this reads no less consistently.
    let (bookings, visits, requests, cases): (
        Vec<BookingGroup>,
        Vec<Visit>,
        Vec<RequestGroup>,
        Vec<CaseGroup>,
    ) = tokio::try_join!(
        counted_rows(
            this,
            &["place", "d", "service", "state", "n", "youth", "moved"],
            &bookings_sql,
            (&start, &end),
        ),
        counted_rows(
            this,
            &["place", "d", "service", "booked", "handed", "state", "wait", "served",],
            &visits_sql,
            (&first_day, &last_day),
        ),
        counted_rows(
            this,
            &["place", "d", "state", "n"],
            &requests_sql,
            (&start, &end),
        ),
        counted_rows(
            this,
            &["place", "d", "dispute", "outcome", "referral", "n", "fen"],
            &cases_sql,
            (&start, &end),
        ),
    )?;

    for (place, day, svc, state, n, youth, moved) in bookings {
        let state = BookingState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("booking state {state}")))?;
        tallies
            .entry((LocationId(place), day))
            .or_default()
            .add_bookings(service(&svc)?, state, count(n), count(youth), count(moved));
    }
    for (place, day, svc, booked, handed_over, state, wait, served) in visits {
        tallies
            .entry((LocationId(place), day))
            .or_default()
            .add_visit(
                service(&svc)?,
                booked != 0,
                handed_over != 0,
                queue_state(&state)?,
                wait,
                served,
            );
    }
    for (place, day, state, n) in requests {
        let state = CaseState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("case state {state}")))?;
        tallies
            .entry((LocationId(place), day))
            .or_default()
            .add_requests(state, count(n));
    }
    for (place, day, dispute, outcome, referral, n, amount) in cases {
        let dispute = DisputeType::parse(&dispute)
            .ok_or_else(|| StoreError::Corrupt(format!("dispute type {dispute}")))?;
        let ending = match outcome {
            Some(o) => {
                Some(Ending::parse(&o).ok_or_else(|| StoreError::Corrupt(format!("outcome {o}")))?)
            }
            None => None,
        };
        let conclusion = Conclusion::of(ending, referral.as_deref().and_then(Referral::parse));
        tallies
            .entry((LocationId(place), day))
            .or_default()
            .add_cases(dispute, conclusion, count(n), amount);
    }
    Ok(tallies)
}

/// The months' versions kept in `table` (one of ours).
async fn versions(
    this: &This,
    table: &str,
    from: Month,
    to: Month,
) -> StoreResult<Vec<(Month, i64)>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT month, version FROM {table} WHERE month >= $1 AND month <= $2"
    ))
    .bind(from.key())
    .bind(to.key())
    .fetch_all(&this.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(month, version)| Some((Month::parse_key(&month)?, version)))
        .collect())
}

#[async_trait]
impl StatsStore for This {
    async fn tally_raw(
        &self,
        period: Period,
        only: Option<&[LocationId]>,
    ) -> StoreResult<HashMap<LocationId, Tally>> {
        let keyed = tally_keyed(self, period, only, false).await?;
        Ok(keyed
            .into_iter()
            .map(|((place, _), t)| (place, t))
            .collect())
    }

    async fn tally_days(
        &self,
        period: Period,
        only: Option<&[LocationId]>,
    ) -> StoreResult<HashMap<(LocationId, NaiveDate), Tally>> {
        tally_keyed(self, period, only, true)
            .await?
            .into_iter()
            .map(|((place, day), t)| {
                let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                    .map_err(|_| StoreError::Corrupt(format!("day {day}")))?;
                Ok(((place, day), t))
            })
            .collect()
    }

    async fn rollups(
        &self,
        from: Month,
        to: Month,
    ) -> StoreResult<Vec<(Month, LocationId, Tally)>> {
        let rows: Vec<(String, i64, Vec<u8>)> = sqlx::query_as(
            "SELECT month, location_id, tally FROM stats_rollups
             WHERE month >= $1 AND month <= $2",
        )
        .bind(from.key())
        .bind(to.key())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(month, place, tally)| {
                let month = Month::parse_key(&month)
                    .ok_or_else(|| StoreError::Corrupt(format!("roll-up month {month}")))?;
                let tally = Tally::from_bytes(&tally)
                    .map_err(|e| StoreError::Corrupt(format!("roll-up {}: {e}", month.key())))?;
                Ok((month, LocationId(place), tally))
            })
            .collect()
    }

    async fn stale_rollups(&self, from: Month, to: Month) -> StoreResult<Vec<StaleRollup>> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT month, location_id, gen FROM stats_stale
             WHERE month >= $1 AND month <= $2 AND gen > done_gen
             ORDER BY month, location_id",
        )
        .bind(from.key())
        .bind(to.key())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(month, place, generation)| {
                Some(StaleRollup {
                    month: Month::parse_key(&month)?,
                    location_id: LocationId(place),
                    generation,
                })
            })
            .collect())
    }

    async fn partial_rollups(&self, part: Period) -> StoreResult<Vec<(LocationId, Tally)>> {
        let month = Month::of(part.from);
        let rows: Vec<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT location_id, days FROM stats_daily_rollups WHERE month = $1")
                .bind(month.key())
                .fetch_all(&self.pool)
                .await?;
        let (first, last) = (part.from.day(), part.to.min(month.last_day()).day());
        rows.into_iter()
            .map(|(place, days)| {
                let tally = DailyTallies::sum_stored(&days, first, last).map_err(|e| {
                    StoreError::Corrupt(format!("daily roll-up {}: {e}", month.key()))
                })?;
                Ok((LocationId(place), tally))
            })
            .collect()
    }

    async fn rollup_versions(&self, from: Month, to: Month) -> StoreResult<Vec<(Month, i64)>> {
        versions(self, "stats_versions", from, to).await
    }

    async fn rating_versions(&self, from: Month, to: Month) -> StoreResult<Vec<(Month, i64)>> {
        versions(self, "rating_versions", from, to).await
    }

    async fn save_rollups(&self, rollups: &[Rollup]) -> StoreResult<Vec<SavedMonth>> {
        let mut tx = self.writer.begin().await?;
        let mut changed: BTreeMap<Month, Vec<LocationId>> = BTreeMap::new();
        for Rollup { stale, month, days } in rollups {
            // only a computation newer than the one saved may replace it
            let newer = sqlx::query(
                "UPDATE stats_stale SET done_gen = $3
                 WHERE month = $1 AND location_id = $2 AND done_gen < $3",
            )
            .bind(stale.month.key())
            .bind(stale.location_id.0)
            .bind(stale.generation)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if newer == 0 {
                continue;
            }
            changed
                .entry(stale.month)
                .or_default()
                .push(stale.location_id);
            for (table, column, bytes) in [
                (
                    "stats_rollups",
                    "tally",
                    (!month.is_empty()).then(|| month.to_bytes()),
                ),
                (
                    "stats_daily_rollups",
                    "days",
                    (!days.is_empty()).then(|| days.to_bytes()),
                ),
            ] {
                match bytes {
                    None => {
                        sqlx::query(&format!(
                            "DELETE FROM {table} WHERE month = $1 AND location_id = $2"
                        ))
                        .bind(stale.month.key())
                        .bind(stale.location_id.0)
                        .execute(&mut *tx)
                        .await?;
                    }
                    Some(bytes) => {
                        sqlx::query(&format!(
                            "INSERT INTO {table} (month, location_id, {column}) VALUES ($1, $2, $3)
                             ON CONFLICT (month, location_id)
                             DO UPDATE SET {column} = excluded.{column}"
                        ))
                        .bind(stale.month.key())
                        .bind(stale.location_id.0)
                        .bind(bytes)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
        }
        // in month order, so that concurrent savers take these rows' locks in one order
        let mut saved = Vec::new();
        for (month, places) in changed {
            let version: i64 = sqlx::query_scalar(
                "INSERT INTO stats_versions (month, version) VALUES ($1, 1)
                 ON CONFLICT (month) DO UPDATE SET version = stats_versions.version + 1
                 RETURNING version",
            )
            .bind(month.key())
            .fetch_one(&mut *tx)
            .await?;
            saved.push(SavedMonth {
                month,
                version,
                places,
            });
        }
        tx.commit().await?;
        Ok(saved)
    }
}

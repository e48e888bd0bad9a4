//! Use cases of statistics: a dashboard for a scope and a period, for those allowed to see it,
//! answered from monthly roll-ups (whole months) and daily roll-ups (the ragged ends).
//!
//! Roll-ups are never trusted blindly: the triggers of migration 0006 mark a place-month
//! stale whenever one of its bookings, queue entries or cases changes, and a dashboard first
//! recomputes the stale place-months it needs (the month's roll-up and its days, in one
//! pass). A background task does the same every few seconds, then reads into memory what the
//! page's usual periods need ([`Statistics::warm`]). A new instance, a new day or a change
//! then costs a page nothing, unless it is asked between a change and the next round.
//!
//! Decoded roll-ups are kept in memory per month part, with the month's version (migration
//! 0014) they were read at: every saved recomputation raises that version in the database,
//! so each instance rereads a month only after some instance recomputed it.
//!
//! The waiting list has no roll-ups: it is small (the people waiting now and lately), so its
//! figures are counted straight from its table on every request, one grouped query a period.
//! Ratings neither: they are few beside the bookings, and whether a poor rating's follow-up
//! is overdue depends on when the dashboard is asked (the use case's clock).

use crate::booking::Clock;
use crate::error::{kind_message, ErrorKind, UseCaseError};
use crate::store::{Rollup, Store, StoreError, StoreResult};
use crate::{Directory, ServiceError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::booking::FieldError;
use domain::slots::days_span;
use domain::staff::StaffAccount;
use domain::stats::{may_see_stats, DailyTallies, Dashboard, Month, Period, Scope, Tally};
use domain::LocationId;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    #[error("{}", .0.message)]
    Invalid(FieldError),
    #[error("没有这个网点")]
    NotFound,
    #[error("没有权限查看这个范围的统计")]
    Forbidden,
    #[error("internal error")]
    Internal,
}

impl UseCaseError for StatsError {
    fn kind(&self) -> ErrorKind {
        match self {
            StatsError::Invalid(_) => ErrorKind::Invalid,
            StatsError::NotFound => ErrorKind::NotFound,
            StatsError::Forbidden => ErrorKind::Forbidden,
            StatsError::Internal => ErrorKind::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            StatsError::Invalid(f) => Some(f.field),
            _ => None,
        }
    }

    /// The message in `lang`: the Chinese text is the `Display` one.
    fn message(&self, lang: domain::Lang) -> String {
        use domain::Lang;
        match (lang, self) {
            (_, StatsError::Internal) => kind_message(ErrorKind::Internal, lang).to_string(),
            (Lang::ZhCn, _) => self.to_string(),
            (Lang::En, StatsError::Invalid(f)) => f.message_in(lang).to_string(),
            (Lang::En, StatsError::NotFound) => "There is no such place".to_string(),
            (Lang::En, StatsError::Forbidden) => {
                "You do not have permission to see the statistics of this scope".to_string()
            }
        }
    }
}

impl From<ServiceError> for StatsError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => StatsError::NotFound,
            ServiceError::Internal => StatsError::Internal,
        }
    }
}

impl From<crate::store::StoreError> for StatsError {
    fn from(e: crate::store::StoreError) -> Self {
        ServiceError::from(e).into()
    }
}

#[derive(Clone)]
pub struct Statistics {
    store: Arc<dyn Store>,
    directory: Directory,
    /// "Now" for the ratings' follow-ups (still open, or overdue).
    clock: Clock,
    /// Decoded roll-ups, shared by the clones of this use case.
    cache: Arc<Mutex<RollupCache>>,
}

/// Every place's tallies of one month part (a whole month, or a stretch of one), as read at
/// the month's version. Each tally is shared too: a year's dashboard hands out about 6,600 of
/// them per request, which were copied one by one before.
type Part = Arc<Vec<(LocationId, Arc<Tally>)>>;

/// Tallies per month and place, shared with the cache (see [`Part`]).
pub type Tallies = Vec<(Month, LocationId, Arc<Tally>)>;

/// Decoded roll-ups by month part. Bounded by forgetting everything at [`CACHED_PARTS`]: a
/// year's dashboard and the year before are 24 parts, ragged periods add four.
#[derive(Default)]
struct RollupCache {
    parts: HashMap<Period, (i64, Part)>,
    /// Rating figures by month span and the local date they were counted on (a follow-up
    /// becomes overdue at midnight), with the month's ratings version.
    ratings: HashMap<RatingsKey, (i64, Part)>,
}

/// A month span `[from, to)` and the local date its rating figures were counted on.
type RatingsKey = (DateTime<Utc>, DateTime<Utc>, NaiveDate);

const CACHED_PARTS: usize = 160;

impl Statistics {
    pub fn new(store: Arc<dyn Store>, directory: Directory, clock: Clock) -> Self {
        Statistics {
            store,
            directory,
            clock,
            cache: Arc::default(),
        }
    }

    /// Reads `?scope=&from=&to=` as the API and the pages receive them.
    pub fn parse_query(scope: &str, from: &str, to: &str) -> Result<(Scope, Period), StatsError> {
        let scope = Scope::parse(scope).map_err(StatsError::Invalid)?;
        let period = Period::parse(from, to).map_err(StatsError::Invalid)?;
        Ok((scope, period))
    }

    /// The dashboard of `scope` over `period`, compared with the period before.
    pub async fn dashboard(
        &self,
        account: &StaffAccount,
        scope: Scope,
        period: Period,
    ) -> Result<Dashboard, StatsError> {
        let places = self.directory.all().await?;
        let place = match scope {
            Scope::District => None,
            Scope::Place(id) => Some(
                places
                    .iter()
                    .find(|p| p.id == id)
                    .ok_or(StatsError::NotFound)?,
            ),
        };
        if !may_see_stats(account, place) {
            return Err(StatsError::Forbidden);
        }
        let previous_period = period.previous();
        // the two periods are independent reads: run them side by side
        let (current, previous) =
            tokio::try_join!(self.tallies(period), self.tallies(previous_period))?;
        Ok(Dashboard::build(
            scope, period, &places, &current, &previous,
        ))
    }

    /// Every place's counts over `period`, per month (the ends may be partial months).
    pub async fn tallies(&self, period: Period) -> StoreResult<Tallies> {
        // independent reads, side by side: a page that must first recompute a changed
        // place-month reads the waiting list and the ratings meanwhile
        let (mut out, waitlist, ratings) = tokio::try_join!(
            self.rolled_up(period),
            self.waitlist_tallies(period),
            self.rating_tallies(period)
        )?;
        out.extend(waitlist);
        out.extend(ratings);
        Ok(out)
    }

    /// The part of [`Statistics::tallies`] that roll-ups answer (all but the waiting list and
    /// the ratings): whole months from monthly roll-ups, stretches from daily ones.
    pub async fn rolled_up(&self, period: Period) -> StoreResult<Tallies> {
        let (whole, partial) = period.split();
        let mut parts: Vec<(Month, Period)> = whole.iter().map(|m| (*m, m.period())).collect();
        parts.extend(partial.iter().map(|p| (Month::of(p.from), *p)));
        let mut out = Vec::new();
        let (first, last) = (Month::of(period.from), Month::of(period.to));
        self.refresh(first, last).await?;
        // versions before roll-ups: a part read after a newer save is only read again later
        let versions: HashMap<Month, i64> = self
            .store
            .rollup_versions(first, last)
            .await?
            .into_iter()
            .collect();
        for (month, part) in parts {
            let version = versions.get(&month).copied().unwrap_or(0);
            let tallies = self.part(month, part, version).await?;
            out.extend(
                tallies
                    .iter()
                    .map(|(place, t)| (month, *place, Arc::clone(t))),
            );
        }
        Ok(out)
    }

    /// Every place's roll-ups of `part` of `month` at `version`: from memory, or read (the
    /// month's roll-ups, or the sum of the days of a stretch of it).
    async fn part(&self, month: Month, part: Period, version: i64) -> StoreResult<Part> {
        let cached = {
            let cache = self.cache.lock().expect("roll-up cache");
            cache.parts.get(&part).cloned()
        };
        if let Some((v, tallies)) = cached {
            if v == version {
                return Ok(tallies);
            }
        }
        let tallies: Part = Arc::new(if part == month.period() {
            self.store
                .rollups(month, month)
                .await?
                .into_iter()
                .map(|(_, place, t)| (place, Arc::new(t)))
                .collect()
        } else {
            let days = self.store.partial_rollups(part).await?;
            days.into_iter()
                .map(|(place, t)| (place, Arc::new(t)))
                .collect()
        });
        let mut cache = self.cache.lock().expect("roll-up cache");
        if cache.parts.len() >= CACHED_PARTS {
            cache.parts.clear();
        }
        cache.parts.insert(part, (version, tallies.clone()));
        Ok(tallies)
    }

    /// Every place's waiting-list figures over `period`, per month and service, each thing
    /// by the local date it happened. Read directly, not from roll-ups: a waiting list is
    /// small, and one grouped query over it for the period costs less than keeping roll-ups
    /// of it fresh.
    async fn waitlist_tallies(&self, period: Period) -> StoreResult<Tallies> {
        let (from, to) = days_span(period.from, period.to)
            .ok_or_else(|| StoreError::Corrupt(format!("no such dates {period:?}")))?;
        let mut by_place: BTreeMap<(Month, LocationId), Tally> = BTreeMap::new();
        for ((month, place, service), w) in self
            .store
            .waitlist_tally(from.to_utc(), to.to_utc())
            .await?
        {
            by_place
                .entry((month, place))
                .or_default()
                .add_waitlist(service, &w);
        }
        Ok(by_place
            .into_iter()
            .map(|((month, place), t)| (month, place, Arc::new(t)))
            .collect())
    }

    /// Every place's rating figures over `period`, per month and service, each rating by the
    /// local date it was given and its follow-up as it stands now. Counted from the ratings
    /// (they are not rolled up: a follow-up's standing depends on the day it is asked), and
    /// kept in memory for the day until the month's ratings version moves.
    async fn rating_tallies(&self, period: Period) -> StoreResult<Tallies> {
        let now = (self.clock)();
        let today = domain::slots::local_date(&now);
        // versions before counting: figures counted after a newer change are only counted again
        let versions: HashMap<Month, i64> = self
            .store
            .rating_versions(Month::of(period.from), Month::of(period.to))
            .await?
            .into_iter()
            .collect();
        let mut out = Vec::new();
        for (month, from, to) in month_spans(period)? {
            let version = versions.get(&month).copied().unwrap_or(0);
            let key = (from, to, today);
            let cached = {
                let cache = self.cache.lock().expect("roll-up cache");
                cache.ratings.get(&key).cloned()
            };
            let part = match cached {
                Some((v, part)) if v == version => part,
                _ => {
                    let mut by_place: BTreeMap<LocationId, Tally> = BTreeMap::new();
                    for ((place, service), r) in self.store.rating_tally(from, to, now).await? {
                        by_place.entry(place).or_default().add_ratings(service, &r);
                    }
                    let part: Part = Arc::new(
                        by_place
                            .into_iter()
                            .map(|(p, t)| (p, Arc::new(t)))
                            .collect(),
                    );
                    let mut cache = self.cache.lock().expect("roll-up cache");
                    if cache.ratings.len() >= CACHED_PARTS {
                        cache.ratings.clear();
                    }
                    cache.ratings.insert(key, (version, part.clone()));
                    part
                }
            };
            out.extend(part.iter().map(|(place, t)| (month, *place, Arc::clone(t))));
        }
        Ok(out)
    }

    /// Recomputes the stale roll-ups of the months `from..=to`; returns how many.
    pub async fn refresh(&self, from: Month, to: Month) -> StoreResult<usize> {
        let stale = self.store.stale_rollups(from, to).await?;
        let mut by_month: BTreeMap<Month, Vec<_>> = BTreeMap::new();
        for s in stale {
            by_month.entry(s.month).or_default().push(s);
        }
        let mut done = 0;
        for (month, stale) in by_month {
            let places: Vec<LocationId> = stale.iter().map(|s| s.location_id).collect();
            // read after the markers: any change not in these counts has bumped its marker
            let raw = self.store.tally_days(month.period(), Some(&places)).await?;
            let mut by_place: HashMap<LocationId, Vec<_>> = HashMap::new();
            for ((place, day), tally) in raw {
                by_place.entry(place).or_default().push((day, tally));
            }
            let rollups: Vec<_> = stale
                .into_iter()
                .map(|s| {
                    let days =
                        DailyTallies::new(by_place.remove(&s.location_id).unwrap_or_default());
                    Rollup {
                        stale: s,
                        month: days.total(),
                        days,
                    }
                })
                .collect();
            done += rollups.len();
            let saved = self.store.save_rollups(&rollups).await?;
            self.patch(&rollups, &saved);
        }
        Ok(done)
    }

    /// Puts this instance's own saved recomputations into the month parts in memory, so that
    /// the page that recomputed them need not read the month again. Only a part read at the
    /// version just before the save is patched: it then equals the month at the new version
    /// (the save changed only these places). Any other part is left to be read again.
    fn patch(&self, rollups: &[Rollup], saved: &[crate::store::SavedMonth]) {
        let mut cache = self.cache.lock().expect("roll-up cache");
        for s in saved {
            let written: HashMap<LocationId, &Rollup> = rollups
                .iter()
                .filter(|r| r.stale.month == s.month && s.places.contains(&r.stale.location_id))
                .map(|r| (r.stale.location_id, r))
                .collect();
            for (part, (version, tallies)) in cache.parts.iter_mut() {
                if Month::of(part.from) != s.month || *version != s.version - 1 {
                    continue;
                }
                let whole = *part == s.month.period();
                let (first, last) = (part.from.day(), part.to.day());
                let mut next: Vec<(LocationId, Arc<Tally>)> = tallies
                    .iter()
                    .filter(|(place, _)| !written.contains_key(place))
                    .cloned()
                    .collect();
                // as the store would answer: a month's roll-up only where it is not empty, a
                // stretch's sum wherever the place has any day in the month
                for (place, r) in &written {
                    if whole && !r.month.is_empty() {
                        next.push((*place, Arc::new(r.month.clone())));
                    } else if !whole && !r.days.is_empty() {
                        next.push((*place, Arc::new(r.days.sum(first, last))));
                    }
                }
                *tallies = Arc::new(next);
                *version = s.version;
            }
        }
    }

    /// Reads into memory, at their current versions, the roll-ups and rating figures of the
    /// periods staff open most ([`Period::usual`] on today's date) and of the periods those
    /// are compared with, recomputing whatever of them is stale first. Cheap when nothing
    /// moved: a few version reads.
    pub async fn warm(&self) -> Result<(), StatsError> {
        // the places too: every dashboard names them
        self.directory.all().await?;
        let today = domain::slots::local_date(&(self.clock)());
        for period in Period::usual(today) {
            for period in [period, period.previous()] {
                self.rolled_up(period).await?;
                self.rating_tallies(period).await?;
            }
        }
        Ok(())
    }

    /// The month parts in memory, each with the version it was read at (for tests and the
    /// benchmark: what [`Statistics::warm`] left there).
    pub fn parts_in_memory(&self) -> Vec<(Period, i64)> {
        let cache = self.cache.lock().expect("roll-up cache");
        cache.parts.iter().map(|(p, (v, _))| (*p, *v)).collect()
    }

    /// One round of the background task: every stale roll-up recomputed, then the usual
    /// periods read into memory again where a version moved (or the day changed).
    pub async fn refresh_and_warm(&self) -> Result<usize, StatsError> {
        let (from, to) = (
            Month {
                year: 2000,
                month: 1,
            },
            Month {
                year: 9999,
                month: 12,
            },
        );
        let done = self.refresh(from, to).await?;
        self.warm().await?;
        Ok(done)
    }

    /// Runs [`Statistics::refresh_and_warm`] now and then every `every`, so that dashboards
    /// seldom wait. The handle stops it when aborted.
    pub fn spawn_refresher(&self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = this.refresh_and_warm().await {
                    tracing::warn!(error = %e, "statistics roll-up refresh failed");
                }
            }
        })
    }
}

/// A month (or the part of it in a period) and its UTC span `[from, to)`.
type MonthSpan = (Month, DateTime<Utc>, DateTime<Utc>);

/// The months (whole, or partial at the ends) of `period`, each with its UTC span.
fn month_spans(period: Period) -> StoreResult<Vec<MonthSpan>> {
    let (whole, partial) = period.split();
    let mut parts: Vec<Period> = whole.into_iter().map(Month::period).collect();
    parts.extend(partial);
    parts
        .into_iter()
        .map(|part| {
            let (from, to) = days_span(part.from, part.to)
                .ok_or_else(|| StoreError::Corrupt(format!("no such dates {part:?}")))?;
            Ok((Month::of(part.from), from.to_utc(), to.to_utc()))
        })
        .collect()
}

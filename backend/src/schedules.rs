//! Office heads change their places' opening hours: weekly rules (times, slot length,
//! capacity) and closures. A change never drops bookings silently: the bookings it would
//! displace are listed first, and only an explicit confirmation applies it, cancelling those
//! bookings (kept in the records) and telling their holders.

use crate::booking::Clock;
use crate::error::{kind_message, ErrorKind, UseCaseError};
use crate::notify::Notifier;
use crate::staff::Staff;
use crate::store::{BookingRecord, Store};
use crate::{Directory, ServiceError};
use chrono::{Duration, NaiveDate};
use domain::booking::FieldError;
use domain::notify::NoticeKind;
use domain::slots::{displaced_by_change, to_local, DateException, ExceptionKind, HeldSlot};
use domain::staff::{Action, StaffAccount};
use domain::{BookingState, HolidayCalendar, Location, LocationId, ServiceCode, WeeklySession};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("没有权限修改这个网点的服务时间")]
    Forbidden,
    #[error("没有找到")]
    NotFound,
    #[error("{0}")]
    Invalid(FieldError),
    /// The change would cancel these bookings; ask again with `confirm`.
    #[error("这项调整会取消 {} 个已有预约，请确认后再保存", .0.len())]
    NeedsConfirmation(Vec<BookingRecord>),
    #[error("internal error")]
    Internal,
}

impl UseCaseError for ScheduleError {
    fn kind(&self) -> ErrorKind {
        match self {
            ScheduleError::Forbidden => ErrorKind::Forbidden,
            ScheduleError::NotFound => ErrorKind::NotFound,
            ScheduleError::Invalid(_) => ErrorKind::Invalid,
            ScheduleError::NeedsConfirmation(_) => ErrorKind::Conflict,
            ScheduleError::Internal => ErrorKind::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            ScheduleError::Invalid(f) => Some(f.field),
            _ => None,
        }
    }

    /// The message in `lang`: the Chinese text is the `Display` one.
    fn message(&self, lang: domain::Lang) -> String {
        use domain::Lang;
        match (lang, self) {
            (_, ScheduleError::Internal) => kind_message(ErrorKind::Internal, lang).to_string(),
            (Lang::ZhCn, _) => self.to_string(),
            (Lang::En, ScheduleError::Forbidden) => {
                "You do not have permission to change this place's opening hours".to_string()
            }
            (Lang::En, ScheduleError::NotFound) => {
                "Not found; please refresh the page and try again".to_string()
            }
            (Lang::En, ScheduleError::Invalid(f)) => f.message_in(lang).to_string(),
            (Lang::En, ScheduleError::NeedsConfirmation(list)) => match list.len() {
                1 => "This change would cancel 1 existing booking; please confirm, then save \
                      again"
                    .to_string(),
                n => format!(
                    "This change would cancel {n} existing bookings; please confirm, then save \
                     again"
                ),
            },
        }
    }
}

impl From<ServiceError> for ScheduleError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => ScheduleError::NotFound,
            ServiceError::Internal => ScheduleError::Internal,
        }
    }
}

impl From<crate::store::StoreError> for ScheduleError {
    fn from(e: crate::store::StoreError) -> Self {
        ServiceError::from(e).into()
    }
}

/// What a schedule change did.
#[derive(Debug, Clone)]
pub struct Applied {
    /// Bookings cancelled by the change (their holders were told).
    pub cancelled: Vec<BookingRecord>,
}

#[derive(Clone)]
pub struct Schedules {
    store: Arc<dyn Store>,
    directory: Directory,
    bookings: crate::Bookings,
    staff: Staff,
    notifier: Option<Notifier>,
    clock: Clock,
}

impl Schedules {
    pub fn new(
        store: Arc<dyn Store>,
        directory: Directory,
        bookings: crate::Bookings,
        staff: Staff,
        notifier: Option<Notifier>,
        clock: Clock,
    ) -> Self {
        Schedules {
            store,
            directory,
            bookings,
            staff,
            notifier,
            clock,
        }
    }

    async fn place_for(
        &self,
        account: &StaffAccount,
        id: LocationId,
    ) -> Result<Location, ScheduleError> {
        let place = self.directory.location(id).await?;
        if account.may(Action::EditSchedules, Some(&place)) {
            Ok(place)
        } else {
            Err(ScheduleError::Forbidden)
        }
    }

    /// The weekly rules of each service at a place, as text lines.
    pub async fn current(
        &self,
        account: &StaffAccount,
        place: LocationId,
    ) -> Result<Vec<(ServiceCode, Vec<String>)>, ScheduleError> {
        let place = self.place_for(account, place).await?;
        Ok(place
            .services
            .iter()
            .map(|o| {
                (
                    o.service,
                    o.sessions.iter().map(|s| s.to_string()).collect(),
                )
            })
            .collect())
    }

    /// The future bookings of a service at a place, oldest booking first.
    async fn held(
        &self,
        place: &Location,
        service: ServiceCode,
    ) -> Result<Vec<BookingRecord>, ScheduleError> {
        let now = (self.clock)();
        let mut held: Vec<BookingRecord> = self
            .store
            .bookings_between(place.id, now, now + Duration::days(400))
            .await?
            .into_iter()
            .filter(|b| b.service == service && b.state == BookingState::Booked)
            .collect();
        held.sort_by_key(|b| (b.created_at, b.id));
        Ok(held)
    }

    fn displaced(
        &self,
        sessions: &[WeeklySession],
        exceptions: &[DateException],
        held: &[BookingRecord],
    ) -> Vec<BookingRecord> {
        let slots: Vec<HeldSlot> = held
            .iter()
            .map(|b| HeldSlot {
                booking_id: b.id,
                start: to_local(&b.start),
                end: to_local(&b.end),
            })
            .collect();
        let calendar: HolidayCalendar = self.bookings.calendar();
        let ids = displaced_by_change(sessions, exceptions, &calendar, &slots);
        held.iter()
            .filter(|b| ids.contains(&b.id))
            .cloned()
            .collect()
    }

    async fn stored_exceptions(
        &self,
        place: &Location,
        service: ServiceCode,
    ) -> Result<Vec<DateException>, ScheduleError> {
        let today = domain::slots::local_date(&(self.clock)());
        Ok(self
            .store
            .date_exceptions(place.id, service, today, today + Duration::days(400))
            .await?
            .into_iter()
            .filter_map(|e| match e.session {
                None => Some(DateException {
                    date: e.date,
                    kind: ExceptionKind::Closed,
                }),
                Some(text) => {
                    domain::slots::ExtraSession::parse(&text)
                        .ok()
                        .map(|s| DateException {
                            date: e.date,
                            kind: ExceptionKind::Extra(s),
                        })
                }
            })
            .collect())
    }

    /// Cancels displaced bookings and tells their holders.
    async fn withdraw(&self, place: &Location, displaced: &[BookingRecord]) -> Vec<BookingRecord> {
        let mut out = Vec::new();
        for b in displaced {
            // the slot is going away: its seat is not offered to the waiting list
            match self
                .store
                .cancel_booking(&b.code, (self.clock)(), None)
                .await
            {
                Ok(Ok(freed)) => {
                    let mut rec = freed.record;
                    rec.state = BookingState::Cancelled;
                    if let Some(n) = &self.notifier {
                        n.enqueue(NoticeKind::Withdrawn, &rec, place).await;
                    }
                    out.push(rec);
                }
                Ok(Err(_)) => {}
                Err(e) => tracing::error!(error = %e, "could not cancel a displaced booking"),
            }
        }
        out
    }

    /// Sends the seats held for waiting residents in slots the new rules and exceptions no
    /// longer have (or have fewer seats in than are booked and held) back: each entry is
    /// withdrawn to waiting, keeping its place in line, and the seat is freed with the slot.
    /// Bookings kept come first: `kept` are the bookings that stay, oldest first.
    async fn withdraw_holds(
        &self,
        place: &Location,
        service: ServiceCode,
        sessions: &[WeeklySession],
        exceptions: &[DateException],
        kept: &[BookingRecord],
    ) {
        let entries = match self.store.waitlist_at(place.id).await {
            Ok(e) => e,
            Err(e) => {
                tracing::error!(error = %e, "could not read the waiting list for a schedule change");
                return;
            }
        };
        let holds: Vec<(domain::waitlist::EntryId, HeldSlot)> = entries
            .iter()
            .filter(|r| r.entry.service == service)
            .filter_map(|r| {
                let o = r.entry.state.offer()?;
                // negative: told apart from the bookings' ids
                let slot = HeldSlot {
                    booking_id: -r.entry.id.0,
                    start: o.slot.start,
                    end: o.slot.end,
                };
                Some((r.entry.id, slot))
            })
            .collect();
        if holds.is_empty() {
            return;
        }
        let mut slots: Vec<HeldSlot> = kept
            .iter()
            .map(|b| HeldSlot {
                booking_id: b.id,
                start: to_local(&b.start),
                end: to_local(&b.end),
            })
            .collect();
        slots.extend(holds.iter().map(|(_, h)| h.clone()));
        let calendar: HolidayCalendar = self.bookings.calendar();
        let gone = displaced_by_change(sessions, exceptions, &calendar, &slots);
        let rules = domain::waitlist::HoldRules::default();
        for (id, _) in holds.iter().filter(|(id, _)| gone.contains(&-id.0)) {
            let step = domain::waitlist::Step::Withdraw;
            match self
                .store
                .step_waitlist_entry(*id, step, (self.clock)(), &rules)
                .await
            {
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "could not withdraw a held seat"),
            }
        }
    }

    /// New weekly rules for a service at a place (`lines` like `mon-fri 09:00-11:30 30min x2`).
    pub async fn change_weekly(
        &self,
        account: &StaffAccount,
        place: LocationId,
        service: ServiceCode,
        lines: &[String],
        confirm: bool,
    ) -> Result<Applied, ScheduleError> {
        let place = self.place_for(account, place).await?;
        if place.offers(service).is_none() || service == ServiceCode::Mediation {
            return Err(ScheduleError::Invalid(FieldError::new(
                "service",
                "这个网点没有这项可预约的服务",
                "This service cannot be booked at this place",
            )));
        }
        let mut sessions = Vec::new();
        for (i, line) in lines.iter().filter(|l| !l.trim().is_empty()).enumerate() {
            let s = WeeklySession::parse(line).map_err(|e| {
                ScheduleError::Invalid(FieldError::new(
                    "sessions",
                    format!("第 {} 条：{e}", i + 1),
                    format!("Rule {}: {}", i + 1, e.message(domain::Lang::En)),
                ))
            })?;
            sessions.push(s);
        }
        let held = self.held(&place, service).await?;
        let exceptions = self.stored_exceptions(&place, service).await?;
        let displaced = self.displaced(&sessions, &exceptions, &held);
        if !displaced.is_empty() && !confirm {
            return Err(ScheduleError::NeedsConfirmation(displaced));
        }
        let before = place
            .offers(service)
            .map(|o| {
                o.sessions
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        self.store
            .replace_weekly_sessions(place.id, service, &sessions)
            .await?;
        self.directory.invalidate();
        let cancelled = self.withdraw(&place, &displaced).await;
        let kept: Vec<BookingRecord> = held
            .into_iter()
            .filter(|b| !displaced.iter().any(|d| d.id == b.id))
            .collect();
        self.withdraw_holds(&place, service, &sessions, &exceptions, &kept)
            .await;
        let after = sessions
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("; ");
        self.staff
            .audit(
                account,
                "schedule_changed",
                Some(place.id),
                Some(service.code().to_string()),
                Some((before, after)),
            )
            .await;
        Ok(Applied { cancelled })
    }

    /// Closes a service at a place on a date (a holiday of the office, a training day).
    pub async fn close_day(
        &self,
        account: &StaffAccount,
        place: LocationId,
        service: ServiceCode,
        date: NaiveDate,
        note: &str,
        confirm: bool,
    ) -> Result<Applied, ScheduleError> {
        let place = self.place_for(account, place).await?;
        if date < domain::slots::local_date(&(self.clock)()) {
            return Err(ScheduleError::Invalid(FieldError::new(
                "date",
                "不能关闭已经过去的日期",
                "A day that has already passed cannot be closed",
            )));
        }
        let offer = place.offers(service).ok_or_else(|| {
            ScheduleError::Invalid(FieldError::new(
                "service",
                "这个网点没有这项服务",
                "This place does not offer this service",
            ))
        })?;
        let held = self.held(&place, service).await?;
        let mut exceptions = self.stored_exceptions(&place, service).await?;
        exceptions.push(DateException {
            date,
            kind: ExceptionKind::Closed,
        });
        let displaced = self.displaced(&offer.sessions, &exceptions, &held);
        if !displaced.is_empty() && !confirm {
            return Err(ScheduleError::NeedsConfirmation(displaced));
        }
        let note: String = note.trim().chars().take(100).collect();
        self.store
            .add_closure(place.id, service, date, &note)
            .await?;
        self.bookings.exceptions_changed(place.id);
        let cancelled = self.withdraw(&place, &displaced).await;
        let kept: Vec<BookingRecord> = held
            .into_iter()
            .filter(|b| !displaced.iter().any(|d| d.id == b.id))
            .collect();
        self.withdraw_holds(&place, service, &offer.sessions, &exceptions, &kept)
            .await;
        self.staff
            .audit(
                account,
                "day_closed",
                Some(place.id),
                Some(format!("{} {date}", service.code())),
                None,
            )
            .await;
        Ok(Applied { cancelled })
    }
}

//! Use cases of residents' bookings: free slots, book, look up, cancel, reschedule, and
//! alternatives when a slot is full. Rules come from `domain`; seats are counted by the store.

use crate::error::{kind_message, ErrorKind, UseCaseError};
use crate::events::{Event, Events};
use crate::store::{self, BookingRecord, NewBookingRecord, Store, StoredException};
use crate::verify::{PhoneProof, PhoneVerifier, VerifyError};
use crate::ServiceError;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use domain::booking::{
    check_fairness, check_youth, FairnessError, FairnessLimits, FieldError, MobilePhone,
    ResidentForm,
};
use domain::calendar::{parse_holiday_year, CalendarFileError, HolidayCalendar};
use domain::slots::{self, to_local, DateException, ExceptionKind, ExtraSession};
use domain::{
    BookingCode, BookingState, BookingWindow, Lang, Location, LocationId, ServiceCode, Slot,
};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// A booking's local start and end.
type Interval = (DateTime<FixedOffset>, DateTime<FixedOffset>);

/// Where "now" comes from; tests pass a fixed instant.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

#[derive(Debug, Clone, Default)]
pub struct BookingConfig {
    pub window: BookingWindow,
    pub limits: FairnessLimits,
}

/// A slot with how many seats are left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotAvailability {
    pub slot: Slot,
    pub remaining: u16,
}

/// A bookable slot at some place, offered when the asked-for slot is full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    pub location_id: LocationId,
    pub location_name: String,
    pub slot: SlotAvailability,
}

/// What a resident submits, as typed; every field is checked here.
#[derive(Debug, Clone, Default)]
pub struct BookingRequest {
    pub location_id: i64,
    pub service: String,
    pub start: String,
    pub name: String,
    pub phone: String,
    pub topic: String,
    pub account: Option<String>,
    pub youth: bool,
    pub consent: bool,
    /// That the phone is the resident's (a code, or a browser that verified it).
    pub proof: PhoneProof,
}

/// One line of a booking's history.
pub use crate::store::BookingEvent as HistoryEvent;

#[derive(Debug, thiserror::Error)]
pub enum BookingError {
    #[error("{0}")]
    Invalid(FieldError),
    /// The slot has no seat left; nearby alternatives, soonest first.
    #[error("这个时段已约满，请选择其他时段")]
    Full { alternatives: Vec<Alternative> },
    /// A fairness rule or the booking's state forbids it; the reason says why.
    #[error("{0}")]
    Refused(Refusal),
    /// Unknown code or wrong phone: the same answer for both, so codes cannot be probed.
    #[error("没有找到这个预约，请核对预约码和手机号")]
    NotFound,
    #[error("internal error")]
    Internal,
}

impl From<ServiceError> for BookingError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => BookingError::NotFound,
            ServiceError::Internal => BookingError::Internal,
        }
    }
}

impl From<VerifyError> for BookingError {
    fn from(e: VerifyError) -> Self {
        match e {
            VerifyError::Invalid(f) | VerifyError::Stale(f) => BookingError::Invalid(f),
            // confirming never issues a code, so no cap applies
            VerifyError::TooManyCodes(_) | VerifyError::Internal => BookingError::Internal,
        }
    }
}

impl From<crate::store::StoreError> for BookingError {
    fn from(e: crate::store::StoreError) -> Self {
        ServiceError::from(e).into()
    }
}

impl UseCaseError for BookingError {
    fn kind(&self) -> ErrorKind {
        match self {
            BookingError::Invalid(_) => ErrorKind::Invalid,
            BookingError::Full { .. } => ErrorKind::Conflict,
            BookingError::Refused(_) => ErrorKind::Refused,
            BookingError::NotFound => ErrorKind::NotFound,
            BookingError::Internal => ErrorKind::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            BookingError::Invalid(f) => Some(f.field),
            _ => None,
        }
    }

    /// The message in `lang`: the Chinese text is the `Display` one.
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (_, BookingError::Internal) => kind_message(ErrorKind::Internal, lang).to_string(),
            (Lang::ZhCn, _) => self.to_string(),
            (Lang::En, BookingError::Invalid(f)) => f.message_in(lang).to_string(),
            (Lang::En, BookingError::Full { .. }) => {
                "This time is fully booked; please choose another time".to_string()
            }
            (Lang::En, BookingError::Refused(r)) => r.message(lang),
            (Lang::En, BookingError::NotFound) => "No booking was found. Please check the \
                booking code and the mobile number you booked with"
                .to_string(),
        }
    }
}

/// Why a booking cannot be made, changed or cancelled: the reason of
/// [`BookingError::Refused`]. `Display` is the Chinese text the API sends.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A fairness rule: too many unfinished bookings, or one at the same time.
    #[error("{0}")]
    Fairness(FairnessError),
    /// The booking's state no longer allows the change or the cancellation.
    #[error("{0}")]
    NotActive(NotActive),
}

impl Refusal {
    /// The reason in `lang`: the Chinese text is the `Display` one.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Refusal::Fairness(e) => e.message(lang),
            Refusal::NotActive(r) => r.message(lang),
        }
    }
}

/// A booking whose state no longer allows a change or a cancellation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotActive {
    #[error("这个预约当前为“{}”，不能再更改", .0.label_zh())]
    Change(BookingState),
    #[error("这个预约当前为“{}”，不能取消", .0.label_zh())]
    Cancel(BookingState),
}

impl NotActive {
    /// Every reason, in every state.
    pub fn all() -> impl Iterator<Item = NotActive> {
        BookingState::ALL
            .into_iter()
            .flat_map(|s| [NotActive::Change(s), NotActive::Cancel(s)])
    }

    /// The reason in `lang`: the Chinese text is the `Display` one.
    pub fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::ZhCn, _) => self.to_string(),
            (Lang::En, NotActive::Change(s)) => format!(
                "This booking's status is “{}”, so it can no longer be changed",
                s.label_en()
            ),
            (Lang::En, NotActive::Cancel(s)) => format!(
                "This booking's status is “{}”, so it cannot be cancelled",
                s.label_en()
            ),
        }
    }
}

impl From<NotActive> for BookingError {
    fn from(r: NotActive) -> Self {
        BookingError::Refused(Refusal::NotActive(r))
    }
}

impl From<FairnessError> for BookingError {
    fn from(e: FairnessError) -> Self {
        BookingError::Refused(Refusal::Fairness(e))
    }
}

const NOT_BOOKABLE_EN: &str = "This time cannot be booked (it is outside the opening hours, or \
                               too late to book); please choose another time";

fn invalid(field: &'static str, zh: &str, en: &str) -> BookingError {
    BookingError::Invalid(FieldError::new(field, zh, en))
}

#[derive(Clone)]
pub struct Bookings {
    store: Arc<dyn Store>,
    directory: crate::Directory,
    config: BookingConfig,
    clock: Clock,
    calendar: Arc<RwLock<HolidayCalendar>>,
    /// Tells residents about confirmations, changes and cancellations (when configured).
    notifier: Option<crate::notify::Notifier>,
    /// Tells other instances about loaded holiday years.
    events: Option<Events>,
    /// Proves residents' phones before bookings and changes (none: nobody is asked).
    verifier: Option<PhoneVerifier>,
    /// Texts residents the seats that cancellations and moves offer them (when configured).
    waitlist: Option<crate::waitlist::Waitlist>,
    /// Closures and extra sessions inside the booking window, shared by the clones.
    exceptions: Arc<RwLock<ExceptionCache>>,
}

/// Closures and extra sessions per place and service over the booking window, in memory:
/// every booking and every slot list needs them, and they change only when staff close a
/// day ([`Bookings::exceptions_changed`], which also tells the other instances). Bounded by
/// the places and their services: only a place's offered service is ever a key.
#[derive(Default)]
struct ExceptionCache {
    by_offer: HashMap<(LocationId, ServiceCode), WindowExceptions>,
    /// Moves on every change, so that a read that raced with one is not kept.
    generation: u64,
}

/// The exceptions of one service at one place over the local days `from..=to`.
struct WindowExceptions {
    from: NaiveDate,
    to: NaiveDate,
    list: Arc<Vec<DateException>>,
}

/// Forgets the closures and extra sessions kept in memory of one place (or of all).
fn forget_exceptions(cache: &RwLock<ExceptionCache>, place: Option<LocationId>) {
    let mut cache = cache.write().expect("exception cache lock");
    cache.generation += 1;
    match place {
        Some(place) => cache.by_offer.retain(|(p, _), _| *p != place),
        None => cache.by_offer.clear(),
    }
}

/// Stored closures and extra sessions as the slot rules read them.
fn parse_exceptions(stored: Vec<StoredException>) -> Vec<DateException> {
    stored
        .into_iter()
        .filter_map(|StoredException { date, session }| {
            let kind = match session {
                None => ExceptionKind::Closed,
                Some(text) => match ExtraSession::parse(&text) {
                    Ok(s) => ExceptionKind::Extra(s),
                    Err(e) => {
                        tracing::error!(error = %e, "stored extra session does not parse");
                        return None;
                    }
                },
            };
            Some(DateException { date, kind })
        })
        .collect()
}

/// The holiday years kept in the database.
async fn stored_calendar(store: &dyn Store) -> Result<HolidayCalendar, ServiceError> {
    let mut calendar = HolidayCalendar::new();
    for body in store.holiday_files().await? {
        match parse_holiday_year(&body) {
            Ok(year) => {
                calendar.insert(year);
            }
            Err(e) => tracing::error!(error = %e, "a stored holiday file no longer parses"),
        }
    }
    Ok(calendar)
}

impl Bookings {
    /// Loads the holiday years kept in the database.
    pub async fn new(
        store: Arc<dyn Store>,
        directory: crate::Directory,
        config: BookingConfig,
        clock: Clock,
    ) -> Result<Self, ServiceError> {
        let calendar = stored_calendar(store.as_ref()).await?;
        Ok(Bookings {
            store,
            directory,
            config,
            clock,
            calendar: Arc::new(RwLock::new(calendar)),
            notifier: None,
            events: None,
            verifier: None,
            waitlist: None,
            exceptions: Arc::default(),
        })
    }

    /// Keeps the holiday calendar and the closures in memory in step with every instance:
    /// reloads the calendar when another instance loads a holiday year, forgets a place's
    /// closures when another instance closes a day there (everything when events were
    /// missed), and announces its own changes.
    pub fn follow(mut self, events: &Events) -> Self {
        let mut changes = events.subscribe();
        let (store, calendar) = (self.store.clone(), self.calendar.clone());
        let exceptions = self.exceptions.clone();
        tokio::spawn(async move {
            use tokio::sync::broadcast::error::RecvError;
            loop {
                let event = changes.recv().await;
                if matches!(
                    event,
                    Ok(Event::PlacesChanged | Event::Resync) | Err(RecvError::Lagged(_))
                ) {
                    forget_exceptions(&exceptions, None);
                }
                match event {
                    Ok(Event::HolidaysChanged | Event::Resync) | Err(RecvError::Lagged(_)) => {
                        match stored_calendar(store.as_ref()).await {
                            Ok(c) => *calendar.write().expect("calendar lock") = c,
                            Err(e) => tracing::error!(error = %e, "holiday calendar not reloaded"),
                        }
                    }
                    Ok(Event::SchedulesChanged(place)) => {
                        forget_exceptions(&exceptions, Some(place));
                    }
                    Ok(_) => {}
                    Err(RecvError::Closed) => break,
                }
            }
        });
        self.events = Some(events.clone());
        self
    }

    /// Sends residents messages about their bookings through `notifier`.
    pub fn with_notifier(mut self, notifier: crate::notify::Notifier) -> Self {
        self.notifier = Some(notifier);
        self
    }

    /// Texts residents the seats freed here offer them, with `waitlist`'s hold.
    pub fn with_waitlist(mut self, waitlist: crate::waitlist::Waitlist) -> Self {
        self.waitlist = Some(waitlist);
        self
    }

    /// Asks for proof of the phone through `verifier` before a booking or a change.
    pub fn with_verifier(mut self, verifier: PhoneVerifier) -> Self {
        self.verifier = Some(verifier);
        self
    }

    /// Whether `phone` is proved by `proof` (always, without a verifier).
    async fn confirm_phone(&self, phone: &str, proof: &PhoneProof) -> Result<(), BookingError> {
        let Some(v) = &self.verifier else {
            return Ok(());
        };
        let phone = MobilePhone::parse(phone).map_err(BookingError::Invalid)?;
        Ok(v.confirm(&phone, proof).await?)
    }

    async fn notify(&self, kind: domain::notify::NoticeKind, booking: &BookingRecord) {
        let Some(n) = &self.notifier else { return };
        match self.directory.location(booking.location_id).await {
            Ok(place) => n.enqueue(kind, booking, &place).await,
            Err(e) => tracing::error!(error = %e, "no place for a notification"),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub fn config(&self) -> &BookingConfig {
        &self.config
    }

    /// First and last local day of the booking window as of now.
    pub fn window_days(&self) -> (NaiveDate, NaiveDate) {
        let now = self.now();
        (
            self.config.window.first_day(now),
            self.config.window.last_day(now),
        )
    }

    /// Checks a holiday file, stores it and uses it from now on (no rebuild, no restart).
    pub async fn load_holiday_file(
        &self,
        text: &str,
    ) -> Result<Result<i32, CalendarFileError>, ServiceError> {
        let year = match parse_holiday_year(text) {
            Ok(y) => y,
            Err(e) => return Ok(Err(e)),
        };
        self.store
            .save_holiday_file(year.year, &year.source, text)
            .await?;
        let number = year.year;
        self.calendar.write().expect("calendar lock").insert(year);
        if let Some(events) = &self.events {
            events.publish(Event::HolidaysChanged);
        }
        Ok(Ok(number))
    }

    /// A copy of the holiday calendar in use.
    pub fn calendar(&self) -> HolidayCalendar {
        self.calendar.read().expect("calendar lock").clone()
    }

    pub fn has_holiday_year(&self, year: i32) -> bool {
        self.calendar.read().expect("calendar lock").has_year(year)
    }

    /// Years inside the booking window whose holiday schedule is not loaded, with the warning
    /// admins should see.
    pub fn holiday_warning(&self) -> Option<String> {
        let (first, last) = self.window_days();
        let cal = self.calendar.read().expect("calendar lock");
        let missing = cal.missing_years(first, last);
        domain::calendar::missing_years_warning(&missing)
    }

    /// Closures and extra sessions of a service at a place over `from..=to` (it may hold
    /// more days: the callers match by date). From memory inside the booking window.
    async fn exceptions(
        &self,
        place: &Location,
        service: ServiceCode,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Arc<Vec<DateException>>, BookingError> {
        let (first, last) = self.window_days();
        if from < first || to > last {
            let stored = self
                .store
                .date_exceptions(place.id, service, from, to)
                .await?;
            return Ok(Arc::new(parse_exceptions(stored)));
        }
        let key = (place.id, service);
        let generation = {
            let cache = self.exceptions.read().expect("exception cache lock");
            if let Some(w) = cache.by_offer.get(&key) {
                if w.from <= from && to <= w.to {
                    return Ok(w.list.clone());
                }
            }
            cache.generation
        };
        let stored = self
            .store
            .date_exceptions(place.id, service, first, last)
            .await?;
        let list = Arc::new(parse_exceptions(stored));
        let mut cache = self.exceptions.write().expect("exception cache lock");
        // a day closed while this was read: the next caller reads again
        if cache.generation == generation {
            cache.by_offer.insert(
                key,
                WindowExceptions {
                    from: first,
                    to: last,
                    list: list.clone(),
                },
            );
        }
        Ok(list)
    }

    /// A place's closures or extra sessions changed: forgets them here and tells the other
    /// instances to do the same.
    pub fn exceptions_changed(&self, place: LocationId) {
        forget_exceptions(&self.exceptions, Some(place));
        if let Some(events) = &self.events {
            events.publish(Event::SchedulesChanged(place));
        }
    }

    /// Free and full slots of a service at a place between two local dates (inclusive),
    /// limited to the booking window.
    pub async fn slots(
        &self,
        place: &Location,
        service: ServiceCode,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SlotAvailability>, BookingError> {
        let Some(offer) = place.offers(service) else {
            return Ok(vec![]);
        };
        if from > to || (to - from).num_days() > 62 {
            return Err(invalid(
                "to",
                "查询范围最多 62 天，且结束日期不能早于开始日期",
                "You can look at most 62 days at once, and the end date cannot be earlier than \
                 the start date",
            ));
        }
        let exceptions = self.exceptions(place, service, from, to).await?;
        let now = self.now();
        let list = {
            let cal = self.calendar.read().expect("calendar lock");
            slots::slots(
                &offer.sessions,
                &exceptions,
                &cal,
                &self.config.window,
                now,
                from,
                to,
            )
        };
        let (Some(first), Some(last)) = (list.first(), list.last()) else {
            return Ok(vec![]);
        };
        let taken = self
            .store
            .seats_taken(
                place.id,
                service,
                first.start.with_timezone(&Utc),
                last.start.with_timezone(&Utc) + Duration::seconds(1),
            )
            .await?;
        Ok(list
            .into_iter()
            .map(|slot| {
                let used = taken
                    .get(&slot.start.with_timezone(&Utc))
                    .copied()
                    .unwrap_or(0);
                let remaining = u32::from(slot.capacity).saturating_sub(used) as u16;
                SlotAvailability { slot, remaining }
            })
            .collect())
    }

    /// The slot starting at `start`, if it is a real slot inside the window.
    async fn slot_at(
        &self,
        place: &Location,
        service: ServiceCode,
        start: DateTime<FixedOffset>,
    ) -> Result<Option<Slot>, BookingError> {
        let Some(offer) = place.offers(service) else {
            return Ok(None);
        };
        let date = slots::local_date(&start);
        let exceptions = self.exceptions(place, service, date, date).await?;
        let cal = self.calendar.read().expect("calendar lock");
        Ok(slots::find_slot(
            &offer.sessions,
            &exceptions,
            &cal,
            &self.config.window,
            self.now(),
            &start,
        ))
    }

    fn fairness_check(&self, new: Interval) -> crate::store::FairnessCheck {
        let limits = self.config.limits;
        Arc::new(move |existing: &[Interval]| check_fairness(existing, new, &limits))
    }

    /// Books a seat. Every field is validated before anything is written.
    pub async fn book(&self, req: &BookingRequest) -> Result<BookingRecord, BookingError> {
        let place = match self.directory.location(LocationId(req.location_id)).await {
            Ok(p) => p,
            Err(ServiceError::NotFound) => {
                return Err(invalid(
                    "location_id",
                    "没有这个服务网点",
                    "There is no such service point; please choose one from the list",
                ))
            }
            Err(e) => return Err(e.into()),
        };
        let place = &place;
        let service: ServiceCode = req.service.parse().map_err(|_| {
            invalid(
                "service",
                "没有这项服务",
                "There is no such service; please choose one from the list",
            )
        })?;
        if service == ServiceCode::Mediation {
            return Err(invalid(
                "service",
                "人民调解请通过调解申请提交，无需预约时段",
                "For people's mediation, please send a mediation request instead; no time slot is \
                 needed",
            ));
        }
        if place.offers(service).is_none() {
            return Err(invalid(
                "service",
                "这个网点不提供这项服务",
                "This service point does not offer this service; please choose another",
            ));
        }
        let start = DateTime::parse_from_rfc3339(req.start.trim()).map_err(|_| {
            invalid(
                "start",
                "请选择预约时段（时间格式应为 RFC 3339，例如 2026-03-03T09:00:00+08:00）",
                "Please choose a time (written as RFC 3339, for example \
                 2026-03-03T09:00:00+08:00)",
            )
        })?;
        let form = ResidentForm {
            name: req.name.clone(),
            phone: req.phone.clone(),
            topic: req.topic.clone(),
            account: req.account.clone().unwrap_or_default(),
            youth: req.youth,
            consent: req.consent,
        };
        // the youth declaration is checked below, once the slot is known
        let details = form.check(service, false).map_err(|errors| {
            BookingError::Invalid(errors.into_iter().next().expect("an error"))
        })?;
        let slot = self.slot_at(place, service, start).await?.ok_or_else(|| {
            invalid(
                "start",
                "这个时段不可预约（不在开放时间内，或已过预约期限）",
                NOT_BOOKABLE_EN,
            )
        })?;
        check_youth(slot.youth_only, req.youth).map_err(BookingError::Invalid)?;
        // last, so that a code is used only by a request that is otherwise right
        self.confirm_phone(details.phone.as_str(), &req.proof)
            .await?;

        let now = self.now();
        let fairness = self.fairness_check((slot.start, slot.end));
        // A fresh code per attempt; a collision (one in 2^49) just tries again.
        for _ in 0..3 {
            let code = BookingCode::generate(&mut rand_core::OsRng);
            let record = NewBookingRecord {
                code: code.as_str().to_string(),
                location_id: place.id,
                service,
                start: slot.start.with_timezone(&Utc),
                end: slot.end.with_timezone(&Utc),
                name: details.name.as_str().to_string(),
                phone: details.phone.as_str().to_string(),
                topic: details.topic.code().to_string(),
                account: details.account.as_ref().map(|a| a.as_str().to_string()),
                youth: req.youth,
                created_at: now,
            };
            // the confirmation goes into the outbox in the booking's own transaction: one
            // commit for both instead of a second one per booking
            let notice = self
                .notifier
                .as_ref()
                .and_then(|n| n.confirmation(&record, place));
            let created = self
                .store
                .create_booking_with_notice(&record, slot.capacity, fairness.clone(), notice)
                .await;
            match created {
                Ok(Ok(saved)) => return Ok(saved),
                Ok(Err(refusal)) => {
                    return Err(self.refusal(refusal, place, service, slot.start).await)
                }
                // the code was drawn before
                Err(e) if e.is_unique_violation() => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(BookingError::Internal)
    }

    async fn refusal(
        &self,
        refusal: store::Refusal,
        place: &Location,
        service: ServiceCode,
        start: DateTime<FixedOffset>,
    ) -> BookingError {
        match refusal {
            store::Refusal::Full => BookingError::Full {
                alternatives: self
                    .alternatives(place, service, start)
                    .await
                    .unwrap_or_default(),
            },
            store::Refusal::Fairness(e) => e.into(),
            store::Refusal::NotActive(state) => NotActive::Change(state).into(),
            store::Refusal::NotFound => BookingError::NotFound,
        }
    }

    /// Finds a booking by code and phone; a wrong phone looks exactly like an unknown code.
    pub async fn find(&self, code: &str, phone: &str) -> Result<BookingRecord, BookingError> {
        let (Ok(code), Ok(phone)) = (BookingCode::parse(code), MobilePhone::parse(phone)) else {
            return Err(BookingError::NotFound);
        };
        match self.store.booking_by_code(code.as_str()).await? {
            // compared without an early exit, so timing tells nothing of the number
            Some(b)
                if domain::verify::constant_time_eq(
                    b.phone.as_bytes(),
                    phone.as_str().as_bytes(),
                ) =>
            {
                Ok(b)
            }
            _ => Err(BookingError::NotFound),
        }
    }

    /// A booking by its code alone. Only for a device that already proved it holds the code
    /// and the phone number (it booked, or looked the booking up): the caller checks that.
    pub async fn find_remembered(&self, code: &str) -> Result<BookingRecord, BookingError> {
        let Ok(code) = BookingCode::parse(code) else {
            return Err(BookingError::NotFound);
        };
        self.store
            .booking_by_code(code.as_str())
            .await?
            .ok_or(BookingError::NotFound)
    }

    /// What happened to the booking, oldest first.
    pub async fn history(
        &self,
        booking: &BookingRecord,
    ) -> Result<Vec<HistoryEvent>, BookingError> {
        Ok(self.store.booking_events(booking.id).await?)
    }

    pub async fn cancel(
        &self,
        code: &str,
        phone: &str,
        proof: &PhoneProof,
    ) -> Result<BookingRecord, BookingError> {
        let found = self.find(code, phone).await?;
        if !found.state.can_cancel() {
            return Err(NotActive::Cancel(found.state).into());
        }
        self.confirm_phone(&found.phone, proof).await?;
        let rules = crate::waitlist::hold_rules(self.waitlist.as_ref(), &self.config);
        match self
            .store
            .cancel_booking(&found.code, self.now(), Some(&rules))
            .await?
        {
            Ok(freed) => {
                crate::waitlist::tell(self.waitlist.as_ref(), &freed.offers).await;
                let mut b = freed.record;
                b.state = BookingState::Cancelled;
                self.notify(domain::notify::NoticeKind::Cancelled, &b).await;
                Ok(b)
            }
            Err(store::Refusal::NotActive(state)) => Err(NotActive::Cancel(state).into()),
            Err(_) => Err(BookingError::NotFound),
        }
    }

    pub async fn reschedule(
        &self,
        code: &str,
        phone: &str,
        new_start: &str,
        proof: &PhoneProof,
    ) -> Result<BookingRecord, BookingError> {
        let found = self.find(code, phone).await?;
        let place = &self.directory.location(found.location_id).await?;
        let start = DateTime::parse_from_rfc3339(new_start.trim()).map_err(|_| {
            invalid(
                "start",
                "请选择新的预约时段（时间格式应为 RFC 3339）",
                "Please choose the new time (written as RFC 3339)",
            )
        })?;
        if start.with_timezone(&Utc) == found.start {
            return Err(invalid(
                "start",
                "新时段与原时段相同",
                "The new time is the same as the current one; please choose a different time",
            ));
        }
        let slot = self
            .slot_at(place, found.service, start)
            .await?
            .ok_or_else(|| {
                invalid(
                    "start",
                    "这个时段不可预约（不在开放时间内，或已过预约期限）",
                    NOT_BOOKABLE_EN,
                )
            })?;
        check_youth(slot.youth_only, found.youth).map_err(BookingError::Invalid)?;
        self.confirm_phone(&found.phone, proof).await?;
        let fairness = self.fairness_check((slot.start, slot.end));
        let rules = crate::waitlist::hold_rules(self.waitlist.as_ref(), &self.config);
        match self
            .store
            .reschedule_booking(
                &found.code,
                slot.start.with_timezone(&Utc),
                slot.end.with_timezone(&Utc),
                slot.capacity,
                fairness,
                self.now(),
                Some(&rules),
            )
            .await?
        {
            Ok(freed) => {
                crate::waitlist::tell(self.waitlist.as_ref(), &freed.offers).await;
                let b = freed.record;
                self.notify(domain::notify::NoticeKind::Changed, &b).await;
                Ok(b)
            }
            Err(refusal) => Err(self
                .refusal(refusal, place, found.service, slot.start)
                .await),
        }
    }

    /// Free slots near `around`: up to three more at the same place, then the same service at
    /// the other places of the same office area, six in all; soonest first within each group.
    pub async fn alternatives(
        &self,
        place: &Location,
        service: ServiceCode,
        around: DateTime<FixedOffset>,
    ) -> Result<Vec<Alternative>, BookingError> {
        const SAME_PLACE: usize = 3;
        const MAX: usize = 6;
        let (from, to) = self.window_days();
        let mut out = Vec::new();
        let free_after = |list: Vec<SlotAvailability>| -> Vec<SlotAvailability> {
            let mut free: Vec<_> = list
                .into_iter()
                .filter(|s| s.remaining > 0 && s.slot.start != around)
                .collect();
            // soonest after the asked-for time first, then the earlier ones
            free.sort_by_key(|s| (s.slot.start < around, s.slot.start));
            free
        };
        for s in free_after(self.slots(place, service, from, to).await?)
            .into_iter()
            .take(SAME_PLACE)
        {
            out.push(Alternative {
                location_id: place.id,
                location_name: place.name.clone(),
                slot: s,
            });
        }
        if out.len() < MAX {
            let office = place.office_id.unwrap_or(place.id);
            let mut others = Vec::new();
            for other in self.directory.all().await?.iter() {
                if other.id == place.id
                    || (other.id != office && other.office_id != Some(office))
                    || other.offers(service).is_none()
                {
                    continue;
                }
                for s in free_after(self.slots(other, service, from, to).await?)
                    .into_iter()
                    .take(MAX)
                {
                    others.push(Alternative {
                        location_id: other.id,
                        location_name: other.name.clone(),
                        slot: s,
                    });
                }
            }
            others.sort_by_key(|a| (a.slot.slot.start < around, a.slot.slot.start));
            out.extend(others.into_iter().take(MAX - out.len()));
        }
        Ok(out)
    }
}

/// Local (+08:00) start of a stored booking, for display and the API.
pub fn local_start(b: &BookingRecord) -> DateTime<FixedOffset> {
    to_local(&b.start)
}

//! Use cases of a place's day: the queue staff see, check-in by booking code, walk-in
//! tickets, call next, the steps of serving someone, undo, and the automatic no-show mark.
//! Every call checks the account's scope first ([`StaffAccount::may`]) and records the
//! action in the audit log. Changes are announced on a broadcast channel for live screens.

use crate::booking::Clock;
use crate::error::{kind_message, ErrorKind, UseCaseError};
use crate::events::{Event, Events};
use crate::staff::Staff;
use crate::store::{BookingRecord, QueueChange, QueueEntryRecord, Refusal, Store};
use crate::{Directory, ServiceError};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use domain::booking::{BookingCode, FieldError, MobilePhone};
use domain::queue::{
    estimated_wait_minutes, next_state, next_to_call, on_public_board, DisplayBoard, DisplayCall,
    Outcome, QueueState, Step, StepError, Waiting,
};
use domain::slots::{days_span, local_date, to_local};
use domain::staff::{Action, StaffAccount};
use domain::{BookingState, Lang, Location, LocationId, ServiceCode};
use std::sync::Arc;
use tokio::sync::broadcast;

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("没有权限处理这个网点的事务")]
    Forbidden,
    #[error("没有找到")]
    NotFound,
    /// The person's state forbids the step (or someone else acted first); says why.
    #[error("{0}")]
    Conflict(Conflict),
    #[error("{0}")]
    Invalid(FieldError),
    #[error("internal error")]
    Internal,
}

impl UseCaseError for QueueError {
    fn kind(&self) -> ErrorKind {
        match self {
            QueueError::Forbidden => ErrorKind::Forbidden,
            QueueError::NotFound => ErrorKind::NotFound,
            QueueError::Conflict(_) => ErrorKind::Refused,
            QueueError::Invalid(_) => ErrorKind::Invalid,
            QueueError::Internal => ErrorKind::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            QueueError::Invalid(f) => Some(f.field),
            _ => None,
        }
    }

    /// The message in `lang`: the Chinese text is the `Display` one.
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (_, QueueError::Internal) => kind_message(ErrorKind::Internal, lang).to_string(),
            (Lang::ZhCn, _) => self.to_string(),
            (Lang::En, QueueError::Forbidden) => {
                "You do not have permission to handle this place's queue".to_string()
            }
            (Lang::En, QueueError::NotFound) => {
                "Not found; please refresh the page and try again".to_string()
            }
            (Lang::En, QueueError::Conflict(c)) => c.message(lang),
            (Lang::En, QueueError::Invalid(f)) => f.message_in(lang).to_string(),
        }
    }
}

/// Why a step on the queue is refused: the reason of [`QueueError::Conflict`]. `Display` is
/// the Chinese text the API sends.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Conflict {
    /// The booking is for another day; its local start.
    #[error("这是 {} 的预约，不是今天的", to_local(.0).format("%-m月%-d日 %H:%M"))]
    NotToday(DateTime<Utc>),
    #[error("这个预约当前为“{}”，不能签到", .0.label_zh())]
    CannotCheckIn(BookingState),
    #[error("同时叫号的人太多，请再试一次")]
    TooManyCalling,
    #[error("{0}")]
    Step(StepError),
    #[error("没有可以撤销的操作")]
    NothingToUndo,
    #[error("这个预约当前为“{}”，不需要撤销未到", .0.label_zh())]
    NoNoShowToUndo(BookingState),
    #[error("这个人的状态刚刚被其他人更改，请刷新")]
    ChangedMeanwhile,
}

impl Conflict {
    /// The reason in `lang`: the Chinese text is the `Display` one.
    pub fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::ZhCn, _) => self.to_string(),
            (Lang::En, Conflict::NotToday(start)) => format!(
                "This booking is for {}, not today",
                to_local(start).format("%a %-d %b %H:%M")
            ),
            (Lang::En, Conflict::CannotCheckIn(s)) => format!(
                "This booking's status is “{}”, so it cannot be checked in",
                s.label_en()
            ),
            (Lang::En, Conflict::TooManyCalling) => {
                "Too many desks are calling at the same moment; please try again".to_string()
            }
            (Lang::En, Conflict::Step(e)) => e.message(lang),
            (Lang::En, Conflict::NothingToUndo) => "There is nothing to undo".to_string(),
            (Lang::En, Conflict::NoNoShowToUndo(s)) => format!(
                "This booking's status is “{}”, so there is no no-show to undo",
                s.label_en()
            ),
            (Lang::En, Conflict::ChangedMeanwhile) => {
                "Someone else has just changed this person's status; please refresh the page"
                    .to_string()
            }
        }
    }
}

impl From<Conflict> for QueueError {
    fn from(c: Conflict) -> Self {
        QueueError::Conflict(c)
    }
}

impl From<ServiceError> for QueueError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => QueueError::NotFound,
            ServiceError::Internal => QueueError::Internal,
        }
    }
}

impl From<crate::store::StoreError> for QueueError {
    fn from(e: crate::store::StoreError) -> Self {
        ServiceError::from(e).into()
    }
}

/// A booking of the day as staff see it: personal data only as far as the account may.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookedPerson {
    pub booking: BookingRecord,
    /// `138****5678`
    pub phone_masked: String,
    /// Topic and account, unless confidential for this account.
    pub details_visible: bool,
}

/// A place's day for one account.
#[derive(Debug, Clone)]
pub struct DayQueue {
    pub place: Location,
    pub day: NaiveDate,
    /// Bookings of the day not (yet) in the queue: booked, not come or cancelled.
    pub bookings: Vec<BookedPerson>,
    /// Everyone who arrived, in arrival order.
    pub entries: Vec<QueueEntryRecord>,
}

#[derive(Clone)]
pub struct Queues {
    store: Arc<dyn Store>,
    directory: Directory,
    staff: Staff,
    clock: Clock,
    grace: Duration,
    /// Where changes are announced (to every instance when there are several).
    events: Events,
    /// Texts a booked resident the link to rate a finished visit (when configured).
    invites: Option<crate::rating::RatingInvites>,
}

impl Queues {
    pub fn new(
        store: Arc<dyn Store>,
        directory: Directory,
        staff: Staff,
        clock: Clock,
        no_show_grace: Duration,
        events: Events,
    ) -> Self {
        Queues {
            store,
            directory,
            staff,
            clock,
            grace: no_show_grace,
            events,
            invites: None,
        }
    }

    /// Texts booked residents a link to rate their visit once it is finished.
    pub fn with_invites(mut self, invites: crate::rating::RatingInvites) -> Self {
        self.invites = Some(invites);
        self
    }

    /// Every event; live screens pick their place's [`Event::QueueChanged`].
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    fn announce(&self, location_id: LocationId) {
        self.events.publish(Event::QueueChanged(location_id));
    }

    /// What every change of a queue ends with: its audit line, then the place's boards and
    /// desks told to refresh.
    async fn done(
        &self,
        account: &StaffAccount,
        action: &str,
        place: LocationId,
        subject: String,
        change: Option<(String, String)>,
    ) {
        self.staff
            .audit(account, action, Some(place), Some(subject), change)
            .await;
        self.announce(place);
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub fn today(&self) -> NaiveDate {
        local_date(&self.now())
    }

    async fn place_for(
        &self,
        account: &StaffAccount,
        action: Action,
        id: LocationId,
    ) -> Result<Location, QueueError> {
        let place = self.directory.location(id).await?;
        if account.may(action, Some(&place)) {
            Ok(place)
        } else {
            Err(QueueError::Forbidden)
        }
    }

    /// The place whose desk serves `service`, if this account serves there.
    async fn desk_place(
        &self,
        account: &StaffAccount,
        id: LocationId,
        service: ServiceCode,
    ) -> Result<Location, QueueError> {
        let place = self.directory.location(id).await?;
        if account.serves(&place, service) {
            Ok(place)
        } else {
            Err(QueueError::Forbidden)
        }
    }

    /// A queue entry and its place, if the account may act on it (its place and service).
    async fn operable_entry(
        &self,
        account: &StaffAccount,
        entry_id: i64,
    ) -> Result<(QueueEntryRecord, Location), QueueError> {
        let entry = self
            .store
            .queue_entry(entry_id)
            .await?
            .ok_or(QueueError::NotFound)?;
        let place = self
            .desk_place(account, entry.location_id, entry.service)
            .await?;
        Ok((entry, place))
    }

    /// One queue entry, for an account that may see its place's queue and its service.
    pub async fn entry(
        &self,
        account: &StaffAccount,
        entry_id: i64,
    ) -> Result<QueueEntryRecord, QueueError> {
        let entry = self
            .store
            .queue_entry(entry_id)
            .await?
            .ok_or(QueueError::NotFound)?;
        self.place_for(account, Action::ViewQueue, entry.location_id)
            .await?;
        if !account.handles(entry.service) {
            return Err(QueueError::NotFound);
        }
        Ok(entry)
    }

    /// The day's bookings and arrivals at a place.
    pub async fn day_queue(
        &self,
        account: &StaffAccount,
        place: LocationId,
        day: NaiveDate,
    ) -> Result<DayQueue, QueueError> {
        let place = self.place_for(account, Action::ViewQueue, place).await?;
        let Some((from, to)) = days_span(day, day) else {
            return Err(QueueError::Invalid(FieldError::new(
                "date",
                "日期无效",
                "The date is not valid",
            )));
        };
        let entries: Vec<QueueEntryRecord> = self
            .store
            .queue_entries(place.id, day)
            .await?
            .into_iter()
            .filter(|e| account.handles(e.service))
            .collect();
        let bookings = self
            .store
            .bookings_between(place.id, from.with_timezone(&Utc), to.with_timezone(&Utc))
            .await?
            .into_iter()
            .filter(|b| account.handles(b.service))
            .filter(|b| {
                !entries
                    .iter()
                    .any(|e| e.booking.as_ref().is_some_and(|eb| eb.id == b.id))
            })
            .map(|b| BookedPerson {
                phone_masked: MobilePhone::parse(&b.phone)
                    .map(|p| p.masked())
                    .unwrap_or_default(),
                details_visible: account.sees_details_of(b.service),
                booking: b,
            })
            .collect();
        Ok(DayQueue {
            place,
            day,
            bookings,
            entries,
        })
    }

    /// The booking of a typed or scanned code and its place, when the account serves that
    /// place and the booking's service at its desk (as checking in and undoing a no-show need).
    async fn booking_at_desk(
        &self,
        account: &StaffAccount,
        code: &str,
    ) -> Result<(BookingRecord, Location), QueueError> {
        let code = BookingCode::parse(code).map_err(QueueError::Invalid)?;
        let booking = self
            .store
            .booking_by_code(code.as_str())
            .await?
            .ok_or(QueueError::NotFound)?;
        let place = self
            .desk_place(account, booking.location_id, booking.service)
            .await?;
        Ok((booking, place))
    }

    /// Checks a resident in by booking code (typed, or read from their QR code).
    pub async fn check_in(
        &self,
        account: &StaffAccount,
        code: &str,
    ) -> Result<QueueEntryRecord, QueueError> {
        let (booking, place) = self.booking_at_desk(account, code).await?;
        let today = self.today();
        if local_date(&booking.start) != today {
            return Err(Conflict::NotToday(booking.start).into());
        }
        match self.store.check_in(booking.id, today, self.now()).await? {
            Ok(entry) => {
                self.done(account, "check_in", place.id, entry.ticket.clone(), None)
                    .await;
                Ok(entry)
            }
            Err(Refusal::NotActive(state)) => Err(Conflict::CannotCheckIn(state).into()),
            Err(_) => Err(QueueError::NotFound),
        }
    }

    /// A walk-in: the next ticket of the service at the place today.
    pub async fn walk_in(
        &self,
        account: &StaffAccount,
        place: LocationId,
        service: ServiceCode,
    ) -> Result<QueueEntryRecord, QueueError> {
        let place = self.place_for(account, Action::OperateQueue, place).await?;
        if place.offers(service).is_none() {
            return Err(QueueError::Invalid(FieldError::new(
                "service",
                "这个网点不提供这项服务",
                "This place does not offer this service",
            )));
        }
        if !account.handles(service) {
            return Err(QueueError::Forbidden);
        }
        let entry = self
            .store
            .add_walk_in(place.id, service, self.today(), self.now(), None)
            .await?;
        self.done(account, "walk_in", place.id, entry.ticket.clone(), None)
            .await;
        Ok(entry)
    }

    /// Calls the next person for the account's services to `desk`: booked people whose slot
    /// has started first, then walk-ins in arrival order. `None` when nobody waits. The
    /// person being served is never touched.
    pub async fn call_next(
        &self,
        account: &StaffAccount,
        place: LocationId,
        desk: Option<String>,
    ) -> Result<Option<QueueEntryRecord>, QueueError> {
        let place = self.place_for(account, Action::OperateQueue, place).await?;
        let services: Vec<ServiceCode> = place
            .service_codes()
            .into_iter()
            .filter(|s| account.handles(*s))
            .collect();
        let desk = clean_desk(desk)?;
        // another desk may call the same person at the same moment: then pick again
        for _ in 0..5 {
            let entries = self.store.queue_entries(place.id, self.today()).await?;
            let waiting: Vec<Waiting> = entries
                .iter()
                .map(|e| Waiting {
                    id: e.id,
                    service: e.service,
                    state: e.state,
                    slot_start: e.booking.as_ref().map(|b| to_local(&b.start)),
                    arrived_at: to_local(&e.arrived_at),
                })
                .collect();
            let now: DateTime<FixedOffset> = to_local(&self.now());
            let Some(next) = next_to_call(&waiting, &services, now) else {
                return Ok(None);
            };
            let change = QueueChange {
                to: QueueState::Called,
                at: self.now(),
                desk: desk.clone(),
                outcome: None,
                note: None,
            };
            if let Some(entry) = self
                .store
                .change_queue_entry(next.id, QueueState::Waiting, &change)
                .await?
            {
                self.done(account, "call", place.id, entry.ticket.clone(), None)
                    .await;
                return Ok(Some(entry));
            }
        }
        Err(Conflict::TooManyCalling.into())
    }

    /// One step on one person: recall, park, serve, finish (with an outcome), no-show,
    /// transfer. `expected` is the state the staff member saw; if it changed meanwhile the
    /// step is refused rather than applied to a different situation.
    #[allow(clippy::too_many_arguments)]
    pub async fn step(
        &self,
        account: &StaffAccount,
        entry_id: i64,
        step: Step,
        desk: Option<String>,
        outcome: Option<Outcome>,
        note: Option<String>,
    ) -> Result<QueueEntryRecord, QueueError> {
        let (entry, place) = self.operable_entry(account, entry_id).await?;
        let to = next_state(entry.state, step).map_err(|e| QueueError::from(Conflict::Step(e)))?;
        if step == Step::Finish && outcome.is_none() {
            return Err(QueueError::Invalid(FieldError::new(
                "outcome",
                "请选择办理结果",
                "Choose the outcome",
            )));
        }
        let note = note
            .map(|n| n.trim().chars().take(500).collect::<String>())
            .filter(|n| !n.is_empty());
        let change = QueueChange {
            to,
            at: self.now(),
            desk: clean_desk(desk)?,
            outcome,
            note,
        };
        let updated = self
            .store
            .change_queue_entry(entry.id, entry.state, &change)
            .await?
            .ok_or_else(changed_meanwhile)?;
        self.done(
            account,
            &format!("queue_{}", step_code(step)),
            place.id,
            updated.ticket.clone(),
            Some((entry.state.code().into(), updated.state.code().into())),
        )
        .await;
        if let (Some(invites), Some(booking), Step::Finish) =
            (&self.invites, &updated.booking, step)
        {
            invites.booking(booking).await;
        }
        Ok(updated)
    }

    /// Hands a person over to another service, here or at another place (访调联动 分流): they
    /// leave this queue as transferred and wait at the other one with a new ticket. The account
    /// must serve the person here and may operate the target place's queue.
    pub async fn transfer(
        &self,
        account: &StaffAccount,
        entry_id: i64,
        to_place: Option<LocationId>,
        to_service: ServiceCode,
    ) -> Result<QueueEntryRecord, QueueError> {
        let (entry, from) = self.operable_entry(account, entry_id).await?;
        let target = match to_place {
            Some(id) if id != from.id => {
                self.directory.location(id).await.map_err(|e| match e {
                    ServiceError::NotFound => {
                        QueueError::Invalid(FieldError::no_such_place("location_id"))
                    }
                    other => other.into(),
                })?
            }
            _ => from.clone(),
        };
        // the new ticket is taken at the target's desk: the account must work there too
        if !account.may(Action::OperateQueue, Some(&target)) {
            return Err(QueueError::Forbidden);
        }
        if target.offers(to_service).is_none() {
            return Err(QueueError::Invalid(FieldError::new(
                "service",
                "那个网点不提供这项服务",
                "That place does not offer this service",
            )));
        }
        if target.id == from.id && to_service == entry.service {
            return Err(QueueError::Invalid(FieldError::new(
                "service",
                "请选择另一项服务或另一个网点",
                "Choose another service or another place",
            )));
        }
        next_state(entry.state, Step::Transfer).map_err(|e| QueueError::from(Conflict::Step(e)))?;
        let note = format!("分流至 {} {}", target.name, to_service.code());
        let change = QueueChange {
            to: QueueState::Transferred,
            at: self.now(),
            desk: None,
            outcome: None,
            note: Some(note),
        };
        self.store
            .change_queue_entry(entry.id, entry.state, &change)
            .await?
            .ok_or_else(changed_meanwhile)?;
        let new = self
            .store
            .add_walk_in(
                target.id,
                to_service,
                self.today(),
                self.now(),
                Some(entry.id),
            )
            .await?;
        self.done(
            account,
            "queue_transfer",
            from.id,
            format!("{} → {} {}", entry.ticket, target.id.0, new.ticket),
            None,
        )
        .await;
        self.announce(target.id);
        Ok(new)
    }

    /// Undoes the last action on a person.
    pub async fn undo(
        &self,
        account: &StaffAccount,
        entry_id: i64,
    ) -> Result<QueueEntryRecord, QueueError> {
        let (entry, place) = self.operable_entry(account, entry_id).await?;
        let updated = self
            .store
            .undo_queue_entry(entry.id, self.now())
            .await?
            .ok_or_else(|| QueueError::from(Conflict::NothingToUndo))?;
        self.done(
            account,
            "queue_undo",
            place.id,
            updated.ticket.clone(),
            Some((entry.state.code().into(), updated.state.code().into())),
        )
        .await;
        Ok(updated)
    }

    /// The call display of a place: public, so tickets and desks only, and nothing of the
    /// services kept off the board ([`on_public_board`]: psychology), not even in its counts.
    pub async fn display(&self, place: LocationId) -> Result<DisplayBoard, QueueError> {
        let place = self.directory.location(place).await?;
        let entries: Vec<QueueEntryRecord> = self
            .store
            .queue_entries(place.id, self.today())
            .await?
            .into_iter()
            .filter(|e| on_public_board(e.service))
            .collect();
        let mut calling: Vec<&QueueEntryRecord> = entries
            .iter()
            .filter(|e| e.state == QueueState::Called)
            .collect();
        calling.sort_by_key(|e| std::cmp::Reverse(e.called_at));
        let now = to_local(&self.now());
        let mut waiting: Vec<Waiting> = entries
            .iter()
            .filter(|e| e.state == QueueState::Waiting)
            .map(|e| Waiting {
                id: e.id,
                service: e.service,
                state: e.state,
                slot_start: e.booking.as_ref().map(|b| to_local(&b.start)),
                arrived_at: to_local(&e.arrived_at),
            })
            .collect();
        let services: Vec<ServiceCode> = place
            .service_codes()
            .into_iter()
            .filter(|s| on_public_board(*s))
            .collect();
        let mut next = Vec::new();
        while let Some(w) = next_to_call(&waiting, &services, now).cloned() {
            if let Some(e) = entries.iter().find(|e| e.id == w.id) {
                next.push(e.ticket.clone());
            }
            waiting.retain(|x| x.id != w.id);
            if next.len() == 5 {
                break;
            }
        }
        let served: Vec<Duration> = entries
            .iter()
            .filter_map(|e| Some(e.finished_at? - e.serving_at?))
            .collect();
        let average = (!served.is_empty())
            .then(|| served.iter().fold(Duration::zero(), |a, d| a + *d) / served.len() as i32);
        let desks = entries
            .iter()
            .filter_map(|e| e.desk.as_deref())
            .collect::<std::collections::HashSet<_>>()
            .len();
        let open = entries
            .iter()
            .filter(|e| e.state == QueueState::Waiting)
            .count();
        Ok(DisplayBoard {
            location_id: place.id.0,
            place_name: place.name.clone(),
            calling: calling
                .iter()
                .take(4)
                .map(|e| DisplayCall {
                    ticket: e.ticket.clone(),
                    desk: e.desk.clone(),
                })
                .collect(),
            next,
            waiting: open,
            estimated_wait_minutes: estimated_wait_minutes(open, average, desks),
            version: entries
                .iter()
                .filter_map(|e| e.called_at)
                .max()
                .map(|t| t.timestamp_millis())
                .unwrap_or(0),
        })
    }

    /// Marks booked residents who have not checked in `grace` after their slot's start as not
    /// come. Run every minute by the server.
    pub async fn mark_no_shows(&self) -> Result<usize, QueueError> {
        let now = self.now();
        let marked = self.store.mark_no_shows(now - self.grace, now).await?;
        for b in &marked {
            self.announce(b.location_id);
        }
        Ok(marked.len())
    }

    /// Takes back an automatic no-show mark (the resident did come, or staff erred).
    pub async fn revert_no_show(
        &self,
        account: &StaffAccount,
        code: &str,
    ) -> Result<(), QueueError> {
        let (booking, place) = self.booking_at_desk(account, code).await?;
        if booking.state != BookingState::NoShow
            || !self.store.revert_no_show(booking.id, self.now()).await?
        {
            return Err(Conflict::NoNoShowToUndo(booking.state).into());
        }
        self.done(
            account,
            "no_show_reverted",
            place.id,
            code.to_string(),
            None,
        )
        .await;
        Ok(())
    }
}

/// Someone else acted on the person first: the step is refused rather than applied to a
/// situation the staff member did not see.
fn changed_meanwhile() -> QueueError {
    Conflict::ChangedMeanwhile.into()
}

fn step_code(step: Step) -> &'static str {
    match step {
        Step::Call => "call",
        Step::Recall => "recall",
        Step::Park => "park",
        Step::Serve => "serve",
        Step::Finish => "finish",
        Step::NoShow => "no_show",
        Step::Transfer => "transfer",
    }
}

/// A desk name as shown on the display: short, printable.
fn clean_desk(desk: Option<String>) -> Result<Option<String>, QueueError> {
    let Some(d) = desk.map(|d| d.trim().to_string()).filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    if d.chars().count() > 12 || d.chars().any(char::is_control) {
        return Err(QueueError::Invalid(FieldError::new(
            "desk",
            "窗口名称最多 12 个字",
            "The desk name can be at most 12 characters",
        )));
    }
    Ok(Some(d))
}

//! Use cases of the waiting list (issue 19): join a place's list for a service, see and
//! leave one's entries, confirm or decline a held seat, the staff's view of a place's list,
//! and the periodic sweep that ends holds nobody answered. The rules are
//! `domain::waitlist`; the store offers freed seats inside the transactions that free them
//! (see `store::WaitlistStore`), and this layer texts the residents the offers it reports.
//!
//! The phone has been verified by the caller (phone codes) before any of these is called.

use crate::booking::{BookingConfig, Clock};
use crate::confirmation::public_title;
use crate::error::{kind_message, ErrorKind, UseCaseError};
use crate::store::{
    BookingRecord, HoldRules, NewBookingRecord, NewWaitlistEntry, Store, WaitRefusal,
    WaitlistOffer, WaitlistRecord,
};
use crate::ServiceError;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use domain::booking::{check_fairness, FairnessError, FieldError, MobilePhone, ResidentForm};
use domain::staff::{Action, StaffAccount};
use domain::verify::constant_time_eq;
use domain::waitlist::{EntryState, JoinForm, Step, WaitError};
use domain::{BookingCode, Lang, LocationId, ServiceCode};
use std::sync::Arc;

/// Where the texts offering a held seat go: the notification outbox
/// ([`crate::notify::Notifier`] is one) in the server (see [`Waitlist::with_texts`]). Never
/// fails the caller: a text that cannot be queued is logged.
#[async_trait]
pub trait OfferTexter: Send + Sync {
    async fn text(&self, phone: &str, body: String);
}

/// The notification outbox texts offers like phone codes: at once, about no booking.
#[async_trait]
impl OfferTexter for crate::notify::Notifier {
    async fn text(&self, phone: &str, body: String) {
        // already logged when it fails; the offer stands (the resident also sees it under
        // "my bookings")
        let _ = self
            .enqueue_message(domain::notify::NoticeKind::WaitlistOffer, phone, body)
            .await;
    }
}

/// What a resident sends to join a list: the dates and part of day ([`JoinForm`]) and the
/// booking details a confirmed offer is booked with.
#[derive(Debug, Clone, Default)]
pub struct JoinWaitlist {
    pub form: JoinForm,
    pub name: String,
    pub topic: String,
    pub account: Option<String>,
    pub consent: bool,
    /// That the phone is the resident's (checked once every field is right).
    pub proof: crate::verify::PhoneProof,
}

/// A place's list as staff see it, with how many offers became bookings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceWaitlist {
    /// Every entry (any state) in join order.
    pub entries: Vec<WaitlistRecord>,
    /// Entries holding a seat or that ended after an offer (booked, declined, expired; one
    /// who left while holding a seat is not told apart from one who left waiting).
    pub offered: u64,
    /// Offers confirmed into bookings.
    pub booked: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum WaitlistError {
    #[error("表单有误")]
    Invalid(Vec<FieldError>),
    /// The entry's state forbids the step, or the resident is already on the list.
    #[error("{0}")]
    Refused(WaitError),
    /// The booking rules refuse the confirmation (too many bookings, or one at that time).
    #[error("{0}")]
    Fairness(FairnessError),
    /// Unknown entry, link or wrong phone: one answer for all, so links cannot be probed.
    #[error("没有找到这条候补，请核对链接和手机号")]
    NotFound,
    #[error("没有权限查看这个网点的候补名单")]
    Forbidden,
    #[error("internal error")]
    Internal,
}

impl From<ServiceError> for WaitlistError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => WaitlistError::NotFound,
            ServiceError::Internal => WaitlistError::Internal,
        }
    }
}

impl From<crate::verify::VerifyError> for WaitlistError {
    fn from(e: crate::verify::VerifyError) -> Self {
        match e {
            crate::verify::VerifyError::Invalid(f) | crate::verify::VerifyError::Stale(f) => {
                WaitlistError::Invalid(vec![f])
            }
            _ => WaitlistError::Internal,
        }
    }
}

impl From<crate::store::StoreError> for WaitlistError {
    fn from(e: crate::store::StoreError) -> Self {
        ServiceError::from(e).into()
    }
}

impl From<WaitRefusal> for WaitlistError {
    fn from(r: WaitRefusal) -> Self {
        match r {
            WaitRefusal::Step(e) => WaitlistError::Refused(e),
            WaitRefusal::Booking(crate::store::Refusal::Fairness(e)) => WaitlistError::Fairness(e),
            WaitRefusal::Booking(_) | WaitRefusal::NotFound => WaitlistError::NotFound,
        }
    }
}

impl UseCaseError for WaitlistError {
    fn kind(&self) -> ErrorKind {
        match self {
            WaitlistError::Invalid(_) => ErrorKind::Invalid,
            WaitlistError::Refused(WaitError::AlreadyWaiting) => ErrorKind::Conflict,
            WaitlistError::Refused(_) | WaitlistError::Fairness(_) => ErrorKind::Refused,
            WaitlistError::NotFound => ErrorKind::NotFound,
            WaitlistError::Forbidden => ErrorKind::Forbidden,
            WaitlistError::Internal => ErrorKind::Internal,
        }
    }

    /// The first field at fault (every one is in [`WaitlistError::Invalid`]).
    fn field(&self) -> Option<&str> {
        match self {
            WaitlistError::Invalid(errors) => crate::error::first_field(errors),
            _ => None,
        }
    }

    fn field_messages(&self, lang: Lang) -> Vec<(&str, String)> {
        match self {
            WaitlistError::Invalid(errors) => crate::error::field_messages(errors, lang),
            _ => vec![],
        }
    }

    /// The message in `lang`: the Chinese text is the `Display` one.
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (_, WaitlistError::Invalid(errors)) => crate::error::first_message(errors, lang),
            (_, WaitlistError::Internal) => kind_message(ErrorKind::Internal, lang).to_string(),
            (_, WaitlistError::Refused(e)) => e.message(lang),
            (_, WaitlistError::Fairness(e)) => e.message(lang),
            (Lang::ZhCn, _) => self.to_string(),
            (Lang::En, WaitlistError::NotFound) => "No waiting-list entry was found; please \
                check the link and the mobile number you joined with"
                .to_string(),
            (Lang::En, WaitlistError::Forbidden) => {
                "You do not have permission to see this place's waiting list".to_string()
            }
        }
    }
}

/// The hold rules a booking use case offers freed seats with: the waiting list's when one
/// is configured, else the booking rules and the default hold.
pub(crate) fn hold_rules(waitlist: Option<&Waitlist>, config: &BookingConfig) -> HoldRules {
    waitlist.map(Waitlist::rules).unwrap_or(HoldRules {
        limits: config.limits,
        window: config.window,
        hold: domain::waitlist::default_hold(),
    })
}

/// Texts the offers a booking use case's write made (nothing without a waiting list).
pub(crate) async fn tell(waitlist: Option<&Waitlist>, offers: &[WaitlistOffer]) {
    if let Some(w) = waitlist {
        w.tell(offers).await;
    }
}

/// A random code for the SMS link (20 characters of the booking-code alphabet).
fn link_code() -> String {
    let mut rng = rand_core::OsRng;
    format!(
        "{}{}",
        BookingCode::generate(&mut rng).as_str(),
        BookingCode::generate(&mut rng).as_str()
    )
}

#[derive(Clone)]
pub struct Waitlist {
    store: Arc<dyn Store>,
    directory: crate::Directory,
    config: BookingConfig,
    hold: Duration,
    clock: Clock,
    /// The offers' texts and the page they link to (`{link}{code}`).
    texts: Option<(Arc<dyn OfferTexter>, String)>,
    /// Tells residents their confirmed booking, like any booking.
    notifier: Option<crate::notify::Notifier>,
    /// Proves the phone before joining (none: nobody is asked).
    verifier: Option<crate::verify::PhoneVerifier>,
}

impl Waitlist {
    /// Offers hold seats for `hold` (`PORTAL_WAITLIST_HOLD_MINUTES`, read by the server);
    /// confirmations follow `config`'s booking rules.
    pub fn new(
        store: Arc<dyn Store>,
        directory: crate::Directory,
        config: BookingConfig,
        hold: Duration,
        clock: Clock,
    ) -> Self {
        Waitlist {
            store,
            directory,
            config,
            hold,
            clock,
            texts: None,
            notifier: None,
            verifier: None,
        }
    }

    /// Texts each offer through `texter`, linking to `link` followed by the entry's code
    /// (e.g. `https://…/waitlist/`).
    pub fn with_texts(mut self, texter: Arc<dyn OfferTexter>, link: impl Into<String>) -> Self {
        self.texts = Some((texter, link.into()));
        self
    }

    /// Tells residents their confirmed bookings through `notifier`.
    pub fn with_notifier(mut self, notifier: crate::notify::Notifier) -> Self {
        self.notifier = Some(notifier);
        self
    }

    /// Asks for proof of the phone through `verifier` before anyone joins.
    pub fn with_verifier(mut self, verifier: crate::verify::PhoneVerifier) -> Self {
        self.verifier = Some(verifier);
        self
    }

    pub fn rules(&self) -> HoldRules {
        HoldRules {
            limits: self.config.limits,
            window: self.config.window,
            hold: self.hold,
        }
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Texts each offer (the public title only: never a confidential service's name).
    pub async fn tell(&self, offers: &[WaitlistOffer]) {
        let Some((texter, link)) = &self.texts else {
            return;
        };
        for o in offers {
            let place = match self.directory.location(o.location_id).await {
                Ok(p) => p.name,
                Err(e) => {
                    tracing::error!(error = %e, "no place for a waiting-list offer");
                    continue;
                }
            };
            let body = domain::waitlist::offer_text(
                public_title(o.service, Lang::ZhCn),
                &place,
                &o.offer,
                &format!("{link}{}", o.link_code),
                Lang::ZhCn,
            );
            texter.text(&o.phone, body).await;
        }
    }

    /// Joins the list of `service` at `place`. Every field is checked (the dates and part of
    /// day, and the booking details) and every problem reported; then the phone is proved.
    pub async fn join(
        &self,
        place: LocationId,
        service: &str,
        join: &JoinWaitlist,
    ) -> Result<WaitlistRecord, WaitlistError> {
        let (entry, phone) = self.checked(place, service, join).await?;
        if let Some(v) = &self.verifier {
            v.confirm(&phone, &join.proof).await?;
        }
        Ok(self.store.join_waitlist(&entry).await??)
    }

    /// Checks a join's fields without joining (a page does so before it sends a code).
    pub async fn check(
        &self,
        place: LocationId,
        service: &str,
        join: &JoinWaitlist,
    ) -> Result<(), WaitlistError> {
        self.checked(place, service, join).await.map(|_| ())
    }

    async fn checked(
        &self,
        place: LocationId,
        service: &str,
        join: &JoinWaitlist,
    ) -> Result<(NewWaitlistEntry, MobilePhone), WaitlistError> {
        let place = self.directory.location(place).await?;
        let service: ServiceCode = service.parse().map_err(|_| {
            WaitlistError::Invalid(vec![FieldError::new(
                "service",
                "没有这项服务",
                "There is no such service; please choose one from the list",
            )])
        })?;
        if service == ServiceCode::Mediation || place.offers(service).is_none() {
            return Err(WaitlistError::Invalid(vec![FieldError::new(
                "service",
                "这个网点不提供这项可预约的服务",
                "This service cannot be booked at this place",
            )]));
        }
        let now = self.now();
        let mut errors = Vec::new();
        let request = join
            .form
            .check(&self.config.window, now)
            .map_err(|e| errors.extend(e))
            .ok();
        let details = ResidentForm {
            name: join.name.clone(),
            phone: join.form.phone.clone(),
            topic: join.topic.clone(),
            account: join.account.clone().unwrap_or_default(),
            youth: join.form.youth,
            consent: join.consent,
        }
        // a youth-only slot is offered only to a declared youth: checked at the offer
        .check(service, false)
        .map_err(|e| {
            // the phone is reported once (by the join form)
            errors.extend(e.into_iter().filter(|f| f.field != "phone"))
        })
        .ok();
        let (Some(request), Some(details)) = (request, details) else {
            return Err(WaitlistError::Invalid(errors));
        };
        let entry = NewWaitlistEntry {
            location_id: place.id,
            service,
            name: details.name.as_str().to_string(),
            phone: request.phone.as_str().to_string(),
            topic: details.topic.code().to_string(),
            account: details.account.as_ref().map(|a| a.as_str().to_string()),
            youth: request.youth,
            from: request.from,
            to: request.to,
            part: request.part,
            link_code: link_code(),
            created_at: now,
        };
        Ok((entry, request.phone))
    }

    /// A resident's entries, newest first.
    pub async fn mine(&self, phone: &str) -> Result<Vec<WaitlistRecord>, WaitlistError> {
        let phone = MobilePhone::parse(phone).map_err(|e| WaitlistError::Invalid(vec![e]))?;
        Ok(self.store.waitlist_of_phone(phone.as_str()).await?)
    }

    /// The entry an SMS link names, if `phone` is the one it was joined with.
    pub async fn by_link(&self, link: &str, phone: &str) -> Result<WaitlistRecord, WaitlistError> {
        let Ok(phone) = MobilePhone::parse(phone) else {
            return Err(WaitlistError::NotFound);
        };
        match self.store.waitlist_by_link(link.trim()).await? {
            // compared without an early exit, so timing tells nothing of the number
            Some(r)
                if constant_time_eq(
                    r.entry.phone.as_str().as_bytes(),
                    phone.as_str().as_bytes(),
                ) =>
            {
                Ok(r)
            }
            _ => Err(WaitlistError::NotFound),
        }
    }

    async fn step(
        &self,
        record: &WaitlistRecord,
        step: Step,
    ) -> Result<WaitlistRecord, WaitlistError> {
        let freed = self
            .store
            .step_waitlist_entry(record.entry.id, step, self.now(), &self.rules())
            .await??;
        self.tell(&freed.offers).await;
        Ok(freed.record)
    }

    /// Leaves the list (from "my bookings": the entry by its id, with the phone); a held
    /// seat passes to the next in line.
    pub async fn leave(&self, id: i64, phone: &str) -> Result<WaitlistRecord, WaitlistError> {
        let record = self
            .mine(phone)
            .await
            .map_err(|_| WaitlistError::NotFound)?
            .into_iter()
            .find(|r| r.entry.id.0 == id)
            .ok_or(WaitlistError::NotFound)?;
        self.step(&record, Step::Leave).await
    }

    /// An entry by its link code alone. Only for a browser that already proved it holds the
    /// link and the phone (it joined, or opened the entry with the phone): the caller checks.
    pub async fn by_link_held(&self, link: &str) -> Result<WaitlistRecord, WaitlistError> {
        self.store
            .waitlist_by_link(link.trim())
            .await?
            .ok_or(WaitlistError::NotFound)
    }

    /// Leaves the list by the entry's link code (the API's way); a held seat passes on.
    pub async fn leave_by_link(
        &self,
        link: &str,
        phone: &str,
    ) -> Result<WaitlistRecord, WaitlistError> {
        let record = self.by_link(link, phone).await?;
        self.step(&record, Step::Leave).await
    }

    /// Turns the held seat down (from the SMS link); it passes to the next in line.
    pub async fn decline(&self, link: &str, phone: &str) -> Result<WaitlistRecord, WaitlistError> {
        let record = self.by_link(link, phone).await?;
        self.step(&record, Step::Decline).await
    }

    /// Books the held seat (from the SMS link) under the booking rules. A hold that is over
    /// expires here (its seat passing on) and is refused.
    pub async fn confirm(&self, link: &str, phone: &str) -> Result<BookingRecord, WaitlistError> {
        let record = self.by_link(link, phone).await?;
        let now = self.now();
        let offer = match &record.entry.state {
            EntryState::Offered(o) => o.clone(),
            _ => {
                let e = record
                    .entry
                    .next(Step::Confirm, now)
                    .err()
                    .unwrap_or(WaitError::NoOffer);
                return Err(WaitlistError::Refused(e));
            }
        };
        if offer.is_over(now) {
            // whoever comes first after the hold ends it
            let _ = self.step(&record, Step::Expire).await;
            return Err(WaitlistError::Refused(WaitError::HoldOver));
        }
        let limits = self.config.limits;
        let new = (offer.slot.start, offer.slot.end);
        let fairness: crate::store::FairnessCheck =
            Arc::new(move |existing: &[_]| check_fairness(existing, new, &limits));
        // A fresh code per attempt; a collision (one in 2^49) just tries again.
        for _ in 0..3 {
            let booking = NewBookingRecord {
                code: BookingCode::generate(&mut rand_core::OsRng)
                    .as_str()
                    .to_string(),
                location_id: record.entry.place,
                service: record.entry.service,
                start: offer.slot.start.with_timezone(&Utc),
                end: offer.slot.end.with_timezone(&Utc),
                name: record.name.clone(),
                phone: record.entry.phone.as_str().to_string(),
                topic: record.topic.clone(),
                account: record.account.clone(),
                youth: record.entry.youth,
                created_at: now,
            };
            match self
                .store
                .confirm_offer(record.entry.id, &booking, fairness.clone())
                .await
            {
                Ok(Ok(freed)) => {
                    let (_, saved) = freed.record;
                    if let Some(n) = &self.notifier {
                        match self.directory.location(saved.location_id).await {
                            Ok(place) => {
                                n.enqueue(domain::notify::NoticeKind::Confirmed, &saved, &place)
                                    .await
                            }
                            Err(e) => tracing::error!(error = %e, "no place for a notification"),
                        }
                    }
                    return Ok(saved);
                }
                Ok(Err(WaitRefusal::Step(WaitError::HoldOver))) => {
                    let _ = self.step(&record, Step::Expire).await;
                    return Err(WaitlistError::Refused(WaitError::HoldOver));
                }
                Ok(Err(refusal)) => return Err(refusal.into()),
                Err(e) if e.is_unique_violation() => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(WaitlistError::Internal)
    }

    /// A place's list for staff who may see its queue, with how many offers became bookings.
    /// Topics and accounts are blank where the account may not see them (psychology's are
    /// for counsellors only), as in the day's queue.
    pub async fn at_place(
        &self,
        account: &StaffAccount,
        place: LocationId,
    ) -> Result<PlaceWaitlist, WaitlistError> {
        let place = self.directory.location(place).await?;
        if !account.may(Action::ViewQueue, Some(&place)) {
            return Err(WaitlistError::Forbidden);
        }
        let entries: Vec<WaitlistRecord> = self
            .store
            .waitlist_at(place.id)
            .await?
            .into_iter()
            .map(|mut r| {
                // what it is about stays with those who may see it (psychology: counsellors)
                if !account.sees_details_of(r.entry.service) {
                    r.topic = String::new();
                    r.account = None;
                }
                r
            })
            .collect();
        let offered = entries
            .iter()
            .filter(|r| {
                matches!(
                    r.entry.state,
                    EntryState::Offered(_)
                        | EntryState::Booked
                        | EntryState::Declined
                        | EntryState::Expired
                )
            })
            .count() as u64;
        let booked = entries
            .iter()
            .filter(|r| r.entry.state == EntryState::Booked)
            .count() as u64;
        Ok(PlaceWaitlist {
            entries,
            offered,
            booked,
        })
    }

    /// Ends every hold that is over now (each seat passing to the next in line, who is
    /// texted) and lapses entries whose dates have passed; returns how many offers were made.
    pub async fn expire_holds(&self) -> Result<usize, WaitlistError> {
        let offers = self.store.expire_holds(self.now(), &self.rules()).await?;
        self.tell(&offers).await;
        Ok(offers.len())
    }

    /// Runs [`expire_holds`](Self::expire_holds) every `every` until the task is dropped
    /// (the server spawns it beside its other background jobs).
    pub async fn sweep_forever(self, every: std::time::Duration) {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match self.expire_holds().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(offers = n, "expired holds passed on"),
                Err(e) => tracing::error!(error = %e, "waiting-list sweep failed"),
            }
        }
    }
}

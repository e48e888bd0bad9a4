//! Use cases of ratings (好差评, issue 20): a resident finds a finished service by its code
//! (a booking or mediation case with the phone, or a walk-in ticket's code alone) and rates
//! it once; a poor rating opens a follow-up that the place's head calls back and closes, every
//! step audited. The rules are `domain::rating`; the store keeps one rating per service.

use crate::booking::Clock;
use crate::error::{kind_message, ErrorKind, UseCaseError};
use crate::seal::Sealer;
use crate::staff::Staff;
use crate::store::{NewRating, RatedSubject, RatingRecord, Store};
use crate::{Bookings, Directory, ServiceError};
use chrono::{DateTime, Utc};
use domain::booking::{BookingCode, FieldError, MobilePhone};
use domain::mediation::CaseCode;
use domain::rating::{
    follow_up_due, may_follow_up, may_rate, may_see_rating, FollowUp, FollowUpError, FollowUpStep,
    RatedService, Rating, RatingForm, RatingRefusal, WalkInCode,
};
use domain::staff::StaffAccount;
use domain::verify::constant_time_eq;
use domain::{Lang, Location, LocationId};
use std::sync::Arc;

/// What the walk-in codes' keyed digests are for (never reuse the purpose elsewhere).
const WALK_IN_PURPOSE: &str = "walk-in-rating";

#[derive(Debug, thiserror::Error)]
pub enum RatingError {
    #[error("表单有误")]
    Invalid(Vec<FieldError>),
    /// Unknown code, or a phone that is not the service's: one answer for both, so codes
    /// cannot be probed.
    #[error("没有找到这项服务，请核对编号和手机号")]
    NotFound,
    /// The service cannot be rated (not finished, already rated, too late).
    #[error("{0}")]
    Refused(RatingRefusal),
    /// The follow-up's state forbids the step (or someone else acted first).
    #[error("{0}")]
    FollowUp(FollowUpError),
    #[error("没有权限处理这条回访")]
    Forbidden,
    #[error("internal error")]
    Internal,
}

impl From<ServiceError> for RatingError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => RatingError::NotFound,
            ServiceError::Internal => RatingError::Internal,
        }
    }
}

impl From<crate::store::StoreError> for RatingError {
    fn from(e: crate::store::StoreError) -> Self {
        ServiceError::from(e).into()
    }
}

impl UseCaseError for RatingError {
    fn kind(&self) -> ErrorKind {
        match self {
            RatingError::Invalid(_) => ErrorKind::Invalid,
            RatingError::NotFound => ErrorKind::NotFound,
            RatingError::Refused(_) | RatingError::FollowUp(_) => ErrorKind::Conflict,
            RatingError::Forbidden => ErrorKind::Forbidden,
            RatingError::Internal => ErrorKind::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            RatingError::Invalid(errors) => crate::error::first_field(errors),
            _ => None,
        }
    }

    fn field_messages(&self, lang: Lang) -> Vec<(&str, String)> {
        match self {
            RatingError::Invalid(errors) => crate::error::field_messages(errors, lang),
            _ => Vec::new(),
        }
    }

    /// The message in `lang`: the Chinese text is the `Display` one.
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (_, RatingError::Invalid(errors)) => crate::error::first_message(errors, lang),
            (_, RatingError::Refused(r)) => r.message(lang),
            (_, RatingError::FollowUp(e)) => e.message(lang),
            (_, RatingError::Internal) => kind_message(ErrorKind::Internal, lang).to_string(),
            (Lang::ZhCn, e) => e.to_string(),
            (Lang::En, RatingError::NotFound) => {
                "No such service was found; please check the code and the phone number".into()
            }
            (Lang::En, RatingError::Forbidden) => {
                "You do not have permission to handle this follow-up".into()
            }
        }
    }
}

/// A service found by its code, as the rating page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rateable {
    pub subject: RatedSubject,
    pub service: RatedService,
    pub place: Location,
    /// The rating already given, if any.
    pub rating: Option<RatingRecord>,
    /// Why it cannot be rated now (`None`: it can).
    pub refusal: Option<RatingRefusal>,
}

/// A poor rating's follow-up as a staff member sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpItem {
    pub rating_id: i64,
    pub place: Location,
    pub record: RatingRecord,
    pub follow_up: FollowUp,
    pub overdue: bool,
    /// Whether this account may see the level, reasons, comment and notes (psychology: only
    /// counsellors); without, `record`'s rating and the notes are blanked.
    pub details: bool,
    /// Whether this account may call back and close it.
    pub may_act: bool,
    /// The level, the call back's note and what was changed, each `None` without `details`
    /// (the front doors show these, never the blanked copies).
    pub level: Option<domain::rating::Level>,
    pub said: Option<String>,
    pub changed: Option<String>,
}

#[derive(Clone)]
pub struct Ratings {
    store: Arc<dyn Store>,
    directory: Directory,
    /// The holiday calendar the follow-up deadline counts working days with.
    bookings: Bookings,
    staff: Staff,
    sealer: Sealer,
    clock: Clock,
}

impl Ratings {
    pub fn new(
        store: Arc<dyn Store>,
        directory: Directory,
        bookings: Bookings,
        staff: Staff,
        sealer: Sealer,
        clock: Clock,
    ) -> Self {
        Ratings {
            store,
            directory,
            bookings,
            staff,
            sealer,
            clock,
        }
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    fn walk_in_tag(&self, entry: i64) -> String {
        WalkInCode::tag_of_digest(&self.sealer.digest(WALK_IN_PURPOSE, &entry.to_le_bytes()))
    }

    /// The code printed (as a QR code) on walk-in ticket `entry`: it alone lets the holder
    /// rate the visit.
    pub fn walk_in_code(&self, entry: i64) -> String {
        WalkInCode {
            entry,
            tag: self.walk_in_tag(entry),
        }
        .to_string()
    }

    /// The service a code names: a walk-in ticket's code (no phone needed), or a booking or
    /// mediation case code with the resident's phone. Anything else, a wrong tag or a phone
    /// that is not the service's is [`RatingError::NotFound`], alike.
    pub async fn find(&self, code: &str, phone: &str) -> Result<Rateable, RatingError> {
        self.rateable(code, Some(phone)).await
    }

    /// [`find`](Self::find) without the phone, for a device that already proved it holds the
    /// booking or case (it made it, or looked it up): the caller checks that.
    pub async fn find_held(&self, code: &str) -> Result<Rateable, RatingError> {
        self.rateable(code, None).await
    }

    async fn rateable(&self, code: &str, phone: Option<&str>) -> Result<Rateable, RatingError> {
        let (subject, service) = self.subject(code, phone).await?;
        let place = self.directory.location(service.place).await?;
        let rating = self.store.rating_of(subject).await?;
        let refusal = may_rate(&service, rating.is_some(), self.now()).err();
        Ok(Rateable {
            subject,
            service,
            place,
            rating,
            refusal,
        })
    }

    /// `phone`: the one the resident typed, or `None` when the caller vouches for the code.
    async fn subject(
        &self,
        code: &str,
        phone: Option<&str>,
    ) -> Result<(RatedSubject, RatedService), RatingError> {
        if code.len() > 64 || phone.is_some_and(|p| p.len() > 64) {
            return Err(RatingError::NotFound);
        }
        if let Some(walk_in) = WalkInCode::parse(code) {
            let expected = self.walk_in_tag(walk_in.entry);
            if constant_time_eq(expected.as_bytes(), walk_in.tag.as_bytes()) {
                return self.walk_in(walk_in.entry).await;
            }
            // not ours: it may still be a booking code typed with a dash
        }
        let Ok(code) = BookingCode::parse(code) else {
            return Err(RatingError::NotFound);
        };
        let phone = match phone.map(MobilePhone::parse) {
            None => None,
            Some(Ok(p)) => Some(p),
            Some(Err(_)) => return Err(RatingError::NotFound),
        };
        // compared without an early exit, so timing tells nothing of the number
        let owns = |stored: &str| {
            phone
                .as_ref()
                .is_none_or(|p| constant_time_eq(stored.as_bytes(), p.as_str().as_bytes()))
        };
        if let Some(b) = self.store.booking_by_code(code.as_str()).await? {
            if owns(&b.phone) {
                let entry = self.store.queue_entry_of_booking(b.id).await?;
                // finished when served; a booking marked done without a desk's record (an
                // import) counts from its slot's end
                let at = entry.and_then(|e| e.finished_at).unwrap_or(b.end);
                return Ok((
                    RatedSubject::Booking(b.id),
                    RatedService::booking(b.service, b.location_id, b.state, at),
                ));
            }
        }
        let case_code = CaseCode::parse(code.as_str()).map_err(|_| RatingError::NotFound)?;
        match self.store.case_by_code(case_code.as_str()).await? {
            Some(c) if owns(&c.applicant_phone) => {
                let at = c.closed_at.unwrap_or(c.submitted_at);
                Ok((
                    RatedSubject::Case(c.id),
                    RatedService::case(c.location_id, c.state, at),
                ))
            }
            _ => Err(RatingError::NotFound),
        }
    }

    /// A walk-in ticket's visit; a booked visit's entry is rated as its booking.
    async fn walk_in(&self, entry: i64) -> Result<(RatedSubject, RatedService), RatingError> {
        let e = self
            .store
            .queue_entry(entry)
            .await?
            .ok_or(RatingError::NotFound)?;
        let at = e.finished_at.unwrap_or(e.arrived_at);
        Ok(match &e.booking {
            Some(b) => (
                RatedSubject::Booking(b.id),
                RatedService::booking(b.service, b.location_id, b.state, at),
            ),
            None => (
                RatedSubject::WalkIn(e.id),
                RatedService::walk_in(e.service, e.location_id, e.state, at),
            ),
        })
    }

    /// Rates the service `code` (and `phone`) names. The form is checked first (every field
    /// at fault), then the service is found, then the rules say whether it may be rated; the
    /// database has the last word on "only once". A poor rating opens its follow-up, due by
    /// the end of the third working day after today.
    pub async fn rate(
        &self,
        code: &str,
        phone: &str,
        form: &RatingForm,
    ) -> Result<RatingRecord, RatingError> {
        self.rate_as(code, Some(phone), form).await
    }

    /// [`rate`](Self::rate) for a device that holds the booking or case ([`find_held`](Self::find_held)).
    pub async fn rate_held(
        &self,
        code: &str,
        form: &RatingForm,
    ) -> Result<RatingRecord, RatingError> {
        self.rate_as(code, None, form).await
    }

    async fn rate_as(
        &self,
        code: &str,
        phone: Option<&str>,
        form: &RatingForm,
    ) -> Result<RatingRecord, RatingError> {
        let rating: Rating = form.check().map_err(RatingError::Invalid)?;
        let found = self.rateable(code, phone).await?;
        if let Some(refusal) = found.refusal {
            return Err(RatingError::Refused(refusal));
        }
        let now = self.now();
        let new = NewRating {
            subject: found.subject,
            location_id: found.place.id,
            service: found.service.service,
            follow_up_due: rating
                .needs_follow_up()
                .then(|| follow_up_due(now, &self.bookings.calendar())),
            rating,
            rated_at: now,
        };
        let id = self
            .store
            .add_rating(&new)
            .await?
            .map_err(|_| RatingError::Refused(RatingRefusal::AlreadyRated))?;
        tracing::info!(
            rating = id,
            kind = new.subject.kind().code(),
            level = new.rating.level.code(),
            "service rated"
        );
        self.store
            .rating_by_id(id)
            .await?
            .ok_or(RatingError::Internal)
    }

    /// The follow-ups an account sees: at `place` (open ones only with `open_only`), or with
    /// no place every open one its scope covers (the whole district for district roles, an
    /// office and its workrooms for an office head). Psychology items show their details
    /// only to counsellors.
    pub async fn follow_ups(
        &self,
        account: &StaffAccount,
        place: Option<LocationId>,
        open_only: bool,
    ) -> Result<Vec<FollowUpItem>, RatingError> {
        let records = match place {
            Some(id) => {
                let place = self.directory.location(id).await?;
                if !account.covers(&place) {
                    return Err(RatingError::Forbidden);
                }
                self.store.follow_ups_at(id, open_only).await?
            }
            None => self.store.open_follow_ups().await?,
        };
        let now = self.now();
        let mut items = Vec::with_capacity(records.len());
        for record in records {
            let place = self.directory.location(record.location_id).await?;
            // the district's open items, as far as the account's scope reaches
            if !account.covers(&place) {
                continue;
            }
            if let Some(item) = self.item(account, place, record, now) {
                items.push(item);
            }
        }
        Ok(items)
    }

    fn item(
        &self,
        account: &StaffAccount,
        place: Location,
        mut record: RatingRecord,
        now: DateTime<Utc>,
    ) -> Option<FollowUpItem> {
        let mut follow_up = record.follow_up.as_ref()?.follow_up.clone();
        let details = may_see_rating(account, record.service, &place);
        let may_act = may_follow_up(account, record.service, &place);
        if !details {
            // what the resident and staff wrote stays out of every copy handed on
            record.rating.reasons.clear();
            record.rating.comment = None;
            blank_notes(&mut follow_up);
            if let Some(f) = record.follow_up.as_mut() {
                blank_notes(&mut f.follow_up);
            }
        }
        let (said, changed) = follow_up.state.notes();
        let shown = |n: Option<&domain::rating::Note>| {
            n.filter(|_| details).map(|n| n.as_str().to_string())
        };
        let (said, changed) = (shown(said), shown(changed));
        let level = details.then_some(record.rating.level);
        Some(FollowUpItem {
            rating_id: record.id,
            overdue: follow_up.is_overdue(now),
            level,
            said,
            changed,
            place,
            record,
            follow_up,
            details,
            may_act,
        })
    }

    /// Records a follow-up step (the call back, or what was changed and closing it) by an
    /// account that may follow the rating up; audited. Someone else's step in between is
    /// reported as the refusal the new state gives.
    pub async fn step(
        &self,
        account: &StaffAccount,
        rating_id: i64,
        step: FollowUpStep,
    ) -> Result<FollowUpItem, RatingError> {
        let record = self
            .store
            .rating_by_id(rating_id)
            .await?
            .ok_or(RatingError::NotFound)?;
        let place = self.directory.location(record.location_id).await?;
        if !may_see_rating(account, record.service, &place) {
            // not even whether it exists
            return Err(RatingError::NotFound);
        }
        if !may_follow_up(account, record.service, &place) {
            return Err(RatingError::Forbidden);
        }
        let follow_up = record
            .follow_up
            .as_ref()
            .ok_or(RatingError::NotFound)?
            .follow_up
            .clone();
        let now = self.now();
        let action = step.code();
        let to = follow_up
            .next(step.clone(), now)
            .map_err(RatingError::FollowUp)?;
        let from = follow_up.state.code();
        if !self
            .store
            .step_follow_up(rating_id, from, &to, account.id, now)
            .await?
        {
            // someone else acted first: refuse as the state they left says
            let current = self
                .store
                .rating_by_id(rating_id)
                .await?
                .and_then(|r| r.follow_up)
                .ok_or(RatingError::NotFound)?;
            let refusal = current
                .follow_up
                .next(step, now)
                .err()
                .unwrap_or(FollowUpError::AlreadyCalled);
            return Err(RatingError::FollowUp(refusal));
        }
        // the notes are personal data: the audit log keeps only the states
        self.staff
            .audit(
                account,
                &format!("follow_up.{action}"),
                Some(place.id),
                Some(format!("rating {rating_id}")),
                Some((from.to_string(), to.code().to_string())),
            )
            .await;
        let record = self
            .store
            .rating_by_id(rating_id)
            .await?
            .ok_or(RatingError::Internal)?;
        self.item(account, place, record, now)
            .ok_or(RatingError::Internal)
    }
}

/// Texts residents a link to rate a finished visit or a closed case, once each, through
/// the notification outbox. Walk-ins have no phone: their ticket carries the link.
#[derive(Clone)]
pub struct RatingInvites {
    notifier: crate::notify::Notifier,
    directory: Directory,
    /// `https://…/rate/`: the code is appended.
    link_base: String,
}

impl RatingInvites {
    pub fn new(notifier: crate::notify::Notifier, directory: Directory, link_base: String) -> Self {
        RatingInvites {
            notifier,
            directory,
            link_base,
        }
    }

    async fn send(
        &self,
        key: String,
        booking: Option<i64>,
        phone: &str,
        place: LocationId,
        code: &str,
    ) {
        let place = match self.directory.location(place).await {
            Ok(p) => p,
            Err(e) => {
                tracing::error!(error = %e, "no place for a rating invitation");
                return;
            }
        };
        let link = format!("{}{code}", self.link_base);
        let body = domain::rating::invite_text(&place.name, &link, Lang::ZhCn);
        self.notifier
            .enqueue_once(
                domain::notify::NoticeKind::RatingInvite,
                booking,
                phone,
                body,
                key,
            )
            .await;
    }

    /// A booked visit that has just been finished (served, or handed over).
    pub async fn booking(&self, b: &crate::store::BookingRecord) {
        if b.state == domain::BookingState::Done {
            self.send(
                format!("rating_invite:booking:{}", b.id),
                Some(b.id),
                &b.phone,
                b.location_id,
                &b.code,
            )
            .await;
        }
    }

    /// A mediation case that has just been closed.
    pub async fn case(&self, c: &crate::store::CaseRecord) {
        if c.state.is_closed() {
            self.send(
                format!("rating_invite:case:{}", c.id),
                None,
                &c.applicant_phone,
                c.location_id,
                &c.code,
            )
            .await;
        }
    }
}

fn blank_notes(f: &mut FollowUp) {
    use domain::rating::FollowUpState;
    let hidden = || domain::rating::Note::parse("said", "—").expect("a dash is a note");
    match &mut f.state {
        FollowUpState::Open => {}
        FollowUpState::Called(call) => call.said = hidden(),
        FollowUpState::Closed { call, changed, .. } => {
            call.said = hidden();
            *changed = hidden();
        }
    }
}

//! What pages receive from server functions: lean, serialisable views of domain data.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use domain::booking::ResidentForm;
use domain::{BookingState, Location, LocationKind, ServiceCode, ServiceOffer};
use serde::{Deserialize, Serialize};

/// A place in a list: enough to show and link it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceCard {
    pub id: i64,
    pub kind: LocationKind,
    pub name: String,
    pub area: String,
    pub neighbourhood: String,
    pub address: String,
    pub services: Vec<ServiceCode>,
}

impl From<&Location> for PlaceCard {
    fn from(l: &Location) -> Self {
        PlaceCard {
            id: l.id.0,
            kind: l.kind,
            name: l.name.clone(),
            area: l.area.clone(),
            neighbourhood: l.neighbourhood.clone(),
            address: l.address.clone(),
            services: l.service_codes(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeWithWorkrooms {
    pub office: PlaceCard,
    pub workrooms: Vec<PlaceCard>,
}

/// An office with the number of its workrooms (the home page's list).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeSummary {
    pub id: i64,
    pub name: String,
    pub workrooms: usize,
}

/// Everything the place page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceDetail {
    pub place: PlaceCard,
    pub phone: Option<String>,
    pub office: Option<PlaceCard>,
    pub services: Vec<ServiceOffer>,
    pub workrooms: Vec<PlaceCard>,
}

// ---- booking ------------------------------------------------------------------------------

/// A day of the booking window that has slots, with how many seats are still free.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayChoice {
    pub date: NaiveDate,
    pub free: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlotChoice {
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    pub capacity: u16,
    pub remaining: u16,
    pub youth_only: bool,
}

impl SlotChoice {
    /// The slot's local start time, as the `time` query parameter carries it (`09:00`).
    pub fn time_param(&self) -> String {
        self.start.format("%H:%M").to_string()
    }
}

/// Days, the chosen day's slots and the chosen slot: the three steps before the form. Shared
/// by booking and rescheduling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SlotPicker {
    pub days: Vec<DayChoice>,
    pub day: Option<NaiveDate>,
    pub slots: Vec<SlotChoice>,
    pub chosen: Option<SlotChoice>,
}

impl SlotPicker {
    /// Groups a window's slots by day and picks out the chosen day and time (local).
    pub fn build(all: Vec<SlotChoice>, day: Option<NaiveDate>, time: Option<NaiveTime>) -> Self {
        let mut days: Vec<DayChoice> = Vec::new();
        for s in &all {
            let date = s.start.date_naive();
            match days.last_mut() {
                Some(d) if d.date == date => d.free += u32::from(s.remaining),
                _ => days.push(DayChoice {
                    date,
                    free: u32::from(s.remaining),
                }),
            }
        }
        let day = day.filter(|d| days.iter().any(|c| c.date == *d));
        let slots: Vec<SlotChoice> = match day {
            Some(d) => all
                .into_iter()
                .filter(|s| s.start.date_naive() == d)
                .collect(),
            None => vec![],
        };
        let chosen = time.and_then(|t| slots.iter().find(|s| s.start.time() == t).cloned());
        SlotPicker {
            days,
            day,
            slots,
            chosen,
        }
    }
}

/// A free slot elsewhere, offered when the chosen one is full.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlternativeChoice {
    pub location_id: i64,
    pub location_name: String,
    pub slot: SlotChoice,
}

/// A form field that is wrong and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMessage {
    pub field: String,
    pub message: String,
}

impl From<domain::booking::FieldError> for FieldMessage {
    fn from(e: domain::booking::FieldError) -> Self {
        FieldMessage {
            field: e.field.to_string(),
            message: e.message_in(crate::i18n::lang()).to_string(),
        }
    }
}

/// Why a form was not accepted: wrong fields, a refusal that names its reason, or a full slot
/// with alternatives.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Rejection {
    pub errors: Vec<FieldMessage>,
    pub refusal: Option<String>,
    pub alternatives: Vec<AlternativeChoice>,
    /// A code was just sent to prove the phone: the form asks for it.
    #[serde(default)]
    pub code_sent: Option<CodeSent>,
}

/// A one-time code on its way to the resident's phone.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CodeSent {
    /// Where it went, masked (`138****5678`).
    pub phone: String,
    /// Minutes it is good for.
    pub minutes: i64,
    /// Only in a demo without an SMS gateway: the code, shown on the page.
    pub demo_code: Option<String>,
}

impl Rejection {
    pub fn refused(message: impl Into<String>) -> Self {
        Rejection {
            refusal: Some(message.into()),
            ..Default::default()
        }
    }

    /// Every message, field errors first: what the error summary lists.
    pub fn messages(&self) -> Vec<(Option<String>, String)> {
        self.errors
            .iter()
            .map(|e| (Some(e.field.clone()), e.message.clone()))
            .chain(self.refusal.iter().map(|m| (None, m.clone())))
            .collect()
    }

    /// Whether the form must ask for the code sent to the phone.
    pub fn asks_for_code(&self) -> bool {
        self.code_sent.is_some() || self.for_field(domain::verify::FIELD).is_some()
    }

    pub fn for_field(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }
}

/// A rejected form kept for the next page when JavaScript is off (the browser reloads the
/// page, so the typed values come back from the server and nothing is lost).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BookingFlash {
    pub start: String,
    pub form: ResidentForm,
    pub rejection: Rejection,
}

/// Everything the booking page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingPageData {
    pub place: PlaceCard,
    pub service: ServiceCode,
    pub picker: SlotPicker,
    /// Offered when the chosen slot is already full.
    pub alternatives: Vec<AlternativeChoice>,
    pub flash: Option<BookingFlash>,
}

/// A resident's booking as its holder sees it. Confidential services show a neutral title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingView {
    /// As shown and read out: `ABCDE-FGHJK`.
    pub code: String,
    pub title: String,
    pub place_id: i64,
    pub place_name: String,
    pub place_address: String,
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    pub state: BookingState,
    pub phone_masked: String,
    pub qr_svg: String,
    pub history: Vec<HistoryLine>,
}

/// One line of a booking's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at: DateTime<FixedOffset>,
    pub kind: domain::booking::BookingEventKind,
    pub from_start: Option<DateTime<FixedOffset>>,
    pub to_start: Option<DateTime<FixedOffset>>,
}

/// A booking remembered on this device, in the "my bookings" list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingSummary {
    pub code: String,
    pub title: String,
    pub place_name: String,
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    pub state: BookingState,
}

/// The reschedule page: the booking and a picker of its place's free slots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RescheduleData {
    pub booking: BookingView,
    pub picker: SlotPicker,
    pub alternatives: Vec<AlternativeChoice>,
    pub flash: Option<Rejection>,
}

/// The outcome of a form whose success is a redirect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FormOutcome {
    Done,
    Rejected(Rejection),
}

/// A place in a drop-down list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceChoice {
    pub id: domain::LocationId,
    pub name: String,
    /// Has an IP mediation room (the only places that take IP disputes).
    pub ip: bool,
}

/// An office and its workrooms, one group of a drop-down list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceChoiceGroup {
    pub office: PlaceChoice,
    pub workrooms: Vec<PlaceChoice>,
}

/// A mediation request kept after a rejected post without JavaScript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediationFlash {
    pub form: domain::mediation::MediationForm,
    pub rejection: Rejection,
}

/// Everything the mediation request page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediationFormData {
    /// The place the resident came from (`?place=`), if any.
    pub place: Option<PlaceCard>,
    /// Every office with its workrooms, for choosing a place: names only, since the
    /// page sends the whole district's list to the phone (addresses tripled its size).
    pub offices: Vec<PlaceChoiceGroup>,
    /// A dispute type chosen before (`?type=ip` from an IP room's page).
    pub dispute_type: Option<String>,
    pub flash: Option<MediationFlash>,
}

/// A case as its applicant follows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseProgressView {
    /// `XXXXX-XXXXX`
    pub code: String,
    pub state: domain::mediation::CaseState,
    pub dispute_type: domain::mediation::DisputeType,
    pub place_name: String,
    pub place_address: String,
    pub timeline: Vec<(domain::mediation::CaseState, DateTime<FixedOffset>)>,
    pub next_session: Option<SessionLine>,
    pub agreement_no: Option<String>,
    pub refusal_reason: Option<String>,
    pub referral: Option<domain::mediation::Referral>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionLine {
    pub start: DateTime<FixedOffset>,
    pub place_name: String,
    pub address: String,
}

/// A place's mediation cases as a staff member may see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffCaseList {
    pub place: PlaceCard,
    pub cases: Vec<StaffCaseLine>,
    /// Cases at the place this account may not see (counted only).
    pub hidden: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffCaseLine {
    /// `XXXXX-XXXXX`
    pub code: String,
    /// Without the dash, for links.
    pub plain_code: String,
    pub state: domain::mediation::CaseState,
    pub dispute_type: domain::mediation::DisputeType,
    pub applicant: String,
    pub other_party: String,
    pub submitted_at: DateTime<FixedOffset>,
    pub next_session: Option<DateTime<FixedOffset>>,
    pub overdue: bool,
}

/// One case with its history and what the account may do next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffCaseFile {
    pub line: StaffCaseLine,
    pub version: i64,
    pub place: PlaceCard,
    pub applicant_phone: String,
    pub other_party_phone: Option<String>,
    pub relation: Option<String>,
    pub account: String,
    pub mediator: Option<String>,
    /// Accounts the case may be assigned to (empty when this account may not assign).
    pub mediators: Vec<(i64, String)>,
    /// When a meeting can be held at the case's place (only while one may be arranged).
    pub session_times: Vec<DateTime<FixedOffset>>,
    pub me: i64,
    pub amount_yuan: Option<String>,
    pub terms: Option<String>,
    pub reason: Option<String>,
    pub referral: Option<domain::mediation::Referral>,
    pub agreement_no: Option<String>,
    pub events: Vec<CaseEventLine>,
    /// A refusal kept for the page (JavaScript off).
    pub notice: Option<Rejection>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseEventLine {
    pub at: DateTime<FixedOffset>,
    pub action: String,
    pub to_state: domain::mediation::CaseState,
    pub by: Option<String>,
}

/// A written agreement, ready to print.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgreementView {
    pub number: String,
    pub committee: String,
    pub applicant: String,
    pub other_party: String,
    pub dispute_type: domain::mediation::DisputeType,
    pub facts: String,
    pub terms: String,
    pub amount_yuan: String,
    pub mediator: String,
    pub date: NaiveDate,
}

/// A consultation at the desk about to become a mediation case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeskConsultation {
    pub entry_id: i64,
    pub ticket: String,
    pub place: PlaceCard,
    /// What the case form starts with: the booked resident's name and phone, or a form kept
    /// after a rejected post.
    pub typed: domain::mediation::MediationForm,
    pub rejection: Option<Rejection>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn slot(d: u32, h: u32, remaining: u16) -> SlotChoice {
        let tz = FixedOffset::east_opt(8 * 3600).unwrap();
        let start = tz.with_ymd_and_hms(2026, 12, d, h, 0, 0).unwrap();
        SlotChoice {
            start,
            end: start + chrono::Duration::minutes(30),
            capacity: 2,
            remaining,
            youth_only: false,
        }
    }

    #[test]
    fn picker_groups_days_and_finds_the_chosen_slot() {
        let all = vec![slot(1, 9, 2), slot(1, 10, 0), slot(3, 9, 1)];
        let d1 = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let p = SlotPicker::build(all.clone(), None, None);
        assert_eq!(p.days.len(), 2);
        assert_eq!((p.days[0].date, p.days[0].free), (d1, 2));
        assert_eq!(p.days[1].free, 1);
        assert!(p.slots.is_empty() && p.chosen.is_none());

        let ten = NaiveTime::from_hms_opt(10, 0, 0).unwrap();
        let p = SlotPicker::build(all.clone(), Some(d1), Some(ten));
        assert_eq!(p.slots.len(), 2);
        assert_eq!(p.chosen.as_ref().map(|s| s.remaining), Some(0));
        assert_eq!(p.chosen.unwrap().time_param(), "10:00");

        // a day outside the window (or a made-up time) chooses nothing
        let p = SlotPicker::build(all, NaiveDate::from_ymd_opt(2026, 12, 2), Some(ten));
        assert_eq!(p.day, None);
        assert!(p.chosen.is_none());
    }
}

// ---- staff ---------------------------------------------------------------------------------

/// The signed-in staff member and the places they may open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffHome {
    pub display_name: String,
    pub role_label: String,
    pub places: Vec<PlaceCard>,
    /// Places whose opening hours this account may change.
    pub schedule_places: Vec<i64>,
    /// District admins and auditors read the audit log.
    pub sees_audit: bool,
    /// The statistics this account may open (`district` or its office), if any.
    pub stats_scope: Option<String>,
}

impl StaffHome {
    /// The place a staff page opens: the one asked for, else the account's first.
    pub fn place(&self, asked: Option<i64>) -> i64 {
        asked.unwrap_or_else(|| self.places.first().map(|p| p.id).unwrap_or_default())
    }
}

/// A place's day as a staff page shows it (phones masked; confidential topics withheld).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffQueue {
    pub place: PlaceCard,
    pub date: NaiveDate,
    pub services: Vec<ServiceCode>,
    pub waiting: Vec<QueueLine>,
    pub active: Vec<QueueLine>,
    pub finished: Vec<QueueLine>,
    pub expected: Vec<ExpectedLine>,
}

/// One arrived person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueLine {
    pub id: i64,
    pub ticket: String,
    pub service: ServiceCode,
    pub state: domain::queue::QueueState,
    pub can_undo: bool,
    pub desk: Option<String>,
    /// `王芳 · 139****5678 · 09:00` for a booking; empty for a walk-in.
    pub who: String,
    /// No booking: its printed ticket carries the QR code to rate the visit.
    pub walk_in: bool,
    pub topic: Option<String>,
    pub outcome: Option<String>,
}

/// A booking of the day that has not arrived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpectedLine {
    pub code: String,
    pub service: ServiceCode,
    pub start: DateTime<FixedOffset>,
    pub state: BookingState,
    pub who: String,
}

/// The schedules page of a place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchedulePage {
    pub place: PlaceCard,
    pub services: Vec<ServiceRules>,
    /// A change kept from a plain form post: which service, what was typed, why not saved.
    pub kept: Option<(String, String, Rejection)>,
    /// A closure not saved yet (needs confirming, or wrong).
    pub closure: Option<Rejection>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceRules {
    pub service: ServiceCode,
    pub lines: Vec<String>,
}

/// One staff action in the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: DateTime<FixedOffset>,
    pub username: String,
    pub action: String,
    pub place: Option<i64>,
    pub subject: String,
    pub change: String,
}

/// What the waiting-list form holds, as typed (dates `YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct WaitlistTyped {
    pub from: String,
    pub to: String,
    pub part_of_day: String,
    pub name: String,
    pub phone: String,
    pub topic: String,
    pub account: String,
    pub consent: bool,
}

/// A waiting-list form not accepted, kept for the next page when JavaScript is off.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct WaitlistFlash {
    pub form: WaitlistTyped,
    pub rejection: Rejection,
}

/// The page to join a service's waiting list at a place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaitlistFormData {
    pub place: PlaceCard,
    pub service: ServiceCode,
    /// What the form starts with: the day asked about, or what was typed before.
    pub typed: WaitlistTyped,
    /// The booking window: the dates one may wait for.
    pub first_day: chrono::NaiveDate,
    pub last_day: chrono::NaiveDate,
    pub rejection: Option<Rejection>,
}

/// A seat held for a waiting resident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferView {
    pub start: chrono::DateTime<chrono::FixedOffset>,
    pub end: chrono::DateTime<chrono::FixedOffset>,
    /// The hold ends then.
    pub until: chrono::DateTime<chrono::FixedOffset>,
}

/// A waiting-list entry as the resident who joined it sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaitlistView {
    /// The code of its link, `/waitlist/{code}`.
    pub code: String,
    pub title: String,
    pub place_name: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub part: domain::waitlist::PartOfDay,
    /// `waiting`, `offered`, … (`domain::waitlist::EntryState::code`).
    pub state: String,
    pub state_label: String,
    pub offer: Option<OfferView>,
}

/// One waiting resident as staff see the place's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffWaitLine {
    pub joined_at: chrono::DateTime<chrono::FixedOffset>,
    pub service: ServiceCode,
    pub name: String,
    /// Masked: staff call residents from the day's queue, not from the list.
    pub phone: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub part: domain::waitlist::PartOfDay,
    pub state_label: String,
    /// The seat held, while it is.
    pub offer: Option<OfferView>,
}

/// A place's waiting list for its staff, with how many offers became bookings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffWaitlistView {
    pub place_name: String,
    pub offered: u64,
    pub booked: u64,
    pub lines: Vec<StaffWaitLine>,
}

// ---- ratings (好差评) ------------------------------------------------------------------

/// A finished service as the rating page shows it (`/rate/:code`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateView {
    /// The code of the page: a booking or case code, or a walk-in ticket's.
    pub code: String,
    pub title: String,
    pub place_name: String,
    /// The local day the service was finished (none if it has not been).
    pub finished_on: Option<NaiveDate>,
    /// The last day it may be rated.
    pub rate_until: Option<NaiveDate>,
    /// The rating already given.
    pub given: Option<GivenRating>,
    /// Why it cannot be rated now, in the visitor's language.
    pub refusal: Option<String>,
}

/// A rating as the resident gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GivenRating {
    pub level: domain::rating::Level,
    pub reasons: Vec<domain::rating::Reason>,
    pub comment: Option<String>,
    /// For a poor rating: the day by whose end the place calls back.
    pub follow_up_due: Option<NaiveDate>,
}

/// What the rating form holds, as typed (codes).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RateTyped {
    pub level: String,
    pub reasons: Vec<String>,
    pub comment: String,
}

/// A rating not accepted, kept for the next page when JavaScript is off.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RateFlash {
    pub code: String,
    pub form: RateTyped,
    pub rejection: Rejection,
}

/// What `/rate/:code` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RatePage {
    /// The service, with a form not accepted (JavaScript off) kept.
    Service {
        view: Box<RateView>,
        typed: RateTyped,
        rejection: Option<Rejection>,
    },
    /// A booking or case code this device has not proved: ask for the phone.
    NeedPhone {
        phone: String,
        rejection: Option<Rejection>,
    },
    /// A walk-in code that names no visit.
    NotFound,
}

/// A poor rating's follow-up as staff see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUpLine {
    pub rating_id: i64,
    pub place_name: String,
    pub service: ServiceCode,
    pub rated_at: DateTime<FixedOffset>,
    /// `None` where the account may not see it (psychology: counsellors only).
    pub level: Option<domain::rating::Level>,
    pub reasons: Vec<domain::rating::Reason>,
    pub comment: Option<String>,
    /// `open`, `called`, `closed`.
    pub state: String,
    pub state_label: String,
    pub due: NaiveDate,
    pub overdue: bool,
    pub said: Option<String>,
    pub changed: Option<String>,
    pub closed_on_time: Option<bool>,
    pub may_act: bool,
}

/// The follow-up page: whose items, and the items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUpsView {
    /// The place's name, or none for every open item in the account's scope.
    pub place_name: Option<String>,
    pub lines: Vec<FollowUpLine>,
    /// A step refused, kept for this page (JavaScript off).
    pub notice: Option<Rejection>,
}

/// A walk-in ticket with the QR code of its rating link (staff print it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketView {
    pub ticket: String,
    pub place_name: String,
    pub title: String,
    pub day: NaiveDate,
    pub rating_url: String,
    pub qr_svg: String,
}

//! Server functions of residents' bookings: the booking page, booking, "my bookings", look-up,
//! cancel and reschedule. Rules live in `domain` and `backend`; these shape views, remember
//! bookings on the device and, when JavaScript is off, keep rejected forms for the next page.

// A server function's arguments are its form's fields; `#[server]` does not pass an `allow`
// on to the code it generates, so the booking form's nine fields need it here.
#![allow(clippy::too_many_arguments)]

use crate::api::common::AppError;
use crate::model::{BookingPageData, BookingSummary, BookingView, FormOutcome, RescheduleData};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use crate::api::common::AppError;
    use crate::device;
    use crate::model::{
        AlternativeChoice, BookingSummary, BookingView, FormOutcome, HistoryLine, Rejection,
        SlotChoice, SlotPicker,
    };
    use backend::booking::{Alternative, BookingError, SlotAvailability};
    use backend::store::BookingRecord;
    use backend::Bookings;
    use chrono::{DateTime, NaiveDate, NaiveTime};
    use domain::slots::to_local;
    use domain::{BookingCode, Location, ServiceCode};

    pub fn bookings() -> Result<Bookings, AppError> {
        crate::api::common::context("bookings")
    }

    pub fn slot_choice(s: SlotAvailability) -> SlotChoice {
        SlotChoice {
            start: s.slot.start,
            end: s.slot.end,
            capacity: s.slot.capacity,
            remaining: s.remaining,
            youth_only: s.slot.youth_only,
        }
    }

    pub fn alternative(a: Alternative) -> AlternativeChoice {
        AlternativeChoice {
            location_id: a.location_id.0,
            location_name: a.location_name,
            slot: slot_choice(a.slot),
        }
    }

    pub fn parse_day(day: Option<String>) -> Option<NaiveDate> {
        day.and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
    }

    pub fn parse_time(time: Option<String>) -> Option<NaiveTime> {
        time.and_then(|t| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok())
    }

    /// The window's slots of a service at a place, as a picker.
    pub async fn picker(
        bookings: &Bookings,
        place: &Location,
        service: ServiceCode,
        day: Option<String>,
        time: Option<String>,
    ) -> Result<SlotPicker, AppError> {
        let (from, to) = bookings.window_days();
        let all = bookings
            .slots(place, service, from, to)
            .await
            .map_err(AppError::from)?;
        Ok(SlotPicker::build(
            all.into_iter().map(slot_choice).collect(),
            parse_day(day),
            parse_time(time),
        ))
    }

    /// `?day=…&time=…` of a page for the slot starting at `start` (RFC 3339).
    pub fn slot_query(start: &str) -> String {
        match DateTime::parse_from_rfc3339(start.trim()) {
            Ok(s) => {
                let s = to_local(&s);
                format!("?day={}&time={}", s.format("%Y-%m-%d"), s.format("%H:%M"))
            }
            Err(_) => String::new(),
        }
    }

    /// A booking error as a form rejection (a full slot with its alternatives); internal
    /// errors stay errors.
    pub fn rejection(e: BookingError) -> Result<Rejection, AppError> {
        match e {
            BookingError::Full { alternatives } => Ok(Rejection {
                refusal: Some(crate::i18n::t(crate::i18n::Msg::SlotJustFull).into()),
                alternatives: alternatives.into_iter().map(alternative).collect(),
                ..Default::default()
            }),
            e => crate::api::common::rejection(&e),
        }
    }

    pub fn shown_code(code: &str) -> String {
        BookingCode::parse(code)
            .map(|c| c.to_string())
            .unwrap_or_else(|_| code.to_string())
    }

    pub async fn view(
        bookings: &Bookings,
        record: &BookingRecord,
    ) -> Result<BookingView, AppError> {
        let place = crate::api::common::directory()?
            .location(record.location_id)
            .await
            .map_err(AppError::from)?;
        let history = bookings
            .history(record)
            .await
            .map_err(AppError::from)?
            .into_iter()
            .map(|e| HistoryLine {
                at: to_local(&e.at),
                kind: e.kind,
                from_start: e.from_start.as_ref().map(to_local),
                to_start: e.to_start.as_ref().map(to_local),
            })
            .collect();
        let qr_svg = BookingCode::parse(&record.code)
            .map(|c| backend::confirmation::qr_svg(&c))
            .unwrap_or_default();
        Ok(BookingView {
            code: shown_code(&record.code),
            title: backend::confirmation::public_title(record.service, crate::i18n::lang())
                .to_string(),
            place_id: place.id.0,
            place_name: place.name.clone(),
            place_address: place.address.clone(),
            start: to_local(&record.start),
            end: to_local(&record.end),
            state: record.state,
            phone_masked: domain::booking::MobilePhone::parse(&record.phone)
                .map(|p| p.masked())
                .unwrap_or_default(),
            qr_svg,
            history,
        })
    }

    pub async fn summary(record: &BookingRecord) -> Result<BookingSummary, AppError> {
        let place = crate::api::common::directory()?
            .location(record.location_id)
            .await
            .map_err(AppError::from)?;
        Ok(BookingSummary {
            code: shown_code(&record.code),
            title: backend::confirmation::public_title(record.service, crate::i18n::lang())
                .to_string(),
            place_name: place.name.clone(),
            start: to_local(&record.start),
            end: to_local(&record.end),
            state: record.state,
        })
    }

    /// The refusal of a booking this device does not hold: the words of an unknown code.
    pub fn not_held() -> Rejection {
        Rejection::refused(backend::UseCaseError::message(
            &BookingError::NotFound,
            crate::i18n::lang(),
        ))
    }

    /// Keeps the booking `code` on this device and goes on to its page (`query` after its
    /// address).
    pub async fn keep_and_open(code: &str, query: &str) -> Result<FormOutcome, AppError> {
        device::remember(&device::session().await?, code).await?;
        crate::redirect::to(&format!("/bookings/{code}{query}"));
        Ok(FormOutcome::Done)
    }

    /// The booking if this device holds it; `None` otherwise (the page then asks for the phone).
    pub async fn held(code: &str) -> Result<Option<BookingRecord>, AppError> {
        let Ok(code) = BookingCode::parse(code) else {
            return Ok(None);
        };
        let session = device::session().await?;
        if !device::holds(&session, code.as_str()).await? {
            return Ok(None);
        }
        match bookings()?.find_remembered(code.as_str()).await {
            Ok(b) => Ok(Some(b)),
            Err(BookingError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// The booking page of a service at a place; `None` when there is no such offer.
#[server(output = crate::api::Compact)]
pub async fn booking_page(
    place_id: i64,
    service: String,
    day: Option<String>,
    time: Option<String>,
) -> Result<Option<BookingPageData>, AppError> {
    use crate::device::{self, Flash};
    use crate::model::PlaceCard;
    use domain::{LocationId, ServiceCode};
    let bookings = ssr::bookings()?;
    let Ok(service) = service.parse::<ServiceCode>() else {
        return Ok(None);
    };
    let place = match crate::api::common::directory()?
        .location(LocationId(place_id))
        .await
    {
        Ok(p) => p,
        Err(backend::ServiceError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    // mediation is asked for, not booked
    if service == ServiceCode::Mediation
        || place.offers(service).is_none_or(|o| o.sessions.is_empty())
    {
        return Ok(None);
    }
    let picker = ssr::picker(&bookings, &place, service, day, time).await?;
    let alternatives = match &picker.chosen {
        Some(c) if c.remaining == 0 => bookings
            .alternatives(&place, service, c.start)
            .await
            .map_err(AppError::from)?
            .into_iter()
            .map(ssr::alternative)
            .collect(),
        _ => vec![],
    };
    let flash = device::take_flash(|f| match f {
        Flash::Booking(b) => Some(b),
        _ => None,
    })
    .await?;
    Ok(Some(BookingPageData {
        place: PlaceCard::from(&place),
        service,
        picker,
        alternatives,
        flash,
    }))
}

/// Books the chosen slot. Success remembers the booking on this device and goes to its
/// confirmation page.
#[server(output = crate::api::Compact)]
pub async fn book_slot(
    location_id: i64,
    service: String,
    start: String,
    name: String,
    phone: String,
    topic: Option<String>,
    account: Option<String>,
    youth: Option<String>,
    consent: Option<String>,
    phone_code: Option<String>,
) -> Result<FormOutcome, AppError> {
    use crate::device::Flash;
    use crate::model::{BookingFlash, FieldMessage, Rejection};
    use backend::booking::BookingRequest;
    use domain::booking::ResidentForm;
    use domain::ServiceCode;

    let form = ResidentForm {
        name,
        phone,
        topic: topic.unwrap_or_default(),
        account: account.unwrap_or_default(),
        youth: youth.is_some(),
        consent: consent.is_some(),
    };
    let back_to = format!(
        "/places/{location_id}/book/{}{}#booking-form",
        crate::redirect::segment(&service),
        ssr::slot_query(&start)
    );
    let keep = {
        let (form, start) = (form.clone(), start.clone());
        move |rejection| {
            Flash::Booking(BookingFlash {
                start,
                form,
                rejection,
            })
        }
    };
    if let Some(r) = crate::api::common::throttled().await {
        return crate::api::common::reject(r, back_to, keep).await;
    }
    // every wrong field at once (the booking itself reports only the first)
    if let Ok(code) = service.parse::<ServiceCode>() {
        if let Err(errors) = form.check(code, false) {
            let r = Rejection {
                errors: errors.into_iter().map(FieldMessage::from).collect(),
                ..Default::default()
            };
            return crate::api::common::reject(r, back_to, keep).await;
        }
    }
    if let Some(r) = crate::api::common::prove_phone(&form.phone, phone_code.as_deref()).await? {
        return crate::api::common::reject(r, back_to, keep).await;
    }
    let request = BookingRequest {
        location_id,
        service: service.clone(),
        start: start.clone(),
        name: form.name.clone(),
        phone: form.phone.clone(),
        topic: form.topic.clone(),
        account: Some(form.account.clone()),
        youth: form.youth,
        consent: form.consent,
        proof: backend::verify::PhoneProof::proved(),
    };
    match ssr::bookings()?.book(&request).await {
        Ok(record) => ssr::keep_and_open(&record.code, "?new=1").await,
        Err(e) => crate::api::common::reject(ssr::rejection(e)?, back_to, keep).await,
    }
}

/// The bookings remembered on this device, soonest first.
#[server(output = crate::api::Compact)]
pub async fn my_bookings() -> Result<Vec<BookingSummary>, AppError> {
    use crate::device;
    let bookings = ssr::bookings()?;
    let codes = device::remembered(&device::session().await?).await?;
    let mut out = Vec::new();
    for code in codes {
        match bookings.find_remembered(&code).await {
            Ok(record) => out.push(ssr::summary(&record).await?),
            Err(backend::booking::BookingError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    out.sort_by_key(|b| (!b.state.is_active(), b.start));
    Ok(out)
}

/// A booking this device holds, with a refusal kept for its page (JavaScript off); `None`
/// when this device does not hold it (the page then asks for the phone number).
#[server(output = crate::api::Compact)]
pub async fn booking_detail(
    code: String,
) -> Result<Option<(BookingView, Option<crate::model::Rejection>)>, AppError> {
    let Some(record) = ssr::held(&code).await? else {
        return Ok(None);
    };
    let view = ssr::view(&ssr::bookings()?, &record).await?;
    let notice = crate::api::common::take_notice(&view.code).await?;
    Ok(Some((view, notice)))
}

/// The look-up form kept after a failed attempt (JavaScript off): code, phone and why.
#[server(output = crate::api::Compact)]
pub async fn lookup_flash() -> Result<Option<(String, String, crate::model::Rejection)>, AppError> {
    use crate::device::{self, Flash};
    device::take_flash(|f| match f {
        Flash::Lookup {
            code,
            phone,
            rejection,
        } => Some((code, phone, rejection)),
        _ => None,
    })
    .await
}

/// Opens a booking with its code and phone number and remembers it on this device. Unknown
/// codes and wrong phone numbers get the same answer.
#[server(output = crate::api::Compact)]
pub async fn open_booking(code: String, phone: String) -> Result<FormOutcome, AppError> {
    use crate::device::Flash;
    let back_to = "/bookings#lookup".to_string();
    let keep = {
        let (code, phone) = (code.clone(), phone.clone());
        move |rejection| Flash::Lookup {
            code,
            phone,
            rejection,
        }
    };
    if let Some(r) = crate::api::common::throttled().await {
        return crate::api::common::reject(r, back_to, keep).await;
    }
    match ssr::bookings()?.find(&code, &phone).await {
        Ok(record) => ssr::keep_and_open(&record.code, "").await,
        Err(e) => crate::api::common::reject(ssr::rejection(e)?, back_to, keep).await,
    }
}

/// Cancels a booking this device holds. It stays in the records as cancelled.
#[server(output = crate::api::Compact)]
pub async fn cancel_booking(
    code: String,
    phone_code: Option<String>,
) -> Result<FormOutcome, AppError> {
    use backend::verify::PhoneProof;
    let shown = ssr::shown_code(&code);
    let back_to = format!("/bookings/{}", crate::redirect::segment(code.trim()));
    let Some(record) = ssr::held(&code).await? else {
        return crate::api::common::reject_noting(ssr::not_held(), back_to, shown).await;
    };
    if !record.state.can_cancel() {
        // said by the use case, before any code is asked for
    } else if let Some(r) =
        crate::api::common::prove_phone(&record.phone, phone_code.as_deref()).await?
    {
        return crate::api::common::reject_noting(r, back_to, shown).await;
    }
    match ssr::bookings()?
        .cancel(&record.code, &record.phone, &PhoneProof::proved())
        .await
    {
        Ok(_) => {
            crate::redirect::to(&format!("/bookings/{}?cancelled=1", record.code));
            Ok(FormOutcome::Done)
        }
        Err(e) => crate::api::common::reject_noting(ssr::rejection(e)?, back_to, shown).await,
    }
}

/// The reschedule page of a booking this device holds: its place's slots for the service.
#[server(output = crate::api::Compact)]
pub async fn reschedule_page(
    code: String,
    day: Option<String>,
    time: Option<String>,
) -> Result<Option<RescheduleData>, AppError> {
    let Some(record) = ssr::held(&code).await? else {
        return Ok(None);
    };
    let bookings = ssr::bookings()?;
    let place = crate::api::common::directory()?
        .location(record.location_id)
        .await
        .map_err(AppError::from)?;
    let picker = ssr::picker(&bookings, &place, record.service, day, time).await?;
    let alternatives = match &picker.chosen {
        Some(c) if c.remaining == 0 => bookings
            .alternatives(&place, record.service, c.start)
            .await
            .map_err(AppError::from)?
            .into_iter()
            .filter(|a| a.location_id == place.id)
            .map(ssr::alternative)
            .collect(),
        _ => vec![],
    };
    let shown = ssr::shown_code(&record.code);
    let flash = crate::api::common::take_notice(&shown).await?;
    Ok(Some(RescheduleData {
        booking: ssr::view(&bookings, &record).await?,
        picker,
        alternatives,
        flash,
    }))
}

/// Moves a booking this device holds to another free slot of the same place and service.
#[server(output = crate::api::Compact)]
pub async fn reschedule_booking(
    code: String,
    start: String,
    phone_code: Option<String>,
) -> Result<FormOutcome, AppError> {
    use backend::verify::PhoneProof;
    let shown = ssr::shown_code(&code);
    let back_to = format!(
        "/bookings/{}/reschedule{}",
        crate::redirect::segment(code.trim()),
        ssr::slot_query(&start)
    );
    let Some(record) = ssr::held(&code).await? else {
        return crate::api::common::reject_noting(ssr::not_held(), back_to, shown).await;
    };
    if let Some(r) = crate::api::common::prove_phone(&record.phone, phone_code.as_deref()).await? {
        return crate::api::common::reject_noting(r, back_to, shown).await;
    }
    match ssr::bookings()?
        .reschedule(&record.code, &record.phone, &start, &PhoneProof::proved())
        .await
    {
        Ok(_) => {
            crate::redirect::to(&format!("/bookings/{}?moved=1", record.code));
            Ok(FormOutcome::Done)
        }
        Err(e) => {
            let mut r = ssr::rejection(e)?;
            // a move stays at the same place
            r.alternatives
                .retain(|a| a.location_id == record.location_id.0);
            crate::api::common::reject_noting(r, back_to, shown).await
        }
    }
}

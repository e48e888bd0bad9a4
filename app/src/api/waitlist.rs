//! Server functions of the waiting lists: the join form, joining, a resident's entries, an
//! entry's page (by its texted link), and confirming, declining or leaving. Rules live in
//! `domain::waitlist` and `backend::waitlist`; these shape views, remember entries on the
//! device and, when JavaScript is off, keep rejected forms for the next page.

#![allow(clippy::too_many_arguments)]

use crate::api::common::AppError;
use crate::model::{FormOutcome, Rejection, StaffWaitlistView, WaitlistFormData, WaitlistView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::api::common::AppError;
    use crate::model::{OfferView, WaitlistView};
    use backend::store::WaitlistRecord;
    use backend::waitlist::Waitlist;
    use domain::slots::to_local;
    use domain::waitlist::EntryState;

    pub fn waitlist() -> Result<Waitlist, AppError> {
        crate::api::common::context("waitlist")
    }

    pub async fn view(r: &WaitlistRecord) -> Result<WaitlistView, AppError> {
        let lang = crate::i18n::lang();
        let e = &r.entry;
        let place = crate::api::common::directory()?
            .location(e.place)
            .await
            .map_err(AppError::from)?;
        Ok(WaitlistView {
            code: r.link_code.clone(),
            title: backend::confirmation::public_title(e.service, lang).to_string(),
            place_name: place.name,
            from: e.from,
            to: e.to,
            part: e.part,
            state: e.state.code().to_string(),
            state_label: match lang {
                domain::Lang::ZhCn => e.state.label_zh(),
                domain::Lang::En => e.state.label_en(),
            }
            .to_string(),
            offer: match &e.state {
                EntryState::Offered(o) => Some(OfferView {
                    start: o.slot.start,
                    end: o.slot.end,
                    until: to_local(&o.until),
                }),
                _ => None,
            },
        })
    }

    /// The entry if this device holds it.
    pub async fn held(code: &str) -> Result<Option<WaitlistRecord>, AppError> {
        let session = crate::device::session().await?;
        if !crate::device::holds_wait(&session, code.trim()).await? {
            return Ok(None);
        }
        match waitlist()?.by_link_held(code).await {
            Ok(r) => Ok(Some(r)),
            Err(backend::waitlist::WaitlistError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// The form to join a service's waiting list at a place, from `day` on; `None` when the
/// place does not offer the service by appointment.
#[server]
pub async fn waitlist_form(
    place_id: i64,
    service: String,
    day: Option<String>,
) -> Result<Option<WaitlistFormData>, AppError> {
    use crate::device::{self, Flash};
    use crate::model::{PlaceCard, WaitlistTyped};
    use domain::{LocationId, ServiceCode};
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
    if service == ServiceCode::Mediation || place.offers(service).is_none() {
        return Ok(None);
    }
    let (first_day, last_day) =
        crate::api::common::context::<backend::Bookings>("bookings")?.window_days();
    let day = day
        .and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        .filter(|d| (first_day..=last_day).contains(d))
        .unwrap_or(first_day);
    let flash = device::take_flash(|f| match f {
        Flash::Waitlist(w) => Some(w),
        _ => None,
    })
    .await?;
    let (typed, rejection) = match flash {
        Some(w) => (w.form, Some(w.rejection)),
        None => (
            WaitlistTyped {
                from: day.to_string(),
                to: day.to_string(),
                part_of_day: "any".into(),
                ..Default::default()
            },
            None,
        ),
    };
    Ok(Some(WaitlistFormData {
        place: PlaceCard::from(&place),
        service,
        typed,
        first_day,
        last_day,
        rejection,
    }))
}

/// Joins the waiting list. Success remembers the entry on this device and opens its page.
#[server]
pub async fn join_waitlist(
    location_id: i64,
    service: String,
    from: String,
    to: String,
    part_of_day: Option<String>,
    name: String,
    phone: String,
    topic: Option<String>,
    account: Option<String>,
    consent: Option<String>,
    phone_code: Option<String>,
) -> Result<FormOutcome, AppError> {
    use crate::api::common::{prove_phone, reject, rejection, throttled};
    use crate::device::Flash;
    use crate::model::{WaitlistFlash, WaitlistTyped};
    use backend::verify::PhoneProof;
    use backend::waitlist::JoinWaitlist;
    use domain::waitlist::JoinForm;
    use domain::LocationId;

    let typed = WaitlistTyped {
        from,
        to,
        part_of_day: part_of_day.unwrap_or_default(),
        name,
        phone,
        topic: topic.unwrap_or_default(),
        account: account.unwrap_or_default(),
        consent: consent.is_some(),
    };
    let back_to = format!(
        "/places/{location_id}/waitlist/{}#waitlist-form",
        crate::redirect::segment(&service)
    );
    let keep = {
        let form = typed.clone();
        move |rejection| Flash::Waitlist(WaitlistFlash { form, rejection })
    };
    if let Some(r) = throttled().await {
        return reject(r, back_to, keep).await;
    }
    let join = JoinWaitlist {
        form: JoinForm {
            phone: typed.phone.clone(),
            from: typed.from.clone(),
            to: typed.to.clone(),
            part_of_day: typed.part_of_day.clone(),
            youth: false,
        },
        name: typed.name.clone(),
        topic: typed.topic.clone(),
        account: Some(typed.account.clone()),
        consent: typed.consent,
        proof: PhoneProof::proved(),
    };
    let waitlist = ssr::waitlist()?;
    let place = LocationId(location_id);
    // every wrong field before a code is sent
    if let Err(e) = waitlist.check(place, &service, &join).await {
        return reject(rejection(&e)?, back_to, keep).await;
    }
    if let Some(r) = prove_phone(&typed.phone, phone_code.as_deref()).await? {
        return reject(r, back_to, keep).await;
    }
    match waitlist.join(place, &service, &join).await {
        Ok(record) => {
            crate::device::remember_wait(&crate::device::session().await?, &record.link_code)
                .await?;
            crate::redirect::to(&format!("/waitlist/{}?new=1", record.link_code));
            Ok(FormOutcome::Done)
        }
        Err(e) => reject(rejection(&e)?, back_to, keep).await,
    }
}

/// The entries this device joined or opened, newest first.
#[server]
pub async fn my_waitlist() -> Result<Vec<WaitlistView>, AppError> {
    let session = crate::device::session().await?;
    let mut out = Vec::new();
    for code in crate::device::remembered_waits(&session).await? {
        if let Some(r) = ssr::held(&code).await? {
            out.push(ssr::view(&r).await?);
        }
    }
    Ok(out)
}

/// An entry this device holds, with a refusal kept for its page (JavaScript off); `None`
/// when it does not (the page then asks for the phone).
#[server]
pub async fn waitlist_entry(
    code: String,
) -> Result<Option<(WaitlistView, Option<Rejection>)>, AppError> {
    let Some(record) = ssr::held(&code).await? else {
        return Ok(None);
    };
    let notice = crate::api::common::take_notice(&record.link_code).await?;
    Ok(Some((ssr::view(&record).await?, notice)))
}

/// The phone form kept after a failed attempt (JavaScript off).
#[server]
pub async fn wait_lookup_flash() -> Result<Option<(String, Rejection)>, AppError> {
    use crate::device::{self, Flash};
    device::take_flash(|f| match f {
        Flash::WaitLookup {
            phone, rejection, ..
        } => Some((phone, rejection)),
        _ => None,
    })
    .await
}

/// Opens an entry (from its texted link) with the phone it was joined with, and remembers it
/// on this device. Unknown links and wrong phones get the same answer.
#[server]
pub async fn open_waitlist(code: String, phone: String) -> Result<FormOutcome, AppError> {
    use crate::device::Flash;
    let back_to = format!("/waitlist/{}", crate::redirect::segment(code.trim()));
    let keep = {
        let (code, phone) = (code.clone(), phone.clone());
        move |rejection| Flash::WaitLookup {
            code,
            phone,
            rejection,
        }
    };
    if let Some(r) = crate::api::common::throttled().await {
        return crate::api::common::reject(r, back_to, keep).await;
    }
    match ssr::waitlist()?.by_link(&code, &phone).await {
        Ok(record) => {
            crate::device::remember_wait(&crate::device::session().await?, &record.link_code)
                .await?;
            crate::redirect::to(&format!("/waitlist/{}", record.link_code));
            Ok(FormOutcome::Done)
        }
        Err(e) => {
            crate::api::common::reject(crate::api::common::rejection(&e)?, back_to, keep).await
        }
    }
}

/// Confirms, declines or leaves (`action`: `confirm`, `decline`, `leave`). A confirmed seat
/// becomes a booking remembered on this device, whose page opens.
#[server]
pub async fn act_on_wait(code: String, action: String) -> Result<FormOutcome, AppError> {
    let back_to = format!("/waitlist/{}", crate::redirect::segment(code.trim()));
    let Some(record) = ssr::held(&code).await? else {
        let r = Rejection::refused(backend::UseCaseError::message(
            &backend::waitlist::WaitlistError::NotFound,
            crate::i18n::lang(),
        ));
        return crate::api::common::reject_noting(r, back_to, code).await;
    };
    let waitlist = ssr::waitlist()?;
    let (link, phone) = (record.link_code.as_str(), record.entry.phone.as_str());
    let done = match action.as_str() {
        "confirm" => match waitlist.confirm(link, phone).await {
            Ok(booking) => {
                crate::device::remember(&crate::device::session().await?, &booking.code).await?;
                crate::redirect::to(&format!("/bookings/{}?new=1", booking.code));
                return Ok(FormOutcome::Done);
            }
            Err(e) => Err(e),
        },
        "decline" => waitlist.decline(link, phone).await.map(|_| ()),
        "leave" => waitlist.leave_by_link(link, phone).await.map(|_| ()),
        _ => {
            return Err(AppError::refused(
                domain::error::ErrorKind::Invalid,
                crate::i18n::t(crate::i18n::Msg::NoSuchAction),
            ))
        }
    };
    match done {
        Ok(()) => crate::api::common::done(&back_to).await,
        Err(e) => {
            let r = crate::api::common::rejection(&e)?;
            crate::api::common::reject_noting(r, back_to, record.link_code.clone()).await
        }
    }
}

/// A place's waiting list, for staff who may see its queue (newest last).
#[server]
pub async fn load_place_waitlist(place: i64) -> Result<StaffWaitlistView, AppError> {
    use crate::model::StaffWaitLine;
    use domain::slots::to_local;
    let account = crate::device::require_staff().await?;
    let list = ssr::waitlist()?
        .at_place(&account, domain::LocationId(place))
        .await
        .map_err(AppError::from)?;
    let place_name = crate::api::common::directory()?
        .location(domain::LocationId(place))
        .await
        .map_err(AppError::from)?
        .name;
    let lang = crate::i18n::lang();
    let mut lines = Vec::new();
    for r in &list.entries {
        let view = ssr::view(r).await?;
        lines.push(StaffWaitLine {
            joined_at: to_local(&r.entry.joined_at),
            service: r.entry.service,
            name: r.name.clone(),
            phone: r.entry.phone.masked(),
            from: r.entry.from,
            to: r.entry.to,
            part: r.entry.part,
            state_label: match lang {
                domain::Lang::ZhCn => r.entry.state.label_zh(),
                domain::Lang::En => r.entry.state.label_en(),
            }
            .to_string(),
            offer: view.offer,
        });
    }
    Ok(StaffWaitlistView {
        place_name,
        offered: list.offered,
        booked: list.booked,
        lines,
    })
}

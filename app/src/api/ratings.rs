//! Server functions of ratings (好差评): the rating page of a finished service, opening a
//! booking's or case's page with the phone, rating it; for staff, the follow-ups of poor
//! ratings, their steps, and a walk-in ticket with its rating QR code. Rules live in
//! `domain::rating` and `backend::rating`.

#![allow(clippy::too_many_arguments)]

use crate::api::common::AppError;
use crate::model::{FollowUpsView, FormOutcome, RatePage, TicketView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::api::common::AppError;
    use crate::model::{GivenRating, RateView};
    use backend::rating::{Rateable, RatingError, Ratings};
    use backend::store::RatedSubject;
    use domain::slots::local_date;

    pub fn ratings() -> Result<Ratings, AppError> {
        crate::api::common::context("ratings")
    }

    pub fn view(code: &str, r: &Rateable) -> RateView {
        let lang = crate::i18n::lang();
        RateView {
            code: code.trim().to_string(),
            title: r.service.service.public_name(lang).to_string(),
            place_name: r.place.name.clone(),
            finished_on: r.service.finished_at.as_ref().map(local_date),
            rate_until: r.service.last_day(),
            given: r.rating.as_ref().map(|g| GivenRating {
                level: g.rating.level,
                reasons: g.rating.reasons.clone(),
                comment: g.rating.comment.as_ref().map(|c| c.as_str().to_string()),
                follow_up_due: g.follow_up.as_ref().map(|f| f.follow_up.due),
            }),
            refusal: r
                .refusal
                .filter(|_| r.rating.is_none())
                .map(|x| x.message(lang)),
        }
    }

    /// The service behind `code` if this device may see it without a phone: a walk-in
    /// ticket's code, or a booking or case it holds. `Err(NotFound)` for a walk-in code that
    /// names nothing; `Ok(None)` when the phone must be asked.
    pub async fn held(code: &str) -> Result<Option<Rateable>, RatingError> {
        let code = code.trim();
        // the devices keep codes as issued (`XXXXXXXXXX`), whatever way they were typed
        let normal = domain::BookingCode::parse(code).map(|c| c.as_str().to_string());
        let kept = normal.as_deref().unwrap_or(code);
        let ratings = ratings().map_err(|_| RatingError::Internal)?;
        if domain::rating::WalkInCode::parse(code).is_some() {
            // a ticket's code alone is the proof (an unknown one may be a typed booking code)
            match ratings.find_held(code).await {
                Ok(r) => return Ok(Some(r)),
                Err(RatingError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        let session = crate::device::session()
            .await
            .map_err(|_| RatingError::Internal)?;
        let held = crate::device::holds(&session, kept)
            .await
            .map_err(|_| RatingError::Internal)?
            || crate::device::holds_case(&session, kept)
                .await
                .map_err(|_| RatingError::Internal)?;
        if !held {
            return if domain::rating::WalkInCode::parse(code).is_some() {
                Err(RatingError::NotFound)
            } else {
                Ok(None)
            };
        }
        match ratings.find_held(code).await {
            Ok(r) => Ok(Some(r)),
            Err(RatingError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Remembers a booking or case just proved with its phone on this device.
    pub async fn remember(code: &str, subject: RatedSubject) -> Result<(), AppError> {
        let session = crate::device::session().await?;
        let normal = domain::BookingCode::parse(code).map(|c| c.as_str().to_string());
        let code = normal.as_deref().unwrap_or(code);
        match subject {
            RatedSubject::Booking(_) => crate::device::remember(&session, code).await,
            RatedSubject::Case(_) => crate::device::remember_case(&session, code).await,
            RatedSubject::WalkIn(_) => Ok(()),
        }
    }
}

/// The rating form as the page sends it: one checkbox per reason (`reason_<code>`), ticked
/// or not in the order of [`Reason::ALL`](domain::rating::Reason::ALL), so a plain form needs
/// no list encoding. The browser checks it with the same rules before sending.
pub fn form_of(
    level: Option<String>,
    ticked: [bool; domain::rating::Reason::ALL.len()],
    comment: Option<String>,
) -> domain::rating::RatingForm {
    domain::rating::RatingForm {
        level: level.unwrap_or_default(),
        reasons: domain::rating::Reason::ALL
            .iter()
            .zip(ticked)
            .filter(|(_, on)| *on)
            .map(|(r, _)| r.code().to_string())
            .collect(),
        comment,
    }
}

/// What `/rate/:code` shows: the service and its form (or the rating given), the phone
/// prompt, or "not found".
#[server]
pub async fn rating_page(code: String) -> Result<RatePage, AppError> {
    use crate::device::{self, Flash};
    use crate::model::RateTyped;
    let code = code.trim().to_string();
    if code.len() > 64 {
        return Ok(RatePage::NotFound);
    }
    let found = match ssr::held(&code).await {
        Ok(found) => found,
        Err(backend::rating::RatingError::NotFound) => return Ok(RatePage::NotFound),
        Err(e) => return Err(AppError::from_use_case(&e)),
    };
    match found {
        Some(r) => {
            let kept = device::take_flash(|f| match f {
                Flash::Rating(k) if k.code == code => Some(k),
                _ => None,
            })
            .await?;
            let (typed, rejection) = match kept {
                Some(k) => (k.form, Some(k.rejection)),
                None => (RateTyped::default(), None),
            };
            Ok(RatePage::Service {
                view: Box::new(ssr::view(&code, &r)),
                typed,
                rejection,
            })
        }
        None => {
            let kept = device::take_flash(|f| match f {
                Flash::RateLookup {
                    code: c,
                    phone,
                    rejection,
                } if c == code => Some((phone, rejection)),
                _ => None,
            })
            .await?;
            let (phone, rejection) = match kept {
                Some((p, r)) => (p, Some(r)),
                None => (String::new(), None),
            };
            Ok(RatePage::NeedPhone { phone, rejection })
        }
    }
}

/// Opens a booking's or case's rating page with the phone it was made with, remembering it
/// on this device. Unknown codes and wrong phones get the same answer.
#[server]
pub async fn open_rating(code: String, phone: String) -> Result<FormOutcome, AppError> {
    use crate::api::common::{reject, rejection, throttled};
    use crate::device::Flash;
    let code = code.trim().to_string();
    let back_to = format!("/rate/{}", crate::redirect::segment(&code));
    let keep = {
        let (code, phone) = (code.clone(), phone.clone());
        move |rejection| Flash::RateLookup {
            code,
            phone,
            rejection,
        }
    };
    if let Some(r) = throttled().await {
        return reject(r, back_to, keep).await;
    }
    match ssr::ratings()?.find(&code, &phone).await {
        Ok(found) => {
            ssr::remember(&code, found.subject).await?;
            // a new address, so a hydrated page reads itself again
            crate::redirect::to(&format!("{back_to}?opened=1"));
            Ok(FormOutcome::Done)
        }
        Err(e) => reject(rejection(&e)?, back_to, keep).await,
    }
}

/// Rates the service of a page this device may see. Reasons come as one checkbox each
/// (`reason_<code>`), so the plain form needs no list encoding.
#[server]
pub async fn rate_service(
    code: String,
    level: Option<String>,
    reason_attitude: Option<String>,
    reason_waiting_time: Option<String>,
    reason_unclear_answer: Option<String>,
    reason_outcome: Option<String>,
    reason_environment: Option<String>,
    reason_other: Option<String>,
    comment: Option<String>,
) -> Result<FormOutcome, AppError> {
    use crate::api::common::{reject, rejection, throttled};
    use crate::device::Flash;
    use crate::model::{RateFlash, RateTyped};
    let code = code.trim().to_string();
    let back_to = format!("/rate/{}", crate::redirect::segment(&code));
    let form = form_of(
        level,
        [
            reason_attitude.is_some(),
            reason_waiting_time.is_some(),
            reason_unclear_answer.is_some(),
            reason_outcome.is_some(),
            reason_environment.is_some(),
            reason_other.is_some(),
        ],
        comment,
    );
    let typed = RateTyped {
        level: form.level.clone(),
        reasons: form.reasons.clone(),
        comment: form.comment.clone().unwrap_or_default(),
    };
    let keep = {
        let (code, form) = (code.clone(), typed.clone());
        move |rejection| {
            Flash::Rating(RateFlash {
                code,
                form,
                rejection,
            })
        }
    };
    if let Some(r) = throttled().await {
        return reject(r, back_to, keep).await;
    }
    // the page's code must be one this device may see without a phone
    let ratings = ssr::ratings()?;
    let result = match ssr::held(&code).await {
        Ok(Some(_)) => ratings.rate_held(&code, &form).await,
        Ok(None) => Err(backend::rating::RatingError::NotFound),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            // the page shows the rating and thanks (a hydrated one is read again too)
            crate::redirect::to(&format!("{back_to}?done=1"));
            Ok(FormOutcome::Done)
        }
        Err(e) => reject(rejection(&e)?, back_to, keep).await,
    }
}

/// The key of a refused step's notice on the follow-up page.
#[cfg(feature = "ssr")]
const NOTICE: &str = "follow-ups";

/// The follow-ups of poor ratings: a place's (with `all`, the closed ones too), or with no
/// place every open one the account's scope covers.
#[server]
pub async fn load_follow_ups(place: Option<i64>, all: bool) -> Result<FollowUpsView, AppError> {
    use crate::model::FollowUpLine;
    use domain::slots::to_local;
    let account = crate::device::require_staff().await?;
    let items = ssr::ratings()?
        .follow_ups(&account, place.map(domain::LocationId), !all)
        .await
        .map_err(|e| AppError::from_use_case(&e))?;
    let place_name = match place {
        Some(id) => Some(
            crate::api::common::directory()?
                .location(domain::LocationId(id))
                .await
                .map_err(AppError::from)?
                .name,
        ),
        None => None,
    };
    let lang = crate::i18n::lang();
    let lines = items
        .iter()
        .map(|i| FollowUpLine {
            rating_id: i.rating_id,
            place_name: i.place.name.clone(),
            service: i.record.service,
            rated_at: to_local(&i.record.rated_at),
            level: i.level,
            reasons: i.record.rating.reasons.clone(),
            comment: i
                .record
                .rating
                .comment
                .as_ref()
                .map(|c| c.as_str().to_string()),
            state: i.follow_up.state.code().to_string(),
            state_label: match lang {
                domain::Lang::ZhCn => i.follow_up.state.label_zh(),
                domain::Lang::En => i.follow_up.state.label_en(),
            }
            .to_string(),
            due: i.follow_up.due,
            overdue: i.overdue,
            said: i.said.clone(),
            changed: i.changed.clone(),
            closed_on_time: i.follow_up.closed_on_time(),
            may_act: i.may_act,
        })
        .collect();
    let notice = crate::api::common::take_notice(NOTICE).await?;
    Ok(FollowUpsView {
        place_name,
        lines,
        notice,
    })
}

/// Records a follow-up step: `call` with what the resident said, or `close` with what was
/// changed. With JavaScript off, the browser goes back to `back` (a staff page).
#[server]
pub async fn follow_up_step(
    rating_id: i64,
    step: String,
    note: String,
    back: Option<String>,
) -> Result<FormOutcome, AppError> {
    let account = crate::device::require_staff().await?;
    // back to the staff page the form was on; `redirect::to` sends anything else home
    let back_to = back
        .filter(|b| b.starts_with("/staff/"))
        .unwrap_or_else(|| "/staff/follow-ups".to_string());
    let parsed = match domain::rating::FollowUpStep::parse(&step, &note) {
        Ok(Some(step)) => Ok(step),
        Ok(None) => {
            return Err(AppError::refused(
                domain::error::ErrorKind::Invalid,
                crate::i18n::t(crate::i18n::Msg::NoSuchAction),
            ))
        }
        Err(f) => Err(f),
    };
    let key = NOTICE.to_string();
    let step = match parsed {
        Ok(s) => s,
        Err(f) => {
            let r = crate::model::Rejection {
                errors: vec![crate::model::FieldMessage::from(f)],
                ..Default::default()
            };
            return crate::api::common::reject_noting(r, back_to, key).await;
        }
    };
    match ssr::ratings()?.step(&account, rating_id, step).await {
        Ok(_) => crate::api::common::done(&back_to).await,
        Err(e) => {
            let r = crate::api::common::rejection(&e)?;
            crate::api::common::reject_noting(r, back_to, key).await
        }
    }
}

/// A walk-in ticket with the QR code of its rating link, for its desk to print.
#[server]
pub async fn walk_in_ticket(entry: i64) -> Result<TicketView, AppError> {
    let account = crate::device::require_staff().await?;
    let queues = crate::api::common::context::<backend::queue::Queues>("queues")?;
    let e = queues
        .entry(&account, entry)
        .await
        .map_err(|e| AppError::from_use_case(&e))?;
    let place = crate::api::common::directory()?
        .location(e.location_id)
        .await
        .map_err(AppError::from)?;
    let code = ssr::ratings()?.walk_in_code(e.id);
    let base = crate::api::common::context::<crate::PublicUrl>("public url")?;
    let rating_url = format!("{}/rate/{code}", base.0);
    Ok(TicketView {
        ticket: e.ticket,
        place_name: place.name,
        title: e.service.public_name(crate::i18n::lang()).to_string(),
        day: e.day,
        qr_svg: backend::confirmation::qr_svg_of(&rating_url),
        rating_url,
    })
}

//! Server functions of mediation for residents: the request page, filing a request,
//! following a case (remembered on this device, or opened with code and phone).

// A server function's arguments are its form's fields.
#![allow(clippy::too_many_arguments)]

use crate::api::common::AppError;
use crate::model::{CaseProgressView, FormOutcome, MediationFormData};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use crate::api::common::AppError;
    use crate::model::{CaseProgressView, FormOutcome, SessionLine};
    use backend::mediation::CaseProgress;
    use backend::Mediation;
    use domain::slots::to_local;

    pub fn mediation() -> Result<Mediation, AppError> {
        crate::api::common::context("mediation")
    }

    /// Keeps the case `code` on this device and goes on to its page (`query` after its
    /// address).
    pub async fn keep_and_open(code: &str, query: &str) -> Result<FormOutcome, AppError> {
        crate::device::remember_case(&crate::device::session().await?, code).await?;
        crate::redirect::to(&format!("/mediation/{code}{query}"));
        Ok(FormOutcome::Done)
    }

    pub fn view(p: CaseProgress) -> CaseProgressView {
        CaseProgressView {
            code: domain::mediation::CaseCode::parse(&p.code)
                .map(|c| c.to_string())
                .unwrap_or(p.code),
            state: p.state,
            dispute_type: p.dispute_type,
            place_name: p.place.name,
            place_address: p.place.address,
            timeline: p
                .timeline
                .into_iter()
                .map(|(s, at)| (s, to_local(&at)))
                .collect(),
            next_session: p.next_session.map(|(at, place)| SessionLine {
                start: to_local(&at),
                place_name: place.name,
                address: place.address,
            }),
            agreement_no: p.agreement_no,
            refusal_reason: p.refusal_reason,
            referral: p.referral,
        }
    }
}

/// The request page: the chosen place (if any), every place to choose from, and a form kept
/// after a rejected post.
#[server]
pub async fn mediation_form(
    place: Option<i64>,
    dispute_type: Option<String>,
) -> Result<MediationFormData, AppError> {
    use crate::device::{self, Flash};
    use crate::model::{PlaceCard, PlaceChoice, PlaceChoiceGroup};
    use domain::{LocationId, ServiceCode};
    let directory = crate::api::common::directory()?;
    let chosen = match place {
        Some(id) => directory
            .location(LocationId(id))
            .await
            .ok()
            .filter(|p| p.offers(ServiceCode::Mediation).is_some())
            .map(|p| PlaceCard::from(&p)),
        None => None,
    };
    let groups = directory.offices().await.map_err(AppError::from)?;
    let choice = |p: &domain::Location| PlaceChoice {
        id: p.id,
        name: p.name.clone(),
        ip: p.offers(ServiceCode::IpMediation).is_some(),
    };
    let offices = groups
        .iter()
        .map(|g| PlaceChoiceGroup {
            office: choice(&g.office),
            workrooms: g.workrooms.iter().map(choice).collect(),
        })
        .collect();
    let flash = device::take_flash(|f| match f {
        Flash::Mediation(m) => Some(m),
        _ => None,
    })
    .await?;
    Ok(MediationFormData {
        place: chosen,
        offices,
        dispute_type: dispute_type.filter(|t| domain::mediation::DisputeType::parse(t).is_some()),
        flash,
    })
}

/// Files a request. Success remembers the case on this device and opens its page.
#[server]
pub async fn file_mediation(
    applicant_name: String,
    applicant_phone: String,
    other_party_name: String,
    other_party_phone: Option<String>,
    relation: Option<String>,
    dispute_type: Option<String>,
    account: String,
    location_id: Option<String>,
    consent: Option<String>,
    phone_code: Option<String>,
) -> Result<FormOutcome, AppError> {
    use crate::api::common::{prove_phone, reject, throttled};
    use crate::device::Flash;
    use crate::model::MediationFlash;
    use domain::mediation::MediationForm;
    let form = MediationForm {
        applicant_name,
        applicant_phone,
        other_party_name,
        other_party_phone,
        relation,
        dispute_type: dispute_type.unwrap_or_default(),
        account,
        location_id: location_id.and_then(|l| l.trim().parse().ok()),
        consent: consent.is_some(),
    };
    let back_to = match form.location_id {
        Some(id) => format!("/mediation/new?place={id}#request-form"),
        None => "/mediation/new#request-form".to_string(),
    };
    let keep = {
        let form = form.clone();
        move |rejection| Flash::Mediation(MediationFlash { form, rejection })
    };
    if let Some(r) = throttled().await {
        return reject(r, back_to, keep).await;
    }
    let mediation = ssr::mediation()?;
    // every wrong field before a code is sent
    if let Err(e) = mediation.check(&form).await {
        return reject(crate::api::common::rejection(&e)?, back_to, keep).await;
    }
    if let Some(r) = prove_phone(&form.applicant_phone, phone_code.as_deref()).await? {
        return reject(r, back_to, keep).await;
    }
    let proof = backend::verify::PhoneProof::proved();
    match mediation.submit(&form, &proof).await {
        Ok(case) => ssr::keep_and_open(&case.code, "?new=1").await,
        Err(e) => reject(crate::api::common::rejection(&e)?, back_to, keep).await,
    }
}

/// A case this device filed or opened; `None` otherwise (the page then asks for the phone).
#[server]
pub async fn held_case(code: String) -> Result<Option<CaseProgressView>, AppError> {
    use crate::device;
    let Ok(code) = domain::mediation::CaseCode::parse(&code) else {
        return Ok(None);
    };
    if !device::holds_case(&device::session().await?, code.as_str()).await? {
        return Ok(None);
    }
    match ssr::mediation()?.progress_held(code.as_str()).await {
        Ok(p) => Ok(Some(ssr::view(p))),
        Err(backend::mediation::MediationError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The cases this device filed or opened, newest first.
#[server]
pub async fn my_cases() -> Result<Vec<CaseProgressView>, AppError> {
    use crate::device;
    let mediation = ssr::mediation()?;
    let mut out = Vec::new();
    for code in device::remembered_cases(&device::session().await?).await? {
        match mediation.progress_held(&code).await {
            Ok(p) => out.push(ssr::view(p)),
            Err(backend::mediation::MediationError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}

/// The look-up form kept after a failed attempt (JavaScript off).
#[server]
pub async fn case_lookup_flash(
) -> Result<Option<(String, String, crate::model::Rejection)>, AppError> {
    use crate::device::{self, Flash};
    device::take_flash(|f| match f {
        Flash::CaseLookup {
            code,
            phone,
            rejection,
        } => Some((code, phone, rejection)),
        _ => None,
    })
    .await
}

/// Opens a case with its code and the applicant's phone and remembers it on this device.
/// Unknown codes and wrong phone numbers get the same answer.
#[server]
pub async fn open_case(code: String, phone: String) -> Result<FormOutcome, AppError> {
    use crate::api::common::{reject, throttled};
    use crate::device::Flash;
    use crate::model::Rejection;
    let back_to = "/mediation#lookup".to_string();
    let keep = {
        let (code, phone) = (code.clone(), phone.clone());
        move |rejection| Flash::CaseLookup {
            code,
            phone,
            rejection,
        }
    };
    if let Some(r) = throttled().await {
        return reject(r, back_to, keep).await;
    }
    match ssr::mediation()?.progress(&code, &phone).await {
        Ok(p) => ssr::keep_and_open(&p.code, "").await,
        Err(backend::mediation::MediationError::NotFound) => {
            let r = Rejection::refused(crate::i18n::t(crate::i18n::Msg::CaseNotFound));
            reject(r, back_to, keep).await
        }
        Err(e) => Err(e.into()),
    }
}

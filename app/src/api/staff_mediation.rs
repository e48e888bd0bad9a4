//! Server functions of the staff mediation pages: a place's cases, one case with its history,
//! the workflow's steps as plain forms, and the written agreement for printing. Who may see
//! and do what is decided by `backend::Mediation` on every call.

// A server function's arguments are its form's fields.
#![allow(clippy::too_many_arguments)]

use crate::api::common::AppError;
use crate::model::{AgreementView, DeskConsultation, FormOutcome, StaffCaseFile, StaffCaseList};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::model::StaffCaseLine;
    use backend::store::CaseRecord;
    use domain::booking::MobilePhone;
    use domain::slots::to_local;

    pub fn notice_key(code: &str) -> String {
        format!("case:{code}")
    }

    pub fn masked(phone: &str) -> String {
        MobilePhone::parse(phone)
            .map(|p| p.masked())
            .unwrap_or_default()
    }

    pub fn line(c: &CaseRecord, overdue: bool) -> StaffCaseLine {
        StaffCaseLine {
            code: domain::mediation::CaseCode::parse(&c.code)
                .map(|k| k.to_string())
                .unwrap_or_else(|_| c.code.clone()),
            plain_code: c.code.clone(),
            state: c.state,
            dispute_type: c.dispute_type,
            applicant: format!("{} · {}", c.applicant_name, masked(&c.applicant_phone)),
            other_party: c.other_party_name.clone(),
            submitted_at: to_local(&c.submitted_at),
            next_session: c
                .next_session
                .filter(|_| c.state == domain::mediation::CaseState::SessionScheduled)
                .map(|(at, _)| to_local(&at)),
            overdue,
        }
    }
}

/// A place's cases: details where the account may see them, the rest counted.
#[server]
pub async fn load_cases(place: i64) -> Result<StaffCaseList, AppError> {
    use crate::model::PlaceCard;
    let account = crate::device::require_staff().await?;
    let list = crate::api::common::context::<backend::Mediation>("mediation")?
        .cases_at(&account, domain::LocationId(place))
        .await
        .map_err(AppError::from)?;
    Ok(StaffCaseList {
        place: PlaceCard::from(&list.place),
        cases: list
            .visible
            .iter()
            .map(|s| ssr::line(&s.case, s.overdue))
            .collect(),
        hidden: list.hidden,
    })
}

/// One case with its history, the mediators it may go to, and a refusal kept for the page.
#[server]
pub async fn load_case(code: String) -> Result<StaffCaseFile, AppError> {
    use crate::model::{CaseEventLine, PlaceCard};
    use domain::slots::to_local;
    let account = crate::device::require_staff().await?;
    let mediation = crate::api::common::context::<backend::Mediation>("mediation")?;
    let file = mediation
        .case_file(&account, &code)
        .await
        .map_err(AppError::from)?;
    let mediators = mediation
        .mediators_for(&account, &file.case, &file.place)
        .await
        .map_err(AppError::from)?
        .into_iter()
        .map(|m| (m.id, m.display_name))
        .collect();
    let session_times = if matches!(
        file.case.state,
        domain::mediation::CaseState::PartyAgreed | domain::mediation::CaseState::SessionScheduled
    ) {
        mediation
            .session_times(&file.place)
            .await
            .map_err(AppError::from)?
            .iter()
            .map(to_local)
            .collect()
    } else {
        vec![]
    };
    let staff = crate::api::common::context::<backend::staff::Staff>("staff")?;
    let mut events = Vec::new();
    for e in &file.events {
        let by = match e.staff_id {
            Some(id) => staff
                .account(id)
                .await
                .ok()
                .flatten()
                .map(|a| a.display_name),
            None => None,
        };
        events.push(CaseEventLine {
            at: to_local(&e.at),
            action: e.action.clone(),
            to_state: e.to_state,
            by,
        });
    }
    let notice = crate::api::common::take_notice(&ssr::notice_key(&file.case.code)).await?;
    let c = &file.case;
    Ok(StaffCaseFile {
        line: ssr::line(c, file.overdue),
        version: c.version,
        place: PlaceCard::from(&file.place),
        applicant_phone: c.applicant_phone.clone(),
        other_party_phone: c.other_party_phone.clone(),
        relation: c.relation.clone(),
        account: c.account.clone(),
        mediator: file.mediator.map(|m| m.display_name),
        mediators,
        session_times,
        me: account.id,
        amount_yuan: c.amount.map(|a| a.yuan_text()),
        terms: c.terms.clone(),
        reason: c.reason.clone(),
        referral: c.referral,
        agreement_no: c.agreement_no.clone(),
        events,
        notice,
    })
}

/// One step of the workflow, from the case page's forms. `action` names it; the other fields
/// are those the step needs (the rest are empty).
#[server]
pub async fn case_step(
    code: String,
    version: i64,
    action: String,
    reason: Option<String>,
    mediator_id: Option<String>,
    location_id: Option<domain::LocationId>,
    start: Option<String>,
    kind: Option<String>,
    amount: Option<String>,
    terms: Option<String>,
    channel: Option<String>,
    kept: Option<String>,
    note: Option<String>,
) -> Result<FormOutcome, AppError> {
    use crate::model::Rejection;
    use domain::booking::FieldError;
    use domain::mediation::{CaseAction, CaseOutcome, Ending, Fen, Referral};
    let account = crate::device::require_staff().await?;
    let back = format!("/staff/mediation/{}", crate::redirect::segment(code.trim()));
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let channel_of = |v: &Option<String>| {
        Referral::parse(v.as_deref().unwrap_or("").trim()).ok_or_else(|| {
            FieldError::new(
                "channel",
                "请选择转交的去向",
                "Choose where to pass the case on to",
            )
        })
    };
    let parsed: Result<CaseAction, FieldError> = match action.as_str() {
        "accept" => Ok(CaseAction::Accept),
        "refuse" => Ok(CaseAction::Refuse {
            reason: text(&reason),
        }),
        "assign_mediator" => text(&mediator_id)
            .trim()
            .parse()
            .map(|mediator_id| CaseAction::AssignMediator { mediator_id })
            .map_err(|_| FieldError::new("mediator_id", "请选择调解员", "Choose a mediator")),
        "invite_other_party" => Ok(CaseAction::InviteOtherParty),
        "other_party_agrees" => Ok(CaseAction::OtherPartyAgrees),
        "other_party_refuses" => Ok(CaseAction::OtherPartyRefuses),
        "schedule_session" => chrono::DateTime::parse_from_rfc3339(text(&start).trim())
            .map(|start| CaseAction::ScheduleSession {
                location_id: location_id.unwrap_or(domain::LocationId(0)),
                start,
            })
            .map_err(|_| {
                FieldError::new(
                    "start",
                    "请选择调解的时间",
                    "Choose the time of the meeting",
                )
            }),
        // the form's one text box holds the terms, or why mediation failed
        "conclude" => match kind.as_deref().and_then(Ending::parse) {
            Some(Ending::WrittenAgreement) => {
                Fen::parse_yuan(&text(&amount)).map(|amount| CaseAction::Conclude {
                    outcome: CaseOutcome::WrittenAgreement {
                        amount,
                        terms: text(&terms),
                    },
                })
            }
            Some(Ending::OralAgreement) => Ok(CaseAction::Conclude {
                outcome: CaseOutcome::OralAgreement {
                    terms: text(&terms),
                },
            }),
            Some(Ending::Failed) => Ok(CaseAction::Conclude {
                outcome: CaseOutcome::Failed {
                    reason: text(&terms),
                },
            }),
            Some(Ending::Referred) => channel_of(&channel).map(|channel| CaseAction::Conclude {
                outcome: CaseOutcome::Referred { channel },
            }),
            _ => Err(FieldError::new(
                "kind",
                "请选择调解结果",
                "Choose the outcome",
            )),
        },
        "refer" => channel_of(&channel).map(|channel| CaseAction::Refer { channel }),
        "follow_up" => Ok(CaseAction::FollowUp {
            kept: kept.as_deref() == Some("yes"),
            note: text(&note),
        }),
        _ => Err(FieldError::new(
            "action",
            "无法识别的操作",
            "This action is not recognised; please refresh the page and try again",
        )),
    };
    let refusal = match parsed {
        Ok(step) => {
            let failed = matches!(
                step,
                CaseAction::Conclude {
                    outcome: CaseOutcome::Failed { .. }
                }
            );
            match crate::api::common::context::<backend::Mediation>("mediation")?
                .step(&account, &code, step, Some(version))
                .await
            {
                Ok(_) => None,
                Err(e) => {
                    let mut r = crate::api::common::rejection(&e)?;
                    if failed {
                        // point at the box the reason was typed in
                        r.errors
                            .iter_mut()
                            .filter(|e| e.field == "reason")
                            .for_each(|e| e.field = "terms".into());
                    }
                    Some(r)
                }
            }
        }
        Err(e) => Some(Rejection {
            errors: vec![e.into()],
            ..Default::default()
        }),
    };
    match refusal {
        None => crate::api::common::done(&back).await,
        Some(r) => {
            let key = domain::mediation::CaseCode::parse(&code)
                .map(|c| ssr::notice_key(c.as_str()))
                .unwrap_or_default();
            crate::api::common::reject_noting(r, back, key).await
        }
    }
}

/// The written agreement of a settled case, for printing.
#[server]
pub async fn load_agreement(code: String) -> Result<Option<AgreementView>, AppError> {
    use domain::mediation::committee_short_name;
    let account = crate::device::require_staff().await?;
    let file = crate::api::common::context::<backend::Mediation>("mediation")?
        .case_file(&account, &code)
        .await
        .map_err(AppError::from)?;
    let c = file.case;
    let (Some(number), Some(terms), Some(amount)) = (c.agreement_no, c.terms, c.amount) else {
        return Ok(None);
    };
    let settled_on = file
        .events
        .iter()
        .rev()
        .find(|e| e.action == "conclude")
        .map(|e| e.at)
        .or(c.closed_at)
        .unwrap_or(c.submitted_at);
    Ok(Some(AgreementView {
        number,
        committee: format!("{}人民调解委员会", committee_short_name(&file.place.name)),
        applicant: c.applicant_name,
        other_party: c.other_party_name,
        dispute_type: c.dispute_type,
        facts: c.account,
        terms,
        amount_yuan: amount.yuan_text(),
        mediator: file.mediator.map(|m| m.display_name).unwrap_or_default(),
        date: domain::slots::local_date(&settled_on),
    }))
}

/// The desk's consultation `entry`, to turn into a case (prefilled from its booking).
#[server]
pub async fn load_consultation(entry: i64) -> Result<DeskConsultation, AppError> {
    use crate::device::{self, Flash};
    use crate::model::PlaceCard;
    use domain::mediation::MediationForm;
    let account = crate::device::require_staff().await?;
    let (e, place) = crate::api::common::context::<backend::Mediation>("mediation")?
        .desk_entry(&account, entry)
        .await
        .map_err(AppError::from)?;
    let kept = device::take_flash(|f| match f {
        Flash::Mediation(m) if m.form.location_id == Some(place.id) => Some(m),
        _ => None,
    })
    .await?;
    let (typed, rejection) = match kept {
        Some(m) => (m.form, Some(m.rejection)),
        None => (
            MediationForm {
                applicant_name: e
                    .booking
                    .as_ref()
                    .map(|b| b.name.clone())
                    .unwrap_or_default(),
                applicant_phone: e
                    .booking
                    .as_ref()
                    .map(|b| b.phone.clone())
                    .unwrap_or_default(),
                location_id: Some(place.id),
                ..Default::default()
            },
            None,
        ),
    };
    Ok(DeskConsultation {
        entry_id: e.id,
        ticket: e.ticket,
        place: PlaceCard::from(&place),
        typed,
        rejection,
    })
}

/// Turns the consultation into a case (accepted at once) and opens it.
#[server]
pub async fn case_from_consultation(
    entry: i64,
    applicant_name: String,
    applicant_phone: String,
    other_party_name: String,
    other_party_phone: Option<String>,
    relation: Option<String>,
    dispute_type: Option<String>,
    account: String,
    consent: Option<String>,
) -> Result<FormOutcome, AppError> {
    use crate::api::common::reject;
    use crate::device::Flash;
    use crate::model::MediationFlash;
    use domain::mediation::MediationForm;
    let staff = crate::device::require_staff().await?;
    let mediation = crate::api::common::context::<backend::Mediation>("mediation")?;
    let place = mediation
        .desk_entry(&staff, entry)
        .await
        .map_err(AppError::from)?
        .1;
    let form = MediationForm {
        applicant_name,
        applicant_phone,
        other_party_name,
        other_party_phone,
        relation,
        dispute_type: dispute_type.unwrap_or_default(),
        account,
        location_id: Some(place.id),
        consent: consent.is_some(),
    };
    match mediation.from_consultation(&staff, entry, &form).await {
        Ok(case) => {
            crate::redirect::to(&format!("/staff/mediation/{}", case.code));
            Ok(FormOutcome::Done)
        }
        Err(e) => {
            let r = crate::api::common::rejection(&e)?;
            reject(
                r,
                format!("/staff/mediation/new?entry={entry}"),
                move |rejection| Flash::Mediation(MediationFlash { form, rejection }),
            )
            .await
        }
    }
}

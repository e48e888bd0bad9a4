//! Staff mediation pages: a place's cases (`/staff/mediation?place=ID`), one case with the
//! workflow's next steps as plain forms (`/staff/mediation/:code`), and the written agreement
//! laid out for A4 printing (`/staff/mediation/:code/agreement`), and a consultation at the
//! desk turned into a case (`/staff/mediation/new?entry=ID`).

use crate::api::staff_mediation::{
    load_agreement, load_case, load_cases, load_consultation, CaseFromConsultation, CaseStep,
};
use crate::components::forms::{
    described_by, error_text, field_id, invalid, no_links, ErrorSummary, FieldErrorLine,
};
use crate::i18n::{
    case_state_name, dispute_name, lang, long_date, moment_label, referral_name, t, yuan_amount,
    Msg,
};
use crate::model::{DeskConsultation, FormOutcome, Rejection, StaffCaseFile, StaffCaseLine};
use crate::pages::mediation::DisputeFields;
use domain::mediation::{CaseState, Referral};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/staff/mediation?place=ID`
#[component]
pub fn StaffCasesPage() -> impl IntoView {
    let query = use_query_map();
    let place = move || {
        query
            .with(|q| q.get("place").and_then(|p| p.parse::<i64>().ok()))
            .unwrap_or_default()
    };
    let list = Resource::new(place, load_cases);
    view! {
        <Title text=t(Msg::StaffCasesTitle) />
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(l) => {
                        let hidden = (l.hidden > 0)
                            .then(|| t(Msg::StaffCasesHidden).replace("{n}", &l.hidden.to_string()));
                        let empty = l.cases.is_empty();
                        view! {
                            <header class="page-head">
                                <p class="place-meta"><a href=format!("/staff?place={}", l.place.id)>{l.place.name.clone()}</a></p>
                                <h1>{t(Msg::StaffCasesTitle)}</h1>
                            </header>
                            {empty.then(|| view! { <p>{t(Msg::StaffCasesNone)}</p> })}
                            <ul class="queue-list case-list">
                                {l.cases.into_iter().map(|c| view! { <CaseItem c /> }).collect_view()}
                            </ul>
                            {hidden.map(|h| view! { <p class="hint">{h}</p> })}
                        }
                            .into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CaseItem(c: StaffCaseLine) -> impl IntoView {
    let lang = lang();
    view! {
        <li class="queue-line case-line">
            <a href=format!("/staff/mediation/{}", c.plain_code)><strong>{c.code.clone()}</strong></a>
            <span>{case_state_name(c.state)}{c.overdue.then(|| view! { " · "<strong class="overdue">{t(Msg::CaseOverdue)}</strong> })}</span>
            <span class="queue-who">{dispute_name(c.dispute_type)}" · "{c.applicant.clone()}" ↔ "{c.other_party.clone()}</span>
            <span class="hint">{t(Msg::CaseSubmittedAt)}" "{moment_label(lang, c.submitted_at)}</span>
            {c.next_session.map(|s| view! { <span class="hint">{t(Msg::CaseNextSession)}" "{moment_label(lang, s)}</span> })}
        </li>
    }
}

/// `/staff/mediation/:code`
#[component]
pub fn StaffCasePage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let step = ServerAction::<CaseStep>::new();
    let file = Resource::new(
        move || (code(), step.version().get()),
        |(c, _)| load_case(c),
    );
    let rejection = RwSignal::new(None::<Rejection>);
    Effect::new(move |_| match step.value().get() {
        Some(Ok(FormOutcome::Rejected(r))) => rejection.set(Some(r)),
        Some(Ok(FormOutcome::Done)) => rejection.set(None),
        Some(Err(e)) => rejection.set(Some(Rejection::refused(error_text(&e)))),
        None => {}
    });
    view! {
        <Title text=t(Msg::StaffCasesTitle) />
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match file.await {
                    Ok(f) => {
                        if f.notice.is_some() {
                            rejection.set(f.notice.clone());
                        }
                        view! { <CaseFileView f step rejection /> }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CaseFileView(
    f: StaffCaseFile,
    step: ServerAction<CaseStep>,
    rejection: RwSignal<Option<Rejection>>,
) -> impl IntoView {
    let lang = lang();
    let c = f.line.clone();
    let history = f
        .events
        .iter()
        .map(|e| {
            view! {
                <li>
                    <span class="timeline-when">{moment_label(lang, e.at)}</span>
                    <span class="timeline-what">{case_state_name(e.to_state)}{e.by.clone().map(|b| format!(" · {b}"))}</span>
                </li>
            }
        })
        .collect_view();
    let agreement = f.agreement_no.clone().map(|n| {
        view! {
            <dt>{t(Msg::CaseAgreementNo)}</dt>
            <dd>{n}" "<a href=format!("/staff/mediation/{}/agreement", c.plain_code)>{t(Msg::CasePrintAgreement)}</a></dd>
        }
    });
    view! {
        <header class="page-head">
            <p class="place-meta"><a href=format!("/staff/mediation?place={}", f.place.id)>{f.place.name.clone()}" · "{t(Msg::StaffCasesTitle)}</a></p>
            <h1>{t(Msg::CaseCodeLabel)}" "<span class="code">{c.code.clone()}</span></h1>
        </header>
        <ErrorSummary rejection alternative_href=no_links() />
        <article class="card case" aria-labelledby="facts-heading">
            <h2 id="facts-heading">{case_state_name(c.state)}{c.overdue.then(|| view! { " · "<strong class="overdue">{t(Msg::CaseOverdue)}</strong> })}</h2>
            <dl class="facts">
                <dt>{t(Msg::FieldDisputeType)}</dt>
                <dd>{dispute_name(c.dispute_type)}</dd>
                <dt>{t(Msg::CaseApplicant)}</dt>
                <dd>{c.applicant.clone()}" "<a href=format!("tel:{}", f.applicant_phone)>{f.applicant_phone.clone()}</a></dd>
                <dt>{t(Msg::CaseOtherParty)}</dt>
                <dd>
                    {c.other_party.clone()}
                    {f.relation.clone().map(|r| format!("（{r}）"))}
                    {f.other_party_phone.clone().map(|p| view! { " "<a href=format!("tel:{p}")>{p.clone()}</a> })}
                </dd>
                <dt>{t(Msg::CaseMediator)}</dt>
                <dd>{f.mediator.clone().unwrap_or_else(|| t(Msg::CaseNoMediator).to_string())}</dd>
                <dt>{t(Msg::CaseAccountLabel)}</dt>
                <dd class="prewrap">{f.account.clone()}</dd>
                {c.next_session.map(|s| view! {
                    <dt>{t(Msg::CaseNextSession)}</dt>
                    <dd>{moment_label(lang, s)}</dd>
                })}
                {f.amount_yuan.clone().map(|a| view! { <dt>{t(Msg::CaseAmount)}</dt><dd>{a}</dd> })}
                {f.terms.clone().map(|x| view! { <dt>{t(Msg::CaseTerms)}</dt><dd class="prewrap">{x}</dd> })}
                {f.reason.clone().map(|x| view! { <dt>{t(Msg::CaseRefuseReason)}</dt><dd>{x}</dd> })}
                {f.referral.map(|r| view! { <dt>{t(Msg::CaseChannel)}</dt><dd>{referral_name(r)}</dd> })}
                {agreement}
            </dl>
        </article>
        <section class="card" aria-labelledby="next-heading">
            <h2 id="next-heading">{t(Msg::CaseNextStep)}</h2>
            <NextSteps f=f.clone() step />
        </section>
        <section class="card" aria-labelledby="history-heading">
            <h2 id="history-heading">{t(Msg::CaseHistory)}</h2>
            <ol class="timeline">{history}</ol>
        </section>
    }
}

/// The hidden fields every step form carries.
fn step_fields(code: String, version: i64, action: &'static str) -> impl IntoView {
    view! {
        <input type="hidden" name="code" value=code />
        <input type="hidden" name="version" value=version />
        <input type="hidden" name="action" value=action />
    }
}

/// A one-button step.
fn button_step(
    step: ServerAction<CaseStep>,
    code: String,
    version: i64,
    action: &'static str,
    label: Msg,
    secondary: bool,
) -> impl IntoView {
    view! {
        <ActionForm action=step attr:class="inline-form">
            {step_fields(code.clone(), version, action)}
            <button type="submit" class="button" class:secondary=secondary>{t(label)}</button>
        </ActionForm>
    }
}

fn channel_select(id: &'static str) -> impl IntoView {
    view! {
        <select id=id name="channel">
            {Referral::ALL
                .into_iter()
                .map(|r| view! { <option value=r.code()>{referral_name(r)}</option> })
                .collect_view()}
        </select>
    }
}

fn refer_form(step: ServerAction<CaseStep>, code: String, version: i64) -> impl IntoView {
    view! {
        <details class="step-more">
            <summary>{t(Msg::CaseRefer)}</summary>
            <ActionForm action=step>
                {step_fields(code.clone(), version, "refer")}
                <div class="field">
                    <label for="f-refer-channel">{t(Msg::CaseChannel)}</label>
                    {channel_select("f-refer-channel")}
                </div>
                <button type="submit" class="button secondary">{t(Msg::CaseReferButton)}</button>
            </ActionForm>
        </details>
    }
}

fn schedule_form(
    step: ServerAction<CaseStep>,
    code: String,
    version: i64,
    place: i64,
    times: Vec<chrono::DateTime<chrono::FixedOffset>>,
    heading: Msg,
) -> impl IntoView {
    let lang = lang();
    // one group per day, so a phone's picker stays short
    let mut days: Vec<Vec<chrono::DateTime<chrono::FixedOffset>>> = vec![];
    for at in times {
        match days.last_mut() {
            Some(list) if list[0].date_naive() == at.date_naive() => list.push(at),
            _ => days.push(vec![at]),
        }
    }
    let groups = days
        .into_iter()
        .map(|list| {
            let label = moment_label(lang, list[0]);
            // the day part of "12月9日 星期三 10:00"
            let label = label
                .rsplit_once(' ')
                .map(|(day, _)| day.to_string())
                .unwrap_or(label);
            view! {
                <optgroup label=label>
                    {list
                        .into_iter()
                        .map(|at| view! { <option value=at.to_rfc3339()>{moment_label(lang, at)}</option> })
                        .collect_view()}
                </optgroup>
            }
        })
        .collect_view();
    view! {
        <h3>{t(heading)}</h3>
        <ActionForm action=step>
            {step_fields(code.clone(), version, "schedule_session")}
            <input type="hidden" name="location_id" value=place />
            <div class="field">
                <label for=field_id("start")>{t(Msg::CaseTime)}</label>
                <select id=field_id("start") name="start">{groups}</select>
            </div>
            <button type="submit" class="button">{t(Msg::CaseScheduleButton)}</button>
        </ActionForm>
    }
}

#[component]
fn NextSteps(f: StaffCaseFile, step: ServerAction<CaseStep>) -> impl IntoView {
    let code = f.line.plain_code.clone();
    let v = f.version;
    let place = f.place.id;
    let times = f.session_times.clone();
    let assign_code = code.clone();
    let assign = (!f.mediators.is_empty()).then(move || {
        let code = assign_code;
        let me = f.me;
        view! {
            <h3>{t(Msg::CaseAssign)}</h3>
            <ActionForm action=step>
                {step_fields(code.clone(), v, "assign_mediator")}
                <div class="field">
                    <label for=field_id("mediator_id")>{t(Msg::CaseMediator)}</label>
                    <select id=field_id("mediator_id") name="mediator_id">
                        {f.mediators
                            .iter()
                            .map(|(id, name)| {
                                let mark = (*id == me).then(|| t(Msg::CaseMe));
                                view! { <option value=*id selected=*id == me>{name.clone()}{mark}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="button">{t(Msg::CaseAssignButton)}</button>
            </ActionForm>
        }
    });
    let body = match f.line.state {
        CaseState::Submitted => view! {
            {button_step(step, code.clone(), v, "accept", Msg::CaseAccept, false)}
            <details class="step-more">
                <summary>{t(Msg::CaseRefuse)}</summary>
                <ActionForm action=step>
                    {step_fields(code.clone(), v, "refuse")}
                    <div class="field">
                        <label for=field_id("reason")>{t(Msg::CaseRefuseReason)}</label>
                        <textarea id=field_id("reason") name="reason" rows="2" maxlength="200"></textarea>
                    </div>
                    <button type="submit" class="button secondary">{t(Msg::CaseRefuse)}</button>
                </ActionForm>
            </details>
        }
        .into_any(),
        CaseState::Accepted => view! { {assign}{refer_form(step, code.clone(), v)} }.into_any(),
        CaseState::MediatorAssigned => view! {
            {button_step(step, code.clone(), v, "invite_other_party", Msg::CaseInvite, false)}
            {assign}
            {refer_form(step, code.clone(), v)}
        }
        .into_any(),
        CaseState::PartyInvited => view! {
            <div class="actions">
                {button_step(step, code.clone(), v, "other_party_agrees", Msg::CaseAgrees, false)}
                {button_step(step, code.clone(), v, "other_party_refuses", Msg::CaseDeclines, true)}
            </div>
            {assign}
            {refer_form(step, code.clone(), v)}
        }
        .into_any(),
        CaseState::PartyAgreed => view! {
            {schedule_form(step, code.clone(), v, place, times.clone(), Msg::CaseSchedule)}
            {assign}
            {refer_form(step, code.clone(), v)}
        }
        .into_any(),
        CaseState::SessionScheduled => {
            let conclude_code = code.clone();
            view! {
            <h3>{t(Msg::CaseConclude)}</h3>
            <ActionForm action=step>
                {step_fields(conclude_code, v, "conclude")}
                <fieldset class="field" id=field_id("kind") tabindex="-1">
                    <legend>{t(Msg::CaseOutcomeKind)}</legend>
                    <div class="choices">
                        {domain::mediation::Ending::CONCLUDING
                            .into_iter()
                            .map(|ending| {
                                let (k, label) = (ending.code(), ending.label(crate::i18n::lang()));
                                let id = format!("kind-{k}");
                                let label_for = id.clone();
                                view! {
                                    <label class="choice" for=label_for>
                                        <input type="radio" id=id name="kind" value=k />
                                        <span>{label}</span>
                                    </label>
                                }
                            })
                            .collect_view()}
                    </div>
                </fieldset>
                <div class="field">
                    <label for=field_id("amount")>{t(Msg::CaseAmount)}</label>
                    <input id=field_id("amount") name="amount" type="text" inputmode="decimal" />
                </div>
                <div class="field">
                    <label for=field_id("terms")>{t(Msg::CaseTerms)}</label>
                    <textarea id=field_id("terms") name="terms" rows="4" maxlength="2000"></textarea>
                </div>
                <div class="field">
                    <label for=field_id("channel")>{t(Msg::CaseChannel)}</label>
                    {channel_select("f-channel")}
                </div>
                <button type="submit" class="button">{t(Msg::CaseConcludeButton)}</button>
            </ActionForm>
            <details class="step-more">
                <summary>{t(Msg::CaseScheduleAnother)}</summary>
                {schedule_form(step, code.clone(), v, place, times.clone(), Msg::CaseScheduleAnother)}
            </details>
            {assign}
        }
        .into_any()
        }
        CaseState::Settled => view! {
            <h3>{t(Msg::CaseFollowUp)}</h3>
            <ActionForm action=step>
                {step_fields(code.clone(), v, "follow_up")}
                <div class="choices">
                    <label class="choice" for="kept-yes">
                        <input type="radio" id="kept-yes" name="kept" value="yes" checked=true />
                        <span>{t(Msg::CaseKeptYes)}</span>
                    </label>
                    <label class="choice" for="kept-no">
                        <input type="radio" id="kept-no" name="kept" value="no" />
                        <span>{t(Msg::CaseKeptNo)}</span>
                    </label>
                </div>
                <div class="field">
                    <label for=field_id("note")>{t(Msg::CaseNote)}</label>
                    <textarea id=field_id("note") name="note" rows="2" maxlength="500"></textarea>
                </div>
                <button type="submit" class="button">{t(Msg::CaseFollowUpButton)}</button>
            </ActionForm>
        }
        .into_any(),
        CaseState::Refused | CaseState::NotMediated | CaseState::Failed | CaseState::Referred => {
            view! { <p>{t(Msg::CaseClosed)}</p> }.into_any()
        }
    };
    body
}

/// `/staff/mediation/:code/agreement`: the 调解协议书 on one A4 page.
#[component]
pub fn AgreementPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let agreement = Resource::new(code, load_agreement);
    let lang = lang();
    view! {
        <Title text=t(Msg::AgreementTitle) />
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match agreement.await {
                    Ok(Some(a)) => view! {
                        <p class="no-print">
                            <button type="button" class="button" on:click=|_| print()>{t(Msg::AgreementPrint)}</button>
                        </p>
                        <article class="agreement">
                            <h1>{t(Msg::AgreementTitle)}</h1>
                            <p class="agreement-no">{t(Msg::AgreementNumber)}{t(Msg::FieldSeparator)}{a.number.clone()}</p>
                            <h2>{t(Msg::AgreementParties)}</h2>
                            <p>{t(Msg::CaseApplicant)}{t(Msg::FieldSeparator)}{a.applicant.clone()}</p>
                            <p>{t(Msg::CaseOtherParty)}{t(Msg::FieldSeparator)}{a.other_party.clone()}</p>
                            <h2>{t(Msg::AgreementFacts)}</h2>
                            <p>{dispute_name(a.dispute_type)}</p>
                            <p class="prewrap">{a.facts.clone()}</p>
                            <h2>{t(Msg::AgreementTerms)}</h2>
                            <p class="prewrap">{a.terms.clone()}</p>
                            <p>{t(Msg::AgreementAmount)}{t(Msg::FieldSeparator)}{yuan_amount(lang, &a.amount_yuan)}</p>
                            <p>{t(Msg::AgreementCopies)}</p>
                            <div class="signatures">
                                <p>{t(Msg::AgreementSignParty)}{t(Msg::FieldSeparator)}"________________"</p>
                                <p>{t(Msg::AgreementSignParty)}{t(Msg::FieldSeparator)}"________________"</p>
                                <p>{t(Msg::AgreementSignMediator)}{t(Msg::FieldSeparator)}"________________"<span class="hint">{crate::i18n::in_brackets(lang, &a.mediator)}</span></p>
                            </div>
                            <p class="committee">{a.committee.clone()}{t(Msg::AgreementSeal)}</p>
                            <p class="committee">{long_date(lang, a.date)}</p>
                        </article>
                    }
                        .into_any(),
                    Ok(None) => view! { <p>{t(Msg::AgreementNone)}</p> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn print() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// `/staff/mediation/new?entry=ID`: the consultation at the desk becomes a case.
#[component]
pub fn CaseFromConsultationPage() -> impl IntoView {
    let query = use_query_map();
    let entry = move || {
        query
            .with(|q| q.get("entry").and_then(|e| e.parse::<i64>().ok()))
            .unwrap_or_default()
    };
    let data = Resource::new(entry, load_consultation);
    view! {
        <Title text=t(Msg::CaseFromConsultation) />
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <ConsultationForm d /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ConsultationForm(d: DeskConsultation) -> impl IntoView {
    let action = ServerAction::<CaseFromConsultation>::new();
    let rejection = RwSignal::new(d.rejection.clone());
    Effect::new(move |_| match action.value().get() {
        Some(Ok(FormOutcome::Rejected(r))) => rejection.set(Some(r)),
        Some(Err(e)) => rejection.set(Some(Rejection::refused(error_text(&e)))),
        _ => {}
    });
    let consent = d.typed.consent;
    let place_name = d.place.name.clone();
    view! {
        <header class="page-head">
            <p class="place-meta"><a href=format!("/staff?place={}", d.place.id)>{d.place.name.clone()}</a>" · "{d.ticket.clone()}</p>
            <h1>{t(Msg::CaseFromConsultation)}</h1>
            <p>{t(Msg::CaseFromConsultationIntro)}</p>
        </header>
        <ActionForm action attr:class="card booking-form">
            <ErrorSummary rejection alternative_href=no_links() />
            <input type="hidden" name="entry" value=d.entry_id />
            <DisputeFields typed=d.typed.clone() rejection>
                <p class="field">{t(Msg::FieldMediationPlace)}{t(Msg::FieldSeparator)}<strong>{place_name}</strong></p>
            </DisputeFields>
            <div class="field">
                <FieldErrorLine rejection field="consent" />
                <label class="choice" for=field_id("consent")>
                    <input type="checkbox" id=field_id("consent") name="consent" value="on" checked=consent
                        aria-invalid=invalid(rejection, "consent")
                        aria-describedby=described_by(rejection, "consent", None) />
                    <span>{t(Msg::ConsentAtDesk)}</span>
                </label>
            </div>
            <button type="submit" class="button wide">{t(Msg::CreateCase)}</button>
        </ActionForm>
    }
}

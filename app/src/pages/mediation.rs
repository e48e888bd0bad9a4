//! Residents' mediation pages: the request form (`/mediation/new`), a case's progress
//! (`/mediation/:code`) and "my mediation requests" with a look-up by code and phone
//! (`/mediation`). Plain forms, so everything works with JavaScript off; hydrated, the
//! request is checked in the browser with the server's own rules first.

use crate::api::mediation::{
    case_lookup_flash, held_case, mediation_form, my_cases, FileMediation, OpenCase,
};
use crate::components::forms::{
    check_code_shape, described_by, field_id, invalid, no_links, refuse_in_browser,
    track_rejections, ConsentField, ErrorSummary, FieldErrorLine, PhoneCodeField,
};
use crate::i18n::{case_state_name, dispute_name, lang, moment_label, referral_name, t, Msg};
use crate::model::{
    CaseProgressView, FormOutcome, MediationFormData, PlaceChoice, PlaceChoiceGroup, Rejection,
};
use domain::mediation::{DisputeType, MediationForm, DISPUTE_ACCOUNT_MAX_CHARS};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The district's places as `<option>`s grouped by office, as one piece of HTML: hydrating
/// its ~280 options one by one held a phone's main thread for long enough to show in
/// Lighthouse's blocking time; as `inner_html` the browser parses them once and hydration
/// leaves them alone. Names are data, so they are escaped.
fn place_options(
    prompt: &str,
    offices: &[PlaceChoiceGroup],
    chosen: Option<domain::LocationId>,
    ip_mark: &str,
) -> String {
    use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
    use std::fmt::Write;
    let mut html = format!(r#"<option value="">{}</option>"#, text(prompt));
    let option = |html: &mut String, p: &PlaceChoice| {
        let selected = if chosen == Some(p.id) {
            " selected"
        } else {
            ""
        };
        let mark = if p.ip { ip_mark } else { "" };
        let _ = write!(
            html,
            r#"<option value="{}"{selected}>{}{}</option>"#,
            p.id,
            text(&p.name),
            text(mark)
        );
    };
    for group in offices {
        let _ = write!(html, r#"<optgroup label="{}">"#, attr(&group.office.name));
        option(&mut html, &group.office);
        for room in &group.workrooms {
            option(&mut html, room);
        }
        html.push_str("</optgroup>");
    }
    html
}

/// `/mediation/new?place=ID&type=ip`
#[component]
pub fn MediationRequestPage() -> impl IntoView {
    let query = use_query_map();
    let key = move || {
        let q = query.get();
        (
            q.get("place").and_then(|p| p.parse::<i64>().ok()),
            q.get("type"),
        )
    };
    let data = Resource::new(key, |(place, kind)| mediation_form(place, kind));
    view! {
        <Title text=t(Msg::MediationTitle) />
        <header class="page-head">
            <h1>{t(Msg::MediationTitle)}</h1>
            <p>{t(Msg::MediationIntro)}</p>
        </header>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <RequestForm data=d /> }.into_any(),
                    Err(_) => view! { <p class="error">{t(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RequestForm(data: MediationFormData) -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let MediationFormData {
        place,
        offices,
        dispute_type,
        flash,
    } = data;
    let action = ServerAction::<FileMediation>::new();
    let (typed, rejected) = match flash {
        Some(f) => (f.form, Some(f.rejection)),
        None => (
            MediationForm {
                dispute_type: dispute_type.unwrap_or_default(),
                location_id: place.as_ref().map(|p| domain::LocationId(p.id)),
                ..Default::default()
            },
            None,
        ),
    };
    let rejection = RwSignal::new(rejected);
    track_rejections(action, rejection);
    // Checked in the browser with the server's own rules before anything is sent.
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        use leptos::form::FromFormData;
        ev.prevent_default();
        let Ok(input) = FileMediation::from_event(&ev) else {
            return;
        };
        let form = MediationForm {
            applicant_name: input.applicant_name.clone(),
            applicant_phone: input.applicant_phone.clone(),
            other_party_name: input.other_party_name.clone(),
            other_party_phone: input.other_party_phone.clone(),
            relation: input.relation.clone(),
            dispute_type: input.dispute_type.clone().unwrap_or_default(),
            account: input.account.clone(),
            location_id: input
                .location_id
                .as_deref()
                .and_then(|l| l.trim().parse().ok()),
            consent: input.consent.is_some(),
        };
        let mut errors = form.field_errors();
        check_code_shape(input.phone_code.as_deref(), &mut errors);
        if errors.is_empty() {
            action.dispatch(input);
        } else {
            refuse_in_browser(rejection, errors);
        }
    };
    let pending = action.pending();
    let chosen_place = typed.location_id;
    let place_field = match place.filter(|p| Some(domain::LocationId(p.id)) == chosen_place) {
        Some(p) => view! {
            <p class="chosen" id=field_id("location_id") tabindex="-1">
                <strong>{p.name.clone()}</strong>
                " "
                <a href="/mediation/new#request-form">{t(Msg::ChangePlace)}</a>
            </p>
            <input type="hidden" name="location_id" value=p.id />
        }
        .into_any(),
        None => {
            let options = place_options(
                t(Msg::ChoosePlace),
                &offices,
                chosen_place,
                t(Msg::IpRoomMark),
            );
            view! {
                <select
                    id=field_id("location_id")
                    name="location_id"
                    aria-invalid=invalid(rejection, "location_id")
                    aria-describedby=described_by(rejection, "location_id", Some("place-hint"))
                    inner_html=options
                ></select>
            }
            .into_any()
        }
    };
    view! {
        <form
            method="post"
            action=FileMediation::url()
            on:submit=on_submit
            class="card booking-form"
            id="request-form"
            novalidate
        >
            <ErrorSummary rejection alternative_href=no_links() />
            <DisputeFields typed=typed.clone() rejection>
                <div class="field">
                    <label for=field_id("location_id")>{t(Msg::FieldMediationPlace)}</label>
                    <p class="hint" id="place-hint">{t(Msg::FieldMediationPlaceHint)}</p>
                    <FieldErrorLine rejection field="location_id" />
                    {place_field}
                </div>
            </DisputeFields>
            <ConsentField text=Msg::MediationPrivacyText checked=typed.consent rejection />
            <PhoneCodeField rejection />
            <button type="submit" class="button wide" disabled=move || pending.get()>
                {move || if pending.get() { t(Msg::Submitting) } else { t(Msg::SubmitMediation) }}
            </button>
        </form>
    }
}

/// The parties and the dispute: the fields a resident's request and a desk's conversion of a
/// consultation share. `children` go at the end of the dispute group (where to meet).
#[component]
pub fn DisputeFields(
    typed: MediationForm,
    rejection: RwSignal<Option<Rejection>>,
    children: Children,
) -> impl IntoView {
    let types = DisputeType::ALL
        .into_iter()
        .map(|d| {
            let id = format!("dispute-{}", d.code());
            let label_for = id.clone();
            view! {
                <label class="choice" for=label_for>
                    <input type="radio" id=id name="dispute_type" value=d.code()
                        checked=typed.dispute_type == d.code() />
                    <span>{dispute_name(d)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
            <fieldset class="group">
                <legend>{t(Msg::MediationApplicant)}</legend>
                <div class="field">
                    <label for=field_id("applicant_name")>{t(Msg::FieldApplicantName)}</label>
                    <FieldErrorLine rejection field="applicant_name" />
                    <input id=field_id("applicant_name") name="applicant_name" type="text"
                        autocomplete="name" maxlength="30" value=typed.applicant_name.clone()
                        aria-invalid=invalid(rejection, "applicant_name")
                        aria-describedby=described_by(rejection, "applicant_name", None) />
                </div>
                <div class="field">
                    <label for=field_id("applicant_phone")>{t(Msg::FieldPhone)}</label>
                    <p class="hint" id="applicant-phone-hint">{t(Msg::FieldApplicantPhoneHint)}</p>
                    <FieldErrorLine rejection field="applicant_phone" />
                    <input id=field_id("applicant_phone") name="applicant_phone" type="tel"
                        inputmode="numeric" autocomplete="tel" maxlength="20"
                        value=typed.applicant_phone.clone()
                        aria-invalid=invalid(rejection, "applicant_phone")
                        aria-describedby=described_by(rejection, "applicant_phone", Some("applicant-phone-hint")) />
                </div>
            </fieldset>
            <fieldset class="group">
                <legend>{t(Msg::MediationOtherParty)}</legend>
                <div class="field">
                    <label for=field_id("other_party_name")>{t(Msg::FieldOtherPartyName)}</label>
                    <FieldErrorLine rejection field="other_party_name" />
                    <input id=field_id("other_party_name") name="other_party_name" type="text"
                        autocomplete="off" maxlength="30" value=typed.other_party_name.clone()
                        aria-invalid=invalid(rejection, "other_party_name")
                        aria-describedby=described_by(rejection, "other_party_name", None) />
                </div>
                <div class="field">
                    <label for=field_id("other_party_phone")>{t(Msg::FieldOtherPartyPhone)}</label>
                    <FieldErrorLine rejection field="other_party_phone" />
                    <input id=field_id("other_party_phone") name="other_party_phone" type="tel"
                        inputmode="numeric" autocomplete="off" maxlength="20"
                        value=typed.other_party_phone.clone().unwrap_or_default()
                        aria-invalid=invalid(rejection, "other_party_phone")
                        aria-describedby=described_by(rejection, "other_party_phone", None) />
                </div>
                <div class="field">
                    <label for=field_id("relation")>{t(Msg::FieldRelation)}</label>
                    <p class="hint" id="relation-hint">{t(Msg::FieldRelationHint)}</p>
                    <FieldErrorLine rejection field="relation" />
                    <input id=field_id("relation") name="relation" type="text" autocomplete="off"
                        maxlength="20" value=typed.relation.clone().unwrap_or_default()
                        aria-invalid=invalid(rejection, "relation")
                        aria-describedby=described_by(rejection, "relation", Some("relation-hint")) />
                </div>
            </fieldset>
            <fieldset class="group">
                <legend>{t(Msg::MediationDispute)}</legend>
                <fieldset class="field" id=field_id("dispute_type") tabindex="-1"
                    aria-invalid=invalid(rejection, "dispute_type")
                    aria-describedby=described_by(rejection, "dispute_type", None)>
                    <legend>{t(Msg::FieldDisputeType)}</legend>
                    <FieldErrorLine rejection field="dispute_type" />
                    <div class="choices">{types}</div>
                </fieldset>
                <div class="field">
                    <label for=field_id("account")>{t(Msg::FieldDisputeAccount)}</label>
                    <p class="hint" id="dispute-account-hint">{t(Msg::FieldDisputeAccountHint)}</p>
                    <FieldErrorLine rejection field="account" />
                    <textarea id=field_id("account") name="account" rows="5"
                        maxlength=DISPUTE_ACCOUNT_MAX_CHARS.to_string()
                        aria-invalid=invalid(rejection, "account")
                        aria-describedby=described_by(rejection, "account", Some("dispute-account-hint"))>
                        {typed.account.clone()}
                    </textarea>
                </div>
                {children()}
            </fieldset>
    }
}

/// `/mediation/:code`: the case's progress on a device that holds it; otherwise the look-up.
#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let is_new = move || query.with(|q| q.get("new").is_some());
    // a successful look-up on this very URL must load the case it just opened
    let lookup = ServerAction::<OpenCase>::new();
    let data = Resource::new(
        move || (code(), lookup.version().get()),
        |(c, _)| held_case(c),
    );
    view! {
        <Title text=t(Msg::CaseTimeline) />
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(case)) => view! { <CaseView case is_new=is_new() /> }.into_any(),
                    Ok(None) => view! {
                        <h1>{t(Msg::CaseLookupHeading)}</h1>
                        <CaseLookup code=code() action=lookup />
                    }
                    .into_any(),
                    Err(_) => view! { <p class="error">{t(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CaseView(case: CaseProgressView, is_new: bool) -> impl IntoView {
    let lang = lang();
    let timeline = case
        .timeline
        .iter()
        .map(|(state, at)| {
            view! {
                <li>
                    <span class="timeline-when">{moment_label(lang, *at)}</span>
                    <span class="timeline-what">{case_state_name(*state)}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <header class="page-head">
            <h1>{t(Msg::MediationTitle)}</h1>
            {is_new.then(|| view! { <p class="notice" role="status">{t(Msg::CaseFiled)}</p> })}
        </header>
        <article class="card case" aria-labelledby="case-heading">
            <h2 id="case-heading">{t(Msg::CaseCodeLabel)}" "<span class="code">{case.code.clone()}</span></h2>
            <dl class="facts">
                <dt>{t(Msg::CaseStateLabel)}</dt>
                <dd class="case-state">{case_state_name(case.state)}</dd>
                <dt>{t(Msg::FieldDisputeType)}</dt>
                <dd>{dispute_name(case.dispute_type)}</dd>
                <dt>{t(Msg::FieldMediationPlace)}</dt>
                <dd>{case.place_name.clone()}<br />{case.place_address.clone()}</dd>
                {case.next_session.clone().map(|s| view! {
                    <dt>{t(Msg::CaseNextSession)}</dt>
                    <dd class="case-session"><strong>{moment_label(lang, s.start)}</strong><br />{s.place_name}" · "{s.address}</dd>
                })}
                {case.agreement_no.clone().map(|n| view! {
                    <dt>{t(Msg::CaseAgreementNo)}</dt>
                    <dd>{n}</dd>
                })}
                {case.refusal_reason.clone().map(|r| view! {
                    <dt>{t(Msg::CaseRefusalReason)}</dt>
                    <dd>{r}</dd>
                })}
                {case.referral.map(|r| view! {
                    <dt>{t(Msg::CaseReferredTo)}</dt>
                    <dd>{referral_name(r)}</dd>
                })}
            </dl>
        </article>
        <section class="card" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{t(Msg::CaseTimeline)}</h2>
            <ol class="timeline">{timeline}</ol>
        </section>
        {case.state.is_closed().then(|| view! {
            <p class="actions">
                <a class="button" href=format!("/rate/{}", case.code.replace('-', ""))>{t(Msg::RateLink)}</a>
            </p>
        })}
        <p><a href="/mediation">{t(Msg::MyCasesTitle)}</a></p>
    }
}

/// Code and phone → the case (remembered on this device from then on).
#[component]
fn CaseLookup(code: String, action: ServerAction<OpenCase>) -> impl IntoView {
    let kept = Resource::new(|| (), |_| case_lookup_flash());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let code = code.clone();
                Suspend::new(async move {
                    let (code, phone, rejected) = match kept.await {
                        Ok(Some((c, p, r))) => (c, p, Some(r)),
                        _ => (code, String::new(), None),
                    };
                    let rejection = RwSignal::new(rejected);
                    Effect::new(move |_| {
                        if let Some(Ok(FormOutcome::Rejected(r))) = action.value().get() {
                            rejection.set(Some(r));
                        }
                    });
                    view! {
                        <section class="card" id="lookup" aria-labelledby="lookup-heading">
                            <h2 id="lookup-heading">{t(Msg::CaseLookupHeading)}</h2>
                            <p>{t(Msg::CaseLookupIntro)}</p>
                            <ActionForm action>
                                <ErrorSummary rejection alternative_href=no_links() />
                                <div class="field">
                                    <label for="f-case-code">{t(Msg::FieldCaseCode)}</label>
                                    <input id="f-case-code" name="code" type="text" autocomplete="off"
                                        autocapitalize="characters" spellcheck="false" maxlength="16" value=code />
                                </div>
                                <div class="field">
                                    <label for="f-case-phone">{t(Msg::FieldPhone)}</label>
                                    <input id="f-case-phone" name="phone" type="tel" inputmode="numeric"
                                        autocomplete="tel" maxlength="20" value=phone />
                                </div>
                                <button type="submit" class="button">{t(Msg::CaseLookupButton)}</button>
                            </ActionForm>
                        </section>
                    }
                })
            }}
        </Suspense>
    }
}

/// `/mediation`: this device's requests, a look-up, and the way to a new request.
#[component]
pub fn MyCasesPage() -> impl IntoView {
    let cases = Resource::new(|| (), |_| my_cases());
    let lookup = ServerAction::<OpenCase>::new();
    let lang = lang();
    view! {
        <Title text=t(Msg::MyCasesTitle) />
        <header class="page-head">
            <h1>{t(Msg::MyCasesTitle)}</h1>
            <p><a class="button" href="/mediation/new">{t(Msg::NewMediationLink)}</a></p>
        </header>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match cases.await {
                    Ok(list) if list.is_empty() => view! { <p>{t(Msg::NoCasesYet)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="place-list">
                            {list
                                .into_iter()
                                .map(|c| {
                                    let href = format!("/mediation/{}", c.code.replace('-', ""));
                                    let when = c.timeline.first().map(|(_, at)| moment_label(lang, *at));
                                    view! {
                                        <li class="card">
                                            <a href=href><strong>{c.code.clone()}</strong></a>
                                            " · "{case_state_name(c.state)}
                                            <p class="hint">{dispute_name(c.dispute_type)}" · "{c.place_name}" · "{when}</p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(_) => view! { <p class="error">{t(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
        <CaseLookup code=String::new() action=lookup />
    }
}

#[cfg(test)]
mod tests {
    use super::place_options;
    use crate::model::{PlaceChoice, PlaceChoiceGroup};

    fn place(id: i64, name: &str, ip: bool) -> PlaceChoice {
        PlaceChoice {
            id: domain::LocationId(id),
            name: name.into(),
            ip,
        }
    }

    #[test]
    fn places_are_grouped_by_office_with_the_chosen_one_selected() {
        let offices = vec![PlaceChoiceGroup {
            office: place(1, "彭浦新村街道司法所", true),
            workrooms: vec![place(15, "岭南路居委", false)],
        }];
        let html = place_options(
            "请选择地点",
            &offices,
            Some(domain::LocationId(15)),
            "（知识产权）",
        );
        assert_eq!(
            html,
            "<option value=\"\">请选择地点</option>\
             <optgroup label=\"彭浦新村街道司法所\">\
             <option value=\"1\">彭浦新村街道司法所（知识产权）</option>\
             <option value=\"15\" selected>岭南路居委</option>\
             </optgroup>"
        );
    }

    #[test]
    fn names_cannot_inject_markup() {
        let offices = vec![PlaceChoiceGroup {
            office: place(1, "a\"><script>x</script>", false),
            workrooms: vec![place(2, "</option><b>", false)],
        }];
        let html = place_options("p", &offices, None, "");
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{html}"
        );
        assert!(
            html.contains("label=\"a&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""),
            "{html}"
        );
        assert!(html.contains("&lt;/option&gt;&lt;b&gt;"), "{html}");
    }
}

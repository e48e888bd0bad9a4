//! The waiting list, for residents: join a full service's list for a range of days and a part
//! of the day; an entry's page (opened from the texted link) to book the seat held for them,
//! pass it on or leave; their entries under "my bookings". Every step is a form, so it works
//! with JavaScript off.

use crate::api::waitlist::{
    my_waitlist, wait_lookup_flash, waitlist_entry, waitlist_form, ActOnWait, JoinWaitlist,
    OpenWaitlist,
};
use crate::components::forms::{
    check_code_shape, described_by, field_id, invalid, no_links, refuse_in_browser,
    track_rejections, ConsentField, ErrorSummary, FieldErrorLine, PhoneCodeField, ResidentFields,
};
use crate::i18n::{hold_until_text, lang, t, time_range_label, wish_label, Msg};
use crate::model::{Rejection, WaitlistFormData, WaitlistView};
use crate::pages::not_found::NotFound;
use domain::booking::ResidentForm;
use domain::waitlist::PartOfDay;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/places/:id/waitlist/:service?day=YYYY-MM-DD`
#[component]
pub fn JoinWaitlistPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let p = params.get();
        (
            p.get("id").and_then(|s| s.parse::<i64>().ok()),
            p.get("service").unwrap_or_default(),
            query.get().get("day"),
        )
    };
    let data = Resource::new(key, |(id, service, day)| async move {
        match id {
            Some(id) => waitlist_form(id, service, day).await,
            None => Ok(None),
        }
    });
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(d)) => view! { <JoinView data=d /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(_) => view! { <p class="error">{t(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn JoinView(data: WaitlistFormData) -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let WaitlistFormData {
        place,
        service,
        typed,
        first_day,
        last_day,
        rejection,
    } = data;
    let lang = lang();
    let action = ServerAction::<JoinWaitlist>::new();
    let rejection = RwSignal::new(rejection);
    track_rejections(action, rejection);
    // the fields the booking form also has, checked in the browser with the same rules
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        use leptos::form::FromFormData;
        ev.prevent_default();
        let Ok(input) = JoinWaitlist::from_event(&ev) else {
            return;
        };
        let form = ResidentForm {
            name: input.name.clone(),
            phone: input.phone.clone(),
            topic: input.topic.clone().unwrap_or_default(),
            account: input.account.clone().unwrap_or_default(),
            youth: false,
            consent: input.consent.is_some(),
        };
        let mut errors = form.check(service, false).err().unwrap_or_default();
        check_code_shape(input.phone_code.as_deref(), &mut errors);
        if errors.is_empty() {
            action.dispatch(input);
        } else {
            refuse_in_browser(rejection, errors);
        }
    };
    let pending = action.pending();
    let (min, max) = (first_day.to_string(), last_day.to_string());
    let details = ResidentForm {
        name: typed.name.clone(),
        phone: typed.phone.clone(),
        topic: typed.topic.clone(),
        account: typed.account.clone(),
        youth: false,
        consent: typed.consent,
    };
    let parts = PartOfDay::ALL
        .into_iter()
        .map(|p| {
            let id = format!("part-{}", p.code());
            let label_for = id.clone();
            let label = match lang {
                domain::Lang::ZhCn => p.label_zh(),
                domain::Lang::En => p.label_en(),
            };
            view! {
                <label class="choice" for=label_for>
                    <input type="radio" id=id name="part_of_day" value=p.code()
                        checked=typed.part_of_day == p.code() />
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <Title text=t(Msg::WaitlistHeading) />
        <header class="page-head">
            <p class="place-meta">
                <a href=format!("/places/{}", place.id)>{place.name.clone()}</a>
            </p>
            <h1>{t(Msg::WaitlistHeading)}</h1>
            <p>{crate::i18n::book_label(lang, service)}</p>
        </header>
        <form
            method="post"
            action=JoinWaitlist::url()
            on:submit=on_submit
            class="card booking-form"
            id="waitlist-form"
            novalidate
        >
            <p class="hint">{t(Msg::WaitlistIntro)}</p>
            <ErrorSummary rejection alternative_href=no_links() />
            <input type="hidden" name="location_id" value=place.id />
            <input type="hidden" name="service" value=service.code() />
            <div class="field">
                <label for=field_id("from")>{t(Msg::FieldFrom)}</label>
                <FieldErrorLine rejection field="from" />
                <input id=field_id("from") name="from" type="date" min=min.clone() max=max.clone()
                    value=typed.from.clone()
                    aria-invalid=invalid(rejection, "from")
                    aria-describedby=described_by(rejection, "from", None) />
            </div>
            <div class="field">
                <label for=field_id("to")>{t(Msg::FieldTo)}</label>
                <FieldErrorLine rejection field="to" />
                <input id=field_id("to") name="to" type="date" min=min max=max
                    value=typed.to.clone()
                    aria-invalid=invalid(rejection, "to")
                    aria-describedby=described_by(rejection, "to", None) />
            </div>
            <fieldset class="field" id=field_id("part_of_day") tabindex="-1"
                aria-invalid=invalid(rejection, "part_of_day")
                aria-describedby=described_by(rejection, "part_of_day", None)>
                <legend>{t(Msg::FieldPartOfDay)}</legend>
                <FieldErrorLine rejection field="part_of_day" />
                <div class="choices">{parts}</div>
            </fieldset>
            <ResidentFields service typed=details rejection />
            <ConsentField text=Msg::PrivacyText checked=typed.consent rejection />
            <PhoneCodeField rejection />
            <button type="submit" class="button wide" disabled=move || pending.get()>
                {move || if pending.get() { t(Msg::Submitting) } else { t(Msg::WaitlistSubmit) }}
            </button>
        </form>
    }
}

/// `/waitlist/:code`: the entry (and a held seat's choices), or the phone prompt.
#[component]
pub fn WaitlistPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let query = use_query_map();
    let data = Resource::new(code, waitlist_entry);
    let kept = Resource::new(|| (), |_| wait_lookup_flash());
    view! {
        <Title text=t(Msg::WaitlistEntryHeading) />
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let joined = query.with_untracked(|q| q.get("new").is_some());
                match data.await {
                    Ok(Some((entry, notice))) => {
                        view! { <EntryView entry joined notice /> }.into_any()
                    }
                    Ok(None) => {
                        let (phone, rejected) = match kept.await {
                            Ok(Some((p, r))) => (p, Some(r)),
                            _ => (String::new(), None),
                        };
                        view! {
                            <section class="card">
                                <h1>{t(Msg::WaitlistEntryHeading)}</h1>
                                <p>{t(Msg::WaitlistNeedPhone)}</p>
                                <OpenForm code=code() phone rejected />
                            </section>
                        }
                            .into_any()
                    }
                    Err(_) => view! { <p class="error">{t(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OpenForm(code: String, phone: String, rejected: Option<Rejection>) -> impl IntoView {
    let action = ServerAction::<OpenWaitlist>::new();
    let rejection = RwSignal::new(rejected);
    track_rejections(action, rejection);
    view! {
        <ActionForm action>
            <ErrorSummary rejection alternative_href=no_links() />
            <input type="hidden" name="code" value=code />
            <div class="field">
                <label for="wait-phone">{t(Msg::FieldPhone)}</label>
                <input id="wait-phone" name="phone" type="tel" inputmode="numeric"
                    autocomplete="tel" maxlength="20" value=phone />
            </div>
            <button type="submit" class="button wide">{t(Msg::LookupSubmit)}</button>
        </ActionForm>
    }
}

#[component]
fn EntryView(entry: WaitlistView, joined: bool, notice: Option<Rejection>) -> impl IntoView {
    let lang = lang();
    let action = ServerAction::<ActOnWait>::new();
    let rejection = RwSignal::new(notice);
    track_rejections(action, rejection);
    let pending = action.pending();
    let code = entry.code.clone();
    // one button per choice: each its own small form, so it works without JavaScript
    let button = move |what: &'static str, label: Msg, class: &'static str| {
        let code = code.clone();
        view! {
            <ActionForm action>
                <input type="hidden" name="code" value=code />
                <input type="hidden" name="action" value=what />
                <button type="submit" class=class disabled=move || pending.get()>{t(label)}</button>
            </ActionForm>
        }
    };
    let body = match (&entry.offer, entry.state.as_str()) {
        (Some(offer), _) => view! {
            <h2>{t(Msg::WaitlistOfferHeading)}</h2>
            <p class="chosen"><strong>{time_range_label(lang, offer.start, offer.end)}</strong></p>
            <p>{hold_until_text(lang, offer.until)}</p>
            <div class="actions">
                {button("confirm", Msg::WaitlistConfirm, "button wide")}
                {button("decline", Msg::WaitlistDecline, "button secondary")}
            </div>
        }
        .into_any(),
        (None, "waiting") => view! {
            <p>{t(Msg::WaitlistWaitingBody)}</p>
            <div class="actions">{button("leave", Msg::WaitlistLeave, "button secondary")}</div>
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! {
        <section class="card" aria-labelledby="wait-heading">
            <h1 id="wait-heading">{t(Msg::WaitlistEntryHeading)}</h1>
            {joined.then(|| view! { <p class="notice" role="status">{t(Msg::WaitlistJoined)}</p> })}
            <ErrorSummary rejection alternative_href=no_links() />
            <p>
                <strong>{entry.title.clone()}</strong><br />
                {entry.place_name.clone()}<br />
                {wish_label(lang, entry.from, entry.to, entry.part)}
            </p>
            <p class="state">{entry.state_label.clone()}</p>
            {body}
        </section>
    }
}

/// The entries this device holds, under "my bookings".
#[component]
pub fn MyWaitlist() -> impl IntoView {
    let list = Resource::new(|| (), |_| my_waitlist());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let items = list.await.unwrap_or_default();
                (!items.is_empty()).then(|| {
                    let lang = lang();
                    view! {
                        <section class="card" aria-labelledby="my-wait-heading">
                            <h2 id="my-wait-heading">{t(Msg::MyWaitlistHeading)}</h2>
                            <ul class="place-list">
                                {items
                                    .into_iter()
                                    .map(|e| view! {
                                        <li>
                                            <a href=format!("/waitlist/{}", e.code)>
                                                {e.title.clone()}" · "{e.place_name.clone()}
                                            </a>
                                            <br />
                                            {wish_label(lang, e.from, e.to, e.part)}
                                            " · "
                                            <strong>{e.state_label.clone()}</strong>
                                        </li>
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

//! Booking a service at a place: day → time → details → confirmation. Each step is a link or
//! a form, so the flow works with JavaScript off; hydrated, it runs without page reloads and
//! checks the form in the browser with the same Rust code the server uses.

use crate::api::bookings::{booking_page, BookSlot};
use crate::components::forms::{
    check_code_shape, described_by, field_id, invalid, refuse_in_browser, track_rejections,
    Alternatives, ConsentField, ErrorSummary, FieldErrorLine, PhoneCodeField, ResidentFields,
};
use crate::components::slot_picker::{slot_href, SlotPickerView};
use crate::i18n::{lang, t, time_range_label, Msg};
use crate::model::{AlternativeChoice, BookingFlash, BookingPageData, SlotChoice};
use crate::pages::not_found::NotFound;
use domain::booking::ResidentForm;
use domain::ServiceCode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/places/:id/book/:service?day=YYYY-MM-DD&time=HH:MM`
#[component]
pub fn BookPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let p = params.get();
        let q = query.get();
        (
            p.get("id").and_then(|s| s.parse::<i64>().ok()),
            p.get("service").unwrap_or_default(),
            q.get("day"),
            q.get("time"),
        )
    };
    let data = crate::api::data(key, |(id, service, day, time)| async move {
        match id {
            Some(id) => booking_page(id, service, day, time).await,
            None => Ok(None),
        }
    });
    view! {
        // Transition keeps the page while the next step loads (no flash of "loading").
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(d)) => view! { <BookView data=d /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(_) => view! { <p class="error">{t(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Where an alternative slot of `service` links to.
fn alternative_href(service: ServiceCode) -> impl Fn(AlternativeChoice) -> String + Copy {
    move |a: AlternativeChoice| {
        slot_href(
            &format!("/places/{}/book/{}", a.location_id, service.code()),
            &a.slot,
        )
    }
}

#[component]
fn BookView(data: BookingPageData) -> impl IntoView {
    let BookingPageData {
        place,
        service,
        picker,
        alternatives,
        flash,
    } = data;
    let lang = lang();
    let base = format!("/places/{}/book/{}", place.id, service.code());
    let chosen = picker.chosen.clone();
    let day_param = picker.day.map(|d| d.format("%Y-%m-%d").to_string());
    let title = format!(
        "{} · {}",
        crate::i18n::book_label(lang, service),
        place.name
    );
    let form_step = chosen.map(|slot| {
        let change = format!(
            "{base}?day={}#slot-step",
            day_param.clone().unwrap_or_default()
        );
        let when = time_range_label(lang, slot.start, slot.end);
        let body = if slot.remaining == 0 {
            let wait = format!(
                "/places/{}/waitlist/{}?day={}#waitlist-form",
                place.id,
                service.code(),
                day_param.clone().unwrap_or_default()
            );
            view! {
                <p class="error">{t(Msg::ChosenSlotFull)}</p>
                <p><a class="button secondary" href=wait>{t(Msg::WaitlistJoinLink)}</a></p>
                {(!alternatives.is_empty())
                    .then(|| {
                        view! {
                            <Alternatives
                                alternatives=alternatives.clone()
                                href=alternative_href(service)
                            />
                        }
                    })}
            }
            .into_any()
        } else {
            view! { <BookingForm place_id=place.id service chosen=slot flash /> }.into_any()
        };
        view! {
            <section class="card step" id="form-step" aria-labelledby="form-heading">
                <h2 id="form-heading">{t(Msg::StepForm)}</h2>
                <p class="chosen">
                    <span class="chosen-label">{t(Msg::ChosenSlot)}</span>
                    <strong>{when}</strong>
                    <a href=change>{t(Msg::ChangeSlot)}</a>
                </p>
                {body}
            </section>
        }
    });
    view! {
        <Title text=title />
        <header class="page-head">
            <p class="place-meta">
                <a href=format!("/places/{}", place.id)>{place.name.clone()}</a>
            </p>
            <h1>{crate::i18n::book_label(crate::i18n::lang(), service)}</h1>
            <p class="place-address">{place.address.clone()}</p>
        </header>
        <SlotPickerView picker base />
        {form_step}
    }
}

#[component]
fn BookingForm(
    place_id: i64,
    service: ServiceCode,
    chosen: SlotChoice,
    flash: Option<BookingFlash>,
) -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let slot = chosen;
    let action = ServerAction::<BookSlot>::new();
    let start = slot.start.to_rfc3339();
    // a form kept by the server after a rejected post without JavaScript
    let (typed, rejected) = match flash {
        Some(f) => (f.form, Some(f.rejection)),
        None => (ResidentForm::default(), None),
    };
    let rejection = RwSignal::new(rejected);
    track_rejections(action, rejection);
    let youth_only = slot.youth_only;
    // Checked in the browser with the server's own rules before anything is sent.
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        use leptos::form::FromFormData;
        ev.prevent_default();
        let Ok(input) = BookSlot::from_event(&ev) else {
            return;
        };
        let form = ResidentForm {
            name: input.name.clone(),
            phone: input.phone.clone(),
            topic: input.topic.clone().unwrap_or_default(),
            account: input.account.clone().unwrap_or_default(),
            youth: input.youth.is_some(),
            consent: input.consent.is_some(),
        };
        let mut errors = form.check(service, youth_only).err().unwrap_or_default();
        check_code_shape(input.phone_code.as_deref(), &mut errors);
        if errors.is_empty() {
            action.dispatch(input);
        } else {
            refuse_in_browser(rejection, errors);
        }
    };
    let pending = action.pending();
    view! {
        <form
            method="post"
            action=BookSlot::url()
            on:submit=on_submit
            class="booking-form"
            novalidate
        >
            <ErrorSummary rejection alternative_href=alternative_href(service) />
            <input type="hidden" name="location_id" value=place_id />
            <input type="hidden" name="service" value=service.code() />
            <input type="hidden" name="start" value=start />

            <ResidentFields service typed=typed.clone() rejection phone_hint=Msg::FieldPhoneHint />

            {youth_only
                .then(|| {
                    view! {
                        <div class="field">
                            <p class="hint" id="youth-hint">{t(Msg::YouthSlotNote)}</p>
                            <FieldErrorLine rejection field="youth" />
                            <label class="choice" for=field_id("youth")>
                                <input
                                    type="checkbox"
                                    id=field_id("youth")
                                    name="youth"
                                    value="on"
                                    checked=typed.youth
                                    aria-invalid=invalid(rejection, "youth")
                                    aria-describedby=described_by(
                                        rejection,
                                        "youth",
                                        Some("youth-hint"),
                                    )
                                />
                                <span>{t(Msg::FieldYouth)}</span>
                            </label>
                        </div>
                    }
                })}

            <ConsentField text=Msg::PrivacyText checked=typed.consent rejection in_step=true />

            <PhoneCodeField rejection />

            <button type="submit" class="button wide" disabled=move || pending.get()>
                {move || if pending.get() { t(Msg::Submitting) } else { t(Msg::SubmitBooking) }}
            </button>
        </form>
    }
}

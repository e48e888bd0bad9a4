//! A resident's own bookings: the confirmation / detail page, cancel (with a confirmation
//! step), reschedule, and "my bookings" with a look-up by code and phone number. A device sees
//! a booking's details only after it booked it or proved it knows the code and the phone.

use crate::api::bookings::{
    booking_detail, lookup_flash, my_bookings, reschedule_page, CancelBooking, OpenBooking,
    RescheduleBooking,
};
use crate::components::forms::{
    field_id, no_links, track_rejections, Alternatives, ErrorSummary, FieldErrorLine,
    PhoneCodeField,
};
use crate::components::slot_picker::{slot_href, SlotPickerView};
use crate::i18n::{code_spoken, history_label, lang, state_label, t, time_range_label, Msg};
use crate::model::{AlternativeChoice, BookingSummary, BookingView, Rejection, RescheduleData};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn code_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get("code").unwrap_or_default())
}

/// The QR code SVG drawn by the server, without its XML prologue.
fn svg_only(svg: &str) -> String {
    svg.find("<svg")
        .map(|i| svg[i..].to_string())
        .unwrap_or_default()
}

/// `/bookings/:code`: confirmation and details, or the phone prompt.
#[component]
pub fn BookingPage() -> impl IntoView {
    let code = code_param();
    let query = use_query_map();
    let data = crate::api::data(code, booking_detail);
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let banner = query
                    .with_untracked(|q| {
                        if q.get("new").is_some() {
                            Some(Msg::BookingDone)
                        } else if q.get("cancelled").is_some() {
                            Some(Msg::CancelledNotice)
                        } else if q.get("moved").is_some() {
                            Some(Msg::MovedNotice)
                        } else {
                            None
                        }
                    });
                match data.await {
                    Ok(Some((view, notice))) => {
                        view! { <BookingDetail booking=view banner notice /> }.into_any()
                    }
                    Ok(None) => {
                        view! {
                            <Title text=t(Msg::BookingHeading) />
                            <section class="card">
                                <h1>{t(Msg::BookingHeading)}</h1>
                                <p>{t(Msg::NeedPhone)}</p>
                                <LookupForm code=code() phone=String::new() rejected=None />
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
fn BookingDetail(
    booking: BookingView,
    banner: Option<Msg>,
    notice: Option<Rejection>,
) -> impl IntoView {
    let lang = lang();
    let path_code = booking.code.replace('-', "");
    let heading = match banner {
        Some(Msg::BookingDone) => t(Msg::BookingDone),
        _ => t(Msg::BookingHeading),
    };
    let status_line = banner
        .filter(|b| *b != Msg::BookingDone)
        .map(|b| view! { <p class="notice" role="status">{t(b)}</p> });
    let notice = notice.map(|r| {
        view! {
            <div class="error-summary" role="alert">
                <ul>{r.messages().into_iter().map(|(_, m)| view! { <li>{m}</li> }).collect_view()}</ul>
            </div>
        }
    });
    let actions = booking.state.can_cancel().then(|| {
        view! {
            <div class="actions">
                <a class="button" href=format!("/bookings/{path_code}/reschedule")>
                    {t(Msg::Reschedule)}
                </a>
                <a class="button secondary" href=format!("/bookings/{path_code}/calendar.ics") download="booking.ics" rel="external">
                    {t(Msg::AddToCalendar)}
                </a>
                <a class="button danger" href=format!("/bookings/{path_code}/cancel")>
                    {t(Msg::CancelBooking)}
                </a>
            </div>
        }
    });
    // a finished visit may be rated (the rating page says until when, or that it was)
    let rate = (booking.state == domain::BookingState::Done).then(|| {
        view! {
            <p class="actions">
                <a class="button" href=format!("/rate/{path_code}")>{t(Msg::RateLink)}</a>
            </p>
        }
    });
    let history = booking
        .history
        .iter()
        .map(|h| view! { <li>{history_label(lang, h)}</li> })
        .collect_view();
    view! {
        <Title text=format!("{} {}", t(Msg::BookingHeading), booking.code) />
        <section class="card booking" class:cancelled=!booking.state.is_active()>
            <h1>{heading}</h1>
            {status_line}
            {notice}
            <p class="code-label">{t(Msg::BookingCodeLabel)}</p>
            <p class="code" aria-label=format!("{} {}", t(Msg::BookingCodeLabel), code_spoken(&booking.code))>
                {booking.code.clone()}
            </p>
            <div class="qr" role="img" aria-label=t(Msg::QrLabel) inner_html=svg_only(&booking.qr_svg)></div>
            <p class="hint">{t(Msg::BookingCodeHint)}</p>
            <dl class="facts">
                <dt>{t(Msg::ServiceLabel)}</dt>
                <dd>{booking.title.clone()}</dd>
                <dt>{t(Msg::When)}</dt>
                <dd>{time_range_label(lang, booking.start, booking.end)}</dd>
                <dt>{t(Msg::Where)}</dt>
                <dd>
                    <a href=format!("/places/{}", booking.place_id)>{booking.place_name.clone()}</a>
                    <br />
                    {booking.place_address.clone()}
                </dd>
                <dt>{t(Msg::StateLabel)}</dt>
                <dd class="state">{state_label(lang, booking.state)}</dd>
                <dt>{t(Msg::FieldPhone)}</dt>
                <dd>{booking.phone_masked.clone()}</dd>
            </dl>
            {actions}
            {rate}
        </section>
        <section class="card" aria-labelledby="history-heading">
            <h2 id="history-heading">{t(Msg::History)}</h2>
            <ul class="history">{history}</ul>
        </section>
        <p><a href="/bookings">{t(Msg::MyBookingsHeading)}</a></p>
    }
}

/// `/bookings/:code/cancel`: asks before cancelling.
#[component]
pub fn CancelPage() -> impl IntoView {
    let code = code_param();
    let data = crate::api::data(code, booking_detail);
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some((booking, notice))) => view! { <CancelView booking notice /> }.into_any(),
                    Ok(None) => view! {
                        <section class="card">
                            <h1>{t(Msg::BookingHeading)}</h1>
                            <p>{t(Msg::NeedPhone)}</p>
                            <LookupForm code=code() phone=String::new() rejected=None />
                        </section>
                    }
                        .into_any(),
                    Err(_) => view! { <p class="error">{t(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CancelView(booking: BookingView, notice: Option<Rejection>) -> impl IntoView {
    let lang = lang();
    let action = ServerAction::<CancelBooking>::new();
    let rejection = RwSignal::new(notice);
    track_rejections(action, rejection);
    let path_code = booking.code.replace('-', "");
    let pending = action.pending();
    view! {
        <Title text=t(Msg::CancelBooking) />
        <section class="card">
            <h1>{t(Msg::CancelConfirmHeading)}</h1>
            <p>
                <strong>{booking.title.clone()}</strong><br />
                {time_range_label(lang, booking.start, booking.end)}<br />
                {booking.place_name.clone()}
            </p>
            <p>{t(Msg::CancelConfirmBody)}</p>
            <ActionForm action>
                <ErrorSummary rejection alternative_href=no_links() />
                <input type="hidden" name="code" value=path_code.clone() />
                <PhoneCodeField rejection />
                <div class="actions">
                    <button type="submit" class="button danger" disabled=move || pending.get()>
                        {t(Msg::CancelYes)}
                    </button>
                    <a class="button secondary" href=format!("/bookings/{path_code}")>
                        {t(Msg::CancelNo)}
                    </a>
                </div>
            </ActionForm>
        </section>
    }
}

/// `/bookings/:code/reschedule?day=…&time=…`
#[component]
pub fn ReschedulePage() -> impl IntoView {
    let code = code_param();
    let query = use_query_map();
    let key = move || {
        let q = query.get();
        (code(), q.get("day"), q.get("time"))
    };
    let data = crate::api::data(key, |(code, day, time)| reschedule_page(code, day, time));
    view! {
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(d)) => view! { <RescheduleView data=d /> }.into_any(),
                    Ok(None) => view! {
                        <section class="card">
                            <h1>{t(Msg::RescheduleHeading)}</h1>
                            <p>{t(Msg::NeedPhone)}</p>
                            <LookupForm code=code() phone=String::new() rejected=None />
                        </section>
                    }
                        .into_any(),
                    Err(_) => view! { <p class="error">{t(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RescheduleView(data: RescheduleData) -> impl IntoView {
    let RescheduleData {
        booking,
        picker,
        alternatives,
        flash,
    } = data;
    let lang = lang();
    let path_code = booking.code.replace('-', "");
    let base = format!("/bookings/{path_code}/reschedule");
    let alt_base = base.clone();
    let alt_href = move |a: AlternativeChoice| slot_href(&alt_base, &a.slot);
    let action = ServerAction::<RescheduleBooking>::new();
    let rejection = RwSignal::new(flash);
    track_rejections(action, rejection);
    let pending = action.pending();
    let confirm = picker.chosen.clone().map(|slot| {
        let when = time_range_label(lang, slot.start, slot.end);
        let body = if slot.remaining == 0 {
            view! {
                <p class="error">{t(Msg::ChosenSlotFull)}</p>
                <Alternatives alternatives=alternatives.clone() href=alt_href.clone() />
            }
            .into_any()
        } else {
            let code = path_code.clone();
            view! {
                <ActionForm action>
                    <ErrorSummary rejection alternative_href=alt_href.clone() />
                    <input type="hidden" name="code" value=code />
                    <input type="hidden" name="start" value=slot.start.to_rfc3339() />
                    <PhoneCodeField rejection />
                    <button type="submit" class="button wide" disabled=move || pending.get()>
                        {t(Msg::RescheduleConfirm)}
                    </button>
                </ActionForm>
            }
            .into_any()
        };
        view! {
            <section class="card step" id="form-step" aria-labelledby="confirm-heading">
                <h2 id="confirm-heading">{t(Msg::ChosenSlot)}</h2>
                <p class="chosen"><strong>{when}</strong></p>
                {body}
            </section>
        }
    });
    view! {
        <Title text=t(Msg::RescheduleHeading) />
        <header class="page-head">
            <p class="place-meta">
                <a href=format!("/bookings/{path_code}")>{booking.code.clone()}</a>
            </p>
            <h1>{t(Msg::RescheduleHeading)}</h1>
            <p>
                {t(Msg::CurrentSlot)}{t(Msg::FieldSeparator)}
                <strong>{time_range_label(lang, booking.start, booking.end)}</strong>
                " · "{booking.place_name.clone()}
            </p>
        </header>
        <SlotPickerView picker base current=booking.start />
        {confirm}
    }
}

/// `/bookings`: the bookings remembered on this device, and a look-up by code and phone.
#[component]
pub fn MyBookingsPage() -> impl IntoView {
    let list = crate::api::data(|| (), |_| my_bookings());
    let kept = crate::api::data(|| (), |_| lookup_flash());
    view! {
        <Title text=t(Msg::MyBookingsHeading) />
        <section class="card" aria-labelledby="mine-heading">
            <h1 id="mine-heading">{t(Msg::MyBookingsHeading)}</h1>
            <p class="hint">{t(Msg::MyBookingsIntro)}</p>
            <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => {
                            view! { <p>{t(Msg::MyBookingsEmpty)}</p> }.into_any()
                        }
                        Ok(items) => view! {
                            <ul class="place-list">
                                {items.into_iter().map(|b| view! { <SummaryItem booking=b /> }).collect_view()}
                            </ul>
                        }
                            .into_any(),
                        Err(_) => view! { <p class="error">{t(Msg::LoadFailed)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <crate::pages::waitlist::MyWaitlist />
        <section class="card" id="lookup" aria-labelledby="lookup-heading">
            <h2 id="lookup-heading">{t(Msg::LookupHeading)}</h2>
            <p class="hint">{t(Msg::LookupHint)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let (code, phone, rejected) = match kept.await {
                        Ok(Some((c, p, r))) => (c, p, Some(r)),
                        _ => (String::new(), String::new(), None),
                    };
                    view! { <LookupForm code phone rejected /> }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SummaryItem(booking: BookingSummary) -> impl IntoView {
    let lang = lang();
    let path_code = booking.code.replace('-', "");
    view! {
        <li class="place-item">
            <a class="place-link" href=format!("/bookings/{path_code}")>
                <span class="place-name">{booking.title.clone()}" · "{booking.place_name.clone()}</span>
                <span>{time_range_label(lang, booking.start, booking.end)}</span>
                <span class="place-meta">
                    {state_label(lang, booking.state)}" · "{t(Msg::BookingCodeLabel)}" "{booking.code.clone()}
                </span>
            </a>
        </li>
    }
}

/// Code and phone number; a match opens the booking and remembers it on this device.
#[component]
fn LookupForm(code: String, phone: String, rejected: Option<Rejection>) -> impl IntoView {
    let action = ServerAction::<OpenBooking>::new();
    let rejection = RwSignal::new(rejected);
    track_rejections(action, rejection);
    let pending = action.pending();
    view! {
        <ActionForm action>
            <ErrorSummary rejection alternative_href=no_links() />
            <div class="field">
                <label for=field_id("code")>{t(Msg::FieldCode)}</label>
                <FieldErrorLine rejection field="code" />
                <input
                    id=field_id("code")
                    name="code"
                    type="text"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    maxlength="16"
                    value=code
                />
            </div>
            <div class="field">
                <label for="lookup-phone">{t(Msg::FieldPhone)}</label>
                <input
                    id="lookup-phone"
                    name="phone"
                    type="tel"
                    inputmode="numeric"
                    autocomplete="tel"
                    maxlength="20"
                    value=phone
                />
            </div>
            <button type="submit" class="button wide" disabled=move || pending.get()>
                {t(Msg::LookupSubmit)}
            </button>
        </ActionForm>
    }
}

//! `/staff/waitlist?place=ID`: a place's waiting list for its staff, with how many seats
//! were offered from it and how many of those became bookings.

use crate::api::waitlist::load_place_waitlist;
use crate::components::forms::error_text;
use crate::i18n::{lang, service_name_in, t, time_range_label, waitlist_counts, wish_label, Msg};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StaffWaitlistPage() -> impl IntoView {
    let query = use_query_map();
    let place = move || query.with(|q| q.get("place").and_then(|p| p.parse::<i64>().ok()));
    let data = Resource::new(place, |p| async move {
        match p {
            Some(p) => load_place_waitlist(p).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <Title text=t(Msg::StaffWaitlistTitle) />
        <section class="card">
            <p class="place-meta"><a href="/staff">{t(Msg::StaffTitle)}</a></p>
            <h1>{t(Msg::StaffWaitlistTitle)}</h1>
            <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let lang = lang();
                    match data.await {
                        Ok(Some(list)) => view! {
                            <p><strong>{list.place_name.clone()}</strong></p>
                            <p class="summary">{waitlist_counts(lang, list.offered, list.booked)}</p>
                            {list.lines.is_empty().then(|| view! { <p>{t(Msg::StaffWaitlistEmpty)}</p> })}
                            <ul class="queue-list">
                                {list
                                    .lines
                                    .into_iter()
                                    .map(|l| {
                                        let held = l.offer.map(|o| time_range_label(lang, o.start, o.end));
                                        view! {
                                            <li class="queue-line">
                                                <span class="queue-state">{l.state_label}</span>
                                                <span class="queue-who">{l.name}" · "{l.phone}</span>
                                                <span>
                                                    {service_name_in(lang, l.service)}" · "
                                                    {wish_label(lang, l.from, l.to, l.part)}
                                                </span>
                                                {held.map(|h| view! { <span>{h}</span> })}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any(),
                        Ok(None) => view! { <p>{t(Msg::StaffWaitlistEmpty)}</p> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

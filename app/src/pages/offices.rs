//! Every office with its workrooms. Workroom lists fold (<details>) so that the page
//! stays short on a phone and works without JavaScript.

use crate::api::office_groups;
use crate::components::place_card::PlaceItem;
use crate::i18n::{lang, t, workroom_count, Msg};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OfficesPage() -> impl IntoView {
    let groups = crate::api::data(|| (), |_| office_groups());
    let elder = crate::prefs::prefs().elder;
    view! {
        <Title text=t(Msg::NavOffices) />
        <h1>{t(Msg::OfficesHeading)}</h1>
        <p>{t(Msg::OfficesIntro)}</p>
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match groups.await {
                    Ok(groups) => {
                        groups
                            .into_iter()
                            .map(|g| {
                                let heading_id = format!("office-{}", g.office.id);
                                let labelled_by = heading_id.clone();
                                view! {
                                    <section class="card office" aria-labelledby=labelled_by>
                                        <h2 id=heading_id>
                                            <a href=format!("/places/{}", g.office.id)>{g.office.name.clone()}</a>
                                        </h2>
                                        <p class="place-address">{g.office.address.clone()}</p>
                                        // elderly mode lists the offices only; each office's
                                        // page lists its workrooms
                                        {(!elder).then(|| view! {
                                        <details>
                                            <summary>
                                                {t(Msg::WorkroomsOf)}" ("{workroom_count(lang(), g.workrooms.len())}")"
                                            </summary>
                                            <ul class="place-list">
                                                {g.workrooms
                                                    .into_iter()
                                                    .map(|w| view! { <PlaceItem place=w /> })
                                                    .collect_view()}
                                            </ul>
                                        </details>
                                        })}
                                    </section>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }
                    Err(_) => view! { <p class="error">{t(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

//! A place's page: what it is, where, and its services with opening hours.

use crate::api::get_place;
use crate::components::place_card::PlaceItem;
use crate::i18n::{lang, service_name, session_text, t, workroom_count, Msg};
use crate::model::PlaceDetail;
use crate::pages::not_found::NotFound;
use domain::{LocationKind, ServiceCode};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PlacePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    let detail = crate::api::data(id, |id| async move {
        match id {
            Some(id) => get_place(id).await,
            None => Ok(None),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(Some(d)) => view! { <PlaceView detail=d /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(_) => view! { <p class="error">{t(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PlaceView(detail: PlaceDetail) -> impl IntoView {
    let PlaceDetail {
        place,
        phone,
        office,
        services,
        workrooms,
    } = detail;
    let kind = match place.kind {
        LocationKind::Office => t(Msg::KindOffice),
        LocationKind::Workroom => t(Msg::KindWorkroom),
    };
    let lang = lang();
    let place_id = place.id;
    view! {
        <Title text=place.name.clone() />
        <article class="card place">
            <p class="place-meta">{kind}" · "{place.area.clone()}</p>
            <h1>{place.name.clone()}</h1>
            <dl class="facts">
                <dt>{t(Msg::Address)}</dt>
                <dd>{place.address.clone()}</dd>
                {phone
                    .map(|p| {
                        let tel = format!("tel:{}", p.replace([' ', '-'], ""));
                        view! {
                            <dt>{t(Msg::Phone)}</dt>
                            <dd><a href=tel>{p}</a></dd>
                        }
                    })}
                {office
                    .map(|o| {
                        view! {
                            <dt>{t(Msg::BelongsTo)}</dt>
                            <dd><a href=format!("/places/{}", o.id)>{o.name}</a></dd>
                        }
                    })}
            </dl>
        </article>
        <section class="card" aria-labelledby="services-heading">
            <h2 id="services-heading">{t(Msg::ServicesHeading)}</h2>
            <ul class="service-list">
                {services
                    .into_iter()
                    .map(|offer| {
                        view! {
                            <li class="service">
                                <h3>{service_name(offer.service)}</h3>
                                {if offer.sessions.is_empty() {
                                    // mediation is asked for with a request, not booked
                                    let ask = match offer.service {
                                        ServiceCode::Mediation => Some(format!("/mediation/new?place={place_id}")),
                                        ServiceCode::IpMediation => Some(format!("/mediation/new?place={place_id}&type=ip")),
                                        _ => None,
                                    };
                                    view! {
                                        <p>{t(Msg::ByRequestOnly)}</p>
                                        {ask.map(|href| view! {
                                            <a class="button book-link" href=href>{t(Msg::AskMediation)}</a>
                                        })}
                                    }
                                    .into_any()
                                } else {
                                    let book = format!(
                                        "/places/{}/book/{}",
                                        place_id,
                                        offer.service.code(),
                                    );
                                    view! {
                                        <a class="button book-link" href=book>
                                            {crate::i18n::book_label(crate::i18n::lang(), offer.service)}
                                        </a>
                                        <ul class="hours">
                                            {offer
                                                .sessions
                                                .iter()
                                                .map(|s| view! { <li>{session_text(lang, s)}</li> })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        {(!workrooms.is_empty())
            .then(|| {
                view! {
                    <section class="card" aria-labelledby="workrooms-heading">
                        <h2 id="workrooms-heading">
                            {t(Msg::WorkroomsOf)}" ("{workroom_count(lang, workrooms.len())}")"
                        </h2>
                        <ul class="place-list">
                            {workrooms.into_iter().map(|w| view! { <PlaceItem place=w /> }).collect_view()}
                        </ul>
                    </section>
                }
            })}
    }
}

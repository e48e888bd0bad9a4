//! A place in a list: name, what it is, address and services, linking to its page.

use crate::i18n::{service_name, t, Msg};
use crate::model::PlaceCard;
use domain::LocationKind;
use leptos::prelude::*;

#[component]
pub fn PlaceItem(place: PlaceCard) -> impl IntoView {
    let kind = match place.kind {
        LocationKind::Office => t(Msg::KindOffice),
        LocationKind::Workroom => t(Msg::KindWorkroom),
    };
    let href = format!("/places/{}", place.id);
    let area = if place.neighbourhood.is_empty() {
        place.area.clone()
    } else {
        format!("{} · {}", place.area, place.neighbourhood)
    };
    view! {
        <li class="place-item">
            <a class="place-link" href=href>
                <span class="place-name">{place.name.clone()}</span>
                <span class="place-meta">{kind}" · "{area}</span>
                <span class="place-address">{place.address.clone()}</span>
            </a>
            <ul class="tags" aria-label=t(Msg::ServicesHeading)>
                {place
                    .services
                    .iter()
                    .map(|s| view! { <li class="tag">{service_name(*s)}</li> })
                    .collect_view()}
            </ul>
        </li>
    }
}

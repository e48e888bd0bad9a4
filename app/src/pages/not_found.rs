use crate::i18n::{t, Msg};
use leptos::prelude::*;
use leptos_meta::Title;

/// Shown for unknown paths and unknown places, with a 404 status on the server.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t(Msg::NotFoundTitle) />
        <section class="card">
            <h1>{t(Msg::NotFoundTitle)}</h1>
            <p>{t(Msg::NotFoundBody)}</p>
            <p><a class="button" href="/">{t(Msg::BackHome)}</a></p>
        </section>
    }
}

//! Home: search box (live results after hydration, a plain GET form without JavaScript)
//! and the list of the district's offices.

use crate::api::{office_summaries, search_places};
use crate::components::place_card::PlaceItem;
use crate::i18n::{lang, results_count, t, workroom_count, Msg};
use crate::prefs::prefs;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    let elder = prefs().elder;
    view! {
        // An empty page title: the formatter in App shows the site title alone.
        <Title text="" />
        <section class="hero">
            <h1>{t(Msg::SiteTitle)}</h1>
            <p class="tagline">{t(Msg::SiteTagline)}</p>
        </section>
        // elderly mode: the three things people come for, as big buttons, instead of a grid
        {elder.then(|| view! { <Tasks /> })}
        <PlaceSearch />
        {(!elder).then(|| view! { <OfficeList /> })}
    }
}

#[component]
fn Tasks() -> impl IntoView {
    let task = |href: &'static str, title: Msg, detail: Msg| {
        view! {
            <li>
                <a class="task" href=href>
                    {t(title)}
                    <small>{t(detail)}</small>
                </a>
            </li>
        }
    };
    view! {
        <nav aria-label=t(Msg::TasksNav)>
            <ul class="tasks">
                {task("/offices", Msg::TaskBook, Msg::TaskBookDetail)}
                {task("/mediation/new", Msg::TaskMediation, Msg::TaskMediationDetail)}
                {task("/bookings", Msg::NavMyBookings, Msg::TaskMineDetail)}
            </ul>
        </nav>
    }
}

#[component]
fn PlaceSearch() -> impl IntoView {
    let query_map = use_query_map();
    let initial = query_map.with_untracked(|q| q.get("q").unwrap_or_default());
    let (query, set_query) = signal(initial.clone());
    let results = crate::api::data(
        move || query.get(),
        |q| async move {
            if q.trim().is_empty() {
                Ok(None)
            } else {
                search_places(q).await.map(Some)
            }
        },
    );
    view! {
        <section class="card search" aria-labelledby="search-heading">
            <h2 id="search-heading">{t(Msg::SearchLabel)}</h2>
            // Without JavaScript this is an ordinary GET form to "/?q=…"; after hydration
            // results follow the typing and the submit only keeps the page where it is.
            <form
                role="search"
                method="get"
                action="/"
                on:submit=|ev| ev.prevent_default()
            >
                <label for="q" class="visually-hidden">{t(Msg::SearchLabel)}</label>
                <div class="search-row">
                    <input
                        id="q"
                        name="q"
                        type="search"
                        autocomplete="off"
                        enterkeyhint="search"
                        maxlength="40"
                        placeholder=t(Msg::SearchPlaceholder)
                        aria-describedby="search-hint"
                        // the attribute keeps the query in the box of a server-rendered
                        // results page (no JavaScript); the property is what hydration uses
                        value=initial.clone()
                        prop:value=initial
                        on:input=move |ev| set_query.set(event_target_value(&ev))
                    />
                    <button type="submit" class="button">{t(Msg::SearchButton)}</button>
                </div>
                <p id="search-hint" class="hint">{t(Msg::SearchHint)}</p>
            </form>
            <div class="search-results" aria-live="polite">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match results.await {
                            Ok(None) => ().into_any(),
                            Ok(Some(found)) if found.is_empty() => {
                                view! { <p class="empty">{t(Msg::SearchNoResults)}</p> }.into_any()
                            }
                            Ok(Some(found)) => {
                                view! {
                                    <h3 class="results-count">{results_count(lang(), found.len())}</h3>
                                    <ul class="place-list" aria-label=t(Msg::SearchResults)>
                                        {found
                                            .into_iter()
                                            .map(|p| view! { <PlaceItem place=p /> })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }
                            Err(_) => view! { <p class="error">{t(Msg::LoadFailed)}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
        </section>
    }
}

#[component]
fn OfficeList() -> impl IntoView {
    let groups = crate::api::data(|| (), |_| office_summaries());
    view! {
        <section class="card" aria-labelledby="offices-heading">
            <h2 id="offices-heading">{t(Msg::OfficesHeading)}</h2>
            <p>{t(Msg::OfficesIntro)}</p>
            <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match groups.await {
                        Ok(groups) => {
                            view! {
                                <ul class="office-grid">
                                    {groups
                                        .into_iter()
                                        .map(|g| {
                                            view! {
                                                <li>
                                                    <a class="office-tile" href=format!("/places/{}", g.id)>
                                                        <span class="place-name">{g.name.clone()}</span>
                                                        <span class="place-meta">
                                                            {workroom_count(lang(), g.workrooms)}
                                                        </span>
                                                    </a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(_) => view! { <p class="error">{t(Msg::LoadFailed)}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a href="/offices">{t(Msg::AllOfficesLink)}</a></p>
        </section>
    }
}

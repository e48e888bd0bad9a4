//! `/display/:id`: the call display on an office TV. Tickets being called and at which desk,
//! the next ones, people waiting and the estimated wait; no names or phone numbers. The
//! server renders the board; after hydration a server-sent event stream keeps it current.
//! When the stream drops, the last board stays on screen with a "reconnecting" note and the
//! browser reconnects by itself.

use crate::api::display_board;
use crate::i18n::{t, Msg};
use crate::pages::not_found::NotFound;
use domain::queue::DisplayBoard;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn DisplayPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    let board = Resource::new(id, |id| async move {
        match id {
            Some(id) => display_board(id).await,
            None => Ok(None),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(Some(b)) => view! { <Board initial=b /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(_) => view! { <p class="error">{t(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Board(initial: DisplayBoard) -> impl IntoView {
    let id = initial.location_id;
    let title = format!("{} · {}", initial.place_name, t(Msg::DisplayTitle));
    let board = RwSignal::new(initial);
    let connected = RwSignal::new(true);
    let chime = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    live::follow(id, board, connected, chime);
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
    view! {
        <Title text=title />
        <section class="display" aria-live="polite">
            <header class="display-head">
                <h1>{move || board.with(|b| b.place_name.clone())}</h1>
                <p class="display-status" class:offline=move || !connected.get()>
                    {move || if connected.get() { t(Msg::DisplayLive) } else { t(Msg::DisplayReconnecting) }}
                </p>
            </header>
            <div class="display-calling">
                <h2>{t(Msg::DisplayCalling)}</h2>
                <ul>
                    {move || {
                        let calls = board.with(|b| b.calling.clone());
                        if calls.is_empty() {
                            view! { <li class="display-none">{t(Msg::DisplayNobody)}</li> }.into_any()
                        } else {
                            calls
                                .into_iter()
                                .map(|c| {
                                    view! {
                                        <li>
                                            <span class="display-ticket">{c.ticket}</span>
                                            <span class="display-desk">
                                                {c.desk.unwrap_or_else(|| t(Msg::DisplayAnyDesk).to_string())}
                                            </span>
                                        </li>
                                    }
                                })
                                .collect_view()
                                .into_any()
                        }
                    }}
                </ul>
            </div>
            <div class="display-next">
                <h2>{t(Msg::DisplayNext)}</h2>
                <p class="display-next-list">
                    {move || {
                        let next = board.with(|b| b.next.clone());
                        if next.is_empty() { "—".to_string() } else { next.join("  ") }
                    }}
                </p>
                <p class="display-wait">
                    {move || {
                        board
                            .with(|b| {
                                format!(
                                    "{} {} · {} {}",
                                    t(Msg::DisplayWaiting),
                                    b.waiting,
                                    t(Msg::DisplayEstimated),
                                    b.estimated_wait_minutes,
                                )
                            })
                    }}
                    " "{t(Msg::Minutes)}
                </p>
            </div>
            <button
                type="button"
                class="button secondary display-chime"
                aria-pressed=move || if chime.get() { "true" } else { "false" }
                on:click=move |_| chime.update(|c| *c = !*c)
            >
                {t(Msg::DisplayChime)}
            </button>
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod live {
    use domain::queue::DisplayBoard;
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    /// Follows the place's event stream into `board`. `EventSource` reconnects by itself; a
    /// failed connection only flips `connected`, the last board stays.
    pub fn follow(
        id: i64,
        board: RwSignal<DisplayBoard>,
        connected: RwSignal<bool>,
        chime: RwSignal<bool>,
    ) {
        let Ok(source) = web_sys::EventSource::new(&format!("/api/v1/display/{id}/events")) else {
            connected.set(false);
            return;
        };
        let on_board =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let Some(text) = ev.data().as_string() else {
                    return;
                };
                if let Ok(next) = serde_json::from_str::<DisplayBoard>(&text) {
                    let newer_call = next.version > board.with_untracked(|b| b.version);
                    board.set(next);
                    connected.set(true);
                    if newer_call && chime.get_untracked() {
                        beep();
                    }
                }
            });
        let _ = source.add_event_listener_with_callback("board", on_board.as_ref().unchecked_ref());
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| connected.set(false));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| connected.set(true));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        // the page lives as long as the screen: the handlers stay
        on_board.forget();
        on_error.forget();
        on_open.forget();
        on_cleanup(move || source.close());
    }

    /// A short two-tone chime (Web Audio; browsers allow it after the chime button's click).
    fn beep() {
        let Ok(ctx) = web_sys::AudioContext::new() else {
            return;
        };
        for (i, freq) in [880.0_f32, 660.0].into_iter().enumerate() {
            let (Ok(osc), Ok(gain)) = (ctx.create_oscillator(), ctx.create_gain()) else {
                return;
            };
            let start = ctx.current_time() + i as f64 * 0.35;
            osc.frequency().set_value(freq);
            gain.gain().set_value(0.2);
            let _ = osc.connect_with_audio_node(&gain);
            let _ = gain.connect_with_audio_node(&ctx.destination());
            let _ = osc.start_with_when(start);
            let _ = osc.stop_with_when(start + 0.3);
        }
    }
}

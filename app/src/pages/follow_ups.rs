//! Staff pages of ratings: `/staff/follow-ups[?place=ID][&all=1]`, the follow-ups of poor
//! ratings (回访/整改) with overdue ones flagged and forms for the call back and for closing;
//! and `/staff/tickets/:id`, a walk-in's printable ticket with the QR code to rate the visit.

use crate::api::ratings::{load_follow_ups, walk_in_ticket, FollowUpStep};
use crate::components::forms::{error_text, no_links, track_rejections, ErrorSummary};
use crate::i18n::{follow_up_due_text, lang, long_date, moment_label, service_name_in, t, Msg};
use crate::model::{FollowUpLine, TicketView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn FollowUpsPage() -> impl IntoView {
    let query = use_query_map();
    let place = move || query.with(|q| q.get("place").and_then(|p| p.parse::<i64>().ok()));
    let all = move || query.with(|q| q.get("all").is_some());
    let action = ServerAction::<FollowUpStep>::new();
    let rejection = RwSignal::new(None);
    track_rejections(action, rejection);
    // read again after every step
    let data = Resource::new(
        move || (place(), all(), action.version().get()),
        |(place, all, _)| load_follow_ups(place, all),
    );
    let back = move || {
        let mut b = String::from("/staff/follow-ups");
        if let Some(p) = place() {
            b.push_str(&format!("?place={p}"));
            if all() {
                b.push_str("&all=1");
            }
        }
        b
    };
    view! {
        <Title text=t(Msg::FollowUpsTitle) />
        <section class="card">
            <p class="place-meta"><a href="/staff">{t(Msg::StaffTitle)}</a></p>
            <h1>{t(Msg::FollowUpsTitle)}</h1>
            <ErrorSummary rejection alternative_href=no_links() />
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => {
                            if v.notice.is_some() {
                                rejection.set(v.notice.clone());
                            }
                            let heading = match (&v.place_name, place()) {
                                (Some(name), Some(p)) => view! {
                                    <p>
                                        <strong>{name.clone()}</strong>" · "
                                        {if all() {
                                            view! { <a href=format!("/staff/follow-ups?place={p}")>{t(Msg::FollowUpsScope)}</a> }.into_any()
                                        } else {
                                            view! { <a href=format!("/staff/follow-ups?place={p}&all=1")>{t(Msg::FollowUpShowClosed)}</a> }.into_any()
                                        }}
                                    </p>
                                }
                                    .into_any(),
                                _ => view! { <p>{t(Msg::FollowUpsScope)}</p> }.into_any(),
                            };
                            let back = back();
                            view! {
                                {heading}
                                {v.lines.is_empty().then(|| view! { <p>{t(Msg::FollowUpsEmpty)}</p> })}
                                <ul class="follow-ups">
                                    {v
                                        .lines
                                        .into_iter()
                                        .map(|line| view! { <Item line action back=back.clone() /> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Item(line: FollowUpLine, action: ServerAction<FollowUpStep>, back: String) -> impl IntoView {
    let lang = lang();
    let id = line.rating_id;
    let what = match line.level {
        Some(level) => {
            let reasons = crate::i18n::reasons_text(lang, &line.reasons);
            view! {
                <p>
                    <strong class="level poor">{level.label(lang)}</strong>
                    {(!reasons.is_empty()).then(|| view! { " · "{reasons} })}
                </p>
                {line.comment.clone().map(|c| view! { <p class="quote">{c}</p> })}
            }
            .into_any()
        }
        None => view! { <p class="hint">{t(Msg::FollowUpHidden)}</p> }.into_any(),
    };
    let status = match (line.closed_on_time, line.overdue) {
        (Some(true), _) => {
            view! { <span class="badge ok">{t(Msg::FollowUpOnTime)}</span> }.into_any()
        }
        (Some(false), _) => {
            view! { <span class="badge late">{t(Msg::FollowUpLate)}</span> }.into_any()
        }
        (None, true) => {
            view! { <span class="badge late">{t(Msg::FollowUpOverdue)}</span> }.into_any()
        }
        (None, false) => ().into_any(),
    };
    let notes = view! {
        {line.said.clone().map(|s| view! { <p>{t(Msg::FollowUpSaid)}{s}</p> })}
        {line.changed.clone().map(|c| view! { <p>{t(Msg::FollowUpChanged)}{c}</p> })}
    };
    let step = match (line.may_act, line.state.as_str()) {
        (true, "open") => Some(("call", Msg::FollowUpSaidLabel, Msg::FollowUpCall)),
        (true, "called") => Some(("close", Msg::FollowUpChangedLabel, Msg::FollowUpClose)),
        _ => None,
    };
    let pending = action.pending();
    let form = step.map(|(step, label, button)| {
        let note_id = format!("note-{id}");
        view! {
            <ActionForm action>
                <input type="hidden" name="rating_id" value=id />
                <input type="hidden" name="step" value=step />
                <input type="hidden" name="back" value=back.clone() />
                <div class="field">
                    <label for=note_id.clone()>{t(label)}</label>
                    <textarea id=note_id name="note" rows="2" maxlength="500"></textarea>
                </div>
                <button type="submit" class="button small" disabled=move || pending.get()>{t(button)}</button>
            </ActionForm>
        }
    });
    view! {
        <li class="follow-up" data-state=line.state.clone() data-overdue=line.overdue.to_string()>
            <p class="place-meta">
                {line.place_name.clone()}" · "{service_name_in(lang, line.service)}" · "
                {moment_label(lang, line.rated_at)}
            </p>
            {what}
            <p>
                <span class="queue-state">{line.state_label.clone()}</span>" "
                {follow_up_due_text(lang, line.due)}" "{status}
            </p>
            {notes}
            {form}
        </li>
    }
}

/// `/staff/tickets/:id`: a walk-in's ticket to print, with the QR code of its rating link.
#[component]
pub fn TicketPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => walk_in_ticket(id).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <Title text=t(Msg::TicketTitle) />
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(ticket)) => view! { <Ticket ticket /> }.into_any(),
                    Ok(None) => view! { <crate::pages::not_found::NotFound /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Ticket(ticket: TicketView) -> impl IntoView {
    let lang = lang();
    // the server's drawing, without its XML prologue
    let svg = ticket
        .qr_svg
        .find("<svg")
        .map(|i| ticket.qr_svg[i..].to_string())
        .unwrap_or_default();
    view! {
        <section class="card ticket" aria-labelledby="ticket-heading">
            <p class="place-meta no-print"><a href="/staff">{t(Msg::StaffTitle)}</a></p>
            <h1 id="ticket-heading">{ticket.place_name.clone()}</h1>
            <p>{ticket.title.clone()}" · "{long_date(lang, ticket.day)}</p>
            <p class="ticket-number">
                <span class="hint">{t(Msg::TicketNumber)}</span><br />
                <strong>{ticket.ticket.clone()}</strong>
            </p>
            <div class="qr" role="img" aria-label=t(Msg::TicketScan) inner_html=svg></div>
            <p>{t(Msg::TicketScan)}</p>
            <p class="ticket-link"><a href=ticket.rating_url.clone()>{ticket.rating_url.clone()}</a></p>
            <p class="no-print">
                <button type="button" class="button" on:click=|_| print()>{t(Msg::TicketPrint)}</button>
            </p>
        </section>
    }
}

fn print() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

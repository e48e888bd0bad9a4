//! `/staff/schedules?place=ID`: an office head edits the weekly rules of each bookable
//! service, one rule per line (`mon-fri 09:00-11:30 30min x2`). A change that would cancel
//! bookings is refused with the list until confirmed.

use crate::api::staff::{load_schedules, SaveSchedule, StaffCloseDay};
use crate::components::forms::{error_text, ErrorSummary};
use crate::i18n::{service_name, t, Msg};
use crate::model::{AlternativeChoice, FormOutcome, Rejection, ServiceRules};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SchedulesPage() -> impl IntoView {
    let query = use_query_map();
    let place = move || {
        query
            .with(|q| q.get("place").and_then(|p| p.parse::<i64>().ok()))
            .unwrap_or_default()
    };
    let save = ServerAction::<SaveSchedule>::new();
    let close = ServerAction::<StaffCloseDay>::new();
    let data = Resource::new(
        move || (place(), save.version().get(), close.version().get()),
        |(p, ..)| load_schedules(p),
    );
    view! {
        <Title text=t(Msg::SchedulesTitle) />
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let kept = page.kept.clone();
                        let closure = page.closure.clone();
                        let bookable: Vec<domain::ServiceCode> =
                            page.services.iter().map(|r| r.service).collect();
                        let place_id = page.place.id;
                        view! {
                            <header class="page-head">
                                <p class="place-meta"><a href=format!("/staff?place={}", page.place.id)>{t(Msg::StaffTitle)}</a></p>
                                <h1>{page.place.name.clone()}" · "{t(Msg::SchedulesTitle)}</h1>
                                <p class="hint">{t(Msg::SchedulesHint)}</p>
                            </header>
                            {page
                                .services
                                .into_iter()
                                .map(|rules| {
                                    let kept = kept
                                        .clone()
                                        .filter(|(s, _, _)| s == rules.service.code());
                                    view! { <RulesForm place=page.place.id rules kept save /> }
                                })
                                .collect_view()}
                            <ClosureForm place=place_id services=bookable kept=closure close />
                        }
                            .into_any()
                    }
                    Err(e) => {
                        view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn RulesForm(
    place: i64,
    rules: ServiceRules,
    kept: Option<(String, String, Rejection)>,
    save: ServerAction<SaveSchedule>,
) -> impl IntoView {
    let code = rules.service.code();
    let (text, rejected) = match kept {
        Some((_, text, r)) => (text, Some(r)),
        None => (rules.lines.join("\n"), None),
    };
    let rejection = RwSignal::new(rejected);
    Effect::new(move |_| {
        if let Some(Ok(FormOutcome::Rejected(r))) = save.value().get() {
            // only the form that was sent shows it
            if r.errors.iter().any(|e| e.field == format!("rules-{code}")) {
                rejection.set(Some(r));
            }
        }
    });
    let id = format!("f-rules-{code}");
    let label_for = id.clone();
    let heading = format!("rules-heading-{code}");
    let labelled_by = heading.clone();
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h2 id=heading>{service_name(rules.service)}</h2>
            <ActionForm action=save>
                <ErrorSummary rejection alternative_href=|_: AlternativeChoice| String::new() />
                <input type="hidden" name="place" value=place />
                <input type="hidden" name="service" value=code />
                <div class="field">
                    <label for=label_for>{t(Msg::SchedulesRules)}</label>
                    <textarea id=id name="rules" rows="4" spellcheck="false">{text}</textarea>
                </div>
                <label class="choice">
                    <input type="checkbox" name="confirm" value="on" />
                    <span>{t(Msg::SchedulesConfirm)}</span>
                </label>
                <button type="submit" class="button">{t(Msg::SchedulesSave)}</button>
            </ActionForm>
        </section>
    }
}

/// Closing a service on a date (a training day, an office holiday).
#[component]
fn ClosureForm(
    place: i64,
    services: Vec<domain::ServiceCode>,
    kept: Option<Rejection>,
    close: ServerAction<StaffCloseDay>,
) -> impl IntoView {
    let rejection = RwSignal::new(kept);
    Effect::new(move |_| match close.value().get() {
        Some(Ok(FormOutcome::Rejected(r))) => rejection.set(Some(r)),
        Some(Ok(FormOutcome::Done)) => rejection.set(None),
        _ => {}
    });
    view! {
        <section class="card" aria-labelledby="closure-heading">
            <h2 id="closure-heading">{t(Msg::ClosureTitle)}</h2>
            <ActionForm action=close>
                <ErrorSummary rejection alternative_href=|_: AlternativeChoice| String::new() />
                <input type="hidden" name="place" value=place />
                <div class="field">
                    <label for="f-closure">{t(Msg::ClosureDate)}</label>
                    <input id="f-closure" name="date" type="date" required />
                </div>
                <div class="field">
                    <label for="f-closure-service">{t(Msg::ClosureService)}</label>
                    <select id="f-closure-service" name="service">
                        {services
                            .into_iter()
                            .map(|s| view! { <option value=s.code()>{service_name(s)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-closure-note">{t(Msg::ClosureNote)}</label>
                    <input id="f-closure-note" name="note" type="text" maxlength="100" />
                </div>
                <label class="choice">
                    <input type="checkbox" name="confirm" value="on" />
                    <span>{t(Msg::SchedulesConfirm)}</span>
                </label>
                <button type="submit" class="button">{t(Msg::ClosureSave)}</button>
            </ActionForm>
        </section>
    }
}

//! Staff pages: sign-in, and a place's day (check-in by booking code, walk-in tickets, call
//! next, serve, finish, undo). Every action is a plain form, so the page works without
//! JavaScript; hydrated, it follows the place's event stream and refreshes within a second of
//! any change made at another desk.

use crate::api::common::AppError;
use crate::api::staff::{
    load_audit, load_staff_home, load_staff_queue, login_notice, password_notice, StaffCallNext,
    StaffChangePassword, StaffCheckIn, StaffLogin, StaffLogout, StaffRevertNoShow, StaffStep,
    StaffWalkIn,
};
use crate::components::forms::{error_text, no_links, ErrorSummary};
use crate::components::scan::{ScanButton, Scanner};
use crate::i18n::{service_name, t, Msg};
use crate::model::{FormOutcome, QueueLine, Rejection, StaffHome, StaffQueue};
use domain::queue::{Outcome, QueueState};
use domain::BookingState;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/staff/login`
#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let action = ServerAction::<StaffLogin>::new();
    let kept = Resource::new(|| (), |_| login_notice());
    let pending = action.pending();
    view! {
        <Title text=t(Msg::StaffLoginTitle) />
        <section class="card narrow">
            <h1>{t(Msg::StaffLoginTitle)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let rejection = RwSignal::new(kept.await.ok().flatten());
                    Effect::new(move |_| {
                        if let Some(Ok(FormOutcome::Rejected(r))) = action.value().get() {
                            rejection.set(Some(r));
                        }
                    });
                    view! {
                        <ActionForm action>
                            <ErrorSummary rejection alternative_href=no_links() />
                            <div class="field">
                                <label for="f-username">{t(Msg::Username)}</label>
                                <input id="f-username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required />
                            </div>
                            <div class="field">
                                <label for="f-password">{t(Msg::Password)}</label>
                                <input id="f-password" name="password" type="password" autocomplete="current-password" required />
                            </div>
                            <button type="submit" class="button wide" disabled=move || pending.get()>
                                {t(Msg::SignIn)}
                            </button>
                        </ActionForm>
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/staff?place=ID`
#[component]
pub fn StaffPage() -> impl IntoView {
    let home = Resource::new(|| (), |_| load_staff_home());
    let query = use_query_map();
    let asked =
        Memo::new(move |_| query.with(|q| q.get("place").and_then(|p| p.parse::<i64>().ok())));
    let desk = Desk::new();
    // Made here beside `home`, not in `StaffDay`: a resource made inside a Suspend can be
    // made twice while the server renders (the Suspend runs again when `home` arrives), and
    // the browser, which makes it once, then hydrated from the wrong copy: an error view over
    // the queue, whose buttons did nothing.
    let queue = Resource::new(
        move || (asked.get(), desk.changes()),
        move |(asked, _)| async move {
            match home.await? {
                Some(h) => load_staff_queue(h.place(asked)).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text=t(Msg::StaffTitle) />
        <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(Some(h)) => view! { <StaffDay home=h asked queue desk /> }.into_any(),
                    Ok(None) => view! {
                        <section class="card">
                            <h1>{t(Msg::StaffTitle)}</h1>
                            <p>{t(Msg::StaffSignInFirst)}</p>
                            <p><a class="button" href="/staff/login">{t(Msg::SignIn)}</a></p>
                        </section>
                    }
                        .into_any(),
                    Err(_) => view! { <p class="error">{t(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A place's queue today (`None` when nobody is signed in), with a refusal kept for the page.
type QueueData = Result<Option<(StaffQueue, Option<Rejection>)>, AppError>;

/// The forms that change the queue, and a counter the event stream bumps when another desk
/// changed something: after any of them the queue is loaded again.
#[derive(Clone, Copy)]
struct Desk {
    check_in: ServerAction<StaffCheckIn>,
    walk_in: ServerAction<StaffWalkIn>,
    call: ServerAction<StaffCallNext>,
    step: ServerAction<StaffStep>,
    revert: ServerAction<StaffRevertNoShow>,
    outside: RwSignal<u32>,
}

impl Desk {
    fn new() -> Self {
        Desk {
            check_in: ServerAction::new(),
            walk_in: ServerAction::new(),
            call: ServerAction::new(),
            step: ServerAction::new(),
            revert: ServerAction::new(),
            outside: RwSignal::new(0),
        }
    }

    /// Tracks every change the queue must follow.
    fn changes(&self) -> [usize; 6] {
        [
            self.check_in.version().get(),
            self.walk_in.version().get(),
            self.call.version().get(),
            self.step.version().get(),
            self.revert.version().get(),
            self.outside.get() as usize,
        ]
    }

    /// Tracks what each form's last submission came back with.
    fn outcomes(&self) -> [Option<Result<FormOutcome, AppError>>; 5] {
        [
            self.check_in.value().get(),
            self.walk_in.value().get(),
            self.call.value().get(),
            self.step.value().get(),
            self.revert.value().get(),
        ]
    }
}

#[component]
fn StaffDay(
    home: StaffHome,
    asked: Memo<Option<i64>>,
    queue: Resource<QueueData>,
    desk: Desk,
) -> impl IntoView {
    let place = {
        let home = home.clone();
        Memo::new(move |_| home.place(asked.get()))
    };
    let logout = ServerAction::<StaffLogout>::new();
    // kept here, not in the scan button: the queue around the button is rendered again on
    // every change at the place, and a scan under way must go on
    let scanner = Scanner::new();
    let rejection = RwSignal::new(None::<Rejection>);
    // what a screen reader hears when the queue changes: the counts, from a region that
    // stays in the page (a live region re-created with its content is not announced)
    let announcement = RwSignal::new(String::new());
    let outcome_of = move |v: Option<Result<FormOutcome, AppError>>| match v {
        Some(Ok(FormOutcome::Rejected(r))) => Some(Some(r)),
        Some(Ok(FormOutcome::Done)) => Some(None),
        Some(Err(e)) => Some(Some(Rejection::refused(error_text(&e)))),
        None => None,
    };
    Effect::new(move |_| {
        for v in desk.outcomes() {
            if let Some(r) = outcome_of(v) {
                rejection.set(r);
            }
        }
    });
    // Derived in an effect (browser only, after hydration), not written while the queue
    // renders: a write made during hydration could be lost, leaving the region silent.
    Effect::new(move |_| {
        let counts = queue.with(|v| match v {
            Some(Ok(Some((q, _)))) => Some((q.waiting.len(), q.active.len())),
            _ => None,
        });
        if let Some((waiting, active)) = counts {
            announcement.set(crate::i18n::queue_summary(
                crate::i18n::lang(),
                waiting,
                active,
            ));
        }
    });
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| live::follow(place.get(), desk.outside));
    let places = home.places.clone();
    let schedule_places = home.schedule_places.clone();
    view! {
        <header class="page-head staff-head">
            <p class="place-meta">{home.display_name.clone()}" · "{home.role_label.clone()}</p>
            <a href="/staff/password">{t(Msg::PasswordTitle)}</a>
            {home.sees_audit.then(|| view! { <a href="/staff/audit">{t(Msg::AuditTitle)}</a> })}
            {home.stats_scope.clone().map(|s| view! { " " <a href=format!("/staff/stats?scope={s}")>{t(Msg::StatsLink)}</a> })}
            <ActionForm action=logout>
                <button type="submit" class="link-button">{t(Msg::SignOut)}</button>
            </ActionForm>
        </header>
        {(places.len() > 1)
            .then(|| {
                view! {
                    <form method="get" action="/staff" class="place-switch">
                        <label for="place-select">{t(Msg::StaffPlace)}</label>
                        <select id="place-select" name="place">
                            {places
                                .iter()
                                .map(|p| {
                                    let selected = p.id == place.get_untracked();
                                    view! { <option value=p.id selected=selected>{p.name.clone()}</option> }
                                })
                                .collect_view()}
                        </select>
                        <button type="submit" class="button secondary">{t(Msg::StaffSwitch)}</button>
                    </form>
                }
            })}
        {move || {
            let p = place.get();
            let schedules = schedule_places.contains(&p).then(|| {
                view! { " · "<a href=format!("/staff/schedules?place={p}")>{t(Msg::SchedulesLink)}</a> }
            });
            view! {
                <p>
                    <a href=format!("/staff/mediation?place={p}")>{t(Msg::StaffCasesLink)}</a>
                    " · "<a href=format!("/staff/waitlist?place={p}")>{t(Msg::StaffWaitlistTitle)}</a>
                    " · "<a href=format!("/staff/follow-ups?place={p}")>{t(Msg::FollowUpsLink)}</a>
                    {schedules}
                </p>
            }
        }}
        <p class="visually-hidden" role="status" aria-live="polite">{move || announcement.get()}</p>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(Some((q, notice))) => {
                        if notice.is_some() {
                            rejection.set(notice);
                        }
                        view! { <QueueView q rejection desk scanner /> }.into_any()
                    }
                    Ok(None) => ().into_any(),
                    Err(e) => {
                        view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn QueueView(
    q: StaffQueue,
    rejection: RwSignal<Option<Rejection>>,
    desk: Desk,
    scanner: Scanner,
) -> impl IntoView {
    let Desk {
        check_in,
        walk_in,
        call,
        step,
        revert,
        ..
    } = desk;
    let place = q.place.id;
    let walk_ins = q
        .services
        .clone()
        .into_iter()
        .filter(|s| *s != domain::ServiceCode::Mediation)
        .map(|s| {
            view! {
                <ActionForm action=walk_in>
                    <input type="hidden" name="place" value=place />
                    <input type="hidden" name="service" value=s.code() />
                    <button type="submit" class="button secondary">
                        {service_name(s)}" · "{t(Msg::StaffTakeTicket)}
                    </button>
                </ActionForm>
            }
        })
        .collect_view();
    let all_services = q.place.services.clone();
    let lines = move |lines: Vec<QueueLine>| {
        lines
            .into_iter()
            .map(|l| view! { <Line line=l place step services=all_services.clone() /> })
            .collect_view()
    };
    view! {
        <h1>{q.place.name.clone()}" · "{crate::i18n::day_short(crate::i18n::lang(), q.date)}</h1>
        <ErrorSummary rejection alternative_href=no_links() />
        <section class="card" aria-labelledby="desk-heading">
            <h2 id="desk-heading">{t(Msg::StaffCallHeading)}</h2>
            <ActionForm action=call>
                <input type="hidden" name="place" value=place />
                <div class="field inline">
                    <label for="f-desk">{t(Msg::StaffDesk)}</label>
                    <input id="f-desk" name="desk" type="text" maxlength="12" placeholder=t(Msg::StaffDeskPlaceholder) />
                </div>
                <button type="submit" class="button wide">{t(Msg::StaffCallNext)}</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="active-heading">
            <h2 id="active-heading">{t(Msg::StaffActive)}</h2>
            <ul class="queue-list">{lines(q.active)}</ul>
        </section>
        <section class="card" aria-labelledby="arrive-heading">
            <h2 id="arrive-heading">{t(Msg::StaffArrivals)}</h2>
            <ActionForm action=check_in>
                <input type="hidden" name="place" value=place />
                <div class="field">
                    <label for="f-code">{t(Msg::StaffCheckInCode)}</label>
                    <div class="search-row">
                        <input id="f-code" name="code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="16" />
                        <button type="submit" class="button">{t(Msg::StaffCheckIn)}</button>
                    </div>
                    <ScanButton input_id="f-code" scanner />
                </div>
            </ActionForm>
            <div class="actions">{walk_ins}</div>
        </section>
        <section class="card" aria-labelledby="waiting-heading">
            <h2 id="waiting-heading">{t(Msg::StaffWaiting)}" ("{q.waiting.len()}")"</h2>
            <ul class="queue-list">{lines(q.waiting)}</ul>
        </section>
        <section class="card" aria-labelledby="expected-heading">
            <h2 id="expected-heading">{t(Msg::StaffExpected)}" ("{q.expected.len()}")"</h2>
            <ul class="queue-list">
                {q
                    .expected
                    .into_iter()
                    .map(|b| {
                        let code = b.code.clone();
                        let revert_code = b.code.clone();
                        let who = b.who.clone();
                        let who2 = b.who.clone();
                        let actions = match b.state {
                            // arrived after all: check in directly (that also clears the mark)
                            BookingState::Booked | BookingState::NoShow => Some(view! {
                                <ActionForm action=check_in>
                                    <input type="hidden" name="place" value=place />
                                    <input type="hidden" name="code" value=code.clone() />
                                    <button type="submit" class="button small">{t(Msg::StaffCheckIn)}<span class="visually-hidden">" "{who.clone()}</span></button>
                                </ActionForm>
                            }),
                            _ => None,
                        };
                        let revert = (b.state == BookingState::NoShow).then(|| view! {
                            <ActionForm action=revert>
                                <input type="hidden" name="place" value=place />
                                <input type="hidden" name="code" value=revert_code />
                                <button type="submit" class="button small secondary">{t(Msg::StaffRevertNoShow)}<span class="visually-hidden">" "{who2.clone()}</span></button>
                            </ActionForm>
                        });
                        view! {
                            <li class="queue-line">
                                <span class="queue-ticket">{b.start.format("%H:%M").to_string()}</span>
                                <span>{service_name(b.service)}" · "{b.who}</span>
                                <span class="queue-who">{b.code}" · "{crate::i18n::lang().pick(b.state.label_zh(), b.state.label_en())}</span>
                                <div class="queue-actions">{actions}{revert}</div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <section class="card" aria-labelledby="finished-heading">
            <h2 id="finished-heading">{t(Msg::StaffFinished)}" ("{q.finished.len()}")"</h2>
            <ul class="queue-list">{lines(q.finished)}</ul>
        </section>
    }
}

#[component]
fn Line(
    line: QueueLine,
    place: i64,
    step: ServerAction<StaffStep>,
    /// The place's services, to hand a person over to another one.
    services: Vec<domain::ServiceCode>,
) -> impl IntoView {
    let id = line.id;
    let ticket = line.ticket.clone();
    let ticket_f = line.ticket.clone();
    let ticket_t = line.ticket.clone();
    let others: Vec<domain::ServiceCode> = services
        .into_iter()
        .filter(|s| *s != line.service)
        .collect();
    let button = move |name: &'static str, label: Msg, class: &'static str| {
        let ticket = ticket.clone();
        view! {
            <ActionForm action=step>
                <input type="hidden" name="place" value=place />
                <input type="hidden" name="entry" value=id />
                <input type="hidden" name="step" value=name />
                <button type="submit" class=format!("button small {class}")>{t(label)}<span class="visually-hidden">" "{ticket}</span></button>
            </ActionForm>
        }
    };
    let finish = (line.state == QueueState::Serving).then(|| {
        let select_id = format!("outcome-{id}");
        let note_id = format!("note-{id}");
        view! {
            <ActionForm action=step>
                <input type="hidden" name="place" value=place />
                <input type="hidden" name="entry" value=id />
                <input type="hidden" name="step" value="finish" />
                <label class="visually-hidden" for=select_id.clone()>{t(Msg::StaffOutcome)}</label>
                <select id=select_id name="outcome">
                    {Outcome::ALL
                        .iter()
                        .map(|o| view! { <option value=o.code()>{crate::i18n::lang().pick(o.label_zh(), o.label_en())}</option> })
                        .collect_view()}
                </select>
                <label class="visually-hidden" for=note_id.clone()>{t(Msg::StaffNote)}</label>
                <input id=note_id type="text" name="note" maxlength="500" placeholder=t(Msg::StaffNote) />
                <button type="submit" class="button small">{t(Msg::StaffFinish)}<span class="visually-hidden">" "{ticket_f}</span></button>
            </ActionForm>
        }
    });
    let actions = match line.state {
        QueueState::Called => Some(
            view! {
                {button("serve", Msg::StaffServe, "")}
                {button("recall", Msg::StaffRecall, "secondary")}
                {button("park", Msg::StaffPark, "secondary")}
                {button("no_show", Msg::StaffNoShow, "secondary")}
            }
            .into_any(),
        ),
        QueueState::Parked => Some(button("recall", Msg::StaffRecall, "secondary").into_any()),
        _ => None,
    };
    let undo = line
        .can_undo
        .then(|| button("undo", Msg::StaffUndo, "secondary"));
    // a consultation that turns out to be a dispute
    let to_case = (line.state == QueueState::Serving
        && line.service != domain::ServiceCode::Psychology)
        .then(|| {
            view! {
                <a class="button small secondary" href=format!("/staff/mediation/new?entry={id}")>
                    {t(Msg::CaseFromConsultation)}
                    <span class="visually-hidden">" "{line.ticket.clone()}</span>
                </a>
            }
        });
    let transfer = (line.state.is_open() && !others.is_empty()).then(|| {
        let select_id = format!("transfer-{id}");
        view! {
            <ActionForm action=step>
                <input type="hidden" name="place" value=place />
                <input type="hidden" name="entry" value=id />
                <input type="hidden" name="step" value="transfer" />
                <label class="visually-hidden" for=select_id.clone()>{t(Msg::StaffTransferTo)}</label>
                <select id=select_id name="service">
                    {others
                        .iter()
                        .map(|s| view! { <option value=s.code()>{service_name(*s)}</option> })
                        .collect_view()}
                </select>
                <button type="submit" class="button small secondary">{t(Msg::StaffTransfer)}<span class="visually-hidden">" "{ticket_t}</span></button>
            </ActionForm>
        }
    });
    let detail = [
        Some(service_name(line.service).to_string()),
        (!line.who.is_empty()).then(|| line.who.clone()),
        line.topic.clone(),
        line.desk.clone(),
        line.outcome.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    // the walk-in's ticket, with the QR code that lets them rate the visit afterwards
    let ticket_link = line.walk_in.then(|| {
        view! {
            <a class="button small secondary" href=format!("/staff/tickets/{id}")>
                {t(Msg::TicketLink)}
                <span class="visually-hidden">" "{line.ticket.clone()}</span>
            </a>
        }
    });
    view! {
        <li class="queue-line" data-state=line.state.code()>
            <span class="queue-ticket">{line.ticket.clone()}</span>
            <span class="queue-state">{crate::i18n::lang().pick(line.state.label_zh(), line.state.label_en())}</span>
            <span class="queue-who">{detail}</span>
            <div class="queue-actions">{actions}{finish}{to_case}{transfer}{undo}{ticket_link}</div>
        </li>
    }
}

#[cfg(feature = "hydrate")]
mod live {
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    /// Refreshes the queue whenever the place's event stream says something changed.
    pub fn follow(place: i64, outside: RwSignal<u32>) {
        let Ok(source) = web_sys::EventSource::new(&format!("/api/v1/display/{place}/events"))
        else {
            return;
        };
        let mut first = true;
        let on_board = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
            // the first event is the state the page already shows
            if !std::mem::take(&mut first) {
                outside.update(|n| *n += 1);
            }
        });
        let _ = source.add_event_listener_with_callback("board", on_board.as_ref().unchecked_ref());
        on_board.forget();
        on_cleanup(move || source.close());
    }
}

/// `/staff/password`
#[component]
pub fn PasswordPage() -> impl IntoView {
    let action = ServerAction::<StaffChangePassword>::new();
    let kept = Resource::new(|| (), |_| password_notice());
    let query = use_query_map();
    let changed = move || query.with(|q| q.get("changed").is_some());
    view! {
        <Title text=t(Msg::PasswordTitle) />
        <section class="card narrow">
            <p class="place-meta"><a href="/staff">{t(Msg::StaffTitle)}</a></p>
            <h1>{t(Msg::PasswordTitle)}</h1>
            {move || changed().then(|| view! { <p class="notice" role="status">{t(Msg::PasswordChanged)}</p> })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let rejection = RwSignal::new(kept.await.ok().flatten());
                    Effect::new(move |_| {
                        if let Some(Ok(FormOutcome::Rejected(r))) = action.value().get() {
                            rejection.set(Some(r));
                        }
                    });
                    view! {
                        <ActionForm action>
                            <ErrorSummary rejection alternative_href=no_links() />
                            <div class="field">
                                <label for="f-old_password">{t(Msg::PasswordOld)}</label>
                                <input id="f-old_password" name="old_password" type="password" autocomplete="current-password" required />
                            </div>
                            <div class="field">
                                <label for="f-password">{t(Msg::PasswordNew)}</label>
                                <input id="f-password" name="new_password" type="password" autocomplete="new-password" minlength="8" required />
                            </div>
                            <div class="field">
                                <label for="f-repeat_password">{t(Msg::PasswordRepeat)}</label>
                                <input id="f-repeat_password" name="repeat_password" type="password" autocomplete="new-password" required />
                            </div>
                            <button type="submit" class="button wide">{t(Msg::SchedulesSave)}</button>
                        </ActionForm>
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/staff/audit`: the newest staff actions (district admins and auditors).
#[component]
pub fn AuditPage() -> impl IntoView {
    let log = Resource::new(|| (), |_| load_audit());
    view! {
        <Title text=t(Msg::AuditTitle) />
        <section class="card">
            <p class="place-meta"><a href="/staff">{t(Msg::StaffTitle)}</a></p>
            <h1>{t(Msg::AuditTitle)}</h1>
            <Suspense fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match log.await {
                        Ok(lines) => view! {
                            <ul class="queue-list">
                                {lines
                                    .into_iter()
                                    .map(|l| {
                                        view! {
                                            <li class="queue-line">
                                                <span class="queue-state">{l.at.format("%m-%d %H:%M").to_string()}</span>
                                                <span>{l.username}" · "{l.action}</span>
                                                <span class="queue-who">
                                                    {l.place.map(|p| format!("#{p} ")).unwrap_or_default()}
                                                    {l.subject}" "{l.change}
                                                </span>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any(),
                        Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

//! `/rate/:code`: a resident rates a finished service (好差评) — reached from the booking or
//! case page, the follow-up text message, or the QR code on a walk-in ticket. Five levels as
//! large radio buttons; a poor one asks what went wrong. Plain forms, so it works with
//! JavaScript off; with it on, the same rules (`domain::rating::RatingForm::check`) answer
//! before the server is asked.

use crate::api::ratings::{form_of, rating_page, OpenRating, RateService};
use crate::components::forms::{
    described_by, field_id, invalid, no_links, refuse_in_browser, track_rejections, ErrorSummary,
    FieldErrorLine,
};
use crate::i18n::{follow_up_promise, lang, rating_window, t, Msg};
use crate::model::{RatePage as Page, RateTyped, RateView, Rejection};
use domain::rating::{Level, Reason, COMMENT_MAX_CHARS};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn RatePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    // the query changes after each form, so the page is read again
    let key = move || {
        (
            params.with(|p| p.get("code").unwrap_or_default()),
            query.with(|q| (q.get("done"), q.get("opened"))),
        )
    };
    let data = Resource::new(key, |(code, _)| rating_page(code));
    view! {
        <Title text=t(Msg::RateHeading) />
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let code = params.with_untracked(|p| p.get("code").unwrap_or_default());
                let done = query.with_untracked(|q| q.get("done").is_some());
                match data.await {
                    Ok(Page::Service { view, typed, rejection }) => {
                        view! { <ServiceView view=*view typed rejection done /> }.into_any()
                    }
                    Ok(Page::NeedPhone { phone, rejection }) => view! {
                        <section class="card">
                            <h1>{t(Msg::RateHeading)}</h1>
                            <p>{t(Msg::RateNeedPhone)}</p>
                            <PhoneForm code phone rejected=rejection />
                        </section>
                    }
                        .into_any(),
                    Ok(Page::NotFound) => view! {
                        <section class="card">
                            <h1>{t(Msg::RateHeading)}</h1>
                            <p class="notice" role="alert">{t(Msg::RateNotFound)}</p>
                        </section>
                    }
                        .into_any(),
                    Err(_) => view! { <p class="error">{t(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PhoneForm(code: String, phone: String, rejected: Option<Rejection>) -> impl IntoView {
    let action = ServerAction::<OpenRating>::new();
    let rejection = RwSignal::new(rejected);
    track_rejections(action, rejection);
    view! {
        <ActionForm action>
            <ErrorSummary rejection alternative_href=no_links() />
            <input type="hidden" name="code" value=code />
            <div class="field">
                <label for="rate-phone">{t(Msg::FieldPhone)}</label>
                <input id="rate-phone" name="phone" type="tel" inputmode="numeric"
                    autocomplete="tel" maxlength="20" value=phone />
            </div>
            <button type="submit" class="button wide">{t(Msg::LookupSubmit)}</button>
        </ActionForm>
    }
}

#[component]
fn ServiceView(
    view: RateView,
    typed: RateTyped,
    rejection: Option<Rejection>,
    done: bool,
) -> impl IntoView {
    let lang = lang();
    let window = view
        .finished_on
        .map(|f| rating_window(lang, f, view.rate_until.filter(|_| view.given.is_none())));
    let body = match (&view.given, &view.refusal) {
        (Some(g), _) => {
            let reasons = crate::i18n::reasons_text(lang, &g.reasons);
            view! {
                {done.then(|| view! { <p class="notice" role="status">{t(Msg::RateThanks)}</p> })}
                <h2>{t(Msg::RateGivenHeading)}</h2>
                <p class="chosen"><strong>{g.level.label(lang)}</strong></p>
                {(!reasons.is_empty()).then(|| view! { <p>{reasons}</p> })}
                {g.comment.clone().map(|c| view! { <p class="quote">{c}</p> })}
                {g.follow_up_due.map(|d| view! { <p>{follow_up_promise(lang, d)}</p> })}
            }
            .into_any()
        }
        (None, Some(why)) => view! { <p class="notice" role="status">{why.clone()}</p> }.into_any(),
        (None, None) => view! { <RateForm code=view.code.clone() typed rejection /> }.into_any(),
    };
    view! {
        <section class="card" aria-labelledby="rate-heading">
            <h1 id="rate-heading">{t(Msg::RateHeading)}</h1>
            <p>
                <strong>{view.title.clone()}</strong><br />
                {view.place_name.clone()}
                {window.map(|w| view! { <br />{w} })}
            </p>
            {body}
        </section>
    }
}

#[component]
fn RateForm(code: String, typed: RateTyped, rejection: Option<Rejection>) -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let lang = lang();
    let action = ServerAction::<RateService>::new();
    let rejection = RwSignal::new(rejection);
    track_rejections(action, rejection);
    // the server's rules, answered at once
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        use leptos::form::FromFormData;
        ev.prevent_default();
        let Ok(input) = RateService::from_event(&ev) else {
            return;
        };
        let form = form_of(
            input.level.clone(),
            [
                input.reason_attitude.is_some(),
                input.reason_waiting_time.is_some(),
                input.reason_unclear_answer.is_some(),
                input.reason_outcome.is_some(),
                input.reason_environment.is_some(),
                input.reason_other.is_some(),
            ],
            input.comment.clone(),
        );
        match form.check() {
            Ok(_) => {
                action.dispatch(input);
            }
            Err(errors) => refuse_in_browser(rejection, errors),
        }
    };
    let pending = action.pending();
    let levels = Level::ALL
        .into_iter()
        .map(|l| {
            let id = format!("level-{}", l.code());
            let label_for = id.clone();
            let class = if l.is_good() {
                "choice level good"
            } else {
                "choice level poor"
            };
            view! {
                <label class=class for=label_for>
                    <input type="radio" id=id name="level" value=l.code()
                        checked=typed.level == l.code() />
                    <span>{l.label(lang)}</span>
                </label>
            }
        })
        .collect_view();
    let reasons = Reason::ALL
        .into_iter()
        .map(|r| {
            let id = format!("reason-{}", r.code());
            let label_for = id.clone();
            view! {
                <label class="choice" for=label_for>
                    <input type="checkbox" id=id name=format!("reason_{}", r.code())
                        checked=typed.reasons.iter().any(|c| c == r.code()) />
                    <span>{r.label(lang)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <form
            method="post"
            action=RateService::url()
            on:submit=on_submit
            class="booking-form rate-form"
            id="rate-form"
            novalidate
        >
            <p class="hint">{t(Msg::RateIntro)}</p>
            <ErrorSummary rejection alternative_href=no_links() />
            <input type="hidden" name="code" value=code />
            <fieldset class="field" id=field_id("level") tabindex="-1"
                aria-invalid=invalid(rejection, "level")
                aria-describedby=described_by(rejection, "level", None)>
                <legend>{t(Msg::RateLevelLegend)}</legend>
                <FieldErrorLine rejection field="level" />
                <div class="choices levels">{levels}</div>
            </fieldset>
            <fieldset class="field" id=field_id("reasons") tabindex="-1"
                aria-invalid=invalid(rejection, "reasons")
                aria-describedby=described_by(rejection, "reasons", Some("reasons-hint"))>
                <legend>{t(Msg::RateReasonsLegend)}</legend>
                <p class="hint" id="reasons-hint">{t(Msg::RateReasonsHint)}</p>
                <FieldErrorLine rejection field="reasons" />
                <div class="choices">{reasons}</div>
            </fieldset>
            <div class="field">
                <label for=field_id("comment")>{t(Msg::RateCommentLabel)}</label>
                <FieldErrorLine rejection field="comment" />
                <textarea id=field_id("comment") name="comment" rows="3"
                    maxlength=COMMENT_MAX_CHARS.to_string()
                    aria-invalid=invalid(rejection, "comment")
                    aria-describedby=described_by(rejection, "comment", None)>
                    {typed.comment.clone()}
                </textarea>
            </div>
            <button type="submit" class="button wide" disabled=move || pending.get()>
                {move || if pending.get() { t(Msg::Submitting) } else { t(Msg::RateSubmit) }}
            </button>
        </form>
    }
}

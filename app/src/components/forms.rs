//! Pieces every form uses: the error summary (focused when it appears, linking to each wrong
//! field), a field's own error line, and alternatives offered when a slot is full.

use crate::api::common::AppError;
use crate::i18n::{lang, slot_label, t, Msg};
use crate::model::{AlternativeChoice, Rejection};
use leptos::html::Div;
use leptos::prelude::*;

/// `id` of the input of a form field, e.g. `f-name`.
pub fn field_id(field: &str) -> String {
    format!("f-{field}")
}

/// `id` of a field's error line, for `aria-describedby`.
pub fn error_id(field: &str) -> String {
    format!("f-{field}-error")
}

/// For forms whose refusals never offer alternative slots (staff pages, mediation).
pub fn no_links() -> impl Fn(AlternativeChoice) -> String + Copy {
    |_| String::new()
}

/// Lists what is wrong, with links to the fields. Focused when it appears (after hydration),
/// so screen readers and keyboard users land on it.
#[component]
pub fn ErrorSummary(
    rejection: RwSignal<Option<Rejection>>,
    /// Where each alternative links to.
    #[prop(into)]
    alternative_href: Callback<AlternativeChoice, String>,
) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    Effect::new(move |_| {
        if rejection.with(|r| r.is_some()) {
            if let Some(el) = node.get() {
                let _ = el.focus();
            }
        }
    });
    move || {
        // a code just sent is no error: the code field says so
        rejection
            .get()
            .filter(|r| !r.messages().is_empty() || !r.alternatives.is_empty())
            .map(|r| {
                let items = r
                    .messages()
                    .into_iter()
                    .map(|(field, message)| match field {
                        Some(f) => {
                            view! { <li><a href=format!("#{}", field_id(&f))>{message}</a></li> }
                                .into_any()
                        }
                        None => view! { <li>{message}</li> }.into_any(),
                    })
                    .collect_view();
                let alternatives = r.alternatives.clone();
                view! {
                    <div class="error-summary" role="alert" tabindex="-1" node_ref=node>
                        <h3>{t(Msg::ErrorSummaryTitle)}</h3>
                        <ul>{items}</ul>
                        {(!alternatives.is_empty())
                            .then(|| {
                                view! {
                                    <Alternatives
                                        alternatives=alternatives
                                        href=alternative_href
                                    />
                                }
                            })}
                    </div>
                }
            })
    }
}

/// A field's error line, if it has one.
#[component]
pub fn FieldErrorLine(
    rejection: RwSignal<Option<Rejection>>,
    field: &'static str,
) -> impl IntoView {
    move || {
        rejection
            .with(|r| r.as_ref().and_then(|r| r.for_field(field)))
            .map(|m| view! { <p class="field-error" id=error_id(field)>{m}</p> })
    }
}

/// `aria-invalid` and `aria-describedby` of a field.
pub fn invalid(
    rejection: RwSignal<Option<Rejection>>,
    field: &'static str,
) -> impl Fn() -> Option<&'static str> + Copy {
    move || {
        rejection
            .with(|r| r.as_ref().is_some_and(|r| r.for_field(field).is_some()))
            .then_some("true")
    }
}

pub fn described_by(
    rejection: RwSignal<Option<Rejection>>,
    field: &'static str,
    hint: Option<&'static str>,
) -> impl Fn() -> Option<String> + Copy {
    move || {
        let err = rejection
            .with(|r| r.as_ref().is_some_and(|r| r.for_field(field).is_some()))
            .then(|| error_id(field));
        let ids: Vec<String> = err.into_iter().chain(hint.map(String::from)).collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The resident's details a booking and a waiting-list entry share: name, mobile number
/// (with `phone_hint` under its label), the service's topic and a short account, filled
/// with what was `typed`.
#[component]
pub fn ResidentFields(
    service: domain::ServiceCode,
    typed: domain::booking::ResidentForm,
    rejection: RwSignal<Option<Rejection>>,
    #[prop(optional)] phone_hint: Option<Msg>,
) -> impl IntoView {
    use domain::booking::{topics, ACCOUNT_MAX_CHARS};
    let lang = lang();
    let topic_choices = topics(service)
        .iter()
        .map(|topic| {
            let code = topic.code();
            let id = format!("topic-{code}");
            let label_for = id.clone();
            let checked = typed.topic == code;
            view! {
                <label class="choice" for=label_for>
                    <input type="radio" id=id name="topic" value=code checked=checked />
                    <span>{topic.label(lang)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=field_id("name")>{t(Msg::FieldName)}</label>
            <FieldErrorLine rejection field="name" />
            <input
                id=field_id("name")
                name="name"
                type="text"
                autocomplete="name"
                maxlength="30"
                value=typed.name.clone()
                aria-invalid=invalid(rejection, "name")
                aria-describedby=described_by(rejection, "name", None)
            />
        </div>

        <div class="field">
            <label for=field_id("phone")>{t(Msg::FieldPhone)}</label>
            {phone_hint.map(|h| view! { <p class="hint" id="phone-hint">{t(h)}</p> })}
            <FieldErrorLine rejection field="phone" />
            <input
                id=field_id("phone")
                name="phone"
                type="tel"
                inputmode="numeric"
                autocomplete="tel"
                maxlength="20"
                value=typed.phone.clone()
                aria-invalid=invalid(rejection, "phone")
                aria-describedby=described_by(
                    rejection,
                    "phone",
                    phone_hint.map(|_| "phone-hint"),
                )
            />
        </div>

        <fieldset
            class="field"
            id=field_id("topic")
            tabindex="-1"
            aria-invalid=invalid(rejection, "topic")
            aria-describedby=described_by(rejection, "topic", None)
        >
            <legend>{t(Msg::FieldTopic)}</legend>
            <FieldErrorLine rejection field="topic" />
            <div class="choices">{topic_choices}</div>
        </fieldset>

        <div class="field">
            <label for=field_id("account")>{t(Msg::FieldAccount)}</label>
            <p class="hint" id="account-hint">{t(Msg::FieldAccountHint)}</p>
            <FieldErrorLine rejection field="account" />
            <textarea
                id=field_id("account")
                name="account"
                rows="3"
                maxlength=ACCOUNT_MAX_CHARS.to_string()
                aria-invalid=invalid(rejection, "account")
                aria-describedby=described_by(rejection, "account", Some("account-hint"))
            >
                {typed.account.clone()}
            </textarea>
        </div>
    }
}

/// The privacy notice (`text`) and the box that consents to it. Its heading is an `h2`, or
/// an `h3` in a form that is a step under its own `h2` (`in_step`).
#[component]
pub fn ConsentField(
    text: Msg,
    checked: bool,
    rejection: RwSignal<Option<Rejection>>,
    #[prop(optional)] in_step: bool,
) -> impl IntoView {
    let heading = t(Msg::PrivacyHeading);
    view! {
        <div class="field privacy">
            {if in_step {
                view! { <h3 id="privacy-heading">{heading}</h3> }.into_any()
            } else {
                view! { <h2 id="privacy-heading">{heading}</h2> }.into_any()
            }}
            <p id="privacy-text">{t(text)}</p>
            <FieldErrorLine rejection field="consent" />
            <label class="choice" for=field_id("consent")>
                <input
                    type="checkbox"
                    id=field_id("consent")
                    name="consent"
                    value="on"
                    checked=checked
                    aria-invalid=invalid(rejection, "consent")
                    aria-describedby=described_by(rejection, "consent", Some("privacy-text"))
                />
                <span>{t(Msg::FieldConsent)}</span>
            </label>
        </div>
    }
}

/// Checks a typed code's shape in the browser, with the server's rule, so that a typo costs
/// no try; adds its error to `errors`. An empty field is the server's to answer.
pub fn check_code_shape(typed: Option<&str>, errors: &mut Vec<domain::booking::FieldError>) {
    let typed = typed.unwrap_or_default();
    if !typed.trim().is_empty() {
        if let Err(e) = domain::verify::PhoneCode::parse(typed) {
            errors.push(e);
        }
    }
}

/// The browser's own refusal of a form: `errors`, with the code field kept while a code is
/// awaited.
pub fn refuse_in_browser(
    rejection: RwSignal<Option<Rejection>>,
    errors: Vec<domain::booking::FieldError>,
) {
    let code_sent = rejection.with_untracked(|r| r.as_ref().and_then(|r| r.code_sent.clone()));
    rejection.set(Some(Rejection {
        errors: errors
            .into_iter()
            .map(crate::model::FieldMessage::from)
            .collect(),
        code_sent,
        ..Default::default()
    }));
}

/// Shows a server action's rejection in the form's error signal.
pub fn track_rejections<I>(action: ServerAction<I>, rejection: RwSignal<Option<Rejection>>)
where
    I: leptos::server_fn::ServerFn<Output = crate::model::FormOutcome>
        + Clone
        + Send
        + Sync
        + 'static,
    I::Error: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(crate::model::FormOutcome::Rejected(r))) = action.value().get() {
            rejection.set(Some(r));
        }
    });
}

/// The code sent to prove the phone: shown once the server asked for it, with where it went
/// (and, in a demo without text messages, the code itself). Focused when it appears.
#[component]
pub fn PhoneCodeField(rejection: RwSignal<Option<Rejection>>) -> impl IntoView {
    use crate::i18n::{code_sent_text, demo_code_text};
    const FIELD: &str = domain::verify::FIELD;
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if rejection.with(|r| r.as_ref().is_some_and(Rejection::asks_for_code)) {
            if let Some(el) = input.get() {
                let _ = el.focus();
            }
        }
    });
    move || {
        let r = rejection.get().filter(Rejection::asks_for_code)?;
        let lang = lang();
        let sent = r.code_sent.clone();
        let sent_line = sent
            .as_ref()
            .map(|s| view! { <p class="hint code-sent" role="status">{code_sent_text(lang, &s.phone, s.minutes)}</p> });
        let demo = sent.and_then(|s| s.demo_code).map(|code| {
            view! { <p class="demo-code" data-demo-code=code.clone()>{demo_code_text(lang, &code)}</p> }
        });
        Some(view! {
            <div class="field phone-code">
                <label for=field_id(FIELD)>{t(Msg::FieldPhoneCode)}</label>
                {sent_line}
                {demo}
                <p class="hint" id="phone-code-hint">{t(Msg::FieldPhoneCodeHint)}</p>
                <FieldErrorLine rejection field=FIELD />
                <input
                    id=field_id(FIELD)
                    name=FIELD
                    type="text"
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    maxlength="12"
                    autofocus=true
                    node_ref=input
                    aria-invalid=invalid(rejection, FIELD)
                    aria-describedby=described_by(rejection, FIELD, Some("phone-code-hint"))
                />
            </div>
        })
    }
}

/// Free slots offered instead of a full one.
#[component]
pub fn Alternatives(
    alternatives: Vec<AlternativeChoice>,
    #[prop(into)] href: Callback<AlternativeChoice, String>,
) -> impl IntoView {
    let lang = lang();
    view! {
        <h3>{t(Msg::AlternativesHeading)}</h3>
        <ul class="alternatives">
            {alternatives
                .into_iter()
                .map(|a| {
                    let label = slot_label(
                        lang,
                        a.slot.start.naive_local(),
                        a.slot.end.time(),
                        a.slot.remaining,
                    );
                    let name = a.location_name.clone();
                    view! {
                        <li>
                            <a href=href.run(a)>{name}" · "{label}</a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// What to tell a person about a failed server function, decided by its kind: a refusal's
/// own words (e.g. "没有权限…"), a generic "try again" for anything internal.
pub fn error_text(e: &AppError) -> String {
    e.shown()
}

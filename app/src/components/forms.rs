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
        rejection.get().map(|r| {
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

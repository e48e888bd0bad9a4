//! What every server function shares: the one error they answer with ([`AppError`]: a use
//! case's kind, its words in the page's language and its field), and, on the server, the
//! parts they take from the context, the per-client budget and the way a refused form goes
//! back to its page. Feature files import these from here and never from each other.

use domain::error::ErrorKind;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A server function's failure: what kind it is, what to tell the person (already in the
/// page's language) and the field at fault. A page decides what to show from `kind`: an
/// internal failure's `message` is never shown (its details were logged on the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
    pub field: Option<String>,
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// The call itself failed (no connection, arguments that do not decode): nothing a person
    /// can act on, so internal.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError {
            kind: ErrorKind::Internal,
            message: value.to_string(),
            field: None,
        }
    }
}

impl AppError {
    /// What to show a person: the refusal's words, or "could not load, try again" for an
    /// internal failure.
    pub fn shown(&self) -> String {
        match self.kind {
            ErrorKind::Internal => crate::i18n::t(crate::i18n::Msg::LoadFailed).to_string(),
            _ => self.message.clone(),
        }
    }
}

#[cfg(feature = "ssr")]
pub(crate) use ssr::*;

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use crate::device::{self, Flash};
    use crate::model::{FieldMessage, FormOutcome, Rejection};
    use backend::error::kind_message;
    use backend::UseCaseError;
    use domain::error::ErrorKind;

    impl AppError {
        /// The one conversion of a use case's error, in the page's language.
        pub fn from_use_case(e: &dyn UseCaseError) -> Self {
            AppError::in_lang(e, crate::i18n::lang())
        }

        /// A use case's error in `lang`.
        pub fn in_lang(e: &dyn UseCaseError, lang: domain::Lang) -> Self {
            AppError {
                kind: e.kind(),
                message: e.message(lang),
                field: e.field().map(String::from),
            }
        }

        /// A failure inside; its details are logged by the caller (or were already).
        pub fn internal() -> Self {
            let lang = crate::i18n::lang();
            AppError {
                kind: ErrorKind::Internal,
                message: kind_message(ErrorKind::Internal, lang).to_string(),
                field: None,
            }
        }

        /// A part of the server the function needs was not provided to it.
        pub fn missing(what: &'static str) -> Self {
            tracing::error!(what, "missing from the server functions' context");
            AppError::internal()
        }

        /// A refusal of `kind` in `message`, for a function's own checks.
        pub fn refused(kind: ErrorKind, message: impl Into<String>) -> Self {
            AppError {
                kind,
                message: message.into(),
                field: None,
            }
        }
    }

    impl<E: UseCaseError> From<E> for AppError {
        fn from(e: E) -> Self {
            AppError::from_use_case(&e)
        }
    }

    /// A part of the server every page's functions are given (a use case, the directory).
    pub fn context<T: Clone + Send + Sync + 'static>(what: &'static str) -> Result<T, AppError> {
        leptos::prelude::use_context::<T>().ok_or_else(|| AppError::missing(what))
    }

    pub fn directory() -> Result<backend::Directory, AppError> {
        context("directory")
    }

    /// A use case's refusal as a form rejection: the field's message next to the field, any
    /// other refusal in the summary. Internal errors stay errors.
    pub fn rejection(e: &dyn UseCaseError) -> Result<Rejection, AppError> {
        let lang = crate::i18n::lang();
        let fields = e.field_messages(lang);
        match e.kind() {
            ErrorKind::Internal => Err(AppError::from_use_case(e)),
            ErrorKind::Invalid if !fields.is_empty() => Ok(Rejection {
                errors: fields
                    .into_iter()
                    .map(|(field, message)| FieldMessage {
                        field: field.to_string(),
                        message,
                    })
                    .collect(),
                ..Default::default()
            }),
            _ => Ok(Rejection::refused(e.message(lang))),
        }
    }

    /// Proves `phone` before a page books, files or changes something. `None` when it is
    /// proved: verification is off, this browser proved the phone lately, or `code` is right
    /// (the browser then remembers the phone for 30 days). Otherwise the rejection to show: a
    /// code was just sent (none typed, or the typed one expired or is used up), the typed
    /// code is wrong, or the phone has had too many codes. The caller has checked the form's
    /// fields first, so a code is sent only for a request that is otherwise right.
    pub async fn prove_phone(
        phone: &str,
        code: Option<&str>,
    ) -> Result<Option<Rejection>, AppError> {
        use backend::verify::{PhoneProof, PhoneVerifier, VerifyError};
        let verifier: PhoneVerifier = context("verifier")?;
        if !verifier.required() || device::phone_proved(phone).await? {
            return Ok(None);
        }
        let Ok(parsed) = domain::booking::MobilePhone::parse(phone) else {
            // the form's own check names the phone's fault
            return Ok(None);
        };
        let typed = code.map(str::trim).unwrap_or_default();
        let mut errors = vec![];
        if !typed.is_empty() {
            match verifier
                .confirm(&parsed, &PhoneProof::code(Some(typed.to_string())))
                .await
            {
                Ok(()) => {
                    device::remember_phone(phone).await?;
                    return Ok(None);
                }
                Err(VerifyError::Stale(f)) => errors.push(FieldMessage::from(f)),
                Err(e) => return rejection(&e).map(Some),
            }
        }
        let lang = crate::i18n::lang();
        match verifier.send_code(phone, lang).await {
            Ok(sent) => Ok(Some(Rejection {
                errors,
                code_sent: Some(crate::model::CodeSent {
                    phone: sent.masked_phone,
                    minutes: verifier.policy().ttl.num_minutes(),
                    demo_code: sent.demo_code.map(|c| c.to_string()),
                }),
                ..Default::default()
            })),
            Err(VerifyError::TooManyCodes(t)) => Ok(Some(Rejection {
                errors: vec![FieldMessage {
                    field: domain::verify::FIELD.to_string(),
                    message: t.message(lang),
                }],
                ..Default::default()
            })),
            Err(e) => rejection(&e).map(Some),
        }
    }

    /// Refuses a client over its per-minute budget (shared with the REST API).
    pub async fn throttled() -> Option<Rejection> {
        let throttle =
            leptos::prelude::use_context::<backend::throttle::Throttle>().unwrap_or_default();
        match device::client_ip().await {
            Some(ip) if !throttle.allow(ip) => Some(Rejection::refused(crate::i18n::t(
                crate::i18n::Msg::TooManyTries,
            ))),
            _ => None,
        }
    }

    /// A form that went through: with JavaScript off, the browser goes on to `to` (a
    /// hydrated page updates itself).
    pub async fn done(to: &str) -> Result<FormOutcome, AppError> {
        if device::is_plain_form_post().await {
            crate::redirect::to(to);
        }
        Ok(FormOutcome::Done)
    }

    /// A rejected form whose refusal the page at `back_to` shows as its notice `key`.
    pub async fn reject_noting(
        rejection: Rejection,
        back_to: String,
        key: String,
    ) -> Result<FormOutcome, AppError> {
        reject(rejection, back_to, move |rejection| Flash::Notice {
            code: key,
            rejection,
        })
        .await
    }

    /// The notice `key` kept for the page being shown (JavaScript off), taken once.
    pub async fn take_notice(key: &str) -> Result<Option<Rejection>, AppError> {
        device::take_flash(|f| match f {
            Flash::Notice { code, rejection } if code == key => Some(rejection),
            _ => None,
        })
        .await
    }

    /// A rejected form: returned to a hydrated page; with JavaScript off, kept for the page
    /// the browser is sent back to.
    pub async fn reject(
        rejection: Rejection,
        back_to: String,
        flash: impl FnOnce(Rejection) -> Flash,
    ) -> Result<FormOutcome, AppError> {
        if device::is_plain_form_post().await {
            device::save_flash(flash(rejection.clone())).await?;
            crate::redirect::to(&back_to);
        }
        Ok(FormOutcome::Rejected(rejection))
    }
}

#[cfg(test)]
mod tests {
    use super::AppError;
    use crate::i18n::{t, Msg};
    use domain::error::ErrorKind;
    use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};

    #[test]
    fn a_page_shows_a_refusal_as_it_is_and_an_internal_failure_never() {
        let lost = AppError::from_server_fn_error(ServerFnErrorErr::Request("refused".into()));
        assert_eq!(lost.kind, ErrorKind::Internal);
        assert_eq!(lost.shown(), t(Msg::LoadFailed));
        let refusal = AppError {
            kind: ErrorKind::Forbidden,
            message: "You do not have permission to do this".into(),
            field: None,
        };
        assert_eq!(refusal.shown(), refusal.message);
        // what travels from the server to the page comes back whole
        assert_eq!(AppError::de(refusal.ser()), refusal);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_missing_part_of_the_server_is_an_internal_failure_in_general_words() {
        let e = AppError::missing("queues");
        assert_eq!(e.kind, ErrorKind::Internal);
        assert!(!e.message.contains("queues"), "{}", e.message);
        assert_eq!(e.shown(), t(Msg::LoadFailed));
    }
}

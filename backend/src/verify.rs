//! Use case of proving a phone is the resident's: send a one-time code by text message, and
//! check a typed code before a booking, a mediation request or a change to a booking is
//! confirmed. The rules (code shape, caps, tries, expiry, the message) are `domain::verify`;
//! this keeps the codes in the store and sends them through the notification outbox.
//!
//! The store keeps a keyed digest of each code (the portal's sealing key), never the digits:
//! an unkeyed hash of a 6-digit code would give it away at once.

use crate::booking::Clock;
use crate::error::{kind_message, ErrorKind, UseCaseError};
use crate::notify::Notifier;
use crate::seal::Sealer;
use crate::store::Store;
use chrono::{DateTime, Utc};
use domain::booking::{FieldError, MobilePhone};
use domain::notify::NoticeKind;
use domain::verify::{self, CheckOutcome, PhoneCode, TooManyCodes, VerifyPolicy};
use domain::Lang;
use std::sync::Arc;

/// `PORTAL_PHONE_VERIFY`: whether residents prove their phone by code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VerifyMode {
    /// A code by text message before a booking, a request or a change (the default).
    #[default]
    Sms,
    /// No codes: anyone may use any number (load tests, districts without a gateway).
    Off,
}

impl VerifyMode {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "sms" => Some(VerifyMode::Sms),
            "off" => Some(VerifyMode::Off),
            _ => None,
        }
    }
}

/// How a request shows that the phone is the resident's.
#[derive(Debug, Clone, Default)]
pub struct PhoneProof {
    /// The code as typed (`phone_code`), if any.
    pub code: Option<String>,
    /// The caller proved the phone already: its browser did so recently (a signed cookie
    /// names it), or it checked a code itself.
    pub proved: bool,
}

impl PhoneProof {
    pub fn code(code: Option<String>) -> Self {
        PhoneProof {
            code,
            proved: false,
        }
    }

    pub fn proved() -> Self {
        PhoneProof {
            code: None,
            proved: true,
        }
    }
}

/// A code on its way.
#[derive(Debug, Clone)]
pub struct CodeSent {
    /// The phone, masked, to tell the resident where it went.
    pub masked_phone: String,
    pub expires_at: DateTime<Utc>,
    /// The code itself, only in demo mode without an SMS gateway, to show on the page.
    pub demo_code: Option<PhoneCode>,
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The phone or the code is wrong, missing, expired or used up: field `phone` or
    /// `phone_code`.
    #[error("{}", .0.message)]
    Invalid(FieldError),
    /// The code cannot be used any more (none sent, expired, or too many wrong tries): a
    /// new one is needed. Field `phone_code`.
    #[error("{}", .0.message)]
    Stale(FieldError),
    /// The phone has had its share of codes; try again at `retry_at`.
    #[error("{0}")]
    TooManyCodes(TooManyCodes),
    #[error("internal error")]
    Internal,
}

impl UseCaseError for VerifyError {
    fn kind(&self) -> ErrorKind {
        match self {
            VerifyError::Invalid(_) | VerifyError::Stale(_) => ErrorKind::Invalid,
            VerifyError::TooManyCodes(_) => ErrorKind::Unavailable,
            VerifyError::Internal => ErrorKind::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            VerifyError::Invalid(f) | VerifyError::Stale(f) => Some(f.field),
            _ => None,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            VerifyError::Invalid(f) | VerifyError::Stale(f) => f.message_in(lang).to_string(),
            VerifyError::TooManyCodes(t) => t.message(lang),
            VerifyError::Internal => kind_message(ErrorKind::Internal, lang).to_string(),
        }
    }
}

impl From<crate::store::StoreError> for VerifyError {
    fn from(e: crate::store::StoreError) -> Self {
        // logged by the conversion
        let _ = crate::ServiceError::from(e);
        VerifyError::Internal
    }
}

/// What a digest of a code is made for (the sealing key's other uses are other purposes).
const CODE_PURPOSE: &str = "phone_code";

#[derive(Clone)]
pub struct PhoneVerifier {
    store: Arc<dyn Store>,
    sealer: Sealer,
    mode: VerifyMode,
    policy: VerifyPolicy,
    clock: Clock,
    notifier: Option<Notifier>,
    /// Demo mode without a gateway: the code is given back to be shown on the page.
    show_codes: bool,
}

impl PhoneVerifier {
    pub fn new(store: Arc<dyn Store>, sealer: Sealer, mode: VerifyMode, clock: Clock) -> Self {
        PhoneVerifier {
            store,
            sealer,
            mode,
            policy: VerifyPolicy::default(),
            clock,
            notifier: None,
            show_codes: false,
        }
    }

    pub fn with_policy(mut self, policy: VerifyPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Sends codes through `notifier`'s outbox.
    pub fn with_notifier(mut self, notifier: Notifier) -> Self {
        self.notifier = Some(notifier);
        self
    }

    /// Gives each code back to be shown on the page: only for a demo without an SMS gateway,
    /// where nobody could otherwise receive it.
    pub fn showing_codes(mut self, show: bool) -> Self {
        self.show_codes = show;
        self
    }

    pub fn mode(&self) -> VerifyMode {
        self.mode
    }

    pub fn policy(&self) -> &VerifyPolicy {
        &self.policy
    }

    /// Whether requests must prove their phone.
    pub fn required(&self) -> bool {
        self.mode == VerifyMode::Sms
    }

    fn digest(&self, phone: &MobilePhone, code: &PhoneCode) -> Vec<u8> {
        let mut data = phone.as_str().as_bytes().to_vec();
        data.push(b':');
        data.extend_from_slice(code.as_bytes());
        self.sealer.digest(CODE_PURPOSE, &data)
    }

    /// Sends a new code to `phone` (it replaces any earlier one), unless the phone has had
    /// its share: then [`VerifyError::TooManyCodes`] with when to try again.
    pub async fn send_code(&self, phone: &str, lang: Lang) -> Result<CodeSent, VerifyError> {
        let phone = MobilePhone::parse(phone).map_err(VerifyError::Invalid)?;
        let now = (self.clock)();
        let code = PhoneCode::generate(&mut rand_core::OsRng);
        let policy = self.policy;
        let allow = move |issued: &[DateTime<Utc>]| verify::may_issue(issued, now, &policy);
        self.store
            .issue_phone_code_capped(phone.as_str(), &self.digest(&phone, &code), now, &allow)
            .await?
            .map_err(VerifyError::TooManyCodes)?;
        if let Some(n) = &self.notifier {
            let text = verify::sms_text(&code, &self.policy, lang);
            n.enqueue_message(NoticeKind::PhoneCode, phone.as_str(), text)
                .await
                .map_err(|_| VerifyError::Internal)?;
        }
        Ok(CodeSent {
            masked_phone: phone.masked(),
            expires_at: now + self.policy.ttl,
            demo_code: self.show_codes.then_some(code),
        })
    }

    /// Checks that `phone` is proved by `proof`: always when verification is off or the
    /// caller proved it already; otherwise the typed code must be the phone's live one,
    /// in time and within its tries, and is then used up. Every wrong answer is a field
    /// error on `phone_code` saying what to do.
    ///
    /// A try is counted *before* the guess is compared, in one statement, so that guesses
    /// sent at the same time cannot together exceed the allowed tries.
    pub async fn confirm(
        &self,
        phone: &MobilePhone,
        proof: &PhoneProof,
    ) -> Result<(), VerifyError> {
        if !self.required() || proof.proved {
            return Ok(());
        }
        let typed = proof.code.as_deref().unwrap_or_default();
        let live = self.store.phone_challenge(phone.as_str()).await?;
        let Some(live) = live else {
            return Err(VerifyError::Stale(verify::no_code_error()));
        };
        let code = PhoneCode::parse(typed).map_err(VerifyError::Invalid)?;
        let now = (self.clock)();
        let guess = self.digest(phone, &code);
        // locked or expired before this try: refused without counting or comparing
        let before = verify::check(&live.challenge, &[], now, &self.policy);
        if matches!(before, CheckOutcome::TooManyTries | CheckOutcome::Expired) {
            return Err(VerifyError::Stale(
                before.field_error().expect("not verified"),
            ));
        }
        let Some(tries) = self.store.count_phone_code_try(live.id).await? else {
            // used meanwhile by a concurrent request
            return Err(VerifyError::Stale(verify::no_code_error()));
        };
        let mut counted = live.challenge.clone();
        counted.tries = tries.saturating_sub(1);
        match verify::check(&counted, &guess, now, &self.policy) {
            CheckOutcome::Verified => {
                if self.store.use_phone_code(live.id, now).await? {
                    Ok(())
                } else {
                    Err(VerifyError::Stale(verify::no_code_error()))
                }
            }
            CheckOutcome::Wrong { tries_left } if tries_left > 0 => Err(VerifyError::Invalid(
                CheckOutcome::Wrong { tries_left }
                    .field_error()
                    .expect("wrong"),
            )),
            // the last try was wrong, or others used them up meanwhile
            spent => Err(VerifyError::Stale(
                spent.field_error().expect("not verified"),
            )),
        }
    }
}

//! The error vocabulary of the use-case layer. Every use case's error says what kind of
//! failure it is ([`ErrorKind`]) and gives its message in either language
//! ([`UseCaseError`]); the two front doors (REST and the server functions) turn that, and
//! only that, into an answer. Internal details (SQL errors) are logged where they happen and
//! never shown to users.

use crate::store::StoreError;
use domain::Lang;

pub use domain::error::ErrorKind;

/// The general text of a kind, for failures that bring no words of their own.
pub fn kind_message(kind: ErrorKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (ErrorKind::NotFound, Lang::ZhCn) => "没有找到",
        (ErrorKind::NotFound, Lang::En) => "Not found",
        (ErrorKind::Invalid, Lang::ZhCn) => "表单有误",
        (ErrorKind::Invalid, Lang::En) => "Some answers in the form need correcting",
        (ErrorKind::Refused | ErrorKind::Conflict, Lang::ZhCn) => "无法进行这项操作",
        (ErrorKind::Refused | ErrorKind::Conflict, Lang::En) => "This cannot be done",
        (ErrorKind::Unauthorized, Lang::ZhCn) => "请先登录",
        (ErrorKind::Unauthorized, Lang::En) => "Please sign in first",
        (ErrorKind::Forbidden, Lang::ZhCn) => "没有权限进行这项操作",
        (ErrorKind::Forbidden, Lang::En) => "You do not have permission to do this",
        (ErrorKind::Unavailable, Lang::ZhCn) => "操作太频繁，请稍后再试",
        (ErrorKind::Unavailable, Lang::En) => {
            "Too many requests; please wait a moment and try again"
        }
        (ErrorKind::Internal, Lang::ZhCn) => "服务器暂时出错，请稍后再试",
        (ErrorKind::Internal, Lang::En) => {
            "Something went wrong on our side; please try again later"
        }
    }
}

/// A use case's error, as the front doors see it: its kind, its words for a person in
/// either language, and the input field at fault when there is one. An internal error's
/// message is the general one of [`ErrorKind::Internal`]; its details were logged.
pub trait UseCaseError: std::fmt::Debug + std::fmt::Display + Send + Sync {
    fn kind(&self) -> ErrorKind;
    fn message(&self, lang: Lang) -> String;
    /// The input field at fault (for [`ErrorKind::Invalid`]).
    fn field(&self) -> Option<&str> {
        None
    }
    /// Every field at fault with its message in `lang`: the one of [`UseCaseError::field`]
    /// for most errors, all of them for a form checked as a whole.
    fn field_messages(&self, lang: Lang) -> Vec<(&str, String)> {
        self.field()
            .map(|f| vec![(f, self.message(lang))])
            .unwrap_or_default()
    }
}

/// What a form checked as a whole reports: its first wrong field (the one
/// [`UseCaseError::field`] names) ...
pub fn first_field(errors: &[domain::booking::FieldError]) -> Option<&str> {
    errors.first().map(|f| f.field)
}

/// ... every wrong field with its message in `lang` ([`UseCaseError::field_messages`]) ...
pub fn field_messages(errors: &[domain::booking::FieldError], lang: Lang) -> Vec<(&str, String)> {
    errors
        .iter()
        .map(|f| (f.field, f.message_in(lang).to_string()))
        .collect()
}

/// ... and the first one's message as the error's own ([`UseCaseError::message`]).
pub fn first_message(errors: &[domain::booking::FieldError], lang: Lang) -> String {
    match errors.first() {
        Some(f) => f.message_in(lang).to_string(),
        None => kind_message(ErrorKind::Invalid, lang).to_string(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The thing asked for does not exist (or must look as if it did not).
    #[error("没有找到")]
    NotFound,
    /// Storage failed; already logged.
    #[error("internal error")]
    Internal,
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ServiceError::NotFound,
            StoreError::Database(err) => {
                tracing::error!(error = %err, "storage error");
                ServiceError::Internal
            }
            // logged by the group commit that failed
            StoreError::WriteFailed(_) => ServiceError::Internal,
            StoreError::Duplicate(what) => {
                tracing::error!(%what, "unique key taken");
                ServiceError::Internal
            }
            StoreError::Corrupt(what) => {
                tracing::error!(%what, "stored data does not parse");
                ServiceError::Internal
            }
        }
    }
}

impl UseCaseError for ServiceError {
    fn kind(&self) -> ErrorKind {
        match self {
            ServiceError::NotFound => ErrorKind::NotFound,
            ServiceError::Internal => ErrorKind::Internal,
        }
    }

    fn message(&self, lang: Lang) -> String {
        kind_message(self.kind(), lang).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{ErrorKind, UseCaseError};
    use crate::booking::{BookingError, NotActive, Refusal};
    use crate::queue::{Conflict, QueueError};
    use crate::testing::{every_refusal, has_han};
    use chrono::{DateTime, Utc};

    use domain::{BookingState, Lang};

    /// Chinese as `Display` has it (for one field at fault, the field's own), English without
    /// Chinese and not the same text; a field exactly when the kind is `Invalid`.
    fn check(e: &dyn UseCaseError) {
        let (zh, en) = (e.message(Lang::ZhCn), e.message(Lang::En));
        match e.kind() {
            ErrorKind::Invalid => {
                assert!(e.field().is_some_and(|f| !f.is_empty()), "{e:?}");
                assert!(!e.field_messages(Lang::En).is_empty(), "{e:?}");
            }
            _ => {
                assert_eq!(e.field(), None, "{e:?}");
                assert_eq!(zh, e.to_string());
            }
        }
        assert_ne!(e.kind(), ErrorKind::Internal, "{e:?} is not a refusal");
        assert!(!zh.trim().is_empty(), "no Chinese for {e:?}");
        assert!(!en.trim().is_empty(), "no English for {zh}");
        assert!(!has_han(&en), "not English: {en} (for {zh})");
        assert_ne!(zh, en);
        for (field, en) in e.field_messages(Lang::En) {
            assert!(!has_han(&en), "not English: {en} (for {field} of {e:?})");
        }
    }

    #[test]
    fn every_refusal_has_an_english_text() {
        let all = every_refusal();
        assert!(all.len() > 60, "{}", all.len());
        for e in &all {
            check(e.as_ref());
        }
        for kind in [
            ErrorKind::NotFound,
            ErrorKind::Invalid,
            ErrorKind::Refused,
            ErrorKind::Conflict,
            ErrorKind::Unauthorized,
            ErrorKind::Forbidden,
            ErrorKind::Unavailable,
        ] {
            assert!(all.iter().any(|e| e.kind() == kind), "no {kind:?}");
        }

        let (overlap, _) = crate::testing::fairness_refusals();
        // a refusal says what the rule says, in either language, and its Chinese is the rule's
        let refusal = BookingError::from(overlap.clone());
        assert_eq!(refusal.to_string(), overlap.to_string());
        for lang in [Lang::ZhCn, Lang::En] {
            assert_eq!(refusal.message(lang), overlap.message(lang));
        }
        assert_eq!(
            overlap.to_string(),
            "您在这个时间已有其他预约（3月3日 09:00–09:30），请选择其他时间"
        );
        assert_eq!(
            refusal.message(Lang::En),
            "You already have a booking at that time (Tue 3 Mar 09:00–09:30); please choose \
             another time"
        );
        assert_eq!(
            BookingError::from(NotActive::Cancel(BookingState::Done)).message(Lang::En),
            "This booking's status is “Done”, so it cannot be cancelled"
        );
        assert_eq!(
            BookingError::Refused(Refusal::NotActive(NotActive::Change(BookingState::Done)))
                .to_string(),
            "这个预约当前为“已完成”，不能再更改"
        );
        let at: DateTime<Utc> = "2026-03-03T01:00:00Z".parse().unwrap();
        let not_today = QueueError::from(Conflict::NotToday(at));
        assert_eq!(
            not_today.to_string(),
            "这是 3月3日 09:00 的预约，不是今天的"
        );
        assert_eq!(
            not_today.message(Lang::En),
            "This booking is for Tue 3 Mar 09:00, not today"
        );

        // internal errors show the general words of their kind, never their details
        let internal: [&dyn UseCaseError; 3] = [
            &BookingError::Internal,
            &QueueError::Internal,
            &super::ServiceError::Internal,
        ];
        for e in internal {
            assert_eq!(e.kind(), ErrorKind::Internal);
            assert_eq!(e.message(Lang::ZhCn), "服务器暂时出错，请稍后再试");
            let en = e.message(Lang::En);
            assert!(!has_han(&en) && !en.contains("internal"), "{en}");
        }
    }
}

//! The names of what the domain knows (services, booking topics, booking states, dispute
//! types, case states, referral channels) in the page language.

use super::{lang, Lang};
use domain::ServiceCode;

/// "预约法律咨询" / "Book legal consultation": a booking link or page title.
pub fn book_label(lang: Lang, service: ServiceCode) -> String {
    match lang {
        Lang::ZhCn => format!("预约{}", service.name(lang)),
        Lang::En => format!("Book {}", service.name_in_sentence(lang)),
    }
}

pub fn service_name(service: ServiceCode) -> &'static str {
    service_name_in(lang(), service)
}

/// The service's name (the domain's [`ServiceCode::name`]).
pub fn service_name_in(lang: Lang, service: ServiceCode) -> &'static str {
    service.name(lang)
}

/// A booking topic's name (the domain's [`domain::booking::topic_label`]); a code the
/// service does not have is shown as it is.
pub fn topic_name(lang: Lang, service: ServiceCode, code: &str) -> String {
    domain::booking::topic_label(lang, service, code).to_string()
}

// The names below are the domain's (`label_zh` and `label_en` of each type).

pub fn dispute_name(dispute: domain::mediation::DisputeType) -> &'static str {
    lang().pick(dispute.label_zh(), dispute.label_en())
}

pub fn case_state_name(state: domain::mediation::CaseState) -> &'static str {
    lang().pick(state.label_zh(), state.label_en())
}

pub fn referral_name(referral: domain::mediation::Referral) -> &'static str {
    lang().pick(referral.label_zh(), referral.label_en())
}

/// A booking's state in words.
pub fn state_label(lang: Lang, state: domain::BookingState) -> &'static str {
    lang.pick(state.label_zh(), state.label_en())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_topic_has_an_english_name() {
        for service in ServiceCode::ALL {
            for topic in domain::booking::topics(service) {
                let (code, zh) = (topic.code(), topic.label(Lang::ZhCn));
                let en = topic_name(Lang::En, service, code);
                assert_ne!(&en, zh, "{service:?} {code}");
                assert!(en.is_ascii(), "{service:?} {code}: {en}");
                assert_eq!(topic_name(Lang::ZhCn, service, code), zh);
            }
        }
    }

    #[test]
    fn book_labels_keep_acronyms() {
        assert_eq!(
            book_label(Lang::En, ServiceCode::LegalConsultation),
            "Book legal consultation"
        );
        assert_eq!(
            book_label(Lang::En, ServiceCode::IpMediation),
            "Book IP dispute mediation"
        );
        assert_eq!(book_label(Lang::ZhCn, ServiceCode::Notary), "预约公证咨询");
    }
}

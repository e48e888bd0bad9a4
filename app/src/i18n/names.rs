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

pub fn dispute_name(dispute: domain::mediation::DisputeType) -> &'static str {
    use domain::mediation::DisputeType::*;
    match lang() {
        Lang::ZhCn => dispute.label_zh(),
        Lang::En => match dispute {
            Neighbour => "Between neighbours",
            Family => "Family or marriage",
            Property => "Property management or owners' committee",
            Renovation => "Renovation or lift installation",
            Labour => "Work and pay",
            Consumer => "Consumer",
            Commercial => "Business",
            Ip => "Intellectual property",
            Other => "Other",
        },
    }
}

pub fn case_state_name(state: domain::mediation::CaseState) -> &'static str {
    use domain::mediation::CaseState::*;
    match lang() {
        Lang::ZhCn => state.label_zh(),
        Lang::En => match state {
            Submitted => "Sent, waiting to be accepted",
            Accepted => "Accepted",
            Refused => "Not accepted",
            MediatorAssigned => "Mediator assigned",
            PartyInvited => "Contacting the other party",
            PartyAgreed => "The other party agreed to mediation",
            NotMediated => "The other party declined; not mediated",
            SessionScheduled => "Meeting arranged",
            Settled => "Settled",
            Failed => "Not settled",
            Referred => "Passed on to another body",
        },
    }
}

pub fn referral_name(referral: domain::mediation::Referral) -> &'static str {
    use domain::mediation::Referral::*;
    match lang() {
        Lang::ZhCn => referral.label_zh(),
        Lang::En => match referral {
            Court => "The court (court-mediation link)",
            PoliceLawFirm => "Police station and law firm",
            Procuratorate => "The procuratorate",
            Department => "Another department",
        },
    }
}

/// A booking's state in words.
pub fn state_label(lang: Lang, state: domain::BookingState) -> &'static str {
    use domain::BookingState::*;
    match lang {
        Lang::ZhCn => state.label_zh(),
        Lang::En => match state {
            Booked => "Booked",
            Cancelled => "Cancelled",
            CheckedIn => "Checked in",
            Called => "Called",
            Serving => "Being served",
            Done => "Done",
            NoShow => "Did not come",
        },
    }
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

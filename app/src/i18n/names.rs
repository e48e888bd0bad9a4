//! The names of what the domain knows (services, booking topics, booking states, dispute
//! types, case states, referral channels) in the page language.

use super::{lang, Lang};
use domain::ServiceCode;

/// "预约法律咨询" / "Book legal consultation": a booking link or page title.
pub fn book_label(lang: Lang, service: ServiceCode) -> String {
    match lang {
        Lang::ZhCn => format!("预约{}", service_name_in(lang, service)),
        Lang::En => {
            let name = service_name_in(lang, service);
            // "Book legal consultation", keeping acronyms such as "IP" as they are
            let mut chars = name.chars();
            let first = chars.next().map(|c| c.to_ascii_lowercase()).unwrap_or(' ');
            let second_upper = name.chars().nth(1).is_some_and(|c| c.is_ascii_uppercase());
            if second_upper {
                format!("Book {name}")
            } else {
                format!("Book {first}{}", chars.as_str())
            }
        }
    }
}

pub fn service_name(service: ServiceCode) -> &'static str {
    service_name_in(lang(), service)
}

pub fn service_name_in(lang: Lang, service: ServiceCode) -> &'static str {
    use ServiceCode::*;
    match (lang, service) {
        (Lang::ZhCn, LegalConsultation) => "法律咨询",
        (Lang::ZhCn, Psychology) => "心理咨询",
        (Lang::ZhCn, Mediation) => "人民调解",
        (Lang::ZhCn, AdminReconsideration) => "行政复议咨询",
        (Lang::ZhCn, Notary) => "公证咨询",
        (Lang::ZhCn, IpMediation) => "知识产权纠纷调解",
        (Lang::En, LegalConsultation) => "Legal consultation",
        (Lang::En, Psychology) => "Psychological counselling",
        (Lang::En, Mediation) => "People's mediation",
        (Lang::En, AdminReconsideration) => "Administrative reconsideration advice",
        (Lang::En, Notary) => "Notary advice",
        (Lang::En, IpMediation) => "IP dispute mediation",
    }
}

/// A booking topic's label (the domain keeps the Chinese one with its code).
pub fn topic_name(lang: Lang, service: ServiceCode, code: &str) -> String {
    let zh = domain::booking::topic_label(service, code).unwrap_or(code);
    match lang {
        Lang::ZhCn => zh.to_string(),
        Lang::En => match code {
            "marriage_family" | "family" => "Marriage and family",
            "inheritance" => "Inheritance",
            "housing" => "Housing and property",
            "labour" if service == ServiceCode::Mediation => "Work disputes",
            "labour" => "Work and pay",
            "debt_contract" => "Loans and contracts",
            "consumer" => "Consumer",
            "traffic" => "Traffic accidents",
            "emotion" => "Feelings and mood",
            "family_relation" => "Family relationships",
            "study_work" => "Stress at school or work",
            "neighbour" => "Between neighbours",
            "property_management" => "Property management",
            "renovation_lift" => "Renovation or lift installation",
            "commercial" => "Business",
            "intellectual_property" => "Intellectual property",
            "consult" => "Advice",
            "apply" => "Filing an application",
            "inheritance_notary" => "Inheritance notarisation",
            "entrust" => "Power of attorney",
            "trademark" => "Trademarks",
            "copyright" => "Copyright",
            "patent" => "Patents",
            "other" => "Other",
            _ => zh,
        }
        .to_string(),
    }
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
            for (code, zh) in domain::booking::topics(service) {
                let en = topic_name(Lang::En, service, code);
                assert_ne!(&en, zh, "{service:?} {code}");
                assert!(en.is_ascii(), "{service:?} {code}: {en}");
                assert_eq!(topic_name(Lang::ZhCn, service, code), *zh);
            }
        }
    }
}

//! The services residents come for, identified by stable codes used in URLs and the API.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A public legal service. The `code()` strings are an API contract: never rename them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceCode {
    /// 法律咨询
    LegalConsultation,
    /// 心理咨询 (confidential)
    Psychology,
    /// 人民调解: requested, not booked by slot
    Mediation,
    /// 行政复议咨询
    AdminReconsideration,
    /// 公证咨询
    Notary,
    /// 知识产权纠纷调解
    IpMediation,
}

impl ServiceCode {
    /// Every service, in the order pages list them.
    pub const ALL: [ServiceCode; 6] = [
        ServiceCode::LegalConsultation,
        ServiceCode::Psychology,
        ServiceCode::Mediation,
        ServiceCode::AdminReconsideration,
        ServiceCode::Notary,
        ServiceCode::IpMediation,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            ServiceCode::LegalConsultation => "legal_consultation",
            ServiceCode::Psychology => "psychology",
            ServiceCode::Mediation => "mediation",
            ServiceCode::AdminReconsideration => "admin_reconsideration",
            ServiceCode::Notary => "notary",
            ServiceCode::IpMediation => "ip_mediation",
        }
    }

    /// The service's name in `lang`, as a heading or a list shows it: "法律咨询" /
    /// "Legal consultation". Every page, report and ledger names services from here.
    pub const fn name(self, lang: crate::Lang) -> &'static str {
        use crate::Lang::{En, ZhCn};
        match (lang, self) {
            (ZhCn, ServiceCode::LegalConsultation) => "法律咨询",
            (ZhCn, ServiceCode::Psychology) => "心理咨询",
            (ZhCn, ServiceCode::Mediation) => "人民调解",
            (ZhCn, ServiceCode::AdminReconsideration) => "行政复议咨询",
            (ZhCn, ServiceCode::Notary) => "公证咨询",
            (ZhCn, ServiceCode::IpMediation) => "知识产权纠纷调解",
            (En, ServiceCode::LegalConsultation) => "Legal consultation",
            (En, ServiceCode::Psychology) => "Psychological counselling",
            (En, ServiceCode::Mediation) => "People's mediation",
            (En, ServiceCode::AdminReconsideration) => "Administrative reconsideration advice",
            (En, ServiceCode::Notary) => "Notary advice",
            (En, ServiceCode::IpMediation) => "IP dispute mediation",
        }
    }

    /// The name where a stranger may read it (a rating page reached from a lost ticket, a
    /// text message): a psychology session is a plain "public legal service".
    pub const fn public_name(self, lang: crate::Lang) -> &'static str {
        match (lang, self) {
            (crate::Lang::ZhCn, ServiceCode::Psychology) => "公共法律服务",
            (crate::Lang::En, ServiceCode::Psychology) => "Public legal service",
            (lang, s) => s.name(lang),
        }
    }

    /// The name inside a sentence: the English one starts in lower case ("book legal
    /// consultation"), keeping acronyms such as "IP" as they are; the Chinese one is [`name`].
    ///
    /// [`name`]: ServiceCode::name
    pub fn name_in_sentence(self, lang: crate::Lang) -> String {
        let name = self.name(lang);
        let mut chars = name.chars();
        match (chars.next(), chars.next()) {
            (Some(first), Some(second))
                if lang == crate::Lang::En && !second.is_ascii_uppercase() =>
            {
                format!(
                    "{}{}",
                    first.to_ascii_lowercase(),
                    &name[first.len_utf8()..]
                )
            }
            _ => name.to_string(),
        }
    }

    /// Position in [`ServiceCode::ALL`]; used to sort services the same way everywhere.
    pub fn rank(self) -> usize {
        Self::ALL
            .iter()
            .position(|s| *s == self)
            .unwrap_or(usize::MAX)
    }
}

impl fmt::Display for ServiceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的服务代码“{0}”")]
pub struct UnknownService(pub String);

impl UnknownService {
    /// The message in `lang`: the Chinese text is the `Display` one.
    pub fn message(&self, lang: crate::Lang) -> String {
        match lang {
            crate::Lang::ZhCn => self.to_string(),
            crate::Lang::En => format!("Unknown service code “{}”", self.0),
        }
    }
}

impl FromStr for ServiceCode {
    type Err = UnknownService;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.code() == s)
            .ok_or_else(|| UnknownService(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in ServiceCode::ALL {
            assert_eq!(s.code().parse::<ServiceCode>().unwrap(), s);
            // serde uses the same spelling as the URL code
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.code())
            );
        }
    }

    #[test]
    fn unknown_code_is_rejected() {
        assert!("legal".parse::<ServiceCode>().is_err());
        assert!("".parse::<ServiceCode>().is_err());
    }

    #[test]
    fn every_service_has_a_name_in_both_languages() {
        use crate::Lang;
        for s in ServiceCode::ALL {
            assert!(!s.name(Lang::ZhCn).is_ascii(), "{s}");
            assert!(s.name(Lang::En).is_ascii(), "{s}");
            assert_eq!(s.name_in_sentence(Lang::ZhCn), s.name(Lang::ZhCn));
        }
        assert_eq!(
            ServiceCode::LegalConsultation.name_in_sentence(Lang::En),
            "legal consultation"
        );
        assert_eq!(
            ServiceCode::IpMediation.name_in_sentence(Lang::En),
            "IP dispute mediation"
        );
    }
}

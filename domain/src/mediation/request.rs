//! The resident's request: the form as typed, and every check of it, in the form's order.

use super::DisputeType;
use crate::booking::{check_consent, FieldError, MobilePhone, PersonName};
use crate::{Location, LocationId, ServiceCode};
use serde::{Deserialize, Serialize};

pub const RELATION_MAX_CHARS: usize = 20;
pub const DISPUTE_ACCOUNT_MIN_CHARS: usize = 10;
pub const DISPUTE_ACCOUNT_MAX_CHARS: usize = 1000;

/// The request as typed (the API's JSON and the page's form). The server checks it and the
/// browser checks it with this same code before sending.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediationForm {
    pub applicant_name: String,
    pub applicant_phone: String,
    pub other_party_name: String,
    #[serde(default)]
    pub other_party_phone: Option<String>,
    #[serde(default)]
    pub relation: Option<String>,
    pub dispute_type: String,
    pub account: String,
    pub location_id: Option<LocationId>,
    #[serde(default)]
    pub consent: bool,
}

/// A checked [`MediationForm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediationRequest {
    pub applicant_name: PersonName,
    pub applicant_phone: MobilePhone,
    pub other_party_name: PersonName,
    pub other_party_phone: Option<MobilePhone>,
    pub relation: Option<String>,
    pub dispute_type: DisputeType,
    pub account: String,
    pub location_id: LocationId,
}

/// The value of a check, or `None` with its error noted.
fn keep_ok<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

/// The same check with the field renamed and the message saying whose field it is. The
/// English messages of the shared checks speak to the resident ("your name"); about someone
/// else they say "their".
fn for_field(field: &'static str, who: &str, who_en: &str, e: FieldError) -> FieldError {
    let mut en = e.en.replace("Your ", "Their ").replace("your ", "their ");
    if let Some(first) = en.get(..1) {
        en = first.to_ascii_lowercase() + &en[1..];
    }
    FieldError::new(
        field,
        format!("{who}：{}", e.message),
        format!("{who_en}: {en}"),
    )
}

impl MediationForm {
    /// Checks every field and reports every problem in the order the form shows them.
    /// `place` is the place `location_id` names, looked up by the caller (`None` when there
    /// is no such place).
    pub fn check(&self, place: Option<&Location>) -> Result<MediationRequest, Vec<FieldError>> {
        self.check_against(Some(place))
    }

    /// What the browser can check before sending: every field, and for the place only that
    /// one is chosen (which places take which disputes is the server's to say).
    pub fn field_errors(&self) -> Vec<FieldError> {
        self.check_against(None).err().unwrap_or_default()
    }

    fn check_against(
        &self,
        place: Option<Option<&Location>>,
    ) -> Result<MediationRequest, Vec<FieldError>> {
        let mut errors = Vec::new();

        let applicant_name = keep_ok(
            &mut errors,
            PersonName::parse(&self.applicant_name)
                .map_err(|e| FieldError::new("applicant_name", e.message, e.en)),
        );
        let applicant_phone = keep_ok(
            &mut errors,
            MobilePhone::parse(&self.applicant_phone)
                .map_err(|e| FieldError::new("applicant_phone", e.message, e.en)),
        );
        let other_party_name = keep_ok(
            &mut errors,
            PersonName::parse(&self.other_party_name)
                .map_err(|e| for_field("other_party_name", "对方当事人", "Other party", e)),
        );
        let other_party_phone = keep_ok(
            &mut errors,
            match self.other_party_phone.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(p) => MobilePhone::parse(p)
                    .map(Some)
                    .map_err(|e| for_field("other_party_phone", "对方当事人", "Other party", e)),
            },
        );
        let relation = keep_ok(&mut errors, parse_relation(self.relation.as_deref()));
        let dispute_type = keep_ok(
            &mut errors,
            DisputeType::parse(self.dispute_type.trim()).ok_or_else(|| {
                FieldError::new(
                    "dispute_type",
                    "请选择纠纷类型",
                    "Choose the kind of dispute",
                )
            }),
        );
        let account = keep_ok(&mut errors, parse_dispute_account(&self.account));
        let location_id = keep_ok(
            &mut errors,
            match place {
                Some(place) => check_place(self.location_id, place, dispute_type),
                None => self.location_id.ok_or_else(|| {
                    FieldError::new("location_id", "请选择希望在哪里调解", CHOOSE_PLACE_EN)
                }),
            },
        );
        let consent = keep_ok(&mut errors, check_consent(self.consent));

        match (
            applicant_name,
            applicant_phone,
            other_party_name,
            other_party_phone,
            relation,
            dispute_type,
            account,
            location_id,
            consent,
        ) {
            (
                Some(applicant_name),
                Some(applicant_phone),
                Some(other_party_name),
                Some(other_party_phone),
                Some(relation),
                Some(dispute_type),
                Some(account),
                Some(location_id),
                Some(()),
            ) if errors.is_empty() => Ok(MediationRequest {
                applicant_name,
                applicant_phone,
                other_party_name,
                other_party_phone,
                relation,
                dispute_type,
                account,
                location_id,
            }),
            _ => Err(errors),
        }
    }
}

const CHOOSE_PLACE_EN: &str = "Choose where you would like to meet";

/// How the applicant knows the other party (邻居, 房东, 前夫…): optional, short.
fn parse_relation(text: Option<&str>) -> Result<Option<String>, FieldError> {
    let text = text
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > RELATION_MAX_CHARS {
        return Err(FieldError::new(
            "relation",
            format!("双方关系最多 {RELATION_MAX_CHARS} 个字，例如：邻居、房东、同事"),
            format!(
                "“How you know them” can be at most {RELATION_MAX_CHARS} characters, for \
                 example: neighbour, landlord, colleague"
            ),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(FieldError::new(
            "relation",
            "双方关系里有无法显示的字符",
            "“How you know them” contains characters that cannot be shown; please type it again",
        ));
    }
    Ok(Some(text))
}

/// The account of the dispute: required, long enough to act on, short enough to read.
fn parse_dispute_account(text: &str) -> Result<String, FieldError> {
    const FIELD: &str = "account";
    let text = text.trim();
    let n = text.chars().count();
    if n == 0 {
        return Err(FieldError::new(
            FIELD,
            "请简要说明纠纷的经过和您的诉求",
            "Please describe briefly what happened and what you are asking for",
        ));
    }
    if n < DISPUTE_ACCOUNT_MIN_CHARS {
        return Err(FieldError::new(
            FIELD,
            format!("纠纷情况至少写 {DISPUTE_ACCOUNT_MIN_CHARS} 个字：发生了什么，您希望怎样解决"),
            format!(
                "Please write at least {DISPUTE_ACCOUNT_MIN_CHARS} characters: what happened, and \
                 how you would like it resolved"
            ),
        ));
    }
    if n > DISPUTE_ACCOUNT_MAX_CHARS {
        return Err(FieldError::new(
            FIELD,
            format!(
                "纠纷情况最多 {DISPUTE_ACCOUNT_MAX_CHARS} 个字，现在是 {n} 个字，详细情况可以当面谈"
            ),
            format!(
                "The description of the dispute can be at most {DISPUTE_ACCOUNT_MAX_CHARS} \
                 characters and now has {n}. Please shorten it: the details can wait for the \
                 meeting"
            ),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(FieldError::new(
            FIELD,
            "纠纷情况里有无法显示的字符，请重新输入",
            "The description of the dispute contains characters that cannot be shown; please \
             type it again",
        ));
    }
    Ok(text.to_string())
}

/// The preferred place must exist and take this kind of dispute (IP disputes go to the IP
/// rooms). An unknown dispute type is reported on its own field, not here.
fn check_place(
    id: Option<LocationId>,
    place: Option<&Location>,
    dispute: Option<DisputeType>,
) -> Result<LocationId, FieldError> {
    const FIELD: &str = "location_id";
    let (Some(id), Some(place)) = (id, place) else {
        return Err(FieldError::new(
            FIELD,
            "请选择希望在哪里调解",
            CHOOSE_PLACE_EN,
        ));
    };
    match dispute {
        Some(DisputeType::Ip) if place.offers(ServiceCode::IpMediation).is_none() => {
            Err(FieldError::new(
                FIELD,
                "知识产权纠纷由知识产权纠纷调解室办理，请选择设有调解室的司法所",
                "Intellectual property disputes are handled in the IP mediation rooms; please \
                 choose an office that has one",
            ))
        }
        Some(d) if place.offers(d.service()).is_none() => Err(FieldError::new(
            FIELD,
            "这个地点不受理调解申请，请选择其他地点",
            "This place does not take mediation requests; please choose another place",
        )),
        _ => Ok(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mediation::fixtures::place;

    fn form() -> MediationForm {
        MediationForm {
            applicant_name: "李梅".into(),
            applicant_phone: "138 1234 5678".into(),
            other_party_name: "王强".into(),
            other_party_phone: Some("".into()),
            relation: Some(" 楼上邻居 ".into()),
            dispute_type: "neighbour".into(),
            account: "楼上卫生间漏水到我家，多次协商未果，希望对方维修并赔偿。".into(),
            location_id: Some(crate::LocationId(4)),
            consent: true,
        }
    }

    #[test]
    fn a_complete_request_is_accepted() {
        let office = place(&[ServiceCode::Mediation]);
        let r = form().check(Some(&office)).unwrap();
        assert_eq!(r.applicant_phone.as_str(), "13812345678");
        assert_eq!(r.other_party_phone, None);
        assert_eq!(r.relation.as_deref(), Some("楼上邻居"));
        assert_eq!(r.dispute_type, DisputeType::Neighbour);
        assert_eq!(r.location_id, crate::LocationId(4));
    }

    #[test]
    fn every_wrong_field_is_named_in_form_order() {
        let office = place(&[ServiceCode::Mediation]);
        let bad = MediationForm {
            applicant_name: "".into(),
            applicant_phone: "12345".into(),
            other_party_name: "王2".into(),
            other_party_phone: Some("555".into()),
            relation: Some("很".repeat(21)),
            dispute_type: "gossip".into(),
            account: "太吵".into(),
            location_id: None,
            consent: false,
        };
        let errors = bad.check(Some(&office)).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "applicant_name",
                "applicant_phone",
                "other_party_name",
                "other_party_phone",
                "relation",
                "dispute_type",
                "account",
                "location_id",
                "consent"
            ]
        );
        // the other party's fields say whose they are
        assert!(errors[2].message.starts_with("对方当事人"));
        assert!(errors[3].message.contains("手机号码"));
    }

    #[test]
    fn the_browser_checks_every_field_but_the_places_fit() {
        assert!(form().field_errors().is_empty());
        let ip_anywhere = MediationForm {
            dispute_type: "ip".into(),
            ..form()
        };
        assert!(ip_anywhere.field_errors().is_empty(), "the server decides");
        let nowhere = MediationForm {
            location_id: None,
            consent: false,
            ..form()
        };
        let fields: Vec<_> = nowhere.field_errors().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["location_id", "consent"]);
    }

    #[test]
    fn ip_disputes_go_to_the_ip_rooms_only() {
        let plain = place(&[ServiceCode::Mediation]);
        let ip_room = place(&[ServiceCode::Mediation, ServiceCode::IpMediation]);
        let ip = MediationForm {
            dispute_type: "ip".into(),
            ..form()
        };
        let e = ip.check(Some(&plain)).unwrap_err();
        assert_eq!(e[0].field, "location_id");
        assert!(e[0].message.contains("知识产权"));
        assert!(ip.check(Some(&ip_room)).is_ok());
        // an unknown place is a location error, not a crash
        assert_eq!(form().check(None).unwrap_err()[0].field, "location_id");
    }

    #[test]
    fn the_account_is_bounded() {
        let office = place(&[ServiceCode::Mediation]);
        for (account, ok) in [
            ("", false),
            ("吵架了", false),
            (&"字".repeat(DISPUTE_ACCOUNT_MIN_CHARS) as &str, true),
            (&"字".repeat(DISPUTE_ACCOUNT_MAX_CHARS), true),
            (&"字".repeat(DISPUTE_ACCOUNT_MAX_CHARS + 1), false),
            ("漏水漏水漏水漏水漏水\u{7}", false),
        ] {
            let f = MediationForm {
                account: account.into(),
                ..form()
            };
            assert_eq!(f.check(Some(&office)).is_ok(), ok, "{account:?}");
        }
    }
}

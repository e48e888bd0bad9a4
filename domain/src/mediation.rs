//! People's mediation (人民调解): the request a resident files, the case's state machine from
//! submission to an agreement, a failure or a referral, the written agreement's number and
//! amount, and the deadline flag. Field names are those of the API; messages are plain
//! Chinese for residents and staff, each with an English text for the English pages.

use crate::booking::{check_consent, FieldError, MobilePhone, PersonName};
use crate::staff::{Role, StaffAccount};
use crate::{BookingCode, Lang, Location, ServiceCode};
use chrono::{DateTime, Datelike, FixedOffset};
use rand_core::RngCore;
use serde::{Deserialize, Serialize};
use std::fmt;

// ---- dispute types ------------------------------------------------------------------------

/// The kinds of dispute the district's ledgers count. Codes are an API contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeType {
    Neighbour,
    Family,
    /// 物业管理与业主委员会
    Property,
    /// 房屋装修、加装电梯
    Renovation,
    Labour,
    Consumer,
    Commercial,
    /// 知识产权: handled in the IP mediation rooms only.
    Ip,
    Other,
}

impl DisputeType {
    pub const ALL: [DisputeType; 9] = [
        DisputeType::Neighbour,
        DisputeType::Family,
        DisputeType::Property,
        DisputeType::Renovation,
        DisputeType::Labour,
        DisputeType::Consumer,
        DisputeType::Commercial,
        DisputeType::Ip,
        DisputeType::Other,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            DisputeType::Neighbour => "neighbour",
            DisputeType::Family => "family",
            DisputeType::Property => "property",
            DisputeType::Renovation => "renovation",
            DisputeType::Labour => "labour",
            DisputeType::Consumer => "consumer",
            DisputeType::Commercial => "commercial",
            DisputeType::Ip => "ip",
            DisputeType::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            DisputeType::Neighbour => "邻里纠纷",
            DisputeType::Family => "婚姻家庭纠纷",
            DisputeType::Property => "物业管理和业主委员会纠纷",
            DisputeType::Renovation => "房屋装修、加装电梯纠纷",
            DisputeType::Labour => "劳动争议",
            DisputeType::Consumer => "消费纠纷",
            DisputeType::Commercial => "商事纠纷",
            DisputeType::Ip => "知识产权纠纷",
            DisputeType::Other => "其他纠纷",
        }
    }

    /// The service a place must offer to take this dispute.
    pub const fn service(self) -> ServiceCode {
        match self {
            DisputeType::Ip => ServiceCode::IpMediation,
            _ => ServiceCode::Mediation,
        }
    }
}

// ---- the resident's request ---------------------------------------------------------------

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
    pub location_id: Option<i64>,
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
    pub location_id: i64,
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
    id: Option<i64>,
    place: Option<&Location>,
    dispute: Option<DisputeType>,
) -> Result<i64, FieldError> {
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

// ---- case code ----------------------------------------------------------------------------

/// The code a resident keeps to follow a case: the booking code's shape and alphabet.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseCode(BookingCode);

impl CaseCode {
    pub fn generate(rng: &mut impl RngCore) -> Self {
        CaseCode(BookingCode::generate(rng))
    }
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        BookingCode::parse_named(text, "案件编号", "case code").map(CaseCode)
    }
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for CaseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for CaseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CaseCode({})", self.as_str())
    }
}

// ---- the state machine --------------------------------------------------------------------

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// 已提交: waiting for the place to accept or refuse.
    Submitted,
    /// 已受理
    Accepted,
    /// 不予受理 (with a reason). Closed.
    Refused,
    /// 已指派调解员
    MediatorAssigned,
    /// 已联系对方当事人: waiting for their answer.
    PartyInvited,
    /// 对方同意调解: sessions can be scheduled.
    PartyAgreed,
    /// 对方不同意调解: closed, not mediated.
    NotMediated,
    /// 已安排调解
    SessionScheduled,
    /// 调解成功 (written or oral agreement). Closed; follow-up visits may be recorded.
    Settled,
    /// 调解不成. Closed.
    Failed,
    /// 已转交 (court, police station and law firm, procuratorate, another department). Closed.
    Referred,
}

impl CaseState {
    pub const ALL: [CaseState; 11] = [
        CaseState::Submitted,
        CaseState::Accepted,
        CaseState::Refused,
        CaseState::MediatorAssigned,
        CaseState::PartyInvited,
        CaseState::PartyAgreed,
        CaseState::NotMediated,
        CaseState::SessionScheduled,
        CaseState::Settled,
        CaseState::Failed,
        CaseState::Referred,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            CaseState::Submitted => "submitted",
            CaseState::Accepted => "accepted",
            CaseState::Refused => "refused",
            CaseState::MediatorAssigned => "mediator_assigned",
            CaseState::PartyInvited => "party_invited",
            CaseState::PartyAgreed => "party_agreed",
            CaseState::NotMediated => "not_mediated",
            CaseState::SessionScheduled => "session_scheduled",
            CaseState::Settled => "settled",
            CaseState::Failed => "failed",
            CaseState::Referred => "referred",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            CaseState::Submitted => "已提交，等待受理",
            CaseState::Accepted => "已受理",
            CaseState::Refused => "不予受理",
            CaseState::MediatorAssigned => "已指派调解员",
            CaseState::PartyInvited => "正在联系对方当事人",
            CaseState::PartyAgreed => "对方同意调解",
            CaseState::NotMediated => "对方不同意调解，未进行调解",
            CaseState::SessionScheduled => "已安排调解",
            CaseState::Settled => "调解成功",
            CaseState::Failed => "调解不成",
            CaseState::Referred => "已转交其他机构",
        }
    }

    /// The state in English, as the English pages name it.
    pub const fn label_en(self) -> &'static str {
        match self {
            CaseState::Submitted => "Sent, waiting to be accepted",
            CaseState::Accepted => "Accepted",
            CaseState::Refused => "Not accepted",
            CaseState::MediatorAssigned => "Mediator assigned",
            CaseState::PartyInvited => "Contacting the other party",
            CaseState::PartyAgreed => "The other party agreed to mediation",
            CaseState::NotMediated => "The other party declined; not mediated",
            CaseState::SessionScheduled => "Meeting arranged",
            CaseState::Settled => "Settled",
            CaseState::Failed => "Not settled",
            CaseState::Referred => "Passed on to another body",
        }
    }

    /// The case has been accepted (受理): statistics count it from the moment it first got
    /// here. A request still waiting, or refused, was never accepted.
    pub const fn counts_as_accepted(self) -> bool {
        !matches!(self, CaseState::Submitted | CaseState::Refused)
    }

    /// A closed case takes no more steps (a settled one still takes follow-up visits).
    pub const fn is_closed(self) -> bool {
        matches!(
            self,
            CaseState::Refused
                | CaseState::NotMediated
                | CaseState::Settled
                | CaseState::Failed
                | CaseState::Referred
        )
    }
}

/// Where a case that is not mediated here goes (the report's "联动" channels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Referral {
    /// 诉调对接: to the court.
    Court,
    /// 三所联动: police station and law firm.
    PoliceLawFirm,
    /// 检调联动: procuratorate.
    Procuratorate,
    /// 访调联动 (分流): another department.
    Department,
}

impl Referral {
    pub const ALL: [Referral; 4] = [
        Referral::Court,
        Referral::PoliceLawFirm,
        Referral::Procuratorate,
        Referral::Department,
    ];
    pub const fn code(self) -> &'static str {
        match self {
            Referral::Court => "court",
            Referral::PoliceLawFirm => "police_law_firm",
            Referral::Procuratorate => "procuratorate",
            Referral::Department => "department",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
    pub const fn label_zh(self) -> &'static str {
        match self {
            Referral::Court => "诉调对接（转法院）",
            Referral::PoliceLawFirm => "三所联动（派出所、律师事务所）",
            Referral::Procuratorate => "检调联动（检察院）",
            Referral::Department => "访调联动（分流至相关部门）",
        }
    }
}

/// An amount of money in fen (分), as agreements record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

/// The largest amount an agreement may name: ¥1,000,000,000.00 (keeps sums far from overflow).
pub const MAX_AMOUNT_FEN: i64 = 100_000_000_000;

impl Fen {
    /// Reads `12345`, `12,345.6`, `¥12345.67`, full-width digits; at most two decimals.
    pub fn parse_yuan(text: &str) -> Result<Self, FieldError> {
        const FIELD: &str = "amount";
        let bad = || {
            FieldError::new(
                FIELD,
                "涉及金额请填写数字（元），最多两位小数，例如 12000.50",
                "Enter the amount in yuan as a number with at most two decimal places, for \
                 example 12000.50",
            )
        };
        let s: String = text
            .chars()
            .map(|c| match c {
                '\u{FF10}'..='\u{FF19}' | '\u{FF0E}' => {
                    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                }
                _ => c,
            })
            .filter(|c| !matches!(c, ',' | '，' | ' ' | '¥' | '￥'))
            .collect();
        let s = s.strip_suffix('元').unwrap_or(&s);
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        if whole.is_empty()
            || whole.len() > 12
            || frac.len() > 2
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let yuan: i64 = whole.parse().map_err(|_| bad())?;
        let fen: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let total = yuan * 100 + fen;
        if total > MAX_AMOUNT_FEN {
            return Err(FieldError::new(
                FIELD,
                "涉及金额超出范围，请核对",
                AMOUNT_OUT_OF_RANGE_EN,
            ));
        }
        Ok(Fen(total))
    }

    /// `12,000.50`.
    pub fn yuan_text(self) -> String {
        let (yuan, fen) = (self.0 / 100, self.0 % 100);
        let digits = yuan.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("{grouped}.{fen:02}")
    }
}

const AMOUNT_OUT_OF_RANGE_EN: &str = "The amount is outside the allowed range; please check it";

/// A short text a step needs (a refusal reason, the terms agreed): required, bounded.
/// `what` names it in Chinese, `what_en` in English, in lower case (`the terms agreed`).
pub fn parse_text(
    field: &'static str,
    what: &str,
    what_en: &str,
    text: &str,
    max: usize,
) -> Result<String, FieldError> {
    let text = text.trim();
    let what_en_capital = {
        let mut c = what_en.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    if text.is_empty() {
        return Err(FieldError::new(
            field,
            format!("请填写{what}"),
            format!("Please fill in {what_en}"),
        ));
    }
    if text.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("{what}最多 {max} 个字"),
            format!("{what_en_capital} can be at most {max} characters"),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(FieldError::new(
            field,
            format!("{what}里有无法显示的字符"),
            format!("Some characters in {what_en} cannot be shown; please type them again"),
        ));
    }
    Ok(text.to_string())
}

/// How a mediated case ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CaseOutcome {
    /// 达成书面调解协议: the agreement gets a number when it is recorded.
    WrittenAgreement { amount: Fen, terms: String },
    /// 达成口头协议
    OralAgreement { terms: String },
    /// 调解不成
    Failed { reason: String },
    /// 转交
    Referred { channel: Referral },
}

impl CaseOutcome {
    /// How a case with this outcome is recorded as having ended.
    pub const fn ending(&self) -> Ending {
        match self {
            CaseOutcome::WrittenAgreement { .. } => Ending::WrittenAgreement,
            CaseOutcome::OralAgreement { .. } => Ending::OralAgreement,
            CaseOutcome::Failed { .. } => Ending::Failed,
            CaseOutcome::Referred { .. } => Ending::Referred,
        }
    }
}

/// How a closed case ended, as recorded on the case. The codes are stored and appear in the
/// API (`outcome`): never rename them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    /// 不予受理 (never accepted).
    Refused,
    /// The other party would not take part.
    NotMediated,
    WrittenAgreement,
    OralAgreement,
    Failed,
    /// To the court, police station and law firm, procuratorate or another department.
    Referred,
}

impl Ending {
    pub const ALL: [Ending; 6] = [
        Ending::Refused,
        Ending::NotMediated,
        Ending::WrittenAgreement,
        Ending::OralAgreement,
        Ending::Failed,
        Ending::Referred,
    ];
    pub const fn code(self) -> &'static str {
        match self {
            Ending::Refused => "refused",
            Ending::NotMediated => "not_mediated",
            Ending::WrittenAgreement => "written_agreement",
            Ending::OralAgreement => "oral_agreement",
            Ending::Failed => "failed",
            Ending::Referred => "referred",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
    /// 成功化解: settled with a written or an oral agreement.
    pub const fn settled(self) -> bool {
        matches!(self, Ending::WrittenAgreement | Ending::OralAgreement)
    }
    /// The state a case that ended this way is in.
    pub const fn state(self) -> CaseState {
        match self {
            Ending::Refused => CaseState::Refused,
            Ending::NotMediated => CaseState::NotMediated,
            Ending::WrittenAgreement | Ending::OralAgreement => CaseState::Settled,
            Ending::Failed => CaseState::Failed,
            Ending::Referred => CaseState::Referred,
        }
    }
}

/// A step taken on a case. The step's own fields are checked where it is parsed; here only
/// whether the case may take it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CaseAction {
    Accept,
    Refuse {
        reason: String,
    },
    /// Assign, or hand over to another mediator while the case is open.
    AssignMediator {
        mediator_id: i64,
    },
    InviteOtherParty,
    OtherPartyAgrees,
    OtherPartyRefuses,
    /// A session (the first, or one more) at a place and time.
    ScheduleSession {
        location_id: i64,
        start: DateTime<FixedOffset>,
    },
    Conclude {
        outcome: CaseOutcome,
    },
    /// Straight to another body, before any session.
    Refer {
        channel: Referral,
    },
    /// A visit after settlement: does the agreement hold?
    FollowUp {
        kept: bool,
        note: String,
    },
}

impl CaseAction {
    pub const fn code(&self) -> &'static str {
        match self {
            CaseAction::Accept => "accept",
            CaseAction::Refuse { .. } => "refuse",
            CaseAction::AssignMediator { .. } => "assign_mediator",
            CaseAction::InviteOtherParty => "invite_other_party",
            CaseAction::OtherPartyAgrees => "other_party_agrees",
            CaseAction::OtherPartyRefuses => "other_party_refuses",
            CaseAction::ScheduleSession { .. } => "schedule_session",
            CaseAction::Conclude { .. } => "conclude",
            CaseAction::Refer { .. } => "refer",
            CaseAction::FollowUp { .. } => "follow_up",
        }
    }

    pub const fn label_zh(&self) -> &'static str {
        match self {
            CaseAction::Accept => "受理",
            CaseAction::Refuse { .. } => "不予受理",
            CaseAction::AssignMediator { .. } => "指派调解员",
            CaseAction::InviteOtherParty => "联系对方当事人",
            CaseAction::OtherPartyAgrees => "对方同意调解",
            CaseAction::OtherPartyRefuses => "对方不同意调解",
            CaseAction::ScheduleSession { .. } => "安排调解",
            CaseAction::Conclude { .. } => "记录调解结果",
            CaseAction::Refer { .. } => "转交",
            CaseAction::FollowUp { .. } => "回访",
        }
    }

    /// The step in English, as a lower-case verb phrase ("you cannot …").
    pub const fn label_en(&self) -> &'static str {
        match self {
            CaseAction::Accept => "accept the case",
            CaseAction::Refuse { .. } => "refuse the case",
            CaseAction::AssignMediator { .. } => "assign a mediator",
            CaseAction::InviteOtherParty => "contact the other party",
            CaseAction::OtherPartyAgrees => "record that the other party agrees to mediation",
            CaseAction::OtherPartyRefuses => "record that the other party declines mediation",
            CaseAction::ScheduleSession { .. } => "arrange a meeting",
            CaseAction::Conclude { .. } => "record the outcome",
            CaseAction::Refer { .. } => "pass the case on to another body",
            CaseAction::FollowUp { .. } => "record a follow-up visit",
        }
    }
}

/// Longest texts a step may carry.
pub const REASON_MAX_CHARS: usize = 200;
pub const TERMS_MAX_CHARS: usize = 2000;
pub const FAILURE_MAX_CHARS: usize = 500;
pub const NOTE_MAX_CHARS: usize = 500;

impl CaseAction {
    /// The step's own fields checked (texts present and bounded, the amount in range),
    /// whoever sent it: the staff page or the API. Whether the case may take the step is
    /// [`next_state`]'s to say.
    pub fn checked(self) -> Result<CaseAction, FieldError> {
        Ok(match self {
            CaseAction::Refuse { reason } => CaseAction::Refuse {
                reason: parse_text(
                    "reason",
                    "不予受理的理由",
                    "the reason for refusing",
                    &reason,
                    REASON_MAX_CHARS,
                )?,
            },
            CaseAction::Conclude { outcome } => CaseAction::Conclude {
                outcome: match outcome {
                    CaseOutcome::WrittenAgreement { amount, terms } => {
                        if !(0..=MAX_AMOUNT_FEN).contains(&amount.0) {
                            return Err(FieldError::new(
                                "amount",
                                "涉及金额超出范围，请核对",
                                AMOUNT_OUT_OF_RANGE_EN,
                            ));
                        }
                        CaseOutcome::WrittenAgreement {
                            amount,
                            terms: parse_text(
                                "terms",
                                "协议内容",
                                "the terms agreed",
                                &terms,
                                TERMS_MAX_CHARS,
                            )?,
                        }
                    }
                    CaseOutcome::OralAgreement { terms } => CaseOutcome::OralAgreement {
                        terms: parse_text(
                            "terms",
                            "协议内容",
                            "the terms agreed",
                            &terms,
                            TERMS_MAX_CHARS,
                        )?,
                    },
                    CaseOutcome::Failed { reason } => CaseOutcome::Failed {
                        reason: parse_text(
                            "reason",
                            "调解不成的原因",
                            "the reason the mediation failed",
                            &reason,
                            FAILURE_MAX_CHARS,
                        )?,
                    },
                    referred @ CaseOutcome::Referred { .. } => referred,
                },
            },
            CaseAction::FollowUp { kept, note } => CaseAction::FollowUp {
                kept,
                note: if note.trim().is_empty() {
                    String::new()
                } else {
                    parse_text(
                        "note",
                        "回访记录",
                        "the note of the follow-up visit",
                        &note,
                        NOTE_MAX_CHARS,
                    )?
                },
            },
            other => other,
        })
    }
}

/// A step the case cannot take in its state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("案件现在是「{}」，不能{}", .from.label_zh(), .action)]
pub struct IllegalStep {
    pub from: CaseState,
    /// The step, as [`CaseAction::label_zh`] names it.
    pub action: &'static str,
    /// The step, as [`CaseAction::label_en`] names it.
    pub action_en: &'static str,
}

impl IllegalStep {
    /// The message in `lang`: the Chinese text is the `Display` one.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => self.to_string(),
            Lang::En => format!(
                "This case's status is “{}”, so you cannot {}",
                self.from.label_en(),
                self.action_en
            ),
        }
    }
}

/// The one place that decides where a step leads.
pub fn next_state(from: CaseState, action: &CaseAction) -> Result<CaseState, IllegalStep> {
    use CaseAction as A;
    use CaseState as S;
    let to = match (from, action) {
        (S::Submitted, A::Accept) => S::Accepted,
        (S::Submitted, A::Refuse { .. }) => S::Refused,
        (
            S::Accepted
            | S::MediatorAssigned
            | S::PartyInvited
            | S::PartyAgreed
            | S::SessionScheduled,
            A::AssignMediator { .. },
        ) => {
            if from == S::Accepted {
                S::MediatorAssigned
            } else {
                from
            }
        }
        (S::MediatorAssigned, A::InviteOtherParty) => S::PartyInvited,
        (S::PartyInvited, A::OtherPartyAgrees) => S::PartyAgreed,
        (S::PartyInvited, A::OtherPartyRefuses) => S::NotMediated,
        (S::PartyAgreed | S::SessionScheduled, A::ScheduleSession { .. }) => S::SessionScheduled,
        (S::SessionScheduled, A::Conclude { outcome }) => match outcome {
            CaseOutcome::WrittenAgreement { .. } | CaseOutcome::OralAgreement { .. } => S::Settled,
            CaseOutcome::Failed { .. } => S::Failed,
            CaseOutcome::Referred { .. } => S::Referred,
        },
        (S::Accepted | S::MediatorAssigned | S::PartyInvited | S::PartyAgreed, A::Refer { .. }) => {
            S::Referred
        }
        (S::Settled, A::FollowUp { .. }) => S::Settled,
        _ => {
            return Err(IllegalStep {
                from,
                action: action.label_zh(),
                action_en: action.label_en(),
            })
        }
    };
    Ok(to)
}

/// Every edge of the workflow, as the brief draws it. `next_state` must never leave it.
pub const EDGES: &[(CaseState, CaseState)] = {
    use CaseState as S;
    &[
        (S::Submitted, S::Accepted),
        (S::Submitted, S::Refused),
        (S::Accepted, S::MediatorAssigned),
        (S::MediatorAssigned, S::MediatorAssigned),
        (S::PartyInvited, S::PartyInvited),
        (S::PartyAgreed, S::PartyAgreed),
        (S::SessionScheduled, S::SessionScheduled),
        (S::MediatorAssigned, S::PartyInvited),
        (S::PartyInvited, S::PartyAgreed),
        (S::PartyInvited, S::NotMediated),
        (S::PartyAgreed, S::SessionScheduled),
        (S::SessionScheduled, S::Settled),
        (S::SessionScheduled, S::Failed),
        (S::SessionScheduled, S::Referred),
        (S::Accepted, S::Referred),
        (S::MediatorAssigned, S::Referred),
        (S::PartyInvited, S::Referred),
        (S::PartyAgreed, S::Referred),
        (S::Settled, S::Settled),
    ]
};

// ---- agreements and deadlines -------------------------------------------------------------

/// The number of a written agreement, per committee and year: `（2026）大宁路调字第0012号`.
pub fn agreement_number(committee: &str, year: i32, seq: u32) -> String {
    format!("（{year}）{committee}调字第{seq:04}号")
}

/// The committee that signs a place's agreements: `大宁路司法所` → `大宁路`, a workroom keeps
/// its neighbourhood's name.
pub fn committee_short_name(place_name: &str) -> &str {
    place_name
        .strip_suffix("司法所")
        .or_else(|| place_name.strip_suffix("法律服务工作室"))
        .unwrap_or(place_name)
}

/// The year an agreement is numbered in (Asia/Shanghai).
pub fn agreement_year(at: DateTime<FixedOffset>) -> i32 {
    crate::slots::to_local(&at).year()
}

/// Days a case may stay open from its submission before it is flagged (人民调解法: mediation
/// should normally end within 30 days; deployments may set their own).
pub const DEFAULT_DEADLINE_DAYS: i64 = 30;

/// An open case past its deadline. Closed cases are never overdue.
pub fn is_overdue(
    state: CaseState,
    submitted_at: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
    deadline_days: i64,
) -> bool {
    !state.is_closed() && now - submitted_at > chrono::Duration::days(deadline_days)
}

// ---- who sees and handles a case ---------------------------------------------------------

/// Whether `account` may see a case's details (names, phones, the account of the dispute)
/// and take its steps. Cases are confidential: district admins, the head of the place's
/// office and the assigned mediator. Until a mediator is assigned the place's clerks handle
/// the intake (accept or refuse, assign). Everyone else, auditors included, sees counts only.
pub fn sees_case(
    account: &StaffAccount,
    place: &Location,
    state: CaseState,
    mediator_id: Option<i64>,
) -> bool {
    match account.role {
        Role::DistrictAdmin => true,
        Role::OfficeHead => account.covers(place),
        Role::OfficeClerk | Role::WorkroomClerk => {
            account.covers(place)
                && (mediator_id == Some(account.id)
                    || (mediator_id.is_none() && !state.is_closed()))
        }
        Role::Counsellor | Role::Auditor => false,
    }
}

/// Who may be assigned as a case's mediator: clerks and heads whose scope covers the place.
pub fn may_mediate(candidate: &StaffAccount, place: &Location) -> bool {
    matches!(
        candidate.role,
        Role::OfficeClerk | Role::WorkroomClerk | Role::OfficeHead
    ) && candidate.covers(place)
}

/// Whether `account` (who sees the case) may assign its mediator: anyone who handles the
/// intake while nobody is assigned; handing an assigned case over is for heads and admins.
pub fn may_assign(account: &StaffAccount, mediator_id: Option<i64>) -> bool {
    mediator_id.is_none() || matches!(account.role, Role::OfficeHead | Role::DistrictAdmin)
}

/// Mediation meetings are held in a place's open slots of these services: any but the
/// psychology room's, which is confidential and youth-only on Fridays.
pub fn meetings_in(service: ServiceCode) -> bool {
    service != ServiceCode::Psychology
}

/// Whether a case's meeting may be held at `at`: a place that takes this kind of dispute (as
/// the request's own place must) in the case's street, i.e. the case's office or one of that
/// office's workrooms. The time must also be one of `at`'s open slots of a service
/// [`meetings_in`] allows, and the account arranging it must cover `at`
/// ([`StaffAccount::covers`]); the caller checks both.
pub fn meeting_place_fits(case_place: &Location, at: &Location, dispute: DisputeType) -> bool {
    let office = |p: &Location| p.office_id.unwrap_or(p.id);
    at.offers(dispute.service()).is_some() && office(at) == office(case_place)
}

/// What the applicant's timeline shows of a case's steps: each state once when reached. A
/// second meeting or a new mediator is not news for the applicant.
pub fn applicant_timeline<T: Copy>(steps: &[(CaseState, T)]) -> Vec<(CaseState, T)> {
    let mut out: Vec<(CaseState, T)> = Vec::new();
    for &(state, at) in steps {
        if out.last().map(|(s, _)| *s) != Some(state) {
            out.push((state, at));
        }
    }
    out
}

/// `张三` → `张*`, `欧阳娜娜` → `欧***`: a name others may see.
pub fn masked_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

/// One example of every kind of step (and of every way a case concludes), for tests that walk
/// the workflow.
#[cfg(test)]
pub(crate) fn one_of_each_action() -> Vec<CaseAction> {
    let at = DateTime::parse_from_rfc3339("2026-12-08T09:00:00+08:00").unwrap();
    vec![
        CaseAction::Accept,
        CaseAction::Refuse { reason: "r".into() },
        CaseAction::AssignMediator { mediator_id: 1 },
        CaseAction::InviteOtherParty,
        CaseAction::OtherPartyAgrees,
        CaseAction::OtherPartyRefuses,
        CaseAction::ScheduleSession {
            location_id: 4,
            start: at,
        },
        CaseAction::Conclude {
            outcome: CaseOutcome::OralAgreement { terms: "t".into() },
        },
        CaseAction::Conclude {
            outcome: CaseOutcome::Failed { reason: "r".into() },
        },
        CaseAction::Conclude {
            outcome: CaseOutcome::Referred {
                channel: Referral::Court,
            },
        },
        CaseAction::Refer {
            channel: Referral::Department,
        },
        CaseAction::FollowUp {
            kept: false,
            note: String::new(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LocationId, LocationKind, ServiceOffer};
    use proptest::prelude::*;

    fn place(services: &[ServiceCode]) -> Location {
        Location {
            id: LocationId(4),
            kind: LocationKind::Office,
            office_id: None,
            name: "大宁路司法所".into(),
            area: "大宁路街道".into(),
            neighbourhood: String::new(),
            address: "".into(),
            phone: None,
            services: services
                .iter()
                .map(|s| ServiceOffer {
                    service: *s,
                    sessions: vec![],
                })
                .collect(),
        }
    }

    fn form() -> MediationForm {
        MediationForm {
            applicant_name: "李梅".into(),
            applicant_phone: "138 1234 5678".into(),
            other_party_name: "王强".into(),
            other_party_phone: Some("".into()),
            relation: Some(" 楼上邻居 ".into()),
            dispute_type: "neighbour".into(),
            account: "楼上卫生间漏水到我家，多次协商未果，希望对方维修并赔偿。".into(),
            location_id: Some(4),
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
        assert_eq!(r.location_id, 4);
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

    #[test]
    fn case_codes_read_like_booking_codes_but_say_case() {
        let e = CaseCode::parse("ABC").unwrap_err();
        assert!(e.message.starts_with("案件编号"));
        let c = CaseCode::parse("7k3qx-9mpa2").unwrap();
        assert_eq!(c.as_str(), "7K3QX9MPA2");
        assert_eq!(c.to_string(), "7K3QX-9MPA2");
    }

    #[test]
    fn amounts_in_yuan() {
        assert_eq!(Fen::parse_yuan("12000").unwrap(), Fen(1_200_000));
        assert_eq!(Fen::parse_yuan("¥12,000.5").unwrap(), Fen(1_200_050));
        assert_eq!(Fen::parse_yuan("１２.０５元").unwrap(), Fen(1205));
        assert_eq!(Fen::parse_yuan("0").unwrap(), Fen(0));
        for bad in ["", "-5", "1.234", "abc", "1e5", ".5", "10000000001"] {
            assert_eq!(Fen::parse_yuan(bad).unwrap_err().field, "amount", "{bad}");
        }
        assert_eq!(Fen(1_021_050_000).yuan_text(), "10,210,500.00");
        assert_eq!(Fen(5).yuan_text(), "0.05");
    }

    #[test]
    fn agreements_are_numbered_per_committee_and_year() {
        assert_eq!(
            agreement_number(committee_short_name("大宁路司法所"), 2026, 12),
            "（2026）大宁路调字第0012号"
        );
        let late = DateTime::parse_from_rfc3339("2026-12-31T17:00:00Z").unwrap();
        assert_eq!(agreement_year(late), 2027, "already 1 January in Shanghai");
    }

    #[test]
    fn overdue_is_for_open_cases_past_the_deadline() {
        let t0 = DateTime::parse_from_rfc3339("2026-11-01T09:00:00+08:00").unwrap();
        let later = t0 + chrono::Duration::days(31);
        assert!(is_overdue(CaseState::PartyInvited, t0, later, 30));
        assert!(!is_overdue(
            CaseState::PartyInvited,
            t0,
            t0 + chrono::Duration::days(29),
            30
        ));
        assert!(!is_overdue(CaseState::Settled, t0, later, 30));
    }

    #[test]
    fn case_details_are_for_the_mediator_the_head_and_the_district() {
        let mut office = place(&[ServiceCode::Mediation]);
        office.id = LocationId(4);
        let mut workroom = place(&[ServiceCode::Mediation]);
        workroom.id = LocationId(401);
        workroom.kind = LocationKind::Workroom;
        workroom.office_id = Some(LocationId(4));
        let who = |id, role, place: Option<i64>| StaffAccount {
            id,
            username: format!("u{id}"),
            display_name: "x".into(),
            role,
            place: place.map(LocationId),
        };
        let admin = who(1, Role::DistrictAdmin, None);
        let auditor = who(2, Role::Auditor, None);
        let head = who(3, Role::OfficeHead, Some(4));
        let clerk = who(4, Role::OfficeClerk, Some(4));
        let other_clerk = who(5, Role::OfficeClerk, Some(4));
        let foreign_head = who(6, Role::OfficeHead, Some(5));
        let psy = who(7, Role::Counsellor, Some(4));
        use CaseState::*;
        for p in [&office, &workroom] {
            // intake: the place's clerks, not others
            assert!(sees_case(&clerk, p, Submitted, None));
            assert!(sees_case(&head, p, Submitted, None));
            assert!(sees_case(&admin, p, Submitted, None));
            for nobody in [&auditor, &foreign_head, &psy] {
                assert!(!sees_case(nobody, p, Submitted, None));
            }
            // assigned: the mediator, the head, the district
            assert!(sees_case(&clerk, p, SessionScheduled, Some(4)));
            assert!(!sees_case(&other_clerk, p, SessionScheduled, Some(4)));
            assert!(sees_case(&head, p, Settled, Some(4)));
            assert!(!sees_case(&auditor, p, Settled, Some(4)));
        }
        assert!(may_assign(&clerk, None));
        assert!(
            !may_assign(&clerk, Some(5)),
            "a clerk does not take a colleague's case"
        );
        assert!(may_assign(&head, Some(4)));
        assert!(may_assign(&admin, Some(4)));
        assert!(meetings_in(ServiceCode::LegalConsultation));
        assert!(!meetings_in(ServiceCode::Psychology));
        assert!(may_mediate(&clerk, &workroom));
        assert!(!may_mediate(&psy, &office));
        assert!(!may_mediate(&foreign_head, &office));
        assert!(!may_mediate(&auditor, &office));
    }

    #[test]
    fn meetings_are_held_in_the_cases_street_where_its_dispute_is_taken() {
        let mut office = place(&[ServiceCode::Mediation, ServiceCode::IpMediation]);
        office.id = LocationId(4);
        let mut workroom = place(&[ServiceCode::Mediation]);
        workroom.id = LocationId(401);
        workroom.kind = LocationKind::Workroom;
        workroom.office_id = Some(LocationId(4));
        let mut other_office = place(&[ServiceCode::Mediation]);
        other_office.id = LocationId(5);
        let mut psychology_room = place(&[ServiceCode::Psychology]);
        psychology_room.id = LocationId(402);
        psychology_room.kind = LocationKind::Workroom;
        psychology_room.office_id = Some(LocationId(4));
        let neighbour = DisputeType::Neighbour;
        assert!(meeting_place_fits(&office, &office, neighbour));
        assert!(meeting_place_fits(&office, &workroom, neighbour));
        assert!(meeting_place_fits(&workroom, &office, neighbour));
        assert!(
            !meeting_place_fits(&office, &other_office, neighbour),
            "another street's office"
        );
        assert!(!meeting_place_fits(&office, &psychology_room, neighbour));
        assert!(meeting_place_fits(&office, &office, DisputeType::Ip));
        assert!(!meeting_place_fits(&office, &workroom, DisputeType::Ip));
    }

    #[test]
    fn a_steps_own_fields_are_checked_whoever_sends_it() {
        let refuse = |reason: &str| {
            CaseAction::Refuse {
                reason: reason.into(),
            }
            .checked()
        };
        assert_eq!(refuse("  ").unwrap_err().field, "reason");
        assert_eq!(
            refuse(" 不属于民间纠纷 ").unwrap(),
            CaseAction::Refuse {
                reason: "不属于民间纠纷".into()
            }
        );
        assert_eq!(
            refuse(&"字".repeat(REASON_MAX_CHARS + 1))
                .unwrap_err()
                .field,
            "reason"
        );
        let written = |amount: i64, terms: &str| {
            CaseAction::Conclude {
                outcome: CaseOutcome::WrittenAgreement {
                    amount: Fen(amount),
                    terms: terms.into(),
                },
            }
            .checked()
        };
        assert_eq!(written(-1, "赔偿").unwrap_err().field, "amount");
        assert_eq!(
            written(MAX_AMOUNT_FEN + 1, "赔偿").unwrap_err().field,
            "amount"
        );
        assert_eq!(written(0, "").unwrap_err().field, "terms");
        assert!(written(MAX_AMOUNT_FEN, "赔偿").is_ok());
        let failed = CaseAction::Conclude {
            outcome: CaseOutcome::Failed { reason: "".into() },
        };
        assert_eq!(failed.checked().unwrap_err().field, "reason");
        // an empty follow-up note is fine, a control character is not
        assert!(CaseAction::FollowUp {
            kept: true,
            note: " ".into()
        }
        .checked()
        .is_ok());
        assert_eq!(
            CaseAction::FollowUp {
                kept: true,
                note: "a\u{7}".into()
            }
            .checked()
            .unwrap_err()
            .field,
            "note"
        );
    }

    #[test]
    fn the_applicant_sees_each_state_once_when_reached() {
        use CaseState::*;
        let steps = [
            (Submitted, 1),
            (Accepted, 2),
            (MediatorAssigned, 3),
            (MediatorAssigned, 4),
            (PartyInvited, 5),
            (PartyAgreed, 6),
            (SessionScheduled, 7),
            (SessionScheduled, 8),
            (Settled, 9),
            (Settled, 10),
        ];
        assert_eq!(
            applicant_timeline(&steps),
            [
                (Submitted, 1),
                (Accepted, 2),
                (MediatorAssigned, 3),
                (PartyInvited, 5),
                (PartyAgreed, 6),
                (SessionScheduled, 7),
                (Settled, 9)
            ]
        );
    }

    #[test]
    fn names_are_masked_for_others() {
        assert_eq!(masked_name("张三"), "张*");
        assert_eq!(masked_name("欧阳娜娜"), "欧***");
        assert_eq!(masked_name(""), "");
    }

    #[test]
    fn the_happy_path_to_a_written_agreement() {
        let at = DateTime::parse_from_rfc3339("2026-12-08T09:00:00+08:00").unwrap();
        let steps = [
            CaseAction::Accept,
            CaseAction::AssignMediator { mediator_id: 7 },
            CaseAction::InviteOtherParty,
            CaseAction::OtherPartyAgrees,
            CaseAction::ScheduleSession {
                location_id: 4,
                start: at,
            },
            CaseAction::Conclude {
                outcome: CaseOutcome::WrittenAgreement {
                    amount: Fen(500_000),
                    terms: "王强于12月15日前修复漏水并赔偿5000元".into(),
                },
            },
            CaseAction::FollowUp {
                kept: true,
                note: "已修复".into(),
            },
        ];
        let end = steps
            .iter()
            .try_fold(CaseState::Submitted, next_state)
            .unwrap();
        assert_eq!(end, CaseState::Settled);
        let e = next_state(CaseState::Settled, &CaseAction::Accept).unwrap_err();
        assert_eq!(e.to_string(), "案件现在是「调解成功」，不能受理");
    }

    fn any_action() -> impl Strategy<Value = CaseAction> {
        let at = DateTime::parse_from_rfc3339("2026-12-08T09:00:00+08:00").unwrap();
        let outcome = prop_oneof![
            Just(CaseOutcome::WrittenAgreement {
                amount: Fen(100),
                terms: "t".into()
            }),
            Just(CaseOutcome::OralAgreement { terms: "t".into() }),
            Just(CaseOutcome::Failed { reason: "r".into() }),
            (0..4usize).prop_map(|i| CaseOutcome::Referred {
                channel: Referral::ALL[i]
            }),
        ];
        prop_oneof![
            Just(CaseAction::Accept),
            Just(CaseAction::Refuse { reason: "r".into() }),
            (1..5i64).prop_map(|m| CaseAction::AssignMediator { mediator_id: m }),
            Just(CaseAction::InviteOtherParty),
            Just(CaseAction::OtherPartyAgrees),
            Just(CaseAction::OtherPartyRefuses),
            Just(CaseAction::ScheduleSession {
                location_id: 4,
                start: at
            }),
            outcome.prop_map(|outcome| CaseAction::Conclude { outcome }),
            (0..4usize).prop_map(|i| CaseAction::Refer {
                channel: Referral::ALL[i]
            }),
            any::<bool>().prop_map(|kept| CaseAction::FollowUp {
                kept,
                note: String::new()
            }),
        ]
    }

    proptest! {
        /// Whatever staff click, a case only ever moves along the workflow's edges; once
        /// closed it stays closed; a settlement, a failure or a referral after talks needs a
        /// session first.
        #[test]
        fn no_illegal_transition_is_reachable(actions in prop::collection::vec(any_action(), 0..40)) {
            let mut state = CaseState::Submitted;
            let mut had_session = false;
            for action in &actions {
                match next_state(state, action) {
                    Ok(to) => {
                        prop_assert!(EDGES.contains(&(state, to)), "{state:?} -> {to:?} by {action:?}");
                        if state.is_closed() {
                            prop_assert_eq!(to, state, "a closed case moved");
                            let follow_up = matches!(action, CaseAction::FollowUp { .. });
                            prop_assert!(follow_up);
                        }
                        if matches!(action, CaseAction::Conclude { .. }) {
                            prop_assert!(had_session);
                        }
                        had_session |= to == CaseState::SessionScheduled;
                        state = to;
                    }
                    Err(e) => prop_assert_eq!(e.from, state),
                }
            }
        }
    }

    #[test]
    fn every_state_and_edge_is_reachable() {
        // breadth-first over one example of each action: nothing in the workflow is dead
        let actions = one_of_each_action();
        let mut seen = vec![CaseState::Submitted];
        let mut edges = Vec::new();
        let mut i = 0;
        while i < seen.len() {
            let from = seen[i];
            for a in &actions {
                if let Ok(to) = next_state(from, a) {
                    if !edges.contains(&(from, to)) {
                        edges.push((from, to));
                    }
                    if !seen.contains(&to) {
                        seen.push(to);
                    }
                }
            }
            i += 1;
        }
        for s in CaseState::ALL {
            assert!(seen.contains(&s), "{s:?} unreachable");
        }
        for e in EDGES {
            assert!(edges.contains(e), "{e:?} never taken");
        }
    }
}

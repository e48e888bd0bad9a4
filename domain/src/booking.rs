//! Booking rules that need no storage: the booking code residents keep, what they type into
//! the form (phone, name, topic, short account), the states of a booking and the fairness
//! limits. Messages are plain Chinese for residents, each with an English text for the
//! English pages; field names are those of the API.

use crate::slots::to_local;
use crate::{Lang, ServiceCode};
use chrono::{DateTime, FixedOffset};
use rand_core::RngCore;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A form field that is wrong, and what to do about it.
///
/// The API's JSON carries `field` and the Chinese `message` only; the English text is for
/// the English pages ([`message_in`](Self::message_in)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    /// The API field: `name`, `phone`, `topic`, `account`, `consent`, `youth`, `code`.
    pub field: &'static str,
    /// In Chinese.
    pub message: String,
    /// The same in English.
    #[serde(skip)]
    pub en: String,
}

impl FieldError {
    pub fn new(field: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        FieldError {
            field,
            message: zh.into(),
            en: en.into(),
        }
    }

    /// A service code that names no service.
    pub fn no_such_service(field: &'static str) -> Self {
        FieldError::new(field, "没有这项服务", "There is no such service")
    }

    /// A place id that names no place.
    pub fn no_such_place(field: &'static str) -> Self {
        FieldError::new(field, "没有这个网点", "There is no such place")
    }

    /// A request about one place that names none.
    pub fn place_required(field: &'static str) -> Self {
        FieldError::new(field, "请指定网点", "Please name a place")
    }

    /// A date not written as the API writes dates.
    pub fn bad_date(field: &'static str) -> Self {
        FieldError::new(
            field,
            "日期格式应为 YYYY-MM-DD",
            "The date should be written YYYY-MM-DD",
        )
    }

    /// The message in `lang` (the Chinese one should an English text be missing).
    pub fn message_in(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.en.is_empty() => &self.en,
            _ => &self.message,
        }
    }
}

/// Full-width ASCII (what a Chinese input method types in full-width mode: `１３８`, `Ａ`,
/// `－`, the ideographic space) turned into plain ASCII.
fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

// ---- booking code -------------------------------------------------------------------------

/// The characters of a booking code: digits and capitals without 0/O, 1/I/L (31 symbols).
pub const CODE_ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Symbols in a code: 31^10 ≈ 2^49.5 possible codes.
pub const CODE_LEN: usize = 10;

/// The code a resident gets when booking and uses to look the booking up or cancel it.
/// Shown as `XXXXX-XXXXX`; stored and sent in the API without the dash.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BookingCode([u8; CODE_LEN]);

impl BookingCode {
    /// A fresh random code. Each symbol is drawn uniformly (rejection sampling: bytes
    /// 248..=255 are thrown away, since 248 = 8 × 31).
    pub fn generate(rng: &mut impl RngCore) -> Self {
        const LIMIT: u8 = (256 / CODE_ALPHABET.len() * CODE_ALPHABET.len()) as u8;
        let mut code = [0u8; CODE_LEN];
        let mut filled = 0;
        while filled < CODE_LEN {
            for b in rng.next_u64().to_le_bytes() {
                if b < LIMIT && filled < CODE_LEN {
                    code[filled] = CODE_ALPHABET[usize::from(b) % CODE_ALPHABET.len()];
                    filled += 1;
                }
            }
        }
        BookingCode(code)
    }

    /// Reads a code as a resident types it: lowercase, spaces and dashes (also full-width)
    /// are fine. Letters the alphabet leaves out (O, I, L) and digits 0 and 1 are refused with
    /// a message saying so, rather than guessed.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        Self::parse_named(text, "预约码", "booking code")
    }

    /// [`parse`](Self::parse) for another code of the same shape (a mediation case's),
    /// whose messages call it `noun` (Chinese) and `noun_en` (English, lower case).
    pub fn parse_named(text: &str, noun: &str, noun_en: &str) -> Result<Self, FieldError> {
        const FIELD: &str = "code";
        let mut code = [0u8; CODE_LEN];
        let mut n = 0;
        for c in text.chars().map(half_width) {
            if c.is_whitespace() || c == '-' {
                continue;
            }
            let c = c.to_ascii_uppercase();
            if matches!(c, '0' | '1' | 'O' | 'I' | 'L') {
                return Err(FieldError::new(
                    FIELD,
                    format!("{noun}里没有数字 0、1 和字母 O、I、L，请对照短信或页面重新输入"),
                    format!(
                        "A {noun_en} never contains the digits 0 or 1 or the letters O, I or L. \
                         Please check it in your text message or on the page and type it again"
                    ),
                ));
            }
            if !c.is_ascii() || !CODE_ALPHABET.contains(&(c as u8)) {
                return Err(FieldError::new(
                    FIELD,
                    format!("{noun}只包含数字和英文字母，例如 7K3QX-9MPA2"),
                    format!(
                        "Enter the {noun_en} using letters and digits only, for example 7K3QX-9MPA2"
                    ),
                ));
            }
            if n == CODE_LEN {
                return Err(FieldError::new(
                    FIELD,
                    format!("{noun}是 10 位，例如 7K3QX-9MPA2"),
                    format!("Enter the 10-character {noun_en}, for example 7K3QX-9MPA2"),
                ));
            }
            code[n] = c as u8;
            n += 1;
        }
        if n != CODE_LEN {
            return Err(FieldError::new(
                FIELD,
                format!("{noun}是 10 位，例如 7K3QX-9MPA2"),
                format!("Enter the 10-character {noun_en}, for example 7K3QX-9MPA2"),
            ));
        }
        Ok(BookingCode(code))
    }

    /// The canonical form: 10 symbols, no dash.
    pub fn as_str(&self) -> &str {
        // only alphabet bytes (ASCII) are ever stored
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Display for BookingCode {
    /// `XXXXX-XXXXX`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.as_str();
        write!(f, "{}-{}", &s[..5], &s[5..])
    }
}

impl fmt::Debug for BookingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BookingCode({})", self.as_str())
    }
}

impl FromStr for BookingCode {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        Self::parse(s)
    }
}

impl Serialize for BookingCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for BookingCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

// ---- the form's fields --------------------------------------------------------------------

/// A mainland China mobile number, 11 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MobilePhone(String);

impl MobilePhone {
    /// Accepts `13812345678`, `138 1234 5678`, `138-1234-5678`, `+86 138…`, `86138…`,
    /// `0086138…` and full-width digits.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let bad = || {
            FieldError::new(
                "phone",
                "请填写11位手机号码，例如 13812345678",
                "Enter your mobile number (11 digits starting with 1, for example 13812345678)",
            )
        };
        let mut s: String = text
            .chars()
            .map(half_width)
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if let Some(rest) = s.strip_prefix('+') {
            s = rest.strip_prefix("86").ok_or_else(bad)?.to_string();
        } else if s.len() == 15 && s.starts_with("0086") {
            s = s[4..].to_string();
        } else if s.len() == 13 && s.starts_with("86") {
            s = s[2..].to_string();
        }
        let b = s.as_bytes();
        let ok = b.len() == 11
            && b.iter().all(u8::is_ascii_digit)
            && b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1]);
        if !ok {
            return Err(bad());
        }
        Ok(MobilePhone(s))
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****5678`: for pages and staff lists that need not show the whole number.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl fmt::Display for MobilePhone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for MobilePhone {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        Self::parse(&s)
    }
}

impl From<MobilePhone> for String {
    fn from(p: MobilePhone) -> String {
        p.0
    }
}

/// A person's name as they write it: 1–30 characters, no digits or control characters.
/// Inner runs of spaces become one space (`Wang  Fang` → `Wang Fang`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

pub const NAME_MAX_CHARS: usize = 30;

impl PersonName {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        const FIELD: &str = "name";
        let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(FieldError::new(FIELD, "请填写姓名", "Enter your name"));
        }
        if name.chars().count() > NAME_MAX_CHARS {
            return Err(FieldError::new(
                FIELD,
                format!("姓名最多 {NAME_MAX_CHARS} 个字"),
                format!("Your name can be at most {NAME_MAX_CHARS} characters long"),
            ));
        }
        // 〇 is a digit to Unicode but occurs in names
        if name.chars().any(|c| c.is_numeric() && c != '〇') {
            return Err(FieldError::new(
                FIELD,
                "姓名里不能有数字，手机号码请填在下面一栏",
                "Your name cannot contain digits; please put your mobile number in the box below",
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(FieldError::new(
                FIELD,
                "姓名里有无法显示的字符，请重新输入",
                "Your name contains characters that cannot be shown; please type it again",
            ));
        }
        Ok(PersonName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PersonName {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        Self::parse(&s)
    }
}

impl From<PersonName> for String {
    fn from(p: PersonName) -> String {
        p.0
    }
}

/// The resident's short account of their matter (optional), at most 500 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Account(String);

pub const ACCOUNT_MAX_CHARS: usize = 500;

impl Account {
    /// `Ok(None)` when nothing (or only spaces) was written. Line breaks and tabs are kept;
    /// other control characters are refused.
    pub fn parse(text: &str) -> Result<Option<Self>, FieldError> {
        const FIELD: &str = "account";
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let n = text.chars().count();
        if n > ACCOUNT_MAX_CHARS {
            return Err(FieldError::new(
                FIELD,
                format!(
                    "情况简述最多 {ACCOUNT_MAX_CHARS} 个字，现在是 {n} 个字，请简要说明，详细情况可以当面谈"
                ),
                format!(
                    "The short description can be at most {ACCOUNT_MAX_CHARS} characters and now \
                     has {n}. Please shorten it: you can explain the details in person"
                ),
            ));
        }
        if text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(FieldError::new(
                FIELD,
                "情况简述里有无法显示的字符，请重新输入",
                "The short description contains characters that cannot be shown; \
                 please type it again",
            ));
        }
        Ok(Some(Account(text.to_string())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Account {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        Self::parse(&s)?.ok_or_else(|| {
            FieldError::new(
                "account",
                "情况简述不能为空",
                "The short description cannot be empty",
            )
        })
    }
}

impl From<Account> for String {
    fn from(a: Account) -> String {
        a.0
    }
}

/// The consent checkbox: the resident must agree to the personal-information notice.
pub fn check_consent(consent: bool) -> Result<(), FieldError> {
    if consent {
        Ok(())
    } else {
        Err(FieldError::new(
            "consent",
            "请阅读并勾选同意《个人信息处理说明》后再提交",
            "Please read how your personal information is handled, then tick the box to agree \
             before sending",
        ))
    }
}

/// A youth-only slot (the psychology room's Friday) needs the resident to declare they are
/// under 18.
pub fn check_youth(slot_youth_only: bool, declared_youth: bool) -> Result<(), FieldError> {
    if slot_youth_only && !declared_youth {
        Err(FieldError::new(
            "youth",
            "这个时段只接待未满 18 周岁的青少年，请选择其他时段",
            "This time is only for young people under 18; please choose another time",
        ))
    } else {
        Ok(())
    }
}

// ---- the booking form ---------------------------------------------------------------------

/// The resident's part of the booking form, as typed. The server checks it before booking and
/// the browser checks it with this same code before sending, so both say the same thing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentForm {
    pub name: String,
    pub phone: String,
    pub topic: String,
    pub account: String,
    pub youth: bool,
    pub consent: bool,
}

/// A checked [`ResidentForm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentDetails {
    pub name: PersonName,
    pub phone: MobilePhone,
    pub topic: Topic,
    pub account: Option<Account>,
    pub youth: bool,
}

impl ResidentForm {
    /// Checks every field and reports every problem, in the order the form shows them
    /// (name, phone, topic, account, youth, consent), so a resident fixes them in one go.
    pub fn check(
        &self,
        service: ServiceCode,
        slot_youth_only: bool,
    ) -> Result<ResidentDetails, Vec<FieldError>> {
        let name = PersonName::parse(&self.name);
        let phone = MobilePhone::parse(&self.phone);
        let topic = parse_topic(service, &self.topic);
        let account = Account::parse(&self.account);
        let youth = check_youth(slot_youth_only, self.youth);
        let consent = check_consent(self.consent);
        match (name, phone, topic, account, youth, consent) {
            (Ok(name), Ok(phone), Ok(topic), Ok(account), Ok(()), Ok(())) => Ok(ResidentDetails {
                name,
                phone,
                topic,
                account,
                youth: self.youth,
            }),
            (name, phone, topic, account, youth, consent) => Err([
                name.err(),
                phone.err(),
                topic.err(),
                account.err(),
                youth.err(),
                consent.err(),
            ]
            .into_iter()
            .flatten()
            .collect()),
        }
    }
}

// ---- topics -------------------------------------------------------------------------------

/// A topic a resident picks for a booking of a service: a code (an API and database contract:
/// never rename it) with its name in Chinese and English. The same code can be named
/// differently by two services ("labour" is about pay in a consultation, a work dispute in
/// mediation), so a topic belongs to its service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Topic {
    code: &'static str,
    zh: &'static str,
    en: &'static str,
}

impl Topic {
    const fn new(code: &'static str, zh: &'static str, en: &'static str) -> Topic {
        Topic { code, zh, en }
    }

    pub const fn code(self) -> &'static str {
        self.code
    }

    /// The topic's name in `lang`.
    pub const fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => self.zh,
            Lang::En => self.en,
        }
    }
}

/// The topics a resident picks from for a service, in the order the form shows them.
pub fn topics(service: ServiceCode) -> &'static [Topic] {
    match service {
        ServiceCode::LegalConsultation => {
            const {
                &[
                    Topic::new("marriage_family", "婚姻家庭", "Marriage and family"),
                    Topic::new("inheritance", "继承", "Inheritance"),
                    Topic::new("housing", "房屋/物业", "Housing and property"),
                    Topic::new("labour", "劳动就业", "Work and pay"),
                    Topic::new("debt_contract", "借贷合同", "Loans and contracts"),
                    Topic::new("consumer", "消费", "Consumer"),
                    Topic::new("traffic", "交通事故", "Traffic accidents"),
                    Topic::new("other", "其他", "Other"),
                ]
            }
        }
        ServiceCode::Psychology => {
            const {
                &[
                    Topic::new("emotion", "情绪困扰", "Feelings and mood"),
                    Topic::new("family_relation", "家庭关系", "Family relationships"),
                    Topic::new("study_work", "学习工作压力", "Stress at school or work"),
                    Topic::new("other", "其他", "Other"),
                ]
            }
        }
        // dispute types seen in the district's mediation ledgers
        ServiceCode::Mediation => {
            const {
                &[
                    Topic::new("neighbour", "邻里纠纷", "Between neighbours"),
                    Topic::new("family", "婚姻家庭", "Marriage and family"),
                    Topic::new("property_management", "物业纠纷", "Property management"),
                    Topic::new(
                        "renovation_lift",
                        "房屋装修/加装电梯",
                        "Renovation or lift installation",
                    ),
                    Topic::new("labour", "劳动争议", "Work disputes"),
                    Topic::new("consumer", "消费纠纷", "Consumer"),
                    Topic::new("commercial", "商事纠纷", "Business"),
                    Topic::new("intellectual_property", "知识产权", "Intellectual property"),
                    Topic::new("other", "其他", "Other"),
                ]
            }
        }
        ServiceCode::AdminReconsideration => {
            const {
                &[
                    Topic::new("consult", "咨询", "Advice"),
                    Topic::new("apply", "申请受理", "Filing an application"),
                    Topic::new("other", "其他", "Other"),
                ]
            }
        }
        ServiceCode::Notary => {
            const {
                &[
                    Topic::new("inheritance_notary", "继承公证", "Inheritance notarisation"),
                    Topic::new("entrust", "委托公证", "Power of attorney"),
                    Topic::new("other", "其他", "Other"),
                ]
            }
        }
        ServiceCode::IpMediation => {
            const {
                &[
                    Topic::new("trademark", "商标", "Trademarks"),
                    Topic::new("copyright", "著作权（版权）", "Copyright"),
                    Topic::new("patent", "专利", "Patents"),
                    Topic::new("other", "其他", "Other"),
                ]
            }
        }
    }
}

/// The topic of a service with this code, if it has one.
pub fn topic(service: ServiceCode, code: &str) -> Option<Topic> {
    topics(service).iter().copied().find(|t| t.code == code)
}

/// The name of a service's topic code in `lang`; a code the service does not have (an old
/// row) is shown as it is.
pub fn topic_label(lang: Lang, service: ServiceCode, code: &str) -> &str {
    topic(service, code).map_or(code, |t| t.label(lang))
}

/// Checks a topic code for a service.
pub fn parse_topic(service: ServiceCode, code: &str) -> Result<Topic, FieldError> {
    topic(service, code.trim()).ok_or_else(|| {
        let labels: Vec<&str> = topics(service).iter().map(|t| t.zh).collect();
        FieldError::new(
            "topic",
            format!("请选择咨询事项：{}", labels.join("、")),
            "Choose what it is about from the list",
        )
    })
}

// ---- states -------------------------------------------------------------------------------

/// Where a booking is. Codes are an API and database contract: never rename them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingState {
    /// 已预约
    Booked,
    /// 已取消
    Cancelled,
    /// 已签到: the resident arrived and is in the queue
    CheckedIn,
    /// 已叫号
    Called,
    /// 服务中
    Serving,
    /// 已完成
    Done,
    /// 未到 (爽约)
    NoShow,
}

impl BookingState {
    pub const ALL: [BookingState; 7] = [
        BookingState::Booked,
        BookingState::Cancelled,
        BookingState::CheckedIn,
        BookingState::Called,
        BookingState::Serving,
        BookingState::Done,
        BookingState::NoShow,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            BookingState::Booked => "booked",
            BookingState::Cancelled => "cancelled",
            BookingState::CheckedIn => "checked_in",
            BookingState::Called => "called",
            BookingState::Serving => "serving",
            BookingState::Done => "done",
            BookingState::NoShow => "no_show",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            BookingState::Booked => "已预约",
            BookingState::Cancelled => "已取消",
            BookingState::CheckedIn => "已签到",
            BookingState::Called => "已叫号",
            BookingState::Serving => "服务中",
            BookingState::Done => "已完成",
            BookingState::NoShow => "未到",
        }
    }

    /// The state in English, as the English pages name it.
    pub const fn label_en(self) -> &'static str {
        match self {
            BookingState::Booked => "Booked",
            BookingState::Cancelled => "Cancelled",
            BookingState::CheckedIn => "Checked in",
            BookingState::Called => "Called",
            BookingState::Serving => "Being served",
            BookingState::Done => "Done",
            BookingState::NoShow => "Did not come",
        }
    }

    /// The resident came (checked in, called, being served or done): statistics count it
    /// as attended, and a psychology booking that came as a session held.
    pub const fn came(self) -> bool {
        matches!(
            self,
            BookingState::CheckedIn
                | BookingState::Called
                | BookingState::Serving
                | BookingState::Done
        )
    }

    /// Not finished yet: counts towards [`FairnessLimits::max_active`].
    pub const fn is_active(self) -> bool {
        matches!(
            self,
            BookingState::Booked
                | BookingState::CheckedIn
                | BookingState::Called
                | BookingState::Serving
        )
    }

    /// Only a booking nobody has started on can be cancelled by the resident.
    pub const fn can_cancel(self) -> bool {
        matches!(self, BookingState::Booked)
    }

    pub const fn can_reschedule(self) -> bool {
        matches!(self, BookingState::Booked)
    }
}

// ---- history ------------------------------------------------------------------------------

/// What happened to a booking, as its history lists it. Codes are an API and database
/// contract (the `kind` column of `booking_events`): never rename them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingEventKind {
    Created,
    Rescheduled,
    Cancelled,
    CheckedIn,
    NoShow,
    NoShowReverted,
}

impl BookingEventKind {
    pub const ALL: [BookingEventKind; 6] = [
        BookingEventKind::Created,
        BookingEventKind::Rescheduled,
        BookingEventKind::Cancelled,
        BookingEventKind::CheckedIn,
        BookingEventKind::NoShow,
        BookingEventKind::NoShowReverted,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            BookingEventKind::Created => "created",
            BookingEventKind::Rescheduled => "rescheduled",
            BookingEventKind::Cancelled => "cancelled",
            BookingEventKind::CheckedIn => "checked_in",
            BookingEventKind::NoShow => "no_show",
            BookingEventKind::NoShowReverted => "no_show_reverted",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The event in a history line ("11-26 20:15 预约" / "11-26 20:15 booked").
    pub const fn label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::ZhCn, BookingEventKind::Created) => "预约",
            (Lang::ZhCn, BookingEventKind::Rescheduled) => "改约",
            (Lang::ZhCn, BookingEventKind::Cancelled) => "取消",
            (Lang::ZhCn, BookingEventKind::CheckedIn) => "签到",
            (Lang::ZhCn, BookingEventKind::NoShow) => "记为未到",
            (Lang::ZhCn, BookingEventKind::NoShowReverted) => "撤销未到",
            (Lang::En, BookingEventKind::Created) => "booked",
            (Lang::En, BookingEventKind::Rescheduled) => "moved",
            (Lang::En, BookingEventKind::Cancelled) => "cancelled",
            (Lang::En, BookingEventKind::CheckedIn) => "checked in",
            (Lang::En, BookingEventKind::NoShow) => "marked as a no-show",
            (Lang::En, BookingEventKind::NoShowReverted) => "no-show mark undone",
        }
    }
}

impl fmt::Display for BookingEventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for BookingState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

// ---- fairness -----------------------------------------------------------------------------

/// Limits that keep slots for everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FairnessLimits {
    /// Active (unfinished) bookings one phone number may hold at once.
    pub max_active: u32,
}

impl Default for FairnessLimits {
    fn default() -> Self {
        FairnessLimits { max_active: 3 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FairnessError {
    #[error("每个手机号最多同时保留 {max} 个未完成的预约，请先取消或办理完已有的预约后再预约")]
    TooManyActive { max: u32 },
    #[error("您在这个时间已有其他预约（{}），请选择其他时间", local_range(.start, .end))]
    Overlap {
        start: DateTime<FixedOffset>,
        end: DateTime<FixedOffset>,
    },
}

impl FairnessError {
    /// The message in `lang`: the Chinese text is the `Display` one.
    pub fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::ZhCn, _) => self.to_string(),
            (Lang::En, FairnessError::TooManyActive { max }) => format!(
                "Each mobile number can have at most {max} unfinished {} at a time. Please \
                 cancel one, or wait until one is finished, before booking again",
                if *max == 1 { "booking" } else { "bookings" }
            ),
            (Lang::En, FairnessError::Overlap { start, end }) => format!(
                "You already have a booking at that time ({}); please choose another time",
                local_range_en(start, end)
            ),
        }
    }
}

/// `3月3日 09:00–09:30`, in Shanghai time.
fn local_range(start: &DateTime<FixedOffset>, end: &DateTime<FixedOffset>) -> String {
    let (s, e) = (to_local(start), to_local(end));
    format!(
        "{} {}–{}",
        s.format("%-m月%-d日"),
        s.format("%H:%M"),
        e.format("%H:%M")
    )
}

/// `Tue 3 Mar 09:00–09:30`, in Shanghai time.
fn local_range_en(start: &DateTime<FixedOffset>, end: &DateTime<FixedOffset>) -> String {
    let (s, e) = (to_local(start), to_local(end));
    format!("{}–{}", s.format("%a %-d %b %H:%M"), e.format("%H:%M"))
}

/// Checks a new booking against the resident's active bookings (same phone number): at most
/// `max_active` at once, and none overlapping in time (intervals are half-open, so back to
/// back is fine). The count is checked first.
pub fn check_fairness(
    existing_active: &[(DateTime<FixedOffset>, DateTime<FixedOffset>)],
    new: (DateTime<FixedOffset>, DateTime<FixedOffset>),
    limits: &FairnessLimits,
) -> Result<(), FairnessError> {
    if existing_active.len() >= limits.max_active as usize {
        return Err(FairnessError::TooManyActive {
            max: limits.max_active,
        });
    }
    let (start, end) = new;
    if let Some((s, e)) = existing_active.iter().find(|(s, e)| *s < end && start < *e) {
        return Err(FairnessError::Overlap { start: *s, end: *e });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn resident_form_reports_every_wrong_field_in_form_order() {
        let empty = ResidentForm::default();
        let errors = empty
            .check(ServiceCode::LegalConsultation, true)
            .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "phone", "topic", "youth", "consent"]);
        assert!(errors.iter().all(|e| !e.message.is_empty()));

        let good = ResidentForm {
            name: " 王  芳 ".into(),
            phone: "138 1234 5678".into(),
            topic: "labour".into(),
            account: "  ".into(),
            youth: false,
            consent: true,
        };
        let ok = good.check(ServiceCode::LegalConsultation, false).unwrap();
        assert_eq!(ok.name.as_str(), "王 芳");
        assert_eq!(ok.phone.as_str(), "13812345678");
        assert_eq!(ok.topic.code(), "labour");
        assert_eq!(ok.account, None);
        // a topic of another service is refused
        let err = good.check(ServiceCode::Psychology, false).unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].field, "topic");
        // a youth-only slot needs the declaration
        let err = good
            .check(ServiceCode::LegalConsultation, true)
            .unwrap_err();
        assert_eq!(err[0].field, "youth");
    }

    #[test]
    fn generated_codes_look_right() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..1000 {
            let code = BookingCode::generate(&mut rng);
            assert_eq!(code.as_str().len(), 10);
            assert!(code.as_str().bytes().all(|b| CODE_ALPHABET.contains(&b)));
            let shown = code.to_string();
            assert_eq!(shown.len(), 11);
            assert_eq!(&shown[5..6], "-");
            assert_eq!(BookingCode::parse(&shown).unwrap(), code);
        }
    }

    #[test]
    fn generated_symbols_are_uniform() {
        let mut rng = StdRng::seed_from_u64(42);
        let mut counts = [0u32; 31];
        let codes = 31_000;
        for _ in 0..codes {
            for b in BookingCode::generate(&mut rng).as_str().bytes() {
                counts[CODE_ALPHABET.iter().position(|a| *a == b).unwrap()] += 1;
            }
        }
        // 10 000 expected per symbol; chi-square with 30 degrees of freedom, p = 0.001 → 59.7
        let expected = f64::from(codes * 10 / 31);
        let chi2: f64 = counts
            .iter()
            .map(|c| (f64::from(*c) - expected).powi(2) / expected)
            .sum();
        assert!(chi2 < 59.7, "chi2 {chi2}, counts {counts:?}");
        // and positions are independent of each other: no repeats among many codes
        let mut seen = std::collections::HashSet::new();
        for _ in 0..10_000 {
            assert!(seen.insert(BookingCode::generate(&mut rng)));
        }
    }

    #[test]
    fn rejection_sampling_skips_high_bytes() {
        /// Yields 0xFF bytes first (all rejected), then a known pattern.
        struct Scripted(Vec<u64>);
        impl rand_core::RngCore for Scripted {
            fn next_u32(&mut self) -> u32 {
                self.next_u64() as u32
            }
            fn next_u64(&mut self) -> u64 {
                self.0.remove(0)
            }
            fn fill_bytes(&mut self, dest: &mut [u8]) {
                rand_core::impls::fill_bytes_via_next(self, dest)
            }
            fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
                self.fill_bytes(dest);
                Ok(())
            }
        }
        // bytes 0, 30, 31, 247 → '2', 'Z', '2', CODE_ALPHABET[247 % 31 = 30] = 'Z'; 248..255 skipped
        let word = u64::from_le_bytes([0, 248, 30, 255, 31, 247, 250, 1]);
        let mut rng = Scripted(vec![u64::MAX, word, word]);
        let code = BookingCode::generate(&mut rng);
        assert_eq!(code.as_str(), "2Z2Z32Z2Z3");
    }

    #[test]
    fn codes_are_read_leniently_but_strictly() {
        let code = BookingCode::parse("7K3QX-9MPA2").unwrap();
        assert_eq!(code.as_str(), "7K3QX9MPA2");
        assert_eq!(code.to_string(), "7K3QX-9MPA2");
        for typed in [
            "7k3qx9mpa2",
            " 7K3QX 9MPA2 ",
            "7k3-qx9-mpa2",
            "７Ｋ３ＱＸ－９ＭＰＡ２",
            "7K3QX\u{3000}9MPA2",
        ] {
            assert_eq!(BookingCode::parse(typed).unwrap(), code, "{typed}");
        }
        for (typed, says) in [
            ("7K3QX-9MPA", "10 位"),
            ("7K3QX-9MPA22", "10 位"),
            ("", "10 位"),
            ("7K3QO-9MPA2", "O、I、L"),
            ("7K3Q0-9MPA2", "0、1"),
            ("7K3Q1-9MPA2", "0、1"),
            ("7K3Qi-9MPA2", "O、I、L"),
            ("7K3Ql-9MPA2", "O、I、L"),
            ("7K3QX_9MPA2", "字母"),
            ("7K3QX.9MPA2", "字母"),
            ("预约码7K3QX9MPA2", "字母"),
        ] {
            let e = BookingCode::parse(typed).unwrap_err();
            assert_eq!(e.field, "code");
            assert!(e.message.contains(says), "{typed}: {e}");
        }
        assert_eq!("7K3QX9MPA2".parse::<BookingCode>().unwrap(), code);
        assert_eq!(
            serde_json::to_string(&code).unwrap(),
            "\"7K3QX9MPA2\"",
            "the API sends the canonical form"
        );
        assert_eq!(
            serde_json::from_str::<BookingCode>("\"7k3qx-9mpa2\"").unwrap(),
            code
        );
        assert!(serde_json::from_str::<BookingCode>("\"OOOOOOOOOO\"").is_err());
    }

    proptest! {
        #[test]
        fn code_display_round_trips(seed in any::<u64>()) {
            let code = BookingCode::generate(&mut StdRng::seed_from_u64(seed));
            prop_assert_eq!(BookingCode::parse(&code.to_string()).unwrap(), code);
            prop_assert_eq!(BookingCode::parse(code.as_str()).unwrap(), code);
            prop_assert_eq!(BookingCode::parse(&code.to_string().to_lowercase()).unwrap(), code);
        }

        #[test]
        fn code_parse_never_panics(text in ".{0,20}") {
            if let Ok(code) = BookingCode::parse(&text) {
                prop_assert_eq!(BookingCode::parse(&code.to_string()).unwrap(), code);
            }
        }

        #[test]
        fn phone_parse_never_panics(text in "[+0-9 \\-]{0,20}") {
            if let Ok(p) = MobilePhone::parse(&text) {
                prop_assert_eq!(p.as_str().len(), 11);
                prop_assert_eq!(MobilePhone::parse(p.as_str()).unwrap(), p);
            }
        }
    }

    #[test]
    fn phones() {
        for typed in [
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "+86 138 1234 5678",
            "+8613812345678",
            "8613812345678",
            "008613812345678",
            "１３８１２３４５６７８",
            " 13812345678 ",
        ] {
            let p = MobilePhone::parse(typed).unwrap_or_else(|e| panic!("{typed}: {e}"));
            assert_eq!(p.as_str(), "13812345678", "{typed}");
        }
        let p = MobilePhone::parse("19912345678").unwrap();
        assert_eq!(p.masked(), "199****5678");
        assert_eq!(
            MobilePhone::parse("13812345678").unwrap().masked(),
            "138****5678"
        );
        for bad in [
            "",
            "1381234567",
            "138123456789",
            "12812345678",
            "10812345678",
            "23812345678",
            "021-52000001",
            "+85213812345678",
            "+1 13812345678",
            "1381234567a",
            "138.1234.5678",
            "86 1381234567",
        ] {
            let e = MobilePhone::parse(bad).unwrap_err();
            assert_eq!(e.field, "phone");
            assert_eq!(e.message, "请填写11位手机号码，例如 13812345678", "{bad}");
        }
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, "\"19912345678\"");
        assert_eq!(serde_json::from_str::<MobilePhone>(&json).unwrap(), p);
        assert!(serde_json::from_str::<MobilePhone>("\"123\"").is_err());
    }

    #[test]
    fn names() {
        assert_eq!(PersonName::parse("  张三 ").unwrap().as_str(), "张三");
        assert_eq!(PersonName::parse("王").unwrap().as_str(), "王");
        assert_eq!(
            PersonName::parse("买买提·艾力").unwrap().as_str(),
            "买买提·艾力"
        );
        assert_eq!(
            PersonName::parse("Wang   Fang").unwrap().as_str(),
            "Wang Fang"
        );
        assert_eq!(PersonName::parse("李〇").unwrap().as_str(), "李〇");
        assert!(PersonName::parse(&"张".repeat(30)).is_ok());
        for (bad, says) in [
            ("", "请填写"),
            ("   ", "请填写"),
            ("张三3", "数字"),
            ("张三１", "数字"),
            ("13812345678", "数字"),
            ("张\u{7}三", "字符"),
        ] {
            let e = PersonName::parse(bad).unwrap_err();
            assert_eq!(e.field, "name");
            assert!(e.message.contains(says), "{bad:?}: {e}");
        }
        let e = PersonName::parse(&"张".repeat(31)).unwrap_err();
        assert!(e.message.contains("30"), "{e}");
    }

    #[test]
    fn accounts() {
        assert_eq!(Account::parse("").unwrap(), None);
        assert_eq!(Account::parse("  \n ").unwrap(), None);
        let a = Account::parse("  邻居装修噪音。\n想咨询怎么办。 ")
            .unwrap()
            .unwrap();
        assert_eq!(a.as_str(), "邻居装修噪音。\n想咨询怎么办。");
        // 500 Chinese characters are 1 500 bytes, and fine
        assert!(Account::parse(&"字".repeat(500)).unwrap().is_some());
        let e = Account::parse(&"字".repeat(501)).unwrap_err();
        assert_eq!(e.field, "account");
        assert!(
            e.message.contains("500") && e.message.contains("501"),
            "{e}"
        );
        let e = Account::parse("abc\u{0}def").unwrap_err();
        assert_eq!(e.field, "account");
    }

    #[test]
    fn consent_and_youth() {
        assert!(check_consent(true).is_ok());
        assert_eq!(check_consent(false).unwrap_err().field, "consent");
        assert!(check_youth(false, false).is_ok());
        assert!(check_youth(false, true).is_ok());
        assert!(check_youth(true, true).is_ok());
        let e = check_youth(true, false).unwrap_err();
        assert_eq!(e.field, "youth");
        assert!(e.message.contains("18"), "{e}");
    }

    #[test]
    fn topics_per_service() {
        for service in ServiceCode::ALL {
            let list = topics(service);
            assert!(!list.is_empty(), "{service}");
            assert_eq!(list.last().unwrap().code(), "other", "{service}");
            let mut codes: Vec<_> = list.iter().map(|t| t.code()).collect();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), list.len(), "{service}: unique codes");
            for t in list {
                let code = t.code();
                assert!(!t.label(Lang::ZhCn).is_empty());
                assert!(code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
                assert_eq!(parse_topic(service, code).unwrap(), *t);
                assert_eq!(topic_label(Lang::ZhCn, service, code), t.label(Lang::ZhCn));
                let en = t.label(Lang::En);
                assert!(!en.is_empty() && en.is_ascii(), "{service} {code}: {en}");
            }
        }
        assert_eq!(topics(ServiceCode::LegalConsultation).len(), 8);
        assert_eq!(
            topic_label(Lang::ZhCn, ServiceCode::LegalConsultation, "housing"),
            "房屋/物业"
        );
        assert_eq!(
            topic_label(Lang::ZhCn, ServiceCode::Psychology, "study_work"),
            "学习工作压力"
        );
        // "labour" is named by its service
        assert_eq!(
            topic_label(Lang::En, ServiceCode::LegalConsultation, "labour"),
            "Work and pay"
        );
        assert_eq!(
            topic_label(Lang::En, ServiceCode::Mediation, "labour"),
            "Work disputes"
        );
        // a code the service does not have is shown as it is
        assert_eq!(topic_label(Lang::En, ServiceCode::Notary, "gone"), "gone");
        assert_eq!(
            parse_topic(ServiceCode::LegalConsultation, " labour ")
                .unwrap()
                .code(),
            "labour"
        );
        // a topic of another service is not valid here
        let e = parse_topic(ServiceCode::Psychology, "inheritance").unwrap_err();
        assert_eq!(e.field, "topic");
        assert!(e.message.contains("情绪困扰"), "{e}");
        assert!(parse_topic(ServiceCode::Notary, "").is_err());
        assert!(parse_topic(ServiceCode::IpMediation, "patent").is_ok());
        assert!(parse_topic(ServiceCode::AdminReconsideration, "apply").is_ok());
    }

    #[test]
    fn every_event_kind_has_a_code_and_a_label_in_both_languages() {
        for kind in BookingEventKind::ALL {
            assert_eq!(BookingEventKind::parse(kind.code()), Some(kind));
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::Value::from(kind.code())
            );
            assert!(!kind.label(Lang::ZhCn).is_ascii(), "{kind}");
            assert!(kind.label(Lang::En).is_ascii(), "{kind}");
        }
        assert_eq!(
            BookingEventKind::parse("no_show_reverted"),
            Some(BookingEventKind::NoShowReverted)
        );
        assert_eq!(BookingEventKind::parse("moved"), None);
    }

    #[test]
    fn states() {
        for s in BookingState::ALL {
            assert_eq!(BookingState::parse(s.code()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.code())
            );
            assert_eq!(s.can_cancel(), s == BookingState::Booked);
            assert_eq!(s.can_reschedule(), s == BookingState::Booked);
            assert!(!s.label_zh().is_empty());
        }
        assert_eq!(BookingState::parse("canceled"), None);
        let active: Vec<_> = BookingState::ALL
            .into_iter()
            .filter(|s| s.is_active())
            .collect();
        assert_eq!(
            active,
            [
                BookingState::Booked,
                BookingState::CheckedIn,
                BookingState::Called,
                BookingState::Serving
            ]
        );
    }

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn range(a: &str, b: &str) -> (DateTime<FixedOffset>, DateTime<FixedOffset>) {
        (
            t(&format!("2026-03-03T{a}:00+08:00")),
            t(&format!("2026-03-03T{b}:00+08:00")),
        )
    }

    #[test]
    fn fairness() {
        let limits = FairnessLimits::default();
        assert_eq!(limits.max_active, 3);
        let one = [range("09:00", "09:30")];
        assert!(check_fairness(&[], range("09:00", "09:30"), &limits).is_ok());
        // back to back is fine
        assert!(check_fairness(&one, range("09:30", "10:00"), &limits).is_ok());
        assert!(check_fairness(&one, range("08:30", "09:00"), &limits).is_ok());
        // overlapping is not, and says when the other booking is
        for (a, b) in [
            ("09:00", "09:30"),
            ("09:15", "09:45"),
            ("08:45", "09:15"),
            ("08:00", "10:00"),
            ("09:10", "09:20"),
        ] {
            let e = check_fairness(&one, range(a, b), &limits).unwrap_err();
            assert_eq!(
                e,
                FairnessError::Overlap {
                    start: one[0].0,
                    end: one[0].1
                }
            );
            let msg = e.to_string();
            assert!(msg.starts_with("您在这个时间已有其他预约"), "{msg}");
            assert!(msg.contains("3月3日 09:00–09:30"), "{msg}");
        }
        // the same instant given in UTC still overlaps, and is shown in Shanghai time
        let utc_one = [(t("2026-03-03T01:00:00Z"), t("2026-03-03T01:30:00Z"))];
        let e = check_fairness(&utc_one, range("09:00", "09:30"), &limits).unwrap_err();
        assert!(e.to_string().contains("3月3日 09:00–09:30"), "{e}");
        // three active bookings are the most
        let three = [
            range("09:00", "09:30"),
            range("10:00", "10:30"),
            range("11:00", "11:30"),
        ];
        assert!(check_fairness(&three[..2], range("14:00", "14:30"), &limits).is_ok());
        let e = check_fairness(&three, range("14:00", "14:30"), &limits).unwrap_err();
        assert_eq!(e, FairnessError::TooManyActive { max: 3 });
        assert!(e
            .to_string()
            .starts_with("每个手机号最多同时保留 3 个未完成的预约"));
        let five = FairnessLimits { max_active: 5 };
        assert!(check_fairness(&three, range("14:00", "14:30"), &five).is_ok());
    }

    /// Chinese and other CJK characters, ideographic punctuation and full-width forms.
    fn has_cjk(text: &str) -> bool {
        text.chars().any(|c| {
            matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
        })
    }

    fn assert_english(zh: &str, en: &str) {
        assert!(!en.trim().is_empty(), "no English for {zh}");
        assert!(!has_cjk(en), "not English: {en} (for {zh})");
        assert_ne!(zh, en);
    }

    #[test]
    fn every_message_has_an_english_text() {
        use crate::mediation::{
            next_state as case_next_state, CaseAction, CaseCode, CaseOutcome, CaseState, Fen,
            MediationForm,
        };
        use crate::queue::{next_state as queue_next_state, QueueState, Step};
        use crate::schedule::ScheduleError;
        use crate::stats::{Ledger, Period, Scope};
        use crate::{Location, LocationId, LocationKind, ServiceOffer, WeeklySession};

        // rule errors: every variant
        let fairness = [
            FairnessError::TooManyActive { max: 3 },
            FairnessError::Overlap {
                start: t("2026-03-03T09:00:00+08:00"),
                end: t("2026-03-03T09:30:00+08:00"),
            },
        ];
        for e in &fairness {
            assert_eq!(e.message(Lang::ZhCn), e.to_string());
            assert_english(&e.to_string(), &e.message(Lang::En));
        }
        assert_eq!(
            fairness[1].message(Lang::En),
            "You already have a booking at that time (Tue 3 Mar 09:00–09:30); \
             please choose another time"
        );
        let schedule = [
            ScheduleError::Shape,
            ScheduleError::UnknownDay("mun".into()),
            ScheduleError::BackwardDayRange("fri-mon".into()),
            ScheduleError::BadTime("9:00".into()),
            ScheduleError::EndNotAfterStart,
            ScheduleError::BadSlotLength("3min".into()),
            ScheduleError::NotWholeSlots {
                minutes: 150,
                slot: 20,
            },
            ScheduleError::BadCapacity("x0".into()),
            ScheduleError::UnknownFlag("adults".into()),
        ];
        for e in &schedule {
            assert_eq!(e.message(Lang::ZhCn), e.to_string());
            assert_english(&e.to_string(), &e.message(Lang::En));
        }
        // and what the parser really says
        for line in [
            "mon-fri",
            "mun 09:00-11:30 30min x2",
            "fri-mon 09:00-11:30 30min x2",
            "mon 9:00-11:30 30min x2",
            "mon 11:30-09:00 30min x2",
            "mon 09:00-11:30 3min x2",
            "mon 09:00-11:30 20min x2",
            "mon 09:00-11:30 30min x0",
            "mon 09:00-11:30 30min x2 adults",
        ] {
            let e = WeeklySession::parse(line).unwrap_err();
            assert_english(&e.to_string(), &e.message(Lang::En));
        }
        let unknown: crate::service::UnknownService = "legal".parse::<ServiceCode>().unwrap_err();
        assert_english(&unknown.to_string(), &unknown.message(Lang::En));
        for from in QueueState::ALL {
            for step in Step::ALL {
                if let Err(e) = queue_next_state(from, step) {
                    assert_eq!(e.message(Lang::ZhCn), e.to_string());
                    assert_english(&e.to_string(), &e.message(Lang::En));
                }
            }
        }
        let actions = crate::mediation::one_of_each_action();
        let mut illegal = 0;
        for from in CaseState::ALL {
            for action in &actions {
                if let Err(e) = case_next_state(from, action) {
                    illegal += 1;
                    assert_eq!(e.message(Lang::ZhCn), e.to_string());
                    assert_english(&e.to_string(), &e.message(Lang::En));
                }
            }
        }
        assert!(illegal > 50);

        // form fields, as the real checks report them
        let mut fields: Vec<FieldError> = Vec::new();
        for phone in ["", "1381234567", "+1 13812345678"] {
            fields.push(MobilePhone::parse(phone).unwrap_err());
        }
        for name in ["", "张三3", "张\u{7}三", &"张".repeat(31)] {
            fields.push(PersonName::parse(name).unwrap_err());
        }
        for code in ["7K3QX-9MPA", "7K3QO-9MPA2", "7K3QX_9MPA2", "7K3QX-9MPA22"] {
            fields.push(BookingCode::parse(code).unwrap_err());
            fields.push(CaseCode::parse(code).unwrap_err());
        }
        fields.push(Account::parse(&"字".repeat(501)).unwrap_err());
        fields.push(Account::parse("a\u{0}b").unwrap_err());
        fields.push(Account::try_from(" ".to_string()).unwrap_err());
        fields.push(check_consent(false).unwrap_err());
        fields.push(check_youth(true, false).unwrap_err());
        fields.push(parse_topic(ServiceCode::Psychology, "labour").unwrap_err());
        fields.extend(
            ResidentForm::default()
                .check(ServiceCode::Notary, true)
                .unwrap_err(),
        );
        fields.extend(MediationForm::default().field_errors());
        let mediation = MediationForm {
            applicant_name: "李梅".into(),
            applicant_phone: "1381234567".into(),
            other_party_name: "王强2".into(),
            other_party_phone: Some("12345".into()),
            relation: Some("邻".repeat(21)),
            dispute_type: "ip".into(),
            account: "太短了".into(),
            location_id: Some(crate::LocationId(4)),
            consent: true,
        };
        let office = Location {
            id: LocationId(4),
            kind: LocationKind::Office,
            office_id: None,
            name: "大宁路司法所".into(),
            area: "大宁路街道".into(),
            neighbourhood: String::new(),
            address: String::new(),
            phone: None,
            services: vec![ServiceOffer {
                service: ServiceCode::Mediation,
                sessions: vec![],
            }],
        };
        let other_party = mediation.check(Some(&office)).unwrap_err();
        assert_eq!(other_party.len(), 6, "{other_party:?}");
        for e in &other_party {
            if e.field.starts_with("other_party") {
                assert!(e.en.starts_with("Other party: "), "{}", e.en);
                assert!(!e.en.contains("your"), "{}", e.en);
            }
        }
        fields.extend(other_party);
        fields.extend(
            MediationForm {
                relation: Some("邻\u{7}居".into()),
                dispute_type: "neighbour".into(),
                account: "字".repeat(1001),
                ..mediation.clone()
            }
            .check(None)
            .unwrap_err(),
        );
        fields.extend(
            MediationForm {
                account: "a\u{0}".repeat(10),
                ..mediation.clone()
            }
            .field_errors(),
        );
        for amount in ["12.345", "abc", "99999999999"] {
            fields.push(Fen::parse_yuan(amount).unwrap_err());
        }
        for action in [
            CaseAction::Refuse { reason: " ".into() },
            CaseAction::Refuse {
                reason: "理".repeat(201),
            },
            CaseAction::Conclude {
                outcome: CaseOutcome::WrittenAgreement {
                    amount: Fen(-1),
                    terms: "t".into(),
                },
            },
            CaseAction::Conclude {
                outcome: CaseOutcome::OralAgreement {
                    terms: "a\u{0}b".into(),
                },
            },
            CaseAction::Conclude {
                outcome: CaseOutcome::Failed { reason: "".into() },
            },
            CaseAction::FollowUp {
                kept: false,
                note: "记".repeat(501),
            },
        ] {
            fields.push(action.checked().unwrap_err());
        }
        for (from, to) in [
            ("2026-13-01", "2026-12-31"),
            ("2026-01-01", "2026-1-1x"),
            ("2026-03-01", "2026-02-01"),
            ("2000-01-01", "2026-01-01"),
        ] {
            fields.push(Period::parse(from, to).unwrap_err());
        }
        fields.push(Scope::parse("全区").unwrap_err());
        fields.push(Ledger::parse("cases").unwrap_err());
        fields.push(crate::staff::Username::parse("ab").unwrap_err());
        for password in ["short", &"p".repeat(129), "wangfang", "aaaaaaaaaa"] {
            fields.push(crate::staff::check_new_password("wangfang", password).unwrap_err());
        }
        assert!(fields.len() > 60, "{}", fields.len());
        for f in &fields {
            assert_eq!(f.message_in(Lang::ZhCn), f.message);
            assert_eq!(f.message_in(Lang::En), f.en);
            assert_english(&f.message, &f.en);
        }
        // the API's JSON is unchanged: field and the Chinese message only
        assert_eq!(
            serde_json::to_value(&fields[0]).unwrap(),
            serde_json::json!({
                "field": "phone",
                "message": "请填写11位手机号码，例如 13812345678"
            })
        );
        assert_eq!(
            fields[0].message_in(Lang::En),
            "Enter your mobile number (11 digits starting with 1, for example 13812345678)"
        );
    }
}

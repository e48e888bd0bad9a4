//! Proving a phone is the resident's: a 6-digit one-time code sent by SMS. Pure rules: what a
//! code looks like, how one is drawn from the caller's random source, whether another code may
//! be sent to a phone now (and if not, when: the answer of a 429), how a typed code is
//! checked against the stored challenge, and the text of the message.
//!
//! The store keeps, per phone, the instants at which codes were issued (for the caps) and one
//! live [`Challenge`]: the latest code, which replaces any earlier one. Times are passed in.

use crate::booking::FieldError;
use crate::Lang;
use chrono::{DateTime, Duration, Utc};
use rand_core::RngCore;
use std::fmt;

/// The API and form field the code is typed into.
pub const FIELD: &str = "phone_code";

/// Digits in a code: 10^6 codes, against 5 tries per code.
pub const CODE_DIGITS: usize = 6;

/// A one-time code: exactly 6 ASCII digits (leading zeros kept: `012345` is a code).
///
/// `Debug` hides the digits so that a code never ends up in a log by accident; `Display`
/// and [`as_str`](Self::as_str) give them, for the message and the demo page.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PhoneCode([u8; CODE_DIGITS]);

impl PhoneCode {
    /// A fresh code, uniform over `000000..=999999` (rejection sampling: 32-bit draws at or
    /// above the largest multiple of 10^6 are thrown away, so no code is likelier than another).
    pub fn generate(rng: &mut impl RngCore) -> Self {
        const RANGE: u32 = 1_000_000;
        const LIMIT: u32 = u32::MAX - u32::MAX % RANGE;
        let mut n = rng.next_u32();
        while n >= LIMIT {
            n = rng.next_u32();
        }
        let mut n = n % RANGE;
        let mut code = [b'0'; CODE_DIGITS];
        for d in code.iter_mut().rev() {
            *d = b'0' + (n % 10) as u8;
            n /= 10;
        }
        PhoneCode(code)
    }

    /// Reads a code as a resident types it: spaces and dashes are ignored, full-width digits
    /// (a Chinese input method's `１２３４５６`) are fine. Anything else, or not exactly 6
    /// digits, is a [`FieldError`] on field `phone_code`.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let mut code = [0u8; CODE_DIGITS];
        let mut n = 0;
        let mut any = false;
        for c in text.chars() {
            let c = match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '\u{3000}' => ' ',
                _ => c,
            };
            if c.is_whitespace() || c == '-' {
                continue;
            }
            any = true;
            if !c.is_ascii_digit() || n == CODE_DIGITS {
                return Err(wrong_shape());
            }
            code[n] = c as u8;
            n += 1;
        }
        if !any {
            return Err(FieldError::new(
                FIELD,
                "请填写短信验证码",
                "Enter the code from the text message",
            ));
        }
        if n != CODE_DIGITS {
            return Err(wrong_shape());
        }
        Ok(PhoneCode(code))
    }

    /// The 6 digits.
    pub fn as_str(&self) -> &str {
        // only ASCII digits are ever stored
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The 6 digits as bytes: what a plain stored [`Challenge::secret`] holds.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

fn wrong_shape() -> FieldError {
    FieldError::new(
        FIELD,
        "验证码是 6 位数字，请对照短信重新输入",
        "The code is 6 digits; please check the text message and type it again",
    )
}

impl fmt::Display for PhoneCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for PhoneCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PhoneCode(******)")
    }
}

impl std::str::FromStr for PhoneCode {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        Self::parse(s)
    }
}

/// Whether two byte strings are equal, taking the same time whatever bytes differ (every byte
/// is looked at; only the lengths, which are not secret, end it early).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a
        .iter()
        .zip(b)
        .fold(0u8, |acc, (x, y)| acc | std::hint::black_box(x ^ y));
    std::hint::black_box(diff) == 0
}

// ---- policy -------------------------------------------------------------------------------

/// How codes are handed out and checked. Configurable (the server reads it from the
/// environment); [`Default`] is what the issue asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyPolicy {
    /// How long a code is good for: valid while `now < issued_at + ttl`.
    pub ttl: Duration,
    /// Wrong guesses a code allows; after that it is locked and a new code is needed.
    pub max_tries: u32,
    /// Codes one phone may get in any 60 minutes.
    pub per_hour: u32,
    /// Codes one phone may get in any 24 hours.
    pub per_day: u32,
}

impl Default for VerifyPolicy {
    /// 5 minutes, 5 tries, 5 codes an hour, 10 a day.
    fn default() -> Self {
        VerifyPolicy {
            ttl: Duration::minutes(5),
            max_tries: 5,
            per_hour: 5,
            per_day: 10,
        }
    }
}

// ---- issuing ------------------------------------------------------------------------------

/// Which cap stopped a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    PerHour,
    PerDay,
}

/// No code now: the phone has had its share. The REST answer is 429 with `Retry-After:`
/// [`retry_after_secs`](Self::retry_after_secs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("这个手机号获取验证码次数过多，请 {} 分钟后再试", whole_minutes(.retry_after))]
pub struct TooManyCodes {
    /// The cap that holds out longest (the day's when both are reached).
    pub cap: Cap,
    /// The first instant another code may be issued.
    pub retry_at: DateTime<Utc>,
    /// `retry_at - now`: always positive.
    pub retry_after: Duration,
}

impl TooManyCodes {
    /// Whole seconds to wait, rounded up so that a client that waits exactly this long is
    /// let through (the `Retry-After` header).
    pub fn retry_after_secs(&self) -> u64 {
        let ms = self.retry_after.num_milliseconds().max(0) as u64;
        ms.div_ceil(1000)
    }

    /// The message in `lang`: the Chinese text is the `Display` one.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => self.to_string(),
            Lang::En => {
                let m = whole_minutes(&self.retry_after);
                format!(
                    "This mobile number has asked for too many codes. Please try again in {m} {}",
                    if m == 1 { "minute" } else { "minutes" }
                )
            }
        }
    }
}

/// A duration in whole minutes, rounded up, at least 1.
fn whole_minutes(d: &Duration) -> i64 {
    let s = d.num_seconds() + i64::from(d.subsec_nanos() > 0);
    ((s + 59) / 60).max(1)
}

/// Whether another code may be sent to a phone at `now`, given the instants at which codes
/// were already issued to it (any order, any age: older ones are ignored).
///
/// Both windows roll and are exact: the hour is the 60 minutes before `now` (a code issued at
/// exactly `now - 1h` no longer counts), the day the 24 hours before `now`. The day is a
/// rolling 24 hours rather than the Asia/Shanghai calendar day because a calendar day resets at
/// midnight, so a phone could be sent 10 codes just before midnight and 10 just after; the
/// rolling window never allows more than `per_day` in any 24 hours, needs no time zone, and
/// gives the same kind of exact retry-after as the hour. Instants after `now` (a clock a
/// little ahead on another server) count as inside both windows.
///
/// When refused, `retry_at` is the first instant at which both windows have room again: the
/// instant the oldest code that keeps a window full leaves it. A cap of 0 allows no code;
/// its window's length is then given as the wait.
pub fn may_issue(
    issued: &[DateTime<Utc>],
    now: DateTime<Utc>,
    policy: &VerifyPolicy,
) -> Result<(), TooManyCodes> {
    let mut recent: Vec<DateTime<Utc>> = issued
        .iter()
        .copied()
        .filter(|t| *t > now - Duration::hours(24))
        .collect();
    // newest first
    recent.sort_unstable_by(|a, b| b.cmp(a));
    let free_at = |cap: u32, window: Duration| -> Option<DateTime<Utc>> {
        let in_window: Vec<DateTime<Utc>> = recent
            .iter()
            .copied()
            .filter(|t| *t > now - window)
            .collect();
        if (in_window.len() as u64) < u64::from(cap) {
            return None;
        }
        // the window has room again once its `cap`-th newest code has left it
        Some(match cap {
            0 => now + window,
            _ => in_window[cap as usize - 1] + window,
        })
    };
    let hour = free_at(policy.per_hour, Duration::hours(1)).map(|t| (Cap::PerHour, t));
    let day = free_at(policy.per_day, Duration::hours(24)).map(|t| (Cap::PerDay, t));
    let worst = match (hour, day) {
        (Some(h), Some(d)) => Some(if d.1 >= h.1 { d } else { h }),
        (h, d) => h.or(d),
    };
    match worst {
        None => Ok(()),
        Some((cap, retry_at)) => Err(TooManyCodes {
            cap,
            retry_at,
            retry_after: retry_at - now,
        }),
    }
}

// ---- checking -----------------------------------------------------------------------------

/// The live code of a phone, as stored.
///
/// `secret` is whatever the store keeps of the code: the 6 digits themselves
/// ([`PhoneCode::as_bytes`]), or a keyed hash of them (an unkeyed hash of a 6-digit code is
/// no protection: all 10^6 are hashed in a blink). The guess given to [`check`] must be in the
/// same form.
#[derive(Clone, PartialEq, Eq)]
pub struct Challenge {
    pub secret: Vec<u8>,
    pub issued_at: DateTime<Utc>,
    /// Wrong guesses so far.
    pub tries: u32,
}

impl fmt::Debug for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Challenge")
            .field("secret", &"…")
            .field("issued_at", &self.issued_at)
            .field("tries", &self.tries)
            .finish()
    }
}

impl Challenge {
    /// A new challenge for a code stored as is.
    pub fn plain(code: &PhoneCode, issued_at: DateTime<Utc>) -> Self {
        Challenge {
            secret: code.as_bytes().to_vec(),
            issued_at,
            tries: 0,
        }
    }

    /// When the code stops being accepted (it is refused at exactly this instant).
    pub fn expires_at(&self, policy: &VerifyPolicy) -> DateTime<Utc> {
        self.issued_at + policy.ttl
    }
}

/// What a typed code comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckOutcome {
    /// Right, in time, with tries left. The store deletes the challenge (a code is used once).
    Verified,
    /// Not the code. The store adds 1 to `tries`; at 0 tries left the code is now locked.
    Wrong { tries_left: u32 },
    /// Older than the policy's ttl. The guess was not compared.
    Expired,
    /// Locked by earlier wrong guesses. The guess was not compared, so guessing on after the
    /// last try tells nothing.
    TooManyTries,
}

impl CheckOutcome {
    /// Whether the store must count a wrong try.
    pub fn counts_a_try(&self) -> bool {
        matches!(self, CheckOutcome::Wrong { .. })
    }

    /// The 422 on field `phone_code` to answer with; `None` when verified.
    pub fn field_error(&self) -> Option<FieldError> {
        Some(match *self {
            CheckOutcome::Verified => return None,
            CheckOutcome::Wrong { tries_left: 0 } | CheckOutcome::TooManyTries => FieldError::new(
                FIELD,
                "验证码输错次数过多，请重新获取验证码",
                "Too many wrong codes; please ask for a new code",
            ),
            CheckOutcome::Wrong { tries_left } => FieldError::new(
                FIELD,
                format!("验证码不正确，还可以再试 {tries_left} 次"),
                format!(
                    "That code is not right; you can try {tries_left} more {}",
                    if tries_left == 1 { "time" } else { "times" }
                ),
            ),
            CheckOutcome::Expired => FieldError::new(
                FIELD,
                "验证码已过期，请重新获取验证码",
                "The code has expired; please ask for a new code",
            ),
        })
    }
}

/// The 422 when a code is needed but the phone has no live challenge (none asked for, or
/// already used).
pub fn no_code_error() -> FieldError {
    FieldError::new(
        FIELD,
        "请先获取短信验证码",
        "Please ask for a code by text message first",
    )
}

/// Checks a guess (in the form of [`Challenge::secret`]) against the phone's challenge at
/// `now`. Order: a locked code stays locked, then an expired one is refused (at exactly
/// `issued_at + ttl` it has expired), and only then is the guess compared, in constant time.
/// A typed code of the wrong shape never gets here ([`PhoneCode::parse`] refuses it), so it
/// costs no try.
pub fn check(
    challenge: &Challenge,
    guess: &[u8],
    now: DateTime<Utc>,
    policy: &VerifyPolicy,
) -> CheckOutcome {
    if challenge.tries >= policy.max_tries {
        return CheckOutcome::TooManyTries;
    }
    if now >= challenge.expires_at(policy) {
        return CheckOutcome::Expired;
    }
    if constant_time_eq(&challenge.secret, guess) {
        CheckOutcome::Verified
    } else {
        CheckOutcome::Wrong {
            tries_left: policy.max_tries - challenge.tries - 1,
        }
    }
}

/// [`check`] for a challenge stored as plain digits.
pub fn check_code(
    challenge: &Challenge,
    guess: &PhoneCode,
    now: DateTime<Utc>,
    policy: &VerifyPolicy,
) -> CheckOutcome {
    check(challenge, guess.as_bytes(), now, policy)
}

// ---- the message --------------------------------------------------------------------------

/// The SMS carrying a code, in the resident's language. It names the portal only, never a
/// service or place (so never psychology: whoever sees the phone learns nothing about why),
/// and says how long the code lasts and not to pass it on.
pub fn sms_text(code: &PhoneCode, policy: &VerifyPolicy, lang: Lang) -> String {
    let minutes = whole_minutes(&policy.ttl);
    match lang {
        Lang::ZhCn => format!(
            "【区公共法律服务】您的验证码是 {code}，{minutes} 分钟内有效。请勿告诉他人，工作人员不会向您索要验证码。"
        ),
        Lang::En => format!(
            "[District Public Legal Services] Your code is {code}. It is valid for {minutes} \
             {}. Do not share it with anyone; our staff will never ask for it.",
            if minutes == 1 { "minute" } else { "minutes" }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// 10:00 Shanghai on 3 March 2026, the test clock's start.
    fn t0() -> DateTime<Utc> {
        t("2026-03-03T10:00:00+08:00")
    }

    fn mins(m: i64) -> Duration {
        Duration::minutes(m)
    }

    /// Hands out the given 32-bit words in turn.
    struct Scripted(Vec<u32>);
    impl RngCore for Scripted {
        fn next_u32(&mut self) -> u32 {
            self.0.remove(0)
        }
        fn next_u64(&mut self) -> u64 {
            u64::from(self.next_u32())
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            rand_core::impls::fill_bytes_via_next(self, dest)
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }

    #[test]
    fn generate_is_six_digits_with_leading_zeros_and_rejects_the_biased_tail() {
        assert_eq!(
            PhoneCode::generate(&mut Scripted(vec![42])).as_str(),
            "000042"
        );
        assert_eq!(
            PhoneCode::generate(&mut Scripted(vec![1_999_999])).as_str(),
            "999999"
        );
        // u32::MAX and the values just above the last whole multiple of 10^6 are redrawn
        let limit = u32::MAX - u32::MAX % 1_000_000;
        let code = PhoneCode::generate(&mut Scripted(vec![u32::MAX, limit, 123_456]));
        assert_eq!(code.as_str(), "123456");
        assert_eq!(
            PhoneCode::generate(&mut Scripted(vec![limit - 1])).as_str(),
            "999999"
        );
        use rand::SeedableRng;
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let c = PhoneCode::generate(&mut rng);
            assert_eq!(c.as_str().len(), 6);
            assert!(c.as_str().bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(PhoneCode::parse(c.as_str()).unwrap(), c);
            seen.insert(c);
        }
        assert!(seen.len() > 190);
    }

    #[test]
    fn parse_accepts_what_people_type_and_refuses_the_rest_on_field_phone_code() {
        for ok in [
            "012345",
            " 012 345 ",
            "012-345",
            "０１２３４５",
            "０１２\u{3000}３４５",
        ] {
            assert_eq!(PhoneCode::parse(ok).unwrap().as_str(), "012345", "{ok}");
        }
        assert_eq!("987654".parse::<PhoneCode>().unwrap().to_string(), "987654");
        for bad in [
            "",
            "   ",
            "12345",
            "1234567",
            "12345a",
            "abcdef",
            "12 34 5",
            "١٢٣٤٥٦",
            "12.3456",
        ] {
            let e = PhoneCode::parse(bad).unwrap_err();
            assert_eq!(e.field, "phone_code", "{bad:?}");
            assert!(!e.message.is_empty() && !e.en.is_empty());
        }
        assert_eq!(
            PhoneCode::parse("").unwrap_err().message,
            "请填写短信验证码"
        );
        assert!(PhoneCode::parse("12345")
            .unwrap_err()
            .message
            .contains("6 位数字"));
        assert_eq!(
            PhoneCode::parse("12345").unwrap_err().message_in(Lang::En),
            "The code is 6 digits; please check the text message and type it again"
        );
        // never logged by accident
        let code = PhoneCode::parse("424242").unwrap();
        assert!(!format!("{code:?}").contains("4242"));
        let ch = Challenge::plain(&code, t0());
        assert!(!format!("{ch:?}").contains("4242"));
    }

    #[test]
    fn constant_time_eq_compares_whole_strings() {
        assert!(constant_time_eq(b"123456", b"123456"));
        assert!(!constant_time_eq(b"123456", b"123457"));
        assert!(!constant_time_eq(b"123456", b"023456"));
        assert!(!constant_time_eq(b"123456", b"12345"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn default_policy() {
        let p = VerifyPolicy::default();
        assert_eq!(p.ttl, mins(5));
        assert_eq!((p.max_tries, p.per_hour, p.per_day), (5, 5, 10));
    }

    #[test]
    fn code_expires_at_exactly_the_edge() {
        let p = VerifyPolicy::default();
        let code = PhoneCode::parse("123456").unwrap();
        let ch = Challenge::plain(&code, t0());
        assert_eq!(ch.expires_at(&p), t0() + mins(5));
        assert_eq!(check_code(&ch, &code, t0(), &p), CheckOutcome::Verified);
        let last = t0() + mins(5) - Duration::milliseconds(1);
        assert_eq!(check_code(&ch, &code, last, &p), CheckOutcome::Verified);
        assert_eq!(
            check_code(&ch, &code, t0() + mins(5), &p),
            CheckOutcome::Expired
        );
        assert_eq!(
            check_code(&ch, &code, t0() + mins(60), &p),
            CheckOutcome::Expired
        );
        // expired codes are not compared: a wrong guess is not counted either
        let wrong = PhoneCode::parse("654321").unwrap();
        let out = check_code(&ch, &wrong, t0() + mins(5), &p);
        assert_eq!(out, CheckOutcome::Expired);
        assert!(!out.counts_a_try());
        // another ttl
        let long = VerifyPolicy { ttl: mins(10), ..p };
        assert_eq!(
            check_code(&ch, &code, t0() + mins(5), &long),
            CheckOutcome::Verified
        );
        let e = CheckOutcome::Expired.field_error().unwrap();
        assert_eq!(e.field, "phone_code");
        assert!(e.message.contains("过期"));
    }

    #[test]
    fn tries_count_down_and_then_lock() {
        let p = VerifyPolicy::default();
        let code = PhoneCode::parse("123456").unwrap();
        let wrong = PhoneCode::parse("000000").unwrap();
        let mut ch = Challenge::plain(&code, t0());
        let now = t0() + mins(1);
        let mut lefts = Vec::new();
        loop {
            match check_code(&ch, &wrong, now, &p) {
                out @ CheckOutcome::Wrong { tries_left } => {
                    assert!(out.counts_a_try());
                    lefts.push(tries_left);
                    ch.tries += 1;
                }
                CheckOutcome::TooManyTries => break,
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(lefts, [4, 3, 2, 1, 0]);
        assert_eq!(ch.tries, 5);
        // locked: even the right code is refused now, and nothing more is counted
        let out = check_code(&ch, &code, now, &p);
        assert_eq!(out, CheckOutcome::TooManyTries);
        assert!(!out.counts_a_try());
        // a locked code stays locked once it has also expired
        assert_eq!(
            check_code(&ch, &code, t0() + mins(6), &p),
            CheckOutcome::TooManyTries
        );
        // the right code on the last try still works
        let ch4 = Challenge {
            tries: 4,
            ..ch.clone()
        };
        assert_eq!(check_code(&ch4, &code, now, &p), CheckOutcome::Verified);
        // messages
        let e = CheckOutcome::Wrong { tries_left: 3 }.field_error().unwrap();
        assert_eq!(e.field, "phone_code");
        assert_eq!(e.message, "验证码不正确，还可以再试 3 次");
        assert_eq!(e.en, "That code is not right; you can try 3 more times");
        assert_eq!(
            CheckOutcome::Wrong { tries_left: 1 }
                .field_error()
                .unwrap()
                .en,
            "That code is not right; you can try 1 more time"
        );
        assert_eq!(
            CheckOutcome::Wrong { tries_left: 0 }.field_error(),
            CheckOutcome::TooManyTries.field_error()
        );
        assert_eq!(CheckOutcome::Verified.field_error(), None);
        assert_eq!(no_code_error().field, "phone_code");
    }

    #[test]
    fn a_hashed_secret_is_checked_in_the_same_form() {
        let p = VerifyPolicy::default();
        // any keyed digest the store likes; here a toy one
        let digest = |c: &PhoneCode| -> Vec<u8> { c.as_bytes().iter().map(|b| b ^ 0x5a).collect() };
        let code = PhoneCode::parse("314159").unwrap();
        let ch = Challenge {
            secret: digest(&code),
            issued_at: t0(),
            tries: 0,
        };
        assert_eq!(check(&ch, &digest(&code), t0(), &p), CheckOutcome::Verified);
        // the plain digits are not the stored form
        assert!(check_code(&ch, &code, t0(), &p).counts_a_try());
    }

    #[test]
    fn hourly_cap_with_exact_retry_after() {
        let p = VerifyPolicy::default();
        // codes at 10:00, 10:10, 10:20, 10:30, 10:40
        let issued: Vec<_> = (0..5).map(|i| t0() + mins(10 * i)).collect();
        assert!(may_issue(&issued[..4], t0() + mins(41), &p).is_ok());
        let e = may_issue(&issued, t0() + mins(41), &p).unwrap_err();
        assert_eq!(e.cap, Cap::PerHour);
        // the 10:00 code leaves the hour at 11:00
        assert_eq!(e.retry_at, t0() + mins(60));
        assert_eq!(e.retry_after, mins(19));
        assert_eq!(e.retry_after_secs(), 19 * 60);
        assert_eq!(
            e.to_string(),
            "这个手机号获取验证码次数过多，请 19 分钟后再试"
        );
        assert_eq!(
            e.message(Lang::En),
            "This mobile number has asked for too many codes. Please try again in 19 minutes"
        );
        // one millisecond before the edge: still refused, and the wait rounds up
        let just = t0() + mins(60) - Duration::milliseconds(1);
        let e = may_issue(&issued, just, &p).unwrap_err();
        assert_eq!(e.retry_after_secs(), 1);
        assert!(e.message(Lang::En).contains("in 1 minute"));
        // at the edge the 10:00 code no longer counts
        assert!(may_issue(&issued, t0() + mins(60), &p).is_ok());
        // order of the input does not matter
        let mut shuffled = issued.clone();
        shuffled.reverse();
        shuffled.swap(0, 2);
        assert_eq!(
            may_issue(&shuffled, t0() + mins(41), &p)
                .unwrap_err()
                .retry_at,
            t0() + mins(60)
        );
        // more than the cap (a smaller cap configured later): wait for the cap-th newest
        let two = VerifyPolicy { per_hour: 2, ..p };
        let e = may_issue(&issued, t0() + mins(41), &two).unwrap_err();
        assert_eq!(e.retry_at, t0() + mins(30 + 60));
        // a cap of 0 allows nothing
        let none = VerifyPolicy { per_hour: 0, ..p };
        let e = may_issue(&[], t0(), &none).unwrap_err();
        assert_eq!((e.cap, e.retry_after), (Cap::PerHour, mins(60)));
    }

    #[test]
    fn daily_cap_is_a_rolling_24_hours() {
        let p = VerifyPolicy::default();
        // 5 codes in the 09:00 hour and 5 in the 14:00 hour (Shanghai)
        let morning: Vec<_> = (0..5)
            .map(|i| t("2026-03-03T09:00:00+08:00") + mins(i))
            .collect();
        let afternoon: Vec<_> = (0..5)
            .map(|i| t("2026-03-03T14:00:00+08:00") + mins(i))
            .collect();
        let issued: Vec<_> = morning.iter().chain(&afternoon).copied().collect();
        let now = t("2026-03-03T20:00:00+08:00");
        let e = may_issue(&issued, now, &p).unwrap_err();
        assert_eq!(e.cap, Cap::PerDay);
        // the 10th newest, 09:00, leaves the day at 09:00 tomorrow: after Shanghai midnight
        assert_eq!(e.retry_at, t("2026-03-04T09:00:00+08:00"));
        assert_eq!(e.retry_after, Duration::hours(13));
        assert_eq!(e.retry_after_secs(), 13 * 3600);
        assert!(e.to_string().contains("780 分钟"));
        assert!(may_issue(&issued, t("2026-03-04T00:30:00+08:00"), &p).is_err());
        assert!(may_issue(&issued, t("2026-03-04T08:59:59+08:00"), &p).is_err());
        assert!(may_issue(&issued, t("2026-03-04T09:00:00+08:00"), &p).is_ok());
        // with both caps reached the longer wait wins
        let burst: Vec<_> = (0..10).map(|i| t0() + mins(i)).collect();
        let e = may_issue(&burst, t0() + mins(10), &p).unwrap_err();
        assert_eq!(e.cap, Cap::PerDay);
        assert_eq!(e.retry_at, t0() + Duration::hours(24));
        // a clock a little ahead elsewhere: a code stamped after now still counts
        let ahead = [t0() + mins(1)];
        let one = VerifyPolicy { per_hour: 1, ..p };
        assert_eq!(
            may_issue(&ahead, t0(), &one).unwrap_err().retry_at,
            t0() + mins(61)
        );
    }

    #[test]
    fn the_text_names_no_service() {
        let p = VerifyPolicy::default();
        let code = PhoneCode::parse("012345").unwrap();
        let zh = sms_text(&code, &p, Lang::ZhCn);
        assert_eq!(
            zh,
            "【区公共法律服务】您的验证码是 012345，5 分钟内有效。请勿告诉他人，工作人员不会向您索要验证码。"
        );
        let en = sms_text(&code, &p, Lang::En);
        assert!(en.contains("012345") && en.contains("5 minutes"), "{en}");
        for text in [&zh, &en] {
            let lower = text.to_lowercase();
            for word in [
                "心理",
                "咨询",
                "调解",
                "公证",
                "psycholog",
                "counsel",
                "mediation",
            ] {
                assert!(!lower.contains(word), "{word} in {text}");
            }
        }
        for service in crate::ServiceCode::ALL {
            assert!(!zh.contains(service.code()) && !en.contains(service.code()));
        }
    }

    #[test]
    fn every_message_has_an_english_text() {
        let mut fields: Vec<FieldError> = ["", "1", "abcdefg"]
            .iter()
            .map(|s| PhoneCode::parse(s).unwrap_err())
            .collect();
        for out in [
            CheckOutcome::Wrong { tries_left: 2 },
            CheckOutcome::Wrong { tries_left: 0 },
            CheckOutcome::Expired,
            CheckOutcome::TooManyTries,
        ] {
            fields.push(out.field_error().unwrap());
        }
        fields.push(no_code_error());
        for f in &fields {
            assert_eq!(f.field, FIELD);
            assert!(!f.en.is_empty() && f.en.is_ascii(), "{}", f.en);
            assert_ne!(f.message, f.en);
        }
        let e = may_issue(
            &[t0()],
            t0(),
            &VerifyPolicy {
                per_hour: 1,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.message(Lang::ZhCn), e.to_string());
        assert!(e.message(Lang::En).is_ascii());
    }
}

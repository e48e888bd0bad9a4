//! Ratings (好差评) of finished services and the follow-up (回访/整改) of every poor one.
//! Pure rules: the five levels and the reasons (codes are an API and database contract),
//! checking what a resident sends, who may rate what and when, the follow-up's deadline and
//! states, the statistics arithmetic and who may see a rating.
//!
//! A follow-up's life:
//!
//! ```text
//! Open ──call (what the resident said)──▶ Called ──close (what was changed)──▶ Closed
//! ```
//!
//! One deadline covers the whole follow-up: it must be closed by the end of the third working
//! day after the rating ([`follow_up_due`]). Every step is recorded (and audited) by the
//! caller; a resident who cannot be reached is recorded as the call ("三次未接通").

use crate::booking::{BookingState, FieldError};
use crate::calendar::HolidayCalendar;
use crate::mediation::CaseState;
use crate::queue::QueueState;
use crate::slots::{local_date, TIME_ZONE};
use crate::staff::{Role, StaffAccount};
use crate::stats::Ratio;
use crate::{Lang, Location, LocationId, ServiceCode};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Days after the service in which it may be rated.
pub const RATING_DAYS: i64 = 7;

/// Working days after the rating in which a poor rating's follow-up must be closed.
pub const FOLLOW_UP_WORKING_DAYS: u32 = 3;

/// Longest comment a resident may add to a rating.
pub const COMMENT_MAX_CHARS: usize = 200;

/// Longest note staff may record at a follow-up step.
pub const NOTE_MAX_CHARS: usize = 500;

// ---- levels and reasons -------------------------------------------------------------------

/// How satisfied the resident was. Codes are an API and database contract: never rename them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    VerySatisfied,
    Satisfied,
    Basic,
    Dissatisfied,
    VeryDissatisfied,
}

impl Level {
    /// Best first, as the form shows them.
    pub const ALL: [Level; 5] = [
        Level::VerySatisfied,
        Level::Satisfied,
        Level::Basic,
        Level::Dissatisfied,
        Level::VeryDissatisfied,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Level::VerySatisfied => "very_satisfied",
            Level::Satisfied => "satisfied",
            Level::Basic => "basic",
            Level::Dissatisfied => "dissatisfied",
            Level::VeryDissatisfied => "very_dissatisfied",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim();
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            Level::VerySatisfied => "非常满意",
            Level::Satisfied => "满意",
            Level::Basic => "基本满意",
            Level::Dissatisfied => "不满意",
            Level::VeryDissatisfied => "非常不满意",
        }
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            Level::VerySatisfied => "Very satisfied",
            Level::Satisfied => "Satisfied",
            Level::Basic => "Fairly satisfied",
            Level::Dissatisfied => "Dissatisfied",
            Level::VeryDissatisfied => "Very dissatisfied",
        }
    }

    pub const fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => self.label_zh(),
            Lang::En => self.label_en(),
        }
    }

    /// 好评: 非常满意, 满意 or 基本满意 (the numerator of the satisfaction rate).
    pub const fn is_good(self) -> bool {
        matches!(self, Level::VerySatisfied | Level::Satisfied | Level::Basic)
    }

    /// 差评: 不满意 or 非常不满意. Needs a reason and opens a follow-up.
    pub const fn is_poor(self) -> bool {
        !self.is_good()
    }

    /// Position in [`Level::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What went wrong, for a poor rating. Codes are an API and database contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Attitude,
    WaitingTime,
    UnclearAnswer,
    Outcome,
    Environment,
    Other,
}

impl Reason {
    /// In the order the form shows them.
    pub const ALL: [Reason; 6] = [
        Reason::Attitude,
        Reason::WaitingTime,
        Reason::UnclearAnswer,
        Reason::Outcome,
        Reason::Environment,
        Reason::Other,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Reason::Attitude => "attitude",
            Reason::WaitingTime => "waiting_time",
            Reason::UnclearAnswer => "unclear_answer",
            Reason::Outcome => "outcome",
            Reason::Environment => "environment",
            Reason::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim();
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            Reason::Attitude => "服务态度",
            Reason::WaitingTime => "等候时间",
            Reason::UnclearAnswer => "解答不清楚",
            Reason::Outcome => "处理结果",
            Reason::Environment => "环境设施",
            Reason::Other => "其他",
        }
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            Reason::Attitude => "Staff attitude",
            Reason::WaitingTime => "Waiting time",
            Reason::UnclearAnswer => "Answer not clear",
            Reason::Outcome => "Outcome",
            Reason::Environment => "Premises and facilities",
            Reason::Other => "Other",
        }
    }

    pub const fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => self.label_zh(),
            Lang::En => self.label_en(),
        }
    }

    /// Position in [`Reason::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

// ---- free text ----------------------------------------------------------------------------

/// Trimmed text of at most `max` characters; line breaks and tabs kept, other control
/// characters refused (as [`crate::booking::Account`] does). `Ok(None)` when empty.
fn checked_text(
    text: &str,
    max: usize,
    field: &'static str,
    (noun_zh, noun_en): (&str, &str),
) -> Result<Option<String>, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let n = text.chars().count();
    if n > max {
        return Err(FieldError::new(
            field,
            format!("{noun_zh}最多 {max} 个字，现在是 {n} 个字，请简要说明"),
            format!(
                "The {noun_en} can be at most {max} characters and now has {n}; please shorten it"
            ),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(FieldError::new(
            field,
            format!("{noun_zh}里有无法显示的字符，请重新输入"),
            format!("The {noun_en} contains characters that cannot be shown; please type it again"),
        ));
    }
    Ok(Some(text.to_string()))
}

/// A resident's comment on a rating: 1–[`COMMENT_MAX_CHARS`] characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Comment(String);

impl Comment {
    /// `Ok(None)` when nothing (or only spaces) was written; errors on field `comment`.
    pub fn parse(text: &str) -> Result<Option<Self>, FieldError> {
        Ok(checked_text(text, COMMENT_MAX_CHARS, "comment", ("评价内容", "comment"))?.map(Comment))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Comment {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        Self::parse(&s)?.ok_or_else(|| {
            FieldError::new("comment", "评价内容不能为空", "The comment cannot be empty")
        })
    }
}

impl From<Comment> for String {
    fn from(c: Comment) -> String {
        c.0
    }
}

/// What staff record at a follow-up step: 1–[`NOTE_MAX_CHARS`] characters, required.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Note(String);

impl Note {
    /// `said` (what the resident said on the call back) or `changed` (what the place changed).
    pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
        let (zh, en) = match field {
            "said" => ("回访情况", "note of the call"),
            "changed" => ("整改情况", "note of what was changed"),
            _ => ("记录", "note"),
        };
        checked_text(text, NOTE_MAX_CHARS, field, (zh, en))?
            .map(Note)
            .ok_or_else(|| FieldError::new(field, format!("请填写{zh}"), format!("Enter the {en}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Note {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        Self::parse("note", &s)
    }
}

impl From<Note> for String {
    fn from(n: Note) -> String {
        n.0
    }
}

// ---- the form -----------------------------------------------------------------------------

/// What a resident sends, as typed (codes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingForm {
    pub level: String,
    #[serde(default)]
    pub reasons: Vec<String>,
    #[serde(default)]
    pub comment: Option<String>,
}

/// A checked rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub level: Level,
    /// Empty for a good rating; at least one, no duplicates, in the order sent, for a poor one.
    pub reasons: Vec<Reason>,
    pub comment: Option<Comment>,
}

impl Rating {
    /// A poor rating opens a [`FollowUp`].
    pub const fn needs_follow_up(&self) -> bool {
        self.level.is_poor()
    }
}

impl RatingForm {
    /// Checks every field and reports every problem (`level`, `reasons`, `comment`):
    /// - the level must be one of the five codes;
    /// - reasons must be known codes, each at most once;
    /// - a poor level needs at least one reason;
    /// - a good level keeps no reasons: reasons sent with it are dropped after the codes are
    ///   checked (the form hides the list for good levels, and a hidden box ticked earlier
    ///   must not turn "服务态度" into praise in the statistics);
    /// - the comment is optional, trimmed, at most [`COMMENT_MAX_CHARS`] characters, line
    ///   breaks and tabs kept, other control characters refused.
    pub fn check(&self) -> Result<Rating, Vec<FieldError>> {
        let mut errors = Vec::new();
        let level = Level::parse(&self.level);
        if level.is_none() {
            let labels: Vec<&str> = Level::ALL.iter().map(|l| l.label_zh()).collect();
            errors.push(FieldError::new(
                "level",
                format!("请选择满意程度：{}", labels.join("、")),
                "Choose how satisfied you were",
            ));
        }
        let mut reasons = Vec::new();
        let mut reasons_ok = true;
        for code in &self.reasons {
            match Reason::parse(code) {
                None => {
                    reasons_ok = false;
                    errors.push(FieldError::new(
                        "reasons",
                        "请从列表中选择原因",
                        "Choose the reasons from the list",
                    ));
                    break;
                }
                Some(r) if reasons.contains(&r) => {
                    reasons_ok = false;
                    errors.push(FieldError::new(
                        "reasons",
                        "同一个原因只能选择一次",
                        "Choose each reason only once",
                    ));
                    break;
                }
                Some(r) => reasons.push(r),
            }
        }
        match level {
            Some(l) if l.is_poor() && reasons_ok && reasons.is_empty() => {
                errors.push(FieldError::new(
                    "reasons",
                    "选择不满意或非常不满意时，请至少选择一个原因，以便我们改进",
                    "Please choose at least one reason, so that we can put it right",
                ))
            }
            Some(l) if l.is_good() => reasons.clear(),
            _ => {}
        }
        let comment = Comment::parse(self.comment.as_deref().unwrap_or(""))
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        match level {
            Some(level) if errors.is_empty() => Ok(Rating {
                level,
                reasons,
                comment,
            }),
            _ => Err(errors),
        }
    }
}

// ---- what may be rated, and when ----------------------------------------------------------

/// What kind of service is rated. Codes are an API and database contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatedKind {
    /// A booked visit (rated from the booking page or the SMS link).
    Booking,
    /// A walk-in visit (rated from the ticket's QR code or the counter's screen).
    WalkIn,
    /// A mediation case (rated from the case page).
    Case,
}

impl RatedKind {
    pub const ALL: [RatedKind; 3] = [RatedKind::Booking, RatedKind::WalkIn, RatedKind::Case];

    pub const fn code(self) -> &'static str {
        match self {
            RatedKind::Booking => "booking",
            RatedKind::WalkIn => "walk_in",
            RatedKind::Case => "case",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }
}

/// A service a resident may want to rate, as the store knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatedService {
    pub kind: RatedKind,
    /// The service (mediation for a case): decides who sees the rating.
    pub service: ServiceCode,
    /// Where it was given: the follow-up goes to this place's head.
    pub place: LocationId,
    /// When it finished; `None` if it has not (yet), or never happened (cancelled, did not
    /// come). Use the constructors to get this right.
    pub finished_at: Option<DateTime<Utc>>,
}

impl RatedService {
    /// A booked visit: finished once the booking is done ([`BookingState::Done`], which a
    /// visit handed over to another desk also is). `at` is when it got there.
    pub fn booking(
        service: ServiceCode,
        place: LocationId,
        state: BookingState,
        at: DateTime<Utc>,
    ) -> Self {
        RatedService {
            kind: RatedKind::Booking,
            service,
            place,
            finished_at: (state == BookingState::Done).then_some(at),
        }
    }

    /// A walk-in's queue entry: finished as a booking would be (served, or handed over).
    pub fn walk_in(
        service: ServiceCode,
        place: LocationId,
        state: QueueState,
        at: DateTime<Utc>,
    ) -> Self {
        RatedService {
            kind: RatedKind::WalkIn,
            service,
            place,
            finished_at: (state.booking_state() == BookingState::Done).then_some(at),
        }
    }

    /// A mediation case: finished once closed ([`CaseState::is_closed`]; a refused request
    /// was handled too, and its handling may be rated). `at` is when it closed.
    pub fn case(place: LocationId, state: CaseState, at: DateTime<Utc>) -> Self {
        RatedService {
            kind: RatedKind::Case,
            service: ServiceCode::Mediation,
            place,
            finished_at: state.is_closed().then_some(at),
        }
    }

    /// When the rating window ends (the first instant it is too late): [`RATING_DAYS`] × 24
    /// hours after the service finished. `None` if it has not finished.
    pub fn rate_until(&self) -> Option<DateTime<Utc>> {
        self.finished_at.map(|t| t + Duration::days(RATING_DAYS))
    }

    /// The last local day on which it may still be rated (the day of the last instant before
    /// [`rate_until`](Self::rate_until)).
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.rate_until()
            .map(|t| local_date(&(t - Duration::nanoseconds(1))))
    }
}

/// Why a service cannot be rated. The API answers 409 with the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RatingRefusal {
    #[error("这项服务还没有完成（或没有进行），完成后才能评价")]
    NotFinished,
    #[error("这项服务已经评价过了，评价提交后不能修改")]
    AlreadyRated,
    #[error("服务完成 7 天内可以评价，现在已经超过评价期限")]
    TooLate,
}

impl RatingRefusal {
    pub const fn code(self) -> &'static str {
        match self {
            RatingRefusal::NotFinished => "not_finished",
            RatingRefusal::AlreadyRated => "already_rated",
            RatingRefusal::TooLate => "too_late",
        }
    }

    /// The message in `lang`: the Chinese text is the `Display` one.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => self.to_string(),
            Lang::En => match self {
                RatingRefusal::NotFinished => {
                    "This service has not been completed (or did not take place); it can be \
                     rated once it is"
                }
                RatingRefusal::AlreadyRated => {
                    "This service has already been rated; a rating cannot be changed"
                }
                RatingRefusal::TooLate => {
                    "A service can be rated within 7 days of its completion; that time has passed"
                }
            }
            .to_string(),
        }
    }
}

/// Whether `subject` may be rated at `now`: it finished, nobody rated it yet, and `now` is
/// before [`RatedService::rate_until`] (exactly 7 × 24 hours after is too late). A rating
/// already given wins over lateness, as it is the more useful answer.
pub fn may_rate(
    subject: &RatedService,
    already_rated: bool,
    now: DateTime<Utc>,
) -> Result<(), RatingRefusal> {
    let until = subject.rate_until().ok_or(RatingRefusal::NotFinished)?;
    if already_rated {
        return Err(RatingRefusal::AlreadyRated);
    }
    if now >= until {
        return Err(RatingRefusal::TooLate);
    }
    Ok(())
}

// ---- the walk-in's rating code ------------------------------------------------------------

/// Symbols of a walk-in code's tag.
pub const WALK_IN_TAG_LEN: usize = 8;

/// What the QR code on a walk-in ticket carries: the queue entry and a tag the server
/// computes from it with its secret key, so tickets cannot be guessed from their numbers.
/// Written `W<entry>-<tag>` (e.g. `W1234-K7M2P9XQ`); a walk-in has no phone, so the code
/// alone proves the ticket was held.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WalkInCode {
    pub entry: i64,
    pub tag: String,
}

impl WalkInCode {
    /// The tag for a keyed digest of the entry: the first [`WALK_IN_TAG_LEN`] bytes, each
    /// as a symbol of the booking-code alphabet (easy to read aloud, no 0/O or 1/I/L).
    pub fn tag_of_digest(digest: &[u8]) -> String {
        use crate::booking::CODE_ALPHABET;
        digest
            .iter()
            .take(WALK_IN_TAG_LEN)
            .map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()]))
            .collect()
    }

    /// Reads a code as scanned or typed (case and surrounding spaces ignored); `None` when it
    /// is not of this shape (then it may be a booking or case code).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_uppercase();
        let rest = text.strip_prefix('W')?;
        let (entry, tag) = rest.split_once('-')?;
        if entry.is_empty() || entry.len() > 12 || !entry.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if tag.len() != WALK_IN_TAG_LEN
            || !tag
                .bytes()
                .all(|b| crate::booking::CODE_ALPHABET.contains(&b))
        {
            return None;
        }
        Some(WalkInCode {
            entry: entry.parse().ok()?,
            tag: tag.to_string(),
        })
    }
}

impl fmt::Display for WalkInCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "W{}-{}", self.entry, self.tag)
    }
}

// ---- the invitation -----------------------------------------------------------------------

/// The text inviting a resident to rate a finished visit or a closed case, with its `link`.
/// It names the place, never the service (a psychology session stays private on a shared
/// phone).
pub fn invite_text(place: &str, link: &str, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!(
            "【区公共法律服务】感谢您到{place}办理业务。请在 {RATING_DAYS} 天内对这次服务作出评价，您的意见我们都会认真对待：{link}"
        ),
        Lang::En => format!(
            "[District Public Legal Services] Thank you for visiting {place}. Please rate the \
             service within {RATING_DAYS} days; we read every answer: {link}"
        ),
    }
}

// ---- follow-up ----------------------------------------------------------------------------

/// The day a poor rating given at `rated_at` must be followed up by: the
/// [`FOLLOW_UP_WORKING_DAYS`]th working day *after* the rating's Shanghai date. The day of the
/// rating never counts (a rating at 16:55 leaves no time that day), working or not; days are
/// working days as [`HolidayCalendar::is_open`] says (weekends and public holidays skipped,
/// make-up working days counted).
pub fn follow_up_due(rated_at: DateTime<Utc>, calendar: &HolidayCalendar) -> NaiveDate {
    let mut day = local_date(&rated_at);
    let mut left = FOLLOW_UP_WORKING_DAYS;
    while left > 0 {
        day = day.succ_opt().expect("dates this near are in range");
        if calendar.is_open(day) {
            left -= 1;
        }
    }
    day
}

/// The first instant past `due`: 00:00 Shanghai on the next day.
pub fn end_of_day(due: NaiveDate) -> DateTime<Utc> {
    let next = due.succ_opt().expect("dates this near are in range");
    TIME_ZONE
        .from_local_datetime(&next.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .expect("Shanghai has every midnight")
        .with_timezone(&Utc)
}

/// The call back: when, and what the resident said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    pub at: DateTime<Utc>,
    pub said: Note,
}

/// Where a follow-up is. `code()` strings are an API and database contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum FollowUpState {
    /// Waiting for the call back.
    Open,
    /// The resident was called back (or could not be reached: the note says so).
    Called(Call),
    /// Done: what was changed (整改) is recorded.
    Closed {
        call: Call,
        closed_at: DateTime<Utc>,
        changed: Note,
    },
}

impl FollowUpState {
    pub const fn code(&self) -> &'static str {
        match self {
            FollowUpState::Open => "open",
            FollowUpState::Called(_) => "called",
            FollowUpState::Closed { .. } => "closed",
        }
    }

    pub const fn label_zh(&self) -> &'static str {
        match self {
            FollowUpState::Open => "待回访",
            FollowUpState::Called(_) => "已回访，待整改",
            FollowUpState::Closed { .. } => "已办结",
        }
    }

    pub const fn label_en(&self) -> &'static str {
        match self {
            FollowUpState::Open => "To call back",
            FollowUpState::Called(_) => "Called back, to put right",
            FollowUpState::Closed { .. } => "Closed",
        }
    }

    pub const fn is_closed(&self) -> bool {
        matches!(self, FollowUpState::Closed { .. })
    }

    /// What was recorded so far: what the resident said on the call back, and what was
    /// changed.
    pub fn notes(&self) -> (Option<&Note>, Option<&Note>) {
        match self {
            FollowUpState::Open => (None, None),
            FollowUpState::Called(c) => (Some(&c.said), None),
            FollowUpState::Closed { call, changed, .. } => (Some(&call.said), Some(changed)),
        }
    }
}

/// What can happen to a follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUpStep {
    /// The head called the resident back.
    Call { said: Note },
    /// The head records what was changed and closes the item.
    Close { changed: Note },
}

impl FollowUpStep {
    /// The step named `step` (`call` or `close`) with its note (`said` or `changed`);
    /// `Ok(None)` for another name, a missing or too long note an error on its field.
    pub fn parse(step: &str, note: &str) -> Result<Option<Self>, FieldError> {
        Ok(match step {
            "call" => Some(FollowUpStep::Call {
                said: Note::parse("said", note)?,
            }),
            "close" => Some(FollowUpStep::Close {
                changed: Note::parse("changed", note)?,
            }),
            _ => None,
        })
    }

    pub const fn code(&self) -> &'static str {
        match self {
            FollowUpStep::Call { .. } => "call",
            FollowUpStep::Close { .. } => "close",
        }
    }
}

/// Why a follow-up step is refused. The API answers 409 with the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FollowUpError {
    #[error("请先回访当事人，记录回访情况后再办结")]
    NotCalled,
    #[error("已经记录过回访情况")]
    AlreadyCalled,
    #[error("这条回访已经办结")]
    Closed,
}

impl FollowUpError {
    /// The message in `lang`: the Chinese text is the `Display` one.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => self.to_string(),
            Lang::En => match self {
                FollowUpError::NotCalled => {
                    "Call the resident back and record the call before closing"
                }
                FollowUpError::AlreadyCalled => "The call back has already been recorded",
                FollowUpError::Closed => "This follow-up is already closed",
            }
            .to_string(),
        }
    }
}

/// The follow-up of one poor rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub opened_at: DateTime<Utc>,
    /// Stored when opened ([`follow_up_due`]), so a later change of the calendar does not
    /// move a promise already made.
    pub due: NaiveDate,
    pub state: FollowUpState,
}

impl FollowUp {
    /// The follow-up a poor rating given at `rated_at` opens.
    pub fn open(rated_at: DateTime<Utc>, calendar: &HolidayCalendar) -> FollowUp {
        FollowUp {
            opened_at: rated_at,
            due: follow_up_due(rated_at, calendar),
            state: FollowUpState::Open,
        }
    }

    /// The first instant at which an unclosed item is overdue.
    pub fn deadline(&self) -> DateTime<Utc> {
        end_of_day(self.due)
    }

    /// Not closed, and the due day (Shanghai) is over at `now`.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        !self.state.is_closed() && now >= self.deadline()
    }

    /// `Some(true)` closed by the end of the due day, `Some(false)` closed later, `None` open.
    pub fn closed_on_time(&self) -> Option<bool> {
        match &self.state {
            FollowUpState::Closed { closed_at, .. } => Some(*closed_at < self.deadline()),
            _ => None,
        }
    }

    /// The state after `step` at `now`, or why not.
    pub fn next(
        &self,
        step: FollowUpStep,
        now: DateTime<Utc>,
    ) -> Result<FollowUpState, FollowUpError> {
        match (&self.state, step) {
            (FollowUpState::Closed { .. }, _) => Err(FollowUpError::Closed),
            (FollowUpState::Open, FollowUpStep::Call { said }) => {
                Ok(FollowUpState::Called(Call { at: now, said }))
            }
            (FollowUpState::Open, FollowUpStep::Close { .. }) => Err(FollowUpError::NotCalled),
            (FollowUpState::Called(_), FollowUpStep::Call { .. }) => {
                Err(FollowUpError::AlreadyCalled)
            }
            (FollowUpState::Called(call), FollowUpStep::Close { changed }) => {
                Ok(FollowUpState::Closed {
                    call: call.clone(),
                    closed_at: now,
                    changed,
                })
            }
        }
    }

    /// [`next`](Self::next), applied.
    pub fn apply(&mut self, step: FollowUpStep, now: DateTime<Utc>) -> Result<(), FollowUpError> {
        self.state = self.next(step, now)?;
        Ok(())
    }
}

// ---- statistics ---------------------------------------------------------------------------

/// Rating figures of some place(s), services and dates (ratings by the date given). Tallies
/// add up with [`merge`](Self::merge).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingTally {
    /// Ratings per level, in the order of [`Level::ALL`].
    pub levels: [u64; 5],
    /// Reasons given (with poor ratings), in the order of [`Reason::ALL`].
    pub reasons: [u64; 6],
    /// Follow-ups closed by the end of their due day.
    pub closed_on_time: u64,
    /// Follow-ups closed after it.
    pub closed_late: u64,
    /// Follow-ups still open, their due day not over.
    pub open: u64,
    /// Follow-ups still open past their due day.
    pub overdue: u64,
}

impl RatingTally {
    /// Counts one rating.
    pub fn add(&mut self, rating: &Rating) {
        self.add_level(rating.level, 1);
        for r in &rating.reasons {
            self.add_reason(*r, 1);
        }
    }

    /// Counts `n` ratings of a level (the store's grouped rows).
    pub fn add_level(&mut self, level: Level, n: u64) {
        self.levels[level.index()] += n;
    }

    /// Counts `n` mentions of a reason.
    pub fn add_reason(&mut self, reason: Reason, n: u64) {
        self.reasons[reason.index()] += n;
    }

    /// Counts a follow-up as it stands at `now`.
    pub fn add_follow_up(&mut self, f: &FollowUp, now: DateTime<Utc>) {
        match f.closed_on_time() {
            Some(true) => self.closed_on_time += 1,
            Some(false) => self.closed_late += 1,
            None if f.is_overdue(now) => self.overdue += 1,
            None => self.open += 1,
        }
    }

    pub fn merge(&mut self, other: &RatingTally) {
        for (a, b) in self.levels.iter_mut().zip(other.levels) {
            *a += b;
        }
        for (a, b) in self.reasons.iter_mut().zip(other.reasons) {
            *a += b;
        }
        self.closed_on_time += other.closed_on_time;
        self.closed_late += other.closed_late;
        self.open += other.open;
        self.overdue += other.overdue;
    }

    pub fn count(&self, level: Level) -> u64 {
        self.levels[level.index()]
    }

    pub fn reason_count(&self, reason: Reason) -> u64 {
        self.reasons[reason.index()]
    }

    /// All ratings.
    pub fn total(&self) -> u64 {
        self.levels.iter().sum()
    }

    /// Good ratings (非常满意 + 满意 + 基本满意).
    pub fn good(&self) -> u64 {
        Level::ALL
            .iter()
            .filter(|l| l.is_good())
            .map(|l| self.count(*l))
            .sum()
    }

    /// 满意率: good over all ratings.
    pub fn satisfaction(&self) -> Ratio {
        Ratio::new(self.good(), self.total())
    }

    /// Follow-ups closed on time over those whose outcome is known: closed (on time or late)
    /// or already overdue. Open items within their deadline are left out until they are.
    pub fn follow_up_on_time(&self) -> Ratio {
        Ratio::new(
            self.closed_on_time,
            self.closed_on_time + self.closed_late + self.overdue,
        )
    }
}

// ---- who sees what ------------------------------------------------------------------------

/// Whether `account` may see a rating's level, reasons and comment, for a service of
/// `service` given at `place`: the account's scope covers the place, and it may see the
/// details of that service ([`StaffAccount::sees_details_of`]: psychology only counsellors,
/// like topics). Counts in the statistics are not details.
pub fn may_see_rating(account: &StaffAccount, service: ServiceCode, place: &Location) -> bool {
    account.covers(place) && account.sees_details_of(service)
}

/// Whether `account` may call back and close the follow-up of such a rating: one who may see
/// it and handles the service, as a place's head, a district administrator or (for
/// psychology, which only they may see) the place's counsellor.
pub fn may_follow_up(account: &StaffAccount, service: ServiceCode, place: &Location) -> bool {
    may_see_rating(account, service, place)
        && account.handles(service)
        && matches!(
            account.role,
            Role::OfficeHead | Role::DistrictAdmin | Role::Counsellor
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse_holiday_year;
    use crate::staff::fixtures::{account, place};

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_walk_in_code_reads_back_and_other_codes_are_not_one() {
        let tag = WalkInCode::tag_of_digest(&[0, 1, 2, 30, 31, 255, 7, 8, 9, 10]);
        assert_eq!(tag.len(), WALK_IN_TAG_LEN);
        let code = WalkInCode { entry: 1234, tag };
        let text = code.to_string();
        assert!(text.starts_with("W1234-"), "{text}");
        assert_eq!(WalkInCode::parse(&text), Some(code.clone()));
        assert_eq!(
            WalkInCode::parse(&format!("  {}  ", text.to_lowercase())),
            Some(code)
        );
        // booking codes, and near misses
        for other in [
            "K7M2P9XQ4R",
            "W23456789A",
            "W-K7M2P9XQ",
            "W12-K7M2P9X",
            "W12-K7M2P9XQQ",
            "W12-K7M2P9X0",
            "W1x-K7M2P9XQ",
            "W1234567890123-K7M2P9XQ",
            "",
        ] {
            assert_eq!(WalkInCode::parse(other), None, "{other}");
        }
    }

    #[test]
    fn the_invitation_names_the_place_and_the_link_never_the_service() {
        for lang in [Lang::ZhCn, Lang::En] {
            let text = invite_text(
                "北站街道司法所",
                "https://portal.example/rate/K7M2P9XQ4R",
                lang,
            );
            assert!(text.contains("北站街道司法所") && text.ends_with("/rate/K7M2P9XQ4R"));
            assert!(
                text.contains(&format!("{RATING_DAYS} 天"))
                    || text.contains(&format!("{RATING_DAYS} days")),
                "{text}"
            );
            for secret in ["心理", "psycholog", "Psycholog"] {
                assert!(!text.contains(secret), "{text}");
            }
        }
    }

    #[test]
    fn the_last_day_to_rate_is_the_seventh_day_after_or_the_sixth_at_midnight() {
        let place = LocationId(1);
        let at = |s| RatedService::booking(ServiceCode::Notary, place, BookingState::Done, utc(s));
        assert_eq!(
            at("2026-03-03T10:00:00+08:00").last_day(),
            Some(d("2026-03-10"))
        );
        // finished exactly at midnight: the window ends at midnight seven days on
        assert_eq!(
            at("2026-03-03T00:00:00+08:00").last_day(),
            Some(d("2026-03-09"))
        );
        let open = RatedService::booking(ServiceCode::Notary, place, BookingState::Booked, now());
        assert_eq!(open.last_day(), None);
    }

    #[test]
    fn a_follow_up_step_is_read_with_its_note_on_its_field() {
        assert!(matches!(
            FollowUpStep::parse("call", " 已致歉 "),
            Ok(Some(FollowUpStep::Call { said })) if said.as_str() == "已致歉"
        ));
        assert!(matches!(
            FollowUpStep::parse("close", "增开窗口"),
            Ok(Some(FollowUpStep::Close { .. }))
        ));
        assert_eq!(FollowUpStep::parse("reopen", "x"), Ok(None));
        assert_eq!(FollowUpStep::parse("call", "  ").unwrap_err().field, "said");
        let long = "字".repeat(NOTE_MAX_CHARS + 1);
        assert_eq!(
            FollowUpStep::parse("close", &long).unwrap_err().field,
            "changed"
        );
    }

    /// The test clock: Tuesday 3 March 2026, 10:00 Shanghai.
    fn now() -> DateTime<Utc> {
        utc("2026-03-03T10:00:00+08:00")
    }

    /// 2026 with its Labour Day arrangement: 1–5 May off, Saturday 9 May worked.
    fn calendar() -> HolidayCalendar {
        let year = parse_holiday_year(
            r#"
year = 2026
source = "test"

[[holiday]]
name = "劳动节"
off = ["2026-05-01", "2026-05-05"]
workdays = ["2026-05-09"]
"#,
        )
        .unwrap();
        HolidayCalendar::from_years([year])
    }

    fn form(level: &str, reasons: &[&str], comment: Option<&str>) -> RatingForm {
        RatingForm {
            level: level.into(),
            reasons: reasons.iter().map(|r| r.to_string()).collect(),
            comment: comment.map(str::to_string),
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&'static str> {
        errors.iter().map(|e| e.field).collect()
    }

    #[test]
    fn levels_and_reasons_have_codes_labels_and_parse() {
        let codes: Vec<_> = Level::ALL.iter().map(|l| l.code()).collect();
        assert_eq!(
            codes,
            [
                "very_satisfied",
                "satisfied",
                "basic",
                "dissatisfied",
                "very_dissatisfied"
            ]
        );
        let zh: Vec<_> = Level::ALL.iter().map(|l| l.label_zh()).collect();
        assert_eq!(zh, ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]);
        for (i, l) in Level::ALL.into_iter().enumerate() {
            assert_eq!(l.index(), i);
            assert_eq!(Level::parse(&format!(" {} ", l.code())), Some(l));
            assert_eq!(serde_json::to_value(l).unwrap(), l.code());
            assert!(l.label_en().is_ascii() && l.label(Lang::En) == l.label_en());
            assert_eq!(l.label(Lang::ZhCn), l.label_zh());
            assert_ne!(l.is_good(), l.is_poor());
            assert_eq!(l.to_string(), l.code());
        }
        let good: Vec<_> = Level::ALL.into_iter().filter(|l| l.is_good()).collect();
        assert_eq!(good, [Level::VerySatisfied, Level::Satisfied, Level::Basic]);
        assert_eq!(Level::parse("满意"), None);
        assert_eq!(Level::parse("good"), None);

        let mut codes: Vec<_> = Reason::ALL.iter().map(|r| r.code()).collect();
        for (i, r) in Reason::ALL.into_iter().enumerate() {
            assert_eq!(r.index(), i);
            assert_eq!(Reason::parse(r.code()), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), r.code());
            assert!(r.label_en().is_ascii() && !r.label_zh().is_ascii());
            assert_eq!(r.label(Lang::En), r.label_en());
            assert_eq!(r.to_string(), r.code());
        }
        assert_eq!(Reason::Attitude.label_zh(), "服务态度");
        assert_eq!(Reason::UnclearAnswer.label_zh(), "解答不清楚");
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Reason::ALL.len());
        assert_eq!(Reason::parse("rude"), None);
    }

    #[test]
    fn a_poor_rating_needs_a_reason_and_a_good_one_keeps_none() {
        let ok = form(
            "dissatisfied",
            &["waiting_time", "attitude"],
            Some("  等了一个小时 \n"),
        )
        .check()
        .unwrap();
        assert_eq!(ok.level, Level::Dissatisfied);
        assert_eq!(ok.reasons, [Reason::WaitingTime, Reason::Attitude]);
        assert!(ok.needs_follow_up());
        assert_eq!(ok.comment.unwrap().as_str(), "等了一个小时");
        for level in ["dissatisfied", "very_dissatisfied"] {
            let e = form(level, &[], None).check().unwrap_err();
            assert_eq!(fields(&e), ["reasons"]);
        }
        // good levels: no reason needed, reasons sent are dropped, a comment may be added
        for level in ["very_satisfied", "satisfied", "basic"] {
            let r = form(level, &[], None).check().unwrap();
            assert!(r.reasons.is_empty() && r.comment.is_none());
            assert!(!r.needs_follow_up());
            let r = form(level, &["attitude"], Some("谢谢")).check().unwrap();
            assert!(r.reasons.is_empty());
            assert_eq!(r.comment.unwrap().as_str(), "谢谢");
        }
        // an empty or blank comment is none
        assert_eq!(
            form("basic", &[], Some(" \u{3000} "))
                .check()
                .unwrap()
                .comment,
            None
        );
    }

    #[test]
    fn every_wrong_field_is_reported() {
        let e = form("great", &["attitude", "attitude"], Some("a\u{7}b"))
            .check()
            .unwrap_err();
        assert_eq!(fields(&e), ["level", "reasons", "comment"]);
        // unknown reasons are refused even with a good level
        let e = form("satisfied", &["rude"], None).check().unwrap_err();
        assert_eq!(fields(&e), ["reasons"]);
        // duplicates too
        let e = form("very_dissatisfied", &["other", "outcome", "other"], None)
            .check()
            .unwrap_err();
        assert_eq!(fields(&e), ["reasons"]);
        assert!(e[0].message.contains("一次"));
        // an unknown reason is not also reported as a missing one
        let e = form("dissatisfied", &["rude"], None).check().unwrap_err();
        assert_eq!(e.len(), 1);
        // the comment's length, at the limit and one over
        let at = "好".repeat(COMMENT_MAX_CHARS);
        assert!(form("satisfied", &[], Some(&at)).check().is_ok());
        let over = "好".repeat(COMMENT_MAX_CHARS + 1);
        let e = form("satisfied", &[], Some(&over)).check().unwrap_err();
        assert_eq!(fields(&e), ["comment"]);
        assert!(e[0].message.contains("201"), "{}", e[0].message);
        // line breaks and tabs are kept inside
        let r = form("satisfied", &[], Some("第一行\n第二行\t完"))
            .check()
            .unwrap();
        assert_eq!(r.comment.unwrap().as_str(), "第一行\n第二行\t完");
        // every message has its English text
        let mut all = e;
        all.extend(form("", &["x"], Some("\u{0}")).check().unwrap_err());
        all.extend(form("dissatisfied", &[], None).check().unwrap_err());
        for f in &all {
            assert!(!f.en.is_empty() && f.en.is_ascii(), "{}", f.en);
            assert_eq!(f.message_in(Lang::En), f.en);
            assert_ne!(f.message, f.en);
        }
        // the form reads the API's JSON, reasons and comment optional
        let f: RatingForm = serde_json::from_str(r#"{"level":"basic"}"#).unwrap();
        assert!(f.check().is_ok());
        let f: RatingForm = serde_json::from_str(
            r#"{"level":"dissatisfied","reasons":["outcome"],"comment":null}"#,
        )
        .unwrap();
        assert_eq!(f.check().unwrap().reasons, [Reason::Outcome]);
        // a stored comment reads back only if it is still valid
        assert!(serde_json::from_str::<Comment>(r#""""#).is_err());
        assert_eq!(
            serde_json::from_str::<Comment>(r#"" 好 ""#)
                .unwrap()
                .as_str(),
            "好"
        );
    }

    #[test]
    fn only_finished_services_are_rated_once_within_7_days() {
        let place = LocationId(3);
        let done_at = utc("2026-03-02T15:30:00+08:00");
        let visit = RatedService::booking(
            ServiceCode::LegalConsultation,
            place,
            BookingState::Done,
            done_at,
        );
        assert_eq!(visit.kind, RatedKind::Booking);
        assert_eq!(may_rate(&visit, false, now()), Ok(()));
        assert_eq!(
            may_rate(&visit, true, now()),
            Err(RatingRefusal::AlreadyRated)
        );
        // the exact boundary: 7 × 24 hours after is too late, a millisecond before is not
        let until = utc("2026-03-09T15:30:00+08:00");
        assert_eq!(visit.rate_until(), Some(until));
        let just_before = until - Duration::milliseconds(1);
        assert_eq!(may_rate(&visit, false, just_before), Ok(()));
        assert_eq!(may_rate(&visit, false, until), Err(RatingRefusal::TooLate));
        // already rated wins over too late
        assert_eq!(
            may_rate(&visit, true, until),
            Err(RatingRefusal::AlreadyRated)
        );
        // bookings not done: not finished (or never happened)
        for state in BookingState::ALL {
            let s = RatedService::booking(ServiceCode::Notary, place, state, done_at);
            assert_eq!(s.finished_at.is_some(), state == BookingState::Done);
            if state != BookingState::Done {
                assert_eq!(may_rate(&s, false, now()), Err(RatingRefusal::NotFinished));
                assert_eq!(may_rate(&s, true, now()), Err(RatingRefusal::NotFinished));
            }
        }
        // walk-ins: served (or handed over) only
        for state in QueueState::ALL {
            let s = RatedService::walk_in(ServiceCode::LegalConsultation, place, state, done_at);
            assert_eq!(s.kind, RatedKind::WalkIn);
            let finished = matches!(state, QueueState::Done | QueueState::Transferred);
            assert_eq!(may_rate(&s, false, now()).is_ok(), finished, "{state:?}");
        }
        // mediation cases: closed ones only
        for state in CaseState::ALL {
            let s = RatedService::case(place, state, done_at);
            assert_eq!(s.kind, RatedKind::Case);
            assert_eq!(s.service, ServiceCode::Mediation);
            assert_eq!(
                may_rate(&s, false, now()).is_ok(),
                state.is_closed(),
                "{state:?}"
            );
        }
        assert!(may_rate(
            &RatedService::case(place, CaseState::Settled, done_at),
            false,
            now()
        )
        .is_ok());
        // kinds' codes
        for k in RatedKind::ALL {
            assert_eq!(RatedKind::parse(k.code()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.code());
        }
        // messages
        for r in [
            RatingRefusal::NotFinished,
            RatingRefusal::AlreadyRated,
            RatingRefusal::TooLate,
        ] {
            assert_eq!(r.message(Lang::ZhCn), r.to_string());
            let en = r.message(Lang::En);
            assert!(!en.is_empty() && en.is_ascii(), "{en}");
            assert!(!r.code().is_empty());
        }
        assert!(RatingRefusal::TooLate
            .to_string()
            .contains(&RATING_DAYS.to_string()));
        assert_eq!(
            visit.rate_until().unwrap() - done_at,
            Duration::days(RATING_DAYS)
        );
    }

    #[test]
    fn the_follow_up_is_due_3_working_days_after_the_rating_day() {
        let cal = calendar();
        // Tuesday 3 March: Wed, Thu, Fri
        assert_eq!(follow_up_due(now(), &cal), d("2026-03-06"));
        // Thursday: Fri, Mon, Tue (the weekend skipped)
        assert_eq!(
            follow_up_due(utc("2026-03-05T16:55:00+08:00"), &cal),
            d("2026-03-10")
        );
        // a rating given on a Saturday: the day itself never counts; Mon, Tue, Wed
        assert_eq!(
            follow_up_due(utc("2026-03-07T11:00:00+08:00"), &cal),
            d("2026-03-11")
        );
        // Thursday 30 April: 1–5 May are holidays; Wed 6, Thu 7, Fri 8 May
        assert_eq!(
            follow_up_due(utc("2026-04-30T10:00:00+08:00"), &cal),
            d("2026-05-08")
        );
        // Wednesday 6 May: Thu 7, Fri 8 and the make-up Saturday 9 May
        assert_eq!(
            follow_up_due(utc("2026-05-06T10:00:00+08:00"), &cal),
            d("2026-05-09")
        );
        // during the holiday (Saturday 2 May): Wed 6, Thu 7, Fri 8
        assert_eq!(
            follow_up_due(utc("2026-05-02T10:00:00+08:00"), &cal),
            d("2026-05-08")
        );
        // the Shanghai date counts, not the UTC one: 23:30 UTC on 29 April is 30 April
        assert_eq!(
            follow_up_due(utc("2026-04-29T23:30:00Z"), &cal),
            d("2026-05-08")
        );
        // 23:59 on Wednesday 29 April: Thu 30 April, then Wed 6 and Thu 7 May
        assert_eq!(
            follow_up_due(utc("2026-04-29T15:59:00Z"), &cal),
            d("2026-05-07")
        );
        // the due day ends at midnight Shanghai
        assert_eq!(
            end_of_day(d("2026-05-08")),
            utc("2026-05-09T00:00:00+08:00")
        );
    }

    #[test]
    fn a_follow_up_is_called_then_closed_and_overdue_after_its_due_day() {
        let cal = calendar();
        let rated = utc("2026-04-30T10:00:00+08:00");
        let mut f = FollowUp::open(rated, &cal);
        assert_eq!(f.due, d("2026-05-08"));
        assert_eq!(f.state, FollowUpState::Open);
        assert_eq!(f.closed_on_time(), None);
        // overdue from 00:00 on 9 May, Shanghai
        let deadline = utc("2026-05-09T00:00:00+08:00");
        assert_eq!(f.deadline(), deadline);
        assert!(!f.is_overdue(deadline - Duration::seconds(1)));
        assert!(f.is_overdue(deadline));

        let said = Note::parse("said", "当事人表示等候时间太长").unwrap();
        let changed = Note::parse("changed", "  周五上午增开一个窗口 ").unwrap();
        assert_eq!(changed.as_str(), "周五上午增开一个窗口");
        // closing before the call is refused
        assert_eq!(
            f.next(
                FollowUpStep::Close {
                    changed: changed.clone()
                },
                rated
            ),
            Err(FollowUpError::NotCalled)
        );
        let call_at = utc("2026-05-06T09:30:00+08:00");
        f.apply(FollowUpStep::Call { said: said.clone() }, call_at)
            .unwrap();
        assert_eq!(f.state.code(), "called");
        assert_eq!(
            f.next(FollowUpStep::Call { said: said.clone() }, call_at),
            Err(FollowUpError::AlreadyCalled)
        );
        // called but not closed is still overdue after the due day
        assert!(f.is_overdue(deadline));
        let mut late = f.clone();
        f.apply(
            FollowUpStep::Close {
                changed: changed.clone(),
            },
            deadline - Duration::seconds(1),
        )
        .unwrap();
        assert!(f.state.is_closed());
        assert_eq!(f.closed_on_time(), Some(true));
        assert!(!f.is_overdue(deadline + Duration::days(30)));
        match &f.state {
            FollowUpState::Closed {
                call, changed: c, ..
            } => {
                assert_eq!(call.said, said);
                assert_eq!(call.at, call_at);
                assert_eq!(*c, changed);
            }
            other => panic!("{other:?}"),
        }
        // closed items refuse everything
        for step in [
            FollowUpStep::Call { said: said.clone() },
            FollowUpStep::Close {
                changed: changed.clone(),
            },
        ] {
            assert!(!step.code().is_empty());
            assert_eq!(f.next(step, deadline), Err(FollowUpError::Closed));
        }
        // closed at exactly the deadline is late
        late.apply(FollowUpStep::Close { changed }, deadline)
            .unwrap();
        assert_eq!(late.closed_on_time(), Some(false));
        // states: codes, labels, JSON
        for s in [FollowUpState::Open, late.state.clone()] {
            let json = serde_json::to_value(&s).unwrap();
            assert_eq!(json["state"], s.code());
            assert_eq!(serde_json::from_value::<FollowUpState>(json).unwrap(), s);
            assert!(s.label_en().is_ascii() && !s.label_zh().is_ascii());
        }
        // notes: required, limited, no control characters
        assert_eq!(Note::parse("said", "  ").unwrap_err().field, "said");
        let e = Note::parse("changed", &"改".repeat(NOTE_MAX_CHARS + 1)).unwrap_err();
        assert_eq!(e.field, "changed");
        assert!(Note::parse("changed", &"改".repeat(NOTE_MAX_CHARS)).is_ok());
        assert!(Note::parse("said", "a\u{1b}[31m").is_err());
        for e in [
            FollowUpError::NotCalled,
            FollowUpError::AlreadyCalled,
            FollowUpError::Closed,
        ] {
            assert_eq!(e.message(Lang::ZhCn), e.to_string());
            assert!(e.message(Lang::En).is_ascii());
        }
    }

    #[test]
    fn the_tally_adds_merges_and_gives_the_satisfaction_rate() {
        let cal = calendar();
        let mut t = RatingTally::default();
        assert_eq!(t.satisfaction(), Ratio::new(0, 0));
        assert_eq!(t.satisfaction().percent, None);
        for (level, reasons) in [
            ("very_satisfied", &[][..]),
            ("satisfied", &[]),
            ("basic", &["attitude"][..]),
            ("dissatisfied", &["waiting_time", "attitude"]),
        ] {
            t.add(&form(level, reasons, None).check().unwrap());
        }
        assert_eq!(t.total(), 4);
        assert_eq!(t.good(), 3);
        assert_eq!(t.count(Level::Dissatisfied), 1);
        // the reason sent with 基本满意 was dropped
        assert_eq!(t.reason_count(Reason::Attitude), 1);
        assert_eq!(t.reason_count(Reason::WaitingTime), 1);
        let s = t.satisfaction();
        assert_eq!((s.numerator, s.denominator), (3, 4));
        assert_eq!(s.percent.as_deref(), Some("75.00%"));

        // follow-ups: one on time, one late, one open within its time, one overdue
        let rated = utc("2026-03-03T10:00:00+08:00"); // due Friday 6 March
        let deadline = utc("2026-03-07T00:00:00+08:00");
        let said = Note::parse("said", "已联系").unwrap();
        let changed = Note::parse("changed", "已改进").unwrap();
        let closed_at = |at: DateTime<Utc>| {
            let mut f = FollowUp::open(rated, &cal);
            f.apply(FollowUpStep::Call { said: said.clone() }, at)
                .unwrap();
            f.apply(
                FollowUpStep::Close {
                    changed: changed.clone(),
                },
                at,
            )
            .unwrap();
            f
        };
        let check_at = deadline + Duration::hours(1);
        t.add_follow_up(&closed_at(deadline - Duration::hours(1)), check_at);
        t.add_follow_up(&closed_at(deadline), check_at);
        t.add_follow_up(&FollowUp::open(rated, &cal), check_at);
        t.add_follow_up(&FollowUp::open(check_at, &cal), check_at);
        assert_eq!(
            (t.closed_on_time, t.closed_late, t.overdue, t.open),
            (1, 1, 1, 1)
        );
        let on_time = t.follow_up_on_time();
        assert_eq!((on_time.numerator, on_time.denominator), (1, 3));

        // merging adds everything; grouped rows add by count
        let mut other = RatingTally::default();
        other.add_level(Level::VeryDissatisfied, 2);
        other.add_reason(Reason::Outcome, 2);
        other.open = 2;
        let mut sum = t;
        sum.merge(&other);
        assert_eq!(sum.total(), 6);
        assert_eq!(sum.good(), 3);
        assert_eq!(sum.reason_count(Reason::Outcome), 2);
        assert_eq!(sum.open, 3);
        assert_eq!(sum.satisfaction().percent.as_deref(), Some("50.00%"));
        let mut other_first = other;
        other_first.merge(&t);
        assert_eq!(other_first, sum);
        let json = serde_json::to_string(&sum).unwrap();
        assert_eq!(serde_json::from_str::<RatingTally>(&json).unwrap(), sum);
    }

    #[test]
    fn psychology_ratings_are_seen_only_by_counsellors() {
        let office = place(1, None);
        let workroom = place(2, Some(1));
        let elsewhere = place(9, None);
        let psy = ServiceCode::Psychology;
        let legal = ServiceCode::LegalConsultation;
        let counsellor = account(Role::Counsellor, Some(2));
        let head = account(Role::OfficeHead, Some(1));
        let clerk = account(Role::OfficeClerk, Some(1));
        let admin = account(Role::DistrictAdmin, None);
        let auditor = account(Role::Auditor, None);
        for role in Role::ALL {
            let a = account(role, Some(2));
            assert_eq!(
                may_see_rating(&a, psy, &workroom),
                role == Role::Counsellor,
                "{role:?}"
            );
            assert_eq!(
                may_see_rating(&a, psy, &workroom),
                a.covers(&workroom) && a.sees_details_of(psy)
            );
        }
        assert!(may_see_rating(&counsellor, psy, &workroom));
        assert!(!may_see_rating(&counsellor, psy, &office));
        assert!(!may_see_rating(&head, psy, &workroom));
        assert!(!may_see_rating(&admin, psy, &workroom));
        // other services: anyone whose scope covers the place, but not the auditor
        assert!(may_see_rating(&head, legal, &workroom));
        assert!(may_see_rating(&clerk, legal, &office));
        assert!(may_see_rating(&admin, legal, &elsewhere));
        assert!(!may_see_rating(&head, legal, &elsewhere));
        assert!(!may_see_rating(&auditor, legal, &office));
        // follow-ups: the head (or the district), the counsellor for psychology
        assert!(may_follow_up(&head, legal, &workroom));
        assert!(may_follow_up(&admin, ServiceCode::Mediation, &office));
        assert!(!may_follow_up(&clerk, legal, &office));
        assert!(!may_follow_up(&head, psy, &workroom));
        assert!(may_follow_up(&counsellor, psy, &workroom));
        assert!(!may_follow_up(&counsellor, legal, &workroom));
        assert!(!may_follow_up(&auditor, legal, &office));
    }
}

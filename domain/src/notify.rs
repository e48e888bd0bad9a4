//! Messages to residents about their bookings: the texts and the retry schedule. Texts never
//! name a confidential service (the caller passes the booking's public title) and carry no
//! personal data beyond what the resident already knows.

use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    Confirmed,
    Changed,
    Cancelled,
    Reminder,
    /// Cancelled by the office because its opening hours changed.
    Withdrawn,
    /// A one-time code proving the phone is the resident's (`crate::verify::sms_text`); not
    /// about a booking. Its text is blanked in the outbox once sent.
    PhoneCode,
    /// A seat held for a resident on a waiting list (`crate::waitlist::offer_text`); not
    /// about a booking yet.
    WaitlistOffer,
    /// After a finished visit or a closed mediation case: a link to rate it
    /// (`crate::rating::invite_text`).
    RatingInvite,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 8] = [
        NoticeKind::Confirmed,
        NoticeKind::Changed,
        NoticeKind::Cancelled,
        NoticeKind::Reminder,
        NoticeKind::Withdrawn,
        NoticeKind::PhoneCode,
        NoticeKind::WaitlistOffer,
        NoticeKind::RatingInvite,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            NoticeKind::Confirmed => "confirmed",
            NoticeKind::Changed => "changed",
            NoticeKind::Cancelled => "cancelled",
            NoticeKind::Reminder => "reminder",
            NoticeKind::Withdrawn => "withdrawn",
            NoticeKind::PhoneCode => "phone_code",
            NoticeKind::WaitlistOffer => "waitlist_offer",
            NoticeKind::RatingInvite => "rating_invite",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The text of a message, e.g. "【区公共法律服务】您已预约法律咨询预约：12月1日 09:00，
/// 江宁路街道司法所（康定路1058号）。预约码 ABCDE-FGHJK。如需改约或取消，请登录网站“我的预约”。"
/// `None` for a kind that is not about a booking.
pub fn notice_text(
    kind: NoticeKind,
    title: &str,
    place: &str,
    address: &str,
    start: DateTime<FixedOffset>,
    code: &str,
) -> Option<String> {
    let when = start.format("%-m月%-d日 %H:%M");
    let body = match kind {
        NoticeKind::PhoneCode | NoticeKind::WaitlistOffer | NoticeKind::RatingInvite => return None,
        NoticeKind::Confirmed => format!("您的{title}已确认：{when}，{place}（{address}）。预约码 {code}。"),
        NoticeKind::Changed => format!("您的{title}已改到：{when}，{place}（{address}）。预约码 {code}。"),
        NoticeKind::Cancelled => format!("您在 {when} 的{title}（{place}）已取消。"),
        NoticeKind::Withdrawn => format!("因{place}服务时间调整，您在 {when} 的{title}已取消，给您带来不便，敬请谅解。"),
        NoticeKind::Reminder => format!("提醒：明天 {when} 在{place}（{address}）有您的{title}，请提前 10 分钟到达，出示预约码 {code}。"),
    };
    let tail = match kind {
        NoticeKind::Cancelled | NoticeKind::Withdrawn => "如需服务，可以重新预约。",
        _ => "如需改约或取消，请在网站“我的预约”中操作。",
    };
    Some(format!("【区公共法律服务】{body}{tail}"))
}

/// Attempts before a message is given up (it stays in the outbox with its last error).
pub const MAX_ATTEMPTS: u32 = 8;

/// How long a message claimed for sending is left to the server instance that claimed it:
/// if that instance dies before reporting, another one sends it after this many minutes.
pub const SEND_LEASE_MINUTES: i64 = 5;

/// Wait before retry number `attempt` (1-based): 1, 2, 4, 8 … minutes, at most an hour.
pub fn retry_delay(attempt: u32) -> Duration {
    let minutes = 1i64 << attempt.saturating_sub(1).min(6);
    Duration::minutes(minutes.min(60))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn texts_name_time_place_and_code_but_only_the_public_title() {
        let start = FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
            .unwrap();
        let t = notice_text(
            NoticeKind::Confirmed,
            "公共法律服务预约",
            "江宁路街道司法所",
            "康定路1058号",
            start,
            "ABCDE-FGHJK",
        )
        .unwrap();
        assert!(
            t.contains("12月1日 09:00") && t.contains("ABCDE-FGHJK") && t.contains("康定路1058号")
        );
        assert!(!t.contains("心理"));
        let r = notice_text(NoticeKind::Reminder, "法律咨询预约", "p", "a", start, "C").unwrap();
        assert!(r.starts_with("【区公共法律服务】提醒：明天"));
        let c = notice_text(NoticeKind::Cancelled, "法律咨询预约", "p", "a", start, "C").unwrap();
        assert_eq!(
            notice_text(NoticeKind::PhoneCode, "法律咨询预约", "p", "a", start, "C"),
            None
        );
        assert!(c.contains("已取消") && !c.contains("预约码"));
    }

    #[test]
    fn retries_back_off_to_an_hour() {
        let d: Vec<i64> = (1..=9).map(|a| retry_delay(a).num_minutes()).collect();
        assert_eq!(d, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        for k in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(k.code()), Some(k));
        }
    }
}

//! A place's queue of the day: who arrived (booked residents after check-in, walk-ins with a
//! ticket), who is called, served and finished, and whom to call next. Pure rules; the store
//! applies them inside a transaction.

use crate::booking::BookingState;
use crate::{Lang, ServiceCode};
use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an arrived person is. Codes are a database and API contract: never rename them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueState {
    /// Arrived (checked in or walked in) and waiting to be called.
    Waiting,
    /// Called to a desk, not yet being served.
    Called,
    /// Set aside (e.g. stepped out); called again later.
    Parked,
    Serving,
    Done,
    /// Called but did not come.
    NoShow,
    /// Sent to another service or place (访调联动 分流); a new entry waits there.
    Transferred,
}

impl QueueState {
    pub const ALL: [QueueState; 7] = [
        QueueState::Waiting,
        QueueState::Called,
        QueueState::Parked,
        QueueState::Serving,
        QueueState::Done,
        QueueState::NoShow,
        QueueState::Transferred,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            QueueState::Waiting => "waiting",
            QueueState::Called => "called",
            QueueState::Parked => "parked",
            QueueState::Serving => "serving",
            QueueState::Done => "done",
            QueueState::NoShow => "no_show",
            QueueState::Transferred => "transferred",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            QueueState::Waiting => "等候中",
            QueueState::Called => "已叫号",
            QueueState::Parked => "暂缓",
            QueueState::Serving => "服务中",
            QueueState::Done => "已完成",
            QueueState::NoShow => "未到",
            QueueState::Transferred => "已分流",
        }
    }

    /// The state in English.
    pub const fn label_en(self) -> &'static str {
        match self {
            QueueState::Waiting => "Waiting",
            QueueState::Called => "Called",
            QueueState::Parked => "Parked",
            QueueState::Serving => "Being served",
            QueueState::Done => "Done",
            QueueState::NoShow => "Did not come",
            QueueState::Transferred => "Transferred",
        }
    }

    /// The state the entry's booking (if any) shows residents and statistics.
    pub const fn booking_state(self) -> BookingState {
        match self {
            QueueState::Waiting | QueueState::Parked => BookingState::CheckedIn,
            QueueState::Called => BookingState::Called,
            QueueState::Serving => BookingState::Serving,
            QueueState::Done | QueueState::Transferred => BookingState::Done,
            QueueState::NoShow => BookingState::NoShow,
        }
    }

    /// Still in the queue (waiting, called, parked or being served).
    pub const fn is_open(self) -> bool {
        matches!(
            self,
            QueueState::Waiting | QueueState::Called | QueueState::Parked | QueueState::Serving
        )
    }
}

impl fmt::Display for QueueState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How a service ended. Codes are a database and API contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 已解答
    AdviceGiven,
    /// 转人民调解
    ReferredToMediation,
    /// 转其他部门
    ReferredElsewhere,
    /// 其他（见备注）
    Other,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::AdviceGiven,
        Outcome::ReferredToMediation,
        Outcome::ReferredElsewhere,
        Outcome::Other,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Outcome::AdviceGiven => "advice_given",
            Outcome::ReferredToMediation => "referred_to_mediation",
            Outcome::ReferredElsewhere => "referred_elsewhere",
            Outcome::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code.trim())
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            Outcome::AdviceGiven => "已解答",
            Outcome::ReferredToMediation => "转人民调解",
            Outcome::ReferredElsewhere => "转其他部门",
            Outcome::Other => "其他",
        }
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            Outcome::AdviceGiven => "Advice given",
            Outcome::ReferredToMediation => "Passed to mediation",
            Outcome::ReferredElsewhere => "Referred elsewhere",
            Outcome::Other => "Other",
        }
    }
}

/// A staff action on one queue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Call,
    /// Call again someone already called (or parked).
    Recall,
    Park,
    Serve,
    Finish,
    NoShow,
    Transfer,
}

impl Step {
    pub const ALL: [Step; 7] = [
        Step::Call,
        Step::Recall,
        Step::Park,
        Step::Serve,
        Step::Finish,
        Step::NoShow,
        Step::Transfer,
    ];

    pub const fn label_zh(self) -> &'static str {
        match self {
            Step::Call => "叫号",
            Step::Recall => "重呼",
            Step::Park => "暂缓",
            Step::Serve => "开始服务",
            Step::Finish => "办结",
            Step::NoShow => "标记未到",
            Step::Transfer => "分流",
        }
    }

    /// The step in English, as the staff page's buttons name it.
    pub const fn label_en(self) -> &'static str {
        match self {
            Step::Call => "Call",
            Step::Recall => "Recall",
            Step::Park => "Park",
            Step::Serve => "Serve",
            Step::Finish => "Finish",
            Step::NoShow => "No-show",
            Step::Transfer => "Transfer",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{state}”状态不能{action}", state = .from.label_zh(), action = .step.label_zh())]
pub struct StepError {
    pub from: QueueState,
    pub step: Step,
}

impl StepError {
    /// The message in `lang`: the Chinese text is the `Display` one.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => self.to_string(),
            Lang::En => format!(
                "This person's status is “{}”, so “{}” is not possible",
                self.from.label_en(),
                self.step.label_en()
            ),
        }
    }
}

/// The state after `step`, or why it is not allowed. Only the entry acted on changes: calling
/// one person never touches the one being served.
pub fn next_state(from: QueueState, step: Step) -> Result<QueueState, StepError> {
    use QueueState::*;
    let to = match (from, step) {
        (Waiting, Step::Call) => Called,
        (Called | Parked, Step::Recall) => Called,
        (Waiting | Called, Step::Park) => Parked,
        (Called | Waiting, Step::Serve) => Serving,
        (Serving, Step::Finish) => Done,
        (Called | Parked, Step::NoShow) => NoShow,
        (Waiting | Called | Parked | Serving, Step::Transfer) => Transferred,
        _ => return Err(StepError { from, step }),
    };
    Ok(to)
}

/// Ticket letters per service, so a display's numbers do not collide across desks.
pub const fn ticket_letter(service: ServiceCode) -> char {
    match service {
        ServiceCode::LegalConsultation => 'A',
        ServiceCode::Mediation => 'B',
        ServiceCode::AdminReconsideration => 'C',
        ServiceCode::Notary => 'D',
        ServiceCode::IpMediation => 'E',
        ServiceCode::Psychology => 'F',
    }
}

/// Whether a service's tickets appear on a place's public call display. Psychology's do not:
/// its letter alone would tell the waiting room who came for counselling (and, on the
/// youth-only Fridays, that they are a minor). Counsellors fetch their clients in person;
/// their tickets, calls and waits stay on the staff pages only, and the public board's
/// counts and estimate leave them out.
pub const fn on_public_board(service: ServiceCode) -> bool {
    !matches!(service, ServiceCode::Psychology)
}

/// `A001`: the `n`-th ticket of a service at a place on a day.
pub fn ticket(service: ServiceCode, n: u32) -> String {
    format!("{}{n:03}", ticket_letter(service))
}

/// What the call-next rule needs of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub id: i64,
    pub service: ServiceCode,
    pub state: QueueState,
    /// The booked slot's start; `None` for a walk-in.
    pub slot_start: Option<DateTime<FixedOffset>>,
    pub arrived_at: DateTime<FixedOffset>,
}

/// Whom to call next among `entries` for the given services: booked people whose slot has
/// started, earliest slot first; then walk-ins in arrival order; then booked people who came
/// early for a later slot, by slot.
pub fn next_to_call<'a>(
    entries: &'a [Waiting],
    services: &[ServiceCode],
    now: DateTime<FixedOffset>,
) -> Option<&'a Waiting> {
    entries
        .iter()
        .filter(|e| e.state == QueueState::Waiting && services.contains(&e.service))
        .min_by_key(|e| match e.slot_start {
            Some(start) if start <= now => (0, start, e.arrived_at, e.id),
            None => (1, e.arrived_at, e.arrived_at, e.id),
            Some(start) => (2, start, e.arrived_at, e.id),
        })
}

/// A booked resident who has not checked in by `grace` after the slot's start counts as not
/// come (reversible by staff).
pub fn no_show_due(
    booking: BookingState,
    slot_start: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
    grace: Duration,
) -> bool {
    booking == BookingState::Booked && now >= slot_start + grace
}

/// Estimated wait for someone `ahead` places back, from the recent average service time
/// (at least one minute a person), rounded up to whole minutes.
pub fn estimated_wait_minutes(
    ahead: usize,
    average_service: Option<Duration>,
    desks: usize,
) -> i64 {
    let per = average_service
        .map(|d| d.num_seconds().max(60))
        .unwrap_or(15 * 60);
    let desks = desks.max(1) as i64;
    let secs = ahead as i64 * per / desks;
    (secs + 59) / 60
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .with_ymd_and_hms(2026, 12, 1, h, m, 0)
            .unwrap()
    }

    fn entry(id: i64, slot: Option<(u32, u32)>, arrived: (u32, u32)) -> Waiting {
        Waiting {
            id,
            service: ServiceCode::LegalConsultation,
            state: QueueState::Waiting,
            slot_start: slot.map(|(h, m)| at(h, m)),
            arrived_at: at(arrived.0, arrived.1),
        }
    }

    #[test]
    fn booked_people_whose_slot_started_go_first_then_walk_ins_by_arrival() {
        let svc = [ServiceCode::LegalConsultation];
        let entries = vec![
            entry(1, None, (8, 50)),          // walk-in, first to arrive
            entry(2, Some((9, 30)), (8, 55)), // booked for later
            entry(3, Some((9, 0)), (8, 58)),  // booked, slot started
            entry(4, None, (8, 52)),          // walk-in
        ];
        let order = |now| next_to_call(&entries, &svc, now).map(|e| e.id);
        assert_eq!(order(at(9, 5)), Some(3));
        assert_eq!(
            order(at(8, 59)),
            Some(1),
            "before any slot starts, walk-ins by arrival"
        );
        let rest: Vec<_> = entries.iter().filter(|e| e.id != 3).cloned().collect();
        assert_eq!(next_to_call(&rest, &svc, at(9, 5)).map(|e| e.id), Some(1));
        let later: Vec<_> = rest
            .iter()
            .filter(|e| e.slot_start.is_some())
            .cloned()
            .collect();
        assert_eq!(next_to_call(&later, &svc, at(9, 5)).map(|e| e.id), Some(2));
        // other services and people not waiting are never picked
        assert_eq!(
            next_to_call(&entries, &[ServiceCode::Notary], at(9, 5)),
            None
        );
        let mut called = entries.clone();
        called
            .iter_mut()
            .for_each(|e| e.state = QueueState::Serving);
        assert_eq!(next_to_call(&called, &svc, at(9, 5)), None);
    }

    #[test]
    fn the_state_machine() {
        use QueueState::*;
        assert_eq!(next_state(Waiting, Step::Call), Ok(Called));
        assert_eq!(next_state(Called, Step::Serve), Ok(Serving));
        assert_eq!(next_state(Serving, Step::Finish), Ok(Done));
        assert_eq!(next_state(Parked, Step::Recall), Ok(Called));
        assert_eq!(next_state(Called, Step::NoShow), Ok(NoShow));
        // finished people stay finished; the one being served cannot be called again
        for step in [
            Step::Call,
            Step::Recall,
            Step::Park,
            Step::Serve,
            Step::NoShow,
        ] {
            assert!(next_state(Serving, step).is_err(), "{step:?}");
            assert!(next_state(Done, step).is_err(), "{step:?}");
        }
        let e = next_state(Done, Step::Call).unwrap_err();
        assert_eq!(e.to_string(), "“已完成”状态不能叫号");
        assert_eq!(Serving.booking_state(), BookingState::Serving);
        assert_eq!(Parked.booking_state(), BookingState::CheckedIn);
    }

    #[test]
    fn tickets_and_no_shows_and_waits() {
        assert_eq!(ticket(ServiceCode::LegalConsultation, 1), "A001");
        assert_eq!(ticket(ServiceCode::Notary, 42), "D042");
        // every service is on the public board but the confidential psychology room
        for s in ServiceCode::ALL {
            assert_eq!(on_public_board(s), s != ServiceCode::Psychology, "{s:?}");
        }
        let grace = Duration::minutes(15);
        assert!(!no_show_due(
            BookingState::Booked,
            at(9, 0),
            at(9, 14),
            grace
        ));
        assert!(no_show_due(
            BookingState::Booked,
            at(9, 0),
            at(9, 15),
            grace
        ));
        assert!(!no_show_due(
            BookingState::CheckedIn,
            at(9, 0),
            at(10, 0),
            grace
        ));
        assert_eq!(
            estimated_wait_minutes(3, Some(Duration::minutes(10)), 1),
            30
        );
        assert_eq!(
            estimated_wait_minutes(3, Some(Duration::minutes(10)), 2),
            15
        );
        assert_eq!(estimated_wait_minutes(0, None, 1), 0);
        assert_eq!(estimated_wait_minutes(1, Some(Duration::seconds(5)), 1), 1);
    }
}

/// What a place's call display shows: tickets and desks, never names or phone numbers, and
/// only of services [`on_public_board`] allows (never psychology).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayBoard {
    pub location_id: i64,
    pub place_name: String,
    /// Being called now, newest first.
    pub calling: Vec<DisplayCall>,
    /// The next tickets in call order.
    pub next: Vec<String>,
    pub waiting: usize,
    /// Minutes a newly arrived person may wait.
    pub estimated_wait_minutes: i64,
    /// Changes with every call, so screens can chime on a new one.
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayCall {
    pub ticket: String,
    pub desk: Option<String>,
}

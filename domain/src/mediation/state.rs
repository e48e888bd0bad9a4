//! The state machine: where a case stands, and the one place that decides where a step
//! leads.

use super::{CaseAction, CaseOutcome};
use crate::Lang;
use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mediation::fixtures::one_of_each_action;
    use crate::mediation::{Fen, Referral};
    use chrono::DateTime;
    use proptest::prelude::*;

    #[test]
    fn the_happy_path_to_a_written_agreement() {
        let at = DateTime::parse_from_rfc3339("2026-12-08T09:00:00+08:00").unwrap();
        let steps = [
            CaseAction::Accept,
            CaseAction::AssignMediator { mediator_id: 7 },
            CaseAction::InviteOtherParty,
            CaseAction::OtherPartyAgrees,
            CaseAction::ScheduleSession {
                location_id: crate::LocationId(4),
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
                location_id: crate::LocationId(4),
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

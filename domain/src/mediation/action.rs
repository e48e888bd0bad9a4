//! The steps staff take on a case, and the checks of each step's own fields.

#[cfg(doc)]
use super::next_state;
use super::{CaseOutcome, Referral, AMOUNT_OUT_OF_RANGE_EN, MAX_AMOUNT_FEN};
use crate::booking::FieldError;
use crate::LocationId;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

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
        location_id: LocationId,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mediation::Fen;

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
}

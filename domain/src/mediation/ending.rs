//! How a case ends: an agreement, a failure or a referral, as a step records it and as the
//! case keeps it.

use super::{CaseState, Fen};
use serde::{Deserialize, Serialize};

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
    /// The channel in English, as the English pages name it.
    pub const fn label_en(self) -> &'static str {
        match self {
            Referral::Court => "The court (court-mediation link)",
            Referral::PoliceLawFirm => "Police station and law firm",
            Referral::Procuratorate => "The procuratorate",
            Referral::Department => "Another department",
        }
    }
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
    /// The endings a concluding step chooses from (after a session), in the order the form
    /// lists them; a refusal, a declined invitation and a referral before any session are
    /// steps of their own.
    pub const CONCLUDING: [Ending; 4] = [
        Ending::WrittenAgreement,
        Ending::OralAgreement,
        Ending::Failed,
        Ending::Referred,
    ];
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
    /// How the case ended, in `lang`: every page and form names an ending from here.
    pub const fn label(self, lang: crate::Lang) -> &'static str {
        use crate::Lang::{En, ZhCn};
        match (lang, self) {
            (ZhCn, Ending::Refused) => "不予受理",
            (ZhCn, Ending::NotMediated) => "对方不同意调解",
            (ZhCn, Ending::WrittenAgreement) => "达成书面调解协议",
            (ZhCn, Ending::OralAgreement) => "达成口头协议",
            (ZhCn, Ending::Failed) => "调解不成",
            (ZhCn, Ending::Referred) => "转交其他机构",
            (En, Ending::Refused) => "Not accepted",
            (En, Ending::NotMediated) => "The other party declined",
            (En, Ending::WrittenAgreement) => "Written agreement",
            (En, Ending::OralAgreement) => "Oral agreement",
            (En, Ending::Failed) => "Not settled",
            (En, Ending::Referred) => "Passed on",
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Conclusion;
    use crate::Lang;

    #[test]
    fn every_ending_has_a_code_and_a_label_in_both_languages() {
        for e in Ending::ALL {
            assert_eq!(Ending::parse(e.code()), Some(e));
            assert!(!e.label(Lang::ZhCn).is_ascii(), "{e:?}");
            assert!(e.label(Lang::En).is_ascii(), "{e:?}");
        }
        for e in Ending::CONCLUDING {
            assert!(!matches!(e, Ending::Refused | Ending::NotMediated));
        }
        for r in Referral::ALL {
            assert!(!r.label_zh().is_ascii() && r.label_en().is_ascii(), "{r:?}");
        }
        for d in crate::mediation::DisputeType::ALL {
            assert!(!d.label_zh().is_ascii() && d.label_en().is_ascii(), "{d:?}");
        }
    }

    #[test]
    fn outcomes_conclusions_and_endings_agree() {
        let outcomes = [
            CaseOutcome::WrittenAgreement {
                amount: Fen(100),
                terms: "t".into(),
            },
            CaseOutcome::OralAgreement { terms: "t".into() },
            CaseOutcome::Failed { reason: "r".into() },
            CaseOutcome::Referred {
                channel: Referral::Court,
            },
        ];
        let endings: Vec<Ending> = outcomes.iter().map(CaseOutcome::ending).collect();
        assert_eq!(endings, Ending::CONCLUDING);
        for o in &outcomes {
            // the outcome's tag is its ending's code
            let json = serde_json::to_value(o).unwrap();
            assert_eq!(json["kind"], o.ending().code());
        }
        for e in Ending::ALL {
            let referral = (e == Ending::Referred).then_some(Referral::Court);
            match Conclusion::of(Some(e), referral) {
                Some(c) => {
                    assert_eq!(c.ending(), e);
                    assert_eq!(c.settled(), e.settled());
                }
                None => assert_eq!(e, Ending::Refused),
            }
        }
    }
}

//! Test data shared by the mediation tests and, through `crate::mediation`, by the tests
//! of other modules.

use super::{CaseAction, CaseOutcome, Referral};
use crate::{Location, LocationId, LocationKind, ServiceCode, ServiceOffer};
use chrono::DateTime;

pub(super) fn place(services: &[ServiceCode]) -> Location {
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

/// One example of every kind of step (and of every way a case concludes), for tests that walk
/// the workflow.
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
            location_id: crate::LocationId(4),
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

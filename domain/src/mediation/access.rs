//! Who sees and handles a case, where its meetings may be held, and what others see of it.

use super::{CaseState, DisputeType};
use crate::staff::{Role, StaffAccount};
use crate::{Location, ServiceCode};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mediation::fixtures::place;
    use crate::{LocationId, LocationKind};

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
}

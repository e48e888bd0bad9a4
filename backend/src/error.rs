//! The error type of the use-case layer. Handlers map it to status codes; internal
//! details (SQL errors) are logged where they happen and never shown to users.

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The thing asked for does not exist (or must look as if it did not).
    #[error("not found")]
    NotFound,
    /// Storage failed; already logged.
    #[error("internal error")]
    Internal,
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ServiceError::NotFound,
            StoreError::Database(err) => {
                tracing::error!(error = %err, "storage error");
                ServiceError::Internal
            }
            // logged by the group commit that failed
            StoreError::WriteFailed(_) => ServiceError::Internal,
            StoreError::Corrupt(what) => {
                tracing::error!(%what, "stored data does not parse");
                ServiceError::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::booking::{BookingError, NotActive, Refusal};
    use crate::mediation::{Conflict as MediationConflict, MediationError};
    use crate::queue::{Conflict, QueueError};
    use crate::schedules::ScheduleError;
    use crate::staff::StaffError;
    use crate::stats::StatsError;
    use crate::store::BookingRecord;
    use chrono::{DateTime, Utc};
    use domain::booking::{check_fairness, FairnessLimits, MobilePhone};
    use domain::queue::QueueState;
    use domain::{BookingState, Lang, LocationId, ServiceCode};

    fn has_cjk(text: &str) -> bool {
        text.chars().any(|c| {
            matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
        })
    }

    /// Chinese as `Display` has it, English without Chinese and not the same text.
    fn check(zh: String, en: String, display: String) {
        assert_eq!(zh, display);
        assert!(!en.trim().is_empty(), "no English for {zh}");
        assert!(!has_cjk(&en), "not English: {en} (for {zh})");
        assert_ne!(zh, en);
    }

    fn booking(state: BookingState) -> BookingRecord {
        let at: DateTime<Utc> = "2026-03-03T01:00:00Z".parse().unwrap();
        BookingRecord {
            id: 1,
            code: "7K3QX9MPA2".into(),
            location_id: LocationId(4),
            service: ServiceCode::LegalConsultation,
            start: at,
            end: at,
            state,
            name: "王芳".into(),
            phone: "13812345678".into(),
            topic: "labour".into(),
            account: None,
            youth: false,
            created_at: at,
        }
    }

    #[test]
    fn every_refusal_has_an_english_text() {
        let field = || MobilePhone::parse("123").unwrap_err();
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        let one = [(
            t("2026-03-03T09:00:00+08:00"),
            t("2026-03-03T09:30:00+08:00"),
        )];
        let overlap = check_fairness(
            &one,
            (
                t("2026-03-03T09:15:00+08:00"),
                t("2026-03-03T09:45:00+08:00"),
            ),
            &FairnessLimits::default(),
        )
        .unwrap_err();
        let too_many = check_fairness(
            &one,
            (
                t("2026-03-04T09:00:00+08:00"),
                t("2026-03-04T09:30:00+08:00"),
            ),
            &FairnessLimits { max_active: 1 },
        )
        .unwrap_err();

        let mut bookings = vec![
            BookingError::Invalid(field()),
            BookingError::Full {
                alternatives: vec![],
            },
            BookingError::from(overlap.clone()),
            BookingError::from(too_many.clone()),
            BookingError::NotFound,
        ];
        bookings.extend(NotActive::all().map(BookingError::from));
        for e in &bookings {
            check(e.message(Lang::ZhCn), e.message(Lang::En), e.to_string());
        }
        // a refusal says what the rule says, in either language, and its Chinese is the rule's
        for (rule, refusal) in [(&overlap, &bookings[2]), (&too_many, &bookings[3])] {
            assert_eq!(refusal.to_string(), rule.to_string());
            for lang in [Lang::ZhCn, Lang::En] {
                assert_eq!(refusal.message(lang), rule.message(lang));
            }
        }
        assert_eq!(
            overlap.to_string(),
            "您在这个时间已有其他预约（3月3日 09:00–09:30），请选择其他时间"
        );
        assert_eq!(
            bookings[2].message(Lang::En),
            "You already have a booking at that time (Tue 3 Mar 09:00–09:30); please choose \
             another time"
        );
        assert_eq!(
            BookingError::from(NotActive::Cancel(BookingState::Done)).message(Lang::En),
            "This booking's status is “Done”, so it cannot be cancelled"
        );
        assert_eq!(
            BookingError::Refused(Refusal::NotActive(NotActive::Change(BookingState::Done)))
                .to_string(),
            "这个预约当前为“已完成”，不能再更改"
        );

        let at: DateTime<Utc> = "2026-03-03T01:00:00Z".parse().unwrap();
        let mut queue = vec![
            QueueError::Forbidden,
            QueueError::NotFound,
            QueueError::Invalid(field()),
            QueueError::from(Conflict::NotToday(at)),
            QueueError::from(Conflict::TooManyCalling),
            QueueError::from(Conflict::NothingToUndo),
            QueueError::from(Conflict::ChangedMeanwhile),
        ];
        for s in BookingState::ALL {
            queue.push(Conflict::CannotCheckIn(s).into());
            queue.push(Conflict::NoNoShowToUndo(s).into());
        }
        for from in QueueState::ALL {
            for step in domain::queue::Step::ALL {
                if let Err(e) = domain::queue::next_state(from, step) {
                    queue.push(Conflict::Step(e).into());
                }
            }
        }
        for e in &queue {
            check(e.message(Lang::ZhCn), e.message(Lang::En), e.to_string());
        }
        assert_eq!(queue[3].to_string(), "这是 3月3日 09:00 的预约，不是今天的");
        assert_eq!(
            queue[3].message(Lang::En),
            "This booking is for Tue 3 Mar 09:00, not today"
        );

        let mut mediation = vec![
            MediationError::Invalid(vec![field()]),
            MediationError::NotFound,
            MediationError::Forbidden,
            MediationError::from(MediationConflict::ChangedMeanwhile),
        ];
        let meeting = t("2026-12-08T09:00:00+08:00");
        for from in domain::mediation::CaseState::ALL {
            for action in [
                domain::mediation::CaseAction::Accept,
                domain::mediation::CaseAction::OtherPartyAgrees,
                domain::mediation::CaseAction::ScheduleSession {
                    location_id: domain::LocationId(4),
                    start: meeting,
                },
                domain::mediation::CaseAction::FollowUp {
                    kept: false,
                    note: "n".into(),
                },
            ] {
                if let Err(e) = domain::mediation::next_state(from, &action) {
                    mediation.push(MediationConflict::Step(e).into());
                }
            }
        }
        for e in &mediation {
            check(e.message(Lang::ZhCn), e.message(Lang::En), e.to_string());
        }

        let staff = [
            StaffError::BadCredentials,
            StaffError::Invalid(field()),
            StaffError::Forbidden,
        ];
        for e in &staff {
            check(e.message(Lang::ZhCn), e.message(Lang::En), e.to_string());
        }

        let line = domain::WeeklySession::parse("mon 9:00-11:30 30min x2").unwrap_err();
        let schedules = [
            ScheduleError::Forbidden,
            ScheduleError::NotFound,
            ScheduleError::Invalid(field()),
            ScheduleError::Invalid(domain::booking::FieldError::new(
                "sessions",
                format!("第 1 条：{line}"),
                format!("Rule 1: {}", line.message(Lang::En)),
            )),
            ScheduleError::NeedsConfirmation(vec![booking(BookingState::Booked)]),
            ScheduleError::NeedsConfirmation(vec![booking(BookingState::Booked); 3]),
        ];
        for e in &schedules {
            check(e.message(Lang::ZhCn), e.message(Lang::En), e.to_string());
        }

        let stats = [
            StatsError::Invalid(
                domain::stats::Period::parse("2026-03-01", "2026-01-01").unwrap_err(),
            ),
            StatsError::NotFound,
            StatsError::Forbidden,
        ];
        for e in &stats {
            check(e.message(Lang::ZhCn), e.message(Lang::En), e.to_string());
        }

        // internal errors are never shown; they stay as they are
        assert_eq!(BookingError::Internal.message(Lang::En), "internal error");
        assert_eq!(QueueError::Internal.message(Lang::En), "internal error");
    }
}

//! Ratings (好差评) and their follow-ups in the store, on both engines: a rating read back with
//! its reasons and comment, a service rated once (the UNIQUE constraint decides, also when 20
//! tasks rate one walk-in at once), a poor rating opening its follow-up with the given due
//! date, follow-up steps as conditional writes (a stale expected state fails), and the tally
//! per place and service.

use backend::store::{
    Duplicate, NewRating, NewStaffUser, RatedSubject, RatingRecord, Store, StoreError,
};
use backend::testing::{consultation, engines, fresh_store, Engine, TestDatabase};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::district_file::parse_district;
use domain::rating::{
    Comment, FollowUpState, FollowUpStep, Level, Note, Rating, RatingForm, Reason,
};
use domain::staff::Role;
use domain::{LocationId, ServiceCode};
use std::sync::Arc;

const PLACE: LocationId = LocationId(1);
const SERVICE: ServiceCode = ServiceCode::LegalConsultation;

async fn store(engine: Engine) -> (TestDatabase, Arc<dyn Store>) {
    let (db, store) = fresh_store(engine).await;
    store
        .load_district_if_empty(&parse_district(backend::testing::ONE_OFFICE_DISTRICT).unwrap())
        .await
        .unwrap();
    (db, store)
}

/// Tuesday 3 March 2026, 10:00 in Shanghai.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 3, 2, 0, 0).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn rating(level: &str, reasons: &[&str], comment: Option<&str>) -> Rating {
    RatingForm {
        level: level.into(),
        reasons: reasons.iter().map(|r| r.to_string()).collect(),
        comment: comment.map(str::to_string),
    }
    .check()
    .unwrap()
}

fn new_rating(subject: RatedSubject, r: Rating, at: DateTime<Utc>) -> NewRating {
    // due 3 working days later, as domain::rating::follow_up_due gives for a Tuesday
    let due = r.needs_follow_up().then(|| d("2026-03-06"));
    NewRating {
        subject,
        location_id: PLACE,
        service: SERVICE,
        rating: r,
        rated_at: at,
        follow_up_due: due,
    }
}

async fn walk_in(store: &Arc<dyn Store>) -> RatedSubject {
    let e = store
        .add_walk_in(PLACE, SERVICE, d("2026-03-03"), now(), None)
        .await
        .unwrap();
    RatedSubject::WalkIn(e.id)
}

async fn head(store: &Arc<dyn Store>) -> i64 {
    store
        .create_staff_user(&NewStaffUser {
            username: "head".into(),
            display_name: "所长".into(),
            password_hash: "x".into(),
            role: Role::OfficeHead,
            place: Some(PLACE),
            created_at: now(),
        })
        .await
        .unwrap()
        .unwrap()
}

async fn of(store: &Arc<dyn Store>, subject: RatedSubject) -> RatingRecord {
    store.rating_of(subject).await.unwrap().unwrap()
}

#[tokio::test]
async fn a_rating_is_read_back_and_a_service_is_rated_once() {
    for engine in engines() {
        let (_db, store) = store(engine).await;
        // a booking (Wednesday 4 March 09:00) and a walk-in
        let start = Utc.with_ymd_and_hms(2026, 3, 4, 1, 0, 0).unwrap();
        let booking = store
            .create_booking(
                &consultation("RATE0001", "13800000001", start, now()),
                2,
                Arc::new(|_: &[_]| Ok(())),
            )
            .await
            .unwrap()
            .unwrap();
        let booked = RatedSubject::Booking(booking.id);
        assert_eq!(store.rating_of(booked).await.unwrap(), None, "{engine}");

        let good = rating("very_satisfied", &[], Some("  很耐心，谢谢 "));
        let id = store
            .add_rating(&new_rating(
                booked,
                good.clone(),
                start + Duration::hours(1),
            ))
            .await
            .unwrap()
            .unwrap();
        let back = of(&store, booked).await;
        assert_eq!(back.id, id, "{engine}");
        assert_eq!(back.subject, booked);
        assert_eq!((back.location_id, back.service), (PLACE, SERVICE));
        assert_eq!(back.rating, good);
        assert_eq!(
            back.rating.comment.as_ref().map(Comment::as_str),
            Some("很耐心，谢谢")
        );
        assert_eq!(back.rated_at, start + Duration::hours(1));
        assert_eq!(back.follow_up, None, "a good rating has no follow-up");

        // a second rating of the booking, even another level: a duplicate, nothing changes
        let again = store
            .add_rating(&new_rating(
                booked,
                rating("dissatisfied", &["attitude"], None),
                start + Duration::hours(2),
            ))
            .await
            .unwrap();
        assert_eq!(again, Err(Duplicate), "{engine}");
        assert_eq!(of(&store, booked).await.rating, good);
        assert!(store.open_follow_ups().await.unwrap().is_empty());

        // a walk-in with the same id number as the booking is another service
        let w = walk_in(&store).await;
        let poor = rating(
            "very_dissatisfied",
            &["waiting_time", "attitude"],
            Some("等了一个小时"),
        );
        store
            .add_rating(&new_rating(w, poor.clone(), now()))
            .await
            .unwrap()
            .unwrap();
        let back = of(&store, w).await;
        assert_eq!(back.rating.reasons, [Reason::WaitingTime, Reason::Attitude]);
        assert_eq!(back.rating, poor);
        // a case that does not exist cannot be rated (the foreign key)
        assert!(store
            .add_rating(&new_rating(RatedSubject::Case(999), poor.clone(), now()))
            .await
            .is_err());
        // a poor rating without its due date is the caller's bug
        let mut no_due = new_rating(walk_in(&store).await, poor, now());
        no_due.follow_up_due = None;
        assert!(matches!(
            store.add_rating(&no_due).await,
            Err(StoreError::Corrupt(_))
        ));
        assert_eq!(store.rating_of(no_due.subject).await.unwrap(), None);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_ratings_of_one_service_make_one() {
    for engine in engines() {
        let (_db, store) = store(engine).await;
        let w = walk_in(&store).await;
        let mut tasks = Vec::new();
        for i in 0..20 {
            let store = store.clone();
            let level = Level::ALL[i % 5];
            let r = rating(
                level.code(),
                if level.is_poor() {
                    &["outcome"][..]
                } else {
                    &[]
                },
                None,
            );
            tasks.push(tokio::spawn(async move {
                store
                    .add_rating(&new_rating(w, r, now() + Duration::seconds(i as i64)))
                    .await
                    .unwrap()
            }));
        }
        let mut won = Vec::new();
        for t in tasks {
            if let Ok(id) = t.await.unwrap() {
                won.push(id);
            }
        }
        assert_eq!(won.len(), 1, "{engine}: exactly one rating is stored");
        let back = of(&store, w).await;
        assert_eq!(back.id, won[0]);
        // its follow-up exists exactly when it is poor
        assert_eq!(back.follow_up.is_some(), back.rating.level.is_poor());
        let open = store.open_follow_ups().await.unwrap();
        assert_eq!(
            open.len(),
            usize::from(back.rating.level.is_poor()),
            "{engine}"
        );
    }
}

#[tokio::test]
async fn a_poor_rating_opens_a_follow_up_that_is_called_then_closed() {
    for engine in engines() {
        let (_db, store) = store(engine).await;
        let by = head(&store).await;
        let w = walk_in(&store).await;
        let id = store
            .add_rating(&new_rating(
                w,
                rating("dissatisfied", &["waiting_time"], None),
                now(),
            ))
            .await
            .unwrap()
            .unwrap();
        let f = of(&store, w).await.follow_up.expect("a follow-up");
        assert_eq!(f.follow_up.due, d("2026-03-06"), "{engine}");
        assert_eq!(f.follow_up.opened_at, now());
        assert_eq!(f.follow_up.state, FollowUpState::Open);
        assert_eq!((f.called_by, f.closed_by), (None, None));
        let at_place = store.follow_ups_at(PLACE, true).await.unwrap();
        assert_eq!(at_place.iter().map(|r| r.id).collect::<Vec<_>>(), [id]);
        assert!(store
            .follow_ups_at(LocationId(99), false)
            .await
            .unwrap()
            .is_empty());

        // the call
        let call_at = now() + Duration::days(1);
        let mut follow_up = f.follow_up.clone();
        let said = Note::parse("said", "当事人表示等候太久").unwrap();
        follow_up
            .apply(FollowUpStep::Call { said: said.clone() }, call_at)
            .unwrap();
        assert!(store
            .step_follow_up(id, "open", &follow_up.state, by, call_at)
            .await
            .unwrap());
        // the same step again from a stale "open": refused, nothing changes
        assert!(!store
            .step_follow_up(
                id,
                "open",
                &follow_up.state,
                by,
                call_at + Duration::hours(1)
            )
            .await
            .unwrap());
        let f = of(&store, w).await.follow_up.unwrap();
        assert_eq!(f.follow_up, follow_up, "{engine}");
        assert_eq!((f.called_by, f.closed_by), (Some(by), None));
        assert_eq!(f.updated_at, call_at);

        // the close
        let close_at = call_at + Duration::hours(3);
        let mut closed = follow_up.clone();
        closed
            .apply(
                FollowUpStep::Close {
                    changed: Note::parse("changed", "周五上午增开一个窗口").unwrap(),
                },
                close_at,
            )
            .unwrap();
        // a stale expected state ("open" after the call) fails
        assert!(!store
            .step_follow_up(id, "open", &closed.state, by, close_at)
            .await
            .unwrap());
        assert!(store
            .step_follow_up(id, "called", &closed.state, by, close_at)
            .await
            .unwrap());
        let f = of(&store, w).await.follow_up.unwrap();
        assert_eq!(f.follow_up, closed, "{engine}");
        assert_eq!(f.follow_up.closed_on_time(), Some(true));
        assert_eq!((f.called_by, f.closed_by), (Some(by), Some(by)));
        assert!(store.follow_ups_at(PLACE, true).await.unwrap().is_empty());
        assert_eq!(store.follow_ups_at(PLACE, false).await.unwrap().len(), 1);
        assert!(store.open_follow_ups().await.unwrap().is_empty());
        // no follow-up for that rating id + 1, or for a good rating
        assert!(!store
            .step_follow_up(id + 1, "open", &follow_up.state, by, close_at)
            .await
            .unwrap());
    }
}

#[tokio::test]
async fn the_tally_counts_levels_reasons_and_follow_ups_per_place_and_service() {
    for engine in engines() {
        let (_db, store) = store(engine).await;
        let by = head(&store).await;
        // due Friday 6 March: the deadline is 00:00 on 7 March, Shanghai
        let deadline = Utc.with_ymd_and_hms(2026, 3, 6, 16, 0, 0).unwrap();
        let said = Note::parse("said", "已联系").unwrap();
        let changed = Note::parse("changed", "已改进").unwrap();
        let mut poor_ids = Vec::new();
        for (level, reasons) in [
            ("very_satisfied", &[][..]),
            ("satisfied", &[]),
            ("basic", &["attitude"][..]),
            ("dissatisfied", &["waiting_time", "attitude"]),
            ("dissatisfied", &["waiting_time"]),
            ("very_dissatisfied", &["outcome"]),
            ("very_dissatisfied", &["other"]),
        ] {
            let w = walk_in(&store).await;
            let id = store
                .add_rating(&new_rating(w, rating(level, reasons, None), now()))
                .await
                .unwrap()
                .unwrap();
            if Level::parse(level).unwrap().is_poor() {
                poor_ids.push((w, id));
            }
        }
        // outside the period: not counted
        let w = walk_in(&store).await;
        store
            .add_rating(&new_rating(
                w,
                rating("satisfied", &[], None),
                now() + Duration::days(40),
            ))
            .await
            .unwrap()
            .unwrap();
        // follow-ups: one closed on time, one closed late, one open, one overdue (at `check`)
        for (i, (w, id)) in poor_ids.iter().take(2).enumerate() {
            let mut f = of(&store, *w).await.follow_up.unwrap().follow_up;
            let at = if i == 0 {
                deadline - Duration::hours(1)
            } else {
                deadline
            };
            f.apply(FollowUpStep::Call { said: said.clone() }, at)
                .unwrap();
            assert!(store
                .step_follow_up(*id, "open", &f.state, by, at)
                .await
                .unwrap());
            f.apply(
                FollowUpStep::Close {
                    changed: changed.clone(),
                },
                at,
            )
            .unwrap();
            assert!(store
                .step_follow_up(*id, "called", &f.state, by, at)
                .await
                .unwrap());
        }
        let from = now() - Duration::days(1);
        let to = now() + Duration::days(30);
        let before_deadline = store
            .rating_tally(from, to, deadline - Duration::hours(1))
            .await
            .unwrap();
        assert_eq!(before_deadline[&(PLACE, SERVICE)].open, 2, "{engine}");
        assert_eq!(before_deadline[&(PLACE, SERVICE)].overdue, 0);

        let tally = store
            .rating_tally(from, to, deadline + Duration::hours(1))
            .await
            .unwrap();
        assert_eq!(tally.len(), 1, "{engine}");
        let t = tally[&(PLACE, SERVICE)];
        assert_eq!(t.total(), 7, "{engine}");
        assert_eq!(t.good(), 3);
        assert_eq!(t.count(Level::Dissatisfied), 2);
        assert_eq!(t.count(Level::VeryDissatisfied), 2);
        assert_eq!(t.count(Level::Satisfied), 1);
        // the reason sent with 基本满意 was dropped by the form
        assert_eq!(t.reason_count(Reason::Attitude), 1);
        assert_eq!(t.reason_count(Reason::WaitingTime), 2);
        assert_eq!(t.reason_count(Reason::Outcome), 1);
        assert_eq!(t.reason_count(Reason::Other), 1);
        assert_eq!(t.reason_count(Reason::Environment), 0);
        assert_eq!(
            (t.closed_on_time, t.closed_late, t.open, t.overdue),
            (1, 1, 0, 2),
            "{engine}"
        );
        let s = t.satisfaction();
        assert_eq!((s.numerator, s.denominator), (3, 7));
        // another period: nothing, or only the later rating
        assert!(store
            .rating_tally(from - Duration::days(10), from, now())
            .await
            .unwrap()
            .is_empty());
        let later = store
            .rating_tally(to, to + Duration::days(30), now())
            .await
            .unwrap();
        assert_eq!(later[&(PLACE, SERVICE)].total(), 1);
        assert_eq!(later[&(PLACE, SERVICE)].good(), 1);
    }
}

#[tokio::test]
async fn retention_clears_comments_and_notes_of_old_ratings_with_closed_follow_ups() {
    use domain::retention::{Cutoff, ANONYMISED_NAME};
    for engine in engines() {
        let (_db, store) = store(engine).await;
        let by = head(&store).await;
        let good = walk_in(&store).await;
        store
            .add_rating(&new_rating(
                good,
                rating("satisfied", &[], Some("张先生很好，电话 13800000000")),
                now(),
            ))
            .await
            .unwrap()
            .unwrap();
        let mut closed_and_open = Vec::new();
        for _ in 0..2 {
            let w = walk_in(&store).await;
            let id = store
                .add_rating(&new_rating(
                    w,
                    rating("dissatisfied", &["attitude"], Some("态度差")),
                    now(),
                ))
                .await
                .unwrap()
                .unwrap();
            closed_and_open.push((w, id));
        }
        let (closed, closed_id) = closed_and_open[0];
        let mut f = of(&store, closed).await.follow_up.unwrap().follow_up;
        for (from, step) in [
            (
                "open",
                FollowUpStep::Call {
                    said: Note::parse("said", "李女士说窗口人员不耐烦").unwrap(),
                },
            ),
            (
                "called",
                FollowUpStep::Close {
                    changed: Note::parse("changed", "已批评教育").unwrap(),
                },
            ),
        ] {
            f.apply(step, now()).unwrap();
            assert!(store
                .step_follow_up(closed_id, from, &f.state, by, now())
                .await
                .unwrap());
        }
        // a year and more later
        let later = now() + Duration::days(400);
        let cutoff = Cutoff::at(later, 365);
        let done = store.anonymise_due(&cutoff, later, 100).await.unwrap();
        assert_eq!(done.ratings, 2, "{engine}");
        let g = of(&store, good).await;
        assert_eq!(g.rating.comment, None);
        assert_eq!(g.rating.level, Level::Satisfied, "the level stays");
        let c = of(&store, closed).await;
        assert_eq!(c.rating.comment, None);
        assert_eq!(c.rating.reasons, [Reason::Attitude]);
        match &c.follow_up.unwrap().follow_up.state {
            FollowUpState::Closed { call, changed, .. } => {
                assert_eq!(call.said.as_str(), ANONYMISED_NAME);
                assert_eq!(changed.as_str(), ANONYMISED_NAME);
            }
            other => panic!("{other:?}"),
        }
        // an open follow-up keeps its rating's text until it is closed
        let o = of(&store, closed_and_open[1].0).await;
        assert_eq!(
            o.rating.comment.as_ref().map(Comment::as_str),
            Some("态度差"),
            "{engine}"
        );
        assert_eq!(
            store
                .anonymise_due(&cutoff, later, 100)
                .await
                .unwrap()
                .ratings,
            0
        );
    }
}

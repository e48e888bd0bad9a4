//! The store of phone verification codes on both engines: a code issued is read back as the
//! phone's live challenge, tries are counted, a code is used once however many right guesses
//! race, the caps read the issue times, and old codes are purged (by the store's own purge
//! and by the retention job).

use backend::retention::Retention;
use backend::store::{PhoneChallenge, Store};
use backend::testing::{engines, fresh_store};
use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::verify::{check, may_issue, CheckOutcome, VerifyPolicy};
use std::sync::Arc;

const PHONE: &str = "13800138000";
const OTHER: &str = "13900139000";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 2, 0, 0).unwrap()
}

async fn live(store: &Arc<dyn Store>, phone: &str) -> Option<PhoneChallenge> {
    store.phone_challenge(phone).await.unwrap()
}

#[tokio::test]
async fn a_code_is_issued_and_read_back_as_the_live_challenge() {
    for engine in engines() {
        let (_db, store) = fresh_store(engine).await;
        assert_eq!(live(&store, PHONE).await, None, "{engine}: no code yet");

        // any bytes, kept as given (a keyed hash has zeros and high bytes)
        let secret: Vec<u8> = (0..=255u8).rev().chain([0, 0, 1]).collect();
        let id = store.issue_phone_code(PHONE, &secret, t0()).await.unwrap();
        let c = live(&store, PHONE).await.expect("the code just issued");
        assert_eq!(c.id, id, "{engine}");
        assert_eq!(c.challenge.secret, secret, "{engine}: bytes round-trip");
        assert_eq!(c.challenge.issued_at, t0(), "{engine}");
        assert_eq!(c.challenge.tries, 0, "{engine}");
        assert_eq!(
            live(&store, OTHER).await,
            None,
            "{engine}: other phones have none"
        );

        // instants are kept to the second, like every stored instant
        let late = t0() + Duration::milliseconds(700);
        let other = store.issue_phone_code(OTHER, b"x", late).await.unwrap();
        let c = live(&store, OTHER).await.unwrap();
        assert_eq!((c.id, c.challenge.issued_at), (other, t0()), "{engine}");

        // a later code replaces it, even one issued in the same second
        let second = store
            .issue_phone_code(PHONE, b"second", t0())
            .await
            .unwrap();
        assert_ne!(second, id);
        let c = live(&store, PHONE).await.unwrap();
        assert_eq!(
            (c.id, c.challenge.secret.as_slice()),
            (second, &b"second"[..])
        );
        let third = store
            .issue_phone_code(PHONE, b"third", t0() + Duration::seconds(40))
            .await
            .unwrap();
        assert_eq!(live(&store, PHONE).await.unwrap().id, third, "{engine}");

        // the domain checks against what the store gives back
        let policy = VerifyPolicy::default();
        let c = live(&store, PHONE).await.unwrap().challenge;
        let at = t0() + Duration::minutes(1);
        assert_eq!(check(&c, b"third", at, &policy), CheckOutcome::Verified);
        assert!(matches!(
            check(&c, b"second", at, &policy),
            CheckOutcome::Wrong { .. }
        ));

        // once used, the phone has no live code: the earlier unused ones do not come back
        assert!(store.use_phone_code(third, at).await.unwrap(), "{engine}");
        assert_eq!(
            live(&store, PHONE).await,
            None,
            "{engine}: used codes are not live"
        );
        assert!(
            !store.use_phone_code(third, at).await.unwrap(),
            "{engine}: used once"
        );
        assert!(
            !store.use_phone_code(999_999, at).await.unwrap(),
            "{engine}: no such code"
        );
    }
}

#[tokio::test]
async fn wrong_tries_are_counted() {
    for engine in engines() {
        let (_db, store) = fresh_store(engine).await;
        let id = store.issue_phone_code(PHONE, b"code", t0()).await.unwrap();
        for n in 1..=5u32 {
            assert_eq!(
                store.count_phone_code_try(id).await.unwrap(),
                Some(n),
                "{engine}"
            );
        }
        let c = live(&store, PHONE).await.unwrap().challenge;
        assert_eq!(c.tries, 5, "{engine}");
        let policy = VerifyPolicy::default();
        assert_eq!(
            check(&c, b"code", t0(), &policy),
            CheckOutcome::TooManyTries,
            "{engine}: locked after 5 wrong tries"
        );

        // concurrent wrong guesses each count once
        let other = store.issue_phone_code(OTHER, b"code", t0()).await.unwrap();
        let guesses = (0..20).map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.count_phone_code_try(other).await.unwrap().unwrap() })
        });
        let mut counts = Vec::new();
        for g in guesses {
            counts.push(g.await.unwrap());
        }
        counts.sort_unstable();
        assert_eq!(
            counts,
            (1..=20).collect::<Vec<u32>>(),
            "{engine}: every try counted once"
        );
        assert_eq!(live(&store, OTHER).await.unwrap().challenge.tries, 20);

        // a used or unknown code counts nothing
        assert!(store.use_phone_code(other, t0()).await.unwrap());
        assert_eq!(
            store.count_phone_code_try(other).await.unwrap(),
            None,
            "{engine}"
        );
        assert_eq!(store.count_phone_code_try(999_999).await.unwrap(), None);
        // the first phone's code is untouched by all this
        assert_eq!(live(&store, PHONE).await.unwrap().challenge.tries, 5);
    }
}

#[tokio::test]
async fn concurrent_right_guesses_verify_once() {
    for engine in engines() {
        let (_db, store) = fresh_store(engine).await;
        let id = store.issue_phone_code(PHONE, b"code", t0()).await.unwrap();
        let at = t0() + Duration::seconds(30);
        let guesses: Vec<_> = (0..20)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { store.use_phone_code(id, at).await.unwrap() })
            })
            .collect();
        let mut verified = 0;
        for g in guesses {
            verified += usize::from(g.await.unwrap());
        }
        assert_eq!(
            verified, 1,
            "{engine}: exactly one of 20 marks the code used"
        );
        assert_eq!(live(&store, PHONE).await, None, "{engine}");
    }
}

#[tokio::test]
async fn issue_times_since_an_instant_feed_the_caps() {
    for engine in engines() {
        let (_db, store) = fresh_store(engine).await;
        let policy = VerifyPolicy::default();
        // 4 codes over the last 20 hours, the newest one 10 minutes ago
        let now = t0();
        let times = [
            now - Duration::hours(20),
            now - Duration::minutes(50),
            now - Duration::minutes(30),
            now - Duration::minutes(10),
        ];
        // issued out of order: the answer is oldest first anyway
        for at in [times[2], times[0], times[3], times[1]] {
            store.issue_phone_code(PHONE, b"x", at).await.unwrap();
        }
        store.issue_phone_code(OTHER, b"x", now).await.unwrap();
        // a used code still counts against the caps
        let used = store.phone_challenge(PHONE).await.unwrap().unwrap().id;
        assert!(store.use_phone_code(used, now).await.unwrap());

        // what the caps count: the phone's codes of the last 24 hours
        let last_day = || async {
            store
                .phone_codes_issued_since(PHONE, now - Duration::hours(24))
                .await
                .unwrap()
        };
        let day = last_day().await;
        assert_eq!(day, times, "{engine}");
        let hour = store
            .phone_codes_issued_since(PHONE, now - Duration::hours(1))
            .await
            .unwrap();
        assert_eq!(hour, times[1..], "{engine}");
        // the bound is inclusive
        let from_30 = store
            .phone_codes_issued_since(PHONE, times[2])
            .await
            .unwrap();
        assert_eq!(from_30, times[2..], "{engine}");
        assert!(store
            .phone_codes_issued_since("13700137000", now - Duration::hours(24))
            .await
            .unwrap()
            .is_empty());

        // 3 in the hour: a 4th and a 5th may go, not a 6th
        assert_eq!(may_issue(&day, now, &policy), Ok(()));
        store.issue_phone_code(PHONE, b"x", now).await.unwrap();
        assert_eq!(may_issue(&last_day().await, now, &policy), Ok(()));
        store.issue_phone_code(PHONE, b"x", now).await.unwrap();
        let day = last_day().await;
        let refused = may_issue(&day, now, &policy).unwrap_err();
        assert_eq!(refused.retry_at, times[1] + Duration::hours(1), "{engine}");
    }
}

#[tokio::test]
async fn old_codes_are_purged() {
    for engine in engines() {
        let (_db, store) = fresh_store(engine).await;
        let cutoff = t0() - Duration::hours(24);
        let old = [cutoff - Duration::days(3), cutoff - Duration::seconds(1)];
        for at in old {
            store.issue_phone_code(PHONE, b"old", at).await.unwrap();
        }
        // a used old code goes too; one issued exactly at the cut-off stays
        let used = store.phone_challenge(PHONE).await.unwrap().unwrap().id;
        assert!(store.use_phone_code(used, cutoff).await.unwrap());
        store
            .issue_phone_code(OTHER, b"old", cutoff - Duration::hours(2))
            .await
            .unwrap();
        let kept = store
            .issue_phone_code(PHONE, b"edge", cutoff)
            .await
            .unwrap();
        store.issue_phone_code(OTHER, b"new", t0()).await.unwrap();

        assert_eq!(
            store.purge_phone_codes(cutoff).await.unwrap(),
            3,
            "{engine}"
        );
        assert_eq!(
            store.purge_phone_codes(cutoff).await.unwrap(),
            0,
            "{engine}: nothing left"
        );
        let since = t0() - Duration::days(30);
        assert_eq!(
            store.phone_codes_issued_since(PHONE, since).await.unwrap(),
            vec![cutoff]
        );
        assert_eq!(
            store.phone_codes_issued_since(OTHER, since).await.unwrap(),
            vec![t0()]
        );
        assert_eq!(live(&store, PHONE).await.unwrap().id, kept, "{engine}");
    }
}

#[tokio::test]
async fn the_retention_job_deletes_codes_older_than_its_cutoff() {
    for engine in engines() {
        let (_db, store) = fresh_store(engine).await;
        let days = 30;
        let now = t0();
        let before = now - Duration::days(days.into());
        for i in 0..3 {
            store
                .issue_phone_code(PHONE, b"old", before - Duration::hours(i + 1))
                .await
                .unwrap();
        }
        store
            .issue_phone_code(PHONE, b"kept", before)
            .await
            .unwrap();
        store.issue_phone_code(OTHER, b"kept", now).await.unwrap();

        let retention = Retention::new(store.clone(), days, Arc::new(move || now));
        let done = retention.run().await.unwrap();
        assert_eq!(done.phone_codes, 3, "{engine}");
        assert_eq!(done.total(), 3, "{engine}: nothing else was there to do");
        let since = now - Duration::days(365);
        assert_eq!(
            store.phone_codes_issued_since(PHONE, since).await.unwrap(),
            vec![before]
        );
        assert_eq!(
            store.phone_codes_issued_since(OTHER, since).await.unwrap(),
            vec![now]
        );
        assert_eq!(retention.run().await.unwrap().total(), 0, "{engine}");
    }
}

//! The phone verifier on both engines: guesses sent at the same time never get more than
//! five tries, a right code verifies once however many copies race, concurrent requests for
//! codes never pass the caps together, and the text message carries the code but no service.

use async_trait::async_trait;
use backend::booking::Clock;
use backend::notify::{Notifier, Sender};
use backend::seal::Sealer;
use backend::store::Store;
use backend::testing::{engines, fresh_store};
use backend::verify::{PhoneProof, PhoneVerifier, VerifyError, VerifyMode};
use chrono::{TimeZone, Utc};
use domain::booking::MobilePhone;
use domain::Lang;
use std::sync::{Arc, Mutex};

const PHONE: &str = "13800138000";

fn clock() -> Clock {
    Arc::new(|| Utc.with_ymd_and_hms(2026, 12, 7, 2, 0, 0).unwrap())
}

/// Keeps what it is asked to send.
#[derive(Default)]
struct Inbox(Mutex<Vec<(String, String)>>);

#[async_trait]
impl Sender for Inbox {
    async fn send(&self, phone: &str, body: &str) -> Result<(), String> {
        self.0.lock().unwrap().push((phone.into(), body.into()));
        Ok(())
    }
    fn name(&self) -> &'static str {
        "inbox"
    }
}

fn verifier(store: &Arc<dyn Store>, inbox: &Arc<Inbox>) -> (PhoneVerifier, Notifier) {
    let notifier = Notifier::new(store.clone(), inbox.clone(), clock());
    let v = PhoneVerifier::new(
        store.clone(),
        Sealer::with_key(b"test key"),
        VerifyMode::Sms,
        clock(),
    )
    .with_notifier(notifier.clone())
    .showing_codes(true);
    (v, notifier)
}

fn proof(code: &str) -> PhoneProof {
    PhoneProof::code(Some(code.to_string()))
}

#[tokio::test]
async fn concurrent_guesses_get_five_tries_and_a_right_code_verifies_once() {
    for engine in engines() {
        let (_db, store) = fresh_store(engine).await;
        let inbox = Arc::new(Inbox::default());
        let (v, _) = verifier(&store, &inbox);
        let phone = MobilePhone::parse(PHONE).unwrap();

        // 20 wrong guesses at once: five are compared (and refused), the rest find it locked
        let code = v
            .send_code(PHONE, Lang::ZhCn)
            .await
            .unwrap()
            .demo_code
            .unwrap();
        let wrong = format!(
            "{:06}",
            (code.as_str().parse::<u32>().unwrap() + 1) % 1_000_000
        );
        let guesses: Vec<_> = (0..20)
            .map(|_| {
                let (v, phone, wrong) = (v.clone(), phone.clone(), wrong.clone());
                tokio::spawn(async move { v.confirm(&phone, &proof(&wrong)).await })
            })
            .collect();
        let mut compared = 0;
        for g in guesses {
            match g.await.unwrap() {
                Err(VerifyError::Invalid(f)) if f.message.contains("还可以再试") => {
                    compared += 1
                }
                Err(VerifyError::Stale(f)) => assert!(f.message.contains("输错次数过多"), "{f:?}"),
                other => panic!("{engine}: {other:?}"),
            }
        }
        assert_eq!(compared, 4, "{engine}: the fifth wrong try locks it");
        assert!(
            v.confirm(&phone, &proof(code.as_str())).await.is_err(),
            "{engine}: locked"
        );

        // 20 right guesses at once: one verifies
        let code = v
            .send_code(PHONE, Lang::ZhCn)
            .await
            .unwrap()
            .demo_code
            .unwrap();
        let guesses: Vec<_> = (0..20)
            .map(|_| {
                let (v, phone, code) = (v.clone(), phone.clone(), code.to_string());
                tokio::spawn(async move { v.confirm(&phone, &proof(&code)).await.is_ok() })
            })
            .collect();
        let mut verified = 0;
        for g in guesses {
            verified += usize::from(g.await.unwrap());
        }
        assert_eq!(verified, 1, "{engine}");
    }
}

#[tokio::test]
async fn concurrent_requests_for_codes_stay_within_the_hours_cap() {
    for engine in engines() {
        let (_db, store) = fresh_store(engine).await;
        let inbox = Arc::new(Inbox::default());
        let (v, _) = verifier(&store, &inbox);
        let sends: Vec<_> = (0..30)
            .map(|_| {
                let v = v.clone();
                tokio::spawn(async move { v.send_code(PHONE, Lang::ZhCn).await })
            })
            .collect();
        let (mut sent, mut capped) = (0, 0);
        for s in sends {
            match s.await.unwrap() {
                Ok(_) => sent += 1,
                Err(VerifyError::TooManyCodes(_)) => capped += 1,
                Err(e) => panic!("{engine}: {e:?}"),
            }
        }
        assert_eq!((sent, capped), (5, 25), "{engine}");
    }
}

#[tokio::test]
async fn the_message_carries_the_code_and_names_no_service() {
    for engine in engines() {
        let (_db, store) = fresh_store(engine).await;
        let inbox = Arc::new(Inbox::default());
        let (v, notifier) = verifier(&store, &inbox);
        let code = v
            .send_code(PHONE, Lang::ZhCn)
            .await
            .unwrap()
            .demo_code
            .unwrap();
        assert_eq!(notifier.send_due().await, (1, 0), "{engine}");
        let sent = inbox.0.lock().unwrap().clone();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].0, PHONE);
        assert!(sent[0].1.contains(code.as_str()), "{}", sent[0].1);
        for word in ["心理", "咨询", "调解"] {
            assert!(!sent[0].1.contains(word), "{}", sent[0].1);
        }
        // sent once: nothing is due later
        let later = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
        let due = store
            .claim_due_notifications(later, later, 99, 100)
            .await
            .unwrap();
        assert!(due.is_empty(), "{engine}");
        assert!(
            !store
                .phone_codes_issued_since(PHONE, later - chrono::Duration::days(5000))
                .await
                .unwrap()
                .is_empty(),
            "{engine}: the issue time is kept for the caps"
        );
    }
}

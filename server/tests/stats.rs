//! Statistics API on a small hand-made district day whose every figure is known: bookings
//! done, cancelled, rescheduled, not come and still booked; walk-ins and a hand-over; waits
//! and service times; psychology with a youth session; every mediation outcome. Then who may
//! see which scope, bad queries, the exports, and figures following later changes.

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};

mod common;
use common::*;

/// Sets the app's clock to a Shanghai wall-clock time in December 2026.
fn at(app: &TestApp, day: u32, hour: u32, minute: u32) {
    app.set_now(
        Utc.with_ymd_and_hms(2026, 12, day, hour, minute, 0)
            .unwrap()
            - chrono::Duration::hours(8),
    );
}

async fn step(c: &Client, path: &str, body: Value) -> Value {
    let (s, b) = c.post(path, &body).await;
    assert!((200..300).contains(&s), "{path} {body}: {s} {b}");
    b
}

/// Calls the next person at `place` and returns the entry called.
async fn call_next(c: &Client, place: i64) -> Value {
    step(c, "/api/v1/staff/call-next", json!({"location_id": place})).await
}

async fn serve_and_finish(app: &TestApp, c: &Client, entry: &Value, minutes: (u32, u32, u32)) {
    let id = entry["id"].as_i64().unwrap();
    step(c, &format!("/api/v1/staff/queue/{id}/serve"), json!({})).await;
    at(app, minutes.0, minutes.1, minutes.2);
    step(
        c,
        &format!("/api/v1/staff/queue/{id}/finish"),
        json!({"outcome": "advice_given"}),
    )
    .await;
}

async fn case(app: &TestApp, dispute: &str, steps: &[Value], clerk: &Client) -> String {
    let (s, created) = app
        .client()
        .post(
            "/api/v1/mediation-requests",
            &json!({"applicant_name": "李梅", "applicant_phone": "13812345678",
                    "other_party_name": "王强", "dispute_type": dispute,
                    "account": "楼上卫生间漏水到我家，多次协商未果，希望对方维修并赔偿损失。",
                    "location_id": 2, "consent": true}),
        )
        .await;
    assert_eq!(s, 201, "{created}");
    let code = created["code"].as_str().unwrap().to_string();
    let path = format!("/api/v1/staff/mediation-cases/{code}/steps");
    for body in steps {
        step(clerk, &path, body.clone()).await;
    }
    code
}

/// The hand-made day. Returns the code of the booking still ahead (14 December).
async fn hand_made_day(app: &TestApp) -> String {
    // bookings made on Sunday evening for Monday 7 December at 大宁路 (office 2)
    at(app, 6, 20, 0);
    let b1 = app
        .book(
            2,
            "legal_consultation",
            "2026-12-07T09:00:00+08:00",
            "13900000001",
        )
        .await;
    let b2 = app
        .book(
            2,
            "legal_consultation",
            "2026-12-07T09:00:00+08:00",
            "13900000002",
        )
        .await;
    // one cancelled (its seat goes to B3), one moved from 09:00 to 09:30
    let resident = app.client();
    let (s, _) = resident.on_booking(&b2, "cancel", "13900000002").await;
    assert_eq!(s, 200);
    let b3 = app
        .book(
            2,
            "legal_consultation",
            "2026-12-07T09:00:00+08:00",
            "13900000003",
        )
        .await;
    let b4 = app
        .book(
            2,
            "legal_consultation",
            "2026-12-07T10:00:00+08:00",
            "13900000004",
        )
        .await;
    let ahead = app
        .book(
            2,
            "legal_consultation",
            "2026-12-14T09:00:00+08:00",
            "13900000005",
        )
        .await;
    // psychology at 江宁路 (office 3): Tuesday, and Friday's youth session
    app.book(3, "psychology", "2026-12-08T13:30:00+08:00", "13900000006")
        .await;
    let (s, body) = app
        .client()
        .post(
            "/api/v1/bookings",
            &json!({"location_id": 3, "service": "psychology", "start": "2026-12-11T13:30:00+08:00",
                    "name": "小周", "phone": "13900000007", "topic": "emotion",
                    "consent": true, "youth": true}),
        )
        .await;
    assert_eq!(s, 201, "{body}");
    let (s, moved) = resident
        .post(
            &format!("/api/v1/bookings/{b3}/reschedule"),
            &json!({"phone": "13900000003", "start": "2026-12-07T09:30:00+08:00"}),
        )
        .await;
    assert_eq!(s, 200, "{moved}");

    let clerk = app.signed_in("o2-clerk").await;
    // 08:50: B1 checks in and a walk-in arrives; the walk-in is called first (slot not begun)
    at(app, 7, 8, 50);
    step(&clerk, "/api/v1/staff/check-in", json!({"code": b1})).await;
    step(
        &clerk,
        "/api/v1/staff/walk-ins",
        json!({"location_id": 2, "service": "legal_consultation"}),
    )
    .await;
    at(app, 7, 8, 55);
    let w1 = call_next(&clerk, 2).await; // waited 5
    assert!(w1["booking_code"].is_null(), "{w1}");
    serve_and_finish(app, &clerk, &w1, (7, 9, 5)).await; // served 10
    at(app, 7, 9, 0);
    let e1 = call_next(&clerk, 2).await; // B1 waited 10
    serve_and_finish(app, &clerk, &e1, (7, 9, 20)).await; // served 20
    step(&clerk, "/api/v1/staff/check-in", json!({"code": b3})).await;
    at(app, 7, 9, 30);
    let e3 = call_next(&clerk, 2).await; // B3 waited 10
    serve_and_finish(app, &clerk, &e3, (7, 9, 50)).await; // served 20
                                                          // a second walk-in is handed over to the reconsideration desk (not a new walk-in there)
    step(
        &clerk,
        "/api/v1/staff/walk-ins",
        json!({"location_id": 2, "service": "legal_consultation"}),
    )
    .await;
    at(app, 7, 9, 55);
    let w2 = call_next(&clerk, 2).await; // waited 5
    let id = w2["id"].as_i64().unwrap();
    step(
        &clerk,
        &format!("/api/v1/staff/queue/{id}/transfer"),
        json!({"service": "admin_reconsideration"}),
    )
    .await;
    // B4 does not come: the server marks it after the grace period
    at(app, 7, 10, 20);
    app.await_no_shows(&[(&b4, "13900000004")], "B4 not marked")
        .await;

    // mediation at 大宁路: one case of each outcome, an open IP case, a refusal, a new request
    let intake = intake_steps(clerk.my_id().await);
    // concluded after a session: each outcome once
    for (dispute, outcome) in [
        (
            "neighbour",
            json!({"kind": "written_agreement", "amount": 500000, "terms": "赔偿5000元"}),
        ),
        (
            "family",
            json!({"kind": "oral_agreement", "terms": "互相谅解"}),
        ),
        ("property", json!({"kind": "failed", "reason": "分歧太大"})),
        ("labour", json!({"kind": "referred", "channel": "court"})),
    ] {
        let mut steps = intake.to_vec();
        steps.push(json!({"action": "schedule_session", "location_id": 2, "start": "2026-12-08T10:00:00+08:00"}));
        steps.push(json!({"action": "conclude", "outcome": outcome}));
        case(app, dispute, &steps, &clerk).await;
    }
    // the other party refuses after the invitation
    let mut refused = intake[..3].to_vec();
    refused.push(json!({"action": "other_party_refuses"}));
    case(app, "family", &refused, &clerk).await;
    case(app, "ip", &[json!({"action": "accept"})], &clerk).await;
    case(
        app,
        "other",
        &[json!({"action": "refuse", "reason": "不属于调解范围"})],
        &clerk,
    )
    .await;
    case(app, "neighbour", &[], &clerk).await;

    // psychology: Tuesday's session, then Friday's youth session, both held
    let psy = app.signed_in("psy").await;
    for day in [8, 11] {
        at(app, day, 13, 25);
        let (_, q) = psy.get("/api/v1/staff/queue?location_id=3").await;
        let code = &item(&q["bookings"], "state", "booked")["code"];
        step(&psy, "/api/v1/staff/check-in", json!({"code": code})).await;
        at(app, day, 13, 30);
        let e = call_next(&psy, 3).await; // waited 5
        serve_and_finish(app, &psy, &e, (day, 14, 20)).await; // served 50
    }
    ahead
}

fn service<'a>(figures: &'a Value, code: &str) -> &'a Value {
    item(&figures["bookings"], "service", code)
}

fn ratio(v: &Value) -> (u64, u64, Option<&str>) {
    (
        v["numerator"].as_u64().unwrap(),
        v["denominator"].as_u64().unwrap(),
        v["percent"].as_str(),
    )
}

#[tokio::test]
async fn every_figure_of_a_hand_made_month() {
    let app = spawn_app().await;
    let ahead = hand_made_day(&app).await;
    let head = app.signed_in("o2-head").await;
    let (s, d) = head
        .get("/api/v1/stats?scope=2&from=2026-12-01&to=2026-12-31")
        .await;
    assert_eq!(s, 200, "{d}");
    let f = &d["figures"];
    let legal = service(f, "legal_consultation");
    assert_eq!(legal["total"], 5);
    assert_eq!(legal["booked"], 1, "the booking of 14 December");
    assert_eq!(legal["cancelled"], 1);
    assert_eq!(legal["attended"], 2);
    assert_eq!(legal["done"], 2);
    assert_eq!(legal["no_show"], 1);
    assert_eq!(legal["rescheduled"], 1, "moved once, counted once");
    assert_eq!(legal["walk_ins"], 2);
    assert_eq!(f["walk_ins"], 2, "the hand-over is not a walk-in");
    assert_eq!(f["transferred"], 1);
    assert_eq!(f["served"], 3);
    assert_eq!(ratio(&f["no_show_rate"]), (1, 3, Some("33.33%")));
    // waits 5, 10, 10, 5 minutes; service 10, 20, 20
    assert_eq!(f["wait"]["count"], 4);
    assert_eq!(f["wait"]["average_minutes"], 7.5);
    assert_eq!(f["wait"]["p90_minutes"], 10);
    assert_eq!(f["service_time"]["count"], 3);
    assert_eq!(f["service_time"]["average_minutes"], 16.7);
    assert_eq!(f["service_time"]["p90_minutes"], 20);
    // psychology is at office 3, not in this scope
    assert_eq!(ratio(&f["psychology_youth_share"]), (0, 0, None));

    let m = &f["mediation"];
    assert_eq!(
        (m["requests"].as_u64(), m["refused"].as_u64()),
        (Some(8), Some(1))
    );
    assert_eq!(
        (m["accepted"].as_u64(), m["settled"].as_u64()),
        (Some(6), Some(2))
    );
    assert_eq!(ratio(&m["success_rate"]), (2, 6, Some("33.33%")));
    assert_eq!(m["written_agreements"], 1);
    assert_eq!(m["oral_agreements"], 1);
    assert_eq!(m["failed"], 1);
    assert_eq!(m["not_mediated"], 1);
    assert_eq!(m["referred"], 1);
    assert_eq!(m["open"], 1);
    assert_eq!(m["amount_fen"], 500000);
    assert_eq!(
        (m["ip_accepted"].as_u64(), m["ip_settled"].as_u64()),
        (Some(1), Some(0))
    );
    let referrals: Vec<(String, u64)> = m["referrals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_string(),
                r["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        referrals,
        [
            ("court".into(), 1),
            ("police_law_firm".into(), 0),
            ("procuratorate".into(), 0),
            ("department".into(), 0)
        ]
    );
    let by_type = |t: &str| item(&m["by_type"], "key", t)["count"].as_u64().unwrap();
    assert_eq!(
        (
            by_type("neighbour"),
            by_type("family"),
            by_type("property"),
            by_type("labour"),
            by_type("ip")
        ),
        (1, 2, 1, 1, 1)
    );

    // the report paragraph says the same
    assert_eq!(
        d["report_zh"][0],
        "2026年12月，大宁路街道司法所及所辖居村人民调解委员会共受理纠纷6件，成功化解2件，成功率为33.33%，制作书面协议书1份，达成口头协议1件，书面协议涉及金额0.50万元；尚在调解1件。通过“诉调对接”转交1件。各知识产权调解工作室共受理知识产权纠纷1件，调解成功0件。"
    );
    assert_eq!(
        d["report_zh"][1],
        "2026年12月，大宁路街道司法所及所辖居村法律服务工作室共接待法律咨询4人次（其中预约2人次、现场2人次）。预约后未到1人次，爽约率为33.33%。"
    );
    // the office view drills down to the office itself and each of its workrooms
    let rows = d["rows"].as_array().unwrap();
    assert_eq!(rows[0]["location_id"], 2);
    assert!(rows.iter().any(|r| r["location_id"] == 201));
    assert_eq!(d["previous_period"]["from"], "2026-11-01");
    assert_eq!(d["previous"]["bookings_total"], 0);

    // the district: 大宁路's row is the office's dashboard; 江宁路's has the youth session
    let district = app.signed_in("district").await;
    let (s, all) = district
        .get("/api/v1/stats?scope=district&from=2026-12-01&to=2026-12-31")
        .await;
    assert_eq!(s, 200);
    let row = |id: i64| item(&all["rows"], "location_id", id).clone();
    assert_eq!(all["rows"].as_array().unwrap().len(), 14);
    assert_eq!(row(2)["figures"], d["figures"]);
    let psychology = service(&row(3)["figures"], "psychology").clone();
    assert_eq!(
        (
            psychology["total"].as_u64(),
            psychology["attended"].as_u64()
        ),
        (Some(2), Some(2))
    );
    assert_eq!(
        ratio(&all["figures"]["psychology_youth_share"]),
        (1, 2, Some("50.00%"))
    );
    assert_eq!(all["figures"]["bookings_total"], 7);
    assert_eq!(all["figures"]["wait"]["count"], 6);
    // waits 5,5,5,5,10,10 → p90 is the 6th; service 10,20,20,50,50 → p90 the 5th
    assert_eq!(all["figures"]["wait"]["p90_minutes"], 10);
    assert_eq!(all["figures"]["service_time"]["p90_minutes"], 50);

    // a ragged period (from the working tables, not the monthly roll-ups) agrees on its days
    let (s, days) = district
        .get("/api/v1/stats?scope=2&from=2026-12-07&to=2026-12-07")
        .await;
    assert_eq!(s, 200);
    let legal_day = service(&days["figures"], "legal_consultation");
    assert_eq!(
        (legal_day["total"].as_u64(), legal_day["booked"].as_u64()),
        (Some(4), Some(0))
    );
    assert_eq!(days["figures"]["wait"], f["wait"]);
    assert_eq!(days["figures"]["mediation"]["accepted"], 6);

    // a later change shows at once: cancelling the booking ahead
    let (s, _) = app
        .client()
        .on_booking(&ahead, "cancel", "13900000005")
        .await;
    assert_eq!(s, 200);
    let (_, after) = head
        .get("/api/v1/stats?scope=2&from=2026-12-01&to=2026-12-31")
        .await;
    let legal = service(&after["figures"], "legal_consultation");
    assert_eq!(
        (legal["booked"].as_u64(), legal["cancelled"].as_u64()),
        (Some(0), Some(2))
    );
}

#[tokio::test]
async fn who_may_see_which_scope_and_bad_queries() {
    let app = spawn_app().await;
    let month = "from=2026-12-01&to=2026-12-31";
    for (who, scope, status) in [
        ("district", "district", 200),
        ("district", "201", 200),
        ("auditor", "district", 200),
        ("auditor", "5", 200),
        ("o2-head", "2", 200),
        ("o2-head", "201", 200),
        ("o2-head", "3", 403),
        ("o2-head", "district", 403),
        ("o2-clerk", "2", 403),
        ("psy", "3", 403),
    ] {
        let (s, body) = app
            .signed_in(who)
            .await
            .get(&format!("/api/v1/stats?scope={scope}&{month}"))
            .await;
        assert_eq!(s, status, "{who} {scope}: {body}");
    }
    let (s, _) = app
        .client()
        .get(&format!("/api/v1/stats?scope=district&{month}"))
        .await;
    assert_eq!(s, 401);

    let district = app.signed_in("district").await;
    for (query, field) in [
        ("scope=district&from=2026-13-01&to=2026-12-31", "from"),
        ("scope=district&from=2026-12-01", "to"),
        ("scope=district&from=2026-12-31&to=2026-12-01", "to"),
        ("scope=everywhere&from=2026-12-01&to=2026-12-31", "scope"),
    ] {
        let (s, body) = district.get(&format!("/api/v1/stats?{query}")).await;
        assert_eq!(
            (s, body["field"].as_str()),
            (422, Some(field)),
            "{query}: {body}"
        );
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
    let (s, _) = district
        .get(&format!("/api/v1/stats?scope=99999&{month}"))
        .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn exports_lay_the_figures_out_as_ledgers() {
    let app = spawn_app().await;
    hand_made_day(&app).await;
    let head = app.signed_in("o2-head").await;
    let r = head
        .fetch("/api/v1/stats/export.csv?scope=2&from=2026-12-01&to=2026-12-31&ledger=mediation")
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("stats-2-2026-12-01-2026-12-31-mediation.csv"));
    let text = r.text().await.unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("byte-order mark for spreadsheets");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "人民调解工作统计台账（大宁路街道司法所，2026年12月）"
    );
    assert!(lines[1].starts_with("单位,收到申请(件),不予受理,受理纠纷(件),成功化解(件),成功率"));
    let total = lines.last().unwrap();
    assert_eq!(*total, "合计,8,1,6,2,33.33%,1,1,0.50,1,1,1,0,0,0,1,1,0");
    assert!(lines
        .iter()
        .any(|l| l.starts_with("大宁路街道司法所,8,1,6,2")));

    let services = head
        .fetch("/api/v1/stats/export.csv?scope=2&from=2026-12-01&to=2026-12-31")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        services
            .lines()
            .any(|l| l == format!("合计,法律咨询,5,1,1,2,1,33.33%,2,4,,,,,,0,0,0,0,,{NO_RATINGS}")),
        "{services}"
    );
    assert!(
        services
            .lines()
            .any(|l| l
                == format!("合计,小计,5,1,1,2,1,33.33%,2,4,7.5,10,16.7,0,,0,0,0,0,,{NO_RATINGS}")),
        "{services}"
    );
    let (s, body) = head
        .get("/api/v1/stats/export.csv?scope=2&from=2026-12-01&to=2026-12-31&ledger=cases")
        .await;
    assert_eq!((s, body["field"].as_str()), (422, Some("ledger")));

    let r = head
        .fetch("/api/v1/stats/export.xlsx?scope=2&from=2026-12-01&to=2026-12-31")
        .await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK", "an xlsx file is a zip archive");
    // the workbook's shared strings hold both sheets' titles and the places
    let shared = unzip_entry(&bytes, "xl/sharedStrings.xml");
    assert!(shared.contains("人民调解工作统计台账（大宁路街道司法所，2026年12月）"));
    assert!(shared.contains("法律服务接待统计台账"));
    assert!(shared.contains("宁和居民区法律服务工作室"));
    let (s, _) = app
        .signed_in("o3-head")
        .await
        .get("/api/v1/stats/export.xlsx?scope=2&from=2026-12-01&to=2026-12-31")
        .await;
    assert_eq!(s, 403);
}

/// Waiting lists in the JSON (`waitlist` of the scope, of each row and of each service) and
/// in the services ledger's last columns. Entries are joined through the store (the waiting
/// list's own pages are not needed for its statistics).
#[tokio::test]
async fn waiting_lists_show_in_the_json_and_the_services_ledger() {
    use backend::store::NewWaitlistEntry;
    use domain::waitlist::PartOfDay;
    let app = spawn_app().await;
    let store = app.db.open().await.store();
    let monday = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    for (place, service, phone) in [
        (2, "legal_consultation", "13800000001"),
        (201, "legal_consultation", "13800000002"),
        (201, "legal_consultation", "13800000003"),
        (3, "psychology", "13800000004"),
    ] {
        let entry = NewWaitlistEntry {
            location_id: domain::LocationId(place),
            service: service.parse().unwrap(),
            name: "候补".into(),
            phone: phone.into(),
            topic: "labour".into(),
            account: None,
            youth: false,
            from: monday,
            to: monday,
            part: PartOfDay::Any,
            link_code: format!("LINK{phone}"),
            created_at: Utc.with_ymd_and_hms(2026, 12, 6, 12, 0, 0).unwrap(),
        };
        // a second connection pool on the server's SQLite file: its write may meet the
        // server's own writer (busy at once when a read turns into a write), so try again
        for attempt in 1.. {
            match store.join_waitlist(&entry).await {
                Ok(joined) => {
                    joined.unwrap();
                    break;
                }
                Err(e) if attempt < 50 => {
                    eprintln!("join, attempt {attempt}: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => panic!("{e}"),
            }
        }
    }
    let head = app.signed_in("o2-head").await;
    let (s, d) = head
        .get("/api/v1/stats?scope=2&from=2026-12-01&to=2026-12-31")
        .await;
    assert_eq!(s, 200, "{d}");
    let nothing_offered = json!({"numerator": 0, "denominator": 0, "percent": null});
    assert_eq!(
        d["figures"]["waitlist"],
        json!({"joined": 3, "offered": 0, "taken": 0, "expired": 0,
               "taken_rate": nothing_offered})
    );
    assert_eq!(
        item(&d["rows"], "location_id", 2)["figures"]["waitlist"]["joined"],
        1
    );
    assert_eq!(
        item(&d["rows"], "location_id", 201)["figures"]["waitlist"]["joined"],
        2
    );
    assert_eq!(
        service(&d["figures"], "legal_consultation")["waitlist"]["joined"],
        3
    );
    assert_eq!(d["previous"]["waitlist"]["joined"], 0);
    let all = app
        .signed_in("district")
        .await
        .get("/api/v1/stats?scope=district&from=2026-12-01&to=2026-12-31")
        .await
        .1;
    assert_eq!(all["figures"]["waitlist"]["joined"], 4);
    assert_eq!(
        item(&all["rows"], "location_id", 3)["figures"]["waitlist"]["joined"],
        1
    );
    assert!(all["report_zh"][1]
        .as_str()
        .unwrap()
        .contains("候补登记4人次"));

    // the page: a waiting-list table (the total row) and the drill-down's columns
    let page = head
        .fetch("/staff/stats?scope=2&from=2026-12-01&to=2026-12-31")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("候补名单"), "{page}");
    assert!(page.contains("各项按发生的日期统计"));
    // a column header with just these words (a hydration marker may follow the text)
    assert!(page.contains("<th scope=\"col\">逾期未确认<"), "{page}");

    let services = head
        .fetch("/api/v1/stats/export.csv?scope=2&from=2026-12-01&to=2026-12-31")
        .await
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = services.lines().collect();
    assert!(
        lines[1].contains(",候补登记(人次),候补通知(次),候补转预约(次),候补逾期(次),候补转预约率,"),
        "{}",
        lines[1]
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("宁和居民区法律服务工作室,法律咨询,0,")
                && l.ends_with(&format!(",2,0,0,0,,{NO_RATINGS}"))),
        "{services}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("合计,小计,") && l.ends_with(&format!(",3,0,0,0,,{NO_RATINGS}"))),
        "{services}"
    );
}

/// The services ledger's rating columns of a line without ratings: zeros, no rates.
const NO_RATINGS: &str = "0,0,0,0,0,0,0,,0,0,0,0,0,0,0,0,0,0,0,";

/// A store call through a second connection pool on the server's SQLite file: its write may
/// meet the server's own writer (busy at once when a read turns into a write), so try again.
async fn retried<T, F, Fut>(call: F) -> T
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = backend::store::StoreResult<T>>,
{
    for attempt in 1.. {
        match call().await {
            Ok(t) => return t,
            Err(e) if attempt < 50 => {
                eprintln!("attempt {attempt}: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => panic!("{e}"),
        }
    }
    unreachable!()
}

/// Ratings in the JSON (`ratings` of the scope, of each row and of each service, the rate
/// with what it is made of), the follow-up overdue once its day has passed, the report, the
/// page and the services ledger's last columns. Ratings are stored through the store (the
/// rating pages are not needed for their statistics).
#[tokio::test]
async fn ratings_show_in_the_json_the_page_and_the_services_ledger() {
    use backend::store::{NewRating, RatedSubject};
    use domain::rating::{follow_up_due, Level, Rating, Reason};
    use domain::{LocationId, ServiceCode};
    let app = spawn_app().await;
    let store = app.db.open().await.store();
    // Monday 7 December 2026, 06:00 in Shanghai (the app's clock)
    let monday = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 12, 6, 22, 0, 0).unwrap();
    let due = follow_up_due(now, &domain::HolidayCalendar::new());
    assert_eq!(due, chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap());
    for (place, level, reasons) in [
        (2, Level::VerySatisfied, vec![]),
        (2, Level::Satisfied, vec![]),
        (201, Level::Dissatisfied, vec![Reason::WaitingTime]),
    ] {
        let place = LocationId(place);
        let visit =
            retried(|| store.add_walk_in(place, ServiceCode::LegalConsultation, monday, now, None))
                .await;
        let rating = NewRating {
            subject: RatedSubject::WalkIn(visit.id),
            location_id: place,
            service: ServiceCode::LegalConsultation,
            rating: Rating {
                level,
                reasons,
                comment: None,
            },
            rated_at: now,
            follow_up_due: level.is_poor().then_some(due),
        };
        retried(|| store.add_rating(&rating)).await.unwrap();
    }
    let head = app.signed_in("o2-head").await;
    let month = "scope=2&from=2026-12-01&to=2026-12-31";
    let (s, d) = head.get(&format!("/api/v1/stats?{month}")).await;
    assert_eq!(s, 200, "{d}");
    let r = &d["figures"]["ratings"];
    assert_eq!(
        r["satisfaction_rate"],
        json!({"numerator": 2, "denominator": 3, "percent": "66.67%"})
    );
    assert_eq!(
        (r["good"].as_u64(), r["total"].as_u64()),
        (Some(2), Some(3))
    );
    assert_eq!(
        r["levels"],
        json!([{"key": "very_satisfied", "count": 1}, {"key": "satisfied", "count": 1},
               {"key": "basic", "count": 0}, {"key": "dissatisfied", "count": 1},
               {"key": "very_dissatisfied", "count": 0}])
    );
    assert_eq!(item(&r["reasons"], "key", "waiting_time")["count"], 1);
    assert_eq!(item(&r["reasons"], "key", "attitude")["count"], 0);
    assert_eq!(
        (r["closed_on_time"].as_u64(), r["closed_late"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(
        (r["open"].as_u64(), r["overdue"].as_u64()),
        (Some(1), Some(0)),
        "due on Thursday"
    );
    assert_eq!(r["on_time_rate"]["percent"], Value::Null);
    assert_eq!(
        item(&d["rows"], "location_id", 201)["figures"]["ratings"]["total"],
        1
    );
    assert_eq!(
        item(&d["rows"], "location_id", 2)["figures"]["ratings"]["satisfaction_rate"]["percent"],
        "100.00%"
    );
    assert_eq!(
        service(&d["figures"], "legal_consultation")["ratings"]["total"],
        3
    );
    assert_eq!(d["previous"]["ratings"]["total"], 0);
    assert!(
        d["report_zh"][1].as_str().unwrap().ends_with(
            "收到群众评价3次，满意率66.67%（满意2次／评价3次）；差评回访1件，按期办结0件。"
        ),
        "{}",
        d["report_zh"][1]
    );
    assert!(d["report_en"][1]
        .as_str()
        .unwrap()
        .contains("a satisfaction rate of 66.67% (2 satisfied of 3 ratings)"));

    // a week later the follow-up nobody closed is overdue
    app.set_now(Utc.with_ymd_and_hms(2026, 12, 14, 2, 0, 0).unwrap());
    let head = app.signed_in("o2-head").await; // the earlier session has run out
    let (s, d) = head.get(&format!("/api/v1/stats?{month}")).await;
    assert_eq!(s, 200, "{d}");
    let r = &d["figures"]["ratings"];
    assert_eq!(
        (r["open"].as_u64(), r["overdue"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(
        r["on_time_rate"],
        json!({"numerator": 0, "denominator": 1, "percent": "0.00%"})
    );

    // the page: the ratings section with its rate and what it is made of
    let page = head
        .fetch(&format!("/staff/stats?{month}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("群众评价"), "{page}");
    assert!(page.contains("66.67%（2/3）"), "{page}");
    // a column header with just these words (a hydration marker may follow the text)
    assert!(page.contains("<th scope=\"col\">超期未办结<"), "{page}");
    assert!(page.contains("等候时间"));

    // the services ledger: the rating columns after the waiting list's
    let services = head
        .fetch(&format!("/api/v1/stats/export.csv?{month}"))
        .await
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = services.lines().collect();
    assert!(
        lines[1].ends_with(",候补转预约率,评价(次),非常满意,满意,基本满意,不满意,非常不满意,好评(次),满意率,差评原因:服务态度,差评原因:等候时间,差评原因:解答不清楚,差评原因:处理结果,差评原因:环境设施,差评原因:其他,差评回访(件),按期办结(件),逾期办结(件),回访中(件),超期未办结(件),按期办结率"),
        "{}",
        lines[1]
    );
    assert!(
        lines.iter().any(|l| l.starts_with("合计,小计,")
            && l.ends_with(",3,1,1,0,1,0,2,66.67%,0,1,0,0,0,0,1,0,0,0,1,0.00%")),
        "{services}"
    );
}

/// One entry of a zip archive as text.
fn unzip_entry(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut file = archive.by_name(name).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut file, &mut text).unwrap();
    text
}

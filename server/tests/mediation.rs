//! Mediation API: a resident files a request and follows it; staff take it to a written
//! agreement; bad input names its field; case details only for the mediator, the head and
//! the district.

use serde_json::{json, Value};

mod common;
use common::*;

fn request() -> Value {
    json!({
        "applicant_name": "李梅",
        "applicant_phone": "13812345678",
        "other_party_name": "王强",
        "relation": "楼上邻居",
        "dispute_type": "neighbour",
        "account": "楼上卫生间漏水到我家，多次协商未果，希望对方维修并赔偿损失。",
        "location_id": 2,
        "consent": true
    })
}

async fn file_request(app: &TestApp, body: &Value) -> String {
    let (status, created) = app.client().post("/api/v1/mediation-requests", body).await;
    assert_eq!(status, 201, "{created}");
    created["code"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_resident_files_a_request_and_follows_it_by_code_and_phone() {
    let app = spawn_app().await;
    let (status, created) = app
        .client()
        .post("/api/v1/mediation-requests", &request())
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["state"], "submitted");
    let code = created["code"].as_str().unwrap();
    assert_eq!(code.len(), 10);

    let resident = app.client();
    let (status, case) = resident
        .get(&format!(
            "/api/v1/mediation-requests/{code}?phone=138-1234-5678"
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(case["state"], "submitted");
    assert_eq!(case["place_name"], "大宁路街道司法所");
    assert_eq!(case["timeline"].as_array().unwrap().len(), 1);
    // what the resident sees never includes the other party's details
    assert!(case.get("other_party_name").is_none());

    // a wrong phone and an unknown code get the same answer
    let (s1, b1) = resident
        .get(&format!(
            "/api/v1/mediation-requests/{code}?phone=13900000000"
        ))
        .await;
    let (s2, b2) = resident
        .get("/api/v1/mediation-requests/ABCDEFGHJK?phone=13812345678")
        .await;
    assert_eq!((s1, s2), (404, 404));
    assert_eq!(b1, b2);
}

#[tokio::test]
async fn every_bad_field_is_named() {
    let app = spawn_app().await;
    let c = app.client();
    let cases: [(&str, Value, &str); 10] = [
        ("applicant_name", json!(""), "applicant_name"),
        ("applicant_phone", json!("12345"), "applicant_phone"),
        ("other_party_name", json!(" "), "other_party_name"),
        ("other_party_phone", json!("555"), "other_party_phone"),
        ("dispute_type", json!("gossip"), "dispute_type"),
        ("account", json!("吵"), "account"),
        ("location_id", json!(99999), "location_id"),
        ("consent", json!(false), "consent"),
        ("relation", json!("关".repeat(21)), "relation"),
        ("location_id", json!("two"), "location_id"),
    ];
    for (key, value, field) in cases {
        let mut body = request();
        body[key] = value.clone();
        let (status, err) = c.post("/api/v1/mediation-requests", &body).await;
        assert_eq!(status, 422, "{key}={value}: {err}");
        assert_eq!(err["field"], field, "{key}={value}: {err}");
        assert!(!err["message"].as_str().unwrap().is_empty());
    }
    // IP disputes go to a place with an IP mediation room (office 1 has none, office 2 has)
    let mut ip = request();
    ip["dispute_type"] = json!("ip");
    ip["location_id"] = json!(1);
    let (status, err) = c.post("/api/v1/mediation-requests", &ip).await;
    assert_eq!((status, err["field"].as_str()), (422, Some("location_id")));
    assert!(err["message"].as_str().unwrap().contains("知识产权"));
    ip["location_id"] = json!(2);
    assert_eq!(c.post("/api/v1/mediation-requests", &ip).await.0, 201);
}

#[tokio::test]
async fn a_clerk_takes_a_case_to_a_numbered_written_agreement() {
    let app = spawn_app().await;
    let code = file_request(&app, &request()).await;
    let clerk = app.signed_in("o2-clerk").await;
    let (status, list) = clerk
        .get("/api/v1/staff/mediation-cases?location_id=2")
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["cases"][0]["code"], code.as_str());
    assert_eq!(list["cases"][0]["applicant_phone"], "13812345678");

    let steps = format!("/api/v1/staff/mediation-cases/{code}/steps");
    let mut walk = intake_steps(clerk.my_id().await).to_vec();
    walk.push(
        json!({"action": "schedule_session", "location_id": 2, "start": "2026-12-09T10:00:00+08:00"}),
    );
    for step in &walk {
        let (status, case) = clerk.post(&steps, step).await;
        assert_eq!(status, 200, "{step}: {case}");
    }
    let (_, resident_view) = app
        .client()
        .get(&format!(
            "/api/v1/mediation-requests/{code}?phone=13812345678"
        ))
        .await;
    assert_eq!(resident_view["state"], "session_scheduled");
    assert_eq!(
        resident_view["next_session"]["start"],
        "2026-12-09T10:00:00+08:00"
    );

    // another meeting must be in the place's open hours too
    let (status, err) = clerk
        .post(
            &steps,
            &json!({"action": "schedule_session", "location_id": 2, "start": "2026-12-09T03:00:00+08:00"}),
        )
        .await;
    assert_eq!(
        (status, err["field"].as_str()),
        (422, Some("start")),
        "{err}"
    );

    // a step the state does not allow, and a stale version, are refused with the reason
    let (status, err) = clerk.post(&steps, &json!({"action": "accept"})).await;
    assert_eq!(status, 409);
    assert!(err["message"].as_str().unwrap().contains("已安排调解"));
    let (status, _) = clerk
        .post(
            &steps,
            &json!({"action": "conclude", "version": 1,
                    "outcome": {"kind": "failed", "reason": "x"}}),
        )
        .await;
    assert_eq!(status, 409, "stale version");
    // a negative amount is refused on its field
    let (status, err) = clerk
        .post(
            &steps,
            &json!({"action": "conclude",
                    "outcome": {"kind": "written_agreement", "amount": -1, "terms": "赔偿"}}),
        )
        .await;
    assert_eq!((status, err["field"].as_str()), (422, Some("amount")));

    let (status, case) = clerk
        .post(
            &steps,
            &json!({"action": "conclude", "outcome": {"kind": "written_agreement",
                    "amount": 500000, "terms": "王强于12月15日前修复漏水并赔偿李梅5000元"}}),
        )
        .await;
    assert_eq!(status, 200, "{case}");
    assert_eq!(case["state"], "settled");
    assert_eq!(case["amount_fen"], 500000);
    assert_eq!(case["agreement_no"], "（2026）大宁路街道调字第0001号");

    // a follow-up visit keeps the case settled and is in its history
    let (status, _) = clerk
        .post(
            &steps,
            &json!({"action": "follow_up", "kept": true, "note": "已修复"}),
        )
        .await;
    assert_eq!(status, 200);
    let head = app.signed_in("o2-head").await;
    let (status, file) = head
        .get(&format!("/api/v1/staff/mediation-cases/{code}"))
        .await;
    assert_eq!(status, 200);
    let actions: Vec<&str> = file["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "submit",
            "accept",
            "assign_mediator",
            "invite_other_party",
            "other_party_agrees",
            "schedule_session",
            "conclude",
            "follow_up"
        ]
    );

    // the applicant sees each state once, in order, and the agreement number
    let (_, view) = app
        .client()
        .get(&format!(
            "/api/v1/mediation-requests/{code}?phone=13812345678"
        ))
        .await;
    let states: Vec<&str> = view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        [
            "submitted",
            "accepted",
            "mediator_assigned",
            "party_invited",
            "party_agreed",
            "session_scheduled",
            "settled"
        ]
    );
    assert_eq!(view["agreement_no"], "（2026）大宁路街道调字第0001号");

    // the committee's next agreement of the year takes the next number
    let second = file_request(&app, &request()).await;
    let steps2 = format!("/api/v1/staff/mediation-cases/{second}/steps");
    for step in walk.iter().chain([&json!({"action": "conclude", "outcome":
        {"kind": "written_agreement", "amount": 0, "terms": "互相谅解，王强道歉"}})])
    {
        let (status, body) = clerk.post(&steps2, step).await;
        assert_eq!(status, 200, "{step}: {body}");
        if step["action"] == "conclude" {
            assert_eq!(body["agreement_no"], "（2026）大宁路街道调字第0002号");
        }
    }
}

#[tokio::test]
async fn case_details_only_for_the_mediator_the_head_and_the_district() {
    use domain::staff::Role;
    let app = spawn_app().await;
    app.add_user("o2-clerk-b", Role::OfficeClerk, 2).await;
    let code = file_request(&app, &request()).await;
    let case = format!("/api/v1/staff/mediation-cases/{code}");
    let list = "/api/v1/staff/mediation-cases?location_id=2";

    // intake: any clerk of the place may see it, nobody outside
    let other = app.signed_in("o2-clerk-b").await;
    assert_eq!(other.get(&case).await.0, 200);
    for outsider in ["o1-clerk", "o1-head", "psy", "auditor"] {
        let c = app.signed_in(outsider).await;
        assert_eq!(c.get(&case).await.0, 403, "{outsider}");
    }

    // once o2-clerk is the mediator, the other clerk only counts it
    let clerk = app.signed_in("o2-clerk").await;
    let me = clerk.my_id().await;
    let steps = format!("{case}/steps");
    assert_eq!(
        clerk.post(&steps, &json!({"action": "accept"})).await.0,
        200
    );
    assert_eq!(
        clerk
            .post(
                &steps,
                &json!({"action": "assign_mediator", "mediator_id": me})
            )
            .await
            .0,
        200
    );
    assert_eq!(clerk.get(&case).await.0, 200);
    assert_eq!(other.get(&case).await.0, 403);
    assert_eq!(
        other
            .post(&steps, &json!({"action": "invite_other_party"}))
            .await
            .0,
        403
    );
    let (status, counted) = other.get(list).await;
    assert_eq!(status, 200);
    assert_eq!(counted["cases"].as_array().unwrap().len(), 0);
    assert_eq!(counted["hidden"], 1);
    for allowed in ["o2-head", "district"] {
        let c = app.signed_in(allowed).await;
        assert_eq!(c.get(&case).await.0, 200, "{allowed}");
    }
    // the auditor sees the count, never the case
    let auditor = app.signed_in("auditor").await;
    let (status, counted) = auditor.get(list).await;
    assert_eq!((status, counted["hidden"].as_i64()), (200, Some(1)));
    assert_eq!(counted["cases"].as_array().unwrap().len(), 0);
    // another office's clerk gets nothing at all
    let foreign = app.signed_in("o1-clerk").await;
    assert_eq!(foreign.get(list).await.0, 403);
    // a mediator must work at the place
    let (status, err) = app
        .signed_in("o2-head")
        .await
        .post(
            &steps,
            &json!({"action": "assign_mediator", "mediator_id": foreign.my_id().await}),
        )
        .await;
    assert_eq!((status, err["field"].as_str()), (422, Some("mediator_id")));
    // and nobody signed out sees anything
    assert_eq!(app.client().get(&case).await.0, 401);
}

#[tokio::test]
async fn a_consultation_at_the_desk_becomes_an_accepted_case_linked_to_it() {
    let app = spawn_app().await;
    let clerk = app.signed_in("o2-clerk").await;
    let (status, entry) = clerk.walk_in(2, "legal_consultation").await;
    assert_eq!(status, 201, "{entry}");
    let entry_id = entry["id"].as_i64().unwrap();
    let body = json!({
        "queue_entry_id": entry_id,
        "applicant_name": "赵敏",
        "applicant_phone": "13700001234",
        "other_party_name": "钱多多",
        "dispute_type": "labour",
        "account": "公司拖欠三个月工资，多次讨要未果，希望调解。",
        "consent": true
    });
    // another office's clerk may not turn office 2's visitor into a case
    let foreign = app.signed_in("o1-clerk").await;
    assert_eq!(
        foreign.post("/api/v1/staff/mediation-cases", &body).await.0,
        403
    );
    let (status, case) = clerk.post("/api/v1/staff/mediation-cases", &body).await;
    assert_eq!(status, 201, "{case}");
    assert_eq!(case["state"], "accepted");
    assert_eq!(case["location_id"], 2);
    assert_eq!(case["queue_entry_id"], entry_id);
    // the resident can follow it like any request
    let (status, view) = app
        .client()
        .get(&format!(
            "/api/v1/mediation-requests/{}?phone=13700001234",
            case["code"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(view["state"], "accepted");
    // bad input names its field; an unknown entry is 404
    let mut bad = body.clone();
    bad["other_party_name"] = json!("");
    let (status, err) = clerk.post("/api/v1/staff/mediation-cases", &bad).await;
    assert_eq!(
        (status, err["field"].as_str()),
        (422, Some("other_party_name"))
    );
    let mut unknown = body.clone();
    unknown["queue_entry_id"] = json!(999_999);
    assert_eq!(
        clerk
            .post("/api/v1/staff/mediation-cases", &unknown)
            .await
            .0,
        404
    );
}

/// Takes the case `code` through intake, with the account signed in as `c` as its mediator,
/// to where a meeting is arranged; returns the path of its steps.
async fn ready_for_a_meeting(c: &Client, code: &str) -> String {
    let steps = format!("/api/v1/staff/mediation-cases/{code}/steps");
    for step in intake_steps(c.my_id().await) {
        let (status, body) = c.post(&steps, &step).await;
        assert_eq!(status, 200, "{step}: {body}");
    }
    steps
}

/// Tries to arrange each meeting on the case whose steps are at `steps`: what it is, by
/// whom, where, when, and the status it should get. Returns the answers that differ.
async fn arrange(steps: &str, tries: &[(&str, &Client, i64, &str, u16)]) -> Vec<String> {
    let mut failures = Vec::new();
    for (what, by, place, start, expected) in tries {
        let meeting = json!({"action": "schedule_session", "location_id": place, "start": start});
        let (status, body) = by.post(steps, &meeting).await;
        if status != *expected {
            failures.push(format!("{what}: {status}, expected {expected}: {body}"));
        }
    }
    failures
}

/// A meeting is held at a place the case may be held at (one that takes the dispute, in the
/// case's street) and that the account arranging it works at, not just at an open time.
#[tokio::test]
async fn a_meeting_is_arranged_only_where_the_case_may_be_held_and_the_account_works() {
    use domain::staff::Role;
    let app = spawn_app().await;
    app.add_user("room201", Role::WorkroomClerk, 201).await;
    // open slots: office 1 and office 2 on weekdays, workroom 201 on Monday afternoons
    let wednesday = "2026-12-09T10:00:00+08:00";
    let monday_pm = "2026-12-14T13:30:00+08:00";
    let mut failures = Vec::new();

    // a case at workroom 201, its clerk the mediator: the office is outside the clerk's scope
    let mut at_workroom = request();
    at_workroom["location_id"] = json!(201);
    let code = file_request(&app, &at_workroom).await;
    let room = app.signed_in("room201").await;
    let steps = ready_for_a_meeting(&room, &code).await;
    failures.extend(
        arrange(
            &steps,
            &[
                ("room201 at office 2", &room, 2, wednesday, 403),
                ("room201 at workroom 201", &room, 201, monday_pm, 200),
            ],
        )
        .await,
    );

    // a case at office 2: another street's office is no place for it, whoever arranges it
    let code = file_request(&app, &request()).await;
    let clerk = app.signed_in("o2-clerk").await;
    let steps = ready_for_a_meeting(&clerk, &code).await;
    let district = app.signed_in("district").await;
    failures.extend(
        arrange(
            &steps,
            &[
                ("o2-clerk at office 1", &clerk, 1, wednesday, 422),
                ("district at office 1", &district, 1, wednesday, 422),
                // the office's own workroom is fine for the office's clerk
                ("o2-clerk at workroom 201", &clerk, 201, monday_pm, 200),
                ("o2-clerk at office 2", &clerk, 2, wednesday, 200),
            ],
        )
        .await,
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let (_, view) = app
        .client()
        .get(&format!(
            "/api/v1/mediation-requests/{code}?phone=13812345678"
        ))
        .await;
    assert_eq!(view["next_session"]["start"], wednesday, "{view}");
}

/// Turning a visitor into a case is refused for an account that may not take the case's
/// intake (the counsellor serves the psychology room's desk but handles no cases); the
/// refusal leaves no case behind.
#[tokio::test]
async fn a_refused_conversion_leaves_no_case_behind() {
    let app = spawn_app().await;
    app.set_now(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 8, 5, 20, 0).unwrap()); // Tuesday 13:20, the psychology room is open
    let psy = app.signed_in("psy").await;
    let (status, entry) = psy.walk_in(3, "psychology").await;
    assert_eq!(status, 201, "{entry}");
    let body = json!({
        "queue_entry_id": entry["id"],
        "applicant_name": "赵敏",
        "applicant_phone": "13700005678",
        "other_party_name": "钱多多",
        "dispute_type": "family",
        "account": "与家人因赡养问题多次争吵，希望有人居中调解。",
        "consent": true
    });
    let (status, refused) = psy.post("/api/v1/staff/mediation-cases", &body).await;
    assert_eq!(status, 403, "{refused}");
    let (status, list) = app
        .signed_in("district")
        .await
        .get("/api/v1/staff/mediation-cases?location_id=3")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            list["cases"].as_array().map(Vec::len),
            list["hidden"].as_i64()
        ),
        (Some(0), Some(0)),
        "an orphan case was left: {list}"
    );
    // the office's clerk, who serves that desk too, may take it
    let (status, case) = app
        .signed_in("o3-clerk")
        .await
        .post("/api/v1/staff/mediation-cases", &body)
        .await;
    assert_eq!(
        (status, case["state"].as_str()),
        (201, Some("accepted")),
        "{case}"
    );
}

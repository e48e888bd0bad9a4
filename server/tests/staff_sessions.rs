//! Staff sessions end: on a password change (every other session of the account), after
//! the idle time, after the absolute limit, and when the account is disabled; and the
//! `server user` commands that disable, enable and reset are audited.

mod common;

use chrono::Duration;
use common::{monday_6am, spawn_app, spawn_app_with};
use serde_json::json;

async fn me(c: &common::Client) -> u16 {
    c.get("/api/v1/staff/me").await.0
}

#[tokio::test]
async fn a_password_change_ends_every_other_session_of_the_account() {
    let app = spawn_app().await;
    let office = app.signed_in("o1-clerk").await;
    let phone = app.signed_in("o1-clerk").await;
    let colleague = app.signed_in("o2-clerk").await;
    let (status, body) = office
        .post(
            "/api/v1/staff/password",
            &json!({"old_password": "demo1234", "new_password": "a-new-pass-2026"}),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(
        me(&office).await,
        200,
        "the session that changed it goes on"
    );
    assert_eq!(me(&phone).await, 401, "the other session has ended");
    assert_eq!(me(&colleague).await, 200, "other accounts are untouched");
    // the old password no longer signs in, the new one does
    let (status, _) = app.client().login("o1-clerk", "demo1234").await;
    assert_eq!(status, 401);
    let (status, _) = app.client().login("o1-clerk", "a-new-pass-2026").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn sessions_end_after_the_idle_time_and_the_absolute_limit() {
    let app = spawn_app_with(|c| {
        c.staff_sessions.idle = Duration::minutes(30);
        c.staff_sessions.absolute = Duration::hours(12);
    })
    .await;
    let idle = app.signed_in("o1-clerk").await;
    let busy = app.signed_in("o1-head").await;
    app.set_now(monday_6am() + Duration::minutes(29));
    assert_eq!(me(&idle).await, 200);
    assert_eq!(me(&busy).await, 200);
    // one more request 29 minutes later keeps a session going ...
    app.set_now(monday_6am() + Duration::minutes(58));
    assert_eq!(me(&busy).await, 200);
    // ... and 31 minutes without one ends it
    app.set_now(monday_6am() + Duration::minutes(29 + 31));
    assert_eq!(me(&idle).await, 401, "idle for 31 minutes");
    assert_eq!(me(&idle).await, 401, "and it stays ended");

    // kept busy every 20 minutes, a session still ends 12 hours after sign-in
    let mut minutes = 58;
    while minutes + 20 < 12 * 60 {
        minutes += 20;
        app.set_now(monday_6am() + Duration::minutes(minutes));
        assert_eq!(me(&busy).await, 200, "at {minutes} minutes");
    }
    app.set_now(monday_6am() + Duration::minutes(12 * 60 + 1));
    assert_eq!(me(&busy).await, 401, "12 hours after sign-in");
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_at_once_and_every_change_is_audited() {
    let app = spawn_app().await;
    let clerk = app.signed_in("o3-clerk").await;
    let staff = app.staff().await;
    staff.set_disabled("o3-clerk", true).await.unwrap();
    assert_eq!(me(&clerk).await, 401, "signed out at the next request");
    let (status, _) = app.client().login("o3-clerk", "demo1234").await;
    assert_eq!(status, 401, "a disabled account cannot sign in");

    staff.set_disabled("o3-clerk", false).await.unwrap();
    let clerk = app.signed_in("o3-clerk").await;
    staff
        .reset_password("o3-clerk", "reset-by-admin-1")
        .await
        .unwrap();
    assert_eq!(me(&clerk).await, 401, "a reset ends the account's sessions");
    assert!(staff.set_disabled("nobody-here", true).await.is_err());

    let listed = staff.list_users().await.unwrap();
    assert!(listed
        .iter()
        .any(|u| u.account.username == "o3-clerk" && !u.disabled));
    let district = app.signed_in("district").await;
    let (_, log) = district.get("/api/v1/staff/audit").await;
    let actions: Vec<String> = log
        .as_array()
        .or_else(|| log["entries"].as_array())
        .expect("audit entries")
        .iter()
        .filter(|e| e.to_string().contains("o3-clerk"))
        .map(|e| e["action"].as_str().unwrap_or_default().to_string())
        .collect();
    for action in ["user_disabled", "user_enabled", "password_reset"] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
    // the demo-password warning names the accounts that still have it, not the reset one
    let demo = staff.with_demo_password().await.unwrap();
    assert!(demo.contains(&"o1-clerk".to_string()));
    assert!(!demo.contains(&"o3-clerk".to_string()));
}

#[tokio::test]
async fn over_https_the_browser_is_told_to_stay_on_https_and_cookies_are_secure() {
    let app = spawn_app_with(|c| c.secure_cookies = true).await;
    let r = reqwest::get(format!("{}/healthz", app.base)).await.unwrap();
    assert!(r.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
    // the flash of a rejected form (name and phone inside) is a Secure cookie too
    use leptos::server_fn::ServerFn;
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!(
            "{}{}",
            app.base,
            app::api::bookings::OpenBooking::PATH
        ))
        .header("accept", "text/html")
        .header("origin", app.base.as_str())
        .header("content-type", "application/x-www-form-urlencoded")
        .body("code=ABCDE-12345&phone=13800000000")
        .send()
        .await
        .unwrap();
    let flash: Vec<&str> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap())
        .filter(|c| c.starts_with("portal_flash0="))
        .collect();
    assert_eq!(flash.len(), 1);
    assert!(flash[0].contains("; Secure"), "{}", flash[0]);
}

/// Runs `server user ARGS` on the test portal's database, with `stdin` as standard input.
fn user_command(app: &common::TestApp, args: &[&str], stdin: &str) -> (bool, String) {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("user")
        .args(args)
        .env("DATABASE_URL", &app.db.url)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[tokio::test]
async fn the_user_commands_disable_enable_reset_and_list_accounts_of_a_running_portal() {
    let app = spawn_app().await;
    let clerk = app.signed_in("o4-clerk").await;
    let (ok, out) = user_command(&app, &["disable", "o4-clerk"], "");
    assert!(ok, "{out}");
    assert_eq!(me(&clerk).await, 401, "signed out at once");
    let (ok, out) = user_command(&app, &["list"], "");
    assert!(ok, "{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with("o4-clerk "))
        .expect(&out);
    assert!(line.ends_with("disabled"), "{line}");

    let (ok, out) = user_command(&app, &["enable", "o4-clerk"], "");
    assert!(ok, "{out}");
    let clerk = app.signed_in("o4-clerk").await;
    let (ok, out) = user_command(&app, &["reset-password", "o4-clerk"], "short\n");
    assert!(!ok, "a too-short password is refused: {out}");
    assert_eq!(me(&clerk).await, 200, "and nothing changed");
    let (ok, out) = user_command(&app, &["reset-password", "o4-clerk"], "a-fresh-start-26\n");
    assert!(ok, "{out}");
    assert_eq!(me(&clerk).await, 401, "the reset ended the session");
    let (status, _) = app.client().login("o4-clerk", "a-fresh-start-26").await;
    assert_eq!(status, 200, "the new password signs in");
    let (ok, _) = user_command(&app, &["disable", "nobody-here"], "");
    assert!(!ok, "an unknown account is an error");
}

//! Server functions of the staff pages: sign in and out, the places an account may open,
//! a place's queue, and the actions on it. Authorisation is checked by the `backend` use
//! cases on every call; these shape views and, without JavaScript, keep a refusal for the
//! page the browser returns to.

use crate::api::common::AppError;
use crate::model::{FormOutcome, StaffHome, StaffQueue};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::api::common::AppError;
    use crate::model::{ExpectedLine, FormOutcome, PlaceCard, QueueLine, Rejection, StaffQueue};
    use backend::queue::{DayQueue, QueueError};
    use domain::queue::QueueState;
    use domain::slots::to_local;
    use domain::staff::StaffAccount;

    pub fn queues() -> Result<backend::queue::Queues, AppError> {
        crate::api::common::context("queues")
    }

    /// Where a staff page's refusals are kept when JavaScript is off.
    pub fn notice_key(place: i64) -> String {
        format!("staff:{place}")
    }

    pub fn message(e: QueueError) -> Result<Rejection, AppError> {
        crate::api::common::rejection(&e)
    }

    /// A refused action: returned to a hydrated page, kept for the next page otherwise.
    pub async fn refuse(place: i64, r: Rejection) -> Result<FormOutcome, AppError> {
        crate::api::common::reject_noting(r, format!("/staff?place={place}"), notice_key(place))
            .await
    }

    /// Done: without JavaScript, back to the queue page.
    pub async fn done(place: i64) -> Result<FormOutcome, AppError> {
        crate::api::common::done(&format!("/staff?place={place}")).await
    }

    pub fn view(account: &StaffAccount, q: DayQueue) -> StaffQueue {
        let who = |b: &backend::store::BookingRecord| {
            format!(
                "{} · {} · {}",
                b.name,
                domain::booking::MobilePhone::parse(&b.phone)
                    .map(|p| p.masked())
                    .unwrap_or_default(),
                to_local(&b.start).format("%H:%M")
            )
        };
        let line = |e: &backend::store::QueueEntryRecord| QueueLine {
            id: e.id,
            ticket: e.ticket.clone(),
            service: e.service,
            state: e.state,
            can_undo: e.can_undo,
            desk: e.desk.clone(),
            who: e.booking.as_ref().map(who).unwrap_or_default(),
            walk_in: e.booking.is_none(),
            topic: e
                .booking
                .as_ref()
                .filter(|_| account.sees_details_of(e.service))
                .map(|b| crate::i18n::topic_name(crate::i18n::lang(), b.service, &b.topic)),
            outcome: e.outcome.map(|o| {
                crate::i18n::lang()
                    .pick(o.label_zh(), o.label_en())
                    .to_string()
            }),
        };
        let by_state = |keep: &dyn Fn(QueueState) -> bool| -> Vec<QueueLine> {
            q.entries
                .iter()
                .filter(|e| keep(e.state))
                .map(line)
                .collect()
        };
        StaffQueue {
            place: PlaceCard::from(&q.place),
            date: q.day,
            services: q
                .place
                .service_codes()
                .into_iter()
                .filter(|s| account.handles(*s))
                .collect(),
            waiting: by_state(&|s| matches!(s, QueueState::Waiting | QueueState::Parked)),
            active: by_state(&|s| matches!(s, QueueState::Called | QueueState::Serving)),
            finished: by_state(&|s| !s.is_open()),
            expected: q
                .bookings
                .iter()
                .map(|b| ExpectedLine {
                    code: domain::BookingCode::parse(&b.booking.code)
                        .map(|c| c.to_string())
                        .unwrap_or_else(|_| b.booking.code.clone()),
                    service: b.booking.service,
                    start: to_local(&b.booking.start),
                    state: b.booking.state,
                    who: format!("{} · {}", b.booking.name, b.phone_masked),
                })
                .collect(),
        }
    }
}

/// Signs in; on success goes to the staff page.
#[server]
pub async fn staff_login(username: String, password: String) -> Result<FormOutcome, AppError> {
    use crate::model::Rejection;
    let refuse = |r: Rejection| {
        crate::api::common::reject_noting(r, "/staff/login".into(), "staff:login".into())
    };
    let throttle = use_context::<backend::throttle::LoginThrottle>().unwrap_or_default();
    // a request without a known address still counts, under one shared key
    let ip = crate::device::client_ip()
        .await
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    if !throttle.allow(ip, &username) {
        return refuse(Rejection::refused(crate::i18n::t(
            crate::i18n::Msg::TooManyTries,
        )))
        .await;
    }
    let staff = crate::api::common::context::<backend::staff::Staff>("staff")?;
    match staff.login(&username, &password).await {
        Ok(account) => {
            crate::device::sign_in(&account).await?;
            crate::redirect::to("/staff");
            Ok(FormOutcome::Done)
        }
        Err(e) => refuse(crate::api::common::rejection(&e)?).await,
    }
}

/// A refusal kept for the sign-in page (JavaScript off).
#[server]
pub async fn login_notice() -> Result<Option<crate::model::Rejection>, AppError> {
    crate::api::common::take_notice("staff:login").await
}

#[server]
pub async fn staff_logout() -> Result<(), AppError> {
    crate::device::sign_out().await?;
    crate::redirect::to("/staff/login");
    Ok(())
}

/// The signed-in account and the places it may open; `None` when nobody is signed in.
#[server]
pub async fn load_staff_home() -> Result<Option<StaffHome>, AppError> {
    use crate::model::PlaceCard;
    use domain::staff::Action;
    let Some(account) = crate::device::staff_account().await? else {
        return Ok(None);
    };
    let places = crate::api::common::directory()?
        .all()
        .await
        .map_err(AppError::from)?
        .iter()
        .filter(|p| account.may(Action::ViewQueue, Some(p)))
        .map(PlaceCard::from)
        .collect();
    let schedule_places = crate::api::common::directory()?
        .all()
        .await
        .map_err(AppError::from)?
        .iter()
        .filter(|p| account.may(Action::EditSchedules, Some(p)))
        .map(|p| p.id.0)
        .collect();
    Ok(Some(StaffHome {
        display_name: account.display_name.clone(),
        role_label: crate::i18n::lang()
            .pick(account.role.label_zh(), account.role.label_en())
            .to_string(),
        places,
        schedule_places,
        sees_audit: account.may(Action::ViewAuditLog, None),
        stats_scope: domain::stats::home_scope(&account).map(|s| s.key()),
    }))
}

/// A place's queue today, with a refusal kept for the page (JavaScript off).
#[server]
pub async fn load_staff_queue(
    place: i64,
) -> Result<(StaffQueue, Option<crate::model::Rejection>), AppError> {
    let account = crate::device::require_staff().await?;
    let queues = ssr::queues()?;
    let q = queues
        .day_queue(&account, domain::LocationId(place), queues.today())
        .await
        .map_err(AppError::from)?;
    let notice = crate::api::common::take_notice(&ssr::notice_key(place)).await?;
    Ok((ssr::view(&account, q), notice))
}

#[server]
pub async fn staff_check_in(place: i64, code: String) -> Result<FormOutcome, AppError> {
    let account = crate::device::require_staff().await?;
    match ssr::queues()?.check_in(&account, &code).await {
        Ok(_) => ssr::done(place).await,
        Err(e) => ssr::refuse(place, ssr::message(e)?).await,
    }
}

#[server]
pub async fn staff_walk_in(place: i64, service: String) -> Result<FormOutcome, AppError> {
    use crate::model::Rejection;
    let account = crate::device::require_staff().await?;
    let Ok(service) = service.parse() else {
        return ssr::refuse(
            place,
            Rejection::refused(crate::i18n::t(crate::i18n::Msg::NoSuchService)),
        )
        .await;
    };
    match ssr::queues()?
        .walk_in(&account, domain::LocationId(place), service)
        .await
    {
        Ok(_) => ssr::done(place).await,
        Err(e) => ssr::refuse(place, ssr::message(e)?).await,
    }
}

#[server]
pub async fn staff_call_next(place: i64, desk: Option<String>) -> Result<FormOutcome, AppError> {
    use crate::model::Rejection;
    let account = crate::device::require_staff().await?;
    match ssr::queues()?
        .call_next(&account, domain::LocationId(place), desk)
        .await
    {
        Ok(Some(_)) => ssr::done(place).await,
        Ok(None) => {
            ssr::refuse(
                place,
                Rejection::refused(crate::i18n::t(crate::i18n::Msg::NobodyWaiting)),
            )
            .await
        }
        Err(e) => ssr::refuse(place, ssr::message(e)?).await,
    }
}

/// One step on a person (`recall`, `park`, `serve`, `finish`, `no_show`, `undo`).
#[server]
pub async fn staff_step(
    place: i64,
    entry: i64,
    step: String,
    outcome: Option<String>,
    service: Option<String>,
    note: Option<String>,
) -> Result<FormOutcome, AppError> {
    use crate::model::Rejection;
    use domain::queue::{Outcome, Step};
    let account = crate::device::require_staff().await?;
    let queues = ssr::queues()?;
    let result = if step == "undo" {
        queues.undo(&account, entry).await
    } else if step == "transfer" {
        let Some(service) = service.as_deref().and_then(|s| s.parse().ok()) else {
            return ssr::refuse(
                place,
                Rejection::refused(crate::i18n::t(crate::i18n::Msg::ChooseTransferService)),
            )
            .await;
        };
        queues.transfer(&account, entry, None, service).await
    } else {
        let step = match step.as_str() {
            "recall" => Step::Recall,
            "park" => Step::Park,
            "serve" => Step::Serve,
            "finish" => Step::Finish,
            "no_show" => Step::NoShow,
            _ => {
                return ssr::refuse(
                    place,
                    Rejection::refused(crate::i18n::t(crate::i18n::Msg::NoSuchAction)),
                )
                .await
            }
        };
        let outcome = outcome.as_deref().and_then(Outcome::parse);
        queues
            .step(&account, entry, step, None, outcome, note)
            .await
    };
    match result {
        Ok(_) => ssr::done(place).await,
        Err(e) => ssr::refuse(place, ssr::message(e)?).await,
    }
}

/// The weekly rules of a place's bookable services (office heads, district admins).
#[server]
pub async fn load_schedules(place: i64) -> Result<crate::model::SchedulePage, AppError> {
    use crate::device::{self, Flash};
    use crate::model::{PlaceCard, SchedulePage, ServiceRules};
    let account = crate::device::require_staff().await?;
    let schedules = crate::api::common::context::<backend::schedules::Schedules>("schedules")?;
    let current = schedules
        .current(&account, domain::LocationId(place))
        .await
        .map_err(AppError::from)?;
    let loc = crate::api::common::directory()?
        .location(domain::LocationId(place))
        .await
        .map_err(AppError::from)?;
    let flash = device::take_flash(Some).await?;
    let (kept, closure) = match flash {
        Some(Flash::Schedule {
            place: p,
            service,
            text,
            rejection,
        }) if p == place => (Some((service, text, rejection)), None),
        Some(Flash::Notice { code, rejection }) if code == format!("closure:{place}") => {
            (None, Some(rejection))
        }
        _ => (None, None),
    };
    Ok(SchedulePage {
        place: PlaceCard::from(&loc),
        services: current
            .into_iter()
            .filter(|(s, _)| *s != domain::ServiceCode::Mediation)
            .map(|(service, lines)| ServiceRules { service, lines })
            .collect(),
        kept,
        closure,
    })
}

/// Saves new weekly rules (one per line). A change that would cancel bookings is refused
/// with the list, until sent again with `confirm`.
#[server]
pub async fn save_schedule(
    place: i64,
    service: String,
    rules: String,
    confirm: Option<String>,
) -> Result<FormOutcome, AppError> {
    use crate::device::Flash;
    use crate::model::{FieldMessage, Rejection};
    use backend::schedules::ScheduleError;
    let account = crate::device::require_staff().await?;
    let schedules = crate::api::common::context::<backend::schedules::Schedules>("schedules")?;
    let lines: Vec<String> = rules.lines().map(str::to_string).collect();
    let rejection = match service.parse::<domain::ServiceCode>() {
        Err(_) => Rejection::refused(crate::i18n::t(crate::i18n::Msg::NoSuchService)),
        Ok(code) => match schedules
            .change_weekly(
                &account,
                domain::LocationId(place),
                code,
                &lines,
                confirm.is_some(),
            )
            .await
        {
            Ok(_) => {
                return crate::api::common::done(&format!("/staff/schedules?place={place}")).await
            }
            Err(e @ ScheduleError::Internal) => return Err(e.into()),
            Err(ScheduleError::Invalid(f)) => Rejection {
                errors: vec![FieldMessage {
                    field: format!("rules-{service}"),
                    message: f.message_in(crate::i18n::lang()).to_string(),
                }],
                ..Default::default()
            },
            Err(ScheduleError::NeedsConfirmation(list)) => {
                let lines: Vec<String> = list
                    .iter()
                    .map(|b| {
                        format!(
                            "{} {} {}",
                            crate::i18n::moment_short(
                                crate::i18n::lang(),
                                domain::slots::to_local(&b.start).naive_local()
                            ),
                            b.name,
                            domain::BookingCode::parse(&b.code)
                                .map(|c| c.to_string())
                                .unwrap_or_default()
                        )
                    })
                    .collect();
                Rejection {
                    errors: vec![FieldMessage {
                        field: format!("rules-{service}"),
                        message: crate::i18n::cancels_bookings(
                            crate::i18n::lang(),
                            list.len(),
                            &lines,
                        ),
                    }],
                    ..Default::default()
                }
            }
            Err(e) => Rejection {
                errors: vec![FieldMessage {
                    field: format!("rules-{service}"),
                    message: backend::UseCaseError::message(&e, crate::i18n::lang()),
                }],
                ..Default::default()
            },
        },
    };
    crate::api::common::reject(
        rejection,
        format!("/staff/schedules?place={place}"),
        move |rejection| Flash::Schedule {
            place,
            service,
            text: rules,
            rejection,
        },
    )
    .await
}

/// Takes back a booking's automatic no-show mark (the resident came late after all).
#[server]
pub async fn staff_revert_no_show(place: i64, code: String) -> Result<FormOutcome, AppError> {
    let account = crate::device::require_staff().await?;
    match ssr::queues()?.revert_no_show(&account, &code).await {
        Ok(()) => ssr::done(place).await,
        Err(e) => ssr::refuse(place, ssr::message(e)?).await,
    }
}

/// Changes the signed-in staff member's password.
#[server]
pub async fn staff_change_password(
    old_password: String,
    new_password: String,
    repeat_password: String,
) -> Result<FormOutcome, AppError> {
    use crate::model::{FieldMessage, Rejection};
    let account = crate::device::require_staff().await?;
    let staff = crate::api::common::context::<backend::staff::Staff>("staff")?;
    let rejection = if new_password != repeat_password {
        Rejection {
            errors: vec![FieldMessage {
                field: "repeat_password".into(),
                message: crate::i18n::t(crate::i18n::Msg::PasswordsDiffer).into(),
            }],
            ..Default::default()
        }
    } else {
        match staff
            .change_password(&account, &old_password, &new_password)
            .await
        {
            Ok(()) => {
                // this session goes on with the new password; every other one has ended
                crate::device::sign_in(&account).await?;
                crate::redirect::to("/staff/password?changed=1");
                return Ok(FormOutcome::Done);
            }
            Err(e) => crate::api::common::rejection(&e)?,
        }
    };
    crate::api::common::reject_noting(rejection, "/staff/password".into(), "staff:password".into())
        .await
}

/// A refusal kept for the password page (JavaScript off).
#[server]
pub async fn password_notice() -> Result<Option<crate::model::Rejection>, AppError> {
    crate::device::require_staff().await?;
    crate::api::common::take_notice("staff:password").await
}

/// The newest staff actions (district admins and auditors).
#[server]
pub async fn load_audit() -> Result<Vec<crate::model::AuditLine>, AppError> {
    use crate::model::AuditLine;
    let account = crate::device::require_staff().await?;
    let staff = crate::api::common::context::<backend::staff::Staff>("staff")?;
    let log = staff
        .audit_log(&account, 200)
        .await
        .map_err(AppError::from)?;
    Ok(log
        .into_iter()
        .map(|e| AuditLine {
            at: domain::slots::to_local(&e.at),
            username: e.username,
            action: e.action,
            place: e.location_id.map(|l| l.0),
            subject: e.subject.unwrap_or_default(),
            change: match (e.before, e.after) {
                (Some(b), Some(a)) => format!("{b} → {a}"),
                _ => String::new(),
            },
        })
        .collect())
}

/// Closes a service at a place on a date (bookings it cancels are listed first).
#[server]
pub async fn staff_close_day(
    place: i64,
    service: String,
    date: String,
    note: Option<String>,
    confirm: Option<String>,
) -> Result<FormOutcome, AppError> {
    use crate::model::{FieldMessage, Rejection};
    use backend::schedules::ScheduleError;
    let account = crate::device::require_staff().await?;
    let schedules = crate::api::common::context::<backend::schedules::Schedules>("schedules")?;
    let field = |message: String| Rejection {
        errors: vec![FieldMessage {
            field: "closure".into(),
            message,
        }],
        ..Default::default()
    };
    let rejection = match (
        service.parse::<domain::ServiceCode>(),
        chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d"),
    ) {
        (Err(_), _) => field(crate::i18n::t(crate::i18n::Msg::ChooseService).into()),
        (_, Err(_)) => field(crate::i18n::t(crate::i18n::Msg::ChooseDate).into()),
        (Ok(code), Ok(day)) => match schedules
            .close_day(
                &account,
                domain::LocationId(place),
                code,
                day,
                note.as_deref().unwrap_or(""),
                confirm.is_some(),
            )
            .await
        {
            Ok(_) => {
                return crate::api::common::done(&format!("/staff/schedules?place={place}")).await
            }
            Err(e @ ScheduleError::Internal) => return Err(e.into()),
            Err(ScheduleError::NeedsConfirmation(list)) => {
                let lines: Vec<String> = list
                    .iter()
                    .map(|b| {
                        format!(
                            "{} {}",
                            domain::slots::to_local(&b.start).format("%H:%M"),
                            b.name
                        )
                    })
                    .collect();
                field(crate::i18n::closing_cancels(
                    crate::i18n::lang(),
                    list.len(),
                    &lines,
                ))
            }
            Err(e) => field(backend::UseCaseError::message(&e, crate::i18n::lang())),
        },
    };
    crate::api::common::reject_noting(
        rejection,
        format!("/staff/schedules?place={place}"),
        format!("closure:{place}"),
    )
    .await
}

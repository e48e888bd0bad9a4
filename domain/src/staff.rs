//! Staff accounts and who may do what where. Every staff request is checked against
//! [`StaffAccount::may`] on the server; pages only hide what the server would refuse anyway.

use crate::booking::FieldError;
use crate::{Location, LocationId, LocationKind, ServiceCode};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A staff role. Codes are a database and API contract: never rename them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 居村工作室工作人员: one workroom.
    WorkroomClerk,
    /// 司法所工作人员: an office and its workrooms.
    OfficeClerk,
    /// 司法所负责人: the same, plus schedules and statistics.
    OfficeHead,
    /// 心理咨询师: psychology bookings at the assigned place; the only role that sees their
    /// topics and accounts.
    Counsellor,
    /// 区司法局管理员: everything, and user accounts.
    DistrictAdmin,
    /// 审计: read-only statistics and the audit log.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::WorkroomClerk,
        Role::OfficeClerk,
        Role::OfficeHead,
        Role::Counsellor,
        Role::DistrictAdmin,
        Role::Auditor,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Role::WorkroomClerk => "workroom_clerk",
            Role::OfficeClerk => "office_clerk",
            Role::OfficeHead => "office_head",
            Role::Counsellor => "counsellor",
            Role::DistrictAdmin => "district_admin",
            Role::Auditor => "auditor",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            Role::WorkroomClerk => "Workroom clerk",
            Role::OfficeClerk => "Office clerk",
            Role::OfficeHead => "Head of office",
            Role::Counsellor => "Counsellor",
            Role::DistrictAdmin => "District bureau administrator",
            Role::Auditor => "Auditor",
        }
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            Role::WorkroomClerk => "居村工作室工作人员",
            Role::OfficeClerk => "司法所工作人员",
            Role::OfficeHead => "司法所负责人",
            Role::Counsellor => "心理咨询师",
            Role::DistrictAdmin => "区司法局管理员",
            Role::Auditor => "审计",
        }
    }

    /// Whether the role is tied to one place (and which kind).
    pub const fn needs_place(self) -> Option<LocationKind> {
        match self {
            Role::WorkroomClerk => Some(LocationKind::Workroom),
            Role::OfficeClerk | Role::OfficeHead => Some(LocationKind::Office),
            // a counsellor works in a psychology room, at an office or a workroom
            Role::Counsellor => None,
            Role::DistrictAdmin | Role::Auditor => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What a staff member wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See a place's queue of the day.
    ViewQueue,
    /// Check in, call, serve, finish, take walk-ins.
    OperateQueue,
    /// Edit weekly rules, capacities and closures.
    EditSchedules,
    ViewStatistics,
    ManageUsers,
    ViewAuditLog,
}

/// A signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccount {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The workroom, office or psychology room the account works at; `None` for district-wide
    /// roles.
    pub place: Option<LocationId>,
}

impl StaffAccount {
    /// Whether the account's scope covers `place`: its own place, or for office roles the
    /// office and its workrooms; district roles cover everything.
    pub fn covers(&self, place: &Location) -> bool {
        match self.role {
            Role::DistrictAdmin | Role::Auditor => true,
            Role::WorkroomClerk | Role::Counsellor => self.place == Some(place.id),
            Role::OfficeClerk | Role::OfficeHead => {
                self.place.is_some()
                    && (self.place == Some(place.id) || self.place == place.office_id)
            }
        }
    }

    /// May this account do `action` at `place` (`None`: district-wide actions)?
    pub fn may(&self, action: Action, place: Option<&Location>) -> bool {
        use Action::*;
        let at_place = |p: Option<&Location>| p.is_some_and(|p| self.covers(p));
        match (self.role, action) {
            (Role::DistrictAdmin, _) => true,
            (Role::Auditor, ViewStatistics | ViewAuditLog) => true,
            (Role::Auditor, _) => false,
            (_, ManageUsers | ViewAuditLog) => false,
            (Role::OfficeHead, ViewStatistics | EditSchedules) => at_place(place),
            (_, ViewStatistics | EditSchedules) => false,
            (
                Role::WorkroomClerk | Role::OfficeClerk | Role::OfficeHead | Role::Counsellor,
                ViewQueue | OperateQueue,
            ) => at_place(place),
        }
    }

    /// May this account see the topic and account of a booking of `service`? Psychology ones
    /// only by counsellors; others by anyone who may see the queue.
    pub fn sees_details_of(&self, service: ServiceCode) -> bool {
        match service {
            ServiceCode::Psychology => self.role == Role::Counsellor,
            _ => self.role != Role::Auditor,
        }
    }

    /// Whether the account serves people of `service` at `place`'s desk (check-in, calls,
    /// serving, turning a consultation into a case).
    pub fn serves(&self, place: &Location, service: ServiceCode) -> bool {
        self.may(Action::OperateQueue, Some(place)) && self.handles(service)
    }

    /// Services whose queue entries this account handles at a place it covers. A counsellor
    /// handles psychology only; everyone else everything but psychology's confidential details.
    pub fn handles(&self, service: ServiceCode) -> bool {
        match self.role {
            Role::Counsellor => service == ServiceCode::Psychology,
            Role::Auditor => false,
            _ => true,
        }
    }
}

/// A username: 3–32 ASCII letters, digits, `-`, `_` or `.`, compared in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Username(String);

impl Username {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let t = text.trim().to_ascii_lowercase();
        let ok = (3..=32).contains(&t.len())
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if ok {
            Ok(Username(t))
        } else {
            Err(FieldError::new(
                "username",
                "用户名为 3–32 位英文字母、数字、“-”、“_”或“.”",
                "A username has 3 to 32 characters: English letters, digits, “-”, “_” or “.”",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Shortest password accepted for a new or changed password.
pub const PASSWORD_MIN_CHARS: usize = 8;
/// Longest password ever hashed: 128 characters of up to four bytes. A longer one is refused
/// before hashing, so sign-in attempts cannot be made expensive by their length.
pub const PASSWORD_MAX_BYTES: usize = 512;

/// Checks a new password: long enough, not the username, not all one character.
pub fn check_new_password(username: &str, password: &str) -> Result<(), FieldError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN_CHARS {
        return Err(FieldError::new(
            "password",
            format!("密码至少 {PASSWORD_MIN_CHARS} 位"),
            format!("The password must have at least {PASSWORD_MIN_CHARS} characters"),
        ));
    }
    if n > 128 {
        return Err(FieldError::new(
            "password",
            "密码最多 128 位",
            "The password can have at most 128 characters",
        ));
    }
    if password.eq_ignore_ascii_case(username) {
        return Err(FieldError::new(
            "password",
            "密码不能与用户名相同",
            "The password cannot be the same as the username",
        ));
    }
    let mut chars = password.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return Err(FieldError::new(
            "password",
            "密码不能全是同一个字符",
            "The password cannot be one character repeated",
        ));
    }
    Ok(())
}

/// How long a staff session lasts: it ends after `idle` without a request, and `absolute`
/// after sign-in however busy it is (a shared office computer left signed in overnight is
/// signed out by the morning).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    pub idle: chrono::Duration,
    pub absolute: chrono::Duration,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits {
            idle: chrono::Duration::minutes(30),
            absolute: chrono::Duration::hours(12),
        }
    }
}

/// A signed-in staff session as its cookie's server-side record keeps it. `key` ties it to
/// the password it was opened with: a password change or reset makes every other session's
/// key stale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTicket {
    pub account_id: i64,
    pub key: String,
    /// Unix seconds of the sign-in.
    pub since: i64,
    /// Unix seconds of the last request.
    pub seen: i64,
}

/// What a session's next request finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionCheck {
    /// Still good; `Some` with the ticket to store when its last-seen time should move on
    /// (at most once a minute, so busy pages do not write on every request).
    Live(Option<SessionTicket>),
    /// Over the idle time, over the absolute limit, or opened with an old password.
    Ended,
}

impl SessionTicket {
    pub fn check(&self, now: i64, current_key: &str, limits: SessionLimits) -> SessionCheck {
        let idle = now - self.seen;
        let age = now - self.since;
        if self.key != current_key
            || idle > limits.idle.num_seconds()
            || age > limits.absolute.num_seconds()
        {
            return SessionCheck::Ended;
        }
        SessionCheck::Live((idle >= 60).then(|| SessionTicket {
            seen: now,
            ..self.clone()
        }))
    }
}

/// Places and accounts for the tests of this module and of others (ratings).
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    pub(crate) fn place(id: i64, office: Option<i64>) -> Location {
        Location {
            id: LocationId(id),
            kind: if office.is_some() {
                LocationKind::Workroom
            } else {
                LocationKind::Office
            },
            office_id: office.map(LocationId),
            name: format!("p{id}"),
            area: "a".into(),
            neighbourhood: String::new(),
            address: "x".into(),
            phone: None,
            services: vec![],
        }
    }

    pub(crate) fn account(role: Role, place: Option<i64>) -> StaffAccount {
        StaffAccount {
            id: 1,
            username: "u".into(),
            display_name: "u".into(),
            role,
            place: place.map(LocationId),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{account, place};
    use super::*;

    #[test]
    fn scopes_follow_the_office_tree() {
        let office1 = place(1, None);
        let room101 = place(101, Some(1));
        let office2 = place(2, None);
        let room201 = place(201, Some(2));
        let clerk = account(Role::OfficeClerk, Some(1));
        assert!(clerk.covers(&office1) && clerk.covers(&room101));
        assert!(!clerk.covers(&office2) && !clerk.covers(&room201));
        let room_clerk = account(Role::WorkroomClerk, Some(101));
        assert!(room_clerk.covers(&room101));
        assert!(
            !room_clerk.covers(&office1),
            "a workroom clerk does not cover the office"
        );
        let admin = account(Role::DistrictAdmin, None);
        assert!(admin.covers(&room201));
        // an office role without a place covers nothing
        assert!(!account(Role::OfficeHead, None).covers(&office1));
    }

    #[test]
    fn who_serves_at_a_desk() {
        let own = place(1, None);
        let foreign = place(2, None);
        let clerk = account(Role::OfficeClerk, Some(1));
        assert!(clerk.serves(&own, ServiceCode::LegalConsultation));
        assert!(!clerk.serves(&foreign, ServiceCode::LegalConsultation));
        // clerks call psychology tickets too; only the topics stay with the counsellor
        assert!(clerk.serves(&own, ServiceCode::Psychology));
        let psy = account(Role::Counsellor, Some(1));
        assert!(psy.serves(&own, ServiceCode::Psychology));
        assert!(!psy.serves(&own, ServiceCode::LegalConsultation));
        assert!(!account(Role::Auditor, None).serves(&own, ServiceCode::LegalConsultation));
    }

    #[test]
    fn the_permission_matrix() {
        use Action::*;
        let own = place(1, None);
        let foreign = place(2, None);
        let expect = |role: Role, action: Action, own_ok: bool, foreign_ok: bool| {
            let a = account(role, Some(1));
            assert_eq!(a.may(action, Some(&own)), own_ok, "{role} {action:?} own");
            assert_eq!(
                a.may(action, Some(&foreign)),
                foreign_ok,
                "{role} {action:?} foreign"
            );
        };
        for action in [ViewQueue, OperateQueue] {
            expect(Role::OfficeClerk, action, true, false);
            expect(Role::OfficeHead, action, true, false);
            expect(Role::Counsellor, action, true, false);
            expect(Role::Auditor, action, false, false);
            expect(Role::DistrictAdmin, action, true, true);
        }
        for action in [EditSchedules, ViewStatistics] {
            expect(Role::OfficeClerk, action, false, false);
            expect(Role::OfficeHead, action, true, false);
        }
        expect(Role::Auditor, ViewStatistics, true, true);
        expect(Role::Auditor, ViewAuditLog, true, true);
        expect(Role::OfficeHead, ManageUsers, false, false);
        expect(Role::DistrictAdmin, ManageUsers, true, true);
    }

    #[test]
    fn only_counsellors_see_psychology_details() {
        for role in Role::ALL {
            let a = account(role, Some(1));
            assert_eq!(
                a.sees_details_of(ServiceCode::Psychology),
                role == Role::Counsellor,
                "{role}"
            );
        }
        assert!(account(Role::OfficeClerk, Some(1)).sees_details_of(ServiceCode::LegalConsultation));
    }

    #[test]
    fn usernames_and_passwords() {
        assert_eq!(Username::parse(" O1-Head ").unwrap().as_str(), "o1-head");
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("王芳").is_err());
        assert!(check_new_password("o1-head", "demo1234").is_ok());
        assert_eq!(
            check_new_password("u", "short").unwrap_err().field,
            "password"
        );
        assert!(check_new_password("o1-head", "O1-HEAD").is_err());
        assert!(check_new_password("x", "aaaaaaaaaa").is_err());
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
        }
    }

    #[test]
    fn staff_sessions_end_when_idle_too_old_or_the_password_changed() {
        use super::{SessionCheck, SessionLimits, SessionTicket};
        let limits = SessionLimits::default();
        let t0 = 1_800_000_000;
        let ticket = SessionTicket {
            account_id: 7,
            key: "k1".into(),
            since: t0,
            seen: t0,
        };
        assert_eq!(
            ticket.check(t0 + 30, "k1", limits),
            SessionCheck::Live(None)
        );
        // busy: the last-seen time moves on, at most once a minute
        let SessionCheck::Live(Some(later)) = ticket.check(t0 + 29 * 60, "k1", limits) else {
            panic!("live after 29 minutes");
        };
        assert_eq!(later.seen, t0 + 29 * 60);
        assert_eq!(
            ticket.check(t0 + 31 * 60, "k1", limits),
            SessionCheck::Ended,
            "idle"
        );
        // kept busy every 20 minutes, it still ends 12 hours after sign-in
        let mut t = ticket.clone();
        let mut now = t0;
        while let SessionCheck::Live(next) = t.check(now, "k1", limits) {
            if let Some(n) = next {
                t = n;
            }
            now += 20 * 60;
        }
        assert!(
            now > t0 + 12 * 3600 && now <= t0 + 12 * 3600 + 20 * 60,
            "{}",
            now - t0
        );
        assert_eq!(
            ticket.check(t0 + 60, "k2", limits),
            SessionCheck::Ended,
            "new password"
        );
        // a clock set back (NTP) neither ends a session nor moves it
        assert_eq!(later.check(t0, "k1", limits), SessionCheck::Live(None));
    }
}

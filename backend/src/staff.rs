//! Use cases of staff accounts: sign in, look an account up, add users, change a password,
//! seed the demo accounts, read the audit log. Passwords are hashed with argon2id (the
//! `argon2` crate's defaults, OWASP's recommended parameters) off the async runtime.

use crate::booking::Clock;
use crate::error::{kind_message, ErrorKind, UseCaseError};
use crate::store::{AuditEntry, NewStaffUser, Store};
use crate::{Directory, ServiceError};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::Argon2;
use domain::booking::FieldError;
use domain::staff::{
    check_new_password, Action, Role, SessionCheck, SessionLimits, SessionTicket, StaffAccount,
    Username,
};
use domain::LocationId;
use std::sync::Arc;

/// The demo accounts' password (demo mode only; the README lists the accounts).
pub const DEMO_PASSWORD: &str = "demo1234";

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    /// Wrong username or password, or a disabled account: one answer for all.
    #[error("用户名或密码不正确")]
    BadCredentials,
    #[error("{0}")]
    Invalid(FieldError),
    #[error("没有权限进行这项操作")]
    Forbidden,
    /// Too many passwords being checked at once (a sign-in flood): try again shortly.
    #[error("登录的人太多，请稍后再试")]
    Busy,
    #[error("internal error")]
    Internal,
}

impl UseCaseError for StaffError {
    fn kind(&self) -> ErrorKind {
        match self {
            StaffError::BadCredentials => ErrorKind::Unauthorized,
            StaffError::Invalid(_) => ErrorKind::Invalid,
            StaffError::Forbidden => ErrorKind::Forbidden,
            StaffError::Busy => ErrorKind::Unavailable,
            StaffError::Internal => ErrorKind::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            StaffError::Invalid(f) => Some(f.field),
            _ => None,
        }
    }

    /// The message in `lang`: the Chinese text is the `Display` one.
    fn message(&self, lang: domain::Lang) -> String {
        use domain::Lang;
        match (lang, self) {
            (_, StaffError::Internal) => kind_message(ErrorKind::Internal, lang).to_string(),
            (Lang::ZhCn, _) => self.to_string(),
            (Lang::En, StaffError::BadCredentials) => {
                "The username or the password is not correct".to_string()
            }
            (Lang::En, StaffError::Invalid(f)) => f.message_in(lang).to_string(),
            (Lang::En, StaffError::Forbidden) => {
                "You do not have permission to do this".to_string()
            }
            (Lang::En, StaffError::Busy) => {
                "Too many people are signing in; please try again in a moment".to_string()
            }
        }
    }
}

impl From<ServiceError> for StaffError {
    fn from(_: ServiceError) -> Self {
        StaffError::Internal
    }
}

impl From<crate::store::StoreError> for StaffError {
    fn from(e: crate::store::StoreError) -> Self {
        ServiceError::from(e).into()
    }
}

/// Password hashing is deliberately slow (tens of milliseconds of a core each): at most this
/// many run at once, about one per core, so a sign-in flood queues instead of taking every
/// core from the residents' requests; one that waits too long is refused.
static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    tokio::sync::Semaphore::new(cores.clamp(1, 4))
});
const HASH_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

async fn hashing_slot() -> Result<tokio::sync::SemaphorePermit<'static>, StaffError> {
    match tokio::time::timeout(HASH_WAIT, HASHING.acquire()).await {
        Ok(Ok(permit)) => Ok(permit),
        Ok(Err(_)) => Err(StaffError::Internal),
        Err(_) => Err(StaffError::Busy),
    }
}

/// A short fingerprint of a stored password hash: what ties a session to the password it was
/// opened with (the hash itself never leaves the store).
fn password_key(hash: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(hash.as_bytes())[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn hash_password(password: String) -> Result<String, StaffError> {
    let _slot = hashing_slot().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|_| StaffError::Internal)?
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        StaffError::Internal
    })
}

/// Work areas of password checks, one per hashing slot, kept between checks. Argon2 needs
/// about 19 MiB per check: allocated afresh each time, a flood of sign-ins left hundreds of
/// megabytes with the process (the allocator kept the freed areas), and anyone can cause
/// sign-in checks. Reused, a flood costs no memory beyond the slots'.
static WORK_AREAS: std::sync::Mutex<Vec<Vec<argon2::Block>>> = std::sync::Mutex::new(Vec::new());

/// Whether `password` matches the PHC string `phc`, computed in `memory`.
fn verify_in(password: &[u8], phc: &str, memory: &mut Vec<argon2::Block>) -> bool {
    use argon2::password_hash::Output;
    use argon2::{Algorithm, Params, Version};
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    let algorithm = Algorithm::try_from(hash.algorithm);
    let version = hash
        .version
        .map(Version::try_from)
        .transpose()
        .map(Option::unwrap_or_default);
    let (Ok(algorithm), Ok(version), Ok(params), Some(salt), Some(expected)) = (
        algorithm,
        version,
        Params::try_from(&hash),
        hash.salt,
        hash.hash,
    ) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    memory.resize(params.block_count(), argon2::Block::default());
    let computed = Argon2::new(algorithm, version, params).hash_password_into_with_memory(
        password,
        salt,
        &mut out,
        &mut memory[..],
    );
    // Output's comparison takes the same time wherever the bytes differ
    computed.is_ok() && Output::new(&out).is_ok_and(|o| o == expected)
}

async fn verify_password(password: String, hash: String) -> Result<bool, StaffError> {
    let _slot = hashing_slot().await?;
    // at most one work area per slot is ever out of the pool
    let mut memory = WORK_AREAS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .pop()
        .unwrap_or_default();
    let (ok, memory) = tokio::task::spawn_blocking(move || {
        let ok = verify_in(password.as_bytes(), &hash, &mut memory);
        (ok, memory)
    })
    .await
    .map_err(|_| StaffError::Internal)?;
    WORK_AREAS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(memory);
    Ok(ok)
}

/// Checked for unknown usernames too, so response time does not reveal which names exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0QyS1GdHfEpZrvj1LpXSKRsq3Jb5CvjKzoo66ipHNWA";

#[derive(Clone)]
pub struct Staff {
    store: Arc<dyn Store>,
    directory: Directory,
    clock: Clock,
    limits: SessionLimits,
}

/// Who did something from the command line (`server user …`), in the audit log.
const CLI_ACTOR: &str = "(command line)";

impl Staff {
    pub fn new(store: Arc<dyn Store>, directory: Directory, clock: Clock) -> Self {
        Staff {
            store,
            directory,
            clock,
            limits: SessionLimits::default(),
        }
    }

    /// With other session limits than the defaults (configuration).
    pub fn with_session_limits(mut self, limits: SessionLimits) -> Self {
        self.limits = limits;
        self
    }

    /// A new session's ticket for an account that just proved its password.
    pub async fn open_session(&self, account: &StaffAccount) -> Result<SessionTicket, StaffError> {
        let found = self
            .store
            .staff_user_by_id(account.id)
            .await?
            .ok_or(StaffError::BadCredentials)?;
        let now = (self.clock)().timestamp();
        Ok(SessionTicket {
            account_id: account.id,
            key: password_key(&found.password_hash),
            since: now,
            seen: now,
        })
    }

    /// The account behind a session's ticket, if the session has not ended (idle, too old,
    /// password changed since, account disabled), with the ticket to store when it moved on.
    pub async fn resume(
        &self,
        ticket: &SessionTicket,
    ) -> Result<Option<(StaffAccount, Option<SessionTicket>)>, StaffError> {
        let Some(found) = self.store.staff_user_by_id(ticket.account_id).await? else {
            return Ok(None);
        };
        if found.disabled {
            return Ok(None);
        }
        let now = (self.clock)().timestamp();
        Ok(
            match ticket.check(now, &password_key(&found.password_hash), self.limits) {
                SessionCheck::Live(touched) => Some((found.account, touched)),
                SessionCheck::Ended => None,
            },
        )
    }

    pub async fn login(&self, username: &str, password: &str) -> Result<StaffAccount, StaffError> {
        let found = match Username::parse(username) {
            Ok(u) => self.store.staff_user_by_name(u.as_str()).await?,
            Err(_) => None,
        };
        let hash = found
            .as_ref()
            .map(|f| f.password_hash.clone())
            .unwrap_or_else(|| DUMMY_HASH.to_string());
        // an absurd password is not hashed at all (hashing time grows with its length)
        let ok = password.len() <= domain::staff::PASSWORD_MAX_BYTES
            && verify_password(password.to_string(), hash).await?;
        match found {
            Some(f) if ok && !f.disabled => {
                self.audit(&f.account, "login", None, None, None).await;
                Ok(f.account)
            }
            _ => Err(StaffError::BadCredentials),
        }
    }

    /// The account behind a session, unless it was disabled since.
    pub async fn account(&self, id: i64) -> Result<Option<StaffAccount>, StaffError> {
        Ok(self
            .store
            .staff_user_by_id(id)
            .await?
            .filter(|f| !f.disabled)
            .map(|f| f.account))
    }

    /// Adds an account (CLI and district admins). The place must suit the role.
    pub async fn add_user(
        &self,
        username: &str,
        display_name: &str,
        password: &str,
        role: Role,
        place: Option<LocationId>,
    ) -> Result<i64, StaffError> {
        let username = Username::parse(username).map_err(StaffError::Invalid)?;
        check_new_password(username.as_str(), password).map_err(StaffError::Invalid)?;
        self.check_place(role, place).await?;
        let hash = hash_password(password.to_string()).await?;
        self.insert(username.as_str(), display_name, hash, role, place)
            .await
    }

    async fn insert(
        &self,
        username: &str,
        display_name: &str,
        password_hash: String,
        role: Role,
        place: Option<LocationId>,
    ) -> Result<i64, StaffError> {
        let display_name = match display_name.trim() {
            "" => username.to_string(),
            d => d.chars().take(30).collect(),
        };
        self.store
            .create_staff_user(&NewStaffUser {
                username: username.to_string(),
                display_name,
                password_hash,
                role,
                place,
                created_at: (self.clock)(),
            })
            .await?
            .ok_or_else(|| {
                StaffError::Invalid(FieldError::new(
                    "username",
                    "这个用户名已经有人用了",
                    "This username is already taken; please choose another",
                ))
            })
    }

    async fn check_place(&self, role: Role, place: Option<LocationId>) -> Result<(), StaffError> {
        let wrong = |zh: &str, en: &str| Err(StaffError::Invalid(FieldError::new("place", zh, en)));
        match (role, place) {
            (Role::DistrictAdmin | Role::Auditor, None) => Ok(()),
            (Role::DistrictAdmin | Role::Auditor, Some(_)) => wrong(
                "区级账号不属于某个网点",
                "A district account does not belong to a place; leave the place empty",
            ),
            (_, None) => wrong("请指定所属网点", "Choose the place the account belongs to"),
            (_, Some(id)) => {
                let p = match self.directory.location(id).await {
                    Ok(p) => p,
                    Err(ServiceError::NotFound) => {
                        return Err(StaffError::Invalid(FieldError::no_such_place("place")))
                    }
                    Err(e) => return Err(e.into()),
                };
                match role.needs_place() {
                    Some(kind) if kind != p.kind => wrong(
                        "网点类型与角色不符",
                        "This kind of place does not match the role",
                    ),
                    _ => Ok(()),
                }
            }
        }
    }

    pub async fn change_password(
        &self,
        account: &StaffAccount,
        old: &str,
        new: &str,
    ) -> Result<(), StaffError> {
        let Some(found) = self.store.staff_user_by_id(account.id).await? else {
            return Err(StaffError::BadCredentials);
        };
        if old.len() > domain::staff::PASSWORD_MAX_BYTES
            || !verify_password(old.to_string(), found.password_hash).await?
        {
            return Err(StaffError::Invalid(FieldError::new(
                "old_password",
                "原密码不正确",
                "The current password is not correct",
            )));
        }
        check_new_password(&account.username, new).map_err(StaffError::Invalid)?;
        let hash = hash_password(new.to_string()).await?;
        self.store
            .set_staff_password(account.id, &hash, (self.clock)())
            .await?;
        self.audit(account, "password_changed", None, None, None)
            .await;
        Ok(())
    }

    /// Demo mode: `district`, `auditor`, `oN-head` and `oN-clerk` for the N-th office of the
    /// district file, and `psy` at the first place with a psychology room; all with
    /// [`DEMO_PASSWORD`]. Only into a database without staff accounts.
    pub async fn seed_demo_accounts(&self) -> Result<usize, StaffError> {
        if self.store.staff_user_count().await? > 0 {
            return Ok(0);
        }
        // one hash for all demo accounts: they share the published demo password anyway
        let hash = hash_password(DEMO_PASSWORD.to_string()).await?;
        let mut users: Vec<(String, String, Role, Option<LocationId>)> = vec![
            (
                "district".into(),
                "区司法局管理员".into(),
                Role::DistrictAdmin,
                None,
            ),
            ("auditor".into(), "审计".into(), Role::Auditor, None),
        ];
        for (n, group) in self.directory.offices().await?.iter().enumerate() {
            let o = &group.office;
            let n = n + 1;
            users.push((
                format!("o{n}-head"),
                format!("{}负责人", o.name),
                Role::OfficeHead,
                Some(o.id),
            ));
            users.push((
                format!("o{n}-clerk"),
                format!("{}工作人员", o.name),
                Role::OfficeClerk,
                Some(o.id),
            ));
        }
        let psychology = self
            .directory
            .all()
            .await?
            .iter()
            .find(|p| p.offers(domain::ServiceCode::Psychology).is_some())
            .map(|p| p.id);
        if let Some(place) = psychology {
            users.push((
                "psy".into(),
                "心理咨询师".into(),
                Role::Counsellor,
                Some(place),
            ));
        }
        for (username, name, role, place) in &users {
            self.insert(username, name, hash.clone(), *role, *place)
                .await?;
        }
        Ok(users.len())
    }

    /// Every account (`server user list`).
    pub async fn list_users(&self) -> Result<Vec<crate::store::StaffUserRecord>, StaffError> {
        Ok(self.store.staff_users().await?)
    }

    async fn by_name(&self, username: &str) -> Result<crate::store::StaffUserRecord, StaffError> {
        let name = Username::parse(username).map_err(StaffError::Invalid)?;
        self.store
            .staff_user_by_name(name.as_str())
            .await?
            .ok_or_else(|| {
                StaffError::Invalid(FieldError::new(
                    "username",
                    "没有这个用户",
                    "There is no such user",
                ))
            })
    }

    /// Disables (`true`) or enables an account from the command line; a disabled account's
    /// sessions end at their next request.
    pub async fn set_disabled(&self, username: &str, disabled: bool) -> Result<(), StaffError> {
        let user = self.by_name(username).await?;
        self.store
            .set_staff_disabled(user.account.id, disabled)
            .await?;
        let action = if disabled {
            "user_disabled"
        } else {
            "user_enabled"
        };
        self.audit_cli(action, &user.account).await;
        Ok(())
    }

    /// Sets a new password from the command line; every session of the account ends.
    pub async fn reset_password(&self, username: &str, password: &str) -> Result<(), StaffError> {
        let user = self.by_name(username).await?;
        check_new_password(&user.account.username, password).map_err(StaffError::Invalid)?;
        let hash = hash_password(password.to_string()).await?;
        self.store
            .set_staff_password(user.account.id, &hash, (self.clock)())
            .await?;
        self.audit_cli("password_reset", &user.account).await;
        Ok(())
    }

    /// Accounts that still have the published demo password (warned about at start-up when
    /// demo mode is off).
    pub async fn with_demo_password(&self) -> Result<Vec<String>, StaffError> {
        let mut found = Vec::new();
        for user in self.store.staff_users().await? {
            if !user.disabled
                && verify_password(DEMO_PASSWORD.to_string(), user.password_hash).await?
            {
                found.push(user.account.username);
            }
        }
        Ok(found)
    }

    async fn audit_cli(&self, action: &str, subject: &StaffAccount) {
        self.record(AuditEntry {
            at: (self.clock)(),
            staff_id: None,
            username: CLI_ACTOR.to_string(),
            action: action.to_string(),
            location_id: subject.place,
            subject: Some(subject.username.clone()),
            before: None,
            after: None,
        })
        .await;
    }

    pub async fn audit_log(
        &self,
        account: &StaffAccount,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StaffError> {
        if !account.may(Action::ViewAuditLog, None) {
            return Err(StaffError::Forbidden);
        }
        Ok(self.store.audit_log(limit.clamp(1, 1000)).await?)
    }

    /// Records a staff action; a failure is logged, never stops the action.
    pub async fn audit(
        &self,
        account: &StaffAccount,
        action: &str,
        place: Option<LocationId>,
        subject: Option<String>,
        change: Option<(String, String)>,
    ) {
        let (before, after) = change.map(|(b, a)| (Some(b), Some(a))).unwrap_or_default();
        self.record(AuditEntry {
            at: (self.clock)(),
            staff_id: Some(account.id),
            username: account.username.clone(),
            action: action.to_string(),
            location_id: place,
            subject,
            before,
            after,
        })
        .await;
    }

    /// Writes an audit entry; a failure is logged, never stops the action.
    async fn record(&self, entry: AuditEntry) {
        if let Err(e) = self.store.audit(&entry).await {
            tracing::error!(error = %e, action = entry.action, "audit log write failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_in_reused_memory_agrees_with_the_library() {
        let salt = SaltString::generate(&mut OsRng);
        let phc = Argon2::default()
            .hash_password(b"correct horse", &salt)
            .unwrap()
            .to_string();
        let mut memory = Vec::new();
        assert!(verify_in(b"correct horse", &phc, &mut memory));
        assert!(
            !verify_in(b"correct hors", &phc, &mut memory),
            "one letter off"
        );
        assert!(
            verify_in(b"correct horse", &phc, &mut memory),
            "the area is reused"
        );
        assert!(!verify_in(b"anything", DUMMY_HASH, &mut memory));
        assert!(!verify_in(b"anything", "not a hash", &mut memory));
        assert!(!verify_in(
            b"",
            "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$",
            &mut memory
        ));
    }
}

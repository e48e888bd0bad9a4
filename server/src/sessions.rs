//! Where server-side sessions live: in the portal's own database, whichever engine it is, so
//! that with several instances a signed-in staff member or a resident's remembered bookings
//! are found by every instance.

use async_trait::async_trait;
use backend::store::{Database, StoreError};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{ExpiredDeletion, Result, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

#[derive(Debug, Clone)]
pub enum PortalSessions {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl PortalSessions {
    /// The session table of `db` (created when missing).
    pub async fn of(db: &Database) -> std::result::Result<Self, StoreError> {
        Ok(match db {
            Database::Sqlite(s) => PortalSessions::Sqlite(s.session_store().await?),
            Database::Postgres(p) => PortalSessions::Postgres(p.session_store().await?),
        })
    }
}

#[async_trait]
impl SessionStore for PortalSessions {
    async fn create(&self, record: &mut Record) -> Result<()> {
        match self {
            PortalSessions::Sqlite(s) => s.create(record).await,
            PortalSessions::Postgres(p) => p.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        match self {
            PortalSessions::Sqlite(s) => s.save(record).await,
            PortalSessions::Postgres(p) => p.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        match self {
            PortalSessions::Sqlite(s) => s.load(id).await,
            PortalSessions::Postgres(p) => p.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        match self {
            PortalSessions::Sqlite(s) => s.delete(id).await,
            PortalSessions::Postgres(p) => p.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for PortalSessions {
    async fn delete_expired(&self) -> Result<()> {
        match self {
            PortalSessions::Sqlite(s) => s.delete_expired().await,
            PortalSessions::Postgres(p) => p.delete_expired().await,
        }
    }
}

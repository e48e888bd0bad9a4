//! `server migrate-db --from sqlite://… --to postgres://…`: moves a whole portal (every
//! table, and the signed-in sessions) from its SQLite file to an empty PostgreSQL database,
//! then proves the copy by row counts and content checksums per table.

use backend::store::copy::{self, TableCheck};
use backend::store::{postgres::PgStore, sqlite::SqliteStore, Database, StoreError};
use tower_sessions::session_store::SessionStore as _;

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("--from must be a sqlite: URL and --to a postgres: URL")]
    Urls,
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("sessions: {0}")]
    Sessions(String),
}

#[derive(Debug)]
pub struct MigrationReport {
    pub tables: Vec<TableCheck>,
    /// Sessions still valid, carried over so nobody is signed out by the move.
    pub sessions: u64,
}

impl MigrationReport {
    pub fn complete(&self) -> bool {
        self.tables.iter().all(TableCheck::matches)
    }
}

pub async fn migrate_db(
    from: &str,
    to: &str,
    progress: impl FnMut(&str, u64),
) -> Result<MigrationReport, MigrateError> {
    let (Database::Sqlite(source), Database::Postgres(target)) = (
        backend::store::open(from, 4).await?,
        backend::store::open(to, 4).await?,
    ) else {
        return Err(MigrateError::Urls);
    };
    let tables = copy::sqlite_to_postgres(&source, &target, progress).await?;
    let sessions = copy_sessions(&source, &target).await?;
    Ok(MigrationReport { tables, sessions })
}

/// Every unexpired session, read and written through the session stores themselves (the two
/// keep expiry dates in different column types).
async fn copy_sessions(from: &SqliteStore, to: &PgStore) -> Result<u64, MigrateError> {
    let (source, target) = (from.session_store().await?, to.session_store().await?);
    let mut copied = 0;
    for id in from.session_ids().await? {
        let Ok(id) = id.parse() else { continue };
        let record = source
            .load(&id)
            .await
            .map_err(|e| MigrateError::Sessions(e.to_string()))?;
        if let Some(record) = record {
            target
                .save(&record)
                .await
                .map_err(|e| MigrateError::Sessions(e.to_string()))?;
            copied += 1;
        }
    }
    Ok(copied)
}

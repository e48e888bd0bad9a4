//! Copying a whole portal from SQLite to PostgreSQL (`server migrate-db`), and the per-table
//! row count and content checksum that show nothing was lost.
//!
//! Both schemas have the same tables and columns with the same meanings (see the PostgreSQL
//! migration), so rows are copied value for value: the PostgreSQL column's type says how to
//! read each SQLite value. The copy is one transaction: it is all there or not at all.

use super::postgres::PgStore;
use super::sqlite::SqliteStore;
use super::{Database, StoreError, StoreResult};
use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::{QueryBuilder, Row};

/// Every table of the portal, parents before children (foreign keys hold at every insert).
pub const TABLES: &[&str] = &[
    "district",
    "locations",
    "location_services",
    "weekly_sessions",
    "holiday_years",
    "schedule_exceptions",
    "slot_seats",
    "bookings",
    "booking_events",
    "staff_users",
    "queue_entries",
    "audit_log",
    "notifications",
    "mediation_cases",
    "mediation_events",
    "agreement_counters",
    "stats_rollups",
    "stats_stale",
    "stats_daily_rollups",
    "stats_versions",
    "rating_versions",
    "secrets",
    "phone_codes",
    "waitlist_entries",
    "ratings",
    "rating_follow_ups",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Text,
    Bool,
    Bytes,
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Bytes(Option<Vec<u8>>),
}

impl Value {
    /// A self-delimiting encoding (kind, presence, length, bytes) for the checksum.
    fn encode(&self, out: &mut Vec<u8>) {
        fn bytes(out: &mut Vec<u8>, tag: u8, b: Option<&[u8]>) {
            out.push(tag);
            match b {
                None => out.push(0),
                Some(b) => {
                    out.push(1);
                    out.extend_from_slice(&(b.len() as u64).to_le_bytes());
                    out.extend_from_slice(b);
                }
            }
        }
        match self {
            Value::Int(v) => bytes(out, b'i', v.map(i64::to_le_bytes).as_ref().map(|b| &b[..])),
            Value::Text(v) => bytes(out, b't', v.as_deref().map(str::as_bytes)),
            Value::Bool(v) => bytes(out, b'b', v.map(|b| [u8::from(b)]).as_ref().map(|b| &b[..])),
            Value::Bytes(v) => bytes(out, b'x', v.as_deref()),
        }
    }
}

/// A table's columns and their kinds, from the PostgreSQL catalogue.
async fn columns(pg: &PgStore, table: &str) -> StoreResult<Vec<(String, Kind)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&pg.pool)
    .await?;
    if rows.is_empty() {
        return Err(StoreError::Corrupt(format!(
            "no table {table} in PostgreSQL"
        )));
    }
    rows.into_iter()
        .map(|(name, ty)| {
            let kind = match ty.as_str() {
                "bigint" | "integer" | "smallint" => Kind::Int,
                "text" => Kind::Text,
                "boolean" => Kind::Bool,
                "bytea" => Kind::Bytes,
                other => return Err(StoreError::Corrupt(format!("{table}.{name}: type {other}"))),
            };
            Ok((name, kind))
        })
        .collect()
}

/// A row's values, read by the kinds of `cols`, starting at column `first`.
fn row_values<R: Row>(
    row: &R,
    cols: &[(String, Kind)],
    first: usize,
) -> Result<Vec<Value>, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<bool>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<Vec<u8>>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    cols.iter()
        .enumerate()
        .map(|(i, (_, kind))| {
            let i = first + i;
            Ok(match kind {
                Kind::Int => Value::Int(row.try_get(i)?),
                Kind::Text => Value::Text(row.try_get(i)?),
                Kind::Bool => Value::Bool(row.try_get(i)?),
                Kind::Bytes => Value::Bytes(row.try_get(i)?),
            })
        })
        .collect()
}

/// Rows copied per INSERT (PostgreSQL takes at most 65,535 bound values per statement).
const BATCH: i64 = 2000;

/// What was copied of one table, and what each side holds afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCheck {
    pub table: &'static str,
    pub source: Summary,
    pub target: Summary,
}

impl TableCheck {
    pub fn matches(&self) -> bool {
        self.source == self.target
    }
}

/// Row count and a SHA-256 over the table's content (independent of row order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    pub checksum: String,
}

/// Copies every table of `from` into the empty, migrated `to`, then counts and checksums
/// both sides. `progress` hears each table's name and rows copied.
pub async fn sqlite_to_postgres(
    from: &SqliteStore,
    to: &PgStore,
    mut progress: impl FnMut(&str, u64),
) -> StoreResult<Vec<TableCheck>> {
    let (occupied,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM locations")
        .fetch_one(&to.pool)
        .await?;
    if occupied > 0 {
        return Err(StoreError::WriteFailed(
            "the PostgreSQL database already holds a portal; copy only into an empty one".into(),
        ));
    }
    // every table of the schema must be in TABLES, or a later migration's table would be
    // left behind without anyone noticing
    let (present,): (Vec<String>,) = sqlx::query_as(
        "SELECT COALESCE(array_agg(table_name::text), '{}') FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
           AND table_name <> '_sqlx_migrations'",
    )
    .fetch_one(&to.pool)
    .await?;
    if let Some(missing) = present.iter().find(|t| !TABLES.contains(&t.as_str())) {
        return Err(StoreError::Corrupt(format!(
            "table {missing} is not in the copy's list (store/copy.rs TABLES)"
        )));
    }
    let (identities,): (Vec<String>,) = sqlx::query_as(
        "SELECT COALESCE(array_agg(table_name::text), '{}') FROM information_schema.columns
         WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'",
    )
    .fetch_one(&to.pool)
    .await?;
    let mut tx = to.pool.begin().await?;
    // our triggers (the roll-up staleness marks) stay off: stats_stale is copied as it is;
    // foreign keys are PostgreSQL's own triggers and stay on
    for table in TABLES {
        sqlx::query(&format!("ALTER TABLE {table} DISABLE TRIGGER USER"))
            .execute(&mut *tx)
            .await?;
    }
    for table in TABLES {
        let cols = columns(to, table).await?;
        let names: Vec<&str> = cols.iter().map(|(n, _)| n.as_str()).collect();
        let list = names.join(", ");
        let mut last_rowid = i64::MIN;
        let mut copied = 0u64;
        loop {
            // rowid order is insertion order, in which SQLite already checked every key
            let rows = sqlx::query(&format!(
                "SELECT rowid, {list} FROM {table} WHERE rowid > $1 ORDER BY rowid LIMIT {BATCH}"
            ))
            .bind(last_rowid)
            .fetch_all(&from.pool)
            .await?;
            let Some(last) = rows.last() else { break };
            last_rowid = last.try_get(0)?;
            // column 0 is the rowid
            let values = rows
                .iter()
                .map(|row| row_values(row, &cols, 1))
                .collect::<Result<Vec<_>, _>>()?;
            let mut insert = QueryBuilder::new(format!("INSERT INTO {table} ({list}) "));
            insert.push_values(&values, |mut b, row| {
                for v in row {
                    match v {
                        Value::Int(x) => b.push_bind(*x),
                        Value::Text(x) => b.push_bind(x.clone()),
                        Value::Bool(x) => b.push_bind(*x),
                        Value::Bytes(x) => b.push_bind(x.clone()),
                    };
                }
            });
            insert.build().execute(&mut *tx).await?;
            copied += values.len() as u64;
            progress(table, copied);
        }
    }
    for table in &identities {
        super::postgres::dialect::ids_inserted(&mut tx, table).await?;
    }
    for table in TABLES {
        sqlx::query(&format!("ALTER TABLE {table} ENABLE TRIGGER USER"))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;

    let source = Database::Sqlite(from.clone());
    let target = Database::Postgres(to.clone());
    let mut checks = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let cols = columns(to, table).await?;
        checks.push(TableCheck {
            table,
            source: summary(&source, table, &cols).await?,
            target: summary(&target, table, &cols).await?,
        });
    }
    Ok(checks)
}

/// Counts a table's rows and hashes its content: each row's values are encoded and hashed,
/// the row hashes sorted (the engines order text differently) and hashed together.
async fn summary(db: &Database, table: &str, cols: &[(String, Kind)]) -> StoreResult<Summary> {
    let list = cols
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("SELECT {list} FROM {table}");
    let mut digests: Vec<[u8; 32]> = Vec::new();
    let mut buffer = Vec::new();
    let mut add = |values: Vec<Value>| {
        buffer.clear();
        for v in &values {
            v.encode(&mut buffer);
        }
        digests.push(Sha256::digest(&buffer).into());
    };
    // streamed: only the 32-byte row digests are kept, not the rows
    match db {
        Database::Sqlite(s) => {
            let mut rows = sqlx::query(&sql).fetch(&s.pool);
            while let Some(row) = rows.try_next().await? {
                add(row_values(&row, cols, 0)?);
            }
        }
        Database::Postgres(p) => {
            let mut rows = sqlx::query(&sql).fetch(&p.pool);
            while let Some(row) = rows.try_next().await? {
                add(row_values(&row, cols, 0)?);
            }
        }
    }
    digests.sort_unstable();
    let mut all = Sha256::new();
    for d in &digests {
        all.update(d);
    }
    Ok(Summary {
        rows: digests.len() as u64,
        checksum: format!("{:x}", all.finalize()),
    })
}

/// Each table's row count and checksum in `db`, with the column kinds of `like` (a
/// PostgreSQL portal): for checking two copies against each other.
pub async fn summaries(db: &Database, like: &PgStore) -> StoreResult<Vec<(&'static str, Summary)>> {
    let mut out = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let cols = columns(like, table).await?;
        out.push((*table, summary(db, table, &cols).await?));
    }
    Ok(out)
}

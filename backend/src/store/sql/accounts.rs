//! SQL for staff accounts. (Their sign-in sessions are tower-sessions' tables, opened by
//! each engine's `session_store`.)

use super::bookings::ts;
use super::This;
use crate::store::{AccountStore, NewStaffUser, StaffUserRecord, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::staff::{Role, StaffAccount};
use domain::LocationId;
use sqlx::FromRow;

#[derive(FromRow)]
struct StaffRow {
    id: i64,
    username: String,
    display_name: String,
    password_hash: String,
    role: String,
    location_id: Option<i64>,
    disabled: bool,
}

impl StaffRow {
    fn into_record(self) -> StoreResult<StaffUserRecord> {
        Ok(StaffUserRecord {
            account: StaffAccount {
                id: self.id,
                username: self.username,
                display_name: self.display_name,
                role: Role::parse(&self.role)
                    .ok_or_else(|| StoreError::Corrupt(format!("role {}", self.role)))?,
                place: self.location_id.map(LocationId),
            },
            password_hash: self.password_hash,
            disabled: self.disabled,
        })
    }
}

const STAFF_COLUMNS: &str =
    "id, username, display_name, password_hash, role, location_id, disabled";

#[async_trait]
impl AccountStore for This {
    async fn create_staff_user(&self, u: &NewStaffUser) -> StoreResult<Option<i64>> {
        let r: Result<(i64,), sqlx::Error> = sqlx::query_as(
            "INSERT INTO staff_users (username, display_name, password_hash, role, location_id, created_at, password_changed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(&u.username)
        .bind(&u.display_name)
        .bind(&u.password_hash)
        .bind(u.role.code())
        .bind(u.place.map(|p| p.0))
        .bind(ts(u.created_at))
        .fetch_one(&self.writer)
        .await;
        match r {
            Ok((id,)) => Ok(Some(id)),
            Err(sqlx::Error::Database(d)) if d.is_unique_violation() => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn staff_user_by_name(&self, username: &str) -> StoreResult<Option<StaffUserRecord>> {
        let row: Option<StaffRow> = sqlx::query_as(&format!(
            "SELECT {STAFF_COLUMNS} FROM staff_users WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        row.map(StaffRow::into_record).transpose()
    }

    async fn staff_user_by_id(&self, id: i64) -> StoreResult<Option<StaffUserRecord>> {
        let row: Option<StaffRow> = sqlx::query_as(&format!(
            "SELECT {STAFF_COLUMNS} FROM staff_users WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(StaffRow::into_record).transpose()
    }

    async fn set_staff_password(&self, id: i64, hash: &str, at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "UPDATE staff_users SET password_hash = $2, password_changed_at = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(hash)
        .bind(ts(at))
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn staff_users(&self) -> StoreResult<Vec<StaffUserRecord>> {
        let rows: Vec<StaffRow> = sqlx::query_as(&format!(
            "SELECT {STAFF_COLUMNS} FROM staff_users ORDER BY username"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(StaffRow::into_record).collect()
    }

    async fn set_staff_disabled(&self, id: i64, disabled: bool) -> StoreResult<bool> {
        let r = sqlx::query("UPDATE staff_users SET disabled = $2 WHERE id = $1")
            .bind(id)
            .bind(disabled)
            .execute(&self.writer)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn staff_user_count(&self) -> StoreResult<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff_users")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }
}

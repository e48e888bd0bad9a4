//! [`Store`] for either backend: every method hands over to the SQL of its feature's file.
//! Only `migrate_impl` and `create_booking_impl` are written per backend (see mod.rs).

use super::{dialect, This};
use crate::store::{
    AgreementNumbering, AuditEntry, BookingEvent, BookingRecord, CaseEvent, CaseRecord,
    DistrictInfo, FairnessCheck, HistoryBatch, NewBookingRecord, NewNotification, NewStaffUser,
    NotificationRecord, QueueChange, QueueEntryRecord, Refusal, StaffUserRecord, StaleRollup,
    Store, StoreResult, StoredException,
};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::district_file::District;
use domain::queue::QueueState;
use domain::ServiceCode as Svc;
use domain::{Location, LocationId};
use std::collections::HashMap;

#[async_trait]
impl Store for This {
    async fn migrate(&self) -> StoreResult<()> {
        self.migrate_impl().await
    }
    async fn ping(&self) -> StoreResult<()> {
        self.ping_impl().await
    }
    async fn secret(&self, name: &str, fresh: &[u8]) -> StoreResult<Vec<u8>> {
        self.secret_impl(name, fresh).await
    }
    async fn district(&self) -> StoreResult<Option<DistrictInfo>> {
        self.district_impl().await
    }
    async fn load_district_if_empty(&self, district: &District) -> StoreResult<bool> {
        self.load_district_if_empty_impl(district).await
    }
    async fn locations(&self) -> StoreResult<Vec<Location>> {
        self.locations_impl().await
    }
    async fn location(&self, id: LocationId) -> StoreResult<Location> {
        self.location_impl(id).await
    }
    async fn holiday_files(&self) -> StoreResult<Vec<String>> {
        self.holiday_files_impl().await
    }
    async fn save_holiday_file(&self, year: i32, source: &str, body: &str) -> StoreResult<()> {
        self.save_holiday_file_impl(year, source, body).await
    }
    async fn date_exceptions(
        &self,
        location: LocationId,
        service: Svc,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<StoredException>> {
        self.date_exceptions_impl(location, service, from, to).await
    }
    async fn seats_taken(
        &self,
        location: LocationId,
        service: Svc,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<HashMap<DateTime<Utc>, u32>> {
        self.seats_taken_impl(location, service, from, to).await
    }
    async fn create_booking(
        &self,
        booking: &NewBookingRecord,
        capacity: u16,
        fairness: FairnessCheck,
    ) -> StoreResult<Result<BookingRecord, Refusal>> {
        self.create_booking_impl(booking, capacity, fairness).await
    }
    async fn booking_by_code(&self, code: &str) -> StoreResult<Option<BookingRecord>> {
        self.booking_by_code_impl(code).await
    }
    async fn cancel_booking(
        &self,
        code: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Result<BookingRecord, Refusal>> {
        dialect::retrying(|| self.cancel_booking_impl(code, at)).await
    }
    async fn reschedule_booking(
        &self,
        code: &str,
        new_start: DateTime<Utc>,
        new_end: DateTime<Utc>,
        capacity: u16,
        fairness: FairnessCheck,
        at: DateTime<Utc>,
    ) -> StoreResult<Result<BookingRecord, Refusal>> {
        dialect::retrying(|| {
            self.reschedule_booking_impl(code, new_start, new_end, capacity, fairness.clone(), at)
        })
        .await
    }
    async fn booking_events(&self, booking_id: i64) -> StoreResult<Vec<BookingEvent>> {
        self.booking_events_impl(booking_id).await
    }
    async fn create_staff_user(&self, user: &NewStaffUser) -> StoreResult<Option<i64>> {
        self.create_staff_user_impl(user).await
    }
    async fn staff_user_by_name(&self, username: &str) -> StoreResult<Option<StaffUserRecord>> {
        self.staff_user_by_name_impl(username).await
    }
    async fn staff_user_by_id(&self, id: i64) -> StoreResult<Option<StaffUserRecord>> {
        self.staff_user_by_id_impl(id).await
    }
    async fn set_staff_password(&self, id: i64, hash: &str, at: DateTime<Utc>) -> StoreResult<()> {
        self.set_staff_password_impl(id, hash, at).await
    }
    async fn staff_user_count(&self) -> StoreResult<i64> {
        self.staff_user_count_impl().await
    }
    async fn set_staff_disabled(&self, id: i64, disabled: bool) -> StoreResult<bool> {
        self.set_staff_disabled_impl(id, disabled).await
    }
    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        self.audit_impl(entry).await
    }
    async fn audit_log(&self, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        self.audit_log_impl(limit).await
    }
    async fn bookings_between(
        &self,
        location: LocationId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingRecord>> {
        self.bookings_between_impl(location, from, to).await
    }
    async fn queue_entries(
        &self,
        location: LocationId,
        day: NaiveDate,
    ) -> StoreResult<Vec<QueueEntryRecord>> {
        self.queue_entries_impl(location, day).await
    }
    async fn queue_entry(&self, id: i64) -> StoreResult<Option<QueueEntryRecord>> {
        self.queue_entry_impl(id).await
    }
    async fn check_in(
        &self,
        booking_id: i64,
        day: NaiveDate,
        at: DateTime<Utc>,
    ) -> StoreResult<Result<QueueEntryRecord, Refusal>> {
        self.check_in_impl(booking_id, day, at).await
    }
    async fn add_walk_in(
        &self,
        location: LocationId,
        service: Svc,
        day: NaiveDate,
        at: DateTime<Utc>,
        transferred_from: Option<i64>,
    ) -> StoreResult<QueueEntryRecord> {
        self.add_walk_in_impl(location, service, day, at, transferred_from)
            .await
    }
    async fn change_queue_entry(
        &self,
        id: i64,
        from: QueueState,
        change: &QueueChange,
    ) -> StoreResult<Option<QueueEntryRecord>> {
        self.change_queue_entry_impl(id, from, change).await
    }
    async fn undo_queue_entry(
        &self,
        id: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<QueueEntryRecord>> {
        self.undo_queue_entry_impl(id, at).await
    }
    async fn mark_no_shows(
        &self,
        cutoff: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingRecord>> {
        self.mark_no_shows_impl(cutoff, at).await
    }
    async fn revert_no_show(&self, booking_id: i64, at: DateTime<Utc>) -> StoreResult<bool> {
        self.revert_no_show_impl(booking_id, at).await
    }
    async fn replace_weekly_sessions(
        &self,
        location: LocationId,
        service: Svc,
        sessions: &[domain::WeeklySession],
    ) -> StoreResult<()> {
        self.replace_weekly_sessions_impl(location, service, sessions)
            .await
    }
    async fn add_closure(
        &self,
        location: LocationId,
        service: Svc,
        date: NaiveDate,
        note: &str,
    ) -> StoreResult<()> {
        self.add_closure_impl(location, service, date, note).await
    }
    async fn enqueue_notification(&self, n: &NewNotification) -> StoreResult<bool> {
        self.enqueue_notification_impl(n).await
    }
    async fn claim_due_notifications(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        max_attempts: u32,
        limit: i64,
    ) -> StoreResult<Vec<NotificationRecord>> {
        self.claim_due_notifications_impl(now, lease_until, max_attempts, limit)
            .await
    }
    async fn notification_sent(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()> {
        self.notification_sent_impl(id, at).await
    }
    async fn notification_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.notification_failed_impl(id, error, next_attempt_at)
            .await
    }
    async fn notifications_of_booking(
        &self,
        booking_id: i64,
    ) -> StoreResult<Vec<NotificationRecord>> {
        self.notifications_of_booking_impl(booking_id).await
    }
    async fn booked_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BookingRecord>> {
        self.booked_between_impl(from, to).await
    }
    async fn staff_users(&self) -> StoreResult<Vec<StaffUserRecord>> {
        self.staff_users_impl().await
    }
    async fn create_case(&self, case: &CaseRecord) -> StoreResult<Option<i64>> {
        self.create_case_impl(case).await
    }
    async fn case_by_code(&self, code: &str) -> StoreResult<Option<CaseRecord>> {
        self.case_by_code_impl(code).await
    }
    async fn cases_at(&self, location: LocationId) -> StoreResult<Vec<CaseRecord>> {
        self.cases_at_impl(location).await
    }
    async fn case_events(&self, case_id: i64) -> StoreResult<Vec<CaseEvent>> {
        self.case_events_impl(case_id).await
    }
    async fn save_case_step(
        &self,
        seen_version: i64,
        case: &CaseRecord,
        event: &CaseEvent,
        numbering: Option<AgreementNumbering>,
    ) -> StoreResult<Option<CaseRecord>> {
        self.save_case_step_impl(seen_version, case, event, numbering)
            .await
    }
    async fn tally_raw(
        &self,
        period: domain::stats::Period,
        only: Option<&[LocationId]>,
    ) -> StoreResult<HashMap<LocationId, domain::stats::Tally>> {
        self.tally_raw_impl(period, only).await
    }
    async fn rollups(
        &self,
        from: domain::stats::Month,
        to: domain::stats::Month,
    ) -> StoreResult<Vec<(domain::stats::Month, LocationId, domain::stats::Tally)>> {
        self.rollups_impl(from, to).await
    }
    async fn stale_rollups(
        &self,
        from: domain::stats::Month,
        to: domain::stats::Month,
    ) -> StoreResult<Vec<StaleRollup>> {
        self.stale_rollups_impl(from, to).await
    }
    async fn save_rollups(
        &self,
        rollups: &[(StaleRollup, domain::stats::Tally)],
    ) -> StoreResult<()> {
        self.save_rollups_impl(rollups).await
    }
    async fn history_state(&self, before: DateTime<Utc>) -> StoreResult<(i64, i64)> {
        self.history_state_impl(before).await
    }
    async fn insert_history(&self, batch: &HistoryBatch) -> StoreResult<()> {
        self.insert_history_impl(batch).await
    }
    async fn anonymise_due(
        &self,
        cutoff: &domain::retention::Cutoff,
        at: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<crate::store::Anonymised> {
        dialect::retrying(|| self.anonymise_due_impl(cutoff, at, limit)).await
    }
}

//! SQL for mediation cases. A step is saved with `UPDATE … WHERE version = <the version the
//! staff member saw>`, so two people acting on one case at once cannot both succeed; the
//! event row and a written agreement's number are written in the same transaction.

use super::bookings::{parse_ts, ts};
use super::This;
use crate::store::{
    AgreementNumbering, CaseEvent, CaseRecord, MediationStore, StoreError, StoreResult,
};
use async_trait::async_trait;
use domain::mediation::{agreement_number, CaseState, DisputeType, Ending, Fen, Referral};
use domain::LocationId;
use sqlx::FromRow;

#[derive(FromRow)]
struct CaseRow {
    id: i64,
    code: String,
    state: String,
    version: i64,
    applicant_name: String,
    applicant_phone: String,
    other_party_name: String,
    other_party_phone: Option<String>,
    relation: Option<String>,
    dispute_type: String,
    account: String,
    location_id: i64,
    queue_entry_id: Option<i64>,
    mediator_id: Option<i64>,
    submitted_at: String,
    closed_at: Option<String>,
    outcome: Option<String>,
    referral: Option<String>,
    amount_fen: Option<i64>,
    terms: Option<String>,
    reason: Option<String>,
    agreement_no: Option<String>,
    next_session_at: Option<String>,
    next_session_location_id: Option<i64>,
}

const CASE_COLUMNS: &str = "id, code, state, version, applicant_name, applicant_phone, \
     other_party_name, other_party_phone, relation, dispute_type, account, location_id, \
     queue_entry_id, mediator_id, submitted_at, closed_at, outcome, referral, amount_fen, terms, \
     reason, agreement_no, next_session_at, next_session_location_id";

fn state_of(code: &str) -> StoreResult<CaseState> {
    CaseState::parse(code).ok_or_else(|| StoreError::Corrupt(format!("case state {code}")))
}

impl CaseRow {
    fn into_record(self) -> StoreResult<CaseRecord> {
        let next_session = match (self.next_session_at, self.next_session_location_id) {
            (Some(at), Some(place)) => Some((parse_ts(&at)?, LocationId(place))),
            _ => None,
        };
        Ok(CaseRecord {
            id: self.id,
            code: self.code,
            state: state_of(&self.state)?,
            version: self.version,
            applicant_name: self.applicant_name,
            applicant_phone: self.applicant_phone,
            other_party_name: self.other_party_name,
            other_party_phone: self.other_party_phone,
            relation: self.relation,
            dispute_type: DisputeType::parse(&self.dispute_type).ok_or_else(|| {
                StoreError::Corrupt(format!("dispute type {}", self.dispute_type))
            })?,
            account: self.account,
            location_id: LocationId(self.location_id),
            queue_entry_id: self.queue_entry_id,
            mediator_id: self.mediator_id,
            submitted_at: parse_ts(&self.submitted_at)?,
            closed_at: self.closed_at.as_deref().map(parse_ts).transpose()?,
            outcome: match self.outcome {
                Some(o) => Some(
                    Ending::parse(&o).ok_or_else(|| StoreError::Corrupt(format!("outcome {o}")))?,
                ),
                None => None,
            },
            referral: match self.referral {
                Some(r) => Some(
                    Referral::parse(&r)
                        .ok_or_else(|| StoreError::Corrupt(format!("referral {r}")))?,
                ),
                None => None,
            },
            amount: self.amount_fen.map(Fen),
            terms: self.terms,
            reason: self.reason,
            agreement_no: self.agreement_no,
            next_session,
        })
    }
}

#[async_trait]
impl MediationStore for This {
    async fn create_case(&self, c: &CaseRecord) -> StoreResult<Option<i64>> {
        let mut tx = self.writer.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO mediation_cases (code, state, applicant_name, applicant_phone,
                 other_party_name, other_party_phone, relation, dispute_type, account,
                 location_id, queue_entry_id, submitted_at, accepted_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                     CASE WHEN $13 THEN $12 END)
             ON CONFLICT (code) DO NOTHING
             RETURNING id",
        )
        .bind(&c.code)
        .bind(c.state.code())
        .bind(&c.applicant_name)
        .bind(&c.applicant_phone)
        .bind(&c.other_party_name)
        .bind(&c.other_party_phone)
        .bind(&c.relation)
        .bind(c.dispute_type.code())
        .bind(&c.account)
        .bind(c.location_id.0)
        .bind(c.queue_entry_id)
        .bind(ts(c.submitted_at))
        .bind(c.state.counts_as_accepted())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else {
            return Ok(None);
        };
        sqlx::query(
            "INSERT INTO mediation_events (case_id, at, action, from_state, to_state)
             VALUES ($1, $2, 'submit', NULL, $3)",
        )
        .bind(id)
        .bind(ts(c.submitted_at))
        .bind(c.state.code())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    async fn case_by_code(&self, code: &str) -> StoreResult<Option<CaseRecord>> {
        sqlx::query_as::<_, CaseRow>(&format!(
            "SELECT {CASE_COLUMNS} FROM mediation_cases WHERE code = $1"
        ))
        .bind(code)
        .fetch_optional(&self.pool)
        .await?
        .map(CaseRow::into_record)
        .transpose()
    }

    async fn cases_at(&self, location: LocationId) -> StoreResult<Vec<CaseRecord>> {
        sqlx::query_as::<_, CaseRow>(&format!(
            "SELECT {CASE_COLUMNS} FROM mediation_cases WHERE location_id = $1
             ORDER BY submitted_at DESC, id DESC"
        ))
        .bind(location.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(CaseRow::into_record)
        .collect()
    }

    async fn case_events(&self, case_id: i64) -> StoreResult<Vec<CaseEvent>> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            String,
            String,
            Option<String>,
            String,
            Option<i64>,
            Option<String>,
        )> = sqlx::query_as(
            "SELECT at, action, from_state, to_state, staff_id, detail
                 FROM mediation_events WHERE case_id = $1 ORDER BY id",
        )
        .bind(case_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(at, action, from, to, staff_id, detail)| {
                Ok(CaseEvent {
                    at: parse_ts(&at)?,
                    action,
                    from_state: from.as_deref().map(state_of).transpose()?,
                    to_state: state_of(&to)?,
                    staff_id,
                    detail,
                })
            })
            .collect()
    }

    async fn save_case_step(
        &self,
        seen_version: i64,
        c: &CaseRecord,
        event: &CaseEvent,
        numbering: Option<AgreementNumbering>,
    ) -> StoreResult<Option<CaseRecord>> {
        let mut tx = self.writer.begin().await?;
        // the version check first: a stale step must not take an agreement number
        let updated = sqlx::query(
            "UPDATE mediation_cases SET state = $1, version = version + 1, mediator_id = $2,
                 closed_at = $3, outcome = $4, referral = $5, amount_fen = $6, terms = $7,
                 reason = $8, next_session_at = $9, next_session_location_id = $10,
                 accepted_at = COALESCE(accepted_at, CASE WHEN $13 THEN $14 END)
             WHERE id = $11 AND version = $12",
        )
        .bind(c.state.code())
        .bind(c.mediator_id)
        .bind(c.closed_at.map(ts))
        .bind(c.outcome.map(Ending::code))
        .bind(c.referral.map(Referral::code))
        .bind(c.amount.map(|a| a.0))
        .bind(&c.terms)
        .bind(&c.reason)
        .bind(c.next_session.map(|(at, _)| ts(at)))
        .bind(c.next_session.map(|(_, place)| place.0))
        .bind(c.id)
        .bind(seen_version)
        .bind(c.state.counts_as_accepted())
        .bind(ts(event.at))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Ok(None);
        }
        if let Some(n) = numbering {
            let seq: i64 = sqlx::query_scalar(
                "INSERT INTO agreement_counters (location_id, year, last) VALUES ($1, $2, 1)
                 ON CONFLICT (location_id, year) DO UPDATE SET last = agreement_counters.last + 1
                 RETURNING last",
            )
            .bind(n.location_id.0)
            .bind(n.year)
            .fetch_one(&mut *tx)
            .await?;
            let number = agreement_number(&n.committee, n.year, u32::try_from(seq).unwrap_or(0));
            sqlx::query("UPDATE mediation_cases SET agreement_no = $1 WHERE id = $2")
                .bind(number)
                .bind(c.id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO mediation_events (case_id, at, action, from_state, to_state, staff_id, detail)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(c.id)
        .bind(ts(event.at))
        .bind(&event.action)
        .bind(event.from_state.map(CaseState::code))
        .bind(event.to_state.code())
        .bind(event.staff_id)
        .bind(&event.detail)
        .execute(&mut *tx)
        .await?;
        let saved = sqlx::query_as::<_, CaseRow>(&format!(
            "SELECT {CASE_COLUMNS} FROM mediation_cases WHERE id = $1"
        ))
        .bind(c.id)
        .fetch_one(&mut *tx)
        .await?
        .into_record()?;
        tx.commit().await?;
        Ok(Some(saved))
    }
}

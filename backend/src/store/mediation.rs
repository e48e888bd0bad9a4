//! Storage of mediation cases: [`MediationStore`], the calls the use cases make, and the
//! records they take and give. The SQL, for both engines, is in `sql/mediation.rs`.

use super::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::mediation::{CaseState, DisputeType, Ending, Fen, Referral};
use domain::LocationId;

/// Mediation cases and their steps.
#[async_trait]
pub trait MediationStore: Send + Sync {
    /// A new case; `None` when the code is already taken (the caller draws another).
    async fn create_case(&self, case: &CaseRecord) -> StoreResult<Option<i64>>;
    async fn case_by_code(&self, code: &str) -> StoreResult<Option<CaseRecord>>;
    /// A place's cases, newest first.
    async fn cases_at(&self, location: LocationId) -> StoreResult<Vec<CaseRecord>>;
    async fn case_events(&self, case_id: i64) -> StoreResult<Vec<CaseEvent>>;
    /// Saves a case after a step, with the step's event, in one transaction, only if the
    /// case is still at `seen_version` (`None` otherwise: someone else acted first). A
    /// written agreement gets the next number of its committee and year here.
    async fn save_case_step(
        &self,
        seen_version: i64,
        case: &CaseRecord,
        event: &CaseEvent,
        numbering: Option<AgreementNumbering>,
    ) -> StoreResult<Option<CaseRecord>>;
}

/// A mediation case as stored: the checked request, where it stands, how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub id: i64,
    pub code: String,
    pub state: CaseState,
    pub version: i64,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub other_party_name: String,
    pub other_party_phone: Option<String>,
    pub relation: Option<String>,
    pub dispute_type: DisputeType,
    pub account: String,
    pub location_id: LocationId,
    pub queue_entry_id: Option<i64>,
    pub mediator_id: Option<i64>,
    pub submitted_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub outcome: Option<Ending>,
    pub referral: Option<Referral>,
    pub amount: Option<Fen>,
    pub terms: Option<String>,
    pub reason: Option<String>,
    pub agreement_no: Option<String>,
    pub next_session: Option<(DateTime<Utc>, LocationId)>,
}

/// One step of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    pub at: DateTime<Utc>,
    pub action: String,
    pub from_state: Option<CaseState>,
    pub to_state: CaseState,
    pub staff_id: Option<i64>,
    /// The step's fields as JSON: staff eyes only.
    pub detail: Option<String>,
}

/// Which counter numbers a new written agreement, and the committee's name in the number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementNumbering {
    pub location_id: LocationId,
    pub year: i32,
    pub committee: String,
}

//! Use cases of people's mediation: a resident files a request and follows it by code and
//! phone; staff take the case through the workflow (`domain::mediation::next_state`) to an
//! agreement, a failure or a referral. Details are shown only to those `sees_case` allows;
//! every staff step is audited.

use crate::booking::Clock;
use crate::error::{kind_message, ErrorKind, UseCaseError};
use crate::staff::Staff;
use crate::store::{AgreementNumbering, CaseEvent, CaseRecord, Store};
use crate::{Directory, ServiceError};
use chrono::{DateTime, Utc};
use domain::booking::{FieldError, MobilePhone};
use domain::mediation::{
    agreement_year, applicant_timeline, committee_short_name, is_overdue, may_assign, may_mediate,
    meeting_place_fits, meetings_in, next_state, sees_case, CaseAction, CaseCode, CaseOutcome,
    CaseState, Ending, IllegalStep, MediationForm,
};
use domain::staff::StaffAccount;
use domain::{Lang, Location, LocationId};
use rand_core::OsRng;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum MediationError {
    #[error("表单有误")]
    Invalid(Vec<FieldError>),
    #[error("没有找到")]
    NotFound,
    #[error("没有权限查看或处理这个案件")]
    Forbidden,
    /// The step does not fit the case's state, or someone else acted first; says why.
    #[error("{0}")]
    Conflict(Conflict),
    #[error("internal error")]
    Internal,
}

impl From<ServiceError> for MediationError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => MediationError::NotFound,
            ServiceError::Internal => MediationError::Internal,
        }
    }
}

impl From<crate::verify::VerifyError> for MediationError {
    fn from(e: crate::verify::VerifyError) -> Self {
        match e {
            crate::verify::VerifyError::Invalid(f) | crate::verify::VerifyError::Stale(f) => {
                MediationError::Invalid(vec![f])
            }
            _ => MediationError::Internal,
        }
    }
}

impl From<crate::store::StoreError> for MediationError {
    fn from(e: crate::store::StoreError) -> Self {
        ServiceError::from(e).into()
    }
}

impl UseCaseError for MediationError {
    fn kind(&self) -> ErrorKind {
        match self {
            MediationError::Invalid(_) => ErrorKind::Invalid,
            MediationError::NotFound => ErrorKind::NotFound,
            MediationError::Forbidden => ErrorKind::Forbidden,
            MediationError::Conflict(_) => ErrorKind::Refused,
            MediationError::Internal => ErrorKind::Internal,
        }
    }

    /// The first field at fault (every one is in [`MediationError::Invalid`]).
    fn field(&self) -> Option<&str> {
        match self {
            MediationError::Invalid(errors) => crate::error::first_field(errors),
            _ => None,
        }
    }

    fn field_messages(&self, lang: Lang) -> Vec<(&str, String)> {
        match self {
            MediationError::Invalid(errors) => crate::error::field_messages(errors, lang),
            _ => vec![],
        }
    }

    /// The message in `lang`: for `Invalid`, the first field's own message (each field's is
    /// [`FieldError::message_in`]); else the Chinese text is the `Display` one.
    fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (_, MediationError::Invalid(errors)) => crate::error::first_message(errors, lang),
            (_, MediationError::Internal) => kind_message(ErrorKind::Internal, lang).to_string(),
            (Lang::ZhCn, _) => self.to_string(),
            (Lang::En, MediationError::NotFound) => {
                "Not found; please check and try again".to_string()
            }
            (Lang::En, MediationError::Forbidden) => {
                "You do not have permission to see or handle this case".to_string()
            }
            (Lang::En, MediationError::Conflict(c)) => c.message(lang),
        }
    }
}

/// Why a step on a case is refused: the reason of [`MediationError::Conflict`]. `Display`
/// is the Chinese text the API sends.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Conflict {
    #[error("{0}")]
    Step(IllegalStep),
    #[error("这个案件刚被其他人处理过，请刷新后再试")]
    ChangedMeanwhile,
}

impl Conflict {
    /// The reason in `lang`: the Chinese text is the `Display` one.
    pub fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::ZhCn, _) => self.to_string(),
            (Lang::En, Conflict::Step(e)) => e.message(lang),
            (Lang::En, Conflict::ChangedMeanwhile) => {
                "Someone else has just handled this case; please refresh the page and try again"
                    .to_string()
            }
        }
    }
}

impl From<Conflict> for MediationError {
    fn from(c: Conflict) -> Self {
        MediationError::Conflict(c)
    }
}

fn invalid(e: FieldError) -> MediationError {
    MediationError::Invalid(vec![e])
}

/// What the applicant sees when following a case: where it stands and when, the next
/// appointment, how it ended. No staff notes, no other party's phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseProgress {
    pub code: String,
    pub state: CaseState,
    pub dispute_type: domain::mediation::DisputeType,
    pub place: Location,
    pub submitted_at: DateTime<Utc>,
    /// Each state the case reached, with when.
    pub timeline: Vec<(CaseState, DateTime<Utc>)>,
    pub next_session: Option<(DateTime<Utc>, Location)>,
    pub agreement_no: Option<String>,
    /// Shown to the applicant when the case was refused or referred.
    pub refusal_reason: Option<String>,
    pub referral: Option<domain::mediation::Referral>,
}

/// A place's cases for one account: details where allowed, otherwise only counted.
#[derive(Debug, Clone)]
pub struct CaseList {
    pub place: Location,
    pub visible: Vec<CaseSummary>,
    /// Cases at the place this account may not see.
    pub hidden: usize,
}

#[derive(Debug, Clone)]
pub struct CaseSummary {
    pub case: CaseRecord,
    pub overdue: bool,
}

/// A case with its history, for staff who may see it.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub case: CaseRecord,
    pub place: Location,
    pub events: Vec<CaseEvent>,
    pub overdue: bool,
    pub mediator: Option<StaffAccount>,
}

#[derive(Clone)]
pub struct Mediation {
    store: Arc<dyn Store>,
    directory: Directory,
    /// The places' opening slots, which mediation meetings are held in.
    bookings: crate::Bookings,
    staff: Staff,
    clock: Clock,
    deadline_days: i64,
    /// Proves the applicant's phone before a request is filed (none: nobody is asked).
    verifier: Option<crate::verify::PhoneVerifier>,
    /// Texts the applicant a link to rate the handling once the case closes.
    invites: Option<crate::rating::RatingInvites>,
}

impl Mediation {
    pub fn new(
        store: Arc<dyn Store>,
        directory: Directory,
        bookings: crate::Bookings,
        staff: Staff,
        clock: Clock,
        deadline_days: i64,
    ) -> Self {
        Mediation {
            store,
            directory,
            bookings,
            staff,
            clock,
            deadline_days,
            verifier: None,
            invites: None,
        }
    }

    /// Texts applicants a link to rate the handling of their case once it closes.
    pub fn with_invites(mut self, invites: crate::rating::RatingInvites) -> Self {
        self.invites = Some(invites);
        self
    }

    /// Asks for proof of the applicant's phone through `verifier` before a request is filed.
    pub fn with_verifier(mut self, verifier: crate::verify::PhoneVerifier) -> Self {
        self.verifier = Some(verifier);
        self
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    async fn place(&self, id: LocationId) -> Result<Option<Location>, MediationError> {
        match self.directory.location(id).await {
            Ok(place) => Ok(Some(place)),
            Err(ServiceError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// A resident's request: checked, the applicant's phone proved by `proof`, stored as a
    /// submitted case with a fresh code.
    pub async fn submit(
        &self,
        form: &MediationForm,
        proof: &crate::verify::PhoneProof,
    ) -> Result<CaseRecord, MediationError> {
        self.submit_linked(form, None, Some(proof)).await
    }

    /// A request's fields checked (every wrong one), without filing it.
    pub async fn check(
        &self,
        form: &MediationForm,
    ) -> Result<domain::mediation::MediationRequest, MediationError> {
        let place = match form.location_id {
            Some(id) => self.place(id).await?,
            None => None,
        };
        form.check(place.as_ref()).map_err(MediationError::Invalid)
    }

    /// `proof` is `None` for a request staff file at the desk (they saw the resident).
    async fn submit_linked(
        &self,
        form: &MediationForm,
        queue_entry_id: Option<i64>,
        proof: Option<&crate::verify::PhoneProof>,
    ) -> Result<CaseRecord, MediationError> {
        let request = self.check(form).await?;
        if let (Some(v), Some(proof)) = (&self.verifier, proof) {
            v.confirm(&request.applicant_phone, proof).await?;
        }
        let mut case = CaseRecord {
            id: 0,
            code: String::new(),
            state: CaseState::Submitted,
            version: 0,
            applicant_name: request.applicant_name.as_str().to_string(),
            applicant_phone: request.applicant_phone.as_str().to_string(),
            other_party_name: request.other_party_name.as_str().to_string(),
            other_party_phone: request.other_party_phone.map(|p| p.as_str().to_string()),
            relation: request.relation,
            dispute_type: request.dispute_type,
            account: request.account,
            location_id: request.location_id,
            queue_entry_id,
            mediator_id: None,
            submitted_at: self.now(),
            closed_at: None,
            outcome: None,
            referral: None,
            amount: None,
            terms: None,
            reason: None,
            agreement_no: None,
            next_session: None,
        };
        // 49 bits: a clash is astronomically rare, but never an error for the resident
        for _ in 0..5 {
            case.code = CaseCode::generate(&mut OsRng).as_str().to_string();
            if let Some(id) = self.store.create_case(&case).await? {
                case.id = id;
                return Ok(case);
            }
        }
        tracing::error!("five case codes in a row were taken");
        Err(MediationError::Internal)
    }

    /// A queue entry the account serves at the desk (its place and service), with its place.
    pub async fn desk_entry(
        &self,
        account: &StaffAccount,
        queue_entry_id: i64,
    ) -> Result<(crate::store::QueueEntryRecord, Location), MediationError> {
        let entry = self
            .store
            .queue_entry(queue_entry_id)
            .await?
            .ok_or(MediationError::NotFound)?;
        let place = self.directory.location(entry.location_id).await?;
        if !account.serves(&place, entry.service) {
            return Err(MediationError::Forbidden);
        }
        Ok((entry, place))
    }

    /// A consultation that turns out to be a dispute becomes a case in one action, kept
    /// linked to its queue entry. Taken at the desk, the case starts accepted.
    pub async fn from_consultation(
        &self,
        account: &StaffAccount,
        queue_entry_id: i64,
        form: &MediationForm,
    ) -> Result<CaseRecord, MediationError> {
        let (entry, place) = self.desk_entry(account, queue_entry_id).await?;
        // the account takes the new case's intake (accepts it below): check that before the
        // case is stored, so a refusal leaves no case behind (a counsellor serves the desk of
        // the psychology room but handles no case)
        if !sees_case(account, &place, CaseState::Submitted, None) {
            return Err(MediationError::Forbidden);
        }
        let form = MediationForm {
            location_id: Some(place.id),
            ..form.clone()
        };
        let mut case = self.submit_linked(&form, Some(entry.id), None).await?;
        case = self
            .step(account, &case.code, CaseAction::Accept, None)
            .await?;
        self.staff
            .audit(
                account,
                "mediation.from_consultation",
                Some(place.id),
                Some(case.code.clone()),
                Some((entry.ticket.clone(), case.code.clone())),
            )
            .await;
        Ok(case)
    }

    /// The applicant follows a case by code and phone. A wrong phone and an unknown code
    /// get the same answer, so codes cannot be probed for.
    pub async fn progress(&self, code: &str, phone: &str) -> Result<CaseProgress, MediationError> {
        let (Ok(code), Ok(phone)) = (CaseCode::parse(code), MobilePhone::parse(phone)) else {
            return Err(MediationError::NotFound);
        };
        let case = self
            .store
            .case_by_code(code.as_str())
            .await?
            .filter(|c| c.applicant_phone == phone.as_str())
            .ok_or(MediationError::NotFound)?;
        self.progress_of(case).await
    }

    /// A case by code alone, for the device that filed it or already proved the phone.
    pub async fn progress_held(&self, code: &str) -> Result<CaseProgress, MediationError> {
        let code = CaseCode::parse(code).map_err(|_| MediationError::NotFound)?;
        let case = self
            .store
            .case_by_code(code.as_str())
            .await?
            .ok_or(MediationError::NotFound)?;
        self.progress_of(case).await
    }

    async fn progress_of(&self, case: CaseRecord) -> Result<CaseProgress, MediationError> {
        let events = self.store.case_events(case.id).await?;
        let place = self.directory.location(case.location_id).await?;
        let next_session = match case.next_session {
            Some((at, place)) if case.state == CaseState::SessionScheduled => {
                Some((at, self.directory.location(place).await?))
            }
            _ => None,
        };
        let steps: Vec<(CaseState, DateTime<Utc>)> =
            events.iter().map(|e| (e.to_state, e.at)).collect();
        let timeline = applicant_timeline(&steps);
        Ok(CaseProgress {
            code: case.code,
            state: case.state,
            dispute_type: case.dispute_type,
            place,
            submitted_at: case.submitted_at,
            timeline,
            next_session,
            agreement_no: case.agreement_no,
            refusal_reason: (case.state == CaseState::Refused)
                .then_some(case.reason)
                .flatten(),
            referral: case.referral,
        })
    }

    /// A place's cases, as far as the account may see them.
    pub async fn cases_at(
        &self,
        account: &StaffAccount,
        place: LocationId,
    ) -> Result<CaseList, MediationError> {
        let place = self.directory.location(place).await?;
        if !account.covers(&place) {
            return Err(MediationError::Forbidden);
        }
        let now = self.now();
        let (visible, hidden): (Vec<_>, Vec<_>) = self
            .store
            .cases_at(place.id)
            .await?
            .into_iter()
            .partition(|c| sees_case(account, &place, c.state, c.mediator_id));
        Ok(CaseList {
            visible: visible
                .into_iter()
                .map(|case| CaseSummary {
                    overdue: self.overdue(&case, now),
                    case,
                })
                .collect(),
            hidden: hidden.len(),
            place,
        })
    }

    /// Open past the deadline, now.
    pub fn is_overdue(&self, case: &CaseRecord) -> bool {
        self.overdue(case, self.now())
    }

    fn overdue(&self, case: &CaseRecord, now: DateTime<Utc>) -> bool {
        is_overdue(
            case.state,
            case.submitted_at.fixed_offset(),
            now.fixed_offset(),
            self.deadline_days,
        )
    }

    /// A case the account may see, with its place.
    async fn visible_case(
        &self,
        account: &StaffAccount,
        code: &str,
    ) -> Result<(CaseRecord, Location), MediationError> {
        let code = CaseCode::parse(code).map_err(|_| MediationError::NotFound)?;
        let case = self
            .store
            .case_by_code(code.as_str())
            .await?
            .ok_or(MediationError::NotFound)?;
        let place = self.directory.location(case.location_id).await?;
        if !sees_case(account, &place, case.state, case.mediator_id) {
            return Err(MediationError::Forbidden);
        }
        Ok((case, place))
    }

    pub async fn case_file(
        &self,
        account: &StaffAccount,
        code: &str,
    ) -> Result<CaseFile, MediationError> {
        let (case, place) = self.visible_case(account, code).await?;
        let events = self.store.case_events(case.id).await?;
        let mediator = match case.mediator_id {
            Some(id) => self.staff.account(id).await.ok().flatten(),
            None => None,
        };
        Ok(CaseFile {
            overdue: self.overdue(&case, self.now()),
            case,
            place,
            events,
            mediator,
        })
    }

    /// Who may be assigned to a case at `place`, when `account` may assign one: nobody for
    /// an account that may not hand over an assigned case.
    pub async fn mediators_for(
        &self,
        account: &StaffAccount,
        case: &CaseRecord,
        place: &Location,
    ) -> Result<Vec<StaffAccount>, MediationError> {
        if !may_assign(account, case.mediator_id) {
            return Ok(vec![]);
        }
        Ok(self
            .store
            .staff_users()
            .await?
            .into_iter()
            .filter(|u| !u.disabled && may_mediate(&u.account, place))
            .map(|u| u.account)
            .collect())
    }

    /// When a meeting at `place` can be held: the starts of the place's open slots (any
    /// service but the psychology room's) from now to the end of the booking window.
    pub async fn session_times(
        &self,
        place: &Location,
    ) -> Result<Vec<DateTime<Utc>>, MediationError> {
        let (from, to) = self.bookings.window_days();
        let now = self.now();
        let mut starts = std::collections::BTreeSet::new();
        for offer in &place.services {
            if offer.sessions.is_empty() || !meetings_in(offer.service) {
                continue;
            }
            let slots = self
                .bookings
                .slots(place, offer.service, from, to)
                .await
                .map_err(|e| {
                    tracing::error!(error = %e, "slots for a mediation meeting");
                    MediationError::Internal
                })?;
            starts.extend(
                slots
                    .into_iter()
                    .map(|s| s.slot.start.with_timezone(&Utc))
                    .filter(|start| *start > now),
            );
        }
        Ok(starts.into_iter().collect())
    }

    /// Takes one step on a case. `seen_version` (when given) is the version the staff member
    /// looked at: if someone else acted since, nothing is saved and the answer says so.
    pub async fn step(
        &self,
        account: &StaffAccount,
        code: &str,
        action: CaseAction,
        seen_version: Option<i64>,
    ) -> Result<CaseRecord, MediationError> {
        let (case, place) = self.visible_case(account, code).await?;
        let to =
            next_state(case.state, &action).map_err(|e| MediationError::from(Conflict::Step(e)))?;
        let action = self.checked(account, &case, &place, action).await?;
        let now = self.now();
        let mut after = case.clone();
        after.state = to;
        if to.is_closed() && after.closed_at.is_none() {
            after.closed_at = Some(now);
        }
        let mut numbering = None;
        match &action {
            CaseAction::Refuse { reason } => {
                after.outcome = Some(Ending::Refused);
                after.reason = Some(reason.clone());
            }
            CaseAction::AssignMediator { mediator_id } => after.mediator_id = Some(*mediator_id),
            CaseAction::OtherPartyRefuses => after.outcome = Some(Ending::NotMediated),
            CaseAction::ScheduleSession { location_id, start } => {
                after.next_session = Some((start.with_timezone(&Utc), *location_id));
            }
            CaseAction::Conclude { outcome } => {
                after.outcome = Some(outcome.ending());
                match outcome {
                    CaseOutcome::WrittenAgreement { amount, terms } => {
                        after.amount = Some(*amount);
                        after.terms = Some(terms.clone());
                        numbering = Some(AgreementNumbering {
                            location_id: place.id,
                            year: agreement_year(now.fixed_offset()),
                            committee: committee_short_name(&place.name).to_string(),
                        });
                    }
                    CaseOutcome::OralAgreement { terms } => {
                        after.terms = Some(terms.clone());
                    }
                    CaseOutcome::Failed { reason } => {
                        after.reason = Some(reason.clone());
                    }
                    CaseOutcome::Referred { channel } => {
                        after.referral = Some(*channel);
                    }
                }
            }
            CaseAction::Refer { channel } => {
                after.outcome = Some(Ending::Referred);
                after.referral = Some(*channel);
            }
            CaseAction::Accept
            | CaseAction::InviteOtherParty
            | CaseAction::OtherPartyAgrees
            | CaseAction::FollowUp { .. } => {}
        }
        let event = CaseEvent {
            at: now,
            action: action.code().to_string(),
            from_state: Some(case.state),
            to_state: to,
            staff_id: Some(account.id),
            detail: serde_json::to_string(&action).ok(),
        };
        let seen = seen_version.unwrap_or(case.version);
        let saved = self
            .store
            .save_case_step(seen, &after, &event, numbering)
            .await?
            .ok_or_else(|| MediationError::from(Conflict::ChangedMeanwhile))?;
        self.staff
            .audit(
                account,
                &format!("mediation.{}", action.code()),
                Some(place.id),
                Some(saved.code.clone()),
                Some((case.state.code().to_string(), to.code().to_string())),
            )
            .await;
        if let Some(invites) = self.invites.as_ref().filter(|_| !case.state.is_closed()) {
            invites.case(&saved).await;
        }
        Ok(saved)
    }

    /// Checks a step's own fields: texts present and bounded, the mediator eligible, the
    /// session at a place the case may be held at ([`meeting_place_fits`]), within the
    /// account's scope, in one of its open slots.
    async fn checked(
        &self,
        account: &StaffAccount,
        case: &CaseRecord,
        place: &Location,
        action: CaseAction,
    ) -> Result<CaseAction, MediationError> {
        match &action {
            CaseAction::AssignMediator { mediator_id } => {
                if !may_assign(account, case.mediator_id) {
                    return Err(MediationError::Forbidden);
                }
                let candidate = self.staff.account(*mediator_id).await.ok().flatten();
                if !candidate.is_some_and(|c| may_mediate(&c, place)) {
                    return Err(invalid(FieldError::new(
                        "mediator_id",
                        "请选择负责这个地点的调解员",
                        "Choose a mediator who works at this place",
                    )));
                }
            }
            CaseAction::ScheduleSession { location_id, start } => {
                // a place the case may be held at, and one the account works at
                let at = self
                    .place(*location_id)
                    .await?
                    .filter(|p| meeting_place_fits(place, p, case.dispute_type))
                    .ok_or_else(|| {
                        invalid(FieldError::new(
                            "location_id",
                            "请选择受理调解的地点",
                            "Choose the place where the mediation will be held",
                        ))
                    })?;
                if !account.covers(&at) {
                    return Err(MediationError::Forbidden);
                }
                // meetings are held in the place's open hours
                if !self
                    .session_times(&at)
                    .await?
                    .contains(&start.with_timezone(&Utc))
                {
                    return Err(invalid(FieldError::new(
                        "start",
                        "请选择该地点今后两周内开放的时段",
                        "Choose a time when this place is open in the next two weeks",
                    )));
                }
            }
            _ => {}
        }
        action.checked().map_err(invalid)
    }
}

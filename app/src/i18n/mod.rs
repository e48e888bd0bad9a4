//! The texts of the portal's pages, in Chinese and English: the message keys ([`Msg`]) and
//! their texts, the plainer wording of elderly-friendly mode, the names of services, topics,
//! states and dispute types, and dates, times and counts as each language writes them.
//!
//! * `zh.rs`, `en.rs`: each language is an exhaustive `match` over [`Msg`], so a key missing
//!   in either language is a compile error and no page can show a raw key or an empty string.
//!   Chinese (zh-CN) is the primary language; English follows the same keys.
//! * `elder.rs`: the elderly-friendly wording of the messages it lists, both languages side by
//!   side; [`t`] falls back to the usual text for the others.
//! * `names.rs`: the names of the domain's services, topics, states, disputes and referrals.
//! * `format.rs`: dates, times, amounts, counts and sentences with numbers in them.
//!
//! Not every text a page shows comes from here: refusals (a form field's error, a step a
//! case cannot take, a booking that cannot be changed) bring their Chinese and English
//! texts with them from the domain and the backend, which also name some of their own
//! values (roles, booking states, periods) and write the statistics report paragraphs; a
//! page picks the text of its language.

mod elder;
mod en;
mod format;
mod names;
mod zh;

pub use domain::Lang;
pub use elder::elder_text;
pub use format::*;
pub use names::*;

/// The current page language: the visitor's choice, their browser's, or Chinese.
pub fn lang() -> Lang {
    crate::prefs::prefs().lang
}

/// Declares the message keys and `Msg::ALL`, so tests can walk every key.
macro_rules! messages {
    ($($name:ident),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg {
            $($name),*
        }
        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];
        }
    };
}

messages! {
    SiteTitle,
    SiteTagline,
    SkipToContent,
    TooManyTries,
    SlotJustFull,
    NoSuchService,
    NobodyWaiting,
    ChooseTransferService,
    NoSuchAction,
    PasswordsDiffer,
    ChooseService,
    ChooseDate,
    FieldSeparator,
    TasksNav,
    TaskBook,
    TaskBookDetail,
    TaskMediation,
    TaskMediationDetail,
    TaskMineDetail,
    PrefsNav,
    ElderModeEnter,
    ElderModeLeave,
    NavHome,
    NavOffices,
    MainNav,
    SearchLabel,
    SearchPlaceholder,
    SearchButton,
    SearchHint,
    SearchNoResults,
    SearchResults,
    Loading,
    LoadFailed,
    OfficesHeading,
    OfficesIntro,
    AllOfficesLink,
    WorkroomsOf,
    KindOffice,
    KindWorkroom,
    Address,
    Phone,
    BelongsTo,
    ServicesHeading,
    ByRequestOnly,
    YouthOnly,
    NotFoundTitle,
    NotFoundBody,
    BackHome,
    FooterNote,
    NavMyBookings,
    StaffLink,
    DisplayTitle,
    DisplayLive,
    DisplayReconnecting,
    DisplayCalling,
    DisplayNobody,
    DisplayAnyDesk,
    DisplayNext,
    DisplayWaiting,
    DisplayEstimated,
    Minutes,
    DisplayChime,
    StaffLoginTitle,
    Username,
    Password,
    SignIn,
    SignOut,
    StaffTitle,
    StaffSignInFirst,
    StaffPlace,
    StaffSwitch,
    StaffTakeTicket,
    StaffCallHeading,
    StaffDesk,
    StaffDeskPlaceholder,
    StaffCallNext,
    StaffActive,
    StaffArrivals,
    StaffCheckInCode,
    StaffScan,
    StaffScanStop,
    StaffScanHint,
    StaffScanNotACode,
    StaffScanNoCamera,
    NavMediation,
    MediationTitle,
    MediationIntro,
    MediationApplicant,
    MediationOtherParty,
    MediationDispute,
    FieldApplicantName,
    FieldApplicantPhoneHint,
    FieldOtherPartyName,
    FieldOtherPartyPhone,
    FieldRelation,
    FieldRelationHint,
    FieldDisputeType,
    FieldDisputeAccount,
    FieldDisputeAccountHint,
    FieldMediationPlace,
    FieldMediationPlaceHint,
    ChoosePlace,
    IpRoomMark,
    ChangePlace,
    MediationPrivacyText,
    SubmitMediation,
    CaseCodeLabel,
    CaseFiled,
    CaseStateLabel,
    CaseNextSession,
    CaseTimeline,
    CaseAgreementNo,
    CaseRefusalReason,
    CaseReferredTo,
    MyCasesTitle,
    NoCasesYet,
    CaseLookupHeading,
    CaseLookupIntro,
    CaseLookupButton,
    NewMediationLink,
    FieldCaseCode,
    AskMediation,
    StaffCasesLink,
    StaffCasesTitle,
    StaffCasesHidden,
    StaffCasesNone,
    CaseOverdue,
    CaseSubmittedAt,
    CaseApplicant,
    CaseOtherParty,
    CaseMediator,
    CaseNoMediator,
    CaseAccountLabel,
    CaseHistory,
    CaseNextStep,
    CaseAccept,
    CaseRefuse,
    CaseRefuseReason,
    CaseAssign,
    CaseAssignButton,
    CaseMe,
    CaseInvite,
    CaseAgrees,
    CaseDeclines,
    CaseSchedule,
    CaseScheduleAnother,
    CaseTime,
    CaseScheduleButton,
    CaseConclude,
    CaseOutcomeKind,
    CaseAmount,
    CaseTerms,
    CaseChannel,
    CaseConcludeButton,
    CaseRefer,
    CaseReferButton,
    CaseFollowUp,
    CaseKeptYes,
    CaseKeptNo,
    CaseNote,
    CaseFollowUpButton,
    CasePrintAgreement,
    CaseClosed,
    AgreementTitle,
    AgreementNumber,
    AgreementParties,
    AgreementFacts,
    AgreementTerms,
    AgreementAmount,
    AgreementCopies,
    AgreementSignParty,
    AgreementSignMediator,
    AgreementSeal,
    AgreementPrint,
    AgreementNone,
    CaseNotFound,
    CaseFromConsultation,
    CaseFromConsultationIntro,
    ConsentAtDesk,
    CreateCase,
    StaffCheckIn,
    StaffWaiting,
    StaffExpected,
    StaffFinished,
    StaffOutcome,
    StaffFinish,
    StaffServe,
    StaffRecall,
    StaffPark,
    StaffNoShow,
    StaffUndo,
    ClosureTitle,
    ClosureDate,
    ClosureService,
    ClosureNote,
    ClosureSave,
    PasswordTitle,
    PasswordChanged,
    PasswordOld,
    PasswordNew,
    PasswordRepeat,
    AuditTitle,
    StaffRevertNoShow,
    StaffNote,
    SchedulesTitle,
    SchedulesHint,
    SchedulesRules,
    SchedulesConfirm,
    SchedulesSave,
    SchedulesLink,
    StaffTransfer,
    StaffTransferTo,
    ServiceLabel,
    StepDay,
    StepSlot,
    StepForm,
    ChooseDayFirst,
    NoSlots,
    SlotFullShort,
    SeatsLeftShort,
    ChosenSlot,
    ChangeSlot,
    ChosenSlotFull,
    FieldName,
    FieldPhone,
    FieldPhoneHint,
    FieldTopic,
    FieldAccount,
    FieldAccountHint,
    FieldYouth,
    YouthSlotNote,
    PrivacyHeading,
    PrivacyText,
    FieldConsent,
    SubmitBooking,
    Submitting,
    ErrorSummaryTitle,
    AlternativesHeading,
    BookingDone,
    BookingHeading,
    BookingCodeLabel,
    BookingCodeHint,
    QrLabel,
    When,
    Where,
    StateLabel,
    AddToCalendar,
    Reschedule,
    CancelBooking,
    CancelConfirmHeading,
    CancelConfirmBody,
    CancelYes,
    CancelNo,
    CancelledNotice,
    MovedNotice,
    RescheduleHeading,
    CurrentSlot,
    RescheduleConfirm,
    MyBookingsHeading,
    MyBookingsIntro,
    MyBookingsEmpty,
    LookupHeading,
    LookupHint,
    FieldCode,
    LookupSubmit,
    NeedPhone,
    History,
    BackToPlace,
    ViewBooking,
    ConfidentialNote,
    StatsTitle,
    StatsLink,
    StatsDistrict,
    StatsFrom,
    StatsTo,
    StatsShow,
    StatsThisYear,
    StatsLastYear,
    StatsLastMonth,
    StatsPeriod,
    StatsPrevious,
    StatsChange,
    StatsBookings,
    StatsAttended,
    StatsWalkIns,
    StatsServed,
    StatsCancelled,
    StatsRescheduled,
    StatsNoShow,
    StatsBooked,
    StatsTotal,
    StatsNoShowRate,
    StatsWait,
    StatsServiceTime,
    StatsAverage,
    StatsP90,
    StatsMinutes,
    StatsYouthShare,
    StatsMediation,
    StatsRequests,
    StatsRefused,
    StatsAccepted,
    StatsSettled,
    StatsSuccessRate,
    StatsWritten,
    StatsOral,
    StatsFailed,
    StatsNotMediated,
    StatsOpen,
    StatsAmount,
    StatsReferrals,
    StatsIp,
    StatsByType,
    StatsByService,
    StatsService,
    StatsMonthly,
    StatsMonth,
    StatsDataTable,
    StatsDrill,
    StatsPlace,
    StatsOfficeItself,
    StatsReport,
    StatsReportHint,
    StatsExports,
    StatsCsvServices,
    StatsCsvMediation,
    StatsXlsx,
    StatsNone,
    StatsKeyFigures,
    StatsScope,
    StatsWanYuan,
    RequestTooLarge,
    CrossSiteRefused,
    ServerFault,
}

/// A message in the visitor's language, in its plainer wording in elderly-friendly mode.
pub fn t(msg: Msg) -> &'static str {
    let p = crate::prefs::prefs();
    if p.elder {
        if let Some((zh, en)) = elder_text(msg) {
            return p.lang.pick(zh, en);
        }
    }
    text(p.lang, msg)
}

/// The usual text of `msg` in `lang` ([`t`] also applies elderly-friendly mode's wording).
pub fn text(lang: Lang, msg: Msg) -> &'static str {
    match lang {
        Lang::ZhCn => zh::text(msg),
        Lang::En => en::text(msg),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::ServiceCode;

    #[test]
    fn no_message_is_empty_in_any_language() {
        // exhaustiveness is checked by the compiler; emptiness is checked here
        for lang in [Lang::ZhCn, Lang::En] {
            for &m in Msg::ALL {
                assert!(!text(lang, m).trim().is_empty(), "{lang:?} {m:?}");
            }
            for s in ServiceCode::ALL {
                assert!(!service_name_in(lang, s).is_empty());
            }
        }
    }
}

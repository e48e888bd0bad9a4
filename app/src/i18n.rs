//! Every user-facing text of the portal goes through this module.
//!
//! Messages are an enum and each language is an exhaustive `match`: a key missing in
//! either language is a compile error, so no page can show a raw key or an empty string.
//! Chinese (zh-CN) is the primary language; English follows the same keys.

use chrono::Weekday;
use domain::{ServiceCode, WeeklySession};

pub use domain::Lang;

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
    OutcomeWritten,
    OutcomeOral,
    OutcomeFailed,
    OutcomeReferred,
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

/// Plainer, shorter wording for elderly-friendly mode (长辈模式): one idea per sentence,
/// everyday words, the one thing to do. Both languages in one place, so neither can be
/// forgotten. Messages not listed keep their usual text.
pub fn elder_text(msg: Msg) -> Option<(&'static str, &'static str)> {
    use Msg::*;
    Some(match msg {
        SiteTagline => (
            "免费找律师咨询、心理咨询、调解纠纷。",
            "Free help from lawyers, counsellors and mediators.",
        ),
        OfficesIntro => ("点一个离您近的司法所。", "Tap the office nearest to you."),
        SearchHint => (
            "写上您住的街道或小区名字。",
            "Type the name of your street or estate.",
        ),
        NoSlots => (
            "这两周已约满。请换一个地方，或打电话问一问。",
            "Fully booked for two weeks. Try another place, or phone them.",
        ),
        FieldPhoneHint => (
            "以后查看、改时间、取消都要用它。",
            "You need it later to check, move or cancel.",
        ),
        FieldAccountHint => (
            "可以不写，见面再说。",
            "You may leave this empty and tell us in person.",
        ),
        PrivacyText => (
            "您写的内容只给为您服务的工作人员看，不会公开，也不会给别人。",
            "Only the staff who help you can read this. We never publish it or pass it on.",
        ),
        BookingCodeHint => (
            "请记下预约码。到了以后给工作人员看预约码或二维码。",
            "Write down your booking code. Show it or the QR code when you arrive.",
        ),
        CancelConfirmBody => (
            "取消后这个时间就让给别人了。需要时可以再约。",
            "Someone else can then take this time. You can book again later.",
        ),
        MediationIntro => (
            "调解免费。调解员会打电话给您和对方，约好时间当面谈。",
            "Mediation is free. A mediator will phone you and the other side to meet.",
        ),
        FieldApplicantPhoneHint => (
            "调解员用它联系您，不会公开。",
            "The mediator will phone you on it. It stays private.",
        ),
        FieldDisputeAccountHint => (
            "写几句就可以（至少 10 个字），细节见面再说。",
            "A few sentences are enough (at least 10 characters). Details can wait.",
        ),
        MediationPrivacyText => (
            "您写的内容只给负责调解的工作人员看，不会公开。",
            "Only the staff handling your mediation can read this. It is never published.",
        ),
        CaseFiled => (
            "已经提交。请记下案件编号，以后用它和手机号查看进度。",
            "Sent. Write down the case number; with your phone number it shows the progress.",
        ),
        _ => return None,
    })
}

pub fn text(lang: Lang, msg: Msg) -> &'static str {
    use Msg::*;
    match lang {
        Lang::ZhCn => match msg {
            SiteTitle => "示范区公共法律服务",
            SiteTagline => "免费法律咨询、心理咨询和人民调解，就近预约",
            TooManyTries => "操作太频繁，请一分钟后再试",
            SlotJustFull => "这个时段刚刚约满了，请选择下面的其他时段",
            NoSuchService => "没有这项服务",
            NobodyWaiting => "现在没有人在等候",
            ChooseTransferService => "请选择要分流到的服务",
            NoSuchAction => "没有这个操作",
            PasswordsDiffer => "两次输入的新密码不一致",
            ChooseService => "请选择服务",
            ChooseDate => "请选择日期",
            FieldSeparator => "：",
            SkipToContent => "跳到正文",
            PrefsNav => "显示设置",
            TasksNav => "我要办的事",
            TaskBook => "预约法律咨询或心理咨询",
            TaskBookDetail => "先选一个离您近的地方",
            TaskMediation => "申请调解纠纷",
            TaskMediationDetail => "邻里、家庭、物业等矛盾",
            TaskMineDetail => "查看、改时间或取消",
            ElderModeEnter => "长辈模式（大字）",
            ElderModeLeave => "退出长辈模式",
            NavHome => "首页",
            NavOffices => "服务网点",
            MainNav => "主导航",
            SearchLabel => "查找服务网点",
            SearchPlaceholder => "输入街道、居民区或司法所名称",
            SearchButton => "搜索",
            SearchHint => "例如：岭南、大宁路、彭浦镇",
            SearchNoResults => "没有找到匹配的网点，请换个关键词试试。",
            SearchResults => "搜索结果",
            Loading => "正在加载……",
            LoadFailed => "加载失败，请稍后刷新页面重试。",
            OfficesHeading => "各街镇司法所",
            OfficesIntro => "每个司法所都设有公共法律服务工作站，居民区和村设有法律服务工作室。",
            AllOfficesLink => "查看全部司法所和居村工作室",
            WorkroomsOf => "下属居村法律服务工作室",
            KindOffice => "司法所",
            KindWorkroom => "居村法律服务工作室",
            Address => "地址",
            Phone => "电话",
            BelongsTo => "所属司法所",
            ServicesHeading => "服务项目和开放时间",
            ByRequestOnly => "随时可以申请，无需预约时段",
            YouthOnly => "仅限青少年",
            NotFoundTitle => "找不到这个页面",
            NotFoundBody => "您要找的网点或页面不存在，可能地址有误。",
            BackHome => "返回首页",
            FooterNote => "本网站由区司法局提供。法律咨询、心理咨询和人民调解均免费。",
            NavMyBookings => "我的预约",
            StaffLink => "工作人员登录",
            DisplayTitle => "叫号屏",
            DisplayLive => "实时更新中",
            DisplayReconnecting => "网络中断，正在重新连接……",
            DisplayCalling => "请以下号码到窗口办理",
            DisplayNobody => "暂无叫号",
            DisplayAnyDesk => "请到服务台",
            DisplayNext => "即将叫号",
            DisplayWaiting => "等候人数",
            DisplayEstimated => "预计等候",
            Minutes => "分钟",
            DisplayChime => "提示音",
            StaffLoginTitle => "工作人员登录",
            Username => "用户名",
            Password => "密码",
            SignIn => "登录",
            SignOut => "退出登录",
            StaffTitle => "今日接待",
            StaffSignInFirst => "请先登录工作人员账号。",
            StaffPlace => "网点",
            StaffSwitch => "切换",
            StaffTakeTicket => "现场取号",
            StaffCallHeading => "叫号",
            StaffDesk => "窗口",
            StaffDeskPlaceholder => "1号窗口",
            StaffCallNext => "叫下一位",
            StaffActive => "正在办理",
            StaffArrivals => "签到和取号",
            StaffCheckInCode => "预约码签到",
            StaffScan => "扫码签到",
            StaffScanStop => "停止扫码",
            StaffScanHint => "请把居民手机上的预约二维码对准摄像头",
            StaffScanNotACode => "这个二维码不是预约码，请换一个或直接输入预约码",
            StaffScanNoCamera => "无法打开摄像头，请直接输入预约码",
            NavMediation => "调解",
            MediationTitle => "申请人民调解",
            MediationIntro => "人民调解免费。调解员会联系双方，约定时间地点当面调解；调解达成的协议具有法律约束力。",
            MediationApplicant => "申请人",
            MediationOtherParty => "对方当事人",
            MediationDispute => "纠纷情况",
            FieldApplicantName => "姓名",
            FieldApplicantPhoneHint => "用于联系您和查询调解进度，不会公开。",
            FieldOtherPartyName => "对方姓名",
            FieldOtherPartyPhone => "对方手机号码（选填）",
            FieldRelation => "与对方的关系（选填）",
            FieldRelationHint => "例如：邻居、房东、同事",
            FieldDisputeType => "纠纷类型",
            FieldDisputeAccount => "发生了什么，您希望怎样解决",
            FieldDisputeAccountHint => "10 至 1000 字。详细情况可以在调解时当面谈。",
            FieldMediationPlace => "希望在哪里调解",
            FieldMediationPlaceHint => "知识产权纠纷请选择设有知识产权纠纷调解室的司法所。",
            ChoosePlace => "请选择地点",
            IpRoomMark => "（设知识产权调解室）",
            ChangePlace => "换一个地点",
            MediationPrivacyText => "您填写的信息只用于办理这次调解，只有负责的调解员、所在司法所负责人和区司法局能看到；对方当事人的信息只用于联系其参加调解。统计报表中不含任何人的姓名和手机号。",
            SubmitMediation => "提交调解申请",
            CaseCodeLabel => "案件编号",
            CaseFiled => "申请已提交。请记下案件编号，凭编号和手机号码可以随时查询进度。",
            CaseStateLabel => "当前状态",
            CaseNextSession => "调解安排",
            CaseTimeline => "办理进度",
            CaseAgreementNo => "调解协议书编号",
            CaseRefusalReason => "不予受理的理由",
            CaseReferredTo => "已转交",
            MyCasesTitle => "我的调解申请",
            NoCasesYet => "这台设备上还没有调解申请。",
            CaseLookupHeading => "查询调解进度",
            CaseLookupIntro => "输入案件编号和申请时填写的手机号码。",
            CaseLookupButton => "查询",
            NewMediationLink => "申请调解",
            FieldCaseCode => "案件编号",
            AskMediation => "申请调解",
            StaffCasesLink => "调解案件",
            StaffCasesTitle => "调解案件",
            StaffCasesHidden => "另有 {n} 件由其他调解员办理，您只能看到数量。",
            StaffCasesNone => "暂无调解案件。",
            CaseOverdue => "已超期",
            CaseSubmittedAt => "申请时间",
            CaseApplicant => "申请人",
            CaseOtherParty => "对方当事人",
            CaseMediator => "调解员",
            CaseNoMediator => "尚未指派",
            CaseAccountLabel => "纠纷情况",
            CaseHistory => "办理记录",
            CaseNextStep => "下一步",
            CaseAccept => "受理",
            CaseRefuse => "不予受理",
            CaseRefuseReason => "不予受理的理由",
            CaseAssign => "指派调解员",
            CaseAssignButton => "指派",
            CaseMe => "（我）",
            CaseInvite => "已联系对方当事人",
            CaseAgrees => "对方同意调解",
            CaseDeclines => "对方不同意调解",
            CaseSchedule => "安排调解",
            CaseScheduleAnother => "再安排一次调解",
            CaseTime => "时间",
            CaseScheduleButton => "安排",
            CaseConclude => "记录调解结果",
            CaseOutcomeKind => "调解结果",
            OutcomeWritten => "达成书面调解协议",
            OutcomeOral => "达成口头协议",
            OutcomeFailed => "调解不成",
            OutcomeReferred => "转交其他机构",
            CaseAmount => "涉及金额（元）",
            CaseTerms => "协议内容（调解不成时写原因）",
            CaseChannel => "转交去向",
            CaseConcludeButton => "保存结果",
            CaseRefer => "转交其他机构",
            CaseReferButton => "转交",
            CaseFollowUp => "回访",
            CaseKeptYes => "协议已履行",
            CaseKeptNo => "协议未履行",
            CaseNote => "回访记录",
            CaseFollowUpButton => "保存回访",
            CasePrintAgreement => "打印调解协议书",
            CaseClosed => "案件已办结。",
            AgreementTitle => "人民调解协议书",
            AgreementNumber => "编号",
            AgreementParties => "当事人",
            AgreementFacts => "纠纷主要事实、争议事项",
            AgreementTerms => "经调解，双方自愿达成如下协议",
            AgreementAmount => "涉及金额",
            AgreementCopies => "本协议一式三份，双方当事人、人民调解委员会各执一份，自各方当事人签名（盖章）、人民调解员签名并加盖人民调解委员会印章之日起生效。",
            AgreementSignParty => "当事人（签名）",
            AgreementSignMediator => "人民调解员（签名）",
            AgreementSeal => "（印章）",
            AgreementPrint => "打印",
            AgreementNone => "这个案件没有书面调解协议。",
            CaseNotFound => "没有找到这个案件：请核对案件编号和申请时填写的手机号码",
            CaseFromConsultation => "转为调解案件",
            CaseFromConsultationIntro => "来访者反映的是一起纠纷：建立调解案件，案件直接受理并与这次咨询关联。",
            ConsentAtDesk => "居民已当面阅读并同意《个人信息处理说明》",
            CreateCase => "建立调解案件",
            StaffCheckIn => "签到",
            StaffWaiting => "等候中",
            StaffExpected => "今日预约未到",
            StaffFinished => "已办结",
            StaffOutcome => "办理结果",
            StaffFinish => "办结",
            StaffServe => "开始服务",
            StaffRecall => "重呼",
            StaffPark => "暂缓",
            StaffNoShow => "未到",
            StaffUndo => "撤销上一步",
            ClosureTitle => "某天暂停服务",
            ClosureDate => "日期",
            ClosureService => "服务",
            ClosureNote => "原因（选填）",
            ClosureSave => "暂停这一天",
            PasswordTitle => "修改密码",
            PasswordChanged => "密码已修改。",
            PasswordOld => "原密码",
            PasswordNew => "新密码（至少 8 位）",
            PasswordRepeat => "再输入一次新密码",
            AuditTitle => "操作日志",
            StaffRevertNoShow => "撤销未到",
            StaffNote => "备注（选填）",
            SchedulesTitle => "服务时间",
            SchedulesHint => "每行一条规则，例如：mon-fri 09:00-11:30 30min x2（周一至周五上午，每 30 分钟一个号，每号 2 人）。会取消已有预约的修改需要勾选确认，预约人会收到通知。",
            SchedulesRules => "每周开放规则",
            SchedulesConfirm => "确认取消受影响的预约并通知预约人",
            SchedulesSave => "保存",
            SchedulesLink => "修改服务时间",
            StaffTransfer => "分流",
            StaffTransferTo => "分流到",
            ServiceLabel => "服务",
            StepDay => "第一步：选择日期",
            StepSlot => "第二步：选择时段",
            StepForm => "第三步：填写信息",
            ChooseDayFirst => "请先在上面选择日期。",
            NoSlots => "近两周没有可预约的时段。可以选择其他网点，或打电话咨询。",
            SlotFullShort => "已约满",
            SeatsLeftShort => "余",
            ChosenSlot => "您选择的时段",
            ChangeSlot => "换一个时段",
            ChosenSlotFull => "这个时段已经约满了，请选择其他时段。",
            FieldName => "姓名",
            FieldPhone => "手机号码",
            FieldPhoneHint => "用于查询、改约和取消预约，不会公开。",
            FieldTopic => "咨询事项",
            FieldAccount => "情况简述（选填）",
            FieldAccountHint => "最多 500 字，可以不填，当面再谈。",
            FieldYouth => "我未满 18 周岁",
            YouthSlotNote => "这个时段只接待未满 18 周岁的青少年。",
            PrivacyHeading => "个人信息处理说明",
            PrivacyText => "您填写的姓名、手机号和情况简述只用于安排这次服务，只有为您服务的工作人员能看到；心理咨询的内容只有心理咨询师能看到。我们不会公开或转给他人。服务记录按档案管理规定保存，统计报表中不含您的姓名和手机号。",
            FieldConsent => "我已阅读并同意《个人信息处理说明》",
            SubmitBooking => "确认预约",
            Submitting => "正在提交……",
            ErrorSummaryTitle => "请修改以下内容：",
            AlternativesHeading => "这些时段还可以预约",
            BookingDone => "预约成功",
            BookingHeading => "预约详情",
            BookingCodeLabel => "预约码",
            BookingCodeHint => "到达后出示预约码或二维码签到。请记下预约码，查询、改约和取消都需要预约码和手机号。",
            QrLabel => "预约码二维码",
            When => "时间",
            Where => "地点",
            StateLabel => "状态",
            AddToCalendar => "加入手机日历",
            Reschedule => "改约",
            CancelBooking => "取消预约",
            CancelConfirmHeading => "确定要取消这个预约吗？",
            CancelConfirmBody => "取消后这个时段会让给其他居民，不能恢复；需要时可以重新预约。",
            CancelYes => "确认取消",
            CancelNo => "不取消，返回",
            CancelledNotice => "预约已取消。",
            MovedNotice => "已改约到新的时段。",
            RescheduleHeading => "改约到其他时段",
            CurrentSlot => "现在的时段",
            RescheduleConfirm => "改到这个时段",
            MyBookingsHeading => "我的预约",
            MyBookingsIntro => "这里列出在这台设备上预约或查找过的预约。",
            MyBookingsEmpty => "这台设备上还没有预约记录。",
            LookupHeading => "用预约码查找",
            LookupHint => "输入预约码和预约时填写的手机号码。",
            FieldCode => "预约码",
            LookupSubmit => "查找",
            NeedPhone => "要查看这个预约，请输入预约时填写的手机号码。",
            History => "办理记录",
            BackToPlace => "返回网点页面",
            ViewBooking => "查看预约",
            ConfidentialNote => "为保护隐私，日历和确认信息中不写服务名称。",
            StatsTitle => "服务统计",
            StatsLink => "服务统计",
            StatsDistrict => "全区",
            StatsFrom => "开始日期",
            StatsTo => "结束日期",
            StatsShow => "查看",
            StatsThisYear => "今年以来",
            StatsLastYear => "去年全年",
            StatsLastMonth => "上个月",
            StatsPeriod => "统计期间",
            StatsPrevious => "上期",
            StatsChange => "较上期",
            StatsBookings => "预约",
            StatsAttended => "预约到场",
            StatsWalkIns => "现场接待",
            StatsServed => "接待人次",
            StatsCancelled => "取消",
            StatsRescheduled => "改约",
            StatsNoShow => "未到",
            StatsBooked => "待到场",
            StatsTotal => "合计",
            StatsNoShowRate => "爽约率",
            StatsWait => "等候时间（签到到叫号）",
            StatsServiceTime => "服务时长",
            StatsAverage => "平均",
            StatsP90 => "90%的人不超过",
            StatsMinutes => "分钟",
            StatsYouthShare => "心理咨询中青少年占比",
            StatsMediation => "人民调解",
            StatsRequests => "收到申请",
            StatsRefused => "不予受理",
            StatsAccepted => "受理纠纷",
            StatsSettled => "成功化解",
            StatsSuccessRate => "成功率",
            StatsWritten => "书面协议",
            StatsOral => "口头协议",
            StatsFailed => "调解不成",
            StatsNotMediated => "对方不同意调解",
            StatsOpen => "尚在调解",
            StatsAmount => "协议涉及金额",
            StatsReferrals => "转交其他机构",
            StatsIp => "知识产权纠纷（受理/成功）",
            StatsByType => "各类纠纷",
            StatsByService => "各项服务",
            StatsService => "服务",
            StatsMonthly => "每月接待人次",
            StatsMonth => "月份",
            StatsDataTable => "查看数据表",
            StatsDrill => "下级单位",
            StatsPlace => "单位",
            StatsOfficeItself => "（所本部）",
            StatsReport => "自查报告统计段落",
            StatsReportHint => "以下文字中的每个数字都由本期数据计算得出，可直接用于报告。",
            StatsExports => "导出台账",
            StatsCsvServices => "法律服务接待台账（CSV）",
            StatsCsvMediation => "人民调解台账（CSV）",
            StatsXlsx => "全部台账（Excel）",
            StatsNone => "无",
            StatsKeyFigures => "主要数据",
            StatsScope => "统计范围",
            StatsWanYuan => "万元",
            RequestTooLarge => "提交的内容太大（最多 16 KB），请删减后再试",
            CrossSiteRefused => "请从本平台的页面提交（跨站请求已拒绝）",
            ServerFault => "服务器暂时出错，请稍后再试",
        },
        Lang::En => match msg {
            SiteTitle => "District Public Legal Services",
            SiteTagline => "Free legal advice, counselling and mediation near you",
            TooManyTries => "Too many tries. Please wait a minute and try again.",
            SlotJustFull => "This time has just been fully booked. Please choose one of the times below.",
            NoSuchService => "This place does not offer that service",
            NobodyWaiting => "Nobody is waiting now",
            ChooseTransferService => "Choose the service to transfer to",
            NoSuchAction => "Unknown action",
            PasswordsDiffer => "The two new passwords are not the same",
            ChooseService => "Choose a service",
            ChooseDate => "Choose a date",
            FieldSeparator => ": ",
            SkipToContent => "Skip to content",
            PrefsNav => "Display settings",
            TasksNav => "What would you like to do",
            TaskBook => "Book legal advice or counselling",
            TaskBookDetail => "First choose a place near you",
            TaskMediation => "Ask for mediation of a dispute",
            TaskMediationDetail => "Neighbours, family, property management…",
            TaskMineDetail => "Check, move or cancel",
            ElderModeEnter => "Senior mode (large text)",
            ElderModeLeave => "Leave senior mode",
            NavHome => "Home",
            NavOffices => "Service points",
            MainNav => "Main navigation",
            SearchLabel => "Find a service point",
            SearchPlaceholder => "Street, neighbourhood or office name",
            SearchButton => "Search",
            SearchHint => "For example: 岭南, 大宁路, 彭浦镇",
            SearchNoResults => "No matching place. Please try another word.",
            SearchResults => "Search results",
            Loading => "Loading…",
            LoadFailed => "Could not load. Please refresh the page later.",
            OfficesHeading => "Judicial offices",
            OfficesIntro => "Every judicial office hosts a public legal-service station; neighbourhoods and villages have legal-service workrooms.",
            AllOfficesLink => "See all offices and workrooms",
            WorkroomsOf => "Neighbourhood legal-service workrooms",
            KindOffice => "Judicial office",
            KindWorkroom => "Neighbourhood legal-service workroom",
            Address => "Address",
            Phone => "Phone",
            BelongsTo => "Judicial office",
            ServicesHeading => "Services and opening hours",
            ByRequestOnly => "Apply at any time; no time slot needed",
            YouthOnly => "young people only",
            NotFoundTitle => "Page not found",
            NotFoundBody => "The place or page you are looking for does not exist.",
            BackHome => "Back to the home page",
            FooterNote => "Provided by the district justice bureau. Legal advice, counselling and mediation are free.",
            NavMyBookings => "My bookings",
            StaffLink => "Staff sign-in",
            DisplayTitle => "Call display",
            DisplayLive => "Live",
            DisplayReconnecting => "Connection lost, reconnecting…",
            DisplayCalling => "Now calling",
            DisplayNobody => "Nobody is being called",
            DisplayAnyDesk => "Please come to the desk",
            DisplayNext => "Next",
            DisplayWaiting => "Waiting:",
            DisplayEstimated => "estimated wait",
            Minutes => "min",
            DisplayChime => "Chime",
            StaffLoginTitle => "Staff sign-in",
            Username => "Username",
            Password => "Password",
            SignIn => "Sign in",
            SignOut => "Sign out",
            StaffTitle => "Today's desk",
            StaffSignInFirst => "Please sign in with your staff account.",
            StaffPlace => "Place",
            StaffSwitch => "Switch",
            StaffTakeTicket => "walk-in ticket",
            StaffCallHeading => "Calling",
            StaffDesk => "Desk",
            StaffDeskPlaceholder => "Desk 1",
            StaffCallNext => "Call next",
            StaffActive => "At the desks",
            StaffArrivals => "Check-in and walk-ins",
            StaffCheckInCode => "Check in by booking code",
            StaffScan => "Scan QR code",
            StaffScanStop => "Stop scanning",
            StaffScanHint => "Hold the QR code on the resident's phone in front of the camera",
            StaffScanNotACode => "That QR code is not a booking code; try another or type the code",
            StaffScanNoCamera => "The camera could not be opened; please type the booking code",
            NavMediation => "Mediation",
            MediationTitle => "Ask for mediation",
            MediationIntro => "People's mediation is free. A mediator contacts both sides and arranges a meeting; an agreement reached in mediation is legally binding.",
            MediationApplicant => "You (the applicant)",
            MediationOtherParty => "The other party",
            MediationDispute => "The dispute",
            FieldApplicantName => "Name",
            FieldApplicantPhoneHint => "Used to contact you and to look the case up; never shown publicly.",
            FieldOtherPartyName => "Their name",
            FieldOtherPartyPhone => "Their mobile number (optional)",
            FieldRelation => "How you know them (optional)",
            FieldRelationHint => "For example: neighbour, landlord, colleague",
            FieldDisputeType => "Kind of dispute",
            FieldDisputeAccount => "What happened, and what you ask for",
            FieldDisputeAccountHint => "10 to 1,000 characters. Details can wait for the meeting.",
            FieldMediationPlace => "Where you would like to meet",
            FieldMediationPlaceHint => "For IP disputes choose an office with an IP mediation room.",
            ChoosePlace => "Choose a place",
            IpRoomMark => "(IP mediation room)",
            ChangePlace => "Choose another place",
            MediationPrivacyText => "What you write is used only for this mediation and is seen only by the mediator, the head of the office and the district bureau; the other party's details are used only to invite them. Statistics never include anyone's name or number.",
            SubmitMediation => "Send the request",
            CaseCodeLabel => "Case code",
            CaseFiled => "Your request has been sent. Keep the case code: with it and your mobile number you can follow the case at any time.",
            CaseStateLabel => "Status",
            CaseNextSession => "Mediation meeting",
            CaseTimeline => "Progress",
            CaseAgreementNo => "Agreement number",
            CaseRefusalReason => "Reason given",
            CaseReferredTo => "Passed on to",
            MyCasesTitle => "My mediation requests",
            NoCasesYet => "No mediation requests on this device yet.",
            CaseLookupHeading => "Look up a case",
            CaseLookupIntro => "Enter the case code and the mobile number you gave.",
            CaseLookupButton => "Look up",
            NewMediationLink => "Ask for mediation",
            FieldCaseCode => "Case code",
            AskMediation => "Ask for mediation",
            StaffCasesLink => "Mediation cases",
            StaffCasesTitle => "Mediation cases",
            StaffCasesHidden => "{n} more handled by other mediators (count only).",
            StaffCasesNone => "No mediation cases.",
            CaseOverdue => "Overdue",
            CaseSubmittedAt => "Filed",
            CaseApplicant => "Applicant",
            CaseOtherParty => "Other party",
            CaseMediator => "Mediator",
            CaseNoMediator => "Not assigned",
            CaseAccountLabel => "The dispute",
            CaseHistory => "History",
            CaseNextStep => "Next step",
            CaseAccept => "Accept",
            CaseRefuse => "Refuse",
            CaseRefuseReason => "Reason for refusing",
            CaseAssign => "Assign a mediator",
            CaseAssignButton => "Assign",
            CaseMe => "(me)",
            CaseInvite => "Other party contacted",
            CaseAgrees => "They agree to mediation",
            CaseDeclines => "They decline",
            CaseSchedule => "Arrange a meeting",
            CaseScheduleAnother => "Arrange another meeting",
            CaseTime => "Time",
            CaseScheduleButton => "Arrange",
            CaseConclude => "Record the outcome",
            CaseOutcomeKind => "Outcome",
            OutcomeWritten => "Written agreement",
            OutcomeOral => "Oral agreement",
            OutcomeFailed => "Not settled",
            OutcomeReferred => "Passed on",
            CaseAmount => "Amount involved (yuan)",
            CaseTerms => "Terms agreed (or why it failed)",
            CaseChannel => "Passed on to",
            CaseConcludeButton => "Save the outcome",
            CaseRefer => "Pass on to another body",
            CaseReferButton => "Pass on",
            CaseFollowUp => "Follow-up visit",
            CaseKeptYes => "The agreement is kept",
            CaseKeptNo => "The agreement is not kept",
            CaseNote => "Notes",
            CaseFollowUpButton => "Save the visit",
            CasePrintAgreement => "Print the agreement",
            CaseClosed => "The case is closed.",
            AgreementTitle => "People's Mediation Agreement",
            AgreementNumber => "No.",
            AgreementParties => "Parties",
            AgreementFacts => "Facts and matters in dispute",
            AgreementTerms => "Through mediation the parties freely agree as follows",
            AgreementAmount => "Amount involved",
            AgreementCopies => "This agreement is made in three copies, one for each party and one for the committee, and takes effect when the parties and the mediator have signed and the committee has sealed it.",
            AgreementSignParty => "Party (signature)",
            AgreementSignMediator => "Mediator (signature)",
            AgreementSeal => "(seal)",
            AgreementPrint => "Print",
            AgreementNone => "This case has no written agreement.",
            CaseNotFound => "No such case: check the case code and the mobile number you gave",
            CaseFromConsultation => "Turn into a mediation case",
            CaseFromConsultationIntro => "The visitor describes a dispute: open a mediation case, accepted at once and linked to this consultation.",
            ConsentAtDesk => "The resident has read and agreed to the personal-information notice",
            CreateCase => "Open the case",
            StaffCheckIn => "Check in",
            StaffWaiting => "Waiting",
            StaffExpected => "Booked, not arrived yet",
            StaffFinished => "Finished",
            StaffOutcome => "Outcome",
            StaffFinish => "Finish",
            StaffServe => "Serve",
            StaffRecall => "Recall",
            StaffPark => "Park",
            StaffNoShow => "No-show",
            StaffUndo => "Undo last step",
            ClosureTitle => "Close a day",
            ClosureDate => "Date",
            ClosureService => "Service",
            ClosureNote => "Reason (optional)",
            ClosureSave => "Close this day",
            PasswordTitle => "Change password",
            PasswordChanged => "Your password has been changed.",
            PasswordOld => "Current password",
            PasswordNew => "New password (at least 8 characters)",
            PasswordRepeat => "New password again",
            AuditTitle => "Audit log",
            StaffRevertNoShow => "Undo no-show",
            StaffNote => "Note (optional)",
            SchedulesTitle => "Opening hours",
            SchedulesHint => "One rule per line, e.g. mon-fri 09:00-11:30 30min x2. A change that cancels bookings needs the confirmation box; their holders are told.",
            SchedulesRules => "Weekly rules",
            SchedulesConfirm => "Cancel the affected bookings and tell their holders",
            SchedulesSave => "Save",
            SchedulesLink => "Edit opening hours",
            StaffTransfer => "Transfer",
            StaffTransferTo => "Transfer to",
            ServiceLabel => "Service",
            StepDay => "Step 1: choose a day",
            StepSlot => "Step 2: choose a time",
            StepForm => "Step 3: your details",
            ChooseDayFirst => "Please choose a day above first.",
            NoSlots => "No free times in the next two weeks. Try another place, or phone.",
            SlotFullShort => "Full",
            SeatsLeftShort => "left",
            ChosenSlot => "Your chosen time",
            ChangeSlot => "Choose another time",
            ChosenSlotFull => "This time is fully booked. Please choose another.",
            FieldName => "Name",
            FieldPhone => "Mobile number",
            FieldPhoneHint => "Used to look up, move or cancel the booking; never shown publicly.",
            FieldTopic => "What it is about",
            FieldAccount => "Short description (optional)",
            FieldAccountHint => "Up to 500 characters; you may leave it empty and explain in person.",
            FieldYouth => "I am under 18",
            YouthSlotNote => "This time is for young people under 18 only.",
            PrivacyHeading => "How we handle your personal information",
            PrivacyText => "Your name, number and description are used only to arrange this service and are seen only by the staff who serve you; counselling details only by the counsellor. We never publish or pass them on. Records are kept as archive rules require; statistics never include your name or number.",
            FieldConsent => "I have read and agree to how my personal information is handled",
            SubmitBooking => "Confirm booking",
            Submitting => "Sending…",
            ErrorSummaryTitle => "Please correct the following:",
            AlternativesHeading => "These times are still free",
            BookingDone => "Booked",
            BookingHeading => "Booking details",
            BookingCodeLabel => "Booking code",
            BookingCodeHint => "Show the code or QR code when you arrive. Keep the code: you need it and your number to look up, move or cancel.",
            QrLabel => "QR code of the booking code",
            When => "When",
            Where => "Where",
            StateLabel => "Status",
            AddToCalendar => "Add to calendar",
            Reschedule => "Move to another time",
            CancelBooking => "Cancel booking",
            CancelConfirmHeading => "Cancel this booking?",
            CancelConfirmBody => "The time goes to someone else and cannot be restored; you can book again.",
            CancelYes => "Yes, cancel it",
            CancelNo => "No, go back",
            CancelledNotice => "The booking is cancelled.",
            MovedNotice => "The booking has been moved.",
            RescheduleHeading => "Move to another time",
            CurrentSlot => "Current time",
            RescheduleConfirm => "Move to this time",
            MyBookingsHeading => "My bookings",
            MyBookingsIntro => "Bookings made or looked up on this device.",
            MyBookingsEmpty => "No bookings on this device yet.",
            LookupHeading => "Find a booking by its code",
            LookupHint => "Enter the booking code and the mobile number you booked with.",
            FieldCode => "Booking code",
            LookupSubmit => "Find",
            NeedPhone => "To see this booking, enter the mobile number you booked with.",
            History => "History",
            BackToPlace => "Back to the place",
            ViewBooking => "View booking",
            ConfidentialNote => "For privacy, calendars and confirmations do not name the service.",
            StatsTitle => "Service statistics",
            StatsLink => "Statistics",
            StatsDistrict => "Whole district",
            StatsFrom => "From",
            StatsTo => "To",
            StatsShow => "Show",
            StatsThisYear => "This year so far",
            StatsLastYear => "Last year",
            StatsLastMonth => "Last month",
            StatsPeriod => "Period",
            StatsPrevious => "Previous period",
            StatsChange => "vs previous",
            StatsBookings => "Bookings",
            StatsAttended => "Came as booked",
            StatsWalkIns => "Walk-ins",
            StatsServed => "Served",
            StatsCancelled => "Cancelled",
            StatsRescheduled => "Rescheduled",
            StatsNoShow => "No-shows",
            StatsBooked => "Still booked",
            StatsTotal => "Total",
            StatsNoShowRate => "No-show rate",
            StatsWait => "Waiting time (check-in to call)",
            StatsServiceTime => "Service time",
            StatsAverage => "Average",
            StatsP90 => "90th percentile",
            StatsMinutes => "min",
            StatsYouthShare => "Young people among psychology sessions",
            StatsMediation => "People's mediation",
            StatsRequests => "Requests received",
            StatsRefused => "Refused",
            StatsAccepted => "Disputes accepted",
            StatsSettled => "Settled",
            StatsSuccessRate => "Success rate",
            StatsWritten => "Written agreements",
            StatsOral => "Oral agreements",
            StatsFailed => "Failed",
            StatsNotMediated => "Other party declined",
            StatsOpen => "Still open",
            StatsAmount => "Amount in agreements",
            StatsReferrals => "Referrals",
            StatsIp => "IP disputes (accepted/settled)",
            StatsByType => "Disputes by type",
            StatsByService => "By service",
            StatsService => "Service",
            StatsMonthly => "People served per month",
            StatsMonth => "Month",
            StatsDataTable => "Show the data table",
            StatsDrill => "By place",
            StatsPlace => "Place",
            StatsOfficeItself => "(the office itself)",
            StatsReport => "Report paragraphs",
            StatsReportHint => "Every number below is computed from this period's data.",
            StatsExports => "Export ledgers",
            StatsCsvServices => "Services ledger (CSV)",
            StatsCsvMediation => "Mediation ledger (CSV)",
            StatsXlsx => "All ledgers (Excel)",
            StatsNone => "none",
            StatsKeyFigures => "Key figures",
            StatsScope => "Scope",
            StatsWanYuan => "× ¥10,000",
            RequestTooLarge => "What was sent is too large (16 KB at most); please shorten it and try again",
            CrossSiteRefused => "Please send this from the portal's own pages (cross-site requests are refused)",
            ServerFault => "The server had a problem; please try again later",
        },
    }
}

/// "预约法律咨询" / "Book legal consultation": a booking link or page title.
pub fn book_label(lang: Lang, service: ServiceCode) -> String {
    match lang {
        Lang::ZhCn => format!("预约{}", service_name_in(lang, service)),
        Lang::En => {
            let name = service_name_in(lang, service);
            // "Book legal consultation", keeping acronyms such as "IP" as they are
            let mut chars = name.chars();
            let first = chars.next().map(|c| c.to_ascii_lowercase()).unwrap_or(' ');
            let second_upper = name.chars().nth(1).is_some_and(|c| c.is_ascii_uppercase());
            if second_upper {
                format!("Book {name}")
            } else {
                format!("Book {first}{}", chars.as_str())
            }
        }
    }
}

pub fn service_name(service: ServiceCode) -> &'static str {
    service_name_in(lang(), service)
}

pub fn service_name_in(lang: Lang, service: ServiceCode) -> &'static str {
    use ServiceCode::*;
    match (lang, service) {
        (Lang::ZhCn, LegalConsultation) => "法律咨询",
        (Lang::ZhCn, Psychology) => "心理咨询",
        (Lang::ZhCn, Mediation) => "人民调解",
        (Lang::ZhCn, AdminReconsideration) => "行政复议咨询",
        (Lang::ZhCn, Notary) => "公证咨询",
        (Lang::ZhCn, IpMediation) => "知识产权纠纷调解",
        (Lang::En, LegalConsultation) => "Legal consultation",
        (Lang::En, Psychology) => "Psychological counselling",
        (Lang::En, Mediation) => "People's mediation",
        (Lang::En, AdminReconsideration) => "Administrative reconsideration advice",
        (Lang::En, Notary) => "Notary advice",
        (Lang::En, IpMediation) => "IP dispute mediation",
    }
}

/// A booking topic's label (the domain keeps the Chinese one with its code).
pub fn topic_name(lang: Lang, service: ServiceCode, code: &str) -> String {
    let zh = domain::booking::topic_label(service, code).unwrap_or(code);
    match lang {
        Lang::ZhCn => zh.to_string(),
        Lang::En => match code {
            "marriage_family" | "family" => "Marriage and family",
            "inheritance" => "Inheritance",
            "housing" => "Housing and property",
            "labour" if service == ServiceCode::Mediation => "Work disputes",
            "labour" => "Work and pay",
            "debt_contract" => "Loans and contracts",
            "consumer" => "Consumer",
            "traffic" => "Traffic accidents",
            "emotion" => "Feelings and mood",
            "family_relation" => "Family relationships",
            "study_work" => "Stress at school or work",
            "neighbour" => "Between neighbours",
            "property_management" => "Property management",
            "renovation_lift" => "Renovation or lift installation",
            "commercial" => "Business",
            "intellectual_property" => "Intellectual property",
            "consult" => "Advice",
            "apply" => "Filing an application",
            "inheritance_notary" => "Inheritance notarisation",
            "entrust" => "Power of attorney",
            "trademark" => "Trademarks",
            "copyright" => "Copyright",
            "patent" => "Patents",
            "other" => "Other",
            _ => zh,
        }
        .to_string(),
    }
}

pub fn dispute_name(dispute: domain::mediation::DisputeType) -> &'static str {
    use domain::mediation::DisputeType::*;
    match lang() {
        Lang::ZhCn => dispute.label_zh(),
        Lang::En => match dispute {
            Neighbour => "Between neighbours",
            Family => "Family or marriage",
            Property => "Property management or owners' committee",
            Renovation => "Renovation or lift installation",
            Labour => "Work and pay",
            Consumer => "Consumer",
            Commercial => "Business",
            Ip => "Intellectual property",
            Other => "Other",
        },
    }
}

pub fn case_state_name(state: domain::mediation::CaseState) -> &'static str {
    use domain::mediation::CaseState::*;
    match lang() {
        Lang::ZhCn => state.label_zh(),
        Lang::En => match state {
            Submitted => "Sent, waiting to be accepted",
            Accepted => "Accepted",
            Refused => "Not accepted",
            MediatorAssigned => "Mediator assigned",
            PartyInvited => "Contacting the other party",
            PartyAgreed => "The other party agreed to mediation",
            NotMediated => "The other party declined; not mediated",
            SessionScheduled => "Meeting arranged",
            Settled => "Settled",
            Failed => "Not settled",
            Referred => "Passed on to another body",
        },
    }
}

pub fn referral_name(referral: domain::mediation::Referral) -> &'static str {
    use domain::mediation::Referral::*;
    match lang() {
        Lang::ZhCn => referral.label_zh(),
        Lang::En => match referral {
            Court => "The court (court-mediation link)",
            PoliceLawFirm => "Police station and law firm",
            Procuratorate => "The procuratorate",
            Department => "Another department",
        },
    }
}

pub fn weekday_name(lang: Lang, day: Weekday) -> &'static str {
    let i = day.num_days_from_monday() as usize;
    match lang {
        Lang::ZhCn => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}

/// "周一至周五 09:00–11:30" or "周二、周五 13:30–16:30（仅限青少年）".
pub fn session_text(lang: Lang, s: &WeeklySession) -> String {
    let days: Vec<Weekday> = s.days.days().collect();
    let consecutive = days.len() >= 3
        && days
            .windows(2)
            .all(|w| w[1].num_days_from_monday() == w[0].num_days_from_monday() + 1);
    let (through, sep) = match lang {
        Lang::ZhCn => ("至", "、"),
        Lang::En => ("–", ", "),
    };
    let day_text = if consecutive {
        format!(
            "{}{through}{}",
            weekday_name(lang, days[0]),
            weekday_name(lang, *days.last().unwrap())
        )
    } else {
        days.iter()
            .map(|d| weekday_name(lang, *d))
            .collect::<Vec<_>>()
            .join(sep)
    };
    let mut out = format!(
        "{day_text} {}–{}",
        s.start.format("%H:%M"),
        s.end.format("%H:%M")
    );
    if s.youth_only {
        match lang {
            Lang::ZhCn => out.push_str(&format!("（{}）", text(lang, Msg::YouthOnly))),
            Lang::En => out.push_str(&format!(" ({})", text(lang, Msg::YouthOnly))),
        }
    }
    out
}

fn zh_weekday_long(day: Weekday) -> &'static str {
    [
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
        "星期日",
    ][day.num_days_from_monday() as usize]
}

/// Full spoken label of a day in the booking calendar, e.g. "3月3日 星期二，还可预约 5 个号"
/// (screen readers must never read bare numbers).
pub fn day_label(lang: Lang, date: chrono::NaiveDate, free: u32) -> String {
    use chrono::Datelike;
    match lang {
        Lang::ZhCn => {
            let weekday = zh_weekday_long(date.weekday());
            let seats = if free == 0 {
                "已约满".to_string()
            } else {
                format!("还可预约 {free} 个号")
            };
            format!("{}月{}日 {weekday}，{seats}", date.month(), date.day())
        }
        Lang::En => {
            let seats = match free {
                0 => "fully booked".to_string(),
                1 => "1 place left".to_string(),
                n => format!("{n} places left"),
            };
            format!("{}, {seats}", date.format("%A %-d %B"))
        }
    }
}

/// Full spoken label of a slot, e.g. "3月3日 星期二 09:00 至 09:30，剩余 1 个号".
pub fn slot_label(
    lang: Lang,
    start: chrono::NaiveDateTime,
    end: chrono::NaiveTime,
    remaining: u16,
) -> String {
    use chrono::Datelike;
    match lang {
        Lang::ZhCn => {
            let weekday = zh_weekday_long(start.weekday());
            let seats = if remaining == 0 {
                "已约满".to_string()
            } else {
                format!("剩余 {remaining} 个号")
            };
            format!(
                "{}月{}日 {weekday} {} 至 {}，{seats}",
                start.month(),
                start.day(),
                start.format("%H:%M"),
                end.format("%H:%M")
            )
        }
        Lang::En => {
            let seats = match remaining {
                0 => "fully booked".to_string(),
                1 => "1 place left".to_string(),
                n => format!("{n} places left"),
            };
            format!(
                "{}, {} to {}, {seats}",
                start.format("%A %-d %B"),
                start.format("%H:%M"),
                end.format("%H:%M")
            )
        }
    }
}

/// "12月9日 星期三 10:00": a moment, spoken in full.
pub fn moment_label(lang: Lang, at: chrono::DateTime<chrono::FixedOffset>) -> String {
    use chrono::Datelike;
    match lang {
        Lang::ZhCn => format!(
            "{}月{}日 {} {}",
            at.month(),
            at.day(),
            zh_weekday_long(at.weekday()),
            at.format("%H:%M")
        ),
        Lang::En => at.format("%A %-d %B, %H:%M").to_string(),
    }
}

/// An amount of money as a document writes it: "人民币 5,000.00 元", "CNY 5,000.00".
pub fn yuan_amount(lang: Lang, yuan: &str) -> String {
    match lang {
        Lang::ZhCn => format!("人民币 {yuan} 元"),
        Lang::En => format!("CNY {yuan}"),
    }
}

/// A month on a chart's axis: `3月`, `03/26`.
pub fn month_short(lang: Lang, month: domain::stats::Month) -> String {
    match lang {
        Lang::ZhCn => format!("{}月", month.month),
        Lang::En => format!("{:02}/{:02}", month.month, month.year % 100),
    }
}

/// A date as a document writes it: "2026年12月9日", "9 December 2026".
pub fn long_date(lang: Lang, date: chrono::NaiveDate) -> String {
    match lang {
        Lang::ZhCn => date.format("%Y年%-m月%-d日").to_string(),
        Lang::En => date.format("%-d %B %Y").to_string(),
    }
}

/// A booking's state in words.
pub fn state_label(lang: Lang, state: domain::BookingState) -> &'static str {
    use domain::BookingState::*;
    match lang {
        Lang::ZhCn => state.label_zh(),
        Lang::En => match state {
            Booked => "Booked",
            Cancelled => "Cancelled",
            CheckedIn => "Checked in",
            Called => "Called",
            Serving => "Being served",
            Done => "Done",
            NoShow => "Did not come",
        },
    }
}

/// "12月1日 星期二 09:00 至 09:30": a booking's time, spoken in full.
pub fn time_range_label(
    lang: Lang,
    start: chrono::DateTime<chrono::FixedOffset>,
    end: chrono::DateTime<chrono::FixedOffset>,
) -> String {
    use chrono::Datelike;
    match lang {
        Lang::ZhCn => format!(
            "{}月{}日 {} {} 至 {}",
            start.month(),
            start.day(),
            zh_weekday_long(start.weekday()),
            start.format("%H:%M"),
            end.format("%H:%M")
        ),
        Lang::En => format!(
            "{}, {} to {}",
            start.format("%A %-d %B"),
            start.format("%H:%M"),
            end.format("%H:%M")
        ),
    }
}

/// A history line of a booking: "11月26日 20:15 预约" or "… 改约：12月1日 09:00 → 12月2日 10:00".
pub fn history_label(lang: Lang, line: &crate::model::HistoryLine) -> String {
    let at = line.at.format("%m-%d %H:%M");
    let moved = match (line.from_start, line.to_start) {
        (Some(f), Some(t)) => format!(" {} → {}", f.format("%m-%d %H:%M"), t.format("%m-%d %H:%M")),
        _ => String::new(),
    };
    let what = match (lang, line.kind.as_str()) {
        (Lang::ZhCn, "created") => "预约",
        (Lang::ZhCn, "rescheduled") => "改约",
        (Lang::ZhCn, "cancelled") => "取消",
        (Lang::En, "created") => "booked",
        (Lang::En, "rescheduled") => "moved",
        (Lang::En, "cancelled") => "cancelled",
        (_, other) => other,
    };
    format!("{at} {what}{moved}")
}

/// Short visible text of a day button ("12月1日 周二"); the full label is for screen readers.
pub fn day_short(lang: Lang, date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    match lang {
        Lang::ZhCn => format!(
            "{}月{}日 {}",
            date.month(),
            date.day(),
            weekday_name(lang, date.weekday())
        ),
        Lang::En => format!(
            "{} {}",
            weekday_name(lang, date.weekday()),
            date.format("%-d %b")
        ),
    }
}

/// The booking code as read out: groups of five with spaces for screen readers.
pub fn code_spoken(code: &str) -> String {
    code.chars()
        .filter(|c| *c != '-')
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A schedule change that would cancel `n` bookings (listed) needs confirming.
pub fn cancels_bookings(lang: Lang, n: usize, lines: &[String]) -> String {
    match lang {
        Lang::ZhCn => format!(
            "这项调整会取消 {n} 个已有预约，请勾选确认后再保存：{}",
            lines.join("；")
        ),
        Lang::En => format!(
            "This change would cancel {n} booking(s). Tick the confirmation box and save again: {}",
            lines.join("; ")
        ),
    }
}

/// Closing a day that has `n` bookings (listed) needs confirming.
pub fn closing_cancels(lang: Lang, n: usize, lines: &[String]) -> String {
    match lang {
        Lang::ZhCn => format!(
            "这一天已有 {n} 个预约，请勾选确认后再关闭（预约人会收到通知）：{}",
            lines.join("；")
        ),
        Lang::En => format!(
            "This day has {n} booking(s). Tick the confirmation box to close it (their holders are told): {}",
            lines.join("; ")
        ),
    }
}

/// A date and time in a list: `3月7日 09:00` / `7 Mar 09:00`.
pub fn moment_short(lang: Lang, at: chrono::NaiveDateTime) -> String {
    match lang {
        Lang::ZhCn => at.format("%-m月%-d日 %H:%M").to_string(),
        Lang::En => at.format("%-d %b %H:%M").to_string(),
    }
}

/// Seats left, as a day or time button shows it: `余 3` / `3 left`.
/// `s` in brackets as the language writes them: full-width in Chinese, ` (…)` in English.
pub fn in_brackets(lang: Lang, s: &str) -> String {
    match lang {
        Lang::ZhCn => format!("（{s}）"),
        Lang::En => format!(" ({s})"),
    }
}

pub fn seats_left_short(lang: Lang, n: u32) -> String {
    match lang {
        Lang::ZhCn => format!("{} {n}", text(lang, Msg::SeatsLeftShort)),
        Lang::En => format!("{n} {}", text(lang, Msg::SeatsLeftShort)),
    }
}

/// The staff queue in one sentence, for the page's live region.
pub fn queue_summary(lang: Lang, waiting: usize, active: usize) -> String {
    match lang {
        Lang::ZhCn => format!("队列已更新：等候 {waiting} 人，正在办理 {active} 人"),
        Lang::En => format!("Queue updated: {waiting} waiting, {active} at the desks",),
    }
}

pub fn workroom_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::ZhCn => format!("{n} 个居村工作室"),
        Lang::En if n == 1 => "1 workroom".to_string(),
        Lang::En => format!("{n} workrooms"),
    }
}

pub fn results_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::ZhCn => format!("找到 {n} 个网点"),
        Lang::En if n == 1 => "1 place found".to_string(),
        Lang::En => format!("{n} places found"),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn brackets_follow_the_language() {
        assert_eq!(super::in_brackets(Lang::ZhCn, "张律师"), "（张律师）");
        assert_eq!(super::in_brackets(Lang::En, "Ms Zhang"), " (Ms Zhang)");
    }

    use super::*;

    #[test]
    fn sessions_read_naturally_in_both_languages() {
        let s = WeeklySession::parse("mon-fri 09:00-11:30 30min x2").unwrap();
        assert_eq!(session_text(Lang::ZhCn, &s), "周一至周五 09:00–11:30");
        assert_eq!(session_text(Lang::En, &s), "Mon–Fri 09:00–11:30");
        let s = WeeklySession::parse("tue,fri 13:30-16:30 60min x1 youth").unwrap();
        assert_eq!(
            session_text(Lang::ZhCn, &s),
            "周二、周五 13:30–16:30（仅限青少年）"
        );
        let s = WeeklySession::parse("mon,tue 09:00-10:00 30min x1").unwrap();
        assert_eq!(session_text(Lang::ZhCn, &s), "周一、周二 09:00–10:00");
    }

    #[test]
    fn days_and_slots_have_full_spoken_labels() {
        use chrono::{NaiveDate, NaiveTime};
        let d = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
        assert_eq!(
            day_label(Lang::ZhCn, d, 5),
            "3月3日 星期二，还可预约 5 个号"
        );
        assert_eq!(day_label(Lang::ZhCn, d, 0), "3月3日 星期二，已约满");
        assert_eq!(day_label(Lang::En, d, 1), "Tuesday 3 March, 1 place left");
        let start = d.and_hms_opt(9, 0, 0).unwrap();
        let end = NaiveTime::from_hms_opt(9, 30, 0).unwrap();
        assert_eq!(
            slot_label(Lang::ZhCn, start, end, 1),
            "3月3日 星期二 09:00 至 09:30，剩余 1 个号"
        );
        assert_eq!(
            slot_label(Lang::En, start, end, 0),
            "Tuesday 3 March, 09:00 to 09:30, fully booked"
        );
    }

    #[test]
    fn elderly_wording_is_plainer_in_both_languages() {
        let cjk = |c: char| {
            ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3000}'..='\u{303f}').contains(&c)
        };
        let mut plainer = 0;
        for &m in Msg::ALL {
            let Some((zh, en)) = elder_text(m) else {
                continue;
            };
            plainer += 1;
            assert_ne!(zh, text(Lang::ZhCn, m), "{m:?} is not reworded");
            assert_ne!(en, text(Lang::En, m), "{m:?} is not reworded");
            assert!(
                !en.chars().any(cjk),
                "{m:?}: English text has Chinese in it"
            );
            // short sentences: at most 30 characters in Chinese, 16 words in English
            for sentence in zh.split(['。', '！', '？']).filter(|s| !s.is_empty()) {
                assert!(sentence.chars().count() <= 30, "{m:?}: {sentence}");
            }
            for sentence in en
                .split(['.', '!', '?', ';'])
                .filter(|s| !s.trim().is_empty())
            {
                assert!(
                    sentence.split_whitespace().count() <= 16,
                    "{m:?}: {sentence}"
                );
            }
        }
        assert!(
            plainer >= 10,
            "only {plainer} messages have plainer wording"
        );
    }

    #[test]
    fn every_topic_has_an_english_name() {
        for service in ServiceCode::ALL {
            for (code, zh) in domain::booking::topics(service) {
                let en = topic_name(Lang::En, service, code);
                assert_ne!(&en, zh, "{service:?} {code}");
                assert!(en.is_ascii(), "{service:?} {code}: {en}");
                assert_eq!(topic_name(Lang::ZhCn, service, code), *zh);
            }
        }
    }

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

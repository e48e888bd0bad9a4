//! The plainer wording of elderly-friendly mode (长辈模式), in both languages.

use super::Msg;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{text, Lang};

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
}

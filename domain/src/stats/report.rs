//! The report paragraph, in the style of the district's self-assessment report.

use super::{wan_yuan_text, Figures, Period, RatingFigures, Scope};
use crate::mediation::{Fen, Referral};
use crate::Location;

/// Who the report speaks of, in the report's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSubject {
    /// "各级人民调解委员会" / "大宁路司法所及所辖居村人民调解委员会".
    pub committees_zh: String,
    /// "全区各司法所和居村法律服务工作室" / "大宁路司法所及所辖居村法律服务工作室".
    pub places_zh: String,
    pub committees_en: String,
    pub places_en: String,
}

impl ReportSubject {
    pub fn of(scope: Scope, place: Option<&Location>) -> ReportSubject {
        match (scope, place) {
            (Scope::Place(_), Some(p)) if p.office_id.is_none() => ReportSubject {
                committees_zh: format!("{}及所辖居村人民调解委员会", p.name),
                places_zh: format!("{}及所辖居村法律服务工作室", p.name),
                committees_en: format!(
                    "the mediation committees of {} and its neighbourhoods",
                    p.name
                ),
                places_en: format!("{} and its neighbourhood workrooms", p.name),
            },
            (Scope::Place(_), Some(p)) => ReportSubject {
                committees_zh: format!("{}人民调解委员会", p.name),
                places_zh: p.name.clone(),
                committees_en: format!("the mediation committee of {}", p.name),
                places_en: p.name.clone(),
            },
            _ => ReportSubject {
                committees_zh: "各级人民调解委员会".into(),
                places_zh: "全区各司法所和居村法律服务工作室".into(),
                committees_en: "the district's mediation committees at every level".into(),
                places_en: "the district's judicial offices and neighbourhood workrooms".into(),
            },
        }
    }
}

/// The statistical paragraphs of a self-assessment report, in the source report's style:
/// "1-9月，各级人民调解委员会共受理纠纷9448件，成功化解9207件，成功率为97.45%，制作书面协议书
/// 3240份". Every number comes from `f`.
pub fn report_zh(period: &Period, subject: &ReportSubject, f: &Figures) -> Vec<String> {
    let m = &f.mediation;
    let mut mediation = format!(
        "{}，{}共受理纠纷{}件，成功化解{}件，",
        period.label_zh(),
        subject.committees_zh,
        m.accepted,
        m.settled
    );
    if let Some(rate) = &m.success_rate.percent {
        mediation.push_str(&format!("成功率为{rate}，"));
    }
    mediation.push_str(&format!(
        "制作书面协议书{}份，达成口头协议{}件",
        m.written_agreements, m.oral_agreements
    ));
    if m.amount_fen > 0 {
        mediation.push_str(&format!(
            "，书面协议涉及金额{}万元",
            wan_yuan_text(Fen(m.amount_fen))
        ));
    }
    if m.open > 0 {
        mediation.push_str(&format!("；尚在调解{}件", m.open));
    }
    mediation.push('。');
    let channels: Vec<String> = m
        .referrals
        .iter()
        .filter(|r| r.count > 0)
        .map(|r| format!("通过“{}”转交{}件", referral_mechanism_zh(r.key), r.count))
        .collect();
    if !channels.is_empty() {
        mediation.push_str(&format!("{}。", channels.join("，")));
    }
    if m.ip_accepted > 0 {
        mediation.push_str(&format!(
            "各知识产权调解工作室共受理知识产权纠纷{}件，调解成功{}件。",
            m.ip_accepted, m.ip_settled
        ));
    }

    let mut services = format!("{}，{}", period.label_zh(), subject.places_zh);
    let parts: Vec<String> = f
        .bookings
        .iter()
        .filter(|b| b.attended + b.walk_ins > 0)
        .map(|b| {
            format!(
                "{}{}人次（其中预约{}人次、现场{}人次）",
                b.service.name(crate::Lang::ZhCn),
                b.attended + b.walk_ins,
                b.attended,
                b.walk_ins
            )
        })
        .collect();
    if parts.is_empty() {
        services.push_str("暂无接待记录。");
    } else {
        services.push_str(&format!("共接待{}", parts.join("，")));
        let y = &f.psychology_youth_share;
        if let Some(share) = &y.percent {
            services.push_str(&format!(
                "；心理咨询中青少年{}人次，占{}",
                y.numerator, share
            ));
        }
        services.push('。');
        if let Some(rate) = &f.no_show_rate.percent {
            services.push_str(&format!(
                "预约后未到{}人次，爽约率为{}。",
                f.no_show_rate.numerator, rate
            ));
        }
    }
    let w = &f.waitlist;
    if w.joined + w.offered > 0 {
        services.push_str(&format!("候补登记{}人次", w.joined));
        if let Some(rate) = &w.taken_rate.percent {
            services.push_str(&format!(
                "，空出的号源通知候补{}次，其中确认预约{}次（占{rate}）、逾期未确认{}次",
                w.offered, w.taken, w.expired
            ));
        }
        services.push('。');
    }
    services.push_str(&ratings_zh(&f.ratings));
    vec![mediation, services]
}

/// The ratings' sentence (none without ratings): "收到群众评价120次，满意率95.83%（满意115次／
/// 评价120次）；差评回访5件，按期办结4件。"
fn ratings_zh(r: &RatingFigures) -> String {
    let Some(rate) = &r.satisfaction_rate.percent else {
        return String::new();
    };
    let mut s = format!(
        "收到群众评价{}次，满意率{rate}（满意{}次／评价{}次）",
        r.total, r.good, r.total
    );
    if r.follow_ups() == 0 {
        s.push_str("，无差评");
    } else {
        s.push_str(&format!(
            "；差评回访{}件，按期办结{}件",
            r.follow_ups(),
            r.closed_on_time
        ));
        if r.overdue > 0 {
            s.push_str(&format!("，超期未办结{}件", r.overdue));
        }
    }
    s.push('。');
    s
}

fn ratings_en(r: &RatingFigures) -> String {
    let Some(rate) = &r.satisfaction_rate.percent else {
        return String::new();
    };
    let mut s = format!(
        " Residents rated the services {} times, a satisfaction rate of {rate} ({} satisfied of {} ratings)",
        r.total, r.good, r.total
    );
    if r.follow_ups() == 0 {
        s.push_str(", none of them poor");
    } else {
        s.push_str(&format!(
            "; {} poor ratings were followed up, {} closed on time",
            r.follow_ups(),
            r.closed_on_time
        ));
        if r.overdue > 0 {
            s.push_str(&format!(" and {} overdue", r.overdue));
        }
    }
    s.push('.');
    s
}

/// The same paragraphs in English.
pub fn report_en(period: &Period, subject: &ReportSubject, f: &Figures) -> Vec<String> {
    let m = &f.mediation;
    let mut mediation = format!(
        "In {}, {} accepted {} disputes and settled {}",
        period.label_en(),
        subject.committees_en,
        m.accepted,
        m.settled
    );
    if let Some(rate) = &m.success_rate.percent {
        mediation.push_str(&format!(", a success rate of {rate}"));
    }
    mediation.push_str(&format!(
        ", with {} written and {} oral agreements",
        m.written_agreements, m.oral_agreements
    ));
    if m.amount_fen > 0 {
        mediation.push_str(&format!(
            "; the written agreements involve ¥{} ten-thousand",
            wan_yuan_text(Fen(m.amount_fen))
        ));
    }
    if m.open > 0 {
        mediation.push_str(&format!("; {} are still being mediated", m.open));
    }
    mediation.push('.');
    for r in m.referrals.iter().filter(|r| r.count > 0) {
        mediation.push_str(&format!(
            " {} referred through {}.",
            r.count,
            referral_mechanism_en(r.key)
        ));
    }
    if m.ip_accepted > 0 {
        mediation.push_str(&format!(
            " The intellectual-property mediation rooms accepted {} disputes and settled {}.",
            m.ip_accepted, m.ip_settled
        ));
    }
    let mut services = format!("In {}, {}", period.label_en(), subject.places_en);
    let parts: Vec<String> = f
        .bookings
        .iter()
        .filter(|b| b.attended + b.walk_ins > 0)
        .map(|b| {
            format!(
                "{} {} times ({} booked, {} walk-in)",
                b.service.name_in_sentence(crate::Lang::En),
                b.attended + b.walk_ins,
                b.attended,
                b.walk_ins
            )
        })
        .collect();
    if parts.is_empty() {
        services.push_str(" served nobody.");
    } else {
        services.push_str(&format!(" served residents for {}", parts.join(", ")));
        let y = &f.psychology_youth_share;
        if let Some(share) = &y.percent {
            services.push_str(&format!(
                "; young people took {} psychology sessions ({share})",
                y.numerator
            ));
        }
        services.push('.');
        if let Some(rate) = &f.no_show_rate.percent {
            services.push_str(&format!(
                " {} booked residents did not come, a no-show rate of {rate}.",
                f.no_show_rate.numerator
            ));
        }
    }
    let w = &f.waitlist;
    if w.joined + w.offered > 0 {
        services.push_str(&format!(" {} joined a waiting list", w.joined));
        if let Some(rate) = &w.taken_rate.percent {
            services.push_str(&format!(
                "; freed seats were offered to waiting residents {} times, {} taken ({rate}) and {} left to expire",
                w.offered, w.taken, w.expired
            ));
        }
        services.push('.');
    }
    services.push_str(&ratings_en(&f.ratings));
    vec![mediation, services]
}

/// The report's names of the referral mechanisms.
pub const fn referral_mechanism_zh(r: Referral) -> &'static str {
    match r {
        Referral::Court => "诉调对接",
        Referral::PoliceLawFirm => "三所联动",
        Referral::Procuratorate => "检调联动",
        Referral::Department => "访调联动",
    }
}

pub const fn referral_mechanism_en(r: Referral) -> &'static str {
    match r {
        Referral::Court => "court–mediation linkage",
        Referral::PoliceLawFirm => "police station and law firm linkage",
        Referral::Procuratorate => "procuratorate–mediation linkage",
        Referral::Department => "petition–mediation linkage",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mediation::DisputeType;
    use crate::stats::fixtures::{hand_made, period};
    use crate::stats::{Conclusion, Tally};

    #[test]
    fn the_report_paragraph_reads_like_the_source_report() {
        let mut t = Tally::default();
        t.add_cases(
            DisputeType::Neighbour,
            Some(Conclusion::WrittenAgreement),
            3240,
            0,
        );
        t.add_cases(
            DisputeType::Family,
            Some(Conclusion::OralAgreement),
            9207 - 3240,
            0,
        );
        t.add_cases(
            DisputeType::Family,
            Some(Conclusion::Failed),
            9448 - 9207,
            0,
        );
        let f = Figures::of(&t);
        let p = report_zh(
            &period("2026-01-01", "2026-09-30"),
            &ReportSubject::of(Scope::District, None),
            &f,
        );
        assert_eq!(
            p[0],
            "2026年1-9月，各级人民调解委员会共受理纠纷9448件，成功化解9207件，成功率为97.45%，制作书面协议书3240份，达成口头协议5967件。"
        );
        assert_eq!(
            p[1],
            "2026年1-9月，全区各司法所和居村法律服务工作室暂无接待记录。"
        );

        let f = Figures::of(&hand_made());
        let p = report_zh(
            &period("2026-03-01", "2026-03-31"),
            &ReportSubject::of(Scope::District, None),
            &f,
        );
        assert_eq!(
            p[0],
            "2026年3月，各级人民调解委员会共受理纠纷8件，成功化解4件，成功率为50.00%，制作书面协议书3份，达成口头协议1件，书面协议涉及金额1.50万元；尚在调解1件。通过“诉调对接”转交1件。各知识产权调解工作室共受理知识产权纠纷2件，调解成功1件。"
        );
        assert_eq!(
            p[1],
            "2026年3月，全区各司法所和居村法律服务工作室共接待法律咨询10人次（其中预约6人次、现场4人次），心理咨询3人次（其中预约3人次、现场0人次）；心理咨询中青少年1人次，占33.33%。预约后未到2人次，爽约率为18.18%。"
        );
        let en = report_en(
            &period("2026-03-01", "2026-03-31"),
            &ReportSubject::of(Scope::District, None),
            &f,
        );
        assert!(en[0].starts_with("In March 2026, the district's mediation committees at every level accepted 8 disputes and settled 4, a success rate of 50.00%"), "{}", en[0]);
        assert!(!p[1].contains("候补") && !en[1].contains("waiting list"));
    }

    #[test]
    fn the_waiting_list_has_one_sentence_when_anyone_waited() {
        use crate::waitlist::WaitlistTally;
        let subject = ReportSubject::of(Scope::District, None);
        let march = period("2026-03-01", "2026-03-31");
        let mut t = hand_made();
        t.add_waitlist(
            crate::ServiceCode::LegalConsultation,
            &WaitlistTally {
                joined: 5,
                offered: 3,
                taken: 1,
                expired: 1,
            },
        );
        let f = Figures::of(&t);
        let zh = report_zh(&march, &subject, &f);
        assert!(
            zh[1].ends_with("爽约率为18.18%。候补登记5人次，空出的号源通知候补3次，其中确认预约1次（占33.33%）、逾期未确认1次。"),
            "{}",
            zh[1]
        );
        let en = report_en(&march, &subject, &f);
        assert!(
            en[1].ends_with("a no-show rate of 18.18%. 5 joined a waiting list; freed seats were offered to waiting residents 3 times, 1 taken (33.33%) and 1 left to expire."),
            "{}",
            en[1]
        );
        // joined but nothing offered yet, and nobody served: the sentence without the offers
        let mut t = Tally::default();
        t.add_waitlist(
            crate::ServiceCode::Notary,
            &WaitlistTally {
                joined: 2,
                ..WaitlistTally::default()
            },
        );
        let f = Figures::of(&t);
        assert_eq!(
            report_zh(&march, &subject, &f)[1],
            "2026年3月，全区各司法所和居村法律服务工作室暂无接待记录。候补登记2人次。"
        );
        assert_eq!(
            report_en(&march, &subject, &f)[1],
            "In March 2026, the district's judicial offices and neighbourhood workrooms served nobody. 2 joined a waiting list."
        );
    }

    #[test]
    fn ratings_have_one_sentence_when_anyone_rated() {
        use crate::stats::fixtures::rated;
        let subject = ReportSubject::of(Scope::District, None);
        let march = period("2026-03-01", "2026-03-31");
        let mut t = hand_made();
        // 12 ratings, 10 good; the 2 poor ones' follow-ups: 1 closed on time, 1 overdue
        t.add_ratings(
            crate::ServiceCode::LegalConsultation,
            &rated([5, 3, 1, 1, 0], [1, 1, 0, 0, 0, 0], [1, 0, 0, 0]),
        );
        t.add_ratings(
            crate::ServiceCode::Mediation,
            &rated([1, 0, 0, 0, 1], [0, 0, 0, 1, 0, 0], [0, 0, 0, 1]),
        );
        let f = Figures::of(&t);
        let zh = report_zh(&march, &subject, &f);
        assert!(
            zh[1].ends_with("爽约率为18.18%。收到群众评价12次，满意率83.33%（满意10次／评价12次）；差评回访2件，按期办结1件，超期未办结1件。"),
            "{}",
            zh[1]
        );
        let en = report_en(&march, &subject, &f);
        assert!(
            en[1].ends_with("a no-show rate of 18.18%. Residents rated the services 12 times, a satisfaction rate of 83.33% (10 satisfied of 12 ratings); 2 poor ratings were followed up, 1 closed on time and 1 overdue."),
            "{}",
            en[1]
        );
        // only good ones, nobody served (mediation cases rated): no follow-ups to speak of
        let mut t = Tally::default();
        t.add_ratings(
            crate::ServiceCode::Mediation,
            &rated([2, 1, 0, 0, 0], [0; 6], [0; 4]),
        );
        let f = Figures::of(&t);
        assert_eq!(
            report_zh(&march, &subject, &f)[1],
            "2026年3月，全区各司法所和居村法律服务工作室暂无接待记录。收到群众评价3次，满意率100.00%（满意3次／评价3次），无差评。"
        );
        assert_eq!(
            report_en(&march, &subject, &f)[1],
            "In March 2026, the district's judicial offices and neighbourhood workrooms served nobody. Residents rated the services 3 times, a satisfaction rate of 100.00% (3 satisfied of 3 ratings), none of them poor."
        );
        // no ratings, no sentence
        let plain = report_zh(&march, &subject, &Figures::of(&hand_made()));
        assert!(!plain[1].contains("评价"), "{}", plain[1]);
    }
}

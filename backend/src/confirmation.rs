//! What a resident takes home from a booking: a QR code of the booking code (SVG) and a
//! calendar file (.ics). Neither names the service when it is confidential (psychology).

use crate::store::BookingRecord;
use domain::{BookingCode, Lang, Location, ServiceCode};
use icalendar::{Calendar, Component, Event, EventLike};

/// What calendars, confirmations and the booking page call the booking, in `lang`. A
/// psychology session is called a plain "public legal service booking", so a shared calendar
/// or a glance at the phone reveals nothing. Text messages and calendar files are Chinese.
pub fn public_title(service: ServiceCode, lang: Lang) -> &'static str {
    match (lang, service) {
        (Lang::ZhCn, ServiceCode::LegalConsultation) => "法律咨询预约",
        (Lang::ZhCn, ServiceCode::AdminReconsideration) => "行政复议咨询预约",
        (Lang::ZhCn, ServiceCode::Notary) => "公证咨询预约",
        (Lang::ZhCn, ServiceCode::IpMediation) => "知识产权纠纷调解预约",
        (Lang::ZhCn, ServiceCode::Psychology | ServiceCode::Mediation) => "公共法律服务预约",
        (Lang::En, ServiceCode::LegalConsultation) => "Legal consultation booking",
        (Lang::En, ServiceCode::AdminReconsideration) => {
            "Administrative reconsideration advice booking"
        }
        (Lang::En, ServiceCode::Notary) => "Notary advice booking",
        (Lang::En, ServiceCode::IpMediation) => "IP dispute mediation booking",
        (Lang::En, ServiceCode::Psychology | ServiceCode::Mediation) => {
            "Public legal service booking"
        }
    }
}

/// The booking code as a QR code, drawn by the `qrcode` library. It encodes the code only,
/// never personal data: staff scan it to check the resident in.
pub fn qr_svg(code: &BookingCode) -> String {
    qr_svg_of(code.as_str())
}

/// Any text (a link to the portal, say) as a QR code; empty if it is too long for one.
pub fn qr_svg_of(text: &str) -> String {
    qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .map(|qr| {
            qr.render::<qrcode::render::svg::Color>()
                .min_dimensions(160, 160)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default()
}

/// An iCalendar file with one event for the booking.
pub fn ics(booking: &BookingRecord, place: &Location) -> String {
    let code = BookingCode::parse(&booking.code)
        .map(|c| c.to_string())
        .unwrap_or_else(|_| booking.code.clone());
    let title = public_title(booking.service, Lang::ZhCn);
    let event = Event::new()
        .uid(&format!("{}@portal", booking.code))
        .summary(&format!("{title}（{}）", place.name))
        .description(&format!(
            "预约码：{code}\n请提前 10 分钟到达，出示预约码或二维码。如需取消或改约，请在网站“我的预约”中操作。"
        ))
        .location(&format!("{} {}", place.name, place.address))
        .starts(booking.start)
        .ends(booking.end)
        .done();
    Calendar::new().name(title).push(event).done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use domain::{BookingState, LocationId, LocationKind};

    fn place() -> Location {
        Location {
            id: LocationId(3),
            kind: LocationKind::Office,
            office_id: None,
            name: "江宁路街道司法所".into(),
            area: "江宁路街道".into(),
            neighbourhood: String::new(),
            address: "康定路1058号".into(),
            phone: None,
            services: vec![],
        }
    }

    fn booking(service: ServiceCode) -> BookingRecord {
        BookingRecord {
            id: 1,
            code: "K7M2P9XQ4R".into(),
            location_id: LocationId(3),
            service,
            start: Utc.with_ymd_and_hms(2026, 3, 3, 5, 30, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 3, 3, 6, 30, 0).unwrap(),
            state: BookingState::Booked,
            name: "王小明".into(),
            phone: "13812345678".into(),
            topic: "emotion".into(),
            account: Some("最近睡不好".into()),
            youth: false,
            created_at: Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap(),
        }
    }

    #[test]
    fn calendar_file_has_the_time_place_and_code_in_utc() {
        let text = ics(&booking(ServiceCode::LegalConsultation), &place());
        assert!(text.starts_with("BEGIN:VCALENDAR"));
        assert!(text.contains("DTSTART:20260303T053000Z"), "{text}");
        assert!(text.contains("DTEND:20260303T063000Z"));
        assert!(text.contains("K7M2P-9XQ4R"));
        assert!(text.contains("康定路1058号"));
        assert!(text.contains("法律咨询预约"));
    }

    #[test]
    fn psychology_is_never_named_and_personal_data_stays_out() {
        let text = ics(&booking(ServiceCode::Psychology), &place());
        for secret in [
            "心理",
            "psycholog",
            "emotion",
            "睡不好",
            "13812345678",
            "王小明",
        ] {
            assert!(
                !text.to_lowercase().contains(&secret.to_lowercase()),
                "calendar file reveals {secret}"
            );
        }
        for lang in [Lang::ZhCn, Lang::En] {
            let title = public_title(ServiceCode::Psychology, lang).to_lowercase();
            assert!(!title.contains("心理") && !title.contains("psycholog"));
        }
    }

    #[test]
    fn every_public_title_is_in_both_languages_and_starts_with_the_service_name() {
        for service in ServiceCode::ALL {
            assert!(public_title(service, Lang::En).is_ascii(), "{service}");
            assert!(!public_title(service, Lang::ZhCn).is_ascii(), "{service}");
            if !matches!(service, ServiceCode::Psychology | ServiceCode::Mediation) {
                for lang in [Lang::ZhCn, Lang::En] {
                    assert!(public_title(service, lang).starts_with(service.name(lang)));
                }
            }
        }
    }

    #[test]
    fn qr_code_is_an_svg_of_the_code() {
        let svg = qr_svg(&BookingCode::parse("K7M2P9XQ4R").unwrap());
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
        assert!(svg.len() > 500, "a real QR drawing, not an empty image");
    }
}

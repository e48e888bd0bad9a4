//! Agreements and deadlines: the written agreement's number, and when an open case is late.

use super::CaseState;
use chrono::{DateTime, Datelike, FixedOffset};

/// The number of a written agreement, per committee and year: `（2026）大宁路调字第0012号`.
pub fn agreement_number(committee: &str, year: i32, seq: u32) -> String {
    format!("（{year}）{committee}调字第{seq:04}号")
}

/// The committee that signs a place's agreements: `大宁路司法所` → `大宁路`, a workroom keeps
/// its neighbourhood's name.
pub fn committee_short_name(place_name: &str) -> &str {
    place_name
        .strip_suffix("司法所")
        .or_else(|| place_name.strip_suffix("法律服务工作室"))
        .unwrap_or(place_name)
}

/// The year an agreement is numbered in (Asia/Shanghai).
pub fn agreement_year(at: DateTime<FixedOffset>) -> i32 {
    crate::slots::to_local(&at).year()
}

/// Days a case may stay open from its submission before it is flagged (人民调解法: mediation
/// should normally end within 30 days; deployments may set their own).
pub const DEFAULT_DEADLINE_DAYS: i64 = 30;

/// An open case past its deadline. Closed cases are never overdue.
pub fn is_overdue(
    state: CaseState,
    submitted_at: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
    deadline_days: i64,
) -> bool {
    !state.is_closed() && now - submitted_at > chrono::Duration::days(deadline_days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreements_are_numbered_per_committee_and_year() {
        assert_eq!(
            agreement_number(committee_short_name("大宁路司法所"), 2026, 12),
            "（2026）大宁路调字第0012号"
        );
        let late = DateTime::parse_from_rfc3339("2026-12-31T17:00:00Z").unwrap();
        assert_eq!(agreement_year(late), 2027, "already 1 January in Shanghai");
    }

    #[test]
    fn overdue_is_for_open_cases_past_the_deadline() {
        let t0 = DateTime::parse_from_rfc3339("2026-11-01T09:00:00+08:00").unwrap();
        let later = t0 + chrono::Duration::days(31);
        assert!(is_overdue(CaseState::PartyInvited, t0, later, 30));
        assert!(!is_overdue(
            CaseState::PartyInvited,
            t0,
            t0 + chrono::Duration::days(29),
            30
        ));
        assert!(!is_overdue(CaseState::Settled, t0, later, 30));
    }
}

//! Scope and who may see it: the district or one place, and which accounts see statistics.

use crate::booking::FieldError;
use crate::staff::{Action, Role, StaffAccount};
use crate::{Location, LocationId};
use serde::{Deserialize, Serialize};

/// What a dashboard adds up: the whole district, or one place (an office with its
/// workrooms, or a single workroom).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "location_id")]
pub enum Scope {
    District,
    Place(LocationId),
}

impl Scope {
    /// `district` or a place id, as in `?scope=`.
    pub fn parse(text: &str) -> Result<Scope, FieldError> {
        let text = text.trim();
        if text == "district" {
            return Ok(Scope::District);
        }
        text.parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(|id| Scope::Place(LocationId(id)))
            .ok_or_else(|| {
                FieldError::new(
                    "scope",
                    "范围应为 district 或网点编号",
                    "The scope must be “district” or the number of a place",
                )
            })
    }

    pub fn key(&self) -> String {
        match self {
            Scope::District => "district".into(),
            Scope::Place(id) => id.0.to_string(),
        }
    }
}

/// Whether `account` may see statistics of `scope`; `place` is the scope's place (`None` for
/// the district). District admins and auditors see everything; an office head their office
/// and its workrooms; nobody else sees statistics.
pub fn may_see_stats(account: &StaffAccount, place: Option<&Location>) -> bool {
    account.may(Action::ViewStatistics, place)
}

/// Where an account's statistics open: the district for district-wide roles, an office
/// head's office; `None` for roles that see no statistics.
pub fn home_scope(account: &StaffAccount) -> Option<Scope> {
    if may_see_stats(account, None) {
        Some(Scope::District)
    } else if account.role == Role::OfficeHead {
        account.place.map(Scope::Place)
    } else {
        None
    }
}

/// Whether `place` is part of `scope`'s sum (`place.office_id` links a workroom to its
/// office).
pub fn scope_includes(scope: Scope, place: &Location) -> bool {
    match scope {
        Scope::District => true,
        Scope::Place(id) => place.id == id || place.office_id == Some(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::fixtures::{d, period};
    use crate::stats::Period;

    #[test]
    fn statistics_open_where_the_account_may_look() {
        let account = |role, place: Option<i64>| StaffAccount {
            id: 1,
            username: "x".into(),
            display_name: "x".into(),
            role,
            place: place.map(LocationId),
        };
        assert_eq!(
            home_scope(&account(Role::DistrictAdmin, None)),
            Some(Scope::District)
        );
        assert_eq!(
            home_scope(&account(Role::Auditor, None)),
            Some(Scope::District)
        );
        assert_eq!(
            home_scope(&account(Role::OfficeHead, Some(3))),
            Some(Scope::Place(LocationId(3)))
        );
        for role in [Role::OfficeClerk, Role::WorkroomClerk, Role::Counsellor] {
            assert_eq!(home_scope(&account(role, Some(3))), None, "{role:?}");
        }
        assert_eq!(
            Period::year_to_date(d("2026-12-07")),
            period("2026-01-01", "2026-12-07")
        );
        assert_eq!(
            Period::last_month(d("2026-12-07")),
            period("2026-11-01", "2026-11-30")
        );
        assert_eq!(
            Period::last_month(d("2026-01-31")),
            period("2025-12-01", "2025-12-31")
        );
        assert_eq!(
            Period::last_year(d("2026-12-07")),
            period("2025-01-01", "2025-12-31")
        );
        assert_eq!(
            Period::usual(d("2026-01-01")),
            [
                period("2026-01-01", "2026-01-01"),
                period("2025-12-01", "2025-12-31"),
                period("2025-01-01", "2025-12-31"),
            ]
        );
    }

    #[test]
    fn scopes_are_read_and_named() {
        assert_eq!(Scope::parse("district").unwrap(), Scope::District);
        assert_eq!(Scope::parse("12").unwrap(), Scope::Place(LocationId(12)));
        for bad in ["", "0", "-3", "all", "1.5"] {
            assert_eq!(Scope::parse(bad).unwrap_err().field, "scope", "{bad}");
        }
    }
}

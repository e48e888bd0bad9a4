//! The case code: what a resident keeps to follow a case.

use crate::booking::FieldError;
use crate::BookingCode;
use rand_core::RngCore;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The code a resident keeps to follow a case: the booking code's shape and alphabet.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseCode(BookingCode);

impl CaseCode {
    pub fn generate(rng: &mut impl RngCore) -> Self {
        CaseCode(BookingCode::generate(rng))
    }
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        BookingCode::parse_named(text, "案件编号", "case code").map(CaseCode)
    }
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for CaseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for CaseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CaseCode({})", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_codes_read_like_booking_codes_but_say_case() {
        let e = CaseCode::parse("ABC").unwrap_err();
        assert!(e.message.starts_with("案件编号"));
        let c = CaseCode::parse("7k3qx-9mpa2").unwrap();
        assert_eq!(c.as_str(), "7K3QX9MPA2");
        assert_eq!(c.to_string(), "7K3QX-9MPA2");
    }
}

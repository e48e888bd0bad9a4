//! Amounts of money, in fen, as written agreements name them.

use crate::booking::FieldError;
use serde::{Deserialize, Serialize};

/// An amount of money in fen (分), as agreements record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

/// The largest amount an agreement may name: ¥1,000,000,000.00 (keeps sums far from overflow).
pub const MAX_AMOUNT_FEN: i64 = 100_000_000_000;

impl Fen {
    /// Reads `12345`, `12,345.6`, `¥12345.67`, full-width digits; at most two decimals.
    pub fn parse_yuan(text: &str) -> Result<Self, FieldError> {
        const FIELD: &str = "amount";
        let bad = || {
            FieldError::new(
                FIELD,
                "涉及金额请填写数字（元），最多两位小数，例如 12000.50",
                "Enter the amount in yuan as a number with at most two decimal places, for \
                 example 12000.50",
            )
        };
        let s: String = text
            .chars()
            .map(|c| match c {
                '\u{FF10}'..='\u{FF19}' | '\u{FF0E}' => {
                    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                }
                _ => c,
            })
            .filter(|c| !matches!(c, ',' | '，' | ' ' | '¥' | '￥'))
            .collect();
        let s = s.strip_suffix('元').unwrap_or(&s);
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        if whole.is_empty()
            || whole.len() > 12
            || frac.len() > 2
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let yuan: i64 = whole.parse().map_err(|_| bad())?;
        let fen: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let total = yuan * 100 + fen;
        if total > MAX_AMOUNT_FEN {
            return Err(FieldError::new(
                FIELD,
                "涉及金额超出范围，请核对",
                AMOUNT_OUT_OF_RANGE_EN,
            ));
        }
        Ok(Fen(total))
    }

    /// `12,000.50`.
    pub fn yuan_text(self) -> String {
        let (yuan, fen) = (self.0 / 100, self.0 % 100);
        let digits = yuan.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("{grouped}.{fen:02}")
    }
}

pub(super) const AMOUNT_OUT_OF_RANGE_EN: &str =
    "The amount is outside the allowed range; please check it";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_yuan() {
        assert_eq!(Fen::parse_yuan("12000").unwrap(), Fen(1_200_000));
        assert_eq!(Fen::parse_yuan("¥12,000.5").unwrap(), Fen(1_200_050));
        assert_eq!(Fen::parse_yuan("１２.０５元").unwrap(), Fen(1205));
        assert_eq!(Fen::parse_yuan("0").unwrap(), Fen(0));
        for bad in ["", "-5", "1.234", "abc", "1e5", ".5", "10000000001"] {
            assert_eq!(Fen::parse_yuan(bad).unwrap_err().field, "amount", "{bad}");
        }
        assert_eq!(Fen(1_021_050_000).yuan_text(), "10,210,500.00");
        assert_eq!(Fen(5).yuan_text(), "0.05");
    }
}

//! A place-month's tallies day by day, stored beside its monthly roll-up, so that a period
//! that starts or ends mid-month adds up the days it covers instead of counting rows.

use super::Tally;
use chrono::{Datelike, NaiveDate};

/// One place's tallies of the days of one month (days without activity left out), ascending.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DailyTallies {
    days: Vec<(NaiveDate, Tally)>,
}

impl DailyTallies {
    /// The days' tallies, in any order, each day at most once; empty ones are dropped.
    pub fn new(days: impl IntoIterator<Item = (NaiveDate, Tally)>) -> DailyTallies {
        let mut days: Vec<_> = days.into_iter().filter(|(_, t)| !t.is_empty()).collect();
        days.sort_by_key(|(d, _)| *d);
        DailyTallies { days }
    }

    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    pub fn days(&self) -> &[(NaiveDate, Tally)] {
        &self.days
    }

    /// The whole month: what its monthly roll-up holds.
    pub fn total(&self) -> Tally {
        let mut t = Tally::default();
        for (_, d) in &self.days {
            t.merge(d);
        }
        t
    }

    /// The sum of the days `first..=last` (days of the month): what
    /// [`DailyTallies::sum_stored`] gives from the stored form.
    pub fn sum(&self, first: u32, last: u32) -> Tally {
        let mut t = Tally::default();
        for (d, tally) in &self.days {
            if (first..=last).contains(&d.day()) {
                t.merge(tally);
            }
        }
        t
    }

    /// The stored form: postcard of `(day of month, that day's Tally::to_bytes)` pairs, so
    /// that reading a few days decodes only those ([`DailyTallies::sum_stored`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let encoded: Vec<(u8, Vec<u8>)> = self
            .days
            .iter()
            .map(|(d, t)| (d.day() as u8, t.to_bytes()))
            .collect();
        let borrowed: Vec<(u8, &[u8])> = encoded.iter().map(|(d, b)| (*d, &b[..])).collect();
        postcard::to_allocvec(&borrowed).expect("daily tallies always encode")
    }

    /// The sum of the stored days `first..=last` (days of the month), decoding only those.
    pub fn sum_stored(bytes: &[u8], first: u32, last: u32) -> Result<Tally, postcard::Error> {
        let days: Vec<(u8, &[u8])> = postcard::from_bytes(bytes)?;
        let mut t = Tally::default();
        for (day, tally) in days {
            if (first..=last).contains(&u32::from(day)) {
                t.merge(&Tally::from_bytes(tally)?);
            }
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::fixtures::hand_made;
    use crate::{BookingState, ServiceCode};

    #[test]
    fn days_add_up_to_the_month_and_any_stretch_of_it() {
        let date = |d| NaiveDate::from_ymd_opt(2025, 3, d).unwrap();
        let mut small = Tally::default();
        small.add_bookings(ServiceCode::Notary, BookingState::Done, 2, 0, 1);
        small.wait.add_seconds(95);
        let days = DailyTallies::new([
            (date(31), small.clone()),
            (date(2), hand_made()),
            (date(9), Tally::default()),
            (date(15), small.clone()),
        ]);
        assert_eq!(days.days().len(), 3, "the empty day is left out");
        let bytes = days.to_bytes();
        let mut all = hand_made();
        all.merge(&small);
        all.merge(&small);
        assert_eq!(days.total(), all);
        assert_eq!(DailyTallies::sum_stored(&bytes, 1, 31).unwrap(), all);
        assert_eq!(DailyTallies::sum_stored(&bytes, 3, 30).unwrap(), small);
        assert_eq!(
            DailyTallies::sum_stored(&bytes, 16, 30).unwrap(),
            Tally::default()
        );
        let mut two = small.clone();
        two.merge(&small);
        assert_eq!(DailyTallies::sum_stored(&bytes, 15, 31).unwrap(), two);
        // in memory, the same sums as from the stored form
        for (first, last) in [(1, 31), (3, 30), (16, 30), (15, 31), (2, 2)] {
            assert_eq!(
                days.sum(first, last),
                DailyTallies::sum_stored(&bytes, first, last).unwrap(),
                "{first}..={last}"
            );
        }
        assert!(DailyTallies::sum_stored(b"\x05", 1, 31).is_err());
        assert_eq!(
            DailyTallies::sum_stored(&DailyTallies::default().to_bytes(), 1, 31).unwrap(),
            Tally::default()
        );
    }
}

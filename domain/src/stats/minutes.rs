//! The minutes histogram: durations that add up across places and months.

use serde::{Deserialize, Serialize};

/// Durations in whole minutes (rounded to the nearest), plus the exact sum in seconds: the
/// average is exact and the 90th percentile exact to the minute, and histograms of places and
/// months add up without keeping every visit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Minutes {
    /// `(minutes, how many)`, ascending by minutes.
    pub counts: Vec<(u32, u64)>,
    pub total_seconds: i64,
    pub n: u64,
}

impl Minutes {
    /// Adds `n` durations that round to `minutes` and together last `seconds`.
    pub fn add(&mut self, minutes: u32, n: u64, seconds: i64) {
        if n == 0 {
            return;
        }
        match self.counts.binary_search_by_key(&minutes, |(m, _)| *m) {
            Ok(i) => self.counts[i].1 += n,
            Err(i) => self.counts.insert(i, (minutes, n)),
        }
        self.total_seconds += seconds;
        self.n += n;
    }

    /// Adds one duration in seconds (negative ones, from clock skew, count as zero).
    pub fn add_seconds(&mut self, seconds: i64) {
        let seconds = seconds.max(0);
        self.add(minutes_of(seconds), 1, seconds);
    }

    pub fn merge(&mut self, other: &Minutes) {
        // Both ascending: one walk through the two rather than a search per minute (a
        // year's dashboard merges thousands of these). `i` only moves forward.
        let mut i = 0;
        for &(m, n) in &other.counts {
            while self.counts.get(i).is_some_and(|(k, _)| *k < m) {
                i += 1;
            }
            match self.counts.get_mut(i) {
                Some((k, c)) if *k == m => *c += n,
                _ => self.counts.insert(i, (m, n)),
            }
            i += 1;
        }
        self.total_seconds += other.total_seconds;
        self.n += other.n;
    }

    /// Mean in minutes, one decimal; `None` without data.
    pub fn mean_minutes(&self) -> Option<f64> {
        (self.n > 0)
            .then(|| (self.total_seconds as f64 / 60.0 / self.n as f64 * 10.0).round() / 10.0)
    }

    /// Nearest-rank percentile (`p` in 1..=100) in whole minutes; `None` without data.
    pub fn percentile(&self, p: u32) -> Option<u32> {
        if self.n == 0 {
            return None;
        }
        // rank = ceil(p/100 · n), at least 1
        let rank = ((u128::from(self.n) * u128::from(p)).div_ceil(100)).max(1) as u64;
        let mut seen = 0;
        for (m, n) in &self.counts {
            seen += n;
            if seen >= rank {
                return Some(*m);
            }
        }
        self.counts.last().map(|(m, _)| *m)
    }
}

/// Whole minutes, rounded half up, of a duration in seconds.
pub fn minutes_of(seconds: i64) -> u32 {
    u32::try_from((seconds.max(0) + 30) / 60).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_give_exact_means_and_nearest_rank_percentiles() {
        let mut m = Minutes::default();
        assert_eq!((m.mean_minutes(), m.percentile(90)), (None, None));
        for minutes in 1..=10 {
            m.add_seconds(minutes * 60);
        }
        assert_eq!(m.mean_minutes(), Some(5.5));
        assert_eq!(m.percentile(90), Some(9));
        assert_eq!(m.percentile(50), Some(5));
        assert_eq!(m.percentile(100), Some(10));
        m.add_seconds(89); // 1.48 min → 1
        m.add_seconds(90); // 1.5 min → 2
        m.add_seconds(-5); // skew → 0
        assert_eq!(m.counts[..3], [(0, 1), (1, 2), (2, 2)]);
        // merging halves gives the histogram of the whole
        let (mut a, mut b, mut all) = (Minutes::default(), Minutes::default(), Minutes::default());
        for s in [30, 400, 95, 1200, 61, 3599] {
            all.add_seconds(s);
            if s % 2 == 0 {
                a.add_seconds(s)
            } else {
                b.add_seconds(s)
            }
        }
        a.merge(&b);
        assert_eq!(a, all);
    }

    #[test]
    fn merging_equals_adding_every_duration_to_one_histogram() {
        // minutes before, between, equal to and after the other side's, and empty sides
        let sides: [&[i64]; 6] = [
            &[],
            &[600],
            &[0, 60, 60, 1800],
            &[120, 600, 3600, 7200],
            &[30, 59, 61, 600, 601, 9000],
            &[7200, 7260],
        ];
        for a_side in sides {
            for b_side in sides {
                let (mut a, mut b, mut all) =
                    (Minutes::default(), Minutes::default(), Minutes::default());
                for &s in a_side {
                    a.add_seconds(s);
                    all.add_seconds(s);
                }
                for &s in b_side {
                    b.add_seconds(s);
                    all.add_seconds(s);
                }
                a.merge(&b);
                assert_eq!(a, all, "{a_side:?} + {b_side:?}");
            }
        }
    }
}

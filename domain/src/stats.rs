//! Service statistics: what is counted, how counts add up across places and months, the
//! figures a dashboard shows (rates always with numerator and denominator) and the report
//! paragraphs in the style of the district's self-assessment report.
//!
//! The storage layer only groups rows and hands the groups to a [`Tally`]; every decision
//! about what a figure means is made here, so the roll-ups, the raw queries, the API, the
//! exports and the report paragraph cannot disagree.

use crate::booking::FieldError;
use crate::mediation::{CaseState, DisputeType, Ending, Fen, Referral};
use crate::queue::QueueState;
use crate::staff::{Action, Role, StaffAccount};
use crate::{BookingState, Location, LocationId, ServiceCode};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

// ---- period -------------------------------------------------------------------------------

/// The longest period a dashboard covers (ten years): keeps raw fall-backs bounded.
pub const MAX_PERIOD_DAYS: i64 = 3660;

/// A range of Shanghai dates, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A calendar month, `YYYY-MM` in storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a month's first day exists")
    }
    pub fn last_day(self) -> NaiveDate {
        self.first_day() + Months::new(1) - chrono::Days::new(1)
    }
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
    pub fn parse_key(key: &str) -> Option<Month> {
        let (y, m) = key.split_once('-')?;
        let month = Month {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
        };
        NaiveDate::from_ymd_opt(month.year, month.month, 1).map(|_| month)
    }
    pub fn period(self) -> Period {
        Period {
            from: self.first_day(),
            to: self.last_day(),
        }
    }
}

impl Period {
    /// Reads `from` and `to` (`YYYY-MM-DD`, both included); errors name the field.
    pub fn parse(from: &str, to: &str) -> Result<Period, FieldError> {
        let date = |field: &'static str, text: &str| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .ok()
                .filter(|d| (1970..=2999).contains(&d.year()))
                .ok_or_else(|| {
                    FieldError::new(
                        field,
                        "请填写日期，格式为 年-月-日，例如 2026-01-01",
                        "Enter the date as year-month-day, for example 2026-01-01",
                    )
                })
        };
        let from = date("from", from)?;
        let to = date("to", to)?;
        if to < from {
            return Err(FieldError::new(
                "to",
                "结束日期不能早于开始日期",
                "The “To” date cannot be earlier than the “From” date",
            ));
        }
        let period = Period { from, to };
        if period.days() > MAX_PERIOD_DAYS {
            return Err(FieldError::new(
                "to",
                "统计期间最长十年",
                "The period can be at most ten years long; please choose a shorter one",
            ));
        }
        Ok(period)
    }

    /// From 1 January to `today`: what a statistics page shows first.
    pub fn year_to_date(today: NaiveDate) -> Period {
        Period {
            from: Month {
                year: today.year(),
                month: 1,
            }
            .first_day(),
            to: today,
        }
    }

    /// The whole calendar month before `today`'s.
    pub fn last_month(today: NaiveDate) -> Period {
        Month::of(Month::of(today).first_day() - chrono::Days::new(1)).period()
    }

    /// The whole calendar year before `today`'s.
    pub fn last_year(today: NaiveDate) -> Period {
        Period {
            from: Month {
                year: today.year() - 1,
                month: 1,
            }
            .first_day(),
            to: Month {
                year: today.year() - 1,
                month: 12,
            }
            .last_day(),
        }
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// Whether the period is whole calendar months (from the 1st to a month's last day).
    pub fn is_whole_months(&self) -> bool {
        self.from.day() == 1 && Month::of(self.to).last_day() == self.to
    }

    /// The period just before, of the same length: the same number of whole months for a
    /// period of whole months (Jan–Sep → Apr–Dec of the year before), else the same number
    /// of days.
    pub fn previous(&self) -> Period {
        if self.is_whole_months() {
            let months = (self.to.year() - self.from.year()) * 12 + self.to.month() as i32
                - self.from.month() as i32
                + 1;
            let from = self.from - Months::new(months as u32);
            Period {
                from,
                to: self.from - chrono::Days::new(1),
            }
        } else {
            let to = self.from - chrono::Days::new(1);
            Period {
                from: to - chrono::Days::new(self.days() as u64 - 1),
                to,
            }
        }
    }

    /// Splits the period into the calendar months it covers whole (answered from monthly
    /// roll-ups) and at most two partial stretches at its ends (answered from the raw rows).
    pub fn split(&self) -> (Vec<Month>, Vec<Period>) {
        let mut whole = Vec::new();
        let mut partial = Vec::new();
        let mut month = Month::of(self.from);
        loop {
            let m = month.period();
            let from = m.from.max(self.from);
            let to = m.to.min(self.to);
            if from == m.from && to == m.to {
                whole.push(month);
            } else {
                partial.push(Period { from, to });
            }
            if m.to >= self.to {
                break;
            }
            month = Month::of(m.to + chrono::Days::new(1));
        }
        (whole, partial)
    }

    /// "2026年1-9月", "2026年", "2026年3月", "2026年3月15日至9月14日".
    pub fn label_zh(&self) -> String {
        let (f, t) = (self.from, self.to);
        if self.is_whole_months() {
            if f.year() == t.year() {
                if f.month() == 1 && t.month() == 12 {
                    return format!("{}年", f.year());
                }
                if f.month() == t.month() {
                    return format!("{}年{}月", f.year(), f.month());
                }
                return format!("{}年{}-{}月", f.year(), f.month(), t.month());
            }
            return format!(
                "{}年{}月至{}年{}月",
                f.year(),
                f.month(),
                t.year(),
                t.month()
            );
        }
        if f == t {
            return format!("{}年{}月{}日", f.year(), f.month(), f.day());
        }
        if f.year() == t.year() {
            format!(
                "{}年{}月{}日至{}月{}日",
                f.year(),
                f.month(),
                f.day(),
                t.month(),
                t.day()
            )
        } else {
            format!(
                "{}年{}月{}日至{}年{}月{}日",
                f.year(),
                f.month(),
                f.day(),
                t.year(),
                t.month(),
                t.day()
            )
        }
    }

    /// "January–September 2026", "2026", "15 March – 14 September 2026".
    pub fn label_en(&self) -> String {
        let (f, t) = (self.from, self.to);
        let month = |d: NaiveDate| d.format("%B").to_string();
        if self.is_whole_months() && f.year() == t.year() {
            if f.month() == 1 && t.month() == 12 {
                return f.year().to_string();
            }
            if f.month() == t.month() {
                return format!("{} {}", month(f), f.year());
            }
            return format!("{}–{} {}", month(f), month(t), f.year());
        }
        if f == t {
            return f.format("%-d %B %Y").to_string();
        }
        format!("{} – {}", f.format("%-d %B %Y"), t.format("%-d %B %Y"))
    }
}

// ---- scope and who may see it ----------------------------------------------------------

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

// ---- minutes histogram -------------------------------------------------------------------

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
        for (m, n) in &other.counts {
            match self.counts.binary_search_by_key(m, |(k, _)| *k) {
                Ok(i) => self.counts[i].1 += n,
                Err(i) => self.counts.insert(i, (*m, *n)),
            }
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

// ---- the tally: raw counts of one place over some dates -----------------------------------

/// Bookings of one service in one state (by the date of their slot).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingCell {
    pub service: ServiceCode,
    pub state: BookingState,
    pub n: u64,
    /// Of these, booked for a young person (psychology's youth day).
    pub youth: u64,
    /// Of these, moved to another slot at least once.
    pub rescheduled: u64,
}

/// Mediation cases of one kind, for adding up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseCell {
    pub dispute: DisputeType,
    /// `None` while the case is open.
    pub outcome: Option<Conclusion>,
    pub n: u64,
    /// Sum of the amounts named in written agreements.
    pub amount_fen: i64,
}

/// How an accepted case ended, as statistics distinguish it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Conclusion {
    WrittenAgreement,
    OralAgreement,
    Failed,
    /// The other party would not take part.
    NotMediated,
    Referred(Referral),
}

impl Conclusion {
    /// How an accepted case counts, from how it ended (`None` while open). A refusal is not
    /// the end of an accepted case, so it is `None` too.
    pub fn of(ending: Option<Ending>, referral: Option<Referral>) -> Option<Conclusion> {
        Some(match ending? {
            Ending::WrittenAgreement => Conclusion::WrittenAgreement,
            Ending::OralAgreement => Conclusion::OralAgreement,
            Ending::Failed => Conclusion::Failed,
            Ending::NotMediated => Conclusion::NotMediated,
            Ending::Referred => Conclusion::Referred(referral.unwrap_or(Referral::Department)),
            Ending::Refused => return None,
        })
    }
    /// Sort order: open cases first, then as listed here.
    fn rank(self) -> usize {
        match self {
            Conclusion::WrittenAgreement => 1,
            Conclusion::OralAgreement => 2,
            Conclusion::Failed => 3,
            Conclusion::NotMediated => 4,
            Conclusion::Referred(r) => 5 + r as usize,
        }
    }
    pub fn settled(self) -> bool {
        matches!(
            self,
            Conclusion::WrittenAgreement | Conclusion::OralAgreement
        )
    }
}

/// Everything counted at one place over some dates. Tallies of places and of months add up
/// with [`Tally::merge`]; figures are derived from a tally only at the end ([`Figures::of`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub bookings: Vec<BookingCell>,
    /// People who came without a booking (not counting those handed over from another desk).
    pub walk_ins: Vec<(ServiceCode, u64)>,
    /// Handed over to another service or place (访调联动 分流) from this place's queue.
    pub transferred: u64,
    /// Queue entries finished as served.
    pub served: u64,
    /// Check-in (or arrival) to being called.
    pub wait: Minutes,
    /// Being served to finished.
    pub service_time: Minutes,
    /// Mediation requests received (by the date they were sent), and of them refused.
    pub requests: u64,
    pub refused: u64,
    /// Cases accepted (by the date of acceptance), by type and how they ended.
    pub cases: Vec<CaseCell>,
}

impl Tally {
    pub fn is_empty(&self) -> bool {
        *self == Tally::default()
    }

    /// The stored form of a roll-up: postcard, a compact binary encoding about a quarter of
    /// the size of JSON and far quicker to read back, which is what a year's dashboard spends
    /// its time on.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("a tally always encodes")
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Tally, postcard::Error> {
        postcard::from_bytes(bytes)
    }

    pub fn add_bookings(
        &mut self,
        service: ServiceCode,
        state: BookingState,
        n: u64,
        youth: u64,
        rescheduled: u64,
    ) {
        if n == 0 {
            return;
        }
        match self
            .bookings
            .iter_mut()
            .find(|c| c.service == service && c.state == state)
        {
            Some(c) => {
                c.n += n;
                c.youth += youth;
                c.rescheduled += rescheduled;
            }
            None => {
                self.bookings.push(BookingCell {
                    service,
                    state,
                    n,
                    youth,
                    rescheduled,
                });
                self.bookings.sort_by_key(|c| {
                    (
                        c.service.rank(),
                        BookingState::ALL.iter().position(|s| *s == c.state),
                    )
                });
            }
        }
    }

    pub fn add_walk_ins(&mut self, service: ServiceCode, n: u64) {
        if n == 0 {
            return;
        }
        match self.walk_ins.iter_mut().find(|(s, _)| *s == service) {
            Some((_, c)) => *c += n,
            None => {
                self.walk_ins.push((service, n));
                self.walk_ins.sort_by_key(|(s, _)| s.rank());
            }
        }
    }

    /// People who arrived at a desk of `service` and are now in `state`. A walk-in is someone
    /// who neither booked nor was handed over from another desk; a finished visit counts as
    /// served; a hand-over counts where it left.
    pub fn add_arrivals(
        &mut self,
        service: ServiceCode,
        booked: bool,
        handed_over: bool,
        state: QueueState,
        n: u64,
    ) {
        if !booked && !handed_over {
            self.add_walk_ins(service, n);
        }
        match state {
            QueueState::Done => self.served += n,
            QueueState::Transferred => self.transferred += n,
            _ => {}
        }
    }

    /// Waits from arrival to being called (everyone called counts, whatever came next):
    /// `n` waits of `minutes` (as [`minutes_of`] rounds) lasting `seconds` together.
    pub fn add_waits(&mut self, minutes: u32, n: u64, seconds: i64) {
        self.wait.add(minutes, n, seconds);
    }

    /// Times from being served to finished, of visits now in `state`: only a finished
    /// service counts (a person handed over or undone mid-service has no service time).
    pub fn add_service_times(&mut self, state: QueueState, minutes: u32, n: u64, seconds: i64) {
        if state == QueueState::Done {
            self.service_time.add(minutes, n, seconds);
        }
    }

    /// Mediation requests sent, now in `state`; refused ones are counted apart.
    pub fn add_requests(&mut self, state: CaseState, n: u64) {
        self.requests += n;
        if state == CaseState::Refused {
            self.refused += n;
        }
    }

    pub fn add_cases(
        &mut self,
        dispute: DisputeType,
        outcome: Option<Conclusion>,
        n: u64,
        amount_fen: i64,
    ) {
        if n == 0 {
            return;
        }
        match self
            .cases
            .iter_mut()
            .find(|c| c.dispute == dispute && c.outcome == outcome)
        {
            Some(c) => {
                c.n += n;
                c.amount_fen += amount_fen;
            }
            None => {
                self.cases.push(CaseCell {
                    dispute,
                    outcome,
                    n,
                    amount_fen,
                });
                self.cases.sort_by_key(|c| {
                    (
                        DisputeType::ALL.iter().position(|d| *d == c.dispute),
                        c.outcome.map_or(0, Conclusion::rank),
                    )
                });
            }
        }
    }

    pub fn merge(&mut self, other: &Tally) {
        for c in &other.bookings {
            self.add_bookings(c.service, c.state, c.n, c.youth, c.rescheduled);
        }
        for (s, n) in &other.walk_ins {
            self.add_walk_ins(*s, *n);
        }
        self.transferred += other.transferred;
        self.served += other.served;
        self.wait.merge(&other.wait);
        self.service_time.merge(&other.service_time);
        self.requests += other.requests;
        self.refused += other.refused;
        for c in &other.cases {
            self.add_cases(c.dispute, c.outcome, c.n, c.amount_fen);
        }
    }
}

// ---- figures: what a dashboard, the API and the exports show --------------------------------

/// A rate with what it is made of: reports always show both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ratio {
    pub numerator: u64,
    pub denominator: u64,
    /// Two decimals, e.g. `97.45%`; `None` when the denominator is zero.
    pub percent: Option<String>,
}

impl Ratio {
    pub fn new(numerator: u64, denominator: u64) -> Ratio {
        Ratio {
            numerator,
            denominator,
            percent: percent_text(numerator, denominator),
        }
    }
    /// Basis points (1/100 of a percent), rounded half up.
    pub fn basis_points(&self) -> Option<u64> {
        basis_points(self.numerator, self.denominator)
    }
}

fn basis_points(num: u64, den: u64) -> Option<u64> {
    (den > 0).then(|| {
        let (num, den) = (u128::from(num), u128::from(den));
        ((num * 20_000 + den) / (2 * den)) as u64
    })
}

/// `97.45%` from 9207 of 9448.
pub fn percent_text(num: u64, den: u64) -> Option<String> {
    basis_points(num, den).map(|bp| format!("{}.{:02}%", bp / 100, bp % 100))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceBookings {
    pub service: ServiceCode,
    /// Every booking whose slot falls in the period, in any state.
    pub total: u64,
    pub booked: u64,
    pub cancelled: u64,
    /// Came (checked in, called, being served or done).
    pub attended: u64,
    pub done: u64,
    pub no_show: u64,
    /// Moved to another slot at least once (counted once, at the slot they now hold).
    pub rescheduled: u64,
    pub walk_ins: u64,
}

impl ServiceBookings {
    /// A service nobody came for.
    pub fn none(service: ServiceCode) -> ServiceBookings {
        ServiceBookings {
            service,
            total: 0,
            booked: 0,
            cancelled: 0,
            attended: 0,
            done: 0,
            no_show: 0,
            rescheduled: 0,
            walk_ins: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// How many visits were timed.
    pub count: u64,
    pub average_minutes: Option<f64>,
    pub p90_minutes: Option<u32>,
}

impl Timing {
    fn of(m: &Minutes) -> Timing {
        Timing {
            count: m.n,
            average_minutes: m.mean_minutes(),
            p90_minutes: m.percentile(90),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count<K> {
    pub key: K,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediationFigures {
    /// Requests received in the period, and of them refused.
    pub requests: u64,
    pub refused: u64,
    /// Accepted in the period (受理).
    pub accepted: u64,
    /// Of those, settled (成功化解) with a written or an oral agreement.
    pub settled: u64,
    pub written_agreements: u64,
    pub oral_agreements: u64,
    pub failed: u64,
    pub not_mediated: u64,
    pub referred: u64,
    /// Still being mediated.
    pub open: u64,
    /// settled / accepted, as the report counts it.
    pub success_rate: Ratio,
    /// Sum named in the written agreements (涉及金额).
    pub amount_fen: i64,
    pub referrals: Vec<Count<Referral>>,
    pub ip_accepted: u64,
    pub ip_settled: u64,
    pub by_type: Vec<Count<DisputeType>>,
}

/// The figures of one scope over one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub bookings: Vec<ServiceBookings>,
    pub bookings_total: u64,
    pub cancelled: u64,
    pub rescheduled: u64,
    pub walk_ins: u64,
    /// People served at a desk (booked and walk-in).
    pub served: u64,
    pub transferred: u64,
    /// Not come / (come + not come), over bookings whose outcome is known.
    pub no_show_rate: Ratio,
    pub wait: Timing,
    pub service_time: Timing,
    /// Young people among the psychology sessions held (booked ones that were attended).
    pub psychology_youth_share: Ratio,
    pub mediation: MediationFigures,
}

impl Figures {
    pub fn of(t: &Tally) -> Figures {
        let mut bookings: Vec<ServiceBookings> = Vec::new();
        let mut services: Vec<ServiceCode> = t
            .bookings
            .iter()
            .map(|c| c.service)
            .chain(t.walk_ins.iter().map(|(s, _)| *s))
            .collect();
        services.sort_by_key(|s| s.rank());
        services.dedup();
        for service in services {
            let cells = t.bookings.iter().filter(|c| c.service == service);
            let mut b = ServiceBookings::none(service);
            b.walk_ins = t
                .walk_ins
                .iter()
                .filter(|(s, _)| *s == service)
                .map(|(_, n)| n)
                .sum();
            for c in cells {
                b.total += c.n;
                b.rescheduled += c.rescheduled;
                if c.state.came() {
                    b.attended += c.n;
                }
                match c.state {
                    BookingState::Booked => b.booked += c.n,
                    BookingState::Cancelled => b.cancelled += c.n,
                    BookingState::NoShow => b.no_show += c.n,
                    BookingState::Done => b.done += c.n,
                    BookingState::CheckedIn | BookingState::Called | BookingState::Serving => {}
                }
            }
            bookings.push(b);
        }
        let sum = |f: fn(&ServiceBookings) -> u64| bookings.iter().map(f).sum::<u64>();
        let (attended, no_show) = (sum(|b| b.attended), sum(|b| b.no_show));
        let psychology_attended: Vec<&BookingCell> = t
            .bookings
            .iter()
            .filter(|c| c.service == ServiceCode::Psychology && c.state.came())
            .collect();
        Figures {
            bookings_total: sum(|b| b.total),
            cancelled: sum(|b| b.cancelled),
            rescheduled: sum(|b| b.rescheduled),
            walk_ins: sum(|b| b.walk_ins),
            served: t.served,
            transferred: t.transferred,
            no_show_rate: Ratio::new(no_show, attended + no_show),
            wait: Timing::of(&t.wait),
            service_time: Timing::of(&t.service_time),
            psychology_youth_share: Ratio::new(
                psychology_attended.iter().map(|c| c.youth).sum(),
                psychology_attended.iter().map(|c| c.n).sum(),
            ),
            mediation: MediationFigures::of(t),
            bookings,
        }
    }

    /// The bookings figures of one service (zeros when it had none).
    pub fn service(&self, service: ServiceCode) -> ServiceBookings {
        self.bookings
            .iter()
            .find(|b| b.service == service)
            .cloned()
            .unwrap_or_else(|| ServiceBookings::none(service))
    }
}

impl MediationFigures {
    fn of(t: &Tally) -> MediationFigures {
        let count = |keep: &dyn Fn(&CaseCell) -> bool| -> u64 {
            t.cases.iter().filter(|c| keep(c)).map(|c| c.n).sum()
        };
        let is = |o: Conclusion| move |c: &CaseCell| c.outcome == Some(o);
        let accepted = count(&|_| true);
        let settled = count(&|c| c.outcome.is_some_and(Conclusion::settled));
        let referrals: Vec<Count<Referral>> = Referral::ALL
            .into_iter()
            .map(|r| Count {
                key: r,
                count: count(&is(Conclusion::Referred(r))),
            })
            .collect();
        MediationFigures {
            requests: t.requests,
            refused: t.refused,
            accepted,
            settled,
            written_agreements: count(&is(Conclusion::WrittenAgreement)),
            oral_agreements: count(&is(Conclusion::OralAgreement)),
            failed: count(&is(Conclusion::Failed)),
            not_mediated: count(&is(Conclusion::NotMediated)),
            referred: referrals.iter().map(|r| r.count).sum(),
            open: count(&|c| c.outcome.is_none()),
            success_rate: Ratio::new(settled, accepted),
            amount_fen: t
                .cases
                .iter()
                .filter(|c| c.outcome == Some(Conclusion::WrittenAgreement))
                .map(|c| c.amount_fen)
                .sum(),
            referrals,
            ip_accepted: count(&|c| c.dispute == DisputeType::Ip),
            ip_settled: count(&|c| {
                c.dispute == DisputeType::Ip && c.outcome.is_some_and(Conclusion::settled)
            }),
            by_type: DisputeType::ALL
                .into_iter()
                .map(|d| Count {
                    key: d,
                    count: count(&|c| c.dispute == d),
                })
                .collect(),
        }
    }

    pub fn referrals_via(&self, channel: Referral) -> u64 {
        self.referrals
            .iter()
            .find(|r| r.key == channel)
            .map_or(0, |r| r.count)
    }
}

/// Change against the previous period, e.g. `+12.50%` or `-3.00%`; `None` when there was
/// nothing before to compare with.
pub fn change_text(now: u64, before: u64) -> Option<String> {
    if before == 0 {
        return None;
    }
    let sign = if now >= before { '+' } else { '-' };
    percent_text(now.abs_diff(before), before).map(|p| format!("{sign}{p}"))
}

/// `1021.05` (万元, two decimals, half up) from an amount in fen.
pub fn wan_yuan_text(amount: Fen) -> String {
    let hundreds_of_yuan = (amount.0.max(0) + 5_000) / 10_000; // 0.01 万元 = 100 元 = 10,000 fen
    format!("{}.{:02}", hundreds_of_yuan / 100, hundreds_of_yuan % 100)
}

// ---- the dashboard ----------------------------------------------------------------------

/// One line of a drill-down table: an office with its workrooms (district view), or one place
/// (office view).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceRow {
    pub location_id: LocationId,
    pub name: String,
    pub figures: Figures,
}

/// One month of the period (partial at the ends), for the trend chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthRow {
    /// `YYYY-MM`
    pub month: String,
    pub figures: Figures,
}

/// Everything a statistics page, the API and the exports show for a scope and a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub scope: Scope,
    pub scope_name: String,
    /// The office a workroom belongs to (for the way back up).
    pub parent: Option<(LocationId, String)>,
    pub period: Period,
    pub previous_period: Period,
    pub figures: Figures,
    pub previous: Figures,
    pub rows: Vec<PlaceRow>,
    pub months: Vec<MonthRow>,
    pub report_zh: Vec<String>,
    pub report_en: Vec<String>,
}

impl Dashboard {
    /// Adds up `current` (per month and place) for `scope`: the scope's total, its drill-down
    /// rows and its months; `previous` is the previous period's counts. `places` is the whole
    /// directory, in the order pages list it.
    pub fn build(
        scope: Scope,
        period: Period,
        places: &[Location],
        current: &[(Month, LocationId, Tally)],
        previous: &[(Month, LocationId, Tally)],
    ) -> Dashboard {
        let index: std::collections::HashMap<LocationId, &Location> =
            places.iter().map(|p| (p.id, p)).collect();
        let place = |id: LocationId| index.get(&id).copied();
        let in_scope = |id: LocationId| place(id).is_some_and(|p| scope_includes(scope, p));
        let scope_place = match scope {
            Scope::District => None,
            Scope::Place(id) => place(id),
        };
        // The drill-down row a place adds to: in the district, its office's; in an office,
        // its own; a workroom has no rows. A place heads a row when it is its own row.
        let row_of = |p: &Location| -> Option<LocationId> {
            match (scope, scope_place) {
                (Scope::District, _) => Some(p.office_id.unwrap_or(p.id)),
                (Scope::Place(_), Some(sp)) if sp.office_id.is_none() && in_scope(p.id) => {
                    Some(p.id)
                }
                _ => None,
            }
        };
        let mut total = Tally::default();
        let mut months: Vec<(Month, Tally)> = Vec::new();
        let mut rows: Vec<(LocationId, Tally)> = Vec::new();
        for (month, id, tally) in current.iter().filter(|(_, id, _)| in_scope(*id)) {
            total.merge(tally);
            match months.iter_mut().find(|(m, _)| m == month) {
                Some((_, t)) => t.merge(tally),
                None => months.push((*month, tally.clone())),
            }
            if let Some(row) = place(*id).and_then(row_of) {
                match rows.iter_mut().find(|(r, _)| *r == row) {
                    Some((_, t)) => t.merge(tally),
                    None => rows.push((row, tally.clone())),
                }
            }
        }
        let mut before = Tally::default();
        for (_, _, tally) in previous.iter().filter(|(_, id, _)| in_scope(*id)) {
            before.merge(tally);
        }
        // every row of the scope is listed, quiet ones with zeros, in directory order
        let row_places: Vec<&Location> =
            places.iter().filter(|p| row_of(p) == Some(p.id)).collect();
        let rows = row_places
            .into_iter()
            .map(|p| PlaceRow {
                location_id: p.id,
                name: p.name.clone(),
                figures: Figures::of(
                    &rows
                        .iter()
                        .find(|(r, _)| *r == p.id)
                        .map(|(_, t)| t.clone())
                        .unwrap_or_default(),
                ),
            })
            .collect();
        let (whole, partial) = period.split();
        let mut all_months: Vec<Month> = whole;
        all_months.extend(partial.iter().map(|p| Month::of(p.from)));
        all_months.sort();
        let months = all_months
            .into_iter()
            .map(|m| MonthRow {
                month: m.key(),
                figures: Figures::of(
                    &months
                        .iter()
                        .find(|(k, _)| *k == m)
                        .map(|(_, t)| t.clone())
                        .unwrap_or_default(),
                ),
            })
            .collect();
        let figures = Figures::of(&total);
        let subject = ReportSubject::of(scope, scope_place);
        Dashboard {
            scope,
            scope_name: scope_place.map_or_else(|| "全区".to_string(), |p| p.name.clone()),
            parent: scope_place
                .and_then(|p| p.office_id)
                .and_then(place)
                .map(|o| (o.id, o.name.clone())),
            period,
            previous_period: period.previous(),
            report_zh: report_zh(&period, &subject, &figures),
            report_en: report_en(&period, &subject, &figures),
            figures,
            previous: Figures::of(&before),
            rows,
            months,
        }
    }
}

// ---- ledgers: the exports' tables --------------------------------------------------------

/// Which ledger an export lays out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ledger {
    /// 法律服务接待统计台账: per place and service.
    Services,
    /// 人民调解工作统计台账: per place.
    Mediation,
}

impl Ledger {
    pub const ALL: [Ledger; 2] = [Ledger::Services, Ledger::Mediation];
    pub fn parse(text: &str) -> Result<Ledger, FieldError> {
        match text.trim() {
            "" | "services" => Ok(Ledger::Services),
            "mediation" => Ok(Ledger::Mediation),
            _ => Err(FieldError::new(
                "ledger",
                "台账应为 services 或 mediation",
                "The ledger must be “services” or “mediation”",
            )),
        }
    }
    pub const fn code(self) -> &'static str {
        match self {
            Ledger::Services => "services",
            Ledger::Mediation => "mediation",
        }
    }
    pub const fn title_zh(self) -> &'static str {
        match self {
            Ledger::Services => "法律服务接待统计台账",
            Ledger::Mediation => "人民调解工作统计台账",
        }
    }
}

/// A ledger cell: numbers stay numbers in a spreadsheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A decimal shown with the given number of places (minutes, 万元).
    Decimal(f64, u8),
    Empty,
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Decimal(x, places) => format!("{x:.*}", usize::from(*places)),
            Cell::Empty => String::new(),
        }
    }
}

/// A ledger as a table: a title line, the column heads, one row per place (and service),
/// and the total.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub title: String,
    pub heads: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

fn int(n: u64) -> Cell {
    Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn pct(r: &Ratio) -> Cell {
    r.percent.clone().map_or(Cell::Empty, Cell::Text)
}

fn minutes_cell(m: Option<f64>) -> Cell {
    m.map_or(Cell::Empty, |m| Cell::Decimal(m, 1))
}

/// The ledger of a dashboard: its drill-down rows (or the scope alone), then 合计.
pub fn ledger(d: &Dashboard, which: Ledger) -> Table {
    let mut lines: Vec<(String, &Figures)> = d
        .rows
        .iter()
        .map(|r| (r.name.clone(), &r.figures))
        .collect();
    lines.push(("合计".to_string(), &d.figures));
    let title = format!(
        "{}（{}，{}）",
        which.title_zh(),
        d.scope_name,
        d.period.label_zh()
    );
    match which {
        Ledger::Services => {
            let mut rows = Vec::new();
            for (name, f) in &lines {
                for b in &f.bookings {
                    let known = b.attended + b.no_show;
                    rows.push(vec![
                        Cell::Text(name.clone()),
                        Cell::Text(service_name_zh(b.service).into()),
                        int(b.total),
                        int(b.cancelled),
                        int(b.rescheduled),
                        int(b.attended),
                        int(b.no_show),
                        pct(&Ratio::new(b.no_show, known)),
                        int(b.walk_ins),
                        int(b.attended + b.walk_ins),
                    ]);
                }
                rows.push(vec![
                    Cell::Text(name.clone()),
                    Cell::Text("小计".into()),
                    int(f.bookings_total),
                    int(f.cancelled),
                    int(f.rescheduled),
                    int(f.bookings.iter().map(|b| b.attended).sum()),
                    int(f.no_show_rate.numerator),
                    pct(&f.no_show_rate),
                    int(f.walk_ins),
                    int(f.bookings.iter().map(|b| b.attended + b.walk_ins).sum()),
                ]);
                let last = rows.last_mut().expect("just pushed");
                last.extend([
                    minutes_cell(f.wait.average_minutes),
                    f.wait
                        .p90_minutes
                        .map_or(Cell::Empty, |m| Cell::Int(i64::from(m))),
                    minutes_cell(f.service_time.average_minutes),
                    int(f.psychology_youth_share.numerator),
                    pct(&f.psychology_youth_share),
                ]);
            }
            let width = 15;
            for row in &mut rows {
                row.resize(width, Cell::Empty);
            }
            Table {
                title,
                heads: vec![
                    "单位",
                    "服务",
                    "预约(人次)",
                    "取消",
                    "改约",
                    "到场",
                    "未到",
                    "爽约率",
                    "现场(人次)",
                    "接待合计(人次)",
                    "平均等候(分钟)",
                    "90%等候(分钟)",
                    "平均服务(分钟)",
                    "青少年心理咨询(人次)",
                    "青少年占比",
                ],
                rows,
            }
        }
        Ledger::Mediation => Table {
            title,
            heads: vec![
                "单位",
                "收到申请(件)",
                "不予受理",
                "受理纠纷(件)",
                "成功化解(件)",
                "成功率",
                "书面协议(份)",
                "口头协议(件)",
                "涉及金额(万元)",
                "调解不成",
                "对方不同意调解",
                "诉调对接",
                "三所联动",
                "检调联动",
                "访调联动",
                "尚在调解",
                "知识产权受理",
                "知识产权成功",
            ],
            rows: lines
                .iter()
                .map(|(name, f)| {
                    let m = &f.mediation;
                    vec![
                        Cell::Text(name.clone()),
                        int(m.requests),
                        int(m.refused),
                        int(m.accepted),
                        int(m.settled),
                        pct(&m.success_rate),
                        int(m.written_agreements),
                        int(m.oral_agreements),
                        Cell::Decimal(wan_yuan_text(Fen(m.amount_fen)).parse().unwrap_or(0.0), 2),
                        int(m.failed),
                        int(m.not_mediated),
                        int(m.referrals_via(Referral::Court)),
                        int(m.referrals_via(Referral::PoliceLawFirm)),
                        int(m.referrals_via(Referral::Procuratorate)),
                        int(m.referrals_via(Referral::Department)),
                        int(m.open),
                        int(m.ip_accepted),
                        int(m.ip_settled),
                    ]
                })
                .collect(),
        },
    }
}

// ---- the report paragraph --------------------------------------------------------------

/// Who the report speaks of, in the report's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSubject {
    /// "各级人民调解委员会" / "大宁路司法所及所辖居村人民调解委员会".
    pub committees_zh: String,
    /// "各网点" / "大宁路司法所及所辖居村法律服务工作室".
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
                service_name_zh(b.service),
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
    vec![mediation, services]
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
                service_name_en(b.service),
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

pub const fn service_name_zh(s: ServiceCode) -> &'static str {
    match s {
        ServiceCode::LegalConsultation => "法律咨询",
        ServiceCode::Psychology => "心理咨询",
        ServiceCode::Mediation => "人民调解",
        ServiceCode::AdminReconsideration => "行政复议咨询",
        ServiceCode::Notary => "公证咨询",
        ServiceCode::IpMediation => "知识产权纠纷调解",
    }
}

pub const fn service_name_en(s: ServiceCode) -> &'static str {
    match s {
        ServiceCode::LegalConsultation => "legal consultation",
        ServiceCode::Psychology => "psychology",
        ServiceCode::Mediation => "people's mediation",
        ServiceCode::AdminReconsideration => "administrative reconsideration",
        ServiceCode::Notary => "notary consultation",
        ServiceCode::IpMediation => "IP dispute mediation",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mediation::Referral::*;
    use BookingState::*;
    use ServiceCode::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn period(from: &str, to: &str) -> Period {
        Period::parse(from, to).unwrap()
    }

    #[test]
    fn periods_are_read_with_named_errors() {
        assert_eq!(
            Period::parse("2026-13-01", "2026-12-31").unwrap_err().field,
            "from"
        );
        assert_eq!(Period::parse("2026-01-01", "").unwrap_err().field, "to");
        assert_eq!(
            Period::parse("1900-01-01", "1900-01-02").unwrap_err().field,
            "from"
        );
        assert_eq!(
            Period::parse("2026-01-01", "+262143-12-31")
                .unwrap_err()
                .field,
            "to"
        );
        let e = Period::parse("2026-02-01", "2026-01-31").unwrap_err();
        assert_eq!(
            (e.field, e.message.as_str()),
            ("to", "结束日期不能早于开始日期")
        );
        assert_eq!(
            Period::parse("2000-01-01", "2026-01-01").unwrap_err().field,
            "to"
        );
        assert_eq!(period("2026-01-01", "2026-01-01").days(), 1);
    }

    #[test]
    fn the_previous_period_has_the_same_length() {
        // whole months: Jan–Sep → Apr–Dec of the year before; a year → the year before
        assert_eq!(
            period("2026-01-01", "2026-09-30").previous(),
            period("2025-04-01", "2025-12-31")
        );
        assert_eq!(
            period("2026-01-01", "2026-12-31").previous(),
            period("2025-01-01", "2025-12-31")
        );
        assert_eq!(
            period("2026-03-01", "2026-03-31").previous(),
            period("2026-02-01", "2026-02-28")
        );
        // days: ten days → the ten days before
        assert_eq!(
            period("2026-03-05", "2026-03-14").previous(),
            period("2026-02-23", "2026-03-04")
        );
    }

    #[test]
    fn a_period_splits_into_whole_months_and_ragged_ends() {
        let (whole, partial) = period("2026-01-01", "2026-12-31").split();
        assert_eq!(whole.len(), 12);
        assert!(partial.is_empty());
        let (whole, partial) = period("2026-01-15", "2026-04-10").split();
        assert_eq!(
            whole.iter().map(|m| m.key()).collect::<Vec<_>>(),
            ["2026-02", "2026-03"]
        );
        assert_eq!(
            partial,
            [
                period("2026-01-15", "2026-01-31"),
                period("2026-04-01", "2026-04-10")
            ]
        );
        let (whole, partial) = period("2026-05-03", "2026-05-03").split();
        assert!(whole.is_empty());
        assert_eq!(partial, [period("2026-05-03", "2026-05-03")]);
        // every day is in exactly one part
        let p = period("2025-11-20", "2026-02-10");
        let (whole, partial) = p.split();
        let days: i64 = whole.iter().map(|m| m.period().days()).sum::<i64>()
            + partial.iter().map(Period::days).sum::<i64>();
        assert_eq!(days, p.days());
    }

    #[test]
    fn periods_are_named_as_reports_name_them() {
        assert_eq!(period("2026-01-01", "2026-09-30").label_zh(), "2026年1-9月");
        assert_eq!(period("2026-01-01", "2026-12-31").label_zh(), "2026年");
        assert_eq!(period("2026-03-01", "2026-03-31").label_zh(), "2026年3月");
        assert_eq!(
            period("2026-03-15", "2026-09-14").label_zh(),
            "2026年3月15日至9月14日"
        );
        assert_eq!(
            period("2025-12-01", "2026-02-28").label_zh(),
            "2025年12月至2026年2月"
        );
        assert_eq!(
            period("2026-01-01", "2026-09-30").label_en(),
            "January–September 2026"
        );
        assert_eq!(
            Month::parse_key("2026-02").unwrap().last_day(),
            d("2026-02-28")
        );
        assert_eq!(Month::parse_key("2026-13"), None);
    }

    #[test]
    fn rates_keep_two_decimals_rounded_half_up() {
        let r = Ratio::new(9207, 9448);
        assert_eq!(r.percent.as_deref(), Some("97.45%"));
        assert_eq!(r.basis_points(), Some(9745));
        assert_eq!(percent_text(1, 3).as_deref(), Some("33.33%"));
        assert_eq!(percent_text(2, 3).as_deref(), Some("66.67%"));
        assert_eq!(percent_text(1, 8).as_deref(), Some("12.50%"));
        assert_eq!(percent_text(0, 0), None);
        assert_eq!(change_text(110, 100).as_deref(), Some("+10.00%"));
        assert_eq!(change_text(75, 100).as_deref(), Some("-25.00%"));
        assert_eq!(change_text(5, 0), None);
        assert_eq!(wan_yuan_text(Fen(1_021_050_000)), "1021.05");
        assert_eq!(wan_yuan_text(Fen(4_999)), "0.00");
        assert_eq!(wan_yuan_text(Fen(5_000)), "0.01");
    }

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

    /// A small place-day with known answers: two services, cancellations, a rescheduled
    /// booking, no-shows, walk-ins, a youth psychology session and every mediation outcome.
    fn hand_made() -> Tally {
        let mut t = Tally::default();
        t.add_bookings(LegalConsultation, Done, 5, 0, 1);
        t.add_bookings(LegalConsultation, Cancelled, 2, 0, 0);
        t.add_bookings(LegalConsultation, NoShow, 1, 0, 0);
        t.add_bookings(LegalConsultation, Booked, 3, 0, 1);
        t.add_bookings(LegalConsultation, Serving, 1, 0, 0);
        t.add_bookings(Psychology, Done, 3, 1, 0);
        t.add_bookings(Psychology, NoShow, 1, 1, 0);
        t.add_bookings(Psychology, Cancelled, 1, 1, 0);
        // arrivals: 4 walk-ins and 8 booked people served, one handed over from another
        // desk (not a walk-in) still waiting, one booked person handed over from here
        t.add_arrivals(LegalConsultation, false, false, QueueState::Done, 4);
        t.add_arrivals(LegalConsultation, true, false, QueueState::Done, 8);
        t.add_arrivals(LegalConsultation, false, true, QueueState::Waiting, 1);
        t.add_arrivals(LegalConsultation, true, false, QueueState::Transferred, 1);
        for minutes in [2, 4, 6, 8, 10, 12, 14, 16, 18, 40] {
            t.add_waits(minutes, 1, i64::from(minutes) * 60);
        }
        t.add_service_times(QueueState::Done, 20, 1, 20 * 60);
        t.add_service_times(QueueState::Transferred, 90, 1, 90 * 60);
        t.add_requests(CaseState::Submitted, 2);
        t.add_requests(CaseState::Accepted, 6);
        t.add_requests(CaseState::Refused, 1);
        t.add_cases(
            DisputeType::Neighbour,
            Some(Conclusion::WrittenAgreement),
            2,
            1_000_000,
        );
        t.add_cases(DisputeType::Family, Some(Conclusion::OralAgreement), 1, 0);
        t.add_cases(DisputeType::Property, Some(Conclusion::Failed), 1, 0);
        t.add_cases(DisputeType::Family, Some(Conclusion::NotMediated), 1, 0);
        t.add_cases(DisputeType::Labour, Some(Conclusion::Referred(Court)), 1, 0);
        t.add_cases(
            DisputeType::Ip,
            Some(Conclusion::WrittenAgreement),
            1,
            500_050,
        );
        t.add_cases(DisputeType::Ip, None, 1, 0);
        t
    }

    #[test]
    fn every_figure_of_a_hand_made_tally() {
        let f = Figures::of(&hand_made());
        let legal = f.service(LegalConsultation);
        assert_eq!(
            (
                legal.total,
                legal.booked,
                legal.cancelled,
                legal.attended,
                legal.done
            ),
            (12, 3, 2, 6, 5)
        );
        assert_eq!(
            (legal.no_show, legal.rescheduled, legal.walk_ins),
            (1, 2, 4)
        );
        let psy = f.service(Psychology);
        assert_eq!(
            (psy.total, psy.attended, psy.no_show, psy.cancelled),
            (5, 3, 1, 1)
        );
        assert_eq!(f.service(Notary).total, 0);
        assert_eq!((f.bookings_total, f.cancelled, f.rescheduled), (17, 3, 2));
        assert_eq!((f.walk_ins, f.served, f.transferred), (4, 12, 1));
        // no-shows over bookings whose outcome is known: 2 / (9 attended + 2)
        assert_eq!(f.no_show_rate, Ratio::new(2, 11));
        assert_eq!(f.no_show_rate.percent.as_deref(), Some("18.18%"));
        // the youth booking that was cancelled and the one that did not come are not sessions
        assert_eq!(f.psychology_youth_share, Ratio::new(1, 3));
        assert_eq!(f.wait.count, 10);
        assert_eq!(f.wait.average_minutes, Some(13.0));
        assert_eq!(f.wait.p90_minutes, Some(18));
        assert_eq!(f.service_time.p90_minutes, Some(20));
        let m = &f.mediation;
        assert_eq!((m.requests, m.refused, m.accepted, m.settled), (9, 1, 8, 4));
        assert_eq!((m.written_agreements, m.oral_agreements), (3, 1));
        assert_eq!((m.failed, m.not_mediated, m.referred, m.open), (1, 1, 1, 1));
        assert_eq!(m.success_rate, Ratio::new(4, 8));
        assert_eq!(m.amount_fen, 1_500_050);
        assert_eq!(m.referrals_via(Court), 1);
        assert_eq!(m.referrals_via(PoliceLawFirm), 0);
        assert_eq!((m.ip_accepted, m.ip_settled), (2, 1));
        let by = |t| m.by_type.iter().find(|c| c.key == t).unwrap().count;
        assert_eq!(
            (
                by(DisputeType::Neighbour),
                by(DisputeType::Family),
                by(DisputeType::Ip)
            ),
            (2, 2, 2)
        );
        assert_eq!(m.by_type.iter().map(|c| c.count).sum::<u64>(), m.accepted);
    }

    #[test]
    fn tallies_add_up_in_any_order_and_survive_storage() {
        let (a, b) = (hand_made(), {
            let mut t = Tally::default();
            t.add_bookings(Notary, Done, 2, 0, 0);
            t.add_bookings(LegalConsultation, Done, 1, 0, 0);
            t.add_walk_ins(Psychology, 1);
            t.add_cases(
                DisputeType::Neighbour,
                Some(Conclusion::WrittenAgreement),
                1,
                7,
            );
            t.wait.add_seconds(60);
            t
        });
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert_eq!(Figures::of(&ab).bookings_total, 17 + 3);
        assert_eq!(Figures::of(&ab).mediation.amount_fen, 1_500_057);
        assert_eq!(Tally::from_bytes(&ab.to_bytes()).unwrap(), ab);
        assert!(Tally::from_bytes(b"{\"bookings\": []}").is_err());
        assert!(Tally::default().is_empty());
    }

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
    }

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

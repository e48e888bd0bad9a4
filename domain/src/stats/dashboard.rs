//! The dashboard: the figures of a scope over a period, with its drill-down rows and months.

use super::{
    report_en, report_zh, scope_includes, Figures, Month, Period, ReportSubject, Scope, Tally,
};
use crate::{Location, LocationId};
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;

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
    /// directory, in the order pages list it. The tallies may be shared (`Arc<Tally>`): a
    /// year is thousands of them, and the callers keep them in memory.
    pub fn build<T: Borrow<Tally>>(
        scope: Scope,
        period: Period,
        places: &[Location],
        current: &[(Month, LocationId, T)],
        previous: &[(Month, LocationId, T)],
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
        // each tally is added once, to its month and row; those few sums then make the
        // total, the months and the rows (tallies add up in any order)
        let mut cells: std::collections::HashMap<(Month, Option<LocationId>), Tally> =
            std::collections::HashMap::new();
        for (month, id, tally) in current.iter().filter(|(_, id, _)| in_scope(*id)) {
            let row = place(*id).and_then(row_of);
            cells
                .entry((*month, row))
                .or_default()
                .merge(tally.borrow());
        }
        let mut total = Tally::default();
        let mut months: Vec<(Month, Tally)> = Vec::new();
        let mut rows: Vec<(LocationId, Tally)> = Vec::new();
        for ((month, row), tally) in &cells {
            total.merge(tally);
            match months.iter_mut().find(|(m, _)| m == month) {
                Some((_, t)) => t.merge(tally),
                None => months.push((*month, tally.clone())),
            }
            if let Some(row) = *row {
                match rows.iter_mut().find(|(r, _)| *r == row) {
                    Some((_, t)) => t.merge(tally),
                    None => rows.push((row, tally.clone())),
                }
            }
        }
        let mut before = Tally::default();
        for (_, _, tally) in previous.iter().filter(|(_, id, _)| in_scope(*id)) {
            before.merge(tally.borrow());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::fixtures::{hand_made, period, places, waiting_lists};
    use crate::stats::WaitlistFigures;
    use crate::ServiceCode::*;

    /// (joined, offered, taken, expired)
    fn four(w: &WaitlistFigures) -> (u64, u64, u64, u64) {
        (w.joined, w.offered, w.taken, w.expired)
    }

    fn build(scope: Scope) -> Dashboard {
        let mut current = waiting_lists();
        // bookings beside the waiting lists change nothing of them
        current.push((
            Month {
                year: 2026,
                month: 3,
            },
            LocationId(101),
            hand_made(),
        ));
        let previous = &current[..1];
        Dashboard::build(
            scope,
            period("2026-03-01", "2026-04-30"),
            &places(),
            &current,
            previous,
        )
    }

    #[test]
    fn waiting_lists_add_up_per_place_service_month_and_scope() {
        let d = build(Scope::District);
        assert_eq!(four(&d.figures.waitlist), (6, 4, 2, 1));
        assert_eq!(
            d.figures.waitlist.taken_rate,
            crate::stats::Ratio::new(2, 4)
        );
        let rows: Vec<_> = d
            .rows
            .iter()
            .map(|r| (r.location_id.0, four(&r.figures.waitlist)))
            .collect();
        assert_eq!(rows, [(1, (4, 4, 2, 1)), (2, (2, 0, 0, 0))]);
        let months: Vec<_> = d
            .months
            .iter()
            .map(|m| (m.month.as_str(), four(&m.figures.waitlist)))
            .collect();
        assert_eq!(
            months,
            [("2026-03", (4, 3, 1, 1)), ("2026-04", (2, 1, 1, 0))]
        );
        assert_eq!(
            four(&d.figures.service(LegalConsultation).waitlist),
            (5, 3, 1, 1)
        );
        assert_eq!(four(&d.figures.service(Notary).waitlist), (1, 1, 1, 0));
        assert_eq!(four(&d.previous.waitlist), (3, 3, 1, 1));

        // an office: itself and its workroom, each a row
        let d = build(Scope::Place(LocationId(1)));
        assert_eq!(four(&d.figures.waitlist), (4, 4, 2, 1));
        let rows: Vec<_> = d
            .rows
            .iter()
            .map(|r| (r.location_id.0, four(&r.figures.waitlist)))
            .collect();
        assert_eq!(rows, [(1, (1, 1, 1, 0)), (101, (3, 3, 1, 1))]);
        assert_eq!(
            d.rows[0]
                .figures
                .service(Notary)
                .waitlist
                .taken_rate
                .percent
                .as_deref(),
            Some("100.00%")
        );

        // a workroom alone
        let d = build(Scope::Place(LocationId(101)));
        assert_eq!(four(&d.figures.waitlist), (3, 3, 1, 1));
        assert_eq!(
            d.figures.waitlist.taken_rate.percent.as_deref(),
            Some("33.33%")
        );
        assert!(d.rows.is_empty());
        assert_eq!(
            four(&build(Scope::Place(LocationId(2))).figures.waitlist),
            (2, 0, 0, 0)
        );
    }

    /// (ratings, good, follow-ups closed on time, closed late, overdue)
    fn rated(r: &crate::stats::RatingFigures) -> (u64, u64, u64, u64, u64) {
        (r.total, r.good, r.closed_on_time, r.closed_late, r.overdue)
    }

    fn build_rated(scope: Scope) -> Dashboard {
        let mut current = crate::stats::fixtures::ratings();
        current.push((
            Month {
                year: 2026,
                month: 3,
            },
            LocationId(101),
            hand_made(),
        ));
        let previous = &current[..1];
        Dashboard::build(
            scope,
            period("2026-03-01", "2026-04-30"),
            &places(),
            &current,
            previous,
        )
    }

    #[test]
    fn ratings_add_up_per_place_service_month_and_scope() {
        let d = build_rated(Scope::District);
        assert_eq!(rated(&d.figures.ratings), (11, 8, 1, 1, 1));
        assert_eq!(
            d.figures.ratings.satisfaction_rate.percent.as_deref(),
            Some("72.73%")
        );
        assert_eq!(
            d.figures.ratings.on_time_rate,
            crate::stats::Ratio::new(1, 3)
        );
        let rows: Vec<_> = d
            .rows
            .iter()
            .map(|r| (r.location_id.0, rated(&r.figures.ratings)))
            .collect();
        assert_eq!(rows, [(1, (9, 7, 1, 0, 1)), (2, (2, 1, 0, 1, 0))]);
        let months: Vec<_> = d
            .months
            .iter()
            .map(|m| (m.month.as_str(), rated(&m.figures.ratings)))
            .collect();
        assert_eq!(
            months,
            [("2026-03", (6, 5, 1, 0, 0)), ("2026-04", (5, 3, 0, 1, 1))]
        );
        assert_eq!(
            rated(&d.figures.service(LegalConsultation).ratings),
            (7, 5, 1, 1, 0)
        );
        assert_eq!(
            rated(&d.figures.service(Mediation).ratings),
            (4, 3, 0, 0, 1)
        );
        assert_eq!(rated(&d.previous.ratings), (5, 4, 1, 0, 0));
        // the report speaks of them
        assert!(
            d.report_zh[1].contains(
                "收到群众评价11次，满意率72.73%（满意8次／评价11次）；差评回访3件，按期办结1件"
            ),
            "{}",
            d.report_zh[1]
        );

        // an office: itself and its workroom, each a row
        let d = build_rated(Scope::Place(LocationId(1)));
        assert_eq!(rated(&d.figures.ratings), (9, 7, 1, 0, 1));
        let rows: Vec<_> = d
            .rows
            .iter()
            .map(|r| (r.location_id.0, rated(&r.figures.ratings)))
            .collect();
        assert_eq!(rows, [(1, (4, 3, 0, 0, 1)), (101, (5, 4, 1, 0, 0))]);
        assert_eq!(
            d.rows[1]
                .figures
                .service(LegalConsultation)
                .ratings
                .satisfaction_rate
                .percent
                .as_deref(),
            Some("80.00%")
        );

        // a workroom alone
        let d = build_rated(Scope::Place(LocationId(101)));
        assert_eq!(rated(&d.figures.ratings), (5, 4, 1, 0, 0));
        assert!(d.rows.is_empty());
        assert_eq!(
            rated(&build_rated(Scope::Place(LocationId(2))).figures.ratings),
            (2, 1, 0, 1, 0)
        );
    }
}

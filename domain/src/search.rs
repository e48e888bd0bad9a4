//! Finding a place by what residents type: an office, workroom, street or neighbourhood
//! name, or part of an address.

use crate::{Location, LocationKind};

/// Longest query we look at; longer input is cut, never rejected (it is a search box).
pub const MAX_QUERY_CHARS: usize = 40;

/// Splits a query into lowercase terms; full-width spaces and punctuation separate terms too.
pub fn terms(query: &str) -> Vec<String> {
    let cut: String = query.chars().take(MAX_QUERY_CHARS).collect();
    cut.split(|c: char| c.is_whitespace() || "，,、;；".contains(c))
        .filter(|t| !t.is_empty())
        .map(|t| t.to_lowercase())
        .collect()
}

/// How well a place matches; `None` when some term is found nowhere. Lower is better.
fn score(loc: &Location, terms: &[String]) -> Option<u8> {
    let fields = [&loc.name, &loc.neighbourhood, &loc.area, &loc.address];
    let mut best = 3u8;
    for term in terms {
        let mut found = false;
        for (i, f) in fields.iter().enumerate() {
            let f = f.to_lowercase();
            if f.contains(term.as_str()) {
                found = true;
                let s = match i {
                    // the place's own name or neighbourhood starts with the term
                    0 | 1 if f.starts_with(term.as_str()) => 0,
                    0 | 1 => 1,
                    2 => 2,
                    _ => 3,
                };
                best = best.min(s);
            }
        }
        if !found {
            return None;
        }
    }
    Some(best)
}

/// Places matching every term of `query`, best first; ties keep offices before workrooms
/// and then the data file's order. An empty query matches nothing.
pub fn search<'a>(locations: &'a [Location], query: &str) -> Vec<&'a Location> {
    let terms = terms(query);
    if terms.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(u8, u8, usize, &Location)> = locations
        .iter()
        .enumerate()
        .filter_map(|(pos, l)| {
            let kind = u8::from(l.kind == LocationKind::Workroom);
            score(l, &terms).map(|s| (s, kind, pos, l))
        })
        .collect();
    hits.sort_by_key(|(s, k, pos, _)| (*s, *k, *pos));
    hits.into_iter().map(|(_, _, _, l)| l).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LocationId;

    fn place(
        id: i64,
        kind: LocationKind,
        name: &str,
        area: &str,
        hood: &str,
        addr: &str,
    ) -> Location {
        Location {
            id: LocationId(id),
            kind,
            office_id: (kind == LocationKind::Workroom).then_some(LocationId(1)),
            name: name.into(),
            area: area.into(),
            neighbourhood: hood.into(),
            address: addr.into(),
            phone: None,
            services: vec![],
        }
    }

    fn sample() -> Vec<Location> {
        vec![
            place(
                1,
                LocationKind::Office,
                "彭浦新村街道司法所",
                "彭浦新村街道",
                "",
                "临汾路100号",
            ),
            place(
                101,
                LocationKind::Workroom,
                "岭南居民区法律服务工作室",
                "彭浦新村街道",
                "岭南居民区",
                "岭南路50弄1号",
            ),
            place(
                102,
                LocationKind::Workroom,
                "平顺居民区法律服务工作室",
                "彭浦新村街道",
                "平顺居民区",
                "平顺路8号",
            ),
            place(
                2,
                LocationKind::Office,
                "临汾路街道司法所",
                "临汾路街道",
                "",
                "汾西路3号",
            ),
        ]
    }

    #[test]
    fn finds_workroom_by_neighbourhood() {
        let s = sample();
        let hits = search(&s, "岭南");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id, LocationId(101));
    }

    #[test]
    fn name_matches_rank_before_street_and_address_matches() {
        let s = sample();
        let hits: Vec<i64> = search(&s, "临汾路").iter().map(|l| l.id.0).collect();
        // office 2 is named 临汾路; office 1 only has it in its address
        assert_eq!(hits, vec![2, 1]);
        let hits: Vec<i64> = search(&s, "彭浦").iter().map(|l| l.id.0).collect();
        assert_eq!(
            hits,
            vec![1, 101, 102],
            "office first, then its workrooms in file order"
        );
    }

    #[test]
    fn every_term_must_match() {
        let s = sample();
        assert_eq!(search(&s, "彭浦 平顺").len(), 1);
        assert_eq!(
            search(&s, "彭浦　岭南").len(),
            1,
            "full-width space separates terms"
        );
        assert!(search(&s, "彭浦 火星").is_empty());
    }

    #[test]
    fn empty_or_blank_query_finds_nothing() {
        let s = sample();
        assert!(search(&s, "").is_empty());
        assert!(search(&s, "  ，").is_empty());
    }

    #[test]
    fn long_queries_are_cut_not_rejected() {
        let s = sample();
        let long = "岭".repeat(500);
        assert!(search(&s, &long).is_empty());
        assert_eq!(terms(&long)[0].chars().count(), MAX_QUERY_CHARS);
    }
}

//! The objective as integer prices. A pair that shares a table `c` times during the event costs
//! `REPEAT·(c − 1)² + c·static(a, b)`, where `static` holds the levels that do not depend on
//! how often they met before in this event: kept apart (`APART`), met at earlier events
//! (history, by recency), and the table-quality points (negative for good pairs).
//!
//! Scales: a history meeting costs at least `HISTORY_FLOOR`, more than all quality points one
//! pair can carry (about 1,200); a repeat costs `REPEAT`, more than the history one swap of
//! tables of up to 100 can change; `APART` outweighs the repeats one swap can change.

use std::collections::HashMap;

use super::{MentorPair, Problem, Role};

pub(crate) const APART: i64 = 1_000_000_000_000_000;
pub(crate) const REPEAT: i64 = 100_000_000_000;
/// A meeting at the most recent earlier event; each year before it weighs half as much.
pub(crate) const HISTORY_RECENT: i64 = 10_000_000;
pub(crate) const HISTORY_FLOOR: i64 = 100_000;
/// A pair whose static price is at least this is a conflict the search goes after.
pub(crate) const CONFLICT: i64 = HISTORY_FLOOR / 2;
/// Shared interests counted for a mentee and a mentor.
pub(crate) const MAX_SHARED_INTERESTS: usize = 3;
/// The mentoring pair chosen by the assignment counts this many times `weights.mentoring`.
pub(crate) const ASSIGNED_MENTOR_FACTOR: i64 = 3;

/// Up to this many people the static prices of all pairs are kept in one matrix.
const DENSE_STATIC_LIMIT: usize = 1024;
/// Up to this many people meeting counts are kept in one matrix (u16: 8 MB at the limit).
const DENSE_MEETINGS_LIMIT: usize = 2048;

/// Price of one more history meeting, for a pair that met in `year`.
pub(crate) fn history_weight(current_year: i32, year: i32) -> i64 {
    let age = (current_year - 1 - year).clamp(0, 62);
    (HISTORY_RECENT >> age).max(HISTORY_FLOOR)
}

/// Repeat price added when a pair that met `c` times meets once more: `(c)² − (c − 1)²`.
#[inline]
pub(crate) fn repeat_step(c: u16) -> i64 {
    if c == 0 {
        0
    } else {
        REPEAT * (2 * i64::from(c) - 1)
    }
}

/// `(c − 1)²` for a pair that met `c ≥ 1` times.
pub(crate) fn repeat_units(c: u64) -> u64 {
    if c == 0 { 0 } else { (c - 1) * (c - 1) }
}

#[derive(Debug, Clone, Default)]
struct Profile {
    student: bool,
    alumni: bool,
    year: Option<i32>,
    /// Interned affiliation, when `separate_affiliations` is on.
    affiliation: Option<u32>,
    /// Interned interests, sorted.
    interests: Vec<u32>,
    mentor: bool,
    mentee: bool,
    hiring: bool,
    seeking: bool,
}

/// The static price of every pair, and what the search needs to know about the problem.
pub(crate) struct CostModel {
    pub n: usize,
    pub rounds: usize,
    pub table_sizes: Vec<usize>,
    /// Table kept by each host.
    pub host_table: Vec<Option<usize>>,
    profiles: Vec<Profile>,
    /// Per person, sorted by partner: history, `must_not_share`, wanted speakers, the
    /// assigned mentor.
    sparse: Vec<Vec<(u32, i64)>>,
    dense: Option<Vec<i64>>,
    weights: [i64; 5],
    /// Whether some pair can have a negative price (then no lower bound stops the search).
    pub has_bonus: bool,
    /// Whether any pair has a nonzero static price.
    pub has_static: bool,
}

impl CostModel {
    pub fn new(problem: &Problem, mentoring: &[MentorPair]) -> Self {
        let n = problem.len();
        let w = problem.weights();
        let weights = [w.mix, w.cohorts, w.mentoring, w.hiring, w.speakers].map(i64::from);
        let [mix, cohorts, mentor_w, hiring_w, speakers_w] = weights;

        let mut interest_ids: HashMap<&str, u32> = HashMap::new();
        let mut affiliation_ids: HashMap<&str, u32> = HashMap::new();
        let profiles: Vec<Profile> = problem
            .participants()
            .iter()
            .map(|p| {
                let mut interests: Vec<u32> = p
                    .interests
                    .iter()
                    .map(|i| {
                        let next = interest_ids.len() as u32;
                        *interest_ids.entry(i.as_str()).or_insert(next)
                    })
                    .collect();
                interests.sort_unstable();
                Profile {
                    student: p.role == Some(Role::Student),
                    alumni: p.role == Some(Role::Alumni),
                    year: p.admission_year,
                    affiliation: if problem.separate_affiliations() {
                        p.affiliation.as_deref().map(|a| {
                            let next = affiliation_ids.len() as u32;
                            *affiliation_ids.entry(a).or_insert(next)
                        })
                    } else {
                        None
                    },
                    interests,
                    mentor: p.goals.mentor,
                    mentee: p.goals.find_mentor,
                    hiring: p.goals.hiring,
                    seeking: p.goals.job_seeking,
                }
            })
            .collect();

        let mut pairs: HashMap<(u32, u32), i64> = HashMap::new();
        let mut add = |a: usize, b: usize, price: i64| {
            let key = (a.min(b) as u32, a.max(b) as u32);
            *pairs.entry(key).or_default() += price;
        };
        for &(a, b, year) in problem.history() {
            add(a, b, history_weight(problem.current_year(), year));
        }
        let participants = problem.participants();
        for &(a, b) in problem.must_not_share() {
            // Counted once when the same-affiliation rule already keeps them apart.
            let same_affiliation = problem.separate_affiliations()
                && participants[a].affiliation.is_some()
                && participants[a].affiliation == participants[b].affiliation;
            if !same_affiliation {
                add(a, b, APART);
            }
        }
        for (i, p) in participants.iter().enumerate() {
            for &s in &p.wanted_speakers {
                add(i, s, -speakers_w);
            }
        }
        for pair in mentoring {
            add(pair.mentee, pair.mentor, -ASSIGNED_MENTOR_FACTOR * mentor_w);
        }
        let mut sparse: Vec<Vec<(u32, i64)>> = vec![Vec::new(); n];
        for (&(a, b), &price) in &pairs {
            if price != 0 {
                sparse[a as usize].push((b, price));
                sparse[b as usize].push((a, price));
            }
        }
        for list in &mut sparse {
            list.sort_unstable();
        }

        let any = |f: fn(&Profile) -> bool| profiles.iter().any(f);
        let has_bonus = pairs.values().any(|&p| p < 0)
            || (mix > 0 && any(|p| p.student) && any(|p| p.alumni))
            || (mentor_w > 0 && any(|p| p.mentor) && any(|p| p.mentee))
            || (hiring_w > 0 && any(|p| p.hiring) && any(|p| p.seeking));
        let has_static = has_bonus
            || !pairs.is_empty()
            || (cohorts > 0 && any(|p| p.year.is_some()))
            || any(|p| p.affiliation.is_some());

        let mut model = CostModel {
            n,
            rounds: problem.rounds(),
            table_sizes: problem.table_sizes().to_vec(),
            host_table: problem
                .participants()
                .iter()
                .map(|p| p.host_table)
                .collect(),
            profiles,
            sparse,
            dense: None,
            weights,
            has_bonus,
            has_static,
        };
        if has_static && n <= DENSE_STATIC_LIMIT {
            let mut dense = vec![0; n * n];
            for a in 0..n {
                for b in 0..n {
                    if a != b {
                        dense[a * n + b] = model.compute_static(a, b);
                    }
                }
            }
            model.dense = Some(dense);
        }
        model
    }

    /// Table-quality points of a pair (negative is good), plus `APART` for the same
    /// affiliation when affiliations are kept apart.
    fn attributes(&self, a: usize, b: usize) -> i64 {
        let (x, y) = (&self.profiles[a], &self.profiles[b]);
        let [mix, cohorts, mentoring, hiring, _] = self.weights;
        let mut price = 0;
        if (x.student && y.alumni) || (x.alumni && y.student) {
            price -= mix;
        }
        if x.year.is_some() && x.year == y.year {
            price += cohorts;
        }
        if x.affiliation.is_some() && x.affiliation == y.affiliation {
            price += APART;
        }
        if (x.mentee && y.mentor) || (x.mentor && y.mentee) {
            price -= mentoring * shared(&x.interests, &y.interests) as i64;
        }
        if x.seeking && y.hiring {
            price -= hiring;
        }
        if y.seeking && x.hiring {
            price -= hiring;
        }
        price
    }

    fn sparse_price(&self, a: usize, b: usize) -> i64 {
        let list = &self.sparse[a];
        if list.is_empty() {
            return 0;
        }
        match list.binary_search_by_key(&(b as u32), |&(p, _)| p) {
            Ok(i) => list[i].1,
            Err(_) => 0,
        }
    }

    fn compute_static(&self, a: usize, b: usize) -> i64 {
        self.attributes(a, b) + self.sparse_price(a, b)
    }

    /// Price of one meeting of `a` and `b`, apart from repeats.
    #[inline]
    pub fn static_price(&self, a: usize, b: usize) -> i64 {
        if !self.has_static {
            return 0;
        }
        match &self.dense {
            Some(dense) => dense[a * self.n + b],
            None => self.compute_static(a, b),
        }
    }

    /// The sparse prices of `a` (partner, price), for callers that scatter them into a scratch
    /// array.
    pub fn sparse_of(&self, a: usize) -> &[(u32, i64)] {
        &self.sparse[a]
    }

    /// Quality points of a pair without the sparse part (for the scratch-array path).
    #[inline]
    pub fn attribute_price(&self, a: usize, b: usize) -> i64 {
        if !self.has_static {
            return 0;
        }
        self.attributes(a, b)
    }

    pub fn is_dense(&self) -> bool {
        self.dense.is_some() || !self.has_static
    }

    /// A lower bound of any schedule's total price, when no pair can have a negative price:
    /// the meetings spread as evenly as possible over the pairs that can meet (hosts never
    /// share a table), priced by the convex repeat price.
    pub fn lower_bound(&self) -> Option<i128> {
        if self.has_bonus {
            return None;
        }
        let pair = |s: usize| (s * s.saturating_sub(1) / 2) as u128;
        let meetings =
            self.rounds as u128 * self.table_sizes.iter().map(|&s| pair(s)).sum::<u128>();
        let hosts = self.host_table.iter().filter(|h| h.is_some()).count();
        let pairs = pair(self.n) - pair(hosts);
        let (q, rem) = (meetings / pairs, meetings % pairs);
        let units = |c: u128| if c == 0 { 0 } else { (c - 1) * (c - 1) };
        let total = rem * units(q + 1) + (pairs - rem) * units(q);
        Some(i128::try_from(total).unwrap_or(i128::MAX / 2) * i128::from(REPEAT))
    }
}

fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < a.len() && j < b.len() && count < MAX_SHARED_INTERESTS {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                count += 1;
                i += 1;
                j += 1;
            }
        }
    }
    count
}

/// How often each pair has shared a table so far in the event: a matrix for up to
/// `DENSE_MEETINGS_LIMIT` people, short per-person lists beyond (each person meets at most
/// rounds × (table size − 1) others, so the lists stay short while a matrix for 5,000 people
/// would take 50 MB).
#[derive(Debug, Clone)]
pub(crate) enum Meetings {
    Dense { n: usize, counts: Vec<u16> },
    Sparse(Vec<Vec<(u32, u16)>>),
}

impl Meetings {
    pub fn new(n: usize) -> Self {
        if n <= DENSE_MEETINGS_LIMIT {
            Meetings::Dense {
                n,
                counts: vec![0; n * n],
            }
        } else {
            Meetings::Sparse(vec![Vec::new(); n])
        }
    }

    #[inline]
    pub fn get(&self, a: usize, b: usize) -> u16 {
        match self {
            Meetings::Dense { n, counts } => counts[a * n + b],
            Meetings::Sparse(lists) => lists[a]
                .iter()
                .find(|&&(p, _)| p as usize == b)
                .map_or(0, |&(_, c)| c),
        }
    }

    /// Everyone `a` has met so far, with the counts.
    pub fn partners(&self, a: usize) -> Vec<(u32, u16)> {
        match self {
            Meetings::Dense { n, counts } => counts[a * n..(a + 1) * n]
                .iter()
                .enumerate()
                .filter(|&(_, &c)| c > 0)
                .map(|(b, &c)| (b as u32, c))
                .collect(),
            Meetings::Sparse(lists) => lists[a].clone(),
        }
    }

    pub fn add(&mut self, a: usize, b: usize) {
        self.bump(a, b, true);
        self.bump(b, a, true);
    }

    pub fn remove(&mut self, a: usize, b: usize) {
        self.bump(a, b, false);
        self.bump(b, a, false);
    }

    fn bump(&mut self, a: usize, b: usize, up: bool) {
        match self {
            Meetings::Dense { n, counts } => {
                let c = &mut counts[a * *n + b];
                *c = if up { *c + 1 } else { *c - 1 };
            }
            Meetings::Sparse(lists) => {
                let list = &mut lists[a];
                match list.iter().position(|&(p, _)| p as usize == b) {
                    Some(i) if up => list[i].1 += 1,
                    Some(i) => {
                        list[i].1 -= 1;
                        if list[i].1 == 0 {
                            list.swap_remove(i);
                        }
                    }
                    None if up => list.push((b as u32, 1)),
                    None => unreachable!("removing a meeting that never happened"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_weighs_the_most_recent_year_most() {
        assert_eq!(history_weight(2027, 2026), HISTORY_RECENT);
        assert_eq!(history_weight(2027, 2025), HISTORY_RECENT / 2);
        assert_eq!(history_weight(2027, 2027), HISTORY_RECENT);
        assert_eq!(history_weight(2027, 1990), HISTORY_FLOOR);
    }

    #[test]
    fn repeats_are_priced_by_the_square() {
        let total = |c: u16| (0..c).map(repeat_step).sum::<i64>();
        assert_eq!(total(1), 0);
        assert_eq!(total(2), REPEAT);
        assert_eq!(total(3), 4 * REPEAT);
        assert_eq!(repeat_units(3), 4);
        // Two pairs meeting twice are cheaper than one pair meeting three times.
        assert!(2 * total(2) < total(3) + total(1));
    }

    #[test]
    fn both_meeting_stores_agree() {
        let mut dense = Meetings::new(10);
        let mut sparse = Meetings::Sparse(vec![Vec::new(); 10]);
        for (a, b) in [(1, 2), (2, 1), (3, 4), (1, 2)] {
            dense.add(a, b);
            sparse.add(a, b);
        }
        sparse.remove(3, 4);
        dense.remove(4, 3);
        for a in 0..10 {
            for b in 0..10 {
                assert_eq!(dense.get(a, b), sparse.get(a, b));
            }
        }
        assert_eq!(dense.get(2, 1), 3);
        assert_eq!(sparse.partners(1), vec![(2, 3)]);
    }

    #[test]
    fn shared_interests_are_capped() {
        assert_eq!(
            shared(&[1, 2, 3, 4, 5], &[1, 2, 3, 4, 5]),
            MAX_SHARED_INTERESTS
        );
        assert_eq!(shared(&[1, 3, 5], &[2, 3, 4, 5]), 2);
        assert_eq!(shared(&[], &[1]), 0);
    }
}

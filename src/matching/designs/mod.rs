//! Repeat-free rounds computed at run time by design constructions (never a schedule, starter
//! block or base block copied from a book), and the dispatcher that picks one for a shape:
//!
//! - `classic.rs`: round robin (tables of 2), the affine geometry AG(d, q) (`q^d` people at
//!   tables of `q`), partial spreads of GF(2)^d (`2^d` people at tables of `2^e`);
//! - `bjl.rs`: the resolvable (3q + 1, 4, 1) designs of Beth, Jungnickel and Lenz;
//! - `arrays.rs`: difference arrays (rounds fixed by a group) over GF(g), a product of fields,
//!   `Z_g`, or any abelian group of `groups.rs` with a complete mapping;
//! - `invariant.rs`: rounds fixed by an abelian group acting on levels, chosen by an exact
//!   cover of the group's pair orbits (`exact.rs`, dancing links);
//! - `developed.rs`: a base round over `Z_m × levels + ∞` found by an exact cover and its
//!   translates;
//! - `layering.rs`: beyond the bound, relabelled copies laid over each other.
//!
//! The dispatcher tries the closed forms first, then the searches, in order of the rounds
//! they can reach, and stops at the first that reaches the rounds asked. The searches over
//! pairs of points (invariant and developed rounds) stop at 256 people: beyond, their tables
//! of `n²` entries cost more than they gain, and arrays reach the few rounds asked there.

mod arrays;
mod bjl;
mod classic;
mod developed;
mod exact;
mod field;
mod groups;
mod invariant;
mod layering;

use std::collections::HashSet;

use rand::Rng;
use rand::seq::SliceRandom;

use super::{Deadline, Problem};

/// Rounds of tables of points (or people) `0..n`.
pub(crate) type Rounds = Vec<Vec<Vec<usize>>>;

/// Beyond this many people the searches over pairs of points (tables of `n²` entries) cost
/// more than they gain: large groups get difference arrays, which reach their few rounds.
const MAX_PAIR_SEARCH_POINTS: usize = 256;
/// Nodes a developed base round may take, each layout.
const DEVELOP_BUDGET: u64 = 300_000;
/// Layouts tried before giving up on developed rounds.
const MAX_LAYOUTS: usize = 4;
/// Nodes of the exact cover of pair orbits by rounds fixed by a group.
const INVARIANT_BUDGET: u64 = 300_000;
/// Nodes of the first difference-array search, before the searches over pairs.
const FIRST_ARRAY_BUDGET: u64 = 300_000;
/// Nodes of the difference-array search.
const ARRAY_BUDGET: u64 = 3_000_000;
/// Nodes of the first search for an array with all its columns (about 0.3 s on one core):
/// 12 tables of 5 take 1 to 10 million.
const FIRST_COMPLETE_ARRAY_BUDGET: u64 = 5_000_000;
/// Nodes of the last search for an array with all its columns (about 2 s on one core, unless
/// the deadline comes first): 12 tables of 6 take about 30 million, and half the seeds find
/// theirs within this.
const COMPLETE_ARRAY_BUDGET: u64 = 30_000_000;
/// Tables beyond which the search for an array with all its columns is not tried: 24 tables
/// of 4 took 5 to 25 s, and larger shapes ask for fewer rounds than the arrays over `Z_g`
/// already give.
const MAX_COMPLETE_ARRAY_TABLES: usize = 20;
/// Nodes for seating the people with constraints on the points of a construction.
const PLACEMENT_BUDGET: u64 = 100_000;
/// Candidate tables for the last round beyond which its exact cover is not tried.
const MAX_CLIQUES: usize = 100_000;
/// Nodes for completing the last round exactly.
const LAST_ROUND_BUDGET: u64 = 200_000;

/// Repeat-free rounds on points `0..n` and the family that gave them.
pub(crate) struct Built {
    pub rounds: Rounds,
    pub method: &'static str,
}

/// The most repeat-free rounds (at most `wanted`) that a construction gives for `n` people at
/// tables of `s`, in a random order of rounds.
pub(crate) fn repeat_free<R: Rng>(
    n: usize,
    s: usize,
    wanted: usize,
    rng: &mut R,
    deadline: &dyn Deadline,
) -> Option<Built> {
    let g = n / s;
    // With more seats than tables, a second round would seat two people of one table of the
    // first together: one round is all there is, and any seating gives it.
    if s < 2 || n < 2 * s || !n.is_multiple_of(s) || s > g {
        return None;
    }
    let bound = (n - 1) / (s - 1);
    let wanted = wanted.clamp(1, bound);
    let mut best: Option<Built> = None;
    let reach = |best: &Option<Built>| best.as_ref().map_or(0, |b| b.rounds.len().min(wanted));
    let offer = |best: &mut Option<Built>, rounds: Option<Rounds>, method: &'static str| {
        if let Some(rounds) = rounds
            && rounds.len().min(wanted) > reach(best)
        {
            *best = Some(Built { rounds, method });
        }
    };
    if s == 2 {
        offer(
            &mut best,
            Some(classic::round_robin(n, wanted, rng)),
            "round_robin",
        );
    }
    offer(
        &mut best,
        classic::affine_lines(n, s, wanted, rng),
        "affine_geometry",
    );
    offer(&mut best, bjl::bjl(n, s), "bjl");
    offer(
        &mut best,
        arrays::field_array(g, s, wanted),
        "difference_array",
    );
    let array_reach = g + usize::from(g.is_multiple_of(s));
    if reach(&best) < wanted && array_reach > reach(&best) {
        // An array over Z_g, with a first short search for more columns than the linear one:
        // cheap, and at scale often all that is asked. The searches below can be slow, so
        // this comes before them; the longer column search comes after.
        let rounds = arrays::cyclic_array(g, s, wanted, FIRST_ARRAY_BUDGET, rng, deadline);
        offer(&mut best, rounds, "difference_array");
    }
    let complete_array = |best: &mut Option<Built>, budget: u64, rng: &mut R| {
        if reach(best) < wanted && array_reach > reach(best) && g <= MAX_COMPLETE_ARRAY_TABLES {
            let rounds = arrays::complete_array(g, s, wanted, budget, rng, deadline);
            offer(best, rounds, "difference_array");
        }
    };
    // An array with all its columns over a group that is not a field: a short search here
    // (12 tables of 5 mostly take less), a long one last when every column is asked for.
    complete_array(&mut best, FIRST_COMPLETE_ARRAY_BUDGET, rng);
    if reach(&best) < wanted && classic::power_of(n, 2).is_some() {
        let spread = (reach(&best) + 1..=wanted)
            .rev()
            .find_map(|rounds| classic::binary_spread(n, s, rounds, rng));
        offer(&mut best, spread, "binary_spread");
    }
    if reach(&best) < wanted && n <= MAX_PAIR_SEARCH_POINTS {
        let rounds = invariant::invariant_rounds(n, s, INVARIANT_BUDGET, rng, deadline);
        offer(&mut best, rounds, "invariant_rounds");
    }
    if reach(&best) < wanted && n <= MAX_PAIR_SEARCH_POINTS {
        // Layouts that reach the rounds asked first (the fewest rounds, the smallest search),
        // then those that reach fewer, most first.
        let mut layouts = developed::layouts(n, s, reach(&best) + 1, bound);
        layouts.sort_by_key(|l| {
            let r = l.rounds();
            (r < wanted, r.abs_diff(wanted))
        });
        for layout in layouts.into_iter().take(MAX_LAYOUTS) {
            if layout.rounds().min(wanted) <= reach(&best) || deadline.passed() {
                continue;
            }
            let rounds = developed::develop(layout, s, DEVELOP_BUDGET, rng, deadline);
            offer(&mut best, rounds, "developed");
            if reach(&best) >= wanted {
                break;
            }
        }
    }
    if reach(&best) < wanted && array_reach > reach(&best) {
        let rounds = arrays::cyclic_array(g, s, wanted, ARRAY_BUDGET, rng, deadline);
        offer(&mut best, rounds, "difference_array");
    }
    // Only when every column is asked for: short of that, the time is better left to the
    // search that follows the construction (and over `Z_g` for even `g` no array has them
    // all).
    if wanted >= g {
        complete_array(&mut best, COMPLETE_ARRAY_BUDGET, rng);
    }
    best.map(|mut built| {
        built.rounds.shuffle(rng);
        built.rounds.truncate(wanted);
        built
    })
}

/// A construction's start for the search: rounds of people, the family's name, and how many
/// rounds the construction itself gave.
pub(crate) struct Start {
    pub rounds: Rounds,
    pub method: String,
    pub constructed: usize,
}

/// Constructed rounds for `problem` when its tables are all of one size: repeat-free up to the
/// bound (the last one completed exactly when the construction stops one short), layered
/// beyond it, with people assigned to points so that hosts keep their tables and kept-apart
/// pairs sit on points that never meet. `None` when no construction applies or the hosts
/// cannot be placed.
pub(crate) fn construct(
    problem: &Problem,
    rng: &mut impl Rng,
    deadline: &dyn Deadline,
) -> Option<Start> {
    let n = problem.len();
    let s = problem.table_size();
    if problem.table_sizes().iter().any(|&size| size != s) {
        return None;
    }
    let asked = problem.rounds();
    let bound = problem.repeat_free_bound();
    let built = repeat_free(n, s, asked.min(bound), rng, deadline)?;
    let mut method = built.method.to_string();
    let mut rounds = built.rounds;
    let constructed = rounds.len();
    if asked > bound {
        rounds = layering::layered(&rounds, n, s, asked, rng);
        method.push_str("+layered");
    } else if rounds.len() + 1 == asked
        && let Some(last) = last_round(&rounds, n, s, rng, deadline)
    {
        rounds.push(last);
        method.push_str("+exact_last_round");
    }
    let label = place(problem, &rounds, rng)?;
    for round in &mut rounds {
        for table in round.iter_mut() {
            for p in table.iter_mut() {
                *p = label[*p];
            }
        }
        seat_hosts(problem, round);
    }
    Some(Start {
        rounds,
        method,
        constructed,
    })
}

/// Node budgets of restarted searches: `first`, then doubling, until they add up to `budget`.
pub(crate) fn doubling_attempts(first: u64, budget: u64) -> impl Iterator<Item = u64> {
    let mut spent = 0u64;
    let mut attempt = first.max(1);
    std::iter::from_fn(move || {
        let this = attempt.min(budget - spent);
        spent += this;
        attempt = attempt.saturating_mul(2);
        (this > 0).then_some(this)
    })
}

/// Calls `visit` with every `k`-subset of `0..n`, each in increasing order.
pub(crate) fn subsets(n: usize, k: usize, visit: &mut impl FnMut(&[usize])) {
    fn extend(
        n: usize,
        k: usize,
        from: usize,
        subset: &mut Vec<usize>,
        visit: &mut impl FnMut(&[usize]),
    ) {
        if subset.len() == k {
            visit(subset);
            return;
        }
        for p in from..=n - (k - subset.len()) {
            subset.push(p);
            extend(n, k, p + 1, subset, visit);
            subset.pop();
        }
    }
    if k <= n {
        extend(n, k, 0, &mut Vec::with_capacity(k), visit);
    }
}

/// One more round with no repeat: an exact cover of the points by tables of pairs that have
/// not met (cliques of the unmet-pair graph).
fn last_round(
    rounds: &Rounds,
    n: usize,
    s: usize,
    rng: &mut impl Rng,
    deadline: &dyn Deadline,
) -> Option<Vec<Vec<usize>>> {
    let met = Met::of(rounds, n);
    let mut tables = Vec::new();
    let mut table = Vec::with_capacity(s);
    if !cliques(&met, n, s, 0, &mut table, &mut tables) {
        return None;
    }
    tables.shuffle(rng);
    match exact::exact_cover(n, 0, &tables, LAST_ROUND_BUDGET, deadline) {
        exact::Cover::Found(chosen) => {
            Some(chosen.into_iter().map(|r| tables[r].clone()).collect())
        }
        _ => None,
    }
}

/// Every set of `s` points from `from` on, extending `table`, no two of which have met;
/// false when there are more than `MAX_CLIQUES` (the unmet pairs are then too many for one
/// round to be the hard part, and the search seats it).
fn cliques(
    met: &Met,
    n: usize,
    s: usize,
    from: usize,
    table: &mut Vec<usize>,
    out: &mut Vec<Vec<usize>>,
) -> bool {
    if table.len() == s {
        out.push(table.clone());
        return out.len() <= MAX_CLIQUES;
    }
    for p in from..n {
        if table.iter().all(|&a| !met.contains(a, p)) {
            table.push(p);
            let more = cliques(met, n, s, p + 1, table, out);
            table.pop();
            if !more {
                return false;
            }
        }
    }
    true
}

/// Which pairs of points share a table somewhere.
struct Met(HashSet<(u32, u32)>);

impl Met {
    fn of(rounds: &Rounds, _n: usize) -> Met {
        let mut pairs = HashSet::new();
        for table in rounds.iter().flatten() {
            for (i, &a) in table.iter().enumerate() {
                for &b in &table[i + 1..] {
                    pairs.insert((a.min(b) as u32, a.max(b) as u32));
                }
            }
        }
        Met(pairs)
    }

    fn contains(&self, a: usize, b: usize) -> bool {
        self.0.contains(&(a.min(b) as u32, a.max(b) as u32))
    }
}

/// `label[point]`: the person at each point. Hosts go to points that never meet each other
/// (so each round has them at different tables), and pairs kept apart to points that never
/// meet, by a small backtracking search over the people with such constraints; the others are
/// spread at random. `None` when the hosts cannot be placed; kept-apart pairs that cannot be
/// placed are left to the search.
fn place(problem: &Problem, rounds: &Rounds, rng: &mut impl Rng) -> Option<Vec<usize>> {
    let n = problem.len();
    let people = problem.participants();
    let hosts: Vec<usize> = (0..n).filter(|&i| people[i].host_table.is_some()).collect();
    let mut apart: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in problem.must_not_share() {
        apart[a].push(b);
        apart[b].push(a);
    }
    if problem.separate_affiliations() {
        let mut by_affiliation: std::collections::HashMap<&str, Vec<usize>> = Default::default();
        for (i, p) in people.iter().enumerate() {
            if let Some(a) = &p.affiliation {
                by_affiliation.entry(a.as_str()).or_default().push(i);
            }
        }
        for group in by_affiliation.values() {
            for &a in group {
                apart[a].extend(group.iter().filter(|&&b| b != a));
            }
        }
    }
    for &a in &hosts {
        apart[a].extend(hosts.iter().filter(|&&b| b != a));
    }
    let mut label: Vec<usize> = (0..n).collect();
    label.shuffle(rng);
    let mut constrained: Vec<usize> = (0..n).filter(|&i| !apart[i].is_empty()).collect();
    if constrained.is_empty() {
        return Some(label);
    }
    constrained.sort_by_key(|&i| {
        (
            people[i].host_table.is_none(),
            std::cmp::Reverse(apart[i].len()),
        )
    });
    let met = Met::of(rounds, n);
    let mut point_of = vec![usize::MAX; n];
    let mut taken = vec![false; n];
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    let mut budget = PLACEMENT_BUDGET;
    let placed = assign(
        &constrained,
        0,
        &apart,
        &met,
        &order,
        &mut point_of,
        &mut taken,
        &mut budget,
    );
    if !placed {
        return if hosts.len() > 1 { None } else { Some(label) };
    }
    let mut free = (0..n).filter(|&p| !taken[p]);
    for point in point_of.iter_mut().filter(|p| **p == usize::MAX) {
        *point = free.next().expect("as many points as people");
    }
    for (person, &point) in point_of.iter().enumerate() {
        label[point] = person;
    }
    Some(label)
}

/// Depth-first placement of `people[at..]` on free points that never meet the points of
/// their already placed kept-apart partners.
#[allow(clippy::too_many_arguments)]
fn assign(
    people: &[usize],
    at: usize,
    apart: &[Vec<usize>],
    met: &Met,
    order: &[usize],
    point_of: &mut [usize],
    taken: &mut [bool],
    budget: &mut u64,
) -> bool {
    let Some(&person) = people.get(at) else {
        return true;
    };
    for &p in order {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        if taken[p]
            || apart[person].iter().any(|&q| {
                point_of[q] != usize::MAX && (point_of[q] == p || met.contains(point_of[q], p))
            })
        {
            continue;
        }
        point_of[person] = p;
        taken[p] = true;
        if assign(people, at + 1, apart, met, order, point_of, taken, budget) {
            return true;
        }
        point_of[person] = usize::MAX;
        taken[p] = false;
    }
    false
}

/// Reorders the tables of a round (of people) so that each host sits at their table.
fn seat_hosts(problem: &Problem, round: &mut [Vec<usize>]) {
    for (i, p) in problem.participants().iter().enumerate() {
        if let Some(t) = p.host_table {
            let at = round
                .iter()
                .position(|table| table.contains(&i))
                .expect("every person sits somewhere");
            round.swap(at, t);
        }
    }
}

/// Every round partitions 0..n into tables of `s`, and no pair meets twice.
#[cfg(test)]
pub(crate) fn assert_resolvable(schedule: &Rounds, n: usize, s: usize) {
    let mut pairs = HashSet::new();
    for round in schedule {
        let mut seated: Vec<usize> = round.iter().flatten().copied().collect();
        seated.sort_unstable();
        assert_eq!(seated, (0..n).collect::<Vec<_>>());
        for table in round {
            assert_eq!(table.len(), s);
            for (i, &a) in table.iter().enumerate() {
                for &b in &table[i + 1..] {
                    assert!(pairs.insert((a.min(b), a.max(b))), "{a} and {b} meet twice");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::matching::WallClock;

    #[test]
    fn restarts_double_their_budget_until_it_is_spent() {
        let attempts: Vec<u64> = doubling_attempts(10, 35).collect();
        assert_eq!(attempts, vec![10, 20, 5]);
        assert_eq!(doubling_attempts(10, 0).count(), 0);
    }

    #[test]
    fn every_construction_is_repeat_free_on_the_sweeps_small_shapes() {
        // Whatever the dispatcher returns must be a partition per round with no pair twice;
        // where a closed form applies (no search, so no deadline can cut it short) it must
        // reach its rounds. The searches' reach is in the tests of their modules.
        let reaches = |g: usize, s: usize| match (g, s) {
            (_, 2) => 2 * g - 1,
            (3, 3) | (4, 4) | (5, 5) | (7, 7) | (8, 8) => g + 1,
            (7, 4) => 9,
            (4, 3) | (5, 4) | (8, 5) => g,
            _ => 1,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for g in 2..=8usize {
            for s in 2..=g.min(8) {
                let n = g * s;
                if n > 40 {
                    continue;
                }
                let bound = (n - 1) / (s - 1);
                let deadline = WallClock::after(Duration::from_millis(500));
                let built = repeat_free(n, s, bound, &mut rng, &deadline)
                    .unwrap_or_else(|| panic!("{g} tables of {s}: nothing built"));
                assert_resolvable(&built.rounds, n, s);
                assert!(
                    built.rounds.len() >= reaches(g, s),
                    "{g} tables of {s}: {} rounds by {}",
                    built.rounds.len(),
                    built.method
                );
            }
        }
    }
}

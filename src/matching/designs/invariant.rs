//! Rounds fixed by a group. A group G of permutations of the points maps a G-invariant round
//! onto itself, so the pairs it seats together are whole G-orbits of pairs. A repeat-free
//! schedule made of such rounds is then an exact cover of the pair orbits by invariant rounds,
//! a far smaller search than one over rounds of people (the Kramer–Mesner method of design
//! theory). At the bound every person meets `r · (s − 1)` others and has `δ` partners left
//! over; for `δ = 0` every orbit is covered, for `δ = 1` the orbits left out must form a perfect
//! matching, which the cover chooses too (one column per point, covered by the left-out orbit
//! through it).
//!
//! The groups tried are the translations of GF(2)^k acting on each of `n / 2^k` levels: for
//! 32 people at tables of 4 (two levels of 16) the invariant rounds are either one orbit of
//! tables `{p, p + h, q, q + h}` across the levels or the cosets of a plane on each level, and
//! eight of the first and two of the second meet every pair but a matching: 10 rounds, the
//! bound, which no partial spread of GF(2)^5 and no array over GF(8) reaches.

use rand::Rng;
use rand::seq::SliceRandom;

use super::Rounds;
use super::exact::{Cover, exact_cover};
use crate::matching::Deadline;

/// Table subsets enumerated at most, per group.
const MAX_SUBSETS: u64 = 2_000_000;
/// Invariant rounds enumerated at most, per group.
const MAX_ROUNDS: usize = 20_000;
/// Nodes of the first cover attempt; each restart doubles it, up to the caller's budget.
const FIRST_BUDGET: u64 = 10_000;

/// The bound's rounds for `n` people at tables of `s` from rounds fixed by a group, or `None`
/// when no group tried gives them within `budget` nodes.
pub(crate) fn invariant_rounds(
    n: usize,
    s: usize,
    budget: u64,
    rng: &mut impl Rng,
    deadline: &dyn Deadline,
) -> Option<Rounds> {
    let bound = (n - 1) / (s - 1);
    let left_over = n - 1 - bound * (s - 1);
    if left_over > 1 || s < 3 {
        return None;
    }
    for group in translation_groups(n, s) {
        if deadline.passed() {
            return None;
        }
        if let Some(rounds) = cover(n, s, &group, left_over == 1, budget, rng, deadline) {
            return Some(rounds);
        }
    }
    None
}

/// Abelian groups `Z_{a_1} × … × Z_{a_j}` of order `size ≥ s` dividing `n`, acting regularly
/// on each of the `n / size` levels (two to eight), largest first.
fn translation_groups(n: usize, s: usize) -> Vec<Vec<Vec<usize>>> {
    let mut groups = Vec::new();
    for size in (s..=n / 2).rev() {
        if !n.is_multiple_of(size) || n / size > 8 {
            continue;
        }
        for factors in factorizations(size, size) {
            let element = |mut t: usize, mut x: usize| {
                // Add t to x digit by digit in the mixed radix of the factors.
                let (mut sum, mut place) = (0, 1);
                for &f in &factors {
                    sum += ((t % f + x % f) % f) * place;
                    place *= f;
                    t /= f;
                    x /= f;
                }
                sum
            };
            groups.push(
                (0..size)
                    .map(|t| {
                        (0..n)
                            .map(|p| p - p % size + element(t, p % size))
                            .collect()
                    })
                    .collect(),
            );
        }
    }
    groups
}

/// Every way to write `size` as a product of factors ≥ 2, each at most `largest`, in
/// non-increasing order.
fn factorizations(size: usize, largest: usize) -> Vec<Vec<usize>> {
    if size == 1 {
        return vec![Vec::new()];
    }
    (2..=largest.min(size))
        .rev()
        .filter(|f| size.is_multiple_of(*f))
        .flat_map(|f| {
            factorizations(size / f, f)
                .into_iter()
                .map(move |mut rest| {
                    rest.insert(0, f);
                    rest
                })
        })
        .collect()
}

/// An exact cover of the pair orbits of `group` by invariant rounds (leaving out a perfect
/// matching of orbits when `matching_left`).
fn cover(
    n: usize,
    s: usize,
    group: &[Vec<usize>],
    matching_left: bool,
    budget: u64,
    rng: &mut impl Rng,
    deadline: &dyn Deadline,
) -> Option<Rounds> {
    let (orbit_of, orbits) = pair_orbits(n, group);
    let table_orbits = table_orbits(n, s, group)?;
    let rounds = invariant_partitions(n, &table_orbits, deadline)?;

    let rows: Vec<Vec<usize>> = rounds
        .iter()
        .map(|round| {
            let mut columns: Vec<usize> = round
                .iter()
                .flat_map(|table| {
                    table.iter().enumerate().flat_map(move |(i, &a)| {
                        table[i + 1..].iter().map(move |&b| (a.min(b), a.max(b)))
                    })
                })
                .map(|(a, b)| orbit_of[a * n + b])
                .collect();
            columns.sort_unstable();
            columns.dedup();
            columns
        })
        .collect();
    // The orbits left out: none, or each perfect matching made of whole orbits.
    let left_outs = if matching_left {
        perfect_matchings(n, &orbits)
    } else {
        vec![Vec::new()]
    };
    let mut spent = 0u64;
    for left_out in left_outs {
        // Columns are the orbits covered, renumbered without the left-out ones.
        let mut column = vec![usize::MAX; orbits.len()];
        let mut columns = 0;
        for (id, slot) in column.iter_mut().enumerate() {
            if !left_out.contains(&id) {
                *slot = columns;
                columns += 1;
            }
        }
        let mut candidates: Vec<(usize, Vec<usize>)> = rows
            .iter()
            .enumerate()
            .filter(|(_, row)| row.iter().all(|&id| column[id] != usize::MAX))
            .map(|(r, row)| (r, row.iter().map(|&id| column[id]).collect()))
            .collect();
        let mut attempt = FIRST_BUDGET;
        while spent < budget && !deadline.passed() {
            candidates.shuffle(rng);
            let shuffled: Vec<Vec<usize>> = candidates.iter().map(|(_, row)| row.clone()).collect();
            let this = attempt.min(budget - spent);
            spent += this;
            attempt *= 2;
            match exact_cover(columns, 0, &shuffled, this, deadline) {
                Cover::Found(chosen) => {
                    return Some(
                        chosen
                            .into_iter()
                            .map(|r| rounds[candidates[r].0].clone())
                            .collect(),
                    );
                }
                Cover::Impossible => break,
                Cover::GaveUp => {}
            }
        }
    }
    None
}

/// Sets of pair orbits that together seat every point in exactly one pair.
fn perfect_matchings(n: usize, orbits: &[Vec<(usize, usize)>]) -> Vec<Vec<usize>> {
    let matchings: Vec<(usize, Vec<usize>)> = orbits
        .iter()
        .enumerate()
        .filter_map(|(id, pairs)| {
            let mut points: Vec<usize> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
            let count = points.len();
            points.sort_unstable();
            points.dedup();
            (points.len() == count).then_some((id, points))
        })
        .collect();
    let mut found = Vec::new();
    let mut covered = vec![false; n];
    let mut chosen = Vec::new();
    matchings_from(&matchings, &mut covered, &mut chosen, &mut found);
    found
}

/// At most this many left-out matchings are tried.
const MAX_MATCHINGS: usize = 64;

fn matchings_from(
    matchings: &[(usize, Vec<usize>)],
    covered: &mut [bool],
    chosen: &mut Vec<usize>,
    found: &mut Vec<Vec<usize>>,
) {
    if found.len() >= MAX_MATCHINGS {
        return;
    }
    let Some(first) = covered.iter().position(|&c| !c) else {
        found.push(chosen.clone());
        return;
    };
    for (id, points) in matchings {
        if points.contains(&first) && points.iter().all(|&p| !covered[p]) {
            for &p in points {
                covered[p] = true;
            }
            chosen.push(*id);
            matchings_from(matchings, covered, chosen, found);
            chosen.pop();
            for &p in points {
                covered[p] = false;
            }
        }
    }
}

/// `orbit_of[a * n + b]` (a < b) and the pairs of every orbit.
fn pair_orbits(n: usize, group: &[Vec<usize>]) -> (Vec<usize>, Vec<Vec<(usize, usize)>>) {
    let mut orbit_of = vec![usize::MAX; n * n];
    let mut orbits = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            if orbit_of[a * n + b] != usize::MAX {
                continue;
            }
            let id = orbits.len();
            let mut pairs = Vec::new();
            for g in group {
                let (x, y) = (g[a].min(g[b]), g[a].max(g[b]));
                if orbit_of[x * n + y] == usize::MAX {
                    orbit_of[x * n + y] = id;
                    pairs.push((x, y));
                }
            }
            orbits.push(pairs);
        }
    }
    (orbit_of, orbits)
}

/// The orbits of tables of `s` whose images are pairwise disjoint (so they can share a round),
/// each as its list of tables; `None` when there are too many subsets to look at.
fn table_orbits(n: usize, s: usize, group: &[Vec<usize>]) -> Option<Vec<Vec<Vec<usize>>>> {
    let subsets = (0..s as u64).fold(1u64, |c, i| c * (n as u64 - i) / (i + 1));
    if subsets > MAX_SUBSETS {
        return None;
    }
    let mut found = Vec::new();
    let mut table = Vec::with_capacity(s);
    subsets_of(n, s, 0, &mut table, &mut |table| {
        let mut images: Vec<Vec<usize>> = group
            .iter()
            .map(|g| {
                let mut image: Vec<usize> = table.iter().map(|&p| g[p]).collect();
                image.sort_unstable();
                image
            })
            .collect();
        images.sort_unstable();
        images.dedup();
        // One representative per orbit (its least table), and only orbits of disjoint tables.
        if images[0] != table {
            return;
        }
        let mut seen = vec![false; n];
        for image in &images {
            for &p in image {
                if std::mem::replace(&mut seen[p], true) {
                    return;
                }
            }
        }
        found.push(images);
    });
    Some(found)
}

fn subsets_of(
    n: usize,
    s: usize,
    from: usize,
    table: &mut Vec<usize>,
    visit: &mut impl FnMut(&[usize]),
) {
    if table.len() == s {
        visit(table);
        return;
    }
    for p in from..=n - (s - table.len()) {
        table.push(p);
        subsets_of(n, s, p + 1, table, visit);
        table.pop();
    }
}

/// Every partition of the points into table orbits (the invariant rounds), up to
/// `MAX_ROUNDS`; `None` beyond.
fn invariant_partitions(
    n: usize,
    table_orbits: &[Vec<Vec<usize>>],
    deadline: &dyn Deadline,
) -> Option<Vec<Vec<Vec<usize>>>> {
    // The table orbits through each point.
    let mut through: Vec<Vec<usize>> = vec![Vec::new(); n];
    let points: Vec<Vec<usize>> = table_orbits
        .iter()
        .map(|orbit| {
            let mut points: Vec<usize> = orbit.iter().flatten().copied().collect();
            points.sort_unstable();
            points
        })
        .collect();
    for (o, orbit_points) in points.iter().enumerate() {
        for &p in orbit_points {
            through[p].push(o);
        }
    }
    let mut covered = vec![false; n];
    let mut chosen = Vec::new();
    let mut rounds = Vec::new();
    let complete = partitions(
        &through,
        &points,
        &mut covered,
        &mut chosen,
        &mut |chosen: &[usize]| {
            rounds.push(
                chosen
                    .iter()
                    .flat_map(|&o| table_orbits[o].iter().cloned())
                    .collect(),
            );
            rounds.len() < MAX_ROUNDS && !deadline.passed()
        },
    );
    complete.then_some(rounds)
}

/// Depth-first over the first uncovered point; false once `found` asks to stop.
fn partitions(
    through: &[Vec<usize>],
    points: &[Vec<usize>],
    covered: &mut [bool],
    chosen: &mut Vec<usize>,
    found: &mut impl FnMut(&[usize]) -> bool,
) -> bool {
    let Some(first) = covered.iter().position(|&c| !c) else {
        return found(chosen);
    };
    for &o in &through[first] {
        if points[o].iter().any(|&p| covered[p]) {
            continue;
        }
        for &p in &points[o] {
            covered[p] = true;
        }
        chosen.push(o);
        let go_on = partitions(through, points, covered, chosen, found);
        chosen.pop();
        for &p in &points[o] {
            covered[p] = false;
        }
        if !go_on {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::matching::NoDeadline;
    use crate::matching::designs::assert_resolvable;

    #[test]
    fn thirty_two_people_at_tables_of_four_reach_the_bound_of_ten_rounds() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let schedule = invariant_rounds(32, 4, 1_000_000, &mut rng, &NoDeadline)
            .expect("rounds fixed by the translations of two levels of GF(2)^4");
        assert_eq!(schedule.len(), 10);
        assert_resolvable(&schedule, 32, 4);
    }
}

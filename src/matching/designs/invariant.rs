//! Rounds fixed by a group. A group G of permutations of the points maps a G-invariant round
//! onto itself, so the pairs it seats together are whole G-orbits of pairs. A repeat-free
//! schedule made of such rounds is then an exact cover of the pair orbits by invariant rounds,
//! a far smaller search than one over rounds of people (the Kramer–Mesner method of design
//! theory). At the bound every person meets `r · (s − 1)` others and has `δ` partners left
//! over: for `δ = 0` every orbit is covered (a design); otherwise the orbits left out must
//! give everyone exactly `δ` partners (a perfect matching for `δ = 1`, triangles or cycles for
//! 2), and each such set of orbits is tried in turn with the others as the cover's columns.
//!
//! The groups tried are the abelian groups `Z_{a_1} × … × Z_{a_j}` acting regularly on each
//! of two to eight levels, from the smallest of at least two tables' size up (below that a
//! group leaves too many invariant rounds to list; past `MAX_ROUNDS` of them it is skipped). The invariant rounds are listed by an exhaustive
//! search over the orbits of tables whose images are disjoint. For 32 people at tables of 4
//! the translations of GF(2)^4 on two levels cannot work (the differences left for the
//! rounds across the levels would have to sum to zero, and they sum to the one left out), and
//! those of GF(2)^3 on four levels give the 10 rounds of the bound, which no partial spread of
//! GF(2)^5 and no array over GF(8) reaches.

use rand::Rng;
use rand::seq::SliceRandom;

use super::Rounds;
use super::exact::{Cover, exact_cover};
use super::groups::abelian_groups;
use crate::matching::Deadline;

/// Table subsets enumerated at most, per group.
const MAX_SUBSETS: u64 = 2_000_000;
/// Invariant rounds enumerated at most, per group.
const MAX_ROUNDS: usize = 20_000;
/// Partners left over per person at the bound beyond which no left-out structure is tried.
const MAX_LEFT_OVER: usize = 2;
/// Left-out sets of orbits tried at most, per group.
const MAX_LEFT_OUTS: usize = 64;
/// Nodes of each cover attempt.
const ATTEMPT_BUDGET: u64 = 10_000;

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
    // Tables of every group's orbits are found among all `s`-subsets: past a few million the
    // listing alone would cost seconds.
    let subsets = (0..s as u64)
        .try_fold(1u64, |c, i| {
            c.checked_mul(n as u64 - i).map(|c| c / (i + 1))
        })
        .unwrap_or(u64::MAX);
    if left_over > MAX_LEFT_OVER || s < 3 || subsets > MAX_SUBSETS {
        return None;
    }
    for group in translation_groups(n, s) {
        if deadline.passed() {
            return None;
        }
        if let Some(rounds) = cover(n, s, &group, left_over, budget, rng, deadline) {
            return Some(rounds);
        }
    }
    None
}

/// Abelian groups `Z_{a_1} × … × Z_{a_j}` of order `size ≥ 2s` dividing `n`, acting regularly
/// on each of the `n / size` levels (eight to two), smallest first.
fn translation_groups(n: usize, s: usize) -> Vec<Vec<Vec<usize>>> {
    let mut groups = Vec::new();
    // A group smaller than two tables shrinks the search too little: its invariant rounds are
    // many, and listing them costs more than the cover gains.
    for size in 2 * s..=n / 2 {
        if !n.is_multiple_of(size) || n / size > 8 {
            continue;
        }
        for group in abelian_groups(size) {
            groups.push(
                (0..size)
                    .map(|t| {
                        (0..n)
                            .map(|p| p - p % size + group.add(t, p % size))
                            .collect()
                    })
                    .collect(),
            );
        }
    }
    groups
}

/// An exact cover of the pair orbits of `group` by invariant rounds, leaving out orbits in
/// which every point has `left_over` partners.
fn cover(
    n: usize,
    s: usize,
    group: &[Vec<usize>],
    left_over: usize,
    budget: u64,
    rng: &mut impl Rng,
    deadline: &dyn Deadline,
) -> Option<Rounds> {
    let (orbit_of, orbits) = pair_orbits(n, group);
    let table_orbits = table_orbits(n, s, group);
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
    // The orbits left out: none, or each union of whole orbits regular of degree `left_over`.
    let left_outs = regular_unions(n, &orbits, left_over);
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
        // Short restarts of a fixed size: how long a cover takes depends heavily on the row
        // order (one order finds it in a few thousand nodes, another not in a million), so
        // many short tries beat a few long ones.
        while spent < budget && !deadline.passed() {
            candidates.shuffle(rng);
            let shuffled: Vec<Vec<usize>> = candidates.iter().map(|(_, row)| row.clone()).collect();
            let this = ATTEMPT_BUDGET.min(budget - spent);
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
                // Only an attempt that gave up spends the budget: a left-out set proved
                // impossible is cheap, and the next one deserves its chance.
                Cover::GaveUp => spent += this,
            }
        }
    }
    None
}

/// Sets of pair orbits in which every point has exactly `degree` partners (for 1, perfect
/// matchings; for 2, unions of cycles, such as the triangles of a group-divisible design),
/// at most `MAX_LEFT_OUTS` of them.
fn regular_unions(n: usize, orbits: &[Vec<(usize, usize)>], degree: usize) -> Vec<Vec<usize>> {
    let degrees: Vec<Vec<(usize, usize)>> = orbits
        .iter()
        .map(|pairs| {
            let mut of = vec![0; n];
            for &(a, b) in pairs {
                of[a] += 1;
                of[b] += 1;
            }
            (0..n).filter(|&p| of[p] > 0).map(|p| (p, of[p])).collect()
        })
        .collect();
    let mut found = Vec::new();
    let mut have = vec![0; n];
    let mut chosen = Vec::new();
    unions_from(&degrees, degree, None, &mut have, &mut chosen, &mut found);
    found
}

fn unions_from(
    degrees: &[Vec<(usize, usize)>],
    degree: usize,
    last: Option<(usize, usize)>,
    have: &mut [usize],
    chosen: &mut Vec<usize>,
    found: &mut Vec<Vec<usize>>,
) {
    if found.len() >= MAX_LEFT_OUTS {
        return;
    }
    let Some(first) = have.iter().position(|&d| d < degree) else {
        found.push(chosen.clone());
        return;
    };
    // Orbits through one point are taken in increasing order, so each union is listed once.
    let from = match last {
        Some((point, id)) if point == first => id + 1,
        _ => 0,
    };
    for (id, of) in degrees.iter().enumerate().skip(from) {
        if of.iter().any(|&(p, _)| p == first) && of.iter().all(|&(p, d)| have[p] + d <= degree) {
            for &(p, d) in of {
                have[p] += d;
            }
            chosen.push(id);
            unions_from(degrees, degree, Some((first, id)), have, chosen, found);
            chosen.pop();
            for &(p, d) in of {
                have[p] -= d;
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
/// each as its list of tables.
fn table_orbits(n: usize, s: usize, group: &[Vec<usize>]) -> Vec<Vec<Vec<usize>>> {
    let mut found = Vec::new();
    super::subsets(n, s, &mut |table| {
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
    found
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
    fn shapes_with_too_many_tables_to_list_are_declined_at_once() {
        // 256 people at tables of 16 meet the bound's arithmetic (δ = 0), and C(256, 16)
        // overflows 64 bits: declined, not a panic.
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert!(invariant_rounds(256, 16, 1_000, &mut rng, &NoDeadline).is_none());
    }

    #[test]
    fn thirty_two_people_at_tables_of_four_reach_the_bound_of_ten_rounds() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let schedule = invariant_rounds(32, 4, 1_000_000, &mut rng, &NoDeadline)
            .expect("rounds fixed by the translations of two levels of GF(2)^4");
        assert_eq!(schedule.len(), 10);
        assert_resolvable(&schedule, 32, 4);
    }
}

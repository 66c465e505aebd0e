//! The classic constructions:
//!
//! - round robin (the circle method) for tables of 2: `n − 1` rounds for an even `n`;
//! - the affine geometry AG(d, q) for `q^d` people at tables of `q`, `q` a prime power: its
//!   lines form `(q^d − 1)/(q − 1)` parallel classes, each a round of `q^(d−1)` tables, and two
//!   points share exactly one line, so every pair meets exactly once over all classes. This
//!   reaches the bound floor((n − 1)/(s − 1)); d = 2 is the affine plane (p + 1 rounds of p
//!   tables of p), q = 3 gives Kirkman triple systems for 9, 27, 81… people;
//! - cosets of a partial spread of GF(2)^d for `2^d` people at tables of `2^e`: e-dimensional
//!   subspaces that pairwise share only zero (found by a depth-first search), one round each.

use rand::Rng;
use rand::seq::SliceRandom;

use super::Rounds;
use super::field::Field;

/// Lines of AG(d, q) for `n = q^d` people at tables of `q`.
pub(crate) fn affine_lines(
    n: usize,
    q: usize,
    rounds: usize,
    rng: &mut impl Rng,
) -> Option<Rounds> {
    let (q, d) = power_of(n, q)?;
    if d < 2 {
        return None;
    }
    let field = Field::new(q)?;
    let directions = field.directions(d);
    Some(affine(
        &field,
        d,
        &directions,
        rounds.min(directions.len()),
        rng,
    ))
}

/// Cosets of a partial spread of GF(2)^d: for `n = 2^d` people at tables of `2^e` (e ≥ 2),
/// `rounds` e-dimensional subspaces that pairwise share only the zero vector; each gives a
/// round whose tables are its cosets, and two people share a table in the round of `W` exactly
/// when their difference lies in `W`, which happens for at most one `W`. For 32 people at
/// tables of 4 this gives 9 rounds (the largest partial spread of lines in PG(4, 2)).
pub(crate) fn binary_spread(
    n: usize,
    s: usize,
    rounds: usize,
    rng: &mut impl Rng,
) -> Option<Rounds> {
    let (_, d) = power_of(n, 2)?;
    let (_, e) = power_of(s, 2)?;
    if e < 2 || d <= e || d > 7 || rounds * (s - 1) > n - 1 {
        return None;
    }
    let mut subspaces = binary_subspaces(d, e);
    subspaces.shuffle(rng);
    let masks: Vec<u128> = subspaces
        .iter()
        .map(|w| w.iter().fold(0u128, |m, &v| m | (1u128 << v)))
        .collect();
    let mut chosen = Vec::with_capacity(rounds);
    let mut budget = 200_000u32;
    if !disjoint(&masks, 0, 0, rounds, s - 1, n - 1, &mut chosen, &mut budget) {
        return None;
    }
    Some(
        chosen
            .into_iter()
            .map(|i| {
                let w = &subspaces[i];
                let mut seen = vec![false; n];
                let mut tables = Vec::with_capacity(n / s);
                for v in 0..n {
                    if !seen[v] {
                        let mut table = vec![v];
                        table.extend(w.iter().map(|&x| v ^ x));
                        for &p in &table {
                            seen[p] = true;
                        }
                        tables.push(table);
                    }
                }
                tables
            })
            .collect(),
    )
}

/// Depth-first search for `needed` pairwise disjoint masks from index `from` on, each covering
/// `size` of the `free` vectors not yet used.
#[allow(clippy::too_many_arguments)]
fn disjoint(
    masks: &[u128],
    from: usize,
    used: u128,
    needed: usize,
    size: usize,
    free: usize,
    chosen: &mut Vec<usize>,
    budget: &mut u32,
) -> bool {
    if needed == 0 {
        return true;
    }
    if free < needed * size || *budget == 0 {
        return false;
    }
    *budget -= 1;
    for i in from..masks.len() {
        if masks[i] & used == 0 {
            chosen.push(i);
            if disjoint(
                masks,
                i + 1,
                used | masks[i],
                needed - 1,
                size,
                free - size,
                chosen,
                budget,
            ) {
                return true;
            }
            chosen.pop();
        }
    }
    false
}

/// Every e-dimensional subspace of GF(2)^d as its nonzero vectors, from the reduced row
/// echelon forms: pivots p_1 < … < p_e, each row free below its pivot outside other pivots.
fn binary_subspaces(d: u32, e: u32) -> Vec<Vec<usize>> {
    let mut result = Vec::new();
    super::subsets(d as usize, e as usize, &mut |pivots| {
        let pivot_mask: usize = pivots.iter().map(|&p| 1 << p).sum();
        let free: Vec<Vec<usize>> = pivots
            .iter()
            .map(|&p| (0..p).filter(|&b| pivot_mask & (1 << b) == 0).collect())
            .collect();
        let mut choice = vec![0usize; pivots.len()];
        loop {
            let rows: Vec<usize> = pivots
                .iter()
                .zip(&free)
                .zip(&choice)
                .map(|((&p, bits), &c)| {
                    (1 << p)
                        | bits
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| c & (1 << i) != 0)
                            .map(|(_, &b)| 1 << b)
                            .sum::<usize>()
                })
                .collect();
            let mut span: Vec<usize> = (1..1usize << rows.len())
                .map(|combo| {
                    rows.iter()
                        .enumerate()
                        .filter(|(i, _)| combo & (1 << i) != 0)
                        .fold(0, |acc, (_, &r)| acc ^ r)
                })
                .collect();
            span.sort_unstable();
            result.push(span);
            // Next choice of free bits, like an odometer.
            let mut i = 0;
            loop {
                if i == choice.len() {
                    return;
                }
                choice[i] += 1;
                if choice[i] < 1 << free[i].len() {
                    break;
                }
                choice[i] = 0;
                i += 1;
            }
        }
    });
    result
}

/// `rounds` of the circle method for an even `n`: person `n − 1` stays, the others rotate.
pub(crate) fn round_robin(n: usize, rounds: usize, rng: &mut impl Rng) -> Rounds {
    let m = n - 1;
    let mut chosen: Vec<usize> = (0..m).collect();
    chosen.shuffle(rng);
    chosen
        .into_iter()
        .take(rounds)
        .map(|i| {
            let mut tables = vec![vec![i, m]];
            tables.extend((1..n / 2).map(|j| vec![(i + j) % m, (i + m - j) % m]));
            tables
        })
        .collect()
}

/// `(q, d)` with `q^d = n`, when `n` is a power of `q`.
pub(crate) fn power_of(n: usize, q: usize) -> Option<(usize, u32)> {
    let (mut value, mut d) = (1usize, 0u32);
    while value < n {
        value = value.checked_mul(q)?;
        d += 1;
    }
    (value == n).then_some((q, d))
}

/// `rounds` parallel classes of AG(d, q), chosen at random among all directions.
fn affine(
    field: &Field,
    d: u32,
    directions: &[Vec<usize>],
    rounds: usize,
    rng: &mut impl Rng,
) -> Rounds {
    let q = field.q;
    let n = q.pow(d);
    let mut order: Vec<usize> = (0..directions.len()).collect();
    order.shuffle(rng);
    order
        .into_iter()
        .take(rounds)
        .map(|i| {
            let direction = &directions[i];
            let mut seen = vec![false; n];
            let mut tables = Vec::with_capacity(n / q);
            for start in 0..n {
                if seen[start] {
                    continue;
                }
                let base = field.coordinates(start, d);
                let line: Vec<usize> = (0..q)
                    .map(|t| {
                        let point: Vec<usize> = base
                            .iter()
                            .zip(direction)
                            .map(|(&b, &v)| field.add(b, field.mul(t, v)))
                            .collect();
                        field.index(&point)
                    })
                    .collect();
                for &p in &line {
                    seen[p] = true;
                }
                tables.push(line);
            }
            tables
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::matching::designs::assert_resolvable;

    #[test]
    fn affine_geometries_reach_the_bound() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for (q, d) in [
            (2, 3),
            (3, 2),
            (3, 3),
            (4, 2),
            (5, 2),
            (7, 2),
            (4, 3),
            (8, 2),
            (9, 2),
        ] {
            let field = Field::new(q).unwrap();
            let directions = field.directions(d);
            let n = q.pow(d);
            assert_eq!(directions.len(), (n - 1) / (q - 1));
            let schedule = affine(&field, d, &directions, directions.len(), &mut rng);
            assert_resolvable(&schedule, n, q);
        }
    }

    #[test]
    fn binary_spreads_give_nine_rounds_for_thirty_two_people_at_tables_of_four() {
        assert_eq!(binary_subspaces(5, 2).len(), 155);
        assert_eq!(binary_subspaces(4, 2).len(), 35);
        for seed in 0..5 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let schedule = binary_spread(32, 4, 9, &mut rng).expect("a partial spread of 9 lines");
            assert_eq!(schedule.len(), 9);
            assert_resolvable(&schedule, 32, 4);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert!(
            binary_spread(32, 4, 10, &mut rng).is_none(),
            "PG(4, 2) has no 10 disjoint lines"
        );
        let schedule = binary_spread(128, 4, 30, &mut rng).expect("30 disjoint lines in PG(6, 2)");
        assert_resolvable(&schedule, 128, 4);
    }

    #[test]
    fn round_robin_pairs_everyone_once() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        for n in [2, 4, 10, 32] {
            assert_resolvable(&round_robin(n, n - 1, &mut rng), n, 2);
        }
    }

    #[test]
    fn shapes_are_recognised() {
        assert_eq!(power_of(32, 2), Some((2, 5)));
        assert_eq!(power_of(81, 3), Some((3, 4)));
        assert_eq!(power_of(32, 4), None);
        assert_eq!(super::super::field::prime_power(12), None);
        assert_eq!(super::super::field::prime_power(49), Some((7, 2)));
    }
}

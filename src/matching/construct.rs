//! Exact constructions of repeat-free schedules, computed (never tables copied from a book):
//!
//! - round robin (the circle method) for tables of 2: `n − 1` rounds for an even `n`;
//! - the affine geometry AG(d, q) for `q^d` people at tables of `q`, `q` a prime power: its
//!   lines form `(q^d − 1)/(q − 1)` parallel classes, each a round of `q^(d−1)` tables, and two
//!   points share exactly one line, so every pair meets exactly once over all classes. This
//!   reaches the bound floor((n − 1)/(s − 1)); d = 2 is the affine plane (p + 1 rounds of p
//!   tables of p), q = 3 gives Kirkman triple systems for 9, 27, 81… people;
//! - cosets of a partial spread of GF(2)^d for `2^d` people at tables of `2^e`: e-dimensional
//!   subspaces that pairwise share only zero (found by a depth-first search), one round each.
//!
//! When more rounds are asked for than a construction gives, it gives what it can and the
//! search seats the remaining rounds greedily.
//!
//! People are assigned to points by a seeded random permutation and the rounds are a random
//! choice of parallel classes, so seeds give different schedules. With two or more hosts the
//! constructions do not apply (two hosts would share a line), and the search starts greedily.

use rand::Rng;
use rand::seq::SliceRandom;

use super::Problem;

type Rounds = Vec<Vec<Vec<usize>>>;

/// Repeat-free rounds and the name of their method, when a construction applies to this
/// problem's shape: all the rounds asked for, or as many as the construction gives (the search
/// seats the rest greedily).
pub(crate) fn construct(problem: &Problem, rng: &mut impl Rng) -> Option<(Rounds, &'static str)> {
    let n = problem.len();
    let s = problem.table_size();
    let rounds = problem.rounds();
    let hosts: Vec<(usize, usize)> = problem
        .participants()
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.host_table.map(|t| (i, t)))
        .collect();
    if hosts.len() > 1 || problem.table_sizes().iter().any(|&size| size != s) {
        return None;
    }
    // Beyond the bound no construction is repeat-free; build as many rounds as one gives.
    let rounds = rounds.min(problem.repeat_free_bound());
    let (mut schedule, method) = if s == 2 {
        (round_robin(n, rounds, rng), "round_robin")
    } else if let Some(schedule) = affine_lines(n, s, rounds, rng) {
        (schedule, "affine_geometry")
    } else {
        let schedule = (1..=rounds)
            .rev()
            .find_map(|rounds| binary_spread(n, s, rounds, rng))?;
        (schedule, "binary_spread")
    };
    let mut label: Vec<usize> = (0..n).collect();
    label.shuffle(rng);
    for round in &mut schedule {
        round.shuffle(rng);
        for table in round.iter_mut() {
            for point in table.iter_mut() {
                *point = label[*point];
            }
        }
        if let Some(&(host, t)) = hosts.first() {
            let at = round
                .iter()
                .position(|table| table.contains(&host))
                .expect("every person sits somewhere");
            round.swap(at, t);
        }
    }
    Some((schedule, method))
}

/// Lines of AG(d, q) for `n = q^d` people at tables of `q`.
fn affine_lines(n: usize, q: usize, rounds: usize, rng: &mut impl Rng) -> Option<Rounds> {
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
fn binary_spread(n: usize, s: usize, rounds: usize, rng: &mut impl Rng) -> Option<Rounds> {
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
/// echelon forms: pivots p_1 > … > p_e, each row free below its pivot outside other pivots.
fn binary_subspaces(d: u32, e: u32) -> Vec<Vec<usize>> {
    let mut result = Vec::new();
    let mut pivots = Vec::new();
    pivot_sets(d as usize, e as usize, 0, &mut pivots, &mut |pivots| {
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

/// Calls `f` with every decreasing sequence of `e` bit positions below `d`.
fn pivot_sets(
    d: usize,
    e: usize,
    from: usize,
    current: &mut Vec<usize>,
    f: &mut impl FnMut(&[usize]),
) {
    if current.len() == e {
        f(current);
        return;
    }
    for p in from..d {
        current.push(p);
        pivot_sets(d, e, p + 1, current, f);
        current.pop();
    }
}

/// `rounds` of the circle method for an even `n`: person `n − 1` stays, the others rotate.
fn round_robin(n: usize, rounds: usize, rng: &mut impl Rng) -> Rounds {
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
fn power_of(n: usize, q: usize) -> Option<(usize, u32)> {
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

/// The finite field GF(q), q = p^m: elements are 0..q, read as polynomials over GF(p) (base-p
/// digits, lowest first) modulo an irreducible polynomial of degree m found by search.
struct Field {
    q: usize,
    add: Vec<usize>,
    mul: Vec<usize>,
}

impl Field {
    fn new(q: usize) -> Option<Field> {
        let (p, m) = prime_power(q)?;
        let modulus = irreducible(p, m);
        let digits = |mut x: usize| -> Vec<usize> {
            (0..m)
                .map(|_| {
                    let d = x % p;
                    x /= p;
                    d
                })
                .collect()
        };
        let number = |poly: &[usize]| poly.iter().rev().fold(0, |acc, &c| acc * p + c);
        let mut add = vec![0; q * q];
        let mut mul = vec![0; q * q];
        for a in 0..q {
            for b in 0..q {
                let (da, db) = (digits(a), digits(b));
                let sum: Vec<usize> = da.iter().zip(&db).map(|(x, y)| (x + y) % p).collect();
                add[a * q + b] = number(&sum);
                let mut product = vec![0; 2 * m];
                for (i, x) in da.iter().enumerate() {
                    for (j, y) in db.iter().enumerate() {
                        product[i + j] = (product[i + j] + x * y) % p;
                    }
                }
                mul[a * q + b] = number(&remainder(&product, &modulus, p)[..m]);
            }
        }
        Some(Field { q, add, mul })
    }

    fn add(&self, a: usize, b: usize) -> usize {
        self.add[a * self.q + b]
    }

    fn mul(&self, a: usize, b: usize) -> usize {
        self.mul[a * self.q + b]
    }

    fn coordinates(&self, mut point: usize, d: u32) -> Vec<usize> {
        (0..d)
            .map(|_| {
                let c = point % self.q;
                point /= self.q;
                c
            })
            .collect()
    }

    fn index(&self, coordinates: &[usize]) -> usize {
        coordinates.iter().rev().fold(0, |acc, &c| acc * self.q + c)
    }

    /// One vector per direction of GF(q)^d: the nonzero vectors whose last nonzero coordinate
    /// is 1; there are (q^d − 1)/(q − 1).
    fn directions(&self, d: u32) -> Vec<Vec<usize>> {
        (1..self.q.pow(d))
            .map(|v| self.coordinates(v, d))
            .filter(|v| v.iter().rev().find(|&&c| c != 0) == Some(&1))
            .collect()
    }
}

/// `(p, m)` with `p` prime and `p^m = q`.
fn prime_power(q: usize) -> Option<(usize, usize)> {
    if q < 2 {
        return None;
    }
    let p = (2..=q).find(|&p| q.is_multiple_of(p))?;
    let (mut rest, mut m) = (q, 0);
    while rest % p == 0 {
        rest /= p;
        m += 1;
    }
    (rest == 1).then_some((p, m))
}

/// The smallest monic irreducible polynomial of degree `m` over GF(p), coefficients lowest
/// first (length m + 1).
fn irreducible(p: usize, m: usize) -> Vec<usize> {
    let monic = |degree: usize, x: usize| -> Vec<usize> {
        let mut poly: Vec<usize> = (0..degree).map(|i| x / p.pow(i as u32) % p).collect();
        poly.push(1);
        poly
    };
    (0..p.pow(m as u32))
        .map(|x| monic(m, x))
        .find(|f| {
            (1..=m / 2).all(|degree| {
                (0..p.pow(degree as u32))
                    .all(|x| remainder(f, &monic(degree, x), p).iter().any(|&c| c != 0))
            })
        })
        .expect("an irreducible polynomial of every degree exists")
}

/// `f mod g` over GF(p) for a monic `g`, padded to `f`'s length.
fn remainder(f: &[usize], g: &[usize], p: usize) -> Vec<usize> {
    let mut r = f.to_vec();
    let dg = g.len() - 1;
    for i in (dg..r.len()).rev() {
        let c = r[i];
        if c != 0 {
            for (j, &gj) in g.iter().enumerate() {
                let k = i - dg + j;
                r[k] = (r[k] + (p - c) * gj) % p;
            }
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    /// Every round partitions 0..n into tables of `s`, and no pair meets twice.
    fn assert_resolvable(schedule: &Rounds, n: usize, s: usize) {
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

    #[test]
    fn fields_satisfy_the_field_laws() {
        for q in [2, 3, 4, 5, 7, 8, 9, 16, 25, 27] {
            let f = Field::new(q).unwrap();
            for a in 0..q {
                assert_eq!(f.add(a, 0), a);
                assert_eq!(f.mul(a, 1), a);
                if a != 0 {
                    assert!(
                        (1..q).any(|b| f.mul(a, b) == 1),
                        "{a} has an inverse in GF({q})"
                    );
                }
                for b in 0..q {
                    for c in 0..q {
                        assert_eq!(f.mul(a, f.add(b, c)), f.add(f.mul(a, b), f.mul(a, c)));
                    }
                }
            }
        }
        assert!(Field::new(6).is_none());
        assert!(Field::new(10).is_none());
    }

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
        assert_eq!(prime_power(12), None);
        assert_eq!(prime_power(49), Some((7, 2)));
    }
}

//! Developed base rounds: the points are `Z_m × levels` plus a few points ∞, and the map σ
//! that adds 1 to every `Z_m` coordinate (leaving the ∞ in place, or turning them as one cycle)
//! generates `m` rounds from one base round: its translates σ^i(R). Two points share a table
//! in some translate exactly when their pair lies in the σ-orbit of a pair of R, so the
//! translates are repeat-free when R uses each pair orbit at most once (the "mixed
//! differences" of a difference family), and pairs whose orbit is shorter than `m` (a pure
//! difference m/2, two fixed ∞) never sit together in R.
//!
//! σ may also turn the ∞ as one cycle (its length dividing `m`), which changes which pairs
//! of ∞ and level points share an orbit. With `s | m` and the ∞ (if any) turning as one cycle of `s`, one more round is fixed by σ: the
//! cosets of the subgroup of order `s` on each level, and the ∞ at one table. Its orbits are
//! then forbidden in R and the schedule has `m + 1` rounds (Kirkman triple systems for 21
//! and 33 people have this shape).
//!
//! R is found by an exact cover (dancing links, `exact.rs`): one column per point (each seated
//! once) and one per usable pair orbit (covered exactly once when there are just enough of
//! them, as in a design, at most once otherwise, as in a packing), one row per possible table.
//! The search restarts with a reshuffled row order and a growing node budget.
//!
//! This finds Kirkman triple systems (tables of 3 for 15 and 21 people), nearly Kirkman triple
//! systems (24, 30, 36 people: Z_m × 2 + 2∞, the unmet pairs a perfect matching; not 18, whose
//! Z_8 layout has no base round) and resolvable group-divisible designs with tables of 4
//! (24 people: Z_7 × 3 + 3∞, unmet groups of 3).

use rand::Rng;
use rand::seq::SliceRandom;

use super::Rounds;
use super::exact::{Cover, exact_cover};
use crate::matching::Deadline;

/// Beyond this many possible tables the exact cover would be too large to set up quickly
/// (36 people at tables of 6 took 13 s past a 10 s budget with 400,000).
const MAX_ROWS: usize = 100_000;
/// Nodes of the first attempt; each restart doubles it, up to the caller's budget.
const FIRST_BUDGET: u64 = 20_000;

/// One way to lay the points out: `n = m · levels + infinite`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    pub m: usize,
    pub levels: usize,
    pub infinite: usize,
    /// σ turns the ∞ as one cycle (its length divides `m`) instead of fixing each.
    pub turn: bool,
    /// A σ-fixed round is added (the ∞, if any, turn as one table of `s`).
    pub fixed_round: bool,
}

impl Layout {
    /// Rounds the layout gives when a base round is found.
    pub fn rounds(&self) -> usize {
        self.m + usize::from(self.fixed_round)
    }

    fn n(&self) -> usize {
        self.m * self.levels + self.infinite
    }

    /// σ: +1 on `Z_m` (point `level · m + x`), ∞ fixed or turned as one cycle.
    fn sigma(&self, p: usize) -> usize {
        let finite = self.m * self.levels;
        if p < finite {
            let (level, x) = (p / self.m, p % self.m);
            level * self.m + (x + 1) % self.m
        } else if self.turn {
            finite + (p - finite + 1) % self.infinite
        } else {
            p
        }
    }

    /// The round σ fixes: on each level the cosets of the subgroup of order `s`, and the ∞.
    fn invariant_round(&self, s: usize) -> Vec<Vec<usize>> {
        let step = self.m / s;
        let mut tables: Vec<Vec<usize>> = (0..self.levels)
            .flat_map(|level| {
                (0..step).map(move |x| (0..s).map(|k| level * self.m + x + k * step).collect())
            })
            .collect();
        if self.infinite > 0 {
            tables.push((self.m * self.levels..self.n()).collect());
        }
        tables
    }
}

/// Every layout of `n` people at tables of `s` that could give between `min_rounds` and
/// `max_rounds` rounds, most rounds first, smaller exact covers first among equals.
pub(crate) fn layouts(n: usize, s: usize, min_rounds: usize, max_rounds: usize) -> Vec<Layout> {
    let g = n / s;
    let pairs_per_round = g * s * (s - 1) / 2;
    let mut found = Vec::new();
    for m in 2..=n {
        for levels in 1..=n / m {
            let infinite = n - m * levels;
            for (turn, fixed_round) in [(false, false), (true, false), (true, true), (false, true)]
            {
                let layout = Layout {
                    m,
                    levels,
                    infinite,
                    turn,
                    fixed_round,
                };
                if (turn && (infinite < 2 || !m.is_multiple_of(infinite)))
                    || (fixed_round && turn != (infinite > 0))
                {
                    continue;
                }
                // An upper bound of the usable pair orbits; `develop` counts them exactly.
                let usable = if fixed_round {
                    // The ∞ are one table of the fixed round; the levels are split by cosets.
                    if !(m.is_multiple_of(s) && (infinite == 0 || infinite == s)) {
                        continue;
                    }
                    levels * ((m - 1) / 2) + levels * (levels - 1) / 2 * m + levels * infinite
                } else {
                    if infinite > g {
                        continue;
                    }
                    levels * ((m - 1) / 2) + levels * (levels - 1) / 2 * m + infinite * levels
                };
                let rounds = layout.rounds();
                if rounds < min_rounds || rounds > max_rounds || usable < pairs_per_round {
                    continue;
                }
                found.push(layout);
            }
        }
    }
    found.sort_by_key(|l| (std::cmp::Reverse(l.rounds()), l.infinite, l.turn, l.m));
    found
}

/// A base round for `layout` and its translates (and the fixed round), or `None` when none was
/// found within `budget` nodes or before the deadline.
pub(crate) fn develop(
    layout: Layout,
    s: usize,
    budget: u64,
    rng: &mut impl Rng,
    deadline: &dyn Deadline,
) -> Option<Rounds> {
    let n = layout.n();
    let g = n / s;
    let sigma: Vec<usize> = (0..n).map(|p| layout.sigma(p)).collect();
    let fixed = layout.fixed_round.then(|| layout.invariant_round(s));

    // Orbit of every pair under σ; pairs of short orbits, or of orbits the fixed round
    // uses, are forbidden in the base round.
    const FORBIDDEN: u32 = u32::MAX;
    const UNSEEN: u32 = u32::MAX - 1;
    let mut orbit = vec![UNSEEN; n * n];
    let mut usable = 0u32;
    let mut in_fixed = vec![false; n * n];
    for table in fixed.iter().flatten() {
        for (i, &a) in table.iter().enumerate() {
            for &b in &table[i + 1..] {
                in_fixed[a * n + b] = true;
                in_fixed[b * n + a] = true;
            }
        }
    }
    for a in 0..n {
        for b in a + 1..n {
            if orbit[a * n + b] != UNSEEN {
                continue;
            }
            let mut members = Vec::with_capacity(layout.m);
            let (mut x, mut y) = (a, b);
            loop {
                members.push((x.min(y), x.max(y)));
                (x, y) = (sigma[x], sigma[y]);
                if (x.min(y), x.max(y)) == (a, b) {
                    break;
                }
            }
            let id = if members.len() == layout.m
                && !members.iter().any(|&(x, y)| in_fixed[x * n + y])
            {
                usable += 1;
                usable - 1
            } else {
                FORBIDDEN
            };
            for (x, y) in members {
                orbit[x * n + y] = id;
                orbit[y * n + x] = id;
            }
        }
    }
    let usable = usable as usize;
    let needed = g * s * (s - 1) / 2;
    if usable < needed {
        return None;
    }

    // Every table whose pairs come from distinct usable orbits.
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut table = Vec::with_capacity(s);
    if !tables(n, s, &orbit, 0, &mut table, &mut Vec::new(), &mut rows) || deadline.passed() {
        return None;
    }
    let exact = usable == needed;
    let to_row = |table: &Vec<usize>| -> Vec<usize> {
        let mut row = table.clone();
        for (i, &a) in table.iter().enumerate() {
            for &b in &table[i + 1..] {
                row.push(n + orbit[a * n + b] as usize);
            }
        }
        row
    };
    let mut rows: Vec<Vec<usize>> = rows.iter().map(to_row).collect();
    let (primary, secondary) = if exact { (n + usable, 0) } else { (n, usable) };
    for this in super::doubling_attempts(FIRST_BUDGET, budget) {
        if deadline.passed() {
            break;
        }
        rows.shuffle(rng);
        match exact_cover(primary, secondary, &rows, this, deadline) {
            Cover::Found(chosen) => {
                let base: Vec<Vec<usize>> = chosen.iter().map(|&r| rows[r][..s].to_vec()).collect();
                let mut rounds: Rounds = fixed.into_iter().collect();
                let mut round = base;
                for _ in 0..layout.m {
                    rounds.push(round.clone());
                    for table in &mut round {
                        for p in table.iter_mut() {
                            *p = sigma[*p];
                        }
                    }
                }
                return Some(rounds);
            }
            Cover::Impossible => return None,
            Cover::GaveUp => {}
        }
    }
    None
}

/// Collects the tables extending `table` (whose pairs use the orbits `ids`) with points from
/// `from` on; false when there are more than `MAX_ROWS`.
fn tables(
    n: usize,
    s: usize,
    orbit: &[u32],
    from: usize,
    table: &mut Vec<usize>,
    ids: &mut Vec<u32>,
    out: &mut Vec<Vec<usize>>,
) -> bool {
    if table.len() == s {
        out.push(table.clone());
        return out.len() <= MAX_ROWS;
    }
    for p in from..n {
        let before = ids.len();
        let fits = table.iter().all(|&a| {
            let id = orbit[a * n + p];
            let fresh = id != u32::MAX && !ids.contains(&id);
            ids.push(id);
            fresh
        });
        if fits {
            table.push(p);
            if !tables(n, s, orbit, p + 1, table, ids, out) {
                return false;
            }
            table.pop();
        }
        ids.truncate(before);
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

    fn first(n: usize, s: usize, rounds: usize) -> Option<Rounds> {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        layouts(n, s, rounds, rounds)
            .into_iter()
            .find_map(|layout| develop(layout, s, 2_000_000, &mut rng, &NoDeadline))
    }

    #[test]
    fn kirkman_and_nearly_kirkman_triple_systems_are_developed() {
        for (n, rounds) in [(15, 7), (21, 10), (24, 11), (30, 14)] {
            let schedule = first(n, 3, rounds).unwrap_or_else(|| panic!("{n} people"));
            assert_eq!(schedule.len(), rounds);
            assert_resolvable(&schedule, n, 3);
        }
    }

    #[test]
    fn twenty_four_people_at_tables_of_four_reach_seven_rounds() {
        // Z_7 × 3 + 3∞: the pairs that never meet form groups of 3.
        let schedule = first(24, 4, 7).expect("a resolvable group-divisible design");
        assert_resolvable(&schedule, 24, 4);
    }
}

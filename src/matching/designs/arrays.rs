//! Difference arrays: rounds fixed by a group. For `g` tables of `s ≤ g`, an `s × w` array `A`
//! over a group of order `g` whose rows pairwise have distinct differences (`A[j][c] − A[i][c]`
//! differ from column to column) gives `w` rounds: round `c` seats point `(i, A[i][c] + t)` of
//! every row `i` at table `t`. Points of rows `i` and `j` meet in round `c` exactly when their
//! difference is `A[j][c] − A[i][c]`, so no pair meets twice; points of one row never meet,
//! and when `s` divides `g` one more round splits each row into tables.
//!
//! Over GF(g), `g` a prime power, `A[i][c] = x_i · y_c` (distinct `x_i`, every `y_c`) has all
//! `g` columns at once. Over `Z_g`, `A[i][c] = i · c` holds while no `d · e` (d < s, e < w) is a
//! multiple of `g`; beyond that a small search adds columns.

use rand::Rng;
use rand::seq::SliceRandom;

use super::Rounds;
use super::field::Field;
use crate::matching::Deadline;

/// Nodes of the first column search; each restart doubles it, up to the caller's budget.
const FIRST_COLUMN_BUDGET: u64 = 300_000;

/// An `s × w` array over a group given by its addition table.
struct Array {
    g: usize,
    add: Box<dyn Fn(usize, usize) -> usize>,
    columns: Vec<Vec<usize>>,
}

impl Array {
    /// The array's rounds, and the row-splitting round when `s | g`, `wanted` at most.
    fn rounds(&self, s: usize, wanted: usize) -> Rounds {
        let mut rounds: Rounds = self
            .columns
            .iter()
            .take(wanted)
            .map(|column| {
                (0..self.g)
                    .map(|t| {
                        column
                            .iter()
                            .enumerate()
                            .map(|(i, &a)| i * self.g + (self.add)(a, t))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        if rounds.len() < wanted && self.g.is_multiple_of(s) {
            rounds.push(
                (0..self.g * s)
                    .collect::<Vec<_>>()
                    .chunks(s)
                    .map(<[usize]>::to_vec)
                    .collect(),
            );
        }
        rounds
    }
}

/// Up to `wanted` rounds for `g` tables of `s ≤ g` from the multiplication array over GF(g).
pub(crate) fn field_array(g: usize, s: usize, wanted: usize) -> Option<Rounds> {
    if s > g {
        return None;
    }
    let field = Field::new(g)?;
    let columns: Vec<Vec<usize>> = (0..g.min(wanted))
        .map(|y| (0..s).map(|x| field.mul(x, y)).collect())
        .collect();
    let array = Array {
        g,
        add: Box::new(move |a, b| field.add(a, b)),
        columns,
    };
    Some(array.rounds(s, wanted))
}

/// Up to `wanted` rounds for `g` tables of `s ≤ g` from an array over `Z_g`: the linear one,
/// then columns found by a depth-first search of at most `budget` nodes.
pub(crate) fn cyclic_array(
    g: usize,
    s: usize,
    wanted: usize,
    budget: u64,
    rng: &mut impl Rng,
    deadline: &dyn Deadline,
) -> Option<Rounds> {
    if s > g || s < 2 {
        return None;
    }
    let columns_wanted = wanted.min(g);
    let linear = (1..=columns_wanted)
        .take_while(|&w| (1..s).all(|d| (1..w).all(|e| !(d * e).is_multiple_of(g))))
        .last()
        .unwrap_or(1);
    let mut best: Vec<Vec<usize>> = (0..linear)
        .map(|c| (0..s).map(|i| i * c % g).collect())
        .collect();
    // Restarts with a fresh value order and a doubled node budget: one deep search tends to
    // sink its whole budget into a hopeless subtree.
    for this in super::doubling_attempts(FIRST_COLUMN_BUDGET, budget) {
        if best.len() >= columns_wanted || deadline.passed() {
            break;
        }
        let mut search = ColumnSearch {
            g,
            s,
            used: vec![false; s * s * g],
            columns: Vec::new(),
            best: Vec::new(),
            target: columns_wanted,
            budget: this,
            deadline,
            order: (0..g).collect(),
        };
        search.order.shuffle(rng);
        search.extend();
        if search.best.len() > best.len() {
            best = search.best;
        }
    }
    let array = Array {
        g,
        add: Box::new(move |a, b| (a + b) % g),
        columns: best,
    };
    Some(array.rounds(s, wanted))
}

/// Depth-first search for columns `(0, a_1, …, a_{s−1})` over `Z_g` whose differences
/// `a_j − a_i` are new for every pair of rows.
struct ColumnSearch<'d> {
    g: usize,
    s: usize,
    /// `used[(i * s + j) * g + d]`: the difference `d` of rows `i < j` is taken.
    used: Vec<bool>,
    columns: Vec<Vec<usize>>,
    best: Vec<Vec<usize>>,
    target: usize,
    budget: u64,
    deadline: &'d dyn Deadline,
    order: Vec<usize>,
}

impl ColumnSearch<'_> {
    fn key(&self, i: usize, j: usize, d: usize) -> usize {
        (i * self.s + j) * self.g + d
    }

    fn mark(&mut self, column: &[usize], value: bool) {
        for j in 1..column.len() {
            for i in 0..j {
                let d = (column[j] + self.g - column[i]) % self.g;
                let key = self.key(i, j, d);
                self.used[key] = value;
            }
        }
    }

    /// True once `target` columns are found or the budget is spent.
    fn extend(&mut self) -> bool {
        if self.columns.len() > self.best.len() {
            self.best = self.columns.clone();
        }
        if self.columns.len() == self.target {
            return true;
        }
        let mut column = vec![0];
        self.fill(&mut column)
    }

    fn fill(&mut self, column: &mut Vec<usize>) -> bool {
        if self.budget == 0 || (self.budget.is_multiple_of(1024) && self.deadline.passed()) {
            return true;
        }
        self.budget -= 1;
        if column.len() == self.s {
            self.mark(column, true);
            self.columns.push(column.clone());
            let done = self.extend();
            self.columns.pop();
            self.mark(column, false);
            return done;
        }
        let j = column.len();
        for k in 0..self.g {
            let a = self.order[(k + self.columns.len()) % self.g];
            let fresh = (0..j).all(|i| {
                let d = (a + self.g - column[i]) % self.g;
                !self.used[self.key(i, j, d)]
            });
            if fresh {
                column.push(a);
                if self.fill(column) {
                    return true;
                }
                column.pop();
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::matching::NoDeadline;
    use crate::matching::designs::assert_resolvable;

    #[test]
    fn field_arrays_give_g_rounds_and_one_more_when_s_divides_g() {
        for (g, s, rounds) in [
            (4, 3, 4),
            (5, 4, 5),
            (8, 4, 9),
            (7, 7, 8),
            (9, 3, 10),
            (11, 5, 11),
        ] {
            let schedule = field_array(g, s, 100).unwrap();
            assert_eq!(schedule.len(), rounds, "{g} tables of {s}");
            assert_resolvable(&schedule, g * s, s);
        }
    }

    #[test]
    fn cyclic_arrays_are_repeat_free() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for (g, s, at_least) in [(6, 3, 5), (10, 4, 6), (12, 5, 5), (500, 10, 4)] {
            let schedule =
                cyclic_array(g, s, 4.max(at_least), 100_000, &mut rng, &NoDeadline).unwrap();
            assert!(schedule.len() >= at_least.min(4), "{g} tables of {s}");
            assert_resolvable(&schedule, g * s, s);
        }
    }
}

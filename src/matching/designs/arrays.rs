//! Difference arrays: rounds fixed by a group. For `g` tables of `s ≤ g`, an `s × w` array `A`
//! over a group of order `g` whose rows pairwise have distinct differences (`A[j][c] − A[i][c]`
//! differ from column to column) gives `w` rounds: round `c` seats point `(i, A[i][c] + t)` of
//! every row `i` at table `t`. Points of rows `i` and `j` meet in round `c` exactly when their
//! difference is `A[j][c] − A[i][c]`, so no pair meets twice; points of one row never meet,
//! and when `s` divides `g` one more round splits each row into tables.
//!
//! Over GF(g), `g` a prime power, `A[i][c] = x_i · y_c` (distinct `x_i`, every `y_c`) has all
//! `g` columns at once, and so has the product of such arrays over the prime powers of `g`
//! while `s` is at most each of them. Over `Z_g`, `A[i][c] = i · c` holds while no `d · e`
//! (d < s, e < w) is a multiple of `g`; beyond that a small search adds columns. Over other
//! abelian groups a search looks for the whole array.

use rand::Rng;
use rand::seq::SliceRandom;

use super::Rounds;
use super::field::Field;
use super::groups::{Abelian, abelian_groups, digitwise};
use crate::matching::Deadline;

/// Nodes of the first column search; each restart doubles it, up to the caller's budget.
const FIRST_COLUMN_BUDGET: u64 = 300_000;
/// Nodes of each attempt of the search for a whole array: 12 tables of 5 took 4 to 50
/// attempts of this size, by seed; 20,000-node attempts needed 10 times as many nodes.
const MATRIX_ATTEMPT_BUDGET: u64 = 200_000;

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

/// Up to `wanted` rounds for `g` tables of `s` from the product of the multiplication arrays
/// over GF(q) for the prime powers `q` whose product is `g` (MacNeish's construction): an
/// element of the group is one digit per field, and entry `(i, y)` is `i · y_k` in digit `k`.
/// Differences of two rows are distinct digit by digit, so the product has all `g` columns
/// whenever `s` is at most every `q`.
pub(crate) fn field_array(g: usize, s: usize, wanted: usize) -> Option<Rounds> {
    let parts = prime_power_parts(g);
    // Checked before any field is built: 500 tables of 10 would build GF(125) for nothing.
    if parts.iter().any(|&q| s > q) {
        return None;
    }
    let fields: Vec<Field> = parts
        .iter()
        .map(|&q| Field::new(q))
        .collect::<Option<_>>()?;
    // Row `i` stands for the element with every digit `i` (`i < s ≤ q`, so all distinct).
    let rows: Vec<usize> = (0..s)
        .map(|i| digitwise(&parts, 0, 0, |_, _, _| i))
        .collect();
    let columns: Vec<Vec<usize>> = (0..g.min(wanted))
        .map(|y| {
            rows.iter()
                .map(|&x| digitwise(&parts, x, y, |k, a, b| fields[k].mul(a, b)))
                .collect()
        })
        .collect();
    let array = Array {
        g,
        add: Box::new(move |a, b| digitwise(&parts, a, b, |k, a, b| fields[k].add(a, b))),
        columns,
    };
    Some(array.rounds(s, wanted))
}

/// The prime powers whose product is `g`, one per prime.
fn prime_power_parts(mut g: usize) -> Vec<usize> {
    let mut parts = Vec::new();
    let mut p = 2;
    while g > 1 {
        if g.is_multiple_of(p) {
            let mut q = 1;
            while g.is_multiple_of(p) {
                g /= p;
                q *= p;
            }
            parts.push(q);
        }
        p += 1;
    }
    parts
}

/// Up to `wanted` rounds for `g` tables of `s` from an array with all `g` columns (a
/// difference matrix) over an abelian group of order `g ≤ 64`. Adding a constant to a row
/// keeps an array one, so the first row and one column may be zero, and then the second row
/// runs through the group: the column with `a_1 = x` is searched for each `x ≠ 0` in turn,
/// its other entries depth first, so that every pair of rows takes a difference no earlier
/// column took. Groups without a complete mapping have no such array of three rows or more
/// and are skipped. `None` when no group gives one within `budget` nodes.
pub(crate) fn complete_array(
    g: usize,
    s: usize,
    wanted: usize,
    budget: u64,
    rng: &mut impl Rng,
    deadline: &dyn Deadline,
) -> Option<Rounds> {
    if s < 3 || s > g || g > 64 {
        return None;
    }
    for group in abelian_groups(g) {
        if !group.has_complete_mapping() {
            continue;
        }
        let mut spent = 0;
        // Short restarts with the columns and values in a new order: the time to an array
        // depends heavily on the order, as for the rounds fixed by a group.
        while spent < budget && !deadline.passed() {
            let this = MATRIX_ATTEMPT_BUDGET.min(budget - spent);
            if let Some(columns) = MatrixSearch::new(&group, s, this, rng).run(deadline) {
                let array = Array {
                    g,
                    columns,
                    add: Box::new(move |a, b| group.add(a, b)),
                };
                return Some(array.rounds(s, wanted));
            }
            spent += this;
        }
    }
    None
}

/// Depth-first search for a whole difference matrix, one column per value of the second row.
struct MatrixSearch {
    g: usize,
    s: usize,
    /// `difference[x * g + y]`: `x − y` in the group.
    difference: Vec<usize>,
    /// The second row's values, in the order their columns are searched.
    seconds: Vec<usize>,
    /// The order in which entries are tried.
    values: Vec<usize>,
    /// `taken[i * s + j]`: the differences of rows `i < j` taken so far, as bits.
    taken: Vec<u64>,
    columns: Vec<Vec<usize>>,
    budget: u64,
}

impl MatrixSearch {
    fn new(group: &Abelian, s: usize, budget: u64, rng: &mut impl Rng) -> MatrixSearch {
        let g = group.order();
        let mut seconds: Vec<usize> = (1..g).collect();
        seconds.shuffle(rng);
        let mut values: Vec<usize> = (1..g).collect();
        values.shuffle(rng);
        MatrixSearch {
            g,
            s,
            difference: (0..g * g).map(|xy| group.sub(xy / g, xy % g)).collect(),
            seconds,
            values,
            taken: vec![0; s * s],
            columns: Vec::new(),
            budget,
        }
    }

    fn run(mut self, deadline: &dyn Deadline) -> Option<Vec<Vec<usize>>> {
        self.place(vec![0; self.s]);
        self.next_column(deadline).then_some(self.columns)
    }

    fn place(&mut self, column: Vec<usize>) {
        self.mark(&column);
        self.columns.push(column);
    }

    fn mark(&mut self, column: &[usize]) {
        for j in 1..self.s {
            for i in 0..j {
                self.taken[i * self.s + j] ^= 1 << self.difference[column[j] * self.g + column[i]];
            }
        }
    }

    /// True once every column is placed; false when this branch fails or the budget is spent.
    fn next_column(&mut self, deadline: &dyn Deadline) -> bool {
        let level = self.columns.len() - 1;
        let Some(&second) = self.seconds.get(level) else {
            return true;
        };
        self.fill(&mut vec![0, second], deadline)
    }

    fn fill(&mut self, column: &mut Vec<usize>, deadline: &dyn Deadline) -> bool {
        if self.budget == 0 || (self.budget.is_multiple_of(1024) && deadline.passed()) {
            self.budget = 0;
            return false;
        }
        self.budget -= 1;
        let j = column.len();
        if j == self.s {
            self.place(column.clone());
            if self.next_column(deadline) {
                return true;
            }
            let placed = self.columns.pop().unwrap_or_default();
            self.mark(&placed);
            return false;
        }
        // Permuting rows 2.. keeps an array one: the first column searched may list those
        // rows' entries in increasing order, which leaves one of each (s − 2)! arrays.
        let first = self.columns.len() == 1;
        for k in 0..self.values.len() {
            let a = self.values[k];
            if first && j > 2 && a < column[j - 1] {
                continue;
            }
            let fresh = (0..j).all(|i| {
                self.taken[i * self.s + j] & (1 << self.difference[a * self.g + column[i]]) == 0
            });
            if fresh {
                column.push(a);
                if self.fill(column, deadline) {
                    return true;
                }
                column.pop();
            }
        }
        false
    }
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
    fn field_arrays_and_their_products_give_g_rounds_and_one_more_when_s_divides_g() {
        for (g, s, rounds) in [
            (4, 3, 4),
            (5, 4, 5),
            (8, 4, 9),
            (7, 7, 8),
            (9, 3, 10),
            (11, 5, 11),
            (12, 3, 13),
            (15, 3, 16),
            (20, 4, 21),
            (28, 4, 29),
            (45, 5, 46),
        ] {
            let schedule = field_array(g, s, 100).unwrap_or_else(|| panic!("{g} × {s}"));
            assert_eq!(schedule.len(), rounds, "{g} tables of {s}");
            assert_resolvable(&schedule, g * s, s);
        }
    }

    #[test]
    fn complete_arrays_over_groups_that_are_not_fields_give_g_rounds() {
        // Order 12 has no field, MacNeish's product stops at 3 rows and Z_12 has no complete
        // mapping: the search over Z_2 × Z_6 finds the array.
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let schedule = complete_array(12, 5, 100, 50_000_000, &mut rng, &NoDeadline).unwrap();
        assert_eq!(schedule.len(), 12);
        assert_resolvable(&schedule, 60, 5);
        // Order 10: Z_10 is the only group, and it has no complete mapping.
        assert!(complete_array(10, 4, 100, 50_000_000, &mut rng, &NoDeadline).is_none());
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

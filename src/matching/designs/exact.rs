//! Exact cover with Knuth's dancing links (Algorithm X): choose rows so that every primary
//! column is covered exactly once and every secondary column at most once. The search stops
//! after a budget of nodes or when the deadline passes, so a caller can restart with another
//! row order instead of getting stuck in one hopeless subtree.

use crate::matching::Deadline;

/// What a bounded search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cover {
    /// The rows chosen, by index.
    Found(Vec<usize>),
    /// The whole tree was searched: no cover exists (with these rows).
    Impossible,
    /// The node budget ran out or the deadline passed first.
    GaveUp,
}

/// The toroidal lists: node 0 is the root, nodes `1..=columns` the column headers.
struct Links {
    left: Vec<usize>,
    right: Vec<usize>,
    up: Vec<usize>,
    down: Vec<usize>,
    column: Vec<usize>,
    row: Vec<usize>,
    size: Vec<usize>,
}

impl Links {
    fn new(primary: usize, secondary: usize, rows: &[Vec<usize>]) -> Links {
        let columns = primary + secondary;
        let nodes = 1 + columns + rows.iter().map(Vec::len).sum::<usize>();
        let mut links = Links {
            left: Vec::with_capacity(nodes),
            right: Vec::with_capacity(nodes),
            up: Vec::with_capacity(nodes),
            down: Vec::with_capacity(nodes),
            column: Vec::with_capacity(nodes),
            row: Vec::with_capacity(nodes),
            size: vec![0; columns + 1],
        };
        for i in 0..=columns {
            // Primary headers are linked in a ring with the root; secondary ones stand alone,
            // so the search never has to cover them.
            let (l, r) = if i == 0 {
                (primary, if primary == 0 { 0 } else { 1 })
            } else if i <= primary {
                (i - 1, if i == primary { 0 } else { i + 1 })
            } else {
                (i, i)
            };
            links.left.push(l);
            links.right.push(r);
            links.up.push(i);
            links.down.push(i);
            links.column.push(i);
            links.row.push(usize::MAX);
        }
        for (r, columns_of_row) in rows.iter().enumerate() {
            let first = links.left.len();
            for (k, &c) in columns_of_row.iter().enumerate() {
                let node = links.left.len();
                let header = c + 1;
                let last = first + columns_of_row.len() - 1;
                links.left.push(if k == 0 { last } else { node - 1 });
                links
                    .right
                    .push(if node == last { first } else { node + 1 });
                links.up.push(links.up[header]);
                links.down.push(header);
                let above = links.up[header];
                links.down[above] = node;
                links.up[header] = node;
                links.column.push(header);
                links.row.push(r);
                links.size[header] += 1;
            }
        }
        links
    }

    fn cover(&mut self, c: usize) {
        let (l, r) = (self.left[c], self.right[c]);
        self.right[l] = r;
        self.left[r] = l;
        let mut i = self.down[c];
        while i != c {
            let mut j = self.right[i];
            while j != i {
                let (u, d) = (self.up[j], self.down[j]);
                self.down[u] = d;
                self.up[d] = u;
                self.size[self.column[j]] -= 1;
                j = self.right[j];
            }
            i = self.down[i];
        }
    }

    fn uncover(&mut self, c: usize) {
        let mut i = self.up[c];
        while i != c {
            let mut j = self.left[i];
            while j != i {
                self.size[self.column[j]] += 1;
                let (u, d) = (self.up[j], self.down[j]);
                self.down[u] = j;
                self.up[d] = j;
                j = self.left[j];
            }
            i = self.up[i];
        }
        let (l, r) = (self.left[c], self.right[c]);
        self.right[l] = c;
        self.left[r] = c;
    }
}

struct Search<'d> {
    links: Links,
    chosen: Vec<usize>,
    budget: u64,
    deadline: &'d dyn Deadline,
}

enum Step {
    Found,
    Exhausted,
    Stop,
}

impl Search<'_> {
    fn run(&mut self) -> Step {
        let root = 0;
        if self.links.right[root] == root {
            return Step::Found;
        }
        // The primary column with the fewest rows left (Knuth's S heuristic).
        let mut best = self.links.right[root];
        let mut c = best;
        while c != root {
            if self.links.size[c] < self.links.size[best] {
                best = c;
            }
            c = self.links.right[c];
        }
        if self.links.size[best] == 0 {
            return Step::Exhausted;
        }
        self.links.cover(best);
        let mut r = self.links.down[best];
        let mut outcome = Step::Exhausted;
        while r != best {
            if self.budget == 0 || (self.budget.is_multiple_of(1024) && self.deadline.passed()) {
                outcome = Step::Stop;
                break;
            }
            self.budget -= 1;
            self.chosen.push(self.links.row[r]);
            let mut j = self.links.right[r];
            while j != r {
                self.links.cover(self.links.column[j]);
                j = self.links.right[j];
            }
            let step = self.run();
            let mut j = self.links.left[r];
            while j != r {
                self.links.uncover(self.links.column[j]);
                j = self.links.left[j];
            }
            match step {
                Step::Found => return Step::Found,
                Step::Stop => {
                    outcome = Step::Stop;
                    self.chosen.pop();
                    break;
                }
                Step::Exhausted => {}
            }
            self.chosen.pop();
            r = self.links.down[r];
        }
        self.links.uncover(best);
        outcome
    }
}

/// Rows (lists of column indices: `0..primary` primary, `primary..primary + secondary`
/// secondary) whose choice covers each primary column once and each secondary column at most
/// once, trying at most `budget` rows.
pub(crate) fn exact_cover(
    primary: usize,
    secondary: usize,
    rows: &[Vec<usize>],
    budget: u64,
    deadline: &dyn Deadline,
) -> Cover {
    let mut search = Search {
        links: Links::new(primary, secondary, rows),
        chosen: Vec::new(),
        budget,
        deadline,
    };
    match search.run() {
        Step::Found => Cover::Found(search.chosen),
        Step::Exhausted => Cover::Impossible,
        Step::Stop => Cover::GaveUp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::NoDeadline;

    #[test]
    fn knuths_example_has_its_one_cover() {
        // Knuth, "Dancing links" (2000), the 7-column example: rows 0, 3, 4 cover it.
        let rows = vec![
            vec![2, 4, 5],
            vec![0, 3, 6],
            vec![1, 2, 5],
            vec![0, 3],
            vec![1, 6],
            vec![3, 4, 6],
        ];
        let Cover::Found(mut chosen) = exact_cover(7, 0, &rows, 1_000, &NoDeadline) else {
            panic!("a cover exists");
        };
        chosen.sort_unstable();
        assert_eq!(chosen, vec![0, 3, 4]);
    }

    #[test]
    fn secondary_columns_are_covered_at_most_once() {
        // Columns 0 and 1 primary, 2 secondary: rows 0 and 1 both use column 2.
        let rows = vec![vec![0, 2], vec![1, 2], vec![1]];
        assert_eq!(
            exact_cover(2, 1, &rows, 100, &NoDeadline),
            Cover::Found(vec![0, 2])
        );
        let rows = vec![vec![0, 2], vec![1, 2]];
        assert_eq!(
            exact_cover(2, 1, &rows, 100, &NoDeadline),
            Cover::Impossible
        );
    }

    #[test]
    fn a_spent_budget_gives_up() {
        let rows: Vec<Vec<usize>> = (0..6).map(|c| vec![c]).collect();
        assert_eq!(exact_cover(6, 0, &rows, 3, &NoDeadline), Cover::GaveUp);
    }
}

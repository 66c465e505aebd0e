//! Greedy start and tabu search (Dotú & Van Hentenryck, "Scheduling social golfers locally";
//! Triska & Musliu, "An effective greedy heuristic for the Social Golfer Problem").
//!
//! A state assigns each person a table in each round; table sizes never change. A move swaps
//! two people of one round who sit at different tables (hosts never move), so every state is a
//! balanced partition. While some pair is in conflict (met before in this event, met at an
//! earlier event, or must be kept apart), each step takes the best swap involving a person in
//! conflict that is not tabu: swapping the same two people in the same round again is tabu for
//! a random 4 to 15 steps, unless it beats the best state seen (aspiration); ties are broken at
//! random. After a long run without a new best state the search goes back to the best one and
//! shakes it with a few random swaps; every fourth time it starts afresh instead.
//!
//! Once nothing is in conflict, it improves table quality: each step takes the best non-tabu
//! swap of a random person unless it makes things worse, until no step has found a new best
//! state for a long while.
//!
//! A constructed start is first relabelled: swapping two people in every round keeps it
//! repeat-free, and such swaps are kept while they lower the price (history, table quality).
//!
//! Who is in conflict is kept up to date at each swap (a count per person and round), so a step
//! costs the evaluation of the swaps of the people in conflict, not a scan of all tables.

use std::collections::HashMap;

use rand::Rng;
use rand::seq::SliceRandom;

use super::cost::{CONFLICT, CostModel, Meetings, repeat_step};
use super::{Deadline, Schedule, Stop};

/// Beyond this many tables per round, a person's swaps are tried with the people of this many
/// random tables only.
const MAX_TABLES_TRIED: usize = 64;
/// With more people in conflict than this, a step tries the swaps of this many of them, chosen
/// at random (a step stays cheap on thousands of people).
const MAX_CONFLICTS_TRIED: usize = 256;
/// Every this many shakes, the search restarts from a fresh start (construction or greedy).
const RESTART_EVERY: u64 = 4;
/// Tabu tenure: a random number of steps in this range.
const TENURE: std::ops::Range<u64> = 4..16;

/// What the search did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stats {
    pub iterations: u64,
    pub stop: Stop,
    /// The total price of the schedule returned.
    pub cost: i128,
}

pub(crate) struct Outcome {
    pub schedule: Schedule,
    pub stats: Stats,
}

/// Tables of every round, the meeting counts they imply, and who is in conflict.
pub(crate) struct State<'m> {
    model: &'m CostModel,
    n: usize,
    k: usize,
    rounds: usize,
    /// `table_of[r * n + x]`: the table of `x` in round `r`.
    table_of: Vec<u32>,
    /// `members[r * k + t]`: who sits at table `t` in round `r`.
    members: Vec<Vec<u32>>,
    meetings: Meetings,
    /// `bad[r * n + x]`: tablemates of `x` in round `r` it is in conflict with.
    bad: Vec<u16>,
    /// Σ bad.
    total_bad: usize,
    cost: i128,
}

impl<'m> State<'m> {
    fn empty(model: &'m CostModel) -> Self {
        let (n, k, rounds) = (model.n, model.table_sizes.len(), model.rounds);
        State {
            model,
            n,
            k,
            rounds,
            table_of: vec![u32::MAX; rounds * n],
            members: model
                .table_sizes
                .iter()
                .cycle()
                .take(rounds * k)
                .map(|&s| Vec::with_capacity(s))
                .collect(),
            meetings: Meetings::new(n),
            bad: vec![0; rounds * n],
            total_bad: 0,
            cost: 0,
        }
    }

    /// A state from given rounds (a construction), possibly fewer than the model's: the others
    /// stay empty for `greedy_from`. Tables must have the model's sizes.
    pub fn from_rounds(model: &'m CostModel, rounds: Vec<Vec<Vec<usize>>>) -> Self {
        let mut state = State::empty(model);
        for (r, tables) in rounds.into_iter().enumerate() {
            for (t, table) in tables.into_iter().enumerate() {
                debug_assert_eq!(table.len(), model.table_sizes[t]);
                for x in table {
                    state.seat(r, t, x);
                }
            }
        }
        state.count_conflicts();
        state
    }

    fn from_table_of(model: &'m CostModel, table_of: &[u32]) -> Self {
        let mut state = State::empty(model);
        for r in 0..state.rounds {
            for x in 0..state.n {
                state.seat(r, table_of[r * state.n + x] as usize, x);
            }
        }
        state.count_conflicts();
        state
    }

    /// Seats `x` at table `t` of round `r`, paying for the pairs it forms. Conflicts are
    /// counted afterwards by `count_conflicts`.
    fn seat(&mut self, r: usize, t: usize, x: usize) {
        let slot = r * self.k + t;
        for i in 0..self.members[slot].len() {
            let z = self.members[slot][i] as usize;
            self.cost +=
                i128::from(repeat_step(self.meetings.get(x, z)) + self.model.static_price(x, z));
            self.meetings.add(x, z);
        }
        self.members[slot].push(x as u32);
        self.table_of[r * self.n + x] = t as u32;
    }

    fn count_conflicts(&mut self) {
        self.bad.fill(0);
        self.total_bad = 0;
        for r in 0..self.rounds {
            for t in 0..self.k {
                let table = &self.members[r * self.k + t];
                for (i, &a) in table.iter().enumerate() {
                    for &b in &table[i + 1..] {
                        if self.in_conflict(a as usize, b as usize) {
                            self.bad[r * self.n + a as usize] += 1;
                            self.bad[r * self.n + b as usize] += 1;
                            self.total_bad += 2;
                        }
                    }
                }
            }
        }
    }

    /// The total price of the current schedule.
    #[cfg(test)]
    pub fn cost(&self) -> i128 {
        self.cost
    }

    fn table(&self, r: usize, x: usize) -> usize {
        self.table_of[r * self.n + x] as usize
    }

    fn movable(&self, x: usize) -> bool {
        self.model.host_table[x].is_none()
    }

    /// Whether a pair sharing a table is a conflict: a repeat within the event, a meeting at
    /// an earlier event, or a pair to keep apart.
    #[inline]
    fn in_conflict(&self, a: usize, b: usize) -> bool {
        self.meetings.get(a, b) >= 2 || self.model.static_price(a, b) >= CONFLICT
    }

    /// Change of the total price if `x` and `y` (different tables of round `r`) swap.
    #[inline]
    fn delta(&self, r: usize, x: usize, y: usize) -> i64 {
        let (model, meet) = (self.model, &self.meetings);
        let mut d = 0;
        for &z in &self.members[r * self.k + self.table(r, x)] {
            let z = z as usize;
            if z != x {
                d += repeat_step(meet.get(y, z)) + model.static_price(y, z)
                    - repeat_step(meet.get(x, z) - 1)
                    - model.static_price(x, z);
            }
        }
        for &z in &self.members[r * self.k + self.table(r, y)] {
            let z = z as usize;
            if z != y {
                d += repeat_step(meet.get(x, z)) + model.static_price(x, z)
                    - repeat_step(meet.get(y, z) - 1)
                    - model.static_price(y, z);
            }
        }
        d
    }

    /// Counts (`up`) or uncounts the conflict of `a` and `b` in round `r`.
    fn mark(&mut self, r: usize, a: usize, b: usize, up: bool) {
        for x in [a, b] {
            let count = &mut self.bad[r * self.n + x];
            *count = if up { *count + 1 } else { *count - 1 };
        }
        if up {
            self.total_bad += 2;
        } else {
            self.total_bad -= 2;
        }
    }

    /// One more (`up`) or one fewer meeting of `a` and `b` in round `r`, keeping the conflict
    /// counts of the other rounds where they share a table right.
    fn meet(&mut self, r: usize, a: usize, b: usize, up: bool) {
        let before = self.in_conflict(a, b);
        if up {
            self.meetings.add(a, b);
        } else {
            self.meetings.remove(a, b);
        }
        if before != self.in_conflict(a, b) {
            for other in (0..self.rounds).filter(|&o| o != r) {
                if self.table(other, a) == self.table(other, b) {
                    self.mark(other, a, b, !before);
                }
            }
        }
    }

    fn swap(&mut self, r: usize, x: usize, y: usize, delta: i64) {
        let (tx, ty) = (self.table(r, x), self.table(r, y));
        let (sx, sy) = (r * self.k + tx, r * self.k + ty);
        let at_x: Vec<usize> = self.members[sx].iter().map(|&z| z as usize).collect();
        let at_y: Vec<usize> = self.members[sy].iter().map(|&z| z as usize).collect();
        for (&mover, table) in [(&x, &at_x), (&y, &at_y)] {
            for &z in table.iter().filter(|&&z| z != mover) {
                if self.in_conflict(mover, z) {
                    self.mark(r, mover, z, false);
                }
            }
        }
        for &z in at_x.iter().filter(|&&z| z != x) {
            self.meet(r, x, z, false);
            self.meet(r, y, z, true);
        }
        for &z in at_y.iter().filter(|&&z| z != y) {
            self.meet(r, y, z, false);
            self.meet(r, x, z, true);
        }
        for (&mover, table) in [(&y, &at_x), (&x, &at_y)] {
            for &z in table.iter().filter(|&&z| z != x && z != y) {
                if self.in_conflict(mover, z) {
                    self.mark(r, mover, z, true);
                }
            }
        }
        let ix = self.members[sx].iter().position(|&z| z as usize == x);
        let iy = self.members[sy].iter().position(|&z| z as usize == y);
        self.members[sx][ix.expect("x sits at its table")] = y as u32;
        self.members[sy][iy.expect("y sits at its table")] = x as u32;
        self.table_of[r * self.n + x] = ty as u32;
        self.table_of[r * self.n + y] = tx as u32;
        self.cost += i128::from(delta);
    }

    /// Every (round, person) in conflict that may move, in a fixed order.
    fn conflicts(&self, out: &mut Vec<(u32, u32)>) {
        out.clear();
        if self.total_bad == 0 {
            return;
        }
        for (i, &count) in self.bad.iter().enumerate() {
            let (r, x) = (i / self.n, i % self.n);
            if count > 0 && self.movable(x) {
                out.push((r as u32, x as u32));
            }
        }
    }

    /// Tables whose people `x` may swap with in round `r`: all others, or a random sample.
    fn tables_to_try(&self, r: usize, x: usize, rng: &mut impl Rng, out: &mut Vec<usize>) {
        let own = self.table(r, x);
        out.clear();
        if self.k <= MAX_TABLES_TRIED + 1 {
            out.extend((0..self.k).filter(|&t| t != own));
        } else {
            while out.len() < MAX_TABLES_TRIED {
                let t = rng.random_range(0..self.k);
                if t != own && !out.contains(&t) {
                    out.push(t);
                }
            }
        }
    }

    /// Swaps the places of `x` and `y` in every round (a relabelling: a repeat-free schedule
    /// stays repeat-free); returns the change of price.
    fn relabel(&mut self, x: usize, y: usize) -> i64 {
        let mut total = 0;
        for r in 0..self.rounds {
            if self.table(r, x) != self.table(r, y) {
                let d = self.delta(r, x, y);
                self.swap(r, x, y, d);
                total += d;
            }
        }
        total
    }

    fn schedule(&self) -> Schedule {
        Schedule {
            rounds: (0..self.rounds)
                .map(|r| {
                    (0..self.k)
                        .map(|t| {
                            let mut table: Vec<usize> = self.members[r * self.k + t]
                                .iter()
                                .map(|&x| x as usize)
                                .collect();
                            table.sort_unstable();
                            table
                        })
                        .collect()
                })
                .collect(),
        }
    }
}

/// Round by round, hosts first, then everyone else in random order at the table where they
/// add the least price (ties broken at random; without possible bonuses the first free table
/// at no price is taken, scanning from a random table).
pub(crate) fn greedy<'m>(model: &'m CostModel, rng: &mut impl Rng) -> State<'m> {
    greedy_from(State::empty(model), 0, rng)
}

/// Seats rounds `first..` of `state` greedily (the earlier rounds are already seated).
pub(crate) fn greedy_from<'m>(mut state: State<'m>, first: usize, rng: &mut impl Rng) -> State<'m> {
    let model = state.model;
    let (n, k) = (state.n, state.k);
    let mut order: Vec<usize> = (0..n).filter(|&x| state.movable(x)).collect();
    // Beyond the dense matrices: the current person's prices against everyone, scattered.
    let mut scratch: Vec<i64> = if model.is_dense() {
        Vec::new()
    } else {
        vec![0; n]
    };
    for r in first..state.rounds {
        for (x, table) in model.host_table.iter().enumerate() {
            if let Some(t) = *table {
                state.seat(r, t, x);
            }
        }
        order.shuffle(rng);
        for &x in &order {
            let partners = if scratch.is_empty() {
                Vec::new()
            } else {
                state.meetings.partners(x)
            };
            for &(z, c) in &partners {
                scratch[z as usize] += repeat_step(c);
            }
            if !scratch.is_empty() {
                for &(z, price) in model.sparse_of(x) {
                    scratch[z as usize] += price;
                }
            }
            let price = |state: &State, z: usize| -> i64 {
                if scratch.is_empty() {
                    repeat_step(state.meetings.get(x, z)) + model.static_price(x, z)
                } else {
                    scratch[z] + model.attribute_price(x, z)
                }
            };
            let start = rng.random_range(0..k);
            let (mut best, mut best_price, mut ties) = (usize::MAX, i64::MAX, 0u32);
            for offset in 0..k {
                let t = (start + offset) % k;
                let table = &state.members[r * k + t];
                if table.len() >= model.table_sizes[t] {
                    continue;
                }
                let p: i64 = table.iter().map(|&z| price(&state, z as usize)).sum();
                if p < best_price {
                    (best, best_price, ties) = (t, p, 1);
                } else if p == best_price {
                    ties += 1;
                    if rng.random_range(0..ties) == 0 {
                        best = t;
                    }
                }
                if best_price <= 0 && !model.has_bonus {
                    break;
                }
            }
            for &(z, _) in &partners {
                scratch[z as usize] = 0;
            }
            if !scratch.is_empty() {
                for &(z, _) in model.sparse_of(x) {
                    scratch[z as usize] = 0;
                }
            }
            state.seat(r, best, x);
        }
    }
    state.count_conflicts();
    state
}

/// Pair-swap tabu list: `(round, x, y)` → the step until which swapping them is tabu.
struct Tabu {
    n: u64,
    until: HashMap<u64, u64>,
}

impl Tabu {
    fn key(&self, r: usize, x: usize, y: usize) -> u64 {
        (r as u64 * self.n + x.min(y) as u64) * self.n + x.max(y) as u64
    }

    fn is_tabu(&self, r: usize, x: usize, y: usize, step: u64) -> bool {
        self.until
            .get(&self.key(r, x, y))
            .is_some_and(|&until| until > step)
    }

    fn forbid(&mut self, r: usize, x: usize, y: usize, step: u64, rng: &mut impl Rng) {
        let key = self.key(r, x, y);
        self.until.insert(key, step + rng.random_range(TENURE));
    }
}

/// Improves a constructed start by relabelling: random pairs of movable people trade places
/// in every round while that lowers the price, until `patience` tries in a row did not.
pub(crate) fn relabel(state: &mut State, rng: &mut impl Rng) {
    if !state.model.has_static {
        return;
    }
    let movable: Vec<usize> = (0..state.n).filter(|&x| state.movable(x)).collect();
    if movable.len() < 2 {
        return;
    }
    let patience = 20 * movable.len();
    let mut quiet = 0;
    while quiet < patience {
        let x = movable[rng.random_range(0..movable.len())];
        let y = movable[rng.random_range(0..movable.len())];
        if x == y {
            continue;
        }
        let d = state.relabel(x, y);
        if d < 0 {
            quiet = 0;
        } else {
            state.relabel(x, y);
            quiet += 1;
        }
    }
}

/// Tabu search from `state` until the price reaches a proven lower bound, nothing is left to
/// improve, `max_iterations` steps are done or `deadline` passes.
pub(crate) fn improve<'m, R: Rng>(
    mut state: State<'m>,
    mut fresh: impl FnMut(&mut R) -> State<'m>,
    max_iterations: Option<u64>,
    deadline: &dyn Deadline,
    rng: &mut R,
) -> Outcome {
    let model = state.model;
    let (n, k, rounds) = (state.n, state.k, state.rounds);
    let lower_bound = model.lower_bound();
    let movable: Vec<usize> = (0..n).filter(|&x| state.movable(x)).collect();
    let mut best_cost = state.cost;
    let mut best = state.table_of.clone();
    // Steps without a new best, before shaking the best state.
    let stall_limit = 200 + 20 * n as u64;
    // Quality steps without improvement before the search settles.
    let settle_limit = 200 + 2 * (movable.len() * rounds) as u64;
    let mut tabu = Tabu {
        n: n as u64,
        until: HashMap::new(),
    };
    let (mut stalled, mut quiet, mut shakes) = (0u64, 0u64, 0u64);
    let mut conflicts = Vec::new();
    let mut tables = Vec::new();
    let mut iteration = 0u64;
    let stop = loop {
        if lower_bound.is_some_and(|bound| state.cost <= bound) {
            break Stop::Optimal;
        }
        if movable.len() < 2 || k < 2 {
            break Stop::Optimal;
        }
        if max_iterations.is_some_and(|max| iteration >= max) {
            break Stop::Iterations;
        }
        if deadline.passed() {
            break Stop::Deadline;
        }
        iteration += 1;
        if iteration.is_multiple_of(4096) {
            tabu.until.retain(|_, until| *until > iteration);
        }
        state.conflicts(&mut conflicts);
        if conflicts.is_empty() {
            // Quality: the best non-tabu swap of one random person, taken unless it makes the
            // schedule worse (sideways steps let the search cross plateaus).
            let r = rng.random_range(0..rounds);
            let x = movable[rng.random_range(0..movable.len())];
            state.tables_to_try(r, x, rng, &mut tables);
            let mut chosen: Option<(usize, i64)> = None;
            let mut ties = 0u32;
            for &t in &tables {
                for &y in &state.members[r * k + t] {
                    let y = y as usize;
                    if !state.movable(y) {
                        continue;
                    }
                    let d = state.delta(r, x, y);
                    let current = chosen.map_or(0, |(_, best)| best);
                    if d > current
                        || (state.cost + i128::from(d) >= best_cost
                            && tabu.is_tabu(r, x, y, iteration))
                    {
                        continue;
                    }
                    if chosen.is_none() || d < current {
                        chosen = Some((y, d));
                        ties = 1;
                    } else {
                        ties += 1;
                        if rng.random_range(0..ties) == 0 {
                            chosen = Some((y, d));
                        }
                    }
                }
            }
            if let Some((y, d)) = chosen {
                state.swap(r, x, y, d);
                tabu.forbid(r, x, y, iteration, rng);
            }
            if state.cost < best_cost {
                quiet = 0;
            } else {
                quiet += 1;
                if quiet >= settle_limit {
                    break Stop::Settled;
                }
            }
        } else {
            // Repair: the best non-tabu swap of someone in conflict, even if it is worse.
            let mut chosen: Option<(usize, usize, usize, i64)> = None;
            let mut ties = 0u32;
            if conflicts.len() > MAX_CONFLICTS_TRIED {
                conflicts = conflicts
                    .partial_shuffle(rng, MAX_CONFLICTS_TRIED)
                    .0
                    .to_vec();
            }
            for &(r, x) in &conflicts {
                let (r, x) = (r as usize, x as usize);
                state.tables_to_try(r, x, rng, &mut tables);
                for &t in &tables {
                    for &y in &state.members[r * k + t] {
                        let y = y as usize;
                        if !state.movable(y) {
                            continue;
                        }
                        let d = state.delta(r, x, y);
                        let current = chosen.map_or(i64::MAX, |c| c.3);
                        if d > current
                            || (state.cost + i128::from(d) >= best_cost
                                && tabu.is_tabu(r, x, y, iteration))
                        {
                            continue;
                        }
                        if d < current {
                            chosen = Some((r, x, y, d));
                            ties = 1;
                        } else {
                            ties += 1;
                            if rng.random_range(0..ties) == 0 {
                                chosen = Some((r, x, y, d));
                            }
                        }
                    }
                }
            }
            if let Some((r, x, y, d)) = chosen {
                state.swap(r, x, y, d);
                tabu.forbid(r, x, y, iteration, rng);
            }
            stalled += 1;
        }
        if state.cost < best_cost {
            best_cost = state.cost;
            best.copy_from_slice(&state.table_of);
            stalled = 0;
        } else if stalled >= stall_limit {
            // Mostly shake the best state; now and then start afresh, which cuts the long
            // tail of runs stuck around one local optimum.
            shakes += 1;
            if shakes % RESTART_EVERY == 0 {
                state = fresh(rng);
            } else {
                state = State::from_table_of(model, &best);
                shake(&mut state, &movable, rng);
            }
            tabu.until.clear();
            stalled = 0;
        }
    };
    if state.cost > best_cost {
        state = State::from_table_of(model, &best);
    }
    Outcome {
        schedule: state.schedule(),
        stats: Stats {
            iterations: iteration,
            stop,
            cost: state.cost,
        },
    }
}

/// A few random swaps, to leave a region the search keeps returning to.
fn shake(state: &mut State, movable: &[usize], rng: &mut impl Rng) {
    let swaps = 2 + movable.len() / 8;
    for _ in 0..swaps {
        let r = rng.random_range(0..state.rounds);
        let x = movable[rng.random_range(0..movable.len())];
        let y = movable[rng.random_range(0..movable.len())];
        if state.table(r, x) != state.table(r, y) {
            let d = state.delta(r, x, y);
            state.swap(r, x, y, d);
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::matching::{NoDeadline, Problem};

    fn problem(n: usize, size: usize, rounds: usize, extra: &str) -> Problem {
        let people: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    r#"{{"id":"p{i}","role":"{}","admission_year":{}}}"#,
                    if i % 3 == 0 { "student" } else { "alumni" },
                    2010 + i % 5
                )
            })
            .collect();
        Problem::from_json(&format!(
            r#"{{"participants":[{}],"rounds":{rounds},"table_size":{size}{extra}}}"#,
            people.join(",")
        ))
        .unwrap()
    }

    /// The incremental price and conflict counts always equal a fresh count.
    #[test]
    fn incremental_bookkeeping_matches_a_fresh_count() {
        for (n, extra) in [
            (20, ""),
            (
                23,
                r#","history":[{"a":"p1","b":"p2","year":2020},{"a":"p3","b":"p4","year":2024}],"must_not_share":[["p5","p6"]]"#,
            ),
        ] {
            let problem = problem(n, 4, 8, extra);
            let model = CostModel::new(&problem, &[]);
            let mut rng = ChaCha8Rng::seed_from_u64(7);
            let mut state = greedy(&model, &mut rng);
            let movable: Vec<usize> = (0..n).collect();
            for _ in 0..50 {
                shake(&mut state, &movable, &mut rng);
                let fresh = State::from_table_of(&model, &state.table_of);
                assert_eq!(state.cost, fresh.cost);
                assert_eq!(state.bad, fresh.bad);
                assert_eq!(state.total_bad, fresh.total_bad);
            }
        }
    }

    #[test]
    fn relabelling_keeps_a_schedule_repeat_free_and_never_raises_the_price() {
        let problem = problem(16, 4, 5, r#","history":[{"a":"p1","b":"p2","year":2024}]"#);
        let model = CostModel::new(&problem, &[]);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let start = crate::matching::designs::construct(&problem, &mut rng, &NoDeadline).unwrap();
        let mut state = State::from_rounds(&model, start.rounds);
        let before = state.cost;
        relabel(&mut state, &mut rng);
        assert!(state.cost <= before);
        let fresh = State::from_table_of(&model, &state.table_of);
        assert_eq!(fresh.cost, state.cost);
        for x in 0..16 {
            for z in 0..16 {
                assert!(state.meetings.get(x, z) <= 1);
            }
        }
    }

    #[test]
    fn the_search_never_breaks_the_table_sizes() {
        let problem = problem(22, 4, 9, "");
        let model = CostModel::new(&problem, &[]);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let start = greedy(&model, &mut rng);
        let outcome = improve(
            start,
            |rng| greedy(&model, rng),
            Some(500),
            &NoDeadline,
            &mut rng,
        );
        for round in &outcome.schedule.rounds {
            let sizes: Vec<usize> = round.iter().map(Vec::len).collect();
            assert_eq!(sizes, problem.table_sizes());
        }
        let fresh = State::from_rounds(&model, outcome.schedule.rounds.clone());
        assert_eq!(fresh.cost, outcome.stats.cost);
    }
}

//! Beyond the bound: more rounds than any repeat-free schedule has. Copies of a repeat-free
//! schedule are laid one over the other, each relabelled so that its first round seats
//! together the pairs the layers so far have met least: for a design every pair met once,
//! any relabelling will do; for a group-divisible design (or a packing whose unmet pairs form
//! groups, like the perfect matching left by 32 people at tables of 4 over 10 rounds) the
//! groups are put together at the tables of that first round, which then meets every pair
//! left apart when the group size divides the table size. Two layers so meet every pair ⌊c⌋
//! or ⌈c⌉ times (c the average), and the repeats equal the lower bound; other unmet structures
//! get a greedy first round and the search does the rest.

use rand::Rng;
use rand::seq::SliceRandom;

use super::Rounds;

/// `rounds` rounds for `n` people at tables of `s` from layers of `design`.
pub(crate) fn layered(
    design: &Rounds,
    n: usize,
    s: usize,
    rounds: usize,
    rng: &mut impl Rng,
) -> Rounds {
    let mut out: Rounds = design.iter().take(rounds).cloned().collect();
    let mut met = vec![0u16; n * n];
    let count = |out: &[Vec<Vec<usize>>], met: &mut Vec<u16>| {
        for round in out {
            for table in round {
                for (i, &a) in table.iter().enumerate() {
                    for &b in &table[i + 1..] {
                        met[a * n + b] += 1;
                        met[b * n + a] += 1;
                    }
                }
            }
        }
    };
    count(&out, &mut met);
    while out.len() < rounds {
        let targets = tables_of_least_met(&met, n, s, rng);
        // π sends table k of the design's first round onto target table k.
        let mut label = vec![0; n];
        for (table, target) in design[0].iter().zip(&targets) {
            for (&p, &q) in table.iter().zip(target) {
                label[p] = q;
            }
        }
        let layer: Rounds = design
            .iter()
            .take(rounds - out.len())
            .map(|round| {
                round
                    .iter()
                    .map(|table| table.iter().map(|&p| label[p]).collect())
                    .collect()
            })
            .collect();
        count(&layer, &mut met);
        out.extend(layer);
    }
    out
}

/// A round whose tables hold as many of the least-met pairs as possible: when those pairs
/// form cliques whose size divides `s` (the groups of a group-divisible design), whole
/// cliques at each table; otherwise tables filled greedily with such pairs.
fn tables_of_least_met(met: &[u16], n: usize, s: usize, rng: &mut impl Rng) -> Vec<Vec<usize>> {
    let least = (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
        .map(|(a, b)| met[a * n + b])
        .min()
        .unwrap_or(0);
    let low = |a: usize, b: usize| met[a * n + b] == least;
    // Components of the least-met graph.
    let mut component = vec![usize::MAX; n];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for start in 0..n {
        if component[start] != usize::MAX {
            continue;
        }
        let id = groups.len();
        let mut group = vec![start];
        component[start] = id;
        let mut i = 0;
        while i < group.len() {
            let a = group[i];
            for (b, slot) in component.iter_mut().enumerate() {
                if b != a && *slot == usize::MAX && low(a, b) {
                    *slot = id;
                    group.push(b);
                }
            }
            i += 1;
        }
        groups.push(group);
    }
    let cliques = groups.iter().all(|group| {
        s.is_multiple_of(group.len())
            && group
                .iter()
                .enumerate()
                .all(|(i, &a)| group[i + 1..].iter().all(|&b| low(a, b)))
    });
    let sizes_fit = groups.iter().all(|group| group.len() == groups[0].len());
    if cliques && sizes_fit && groups.len() > 1 {
        groups.shuffle(rng);
        return groups.concat().chunks(s).map(<[usize]>::to_vec).collect();
    }
    // Greedy: each table starts from a random free person and takes whoever adds the most
    // least-met pairs.
    let mut free: Vec<usize> = (0..n).collect();
    free.shuffle(rng);
    let mut tables = Vec::with_capacity(n / s);
    while !free.is_empty() {
        let mut table = vec![free.pop().expect("someone is free")];
        while table.len() < s {
            let (at, _) = free
                .iter()
                .enumerate()
                .max_by_key(|&(_, &b)| table.iter().filter(|&&a| low(a, b)).count())
                .expect("tables of s fill up exactly");
            table.push(free.swap_remove(at));
        }
        tables.push(table);
    }
    tables
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::matching::designs::classic::affine_lines;

    /// Per pair, how often it meets.
    fn counts(rounds: &Rounds, n: usize) -> Vec<usize> {
        let mut met = vec![0; n * n];
        for table in rounds.iter().flatten() {
            for (i, &a) in table.iter().enumerate() {
                for &b in &table[i + 1..] {
                    met[a.min(b) * n + a.max(b)] += 1;
                }
            }
        }
        (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .map(|(a, b)| met[a * n + b])
            .collect()
    }

    #[test]
    fn layers_of_a_design_meet_every_pair_floor_or_ceiling_times() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let design = affine_lines(16, 4, 5, &mut rng).unwrap();
        for rounds in [6, 8, 10, 13] {
            let schedule = layered(&design, 16, 4, rounds, &mut rng);
            assert_eq!(schedule.len(), rounds);
            let met = counts(&schedule, 16);
            let (min, max) = (met.iter().min().unwrap(), met.iter().max().unwrap());
            assert!(max - min <= 1, "{rounds} rounds: {min}..{max}");
        }
    }
}

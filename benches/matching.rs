//! Time and quality of the networking matcher on the instances it is judged by:
//! 32 people × tables of 4 × 8, 9 and 10 rounds; Kirkman's 15 schoolgirls; 200 people × tables
//! of 6 × 6 rounds with a year of history; 1,000 × 8 × 5; 5,000 × 10 × 4.
//!
//! `cargo bench --bench matching` prints, before criterion's timings, the quality of each
//! instance for five seeds (repeats within the event, repeats of last year, how the search
//! started and stopped). Runs are bounded by iterations, not by the clock, so every sample does
//! the same work; 32 × 4 × 10 (the bound) is capped at 20,000 steps.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use homecoming::matching::{
    EncounterInput, NoDeadline, ParticipantInput, Problem, ProblemInput, solve,
};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

struct Instance {
    name: &'static str,
    problem: Problem,
}

fn people(n: usize) -> Vec<ParticipantInput> {
    (0..n)
        .map(|i| ParticipantInput {
            id: format!("p{i}"),
            ..ParticipantInput::default()
        })
        .collect()
}

/// Last year's event: three quarters of the people at tables of `size` for `rounds` rounds.
fn last_year(n: usize, size: usize, rounds: usize) -> Vec<EncounterInput> {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let mut came: Vec<usize> = (0..n).filter(|_| rng.random_bool(0.75)).collect();
    let mut history = Vec::new();
    for _ in 0..rounds {
        came.shuffle(&mut rng);
        for table in came.chunks(size) {
            for (i, &a) in table.iter().enumerate() {
                for &b in &table[i + 1..] {
                    history.push(EncounterInput {
                        a: format!("p{a}"),
                        b: format!("p{b}"),
                        year: 2026,
                    });
                }
            }
        }
    }
    history
}

fn instance(
    name: &'static str,
    n: usize,
    size: usize,
    rounds: usize,
    history: Vec<EncounterInput>,
    max_iterations: u64,
) -> Instance {
    let problem = Problem::from_input(ProblemInput {
        participants: people(n),
        rounds,
        table_size: Some(size),
        history,
        current_year: Some(2027),
        max_iterations: Some(max_iterations),
        ..ProblemInput::default()
    })
    .expect("a valid benchmark problem");
    Instance { name, problem }
}

fn instances() -> Vec<Instance> {
    vec![
        instance("32x4x8", 32, 4, 8, Vec::new(), 200_000),
        instance("32x4x9", 32, 4, 9, Vec::new(), 200_000),
        instance("32x4x10", 32, 4, 10, Vec::new(), 20_000),
        instance("15x3x7", 15, 3, 7, Vec::new(), 200_000),
        instance("200x6x6+history", 200, 6, 6, last_year(200, 6, 6), 200_000),
        instance("1000x8x5", 1000, 8, 5, Vec::new(), 200_000),
        instance("5000x10x4", 5000, 10, 4, Vec::new(), 200_000),
    ]
}

fn quality(instances: &[Instance]) {
    eprintln!(
        "{:<16} {:>4} {:>8} {:>8} {:>10} {:>10}  start / stop",
        "instance", "seed", "repeats", "history", "iterations", "time"
    );
    for instance in instances {
        for seed in 0..5 {
            let problem = instance.problem.clone().with_seed(seed);
            let started = Instant::now();
            let report = solve(&problem, &NoDeadline).report;
            eprintln!(
                "{:<16} {:>4} {:>8} {:>8} {:>10} {:>10.1?}  {} / {:?}",
                instance.name,
                seed,
                report.repeats_within_event,
                report.repeats_of_earlier_years,
                report.iterations,
                started.elapsed(),
                report.start,
                report.stopped_by
            );
        }
    }
}

fn bench(c: &mut Criterion) {
    let instances = instances();
    quality(&instances);
    let mut group = c.benchmark_group("matching");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for instance in &instances {
        group.bench_function(instance.name, |b| {
            b.iter(|| solve(black_box(&instance.problem), &NoDeadline))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! The matcher on the Social Golfer Problem: for every shape of `g` tables (2 to 12) of `s`
//! people (2 to 8), the most repeat-free rounds `homecoming` finds within 10 s on one core,
//! next to the bound floor((gs − 1)/(s − 1)), with the method used. Every schedule counted is
//! checked here by a pair counter, independently of the matcher's own report.
//!
//! ```sh
//! cargo run --release --example matching_sweep              # the whole sweep (about 10 min)
//! cargo run --release --example matching_sweep -- 8 4       # one shape: 8 tables of 4
//! SWEEP_SECONDS=2 cargo run --release --example matching_sweep
//! ```

use std::collections::HashMap;
use std::time::{Duration, Instant};

use homecoming::matching::{Deadline, ParticipantInput, Problem, ProblemInput, Solution, solve};

struct Until(Instant);

impl Deadline for Until {
    fn passed(&self) -> bool {
        Instant::now() >= self.0
    }
}

fn problem(n: usize, s: usize, rounds: usize, max_iterations: Option<u64>) -> Problem {
    Problem::from_input(ProblemInput {
        participants: (0..n)
            .map(|i| ParticipantInput {
                id: format!("p{i}"),
                ..ParticipantInput::default()
            })
            .collect(),
        rounds,
        table_size: Some(s),
        max_iterations,
        ..ProblemInput::default()
    })
    .expect("a valid sweep problem")
}

/// Whether every round seats everyone once at tables of `s` and no pair meets twice.
fn repeat_free(solution: &Solution, n: usize, s: usize, rounds: usize) -> bool {
    let schedule = &solution.schedule.rounds;
    let mut met: HashMap<(usize, usize), u32> = HashMap::new();
    schedule.len() == rounds
        && schedule.iter().all(|round| {
            let mut seated: Vec<usize> = round.iter().flatten().copied().collect();
            seated.sort_unstable();
            seated == (0..n).collect::<Vec<_>>() && round.iter().all(|t| t.len() == s)
        })
        && schedule.iter().flatten().all(|table| {
            table.iter().enumerate().all(|(i, &a)| {
                table[i + 1..].iter().all(|&b| {
                    let count = met.entry((a.min(b), a.max(b))).or_default();
                    *count += 1;
                    *count == 1
                })
            })
        })
}

/// The most repeat-free rounds found for `g` tables of `s` within `budget`, the method, the
/// rounds a construction reached and the time taken.
fn sweep(g: usize, s: usize, budget: Duration) -> (usize, String, usize, Duration) {
    let n = g * s;
    let bound = (n - 1) / (s - 1);
    let started = Instant::now();
    let deadline = Until(started + budget);
    // The constructions alone (no search step) for the bound.
    let built = solve(&problem(n, s, bound, Some(0)), &deadline);
    let constructed = built.report.constructed_rounds;
    let (mut best, mut method) = if constructed > 0 {
        (constructed, built.report.method.clone())
    } else {
        (0, String::from("-"))
    };
    if repeat_free(&built, n, s, bound) {
        return (bound, built.report.start, constructed, started.elapsed());
    }
    // Then the search, one more round at a time, while the budget lasts.
    for rounds in best + 1..=bound {
        if deadline.passed() {
            break;
        }
        let solution = solve(&problem(n, s, rounds, None), &deadline);
        if !repeat_free(&solution, n, s, rounds) {
            break;
        }
        best = rounds;
        method = solution.report.start.clone();
    }
    (best, method, constructed, started.elapsed())
}

fn main() {
    let seconds: u64 = std::env::var("SWEEP_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let shapes: Vec<(usize, usize)> = match args[..] {
        [g, s] => vec![(g, s)],
        _ => (2..=12)
            .flat_map(|g| (2..=8).map(move |s| (g, s)))
            .collect(),
    };
    println!("| g | s | people | bound | found | method | constructed | time |");
    println!("| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |");
    for (g, s) in shapes {
        let (found, method, constructed, took) = sweep(g, s, Duration::from_secs(seconds));
        let bound = (g * s - 1) / (s - 1);
        println!(
            "| {g} | {s} | {} | {bound} | {found} | {method} | {constructed} | {:.2} s |",
            g * s,
            took.as_secs_f64()
        );
    }
}

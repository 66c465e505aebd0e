//! Helpers shared by the registration load and email delivery benchmarks (`mod support;` in
//! each): the benchmark database, the `BENCH_*` knobs, and what is reported about the machine.

pub mod database;
pub mod env;
pub mod machine;

/// Ends a benchmark: every problem on stderr and exit code 1, or `passed` on stdout.
pub fn exit_on_problems(problems: &[String], passed: &str) {
    if !problems.is_empty() {
        for problem in problems {
            eprintln!("FAILED: {problem}");
        }
        std::process::exit(1);
    }
    println!("{passed}");
}
